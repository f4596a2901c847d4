//! Phase 1, @revenue-operations in support: who does the work (roles, hours, quotas, ramp), whether
//! the business can deliver what it would win, and what its existing customers bring.
//!
//! A team's stage work is split by the stage's meaning: lead creation and qualification belong to
//! SDRs, meetings, proposals and closing to Account Executives; the roster follows the load, so no
//! role is planned above its hours. A solo founder or a service business is checked for delivery:
//! the engagements won, each running as long as the packages say, must fit the engagements that can
//! run at once.

use crate::foundation::Foundation;
use crate::funnel::Funnel;
use crate::model::{Delivery, Existing, Hire, RoleLoad, Variation};
use crate::timing::Work;

/// The roster and each role's load.
pub fn roster(f: &Foundation, s: &Funnel) -> Vec<RoleLoad> {
    let o = &f.objectives;
    let hours = |pred: &dyn Fn(Work) -> bool| -> f64 {
        s.units
            .iter()
            .filter(|u| pred(u.work))
            .map(|u| s.stage_hours_per_week(u.stage))
            .sum()
    };
    let names = |pred: &dyn Fn(Work) -> bool| -> Vec<String> {
        s.units
            .iter()
            .filter(|u| pred(u.work))
            .map(|u| f.stages[u.stage].name.clone())
            .collect()
    };
    let early = |w: Work| matches!(w, Work::Lead | Work::Qualify);
    let late = |w: Work| !early(w);
    let team = o.team_size.max(1);
    let review = s.fixed_hours / f64::from(team);
    let checkins = s.check_ins.iter().sum::<u32>() as f64
        * crate::benchmarks::minutes::CHECK_IN.value
        / 60.0
        / s.weeks.len().max(1) as f64;
    if f.business.variation != Variation::Scaling || team < 3 {
        let role = match (f.business.variation, team) {
            (Variation::Solopreneur, _) | (_, 1) => "Founder",
            _ => "Partner",
        };
        return vec![RoleLoad {
            role: role.into(),
            people: team,
            hours_per_person: o.hours_per_person,
            stages: f.stages.iter().map(|x| x.name.clone()).collect(),
            planned_hours: round1(hours(&|_| true) + review * f64::from(team) + checkins),
            quota: round1(f64::from(s.deals) / f64::from(team)),
            quota_unit: "deals".into(),
        }];
    }
    // A team: SDRs take the early stages, AEs the rest — as many of each as the roster names,
    // else in proportion to the work.
    let (e, l) = (hours(&early), hours(&late) + checkins);
    let named = |role: &str| -> Option<(u32, f64)> {
        let rs: Vec<&(String, u32, f64)> = f.seller_roles.iter().filter(|r| r.0 == role).collect();
        let n: u32 = rs.iter().map(|r| r.1).sum();
        (n > 0).then(|| {
            (
                n,
                rs.iter().map(|r| r.2 * f64::from(r.1)).sum::<f64>() / f64::from(n),
            )
        })
    };
    let (sdr, ae, sdr_hours, ae_hours) = match (named("SDR"), named("Account Executive")) {
        (Some((s, sh)), Some((a, ah))) if s + a <= team => (s, team - s, sh, ah),
        _ => {
            let sdr = ((f64::from(team) * e / (e + l).max(1e-9)).round() as u32).clamp(1, team - 1);
            (sdr, team - sdr, o.hours_per_person, o.hours_per_person)
        }
    };
    let first_ae = handoff_stage(s);
    let handed = s.entries.get(first_ae).map_or(0, |v| v.iter().sum::<u32>());
    vec![
        RoleLoad {
            role: "SDR".into(),
            people: sdr,
            hours_per_person: round1(sdr_hours),
            stages: names(&early),
            planned_hours: round1(e / f64::from(sdr) + review),
            quota: round1(f64::from(handed) / f64::from(sdr)),
            quota_unit: format!("{} handed to an AE", f.stages[first_ae].name),
        },
        RoleLoad {
            role: "Account Executive".into(),
            people: ae,
            hours_per_person: round1(ae_hours),
            stages: names(&late),
            planned_hours: round1(l / f64::from(ae) + review),
            quota: round1(f64::from(s.deals) / f64::from(ae)),
            quota_unit: "deals".into(),
        },
    ]
}

/// New bookings a ramped mid-market Account Executive usually carries in a year: $600k–$1M
/// (coord default from sales-leadership practice; the reference gives no AE quota benchmark).
pub const AE_QUOTA_RANGE: (f64, f64) = (600_000.0, 1_000_000.0);

/// For a team with roles: whether each Account Executive's share of the bookings is one a
/// person can carry; `None` when it is, a sentence with the fix when it is not.
pub fn quota_check(f: &Foundation, team: &[RoleLoad]) -> Option<String> {
    let o = &f.objectives;
    let ae = team.iter().find(|r| r.role == "Account Executive")?;
    let sdr = team.iter().find(|r| r.role == "SDR");
    let per_ae = ae.quota * o.avg_deal_size * 12.0 / f64::from(o.period_months.max(1));
    let (lo, hi) = AE_QUOTA_RANGE;
    if per_ae <= hi {
        return None;
    }
    let cur = o.currency.as_str();
    let needed = (ae.quota * f64::from(ae.people) * o.avg_deal_size * 12.0
        / f64::from(o.period_months.max(1))
        / hi)
        .ceil() as u32;
    Some(format!(
        "Each Account Executive would carry {} of new bookings a year, above the {}–{} a mid-market AE usually carries (coord default); {}. At least {needed} AEs carry this target: hire {} (the new-hire table shows what each brings this period), or buy more inbound demand so fewer SDR hours go to creating leads.",
        crate::render::money(cur, per_ae),
        crate::render::money(cur, lo),
        crate::render::money(cur, hi),
        match sdr {
            Some(s) => format!(
                "the {} SDRs are needed for the lead work ({:.1} of {:.0} h a week each), so the team of {} leaves {} for closing",
                s.people, s.planned_hours, s.hours_per_person, o.team_size, ae.people
            ),
            None => "the team has no room for more".into(),
        },
        needed.saturating_sub(ae.people)
    ))
}

/// Share of a ramped person's rate a new hire reaches during the ramp.
pub const RAMP_SHARE: f64 = 0.5;

/// For a team with roles: what one new hire in each role carries in this period if they start at
/// the beginning of each quarter. Weekly rate = the role's quota per person over the period's
/// weeks; during the ramp a hire reaches [`RAMP_SHARE`] of it; an Account Executive's first deal
/// comes one sales cycle after the start.
pub fn hires(f: &Foundation, weeks: &[String], team: &[RoleLoad]) -> Vec<Hire> {
    let o = &f.objectives;
    let n = weeks.len();
    if f.business.variation != Variation::Scaling || team.len() < 2 || n == 0 {
        return Vec::new();
    }
    let ramp_weeks = (o.ramp_months * 52.0 / 12.0).round() as usize;
    let cycle_weeks = (f64::from(o.sales_cycle_days) / 7.0).round() as usize;
    let quarters = o.period_months.div_ceil(3) as usize;
    let mut out = Vec::new();
    for r in team {
        let rate = r.quota / n as f64;
        let lag = if r.role == "SDR" { 0 } else { cycle_weeks };
        for q in 0..quarters {
            let start = (q * 13).min(n - 1);
            let expected: f64 = (start..n)
                .map(|t| {
                    let age = t - start;
                    if age < lag {
                        0.0
                    } else if age < ramp_weeks {
                        RAMP_SHARE * rate
                    } else {
                        rate
                    }
                })
                .sum();
            out.push(Hire {
                role: r.role.clone(),
                start: weeks[start].clone(),
                first_result: weeks
                    .get(start + lag)
                    .cloned()
                    .unwrap_or_else(|| "after the period".into()),
                quota: expected.floor() as u32,
                full_quota: r.quota,
                unit: r.quota_unit.clone(),
            });
        }
    }
    out
}

/// The first stage an Account Executive works: the first past lead creation and qualification.
pub fn handoff_stage(s: &Funnel) -> usize {
    s.units
        .iter()
        .position(|u| !matches!(u.work, Work::Lead | Work::Qualify))
        .unwrap_or(s.units.len().saturating_sub(1))
}

/// Engagements that can run at once when the inputs do not say (a coord default).
pub const CONCURRENT_PER_PERSON: u32 = 3;

/// Weeks an engagement runs when no package says (a coord default).
pub const ENGAGEMENT_WEEKS: f64 = 8.0;

/// The delivery check for solos and service businesses (teams deliver through other staff).
/// Retainers and subscriptions have no end to schedule, so they are not counted as engagements.
pub fn delivery(f: &Foundation, s: &Funnel) -> Option<Delivery> {
    if f.business.variation == Variation::Scaling {
        return None;
    }
    if f.recurring {
        return retainers(f, s);
    }
    let (weeks, source) = f.engagement.clone().unwrap_or((
        ENGAGEMENT_WEEKS,
        format!("coord default: {ENGAGEMENT_WEEKS:.0} weeks (no package says how long it runs)"),
    ));
    let o = &f.objectives;
    let (capacity, capacity_source) = match &f.concurrent {
        Some((n, at)) => (*n, format!("your documents: {at}")),
        None => (
            CONCURRENT_PER_PERSON * o.team_size.max(1),
            format!(
                "coord default: {CONCURRENT_PER_PERSON} engagements at once per person ({} × {CONCURRENT_PER_PERSON}); write `Engagements at once: N` to use yours",
                o.team_size.max(1)
            ),
        ),
    };
    // Existing clients' repeat work runs beside the new engagements, spread over the period.
    let period_weeks = (f64::from(o.period_months) * 52.0 / 12.0).max(1.0);
    let repeat =
        f64::from(o.current_customers) * o.purchases_per_year * f64::from(o.period_months) / 12.0;
    let repeat_running = (repeat * weeks / period_weeks).round() as u32;
    let peak = peak_concurrent(&s.closes, weeks) + repeat_running;
    Some(Delivery {
        engagement_weeks: round1(weeks),
        engagement_source: source,
        capacity,
        capacity_source,
        repeat_running,
        peak_concurrent: peak,
        fits: peak <= capacity,
    })
}

/// True when the business can deliver what the plan wins — judged only against a capacity the
/// inputs give: coord's default (three at once per person, eight weeks each) is said beside the
/// plan, but a one-day wedding or a two-week audit is not held to it.
pub fn delivery_fits(f: &Foundation, s: &Funnel) -> bool {
    f.concurrent.is_none() || delivery(f, s).is_none_or(|d| d.fits)
}

/// Retainers run on: checked only against a capacity the inputs give (`our helpdesk can look
/// after about thirty clients`): the clients kept plus every new one, at the end of the period.
fn retainers(f: &Foundation, s: &Funnel) -> Option<Delivery> {
    let (capacity, at) = f.concurrent.clone()?;
    let kept = (f64::from(f.objectives.current_customers) * existing(f).retention).round() as u32;
    let peak = kept + s.deals;
    Some(Delivery {
        engagement_weeks: round1(f64::from(f.objectives.period_months) * 52.0 / 12.0),
        engagement_source: "retainers run on: each new client stays to the end of the period"
            .into(),
        capacity,
        capacity_source: format!("your documents: {at}"),
        repeat_running: kept,
        peak_concurrent: peak,
        fits: peak <= capacity,
    })
}

/// Most engagements running in one week when each deal starts the week it closes.
pub fn peak_concurrent(closes: &[u32], weeks: f64) -> u32 {
    let len = weeks.ceil().max(1.0) as usize;
    (0..closes.len())
        .map(|k| closes[k.saturating_sub(len - 1)..=k].iter().sum::<u32>())
        .max()
        .unwrap_or(0)
}

/// What today's customers would bring over the period at today's purchase frequency, before
/// churn: the base the retention line and its KPI are measured against.
pub fn base_revenue(o: &crate::model::Objectives) -> f64 {
    f64::from(o.current_customers)
        * o.purchases_per_year
        * o.avg_deal_size
        * f64::from(o.period_months)
        / 12.0
}

/// Existing customers: what they bring at today's purchase frequency. The revenue target is read
/// as new business; this line is planned beside it, not inside it.
pub fn existing(f: &Foundation) -> Existing {
    let o = &f.objectives;
    let (retention, source) = match (&f.clients_lost, f.business.variation) {
        // The customers' own figure (`we lose roughly two a year`, `90% renew each year`) over
        // any benchmark.
        (Some((lost, at)), _) if o.current_customers > 0 => (
            (1.0 - lost * f64::from(o.period_months) / 12.0 / f64::from(o.current_customers))
                .max(0.0),
            at.clone(),
        ),
        (_, Variation::Scaling) => {
            let churn = crate::benchmarks::churn_for(o.avg_deal_size);
            (
                (1.0 - churn.value).powf(f64::from(o.period_months)),
                format!(
                    "{} compounded over {} months",
                    churn.source, o.period_months
                ),
            )
        }
        _ => (
            1.0,
            "they buy as often as today (your purchases per customer per year)".to_string(),
        ),
    };
    let revenue = match &f.total_target {
        // The same book the new-business target was found with.
        Some((_, book, _)) => *book,
        None => (base_revenue(o) * retention).round(),
    };
    Existing {
        total_target: f.total_target.as_ref().map(|t| t.0),
        customers: o.current_customers,
        retention: (retention * 1000.0).round() / 1000.0,
        retention_source: source,
        revenue,
        expansion: (revenue * 0.1).round(),
        reading: match &f.total_target {
            Some((total, book, _)) => format!(
                "Your {} is total revenue: today's customers bring about {} of it, so the plan's {} target is the new business to win; the funnel, deals and months below are new customers only.",
                crate::render::money(&o.currency, *total),
                crate::render::money(&o.currency, *book),
                crate::render::money(&o.currency, o.revenue_target)
            ),
            None => format!(
                "The {} target is read as new business: the funnel, deals and months below are new customers only; existing customers are planned on their own line.",
                crate::render::money(&o.currency, o.revenue_target)
            ),
        },
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrency_counts_running_engagements() {
        let closes = [0, 1, 0, 1, 1, 0, 0, 0];
        assert_eq!(peak_concurrent(&closes, 3.0), 2);
        assert_eq!(peak_concurrent(&closes, 4.0), 3);
        assert_eq!(peak_concurrent(&closes, 1.0), 1);
    }
}
