//! The shared BOS-AI corpus: every family A and B mission parses into phases with agents and no
//! error; other families parse into what structure they have; nothing panics.

use coord_mission::{Parsed, load_mission, parse_agent_file};
use std::path::{Path, PathBuf};

#[path = "../../../tests/skip.rs"]
mod skip;

/// The whole shared corpus (CI lays it beside the checkout), if present.
fn full_corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/bos-ai");
    p.is_dir().then_some(p)
}

/// The corpus for the tests that read named files: the whole one, or the fixture set committed
/// with the project (`tests/fixtures/bos-ai`, MIT, with its notice).
fn corpus() -> PathBuf {
    full_corpus().unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bos-ai")
    })
}

fn md_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(md_files(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn load(rel: &str) -> Parsed {
    let p = corpus().join("missions").join(rel);
    load_mission(&p).unwrap_or_else(|e| panic!("{e}"))
}

/// (file, phases, agents per phase as "lead/support" counts)
fn shape(p: &Parsed) -> (usize, Vec<(usize, usize)>) {
    let m = &p.mission;
    (
        m.phases.len(),
        m.phases
            .iter()
            .map(|ph| (ph.lead.len(), ph.support.len()))
            .collect(),
    )
}

/// Families A and B: `### Phase N:` headings with `**Lead**`/`**Lead Agent**` lines.
fn is_family_a_or_b(src: &str) -> bool {
    src.contains("\n### Phase ") && (src.contains("\n**Lead**:") || src.contains("\n**Lead Agent"))
}

#[test]
fn every_family_a_and_b_mission_has_phases_with_agents_and_no_error() {
    if full_corpus().is_none() {
        return skip::skip(
            "every_family_a_and_b_mission_has_phases_with_agents_and_no_error",
            "the shared BOS-AI corpus (../shared/corpus/bos-ai) is not beside the checkout",
        );
    }
    let root = corpus().join("missions");
    let files = md_files(&root);
    assert!(files.len() > 80, "corpus missing at {}", root.display());
    let mut checked = 0;
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        // Templates document the format inside fences; they are not mission definitions.
        if !is_family_a_or_b(&src) || f.components().any(|c| c.as_os_str() == "templates") {
            continue;
        }
        let p = load_mission(&f).unwrap();
        let errors: Vec<String> = p
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
        assert!(!p.mission.phases.is_empty(), "{}: no phases", f.display());
        for ph in &p.mission.phases {
            assert!(
                !ph.lead.is_empty(),
                "{}: {} has no lead",
                f.display(),
                ph.label()
            );
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} family A/B files found");
}

#[test]
fn representative_missions_have_the_expected_shape() {
    // (file, phases, [(leads, supports)], steps of phase 1, deliverables of phase 1)
    type Case<'a> = (&'a str, usize, &'a [(usize, usize)], usize, usize);
    let cases: &[Case<'_>] = &[
        (
            "missions/sales/sales-plan-development.md",
            3,
            &[(1, 1), (1, 1), (1, 1)],
            6,
            4,
        ),
        (
            "missions/marketing/campaign-launch.md",
            5,
            &[(1, 2), (1, 2), (1, 1), (1, 1), (1, 1)],
            6,
            0,
        ),
        (
            "missions/customer-service/service-excellence-transformation.md",
            4,
            &[(1, 2), (1, 2), (1, 1), (1, 2)],
            6,
            0,
        ),
        (
            "missions/mission-build.md",
            7,
            &[(1, 0), (1, 1), (1, 1), (1, 1), (1, 1), (1, 1), (1, 1)],
            5,
            0,
        ),
        (
            "missions/mission-deploy.md",
            5,
            &[(1, 0), (1, 0), (1, 2), (1, 2), (1, 1)],
            5,
            0,
        ),
        (
            "missions/operation-genesis.md",
            9,
            &[
                (1, 0),
                (1, 1),
                (1, 1),
                (1, 1),
                (1, 1),
                (1, 0),
                (1, 1),
                (2, 0),
                (2, 0),
            ],
            5,
            0,
        ),
        (
            "dot-claude/missions/sales-system-setup.md",
            3,
            &[(1, 1), (1, 1), (1, 3)],
            6,
            0,
        ),
        (
            "missions/marketing/marketing-system-setup.md",
            4,
            &[(1, 1), (1, 1), (1, 1), (1, 3)],
            10,
            0,
        ),
        (
            "missions/discovery/market-research.md",
            5,
            &[(0, 0); 5],
            4,
            1,
        ),
        (
            "missions/business-setup/core-asset-creation.md",
            5,
            &[(0, 0); 5],
            6,
            0,
        ),
        (
            "missions/sequences/product-launch-sequence.md",
            7,
            &[(1, 0); 7],
            4,
            0,
        ),
        ("missions/dev-setup.md", 7, &[(1, 0); 7], 0, 0),
    ];
    for &(file, phases, roles, steps, deliverables) in cases {
        let p = load(file);
        let m = &p.mission;
        assert_eq!(shape(&p), (phases, roles.to_vec()), "{file}");
        assert_eq!(m.phases[0].steps().len(), steps, "{file} phase 1 steps");
        if deliverables > 0 {
            assert_eq!(
                m.phases[0].deliverables.len(),
                deliverables,
                "{file} phase 1 deliverables"
            );
        }
    }
    // Families without phase roles name their agents at mission level.
    assert_eq!(
        load("missions/discovery/market-research.md")
            .mission
            .agents
            .len(),
        4
    );
    let d = load("missions/sales/sales-plan-development.md");
    let names: Vec<&str> = d.mission.phases[1]
        .support
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["conversion-optimization"]);
}

#[test]
fn readmes_and_indexes_are_not_missions() {
    for f in [
        "missions/README.md",
        "missions/sales/README.md",
        "missions/library.md",
        "docs/missions/README.md",
    ] {
        assert!(!load(f).looks_like_mission(), "{f}");
    }
}

#[test]
fn every_agent_file_parses() {
    if full_corpus().is_none() {
        return skip::skip(
            "every_agent_file_parses",
            "the shared BOS-AI corpus (../shared/corpus/bos-ai) is not beside the checkout",
        );
    }
    let files = md_files(&corpus().join("agents"));
    assert_eq!(files.len(), 42);
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        let a = parse_agent_file(&src, &f).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(
            a.name,
            f.file_stem().unwrap().to_string_lossy(),
            "{}",
            f.display()
        );
        assert!(!a.prompt.trim().is_empty());
    }
}
