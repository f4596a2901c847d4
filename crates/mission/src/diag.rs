//! Diagnostics with a file, a line, a column and a fix, rendered the way rustc renders them.
//!
//! The parser never fails on content: everything it cannot read becomes a [`Diagnostic`], so
//! `coord validate` can report every problem of every file in one pass, and a run can refuse to
//! start with the same messages.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Note,
    /// Suspicious, but the file can be used.
    Warning,
    /// The file cannot be used as it is.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding about a file, pointing at a line and column, with the fix where one is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The file it is about.
    pub path: PathBuf,
    /// 1-based line (0 when the finding is about the whole file).
    pub line: usize,
    /// 1-based column in characters (0 when unknown).
    pub column: usize,
    /// Width of the underlined span in characters (0 for none).
    #[serde(skip)]
    pub width: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The source line, for the excerpt.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A new diagnostic about the whole file.
    pub fn new(severity: Severity, path: &Path, message: impl Into<String>) -> Self {
        Self {
            severity,
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            width: 0,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    /// An error about the whole file.
    pub fn error(path: &Path, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, message)
    }

    /// A warning about the whole file.
    pub fn warning(path: &Path, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, message)
    }

    /// Points the diagnostic at `line:column`, underlining `width` characters of `source`.
    pub fn at(mut self, line: usize, column: usize, width: usize, source: &str) -> Self {
        self.line = line;
        self.column = column;
        self.width = width;
        self.source_line = Some(source.to_string());
        self
    }

    /// Adds the fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// Renders like rustc:
    ///
    /// ```text
    /// error: unknown agent `@pipline-management`
    ///   --> missions/x.md:31:11
    ///    |
    /// 31 | **Lead**: @pipline-management
    ///    |           ^^^^^^^^^^^^^^^^^^^
    ///    = help: did you mean `@pipeline-management`?
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.severity, self.message)?;
        let gutter = if self.line > 0 {
            self.line.to_string().len()
        } else {
            1
        };
        let pad = " ".repeat(gutter);
        match (self.line, self.column) {
            (0, _) => writeln!(f, "{pad}--> {}", self.path.display())?,
            (l, 0) => writeln!(f, "{pad}--> {}:{l}", self.path.display())?,
            (l, c) => writeln!(f, "{pad}--> {}:{l}:{c}", self.path.display())?,
        }
        if let (Some(src), true) = (&self.source_line, self.line > 0) {
            let shown: String = src.trim_end().chars().take(160).collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {shown}", self.line)?;
            if self.column > 0 {
                let width = self.width.max(1);
                writeln!(
                    f,
                    "{pad} | {}{}",
                    " ".repeat(self.column - 1),
                    "^".repeat(width)
                )?;
            }
        }
        if let Some(help) = &self.help {
            writeln!(f, "{pad} = help: {help}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let d = Diagnostic::error(Path::new("m.md"), "unknown agent `@pipline-management`")
            .at(31, 11, 19, "**Lead**: @pipline-management  ")
            .help("did you mean `@pipeline-management`?");
        let s = d.to_string();
        assert_eq!(
            s,
            "error: unknown agent `@pipline-management`\n  --> m.md:31:11\n   |\n31 | **Lead**: @pipline-management\n   |           ^^^^^^^^^^^^^^^^^^^\n   = help: did you mean `@pipeline-management`?\n"
        );
    }
}
