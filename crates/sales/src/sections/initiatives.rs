//! Phase 1, @conversion-optimization as lead: three initiatives — acquisition, conversion and
//! expansion/referral — chosen for the business type, sized with @revenue-operations' capacity
//! figures (hours from the scheduled funnel, budget from the split), each with numeric metrics.

use super::capacity::Capacity;
use crate::foundation::Foundation;
use crate::model::{Initiative, Metric, Variation};
use crate::render::money;

fn metric(name: &str, target: f64, unit: &str) -> Metric {
    Metric {
        name: name.into(),
        target,
        unit: unit.into(),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The stage whose own rate is furthest below its benchmark (or the lowest rate).
pub fn weakest_stage(f: &Foundation) -> usize {
    let score = |i: usize| {
        let s = &f.stages[i];
        // The signed deal itself (100%) is never the weakest stage.
        if s.rate >= 0.999 {
            return f64::INFINITY;
        }
        if s.own_rate {
            s.rate / s.benchmark
        } else {
            1.0 + s.rate
        }
    };
    (0..5)
        .min_by(|&a, &b| {
            score(a)
                .partial_cmp(&score(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .unwrap_or(0)
}

/// The three initiatives.
pub fn initiatives(f: &Foundation, cap: &Capacity) -> Vec<Initiative> {
    let o = &f.objectives;
    let b = &f.business;
    let cur = o.currency.as_str();
    let fun = &cap.scheduled;
    let creation_months = f64::from(o.period_months.max(1));
    let prospects_per_month = f64::from(fun.entries[0].iter().sum::<u32>()) / creation_months;
    let in_period: u32 = fun.entries[0]
        .iter()
        .take(fun.creation_weeks as usize)
        .sum();
    // The deals this schedule closes: the target's deals when it fits, else what the hours allow.
    let deals = f64::from(fun.deals);
    let weak = weakest_stage(f);
    let weak_name = &f.stages[weak].name;
    let weak_target = (f.stages[weak].rate * 1.10).min(0.95);
    let acq_hours = round1(fun.stage_hours_per_week(0));
    let conv_hours = round1((1..5).map(|i| fun.stage_hours_per_week(i)).sum());
    let exp_hours = round1(
        fun.check_ins.iter().sum::<u32>() as f64 * crate::benchmarks::minutes::CHECK_IN.value
            / 60.0
            / fun.weeks.len().max(1) as f64,
    );
    let sources = if b.lead_sources.is_empty() {
        vec!["referrals".to_string(), "targeted outreach".to_string()]
    } else {
        b.lead_sources.clone()
    };
    let primary = sources[0].clone();
    let others = if sources.len() > 1 {
        crate::render::and_list(&sources[1..])
    } else {
        "one new channel".into()
    };
    let all_sources = crate::render::and_list(&sources);
    let event = sources
        .iter()
        .find(|c| crate::channels::channel_kind(c).0 == "event")
        .map_or_else(
            || "Speak at one industry event a quarter".to_string(),
            |e| format!("Present at one {e} a quarter"),
        );
    let upgrade = if f.packages.len() >= 2 {
        format!(
            "offer every {} client the {} as the next step",
            f.packages[0].0,
            f.packages[f.packages.len() - 1].0
        )
    } else {
        "offer a follow-on engagement at each value milestone".into()
    };
    let closed_conv = f.stages[3].rate * f.stages[4].rate;
    let owner = b.owner.clone();
    let (acq_owner, conv_owner, exp_owner) = if cap.team.len() > 1 {
        (
            "SDR team lead".to_string(),
            "Account Executive lead".to_string(),
            "Account Management".to_string(),
        )
    } else {
        (owner.clone(), owner.clone(), owner.clone())
    };
    let (acq_name, acq_acts, conv_name, conv_acts, exp_name, exp_acts) = match b.variation {
        Variation::Solopreneur => (
            // Named after the channel that carries most of the leads, not a fixed label.
            match fun
                .channels
                .iter()
                .max_by(|a, b| a.share.total_cmp(&b.share))
                .map(|c| c.kind.as_str())
            {
                Some("partner") => "Partner-referral and introduction engine",
                Some("outreach") => "Targeted outreach engine",
                Some("event") => "Event-led prospecting",
                Some("inbound") | Some("paid") => "Content and inbound enquiry engine",
                _ => "Warm-introduction and referral engine",
            }
            .to_string(),
            vec![
                format!("Two batched prospecting blocks a week: {primary} first, then {others}"),
                format!(
                    "{:.1} new leads a month from the ICP list, worked in the prospecting blocks",
                    prospects_per_month
                ),
                if f.recurring {
                    "Ask every client for an introduction at each quarterly review".into()
                } else {
                    "Ask every finished client for two introductions".into()
                },
                "Automate follow-up reminders in the CRM so nothing waits on memory".into(),
            ],
            format!("{weak_name} conversion sprint"),
            vec![
                "The same discovery agenda on every first call, sent with the invitation".into(),
                "Proposal sent within 3 working days of the meeting".into(),
                format!("Mutual close plan from {} onwards", f.stages[3].name),
            ],
            "Client expansion and referrals".to_string(),
            vec![
                "Quarterly value check-in with every client".into(),
                format!("Upgrade path: {upgrade}"),
                "Referral ask at each value milestone".into(),
            ],
        ),
        Variation::Scaling => (
            "Demand program with per-rep prospecting quotas".to_string(),
            vec![
                format!(
                    "Per-rep quota, each a month: {}",
                    cap.team
                        .iter()
                        .map(|r| format!(
                            "{} {:.1} {}",
                            r.role,
                            r.quota / creation_months,
                            r.quota_unit
                        ))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                format!("Channel mix: {primary} with {others}"),
                format!(
                    "New reps ramp over {:.0} months at 50% quota, then full quota",
                    o.ramp_months
                ),
                "SDR → AE handoff on the SQL acceptance rule".into(),
            ],
            format!("{weak_name} conversion and handoff program"),
            vec![
                "Weekly deal reviews on every opportunity past discovery".into(),
                format!(
                    "{} fields completed before a proposal",
                    b.qualification_framework
                ),
                "Call recording review: one call per rep per week".into(),
            ],
            "Account expansion program".to_string(),
            vec![
                "Quarterly business reviews with every account".into(),
                format!("Upgrade path: {upgrade}"),
                "Expansion pipeline tracked separately in the CRM".into(),
            ],
        ),
        Variation::Service => (
            "Expertise-led demand: case studies and talks".to_string(),
            vec![
                format!("Publish one client result a month through {primary}"),
                format!(
                    "{:.1} new consultations requested a month",
                    prospects_per_month * f.stages[0].rate
                ),
                event,
            ],
            "Consultation-to-proposal conversion".to_string(),
            vec![
                "Structured consultation: problem, cost of the problem, success measures".into(),
                format!(
                    "Scoped proposal with {} terms and measurable outcomes",
                    if f.fee_terms.is_empty() {
                        "fixed fee"
                    } else {
                        &f.fee_terms
                    }
                ),
                "Proposal walkthrough call instead of emailing a PDF".into(),
            ],
            "Referral and retention program".to_string(),
            vec![
                "Close-out review with every project and a referral ask".into(),
                format!("Upgrade path: {upgrade}"),
                "Satisfaction survey (CSAT) at each value milestone".into(),
            ],
        ),
    };
    let start = o.start_date.clone();
    let end = o.end_date.clone();
    let cs_icp = &b.icp;
    let mut all = vec![
        Initiative {
            name: acq_name,
            focus: "acquisition".into(),
            objective: format!(
                "Create {in_period} new leads from {all_sources} by {} for this period's {} deals, and keep the same pace to the end ({} more for the next period)",
                cap.creation_ends,
                deals,
                fun.carry.leads
            ),
            journey_stages: vec!["Awareness".into(), "Consideration".into()],
            chassis_components: vec!["Prospects".into(), "Lead conversion".into()],
            owner: acq_owner,
            start: start.clone(),
            end: end.clone(),
            hours_per_week: acq_hours,
            budget: cap.budget.acquisition,
            metrics: vec![
                metric("New leads per month", round1(prospects_per_month), "leads/month"),
                metric(&format!("{} → {} conversion", f.stages[0].name, f.stages[1].name), round1(f.stages[0].rate * 100.0), "%"),
                metric("Cost per new lead", if fun.entries[0].iter().sum::<u32>() > 0 { (cap.budget.acquisition / f64::from(fun.entries[0].iter().sum::<u32>())).round() } else { 0.0 }, cur),
            ],
            activities: acq_acts,
            customer_success_focus: format!("Prospect only {cs_icp}: fit first, so every conversation can end in a result the customer values"),
            value_delivered: "Prospects get a specific observation about their business in the first touch, not a pitch".into(),
            integration_points: vec![
                format!("Marketing campaigns feed {primary} with the month's case study or insight"),
                "Every new prospect enters the CRM with source and ICP-fit score".into(),
            ],
        },
        Initiative {
            name: conv_name,
            focus: "conversion".into(),
            objective: format!(
                "Close {} deals at {} average on the plan's {} {weak_name} conversion, and lift it to {}% as upside",
                deals,
                money(cur, o.avg_deal_size),
                crate::render::pct(f.stages[weak].rate),
                round1(weak_target * 100.0),
            ),
            journey_stages: vec!["Consideration".into(), "Decision".into()],
            chassis_components: vec!["Lead conversion".into(), "Client conversion".into()],
            owner: conv_owner,
            start: start.clone(),
            end: end.clone(),
            hours_per_week: conv_hours,
            budget: cap.budget.conversion,
            metrics: vec![
                metric(&format!("{weak_name} conversion"), round1(weak_target * 100.0), "%"),
                metric(&format!("{} → won", f.stages[3].name), round1(closed_conv * 100.0), "%"),
                metric("Deals closed", deals, "deals"),
            ],
            activities: conv_acts,
            customer_success_focus: "Proposals state the customer's success measures and how they will be tracked".into(),
            value_delivered: "Buyers leave discovery with a clear cost of their problem, whether or not they buy".into(),
            integration_points: vec![
                "Marketing supplies one proof asset (case study, before/after data) per stage".into(),
                "Signed deals trigger onboarding: kickoff booked within 5 working days".into(),
            ],
        },
        Initiative {
            name: exp_name,
            focus: "expansion and referral".into(),
            objective: format!(
                "Raise purchases per customer from {:.1} to {:.1} a year and turn clients into introductions",
                o.purchases_per_year,
                o.purchases_per_year * 1.1
            ),
            journey_stages: vec!["Retention".into(), "Advocacy".into()],
            chassis_components: vec!["Average spend".into(), "Transaction frequency".into()],
            owner: exp_owner,
            start,
            end,
            hours_per_week: exp_hours,
            budget: cap.budget.expansion,
            metrics: vec![
                metric("Purchases per customer per year", round1(o.purchases_per_year * 1.1), "purchases"),
                metric("Referral introductions", deals, "introductions"),
                metric("Customer satisfaction (CSAT)", 80.0, "%"),
            ],
            activities: exp_acts,
            customer_success_focus: "Every client reaches the first measurable result before any upsell conversation".into(),
            value_delivered: "Clients keep improving after the engagement with a clear next step".into(),
            integration_points: vec![
                "Onboarding sets the success measures reviewed at each check-in".into(),
                "Client results become next month's marketing case study (with permission)".into(),
            ],
        },
    ];
    // The user's limits: no excluded activity, their roadmap and channel targets in.
    super::limits::apply(f, cap, &mut all);
    all
}
