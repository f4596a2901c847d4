//! The execution plan: a mission with every phase's agents resolved, built and checked, and its
//! inputs bound — everything that can go wrong before an agent starts goes wrong here.
//!
//! Routing is data from the mission file, never an agent's choice. Phases with no role lines
//! (families C, D, G, H) inherit the mission's `## Required Agents`: the one marked lead/primary
//! (or the first) leads, the others support. Merge policies declared by every agent are checked
//! against each other here, so a conflict is a plan error rather than a surprise mid-run.

use crate::agent::{Agent, KeySpec, Role};
use crate::blackboard::MergePolicy;
use crate::catalog::AgentCatalog;
use crate::config::Settings;
use crate::inputs::Inputs;
use crate::registry::{AgentSpec, BuildError, RULES, Registry};
use coord_mission::{AgentRef, Diagnostic, Input, Mission, Severity, check_agents};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One agent in one phase of the plan.
#[derive(Clone)]
pub struct PlannedAgent {
    /// The agent's name.
    pub name: String,
    /// Its role in the phase.
    pub role: Role,
    /// The backend it runs on.
    pub backend: String,
    /// The rule set, for `rules` agents.
    pub rules: Option<String>,
    /// True when the phase named no agents and this one came from the mission's agent list.
    pub inherited: bool,
    /// The keys it writes in this phase.
    pub keys: Vec<KeySpec>,
    /// The agent itself.
    pub agent: Arc<dyn Agent>,
}

impl std::fmt::Debug for PlannedAgent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlannedAgent")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("backend", &self.backend)
            .finish()
    }
}

/// One phase of the plan.
#[derive(Debug, Clone)]
pub struct PlannedPhase {
    /// Index in `mission.phases`.
    pub index: usize,
    /// Support agents, in mission order; they run concurrently.
    pub supports: Vec<PlannedAgent>,
    /// Lead agents, in mission order; they run after the supports, one after another.
    pub leads: Vec<PlannedAgent>,
}

/// A mission ready to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The mission.
    pub mission: Arc<Mission>,
    /// Bound inputs.
    pub inputs: Arc<Inputs>,
    /// Phases in order.
    pub phases: Vec<PlannedPhase>,
    /// Merge policy of every declared key.
    pub policies: BTreeMap<String, MergePolicy>,
    /// Things worth telling the user (optional agents skipped, inherited roles, extra files).
    pub notes: Vec<String>,
    /// The variation chosen with `--variation`, as the mission names it.
    pub variation: Option<String>,
    /// Required inputs the mission pack can plan without, with what the plan loses.
    pub waived: Vec<(String, String)>,
    /// The run's day (from its clock, fixed at the start and recorded in `run.json`): what
    /// "next month" means for defaults.
    pub today: jiff::civil::Date,
    /// `--date` / `run.date`: the date documents carry, when given.
    pub date: Option<jiff::civil::Date>,
    /// The mission's pack, found once when planning (`None`: the generic outline).
    pub pack: Option<Arc<dyn crate::pack::MissionPack>>,
}

impl Plan {
    /// Required inputs with no file bound (less those the pack can do without).
    pub fn missing_inputs(&self) -> Vec<&Input> {
        self.inputs
            .missing(&self.mission)
            .into_iter()
            .filter(|i| !self.waived.iter().any(|(w, _)| w == &i.name))
            .collect()
    }
}

/// Why a plan could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The mission names agents that are not defined, or has no phases.
    #[error("{} cannot be planned: {}", mission, summary(diagnostics))]
    Mission {
        /// Mission name.
        mission: String,
        /// The errors.
        diagnostics: Vec<Diagnostic>,
    },
    /// An agent could not be built.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// Two agents declare the same key incompatibly.
    #[error("blackboard key `{key}`: {message}")]
    KeyConflict {
        /// The key.
        key: String,
        /// The conflict.
        message: String,
    },
}

fn summary(d: &[Diagnostic]) -> String {
    d.first().map(|d| d.message.clone()).unwrap_or_default()
}

/// Backend choices from the command line.
#[derive(Debug, Clone, Default)]
pub struct BackendChoice {
    /// `--backend NAME`: every agent.
    pub all: Option<String>,
    /// `--agent NAME=BACKEND`: one agent.
    pub per_agent: BTreeMap<String, String>,
}

/// Builds the plan. `source` is the mission text (for diagnostics excerpts).
pub fn build_plan(
    mission: Arc<Mission>,
    source: &str,
    inputs: Inputs,
    catalog: &AgentCatalog,
    registry: &Registry,
    settings: &Settings,
    choice: &BackendChoice,
) -> Result<Plan, PlanError> {
    let path = mission.path.clone().unwrap_or_default();
    let mut errors: Vec<Diagnostic> = check_agents(&mission, &catalog.names(), source)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    // An agent file that exists but does not parse is reported as itself, not as "unknown".
    errors.retain(|d| {
        !catalog
            .broken
            .keys()
            .any(|stem| d.message.contains(&format!("`@{stem}`")))
    });
    for r in mission.all_agents() {
        if let Some(d) = catalog.broken.get(&r.name) {
            errors.push(d.clone());
        }
    }
    // `--agent NAME=BACKEND` for an agent the mission does not use would silently do nothing.
    for name in choice.per_agent.keys() {
        if !mission.all_agents().iter().any(|r| r.name == *name) {
            let mut names: Vec<String> = mission
                .all_agents()
                .iter()
                .map(|r| format!("@{}", r.name))
                .collect();
            names.sort();
            names.dedup();
            errors.push(
                Diagnostic::error(
                    &path,
                    format!("--agent {name}=…: the mission has no agent `@{name}`"),
                )
                .help(format!("its agents: {}", names.join(", "))),
            );
        }
    }
    if mission.phases.is_empty() {
        errors.push(
            Diagnostic::error(&path, "mission has no phases to run")
                .help("list phases as `### Phase 1: Name (30 minutes)` under a `## Mission Phases` heading"),
        );
    }
    let mut notes = Vec::new();
    let mut phases = Vec::new();
    // One scope for the agents of this run: their per-run services (LLM budget, cassette).
    let scope = crate::registry::RunScope::default();
    for (index, phase) in mission.phases.iter().enumerate() {
        let (leads, supports, inherited) = if phase.lead.is_empty() {
            let (l, s) = inherit(&mission.agents);
            if l.is_none() {
                errors.push(
                    Diagnostic::error(&path, format!("{} has no lead agent", phase.label()))
                        .at(phase.line, 0, 0, source.lines().nth(phase.line.saturating_sub(1)).unwrap_or(""))
                        .help("add `**Lead**: @agent-name` under the phase heading, or a `## Required Agents` list"),
                );
                continue;
            }
            notes.push(format!(
                "{}: no role lines; agents taken from the mission's agent list",
                phase.label()
            ));
            (
                l.into_iter().cloned().collect(),
                s.into_iter().cloned().collect(),
                true,
            )
        } else {
            (phase.lead.clone(), phase.support.clone(), false)
        };
        let mut planned = PlannedPhase {
            index,
            supports: Vec::new(),
            leads: Vec::new(),
        };
        for (refs, role) in [(&supports, Role::Support), (&leads, Role::Lead)] {
            for r in refs.iter() {
                let Some(file) = catalog.agents.get(&r.name) else {
                    if !inherited
                        && r.note
                            .as_deref()
                            .is_some_and(|n| n.contains("if available"))
                    {
                        notes.push(format!(
                            "{}: optional agent @{} is not defined; skipped",
                            phase.label(),
                            r.name
                        ));
                    }
                    continue; // reported above, or optional
                };
                let mut spec = spec_for(file, settings, choice);
                spec.scope = scope.clone();
                let agent = match registry.build(&spec, settings) {
                    Ok(a) => a,
                    Err(e) => return Err(PlanError::Build(e)),
                };
                let keys = agent.declares(&mission, index, role);
                let pa = PlannedAgent {
                    name: r.name.clone(),
                    role,
                    backend: spec.backend.clone(),
                    rules: spec.rules.clone(),
                    inherited,
                    keys,
                    agent,
                };
                match role {
                    Role::Lead => planned.leads.push(pa),
                    Role::Support => planned.supports.push(pa),
                }
            }
        }
        phases.push(planned);
    }
    if !errors.is_empty() {
        return Err(PlanError::Mission {
            mission: mission.name.clone(),
            diagnostics: errors,
        });
    }
    let policies = check_keys(&mission, &phases)?;
    for f in &inputs.extra {
        notes.push(format!(
            "{} matched no input of this mission; agents see it as extra context",
            f.path.display()
        ));
    }
    Ok(Plan {
        mission,
        inputs: Arc::new(inputs),
        phases,
        policies,
        notes,
        waived: Vec::new(),
        variation: None,
        today: jiff::civil::Date::constant(2000, 1, 1),
        date: None,
        pack: None,
    })
}

/// Lead and supports for a phase without role lines: the agent marked lead/primary, else the
/// first; every other mission agent supports.
fn inherit(agents: &[AgentRef]) -> (Option<&AgentRef>, Vec<&AgentRef>) {
    let is_lead = |a: &&AgentRef| {
        a.note
            .as_deref()
            .is_some_and(|n| n.contains("lead") || n.contains("primary"))
    };
    let lead = agents.iter().find(is_lead).or(agents.first());
    let support = agents
        .iter()
        .filter(|a| Some(*a) != lead && a.note.as_deref() != Some("squad"))
        .collect();
    (lead, support)
}

/// The spec for an agent: backend from `--agent`, `--backend`, config override, file, default.
pub fn spec_for(
    file: &Arc<coord_mission::AgentFile>,
    settings: &Settings,
    choice: &BackendChoice,
) -> AgentSpec {
    let over = settings.agents.overrides.get(&file.name);
    let backend = choice
        .per_agent
        .get(&file.name)
        .cloned()
        .or_else(|| choice.all.clone())
        .or_else(|| over.and_then(|o| o.backend.clone()))
        .or_else(|| file.backend.clone())
        .unwrap_or_else(|| settings.agents.default_backend.clone());
    let rules = (backend == RULES).then(|| {
        over.and_then(|o| o.rules.clone())
            .or_else(|| file.rules.clone())
            .unwrap_or_else(|| settings.agents.default_rules.clone())
    });
    AgentSpec {
        name: file.name.clone(),
        file: file.clone(),
        backend,
        rules,
        scope: crate::registry::RunScope::default(),
    }
}

/// Checks every declared key against the others and returns the policy table.
fn check_keys(
    mission: &Mission,
    phases: &[PlannedPhase],
) -> Result<BTreeMap<String, MergePolicy>, PlanError> {
    struct Decl<'a> {
        policy: MergePolicy,
        who: String,
        role: Role,
        _agent: &'a str,
    }
    let mut decls: BTreeMap<&str, Vec<Decl<'_>>> = BTreeMap::new();
    for p in phases {
        for a in p.supports.iter().chain(&p.leads) {
            for k in &a.keys {
                decls.entry(&k.key).or_default().push(Decl {
                    policy: k.policy,
                    who: format!(
                        "@{} ({} in {})",
                        a.name,
                        a.role,
                        mission.phases[p.index].label()
                    ),
                    role: a.role,
                    _agent: &a.name,
                });
            }
        }
    }
    let mut out = BTreeMap::new();
    for (key, ds) in decls {
        let first = &ds[0];
        if let Some(other) = ds.iter().find(|d| d.policy != first.policy) {
            return Err(PlanError::KeyConflict {
                key: key.to_string(),
                message: format!(
                    "{} declares it `{}` but {} declares it `{}`",
                    first.who, first.policy, other.who, other.policy
                ),
            });
        }
        match first.policy {
            MergePolicy::SingleWriter if ds.len() > 1 => {
                return Err(PlanError::KeyConflict {
                    key: key.to_string(),
                    message: format!(
                        "single-writer key is written by both {} and {}",
                        first.who, ds[1].who
                    ),
                });
            }
            MergePolicy::LeadWins if !ds.iter().any(|d| d.role == Role::Lead) => {
                return Err(PlanError::KeyConflict {
                    key: key.to_string(),
                    message: format!(
                        "lead-wins key has no lead writer (written by {})",
                        first.who
                    ),
                });
            }
            _ => {}
        }
        out.insert(key.to_string(), first.policy);
    }
    Ok(out)
}

/// Finds the mission variation a user named: `solopreneur` is `Solopreneur Focus`, `service` is
/// `Service-Based Business Focus`. Returns the known names when there is no single match.
pub fn resolve_variation(mission: &Mission, given: &str) -> Result<String, Vec<String>> {
    let norm = |s: &str| s.to_lowercase().replace(['-', '_'], " ");
    let g = norm(given);
    let g = g.trim();
    let known: Vec<String> = mission.variations.iter().map(|v| v.name.clone()).collect();
    let exact = known.iter().find(|k| norm(k) == g);
    if let Some(k) = exact {
        return Ok(k.clone());
    }
    let hits: Vec<&String> = known
        .iter()
        .filter(|k| {
            !g.is_empty()
                && (norm(k).split_whitespace().any(|w| w.starts_with(g)) || norm(k).contains(g))
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok((*one).clone()),
        _ => Err(known),
    }
}

/// A serialisable description of the plan, for `coord plan --json` and `plan.json`.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    /// Mission name.
    pub mission: String,
    /// Mission title.
    pub title: String,
    /// Phases.
    pub phases: Vec<PhaseSummary>,
    /// Inputs and their files.
    pub inputs: Vec<InputSummary>,
}

/// One phase in a [`PlanSummary`].
#[derive(Debug, Clone, Serialize)]
pub struct PhaseSummary {
    /// `Phase 1: Name`.
    pub label: String,
    /// Duration as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// Leads.
    pub lead: Vec<AgentSummary>,
    /// Supports.
    pub support: Vec<AgentSummary>,
}

/// One agent in a [`PhaseSummary`].
#[derive(Debug, Clone, Serialize)]
pub struct AgentSummary {
    /// Name.
    pub name: String,
    /// Backend (and rule set).
    pub backend: String,
    /// Taken from the mission's agent list.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub inherited: bool,
}

/// One input in a [`PlanSummary`].
#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    /// Name.
    pub name: String,
    /// `required`, `optional`, ...
    pub flag: String,
    /// Bound files, as given.
    pub files: Vec<String>,
}

impl Plan {
    /// The plan as data.
    pub fn summary(&self) -> PlanSummary {
        let agent = |a: &PlannedAgent| AgentSummary {
            name: a.name.clone(),
            backend: match &a.rules {
                Some(r) => format!("{}:{r}", a.backend),
                None => a.backend.clone(),
            },
            inherited: a.inherited,
        };
        PlanSummary {
            mission: self.mission.name.clone(),
            title: self.mission.title.clone(),
            phases: self
                .phases
                .iter()
                .map(|p| {
                    let ph = &self.mission.phases[p.index];
                    PhaseSummary {
                        label: ph.label(),
                        duration: ph.duration.as_ref().map(|d| d.text.clone()),
                        lead: p.leads.iter().map(agent).collect(),
                        support: p.supports.iter().map(agent).collect(),
                    }
                })
                .collect(),
            inputs: self
                .mission
                .inputs
                .iter()
                .map(|i| InputSummary {
                    name: i.name.clone(),
                    flag: i.flag.as_str().to_string(),
                    files: self
                        .inputs
                        .files(&i.name)
                        .iter()
                        .map(|b| b.file.path.display().to_string())
                        .collect(),
                })
                .collect(),
        }
    }
}
