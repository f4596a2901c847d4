//! Bad input: one-screen errors with the path (and line), the documented exit code, and no run
//! directory left behind.

use crate::support::Project;
use async_trait::async_trait;
use coord_core::{Agent, AgentError, Contribution, KeySpec, Role, Task};
use std::sync::{Arc, Mutex};

fn assert_input_error(p: &Project, out: &crate::support::Out, needles: &[&str]) {
    assert_eq!(out.code, 2, "{out:?}");
    for n in needles {
        assert!(out.stderr.contains(n), "missing {n:?} in {out:?}");
    }
    assert!(
        out.stderr.lines().count() <= 25,
        "more than a screen: {out:?}"
    );
    assert!(!p.has_runs(), "a run directory was written");
}

#[test]
fn missing_mission() {
    let p = Project::new();
    let out = p.coord(&["sales-plan-developmnt", "x.md"]);
    assert_input_error(
        &p,
        &out,
        &[
            "no mission `sales-plan-developmnt`",
            "did you mean `sales-plan-development`",
            "missions",
        ],
    );
    let out = p.coord(&["nowhere/mission.md"]);
    assert_input_error(&p, &out, &["no mission `nowhere/mission.md`"]);
}

#[test]
fn unreadable_files() {
    let p = Project::new();
    std::fs::create_dir_all(p.path("dir.md")).unwrap();
    let out = p.coord(&["show", "missions/../dir.md/"]);
    assert_eq!(out.code, 2, "{out:?}");
    let ctx = p.sales_context();
    std::fs::write(ctx.join("notes.md"), b"ok\n\xff\xfe bad bytes\n").unwrap();
    let out = p.coord(&["sales-plan-development", "ctx"]);
    assert_input_error(&p, &out, &["notes.md:2", "not valid UTF-8"]);
    let out = p.coord(&[
        "sales-plan-development",
        "ctx/sales-bible.md",
        "missing-file.md",
    ]);
    assert_input_error(&p, &out, &["cannot read context file", "missing-file.md"]);
}

#[test]
fn mission_with_an_unknown_agent() {
    let p = Project::new();
    let seed = std::fs::read_to_string(p.path("missions/sales/sales-plan-development.md")).unwrap();
    p.write(
        "missions/typo.md",
        &seed.replacen(
            "**Lead**: @pipeline-management",
            "**Lead**: @pipline-management",
            1,
        ),
    );
    p.sales_context();
    let out = p.coord(&["typo", "ctx"]);
    assert_input_error(
        &p,
        &out,
        &[
            "unknown agent `@pipline-management`",
            "missions/typo.md:45:11",
            "did you mean `@pipeline-management`?",
        ],
    );
    let v = p.coord(&["validate", "missions/typo.md"]);
    assert_eq!(v.code, 2);
    assert!(v.stderr.contains("1 error"), "{v:?}");
}

#[test]
fn malformed_agent_front_matter() {
    let p = Project::new();
    p.write(
        "agents/pipeline-management.md",
        "---\nname: pipeline-management\ntools: [Read, Edit\nbackend: rules\n---\nbody\n",
    );
    p.sales_context();
    let out = p.coord(&["sales-plan-development", "ctx"]);
    assert_input_error(
        &p,
        &out,
        &["malformed front matter", "agents/pipeline-management.md:"],
    );
    let v = p.coord(&["validate"]);
    assert_eq!(v.code, 2, "{v:?}");
}

#[test]
fn config_file_with_a_bad_value() {
    let p = Project::new();
    p.sales_context();
    p.write(
        "coord.toml",
        "# settings\n[run]\nagent_timeout_secs = \"soon\"\n",
    );
    let out = p.coord(&["sales-plan-development", "ctx"]);
    assert_input_error(&p, &out, &["coord.toml:3", "agent_timeout_secs"]);
    p.write("coord.toml", "[run]\nagent_timeout = 5\n");
    let out = p.coord(&["plan", "sales-plan-development", "ctx"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stderr.contains("unknown setting `run.agent_timeout`"),
        "{out:?}"
    );
    std::fs::remove_file(p.path("coord.toml")).unwrap();
    let out = p.coord(&["--config", "nope.toml", "missions"]);
    assert_input_error(&p, &out, &["nope.toml"]);
}

#[test]
fn an_unreadable_fact_names_file_and_line() {
    let p = Project::new();
    p.sales_context();
    p.write(
        "ctx/business-objectives.md",
        "# Business Objectives\n\n- Planning period: 12 months\n- Revenue target: lots\n",
    );
    let out = p.coord(&["sales-plan-development", "ctx"]);
    assert_input_error(
        &p,
        &out,
        &[
            "cannot read the revenue target from `lots`",
            "ctx/business-objectives.md:4",
            "Revenue target: $240,000",
        ],
    );
    p.write(
        "ctx/business-objectives.md",
        "# Business Objectives\n\nWe want to grow.\n",
    );
    let out = p.coord(&["sales-plan-development", "ctx"]);
    assert_input_error(
        &p,
        &out,
        &["no revenue target found", "ctx/business-objectives.md"],
    );
    // A warning about another fact does not hide the missing target (a reviewer's plan for $0
    // passed every criterion).
    p.write(
        "ctx/business-objectives.md",
        "# Business Objectives\n\nWe want to grow.\n\n- Average deal size: $4,000\n- A typical new client comes in at about $2,800 a month.\n",
    );
    let out = p.coord(&["sales-plan-development", "ctx"]);
    assert_input_error(
        &p,
        &out,
        &["no revenue target found", "ctx/business-objectives.md"],
    );
}

#[test]
fn missing_required_inputs_stop_before_any_agent() {
    let p = Project::new();
    p.sales_context();
    let out = p.coord(&["sales-plan-development", "ctx/sales-bible.md"]);
    assert_input_error(
        &p,
        &out,
        &[
            // Foundation Documents can be done without (a note says what the plan loses).
            "missing required inputs for sales-plan-development: Business Objectives, Resource Constraints",
            "no file for Foundation Documents",
            "Business Objectives (required): Revenue targets",
            "--input \"Business Objectives=",
        ],
    );
    assert!(!out.stderr.contains("[1/3]"), "no agent ran");
    let out = p.coord(&[
        "sales-plan-development",
        "ctx",
        "--input",
        "Sales Bibel=ctx/sales-bible.md",
    ]);
    assert_input_error(&p, &out, &["`Sales Bibel`", "`Sales Bible`"]);
}

/// An agent type that never finishes in time.
struct Slow(String);

#[async_trait]
impl Agent for Slow {
    fn name(&self) -> &str {
        &self.0
    }
    fn backend(&self) -> &str {
        "slow"
    }
    fn declares(&self, _m: &coord_mission::Mission, p: usize, r: Role) -> Vec<KeySpec> {
        vec![KeySpec::single(format!("{p}/{}/{r}", self.0))]
    }
    async fn run(&self, _t: &Task) -> Result<Contribution, AgentError> {
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        Ok(Contribution::default())
    }
}

#[test]
fn an_agent_over_its_timeout_exits_3_naming_phase_and_agent() {
    let p = Project::new();
    p.sales_context();
    let text = std::fs::read_to_string(p.path("agents/revenue-operations.md")).unwrap();
    p.write(
        "agents/revenue-operations.md",
        &text.replace("backend: rules", "backend: slow"),
    );
    let mut registry = coord::default_registry();
    registry.register_backend("slow", |spec, _| {
        Ok(Arc::new(Slow(spec.name.clone())) as Arc<dyn Agent>)
    });
    let err = Arc::new(Mutex::new(Vec::<u8>::new()));
    let err_w: Box<dyn std::io::Write + Send> = Box::new(SharedBuf(err.clone()));
    let mut out = Vec::new();
    let code = coord::run(
        [
            "coord",
            "sales-plan-development",
            "ctx",
            "--agent-timeout",
            "0.2",
            "--out",
            "runs/t",
        ]
        .map(Into::into),
        registry,
        coord::Io {
            out: &mut out,
            err: Arc::new(Mutex::new(err_w)),
            tty: false,
            cwd: p.dir.path().to_path_buf(),
            env: vec![],
        },
    );
    let stderr = String::from_utf8(err.lock().unwrap().clone()).unwrap();
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("agent `@revenue-operations` (support) timed out after 0.2 s in Phase 1: Sales Initiatives and Strategy Development"),
        "{stderr}"
    );
    assert!(stderr.contains("coord resume"), "{stderr}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.path("runs/t/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["exit_code"], 3);
}

struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for SharedBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
