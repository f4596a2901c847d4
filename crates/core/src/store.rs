//! The run store: one directory per run.
//!
//! `events.jsonl` is the source of truth: a header line naming the format and version, then one
//! event per line, appended and flushed as the run goes, so an interrupted run can be resumed from
//! it. Every other file (`run.json`, `plan.md`, `plan.json`, `summary.json`, and documents from
//! mission packs) is written atomically: to a temporary file in the same directory, synced, then
//! renamed over the target, so a reader never sees half a file.

use crate::agent::Role;
use crate::blackboard::Entry;
use crate::events::{Event, EventSink};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Version of the event log format.
pub const EVENTS_VERSION: u32 = 1;

/// The first line of `events.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogHeader {
    /// Always `coord-events`.
    pub format: String,
    /// [`EVENTS_VERSION`].
    pub version: u32,
    /// The coord version that wrote it.
    pub coord_version: String,
}

#[derive(Serialize, Deserialize)]
struct LogLine {
    seq: u64,
    at: String,
    #[serde(flatten)]
    event: Event,
}

/// A run directory being written.
pub struct RunStore {
    dir: PathBuf,
    log: Mutex<LogState>,
}

struct LogState {
    file: std::fs::File,
    seq: u64,
    error: Option<std::io::Error>,
}

impl std::fmt::Debug for RunStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunStore").field("dir", &self.dir).finish()
    }
}

/// A run store problem.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A file or directory could not be written or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The event log is not one coord can read.
    #[error("{}:{line}: {message}", path.display())]
    BadLog {
        /// The log.
        path: PathBuf,
        /// The line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The name of a new run directory: `20261130T174455Z-sales-plan-development`.
pub fn run_dir_name(now: jiff::Timestamp, mission: &str) -> String {
    format!("{}-{mission}", now.strftime("%Y%m%dT%H%M%SZ"))
}

impl RunStore {
    /// Creates `dir` (which must not exist or be empty) and starts its event log.
    pub fn create(dir: &Path) -> Result<Self, StoreError> {
        if dir.exists() && std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
            return Err(StoreError::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "run directory exists and is not empty (choose another --out, or `coord resume` it)",
                ),
            });
        }
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let path = dir.join("events.jsonl");
        let mut file = std::fs::File::create(&path).map_err(io(&path))?;
        let header = LogHeader {
            format: "coord-events".into(),
            version: EVENTS_VERSION,
            coord_version: env!("CARGO_PKG_VERSION").into(),
        };
        let line = serde_json::to_string(&header).map_err(|e| io(&path)(e.into()))?;
        writeln!(file, "{line}").map_err(io(&path))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            log: Mutex::new(LogState {
                file,
                seq: 0,
                error: None,
            }),
        })
    }

    /// Opens an existing run directory to append to its log (resume).
    pub fn open(dir: &Path) -> Result<(Self, Vec<Event>), StoreError> {
        let path = dir.join("events.jsonl");
        let events = read_events(&path)?;
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io(&path))?;
        Ok((
            Self {
                dir: dir.to_path_buf(),
                log: Mutex::new(LogState {
                    file,
                    seq: events.len() as u64,
                    error: None,
                }),
            },
            events,
        ))
    }

    /// The run directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `name` in the run directory atomically.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, StoreError> {
        let target = self.dir.join(name);
        write_atomic(&target, bytes)?;
        Ok(target)
    }

    /// The first error met while appending events, if any.
    pub fn take_error(&self) -> Option<std::io::Error> {
        self.log.lock().ok().and_then(|mut s| s.error.take())
    }
}

impl EventSink for RunStore {
    fn emit(&self, event: &Event) {
        let Ok(mut s) = self.log.lock() else { return };
        let line = LogLine {
            seq: s.seq,
            at: jiff::Timestamp::now().to_string(),
            event: event.clone(),
        };
        s.seq += 1;
        let res = serde_json::to_string(&line)
            .map_err(std::io::Error::from)
            .and_then(|l| writeln!(s.file, "{l}"))
            .and_then(|_| s.file.flush());
        if let Err(e) = res {
            tracing::error!(error = %e, "cannot append to the event log");
            s.error.get_or_insert(e);
        }
    }
}

/// Writes a file atomically: temporary file in the same directory, fsync, rename.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let res = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, target)
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res.map_err(io(target))
}

/// Reads an event log, checking its header.
pub fn read_events(path: &Path) -> Result<Vec<Event>, StoreError> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    let mut lines = text.lines().enumerate();
    let bad = |line: usize, message: String| StoreError::BadLog {
        path: path.to_path_buf(),
        line,
        message,
    };
    let (_, first) = lines
        .next()
        .ok_or_else(|| bad(1, "empty event log".into()))?;
    let header: LogHeader =
        serde_json::from_str(first).map_err(|e| bad(1, format!("not a coord event log: {e}")))?;
    if header.format != "coord-events" || header.version != EVENTS_VERSION {
        return Err(bad(
            1,
            format!(
                "event log format {} v{} is not supported (this coord reads coord-events v{EVENTS_VERSION})",
                header.format, header.version
            ),
        ));
    }
    let mut out = Vec::new();
    for (i, l) in lines {
        if l.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<LogLine>(l) {
            Ok(ll) => out.push(ll.event),
            // A torn last line (the process died mid-write) is dropped; elsewhere it is an error.
            Err(_) if i + 1 == text.lines().count() => break,
            Err(e) => return Err(bad(i + 1, e.to_string())),
        }
    }
    Ok(out)
}

/// What a previous invocation finished: blackboard entries and (phase, agent, role) steps done.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Entries in order.
    pub entries: Vec<Entry>,
    /// Steps whose entries are in `entries`.
    pub done: BTreeSet<(usize, String, Role)>,
    /// True when the log ends with `run_finished`.
    pub finished: bool,
}

/// Replays an event log into progress.
pub fn progress(events: &[Event]) -> Progress {
    let mut p = Progress::default();
    for e in events {
        match e {
            Event::AgentFinished {
                phase,
                agent,
                role,
                entries,
                ..
            } => {
                p.entries.extend(entries.iter().cloned());
                p.done.insert((*phase, agent.clone(), *role));
            }
            Event::RunFinished { status, .. } => {
                p.finished = !matches!(
                    status,
                    crate::events::RunStatus::Cancelled | crate::events::RunStatus::Failed
                );
            }
            Event::RunStarted { .. } => p.finished = false,
            _ => {}
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_temp_file() {
        let d = tempfile::tempdir().unwrap();
        let t = d.path().join("plan.md");
        write_atomic(&t, b"one").unwrap();
        write_atomic(&t, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&t).unwrap(), "two");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn log_round_trips_and_rejects_foreign_files() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("run");
        let s = RunStore::create(&dir).unwrap();
        s.emit(&Event::PhaseStarted {
            phase: 0,
            label: "Phase 1: A".into(),
        });
        drop(s);
        let (_, ev) = RunStore::open(&dir).unwrap();
        assert_eq!(ev.len(), 1);
        assert!(
            RunStore::create(&dir).is_err(),
            "a used run directory is never overwritten"
        );
        std::fs::write(
            dir.join("events.jsonl"),
            "{\"format\":\"x\",\"version\":9,\"coord_version\":\"0\"}\n",
        )
        .unwrap();
        assert!(read_events(&dir.join("events.jsonl")).is_err());
    }
}
