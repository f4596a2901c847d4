//! # coord-core
//!
//! coord's engine, independent of any particular backend or mission pack: the object-safe
//! [`Agent`] trait and the [`Registry`] that builds agents from their files; the append-only
//! [`Blackboard`] with per-key merge policies; the [`Coordinator`] that runs phases in order
//! (support agents concurrently, then the lead); the run store (event log, atomic outputs,
//! resume); settings; success-criteria verdicts; and the generic `outline` rule set.
//!
//! It must not depend on reqwest: the LLM backend lives in its own crate and plugs in through
//! [`Registry::register_backend`].

#![warn(missing_docs, unreachable_pub)]

pub mod agent;
pub mod binding;
pub mod blackboard;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod coordinator;
pub mod criteria;
pub mod engine;
pub mod events;
pub mod inputs;
pub mod outline;
pub mod pack;
pub mod plan;
pub mod registry;
pub mod report;
pub mod run;
pub mod store;

pub use agent::{Agent, AgentError, Contribution, KeySpec, Output, Role, Task, Usage};
pub use blackboard::{Blackboard, BoardView, Entry, MergePolicy};
pub use clock::{Clock, FixedClock, SystemClock};
pub use config::Settings;
pub use coordinator::{Coordinator, RunError};
pub use criteria::{Status, Verdict};
pub use engine::Engine;
pub use events::{Event, EventSink, RunStatus};
pub use pack::{KeyFact, MissionPack};
pub use plan::{BackendChoice, Plan};
pub use registry::{AgentSpec, BuildError, Registry};
pub use run::{Error, ErrorClass, Prepared, RunReport, RunRequest, execute, prepare, resume};
