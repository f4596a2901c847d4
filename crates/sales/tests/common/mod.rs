//! Running the Sales Plan mission end to end through the real coordinator with the sales rule
//! agents, for the integration tests.

#![allow(dead_code)]

use coord_core::{BackendChoice, Registry, RunRequest, RunStatus};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tokio_util::sync::CancellationToken;

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A finished run: status, `sales-plan.json`, `sales-plan.md`.
pub struct Run {
    pub status: RunStatus,
    pub json: Value,
    pub md: String,
    pub _dir: tempfile::TempDir,
}

/// Runs `mission` on `context` (relative to the repository) with an optional variation.
pub async fn run(mission: &str, context: Vec<PathBuf>, variation: Option<&str>) -> Run {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir, mission, context, variation).await
}

/// Runs with the run directory inside `dir` (which the caller may have filled with inputs).
pub async fn run_in(
    dir: tempfile::TempDir,
    mission: &str,
    context: Vec<PathBuf>,
    variation: Option<&str>,
) -> Run {
    let req = RunRequest {
        mission: mission.into(),
        context,
        out: Some(dir.path().join("run")),
        cwd: repo(),
        backends: BackendChoice::default(),
        variation: variation.map(str::to_string),
        ..RunRequest::default()
    };
    let settings = coord_core::Settings::defaults();
    let mut reg = Registry::new();
    coord_sales::register(&mut reg);
    let prepared = coord_core::prepare(&req, &settings, &reg).unwrap_or_else(|e| panic!("{e}"));
    let report = coord_core::execute(
        prepared,
        &req,
        &settings,
        &reg,
        std::sync::Arc::new(coord_core::events::Discard),
        CancellationToken::new(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("run");
    Run {
        status: report.status,
        json: serde_json::from_slice(&std::fs::read(out.join("sales-plan.json")).unwrap()).unwrap(),
        md: std::fs::read_to_string(out.join("sales-plan.md")).unwrap(),
        _dir: dir,
    }
}
