//! Building the backend stack from settings, once per run, and registering the `llm` backend.
//!
//! Order, outermost first: `budget → record/replay → retry → limit → timeout → http` (see
//! [`crate::layers`]). In replay mode the tape is the leaf and nothing below it exists, so a
//! replayed run cannot reach the network. Every live or replayed exchange is also written to the
//! run directory's own `cassette.jsonl`, which `coord replay <run-dir>` serves from.

use crate::agent::LlmAgent;
use crate::cassette::{self, Mode, Record, Replay, Tape, Writer};
use crate::http::HttpBackend;
use crate::layers::{Budget, Limit, Retry, RetryPolicy, Spent, Timeout};
use crate::types::{CallInfo, LlmBackend, LlmError, LlmRequest, LlmResponse};
use coord_core::config::{LlmMode, LlmSettings, Settings};
use coord_core::{Agent, BuildError, Registry};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// The per-run LLM machinery shared by every LLM agent: the layered backend, the spend counter,
/// and the run's own cassette.
pub struct LlmRuntime {
    settings: LlmSettings,
    env: Arc<[(String, String)]>,
    stack: OnceLock<Result<Arc<dyn LlmBackend>, String>>,
    spent: Arc<Mutex<Spent>>,
    run_cassette: Arc<RunCassette>,
    json_object_only: std::sync::atomic::AtomicBool,
}

/// The run directory's cassette, opened on the first call (the directory exists by then). A
/// resumed run reads the exchanges its earlier invocations recorded and serves the same requests
/// from them: a reply that arrived before a kill is never asked for again.
#[derive(Default)]
pub struct RunCassette {
    state: Mutex<Option<RunTape>>,
    secrets: Vec<String>,
}

struct RunTape {
    path: PathBuf,
    writer: Writer,
    earlier: Tape,
}

impl RunCassette {
    /// Runs `f` on the cassette of `dir`, opening it (and what it already holds) first.
    fn with<T>(
        &self,
        dir: &Path,
        f: impl FnOnce(&mut RunTape) -> Result<T, LlmError>,
    ) -> Result<T, LlmError> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let path = dir.join("cassette.jsonl");
        if state.as_ref().is_none_or(|t| t.path != path) {
            // Appended to: a resumed run's cassette keeps the calls of the invocations before,
            // read once, after a torn last line is cut.
            let (writer, earlier) = Writer::append(&path, self.secrets.clone())?;
            *state = Some(RunTape {
                path,
                writer,
                earlier: Tape::new(earlier),
            });
        }
        match state.as_mut() {
            Some(t) => f(t),
            None => unreachable!("opened above"),
        }
    }

    /// The reply an earlier invocation of this run received for `req`, if any.
    fn earlier(&self, dir: &Path, req: &LlmRequest) -> Result<Option<LlmResponse>, LlmError> {
        self.with(dir, |t| Ok(t.earlier.next(req)))
    }

    fn record(
        &self,
        dir: &Path,
        req: &LlmRequest,
        resp: &LlmResponse,
        call: &CallInfo,
    ) -> Result<(), LlmError> {
        self.with(dir, |t| t.writer.record(req, resp, call))
    }
}

impl LlmRuntime {
    /// A runtime for these settings; `env` is where the API key variable is looked up.
    pub fn new(settings: LlmSettings, env: Arc<[(String, String)]>) -> Self {
        let secrets = api_key(&settings, &env).into_iter().collect();
        Self {
            settings,
            env,
            stack: OnceLock::new(),
            spent: Arc::new(Mutex::new(Spent::default())),
            run_cassette: Arc::new(RunCassette {
                state: Mutex::new(None),
                secrets,
            }),
            json_object_only: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// True once the endpoint has rejected `json_schema` in this run.
    pub fn json_object_only(&self) -> bool {
        self.json_object_only
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Asks every later call for `json_object` instead of `json_schema`.
    pub fn use_json_object(&self) {
        self.json_object_only
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// The backend stack, built on first use.
    pub fn backend(&self) -> Result<Arc<dyn LlmBackend>, LlmError> {
        self.stack
            .get_or_init(|| {
                build(&self.settings, &self.env, self.spent.clone()).map_err(|e| e.to_string())
            })
            .clone()
            .map_err(LlmError::Budget)
    }

    /// Completes a call and keeps it in the run directory's cassette; a request an earlier
    /// invocation of the same run already had answered is served from there.
    pub async fn complete(
        &self,
        req: &LlmRequest,
        call: &CallInfo,
        run_dir: Option<&Path>,
    ) -> Result<LlmResponse, LlmError> {
        if let Some(d) = run_dir
            && let Some(r) = self.run_cassette.earlier(d, req)?
        {
            return Ok(r);
        }
        let r = self.backend()?.complete(req, call).await?;
        if let Some(d) = run_dir {
            self.run_cassette.record(d, req, &r, call)?;
        }
        Ok(r)
    }
}

fn api_key(s: &LlmSettings, env: &[(String, String)]) -> Option<String> {
    if s.api_key_env.is_empty() {
        return None;
    }
    env.iter()
        .find(|(k, _)| *k == s.api_key_env)
        .map(|(_, v)| v.clone())
}

/// How many times `timeout_secs` a streamed reply may take in all (each silence between chunks
/// is at most `timeout_secs`).
pub const STREAM_CAP: u32 = 10;

/// Builds the layered backend.
pub fn build(
    s: &LlmSettings,
    env: &[(String, String)],
    spent: Arc<Mutex<Spent>>,
) -> Result<Arc<dyn LlmBackend>, LlmError> {
    let mode = match s.mode {
        LlmMode::Live => None,
        LlmMode::Record => Some(Mode::Record),
        LlmMode::Replay => Some(Mode::Replay),
        LlmMode::Auto => Some(Mode::Auto),
    };
    let cassette_path = PathBuf::from(&s.cassette);
    if mode.is_some() && s.cassette.is_empty() {
        return Err(LlmError::Budget(format!(
            "llm.mode = {} needs a cassette file (--record, --replay or --cassette)",
            s.mode
        )));
    }
    let live = || -> Result<Arc<dyn LlmBackend>, LlmError> {
        let timeout = Duration::from_secs_f64(s.timeout_secs.max(0.001));
        let http: Arc<dyn LlmBackend> = Arc::new(HttpBackend::new(
            &s.base_url,
            api_key(s, env),
            timeout + Duration::from_secs(1),
            s.stream,
        )?);
        // A stream's attempt is timed by its silences (the client's read timeout); the whole
        // attempt is still capped, at STREAM_CAP × the timeout.
        let cap = if s.stream {
            timeout.saturating_mul(STREAM_CAP)
        } else {
            timeout
        };
        let timed: Arc<dyn LlmBackend> = Arc::new(Timeout::new(http, cap));
        let limited: Arc<dyn LlmBackend> = Arc::new(Limit::new(
            timed,
            Arc::new(tokio::sync::Semaphore::new(s.concurrency.max(1) as usize)),
        ));
        Ok(Arc::new(Retry::new(
            limited,
            RetryPolicy {
                retries: s.retries,
                base: Duration::from_millis(s.retry_base_ms),
                max: Duration::from_millis(s.retry_max_ms.max(s.retry_base_ms)),
            },
        )))
    };
    let secrets: Vec<String> = api_key(s, env).into_iter().collect();
    let core: Arc<dyn LlmBackend> = match mode {
        None => live()?,
        Some(Mode::Replay) => Arc::new(Replay::new(Arc::new(Tape::new(cassette::load(
            &cassette_path,
        )?)))),
        Some(Mode::Record) => {
            let w = Arc::new(Mutex::new(Writer::create(&cassette_path, secrets)?));
            Arc::new(Record::new(live()?, vec![w], None))
        }
        Some(Mode::Auto) => {
            let tape = if cassette_path.exists() {
                cassette::load(&cassette_path)?
            } else {
                Vec::new()
            };
            // Auto rewrites the cassette with every exchange of this run, hits and misses.
            let w = Arc::new(Mutex::new(Writer::create(&cassette_path, secrets)?));
            Arc::new(Record::new(
                live()?,
                vec![w],
                Some(Arc::new(Tape::new(tape))),
            ))
        }
    };
    let max_tokens = (s.max_run_tokens > 0).then_some(s.max_run_tokens);
    let max_cost = (s.max_run_cost > 0.0).then_some(s.max_run_cost);
    Ok(Arc::new(Budget::new(
        core,
        spent,
        max_tokens,
        max_cost,
        s.price_per_1k,
    )))
}

/// Registers the `llm` backend. `runtime` is shared by every LLM agent of the run; `rules` is the
/// registry whose rule sets serve as fallbacks (`fallback: rules` in an agent file).
pub fn register(registry: &mut Registry, env: Vec<(String, String)>) {
    let env: Arc<[(String, String)]> = env.into();
    // A snapshot of the registry as the `llm` backend is added: the rule sets that serve as
    // fallbacks and the packs, shared by every LLM agent of every run.
    let rules = Arc::new(registry.clone());
    registry.register_backend("llm", move |spec, settings: &Settings| {
        // One runtime per run, shared by its LLM agents: the run's settings, budget, cassette
        // and share of the call limit — never another run's.
        let rt = spec
            .scope
            .get_or_init(|| LlmRuntime::new(settings.llm.clone(), env.clone()));
        let wants_fallback = match spec.file.extra.get("fallback").and_then(|v| v.as_str()) {
            Some(v) => v == "rules",
            None => settings.llm.fallback == coord_core::config::Fallback::Rules,
        };
        let fallback = if wants_fallback {
            let mut rule_spec = spec.clone();
            rule_spec.backend = "rules".into();
            rule_spec.rules = Some(
                spec.file
                    .rules
                    .clone()
                    .unwrap_or_else(|| settings.agents.default_rules.clone()),
            );
            Some(rules.build(&rule_spec, settings)?)
        } else {
            None
        };
        // The agent file may override the model and temperature.
        let mut s = settings.llm.clone();
        if let Some(m) = &spec.file.model {
            s.model = m.clone();
        }
        if let Some(t) = spec.file.temperature {
            s.temperature = t;
        }
        if let Some(c) = spec
            .file
            .extra
            .get("context_tokens")
            .and_then(serde_json::Value::as_u64)
        {
            s.context_tokens = u32::try_from(c).unwrap_or(u32::MAX);
        }
        let invalid = |message: String| BuildError::Invalid {
            agent: spec.name.clone(),
            message,
        };
        if s.base_url.is_empty() {
            return Err(invalid(
                "llm.base_url is empty; set it in coord.toml or COORD__LLM__BASE_URL".into(),
            ));
        }
        // Checked when the agent is built (exit 2), not at the first call (exit 3).
        if s.mode != coord_core::config::LlmMode::Replay {
            match reqwest::Url::parse(&s.base_url) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
                _ => {
                    return Err(invalid(format!(
                        "llm.base_url `{}` is not an http(s) URL; write it like http://127.0.0.1:8080/v1",
                        s.base_url
                    )));
                }
            }
            if !s.api_key_env.is_empty() && api_key(&s, &env).is_none() {
                return Err(invalid(format!(
                    "llm.api_key_env names the environment variable `{}`, which is not set; export it, or set llm.api_key_env = \"\" for a server that needs no key",
                    s.api_key_env
                )));
            }
        }
        if s.context_tokens > 0 && s.max_tokens >= s.context_tokens {
            return Err(invalid(format!(
                "llm.max_tokens = {} leaves no room for a prompt in a {}-token context (llm.context_tokens); lower max_tokens or raise context_tokens",
                s.max_tokens, s.context_tokens
            )));
        }
        Ok(Arc::new(LlmAgent::new(spec, s, rt, fallback, rules.clone())) as Arc<dyn Agent>)
    });
}
