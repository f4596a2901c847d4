//! Run events: what the coordinator reports as it works. The run store writes them to the event
//! log (the run's source of truth, used by `coord resume`); the CLI turns them into progress.

use crate::agent::Role;
use crate::blackboard::Entry;
use crate::criteria::Verdict;
use serde::{Deserialize, Serialize};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Every phase ran and no criterion failed.
    Completed,
    /// Every phase ran but a success criterion failed.
    CriteriaFailed,
    /// An agent failed or timed out.
    Failed,
    /// Stopped by the user (Ctrl-C); resumable.
    Cancelled,
}

/// One thing that happened during a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The run began (or resumed).
    RunStarted {
        /// The run directory's name.
        run_id: String,
        /// Mission name.
        mission: String,
        /// Mission title.
        title: String,
        /// Number of phases.
        phases: usize,
        /// True when continuing an earlier run.
        resumed: bool,
    },
    /// Resume found and repaired what an interrupted run left (a torn log line, temporary
    /// files), or finished what it had not written.
    Recovered {
        /// What was done, for the user.
        note: String,
    },
    /// A phase began.
    PhaseStarted {
        /// Phase index (0-based).
        phase: usize,
        /// `Phase 1: Name`.
        label: String,
    },
    /// An agent began work.
    AgentStarted {
        /// Phase index.
        phase: usize,
        /// Agent name.
        agent: String,
        /// Its role.
        role: Role,
    },
    /// An agent delivered; its entries are now on the blackboard.
    AgentFinished {
        /// Phase index.
        phase: usize,
        /// Agent name.
        agent: String,
        /// Its role.
        role: Role,
        /// Wall time.
        elapsed_ms: u64,
        /// The blackboard entries it produced.
        entries: Vec<Entry>,
        /// Why the agent's rule set did the step instead of its backend.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fallback: Option<String>,
    },
    /// A support agent's reply arrived. It is logged at once, so a run killed before the rest of
    /// its phase finishes keeps it (resume uses it instead of asking again); it goes on the board,
    /// in mission order, with the phase's other supports (`agent_finished`).
    AgentDelivered {
        /// Phase index.
        phase: usize,
        /// Agent name.
        agent: String,
        /// Its role.
        role: Role,
        /// Wall time.
        elapsed_ms: u64,
        /// What it delivered.
        contribution: crate::agent::Contribution,
    },
    /// An agent's work was already done in the run being resumed.
    AgentSkipped {
        /// Phase index.
        phase: usize,
        /// Agent name.
        agent: String,
        /// Its role.
        role: Role,
    },
    /// An agent failed; the run stops.
    AgentFailed {
        /// Phase index.
        phase: usize,
        /// Agent name.
        agent: String,
        /// Its role.
        role: Role,
        /// The error.
        error: String,
    },
    /// A phase finished.
    PhaseFinished {
        /// Phase index.
        phase: usize,
        /// Wall time.
        elapsed_ms: u64,
    },
    /// Success criteria were checked.
    CriteriaChecked {
        /// One verdict per criterion.
        verdicts: Vec<Verdict>,
    },
    /// The run ended.
    RunFinished {
        /// How.
        status: RunStatus,
        /// Wall time of this invocation.
        elapsed_ms: u64,
    },
}

/// Receives events. Implementations must be cheap; they run on the coordinator's task.
pub trait EventSink: Send + Sync {
    /// Handles one event.
    fn emit(&self, event: &Event);
}

/// Sends every event to several sinks, in order.
pub struct Fanout(pub Vec<std::sync::Arc<dyn EventSink>>);

impl EventSink for Fanout {
    fn emit(&self, event: &Event) {
        for s in &self.0 {
            s.emit(event);
        }
    }
}

/// Ignores events.
pub struct Discard;

impl EventSink for Discard {
    fn emit(&self, _event: &Event) {}
}
