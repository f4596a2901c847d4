//! The `outline` rule set: a deterministic worksheet for missions that have no dedicated rules.
//!
//! It does not invent content. For its phase it lays out what the mission file asks for and what
//! the run has: each numbered step with the inputs it mentions and the files bound to them, each
//! deliverable with the steps that feed it (by shared words), and — from support agents — which
//! steps fall in each agent's field (its description against the step text). The result is a
//! checklist a person, or a later LLM pass, can work through; it is what coord can honestly do
//! offline for any of the hundred-odd BOS-AI missions.

use crate::agent::{Agent, AgentError, Contribution, KeySpec, Role, Task};
use async_trait::async_trait;
use coord_mission::Mission;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The outline agent.
#[derive(Debug, Clone)]
pub struct Outline {
    name: String,
    focus: BTreeSet<String>,
    description: String,
}

impl Outline {
    /// An outline agent named `name` whose field is described by `description`.
    pub fn new(name: &str, description: &str) -> Self {
        Self {
            name: name.to_string(),
            focus: significant_words(&format!("{} {description}", name.replace('-', " "))),
            description: description.to_string(),
        }
    }
}

/// The blackboard key of a phase's worksheet.
pub fn worksheet_key(phase_index: usize) -> String {
    format!("phase-{}/worksheet", phase_index + 1)
}

/// The blackboard key of a support agent's notes.
pub fn notes_key(phase_index: usize, agent: &str) -> String {
    format!("phase-{}/notes/{agent}", phase_index + 1)
}

#[async_trait]
impl Agent for Outline {
    fn name(&self) -> &str {
        &self.name
    }

    fn backend(&self) -> &str {
        "rules:outline"
    }

    fn declares(&self, _mission: &Mission, phase_index: usize, role: Role) -> Vec<KeySpec> {
        match role {
            Role::Lead => vec![KeySpec::single(worksheet_key(phase_index))],
            Role::Support => vec![KeySpec::single(notes_key(phase_index, &self.name))],
        }
    }

    async fn run(&self, task: &Task) -> Result<Contribution, AgentError> {
        let mut c = Contribution::default();
        match task.role {
            Role::Support => {
                let (value, md) = self.notes(task);
                c.push(notes_key(task.phase_index, &self.name), value, md);
            }
            Role::Lead => {
                let (value, md) = self.worksheet(task);
                c.push(worksheet_key(task.phase_index), value, md);
            }
        }
        Ok(c)
    }
}

impl Outline {
    fn notes(&self, task: &Task) -> (Value, String) {
        let step_words = distinctive_words(task.phase().steps());
        let steps: Vec<usize> = step_words
            .iter()
            .enumerate()
            .filter(|(_, w)| !w.is_disjoint(&self.focus))
            .map(|(i, _)| i + 1)
            .collect();
        let value = json!({
            "agent": self.name,
            "field": self.description,
            "steps": steps,
        });
        let list = if steps.is_empty() {
            "no step names this agent's field; available for review".to_string()
        } else {
            format!(
                "contributes to step{} {}",
                if steps.len() == 1 { "" } else { "s" },
                join_numbers(&steps)
            )
        };
        (
            value,
            format!("- **@{}** ({}): {list}", self.name, task.role),
        )
    }

    fn worksheet(&self, task: &Task) -> (Value, String) {
        let phase = task.phase();
        let mission = &task.mission;
        let step_words = distinctive_words(phase.steps());
        let mut md = String::new();
        if let Some(o) = &phase.objective {
            let _ = writeln!(md, "**Objective:** {o}\n");
        }
        // Steps, with the inputs each one mentions and the files bound to them.
        let mut steps = Vec::new();
        if !phase.steps().is_empty() {
            let _ = writeln!(md, "#### Steps\n");
        }
        for (i, s) in phase.steps().iter().enumerate() {
            let lower = s.to_lowercase();
            let used: Vec<&str> = mission
                .inputs
                .iter()
                .filter(|inp| lower.contains(&inp.name.to_lowercase()))
                .map(|inp| inp.name.as_str())
                .collect();
            let files: Vec<String> = used
                .iter()
                .flat_map(|u| task.inputs.files(u))
                .map(|b| b.file.path.display().to_string())
                .collect();
            let _ = write!(md, "{}. {s}", i + 1);
            if !used.is_empty() {
                let _ = write!(md, " — uses {}", used.join(", "));
                if !files.is_empty() {
                    let _ = write!(md, " (`{}`)", files.join("`, `"));
                }
            }
            md.push('\n');
            steps.push(json!({"step": i + 1, "text": s, "inputs": used, "files": files}));
        }
        // Deliverables, each with the steps that share its words.
        let mut deliverables = Vec::new();
        if !phase.deliverables.is_empty() {
            let _ = writeln!(md, "\n#### Deliverables\n");
        }
        for d in &phase.deliverables {
            let words = significant_words(d);
            let from: Vec<usize> = step_words
                .iter()
                .enumerate()
                .filter(|(_, w)| !w.is_disjoint(&words))
                .map(|(i, _)| i + 1)
                .collect();
            let _ = write!(md, "- [ ] {d}");
            if !from.is_empty() {
                let _ = write!(
                    md,
                    " — from step{} {}",
                    if from.len() == 1 { "" } else { "s" },
                    join_numbers(&from)
                );
            }
            md.push('\n');
            deliverables.push(json!({"title": d, "steps": from}));
        }
        // What the support agents of this phase said (their notes render on their own).
        let support: Vec<&crate::blackboard::Entry> = task
            .board
            .phase_entries(task.phase_index)
            .filter(|e| e.role == Role::Support)
            .collect();
        let value = json!({
            "phase": phase.label(),
            "objective": phase.objective,
            "instruction": phase.task.as_ref().map(|t| t.instruction.clone()),
            "steps": steps,
            "deliverables": deliverables,
            "support": support.iter().map(|e| e.value.clone()).collect::<Vec<_>>(),
        });
        (value, md.trim_end().to_string())
    }
}

fn join_numbers(n: &[usize]) -> String {
    n.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The significant words of each step, minus the words most steps share (the phase's theme,
/// e.g. "sales" and "initiative"), which would otherwise match everything.
fn distinctive_words(steps: &[String]) -> Vec<BTreeSet<String>> {
    let words: Vec<BTreeSet<String>> = steps.iter().map(|s| significant_words(s)).collect();
    let mut df: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for w in words.iter().flatten() {
        *df.entry(w.as_str()).or_default() += 1;
    }
    let common: BTreeSet<String> = df
        .into_iter()
        .filter(|(_, n)| steps.len() > 2 && *n * 2 > steps.len())
        .map(|(w, _)| w.to_string())
        .collect();
    words.into_iter().map(|w| &w - &common).collect()
}

/// Lower-case words of four letters or more, minus common filler, lightly stemmed.
fn significant_words(s: &str) -> BTreeSet<String> {
    const STOP: &[&str] = &[
        "with",
        "that",
        "this",
        "from",
        "into",
        "each",
        "their",
        "them",
        "have",
        "will",
        "your",
        "create",
        "define",
        "establish",
        "document",
        "design",
        "comprehensive",
        "specific",
        "based",
        "through",
        "throughout",
        "using",
        "and",
        "for",
        "the",
        "specialist",
        "agent",
    ];
    s.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() >= 4 && !STOP.contains(&w.as_str()))
        .map(|w| {
            let w = w.strip_suffix("ies").map(|r| format!("{r}y")).unwrap_or(w);
            match w.strip_suffix('s') {
                Some(r) if !r.ends_with('s') => r.to_string(),
                _ => w,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_stemmed_and_filtered() {
        let w = significant_words("Define conversion targets and the pipeline's stages");
        assert!(w.contains("conversion") && w.contains("target") && w.contains("stage"));
        assert!(!w.contains("define") && !w.contains("and"));
        assert!(significant_words("strategies").contains("strategy"));
    }
}
