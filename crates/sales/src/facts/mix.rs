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
