//! Parses every mission and agent file of the shared BOS-AI corpus.
//! Run: `cargo bench -p coord-mission --bench parse_corpus`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "md")
            && let Ok(s) = std::fs::read_to_string(&p)
        {
            out.push((p, s));
        }
    }
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/bos-ai");
    let mut missions = Vec::new();
    files(&root.join("missions"), &mut missions);
    let mut agents = Vec::new();
    files(&root.join("agents"), &mut agents);
    assert!(
        !missions.is_empty(),
        "corpus not found at {}",
        root.display()
    );
    let bytes: usize = missions.iter().chain(&agents).map(|(_, s)| s.len()).sum();
    eprintln!(
        "{} mission files, {} agent files, {} KiB",
        missions.len(),
        agents.len(),
        bytes / 1024
    );
    c.bench_function("parse whole corpus", |b| {
        b.iter(|| {
            let mut phases = 0;
            for (p, s) in &missions {
                phases += coord_mission::parse_mission(s, p).mission.phases.len();
            }
            for (p, s) in &agents {
                phases += usize::from(coord_mission::parse_agent_file(s, p).is_ok());
            }
            phases
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
