//! Behaviour as layers around one backend trait, not as flags inside the client.
//!
//! The stack is built outermost first: `budget → record/replay → retry → limit → timeout → http`.
//! So the budget is checked once per logical call, a recording holds one exchange per logical call
//! (not one per attempt), retries wait their turn for the concurrency limit, and each attempt has
//! its own timeout. Replay replaces everything below it: a replayed run sends nothing.

use crate::types::{CallInfo, LlmBackend, LlmError, LlmRequest, LlmResponse};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Retry policy: exponential backoff with jitter, honouring `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub retries: u32,
    /// First delay.
    pub base: Duration,
    /// Longest delay (also caps `Retry-After`).
    pub max: Duration,
}

/// Retries retryable errors.
pub struct Retry {
    inner: Arc<dyn LlmBackend>,
    policy: RetryPolicy,
    seed: Mutex<u64>,
}

impl Retry {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn LlmBackend>, policy: RetryPolicy) -> Self {
        // A seed of its own for every run: agents of two runs retrying the same server at the
        // same moment do not wait the same times.
        use std::hash::{BuildHasher, Hasher};
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
            | 1;
        Self {
            inner,
            policy,
            seed: Mutex::new(seed),
        }
    }

    /// The delay before retry `attempt` (1-based): base × 2^(attempt−1), capped, then "full
    /// jitter" between half and all of it so that agents retrying together spread out.
    pub fn delay(&self, attempt: u32, retry_after: Option<f64>) -> Duration {
        if let Some(s) = retry_after {
            return Duration::from_secs_f64(s.max(0.0)).min(self.policy.max);
        }
        let exp = self
            .policy
            .base
            .saturating_mul(1u32 << (attempt - 1).min(16));
        let capped = exp.min(self.policy.max);
        let r = {
            let mut s = self.seed.lock().unwrap_or_else(|e| e.into_inner());
            // xorshift64
            *s ^= *s << 13;
            *s ^= *s >> 7;
            *s ^= *s << 17;
            *s
        };
        let frac = 0.5 + (r % 1000) as f64 / 2000.0;
        capped.mul_f64(frac)
    }
}

#[async_trait::async_trait]
impl LlmBackend for Retry {
    async fn complete(&self, req: &LlmRequest, call: &CallInfo) -> Result<LlmResponse, LlmError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.inner.complete(req, call).await {
                Ok(r) => return Ok(r),
                Err(e) if e.is_retryable() && attempt <= self.policy.retries => {
                    let ra = match &e {
                        LlmError::Status { retry_after, .. } => *retry_after,
                        _ => None,
                    };
                    let wait = self.delay(attempt, ra);
                    tracing::warn!(agent = %call.agent, attempt, error = %e, wait_ms = wait.as_millis() as u64, "LLM call failed; retrying");
                    tokio::time::sleep(wait).await;
                }
                Err(e) if e.is_retryable() => {
                    return Err(LlmError::Exhausted {
                        attempts: attempt,
                        last: Box::new(e),
                    });
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// A per-attempt timeout.
pub struct Timeout {
    inner: Arc<dyn LlmBackend>,
    after: Duration,
}

impl Timeout {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn LlmBackend>, after: Duration) -> Self {
        Self { inner, after }
    }
}

#[async_trait::async_trait]
impl LlmBackend for Timeout {
    async fn complete(&self, req: &LlmRequest, call: &CallInfo) -> Result<LlmResponse, LlmError> {
        tokio::time::timeout(self.after, self.inner.complete(req, call))
            .await
            .map_err(|_| LlmError::Timeout {
                secs: self.after.as_secs_f64(),
            })?
    }
}

/// At most N calls in flight, shared by every agent of a run.
pub struct Limit {
    inner: Arc<dyn LlmBackend>,
    permits: Arc<Semaphore>,
}

impl Limit {
    /// Wraps `inner` with a shared semaphore.
    pub fn new(inner: Arc<dyn LlmBackend>, permits: Arc<Semaphore>) -> Self {
        Self { inner, permits }
    }
}

#[async_trait::async_trait]
impl LlmBackend for Limit {
    async fn complete(&self, req: &LlmRequest, call: &CallInfo) -> Result<LlmResponse, LlmError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| LlmError::Budget("the concurrency limiter was closed".into()))?;
        self.inner.complete(req, call).await
    }
}

/// What a run has spent, shared by every LLM agent of the run (calls, tokens, cost).
pub type Spent = coord_core::Usage;

/// Adds one reply to a usage count: replayed replies are free and counted as replayed.
pub fn account(u: &mut coord_core::Usage, r: &LlmResponse, price_per_1k: f64) {
    if r.replayed {
        u.replayed += 1;
    } else {
        u.calls += 1;
        u.prompt_tokens += r.usage.prompt_tokens;
        u.completion_tokens += r.usage.completion_tokens;
        u.cost += r.usage.total() as f64 / 1000.0 * price_per_1k;
    }
}

/// Stops a run before a call that would start over its token or cost budget, and counts usage.
pub struct Budget {
    inner: Arc<dyn LlmBackend>,
    spent: Arc<Mutex<Spent>>,
    max_tokens: Option<u64>,
    max_cost: Option<f64>,
    price_per_1k: f64,
    /// Tokens reserved by calls in flight (their estimated prompt and `max_tokens`).
    reserved: Mutex<u64>,
}

impl Budget {
    /// Wraps `inner`.
    pub fn new(
        inner: Arc<dyn LlmBackend>,
        spent: Arc<Mutex<Spent>>,
        max_tokens: Option<u64>,
        max_cost: Option<f64>,
        price_per_1k: f64,
    ) -> Self {
        Self {
            inner,
            spent,
            max_tokens,
            max_cost,
            price_per_1k,
            reserved: Mutex::new(0),
        }
    }
}

#[async_trait::async_trait]
impl LlmBackend for Budget {
    async fn complete(&self, req: &LlmRequest, call: &CallInfo) -> Result<LlmResponse, LlmError> {
        // A call may use its whole prompt and `max_tokens`: that much is reserved before it is
        // made, so the budget is never passed, even by calls in flight together.
        let reserve = crate::types::estimate_tokens(&req.messages) as u64
            + req.max_tokens.map_or(0, u64::from);
        {
            let s = self.spent.lock().unwrap_or_else(|e| e.into_inner());
            let mut reserved = self.reserved.lock().unwrap_or_else(|e| e.into_inner());
            let tokens = s.prompt_tokens + s.completion_tokens;
            if let Some(m) = self
                .max_tokens
                .filter(|m| tokens + *reserved + reserve > *m)
            {
                return Err(LlmError::Budget(format!(
                    "the run has used {tokens} tokens of its {m}-token budget (--max-tokens){}, and the call for @{} in {} could take up to {reserve} more (its prompt and max_tokens); not calling",
                    if *reserved > 0 {
                        format!(" with {} held by calls in flight", *reserved)
                    } else {
                        String::new()
                    },
                    call.agent,
                    call.phase
                )));
            }
            if let Some(m) = self.max_cost.filter(|m| s.cost >= *m) {
                return Err(LlmError::Budget(format!(
                    "the run has spent {:.4} of its {m:.4} budget (--max-cost); not calling for @{} in {}",
                    s.cost, call.agent, call.phase
                )));
            }
            *reserved += reserve;
        }
        let r = self.inner.complete(req, call).await;
        {
            let mut reserved = self.reserved.lock().unwrap_or_else(|e| e.into_inner());
            *reserved = reserved.saturating_sub(reserve);
        }
        let r = r?;
        account(
            &mut self.spent.lock().unwrap_or_else(|e| e.into_inner()),
            &r,
            self.price_per_1k,
        );
        Ok(r)
    }
}
