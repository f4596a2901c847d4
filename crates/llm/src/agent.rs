//! The LLM agent: one phase step answered by a model, as structured JSON.
//!
//! The prompt is built from the agent file's body (system), then the mission, the phase (its
//! objective, instruction, numbered steps and deliverables, and this agent's role), the inputs
//! and what the blackboard holds from earlier phases and this phase's support agents. Inputs and
//! board are trimmed to a character budget, with a note of what was cut.
//!
//! The reply must be JSON matching the step's schema: the mission pack's typed deliverables when
//! it has them (the same the rule agents fill), otherwise a generic one (deliverables with title
//! and Markdown content, plus notes). The JSON is taken from the reply as is, from a fenced block,
//! or from the first balanced object; it is validated and, on failure, the model is asked again
//! with the errors, a bounded number of times. Then the step fails clearly or, when the agent
//! file says `fallback: rules`, the agent's rule set does the step.

use crate::stack::LlmRuntime;
use crate::types::{
    CHARS_PER_TOKEN, CallInfo, LlmError, LlmRequest, Message, ResponseFormat, estimate_tokens,
};
use coord_core::config::LlmSettings;
use coord_core::{Agent, AgentError, AgentSpec, Contribution, KeySpec, Role, Task, Usage};
use coord_mission::Mission;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::sync::Arc;

/// An agent backed by an LLM.
pub struct LlmAgent {
    packs: Arc<coord_core::Registry>,
    name: String,
    prompt: String,
    settings: LlmSettings,
    runtime: Arc<LlmRuntime>,
    fallback: Option<Arc<dyn Agent>>,
    dialect: coord_core::config::Dialect,
}

/// Characters of a reply quoted back when re-asking: enough to show the mistake, never the
/// whole of a runaway reply.
const REASK_EXCERPT_CHARS: usize = 1500;

impl LlmAgent {
    /// An agent for `spec`, calling through `runtime`, with an optional rule-set fallback.
    /// Mission packs are looked up in `packs` for typed deliverables.
    pub fn new(
        spec: &AgentSpec,
        settings: LlmSettings,
        runtime: Arc<LlmRuntime>,
        fallback: Option<Arc<dyn Agent>>,
        packs: Arc<coord_core::Registry>,
    ) -> Self {
        let dialect = settings.dialect.resolve(&settings.base_url);
        Self {
            packs,
            name: spec.name.clone(),
            prompt: spec.file.prompt.trim().to_string(),
            settings,
            runtime,
            fallback,
            dialect,
        }
    }

    /// Tokens the prompt may use: the context less the reply's `max_tokens` and a margin for
    /// the server's chat template (`None` when the context is unknown).
    fn prompt_budget(&self) -> Option<usize> {
        let ctx = self.settings.context_tokens as usize;
        (ctx > 0).then(|| {
            ctx.saturating_sub(self.settings.max_tokens as usize)
                .saturating_sub(64)
        })
    }

    fn json_object(&self) -> bool {
        self.settings.structured == coord_core::config::Structured::JsonObject
            || self.runtime.json_object_only()
    }

    fn generic_key(phase: usize, agent: &str, role: Role) -> String {
        format!("phase-{}/{agent}/{role}", phase + 1)
    }
}

/// The generic deliverable schema, with bounded fields so small models can follow it.
pub fn generic_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "deliverables": {
                "type": "array",
                "minItems": 1,
                "maxItems": 4,
                "items": {
                    "type": "object",
                    "properties": {
                        "title": {"type": "string", "minLength": 1, "maxLength": 80},
                        "content": {"type": "string", "minLength": 1, "maxLength": 800}
                    },
                    "required": ["title", "content"],
                    "additionalProperties": false
                }
            },
            "notes": {"type": "string", "maxLength": 300}
        },
        "required": ["deliverables", "notes"],
        "additionalProperties": false
    })
}

fn validate_generic(v: &Value) -> Result<(), String> {
    let ds = v
        .get("deliverables")
        .and_then(Value::as_array)
        .ok_or("`deliverables` must be an array")?;
    if ds.is_empty() {
        return Err("`deliverables` must not be empty".into());
    }
    for (i, d) in ds.iter().enumerate() {
        for k in ["title", "content"] {
            if d.get(k)
                .is_none_or(|x| x.as_str().is_none_or(|s| s.trim().is_empty()))
            {
                return Err(format!("deliverables[{i}].{k} must be a non-empty string"));
            }
        }
    }
    if !v.get("notes").is_some_and(Value::is_string) {
        return Err("`notes` must be a string".into());
    }
    Ok(())
}

/// Finds the JSON object in a reply: the whole reply, a fenced block, or the first balanced
/// `{...}`.
pub fn extract_json(text: &str) -> Option<Value> {
    let t = text.trim();
    if let Ok(v) = serde_json::from_str::<Value>(t) {
        return v.is_object().then_some(v);
    }
    if let Some(start) = t.find("```") {
        let after = &t[start + 3..];
        let body_start = after.find('\n').map(|i| i + 1).unwrap_or(0);
        if let Some(end) = after[body_start..].find("```")
            && let Ok(v) = serde_json::from_str::<Value>(after[body_start..body_start + end].trim())
            && v.is_object()
        {
            return Some(v);
        }
    }
    let open = t.find('{')?;
    let mut depth = 0i32;
    let mut in_str = false;
    let mut esc = false;
    for (i, c) in t[open..].char_indices() {
        match (in_str, esc, c) {
            (true, true, _) => esc = false,
            (true, false, '\\') => esc = true,
            (true, false, '"') => in_str = false,
            (false, _, '"') => in_str = true,
            (false, _, '{') => depth += 1,
            (false, _, '}') => {
                depth -= 1;
                if depth == 0 {
                    return serde_json::from_str(&t[open..open + i + 1]).ok();
                }
            }
            _ => {}
        }
    }
    None
}

fn cut(s: &str, budget: &mut usize, what: &str) -> String {
    let n = s.chars().count();
    if n <= *budget {
        *budget -= n;
        return s.to_string();
    }
    let keep: String = s.chars().take(*budget).collect();
    let note = format!(
        "\n[coord trimmed {what}: {} of {n} characters kept]",
        *budget
    );
    *budget = 0;
    keep + &note
}

impl LlmAgent {
    /// The keys and schemas of a step: the mission pack's typed deliverables, or the generic
    /// deliverable (then `true`).
    fn keys(
        &self,
        pack: Option<&Arc<dyn coord_core::MissionPack>>,
        mission: &Mission,
        phase: usize,
        role: Role,
    ) -> (Vec<(KeySpec, Value)>, bool) {
        match pack
            .and_then(|p| p.deliverables(mission, phase, role, &self.name))
            .filter(|k| !k.is_empty())
        {
            Some(k) => (k, false),
            None => (
                vec![(
                    KeySpec::single(Self::generic_key(phase, &self.name, role)),
                    generic_schema(),
                )],
                true,
            ),
        }
    }

    /// The messages for a task, fitted to the model's context: the inputs and the blackboard
    /// get what the fixed parts leave (at most `max_input_chars`), and the agent file's body is
    /// cut when even they do not fit. A prompt that cannot fit at all is an error naming the
    /// sizes and the settings to change.
    pub fn messages(&self, task: &Task, schema: &Value) -> Result<Vec<Message>, String> {
        let head = self.head(task);
        let tail = self.tail(schema);
        let mut system = if self.prompt.is_empty() {
            format!("You are @{}.", self.name)
        } else {
            self.prompt.clone()
        };
        let fixed = |system: &str| {
            estimate_tokens(&[
                Message::new("system", system),
                Message::new("user", format!("{head}{tail}")),
            ])
        };
        let mut chars = self.settings.max_input_chars;
        if let Some(budget) = self.prompt_budget() {
            let mut need = fixed(&system);
            if need > budget {
                // The agent file's body goes first, down to its opening (the role).
                let keep = system
                    .chars()
                    .count()
                    .saturating_sub((need - budget) * CHARS_PER_TOKEN)
                    .max(400);
                if keep < system.chars().count() {
                    let mut b = keep;
                    system = cut(&system, &mut b, "the agent file's body");
                    need = fixed(&system);
                }
            }
            if need > budget {
                return Err(format!(
                    "the prompt for @{} in {} needs about {need} tokens before any input, more than the {} tokens a {}-token context leaves after max_tokens = {} for the reply; raise llm.context_tokens to the server's context (llama.cpp: --ctx-size), lower llm.max_tokens, or shorten the agent file",
                    self.name,
                    task.phase().label(),
                    budget,
                    self.settings.context_tokens,
                    self.settings.max_tokens
                ));
            }
            chars = chars.min((budget - need) * CHARS_PER_TOKEN);
        }
        let body = self.body(task, chars);
        Ok(vec![
            Message::new("system", system),
            Message::new("user", format!("{head}{body}{tail}")),
        ])
    }

    /// The mission and the step.
    fn head(&self, task: &Task) -> String {
        let ph = task.phase();
        let m = &task.mission;
        let mut u = String::new();
        let _ = writeln!(u, "# Mission: {}", m.title);
        if let Some(o) = &m.objective {
            let _ = writeln!(u, "\n{o}");
        }
        let _ = writeln!(
            u,
            "\n## Your step: {} — you are the {} agent @{}",
            ph.label(),
            task.role,
            self.name
        );
        if let Some(o) = &ph.objective {
            let _ = writeln!(u, "Objective: {o}");
        }
        if let Some(t) = &ph.task {
            if !t.instruction.is_empty() {
                let _ = writeln!(u, "Instruction: {}", t.instruction);
            }
            for (i, s) in t.steps.iter().enumerate() {
                let _ = writeln!(u, "{}. {s}", i + 1);
            }
        }
        if !ph.deliverables.is_empty() {
            let _ = writeln!(u, "Deliverables: {}", ph.deliverables.join("; "));
        }
        if let Some(v) = &task.variation {
            let _ = writeln!(u, "Variation: {v}");
        }
        u
    }

    /// The inputs and the blackboard, within `budget` characters: the board (what earlier
    /// phases decided) first, as the step builds on it, then the inputs.
    fn body(&self, task: &Task, mut budget: usize) -> String {
        let mut board = String::new();
        let entries = task.board.current_entries();
        if !entries.is_empty() {
            let _ = writeln!(
                board,
                "\n## Blackboard (earlier phases and this phase's support agents)"
            );
            for e in entries {
                let v = serde_json::to_string(&e.value).unwrap_or_default();
                let body = cut(&v, &mut budget, &format!("blackboard `{}`", e.key));
                let _ = writeln!(
                    board,
                    "\n`{}` from @{} ({}):\n{body}",
                    e.key, e.author, e.role
                );
            }
        }
        let mut u = String::new();
        let _ = writeln!(u, "\n## Inputs");
        for (name, files) in &task.inputs.bound {
            for b in files {
                let body = cut(
                    &b.file.text,
                    &mut budget,
                    &format!("{} ({})", name, b.file.path.display()),
                );
                let _ = writeln!(u, "\n### {name} ({})\n{body}", b.file.path.display());
            }
        }
        u + &board
    }

    /// The reply instructions: the whole schema when it takes at most a quarter of the prompt's
    /// room (or the context is unknown), otherwise its top-level fields (the request carries the
    /// schema, and a server with `json_schema` enforces it). The same whichever response format
    /// is asked for, so a run that had to switch to `json_object` replays with the same prompt.
    fn tail(&self, schema: &Value) -> String {
        let text = serde_json::to_string(schema).unwrap_or_default();
        let fits = self
            .prompt_budget()
            .is_none_or(|b| text.chars().count().div_ceil(CHARS_PER_TOKEN) <= b / 4);
        if fits {
            return format!(
                "\n## Reply\nReply with one JSON object only, matching this JSON Schema:\n{text}\n"
            );
        }
        let fields: Vec<String> = schema["properties"]
            .as_object()
            .map(|p| {
                p.iter()
                    .map(
                        |(k, v)| match v.get("description").and_then(Value::as_str) {
                            Some(d) => format!("- `{k}`: {d}"),
                            None => format!("- `{k}`"),
                        },
                    )
                    .collect()
            })
            .unwrap_or_default();
        format!(
            "\n## Reply\nReply with one JSON object only, in the JSON Schema the request gives, with these fields:\n{}\nKeep every text short and every list to what the step needs.\n",
            fields.join("\n")
        )
    }

    fn request(&self, messages: Vec<Message>, schema: &Arc<Value>) -> LlmRequest {
        LlmRequest {
            model: self.settings.model.clone(),
            messages,
            temperature: Some(self.settings.temperature),
            max_tokens: (self.settings.max_tokens > 0).then_some(self.settings.max_tokens),
            seed: (self.settings.seed > 0).then_some(self.settings.seed),
            response_format: Some(if self.json_object() {
                ResponseFormat::JsonObject
            } else {
                ResponseFormat::JsonSchema {
                    name: "deliverables".into(),
                    schema: schema.clone(),
                }
            }),
        }
    }

    fn check(
        &self,
        keys: &[KeySpec],
        v: &Value,
        generic: bool,
        pack: Option<&Arc<dyn coord_core::MissionPack>>,
        board: &coord_core::blackboard::BoardView,
    ) -> Result<(), String> {
        if generic {
            return validate_generic(v);
        }
        let mut errors = Vec::new();
        for k in keys {
            match v.get(&k.key) {
                None => errors.push(format!("missing `{}`", k.key)),
                Some(val) => {
                    if let Some(p) = pack
                        && let Err(e) = p.validate_on(&k.key, val, board)
                    {
                        errors.push(format!("`{}`: {e}", k.key));
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("; "))
        }
    }

    fn contribution(
        &self,
        task: &Task,
        keys: &[KeySpec],
        v: Value,
        generic: bool,
        usage: Usage,
    ) -> Contribution {
        let mut c = Contribution {
            usage: Some(usage),
            ..Contribution::default()
        };
        if generic {
            let mut md = String::new();
            for d in v["deliverables"].as_array().into_iter().flatten() {
                let _ = writeln!(
                    md,
                    "#### {}\n\n{}\n",
                    d["title"].as_str().unwrap_or(""),
                    d["content"].as_str().unwrap_or("").trim()
                );
            }
            if let Some(n) = v["notes"].as_str().filter(|n| !n.trim().is_empty()) {
                let _ = writeln!(md, "*Notes from @{}:* {n}", self.name);
            }
            c.push(keys[0].key.clone(), v, md.trim_end().to_string());
        } else {
            for k in keys {
                let val = v.get(&k.key).cloned().unwrap_or(Value::Null);
                c.push(
                    k.key.clone(),
                    val,
                    format!("- **@{}** ({}) delivered `{}`", self.name, task.role, k.key),
                );
            }
        }
        c
    }
}

#[async_trait::async_trait]
impl Agent for LlmAgent {
    fn name(&self) -> &str {
        &self.name
    }

    fn backend(&self) -> &str {
        "llm"
    }

    fn declares(&self, mission: &Mission, phase: usize, role: Role) -> Vec<KeySpec> {
        let mut keys: Vec<KeySpec> = self
            .keys(self.packs.pack(mission).as_ref(), mission, phase, role)
            .0
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        // The rule set that may do the step instead writes its own keys.
        if let Some(f) = &self.fallback {
            for k in f.declares(mission, phase, role) {
                if !keys.iter().any(|x| x.key == k.key) {
                    keys.push(k);
                }
            }
        }
        keys
    }

    async fn run(&self, task: &Task) -> Result<Contribution, AgentError> {
        // The coordinator found the mission's pack once for the run (`task.pack`).
        let (keys, generic) = self.keys(
            task.pack.as_ref(),
            &task.mission,
            task.phase_index,
            task.role,
        );
        // One self-contained document (every `$ref` resolvable), bounded and closed, in the
        // endpoint's dialect.
        let composed = if generic {
            keys[0].1.clone()
        } else {
            crate::schema::compose(
                &keys
                    .iter()
                    .map(|(k, s)| (k.key.clone(), s.clone()))
                    .collect::<Vec<_>>(),
            )
        };
        // Prepared and compiled once per schema and dialect, for every run in the process.
        let compiled = crate::schema::compiled(&composed, self.dialect);
        drop(composed);
        // Only the keys are needed from here; their schemas are in `compiled`.
        let keys: Vec<KeySpec> = keys.into_iter().map(|(k, _)| k).collect();
        let schema = &compiled.schema;
        let validator = compiled.validator.as_ref();
        // A pack whose schema points nowhere is said here, not as a server's 400.
        let dangling = &compiled.dangling;
        if !dangling.is_empty() {
            return Err(AgentError::Backend {
                message: format!(
                    "the deliverable schema for @{} in {} has references that resolve nowhere ({}); the mission pack's schema is at fault",
                    self.name,
                    task.phase().label(),
                    dangling.join(", ")
                ),
                source: None,
            });
        }
        let call = CallInfo {
            agent: self.name.clone(),
            phase: task.phase().label(),
        };
        let fail = |message: String| AgentError::Backend {
            message,
            source: None,
        };
        let mut messages = self.messages(task, schema).map_err(fail)?;
        let mut usage = Usage::default();
        let mut last_error = String::new();
        for attempt in 0..=self.settings.max_reasks {
            if let Some(budget) = self.prompt_budget() {
                // A re-ask that no longer fits drops the earlier exchange, keeping the errors.
                while estimate_tokens(&messages) > budget && messages.len() > 2 {
                    messages.remove(2);
                }
            }
            let req = self.request(messages.clone(), schema);
            let mut result = self
                .runtime
                .complete(&req, &call, task.run_dir.as_deref())
                .await;
            // A server that rejects `json_schema` gets `json_object` from now on (the schema
            // goes in the prompt and the reply is still validated).
            if let Err(LlmError::Status {
                status: 400, body, ..
            }) = &result
            {
                let b = body.to_lowercase();
                if (b.contains("json_schema") || b.contains("response_format"))
                    && !self.runtime.json_object_only()
                {
                    tracing::warn!(agent = %self.name, "the endpoint rejects json_schema; using json_object");
                    self.runtime.use_json_object();
                    let retry = self.request(messages.clone(), schema);
                    result = self
                        .runtime
                        .complete(&retry, &call, task.run_dir.as_deref())
                        .await;
                }
            }
            let resp = match result {
                Ok(r) => r,
                Err(LlmError::ReplayMiss(m)) => return Err(AgentError::Replay(m)),
                Err(e) => {
                    let e = explain_context(e, &messages, &self.settings);
                    return self
                        .fall_back(task, usage, format!("the LLM call failed: {e}"))
                        .await
                        .unwrap_or_else(|| {
                            Err(AgentError::Backend {
                                message: format!("LLM call failed: {e}"),
                                source: Some(Box::new(e)),
                            })
                        });
                }
            };
            crate::layers::account(&mut usage, &resp, self.settings.price_per_1k);
            let parsed = extract_json(&resp.content);
            let verdict = match &parsed {
                Some(v) => validator
                    .map_or(Ok(()), |val| schema_errors(val, v))
                    .and_then(|()| self.check(&keys, v, generic, task.pack.as_ref(), &task.board)),
                None => Err(format!(
                    "the reply is not a JSON object (finish reason: {})",
                    resp.finish_reason.as_deref().unwrap_or("unknown")
                )),
            };
            match (parsed, verdict) {
                (Some(v), Ok(())) => return Ok(self.contribution(task, &keys, v, generic, usage)),
                (_, Err(e)) => {
                    tracing::info!(agent = %self.name, attempt, error = %e, "reply did not match the schema; re-asking");
                    last_error = e.clone();
                    if resp.finish_reason.as_deref() == Some("length") {
                        // A reply cut off at the token limit is noise: ask for a shorter one
                        // instead of growing the context with it.
                        messages.push(Message::new(
                            "user",
                            "Your reply was cut off at the length limit. Reply again with a shorter JSON object: fewer, shorter deliverables.",
                        ));
                    } else {
                        // Quote a bounded excerpt: a runaway reply is never sent back whole.
                        let mut b = REASK_EXCERPT_CHARS;
                        messages.push(Message::new(
                            "assistant",
                            cut(&resp.content, &mut b, "your reply"),
                        ));
                        messages.push(Message::new(
                            "user",
                            format!("Your reply does not match the schema: {e}. Reply again with only the corrected JSON object."),
                        ));
                    }
                }
                (None, Ok(())) => unreachable!("no JSON cannot validate"),
            }
        }
        let why = format!(
            "no reply matched the deliverable schema after {} attempts; last problem: {last_error}",
            self.settings.max_reasks + 1
        );
        self.fall_back(task, usage, why.clone())
            .await
            .unwrap_or_else(|| Err(fail(why)))
    }
}

impl LlmAgent {
    /// The rule set's contribution, marked as a fallback with `why`, when this agent has one
    /// (`fallback: rules` in its file or `llm.fallback = "rules"`).
    async fn fall_back(
        &self,
        task: &Task,
        usage: Usage,
        why: String,
    ) -> Option<Result<Contribution, AgentError>> {
        let f = self.fallback.as_ref()?;
        tracing::warn!(agent = %self.name, reason = %why, "using the rule set instead of the LLM");
        Some(f.run(task).await.map(|mut c| {
            c.usage = Some(usage);
            c.fallback = Some(why);
            c
        }))
    }
}

/// The schema errors of `v`, joined, at most a few.
fn schema_errors(validator: &jsonschema::Validator, v: &Value) -> Result<(), String> {
    let errors: Vec<String> = validator
        .iter_errors(v)
        .take(5)
        .map(|e| {
            let at = e.instance_path().to_string();
            let mut m = e.to_string();
            if m.chars().count() > 200 {
                m = m.chars().take(200).collect::<String>() + "…";
            }
            if at.is_empty() {
                m
            } else {
                format!("at {at}: {m}")
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

/// A server's "too many tokens" answer, said in coord's terms: the estimated size and the
/// settings to change.
fn explain_context(e: LlmError, messages: &[Message], s: &LlmSettings) -> LlmError {
    let LlmError::Status {
        status: 400, body, ..
    } = &e
    else {
        return e;
    };
    let b = body.to_lowercase();
    if [
        "context",
        "too long",
        "too many tokens",
        "maximum context",
        "n_ctx",
    ]
    .iter()
    .any(|w| b.contains(w))
    {
        return LlmError::Decode(format!(
            "the server says the prompt does not fit its context (about {} prompt tokens estimated, max_tokens = {}, llm.context_tokens = {}): set llm.context_tokens to the server's context so coord trims the prompt to fit, or lower llm.max_input_chars; the server said: {body}",
            estimate_tokens(messages),
            s.max_tokens,
            s.context_tokens
        ));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_found_plain_fenced_or_embedded() {
        assert_eq!(extract_json("{\"a\":1}"), Some(json!({"a": 1})));
        assert_eq!(
            extract_json("Here:\n```json\n{\"a\": 2}\n```\nthanks"),
            Some(json!({"a": 2}))
        );
        assert_eq!(
            extract_json("Sure! {\"a\": {\"b\": \"}\"}} trailing"),
            Some(json!({"a": {"b": "}"}}))
        );
        assert_eq!(extract_json("no json"), None);
        assert_eq!(extract_json("[1,2]"), None);
    }

    #[test]
    fn large_inputs_are_cut_with_a_note() {
        let mut budget = 10;
        assert_eq!(cut("short", &mut budget, "x"), "short");
        assert_eq!(budget, 5);
        let c = cut("a much longer text", &mut budget, "brief.md");
        assert!(
            c.starts_with("a muc")
                && c.contains("[coord trimmed brief.md: 5 of 18 characters kept]"),
            "{c}"
        );
        assert_eq!(budget, 0);
    }

    #[test]
    fn generic_validation() {
        assert!(
            validate_generic(
                &json!({"deliverables": [{"title": "A", "content": "x"}], "notes": ""})
            )
            .is_ok()
        );
        assert!(validate_generic(&json!({"deliverables": [], "notes": ""})).is_err());
        assert!(
            validate_generic(&json!({"deliverables": [{"title": "A"}], "notes": ""}))
                .unwrap_err()
                .contains("content")
        );
    }
}
