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
use crate::types::{CallInfo, LlmError, LlmRequest, Message, ResponseFormat};
use coord_core::config::LlmSettings;
use coord_core::{Agent, AgentError, AgentSpec, Contribution, KeySpec, Role, Task, Usage};
use coord_mission::Mission;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::sync::Arc;

/// An agent backed by an LLM.
pub struct LlmAgent {
    packs: coord_core::Registry,
    name: String,
    prompt: String,
    settings: LlmSettings,
    runtime: Arc<LlmRuntime>,
    fallback: Option<Arc<dyn Agent>>,
}

impl LlmAgent {
    /// An agent for `spec`, calling through `runtime`, with an optional rule-set fallback.
    /// Mission packs are looked up in `packs` for typed deliverables.
    pub fn new(
        spec: &AgentSpec,
        settings: LlmSettings,
        runtime: Arc<LlmRuntime>,
        fallback: Option<Arc<dyn Agent>>,
        packs: coord_core::Registry,
    ) -> Self {
        Self {
            packs,
            name: spec.name.clone(),
            prompt: spec.file.prompt.trim().to_string(),
            settings,
            runtime,
            fallback,
        }
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

    /// The messages for a task.
    pub fn messages(&self, task: &Task, schema: &Value) -> Vec<Message> {
        let ph = task.phase();
        let m = &task.mission;
        let mut budget = self.settings.max_input_chars;
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
        let entries = task.board.current_entries();
        if !entries.is_empty() {
            let _ = writeln!(
                u,
                "\n## Blackboard (earlier phases and this phase's support agents)"
            );
            for e in entries {
                let v = serde_json::to_string(&e.value).unwrap_or_default();
                let body = cut(&v, &mut budget, &format!("blackboard `{}`", e.key));
                let _ = writeln!(u, "\n`{}` from @{} ({}):\n{body}", e.key, e.author, e.role);
            }
        }
        let _ = writeln!(
            u,
            "\n## Reply\nReply with one JSON object only, matching this JSON Schema:\n{}",
            serde_json::to_string(schema).unwrap_or_default()
        );
        let system = if self.prompt.is_empty() {
            format!("You are @{}.", self.name)
        } else {
            self.prompt.clone()
        };
        vec![Message::new("system", system), Message::new("user", u)]
    }

    fn request(&self, messages: Vec<Message>, schema: &Value) -> LlmRequest {
        LlmRequest {
            model: self.settings.model.clone(),
            messages,
            temperature: Some(self.settings.temperature),
            max_tokens: (self.settings.max_tokens > 0).then_some(self.settings.max_tokens),
            seed: (self.settings.seed > 0).then_some(self.settings.seed),
            response_format: Some(
                if self.settings.structured == coord_core::config::Structured::JsonObject
                    || self.runtime.json_object_only()
                {
                    ResponseFormat::JsonObject
                } else {
                    ResponseFormat::JsonSchema {
                        name: "deliverables".into(),
                        schema: schema.clone(),
                    }
                },
            ),
        }
    }

    fn check(
        &self,
        keys: &[(KeySpec, Value)],
        v: &Value,
        generic: bool,
        pack: Option<&Arc<dyn coord_core::MissionPack>>,
    ) -> Result<(), String> {
        if generic {
            return validate_generic(v);
        }
        let mut errors = Vec::new();
        for (k, _) in keys {
            match v.get(&k.key) {
                None => errors.push(format!("missing `{}`", k.key)),
                Some(val) => {
                    if let Some(p) = pack
                        && let Err(e) = p.validate(&k.key, val)
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
        keys: &[(KeySpec, Value)],
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
            c.push(keys[0].0.key.clone(), v, md.trim_end().to_string());
        } else {
            for (k, _) in keys {
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
        self.keys(self.packs.pack(mission).as_ref(), mission, phase, role)
            .0
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    async fn run(&self, task: &Task) -> Result<Contribution, AgentError> {
        // The coordinator found the mission's pack once for the run (`task.pack`).
        let (keys, generic) = self.keys(
            task.pack.as_ref(),
            &task.mission,
            task.phase_index,
            task.role,
        );
        let schema = if generic {
            keys[0].1.clone()
        } else {
            let props: serde_json::Map<String, Value> = keys
                .iter()
                .map(|(k, s)| (k.key.clone(), s.clone()))
                .collect();
            json!({"type": "object", "properties": props, "required": keys.iter().map(|(k, _)| k.key.clone()).collect::<Vec<_>>()})
        };
        let call = CallInfo {
            agent: self.name.clone(),
            phase: task.phase().label(),
        };
        let mut messages = self.messages(task, &schema);
        let mut usage = Usage::default();
        let mut last_error = String::new();
        for attempt in 0..=self.settings.max_reasks {
            let req = self.request(messages.clone(), &schema);
            let mut result = self
                .runtime
                .complete(&req, &call, task.run_dir.as_deref())
                .await;
            // A server that rejects `json_schema` gets `json_object` from now on (the schema
            // stays in the prompt and the reply is still validated).
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
                    let retry = self.request(messages.clone(), &schema);
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
                    return match &self.fallback {
                        Some(f) => {
                            tracing::warn!(agent = %self.name, error = %e, "LLM call failed; using the rule set");
                            f.run(task).await
                        }
                        None => Err(AgentError::Backend {
                            message: format!("LLM call failed: {e}"),
                            source: Some(Box::new(e)),
                        }),
                    };
                }
            };
            crate::layers::account(&mut usage, &resp, self.settings.price_per_1k);
            let parsed = extract_json(&resp.content);
            let verdict = match &parsed {
                Some(v) => self.check(&keys, v, generic, task.pack.as_ref()),
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
                        messages.push(Message::new("assistant", resp.content));
                        messages.push(Message::new(
                            "user",
                            format!("Your reply does not match the schema: {e}. Reply again with only the corrected JSON object."),
                        ));
                    }
                }
                (None, Ok(())) => unreachable!("no JSON cannot validate"),
            }
        }
        match &self.fallback {
            Some(f) => {
                tracing::warn!(agent = %self.name, error = %last_error, "no valid reply; using the rule set");
                let mut c = f.run(task).await?;
                c.usage = Some(usage);
                Ok(c)
            }
            None => Err(AgentError::Backend {
                message: format!(
                    "no reply matched the deliverable schema after {} attempts; last problem: {last_error}",
                    self.settings.max_reasks + 1
                ),
                source: None,
            }),
        }
    }
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
