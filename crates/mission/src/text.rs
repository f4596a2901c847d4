//! Line-level view of a Markdown file: numbered lines, fence state, headings and bold labels.
//!
//! Why a line scanner and not a CommonMark AST: the mission grammar is line-oriented
//! (MISSION-FORMAT.md §9). Header meta lines without hard breaks merge into one paragraph in an
//! AST, `**Deliverable**:` directly under a list becomes a lazy continuation of the last item, and
//! fence-in-fence templates flip a strict CommonMark reader's fenced/unfenced state for the rest of
//! the file. A scanner that knows about fences (with a recovery rule for nested `markdown` fences)
//! and nothing else is both simpler and more faithful to how the files are written.

/// One line of the source, with its 1-based number and whether it sits inside a code fence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number in the file.
    pub no: usize,
    /// The text without its line ending.
    pub text: &'a str,
    /// True for lines inside a fenced block, and for the fence delimiters themselves.
    pub fenced: bool,
    /// True for the opening delimiter of a top-level fence.
    pub fence_open: bool,
}

/// Splits `src` into lines and marks which ones are fenced.
///
/// Fences open with three or more backticks or tildes at any indentation (fences are indented
/// inside list items and `Task(` strings in the corpus) and close with a delimiter of the same
/// character, at least as long, with no info string. Recovery rule for fence-in-fence: inside a
/// fence whose info string is `markdown`/`md`, a delimiter *with* an info string opens a nested
/// fence, so the inner closing delimiter does not close the outer block early.
pub fn lines(src: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    // Stack of open fences: (char, length, is_markdown).
    let mut stack: Vec<(char, usize, bool)> = Vec::new();
    for (i, raw) in src.split('\n').enumerate() {
        let text = raw.strip_suffix('\r').unwrap_or(raw);
        let no = i + 1;
        let fence = fence_delimiter(text);
        let mut fenced = !stack.is_empty();
        let mut fence_open = false;
        if let Some((ch, len, info)) = fence {
            match stack.last().copied() {
                None => {
                    stack.push((ch, len, is_markdown(info)));
                    fenced = true;
                    fence_open = true;
                }
                Some((open_ch, open_len, markdown)) => {
                    if info.is_empty() && ch == open_ch && len >= open_len {
                        stack.pop();
                    } else if markdown && !info.is_empty() {
                        stack.push((ch, len, is_markdown(info)));
                    }
                }
            }
        }
        out.push(Line {
            no,
            text,
            fenced,
            fence_open,
        });
    }
    // A file that ends with a newline yields one empty trailing "line"; drop it.
    if src.ends_with('\n') {
        out.pop();
    }
    out
}

fn is_markdown(info: &str) -> bool {
    matches!(info, "markdown" | "md")
}

/// Returns `(char, length, info string)` when `line` is a fence delimiter.
fn fence_delimiter(line: &str) -> Option<(char, usize, &str)> {
    let trimmed = line.trim_start();
    let ch = trimmed.chars().next()?;
    if ch != '`' && ch != '~' {
        return None;
    }
    let len = trimmed.chars().take_while(|&c| c == ch).count();
    if len < 3 {
        return None;
    }
    let info = trimmed[len..].trim();
    // A backtick fence's info string may not contain backticks (that is inline code).
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some((ch, len, info.split_whitespace().next().unwrap_or("")))
}

/// An ATX heading: level and trimmed text (trailing spaces and closing `#`s removed).
pub fn heading<'a>(line: &Line<'a>) -> Option<(usize, &'a str)> {
    if line.fenced {
        return None;
    }
    // ATX headings may be indented up to three spaces; deeper indentation is code or a list.
    let indent = line.text.len() - line.text.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let t = &line.text[indent..];
    let level = t.chars().take_while(|&c| c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &t[level..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    let text = rest.trim();
    let text = text.trim_end_matches('#').trim_end();
    Some((level, text))
}

/// One `**Label**: value` pair found on a line, with the column of the value (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label<'a> {
    /// The label without bold markers and colon.
    pub label: &'a str,
    /// The value, trimmed.
    pub value: &'a str,
    /// 1-based column of the value.
    pub value_col: usize,
}

/// Parses bold labels on a line: `**K:** v`, `**K**: v`, `**K:**` with no value, pipe-joined
/// pairs (`**A**: x | **B**: y`), with an optional leading list marker (`- **Lead**: @x`).
/// Returns an empty vector for lines that do not start with a bold label.
pub fn labels(line: &str) -> Vec<Label<'_>> {
    let mut out = Vec::new();
    let start = line.len() - line.trim_start().len();
    let mut rest_start = start;
    let body = &line[start..];
    if let Some(after) = body.strip_prefix("- ").or_else(|| body.strip_prefix("+ ")) {
        rest_start = line.len() - after.len();
    }
    let mut pos = rest_start;
    loop {
        let segment = &line[pos..];
        let Some(inner) = segment.strip_prefix("**") else {
            break;
        };
        let Some(close) = inner.find("**") else {
            break;
        };
        let raw_label = &inner[..close];
        let after = &inner[close + 2..];
        let (label, after) = if let Some(l) = raw_label.strip_suffix(':') {
            (l, after)
        } else if let Some(a) = after.strip_prefix(':') {
            (raw_label, a)
        } else {
            break;
        };
        let label = label.trim();
        if label.is_empty() {
            break;
        }
        let after_start = line.len() - after.len();
        // The value runs to the next ` | **` (a pipe-joined pair) or the end of the line.
        let (value_end, next) = match after.find(" | **") {
            Some(p) => (after_start + p, Some(after_start + p + 3)),
            None => (line.len(), None),
        };
        let raw_value = &line[after_start..value_end];
        let lead_ws = raw_value.len() - raw_value.trim_start().len();
        out.push(Label {
            label,
            value: raw_value.trim(),
            value_col: char_col(line, after_start + lead_ws),
        });
        match next {
            Some(n) => pos = n,
            None => break,
        }
    }
    out
}

/// 1-based column (in characters) of byte offset `byte` in `line`.
pub(crate) fn char_col(line: &str, byte: usize) -> usize {
    line[..byte.min(line.len())].chars().count() + 1
}

/// A list item: `- text`, `+ text`, `* text`, or `N. text` / `N) text`. Returns the item text.
pub fn list_item(line: &str) -> Option<ListItem<'_>> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    for marker in ["- ", "+ ", "* "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return Some(ListItem {
                indent,
                number: None,
                text: rest.trim(),
            });
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(ListItem {
                indent,
                number: t[..digits].parse().ok(),
                text: r.trim(),
            });
        }
    }
    None
}

/// A parsed list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem<'a> {
    /// Spaces before the marker.
    pub indent: usize,
    /// The number of an ordered item.
    pub number: Option<u32>,
    /// The item text, trimmed.
    pub text: &'a str,
}

/// Repairs text that was UTF-8, decoded as Windows-1252 and encoded as UTF-8 again ("mojibake",
/// e.g. `ðŸŽ¯` for 🎯). Each maximal run of non-ASCII characters is mapped back to the bytes it
/// came from; the run is replaced only when every character maps and the bytes form valid UTF-8
/// that differs from the run. Legitimate text is left alone: a lone `é` maps to a byte that is not
/// valid UTF-8 on its own, and characters outside Windows-1252 (`→`, `🛤️`) never map.
pub fn repair_mojibake(s: &str) -> Option<String> {
    if s.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String, changed: &mut bool| {
        if run.is_empty() {
            return;
        }
        match demojibake_run(run) {
            Some(fixed) => {
                out.push_str(&fixed);
                *changed = true;
            }
            None => out.push_str(run),
        }
        run.clear();
    };
    for c in s.chars() {
        if c.is_ascii() {
            flush(&mut run, &mut out, &mut changed);
            out.push(c);
        } else {
            run.push(c);
        }
    }
    flush(&mut run, &mut out, &mut changed);
    changed.then_some(out)
}

fn demojibake_run(run: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = run.chars().map(cp1252_byte).collect();
    let bytes = bytes?;
    let decoded = String::from_utf8(bytes).ok()?;
    (decoded != run).then_some(decoded)
}

/// The Windows-1252 byte a character encodes to, for the upper half of the code page.
fn cp1252_byte(c: char) -> Option<u8> {
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        // Undefined cp1252 slots pass through as C1 controls in lenient decoders.
        '\u{81}' | '\u{8D}' | '\u{8F}' | '\u{90}' | '\u{9D}' => c as u32 as u8,
        c if ('\u{A0}'..='\u{FF}').contains(&c) => c as u32 as u8,
        _ => return None,
    };
    Some(b)
}

/// Splits a title into its words and a trailing decoration (emoji, variation selectors).
pub(crate) fn split_decoration(title: &str) -> (&str, Option<&str>) {
    let trimmed = title.trim_end();
    let cut = trimmed
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_whitespace() || is_decoration(c))
        .last()
        .map(|(i, _)| i);
    match cut {
        Some(i) if i > 0 => {
            let deco = trimmed[i..].trim();
            (trimmed[..i].trim_end(), (!deco.is_empty()).then_some(deco))
        }
        _ => (trimmed, None),
    }
}

fn is_decoration(c: char) -> bool {
    !c.is_ascii() && !c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_mark_their_lines() {
        let src = "# T\n```bash\n### Phase 1: X\n```\n### Phase 2: Y";
        let ls = lines(src);
        assert_eq!(ls.len(), 5);
        assert!(!ls[0].fenced);
        assert!(ls[1].fenced && ls[1].fence_open);
        assert!(ls[2].fenced);
        assert!(ls[3].fenced);
        assert!(!ls[4].fenced);
        assert!(heading(&ls[2]).is_none());
        assert_eq!(heading(&ls[4]), Some((3, "Phase 2: Y")));
    }

    #[test]
    fn nested_fence_inside_markdown_fence_does_not_close_it() {
        let src = "```markdown\n# Inside\n```mermaid\ngraph\n```\n## Still inside\n```\n## Outside";
        let ls = lines(src);
        assert!(ls[5].fenced, "the inner close must not end the outer block");
        assert!(!ls[7].fenced);
    }

    #[test]
    fn indented_fences_count() {
        let ls = lines("1. item\n   ```markdown\n   ### Phase 1: X (In Progress)\n   ```\nafter");
        assert!(ls[2].fenced);
        assert!(!ls[4].fenced);
    }

    #[test]
    fn labels_both_colon_placements_and_pipes() {
        let l = labels("**Duration:** 90 minutes  ");
        assert_eq!(l[0].label, "Duration");
        assert_eq!(l[0].value, "90 minutes");
        let l = labels("**Lead**: @x  ");
        assert_eq!((l[0].label, l[0].value, l[0].value_col), ("Lead", "@x", 11));
        let l = labels("**Lead Agent**: brand-strategy | **Thinking Mode**: think harder  ");
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].value, "brand-strategy");
        assert_eq!(l[1].label, "Thinking Mode");
        assert_eq!(l[1].value, "think harder");
        let l = labels("- **Lead**: @campaign-execution");
        assert_eq!(l[0].label, "Lead");
        assert!(labels("**Bold text** without colon").is_empty());
        assert!(labels("plain").is_empty());
    }

    #[test]
    fn mojibake_is_repaired_and_good_text_is_kept() {
        assert_eq!(
            repair_mojibake("Sales Plan Development ðŸŽ¯").as_deref(),
            Some("Sales Plan Development 🎯")
        );
        assert_eq!(repair_mojibake("café → 🛤️"), None);
        assert_eq!(repair_mojibake("plain"), None);
        assert_eq!(repair_mojibake("â€” dash").as_deref(), Some("— dash"));
    }

    #[test]
    fn decoration_is_split_from_title() {
        assert_eq!(
            split_decoration("Customer Journey Optimization 🛤️"),
            ("Customer Journey Optimization", Some("🛤️"))
        );
        assert_eq!(
            split_decoration("Foundation (5-Day)"),
            ("Foundation (5-Day)", None)
        );
        assert_eq!(split_decoration("Café"), ("Café", None));
    }

    #[test]
    fn list_items() {
        assert_eq!(list_item("12. step").map(|i| i.number), Some(Some(12)));
        assert_eq!(list_item("- a").map(|i| i.text), Some("a"));
        assert_eq!(list_item("2024 was"), None);
    }
}
