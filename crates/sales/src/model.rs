//! The Sales Plan's typed deliverables. These are the blackboard values the three agents write
//! and read, and (assembled) `sales-plan.json`, whose JSON Schema ships as
//! `crates/sales/schema/sales-plan.schema.json`. Field names are part of the file format.

use serde::{Deserialize, Serialize};

/// Which common variation of the mission the plan follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Variation {
    /// One person sells and delivers.
    Solopreneur,
    /// A team with roles to coordinate.
    Scaling,
    /// Consultation-led, project-based services.
    Service,
}

impl Variation {
    /// The serialised name (`solopreneur`, `scaling`, `service`).
    pub fn key(self) -> &'static str {
        match self {
            Variation::Solopreneur => "solopreneur",
            Variation::Scaling => "scaling",
            Variation::Service => "service",
        }
    }

    /// The mission's own name for it.
    pub fn mission_name(self) -> &'static str {
        match self {
            Variation::Solopreneur => "Solopreneur Focus",
            Variation::Scaling => "Scaling Business Focus",
            Variation::Service => "Service-Based Business Focus",
        }
    }
}

/// A number with its unit, e.g. a metric target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Metric {
    /// What is measured.
    pub name: String,
    /// The target value.
    pub target: f64,
    /// `customers`, `%`, `USD`, `hours/week`...
    pub unit: String,
}

/// Who the plan is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Business {
    /// Business name.
    pub name: String,
    /// Plan owner.
    pub owner: String,
    /// The variation followed.
    pub variation: Variation,
    /// Why that variation.
    pub variation_reason: String,
    /// Ideal customer profile.
    pub icp: String,
    /// Lead sources and channels.
    pub lead_sources: Vec<String>,
    /// Tools in use.
    pub tools: Vec<String>,
    /// Qualification framework.
    pub qualification_framework: String,
    /// Why that framework.
    pub framework_reason: String,
    /// Vision or mission statement, if given.
    pub vision: String,
}

/// The objectives every section works from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Objectives {
    /// Revenue target for the period.
    pub revenue_target: f64,
    /// Currency symbol.
    pub currency: String,
    /// Months in the period.
    pub period_months: u32,
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// Average deal size.
    pub avg_deal_size: f64,
    /// Sales cycle in days.
    pub sales_cycle_days: u32,
    /// Selling hours available per week for the whole team.
    pub hours_per_week: f64,
    /// Selling hours per person per week.
    pub hours_per_person: f64,
    /// People selling.
    pub team_size: u32,
    /// Sales budget for the period.
    pub budget: f64,
    /// Deals needed: ceil(target ÷ deal size).
    pub deals_needed: u32,
    /// Customers today.
    pub current_customers: u32,
    /// Gross margin (fraction).
    pub margin: f64,
    /// Purchases per customer per year.
    pub purchases_per_year: f64,
    /// Months a new seller takes to reach full productivity (scaling teams).
    pub ramp_months: f64,
}

/// One sales initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Initiative {
    /// Name.
    pub name: String,
    /// What it is for (acquisition, conversion, expansion/referral).
    pub focus: String,
    /// Objective.
    pub objective: String,
    /// Customer-journey stages it acts on.
    pub journey_stages: Vec<String>,
    /// Business Chassis components it moves.
    pub chassis_components: Vec<String>,
    /// Owner.
    pub owner: String,
    /// Start date.
    pub start: String,
    /// End date.
    pub end: String,
    /// Hours per week it takes.
    pub hours_per_week: f64,
    /// Budget for the period.
    pub budget: f64,
    /// Numeric outcomes.
    pub metrics: Vec<Metric>,
    /// Activities.
    pub activities: Vec<String>,
    /// Customer-success focus.
    pub customer_success_focus: String,
    /// Value delivered to the customer.
    pub value_delivered: String,
    /// Integration points with marketing campaigns and onboarding.
    pub integration_points: Vec<String>,
}

/// One pipeline stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Stage {
    /// Name.
    pub name: String,
    /// Buyer-verifiable entry criterion.
    pub entry_criteria: String,
    /// Buyer-verifiable exit criterion.
    pub exit_criteria: String,
    /// Who owns deals in this stage.
    pub owner: String,
    /// What happens in the stage.
    pub activities: Vec<String>,
    /// How we interact with the buyer here.
    pub interaction_protocol: String,
    /// Conversion to the next stage (the last stage: to closed-won).
    pub conversion_to_next: f64,
    /// Where the rate comes from (the user's file and line, or a cited benchmark).
    pub conversion_source: String,
    /// Deals that must enter this stage in the period.
    pub target_volume: u32,
    /// Deals the reachable plan brings into this stage: the target's volume when the target
    /// fits, fewer when the plan is scaled to what fits.
    #[serde(default)]
    pub planned_volume: u32,
    /// Average days in the stage.
    pub avg_days: f64,
    /// Probability that a deal in this stage is won.
    pub probability: f64,
    /// Customer-success work in this stage.
    pub customer_success: String,
}

/// The pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pipeline {
    /// Five stages, in order.
    pub stages: Vec<Stage>,
    /// Required coverage of remaining target by qualified pipeline (≥ 1 ÷ win rate).
    pub coverage_target: f64,
    /// Win rate of qualified opportunities (from the first qualified stage to closed-won).
    pub win_rate: f64,
    /// Index of the first qualified stage (0-based).
    pub qualified_from: usize,
    /// Deals that close when the volumes meet their targets: top volume × every rate.
    pub forward_deals: f64,
    /// Revenue from `forward_deals`.
    pub forward_revenue: f64,
    /// Overall conversion from stage 1 to closed-won.
    pub overall_conversion: f64,
    /// Weighted forecast of the steady-state open pipeline: Σ open deals × deal × probability.
    pub weighted_forecast: f64,
    /// Sales velocity, revenue per day.
    pub velocity_per_day: f64,
    /// Health metrics with thresholds.
    pub health_metrics: Vec<Metric>,
    /// The optimisation routine.
    pub optimisation: Vec<String>,
    /// The stage the conversion agent found weakest against benchmarks.
    pub weakest_stage: String,
}

/// The lead handoff SLA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Sla {
    /// First response to a new MQL, in hours.
    pub first_response_hours: f64,
    /// First response to a high-intent request (demo, pricing, referral), in hours.
    pub high_intent_response_hours: f64,
    /// Contact attempts before recycling.
    pub attempts: u32,
    /// Days the attempts are spread over.
    pub window_days: u32,
    /// What happens when the attempts run out.
    pub recycle_rule: String,
}

/// Sales–marketing integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Integration {
    /// What makes a lead marketing-qualified.
    pub mql_definition: String,
    /// How sales accepts a lead as qualified.
    pub sql_acceptance: String,
    /// The handoff SLA.
    pub sla: Sla,
    /// How marketing content is used at each stage.
    pub content_utilisation: Vec<String>,
    /// The feedback loop between sales and marketing.
    pub feedback_loop: String,
}

/// One activity in one week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Activity {
    /// What.
    pub name: String,
    /// How many.
    pub count: u32,
    /// Hours it takes.
    pub hours: f64,
}

/// One week of the execution plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Week {
    /// Week number within the month (1-5).
    pub week: u32,
    /// Monday of the week.
    pub start: String,
    /// Activities.
    pub activities: Vec<Activity>,
    /// Sum of activity hours.
    pub total_hours: f64,
    /// Selling hours this week allows (the hours available, or your limit for it).
    #[serde(default)]
    pub cap: f64,
    /// Milestone for the week, if any.
    pub milestone: Option<String>,
}

/// One month of the execution plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Month {
    /// Month number in the plan (1-based).
    pub month: u32,
    /// `2027-01`.
    pub label: String,
    /// Whole deals planned to close this month.
    pub deals: u32,
    /// Revenue planned this month: deals × deal size.
    pub revenue_target: f64,
    /// Revenue planned from the start of the period to the end of this month.
    pub cumulative_revenue: f64,
    /// New stage-1 entries this month.
    pub new_leads: u32,
    /// Entries into each stage this month.
    pub stage_entries: Vec<u32>,
    /// Selling hours planned this month.
    pub hours: f64,
    /// Qualified pipeline planned at the start of the month: open deals past the qualified
    /// stage × deal size.
    pub pipeline_value: f64,
    /// Bookings planned in the next sales cycle from the start of the month.
    pub next_cycle_bookings: f64,
    /// Weeks (four or five).
    pub weeks: Vec<Week>,
}

/// A KPI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Kpi {
    /// activity, quality, conversion, revenue or customer_success.
    pub family: String,
    /// Name.
    pub name: String,
    /// Target.
    pub target: f64,
    /// Unit.
    pub unit: String,
    /// How often it is reviewed.
    pub frequency: String,
}

/// A risk with its contingency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Risk {
    /// The risk.
    pub risk: String,
    /// The measurable trigger.
    pub trigger: String,
    /// The trigger as a check on a tracked figure, so it can be tested against the plan itself.
    pub check: Option<TriggerCheck>,
    /// Owner.
    pub owner: String,
    /// What is done when it triggers.
    pub contingency: String,
}

/// A trigger as a comparison: `metric` summed over `window_weeks` weeks is below (or above)
/// `threshold`. When `relative`, the threshold is a share of the plan's own figure for the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TriggerCheck {
    /// `new_leads`, `selling_hours`, `stage_entries:2`, `pipeline_value`, `deals`, `client_share`,
    /// `sla_misses`, `discount`, `stage_rate:0`.
    pub metric: String,
    /// True: fires when the figure is below the threshold; false: above it.
    pub below: bool,
    /// The threshold.
    pub threshold: f64,
    /// Consecutive weeks summed (1 for a single week; months use 4).
    pub window_weeks: u32,
    /// The threshold is a share of the plan's own figure for the same weeks.
    pub relative: bool,
}

/// One role of the selling team, its people, hours and the work it owns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RoleLoad {
    /// `Founder`, `SDR`, `Account Executive`, `Partner`.
    pub role: String,
    /// People in the role.
    pub people: u32,
    /// Selling hours per person per week.
    pub hours_per_person: f64,
    /// Stages whose work the role does.
    pub stages: Vec<String>,
    /// Average weekly hours the plan asks of the role.
    pub planned_hours: f64,
    /// Deals (or for an SDR, qualified meetings handed over) per person in the period.
    pub quota: f64,
    /// What the quota counts.
    pub quota_unit: String,
}

/// What one new hire in a role carries in this period if they start on a given date: the ramp
/// modelled (half of a ramped person's rate during the ramp, and for an Account Executive
/// nothing before one sales cycle has passed), not only stated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Hire {
    /// The role (`Account Executive`, `SDR`).
    pub role: String,
    /// The first day (a quarter's start within the period).
    pub start: String,
    /// The week of their first result (a deal, or for an SDR a meeting handed over).
    pub first_result: String,
    /// Whole deals (or handoffs) expected from them in the period.
    pub quota: u32,
    /// What a ramped person in the role carries over the whole period, for comparison.
    pub full_quota: f64,
    /// What the quota counts.
    pub unit: String,
}

/// Can the business deliver what it would win?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Delivery {
    /// Weeks one engagement runs.
    pub engagement_weeks: f64,
    /// Where that comes from.
    pub engagement_source: String,
    /// Engagements that can run at the same time.
    pub capacity: u32,
    /// Where that comes from.
    pub capacity_source: String,
    /// Existing clients' repeat engagements running in an average week (their repeat purchases
    /// over the period, each as long as a new one).
    #[serde(default)]
    pub repeat_running: u32,
    /// Most engagements running in one week of the plan, new and repeat.
    pub peak_concurrent: u32,
    /// True when the peak fits the capacity.
    pub fits: bool,
}

/// Revenue from the customers the business already has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Existing {
    /// Customers today.
    pub customers: u32,
    /// Share expected to stay (renew or buy again) in the period.
    pub retention: f64,
    /// Where the retention comes from.
    pub retention_source: String,
    /// Revenue expected from them at today's purchase frequency: customers × retention ×
    /// purchases × deal size.
    pub revenue: f64,
    /// Extra revenue the expansion initiative aims for.
    pub expansion: f64,
    /// How the target is read: new business only.
    pub reading: String,
    /// When the inputs' target is total revenue: that total (`revenue` is inside it; the plan's
    /// target is the new business left).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_target: Option<f64>,
}

/// A review meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Review {
    /// weekly, monthly, quarterly.
    pub cadence: String,
    /// Date (first occurrence for weekly/monthly; each quarter's date for quarterly).
    pub date: String,
    /// What it decides.
    pub decisions: String,
    /// Length in minutes.
    pub minutes: u32,
}

/// The Business Chassis drivers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Drivers {
    /// Leads per year.
    pub leads: f64,
    /// Lead-to-customer conversion (fraction).
    pub conversion: f64,
    /// Customers = leads × conversion.
    pub customers: f64,
    /// Purchases per customer per year.
    pub transactions: f64,
    /// Average sale.
    pub avg_sale: f64,
    /// Revenue = customers × transactions × average sale.
    pub revenue: f64,
    /// Gross margin (fraction).
    pub margin: f64,
    /// Profit = revenue × margin.
    pub profit: f64,
}

/// Business Chassis tracking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Chassis {
    /// Where the business is.
    pub baseline: Drivers,
    /// Where the plan takes it.
    pub target: Drivers,
    /// Relative change per driver, in percent.
    pub changes_pct: Vec<Metric>,
    /// Compounded change of the five drivers: Π(target ÷ baseline) − 1, in percent.
    pub compounded_pct: f64,
    /// Reference: 10% on each of five drivers compounds to (1.1⁵ − 1).
    pub ten_percent_five_drivers_pct: f64,
    /// How the baseline was found.
    pub baseline_source: String,
}

/// Whether the target fits the resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Feasibility {
    /// True when hours, budget and cycle all fit.
    pub feasible: bool,
    /// Peak weekly hours the full target needs.
    pub hours_needed_per_week: f64,
    /// Weekly hours available.
    pub hours_available_per_week: f64,
    /// Revenue reachable with the hours available.
    pub achievable_revenue: f64,
    /// Plain statement of the gap, empty when feasible.
    pub gap: String,
    /// Options to close the gap.
    pub options: Vec<String>,
    /// What limits the plan: `none`, `selling hours`, `time in the period`, `delivery capacity`.
    pub binding: String,
}

/// A key fact of the plan with where it came from, for the terminal and the plan's first table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KeyFact {
    /// `revenue target`.
    pub fact: String,
    /// The value the plan uses.
    pub value: String,
    /// `file:line` (with the label or the sentence's cue), or `default (...)`.
    pub source: String,
    /// True when no input gave it.
    pub defaulted: bool,
    /// For a defaulted fact: the line to add to an input to give it.
    pub add: Option<String>,
    /// How the value was read (a range's end, a period normalised, a conflict).
    pub note: Option<String>,
}

/// A limit the user wrote, and what the plan does with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConstraintNote {
    /// `hour limit`, `exclusion`, `channel goal`, `roadmap`.
    pub kind: String,
    /// The constraint, in words.
    pub text: String,
    /// `file:line`.
    pub source: String,
    /// True when the plan honours it.
    pub honoured: bool,
    /// How it is honoured, or why it cannot be.
    pub how: String,
}

/// A value the plan assumed because the inputs did not give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Assumption {
    /// The fact.
    pub fact: String,
    /// The value used.
    pub value: String,
    /// Where it comes from (benchmark with source key, or coord default).
    pub source: String,
}

/// A checked success criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CriterionResult {
    /// The criterion.
    pub criterion: String,
    /// Met or not.
    pub passed: bool,
    /// What was found.
    pub evidence: String,
}
