//! A visible skip: a test that cannot run here says why on the terminal (cargo does not hide
//! this line, as it hides a passing test's prints) and records it in `COORD_SKIP_LOG` when that
//! is set, so `.ci/run` can count skips and fail on any.

use std::io::Write;

/// Records that `test` was skipped because of `reason`.
pub fn skip(test: &str, reason: &str) {
    let line = format!("SKIP {test}: {reason}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    if let Ok(log) = std::env::var("COORD_SKIP_LOG")
        && let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
    {
        let _ = f.write_all(line.as_bytes());
    }
}
