//! The user's limits, applied to the plan and then checked against it.
//!
//! Exclusions ("no cold calling, no paid ads") take activities out of the initiatives; channel
//! goals ("LinkedIn should bring a third of new clients") become per-channel deal and lead
//! targets; roadmap items become initiative activities and milestones in their week. Once the
//! plan is assembled, [`notes`] checks each limit against what the plan actually says — every
//! week against its cap, every activity against the exclusions — and reports each as honoured
//! or, with the reason, not.

use super::capacity::Capacity;
use crate::channels::ChannelCost;
use crate::facts::constraints::{CapScope, mentions};
use crate::foundation::Foundation;
use crate::model::{ConstraintNote, Initiative, Month};
use serde::{Deserialize, Serialize};

/// A channel's share of the plan's new clients, in deals and leads, with the time and money it
/// takes and its acquisition cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChannelTarget {
    /// The channel, as written.
    pub channel: String,
    /// `referral`, `outreach`, `event`, `inbound`, `paid`, `partner`.
    pub kind: String,
    /// Its share of new clients.
    pub share: f64,
    /// Deals it should bring in the period.
    pub deals: u32,
    /// New leads it should bring for those deals.
    pub leads: u32,
    /// Minutes to create one lead in it.
    pub minutes_per_lead: f64,
    /// Hours of lead creation in the period: leads × minutes.
    pub hours: f64,
    /// Its part of the acquisition budget.
    pub budget: f64,
    /// Acquisition cost per deal: budget ÷ deals.
    pub cac: f64,
    /// `file:line`, or how coord split the rest.
    pub source: String,
    /// What the leads take in this channel: events, referral asks, messages.
    #[serde(default)]
    pub effort: String,
    /// When the channel cannot give that many leads (referrals beyond what the clients can
    /// introduce): why, and what to do.
    #[serde(default)]
    pub stretch: Option<String>,
}

use crate::channels::{ASKS_PER_CLIENT_YEAR, ASKS_PER_INTRO, LEADS_PER_EVENT};

/// What a channel's leads take, and whether it can give them.
fn effort(
    f: &Foundation,
    c: &ChannelCost,
    all: &[ChannelCost],
    leads: u32,
) -> (String, Option<String>) {
    let l = f64::from(leads);
    let cur = f.objectives.currency.as_str();
    let limit = crate::channels::channel_limit(f, c, all);
    let over = |why: &str, fix: &str| {
        limit
            .as_ref()
            .filter(|(most, _)| l > most + 0.5)
            .map(|(most, because)| {
                format!(
                    "{leads} {why} is more than the {} it can give ({because}). {fix}",
                    crate::render::group(*most as u64)
                )
            })
    };
    // A channel whose monthly volume the business wrote gives what it wrote; the rest of its
    // effort is as its kind's.
    if f.channel_volumes.iter().any(|v| v.channel == c.channel) {
        let (effort, _) = kind_effort(f, c, l, leads, cur, &over);
        return (
            effort,
            over(
                "leads",
                "Grow the channel past what it brings today, or add a channel that can carry the rest.",
            ),
        );
    }
    kind_effort(f, c, l, leads, cur, &over)
}

/// The effort and stretch of a channel by its kind.
fn kind_effort(
    f: &Foundation,
    c: &ChannelCost,
    l: f64,
    leads: u32,
    cur: &str,
    over: &dyn Fn(&str, &str) -> Option<String>,
) -> (String, Option<String>) {
    match c.kind.as_str() {
        "event" => {
            let needed = (l / LEADS_PER_EVENT).ceil();
            let (have, why) = crate::channels::events(f);
            (
                format!("about {needed} events ({LEADS_PER_EVENT:.0} conversations each)"),
                (needed > have).then(|| {
                    format!(
                        "{needed} events is more than the {have:.0} in the period ({why}). Add events, or set a channel goal so the rest comes from channels that can carry it."
                    )
                }),
            )
        }
        "referral" => {
            // The same introductions the channel mix was sized with.
            let clients = crate::channels::referral_clients(f);
            let intros = crate::channels::introductions(f);
            let effort = format!(
                "about {} referral asks",
                crate::render::group((l * ASKS_PER_INTRO).round() as u64)
            );
            let stretch = (l > intros).then(|| {
                format!(
                    "{leads} introductions is more than your clients can give: about {clients:.0} clients asked {ASKS_PER_CLIENT_YEAR:.0} times a year bring about {intros:.0} (2.5 asks per introduction (S32); {ASKS_PER_CLIENT_YEAR:.0} asks a client a year is a coord default). Name the other sources of introductions (partners, associations) or set a channel goal so the rest comes from channels that can carry it."
                )
            });
            (effort, stretch)
        }
        "outreach" => (
            format!(
                "about {} researched messages or dials",
                crate::render::group((l * 20.0).round() as u64)
            ),
            None,
        ),
        "partner" => {
            let each = crate::benchmarks::REFERRALS_PER_PARTNER_YEAR.value;
            let years = f64::from(f.objectives.period_months) / 12.0;
            let effort = match crate::channels::partners_named(&c.channel) {
                Some(n) => format!(
                    "{} referred leads, about {:.0} a year from each of {n:.0} partners",
                    crate::render::group(u64::from(leads)),
                    l / n / years
                ),
                None => format!(
                    "{} referred leads: about {:.0} active partners at {each:.0} a year each (coord default); name how many you have (`3 reseller partners`)",
                    crate::render::group(u64::from(leads)),
                    (l / each / years).ceil()
                ),
            };
            (
                effort,
                over(
                    "referred leads",
                    "Recruit partners, or set a channel goal so the rest comes from channels that can carry it.",
                ),
            )
        }
        "paid" => (
            format!(
                "{} leads from campaigns at about {} each",
                crate::render::group(u64::from(leads)),
                crate::render::money(cur, f.cost_per_lead)
            ),
            over(
                "paid leads",
                &format!(
                    "Buying them all takes {} of acquisition budget; raise it, or set a channel goal so the rest comes from channels that can carry it.",
                    crate::render::money(cur, l * f.cost_per_lead)
                ),
            ),
        ),
        _ => (format!("{leads} enquiries from content and search"), None),
    }
}

/// Whole numbers in proportion to `shares` that add up to `total` (largest remainder).
pub fn apportion(total: u32, shares: &[f64]) -> Vec<u32> {
    let sum: f64 = shares.iter().sum::<f64>().max(1e-9);
    let exact: Vec<f64> = shares.iter().map(|s| s / sum * f64::from(total)).collect();
    let mut whole: Vec<u32> = exact.iter().map(|x| x.floor() as u32).collect();
    let left = total.saturating_sub(whole.iter().sum());
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|a, b| {
        (exact[*b] - exact[*b].floor())
            .partial_cmp(&(exact[*a] - exact[*a].floor()))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(b))
    });
    for &i in order.iter().take(left as usize) {
        whole[i] += 1;
    }
    whole
}

/// Per-channel targets: your goals, and the other lead sources sharing the rest; the period's
/// leads and deals apportioned as whole numbers, the acquisition budget by channel cost.
pub fn channel_targets(f: &Foundation, cap: &Capacity) -> Vec<ChannelTarget> {
    let s = &cap.scheduled;
    let ch = &s.channels;
    let shares: Vec<f64> = ch.iter().map(|c| c.share).collect();
    let creation = s.creation_weeks as usize;
    let leads_in: u32 = s.entries[0].iter().take(creation).sum();
    let deals = apportion(s.deals, &shares);
    let leads = apportion(leads_in, &shares);
    // Paid channels cost their leads × the cost per lead; the other channels share what is left
    // by weight (with none, the paid channels keep it as headroom).
    let budget = cap.budget.acquisition;
    let paid_cost: Vec<f64> = ch
        .iter()
        .zip(&leads)
        .map(|(c, l)| {
            if c.kind == "paid" {
                (f64::from(*l) * f.cost_per_lead).round()
            } else {
                0.0
            }
        })
        .collect();
    let paid_total: f64 = paid_cost.iter().sum();
    let paid_most = crate::channels::paid_budget(f, ch);
    let scale = if paid_total > paid_most {
        paid_most / paid_total
    } else {
        1.0
    };
    let left = (budget - paid_total * scale).max(0.0);
    let others = ch.iter().any(|c| c.kind != "paid");
    let weights: Vec<f64> = ch
        .iter()
        .map(|c| {
            if c.kind == "paid" {
                if others { 0.0 } else { c.share }
            } else {
                c.share * c.budget_weight
            }
        })
        .collect();
    let wsum: f64 = weights.iter().sum::<f64>().max(1e-9);
    ch.iter()
        .enumerate()
        .map(|(i, c)| {
            let b = (paid_cost[i] * scale + left * weights[i] / wsum).floor();
            let (effort, stretch) = effort(f, c, ch, leads[i]);
            ChannelTarget {
                effort,
                stretch,
                channel: c.channel.clone(),
                kind: c.kind.clone(),
                share: c.share,
                deals: deals[i],
                leads: leads[i],
                minutes_per_lead: c.create_minutes,
                hours: (f64::from(leads[i]) * c.create_minutes / 60.0).round(),
                budget: b,
                cac: if deals[i] > 0 {
                    (b / f64::from(deals[i])).round()
                } else {
                    0.0
                },
                source: c.share_source.clone(),
            }
        })
        .collect()
}

/// Which initiative a roadmap item belongs to: 0 acquisition, 1 conversion, 2 expansion.
pub fn initiative_for(what: &str) -> usize {
    let l = what.to_lowercase();
    let has = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
    if has(&[
        "package",
        "upgrade",
        "upsell",
        "retainer",
        "renewal",
        "add-on",
        "addon",
        "loyalty",
        "referral",
        "service for",
        "subscription",
        "membership",
        "album",
        "tier",
    ]) {
        2
    } else if has(&[
        "proposal",
        "process",
        "crm",
        "template",
        "pricing",
        "playbook",
        "demo",
        "onboarding",
        "contract",
        "calculator",
        "integration",
        "accredit",
        "certif",
    ]) {
        1
    } else {
        0
    }
}

/// Takes excluded activities out of the initiatives and adds the roadmap items and channel
/// targets to them. Returns what was removed, for the notes.
pub fn apply(f: &Foundation, cap: &Capacity, initiatives: &mut [Initiative]) -> Vec<String> {
    let mut removed = Vec::new();
    for i in initiatives.iter_mut() {
        i.activities.retain(|a| {
            let keep = !f.limits.excludes(a);
            if !keep {
                removed.push(a.clone());
            }
            keep
        });
        i.integration_points.retain(|a| !f.limits.excludes(a));
    }
    for r in &f.limits.roadmap {
        let k = initiative_for(&r.what).min(initiatives.len().saturating_sub(1));
        if let Some(i) = initiatives.get_mut(k) {
            i.activities.push(format!(
                "Roadmap, from {}: {} (your plan, {})",
                r.date, r.what, r.source
            ));
        }
    }
    let targets = channel_targets(f, cap);
    if !f.limits.channel_goals.is_empty()
        && let Some(i) = initiatives.first_mut()
    {
        let parts: Vec<String> = targets
            .iter()
            .map(|t| {
                format!(
                    "{} {:.0}% = {} deals from {} leads",
                    t.channel,
                    t.share * 100.0,
                    t.deals,
                    t.leads
                )
            })
            .collect();
        i.activities
            .push(format!("Channel targets: {}", parts.join("; ")));
    }
    removed
}

fn cap_text(s: &CapScope) -> String {
    const M: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = |m: u8| M[(m.clamp(1, 12) - 1) as usize];
    match s {
        CapScope::Months { months } => months
            .iter()
            .map(|m| name(*m))
            .collect::<Vec<_>>()
            .join(", "),
        CapScope::Dates { from, to } => {
            format!("{} {} to {} {}", from.1, name(from.0), to.1, name(to.0))
        }
        CapScope::Kind { label, every } => match every {
            Some(k) => format!("weeks with {label} (one in {k})"),
            None => format!("weeks with {label}"),
        },
    }
}

/// Checks every limit against the finished plan.
pub fn notes(
    f: &Foundation,
    cap: &Capacity,
    initiatives: &[Initiative],
    months: &[Month],
) -> Vec<ConstraintNote> {
    let mut out = Vec::new();
    let s = &cap.scheduled;
    let start: jiff::civil::Date = f.objectives.start_date.parse().unwrap_or_default();
    let end: jiff::civil::Date = f.objectives.end_date.parse().unwrap_or(start);
    for c in &f.limits.caps {
        // The weeks this limit covers (not every week held as low by another limit).
        let held: Vec<(f64, f64)> = s
            .hours
            .iter()
            .zip(&s.caps)
            .zip(&s.weeks)
            .enumerate()
            .filter(|(k, (_, w))| {
                w.parse()
                    .is_ok_and(|w| crate::funnel::cap_applies(c, w, *k, (start, end)))
            })
            .map(|(_, ((h, cap), _))| (*h, *cap))
            .collect();
        let over = held.iter().filter(|(h, cap)| h > &(cap + 1e-9)).count();
        let busiest = held.iter().map(|x| x.0).fold(0.0, f64::max);
        let unknown = matches!(&c.scope, CapScope::Kind { every: None, .. });
        out.push(ConstraintNote {
            kind: "hour limit".into(),
            text: format!("at most {} h of selling in {}", c.hours, cap_text(&c.scope)),
            source: c.source.clone(),
            honoured: over == 0,
            how: if over > 0 {
                format!("{over} capped weeks plan more than their limit")
            } else if unknown {
                format!(
                    "the inputs do not say which weeks these are, so every week is held to {} h (busiest {busiest:.1} h); say how often (e.g. `one week in three`) to free the others",
                    c.hours
                )
            } else {
                let whole = held
                    .iter()
                    .filter(|(_, cap)| (*cap - c.hours).abs() < 1e-6)
                    .count();
                let part = held.len() - whole;
                format!(
                    "{whole} weeks held to {} h{}; the busiest of them plans {busiest:.1} h",
                    c.hours,
                    if part > 0 {
                        format!(" and {part} more in part, for the days of theirs it covers")
                    } else {
                        String::new()
                    }
                )
            },
        });
    }
    let texts: Vec<String> = initiatives
        .iter()
        .flat_map(|i| {
            std::iter::once(i.name.clone())
                .chain(std::iter::once(i.objective.clone()))
                .chain(i.activities.iter().cloned())
        })
        .chain(
            months
                .iter()
                .flat_map(|m| m.weeks.iter())
                .flat_map(|w| w.activities.iter().map(|a| a.name.clone())),
        )
        .chain(f.business.lead_sources.iter().cloned())
        .collect();
    for (a, src) in &f.limits.excluded {
        let found: Vec<&String> = texts.iter().filter(|t| mentions(t, a)).collect();
        out.push(ConstraintNote {
            kind: "exclusion".into(),
            text: format!("no {a}"),
            source: src.clone(),
            honoured: found.is_empty(),
            how: match found.first() {
                None => "left out of the lead sources, activities and initiatives".into(),
                Some(t) => format!("still planned: {t}"),
            },
        });
    }
    let stated: f64 = f.limits.channel_goals.iter().map(|g| g.1).sum();
    let targets = channel_targets(f, cap);
    for (ch, goal, src) in &f.limits.channel_goals {
        let Some(t) = targets
            .iter()
            .find(|t| t.channel == *ch && t.source.starts_with(src.as_str()))
        else {
            continue;
        };
        let over = t.share > goal + 1e-6;
        out.push(ConstraintNote {
            kind: "channel goal".into(),
            text: format!("{ch} brings {:.0}% of new clients", goal * 100.0),
            source: src.clone(),
            honoured: stated <= 1.0 + 1e-9,
            how: if stated > 1.0 + 1e-9 {
                format!(
                    "the channel goals add up to {:.0}% of new clients, more than all of them",
                    stated * 100.0
                )
            } else if over {
                format!(
                    "met and passed: {:.0}% of new clients, {} deals from {} leads, because the other channels cannot carry their share",
                    t.share * 100.0,
                    t.deals,
                    t.leads
                )
            } else {
                format!(
                    "a per-channel target of {} deals from {} leads",
                    t.deals, t.leads
                )
            },
        });
    }
    for r in &f.limits.roadmap {
        let in_week = months
            .iter()
            .flat_map(|m| m.weeks.iter())
            .any(|w| w.milestone.as_deref().is_some_and(|m| m.contains(&r.what)));
        out.push(ConstraintNote {
            kind: "roadmap".into(),
            text: format!("{} (from {})", r.what, r.date),
            source: r.source.clone(),
            honoured: in_week,
            how: if in_week {
                format!(
                    "a milestone in its week and an activity of the {} initiative",
                    ["acquisition", "conversion", "expansion and referral"]
                        [initiative_for(&r.what)]
                )
            } else {
                "its date falls outside the planned weeks".into()
            },
        });
    }
    out
}
