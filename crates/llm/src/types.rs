//! Requests, responses and errors of the one backend trait every layer implements.
//!
//! A request serialises canonically: fields in a fixed order, maps sorted (serde_json without
//! `preserve_order`), so the same request always has the same bytes and the same cassette key,
//! whatever order a caller built it in. Transport details (streaming, headers, keys) are not part
//! of it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// The text.
    pub content: String,
}

impl Message {
    /// A message with `role` and `content`.
    pub fn new(role: &str, content: impl Into<String>) -> Self {
        Self {
            role: role.into(),
            content: content.into(),
        }
    }
}

/// How the reply must be shaped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ResponseFormat {
    /// Free text.
    Text,
    /// Any JSON object.
    JsonObject,
    /// JSON matching a schema (grammar-constrained on servers that support it).
    JsonSchema {
        /// Schema name.
        name: String,
        /// The JSON Schema (shared: one step's calls and every run of a process send the same).
        schema: std::sync::Arc<serde_json::Value>,
    },
}

/// A chat completion request, transport-free.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmRequest {
    /// Model name.
    pub model: String,
    /// Messages, in order.
    pub messages: Vec<Message>,
    /// Sampling temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Reply length limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Sampling seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Reply shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
}

impl LlmRequest {
    /// The canonical JSON of the request.
    pub fn canonical(&self) -> String {
        // Round-trip through Value: object keys come out sorted.
        let v = serde_json::to_value(self).unwrap_or_default();
        serde_json::to_string(&v).unwrap_or_default()
    }

    /// The cassette key: SHA-256 of the canonical JSON, hex.
    pub fn key(&self) -> String {
        let digest = Sha256::digest(self.canonical().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Characters per token when estimating a prompt's size before sending it: English prose runs
/// about 4, JSON and numbers nearer 3; 3 errs on the side of fitting.
pub const CHARS_PER_TOKEN: usize = 3;

/// Tokens a chat message costs beyond its text (role and framing).
const MESSAGE_TOKENS: usize = 8;

/// The estimated prompt tokens of `messages`, before a server has counted them.
pub fn estimate_tokens(messages: &[Message]) -> usize {
    messages
        .iter()
        .map(|m| m.content.chars().count().div_ceil(CHARS_PER_TOKEN) + MESSAGE_TOKENS)
        .sum()
}

/// Token counts from the server's `usage`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// Completion tokens.
    pub completion_tokens: u64,
}

impl Usage {
    /// Prompt + completion.
    pub fn total(&self) -> u64 {
        self.prompt_tokens + self.completion_tokens
    }
}

/// A reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmResponse {
    /// The text of the first choice.
    pub content: String,
    /// Why generation stopped (`stop`, `length`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
    /// Token counts.
    #[serde(default)]
    pub usage: Usage,
    /// True when served from a cassette.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
}

/// Who is calling, for cassettes, budgets and error messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallInfo {
    /// The agent.
    pub agent: String,
    /// `Phase 1: Name`.
    pub phase: String,
}

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LlmError {
    /// The server answered with an error status.
    #[error("HTTP {status} from the LLM endpoint: {body}")]
    Status {
        /// The status code.
        status: u16,
        /// Seconds from a `Retry-After` header.
        retry_after: Option<f64>,
        /// The start of the body.
        body: String,
    },
    /// No connection could be made.
    #[error("cannot connect to the LLM endpoint {url}: {message}")]
    Connect {
        /// The endpoint.
        url: String,
        /// Why.
        message: String,
    },
    /// The attempt took longer than its timeout.
    #[error("the LLM endpoint did not answer within {secs} s")]
    Timeout {
        /// The timeout.
        secs: f64,
    },
    /// The reply was not an OpenAI-style completion.
    #[error("cannot read the LLM reply: {0}")]
    Decode(String),
    /// A 200 whose body is not JSON (a proxy's error page): worth another attempt.
    #[error("the LLM endpoint answered 200 with a body that is not JSON: {0}")]
    NotJson(String),
    /// A stream that ended before its last event: worth another attempt.
    #[error("the LLM reply stream ended early: {0}")]
    Truncated(String),
    /// Every retry failed; the last error is kept.
    #[error("gave up after {attempts} attempts; last error: {last}")]
    Exhausted {
        /// Attempts made.
        attempts: u32,
        /// The last error.
        last: Box<LlmError>,
    },
    /// A replayed request has no recording.
    #[error("{0}")]
    ReplayMiss(String),
    /// The run's token or cost budget would be exceeded.
    #[error("{0}")]
    Budget(String),
    /// A cassette could not be read or written.
    #[error("cassette {path}: {message}")]
    Cassette {
        /// The cassette file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl LlmError {
    /// True for errors worth retrying: 429, 5xx, connection failures and timeouts.
    pub fn is_retryable(&self) -> bool {
        match self {
            LlmError::Status { status, .. } => *status == 429 || *status >= 500,
            LlmError::Connect { .. }
            | LlmError::Timeout { .. }
            | LlmError::NotJson(_)
            | LlmError::Truncated(_) => true,
            _ => false,
        }
    }
}

/// The one backend trait. Layers wrap a backend and are backends themselves.
#[async_trait::async_trait]
pub trait LlmBackend: Send + Sync {
    /// Completes one request.
    async fn complete(&self, req: &LlmRequest, call: &CallInfo) -> Result<LlmResponse, LlmError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_ignores_construction_order_but_not_content() {
        let a = LlmRequest {
            model: "m".into(),
            messages: vec![Message::new("user", "hi")],
            temperature: Some(0.0),
            max_tokens: None,
            seed: Some(1),
            response_format: Some(ResponseFormat::JsonSchema {
                name: "s".into(),
                schema: serde_json::json!({"b": 1, "a": {"y": 2, "x": 1}}).into(),
            }),
        };
        // The same schema written with keys in another order.
        let schema: serde_json::Value =
            serde_json::from_str("{\"a\": {\"x\": 1, \"y\": 2}, \"b\": 1}").unwrap();
        let mut b = a.clone();
        b.response_format = Some(ResponseFormat::JsonSchema {
            name: "s".into(),
            schema: schema.into(),
        });
        assert_eq!(a.key(), b.key());
        assert_eq!(a.canonical(), b.canonical());
        let mut c = a.clone();
        c.messages[0].content = "hi!".into();
        assert_ne!(a.key(), c.key());
    }

    #[test]
    fn retryable_errors() {
        let s = |status| LlmError::Status {
            status,
            retry_after: None,
            body: String::new(),
        };
        assert!(s(429).is_retryable() && s(500).is_retryable() && s(503).is_retryable());
        assert!(!s(400).is_retryable() && !s(401).is_retryable());
        assert!(!LlmError::Decode("x".into()).is_retryable());
    }
}
