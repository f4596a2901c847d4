//! Agent references as missions write them: `@name`, `` `name` ``, bare `name` on role lines,
//! `name (think harder mode)`, `@name (if available)`, comma lists and `@a @b` on one line.

use crate::model::AgentRef;
use crate::text::char_col;

/// Names that follow an `@` in the corpus but are not agents (`@all agents`, `[@handle]`).
const FALSE_POSITIVES: &[&str] = &["all", "handle", "agent", "agents"];

/// True for a well-formed agent name: lower-case words joined by hyphens.
pub(crate) fn is_agent_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
}

/// Finds agent references in `value`, which starts at byte `offset` of `line` (line number
/// `line_no`). With `allow_bare`, a comma-separated list of bare names is accepted too (role
/// lines such as `**Lead Agent**: pipeline-management (think harder mode)`).
pub(crate) fn parse_agent_list(
    line: &str,
    line_no: usize,
    offset: usize,
    value: &str,
    allow_bare: bool,
) -> Vec<AgentRef> {
    let mut out = Vec::new();
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'@' {
            let prev_is_word =
                i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.');
            let end = scan_name(value, i + 1);
            let raw = &value[i + 1..end];
            let name = raw.to_ascii_lowercase();
            if !prev_is_word && is_agent_name(&name) && !FALSE_POSITIVES.contains(&name.as_str()) {
                let note = note_after(value, end);
                out.push(make_ref(line, line_no, offset + i, end - i, name, note));
            }
            i = end.max(i + 1);
        } else if c == b'`' {
            let close = value[i + 1..].find('`').map(|p| i + 1 + p);
            match close {
                Some(close) => {
                    let inner = value[i + 1..close].trim().trim_start_matches('@');
                    if is_agent_name(inner) && !inner.contains('/') {
                        let note = note_after(value, close + 1);
                        out.push(make_ref(
                            line,
                            line_no,
                            offset + i,
                            close + 1 - i,
                            inner.to_string(),
                            note,
                        ));
                    }
                    i = close + 1;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    if out.is_empty() && allow_bare {
        out = bare_list(line, line_no, offset, value);
    }
    dedup(out)
}

fn scan_name(s: &str, from: usize) -> usize {
    let b = s.as_bytes();
    let mut j = from;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b'_') {
        j += 1;
    }
    // A trailing hyphen belongs to prose ("@x- based"), not to the name.
    while j > from && b[j - 1] == b'-' {
        j -= 1;
    }
    j
}

/// A parenthetical right after a reference: `@x (if available)` gives `if available`.
fn note_after(value: &str, end: usize) -> Option<String> {
    let rest = value.get(end..)?.trim_start();
    let inner = rest.strip_prefix('(')?;
    let close = inner.find(')')?;
    let note = inner[..close].trim();
    (!note.is_empty()).then(|| note.to_string())
}

fn make_ref(
    line: &str,
    line_no: usize,
    byte: usize,
    width_bytes: usize,
    name: String,
    note: Option<String>,
) -> AgentRef {
    let column = char_col(line, byte);
    let width = line
        .get(byte..(byte + width_bytes).min(line.len()))
        .map(|s| s.chars().count())
        .unwrap_or(name.len());
    AgentRef {
        name,
        note,
        line: line_no,
        column,
        width,
    }
}

/// `pipeline-management (think harder mode), conversion-optimization`.
fn bare_list(line: &str, line_no: usize, offset: usize, value: &str) -> Vec<AgentRef> {
    let mut out = Vec::new();
    let mut start = 0;
    for item in value.split(',') {
        let item_start = start + (item.len() - item.trim_start().len());
        start += item.len() + 1;
        let item = item.trim();
        let first = item.split_whitespace().next().unwrap_or("");
        let rest = item[first.len()..].trim();
        // Only a name, optionally followed by a parenthetical note: anything else is prose.
        if !is_agent_name(first) || !(rest.is_empty() || rest.starts_with('(')) {
            return Vec::new();
        }
        let note = note_after(item, first.len());
        out.push(make_ref(
            line,
            line_no,
            offset + item_start,
            first.len(),
            first.to_string(),
            note,
        ));
    }
    out
}

fn dedup(refs: Vec<AgentRef>) -> Vec<AgentRef> {
    let mut seen = std::collections::BTreeSet::new();
    refs.into_iter()
        .filter(|r| seen.insert(r.name.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &str, bare: bool) -> Vec<(String, Option<String>)> {
        parse_agent_list(v, 1, 0, v, bare)
            .into_iter()
            .map(|r| (r.name, r.note))
            .collect()
    }

    #[test]
    fn at_names_and_notes() {
        assert_eq!(
            names("@architect (if available)", false),
            vec![("architect".into(), Some("if available".into()))]
        );
        assert_eq!(names("@a, @b-c, @d", false).len(), 3);
        assert_eq!(
            names("@architect @developer Review the plan", false).len(),
            2
        );
        assert!(names("mail me at x@y.com", false).is_empty());
        assert!(names("@all agents and [@handle]", false).is_empty());
    }

    #[test]
    fn backticked_and_bare() {
        assert_eq!(
            names("`multiplication-engine`", false)[0].0,
            "multiplication-engine"
        );
        assert!(names("`/documents/x.md`", false).is_empty());
        assert_eq!(
            names("pipeline-management (think harder mode)", true),
            vec![(
                "pipeline-management".into(),
                Some("think harder mode".into())
            )]
        );
        assert_eq!(names("brand-strategy, campaign-execution", true).len(), 2);
        assert!(names("Based on weak multiplier:", true).is_empty());
        assert!(names("brand-strategy", false).is_empty());
    }

    #[test]
    fn columns_are_in_characters() {
        let line = "**Lead**: → @x";
        let r = parse_agent_list(line, 3, 10, &line[10..], false);
        assert_eq!(r[0].column, 13);
        assert_eq!(r[0].width, 2);
    }
}
