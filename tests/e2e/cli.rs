//! The commands as a user runs them.

use crate::support::{Project, repo, run_in, shared};

#[test]
fn show_the_seed_as_handed_over() {
    let seed = shared().join("seed/sales-plan-development.md");
    let seed = if seed.exists() {
        seed
    } else {
        repo().join("missions/sales/sales-plan-development.md")
    };
    let seed = seed.to_string_lossy().into_owned();
    let out = run_in(&repo(), &["show", &seed, "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let m: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(m["title"], "Sales Plan Development");
    assert_eq!(m["duration"]["min_minutes"], 90);
    assert_eq!(m["inputs"].as_array().unwrap().len(), 4);
    let phases = m["phases"].as_array().unwrap();
    let mins: Vec<u64> = phases
        .iter()
        .map(|p| p["duration"]["min_minutes"].as_u64().unwrap())
        .collect();
    assert_eq!(mins, [30, 45, 15]);
    let lead: Vec<&str> = phases
        .iter()
        .map(|p| p["lead"][0]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        lead,
        [
            "conversion-optimization",
            "pipeline-management",
            "revenue-operations"
        ]
    );
    let support: Vec<&str> = phases
        .iter()
        .map(|p| p["support"][0]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        support,
        [
            "revenue-operations",
            "conversion-optimization",
            "pipeline-management"
        ]
    );
    for p in phases {
        assert_eq!(p["task"]["steps"].as_array().unwrap().len(), 6);
    }
    let dl: Vec<usize> = phases
        .iter()
        .map(|p| p["deliverables"].as_array().unwrap().len())
        .collect();
    assert_eq!(dl, [4, 4, 5]);
    assert_eq!(m["success_criteria"].as_array().unwrap().len(), 8);
    assert_eq!(m["variations"].as_array().unwrap().len(), 3);

    let text = run_in(&repo(), &["show", &seed]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout
            .starts_with("Sales Plan Development  (sales-plan-development)\n"),
        "{text:?}"
    );
    assert!(text.stdout.contains("duration:   90 min"));
    assert!(!text.stdout.contains('ð'), "no mojibake on screen");
}

#[test]
fn validate_the_whole_corpus() {
    let corpus = shared().join("corpus/bos-ai/missions");
    if !corpus.exists() {
        return crate::skip::skip(
            "validate_the_whole_corpus",
            "the shared BOS-AI corpus (../shared/corpus/bos-ai) is not beside the checkout",
        );
    }
    let out = run_in(&repo(), &["validate", &corpus.to_string_lossy()]);
    assert_eq!(out.code, 0, "{out:?}");
    let last = out.stderr.lines().last().unwrap();
    assert!(
        last.starts_with("validated ") && last.contains(": 0 errors"),
        "{last}"
    );
    let missions: usize = last["validated ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(missions >= 80, "{last}");
    // Paths are shown as the user gave them.
    assert!(
        out.stderr.contains("--> ../shared/corpus/"),
        "{}",
        &out.stderr[..out.stderr.len().min(2000)]
    );
}

#[test]
fn validate_the_project_itself() {
    let p = Project::new();
    let out = p.coord(&["validate"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("validated 1 mission, 3 agent files: 0 errors"),
        "{out:?}"
    );
}

#[test]
fn run_the_main_job_with_rule_agents() {
    let p = Project::new();
    let out = p.coord(&[
        "sales-plan-development",
        "examples/solo-consultant/",
        "--out",
        "runs/one",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    for f in [
        "plan.md",
        "plan.json",
        "summary.json",
        "events.jsonl",
        "run.json",
        "sales-plan-development.md",
        "sales-plan.md",
        "sales-plan.json",
    ] {
        assert!(p.path("runs/one").join(f).is_file(), "{f} missing");
    }
    // Phase-by-phase progress, plain lines off a terminal, then the short summary.
    assert!(
        out.stderr
            .contains("[1/3] Phase 1: Sales Initiatives and Strategy Development"),
        "{out:?}"
    );
    assert!(out.stderr.contains("ok @revenue-operations (support)"));
    assert!(
        !out.stderr.contains('\u{1b}'),
        "no escape codes off a terminal"
    );
    assert!(
        out.stdout.contains("criteria: 8 passed, 0 failed"),
        "{out:?}"
    );
    assert!(out.stdout.contains("target $160,000"), "{out:?}");
    assert!(out.stdout.contains("14 deals"), "{out:?}");
    assert!(out.stdout.contains("202 prospects"), "{out:?}");
    assert!(out.stdout.contains("h/week"), "{out:?}");
    assert!(out.stdout.contains("sales-plan.md"), "{out:?}");
    let md = std::fs::read_to_string(p.path("runs/one/plan.md")).unwrap();
    assert!(md.starts_with("# Sales Plan Development\n"));
    assert!(md.contains("## Phase 3: Integration and Performance Framework"));
    // Same inputs, same bytes.
    let again = p.coord(&[
        "-q",
        "sales-plan-development",
        "examples/solo-consultant",
        "--out",
        "runs/two",
    ]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(again.stderr, "", "--quiet prints nothing on success");
    assert_eq!(again.stdout, "", "--quiet prints nothing on success");
    for f in ["plan.json", "plan.md", "sales-plan.json", "sales-plan.md"] {
        assert_eq!(
            std::fs::read(p.path("runs/one").join(f)).unwrap(),
            std::fs::read(p.path("runs/two").join(f)).unwrap(),
            "{f} differs between two runs"
        );
    }
    // Default run directory: runs/<timestamp>-<mission>.
    let third = p.coord(&[
        "-q",
        "run",
        "sales-plan-development",
        "examples/solo-consultant",
    ]);
    assert_eq!(third.code, 0, "{third:?}");
    let names: Vec<String> = std::fs::read_dir(p.path("runs"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    // `20261130T174455.123Z-3f9a-sales-plan-development`: milliseconds and a random suffix.
    let shaped = |n: &str| {
        let b = n.as_bytes();
        n.len() == "20261130T174455.123Z-3f9a-sales-plan-development".len()
            && n.ends_with("-sales-plan-development")
            && b[8] == b'T'
            && b[15] == b'.'
            && b[19] == b'Z'
            && n[21..25].bytes().all(|c| c.is_ascii_hexdigit())
    };
    assert!(names.iter().any(|n| shaped(n)), "{names:?}");
}

#[test]
fn an_impossible_target_is_said_plainly_and_exits_1() {
    let p = Project::new();
    let ctx = p.sales_context();
    p.write(
        "ctx/resource-constraints.md",
        "# Resource Constraints\n\n- Hours per week: 2\n- Team size: 1\n",
    );
    let out = p.coord(&[
        "sales-plan-development",
        &ctx.to_string_lossy(),
        "--out",
        "runs/x",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains("failed: Monthly execution planning"),
        "{out:?}"
    );
    assert!(out.stdout.contains("2.0 are available"), "{out:?}");
    let md = std::fs::read_to_string(p.path("runs/x/sales-plan.md")).unwrap();
    assert!(md.contains("Not reachable as stated — the limit is selling hours."));
    // Two hours a week fit no deal at all: the options say so, and none is absurd (a review
    // found "a longer period: about 2319911 months").
    assert!(
        md.contains("More selling hours:") && md.contains("Not one deal fits with 2.0 h a week"),
        "{md}"
    );
    assert!(
        !md.contains("Longer period:") && !md.contains("Lower target: $0"),
        "{md}"
    );
    // The gap is stated once, at the top; the body is the reachable plan.
    assert_eq!(md.matches("Not reachable as stated").count(), 1);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.path("runs/x/sales-plan.json")).unwrap()).unwrap();
    assert_eq!(json["feasibility"]["feasible"], false);
    assert!(json["feasibility"]["achievable_revenue"].as_f64().unwrap() < 240000.0);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.path("runs/x/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "criteria_failed");
}

#[test]
fn show_lists_the_facts_each_input_supplies() {
    let p = Project::new();
    let out = p.coord(&["show", "sales-plan-development"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains("     facts: revenue target, planning period"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("facts: hours per week for selling, team size, sales budget")
    );
    assert!(out.stdout.contains("pipeline stages (**Stage N: Name**)"));
}

#[test]
fn plan_missions_and_agents() {
    let p = Project::new();
    p.sales_context();
    let out = p.coord(&["plan", "sales-plan-development", "ctx"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains("Phase 2: Pipeline Management System Design (45 minutes)")
    );
    assert!(
        out.stdout.contains("1. support @conversion-optimization"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("2. lead    @pipeline-management"));
    assert!(
        out.stdout
            .contains("bound     Sales Bible (required): ctx/sales-bible.md [title]"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.ends_with("Ready to run.\n"));
    assert!(!p.has_runs(), "plan runs nothing");

    let missing = p.coord(&["plan", "sales-plan-development", "ctx/sales-bible.md"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stdout
            .contains("MISSING   Business Objectives (required)")
    );

    let json = p.coord(&["plan", "sales-plan-development", "ctx", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        v["phases"][0]["lead"][0]["backend"],
        "rules:sales/conversion-optimization"
    );

    let m = p.coord(&["missions"]);
    assert_eq!(m.code, 0);
    assert!(
        m.stdout
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("sales-plan-development  Sales Plan Development"),
        "{m:?}"
    );

    let a = p.coord(&["agents"]);
    assert_eq!(a.code, 0, "{a:?}");
    for n in [
        "conversion-optimization",
        "pipeline-management",
        "revenue-operations",
    ] {
        assert!(a.stdout.contains(&n.to_string()), "{a:?}");
    }
    assert!(
        a.stdout
            .contains("pipeline-management      rules:sales/pipeline-management      agents/pipeline-management.md"),
        "{a:?}"
    );
}

#[test]
fn help_for_every_command() {
    let p = Project::new();
    let top = p.coord(&["--help"]);
    assert_eq!(top.code, 0);
    assert!(top.stdout.contains("Examples:") && top.stdout.contains("Exit codes:"));
    for c in [
        "run", "missions", "show", "plan", "agents", "validate", "resume",
    ] {
        let h = p.coord(&[c, "--help"]);
        assert_eq!(h.code, 0, "{c}: {h:?}");
        assert!(h.stdout.contains("Example"), "{c} help has no example");
    }
    let v = p.coord(&["--version"]);
    assert!(v.stdout.starts_with("coord "));
}

/// The sales pack finds its steps by the phases' names and agents: a renamed file with its
/// phases reordered still gives the same Sales Plan, and a mission that keeps the name but loses
/// an agent the pack needs is told why the pack does not run.
#[test]
fn the_sales_pack_binds_by_declaration_not_position_or_file_name() {
    let p = Project::new();
    let seed = std::fs::read_to_string(p.path("missions/sales/sales-plan-development.md")).unwrap();
    let one = seed.find("### Phase 1:").unwrap();
    let two = seed.find("### Phase 2:").unwrap();
    let three = seed.find("### Phase 3:").unwrap();
    let reordered = format!(
        "{}{}{}{}",
        &seed[..one],
        seed[two..three].replace("Phase 2:", "Phase 1:"),
        seed[one..two].replace("Phase 1:", "Phase 2:"),
        &seed[three..]
    );
    p.write("missions/sales/our-revenue-playbook.md", &reordered);
    let base = ["examples/solo-consultant/"];
    let normal = p.coord(
        &[
            &["-q", "sales-plan-development"][..],
            &base,
            &["--out", "runs/normal"],
        ]
        .concat(),
    );
    assert_eq!(normal.code, 0, "{normal:?}");
    let moved = p.coord(
        &[
            &["-q", "our-revenue-playbook"][..],
            &base,
            &["--out", "runs/moved"],
        ]
        .concat(),
    );
    assert_eq!(moved.code, 0, "{moved:?}");
    let plan = |dir: &str| std::fs::read_to_string(p.path(dir).join("sales-plan.md")).unwrap();
    assert_eq!(plan("runs/normal"), plan("runs/moved"));

    p.write(
        "missions/sales/sales-plan-development.md",
        &seed.replacen(
            "**Support**: @revenue-operations",
            "**Support**: @pipeline-management",
            1,
        ),
    );
    let unbound = p.coord(
        &[
            &["sales-plan-development"][..],
            &base,
            &["--out", "runs/unbound"],
        ]
        .concat(),
    );
    assert!(
        unbound.stderr.contains("the `sales-plan-development` pack does not run: no phase like “Sales Initiatives and Strategy Development” with @revenue-operations as support"),
        "{unbound:?}"
    );
    assert!(
        !p.path("runs/unbound/sales-plan.md").exists(),
        "{unbound:?}"
    );
}

/// The binary carries its missions and agents: from a directory with no `missions/` or `agents/`
/// (only the user's documents), the Sales Plan runs and gives the same bytes as in the project;
/// `coord missions` and `coord agents` say the definitions are built in.
#[test]
fn runs_from_any_directory_with_its_built_in_missions_and_agents() {
    let p = Project::new();
    let inside = p.coord(&[
        "-q",
        "sales-plan-development",
        "examples/solo-consultant",
        "--out",
        "runs/in",
    ]);
    assert_eq!(inside.code, 0, "{inside:?}");
    let elsewhere = tempfile::tempdir().unwrap();
    crate::support::copy_dir(
        &p.path("examples/solo-consultant"),
        &elsewhere.path().join("examples/solo-consultant"),
    );
    let out = crate::support::run_in(
        elsewhere.path(),
        &[
            "-q",
            "sales-plan-development",
            "examples/solo-consultant",
            "--out",
            "runs/out",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    for f in ["sales-plan.md", "sales-plan.json", "plan.md"] {
        assert_eq!(
            std::fs::read(p.path("runs/in").join(f)).unwrap(),
            std::fs::read(elsewhere.path().join("runs/out").join(f)).unwrap(),
            "{f} differs outside the project"
        );
    }
    let missions = crate::support::run_in(elsewhere.path(), &["missions", "--json"]);
    assert!(
        missions
            .stdout
            .contains("built-in:missions/sales/sales-plan-development.md"),
        "{missions:?}"
    );
    let agents = crate::support::run_in(elsewhere.path(), &["agents"]);
    assert!(agents.stdout.contains("built-in:agents/"), "{agents:?}");
}

/// Small corrections (issue 9): a named file that is not a mission is an error, not "1 mission";
/// a replay of a run with nothing recorded is refused unless asked for; every benchmark key a
/// plan cites is listed with its source.
#[test]
fn validate_replay_and_sources_say_what_they_do() {
    let p = Project::new();
    p.write("notes.md", "# Notes\n\nJust some notes.\n");
    let v = p.coord(&["validate", "notes.md"]);
    assert_eq!(v.code, 2, "{v:?}");
    assert!(v.stderr.contains("not a mission"), "{v:?}");
    let run = p.coord(&[
        "-q",
        "sales-plan-development",
        "examples/solo-consultant",
        "--out",
        "runs/a",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let refused = p.coord(&["replay", "runs/a", "--out", "runs/b"]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused.stderr.contains("has no cassette.jsonl"),
        "{refused:?}"
    );
    assert!(!p.path("runs/b").exists(), "nothing written when refused");
    let live = p.coord(&["-q", "replay", "runs/a", "--out", "runs/c", "--allow-live"]);
    assert_eq!(live.code, 0, "{live:?}");
    let md = std::fs::read_to_string(p.path("runs/a/sales-plan.md")).unwrap();
    let sources = md
        .split("\n## Sources\n")
        .nth(1)
        .expect("a Sources section");
    let mut cited = 0;
    for (i, _) in md.match_indices("(S") {
        let key: String = md[i + 1..]
            .chars()
            .take_while(|c| *c == 'S' || c.is_ascii_digit())
            .collect();
        if key.len() > 1 {
            cited += 1;
            assert!(
                sources.contains(&format!("- {key}: ")),
                "{key} is cited but not listed"
            );
        }
    }
    assert!(cited > 5, "the plan cites its benchmarks");
}

/// CLI conventions (issue 9): the result on stdout and progress on stderr; a JSON result for
/// scripts; NO_COLOR and --color never on a terminal; shell completions bash accepts; a man page;
/// a mistyped command is named.
#[test]
fn the_cli_keeps_the_conventions_of_rust_tools() {
    let p = Project::new();
    let json = p.coord(&[
        "--message-format",
        "json",
        "sales-plan-development",
        "examples/solo-consultant",
        "--out",
        "runs/j",
    ]);
    assert_eq!(json.code, 0, "{json:?}");
    let v: serde_json::Value =
        serde_json::from_str(&json.stdout).expect("stdout is one JSON object");
    assert!(v["run_dir"].as_str().unwrap().ends_with("runs/j"), "{v}");
    assert_eq!(v["status"], "completed");
    assert_eq!(v["exit_code"], 0);
    assert_eq!(v["criteria"]["passed"], 8);
    assert!(
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.as_str().unwrap().ends_with("sales-plan.md"))
    );
    assert!(
        json.stderr.contains("[1/3]"),
        "progress stays on stderr: {json:?}"
    );

    let comp = p.coord(&["completions", "bash"]);
    assert_eq!(comp.code, 0, "{comp:?}");
    let script = p.write("coord.bash", &comp.stdout);
    let bash = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(bash.success(), "bash rejects the completion script");
    let man = p.coord(&["man"]);
    assert!(
        man.stdout.starts_with(".ie") && man.stdout.contains(".TH coord 1"),
        "{man:?}"
    );
    let typo = p.coord(&["shwo"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr
            .contains("did you mean the command `coord show`"),
        "{typo:?}"
    );

    // On a pseudo-terminal (util-linux `script`): colours by default, none with NO_COLOR or
    // --color never.
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        return crate::skip::skip(
            "the_cli_keeps_the_conventions_of_rust_tools (pseudo-terminal part)",
            "`script` (util-linux) is not installed",
        );
    }
    let bin = env!("CARGO_BIN_EXE_coord");
    let on_tty = |env: &[(&str, &str)], flags: &str, out: &str| {
        let cmd =
            format!("{bin} {flags} sales-plan-development examples/solo-consultant --out {out}");
        let o = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(p.path(""))
            .env_remove("NO_COLOR")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert!(
        on_tty(&[], "", "runs/t1").contains('\u{1b}'),
        "a terminal gets colours"
    );
    assert!(
        !on_tty(&[("NO_COLOR", "1")], "", "runs/t2").contains('\u{1b}'),
        "NO_COLOR"
    );
    assert!(
        !on_tty(&[], "--color never", "runs/t3").contains('\u{1b}'),
        "--color never"
    );
}

/// Settings (issue 9): the user's coord.toml in the platform's config directory applies in every
/// project, and a project's own coord.toml overrides it.
#[test]
fn a_user_config_applies_below_the_projects() {
    let p = Project::new();
    p.write("xdg/coord/coord.toml", "[paths]\nruns = \"user-runs\"\n");
    let xdg = p.path("xdg");
    let env = [("XDG_CONFIG_HOME", xdg.to_str().unwrap())];
    let args = ["-q", "sales-plan-development", "examples/solo-consultant"];
    let out = crate::support::run_with_env(p.path("").as_path(), &args, &env);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        p.path("user-runs").is_dir(),
        "the user's runs folder is used"
    );
    p.write("coord.toml", "[paths]\nruns = \"project-runs\"\n");
    let out = crate::support::run_with_env(p.path("").as_path(), &args, &env);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(p.path("project-runs").is_dir(), "the project's file wins");
    p.write("xdg/coord/coord.toml", "[paths\n");
    let bad = crate::support::run_with_env(p.path("").as_path(), &args, &env);
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(
        bad.stderr.contains("coord/coord.toml"),
        "the user's file is named: {bad:?}"
    );
}

/// A run killed before it recorded its request has no run.json: resume says so and how to start
/// again, instead of a bare "No such file".
#[test]
fn resume_of_a_directory_without_run_json_says_what_to_do() {
    let p = Project::new();
    p.write("runs/k/events.jsonl", "");
    let out = p.coord(&["resume", "runs/k"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("has no run.json"), "{out:?}");
    assert!(
        out.stderr.contains("start the mission again with `--out"),
        "{out:?}"
    );
}
