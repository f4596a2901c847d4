//! Finding `label → value` pairs in context files, as people write them.
//!
//! Markdown: `**Label:** value` and `**Label**: value` (also in bullets and pipe-joined),
//! `- Label: value` and plain `Label: value` lines, YAML front matter, tables ([`crate::facts::tables`]:
//! label/value rows, the column that matches the plan's period, stage and package tables), and
//! the Operations Library blocks `**Stage N: Name**` (pipeline stages, with their criteria
//! bullets) and `**Package N: Name**` (with `- Price:`). TOML, YAML and JSON files: every scalar,
//! labelled by its key (`revenue_target` reads as "revenue target"), lists as lists, and a
//! trailing `# comment` as part of the value (`price = 400  # per month`).
//!
//! Every line that yields no labelled value is kept as prose (with its number) for the
//! sentence reader ([`crate::facts::prose`]); so are TOML and YAML comment lines.

use super::{tables, values};
use coord_mission::markdown;
use std::path::Path;

/// A labelled value found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The label as written.
    pub label: String,
    /// The value as written.
    pub value: String,
    /// 1-based line.
    pub line: usize,
    /// True for values from structured files and front matter (typed by the writer).
    pub structured: bool,
    /// A trailing comment on a structured file's line (`# per month`), which can carry the
    /// value's unit or scope.
    pub comment: Option<String>,
    /// The keys above it in a structured file (`target` for `[target] new_arr`).
    pub context: Option<String>,
    /// True for a structured list (its items are also prose lines of their own).
    pub from_list: bool,
}

/// A pipeline stage block from a Sales Bible.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StageBlock {
    /// `Discovery Call`.
    pub name: String,
    /// `Entry criteria:` bullet.
    pub entry: Option<String>,
    /// `Exit criteria:` / `Next stage criteria:` bullet.
    pub exit: Option<String>,
    /// `Objective:` bullet.
    pub objective: Option<String>,
    /// `Activities:` bullet.
    pub activities: Option<String>,
    /// The heading the block sits under (`Sales Pipeline`, `Sales Process Overview`).
    pub section: String,
    /// 1-based line.
    pub line: usize,
    /// `Conversion to next stage: 65%` inside the block: the value and its line.
    pub rate: Option<(String, usize)>,
    /// The stage's description in free words, on its own line (`Demo — one hour. Half of demos
    /// go on to a proposal.`): the rate it states is placed by what it names.
    pub said: Option<String>,
}

/// A priced package.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageBlock {
    /// `Operations Audit`.
    pub name: String,
    /// `$4,500`, as written.
    pub price: Option<String>,
    /// 1-based line of the price.
    pub line: usize,
    /// What the offer includes, when written on the price's own line (a list item); otherwise
    /// the lines under the price say it.
    pub detail: Option<String>,
}

/// Everything read from one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// Labelled values.
    pub pairs: Vec<Pair>,
    /// `**Stage N: Name**` blocks.
    pub stages: Vec<StageBlock>,
    /// `**Package N: Name**` blocks.
    pub packages: Vec<PackageBlock>,
    /// The whole text, lower case (for framework mentions).
    pub lower: String,
    /// Lines of prose (1-based line, text without list markers and emphasis), for the sentence
    /// reader.
    pub prose: Vec<(usize, String)>,
    /// The lines of `prose` that are headings (titles rank below the sentences under them).
    pub headings: Vec<usize>,
}

/// Reads a file's text according to its extension.
pub fn extract(path: &Path, text: &str) -> Extracted {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut out = Extracted {
        lower: text.to_lowercase(),
        ..Extracted::default()
    };
    match ext.as_str() {
        "toml" => {
            if let Ok(v) = text.parse::<toml::Table>()
                && let Ok(j) = serde_json::to_value(v)
            {
                structured(&j, text, &mut out);
            }
            comments(text, &mut out);
        }
        "yaml" | "yml" => {
            if let Ok(v) = serde_yaml_ng::from_str::<serde_json::Value>(text) {
                structured(&v, text, &mut out);
            }
            comments(text, &mut out);
        }
        "json" => {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
                structured(&v, text, &mut out);
            }
        }
        _ => markdown_pairs(text, &mut out),
    }
    out
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle) && !l.trim_start().starts_with('#'))
        .map(|i| i + 1)
        .unwrap_or(1)
}

/// A trailing `# comment` on a structured file's line: `price = 400  # per month`.
fn trailing_comment(text: &str, line: usize) -> Option<&str> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    // Outside quotes only.
    let mut quoted = None;
    for (i, c) in l.char_indices() {
        match (c, quoted) {
            ('"' | '\'', None) => quoted = Some(c),
            (q, Some(open)) if q == open => quoted = None,
            ('#', None) if i > 0 => return Some(l[i + 1..].trim()).filter(|c| !c.is_empty()),
            _ => {}
        }
    }
    None
}

/// Whole-line `#` comments of TOML and YAML files, kept as prose.
fn comments(text: &str, out: &mut Extracted) {
    let mut first = true;
    for (i, l) in text.lines().enumerate() {
        if let Some(c) = l.trim_start().strip_prefix('#') {
            let c = c.trim_start_matches('#').trim();
            if !c.is_empty() {
                out.prose.push((i + 1, c.to_string()));
                // The comment header is the file's title: it ranks below what the file states.
                if first {
                    out.headings.push(i + 1);
                }
            }
        }
        if !l.trim().is_empty() {
            first = false;
        }
    }
}

/// Flattens a structured document: `{revenue_target: 240000}` → ("revenue target", "240000").
/// Lists of scalars become comma-joined values; `stages` and `packages` fill their blocks.
fn structured(v: &serde_json::Value, text: &str, out: &mut Extracted) {
    structured_in(v, text, "", out);
}

/// A TOML date (`start_date = 2027-07-01`) arrives as `{"$__toml_private_datetime": "..."}`.
fn toml_date(v: &serde_json::Value) -> Option<&str> {
    v.as_object()
        .filter(|o| o.len() == 1)
        .and_then(|o| o.get("$__toml_private_datetime"))
        .and_then(|d| d.as_str())
}

fn structured_in(v: &serde_json::Value, text: &str, parent: &str, out: &mut Extracted) {
    let serde_json::Value::Object(map) = v else {
        return;
    };
    for (k, val) in map {
        let label = key_words(k);
        let line = line_of(text, k);
        if let Some(d) = toml_date(val) {
            out.pairs.push(Pair {
                label,
                value: d.to_string(),
                line,
                structured: true,
                comment: trailing_comment(text, line).map(str::to_string),
                context: (!parent.is_empty()).then(|| parent.to_string()),
                from_list: false,
            });
            continue;
        }
        let key_l = label.to_lowercase();
        match (key_l.as_str(), val) {
            ("stages" | "pipeline stages", serde_json::Value::Array(items)) => {
                for item in items {
                    let (name, entry, exit) = match item {
                        serde_json::Value::String(s) => (s.clone(), None, None),
                        serde_json::Value::Object(o) => (
                            o.get("name")
                                .and_then(|n| n.as_str())
                                .unwrap_or("")
                                .to_string(),
                            o.get("entry_criteria")
                                .and_then(|n| n.as_str())
                                .map(str::to_string),
                            o.get("exit_criteria")
                                .and_then(|n| n.as_str())
                                .map(str::to_string),
                        ),
                        _ => continue,
                    };
                    if !name.is_empty() {
                        out.stages.push(StageBlock {
                            line: line_of(text, &name),
                            name,
                            entry,
                            exit,
                            section: "Sales Pipeline".into(),
                            ..StageBlock::default()
                        });
                    }
                }
            }
            ("packages", serde_json::Value::Array(items)) => {
                for item in items {
                    if let serde_json::Value::Object(o) = item {
                        let name = o
                            .get("name")
                            .and_then(|n| n.as_str())
                            .unwrap_or("Package")
                            .to_string();
                        let price = o.get("price").map(scalar);
                        out.packages.push(PackageBlock {
                            line: line_of(text, &name),
                            name,
                            price,
                            detail: None,
                        });
                    }
                }
            }
            ("conversion rates" | "conversion", serde_json::Value::Object(rates)) => {
                for (pair, rate) in rates {
                    out.pairs.push(Pair {
                        label: pair.replace('_', " "),
                        value: scalar(rate),
                        line: line_of(text, pair),
                        structured: true,
                        comment: trailing_comment(text, line_of(text, pair)).map(str::to_string),
                        context: None,
                        from_list: false,
                    });
                }
            }
            (_, serde_json::Value::Object(_)) => {
                let path = if parent.is_empty() {
                    label.clone()
                } else {
                    format!("{parent} {label}")
                };
                structured_in(val, text, &path, out)
            }
            // `funnel: [{stage: Trial, to_next: 0.2}, ...]`: stages with their rates.
            (_, serde_json::Value::Array(items))
                if items.len() >= 2
                    && items.iter().all(|i| {
                        i.as_object().is_some_and(|o| {
                            o.keys().any(|k| {
                                matches!(
                                    key_words(k).to_lowercase().as_str(),
                                    "stage" | "name" | "step"
                                )
                            })
                        })
                    })
                    && items
                        .iter()
                        .filter(|i| {
                            i.as_object().is_some_and(|o| {
                                o.keys().any(|k| {
                                    let k = key_words(k).to_lowercase();
                                    k.contains("next") || k.contains("rate") || k.contains("conv")
                                })
                            })
                        })
                        .count()
                        >= 2
                    && ["funnel", "pipeline", "stages", "steps", "sales process"]
                        .iter()
                        .any(|w| key_l.contains(w)) =>
            {
                let names: Vec<(String, Option<String>)> = items
                    .iter()
                    .filter_map(|i| {
                        let o = i.as_object()?;
                        let name = o.iter().find(|(k, _)| {
                            matches!(
                                key_words(k).to_lowercase().as_str(),
                                "stage" | "name" | "step"
                            )
                        })?;
                        let rate = o
                            .iter()
                            .find(|(k, _)| {
                                let k = key_words(k).to_lowercase();
                                k.contains("next") || k.contains("rate") || k.contains("conv")
                            })
                            .map(|(_, v)| scalar(v))
                            .filter(|v| v != "null");
                        Some((scalar(name.1), rate))
                    })
                    .collect();
                for (k, (name, rate)) in names.iter().enumerate() {
                    out.stages.push(StageBlock {
                        name: name.clone(),
                        section: "Sales Pipeline".into(),
                        line: line_of(text, name),
                        ..StageBlock::default()
                    });
                    if let Some(r) = rate {
                        let next = names.get(k + 1).map(|n| n.0.as_str()).unwrap_or("won");
                        out.pairs.push(Pair {
                            label: format!("{name} → {next}"),
                            value: r.clone(),
                            line: line_of(text, name),
                            structured: true,
                            comment: None,
                            context: None,
                            from_list: false,
                        });
                    }
                }
            }
            // `team: [{name: Raj, hours: 12}, {name: Mei, hours: 32}]`: sellers and their hours.
            (_, serde_json::Value::Array(items))
                if items.len() >= 2
                    && [
                        "team",
                        "sellers",
                        "people",
                        "sales team",
                        "salespeople",
                        "reps",
                    ]
                    .contains(&key_l.as_str())
                    && items.iter().all(|i| {
                        i.as_object().is_some_and(|o| {
                            o.keys()
                                .any(|k| key_words(k).to_lowercase().contains("hour"))
                        })
                    }) =>
            {
                let hours: f64 = items
                    .iter()
                    .filter_map(|i| {
                        i.as_object()?
                            .iter()
                            .find(|(k, _)| key_words(k).to_lowercase().contains("hour"))
                            .and_then(|(_, v)| super::values::count_low(&scalar(v)))
                    })
                    .sum();
                for (label, value) in [
                    ("team size".to_string(), items.len().to_string()),
                    (
                        "selling hours per week (together)".to_string(),
                        format!("{hours}"),
                    ),
                ] {
                    out.pairs.push(Pair {
                        label,
                        value,
                        line,
                        structured: true,
                        comment: None,
                        context: None,
                        from_list: false,
                    });
                }
            }
            (_, serde_json::Value::Array(items)) => {
                let parts: Vec<String> = items.iter().map(item_text).collect();
                for p in &parts {
                    out.prose.push((line, format!("{label}: {p}")));
                }
                out.pairs.push(Pair {
                    label,
                    value: parts.join(", "),
                    line,
                    structured: true,
                    comment: None,
                    context: (!parent.is_empty()).then(|| parent.to_string()),
                    from_list: true,
                });
            }
            (_, other) => out.pairs.push(Pair {
                label,
                value: scalar(other),
                line,
                structured: true,
                comment: trailing_comment(text, line).map(str::to_string),
                context: (!parent.is_empty()).then(|| parent.to_string()),
                from_list: false,
            }),
        }
    }
}

/// A structured key in words: `revenue_target`, `revenue-target` and `revenueTarget` all read
/// as `revenue target`.
pub fn key_words(k: &str) -> String {
    // A key written as words (`on-site engagement weeks`, `2027-12-20 .. 2028-01-03`) keeps its
    // hyphens; an identifier (`revenue-target`) reads as words.
    let words = k.contains(' ');
    let mut out = String::with_capacity(k.len() + 4);
    let mut prev_lower = false;
    let chars: Vec<char> = k.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let digit_dash = c == '-'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c == '_' || c == '-' && !words && !digit_dash {
            out.push(' ');
            prev_lower = false;
        } else if c.is_uppercase() && prev_lower {
            out.push(' ');
            out.extend(c.to_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// One item of a structured list as text. An object reads as a sentence of its fields, shaped
/// when they say what it is: a dated item (`launch X in 2028-02`), a period with hours
/// (`2027-12-01 to 2027-12-24: 0 hours of selling`), a channel with its share (`X should bring
/// 40% of new clients`).
fn item_text(item: &serde_json::Value) -> String {
    let serde_json::Value::Object(o) = item else {
        return scalar(item);
    };
    let field = |names: &[&str]| {
        o.iter()
            .find(|(k, _)| names.contains(&key_words(k).to_lowercase().as_str()))
            .map(|(_, v)| scalar(v))
    };
    let text = field(&[
        "item",
        "what",
        "name",
        "title",
        "task",
        "goal",
        "milestone",
        "action",
        "description",
    ]);
    let when = field(&[
        "month", "quarter", "date", "when", "by", "due", "start", "period",
    ]);
    let hours = o
        .iter()
        .find(|(k, _)| key_words(k).to_lowercase().contains("hours"))
        .map(|(_, v)| scalar(v));
    let share = o
        .iter()
        .find(|(k, _)| {
            let k = key_words(k).to_lowercase();
            k.contains("share") || k.contains("percent") || k.contains("target")
        })
        .map(|(_, v)| scalar(v));
    let channel = field(&["channel", "source", "lead source"]);
    let why = field(&["why", "reason", "note", "notes"])
        .map(|w| format!(" ({w})"))
        .unwrap_or_default();
    if let (Some(from), Some(to), Some(h)) = (
        field(&["from", "start"]),
        field(&["to", "end", "until"]),
        &hours,
    ) {
        return format!("{from} to {to}: no more than {h} hours of selling a week{why}");
    }
    if let (Some(ch), Some(sh)) = (&channel, &share) {
        let pct = sh
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| *x <= 1.0)
            .map(|x| format!("{}%", x * 100.0))
            .unwrap_or_else(|| sh.clone());
        return format!("{ch} should bring {pct} of new clients{why}");
    }
    if let (Some(t), Some(w)) = (&text, &when) {
        return format!("{t} in {w}{why}");
    }
    o.iter()
        .map(|(k, v)| format!("{}: {}", key_words(k), scalar(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn markdown_pairs(text: &str, out: &mut Extracted) {
    let lines = markdown::lines(text);
    // YAML front matter.
    let mut start = 0;
    if lines.first().is_some_and(|l| l.text.trim_end() == "---")
        && let Some(end) = lines
            .iter()
            .skip(1)
            .position(|l| l.text.trim_end() == "---")
    {
        let yaml: String = lines[1..=end]
            .iter()
            .map(|l| format!("{}\n", l.text))
            .collect();
        if let Ok(v) = serde_yaml_ng::from_str::<serde_json::Value>(&yaml) {
            let mut fm = Extracted::default();
            structured(&v, text, &mut fm);
            out.pairs.extend(fm.pairs);
            out.stages.extend(fm.stages);
            out.packages.extend(fm.packages);
        }
        start = end + 2;
    }
    let mut section = String::new();
    let mut stage: Option<StageBlock> = None;
    let mut package: Option<PackageBlock> = None;
    let flush_stage = |stage: &mut Option<StageBlock>, out: &mut Extracted| {
        if let Some(s) = stage.take() {
            out.stages.push(s);
        }
    };
    let flush_package = |package: &mut Option<PackageBlock>, out: &mut Extracted| {
        if let Some(p) = package.take() {
            out.packages.push(p);
        }
    };
    let mut idx = start;
    while idx < lines.len() {
        let l = &lines[idx];
        idx += 1;
        if l.fenced {
            continue;
        }
        let t = l.text.trim();
        if let Some((_, h)) = markdown::heading(l) {
            section = h.to_string();
            flush_stage(&mut stage, out);
            flush_package(&mut package, out);
            out.prose.push((l.no, h.to_string()));
            out.headings.push(l.no);
            continue;
        }
        // A table pasted from a spreadsheet: tab-separated rows, the first one the header.
        if l.text.contains('\t') && !t.starts_with('|') {
            let rows: Vec<(usize, String)> = lines[idx - 1..]
                .iter()
                .take_while(|n| !n.fenced && n.text.contains('\t'))
                .map(|n| {
                    let cells: Vec<&str> = n.text.split('\t').map(str::trim).collect();
                    (n.no, format!("| {} |", cells.join(" | ")))
                })
                .collect();
            if rows.len() >= 2 {
                idx += rows.len() - 1;
                let width = rows[0].1.matches('|').count().saturating_sub(1).max(1);
                let sep = format!("|{}", "---|".repeat(width));
                let mut table: Vec<(usize, &str)> =
                    vec![(rows[0].0, rows[0].1.as_str()), (rows[0].0, sep.as_str())];
                table.extend(rows[1..].iter().map(|(n, r)| (*n, r.as_str())));
                flush_stage(&mut stage, out);
                flush_package(&mut package, out);
                tables::read(&table, &section, out);
                continue;
            }
        }
        // A table: read it whole.
        if t.starts_with('|') {
            let rows: Vec<(usize, &str)> = lines[idx - 1..]
                .iter()
                .take_while(|n| !n.fenced && n.text.trim().starts_with('|'))
                .map(|n| (n.no, n.text.trim()))
                .collect();
            idx += rows.len() - 1;
            flush_stage(&mut stage, out);
            flush_package(&mut package, out);
            tables::read(&rows, &section, out);
            continue;
        }
        // `**Stage 2: Discovery Call**` / `**Package 1: Operations Audit**` on a line of their own,
        // or with the stage's description after a dash (`**Stage 1: Meeting booked** — inbound
        // form or SDR. About 70% show up.`).
        let (bold, described) = match t.strip_prefix("**").and_then(|r| r.split_once("**")) {
            Some((inner, after)) if !after.trim().is_empty() => {
                let desc = after.trim_start();
                let desc = ["— ", "– ", "- ", ": ", ". "]
                    .iter()
                    .find_map(|d| desc.strip_prefix(d))
                    .map(str::trim);
                (desc.map(|_| inner), desc)
            }
            Some((inner, _)) => (Some(inner), None),
            None => (None, None),
        };
        if let Some(inner) = bold {
            let inner = inner.trim_end_matches(':');
            if let Some((kw, name)) = inner.split_once(':') {
                let kw = kw.trim().to_ascii_lowercase();
                let name = name.trim().trim_end_matches("**").trim();
                if kw.starts_with("stage ") && !name.is_empty() && !name.starts_with('[') {
                    flush_stage(&mut stage, out);
                    flush_package(&mut package, out);
                    stage = Some(StageBlock {
                        name: name.to_string(),
                        objective: described.map(str::to_string),
                        said: described.map(str::to_string),
                        section: section.clone(),
                        line: l.no,
                        ..StageBlock::default()
                    });
                    if let Some(d) = described {
                        out.prose.push((l.no, plain_text(d)));
                    }
                    continue;
                }
                if kw.starts_with("package ")
                    && described.is_none()
                    && !name.is_empty()
                    && !name.starts_with('[')
                {
                    flush_stage(&mut stage, out);
                    flush_package(&mut package, out);
                    package = Some(PackageBlock {
                        name: name.to_string(),
                        price: None,
                        line: l.no,
                        detail: None,
                    });
                    continue;
                }
            }
        }
        let mut found: Vec<(String, String)> = markdown::labels(l.text)
            .into_iter()
            .map(|lab| (lab.label.to_string(), lab.value.to_string()))
            .collect();
        // `**Primary ICP:**` alone on its line: the value is the paragraph below it.
        if let [(k, v)] = found.as_slice()
            && v.is_empty()
        {
            let next = lines[idx..]
                .iter()
                .take_while(|n| !n.fenced && markdown::heading(n).is_none())
                .find(|n| !n.text.trim().is_empty());
            if let Some(n) = next {
                let t = n.text.trim();
                if markdown::labels(n.text).is_empty() && markdown::list_item(n.text).is_none() {
                    found = vec![(k.clone(), t.to_string())];
                }
            }
        }
        // `**Primary Channel: Referrals from past clients**`: the whole pair in bold.
        if found.is_empty()
            && let Some((k, v)) = t
                .strip_prefix("**")
                .and_then(|r| r.strip_suffix("**"))
                .and_then(|inner| inner.split_once(':'))
            && !k.contains("**")
            && !v.trim().is_empty()
        {
            found.push((k.trim().to_string(), v.trim().to_string()));
        }
        // `- Label: value` and a plain `Label: value` line.
        if found.is_empty() {
            let body = markdown::list_item(l.text).map(|i| i.text).unwrap_or(t);
            let body = strip_form_code(body);
            if let Some((k, v)) = body.split_once(':')
                && is_label(k)
            {
                found.push((
                    k.trim().trim_matches('*').trim().to_string(),
                    v.trim().trim_matches('*').trim().to_string(),
                ));
            }
        }
        for (k, v) in &found {
            if let Some(s) = stage.as_mut() {
                let kl = k.to_ascii_lowercase();
                let v2 = v.clone();
                match kl.as_str() {
                    "entry criteria" | "entry" | "enters when" => s.entry = Some(v2),
                    "exit criteria" | "next stage criteria" | "exit" | "exits when" => {
                        s.exit = Some(v2)
                    }
                    "objective" | "goal" | "purpose" => s.objective = Some(v2),
                    "activities" => s.activities = Some(v2),
                    // The stage's own rate; a `win rate` in the block is the overall win rate.
                    k if (k.starts_with("conversion")
                        || k == "rate"
                        || k.starts_with("rate to")
                        || k.contains("to next"))
                        && !k.contains("win")
                        && !k.contains("close") =>
                    {
                        s.rate = Some((v2, l.no));
                        continue;
                    }
                    _ => {}
                }
            }
            if let Some(p) = package.as_mut()
                && k.eq_ignore_ascii_case("price")
                && p.price.is_none()
            {
                p.price = Some(v.clone());
                p.line = l.no;
                continue;
            }
            if v.is_empty() || v.starts_with('[') {
                continue; // an unfilled template slot
            }
            out.pairs.push(Pair {
                label: k.clone(),
                value: v.clone(),
                line: l.no,
                structured: false,
                comment: None,
                context: None,
                from_list: false,
            });
        }
        let plain = plain_text(l.text);
        if !plain.is_empty() {
            out.prose.push((l.no, plain));
        }
    }
    flush_stage(&mut stage, out);
    flush_package(&mut package, out);
    if out.stages.is_empty() {
        out.stages = bullet_stages(&lines[start..]);
    }
    place_described_rates(&mut out.stages);
    if out.packages.is_empty() {
        out.packages = bullet_packages(&lines[start..]);
    }
    // A rate written inside a stage block is that stage's rate to the next one.
    let rates: Vec<Pair> = out
        .stages
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let (v, line) = s.rate.clone()?;
            let next = out
                .stages
                .get(i + 1)
                .map(|n| n.name.clone())
                .unwrap_or_else(|| "won".into());
            Some(Pair {
                label: format!("{} → {next}", s.name),
                value: v,
                line,
                structured: false,
                comment: None,
                context: None,
                from_list: false,
            })
        })
        .collect();
    out.pairs.extend(rates);
}

/// Offers written as a list of names with their prices, under a heading or a line that says
/// they are what is sold: `- Planting plan — $6,000. One area, plant list`, `- Growth:
/// $1,800/month`, `- **Audit** – from $4,500`. The price must open the text after the name (a
/// `- Budget: $6,000` in a list of limits is no offer), and the list must be introduced as
/// offers, so a list of figures is not read as a menu.
fn bullet_packages(lines: &[markdown::Line<'_>]) -> Vec<PackageBlock> {
    let cue = |t: &str| {
        let t = t.to_lowercase();
        [
            "package",
            "packages",
            "what i sell",
            "what we sell",
            "we sell",
            "i sell",
            "offer",
            "offers",
            "offering",
            "service",
            "services",
            "pricing",
            "price",
            "prices",
            "tier",
            "tiers",
            "menu",
            "retainer",
            "retainers",
            "products",
            "plans",
            "fees",
        ]
        .iter()
        .any(|w| t.contains(w))
    };
    let item = |l: &markdown::Line<'_>| -> Option<(String, String, String)> {
        let it = markdown::list_item(l.text)?;
        let text = it.text.replace("**", "");
        let (name, rest) = [" — ", " – ", " - ", ": "]
            .iter()
            .filter_map(|sep| text.split_once(sep))
            .min_by_key(|(n, _)| n.len())?;
        let name = name.trim().trim_matches('"');
        let words = name.split_whitespace().count();
        if !(1..=6).contains(&words) || name.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let rest = rest.trim();
        let lead = [
            "about ", "around ", "roughly ", "from ", "usually ", "~", "approx. ",
        ];
        let priced = lead
            .iter()
            .find_map(|w| rest.to_lowercase().strip_prefix(w).map(|r| r.len()))
            .map(|n| &rest[rest.len() - n..])
            .unwrap_or(rest);
        if !priced.starts_with(['$', '€', '£']) && !priced.starts_with(|c: char| c.is_ascii_digit())
        {
            return None;
        }
        // The price is the first sentence; what follows says what is in it.
        let (price, detail) = match priced.find(". ") {
            Some(p) => (&priced[..p], priced[p + 2..].trim()),
            None => (priced.trim_end_matches('.'), ""),
        };
        values::money(price)?;
        Some((name.to_string(), price.to_string(), detail.to_string()))
    };
    cued_run(lines, 2, item, cue)
        .map(|run| {
            run.into_iter()
                .map(|(no, (name, price, detail))| PackageBlock {
                    name,
                    price: Some(price),
                    line: no,
                    detail: Some(detail),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The first run of at least `min` consecutive lines that `item` reads, introduced by a heading
/// or a line before it that `cue` accepts: each item with its line number.
fn cued_run<T>(
    lines: &[markdown::Line<'_>],
    min: usize,
    item: impl Fn(&markdown::Line<'_>) -> Option<T>,
    cue: impl Fn(&str) -> bool,
) -> Option<Vec<(usize, T)>> {
    let mut i = 0;
    let mut section = String::new();
    while i < lines.len() {
        if let Some((_, h)) = markdown::heading(&lines[i]) {
            section = h.to_string();
        }
        let run: Vec<(usize, T)> = lines[i..]
            .iter()
            .take_while(|l| !l.fenced)
            .map_while(|l| item(l).map(|x| (l.no, x)))
            .collect();
        if run.len() >= min {
            let before = lines[..i]
                .iter()
                .rev()
                .find(|l| !l.text.trim().is_empty())
                .map(|l| l.text)
                .unwrap_or("");
            if cue(&section) || cue(before) {
                return Some(run);
            }
            i += run.len();
        } else {
            i += 1;
        }
    }
    None
}

/// Places the rate a stage's own description states on the step it is about. `About a third of
/// phone chats turn into a paid consultation` under *Site consultation* is the rate into it, from
/// the stage before; `Roughly 40% of discoveries qualify` under *Discovery* is the rate out of it;
/// `about 60% of proposals are signed` under the last stage *Signed* is the rate into the
/// signature. A rate the block states with a label (`Conversion: 65%`) is kept as written.
fn place_described_rates(stages: &mut [StageBlock]) {
    use crate::stages::{kind_of, same_stage};
    let n = stages.len();
    if n < 2 {
        return;
    }
    let mentions = |sentence: &str, name: &str| {
        crate::stages::distinctive_words(name)
            .iter()
            .any(|w| sentence.contains(w.as_str()))
    };
    let mut placed: Vec<(usize, f64, usize)> = Vec::new();
    for k in 0..n {
        if stages[k].rate.is_some() {
            continue;
        }
        let Some((named, r, sentence)) = stages[k]
            .said
            .as_deref()
            .and_then(super::prose::described_rate)
        else {
            continue;
        };
        let name = |i: usize| stages[i].name.as_str();
        let (from, to) = named.unzip();
        let from_is = |i: usize| from.as_deref().is_some_and(|f| same_stage(f, name(i)));
        let to_is = |i: usize| to.as_deref().is_some_and(|t| same_stage(t, name(i)));
        let out_of_this = k == 0
            || from_is(k)
            || (k + 1 < n && (to_is(k + 1) || mentions(&sentence, name(k + 1))));
        let into = !out_of_this
            && (to_is(k)
                || from_is(k - 1)
                || mentions(&sentence, name(k - 1))
                || (k + 1 == n && kind_of(name(k)).1));
        match (into, k + 1 == n) {
            (true, _) => placed.push((k - 1, r, stages[k].line)),
            // The last stage's own rate is its rate to won, unless it is the signature itself.
            (false, true) if kind_of(name(k)).1 => {}
            (false, _) => placed.push((k, r, stages[k].line)),
        }
    }
    for (i, r, line) in placed {
        if stages[i].rate.is_none() {
            stages[i].rate = Some((format!("{}%", (r * 1000.0).round() / 10.0), line));
        }
    }
}

/// Stages written as a list of bold names with a description, under a heading or a line that
/// says they are the stages: `1. **Enquiry** - form on the website`, `- **Lead** – inbound form`.
fn bullet_stages(lines: &[markdown::Line<'_>]) -> Vec<StageBlock> {
    let cue = |t: &str| {
        let t = t.to_lowercase();
        [
            "stage",
            "step",
            "étape",
            "etape",
            "pipeline",
            "funnel",
            "process",
            "deal moves",
            "how i book",
            "how we book",
            "how we sell",
            "how i sell",
            "how a deal",
            "how a project",
            "how a sale",
            "how an engagement",
            "how clients buy",
            "how customers buy",
            "how people buy",
            "how it works",
            "buying journey",
            "customer journey",
            "usual path",
            "the path",
            "how it goes",
        ]
        .iter()
        .any(|w| t.contains(w))
    };
    let item = |l: &markdown::Line<'_>| -> Option<(String, String)> {
        // A bold name opening a line of its own is an item too (`**Demo** — one hour`).
        let bare = l.text.trim_start();
        let it = markdown::list_item(l.text).or_else(|| {
            bare.starts_with("**").then_some(markdown::ListItem {
                indent: 0,
                number: None,
                text: bare.trim_end(),
            })
        })?;
        // `- Site consultation: I go to the house`: a short name and what happens there.
        if it.number.is_none()
            && !it.text.starts_with("**")
            && let Some((name, desc)) = it.text.split_once(": ")
            && (1..=3).contains(&name.split_whitespace().count())
            && !name.chars().any(|c| c.is_ascii_digit())
            && desc.split_whitespace().count() >= 3
        {
            return Some((name.trim().to_string(), desc.trim().to_string()));
        }
        // `1. Subscriber`: a numbered list of short names.
        if it.number.is_some()
            && !it.text.contains(['*', ':', '(', '[', '|'])
            && (1..=4).contains(&it.text.split_whitespace().count())
            && !it.text.chars().any(|c| c.is_ascii_digit())
        {
            return Some((it.text.trim().to_string(), String::new()));
        }
        // `1. Premier contact: the client writes`: a numbered name with its description.
        if it.number.is_some()
            && !it.text.starts_with("**")
            && let Some((name, desc)) = it
                .text
                .split_once(": ")
                .or_else(|| it.text.split_once(" - "))
                .or_else(|| it.text.split_once(" — "))
                .or_else(|| it.text.split_once(" – "))
            && (1..=4).contains(&name.split_whitespace().count())
            && !name.chars().any(|c| c.is_ascii_digit())
        {
            return Some((name.trim().to_string(), desc.trim().to_string()));
        }
        let rest = it.text.strip_prefix("**")?;
        let (name, after) = rest.split_once("**")?;
        let after = after.trim_start();
        // `**Lead** – text`, `**Lead**: text`, `**Lead**. Text` or `**Lead.** Text`.
        let desc = after
            .strip_prefix("- ")
            .or_else(|| after.strip_prefix("– "))
            .or_else(|| after.strip_prefix("— "))
            .or_else(|| after.strip_prefix(": "))
            .or_else(|| after.strip_prefix(". "))
            .or_else(|| name.trim_end().ends_with(['.', ':']).then_some(after))?;
        let name = name.trim().trim_end_matches([':', '.']).trim();
        (!name.is_empty() && name.split_whitespace().count() <= 4)
            .then(|| (name.to_string(), desc.trim().to_string()))
    };
    cued_run(lines, 3, item, cue)
        .map(|run| {
            run.into_iter()
                .map(|(no, (n, d))| StageBlock {
                    name: n,
                    objective: (!d.is_empty()).then(|| d.clone()),
                    said: (!d.is_empty()).then_some(d),
                    section: "Sales Pipeline".into(),
                    line: no,
                    ..StageBlock::default()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A form's field code before its label: `B1. Revenue goal`, `3) Team size`, `Q4 - Budget`.
fn strip_form_code(s: &str) -> &str {
    let t = s.trim_start();
    let code_len = t
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_alphanumeric())
        .last()
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let code = &t[..code_len];
    let rest = &t[code_len..];
    let is_code = (1..=3).contains(&code.len())
        && code.chars().any(|c| c.is_ascii_digit())
        && code.chars().filter(|c| c.is_ascii_alphabetic()).count() <= 1;
    match rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
        Some(r) if is_code => r,
        _ => s,
    }
}

/// A label before a colon: a few words, no sentence punctuation, not a URL or a time.
fn is_label(k: &str) -> bool {
    let k = k.trim();
    let words = k.split_whitespace().count();
    (1..=7).contains(&words)
        && !k.contains("**")
        && (!k.ends_with(|c: char| c.is_ascii_digit())
            || k.rsplit(' ').next().is_some_and(|w| {
                let w = w.trim_start_matches("fy").trim_start_matches("FY");
                w.len() == 4 && w.parse::<u16>().is_ok_and(|y| (2000..=2100).contains(&y))
            }))
        && !k.contains(['.', '!', '?', '"'])
        && k.matches('(').count() == k.matches(')').count()
        && !k.to_ascii_lowercase().ends_with("http")
        && !k.to_ascii_lowercase().ends_with("https")
}

/// A line without list markers and emphasis: `- **Goal**: bring in $48k` → `Goal: bring in $48k`.
pub fn plain_text(line: &str) -> String {
    let t = markdown::list_item(line)
        .map(|i| i.text)
        .unwrap_or(line.trim());
    let t = t.strip_prefix("> ").unwrap_or(t);
    t.replace("**", "").replace('`', "").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_forms() {
        let text = "---\ninput: Business Objectives\nrevenue_target: 240000\n---\n# Goals\n\n**Sales cycle:** 45 days  \n- Revenue target: $180,000\n- **Gross margin**: 70% | **Team size**: 3\n\n| Stage | Conversion |\n|---|---|\n| Intro → Call | 35% |\n\n```\n- Budget: 1\n```\n";
        let e = extract(Path::new("g.md"), text);
        let pairs: Vec<(&str, &str, usize)> = e
            .pairs
            .iter()
            .map(|p| (p.label.as_str(), p.value.as_str(), p.line))
            .collect();
        assert!(pairs.contains(&("revenue target", "240000", 3)));
        assert!(pairs.contains(&("Sales cycle", "45 days", 7)));
        assert!(pairs.contains(&("Revenue target", "$180,000", 8)));
        assert!(pairs.contains(&("Gross margin", "70%", 9)));
        assert!(pairs.contains(&("Team size", "3", 9)));
        assert!(pairs.contains(&("Intro → Call", "35%", 13)));
        assert!(!pairs.iter().any(|p| p.0 == "Stage"), "header row skipped");
        assert!(
            !pairs.iter().any(|p| p.0 == "Budget"),
            "fenced lines skipped"
        );
    }

    #[test]
    fn stage_and_package_blocks() {
        let text = "## Sales Pipeline\n\n**Stage 1: Introduction**\n- Entry criteria: warm intro\n- Exit criteria: call booked\n\n**Stage 2: [Stage Name]**\n\n**Package 1: Audit**\n- Price: $4,500\n";
        let e = extract(Path::new("b.md"), text);
        assert_eq!(e.stages.len(), 1);
        assert_eq!(e.stages[0].name, "Introduction");
        assert_eq!(e.stages[0].entry.as_deref(), Some("warm intro"));
        assert_eq!(e.stages[0].section, "Sales Pipeline");
        assert_eq!(e.packages[0].price.as_deref(), Some("$4,500"));
        assert_eq!(e.packages[0].line, 10);
    }

    /// A reviewer's Sales Bible: a numbered list of bold names ending in a full stop, each
    /// saying in words how many go on (`About half … get that far`, `two out of three do`).
    #[test]
    fn numbered_bold_stages_with_their_rates_in_words() {
        let text = "Every new opportunity goes through five stages in HubSpot.\n\n1. **Inquiry.** Someone fills in the web form. About half of the inquiries we reach get that far.\n2. **Intro Call.** A short call. It moves on when they agree to an assessment; roughly two out of three do.\n3. **Network Assessment.** Three hours on site. We send a proposal nine times out of ten.\n4. **Proposal.** Walked through in person. Last year we won 35% of proposals.\n5. **Signed.** Agreement signed.\n";
        let e = extract(Path::new("b.md"), text);
        let names: Vec<&str> = e.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Inquiry",
                "Intro Call",
                "Network Assessment",
                "Proposal",
                "Signed"
            ]
        );
        let rates: Vec<Option<&str>> = e
            .stages
            .iter()
            .map(|s| s.rate.as_ref().map(|r| r.0.as_str()))
            .collect();
        assert_eq!(
            rates,
            [Some("50%"), Some("66.7%"), Some("90%"), Some("35%"), None]
        );
    }

    /// Stage lines with their description after a dash, each rate placed by what its sentence
    /// names: out of the stage it counts (`40% of discoveries qualify`), into the one it ends in
    /// (`a third of phone chats turn into a paid consultation`).
    #[test]
    fn described_stages_place_their_rates_by_what_they_name() {
        let text = "Stages:\n\n**Stage 1: Meeting booked** — SDR or inbound form. About 70% of booked meetings actually show up.\n**Stage 2: Discovery** — 30-minute call. Roughly 40% of discoveries qualify.\n**Stage 3: Demo** — one hour. Half of demos go on to a proposal.\n**Stage 4: Proposal** — pricing and security review.\n";
        let e = extract(Path::new("b.md"), text);
        let names: Vec<&str> = e.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Meeting booked", "Discovery", "Demo", "Proposal"]);
        let rates: Vec<Option<&str>> = e
            .stages
            .iter()
            .map(|s| s.rate.as_ref().map(|r| r.0.as_str()))
            .collect();
        assert_eq!(rates, [Some("70%"), Some("40%"), Some("50%"), None]);
        let text = "How a project happens:\n- Enquiry: an email or a phone call. I do a 20-minute phone chat.\n- Site consultation: I go to the house, 90 minutes. About a third of phone chats turn into a paid consultation.\n- Proposal: I send a written scope. Almost everyone who pays for a consultation gets a proposal — call it 85%.\n- Signed: about 60% of proposals are signed.\n";
        let e = extract(Path::new("c.md"), text);
        let names: Vec<&str> = e.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["Enquiry", "Site consultation", "Proposal", "Signed"]
        );
        let rates: Vec<Option<&str>> = e
            .stages
            .iter()
            .map(|s| s.rate.as_ref().map(|r| r.0.as_str()))
            .collect();
        assert_eq!(rates, [Some("33.3%"), Some("85%"), Some("60%"), None]);
        // A list of limits is no pipeline, and a deposit is no rate.
        let e = extract(
            Path::new("r.md"),
            "Limits:\n- Budget: $6,000 for the year\n- Hours: 20 a week at most\n- Tools: HubSpot free CRM\n",
        );
        assert!(e.stages.is_empty(), "{:?}", e.stages);
    }

    #[test]
    fn a_priced_list_is_the_package_menu() {
        let text = "What I sell:\n- Planting plan — $6,000. One area, plant list.\n- Full-yard design — about $14k. Concept, two revisions.\n- **Oversight**: $25,000\n\nLimits:\n- Budget: $6,000\n- Cap: $2,000 a month\n";
        let e = extract(Path::new("p.md"), text);
        let got: Vec<(&str, Option<&str>, Option<&str>)> = e
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.price.as_deref(), p.detail.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Planting plan",
                    Some("$6,000"),
                    Some("One area, plant list.")
                ),
                (
                    "Full-yard design",
                    Some("$14k"),
                    Some("Concept, two revisions.")
                ),
                ("Oversight", Some("$25,000"), Some("")),
            ]
        );
    }

    #[test]
    fn structured_files() {
        let e = extract(
            Path::new("o.toml"),
            "revenue_target = \"$2.4M\"\n[team]\nteam_size = 6\n[conversion_rates]\n\"Lead → SQL\" = 0.2\n",
        );
        let labels: Vec<&str> = e.pairs.iter().map(|p| p.label.as_str()).collect();
        assert!(
            labels.contains(&"revenue target")
                && labels.contains(&"team size")
                && labels.contains(&"Lead → SQL")
        );
        let y = extract(
            Path::new("o.yaml"),
            "lead_sources: [referrals, events]\nstages:\n  - Lead\n  - SQL\n",
        );
        assert_eq!(y.pairs[0].value, "referrals, events");
        assert_eq!(y.stages.len(), 2);
        let j = extract(Path::new("o.json"), "{\"average_deal_size\": 12000}");
        assert_eq!(j.pairs[0].value, "12000");
    }
}
