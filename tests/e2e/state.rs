//! Run directories under crashes and concurrent use (issue 10): one process at a time writes a
//! run directory, names never collide, and an event log cut off at any byte resumes.

use crate::support::{Out, Project};
use std::path::Path;
use std::process::{Command, Stdio};

const MAIN: [&str; 2] = ["sales-plan-development", "examples/solo-consultant"];

fn run_to(p: &Project, out: &str) -> Out {
    p.coord(&["-q", MAIN[0], MAIN[1], "--out", out])
}

/// Starts `coord` in `cwd` without waiting.
fn spawn(cwd: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_coord"))
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait(c: std::process::Child) -> Out {
    let o = c.wait_with_output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Every line of the log after the header is a whole event.
fn assert_log_whole(dir: &Path) {
    let events = coord_core::store::read_events(&dir.join("events.jsonl")).unwrap();
    let text = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    assert!(text.ends_with('\n'), "the log ends with a whole line");
    assert_eq!(text.lines().count(), events.len() + 1, "{text}");
}

#[test]
fn run_resume_and_replay_refuse_a_directory_another_process_holds() {
    let p = Project::new();
    assert_eq!(run_to(&p, "runs/a").code, 0);
    let held = coord_core::store::DirLock::exclusive(&p.path("runs/a"), "test").unwrap();
    let me = std::process::id().to_string();
    for args in [
        vec!["resume", "runs/a"],
        vec!["-q", MAIN[0], MAIN[1], "--out", "runs/a"],
        vec!["replay", "runs/a", "--allow-live", "--out", "runs/r"],
    ] {
        let out = p.coord(&args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(
            out.stderr.contains("is in use by coord test, process") && out.stderr.contains(&me),
            "the holder is named: {out:?}"
        );
        assert!(
            out.stderr.contains("wait for that one to finish"),
            "{out:?}"
        );
    }
    assert!(
        !p.path("runs/r").exists(),
        "a refused replay writes nothing"
    );
    // A new directory another process holds is refused too, before anything is written.
    std::fs::create_dir_all(p.path("runs/b")).unwrap();
    let held_b = coord_core::store::DirLock::exclusive(&p.path("runs/b"), "test").unwrap();
    let out = run_to(&p, "runs/b");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(!p.path("runs/b/events.jsonl").exists());
    drop((held, held_b));
    assert_eq!(run_to(&p, "runs/b").code, 0, "free again");
}

#[test]
fn two_processes_on_one_out_one_proceeds_the_other_exits_2() {
    let p = Project::new();
    for k in 0..8 {
        let out = format!("runs/t{k}");
        let args = ["-q", MAIN[0], MAIN[1], "--out", out.as_str()];
        let a = spawn(p.dir.path(), &args);
        let b = spawn(p.dir.path(), &args);
        let (a, b) = (wait(a), wait(b));
        let mut codes = [a.code, b.code];
        codes.sort();
        assert_eq!(codes, [0, 2], "trial {k}: {a:?}\n{b:?}");
        let loser = if a.code == 2 { &a } else { &b };
        assert!(
            loser.stderr.contains("is in use by") || loser.stderr.contains("not empty"),
            "{loser:?}"
        );
        assert_log_whole(&p.path(&out));
    }
    // Two resumes of one run: one proceeds, the other is refused (or finds it finished).
    std::fs::remove_file(p.path("runs/t0/summary.json")).unwrap();
    let a = spawn(p.dir.path(), &["-q", "resume", "runs/t0"]);
    let b = spawn(p.dir.path(), &["-q", "resume", "runs/t0"]);
    let (a, b) = (wait(a), wait(b));
    let mut codes = [a.code, b.code];
    codes.sort();
    assert_eq!(codes, [0, 2], "{a:?}\n{b:?}");
    assert_log_whole(&p.path("runs/t0"));
}

#[test]
fn ten_runs_started_at_once_without_out_all_succeed() {
    let p = Project::new();
    let kids: Vec<_> = (0..10)
        .map(|_| spawn(p.dir.path(), &["-q", MAIN[0], MAIN[1]]))
        .collect();
    for k in kids {
        let out = wait(k);
        assert_eq!(out.code, 0, "{out:?}");
    }
    let dirs = std::fs::read_dir(p.path("runs")).unwrap().count();
    assert_eq!(dirs, 10, "one directory each");
    // Back to back in one second too.
    assert_eq!(p.coord(&["-q", MAIN[0], MAIN[1]]).code, 0);
    assert_eq!(p.coord(&["-q", MAIN[0], MAIN[1]]).code, 0);
}

/// Cuts the log after `keep` events and appends `torn` bytes of the next line, as a kill in the
/// middle of a write would; removes the documents the run wrote after that point.
fn interrupt(dir: &Path, keep: usize, torn: usize) {
    let text = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut cut: String = lines[..=keep].iter().map(|l| format!("{l}\n")).collect();
    let next = lines.get(keep + 1).copied().unwrap_or("{\"seq\":");
    cut.push_str(&next[..torn.min(next.len() - 1)]);
    std::fs::write(dir.join("events.jsonl"), cut).unwrap();
    for f in [
        "plan.md",
        "plan.json",
        "summary.json",
        "sales-plan.md",
        "sales-plan.json",
    ] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    std::fs::write(dir.join(".plan.md.4242.tmp"), "half a plan").unwrap();
}

#[test]
fn a_torn_log_tail_is_cut_kept_aside_and_the_run_resumes_and_resumes_again() {
    let p = Project::new();
    assert_eq!(run_to(&p, "runs/whole").code, 0);
    let want = std::fs::read(p.path("runs/whole/sales-plan.md")).unwrap();
    assert_eq!(run_to(&p, "runs/t").code, 0);
    let dir = p.path("runs/t");
    interrupt(&dir, 5, 17);
    let out = p.coord(&["resume", "runs/t"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("was cut short"), "reported: {out:?}");
    assert!(
        out.stderr.contains("removed 1 unfinished temporary file"),
        "{out:?}"
    );
    assert!(dir.join("events.jsonl.torn").is_file(), "kept aside");
    assert!(!dir.join(".plan.md.4242.tmp").exists());
    assert_log_whole(&dir);
    // Interrupted again, later in the resumed log: it resumes again.
    let n = std::fs::read_to_string(dir.join("events.jsonl"))
        .unwrap()
        .lines()
        .count();
    interrupt(&dir, n - 6, 40);
    let again = p.coord(&["-q", "resume", "runs/t"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_log_whole(&dir);
    assert_eq!(
        std::fs::read(dir.join("sales-plan.md")).unwrap(),
        want,
        "same plan"
    );
    assert!(dir.join("summary.json").is_file());
}

#[test]
fn a_run_finished_without_its_summary_gets_one_on_resume() {
    let p = Project::new();
    assert_eq!(run_to(&p, "runs/s").code, 0);
    std::fs::remove_file(p.path("runs/s/summary.json")).unwrap();
    let out = p.coord(&["resume", "runs/s"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("writing its documents and summary"),
        "{out:?}"
    );
    assert!(p.path("runs/s/summary.json").is_file());
    let out = p.coord(&["resume", "runs/s"]);
    assert_eq!(out.code, 2, "now it is finished: {out:?}");
}

#[test]
fn a_directory_killed_before_run_json_is_reused_by_a_new_run() {
    let p = Project::new();
    p.write(
        "runs/k/events.jsonl",
        "{\"format\":\"coord-events\",\"version\":1,\"coord_version\":\"0.1.0\"}\n",
    );
    p.write("runs/k/.run.json.77.tmp", "{");
    p.write("runs/k/sales-plan-development.md", "# copy");
    let out = run_to(&p, "runs/k");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(p.path("runs/k/run.json").is_file());
    assert!(!p.path("runs/k/.run.json.77.tmp").exists());
    // A folder of the user's own notes is not a dead run: it is never written into.
    p.write("notes/plan-ideas.md", "# Ideas\n");
    let out = run_to(&p, "notes");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("not empty"), "{out:?}");
    assert!(!p.path("notes/events.jsonl").exists());
    assert!(
        !p.path("notes/.coord.lock").exists(),
        "no lock file left behind"
    );
}

/// Settings are checked when they are loaded: each bad one is exit 2, names the setting, and
/// nothing is written (no run directory with a resume hint).
#[test]
fn each_bad_setting_is_exit_2_before_anything_is_written() {
    let p = Project::new();
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (&["--agent-timeout", "1e30"], &[], "run.agent_timeout_secs"),
        (&["--agent-timeout", "0"], &[], "run.agent_timeout_secs"),
        (&["--agent-timeout=-5"], &[], "run.agent_timeout_secs"),
        (&["--phase-timeout=-1"], &[], "run.phase_timeout_secs"),
        (&["--max-cost=-1"], &[], "llm.max_run_cost"),
        (&[], &[("COORD__LLM__MODE", "lvie")], "lvie"),
        (&[], &[("COORD__LLM__MODE", "replay")], "needs a cassette"),
        (&[], &[("COORD__LLM__TEMPERATURE", "7")], "llm.temperature"),
        (&[], &[("COORD__LLM__STRUCTURED", "xml")], "xml"),
        (&["--agent", "nobody=rules"], &[], "no agent `@nobody`"),
    ];
    for (flags, env, says) in cases {
        let mut args = vec![MAIN[0], MAIN[1], "--out", "runs/x"];
        args.extend_from_slice(flags);
        let out = crate::support::run_with_env(p.dir.path(), &args, env);
        assert_eq!(out.code, 2, "{flags:?} {env:?}: {out:?}");
        assert!(
            out.stderr.contains(says),
            "{flags:?} {env:?} names it: {out:?}"
        );
        assert!(
            !out.stderr.contains("coord resume"),
            "no resume hint: {out:?}"
        );
        assert!(!p.path("runs").exists(), "{flags:?} {env:?} wrote nothing");
    }
}

/// Runs the main job in-process "on" the day `day` (an injected clock), into `out`.
async fn run_on(p: &Project, day: &str, out: &str, date: Option<&str>) -> coord_core::RunReport {
    let registry = coord::default_registry();
    let settings = coord_core::Settings::defaults();
    let at: jiff::Timestamp = format!("{day}T09:30:00Z").parse().unwrap();
    let req = coord_core::RunRequest {
        mission: MAIN[0].into(),
        context: vec![MAIN[1].into()],
        out: Some(out.into()),
        cwd: p.dir.path().to_path_buf(),
        clock: Some(std::sync::Arc::new(coord_core::FixedClock(at))),
        date: date.map(|d| d.parse().unwrap()),
        ..Default::default()
    };
    let prepared = coord_core::prepare(&req, &settings, &registry).unwrap();
    coord_core::execute(
        prepared,
        &req,
        &settings,
        &registry,
        std::sync::Arc::new(coord_core::events::Discard),
        Default::default(),
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_inputs_give_the_same_bytes_on_two_different_days() {
    let p = Project::new();
    run_on(&p, "2026-12-02", "runs/day1", None).await;
    run_on(&p, "2027-03-15", "runs/day2", None).await;
    for f in ["plan.md", "plan.json", "sales-plan.md", "sales-plan.json"] {
        let a = std::fs::read(p.path("runs/day1").join(f)).unwrap();
        let b = std::fs::read(p.path("runs/day2").join(f)).unwrap();
        assert!(a == b, "{f} differs between the two days");
    }
    let md = std::fs::read_to_string(p.path("runs/day1/sales-plan.md")).unwrap();
    assert!(
        md.contains("**Date Created:** 2027-01-01"),
        "dated by the plan's start"
    );
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.path("runs/day2/run.json")).unwrap()).unwrap();
    assert_eq!(
        run["today"], "2027-03-15",
        "the run's day is recorded for resume"
    );
    // `--date` dates the documents.
    run_on(&p, "2026-12-02", "runs/dated", Some("2026-12-24")).await;
    let md = std::fs::read_to_string(p.path("runs/dated/sales-plan.md")).unwrap();
    assert!(
        md.contains("**Date Created:** 2026-12-24"),
        "{}",
        &md[..400]
    );
}
