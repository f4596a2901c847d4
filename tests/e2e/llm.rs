//! LLM agents through the real `coord` binary, against a mock OpenAI-compatible server on
//! 127.0.0.1: record and replay (offline, same bytes), replay misses (exit 4 with the first
//! difference), re-asking on schema errors, exhausted retries (exit 3), budgets, secrets, and a
//! mission that mixes rule and LLM agents.

use crate::support::{Out, repo};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sk-test-9f8e7d6c5b4a";

/// A project with the LLM fixture mission and agents.
fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let fx = repo().join("tests/fixtures/llm");
    for sub in ["missions", "agents"] {
        std::fs::create_dir_all(d.path().join(sub)).unwrap();
        for e in std::fs::read_dir(fx.join(sub)).unwrap().flatten() {
            std::fs::copy(e.path(), d.path().join(sub).join(e.file_name())).unwrap();
        }
    }
    std::fs::copy(fx.join("brief.md"), d.path().join("brief.md")).unwrap();
    d
}

fn coord_env(cwd: &Path, base_url: &str, args: &[&str]) -> Out {
    crate::support::run_with_env(
        cwd,
        args,
        &[
            ("COORD__LLM__BASE_URL", base_url),
            ("COORD__LLM__API_KEY_ENV", "MY_LLM_KEY"),
            ("MY_LLM_KEY", SECRET),
            ("COORD__LLM__RETRY_BASE_MS", "1"),
            ("COORD__LLM__RETRY_MAX_MS", "5"),
            ("COORD__LLM__TIMEOUT_SECS", "10"),
        ],
    )
}

async fn run(cwd: &Path, base_url: &str, args: &[&str]) -> Out {
    let (cwd, base_url) = (cwd.to_path_buf(), base_url.to_string());
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        coord_env(&cwd, &base_url, &a)
    })
    .await
    .unwrap()
}

fn reply(content: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "choices": [{"message": {"role": "assistant", "content": content.to_string()}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 40, "completion_tokens": 20}
    }))
}

fn good() -> Value {
    json!({"deliverables": [{"title": "Plan", "content": "Three goals: lunch menu, office flyers, loyalty card."}], "notes": "ok"})
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn record_then_replay_offline_gives_the_same_bytes_and_keeps_secrets_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(reply(&good()))
        .mount(&server)
        .await;
    let p = project();
    let url = format!("{}/v1", server.uri());
    let rec = run(
        p.path(),
        &url,
        &[
            "-vv",
            "brief-review",
            "brief.md",
            "--record",
            "rec.jsonl",
            "--out",
            "runs/a",
        ],
    )
    .await;
    assert_eq!(rec.code, 0, "{rec:?}");
    assert!(
        rec.stdout
            .contains("llm: 3 calls (0 replayed), 120 prompt + 60 completion tokens"),
        "{rec:?}"
    );
    // Every request carried the key as a bearer token; nothing written or logged carries it.
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 3);
    assert!(reqs.iter().all(|r| {
        r.headers
            .get("authorization")
            .is_some_and(|v| v.to_str().unwrap() == format!("Bearer {SECRET}"))
    }));
    assert!(!rec.stderr.contains(SECRET) && !rec.stdout.contains(SECRET));
    for f in files_in(&p.path().join("runs/a"))
        .into_iter()
        .chain([p.path().join("rec.jsonl")])
    {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            !text.contains(SECRET),
            "{} contains the API key",
            f.display()
        );
    }
    let cassette = std::fs::read_to_string(p.path().join("rec.jsonl")).unwrap();
    assert_eq!(
        cassette.lines().count(),
        4,
        "a header and one line per exchange"
    );
    assert!(
        cassette
            .lines()
            .next()
            .unwrap()
            .contains("\"format\":\"coord-cassette\"")
    );
    assert!(
        p.path().join("runs/a/cassette.jsonl").is_file(),
        "the run keeps its own cassette"
    );

    // Replay with the network unavailable: the endpoint is a closed port.
    let closed = "http://127.0.0.1:9/v1";
    let rep = run(
        p.path(),
        closed,
        &[
            "brief-review",
            "brief.md",
            "--replay",
            "rec.jsonl",
            "--out",
            "runs/b",
        ],
    )
    .await;
    assert_eq!(rep.code, 0, "{rep:?}");
    assert!(
        rep.stdout
            .contains("llm: 3 calls (3 replayed), 0 prompt + 0 completion tokens, cost 0.0000"),
        "{rep:?}"
    );
    // `coord replay <run-dir>` re-runs the recorded run from its own cassette.
    let rep2 = run(p.path(), closed, &["replay", "runs/a", "--out", "runs/c"]).await;
    assert_eq!(rep2.code, 0, "{rep2:?}");
    for f in ["plan.json", "plan.md"] {
        let a = std::fs::read(p.path().join("runs/a").join(f)).unwrap();
        assert_eq!(
            a,
            std::fs::read(p.path().join("runs/b").join(f)).unwrap(),
            "{f}: --replay differs"
        );
        assert_eq!(
            a,
            std::fs::read(p.path().join("runs/c").join(f)).unwrap(),
            "{f}: coord replay differs"
        );
    }
    let summary: Value =
        serde_json::from_slice(&std::fs::read(p.path().join("runs/b/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["llm"]["replayed"], 3);
    assert_eq!(summary["llm"]["calls"], 0);
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        3,
        "replays sent nothing"
    );

    // One changed word in a phase objective: exit 4 naming phase, agent and the difference.
    let m = p.path().join("missions/brief-review.md");
    let text = std::fs::read_to_string(&m).unwrap();
    std::fs::write(
        &m,
        text.replace("Review the draft and list", "Review the draft and rank"),
    )
    .unwrap();
    let miss = run(
        p.path(),
        closed,
        &[
            "brief-review",
            "brief.md",
            "--replay",
            "rec.jsonl",
            "--out",
            "runs/d",
        ],
    )
    .await;
    assert_eq!(miss.code, 4, "{miss:?}");
    assert!(
        miss.stderr
            .contains("replay miss for @reviewer in Phase 2: Review"),
        "{miss:?}"
    );
    assert!(
        miss.stderr.contains("message 2 (user) changed")
            && miss.stderr.contains("[-list-] [+rank+]"),
        "{miss:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_off_the_schema_is_asked_again_with_the_errors() {
    let server = MockServer::start().await;
    // The writer's first reply lacks `notes`; every later reply is valid.
    Mock::given(method("POST"))
        .and(body_string_contains("the writer"))
        .respond_with(reply(
            &json!({"deliverables": [{"title": "Plan", "content": "x"}]}),
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(reply(&good()))
        .with_priority(2)
        .mount(&server)
        .await;
    let p = project();
    let out = run(
        p.path(),
        &format!("{}/v1", server.uri()),
        &["brief-review", "brief.md", "--out", "runs/x"],
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 4, "three steps, one re-ask");
    let reask = reqs
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .find(|b| b.contains("does not match the schema"))
        .expect("a re-ask");
    // The schema's own words for the missing field.
    assert!(
        reask.contains("notes") && reask.contains("is a required property"),
        "{reask}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exhausted_retries_fail_the_run_with_exit_3_naming_agent_and_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("overloaded"))
        .mount(&server)
        .await;
    let p = project();
    let out = run(
        p.path(),
        &format!("{}/v1", server.uri()),
        &["brief-review", "brief.md", "--out", "runs/x"],
    )
    .await;
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stderr.contains("@researcher") && out.stderr.contains("Phase 1: Draft"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("gave up after 4 attempts") && out.stderr.contains("HTTP 503"),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_budget_stops_the_run_before_the_next_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(reply(&good()))
        .mount(&server)
        .await;
    let p = project();
    let out = run(
        p.path(),
        &format!("{}/v1", server.uri()),
        &[
            "brief-review",
            "brief.md",
            "--max-tokens",
            "100",
            "--out",
            "runs/x",
        ],
    )
    .await;
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stderr.contains("--max-tokens") && out.stderr.contains("could take up to"),
        "{out:?}"
    );
    // A call may use its prompt and max_tokens (1,024): no call fits a 100-token budget, so
    // none is made and the budget is never passed.
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_llm_lead_fills_the_rule_agents_schema_and_sees_their_numbers() {
    // What the rule agent produces for these inputs is a valid reply for the LLM lead.
    let rules = crate::support::Project::new();
    let ok = rules.coord(&[
        "-q",
        "sales-plan-development",
        "examples/solo-consultant",
        "--out",
        "runs/rules",
    ]);
    assert_eq!(ok.code, 0, "{ok:?}");
    let plan: Value =
        serde_json::from_slice(&std::fs::read(rules.path("runs/rules/plan.json")).unwrap())
            .unwrap();
    let pipeline = plan["view"]["sales/pipeline"].clone();
    let activity = plan["view"]["sales/activity-model"].clone();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("\"required\":[\"sales/pipeline\"]"))
        .respond_with(reply(&json!({"sales/pipeline": pipeline})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains(
            "\"required\":[\"sales/activity-model\"]",
        ))
        .respond_with(reply(&json!({"sales/activity-model": activity})))
        .mount(&server)
        .await;
    let p = crate::support::Project::new();
    let out = run(
        p.dir.path(),
        &format!("{}/v1", server.uri()),
        &[
            "sales-plan-development",
            "examples/solo-consultant",
            "--agent",
            "pipeline-management=llm",
            "--out",
            "runs/mixed",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(
        reqs.len(),
        2,
        "pipeline-management leads phase 2 and supports phase 3"
    );
    let body = String::from_utf8_lossy(&reqs[0].body);
    assert!(
        body.contains("sales/foundation") && body.contains("160000"),
        "the LLM lead sees the rule agents' numbers"
    );
    // The same criteria checks and the same Sales Plan rendering work on the LLM's output.
    assert!(out.stdout.contains("criteria: 8 passed"), "{out:?}");
    let md = std::fs::read_to_string(p.path("runs/mixed/sales-plan.md")).unwrap();
    assert!(md.contains("### Pipeline Targets"));
}

/// Against a real model server (llama.cpp with a tiny model, started by `.ci/run` from
/// `../shared/tools/llm-server/`): a whole mission with LLM agents through structured output,
/// recorded, then replayed offline to the same bytes. Asserts structure, never wording. Skipped
/// (with a note) when `COORD_TEST_LLM_BASE_URL` is not set; CI always sets it.
#[tokio::test(flavor = "multi_thread")]
async fn a_real_model_through_structured_output_then_replayed_offline() {
    let Ok(url) = std::env::var("COORD_TEST_LLM_BASE_URL") else {
        return crate::skip::skip(
            "a_real_model_through_structured_output_then_replayed_offline",
            "COORD_TEST_LLM_BASE_URL is not set (.ci/run starts the model server and sets it)",
        );
    };
    let p = project();
    // The same settings live and in replay: a changed parameter would be a replay miss.
    let coord = |url: String, args: &'static [&'static str], cwd: PathBuf| {
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_coord"))
                .args(args)
                .current_dir(&cwd)
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("COORD__LLM__BASE_URL", &url)
                .env("COORD__LLM__MAX_TOKENS", "1200")
                .env("COORD__LLM__TIMEOUT_SECS", "180")
                .env("COORD__RUN__AGENT_TIMEOUT_SECS", "900")
                .env("COORD__LLM__CONCURRENCY", "1")
                .output()
                .unwrap()
        })
    };
    let live = coord(
        url,
        &[
            "brief-review",
            "brief.md",
            "--record",
            "real.jsonl",
            "--out",
            "runs/live",
        ],
        p.path().to_path_buf(),
    )
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&live.stderr);
    assert_eq!(live.status.code(), Some(0), "{stderr}");
    let plan: Value =
        serde_json::from_slice(&std::fs::read(p.path().join("runs/live/plan.json")).unwrap())
            .unwrap();
    for key in [
        "phase-1/researcher/support",
        "phase-1/writer/lead",
        "phase-2/reviewer/lead",
    ] {
        let v = &plan["view"][key];
        let ds = v["deliverables"]
            .as_array()
            .unwrap_or_else(|| panic!("{key}: {v}"));
        assert!(
            !ds.is_empty() && ds.iter().all(|d| !d["title"].as_str().unwrap().is_empty()),
            "{key}: {v}"
        );
        assert!(v["notes"].is_string());
    }
    let out = coord(
        "http://127.0.0.1:9/v1".into(),
        &[
            "brief-review",
            "brief.md",
            "--replay",
            "real.jsonl",
            "--out",
            "runs/replayed",
        ],
        p.path().to_path_buf(),
    )
    .await
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in ["plan.json", "plan.md"] {
        assert_eq!(
            std::fs::read(p.path().join("runs/live").join(f)).unwrap(),
            std::fs::read(p.path().join("runs/replayed").join(f)).unwrap(),
            "{f} differs after replay"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn json_object_when_the_server_rejects_json_schema() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("\"type\":\"json_schema\""))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_string("{\"error\":\"response_format json_schema is not supported\"}"),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains("\"type\":\"json_object\""))
        .respond_with(reply(&good()))
        .mount(&server)
        .await;
    let p = project();
    let out = run(
        p.path(),
        &format!("{}/v1", server.uri()),
        &[
            "brief-review",
            "brief.md",
            "--record",
            "rec.jsonl",
            "--out",
            "runs/a",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(
        reqs.len(),
        4,
        "one rejected json_schema request, then three json_object ones"
    );
    // The replay asks with json_schema again; the json_object recordings answer.
    let out = run(
        p.path(),
        "http://127.0.0.1:9/v1",
        &[
            "brief-review",
            "brief.md",
            "--replay",
            "rec.jsonl",
            "--out",
            "runs/b",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        std::fs::read(p.path().join("runs/a/plan.json")).unwrap(),
        std::fs::read(p.path().join("runs/b/plan.json")).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn auto_mode_records_misses_then_replays_hits() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(reply(&good()))
        .mount(&server)
        .await;
    let p = project();
    let url = format!("{}/v1", server.uri());
    // No cassette yet: every call is live and recorded.
    let out = run(
        p.path(),
        &url,
        &[
            "brief-review",
            "brief.md",
            "--cassette",
            "auto.jsonl",
            "--mode",
            "auto",
            "--out",
            "runs/a",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("(0 replayed)"), "{out:?}");
    // Again with the endpoint gone: every call is a hit.
    let out = run(
        p.path(),
        "http://127.0.0.1:9/v1",
        &[
            "brief-review",
            "brief.md",
            "--cassette",
            "auto.jsonl",
            "--mode",
            "auto",
            "--out",
            "runs/b",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("(3 replayed)"), "{out:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert_eq!(
        std::fs::read(p.path().join("runs/a/plan.json")).unwrap(),
        std::fs::read(p.path().join("runs/b/plan.json")).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_with_fallback_rules_does_its_step_with_rules_when_the_model_fails() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_string("no key"))
        .mount(&server)
        .await;
    let p = crate::support::Project::new();
    let f = p.path("agents/pipeline-management.md");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(
        &f,
        text.replace("backend: rules", "backend: llm\nfallback: rules"),
    )
    .unwrap();
    let out = run(
        p.dir.path(),
        &format!("{}/v1", server.uri()),
        &[
            "sales-plan-development",
            "examples/solo-consultant",
            "--out",
            "runs/fb",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("criteria: 8 passed"), "{out:?}");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "one failed call per step, no retries on 401"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_cancels_cleanly_and_the_run_resumes_without_repeating_steps() {
    let server = MockServer::start().await;
    // The first call (the researcher) answers at once; the writer's call hangs long enough to be
    // interrupted.
    Mock::given(method("POST"))
        .and(body_string_contains("the writer"))
        .respond_with(reply(&good()).set_delay(std::time::Duration::from_secs(20)))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(reply(&good()))
        .with_priority(2)
        .mount(&server)
        .await;
    let p = project();
    let url = format!("{}/v1", server.uri());
    let cwd = p.path().to_path_buf();
    let u = url.clone();
    let child = Command::new(env!("CARGO_BIN_EXE_coord"))
        .args(["brief-review", "brief.md", "--out", "runs/x"])
        .current_dir(&cwd)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("COORD__LLM__BASE_URL", &u)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Press Ctrl-C by event order, not by time: once the researcher's step is in the event log
    // and the writer's request has reached the server (where it waits for its delayed reply).
    let log = cwd.join("runs/x/events.jsonl");
    for polls in 0.. {
        assert!(polls < 4000, "the run never reached the writer's request");
        let logged = std::fs::read_to_string(&log).is_ok_and(|t| t.contains("\"agent_finished\""));
        let asked = server.received_requests().await.unwrap_or_default().len() >= 2;
        if logged && asked {
            break;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let pid = child.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("coord resume"), "{stderr}");
    let summary: Value =
        serde_json::from_slice(&std::fs::read(p.path().join("runs/x/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["status"], "cancelled");
    let before = server.received_requests().await.unwrap().len();
    assert_eq!(
        before, 2,
        "the researcher's call and the interrupted writer's call"
    );
    let resumed = run(p.path(), &url, &["resume", "runs/x"]).await;
    assert_eq!(resumed.code, 0, "{resumed:?}");
    assert!(
        resumed
            .stderr
            .contains("@researcher (support): done in the earlier run"),
        "{resumed:?}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len() - before,
        2,
        "only the writer and the reviewer were asked again"
    );
    // The resumed run's cassette kept the first invocation's call: replaying it, with no
    // environment at all (run.json has the LLM settings), reproduces the documents offline.
    let asked = server.received_requests().await.unwrap().len();
    let replayed =
        crate::support::run_with_env(p.path(), &["replay", "runs/x", "--out", "runs/r"], &[]);
    assert_eq!(replayed.code, 0, "{replayed:?}");
    for f in ["plan.md", "plan.json"] {
        assert_eq!(
            std::fs::read(p.path().join("runs/x").join(f)).unwrap(),
            std::fs::read(p.path().join("runs/r").join(f)).unwrap(),
            "{f}"
        );
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        asked,
        "a replay asks the server nothing"
    );
}

/// Two runs at once in one process, through one registry: each has its own LLM services — its
/// own cassette with only its own exchanges, its own call count.
#[tokio::test(flavor = "multi_thread")]
async fn runs_side_by_side_in_one_process_keep_their_own_llm_services() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(reply(&good()).set_delay(std::time::Duration::from_millis(50)))
        .mount(&server)
        .await;
    let p = project();
    let registry = coord::default_registry();
    let mut settings = coord_core::Settings::defaults();
    settings.llm.base_url = format!("{}/v1", server.uri());
    let req = |out: &str| coord_core::RunRequest {
        mission: "brief-review".into(),
        context: vec!["brief.md".into()],
        out: Some(out.into()),
        cwd: p.path().to_path_buf(),
        ..Default::default()
    };
    let run = |r: coord_core::RunRequest| {
        let prepared = coord_core::prepare(&r, &settings, &registry).unwrap();
        let (settings, registry) = (&settings, &registry);
        async move {
            coord_core::execute(
                prepared,
                &r,
                settings,
                registry,
                std::sync::Arc::new(coord_core::events::Discard),
                Default::default(),
            )
            .await
            .unwrap()
        }
    };
    let (a, b) = tokio::join!(run(req("runs/a")), run(req("runs/b")));
    for r in [a, b] {
        let calls: u64 = r
            .stats
            .iter()
            .filter_map(|s| s.usage.map(|u| u.calls))
            .sum();
        assert_eq!(calls, 3, "{:?}", r.dir);
        let cassette = std::fs::read_to_string(r.dir.join("cassette.jsonl")).unwrap();
        assert_eq!(cassette.lines().count(), 1 + 3, "its own three exchanges");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

/// The README's first LLM example against a real server (llama.cpp with a tiny model, started
/// by `.ci/run` with the context the sales prompts need): the Sales Plan with each sales agent as
/// an LLM agent in turn, through json_schema structured output. The server accepts every request
/// (the deliverable schemas are self-contained and bounded), the prompts fit the context, the run
/// finishes (a reply the tiny model cannot finish within `max_tokens`, or whose content fails
/// the plan's checks, is a recorded fallback to the rule set), and `coord replay` reproduces the
/// plan byte for byte offline. Structure only, never wording.
#[tokio::test(flavor = "multi_thread")]
async fn the_sales_plan_with_each_agent_on_a_real_model_then_replayed() {
    let Ok(url) = std::env::var("COORD_TEST_LLM_BASE_URL") else {
        return crate::skip::skip(
            "the_sales_plan_with_each_agent_on_a_real_model_then_replayed",
            "COORD_TEST_LLM_BASE_URL is not set (.ci/run starts the model server and sets it)",
        );
    };
    let dir = tempfile::tempdir().unwrap();
    let example = repo().join("examples/solo-consultant");
    for agent in [
        "pipeline-management",
        "conversion-optimization",
        "revenue-operations",
    ] {
        let (cwd, url, example) = (dir.path().to_path_buf(), url.clone(), example.clone());
        let out = tokio::task::spawn_blocking(move || {
            let coord = |args: &[&str], url: &str| {
                Command::new(env!("CARGO_BIN_EXE_coord"))
                    .args(args)
                    .current_dir(&cwd)
                    .env_clear()
                    .env("PATH", std::env::var("PATH").unwrap_or_default())
                    .env("COORD__LLM__BASE_URL", url)
                    .env("COORD__LLM__MAX_TOKENS", "160")
                    .env("COORD__LLM__MAX_REASKS", "0")
                    .env("COORD__LLM__FALLBACK", "rules")
                    .env("COORD__LLM__CONTEXT_TOKENS", "8192")
                    .env("COORD__LLM__TIMEOUT_SECS", "300")
                    .env("COORD__RUN__AGENT_TIMEOUT_SECS", "900")
                    .env("COORD__LLM__CONCURRENCY", "1")
                    .output()
                    .unwrap()
            };
            let run_dir = format!("runs/{agent}");
            let live = coord(
                &[
                    "sales-plan-development",
                    example.to_str().unwrap(),
                    "--agent",
                    &format!("{agent}=llm"),
                    "--out",
                    &run_dir,
                ],
                &url,
            );
            let replayed = coord(
                &["replay", &run_dir, "--out", &format!("{run_dir}-replayed")],
                "http://127.0.0.1:9/v1",
            );
            (live, replayed, cwd.join(run_dir))
        })
        .await
        .unwrap();
        let (live, replayed, run) = out;
        let stderr = String::from_utf8_lossy(&live.stderr);
        assert!(
            matches!(live.status.code(), Some(0 | 1)),
            "{agent}: exit {:?}\n{stderr}",
            live.status.code()
        );
        // Every exchange reached the model: no request was refused (a 400 would be a fallback
        // whose reason is the failed call), and each reply is schema-valid JSON or was cut at
        // the token limit this test sets.
        let summary: Value =
            serde_json::from_slice(&std::fs::read(run.join("summary.json")).unwrap()).unwrap();
        let steps: Vec<&Value> = summary["agents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["agent"] == agent)
            .collect();
        assert_eq!(steps.len(), 2, "{agent}: {summary:#}");
        for s in &steps {
            let backend = s["backend"].as_str().unwrap();
            assert!(backend.starts_with("llm"), "{agent}: {s}");
            if let Some(why) = s["fallback"].as_str() {
                assert!(
                    backend.ends_with("(fallback)") && !why.contains("call failed"),
                    "{agent}: the server refused a request: {s}"
                );
            }
        }
        let cassette = std::fs::read_to_string(run.join("cassette.jsonl")).unwrap();
        let exchanges: Vec<Value> = cassette
            .lines()
            .skip(1)
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(exchanges.len(), 2, "{agent}: one call per step");
        for x in &exchanges {
            let prompt = x["response"]["usage"]["prompt_tokens"].as_u64().unwrap();
            assert!(
                prompt > 0 && prompt < 8192 - 160,
                "{agent}: {prompt} prompt tokens"
            );
            let finish = x["response"]["finish_reason"].as_str().unwrap_or("");
            let content = x["response"]["content"].as_str().unwrap();
            assert!(
                finish == "length" || serde_json::from_str::<Value>(content).is_ok(),
                "{agent}: finished ({finish}) with no JSON: {content}"
            );
        }
        // Offline replay from the run's own cassette: the same bytes.
        assert!(
            matches!(replayed.status.code(), Some(0 | 1)),
            "{agent}: replay {}",
            String::from_utf8_lossy(&replayed.stderr)
        );
        let again = run.with_file_name(format!("{agent}-replayed"));
        for f in ["plan.json", "sales-plan.json", "sales-plan.md"] {
            assert_eq!(
                std::fs::read(run.join(f)).unwrap(),
                std::fs::read(again.join(f)).unwrap(),
                "{agent}: {f} differs after replay"
            );
        }
    }
}

/// LLM settings that cannot work are refused when the agents are built (exit 2), before any
/// call: a base URL that is not http(s), a key variable that is not set. A reply that never
/// matches is a fallback to the rule set when `llm.fallback = "rules"`, recorded as such in
/// `summary.json` and the event log.
#[tokio::test(flavor = "multi_thread")]
async fn bad_settings_are_refused_at_load_and_a_fallback_is_recorded() {
    let p = project();
    let args = ["brief-review", "brief.md", "--out", "runs/x"];
    let bad_url = crate::support::run_with_env(
        p.path(),
        &args,
        &[("COORD__LLM__BASE_URL", "127.0.0.1:8080/v1")],
    );
    assert_eq!(bad_url.code, 2, "{bad_url:?}");
    assert!(
        bad_url.stderr.contains("is not an http(s) URL"),
        "{bad_url:?}"
    );
    let no_key = crate::support::run_with_env(
        p.path(),
        &["brief-review", "brief.md", "--out", "runs/y"],
        &[
            ("COORD__LLM__BASE_URL", "http://127.0.0.1:9/v1"),
            ("COORD__LLM__API_KEY_ENV", "COORD_TEST_UNSET_KEY_VARIABLE"),
        ],
    );
    assert_eq!(no_key.code, 2, "{no_key:?}");
    assert!(
        no_key.stderr.contains("COORD_TEST_UNSET_KEY_VARIABLE")
            && no_key.stderr.contains("not set"),
        "{no_key:?}"
    );

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(reply(&json!({"nothing": "useful"})))
        .mount(&server)
        .await;
    let (cwd, url) = (p.path().to_path_buf(), format!("{}/v1", server.uri()));
    let out = tokio::task::spawn_blocking(move || {
        crate::support::run_with_env(
            &cwd,
            &["brief-review", "brief.md", "--out", "runs/z"],
            &[
                ("COORD__LLM__BASE_URL", url.as_str()),
                ("COORD__LLM__FALLBACK", "rules"),
                ("COORD__LLM__MAX_REASKS", "0"),
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(out.code, 0, "{out:?}");
    let summary: Value =
        serde_json::from_slice(&std::fs::read(p.path().join("runs/z/summary.json")).unwrap())
            .unwrap();
    let steps = summary["agents"].as_array().unwrap();
    assert!(!steps.is_empty());
    for s in steps {
        assert_eq!(s["backend"], "llm → rules (fallback)", "{s}");
        assert!(
            s["fallback"].as_str().unwrap().contains("no reply matched"),
            "{s}"
        );
    }
    let events = std::fs::read_to_string(p.path().join("runs/z/events.jsonl")).unwrap();
    let finished_with_fallback = events
        .lines()
        .filter(|l| l.contains("agent_finished") && l.contains("\"fallback\":"))
        .count();
    assert_eq!(
        finished_with_fallback,
        steps.len(),
        "one recorded fallback per step: {events}"
    );
}
