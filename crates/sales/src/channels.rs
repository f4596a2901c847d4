//! Where leads come from, and how many each source can give.
//!
//! Each lead source the inputs name gets a kind (referral, outreach, event, inbound, paid,
//! partner), a share of new clients and the minutes it takes to create one lead. Sources have
//! limits a plan must respect: clients give so many introductions a year, a calendar holds so
//! many events, a budget buys so many paid leads, and a named number of partners refers so many.
//! Channels coord sized are held to those limits and the rest moves to channels that can carry
//! it; what no channel can carry scales the plan down (see `funnel::channels_fit`).

use crate::benchmarks::{self, minutes};
use crate::foundation::Foundation;
use crate::model::Variation;
use serde::{Deserialize, Serialize};

/// One lead source with its share of new clients and the effort of creating a lead in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChannelCost {
    /// The channel as the inputs name it.
    pub channel: String,
    /// What kind of channel it is (`referral`, `outreach`, `event`, `inbound`, `paid`, `partner`).
    pub kind: String,
    /// Share of new clients.
    pub share: f64,
    /// Where the share comes from (your goal's file:line, or how coord split the rest).
    pub share_source: String,
    /// Minutes to create one lead in this channel (asks, messages, event time), before handling.
    pub create_minutes: f64,
    /// How that was found.
    pub create_source: String,
    /// Weight of this channel in the acquisition budget.
    pub budget_weight: f64,
}

/// What one channel brings a month, as the business writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChannelVolume {
    /// The channel, as the plan names it.
    pub channel: String,
    /// Leads a month.
    pub per_month: f64,
    /// The share of them that reaches the next stage, when written for this channel.
    pub rate: Option<f64>,
    /// True when that share is of them won, not of them moving one stage on.
    #[serde(default)]
    pub to_won: bool,
    /// Where it is written (file:line and the words).
    pub source: String,
}

/// The written volumes matched to the plan's channels: each sentence to the channel it names
/// (by the channel's own words, else the first channel its words mention), or the channel of
/// the sentence before when it names none (`Most of my enquiries come from LinkedIn. Roughly
/// twenty people a month reply …`). One volume per channel: the first written.
pub fn volumes_of(
    said: &[(crate::facts::volumes::VolumeSaid, std::path::PathBuf)],
    sources: &[String],
) -> Vec<ChannelVolume> {
    let named = |t: &str| -> Option<&String> {
        let mentions = mentioned_sources(t);
        sources
            .iter()
            .filter_map(|s| {
                // Named outright, the earliest first (`Owen's outbound (email + calls +
                // LinkedIn)` is outbound); else by the first mention.
                let own = t.find(&s.to_lowercase()).map(|p| (0, p));
                let mention = mentions
                    .iter()
                    .position(|m| same_channel(m, s))
                    .map(|i| (i + 1, 0));
                own.or(mention).map(|rank| (rank, s))
            })
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, s)| s)
    };
    let mut out: Vec<ChannelVolume> = Vec::new();
    for (v, file) in said {
        let Some(channel) = named(&v.text).or_else(|| named(&v.previous)) else {
            continue;
        };
        if out.iter().any(|c| &c.channel == channel) {
            continue;
        }
        out.push(ChannelVolume {
            channel: channel.clone(),
            per_month: v.per_month,
            rate: v.rate,
            to_won: v.to_won,
            source: format!("{}:{} (\"{}\")", file.display(), v.line, v.quote.trim()),
        });
    }
    out
}

/// Shares from the volumes the business wrote: a channel with a monthly volume carries what it
/// gives (up to all the leads the plan needs, in proportion to the volumes), the channels
/// without one share the rest; a channel left with nothing to carry is dropped. Channel goals
/// are the user's and stay.
fn volume_shares(f: &Foundation, out: &mut Vec<ChannelCost>) {
    let vol = |c: &ChannelCost| f.channel_volumes.iter().find(|v| v.channel == c.channel);
    let goal = |c: &ChannelCost| f.limits.channel_goals.iter().any(|g| g.0 == c.channel);
    if !out.iter().any(|c| vol(c).is_some() && !goal(c)) {
        return;
    }
    let conversion: f64 = f.stages.iter().map(|s| s.rate).product();
    if conversion <= 0.0 {
        return;
    }
    let leads = (f64::from(f.objectives.deals_needed) / conversion).max(1.0);
    let months = f64::from(f.objectives.period_months);
    let free = (1.0 - f.limits.channel_goals.iter().map(|g| g.1).sum::<f64>()).max(0.0);
    let stated: f64 = out
        .iter()
        .filter(|c| !goal(c))
        .filter_map(|c| vol(c).map(|v| v.per_month))
        .sum();
    // A channel without a written volume takes what the written ones cannot give only when
    // effort or money scales it (outreach, paid); the others (`the odd webinar`) are part of
    // what the business counted.
    let scales = |c: &ChannelCost| matches!(c.kind.as_str(), "outreach" | "paid");
    let others = out
        .iter()
        .filter(|c| !goal(c) && vol(c).is_none() && scales(c))
        .count();
    let carried = if others == 0 {
        free
    } else {
        (stated * months / leads).min(free)
    };
    for c in out.iter_mut().filter(|c| !goal(c)) {
        match vol(c) {
            Some(v) => {
                c.share = carried * v.per_month / stated;
                c.share_source = format!(
                    "about {} a month in your documents: {}",
                    crate::render::fmt_num(v.per_month),
                    v.source
                );
            }
            None if !scales(c) => c.share = 0.0,
            None => {
                c.share = (free - carried) / others as f64;
                c.share_source = if c.share > 1e-9 {
                    "the leads your written volumes do not cover, shared equally".into()
                } else {
                    String::new()
                };
            }
        }
    }
    out.retain(|c| c.share > 1e-9 || goal(c));
}

/// The kind of a lead source, and the minutes and source of creating one lead in it.
pub fn channel_kind(channel: &str) -> (&'static str, f64, &'static str, f64) {
    let l = channel.to_lowercase();
    let has = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
    if has(&[
        "partner",
        "reseller",
        "alliance",
        "co-market",
        "firms",
        "accountant",
        "solicitor",
        "lawyer",
        "adviser",
        "advisor",
        "recommend",
    ]) {
        (
            "partner",
            30.0,
            "partner check-ins and co-marketing, about 30 min per referred lead (coord default)",
            1.0,
        )
    } else if has(&[
        "referr",
        "introduc",
        "word of mouth",
        "word-of-mouth",
        "client",
        "customer",
        "network",
    ]) {
        (
            "referral",
            40.0,
            "about 2.5 referral asks per introduction (80% willing to refer, half of referred prospects rule the firm out) [S32] × 15 min per ask",
            0.5,
        )
    } else if has(&[
        "event",
        "association",
        "chamber",
        "breakfast",
        "networking",
        "expo",
        "conference",
        "trade show",
        "meetup",
        "webinar",
        "talk",
        "workshop",
    ]) {
        (
            "event",
            60.0,
            "an event (half a day with travel) yields about 4 conversations: 60 min per lead (coord default)",
            2.0,
        )
    } else if has(&["paid", "ads", "adwords", "ppc", "sponsor"]) {
        (
            "paid",
            10.0,
            "paid campaigns: 10 min per lead for campaign upkeep; the cost is in the budget (coord default)",
            4.0,
        )
    } else if has(&[
        "inbound",
        "posts",
        "posting",
        "instagram",
        "podcast",
        "youtube",
        "tiktok",
        "social",
        "website",
        "seo",
        "content",
        "blog",
        "newsletter",
        "demo request",
        "inquir",
        "enquir",
        "google",
        "organic",
    ]) {
        (
            "inbound",
            20.0,
            "content that draws enquiries: about 20 min of writing per inbound lead (coord default)",
            1.5,
        )
    } else if has(&["cold call", "phone", "dial"]) {
        (
            "outreach",
            95.0,
            "~19 researched dials per conversation [S33] × 5 min [S41]",
            1.0,
        )
    } else {
        (
            "outreach",
            100.0,
            "targeted outreach: ~5% reply (targeted 3–8% [S37]), 20 researched messages per lead × 5 min [S41]",
            1.0,
        )
    }
}

/// The lead sources a business's documents mention in passing, in the order first mentioned,
/// when no list of them is written: `nearly all my work is word of mouth`, `the County Home &
/// Garden Show every March`, `boosted Instagram posts`, `being a guest on podcasts`. A plan built
/// on the channels the business uses, not on a default.
pub fn mentioned_sources(text: &str) -> Vec<String> {
    const MENTIONS: &[(&[&str], &str)] = &[
        (
            &[
                "word of mouth",
                "word-of-mouth",
                "referrals",
                "referral",
                "introductions",
                "introduced by",
                "my way",
                "our way",
                "my network",
                "our network",
                "ex-colleagues",
                "pass me",
                "pass us",
                "refer",
                "refers",
                "refer people",
                "recommend me",
                "recommend us",
            ],
            "Referrals and word of mouth",
        ),
        (
            &["partner referrals", "partners refer", "referral partner"],
            "Partner referrals",
        ),
        (
            &[
                "trade show",
                "home show",
                "garden show",
                "expo",
                "conference",
                "chamber",
                "breakfasts",
                "meetups",
                "networking events",
            ],
            "Events and shows",
        ),
        (&["podcast"], "Podcast guesting"),
        (&["linkedin"], "LinkedIn"),
        (&["instagram"], "Instagram"),
        (
            &[
                "google ads",
                "linkedin ads",
                "facebook ads",
                "paid ads",
                "paid search",
            ],
            "Paid ads",
        ),
        (
            &[
                "website",
                "seo",
                "google search",
                "inbound form",
                "web form",
            ],
            "Website and search",
        ),
        (&["webinar"], "Webinars"),
        (
            &[
                "blog",
                "checklist",
                "download",
                "ebook",
                "e-book",
                "whitepaper",
            ],
            "Blog and content",
        ),
        (&["newsletter"], "Newsletter"),
        (
            &[
                "outbound",
                "cold email",
                "cold emailing",
                "cold outreach",
                "cold call",
                "cold calling",
            ],
            "Outbound",
        ),
    ];
    let l = text.to_lowercase();
    let mut found: Vec<(usize, &str)> = MENTIONS
        .iter()
        .filter_map(|(words, name)| {
            words
                .iter()
                // The word or its plural (`trade shows`, `webinars`).
                .filter_map(|w| {
                    crate::facts::prose::find_word(&l, w)
                        .or_else(|| crate::facts::prose::find_word(&l, &format!("{w}s")))
                })
                .min()
                .map(|p| (p, *name))
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .map(|(_, n)| {
            // `writing on LinkedIn three times a week`, `reply to a post`: LinkedIn as content,
            // which draws enquiries, not as outreach (any mention of it may say so).
            let as_content = l.match_indices("linkedin").any(|(p, _)| {
                let near = crate::facts::prose::window(&l, p.saturating_sub(80), p + 120);
                [
                    "post", "posts", "posting", "writing", "write", "content", "article",
                ]
                .iter()
                .any(|w| crate::facts::prose::find_word(near, w).is_some())
            });
            if n == "LinkedIn" && as_content {
                "LinkedIn posts".to_string()
            } else {
                n.to_string()
            }
        })
        .collect()
}

/// True when two channel names mean the same source: one contains the other, or they share
/// their telling words (`2 cpa firms referring` / `CPA firms referring them`).
pub fn same_channel(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    if a.contains(&b) || b.contains(&a) {
        return true;
    }
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
            .filter(|w| {
                !matches!(
                    *w,
                    "the"
                        | "them"
                        | "they"
                        | "from"
                        | "and"
                        | "our"
                        | "your"
                        | "with"
                        | "for"
                        | "via"
                        | "who"
                        | "that"
                        | "two"
                        | "three"
                )
            })
            .map(|w| w.trim_end_matches('s').to_string())
            .collect()
    };
    let (wa, wb) = (words(&a), words(&b));
    let common = wa.iter().filter(|w| wb.contains(w)).count();
    common >= 2 || (common >= 1 && (wa.len() == 1 || wb.len() == 1))
}

/// Each lead source with its share of new clients: your channel goals first, the rest shared by
/// the other sources (the first-named source takes half of what is left when none is stated).
pub fn channels(f: &Foundation) -> Vec<ChannelCost> {
    let goals = &f.limits.channel_goals;
    let mut sources: Vec<String> = if f.business.lead_sources.is_empty() {
        match f.business.variation {
            Variation::Scaling => vec![
                "Inbound demo requests".into(),
                "Outbound prospecting".into(),
            ],
            _ => vec![
                "Referrals and introductions".into(),
                "Targeted outreach to the ICP".into(),
            ],
        }
    } else {
        f.business.lead_sources.clone()
    };
    sources.retain(|s| !f.limits.excludes(s));
    let matches = |s: &str, ch: &str| same_channel(s, ch);
    let mut out: Vec<ChannelCost> = Vec::new();
    let mk = |channel: String, share: f64, src: String| {
        let (kind, m, why, w) = channel_kind(&channel);
        ChannelCost {
            channel,
            kind: kind.into(),
            share,
            share_source: src,
            create_minutes: m,
            create_source: why.into(),
            budget_weight: w,
        }
    };
    for (ch, share, src) in goals {
        out.push(mk(ch.clone(), *share, src.clone()));
    }
    let others: Vec<String> = sources
        .into_iter()
        .filter(|s| !goals.iter().any(|(ch, ..)| matches(s, ch)))
        .collect();
    let rest = (1.0 - goals.iter().map(|g| g.1).sum::<f64>()).max(0.0);
    if rest > 1e-9 {
        if others.is_empty() {
            out.push(mk(
                "Other channels".into(),
                rest,
                "the rest of your new clients".into(),
            ));
        } else if goals.is_empty() && others.len() > 1 {
            // No goal stated: the first-named source leads with half, the others share the rest.
            let each = rest / 2.0 / (others.len() - 1) as f64;
            for (k, s) in others.into_iter().enumerate() {
                let share = if k == 0 { rest / 2.0 } else { each };
                let why = if k == 0 {
                    "your first-named source: half of new clients (coord default)"
                } else {
                    "the other half, shared equally (coord default)"
                };
                out.push(mk(s, share, why.into()));
            }
        } else {
            let each = rest / others.len() as f64;
            for s in others {
                out.push(mk(s, each, "the rest, shared equally".into()));
            }
        }
    }
    volume_shares(f, &mut out);
    cap_channels(f, &mut out);
    // Leads that arrive at a rate the business wrote (`about 15 enquiries a month` from the
    // blog, `4 a month` from referrals) cost only their answer: what brings them is the work
    // it does today. Outreach that books them (`Sam's outbound books 12 meetings a month`) still
    // takes its time.
    for c in &mut out {
        if let Some(v) = f.channel_volumes.iter().find(|v| v.channel == c.channel)
            && matches!(c.kind.as_str(), "inbound" | "referral" | "partner")
        {
            c.create_minutes = 0.0;
            c.create_source = format!(
                "they arrive at the rate you wrote ({}); what brings them is the work you do today",
                v.source
            );
        }
    }
    out
}

/// Introductions a business's clients can give in the period: today's clients and, on average,
/// half of the new ones, asked twice a year (a coord default), 2.5 asks per introduction [S32].
pub fn introductions(f: &Foundation) -> f64 {
    let o = &f.objectives;
    (referral_clients(f) * ASKS_PER_CLIENT_YEAR * f64::from(o.period_months)
        / 12.0
        / ASKS_PER_INTRO)
        .floor()
}

/// Clients who can be asked for introductions: today's, and on average half of the new ones.
pub fn referral_clients(f: &Foundation) -> f64 {
    f64::from(f.objectives.current_customers) + f64::from(f.objectives.deals_needed) / 2.0
}

/// Referral asks a client can take a year (a coord default).
pub const ASKS_PER_CLIENT_YEAR: f64 = 2.0;
/// Referral asks per introduction [S32]: 80% willing to refer, half of the referred rule the
/// firm out.
pub const ASKS_PER_INTRO: f64 = 2.5;
/// Conversations an event gives (a coord default).
pub const LEADS_PER_EVENT: f64 = 4.0;

/// Events a year when the inputs do not say (a coord default: one a month).
pub const EVENTS_PER_YEAR: f64 = 12.0;

/// Events the business attends or runs in the period: as the inputs say (`once a quarter`), or
/// the coord default.
pub fn events(f: &Foundation) -> (f64, String) {
    let months = f64::from(f.objectives.period_months) / 12.0;
    match &f.events_per_year {
        Some((n, said)) => ((n * months).round(), format!("your documents: {said}")),
        None => (
            (EVENTS_PER_YEAR * months).round(),
            format!(
                "coord default: {EVENTS_PER_YEAR:.0} events a year (write how often, e.g. `one event a quarter`)"
            ),
        ),
    }
}

/// The acquisition budget: the part of the sales budget that buys leads and runs channels.
pub fn acquisition_budget(f: &Foundation) -> f64 {
    (f.objectives.budget * crate::sections::capacity::budget_shares(f.business.variation)[0])
        .floor()
}

/// The part of the acquisition budget paid channels may spend on leads: all of it when every
/// channel is paid, else [`PAID_PART`] (the rest runs the other channels).
pub fn paid_budget(f: &Foundation, all: &[ChannelCost]) -> f64 {
    let part = if all.iter().all(|c| c.kind == "paid") {
        1.0
    } else {
        PAID_PART
    };
    (acquisition_budget(f) * part).floor()
}

/// Share of the acquisition budget paid channels may spend when other channels need some too (a
/// coord default).
pub const PAID_PART: f64 = 0.8;

/// Partners a channel's name counts (`two ERP resellers`, `3 accounting firms`), when it does.
pub fn partners_named(channel: &str) -> Option<f64> {
    const NOUNS: &[&str] = &[
        "partner",
        "reseller",
        "firm",
        "accountant",
        "solicitor",
        "lawyer",
        "adviser",
        "advisor",
        "alliance",
        "agenc",
        "integrator",
        "consultanc",
        "distributor",
    ];
    let words: Vec<String> = channel
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    words.iter().enumerate().find_map(|(i, w)| {
        let n = w
            .parse::<f64>()
            .ok()
            .or_else(|| crate::facts::values::word_number(w))
            .filter(|n| (1.0..=500.0).contains(n))?;
        words
            .iter()
            .skip(i + 1)
            .take(2)
            .any(|x| NOUNS.iter().any(|p| x.starts_with(p)))
            .then_some(n)
    })
}

/// The most leads a channel can carry in the period, and why: referrals what the clients can
/// introduce, events what the events give (4 conversations each), paid channels what their part
/// of the acquisition budget buys, partner channels what the partners they name refer. `all` is
/// the whole mix, for the paid channels' part of the budget. Other kinds have no cap.
pub fn channel_limit(
    f: &Foundation,
    c: &ChannelCost,
    all: &[ChannelCost],
) -> Option<(f64, String)> {
    let years = f64::from(f.objectives.period_months) / 12.0;
    let cur = f.objectives.currency.as_str();
    // What the business says the channel brings today is what it can give.
    if let Some(v) = f.channel_volumes.iter().find(|v| v.channel == c.channel) {
        let months = f64::from(f.objectives.period_months);
        return Some((
            (v.per_month * months).floor(),
            format!(
                "about {} a month × {months:.0} months, as you wrote ({})",
                crate::render::fmt_num(v.per_month),
                v.source
            ),
        ));
    }
    match c.kind.as_str() {
        "referral" => Some((
            introductions(f),
            format!(
                "about {:.0} introductions from your clients",
                introductions(f)
            ),
        )),
        "event" => {
            let (n, why) = events(f);
            Some((
                n * LEADS_PER_EVENT,
                format!("{n:.0} events × {LEADS_PER_EVENT:.0} conversations ({why})"),
            ))
        }
        "paid" => {
            let paid: f64 = all
                .iter()
                .filter(|x| x.kind == "paid")
                .map(|x| x.share)
                .sum::<f64>()
                .max(1e-9);
            let budget = paid_budget(f, all);
            let most = (budget / f.cost_per_lead.max(1.0) * c.share / paid).floor();
            Some((
                most,
                format!(
                    "{} of acquisition budget buys about {} paid leads at {} each",
                    crate::render::money(cur, budget),
                    crate::render::group((budget / f.cost_per_lead.max(1.0)).floor() as u64),
                    crate::render::money(cur, f.cost_per_lead)
                ),
            ))
        }
        "partner" => {
            let n = partners_named(&c.channel)?;
            let each = benchmarks::REFERRALS_PER_PARTNER_YEAR.value;
            Some((
                (n * each * years).floor(),
                format!("{n:.0} partners × {each:.0} referred leads a year, a coord default"),
            ))
        }
        _ => None,
    }
}

/// True when a channel's limit rests only on a coord default the business can change by its own
/// effort — how many leads a partner refers a year, how many events a year when none is written
/// — so going past it is a stretch the plan names, not a limit that makes the target
/// unreachable. Volumes the business wrote, its clients' introductions and its budget are limits.
pub fn limit_is_assumed(f: &Foundation, c: &ChannelCost) -> bool {
    if f.channel_volumes.iter().any(|v| v.channel == c.channel) {
        return false;
    }
    match c.kind.as_str() {
        "partner" => true,
        "event" => f.events_per_year.is_none(),
        _ => false,
    }
}

/// Channels coord sized (not the user's goals) carry no more leads than they can give; the rest
/// moves to the channels coord sized that have no such limit (outreach, content, paid,
/// partners), in proportion. With none to carry it, the share stays and the channel table says
/// it is a stretch.
fn cap_channels(f: &Foundation, out: &mut [ChannelCost]) {
    let conversion: f64 = f.stages.iter().map(|s| s.rate).product();
    if conversion <= 0.0 {
        return;
    }
    let leads = f64::from(f.objectives.deals_needed) / conversion;
    let goal = |c: &ChannelCost| f.limits.channel_goals.iter().any(|g| g.0 == c.channel);
    let limits: Vec<Option<(f64, String)>> = out.iter().map(|c| channel_limit(f, c, out)).collect();
    let capped: Vec<bool> = limits.iter().map(Option::is_some).collect();
    // Channels coord sized take what the capped ones cannot; with none, an uncapped channel of
    // your goals does, above its goal (and says so).
    let goals: Vec<bool> = out.iter().map(goal).collect();
    let taker = |i: usize, over_goal: bool| !capped[i] && (over_goal || !goals[i]);
    let share_of = |over_goal: bool| -> f64 {
        (0..out.len())
            .filter(|&i| taker(i, over_goal))
            .map(|i| out[i].share)
            .sum()
    };
    let over_goal = share_of(false) <= 1e-9;
    let takers = share_of(over_goal);
    if takers <= 1e-9 {
        return;
    }
    let mut freed = 0.0;
    let takes: Vec<bool> = (0..out.len()).map(|i| taker(i, over_goal)).collect();
    for ((c, limit), _) in out
        .iter_mut()
        .zip(&limits)
        .zip(&goals)
        .filter(|(_, g)| !**g)
    {
        let Some((most, why)) = limit else { continue };
        let most = (most / leads.max(1.0)).min(1.0);
        if c.share > most + 1e-9 {
            freed += c.share - most;
            c.share_source = format!("{}, held to what it can give ({why})", c.share_source);
            c.share = most;
        }
    }
    if freed <= 0.0 {
        return;
    }
    for (c, _) in out.iter_mut().zip(takes).filter(|(_, t)| *t) {
        let before = c.share;
        c.share += freed * c.share / takers;
        c.share_source = if over_goal {
            format!(
                "{}; {:.0}% of new clients instead of your {:.0}% goal, because the other channels cannot carry their share",
                c.share_source,
                c.share * 100.0,
                before * 100.0
            )
        } else {
            format!(
                "{}, plus what the capped channels cannot carry",
                c.share_source
            )
        };
    }
}

/// Minutes per new lead, weighted by channel share: creating it plus answering it.
pub fn lead_minutes(channels: &[ChannelCost]) -> (f64, String) {
    let handle = minutes::WARM_LEAD.value;
    let total: f64 = channels.iter().map(|c| c.share).sum::<f64>().max(1e-9);
    let create: f64 = channels
        .iter()
        .map(|c| c.share * c.create_minutes)
        .sum::<f64>()
        / total;
    (
        (create + handle).round(),
        format!(
            "{create:.0} min to create a lead (channel-weighted: {}) + {handle:.0} min to answer it ({})",
            channels
                .iter()
                .map(|c| format!("{} {:.0} min", c.channel, c.create_minutes))
                .collect::<Vec<_>>()
                .join(", "),
            minutes::WARM_LEAD.source
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_have_their_own_effort() {
        assert_eq!(channel_kind("Referrals from past clients").0, "referral");
        assert_eq!(channel_kind("LinkedIn outreach to owners").0, "outreach");
        assert_eq!(
            channel_kind("Regional Manufacturers Association events").0,
            "event"
        );
        assert_eq!(channel_kind("paid search").0, "paid");
        assert_eq!(channel_kind("from happy clients").0, "referral");
        assert!(channel_kind("LinkedIn outreach").1 > channel_kind("Referrals").1);
    }

    #[test]
    fn partners_are_counted_from_the_channel_name() {
        assert_eq!(
            partners_named("Partner referrals from two ERP resellers who serve the same plants"),
            Some(2.0)
        );
        assert_eq!(
            partners_named("Referrals from 3 accounting firms"),
            Some(3.0)
        );
        assert_eq!(partners_named("NetSuite partner referrals"), None);
        assert_eq!(partners_named("Top 10 accounts via partners"), None);
    }
}

#[cfg(test)]
mod same_channel_tests {
    use super::same_channel;

    #[test]
    fn channels_mentioned_in_passing() {
        let m = super::mentioned_sources(
            "Nearly all my work is word of mouth. The other big source is the County Home & Garden Show every March. I spend $150 a month on boosted Instagram posts.",
        );
        assert_eq!(
            m,
            [
                "Referrals and word of mouth",
                "Events and shows",
                "Instagram"
            ]
        );
        assert!(super::mentioned_sources("We sell software.").is_empty());
        let m = super::mentioned_sources(
            "I write on LinkedIn three times a week and go on podcasts. Past clients send one or two people my way most months.",
        );
        assert_eq!(
            m,
            [
                "LinkedIn posts",
                "Podcast guesting",
                "Referrals and word of mouth"
            ]
        );
        assert_eq!(super::channel_kind("LinkedIn posts").0, "inbound");
    }

    #[test]
    fn one_source_written_two_ways() {
        assert!(same_channel(
            "2 cpa firms referring",
            "CPA firms referring them"
        ));
        assert!(same_channel("LinkedIn", "LinkedIn posts"));
        assert!(!same_channel("LinkedIn", "Chamber of commerce breakfasts"));
        assert!(!same_channel("Referrals from clients", "Google Ads"));
    }
}
