//! The time model: what one unit of work at each stage costs, and what it costs to *create* a
//! lead in each channel.
//!
//! Activities follow each stage's meaning — its name, objective and criteria — not its position:
//! a "Marketing Qualified" stage is a short qualification call, a "Plant Walk" is an on-site visit
//! with travel, a "Negotiation" is a closing call. A duration the Sales Bible writes ("a 30-minute
//! call", "half a day", "two meetings") wins over the benchmark; a stage's own text speaks for
//! itself, and the previous stage's exit criterion ("agrees to a 30-minute call") speaks for the
//! stage it leads into. Every unit time carries its source, and the plan lists them all.

use crate::benchmarks::minutes;
use crate::foundation::{Foundation, StageSeed};
use crate::model::Variation;
use serde::{Deserialize, Serialize};

/// What the work of a stage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Work {
    /// A new lead is created and answered.
    Lead,
    /// A short qualification call (MQL review, lead qualification).
    Qualify,
    /// A discovery or consultation call.
    Discovery,
    /// A meeting, demo, assessment or workshop.
    Meeting,
    /// A proposal or quote is written.
    Proposal,
    /// Negotiation, commitment, closing call.
    Close,
    /// The signed deal itself: the kickoff handoff.
    Signed,
}

/// One stage's unit of work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnitTime {
    /// Stage index (0-based).
    pub stage: usize,
    /// What the work is.
    pub work: Work,
    /// The activity's name as the plan shows it (`Plant Walk visits`).
    pub activity: String,
    /// Minutes per deal entering the stage, all in (meeting, preparation, travel).
    pub minutes: f64,
    /// How the minutes were found.
    pub source: String,
    /// True when the stage happens at the buyer's site (travel is included).
    pub on_site: bool,
}

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

/// Minutes for travel to and from a buyer's site (a coord default: no benchmark in the reference).
pub const TRAVEL_MINUTES: f64 = 90.0;

/// Which kind of work a stage is, from its name first and then its objective and criteria.
pub fn work_of(seed: &StageSeed, index: usize) -> Work {
    let name = seed.name.to_lowercase();
    let text = format!(
        "{} {} {}",
        seed.objective.as_deref().unwrap_or(""),
        seed.entry.as_deref().unwrap_or(""),
        seed.exit.as_deref().unwrap_or("")
    )
    .to_lowercase();
    let qualify = |l: &str| {
        [
            "marketing qualified",
            "mql",
            "lead qualif",
            "qualified lead",
            "screen",
            "triage",
        ]
        .iter()
        .any(|w| l.contains(w))
    };
    let by = |l: &str| -> Option<Work> {
        let (kind, signed) = crate::stages::kind_of(l);
        if signed {
            return Some(Work::Signed);
        }
        match kind {
            4 => Some(Work::Close),
            3 => Some(Work::Proposal),
            2 if l.contains("sales qualified") || l.contains("sql") => Some(Work::Discovery),
            2 => Some(Work::Meeting),
            1 if qualify(l) => Some(Work::Qualify),
            1 => Some(Work::Discovery),
            _ => None,
        }
    };
    if index == 0 {
        return Work::Lead;
    }
    by(&name).or_else(|| by(&text)).unwrap_or(Work::Discovery)
}

/// A duration written in `text`, in minutes, and how many meetings it takes (`two meetings`).
pub fn written_minutes(text: &str) -> Option<(f64, String)> {
    let l = text.to_lowercase();
    let words = [
        ("half a day", 240.0),
        ("half-day", 240.0),
        ("half day", 240.0),
        ("full day", 480.0),
        ("full-day", 480.0),
        ("two-day", 960.0),
        ("2-day", 960.0),
        ("one-day", 480.0),
        ("1-day", 480.0),
        ("an hour", 60.0),
        ("one hour", 60.0),
        ("one-hour", 60.0),
        ("half an hour", 30.0),
        ("90-minute", 90.0),
    ];
    let mut found: Option<(f64, String)> = None;
    for (w, m) in words {
        if l.contains(w) {
            found = Some((m, w.to_string()));
            break;
        }
    }
    if found.is_none() {
        // `30-minute`, `45 minutes`, `45 min`, `2-hour`, `1.5 hours`, `2 h`.
        for (s, n, i) in numbers(&l) {
            let rest = l[i..].trim_start_matches(['-', ' ']);
            let unit = if rest.starts_with("minute") || rest.starts_with("min") {
                Some(1.0)
            } else if rest.starts_with("hour")
                || rest.starts_with("hr")
                || rest.starts_with("h ")
                || rest == "h"
            {
                Some(60.0)
            } else {
                None
            };
            if let Some(u) = unit
                && n > 0.0
                && n * u <= 960.0
            {
                let end = (i + rest.len().min(8)).min(l.len());
                found = Some((n * u, l[s..end].trim().to_string()));
                break;
            }
        }
    }
    let (m, what) = found?;
    let times = if l.contains("two meetings") || l.contains("two calls") || l.contains("2 meetings")
    {
        2.0
    } else if l.contains("three meetings") || l.contains("3 meetings") {
        3.0
    } else {
        1.0
    };
    Some((
        m * times,
        if times > 1.0 {
            format!("{what} × {times:.0}")
        } else {
            what
        },
    ))
}

fn on_site(seed: &StageSeed) -> bool {
    let l = format!(
        "{} {} {}",
        seed.name,
        seed.objective.as_deref().unwrap_or(""),
        seed.entry.as_deref().unwrap_or("")
    )
    .to_lowercase();
    [
        "on-site",
        "onsite",
        "on site",
        "site visit",
        "visit",
        "walk",
        "the floor",
        "in person",
        "in-person",
        "at their",
        "tasting",
        "venue",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// The unit time of every stage; a new lead costs the channel-weighted [`lead_minutes`].
pub fn unit_times(f: &Foundation, channels: &[ChannelCost]) -> Vec<UnitTime> {
    let lead = lead_minutes(channels);
    let prep = 15.0;
    f.stages
        .iter()
        .enumerate()
        .map(|(i, seed)| {
            let work = work_of(seed, i);
            let site = matches!(work, Work::Meeting) && on_site(seed);
            // The stage's own words first, then the previous stage's exit ("agrees to a 30-minute call").
            let own = format!(
                "{} {} {}",
                seed.name,
                seed.objective.as_deref().unwrap_or(""),
                seed.entry.as_deref().unwrap_or("")
            );
            let before = i
                .checked_sub(1)
                .and_then(|j| f.stages[j].exit.clone())
                .unwrap_or_default();
            let written = written_minutes(&own)
                .map(|(m, w)| (m, format!("`{w}` in your Sales Bible ({})", seed.name)))
                .or_else(|| {
                    written_minutes(&before).map(|(m, w)| {
                        (
                            m,
                            format!("`{w}` in your Sales Bible ({}'s exit)", f.stages[i - 1].name),
                        )
                    })
                });
            let (base, source) = match work {
                Work::Lead => lead.clone(),
                _ => match (&written, work) {
                    (Some((m, src)), _) => (m + prep, format!("{src} + {prep:.0} min preparation and notes")),
                    (None, Work::Qualify) => (
                        20.0,
                        "15-minute qualification call + 5 min CRM log [S41] (coord default)".into(),
                    ),
                    (None, Work::Discovery) => (
                        minutes::DISCOVERY.value,
                        minutes::DISCOVERY.source.into(),
                    ),
                    (None, Work::Meeting) => (minutes::MEETING.value, minutes::MEETING.source.into()),
                    (None, Work::Proposal) => (
                        minutes::PROPOSAL.value,
                        minutes::PROPOSAL.source.into(),
                    ),
                    (None, Work::Close) => (minutes::CLOSING.value, minutes::CLOSING.source.into()),
                    (None, _) => (
                        30.0,
                        "kickoff handoff call and paperwork (coord default)".into(),
                    ),
                },
            };
            let (total, source) = if site {
                (
                    base + TRAVEL_MINUTES,
                    format!("{source} + {TRAVEL_MINUTES:.0} min travel to the buyer's site (coord default)"),
                )
            } else {
                (base, source)
            };
            let activity = match work {
                Work::Lead => "New leads created and answered".to_string(),
                Work::Qualify => "Qualification calls".into(),
                Work::Discovery => calls(&seed.name),
                Work::Meeting if site => format!("{} visits", seed.name),
                Work::Meeting => format!("{} meetings", seed.name),
                Work::Proposal => "Proposals written".into(),
                Work::Close => calls(&seed.name),
                Work::Signed => "Kickoff handoffs".into(),
            };
            UnitTime {
                stage: i,
                work,
                activity,
                minutes: total.round(),
                source,
                on_site: site,
            }
        })
        .collect::<Vec<_>>()
        .into_iter()
        .scan(Vec::<String>::new(), |seen, mut u| {
            // Two stages of the same work (`Qualification calls` twice, a signed stage before
            // the last) are named by their stage, so each KPI and calendar line is one stage's.
            if seen.contains(&u.activity) {
                u.activity = format!("{} ({})", u.activity, f.stages[u.stage].name);
            }
            seen.push(u.activity.clone());
            Some(u)
        })
        .collect()
}

/// `Discovery Call` → `Discovery calls`, `Negotiation` → `Negotiation calls`.
fn calls(stage: &str) -> String {
    let l = stage.to_lowercase();
    let base = ["calls", "call"]
        .iter()
        .find(|w| l.ends_with(*w))
        .map_or(stage, |w| stage[..stage.len() - w.len()].trim_end());
    if base.is_empty() {
        "Calls".into()
    } else {
        format!("{base} calls")
    }
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
    } else if has(&["paid", "ads", "adwords", "search", "ppc", "sponsor"]) {
        (
            "paid",
            10.0,
            "paid campaigns: 10 min per lead for campaign upkeep; the cost is in the budget (coord default)",
            4.0,
        )
    } else if has(&[
        "inbound",
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
    let matches = |s: &str, ch: &str| {
        let (s, ch) = (s.to_lowercase(), ch.to_lowercase());
        s.contains(&ch) || ch.contains(&s)
    };
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
    cap_channels(f, &mut out);
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

/// The most leads a channel coord sized can carry: referrals what the clients can introduce,
/// events what the events give (4 conversations each); other kinds have no cap here.
pub fn channel_limit(f: &Foundation, kind: &str) -> Option<(f64, String)> {
    match kind {
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
        _ => None,
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
    let capped = |c: &ChannelCost| channel_limit(f, &c.kind).is_some();
    // Channels coord sized take what the capped ones cannot; with none, an uncapped channel of
    // your goals does, above its goal (and says so).
    let mut takers: f64 = out
        .iter()
        .filter(|c| !capped(c) && !goal(c))
        .map(|c| c.share)
        .sum();
    let over_goal = takers <= 1e-9;
    if over_goal {
        takers = out.iter().filter(|c| !capped(c)).map(|c| c.share).sum();
    }
    if takers <= 1e-9 {
        return;
    }
    let mut freed = 0.0;
    for c in out.iter_mut().filter(|c| !goal(c)) {
        let Some((most, why)) = channel_limit(f, &c.kind) else {
            continue;
        };
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
    for c in out
        .iter_mut()
        .filter(|c| !capped(c) && (over_goal || !goal(c)))
    {
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

/// Weeks an engagement runs, as a package's description writes it (`12 weeks`, `a two-day
/// assessment`, `3 months`).
pub fn weeks_written(text: &str) -> Option<f64> {
    let l = text.to_lowercase();
    for (w, v) in [
        ("two-day", 0.4),
        ("2-day", 0.4),
        ("one-day", 0.2),
        ("three-day", 0.6),
        ("half-day", 0.1),
    ] {
        if l.contains(w) {
            return Some(v);
        }
    }
    let words = crate::facts::values::digits_for_words(&l);
    for (_, n, i) in numbers(&words) {
        let rest = words[i..].trim_start_matches(['-', ' ']);
        let per = if rest.starts_with("week") || rest.starts_with("wk") {
            Some(1.0)
        } else if rest.starts_with("month") {
            Some(4.345)
        } else if rest.starts_with("day") {
            Some(0.2)
        } else {
            None
        };
        if let Some(p) = per
            && n > 0.0
        {
            return Some(n * p);
        }
    }
    None
}

/// The numbers standing alone in `text`: (start, value, end) byte positions.
fn numbers(text: &str) -> Vec<(usize, f64, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let s = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            out.push((s, text[s..i].parse().unwrap_or(0.0), i));
        } else {
            i += 1;
        }
    }
    out
}

/// Weeks an average engagement runs: the packages' written lengths, mixed so that their prices
/// average the deal size (two packages bracket it). `None` when no package says.
pub fn engagement_weeks(packages: &[(String, f64, String)], deal: f64) -> Option<(f64, String)> {
    let mut known: Vec<(&str, f64, f64)> = packages
        .iter()
        .filter_map(|(n, p, d)| weeks_written(d).map(|w| (n.as_str(), *p, w)))
        .collect();
    known.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
    match known.as_slice() {
        [] => None,
        [(n, _, w)] => Some((*w, format!("{n}: {w:.1} weeks, from your Sales Bible"))),
        _ => {
            let lo = known
                .iter()
                .rev()
                .find(|k| k.1 <= deal)
                .unwrap_or(&known[0]);
            let hi = known
                .iter()
                .find(|k| k.1 >= deal)
                .unwrap_or(&known[known.len() - 1]);
            let share = if hi.1 > lo.1 {
                ((deal - lo.1) / (hi.1 - lo.1)).clamp(0.0, 1.0)
            } else {
                1.0
            };
            let w = lo.2 * (1.0 - share) + hi.2 * share;
            Some((
                w,
                format!(
                    "{:.0}% {} ({:.1} weeks) and {:.0}% {} ({:.1} weeks) average your deal size; lengths from your Sales Bible",
                    (1.0 - share) * 100.0,
                    lo.0,
                    lo.2,
                    share * 100.0,
                    hi.0,
                    hi.2
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(name: &str, objective: &str, exit: &str) -> StageSeed {
        StageSeed {
            name: name.into(),
            entry: None,
            exit: (!exit.is_empty()).then(|| exit.to_string()),
            objective: (!objective.is_empty()).then(|| objective.to_string()),
            rate: 0.5,
            rate_source: String::new(),
            own_rate: true,
            benchmark: 0.5,
        }
    }

    #[test]
    fn work_follows_the_stage_meaning_not_its_position() {
        assert_eq!(
            work_of(&seed("Marketing Qualified", "", ""), 1),
            Work::Qualify
        );
        assert_eq!(work_of(&seed("Discovery", "", ""), 2), Work::Discovery);
        assert_eq!(work_of(&seed("Evaluation", "", ""), 3), Work::Meeting);
        assert_eq!(work_of(&seed("Negotiation", "", ""), 4), Work::Close);
        assert_eq!(
            work_of(&seed("Plant Walk", "see the floor", ""), 2),
            Work::Meeting
        );
        assert_eq!(
            work_of(&seed("Step three", "a fixed-fee proposal", ""), 2),
            Work::Proposal
        );
    }

    #[test]
    fn call_stages_are_named_once() {
        assert_eq!(calls("Discovery Call"), "Discovery calls");
        assert_eq!(calls("Negotiation"), "Negotiation calls");
        assert_eq!(calls("Call"), "Calls");
    }

    #[test]
    fn written_durations_are_read() {
        assert_eq!(
            written_minutes("owner agrees to a 30-minute call")
                .unwrap()
                .0,
            30.0
        );
        assert_eq!(written_minutes("a half-day workshop").unwrap().0, 240.0);
        assert_eq!(
            written_minutes("two meetings of 45 minutes").unwrap().0,
            90.0
        );
        assert_eq!(written_minutes("1.5 hours on site").unwrap().0, 90.0);
        assert!(written_minutes("costs them $50k a year").is_none());
        assert!(written_minutes("20–150 employees").is_none());
    }

    #[test]
    fn engagement_length_mixes_the_packages() {
        let p = vec![
            (
                "Audit".to_string(),
                4500.0,
                "two-day on-site assessment".to_string(),
            ),
            (
                "Sprint".to_string(),
                15000.0,
                "12 weeks of on-site work".to_string(),
            ),
        ];
        let (w, _) = engagement_weeks(&p, 12000.0).unwrap();
        assert!((w - (0.4 * 0.2857 + 12.0 * 0.7143)).abs() < 0.05, "{w}");
        assert_eq!(weeks_written("three months of support"), Some(3.0 * 4.345));
    }

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
}
