//! The three rule agents. Each knows the steps its phases give it in the Sales Plan Development
//! mission (lead of one phase, support of another) and writes typed deliverables under `sales/`
//! keys; later steps read earlier ones from the blackboard, never from the files again. In any
//! other mission, or in a phase/role the sales plan does not give them, they behave as the
//! generic `outline` rule set.

use crate::foundation::{self, Foundation};
use crate::model::{Chassis, Feasibility, Integration, Kpi, Month, Pipeline, Review, Risk};
use crate::render::{self, money};
use crate::sections::capacity::{self, Capacity};
use crate::sections::execution::{self, ActivityModel};
use crate::sections::initiatives;
use crate::sections::pipeline::{self as pipe, ConversionTargets};
use async_trait::async_trait;
use coord_core::binding::{self, Declaration, Step};
use coord_core::outline::Outline;
use coord_core::{Agent, AgentError, Contribution, KeySpec, Role, Task};
use coord_mission::Mission;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Which of the three agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// @conversion-optimization.
    Conversion,
    /// @pipeline-management.
    Pipeline,
    /// @revenue-operations.
    RevOps,
}

impl Kind {
    /// The agent's name as the mission writes it.
    pub fn agent(self) -> &'static str {
        match self {
            Kind::Conversion => "conversion-optimization",
            Kind::Pipeline => "pipeline-management",
            Kind::RevOps => "revenue-operations",
        }
    }
}

/// Blackboard keys.
pub mod keys {
    /// Resolved facts, assumptions and stages.
    pub const FOUNDATION: &str = "sales/foundation";
    /// Capacity check, budget split, timeline.
    pub const CAPACITY: &str = "sales/capacity";
    /// Three initiatives.
    pub const INITIATIVES: &str = "sales/initiatives";
    /// Conversion targets and the weakest stage.
    pub const CONVERSION: &str = "sales/conversion-targets";
    /// The pipeline.
    pub const PIPELINE: &str = "sales/pipeline";
    /// Weekly stage entries and unit times.
    pub const ACTIVITY: &str = "sales/activity-model";
    /// Sales–marketing integration.
    pub const INTEGRATION: &str = "sales/integration";
    /// Month-by-week plan.
    pub const MONTHLY: &str = "sales/monthly-plan";
    /// KPIs.
    pub const KPIS: &str = "sales/kpis";
    /// Risks.
    pub const RISKS: &str = "sales/risks";
    /// Reviews.
    pub const REVIEWS: &str = "sales/reviews";
    /// Business Chassis.
    pub const CHASSIS: &str = "sales/chassis";
    /// Feasibility of the target.
    pub const FEASIBILITY: &str = "sales/feasibility";
}

/// What the pack serves: the Sales Plan Development mission, found by its phases' names and
/// agents (not their positions or the file's name).
pub const DECLARATION: Declaration = Declaration {
    mission: "sales-plan-development",
    title: "Sales Plan Development",
    steps: STEPS,
};

const STEPS: &[Step] = {
    use keys::*;
    &[
        Step {
            id: "foundation",
            phase: "Sales Initiatives and Strategy Development",
            agent: "revenue-operations",
            role: Role::Support,
            keys: &[FOUNDATION, CAPACITY],
        },
        Step {
            id: "initiatives",
            phase: "Sales Initiatives and Strategy Development",
            agent: "conversion-optimization",
            role: Role::Lead,
            keys: &[INITIATIVES],
        },
        Step {
            id: "conversion",
            phase: "Pipeline Management System Design",
            agent: "conversion-optimization",
            role: Role::Support,
            keys: &[CONVERSION],
        },
        Step {
            id: "pipeline",
            phase: "Pipeline Management System Design",
            agent: "pipeline-management",
            role: Role::Lead,
            keys: &[PIPELINE],
        },
        Step {
            id: "activity",
            phase: "Integration and Performance Framework",
            agent: "pipeline-management",
            role: Role::Support,
            keys: &[ACTIVITY],
        },
        Step {
            id: "framework",
            phase: "Integration and Performance Framework",
            agent: "revenue-operations",
            role: Role::Lead,
            keys: &[
                INTEGRATION,
                MONTHLY,
                KPIS,
                RISKS,
                REVIEWS,
                CHASSIS,
                FEASIBILITY,
            ],
        },
    ]
};

/// A sales rule agent.
pub struct SalesAgent {
    kind: Kind,
    outline: Outline,
    name: String,
}

impl SalesAgent {
    /// A sales agent of `kind` named `name` (its file's name), described by `description`.
    pub fn new(kind: Kind, name: &str, description: &str) -> Self {
        Self {
            kind,
            outline: Outline::new(name, description),
            name: name.to_string(),
        }
    }

    /// The step this agent plays in `phase` as `role`, when the mission binds to the pack.
    fn step(&self, mission: &Mission, phase: usize, role: Role) -> Option<Step> {
        binding::bind(&DECLARATION, mission)
            .ok()?
            .step(phase, self.kind.agent(), role)
            .copied()
    }
}

/// What a step reads: the value an earlier step put on the blackboard or, when the mission runs
/// its phases in another order, the same value computed here (the rule steps are pure functions of
/// the documents, so both agree).
struct Reads<'a>(&'a Task);

impl Reads<'_> {
    fn board<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        self.0.board.get_as(key)
    }

    fn foundation(&self) -> Result<Foundation, AgentError> {
        match self.board(keys::FOUNDATION) {
            Some(f) => Ok(f),
            None => self.resolve(),
        }
    }

    /// The foundation from the documents.
    fn resolve(&self) -> Result<Foundation, AgentError> {
        let (facts, diags) = crate::facts::read(&self.0.inputs);
        if let Some(d) = diags.first() {
            return Err(AgentError::Input(d.to_string()));
        }
        let mut f = foundation::resolve(&facts, self.0.variation.as_deref(), self.0.today);
        if let Some(d) = self.0.date {
            f.created = d.to_string();
        }
        Ok(f)
    }

    fn capacity(&self, f: &Foundation) -> Capacity {
        self.board(keys::CAPACITY)
            .unwrap_or_else(|| capacity::capacity(f))
    }

    /// The conversion targets on the board (another agent's, perhaps an LLM's), checked to have
    /// one rate, source, benchmark and checkpoint per stage before any rule reads them by stage.
    fn conversion(&self, f: &Foundation) -> Result<ConversionTargets, AgentError> {
        let Some(ct) = self.board::<ConversionTargets>(keys::CONVERSION) else {
            return Ok(pipe::conversion_targets(f));
        };
        check_conversion(&ct, f.stages.len()).map_err(AgentError::Input)?;
        Ok(ct)
    }

    fn pipeline(&self, f: &Foundation, cap: &Capacity) -> Result<Pipeline, AgentError> {
        match self.board::<Pipeline>(keys::PIPELINE) {
            Some(p) => {
                check_pipeline(&p, f.stages.len()).map_err(AgentError::Input)?;
                Ok(p)
            }
            None => Ok(pipe::pipeline(f, &self.conversion(f)?, cap)),
        }
    }

    fn activity(&self, f: &Foundation, cap: &Capacity) -> ActivityModel {
        self.board(keys::ACTIVITY)
            .unwrap_or_else(|| execution::activity_model(f, cap))
    }
}

/// Conversion targets fit a pipeline of `n` stages: one rate, source, benchmark and checkpoint
/// per stage, and the weakest stage one of them. Checked where an LLM delivers them and where a
/// rule reads them.
pub(crate) fn check_conversion(ct: &ConversionTargets, n: usize) -> Result<(), String> {
    let lists = [
        ("rates", ct.rates.len()),
        ("sources", ct.sources.len()),
        ("benchmarks", ct.benchmarks.len()),
        ("checkpoints", ct.checkpoints.len()),
    ];
    if let Some((name, len)) = lists.iter().find(|(_, len)| *len != n) {
        return Err(format!(
            "`{}` has {len} {name} for {n} pipeline stages: give one per stage",
            keys::CONVERSION
        ));
    }
    if ct.weakest >= n {
        return Err(format!(
            "`{}` names stage {} as the weakest of {n}",
            keys::CONVERSION,
            ct.weakest + 1
        ));
    }
    Ok(())
}

/// A pipeline has the plan's stages, one each.
pub(crate) fn check_pipeline(p: &Pipeline, n: usize) -> Result<(), String> {
    if p.stages.len() == n {
        Ok(())
    } else {
        Err(format!(
            "`{}` has {} stages where the plan has {n}: give one per stage",
            keys::PIPELINE,
            p.stages.len()
        ))
    }
}

fn push<T: Serialize>(
    c: &mut Contribution,
    key: &str,
    v: &T,
    md: String,
) -> Result<(), AgentError> {
    let value = serde_json::to_value(v)
        .map_err(|e| AgentError::backend(format!("cannot serialise {key}: {e}")))?;
    c.push(key, value, md);
    Ok(())
}

#[async_trait]
impl Agent for SalesAgent {
    fn name(&self) -> &str {
        &self.name
    }

    fn backend(&self) -> &str {
        "rules:sales"
    }

    fn declares(&self, mission: &Mission, phase: usize, role: Role) -> Vec<KeySpec> {
        match self.step(mission, phase, role) {
            Some(step) => step.keys.iter().map(|k| KeySpec::single(*k)).collect(),
            None => self.outline.declares(mission, phase, role),
        }
    }

    async fn run(&self, task: &Task) -> Result<Contribution, AgentError> {
        let Some(step) = self.step(&task.mission, task.phase_index, task.role) else {
            return self.outline.run(task).await;
        };
        let reads = Reads(task);
        let mut c = Contribution::default();
        match step.id {
            "foundation" => {
                let f = reads.resolve()?;
                let cap = capacity::capacity(&f);
                push(&mut c, keys::FOUNDATION, &f, render::foundation_md(&f))?;
                push(&mut c, keys::CAPACITY, &cap, render::capacity_md(&f, &cap))?;
            }
            "initiatives" => {
                let f = reads.foundation()?;
                let cap = reads.capacity(&f);
                let ini = initiatives::initiatives(&f, &cap);
                push(
                    &mut c,
                    keys::INITIATIVES,
                    &ini,
                    render::initiatives_md(&f, &ini),
                )?;
            }
            "conversion" => {
                let f = reads.foundation()?;
                let ct = pipe::conversion_targets(&f);
                let md = format!(
                    "- **@{}** (support): conversion targets for {} stages ({} from your data); weakest stage: **{}**; qualification: {}",
                    self.name,
                    ct.rates.len(),
                    f.stages.iter().filter(|s| s.own_rate).count(),
                    f.stages[ct.weakest].name,
                    ct.framework
                );
                push(&mut c, keys::CONVERSION, &ct, md)?;
            }
            "pipeline" => {
                let f = reads.foundation()?;
                let cap = reads.capacity(&f);
                let ct = reads.conversion(&f)?;
                let p = pipe::pipeline(&f, &ct, &cap);
                push(&mut c, keys::PIPELINE, &p, render::pipeline_md(&f, &p))?;
            }
            "activity" => {
                let f = reads.foundation()?;
                let cap = reads.capacity(&f);
                let am = execution::activity_model(&f, &cap);
                let md = format!(
                    "- **@{}** (support): weekly stage entries for {} weeks, peak {:.1} h/week against {:.1} available",
                    self.name,
                    am.schedule.weeks.len(),
                    am.schedule.peak_hours(),
                    f.objectives.hours_per_week
                );
                push(&mut c, keys::ACTIVITY, &am, md)?;
            }
            "framework" => {
                let f = reads.foundation()?;
                let cap = reads.capacity(&f);
                let p = reads.pipeline(&f, &cap)?;
                let am = reads.activity(&f, &cap);
                let integ: Integration = execution::integration(&f, &p, &cap.scheduled.units);
                let months: Vec<Month> = execution::monthly_plan(&f, &am, &p);
                let kpis: Vec<Kpi> = execution::kpis(&f, &p, &am, &cap, &months);
                let risks: Vec<Risk> = execution::risks(&f, &p, &cap);
                let reviews: Vec<Review> = execution::reviews(&f, &am.schedule.weeks);
                let chassis: Chassis = execution::chassis(&f, &p, &cap);
                let feas: Feasibility = cap.feasibility.clone();
                push(
                    &mut c,
                    keys::INTEGRATION,
                    &integ,
                    render::integration_md(&integ),
                )?;
                push(
                    &mut c,
                    keys::MONTHLY,
                    &months,
                    render::months_summary_md(&f, &months),
                )?;
                push(
                    &mut c,
                    keys::KPIS,
                    &kpis,
                    format!(
                        "{} KPIs across activity, quality, conversion, revenue and customer success.",
                        kpis.len()
                    ),
                )?;
                push(
                    &mut c,
                    keys::RISKS,
                    &risks,
                    format!(
                        "{} risks, each with a trigger, an owner and a contingency.",
                        risks.len()
                    ),
                )?;
                push(
                    &mut c,
                    keys::REVIEWS,
                    &reviews,
                    format!(
                        "Reviews: weekly, monthly and {} quarterly reviews ({}).",
                        reviews.iter().filter(|r| r.cadence == "quarterly").count(),
                        reviews
                            .iter()
                            .filter(|r| r.cadence == "quarterly")
                            .map(|r| r.date.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )?;
                push(
                    &mut c,
                    keys::CHASSIS,
                    &chassis,
                    format!(
                        "Business Chassis: {} leads × {:.2}% conversion = {} customers; annual value {}.",
                        chassis.target.leads,
                        chassis.target.conversion * 100.0,
                        chassis.target.customers,
                        money(&f.objectives.currency, chassis.target.revenue)
                    ),
                )?;
                push(
                    &mut c,
                    keys::FEASIBILITY,
                    &feas,
                    render::feasibility_md(&feas),
                )?;
            }
            _ => return self.outline.run(task).await,
        }
        Ok(c)
    }
}
