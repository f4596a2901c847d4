//! Filing what was found: how strongly each reading ranks, which value of a fact wins, what is
//! kept as a conflict, and which values are impossible (errors naming the file and line).

use super::extract::StageBlock;
use super::prose::{self, Statement};
use super::vocab::{self, Fact, Kind};
use super::{Facts, Found, Origin, RateFact, Value, describe, show, values};
use coord_core::inputs::ContextFile;
use coord_mission::Diagnostic;

/// How strongly a value was matched.
pub(super) const EXACT: u8 = 3;
pub(super) const CONTAINED: u8 = 2;
pub(super) const PROSE: u8 = 1;
/// A heading states a fact less surely than the sentences under it.
pub(super) const TITLE: u8 = 0;
/// A sentence that corrects an earlier value (`scratch that: the target is £300,000, not £260k`)
/// outranks everything else written for the fact.
pub(super) const CORRECTION: u8 = 4;

/// True when a sentence corrects a value written elsewhere.
pub(super) fn corrects(sentence: &str) -> bool {
    let l = sentence.to_lowercase();
    prose::any(
        &l,
        &[
            "scratch that",
            "correction",
            "corrected",
            "actually",
            "revised",
            "update:",
            "updated",
            "the real",
            "decided",
            "final answer",
            "we agreed",
            "final number",
            "so call it",
            "call it",
            "so that's",
            "lower the",
            "raise the",
            "lowered",
            "raised",
            "cut the",
            "new target",
            "agreed to",
            "changed to",
            "instead of",
            "rather than",
            "realistically",
            "on second thought",
            "to be precise",
            "i meant",
        ],
    ) || {
        // `…is £300,000, not £260k`, `…9 hours a week, not 10`.
        let t = l.trim_end_matches(['.', '!', ' ']);
        t.rsplit_once(", not ")
            .is_some_and(|(_, tail)| tail.chars().any(|c| c.is_ascii_digit()))
            || t.contains(", not ")
                && t.split(", not ").nth(1).is_some_and(|x| {
                    x.trim_start()
                        .starts_with(|c: char| c.is_ascii_digit() || "$€£".contains(c))
                })
    }
}

pub(super) fn error_at(
    file: &ContextFile,
    line: usize,
    message: String,
    help: String,
) -> Diagnostic {
    Diagnostic::error(&file.path, message)
        .at(
            line,
            0,
            0,
            file.text.lines().nth(line.saturating_sub(1)).unwrap_or(""),
        )
        .help(help)
}

/// An impossible value for a fact: negative money, a zero deal size or target, a rate above
/// 100 %, zero hours or people.
pub(super) fn impossible(fact: Fact, value: &Value) -> Option<String> {
    match value {
        Value::Money(m) if m.amount < 0.0 => Some(format!("{} cannot be negative", describe(fact))),
        Value::Money(m)
            if m.amount == 0.0 && matches!(fact, Fact::RevenueTarget | Fact::AvgDealSize) =>
        {
            Some(format!("{} must be more than zero", describe(fact)))
        }
        Value::Percent(r) if *r > 1.0 => Some(format!(
            "{} cannot be above 100% (read {:.0}%)",
            describe(fact),
            r * 100.0
        )),
        Value::Number(n) if *n <= 0.0 && matches!(fact, Fact::TeamSize | Fact::HoursPerWeek) => {
            Some(format!("{} must be more than zero", describe(fact)))
        }
        _ => None,
    }
}

/// What a range or a period written with a value means for the plan.
pub(super) fn range_note(kind: Kind, raw: &str, value: &Value) -> Option<String> {
    let (lo, hi) = values::range(raw)?;
    if (hi - lo).abs() < 1e-9 {
        return None;
    }
    let which = match (kind, value) {
        (Kind::Days, _) => "the high end (plan on the longer cycle)",
        (Kind::Money, Value::Money(_)) => "the low end (the conservative figure)",
        (Kind::Percent, _) => "the low end (the conservative rate)",
        _ => "the low end (plan on what is sure)",
    };
    Some(format!("`{}` is a range: planned on {which}", raw.trim()))
}

/// Files a prose statement.
/// Where a sentence was said: its file and line, the inputs the file is bound to, and whether
/// the line is a heading.
pub(super) struct Said<'a> {
    pub(super) file: &'a ContextFile,
    pub(super) line: usize,
    pub(super) sentence: &'a str,
    pub(super) ins: &'a [&'a str],
    pub(super) heading: bool,
}

pub(super) fn statement(
    facts: &mut Facts,
    diags: &mut Vec<Diagnostic>,
    at: &Said<'_>,
    f: prose::Found,
) {
    let Said {
        file,
        line,
        sentence,
        ins,
        heading,
    } = *at;
    let o = Origin {
        file: file.path.clone(),
        line,
        label: format!("\"{}\"", f.cue),
    };
    let home = |fact: Fact| ins.iter().any(|i| vocab::entry(fact).home.contains(i));
    // `Today we look after 22 clients paying on average $3,200 a month`: what today's clients pay
    // yields to what a *new* client is worth (`A typical new client … $45,000 a year`).
    let todays_base = matches!(f.statement, Statement::Money(Fact::AvgDealSize, _)) && {
        let l = sentence.to_lowercase();
        prose::any(
            &l,
            &[
                "today",
                "currently",
                "at the moment",
                "right now",
                "existing",
                "current client",
            ],
        ) && !prose::any(&l, &["new client", "new customer", "typical new"])
    };
    let strength = if corrects(sentence) {
        CORRECTION
    } else if heading || todays_base {
        TITLE
    } else {
        PROSE
    };
    let (fact, value) = match f.statement {
        Statement::Money(fact, m) => (fact, Value::Money(m)),
        Statement::Number(fact, n) => (
            fact,
            match vocab::entry(fact).kind {
                Kind::Days => Value::Days(n),
                Kind::Months => Value::Months(n),
                Kind::Percent => Value::Percent(n),
                _ => Value::Number(n),
            },
        ),
        Statement::Date(fact, d) => (fact, Value::Date(d)),
        Statement::Text(fact, t) => (fact, Value::Text(t)),
        Statement::List(fact, l) => (
            fact,
            Value::List(l.iter().map(|x| prose::restore_case(sentence, x)).collect()),
        ),
        Statement::Hours(lo, hi, scope) => {
            let note = ((hi - lo).abs() > 1e-9).then(|| {
                format!(
                    "`{lo}–{hi} hours` is a range: planned on the low end (plan on what is sure)"
                )
            });
            let rank = (home(Fact::HoursPerWeek), strength);
            if facts
                .values
                .get(&Fact::HoursPerWeek)
                .is_none_or(|x| rank > x.rank)
            {
                facts.hours_scope = Some(scope);
            }
            offer(facts, Fact::HoursPerWeek, Value::Number(lo), o, rank, note);
            return;
        }
        Statement::Stages(names) => {
            if facts.prose_stages.is_empty() {
                for n in names {
                    facts.prose_stages.push((
                        StageBlock {
                            name: n,
                            section: "Sales Pipeline".into(),
                            line,
                            ..StageBlock::default()
                        },
                        file.path.clone(),
                    ));
                }
            }
            return;
        }
        Statement::Rate(from, to, rate) => {
            if rate > 1.0 {
                diags.push(error_at(
                    file,
                    line,
                    format!("the conversion rate from {from} to {to} is above 100%"),
                    "a rate is a share of the deals that move on: write it like `40%` or `2 in 5`"
                        .into(),
                ));
            } else if to == "won" {
                offer(
                    facts,
                    Fact::WinRate,
                    Value::Percent(rate),
                    o.clone(),
                    (home(Fact::WinRate), PROSE),
                    None,
                );
                facts.rates.push(RateFact {
                    from,
                    to,
                    rate,
                    origin: o,
                });
            } else {
                facts.rates.push(RateFact {
                    from,
                    to,
                    rate,
                    origin: o,
                });
            }
            return;
        }
    };
    // `Q1: Jul–Sep 2027 (target: 45.000 €)`: a part of the period, not the whole target.
    if fact == Fact::RevenueTarget && period_part(sentence) {
        return;
    }
    if let Some(msg) = impossible(fact, &value) {
        diags.push(error_at(
            file,
            line,
            msg,
            format!("write it like `{}`", vocab::entry(fact).example),
        ));
        return;
    }
    offer(facts, fact, value, o, (home(fact), strength), None);
}

/// Keeps the best value for a fact: home input first, then the strength of the match, then the
/// first seen; a different value offered later is kept as a conflict. Lists accumulate.
pub(super) fn offer(
    facts: &mut Facts,
    fact: Fact,
    value: Value,
    origin: Origin,
    rank: (bool, u8),
    note: Option<String>,
) {
    match facts.values.get_mut(&fact) {
        Some(Found {
            value: Value::List(existing),
            ..
        }) => {
            if let Value::List(more) = value {
                for m in more {
                    if !existing.iter().any(|e| e.eq_ignore_ascii_case(&m)) {
                        existing.push(m);
                    }
                }
            }
        }
        Some(found) => {
            // `Planning period: Jan–Dec 2027` and `Start date: January 4, 2027` agree: a date in
            // the same month refines, it does not contradict.
            let same = found.value == value
                || matches!((&found.value, &value), (Value::Date(a), Value::Date(b))
                    if a.year() == b.year() && a.month() == b.month());
            // A conflict worth saying: the other value is labelled or in the fact's home input
            // (a passing sentence elsewhere is not a competing statement of the fact).
            let worth = |r: (bool, u8)| r.1 >= CONTAINED || r.0 && r.1 > TITLE;
            if rank > found.rank {
                let old = std::mem::replace(
                    found,
                    Found {
                        value,
                        origin,
                        note,
                        rank,
                    },
                );
                let same_line =
                    old.origin.file == found.origin.file && old.origin.line == found.origin.line;
                if !same && !same_line && worth(old.rank) {
                    facts.conflicts.push((fact, show(&old.value), old.origin));
                }
            } else if !same && found.origin.line != origin.line && worth(rank) {
                facts.conflicts.push((fact, show(&value), origin));
            }
        }
        None => {
            facts.values.insert(
                fact,
                Found {
                    value,
                    origin,
                    note,
                    rank,
                },
            );
        }
    }
}

/// True when a label or sentence starts with a part of the period (`Q1`, `H2`, `March`): its
/// amount is a share of the target, not the target.
pub(super) fn period_part(text: &str) -> bool {
    let n = vocab::normalise(text);
    let first = n.split_whitespace().next().unwrap_or("");
    first.len() == 2
        && (first.starts_with('q') || first.starts_with('h'))
        && first[1..].parse::<u8>().is_ok()
        || values::month_of(first).is_some()
}
