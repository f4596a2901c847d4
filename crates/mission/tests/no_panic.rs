//! Property test: the parsers never panic, whatever the input. Inputs are corpus files mutated
//! line by line (deleted, duplicated, swapped, truncated at any character) and random text drawn
//! from the characters that matter to the grammar. Run longer with `PROPTEST_CASES=20000`.

use coord_mission::{parse_agent_file, parse_mission};
use proptest::prelude::*;
use std::path::Path;

fn seed_lines() -> Vec<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../missions/sales/sales-plan-development.md");
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .split('\n')
        .map(str::to_string)
        .collect()
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Truncate(usize, usize),
    Insert(usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Truncate(a, b)),
        (
            any::<usize>(),
            "[#*@`\\-\\[\\]() :|0-9a-zé🎯ðŸŽ¯\u{fe0f}\t]{0,40}"
        )
            .prop_map(|(a, s)| Edit::Insert(a, s)),
    ]
}

fn apply(lines: &mut Vec<String>, e: &Edit) {
    if lines.is_empty() {
        return;
    }
    let n = lines.len();
    match e {
        Edit::Delete(i) => {
            lines.remove(i % n);
        }
        Edit::Duplicate(i) => {
            let l = lines[i % n].clone();
            lines.insert(i % n, l);
        }
        Edit::Swap(a, b) => lines.swap(a % n, b % n),
        Edit::Truncate(i, at) => {
            let l = &mut lines[i % n];
            let chars: Vec<char> = l.chars().collect();
            if !chars.is_empty() {
                *l = chars[..at % chars.len()].iter().collect();
            }
        }
        Edit::Insert(i, s) => lines.insert(i % n, s.clone()),
    }
}

proptest! {
    #[test]
    fn mutated_seed_never_panics(edits in proptest::collection::vec(edit(), 0..30)) {
        let mut lines = seed_lines();
        for e in &edits {
            apply(&mut lines, e);
        }
        let src = lines.join("\n");
        let p = parse_mission(&src, Path::new("m.md"));
        // Whatever survives must be internally consistent.
        for ph in &p.mission.phases {
            prop_assert!(ph.line >= 1);
        }
        let _ = parse_agent_file(&src, Path::new("a.md"));
    }

    #[test]
    fn random_markdown_never_panics(src in "([#*@`\\-\\[\\]():|>~ \n0-9A-Za-z→é🛤️]|Phase |Lead|\\*\\*|```){0,400}") {
        let _ = parse_mission(&src, Path::new("r.md"));
        let fm = format!("---\n{src}\n---\nbody");
        let _ = parse_agent_file(&fm, Path::new("r.md"));
    }
}
