//! 100 Sales Plan missions at once in one process, through the engine API: one `Engine`, one
//! tokio runtime, each run with its own in-memory store (nothing written to disk), its own
//! clock and its own services. Prints the wall time and checks every plan.
//!
//! Run: `cargo run --release --example many_missions [N]` (from the repository root).

use std::path::PathBuf;
use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let engine =
        coord_core::Engine::new(coord::default_registry(), coord_core::Settings::defaults());
    let examples = ["solo-consultant", "scaling-saas", "service-agency"];
    let cwd = std::env::current_dir()?;
    let t0 = Instant::now();
    let runs: Vec<_> = (0..n)
        .map(|k| {
            let engine = engine.clone();
            let req = coord_core::RunRequest {
                mission: "sales-plan-development".into(),
                context: vec![PathBuf::from("examples").join(examples[k % 3])],
                out: Some(PathBuf::from(format!("memory/run-{k}"))),
                cwd: cwd.clone(),
                in_memory: true,
                ..Default::default()
            };
            tokio::spawn(async move { engine.run(req).await })
        })
        .collect();
    let mut completed = 0;
    for (k, r) in runs.into_iter().enumerate() {
        let report = r.await??;
        if !report.documents.contains_key("sales-plan.md") {
            return Err(format!("run {k} wrote no Sales Plan").into());
        }
        if report.status == coord_core::RunStatus::Completed {
            completed += 1;
        }
    }
    println!(
        "{n} missions in one process: {completed} completed, every Sales Plan written, in {:.0} ms",
        t0.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
