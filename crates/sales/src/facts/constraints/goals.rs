//! Channel goals: a channel's share of new clients (`LinkedIn should bring a third`).

use crate::facts::prose::{any, find_word, restore_case};
use crate::facts::values;

pub(super) const CHANNELS: &[&str] = &[
    "linkedin",
    "referrals",
    "referral",
    "word of mouth",
    "website",
    "seo",
    "instagram",
    "facebook",
    "events",
    "partners",
    "partnerships",
    "newsletter",
    "email",
    "google",
    "networking",
    "trade shows",
    "webinars",
    "podcast",
    "youtube",
    "tiktok",
    "upwork",
    "directories",
    "outbound",
    "inbound",
    "content",
    "past clients",
    "repeat clients",
    "introductions",
];

/// `l` without its parenthetical remarks: `alumni (ex-candidates) should bring` → `alumni
/// should bring`.
pub(super) fn without_parens(l: &str) -> String {
    let mut out = String::with_capacity(l.len());
    let mut depth = 0;
    for c in l.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn channel_goal(sentence: &str, l: &str) -> Option<(String, f64)> {
    // `30% of new ARR sourced by state ed-tech co-ops`: a share of new business and its source.
    for via in [
        " sourced by ",
        " sourced from ",
        " coming from ",
        " from ",
        " through ",
        " via ",
    ] {
        if let Some(p) = l.find(via)
            && l[..p].contains(" of new ")
            && let Some(share) = values::percent(&l[..p]).filter(|s| *s > 0.0 && *s <= 1.0)
            && (l[..p].contains('%') || values::ratio(&l[..p]).is_some())
        {
            let ch: Vec<&str> = l[p + via.len()..]
                .split([',', '.', ';', '('])
                .next()
                .unwrap_or("")
                .split_whitespace()
                .filter(|w| !matches!(*w, "the" | "our" | "my"))
                .take(4)
                .collect();
            if !ch.is_empty() {
                return Some((restore_case(sentence, &ch.join(" ")), share));
            }
        }
    }
    // `Podcast guesting → 30% of new clients`: a channel and its share, written as a target.
    for sep in ["→", "->", ": "] {
        if let Some((a, b)) = l.split_once(sep) {
            let a = a
                .trim()
                .trim_start_matches("[ ]")
                .trim_start_matches("[x]")
                .trim();
            let b = b.trim();
            let share = if b.contains('%') {
                values::percent(b)
            } else {
                values::ratio(b)
            };
            if let Some(share) = share
                && b.contains(" of new ")
                && (1..=4).contains(&a.split_whitespace().count())
                && !any(
                    a,
                    &[
                        "goal",
                        "goals",
                        "target",
                        "targets",
                        "channel",
                        "aim",
                        "objective",
                    ],
                )
                && !a.chars().any(|c| c.is_ascii_digit())
                && share > 0.0
                && share <= 1.0
            {
                return Some((restore_case(sentence, a), share));
            }
        }
    }
    let stripped = without_parens(l);
    // A remark in parentheses can carry the goal itself: `25% (integrators should source a
    // quarter of new logos)`.
    let l = if any(
        &stripped,
        &[
            "should", "want", "aim", "goal", "target", "will", "rather", "like",
        ],
    ) {
        stripped.as_str()
    } else {
        l
    };
    if !any(
        l,
        &[
            "should", "want", "aim", "goal", "target", "expect", "will", "needs to", "must",
            "plan for", "rather", "like", "to bring", "hope",
        ],
    ) {
        return None;
    }
    let nouns = [
        "clients",
        "customers",
        "deals",
        "leads",
        "business",
        "work",
        "projects",
        "sales",
        "revenue",
        "enquiries",
        "inquiries",
        "bookings",
        "fleets",
        "accounts",
        "logos",
        "placements",
        "matters",
        "instructions",
        "cases",
        "patients",
        "orders",
        "members",
        "students",
        "contracts",
        "commissions",
        "weddings",
    ];
    if !any(l, &nouns) {
        return None;
    }
    let share = if l.contains('%') {
        values::percent(&l[l.find(|c: char| c.is_ascii_digit())?..])
    } else {
        values::ratio(l)
    }?;
    if share <= 0.0 || share > 1.0 {
        return None;
    }
    // `<channel> should bring a third of new clients`.
    let verbs = [
        "should bring",
        "will bring",
        "to bring",
        "brought in",
        "brings in",
        "bring in",
        "brought",
        "should deliver",
        "to deliver",
        "should produce",
        "should generate",
        "to generate",
        "should account for",
        "to account for",
        "should make up",
        "should provide",
        "should source",
        "should give",
        "should send",
        "to send",
        "should source",
        "to source",
        "brings",
        "bring",
        "to be",
        "should be",
        "to make up",
    ];
    if let Some((_, at)) = verbs
        .iter()
        .filter_map(|v| find_word(l, v).map(|p| (*v, p)))
        .min_by_key(|(_, p)| *p)
    {
        let before = l[..at].trim_end();
        // Without a label prefix or a parenthesis: the words just before the verb.
        let before = before.rsplit([':', ';', ')']).next().unwrap_or(before);
        let before = before.split('(').next().unwrap_or(before);
        // The clause the verb belongs to: `a mix where linkedin brings` → `linkedin`.
        let before = before.rsplit(',').next().unwrap_or(before);
        let before = [
            " where ", " that ", " which ", " so ", " and ", " when ", " if ", " but ", " for ",
            " is ",
        ]
        .iter()
        .filter_map(|w| before.rfind(w).map(|p| p + w.len()))
        .max()
        .map(|p| &before[p..])
        .unwrap_or(before);
        let words: Vec<&str> = before
            .split_whitespace()
            .filter(|w| {
                !matches!(
                    *w,
                    "i" | "we"
                        | "i'd"
                        | "we'd"
                        | "rather"
                        | "want"
                        | "would"
                        | "like"
                        | "the"
                        | "our"
                        | "my"
                        | "that"
                        | "to"
                )
            })
            .collect();
        let take: Vec<&str> = words.iter().rev().take(4).rev().copied().collect();
        let phrase = take.join(" ");
        // `which means the AEs need to be closing on their own`: a clause with its own verb
        // names no channel.
        let clause = take.iter().any(|w| {
            matches!(
                *w,
                "means"
                    | "need"
                    | "needs"
                    | "must"
                    | "have"
                    | "has"
                    | "should"
                    | "will"
                    | "can"
                    | "is"
                    | "are"
                    | "was"
                    | "were"
            )
        });
        if !phrase.is_empty() && !clause && !phrase.chars().any(|c| c.is_ascii_digit()) {
            let start = l[..at].rfind(take[0]).unwrap_or(0);
            let exact = &l[start..at].trim();
            return Some((restore_case(sentence, exact), share));
        }
        // `wms integrator referrals: 25% should source ...`: the label names the channel.
        if let Some((label, _)) = l[..at].split_once(':') {
            let label = label.trim();
            if !label.is_empty()
                && label.split_whitespace().count() <= 4
                && !any(label, &["goal", "target", "channel goal"])
            {
                return Some((restore_case(sentence, label), share));
            }
        }
    }
    // `40% of new clients should come from alumni`, `... come through our dev-shop partners`.
    if let Some((w, p)) = ["from", "through", "via"]
        .iter()
        .filter_map(|w| find_word(l, w).map(|p| (*w, p)))
        .min_by_key(|(_, p)| *p)
    {
        // `… should come through` with nothing after it names no channel.
        let rest = l.get(p + w.len() + 1..).unwrap_or("");
        let phrase: Vec<&str> = rest
            .split([',', '.', ';', '(', ')'])
            .next()
            .unwrap_or("")
            .split_whitespace()
            .filter(|w| !matches!(*w, "the" | "our" | "my") && w.parse::<f64>().is_err())
            .take(3)
            .collect();
        if !phrase.is_empty() {
            return Some((restore_case(sentence, &phrase.join(" ")), share));
        }
    }
    let (ch, _) = CHANNELS
        .iter()
        .filter_map(|c| find_word(l, c).map(|p| (*c, p)))
        .min_by_key(|(_, p)| *p)?;
    Some((restore_case(sentence, ch), share))
}
