//! # coord-sales
//!
//! The sales pack: everything the Sales Plan Development mission needs beyond the generic engine.
//! It reads the facts a plan needs from the user's documents ([`facts`]), resolves them with
//! cited benchmarks ([`foundation`]), and provides the three rule agents
//! (`sales/conversion-optimization`, `sales/pipeline-management`, `sales/revenue-operations`)
//! whose steps build the plan on the blackboard ([`sections`]), the eight success-criteria checks
//! ([`criteria`]), and the finished `sales-plan.md` and `sales-plan.json` ([`render`]).
//!
//! Offline and deterministic: no network, no randomness; the same documents give the same plan
//! (the default start date, when none is given, is the first day of next month).

#![warn(missing_docs, unreachable_pub)]

pub mod agents;
pub mod benchmarks;
pub mod channels;
pub mod consistency;
pub mod criteria;
pub mod facts;
pub mod foundation;
pub mod funnel;
pub mod model;
pub mod render;
pub mod sections;
pub mod stages;
pub mod timing;

use agents::{Kind, SalesAgent, keys};
use coord_core::inputs::Inputs;
use coord_core::report::Document;
use coord_core::{Agent, BoardView, MissionPack, Registry, Status, Verdict};
use coord_mission::{Diagnostic, Mission};
use std::sync::Arc;

/// The JSON Schema of `sales-plan.json`.
pub const SCHEMA: &str = include_str!("../schema/sales-plan.schema.json");

/// Registers the three rule sets and the mission pack.
pub fn register(registry: &mut Registry) {
    for (rules, kind) in [
        ("sales/conversion-optimization", Kind::Conversion),
        ("sales/pipeline-management", Kind::Pipeline),
        ("sales/revenue-operations", Kind::RevOps),
    ] {
        registry.register_rules(rules, move |spec, _| {
            Ok(
                Arc::new(SalesAgent::new(kind, &spec.name, &spec.file.description))
                    as Arc<dyn Agent>,
            )
        });
    }
    registry.register_pack(Arc::new(SalesPack));
}

/// The Sales Plan Development pack.
#[derive(Debug, Clone, Copy, Default)]
pub struct SalesPack;

impl MissionPack for SalesPack {
    fn declaration(&self) -> coord_core::binding::Declaration {
        agents::DECLARATION
    }

    fn input_facts(&self, mission: &Mission) -> Vec<(String, Vec<String>)> {
        mission
            .inputs
            .iter()
            .map(|i| {
                let mut facts: Vec<String> = facts::VOCABULARY
                    .iter()
                    .filter(|e| e.home.contains(&i.name.as_str()))
                    .map(|e| e.labels[0].to_string())
                    .collect();
                match i.name.as_str() {
                    "Sales Bible" => facts.extend(
                        [
                            "pipeline stages (**Stage N: Name**)",
                            "package prices",
                            "stage conversion rates",
                        ]
                        .map(String::from),
                    ),
                    "Business Objectives" => facts.push("stage conversion rates".into()),
                    "Foundation Documents" => facts.extend(
                        ["vision or mission statement", "marketing channels"].map(String::from),
                    ),
                    _ => {}
                }
                (i.name.clone(), facts)
            })
            .collect()
    }

    fn key_facts(
        &self,
        _mission: &Mission,
        inputs: &Inputs,
        variation: Option<&str>,
        today: jiff::civil::Date,
    ) -> Vec<coord_core::KeyFact> {
        let (facts, _) = facts::read(inputs);
        let f = foundation::resolve(&facts, variation, today);
        f.key_facts
            .into_iter()
            .map(|k| coord_core::KeyFact {
                fact: k.fact,
                value: k.value,
                source: k.source,
                defaulted: k.defaulted,
                add: k.add,
                note: k.note,
            })
            .collect()
    }

    fn can_do_without(&self, _mission: &Mission, input: &str) -> Option<String> {
        (input == "Foundation Documents").then(|| {
            "the plan has no vision statement or roadmap milestones; add your vision, roadmap or marketing plan to include them".into()
        })
    }

    fn classify(
        &self,
        _mission: &Mission,
        file: &coord_core::inputs::ContextFile,
    ) -> Vec<(String, String)> {
        classify(file)
    }

    fn check_inputs(&self, _mission: &Mission, inputs: &Inputs) -> Vec<Diagnostic> {
        let (facts, mut diags) = facts::read(inputs);
        for (fact, value, o) in &facts.conflicts {
            if matches!(
                fact,
                facts::Fact::RevenueTarget
                    | facts::Fact::AvgDealSize
                    | facts::Fact::Budget
                    | facts::Fact::HoursPerWeek
                    | facts::Fact::SalesCycleDays
                    | facts::Fact::TeamSize
            ) {
                let used = facts
                    .values
                    .get(fact)
                    .map(|f| format!("{} at {}", facts::show(&f.value), f.origin))
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::warning(
                        &o.file,
                        format!(
                            "{} is also written as `{value}` here; the plan uses {used}",
                            facts::describe(*fact)
                        ),
                    )
                    .at(o.line, 0, 0, &line_text(inputs, &o.file, o.line))
                    .help("remove one of the two, or bind the files with --input"),
                );
            }
        }
        for (fact, what) in [
            (facts::Fact::RevenueTarget, "revenue target"),
            (facts::Fact::AvgDealSize, "average deal size"),
        ] {
            if let Some((m, o)) = facts.money(fact)
                && m.amount <= 0.0
            {
                diags.push(
                    Diagnostic::error(&o.file, format!("the {what} must be more than zero"))
                        .at(o.line, 0, 0, "")
                        .help(format!(
                            "write it like `{}`",
                            facts::vocab::entry(fact).example
                        )),
                );
            }
        }
        // `Revenue target: € 240` is almost certainly `240.000` or `240k` written another way.
        if let Some((m, o)) = facts.money(facts::Fact::RevenueTarget)
            && m.amount > 0.0
            && m.amount < 1000.0
            && m.per == facts::values::Per::Total
        {
            diags.push(
                Diagnostic::warning(
                    &o.file,
                    format!(
                        "the revenue target reads as {} — is that the whole target?",
                        render::money(m.currency, m.amount)
                    ),
                )
                .at(o.line, 0, 0, &line_text(inputs, &o.file, o.line))
                .help("write thousands in full (`240,000`) or with a k (`240k`)"),
            );
        }
        let objectives = inputs.files("Business Objectives");
        // Warnings about other facts do not hide a missing target: a plan for $0 is no plan.
        // A target counted in deals (`80 placements`) is one when the deal has a value.
        let counted = facts.number(facts::Fact::DealsTarget).is_some()
            && (facts.money(facts::Fact::AvgDealSize).is_some() || !facts.packages.is_empty());
        if !objectives.is_empty()
            && facts.money(facts::Fact::RevenueTarget).is_none()
            && !counted
            && !diags
                .iter()
                .any(|d| d.severity == coord_mission::Severity::Error)
        {
            let first = &objectives[0].file.path;
            diags.push(
                Diagnostic::error(first, "no revenue target found in the Business Objectives")
                    .help(if facts.number(facts::Fact::DealsTarget).is_some() {
                        "your target is a count of deals: add what one is worth (`Average deal size: $9,000`), or the target in money (`Revenue target: $240,000`)"
                    } else {
                        "add a line such as `Revenue target: $240,000`, or a count of deals and what one is worth (the plan's volumes are derived from it)"
                    }),
            );
        }
        diags
    }

    fn schema(&self, key: &str) -> serde_json::Value {
        schema_for_key(key)
    }

    fn validate(&self, key: &str, value: &serde_json::Value) -> Result<(), String> {
        validate_key(key, value)
    }

    fn validate_on(
        &self,
        key: &str,
        value: &serde_json::Value,
        board: &BoardView,
    ) -> Result<(), String> {
        validate_key(key, value)?;
        let Some(f) = board.get_as::<foundation::Foundation>(keys::FOUNDATION) else {
            return Ok(());
        };
        let n = f.stages.len();
        match key {
            keys::CONVERSION => serde_json::from_value(value.clone())
                .map_err(|e| e.to_string())
                .and_then(|ct| agents::check_conversion(&ct, n)),
            keys::PIPELINE => serde_json::from_value(value.clone())
                .map_err(|e| e.to_string())
                .and_then(|p| agents::check_pipeline(&p, n)),
            _ => Ok(()),
        }
    }

    fn criteria(&self, mission: &Mission, board: &BoardView) -> Vec<Verdict> {
        criteria::verdicts(mission, board)
    }

    fn highlights(&self, _mission: &Mission, board: &BoardView) -> Vec<String> {
        let (Some(f), Some(cap)) = (
            board.get_as::<foundation::Foundation>(keys::FOUNDATION),
            board.get_as::<sections::capacity::Capacity>(keys::CAPACITY),
        ) else {
            return Vec::new();
        };
        let o = &f.objectives;
        let cur = o.currency.as_str();
        let s = &cap.scheduled;
        let mut out = vec![format!(
            "plan: target {} over {} months: {} deals at {} planned (the target needs {}) from {} prospects (new leads); busiest week {:.1} of {:.1} h/week",
            render::money(cur, o.revenue_target),
            o.period_months,
            s.deals,
            render::money(cur, o.avg_deal_size),
            o.deals_needed,
            s.entries[0]
                .iter()
                .take(s.creation_weeks as usize)
                .sum::<u32>(),
            s.peak_hours(),
            o.hours_per_week
        )];
        if let Some(d) = &cap.delivery {
            out.push(format!(
                "delivery: at most {} engagements of {:.1} weeks at once against {} ({}; engagement length: {})",
                d.peak_concurrent, d.engagement_weeks, d.capacity, d.capacity_source, d.engagement_source
            ));
        }
        if !cap.feasibility.feasible {
            out.push(format!("not reachable as stated: {}", cap.feasibility.gap));
        }
        for n in &f.stage_notes {
            out.push(format!("stages: {n}"));
        }
        if let (Some(ini), Some(months)) = (
            board.get_as::<Vec<model::Initiative>>(keys::INITIATIVES),
            board.get_as::<Vec<model::Month>>(keys::MONTHLY),
        ) {
            for n in sections::limits::notes(&f, &cap, &ini, &months) {
                out.push(format!(
                    "limit {}: {} ({}) — {}",
                    if n.honoured {
                        "honoured"
                    } else {
                        "NOT honoured"
                    },
                    n.text,
                    n.source,
                    n.how
                ));
            }
        }
        out
    }

    fn documents(
        &self,
        _mission: &Mission,
        board: &BoardView,
        verdicts: &[Verdict],
    ) -> Result<Vec<Document>, String> {
        let plan = assemble(board, verdicts)?;
        let findings = consistency::check(&plan.json);
        if !findings.is_empty() {
            return Err(format!(
                "the Sales Plan disagrees with itself: {}",
                findings.join("; ")
            ));
        }
        let mut json = serde_json::to_string_pretty(&plan.json).map_err(|e| e.to_string())?;
        json.push('\n');
        let md = render::sales_plan_md_with(&plan)?;
        Ok(vec![
            Document {
                name: "sales-plan.md".into(),
                bytes: md.into_bytes(),
            },
            Document {
                name: "sales-plan.json".into(),
                bytes: json.into_bytes(),
            },
        ])
    }
}

fn line_text(inputs: &Inputs, path: &std::path::Path, line: usize) -> String {
    inputs
        .all_files()
        .find(|f| f.path == path)
        .and_then(|f| f.text.lines().nth(line.saturating_sub(1)))
        .unwrap_or("")
        .to_string()
}

/// Which of the Sales Plan's inputs a file's content belongs to, best first, with the reason.
pub fn classify(file: &coord_core::inputs::ContextFile) -> Vec<(String, String)> {
    use facts::Fact;
    let one = Inputs {
        extra: vec![file.clone()],
        ..Inputs::default()
    };
    let (f, _) = facts::read(&one);
    let mut score: std::collections::BTreeMap<&str, (u32, Vec<String>)> = Default::default();
    let mut add = |input: &'static str, w: u32, what: String| {
        let e = score.entry(input).or_default();
        e.0 += w;
        if e.1.len() < 3 {
            e.1.push(what);
        }
    };
    for (fact, found) in &f.values {
        let e = facts::vocab::entry(*fact);
        let strong = matches!(
            fact,
            Fact::RevenueTarget
                | Fact::DealsTarget
                | Fact::HoursPerWeek
                | Fact::Budget
                | Fact::Icp
                | Fact::QualificationFramework
                | Fact::LeadSources
        );
        for home in e.home {
            add(
                home,
                if strong { 3 } else { 1 },
                format!(
                    "states {} (line {})",
                    facts::describe(*fact),
                    found.origin.line
                ),
            );
        }
    }
    let stages = if f.stages.len() >= 2 {
        &f.stages
    } else {
        &f.prose_stages
    };
    if stages.len() >= 2 {
        add(
            "Sales Bible",
            4,
            format!(
                "lists {} pipeline stages (line {})",
                stages.len(),
                stages[0].0.line
            ),
        );
    }

    if !f.packages.is_empty() {
        add(
            "Sales Bible",
            2,
            format!("prices {} packages", f.packages.len()),
        );
    }
    // How deals move and where leads come from is the Sales Bible's; who sells is the
    // resources'.
    if !f.rates.is_empty() {
        add(
            "Sales Bible",
            2 * f.rates.len().min(2) as u32,
            format!(
                "gives {} stage rates (line {})",
                f.rates.len(),
                f.rates[0].origin.line
            ),
        );
    }
    if let Some((v, _)) = f.volumes.first() {
        add(
            "Sales Bible",
            2,
            format!("counts leads a month by channel (line {})", v.line),
        );
    }
    if let Some((_, members)) = &f.roster {
        add(
            "Resource Constraints",
            3,
            format!("lists {} people who sell", members.len()),
        );
    }
    let (roadmap, limits): (Vec<_>, Vec<_>) = f
        .constraints
        .iter()
        .partition(|(c, _)| matches!(c, facts::constraints::Constraint::Roadmap(_)));
    let lines = |v: &[&(facts::constraints::Constraint, facts::Origin)]| {
        v.iter()
            .map(|(_, o)| o.line.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !roadmap.is_empty() {
        add(
            "Foundation Documents",
            roadmap.len().min(3) as u32,
            format!("has dated roadmap items (line {})", lines(&roadmap)),
        );
    }
    if !limits.is_empty() {
        add(
            "Resource Constraints",
            2 * limits.len().min(3) as u32,
            format!("states limits (line {})", lines(&limits)),
        );
    }
    let text = f.all_text();
    if [
        "vision",
        "mission statement",
        "our mission",
        "roadmap",
        "brand promise",
        "core values",
    ]
    .iter()
    .any(|w| text.contains(w))
    {
        add(
            "Foundation Documents",
            2,
            "describes the vision, mission or roadmap".into(),
        );
    }
    let mut out: Vec<(u32, String, String)> = score
        .into_iter()
        .filter(|(_, (s, _))| *s >= 2)
        .map(|(i, (s, why))| (s, i.to_string(), why.join(", ")))
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(_, i, why)| (i, why)).collect()
}

macro_rules! by_key {
    ($key:expr, $f:ident $(, $arg:expr)?) => {
        match $key {
            keys::FOUNDATION => $f::<foundation::Foundation>($($arg)?),
            keys::CAPACITY => $f::<sections::capacity::Capacity>($($arg)?),
            keys::INITIATIVES => $f::<Vec<model::Initiative>>($($arg)?),
            keys::CONVERSION => $f::<sections::pipeline::ConversionTargets>($($arg)?),
            keys::PIPELINE => $f::<model::Pipeline>($($arg)?),
            keys::ACTIVITY => $f::<sections::execution::ActivityModel>($($arg)?),
            keys::INTEGRATION => $f::<model::Integration>($($arg)?),
            keys::MONTHLY => $f::<Vec<model::Month>>($($arg)?),
            keys::KPIS => $f::<Vec<model::Kpi>>($($arg)?),
            keys::RISKS => $f::<Vec<model::Risk>>($($arg)?),
            keys::REVIEWS => $f::<Vec<model::Review>>($($arg)?),
            keys::CHASSIS => $f::<model::Chassis>($($arg)?),
            keys::FEASIBILITY => $f::<model::Feasibility>($($arg)?),
            _ => $f::<serde_json::Value>($($arg)?),
        }
    };
}

fn schema_of<T: schemars::JsonSchema>() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default()
}

/// The JSON Schema of a sales blackboard key: exactly the type the rule agents fill.
pub fn schema_for_key(key: &str) -> serde_json::Value {
    by_key!(key, schema_of)
}

/// Checks that a value has the type of its sales key.
pub fn validate_key(key: &str, value: &serde_json::Value) -> Result<(), String> {
    fn check<T: serde::de::DeserializeOwned>(v: &serde_json::Value) -> Result<(), String> {
        serde_json::from_value::<T>(v.clone())
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
    by_key!(key, check, value)
}

/// The finished plan: the JSON document and what the Markdown template needs besides.
pub struct Assembled {
    /// `sales-plan.json`.
    pub json: render::SalesPlanJson,
    /// Template extras.
    pub extras: serde_json::Value,
}

fn need<T: serde::de::DeserializeOwned>(b: &BoardView, key: &str) -> Result<T, String> {
    b.get_as(key)
        .ok_or_else(|| format!("`{key}` is missing from the blackboard"))
}

/// Assembles the plan from the final board.
pub fn assemble(b: &BoardView, verdicts: &[Verdict]) -> Result<Assembled, String> {
    let f: foundation::Foundation = need(b, keys::FOUNDATION)?;
    let cap: sections::capacity::Capacity = need(b, keys::CAPACITY)?;
    let am: sections::execution::ActivityModel = need(b, keys::ACTIVITY)?;
    let json = render::SalesPlanJson {
        format: "coord-sales-plan".into(),
        version: 1,
        business: f.business.clone(),
        objectives: f.objectives.clone(),
        feasibility: need(b, keys::FEASIBILITY)?,
        initiatives: need(b, keys::INITIATIVES)?,
        pipeline: need(b, keys::PIPELINE)?,
        integration: need(b, keys::INTEGRATION)?,
        monthly_plan: need(b, keys::MONTHLY)?,
        kpis: need(b, keys::KPIS)?,
        risks: need(b, keys::RISKS)?,
        reviews: need(b, keys::REVIEWS)?,
        chassis: need(b, keys::CHASSIS)?,
        assumptions: f.assumptions.clone(),
        sources: f.cited.clone(),
        criteria: verdicts
            .iter()
            .map(|v| model::CriterionResult {
                criterion: v.criterion.clone(),
                passed: v.status == Status::Passed,
                evidence: v.evidence.clone(),
            })
            .collect(),
        key_facts: f.key_facts.clone(),
        stage_mapping: f.stage_notes.clone(),
        limits: Vec::new(),
        channel_targets: sections::limits::channel_targets(&f, &cap),
        conflicts: f.conflicts.clone(),
        team: cap.team.clone(),
        delivery: cap.delivery.clone(),
        hires: cap.hires.clone(),
        quota_check: cap.quota_check.clone(),
        existing: cap.existing.clone(),
        carry_over: cap.scheduled.carry.clone(),
        unit_times: cap.scheduled.units.clone(),
        first_days: Vec::new(),
        calendar: sections::usable::calendar(&f, &cap.scheduled),
        forecast_method: String::new(),
        crm_fields: Vec::new(),
    };
    let mut json = json;
    json.limits = sections::limits::notes(&f, &cap, &json.initiatives, &json.monthly_plan);
    json.first_days = sections::usable::first_days(&f, &json.monthly_plan, &json.pipeline);
    json.forecast_method = sections::usable::forecast_method(&f, &json.pipeline);
    json.crm_fields = sections::usable::crm_fields(&f, &json.pipeline);
    let s = &am.schedule;
    let weeks = f64::from(s.creation_weeks.max(1));
    let per_week = |i: usize| f64::from(s.entries[i].iter().sum::<u32>()) / weeks;
    let crm = f
        .business
        .tools
        .iter()
        .find(|t| {
            let l = t.to_lowercase();
            [
                "hubspot",
                "salesforce",
                "pipedrive",
                "crm",
                "zoho",
                "close",
                "attio",
            ]
            .iter()
            .any(|c| l.contains(c))
        })
        .cloned()
        .unwrap_or_else(|| {
            "a CRM with pipeline stages matching this plan (none named in the inputs)".into()
        });
    let sources = if f.business.lead_sources.is_empty() {
        vec![
            "Referrals and introductions".to_string(),
            "Targeted outreach to the ICP".to_string(),
        ]
    } else {
        f.business.lead_sources.clone()
    };
    let own: Vec<String> = f
        .stages
        .iter()
        .filter(|x| x.own_rate)
        .map(|x| x.name.clone())
        .collect();
    let deals = s.deals;
    let planned_revenue = f64::from(deals) * f.objectives.avg_deal_size;
    let ae_count = cap
        .team
        .iter()
        .find(|r| r.role == "Account Executive")
        .map_or(1, |r| r.people.max(1));
    let proposal_stage = s
        .units
        .iter()
        .position(|u| u.work == timing::Work::Proposal)
        .unwrap_or(3);
    let selling_days = s.creation_weeks * 7;
    let extras = serde_json::json!({
        "planned_deals": deals,
        "recurring": f.recurring,
        "planned_revenue": planned_revenue,
        "first_close_week": cap.first_close_week,
        "leads_in_period": s.entries[0].iter().take(s.creation_weeks as usize).sum::<u32>(),
        "avg_hours": s.hours.iter().sum::<f64>() / s.weeks.len().max(1) as f64,
        "ae_count": ae_count,
        "proposal_stage": proposal_stage,
        "handoff_stage": sections::team::handoff_stage(s),
        "selling_days": selling_days,
        "velocity_total": json.pipeline.velocity_per_day * f64::from(selling_days),
        "unit_minutes": am.unit_minutes,
        "coverage": sections::execution::coverage(&json.monthly_plan),
        // Leads the plan's channels cannot give (referrals past what the clients can introduce,
        // events past the events there are): the fit's own measure.
        "channel_shortfall": funnel::channel_shortfall(&f, s).round(),
        "close_span_weeks": sections::execution::weeks_to_close(s, json.pipeline.qualified_from),
        "stage_content": s.units.iter().map(|u| sections::pipeline::playbook(u.work).2).collect::<Vec<_>>(),
        "created": f.created,
        "variation_name": f.business.variation.mission_name(),
        "quarterly_dates": json.reviews.iter().filter(|r| r.cadence == "quarterly").map(|r| r.date.clone()).collect::<Vec<_>>(),
        "packages": f.packages,
        "peak_planned": s.peak_hours(),
        "review_hours": s.fixed_hours,
        "budget_reserve": cap.budget.reserve,
        "planned_spend": cap.budget.planned_spend,
        "cac": if deals > 0 { (cap.budget.planned_spend / f64::from(deals)).round() } else { 0.0 },
        "crm": crm,
        "tools_text": if f.business.tools.is_empty() { "email and calendar booking".to_string() } else { f.business.tools.join(", ") },
        "own_stages": if own.is_empty() { "none yet: all rates are benchmarks".to_string() } else { own.join(", ") },
        "primary_source": sources[0],
        "secondary_sources": sources[1..].to_vec(),
        "sources_text": sources.join(", "),
        "prospects_per_week": per_week(0),
        "discovery_per_week": per_week(1),
        "meetings_per_week": per_week(2),
        "proposals_per_month": per_week(3) * 4.345,
        "creation_ends": cap.creation_ends,
        "first_stage_minutes": s.stage_minutes.first().copied().unwrap_or(0.0),
    });
    Ok(Assembled { json, extras })
}
