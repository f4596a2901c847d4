//! The user's limits and pipeline, obeyed in the finished plan: documents written in prose and
//! tables, run end to end through the real coordinator with the sales rule agents.

mod common;

use common::{Run, repo};
use coord_core::RunStatus;
use serde_json::Value;

async fn run(files: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let mission = repo().join("missions/sales/sales-plan-development.md");
    let context = vec![dir.path().to_path_buf()];
    common::run_in(dir, &mission.display().to_string(), context, None).await
}

fn weeks(p: &Value) -> Vec<(String, f64, Vec<String>)> {
    p["monthly_plan"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["weeks"].as_array().unwrap().iter())
        .map(|w| {
            (
                w["start"].as_str().unwrap().to_string(),
                w["total_hours"].as_f64().unwrap(),
                w["activities"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["name"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

const BIBLE: &str = "# How I sell\n\nMost of my work comes from referrals, LinkedIn and cold calling local firms.\n\nMy pipeline is five steps: an enquiry, a discovery call, a site visit, a proposal, and the signed order.\n";

#[tokio::test]
async fn a_month_cap_holds_in_every_week_of_those_months_and_exclusions_stay_out() {
    let r = run(&[
        ("bible.md", BIBLE),
        ("about.md", "# About us\n\nOur vision: calm offices for small firms.\n\nQ2: publish two case studies.\n"),
        (
            "goals.md",
            "# Goals\n\nMy goal is to bring in $90,000 of new work in 2027. A typical job is worth about $6,000.\nPeople usually take about four weeks to decide.\n",
        ),
        (
            "limits.md",
            "# What I can do\n\nI work alone and can give sales about 8 hours a week.\nIn July and August I can only give sales 3 hours a week.\nNo cold calling, no paid ads.\nLinkedIn should bring a third of new clients.\n",
        ),
    ])
    .await;
    let p = &r.json;
    assert!(matches!(
        r.status,
        RunStatus::Completed | RunStatus::CriteriaFailed
    ));
    assert_eq!(p["objectives"]["revenue_target"], 90000.0);
    assert_eq!(p["objectives"]["start_date"], "2027-01-01");
    // The cap: every week inside July or August plans at most 3 h; a week that is partly
    // in them at most the cap on those working days and the usual 8 h on the others.
    let ws = weeks(p);
    let mut capped = 0;
    for (start, hours, _) in &ws {
        let d: jiff::civil::Date = start.parse().unwrap();
        let in_cap = (0..5)
            .map(|k| d.checked_add(jiff::Span::new().days(k)).unwrap())
            .filter(|x| x.month() == 7 || x.month() == 8)
            .count();
        if in_cap == 5 {
            capped += 1;
        }
        let most = 8.0 - (8.0 - 3.0) * in_cap as f64 / 5.0;
        assert!(
            *hours <= most + 1e-6,
            "week of {start}: {hours} h over its {most} h limit"
        );
    }
    assert!(capped >= 8, "{capped} capped weeks");
    // Excluded: in no weekly activity, initiative, lead source or objective.
    for (_, _, acts) in &ws {
        for a in acts {
            let l = a.to_lowercase();
            assert!(!l.contains("cold call") && !l.contains("paid ad"), "{a}");
        }
    }
    let initiatives = serde_json::to_string(&p["initiatives"])
        .unwrap()
        .to_lowercase();
    assert!(!initiatives.contains("cold call") && !initiatives.contains("paid ad"));
    let sources = serde_json::to_string(&p["business"]["lead_sources"])
        .unwrap()
        .to_lowercase();
    assert!(
        sources.contains("linkedin") && !sources.contains("cold"),
        "{sources}"
    );
    // Each limit is listed with its source, honoured.
    let limits = p["limits"].as_array().unwrap();
    for kind in ["hour limit", "exclusion", "channel goal", "roadmap"] {
        assert!(
            limits.iter().any(|l| l["kind"] == kind
                && l["honoured"] == true
                && l["source"].as_str().unwrap().contains(".md:")),
            "{kind}: {limits:?}"
        );
    }
    assert_eq!(
        limits.iter().filter(|l| l["kind"] == "exclusion").count(),
        2
    );
    // Per-channel targets and the roadmap milestone.
    let ch = p["channel_targets"].as_array().unwrap();
    // LinkedIn brings at least its third; with no past clients to refer, referrals can carry
    // little, so LinkedIn carries the rest and the goal's note says so.
    assert!(
        ch.iter().any(|c| c["channel"] == "LinkedIn"
            && c["share"].as_f64().unwrap() >= 1.0 / 3.0 - 1e-9),
        "{ch:?}"
    );
    let milestones: Vec<String> = p["monthly_plan"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["weeks"].as_array().unwrap().iter())
        .filter_map(|w| w["milestone"].as_str().map(str::to_string))
        .collect();
    assert!(
        milestones
            .iter()
            .any(|m| m.contains("Roadmap: publish two case studies")),
        "roadmap milestone"
    );
    assert!(r.md.contains("publish two case studies"));
    assert!(r.md.contains("## Your Facts and Limits"));
}

#[tokio::test]
async fn seven_client_stages_are_merged_keeping_their_conversion() {
    let bible = "# Sales Bible\n\n## Sales Pipeline\n\n| Stage | Conversion to next |\n|---|---|\n| Enquiry | 60% |\n| Qualified | 80% |\n| Site visit | 70% |\n| Concept | 90% |\n| Proposal | 50% |\n| Negotiation | 40% |\n| Contract Signed | - |\n";
    let r = run(&[
        ("sales-bible.md", bible),
        ("vision.md", "# Vision\n\nGardens people use.\n"),
        ("objectives.md", "# Business Objectives\n\n- Revenue target: $200,000\n- Planning period: 12 months starting 2027-01-01\n- Average deal size: $10,000\n- Sales cycle: 30 days\n"),
        ("constraints.md", "# Resource Constraints\n\n- Hours per week for selling: 40\n- Team size: 1\n"),
    ])
    .await;
    let p = &r.json;
    let stages = p["pipeline"]["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 5);
    let ours: f64 = stages
        .iter()
        .map(|s| s["conversion_to_next"].as_f64().unwrap())
        .product();
    let theirs = 0.6 * 0.8 * 0.7 * 0.9 * 0.5 * 0.4;
    assert!((ours - theirs).abs() <= 0.01 * theirs, "{ours} vs {theirs}");
    let names: Vec<&str> = stages.iter().map(|s| s["name"].as_str().unwrap()).collect();
    for n in [
        "Enquiry",
        "Qualified",
        "Site visit",
        "Concept",
        "Proposal",
        "Negotiation",
        "Contract Signed",
    ] {
        assert!(
            names.iter().any(|x| x.split(" + ").any(|y| y == n)),
            "{n} lost: {names:?}"
        );
    }
    let mapping = p["stage_mapping"].as_array().unwrap();
    assert_eq!(
        mapping
            .iter()
            .filter(|m| m.as_str().unwrap().starts_with("Merged"))
            .count(),
        2
    );
    assert!(r.md.contains("> Merged"), "the merge is stated in the plan");
    let c8 = &p["criteria"][7];
    assert_eq!(c8["passed"], true, "{c8}");
    assert!(
        c8["evidence"]
            .as_str()
            .unwrap()
            .contains("all 7 of your stages kept"),
        "{c8}"
    );
}

#[tokio::test]
async fn three_client_stages_are_split_and_said_so() {
    let bible = "# Sales Bible\n\n## Sales Pipeline\n\n**Stage 1: Enquiry**\n- Conversion to next stage: 30%\n\n**Stage 2: Proposal**\n- Conversion to next stage: 50%\n\n**Stage 3: Signed**\n";
    let r = run(&[
        ("sales-bible.md", bible),
        ("vision.md", "# Vision\n\nGardens people use.\n"),
        ("objectives.md", "# Business Objectives\n\n- Revenue target: $100,000\n- Planning period: 12 months starting 2027-01-01\n- Average deal size: $5,000\n"),
        ("constraints.md", "# Resource Constraints\n\n- Hours per week for selling: 40\n- Team size: 1\n"),
    ])
    .await;
    let p = &r.json;
    let stages = p["pipeline"]["stages"].as_array().unwrap();
    let ours: f64 = stages
        .iter()
        .map(|s| s["conversion_to_next"].as_f64().unwrap())
        .product();
    assert!((ours - 0.15).abs() <= 0.0015, "{ours}");
    let mapping: Vec<&str> = p["stage_mapping"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(
        mapping.iter().any(|m| m.starts_with("Split")),
        "{mapping:?}"
    );
    assert_eq!(stages[0]["name"], "Enquiry");
    assert_eq!(stages[4]["name"], "Signed");
}

#[tokio::test]
async fn a_lost_client_rate_fails_criterion_eight() {
    let bible = "# Sales Bible\n\n## Sales Pipeline\n\n**Stage 1: Enquiry**\n\n**Stage 2: Visit**\n\n**Stage 3: Proposal**\n\n**Stage 4: Signed**\n";
    let r = run(&[
        ("sales-bible.md", bible),
        ("vision.md", "# Vision\n\nGardens people use.\n"),
        ("objectives.md", "# Business Objectives\n\n- Revenue target: $100,000\n- Planning period: 12 months starting 2027-01-01\n- Average deal size: $5,000\n\n| From | To | Rate |\n|---|---|---|\n| Webinar | Trial | 40% |\n"),
        ("constraints.md", "# Resource Constraints\n\n- Hours per week for selling: 40\n- Team size: 1\n"),
    ])
    .await;
    assert_eq!(r.status, RunStatus::CriteriaFailed);
    let c8 = &r.json["criteria"][7];
    assert_eq!(c8["passed"], false);
    assert!(c8["evidence"].as_str().unwrap().contains("Webinar"), "{c8}");
}

/// A paid channel carries what its budget buys at your cost per lead, and no more: with a small
/// budget and a costly lead, the rest of its share moves to the other channels, and every paid
/// lead is paid for.
#[tokio::test]
async fn a_paid_channel_gets_what_its_budget_buys_at_your_cost_per_lead() {
    let r = run(&[
        (
            "bible.md",
            "# How we sell\n\n**Primary Channel: Google paid search**\n**Secondary Channel: LinkedIn outreach to finance directors**\n\nOur pipeline is five steps: an enquiry, a discovery call, a demo, a proposal, and the signed order.\n",
        ),
        (
            "goals.md",
            "# Goals\n\n- Revenue target: $120,000\n- Average deal size: $6,000\n- Sales cycle: 30 days\n- Cost per lead: $300\n",
        ),
        (
            "limits.md",
            "# Limits\n\n- Team size: 1\n- Hours per week for selling: 20\n- Sales budget: $5,000\n",
        ),
    ])
    .await;
    let p = &r.json;
    let ch = p["channel_targets"].as_array().unwrap();
    let paid = ch.iter().find(|c| c["kind"] == "paid").unwrap();
    let leads = paid["leads"].as_f64().unwrap();
    // $5,000 × 40% acquisition × 80% paid part = $1,600, at $300 a lead: 5 leads.
    assert!(leads <= 5.0, "{paid:?}");
    assert_eq!(paid["budget"].as_f64().unwrap(), leads * 300.0, "{paid:?}");
    assert!(
        paid["source"].as_str().unwrap().contains("at $300 each"),
        "{paid:?}"
    );
    assert!(
        !p["assumptions"].to_string().contains("cost per paid lead"),
        "your cost per lead is used, not assumed"
    );
}

/// Today's clients are described, not sized: what they pay on average yields to what a new
/// client is worth, and "we look after 22 clients" is not a delivery limit (a reviewer's
/// managed-IT firm, whose plan came out at 1 deal of $38,400 against 22 "at once").
#[tokio::test]
async fn todays_clients_do_not_set_the_deal_size_or_the_capacity() {
    let r = run(&[
        (
            "goals.md",
            "# Goals\n\nOver the year from July 1, 2027 we want to add $600,000 in new annual recurring revenue.\n\nToday we look after 22 clients paying on average $3,200 a month.\n",
        ),
        (
            "bible.md",
            "# How we sell\n\nA typical new client has about 25 seats at $150 per seat per month, so roughly $3,750 a month, or $45,000 a year.\n\nEvery new opportunity goes through five stages.\n\n1. **Inquiry.** A form or a call. About half get that far.\n2. **Intro Call.** A short call; roughly two out of three go on.\n3. **Assessment.** On site. Nine times out of ten we send a proposal.\n4. **Proposal.** We win 35% of proposals.\n5. **Signed.** Agreement signed.\n",
        ),
        (
            "limits.md",
            "# Limits\n\nTwo of us sell, about 20 hours a week between us. The budget is $60,000.\n",
        ),
    ])
    .await;
    let p = &r.json;
    assert_eq!(
        p["objectives"]["avg_deal_size"].as_f64(),
        Some(45_000.0),
        "{}",
        p["objectives"]
    );
    assert!(
        p["delivery"]["capacity"].as_u64() != Some(22),
        "22 clients today are not a limit: {}",
        p["delivery"]
    );
    let stages: Vec<&str> = p["pipeline"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        ["Inquiry", "Intro Call", "Assessment", "Proposal", "Signed"]
    );
}

/// When every lead source has a limit and together they cannot give the leads, the plan says the
/// limit is the lead sources (it once panicked looking for a delivery shortfall).
#[tokio::test]
async fn capped_lead_sources_are_named_as_the_limit() {
    let r = run(&[
        (
            "bible.md",
            "# How I sell\n\n**Primary Channel: Referrals from past clients**\n**Secondary Channel: Partner referrals from two accounting firms**\n\nMy pipeline is five steps: an enquiry, a call, a visit, a proposal, and the signed order.\n",
        ),
        (
            "goals.md",
            "# Goals\n\n- Revenue target: $200,000\n- Average deal size: $8,000\n- Sales cycle: 30 days\n- Current customers: 5\n",
        ),
        (
            "limits.md",
            "# Limits\n\n- Team size: 3\n- Hours per week per person: 40\n- Business type: service business\n",
        ),
    ])
    .await;
    let p = &r.json;
    assert_eq!(p["feasibility"]["feasible"], false, "{}", p["feasibility"]);
    assert_eq!(
        p["feasibility"]["binding"], "lead sources",
        "{}",
        p["feasibility"]
    );
    assert!(
        p["feasibility"]["gap"]
            .as_str()
            .unwrap()
            .contains("cannot give"),
        "{}",
        p["feasibility"]
    );
}

/// A solo practice written in prose: what each channel brings a month and how warm it is, a
/// three-step pipeline of the founder's own rates, a stated call length and a ceiling on clients
/// in delivery (a consultant's trial: before, LinkedIn was costed as cold outreach, podcasts were
/// left out, `Solution Call` meetings were invented and a bought subscription made every client a
/// retainer).
#[tokio::test]
async fn written_channel_volumes_and_own_stages_shape_the_plan() {
    let r = run(&[
        (
            "practice.md",
            "# My practice\n\nI'm a solo career coach for engineers moving into management. I pay for a Canva subscription and a scheduling tool.\n\nI won't do cold email.\n\nI give sales ten hours a week.\n",
        ),
        (
            "clients.md",
            "# Where clients come from\n\nMost of my enquiries come from LinkedIn, where I post twice a week. About fifteen people a month message me after a post, and about a third of those turn into an intro call. A newsletter swap with two other coaches sends me about four people a month, and around half of them book an intro call.\n\nThe intro call is 30 minutes. After that I write a proposal; that happens for about 40% of intro calls. Of the proposals, I win about half.\n\nIt usually takes four weeks from first message to a signed agreement.\n",
        ),
        (
            "money.md",
            "# 2027\n\nMy goal for 2027 is $60,000 in new coaching. My offer is a four-month coaching package at $3,000. I can't coach more than six clients at the same time.\n\nI have $2,000 to spend.\n",
        ),
    ])
    .await;
    let p = &r.json;
    let stages: Vec<(&str, f64)> = p["pipeline"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["conversion_to_next"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect();
    let names: Vec<&str> = stages.iter().map(|s| s.0).collect();
    assert_eq!(
        &names[..3],
        ["Enquiry", "Intro call", "Proposal"],
        "{stages:?}"
    );
    assert!(
        !names
            .iter()
            .any(|n| *n == "Solution Call" || *n == "Commit"),
        "no invented meetings: {stages:?}"
    );
    // The first step blends LinkedIn's third of 15 and the newsletter's half of 4.
    let blended = (15.0 / 3.0 + 4.0 * 0.5) / 19.0;
    assert!(
        (stages[0].1 - blended).abs() < 0.01,
        "{stages:?} against {blended}"
    );
    assert!((stages[1].1 - 0.4).abs() < 1e-9, "{stages:?}");
    let product: f64 = stages.iter().map(|s| s.1).product();
    assert!(
        (product - blended * 0.4 * 0.5).abs() < 1e-6,
        "milestones lose nothing: {stages:?}"
    );
    let channels: Vec<(&str, &str, f64)> = p["channel_targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["channel"].as_str().unwrap(),
                c["kind"].as_str().unwrap(),
                c["share"].as_f64().unwrap(),
            )
        })
        .collect();
    let linkedin = channels
        .iter()
        .find(|c| c.0.starts_with("LinkedIn"))
        .unwrap_or_else(|| panic!("{channels:?}"));
    assert_eq!(linkedin.1, "inbound", "posts are content: {channels:?}");
    assert!(
        (linkedin.2 - 15.0 / 19.0).abs() < 0.01,
        "shares follow the volumes: {channels:?}"
    );
    assert!(channels.iter().any(|c| c.0 == "Newsletter"), "{channels:?}");
    assert!(!channels.iter().any(|c| c.0 == "Outbound"), "{channels:?}");
    let calls = p["unit_times"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["stage"] == 1)
        .unwrap();
    assert_eq!(calls["minutes"], 45.0, "30 minutes + notes: {calls}");
    // A four-month package against six at once, not a retainer running to the year's end.
    let d = &p["delivery"];
    assert_eq!(d["capacity"], 6, "{d}");
    assert!(
        (17.0..=18.0).contains(&d["engagement_weeks"].as_f64().unwrap()),
        "{d}"
    );
}

/// A target counted in deals is worth the deal size each (a consultant's trial: a cleaning firm's
/// `sign 30 new contracts` and a recruiter's `80 placements` stopped with exit 2 before).
#[tokio::test]
async fn a_target_counted_in_deals_is_a_revenue_target() {
    let r = run(&[
        (
            "goals.md",
            "# Next year\n\nOur target for 2027 is 12 new clients. A typical client is worth about $5,000 to us.\n",
        ),
        (
            "how.md",
            "# How we sell\n\nI work alone and give sales about 8 hours a week. Most of our work comes from referrals. We win about half of our proposals.\n",
        ),
    ])
    .await;
    let p = &r.json;
    assert!(
        matches!(r.status, RunStatus::Completed | RunStatus::CriteriaFailed),
        "{:?}",
        r.status
    );
    assert_eq!(
        p["objectives"]["revenue_target"], 60000.0,
        "{}",
        p["objectives"]
    );
    assert_eq!(p["objectives"]["deals_needed"], 12, "{}", p["objectives"]);
}

/// One seller away holds the team to the others' hours in those months (a consultant's trial:
/// `Ben is on parental leave for all of March and April` left the weekly limit at all 90 h).
#[tokio::test]
async fn a_sellers_leave_holds_the_team_to_the_others_hours() {
    let r = run(&[
        (
            "team.md",
            "# The team\n\n| Name | Role | Selling hours per week |\n|---|---|---|\n| Ana Ruiz | Account Executive | 30 |\n| Ben Hale | Account Executive | 20 |\n\nBen is on parental leave for all of March and April 2027.\n",
        ),
        (
            "goals.md",
            "# 2027\n\nOur goal is $600,000 of new business in 2027. The average contract is about $20,000.\n",
        ),
        (
            "selling.md",
            "# How we sell\n\nMost of our work comes from referrals and LinkedIn outreach. We win about 30% of our proposals.\n",
        ),
    ])
    .await;
    let p = &r.json;
    for (start, hours, _) in weeks(p) {
        let d: jiff::civil::Date = start.parse().unwrap();
        let inside = (0..5)
            .map(|k| d.checked_add(jiff::Span::new().days(k)).unwrap())
            .all(|x| x.month() == 3 || x.month() == 4);
        if inside {
            assert!(
                hours <= 30.0 + 1e-6,
                "week of {start}: {hours} h with Ben away"
            );
        }
    }
    let limits = serde_json::to_string(&p["limits"]).unwrap();
    assert!(limits.contains("Ben Hale away"), "{limits}");
}
