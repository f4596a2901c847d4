//! The HTTP backend against a mock server on 127.0.0.1, and the layers: retries with backoff
//! (under tokio's paused time), per-attempt timeouts, the concurrency limit and the budget.

use coord_llm::http::HttpBackend;
use coord_llm::layers::{Budget, Limit, Retry, RetryPolicy, Spent, Timeout};
use coord_llm::{CallInfo, LlmBackend, LlmError, LlmRequest, LlmResponse, Message, Usage};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn req() -> LlmRequest {
    LlmRequest {
        model: "m".into(),
        messages: vec![Message::new("user", "hello")],
        temperature: Some(0.0),
        max_tokens: Some(50),
        seed: None,
        response_format: None,
    }
}

fn call() -> CallInfo {
    CallInfo {
        agent: "tester".into(),
        phase: "Phase 1: Test".into(),
    }
}

fn completion(content: &str) -> serde_json::Value {
    json!({
        "choices": [{"message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3}
    })
}

fn http(server: &MockServer, timeout_ms: u64, stream: bool) -> HttpBackend {
    HttpBackend::new(
        &format!("{}/v1", server.uri()),
        Some("sk-test".into()),
        Duration::from_millis(timeout_ms),
        stream,
    )
    .unwrap()
}

#[tokio::test]
async fn success_sends_the_key_and_reads_content_and_usage() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", "Bearer sk-test"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion("hi there")))
        .expect(1)
        .mount(&server)
        .await;
    let r = http(&server, 5000, false)
        .complete(&req(), &call())
        .await
        .unwrap();
    assert_eq!(r.content, "hi there");
    assert_eq!(
        r.usage,
        Usage {
            prompt_tokens: 12,
            completion_tokens: 3
        }
    );
    assert_eq!(r.finish_reason.as_deref(), Some("stop"));
}

#[tokio::test]
async fn streamed_success_gives_the_same_result() {
    let server = MockServer::start().await;
    let sse = "data: {\"choices\":[{\"delta\":{\"content\":\"hi \"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"there\"},\"finish_reason\":\"stop\"}]}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3}}\n\ndata: [DONE]\n\n";
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string(sse),
        )
        .mount(&server)
        .await;
    let streamed = http(&server, 5000, true)
        .complete(&req(), &call())
        .await
        .unwrap();
    assert_eq!(
        streamed,
        LlmResponse {
            content: "hi there".into(),
            finish_reason: Some("stop".into()),
            usage: Usage {
                prompt_tokens: 12,
                completion_tokens: 3
            },
            replayed: false,
        }
    );
    let sent = &server.received_requests().await.unwrap()[0];
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body["stream"], true);
}

#[tokio::test]
async fn statuses_timeouts_refusals_and_garbage_map_to_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .set_body_string("slow down"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let e = http(&server, 5000, false)
        .complete(&req(), &call())
        .await
        .unwrap_err();
    assert!(
        matches!(e, LlmError::Status { status: 429, retry_after: Some(r), .. } if r == 7.0),
        "{e}"
    );
    assert!(e.is_retryable());

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string("bad request"))
        .mount(&server)
        .await;
    let e = http(&server, 5000, false)
        .complete(&req(), &call())
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Status { status: 400, .. }) && !e.is_retryable());

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(completion("late"))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let slow = Timeout::new(
        Arc::new(http(&server, 5000, false)),
        Duration::from_millis(300),
    );
    let e = slow.complete(&req(), &call()).await.unwrap_err();
    assert!(
        matches!(e, LlmError::Timeout { .. }) && e.is_retryable(),
        "{e}"
    );

    let closed = HttpBackend::new(
        "http://127.0.0.1:9/v1",
        None,
        Duration::from_millis(500),
        false,
    )
    .unwrap();
    let e = closed.complete(&req(), &call()).await.unwrap_err();
    assert!(
        matches!(e, LlmError::Connect { .. }) && e.is_retryable(),
        "{e}"
    );

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"choices\": ["))
        .mount(&server)
        .await;
    let e = http(&server, 5000, false)
        .complete(&req(), &call())
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Decode(_)) && !e.is_retryable(), "{e}");
}

/// A backend that fails with the scripted errors, then succeeds; counts attempts.
struct Scripted {
    errors: Mutex<Vec<LlmError>>,
    attempts: AtomicUsize,
}

impl Scripted {
    fn new(errors: Vec<LlmError>) -> Self {
        Self {
            errors: Mutex::new(errors),
            attempts: AtomicUsize::new(0),
        }
    }
}

#[async_trait::async_trait]
impl LlmBackend for Scripted {
    async fn complete(&self, _r: &LlmRequest, _c: &CallInfo) -> Result<LlmResponse, LlmError> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        let mut e = self.errors.lock().unwrap();
        if e.is_empty() {
            Ok(LlmResponse {
                content: "ok".into(),
                finish_reason: None,
                usage: Usage {
                    prompt_tokens: 100,
                    completion_tokens: 50,
                },
                replayed: false,
            })
        } else {
            Err(e.remove(0))
        }
    }
}

fn status(code: u16, retry_after: Option<f64>) -> LlmError {
    LlmError::Status {
        status: code,
        retry_after,
        body: String::new(),
    }
}

const POLICY: RetryPolicy = RetryPolicy {
    retries: 3,
    base: Duration::from_secs(1),
    max: Duration::from_secs(30),
};

#[tokio::test(start_paused = true)]
async fn a_429_waits_for_retry_after_then_succeeds() {
    let inner = Arc::new(Scripted::new(vec![status(429, Some(7.0))]));
    let retry = Retry::new(inner.clone(), POLICY);
    let t0 = tokio::time::Instant::now();
    assert_eq!(retry.complete(&req(), &call()).await.unwrap().content, "ok");
    assert_eq!(
        t0.elapsed(),
        Duration::from_secs(7),
        "Retry-After is honoured exactly"
    );
    assert_eq!(inner.attempts.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn server_errors_back_off_exponentially_with_jitter() {
    let inner = Arc::new(Scripted::new(vec![
        status(500, None),
        status(502, None),
        status(503, None),
    ]));
    let retry = Retry::new(inner.clone(), POLICY);
    let t0 = tokio::time::Instant::now();
    assert_eq!(retry.complete(&req(), &call()).await.unwrap().content, "ok");
    let waited = t0.elapsed();
    // Delays 1 s, 2 s, 4 s, each jittered into [50%, 100%]: between 3.5 s and 7 s in all.
    assert!(
        waited >= Duration::from_millis(3500) && waited <= Duration::from_secs(7),
        "{waited:?}"
    );
    assert_eq!(inner.attempts.load(Ordering::SeqCst), 4);
}

#[tokio::test(start_paused = true)]
async fn other_client_errors_are_not_retried_and_exhaustion_keeps_the_last_error() {
    let inner = Arc::new(Scripted::new(vec![status(401, None)]));
    let e = Retry::new(inner.clone(), POLICY)
        .complete(&req(), &call())
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Status { status: 401, .. }));
    assert_eq!(inner.attempts.load(Ordering::SeqCst), 1);

    let inner = Arc::new(Scripted::new((0..10).map(|_| status(503, None)).collect()));
    let e = Retry::new(inner.clone(), POLICY)
        .complete(&req(), &call())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, LlmError::Exhausted { attempts: 4, last } if matches!(**last, LlmError::Status { status: 503, .. })),
        "{e}"
    );
    assert!(e.to_string().contains("HTTP 503"));
}

/// Counts calls in flight.
struct Slow {
    now: AtomicUsize,
    peak: AtomicUsize,
}

#[async_trait::async_trait]
impl LlmBackend for Slow {
    async fn complete(&self, _r: &LlmRequest, _c: &CallInfo) -> Result<LlmResponse, LlmError> {
        let n = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(n, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(200)).await;
        self.now.fetch_sub(1, Ordering::SeqCst);
        Ok(LlmResponse {
            content: String::new(),
            finish_reason: None,
            usage: Usage::default(),
            replayed: false,
        })
    }
}

#[tokio::test(start_paused = true)]
async fn concurrent_calls_never_exceed_the_limit() {
    let inner = Arc::new(Slow {
        now: AtomicUsize::new(0),
        peak: AtomicUsize::new(0),
    });
    let limit = Arc::new(Limit::new(
        inner.clone(),
        Arc::new(tokio::sync::Semaphore::new(2)),
    ));
    let t0 = tokio::time::Instant::now();
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let l = limit.clone();
            tokio::spawn(async move { l.complete(&req(), &call()).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(inner.peak.load(Ordering::SeqCst), 2);
    assert_eq!(
        t0.elapsed(),
        Duration::from_millis(600),
        "six 200 ms calls, two at a time"
    );
}

#[tokio::test]
async fn the_budget_stops_the_next_call_and_counts_usage() {
    let spent = Arc::new(Mutex::new(Spent::default()));
    let b = Budget::new(
        Arc::new(Scripted::new(vec![])),
        spent.clone(),
        Some(200),
        None,
        2.0,
    );
    b.complete(&req(), &call()).await.unwrap();
    assert_eq!(spent.lock().unwrap().prompt_tokens, 100);
    assert!((spent.lock().unwrap().cost - 0.3).abs() < 1e-9);
    // 150 used; the next call could take its prompt (about 10) and max_tokens (50): 210 > 200,
    // so it is not made — the budget is never passed.
    let e = b.complete(&req(), &call()).await.unwrap_err();
    assert!(
        matches!(e, LlmError::Budget(_))
            && e.to_string().contains("--max-tokens")
            && e.to_string().contains("could take up to 60 more"),
        "{e}"
    );
    assert_eq!(
        spent.lock().unwrap().prompt_tokens,
        100,
        "nothing more spent"
    );
}

#[tokio::test]
async fn over_http_429_and_5xx_are_retried_until_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    for code in [500, 502, 503] {
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(code))
            .up_to_n_times(1)
            .with_priority(2)
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion("finally")))
        .with_priority(3)
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        retries: 4,
        base: Duration::from_millis(1),
        max: Duration::from_millis(5),
    };
    let r = Retry::new(Arc::new(http(&server, 5000, false)), policy)
        .complete(&req(), &call())
        .await
        .unwrap();
    assert_eq!(r.content, "finally");
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

/// A proxy's HTML page with a 200 is retried, and so is a stream cut off before its end — also
/// when the retry answers with a plain completion.
#[tokio::test]
async fn a_non_json_200_and_a_truncated_stream_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>Bad gateway</html>"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(
                "data: {\"choices\":[{\"delta\":{\"content\":\"{\\\"a\\\"\"}}]}\n\n",
            ),
        )
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion("whole")))
        .with_priority(3)
        .mount(&server)
        .await;
    let first = http(&server, 5000, true).complete(&req(), &call()).await;
    assert!(matches!(first, Err(LlmError::NotJson(_))), "{first:?}");
    let second = http(&server, 5000, true).complete(&req(), &call()).await;
    assert!(matches!(second, Err(LlmError::Truncated(_))), "{second:?}");
    assert!(first.unwrap_err().is_retryable() && second.unwrap_err().is_retryable());
    let policy = RetryPolicy {
        retries: 2,
        base: Duration::from_millis(1),
        max: Duration::from_millis(2),
    };
    // Through the retry layer: the stream request's retry reads the plain completion.
    let r = Retry::new(Arc::new(http(&server, 5000, true)), policy)
        .complete(&req(), &call())
        .await
        .unwrap();
    assert_eq!(r.content, "whole");
}

/// A slow but steady stream is not cut by the per-attempt timeout: only a silence longer than
/// the timeout is.
#[tokio::test]
async fn a_slow_steady_stream_outlives_the_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 65536];
        let _ = sock.read(&mut buf).await;
        sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
            .await
            .unwrap();
        // Ten events 150 ms apart: 1.5 s in all, against a 400 ms timeout.
        for i in 0..10 {
            let ev = if i == 9 {
                "data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n".to_string()
            } else {
                "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n".to_string()
            };
            let chunk = format!("{:x}\r\n{ev}\r\n", ev.len());
            sock.write_all(chunk.as_bytes()).await.unwrap();
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        sock.write_all(b"0\r\n\r\n").await.unwrap();
    });
    let b = HttpBackend::new(
        &format!("http://{addr}/v1"),
        None,
        Duration::from_millis(400),
        true,
    )
    .unwrap();
    let r = b.complete(&req(), &call()).await.unwrap();
    assert_eq!(r.content, "xxxxxxxxxx");
}

/// A server error body is kept whole (not cut at 200 characters), with the key scrubbed.
#[tokio::test]
async fn error_bodies_are_kept_in_full_without_the_key() {
    let server = MockServer::start().await;
    let long = format!(
        "{{\"error\":\"bad request from key sk-test: {} the real cause is at the end\"}}",
        "x".repeat(600)
    );
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string(long))
        .mount(&server)
        .await;
    let e = http(&server, 5000, false)
        .complete(&req(), &call())
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("the real cause is at the end"), "{text}");
    assert!(
        !text.contains("sk-test") && text.contains("[redacted]"),
        "{text}"
    );
}

/// A reply far larger than max_tokens allows is refused, not read whole.
#[tokio::test]
async fn a_runaway_reply_is_refused() {
    let server = MockServer::start().await;
    let huge = completion(&"y".repeat(2 * 1024 * 1024));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(huge))
        .mount(&server)
        .await;
    let e = http(&server, 5000, false)
        .complete(&req(), &call())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("larger than"), "{e}");
}
