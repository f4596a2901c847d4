//! Helpers: a temporary project, and running `coord` in it.

use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared`, which holds the seed and the BOS-AI corpus (CI lays it beside the checkout).
pub(crate) fn shared() -> PathBuf {
    repo().join("../shared")
}

pub(crate) struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub(crate) struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    /// A project with the repository's missions and agents.
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("missions"), &dir.path().join("missions"));
        copy_dir(&repo().join("agents"), &dir.path().join("agents"));
        copy_dir(&repo().join("examples"), &dir.path().join("examples"));
        Self { dir }
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub(crate) fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    /// Context files for the Sales Plan Development mission.
    pub(crate) fn sales_context(&self) -> PathBuf {
        self.write(
            "ctx/sales-bible.md",
            "# Sales Bible\n\n**Stage 1: Discovery**\n",
        );
        self.write(
            "ctx/vision-mission.md",
            "# Vision & Mission\n\nHelp small firms grow.\n",
        );
        self.write(
            "ctx/business-objectives.md",
            "# Business Objectives\n\n- Revenue target: $240,000\n- Average deal size: $20,000\n- Planning period: 12 months starting 2027-01-01\n",
        );
        self.write(
            "ctx/resource-constraints.md",
            "# Resource Constraints\n\n- Hours per week: 15\n- Team size: 1\n",
        );
        self.path("ctx")
    }

    pub(crate) fn coord(&self, args: &[&str]) -> Out {
        run_in(self.dir.path(), args)
    }

    /// True when a run directory was written anywhere in the project.
    pub(crate) fn has_runs(&self) -> bool {
        self.path("runs").exists()
    }
}

pub(crate) fn run_in(cwd: &Path, args: &[&str]) -> Out {
    run_with_env(cwd, args, &[])
}

/// Runs `coord` with a clean environment plus `env`.
pub(crate) fn run_with_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_coord"))
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}
