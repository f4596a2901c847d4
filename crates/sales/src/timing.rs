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
use crate::channels::{ChannelCost, lead_minutes};
use crate::foundation::{Foundation, StageSeed};
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
                _ if seed.milestone => (
                    0.0,
                    "a milestone you record in the CRM; its work is in the stage before".into(),
                ),
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
                _ if seed.milestone => format!("{} recorded", seed.name),
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
    // `a six-month engagement`: the number and its unit joined by a hyphen.
    let words = crate::facts::values::digits_for_words(
        &l.replace("-month", " month")
            .replace("-week", " week")
            .replace("-day", " day"),
    );
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
            milestone: false,
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
}
