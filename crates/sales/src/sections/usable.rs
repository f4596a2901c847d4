//! What makes the plan usable on Monday morning, from the same model as every other figure: the
//! first 30/60/90 days, a solo founder's weekly calendar, the forecast method and the CRM stages
//! and fields to set up.

use crate::foundation::Foundation;
use crate::funnel::Funnel;
use crate::model::{Month, Pipeline, Variation};
use crate::render::money;
use crate::timing::Work;
use serde::{Deserialize, Serialize};

/// One block of a typical week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Block {
    /// `Monday`.
    pub day: String,
    /// `08:00`.
    pub from: String,
    /// What is done.
    pub what: String,
    /// Hours.
    pub hours: f64,
}

/// A CRM field to set up, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CrmField {
    /// Field name.
    pub field: String,
    /// Values or type.
    pub values: String,
    /// What the plan uses it for.
    pub used_for: String,
}

/// The first 30, 60 and 90 days, each with its cumulative figures from the monthly plan.
pub fn first_days(f: &Foundation, months: &[Month], p: &Pipeline) -> Vec<String> {
    let o = &f.objectives;
    let sum = |upto: usize, pick: &dyn Fn(&Month) -> u32| -> u32 {
        months.iter().take(upto).map(pick).sum()
    };
    let last = p.stages.len() - 1;
    let mut out = Vec::new();
    for (d, m) in [(30, 1), (60, 2), (90, 3)] {
        let leads = sum(m, &|x| x.new_leads);
        let second = sum(m, &|x| x.stage_entries.get(1).copied().unwrap_or(0));
        let late = sum(m, &|x| x.stage_entries.get(last).copied().unwrap_or(0));
        let deals = sum(m, &|x| x.deals);
        let revenue = months.iter().take(m).map(|x| x.revenue_target).sum::<f64>();
        let focus = match (d, f.business.variation) {
            (30, Variation::Solopreneur) => {
                "set up the CRM stages below, book the weekly prospecting blocks, and ask every past client for an introduction"
            }
            (30, Variation::Scaling) => {
                "assign territories, load the SDR sequences, agree the SQL acceptance rule with the AEs"
            }
            (30, _) => {
                "publish the first client result, confirm the consultation agenda and the proposal template"
            }
            (60, Variation::Scaling) => {
                "first weekly forecast call on the committed deals; coach on recorded calls"
            }
            (60, _) => "first proposals out; review every lost deal's reason",
            (_, Variation::Scaling) => {
                "first quarterly review: reset quotas and the channel mix from actual rates"
            }
            _ => {
                "first quarterly review: compare each stage's rate with the plan and move hours to the weakest"
            }
        };
        out.push(format!(
            "Day {d}: {leads} new leads, {second} at {}, {late} at {}, {deals} deal{} won ({}) — {focus}",
            p.stages[1].name,
            p.stages[last].name,
            if deals == 1 { "" } else { "s" },
            money(&o.currency, revenue)
        ));
    }
    out
}

/// A solo founder's typical week, from the schedule's average hours per activity.
pub fn calendar(f: &Foundation, s: &Funnel) -> Vec<Block> {
    if f.business.variation != Variation::Solopreneur {
        return Vec::new();
    }
    let avg = |pred: &dyn Fn(Work) -> bool| -> f64 {
        s.units
            .iter()
            .filter(|u| pred(u.work))
            .map(|u| s.stage_hours_per_week(u.stage))
            .sum()
    };
    let round = |h: f64| (h * 4.0).round() / 4.0;
    let leads = avg(&|w| w == Work::Lead);
    let calls = avg(&|w| matches!(w, Work::Qualify | Work::Discovery | Work::Close));
    let meetings = avg(&|w| w == Work::Meeting);
    let proposals = avg(&|w| w == Work::Proposal);
    let checkins = s.check_ins.iter().sum::<u32>() as f64
        * crate::benchmarks::minutes::CHECK_IN.value
        / 60.0
        / s.weeks.len().max(1) as f64;
    let mut out = Vec::new();
    let mut push = |day: &str, from: &str, what: String, h: f64| {
        if round(h) > 0.0 {
            out.push(Block {
                day: day.into(),
                from: from.into(),
                what,
                hours: round(h),
            });
        }
    };
    let sources = s
        .channels
        .iter()
        .map(|c| c.channel.clone())
        .collect::<Vec<_>>()
        .join(", ");
    push(
        "Monday",
        "08:00",
        format!("Prospecting block 1: {sources}"),
        leads / 2.0,
    );
    push(
        "Tuesday",
        "13:00",
        "Calls: discovery, qualification and closing".into(),
        calls / 2.0,
    );
    push(
        "Wednesday",
        "08:00",
        "Prospecting block 2 and referral asks".into(),
        leads / 2.0,
    );
    push(
        "Wednesday",
        "14:00",
        format!(
            "{} (batch them on one day, travel included)",
            s.units
                .iter()
                .find(|u| u.work == Work::Meeting)
                .map_or("Meetings".to_string(), |u| u.activity.clone())
        ),
        meetings,
    );
    push(
        "Thursday",
        "13:00",
        "Calls, second block".into(),
        calls / 2.0,
    );
    push("Thursday", "15:00", "Customer check-ins".into(), checkins);
    push("Friday", "08:00", "Proposals".into(), proposals);
    push(
        "Friday",
        "11:00",
        "Pipeline review and CRM hygiene".into(),
        s.fixed_hours,
    );
    out
}

/// How the forecast is made, in words, with the plan's own probabilities.
pub fn forecast_method(f: &Foundation, p: &Pipeline) -> String {
    let probs = p
        .stages
        .iter()
        .map(|s| format!("{} {}", s.name, crate::render::pct(s.probability)))
        .collect::<Vec<_>>()
        .join(", ");
    let cadence = match f.business.variation {
        Variation::Scaling => {
            "every Monday each AE commits the deals expected this month (commit / best case / pipeline); RevOps compares commit with the weighted figure and the monthly plan"
        }
        _ => {
            "on the first working day of each month, list the open deals with their stage and expected close month"
        }
    };
    format!(
        "Weighted pipeline: each open deal × its stage's win probability ({probs}) × {} ; {cadence}. A month's forecast below its planned revenue in the monthly table is a gap to close that month; forecast accuracy (forecast vs closed) is tracked monthly and the probabilities are reset each quarter from actual stage-to-win rates (S85).",
        money(&f.objectives.currency, f.objectives.avg_deal_size)
    )
}

/// The CRM stages and fields the plan needs to be tracked.
pub fn crm_fields(f: &Foundation, p: &Pipeline) -> Vec<CrmField> {
    let stages = p
        .stages
        .iter()
        .map(|s| s.name.clone())
        .chain(["Closed won".to_string(), "Closed lost".to_string()])
        .collect::<Vec<_>>()
        .join(" → ");
    let sources = f.business.lead_sources.join(", ");
    let mut out = vec![
        CrmField {
            field: "Deal stage".into(),
            values: stages,
            used_for: "stage conversion and the weighted forecast".into(),
        },
        CrmField {
            field: "Lead source".into(),
            values: if sources.is_empty() {
                "one value per channel".into()
            } else {
                sources
            },
            used_for: "leads, deals and acquisition cost per channel".into(),
        },
        CrmField {
            field: "ICP fit".into(),
            values: "yes / partly / no".into(),
            used_for: "the ICP-fit KPI and the lead-quality risk".into(),
        },
        CrmField {
            field: "Next step and date".into(),
            values: "text + date".into(),
            used_for: "the stale-deal rule and the weekly review".into(),
        },
        CrmField {
            field: "Expected close month".into(),
            values: "month".into(),
            used_for: "the monthly forecast".into(),
        },
        CrmField {
            field: "Amount".into(),
            values: f.objectives.currency.clone(),
            used_for: "pipeline value and coverage".into(),
        },
        CrmField {
            field: "Lost reason".into(),
            values: "price / timing / no decision / competitor / fit".into(),
            used_for: "the monthly review of lost deals".into(),
        },
        CrmField {
            field: format!("{} checklist", f.business.qualification_framework),
            values: "one tick per criterion".into(),
            used_for: "qualification before a proposal".into(),
        },
    ];
    match f.business.variation {
        Variation::Scaling => {
            out.push(CrmField {
                field: "Owner role".into(),
                values: "SDR / AE".into(),
                used_for: "quota attainment per role".into(),
            });
            out.push(CrmField {
                field: "SQL accepted date".into(),
                values: "date".into(),
                used_for: "the SDR → AE handoff time".into(),
            });
            out.push(CrmField {
                field: "Renewal date".into(),
                values: "date".into(),
                used_for: "the existing-customer renewals".into(),
            });
        }
        Variation::Service => {
            out.push(CrmField {
                field: "Engagement start and end".into(),
                values: "dates".into(),
                used_for: "the delivery-capacity check".into(),
            });
            out.push(CrmField {
                field: "Referred by".into(),
                values: "client name".into(),
                used_for: "referral introductions per project".into(),
            });
        }
        Variation::Solopreneur => {
            out.push(CrmField {
                field: "Introduced by".into(),
                values: "client or contact".into(),
                used_for: "referral asks and thanks".into(),
            });
        }
    }
    out
}
