//! Phase 1, @revenue-operations in support: resource allocation, the capacity check and the
//! timeline that the initiatives are sized with.

use super::team;
use crate::foundation::Foundation;
use crate::funnel::{self, Funnel};
use crate::model::{Delivery, Existing, Feasibility, RoleLoad, Variation};
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
    /// Last day on which new prospects for this period's deals are created (one cycle before the
    /// end); prospecting continues after it for the next period.
    pub creation_ends: String,
    /// First week in which deals are expected to close.
    pub first_close_week: String,
    /// Who does the work.
    pub team: Vec<RoleLoad>,
    /// Whether the business can deliver what it wins (solos and services).
    pub delivery: Option<Delivery>,
    /// What a new hire in each role carries by start quarter (teams with roles).
    pub hires: Vec<crate::model::Hire>,
    /// When each AE's share of the bookings is more than one person carries: why and the fix.
    #[serde(default)]
    pub quota_check: Option<String>,
    /// What existing customers bring, beside the target.
    pub existing: Existing,
}

/// Shares of the budget (acquisition, conversion, expansion, reserve) for each kind of business:
/// a solo spends on referrals and proof, a team on demand and tools, a service firm on events,
/// content and client retention.
pub fn budget_shares(v: Variation) -> [f64; 4] {
    match v {
        Variation::Solopreneur => [0.40, 0.20, 0.25, 0.15],
        Variation::Scaling => [0.60, 0.20, 0.10, 0.10],
        Variation::Service => [0.45, 0.15, 0.25, 0.15],
    }
}

/// Sizes the plan against the hours, budget, cycle and delivery capacity.
pub fn capacity(f: &Foundation) -> Capacity {
    let o = &f.objectives;
    let (full, scheduled) = funnel::fit(f);
    let cur = o.currency.as_str();
    let needed = full.peak_hours();
    let available = o.hours_per_week;
    let achievable = scheduled.revenue(o.avg_deal_size);
    let delivery_full = team::delivery(f, &full);
    let mut options = Vec::new();
    let mut gaps = Vec::new();
    let n = full.weeks.len().max(1);
    let cycle_weeks = (f64::from(o.sales_cycle_days) / 7.0).ceil();
    let binding;
    if full.creation_weeks == 0 {
        binding = "time in the period";
        gaps.push(format!(
            "The sales cycle ({} days) does not fit in the {}-month period: no deal started in the period can close in it.",
            o.sales_cycle_days, o.period_months
        ));
        options.push(format!(
            "Longer period: at least {} months, so deals started in it can close in it.",
            (f64::from(o.sales_cycle_days) / 30.4).ceil() as u32 + 1
        ));
        options.push("Count deals already in the pipeline towards this period's target.".into());
    } else if !funnel::fits_all(f, &full) && achievable + 1e-6 < o.revenue_target {
        let hours_short = !full.fits();
        // A long cycle squeezes all prospecting into the first weeks: the limit is time.
        let squeezed = f64::from(full.creation_weeks) < n as f64 / 2.0;
        // Current clients' repeat work alone filling the capacity leaves no room, whatever the
        // hours.
        let full_up = f.concurrent.is_some()
            && delivery_full
                .as_ref()
                .is_some_and(|d| d.repeat_running >= d.capacity);
        let channels_short = !funnel::channels_fit(f, &full);
        let delivery_short = !team::delivery_fits(f, &full);
        // The limit that binds is the one that alone allows the least of the target.
        let under_hours = if hours_short {
            funnel::reach_under(f, |s| s.fits())
        } else {
            1.0
        };
        let under_delivery = if delivery_short {
            funnel::reach_under(f, |s| team::delivery_fits(f, s))
        } else {
            1.0
        };
        let under_channels = if channels_short {
            funnel::reach_under(f, |s| funnel::channels_fit(f, s))
        } else {
            1.0
        };
        let least = under_hours.min(under_delivery).min(under_channels);
        binding = if full_up {
            "delivery capacity"
        } else if hours_short && under_hours <= least && squeezed {
            "time in the period"
        } else if hours_short && under_hours <= least {
            "selling hours"
        } else if channels_short && under_channels <= least {
            "lead sources"
        } else {
            "delivery capacity"
        };
        let share = 100.0 * achievable / o.revenue_target.max(1.0);
        let reach = format!(
            "This plan schedules {} deals, {} ({share:.0}% of the {} target).",
            scheduled.deals,
            money(cur, achievable),
            money(cur, o.revenue_target)
        );
        match binding {
            "time in the period" => gaps.push(format!(
                "With a {}-day cycle only the first {} of {n} weeks can start deals that close in the period, so the {} leads would have to be found in those weeks: {needed:.1} selling hours at the busiest week against {available:.1}. {reach}",
                o.sales_cycle_days, full.creation_weeks, full.volumes[0]
            )),
            "selling hours" => gaps.push(format!(
                "The target needs {needed:.1} selling hours in the busiest week; {available:.1} are available. {reach}"
            )),
            "lead sources" => {
                let limits: Vec<String> = full
                    .channels
                    .iter()
                    .filter_map(|c| {
                        crate::channels::channel_limit(f, c, &full.channels)
                            .map(|(_, why)| format!("{}: {why}", c.channel))
                    })
                    .collect();
                gaps.push(format!(
                    "Your lead sources cannot give the {} leads the target needs: about {:.0} more than they can carry ({}). {reach}",
                    full.volumes[0],
                    funnel::channel_shortfall(f, &full),
                    limits.join("; ")
                ));
                options.push("Another lead source: outreach or content can take up what introductions, events and partners cannot give.".into());
                options.push("Name how many partners refer you (`3 accounting firms`): they are then counted at what they can refer.".into());
            }
            _ => match delivery_full.as_ref() {
                Some(d) => gaps.push(format!(
                    "The target's {} deals would have {} engagements of {:.1} weeks running at once, {} of them current clients' repeat work; {} can run at the same time ({}). {reach}",
                    o.deals_needed, d.peak_concurrent, d.engagement_weeks, d.repeat_running, d.capacity, d.capacity_source
                )),
                None => gaps.push(format!("The target does not fit what the plan can schedule. {reach}")),
            },
        }
        if hours_short && binding != "delivery capacity" {
            options.push(format!(
                "More selling hours: {needed:.1} h/week at the busiest week (+{:.1} h/week){}.",
                needed - available,
                if o.team_size > 1 {
                    format!(
                        ", about {:.1} h more per person",
                        (needed - available) / f64::from(o.team_size)
                    )
                } else {
                    String::new()
                }
            ));
        }
        if scheduled.deals > 0 {
            let deal_needed = o.revenue_target / f64::from(scheduled.deals);
            let top = f.packages.iter().map(|p| p.1).fold(0.0, f64::max);
            if f.packages.is_empty() || deal_needed <= top {
                options.push(format!(
                    "Larger deals: the {} deals this plan can win reach the target at {} each{}.",
                    scheduled.deals,
                    money(cur, deal_needed),
                    if f.packages.is_empty() {
                        String::new()
                    } else {
                        format!(" (within your packages, up to {})", money(cur, top))
                    }
                ));
            } else {
                options.push(format!(
                    "Larger deals cannot close the gap alone: it would take {} per deal, above your largest package ({}).",
                    money(cur, deal_needed),
                    money(cur, top)
                ));
            }
        }
        if binding != "delivery capacity" && achievable > 0.0 {
            let ratio = (o.revenue_target / achievable.max(1.0)).max(1.0);
            let months = (f64::from(full.creation_weeks) * ratio + cycle_weeks) / 4.345;
            options.push(format!(
                "Longer period: about {:.0} months at the current hours and deal size.",
                months.ceil()
            ));
        } else if binding == "delivery capacity" {
            options.push("Deliver with help: a subcontractor or associate for part of each engagement raises the engagements that can run at once.".into());
        }
        if scheduled.deals > 0 {
            options.push(format!(
                "Lower target: {} for this period.",
                money(cur, achievable)
            ));
        } else {
            options.push(format!(
                "Not one deal fits with {available:.1} h a week: free the time first, then set the target from what fits."
            ));
        }
    } else {
        binding = "none";
    }
    let feasible = gaps.is_empty();
    let shares = budget_shares(f.business.variation);
    let part = |i: usize| (o.budget * shares[i]).floor();
    let planned = part(0) + part(1) + part(2);
    let budget = BudgetPlan {
        acquisition: part(0),
        conversion: part(1),
        expansion: part(2),
        reserve: o.budget - planned,
        planned_spend: planned,
    };
    let creation_ends = scheduled
        .weeks
        .get((scheduled.creation_weeks as usize).saturating_sub(1))
        .cloned()
        .unwrap_or_else(|| o.start_date.clone());
    let first_close_week = scheduled
        .closes
        .iter()
        .position(|c| *c > 0)
        .and_then(|k| scheduled.weeks.get(k).cloned())
        .unwrap_or_else(|| o.end_date.clone());
    let roster = team::roster(f, &scheduled);
    Capacity {
        feasibility: Feasibility {
            feasible,
            hours_needed_per_week: needed,
            hours_available_per_week: available,
            achievable_revenue: achievable,
            gap: gaps.join(" "),
            options,
            binding: binding.into(),
        },
        hires: team::hires(f, &scheduled.weeks, &roster),
        quota_check: team::quota_check(f, &roster),
        team: roster,
        delivery: team::delivery(f, &scheduled),
        existing: team::existing(f),
        full,
        scheduled,
        budget,
        creation_ends,
        first_close_week,
    }
}
