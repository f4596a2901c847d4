//! How a mission pack finds its work in a mission: by declaration, not by position.
//!
//! A pack declares the mission it serves (name and title) and its steps: which agent, in which
//! role, in a phase named like what, delivers which keys. [`bind`] matches each step to the
//! mission's phase by the phase's agents and name, so a mission whose phases are reordered or
//! whose file is renamed still gets its pack, and a mission that only shares a name with the
//! pack's is told why the pack cannot serve it (instead of silently falling back to the generic
//! outline).

use crate::agent::Role;
use coord_mission::{Mission, Phase};

/// What a pack serves.
#[derive(Debug, Clone, Copy)]
pub struct Declaration {
    /// The mission's short name (its file stem), e.g. `sales-plan-development`.
    pub mission: &'static str,
    /// The mission's title, e.g. `Sales Plan Development`.
    pub title: &'static str,
    /// The steps, each delivered by one agent in one phase.
    pub steps: &'static [Step],
}

/// One step of a pack: `agent`, playing `role` in the phase named like `phase`, delivers `keys`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The step's name inside the pack (what its agent dispatches on).
    pub id: &'static str,
    /// The phase's name as the pack knows it; a mission's phase matches when it is played by
    /// `agent` in `role` and shares the name's significant words.
    pub phase: &'static str,
    /// The agent's name as the mission writes it, without `@`.
    pub agent: &'static str,
    /// The part it plays.
    pub role: Role,
    /// The blackboard keys the step writes.
    pub keys: &'static [&'static str],
}

/// Where each step of a declaration runs in one mission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    steps: Vec<(usize, Step)>,
}

impl Binding {
    /// The step `agent` plays in phase `phase` (0-based) as `role`, if any.
    pub fn step(&self, phase: usize, agent: &str, role: Role) -> Option<&Step> {
        self.steps
            .iter()
            .find(|(p, s)| *p == phase && s.agent == agent && s.role == role)
            .map(|(_, s)| s)
    }

    /// The keys of that step; empty when the pack gives `agent` nothing to do there.
    pub fn keys(&self, phase: usize, agent: &str, role: Role) -> &'static [&'static str] {
        self.step(phase, agent, role).map_or(&[], |s| s.keys)
    }

    /// Each step with the phase (0-based) it runs in, in declaration order.
    pub fn steps(&self) -> &[(usize, Step)] {
        &self.steps
    }
}

/// Why a declaration does not fit a mission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .unmatched.join("; "))]
pub struct Unbound {
    /// One sentence per step no phase was found for.
    pub unmatched: Vec<String>,
}

/// True when the mission says it is the one the declaration serves (by file name or title).
pub fn names(decl: &Declaration, mission: &Mission) -> bool {
    mission.name == decl.mission || words(&mission.title) == words(decl.title)
}

/// Matches every step of `decl` to a phase of `mission`.
pub fn bind(decl: &Declaration, mission: &Mission) -> Result<Binding, Unbound> {
    let mut steps = Vec::with_capacity(decl.steps.len());
    let mut unmatched = Vec::new();
    for step in decl.steps {
        let want = words(step.phase);
        let best = mission
            .phases
            .iter()
            .enumerate()
            .filter(|(_, p)| plays(p, step.agent, step.role))
            .map(|(i, p)| (i, overlap(&want, &words(&p.name))))
            .filter(|(_, score)| *score > 0)
            .max_by_key(|(i, score)| (*score, std::cmp::Reverse(*i)));
        match best {
            Some((i, _)) => steps.push((i, *step)),
            None => unmatched.push(format!(
                "no phase like “{}” with @{} as {}",
                step.phase, step.agent, step.role
            )),
        }
    }
    if unmatched.is_empty() {
        Ok(Binding { steps })
    } else {
        Err(Unbound { unmatched })
    }
}

fn plays(phase: &Phase, agent: &str, role: Role) -> bool {
    let list = match role {
        Role::Lead => &phase.lead,
        Role::Support => &phase.support,
    };
    list.iter().any(|a| a.name == agent)
}

/// Lower-case significant words: no articles, conjunctions or prepositions.
fn words(s: &str) -> Vec<String> {
    const SKIP: &[&str] = &[
        "a", "an", "and", "the", "of", "for", "to", "in", "on", "with", "phase", "mission",
    ];
    s.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !SKIP.contains(&w.as_str()))
        .collect()
}

fn overlap(want: &[String], have: &[String]) -> usize {
    want.iter().filter(|w| have.contains(w)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEPS: &[Step] = &[
        Step {
            id: "plan",
            phase: "Strategy Planning",
            agent: "planner",
            role: Role::Lead,
            keys: &["x/plan"],
        },
        Step {
            id: "review",
            phase: "Quality Review",
            agent: "checker",
            role: Role::Lead,
            keys: &["x/review"],
        },
    ];
    const DECL: Declaration = Declaration {
        mission: "strategy",
        title: "Strategy Work",
        steps: STEPS,
    };

    fn mission(src: &str) -> Mission {
        coord_mission::parse_mission(src, std::path::Path::new("m.md")).mission
    }

    const TWO: &str = "# Mission: Strategy Work\n\n## Mission Phases\n\n### Phase 1: Quality Review\n\n**Lead**: @checker\n**Support**: @planner\n\n### Phase 2: Strategy Planning (10 minutes)\n\n**Lead**: @planner\n";

    #[test]
    fn steps_follow_phase_names_and_agents_not_positions() {
        let m = mission(TWO);
        let b = bind(&DECL, &m).unwrap();
        assert_eq!(b.keys(1, "planner", Role::Lead), &["x/plan"]);
        assert_eq!(b.keys(0, "checker", Role::Lead), &["x/review"]);
        assert!(b.keys(0, "planner", Role::Support).is_empty());
        assert!(names(&DECL, &m), "the title names the mission");
    }

    #[test]
    fn a_missing_step_is_named() {
        let m = mission(&TWO.replace("@checker", "@someone-else"));
        let e = bind(&DECL, &m).unwrap_err();
        assert_eq!(e.unmatched.len(), 1);
        assert!(
            e.to_string()
                .contains("“Quality Review” with @checker as lead"),
            "{e}"
        );
    }

    #[test]
    fn the_agent_alone_does_not_bind_a_phase_of_another_name() {
        let m = mission(&TWO.replace("Strategy Planning", "Budget Approval"));
        assert!(bind(&DECL, &m).is_err());
    }
}
