//! Dated roadmap items: an action with a month or quarter (`Q2: publish two case studies`).

use super::*;
use crate::facts::prose::{any, find_word};
use crate::facts::values;

pub(super) const ACTIONS: &[&str] = &[
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

pub(super) fn roadmap(sentence: &str, l: &str) -> Option<RoadmapItem> {
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
    // `I get around 10 enquiries a month …, more in January`: how things usually go, not a
    // dated plan (`from April we will post twice a week` is one).
    let habitual = any(
        l,
        &[
            "a month",
            "per month",
            "each month",
            "every month",
            "most months",
            "usually",
            "normally",
            "typically",
            "every year",
            "each year",
        ],
    );
    let future = any(
        l,
        &[
            "will ", "we'll", "i'll", "plan to", "going to", "want to", "aim to", "intend",
            "launch", "start ", "hire", "open ",
        ],
    );
    if habitual && !future {
        return None;
    }
    let words: Vec<&str> = l
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // `Start date: March 2027` is a fact, not a plan to start something.
    if let Some((label, _)) = l.split_once(':')
        && crate::facts::vocab::exact(label).is_some()
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
    let next = l[at + action.len()..].trim_start();
    let next_word = next
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    if next.starts_with("from")
        || ["run", "start", "begin"]
            .iter()
            .any(|a| action.starts_with(a))
            && (values::month_of(next_word).is_some()
                || any(
                    l,
                    &["fy", "financial year", "fiscal", "year", "plan", "period"],
                ))
    {
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

pub(super) fn strip_date_tail(s: &str) -> String {
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
