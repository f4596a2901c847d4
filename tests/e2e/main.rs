//! End-to-end tests of the real `coord` binary (and, where a custom agent type is needed, of
//! the same CLI in-process through `coord::run`). Each test works in its own temporary project
//! with copies of the repository's `missions/` and `agents/`, and clears `COORD__*` settings.

mod batch;
mod cli;
mod crash;
mod errors;
mod facts;
mod llm;
#[path = "../skip.rs"]
mod skip;
mod state;
mod support;
