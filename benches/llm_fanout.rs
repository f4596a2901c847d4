//! Many LLM missions in flight at once in one process (issue 10): 1,000 missions of 6
//! sequential LLM calls against a mock OpenAI-compatible server written here, answering each
//! call after a fixed latency. The mock runs on its own runtime and threads, so it is never the
//! bottleneck. Prints the wall time (median of several rounds) against the critical path
//! (6 × latency), the peak RSS of the process, and the engine's own time per mission at 0 ms.
//!
//! Run: `cargo bench --bench llm_fanout` (`FANOUT_MISSIONS`, `FANOUT_LATENCY_MS`,
//! `FANOUT_ROUNDS` change the workload).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PHASES: usize = 6;

/// A mission of six phases, each led by one LLM agent: six calls one after another.
fn project(dir: &Path) {
    let mut m = String::from(
        "# Mission: Fanout\n\n**Duration:** 60 minutes\n\n## Mission Objective\n\nSix steps.\n\n## Required Inputs\n\n1. **Brief** (required) - The brief\n\n## Mission Phases\n\n",
    );
    for k in 1..=PHASES {
        m.push_str(&format!(
            "### Phase {k}: Step {k} (10 minutes)\n\n**Lead**: @step{k}\n**Objective**: Do step {k}\n\n"
        ));
    }
    m.push_str("## Success Criteria\n\n- [ ] Six steps done\n");
    std::fs::create_dir_all(dir.join("missions")).unwrap();
    std::fs::create_dir_all(dir.join("agents")).unwrap();
    std::fs::write(dir.join("missions/fanout.md"), m).unwrap();
    for k in 1..=PHASES {
        std::fs::write(
            dir.join(format!("agents/step{k}.md")),
            format!("---\nname: step{k}\ndescription: Step {k}\nbackend: llm\n---\nYou do step {k}. Answer in JSON.\n"),
        )
        .unwrap();
    }
    std::fs::write(dir.join("brief.md"), "# Brief\n\nPlan a launch.\n").unwrap();
}

/// The mock server, in a child process of its own (this binary with `FANOUT_MOCK` set), so its
/// memory and threads are not the engine's: HTTP/1.1 with keep-alive, a fixed reply after the
/// latency in the file `FANOUT_MOCK` names (changed between rounds).
fn start_mock(latency_file: &Path) -> (std::process::Child, String) {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .env("FANOUT_MOCK", latency_file)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    (child, format!("http://{}/v1", line.trim()))
}

fn serve_mock(latency_file: PathBuf) {
    let latency = Arc::new(AtomicU64::new(0));
    {
        let (latency, file) = (latency.clone(), latency_file.clone());
        std::thread::spawn(move || {
            loop {
                if let Some(ms) = std::fs::read_to_string(&file)
                    .ok()
                    .and_then(|t| t.trim().parse().ok())
                {
                    latency.store(ms, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
    }
    {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            println!("{}", l.local_addr().unwrap());
            let content = serde_json::json!({"deliverables": [{"title": "Step", "content": "Done."}], "notes": "ok"}).to_string();
            let body = serde_json::json!({
                "choices": [{"message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 40, "completion_tokens": 20}
            })
            .to_string();
            let reply: Arc<[u8]> = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
            .into();
            loop {
                let (mut sock, _) = l.accept().await.unwrap();
                let (reply, latency) = (reply.clone(), latency.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::with_capacity(16 * 1024);
                    loop {
                        // Headers, then the body by its content-length.
                        let head_end = loop {
                            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                                break i + 4;
                            }
                            let mut chunk = [0u8; 8192];
                            match sock.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        };
                        let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
                        let len: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(0);
                        while buf.len() < head_end + len {
                            let mut chunk = [0u8; 8192];
                            match sock.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        }
                        buf.drain(..head_end + len);
                        let ms = latency.load(Ordering::Relaxed);
                        if ms > 0 {
                            tokio::time::sleep(Duration::from_millis(ms)).await;
                        }
                        if sock.write_all(&reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    }
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

async fn round(engine: &coord_core::Engine, dir: &Path, n: usize) -> f64 {
    let t0 = Instant::now();
    let runs: Vec<_> = (0..n)
        .map(|k| {
            let engine = engine.clone();
            let req = coord_core::RunRequest {
                mission: "fanout".into(),
                context: vec![PathBuf::from("brief.md")],
                out: Some(PathBuf::from(format!("memory/{k}"))),
                cwd: dir.to_path_buf(),
                in_memory: true,
                ..Default::default()
            };
            tokio::spawn(async move { engine.run(req).await })
        })
        .collect();
    for r in runs {
        let report = r.await.unwrap().unwrap();
        assert_eq!(report.stats.len(), PHASES);
    }
    t0.elapsed().as_secs_f64()
}

fn main() {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let n = env("FANOUT_MISSIONS", 1000) as usize;
    let latency_ms = env("FANOUT_LATENCY_MS", 200);
    let rounds = env("FANOUT_ROUNDS", 5) as usize;
    if let Ok(file) = std::env::var("FANOUT_MOCK") {
        return serve_mock(PathBuf::from(file));
    }
    let dir = tempfile::tempdir().unwrap();
    let latency_file = dir.path().join("latency");
    std::fs::write(&latency_file, latency_ms.to_string()).unwrap();
    let (mut mock, url) = start_mock(&latency_file);
    std::thread::sleep(Duration::from_millis(100));
    project(dir.path());
    let mut settings = coord_core::Settings::defaults();
    settings.llm.base_url = url;
    settings.llm.retries = 0;
    let engine = coord_core::Engine::new(coord::default_registry(), settings);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let walls: Vec<f64> = (0..rounds)
        .map(|_| rt.block_on(round(&engine, dir.path(), n)))
        .collect();
    let critical = PHASES as f64 * latency_ms as f64 / 1000.0;
    let wall = median(walls.clone());
    println!(
        "{n} missions × {PHASES} sequential calls at {latency_ms} ms, all in flight, in-process: wall median {wall:.2} s over {rounds} rounds ({:.2}× the {critical:.1} s critical path; rounds {}), peak RSS {:.0} MB (the mock is another process)",
        wall / critical,
        walls
            .iter()
            .map(|w| format!("{w:.2}"))
            .collect::<Vec<_>>()
            .join(", "),
        peak_rss_mb()
    );
    std::fs::write(&latency_file, "0").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let zero: Vec<f64> = (0..rounds)
        .map(|_| rt.block_on(round(&engine, dir.path(), n)))
        .collect();
    println!(
        "at 0 ms latency: {:.3} ms of engine time per mission (median of {rounds} rounds of {n})",
        median(zero) / n as f64 * 1000.0
    );
    let _ = mock.kill();
}
