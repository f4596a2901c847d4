//! The three bundled example input sets, run end to end through the real coordinator with the
//! sales rule agents; every checkable property of the quality rubric (SALES.md §8) is asserted
//! on each finished plan.

mod common;

use common::Run;
use coord_core::RunStatus;
use serde_json::Value;
use std::path::PathBuf;

async fn run(example: &str, variation: Option<&str>) -> Run {
    common::run(
        "sales-plan-development",
        vec![PathBuf::from(format!("examples/{example}"))],
        variation,
    )
    .await
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Every checkable property of the rubric, on one plan.
fn assert_rubric(name: &str, p: &Value) {
    let o = &p["objectives"];
    let (target, deal) = (f(&o["revenue_target"]), f(&o["avg_deal_size"]));
    let stages = p["pipeline"]["stages"].as_array().unwrap();
    // §1 deals and volumes reproduce the target, never short.
    assert_eq!(
        o["deals_needed"].as_u64().unwrap(),
        (target / deal).ceil() as u64,
        "{name}: deals"
    );
    let product: f64 = stages.iter().map(|s| f(&s["conversion_to_next"])).product();
    let forward = f(&stages[0]["target_volume"]) * product * deal;
    assert!(
        forward >= target - 1e-6,
        "{name}: forward {forward} short of {target}"
    );
    assert!(
        forward <= target * 1.05,
        "{name}: forward {forward} more than 5% over {target}"
    );
    for w in stages.windows(2) {
        let carried = f(&w[0]["target_volume"]) * f(&w[0]["conversion_to_next"]);
        assert!(
            (f(&w[1]["target_volume"]) - carried).abs() <= 1.0,
            "{name}: stage volumes not carried forward"
        );
    }
    // §2 every rate is the user's own or a cited benchmark.
    for s in stages {
        let src = s["conversion_source"].as_str().unwrap();
        assert!(
            src.starts_with("your") || src.contains("[S") || src.contains("`"),
            "{name}: uncited rate {src}"
        );
    }
    // §3 five stages, each complete.
    assert_eq!(stages.len(), 5);
    for s in stages {
        for k in ["entry_criteria", "exit_criteria", "owner"] {
            assert!(!s[k].as_str().unwrap().is_empty(), "{name}: stage {k}");
        }
        assert!(f(&s["conversion_to_next"]) > 0.0 && f(&s["conversion_to_next"]) <= 1.0);
    }
    // §4 coverage ≥ 1 / win rate.
    let win = f(&p["pipeline"]["win_rate"]);
    assert!(
        f(&p["pipeline"]["coverage_target"]) >= 1.0 / win - 1e-9,
        "{name}: coverage"
    );
    // §5 probabilities increase stage by stage.
    for w in stages.windows(2) {
        assert!(
            f(&w[1]["probability"]) >= f(&w[0]["probability"]),
            "{name}: probabilities"
        );
    }
    // §6 no revenue before one cycle has elapsed.
    let start: jiff::civil::Date = o["start_date"].as_str().unwrap().parse().unwrap();
    let cycle = o["sales_cycle_days"].as_i64().unwrap();
    for m in p["monthly_plan"].as_array().unwrap() {
        let month_end = start
            .checked_add(jiff::Span::new().months(m["month"].as_i64().unwrap()))
            .unwrap()
            .checked_sub(jiff::Span::new().days(1))
            .unwrap();
        let elapsed = (month_end - start).get_days() as i64;
        if elapsed < cycle {
            assert_eq!(
                f(&m["revenue_target"]),
                0.0,
                "{name}: revenue before one cycle in {}",
                m["label"]
            );
        }
    }
    // §7 weekly hours within the hours available; counts derive from the funnel (§8).
    let avail = f(&o["hours_per_week"]);
    let months = p["monthly_plan"].as_array().unwrap();
    assert_eq!(months.len() as u64, o["period_months"].as_u64().unwrap());
    let mut prospects = 0u64;
    for m in months {
        let weeks = m["weeks"].as_array().unwrap();
        assert!(
            (4..=5).contains(&weeks.len()),
            "{name}: {} weeks in {}",
            weeks.len(),
            m["label"]
        );
        for w in weeks {
            let sum: f64 = w["activities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| f(&a["hours"]))
                .sum();
            assert!(
                (sum - f(&w["total_hours"])).abs() < 0.02,
                "{name}: week total"
            );
            assert!(
                f(&w["total_hours"]) <= avail + 1e-9,
                "{name}: {} h > {avail} h",
                w["total_hours"]
            );
            for a in w["activities"].as_array().unwrap() {
                if a["name"].as_str().unwrap() == p["unit_times"][0]["activity"].as_str().unwrap() {
                    prospects += a["count"].as_u64().unwrap();
                }
            }
        }
    }
    if p["feasibility"]["feasible"].as_bool().unwrap() {
        // The period's own leads plus those carried into the next period.
        assert_eq!(
            prospects,
            stages[0]["target_volume"].as_u64().unwrap()
                + p["carry_over"]["leads"].as_u64().unwrap(),
            "{name}: weekly leads add up to the stage-1 volume and the carry-over"
        );
        let revenue: f64 = months.iter().map(|m| f(&m["revenue_target"])).sum();
        assert!(
            revenue >= f(&o["revenue_target"]) && revenue - f(&o["revenue_target"]) < deal,
            "{name}: monthly revenue {revenue} for the target (forward {forward})"
        );
        for m in months {
            assert_eq!(
                f(&m["revenue_target"]),
                f(&m["deals"]) * deal,
                "{name}: whole deals × deal size"
            );
        }
    }
    // §9, §10 three initiatives, complete, covering ≥ 2 journey stages.
    let ini = p["initiatives"].as_array().unwrap();
    assert_eq!(ini.len(), 3);
    let mut journey: Vec<&str> = ini
        .iter()
        .flat_map(|i| {
            i["journey_stages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
        })
        .collect();
    journey.sort();
    journey.dedup();
    assert!(journey.len() >= 2);
    for i in ini {
        assert!(!i["owner"].as_str().unwrap().is_empty());
        assert!(i["start"].as_str().unwrap() <= i["end"].as_str().unwrap());
        assert!(
            i["metrics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| f(&m["target"]) > 0.0)
        );
        assert!(f(&i["hours_per_week"]) >= 0.0 && f(&i["budget"]) >= 0.0);
    }
    // §11 spend within budget.
    let spend: f64 = ini.iter().map(|i| f(&i["budget"])).sum();
    assert!(
        spend <= f(&o["budget"]) + 1e-9,
        "{name}: spend {spend} over budget"
    );
    // §12–§14 integration.
    let integ = &p["integration"];
    assert!(integ["mql_definition"].as_str().unwrap().contains("ICP"));
    assert!(!integ["sql_acceptance"].as_str().unwrap().is_empty());
    assert!(
        f(&integ["sla"]["first_response_hours"]) <= 24.0
            && f(&integ["sla"]["high_intent_response_hours"]) <= 1.0
    );
    assert!(
        integ["sla"]["attempts"].as_u64().unwrap() >= 1
            && integ["sla"]["window_days"].as_u64().unwrap() >= 1
    );
    assert!(
        !p["business"]["qualification_framework"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    // §15, §16 KPIs in five families, standard customer-success definitions.
    let kpis = p["kpis"].as_array().unwrap();
    for fam in [
        "activity",
        "quality",
        "conversion",
        "revenue",
        "customer_success",
    ] {
        assert!(
            kpis.iter().any(|k| k["family"] == fam),
            "{name}: no {fam} KPI"
        );
    }
    let names: String = kpis
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join("|");
    assert!(
        names.contains("promoters 9–10 minus detractors 0–6")
            && names.contains("share of 4–5")
            && names.contains("expansion − contraction − churn")
    );
    // §17 risks.
    let risks = p["risks"].as_array().unwrap();
    assert!(risks.len() >= 5);
    for r in risks {
        assert!(
            r["trigger"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| c.is_ascii_digit()),
            "{name}: unmeasurable trigger"
        );
        assert!(
            !r["owner"].as_str().unwrap().is_empty()
                && !r["contingency"].as_str().unwrap().is_empty()
        );
    }
    // §18 reviews with dated quarters.
    let reviews = p["reviews"].as_array().unwrap();
    for c in ["weekly", "monthly"] {
        assert!(reviews.iter().any(|r| r["cadence"] == c));
    }
    let quarters = reviews
        .iter()
        .filter(|r| r["cadence"] == "quarterly")
        .count() as u64;
    assert_eq!(quarters, o["period_months"].as_u64().unwrap().div_ceil(3));
    // §19, §20 chassis reconciles and compounding is computed.
    for row in ["baseline", "target"] {
        let d = &p["chassis"][row];
        assert!(
            (f(&d["customers"]) - f(&d["leads"]) * f(&d["conversion"])).abs()
                <= 0.05 * f(&d["customers"]).max(1.0),
            "{name}: {row} customers"
        );
        assert!(
            (f(&d["revenue"]) - f(&d["customers"]) * f(&d["transactions"]) * f(&d["avg_sale"]))
                .abs()
                <= 0.01 * f(&d["revenue"]).max(100.0),
            "{name}: {row} revenue"
        );
        assert!(
            (f(&d["profit"]) - f(&d["revenue"]) * f(&d["margin"])).abs() <= 1.0,
            "{name}: {row} profit"
        );
    }
    assert!((f(&p["chassis"]["ten_percent_five_drivers_pct"]) - 61.05).abs() < 0.01);
    // §22 the same numbers everywhere.
    let deals_metric = ini[1]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Deals closed")
        .unwrap();
    if p["feasibility"]["feasible"].as_bool().unwrap() {
        assert_eq!(
            f(&deals_metric["target"]),
            f(&o["deals_needed"]),
            "{name}: deals differ between sections"
        );
    }
    // §23 assumptions are sourced.
    for a in p["assumptions"].as_array().unwrap() {
        assert!(!a["source"].as_str().unwrap().is_empty());
    }
    // The eight criteria were checked.
    assert_eq!(p["criteria"].as_array().unwrap().len(), 8);
}

fn assert_document(name: &str, md: &str) {
    for h in [
        "# Sales Plan",
        "## Sales Plan Overview",
        "### Resource Allocation",
        "## Lead Generation Strategy",
        "## Sales Activities and Initiatives",
        "### Initiative 3:",
        "## Pipeline Management",
        "### Pipeline Targets",
        "## Sales and Marketing Integration",
        "## Monthly Sales Planning",
        "## One-Page Summary",
        "## Performance Measurement",
        "### Customer Success Metrics",
        "## Risk Management and Contingency Planning",
        "## Continuous Improvement",
        "## Assumptions",
        "## Success Criteria Checklist",
    ] {
        assert!(md.contains(h), "{name}: sales-plan.md lacks `{h}`");
    }
    // No template slot left: no square brackets at all.
    assert!(
        !md.contains('[') && !md.contains(']'),
        "{name}: a `[...]` remains"
    );
    assert!(!md.contains("{{") && !md.contains("{%"));
    // Every table is whole: each row has its header's cells, and no fragment hangs loose (a
    // reviewer found `---|---|---|---|` after a table).
    let mut cells: Option<usize> = None;
    for l in md.lines() {
        assert!(!l.starts_with("---|"), "{name}: a table fragment: {l}");
        if l.starts_with('|') {
            let n = l.matches('|').count();
            let want = *cells.get_or_insert(n);
            assert_eq!(
                n, want,
                "{name}: a row with {n} cell marks in a table of {want}: {l}"
            );
        } else {
            cells = None;
        }
    }
}

fn assert_schema(name: &str, p: &Value) {
    let schema: Value = serde_json::from_str(coord_sales::SCHEMA).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = v
        .iter_errors(p)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
    // Every field the plan writes is described by the schema: no silent drift.
    let mut undescribed = Vec::new();
    described(&schema, &schema, p, "", &mut undescribed);
    assert!(
        undescribed.is_empty(),
        "{name}: not in the schema: {undescribed:?}"
    );
}

/// Walks `value` beside its `schema` (following local `$ref`s) and collects the object keys the
/// schema's `properties` do not name.
fn described(root: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix("#/")
            .map(|p| p.split('/').fold(root, |s, k| &s[k]))
            .unwrap_or(schema),
        None => schema,
    };
    if let Some(any) = schema
        .get("anyOf")
        .or(schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        for s in any {
            if s.get("type").and_then(Value::as_str) != Some("null") {
                described(root, s, value, at, out);
            }
        }
        return;
    }
    match value {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            for (k, v) in map {
                match props.and_then(|p| p.get(k)) {
                    Some(s) => described(root, s, v, &format!("{at}/{k}"), out),
                    None if props.is_some() => out.push(format!("{at}/{k}")),
                    None => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, v) in items.iter().enumerate().take(3) {
                    described(root, s, v, &format!("{at}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn solo_consultant() {
    let r = run("solo-consultant", None).await;
    assert_eq!(r.status, RunStatus::Completed, "{:?}", r.json["criteria"]);
    assert_rubric("solo", &r.json);
    assert_document("solo", &r.md);
    assert_schema("solo", &r.json);
    let p = &r.json;
    assert_eq!(p["business"]["variation"], "solopreneur");
    // Each channel says what its leads take and carries no more than it can give: referrals
    // what a handful of clients can introduce, events the two the roadmap names ("spring and
    // fall"), the "two ERP resellers" what two partners refer; the rest moves to LinkedIn, above
    // its goal, and says so (reviewers found 76 referrals, 19 events and 133 reseller referrals
    // planned where about 10, 2 and 12 were possible).
    let ch = p["channel_targets"].as_array().unwrap();
    let kind = |k: &str| ch.iter().find(|c| c["kind"] == k).unwrap();
    let referral = kind("referral");
    assert!(
        referral["effort"]
            .as_str()
            .unwrap()
            .contains("referral asks")
    );
    assert!(referral["leads"].as_u64().unwrap() <= 10, "{referral:?}");
    assert!(
        referral["source"]
            .as_str()
            .unwrap()
            .contains("held to what it can give"),
        "{referral:?}"
    );
    let event = kind("event");
    assert!(
        event["effort"].as_str().unwrap().contains("2 events"),
        "{event:?}"
    );
    let partner = kind("partner");
    assert!(partner["leads"].as_u64().unwrap() <= 12, "{partner:?}");
    assert!(
        partner["source"]
            .as_str()
            .unwrap()
            .contains("2 partners × 6 referred leads a year"),
        "{partner:?}"
    );
    let linkedin = kind("outreach");
    assert!(
        linkedin["source"]
            .as_str()
            .unwrap()
            .contains("instead of your 33% goal"),
        "{linkedin:?}"
    );
    assert!(
        ch.iter().all(|c| c["stretch"].is_null()),
        "nothing is a stretch"
    );
    assert!(!r.md.contains("cannot give all of these leads"));
    // Repeat work counts against the capacity the user wrote.
    assert_eq!(p["delivery"]["capacity"], 4);
    assert!(p["delivery"]["repeat_running"].as_u64().unwrap() >= 1);
    // The user's own rates, from their table, override benchmarks.
    let stages = p["pipeline"]["stages"].as_array().unwrap();
    assert_eq!(stages[0]["name"], "Introduction");
    assert_eq!(f(&stages[0]["conversion_to_next"]), 0.35);
    assert!(
        stages[0]["conversion_source"]
            .as_str()
            .unwrap()
            .contains("business-objectives.md:13")
    );
    // Solopreneur plans have no SDR/AE split and cap the hours.
    assert!(!r.md.contains("SDR") && !r.md.contains("Account Executive"));
    assert_eq!(f(&p["objectives"]["hours_per_week"]), 20.0);
    assert_eq!(p["objectives"]["deals_needed"], 14);
    // "One week in three is an on-site sprint, ... no more than 6 hours": every third week
    // stays within 6 h, the others within 20 h.
    let weeks: Vec<f64> = p["monthly_plan"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| {
            m["weeks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| f(&w["total_hours"]))
        })
        .collect();
    assert!(weeks.len() >= 52);
    for (k, h) in weeks.iter().enumerate() {
        let cap = if k % 3 == 0 { 6.0 } else { 20.0 };
        assert!(*h <= cap + 1e-6, "week {k}: {h} h over its {cap} h cap");
    }
    assert!(weeks.iter().step_by(3).any(|h| *h > 0.0));
}

#[tokio::test]
async fn scaling_saas_team() {
    let r = run("scaling-saas", None).await;
    assert_eq!(r.status, RunStatus::Completed, "{:?}", r.json["criteria"]);
    assert_rubric("saas", &r.json);
    assert_document("saas", &r.md);
    assert_schema("saas", &r.json);
    let p = &r.json;
    assert_eq!(p["business"]["variation"], "scaling");
    assert_eq!(p["business"]["qualification_framework"], "MEDDIC");
    // TOML and YAML inputs were read.
    assert_eq!(f(&p["objectives"]["revenue_target"]), 2_400_000.0);
    assert_eq!(f(&p["objectives"]["hours_per_week"]), 180.0);
    // Paid leads cost money: the campaign channel gets what its part of the budget buys at the
    // benchmark cost per lead (stated as an assumption), not an unlimited share; partners with no
    // number named say how many the plan needs.
    let ch = p["channel_targets"].as_array().unwrap();
    let kind = |k: &str| ch.iter().find(|c| c["kind"] == k).unwrap();
    let paid = kind("paid");
    let acquisition = f(&p["initiatives"][0]["budget"]);
    assert_eq!(f(&paid["budget"]), f(&paid["leads"]) * 150.0, "{paid:?}");
    assert!(f(&paid["budget"]) <= acquisition * 0.8 + 1.0, "{paid:?}");
    assert!(
        p["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["fact"] == "cost per paid lead"),
        "the cost per lead is an assumption"
    );
    assert!(
        kind("partner")["effort"]
            .as_str()
            .unwrap()
            .contains("active partners at 6 a year each"),
        "{:?}",
        kind("partner")
    );
    // Per-rep quotas and ramp.
    let acts = p["initiatives"][0]["activities"].as_array().unwrap();
    assert!(
        acts.iter()
            .any(|a| a.as_str().unwrap().starts_with("Per-rep quota"))
    );
    assert!(
        acts.iter()
            .any(|a| a.as_str().unwrap().contains("ramp over 3 months"))
    );
    // One AE for $2.4M is said to be more than a person carries, with the hires it takes.
    assert!(
        r.json["quota_check"]
            .as_str()
            .is_some_and(|q| q.contains("At least 3 AEs")),
        "{}",
        r.json["quota_check"]
    );
    // Owners by role, not the plan owner's name with a role in brackets.
    assert!(r.md.contains("| SDR |") && r.md.contains("| Account Executive |"));
    assert!(!r.md.contains("Dana Whitfield ("), "owners are roles");
}

#[tokio::test]
async fn service_agency() {
    let r = run("service-agency", None).await;
    // The proposal speaks of how the agency charges (projects: a fixed fee; a recruiter would
    // read "success fee").
    assert!(
        r.md.contains("fee terms and measurable outcomes"),
        "proposal terms"
    );
    assert_eq!(r.status, RunStatus::Completed, "{:?}", r.json["criteria"]);
    assert_rubric("agency", &r.json);
    assert_document("agency", &r.md);
    assert_schema("agency", &r.json);
    let p = &r.json;
    assert_eq!(p["business"]["variation"], "service");
    // A JSON file and a Markdown table supplied the facts; `Jan–Dec 2027` reads as 12 months.
    assert_eq!(f(&p["objectives"]["hours_per_week"]), 28.0);
    assert_eq!(p["objectives"]["period_months"], 12);
    assert_eq!(p["objectives"]["start_date"], "2027-01-04");
    // Service plans include the proposal step and a referral program.
    let stages: Vec<&str> = p["pipeline"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(stages.contains(&"Proposal"));
    assert!(
        p["initiatives"][2]["name"]
            .as_str()
            .unwrap()
            .contains("Referral")
    );
}

#[tokio::test]
async fn the_variation_changes_the_plan_materially() {
    let solo = run("solo-consultant", None).await;
    let scaled = run("solo-consultant", Some("scaling")).await;
    assert_eq!(scaled.json["business"]["variation"], "scaling");
    assert_ne!(
        solo.json["initiatives"][0]["name"],
        scaled.json["initiatives"][0]["name"]
    );
    // A team document, but one person is not split into SDR and AE roles.
    assert!(scaled.md.starts_with("# Sales Plan: team operating plan"));
    assert!(solo.md.starts_with("# Sales Plan: your year of selling"));
    assert!(!scaled.md.contains("| SDR |"), "one seller has no SDR role");
    assert_ne!(solo.json["risks"], scaled.json["risks"]);
}
