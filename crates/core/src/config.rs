//! Settings, resolved once: embedded `config/default.toml` → the user's `coord.toml` in the
//! platform's config directory → the project's `coord.toml` (or `--config FILE`) →
//! `COORD__SECTION__KEY` environment variables → command-line overrides. Nothing downstream reads
//! files or the environment for settings; everything gets a typed [`Settings`].
//!
//! Unknown keys are collected (not silently dropped) so the CLI can warn about typos; a bad value
//! is an error naming the key, the file and, when it can be found, the line.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The embedded defaults, documented in place.
pub const DEFAULT_TOML: &str = include_str!("../../../config/default.toml");

/// All of coord's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Search paths and the runs folder.
    pub paths: PathSettings,
    /// Timeouts.
    pub run: RunSettings,
    /// Agent backends.
    pub agents: AgentSettings,
    /// The LLM backend.
    pub llm: LlmSettings,
}

/// `[llm]`: the OpenAI-compatible endpoint LLM agents use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmSettings {
    /// `{base_url}/chat/completions` is called.
    pub base_url: String,
    /// Model name.
    pub model: String,
    /// Name of the environment variable holding the API key ("" for none).
    pub api_key_env: String,
    /// Sampling temperature.
    pub temperature: f64,
    /// Reply length limit.
    pub max_tokens: u32,
    /// Sampling seed (0 = none).
    pub seed: u64,
    /// Seconds per attempt.
    pub timeout_secs: f64,
    /// Retries after the first attempt (429, 5xx, connection errors, timeouts).
    pub retries: u32,
    /// First backoff delay, milliseconds.
    pub retry_base_ms: u64,
    /// Longest backoff delay (and `Retry-After` cap), milliseconds.
    pub retry_max_ms: u64,
    /// Calls in flight at once, across all agents of a run.
    pub concurrency: u32,
    /// Price per 1,000 tokens, for cost accounting (0 = free).
    pub price_per_1k: f64,
    /// Use streaming (SSE) responses.
    pub stream: bool,
    /// `json_schema` (grammar-constrained where supported) or `json_object`.
    pub structured: Structured,
    /// Times to re-ask with the validation errors before giving up.
    pub max_reasks: u32,
    /// Characters of inputs and blackboard put in a prompt; the rest is cut with a note.
    pub max_input_chars: usize,
    /// The model's context window in tokens: a prompt is trimmed to fit it with `max_tokens` left
    /// for the reply, and a request that cannot fit is refused before it is sent (0 = unknown:
    /// no check). An agent file may set its own (`context_tokens: 32768`).
    pub context_tokens: u32,
    /// The JSON Schema dialect of the endpoint: `auto` (from the URL), `standard` (llama.cpp,
    /// vLLM, LM Studio), `openai` (strict mode: every property required) or `ollama`
    /// (references inlined).
    pub dialect: Dialect,
    /// What an LLM agent does when no reply can be used: `none` (the step fails, exit 3) or
    /// `rules` (its rule set does the step, recorded as a fallback). An agent file's
    /// `fallback: rules` also turns it on for that agent.
    pub fallback: Fallback,
    /// Stop the run before a call once this many tokens are used (0 = no limit).
    pub max_run_tokens: u64,
    /// Stop the run before a call once this cost is reached (0 = no limit).
    pub max_run_cost: f64,
    /// `live`, `record`, `replay` or `auto`.
    pub mode: LlmMode,
    /// The cassette for `record`, `replay` and `auto`.
    pub cassette: String,
}

/// `llm.mode`: where LLM replies come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LlmMode {
    /// Every call goes to the endpoint.
    Live,
    /// Calls go to the endpoint and are recorded in the cassette.
    Record,
    /// Every call is served from the cassette; a miss is an error.
    Replay,
    /// Replay hits, call and record misses.
    Auto,
}

impl std::fmt::Display for LlmMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LlmMode::Live => "live",
            LlmMode::Record => "record",
            LlmMode::Replay => "replay",
            LlmMode::Auto => "auto",
        })
    }
}

/// `llm.structured`: how structured replies are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Structured {
    /// `response_format: json_schema` (constrained decoding where the server supports it).
    JsonSchema,
    /// `response_format: json_object`, the schema in the prompt.
    JsonObject,
}

/// `llm.dialect`: which JSON Schema subset the endpoint accepts for structured output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// Chosen from `base_url`: `openai` for api.openai.com, `ollama` for port 11434 or a URL
    /// naming ollama, `standard` otherwise.
    Auto,
    /// JSON Schema with `$defs` at the root (llama.cpp, vLLM, LM Studio).
    Standard,
    /// OpenAI strict mode: every property required (optional ones nullable), no `strict`
    /// surprises.
    Openai,
    /// Ollama: every `$ref` inlined.
    Ollama,
}

impl Dialect {
    /// The dialect for an endpoint, `auto` resolved from its URL.
    pub fn resolve(self, base_url: &str) -> Dialect {
        if self != Dialect::Auto {
            return self;
        }
        let u = base_url.to_ascii_lowercase();
        if u.contains("api.openai.com") || u.contains(".openai.azure.com") {
            Dialect::Openai
        } else if u.contains(":11434") || u.contains("ollama") {
            Dialect::Ollama
        } else {
            Dialect::Standard
        }
    }
}

/// `llm.fallback`: what an LLM agent does when no reply can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// The step fails.
    None,
    /// The agent's rule set does the step.
    Rules,
}

/// `[paths]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathSettings {
    /// Extra mission folders, after the project's `missions/`.
    pub missions: Vec<PathBuf>,
    /// Extra agent folders, after the project's `agents/`.
    pub agents: Vec<PathBuf>,
    /// Where run directories are created.
    pub runs: PathBuf,
}

/// `[run]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    /// Seconds one agent may take on one phase.
    pub agent_timeout_secs: f64,
    /// Seconds a phase may take (0 = no limit).
    pub phase_timeout_secs: f64,
    /// Exit 2 instead of running when a key fact would be defaulted.
    #[serde(default)]
    pub strict: bool,
    /// The date documents carry (`YYYY-MM-DD`; "" for the plan's own start date).
    #[serde(default)]
    pub date: String,
}

impl RunSettings {
    /// `run.date`, read (checked at load).
    pub fn date(&self) -> Option<jiff::civil::Date> {
        (!self.date.trim().is_empty())
            .then(|| crate::clock::parse_date(&self.date).ok())
            .flatten()
    }
}

/// `[agents]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentSettings {
    /// Backend for agent files with no `backend:` key.
    pub default_backend: String,
    /// Rule set for `rules` agents with no `rules:` key.
    pub default_rules: String,
    /// Per-agent overrides.
    #[serde(default)]
    pub overrides: BTreeMap<String, AgentOverride>,
}

/// `[agents.overrides.NAME]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentOverride {
    /// Backend for this agent.
    pub backend: Option<String>,
    /// Rule set for this agent.
    pub rules: Option<String>,
}

/// Where settings come from, besides the embedded defaults.
#[derive(Debug, Clone, Default)]
pub struct ConfigSources {
    /// `--config FILE`; when `None`, `coord.toml` in `dir` is used if it exists.
    pub file: Option<PathBuf>,
    /// The directory to look for `coord.toml` in.
    pub dir: PathBuf,
    /// The user's settings file (`~/.config/coord/coord.toml` on Linux), read below the
    /// project's when it exists.
    pub user: Option<PathBuf>,
    /// Environment variables to read (normally `std::env::vars()`); only `COORD__*` are used.
    pub env: Vec<(String, String)>,
    /// `key.path = value` overrides from flags, applied last.
    pub overrides: Vec<(String, String)>,
}

/// A configuration problem.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// `--config FILE` does not exist or cannot be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid TOML, or a value has the wrong type.
    #[error("{}{message}", location(path.as_deref(), *line))]
    Invalid {
        /// The file, when the value came from one.
        path: Option<PathBuf>,
        /// The line of the key in that file, when found.
        line: Option<usize>,
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
}

fn location(path: Option<&Path>, line: Option<usize>) -> String {
    match (path, line) {
        (Some(p), Some(l)) => format!("{}:{l}: ", p.display()),
        (Some(p), None) => format!("{}: ", p.display()),
        _ => String::new(),
    }
}

impl ConfigError {
    /// The fix, for the CLI to print.
    pub fn help(&self) -> Option<&str> {
        match self {
            ConfigError::Invalid { help, .. } => Some(help),
            ConfigError::Read { .. } => Some("check the path given to --config"),
        }
    }
}

/// Settings plus the unknown keys that were ignored.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The resolved settings.
    pub settings: Settings,
    /// Dotted paths of keys coord does not know (`run.agent_timeout`).
    pub unknown_keys: Vec<String>,
    /// The config file that was used, if any.
    pub file: Option<PathBuf>,
    /// The user's settings file, when one was read.
    pub user_file: Option<PathBuf>,
}

impl Settings {
    /// The embedded defaults alone.
    pub fn defaults() -> Self {
        // The embedded file is checked by a unit test; failing here is a build defect.
        match Self::load(&ConfigSources::default()) {
            Ok(l) => l.settings,
            Err(e) => panic!("embedded config/default.toml is invalid: {e}"),
        }
    }

    /// Resolves settings from every source.
    pub fn load(src: &ConfigSources) -> Result<Loaded, ConfigError> {
        let mut builder = config::Config::builder().add_source(config::File::from_str(
            DEFAULT_TOML,
            config::FileFormat::Toml,
        ));
        let user_file = src.user.clone().filter(|u| u.is_file());
        if let Some(u) = &user_file {
            let text = std::fs::read_to_string(u).map_err(|source| ConfigError::Read {
                path: u.clone(),
                source,
            })?;
            syntax(u, &text)?;
            builder = builder.add_source(config::File::from_str(&text, config::FileFormat::Toml));
        }
        let file = match &src.file {
            Some(f) => {
                std::fs::metadata(f).map_err(|source| ConfigError::Read {
                    path: f.clone(),
                    source,
                })?;
                Some(f.clone())
            }
            None => {
                let f = src.dir.join("coord.toml");
                f.is_file().then_some(f)
            }
        };
        let file_text = match &file {
            Some(f) => Some(
                std::fs::read_to_string(f).map_err(|source| ConfigError::Read {
                    path: f.clone(),
                    source,
                })?,
            ),
            None => None,
        };
        if let (Some(f), Some(text)) = (&file, &file_text) {
            builder = builder.add_source(config::File::from_str(text, config::FileFormat::Toml));
            syntax(f, text)?;
        }
        let env: BTreeMap<String, String> = src
            .env
            .iter()
            .filter(|(k, _)| k.starts_with("COORD__"))
            .cloned()
            .collect();
        builder = builder.add_source(
            config::Environment::with_prefix("COORD")
                .prefix_separator("__")
                .separator("__")
                .list_separator(",")
                .with_list_parse_key("paths.missions")
                .with_list_parse_key("paths.agents")
                .try_parsing(true)
                .source(Some(env.into_iter().collect())),
        );
        for (k, v) in &src.overrides {
            builder = builder
                .set_override(k.as_str(), v.as_str())
                .map_err(|e| invalid(None, None, e.to_string(), k))?;
        }
        let cfg = builder
            .build()
            .map_err(|e| invalid(file.as_deref(), file_text.as_deref(), e.to_string(), ""))?;
        let mut unknown = Vec::new();
        let settings: Settings =
            serde_ignored::deserialize(cfg, |p| unknown.push(p.to_string()))
                .map_err(|e| invalid(file.as_deref(), file_text.as_deref(), e.to_string(), ""))?;
        if let Err((key, message, help)) = settings.check() {
            // Name where the value came from: a flag, or the file's line.
            let from_flag = src.overrides.iter().any(|(k, _)| *k == key);
            let line = (!from_flag)
                .then(|| file_text.as_deref().and_then(|t| key_line(t, &key)))
                .flatten();
            return Err(ConfigError::Invalid {
                path: line.and(file.clone()),
                line,
                message,
                help,
            });
        }
        Ok(Loaded {
            settings,
            unknown_keys: unknown,
            file,
            user_file,
        })
    }
}

/// The longest timeout coord accepts: a week.
pub const MAX_TIMEOUT_SECS: f64 = 7.0 * 24.0 * 3600.0;

impl Settings {
    /// Checks every value's range, so a bad setting stops the command before a run directory
    /// exists: `(key, what is wrong, how to fix it)`.
    pub fn check(&self) -> Result<(), (String, String, String)> {
        let err = |key: &str, message: String, help: &str| {
            Err((
                key.to_string(),
                format!("`{key}`: {message}"),
                help.to_string(),
            ))
        };
        let secs = |key: &str, v: f64, zero_ok: bool| {
            let low_ok = if zero_ok { v >= 0.0 } else { v > 0.0 };
            if v.is_finite() && low_ok && v <= MAX_TIMEOUT_SECS {
                Ok(())
            } else {
                err(
                    key,
                    format!(
                        "{} seconds is out of range",
                        if v.abs() >= 1e9 {
                            format!("{v:e}")
                        } else {
                            v.to_string()
                        }
                    ),
                    if zero_ok {
                        "give seconds from 0 (no limit) to 604800 (a week), e.g. 600"
                    } else {
                        "give seconds above 0 and up to 604800 (a week), e.g. 120"
                    },
                )
            }
        };
        if !self.run.date.trim().is_empty()
            && let Err(e) = crate::clock::parse_date(&self.run.date)
        {
            return err(
                "run.date",
                e,
                "give a date as YYYY-MM-DD, e.g. --date 2027-01-01",
            );
        }
        secs("run.agent_timeout_secs", self.run.agent_timeout_secs, false)?;
        secs("run.phase_timeout_secs", self.run.phase_timeout_secs, true)?;
        secs("llm.timeout_secs", self.llm.timeout_secs, false)?;
        let l = &self.llm;
        if !(l.max_run_cost.is_finite() && l.max_run_cost >= 0.0) {
            return err(
                "llm.max_run_cost",
                format!("{} is not a cost", l.max_run_cost),
                "give a cost of 0 (no limit) or more, e.g. 0.50",
            );
        }
        if !(l.price_per_1k.is_finite() && l.price_per_1k >= 0.0) {
            return err(
                "llm.price_per_1k",
                format!("{} is not a price", l.price_per_1k),
                "give a price per 1,000 tokens of 0 (free) or more",
            );
        }
        if !(l.temperature.is_finite() && (0.0..=2.0).contains(&l.temperature)) {
            return err(
                "llm.temperature",
                format!("{} is outside 0–2", l.temperature),
                "give a temperature from 0 to 2 (0 for repeatable replies)",
            );
        }
        if l.concurrency == 0 {
            return err(
                "llm.concurrency",
                "0 calls at once can never make a call".into(),
                "give 1 or more",
            );
        }
        if l.mode != LlmMode::Live && l.cassette.is_empty() {
            return err(
                "llm.mode",
                format!("`{}` needs a cassette file", l.mode),
                "give one with --record FILE, --replay FILE or --cassette FILE (or set llm.cassette)",
            );
        }
        Ok(())
    }
}

/// Surfaces a TOML syntax error with the file's own line number.
fn syntax(path: &Path, text: &str) -> Result<(), ConfigError> {
    match text.parse::<toml::Table>() {
        Ok(_) => Ok(()),
        Err(e) => Err(ConfigError::Invalid {
            path: Some(path.to_path_buf()),
            line: e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1),
            message: e.message().to_string(),
            help: "fix the TOML syntax (see config/default.toml for every key)".into(),
        }),
    }
}

fn invalid(
    path: Option<&Path>,
    text: Option<&str>,
    message: String,
    key_hint: &str,
) -> ConfigError {
    // config's messages end with `for key `run.agent_timeout_secs``; find that key's line.
    let key = message
        .split("for key `")
        .nth(1)
        .and_then(|r| r.split('`').next())
        .map(str::to_string)
        .or_else(|| (!key_hint.is_empty()).then(|| key_hint.to_string()));
    let line = match (text, &key) {
        (Some(t), Some(k)) => key_line(t, k),
        _ => None,
    };
    let help = match key.as_deref() {
        Some("llm.mode") => "`llm.mode` is one of live, record, replay, auto".to_string(),
        Some("llm.structured") => "`llm.structured` is json_schema or json_object".to_string(),
        Some(k) => format!("check the value of `{k}` against config/default.toml"),
        None => "see config/default.toml for every key and its type".to_string(),
    };
    let message = message
        .split(" in ")
        .next()
        .unwrap_or(&message)
        .replace(
            "enum LlmMode does not have variant constructor",
            "unknown mode",
        )
        .replace(
            "enum Structured does not have variant constructor",
            "unknown value",
        );
    ConfigError::Invalid {
        path: path.map(Path::to_path_buf),
        line,
        message,
        help,
    }
}

/// The line of `section.key` in a TOML text, by a line scan (enough for error messages).
fn key_line(text: &str, dotted: &str) -> Option<usize> {
    let (section, key) = match dotted.rsplit_once('.') {
        Some((s, k)) => (s, k),
        None => ("", dotted),
    };
    let mut current = String::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if let Some(s) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            current = s.trim().to_string();
            continue;
        }
        let k = t.split('=').next().unwrap_or("").trim();
        if t.contains('=') && k == key && current == section {
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_with(file: Option<&str>, env: &[(&str, &str)]) -> Result<Loaded, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        if let Some(f) = file {
            std::fs::write(dir.path().join("coord.toml"), f).unwrap();
        }
        Settings::load(&ConfigSources {
            file: None,
            dir: dir.path().to_path_buf(),
            user: None,
            env: env
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            overrides: vec![],
        })
    }

    #[test]
    fn embedded_defaults_are_complete_and_known() {
        let l = load_with(None, &[]).unwrap();
        assert!(l.unknown_keys.is_empty(), "{:?}", l.unknown_keys);
        assert_eq!(l.settings.agents.default_backend, "rules");
        assert_eq!(l.settings.run.agent_timeout_secs, 300.0);
    }

    #[test]
    fn layers_apply_in_order() {
        let l = load_with(
            Some("[run]\nagent_timeout_secs = 20\n[paths]\nruns = \"out\"\n"),
            &[("COORD__RUN__AGENT_TIMEOUT_SECS", "7"), ("OTHER", "x")],
        )
        .unwrap();
        assert!(l.unknown_keys.is_empty());
        assert_eq!(
            l.settings.run.agent_timeout_secs, 7.0,
            "environment beats the file"
        );
        assert_eq!(l.settings.paths.runs, PathBuf::from("out"));
    }

    #[test]
    fn bad_value_names_file_key_and_line() {
        let e = load_with(
            Some("[paths]\nruns = \"r\"\n\n[run]\nagent_timeout_secs = \"soon\"\n"),
            &[],
        )
        .unwrap_err();
        let s = e.to_string();
        assert!(s.contains("coord.toml:5:"), "{s}");
        assert!(s.contains("agent_timeout_secs"), "{s}");
    }

    #[test]
    fn unknown_keys_are_reported_not_fatal() {
        let l = load_with(Some("[run]\nagent_timeout = 5\n"), &[]).unwrap();
        assert_eq!(l.unknown_keys, ["run.agent_timeout"]);
    }

    #[test]
    fn syntax_error_has_a_line() {
        let e = load_with(Some("[run]\nagent_timeout_secs 5\n"), &[]).unwrap_err();
        assert!(e.to_string().contains("coord.toml:2:"), "{e}");
    }
}
