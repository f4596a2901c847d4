//! Mission packs: what a mission needs beyond generic routing — input checks before the run,
//! success-criteria verdicts after it, and the mission's own finished documents.
//!
//! A pack declares the mission it serves and the steps it gives each agent
//! ([`crate::binding::Declaration`]); the registry hands it a mission only when every step binds
//! to a phase by name and agents. Missions without a pack still run: their inputs are only bound,
//! their criteria are reported `unchecked`, and the generic `plan.md`/`plan.json` are their
//! documents.

use crate::binding::Declaration;
use crate::blackboard::BoardView;
use crate::criteria::Verdict;
use crate::inputs::{ContextFile, Inputs};
use crate::report::Document;
use coord_mission::{Diagnostic, Mission};

/// A key fact the pack builds its documents on, with where it came from: shown on the terminal
/// before a run and by `coord plan`, and refused by `--strict` when defaulted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeyFact {
    /// `revenue target`.
    pub fact: String,
    /// The value that will be used.
    pub value: String,
    /// `file:line (label)`, or `default (...)`.
    pub source: String,
    /// True when no input gave it.
    pub defaulted: bool,
    /// For a defaulted fact: a line to add to an input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add: Option<String>,
    /// How the value was read (a range's end, a period normalised, a mapping).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The mission-specific parts of a run.
pub trait MissionPack: Send + Sync {
    /// The mission this pack serves and the steps it gives each agent.
    fn declaration(&self) -> Declaration;

    /// The JSON Schema of a key the pack's steps write, for agents (LLMs) that must deliver it.
    fn schema(&self, _key: &str) -> serde_json::Value {
        serde_json::json!({})
    }

    /// For `coord show`: the facts each input supplies, by input name.
    fn input_facts(&self, _mission: &Mission) -> Vec<(String, Vec<String>)> {
        Vec::new()
    }

    /// Checks the bound inputs before any agent starts. Errors stop the run (exit code 2).
    fn check_inputs(&self, _mission: &Mission, _inputs: &Inputs) -> Vec<Diagnostic> {
        Vec::new()
    }

    /// The key facts the bound inputs give (and the defaults for those they do not), for the
    /// chosen variation; `today` is the run's day (for defaults such as "next month").
    fn key_facts(
        &self,
        _mission: &Mission,
        _inputs: &Inputs,
        _variation: Option<&str>,
        _today: jiff::civil::Date,
    ) -> Vec<KeyFact> {
        Vec::new()
    }

    /// The inputs a file's content belongs to, best first, each with the reason (`states the
    /// revenue target at line 3`). Used for files that their front matter, title and name do not
    /// bind, and to cover a required input no file was bound to.
    fn classify(&self, _mission: &Mission, _file: &ContextFile) -> Vec<(String, String)> {
        Vec::new()
    }

    /// For a required input no file was given for: `Some(what the plan loses)` when the pack
    /// can still plan without it (a warning, not an error).
    fn can_do_without(&self, _mission: &Mission, _input: &str) -> Option<String> {
        None
    }

    /// One verdict per success criterion of the mission, from the final board.
    fn criteria(&self, mission: &Mission, board: &BoardView) -> Vec<Verdict>;

    /// The keys (with JSON Schemas) a non-rule agent (an LLM) must deliver when it plays `role`
    /// in `phase`, so its output fills the same typed deliverables as the mission's rule agents.
    /// `None` when the pack has no typed deliverables for that step.
    fn deliverables(
        &self,
        mission: &Mission,
        phase: usize,
        role: crate::agent::Role,
        agent: &str,
    ) -> Option<Vec<(crate::agent::KeySpec, serde_json::Value)>> {
        let binding = crate::binding::bind(&self.declaration(), mission).ok()?;
        let keys = binding.keys(phase, agent, role);
        (!keys.is_empty()).then(|| {
            keys.iter()
                .map(|k| (crate::agent::KeySpec::single(*k), self.schema(k)))
                .collect()
        })
    }

    /// Checks a value an LLM produced for `key`; the error is shown to the model when re-asking.
    fn validate(&self, _key: &str, _value: &serde_json::Value) -> Result<(), String> {
        Ok(())
    }

    /// Checks a value an LLM produced for `key` against what the blackboard already holds (a
    /// list per pipeline stage must have one item per stage), so a value the later steps could
    /// not use is caught where it is made: re-asked, or left to the agent's rule set.
    fn validate_on(
        &self,
        key: &str,
        value: &serde_json::Value,
        _board: &crate::blackboard::BoardView,
    ) -> Result<(), String> {
        self.validate(key, value)
    }

    /// A few lines with the run's key numbers, for the end of the terminal output.
    fn highlights(&self, _mission: &Mission, _board: &BoardView) -> Vec<String> {
        Vec::new()
    }

    /// Extra documents for the run directory.
    fn documents(
        &self,
        _mission: &Mission,
        _board: &BoardView,
        _verdicts: &[Verdict],
    ) -> Result<Vec<Document>, String> {
        Ok(Vec::new())
    }
}

impl std::fmt::Debug for dyn MissionPack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MissionPack")
    }
}
