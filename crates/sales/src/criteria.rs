//! The mission's eight success criteria, checked against the final blackboard by code. Each
//! criterion is recognised by its words (so an edited mission still gets the right check) and
//! gets a verdict with the evidence found.

use crate::agents::keys;
use crate::foundation::Foundation;
use crate::model::{Feasibility, Initiative, Integration, Kpi, Month, Pipeline, Review, Risk};
use crate::sections::capacity::Capacity;
use coord_core::{BoardView, Status, Verdict};
use coord_mission::Mission;

/// Everything the checks read.
pub struct Board {
    f: Option<Foundation>,
    cap: Option<Capacity>,
    ini: Option<Vec<Initiative>>,
    p: Option<Pipeline>,
    integ: Option<Integration>,
    months: Option<Vec<Month>>,
    kpis: Option<Vec<Kpi>>,
    risks: Option<Vec<Risk>>,
    reviews: Option<Vec<Review>>,
    feas: Option<Feasibility>,
}

impl Board {
    /// Reads the sales keys from the board.
    pub fn read(b: &BoardView) -> Self {
        Self {
            f: b.get_as(keys::FOUNDATION),
            cap: b.get_as(keys::CAPACITY),
            ini: b.get_as(keys::INITIATIVES),
            p: b.get_as(keys::PIPELINE),
            integ: b.get_as(keys::INTEGRATION),
            months: b.get_as(keys::MONTHLY),
            kpis: b.get_as(keys::KPIS),
            risks: b.get_as(keys::RISKS),
            reviews: b.get_as(keys::REVIEWS),
            feas: b.get_as(keys::FEASIBILITY),
        }
    }
}

type Check = (bool, String);

fn missing(what: &str) -> Check {
    (false, format!("no {what} on the blackboard"))
}

/// Checks one criterion by its words.
pub fn check(text: &str, b: &Board) -> Option<Check> {
    let t = text.to_lowercase();
    Some(if t.contains("initiative") {
        initiatives(b)
    } else if t.contains("pipeline") && t.contains("stage") {
        pipeline(b)
    } else if t.contains("handoff") || t.contains("sales-marketing") {
        integration(b)
    } else if t.contains("monthly") {
        monthly(b)
    } else if t.contains("performance measurement") || t.contains("customer success") {
        kpis(b)
    } else if t.contains("risk") {
        risks(b)
    } else if t.contains("quarterly") || t.contains("review") {
        reviews(b)
    } else if t.contains("sales bible") || t.contains("integrate") {
        consistency(b)
    } else {
        return None;
    })
}

fn initiatives(b: &Board) -> Check {
    let Some(ini) = &b.ini else {
        return missing("initiatives");
    };
    let mut problems = Vec::new();
    if ini.len() != 3 {
        problems.push(format!("{} initiatives instead of 3", ini.len()));
    }
    for i in ini {
        if i.journey_stages.is_empty() {
            problems.push(format!("`{}` has no journey stage", i.name));
        }
        if !i.metrics.iter().any(|m| m.target > 0.0) {
            problems.push(format!("`{}` has no numeric metric", i.name));
        }
        if i.owner.is_empty() || i.start.is_empty() || i.end.is_empty() || i.start > i.end {
            problems.push(format!("`{}` lacks an owner or valid dates", i.name));
        }
    }
    let mut stages: Vec<&String> = ini.iter().flat_map(|i| &i.journey_stages).collect();
    stages.sort();
    stages.dedup();
    if stages.len() < 2 {
        problems.push("the initiatives cover fewer than 2 journey stages".into());
    }
    if problems.is_empty() {
        (
            true,
            format!(
                "3 initiatives, each with journey stages, an owner, dates and ≥1 numeric metric; {} distinct journey stages",
                stages.len()
            ),
        )
    } else {
        (false, problems.join("; "))
    }
}

fn pipeline(b: &Board) -> Check {
    let (Some(p), Some(f)) = (&b.p, &b.f) else {
        return missing("pipeline");
    };
    let target = f.objectives.revenue_target;
    let forward = p.stages[0].target_volume as f64
        * p.stages
            .iter()
            .map(|s| s.conversion_to_next)
            .product::<f64>()
        * f.objectives.avg_deal_size;
    let mut problems = Vec::new();
    if p.stages.len() != 5 {
        problems.push(format!("{} stages instead of 5", p.stages.len()));
    }
    for s in &p.stages {
        if s.entry_criteria.is_empty()
            || s.exit_criteria.is_empty()
            || !(s.conversion_to_next > 0.0 && s.conversion_to_next <= 1.0)
        {
            problems.push(format!(
                "stage `{}` lacks criteria or a conversion target",
                s.name
            ));
        }
    }
    if forward + 1e-6 < target {
        problems.push(format!(
            "volumes carried forward give {forward:.0}, short of the {target:.0} target"
        ));
    } else if target > 0.0
        && forward > target * 1.05 + f.objectives.avg_deal_size * p.overall_conversion
    {
        problems.push(format!(
            "volumes carried forward give {forward:.0}, more than 5% over the target"
        ));
    }
    if problems.is_empty() {
        (
            true,
            format!(
                "5 stages with entry/exit criteria and conversion targets; {} × rates = {:.2} deals = {forward:.0} against {target:.0} ({:+.1}%)",
                p.stages[0].target_volume,
                p.forward_deals,
                if target > 0.0 {
                    (forward / target - 1.0) * 100.0
                } else {
                    0.0
                }
            ),
        )
    } else {
        (false, problems.join("; "))
    }
}

fn integration(b: &Board) -> Check {
    let Some(i) = &b.integ else {
        return missing("integration protocol");
    };
    let ok = !i.mql_definition.is_empty()
        && !i.sql_acceptance.is_empty()
        && i.sla.first_response_hours > 0.0
        && i.sla.first_response_hours <= 24.0
        && i.sla.attempts >= 1
        && i.sla.window_days >= 1;
    (
        ok,
        format!(
            "MQL definition, SQL acceptance rule, SLA: first response ≤ {} h ({} h high intent), {} attempts over {} days, recycle rule",
            i.sla.first_response_hours,
            i.sla.high_intent_response_hours,
            i.sla.attempts,
            i.sla.window_days
        ),
    )
}

fn monthly(b: &Board) -> Check {
    let (Some(m), Some(f)) = (&b.months, &b.f) else {
        return missing("monthly plan");
    };
    let avail = f.objectives.hours_per_week;
    let weeks: usize = m.iter().map(|x| x.weeks.len()).sum();
    // Each week against its own cap (the user's limits for holidays, seasons, on-site weeks).
    let caps: Vec<f64> = b
        .cap
        .as_ref()
        .map(|c| c.scheduled.caps.clone())
        .unwrap_or_default();
    let over = m
        .iter()
        .flat_map(|x| &x.weeks)
        .enumerate()
        .filter(|(k, w)| w.total_hours > caps.get(*k).copied().unwrap_or(avail) + 1e-6)
        .count();
    let bad_months = m
        .iter()
        .filter(|x| !(4..=5).contains(&x.weeks.len()))
        .count();
    let peak = m
        .iter()
        .flat_map(|x| &x.weeks)
        .map(|w| w.total_hours)
        .fold(0.0, f64::max);
    let mut problems = Vec::new();
    if m.len() as u32 != f.objectives.period_months {
        problems.push(format!(
            "{} months planned for a {}-month period",
            m.len(),
            f.objectives.period_months
        ));
    }
    if bad_months > 0 {
        problems.push(format!("{bad_months} months without four or five weeks"));
    }
    if over > 0 {
        problems.push(format!(
            "{over} weeks exceed the {avail:.1} hours available"
        ));
    }
    if let Some(fe) = &b.feas
        && !fe.feasible
    {
        problems.push(format!("the target does not fit the resources: {}", fe.gap));
    }
    if problems.is_empty() {
        (
            true,
            format!(
                "{} months, {weeks} weeks with activity counts and hours; busiest week {peak:.1} h of {avail:.1} available",
                m.len()
            ),
        )
    } else {
        (false, problems.join("; "))
    }
}

fn kpis(b: &Board) -> Check {
    let Some(k) = &b.kpis else {
        return missing("KPIs");
    };
    let families = [
        "activity",
        "quality",
        "conversion",
        "revenue",
        "customer_success",
    ];
    let missing_f: Vec<&str> = families
        .iter()
        .copied()
        .filter(|f| !k.iter().any(|x| x.family == *f))
        .collect();
    let cs = k.iter().filter(|x| x.family == "customer_success").count();
    let complete = k
        .iter()
        .all(|x| !x.unit.is_empty() && !x.frequency.is_empty() && x.target.is_finite());
    if missing_f.is_empty() && cs >= 2 && complete {
        (
            true,
            format!(
                "{} KPIs covering all five families, {cs} customer-success KPIs, each with a numeric target, unit and frequency",
                k.len()
            ),
        )
    } else {
        (
            false,
            format!(
                "missing families: {}; {cs} customer-success KPIs",
                missing_f.join(", ")
            ),
        )
    }
}

fn risks(b: &Board) -> Check {
    let Some(r) = &b.risks else {
        return missing("risks");
    };
    let complete = r
        .iter()
        .filter(|x| {
            x.trigger.chars().any(|c| c.is_ascii_digit())
                && !x.owner.is_empty()
                && !x.contingency.is_empty()
        })
        .count();
    (
        r.len() >= 5 && complete == r.len(),
        format!(
            "{} risks; {complete} with a measurable trigger, an owner and a contingency",
            r.len()
        ),
    )
}

fn reviews(b: &Board) -> Check {
    let (Some(r), Some(f)) = (&b.reviews, &b.f) else {
        return missing("reviews");
    };
    let q: Vec<&Review> = r.iter().filter(|x| x.cadence == "quarterly").collect();
    let expected = f.objectives.period_months.div_ceil(3) as usize;
    let within = q
        .iter()
        .all(|x| x.date >= f.objectives.start_date && x.date <= f.objectives.end_date);
    let has = |c: &str| r.iter().any(|x| x.cadence == c);
    let ok = has("weekly") && has("monthly") && q.len() == expected && within;
    (
        ok,
        format!(
            "weekly, monthly and {} dated quarterly reviews ({}) within the period",
            q.len(),
            q.iter()
                .map(|x| x.date.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

fn consistency(b: &Board) -> Check {
    let (Some(f), Some(p), Some(ini), Some(cap)) = (&b.f, &b.p, &b.ini, &b.cap) else {
        return missing("plan sections");
    };
    let mut ok = Vec::new();
    let mut problems = Vec::new();
    if f.stages_from_bible {
        let same = p
            .stages
            .iter()
            .zip(&f.stages)
            .all(|(a, b)| a.name == b.name);
        if same {
            ok.push("stages named as in the Sales Bible".to_string())
        } else {
            problems.push("stage names differ from the Sales Bible".to_string())
        }
        // None of the client's stages or rates may be lost in the mapping onto five.
        let lost: Vec<&str> = f
            .client_stages
            .iter()
            .filter(|c| {
                !p.stages
                    .iter()
                    .any(|s| s.name.split(" + ").any(|part| part == c.name))
            })
            .map(|c| c.name.as_str())
            .collect();
        if lost.is_empty() {
            ok.push(format!("all {} of your stages kept", f.client_stages.len()));
        } else {
            problems.push(format!(
                "your stages {} are missing from the pipeline",
                lost.join(", ")
            ));
        }
        let rates: Vec<f64> = f.client_stages.iter().filter_map(|c| c.rate).collect();
        if rates.len() == f.client_stages.len() && !rates.is_empty() {
            let theirs: f64 = rates.iter().product();
            let ours: f64 = p.stages.iter().map(|s| s.conversion_to_next).product();
            if (theirs - ours).abs() <= 0.01 * theirs {
                ok.push(format!(
                    "your end-to-end conversion {:.2}% kept",
                    theirs * 100.0
                ));
            } else {
                problems.push(format!(
                    "end-to-end conversion {:.2}% differs from yours ({:.2}%)",
                    ours * 100.0,
                    theirs * 100.0
                ));
            }
        }
    } else {
        ok.push("the Sales Bible names no stages; benchmark stages used".into());
    }
    ok.push(format!(
        "{} qualification",
        f.business.qualification_framework
    ));
    let spend: f64 = ini.iter().map(|i| i.budget).sum();
    if spend <= f.objectives.budget + 1e-6 {
        ok.push(format!(
            "spend {spend:.0} within budget {:.0}",
            f.objectives.budget
        ));
    } else {
        problems.push(format!(
            "spend {spend:.0} exceeds budget {:.0}",
            f.objectives.budget
        ));
    }
    let rates_match = p
        .stages
        .iter()
        .zip(&f.stages)
        .all(|(a, b)| (a.conversion_to_next - b.rate).abs() < 1e-9);
    let volumes_match = p
        .stages
        .iter()
        .zip(&cap.full.volumes)
        .all(|(a, v)| a.target_volume == *v);
    if let Some(months) = &b.months {
        let broken: Vec<String> = crate::sections::limits::notes(f, cap, ini, months)
            .into_iter()
            .filter(|n| !n.honoured && n.kind != "hour limit")
            .map(|n| format!("{} ({}): {}", n.text, n.source, n.how))
            .collect();
        if broken.is_empty() {
            if !f.limits.excluded.is_empty() || !f.limits.roadmap.is_empty() {
                ok.push("your exclusions, roadmap and channel goals honoured".into());
            }
        } else {
            problems.push(format!("limits not honoured: {}", broken.join("; ")));
        }
    }
    if !f.unmatched_rates.is_empty() {
        problems.push(format!(
            "your rates {} match no stage of the pipeline",
            f.unmatched_rates.join("; ")
        ));
    }
    if rates_match && volumes_match {
        ok.push("the same rates, volumes and deal size in every section".into());
    } else {
        problems.push("rates or volumes differ between sections".into());
    }
    if problems.is_empty() {
        (true, ok.join("; "))
    } else {
        (false, problems.join("; "))
    }
}

/// Verdicts for every criterion of the mission.
pub fn verdicts(mission: &Mission, board: &BoardView) -> Vec<Verdict> {
    let b = Board::read(board);
    mission
        .success_criteria
        .iter()
        .map(|c| match check(&c.text, &b) {
            Some((passed, evidence)) => Verdict {
                criterion: c.text.clone(),
                status: if passed {
                    Status::Passed
                } else {
                    Status::Failed
                },
                evidence,
            },
            None => Verdict {
                criterion: c.text.clone(),
                status: Status::Unchecked,
                evidence: "no automated check matches this criterion; review by hand".into(),
            },
        })
        .collect()
}
