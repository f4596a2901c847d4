//! The plan agrees with itself: the consistency check passes on the three examples and on random
//! valid inputs run end to end, and fails on a plan broken on purpose; no risk trigger fires in
//! more than a tenth of the plan's own weeks; the one-page summary stays within 60 lines. The
//! share of lines two variations of one example have in common (names and numbers masked) is
//! under half.

mod common;

use coord_sales::consistency;
use coord_sales::render::SalesPlanJson;
use coord_sales::render::{self, group};
use proptest::prelude::*;
use std::path::PathBuf;

fn plan_of(run: &common::Run) -> SalesPlanJson {
    serde_json::from_value(run.json.clone()).expect("sales-plan.json reads back")
}

async fn example(name: &str, variation: Option<&str>) -> common::Run {
    common::run(
        "sales-plan-development",
        vec![PathBuf::from(format!("examples/{name}"))],
        variation,
    )
    .await
}

const EXAMPLES: [&str; 3] = ["solo-consultant", "scaling-saas", "service-agency"];

#[tokio::test]
async fn the_examples_agree_with_themselves_and_a_broken_plan_does_not() {
    for name in EXAMPLES {
        let r = example(name, None).await;
        let plan = plan_of(&r);
        assert_eq!(consistency::check(&plan), Vec::<String>::new(), "{name}");
        for (risk, fired, weeks) in consistency::trigger_rates(&plan) {
            assert!(
                fired * 10 <= weeks,
                "{name}: `{risk}` fires in {fired} of {weeks} weeks"
            );
        }
        // The summary opens the document, fits on a page, and states the target, the deals,
        // the leads, the weekly hours and the three initiatives (each variation in its own form).
        let lines: Vec<&str> = r.md.lines().collect();
        let at = lines
            .iter()
            .position(|l| *l == "## One-Page Summary")
            .expect("a summary");
        assert!(at < 12, "{name}: the summary starts at line {at}");
        let head: Vec<&str> = lines[at + 1..]
            .iter()
            .take_while(|l| !l.starts_with("## "))
            .copied()
            .collect();
        assert!(head.len() <= 60, "{name}: summary of {} lines", head.len());
        let summary = head.join("\n");
        let deals: u32 = plan.monthly_plan.iter().map(|m| m.deals).sum();
        let leads = u64::from(plan.pipeline.stages[0].target_volume);
        let mut must = vec![
            render::money(&plan.objectives.currency, plan.objectives.revenue_target),
            format!("{deals} "),
            group(leads),
            " h".to_string(),
            "Day 90".to_string(),
        ];
        must.extend(plan.initiatives.iter().map(|i| format!("**{}**", i.name)));
        for m in must {
            assert!(summary.contains(&m), "{name}: summary lacks {m}\n{summary}");
        }
        // A team with roles gets a new-hire table; a later start never carries more.
        assert_eq!(
            !plan.hires.is_empty(),
            plan.team.len() > 1,
            "{name}: hires {:?}",
            plan.hires
        );
        if plan.hires.len() > 1 {
            let mut broken = plan.clone();
            broken.hires[1].quota = broken.hires[0].quota + 1;
            assert!(
                consistency::check(&broken)
                    .iter()
                    .any(|f| f.contains("of a hire from")),
                "{name}"
            );
        }
        // Retention that contradicts the renewals line (a reviewer found 100% against 72%).
        let mut broken = plan.clone();
        if let Some(k) = broken
            .kpis
            .iter_mut()
            .find(|k| k.name.starts_with("Net revenue retention"))
        {
            k.target += 20.0;
            assert!(
                consistency::check(&broken)
                    .iter()
                    .any(|f| f.contains("net revenue retention")),
                "{name}"
            );
        }
        // Broken on purpose: one month's revenue, the Chassis, a KPI, a risk that always fires.
        let mut broken = plan.clone();
        broken.monthly_plan[5].revenue_target += broken.objectives.avg_deal_size;
        let found = consistency::check(&broken);
        assert!(
            found
                .iter()
                .any(|f| f.contains(&broken.monthly_plan[5].label)),
            "{name}: {found:?}"
        );
        let mut broken = plan.clone();
        broken.chassis.target.revenue *= 1.4;
        assert!(
            consistency::check(&broken)
                .iter()
                .any(|f| f.contains("Chassis")),
            "{name}"
        );
        let mut broken = plan.clone();
        let first = broken.unit_times[0].activity.clone();
        let k = broken
            .kpis
            .iter_mut()
            .find(|k| k.name.starts_with(&first))
            .expect("a lead KPI");
        k.target *= 2.0;
        assert!(
            consistency::check(&broken)
                .iter()
                .any(|f| f.contains("KPI")),
            "{name}"
        );
        let mut broken = plan.clone();
        let r = broken
            .risks
            .iter_mut()
            .find(|r| {
                r.check
                    .as_ref()
                    .is_some_and(|c| c.metric == "selling_hours" || c.metric == "new_leads")
            })
            .unwrap();
        r.check.as_mut().unwrap().threshold = 1e9;
        assert!(
            consistency::check(&broken)
                .iter()
                .any(|f| f.contains("trigger")),
            "{name}"
        );
    }
}

/// Lines with numbers masked, for comparing variations.
fn masked(md: &str) -> Vec<String> {
    md.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut out = String::new();
            let mut prev_digit = false;
            for c in l.chars() {
                let d = c.is_ascii_digit() || (prev_digit && (c == ',' || c == '.'));
                if d && !prev_digit {
                    out.push('N');
                } else if !d {
                    out.push(c);
                }
                prev_digit = d;
            }
            out
        })
        .collect()
}

/// Share of the shorter document's lines that the other has too (as a multiset).
fn shared(a: &[String], b: &[String]) -> f64 {
    let mut pool: std::collections::HashMap<&str, i32> = Default::default();
    for l in b {
        *pool.entry(l).or_default() += 1;
    }
    let mut n = 0;
    for l in a {
        if let Some(c) = pool.get_mut(l.as_str())
            && *c > 0
        {
            *c -= 1;
            n += 1;
        }
    }
    f64::from(n) / a.len().min(b.len()).max(1) as f64
}

#[tokio::test]
async fn variations_of_one_example_differ() {
    for name in EXAMPLES {
        let mut docs = Vec::new();
        for v in ["solopreneur", "scaling", "service"] {
            let r = example(name, Some(v)).await;
            assert_eq!(
                consistency::check(&plan_of(&r)),
                Vec::<String>::new(),
                "{name} {v}"
            );
            docs.push((v, masked(&r.md)));
        }
        for i in 0..3 {
            for j in i + 1..3 {
                let s = shared(&docs[i].1, &docs[j].1);
                println!(
                    "{name}: {} vs {}: {:.0}% of lines shared",
                    docs[i].0,
                    docs[j].0,
                    s * 100.0
                );
                // Issue 8: with names and numbers masked, under half the lines in common.
                assert!(
                    s < 0.5,
                    "{name}: {} and {} share {:.0}%",
                    docs[i].0,
                    docs[j].0,
                    s * 100.0
                );
            }
        }
    }
}

/// A small practice written in prose (found in review): a velocity rounded to whole dollars
/// a day failed the check, an engagement letter was not read as the signature, a retainer was
/// counted as an eight-week engagement, and a listed source kept its preposition.
#[tokio::test]
async fn a_small_retainer_practice_in_prose() {
    let dir = tempfile::tempdir().unwrap();
    for (file, text) in [
        (
            "about-us.md",
            "# Harbour Bookkeeping\n\nWe're a two-person bookkeeping practice. For 2027 we want to bring in $96,000 of new annual contracts. Most work comes through referrals from accountants and from happy clients.\n",
        ),
        (
            "how-we-sell.md",
            "# How we sell\n\nOur typical client signs a monthly retainer worth about $4,800 a year. Deals usually take 3 weeks from first call to signature.\n\nOur pipeline has four steps: enquiry, intro call, books review, engagement letter.\nAbout half of enquiries book an intro call. Two thirds of intro calls lead to a books review. 60% of reviews end in a signed engagement letter.\n",
        ),
        (
            "our-time.md",
            "# Time and money\n\nBetween the two of us we can give sales about 8 hours a week. We have a $3,000 marketing budget for the year. We have 22 clients today.\n",
        ),
    ] {
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    let ctx = vec![dir.path().to_path_buf()];
    let r = common::run_in(dir, "sales-plan-development", ctx, None).await;
    let plan = plan_of(&r);
    assert_eq!(consistency::check(&plan), Vec::<String>::new());
    let names: Vec<&str> = plan
        .pipeline
        .stages
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names.last(), Some(&"Engagement letter"), "{names:?}");
    assert!((plan.pipeline.overall_conversion - 0.2).abs() < 0.01);
    assert!(
        plan.delivery.is_none(),
        "a retainer is not an engagement with an end"
    );
    assert!(r.md.contains("retainers without an end"));
    assert!(
        plan.channel_targets
            .iter()
            .any(|c| c.channel == "happy clients" && c.kind == "referral")
    );
}

prop_compose! {
    fn inputs()(
        target in 20_000u32..3_000_000,
        deal in 2_000u32..120_000,
        cycle in 14u32..120,
        hours in 4u32..40,
        team in 1u32..7,
        budget in 0u32..100_000,
        rates in proptest::collection::vec(10u32..90, 4),
        kind in 0usize..3,
        customers in 0u32..60,
    ) -> (String, String) {
        let kinds = ["solopreneur", "scaling B2B team", "service agency"];
        (
            format!(
                "# Business Objectives\n\n- Revenue target: ${target}\n- Planning period: 12 months starting 2027-01-01\n- Average deal size: ${deal}\n- Sales cycle: {cycle} days\n- Current customers: {customers}\n\n| Stage | Rate |\n|---|---|\n| Lead → Discovery | {}% |\n| Discovery → Demo | {}% |\n| Demo → Proposal | {}% |\n| Proposal → Contract | {}% |\n",
                rates[0], rates[1], rates[2], rates[3]
            ),
            format!(
                "# Resource Constraints\n\n- Hours per week for selling: {hours}\n- Team size: {team}\n- Sales budget: ${budget}\n- Business type: {}\n",
                kinds[kind]
            ),
        )
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_valid_inputs_give_a_plan_that_agrees_with_itself((objectives, constraints) in inputs()) {
        let dir = tempfile::tempdir().unwrap();
        let bible = "# Sales Bible\n\n## Sales Pipeline\n\n**Stage 1: Lead**\n**Stage 2: Discovery**\n**Stage 3: Demo**\n**Stage 4: Proposal**\n**Stage 5: Contract**\n- Objective: signed contract\n";
        for (file, text) in [("objectives.md", objectives.as_str()), ("constraints.md", constraints.as_str()), ("sales-bible.md", bible)] {
            std::fs::write(dir.path().join(file), text).unwrap();
        }
        let ctx = vec![dir.path().to_path_buf()];
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let r = rt.block_on(common::run_in(dir, "sales-plan-development", ctx, None));
        let plan = plan_of(&r);
        prop_assert_eq!(consistency::check(&plan), Vec::<String>::new());
    }
}
