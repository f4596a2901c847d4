//! The engine, for programs that embed coord: built once from a registry and settings, it runs
//! missions — many at once on one tokio runtime. Everything else belongs to each run: its id and
//! directory (or an in-memory store), clock, cancel token, and LLM services (budget, cassette,
//! its share of the call limit, kept in the run's scope). The `coord` CLI is a thin user of it.

use crate::config::Settings;
use crate::events::{Discard, EventSink};
use crate::registry::Registry;
use crate::run::{Error, RunReport, RunRequest, execute, prepare, resume};
use std::path::Path;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Runs missions. Cheap to clone: clones share the registry and settings.
#[derive(Clone)]
pub struct Engine {
    registry: Arc<Registry>,
    settings: Arc<Settings>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine over `registry` (agent types, rule sets, mission packs) with `settings`.
    pub fn new(registry: Registry, settings: Settings) -> Self {
        Self {
            registry: Arc::new(registry),
            settings: Arc::new(settings),
        }
    }

    /// The settings every run starts from.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Plans and runs one mission to its end. Planning errors (a bad mission, missing inputs)
    /// return before anything is written.
    pub async fn run(&self, req: RunRequest) -> Result<RunReport, Error> {
        self.run_with(req, Arc::new(Discard), CancellationToken::new())
            .await
    }

    /// [`Engine::run`] with an event sink (progress) and a cancel token.
    pub async fn run_with(
        &self,
        req: RunRequest,
        sink: Arc<dyn EventSink>,
        cancel: CancellationToken,
    ) -> Result<RunReport, Error> {
        let prepared = prepare(&req, &self.settings, &self.registry)?;
        execute(prepared, &req, &self.settings, &self.registry, sink, cancel).await
    }

    /// Continues the run in `dir` from its event log.
    pub async fn resume(
        &self,
        dir: &Path,
        sink: Arc<dyn EventSink>,
        cancel: CancellationToken,
    ) -> Result<RunReport, Error> {
        resume(dir, &self.settings, &self.registry, sink, cancel).await
    }
}
