//! Progress on stderr, phase by phase: glyphs and colour on a terminal, plain lines otherwise
//! (logs, CI), nothing with `--quiet`.

use coord_core::{Event, EventSink, RunStatus};
use std::io::Write;
use std::sync::{Arc, Mutex};

pub(crate) struct Progress {
    err: Arc<Mutex<Box<dyn Write + Send>>>,
    tty: bool,
    phases: Mutex<usize>,
}

impl Progress {
    pub(crate) fn new(err: Arc<Mutex<Box<dyn Write + Send>>>, tty: bool) -> Self {
        Self {
            err,
            tty,
            phases: Mutex::new(0),
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.tty {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn line(&self, s: &str) {
        if let Ok(mut w) = self.err.lock() {
            let _ = writeln!(w, "{s}");
        }
    }
}

impl EventSink for Progress {
    fn emit(&self, event: &Event) {
        match event {
            Event::RunStarted {
                run_id,
                title,
                phases,
                resumed,
                ..
            } => {
                if let Ok(mut p) = self.phases.lock() {
                    *p = *phases;
                }
                let verb = if *resumed { "resuming" } else { "running" };
                self.line(&format!(
                    "{} {verb} {title} ({phases} phase{}) in {run_id}",
                    self.paint("1", "coord:"),
                    if *phases == 1 { "" } else { "s" }
                ));
            }
            Event::Recovered { note } => {
                self.line(&format!("{} {note}", self.paint("33", "coord: note:")));
            }
            Event::PhaseStarted { phase, label } => {
                let total = self.phases.lock().map(|p| *p).unwrap_or(0);
                self.line(&format!(
                    "{} {}",
                    self.paint("36", &format!("[{}/{total}]", phase + 1)),
                    self.paint("1", label)
                ));
            }
            // On a terminal, say who is working: LLM steps can take a while.
            Event::AgentStarted { agent, role, .. } if self.tty => {
                self.line(&format!(
                    "      {} @{agent} ({role}) working…",
                    self.paint("2", "·")
                ));
            }
            Event::AgentStarted { .. } => {}
            Event::AgentFinished {
                agent,
                role,
                elapsed_ms,
                entries,
                ..
            } => {
                let ok = if self.tty {
                    self.paint("32", "✓")
                } else {
                    "ok".into()
                };
                self.line(&format!(
                    "      {ok} @{agent} ({role}): {} entr{} in {elapsed_ms} ms",
                    entries.len(),
                    if entries.len() == 1 { "y" } else { "ies" }
                ));
            }
            Event::AgentSkipped { agent, role, .. } => {
                self.line(&format!(
                    "      - @{agent} ({role}): done in the earlier run"
                ));
            }
            Event::AgentFailed {
                agent, role, error, ..
            } => {
                let bad = if self.tty {
                    self.paint("31", "✗")
                } else {
                    "FAILED".into()
                };
                self.line(&format!("      {bad} @{agent} ({role}): {error}"));
            }
            Event::PhaseFinished { .. } | Event::AgentDelivered { .. } => {}
            Event::CriteriaChecked { .. } => {}
            Event::RunFinished { status, elapsed_ms } => {
                let s = match status {
                    RunStatus::Completed => self.paint("32", "completed"),
                    RunStatus::CriteriaFailed => self.paint("33", "finished with failed criteria"),
                    RunStatus::Failed => self.paint("31", "failed"),
                    RunStatus::Cancelled => self.paint("33", "cancelled"),
                };
                self.line(&format!(
                    "{} {s} in {elapsed_ms} ms",
                    self.paint("1", "coord:")
                ));
            }
        }
    }
}
