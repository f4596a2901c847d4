//! Phase 2: @conversion-optimization (support) sets the conversion targets and names the weakest
//! stage; @pipeline-management (lead) builds the five stages on those targets and on the
//! capacity figures, with volumes, timing, probabilities, forecast and health metrics.

use super::capacity::Capacity;
use super::initiatives::weakest_stage;
use crate::foundation::Foundation;
use crate::model::{Metric, Pipeline, Stage, Variation};
use crate::timing::Work;
use serde::{Deserialize, Serialize};

/// The conversion targets per stage, with sources and the comparison to benchmarks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConversionTargets {
    /// Rate to the next stage, per stage.
    pub rates: Vec<f64>,
    /// Where each rate comes from.
    pub sources: Vec<String>,
    /// Benchmark for each position.
    pub benchmarks: Vec<f64>,
    /// Index of the weakest stage.
    pub weakest: usize,
    /// Qualification framework and the checkpoint at each stage.
    pub framework: String,
    /// Qualification checkpoint per stage.
    pub checkpoints: Vec<String>,
}

/// Phase 2 support: conversion targets.
pub fn conversion_targets(f: &Foundation) -> ConversionTargets {
    let fw = f.business.qualification_framework.clone();
    let checkpoints = match fw.as_str() {
        "MEDDIC" | "MEDDPICC" => vec![
            "ICP fit confirmed".to_string(),
            "Identified pain and Metrics agreed".into(),
            "Economic buyer and Decision criteria known".into(),
            "Decision process mapped, Champion named".into(),
            "Paper process confirmed".into(),
        ],
        "CHAMP" => vec![
            "ICP fit confirmed".to_string(),
            "Challenges stated by the buyer".into(),
            "Authority and Money confirmed".into(),
            "Prioritisation: start date agreed".into(),
            "Terms accepted".into(),
        ],
        _ => vec![
            "ICP fit confirmed".to_string(),
            "Need stated by the buyer".into(),
            "Authority: the decision maker is in the conversation".into(),
            "Budget confirmed for the proposed scope".into(),
            "Timeline: start date agreed".into(),
        ],
    };
    ConversionTargets {
        rates: f.stages.iter().map(|s| s.rate).collect(),
        sources: f.stages.iter().map(|s| s.rate_source.clone()).collect(),
        benchmarks: f.stages.iter().map(|s| s.benchmark).collect(),
        weakest: weakest_stage(f),
        framework: fw,
        checkpoints,
    }
}

/// Entry and exit criteria when the Sales Bible gives none, by what the stage's work is (its
/// meaning, not its position).
fn default_criteria(work: Work, v: Variation) -> (&'static str, &'static str) {
    match (work, v) {
        (Work::Lead, _) => (
            "The prospect matches the ICP and has replied, been introduced, or asked for contact",
            "The prospect accepts a dated first conversation",
        ),
        (Work::Qualify | Work::Discovery, _) => (
            "A first conversation is booked in the buyer's calendar",
            "The buyer states the problem, its cost and who decides",
        ),
        (Work::Meeting, Variation::Service) => (
            "The buyer agreed to a needs assessment or site visit",
            "The buyer asks for a proposal and confirms budget range",
        ),
        (Work::Meeting, _) => (
            "The buyer agreed to a solution meeting with the decision maker",
            "The buyer asks for a proposal and confirms budget range",
        ),
        (Work::Proposal, _) => (
            "The buyer has requested a written proposal",
            "The buyer reviewed the proposal in a call and named a decision date",
        ),
        (Work::Close, _) => (
            "The buyer named a decision date and the terms to settle",
            "Signed agreement (and deposit where used)",
        ),
        (Work::Signed, _) => (
            "The agreement is signed",
            "Kickoff held and the first invoice paid",
        ),
    }
}

/// Criteria for a stage the user named but did not describe: in the words of their own stages
/// (`Briefing agreed and dated`), rather than a generic stage's.
fn named_criteria(f: &Foundation, i: usize) -> (String, String) {
    let name = &f.stages[i].name;
    let entry = match i.checked_sub(1) {
        Some(p) => format!(
            "{} done and the {name} agreed with a date",
            f.stages[p].name
        ),
        None => {
            let a = if name.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
                "An"
            } else {
                "A"
            };
            format!("{a} {name} is agreed with a prospect who fits the ICP")
        }
    };
    let exit = match f.stages.get(i + 1) {
        Some(n) => format!(
            "The {} is agreed with a date, or the deal is closed lost with a reason",
            n.name
        ),
        None => "Signed agreement (and payment where due)".to_string(),
    };
    (entry, exit)
}

/// How a stage is worked, by what its work is (not where it sits): the interaction protocol, the
/// customer-success work and the marketing content it uses.
pub fn playbook(work: Work) -> (&'static str, &'static str, &'static str) {
    match work {
        Work::Lead => (
            "Personal first touch referencing their business; no attachments; follow up within the SLA",
            "Only ICP-fit prospects enter, so the pipeline holds customers who can succeed",
            "one insight or client result relevant to their industry",
        ),
        Work::Qualify => (
            "15-minute call: confirm fit and interest, book the next conversation with a date",
            "Leads that cannot succeed are told so early and recycled, not chased",
            "a short client story for their segment, sent after the call",
        ),
        Work::Discovery => (
            "30-minute call: 2 min opening, 5 context, 15 discovery, 5 proof, 3 next step [S42]",
            "The buyer's success measures are written down in their words",
            "the discovery agenda sent with the invitation",
        ),
        Work::Meeting => (
            "Meeting with the decision maker; buyer talks more than the seller (43:57) [S43]",
            "The proposed scope is checked against those success measures",
            "a case study with before/after numbers",
        ),
        Work::Proposal => (
            "Proposal walked through live; options priced on value, not hours",
            "The proposal includes the onboarding plan and first value milestone",
            "proposal template with value-based options and success measures",
        ),
        Work::Close | Work::Signed => (
            "Mutual close plan with dated buyer milestones; one owner for paperwork",
            "Kickoff is booked before signature; onboarding owner introduced",
            "onboarding plan and references",
        ),
    }
}

/// Phase 2 lead: the pipeline.
pub fn pipeline(f: &Foundation, ct: &ConversionTargets, cap: &Capacity) -> Pipeline {
    let o = &f.objectives;
    let fun = &cap.full;
    let v = f.business.variation;
    let roles = v == Variation::Scaling && cap.team.len() > 1;
    let owner = |i: usize| {
        if !roles {
            f.business.owner.clone()
        } else if i < crate::sections::team::handoff_stage(&cap.scheduled) {
            "SDR".to_string()
        } else {
            "Account Executive".to_string()
        }
    };
    let mut stages = Vec::new();
    for i in 0..5 {
        let seed = &f.stages[i];
        let work = cap.scheduled.units[i].work;
        let defaults = crate::benchmarks::default_stages(v);
        let user_named = !defaults.iter().any(|(n, _)| *n == seed.name);
        let (entry_d, exit_d) = if user_named {
            named_criteria(f, i)
        } else {
            let (a, b) = default_criteria(work, v);
            (a.to_string(), b.to_string())
        };
        let probability: f64 = ct.rates[i..].iter().product();
        // A stage the Sales Bible describes without an entry criterion starts where the previous
        // one's exit criterion ends.
        let entry = seed.entry.clone().or_else(|| {
            (i > 0 && f.stages_from_bible)
                .then(|| f.stages[i - 1].exit.clone())
                .flatten()
        });
        stages.push(Stage {
            name: seed.name.clone(),
            entry_criteria: entry.unwrap_or(entry_d),
            exit_criteria: seed.exit.clone().unwrap_or(exit_d),
            owner: owner(i),
            activities: vec![
                cap.scheduled.units[i].activity.clone(),
                format!("Checkpoint: {}", ct.checkpoints[i]),
                "Dated next step logged in the CRM".into(),
            ],
            interaction_protocol: playbook(cap.scheduled.units[i].work).0.into(),
            conversion_to_next: ct.rates[i],
            conversion_source: ct.sources[i].clone(),
            target_volume: fun.volumes[i],
            planned_volume: (f64::from(cap.scheduled.volumes[i]) * cap.scheduled.scale).round()
                as u32,
            avg_days: (fun.avg_days[i] * 10.0).round() / 10.0,
            probability: (probability * 1000.0).round() / 1000.0,
            customer_success: playbook(cap.scheduled.units[i].work).1.into(),
        });
    }
    // The first stage past qualification: where a deal is a real opportunity.
    let qualified_from = 2;
    let win_rate: f64 = ct.rates[qualified_from..].iter().product();
    let coverage_target = ((1.0 / win_rate.max(0.01)) * 10.0).ceil() / 10.0;
    let sch = &cap.scheduled;
    // Steady-state open deals per stage: weekly entries × weeks in stage.
    let weighted: f64 = (0..5)
        .map(|i| sch.per_week(i) * sch.avg_days[i] / 7.0 * o.avg_deal_size * stages[i].probability)
        .sum();
    // Velocity [S10][S11]: the revenue the pipeline books per day once it is full — the planned
    // deals × deal size over the days from the first possible close to the end of the period.
    let selling_days = f64::from(sch.creation_weeks.max(1)) * 7.0;
    let velocity = f64::from(sch.deals) * o.avg_deal_size / selling_days;
    let forward_revenue = fun.forward_deals * o.avg_deal_size;
    Pipeline {
        health_metrics: vec![
            Metric { name: "Qualified pipeline coverage of the next bookings".into(), target: coverage_target, unit: "×".into() },
            Metric { name: "Sales velocity".into(), target: (velocity * 100.0).round() / 100.0, unit: format!("{}/day", o.currency) },
            Metric { name: "Deals older than 1.5× their stage's average days".into(), target: 0.0, unit: "deals".into() },
            Metric { name: "Deals without activity for 14 days [S65]".into(), target: 0.0, unit: "deals".into() },
        ],
        optimisation: vec![
            "Weekly: review every deal past discovery; each has a dated next step or is closed-lost with a reason".into(),
            format!("Monthly: compare each stage's conversion with its target; work on {} first", stages[ct.weakest].name),
            "Quarterly: recalibrate conversion targets and stage probabilities from the quarter's actual stage-to-win rates".into(),
        ],
        weakest_stage: stages[ct.weakest].name.clone(),
        stages,
        coverage_target,
        win_rate,
        qualified_from,
        forward_deals: fun.forward_deals,
        forward_revenue,
        overall_conversion: fun.overall,
        weighted_forecast: weighted.round(),
        // Cents, not whole currency units: a small plan's velocity × days must still add up.
        velocity_per_day: (velocity * 100.0).round() / 100.0,
    }
}
