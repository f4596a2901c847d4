//! The command line, as clap derive types. Help texts carry examples; every flag listed here is
//! honoured by the command that shows it.

use clap::{Args, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  coord sales-plan-development examples/solo-consultant/
  coord sales-plan-development bible.md vision.md goals.md limits.md --out runs/q3
  coord show sales-plan-development
  coord plan sales-plan-development examples/solo-consultant/
  coord validate ../BOS-AI/missions
  coord resume runs/20261130T174455.123Z-3f9a-sales-plan-development
  coord sales-plan-development examples/solo-consultant/ --backend llm --record rec.jsonl
  coord replay runs/20261130T174455.123Z-3f9a-sales-plan-development

Run options (after the mission and its context files): --out DIR, --input NAME=FILE,
  --variation NAME, --backend NAME, --agent NAME=BACKEND, --record/--replay/--cassette FILE,
  --strict, --agent-timeout SECS ... — all of them in `coord run --help`.

Exit codes:
  0 all success criteria met   1 run finished, a criterion failed
  2 usage, input or config error   3 agent or backend failure
  4 replay mismatch   130 cancelled (resume with `coord resume DIR`)";

/// coord runs BOS-AI mission playbooks with named role agents, deterministically and offline.
#[derive(Debug, Parser)]
#[command(
    name = "coord",
    version,
    allow_external_subcommands = true,
    override_usage = "coord [OPTIONS] <MISSION> [CONTEXT]... [RUN OPTIONS]\n       coord [OPTIONS] <COMMAND>",
    after_help = AFTER_HELP
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `coord <MISSION> ...`: the first word is not a command, so it is a mission to run; the words
/// are parsed again as `coord run` would parse them.
#[derive(Debug, Parser)]
#[command(name = "coord", no_binary_name = true)]
pub(crate) struct Implicit {
    #[command(flatten)]
    pub global: Global,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Options for every command.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// Settings file (default: ./coord.toml if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// More log output on stderr (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Colours and live progress on stderr: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// How a run's result is printed on stdout: human lines, or one JSON object (the run
    /// directory, status, exit code, criteria and files) for scripts.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    pub message_format: MessageFormat,
}

/// The form of a run's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum MessageFormat {
    /// Lines for a person.
    Human,
    /// One JSON object.
    Json,
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always (escape codes even into a file or pipe).
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run a mission (same as `coord <MISSION> ...`).
    #[command(
        after_help = "Example:\n  coord run sales-plan-development examples/solo-consultant/"
    )]
    Run(RunArgs),
    /// List the missions on the search path.
    #[command(after_help = "Example:\n  coord missions --json")]
    Missions {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a parsed mission.
    #[command(
        after_help = "Examples:\n  coord show sales-plan-development\n  coord show sales-plan-development --json\n  coord show path/to/my-mission.md"
    )]
    Show {
        /// Mission name or file.
        mission: String,
        /// Print the parsed model as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the execution plan without running it.
    #[command(
        after_help = "Example:\n  coord plan sales-plan-development examples/solo-consultant/"
    )]
    Plan {
        #[command(flatten)]
        target: Target,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the agents on the search path and their backends.
    #[command(
        after_help = "Examples:\n  coord agents\n  coord agents --mission ../BOS-AI/missions/sales/pricing-strategy.md"
    )]
    Agents {
        /// Also search the BOS-AI checkout around this mission file.
        #[arg(long, value_name = "MISSION")]
        mission: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check mission and agent files; exit 2 on any error.
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  coord completions bash > ~/.local/share/bash-completion/completions/coord\n  coord completions zsh > ~/.zfunc/_coord"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) for `man`.
    #[command(after_help = "Example:\n  coord man > ~/.local/share/man/man1/coord.1")]
    Man,
    #[command(
        after_help = "Examples:\n  coord validate\n  coord validate ../BOS-AI/missions agents/"
    )]
    Validate {
        /// Files or folders (default: the project's missions/ and agents/).
        paths: Vec<PathBuf>,
    },
    /// Re-run a recorded run offline, serving every LLM call from its cassette.
    #[command(
        after_help = "Example:\n  coord replay runs/20261130T174455.123Z-3f9a-sales-plan-development --out runs/replayed"
    )]
    Replay {
        /// The recorded run directory (holding run.json and cassette.jsonl).
        dir: PathBuf,
        /// Directory for the new run (default: <paths.runs>/<timestamp>-<mission>).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Run it again even when it has no cassette (its agents answer anew).
        #[arg(long)]
        allow_live: bool,
    },
    /// Run a mission over many input sets, N at a time: a folder of folders, or a manifest.
    #[command(after_help = BATCH_HELP)]
    Batch(BatchArgs),
    /// Continue a cancelled or failed run from its event log.
    #[command(
        after_help = "Example:\n  coord resume runs/20261130T174455.123Z-3f9a-sales-plan-development"
    )]
    Resume {
        /// The run directory.
        dir: PathBuf,
    },
    /// `coord <MISSION> [CONTEXT...]`.
    #[command(external_subcommand)]
    Implicit(Vec<OsString>),
}

const BATCH_HELP: &str = "\
Examples:
  coord batch sales-plan-development clients/ --out runs/clients --jobs 4
  coord batch sales-plan-development --manifest batch.toml --out runs/clients

A folder of folders: each sub-folder is one input set (its files are the context), run into
OUT/<sub-folder>. A manifest names each set:

  # batch.toml — paths relative to the manifest
  [[run]]
  name = \"acme\"
  context = [\"clients/acme\"]
  inputs = [\"Sales Bible=clients/acme/bible.md\"]   # optional --input bindings
  variation = \"scaling\"                            # optional
  date = \"2027-01-01\"                              # optional

  # batch.csv — the same columns; several paths or bindings separated by `;`
  name,context,inputs,variation,date
  acme,clients/acme,Sales Bible=clients/acme/bible.md,scaling,

Re-running the same batch skips finished runs and resumes unfinished ones. It prints a table
(status, criteria, key figures) and writes OUT/batch.json; the exit code is the highest of its
runs' exit codes (0 all met, 1 a criterion failed, 2 input, 3 agent, 4 replay, 130 cancelled).";

/// `coord batch`.
#[derive(Debug, Args, Clone)]
pub(crate) struct BatchArgs {
    /// Mission name (found on the missions path) or file.
    #[arg(value_name = "MISSION")]
    pub mission: String,
    /// A folder whose sub-folders are the input sets.
    #[arg(value_name = "SETS", required_unless_present = "manifest")]
    pub sets: Option<PathBuf>,
    /// A manifest of input sets instead (TOML or CSV, by its extension).
    #[arg(long, value_name = "FILE", conflicts_with = "sets")]
    pub manifest: Option<PathBuf>,
    /// Where the runs go, one directory per input set (default: <paths.runs>/batch-<mission>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Runs at once (default: the number of CPUs).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
    /// The variation for every set without its own.
    #[arg(long, value_name = "NAME")]
    pub variation: Option<String>,
    /// Run every agent on this backend (e.g. rules).
    #[arg(long, value_name = "NAME")]
    pub backend: Option<String>,
    /// Run one agent on a backend: --agent pipeline-management=rules (repeatable).
    #[arg(long = "agent", value_name = "NAME=BACKEND")]
    pub agents: Vec<String>,
    /// The date the documents carry, YYYY-MM-DD, for every set without its own.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = coord_core::clock::parse_date)]
    pub date: Option<jiff::civil::Date>,
}

/// A mission with its context, as for a run.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct Target {
    /// Mission name (found on the missions path) or file.
    #[arg(value_name = "MISSION")]
    pub mission: Option<String>,
    /// Context files or folders, matched to the mission's required inputs.
    #[arg(value_name = "CONTEXT")]
    pub context: Vec<PathBuf>,
    /// Bind a file to an input explicitly: --input "Sales Bible=bible.md" (repeatable).
    #[arg(long = "input", value_name = "NAME=PATH")]
    pub inputs: Vec<String>,
    /// Run every agent on this backend (e.g. rules).
    #[arg(long, value_name = "NAME")]
    pub backend: Option<String>,
    /// Run one agent on a backend: --agent pipeline-management=rules (repeatable).
    #[arg(long = "agent", value_name = "NAME=BACKEND")]
    pub agents: Vec<String>,
    /// Use one of the mission's common variations, e.g. --variation solopreneur.
    #[arg(long, value_name = "NAME")]
    pub variation: Option<String>,
    /// Exit 2 instead of running when a key fact (target, deal size, hours...) would be a
    /// default rather than read from your files (also `run.strict` in the config).
    #[arg(long)]
    pub strict: bool,
    /// The date the documents carry, YYYY-MM-DD (default: the plan's start date; config:
    /// run.date). Also the day "next month" counts from when no start date is given.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = coord_core::clock::parse_date)]
    pub date: Option<jiff::civil::Date>,
}

/// `coord <MISSION> [CONTEXT...]`.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub target: Target,
    /// Run directory (default: <paths.runs>/<timestamp>-<mission>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seconds one agent may take on one phase (config: run.agent_timeout_secs).
    #[arg(long, value_name = "SECS")]
    pub agent_timeout: Option<f64>,
    /// Seconds one phase may take, 0 for no limit (config: run.phase_timeout_secs).
    #[arg(long, value_name = "SECS")]
    pub phase_timeout: Option<f64>,
    #[command(flatten)]
    pub llm: LlmArgs,
}

/// LLM options for a run.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct LlmArgs {
    /// Record every LLM exchange to FILE (a cassette).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["replay", "cassette"])]
    pub record: Option<PathBuf>,
    /// Serve every LLM call from FILE, with no network; a miss is exit code 4.
    #[arg(long, value_name = "FILE", conflicts_with = "cassette")]
    pub replay: Option<PathBuf>,
    /// A cassette used with --mode (record, replay or auto: replay hits, record misses).
    #[arg(long, value_name = "FILE", requires = "mode")]
    pub cassette: Option<PathBuf>,
    /// How --cassette is used: record, replay or auto.
    #[arg(long, value_name = "MODE", value_parser = ["record", "replay", "auto"], requires = "cassette")]
    pub mode: Option<String>,
    /// Stop before an LLM call once the run has cost this much (config: llm.max_run_cost).
    #[arg(long, value_name = "AMOUNT")]
    pub max_cost: Option<f64>,
    /// Stop before an LLM call once the run has used this many tokens (config: llm.max_run_tokens).
    #[arg(long, value_name = "TOKENS")]
    pub max_tokens: Option<u64>,
}

/// The manual page, generated from the same definitions as `--help`.
pub(crate) fn man_page() -> String {
    let cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    let _ = clap_mangen::Man::new(cmd).render(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}
