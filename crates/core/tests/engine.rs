//! The engine end to end through its public API, with an agent type written here and plugged in
//! through the registry: routing order, concurrency, provenance, the event log, outputs,
//! determinism, timeouts, plan-time key checks, cancellation and resume.

use async_trait::async_trait;
use coord_core::config::Settings;
use coord_core::events::{Event, EventSink};
use coord_core::{
    Agent, AgentError, BackendChoice, Contribution, Error, KeySpec, MergePolicy, Registry, Role,
    RunError, RunRequest, Task,
};
use coord_mission::Mission;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const MISSION: &str = "# Mission: Test Mission 🧪

**Duration:** 60 minutes

## Mission Objective

Exercise the coordinator.

## Required Inputs

1. **Brief** (required) - What to work on

## Mission Phases

### Phase 1: Gather (20 minutes)

**Lead**: @alpha
**Support**: @beta, @gamma
**Objective**: Collect facts

```bash
@alpha Gather:
1. Read the brief
2. List the facts
```

**Deliverables**:
- Fact list

### Phase 2: Decide (40 minutes)

**Lead**: @beta
**Support**: @alpha
**Objective**: Decide

## Success Criteria

- [ ] Facts gathered
";

/// Shared record of what agents did, in the order they did it.
#[derive(Default)]
struct Journal(Mutex<Vec<String>>);

/// A test agent: sleeps, then writes its own key plus an appended note. With `slow_phase`, it
/// sleeps 10 s in that phase (for timeouts).
struct Scripted {
    name: String,
    delay: Duration,
    journal: Arc<Journal>,
    slow_phase: Option<usize>,
    undeclared: bool,
}

#[async_trait]
impl Agent for Scripted {
    fn name(&self) -> &str {
        &self.name
    }
    fn backend(&self) -> &str {
        "scripted"
    }
    fn declares(&self, _m: &Mission, phase: usize, role: Role) -> Vec<KeySpec> {
        vec![
            KeySpec::single(format!("p{phase}/{}/{role}", self.name)),
            KeySpec::new("notes", MergePolicy::Append),
        ]
    }
    async fn run(&self, task: &Task) -> Result<Contribution, AgentError> {
        self.journal.0.lock().unwrap().push(format!(
            "start {} {} p{}",
            self.name, task.role, task.phase_index
        ));
        // Supports take `delay`; leads are instant, so phase timings isolate the supports.
        let delay = if self.slow_phase == Some(task.phase_index) {
            Duration::from_secs(10)
        } else if task.role == Role::Support {
            self.delay
        } else {
            Duration::ZERO
        };
        tokio::time::sleep(delay).await;
        let seen: Vec<String> = task.board.entries().iter().map(|e| e.key.clone()).collect();
        self.journal.0.lock().unwrap().push(format!(
            "end {} {} p{}",
            self.name, task.role, task.phase_index
        ));
        let mut c = Contribution::default();
        let key = if self.undeclared {
            "not-declared".to_string()
        } else {
            format!("p{}/{}/{}", task.phase_index, self.name, task.role)
        };
        c.push(
            key,
            json!({"agent": self.name, "saw": seen, "brief": task.inputs.files("Brief").len()}),
            format!(
                "{} did {} work in {}",
                self.name,
                task.role,
                task.phase().name
            ),
        );
        c.push(
            "notes",
            json!(format!("{}:{}", self.name, task.phase_index)),
            String::new(),
        );
        Ok(c)
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    journal: Arc<Journal>,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("missions")).unwrap();
        std::fs::create_dir_all(dir.path().join("agents")).unwrap();
        std::fs::write(dir.path().join("missions/test-mission.md"), MISSION).unwrap();
        for a in ["alpha", "beta", "gamma"] {
            std::fs::write(
                dir.path().join(format!("agents/{a}.md")),
                format!(
                    "---\nname: {a}\ndescription: {a} agent\nbackend: scripted\n---\nYou are {a}.\n"
                ),
            )
            .unwrap();
        }
        std::fs::write(dir.path().join("brief.md"), "# Brief\nDo it.\n").unwrap();
        Self {
            dir,
            journal: Arc::new(Journal::default()),
        }
    }

    fn registry(
        &self,
        delay_ms: u64,
        slow: Option<(&'static str, usize)>,
        undeclared: bool,
    ) -> Registry {
        let mut r = Registry::new();
        let journal = Arc::clone(&self.journal);
        r.register_backend("scripted", move |spec, _| {
            Ok(Arc::new(Scripted {
                name: spec.name.clone(),
                delay: Duration::from_millis(delay_ms),
                journal: Arc::clone(&journal),
                slow_phase: slow.filter(|(n, _)| *n == spec.name).map(|(_, p)| p),
                undeclared: undeclared && spec.name == "gamma",
            }) as Arc<dyn Agent>)
        });
        r
    }

    fn request(&self, out: &str) -> RunRequest {
        RunRequest {
            mission: "test-mission".into(),
            context: vec![PathBuf::from("brief.md")],
            out: Some(PathBuf::from(out)),
            cwd: self.dir.path().to_path_buf(),
            ..RunRequest::default()
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

#[derive(Default)]
struct Recorder(Mutex<Vec<Event>>);

impl EventSink for Recorder {
    fn emit(&self, e: &Event) {
        self.0.lock().unwrap().push(e.clone());
    }
}

fn settings(timeout: f64) -> Settings {
    let mut s = Settings::defaults();
    s.run.agent_timeout_secs = timeout;
    s
}

async fn run(
    f: &Fixture,
    reg: &Registry,
    out: &str,
    timeout: f64,
    cancel: CancellationToken,
) -> (Result<coord_core::RunReport, Error>, Arc<Recorder>) {
    let s = settings(timeout);
    let req = f.request(out);
    let prepared = coord_core::prepare(&req, &s, reg).expect("plan");
    let rec = Arc::new(Recorder::default());
    let r = coord_core::execute(prepared, &req, &s, reg, rec.clone(), cancel).await;
    (r, rec)
}

#[tokio::test]
async fn runs_a_mission_through_a_plugged_in_agent_type() {
    let f = Fixture::new();
    let reg = f.registry(5, None, false);
    let (r, rec) = run(&f, &reg, "run-a", 30.0, CancellationToken::new()).await;
    let report = r.expect("run");
    assert_eq!(report.status, coord_core::RunStatus::Completed);

    // Routing: in each phase every support starts and ends before the lead starts.
    let j = f.journal.0.lock().unwrap().clone();
    let pos = |s: &str| {
        j.iter()
            .position(|x| x == s)
            .unwrap_or_else(|| panic!("{s} not in {j:?}"))
    };
    assert!(pos("end beta support p0") < pos("start alpha lead p0"));
    assert!(pos("end gamma support p0") < pos("start alpha lead p0"));
    assert!(pos("end alpha lead p0") < pos("start alpha support p1"));
    assert!(pos("end alpha support p1") < pos("start beta lead p1"));

    // Blackboard provenance, in a fixed order: supports in mission order, then the lead.
    let plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.path("run-a/plan.json")).unwrap()).unwrap();
    let board = plan["blackboard"].as_array().unwrap();
    let prov: Vec<(String, String, String, u64)> = board
        .iter()
        .filter(|e| e["key"] != "notes")
        .map(|e| {
            (
                e["author"].as_str().unwrap().to_string(),
                e["role"].as_str().unwrap().to_string(),
                e["key"].as_str().unwrap().to_string(),
                e["phase"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        prov,
        [
            ("beta".into(), "support".into(), "p0/beta/support".into(), 0),
            (
                "gamma".into(),
                "support".into(),
                "p0/gamma/support".into(),
                0
            ),
            ("alpha".into(), "lead".into(), "p0/alpha/lead".into(), 0),
            (
                "alpha".into(),
                "support".into(),
                "p1/alpha/support".into(),
                1
            ),
            ("beta".into(), "lead".into(), "p1/beta/lead".into(), 1),
        ]
    );
    let seqs: Vec<u64> = board.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (0..10).collect::<Vec<_>>());
    // The lead saw its supports' entries; the append key merged every note in order.
    assert_eq!(
        plan["view"]["p0/alpha/lead"]["saw"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        plan["view"]["p0/alpha/lead"]["brief"], 1,
        "the brief was bound to its input"
    );
    assert_eq!(
        plan["view"]["notes"],
        json!(["beta:0", "gamma:0", "alpha:0", "alpha:1", "beta:1"])
    );
    assert_eq!(plan["criteria"][0]["status"], "unchecked");

    // The event log: versioned header, then the run's events in order.
    let log = std::fs::read_to_string(f.path("run-a/events.jsonl")).unwrap();
    let mut lines = log.lines();
    let header: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(
        (header["format"].as_str(), header["version"].as_u64()),
        (Some("coord-events"), Some(1))
    );
    let kinds: Vec<String> = lines
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["event"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(kinds.first().map(String::as_str), Some("run_started"));
    assert_eq!(kinds.last().map(String::as_str), Some("run_finished"));
    assert_eq!(kinds.iter().filter(|k| *k == "agent_finished").count(), 5);
    assert_eq!(
        rec.0.lock().unwrap().len(),
        kinds.len(),
        "the sink saw what the log holds"
    );

    // The written outputs.
    let md = std::fs::read_to_string(f.path("run-a/plan.md")).unwrap();
    assert!(md.starts_with("# Test Mission\n"));
    let p1 = md.find("## Phase 1: Gather").unwrap();
    let p2 = md.find("## Phase 2: Decide").unwrap();
    let lead1 = md.find("alpha did lead work in Gather").unwrap();
    assert!(p1 < lead1 && lead1 < p2);
    assert!(md.contains("- [?] Facts gathered"));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.path("run-a/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "completed");
    assert_eq!(summary["exit_code"], 0);

    // Determinism: a second run gives the same plan.json and plan.md, byte for byte.
    let (r2, _) = run(&f, &reg, "run-b", 30.0, CancellationToken::new()).await;
    r2.expect("second run");
    assert_eq!(
        std::fs::read(f.path("run-a/plan.json")).unwrap(),
        std::fs::read(f.path("run-b/plan.json")).unwrap()
    );
    assert_eq!(
        std::fs::read(f.path("run-a/plan.md")).unwrap(),
        std::fs::read(f.path("run-b/plan.md")).unwrap()
    );
}

#[tokio::test(start_paused = true)]
async fn support_agents_of_a_phase_run_concurrently() {
    let f = Fixture::new();
    let reg = f.registry(200, None, false);
    let t0 = tokio::time::Instant::now();
    let (r, rec) = run(&f, &reg, "run", 30.0, CancellationToken::new()).await;
    r.expect("run");
    // Phase 1: beta and gamma (200 ms each, together); phase 2: alpha (200 ms). Leads are
    // instant. Sequential supports would take 600 ms of (virtual) time.
    assert_eq!(t0.elapsed(), Duration::from_millis(400));
    let ev = rec.0.lock().unwrap();
    let started: Vec<usize> = ev
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            matches!(
                e,
                Event::AgentStarted {
                    phase: 0,
                    role: Role::Support,
                    ..
                }
            )
        })
        .map(|(i, _)| i)
        .collect();
    let first_finish = ev
        .iter()
        .position(|e| matches!(e, Event::AgentFinished { phase: 0, .. }))
        .unwrap();
    assert_eq!(started.len(), 2);
    assert!(
        started.iter().all(|&s| s < first_finish),
        "both supports start before either finishes"
    );
}

#[tokio::test]
async fn support_agents_overlap_in_real_time() {
    let f = Fixture::new();
    let reg = f.registry(200, None, false);
    let (r, rec) = run(&f, &reg, "run", 30.0, CancellationToken::new()).await;
    r.expect("run");
    // Phase 1 = two 200 ms supports, together, and an instant lead: ~200 ms; sequential ≥ 400 ms.
    let phase1 = rec
        .0
        .lock()
        .unwrap()
        .iter()
        .find_map(|e| match e {
            Event::PhaseFinished {
                phase: 0,
                elapsed_ms,
            } => Some(*elapsed_ms),
            _ => None,
        })
        .unwrap();
    assert!((200..360).contains(&phase1), "phase 1 took {phase1} ms");
    let supports: Vec<u64> = rec
        .0
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            Event::AgentFinished {
                phase: 0,
                role: Role::Support,
                elapsed_ms,
                ..
            } => Some(*elapsed_ms),
            _ => None,
        })
        .collect();
    assert_eq!(supports.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn an_agent_over_its_timeout_fails_the_run_naming_phase_and_agent() {
    let f = Fixture::new();
    let reg = f.registry(1, Some(("gamma", 0)), false);
    let (r, rec) = run(&f, &reg, "run", 0.5, CancellationToken::new()).await;
    let e = r.unwrap_err();
    assert_eq!(e.class(), coord_core::ErrorClass::Agent);
    let msg = e.to_string();
    assert!(
        msg.contains("@gamma") && msg.contains("Phase 1: Gather") && msg.contains("timed out"),
        "{msg}"
    );
    assert!(
        matches!(&e, Error::Run { source, .. } if matches!(**source, RunError::Timeout { .. }))
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.path("run/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "failed");
    assert_eq!(summary["exit_code"], 3);
    // Beta, the support before gamma, finished and is on the board (a resume skips it).
    assert_eq!(summary["agents"][0]["agent"], "beta");
    assert_eq!(summary["agents"].as_array().map(Vec::len), Some(1));
    assert!(
        !f.path("run/plan.md").exists(),
        "no half-finished plan is written"
    );
    assert!(
        rec.0
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, Event::AgentFailed { agent, .. } if agent == "gamma"))
    );
}

#[tokio::test]
async fn writing_an_undeclared_key_fails_without_touching_the_board() {
    let f = Fixture::new();
    let reg = f.registry(1, None, true);
    let (r, _) = run(&f, &reg, "run", 30.0, CancellationToken::new()).await;
    let msg = r.unwrap_err().to_string();
    assert!(
        msg.contains("@gamma") && msg.contains("not-declared") && msg.contains("not declared"),
        "{msg}"
    );
}

#[test]
fn conflicting_key_declarations_are_found_when_planning() {
    struct Greedy(String);
    #[async_trait]
    impl Agent for Greedy {
        fn name(&self) -> &str {
            &self.0
        }
        fn backend(&self) -> &str {
            "greedy"
        }
        fn declares(&self, _m: &Mission, _p: usize, _r: Role) -> Vec<KeySpec> {
            vec![KeySpec::single("the-plan")]
        }
        async fn run(&self, _t: &Task) -> Result<Contribution, AgentError> {
            Ok(Contribution::default())
        }
    }
    let f = Fixture::new();
    let mut reg = Registry::new();
    reg.register_backend("scripted", |spec, _| {
        Ok(Arc::new(Greedy(spec.name.clone())) as Arc<dyn Agent>)
    });
    let e = coord_core::prepare(&f.request("run"), &settings(30.0), &reg).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("`the-plan`") && msg.contains("single-writer"),
        "{msg}"
    );
    assert!(!f.path("run").exists(), "planning errors write nothing");
}

#[test]
fn unknown_backends_and_rule_sets_list_the_known_ones() {
    let f = Fixture::new();
    let e = coord_core::prepare(&f.request("run"), &settings(30.0), &Registry::new()).unwrap_err();
    assert!(
        e.to_string().contains("backend `scripted`")
            && e.to_string().contains("known backends: rules"),
        "{e}"
    );
    let mut req = f.request("run");
    req.backends = BackendChoice {
        all: Some("rules".into()),
        per_agent: [("beta".to_string(), "rules".to_string())].into(),
    };
    let mut s = settings(30.0);
    s.agents.default_rules = "nope".into();
    let e = coord_core::prepare(&req, &s, &Registry::new()).unwrap_err();
    assert!(
        e.to_string().contains("rule set `nope`") && e.to_string().contains("outline"),
        "{e}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_run_resumes_without_repeating_finished_steps() {
    let f = Fixture::new();
    let reg = f.registry(100, None, false);
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    // Cancel during phase 2's support (phase 1 takes 100 ms of virtual time).
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        c2.cancel();
    });
    let (r, _) = run(&f, &reg, "run", 30.0, cancel).await;
    let e = r.unwrap_err();
    assert_eq!(e.class(), coord_core::ErrorClass::Cancelled);
    let done_before = f
        .journal
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("end"))
        .count();
    assert_eq!(done_before, 3, "phase 1 finished before the cancel");
    f.journal.0.lock().unwrap().clear();

    let s = settings(30.0);
    let rec = Arc::new(Recorder::default());
    let report = coord_core::resume(
        &f.path("run"),
        &s,
        &reg,
        rec.clone(),
        CancellationToken::new(),
    )
    .await
    .expect("resume");
    assert_eq!(report.status, coord_core::RunStatus::Completed);
    let j = f.journal.0.lock().unwrap().clone();
    assert!(
        j.iter().all(|l| l.ends_with("p1")),
        "only phase 2 ran again: {j:?}"
    );
    // The resumed run's outputs equal an uninterrupted run's.
    let (r2, _) = run(&f, &reg, "fresh", 30.0, CancellationToken::new()).await;
    r2.unwrap();
    assert_eq!(
        std::fs::read(f.path("run/plan.json")).unwrap(),
        std::fs::read(f.path("fresh/plan.json")).unwrap()
    );
    let again = coord_core::resume(&f.path("run"), &s, &reg, rec, CancellationToken::new()).await;
    assert!(matches!(again, Err(Error::AlreadyFinished(_))));
    let _ = Path::new("");
}

#[tokio::test(start_paused = true)]
async fn a_phase_over_its_phase_timeout_fails_the_run() {
    let f = Fixture::new();
    let reg = f.registry(200, None, false);
    let mut s = settings(30.0);
    s.run.phase_timeout_secs = 0.1;
    let req = f.request("run");
    let prepared = coord_core::prepare(&req, &s, &reg).unwrap();
    let e = coord_core::execute(
        prepared,
        &req,
        &s,
        &reg,
        std::sync::Arc::new(coord_core::events::Discard),
        CancellationToken::new(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, Error::Run { source, .. } if matches!(**source, RunError::PhaseTimeout { .. })),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("Phase 1: Gather timed out after 0.1 s"),
        "{e}"
    );
}

/// Resumes the fixture's `run` directory with `reg`, 30 s agent timeout.
async fn resume_run(f: &Fixture, reg: &Registry) -> coord_core::RunReport {
    coord_core::resume(
        &f.path("run"),
        &settings(30.0),
        reg,
        Arc::new(Recorder::default()),
        CancellationToken::new(),
    )
    .await
    .expect("resume")
}

/// An agent that panics as a lead: the bug of a rule agent indexing past an LLM's short list.
struct Panicky;

#[async_trait]
impl Agent for Panicky {
    fn name(&self) -> &str {
        "alpha"
    }
    fn backend(&self) -> &str {
        "scripted"
    }
    fn declares(&self, _m: &Mission, phase: usize, role: Role) -> Vec<KeySpec> {
        vec![
            KeySpec::single(format!("p{phase}/alpha/{role}")),
            KeySpec::new("notes", MergePolicy::Append),
        ]
    }
    async fn run(&self, task: &Task) -> Result<Contribution, AgentError> {
        // What `checkpoints[i]` did with an LLM's empty list.
        let checkpoints: Vec<String> = task.board.get_as("checkpoints").unwrap_or_default();
        let first = checkpoints[task.phase_index].clone();
        Ok(Contribution::default()).inspect(|_| drop(first))
    }
}

#[tokio::test]
async fn a_panicking_lead_is_a_failed_step_and_the_run_resumes() {
    let f = Fixture::new();
    let good = f.registry(1, None, false);
    let mut bad = Registry::new();
    let journal = Arc::clone(&f.journal);
    bad.register_backend("scripted", move |spec, _| {
        Ok(if spec.name == "alpha" {
            Arc::new(Panicky) as Arc<dyn Agent>
        } else {
            Arc::new(Scripted {
                name: spec.name.clone(),
                delay: Duration::from_millis(1),
                journal: Arc::clone(&journal),
                slow_phase: None,
                undeclared: false,
            }) as Arc<dyn Agent>
        })
    });
    let (r, rec) = run(&f, &bad, "run", 30.0, CancellationToken::new()).await;
    let e = r.unwrap_err();
    assert_eq!(e.class(), coord_core::ErrorClass::Agent, "exit 3: {e}");
    let msg = e.to_string();
    assert!(
        msg.contains("@alpha") && msg.contains("(lead)") && msg.contains("Phase 1: Gather"),
        "{msg}"
    );
    assert!(
        msg.contains("panicked") && msg.contains("index out of bounds"),
        "{msg}"
    );
    assert!(
        rec.0
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, Event::AgentFailed { agent, .. } if agent == "alpha"))
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.path("run/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["exit_code"], 3);
    // Fixed, it resumes: the supports that finished are not asked again.
    f.journal.0.lock().unwrap().clear();
    let report = resume_run(&f, &good).await;
    assert_eq!(report.status, coord_core::RunStatus::Completed);
    let j = f.journal.0.lock().unwrap().clone();
    assert!(
        !j.iter().any(|l| l.contains("support p0")),
        "phase 1's supports are not repeated: {j:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_reply_that_arrived_before_the_run_stopped_is_not_asked_for_again() {
    let f = Fixture::new();
    // Beta (phase 1's first support) times out; gamma's reply has arrived by then.
    let slow = f.registry(1, Some(("beta", 0)), false);
    let (r, rec) = run(&f, &slow, "run", 0.5, CancellationToken::new()).await;
    assert!(r.is_err());
    assert!(
        rec.0.lock().unwrap().iter().any(
            |e| matches!(e, Event::AgentDelivered { agent, phase: 0, .. } if agent == "gamma")
        ),
        "gamma's reply is logged the moment it arrives"
    );
    f.journal.0.lock().unwrap().clear();
    let good = f.registry(1, None, false);
    resume_run(&f, &good).await;
    let j = f.journal.0.lock().unwrap().clone();
    assert!(
        !j.iter().any(|l| l.starts_with("start gamma support p0")),
        "gamma is not asked again: {j:?}"
    );
    assert!(
        j.iter().any(|l| l.starts_with("start beta support p0")),
        "{j:?}"
    );
    let (fresh, _) = run(&f, &good, "fresh", 30.0, CancellationToken::new()).await;
    fresh.unwrap();
    assert_eq!(
        std::fs::read(f.path("run/plan.json")).unwrap(),
        std::fs::read(f.path("fresh/plan.json")).unwrap(),
        "the board is in mission order, as in a run that was never stopped"
    );
}
