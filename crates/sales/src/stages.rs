//! The client's pipeline, mapped onto the mission's five stages without losing any of it.
//!
//! The client's stages come from the Sales Bible (stage blocks or a stage table), or, when it
//! lists none, from the chain of rates they wrote ("half of enquiries book a site visit, 70 % of
//! site visits ask for a concept"). Each gets the client's own rate to the next stage where one
//! is written, their win rate on the last step, and otherwise the benchmark for its kind of
//! stage (by its name, not its position).
//!
//! More than five stages are merged, adjacent pair by adjacent pair, always hiding the step the
//! client loses least at (the highest rate), so rates multiply and the end-to-end conversion is
//! exactly theirs. Fewer than five are split with the standard stage model: the missing kinds of
//! stage are inserted where they belong, and the client's rate over the gap is shared out in
//! proportion to the benchmarks (geometrically), so its product is unchanged. Every merge and
//! split is said in `notes`.

use crate::benchmarks::{self, Bench};
use crate::facts::extract::StageBlock;
use crate::facts::{Origin, RateFact, vocab};
use crate::foundation::StageSeed;
use crate::model::Variation;

/// The client's stages as they wrote them, for checking that none was lost.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ClientStage {
    /// The name as written.
    pub name: String,
    /// Their own rate to the next stage (or to won), when written.
    pub rate: Option<f64>,
}

/// The result of mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct StageMap {
    /// The five stages the plan uses.
    pub seeds: Vec<StageSeed>,
    /// True when the names come from the client.
    pub from_client: bool,
    /// What was merged or split, and how.
    pub notes: Vec<String>,
    /// The client's own stages.
    pub client: Vec<ClientStage>,
    /// Rates the client wrote that match none of their stages.
    pub unmatched: Vec<String>,
}

fn singular(w: &str) -> String {
    if let Some(s) = w.strip_suffix("ies") {
        format!("{s}y")
    } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

fn key(name: &str) -> Vec<String> {
    let words: Vec<String> = vocab::normalise(name)
        .split_whitespace()
        .map(singular)
        .collect();
    let telling: Vec<String> = words
        .iter()
        .filter(|w| {
            !matches!(
                w.as_str(),
                "a" | "an" | "the" | "stage" | "call" | "meeting" | "sent"
            )
        })
        .cloned()
        .collect();
    // `Call` alone is its own key (`calls` is that stage); `Discovery call` is `discovery`.
    if telling.is_empty() { words } else { telling }
}

/// The words of a stage name that tell it apart (`Site consultation` → `site`, `consultation`),
/// singular, four letters or more.
pub fn distinctive_words(name: &str) -> Vec<String> {
    key(name).into_iter().filter(|w| w.len() >= 4).collect()
}

/// True when two stage names mean the same stage: `site visits` / `Site visit`, `Proposal
/// sent` / `proposal`.
pub fn same_stage(a: &str, b: &str) -> bool {
    let (ka, kb) = (key(a), key(b));
    if ka.is_empty() || kb.is_empty() {
        return vocab::normalise(a) == vocab::normalise(b);
    }
    let contains = |x: &[String], y: &[String]| y.iter().all(|w| x.contains(w));
    if contains(&ka, &kb) || contains(&kb, &ka) {
        return true;
    }
    // `people I visit` / `Garden visit`, `concept clients` / `Concept sketch`: a distinctive
    // word in common.
    const GENERIC: &[&str] = &[
        "people", "client", "customer", "first", "paid", "full", "new", "who", "they", "them",
        "with", "from", "into", "that", "this", "your", "their", "couple", "lead", "deal",
    ];
    ka.iter()
        .any(|w| w.len() >= 4 && !GENERIC.contains(&w.as_str()) && kb.contains(w))
}

/// The kind of a stage by its name: 0 lead, 1 qualification/discovery, 2 meeting/solution,
/// 3 proposal, 4 commitment; `true` when the stage is the signature itself.
pub fn kind_of(name: &str) -> (usize, bool) {
    let l = name.to_lowercase();
    let has = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
    if has(&[
        "signed",
        "won",
        "closed",
        "contract signed",
        "engagement letter",
        "letter of engagement",
        "order form",
        "purchase order",
        "signature",
        "paid",
        "booked job",
        "deposit",
        "booked",
        "placement",
        "placed",
        "onboarded",
        "hired",
        "sold",
        "commission",
    ]) {
        (4, true)
    } else if has(&[
        "negotiat",
        "commit",
        "contract",
        "agreement",
        "verbal",
        "decision",
        "legal",
        "procurement",
    ]) {
        (4, false)
    } else if has(&[
        "proposal", "quote", "estimate", "bid", "pricing", "offer", "tender", "scope",
    ]) {
        (3, false)
    } else if has(&["request", "enquir", "inquir", "new lead", "inbound lead"])
        && !has(&["booked", "held", "attended", "done"])
    {
        // `Inbound demo request`, `Enquiry`: someone asks; the lead itself.
        (0, false)
    } else if has(&[
        "demo",
        "visit",
        "meeting",
        "assessment",
        "workshop",
        "solution",
        "concept",
        "audit",
        "walk",
        "presentation",
        "design",
        "trial",
        "pilot",
        "evaluation",
        "review",
        "tasting",
        "sales qualified",
        "sql",
        "opportunit",
    ]) {
        (2, false)
    } else if has(&[
        "discovery",
        "qualif",
        "consult",
        "call",
        "sql",
        "mql",
        "brief",
        "needs",
        "intro",
        "fit",
    ]) {
        (1, false)
    } else {
        (0, false)
    }
}

struct Work {
    name: String,
    entry: Option<String>,
    exit: Option<String>,
    objective: Option<String>,
    rate: f64,
    own: bool,
    source: String,
    bench: f64,
    /// A state recorded in the CRM, not a meeting: no time, no loss.
    milestone: bool,
}

impl Work {
    /// A stage appended after the client's own that loses nothing (100% into the next), so
    /// every rate they wrote stays as written.
    fn lossless(name: &str, source: String, milestone: bool) -> Work {
        Work {
            name: name.into(),
            entry: None,
            exit: None,
            objective: None,
            rate: 1.0,
            own: true,
            source,
            bench: 1.0,
            milestone,
        }
    }
}

/// Maps the client's stages and rates onto five.
pub fn map(
    variation: Variation,
    bible: &[&StageBlock],
    rates: &[RateFact],
    win_rate: Option<(f64, &Origin)>,
) -> StageMap {
    let defaults = benchmarks::default_stages(variation);
    let bench_for = |name: &str| -> Bench { defaults[kind_of(name).0].1 };
    let mut notes = Vec::new();
    // The client's stage names: the Sales Bible's, else the chain their rates describe.
    let mut names: Vec<(String, Option<&StageBlock>)> =
        bible.iter().map(|b| (b.name.clone(), Some(*b))).collect();
    if names.len() < 2 {
        let chain = chain(rates);
        if chain.len() >= 2 {
            notes.push(format!(
                "Your stages are taken from the rates you wrote: {}.",
                chain.join(" → ")
            ));
            names = chain.into_iter().map(|n| (n, None)).collect();
        }
    }
    let from_client = names.len() >= 2;
    if !from_client {
        names = defaults
            .iter()
            .map(|(n, _)| (n.to_string(), None))
            .collect();
    }
    let mut work: Vec<Work> = names
        .iter()
        .map(|(n, b)| {
            let bench = bench_for(n);
            Work {
                name: n.clone(),
                entry: b.and_then(|b| b.entry.clone()),
                exit: b.and_then(|b| b.exit.clone().or_else(|| b.objective.clone())),
                // A stage table's `What happens` when nothing else says what the stage is for
                // (`half a day with Sam and Rita`: its time, too).
                objective: b.and_then(|b| b.objective.clone().or_else(|| b.activities.clone())),
                rate: bench.value,
                own: false,
                source: bench.source.to_string(),
                bench: bench.value,
                milestone: false,
            }
        })
        .collect();
    if !from_client {
        for (w, (_, b)) in work.iter_mut().zip(defaults.iter()) {
            w.rate = b.value;
            w.bench = b.value;
            w.source = b.source.to_string();
        }
    }
    // The client's rates, by stage name (or `Stage 2 to 3`).
    let mut unmatched = Vec::new();
    let position = |n: &str, work: &[Work]| -> Option<usize> {
        work.iter()
            .position(|w| same_stage(&w.name, n))
            .or_else(|| {
                vocab::normalise(n)
                    .strip_prefix("stage ")
                    .and_then(|x| x.parse::<usize>().ok())
                    .filter(|x| (1..=work.len()).contains(x))
                    .map(|x| x - 1)
            })
            // On the standard stages, a stage of the same kind: `we win about 1 in 3 of the
            // quotes we send` is the Proposal stage's rate to won.
            .or_else(|| {
                let (k, signed) = kind_of(n);
                (!from_client && k > 0 && !signed)
                    .then(|| work.iter().position(|w| kind_of(&w.name) == (k, false)))
                    .flatten()
            })
    };
    // The last stage is the signed deal itself when its name says so, or its objective does
    // (`Agreement: signed engagement letter and deposit`). An exit criterion of `signed order
    // form` is not enough: a Negotiation that ends in a signature still loses deals, so its
    // rate to won is its own (a reviewer found 100% there).
    let last_signed = from_client
        && work.len() >= 2
        && work.last().is_some_and(|w| {
            let text =
                format!("{} {}", w.name, w.objective.as_deref().unwrap_or("")).to_lowercase();
            kind_of(&w.name).1
                || [
                    "signed",
                    "signature",
                    "deposit",
                    "closed won",
                    "countersigned",
                ]
                .iter()
                .any(|x| text.contains(x))
        });
    for rf in rates {
        let Some(i) = position(&rf.from, &work) else {
            // `our close rate is 55%` names no stage: it is the win rate, used as such.
            if rf.to.eq_ignore_ascii_case("won")
                && win_rate.is_some_and(|(w, _)| (w - rf.rate).abs() < 1e-9)
            {
                continue;
            }
            // A sentence that only reads like a rate (`… 40% of new clients …`) and names no
            // stage of yours is noted, not counted as one of your rates lost.
            if rf.origin.label.starts_with('"') {
                notes.push(format!(
                    "Not used: `{} → {} {:.0}%` at {} names no stage of your pipeline.",
                    rf.from,
                    rf.to,
                    rf.rate * 100.0,
                    rf.origin
                ));
                continue;
            }
            unmatched.push(format!(
                "{} → {} {:.0}% ({})",
                rf.from,
                rf.to,
                rf.rate * 100.0,
                rf.origin
            ));
            continue;
        };
        let to_won = rf.to.eq_ignore_ascii_case("won")
            || kind_of(&rf.to).1 && position(&rf.to, &work).is_none();
        // Into `won` is into the signed-deal stage when the pipeline ends with one. A `to` that
        // names no stage (`go on to pay for the concept sketch`) is matched by the stage names
        // it mentions, after `from`.
        let j = if to_won && last_signed && i + 2 == work.len() {
            Some(i + 1)
        } else if to_won {
            Some(work.len())
        } else {
            position(&rf.to, &work).filter(|j| *j > i).or_else(|| {
                let words = key(&rf.to);
                (i + 1..work.len()).find(|&j| {
                    let k = key(&work[j].name);
                    !k.is_empty() && k.iter().any(|w| w.len() >= 4 && words.contains(w))
                })
            })
        };
        match j {
            Some(j) if j == i + 1 || (to_won && i + 1 == work.len()) => {
                work[i].rate = rf.rate;
                work[i].own = true;
                work[i].source = format!("your data: {}", rf.origin);
            }
            Some(j) if j > i + 1 => {
                // A rate over several stages: share it out by the benchmarks.
                let gap: Vec<usize> = (i..j.min(work.len())).collect();
                share(
                    &mut work,
                    &gap,
                    rf.rate,
                    &format!(
                        "your {} → {} rate {:.0}% ({})",
                        rf.from,
                        rf.to,
                        rf.rate * 100.0,
                        rf.origin
                    ),
                );
            }
            _ if rf.origin.label.starts_with('"') => notes.push(format!(
                "Not used: `{} → {} {:.0}%` at {} names no next stage of your pipeline.",
                rf.from,
                rf.to,
                rf.rate * 100.0,
                rf.origin
            )),
            _ => unmatched.push(format!(
                "{} → {} {:.0}% ({})",
                rf.from,
                rf.to,
                rf.rate * 100.0,
                rf.origin
            )),
        }
    }
    // `about 1 in 5 enquiries books me`: with no stages of theirs, a rate from the first kind
    // of stage to won is the whole funnel, shared out over the standard stages, not the last
    // step's rate.
    let n = work.len();
    let end_to_end = (!from_client)
        .then(|| {
            rates.iter().find(|r| {
                let lead = ["enquir", "inquir", "lead", "request", "prospect", "contact"]
                    .iter()
                    .any(|w| r.from.to_lowercase().contains(w));
                r.to.eq_ignore_ascii_case("won")
                    && lead
                    && kind_of(&r.from).0 == 0
                    && !kind_of(&r.from).1
            })
        })
        .flatten()
        // Only when no other rate of theirs found a stage.
        .filter(|_| !work.iter().any(|w| w.own));
    if let Some(r) = end_to_end {
        let all: Vec<usize> = (0..n).collect();
        share(
            &mut work,
            &all,
            r.rate,
            &format!("your {} → won rate ({})", r.from, r.origin),
        );
        notes.push(format!(
            "Your {:.0}% from {} to won is the whole funnel: shared out over the five standard stages in proportion to the benchmarks.",
            r.rate * 100.0,
            r.from
        ));
    }
    // The win rate: the last step into the signed deal.
    if let Some((w, o)) = win_rate.filter(|_| end_to_end.is_none()) {
        let i = if last_signed && n >= 2 { n - 2 } else { n - 1 };
        if !work[i].own {
            work[i].rate = w;
            work[i].own = true;
            work[i].source = format!("your win rate ({o})");
        }
    }
    if last_signed && n >= 2 && work[n - 2].own && !work[n - 1].own {
        work[n - 1].rate = 1.0;
        work[n - 1].own = true;
        work[n - 1].source = format!(
            "`{}` is the signed deal in your Sales Bible, so your rate into it is the win",
            work[n - 1].name
        );
    }
    let client: Vec<ClientStage> = work
        .iter()
        .map(|w| ClientStage {
            name: w.name.clone(),
            rate: w.own.then_some(w.rate),
        })
        .filter(|_| from_client)
        .collect();
    // Merge down to five.
    while work.len() > 5 {
        let i = (0..work.len() - 1)
            .max_by(|&a, &b| {
                work[a]
                    .rate
                    .partial_cmp(&work[b].rate)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.cmp(&a))
            })
            .unwrap_or(0);
        let b = work.remove(i + 1);
        let a = &mut work[i];
        notes.push(format!(
            "Merged `{}` and `{}` into one stage: {} → {} at {:.0}% × then {:.0}% = {:.1}%.",
            a.name,
            b.name,
            a.name,
            b.name,
            a.rate * 100.0,
            b.rate * 100.0,
            a.rate * b.rate * 100.0
        ));
        a.name = format!("{} + {}", a.name, b.name);
        a.rate *= b.rate;
        a.bench *= b.bench;
        a.own = a.own && b.own;
        a.source = format!("{}; {}", a.source, b.source);
        a.exit = b.exit.or(a.exit.take());
        a.objective = match (a.objective.take(), b.objective) {
            (Some(x), Some(y)) => Some(format!("{x}; then {y}")),
            (x, y) => x.or(y),
        };
    }
    // Three stages of the client's own, every rate theirs, none of them the decision or the
    // signature: the buyer's yes is recorded as a milestone (no meeting, no loss), so no rate of
    // theirs is split by benchmarks and no meeting is invented; the signature follows below.
    if work.len() == 3
        && work.iter().all(|w| w.own)
        && !work.iter().any(|w| kind_of(&w.name).0 == 4)
    {
        let last = work[2].name.clone();
        work.push(Work::lossless(
            "Verbal yes",
            format!(
                "a milestone you record when the buyer says yes: your {last} → won rate is the rate into it"
            ),
            true,
        ));
        notes.push(format!(
            "Added `Verbal yes` after `{last}` as a milestone you record (no meeting of its own, nothing lost at it): your rates stay as you wrote them."
        ));
    }
    // Split up to five with the standard model's missing kinds.
    // Four stages of the client's own, none of them the signature: the fifth is the signed
    // deal itself, so every rate they wrote stays as written (nothing is split by benchmarks).
    if work.len() == 4
        && work.iter().all(|w| w.own)
        && !work.iter().any(|w| kind_of(&w.name).0 == 4 && !w.milestone)
    {
        let last = work[3].name.clone();
        work.push(Work::lossless(
            "Signed agreement",
            format!("your {last} → won rate is the rate into the signature, which closes the deal"),
            false,
        ));
        notes.push(format!(
            "Added `Signed agreement` as the fifth stage after `{last}`: your rates stay as you wrote them, and the signature closes the deal."
        ));
    }
    while work.len() < 5 {
        let kinds: Vec<usize> = work.iter().map(|w| kind_of(&w.name).0).collect();
        let missing = (0..5).find(|k| !kinds.contains(k)).unwrap_or(1);
        // Never after a last stage that is the signed deal itself, and before the first only
        // for a missing first kind.
        let signed_last = work.last().is_some_and(|w| kind_of(&w.name).1) || last_signed;
        let at = kinds
            .iter()
            .rposition(|k| *k < missing)
            .map(|p| p + 1)
            .unwrap_or(0)
            .min(if signed_last {
                work.len() - 1
            } else {
                work.len()
            })
            .max(usize::from(missing > 0));
        let (dname, dbench) = defaults[missing];
        let prev = at.checked_sub(1);
        let inserted = Work {
            name: dname.to_string(),
            entry: None,
            exit: None,
            objective: None,
            rate: dbench.value,
            own: false,
            source: dbench.source.to_string(),
            bench: dbench.value,
            milestone: false,
        };
        work.insert(at, inserted);
        if let Some(p) = prev {
            // The client's rate from the stage before now spans two steps: share it out.
            let total = work[p].rate;
            let own = work[p].own;
            let src = work[p].source.clone();
            // Only a rate of the client's is shared out; a benchmark step keeps its benchmark
            // and the inserted stage gets its own.
            if own {
                share(&mut work, &[p, p + 1], total, &src);
            }
            if own {
                notes.push(format!(
                    "Split your {} → {} step ({:.0}%) with the standard stage `{}` in between: {:.0}% × {:.0}%, the same {:.0}% end to end.",
                    work[p].name,
                    work.get(p + 2).map(|w| w.name.as_str()).unwrap_or("won"),
                    total * 100.0,
                    dname,
                    work[p].rate * 100.0,
                    work[p + 1].rate * 100.0,
                    total * 100.0
                ));
            } else {
                notes.push(format!("Added the standard stage `{dname}` after `{}` (your pipeline has {} stages; the plan uses five).", work[p].name, names.len()));
            }
        } else {
            notes.push(format!(
                "Added the standard stage `{dname}` before `{}`.",
                work[1].name
            ));
        }
    }
    let seeds = work
        .into_iter()
        .map(|w| StageSeed {
            name: w.name,
            entry: w.entry,
            exit: w.exit,
            objective: w.objective,
            rate: w.rate,
            rate_source: w.source,
            own_rate: w.own,
            benchmark: w.bench,
            milestone: w.milestone,
        })
        .collect();
    StageMap {
        seeds,
        from_client,
        notes,
        client,
        unmatched,
    }
}

/// Shares `total` over the steps `idx` in proportion to their benchmarks, geometrically, so the
/// steps multiply back to `total`.
fn share(work: &mut [Work], idx: &[usize], total: f64, source: &str) {
    let logs: Vec<f64> = idx
        .iter()
        .map(|&i| work[i].bench.clamp(1e-6, 0.999_999).ln())
        .collect();
    let sum: f64 = logs.iter().sum();
    for (k, &i) in idx.iter().enumerate() {
        let r = if sum.abs() > 1e-12 {
            total.powf(logs[k] / sum)
        } else {
            total.powf(1.0 / idx.len() as f64)
        };
        work[i].rate = r;
        work[i].own = true;
        work[i].source = if source.ends_with("in proportion to the benchmarks") {
            source.to_string()
        } else {
            format!("{source}, shared out in proportion to the benchmarks")
        };
    }
}

/// `enquiries → site visit → concept → won` from rates that link up.
fn chain(rates: &[RateFact]) -> Vec<String> {
    let Some(first) = rates
        .iter()
        .find(|r| !rates.iter().any(|o| same_stage(&o.to, &r.from)))
    else {
        return Vec::new();
    };
    let mut out = vec![title(&first.from)];
    let mut cur = first;
    for _ in 0..rates.len() {
        if cur.to.eq_ignore_ascii_case("won") {
            break;
        }
        out.push(title(&cur.to));
        match rates.iter().find(|r| same_stage(&r.from, &cur.to)) {
            Some(n) => cur = n,
            None => break,
        }
    }
    out
}

/// `findings meetings` → `Findings meeting`: the head noun (the last word) in the singular.
fn title(s: &str) -> String {
    let mut w: Vec<String> = s.split_whitespace().map(str::to_string).collect();
    if let Some(last) = w.last_mut() {
        *last = singular(last);
    }
    let s = w.join(" ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn origin(line: usize) -> Origin {
        Origin {
            file: PathBuf::from("bible.md"),
            line,
            label: "rate".into(),
        }
    }

    fn block(name: &str) -> StageBlock {
        StageBlock {
            name: name.into(),
            ..StageBlock::default()
        }
    }

    fn rate(from: &str, to: &str, r: f64) -> RateFact {
        RateFact {
            from: from.into(),
            to: to.into(),
            rate: r,
            origin: origin(1),
        }
    }

    #[test]
    fn the_standard_stages_are_their_own_kinds() {
        for v in [
            Variation::Solopreneur,
            Variation::Scaling,
            Variation::Service,
        ] {
            for (i, (name, _)) in benchmarks::default_stages(v).iter().enumerate() {
                assert_eq!(kind_of(name).0, i, "{name} ({v:?})");
            }
        }
    }

    #[test]
    fn seven_stages_merge_keeping_the_clients_conversion() {
        let names = [
            "Enquiry",
            "Qualified",
            "Site visit",
            "Concept",
            "Proposal",
            "Negotiation",
            "Contract Signed",
        ];
        let blocks: Vec<StageBlock> = names.iter().map(|n| block(n)).collect();
        let refs: Vec<&StageBlock> = blocks.iter().collect();
        let rs = [0.6, 0.8, 0.7, 0.9, 0.5, 0.4];
        let rates: Vec<RateFact> = (0..6)
            .map(|i| rate(names[i], names[i + 1], rs[i]))
            .collect();
        let m = map(Variation::Service, &refs, &rates, None);
        assert_eq!(m.seeds.len(), 5);
        let product: f64 = m.seeds.iter().map(|s| s.rate).product();
        let client: f64 = rs.iter().product();
        assert!((product - client).abs() < 1e-12, "{product} vs {client}");
        assert!(
            m.notes.iter().filter(|n| n.starts_with("Merged")).count() == 2,
            "{:?}",
            m.notes
        );
        for n in names {
            assert!(m.seeds.iter().any(|s| s.name.contains(n)), "{n} lost");
        }
        assert_eq!(m.client.len(), 7);
    }

    #[test]
    fn three_stages_split_keeping_the_clients_conversion() {
        let blocks = [block("Enquiry"), block("Proposal"), block("Signed")];
        let refs: Vec<&StageBlock> = blocks.iter().collect();
        let rates = vec![
            rate("Enquiry", "Proposal", 0.3),
            rate("Proposal", "Signed", 0.5),
        ];
        let m = map(Variation::Solopreneur, &refs, &rates, None);
        let names: Vec<&str> = m.seeds.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), 5);
        assert_eq!(names[0], "Enquiry");
        assert!(names.contains(&"Proposal") && names.contains(&"Signed"));
        let product: f64 = m.seeds.iter().map(|s| s.rate).product();
        assert!((product - 0.15).abs() < 1e-12, "{product}");
        assert!(
            m.notes.iter().any(|n| n.starts_with("Split")),
            "{:?}",
            m.notes
        );
    }

    #[test]
    fn a_chain_of_prose_rates_names_the_stages() {
        let rates = vec![
            rate("enquiries", "site visit", 0.5),
            rate("site visits", "concept", 0.7),
            rate("concepts", "won", 1.0 / 3.0),
        ];
        let m = map(Variation::Solopreneur, &[], &rates, None);
        assert!(m.from_client);
        assert_eq!(
            m.client.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["Enquiry", "Site visit", "Concept"]
        );
        let product: f64 = m.seeds.iter().map(|s| s.rate).product();
        assert!((product - 0.5 * 0.7 / 3.0).abs() < 1e-12, "{product}");
        assert!(m.unmatched.is_empty(), "{:?}", m.unmatched);
    }
}
