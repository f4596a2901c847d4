//! Agent definition files: YAML front matter between `---` lines, then the prompt body.
//!
//! Both corpus dialects are read: BOS business agents (`tools: [Read, Edit]`, `thinking_mode`)
//! and AGENT-11 agents (`tools: {primary: [...]}`, `thinking: {default: ...}`). coord's own keys
//! (`backend`, `rules`, `model`, `temperature`, `fallback`, ...) live in the same front matter;
//! every key coord does not interpret is kept in [`AgentFile::extra`] so nothing is lost. The body
//! routinely contains `---` rules, so only the *first* closing `---` ends the front matter.

use crate::diag::Diagnostic;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A parsed agent file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentFile {
    /// `name` (falls back to the file stem).
    pub name: String,
    /// `description`.
    pub description: String,
    /// Tools, flattened from a list or from a map of lists (`primary`, `secondary`, ...).
    pub tools: Vec<String>,
    /// `thinking_mode`, or `thinking.default`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thinking: Option<String>,
    /// coord: which backend runs this agent (`rules`, `llm`, or a registered custom kind).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend: Option<String>,
    /// coord: the rule set for `backend: rules`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
    /// coord: model override for `backend: llm`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// coord: sampling temperature override for `backend: llm`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Every other front-matter key, as JSON, in key order.
    pub extra: BTreeMap<String, Value>,
    /// The prompt body after the front matter.
    pub prompt: String,
    /// 1-based line where the body starts.
    pub body_line: usize,
    /// The file it came from.
    pub path: PathBuf,
}

/// Parses an agent file. Errors (no front matter, malformed YAML, bad key types) come back as
/// diagnostics with the file's line numbers.
pub fn parse_agent_file(src: &str, path: &Path) -> Result<AgentFile, Box<Diagnostic>> {
    parse(src, path).map_err(Box::new)
}

#[allow(clippy::result_large_err)] // boxed once, at the public boundary
fn parse(src: &str, path: &Path) -> Result<AgentFile, Diagnostic> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut lines = src.split('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::error(path, "agent file has no front matter")
            .at(1, 1, first.chars().count().max(1), first)
            .help(
                "start the file with `---`, the YAML keys (`name: ...`), then `---` and the prompt",
            ));
    }
    let mut yaml = String::new();
    let mut close_line = None;
    for (i, l) in lines.enumerate() {
        if l.trim_end() == "---" {
            close_line = Some(i + 2);
            break;
        }
        yaml.push_str(l);
        yaml.push('\n');
    }
    let Some(close_line) = close_line else {
        return Err(Diagnostic::error(path, "front matter is never closed")
            .at(1, 1, 3, first)
            .help("add a line `---` after the last YAML key"));
    };
    let doc: serde_yaml_ng::Value = match serde_yaml_ng::from_str(&yaml) {
        Ok(v) => v,
        Err(e) => {
            // YAML lines are counted from the line after the opening `---`.
            let (line, col) = e
                .location()
                .map(|l| (l.line() + 1, l.column()))
                .unwrap_or((2, 1));
            let text = src.split('\n').nth(line - 1).unwrap_or("");
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            return Err(
                Diagnostic::error(path, format!("malformed front matter: {msg}"))
                    .at(line, col, 1, text)
                    .help("front matter is YAML: `key: value` per line, lists as `[a, b]`"),
            );
        }
    };
    let map = match doc {
        serde_yaml_ng::Value::Mapping(m) => m,
        serde_yaml_ng::Value::Null => Default::default(),
        _ => {
            return Err(Diagnostic::error(path, "front matter is not a map of keys")
                .at(2, 1, 1, src.split('\n').nth(1).unwrap_or(""))
                .help("write one `key: value` per line"));
        }
    };
    let key_line = |key: &str| -> (usize, String) {
        src.split('\n')
            .enumerate()
            .take(close_line)
            .find(|(_, l)| l.trim_start().starts_with(&format!("{key}:")))
            .map(|(i, l)| (i + 1, l.to_string()))
            .unwrap_or((1, first.to_string()))
    };
    let bad_type = |key: &str, want: &str| {
        let (line, text) = key_line(key);
        Diagnostic::error(path, format!("`{key}` must be {want}"))
            .at(line, 1, key.len(), &text)
            .help(format!("write `{key}: <{want}>`"))
    };

    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut agent = AgentFile {
        name: stem,
        description: String::new(),
        tools: Vec::new(),
        thinking: None,
        backend: None,
        rules: None,
        model: None,
        temperature: None,
        extra: BTreeMap::new(),
        prompt: src
            .split('\n')
            .skip(close_line)
            .collect::<Vec<_>>()
            .join("\n"),
        body_line: close_line + 1,
        path: path.to_path_buf(),
    };
    for (k, v) in map {
        let key = match &k {
            serde_yaml_ng::Value::String(s) => s.clone(),
            other => yaml_scalar(other).unwrap_or_default(),
        };
        match key.as_str() {
            "name" => agent.name = yaml_scalar(&v).ok_or_else(|| bad_type("name", "a string"))?,
            "description" => {
                agent.description =
                    yaml_scalar(&v).ok_or_else(|| bad_type("description", "a string"))?
            }
            "tools" => agent.tools = tools(&v).ok_or_else(|| bad_type("tools", "a list"))?,
            "thinking_mode" => agent.thinking = yaml_scalar(&v),
            "thinking" => {
                agent.thinking = match &v {
                    serde_yaml_ng::Value::Mapping(m) => m.get("default").and_then(yaml_scalar),
                    other => yaml_scalar(other),
                }
            }
            "backend" => {
                agent.backend =
                    Some(yaml_scalar(&v).ok_or_else(|| bad_type("backend", "a string"))?)
            }
            "rules" => {
                agent.rules = Some(yaml_scalar(&v).ok_or_else(|| bad_type("rules", "a string"))?)
            }
            "model" => {
                agent.model = Some(yaml_scalar(&v).ok_or_else(|| bad_type("model", "a string"))?)
            }
            "temperature" => {
                agent.temperature = Some(match &v {
                    serde_yaml_ng::Value::Number(n) => n
                        .as_f64()
                        .ok_or_else(|| bad_type("temperature", "a number"))?,
                    _ => return Err(bad_type("temperature", "a number")),
                })
            }
            _ => {
                agent.extra.insert(key, to_json(&v));
            }
        }
    }
    if !crate::parse::is_agent_name(&agent.name) {
        let (line, text) = key_line("name");
        return Err(Diagnostic::error(
            path,
            format!("agent name `{}` is not a valid name", agent.name),
        )
        .at(line, 1, text.chars().count(), &text)
        .help("use lower-case words joined by hyphens, e.g. `pipeline-management`"));
    }
    Ok(agent)
}

/// Scalars as strings; `version: 5.0.0` stays `"5.0.0"`.
fn yaml_scalar(v: &serde_yaml_ng::Value) -> Option<String> {
    match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        serde_yaml_ng::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn tools(v: &serde_yaml_ng::Value) -> Option<Vec<String>> {
    match v {
        serde_yaml_ng::Value::Sequence(s) => s.iter().map(yaml_scalar).collect(),
        serde_yaml_ng::Value::Mapping(m) => {
            let mut out = Vec::new();
            for (_, list) in m {
                out.extend(tools(list)?);
            }
            Some(out)
        }
        serde_yaml_ng::Value::String(s) => {
            Some(s.split(',').map(|t| t.trim().to_string()).collect())
        }
        serde_yaml_ng::Value::Null => Some(Vec::new()),
        _ => None,
    }
}

fn to_json(v: &serde_yaml_ng::Value) -> Value {
    match v {
        serde_yaml_ng::Value::Null => Value::Null,
        serde_yaml_ng::Value::Bool(b) => Value::Bool(*b),
        serde_yaml_ng::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(f) = n.as_f64() {
                Value::from(f)
            } else {
                Value::String(n.to_string())
            }
        }
        serde_yaml_ng::Value::String(s) => Value::String(s.clone()),
        serde_yaml_ng::Value::Sequence(s) => Value::Array(s.iter().map(to_json).collect()),
        serde_yaml_ng::Value::Mapping(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (yaml_scalar(k).unwrap_or_default(), to_json(v)))
                .collect(),
        ),
        serde_yaml_ng::Value::Tagged(t) => to_json(&t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bos_dialect() {
        let src = "---\nname: pipeline-management\ndescription: Pipeline\ntools: [Read, Edit]\nthinking_mode: think hard\n---\n\nMISSION CRITICAL: x\n---\n*footer*";
        let a = parse_agent_file(src, Path::new("pipeline-management.md")).unwrap();
        assert_eq!(a.name, "pipeline-management");
        assert_eq!(a.tools, ["Read", "Edit"]);
        assert_eq!(a.thinking.as_deref(), Some("think hard"));
        assert_eq!(a.body_line, 7);
        assert!(
            a.prompt.contains("---\n*footer*"),
            "only the first closing --- splits"
        );
    }

    #[test]
    fn agent11_dialect_keeps_unknown_keys() {
        let src = "---\nname: architect\nversion: 5.0.0\ncolor: yellow\nthinking:\n  default: ultrathink\ntools:\n  primary:\n    - Read\n    - Grep\nbackend: llm\ntemperature: 0.2\n---\nbody";
        let a = parse_agent_file(src, Path::new("architect.md")).unwrap();
        assert_eq!(a.thinking.as_deref(), Some("ultrathink"));
        assert_eq!(a.tools, ["Read", "Grep"]);
        assert_eq!(a.extra.get("version"), Some(&Value::String("5.0.0".into())));
        assert_eq!(a.backend.as_deref(), Some("llm"));
        assert_eq!(a.temperature, Some(0.2));
    }

    #[test]
    fn malformed_front_matter_names_the_line() {
        let src = "---\nname: x\ntools: [Read, Edit\n---\nbody";
        let d = parse_agent_file(src, Path::new("x.md")).unwrap_err();
        assert!(
            d.message.starts_with("malformed front matter"),
            "{}",
            d.message
        );
        assert!(d.line >= 3, "line {}", d.line);
        let d = parse_agent_file("no front matter", Path::new("x.md")).unwrap_err();
        assert_eq!(d.line, 1);
        let d = parse_agent_file("---\nname: x\ntemperature: hot\n---\n", Path::new("x.md"))
            .unwrap_err();
        assert_eq!(
            (d.line, d.message.as_str()),
            (3, "`temperature` must be a number")
        );
    }
}
