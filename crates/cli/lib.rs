//! # coord (the command-line tool)
//!
//! Argument parsing, wiring and presentation only: every decision about missions, agents and
//! runs is made in the library crates. The whole CLI is a function, [`run`], that takes the
//! arguments, a [`Registry`] and two writers and returns the exit code, so a Rust user can ship
//! `coord` with their own agent types registered, and tests can drive the real CLI in-process.
//!
//! Exit codes: 0 all criteria met (or nothing to check), 1 the run finished but a criterion
//! failed, 2 usage, input, mission, agent-file or config error, 3 agent or backend failure,
//! 4 replay mismatch, 130 cancelled (Ctrl-C; the run can be resumed).

#![warn(missing_docs, unreachable_pub)]

mod args;
mod commands;
mod output;
mod progress;

pub use coord_core::Registry;
use std::ffi::OsString;
use std::io::Write;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: the run finished but a success criterion failed.
pub const EXIT_CRITERIA: i32 = 1;
/// Exit code: usage, input, mission, agent-file or config error.
pub const EXIT_INPUT: i32 = 2;
/// Exit code: an agent or backend failed.
pub const EXIT_AGENT: i32 = 3;
/// Exit code: a replayed request had no recording.
pub const EXIT_REPLAY: i32 = 4;
/// Exit code: cancelled by the user.
pub const EXIT_CANCELLED: i32 = 130;

/// The registry `coord` ships with: the built-in `rules` backend with the `outline` rule set,
/// the sales pack (its three rule sets and the Sales Plan Development mission pack), and the
/// `llm` backend (an OpenAI-compatible endpoint, `[llm]` in the config).
pub fn default_registry() -> Registry {
    let mut r = Registry::new();
    r.add_builtins(builtins());
    coord_sales::register(&mut r);
    // The LLM backend last: it looks up the packs and rule sets registered before it.
    coord_llm::register(&mut r, std::env::vars().collect());
    r
}

/// The project's `missions/` and `agents/`, built into the binary so an installed `coord` runs
/// them from any directory (files on the search path still override them).
pub fn builtins() -> Vec<coord_core::catalog::Builtin> {
    static MISSIONS: include_dir::Dir<'static> =
        include_dir::include_dir!("$CARGO_MANIFEST_DIR/missions");
    static AGENTS: include_dir::Dir<'static> =
        include_dir::include_dir!("$CARGO_MANIFEST_DIR/agents");
    fn walk(
        dir: &'static include_dir::Dir<'static>,
        root: &str,
        out: &mut Vec<coord_core::catalog::Builtin>,
    ) {
        for f in dir.files() {
            if let (Some(text), Some(rel)) = (f.contents_utf8(), f.path().to_str()) {
                out.push(coord_core::catalog::Builtin {
                    path: Box::leak(format!("{root}/{rel}").into_boxed_str()),
                    text,
                });
            }
        }
        for d in dir.dirs() {
            walk(d, root, out);
        }
    }
    // Walked once per process: the paths are leaked to `'static` a single time.
    static ALL: std::sync::OnceLock<Vec<coord_core::catalog::Builtin>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut out = Vec::new();
        walk(&MISSIONS, "missions", &mut out);
        walk(&AGENTS, "agents", &mut out);
        out
    })
    .clone()
}

/// Where the CLI writes: standard output (documents, JSON) and standard error (progress, logs,
/// errors), plus whether standard error is a terminal.
pub struct Io<'a> {
    /// Standard output.
    pub out: &'a mut (dyn Write + Send),
    /// Standard error.
    pub err: std::sync::Arc<std::sync::Mutex<Box<dyn Write + Send>>>,
    /// True when standard error is a terminal (colours and glyphs).
    pub tty: bool,
    /// The working directory.
    pub cwd: std::path::PathBuf,
    /// The environment (for `COORD__*` settings and `RUST_LOG`).
    pub env: Vec<(String, String)>,
}

/// Runs the CLI with `args` (including the program name) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>, registry: Registry, io: Io<'_>) -> i32 {
    commands::dispatch(args, registry, io)
}

/// Runs the CLI on the process's own arguments, streams and environment.
pub fn main_with(registry: Registry) -> i32 {
    use std::io::IsTerminal;
    let mut stdout = std::io::stdout();
    let tty = std::io::stderr().is_terminal();
    let io = Io {
        out: &mut stdout,
        err: std::sync::Arc::new(std::sync::Mutex::new(Box::new(std::io::stderr()))),
        tty,
        cwd: std::env::current_dir().unwrap_or_default(),
        env: std::env::vars().collect(),
    };
    run(std::env::args_os(), registry, io)
}
