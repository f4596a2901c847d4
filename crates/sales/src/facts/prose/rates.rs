//! Stage rates in sentences (`half of enquiries book a site visit`, `we win 1 in 3 proposals`,
//! `Lead → Discovery 25%, Discovery → Demo 60%`) and stage lists (`my pipeline is four steps:
//! …`).

use super::{Statement, any, find_word};
use crate::facts::values;

pub(super) const RATE_VERBS: &[&str] = &[
    "go on to book",
    "go on to",
    "goes on to",
    "turn into",
    "turns into",
    "ask for",
    "asks for",
    "move to",
    "moves to",
    "move on to",
    "convert to",
    "convert into",
    "converts to",
    "converts into",
    "end in",
    "end with",
    "ends with",
    "result in",
    "lead to",
    "agree to",
    "agrees to",
    "progress to",
    "get to",
    "book",
    "books",
    "become",
    "becomes",
    "request",
    "requests",
    "accept",
    "accepts",
    "sign",
    "signs",
    "buy",
    "buys",
    "reach",
    "reaches",
    "get",
    "gets",
    "pass",
    "passes",
    "ask",
    "asks",
    "go ahead with",
    "sign up for",
    "pay for",
    "end up with",
];

pub(super) const WON: &[&str] = &[
    "are accepted",
    "get accepted",
    "are signed",
    "get signed",
    "are won",
    "we win",
    "close",
    "sign up",
    "say yes",
    "go ahead",
    "become clients",
    "become customers",
    "turn into clients",
    "turn into customers",
    "become paying",
    // `about 1 in 5 enquiries books me`: booking the business is the win.
    "books me",
    "book me",
    "books us",
    "book us",
    "hires me",
    "hire me",
    "hires us",
    "hire us",
];

/// Ratios as the first word group: `half`, `70%`, `1 in 3`, `two thirds` — with offsets.
pub fn ratios_at(l: &str) -> Vec<(f64, usize, usize)> {
    let mut out = Vec::new();
    // Percentages.
    for n in values::numbers(l) {
        let after = &l[n.end..];
        if after.starts_with('%') || after.trim_start().starts_with("percent") {
            let end = n.end
                + if after.starts_with('%') {
                    1
                } else {
                    after.find("percent").unwrap_or(0) + 7
                };
            out.push((n.value / 100.0, n.start, end));
        }
    }
    // `1 in 3`, `3 out of 10`.
    let nums = values::numbers(l);
    for w in nums.windows(2) {
        let between = l[w[0].end..w[1].start].trim();
        if matches!(
            between,
            "in" | "out of" | "of every" | "in every" | "times out of" | "times in"
        ) && w[1].value > 0.0
        {
            out.push((w[0].value / w[1].value, w[0].start, w[1].end));
        }
    }
    for (word, v) in [
        ("two thirds", 2.0 / 3.0),
        ("2 thirds", 2.0 / 3.0),
        ("three quarters", 0.75),
        ("3 quarters", 0.75),
        ("a third", 1.0 / 3.0),
        ("one third", 1.0 / 3.0),
        ("1 third", 1.0 / 3.0),
        ("a quarter", 0.25),
        ("1 quarter", 0.25),
        ("half", 0.5),
        ("a fifth", 0.2),
        ("a tenth", 0.1),
    ] {
        // `half of proposals`, or after a verb of winning (`of the proposals, I win about half`).
        let won_before = |p: usize| {
            let before = super::window(l, p.saturating_sub(24), p);
            ["win", "close", "sign", "convert", "land"]
                .iter()
                .any(|w| find_word(before, w).is_some())
        };
        if let Some(p) = find_word(l, word)
            && !out.iter().any(|(_, s, e)| p >= *s && p < *e)
            && (l[p + word.len()..].trim_start().starts_with("of") || won_before(p))
        {
            out.push((v, p, p + word.len()));
        }
    }
    out.sort_by_key(|x| x.1);
    out
}

pub(super) fn noun_phrase(s: &str, max: usize) -> String {
    let stop = [
        "and",
        "but",
        "then",
        "so",
        "which",
        "who",
        "that",
        "within",
        "after",
        "in",
        "on",
        "at",
        "for",
        "by",
        "from",
        "with",
        "usually",
        "typically",
        "normally",
        "actually",
        "turn",
        "end",
    ];
    let mut words = Vec::new();
    for w in s.split_whitespace() {
        if w.starts_with('(') {
            break;
        }
        let clean = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if clean.is_empty()
            || stop.contains(&clean) && !words.is_empty()
            || clean.chars().all(|c| c.is_ascii_digit())
        {
            break;
        }
        if matches!(
            clean,
            "a" | "an"
                | "the"
                | "our"
                | "my"
                | "their"
                | "all"
                | "those"
                | "these"
                | "of"
                | "to"
                | "us"
                | "me"
        ) && words.is_empty()
        {
            continue;
        }
        words.push(clean.to_string());
        if w.ends_with([',', '.', ';', ')']) || words.len() >= max {
            break;
        }
    }
    words.join(" ")
}

/// `half of enquiries book a site visit`, `70% of site visits ask for a concept`, `we win 1 in 3
/// proposals`, `about a third of proposals are accepted`.
pub(super) fn rates(l: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    // `Upgrades to CFO …: about one in three Growth clients she raises it with says yes`: a
    // rate of selling more to today's clients, not a stage of the new-business pipeline.
    if super::any(
        l,
        &[
            "upgrade",
            "upsell",
            "up-sell",
            "cross-sell",
            "moved up to",
            "move up to",
            // Churn and retention are today's customers, not the pipeline's stages either.
            "churn",
            "attrition",
            "renew",
            "renewal",
            "retention",
        ],
    ) {
        return out;
    }
    let win_cues = [
        "we win",
        "i win",
        "we close",
        "i close",
        "we sign",
        "i sign",
        "we convert",
        "i convert",
        "win rate",
        "close rate",
        "closing rate",
        "we land",
        "i land",
        "i book",
        "we book",
        "instructed",
        "we're hired",
        "we get hired",
        "appointed",
        "we're appointed",
    ];
    // `Lead → Discovery 25%, Discovery → Demo 60%`: arrow pairs with their rates, inline; with
    // `to` (`intro call to scoping 50%, scoping to proposal 60%`) when there are several.
    let to_pairs = l
        .split([',', ';'])
        .filter(|seg| {
            let seg = seg.trim();
            seg.contains(" to ")
                && (seg.ends_with('%') || seg.trim_end_matches('.').ends_with('%'))
                && seg
                    .split(" to ")
                    .next()
                    .is_some_and(|a| a.split_whitespace().count() <= 4)
        })
        .count();
    if l.contains('→') || l.contains("->") || to_pairs >= 2 {
        let body = l.split_once(": ").map(|x| x.1).unwrap_or(l);
        for seg in body.split([',', ';']) {
            let seg = seg.trim();
            let Some((a, b)) = seg
                .split_once('→')
                .or_else(|| seg.split_once("->"))
                .or_else(|| (to_pairs >= 2).then(|| seg.split_once(" to ")).flatten())
            else {
                continue;
            };
            let Some(r) = values::percent(b).filter(|r| *r > 0.0 && *r <= 1.0) else {
                continue;
            };
            if !b.contains('%') && values::ratio(b).is_none() {
                continue;
            }
            let to: String = b
                .split(|c: char| c.is_ascii_digit())
                .next()
                .unwrap_or("")
                .trim()
                .trim_end_matches([':', '=', '-'])
                .trim()
                .to_string();
            let from = a.trim().to_string();
            if !from.is_empty() && !to.is_empty() && from.split_whitespace().count() <= 4 {
                out.push(Statement::Rate(from, to, r));
            }
        }
        if !out.is_empty() {
            return out;
        }
    }
    // `A little over half of shortlists — we track it at 55% — …`: a figure written out beats
    // the words around it.
    // Only an aside after the words (`half of shortlists — we track it at 55% —`, `(55%)`), not
    // another clause's own ratio (`…, and 70% of site visits`).
    let numbers = values::numbers(l);
    for (rate, start, end) in ratios_at(l) {
        let aside = numbers.iter().find(|n| {
            n.start >= end
                && l[n.end..].trim_start().starts_with('%')
                && l[end..n.start].len() < 60
                && (l[end..n.start].contains('—') || l[end..n.start].contains('('))
        });
        let rate = match aside {
            Some(n)
                if !l[start..end].contains(|c: char| c.is_ascii_digit())
                    && n.value > 0.0
                    && n.value <= 100.0 =>
            {
                n.value / 100.0
            }
            _ => rate,
        };
        let rest = l[end..].trim_start();
        // `we lost a third of our income overnight`: a share of money or time is no stage.
        let of_what = rest.strip_prefix("of ").unwrap_or("");
        if [
            "our income",
            "my income",
            "income",
            "our revenue",
            "revenue",
            "our fees",
            "fees",
            "our turnover",
            "turnover",
            "our profit",
            "profit",
            "our time",
            "my time",
            "our week",
            "my week",
            "our budget",
            "the budget",
            "our business",
            "the business",
            "our salary",
        ]
        .iter()
        .any(|w| of_what.starts_with(w))
            // `a success fee of 18% of the first-year base salary`: a price, not a stage.
            || noun_phrase(of_what, 4)
                .split_whitespace()
                .last()
                .is_some_and(|w| {
                    matches!(
                        w,
                        "salary" | "salaries" | "fee" | "fees" | "price" | "invoice" | "value"
                            | "wage" | "wages"
                    )
                })
        {
            continue;
        }
        // `30% of new ARR sourced by co-ops` is a channel's share, not a stage's rate.
        if rest.starts_with("of new ")
            || rest.starts_with("of our new ")
            || rest.starts_with("of all new ")
        {
            continue;
        }
        // `… of <from> <verb> <to>`, or `<ratio> <from> <verb> <to>` (`1 in 3 intro coffees
        // become a diagnostic session`).
        let after_of = rest.strip_prefix("of ").unwrap_or(rest);
        // `inbound demo requests actually turn up and become …`: `requests` names the leads
        // here; the verb is the one an adverb or another verb does not follow.
        let noun_use = |v: &str, p: usize| {
            let next = after_of[p + v.len()..]
                .split_whitespace()
                .next()
                .unwrap_or("");
            matches!(
                next,
                "actually"
                    | "then"
                    | "usually"
                    | "often"
                    | "typically"
                    | "normally"
                    | "turn"
                    | "end"
                    | "go"
                    | "move"
                    | "become"
                    | "convert"
            )
        };
        let verb = RATE_VERBS
            .iter()
            .filter_map(|v| find_word(after_of, v).map(|p| (*v, p)))
            .filter(|(v, p)| !noun_use(v, *p))
            .min_by_key(|(v, p)| (*p, std::cmp::Reverse(v.len())));
        let won = WON
            .iter()
            .filter_map(|v| find_word(after_of, v).map(|p| (*v, p)))
            .min_by_key(|(_, p)| *p);
        let before = &l[..start];
        // `After a survey, nine out of ten get a design`: the stage comes before the ratio.
        let after_stage = before
            .rfind("after ")
            .map(|p| noun_phrase(&before[p + 6..], 3));
        let stated = match (verb, won) {
            (_, Some((_, wp))) if verb.is_none_or(|(_, vp)| wp <= vp) => {
                let from = noun_phrase(&after_of[..wp], 4);
                // `of qualified opportunities, around 25% close-win`: the stage is named first.
                let from = if from.is_empty() {
                    before
                        .rfind("of ")
                        .map(|p| noun_phrase(&before[p + 3..], 4))
                        .unwrap_or_default()
                } else {
                    from
                };
                (!from.is_empty()).then(|| Statement::Rate(from, "won".into(), rate))
            }
            (Some((v, 0)), _) if after_stage.as_deref().is_some_and(|s| !s.is_empty()) => {
                let to = stage_words(&clause(&after_of[v.len()..]));
                after_stage
                    .clone()
                    .filter(|_| !to.is_empty())
                    .map(|from| Statement::Rate(from, to, rate))
            }
            (Some((v, vp)), _) if vp > 0 => {
                let from = noun_phrase(&after_of[..vp], 4);
                // The rest of the clause: `pay for the concept sketch` names its stage late.
                let to = stage_words(&clause(&after_of[vp + v.len()..]));
                (!from.is_empty() && !to.is_empty()).then_some(Statement::Rate(from, to, rate))
            }
            _ => None,
        };
        match stated {
            Some(s) => out.push(s),
            // `we win/close/convert 1 in 3 proposals`, `I close about two thirds of proposals`.
            // `40 percent of leads let us come out and do a site survey`: no known verb; the
            // first words are the stage, the rest of the clause names the next one.
            None if rest.starts_with("of ") && !any(before, &win_cues) => {
                let stop = [
                    "let", "do", "go", "get", "have", "are", "is", "will", "would", "can", "come",
                    "then",
                ];
                let from: Vec<&str> = after_of
                    .split_whitespace()
                    .take_while(|w| !stop.contains(w))
                    .take(2)
                    .collect();
                let to: String = after_of
                    .split([',', '.', ';', '(', '!', '?'])
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .skip(from.len())
                    .take(8)
                    .collect::<Vec<_>>()
                    .join(" ");
                // `75% of enquiries come this way`, `half of our leads arrive through
                // partners`: a share of where leads come from, not a stage's rate.
                let source_share = to.split_whitespace().next().is_some_and(|w| {
                    matches!(
                        w,
                        "come" | "comes" | "came" | "arrive" | "arrives" | "originate" | "find"
                            | "found" | "hear" | "heard"
                            // `90% of clients renew each year`: retention, not a stage.
                            | "renew" | "renews" | "stay" | "stays" | "churn" | "leave" | "cancel"
                    )
                });
                if !from.is_empty() && !to.is_empty() && !source_share {
                    out.push(Statement::Rate(from.join(" "), to, rate));
                }
            }
            None if any(before, &win_cues) => {
                let from = noun_phrase(after_of, 3);
                let from = if from.is_empty() {
                    "proposal".to_string()
                } else {
                    from
                };
                out.push(Statement::Rate(from, "won".into(), rate));
            }
            None => {}
        }
    }
    // `one in four of those turns into a chemistry call`: `those` are the leads the sentence
    // before counted, and the stage is what they turn into, not `into a chemistry call`. (`half
    // of them` is left alone: it is often one channel's share.)
    // `I win about half of them because they already trust me`: `them` are one channel's
    // leads (the volumes reader keeps that), no stage.
    out.retain(|st| {
        !matches!(st, Statement::Rate(from, ..)
            if matches!(from.split_whitespace().next(), Some("them" | "they" | "it" | "ever")))
    });
    for st in &mut out {
        if let Statement::Rate(from, to, _) = st {
            if matches!(from.split_whitespace().next(), Some("those" | "these")) {
                *from = "enquiries".into();
            }
            if let Some(rest) = to.strip_prefix("into ") {
                *to = rest.to_string();
            }
            for article in ["a ", "an ", "the "] {
                if let Some(rest) = to.strip_prefix(article) {
                    *to = rest.to_string();
                }
            }
        }
    }
    out
}

/// `my pipeline is four steps: an intro coffee, a diagnostic session, a proposal, and the signed
/// engagement letter`; `Stages we track: Target account > Intro call > Terms signed`.
pub(super) fn stage_list(sentence: &str) -> Option<Vec<String>> {
    // `my pipeline is basically Inquiry → Discovery Call → Proposal → Booked`: no colon, but the
    // chain starts after the words that name it.
    let split = sentence.split_once(':').or_else(|| {
        let arrow = sentence.find('→').or_else(|| sentence.find("->"))?;
        let head = &sentence[..arrow];
        let cut = head.trim_end().rfind(' ')?;
        Some((&sentence[..cut], &sentence[cut + 1..]))
    });
    let (head, list) = split?;
    let h = head.to_lowercase();
    if !any(
        &h,
        &[
            "stages",
            "steps",
            "pipeline",
            "funnel",
            "sales process",
            "stage",
            "motion",
            "flow",
            "journey",
        ],
    ) {
        return None;
    }
    let list = list.trim().trim_end_matches('.');
    // `1. Phone Enquiry  2. New Patient Exam  3. Treatment Accepted`.
    let numbered: Vec<&str> = list
        .split(|c: char| c.is_ascii_digit())
        .map(|p| p.trim_start_matches(['.', ')']).trim())
        .filter(|p| !p.is_empty())
        .collect();
    let inline_numbers = list.trim_start().starts_with("1.") || list.trim_start().starts_with("1)");
    let parts: Vec<&str> = if inline_numbers && numbered.len() >= 3 {
        numbered
    } else if list.contains('>') || list.contains('→') || list.contains("->") {
        list.split(['>', '→']).flat_map(|p| p.split("->")).collect()
    } else {
        // `an enquiry, a call, a proposal and the signed contract`: the last two join with `and`.
        list.split(',')
            .flat_map(|p| p.split(" and then "))
            .flat_map(|p| p.split(" and "))
            .collect()
    };
    let skip = [
        "and", "then", "a", "an", "the", "finally", "paid", "our", "my", "first",
    ];
    let names: Vec<String> = parts
        .iter()
        .map(|p| {
            let mut w: Vec<&str> = p.split_whitespace().collect();
            while w
                .first()
                .is_some_and(|x| skip.contains(&x.to_lowercase().as_str()))
            {
                w.remove(0);
            }
            while w
                .last()
                .is_some_and(|x| matches!(x.to_lowercase().as_str(), "itself" | "stage" | "step"))
            {
                w.pop();
            }
            let s = w.join(" ");
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => s,
            }
        })
        .filter(|n| {
            !n.is_empty()
                && n.split_whitespace().count() <= 5
                && !n.chars().any(|c| c.is_ascii_digit())
        })
        .collect();
    (names.len() >= 3).then_some(names)
}

/// The stage a rate's clause names: `an assessment booked` → `assessment`, `the client asking
/// us for a proposal` → `proposal` (what is asked for), without articles or a trailing
/// `booked`/`held`/`scheduled`.
fn stage_words(clause: &str) -> String {
    let mut s = clause.trim();
    for cue in [" for a ", " for an ", " for the ", " for "] {
        if let Some(p) = s.rfind(cue)
            && (s[..p].contains("ask") || s[..p].contains("request"))
        {
            s = &s[p + cue.len()..];
            break;
        }
    }
    let mut words: Vec<&str> = s
        .split_whitespace()
        .skip_while(|w| matches!(*w, "a" | "an" | "the" | "our" | "their" | "us" | "me"))
        .collect();
    while words.len() > 1
        && matches!(
            words.last().copied(),
            Some("booked" | "held" | "scheduled" | "arranged" | "requested" | "done")
        )
    {
        words.pop();
    }
    words.join(" ")
}

/// A sentence that points back at the one before, said again in full: `After that I send a
/// short proposal to the sponsor.` + `That happens for about half of chemistry calls, because …`
/// → `about half of chemistry calls go on to proposal`. None when the sentence does not point
/// back or the one before names no action.
pub fn restate_after(previous: &str, sentence: &str) -> Option<String> {
    let l = sentence.to_lowercase().replace('’', "'");
    let rest = [
        "that happens for",
        "this happens for",
        "which happens for",
        "it happens for",
        "that happens in",
        "this happens in",
        "that's true for",
        "that is true for",
        "this is true for",
    ]
    .iter()
    .find_map(|c| l.trim_start().strip_prefix(c))?;
    let rest = rest.split([',', '(', '—']).next().unwrap_or(rest).trim();
    if !rest.contains(" of ") || ratios_at(rest).is_empty() {
        return None;
    }
    let to = done_stage(&previous.to_lowercase())?;
    Some(format!("{rest} go on to {to}"))
}

/// The stage a clause's action makes: `after that I send a short proposal to the sponsor` →
/// `proposal`, `we then book a site visit` → `site visit`. The object of the clause's last
/// action verb, without articles and the adjectives that say only how it is done.
fn done_stage(clause: &str) -> Option<String> {
    const VERBS: &[&str] = &[
        "send",
        "sends",
        "write",
        "writes",
        "do",
        "does",
        "run",
        "runs",
        "book",
        "books",
        "offer",
        "offers",
        "hold",
        "holds",
        "prepare",
        "prepares",
        "give",
        "gives",
        "present",
        "presents",
        "schedule",
        "schedules",
        "arrange",
        "arranges",
        "make",
        "makes",
        "quote",
        "quotes",
    ];
    let (vp, v) = VERBS
        .iter()
        .filter_map(|v| clause.rfind(&format!(" {v} ")).map(|p| (p, *v)))
        .max_by_key(|(p, _)| *p)?;
    let object = &clause[vp + v.len() + 2..];
    let object = object.split(" to ").next().unwrap_or(object);
    let phrase = noun_phrase(object, 4);
    let words: Vec<String> = phrase
        .split_whitespace()
        .filter(|w| {
            !matches!(
                *w,
                "short"
                    | "quick"
                    | "brief"
                    | "written"
                    | "formal"
                    | "free"
                    | "detailed"
                    | "custom"
                    | "tailored"
                    | "simple"
                    | "full"
                    | "first"
                    | "proper"
            )
        })
        .map(str::to_string)
        .collect();
    (!words.is_empty() && words.len() <= 3).then(|| words.join(" "))
}

/// The words of `s` up to the end of its clause, at most eight: what a rate leads to.
fn clause(s: &str) -> String {
    s.split([',', '.', ';', '(', '!', '?'])
        .next()
        .unwrap_or("")
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ")
}
