//! The run store: one directory per run.
//!
//! `events.jsonl` is the source of truth: a header line naming the format and version, then one
//! event per line, so an interrupted run can be resumed from it. Every other file (`run.json`,
//! `plan.md`, `plan.json`, `summary.json`, and documents from mission packs) is written
//! atomically: to a temporary file in the same directory, synced, renamed over the target, and the
//! directory synced, so a reader never sees half a file.
//!
//! **Durability policy.** Each event is one `write` of its whole line, newline included, so a
//! process killed at any instant leaves whole lines plus at most one torn last line; a torn line
//! is cut off when the log is opened again, kept aside as `events.jsonl.torn`, and reported. The
//! log is fsynced when the run ends (the operating system keeps what a killed process wrote; only
//! a power loss can take the unsynced tail of a run still going).
//!
//! **One process per directory.** Run and resume hold an exclusive advisory lock on
//! `.coord.lock` for as long as they write; replay holds a shared one on the run it reads. A
//! second process gets [`StoreError::Locked`] naming the holder, before it writes anything.

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

/// The lock file in a run directory.
pub const LOCK_FILE: &str = ".coord.lock";

/// An advisory lock on a run directory, held for as long as this value lives (the operating
/// system releases it when the process dies, however it dies).
#[derive(Debug)]
pub struct DirLock {
    _file: std::fs::File,
}

impl DirLock {
    /// Takes the exclusive lock of `dir` (which must exist) for `what` (`run`, `resume`), and
    /// records the holder in the lock file for whoever is refused.
    pub fn exclusive(dir: &Path, what: &str) -> Result<Self, StoreError> {
        let path = dir.join(LOCK_FILE);
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(locked(dir, &path)),
            Err(std::fs::TryLockError::Error(e)) => return Err(io(&path)(e)),
        }
        let holder = format!(
            "coord {what}, process {}, since {}\n",
            std::process::id(),
            jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M:%S UTC")
        );
        file.set_len(0)
            .and_then(|_| file.write_all(holder.as_bytes()))
            .map_err(io(&path))?;
        Ok(Self { _file: file })
    }

    /// Takes a shared lock of `dir`: no run or resume may be writing it. A directory without a
    /// lock file was never written by this coord, so nothing holds it.
    pub fn shared(dir: &Path) -> Result<Option<Self>, StoreError> {
        let path = dir.join(LOCK_FILE);
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(&path)(e)),
        };
        match file.try_lock_shared() {
            Ok(()) => Ok(Some(Self { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Err(locked(dir, &path)),
            Err(std::fs::TryLockError::Error(e)) => Err(io(&path)(e)),
        }
    }
}

fn locked(dir: &Path, lock: &Path) -> StoreError {
    let holder = std::fs::read_to_string(lock)
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "another coord process".into());
    StoreError::Locked {
        dir: dir.to_path_buf(),
        holder,
    }
}

/// What opening a log for resume repaired.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repairs {
    /// A torn last line (the process died while writing it): its line number and where its
    /// bytes were kept.
    pub torn: Option<(usize, PathBuf)>,
    /// Temporary files of interrupted atomic writes, removed.
    pub removed: Vec<PathBuf>,
}

impl Repairs {
    /// One line per repair, for the terminal.
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some((line, kept)) = &self.torn {
            out.push(format!(
                "events.jsonl:{line} was cut short when the run was stopped; the line is removed and kept in {}",
                kept.display()
            ));
        }
        if !self.removed.is_empty() {
            out.push(format!(
                "removed {} unfinished temporary file{} of the interrupted run",
                self.removed.len(),
                if self.removed.len() == 1 { "" } else { "s" }
            ));
        }
        out
    }
}

/// Where a run keeps its state: the event log (as an [`EventSink`]) and its files. The run
/// directory ([`RunStore`], the default) is durable and resumable; [`MemoryStore`] keeps
/// everything in memory, for embedders that take the documents from the report.
pub trait RunStorage: EventSink {
    /// The run's location: its directory, or the name it would have had (memory).
    fn dir(&self) -> &Path;
    /// Writes `name` atomically; returns its path.
    fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, StoreError>;
    /// Makes the event log durable (the end of a run).
    fn sync(&self);
    /// The first error met while appending events, if any.
    fn take_error(&self) -> Option<std::io::Error>;
    /// The files written, by name, when the store keeps them in memory.
    fn files(&self) -> Option<std::collections::BTreeMap<String, Vec<u8>>> {
        None
    }
    /// True when the run is on disk (agents get its directory for their own files).
    fn on_disk(&self) -> bool {
        true
    }
}

/// A run kept in memory: nothing touches the file system. It keeps the files the run writes;
/// it keeps no event log (a run in memory cannot be resumed), so events cost it nothing.
#[derive(Debug)]
pub struct MemoryStore {
    dir: PathBuf,
    files: Mutex<std::collections::BTreeMap<String, Vec<u8>>>,
}

impl MemoryStore {
    /// A store for the run named `dir`.
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            files: Mutex::default(),
        }
    }
}

impl EventSink for MemoryStore {
    fn emit(&self, _event: &Event) {}
}

impl RunStorage for MemoryStore {
    fn dir(&self) -> &Path {
        &self.dir
    }
    fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, StoreError> {
        if let Ok(mut f) = self.files.lock() {
            f.insert(name.to_string(), bytes.to_vec());
        }
        Ok(self.dir.join(name))
    }
    fn sync(&self) {}
    fn take_error(&self) -> Option<std::io::Error> {
        None
    }
    fn files(&self) -> Option<std::collections::BTreeMap<String, Vec<u8>>> {
        self.files.lock().ok().map(|f| f.clone())
    }
    fn on_disk(&self) -> bool {
        false
    }
}

impl RunStorage for RunStore {
    fn dir(&self) -> &Path {
        RunStore::dir(self)
    }
    fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, StoreError> {
        RunStore::write(self, name, bytes)
    }
    fn sync(&self) {
        RunStore::sync(self)
    }
    fn take_error(&self) -> Option<std::io::Error> {
        RunStore::take_error(self)
    }
}

/// A run directory being written.
pub struct RunStore {
    dir: PathBuf,
    log: Mutex<LogState>,
    _lock: DirLock,
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
    /// Another process is running or resuming this run directory.
    #[error("{} is in use by {holder}", dir.display())]
    Locked {
        /// The run directory.
        dir: PathBuf,
        /// Who holds it, as the holder recorded.
        holder: String,
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

/// The name of a new run directory: `20261130T174455.123Z-3f9a-sales-plan-development` —
/// milliseconds and a random suffix, so runs started at once, or back to back, never collide.
pub fn run_dir_name(now: jiff::Timestamp, mission: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_i128(now.as_nanosecond());
    h.write_u64(COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    format!(
        "{}-{:04x}-{mission}",
        now.strftime("%Y%m%dT%H%M%S%.3fZ"),
        h.finish() & 0xffff
    )
}

/// True when `dir` holds nothing a run left behind: it is empty but for the lock, or a run was
/// killed before it recorded its request (no `run.json`, no events past the header).
fn unused(dir: &Path) -> Result<bool, StoreError> {
    let mut names = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io(dir))? {
        let e = e.map_err(io(dir))?;
        names.push(e.file_name().to_string_lossy().into_owned());
    }
    let others: Vec<&String> = names
        .iter()
        .filter(|n| *n != LOCK_FILE && !is_temp(n))
        .collect();
    if others.is_empty() {
        return Ok(true);
    }
    // A run killed before run.json: its log (no events yet) and the mission's copy, written
    // just before run.json. Anything else — a folder of the user's own files — is not ours.
    let has_log = others.iter().any(|n| *n == "events.jsonl");
    let ours = others
        .iter()
        .all(|n| *n == "events.jsonl" || n.ends_with(".md"));
    Ok(has_log
        && ours
        && !dir.join("run.json").exists()
        && read_events(&dir.join("events.jsonl")).is_ok_and(|e| e.is_empty()))
}

fn is_temp(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp")
}

impl RunStore {
    /// Creates `dir` (which must not exist, be empty, or hold only a run killed before it
    /// recorded its request), locks it and starts its event log.
    pub fn create(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let had_lock_file = dir.join(LOCK_FILE).exists();
        let lock = DirLock::exclusive(dir, "run")?;
        if !unused(dir)? {
            // A folder that is not a run keeps no trace of having been asked.
            if !had_lock_file {
                drop(lock);
                let _ = std::fs::remove_file(dir.join(LOCK_FILE));
            }
            return Err(StoreError::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "run directory exists and is not empty (choose another --out, or `coord resume` it)",
                ),
            });
        }
        remove_temps(dir)?;
        let path = dir.join("events.jsonl");
        let mut file = std::fs::File::create(&path).map_err(io(&path))?;
        let header = LogHeader {
            format: "coord-events".into(),
            version: EVENTS_VERSION,
            coord_version: env!("CARGO_PKG_VERSION").into(),
        };
        let mut line = serde_json::to_string(&header).map_err(|e| io(&path)(e.into()))?;
        line.push('\n');
        file.write_all(line.as_bytes()).map_err(io(&path))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            log: Mutex::new(LogState {
                file,
                seq: 0,
                error: None,
            }),
            _lock: lock,
        })
    }

    /// Opens an existing run directory to append to its log (resume): locks it, cuts a torn
    /// last line off the log (keeping it aside), and removes temporary files of interrupted
    /// writes.
    pub fn open(dir: &Path) -> Result<(Self, Vec<Event>, Repairs), StoreError> {
        let lock = DirLock::exclusive(dir, "resume")?;
        let path = dir.join("events.jsonl");
        let mut repairs = Repairs {
            removed: remove_temps(dir)?,
            ..Repairs::default()
        };
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let (events, good) = parse_log(&path, &bytes)?;
        if good < bytes.len() {
            let line = bytes[..good].iter().filter(|b| **b == b'\n').count() + 1;
            let kept = dir.join("events.jsonl.torn");
            let mut old = std::fs::read(&kept).unwrap_or_default();
            old.extend_from_slice(&bytes[good..]);
            old.push(b'\n');
            write_atomic(&kept, &old)?;
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(io(&path))?;
            f.set_len(good as u64)
                .and_then(|_| f.sync_all())
                .map_err(io(&path))?;
            repairs.torn = Some((line, kept));
        }
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io(&path))?;
        if good == bytes.len() && bytes.last().is_some_and(|b| *b != b'\n') {
            file.write_all(b"\n").map_err(io(&path))?;
        }
        Ok((
            Self {
                dir: dir.to_path_buf(),
                log: Mutex::new(LogState {
                    file,
                    seq: events.len() as u64,
                    error: None,
                }),
                _lock: lock,
            },
            events,
            repairs,
        ))
    }

    /// Syncs the event log to disk (at the end of a run).
    pub fn sync(&self) {
        if let Ok(mut s) = self.log.lock()
            && let Err(e) = s.file.sync_data()
        {
            s.error.get_or_insert(e);
        }
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
        // One write per event, line and newline together: a kill leaves whole lines.
        let res = serde_json::to_string(&line)
            .map_err(std::io::Error::from)
            .and_then(|mut l| {
                l.push('\n');
                s.file.write_all(l.as_bytes())
            });
        if let Err(e) = res {
            tracing::error!(error = %e, "cannot append to the event log");
            s.error.get_or_insert(e);
        }
    }
}

/// Removes temporary files of interrupted atomic writes from `dir`.
fn remove_temps(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut removed = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io(dir))?.flatten() {
        if is_temp(&e.file_name().to_string_lossy()) {
            let p = e.path();
            std::fs::remove_file(&p).map_err(io(&p))?;
            removed.push(p);
        }
    }
    Ok(removed)
}

/// Writes a file atomically: a temporary file in the same directory (removed if anything fails),
/// synced, persisted over the target, then the directory synced so the rename survives a crash.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let res = (|| {
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(target).map_err(|e| e.error)?;
        sync_dir(dir)
    })();
    res.map_err(io(target))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Reads an event log, checking its header; a torn last line is left out.
pub fn read_events(path: &Path) -> Result<Vec<Event>, StoreError> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    parse_log(path, &bytes).map(|(events, _)| events)
}

/// Parses a log: its events, and the length of the part made of whole lines (shorter than
/// `bytes` when the last line is torn: no newline, or not an event).
fn parse_log(path: &Path, bytes: &[u8]) -> Result<(Vec<Event>, usize), StoreError> {
    let bad = |line: usize, message: String| StoreError::BadLog {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = std::str::from_utf8(bytes);
    let text = match text {
        Ok(t) => t,
        // A torn multi-byte character can only be at the very end.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(e) => return Err(bad(1, format!("not UTF-8: {e}"))),
    };
    let mut pos = 0;
    let mut out = Vec::new();
    let mut n = 0;
    while pos < text.len() {
        let rest = &text[pos..];
        let (line, complete) = match rest.find('\n') {
            Some(i) => (&rest[..i], true),
            None => (rest, false),
        };
        n += 1;
        let last = !complete || pos + line.len() + 1 >= text.len();
        if n == 1 {
            if !complete {
                return Err(bad(1, "empty event log".into()));
            }
            let header: LogHeader = serde_json::from_str(line)
                .map_err(|e| bad(1, format!("not a coord event log: {e}")))?;
            if header.format != "coord-events" || header.version != EVENTS_VERSION {
                return Err(bad(
                    1,
                    format!(
                        "event log format {} v{} is not supported (this coord reads coord-events v{EVENTS_VERSION})",
                        header.format, header.version
                    ),
                ));
            }
        } else if !line.trim().is_empty() {
            match serde_json::from_str::<LogLine>(line) {
                // A whole event whose newline never came (an older coord wrote them apart).
                Ok(ll) if !complete => {
                    out.push(ll.event);
                    return Ok((out, text.len()));
                }
                Ok(ll) => out.push(ll.event),
                // A torn last line (the process died mid-write) ends the log; elsewhere a bad
                // line is an error.
                Err(_) if last => return Ok((out, pos)),
                Err(e) => return Err(bad(n, e.to_string())),
            }
        }
        if !complete {
            return Ok((out, pos));
        }
        pos += line.len() + 1;
    }
    if pos == 0 {
        return Err(bad(1, "empty event log".into()));
    }
    Ok((out, pos))
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
    /// Replies that arrived but were not yet on the board when the run stopped (support agents
    /// whose phase did not finish), with their wall time.
    pub delivered: std::collections::BTreeMap<(usize, String, Role), crate::agent::Contribution>,
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
                p.delivered.remove(&(*phase, agent.clone(), *role));
            }
            Event::AgentDelivered {
                phase,
                agent,
                role,
                contribution,
                ..
            } => {
                p.delivered
                    .insert((*phase, agent.clone(), *role), contribution.clone());
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
        let (_, ev, _) = RunStore::open(&dir).unwrap();
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
