//! Cross-file checks: every agent a mission names must be defined somewhere on the agent path.
//! Unknown phase agents are errors (the phase cannot be routed); unknown mission-level agents
//! (`## Required Agents`, footers) are warnings, since a phase may never use them; an agent marked
//! `(if available)` is optional and only noted.

use crate::diag::{Diagnostic, Severity};
use crate::model::{AgentRef, Mission};
use std::collections::BTreeSet;

/// The agent names defined on the agent search path.
pub type KnownAgents = BTreeSet<String>;

/// The closest known name, when it is close enough to be a typo.
pub fn suggest<'a>(name: &str, known: impl IntoIterator<Item = &'a String>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(name, k), k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 5) && *d < k.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

/// Diagnostics for agents the mission names that are not in `known`. `source` is the mission
/// text, for excerpts.
pub fn check_agents(mission: &Mission, known: &KnownAgents, source: &str) -> Vec<Diagnostic> {
    let path = mission.path.clone().unwrap_or_default();
    let lines: Vec<&str> = source.split('\n').collect();
    let mut out = Vec::new();
    let mut report = |r: &AgentRef, severity: Severity, role: &str| {
        if known.contains(&r.name) {
            return;
        }
        let optional = r
            .note
            .as_deref()
            .is_some_and(|n| n.contains("if available"));
        let severity = if optional { Severity::Note } else { severity };
        let msg = format!("unknown agent `@{}` ({role})", r.name);
        let help = match suggest(&r.name, known) {
            Some(s) => format!("did you mean `@{s}`?"),
            None => format!(
                "define it in `agents/{}.md`, or add the folder that defines it to `paths.agents` in coord.toml",
                r.name
            ),
        };
        let text = lines.get(r.line.wrapping_sub(1)).copied().unwrap_or("");
        out.push(
            Diagnostic::new(severity, &path, msg)
                .at(r.line, r.column, r.width.max(1), text)
                .help(help),
        );
    };
    for p in &mission.phases {
        for r in &p.lead {
            report(r, Severity::Error, &format!("lead of {}", p.label()));
        }
        for r in &p.support {
            report(r, Severity::Error, &format!("support in {}", p.label()));
        }
    }
    let phase_names: BTreeSet<&str> = mission
        .phases
        .iter()
        .flat_map(|p| p.lead.iter().chain(&p.support))
        .map(|r| r.name.as_str())
        .collect();
    for r in mission
        .agents
        .iter()
        .filter(|r| !phase_names.contains(r.name.as_str()))
    {
        report(r, Severity::Warning, "mission agent");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_mission;
    use std::path::Path;

    #[test]
    fn typo_gets_a_suggestion_and_a_column() {
        let src = "# Mission: X\n\n## Mission Phases\n\n### Phase 1: A (5 minutes)\n\n**Lead**: @pipline-management  \n**Support**: @x (if available)\n";
        let p = parse_mission(src, Path::new("x.md"));
        let known: KnownAgents = [
            "pipeline-management".to_string(),
            "revenue-operations".to_string(),
        ]
        .into();
        let d = check_agents(&p.mission, &known, src);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!((d[0].line, d[0].column, d[0].width), (7, 11, 19));
        assert_eq!(
            d[0].help.as_deref(),
            Some("did you mean `@pipeline-management`?")
        );
        assert_eq!(d[1].severity, Severity::Note);
    }

    #[test]
    fn suggestions_need_to_be_close() {
        let known: KnownAgents = ["developer".to_string()].into();
        assert_eq!(suggest("developr", &known), Some("developer"));
        assert_eq!(suggest("marketing-wizard", &known), None);
    }
}
