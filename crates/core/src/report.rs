//! Assembling a run's documents from the blackboard: `plan.md` (the mission's deliverables in
//! phase order), `plan.json` (the same as data, with provenance) and `summary.json` (how the run
//! went). `plan.md` and `plan.json` hold no timestamps or timings, so the same inputs give the
//! same bytes; everything time-dependent lives in `summary.json` and the event log.

use crate::blackboard::{BoardView, Entry};
use crate::coordinator::AgentStat;
use crate::criteria::{Status, Verdict};
use crate::events::RunStatus;
use crate::plan::{Plan, PlanSummary};
use serde::Serialize;
use std::fmt::Write as _;

/// Version of `plan.json` and `summary.json`.
pub const REPORT_VERSION: u32 = 1;

/// A document a mission pack adds to the run directory (e.g. `sales-plan.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// File name inside the run directory.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// `plan.json`.
#[derive(Debug, Clone, Serialize)]
pub struct PlanJson<'a> {
    /// `coord-plan`.
    pub format: &'static str,
    /// [`REPORT_VERSION`].
    pub version: u32,
    /// Mission, phases, agents and inputs.
    pub plan: PlanSummary,
    /// Every blackboard entry with provenance.
    pub blackboard: &'a [Entry],
    /// The current view: key → value, in key order.
    pub view: std::collections::BTreeMap<String, serde_json::Value>,
    /// Success criteria verdicts.
    pub criteria: &'a [Verdict],
}

/// Builds `plan.json`.
pub fn plan_json(plan: &Plan, board: &BoardView, verdicts: &[Verdict]) -> Vec<u8> {
    let mut view = std::collections::BTreeMap::new();
    for e in board.entries() {
        if !view.contains_key(&e.key)
            && let Some(v) = board.get(&e.key)
        {
            view.insert(e.key.clone(), v);
        }
    }
    let doc = PlanJson {
        format: "coord-plan",
        version: REPORT_VERSION,
        plan: plan.summary(),
        blackboard: board.entries(),
        view,
        criteria: verdicts,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

/// Builds `plan.md`: title, objective, each phase's current entries, the criteria checklist.
pub fn plan_markdown(plan: &Plan, board: &BoardView, verdicts: &[Verdict]) -> Vec<u8> {
    let m = &plan.mission;
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", m.title);
    let mut facts = Vec::new();
    if let Some(t) = &m.mission_type {
        facts.push(format!("**Mission type:** {t}"));
    }
    if let Some(d) = m.total_duration() {
        facts.push(format!("**Duration:** {}", d.display_minutes()));
    }
    facts.push(format!("**Phases:** {}", m.phases.len()));
    let _ = writeln!(md, "{}\n", facts.join(" · "));
    if let Some(o) = &m.objective {
        let _ = writeln!(md, "## Objective\n\n{o}\n");
    }
    if !m.inputs.is_empty() {
        let _ = writeln!(md, "## Inputs\n");
        for i in &m.inputs {
            let files: Vec<String> = plan
                .inputs
                .files(&i.name)
                .iter()
                .map(|b| format!("`{}`", b.file.path.display()))
                .collect();
            let bound = if files.is_empty() {
                "not provided".to_string()
            } else {
                files.join(", ")
            };
            let _ = writeln!(md, "- **{}** ({}): {bound}", i.name, i.flag.as_str());
        }
        md.push('\n');
    }
    let current = board.current_entries();
    for p in &plan.phases {
        let ph = &m.phases[p.index];
        let _ = writeln!(md, "## {}\n", ph.label());
        let names = |v: &[crate::plan::PlannedAgent]| {
            v.iter()
                .map(|a| format!("@{}", a.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut roles = format!("*Lead: {}*", names(&p.leads));
        if !p.supports.is_empty() {
            let _ = write!(roles, " · *Support: {}*", names(&p.supports));
        }
        let _ = writeln!(md, "{roles}\n");
        for e in current.iter().filter(|e| e.phase == p.index) {
            if !e.markdown.trim().is_empty() {
                let _ = writeln!(md, "{}\n", e.markdown.trim_end());
            }
        }
    }
    if !verdicts.is_empty() {
        let _ = writeln!(md, "## Success Criteria\n");
        for v in verdicts {
            let mark = match v.status {
                Status::Passed => "[x]",
                Status::Failed => "[ ]",
                Status::Unchecked => "[?]",
            };
            let _ = writeln!(md, "- {mark} {} — {}", v.criterion, v.evidence);
        }
    }
    let mut s = md.trim_end().to_string();
    s.push('\n');
    s.into_bytes()
}

/// `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// `coord-summary`.
    pub format: &'static str,
    /// [`REPORT_VERSION`].
    pub version: u32,
    /// Run directory name.
    pub run_id: String,
    /// Mission name.
    pub mission: String,
    /// How it ended.
    pub status: RunStatus,
    /// The process exit code for this status.
    pub exit_code: i32,
    /// When the run started (RFC 3339).
    pub started_at: String,
    /// When it finished.
    pub finished_at: String,
    /// Wall time of this invocation.
    pub elapsed_ms: u64,
    /// Per agent step.
    pub agents: Vec<AgentStat>,
    /// Criteria counts.
    pub criteria: CriteriaCounts,
    /// Files written, relative to the run directory.
    pub files: Vec<String>,
    /// The error, when the run failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// LLM calls, tokens and cost of the whole run (per agent step under `agents`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub llm: Option<crate::agent::Usage>,
    /// The mission pack's key numbers (what the terminal showed), for `coord batch`'s table.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<String>,
}

/// Criteria counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CriteriaCounts {
    /// Passed.
    pub passed: usize,
    /// Failed.
    pub failed: usize,
    /// Not checked automatically.
    pub unchecked: usize,
}

impl CriteriaCounts {
    /// Counts verdicts.
    pub fn of(verdicts: &[Verdict]) -> Self {
        let mut c = Self::default();
        for v in verdicts {
            match v.status {
                Status::Passed => c.passed += 1,
                Status::Failed => c.failed += 1,
                Status::Unchecked => c.unchecked += 1,
            }
        }
        c
    }
}
