//! Activities and channels the user will not use: `no cold calling`, `Not doing: tenders`.

use super::activity_of;

/// Labels that introduce a list of things not to do: `Not doing: ...`, `no_go: [...]`.
pub(super) const EXCLUDE_LABELS: &[&str] = &[
    "not doing",
    "won't do",
    "will not do",
    "we won't do",
    "i won't do",
    "no go",
    "no-go",
    "excluded",
    "exclusions",
    "exclude",
    "avoid",
    "never",
    "off limits",
    "off-limits",
    "don't do",
    "do not do",
    "not for us",
    "out of bounds",
    "no thanks",
    "do not",
    "dont",
    "don't",
    "we don't",
    "never do",
    "no way",
    "hard no",
];

pub(super) fn exclusions(l: &str) -> Vec<String> {
    let mut out = Vec::new();
    // A labelled list names its items outright, known activities or not.
    if let Some((label, items)) = l.split_once(':') {
        let label = label.trim().trim_start_matches("- ").replace('_', " ");
        if EXCLUDE_LABELS.contains(&label.as_str())
            || label.split_whitespace().count() <= 4 && crate::facts::vocab::negated(&label)
        {
            for item in items.split([',', ';']).flat_map(|p| p.split(" and ")) {
                let item = item
                    .split('(')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_end_matches('.');
                // A thing, not a remark: `the SRA wouldn't love it` names nothing to leave out.
                let remark = item.split_whitespace().any(|w| {
                    matches!(
                        w,
                        "i" | "we"
                            | "it"
                            | "they"
                            | "you"
                            | "he"
                            | "she"
                            | "would"
                            | "wouldn't"
                            | "will"
                            | "can"
                            | "is"
                            | "are"
                            | "was"
                            | "neither"
                            | "that"
                    )
                });
                let figure =
                    item.contains(['$', '€', '£']) || item.chars().any(|c| c.is_ascii_digit());
                if item.is_empty() || item.split_whitespace().count() > 6 || remark || figure {
                    continue;
                }
                let a = activity_of(item)
                    .map(str::to_string)
                    .unwrap_or_else(|| item.to_string());
                if !out.contains(&a) {
                    out.push(a);
                }
            }
            return out;
        }
    }
    for marker in [
        "no ",
        "not ",
        "never ",
        "avoid ",
        "don't ",
        "do not ",
        "won't ",
        "will not ",
        "without ",
        "refuse to ",
        "not interested in ",
        "stay away from ",
        "nor ",
    ] {
        let mut from = 0;
        while let Some(p) = l[from..].find(marker) {
            let at = from + p;
            from = at + marker.len();
            if at > 0 && l[..at].ends_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            let rest = &l[from..];
            let phrase: String = rest
                .split(['.', ';', '(', '!', '?'])
                .next()
                .unwrap_or("")
                .trim_start_matches("doing")
                .trim_start_matches("do")
                .trim_start_matches([':', ' '])
                .to_string();
            // `no more than 6 hours`, `not before March`: limits and dates are not activities.
            let p = phrase.trim_start();
            // `never discount more than 20%`, `no outbound to companies under 50`: a limit.
            let limit = [
                "more than",
                "less than",
                "below",
                "above",
                "under ",
                "over ",
                "beyond",
                "minimum",
                "maximum",
            ]
            .iter()
            .any(|w| p.contains(w))
                && p.chars().any(|c| c.is_ascii_digit() || "$€£".contains(c));
            if limit {
                continue;
            }
            if p.starts_with("more than")
                || p.starts_with("less than")
                || p.starts_with("fewer than")
                || p.starts_with("later")
                || phrase.trim_start().starts_with("later")
                || phrase.trim_start().starts_with("earlier")
            {
                continue;
            }
            for part in phrase
                .split([',', '/'])
                .flat_map(|p| p.split(" or "))
                .flat_map(|p| p.split(" and "))
            {
                let part = part
                    .trim()
                    .trim_start_matches("no ")
                    .trim_start_matches("do ")
                    .trim_start_matches("use ")
                    .trim_start_matches("any ")
                    .trim_start_matches("doing ")
                    .trim_start_matches("using ");
                if let Some(a) = activity_of(part)
                    && !out.iter().any(|x| x == a)
                {
                    out.push(a.to_string());
                }
            }
        }
    }
    out
}
