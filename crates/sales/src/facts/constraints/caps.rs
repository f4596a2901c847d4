//! Hour caps: which weeks a limit holds for (months, a day range, a kind of week) and how
//! many hours it allows.

use super::*;
use crate::facts::prose::{any, find_word};
use crate::facts::values;

/// `half their usual time`, `half time`: a share of the usual hours.
fn share_of_usual(l: &str) -> Option<f64> {
    [
        ("half their usual", 0.5),
        ("half our usual", 0.5),
        ("half my usual", 0.5),
        ("half the usual", 0.5),
        ("half time", 0.5),
        ("half-time", 0.5),
        ("half as much", 0.5),
        ("half the hours", 0.5),
        ("a third of their usual", 1.0 / 3.0),
        ("a quarter of their usual", 0.25),
    ]
    .iter()
    .find(|(w, _)| l.contains(w))
    .map(|(_, s)| *s)
}

pub(super) fn cap(l: &str) -> Option<HourCap> {
    let share = share_of_usual(l);
    let mut c = cap_hours(l, share.is_some())?;
    if c.hours == 0.0 {
        c.share = share;
    }
    Some(c)
}

fn cap_hours(l: &str, relative: bool) -> Option<HourCap> {
    // A share of the usual time is a limit when it names its months.
    let dated_share = relative && {
        let words: Vec<&str> = l
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        !values::months_in(&words).is_empty()
    };
    if !is_cap_sentence(l) && !dated_share {
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
                "nobody sells",
                "no one sells",
            ],
        ) || is_off(l) =>
        {
            0.0
        }
        // `half their usual time`: the share is set by the caller.
        None if relative => 0.0,
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
            share: None,
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
            share: None,
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
    // `In August I take two weeks off`: two weeks of that month, not all of it. Which two is not
    // said; the plan holds the first ones (the limit's text says so).
    if let [m] = months.as_slice()
        && hours == 0.0
    {
        let t = values::digits_for_words(l);
        let weeks = values::numbers(&t).into_iter().find(|n| {
            let after = t[n.end..].trim_start();
            (after.starts_with("weeks") || after.starts_with("week "))
                && n.value >= 1.0
                && n.value < 4.0
                && n.value.fract() == 0.0
        });
        if let Some(n) = weeks {
            let last = (n.value as u8 * 7).min(28);
            return Some(HourCap {
                share: None,
                hours,
                each,
                scope: CapScope::Dates {
                    from: (*m, 1),
                    to: (*m, last),
                },
            });
        }
    }
    if !months.is_empty() {
        months.sort_unstable();
        months.dedup();
        return Some(HourCap {
            share: None,
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
        share: None,
        hours,
        each,
        scope: CapScope::Kind {
            label: label
                .trim_start_matches("caps ")
                .trim_start_matches("cap ")
                .trim_start_matches("limits ")
                .to_string(),
            every,
        },
    })
}

pub(super) fn kind_phrase(s: &str) -> String {
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
