//! Success criteria: each of the mission's criteria gets a verdict with evidence.
//!
//! Mission packs ([`crate::pack::MissionPack`]) check the criteria of the missions they
//! understand against the blackboard. Missions with no pack get an honest `unchecked` verdict per
//! criterion, which does not fail the run but is shown as such.

use coord_mission::Mission;
use serde::{Deserialize, Serialize};

/// The outcome of one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Checked and met.
    Passed,
    /// Checked and not met.
    Failed,
    /// No automated check exists; review it by hand.
    Unchecked,
}

/// A criterion's verdict with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The criterion as the mission states it.
    pub criterion: String,
    /// The outcome.
    pub status: Status,
    /// What was found, e.g. "3 initiatives, each with journey stage and ≥1 numeric metric".
    pub evidence: String,
}

impl Verdict {
    /// True when checked and met.
    pub fn passed(&self) -> bool {
        self.status == Status::Passed
    }
}

/// Verdicts for a mission no pack knows: every criterion is `unchecked`.
pub fn unchecked(mission: &Mission) -> Vec<Verdict> {
    mission
        .success_criteria
        .iter()
        .map(|c| Verdict {
            criterion: c.text.clone(),
            status: Status::Unchecked,
            evidence: "no automated check for this mission; review by hand".into(),
        })
        .collect()
}
