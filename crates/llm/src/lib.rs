//! # coord-llm
//!
//! LLM-backed agents for coord: an OpenAI-compatible HTTP backend ([`http`]) wrapped in layers
//! for retry, per-attempt timeout, a run-wide concurrency limit and a token/cost budget
//! ([`layers`]), with every exchange recordable and replayable offline ([`cassette`]). The
//! [`agent::LlmAgent`] builds its prompt from the agent file, the phase, the inputs and the
//! blackboard, asks for JSON matching the phase's deliverable schema, validates it and re-asks,
//! then fails clearly or falls back to the agent's rule set.
//!
//! This is the only crate that talks HTTP. It must not depend on the sales pack: typed
//! deliverables reach it through [`coord_core::MissionPack::deliverables`].

#![warn(missing_docs, unreachable_pub)]

pub mod agent;
pub mod cassette;
pub mod http;
pub mod layers;
pub mod schema;
pub mod stack;
pub mod types;

pub use agent::LlmAgent;
pub use stack::{LlmRuntime, register};
pub use types::{
    CallInfo, LlmBackend, LlmError, LlmRequest, LlmResponse, Message, ResponseFormat, Usage,
};
