//! The user's limits, applied to the plan and then checked against it.
//!
//! Exclusions ("no cold calling, no paid ads") take activities out of the initiatives; channel
//! goals ("LinkedIn should bring a third of new clients") become per-channel deal and lead
//! targets; roadmap items become initiative activities and milestones in their week. Once the
//! plan is assembled, [`notes`] checks each limit against what the plan actually says — every
//! week against its cap, every activity against the exclusions — and reports each as honoured
//! or, with the reason, not.

use super::capacity::Capacity;
use crate::facts::constraints::{CapScope, mentions};
use crate::foundation::Foundation;
use crate::model::{ConstraintNote, Initiative, Month};
use serde::{Deserialize, Serialize};

/// A channel's share of the plan's new clients, in deals and first-stage leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChannelTarget {
    /// The channel, as written.
    pub channel: String,
    /// Its share of new clients.
    pub share: f64,
    /// Deals it should bring.
    pub deals: u32,
    /// First-stage leads it should bring.
    pub leads: u32,
    /// `file:line`, or `the rest, shared equally` for channels without a stated goal.
    pub source: String,
}

/// Per-channel targets: the stated goals, and the other lead sources sharing the rest.
pub fn channel_targets(f: &Foundation, cap: &Capacity) -> Vec<ChannelTarget> {
    let goals = &f.limits.channel_goals;
    if goals.is_empty() {
        return Vec::new();
    }
    let s = &cap.scheduled;
    let deals = (s.forward_deals * s.scale).round().max(0.0);
    let leads = f64::from(s.entries[0].iter().sum::<u32>());
    let mut out: Vec<ChannelTarget> = goals
        .iter()
        .map(|(ch, share, src)| ChannelTarget {
            channel: ch.clone(),
            share: *share,
            deals: (deals * share).round() as u32,
            leads: (leads * share).round() as u32,
            source: src.clone(),
        })
        .collect();
    let stated: f64 = goals.iter().map(|g| g.1).sum();
    let others: Vec<&String> = f
        .business
        .lead_sources
        .iter()
        .filter(|s| {
            !goals.iter().any(|(ch, ..)| {
                s.to_lowercase().contains(&ch.to_lowercase())
                    || ch.to_lowercase().contains(&s.to_lowercase())
            })
        })
        .collect();
    let rest = (1.0 - stated).max(0.0);
    if rest > 1e-9 {
        let names: Vec<String> = if others.is_empty() {
            vec!["other channels".to_string()]
        } else {
            others.iter().map(|s| s.to_string()).collect()
        };
        let each = rest / names.len() as f64;
        for n in names {
            out.push(ChannelTarget {
                channel: n,
                share: each,
                deals: (deals * each).round() as u32,
                leads: (leads * each).round() as u32,
                source: "the rest, shared equally".into(),
            });
        }
    }
    // Whole deals and leads that add up to the plan's: largest remainders get the rounding.
    for (total, get) in [
        (
            deals,
            (|t: &mut ChannelTarget| &mut t.deals) as fn(&mut ChannelTarget) -> &mut u32,
        ),
        (leads, |t: &mut ChannelTarget| &mut t.leads),
    ] {
        let exact: Vec<f64> = out.iter().map(|t| t.share * total).collect();
        let mut whole: Vec<u32> = exact.iter().map(|x| x.floor() as u32).collect();
        let target = total.round() as i64 - whole.iter().map(|w| i64::from(*w)).sum::<i64>();
        let mut order: Vec<usize> = (0..exact.len()).collect();
        order.sort_by(|a, b| {
            (exact[*b] - exact[*b].floor())
                .partial_cmp(&(exact[*a] - exact[*a].floor()))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let stated_all = (out.iter().map(|t| t.share).sum::<f64>() - 1.0).abs() < 1e-6;
        if stated_all {
            for &i in order.iter().take(target.max(0) as usize) {
                whole[i] += 1;
            }
        } else {
            whole = exact.iter().map(|x| x.round() as u32).collect();
        }
        for (t, w) in out.iter_mut().zip(whole) {
            *get(t) = w;
        }
    }
    out
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
    if !targets.is_empty()
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
    for c in &f.limits.caps {
        let held: Vec<(f64, f64)> = s
            .hours
            .iter()
            .zip(&s.caps)
            .filter(|(_, cap)| **cap <= c.hours + 1e-9)
            .map(|(h, cap)| (*h, *cap))
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
                format!(
                    "{} weeks held to {} h; the busiest of them plans {busiest:.1} h",
                    held.len(),
                    c.hours
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
    for t in channel_targets(f, cap)
        .into_iter()
        .filter(|t| t.source != "the rest, shared equally")
    {
        out.push(ConstraintNote {
            kind: "channel goal".into(),
            text: format!(
                "{} brings {:.0}% of new clients",
                t.channel,
                t.share * 100.0
            ),
            source: t.source.clone(),
            honoured: stated <= 1.0 + 1e-9,
            how: if stated <= 1.0 + 1e-9 {
                format!(
                    "a per-channel target of {} deals from {} leads",
                    t.deals, t.leads
                )
            } else {
                format!(
                    "the channel goals add up to {:.0}% of new clients, more than all of them",
                    stated * 100.0
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
