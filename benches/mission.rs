//! How long the rule-based Sales Plan Development mission takes: in-process (prepare + run +
//! write the run directory) and as a whole `coord` process, on the solo-consultant example.
//! Run: `cargo bench --bench mission`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::PathBuf;
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bench(c: &mut Criterion) {
    let out = tempfile::tempdir().unwrap();
    let registry = coord::default_registry();
    let settings = coord_core::Settings::defaults();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut n = 0u64;
    c.bench_function("mission in-process", |b| {
        b.iter(|| {
            n += 1;
            let req = coord_core::RunRequest {
                mission: "sales-plan-development".into(),
                context: vec![PathBuf::from("examples/solo-consultant")],
                out: Some(out.path().join(format!("in-{n}"))),
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
        })
    });
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
