//! Funnel arithmetic, done once and read by every section.
//!
//! Volumes are derived backwards from the revenue target (SALES.md §1): the top of the funnel is
//! the smallest whole number whose expected closes, multiplied forward through every stage rate,
//! reach the target; each later stage's target is that number carried forward and rounded up. So
//! the forward product never falls short, and overshoots by less than one top-of-funnel entry.
//!
//! Timing follows the sales cycle: the leads for the period's own deals are created in the weeks
//! that leave one full cycle before the end; prospecting then goes on at the same rate to the last
//! week, so the next period starts with a pipeline ([`CarryOver`]). Each stage starts once the
//! earlier stages' average days have passed, deals close as whole deals one cycle after their lead
//! (cumulative rounding, so the weeks add up to the plan's deals), and no revenue is planned before
//! one cycle has elapsed. Weekly hours are each week's stage entries times their unit time
//! ([`crate::timing`]), plus the fixed weekly reviews and customer check-ins.

use crate::benchmarks::minutes;
use crate::foundation::Foundation;
use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

/// Share of the sales cycle spent in each of the five stages.
pub const STAGE_TIME_SHARE: [f64; 5] = [0.15, 0.20, 0.20, 0.25, 0.20];

/// Volumes, rates and timing for a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Funnel {
    /// Rates stage i → i+1 (last: → won).
    pub rates: Vec<f64>,
    /// Overall stage 1 → won.
    pub overall: f64,
    /// Deals that must enter each stage in the period for the period's own deals.
    pub volumes: Vec<u32>,
    /// Top-of-funnel volume × overall.
    pub forward_deals: f64,
    /// Average days in each stage.
    pub avg_days: Vec<f64>,
    /// Days from entering the funnel to entering each stage.
    pub offset_days: Vec<f64>,
    /// Mondays of every week of the period.
    pub weeks: Vec<String>,
    /// Weeks whose new leads can still close in the period (the period minus one cycle).
    pub creation_weeks: u32,
    /// Stage entries per week, `entries[stage][week]`, including the leads of the last cycle that
    /// carry into the next period.
    pub entries: Vec<Vec<u32>>,
    /// Whole deals planned to close in the period.
    pub deals: u32,
    /// Whole deals closing per week (they add up to `deals`).
    pub closes: Vec<u32>,
    /// Selling hours per week the schedule needs.
    pub hours: Vec<f64>,
    /// Fixed weekly hours (the pipeline review).
    pub fixed_hours: f64,
    /// Customer check-ins per week (each existing customer once a quarter).
    pub check_ins: Vec<u32>,
    /// Share of the target volumes the schedule carries (1.0 unless capped by hours).
    pub scale: f64,
    /// Minutes per entry into each stage.
    pub stage_minutes: Vec<f64>,
    /// Selling hours allowed in each week: the hours available, lowered by the user's caps.
    pub caps: Vec<f64>,
    /// What each stage's work is and costs.
    pub units: Vec<crate::timing::UnitTime>,
    /// The lead sources, their shares and the effort of creating a lead in each.
    pub channels: Vec<crate::channels::ChannelCost>,
    /// What the last cycle's prospecting hands to the next period.
    pub carry: CarryOver,
}

/// The pipeline the period hands to the next one: prospecting continues to the last week.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CarryOver {
    /// New leads created in the last cycle of the period.
    pub leads: u32,
    /// Deals they are expected to bring (leads × every rate).
    pub expected_deals: f64,
    /// Their expected value: expected deals × deal size.
    pub expected_revenue: f64,
}

/// True when the cap rule holds in any of the days of the week starting on `monday`.
pub(crate) fn cap_applies(
    rule: &crate::foundation::CapRule,
    monday: Date,
    index: usize,
    period: (Date, Date),
) -> bool {
    cap_share(rule, monday, index, period) > 0.0
}

/// The share of the week's working days the cap rule holds on: a week of 28 July – 1 August
/// is two-fifths August, so `August is completely off` takes two-fifths of its hours, not all.
pub(crate) fn cap_share(
    rule: &crate::foundation::CapRule,
    monday: Date,
    index: usize,
    period: (Date, Date),
) -> f64 {
    use crate::facts::constraints::CapScope;
    // Only the week's days inside the plan count: the first week of a plan starting on a
    // Friday 1 January is not a December week. Working days, unless the plan has none in it.
    let inside: Vec<Date> = (0..7)
        .filter_map(|d| monday.checked_add(jiff::Span::new().days(d)).ok())
        .filter(|d| *d >= period.0 && *d <= period.1)
        .collect();
    let working: Vec<Date> = inside
        .iter()
        .copied()
        .filter(|d| {
            !matches!(
                d.weekday(),
                jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
            )
        })
        .collect();
    let days = if working.is_empty() { inside } else { working };
    if days.is_empty() {
        return 0.0;
    }
    let share = |held: usize| held as f64 / days.len() as f64;
    match &rule.scope {
        CapScope::Months { months } => share(
            days.iter()
                .filter(|d| months.contains(&(d.month() as u8)))
                .count(),
        ),
        CapScope::Dates { from, to } => share(
            days.iter()
                .filter(|d| {
                    let md = (d.month() as u8, d.day() as u8);
                    if from <= to {
                        md >= *from && md <= *to
                    } else {
                        md >= *from || md <= *to
                    }
                })
                .count(),
        ),
        CapScope::Kind { every, .. } => {
            if every.is_none_or(|k| index.is_multiple_of(k.max(1) as usize)) {
                1.0
            } else {
                0.0
            }
        }
    }
}

/// The hours allowed in each week: the hours available, or less where a cap holds.
pub fn week_caps(f: &Foundation, weeks: &[Date]) -> Vec<f64> {
    let available = f.objectives.hours_per_week;
    let start: Date = f.objectives.start_date.parse().unwrap_or_default();
    let end: Date = f.objectives.end_date.parse().unwrap_or(start);
    weeks
        .iter()
        .enumerate()
        .map(|(k, w)| {
            f.limits
                .caps
                .iter()
                .map(|c| {
                    // The cap on its days, the usual hours on the others.
                    let part = cap_share(c, *w, k, (start, end));
                    available - (available - c.hours.min(available)) * part
                })
                .fold(available, f64::min)
        })
        .collect()
}

/// Spreads `total` over slots in proportion to `weights`, as whole numbers that add up exactly
/// (cumulative rounding). Slots of weight zero get nothing.
pub fn spread_weighted(total: f64, weights: &[f64]) -> Vec<u32> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let mut acc = 0.0;
    weights
        .iter()
        .map(|w| {
            let a = (total * acc / sum).round();
            acc += w;
            let b = (total * acc / sum).round();
            (b - a).max(0.0) as u32
        })
        .collect()
}

/// The Mondays from the week containing `start` up to `end`.
pub fn mondays(start: Date, end: Date) -> Vec<Date> {
    let mut d = start;
    while d.weekday() != Weekday::Monday {
        match d.yesterday() {
            Ok(y) => d = y,
            Err(_) => break,
        }
    }
    let mut out = Vec::new();
    while d <= end {
        out.push(d);
        match d.checked_add(jiff::Span::new().days(7)) {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    out
}

/// Spreads `total` over `n` slots as whole numbers that add up exactly.
pub fn spread(total: f64, n: usize) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    (0..n)
        .map(|k| {
            let a = (total * k as f64 / n as f64).round();
            let b = (total * (k + 1) as f64 / n as f64).round();
            (b - a).max(0.0) as u32
        })
        .collect()
}

/// Builds the funnel for the foundation's target; `scale` < 1 plans a share of it (when hours do
/// not allow the whole).
pub fn build(f: &Foundation, scale: f64) -> Funnel {
    let o = &f.objectives;
    let rates: Vec<f64> = f.stages.iter().map(|s| s.rate).collect();
    let overall: f64 = rates.iter().product();
    let top = if o.avg_deal_size > 0.0 && overall > 0.0 {
        (o.revenue_target / (o.avg_deal_size * overall) - 1e-9)
            .ceil()
            .max(0.0)
    } else {
        0.0
    };
    let mut volumes = Vec::new();
    let mut carried = top;
    for r in &rates {
        // Round up, but not for a rounding crumb: 15.02 expected deals is 15 deals.
        volumes.push((carried - 0.05).ceil().max(0.0) as u32);
        carried *= r;
    }
    let forward_deals = top * overall;
    let cycle = f64::from(o.sales_cycle_days);
    let avg_days: Vec<f64> = STAGE_TIME_SHARE.iter().map(|s| s * cycle).collect();
    let mut offset_days = Vec::new();
    let mut acc = 0.0;
    for d in &avg_days {
        offset_days.push(acc);
        acc += d;
    }
    let start: Date = o.start_date.parse().unwrap_or_default();
    let end: Date = o.end_date.parse().unwrap_or(start);
    let weeks = mondays(start, end);
    let n = weeks.len();
    let cycle_weeks = (cycle / 7.0).ceil() as usize;
    let creation = n.saturating_sub(cycle_weeks);
    let channels = crate::channels::channels(f);
    let units = crate::timing::unit_times(f, &channels);
    let minutes: Vec<f64> = units.iter().map(|u| u.minutes).collect();
    let caps = week_caps(f, &weeks);
    let fixed = review_hours(f);
    let check_in_h = crate::benchmarks::minutes::CHECK_IN.value / 60.0;
    // Check-ins with existing customers go to weeks with room for one after the review.
    let open: Vec<f64> = caps
        .iter()
        .map(|c| (c - fixed.min(*c) - check_in_h).max(0.0))
        .collect();
    let mut check_ins = spread_weighted(f64::from(o.current_customers) * n as f64 / 13.0, &open);
    for (k, c) in check_ins.iter_mut().enumerate() {
        let room = ((caps[k] - fixed.min(caps[k])) / check_in_h)
            .floor()
            .max(0.0) as u32;
        *c = (*c).min(room);
    }
    let fixed_in = |k: usize| fixed.min(caps[k]);
    // What each week has left for stage work, which weights where the work goes.
    let room: Vec<f64> = (0..n)
        .map(|k| (caps[k] - fixed_in(k) - f64::from(check_ins[k]) * check_in_h).max(0.0))
        .collect();
    let weights_in = |from: usize, to: usize| -> Vec<f64> {
        let w: Vec<f64> = (from..to)
            .map(|k| room.get(k).copied().unwrap_or(0.0))
            .collect();
        if w.iter().sum::<f64>() > 0.0 {
            w
        } else {
            vec![1.0; to.saturating_sub(from)]
        }
    };
    let mut entries = vec![vec![0u32; n]; 5];
    let mut closes = vec![0u32; n];
    let mut deals = 0u32;
    let mut carry = CarryOver::default();
    if creation > 0 {
        let firsts: Vec<usize> = offset_days
            .iter()
            .map(|d| (d / 7.0).round() as usize)
            .collect();
        for (i, v) in volumes.iter().enumerate() {
            let first = firsts[i];
            let spread_i =
                spread_weighted(f64::from(*v) * scale, &weights_in(first, first + creation));
            for (k, c) in spread_i.into_iter().enumerate() {
                if let Some(slot) = entries[i].get_mut(first + k) {
                    *slot += c;
                }
            }
        }
        // Prospecting does not stop one cycle before the end: the same weekly rate continues, so
        // the next period starts with a pipeline. Those leads' later stages that fall inside the
        // period are planned too.
        let rate = f64::from(volumes[0]) * scale / creation as f64;
        let tail = n - creation;
        let carried_leads = spread_weighted(rate * tail as f64, &weights_in(creation, n));
        let mut cohort = vec![0.0; n];
        for (k, c) in carried_leads.iter().enumerate() {
            entries[0][creation + k] += c;
            cohort[creation + k] = f64::from(*c);
        }
        for i in 1..5 {
            let reach: f64 = rates[..i].iter().product();
            let expected: Vec<f64> = (0..n)
                .map(|k| k.checked_sub(firsts[i]).map_or(0.0, |j| cohort[j] * reach))
                .collect();
            let total: f64 = expected.iter().sum();
            for (k, c) in spread_weighted(total, &expected).into_iter().enumerate() {
                entries[i][k] += c;
            }
        }
        carry.leads = carried_leads.iter().sum();
        carry.expected_deals = f64::from(carry.leads) * overall;
        carry.expected_revenue = (carry.expected_deals * o.avg_deal_size).round();
        // Whole entries round some weeks over their cap: move an entry to the nearest week
        // (later first) that has room for it.
        let base: Vec<f64> = (0..n)
            .map(|k| fixed_in(k) + f64::from(check_ins[k]) * check_in_h)
            .collect();
        let mut load: Vec<f64> = (0..n)
            .map(|k| {
                base[k]
                    + (0..5)
                        .map(|i| f64::from(entries[i][k]) * minutes[i] / 60.0)
                        .sum::<f64>()
            })
            .collect();
        let mut order: Vec<usize> = (0..5).collect();
        order.sort_by(|a, b| {
            minutes[*b]
                .partial_cmp(&minutes[*a])
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        for k in 0..n {
            'week: while load[k] > caps[k] + 1e-9 {
                for &i in &order {
                    if entries[i][k] == 0 {
                        continue;
                    }
                    let h = minutes[i] / 60.0;
                    // Within the stage's own window: a new lead meant to close in the period stays
                    // in the weeks that still allow it.
                    let (lo, hi) = if i == 0 && k < creation {
                        (0, creation)
                    } else if i == 0 {
                        (creation, n)
                    } else {
                        (firsts[i], n)
                    };
                    let target = (k + 1..hi)
                        .chain((lo..k.min(hi)).rev())
                        .find(|&j| load[j] + h <= caps[j] + 1e-9);
                    if let Some(j) = target {
                        entries[i][k] -= 1;
                        entries[i][j] += 1;
                        load[k] -= h;
                        load[j] += h;
                        continue 'week;
                    }
                }
                break;
            }
        }
        // Whole deals: the target's deals when the hours allow the whole, else what the share
        // carries; they close one cycle after their first stage, in proportion to it
        // (cumulative rounding, so the weeks add up exactly).
        deals = if scale >= 0.999 {
            o.deals_needed
        } else {
            (forward_deals * scale + 1e-9).floor() as u32
        };
        let mut weights = vec![0.0; n];
        for (k, e) in entries[0].iter().enumerate().take(creation) {
            if let Some(w) = weights.get_mut(k + cycle_weeks) {
                *w = f64::from(*e);
            }
        }
        if weights.iter().sum::<f64>() <= 0.0 && n > 0 {
            weights[n - 1] = 1.0;
        }
        closes = spread_weighted(f64::from(deals), &weights);
    }
    let hours = (0..n)
        .map(|k| {
            fixed_in(k)
                + f64::from(check_ins[k]) * check_in_h
                + (0..5)
                    .map(|i| f64::from(entries[i][k]) * minutes[i] / 60.0)
                    .sum::<f64>()
        })
        .collect();
    Funnel {
        rates,
        overall,
        volumes,
        forward_deals,
        avg_days,
        offset_days,
        weeks: weeks.iter().map(Date::to_string).collect(),
        creation_weeks: creation as u32,
        entries,
        deals,
        closes,
        hours,
        fixed_hours: fixed,
        check_ins,
        scale,
        stage_minutes: minutes,
        caps,
        units,
        channels,
        carry,
    }
}

/// The weekly pipeline review, per seller.
pub fn review_hours(f: &Foundation) -> f64 {
    minutes::REVIEW.value / 60.0 * f64::from(f.objectives.team_size)
}

impl Funnel {
    /// The busiest week's hours.
    pub fn peak_hours(&self) -> f64 {
        self.hours.iter().copied().fold(0.0, f64::max)
    }

    /// True when no week plans more hours than it allows.
    pub fn fits(&self) -> bool {
        self.hours
            .iter()
            .zip(&self.caps)
            .all(|(h, c)| *h <= c + 1e-9)
    }

    /// The weeks planned above their cap.
    pub fn weeks_over(&self) -> usize {
        self.hours
            .iter()
            .zip(&self.caps)
            .filter(|(h, c)| **h > **c + 1e-9)
            .count()
    }

    /// Revenue the schedule produces: whole deals × deal size.
    pub fn revenue(&self, deal: f64) -> f64 {
        f64::from(self.deals) * deal
    }

    /// Average weekly hours of stage `i`'s activity over the period.
    pub fn stage_hours_per_week(&self, i: usize) -> f64 {
        if self.weeks.is_empty() {
            return 0.0;
        }
        f64::from(self.entries[i].iter().sum::<u32>()) * self.stage_minutes[i]
            / 60.0
            / self.weeks.len() as f64
    }

    /// Average entries into stage `i` per week over the period.
    pub fn per_week(&self, i: usize) -> f64 {
        f64::from(self.entries[i].iter().sum::<u32>()) / self.weeks.len().max(1) as f64
    }
}

/// True when the schedule fits the hours of every week and, for a business that delivers its own
/// work, the engagements it wins fit what it can run at once.
pub fn fits_all(f: &Foundation, s: &Funnel) -> bool {
    s.fits() && crate::sections::team::delivery_fits(f, s) && channels_fit(f, s)
}

/// True when no capped channel (referrals, events) is asked for more leads than it can give.
pub fn channels_fit(f: &Foundation, s: &Funnel) -> bool {
    channel_shortfall(f, s) < 0.5
}

/// Leads the capped channels are asked for beyond what they can give (limits that rest on a
/// coord default are stretches the channel table names, not shortfalls).
pub fn channel_shortfall(f: &Foundation, s: &Funnel) -> f64 {
    let leads: f64 = s.entries[0]
        .iter()
        .take(s.creation_weeks as usize)
        .map(|e| f64::from(*e))
        .sum();
    // A channel that brings so many a month gives them in every week of the period, the
    // leads carried into the next period included: they come from the same supply.
    let all: f64 = s.entries[0].iter().map(|e| f64::from(*e)).sum();
    s.channels
        .iter()
        .filter(|c| !crate::channels::limit_is_assumed(f, c))
        .filter_map(|c| {
            let (most, _) = crate::channels::channel_limit(f, c, &s.channels)?;
            let asked = if f.channel_volumes.iter().any(|v| v.channel == c.channel) {
                all
            } else {
                leads
            };
            Some((c.share * asked - most).max(0.0))
        })
        .sum()
}

/// The largest share of the target a plan can reach under one constraint alone (`test`), by
/// bisection: which limit binds is the one that allows the least.
pub fn reach_under(f: &Foundation, test: impl Fn(&Funnel) -> bool) -> f64 {
    if test(&build(f, 1.0)) {
        return 1.0;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        if test(&build(f, mid)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Plans the target within the hours (and the delivery capacity) available: the full funnel when
/// it fits, otherwise the largest share of it that does. Returns (full funnel, scheduled funnel).
pub fn fit(f: &Foundation) -> (Funnel, Funnel) {
    let full = build(f, 1.0);
    if fits_all(f, &full) || full.creation_weeks == 0 {
        return (full.clone(), full);
    }
    // Largest share that fits, by bisection (rounding makes it non-linear).
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        if fits_all(f, &build(f, mid)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let scheduled = build(f, lo);
    (full, scheduled)
}
