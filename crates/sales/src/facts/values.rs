//! Reading values as people write them: `$240,000`, `240k`, `€1.2M`, `35%`, `0.35`, `45 days`,
//! `6 weeks`, `12 months starting 2027-01-01`, `January 2027`, `8-10 hours`, `$10k–$15k`.
//!
//! Every reader returns `None` when the text holds no value of its kind, so the caller can say
//! which file and line could not be read.

use jiff::civil::Date;

/// An amount of money.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Money {
    /// The amount (the midpoint of a range).
    pub amount: f64,
    /// The currency symbol or code, `$` when none is written.
    pub currency: &'static str,
}

/// Numbers in `s` with their byte spans: `1,200.5`, `240k`, `1.2M`, `3`.
fn numbers(s: &str) -> Vec<(f64, usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() || (b[i] == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit()) {
            let start = i;
            let mut txt = String::new();
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b',') {
                // A comma is a thousands separator only when three digits follow.
                if b[i] == b',' {
                    let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    if digits != 3 {
                        break;
                    }
                } else {
                    txt.push(b[i] as char);
                }
                i += 1;
            }
            let txt = txt.trim_end_matches('.');
            let Ok(mut v) = txt.parse::<f64>() else {
                continue;
            };
            // Magnitude suffix: 240k, 1.2M, 1.5 million, 2bn.
            let rest = s[i..].trim_start();
            let rest_l = rest.to_ascii_lowercase();
            let mut end = i;
            for (suffix, mult) in [
                ("million", 1e6),
                ("thousand", 1e3),
                ("billion", 1e9),
                ("mm", 1e6),
                ("bn", 1e9),
                ("k", 1e3),
                ("m", 1e6),
                ("b", 1e9),
            ] {
                if rest_l.starts_with(suffix)
                    && !rest_l[suffix.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
                {
                    // `3 months`, `2 min`: a unit, not a magnitude.
                    v *= mult;
                    end = s.len() - rest.len() + suffix.len();
                    break;
                }
            }
            out.push((v, start, end));
            i = end.max(i);
        } else {
            i += 1;
        }
    }
    out
}

/// True when the text between two numbers makes them a range (`10-15`, `10 to 15`, `10–15`).
fn is_range_sep(between: &str) -> bool {
    let t = between.trim().trim_start_matches(['$', '€', '£']).trim();
    let t = t.trim_end_matches(['$', '€', '£']).trim();
    matches!(t, "-" | "–" | "—" | "to" | "and") || t.is_empty() && between.contains('-')
}

/// The first number or range in `s`: (low, high).
pub fn range(s: &str) -> Option<(f64, f64)> {
    let n = numbers(s);
    let (a, _, a_end) = *n.first()?;
    if let Some(&(b, b_start, _)) = n.get(1)
        && is_range_sep(&s[a_end..b_start])
        && b >= a
    {
        return Some((a, b));
    }
    Some((a, a))
}

/// Money: `$240,000`, `240k`, `€1.2M`, `USD 240,000`, `$10k–$15k` (midpoint).
pub fn money(s: &str) -> Option<Money> {
    let (lo, hi) = range(s)?;
    let currency = if s.contains('€') || s.to_ascii_uppercase().contains("EUR") {
        "€"
    } else if s.contains('£') || s.to_ascii_uppercase().contains("GBP") {
        "£"
    } else {
        "$"
    };
    let amount = (lo + hi) / 2.0;
    (amount >= 0.0).then_some(Money { amount, currency })
}

/// A rate as a fraction: `35%` → 0.35, `0.35` → 0.35, `35 percent` → 0.35.
pub fn percent(s: &str) -> Option<f64> {
    let (lo, hi) = range(s)?;
    let v = (lo + hi) / 2.0;
    let l = s.to_ascii_lowercase();
    let f = if s.contains('%') || l.contains("percent") || v > 1.0 {
        v / 100.0
    } else {
        v
    };
    (f > 0.0 && f <= 1.0).then_some(f)
}

/// A duration in days: `45 days`, `6 weeks`, `3 months`, `1.5 months`, `45` (days).
pub fn days(s: &str) -> Option<f64> {
    let (lo, hi) = range(s)?;
    let v = (lo + hi) / 2.0;
    let l = s.to_ascii_lowercase();
    let unit = if l.contains("week") {
        7.0
    } else if l.contains("month") {
        30.4
    } else if l.contains("year") {
        365.0
    } else {
        1.0
    };
    let d = v * unit;
    (d > 0.0).then_some(d)
}

/// A duration in months: `12 months`, `1 year`, `6 weeks` (1.4), `Jan–Dec 2027` (12),
/// `Q1–Q2 2027` (6), `FY2027` or `2027` (12).
pub fn months(s: &str) -> Option<f64> {
    let l = s.to_ascii_lowercase();
    let words: Vec<&str> = l
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month_idx: Vec<usize> = words
        .iter()
        .filter_map(|w| {
            NAMES.iter().position(|m| {
                w.starts_with(m) && w.len() >= 3 && !w.chars().any(|c| c.is_ascii_digit())
            })
        })
        .collect();
    if let [a, b, ..] = month_idx.as_slice() {
        return Some(((b + 12 - a) % 12 + 1) as f64);
    }
    let quarters: Vec<i32> = words
        .iter()
        .filter_map(|w| w.strip_prefix('q').and_then(|n| n.parse().ok()))
        .filter(|q| (1..=4).contains(q))
        .collect();
    if let [a, b, ..] = quarters.as_slice() {
        return Some(f64::from((b - a).rem_euclid(4) + 1) * 3.0);
    }
    let year_only = words.iter().all(|w| {
        let w = w.strip_prefix("fy").unwrap_or(w);
        w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()) || w == "calendar" || w == "year"
    });
    if year_only && !words.is_empty() && !l.contains("year") {
        return Some(12.0);
    }
    let (lo, _) = range(s)?;
    let m = if l.contains("year") {
        lo * 12.0
    } else if l.contains("week") {
        lo / 4.345
    } else if l.contains("quarter") {
        lo * 3.0
    } else if l.contains("month") || l.trim().chars().all(|c| c.is_ascii_digit() || c == '.') {
        lo
    } else {
        return None;
    };
    (m > 0.0 && m <= 60.0).then_some(m)
}

/// A plain quantity: `10`, `10 hours`, `8-10 hours` (the low end: plan on what is sure),
/// `one`..`twelve`.
pub fn count_low(s: &str) -> Option<f64> {
    if let Some((lo, _)) = range(s) {
        return Some(lo);
    }
    let words = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    let l = s.to_ascii_lowercase();
    let first = l
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| !w.is_empty())?;
    words
        .iter()
        .position(|w| *w == first)
        .map(|p| (p + 1) as f64)
}

/// A date: `2027-01-01`, `January 2027`, `Jan 1, 2027`, `1 January 2027`, `Q3 2027`.
pub fn date(s: &str) -> Option<Date> {
    // ISO first.
    for (i, _) in s.char_indices() {
        if let Some(d) = s.get(i..i + 10).and_then(|t| t.parse::<Date>().ok()) {
            return Some(d);
        }
    }
    let l = s.to_ascii_lowercase();
    let year = l
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .find_map(|w| w.parse::<i16>().ok().filter(|y| (1990..=2100).contains(y)))?;
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let words: Vec<&str> = l
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(q) = words
        .iter()
        .find_map(|w| w.strip_prefix('q').and_then(|n| n.parse::<i8>().ok()))
        .filter(|q| (1..=4).contains(q))
    {
        return Date::new(year, (q - 1) * 3 + 1, 1).ok();
    }
    let month = words
        .iter()
        .find_map(|w| MONTHS.iter().position(|m| w.starts_with(m) && w.len() >= 3))?;
    let day = words
        .iter()
        .filter_map(|w| w.parse::<i8>().ok())
        .find(|d| (1..=31).contains(d))
        .unwrap_or(1);
    Date::new(year, month as i8 + 1, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_forms() {
        let m = |s: &str| money(s).map(|m| (m.amount, m.currency));
        assert_eq!(m("$240,000"), Some((240000.0, "$")));
        assert_eq!(m("240k"), Some((240000.0, "$")));
        assert_eq!(m("€1.2M"), Some((1200000.0, "€")));
        assert_eq!(m("USD 1.5 million"), Some((1500000.0, "$")));
        assert_eq!(m("£50k per year"), Some((50000.0, "£")));
        assert_eq!(m("$10k–$15k"), Some((12500.0, "$")));
        assert_eq!(m("$4,500"), Some((4500.0, "$")));
        assert_eq!(m("lots"), None);
        assert_eq!(m("$1,20"), Some((1.0, "$")));
    }

    #[test]
    fn percent_forms() {
        assert_eq!(percent("35%"), Some(0.35));
        assert_eq!(percent("0.35"), Some(0.35));
        assert_eq!(percent("35 percent"), Some(0.35));
        assert_eq!(percent("20-30%"), Some(0.25));
        assert_eq!(percent("about half"), None);
        assert_eq!(percent("150%"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(days("45 days"), Some(45.0));
        assert_eq!(days("6 weeks"), Some(42.0));
        assert_eq!(days("3 months").map(|d| d.round()), Some(91.0));
        assert_eq!(months("12 months starting 2027-01-01"), Some(12.0));
        assert_eq!(months("1 year"), Some(12.0));
        assert_eq!(months("two quarters"), None);
        assert_eq!(months("3 months"), Some(3.0));
        assert_eq!(months("Jan–Dec 2027"), Some(12.0));
        assert_eq!(months("January to June 2027"), Some(6.0));
        assert_eq!(months("Q1–Q2 2027"), Some(6.0));
        assert_eq!(months("FY2027"), Some(12.0));
        assert_eq!(months("Oct 2026 – Sep 2027"), Some(12.0));
    }

    #[test]
    fn counts_and_dates() {
        assert_eq!(count_low("8-10 hours"), Some(8.0));
        assert_eq!(count_low("three"), Some(3.0));
        assert_eq!(
            date("12 months starting 2027-01-01"),
            Date::new(2027, 1, 1).ok()
        );
        assert_eq!(date("January 2027"), Date::new(2027, 1, 1).ok());
        assert_eq!(date("Jan 15, 2027"), Date::new(2027, 1, 15).ok());
        assert_eq!(date("Q3 2027"), Date::new(2027, 7, 1).ok());
        assert_eq!(date("soon"), None);
    }

    #[test]
    fn units_are_not_magnitudes() {
        assert_eq!(range("3 months"), Some((3.0, 3.0)));
        assert_eq!(range("2 min"), Some((2.0, 2.0)));
        assert_eq!(range("45 days"), Some((45.0, 45.0)));
    }
}
