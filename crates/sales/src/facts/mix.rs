//! The mix of offers a business sells, from a sentence that shares its work out among its
//! packages: "roughly half my projects were planting plans, a third full-yard, the rest design +
//! build oversight", "fourteen of them are on Essentials, six on Growth and two on the CFO
//! package". The average deal is then the mix's weighted price, not the plain average of the
//! price list (which weighs a rare premium offer like the everyday one).

use super::prose::{find_word, sentences};
use super::values;

/// Words of a package name too common to tell packages apart.
const COMMON: &[&str] = &[
    "the", "and", "with", "for", "package", "packages", "plan", "plans", "tier", "service",
    "services", "offer", "monthly", "retainer", "project", "one", "off",
];

fn name_words(name: &str) -> Vec<String> {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && !COMMON.contains(w))
        .map(|w| w.trim_end_matches('s').to_string())
        .collect()
}

/// A share written in words or as a percentage at the start of a clause's figures.
fn share(clause: &str) -> Option<f64> {
    for (w, v) in [
        ("two thirds", 2.0 / 3.0),
        ("three quarters", 0.75),
        ("a third", 1.0 / 3.0),
        ("one third", 1.0 / 3.0),
        ("a quarter", 0.25),
        ("one quarter", 0.25),
        ("half", 0.5),
        ("a fifth", 0.2),
        ("a tenth", 0.1),
    ] {
        if find_word(clause, w).is_some() {
            return Some(v);
        }
    }
    values::numbers(clause)
        .into_iter()
        .find(|n| clause[n.end..].trim_start().starts_with('%'))
        .map(|n| n.value / 100.0)
}

/// A count of clients or projects in a clause (`six on Growth`), not a price or a year.
fn count(clause: &str) -> Option<f64> {
    if find_word(clause, "dozen").is_some() {
        return Some(12.0);
    }
    values::numbers(clause)
        .into_iter()
        .filter(|n| {
            let before = clause[..n.start].trim_end();
            let after = clause[n.end..].trim_start();
            !before.ends_with(['$', '€', '£'])
                && !after.starts_with(['%', 'k', 'K'])
                && n.value.fract() == 0.0
                && (1.0..1000.0).contains(&n.value)
        })
        .map(|n| n.value)
        .next()
}

/// The share of each package (in the order of `names`) a sentence gives, when it names at least
/// two of them with a share or a count each. Unnamed packages get none; `the rest` takes what the
/// shares leave.
pub(super) fn read(sentence: &str, names: &[String]) -> Option<Vec<f64>> {
    if names.len() < 2 {
        return None;
    }
    let l = values::digits_for_words(&sentence.to_lowercase());
    let words: Vec<Vec<String>> = names.iter().map(|n| name_words(n)).collect();
    let mut clauses: Vec<&str> = vec![l.as_str()];
    for sep in [", ", "; ", " and ", " plus ", " while "] {
        clauses = clauses.iter().flat_map(|c| c.split(sep)).collect();
    }
    let mut shares: Vec<Option<f64>> = vec![None; names.len()];
    let mut counts: Vec<Option<f64>> = vec![None; names.len()];
    let mut rest: Option<usize> = None;
    for c in clauses {
        let hits: Vec<(usize, usize)> = words
            .iter()
            .enumerate()
            .map(|(i, ws)| {
                let named = |w: &String| {
                    find_word(c, w).is_some() || find_word(c, &format!("{w}s")).is_some()
                };
                (i, ws.iter().filter(|w| named(w)).count())
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        let Some(&(best, most)) = hits.iter().max_by_key(|(_, n)| *n) else {
            continue;
        };
        if hits.iter().filter(|(_, n)| *n == most).count() > 1 {
            continue;
        }
        if ["the rest", "the remainder", "everything else", "the others"]
            .iter()
            .any(|w| c.contains(w))
        {
            rest = Some(best);
        } else if let Some(s) = share(c) {
            shares[best] = Some(s);
        } else if let Some(n) = count(c) {
            counts[best] = Some(n);
        }
    }
    let named_shares = shares.iter().flatten().count();
    let named_counts = counts.iter().flatten().count();
    if named_shares + usize::from(rest.is_some()) >= 2 && named_counts == 0 {
        let sum: f64 = shares.iter().flatten().sum();
        if sum > 1.001 {
            return None;
        }
        let mut out: Vec<f64> = shares.iter().map(|s| s.unwrap_or(0.0)).collect();
        if let Some(r) = rest {
            out[r] += 1.0 - sum;
        }
        let total: f64 = out.iter().sum();
        return (total > 0.0).then(|| out.iter().map(|x| x / total).collect());
    }
    if named_counts >= 2 && named_shares == 0 {
        let total: f64 = counts.iter().flatten().sum();
        return Some(counts.iter().map(|c| c.unwrap_or(0.0) / total).collect());
    }
    None
}

/// The first sentence of `text` that gives a mix of `names`.
pub(super) fn find(text: &str, names: &[String]) -> Option<Vec<f64>> {
    sentences(text).into_iter().find_map(|s| read(s, names))
}

/// Words that name something sold.
const OFFERS: &[&str] = &[
    "programme",
    "program",
    "engagement",
    "package",
    "workshop",
    "retainer",
    "project",
    "service",
    "session",
    "course",
    "audit",
    "subscription",
    "membership",
    "tier",
    "plan",
    "sprint",
    "bundle",
    "license",
    "licence",
    "redesign",
    "rebuild",
    "build",
    "assessment",
    "consultation",
];

/// An offer and its price from a sentence (`My main offer is the Executive Transition
/// Programme, a six-month engagement at $9,000`, `I also run a half-day team workshop for
/// $1,500`): the offer's name and the price as written. Goals, budgets and past figures are no
/// offers.
pub(super) fn offer(sentence: &str) -> Option<(String, String)> {
    let l = sentence.to_lowercase();
    if super::prose::any(
        &l,
        &[
            "goal",
            "target",
            "budget",
            "spend",
            "revenue",
            "salary",
            "last year",
            "made",
            "earned",
            "quota",
            "worth",
            "pays us",
            "mrr",
            "arr",
        ],
    ) {
        return None;
    }
    // The price follows a price word: `at $9,000`, `for $1,500`, `costs $400 a month`.
    let cue = [
        " at ",
        " for ",
        " costs ",
        " cost ",
        " priced at ",
        " price is ",
        " is ",
    ]
    .iter()
    .filter_map(|c| {
        let p = l.find(c)? + c.len();
        let rest = l[p..].trim_start();
        let rest = rest
            .strip_prefix("about ")
            .or_else(|| rest.strip_prefix("around "))
            .unwrap_or(rest);
        rest.starts_with(['$', '€', '£']).then_some(p)
    })
    .min()?;
    let noun_at = OFFERS
        .iter()
        .filter_map(|n| find_word(&l[..cue], n).map(|p| (p, *n)))
        .min_by_key(|(p, _)| *p)?;
    let price_text: String = sentence[cue..]
        .split([':', ';', '('])
        .next()
        .unwrap_or("")
        .split(", ")
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    values::money(&price_text)?;
    // A capitalised name that holds the offer word (`Executive Transition Programme`), else the
    // words before it (`half-day team workshop`).
    let words: Vec<&str> = sentence[..cue].split_whitespace().collect();
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let at = words.iter().position(|w| {
        w.to_lowercase()
            .trim_matches(|c: char| !c.is_alphanumeric())
            .starts_with(noun_at.1)
    })?;
    let mut start = at;
    if capital(words[at]) {
        while start > 0 && capital(words[start - 1]) && start + 4 > at {
            start -= 1;
        }
    } else {
        while start > 0
            && at - start < 2
            && !matches!(
                words[start - 1].to_lowercase().as_str(),
                "a" | "an" | "the" | "my" | "our" | "run" | "sell" | "offer" | "also" | "is"
            )
            && !words[start - 1].ends_with(',')
        {
            start -= 1;
        }
    }
    let name = words[start..=at]
        .join(" ")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    let mut chars = name.chars();
    let name = match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => return None,
    };
    Some((name, price_text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn shares_in_words_with_the_rest() {
        let n = names(&[
            "Planting plan",
            "Full-yard design",
            "Design + build oversight",
        ]);
        let m = read(
            "Last year roughly half my projects were planting plans, a third full-yard, the rest design + build oversight.",
            &n,
        )
        .unwrap();
        assert!((m[0] - 0.5).abs() < 1e-9 && (m[1] - 1.0 / 3.0).abs() < 1e-9);
        assert!((m[2] - 1.0 / 6.0).abs() < 1e-9, "{m:?}");
    }

    #[test]
    fn counts_of_clients() {
        let n = names(&["Essentials bookkeeping", "Growth", "Fractional CFO"]);
        let m = read(
            "Fourteen of them are on Essentials, six on Growth and two on the CFO package.",
            &n,
        )
        .unwrap();
        assert_eq!(m, [14.0 / 22.0, 6.0 / 22.0, 2.0 / 22.0]);
    }

    #[test]
    fn offers_in_sentences() {
        assert_eq!(
            offer(
                "My main offer is the Executive Transition Programme, a six-month engagement at $9,000: twelve sessions."
            ),
            Some(("Executive Transition Programme".into(), "$9,000".into()))
        );
        assert_eq!(
            offer(
                "I also run a half-day team workshop, \"Leading Through\", for $1,500, usually bought by HR."
            ),
            Some(("Half-day team workshop".into(), "$1,500".into()))
        );
        assert_eq!(offer("My goal for 2026 is $120,000 in new sales."), None);
        assert!(offer("A full product redesign — research, flows, prototype — is £14,000 and runs about eight weeks.").is_some_and(|(n, _)| n == "Full product redesign"));
        assert_eq!(
            offer("I have about $4,000 to spend this year on a virtual assistant."),
            None
        );
        let n = names(&["Executive Transition Programme", "Half-day team workshop"]);
        assert_eq!(
            find(
                "Realistically that means around eleven programmes and a dozen or so workshops.",
                &n
            ),
            Some(vec![11.0 / 23.0, 12.0 / 23.0])
        );
    }

    #[test]
    fn percentages_and_no_mix() {
        let n = names(&["Starter", "Pro"]);
        assert_eq!(
            read("70% of customers pick Starter and 30% pick Pro", &n),
            Some(vec![0.7, 0.3])
        );
        assert_eq!(read("Starter costs $400 and Pro $650", &n), None);
        assert_eq!(read("Pro is our best seller", &n), None);
    }
}
