//! Phase 3: @pipeline-management (support) turns the pipeline into weekly stage entries and unit
//! times; @revenue-operations (lead) builds the integration rules, the month-by-week plan, the
//! KPIs, risks, reviews and Business Chassis tracking on those figures.

use super::capacity::Capacity;
use crate::benchmarks::{self, minutes};
use crate::foundation::Foundation;
use crate::funnel::Funnel;
use crate::model::{
    Activity, Chassis, Drivers, Integration, Kpi, Metric, Month, Pipeline, Review, Risk, Sla,
    TriggerCheck, Variation, Week,
};
use crate::timing::Work;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Phase 3 support: what each week asks of the sellers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ActivityModel {
    /// Minutes per activity, with sources: (activity, minutes, source).
    pub unit_minutes: Vec<(String, f64, String)>,
    /// The scheduled funnel (weekly entries, closes, hours).
    pub schedule: Funnel,
    /// New prospects to create each month.
    pub new_prospects_by_month: Vec<u32>,
}

/// Which month (0-based) each week belongs to.
pub fn week_months(weeks: &[String], start: Date, months: u32) -> Vec<usize> {
    let starts: Vec<Date> = (0..=months)
        .map(|m| {
            start
                .checked_add(jiff::Span::new().months(i64::from(m)))
                .unwrap_or(start)
        })
        .collect();
    weeks
        .iter()
        .map(|w| {
            let d: Date = w.parse().unwrap_or(start);
            (0..months as usize)
                .rev()
                .find(|&m| d >= starts[m])
                .unwrap_or(0)
        })
        .collect()
}

/// Phase 3 support.
pub fn activity_model(f: &Foundation, cap: &Capacity) -> ActivityModel {
    let s = &cap.scheduled;
    let start: Date = f.objectives.start_date.parse().unwrap_or_default();
    let wm = week_months(&s.weeks, start, f.objectives.period_months);
    let mut by_month = vec![0u32; f.objectives.period_months as usize];
    for (k, m) in wm.iter().enumerate() {
        by_month[*m] += s.entries[0][k];
    }
    let mut unit_minutes: Vec<(String, f64, String)> = s
        .units
        .iter()
        .map(|u| (u.activity.clone(), u.minutes, u.source.clone()))
        .collect();
    for c in &s.channels {
        unit_minutes.push((
            format!("Creating one lead: {}", c.channel),
            c.create_minutes,
            c.create_source.clone(),
        ));
    }
    unit_minutes.push((
        "Pipeline review".into(),
        minutes::REVIEW.value,
        minutes::REVIEW.source.into(),
    ));
    unit_minutes.push((
        "Customer check-ins".into(),
        minutes::CHECK_IN.value,
        minutes::CHECK_IN.source.into(),
    ));
    ActivityModel {
        unit_minutes,
        schedule: s.clone(),
        new_prospects_by_month: by_month,
    }
}

/// Phase 3 lead: sales–marketing integration.
pub fn integration(f: &Foundation, p: &Pipeline, units: &[crate::timing::UnitTime]) -> Integration {
    let b = &f.business;
    let sources = if b.lead_sources.is_empty() {
        "every channel".to_string()
    } else {
        b.lead_sources.join(", ")
    };
    let (mql, sla_first) = match b.variation {
        Variation::Solopreneur => (
            format!(
                "A lead is marketing-qualified when it fits the ICP ({}) and has engaged: a warm introduction, a reply to outreach, or a request from {sources}. Fit and engagement are both required; a low-fit lead is never an MQL [S56][S57].",
                b.icp
            ),
            benchmarks::FIRST_RESPONSE_HOURS,
        ),
        _ => (
            format!(
                "Score fit (ICP: {}) and engagement separately, 0–50 each; a lead is an MQL at 50+ total with fit ≥ 25. Low-fit leads are never MQLs; scores decay 10 points a month without activity [S56][S58][S59].",
                b.icp
            ),
            benchmarks::FIRST_RESPONSE_HOURS,
        ),
    };
    let accept = match b.qualification_framework.as_str() {
        "MEDDIC" | "MEDDPICC" => "Sales accepts the lead (SQL) when discovery confirms Metrics, an Economic buyer, and Identified pain [S61]".to_string(),
        "CHAMP" => "Sales accepts the lead (SQL) when the buyer states a Challenge, Authority and Money are confirmed [S60]".to_string(),
        fw => format!("Sales accepts the lead (SQL) when 3 of the 4 {fw} criteria are met in discovery [S60]"),
    };
    Integration {
        mql_definition: mql,
        sql_acceptance: accept,
        sla: Sla {
            first_response_hours: sla_first.value,
            high_intent_response_hours: benchmarks::HIGH_INTENT_HOURS.value,
            attempts: benchmarks::ATTEMPTS.value as u32,
            window_days: 14,
            recycle_rule: "After 5 attempts in 14 days with no reply, move the lead to a 90-day nurture sequence; disqualified leads need a reason [S2][S65]".into(),
        },
        content_utilisation: p
            .stages
            .iter()
            .zip(units)
            .map(|(s, u)| format!("{}: {}", s.name, super::pipeline::playbook(u.work).2))
            .collect(),
        feedback_loop: format!(
            "Monthly: review MQL → SQL acceptance and lost reasons by source ({sources}); adjust the MQL definition when acceptance falls below {:.0}% [S22][S57]",
            p.stages[0].conversion_to_next * 100.0
        ),
    }
}

/// Weeks from entering stage `i` to closing.
pub fn weeks_to_close(s: &Funnel, i: usize) -> usize {
    let total: f64 = s.avg_days.iter().sum();
    (((total - s.offset_days.get(i).copied().unwrap_or(0.0)) / 7.0).ceil() as usize).max(1)
}

/// Open qualified deals at the start of week `k`: those that entered the qualified stage in the
/// weeks before it and have not yet reached their close.
pub fn open_qualified(s: &Funnel, q: usize, k: usize) -> u32 {
    let span = weeks_to_close(s, q);
    s.entries[q][k.saturating_sub(span)..k].iter().sum()
}

/// The qualified pipeline over the next bookings, month by month, as the plan carries it:
/// (median, lowest, highest) over the months that have bookings ahead, to one decimal.
pub fn coverage(months: &[Month]) -> (f64, f64, f64) {
    let mut r: Vec<f64> = months
        .iter()
        .filter(|m| m.next_cycle_bookings > 0.0)
        .map(|m| m.pipeline_value / m.next_cycle_bookings)
        .collect();
    if r.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    r.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let one = |x: f64| (x * 10.0).round() / 10.0;
    (one(r[r.len() / 2]), one(r[0]), one(r[r.len() - 1]))
}

/// Phase 3 lead: every month of the period, each with its four or five weeks.
pub fn monthly_plan(f: &Foundation, am: &ActivityModel, p: &Pipeline) -> Vec<Month> {
    let o = &f.objectives;
    let s = &am.schedule;
    let start: Date = o.start_date.parse().unwrap_or_default();
    let wm = week_months(&s.weeks, start, o.period_months);
    let check_h = minutes::CHECK_IN.value / 60.0;
    let q = p.qualified_from;
    let span = weeks_to_close(s, q);
    let first_close = s.closes.iter().position(|c| *c > 0);
    let mut months: Vec<Month> = (0..o.period_months)
        .map(|m| {
            let d = start
                .checked_add(jiff::Span::new().months(i64::from(m)))
                .unwrap_or(start);
            Month {
                month: m + 1,
                label: format!("{:04}-{:02}", d.year(), d.month()),
                deals: 0,
                revenue_target: 0.0,
                cumulative_revenue: 0.0,
                new_leads: am
                    .new_prospects_by_month
                    .get(m as usize)
                    .copied()
                    .unwrap_or(0),
                stage_entries: vec![0; s.entries.len()],
                hours: 0.0,
                pipeline_value: 0.0,
                next_cycle_bookings: 0.0,
                weeks: Vec::new(),
            }
        })
        .collect();
    for (k, monday) in s.weeks.iter().enumerate() {
        let m = wm[k];
        let mut acts = Vec::new();
        for (i, u) in s.units.iter().enumerate() {
            let c = s.entries[i][k];
            if c > 0 {
                acts.push(Activity {
                    name: u.activity.clone(),
                    count: c,
                    hours: round2(f64::from(c) * u.minutes / 60.0),
                });
            }
        }
        if s.check_ins[k] > 0 {
            acts.push(Activity {
                name: "Customer check-ins".into(),
                count: s.check_ins[k],
                hours: round2(f64::from(s.check_ins[k]) * check_h),
            });
        }
        // A week capped below the review's time (a holiday) plans only what it allows.
        let review = s
            .fixed_hours
            .min(s.caps.get(k).copied().unwrap_or(s.fixed_hours));
        if review > 0.0 {
            acts.push(Activity {
                name: "Pipeline review and CRM hygiene".into(),
                count: o.team_size,
                hours: round2(review),
            });
        }
        let total = round2(acts.iter().map(|a| a.hours).sum());
        let mut marks: Vec<String> = Vec::new();
        if first_close == Some(k) {
            marks.push("First deals expected to close (one sales cycle after the start)".into());
        } else if k + 1 == s.creation_weeks as usize {
            marks.push("Last week for new leads that can still close in the period; prospecting continues for the next one".into());
        }
        let week_end: Date = monday
            .parse::<Date>()
            .ok()
            .and_then(|d| d.checked_add(jiff::Span::new().days(6)).ok())
            .unwrap_or(start);
        for r in &f.limits.roadmap {
            if let Ok(d) = r.date.parse::<Date>()
                && d <= week_end
                && (k == 0
                    || d > week_end
                        .checked_sub(jiff::Span::new().days(7))
                        .unwrap_or(start))
            {
                marks.push(format!("Roadmap: {} ({})", r.what, r.source));
            }
        }
        if s.caps.get(k).is_some_and(|c| *c < o.hours_per_week - 1e-9) {
            marks.push(format!(
                "Your limit this week: {:.1} h of selling",
                s.caps[k]
            ));
        }
        let milestone = (!marks.is_empty()).then(|| marks.join("; "));
        let month = &mut months[m];
        if month.weeks.is_empty() {
            month.pipeline_value = f64::from(open_qualified(s, q, k)) * o.avg_deal_size;
            month.next_cycle_bookings = f64::from(
                s.closes[k..(k + span).min(s.closes.len())]
                    .iter()
                    .sum::<u32>(),
            ) * o.avg_deal_size;
        }
        month.deals += s.closes[k];
        for (i, e) in s.entries.iter().enumerate() {
            month.stage_entries[i] += e[k];
        }
        month.hours = round2(month.hours + total);
        let week_start = if *monday < o.start_date {
            o.start_date.clone()
        } else {
            monday.clone()
        };
        month.weeks.push(Week {
            week: month.weeks.len() as u32 + 1,
            start: week_start,
            activities: acts,
            total_hours: total,
            cap: s.caps.get(k).copied().unwrap_or(o.hours_per_week),
            milestone,
        });
    }
    let mut cumulative = 0.0;
    for m in &mut months {
        m.revenue_target = f64::from(m.deals) * o.avg_deal_size;
        cumulative += m.revenue_target;
        m.cumulative_revenue = cumulative;
    }
    months
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Phase 3 lead: KPIs in five families, each target the plan's own figure. Activity KPIs follow
/// the stages' work; a team's are per person, a solo's and a service firm's per business.
pub fn kpis(
    f: &Foundation,
    p: &Pipeline,
    am: &ActivityModel,
    cap: &Capacity,
    plan_months: &[Month],
) -> Vec<Kpi> {
    let o = &f.objectives;
    let s = &am.schedule;
    let v = f.business.variation;
    let weeks = s.weeks.len().max(1) as f64;
    let months = f64::from(o.period_months.max(1));
    let k = |family: &str, name: String, target: f64, unit: &str, frequency: &str| Kpi {
        family: family.into(),
        name,
        target,
        unit: unit.into(),
        frequency: frequency.into(),
    };
    let mut out = Vec::new();
    let team = cap.team.clone();
    let people = |role: &str| {
        team.iter()
            .find(|r| r.role == role)
            .map_or(1.0, |r| f64::from(r.people.max(1)))
    };
    for u in &s.units {
        let total = f64::from(s.entries[u.stage].iter().sum::<u32>());
        let early = matches!(u.work, Work::Lead | Work::Qualify);
        // A team with roles counts each role's work per person; one seller has no roles.
        let (per, unit_word) = match (v == Variation::Scaling && team.len() > 1, early) {
            (true, true) => (people("SDR"), " per SDR"),
            (true, false) => (people("Account Executive"), " per AE"),
            (false, _) => (1.0, ""),
        };
        // Frequent work is counted weekly, rarer work monthly.
        let (over, unit, cadence) = if total / weeks / per >= 1.0 {
            (weeks, "per week", "weekly")
        } else {
            (months, "per month", "monthly")
        };
        if total > 0.0 {
            out.push(k(
                "activity",
                format!("{}{unit_word}", u.activity),
                round2(total / over / per),
                unit,
                cadence,
            ));
        }
    }
    let avg_hours = s.hours.iter().sum::<f64>() / weeks;
    match v {
        Variation::Solopreneur => {
            out.push(k(
                "activity",
                "Selling hours logged".into(),
                round2(avg_hours),
                "h/week",
                "weekly",
            ));
            let referrals: u32 = s
                .channels
                .iter()
                .zip(super::limits::channel_targets(f, cap))
                .filter(|(c, _)| c.kind == "referral")
                .map(|(_, t)| t.leads)
                .sum();
            if referrals > 0 {
                out.push(k(
                    "activity",
                    "Referral asks made (about 2.5 per introduction)".into(),
                    round2(f64::from(referrals) * 2.5 / months),
                    "per month",
                    "monthly",
                ));
            }
            out.push(k(
                "quality",
                "Discovery calls with a written cost of the problem".into(),
                100.0,
                "%",
                "weekly",
            ));
        }
        Variation::Scaling => {
            for r in &team {
                out.push(k(
                    "activity",
                    format!("Selling hours per {}", r.role),
                    r.planned_hours,
                    "h/week",
                    "weekly",
                ));
                out.push(k(
                    "revenue",
                    format!("Quota per {}: {}", r.role, r.quota_unit),
                    r.quota,
                    "per period",
                    "monthly",
                ));
            }
            out.push(k(
                "quality",
                "SQLs accepted by AEs within 1 working day".into(),
                90.0,
                "%",
                "weekly",
            ));
            out.push(k(
                "quality",
                format!(
                    "{} fields complete before a proposal",
                    f.business.qualification_framework
                ),
                100.0,
                "%",
                "weekly",
            ));
            out.push(k(
                "revenue",
                "Forecast accuracy (committed vs closed)".into(),
                90.0,
                "%",
                "monthly",
            ));
        }
        Variation::Service => {
            if let Some(d) = &cap.delivery {
                out.push(k(
                    "activity",
                    "Engagements running at once (at most)".into(),
                    f64::from(d.capacity),
                    "engagements",
                    "weekly",
                ));
            }
            out.push(k(
                "quality",
                format!(
                    "Proposals with {} terms and measurable outcomes",
                    if f.fee_terms.is_empty() {
                        "fixed fee"
                    } else {
                        &f.fee_terms
                    }
                ),
                100.0,
                "%",
                "monthly",
            ));
            out.push(k(
                "customer_success",
                "Referral introductions per finished project".into(),
                1.0,
                "introduction",
                "after each project",
            ));
        }
    }
    out.push(k(
        "quality",
        "New leads that fit the ICP".into(),
        80.0,
        "%",
        "monthly",
    ));
    for (i, st) in p.stages.iter().enumerate() {
        let next = p
            .stages
            .get(i + 1)
            .map(|n| n.name.as_str())
            .unwrap_or("won");
        out.push(k(
            "conversion",
            format!("{} → {}", st.name, next),
            round2(st.conversion_to_next * 100.0),
            "%",
            "monthly",
        ));
    }
    out.push(k(
        "conversion",
        "Sales cycle".into(),
        f64::from(o.sales_cycle_days),
        "days",
        "monthly",
    ));
    out.extend([
        k(
            "revenue",
            "New deals closed".into(),
            f64::from(s.deals),
            "deals",
            "monthly",
        ),
        k(
            "revenue",
            "New revenue closed".into(),
            f64::from(s.deals) * o.avg_deal_size,
            &o.currency,
            "monthly",
        ),
        k(
            "revenue",
            "Average deal size".into(),
            o.avg_deal_size,
            &o.currency,
            "monthly",
        ),
        k(
            "revenue",
            "Qualified pipeline coverage of the next bookings (the plan's median month)".into(),
            coverage(plan_months).0,
            "×",
            "monthly",
        ),
        k(
            "revenue",
            "Weighted forecast".into(),
            p.weighted_forecast,
            &o.currency,
            "monthly",
        ),
        k(
            "customer_success",
            "Customer satisfaction (CSAT: share of 4–5 ratings) [S87]".into(),
            benchmarks::CSAT_GOOD.value * 100.0,
            "%",
            "after each value milestone",
        ),
        k(
            "customer_success",
            "Net Promoter Score (promoters 9–10 minus detractors 0–6) [S86]".into(),
            40.0,
            "NPS",
            "quarterly",
        ),
        k(
            "customer_success",
            "Time to first value".into(),
            30.0,
            "days",
            "monthly",
        ),
    ]);
    // Retention follows the existing-customer line: what today's customers bring this period
    // (renewals or repeat work, plus expansion) over what they bring today.
    let base = crate::sections::team::base_revenue(o);
    if base > 0.0 {
        out.push(k(
            "customer_success",
            "Net revenue retention ((start + expansion − contraction − churn) ÷ start) [S88]"
                .into(),
            round2((cap.existing.revenue + cap.existing.expansion) / base * 100.0),
            "%",
            "quarterly",
        ));
        if v == Variation::Scaling {
            out.push(k(
                "customer_success",
                "Gross revenue retention (renewals ÷ start, no expansion) [S88]".into(),
                round2(cap.existing.revenue / base * 100.0),
                "%",
                "quarterly",
            ));
        }
    }
    if v != Variation::Scaling {
        out.push(k(
            "customer_success",
            "Clients who buy again or refer within the period".into(),
            50.0,
            "%",
            "quarterly",
        ));
    }
    out
}

/// The `q`-quantile (0..1) of `xs`.
fn quantile(xs: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = xs.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() - 1) as f64 * q).floor() as usize]
}

/// Sums of `window` consecutive weeks.
pub fn windows(xs: &[f64], window: usize) -> Vec<f64> {
    if xs.len() < window || window == 0 {
        return Vec::new();
    }
    (0..=xs.len() - window)
        .map(|k| xs[k..k + window].iter().sum())
        .collect()
}

/// A "below" threshold that the plan's own weeks stay above: 75% of the figure that nine windows
/// in ten of the plan reach, rounded down.
fn floor_of(series: &[f64], window: usize) -> f64 {
    (quantile(&windows(series, window), 0.10) * 0.75).floor()
}

/// Phase 3 lead: risks with triggers from the plan's own numbers, owners and contingencies
/// (SALES.md §4). Each trigger is a check on a tracked figure that the plan itself does not trip.
pub fn risks(f: &Foundation, p: &Pipeline, cap: &Capacity) -> Vec<Risk> {
    let o = &f.objectives;
    let s = &cap.scheduled;
    let v = f.business.variation;
    let owner = f.business.owner.clone();
    // A team's risks belong to the role that can act on them; the plan owner keeps the plan.
    let roles = cap.team.len() > 1;
    let by_role = |role: &str| {
        if roles {
            role.to_string()
        } else {
            owner.clone()
        }
    };
    let creation = s.creation_weeks as usize;
    let leads: Vec<f64> = s.entries[0].iter().map(|e| f64::from(*e)).collect();
    let hours = s.hours.clone();
    let q = p.qualified_from;
    let check = |metric: &str, below: bool, threshold: f64, window: u32, relative: bool| {
        Some(TriggerCheck {
            metric: metric.into(),
            below,
            threshold,
            window_weeks: window,
            relative,
        })
    };
    let lead_floor = floor_of(&leads[..creation.max(1).min(leads.len())], 4);
    let hour_floor = floor_of(&hours, 2);
    let age = p.stages.iter().map(|s| s.avg_days).fold(0.0, f64::max) * 1.5;
    let mut r = vec![
        Risk {
            risk: "Pipeline shortfall".into(),
            trigger: format!(
                "Qualified pipeline (deals at {} or later) below 75% of the month's planned figure in the monthly plan; below 50% is critical",
                p.stages[q].name
            ),
            check: check("pipeline_value", true, 0.75, 4, true),
            owner: by_role("Revenue Operations"),
            contingency: match v {
                Variation::Solopreneur => "Add a third prospecting block that week and ask three past clients for introductions [S65][S8]".into(),
                Variation::Scaling => "Shift SDR hours to the strongest channel, reactivate closed-lost deals from the last two quarters, raise paid spend from the reserve [S65][S8]".into(),
                Variation::Service => "Run a client-results webinar or event within the month and follow up every attendee; revive proposals lost on timing [S65][S8]".into(),
            },
        },
        Risk {
            risk: "Too few new leads".into(),
            trigger: format!("Fewer than {lead_floor:.0} new leads in four consecutive weeks (the plan has {:.1} a week)", s.per_week(0)),
            check: check("new_leads", true, lead_floor, 4, false),
            owner: by_role("SDR team lead"),
            contingency: "Check each channel against its target in the channel table and move effort to the one ahead of plan [S8]".into(),
        },
        Risk {
            risk: "Deals stall".into(),
            trigger: format!("A deal older than {age:.0} days in one stage, or a close date moved more than once"),
            check: check("stage_age_days", false, age, 1, false),
            owner: by_role("Account Executive"),
            contingency: "Mutual close plan with dated buyer milestones; get to the economic buyer [S67][S61]".into(),
        },
        Risk {
            risk: "Lead quality drops".into(),
            trigger: format!(
                "{} → {} conversion below {:.0}% over a month (plan: {:.0}%)",
                p.stages[0].name,
                p.stages[1].name,
                p.stages[0].conversion_to_next * 80.0,
                p.stages[0].conversion_to_next * 100.0
            ),
            check: check("stage_rate:0", true, 0.8, 4, true),
            owner: by_role("Marketing"),
            contingency: "Tighten the ICP filter at the first touch; review the month's lost reasons by source [S22][S57]".into(),
        },
    ];
    let one = if s.deals > 0 {
        1.0 / f64::from(s.deals)
    } else {
        1.0
    };
    let conc = (2.0 * one).max(0.10);
    // With fewer than five deals one client is a fifth of the revenue by design: not a risk
    // trigger, just the plan.
    if s.deals >= 5 {
        r.push(Risk {
        risk: "Customer concentration".into(),
        trigger: format!(
            "One client above {:.0}% of the period's new revenue (the plan's largest is {:.0}%) [S75][S76]",
            conc * 100.0,
            one * 100.0
        ),
        check: check("client_share", false, conc, 52, false),
        owner: owner.clone(),
        contingency: match v {
            Variation::Scaling => "Cap any one account's share in the quarterly plan; keep each channel at its target mix so no single customer's renewal decides the year [S77]",
            Variation::Service => "Keep business development going while the large engagement runs; spread new work across sources and clients [S77]",
            Variation::Solopreneur => "Keep your prospecting blocks even while you deliver; diversify channels [S77]",
        }
        .into(),
        });
    }
    match v {
        Variation::Solopreneur => {
            r.push(Risk {
                risk: "Delivery crowds out selling".into(),
                trigger: format!(
                    "Fewer than {hour_floor:.0} selling hours in two consecutive weeks (the plan's two-week total is at least {:.0} in nine weeks of ten)",
                    quantile(&windows(&hours, 2), 0.10)
                ),
                check: check("selling_hours", true, hour_floor, 2, false),
                owner: owner.clone(),
                contingency: "Book the next two weeks' prospecting blocks before any delivery work; move admin to Friday afternoon [S47]".into(),
            });
            r.push(Risk {
                risk: "Key-person dependency".into(),
                trigger: "You are unable to sell for more than 2 weeks in a row".into(),
                check: check("weeks_without_selling", false, 2.0, 2, false),
                owner,
                contingency: "Follow-up sequences in the CRM run without you; referral asks are pre-booked for the month [S74]".into(),
            });
        }
        Variation::Scaling => {
            r.push(Risk {
                risk: "New rep ramp slower than planned".into(),
                trigger: format!(
                    "A new rep below 50% of quota after {:.0} months",
                    o.ramp_months.max(1.0)
                ),
                check: None,
                owner: by_role("Sales Manager"),
                contingency:
                    "Pair the rep with a senior AE on live calls; narrow the rep to one segment"
                        .into(),
            });
            r.push(Risk {
                risk: "SDR → AE handoff leaks".into(),
                trigger: format!(
                    "Fewer than {:.0}% of {} handed over become {} in a month (plan: {:.0}%)",
                    p.stages[1].conversion_to_next * 80.0,
                    p.stages[1].name,
                    p.stages[2].name,
                    p.stages[1].conversion_to_next * 100.0
                ),
                check: check("stage_rate:1", true, 0.8, 4, true),
                owner: by_role("Revenue Operations"),
                contingency: "Joint SDR–AE review of every rejected SQL; rewrite the acceptance rule with examples [S50]".into(),
            });
            // The plan's own churn (the stated figure, else the benchmark it used), not the
            // benchmark: a business that writes 2% a month is on plan at 2%.
            let planned_churn = 1.0
                - cap
                    .existing
                    .retention
                    .powf(1.0 / f64::from(o.period_months.max(1)));
            r.push(Risk {
                risk: "Existing customers churn".into(),
                trigger: format!(
                    "Monthly churn above {:.1}% of the {} existing customers (plan: {:.1}%)",
                    planned_churn * 100.0 * 1.5,
                    o.current_customers,
                    planned_churn * 100.0
                ),
                check: check("churn_monthly", false, planned_churn * 1.5, 4, false),
                owner: by_role("Account Management"),
                contingency: "Onboarding to first value within 30 days; health score review of every account each month [S80][S99]".into(),
            });
        }
        Variation::Service => {
            // The proposal stage by its work (a milestone after it loses nothing), else the
            // fourth.
            let proposal = s
                .units
                .iter()
                .find(|u| u.work == crate::timing::Work::Proposal)
                .map_or(3, |u| u.stage)
                .min(p.stages.len().saturating_sub(1));
            let won_from = p.stages[proposal].probability;
            r.push(Risk {
                risk: "Proposal win rate falls".into(),
                trigger: format!(
                    "Fewer than {:.0}% of proposals won over a quarter (plan: {:.0}%)",
                    won_from * 80.0,
                    won_from * 100.0
                ),
                check: check(&format!("stage_rate:{proposal}"), true, 0.8, 13, true),
                owner: owner.clone(),
                contingency: "Walk every proposal through live; offer three priced options; ask each lost buyer why [S29][S30]".into(),
            });
            if let Some(d) = &cap.delivery {
                r.push(Risk {
                    risk: "Delivery capacity overrun".into(),
                    // When repeat work alone passes the capacity (the plan says so), the alarm is a
                    // load above the plan's own peak.
                    trigger: format!(
                        "More than {} engagements running at once (the plan peaks at {}, {} of them repeat work)",
                        d.capacity.max(d.peak_concurrent),
                        d.peak_concurrent,
                        d.repeat_running
                    ),
                    check: check("concurrent", false, f64::from(d.capacity.max(d.peak_concurrent)), 1, false),
                    owner: owner.clone(),
                    contingency: "Stagger start dates by two weeks; bring in an associate for the next engagement".into(),
                });
            }
        }
    }
    r
}

/// Phase 3 lead: weekly, monthly and one dated quarterly review per quarter.
pub fn reviews(f: &Foundation, weeks: &[String]) -> Vec<Review> {
    let o = &f.objectives;
    let start: Date = o.start_date.parse().unwrap_or_default();
    // Who meets and what they decide differ by variation: a founder reviews alone and guards
    // selling time; a team reviews per rep and forecasts; a practice weighs delivery load.
    let (weekly, weekly_minutes, monthly, quarterly) = match f.business.variation {
        Variation::Solopreneur => (
            "Your own pipeline hour: next step and date on every open deal, leads answered within the SLA, next week's prospecting blocks in the calendar [S91]",
            minutes::REVIEW.value as u32,
            "Your numbers: leads, calls and proposals against the plan, selling hours actually spent, one lost deal read again [S91]",
            "your hours and offer: revenue vs target, reset conversion targets from actuals, keep or drop each channel, change a package or price if a stage stalls",
        ),
        Variation::Scaling => (
            "Monday forecast call per AE: commit and best case, SQLs accepted or returned, deals without a next step [S91]",
            60,
            "Business review: stage conversion per rep against target, quota attainment, CAC per channel, next month's spend [S91]",
            "the team: bookings vs target, quotas and territories reset from actual rates, hiring and ramp against plan, channel budget reallocated",
        ),
        Variation::Service => (
            "Partners' pipeline review: every open proposal, enquiries answered within a working day, start dates against delivery load [S91]",
            minutes::REVIEW.value as u32,
            "Practice review: won and lost proposals with reasons, referral introductions, utilisation and the engagements starting next month [S91]",
            "the practice: fees vs target, conversion targets reset from actuals, delivery capacity and pricing, which clients to ask for referrals",
        ),
    };
    let mut out = vec![
        Review {
            cadence: "weekly".into(),
            date: weeks
                .get(1)
                .or(weeks.first())
                .cloned()
                .unwrap_or_else(|| o.start_date.clone()),
            decisions: weekly.into(),
            minutes: weekly_minutes,
        },
        Review {
            cadence: "monthly".into(),
            date: start
                .checked_add(jiff::Span::new().months(1))
                .unwrap_or(start)
                .to_string(),
            decisions: monthly.into(),
            minutes: 75,
        },
    ];
    let quarters = o.period_months.div_ceil(3);
    for q in 1..=quarters {
        let months = (q * 3).min(o.period_months);
        // The last Tuesday of the quarter's final month.
        let mut end = start
            .checked_add(jiff::Span::new().months(i64::from(months)))
            .and_then(|d| d.checked_sub(jiff::Span::new().days(1)))
            .unwrap_or(start);
        while end.weekday() != jiff::civil::Weekday::Tuesday {
            match end.yesterday() {
                Ok(y) => end = y,
                Err(_) => break,
            }
        }
        // Not in the holidays: a review due after 20 December moves to the Tuesday before.
        if end.month() == 12 && end.day() > 20 {
            end = end
                .checked_sub(jiff::Span::new().days(7 * i64::from((end.day() - 14) / 7)))
                .unwrap_or(end);
        }
        let focus = if q == quarters {
            "and the next period's target from the pipeline carried over"
        } else {
            "and alignment with the Sales Bible and roadmap"
        };
        out.push(Review {
            cadence: "quarterly".into(),
            date: end.to_string(),
            decisions: format!("Quarter {q} — {quarterly}, {focus} [S91]"),
            minutes: 150,
        });
    }
    out
}

/// Phase 3 lead: Business Chassis baseline, target and computed compounding.
pub fn chassis(f: &Foundation, p: &Pipeline, cap: &Capacity) -> Chassis {
    let o = &f.objectives;
    let baseline_conv: f64 = if f.stages.iter().filter(|s| s.own_rate).count().eq(&5) {
        f.stages.iter().map(|s| s.rate).product()
    } else {
        p.overall_conversion
    };
    let customers_b = f64::from(o.current_customers);
    let (leads_b, source) = if customers_b > 0.0 && baseline_conv > 0.0 {
        (
            customers_b / baseline_conv,
            "current customers ÷ lead-to-customer conversion".to_string(),
        )
    } else {
        (
            0.0,
            "no current customers given: the baseline is zero".to_string(),
        )
    };
    let drivers = |leads: f64, conv: f64, trans: f64, sale: f64, margin: f64| {
        let customers = leads * conv;
        let revenue = customers * trans * sale;
        Drivers {
            leads: leads.round(),
            conversion: (conv * 10000.0).round() / 10000.0,
            customers: round2(customers),
            transactions: round2(trans),
            avg_sale: round2(sale),
            revenue: revenue.round(),
            margin,
            profit: (revenue * margin).round(),
        }
    };
    let baseline = drivers(
        leads_b,
        baseline_conv,
        o.purchases_per_year,
        o.avg_deal_size,
        o.margin,
    );
    // This period's new business: the leads for its deals, the whole deals won, one purchase
    // each in the period — so revenue is exactly the months' total.
    let s = &cap.scheduled;
    let leads_t: f64 = s.entries[0]
        .iter()
        .take(s.creation_weeks as usize)
        .map(|e| f64::from(*e))
        .sum();
    let deals = f64::from(s.deals);
    let target = drivers(
        leads_t,
        if leads_t > 0.0 { deals / leads_t } else { 0.0 },
        1.0,
        o.avg_deal_size,
        o.margin,
    );
    let pct = |t: f64, b: f64| {
        if b > 0.0 {
            round2((t / b - 1.0) * 100.0)
        } else {
            0.0
        }
    };
    let changes = vec![
        Metric {
            name: "Leads".into(),
            target: pct(target.leads, baseline.leads),
            unit: "%".into(),
        },
        Metric {
            name: "Conversion".into(),
            target: pct(target.conversion, baseline.conversion),
            unit: "%".into(),
        },
        Metric {
            name: "Transactions".into(),
            target: pct(target.transactions, baseline.transactions),
            unit: "%".into(),
        },
        Metric {
            name: "Average sale".into(),
            target: pct(target.avg_sale, baseline.avg_sale),
            unit: "%".into(),
        },
        Metric {
            name: "Margin".into(),
            target: pct(target.margin, baseline.margin),
            unit: "%".into(),
        },
    ];
    let compounded = if baseline.leads > 0.0 {
        let product: f64 = changes.iter().map(|c| 1.0 + c.target / 100.0).product();
        round2((product - 1.0) * 100.0)
    } else {
        0.0
    };
    Chassis {
        baseline,
        target,
        changes_pct: changes,
        compounded_pct: compounded,
        ten_percent_five_drivers_pct: round2((1.1_f64.powi(5) - 1.0) * 100.0),
        baseline_source: source,
    }
}
