//! `coord batch` (issue 10): one mission over many input sets, N at a time; a summary table and
//! `batch.json`; re-running skips finished runs and resumes unfinished ones; the exit code is the
//! highest of the runs'.

use crate::support::Project;

fn batch_json(p: &Project, out: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(p.path(out).join("batch.json")).unwrap()).unwrap()
}

#[test]
fn a_folder_of_input_sets_runs_each_and_a_rerun_skips_or_resumes() {
    let p = Project::new();
    // Three good sets and one whose files give no Business Objectives.
    for ex in ["solo-consultant", "scaling-saas", "service-agency"] {
        crate::support::copy_dir(&p.path("examples").join(ex), &p.path("sets").join(ex));
    }
    p.write(
        "sets/broken/notes.md",
        "# Notes\n\nNothing about sales here.\n",
    );
    let out = p.coord(&[
        "batch",
        "sales-plan-development",
        "sets",
        "--out",
        "runs/b",
        "--jobs",
        "2",
    ]);
    assert_eq!(out.code, 2, "the worst run is an input error: {out:?}");
    for name in [
        "solo-consultant",
        "scaling-saas",
        "service-agency",
        "broken",
    ] {
        assert!(out.stdout.contains(name), "{name} in the table: {out:?}");
    }
    assert!(out.stdout.contains("completed (ran)"), "{out:?}");
    assert!(out.stdout.contains("error (ran)"), "{out:?}");
    let b = batch_json(&p, "runs/b");
    assert_eq!(b["exit_code"], 2);
    let runs = b["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 4);
    let broken = runs.iter().find(|r| r["name"] == "broken").unwrap();
    assert!(
        broken["error"]
            .as_str()
            .unwrap()
            .contains("missing required input"),
        "{broken}"
    );
    for r in runs.iter().filter(|r| r["name"] != "broken") {
        assert_eq!(r["status"], "completed", "{r}");
        assert!(
            p.path("runs/b")
                .join(r["name"].as_str().unwrap())
                .join("sales-plan.md")
                .is_file()
        );
    }
    let want = std::fs::read(p.path("runs/b/scaling-saas/sales-plan.md")).unwrap();
    // Interrupt one run after its first phase; fix the broken set; run the same batch again.
    let dir = p.path("runs/b/scaling-saas");
    let log = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    let keep: String = log.lines().take(6).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.join("events.jsonl"), keep).unwrap();
    for f in ["summary.json", "sales-plan.md", "plan.md"] {
        std::fs::remove_file(dir.join(f)).unwrap();
    }
    std::fs::remove_dir_all(p.path("sets/broken")).unwrap();
    crate::support::copy_dir(&p.path("examples/solo-consultant"), &p.path("sets/broken"));
    let again = p.coord(&[
        "-q",
        "batch",
        "sales-plan-development",
        "sets",
        "--out",
        "runs/b",
    ]);
    assert_eq!(again.code, 0, "{again:?}");
    let b = batch_json(&p, "runs/b");
    let action = |n: &str| {
        b["runs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == n)
            .unwrap()["action"]
            .clone()
    };
    assert_eq!(action("solo-consultant"), "skipped");
    assert_eq!(action("service-agency"), "skipped");
    assert_eq!(action("scaling-saas"), "resumed");
    assert_eq!(
        action("broken"),
        "ran",
        "a set that failed to plan runs again"
    );
    assert_eq!(std::fs::read(dir.join("sales-plan.md")).unwrap(), want);
}

#[test]
fn a_csv_manifest_sets_inputs_and_variation_per_row() {
    let p = Project::new();
    p.write(
        "batch.csv",
        "name,context,inputs,variation\nas-solo,examples/solo-consultant,,\nas-team,examples/solo-consultant,,scaling\n",
    );
    let out = p.coord(&[
        "-q",
        "--message-format",
        "json",
        "batch",
        "sales-plan-development",
        "--manifest",
        "batch.csv",
        "--out",
        "runs/m",
        "--date",
        "2026-12-24",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let b: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(b["runs"].as_array().unwrap().len(), 2);
    let plan = |n: &str| {
        serde_json::from_slice::<serde_json::Value>(
            &std::fs::read(p.path("runs/m").join(n).join("sales-plan.json")).unwrap(),
        )
        .unwrap()
    };
    assert_eq!(plan("as-solo")["business"]["variation"], "solopreneur");
    assert_eq!(plan("as-team")["business"]["variation"], "scaling");
    let md = std::fs::read_to_string(p.path("runs/m/as-team/sales-plan.md")).unwrap();
    assert!(
        md.contains("**Date Created:** 2026-12-24"),
        "--date applies to every row"
    );
    // A bad row names its line.
    p.write(
        "bad.csv",
        "name,context\nok,examples/solo-consultant\n../x,examples\n",
    );
    let bad = p.coord(&["batch", "sales-plan-development", "--manifest", "bad.csv"]);
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("bad.csv:3:"), "{bad:?}");
}
