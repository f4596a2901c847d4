//! The coordinator: runs a [`Plan`] phase by phase and is the blackboard's only writer.
//!
//! Within a phase the support agents run concurrently, each on a snapshot of the board; each
//! reply is logged the moment it arrives (`agent_delivered`), and the contributions are appended
//! in mission order (not completion order) once all have finished, so the board is identical run
//! after run. Then the leads run, one after another, each seeing the supports' entries. Every
//! agent runs in its own task, so a panicking agent is a failed step naming the agent, never a
//! crashed process. Every agent call is bounded by the agent timeout, every phase optionally by
//! the phase timeout, and the whole run by a cancellation token (Ctrl-C): cancelling aborts the
//! in-flight agent tasks and leaves the event log ready for `coord resume`.

use crate::agent::{Role, Task};
use crate::blackboard::{Blackboard, MergePolicy};
use crate::events::{Event, EventSink};
use crate::plan::{Plan, PlannedAgent};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;
use tracing::Instrument as _;

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// An agent returned an error.
    #[error("agent `@{agent}` ({role}) failed in {phase}: {source}")]
    AgentFailed {
        /// `Phase 1: Name`.
        phase: String,
        /// The agent.
        agent: String,
        /// Its role.
        role: Role,
        /// The error.
        #[source]
        source: crate::agent::AgentError,
    },
    /// An agent exceeded the agent timeout.
    #[error("agent `@{agent}` ({role}) timed out after {secs} s in {phase}")]
    Timeout {
        /// `Phase 1: Name`.
        phase: String,
        /// The agent.
        agent: String,
        /// Its role.
        role: Role,
        /// The timeout.
        secs: f64,
    },
    /// A phase exceeded the phase timeout.
    #[error("{phase} timed out after {secs} s")]
    PhaseTimeout {
        /// `Phase 1: Name`.
        phase: String,
        /// The timeout.
        secs: f64,
    },
    /// An agent wrote a key it did not declare, or a value its key's policy cannot merge.
    #[error("agent `@{agent}` in {phase} wrote `{key}`: {message}")]
    BadOutput {
        /// `Phase 1: Name`.
        phase: String,
        /// The agent.
        agent: String,
        /// The key.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// The run was cancelled.
    #[error("cancelled")]
    Cancelled,
}

/// Timing of one agent step.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AgentStat {
    /// Phase index.
    pub phase: usize,
    /// Agent.
    pub agent: String,
    /// Role.
    pub role: Role,
    /// Backend.
    pub backend: String,
    /// Wall time (0 when skipped on resume).
    pub elapsed_ms: u64,
    /// Entries written.
    pub entries: usize,
    /// True when done by an earlier invocation.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub resumed: bool,
    /// LLM calls, tokens and cost, for agents that make calls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<crate::agent::Usage>,
    /// Why the agent's rule set did the step instead of its backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
}

/// Runs plans.
pub struct Coordinator<'a> {
    plan: &'a Plan,
    run_dir: Option<std::path::PathBuf>,
    pack: Option<Arc<dyn crate::pack::MissionPack>>,
    agent_timeout: Duration,
    phase_timeout: Option<Duration>,
    sink: &'a dyn EventSink,
    cancel: CancellationToken,
    delivered: BTreeMap<(usize, String, Role), crate::agent::Contribution>,
}

/// What one agent task returns: the reply (or its timeout) and the wall time.
type Reply = (
    Result<
        Result<crate::agent::Contribution, crate::agent::AgentError>,
        tokio::time::error::Elapsed,
    >,
    Duration,
);

/// The message of a panicked task.
fn panic_message(e: tokio::task::JoinError) -> String {
    if !e.is_panic() {
        return format!("agent task stopped: {e}");
    }
    let p = e.into_panic();
    let msg = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    format!("the agent panicked: {msg}")
}

impl<'a> Coordinator<'a> {
    /// A coordinator for `plan`; timeouts in seconds (phase timeout 0 = none).
    pub fn new(
        plan: &'a Plan,
        agent_timeout_secs: f64,
        phase_timeout_secs: f64,
        sink: &'a dyn EventSink,
        cancel: CancellationToken,
    ) -> Self {
        Self {
            plan,
            run_dir: None,
            pack: None,
            agent_timeout: Duration::from_secs_f64(agent_timeout_secs.max(0.001)),
            phase_timeout: (phase_timeout_secs > 0.0)
                .then(|| Duration::from_secs_f64(phase_timeout_secs)),
            sink,
            cancel,
            delivered: BTreeMap::new(),
        }
    }

    /// Replies an earlier invocation received but had not put on the board: those support
    /// steps use them instead of asking again.
    pub fn with_delivered(
        mut self,
        delivered: BTreeMap<(usize, String, Role), crate::agent::Contribution>,
    ) -> Self {
        self.delivered = delivered;
        self
    }

    /// Gives agents the run directory and the mission's pack.
    pub fn with_context(
        mut self,
        run_dir: Option<std::path::PathBuf>,
        pack: Option<Arc<dyn crate::pack::MissionPack>>,
    ) -> Self {
        self.run_dir = run_dir;
        self.pack = pack;
        self
    }

    /// Runs every phase, appending to `board`. Steps in `done` (from a resumed run, whose
    /// entries are already on `board`) are skipped.
    /// The timing of every finished step goes to `stats`, also when the run stops early.
    pub async fn run(
        &self,
        board: &mut Blackboard,
        done: &BTreeSet<(usize, String, Role)>,
        stats: &mut Vec<AgentStat>,
    ) -> Result<(), RunError> {
        for phase in &self.plan.phases {
            let label = self.plan.mission.phases[phase.index].label();
            let all_done = phase
                .supports
                .iter()
                .chain(&phase.leads)
                .all(|a| done.contains(&(phase.index, a.name.clone(), a.role)));
            if !all_done {
                self.sink.emit(&Event::PhaseStarted {
                    phase: phase.index,
                    label: label.clone(),
                });
            }
            let started = Instant::now();
            let span = tracing::info_span!("phase", n = phase.index + 1, name = %self.plan.mission.phases[phase.index].name);
            let work = self.run_phase(phase, board, done, stats).instrument(span);
            let result = tokio::select! {
                r = async {
                    match self.phase_timeout {
                        Some(t) => tokio::time::timeout(t, work).await.map_err(|_| RunError::PhaseTimeout {
                            phase: label.clone(),
                            secs: t.as_secs_f64(),
                        })?,
                        None => work.await,
                    }
                } => r,
                _ = self.cancel.cancelled() => Err(RunError::Cancelled),
            };
            result?;
            if !all_done {
                self.sink.emit(&Event::PhaseFinished {
                    phase: phase.index,
                    elapsed_ms: started.elapsed().as_millis() as u64,
                });
            }
        }
        Ok(())
    }

    async fn run_phase(
        &self,
        phase: &crate::plan::PlannedPhase,
        board: &mut Blackboard,
        done: &BTreeSet<(usize, String, Role)>,
        stats: &mut Vec<AgentStat>,
    ) -> Result<(), RunError> {
        // Support agents: concurrently, each in its own task, on one snapshot.
        let snapshot = board.view();
        let mut set = tokio::task::JoinSet::new();
        let mut ids = std::collections::HashMap::new();
        let mut replies: Vec<Option<Reply>> = (0..phase.supports.len()).map(|_| None).collect();
        for (k, a) in phase.supports.iter().enumerate() {
            let step = (phase.index, a.name.clone(), a.role);
            if done.contains(&step) {
                self.skip(phase.index, a, stats);
                continue;
            }
            if let Some(c) = self.delivered.get(&step) {
                // Arrived before the earlier invocation stopped: not asked again.
                replies[k] = Some((Ok(Ok(c.clone())), Duration::ZERO));
                continue;
            }
            let handle = set.spawn(self.agent_task(phase.index, a, snapshot.clone()));
            ids.insert(handle.id(), k);
        }
        // The tasks hold their views; without this one alive, appending below does not copy
        // the board once the tasks are done.
        drop(snapshot);
        while let Some(joined) = set.join_next_with_id().await {
            match joined {
                Ok((id, reply)) => {
                    let k = ids[&id];
                    let a = &phase.supports[k];
                    if let (Ok(Ok(c)), elapsed) = &reply {
                        self.sink.emit(&Event::AgentDelivered {
                            phase: phase.index,
                            agent: a.name.clone(),
                            role: a.role,
                            elapsed_ms: elapsed.as_millis() as u64,
                            contribution: c.clone(),
                        });
                    }
                    replies[k] = Some(reply);
                }
                Err(e) => {
                    let a = &phase.supports[ids[&e.id()]];
                    return Err(self.failed(phase.index, a, panic_message(e)));
                }
            }
        }
        for (k, reply) in replies.into_iter().enumerate() {
            let Some((r, elapsed)) = reply else { continue };
            let a = &phase.supports[k];
            let contribution = self.check_result(phase.index, a, r)?;
            self.commit(phase.index, a, contribution, elapsed, board, stats)?;
        }
        // Leads: one after another, each seeing everything before it, each in its own task.
        for a in &phase.leads {
            if done.contains(&(phase.index, a.name.clone(), a.role)) {
                self.skip(phase.index, a, stats);
                continue;
            }
            let mut one = tokio::task::JoinSet::new();
            one.spawn(self.agent_task(phase.index, a, board.view()));
            let (r, elapsed) = match one.join_next().await {
                Some(Ok(reply)) => reply,
                Some(Err(e)) => return Err(self.failed(phase.index, a, panic_message(e))),
                None => unreachable!("one task was spawned"),
            };
            let contribution = self.check_result(phase.index, a, r)?;
            self.commit(phase.index, a, contribution, elapsed, board, stats)?;
        }
        Ok(())
    }

    /// An agent step as a task of its own: started event, the call under the agent timeout, its
    /// span and timing.
    fn agent_task(
        &self,
        index: usize,
        a: &PlannedAgent,
        board: crate::blackboard::BoardView,
    ) -> impl std::future::Future<Output = Reply> + Send + 'static {
        let task = self.task(index, a, board);
        self.sink.emit(&Event::AgentStarted {
            phase: index,
            agent: a.name.clone(),
            role: a.role,
        });
        let agent = Arc::clone(&a.agent);
        let timeout = self.agent_timeout;
        let span =
            tracing::info_span!("agent", name = %a.name, role = %a.role, backend = %a.backend);
        async move {
            tracing::debug!("started");
            let t0 = Instant::now();
            let r = tokio::time::timeout(timeout, agent.run(&task)).await;
            tracing::info!(
                elapsed_ms = t0.elapsed().as_millis() as u64,
                ok = matches!(r, Ok(Ok(_))),
                "finished"
            );
            (r, t0.elapsed())
        }
        .instrument(span)
    }

    /// A step that did not return (its task panicked): a failed agent, reported and logged.
    fn failed(&self, index: usize, a: &PlannedAgent, message: String) -> RunError {
        let err = RunError::AgentFailed {
            phase: self.label(index),
            agent: a.name.clone(),
            role: a.role,
            source: crate::agent::AgentError::backend(message),
        };
        self.sink.emit(&Event::AgentFailed {
            phase: index,
            agent: a.name.clone(),
            role: a.role,
            error: err.to_string(),
        });
        err
    }

    fn label(&self, index: usize) -> String {
        self.plan.mission.phases[index].label()
    }

    fn task(&self, index: usize, a: &PlannedAgent, board: crate::blackboard::BoardView) -> Task {
        Task {
            mission: Arc::clone(&self.plan.mission),
            phase_index: index,
            role: a.role,
            agent: a.name.clone(),
            inputs: Arc::clone(&self.plan.inputs),
            variation: self.plan.variation.clone(),
            board,
            run_dir: self.run_dir.clone(),
            pack: self.pack.clone(),
            today: self.plan.today,
            date: self.plan.date,
        }
    }

    fn skip(&self, index: usize, a: &PlannedAgent, stats: &mut Vec<AgentStat>) {
        self.sink.emit(&Event::AgentSkipped {
            phase: index,
            agent: a.name.clone(),
            role: a.role,
        });
        stats.push(AgentStat {
            phase: index,
            agent: a.name.clone(),
            role: a.role,
            backend: a.backend.clone(),
            elapsed_ms: 0,
            entries: 0,
            resumed: true,
            usage: None,
            fallback: None,
        });
    }

    fn check_result(
        &self,
        index: usize,
        a: &PlannedAgent,
        r: Result<
            Result<crate::agent::Contribution, crate::agent::AgentError>,
            tokio::time::error::Elapsed,
        >,
    ) -> Result<crate::agent::Contribution, RunError> {
        let err = match r {
            Ok(Ok(c)) => return Ok(c),
            Ok(Err(source)) => RunError::AgentFailed {
                phase: self.label(index),
                agent: a.name.clone(),
                role: a.role,
                source,
            },
            Err(_) => RunError::Timeout {
                phase: self.label(index),
                agent: a.name.clone(),
                role: a.role,
                secs: self.agent_timeout.as_secs_f64(),
            },
        };
        self.sink.emit(&Event::AgentFailed {
            phase: index,
            agent: a.name.clone(),
            role: a.role,
            error: err.to_string(),
        });
        Err(err)
    }

    fn commit(
        &self,
        index: usize,
        a: &PlannedAgent,
        c: crate::agent::Contribution,
        elapsed: Duration,
        board: &mut Blackboard,
        stats: &mut Vec<AgentStat>,
    ) -> Result<(), RunError> {
        // Check every output before writing any, so a bad contribution leaves no trace.
        for o in &c.outputs {
            let bad = |message: String| RunError::BadOutput {
                phase: self.label(index),
                agent: a.name.clone(),
                key: o.key.clone(),
                message,
            };
            let Some(spec) = a.keys.iter().find(|k| k.key == o.key) else {
                let declared: Vec<&str> = a.keys.iter().map(|k| k.key.as_str()).collect();
                return Err(bad(format!(
                    "key not declared (declared: {})",
                    declared.join(", ")
                )));
            };
            if spec.policy == MergePolicy::KeyedMerge && !o.value.is_object() {
                return Err(bad("keyed-merge values must be JSON objects".into()));
            }
        }
        let first = board.entries().len();
        let n = c.outputs.len();
        let usage = c.usage;
        let fallback = c.fallback.clone();
        for o in c.outputs {
            board.append(o.key, o.value, o.markdown, &a.name, a.role, index);
        }
        self.sink.emit(&Event::AgentFinished {
            phase: index,
            agent: a.name.clone(),
            role: a.role,
            elapsed_ms: elapsed.as_millis() as u64,
            entries: board.entries()[first..].to_vec(),
            fallback: fallback.clone(),
        });
        stats.push(AgentStat {
            phase: index,
            agent: a.name.clone(),
            role: a.role,
            backend: match &fallback {
                Some(_) => format!("{} → rules (fallback)", a.backend),
                None => a.backend.clone(),
            },
            elapsed_ms: elapsed.as_millis() as u64,
            entries: n,
            resumed: false,
            usage,
            fallback,
        });
        Ok(())
    }
}
