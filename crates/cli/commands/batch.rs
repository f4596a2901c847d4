//! `coord batch MISSION (SETS | --manifest FILE)`: one mission over many input sets, N at a time
//! through the engine API, one run directory each under `--out`. Re-running it skips the runs
//! that finished and resumes the ones that did not, so a batch stopped halfway (Ctrl-C, a crash)
//! is finished by running the same command again.

use super::{Ctx, backend_choice, exit_code_of};
use crate::EXIT_INPUT;
use crate::args::{BatchArgs, Target};
use coord_core::{Engine, RunRequest, RunStatus};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// One input set: a run of the mission.
#[derive(Debug, Clone, PartialEq)]
struct Set {
    name: String,
    context: Vec<PathBuf>,
    inputs: Vec<String>,
    variation: Option<String>,
    date: Option<jiff::civil::Date>,
}

/// A manifest row as written (TOML `[[run]]` or a CSV line).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    name: String,
    #[serde(default)]
    context: Vec<String>,
    #[serde(default)]
    inputs: Vec<String>,
    #[serde(default)]
    variation: Option<String>,
    #[serde(default)]
    date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlManifest {
    run: Vec<Row>,
}

/// The sub-folders of `dir`, in name order, each an input set.
fn sets_in(dir: &Path) -> Result<Vec<Set>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut sets: Vec<Set> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .map(|name| Set {
            context: vec![dir.join(&name)],
            name,
            inputs: Vec::new(),
            variation: None,
            date: None,
        })
        .collect();
    sets.sort_by(|a, b| a.name.cmp(&b.name));
    if sets.is_empty() {
        return Err(format!(
            "{} has no sub-folders: each input set is a folder of its own (or give --manifest FILE)",
            dir.display()
        ));
    }
    Ok(sets)
}

/// The input sets a manifest lists; paths are relative to the manifest.
fn sets_from(manifest: &Path) -> Result<Vec<Set>, String> {
    let text =
        std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let at = |line: Option<usize>, m: String| match line {
        Some(l) => format!("{}:{l}: {m}", manifest.display()),
        None => format!("{}: {m}", manifest.display()),
    };
    let rows: Vec<(usize, Row)> = match manifest.extension().and_then(|e| e.to_str()) {
        Some("toml") => {
            let m: TomlManifest = toml::from_str(&text).map_err(|e| {
                let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
                at(line, e.message().to_string())
            })?;
            // TOML rows have no line of their own once parsed: number them by `[[run]]`.
            let lines: Vec<usize> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| l.trim() == "[[run]]")
                .map(|(i, _)| i + 1)
                .collect();
            m.run
                .into_iter()
                .enumerate()
                .map(|(k, r)| (lines.get(k).copied().unwrap_or(0), r))
                .collect()
        }
        Some("csv") => {
            #[derive(Deserialize)]
            struct CsvRow {
                name: String,
                #[serde(default)]
                context: String,
                #[serde(default)]
                inputs: String,
                #[serde(default)]
                variation: String,
                #[serde(default)]
                date: String,
            }
            let split = |s: &str| -> Vec<String> {
                s.split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            let mut out = Vec::new();
            let mut reader = csv::ReaderBuilder::new()
                .trim(csv::Trim::All)
                .from_reader(text.as_bytes());
            for r in reader.deserialize::<CsvRow>() {
                let r = r.map_err(|e| {
                    let line = e.position().map(|p| p.line() as usize);
                    at(line, e.to_string())
                })?;
                let line = out.len() + 2;
                let opt = |s: String| (!s.is_empty()).then_some(s);
                out.push((
                    line,
                    Row {
                        name: r.name,
                        context: split(&r.context),
                        inputs: split(&r.inputs),
                        variation: opt(r.variation),
                        date: opt(r.date),
                    },
                ));
            }
            out
        }
        _ => {
            return Err(at(
                None,
                "a manifest is a .toml or a .csv file (see `coord batch --help`)".into(),
            ));
        }
    };
    let base = manifest.parent().unwrap_or(Path::new("."));
    let mut sets: Vec<Set> = Vec::new();
    for (line, r) in rows {
        let line = Some(line).filter(|l| *l > 0);
        let safe = !r.name.is_empty()
            && r.name != "."
            && r.name != ".."
            && r.name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !safe {
            return Err(at(
                line,
                format!(
                    "run name `{}` cannot be a directory name: use letters, digits, `.`, `_` and `-`",
                    r.name
                ),
            ));
        }
        if sets.iter().any(|s| s.name == r.name) {
            return Err(at(
                line,
                format!(
                    "run name `{}` is used twice: each run needs its own",
                    r.name
                ),
            ));
        }
        if r.context.is_empty() && r.inputs.is_empty() {
            return Err(at(
                line,
                format!("run `{}` names no context files or inputs", r.name),
            ));
        }
        let date = match &r.date {
            Some(d) => Some(coord_core::clock::parse_date(d).map_err(|e| at(line, e))?),
            None => None,
        };
        let inputs = r
            .inputs
            .iter()
            .map(|b| match b.split_once('=') {
                Some((n, p)) => format!("{}={}", n.trim(), base.join(p.trim()).display()),
                None => b.clone(),
            })
            .collect();
        sets.push(Set {
            name: r.name,
            context: r.context.iter().map(|c| base.join(c)).collect(),
            inputs,
            variation: r.variation,
            date,
        });
    }
    if sets.is_empty() {
        return Err(at(None, "lists no runs".into()));
    }
    Ok(sets)
}

/// What became of one input set.
#[derive(Debug, Clone, Serialize)]
struct Outcome {
    name: String,
    dir: PathBuf,
    /// `ran`, `resumed` or `skipped` (finished by an earlier batch).
    action: &'static str,
    status: String,
    exit_code: i32,
    criteria: Option<Counts>,
    highlights: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Counts {
    passed: usize,
    failed: usize,
    unchecked: usize,
}

/// What to do with a set's directory: run it, resume it, or report it (it finished).
enum Step {
    Run,
    Resume,
    Done(serde_json::Value),
}

fn step_for(dir: &Path) -> Step {
    if let Ok(bytes) = std::fs::read(dir.join("summary.json"))
        && let Ok(s) = serde_json::from_slice::<serde_json::Value>(&bytes)
        && matches!(s["status"].as_str(), Some("completed" | "criteria_failed"))
    {
        return Step::Done(s);
    }
    if dir.join("run.json").is_file() {
        Step::Resume
    } else {
        Step::Run
    }
}

fn status_name(s: RunStatus) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

async fn one(
    engine: Engine,
    base: RunRequest,
    set: Set,
    dir: PathBuf,
    cancel: CancellationToken,
) -> Outcome {
    let mut out = Outcome {
        name: set.name.clone(),
        dir: dir.clone(),
        action: "ran",
        status: String::new(),
        exit_code: 0,
        criteria: None,
        highlights: Vec::new(),
        error: None,
    };
    let sink: Arc<dyn coord_core::EventSink> = Arc::new(coord_core::events::Discard);
    let result = match step_for(&dir) {
        Step::Done(s) => {
            out.action = "skipped";
            out.status = s["status"].as_str().unwrap_or_default().to_string();
            out.exit_code = s["exit_code"].as_i64().unwrap_or(0) as i32;
            out.criteria = serde_json::from_value(s["criteria"].clone()).ok();
            out.highlights = serde_json::from_value(s["highlights"].clone()).unwrap_or_default();
            return out;
        }
        Step::Resume => {
            out.action = "resumed";
            engine.resume(&dir, sink, cancel).await
        }
        Step::Run => {
            let req = RunRequest {
                context: set.context,
                inputs: set.inputs,
                out: Some(dir),
                variation: set.variation.or(base.variation.clone()),
                date: set.date.or(base.date),
                ..base
            };
            engine.run_with(req, sink, cancel).await
        }
    };
    match result {
        Ok(r) => {
            let c = coord_core::report::CriteriaCounts::of(&r.verdicts);
            out.status = status_name(r.status);
            out.exit_code = coord_core::run::exit_code(r.status);
            out.criteria = Some(Counts {
                passed: c.passed,
                failed: c.failed,
                unchecked: c.unchecked,
            });
            out.highlights = r.highlights;
        }
        Err(e) => {
            out.exit_code = exit_code_of(&e);
            out.status = match &e {
                coord_core::Error::Run { .. } if out.exit_code == crate::EXIT_CANCELLED => {
                    "cancelled"
                }
                coord_core::Error::Run { .. } => "failed",
                _ => "error",
            }
            .to_string();
            out.error = Some(e.to_string());
        }
    }
    out
}

pub(crate) fn batch(ctx: &mut Ctx<'_>, args: BatchArgs) -> Result<i32, coord_core::Error> {
    let cwd = ctx.io.cwd.clone();
    let sets = match (&args.sets, &args.manifest) {
        (_, Some(m)) => sets_from(&cwd.join(m)),
        (Some(d), None) => sets_in(&cwd.join(d)),
        (None, None) => Err("give a folder of input sets or --manifest FILE".to_string()),
    };
    let sets = match sets {
        Ok(s) => s,
        Err(msg) => {
            ctx.rep.error(&msg, Some("see `coord batch --help`"));
            return Ok(EXIT_INPUT);
        }
    };
    let target = Target {
        backend: args.backend.clone(),
        agents: args.agents.clone(),
        ..Target::default()
    };
    let backends = match backend_choice(&target) {
        Ok(b) => b,
        Err(msg) => {
            ctx.rep
                .error(&msg, Some("example: --agent pipeline-management=rules"));
            return Ok(EXIT_INPUT);
        }
    };
    let slug: String = args
        .mission
        .rsplit('/')
        .next()
        .unwrap_or(&args.mission)
        .trim_end_matches(".md")
        .to_string();
    let out_dir = cwd.join(
        args.out
            .clone()
            .unwrap_or_else(|| ctx.settings.paths.runs.join(format!("batch-{slug}"))),
    );
    let base = RunRequest {
        mission: args.mission.clone(),
        backends,
        cwd: cwd.clone(),
        variation: args.variation.clone(),
        date: args.date,
        ..RunRequest::default()
    };
    let jobs = args.jobs.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    });
    let engine = Engine::new(ctx.registry.clone(), ctx.settings.clone());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|source| coord_core::store::StoreError::Io {
            path: ".".into(),
            source,
        })?;
    let cancel = CancellationToken::new();
    {
        let c = cancel.clone();
        rt.spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                c.cancel();
            }
        });
    }
    let total = sets.len();
    let bar = (ctx.io.tty && !ctx.quiet).then(|| {
        let b = indicatif::ProgressBar::new(total as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{bar:30}] {pos}/{len} runs, {elapsed} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b
    });
    if !ctx.quiet {
        ctx.rep.line(&format!(
            "coord: batch of {total} run{} of {}, {jobs} at a time, into {}",
            if total == 1 { "" } else { "s" },
            args.mission,
            ctx.rep.rel(&out_dir).display()
        ));
    }
    let outcomes: Vec<Outcome> = rt.block_on(async {
        let limit = Arc::new(tokio::sync::Semaphore::new(jobs));
        let mut set = tokio::task::JoinSet::new();
        for (k, s) in sets.iter().cloned().enumerate() {
            let (engine, base, limit, cancel) =
                (engine.clone(), base.clone(), limit.clone(), cancel.clone());
            let dir = out_dir.join(&s.name);
            set.spawn(async move {
                let _permit = limit.acquire_owned().await;
                (k, one(engine, base, s, dir, cancel).await)
            });
        }
        let mut done: Vec<Option<Outcome>> = vec![None; total];
        let mut n = 0;
        while let Some(j) = set.join_next().await {
            let Ok((k, o)) = j else { continue };
            n += 1;
            let line = format!("[{n}/{total}] {}: {} ({})", o.name, o.status, o.action);
            match &bar {
                Some(b) => {
                    b.inc(1);
                    b.set_message(line);
                }
                None if !ctx.quiet => ctx.rep.line(&line),
                None => {}
            }
            done[k] = Some(o);
        }
        done.into_iter().flatten().collect()
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let worst = outcomes.iter().map(|o| o.exit_code).max().unwrap_or(0);
    let record = serde_json::json!({
        "format": "coord-batch",
        "version": 1,
        "mission": args.mission,
        "out": out_dir,
        "jobs": jobs,
        "exit_code": worst,
        "runs": outcomes,
    });
    let mut bytes = serde_json::to_vec_pretty(&record).unwrap_or_default();
    bytes.push(b'\n');
    std::fs::create_dir_all(&out_dir).map_err(|source| coord_core::store::StoreError::Io {
        path: out_dir.clone(),
        source,
    })?;
    coord_core::store::write_atomic(&out_dir.join("batch.json"), &bytes)?;
    // The same error for every set (a mission that does not exist, a bad flag) is said once.
    if let Some(first) = outcomes.first().and_then(|o| o.error.clone())
        && outcomes.len() > 1
        && outcomes.iter().all(|o| o.error.as_ref() == Some(&first))
    {
        ctx.rep
            .error(&format!("every run of the batch: {first}"), None);
    }
    let table = render_table(&outcomes);
    if ctx.json {
        let _ = writeln!(ctx.io.out, "{}", String::from_utf8_lossy(&bytes).trim_end());
    } else if !ctx.quiet {
        let _ = write!(ctx.io.out, "{table}");
        let _ = writeln!(
            ctx.io.out,
            "wrote batch.json in {}; exit code {worst} (the highest of the runs')",
            ctx.rep.rel(&out_dir).display()
        );
    }
    Ok(worst)
}

/// The summary table: one line per run.
fn render_table(outcomes: &[Outcome]) -> String {
    let rows: Vec<[String; 5]> = outcomes
        .iter()
        .map(|o| {
            let criteria = o
                .criteria
                .map(|c| format!("{}/{}", c.passed, c.passed + c.failed + c.unchecked))
                .unwrap_or_else(|| "-".into());
            let figures = o
                .highlights
                .first()
                .map(|h| h.trim_start_matches("plan: ").to_string())
                .or_else(|| o.error.clone())
                .unwrap_or_default();
            let figures: String = if figures.chars().count() > 100 {
                figures.chars().take(99).collect::<String>() + "…"
            } else {
                figures
            };
            [
                o.name.clone(),
                format!("{} ({})", o.status, o.action),
                o.exit_code.to_string(),
                criteria,
                figures,
            ]
        })
        .collect();
    let head = ["input set", "status", "exit", "criteria", "key figures"];
    let mut width = head.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let mut s = String::new();
        for (k, c) in cells.iter().enumerate() {
            if k == 4 {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  ", w = width[k]));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(head);
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4]]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_toml_manifests_give_the_same_sets() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("b.toml"),
            "[[run]]\nname = \"acme\"\ncontext = [\"acme\"]\ninputs = [\"Sales Bible=acme/bible.md\"]\nvariation = \"scaling\"\n\n[[run]]\nname = \"beta\"\ncontext = [\"b1\", \"b2\"]\ndate = \"2027-01-01\"\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("b.csv"),
            "name,context,inputs,variation,date\nacme,acme,Sales Bible=acme/bible.md,scaling,\nbeta,b1;b2,,,2027-01-01\n",
        )
        .unwrap();
        let t = sets_from(&d.path().join("b.toml")).unwrap();
        let c = sets_from(&d.path().join("b.csv")).unwrap();
        assert_eq!(t, c);
        assert_eq!(t[1].context, vec![d.path().join("b1"), d.path().join("b2")]);
        assert!(t[0].inputs[0].ends_with("acme/bible.md"));
    }

    #[test]
    fn bad_manifest_rows_name_the_line() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("b.csv");
        std::fs::write(&p, "name,context\nok,a\n../up,b\n").unwrap();
        let e = sets_from(&p).unwrap_err();
        assert!(e.contains("b.csv:3:") && e.contains("`../up`"), "{e}");
        std::fs::write(&p, "name,context\nsame,a\nsame,b\n").unwrap();
        assert!(sets_from(&p).unwrap_err().contains("used twice"));
        let t = d.path().join("b.toml");
        std::fs::write(
            &t,
            "[[run]]\nname = \"x\"\ncontext = [\"a\"]\ncolour = \"red\"\n",
        )
        .unwrap();
        let e = sets_from(&t).unwrap_err();
        assert!(e.contains("b.toml:") && e.contains("colour"), "{e}");
    }
}
