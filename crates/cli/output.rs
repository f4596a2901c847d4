//! Error, warning and diagnostic lines on stderr, in the rustc style the diagnostics use.

use coord_mission::Diagnostic;
use std::io::Write;
use std::sync::{Arc, Mutex};

pub(crate) struct Reporter {
    err: Arc<Mutex<Box<dyn Write + Send>>>,
    tty: bool,
    cwd: std::path::PathBuf,
}

impl Reporter {
    pub(crate) fn new(
        err: Arc<Mutex<Box<dyn Write + Send>>>,
        tty: bool,
        cwd: std::path::PathBuf,
    ) -> Self {
        Self { err, tty, cwd }
    }

    /// A path as the user would type it: relative to the working directory when inside it.
    pub(crate) fn rel<'p>(&self, p: &'p std::path::Path) -> std::borrow::Cow<'p, std::path::Path> {
        match p.strip_prefix(&self.cwd) {
            Ok(r) if !r.as_os_str().is_empty() => std::borrow::Cow::Owned(r.to_path_buf()),
            _ => std::borrow::Cow::Borrowed(p),
        }
    }

    fn write(&self, s: &str) {
        if let Ok(mut w) = self.err.lock() {
            let _ = write!(w, "{s}");
        }
    }

    fn label(&self, color: &str, word: &str) -> String {
        if self.tty {
            format!("\x1b[1;{color}m{word}\x1b[0m")
        } else {
            word.to_string()
        }
    }

    pub(crate) fn error(&self, msg: &str, help: Option<&str>) {
        self.message("31", "error", msg, help);
    }

    pub(crate) fn warning(&self, msg: &str, help: Option<&str>) {
        self.message("33", "warning", msg, help);
    }

    fn message(&self, color: &str, word: &str, msg: &str, help: Option<&str>) {
        let mut s = format!("{}: {msg}\n", self.label(color, word));
        if let Some(h) = help {
            s.push_str(&format!("  = {}: {h}\n", self.label("36", "help")));
        }
        self.write(&s);
    }

    pub(crate) fn diagnostic(&self, d: &Diagnostic) {
        let mut d = d.clone();
        d.path = self.rel(&d.path).into_owned();
        let text = d.to_string();
        if self.tty {
            let word = d.severity.to_string();
            let color = match d.severity {
                coord_mission::Severity::Error => "31",
                coord_mission::Severity::Warning => "33",
                coord_mission::Severity::Note => "36",
            };
            let text = text.replacen(
                &format!("{word}:"),
                &format!("{}:", self.label(color, &word)),
                1,
            );
            self.write(&format!("{text}\n"));
        } else {
            self.write(&format!("{text}\n"));
        }
    }

    pub(crate) fn line(&self, s: &str) {
        self.write(&format!("{s}\n"));
    }
}

/// The key facts as a table: fact, value, source; a note line under a value read with care.
pub(crate) fn key_facts_table(facts: &[coord_core::KeyFact]) -> String {
    use std::fmt::Write as _;
    let w = facts.iter().map(|k| k.fact.len()).max().unwrap_or(4).max(4);
    let v = facts
        .iter()
        .map(|k| k.value.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut s = String::new();
    for k in facts {
        let mark = if k.defaulted { "!" } else { " " };
        let _ = writeln!(
            s,
            "  {mark} {:w$}  {:v$}  {}",
            k.fact,
            k.value,
            k.source,
            v = v
        );
        if let Some(n) = &k.note {
            let _ = writeln!(s, "    {:w$}  ↳ {n}", "");
        }
    }
    s
}
