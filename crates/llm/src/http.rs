//! The leaf backend: `POST {base_url}/chat/completions` on any OpenAI-compatible server (OpenAI,
//! Ollama's `/v1`, vLLM, llama.cpp, LM Studio, OpenRouter...), plain or streamed (SSE), with the
//! same result either way. It makes exactly one attempt; retries and limits are layers.
//!
//! The API key is read once from the environment variable the settings name, sent only as a
//! bearer header, and never logged, printed or recorded (`Debug` redacts it).

use crate::types::{
    CallInfo, LlmBackend, LlmError, LlmRequest, LlmResponse, ResponseFormat, Usage,
};
use serde_json::Value;
use std::time::Duration;

/// The HTTP client.
pub struct HttpBackend {
    client: reqwest::Client,
    base_url: String,
    api_key: Option<String>,
    timeout: Duration,
    stream: bool,
}

impl std::fmt::Debug for HttpBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpBackend")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("stream", &self.stream)
            .finish()
    }
}

/// One HTTP client (one connection pool) per tokio runtime and timeout, shared by the runs on
/// that runtime: runs side by side reuse each other's connections instead of each opening its
/// own. A client belongs to the runtime it was made on (its connections are driven there), so
/// the pool forgets a runtime's client once that runtime has shut down.
fn shared_client(
    timeout: Duration,
    plain_http: bool,
    stream: bool,
) -> Result<reqwest::Client, reqwest::Error> {
    type Key = (tokio::runtime::Id, Duration, bool, bool);
    struct Pooled {
        client: reqwest::Client,
        /// Dies with the runtime: a task on it holds the other end.
        alive: std::sync::Weak<()>,
    }
    static POOL: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<Key, Pooled>>> =
        std::sync::OnceLock::new();
    let build = || {
        let b = reqwest::Client::builder().connect_timeout(timeout.min(Duration::from_secs(10)));
        // A stream is timed by its silences, not its length: a slow but steady stream is never
        // cut (the whole attempt has an outer cap, see `stack`).
        let mut b = if stream {
            b.read_timeout(timeout)
        } else {
            b.timeout(timeout)
        };
        // A plain-HTTP endpoint (a local server) needs no certificates: not loading the root
        // store makes the client cheap.
        if plain_http {
            b = b.tls_built_in_root_certs(false);
        }
        b.build()
    };
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        return build();
    };
    let key = (handle.id(), timeout, plain_http, stream);
    let mut pool = POOL
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    pool.retain(|_, p| p.alive.strong_count() > 0);
    if let Some(p) = pool.get(&key) {
        return Ok(p.client.clone());
    }
    let client = build()?;
    let token = std::sync::Arc::new(());
    let alive = std::sync::Arc::downgrade(&token);
    handle.spawn(async move {
        let _held = token;
        std::future::pending::<()>().await
    });
    pool.insert(
        key,
        Pooled {
            client: client.clone(),
            alive,
        },
    );
    Ok(client)
}

impl HttpBackend {
    /// `text` with the API key replaced, for anything shown or kept (a server error page may
    /// echo the request's headers).
    fn scrub(&self, text: &str) -> String {
        match &self.api_key {
            Some(k) if k.len() >= 4 => text.replace(k.as_str(), "[redacted]"),
            _ => text.to_string(),
        }
    }

    /// A client for `base_url` (e.g. `http://127.0.0.1:8080/v1`).
    pub fn new(
        base_url: &str,
        api_key: Option<String>,
        timeout: Duration,
        stream: bool,
    ) -> Result<Self, LlmError> {
        let client =
            shared_client(timeout, base_url.starts_with("http://"), stream).map_err(|e| {
                LlmError::Connect {
                    url: base_url.into(),
                    message: e.to_string(),
                }
            })?;
        Ok(Self {
            client,
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key: api_key.filter(|k| !k.is_empty()),
            timeout,
            stream,
        })
    }

    /// The request body, serialised straight from the request (no intermediate JSON tree: the
    /// prompt and schema are not copied per call).
    fn body<'a>(&self, req: &'a LlmRequest) -> Body<'a> {
        Body {
            model: &req.model,
            messages: &req.messages,
            temperature: req.temperature,
            max_tokens: req.max_tokens,
            seed: req.seed,
            response_format: match &req.response_format {
                Some(ResponseFormat::JsonObject) => Some(Format::JsonObject),
                Some(ResponseFormat::JsonSchema { name, schema }) => Some(Format::JsonSchema {
                    json_schema: SchemaSpec {
                        name,
                        schema,
                        strict: true,
                    },
                }),
                Some(ResponseFormat::Text) | None => None,
            },
            stream: self.stream,
            stream_options: self.stream.then_some(StreamOptions {
                include_usage: true,
            }),
        }
    }
}

/// `/chat/completions` request body.
#[derive(serde::Serialize)]
struct Body<'a> {
    model: &'a str,
    messages: &'a [crate::types::Message],
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_format: Option<Format<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_options: Option<StreamOptions>,
}

#[derive(serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Format<'a> {
    JsonObject,
    JsonSchema { json_schema: SchemaSpec<'a> },
}

#[derive(serde::Serialize)]
struct SchemaSpec<'a> {
    name: &'a str,
    schema: &'a Value,
    strict: bool,
}

#[derive(serde::Serialize)]
struct StreamOptions {
    include_usage: bool,
}

fn retry_after(h: &reqwest::header::HeaderMap) -> Option<f64> {
    let v = h.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    v.trim().parse::<f64>().ok()
}

fn usage(v: &Value) -> Usage {
    Usage {
        prompt_tokens: v["prompt_tokens"].as_u64().unwrap_or(0),
        completion_tokens: v["completion_tokens"].as_u64().unwrap_or(0),
    }
}

/// Reads a non-streamed completion.
pub fn parse_completion(text: &str) -> Result<LlmResponse, LlmError> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| LlmError::Decode(format!("{e}: {}", preview(text))))?;
    let choice = &v["choices"][0];
    let content = choice["message"]["content"].as_str().ok_or_else(|| {
        LlmError::Decode(format!(
            "no choices[0].message.content in {}",
            preview(text)
        ))
    })?;
    Ok(LlmResponse {
        content: content.to_string(),
        finish_reason: choice["finish_reason"].as_str().map(str::to_string),
        usage: usage(&v["usage"]),
        replayed: false,
    })
}

/// Reads a streamed (SSE) completion: `data: {...}` events until `data: [DONE]`.
pub fn parse_stream(text: &str) -> Result<LlmResponse, LlmError> {
    let mut content = String::new();
    let mut finish = None;
    let mut u = Usage::default();
    let mut events = 0;
    let mut done = false;
    for line in text.lines() {
        let Some(data) = line.strip_prefix("data:") else {
            continue;
        };
        let data = data.trim();
        if data == "[DONE]" {
            done = true;
            break;
        }
        let v: Value = serde_json::from_str(data)
            .map_err(|e| LlmError::Decode(format!("bad stream event: {e}: {}", preview(data))))?;
        events += 1;
        if let Some(c) = v["choices"][0]["delta"]["content"].as_str() {
            content.push_str(c);
        }
        if let Some(f) = v["choices"][0]["finish_reason"].as_str() {
            finish = Some(f.to_string());
        }
        if v["usage"].is_object() {
            u = usage(&v["usage"]);
        }
    }
    if events == 0 {
        return Err(LlmError::Decode(format!(
            "no stream events in {}",
            preview(text)
        )));
    }
    // Cut off before its end: neither `[DONE]` nor a finish reason arrived.
    if !done && finish.is_none() {
        return Err(LlmError::Truncated(format!(
            "{events} events, no finish reason and no [DONE]"
        )));
    }
    Ok(LlmResponse {
        content,
        finish_reason: finish,
        usage: u,
        replayed: false,
    })
}

/// The most a reply may be: generous for `max_tokens` tokens (a streamed token costs an event of
/// a few hundred bytes), and bounded when no limit is set.
fn reply_cap(max_tokens: Option<u32>, stream: bool) -> usize {
    let per_token = if stream { 512 } else { 32 };
    match max_tokens {
        Some(m) => 256 * 1024 + m as usize * per_token,
        None => 8 * 1024 * 1024,
    }
}

enum ReadError {
    Http(reqwest::Error),
    TooLarge,
}

/// The body, read chunk by chunk and refused once it passes `cap` bytes.
async fn read_capped(mut resp: reqwest::Response, cap: usize) -> Result<String, ReadError> {
    let mut buf: Vec<u8> = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(ReadError::Http)? {
        if buf.len() + chunk.len() > cap {
            return Err(ReadError::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Characters of a server's error body kept: the whole message of any real server, not a
/// runaway page.
const ERROR_BODY_CHARS: usize = 4096;

fn error_body(s: &str) -> String {
    let t = s.trim();
    let p: String = t.chars().take(ERROR_BODY_CHARS).collect();
    if t.chars().count() > ERROR_BODY_CHARS {
        format!("{p}… ({} bytes in all)", t.len())
    } else {
        p
    }
}

fn preview(s: &str) -> String {
    let p: String = s.chars().take(200).collect();
    if s.chars().count() > 200 {
        format!("{p}…")
    } else {
        p
    }
}

#[async_trait::async_trait]
impl LlmBackend for HttpBackend {
    async fn complete(&self, req: &LlmRequest, _call: &CallInfo) -> Result<LlmResponse, LlmError> {
        let url = format!("{}/chat/completions", self.base_url);
        let mut r = self.client.post(&url).json(&self.body(req));
        if let Some(k) = &self.api_key {
            r = r.bearer_auth(k);
        }
        let resp = r.send().await.map_err(|e| {
            if e.is_timeout() {
                LlmError::Timeout {
                    secs: self.timeout.as_secs_f64(),
                }
            } else {
                LlmError::Connect {
                    url: url.clone(),
                    message: e.to_string(),
                }
            }
        })?;
        let status = resp.status();
        let ra = retry_after(resp.headers());
        let cap = reply_cap(req.max_tokens, self.stream);
        let text = read_capped(resp, cap).await.map_err(|e| match e {
            ReadError::Http(e) if e.is_timeout() => LlmError::Timeout {
                secs: self.timeout.as_secs_f64(),
            },
            ReadError::Http(e) => LlmError::Decode(e.to_string()),
            ReadError::TooLarge => LlmError::Decode(format!(
                "the reply is larger than {} KB (max_tokens = {}): the server ignored the token limit or this is not an LLM endpoint",
                cap / 1024,
                req.max_tokens.map_or("none".to_string(), |m| m.to_string())
            )),
        })?;
        if !status.is_success() {
            return Err(LlmError::Status {
                status: status.as_u16(),
                retry_after: ra,
                body: self.scrub(&error_body(&text)),
            });
        }
        // Read by what came back, not by what was asked: a retry may answer a stream request
        // with a plain completion.
        let body = text.trim_start();
        if body.starts_with("data:") {
            parse_stream(&text)
        } else if body.starts_with('{') {
            parse_completion(&text)
        } else {
            Err(LlmError::NotJson(self.scrub(&preview(&text))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_streamed_replies_read_the_same() {
        let plain = r#"{"choices":[{"message":{"role":"assistant","content":"{\"a\":1}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":4}}"#;
        let stream = "data: {\"choices\":[{\"delta\":{\"content\":\"{\\\"a\\\"\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\":1}\"},\"finish_reason\":\"stop\"}]}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4}}\n\ndata: [DONE]\n";
        let a = parse_completion(plain).unwrap();
        let b = parse_stream(stream).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.usage.total(), 14);
    }

    #[test]
    fn malformed_replies_are_decode_errors() {
        assert!(matches!(
            parse_completion("{not json"),
            Err(LlmError::Decode(_))
        ));
        assert!(matches!(
            parse_completion("{\"choices\":[]}"),
            Err(LlmError::Decode(_))
        ));
    }

    #[test]
    fn debug_never_shows_the_key() {
        let b = HttpBackend::new(
            "http://127.0.0.1:1/v1",
            Some("sk-secret".into()),
            Duration::from_secs(1),
            false,
        )
        .unwrap();
        assert!(!format!("{b:?}").contains("sk-secret"));
    }
}
