//! Phase headings and phase bodies: role lines, objective, the task fence, deliverables.

use super::Ctx;
use super::agents::{is_agent_name, parse_agent_list};
use crate::diag::Diagnostic;
use crate::duration::Duration;
use crate::model::{AgentRef, Phase, PhaseKind, TaskBlock};
use crate::text::{self, Line};

/// What a heading says about a phase, before its body is read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PhaseHeading {
    pub kind: PhaseKind,
    pub number: String,
    pub name: String,
    pub duration: Option<Duration>,
    pub qualifier: Option<String>,
}

/// Classifies a heading text as a phase heading: `Phase 1: Name (30 minutes)`, `PHASE 0: MODE
/// SELECTION`, `Step 3: Archive Existing (if updating) (5 min)`, `Days 2-3: X`, `Week 7-8: X`,
/// `Section 3: Core Values (3-5)`, `Step A1: Generate`, `1. Vision & Mission Review`.
/// `Phased Migration` and `Day 5 Completion Checklist:` are not phases.
pub(crate) fn classify(text: &str) -> Option<PhaseHeading> {
    let t = text.trim();
    if t.ends_with(':') {
        return None;
    }
    let (kind, number, rest) = keyword_form(t).or_else(|| numbered_form(t))?;
    let (name, duration, qualifier) = split_name(rest);
    Some(PhaseHeading {
        kind,
        number,
        name,
        duration,
        qualifier,
    })
}

fn keyword_form(t: &str) -> Option<(PhaseKind, String, &str)> {
    let (word, rest) = t.split_once(' ')?;
    let kind = match word.to_ascii_lowercase().as_str() {
        "phase" => PhaseKind::Phase,
        "step" => PhaseKind::Step,
        "day" | "days" => PhaseKind::Day,
        "week" | "weeks" => PhaseKind::Week,
        "section" => PhaseKind::Section,
        _ => return None,
    };
    let rest = rest.trim_start();
    let id_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '+'))
        .unwrap_or(rest.len());
    let id = &rest[..id_len];
    if !id.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let after = rest[id_len..].trim_start();
    let after = after.strip_prefix(':').unwrap_or(after).trim();
    Some((kind, id.to_string(), after))
}

fn numbered_form(t: &str) -> Option<(PhaseKind, String, &str)> {
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let rest = t[digits..].strip_prefix(". ")?;
    Some((PhaseKind::Numbered, t[..digits].to_string(), rest.trim()))
}

/// Splits `Name (dur) - SUFFIX *[x]*` into name, duration and qualifier. The duration is the last
/// parenthetical group before any suffix, and only if it reads as a duration.
fn split_name(rest: &str) -> (String, Option<Duration>, Option<String>) {
    let mut name = rest.trim();
    let mut qualifiers = Vec::new();
    // `*[If UI Required]*` or `[Optional]` suffix.
    loop {
        let stripped = name.trim_end_matches('*').trim_end();
        if stripped.ends_with(']')
            && let Some(open) = stripped.rfind('[')
        {
            qualifiers.push(stripped[open + 1..stripped.len() - 1].trim().to_string());
            name = stripped[..open].trim_end().trim_end_matches('*').trim_end();
            continue;
        }
        break;
    }
    // ` - IMMEDIATE ACTION` at parenthesis depth 0.
    if let Some(pos) = dash_at_depth_zero(name) {
        qualifiers.push(name[pos + 3..].trim().to_string());
        name = name[..pos].trim_end();
    }
    let mut duration = None;
    if name.ends_with(')')
        && let Some(open) = matching_open(name)
        && let Some(d) = Duration::parse(&name[open + 1..name.len() - 1])
    {
        duration = Some(d);
        name = name[..open].trim_end();
    }
    qualifiers.reverse();
    let qualifier = (!qualifiers.is_empty()).then(|| qualifiers.join("; "));
    (name.to_string(), duration, qualifier)
}

fn dash_at_depth_zero(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ' ' if depth == 0 && s[i..].starts_with(" - ") => return Some(i),
            _ => {}
        }
    }
    None
}

fn matching_open(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Which list the bullets after a label belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Collect {
    None,
    Deliverables,
    Steps,
    Criteria,
    Leads,
    Actions,
}

/// Reads one phase: `heading` at `lines[0]`, its body in the rest of `lines`.
pub(crate) fn parse_phase(ctx: &mut Ctx<'_>, h: PhaseHeading, lines: &[Line<'_>]) -> Phase {
    let mut phase = Phase {
        number: h.number,
        kind: h.kind,
        name: h.name,
        duration: h.duration,
        qualifier: h.qualifier,
        lead: Vec::new(),
        support: Vec::new(),
        objective: None,
        task: None,
        deliverables: Vec::new(),
        success_criteria: Vec::new(),
        subphases: Vec::new(),
        line: lines.first().map(|l| l.no).unwrap_or(0),
    };
    let mut fence_agents: Vec<AgentRef> = Vec::new();
    let mut loose_steps: Vec<String> = Vec::new();
    let mut collect = Collect::None;
    let mut collect_indent: Option<usize> = None;
    let mut i = 1;
    while i < lines.len() {
        let line = &lines[i];
        if line.fence_open {
            let end = lines[i + 1..]
                .iter()
                .position(|l| !l.fenced || l.fence_open)
                .map(|p| i + 1 + p)
                .unwrap_or(lines.len());
            if phase.task.is_none()
                && let Some((agents, task)) = task_block(line, &lines[i + 1..end])
            {
                fence_agents = agents;
                phase.task = Some(task);
            }
            i = end;
            continue;
        }
        i += 1;
        if line.fenced {
            continue;
        }
        if let Some((level, text)) = text::heading(line) {
            if level >= 4 {
                phase.subphases.push(text.to_string());
            }
            collect = Collect::None;
            continue;
        }
        let labels = text::labels(line.text);
        if !labels.is_empty() {
            collect = Collect::None;
            collect_indent = None;
            for l in &labels {
                let offset = byte_of_col(line.text, l.value_col);
                match role_of(l.label) {
                    Some(Role::Lead) => {
                        let refs = parse_agent_list(line.text, line.no, offset, l.value, true);
                        if refs.is_empty() {
                            // `**Agent**: Based on weak multiplier:` + conditional bullets.
                            collect = Collect::Leads;
                        }
                        phase.lead.extend(refs);
                    }
                    Some(Role::Support) => {
                        let refs = parse_agent_list(line.text, line.no, offset, l.value, true);
                        if refs.is_empty() && !l.value.is_empty() {
                            ctx.diags.push(
                                Diagnostic::warning(
                                    ctx.path,
                                    format!("no agent name in `**{}**:`", l.label),
                                )
                                .at(line.no, l.value_col, l.value.chars().count(), line.text)
                                .help("write agents as `@agent-name`, separated by commas"),
                            );
                        }
                        phase.support.extend(refs);
                    }
                    None => match label_kind(l.label) {
                        Some(LabelKind::Objective)
                            if phase.objective.is_none() && !l.value.is_empty() =>
                        {
                            phase.objective = Some(l.value.to_string());
                        }
                        Some(LabelKind::Deliverables) => {
                            if !l.value.is_empty() {
                                phase.deliverables.push(l.value.to_string());
                            }
                            collect = Collect::Deliverables;
                        }
                        Some(LabelKind::Steps) => {
                            if !l.value.is_empty() && phase.task.is_none() {
                                loose_steps.push(l.value.to_string());
                            }
                            collect = Collect::Steps;
                        }
                        Some(LabelKind::Criteria) => collect = Collect::Criteria,
                        Some(LabelKind::Actions) => collect = Collect::Actions,
                        Some(LabelKind::Duration) if phase.duration.is_none() => {
                            phase.duration = Duration::parse(l.value);
                        }
                        _ => {}
                    },
                }
            }
            continue;
        }
        let trimmed = line.text.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(item) = text::list_item(line.text) {
            let base = *collect_indent.get_or_insert(item.indent);
            if item.indent > base + 1 {
                continue; // nested detail under an item
            }
            let text = strip_checkbox(item.text);
            match collect {
                Collect::Deliverables => phase.deliverables.push(text.to_string()),
                Collect::Steps | Collect::None => loose_steps.push(text.to_string()),
                Collect::Criteria => phase.success_criteria.push(text.to_string()),
                Collect::Leads => {
                    let off = byte_of(line.text, item.text);
                    let mut refs = parse_agent_list(line.text, line.no, off, item.text, false);
                    if let Some(r) = refs.first_mut() {
                        let cond = item.text.split(':').next().unwrap_or("").trim();
                        r.note = (!cond.is_empty() && cond != item.text).then(|| cond.to_string());
                    }
                    phase.lead.extend(refs.into_iter().take(1));
                }
                Collect::Actions => {
                    let first = item.text.split_whitespace().next().unwrap_or("");
                    if let Some(name) = first.strip_prefix('@') {
                        let off = byte_of(line.text, item.text);
                        let refs = parse_agent_list(line.text, line.no, off, first, false);
                        if is_agent_name(name) {
                            fence_agents.extend(refs);
                        }
                    }
                }
            }
            continue;
        }
        if trimmed == "---" {
            collect = Collect::None;
            continue;
        }
        // A paragraph line ends any list being collected.
        collect = Collect::None;
        collect_indent = None;
    }
    if phase.task.is_none() && !loose_steps.is_empty() {
        phase.task = Some(TaskBlock {
            instruction: String::new(),
            steps: loose_steps,
            line: phase.line,
        });
    }
    // No role line: the agents named in the task fence (or agent actions) take the roles.
    if phase.lead.is_empty() && !fence_agents.is_empty() {
        let mut agents = dedup(fence_agents);
        let rest = agents.split_off(1);
        phase.lead = agents;
        if phase.support.is_empty() {
            phase.support = rest
                .into_iter()
                .filter(|r| !phase.lead.iter().any(|l| l.name == r.name))
                .collect();
        }
    }
    phase.lead = dedup(std::mem::take(&mut phase.lead));
    phase.support = dedup(std::mem::take(&mut phase.support))
        .into_iter()
        .filter(|r| !phase.lead.iter().any(|l| l.name == r.name))
        .collect();
    phase
}

fn dedup(refs: Vec<AgentRef>) -> Vec<AgentRef> {
    let mut seen = std::collections::BTreeSet::new();
    refs.into_iter()
        .filter(|r| seen.insert(r.name.clone()))
        .collect()
}

fn strip_checkbox(s: &str) -> &str {
    for p in ["[ ] ", "[x] ", "[X] "] {
        if let Some(r) = s.strip_prefix(p) {
            return r.trim();
        }
    }
    s
}

/// Byte offset of `part` (a subslice of `line`) within `line`.
fn byte_of(line: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(line.as_ptr() as usize)
}

fn byte_of_col(line: &str, col: usize) -> usize {
    line.char_indices()
        .nth(col.saturating_sub(1))
        .map(|(b, _)| b)
        .unwrap_or(line.len())
}

enum Role {
    Lead,
    Support,
}

fn role_of(label: &str) -> Option<Role> {
    let l = label.trim().to_ascii_lowercase();
    match l.as_str() {
        "lead" | "lead agent" | "lead agents" | "lead agent(s)" | "primary agent" | "agent"
        | "agents" => Some(Role::Lead),
        "support"
        | "support agent"
        | "support agents"
        | "support intelligence"
        | "supporting agents"
        | "supporting agent" => Some(Role::Support),
        _ => None,
    }
}

enum LabelKind {
    Objective,
    Deliverables,
    Steps,
    Criteria,
    Actions,
    Duration,
}

fn label_kind(label: &str) -> Option<LabelKind> {
    let l = label.trim().to_ascii_lowercase();
    Some(match l.as_str() {
        "objective" | "goal" => LabelKind::Objective,
        "deliverables" | "deliverable" | "expected output" | "expected outputs"
        | "expected outcomes" | "output" | "outputs" => LabelKind::Deliverables,
        "tasks" | "task" | "steps" | "activities" => LabelKind::Steps,
        "success criteria" => LabelKind::Criteria,
        "agent actions" => LabelKind::Actions,
        "duration" | "estimated duration" => LabelKind::Duration,
        _ => return None,
    })
}

/// Reads a fenced block as a task block when its first line names agents (`@lead Do this:`) or
/// it delegates with `Task(subagent_type='x', ...)`. Returns the agents it names and the block.
fn task_block(open: &Line<'_>, body: &[Line<'_>]) -> Option<(Vec<AgentRef>, TaskBlock)> {
    let first = body.iter().find(|l| !l.text.trim().is_empty())?;
    let first_text = first.text.trim_start();
    let sdk = body.iter().find_map(|l| subagent_type(l));
    if !first_text.starts_with('@') && sdk.is_none() {
        return None;
    }
    let mut agents = Vec::new();
    let mut instruction = String::new();
    let mut steps = Vec::new();
    for l in body {
        let t = l.text.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.starts_with('@') {
            // Leading `@a @b` words are agents; the rest of the line is the instruction.
            let mut rest = t;
            let mut line_agents = Vec::new();
            while let Some(word) = rest
                .split_whitespace()
                .next()
                .filter(|w| w.starts_with('@'))
            {
                let name = word.trim_start_matches('@').trim_end_matches([',', ':']);
                if !is_agent_name(name) {
                    break;
                }
                let off = byte_of(l.text, word);
                line_agents.extend(parse_agent_list(l.text, l.no, off, word, false));
                rest = rest[word.len()..].trim_start();
            }
            agents.extend(line_agents);
            if instruction.is_empty() {
                instruction = rest.trim_end_matches(':').trim().to_string();
            }
            continue;
        }
        if let Some(item) = text::list_item(l.text)
            && item.number.is_some()
        {
            let s = item
                .text
                .trim_end_matches("')")
                .trim_end_matches('\'')
                .trim();
            steps.push(s.to_string());
        }
    }
    if let Some((name, line_no, col)) = sdk {
        agents.push(AgentRef {
            width: name.len(),
            name,
            note: None,
            line: line_no,
            column: col,
        });
        if instruction.is_empty() {
            instruction = body
                .iter()
                .find_map(|l| quoted_arg(l.text, "description="))
                .unwrap_or_default();
        }
    }
    Some((
        agents,
        TaskBlock {
            instruction,
            steps,
            line: open.no,
        },
    ))
}

/// `Task(subagent_type='pipeline-management',` gives the name, line and column.
fn subagent_type(l: &Line<'_>) -> Option<(String, usize, usize)> {
    let pos = l.text.find("subagent_type=")?;
    let name = quoted_arg(l.text, "subagent_type=")?;
    is_agent_name(&name).then(|| (name, l.no, text::char_col(l.text, pos + 15)))
}

fn quoted_arg(s: &str, key: &str) -> Option<String> {
    let rest = &s[s.find(key)? + key.len()..];
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = &rest[1..];
    let end = inner.find(quote)?;
    Some(inner[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    type Shape = (
        PhaseKind,
        String,
        String,
        Option<(u64, u64)>,
        Option<String>,
    );

    fn h(t: &str) -> Option<Shape> {
        classify(t).map(|p| {
            (
                p.kind,
                p.number,
                p.name,
                p.duration.map(|d| (d.min_minutes, d.max_minutes)),
                p.qualifier,
            )
        })
    }

    #[test]
    fn seed_heading() {
        assert_eq!(
            h("Phase 1: Sales Initiatives and Strategy Development (30 minutes)"),
            Some((
                PhaseKind::Phase,
                "1".into(),
                "Sales Initiatives and Strategy Development".into(),
                Some((30, 30)),
                None
            ))
        );
    }

    #[test]
    fn suffixes_and_odd_parentheticals() {
        let p = h("Phase 1: Strategic Analysis (30-45 minutes) - IMMEDIATE ACTION").unwrap();
        assert_eq!(
            (p.2.as_str(), p.3, p.4.as_deref()),
            (
                "Strategic Analysis",
                Some((30, 45)),
                Some("IMMEDIATE ACTION")
            )
        );
        let p = h("Phase 3: Design & UX (1-2 hours) *[If UI Required]*").unwrap();
        assert_eq!(
            (p.2.as_str(), p.3, p.4.as_deref()),
            ("Design & UX", Some((60, 120)), Some("If UI Required"))
        );
        let p = h("Step 3: Archive Existing (if updating) (5 min)").unwrap();
        assert_eq!(
            (p.2.as_str(), p.3),
            ("Archive Existing (if updating)", Some((5, 5)))
        );
        let p = h("Section 3: Core Values (3-5)").unwrap();
        assert_eq!((p.2.as_str(), p.3), ("Core Values (3-5)", None));
        let p = h("Step A1: Generate Section 0 (At-a-Glance)").unwrap();
        assert_eq!(
            (p.1.as_str(), p.2.as_str()),
            ("A1", "Generate Section 0 (At-a-Glance)")
        );
        let p = h("Phase 1: Triage & Analysis (URGENT - In Progress)").unwrap();
        assert_eq!(p.2, "Triage & Analysis (URGENT - In Progress)");
        let p = h("Phase 6: CLAUDE.md Configuration (10 min)").unwrap();
        assert_eq!(
            (p.2.as_str(), p.3),
            ("CLAUDE.md Configuration", Some((10, 10)))
        );
    }

    #[test]
    fn other_keywords() {
        assert_eq!(
            h("PHASE 0: MODE SELECTION").map(|p| (p.0, p.1)),
            Some((PhaseKind::Phase, "0".into()))
        );
        assert_eq!(
            h("Day 1: Vision, Mission & Market (8 hours)").map(|p| p.3),
            Some(Some((480, 480)))
        );
        assert_eq!(
            h("Week 7-8: Integration").map(|p| p.1).as_deref(),
            Some("7-8")
        );
        assert_eq!(
            h("1. Vision & Mission Review").map(|p| p.0),
            Some(PhaseKind::Numbered)
        );
        assert_eq!(
            h("Phase 9: Monitor (Ongoing)").and_then(|p| p.3),
            Some((0, 0))
        );
    }

    #[test]
    fn not_phases() {
        assert_eq!(h("Phased Migration"), None);
        assert_eq!(h("Day 5 Completion Checklist:"), None);
        assert_eq!(h("Phase Overview"), None);
        assert_eq!(h("Quick Start"), None);
    }
}
