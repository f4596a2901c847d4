//! The read-only commands: `missions`, `show`, `plan`, `agents`. Text goes to stdout; `--json`
//! prints the underlying model instead.

use super::{Ctx, request};
use crate::args::Target;
use crate::{EXIT_INPUT, EXIT_OK};
use coord_core::catalog::{self, AgentCatalog};
use coord_core::plan::{BackendChoice, spec_for};
use coord_mission::Mission;
use std::fmt::Write as _;

fn emit(ctx: &mut Ctx<'_>, s: &str) {
    let _ = ctx.io.out.write_all(s.as_bytes());
}

fn json(ctx: &mut Ctx<'_>, v: &impl serde::Serialize) {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    emit(ctx, &s);
}

pub(crate) fn missions(ctx: &mut Ctx<'_>, as_json: bool) -> Result<i32, coord_core::Error> {
    let roots = catalog::mission_roots(&ctx.io.cwd, &ctx.settings.paths.missions);
    let mut rows = Vec::new();
    for m in catalog::list_missions(&roots, ctx.registry.builtins()) {
        let Ok(p) = catalog::load(&m.path, ctx.registry.builtins()) else {
            continue;
        };
        if !p.looks_like_mission() {
            continue;
        }
        rows.push((m, p.mission));
    }
    if as_json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|(e, m)| {
                serde_json::json!({
                    "name": e.name, "title": m.title, "phases": m.phases.len(),
                    "duration_minutes": m.total_duration().map(|d| [d.min_minutes, d.max_minutes]),
                    "path": e.path,
                })
            })
            .collect();
        json(ctx, &v);
        return Ok(EXIT_OK);
    }
    if rows.is_empty() {
        let dirs: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
        ctx.rep
            .line(&format!("no missions found in {}", dirs.join(", ")));
        return Ok(EXIT_OK);
    }
    let w = rows
        .iter()
        .map(|(e, _)| e.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let tw = rows
        .iter()
        .map(|(_, m)| m.title.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut s = format!("{:w$}  {:tw$}  PHASES  DURATION  FILE\n", "NAME", "TITLE");
    for (e, m) in &rows {
        let d = m
            .total_duration()
            .map(|d| d.display_minutes())
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            s,
            "{:w$}  {:tw$}  {:>6}  {d:8}  {}",
            e.name,
            m.title,
            m.phases.len(),
            ctx.rep.rel(&e.path).display()
        );
    }
    emit(ctx, &s);
    Ok(EXIT_OK)
}

fn load(
    ctx: &Ctx<'_>,
    arg: &str,
) -> Result<(std::path::PathBuf, coord_mission::Parsed), coord_core::Error> {
    let roots = catalog::mission_roots(&ctx.io.cwd, &ctx.settings.paths.missions);
    let direct = ctx.io.cwd.join(arg);
    let path = if direct.is_file() {
        direct
    } else {
        catalog::find_mission(arg, &roots, ctx.registry.builtins())?
    };
    let parsed = catalog::load(&path, ctx.registry.builtins())?;
    Ok((path, parsed))
}

pub(crate) fn show(ctx: &mut Ctx<'_>, arg: &str, as_json: bool) -> Result<i32, coord_core::Error> {
    let (path, parsed) = load(ctx, arg)?;
    for d in parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity != coord_mission::Severity::Note)
    {
        ctx.rep.diagnostic(d);
    }
    if as_json {
        json(ctx, &parsed.mission);
    } else {
        let facts = ctx
            .registry
            .pack(&parsed.mission)
            .map(|p| p.input_facts(&parsed.mission))
            .unwrap_or_default();
        let s = render_mission(&parsed.mission, &ctx.rep.rel(&path), &facts);
        emit(ctx, &s);
    }
    Ok(if parsed.has_errors() {
        EXIT_INPUT
    } else {
        EXIT_OK
    })
}

/// The human view of a parsed mission.
fn render_mission(m: &Mission, path: &std::path::Path, facts: &[(String, Vec<String>)]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}  ({})", m.title, m.name);
    let _ = writeln!(s, "  file:       {}", path.display());
    for (k, v) in [
        ("type", &m.mission_type),
        ("difficulty", &m.difficulty),
        ("value", &m.value_impact),
    ] {
        if let Some(v) = v {
            let _ = writeln!(s, "  {k:<11} {v}", k = format!("{k}:"));
        }
    }
    match (&m.duration, m.phase_total()) {
        (Some(d), Some(p)) => {
            let _ = writeln!(
                s,
                "  duration:   {} (phases add up to {})",
                d.display_minutes(),
                p.display_minutes()
            );
        }
        (Some(d), None) => {
            let _ = writeln!(s, "  duration:   {}", d.display_minutes());
        }
        (None, Some(p)) => {
            let _ = writeln!(s, "  duration:   {} (sum of phases)", p.display_minutes());
        }
        (None, None) => {}
    }
    if let Some(o) = &m.objective {
        let _ = writeln!(s, "\nObjective\n  {}", o.replace('\n', "\n  "));
    }
    if !m.inputs.is_empty() {
        let _ = writeln!(s, "\nRequired inputs ({})", m.inputs.len());
        for (i, inp) in m.inputs.iter().enumerate() {
            let _ = writeln!(
                s,
                "  {}. {} ({}) - {}",
                i + 1,
                inp.name,
                inp.flag.as_str(),
                inp.description
            );
            if let Some((_, f)) = facts
                .iter()
                .find(|(n, _)| n == &inp.name)
                .filter(|(_, f)| !f.is_empty())
            {
                let _ = writeln!(s, "     facts: {}", f.join(", "));
            }
        }
    }
    if !m.agents.is_empty() {
        let names: Vec<String> = m.agents.iter().map(|a| format!("@{}", a.name)).collect();
        let _ = writeln!(s, "\nAgents: {}", names.join(", "));
    }
    let _ = writeln!(s, "\nPhases ({})", m.phases.len());
    for p in &m.phases {
        let d = p
            .duration
            .as_ref()
            .map(|d| format!(" — {}", d.display_minutes()))
            .unwrap_or_default();
        let _ = writeln!(s, "  {}{d}", p.label());
        let names = |v: &[coord_mission::AgentRef]| {
            v.iter()
                .map(|a| match &a.note {
                    Some(n) => format!("@{} ({n})", a.name),
                    None => format!("@{}", a.name),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !p.lead.is_empty() {
            let _ = write!(s, "    lead: {}", names(&p.lead));
            if !p.support.is_empty() {
                let _ = write!(s, "   support: {}", names(&p.support));
            }
            s.push('\n');
        }
        if let Some(o) = &p.objective {
            let _ = writeln!(s, "    objective: {o}");
        }
        if !p.steps().is_empty() {
            let _ = writeln!(s, "    steps ({}):", p.steps().len());
            for (i, st) in p.steps().iter().enumerate() {
                let _ = writeln!(s, "      {}. {st}", i + 1);
            }
        }
        if !p.deliverables.is_empty() {
            let _ = writeln!(s, "    deliverables ({}):", p.deliverables.len());
            for d in &p.deliverables {
                let _ = writeln!(s, "      - {d}");
            }
        }
    }
    if !m.success_criteria.is_empty() {
        let _ = writeln!(s, "\nSuccess criteria ({})", m.success_criteria.len());
        for c in &m.success_criteria {
            let _ = writeln!(s, "  - [{}] {}", if c.checked { "x" } else { " " }, c.text);
        }
    }
    if let Some(ci) = &m.chassis_impact {
        let groups: Vec<&str> = ci.groups.iter().map(|g| g.heading.as_str()).collect();
        let _ = writeln!(
            s,
            "\nBusiness Chassis impact ({}): {}",
            groups.len(),
            groups.join("; ")
        );
    }
    if !m.variations.is_empty() {
        let names: Vec<&str> = m.variations.iter().map(|v| v.name.as_str()).collect();
        let _ = writeln!(
            s,
            "\nCommon variations ({}): {}",
            names.len(),
            names.join(", ")
        );
    }
    if !m.sections.is_empty() {
        let names: Vec<&str> = m.sections.iter().map(|v| v.heading.as_str()).collect();
        let _ = writeln!(s, "\nOther sections: {}", names.join(", "));
    }
    s
}

pub(crate) fn plan(
    ctx: &mut Ctx<'_>,
    target: Target,
    as_json: bool,
) -> Result<i32, coord_core::Error> {
    if target.mission.is_none() {
        ctx.rep.error(
            "no mission given",
            Some("coord plan <MISSION> [CONTEXT...]"),
        );
        return Ok(EXIT_INPUT);
    }
    let req = match request(ctx, &target, None) {
        Ok(r) => r,
        Err(msg) => {
            ctx.rep.error(&msg, None);
            return Ok(EXIT_INPUT);
        }
    };
    let prepared = coord_core::prepare(&req, &ctx.settings, &ctx.registry)?;
    let plan = &prepared.plan;
    let missing = plan.missing_inputs().len();
    if as_json {
        let mut v = serde_json::to_value(plan.summary()).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert(
                "key_facts".into(),
                serde_json::to_value(&prepared.key_facts).unwrap_or_default(),
            );
        }
        json(ctx, &v);
        return Ok(if missing > 0 { EXIT_INPUT } else { EXIT_OK });
    }
    let m = &plan.mission;
    let mut s = String::new();
    let dur = m
        .total_duration()
        .map(|d| format!(", {}", d.display_minutes()))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "Plan for {} ({} phase{}{dur})",
        m.title,
        plan.phases.len(),
        if plan.phases.len() == 1 { "" } else { "s" }
    );
    for p in &plan.phases {
        let ph = &m.phases[p.index];
        let d = ph
            .duration
            .as_ref()
            .map(|d| format!(" ({})", d.text))
            .unwrap_or_default();
        let _ = writeln!(s, "\n{}{d}", ph.label());
        let mut n = 1;
        for (label, agents) in [("support", &p.supports), ("lead", &p.leads)] {
            for a in agents.iter() {
                let backend = match &a.rules {
                    Some(r) => format!("{}:{r}", a.backend),
                    None => a.backend.clone(),
                };
                let how = if label == "support" && p.supports.len() > 1 {
                    " (concurrent)"
                } else {
                    ""
                };
                let inh = if a.inherited {
                    " [from the mission's agent list]"
                } else {
                    ""
                };
                let _ = writeln!(s, "  {n}. {label:<7} @{:<28} {backend}{how}{inh}", a.name);
                n += 1;
            }
        }
    }
    if !m.inputs.is_empty() {
        let _ = writeln!(s, "\nInputs");
        for i in &m.inputs {
            let files = plan.inputs.files(&i.name);
            if files.is_empty() {
                let waived = plan.waived.iter().any(|(w, _)| w == &i.name);
                let mark = if i.flag.is_required() && !waived {
                    "MISSING"
                } else {
                    "not given"
                };
                let _ = writeln!(s, "  {mark:<9} {} ({})", i.name, i.flag.as_str());
            } else {
                let list: Vec<String> = files
                    .iter()
                    .map(|b| {
                        format!(
                            "{} [{}]",
                            b.file
                                .path
                                .strip_prefix(&ctx.io.cwd)
                                .unwrap_or(&b.file.path)
                                .display(),
                            match &b.reason {
                                Some(r) => format!("content: {r}"),
                                None => serde_json::to_value(b.matched_by)
                                    .ok()
                                    .and_then(|v| v.as_str().map(str::to_string))
                                    .unwrap_or_default(),
                            }
                        )
                    })
                    .collect();
                let _ = writeln!(
                    s,
                    "  bound     {} ({}): {}",
                    i.name,
                    i.flag.as_str(),
                    list.join(", ")
                );
            }
        }
    }
    if !prepared.key_facts.is_empty() {
        let _ = writeln!(s, "\nKey facts (! = a default: no file states it)");
        s.push_str(&crate::output::key_facts_table(&prepared.key_facts));
        for k in prepared.key_facts.iter().filter(|k| k.defaulted) {
            if let Some(a) = &k.add {
                let _ = writeln!(s, "  to give the {}, add a line such as `{a}`", k.fact);
            }
        }
    }
    for n in &plan.notes {
        let _ = writeln!(s, "\nnote: {n}");
    }
    if missing > 0 {
        let _ = writeln!(
            s,
            "\nNot ready: {missing} required input{} missing.",
            if missing == 1 { "" } else { "s" }
        );
    } else {
        let _ = writeln!(s, "\nReady to run.");
    }
    emit(ctx, &s);
    Ok(if missing > 0 { EXIT_INPUT } else { EXIT_OK })
}

pub(crate) fn agents(
    ctx: &mut Ctx<'_>,
    mission: Option<&str>,
    as_json: bool,
) -> Result<i32, coord_core::Error> {
    let mission_path = match mission {
        Some(m) => Some(load(ctx, m)?.0),
        None => None,
    };
    let roots = catalog::agent_roots(
        &ctx.io.cwd,
        &ctx.settings.paths.agents,
        mission_path.as_deref(),
    );
    let cat = AgentCatalog::scan(&roots, ctx.registry.builtins());
    let choice = BackendChoice::default();
    let rows: Vec<(String, String, String, String)> = cat
        .agents
        .values()
        .map(|a| {
            let spec = spec_for(a, &ctx.settings, &choice);
            let backend = match &spec.rules {
                Some(r) => format!("{}:{r}", spec.backend),
                None => spec.backend.clone(),
            };
            let file = a
                .path
                .strip_prefix(&ctx.io.cwd)
                .unwrap_or(&a.path)
                .display()
                .to_string();
            (a.name.clone(), backend, file, a.description.clone())
        })
        .collect();
    if as_json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|(n, b, f, d)| serde_json::json!({"name": n, "backend": b, "file": f, "description": d}))
            .collect();
        json(ctx, &v);
    } else {
        let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(4).max(4);
        let bw = rows.iter().map(|r| r.1.len()).max().unwrap_or(7).max(7);
        let mut s = format!("{:w$}  {:bw$}  FILE\n", "NAME", "BACKEND");
        for (n, b, f, _) in &rows {
            let _ = writeln!(s, "{n:w$}  {b:bw$}  {f}");
        }
        if rows.is_empty() {
            let _ = writeln!(s, "(no agent files found)");
        }
        emit(ctx, &s);
    }
    for d in cat.broken.values() {
        ctx.rep.diagnostic(d);
    }
    Ok(if cat.broken.is_empty() {
        EXIT_OK
    } else {
        EXIT_INPUT
    })
}
