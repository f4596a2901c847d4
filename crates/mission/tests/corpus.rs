//! The shared BOS-AI corpus: every family A and B mission parses into phases with agents and no
//! error; other families parse into what structure they have; nothing panics.

use coord_mission::{Parsed, load_mission, parse_agent_file};
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/bos-ai")
}

fn md_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else { return out };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(md_files(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn load(rel: &str) -> Parsed {
    let p = corpus().join("missions").join(rel);
    load_mission(&p).unwrap_or_else(|e| panic!("{e}"))
}

/// (file, phases, agents per phase as "lead/support" counts)
fn shape(p: &Parsed) -> (usize, Vec<(usize, usize)>) {
    let m = &p.mission;
    (m.phases.len(), m.phases.iter().map(|ph| (ph.lead.len(), ph.support.len())).collect())
}

#[test]
fn survey() {
    let root = corpus().join("missions");
    if !root.exists() {
        eprintln!("corpus not present; skipping");
        return;
    }
    for f in md_files(&root) {
        let p = load_mission(&f).unwrap();
        let m = &p.mission;
        let errs = p.diagnostics.iter().filter(|d| d.is_error()).count();
        println!(
            "{:70} mission={} phases={:2} leads={:?} inputs={} crit={} agents={} errs={} warns={}",
            f.strip_prefix(&root).unwrap().display(),
            p.looks_like_mission(),
            m.phases.len(),
            m.phases.iter().map(|ph| format!("{}/{}/{}", ph.lead.len(), ph.support.len(), ph.steps().len())).collect::<Vec<_>>().join(" "),
            m.inputs.len(),
            m.success_criteria.len(),
            m.agents.len(),
            errs,
            p.diagnostics.len() - errs,
        );
    }
}
