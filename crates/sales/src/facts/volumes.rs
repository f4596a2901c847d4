//! How many leads a channel brings, as the business writes it: `Referrals from existing clients
//! — about 3 a month`, `The website brings about 12 enquiries a month`, `my assistant gets me on
//! about two episodes a month, and each one brings maybe three enquiries`, `send one or two
//! people my way most months`, with the share of them that moves on when the same sentence says
//! it (`about one in four of those turns into a chemistry call`, `those nearly always book a
//! call`).
//!
//! A founder who writes these figures has told coord what the channels give today; the plan is
//! built on them (shares, limits, the first step's rate) instead of on coord's defaults. Which
//! channel a figure belongs to is decided where the plan's channels are known (`channels`),
//! from the words of the sentence and, when it names none, the sentence before (`Most of my
//! enquiries come from LinkedIn. Roughly twenty people a month reply to a post …`).

use super::values;

/// A monthly lead volume as written, before it is matched to a channel.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeSaid {
    /// The sentence or list item, lower case.
    pub text: String,
    /// The sentence before it in the same paragraph, lower case (empty for a list item).
    pub previous: String,
    /// Leads a month.
    pub per_month: f64,
    /// The share of them that reaches the next stage, when the sentence says it.
    pub rate: Option<f64>,
    /// True when that share is of them won (`I win about half of them`, `1 in 10 of those ever
    /// turns into a paid project`), not of them moving one stage on.
    pub to_won: bool,
    /// 1-based line.
    pub line: usize,
    /// The words that give the volume, as a short quote.
    pub quote: String,
}

/// Nouns that count leads (`12 enquiries a month`); a figure with none right after it counts
/// leads only in a list item or when `a month` follows the number directly.
const LEAD_NOUNS: &[&str] = &[
    // `We get maybe 4 of those a month`: the leads the sentence before named.
    "of those",
    "of these",
    "of them",
    "people",
    "enquiries",
    "enquiry",
    "inquiries",
    "inquiry",
    "leads",
    "lead",
    "referrals",
    "referral",
    "introductions",
    "intros",
    "conversations",
    "demo requests",
    "requests",
    "booked meetings",
    "meetings",
    "brands",
    "brand",
    "prospects",
    "contacts",
    "calls",
    "companies",
    "businesses",
    "firms",
    "couples",
    "patients",
    "families",
];

/// Every volume the text writes, line by line.
pub fn read(text: &str) -> Vec<VolumeSaid> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let item = line.starts_with(['-', '*', '+']);
        let body = line.trim_start_matches(['-', '*', '+', ' ']);
        let mut previous = String::new();
        let all: Vec<String> = super::prose::sentences(body)
            .into_iter()
            .map(str::to_lowercase)
            .collect();
        for (k, l) in all.iter().enumerate() {
            if let Some((per_month, quote, end)) = per_month(l, item) {
                let after = values::digits_for_words(l)[end..].to_string();
                // `… about 8 enquiries a month. I'd say only about 1 in 10 of those ever turns
                // into a paid project.`: the next sentence's share of them, when it counts none
                // of its own.
                let next = all
                    .get(k + 1)
                    .filter(|n| per_month_of(n).is_none())
                    .map(|n| values::digits_for_words(n));
                let (rate, to_won) = match rate_after(&after) {
                    Some(r) => (Some(r), won_after(&after)),
                    None => match next.as_deref().and_then(|n| rate_after(n).map(|r| (r, n))) {
                        Some((r, n)) => (Some(r), won_after(n)),
                        None => (None, false),
                    },
                };
                out.push(VolumeSaid {
                    text: l.clone(),
                    previous: previous.clone(),
                    per_month,
                    rate,
                    to_won,
                    line: i + 1,
                    quote,
                });
            }
            previous = l.clone();
        }
    }
    out
}

/// Leads a month in a sentence that is not a list item, when it gives some.
fn per_month_of(l: &str) -> Option<f64> {
    per_month(l, false).map(|x| x.0)
}

/// Leads a month in one sentence, the words that say it, and where they end in the sentence
/// with its numbers written as digits.
fn per_month(l: &str, item: bool) -> Option<(f64, String, usize)> {
    let d = values::digits_for_words(l);
    let nums = values::numbers(&d);
    const PERIODS: &[(&str, f64)] = &[
        ("a month", 1.0),
        ("per month", 1.0),
        ("each month", 1.0),
        ("every month", 1.0),
        ("most months", 1.0),
        ("/month", 1.0),
        ("a week", 52.0 / 12.0),
        ("per week", 52.0 / 12.0),
        ("a quarter", 1.0 / 3.0),
        ("a year", 1.0 / 12.0),
        ("per year", 1.0 / 12.0),
    ];
    let mut k = 0;
    while k < nums.len() {
        let n = nums[k];
        // `one or two`, `30-40`: the middle of the range.
        let (value, end) = match nums.get(k + 1) {
            Some(m)
                if matches!(d[n.end..m.start].trim(), "or" | "-" | "–" | "to")
                    && m.value >= n.value =>
            {
                k += 1;
                ((n.value + m.value) / 2.0, m.end)
            }
            _ => (n.value, n.end),
        };
        k += 1;
        let before = &d[..n.start];
        if before.ends_with('$')
            || before.ends_with('€')
            || before.ends_with('£')
            || d[end..].starts_with('%')
            || d[end..].starts_with(['k', 'm'])
            || value <= 0.0
            || value > 10_000.0
        {
            continue;
        }
        let rest = d[end..].trim_start();
        // `30 inbound demo requests a month`: the counted noun within the next three words.
        let noun_at = |r: &str| {
            LEAD_NOUNS
                .iter()
                .filter(|w| r.starts_with(*w))
                .max_by_key(|w| w.len())
                .copied()
        };
        let mut skipped = rest;
        let mut noun = noun_at(rest);
        for _ in 0..2 {
            if noun.is_some() {
                break;
            }
            let Some((_, next)) = skipped.split_once(' ') else {
                break;
            };
            skipped = next.trim_start();
            if PERIODS.iter().any(|(p, _)| skipped.starts_with(p)) {
                break;
            }
            noun = noun_at(skipped);
        }
        let rest = if noun.is_some() { skipped } else { rest };
        // `two episodes a month, and each one brings maybe three enquiries`: episodes are no
        // leads, but each brings some.
        let (counted, after) = match noun {
            Some(w) => (true, rest[w.len()..].trim_start()),
            None => {
                let word_end = rest
                    .find(|c: char| !c.is_alphabetic())
                    .unwrap_or(rest.len());
                let (w, tail) = rest.split_at(word_end);
                let tail = tail.trim_start();
                // `- Referrals — about 3 a month`, `Shopify partner referrals (…) — around 4 a
                // month`: a bare count after a dash or colon counts the leads named before it.
                let named_before = {
                    // `— last year about 45 a month`: hedges and when, back to the dash.
                    let mut b = before.trim_end();
                    while let Some(rest) = [
                        "about",
                        "around",
                        "maybe",
                        "roughly",
                        "approximately",
                        "~",
                        "last year",
                        "this year",
                        "usually",
                        "typically",
                        "normally",
                    ]
                    .iter()
                    .find_map(|w| b.strip_suffix(w))
                    {
                        b = rest.trim_end();
                    }
                    b.ends_with(['—', '–', ':', '-'])
                };
                if PERIODS.iter().any(|(p, _)| rest.starts_with(p)) {
                    (item || named_before, rest)
                } else if !w.is_empty() && PERIODS.iter().any(|(p, _)| tail.starts_with(p)) {
                    (false, tail)
                } else {
                    continue;
                }
            }
        };
        // The figure's period, right after it or after a few words (`send one or two people
        // my way most months`).
        let Some((pos, per, plen)) = PERIODS
            .iter()
            .filter_map(|(p, per)| after.find(p).map(|at| (at, *per, p.len())))
            .filter(|(at, ..)| after[..*at].split_whitespace().count() <= 4)
            .min_by_key(|(at, ..)| *at)
        else {
            continue;
        };
        let quote_end = d.len() - after.len() + pos + plen;
        let quote = d[n.start..quote_end.min(d.len())].to_string();
        let tail = &after[pos + plen..];
        let each = each_brings(tail);
        match (counted, each) {
            (_, Some(m)) => {
                return Some((
                    value * per * m,
                    format!("{quote}… each brings {m}"),
                    quote_end,
                ));
            }
            (true, None) => return Some((value * per, quote, quote_end)),
            (false, None) => continue,
        }
    }
    None
}

/// `…, and each one brings maybe three enquiries`: leads per unit the sentence counted.
fn each_brings(tail: &str) -> Option<f64> {
    let at = tail.find("each")?;
    let rest = &tail[at..];
    let verb_end = [
        "brings",
        "gives",
        "produces",
        "generates",
        "yields",
        "turns up",
    ]
    .iter()
    .filter_map(|v| rest.find(v).map(|p| p + v.len()))
    .min()?;
    if rest[..verb_end].split_whitespace().count() > 4 {
        return None;
    }
    let n = values::numbers(&rest[verb_end..]);
    let first = n.first()?;
    (rest[verb_end..verb_end + first.start]
        .split_whitespace()
        .count()
        <= 2)
        .then_some(first.value)
}

/// The share of them that moves on, said after the volume in the same sentence: `about one in
/// four of those turns into …`, `around half of them book …`, `those nearly always book a call`.
fn rate_after(after: &str) -> Option<f64> {
    for (w, r) in [
        ("nearly always", 0.9),
        ("almost always", 0.9),
        ("nearly all", 0.9),
        ("almost all", 0.9),
        ("usually", 0.75),
        ("always", 1.0),
    ] {
        if let Some(p) = after.find(w) {
            let around = &after[p.saturating_sub(12)..];
            if around.contains("those") || around.contains("they") || around.contains("them") {
                return Some(r);
            }
        }
    }
    let p = ["of those", "of them", "of these"]
        .iter()
        .filter_map(|w| after.find(w))
        .min()?;
    let head = &after[..p];
    let start = head.rfind([',', '—', ';']).map_or(0, |c| {
        c + head[c..].chars().next().map_or(1, char::len_utf8)
    });
    let phrase = &after[start..p + 8];
    // The sentence reader's ratios (`1 in 4`, `half`, `a third`, `60%`), and `most`.
    let r = super::prose::ratios_at(phrase)
        .into_iter()
        .map(|(r, ..)| r)
        .find(|r| *r > 0.0 && *r <= 1.0)
        .or_else(|| phrase.contains("most").then_some(0.7))?;
    // `half of those are too small`: the share that falls out, so the rest moves on.
    let then = after[p + 8..]
        .split([',', '.', ';', '—'])
        .next()
        .unwrap_or("");
    let lost = [
        "too small",
        "not ",
        "n't",
        "never",
        "junk",
        "spam",
        "waste",
        "nowhere",
        "drop",
        "ghost",
        "rule",
        "unqualified",
        "tyre-kick",
        "tire-kick",
    ]
    .iter()
    .any(|w| then.contains(w));
    Some(if lost { 1.0 - r } else { r })
}

/// True when the share after the volume is of them won: `I win about half of them`, `… ever
/// turns into a paid project`, `… become clients`.
fn won_after(after: &str) -> bool {
    [
        "i win",
        "we win",
        "win about",
        "paid project",
        "become clients",
        "become customers",
        "turn into clients",
        "sign up",
        "book me",
        "books me",
        "hire me",
        "hire us",
        "close",
    ]
    .iter()
    .any(|w| after.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> (f64, Option<f64>) {
        let v = read(text);
        assert_eq!(v.len(), 1, "{v:?}");
        (v[0].per_month, v[0].rate)
    }

    #[test]
    fn volumes_as_founders_write_them() {
        assert_eq!(
            one("- Referrals from existing clients — about 3 a month"),
            (3.0, None)
        );
        assert_eq!(
            one(
                "The website brings about 12 enquiries a month, but honestly half of those are too small."
            ),
            (12.0, Some(0.5))
        );
        assert_eq!(
            one(
                "Roughly twenty people a month reply to a post or send me a message, and about one in four of those turns into a chemistry call."
            ),
            (20.0, Some(0.25))
        );
        assert_eq!(
            one(
                "Podcasts are the other source: my assistant gets me on about two episodes a month, and each one brings maybe three enquiries, and those people are warmer — around half of them book a chemistry call."
            ),
            (6.0, Some(0.5))
        );
        assert_eq!(
            one(
                "Past clients and HR directors send one or two people my way most months too, and those nearly always book a call."
            ),
            (1.5, Some(0.9))
        );
        assert_eq!(
            one("Past clients refer maybe one brand a month."),
            (1.0, None)
        );
        assert_eq!(
            one(
                "Shopify partner referrals (partner managers passing us brands) — around 4 a month, and they are the best leads we get."
            ),
            (4.0, None)
        );
        assert!(read("It costs about 4 a month.").is_empty());
        let v = read(
            "Those bring in about 8 enquiries a month but a lot are tyre-kickers. I'd say only about 1 in 10 of those ever turns into a paid project.",
        );
        assert_eq!(
            (v[0].per_month, v[0].rate, v[0].to_won),
            (8.0, Some(0.1), true)
        );
        let v = read(
            "That brings maybe 3 leads a month, and I win about half of them because they already trust me.",
        );
        assert_eq!(
            (v[0].per_month, v[0].rate, v[0].to_won),
            (3.0, Some(0.5), true)
        );
        assert_eq!(
            one(
                "Paid ads (LinkedIn and Google search) bring demo requests — last year about 45 a month."
            ),
            (45.0, None)
        );
        assert_eq!(
            one("We get maybe 4 of those a month and they are very warm."),
            (4.0, None)
        );
        assert_eq!(
            one("We get roughly 30 inbound demo requests a month, mainly from our website."),
            (30.0, None)
        );
        assert_eq!(
            one("Sam's outbound books about 12 meetings a month on top of that."),
            (12.0, None)
        );
        let (n, r) =
            one("The website brings 12 enquiries a month, but a third of those are too small.");
        assert_eq!(n, 12.0);
        assert!((r.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn figures_that_are_no_lead_volume() {
        for s in [
            "I give selling twelve hours a week.",
            "I write on LinkedIn three times a week.",
            "Essentials bookkeeping — $950 a month.",
            "I spend maybe $150 a month on Instagram posts.",
            "Monthly recurring is about $68,000.",
            "We usually lose 2 clients a year.",
            "Contracts are 24 months, billed monthly.",
        ] {
            assert!(read(s).is_empty(), "{s}: {:?}", read(s));
        }
    }
}
