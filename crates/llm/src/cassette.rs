//! Cassettes: every LLM exchange of a run, recordable and replayable offline.
//!
//! Format: JSON Lines, human-readable. A header `{"format":"coord-cassette","version":1,...}`,
//! then one exchange per line: `{key, seq, agent, phase, request, response}`. The key is the
//! SHA-256 of the canonical request (model, messages, parameters, schema — never headers or
//! keys). Identical requests are answered in recorded order. Secrets are scrubbed when recording:
//! the API key's value is replaced wherever it appears.
//!
//! A replay miss is an error naming the agent, the phase and the first difference between the new
//! request and the nearest recorded one — never a silently wrong answer.

use crate::types::{CallInfo, LlmBackend, LlmError, LlmRequest, LlmResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Version of the cassette format.
pub const CASSETTE_VERSION: u32 = 1;

/// The first line of a cassette.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    /// `coord-cassette`.
    pub format: String,
    /// [`CASSETTE_VERSION`].
    pub version: u32,
    /// The coord that wrote it.
    pub coord_version: String,
}

/// One recorded call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// SHA-256 of the canonical request.
    pub key: String,
    /// Position among the exchanges with the same key (0-based).
    pub seq: u32,
    /// The agent that called.
    pub agent: String,
    /// The phase it called in.
    pub phase: String,
    /// The request.
    pub request: LlmRequest,
    /// The reply.
    pub response: LlmResponse,
}

/// How a cassette is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Call the endpoint and record every exchange.
    Record,
    /// Serve every call from the cassette; a miss is an error.
    Replay,
    /// Replay hits, call and record misses.
    Auto,
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "record" => Ok(Mode::Record),
            "replay" => Ok(Mode::Replay),
            "auto" => Ok(Mode::Auto),
            other => Err(format!(
                "unknown cassette mode `{other}` (record, replay, auto)"
            )),
        }
    }
}

fn err(path: &Path, message: impl Into<String>) -> LlmError {
    LlmError::Cassette {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Reads a cassette.
pub fn load(path: &Path) -> Result<Vec<Exchange>, LlmError> {
    let text = std::fs::read_to_string(path).map_err(|e| err(path, e.to_string()))?;
    let mut lines = text.lines();
    let first = lines.next().ok_or_else(|| err(path, "empty file"))?;
    let h: Header = serde_json::from_str(first)
        .map_err(|e| err(path, format!("line 1: not a coord cassette: {e}")))?;
    if h.format != "coord-cassette" || h.version != CASSETTE_VERSION {
        return Err(err(
            path,
            format!(
                "format {} v{} is not supported (this coord reads coord-cassette v{CASSETTE_VERSION})",
                h.format, h.version
            ),
        ));
    }
    lines
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| err(path, format!("line {}: {e}", i + 2)))
        })
        .collect()
}

/// Appends exchanges to a cassette file, creating it with its header.
pub struct Writer {
    path: PathBuf,
    file: std::fs::File,
    counts: BTreeMap<String, u32>,
    secrets: Vec<String>,
}

impl Writer {
    /// Creates (or truncates) `path`. `secrets` are scrubbed from everything recorded.
    pub fn create(path: &Path, secrets: Vec<String>) -> Result<Self, LlmError> {
        if let Some(d) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(d).map_err(|e| err(path, e.to_string()))?;
        }
        let mut file = std::fs::File::create(path).map_err(|e| err(path, e.to_string()))?;
        let h = Header {
            format: "coord-cassette".into(),
            version: CASSETTE_VERSION,
            coord_version: env!("CARGO_PKG_VERSION").into(),
        };
        writeln!(file, "{}", serde_json::to_string(&h).unwrap_or_default())
            .map_err(|e| err(path, e.to_string()))?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
            counts: BTreeMap::new(),
            secrets: secrets.into_iter().filter(|s| s.len() >= 4).collect(),
        })
    }

    /// Opens `path` to add exchanges after those it holds (a resumed run's cassette), creating
    /// it when it does not exist; returns the writer and the exchanges already there. A torn
    /// last line (a kill mid-write) is cut off first.
    pub fn append(path: &Path, secrets: Vec<String>) -> Result<(Self, Vec<Exchange>), LlmError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Self::create(path, secrets)?, Vec::new()));
            }
            Err(e) => return Err(err(path, e.to_string())),
        };
        let whole = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        if whole == 0 {
            return Ok((Self::create(path, secrets)?, Vec::new()));
        }
        if whole < bytes.len() {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| err(path, e.to_string()))?;
            f.set_len(whole as u64)
                .map_err(|e| err(path, e.to_string()))?;
        }
        let earlier = load(path)?;
        let mut counts = BTreeMap::new();
        for ex in &earlier {
            let n = counts.entry(ex.key.clone()).or_insert(0);
            *n = (*n).max(ex.seq + 1);
        }
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| err(path, e.to_string()))?;
        let writer = Self {
            path: path.to_path_buf(),
            file,
            counts,
            secrets: secrets.into_iter().filter(|s| s.len() >= 4).collect(),
        };
        Ok((writer, earlier))
    }

    /// Records one exchange.
    pub fn record(
        &mut self,
        req: &LlmRequest,
        resp: &LlmResponse,
        call: &CallInfo,
    ) -> Result<(), LlmError> {
        let key = req.key();
        let seq = self.counts.entry(key.clone()).or_insert(0);
        let ex = Exchange {
            key,
            seq: *seq,
            agent: call.agent.clone(),
            phase: call.phase.clone(),
            request: req.clone(),
            response: LlmResponse {
                replayed: false,
                ..resp.clone()
            },
        };
        *seq += 1;
        let mut line = serde_json::to_string(&ex).map_err(|e| err(&self.path, e.to_string()))?;
        for s in &self.secrets {
            line = line.replace(s.as_str(), "[REDACTED]");
        }
        // One write per exchange, line and newline together: a kill leaves whole lines.
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .map_err(|e| err(&self.path, e.to_string()))
    }
}

/// Recorded exchanges, served in order per key.
pub struct Tape {
    exchanges: Vec<Exchange>,
    cursor: Mutex<BTreeMap<String, usize>>,
}

impl Tape {
    /// A tape over `exchanges`.
    pub fn new(exchanges: Vec<Exchange>) -> Self {
        Self {
            exchanges,
            cursor: Mutex::new(BTreeMap::new()),
        }
    }

    /// The next recorded reply for this request, if any. A `json_schema` request also matches
    /// the same request recorded with `json_object`: the recording run had found that the
    /// endpoint rejects `json_schema` and switched (the agent would switch again).
    pub fn next(&self, req: &LlmRequest) -> Option<LlmResponse> {
        self.take(req).or_else(|| match &req.response_format {
            Some(crate::types::ResponseFormat::JsonSchema { .. }) => {
                let mut plain = req.clone();
                plain.response_format = Some(crate::types::ResponseFormat::JsonObject);
                self.take(&plain)
            }
            _ => None,
        })
    }

    fn take(&self, req: &LlmRequest) -> Option<LlmResponse> {
        let key = req.key();
        let mut cur = self.cursor.lock().unwrap_or_else(|e| e.into_inner());
        let n = cur.entry(key.clone()).or_insert(0);
        let hit = self.exchanges.iter().filter(|e| e.key == key).nth(*n)?;
        *n += 1;
        Some(LlmResponse {
            replayed: true,
            ..hit.response.clone()
        })
    }

    /// The message explaining a miss: the first difference from the nearest recorded request.
    pub fn miss(&self, req: &LlmRequest, call: &CallInfo) -> String {
        let head = format!(
            "replay miss for @{} in {}: no recorded exchange matches this request",
            call.agent, call.phase
        );
        let same_step: Vec<&Exchange> = self
            .exchanges
            .iter()
            .filter(|e| e.agent == call.agent && e.phase == call.phase)
            .collect();
        let pool: Vec<&Exchange> = if same_step.is_empty() {
            self.exchanges.iter().collect()
        } else {
            same_step
        };
        let Some(nearest) = pool.iter().max_by_key(|e| similarity(&e.request, req)) else {
            return format!("{head}; the cassette is empty");
        };
        if nearest.key == req.key() {
            return format!(
                "{head}; the recorded answers for it were all used (a request repeated more often than when it was recorded)"
            );
        }
        format!(
            "{head}; nearest recorded: @{} in {} — {}",
            nearest.agent,
            nearest.phase,
            first_difference(&nearest.request, req)
        )
    }
}

fn similarity(a: &LlmRequest, b: &LlmRequest) -> usize {
    let same_msgs = a
        .messages
        .iter()
        .zip(&b.messages)
        .take_while(|(x, y)| x == y)
        .count();
    same_msgs * 4
        + usize::from(a.model == b.model)
        + usize::from(a.messages.len() == b.messages.len())
}

/// Describes the first difference between a recorded and a new request.
pub fn first_difference(old: &LlmRequest, new: &LlmRequest) -> String {
    if old.model != new.model {
        return format!("model changed: `{}` → `{}`", old.model, new.model);
    }
    for (i, (a, b)) in old.messages.iter().zip(&new.messages).enumerate() {
        if a.role != b.role {
            return format!("message {} role changed: {} → {}", i + 1, a.role, b.role);
        }
        if a.content != b.content {
            return format!(
                "message {} ({}) changed: {}",
                i + 1,
                a.role,
                word_diff(&a.content, &b.content)
            );
        }
    }
    if old.messages.len() != new.messages.len() {
        return format!(
            "{} messages recorded, {} now",
            old.messages.len(),
            new.messages.len()
        );
    }
    let param = |r: &LlmRequest| serde_json::json!({"temperature": r.temperature, "max_tokens": r.max_tokens, "seed": r.seed});
    if param(old) != param(new) {
        return format!("parameters changed: {} → {}", param(old), param(new));
    }
    "the response format (schema) changed".into()
}

/// A short diff around the first differing word: `…objective: -Create +Build 3 primary…`.
fn word_diff(a: &str, b: &str) -> String {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    let start = wa.iter().zip(&wb).take_while(|(x, y)| x == y).count();
    // Common suffix, not overlapping the prefix.
    let mut end = 0;
    while end < wa.len().saturating_sub(start)
        && end < wb.len().saturating_sub(start)
        && wa[wa.len() - 1 - end] == wb[wb.len() - 1 - end]
    {
        end += 1;
    }
    let ctx_from = start.saturating_sub(4);
    let before = wa[ctx_from..start].join(" ");
    let removed = wa[start..wa.len() - end].join(" ");
    let added = wb[start..wb.len() - end].join(" ");
    let after = wa[wa.len() - end..]
        .iter()
        .take(4)
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let clip = |s: String| {
        if s.chars().count() > 120 {
            format!("{}…", s.chars().take(120).collect::<String>())
        } else {
            s
        }
    };
    format!(
        "…{before} [-{}-] [+{}+] {after}…",
        clip(removed),
        clip(added)
    )
}

/// Replay: serves every call from the tape; a miss is an error. A leaf: nothing is sent.
pub struct Replay {
    tape: Arc<Tape>,
}

impl Replay {
    /// Serves from `tape`.
    pub fn new(tape: Arc<Tape>) -> Self {
        Self { tape }
    }
}

#[async_trait::async_trait]
impl LlmBackend for Replay {
    async fn complete(&self, req: &LlmRequest, call: &CallInfo) -> Result<LlmResponse, LlmError> {
        self.tape
            .next(req)
            .ok_or_else(|| LlmError::ReplayMiss(self.tape.miss(req, call)))
    }
}

/// Record (and, in auto mode, replay hits first): wraps the live stack, writes every live
/// exchange to the cassette.
pub struct Record {
    inner: Arc<dyn LlmBackend>,
    writers: Vec<Arc<Mutex<Writer>>>,
    tape: Option<Arc<Tape>>,
}

impl Record {
    /// Records what `inner` answers into every writer (the `--record` file and the run's own
    /// cassette); with a `tape` (auto mode), hits are replayed and not recorded again.
    pub fn new(
        inner: Arc<dyn LlmBackend>,
        writers: Vec<Arc<Mutex<Writer>>>,
        tape: Option<Arc<Tape>>,
    ) -> Self {
        Self {
            inner,
            writers,
            tape,
        }
    }
}

#[async_trait::async_trait]
impl LlmBackend for Record {
    async fn complete(&self, req: &LlmRequest, call: &CallInfo) -> Result<LlmResponse, LlmError> {
        if let Some(r) = self.tape.as_ref().and_then(|t| t.next(req)) {
            for w in &self.writers {
                w.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .record(req, &r, call)?;
            }
            return Ok(r);
        }
        let r = self.inner.complete(req, call).await?;
        for w in &self.writers {
            w.lock()
                .unwrap_or_else(|e| e.into_inner())
                .record(req, &r, call)?;
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Message;

    fn req(text: &str) -> LlmRequest {
        LlmRequest {
            model: "m".into(),
            messages: vec![
                Message::new("system", "You are x."),
                Message::new("user", text),
            ],
            temperature: Some(0.0),
            max_tokens: None,
            seed: None,
            response_format: None,
        }
    }

    /// A resumed run's cassette: a line torn by a kill is cut, the whole exchanges before it
    /// come back (to serve again) and the next one is numbered after them.
    #[test]
    fn append_cuts_a_torn_line_and_keeps_what_was_recorded() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("c.jsonl");
        let call = CallInfo {
            agent: "a".into(),
            phase: "Phase 1: X".into(),
        };
        let r = LlmResponse {
            content: "one".into(),
            finish_reason: None,
            usage: Default::default(),
            replayed: false,
        };
        let mut w = Writer::create(&p, vec![]).unwrap();
        w.record(&req("q"), &r, &call).unwrap();
        drop(w);
        let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all(b"{\"key\":\"ab").unwrap();
        drop(f);
        let (mut w, earlier) = Writer::append(&p, vec![]).unwrap();
        assert_eq!(earlier.len(), 1);
        w.record(&req("q"), &r, &call).unwrap();
        drop(w);
        let all = load(&p).unwrap();
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn identical_requests_replay_in_recorded_order_and_secrets_are_scrubbed() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("c.jsonl");
        let mut w = Writer::create(&p, vec!["sk-123456".into()]).unwrap();
        let call = CallInfo {
            agent: "a".into(),
            phase: "Phase 1: X".into(),
        };
        let r = |c: &str| LlmResponse {
            content: c.into(),
            finish_reason: None,
            usage: Default::default(),
            replayed: false,
        };
        w.record(&req("q"), &r("first sk-123456"), &call).unwrap();
        w.record(&req("q"), &r("second"), &call).unwrap();
        drop(w);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(!text.contains("sk-123456"));
        let tape = Tape::new(load(&p).unwrap());
        assert_eq!(tape.next(&req("q")).unwrap().content, "first [REDACTED]");
        assert_eq!(tape.next(&req("q")).unwrap().content, "second");
        assert!(tape.next(&req("q")).is_none());
        let miss = tape.miss(&req("q changed"), &call);
        assert!(
            miss.contains("@a in Phase 1: X") && miss.contains("message 2 (user) changed"),
            "{miss}"
        );
    }

    #[test]
    fn word_diff_shows_the_change_in_context() {
        let d = word_diff(
            "Objective: Create 3 primary sales initiatives aligned with objectives",
            "Objective: Build 3 primary sales initiatives aligned with objectives",
        );
        assert_eq!(
            d,
            "…Objective: [-Create-] [+Build+] 3 primary sales initiatives…"
        );
    }
}
