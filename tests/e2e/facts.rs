//! Key facts on the terminal: whatever subset of the key facts the documents give, every one
//! left out is a visible warning (with the line to add), and `--strict` refuses to run (exit 2)
//! without writing a run directory.

use crate::support::Project;
use proptest::prelude::*;

/// (key fact as coord names it, the line that gives it).
const FACTS: [(&str, &str, &str); 6] = [
    (
        "average deal size",
        "Business Objectives",
        "- Average deal size: $20,000",
    ),
    (
        "sales cycle",
        "Business Objectives",
        "- Sales cycle: 45 days",
    ),
    (
        "planning period",
        "Business Objectives",
        "- Planning period: 12 months starting 2027-01-01",
    ),
    (
        "selling hours per week",
        "Resource Constraints",
        "- Hours per week for selling: 15",
    ),
    ("team size", "Resource Constraints", "- Team size: 1"),
    (
        "sales budget",
        "Resource Constraints",
        "- Sales budget: $5,000",
    ),
];

fn project(given: u8) -> Project {
    let p = Project::new();
    let lines = |input: &str| -> String {
        FACTS
            .iter()
            .enumerate()
            .filter(|(i, (_, inp, _))| given & (1 << i) != 0 && *inp == input)
            .map(|(_, (_, _, l))| format!("{l}\n"))
            .collect()
    };
    p.write(
        "ctx/sales-bible.md",
        "# Sales Bible\n\n**Stage 1: Discovery**\n",
    );
    p.write(
        "ctx/vision-mission.md",
        "# Vision & Mission\n\nHelp small firms grow.\n",
    );
    p.write(
        "ctx/business-objectives.md",
        &format!(
            "# Business Objectives\n\n- Revenue target: $240,000\n{}",
            lines("Business Objectives")
        ),
    );
    p.write(
        "ctx/resource-constraints.md",
        &format!(
            "# Resource Constraints\n\n{}",
            lines("Resource Constraints")
        ),
    );
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn every_defaulted_key_fact_is_a_warning_and_strict_refuses(given in 0u8..64) {
        let p = project(given);
        let out = p.coord(&["sales-plan-development", "ctx", "--out", "runs/a"]);
        prop_assert!(out.code == 0 || out.code == 1, "{out:?}");
        for (i, (fact, _, _)) in FACTS.iter().enumerate() {
            let warned = out.stderr.lines().any(|l| l.contains("warning") && l.contains(&format!("{fact} not found")));
            if given & (1 << i) == 0 {
                prop_assert!(warned, "no warning for the defaulted {fact}: {out:?}");
            } else {
                prop_assert!(!warned, "{fact} was given but warned: {out:?}");
            }
        }
        // Stage rates are never given here: always a default.
        prop_assert!(out.stderr.contains("stage conversion rates not found"), "{out:?}");
        let strict = p.coord(&["sales-plan-development", "ctx", "--out", "runs/b", "--strict"]);
        prop_assert_eq!(strict.code, 2, "{:?}", strict);
        prop_assert!(strict.stderr.contains("strict"), "{:?}", strict);
        prop_assert!(!p.path("runs/b").exists());
    }
}

#[test]
fn coord_plan_shows_key_facts_with_sources() {
    let p = project(0b111111);
    let out = p.coord(&["plan", "sales-plan-development", "ctx"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("Key facts"), "{out:?}");
    assert!(
        out.stdout
            .contains("ctx/business-objectives.md:3 (Revenue target)"),
        "{out:?}"
    );
    let json = p.coord(&["plan", "sales-plan-development", "ctx", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let facts = v["key_facts"].as_array().unwrap();
    let target = facts
        .iter()
        .find(|k| k["fact"] == "revenue target")
        .unwrap();
    assert_eq!(target["defaulted"], false);
    assert_eq!(target["value"], "$240,000");
    let rates = facts
        .iter()
        .find(|k| k["fact"] == "stage conversion rates")
        .unwrap();
    assert_eq!(rates["defaulted"], true);
}
