//! Phase 1, @revenue-operations in support: resource allocation, the capacity check and the
//! timeline that the initiatives are sized with.

use crate::foundation::Foundation;
use crate::funnel::{self, Funnel};
use crate::model::Feasibility;
use crate::render::money;
use serde::{Deserialize, Serialize};

/// How the budget is split. The reserve is not planned spend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BudgetPlan {
    /// For the acquisition initiative.
    pub acquisition: f64,
    /// For the conversion initiative.
    pub conversion: f64,
    /// For the expansion/referral initiative.
    pub expansion: f64,
    /// Held back for contingencies.
    pub reserve: f64,
    /// acquisition + conversion + expansion.
    pub planned_spend: f64,
}

/// Capacity and timing, decided once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Capacity {
    /// The funnel for the whole target.
    pub full: Funnel,
    /// The funnel the hours allow (the same as `full` when it fits).
    pub scheduled: Funnel,
    /// Whether the target fits.
    pub feasibility: Feasibility,
    /// Budget split.
    pub budget: BudgetPlan,
    /// Last day on which new prospects are created (one cycle before the end).
    pub creation_ends: String,
    /// First week in which deals are expected to close.
    pub first_close_week: String,
}

/// Shares of the budget: acquisition, conversion, expansion, reserve.
pub const BUDGET_SHARES: [f64; 4] = [0.5, 0.25, 0.15, 0.10];

/// Sizes the plan against the hours, budget and cycle.
pub fn capacity(f: &Foundation) -> Capacity {
    let o = &f.objectives;
    let (full, scheduled) = funnel::fit(f);
    let cur = o.currency.as_str();
    let needed = full.peak_hours();
    let available = o.hours_per_week;
    let achievable = scheduled.revenue(o.avg_deal_size);
    let mut options = Vec::new();
    let mut gaps = Vec::new();
    if full.creation_weeks == 0 {
        gaps.push(format!(
            "The sales cycle ({} days) does not fit in the {}-month period: no deal started in the period can close in it.",
            o.sales_cycle_days, o.period_months
        ));
        options.push(format!(
            "Longer period: at least {} months, so deals started in it can close in it.",
            (f64::from(o.sales_cycle_days) / 30.4).ceil() as u32 + 1
        ));
        options.push("Count deals already in the pipeline towards this period's target.".into());
    } else if !full.fits() && achievable + 1e-6 < o.revenue_target {
        let variable_needed = needed - full.fixed_hours;
        let variable_have = (available - full.fixed_hours).max(0.0);
        let ratio = if variable_have > 0.0 {
            variable_needed / variable_have
        } else {
            f64::INFINITY
        };
        gaps.push(format!(
            "The target needs {needed:.1} selling hours in the busiest week; {available:.1} are available. At {available:.1} h/week the plan reaches {} ({:.0}% of the {} target).",
            money(cur, achievable),
            100.0 * achievable / o.revenue_target.max(1.0),
            money(cur, o.revenue_target)
        ));
        options.push(format!(
            "More hours: {needed:.1} h/week at the peak (+{:.1} h/week).",
            needed - available
        ));
        if ratio.is_finite() {
            options.push(format!(
                "Higher deal size: about {} per deal needs the same number of deals as the hours allow.",
                money(cur, o.avg_deal_size * ratio)
            ));
            let cycle_weeks = (f64::from(o.sales_cycle_days) / 7.0).ceil();
            let months = (f64::from(full.creation_weeks) * ratio + cycle_weeks) / 4.345;
            options.push(format!(
                "Longer period: about {:.0} months at the current hours.",
                months.ceil()
            ));
        }
        options.push(format!(
            "Lower target: {} for this period.",
            money(cur, achievable)
        ));
    }
    let feasible = gaps.is_empty();
    let budget = BudgetPlan {
        acquisition: (o.budget * BUDGET_SHARES[0]).floor(),
        conversion: (o.budget * BUDGET_SHARES[1]).floor(),
        expansion: (o.budget * BUDGET_SHARES[2]).floor(),
        reserve: o.budget
            - (o.budget * BUDGET_SHARES[0]).floor()
            - (o.budget * BUDGET_SHARES[1]).floor()
            - (o.budget * BUDGET_SHARES[2]).floor(),
        planned_spend: (o.budget * BUDGET_SHARES[0]).floor()
            + (o.budget * BUDGET_SHARES[1]).floor()
            + (o.budget * BUDGET_SHARES[2]).floor(),
    };
    let creation_ends = scheduled
        .weeks
        .get((scheduled.creation_weeks as usize).saturating_sub(1))
        .cloned()
        .unwrap_or_else(|| o.start_date.clone());
    let cycle_weeks = (f64::from(o.sales_cycle_days) / 7.0).ceil() as usize;
    let first_close_week = scheduled
        .weeks
        .get(cycle_weeks)
        .cloned()
        .unwrap_or_else(|| o.end_date.clone());
    Capacity {
        feasibility: Feasibility {
            feasible,
            hours_needed_per_week: needed,
            hours_available_per_week: available,
            achievable_revenue: if feasible {
                full.revenue(o.avg_deal_size)
            } else {
                achievable
            },
            gap: gaps.join(" "),
            options,
        },
        full,
        scheduled,
        budget,
        creation_ends,
        first_close_week,
    }
}
