//! `coord <MISSION> [CONTEXT...]` and `coord resume DIR`.

use super::{Ctx, request};
use crate::args::RunArgs;
use crate::progress::Progress;
use crate::{EXIT_INPUT, EXIT_OK};
use coord_core::criteria::Status;
use coord_core::{EventSink, RunReport};
use std::path::Path;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// Cancels `token` on Ctrl-C.
fn cancel_on_ctrl_c(rt: &tokio::runtime::Runtime, token: &CancellationToken) {
    let t = token.clone();
    rt.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            t.cancel();
        }
    });
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: RunArgs) -> Result<i32, coord_core::Error> {
    let req = match request(ctx, &args.target, args.out.clone()) {
        Ok(r) => r,
        Err(msg) => {
            ctx.rep
                .error(&msg, Some("example: --agent pipeline-management=rules"));
            return Ok(EXIT_INPUT);
        }
    };
    let prepared = coord_core::prepare(&req, &ctx.settings, &ctx.registry)?;
    if !ctx.quiet {
        for d in prepared
            .warnings
            .iter()
            .filter(|d| d.severity != coord_mission::Severity::Note)
        {
            ctx.rep.diagnostic(d);
        }
        for n in &prepared.plan.notes {
            ctx.rep.line(&format!("note: {n}"));
        }
    }
    // `execute` refuses a plan with required inputs missing before it writes anything; the
    // binding shown first says which files went where.
    if !ctx.quiet && prepared.plan.missing_inputs().is_empty() {
        report_inputs(ctx, &prepared);
    }
    let report = drive(ctx, |sink, token| {
        coord_core::execute(prepared, &req, &ctx.settings, &ctx.registry, sink, token)
    })?;
    Ok(finish(ctx, &report))
}

pub(crate) fn resume(ctx: &mut Ctx<'_>, dir: &Path) -> Result<i32, coord_core::Error> {
    let dir = ctx.io.cwd.join(dir);
    let report = drive(ctx, |sink, token| {
        coord_core::resume(&dir, &ctx.settings, &ctx.registry, sink, token)
    })?;
    Ok(finish(ctx, &report))
}

pub(crate) fn replay(
    ctx: &mut Ctx<'_>,
    dir: &Path,
    out: Option<std::path::PathBuf>,
    allow_live: bool,
) -> Result<i32, coord_core::Error> {
    let (src, _, mut req) = coord_core::run::request_from_run(&ctx.io.cwd.join(dir))?;
    // The recorded run must not be changing while it is replayed.
    let _reading = coord_core::store::DirLock::shared(&src)?;
    if !allow_live && !ctx.io.cwd.join(dir).join("cassette.jsonl").is_file() {
        ctx.rep.error(
            &format!(
                "{} has no cassette.jsonl: nothing was recorded, so a replay would run its agents again instead of serving recorded answers",
                dir.display()
            ),
            Some("record a run with `--record FILE` (LLM agents), or pass `--allow-live` to run it again"),
        );
        return Ok(EXIT_INPUT);
    }
    req.out = out.map(|o| ctx.io.cwd.join(o));
    let prepared = coord_core::prepare(&req, &ctx.settings, &ctx.registry)?;
    let report = drive(ctx, |sink, token| {
        coord_core::execute(prepared, &req, &ctx.settings, &ctx.registry, sink, token)
    })?;
    Ok(finish(ctx, &report))
}

/// Which file went to which input by its content, and the key facts with their sources; a
/// defaulted key fact is a warning with the line to add.
pub(crate) fn report_inputs(ctx: &Ctx<'_>, prepared: &coord_core::Prepared) {
    use coord_core::inputs::MatchedBy;
    for (input, files) in &prepared.plan.inputs.bound {
        for b in files {
            let why = match b.matched_by {
                MatchedBy::Content => format!("by content: {}", b.reason.as_deref().unwrap_or("")),
                MatchedBy::Explicit => "--input".to_string(),
                MatchedBy::FrontMatter => "front matter `input:`".to_string(),
                MatchedBy::Title => "title".to_string(),
                MatchedBy::FileName => "file name".to_string(),
                MatchedBy::Description => "the input's description".to_string(),
            };
            ctx.rep.line(&format!(
                "input: {} → {input} ({why})",
                ctx.rep.rel(&b.file.path).display()
            ));
        }
    }
    if prepared.key_facts.is_empty() {
        return;
    }
    ctx.rep.line("key facts:");
    let table = crate::output::key_facts_table(&prepared.key_facts);
    for l in table.lines() {
        ctx.rep.line(l);
    }
    for k in prepared.key_facts.iter().filter(|k| k.defaulted) {
        let help = k.add.as_ref().map(|a| {
            format!(
                "add a line such as `{a}` to your documents (or use --strict to refuse defaults)"
            )
        });
        ctx.rep.warning(
            &format!(
                "{} not found in your files: the plan assumes {} — {}",
                k.fact, k.value, k.source
            ),
            help.as_deref(),
        );
    }
}

/// Runs a coordinator future on a fresh runtime, with progress and Ctrl-C cancellation.
fn drive<F>(
    ctx: &Ctx<'_>,
    run: impl FnOnce(Arc<dyn EventSink>, CancellationToken) -> F,
) -> Result<RunReport, coord_core::Error>
where
    F: std::future::Future<Output = Result<RunReport, coord_core::Error>>,
{
    let rt = runtime().map_err(|source| coord_core::store::StoreError::Io {
        path: ".".into(),
        source,
    })?;
    let token = CancellationToken::new();
    cancel_on_ctrl_c(&rt, &token);
    rt.block_on(run(sink(ctx), token))
}

fn sink(ctx: &Ctx<'_>) -> Arc<dyn EventSink> {
    if ctx.quiet {
        Arc::new(coord_core::events::Discard)
    } else {
        Arc::new(Progress::new(ctx.io.err.clone(), ctx.io.tty))
    }
}

/// The closing summary: criteria, then where the files are.
/// The run's result, on stdout (progress went to stderr): the criteria, the pack's key
/// numbers and the files written — or, with `--message-format json`, one JSON object.
fn finish(ctx: &mut Ctx<'_>, report: &RunReport) -> i32 {
    let code = coord_core::run::exit_code(report.status);
    let c = coord_core::report::CriteriaCounts::of(&report.verdicts);
    let mut out = String::new();
    if ctx.json {
        let v = serde_json::json!({
            "run_dir": report.dir,
            "status": report.status,
            "exit_code": code,
            "criteria": {
                "passed": c.passed,
                "failed": c.failed,
                "unchecked": c.unchecked,
                "verdicts": report.verdicts,
            },
            "highlights": report.highlights,
            "files": report.files,
            "llm": coord_core::run::total_usage(&report.stats),
        });
        out = serde_json::to_string_pretty(&v).unwrap_or_default();
        out.push('\n');
    } else if !ctx.quiet {
        if !report.verdicts.is_empty() {
            out.push_str(&format!(
                "criteria: {} passed, {} failed, {} not checked automatically\n",
                c.passed, c.failed, c.unchecked
            ));
            for v in report
                .verdicts
                .iter()
                .filter(|v| v.status == Status::Failed)
            {
                out.push_str(&format!("  failed: {} — {}\n", v.criterion, v.evidence));
            }
        }
        for h in &report.highlights {
            out.push_str(h);
            out.push('\n');
        }
        if let Some(u) = coord_core::run::total_usage(&report.stats) {
            out.push_str(&format!(
                "llm: {} call{} ({} replayed), {} prompt + {} completion tokens, cost {:.4}\n",
                u.calls + u.replayed,
                if u.calls + u.replayed == 1 { "" } else { "s" },
                u.replayed,
                u.prompt_tokens,
                u.completion_tokens,
                u.cost
            ));
        }
        let files: Vec<String> = report
            .files
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        out.push_str(&format!(
            "wrote {} in {}\n",
            files.join(", "),
            ctx.rep.rel(&report.dir).display()
        ));
    }
    let _ = ctx.io.out.write_all(out.as_bytes());
    let _ = ctx.io.out.flush();
    if code == 0 { EXIT_OK } else { code }
}
