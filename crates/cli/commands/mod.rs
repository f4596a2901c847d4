//! Dispatch: parse arguments, resolve settings once, call the command, map errors to exit codes.

mod batch;
mod inspect;
mod run;
mod validate;

use crate::args::{Cli, Command, Implicit, Target};
use crate::output::Reporter;
use crate::{EXIT_AGENT, EXIT_CANCELLED, EXIT_INPUT, EXIT_OK, Io, Registry};
use clap::Parser;
use coord_core::config::{ConfigSources, Settings};
use coord_core::{BackendChoice, ErrorClass};
use std::ffi::OsString;

/// The user's settings file in the platform's config directory (`$XDG_CONFIG_HOME/coord/` or
/// `~/.config/coord/` on Linux, `~/Library/Application Support/coord/` on macOS, `%APPDATA%\coord\`
/// on Windows), from the environment coord was given.
fn user_config(env: &[(String, String)]) -> Option<std::path::PathBuf> {
    let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let base = directories::BaseDirs::new().map(|d| d.config_dir().to_path_buf());
    // Honour the environment the CLI was handed (tests pass their own), then the platform's.
    let dir = get("XDG_CONFIG_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            get("HOME")
                .map(|h| std::path::PathBuf::from(h).join(".config"))
                .filter(|_| cfg!(target_os = "linux"))
        })
        .or(base)?;
    Some(dir.join("coord").join("coord.toml"))
}

/// What a command needs besides its own arguments.
pub(crate) struct Ctx<'a> {
    pub io: Io<'a>,
    pub settings: Settings,
    pub registry: Registry,
    pub rep: Reporter,
    pub quiet: bool,
    /// `--message-format json`: a run's result as one JSON object on stdout.
    pub json: bool,
}

pub(crate) fn dispatch(
    args: impl IntoIterator<Item = OsString>,
    registry: Registry,
    mut io: Io<'_>,
) -> i32 {
    let mut cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => return clap_error(&mut io, e),
    };
    // `coord <MISSION> ...` arrives as an external subcommand; parse it as a run.
    if let Some(Command::Implicit(words)) = &cli.command {
        match Implicit::try_parse_from(words.clone()) {
            Ok(i) => {
                cli.global.verbose += i.global.verbose;
                cli.global.quiet |= i.global.quiet;
                if i.global.color != crate::args::ColorChoice::Auto {
                    cli.global.color = i.global.color;
                }
                if i.global.message_format != crate::args::MessageFormat::Human {
                    cli.global.message_format = i.global.message_format;
                }
                if i.global.config.is_some() {
                    cli.global.config = i.global.config;
                }
                cli.command = Some(Command::Run(i.run));
            }
            Err(e) => return clap_error(&mut io, e),
        }
    }
    // NO_COLOR (no-color.org) and --color decide colours; a plain stderr also gets plain
    // progress lines.
    let no_color = io.env.iter().any(|(k, v)| k == "NO_COLOR" && !v.is_empty());
    io.tty = match cli.global.color {
        crate::args::ColorChoice::Always => true,
        crate::args::ColorChoice::Never => false,
        crate::args::ColorChoice::Auto => io.tty && !no_color,
    };
    init_tracing(cli.global.verbose, cli.global.quiet, &io);
    let rep = Reporter::new(io.err.clone(), io.tty, io.cwd.clone());
    let mut overrides = Vec::new();
    let run_args = match &cli.command {
        Some(Command::Run(r)) => Some(r.clone()),
        _ => None,
    };
    // `coord replay DIR`: every LLM call comes from the recorded run's cassette.
    if let Some(Command::Replay { dir, .. }) = &cli.command {
        // The recorded run's LLM settings, so the same questions are asked with no environment
        // set (an unreadable run.json is reported by the replay itself).
        if let Ok((_, m, _)) = coord_core::run::request_from_run(&io.cwd.join(dir))
            && let Some(l) = &m.llm
        {
            overrides.extend(l.overrides());
        }
        overrides.push(("llm.mode".to_string(), "replay".to_string()));
        overrides.push((
            "llm.cassette".to_string(),
            io.cwd
                .join(dir)
                .join("cassette.jsonl")
                .display()
                .to_string(),
        ));
    }
    let strict = match &cli.command {
        Some(Command::Run(r)) => r.target.strict,
        Some(Command::Plan { target, .. }) => target.strict,
        _ => false,
    };
    if strict {
        overrides.push(("run.strict".to_string(), "true".to_string()));
    }
    if let Some(r) = &run_args {
        if let Some(t) = r.agent_timeout {
            overrides.push(("run.agent_timeout_secs".to_string(), t.to_string()));
        }
        if let Some(t) = r.phase_timeout {
            overrides.push(("run.phase_timeout_secs".to_string(), t.to_string()));
        }
        let abs = |p: &std::path::PathBuf| io.cwd.join(p).display().to_string();
        let l = &r.llm;
        let cassette = match (&l.record, &l.replay, &l.cassette) {
            (Some(f), _, _) => Some(("record".to_string(), abs(f))),
            (_, Some(f), _) => Some(("replay".to_string(), abs(f))),
            (_, _, Some(f)) => Some((l.mode.clone().unwrap_or_else(|| "auto".into()), abs(f))),
            _ => None,
        };
        if let Some((mode, file)) = cassette {
            overrides.push(("llm.mode".to_string(), mode));
            overrides.push(("llm.cassette".to_string(), file));
        }
        if let Some(c) = l.max_cost {
            overrides.push(("llm.max_run_cost".to_string(), c.to_string()));
        }
        if let Some(t) = l.max_tokens {
            overrides.push(("llm.max_run_tokens".to_string(), t.to_string()));
        }
    }
    let loaded = match Settings::load(&ConfigSources {
        file: cli.global.config.as_ref().map(|f| io.cwd.join(f)),
        dir: io.cwd.clone(),
        user: user_config(&io.env),
        env: io.env.clone(),
        overrides,
    }) {
        Ok(l) => l,
        Err(e) => {
            rep.error(&e.to_string(), e.help());
            return EXIT_INPUT;
        }
    };
    if !cli.global.quiet {
        for k in &loaded.unknown_keys {
            let origin = loaded
                .file
                .as_ref()
                .map(|f| format!(" in {}", f.display()))
                .unwrap_or_default();
            rep.warning(
                &format!("unknown setting `{k}`{origin} is ignored"),
                Some("see config/default.toml for every setting"),
            );
        }
    }
    let mut ctx = Ctx {
        io,
        settings: loaded.settings,
        registry,
        rep,
        quiet: cli.global.quiet,
        json: cli.global.message_format == crate::args::MessageFormat::Json,
    };
    let result = match cli.command {
        None | Some(Command::Implicit(_)) => {
            ctx.rep.error(
                "no mission given",
                Some("run `coord <MISSION> [CONTEXT...]`, e.g. `coord sales-plan-development examples/solo-consultant/`; see `coord --help`"),
            );
            return EXIT_INPUT;
        }
        Some(Command::Run(r)) => {
            if r.target.mission.is_none() {
                ctx.rep
                    .error("no mission given", Some("coord run <MISSION> [CONTEXT...]"));
                return EXIT_INPUT;
            }
            run::run(&mut ctx, r)
        }
        Some(Command::Resume { dir }) => run::resume(&mut ctx, &dir),
        Some(Command::Batch(b)) => batch::batch(&mut ctx, b),
        Some(Command::Replay {
            dir,
            out,
            allow_live,
        }) => run::replay(&mut ctx, &dir, out, allow_live),
        Some(Command::Missions { json }) => inspect::missions(&mut ctx, json),
        Some(Command::Show { mission, json }) => inspect::show(&mut ctx, &mission, json),
        Some(Command::Plan { target, json }) => inspect::plan(&mut ctx, target, json),
        Some(Command::Agents { mission, json }) => {
            inspect::agents(&mut ctx, mission.as_deref(), json)
        }
        Some(Command::Validate { paths }) => validate::validate(&mut ctx, &paths),
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "coord", &mut ctx.io.out);
            Ok(EXIT_OK)
        }
        Some(Command::Man) => {
            let _ = ctx.io.out.write_all(crate::args::man_page().as_bytes());
            Ok(EXIT_OK)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => report_error(&ctx, &e),
    }
}

/// Prints a clap error (or help/version on stdout) and returns the exit code.
fn clap_error(io: &mut Io<'_>, e: clap::Error) -> i32 {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = write!(io.out, "{e}");
        return EXIT_OK;
    }
    let rendered = if io.tty {
        e.render().ansi().to_string()
    } else {
        e.render().to_string()
    };
    if let Ok(mut w) = io.err.lock() {
        let _ = write!(w, "{rendered}");
    }
    EXIT_INPUT
}

/// Prints an error on one screen and returns its exit code.
pub(crate) fn report_error(ctx: &Ctx<'_>, e: &coord_core::Error) -> i32 {
    use coord_core::Error as E;
    let rep = &ctx.rep;
    match e {
        E::Mission { diagnostics, .. } => {
            for d in diagnostics {
                rep.diagnostic(d);
            }
            rep.error(&e.to_string(), None);
        }
        E::MissingInputs { mission, missing } => {
            let mut msg = e.to_string();
            for i in missing {
                msg.push_str(&format!(
                    "\n  - {} ({}): {}",
                    i.name,
                    i.flag.as_str(),
                    i.description
                ));
            }
            let example = missing
                .iter()
                .map(|i| {
                    format!(
                        "--input \"{}={}.md\"",
                        i.name,
                        i.name.to_lowercase().replace(' ', "-")
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            rep.error(
                &msg,
                Some(&format!(
                    "pass the files after the mission name (matched by front matter `input:`, title or file name), or bind them explicitly:\n  coord {mission} [CONTEXT...] {example}"
                )),
            );
        }
        E::Strict { defaulted, .. } => {
            let mut msg = e.to_string();
            for k in defaulted {
                msg.push_str(&format!("\n  - {}: {} — {}", k.fact, k.value, k.source));
            }
            let adds: Vec<String> = defaulted
                .iter()
                .filter_map(|k| k.add.as_ref().map(|a| format!("  {a}")))
                .collect();
            rep.error(
                &msg,
                Some(&format!(
                    "add these to your documents (or run without --strict to use the defaults):\n{}",
                    adds.join("\n")
                )),
            );
        }
        E::Run { dir, source } => {
            let help = match e.class() {
                ErrorClass::Cancelled => format!("continue with `coord resume {}`", dir.display()),
                _ => match source.as_ref() {
                    coord_core::RunError::Timeout { .. } => format!(
                        "raise the limit with --agent-timeout SECS or run.agent_timeout_secs; the run can be continued with `coord resume {}`",
                        dir.display()
                    ),
                    _ => format!(
                        "the event log is in {}; continue with `coord resume {}`",
                        dir.display(),
                        dir.display()
                    ),
                },
            };
            rep.error(&e.to_string(), Some(&help));
        }
        E::Find(coord_core::catalog::FindError::NotFound {
            searched,
            name,
            suggestion,
        }) => {
            let dirs: Vec<String> = searched.iter().map(|d| d.display().to_string()).collect();
            // `coord shwo`: a mistyped command reads as a mission name; say which command.
            let commands: Vec<String> = <crate::args::Cli as clap::CommandFactory>::command()
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let command = suggestion
                .is_none()
                .then(|| coord_mission::suggest(name, &commands))
                .flatten();
            let help = match command {
                Some(c) => {
                    format!("did you mean the command `coord {c}`? (`coord --help` lists them)")
                }
                None => format!(
                    "give a mission file path, or a name found in: {} or built in (`coord missions` lists them)",
                    dirs.join(", ")
                ),
            };
            rep.error(&e.to_string(), Some(&help));
        }
        E::Inputs(coord_core::inputs::InputError::UnknownInput { .. }) => {
            rep.error(
                &e.to_string(),
                Some("use one of the input names exactly as the mission spells them"),
            );
        }
        // `coord resume DIR` on a directory without run.json: not a run, or one killed before
        // it recorded its request (nothing ran yet).
        E::Store(coord_core::store::StoreError::Io { path, source })
            if path.file_name().is_some_and(|n| n == "run.json")
                && source.kind() == std::io::ErrorKind::NotFound =>
        {
            let dir = path.parent().unwrap_or(path);
            rep.error(
                &format!(
                    "{} is not a run that can be resumed: it has no run.json",
                    dir.display()
                ),
                Some(&format!(
                    "a run stopped before it recorded its request has nothing to resume: start the mission again with `--out {}` (coord reuses a directory that holds no run)",
                    dir.display()
                )),
            );
        }
        E::Store(coord_core::store::StoreError::Locked { .. }) => rep.error(
            &e.to_string(),
            Some("one process at a time writes a run directory: wait for that one to finish (or stop it), or choose another --out"),
        ),
        E::Plan(_) => rep.error(
            &e.to_string(),
            Some("check the agent files' `backend:` and `rules:` keys, and `coord agents`"),
        ),
        _ => rep.error(&e.to_string(), None),
    }
    exit_code_of(e)
}

/// The documented exit code for an error.
pub(crate) fn exit_code_of(e: &coord_core::Error) -> i32 {
    match e.class() {
        ErrorClass::Input => EXIT_INPUT,
        ErrorClass::Agent => EXIT_AGENT,
        ErrorClass::Cancelled => EXIT_CANCELLED,
        ErrorClass::Replay => crate::EXIT_REPLAY,
    }
}

fn init_tracing(verbose: u8, quiet: bool, io: &Io<'_>) {
    use tracing_subscriber::EnvFilter;
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (_, 0) => "warn",
        (_, 1) => "info",
        (_, 2) => "debug",
        _ => "trace",
    };
    let filter = io
        .env
        .iter()
        .find(|(k, _)| k == "RUST_LOG")
        .and_then(|(_, v)| EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| EnvFilter::new(default));
    let err = io.err.clone();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(io.tty)
        .with_writer(move || SharedWriter(err.clone()))
        .try_init();
}

struct SharedWriter(std::sync::Arc<std::sync::Mutex<Box<dyn std::io::Write + Send>>>);

impl std::io::Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.lock() {
            Ok(mut w) => w.write(buf),
            Err(_) => Ok(buf.len()),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self.0.lock() {
            Ok(mut w) => w.flush(),
            Err(_) => Ok(()),
        }
    }
}

/// Backend choices from `--backend` and `--agent NAME=BACKEND`.
pub(crate) fn backend_choice(t: &Target) -> Result<BackendChoice, String> {
    let mut per_agent = std::collections::BTreeMap::new();
    for a in &t.agents {
        let (n, b) = a
            .split_once('=')
            .ok_or_else(|| format!("--agent expects NAME=BACKEND, got `{a}`"))?;
        per_agent.insert(
            n.trim().trim_start_matches('@').to_string(),
            b.trim().to_string(),
        );
    }
    Ok(BackendChoice {
        all: t.backend.clone(),
        per_agent,
    })
}

/// The run request for a target.
pub(crate) fn request(
    ctx: &Ctx<'_>,
    t: &Target,
    out: Option<std::path::PathBuf>,
) -> Result<coord_core::RunRequest, String> {
    Ok(coord_core::RunRequest {
        mission: t.mission.clone().unwrap_or_default(),
        context: t.context.clone(),
        inputs: t.inputs.clone(),
        out,
        backends: backend_choice(t)?,
        cwd: ctx.io.cwd.clone(),
        origin: None,
        variation: t.variation.clone(),
        date: t.date,
        today: None,
        clock: None,
        in_memory: false,
    })
}

use std::io::Write as _;
