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
            || any(l, &["off", "away", "closed"]))
}

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
        let zero_cap = matches!(out.first(), Some(Constraint::Cap(c)) if c.hours == 0.0)
            && !l.contains("hour");
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

fn cap(l: &str) -> Option<HourCap> {
    if !is_cap_sentence(l) {
        return None;
    }
    let words: Vec<&str> = l
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    // The hours: `4 hours`, or none at all (`no selling`, `off`).
    let nums = values::numbers(l);
    let hours = nums.iter().find(|n| {
        let after = l[n.end..].trim_start();
        after.starts_with("hour")
            || after.starts_with("hrs")
            || after.starts_with("h ")
            || after.starts_with("h/")
            || after.starts_with("h of")
    });
    let hours = match hours {
        Some(h) => {
            // Per day is not per week.
            if l[h.end..].contains("a day") || l[h.end..].contains("per day") {
                return None;
            }
            h.value
        }
        // `Selling hours in tax season (Feb-Apr): 2 per week`: the unit comes first.
        None if l.contains("hour")
            && nums.iter().any(|n| {
                let after = l[n.end..].trim_start();
                ["per week", "a week", "/week", "each week", "weekly", "/wk"]
                    .iter()
                    .any(|u| after.starts_with(u))
            }) =>
        {
            nums.iter()
                .find(|n| {
                    let after = l[n.end..].trim_start();
                    ["per week", "a week", "/week", "each week", "weekly", "/wk"]
                        .iter()
                        .any(|u| after.starts_with(u))
                })
                .map(|n| n.value)
                .unwrap_or(0.0)
        }
        // `caps: 2027-12-20 .. 2028-01-03: 0`: a limit whose value is a bare number.
        None if any(
            l,
            &[
                "cap",
                "caps",
                "limit",
                "limits",
                "max",
                "blackout",
                "blackouts",
            ],
        ) && l
            .rsplit_once(':')
            .is_some_and(|(_, v)| v.trim().parse::<f64>().is_ok()) =>
        {
            l.rsplit_once(':')
                .and_then(|(_, v)| v.trim().parse::<f64>().ok())
                .unwrap_or(0.0)
        }
        None if any(
            l,
            &[
                "no selling",
                "no sales",
                "not sell",
                "no prospecting",
                "off",
                "away",
                "closed",
                "zero",
                "nothing",
                "no time",
                "can't do any selling",
                "can't sell",
                "cannot sell",
                "can't do any",
                "at all",
                "won't sell",
                "not selling",
                "no sales work",
                "close for",
                "shut",
            ],
        ) =>
        {
            0.0
        }
        None => return None,
    };
    let each = any(
        l,
        &[
            "each",
            "per person",
            "apiece",
            "per head",
            "per rep",
            "per seller",
            "per partner",
            "each of us",
        ],
    );
    // ISO dates: `2027-08-02 to 2027-08-20`.
    let iso: Vec<jiff::civil::Date> = (0..l.len().saturating_sub(9))
        .filter(|&i| l.is_char_boundary(i) && l.is_char_boundary(i + 10))
        .filter(|&i| i == 0 || !l.as_bytes()[i - 1].is_ascii_digit())
        .filter_map(|i| l[i..i + 10].parse::<jiff::civil::Date>().ok())
        .collect();
    if iso.len() >= 2 {
        let (a, b) = (iso[0], iso[iso.len() - 1]);
        return Some(HourCap {
            hours,
            each,
            scope: CapScope::Dates {
                from: (a.month() as u8, a.day() as u8),
                to: (b.month() as u8, b.day() as u8),
            },
        });
    }
    // A day range: `1-21 december`, `from 1 march to 15 april`, `20 dec – 3 jan`.
    let mut days: Vec<(u8, u8)> = Vec::new();
    let mut pending: Vec<u8> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let num = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if let Some(m) = values::month_of(w) {
            let after = words
                .get(i + 1)
                .map(|n| n.trim_end_matches(|c: char| c.is_ascii_alphabetic()));
            if !pending.is_empty() {
                for d in pending.drain(..) {
                    days.push((m as u8 + 1, d));
                }
            } else if let Some(d) = after
                .and_then(|a| a.parse::<u8>().ok())
                .filter(|d| (1..=31).contains(d))
            {
                days.push((m as u8 + 1, d));
            }
        } else if let Ok(d) = num.parse::<u8>()
            && (1..=31).contains(&d)
            && num.len() <= 2
            && !words
                .get(i + 1)
                .is_some_and(|n| n.starts_with("hour") || n.starts_with("hrs") || *n == "h")
        {
            // `1-21` splits into two numbers, both waiting for their month.
            if w.contains('-') {
                for part in w.split('-') {
                    if let Ok(d) = part.parse::<u8>() {
                        pending.push(d);
                    }
                }
            } else {
                pending.push(d);
            }
        } else if w.contains('-') {
            for part in w.split('-') {
                if let Ok(d) = part.parse::<u8>()
                    && (1..=31).contains(&d)
                {
                    pending.push(d);
                }
            }
        }
    }
    if days.len() >= 2 {
        return Some(HourCap {
            hours,
            each,
            scope: CapScope::Dates {
                from: days[0],
                to: days[days.len() - 1],
            },
        });
    }
    // Months: `july and august`, `june to august`, `in december`, `q4`, `summer`.
    let month_words: Vec<&str> = l
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let named = values::months_in(&month_words);
    let mut months: Vec<u8> = Vec::new();
    if named.len() >= 2 && any(l, &["to", "through", "until", "till"])
        || (named.len() == 2 && l.contains(['-', '–']))
    {
        let (a, b) = (named[0], named[named.len() - 1]);
        let mut m = a;
        loop {
            months.push(m as u8 + 1);
            if m == b {
                break;
            }
            m = (m + 1) % 12;
        }
    } else {
        months.extend(named.iter().map(|m| *m as u8 + 1));
    }
    for w in &words {
        if w.len() == 2
            && w.starts_with('q')
            && let Ok(q) = w[1..].parse::<u8>()
            && (1..=4).contains(&q)
        {
            months.extend((1..=3).map(|k| (q - 1) * 3 + k));
        }
    }
    if months.is_empty() {
        if find_word(l, "summer").is_some() {
            months.extend([6, 7, 8]);
        } else if find_word(l, "winter").is_some() {
            months.extend([12, 1, 2]);
        }
    }
    if !months.is_empty() {
        months.sort_unstable();
        months.dedup();
        return Some(HourCap {
            hours,
            each,
            scope: CapScope::Months { months },
        });
    }
    // A kind of week: `weeks with an on-site sprint`, `on-site weeks`.
    let label = if let Some(p) = find_word(l, "weeks with").or_else(|| find_word(l, "week with")) {
        let rest = &l[p..];
        let rest = rest.split_once("with").map(|x| x.1).unwrap_or("");
        kind_phrase(rest)
    } else if let Some(p) = find_word(l, "weeks when") {
        kind_phrase(&l[p + "weeks when".len()..])
    } else {
        let p = words.iter().position(|w| *w == "weeks" || *w == "week")?;
        let before: Vec<&str> = words[..p]
            .iter()
            .rev()
            .take_while(|w| {
                !matches!(**w, "in" | "during" | "for" | "on" | "the" | "a" | "an")
                    && w.parse::<f64>().is_err()
            })
            .copied()
            .collect();
        let mut b = before;
        b.reverse();
        b.join(" ")
    };
    // `one week in three is an on-site sprint`: the kind is named by its keyword.
    let label = if label.is_empty()
        || label
            .split_whitespace()
            .all(|w| matches!(w, "about" | "around" | "those" | "these" | "such" | "some"))
    {
        // In order of how surely the word names a kind of week.
        let kinds = [
            "on-site",
            "onsite",
            "sprint",
            "travel",
            "launch",
            "conference",
            "training",
            "course",
            "workshop",
            "install",
            "shoot",
            "school",
            "busy",
            "peak",
            "delivery",
        ];
        let p = kinds
            .iter()
            .find_map(|k| words.iter().position(|w| w == k))?;
        let mut l = words[p].to_string();
        if let Some(n) = words.get(p + 1).filter(|n| {
            kinds.contains(n)
                || matches!(
                    **n,
                    "sprint"
                        | "sprints"
                        | "holidays"
                        | "season"
                        | "work"
                        | "days"
                        | "trip"
                        | "trips"
                )
        }) {
            l = format!("{l} {n}");
        }
        l
    } else {
        label
    };
    let every = if any(
        l,
        &["every other week", "every second week", "alternate weeks"],
    ) {
        Some(2)
    } else if any(
        l,
        &[
            "a week a month",
            "one week a month",
            "1 week a month",
            "1 week per month",
            "one week per month",
            "1 week each month",
            "one week each month",
        ],
    ) {
        Some(4)
    } else {
        nums.windows(2).find_map(|w| {
            let between = l[w[0].end..w[1].start].trim();
            (matches!(between, "week in" | "week out of" | "in")
                && w[0].value == 1.0
                && w[1].value >= 2.0)
                .then_some(w[1].value as u32)
        })
    };
    Some(HourCap {
        hours,
        each,
        scope: CapScope::Kind { label, every },
    })
}

fn kind_phrase(s: &str) -> String {
    let words: Vec<&str> = s
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .skip_while(|w| matches!(*w, "a" | "an" | "the" | "our" | "my"))
        .take_while(|w| {
            !matches!(
                *w,
                "i" | "we"
                    | "no"
                    | "only"
                    | "max"
                    | "at"
                    | "there"
                    | "can"
                    | "is"
                    | "are"
                    | "selling"
                    | "sales"
            )
        })
        .take(4)
        .collect();
    words.join(" ")
}

/// Labels that introduce a list of things not to do: `Not doing: ...`, `no_go: [...]`.
const EXCLUDE_LABELS: &[&str] = &[
    "not doing",
    "won't do",
    "will not do",
    "we won't do",
    "i won't do",
    "no go",
    "no-go",
    "excluded",
    "exclusions",
    "exclude",
    "avoid",
    "never",
    "off limits",
    "off-limits",
    "don't do",
    "do not do",
    "not for us",
    "out of bounds",
    "no thanks",
    "do not",
    "dont",
    "don't",
    "we don't",
    "never do",
    "no way",
    "hard no",
];

fn exclusions(l: &str) -> Vec<String> {
    let mut out = Vec::new();
    // A labelled list names its items outright, known activities or not.
    if let Some((label, items)) = l.split_once(':') {
        let label = label.trim().trim_start_matches("- ").replace('_', " ");
        if EXCLUDE_LABELS.contains(&label.as_str())
            || label.split_whitespace().count() <= 4 && super::vocab::negated(&label)
        {
            for item in items.split([',', ';']).flat_map(|p| p.split(" and ")) {
                let item = item
                    .split('(')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_end_matches('.');
                // A thing, not a remark: `the SRA wouldn't love it` names nothing to leave out.
                let remark = item.split_whitespace().any(|w| {
                    matches!(
                        w,
                        "i" | "we"
                            | "it"
                            | "they"
                            | "you"
                            | "he"
                            | "she"
                            | "would"
                            | "wouldn't"
                            | "will"
                            | "can"
                            | "is"
                            | "are"
                            | "was"
                            | "neither"
                            | "that"
                    )
                });
                let figure =
                    item.contains(['$', '€', '£']) || item.chars().any(|c| c.is_ascii_digit());
                if item.is_empty() || item.split_whitespace().count() > 6 || remark || figure {
                    continue;
                }
                let a = activity_of(item)
                    .map(str::to_string)
                    .unwrap_or_else(|| item.to_string());
                if !out.contains(&a) {
                    out.push(a);
                }
            }
            return out;
        }
    }
    for marker in [
        "no ",
        "not ",
        "never ",
        "avoid ",
        "don't ",
        "do not ",
        "won't ",
        "will not ",
        "without ",
        "refuse to ",
        "not interested in ",
        "stay away from ",
        "nor ",
    ] {
        let mut from = 0;
        while let Some(p) = l[from..].find(marker) {
            let at = from + p;
            from = at + marker.len();
            if at > 0 && l[..at].ends_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            let rest = &l[from..];
            let phrase: String = rest
                .split(['.', ';', '(', '!', '?'])
                .next()
                .unwrap_or("")
                .trim_start_matches("doing")
                .trim_start_matches("do")
                .trim_start_matches([':', ' '])
                .to_string();
            // `no more than 6 hours`, `not before March`: limits and dates are not activities.
            let p = phrase.trim_start();
            // `never discount more than 20%`, `no outbound to companies under 50`: a limit.
            let limit = [
                "more than",
                "less than",
                "below",
                "above",
                "under ",
                "over ",
                "beyond",
                "minimum",
                "maximum",
            ]
            .iter()
            .any(|w| p.contains(w))
                && p.chars().any(|c| c.is_ascii_digit() || "$€£".contains(c));
            if limit {
                continue;
            }
            if p.starts_with("more than")
                || p.starts_with("less than")
                || p.starts_with("fewer than")
                || p.starts_with("later")
                || phrase.trim_start().starts_with("later")
                || phrase.trim_start().starts_with("earlier")
            {
                continue;
            }
            for part in phrase
                .split([',', '/'])
                .flat_map(|p| p.split(" or "))
                .flat_map(|p| p.split(" and "))
            {
                let part = part
                    .trim()
                    .trim_start_matches("no ")
                    .trim_start_matches("do ")
                    .trim_start_matches("use ")
                    .trim_start_matches("any ")
                    .trim_start_matches("doing ")
                    .trim_start_matches("using ");
                if let Some(a) = activity_of(part)
                    && !out.iter().any(|x| x == a)
                {
                    out.push(a.to_string());
                }
            }
        }
    }
    out
}

const CHANNELS: &[&str] = &[
    "linkedin",
    "referrals",
    "referral",
    "word of mouth",
    "website",
    "seo",
    "instagram",
    "facebook",
    "events",
    "partners",
    "partnerships",
    "newsletter",
    "email",
    "google",
    "networking",
    "trade shows",
    "webinars",
    "podcast",
    "youtube",
    "tiktok",
    "upwork",
    "directories",
    "outbound",
    "inbound",
    "content",
    "past clients",
    "repeat clients",
    "introductions",
];

/// `l` without its parenthetical remarks: `alumni (ex-candidates) should bring` → `alumni
/// should bring`.
fn without_parens(l: &str) -> String {
    let mut out = String::with_capacity(l.len());
    let mut depth = 0;
    for c in l.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn channel_goal(sentence: &str, l: &str) -> Option<(String, f64)> {
    // `30% of new ARR sourced by state ed-tech co-ops`: a share of new business and its source.
    for via in [
        " sourced by ",
        " sourced from ",
        " coming from ",
        " from ",
        " through ",
        " via ",
    ] {
        if let Some(p) = l.find(via)
            && l[..p].contains(" of new ")
            && let Some(share) = values::percent(&l[..p]).filter(|s| *s > 0.0 && *s <= 1.0)
            && (l[..p].contains('%') || values::ratio(&l[..p]).is_some())
        {
            let ch: Vec<&str> = l[p + via.len()..]
                .split([',', '.', ';', '('])
                .next()
                .unwrap_or("")
                .split_whitespace()
                .filter(|w| !matches!(*w, "the" | "our" | "my"))
                .take(4)
                .collect();
            if !ch.is_empty() {
                let phrase = ch.join(" ");
                let lower = sentence.to_lowercase();
                let orig = lower
                    .find(&phrase)
                    .filter(|q| {
                        sentence.is_char_boundary(*q) && sentence.is_char_boundary(q + phrase.len())
                    })
                    .map(|q| sentence[q..q + phrase.len()].to_string())
                    .unwrap_or(phrase);
                return Some((orig, share));
            }
        }
    }
    // `Podcast guesting → 30% of new clients`: a channel and its share, written as a target.
    for sep in ["→", "->", ": "] {
        if let Some((a, b)) = l.split_once(sep) {
            let a = a
                .trim()
                .trim_start_matches("[ ]")
                .trim_start_matches("[x]")
                .trim();
            let b = b.trim();
            let share = if b.contains('%') {
                values::percent(b)
            } else {
                values::ratio(b)
            };
            if let Some(share) = share
                && b.contains(" of new ")
                && (1..=4).contains(&a.split_whitespace().count())
                && !any(
                    a,
                    &[
                        "goal",
                        "goals",
                        "target",
                        "targets",
                        "channel",
                        "aim",
                        "objective",
                    ],
                )
                && !a.chars().any(|c| c.is_ascii_digit())
                && share > 0.0
                && share <= 1.0
            {
                let lower = sentence.to_lowercase();
                let orig = lower
                    .find(a)
                    .filter(|p| {
                        sentence.is_char_boundary(*p) && sentence.is_char_boundary(p + a.len())
                    })
                    .map(|p| sentence[p..p + a.len()].to_string())
                    .unwrap_or_else(|| a.to_string());
                return Some((orig, share));
            }
        }
    }
    let stripped = without_parens(l);
    // A remark in parentheses can carry the goal itself: `25% (integrators should source a
    // quarter of new logos)`.
    let l = if any(
        &stripped,
        &[
            "should", "want", "aim", "goal", "target", "will", "rather", "like",
        ],
    ) {
        stripped.as_str()
    } else {
        l
    };
    if !any(
        l,
        &[
            "should", "want", "aim", "goal", "target", "expect", "will", "needs to", "must",
            "plan for", "rather", "like", "to bring", "hope",
        ],
    ) {
        return None;
    }
    let nouns = [
        "clients",
        "customers",
        "deals",
        "leads",
        "business",
        "work",
        "projects",
        "sales",
        "revenue",
        "enquiries",
        "inquiries",
        "bookings",
        "fleets",
        "accounts",
        "logos",
        "placements",
        "orders",
        "members",
        "students",
        "contracts",
        "commissions",
        "weddings",
    ];
    if !any(l, &nouns) {
        return None;
    }
    let share = if l.contains('%') {
        values::percent(&l[l.find(|c: char| c.is_ascii_digit())?..])
    } else {
        values::ratio(l)
    }?;
    if share <= 0.0 || share > 1.0 {
        return None;
    }
    let original = |phrase: &str| -> String {
        let lower = sentence.to_lowercase();
        match lower.find(phrase) {
            Some(p)
                if sentence.is_char_boundary(p) && sentence.is_char_boundary(p + phrase.len()) =>
            {
                sentence[p..p + phrase.len()].to_string()
            }
            _ => phrase.to_string(),
        }
    };
    // `<channel> should bring a third of new clients`.
    let verbs = [
        "should bring",
        "will bring",
        "to bring",
        "brought in",
        "brings in",
        "bring in",
        "brought",
        "should deliver",
        "to deliver",
        "should produce",
        "should generate",
        "to generate",
        "should account for",
        "to account for",
        "should make up",
        "should provide",
        "should source",
        "should give",
        "should send",
        "to send",
        "should source",
        "to source",
        "brings",
        "bring",
        "to be",
        "should be",
        "to make up",
    ];
    if let Some((_, at)) = verbs
        .iter()
        .filter_map(|v| find_word(l, v).map(|p| (*v, p)))
        .min_by_key(|(_, p)| *p)
    {
        let before = l[..at].trim_end();
        // Without a label prefix or a parenthesis: the words just before the verb.
        let before = before.rsplit([':', ';', ')']).next().unwrap_or(before);
        let before = before.split('(').next().unwrap_or(before);
        // The clause the verb belongs to: `a mix where linkedin brings` → `linkedin`.
        let before = before.rsplit(',').next().unwrap_or(before);
        let before = [
            " where ", " that ", " which ", " so ", " and ", " when ", " if ", " but ", " for ",
            " is ",
        ]
        .iter()
        .filter_map(|w| before.rfind(w).map(|p| p + w.len()))
        .max()
        .map(|p| &before[p..])
        .unwrap_or(before);
        let words: Vec<&str> = before
            .split_whitespace()
            .filter(|w| {
                !matches!(
                    *w,
                    "i" | "we"
                        | "i'd"
                        | "we'd"
                        | "rather"
                        | "want"
                        | "would"
                        | "like"
                        | "the"
                        | "our"
                        | "my"
                        | "that"
                        | "to"
                )
            })
            .collect();
        let take: Vec<&str> = words.iter().rev().take(3).rev().copied().collect();
        let phrase = take.join(" ");
        if !phrase.is_empty() && !phrase.chars().any(|c| c.is_ascii_digit()) {
            let start = l[..at].rfind(take[0]).unwrap_or(0);
            let exact = &l[start..at].trim();
            return Some((original(exact), share));
        }
        // `wms integrator referrals: 25% should source ...`: the label names the channel.
        if let Some((label, _)) = l[..at].split_once(':') {
            let label = label.trim();
            if !label.is_empty()
                && label.split_whitespace().count() <= 4
                && !any(label, &["goal", "target", "channel goal"])
            {
                return Some((original(label), share));
            }
        }
    }
    // `40% of new clients should come from alumni`, `... come through our dev-shop partners`.
    if let Some((w, p)) = ["from", "through", "via"]
        .iter()
        .filter_map(|w| find_word(l, w).map(|p| (*w, p)))
        .min_by_key(|(_, p)| *p)
    {
        let rest = &l[p + w.len() + 1..];
        let phrase: Vec<&str> = rest
            .split([',', '.', ';', '(', ')'])
            .next()
            .unwrap_or("")
            .split_whitespace()
            .filter(|w| !matches!(*w, "the" | "our" | "my") && w.parse::<f64>().is_err())
            .take(3)
            .collect();
        if !phrase.is_empty() {
            return Some((original(&phrase.join(" ")), share));
        }
    }
    let (ch, _) = CHANNELS
        .iter()
        .filter_map(|c| find_word(l, c).map(|p| (*c, p)))
        .min_by_key(|(_, p)| *p)?;
    Some((original(ch), share))
}

const ACTIONS: &[&str] = &[
    "publish",
    "launch",
    "hire",
    "build",
    "release",
    "start",
    "introduce",
    "open",
    "run",
    "create",
    "attend",
    "write",
    "record",
    "redesign",
    "rebuild",
    "roll out",
    "add",
    "speak",
    "host",
    "expand",
    "raise",
    "test",
    "pilot",
    "set up",
    "begin",
    "finish",
    "complete",
    "produce",
    "offer",
    "sponsor",
    "exhibit",
    "send",
    "relaunch",
    "update",
    "refresh",
    "get",
    "earn",
    "secure",
    "move",
    "sign up",
    "certify",
    "join",
    "ship",
    "deliver",
    "finish",
];

fn roadmap(sentence: &str, l: &str) -> Option<RoadmapItem> {
    if any(
        l,
        &[
            "last year",
            "launched",
            "published",
            "hired",
            "we did",
            "was ",
            "were ",
            "ago",
        ],
    ) {
        return None;
    }
    let words: Vec<&str> = l
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // `Start date: March 2027` is a fact, not a plan to start something.
    if let Some((label, _)) = l.split_once(':')
        && super::vocab::exact(label).is_some()
    {
        return None;
    }
    // A target, a meeting's record or a figure is not a roadmap item.
    if any(
        l,
        &[
            "agreed",
            "meeting",
            "numbers",
            "target",
            "goal",
            "north star",
            "budget",
        ],
    ) && !any(l, &["launch", "publish", "hire", "open", "release"])
    {
        return None;
    }
    // Under a `roadmap:` key, a dated item needs no action word.
    let listed = ["roadmap", "milestone", "milestones", "timeline", "plans"]
        .iter()
        .any(|w| l.starts_with(w));
    let found = ACTIONS
        .iter()
        .flat_map(|a| [a.to_string(), format!("{a}s"), format!("{a}es")])
        .filter_map(|a| find_word(l, &a).map(|p| (a, p)))
        .min_by_key(|(_, p)| *p);
    let (action, at) = match found {
        Some(f) => f,
        None if listed => {
            let p = l.rfind(':')? + 1;
            let p = p + (l[p..].len() - l[p..].trim_start().len());
            (l[p..].split_whitespace().next()?.to_string(), p)
        }
        None => return None,
    };
    // `our financial year runs from July`: a period, not a plan to run something.
    if l[at + action.len()..].trim_start().starts_with("from") {
        return None;
    }
    // The same word in the writer's text (number words there are still words).
    let at_orig =
        find_word(&sentence.to_lowercase(), &action).filter(|p| sentence.is_char_boundary(*p));
    let quarter = words.iter().find_map(|w| {
        (w.len() == 2 && w.starts_with('q'))
            .then(|| w[1..].parse::<u8>().ok())
            .flatten()
            .filter(|q| (1..=4).contains(q))
    });
    // `2028-02`, `2027-11-15`: a numeric month.
    let numeric = (0..l.len().saturating_sub(6)).find_map(|i| {
        let t = l.get(i..i + 7)?;
        let b = t.as_bytes();
        (b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[5..].iter().all(u8::is_ascii_digit)
            && (i == 0 || !l.as_bytes()[i - 1].is_ascii_digit()))
        .then(|| (t[..4].parse::<i16>().ok(), t[5..7].parse::<u8>().ok()))
    });
    // Months named win over a quarter (`Q1 FY28 (Jul-Sep 2027)` is July).
    let month = match (values::months_in(&words).first(), quarter, numeric) {
        (Some(m), _, _) => *m as u8 + 1,
        (None, Some(q), _) => (q - 1) * 3 + 1,
        (None, None, Some((_, Some(m)))) if (1..=12).contains(&m) => m,
        _ => return None,
    };
    let year = words
        .iter()
        .find_map(|w| {
            let w = w.strip_prefix("fy").unwrap_or(w);
            (w.len() == 4)
                .then(|| w.parse::<i16>().ok())
                .flatten()
                .filter(|y| (2000..=2100).contains(y))
        })
        .or_else(|| numeric.and_then(|n| n.0));
    // What: from the action word, in the writer's spelling, without the trailing date.
    let what = match at_orig {
        Some(p) => &sentence[p..],
        None => &l[at..],
    };
    // One item: the next dated item of the sentence is read on its own.
    let what = [", and by ", ", and in ", " and by ", "; "]
        .iter()
        .filter_map(|sep| what.to_lowercase().find(sep))
        .min()
        .filter(|p| what.is_char_boundary(*p))
        .map(|p| &what[..p])
        .unwrap_or(what);
    let mut what = strip_date_tail(what);
    // `Invisalign launch November 2027`: the thing comes before the action.
    if what.split_whitespace().count() < 2 {
        let clause = sentence.rsplit(':').next().unwrap_or(sentence);
        let clause = clause.split(['.', ';']).next().unwrap_or(clause);
        what = strip_date_tail(clause.trim());
    }
    (what.split_whitespace().count() >= 2).then_some(RoadmapItem { year, month, what })
}

fn strip_date_tail(s: &str) -> String {
    let mut words: Vec<&str> = s.split_whitespace().collect();
    while let Some(w) = words.last() {
        let clean = w
            .trim_matches(|c: char| !c.is_ascii_alphanumeric())
            .to_ascii_lowercase();
        let is_date = values::month_of(&clean).is_some()
            || clean.parse::<u32>().is_ok()
            || (clean.len() == 2 && clean.starts_with('q'))
            || matches!(
                clean.as_str(),
                "in" | "by"
                    | "during"
                    | "before"
                    | "from"
                    | "of"
                    | "the"
                    | "end"
                    | "early"
                    | "late"
                    | "mid"
            )
            || clean.is_empty();
        if is_date {
            words.pop();
        } else {
            break;
        }
    }
    words
        .join(" ")
        .trim_end_matches([',', '.', ';', ':'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps() {
        let c = read_sentence("In July and August I can only give sales 4 hours a week");
        assert_eq!(
            c,
            [Constraint::Cap(HourCap {
                hours: 4.0,
                each: false,
                scope: CapScope::Months { months: vec![7, 8] }
            })]
        );
        let c = read_sentence("1–21 December: no selling at all");
        assert_eq!(
            c,
            [Constraint::Cap(HourCap {
                hours: 0.0,
                each: false,
                scope: CapScope::Dates {
                    from: (12, 1),
                    to: (12, 21)
                }
            })]
        );
        let c = read_sentence("Weeks with an on-site sprint: no more than 6 hours of selling");
        assert_eq!(
            c,
            [Constraint::Cap(HourCap {
                hours: 6.0,
                each: false,
                scope: CapScope::Kind {
                    label: "on-site sprint".into(),
                    every: None
                }
            })]
        );
        let c = read_sentence("From June to August, selling drops to 3 hours a week.");
        assert!(
            matches!(&c[0], Constraint::Cap(HourCap { hours, scope: CapScope::Months { months }, .. }) if *hours == 3.0 && months == &vec![6, 7, 8]),
            "{c:?}"
        );
        assert!(read_sentence("I can give sales 8 hours a week.").is_empty());
        let c = read_sentence(
            "About one week in three is an on-site sprint, and in those weeks I cannot do more than 6 hours of selling",
        );
        assert_eq!(
            c,
            [Constraint::Cap(HourCap {
                hours: 6.0,
                each: false,
                scope: CapScope::Kind {
                    label: "on-site sprint".into(),
                    every: Some(3)
                }
            })]
        );
    }

    #[test]
    fn exclusions_goals_roadmap() {
        let c = read_sentence("No cold calling, no paid ads.");
        assert_eq!(
            c,
            [
                Constraint::Exclude("cold calling".into()),
                Constraint::Exclude("paid ads".into())
            ]
        );
        assert!(read_sentence("No more than 6 hours.").is_empty());
        let c = read_sentence("LinkedIn should bring a third of new clients");
        assert!(
            matches!(&c[..], [Constraint::ChannelGoal(ch, s)] if ch == "LinkedIn" && (*s - 1.0 / 3.0).abs() < 1e-9),
            "{c:?}"
        );
        let c = read_sentence("Q2: publish two case studies");
        assert_eq!(
            c,
            [Constraint::Roadmap(RoadmapItem {
                year: None,
                month: 4,
                what: "publish two case studies".into()
            })]
        );
        let c = read_sentence("Launch the maintenance package in September 2027");
        assert_eq!(
            c,
            [Constraint::Roadmap(RoadmapItem {
                year: Some(2027),
                month: 9,
                what: "Launch the maintenance package".into()
            })]
        );
    }
}
