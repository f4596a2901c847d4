//! A `coord` binary with one extra agent type, `echo`: agent files that say `backend: echo` run
//! on it, and every other command works as in the stock binary.
//!
//! Run: `cargo run --example custom_agent -- tests/fixtures/llm/missions/brief-review.md tests/fixtures/llm/brief.md --backend echo`

use async_trait::async_trait;
use coord_core::{Agent, AgentError, Contribution, KeySpec, Role, Task};
use std::sync::Arc;

/// Repeats the phase's steps back, as a minimal example of the trait.
struct Echo(String);

#[async_trait]
impl Agent for Echo {
    fn name(&self) -> &str {
        &self.0
    }

    fn backend(&self) -> &str {
        "echo"
    }

    // The keys this agent writes; merge policies are checked when the plan is built.
    fn declares(&self, _m: &coord_mission::Mission, phase: usize, role: Role) -> Vec<KeySpec> {
        vec![KeySpec::single(format!(
            "phase-{}/{}/{role}",
            phase + 1,
            self.0
        ))]
    }

    async fn run(&self, task: &Task) -> Result<Contribution, AgentError> {
        let mut c = Contribution::default();
        c.push(
            format!("phase-{}/{}/{}", task.phase_index + 1, self.0, task.role),
            serde_json::json!({ "steps": task.phase().steps() }),
            format!("{} read {} steps", self.0, task.phase().steps().len()),
        );
        Ok(c)
    }
}

fn main() -> std::process::ExitCode {
    let mut registry = coord::default_registry();
    registry.register_backend("echo", |spec, _settings| {
        Ok(Arc::new(Echo(spec.name.clone())) as Arc<dyn Agent>)
    });
    std::process::ExitCode::from(u8::try_from(coord::main_with(registry)).unwrap_or(1))
}
