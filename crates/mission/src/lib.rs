//! # coord-mission
//!
//! The file formats coord reads, and nothing else: BOS-AI mission playbooks ([`parse_mission`])
//! and agent definition files ([`AgentFile`]), turned into a typed, serialisable model with
//! rustc-style [`Diagnostic`]s that name the file, the line and the fix.
//!
//! This crate does no scheduling and no async I/O (it must not depend on tokio or reqwest): it is
//! the part of coord every other crate can trust to be pure and fast. The grammar it accepts, with
//! every variant seen in the BOS-AI corpus, is described in `MISSION-FORMAT.md`.

#![warn(missing_docs, unreachable_pub)]

mod agent_file;
mod diag;
mod duration;
mod model;
mod parse;
mod text;
mod validate;

pub use agent_file::{AgentFile, parse_agent_file};
pub use diag::{Diagnostic, Severity};
pub use duration::Duration;
pub use model::{
    AgentRef, ChassisGroup, ChassisImpact, Criterion, Input, InputFlag, LabelledText, MetaField,
    Mission, Phase, PhaseKind, Section, TaskBlock, Variation,
};
pub use parse::{Parsed, parse_mission};
pub use text::repair_mojibake;

/// The line-level Markdown scanner the parser is built on, for other crates that read
/// documents written the same way (context files): fence-aware lines, ATX headings,
/// `**Label:** value` pairs and list items.
pub mod markdown {
    pub use crate::text::{Label, Line, ListItem, heading, labels, lines, list_item};
}
pub use validate::{KnownAgents, check_agents, suggest};

use std::path::{Path, PathBuf};

/// A file could not be read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file is missing or unreadable.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Reads and parses a mission file. Invalid UTF-8 is replaced and reported as an error
/// diagnostic with the line, so the rest of the file can still be checked.
pub fn load_mission(path: &Path) -> Result<Parsed, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(parse_mission_bytes(&bytes, path))
}

/// Parses a mission file's bytes (already read); invalid UTF-8 is reported as in
/// [`load_mission`].
pub fn parse_mission_bytes(bytes: &[u8], path: &Path) -> Parsed {
    let (text, bad_line) = decode(bytes);
    let mut parsed = parse_mission(&text, path);
    if let Some(line) = bad_line {
        parsed.diagnostics.insert(
            0,
            Diagnostic::error(path, "file is not valid UTF-8")
                .at(line, 0, 0, text.lines().nth(line - 1).unwrap_or(""))
                .help("re-save the file with UTF-8 encoding"),
        );
    }
    parsed
}

/// Decodes UTF-8, replacing invalid bytes; returns the first bad line, if any.
pub(crate) fn decode(bytes: &[u8]) -> (String, Option<usize>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            (String::from_utf8_lossy(bytes).into_owned(), Some(line))
        }
    }
}
