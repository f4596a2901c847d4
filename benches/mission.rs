//! How long the rule-based Sales Plan Development mission takes on the solo-consultant example:
//! in-process (prepare + run + write the run directory), with the run directory in memory (tmpfs,
//! where it exists: the engine's own time) and on the disk (`/tmp`: plus the file system's
//! create/fsync/rename for each atomic write), and as a whole `coord` process.
//! Run: `cargo bench --bench mission`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::PathBuf;
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bench(c: &mut Criterion) {
    let disk = tempfile::tempdir().unwrap();
    let memory = tempfile::tempdir_in("/dev/shm").ok();
    if memory.is_none() {
        println!("no /dev/shm here: the in-memory figure is skipped");
    }
    let registry = coord::default_registry();
    let settings = coord_core::Settings::defaults();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut n = 0u64;
    let mut run = |dir: &std::path::Path| {
        n += 1;
        let req = coord_core::RunRequest {
            mission: "sales-plan-development".into(),
            context: vec![PathBuf::from("examples/solo-consultant")],
            out: Some(dir.join(format!("in-{n}"))),
            cwd: repo(),
            ..coord_core::RunRequest::default()
        };
        let prepared = coord_core::prepare(&req, &settings, &registry).unwrap();
        rt.block_on(coord_core::execute(
            prepared,
            &req,
            &settings,
            &registry,
            std::sync::Arc::new(coord_core::events::Discard),
            tokio_util::sync::CancellationToken::new(),
        ))
        .unwrap()
    };
    if let Some(m) = &memory {
        c.bench_function("mission in-process, run directory in memory", |b| {
            b.iter(|| run(m.path()))
        });
    }
    c.bench_function("mission in-process, run directory on disk", |b| {
        b.iter(|| run(disk.path()))
    });
    let out = disk;
    let mut n = 0u64;
    c.bench_function("mission as a coord process", |b| {
        b.iter(|| {
            n += 1;
            let status = Command::new(env!("CARGO_BIN_EXE_coord"))
                .args([
                    "-q",
                    "sales-plan-development",
                    "examples/solo-consultant",
                    "--out",
                ])
                .arg(out.path().join(format!("proc-{n}")))
                .current_dir(repo())
                .status()
                .unwrap();
            assert!(status.success());
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
