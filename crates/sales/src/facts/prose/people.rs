//! Who sells and who buys: team counts (`we are three partners`, `8 in sales`), customers
//! today (`48 active clients`) and where clients come from (`most of our work comes from
//! referrals`).

use super::cues::SELLERS;
use super::{any, find_word, first_cue};
use crate::facts::values;

/// `3 of us`, `the 2 of us` standing alone.
pub(super) fn team_of_us(l: &str) -> Option<(f64, String)> {
    let nums = values::numbers(l);
    nums.iter().find_map(|n| {
        (l[n.end..].trim_start().starts_with("of us") && (1.0..=50.0).contains(&n.value))
            .then(|| (n.value, format!("{} of us", n.value)))
    })
}

/// `we are three partners`, `a team of 6 account executives`, `4 sales reps`.
pub(super) fn team_count(l: &str) -> Option<(f64, String)> {
    // `the office manager and I will share the selling`, `both of us`, `the two of us`.
    if any(
        l,
        &[
            "both of us",
            "the 2 of us",
            "my partner and i",
            "my business partner and i",
        ],
    ) || find_word(l, "and i").is_some()
        && any(
            l,
            &[
                "share",
                "split",
                "both sell",
                "sell",
                "selling",
                "between us",
            ],
        )
    {
        return Some((2.0, "two of us".into()));
    }
    let nums = values::numbers(l);
    // `for the sales we are 2: me and my associate`.
    for n in &nums {
        let before = l[..n.start].trim_end();
        let after = l[n.end..].trim_start();
        if (before.ends_with("we are") || before.ends_with("we're"))
            && (after.is_empty() || after.starts_with([':', ',', '.', ';', '(']))
            && any(l, &["sales", "sell", "selling"])
            && (1.0..=50.0).contains(&n.value)
        {
            return Some((n.value, format!("we are {}", n.value)));
        }
    }
    // `8 in sales`, `3 who sell`.
    for n in &nums {
        let after = l[n.end..].trim_start();
        if [
            "in sales",
            "who sell",
            "selling",
            "sell",
            "people in sales",
            "on the sales team",
        ]
        .iter()
        .any(|w| after.starts_with(w))
            && (1.0..=500.0).contains(&n.value)
            && n.value.fract() == 0.0
        {
            return Some((n.value, format!("{} in sales", n.value)));
        }
    }
    // `a four-person agency`.
    for n in &nums {
        let after = &l[n.end..];
        if let Some(rest) = after
            .strip_prefix("-person")
            .or_else(|| after.strip_prefix(" person"))
        {
            let rest = rest.trim_start();
            if [
                "team",
                "business",
                "agency",
                "firm",
                "company",
                "studio",
                "practice",
                "shop",
                "consultancy",
            ]
            .iter()
            .any(|w| rest.starts_with(w))
                && n.value >= 1.0
                && n.value <= 500.0
            {
                return Some((
                    n.value,
                    format!(
                        "{}-person {}",
                        n.value,
                        rest.split_whitespace().next().unwrap_or("")
                    ),
                ));
            }
        }
    }
    for n in &nums {
        let after = l[n.end..].trim_start();
        let before = l[..n.start].trim_end();
        let after_words: Vec<&str> = after.split_whitespace().take(3).collect();
        let joined = after_words.join(" ");
        if let Some(role) = SELLERS.iter().find(|r| {
            joined.starts_with(*r)
                || after_words.len() >= 2
                    && after_words[1..].join(" ").starts_with(*r)
                    && matches!(
                        after_words[0],
                        "sales" | "full-time" | "part-time" | "senior" | "junior" | "experienced"
                    )
        }) {
            let people = matches!(*role, "people" | "of us");
            // `50 people` in a client, `6 people` at an event: only ours count.
            if people
                && !(before.ends_with("we are")
                    || before.ends_with("we're")
                    || before.ends_with("there are")
                    || before.ends_with("team of")
                    || before.ends_with("we have")
                    || before.ends_with("all")
                    || before.is_empty()
                        && *role == "of us"
                        && any(l, &["sell", "selling", "sales"])
                    || before.ends_with("the")
                    || before.ends_with(':'))
            {
                continue;
            }
            let ours = before.is_empty()
                || any(
                    before,
                    &[
                        "we are",
                        "we're",
                        "we have",
                        "team of",
                        "there are",
                        "our",
                        "with",
                        "employ",
                        "we",
                        "just the",
                        "only the",
                        "me and",
                    ],
                );
            if !people && !ours {
                continue;
            }
            if n.value >= 1.0 && n.value <= 500.0 && n.value.fract() == 0.0 {
                return Some((n.value, format!("{} {role}", n.value)));
            }
        }
    }
    None
}

/// `we have 48 active clients`, `48 customers on retainer`.
pub(super) fn customers(l: &str) -> Option<f64> {
    if any(
        l,
        &[
            "new clients",
            "new customers",
            "more clients",
            "more customers",
            "target",
            "goal",
            "want",
            "aim",
        ],
    ) {
        return None;
    }
    for n in values::numbers(l) {
        let after = l[n.end..].trim_start();
        let words: Vec<&str> = after.split_whitespace().take(2).collect();
        let noun = |w: &str| {
            let w = w.trim_end_matches([',', '.', ')']);
            matches!(w, "clients" | "customers" | "accounts")
        };
        let qualified = words.first().is_some_and(|w| {
            matches!(
                *w,
                "active"
                    | "current"
                    | "existing"
                    | "regular"
                    | "paying"
                    | "retained"
                    | "ongoing"
                    | "retainer"
                    | "repeat"
                    | "recurring"
            )
        });
        // `26 client companies`, `30 client firms`: a client is a company here.
        let client_org = words
            .first()
            .is_some_and(|w| matches!(*w, "client" | "customer"))
            && words.get(1).is_some_and(|w| {
                matches!(
                    w.trim_end_matches([',', '.', ')']),
                    "companies"
                        | "firms"
                        | "businesses"
                        | "organisations"
                        | "organizations"
                        | "accounts"
                )
            });
        let hit = words.first().is_some_and(|w| noun(w))
            || client_org
            || qualified && words.get(1).is_some_and(|w| noun(w));
        let before = l[..n.start].trim_end();
        // `30 clients on contract`, `22 clients on retainer`: customers today.
        let held = [
            "on contract",
            "on retainer",
            "under contract",
            "on a retainer",
            "signed up",
        ]
        .iter()
        .any(|w| after.contains(w));
        if hit
            && (qualified
                || held
                || any(
                    before,
                    &[
                        "we have",
                        "i have",
                        "we serve",
                        "i serve",
                        "we work with",
                        "i work with",
                        "we look after",
                        "currently",
                        "today",
                        "right now",
                        "at the moment",
                    ],
                ))
        {
            return Some(n.value);
        }
    }
    None
}

/// `most of our work comes from referrals and LinkedIn`.
pub(super) fn sources(l: &str) -> Option<Vec<String>> {
    let subject = any(
        l,
        &[
            "clients",
            "work",
            "business",
            "leads",
            "enquiries",
            "inquiries",
            "customers",
            "projects",
            "deals",
            "the rest",
        ],
    );
    if !subject {
        return None;
    }
    let (cue, at) = first_cue(
        l,
        &[
            "come from",
            "comes from",
            "came from",
            "come through",
            "comes through",
            "come via",
            "comes via",
            "through",
            "via",
        ],
    )?;
    // What follows the cue; a heading (`Where clients come from`) names no source.
    let rest = l[at + cue.len()..].trim_start();
    let rest = rest
        .strip_prefix("from ")
        .or_else(|| rest.strip_prefix("through "))
        .or_else(|| rest.strip_prefix("via "))
        .unwrap_or(rest);
    let rest = rest.split(['(', ':']).next().unwrap_or("");
    let list: Vec<String> = rest
        .split([',', '/'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" or "))
        .filter_map(|p| source_name(p.trim()))
        .collect();
    (!list.is_empty()).then_some(list)
}

/// One source's name from its words: `from happy clients` → `happy clients`, `two local
/// accounting firms who recommend us` → `local accounting firms`, `people who find us on Google`
/// → `Google`, `the monthly Chamber of Commerce breakfast in Leeds` → `monthly Chamber of
/// Commerce breakfast`; `where Priya is a regular` is no source.
fn source_name(p: &str) -> Option<String> {
    let p = p.trim_end_matches(['.', ';', '!']).trim();
    if p.starts_with("where ") || p.starts_with("when ") || p.starts_with("which ") {
        return None;
    }
    // `people who find us on Google`: the place is the source.
    for cue in [
        "find us on ",
        "find us through ",
        "find us via ",
        "find us in ",
    ] {
        if let Some(i) = p.find(cue) {
            return Some(p[i + cue.len()..].trim().to_string()).filter(|s| !s.is_empty());
        }
    }
    // "referrals from accountants and from happy clients": the second item's own preposition
    // is not part of its name.
    let mut p = p;
    for lead in [
        "from ",
        "through ",
        "via ",
        "mostly ",
        "mainly ",
        "our ",
        "my ",
        "the ",
        "two ",
        "three ",
        "four ",
        "a few ",
        "several ",
        "monthly ",
        "weekly ",
        "quarterly ",
        "annual ",
    ] {
        p = p.strip_prefix(lead).unwrap_or(p).trim_start();
    }
    // `2 local accounting firms` (number words arrive as digits): the count is not the name.
    if let Some((n, rest)) = p.split_once(' ')
        && n.chars().all(|c| c.is_ascii_digit())
    {
        p = rest.trim_start();
    }
    // A relative clause or a place ends the name.
    // `Google Ads on searches like "IT support"`: so does what it was found on or for.
    let cut = [
        " who ", " which ", " that ", " where ", " in ", " at ", " near ", " on ", " for ",
        " like ",
    ]
    .iter()
    .filter_map(|c| p.find(c))
    .min()
    .unwrap_or(p.len());
    let p = p[..cut].trim();
    // `three places, and they behave very differently`: a count of sources and a remark about
    // them name no source.
    let first = p.split_whitespace().next().unwrap_or("");
    let generic = matches!(
        p,
        "places" | "sources" | "channels" | "ways" | "things" | "directions" | "routes" | "areas"
    ) || matches!(
        first,
        "they"
            | "it"
            | "we"
            | "i"
            | "these"
            | "those"
            | "this"
            | "that"
            | "which"
            | "each"
            | "all"
            | "both"
    );
    (!p.is_empty()
        && !generic
        && p.split_whitespace().count() <= 4
        && !p.chars().any(|c| c.is_ascii_digit()))
    .then(|| p.to_string())
}
