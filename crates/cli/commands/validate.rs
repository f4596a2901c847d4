//! `coord validate [PATH...]`: every mission and agent file checked, diagnostics printed
//! rustc-style, a summary line, exit 2 on any error.

use super::Ctx;
use crate::{EXIT_INPUT, EXIT_OK};
use coord_core::catalog::{self, AgentCatalog};
use coord_mission::{Diagnostic, Severity, check_agents, parse_agent_file, parse_mission_bytes};
use std::path::PathBuf;

pub(crate) fn validate(ctx: &mut Ctx<'_>, paths: &[PathBuf]) -> Result<i32, coord_core::Error> {
    let cwd = ctx.io.cwd.clone();
    let explicit = !paths.is_empty();
    let targets: Vec<PathBuf> = if explicit {
        paths.iter().map(|p| cwd.join(p)).collect()
    } else {
        let mut t = catalog::mission_roots(&cwd, &ctx.settings.paths.missions);
        t.extend(catalog::agent_roots(&cwd, &ctx.settings.paths.agents, None));
        t.into_iter().filter(|p| p.exists()).collect()
    };
    let mut diags: Vec<Diagnostic> = Vec::new();
    let (mut missions, mut agents, mut skipped) = (0usize, 0usize, 0usize);
    let mut mission_files = Vec::new();
    let mut agent_files = Vec::new();
    for t in &targets {
        if !t.exists() {
            diags.push(Diagnostic::error(t, "no such file or folder").help("check the path"));
            continue;
        }
        let files = if t.is_dir() {
            catalog::markdown_files(t)
        } else {
            vec![t.clone()]
        };
        // Each file is read once; front matter makes it an agent file.
        for f in files {
            match std::fs::read(&f) {
                Ok(bytes) if bytes.starts_with(b"---") => agent_files.push((f, bytes)),
                Ok(bytes) => mission_files.push((f, bytes, !t.is_dir())),
                Err(e) => diags.push(Diagnostic::error(&f, format!("cannot read: {e}"))),
            }
        }
    }
    // Agents known: the search path, the files being validated, and each mission's checkout.
    let mut roots = catalog::agent_roots(&cwd, &ctx.settings.paths.agents, None);
    for (m, _, _) in &mission_files {
        roots.extend(catalog::agent_roots(&cwd, &[], Some(m)).into_iter().skip(1));
    }
    roots.sort();
    roots.dedup();
    let mut known = AgentCatalog::scan(&roots, ctx.registry.builtins()).names();
    for (f, bytes) in &agent_files {
        agents += 1;
        let text = String::from_utf8_lossy(bytes);
        match parse_agent_file(&text, f) {
            Ok(a) => {
                if Some(a.name.as_str()) != f.file_stem().and_then(|s| s.to_str()) {
                    diags.push(
                        Diagnostic::warning(
                            f,
                            format!("agent `{}` is defined in a file named differently", a.name),
                        )
                        .help(format!(
                            "rename the file to `{}.md` so missions and people find it",
                            a.name
                        )),
                    );
                }
                if let Some(b) = &a.backend
                    && !ctx.registry.backends().contains(b)
                {
                    diags.push(Diagnostic::error(f, format!("unknown backend `{b}`")).help(
                        format!("use one of: {}", ctx.registry.backends().join(", ")),
                    ));
                }
                if let Some(r) = &a.rules
                    && !ctx.registry.rule_sets().contains(r)
                {
                    diags.push(
                        Diagnostic::error(f, format!("unknown rule set `{r}`")).help(format!(
                            "use one of: {}",
                            ctx.registry.rule_sets().join(", ")
                        )),
                    );
                }
                known.insert(a.name);
            }
            Err(d) => diags.push(*d),
        }
    }
    for (f, bytes, explicit_file) in &mission_files {
        let parsed = parse_mission_bytes(bytes, f);
        if !parsed.looks_like_mission() {
            if *explicit_file {
                // Named on the command line, yet not a mission: say so rather than count it.
                diags.push(
                    coord_mission::Diagnostic::error(f, "not a mission: it has no phases (and no objective with required inputs or success criteria)")
                        .help("a mission opens with `# Mission: Name` and has `### Phase N: Name` sections with `**Lead**:` lines; give coord validate a mission file or a folder"),
                );
            } else {
                skipped += 1;
            }
            continue;
        }
        missions += 1;
        diags.extend(parsed.diagnostics.iter().cloned());
        diags.extend(check_agents(&parsed.mission, &known, &parsed.source));
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    for d in &diags {
        if d.severity == Severity::Note && ctx.quiet {
            continue;
        }
        if d.severity != Severity::Error && ctx.quiet {
            continue;
        }
        ctx.rep.diagnostic(d);
    }
    let line = format!(
        "validated {missions} mission{}, {agents} agent file{}{}: {errors} error{}, {warnings} warning{}",
        plural(missions),
        plural(agents),
        if skipped > 0 {
            format!(" ({skipped} non-mission files skipped)")
        } else {
            String::new()
        },
        plural(errors),
        plural(warnings),
    );
    // `--quiet` promises only errors on stderr: the summary then appears only with them.
    if !ctx.quiet || errors > 0 {
        ctx.rep.line(&line);
    }
    Ok(if errors > 0 { EXIT_INPUT } else { EXIT_OK })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
