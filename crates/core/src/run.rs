//! Running a mission end to end: resolve, parse, bind inputs, plan (nothing written yet), then
//! create the run directory, coordinate, check criteria and write the documents. `resume`
//! continues a cancelled or failed run from its event log without repeating finished steps.

use crate::blackboard::Blackboard;
use crate::catalog::{self, AgentCatalog};
use crate::config::Settings;
use crate::coordinator::{AgentStat, Coordinator, RunError};
use crate::criteria::{Status, Verdict};
use crate::events::{Event, EventSink, Fanout, RunStatus};
use crate::inputs::{self, InputError};
use crate::plan::{BackendChoice, Plan, PlanError, build_plan};
use crate::registry::Registry;
use crate::report::{self, CriteriaCounts, Summary};
use crate::store::{self, RunStore, StoreError};
use coord_mission::{Diagnostic, Input, LoadError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tokio_util::sync::CancellationToken;

/// What the user asked to run.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// Mission name or path.
    pub mission: String,
    /// Context files and folders.
    pub context: Vec<PathBuf>,
    /// `--input "Name=path"` values.
    pub inputs: Vec<String>,
    /// `--out DIR`: the run directory (default `<paths.runs>/<timestamp>-<mission>`).
    pub out: Option<PathBuf>,
    /// Backend choices from flags.
    pub backends: BackendChoice,
    /// The directory relative paths are resolved from.
    pub cwd: PathBuf,
    /// Where the mission originally lives, when `mission` is a copy (resume): agents are looked
    /// up around this path.
    pub origin: Option<PathBuf>,
    /// `--variation NAME`: one of the mission's common variations.
    pub variation: Option<String>,
    /// `--date`: the date documents carry (else `run.date`, else the plan's own start date).
    pub date: Option<jiff::civil::Date>,
    /// The run's day when it is already fixed (resume and replay: the day in `run.json`);
    /// `None` takes it from the clock.
    pub today: Option<jiff::civil::Date>,
    /// The time source (`None`: the system clock). Tests inject another day here.
    pub clock: Option<Arc<dyn crate::clock::Clock>>,
    /// Keep the run in memory instead of a run directory: nothing is written to disk, the
    /// documents come back in [`RunReport::documents`], and the run cannot be resumed.
    pub in_memory: bool,
}

impl RunRequest {
    /// The clock this run reads.
    pub fn clock(&self) -> Arc<dyn crate::clock::Clock> {
        self.clock
            .clone()
            .unwrap_or_else(|| Arc::new(crate::clock::SystemClock))
    }
}

/// Anything that stops a run, classified for exit codes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The mission could not be found.
    #[error(transparent)]
    Find(#[from] catalog::FindError),
    /// The mission file could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The mission (or an agent file it uses) has errors.
    #[error("{} error{} in {}", diagnostics.len(), if diagnostics.len() == 1 { "" } else { "s" }, mission)]
    Mission {
        /// Mission name or path.
        mission: String,
        /// The errors, rendered by the CLI.
        diagnostics: Vec<Diagnostic>,
    },
    /// A context file problem.
    #[error(transparent)]
    Inputs(#[from] InputError),
    /// Required inputs have no file.
    #[error("missing required input{} for {mission}: {}", if missing.len() == 1 { "" } else { "s" }, missing.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join(", "))]
    MissingInputs {
        /// Mission name.
        mission: String,
        /// The inputs without a file.
        missing: Vec<Input>,
    },
    /// `--strict` (or `run.strict`) and a key fact would be a default.
    #[error("{} key fact{} of {mission} would be a default (strict mode)", defaulted.len(), if defaulted.len() == 1 { "" } else { "s" })]
    Strict {
        /// Mission name.
        mission: String,
        /// The facts that no input gives.
        defaulted: Vec<crate::pack::KeyFact>,
    },
    /// The plan is inconsistent (agent build failure, key conflict).
    #[error(transparent)]
    Plan(PlanError),
    /// The run directory could not be written or read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The run started and stopped early; its directory holds the event log.
    #[error("{source}")]
    Run {
        /// The run directory.
        dir: PathBuf,
        /// Why it stopped.
        #[source]
        source: Box<RunError>,
    },
    /// A mission pack could not write its documents.
    #[error("cannot write the mission's documents: {0}")]
    Finish(String),
    /// `--variation` names no variation of the mission.
    #[error("mission {mission} has no variation `{given}` (its variations: {})", if known.is_empty() { "none".to_string() } else { known.join(", ") })]
    Variation {
        /// Mission name.
        mission: String,
        /// What was given.
        given: String,
        /// The mission's variations.
        known: Vec<String>,
    },
    /// `coord resume` on a run that has nothing left to do.
    #[error("run {} already finished; nothing to resume", .0.display())]
    AlreadyFinished(PathBuf),
}

/// How an error should end the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Bad usage, input, mission, agent file or config (exit 2).
    Input,
    /// An agent or backend failed (exit 3).
    Agent,
    /// Cancelled by the user (exit 130).
    Cancelled,
    /// A replayed LLM request had no recording (exit 4).
    Replay,
}

impl Error {
    /// The error's class.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Run { source, .. } if matches!(**source, RunError::Cancelled) => {
                ErrorClass::Cancelled
            }
            Error::Run { source, .. }
                if matches!(
                    **source,
                    RunError::AgentFailed {
                        source: crate::agent::AgentError::Replay(_),
                        ..
                    }
                ) =>
            {
                ErrorClass::Replay
            }
            Error::Run { .. } | Error::Finish(_) => ErrorClass::Agent,
            _ => ErrorClass::Input,
        }
    }
}

impl From<PlanError> for Error {
    fn from(e: PlanError) -> Self {
        match e {
            PlanError::Mission {
                mission,
                diagnostics,
            } => Error::Mission {
                mission,
                diagnostics,
            },
            other => Error::Plan(other),
        }
    }
}

/// A mission parsed, bound and planned; nothing written yet.
#[derive(Debug)]
pub struct Prepared {
    /// The plan.
    pub plan: Plan,
    /// The mission file.
    pub mission_path: PathBuf,
    /// Its text.
    pub source: String,
    /// Parser warnings and notes.
    pub warnings: Vec<Diagnostic>,
    /// The agents found.
    pub catalog: AgentCatalog,
    /// The mission pack's key facts with their sources (empty without a pack).
    pub key_facts: Vec<crate::pack::KeyFact>,
}

/// Everything up to the plan. Errors here never leave files behind.
pub fn prepare(
    req: &RunRequest,
    settings: &Settings,
    registry: &Registry,
) -> Result<Prepared, Error> {
    let roots = catalog::mission_roots(&req.cwd, &settings.paths.missions);
    let arg_path = req.cwd.join(&req.mission);
    let path = if arg_path.is_file() {
        arg_path
    } else {
        catalog::find_mission(&req.mission, &roots, registry.builtins())?
    };
    let parsed = catalog::load_shared(&path, registry.builtins())?;
    let source = parsed.source.clone();
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = parsed
        .diagnostics
        .iter()
        .cloned()
        .partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(Error::Mission {
            mission: path.display().to_string(),
            diagnostics: errors,
        });
    }
    let mission = parsed.mission.clone();
    let origin = req.origin.as_deref().unwrap_or(&path);
    let roots = catalog::agent_roots(&req.cwd, &settings.paths.agents, Some(origin));
    let agents = AgentCatalog::scan(&roots, registry.builtins());
    let context: Vec<PathBuf> = req.context.iter().map(|p| req.cwd.join(p)).collect();
    let files = inputs::read_context(&context)?;
    let explicit: Vec<(String, PathBuf)> = inputs::parse_specs(&req.inputs)?
        .into_iter()
        .map(|(n, p)| (n, req.cwd.join(p)))
        .collect();
    let pack = registry.pack(&mission);
    let classify = |f: &inputs::ContextFile| match &pack {
        Some(p) => p.classify(&mission, f),
        None => Vec::new(),
    };
    let mut bound = inputs::bind_with(&mission, files, &explicit, Some(&classify))?;
    // Show paths as the user gave them (relative to the working directory), on every machine.
    for f in bound
        .bound
        .values_mut()
        .flatten()
        .map(|b| &mut b.file)
        .chain(bound.extra.iter_mut())
    {
        if let Ok(rel) = f.path.strip_prefix(&req.cwd) {
            f.path = rel.to_path_buf();
        }
    }
    let variation = match &req.variation {
        Some(v) => Some(
            crate::plan::resolve_variation(&mission, v).map_err(|known| Error::Variation {
                mission: mission.name.clone(),
                given: v.clone(),
                known,
            })?,
        ),
        None => None,
    };
    let mut warnings = warnings;
    if let Some(pack) = &pack {
        let (errors, rest): (Vec<Diagnostic>, Vec<Diagnostic>) = pack
            .check_inputs(&mission, &bound)
            .into_iter()
            .partition(Diagnostic::is_error);
        if !errors.is_empty() {
            return Err(Error::Mission {
                mission: mission.name.clone(),
                diagnostics: errors,
            });
        }
        warnings.extend(rest);
    }
    let date = req.date.or_else(|| settings.run.date());
    let today = req.today.or(date).unwrap_or_else(|| req.clock().today());
    let key_facts = pack
        .as_ref()
        .map(|p| p.key_facts(&mission, &bound, variation.as_deref(), today))
        .unwrap_or_default();
    if settings.run.strict && bound.missing(&mission).is_empty() {
        let defaulted: Vec<crate::pack::KeyFact> =
            key_facts.iter().filter(|k| k.defaulted).cloned().collect();
        if !defaulted.is_empty() {
            return Err(Error::Strict {
                mission: mission.name.clone(),
                defaulted,
            });
        }
    }
    let mut plan = build_plan(
        mission,
        &source,
        bound,
        &agents,
        registry,
        settings,
        &req.backends,
    )?;
    plan.variation = variation;
    plan.today = today;
    plan.date = date;
    plan.pack = pack.clone();
    plan.notes.extend(registry.unbound(&plan.mission));
    if let Some(pack) = &pack {
        let missing: Vec<String> = plan
            .inputs
            .missing(&plan.mission)
            .iter()
            .map(|i| i.name.clone())
            .collect();
        for name in missing {
            if let Some(loss) = pack.can_do_without(&plan.mission, &name) {
                plan.notes.push(format!("no file for {name}: {loss}"));
                plan.waived.push((name, loss));
            }
        }
    }
    Ok(Prepared {
        plan,
        mission_path: path,
        source,
        warnings,
        catalog: agents,
        key_facts,
    })
}

/// What `run.json` records, so `coord resume` can rebuild the same plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// `coord-run`.
    pub format: String,
    /// 1.
    pub version: u32,
    /// Mission name.
    pub mission: String,
    /// The mission file as given (a copy is kept as `<mission>.md`).
    pub mission_path: PathBuf,
    /// Context files and folders (absolute).
    pub context: Vec<PathBuf>,
    /// `--input` values (paths absolute).
    pub inputs: Vec<String>,
    /// `--backend`.
    pub backend: Option<String>,
    /// `--agent NAME=BACKEND`.
    pub agent_backends: BTreeMap<String, String>,
    /// The working directory of the run.
    pub cwd: PathBuf,
    /// `--variation`.
    #[serde(default)]
    pub variation: Option<String>,
    /// When the run started.
    pub started_at: String,
    /// The run's day (`YYYY-MM-DD`), so resume and replay plan with the same day.
    #[serde(default)]
    pub today: Option<String>,
    /// `--date`, when given.
    #[serde(default)]
    pub date: Option<String>,
    /// The LLM settings that shape a request, so `coord replay` asks the same questions with no
    /// environment set (never a key: only the name of its variable is a setting).
    #[serde(default)]
    pub llm: Option<RecordedLlm>,
}

/// The LLM settings a run's requests were made with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedLlm {
    /// `llm.base_url`.
    pub base_url: String,
    /// `llm.model`.
    pub model: String,
    /// `llm.temperature`.
    pub temperature: f64,
    /// `llm.max_tokens`.
    pub max_tokens: u32,
    /// `llm.seed`.
    pub seed: u64,
    /// `llm.structured`.
    pub structured: crate::config::Structured,
    /// `llm.max_input_chars`.
    pub max_input_chars: usize,
    /// `llm.max_reasks`.
    pub max_reasks: u32,
    /// `llm.stream`.
    pub stream: bool,
    /// `llm.context_tokens` (runs recorded before it existed: none).
    #[serde(default)]
    pub context_tokens: u32,
    /// `llm.dialect`.
    #[serde(default = "auto_dialect")]
    pub dialect: crate::config::Dialect,
    /// `llm.fallback`.
    #[serde(default = "no_fallback")]
    pub fallback: crate::config::Fallback,
}

fn auto_dialect() -> crate::config::Dialect {
    crate::config::Dialect::Auto
}

fn no_fallback() -> crate::config::Fallback {
    crate::config::Fallback::None
}

impl RecordedLlm {
    /// The settings of `s` that shape a request.
    pub fn of(s: &crate::config::LlmSettings) -> Self {
        Self {
            base_url: s.base_url.clone(),
            model: s.model.clone(),
            temperature: s.temperature,
            max_tokens: s.max_tokens,
            seed: s.seed,
            structured: s.structured,
            max_input_chars: s.max_input_chars,
            max_reasks: s.max_reasks,
            stream: s.stream,
            context_tokens: s.context_tokens,
            dialect: s.dialect,
            fallback: s.fallback,
        }
    }

    /// As `llm.KEY = value` overrides, to apply over the configuration.
    pub fn overrides(&self) -> Vec<(String, String)> {
        let structured = match self.structured {
            crate::config::Structured::JsonSchema => "json_schema",
            crate::config::Structured::JsonObject => "json_object",
        };
        [
            ("base_url", self.base_url.clone()),
            ("model", self.model.clone()),
            ("temperature", self.temperature.to_string()),
            ("max_tokens", self.max_tokens.to_string()),
            ("seed", self.seed.to_string()),
            ("structured", structured.to_string()),
            ("max_input_chars", self.max_input_chars.to_string()),
            ("max_reasks", self.max_reasks.to_string()),
            ("stream", self.stream.to_string()),
            ("context_tokens", self.context_tokens.to_string()),
            (
                "dialect",
                serde_json::to_value(self.dialect)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| "auto".into()),
            ),
            (
                "fallback",
                serde_json::to_value(self.fallback)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| "none".into()),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (format!("llm.{k}"), v))
        .collect()
    }
}

/// The outcome of a run that reached its end.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The run directory.
    pub dir: PathBuf,
    /// How it ended.
    pub status: RunStatus,
    /// Criteria verdicts.
    pub verdicts: Vec<Verdict>,
    /// Files written (absolute).
    pub files: Vec<PathBuf>,
    /// Agent timings.
    pub stats: Vec<AgentStat>,
    /// Key numbers from the mission pack, for the terminal.
    pub highlights: Vec<String>,
    /// The files of an in-memory run, by name (empty for a run directory: read the files).
    pub documents: BTreeMap<String, Vec<u8>>,
}

/// The exit code documented for a status.
pub fn exit_code(status: RunStatus) -> i32 {
    match status {
        RunStatus::Completed => 0,
        RunStatus::CriteriaFailed => 1,
        RunStatus::Failed => 3,
        RunStatus::Cancelled => 130,
    }
}

/// Creates the run directory and runs the prepared plan. The plan already holds its agents and
/// its pack; `_registry` is the one it was prepared with, kept so callers pass the pair.
pub async fn execute(
    prepared: Prepared,
    req: &RunRequest,
    settings: &Settings,
    _registry: &Registry,
    sink: Arc<dyn EventSink>,
    cancel: CancellationToken,
) -> Result<RunReport, Error> {
    // Only the plan and the mission's text are needed from here: the agent catalog and the
    // warnings go now, not at the end of the run (it matters with many runs in flight).
    let Prepared {
        plan,
        mission_path,
        source,
        ..
    } = prepared;
    let now = req.clock().now();
    let dir = match &req.out {
        Some(o) => req.cwd.join(o),
        None => req
            .cwd
            .join(&settings.paths.runs)
            .join(store::run_dir_name(now, &plan.mission.name)),
    };
    // Every required input has a file (or the pack can plan without it) before anything exists.
    let missing: Vec<Input> = plan.missing_inputs().into_iter().cloned().collect();
    if !missing.is_empty() {
        return Err(Error::MissingInputs {
            mission: plan.mission.name.clone(),
            missing,
        });
    }
    let store: Arc<dyn store::RunStorage> = if req.in_memory {
        Arc::new(store::MemoryStore::new(&dir))
    } else {
        let d = dir.clone();
        Arc::new(blocking(move || RunStore::create(&d)).await?)
    };
    let abs = |p: &Path| req.cwd.join(p);
    let manifest = Manifest {
        format: "coord-run".into(),
        version: 1,
        mission: plan.mission.name.clone(),
        mission_path: abs(&mission_path),
        context: req.context.iter().map(|p| abs(p)).collect(),
        inputs: inputs::parse_specs(&req.inputs)?
            .into_iter()
            .map(|(n, p)| format!("{n}={}", abs(&p).display()))
            .collect(),
        backend: req.backends.all.clone(),
        agent_backends: req.backends.per_agent.clone(),
        cwd: req.cwd.clone(),
        variation: req.variation.clone(),
        started_at: now.to_string(),
        today: Some(plan.today.to_string()),
        date: plan.date.map(|d| d.to_string()),
        llm: Some(RecordedLlm::of(&settings.llm)),
    };
    store_write(
        &store,
        format!("{}.md", plan.mission.name),
        source.into_bytes(),
    )
    .await?;
    store_write(
        &store,
        "run.json".into(),
        serde_json::to_vec_pretty(&manifest).unwrap_or_default(),
    )
    .await?;
    let board = Blackboard::new(plan.policies.clone());
    drive(
        &plan,
        store,
        board,
        store::Progress::default(),
        Resumed::No,
        now,
        settings,
        sink,
        cancel,
    )
    .await
}

/// Reads a run directory's `run.json` into the request that started it: the same mission (from
/// the copy kept in the run directory), context, inputs, backends and variation. `out` is unset.
pub fn request_from_run(dir: &Path) -> Result<(PathBuf, Manifest, RunRequest), Error> {
    let dir = std::path::absolute(dir).map_err(|source| StoreError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let manifest_path = dir.join("run.json");
    let text = std::fs::read_to_string(&manifest_path).map_err(|source| StoreError::Io {
        path: manifest_path.clone(),
        source,
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| StoreError::BadLog {
        path: manifest_path.clone(),
        line: e.line(),
        message: e.to_string(),
    })?;
    // Plan from the copy of the mission taken when the run started, so edits to the original
    // cannot change what the recorded steps meant.
    let req = RunRequest {
        mission: dir
            .join(format!("{}.md", manifest.mission))
            .display()
            .to_string(),
        context: manifest.context.clone(),
        inputs: manifest.inputs.clone(),
        out: None,
        backends: BackendChoice {
            all: manifest.backend.clone(),
            per_agent: manifest.agent_backends.clone(),
        },
        cwd: manifest.cwd.clone(),
        origin: Some(manifest.mission_path.clone()),
        variation: manifest.variation.clone(),
        date: manifest.date.as_deref().and_then(|d| d.parse().ok()),
        today: manifest.today.as_deref().and_then(|d| d.parse().ok()),
        clock: None,
        in_memory: false,
    };
    Ok((dir, manifest, req))
}

/// Continues the run in `dir` from its event log.
pub async fn resume(
    dir: &Path,
    settings: &Settings,
    registry: &Registry,
    sink: Arc<dyn EventSink>,
    cancel: CancellationToken,
) -> Result<RunReport, Error> {
    let (dir, manifest, req) = request_from_run(dir)?;
    let dir = &dir;
    let req = RunRequest {
        out: Some(dir.to_path_buf()),
        ..req
    };
    let mut prepared = prepare(&req, settings, registry)?;
    Arc::make_mut(&mut prepared.plan.mission).path = Some(manifest.mission_path.clone());
    let (store, events, repairs) = RunStore::open(dir)?;
    let mut progress = store::progress(&events);
    let mut notes = repairs.notes();
    if progress.finished {
        if dir.join("summary.json").is_file() {
            return Err(Error::AlreadyFinished(dir.to_path_buf()));
        }
        // Killed after the last step but before its summary: write the documents and summary.
        notes.push("the run had finished but was stopped before writing summary.json; writing its documents and summary".into());
    }
    let mut board = Blackboard::new(prepared.plan.policies.clone());
    board.restore(std::mem::take(&mut progress.entries));
    let started = manifest
        .started_at
        .parse()
        .unwrap_or_else(|_| jiff::Timestamp::now());
    drive(
        &prepared.plan,
        Arc::new(store),
        board,
        progress,
        Resumed::Yes(notes),
        started,
        settings,
        sink,
        cancel,
    )
    .await
}

/// Whether `drive` continues an earlier invocation, with what resume repaired.
enum Resumed {
    No,
    Yes(Vec<String>),
}

#[allow(clippy::too_many_arguments)]
async fn drive(
    plan: &Plan,
    store: Arc<dyn store::RunStorage>,
    mut board: Blackboard,
    earlier: store::Progress,
    resumed: Resumed,
    started_at: jiff::Timestamp,
    settings: &Settings,
    sink: Arc<dyn EventSink>,
    cancel: CancellationToken,
) -> Result<RunReport, Error> {
    let t0 = Instant::now();
    let store::Progress {
        done, delivered, ..
    } = earlier;
    let dir = store.dir().to_path_buf();
    let run_id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let fan = Fanout(vec![store.clone() as Arc<dyn EventSink>, sink]);
    let write = |name: String, bytes: Vec<u8>| store_write(&store, name, bytes);
    let (resumed, notes) = match resumed {
        Resumed::No => (false, Vec::new()),
        Resumed::Yes(notes) => (true, notes),
    };
    fan.emit(&Event::RunStarted {
        run_id: run_id.clone(),
        mission: plan.mission.name.clone(),
        title: plan.mission.title.clone(),
        phases: plan.phases.len(),
        resumed,
    });
    for note in notes {
        fan.emit(&Event::Recovered { note });
    }
    let span = tracing::info_span!("mission", name = %plan.mission.name);
    span.in_scope(
        || tracing::info!(dir = %dir.display(), phases = plan.phases.len(), resumed, "run started"),
    );
    let coordinator = Coordinator::new(
        plan,
        settings.run.agent_timeout_secs,
        settings.run.phase_timeout_secs,
        &fan,
        cancel,
    )
    .with_context(store.on_disk().then(|| dir.clone()), plan.pack.clone())
    .with_delivered(delivered);
    let mut stats = Vec::new();
    let outcome =
        tracing::Instrument::instrument(coordinator.run(&mut board, &done, &mut stats), span).await;
    let view = board.view();
    let mut summary = Summary {
        format: "coord-summary",
        version: report::REPORT_VERSION,
        run_id,
        mission: plan.mission.name.clone(),
        status: RunStatus::Failed,
        exit_code: 3,
        started_at: started_at.to_string(),
        finished_at: String::new(),
        elapsed_ms: 0,
        agents: Vec::new(),
        criteria: CriteriaCounts::default(),
        files: Vec::new(),
        error: None,
        llm: None,
        highlights: Vec::new(),
    };
    match outcome {
        Ok(()) => {}
        Err(e) => {
            let status = if matches!(e, RunError::Cancelled) {
                RunStatus::Cancelled
            } else {
                RunStatus::Failed
            };
            summary.status = status;
            summary.exit_code = exit_code(status);
            summary.error = Some(e.to_string());
            summary.agents = stats.clone();
            summary.llm = total_usage(&stats);
            summary.elapsed_ms = t0.elapsed().as_millis() as u64;
            summary.finished_at = jiff::Timestamp::now().to_string();
            fan.emit(&Event::RunFinished {
                status,
                elapsed_ms: summary.elapsed_ms,
            });
            store.sync();
            write("summary.json".into(), to_json(&summary)).await?;
            return Err(Error::Run {
                dir,
                source: Box::new(e),
            });
        }
    };
    let pack = plan.pack.clone();
    let verdicts = match &pack {
        Some(p) => p.criteria(&plan.mission, &view),
        None => crate::criteria::unchecked(&plan.mission),
    };
    fan.emit(&Event::CriteriaChecked {
        verdicts: verdicts.clone(),
    });
    let mut files = vec![
        write(
            "plan.md".into(),
            report::plan_markdown(plan, &view, &verdicts),
        )
        .await?,
        write(
            "plan.json".into(),
            report::plan_json(plan, &view, &verdicts),
        )
        .await?,
    ];
    if let Some(p) = &pack {
        for doc in p
            .documents(&plan.mission, &view, &verdicts)
            .map_err(Error::Finish)?
        {
            files.push(write(doc.name, doc.bytes).await?);
        }
    }
    let status = if verdicts.iter().any(|v| v.status == Status::Failed) {
        RunStatus::CriteriaFailed
    } else {
        RunStatus::Completed
    };
    summary.status = status;
    summary.exit_code = exit_code(status);
    summary.agents = stats.clone();
    summary.llm = total_usage(&stats);
    summary.criteria = CriteriaCounts::of(&verdicts);
    let highlights = pack
        .as_ref()
        .map(|p| p.highlights(&plan.mission, &view))
        .unwrap_or_default();
    summary.highlights = highlights.clone();
    summary.elapsed_ms = t0.elapsed().as_millis() as u64;
    summary.finished_at = jiff::Timestamp::now().to_string();
    files.push(dir.join("summary.json"));
    summary.files = files
        .iter()
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    fan.emit(&Event::RunFinished {
        status,
        elapsed_ms: summary.elapsed_ms,
    });
    store.sync();
    write("summary.json".into(), to_json(&summary)).await?;
    if let Some(e) = store.take_error() {
        return Err(Error::Store(StoreError::Io {
            path: dir.join("events.jsonl"),
            source: e,
        }));
    }
    Ok(RunReport {
        dir,
        status,
        verdicts,
        files,
        stats,
        highlights,
        documents: store.files().unwrap_or_default(),
    })
}

/// Writes through `store`: on disk off the runtime's worker threads (create, write, fsync,
/// rename block), in memory in place.
async fn store_write(
    store: &Arc<dyn store::RunStorage>,
    name: String,
    bytes: Vec<u8>,
) -> Result<PathBuf, StoreError> {
    if !store.on_disk() {
        return store.write(&name, &bytes);
    }
    let store = store.clone();
    blocking(move || store.write(&name, &bytes)).await
}

/// Runs file work (create, write, fsync, rename) off the runtime's worker threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => Err(StoreError::Io {
            path: PathBuf::new(),
            source: std::io::Error::other(format!("file task stopped: {e}")),
        }),
    }
}

/// The sum of every step's LLM usage, or `None` when no step made calls.
pub fn total_usage(stats: &[AgentStat]) -> Option<crate::agent::Usage> {
    let mut total: Option<crate::agent::Usage> = None;
    for u in stats.iter().filter_map(|s| s.usage.as_ref()) {
        total.get_or_insert_with(Default::default).add(u);
    }
    total
}

fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).unwrap_or_default();
    b.push(b'\n');
    b
}
