//! The plan's consistency check: every derived figure recomputed from the plan's own model, at the
//! end of every run. A disagreement fails the run with the figures named, so a plan can never
//! print two numbers for one thing.
//!
//! What is recomputed: the months (whole deals × deal size, adding up to the plan's deals and to
//! at least the target when the plan is reachable), the cumulative revenue, the Business Chassis
//! products, the velocity against the planned revenue, the coverage rule, the KPI targets against
//! the weekly schedule, the initiatives' deal and lead targets, the channel totals, the weekly
//! hours against their activities and caps, and every risk trigger against the plan's own weeks.

use crate::render::SalesPlanJson;

/// One disagreement: what, the two figures.
pub type Finding = String;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol.max(1e-6) * a.abs().max(b.abs()).max(1.0)
}

/// The weekly series of a tracked figure, as the plan plans it.
pub fn planned_series(plan: &SalesPlanJson, metric: &str) -> Option<Vec<f64>> {
    let weeks = plan.monthly_plan.iter().flat_map(|m| m.weeks.iter());
    match metric {
        "selling_hours" => Some(weeks.map(|w| w.total_hours).collect()),
        "new_leads" => Some(
            weeks
                .map(|w| {
                    w.activities
                        .iter()
                        .find(|a| a.name == plan.unit_times[0].activity)
                        .map_or(0.0, |a| f64::from(a.count))
                })
                .collect(),
        ),
        _ => None,
    }
}

/// True in how many of the plan's weeks each risk's trigger fires, as (risk, fired, weeks).
pub fn trigger_rates(plan: &SalesPlanJson) -> Vec<(String, usize, usize)> {
    let weeks: usize = plan.monthly_plan.iter().map(|m| m.weeks.len()).sum();
    let deals: u32 = plan.monthly_plan.iter().map(|m| m.deals).sum();
    plan.risks
        .iter()
        .filter_map(|r| {
            let c = r.check.as_ref()?;
            let fires = |planned: f64| {
                if c.below {
                    planned < c.threshold
                } else {
                    planned > c.threshold
                }
            };
            let fired = if c.relative {
                // A share of the plan's own figure: the plan itself is at 100% of it.
                if fires(1.0) { weeks } else { 0 }
            } else if let Some(series) = planned_series(plan, &c.metric) {
                // Only the weeks whose new leads serve this period count for lead triggers.
                let n = if c.metric == "new_leads" {
                    series.len().min(plan_creation_weeks(plan))
                } else {
                    series.len()
                };
                let w = (c.window_weeks as usize).max(1);
                crate::sections::execution::windows(&series[..n], w)
                    .into_iter()
                    .filter(|s| fires(*s))
                    .count()
                    .min(weeks)
            } else {
                // Figures the plan holds constant: its own value for them.
                let planned = match c.metric.as_str() {
                    "client_share" => 1.0 / f64::from(deals.max(1)),
                    "concurrent" => plan
                        .delivery
                        .as_ref()
                        .map_or(0.0, |d| f64::from(d.peak_concurrent)),
                    "stage_age_days" => plan
                        .pipeline
                        .stages
                        .iter()
                        .map(|s| s.avg_days)
                        .fold(0.0, f64::max),
                    "churn_monthly" => {
                        1.0 - plan
                            .existing
                            .retention
                            .powf(1.0 / f64::from(plan.objectives.period_months.max(1)))
                    }
                    _ => 0.0,
                };
                if fires(planned) { weeks } else { 0 }
            };
            Some((r.risk.clone(), fired, weeks))
        })
        .collect()
}

fn plan_creation_weeks(plan: &SalesPlanJson) -> usize {
    let n: usize = plan.monthly_plan.iter().map(|m| m.weeks.len()).sum();
    let cycle = (f64::from(plan.objectives.sales_cycle_days) / 7.0).ceil() as usize;
    n.saturating_sub(cycle)
}

/// Recomputes the plan's derived figures; returns every disagreement.
pub fn check(plan: &SalesPlanJson) -> Vec<Finding> {
    let mut out = Vec::new();
    hires(plan, &mut out);
    retention(plan, &mut out);
    let o = &plan.objectives;
    let deal = o.avg_deal_size;
    let deals: u32 = plan.monthly_plan.iter().map(|m| m.deals).sum();
    let revenue: f64 = plan.monthly_plan.iter().map(|m| m.revenue_target).sum();
    let mut cumulative = 0.0;
    for m in &plan.monthly_plan {
        if !close(m.revenue_target, f64::from(m.deals) * deal, 1e-9) {
            out.push(format!(
                "{}: revenue {} is not {} deals × {}",
                m.label, m.revenue_target, m.deals, deal
            ));
        }
        cumulative += m.revenue_target;
        if !close(m.cumulative_revenue, cumulative, 1e-9) {
            out.push(format!(
                "{}: cumulative revenue {} is not the months' sum {}",
                m.label, m.cumulative_revenue, cumulative
            ));
        }
        let hours: f64 = m.weeks.iter().map(|w| w.total_hours).sum();
        if !close(m.hours, hours, 0.01) {
            out.push(format!(
                "{}: {} hours against {} in its weeks",
                m.label, m.hours, hours
            ));
        }
        for w in &m.weeks {
            let sum: f64 = w.activities.iter().map(|a| a.hours).sum();
            if !close(w.total_hours, sum, 0.01) {
                out.push(format!(
                    "week of {}: total {} h against activities {} h",
                    w.start, w.total_hours, sum
                ));
            }
            if w.total_hours > w.cap + 0.01 {
                out.push(format!(
                    "week of {}: {} h planned above its {} h",
                    w.start, w.total_hours, w.cap
                ));
            }
        }
        let revenue_before_cycle = m.month == 1 && m.deals > 0 && o.sales_cycle_days >= 31;
        if revenue_before_cycle {
            out.push(format!(
                "{}: {} deals before one sales cycle has passed",
                m.label, m.deals
            ));
        }
    }
    if plan.feasibility.feasible && revenue + 1e-6 < o.revenue_target {
        out.push(format!(
            "the months add up to {revenue}, below the {} target of a plan called reachable",
            o.revenue_target
        ));
    }
    if !plan.feasibility.feasible && !close(plan.feasibility.achievable_revenue, revenue, 1e-9) {
        out.push(format!(
            "the reachable revenue {} is not the months' {revenue}",
            plan.feasibility.achievable_revenue
        ));
    }
    // Business Chassis: this period's new business is the months' total.
    let t = &plan.chassis.target;
    if !close(t.customers, f64::from(deals), 0.01) {
        out.push(format!(
            "Chassis customers {} against {deals} planned deals",
            t.customers
        ));
    }
    if !close(t.revenue, revenue, 0.001) {
        out.push(format!(
            "Chassis revenue {} against the months' {revenue}",
            t.revenue
        ));
    }
    for (name, d) in [("baseline", &plan.chassis.baseline), ("target", t)] {
        if !close(d.customers * d.transactions * d.avg_sale, d.revenue, 0.01) {
            out.push(format!(
                "Chassis {name}: customers × purchases × sale ≠ revenue {}",
                d.revenue
            ));
        }
        if !close(d.revenue * d.margin, d.profit, 0.01) {
            out.push(format!(
                "Chassis {name}: revenue × margin ≠ profit {}",
                d.profit
            ));
        }
    }
    // Velocity over the selling days is the planned revenue (within the rounding of a week).
    let span = plan_creation_weeks(plan) as f64 * 7.0;
    let v = plan.pipeline.velocity_per_day * span;
    // The stored velocity is rounded to cents: allow that rounding over the selling days.
    if revenue > 0.0 && (v - revenue).abs() > 0.005 * span + 1.0 {
        out.push(format!(
            "velocity {} a day × {span} selling days = {v:.0}, against the planned {revenue}",
            plan.pipeline.velocity_per_day
        ));
    }
    let want = ((1.0 / plan.pipeline.win_rate.max(0.01)) * 10.0).ceil() / 10.0;
    if !close(plan.pipeline.coverage_target, want, 1e-9) {
        out.push(format!(
            "coverage {}× is not 1 ÷ win rate ({want}×)",
            plan.pipeline.coverage_target
        ));
    }
    // KPI targets are the schedule's own figures.
    let weeks: usize = plan.monthly_plan.iter().map(|m| m.weeks.len()).sum();
    let (median, _, _) = crate::sections::execution::coverage(&plan.monthly_plan);
    for k in &plan.kpis {
        if k.name.starts_with("Qualified pipeline coverage") && !close(k.target, median, 1e-9) {
            out.push(format!(
                "KPI coverage {}× against the months' median {median}×",
                k.target
            ));
        }
        if k.name == "New deals closed" && !close(k.target, f64::from(deals), 1e-9) {
            out.push(format!("KPI deals {} against {deals} planned", k.target));
        }
        if k.name == "New revenue closed" && !close(k.target, revenue, 1e-9) {
            out.push(format!(
                "KPI revenue {} against {revenue} planned",
                k.target
            ));
        }
        let role = |name: &str| {
            plan.team
                .iter()
                .find(|r| r.role == name)
                .map_or(1.0, |r| f64::from(r.people.max(1)))
        };
        let unit = plan.unit_times.iter().find_map(|u| {
            let rest = k.name.strip_prefix(u.activity.as_str())?;
            match rest {
                "" => Some((u, 1.0)),
                " per SDR" => Some((u, role("SDR"))),
                " per AE" => Some((u, role("Account Executive"))),
                _ => None,
            }
        });
        if let Some((u, people)) = unit {
            let total: u32 = plan
                .monthly_plan
                .iter()
                .map(|m| m.stage_entries.get(u.stage).copied().unwrap_or(0))
                .sum();
            let per = if k.unit == "per week" {
                f64::from(total) / weeks.max(1) as f64
            } else {
                f64::from(total) / plan.monthly_plan.len().max(1) as f64
            } / people;
            if !close(k.target, per, 0.01) {
                out.push(format!(
                    "KPI `{}` {} {} against the schedule's {per:.2}",
                    k.name, k.target, k.unit
                ));
            }
        }
    }
    // The initiatives' deal targets are the plan's deals.
    for i in &plan.initiatives {
        for m in &i.metrics {
            if m.name == "Deals closed" && !close(m.target, f64::from(deals), 1e-9) {
                out.push(format!(
                    "{}: {} deals against {deals} planned",
                    i.name, m.target
                ));
            }
        }
    }
    // Channels add up.
    if !plan.channel_targets.is_empty() {
        let cd: u32 = plan.channel_targets.iter().map(|c| c.deals).sum();
        if cd != deals {
            out.push(format!("channels bring {cd} deals against {deals} planned"));
        }
        let cb: f64 = plan.channel_targets.iter().map(|c| c.budget).sum();
        if cb > plan.objectives.budget + 1.0 {
            out.push(format!(
                "channel budgets {cb} above the {} budget",
                plan.objectives.budget
            ));
        }
    }
    // Risks fire only when the plan is off track.
    for (risk, fired, n) in trigger_rates(plan) {
        if fired * 10 > n {
            out.push(format!(
                "risk `{risk}`: its trigger is true in {fired} of the plan's {n} weeks"
            ));
        }
    }
    out
}

/// A new hire never carries more than a ramped person over the period, and a later start never
/// carries more than an earlier one in the same role.
fn hires(plan: &SalesPlanJson, out: &mut Vec<Finding>) {
    for (i, h) in plan.hires.iter().enumerate() {
        if f64::from(h.quota) > h.full_quota + 1e-9 {
            out.push(format!(
                "new {} from {}: quota {} above a ramped person's {}",
                h.role, h.start, h.quota, h.full_quota
            ));
        }
        if let Some(prev) = plan.hires[..i].iter().rev().find(|p| p.role == h.role)
            && h.quota > prev.quota
        {
            out.push(format!(
                "new {} from {}: quota {} above the {} of a hire from {}",
                h.role, h.start, h.quota, prev.quota, prev.start
            ));
        }
    }
}

/// The retention KPI is what the existing-customer line says: (renewals or repeat work +
/// expansion) ÷ what those customers bring today.
fn retention(plan: &SalesPlanJson, out: &mut Vec<Finding>) {
    let o = &plan.objectives;
    let base = crate::sections::team::base_revenue(o);
    let Some(k) = plan
        .kpis
        .iter()
        .find(|k| k.name.starts_with("Net revenue retention"))
    else {
        return;
    };
    let expected = (plan.existing.revenue + plan.existing.expansion) / base.max(1e-9) * 100.0;
    if (k.target - expected).abs() > 0.5 {
        out.push(format!(
            "net revenue retention target {}% against {expected:.1}% on the existing-customer line",
            k.target
        ));
    }
}
