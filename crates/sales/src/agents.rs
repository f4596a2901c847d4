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
use coord_core::outline::Outline;
use coord_core::{Agent, AgentError, Contribution, KeySpec, Role, Task};
use coord_mission::Mission;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The mission this pack serves.
pub const MISSION: &str = "sales-plan-development";

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

/// The kind of sales agent a name is (`pipeline-management` → Pipeline).
pub fn kind_of(name: &str) -> Option<Kind> {
    match name {
        "conversion-optimization" => Some(Kind::Conversion),
        "pipeline-management" => Some(Kind::Pipeline),
        "revenue-operations" => Some(Kind::RevOps),
        _ => None,
    }
}

/// The keys an agent writes for (phase, role) in the sales mission.
pub fn job(kind: Kind, phase: usize, role: Role) -> &'static [&'static str] {
    use keys::*;
    match (kind, phase, role) {
        (Kind::RevOps, 0, Role::Support) => &[FOUNDATION, CAPACITY],
        (Kind::Conversion, 0, Role::Lead) => &[INITIATIVES],
        (Kind::Conversion, 1, Role::Support) => &[CONVERSION],
        (Kind::Pipeline, 1, Role::Lead) => &[PIPELINE],
        (Kind::Pipeline, 2, Role::Support) => &[ACTIVITY],
        (Kind::RevOps, 2, Role::Lead) => &[
            INTEGRATION,
            MONTHLY,
            KPIS,
            RISKS,
            REVIEWS,
            CHASSIS,
            FEASIBILITY,
        ],
        _ => &[],
    }
}

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

    fn in_mission(mission: &Mission) -> bool {
        mission.name == MISSION
    }
}

fn read<T: DeserializeOwned>(task: &Task, key: &str) -> Result<T, AgentError> {
    task.board.get_as(key).ok_or_else(|| {
        AgentError::Input(format!(
            "`{key}` is not on the blackboard; the Sales Plan phases must run in order"
        ))
    })
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
        let keys = job(self.kind, phase, role);
        if Self::in_mission(mission) && !keys.is_empty() {
            keys.iter().map(|k| KeySpec::single(*k)).collect()
        } else {
            self.outline.declares(mission, phase, role)
        }
    }

    async fn run(&self, task: &Task) -> Result<Contribution, AgentError> {
        if !Self::in_mission(&task.mission)
            || job(self.kind, task.phase_index, task.role).is_empty()
        {
            return self.outline.run(task).await;
        }
        let mut c = Contribution::default();
        match (self.kind, task.phase_index, task.role) {
            (Kind::RevOps, 0, Role::Support) => {
                let (facts, diags) = crate::facts::read(&task.inputs);
                if let Some(d) = diags.first() {
                    return Err(AgentError::Input(d.to_string()));
                }
                let today = jiff::Zoned::now().date();
                let f = foundation::resolve(&facts, task.variation.as_deref(), today);
                let cap = capacity::capacity(&f);
                push(&mut c, keys::FOUNDATION, &f, render::foundation_md(&f))?;
                push(&mut c, keys::CAPACITY, &cap, render::capacity_md(&f, &cap))?;
            }
            (Kind::Conversion, 0, Role::Lead) => {
                let f: Foundation = read(task, keys::FOUNDATION)?;
                let cap: Capacity = read(task, keys::CAPACITY)?;
                let ini = initiatives::initiatives(&f, &cap);
                push(
                    &mut c,
                    keys::INITIATIVES,
                    &ini,
                    render::initiatives_md(&f, &ini),
                )?;
            }
            (Kind::Conversion, 1, Role::Support) => {
                let f: Foundation = read(task, keys::FOUNDATION)?;
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
            (Kind::Pipeline, 1, Role::Lead) => {
                let f: Foundation = read(task, keys::FOUNDATION)?;
                let cap: Capacity = read(task, keys::CAPACITY)?;
                let ct: ConversionTargets = read(task, keys::CONVERSION)?;
                let p = pipe::pipeline(&f, &ct, &cap);
                push(&mut c, keys::PIPELINE, &p, render::pipeline_md(&f, &p))?;
            }
            (Kind::Pipeline, 2, Role::Support) => {
                let f: Foundation = read(task, keys::FOUNDATION)?;
                let cap: Capacity = read(task, keys::CAPACITY)?;
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
            (Kind::RevOps, 2, Role::Lead) => {
                let f: Foundation = read(task, keys::FOUNDATION)?;
                let cap: Capacity = read(task, keys::CAPACITY)?;
                let p: Pipeline = read(task, keys::PIPELINE)?;
                let am: ActivityModel = read(task, keys::ACTIVITY)?;
                let integ: Integration = execution::integration(&f, &p, &cap.scheduled.units);
                let months: Vec<Month> = execution::monthly_plan(&f, &am, &p);
                let kpis: Vec<Kpi> = execution::kpis(&f, &p, &am, &cap);
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
