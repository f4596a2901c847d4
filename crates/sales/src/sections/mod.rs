//! The plan's sections, one function per agent step. Each takes what the blackboard holds from
//! earlier steps and returns the typed deliverable its agent writes.

pub mod capacity;
pub mod execution;
pub mod initiatives;
pub mod limits;
pub mod pipeline;
pub mod team;
pub mod usable;
