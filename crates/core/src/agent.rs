//! The `Agent` trait: what the coordinator routes phases to.
//!
//! One object-safe `async_trait` trait, held as `Arc<dyn Agent>`, so rule sets, the HTTP LLM agent
//! and agent types written by users all plug in the same way. An agent *returns* a
//! [`Contribution`]; it never writes the blackboard itself (only the coordinator does), and it
//! declares up front which keys it writes and how they merge, so conflicts are found when the plan
//! is built rather than in the middle of a run.

use crate::blackboard::{BoardView, MergePolicy};
use crate::inputs::Inputs;
use async_trait::async_trait;
use coord_mission::{Mission, Phase};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The part an agent plays in a phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs last in its phase and sees the support agents' contributions.
    Lead,
    /// Runs first, concurrently with the other support agents of the phase.
    Support,
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Role::Lead => "lead",
            Role::Support => "support",
        })
    }
}

/// A key an agent writes, with the merge policy it expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySpec {
    /// The blackboard key.
    pub key: String,
    /// How writes to it combine.
    pub policy: MergePolicy,
}

impl KeySpec {
    /// A key with one writer in the whole plan.
    pub fn single(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            policy: MergePolicy::SingleWriter,
        }
    }

    /// A key with the given policy.
    pub fn new(key: impl Into<String>, policy: MergePolicy) -> Self {
        Self {
            key: key.into(),
            policy,
        }
    }
}

/// Everything an agent is given for one phase.
#[derive(Clone)]
pub struct Task {
    /// The mission being run.
    pub mission: Arc<Mission>,
    /// Index of the phase in `mission.phases`.
    pub phase_index: usize,
    /// The agent's role in this phase.
    pub role: Role,
    /// The agent's name.
    pub agent: String,
    /// The mission's inputs, bound to context files.
    pub inputs: Arc<Inputs>,
    /// The mission variation chosen with `--variation` (its name as the mission spells it).
    pub variation: Option<String>,
    /// The blackboard as it stood when this agent started: earlier phases, and for a lead the
    /// contributions of this phase's support agents.
    pub board: BoardView,
    /// The run directory (for backends that keep files there, e.g. the run's LLM cassette).
    pub run_dir: Option<std::path::PathBuf>,
    /// The mission's pack, when one is registered (deliverable schemas for LLM agents).
    pub pack: Option<Arc<dyn crate::pack::MissionPack>>,
    /// The run's day, fixed when it started (never the wall clock of a later resume).
    pub today: jiff::civil::Date,
    /// The date documents carry, when the user gave one (`--date`).
    pub date: Option<jiff::civil::Date>,
}

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task")
            .field("mission", &self.mission.name)
            .field("phase_index", &self.phase_index)
            .field("role", &self.role)
            .field("agent", &self.agent)
            .finish()
    }
}

impl Task {
    /// The phase this task is about.
    pub fn phase(&self) -> &Phase {
        &self.mission.phases[self.phase_index]
    }
}

/// One value an agent delivers: a key, its JSON value and the Markdown it renders to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// Blackboard key; must be one the agent declared.
    pub key: String,
    /// Typed value.
    pub value: serde_json::Value,
    /// The value rendered for the finished document.
    pub markdown: String,
}

/// What an agent returns for a task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The values delivered, in the order they should appear.
    pub outputs: Vec<Output>,
    /// What the contribution cost, for backends that count (LLM calls).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// Why another backend did the step instead (an LLM agent's rule-set fallback: `no reply
    /// matched the schema after 3 attempts: …`); recorded in the event log and `summary.json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
}

/// Calls, tokens and cost of one agent step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Live calls.
    pub calls: u64,
    /// Calls served from a cassette (free).
    pub replayed: u64,
    /// Prompt tokens of live calls.
    pub prompt_tokens: u64,
    /// Completion tokens of live calls.
    pub completion_tokens: u64,
    /// Cost of live calls.
    pub cost: f64,
}

impl Usage {
    /// Adds another usage.
    pub fn add(&mut self, o: &Usage) {
        self.calls += o.calls;
        self.replayed += o.replayed;
        self.prompt_tokens += o.prompt_tokens;
        self.completion_tokens += o.completion_tokens;
        self.cost += o.cost;
    }
}

impl Contribution {
    /// Adds an output.
    pub fn push(
        &mut self,
        key: impl Into<String>,
        value: serde_json::Value,
        markdown: impl Into<String>,
    ) {
        self.outputs.push(Output {
            key: key.into(),
            value,
            markdown: markdown.into(),
        });
    }
}

/// Why an agent could not deliver.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AgentError {
    /// The agent's inputs do not allow it to do the work (missing or unreadable facts).
    #[error("{0}")]
    Input(String),
    /// A replayed call had no recording (exit code 4).
    #[error("{0}")]
    Replay(String),
    /// The backend failed (network, model, rule set).
    #[error("{message}")]
    Backend {
        /// What went wrong.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl AgentError {
    /// A backend failure with a message only.
    pub fn backend(message: impl Into<String>) -> Self {
        Self::Backend {
            message: message.into(),
            source: None,
        }
    }
}

/// A pluggable agent. Implement it for a new agent type and register a constructor with
/// [`crate::Registry::register_backend`].
#[async_trait]
pub trait Agent: Send + Sync {
    /// The agent's name (`pipeline-management`).
    fn name(&self) -> &str;

    /// The backend that runs it (`rules`, `llm`, or a custom kind), for plans and logs.
    fn backend(&self) -> &str;

    /// The keys this agent writes when it plays `role` in `phase`. Checked against every other
    /// agent's declarations when the plan is built.
    fn declares(&self, mission: &Mission, phase_index: usize, role: Role) -> Vec<KeySpec>;

    /// Does the work.
    async fn run(&self, task: &Task) -> Result<Contribution, AgentError>;
}

#[async_trait]
impl<T: Agent + ?Sized> Agent for Arc<T> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn backend(&self) -> &str {
        (**self).backend()
    }
    fn declares(&self, mission: &Mission, phase_index: usize, role: Role) -> Vec<KeySpec> {
        (**self).declares(mission, phase_index, role)
    }
    async fn run(&self, task: &Task) -> Result<Contribution, AgentError> {
        (**self).run(task).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Losing object safety breaks this build.
    #[allow(dead_code)]
    fn object_safe(_: Arc<dyn Agent>) {}
}
