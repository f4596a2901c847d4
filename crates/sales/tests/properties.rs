//! Property tests over random valid inputs: whatever the target, deal size, cycle, hours, team,
//! budget and conversion rates, the plan's volumes reproduce the target (never short, at most 5%
//! over beyond one top-of-funnel entry), no week plans more hours than are available, and spend
//! stays within the budget. Inputs are written as a user would write them and go through the same
//! fact reader as real documents.

use coord_core::inputs::{Bound, ContextFile, Inputs, MatchedBy};
use coord_sales::{facts, foundation, funnel, sections};
use proptest::prelude::*;
use std::path::PathBuf;

fn inputs(objectives: String, constraints: String, bible: String) -> Inputs {
    let mut i = Inputs::default();
    for (name, file, text) in [
        ("Business Objectives", "objectives.md", objectives),
        ("Resource Constraints", "constraints.md", constraints),
        ("Sales Bible", "bible.md", bible),
    ] {
        i.bound.entry(name.to_string()).or_default().push(Bound {
            file: ContextFile {
                path: PathBuf::from(file),
                text,
                title: None,
                declared_input: None,
            },
            matched_by: MatchedBy::Explicit,
            reason: None,
        });
    }
    i
}

prop_compose! {
    fn plan_inputs()(
        target in 20_000u32..5_000_000,
        deal in 1_000u32..150_000,
        cycle in 7u32..150,
        months in 6u32..=24,
        hours in 2u32..40,
        team in 1u32..8,
        budget in 0u32..200_000,
        rates in proptest::collection::vec(5u32..95, 4),
        own_rates in any::<bool>(),
        kind in 0usize..3,
    ) -> (Inputs, f64, f64, f64, f64) {
        let kinds = ["solopreneur", "scaling B2B team", "service agency"];
        let table = if own_rates {
            format!(
                "| Stage | Rate |\n|---|---|\n| Lead → Discovery | {}% |\n| Discovery → Demo | {}% |\n| Demo → Proposal | {}% |\n| Proposal → Contract | {}% |\n",
                rates[0], rates[1], rates[2], rates[3]
            )
        } else {
            String::new()
        };
        let objectives = format!(
            "# Objectives\n\n- Revenue target: ${target}\n- Planning period: {months} months starting 2027-01-01\n- Average deal size: ${deal}\n- Sales cycle: {cycle} days\n\n{table}"
        );
        let constraints = format!(
            "# Constraints\n\n- Hours per week for selling: {hours}\n- Team size: {team}\n- Sales budget: ${budget}\n- Business type: {}\n",
            kinds[kind]
        );
        let bible = "# Sales Bible\n\n## Sales Pipeline\n\n**Stage 1: Lead**\n**Stage 2: Discovery**\n**Stage 3: Demo**\n**Stage 4: Proposal**\n**Stage 5: Contract**\n- Objective: signed contract\n".to_string();
        (inputs(objectives, constraints, bible), f64::from(target), f64::from(deal), f64::from(hours * team), f64::from(budget))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn volumes_reproduce_the_target_hours_and_spend_fit((inp, target, deal, available, budget) in plan_inputs()) {
        let (facts, diags) = facts::read(&inp);
        prop_assert!(diags.is_empty(), "{:?}", diags);
        let today = jiff::civil::Date::new(2026, 11, 30).unwrap();
        let f = foundation::resolve(&facts, None, today);
        prop_assert_eq!(f.objectives.revenue_target, target);
        prop_assert_eq!(f.objectives.avg_deal_size, deal);
        let cap = sections::capacity::capacity(&f);
        // Volumes, multiplied forward, reproduce the target: never short; at most 5% over,
        // beyond the granularity of one top-of-funnel entry.
        let full = &cap.full;
        let forward = f64::from(full.volumes[0]) * full.overall * deal;
        prop_assert!(forward >= target - 1e-6, "forward {} < target {}", forward, target);
        prop_assert!(forward <= target * 1.05 + deal * full.overall + 1e-6, "forward {} ≫ target {}", forward, target);
        // No week asks for more hours than exist.
        let ct = sections::pipeline::conversion_targets(&f);
        let p = sections::pipeline::pipeline(&f, &ct, &cap);
        let am = sections::execution::activity_model(&f, &cap);
        let months = sections::execution::monthly_plan(&f, &am, &p);
        for m in &months {
            prop_assert!((4..=5).contains(&m.weeks.len()));
            for w in &m.weeks {
                prop_assert!(w.total_hours <= available + 1e-6, "week {} needs {} h of {}", w.start, w.total_hours, available);
            }
        }
        // Planned spend within the budget.
        let ini = sections::initiatives::initiatives(&f, &cap);
        let spend: f64 = ini.iter().map(|i| i.budget).sum();
        prop_assert!(spend <= budget + 1e-6);
        // A feasible plan's schedule reaches the target within the hours; when the hours do not
        // allow the target, the plan says so, shows what is reachable and offers options.
        let scheduled = cap.scheduled.revenue(deal);
        if cap.feasibility.feasible {
            prop_assert!(scheduled >= target - 1e-6, "feasible but the schedule reaches {} of {}", scheduled, target);
        } else {
            prop_assert!(cap.feasibility.options.len() >= 2);
            prop_assert!(!cap.feasibility.gap.is_empty());
            prop_assert!(cap.feasibility.achievable_revenue < target);
        }
        if funnel::build(&f, 1.0).peak_hours() > available + 1e-6 && scheduled < target - 1e-6 && full.creation_weeks > 0 {
            prop_assert!(!cap.feasibility.feasible);
        }
    }
}
