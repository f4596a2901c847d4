//! The limits people write: hour caps for some weeks, activities they will not do, what a
//! channel should bring, and dated roadmap items.
//!
//! - **Hour caps**: "In July and August I can only give sales 4 hours a week" (months),
//!   "1–21 December: no selling at all" (a date range, any year of the plan), "weeks with an
//!   on-site sprint: no more than 6 hours of selling" (a kind of week; with "one week a month"
//!   the plan knows which, otherwise every week is held to the cap, and the plan says so).
//! - **Exclusions**: "no cold calling, no paid ads", "we never do trade shows", "avoid
//!   discounting" — each mapped to a canonical activity so the plan can leave it out.
//! - **Channel goals**: "LinkedIn should bring a third of new clients".
//! - **Roadmap items**: "Q2: publish two case studies", "launch the maintenance package in
//!   September 2027" — a date (month or quarter, year optional) and an action.

mod caps;
mod exclusions;
mod goals;
mod roadmap;

use caps::cap;
use exclusions::exclusions;
use goals::channel_goal;
use roadmap::roadmap;

use super::prose::{any, find_word};
use super::values;

/// Which weeks a cap holds for.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CapScope {
    /// Calendar months, 1-based (`[7, 8]` for July and August), any year.
    Months {
        /// The months.
        months: Vec<u8>,
    },
    /// A day range, any year (`12-01` to `12-21`); a range may wrap the year end.
    Dates {
        /// (month, day) the range starts.
        from: (u8, u8),
        /// (month, day) it ends, inclusive.
        to: (u8, u8),
    },
    /// Weeks of a kind (`on-site sprint`), every `every`-th week when the inputs say how often.
    Kind {
        /// What makes the week special.
        label: String,
        /// One week in `every`, when stated.
        every: Option<u32>,
    },
}

/// An hour cap as written.
#[derive(Debug, Clone, PartialEq)]
pub struct HourCap {
    /// Selling hours allowed in each such week.
    pub hours: f64,
    /// True when the hours are per person (`2 hours a week each`).
    pub each: bool,
    /// Which weeks.
    pub scope: CapScope,
    /// A share of the usual hours instead of a number (`half their usual time`): the plan
    /// resolves it against the team's hours.
    pub share: Option<f64>,
}

/// A dated roadmap item: (year if written, month 1-based, what).
#[derive(Debug, Clone, PartialEq)]
pub struct RoadmapItem {
    /// The year, when written.
    pub year: Option<i16>,
    /// The first month it names (a quarter's first month).
    pub month: u8,
    /// What is to be done.
    pub what: String,
}

/// A constraint stated by a sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// Hours for some weeks.
    Cap(HourCap),
    /// An activity or channel not to use (canonical name).
    Exclude(String),
    /// A channel's share of new clients: (channel as written, share).
    ChannelGoal(String, f64),
    /// A dated roadmap item.
    Roadmap(RoadmapItem),
}

/// Canonical activities and the words people use for them.
pub const ACTIVITIES: &[(&str, &[&str])] = &[
    (
        "cold calling",
        &[
            "cold calling",
            "cold calls",
            "cold call",
            "cold-calling",
            "phone prospecting",
            "calling strangers",
            "telemarketing",
            "cold phone",
        ],
    ),
    (
        "cold email",
        &[
            "cold email",
            "cold emails",
            "cold emailing",
            "mass email",
            "mass emails",
            "email blasts",
            "spam",
            "unsolicited email",
            "cold outreach",
        ],
    ),
    (
        "paid ads",
        &[
            "paid ads",
            "paid advertising",
            "ads",
            "advertising",
            "ppc",
            "google ads",
            "facebook ads",
            "linkedin ads",
            "paid social",
            "paid search",
            "adwords",
            "paid media",
            "sponsored posts",
            "paid campaigns",
        ],
    ),
    (
        "events",
        &[
            "events",
            "trade shows",
            "trade show",
            "conferences",
            "exhibitions",
            "expos",
            "fairs",
            "networking events",
            "bridal shows",
            "wedding shows",
            "wedding fairs",
        ],
    ),
    (
        "discounting",
        &["discounting", "discounts", "discount", "price cuts"],
    ),
    (
        "door-to-door",
        &[
            "door-to-door",
            "door knocking",
            "door-knocking",
            "canvassing",
            "door hangers",
            "door drops",
        ],
    ),
    (
        "buying lists",
        &[
            "buying lists",
            "bought lists",
            "purchased lists",
            "lead lists",
            "buying lead lists",
            "buying leads",
            "bought leads",
            "paid leads",
            "lead-gen websites",
            "list buying",
            "data lists",
        ],
    ),
    (
        "cold DMs",
        &[
            "cold dms",
            "cold dm",
            "cold messages",
            "cold messaging",
            "unsolicited dms",
            "mass dms",
        ],
    ),
    ("webinars", &["webinars", "webinar"]),
    (
        "social media posting",
        &["social media", "instagram", "tiktok", "posting on social"],
    ),
    (
        "cold LinkedIn outreach",
        &[
            "linkedin outreach",
            "linkedin cold messages",
            "cold linkedin",
            "linkedin automation",
        ],
    ),
    (
        "direct mail",
        &["direct mail", "flyers", "leaflets", "mailshots"],
    ),
    (
        "bidding platforms",
        &[
            "upwork",
            "fiverr",
            "bidding platforms",
            "tenders",
            "rfps",
            "marketplaces",
            "bidding",
            "freelance platforms",
        ],
    ),
];

/// The canonical activity a phrase names, if any.
pub fn activity_of(phrase: &str) -> Option<&'static str> {
    let p = phrase.to_lowercase();
    ACTIVITIES
        .iter()
        .flat_map(|(c, ws)| ws.iter().map(move |w| (*c, *w)))
        .filter(|(_, w)| find_word(&p, w).is_some())
        .max_by_key(|(_, w)| w.len())
        .map(|(c, _)| c)
}

/// True when `text` mentions the canonical activity `canonical` in any of its words.
pub fn mentions(text: &str, canonical: &str) -> bool {
    let t = text.to_lowercase();
    ACTIVITIES
        .iter()
        .find(|(c, _)| *c == canonical)
        .map(|(_, ws)| ws.iter().any(|w| find_word(&t, w).is_some()))
        .unwrap_or_else(|| find_word(&t, canonical).is_some())
}

const CAP_WORDS: &[&str] = &[
    "caps",
    "limits",
    "blackout",
    "blackouts",
    "only",
    "no more than",
    "not more than",
    "at most",
    "max",
    "maximum",
    "up to",
    "limit",
    "limited to",
    "cap",
    "capped",
    "drops to",
    "down to",
    "just",
    "no selling",
    "no sales",
    "nothing",
    "zero",
    "nobody sells",
    "no one sells",
    "nobody is selling",
];

/// True when a sentence limits hours in some weeks (so its hours are a cap, not the norm).
pub fn is_cap_sentence(l: &str) -> bool {
    let words: Vec<&str> = l
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let iso = (0..l.len().saturating_sub(6)).any(|i| {
        l.is_char_boundary(i)
            && l.get(i..i + 7).is_some_and(|t| {
                let b = t.as_bytes();
                b[..4].iter().all(u8::is_ascii_digit)
                    && b[4] == b'-'
                    && b[5..].iter().all(u8::is_ascii_digit)
            })
    });
    let dated = iso
        || !values::months_in(&words).is_empty()
        || any(
            l,
            &[
                "weeks with",
                "weeks when",
                "week with",
                "on-site",
                "onsite",
                "holiday",
                "holidays",
                "vacation",
                "summer",
                "winter",
                "season",
                "school break",
                "busy weeks",
                "launch weeks",
                "sprint",
            ],
        )
        || words
            .iter()
            .any(|w| w.len() == 2 && w.starts_with('q') && w[1..].parse::<u8>().is_ok());
    dated
        && (any(l, CAP_WORDS)
            || l.contains("hour")
            || l.contains("hrs")
            || l.contains("h/w")
            || is_off(l))
}

/// True when a sentence says a time is off (`I take August off`, `two weeks off`, `away for
/// the summer`, `closed in August`), not `come away with 40 names` or `kick off`.
pub(super) fn is_off(l: &str) -> bool {
    // `we're both away.`, `away until the 20th`: away as a state, not `come away with`.
    let away = crate::facts::prose::find_word(l, "away").is_some_and(|p| {
        let before = l[..p].trim_end();
        let after = l[p + 4..].trim_start();
        ![
            "come", "came", "comes", "give", "gave", "take", "took", "put", "throw", "walk",
            "right", "far",
        ]
        .iter()
        .any(|w| before.ends_with(w))
            && (after.is_empty()
                || after.starts_with(['.', ',', ';', '!', ')'])
                || [
                    "for ", "on ", "from ", "until ", "till ", "in ", "during ", "over ", "and ",
                ]
                .iter()
                .any(|w| after.starts_with(w)))
    });
    away || any(l, OFF_WORDS)
        || (crate::facts::prose::find_word(l, "off").is_some()
            && !any(
                l,
                &[
                    "kick off",
                    "kicks off",
                    "kicked off",
                    "sign off",
                    "signs off",
                    "signed off",
                    "pay off",
                    "pays off",
                    "paid off",
                    "drop off",
                    "drops off",
                    "dropped off",
                    "better off",
                    "off the shelf",
                    "turn off",
                    "turned off",
                    "cut off",
                    "show off",
                    "put off",
                    "off-site",
                    "offsite",
                    "one-off",
                    "one off",
                    "off the back",
                ],
            ))
}

/// Words that say a time is off: `two weeks off`, `away for the summer`, `closed in August` —
/// not `come away with 40 names` or `kick off`.
pub(super) const OFF_WORDS: &[&str] = &[
    "weeks off",
    "week off",
    "days off",
    "time off",
    "take off",
    "taking off",
    "off for",
    "off in",
    "off work",
    "off sales",
    "off selling",
    "away for",
    "am away",
    "i'm away",
    "are away",
    "we're away",
    "be away",
    "away on",
    "closed",
];

/// Reads the constraints one sentence states; each clause (`…, but in December I can't sell at
/// all`) is read on its own for hour limits.
pub fn read_sentence(sentence: &str) -> Vec<Constraint> {
    let l = sentence.to_lowercase();
    for sep in [", but ", " but ", "; ", ", except ", " except "] {
        if let Some(p) = l.find(sep)
            && sentence.is_char_boundary(p)
            && sentence.is_char_boundary(p + sep.len())
        {
            let (a, b) = (&sentence[..p], &sentence[p + sep.len()..]);
            let mut out = read_clause(a);
            for c in read_clause(b) {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            return out;
        }
    }
    read_clause(sentence)
}

fn read_clause(sentence: &str) -> Vec<Constraint> {
    let l = values::digits_for_words(&sentence.to_lowercase()).replace('’', "'");
    let l = l.as_str();
    let mut out = Vec::new();
    if let Some(c) = cap(l) {
        out.push(Constraint::Cap(c));
    }
    for e in exclusions(l) {
        if !out.contains(&Constraint::Exclude(e.clone())) {
            out.push(Constraint::Exclude(e));
        }
    }
    if let Some((ch, share)) = channel_goal(sentence, l) {
        out.push(Constraint::ChannelGoal(ch, share));
    }
    // `Q4 2027: hire a third trainer (delivery only, no selling)` is a roadmap item, not a
    // quarter without selling: a dated action outranks a cap that names no hours.
    if let Some(r) = roadmap(sentence, l) {
        // Being away (`we are both away for the whole of August`) is time off, whatever else
        // the sentence dates.
        let zero_cap = matches!(out.first(), Some(Constraint::Cap(c)) if c.hours == 0.0)
            && !l.contains("hour")
            && !is_off(l);
        match out.first() {
            Some(Constraint::Cap(_)) if !zero_cap => {}
            Some(Constraint::Cap(_)) => out[0] = Constraint::Roadmap(r),
            _ => out.push(Constraint::Roadmap(r)),
        }
        // `in April we start offering batteries, and by Q1 2028 open a second office`: more
        // dated items in the same sentence.
        let lower = sentence.to_lowercase();
        for sep in [", and by ", ", and in ", " and by ", "; "] {
            if let Some(p) = lower.find(sep)
                && sentence.is_char_boundary(p + sep.len())
            {
                let rest = &sentence[p + sep.len()
                    - if sep.starts_with(", and") || sep.starts_with(" and") {
                        3
                    } else {
                        0
                    }..];
                let rest_l = values::digits_for_words(&rest.to_lowercase());
                if let Some(r2) = roadmap(rest, &rest_l)
                    && !out.contains(&Constraint::Roadmap(r2.clone()))
                {
                    out.push(Constraint::Roadmap(r2));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
