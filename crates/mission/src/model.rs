//! The typed mission model: what a BOS-AI mission file says, with line numbers kept for
//! diagnostics. Serialisable, so `coord show --json` prints exactly this.

use crate::duration::Duration;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A parsed mission.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mission {
    /// Short name used on the command line: the file stem (`sales-plan-development`).
    pub name: String,
    /// Where it was read from, if from a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// Title without the `Mission:` prefix or decoration (`Sales Plan Development`).
    pub title: String,
    /// Decoration after the title, e.g. an emoji.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_decoration: Option<String>,
    /// An H2 directly under the title (`## Build New Service/Feature from Requirements`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// `**Mission Type:**` / `**Type**:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mission_type: Option<String>,
    /// `**Duration:**`, `**Estimated Duration**:` or a `## Duration` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Duration>,
    /// `**Difficulty:**` / `**Complexity**:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<String>,
    /// `**Value Impact:**` / `**Expected Impact**:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_impact: Option<String>,
    /// Every header label as written, in order (including the ones above).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meta: Vec<MetaField>,
    /// `## Mission Objective` / `## Objective` paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    /// `## Required Inputs`.
    #[serde(default)]
    pub inputs: Vec<Input>,
    /// Mission-level agents (`## Required Agents`, `**Primary Agent:**`, squads).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agents: Vec<AgentRef>,
    /// The phases, in order.
    #[serde(default)]
    pub phases: Vec<Phase>,
    /// `## Success Criteria`.
    #[serde(default)]
    pub success_criteria: Vec<Criterion>,
    /// `## Business Chassis Impact`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chassis_impact: Option<ChassisImpact>,
    /// `## Common Variations`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variations: Vec<Variation>,
    /// Every other H2 section, by heading, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

impl Mission {
    /// The sum of the phase durations, if every phase has one.
    pub fn phase_total(&self) -> Option<Duration> {
        let mut total: Option<Duration> = None;
        for p in &self.phases {
            let d = p.duration.as_ref()?;
            total = Some(match total {
                None => d.clone(),
                Some(t) => t.add(d),
            });
        }
        total
    }

    /// The mission duration: the header's, or else the sum of the phases.
    pub fn total_duration(&self) -> Option<Duration> {
        self.duration.clone().or_else(|| self.phase_total())
    }

    /// Every agent named anywhere in the mission, in first-seen order, without duplicates.
    pub fn all_agents(&self) -> Vec<&AgentRef> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        let phase_refs = self
            .phases
            .iter()
            .flat_map(|p| p.lead.iter().chain(p.support.iter()));
        for r in phase_refs.chain(self.agents.iter()) {
            if seen.insert(r.name.as_str()) {
                out.push(r);
            }
        }
        out
    }

    /// The input with this name (case-insensitive).
    pub fn input(&self, name: &str) -> Option<&Input> {
        self.inputs
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(name))
    }
}

/// A header label (`**Mission Type:** Sales Tactical Implementation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaField {
    /// The label without the bold and colon.
    pub key: String,
    /// The value, trimmed.
    pub value: String,
    /// 1-based line.
    pub line: usize,
}

/// How much a mission needs an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFlag {
    /// The run stops without it.
    Required,
    /// Used when given.
    Optional,
    /// Used when given.
    Helpful,
    /// Used when given.
    Preferred,
    /// Any other flag, as written.
    #[serde(untagged)]
    Other(String),
}

impl InputFlag {
    /// Reads a flag as written (`required`, `Optional`, ...).
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "required" => Self::Required,
            "optional" => Self::Optional,
            "helpful" => Self::Helpful,
            "preferred" => Self::Preferred,
            other => Self::Other(other.to_string()),
        }
    }

    /// True when the mission cannot run without the input.
    pub fn is_required(&self) -> bool {
        matches!(self, Self::Required)
    }

    /// The flag as a word.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Required => "required",
            Self::Optional => "optional",
            Self::Helpful => "helpful",
            Self::Preferred => "preferred",
            Self::Other(s) => s,
        }
    }
}

/// A required input (`1. **Sales Bible** (required) - Completed strategic sales foundation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    /// The input's name.
    pub name: String,
    /// How much it is needed (`required` when the file gives no flag).
    pub flag: InputFlag,
    /// What it is.
    pub description: String,
    /// 1-based line.
    pub line: usize,
}

/// A reference to an agent by name, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRef {
    /// Lower-case agent name without `@` or backticks (`pipeline-management`).
    pub name: String,
    /// A parenthetical or trailing note: `if available`, `think harder mode`, `primary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the reference.
    pub column: usize,
    /// Width of the reference as written (for underlining).
    #[serde(skip)]
    pub width: usize,
}

/// What a phase heading called itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhaseKind {
    /// `### Phase N:` or `## PHASE N:`.
    Phase,
    /// `### Step N:`.
    Step,
    /// `### Day N:` / `### Days N-M:`.
    Day,
    /// `### Week N:`.
    Week,
    /// `### Section N:`.
    Section,
    /// `### N. Name`.
    Numbered,
    /// A heading with no keyword under a phases section.
    Heading,
}

/// One phase of a mission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// The phase's label as written (`1`, `0`, `A1`, `2-4`); position if none.
    pub number: String,
    /// What the heading called it.
    pub kind: PhaseKind,
    /// The name (`Sales Initiatives and Strategy Development`).
    pub name: String,
    /// The duration from the heading or a `**Duration**:` line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Duration>,
    /// A suffix after the heading (`IMMEDIATE ACTION`, `[If UI Required]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// Lead agents (one in the seed format; `**Lead Agents**:` may name several).
    #[serde(default)]
    pub lead: Vec<AgentRef>,
    /// Support agents.
    #[serde(default)]
    pub support: Vec<AgentRef>,
    /// `**Objective**:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    /// The task block: instruction line and numbered steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<TaskBlock>,
    /// `**Deliverables**:` bullets.
    #[serde(default)]
    pub deliverables: Vec<String>,
    /// Per-phase `**Success Criteria**:` bullets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub success_criteria: Vec<String>,
    /// H4 sub-phases (`#### Week 1: Vision & Mission`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subphases: Vec<String>,
    /// 1-based line of the heading.
    pub line: usize,
}

impl Phase {
    /// The numbered steps of the task block, or an empty slice.
    pub fn steps(&self) -> &[String] {
        self.task
            .as_ref()
            .map(|t| t.steps.as_slice())
            .unwrap_or(&[])
    }

    /// A display label: `Phase 1: Sales Initiatives and Strategy Development`.
    pub fn label(&self) -> String {
        let kw = match self.kind {
            PhaseKind::Phase => "Phase",
            PhaseKind::Step => "Step",
            PhaseKind::Day => "Day",
            PhaseKind::Week => "Week",
            PhaseKind::Section => "Section",
            PhaseKind::Numbered | PhaseKind::Heading => "",
        };
        if kw.is_empty() {
            format!("{}. {}", self.number, self.name)
        } else {
            format!("{kw} {}: {}", self.number, self.name)
        }
    }
}

/// The fenced task block of a phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskBlock {
    /// The instruction line without the leading agent names (`Design strategic sales initiatives`).
    pub instruction: String,
    /// The numbered steps, in order, without their numbers.
    pub steps: Vec<String>,
    /// 1-based line of the fence.
    pub line: usize,
}

/// One success criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// The criterion text.
    pub text: String,
    /// `- [x]` in the file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub checked: bool,
    /// 1-based line.
    pub line: usize,
}

/// `## Business Chassis Impact`: groups of labelled effects plus a closing summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChassisImpact {
    /// `### Lead Conversion Multiplication` groups.
    pub groups: Vec<ChassisGroup>,
    /// The closing bold label (`**Tactical Execution Impact**: Enables 75-125% ...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<LabelledText>,
}

/// One group of the Business Chassis impact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChassisGroup {
    /// The H3 heading.
    pub heading: String,
    /// `- **Label**: text` items.
    pub items: Vec<LabelledText>,
}

/// A `**Label**: text` pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelledText {
    /// The label.
    pub label: String,
    /// The text.
    pub text: String,
}

/// One of the `## Common Variations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variation {
    /// The H3 heading (`Solopreneur Focus`).
    pub name: String,
    /// Its bullets.
    pub items: Vec<String>,
}

/// Any other H2 section, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The heading text.
    pub heading: String,
    /// The Markdown body, trimmed.
    pub body: String,
    /// 1-based line of the heading.
    pub line: usize,
}
