//! The crash soak (opt-in; issue 10): `kill -9` a run of LLM agents at random moments, resume
//! it until it finishes, and check every time that the documents equal an uninterrupted run's
//! and that no reply that had arrived before the kill was asked for again.
//!
//! ```text
//! cargo test --test e2e -- --ignored crash --nocapture        # 25 trials
//! COORD_CRASH_TRIALS=100 cargo test --test e2e -- --ignored crash --nocapture
//! ```
//!
//! The LLM is a mock on 127.0.0.1 answering every call after 40 ms, so a run of 12 calls takes
//! about half a second and the kills land in every part of it: before `run.json`, between
//! phases, while support replies are arriving, while documents are written.

use crate::support::{Out, copy_dir, repo};
use std::hash::{BuildHasher, Hasher};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const MISSION: &str = "# Mission: Crash Soak

**Duration:** 40 minutes

## Mission Objective

Plan a launch in four reviewed steps.

## Required Inputs

1. **Brief** (required) - What the client asked for

## Mission Phases

### Phase 1: Research (10 minutes)

**Lead**: @writer
**Support**: @researcher, @analyst
**Objective**: Gather what the plan needs

### Phase 2: Draft (10 minutes)

**Lead**: @writer
**Support**: @researcher, @analyst
**Objective**: Draft the plan

### Phase 3: Review (10 minutes)

**Lead**: @reviewer
**Support**: @researcher, @analyst
**Objective**: Review it

### Phase 4: Finish (10 minutes)

**Lead**: @writer
**Support**: @reviewer, @analyst
**Objective**: Finish it

## Success Criteria

- [ ] A finished plan exists
";

fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let fx = repo().join("tests/fixtures/llm");
    copy_dir(&fx.join("agents"), &d.path().join("agents"));
    std::fs::write(
        d.path().join("agents/analyst.md"),
        "---\nname: analyst\ndescription: The analyst of a small planning team\nbackend: llm\n---\nYou are the analyst. Answer in JSON only.\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.path().join("missions")).unwrap();
    std::fs::write(d.path().join("missions/crash-soak.md"), MISSION).unwrap();
    std::fs::copy(fx.join("brief.md"), d.path().join("brief.md")).unwrap();
    d
}

fn command(cwd: &Path, url: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_coord"));
    c.args(args)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("COORD__LLM__BASE_URL", url)
        .env("COORD__LLM__TIMEOUT_SECS", "10")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn finish(c: &mut Command) -> Out {
    let o = c.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Whole exchanges in a run's cassette: replies that had arrived and were kept.
fn kept(dir: &Path) -> usize {
    std::fs::read(dir.join("cassette.jsonl"))
        .map(|b| b.iter().filter(|c| **c == b'\n').count().saturating_sub(1))
        .unwrap_or(0)
}

fn random_below(n: u64) -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    h.finish() % n.max(1)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "opt-in crash soak: cargo test --test e2e -- --ignored crash --nocapture"]
async fn crash_kill_9_at_random_points_then_resume() {
    let server = MockServer::start().await;
    let content = serde_json::json!({"deliverables": [{"title": "Step", "content": "Done, with three concrete points."}], "notes": "ok"});
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({
                    "choices": [{"message": {"role": "assistant", "content": content.to_string()}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 40, "completion_tokens": 20}
                }))
                .set_delay(Duration::from_millis(40)),
        )
        .mount(&server)
        .await;
    let url = format!("{}/v1", server.uri());
    let p = project();
    let cwd = p.path().to_path_buf();
    let asked = || async { server.received_requests().await.unwrap_or_default().len() };
    // The reference: one uninterrupted run.
    let t0 = Instant::now();
    let whole = {
        let (cwd, url) = (cwd.clone(), url.clone());
        tokio::task::spawn_blocking(move || {
            finish(&mut command(
                &cwd,
                &url,
                &["-q", "crash-soak", "brief.md", "--out", "runs/ref"],
            ))
        })
        .await
        .unwrap()
    };
    assert_eq!(whole.code, 0, "{whole:?}");
    let span = t0.elapsed();
    let calls = asked().await;
    let want_md = std::fs::read(cwd.join("runs/ref/plan.md")).unwrap();
    let want_json = std::fs::read(cwd.join("runs/ref/plan.json")).unwrap();
    let trials: usize = std::env::var("COORD_CRASH_TRIALS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(25);
    let (mut before_manifest, mut mid_run, mut after_end, mut repeated) = (0, 0, 0, 0);
    let mut resumes = 0;
    for k in 0..trials {
        let out = format!("runs/t{k}");
        let dir = cwd.join(&out);
        let start = asked().await;
        let mut child = command(&cwd, &url, &["-q", "crash-soak", "brief.md", "--out", &out])
            .spawn()
            .unwrap();
        let at = random_below(span.as_millis() as u64 * 12 / 10);
        tokio::time::sleep(Duration::from_millis(at)).await;
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        tokio::time::sleep(Duration::from_millis(60)).await; // replies in flight land, unread
        let sent = asked().await - start;
        let arrived = kept(&dir);
        let finished = dir.join("summary.json").exists();
        if !dir.join("run.json").exists() {
            before_manifest += 1;
        } else if finished {
            after_end += 1;
        } else {
            mid_run += 1;
        }
        let again_from = asked().await;
        // Resume it; a directory killed before run.json is started again in place.
        let args: Vec<String> = if dir.join("run.json").exists() {
            vec!["-q".into(), "resume".into(), out.clone()]
        } else {
            ["-q", "crash-soak", "brief.md", "--out", out.as_str()]
                .map(String::from)
                .to_vec()
        };
        let r = {
            let (cwd, url) = (cwd.clone(), url.clone());
            tokio::task::spawn_blocking(move || {
                let a: Vec<&str> = args.iter().map(String::as_str).collect();
                finish(&mut command(&cwd, &url, &a))
            })
            .await
            .unwrap()
        };
        resumes += 1;
        assert!(
            r.code == 0 || (finished && r.stderr.contains("already finished")),
            "trial {k} (killed at {at} ms): resume failed: {r:?}"
        );
        let asked_again = asked().await - again_from;
        assert_eq!(
            std::fs::read(dir.join("plan.md")).unwrap(),
            want_md,
            "trial {k}: plan.md"
        );
        assert_eq!(
            std::fs::read(dir.join("plan.json")).unwrap(),
            want_json,
            "trial {k}: plan.json"
        );
        // Every reply kept before the kill is served from the run's cassette on resume.
        let again = asked_again as i64 - (calls as i64 - arrived as i64);
        repeated += again.max(0);
        assert!(
            again <= 0,
            "trial {k} (killed at {at} ms, {sent} sent, {arrived} kept): {asked_again} asked on resume, {calls} in a whole run"
        );
    }
    println!(
        "crash soak: {trials} trials of kill -9 (run of {calls} calls, {} ms): {before_manifest} before run.json, {mid_run} mid-run, {after_end} after the summary; {resumes} resumes; every plan.md/plan.json identical; {repeated} repeated calls for replies that had arrived",
        span.as_millis()
    );
}
