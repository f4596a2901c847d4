//! One self-contained, bounded JSON Schema per request, in the endpoint's dialect.
//!
//! A step's deliverables each come with the schema of their Rust type (schemars), every one with
//! its own `$defs`. Nested as they are under a wrapper's `properties`, their `$ref:
//! "#/$defs/Metric"` would point at a root that has no `$defs`, which every strict validator
//! (and llama.cpp's grammar converter) rejects. [`compose`] lifts every part's definitions to the
//! root, renaming one that clashes with a different definition of the same name, so every `$ref`
//! resolves.
//!
//! [`prepare`] then makes the schema safe to constrain a model with: `additionalProperties: false`
//! on every object, an upper bound on every array and string that has none (a small model given an
//! unbounded list loops until its token limit), schemars' non-standard numeric `format`s replaced
//! by the bounds they mean (`uint32` → `minimum: 0`); and the dialect's rules: OpenAI's strict mode
//! wants every property required (optional ones become nullable), Ollama wants no references
//! (they are inlined).

use coord_core::config::Dialect;
use serde_json::{Map, Value, json};

/// Upper bounds for arrays and strings that state none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Items in an array of numbers (weekly figures: 10 years of weeks).
    pub numbers: u64,
    /// Items in any other array.
    pub items: u64,
    /// Characters in a string.
    pub chars: u64,
}

impl Default for Bounds {
    fn default() -> Self {
        Self {
            numbers: 520,
            items: 60,
            chars: 2000,
        }
    }
}

/// One object whose property `key` holds each part's schema, with every part's `$defs` lifted
/// to the root.
pub fn compose(parts: &[(String, Value)]) -> Value {
    let mut defs = Map::new();
    let mut props = Map::new();
    for (key, part) in parts {
        let mut part = part.clone();
        let own = part
            .as_object_mut()
            .and_then(|o| {
                o.remove("$schema");
                o.remove("$defs").or_else(|| o.remove("definitions"))
            })
            .and_then(|d| match d {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .unwrap_or_default();
        let mut renames: Vec<(String, String)> = Vec::new();
        for (name, def) in own {
            match defs.get(&name) {
                None => {
                    defs.insert(name, def);
                }
                Some(same) if *same == def => {}
                Some(_) => {
                    let mut n = 2;
                    let new = loop {
                        let candidate = format!("{name}{n}");
                        if !defs.contains_key(&candidate) {
                            break candidate;
                        }
                        n += 1;
                    };
                    renames.push((name, new.clone()));
                    defs.insert(new, def);
                }
            }
        }
        if !renames.is_empty() {
            rename_refs(&mut part, &renames);
            for (_, new) in &renames {
                if let Some(d) = defs.get_mut(new) {
                    rename_refs(d, &renames);
                }
            }
        }
        if let Some(o) = part.as_object_mut() {
            o.remove("title");
        }
        props.insert(key.clone(), part);
    }
    let mut root = json!({
        "type": "object",
        "properties": props,
        "required": parts.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
    });
    if !defs.is_empty() {
        root["$defs"] = Value::Object(defs);
    }
    root
}

fn rename_refs(v: &mut Value, renames: &[(String, String)]) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref") {
                for (old, new) in renames {
                    if *r == format!("#/$defs/{old}") {
                        *r = format!("#/$defs/{new}");
                        break;
                    }
                }
            }
            o.values_mut().for_each(|x| rename_refs(x, renames));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rename_refs(x, renames)),
        _ => {}
    }
}

/// A step's schema made ready once: as sent ([`prepare`]d with the default bounds), the
/// references in it that resolve nowhere, and its compiled validator (none when it does not
/// compile).
pub struct Compiled {
    /// The schema as sent.
    pub schema: std::sync::Arc<Value>,
    /// `$ref`s that resolve nowhere ([`unresolved_refs`]).
    pub dangling: Vec<String>,
    /// The validator replies are checked with.
    pub validator: Option<jsonschema::Validator>,
}

/// How many compiled schemas the process keeps (a mission pack has a few dozen).
const CACHE_CAP: usize = 512;

/// [`Compiled`] for `composed` in `dialect`, from a process-wide memo: preparing and compiling a
/// schema is a pure function of the two, and doing it on every call cost a tenth of an LLM step's
/// CPU with many runs in flight.
pub fn compiled(composed: &Value, dialect: Dialect) -> std::sync::Arc<Compiled> {
    use std::collections::HashMap;
    use std::sync::{Arc, LazyLock, Mutex};
    static CACHE: LazyLock<Mutex<HashMap<String, Arc<Compiled>>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let key = format!("{dialect:?}\n{composed}");
    if let Some(c) = CACHE.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return c.clone();
    }
    let schema = prepare(composed, dialect, Bounds::default());
    let c = Arc::new(Compiled {
        dangling: unresolved_refs(&schema),
        validator: jsonschema::validator_for(&schema).ok(),
        schema: schema.into(),
    });
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= CACHE_CAP {
        cache.clear();
    }
    cache.insert(key, c.clone());
    c
}

/// The schema as sent to an endpoint of `dialect` (resolved, not `auto`).
pub fn prepare(schema: &Value, dialect: Dialect, bounds: Bounds) -> Value {
    let mut s = schema.clone();
    if dialect == Dialect::Ollama {
        let defs = s
            .as_object_mut()
            .and_then(|o| o.remove("$defs"))
            .unwrap_or(Value::Null);
        inline(&mut s, &defs, 0);
    }
    bound(&mut s, dialect, bounds);
    s
}

/// Replaces every `$ref` into `defs` by a copy of its definition (the types are not recursive;
/// the depth guard stops a schema that is).
fn inline(v: &mut Value, defs: &Value, depth: usize) {
    if depth > 32 {
        return;
    }
    match v {
        Value::Object(o) => {
            let target = o
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/$defs/"))
                .and_then(|name| defs.get(name))
                .cloned();
            if let Some(mut def) = target {
                inline(&mut def, defs, depth + 1);
                o.remove("$ref");
                if let Value::Object(d) = def {
                    for (k, x) in d {
                        o.entry(k).or_insert(x);
                    }
                }
            }
            o.values_mut().for_each(|x| inline(x, defs, depth + 1));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| inline(x, defs, depth + 1)),
        _ => {}
    }
}

fn types(o: &Map<String, Value>) -> Vec<&str> {
    match o.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn bound(v: &mut Value, dialect: Dialect, b: Bounds) {
    match v {
        Value::Object(o) => {
            // schemars' `format: uint32 / int64 / double`: not JSON Schema formats; the unsigned
            // ones mean a lower bound of zero.
            if let Some(Value::String(f)) = o.get("format") {
                let f = f.clone();
                if f.starts_with("uint") {
                    o.remove("format");
                    o.entry("minimum").or_insert(json!(0));
                } else if f.starts_with("int") || f == "double" || f == "float" {
                    o.remove("format");
                }
            }
            let t: Vec<String> = types(o).into_iter().map(str::to_string).collect();
            let has = |x: &str| t.iter().any(|y| y == x);
            if has("object") || o.contains_key("properties") {
                o.entry("additionalProperties").or_insert(json!(false));
                if dialect == Dialect::Openai
                    && let Some(Value::Object(props)) = o.get("properties")
                {
                    let all: Vec<String> = props.keys().cloned().collect();
                    let required: Vec<String> = o
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| {
                            r.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default();
                    let optional: Vec<String> = all
                        .iter()
                        .filter(|k| !required.contains(k))
                        .cloned()
                        .collect();
                    if let Some(Value::Object(props)) = o.get_mut("properties") {
                        for k in &optional {
                            if let Some(p) = props.get_mut(k) {
                                nullable(p);
                            }
                        }
                    }
                    o.insert("required".into(), json!(all));
                }
            }
            if has("array") && !o.contains_key("maxItems") {
                let numeric = o
                    .get("items")
                    .and_then(Value::as_object)
                    .is_some_and(|i| types(i).iter().any(|t| *t == "number" || *t == "integer"));
                o.insert(
                    "maxItems".into(),
                    json!(if numeric { b.numbers } else { b.items }),
                );
            }
            if has("string")
                && !o.contains_key("maxLength")
                && !o.contains_key("enum")
                && !o.contains_key("const")
            {
                o.insert("maxLength".into(), json!(b.chars));
            }
            o.values_mut().for_each(|x| bound(x, dialect, b));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| bound(x, dialect, b)),
        _ => {}
    }
}

/// Lets a property be `null` (OpenAI strict mode: an optional property is required but
/// nullable).
fn nullable(p: &mut Value) {
    let Some(o) = p.as_object_mut() else { return };
    match o.get_mut("type") {
        Some(Value::String(t)) if t != "null" => {
            let t = t.clone();
            o.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(ts)) => {
            if !ts.iter().any(|t| t == "null") {
                ts.push(json!("null"));
            }
        }
        Some(_) => {}
        None => {
            let inner = Value::Object(std::mem::take(o));
            if inner
                .get("anyOf")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|x| x.get("type") == Some(&json!("null"))))
            {
                *o = match inner {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
            } else {
                o.insert("anyOf".into(), json!([inner, {"type": "null"}]));
            }
        }
    }
}

/// Every `$ref` of `schema` resolves inside it (a test helper, and a check before sending).
pub fn unresolved_refs(schema: &Value) -> Vec<String> {
    fn walk(v: &Value, root: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(r) = o.get("$ref").and_then(Value::as_str) {
                    let ok = r.strip_prefix('#').and_then(|p| root.pointer(p)).is_some();
                    if !ok {
                        out.push(r.to_string());
                    }
                }
                o.values().for_each(|x| walk(x, root, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, root, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(schema, schema, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(def: Value) -> Value {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Pipeline",
            "type": "object",
            "properties": {
                "metrics": {"type": "array", "items": {"$ref": "#/$defs/Metric"}},
                "count": {"type": "integer", "format": "uint32"},
                "note": {"type": ["string", "null"]}
            },
            "required": ["metrics", "count"],
            "$defs": {"Metric": def}
        })
    }

    #[test]
    fn definitions_move_to_the_root_and_every_ref_resolves() {
        let a = part(json!({"type": "object", "properties": {"name": {"type": "string"}}}));
        // Another type of the same name: renamed, and its references with it.
        let b = part(json!({"type": "object", "properties": {"value": {"type": "number"}}}));
        let s = compose(&[("sales/a".into(), a), ("sales/b".into(), b)]);
        assert!(unresolved_refs(&s).is_empty(), "{s:#}");
        assert!(s["$defs"]["Metric"].is_object() && s["$defs"]["Metric2"].is_object());
        assert_eq!(
            s["properties"]["sales/b"]["properties"]["metrics"]["items"]["$ref"],
            "#/$defs/Metric2"
        );
        assert!(s["properties"]["sales/a"].get("$schema").is_none());
    }

    #[test]
    fn compiled_schemas_are_made_once_per_schema_and_dialect() {
        let s = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let a = compiled(&s, Dialect::Openai);
        assert!(std::sync::Arc::ptr_eq(&a, &compiled(&s, Dialect::Openai)));
        assert!(!std::sync::Arc::ptr_eq(&a, &compiled(&s, Dialect::Ollama)));
        assert_eq!(*a.schema, prepare(&s, Dialect::Openai, Bounds::default()));
        let v = a.validator.as_ref().expect("compiles");
        assert!(v.is_valid(&json!({"a": "x"})));
        assert!(!v.is_valid(&json!({"a": 1})));
        let dangling = json!({"type": "object", "properties": {"m": {"$ref": "#/$defs/Missing"}}});
        assert_eq!(compiled(&dangling, Dialect::Openai).dangling.len(), 1);
    }

    #[test]
    fn prepared_schemas_are_closed_and_bounded() {
        let s = compose(&[(
            "k".into(),
            part(json!({"type": "object", "properties": {"name": {"type": "string"}}})),
        )]);
        let p = prepare(&s, Dialect::Standard, Bounds::default());
        let k = &p["properties"]["k"];
        assert_eq!(k["additionalProperties"], false);
        assert_eq!(k["properties"]["metrics"]["maxItems"], 60);
        assert_eq!(k["properties"]["count"]["minimum"], 0);
        assert!(k["properties"]["count"].get("format").is_none());
        assert_eq!(
            p["$defs"]["Metric"]["properties"]["name"]["maxLength"],
            2000
        );
        assert_eq!(p["$defs"]["Metric"]["additionalProperties"], false);
        // OpenAI strict: every property required, the optional one nullable.
        let o = prepare(&s, Dialect::Openai, Bounds::default());
        assert_eq!(
            o["properties"]["k"]["required"],
            json!(["count", "metrics", "note"])
        );
        assert_eq!(
            o["properties"]["k"]["properties"]["note"]["type"],
            json!(["string", "null"])
        );
        // Ollama: no references at all.
        let l = prepare(&s, Dialect::Ollama, Bounds::default());
        assert!(l.get("$defs").is_none());
        assert!(!serde_json::to_string(&l).unwrap().contains("$ref"));
        assert_eq!(
            l["properties"]["k"]["properties"]["metrics"]["items"]["additionalProperties"],
            false
        );
    }
}
