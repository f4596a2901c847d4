//! The mission parser: Markdown text in, a [`Mission`] plus diagnostics out. It never panics and
//! never fails on content; what it cannot read becomes a diagnostic with a line and a fix.
//!
//! The document is cut into H2 sections (fence-aware). Sections are recognised by heading
//! (`Mission Objective`, `Required Inputs`, `Mission Phases` and its other names, `Success
//! Criteria`, ...); phases are read only inside a phases section (or from `## PHASE N:` H2s), so
//! phase-like headings elsewhere (`### Stage 1: Awareness`) are not phases.

mod agents;
mod phase;

use crate::diag::Diagnostic;
use crate::duration::Duration;
use crate::model::{
    AgentRef, ChassisGroup, ChassisImpact, Criterion, Input, InputFlag, LabelledText, MetaField,
    Mission, Phase, PhaseKind, Section, Variation,
};
use crate::text::{self, Line};
use std::path::Path;

pub(crate) use agents::is_agent_name;

/// The result of parsing one mission file.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The mission, with as much structure as the file has.
    pub mission: Mission,
    /// What the parser noticed, in line order.
    pub diagnostics: Vec<Diagnostic>,
    /// The text that was parsed, as read (for diagnostic excerpts and run copies).
    pub source: String,
}

impl Parsed {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// True when the file reads as a mission at all (a title plus phases, an objective, inputs
    /// or success criteria) rather than a README or an index page.
    pub fn looks_like_mission(&self) -> bool {
        let m = &self.mission;
        !m.title.is_empty()
            && (!m.phases.is_empty()
                || (m.objective.is_some()
                    && (!m.inputs.is_empty() || !m.success_criteria.is_empty())))
    }
}

/// State shared by the section parsers.
pub(crate) struct Ctx<'p> {
    pub path: &'p Path,
    pub diags: Vec<Diagnostic>,
}

/// Parses mission text. `path` is used for diagnostics and to name the mission (file stem).
pub fn parse_mission(src: &str, path: &Path) -> Parsed {
    let original = src;
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut ctx = Ctx {
        path,
        diags: Vec::new(),
    };
    let repaired = text::repair_mojibake(src);
    if let Some(fixed) = &repaired {
        let first = src
            .lines()
            .zip(fixed.lines())
            .position(|(a, b)| a != b)
            .map(|i| i + 1)
            .unwrap_or(1);
        let line = src.lines().nth(first - 1).unwrap_or("");
        ctx.diags.push(
            Diagnostic::new(
                crate::diag::Severity::Note,
                path,
                "repaired mis-decoded text (UTF-8 read as Windows-1252)",
            )
            .at(first, 0, 0, line)
            .help("re-save the file as UTF-8 to silence this note"),
        );
    }
    let src = repaired.as_deref().unwrap_or(src);
    let lines = text::lines(src);
    let mut mission = Mission {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: Some(path.to_path_buf()),
        ..Mission::default()
    };

    // Title: the first H1.
    let title_idx = lines
        .iter()
        .position(|l| matches!(text::heading(l), Some((1, _))));
    let body_start = match title_idx {
        Some(i) => {
            let (_, t) = text::heading(&lines[i]).unwrap_or((1, ""));
            let t = strip_title_prefix(t);
            let (title, deco) = text::split_decoration(t);
            mission.title = title.to_string();
            mission.title_decoration = deco.map(str::to_string);
            i + 1
        }
        None => {
            ctx.diags.push(
                Diagnostic::error(
                    path,
                    "no title: a mission starts with a `# Mission: Name` line",
                )
                .help("add `# Mission: <name>` as the first line"),
            );
            0
        }
    };

    // H2 section boundaries.
    let h2: Vec<usize> = (body_start..lines.len())
        .filter(|&i| matches!(text::heading(&lines[i]), Some((2, _))))
        .collect();
    let mut sections: Vec<(usize, usize)> = h2
        .iter()
        .enumerate()
        .map(|(k, &s)| (s, h2.get(k + 1).copied().unwrap_or(lines.len())))
        .collect();

    // An H2 right under the title is a subtitle, not a section.
    let mut header_end = sections.first().map(|s| s.0).unwrap_or(lines.len());
    if let Some(&(s, e)) = sections.first() {
        let only_blank_before = lines[body_start..s]
            .iter()
            .all(|l| l.text.trim().is_empty());
        let (_, t) = text::heading(&lines[s]).unwrap_or((2, ""));
        if only_blank_before && title_idx.is_some() && section_kind(t) == SectionKind::Other {
            mission.subtitle = Some(t.to_string());
            sections.remove(0);
            // The header meta of B/K missions sits between the subtitle and the next H2.
            header_end = sections.first().map(|x| x.0).unwrap_or(e);
        }
    }
    parse_header(&mut mission, &mut ctx, &lines[body_start..header_end]);

    for &(s, e) in &sections {
        let (_, heading) = text::heading(&lines[s]).unwrap_or((2, ""));
        let body = &lines[s + 1..e];
        match section_kind(heading) {
            SectionKind::Objective if mission.objective.is_none() => {
                mission.objective = paragraph_text(body);
            }
            SectionKind::Duration if mission.duration.is_none() => {
                mission.duration = body
                    .iter()
                    .find(|l| !l.fenced && !l.text.trim().is_empty())
                    .and_then(|l| Duration::parse(l.text));
            }
            SectionKind::Inputs => mission.inputs.extend(parse_inputs(body)),
            SectionKind::Agents => mission.agents.extend(parse_agent_items(body)),
            SectionKind::Phases => {
                let phases = parse_phase_container(&mut ctx, body);
                mission.phases.extend(phases);
            }
            SectionKind::PhaseH2 => {
                if let Some(h) = phase::classify(heading) {
                    let p = phase::parse_phase(&mut ctx, h, &lines[s..e]);
                    mission.phases.push(p);
                }
            }
            SectionKind::Criteria if mission.success_criteria.is_empty() => {
                mission.success_criteria = parse_criteria(body);
            }
            SectionKind::Chassis => mission.chassis_impact = Some(parse_chassis(body)),
            SectionKind::Variations => mission.variations = parse_variations(body),
            _ => mission.sections.push(Section {
                heading: heading.to_string(),
                body: raw_body(body),
                line: lines[s].no,
            }),
        }
        // `**Primary Agent:** @x` footers (family C) name a mission-level agent.
        for l in body.iter().filter(|l| !l.fenced) {
            for lab in text::labels(l.text) {
                if lab.label.eq_ignore_ascii_case("primary agent") {
                    let off = l.text.len() - l.text[byte_at(l.text, lab.value_col)..].len();
                    mission
                        .agents
                        .extend(agents::parse_agent_list(l.text, l.no, off, lab.value, true));
                }
            }
        }
    }
    dedup_agents(&mut mission.agents);
    check(&mission, &mut ctx, &lines);
    ctx.diags.sort_by_key(|d| d.line);
    Parsed {
        mission,
        diagnostics: ctx.diags,
        source: original.to_string(),
    }
}

fn strip_title_prefix(t: &str) -> &str {
    for p in ["Mission Sequence:", "Mission:", "Operation:"] {
        if t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)) {
            return t[p.len()..].trim();
        }
    }
    t.trim()
}

fn byte_at(line: &str, col: usize) -> usize {
    line.char_indices()
        .nth(col.saturating_sub(1))
        .map(|(b, _)| b)
        .unwrap_or(line.len())
}

/// Header meta: every bold label between the title and the first section.
fn parse_header(mission: &mut Mission, ctx: &mut Ctx<'_>, lines: &[Line<'_>]) {
    for l in lines.iter().filter(|l| !l.fenced) {
        for lab in text::labels(l.text) {
            let key = lab.label.trim();
            let value = lab.value.trim();
            mission.meta.push(MetaField {
                key: key.to_string(),
                value: value.to_string(),
                line: l.no,
            });
            match key.to_ascii_lowercase().as_str() {
                "mission type" | "type" => mission.mission_type = Some(value.to_string()),
                "duration" | "estimated duration" => match Duration::parse(value) {
                    Some(d) => mission.duration = Some(d),
                    None => ctx.diags.push(
                        Diagnostic::warning(ctx.path, format!("cannot read duration `{value}`"))
                            .at(l.no, lab.value_col, value.chars().count(), l.text)
                            .help(
                                "write it as `90 minutes`, `2-3 hours`, `1-2 weeks` or `Ongoing`",
                            ),
                    ),
                },
                "difficulty" | "complexity" => mission.difficulty = Some(value.to_string()),
                "value impact" | "expected impact" => {
                    mission.value_impact = Some(value.to_string())
                }
                "objective" if mission.objective.is_none() => {
                    mission.objective = Some(value.to_string())
                }
                "agent" | "primary agent" => {
                    let off = byte_at(l.text, lab.value_col);
                    mission
                        .agents
                        .extend(agents::parse_agent_list(l.text, l.no, off, value, true));
                }
                "squad required" => {
                    // `Operator, Tester, Developer`: capitalised role names without `@`.
                    let names: Vec<String> = value
                        .split(',')
                        .map(|s| s.trim().to_ascii_lowercase())
                        .collect();
                    if names.iter().all(|n| is_agent_name(n) && !n.contains(' ')) {
                        let col = lab.value_col;
                        mission
                            .agents
                            .extend(names.into_iter().map(|name| AgentRef {
                                width: name.len(),
                                name,
                                note: Some("squad".into()),
                                line: l.no,
                                column: col,
                            }));
                    }
                }
                _ => {}
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    Objective,
    Duration,
    Inputs,
    Agents,
    Phases,
    PhaseH2,
    Criteria,
    Chassis,
    Variations,
    Other,
}

fn section_kind(heading: &str) -> SectionKind {
    let (h, _) = text::split_decoration(heading);
    let h = h.trim().to_ascii_lowercase();
    let h = h.trim_end_matches(':');
    if phase::classify(heading).is_some_and(|p| p.kind == PhaseKind::Phase) {
        return SectionKind::PhaseH2;
    }
    match h {
        "mission objective" | "objective" | "mission objectives" => SectionKind::Objective,
        "duration" | "estimated duration" => SectionKind::Duration,
        "required agents" | "agent coordination" | "agents" => SectionKind::Agents,
        "mission phases"
        | "phases"
        | "process"
        | "mission workflow"
        | "workflow"
        | "sequential agent flow"
        | "execution steps"
        | "execution protocol"
        | "mission execution" => SectionKind::Phases,
        "success criteria" => SectionKind::Criteria,
        "business chassis impact" => SectionKind::Chassis,
        "common variations" | "variations" => SectionKind::Variations,
        _ if h.starts_with("required inputs") => SectionKind::Inputs,
        _ if h.starts_with("review sequence") => SectionKind::Phases,
        _ => SectionKind::Other,
    }
}

/// Phases inside a phases section: H3 phase headings (or H4 when there are no H3 ones); when no
/// heading has a phase keyword, every H3 is a phase.
fn parse_phase_container(ctx: &mut Ctx<'_>, body: &[Line<'_>]) -> Vec<Phase> {
    let heads = |level: usize| -> Vec<(usize, Option<phase::PhaseHeading>)> {
        body.iter()
            .enumerate()
            .filter_map(|(i, l)| match text::heading(l) {
                Some((lv, t)) if lv == level => Some((i, phase::classify(t))),
                _ => None,
            })
            .collect()
    };
    let mut level = 3;
    let mut found = heads(3);
    if !found.iter().any(|(_, h)| h.is_some()) {
        let h4 = heads(4);
        if h4.iter().any(|(_, h)| h.is_some()) {
            level = 4;
            found = h4;
        }
    }
    let keyworded = found.iter().any(|(_, h)| h.is_some());
    let mut out = Vec::new();
    for (k, (i, h)) in found.iter().enumerate() {
        let end = found.get(k + 1).map(|(j, _)| *j).unwrap_or(body.len());
        // A level-`level` heading that is not a phase still ends the previous phase.
        let h = match h {
            Some(h) => h.clone(),
            None if !keyworded => {
                let (_, t) = text::heading(&body[*i]).unwrap_or((level, ""));
                heading_phase(text::split_decoration(t).0, out.len() + 1)
            }
            None => continue,
        };
        out.push(phase::parse_phase(ctx, h, &body[*i..end]));
    }
    out
}

fn heading_phase(text: &str, position: usize) -> phase::PhaseHeading {
    // `Morning Check (5 minutes)`: keep the duration when the parenthetical is one.
    let (name, duration) = match (text.rfind('('), text.ends_with(')')) {
        (Some(open), true) => match Duration::parse(&text[open + 1..text.len() - 1]) {
            Some(d) => (text[..open].trim_end(), Some(d)),
            None => (text, None),
        },
        _ => (text, None),
    };
    phase::PhaseHeading {
        kind: PhaseKind::Heading,
        number: position.to_string(),
        name: name.to_string(),
        duration,
        qualifier: None,
    }
}

/// `1. **Sales Bible** (required) - Completed strategic sales foundation document`.
fn parse_inputs(body: &[Line<'_>]) -> Vec<Input> {
    let mut out = Vec::new();
    for l in body.iter().filter(|l| !l.fenced) {
        let Some(item) = text::list_item(l.text) else {
            continue;
        };
        if item.indent > 1 {
            continue;
        }
        let t = item.text;
        let (name, rest) = match t.strip_prefix("**").and_then(|r| r.split_once("**")) {
            Some((n, r)) => (n.trim().trim_end_matches(':').to_string(), r.trim()),
            None => match t.split_once(" - ") {
                Some((n, r)) => (n.trim().to_string(), r.trim()),
                None => (t.trim().to_string(), ""),
            },
        };
        // `Name (flag)` when the flag was written outside the bold or without bold.
        let (mut name, mut rest) = (name, rest);
        let mut flag = None;
        if let Some(open) = name.rfind(" (")
            && name.ends_with(')')
        {
            flag = Some(name[open + 2..name.len() - 1].to_string());
            name.truncate(open);
        }
        if flag.is_none()
            && let Some(r) = rest.strip_prefix('(')
            && let Some(close) = r.find(')')
        {
            flag = Some(r[..close].to_string());
            rest = r[close + 1..].trim();
        }
        let description = rest
            .trim_start_matches([':', '-', '–', '—'])
            .trim()
            .to_string();
        if name.is_empty() {
            continue;
        }
        out.push(Input {
            name,
            flag: flag
                .map(|f| InputFlag::parse(&f))
                .unwrap_or(InputFlag::Required),
            description,
            line: l.no,
        });
    }
    out
}

/// `- @chassis-intelligence (primary coordination)`, `` - `strategic-opportunity` (primary) ``.
fn parse_agent_items(body: &[Line<'_>]) -> Vec<AgentRef> {
    let mut out = Vec::new();
    for l in body.iter().filter(|l| !l.fenced) {
        if text::list_item(l.text).is_none() {
            continue;
        }
        let off = l.text.len() - l.text.trim_start().len();
        let refs = agents::parse_agent_list(l.text, l.no, off, &l.text[off..], false);
        out.extend(refs);
    }
    out
}

fn dedup_agents(agents: &mut Vec<AgentRef>) {
    let mut seen = std::collections::BTreeSet::new();
    agents.retain(|a| seen.insert(a.name.clone()));
}

/// `- [ ] text` or plain `- text` items, up to a `---` footer rule.
fn parse_criteria(body: &[Line<'_>]) -> Vec<Criterion> {
    let mut out = Vec::new();
    for l in body {
        if !l.fenced && l.text.trim() == "---" {
            break;
        }
        if l.fenced {
            continue;
        }
        let Some(item) = text::list_item(l.text) else {
            continue;
        };
        if item.indent > 1 {
            continue;
        }
        let (checked, t) = match item.text.get(..4) {
            Some("[ ] ") => (false, &item.text[4..]),
            Some("[x] ") | Some("[X] ") => (true, &item.text[4..]),
            _ => (false, item.text),
        };
        out.push(Criterion {
            text: t.trim().to_string(),
            checked,
            line: l.no,
        });
    }
    out
}

fn parse_chassis(body: &[Line<'_>]) -> ChassisImpact {
    let mut out = ChassisImpact::default();
    for l in body.iter().filter(|l| !l.fenced) {
        if let Some((_, h)) = text::heading(l) {
            out.groups.push(ChassisGroup {
                heading: h.to_string(),
                items: Vec::new(),
            });
            continue;
        }
        let labels = text::labels(l.text);
        let Some(lab) = labels.first() else {
            continue;
        };
        let pair = LabelledText {
            label: lab.label.to_string(),
            text: lab.value.to_string(),
        };
        match (text::list_item(l.text).is_some(), out.groups.last_mut()) {
            (true, Some(g)) => g.items.push(pair),
            _ => out.summary = Some(pair),
        }
    }
    out
}

fn parse_variations(body: &[Line<'_>]) -> Vec<Variation> {
    let mut out: Vec<Variation> = Vec::new();
    for l in body.iter().filter(|l| !l.fenced) {
        if let Some((_, h)) = text::heading(l) {
            out.push(Variation {
                name: h.to_string(),
                items: Vec::new(),
            });
        } else if let (Some(item), Some(v)) = (text::list_item(l.text), out.last_mut()) {
            v.items.push(item.text.to_string());
        }
    }
    out
}

/// The section's prose: paragraphs joined with blank lines, up to a `---` rule.
fn paragraph_text(body: &[Line<'_>]) -> Option<String> {
    let s = raw_body(body);
    (!s.is_empty()).then_some(s)
}

fn raw_body(body: &[Line<'_>]) -> String {
    let end = body
        .iter()
        .position(|l| !l.fenced && l.text.trim() == "---")
        .unwrap_or(body.len());
    let text: Vec<&str> = body[..end].iter().map(|l| l.text.trim_end()).collect();
    text.join("\n").trim().to_string()
}

/// Whole-mission checks that need every section parsed.
fn check(m: &Mission, ctx: &mut Ctx<'_>, lines: &[Line<'_>]) {
    if m.title.is_empty() {
        return;
    }
    let src_line = |no: usize| lines.get(no.wrapping_sub(1)).map(|l| l.text).unwrap_or("");
    if m.phases.is_empty() && (m.objective.is_some() || !m.inputs.is_empty()) {
        ctx.diags
            .push(Diagnostic::warning(ctx.path, "no phases found").help(
            "list phases as `### Phase 1: Name (30 minutes)` under a `## Mission Phases` heading",
        ));
    }
    for p in &m.phases {
        if p.lead.is_empty() && m.agents.is_empty() {
            ctx.diags.push(
                Diagnostic::warning(ctx.path, format!("{} has no lead agent", p.label()))
                    .at(p.line, 0, 0, src_line(p.line))
                    .help("add `**Lead**: @agent-name` under the phase heading"),
            );
        }
    }
    // Seed-format phases are numbered 1..n; a gap is usually a copy-paste slip.
    let numbered: Vec<(u64, &Phase)> = m
        .phases
        .iter()
        .filter(|p| p.kind == PhaseKind::Phase)
        .filter_map(|p| p.number.parse().ok().map(|n| (n, p)))
        .collect();
    for w in numbered.windows(2) {
        if w[1].0 != w[0].0 + 1 {
            ctx.diags.push(
                Diagnostic::warning(
                    ctx.path,
                    format!("phase {} follows phase {}", w[1].0, w[0].0),
                )
                .at(w[1].1.line, 0, 0, src_line(w[1].1.line))
                .help(format!("number it {}", w[0].0 + 1)),
            );
        }
    }
}

#[cfg(test)]
mod tests;
