//! Rendering: the short Markdown each agent step puts on the blackboard (for `plan.md`), and the
//! finished `sales-plan.md` (a minijinja template following the Operations Library Sales Plan)
//! and `sales-plan.json` assembled from the final board.

use crate::foundation::Foundation;
use crate::model::{
    Assumption, Chassis, CriterionResult, Feasibility, Initiative, Integration, Kpi, Month,
    Objectives, Pipeline, Review, Risk,
};
use crate::sections::capacity::Capacity;
use serde::Serialize;
use std::fmt::Write as _;

/// `$180,000`, `€1,250,000`, `$12.50`.
pub fn money(cur: &str, v: f64) -> String {
    let neg = v < 0.0;
    let v = v.abs();
    let s = if v >= 100.0 || v.fract() == 0.0 {
        group(v.round() as u64)
    } else {
        format!("{v:.2}")
    };
    format!("{}{cur}{s}", if neg { "-" } else { "" })
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `4198` → `4,198`: counts as the plan prints them.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `35%`, `37.5%`.
pub fn pct(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{:.0}%", p)
    } else {
        format!("{p:.1}%")
    }
}

/// Phase 1 support entry.
pub fn foundation_md(f: &Foundation) -> String {
    let o = &f.objectives;
    format!(
        "- **@revenue-operations** (support): {} target over {} months from {}, {} average deal, {}-day cycle, {:.1} selling hours a week ({} × {:.1}), {} budget; plan variation: {} ({}). {} value{} assumed.",
        money(&o.currency, o.revenue_target),
        o.period_months,
        o.start_date,
        money(&o.currency, o.avg_deal_size),
        o.sales_cycle_days,
        o.hours_per_week,
        o.team_size,
        o.hours_per_person,
        money(&o.currency, o.budget),
        f.business.variation.mission_name(),
        f.business.variation_reason,
        f.assumptions.len(),
        if f.assumptions.len() == 1 { "" } else { "s" }
    )
}

/// Phase 1 support entry: the capacity check.
pub fn capacity_md(f: &Foundation, c: &Capacity) -> String {
    let mut s = format!(
        "- **@revenue-operations** (support): capacity check — the full target needs {:.1} h/week at the busiest week, {:.1} available; budget split {} acquisition / {} conversion / {} expansion, {} reserve.",
        c.feasibility.hours_needed_per_week,
        c.feasibility.hours_available_per_week,
        money(&f.objectives.currency, c.budget.acquisition),
        money(&f.objectives.currency, c.budget.conversion),
        money(&f.objectives.currency, c.budget.expansion),
        money(&f.objectives.currency, c.budget.reserve),
    );
    if !c.feasibility.feasible {
        let _ = write!(s, " **Not feasible as stated:** {}", c.feasibility.gap);
    }
    s
}

/// Phase 1 lead entry.
pub fn initiatives_md(f: &Foundation, ini: &[Initiative]) -> String {
    let mut s = String::new();
    for (i, x) in ini.iter().enumerate() {
        let m = x
            .metrics
            .iter()
            .map(|m| format!("{} {} {}", m.name, fmt_num(m.target), m.unit))
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(
            s,
            "{}. **{}** ({}) — {}; owner {}, {} to {}, {:.1} h/week, {}. Metrics: {}.",
            i + 1,
            x.name,
            x.journey_stages.join(" → "),
            x.objective,
            x.owner,
            x.start,
            x.end,
            x.hours_per_week,
            money(&f.objectives.currency, x.budget),
            m
        );
    }
    s.trim_end().to_string()
}

/// Phase 2 lead entry.
pub fn pipeline_md(f: &Foundation, p: &Pipeline) -> String {
    let mut s = String::from(
        "| Stage | Conversion to next | Target volume | Avg days | Win probability |\n|---|---|---|---|---|\n",
    );
    for st in &p.stages {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.1} | {} |",
            st.name,
            pct(st.conversion_to_next),
            st.target_volume,
            st.avg_days,
            pct(st.probability)
        );
    }
    let _ = write!(
        s,
        "\nForward check: {} × every rate = {:.2} deals = {} against a {} target. Coverage target {:.1}× (win rate {}).",
        p.stages[0].target_volume,
        p.forward_deals,
        money(&f.objectives.currency, p.forward_revenue),
        money(&f.objectives.currency, f.objectives.revenue_target),
        p.coverage_target,
        pct(p.win_rate)
    );
    s
}

/// Phase 3 lead entry: integration.
pub fn integration_md(i: &Integration) -> String {
    format!(
        "**MQL:** {}\n\n**SQL acceptance:** {}\n\n**Handoff SLA:** first response within {} h ({} h for high-intent requests), {} attempts over {} days; {}",
        i.mql_definition,
        i.sql_acceptance,
        fmt_num(i.sla.first_response_hours),
        fmt_num(i.sla.high_intent_response_hours),
        i.sla.attempts,
        i.sla.window_days,
        i.sla.recycle_rule
    )
}

/// Phase 3 lead entry: monthly totals.
pub fn months_summary_md(f: &Foundation, months: &[Month]) -> String {
    let mut s = String::from(
        "| Month | Weeks | New prospects | Deals | Revenue | Peak week hours |\n|---|---|---|---|---|---|\n",
    );
    for m in months {
        let peak = m.weeks.iter().map(|w| w.total_hours).fold(0.0, f64::max);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.2} | {} | {:.1} |",
            m.label,
            m.weeks.len(),
            m.new_leads,
            m.deals,
            money(&f.objectives.currency, m.revenue_target),
            peak
        );
    }
    s.trim_end().to_string()
}

/// Phase 3 lead entry: feasibility.
pub fn feasibility_md(x: &Feasibility) -> String {
    if x.feasible {
        format!(
            "Feasible: the busiest week needs {:.1} h of {:.1} available.",
            x.hours_needed_per_week, x.hours_available_per_week
        )
    } else {
        format!(
            "**Not feasible as stated.** {} Options: {}",
            x.gap,
            x.options.join(" ")
        )
    }
}

/// `3`, `2.5`, `0.35`.
pub fn fmt_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        let n = v.round() as i64;
        if n.abs() >= 10_000 {
            format!(
                "{}{}",
                if n < 0 { "-" } else { "" },
                group(n.unsigned_abs())
            )
        } else {
            n.to_string()
        }
    } else if v.abs() >= 100.0 {
        fmt_num(v.round())
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// `sales-plan.json`.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct SalesPlanJson {
    /// `coord-sales-plan`.
    pub format: String,
    /// 1.
    pub version: u32,
    /// Who the plan is for.
    pub business: crate::model::Business,
    /// The numbers.
    pub objectives: Objectives,
    /// Whether the target fits.
    pub feasibility: Feasibility,
    /// Initiatives.
    pub initiatives: Vec<Initiative>,
    /// Pipeline.
    pub pipeline: Pipeline,
    /// Integration.
    pub integration: Integration,
    /// Month-by-week plan.
    pub monthly_plan: Vec<Month>,
    /// KPIs.
    pub kpis: Vec<Kpi>,
    /// Risks.
    pub risks: Vec<Risk>,
    /// Reviews.
    pub reviews: Vec<Review>,
    /// Business Chassis.
    pub chassis: Chassis,
    /// Assumptions.
    pub assumptions: Vec<Assumption>,
    /// Values read from the inputs: (fact, value, origin).
    pub sources: Vec<(String, String, String)>,
    /// Success criteria.
    pub criteria: Vec<CriterionResult>,
    /// The key facts with their sources.
    pub key_facts: Vec<crate::model::KeyFact>,
    /// How the client's stages were mapped onto five.
    pub stage_mapping: Vec<String>,
    /// The user's limits and what the plan does with each.
    pub limits: Vec<crate::model::ConstraintNote>,
    /// Per-channel targets from the channel goals.
    pub channel_targets: Vec<crate::sections::limits::ChannelTarget>,
    /// Other values written for a key fact than the one used.
    pub conflicts: Vec<String>,
    /// Who does the work: roles, hours, quotas.
    pub team: Vec<crate::model::RoleLoad>,
    /// Whether the business can deliver what it wins (solos and services).
    pub delivery: Option<crate::model::Delivery>,
    /// What a new hire in each role carries by start quarter (teams with roles).
    #[serde(default)]
    pub hires: Vec<crate::model::Hire>,
    /// When each Account Executive's share of the bookings is more than one person carries.
    #[serde(default)]
    pub quota_check: Option<String>,
    /// Existing customers, beside the target.
    pub existing: crate::model::Existing,
    /// What the period's last cycle of prospecting hands to the next period.
    pub carry_over: crate::funnel::CarryOver,
    /// The time model: each stage's unit of work, with its source.
    pub unit_times: Vec<crate::timing::UnitTime>,
    /// The first 30, 60 and 90 days.
    pub first_days: Vec<String>,
    /// A solo founder's typical week (empty for teams).
    pub calendar: Vec<crate::sections::usable::Block>,
    /// How the forecast is made.
    pub forecast_method: String,
    /// CRM stages and fields to set up.
    pub crm_fields: Vec<crate::sections::usable::CrmField>,
}

/// One document per variation: the three differ in structure, not only in words (a solo's
/// week and checklists, a team's roles and tables, a practice's delivery load); the parts all
/// three share are included.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "solopreneur",
        include_str!("../templates/solopreneur.md.j2"),
    ),
    ("scaling", include_str!("../templates/scaling.md.j2")),
    ("service", include_str!("../templates/service.md.j2")),
    (
        "parts/header.j2",
        include_str!("../templates/parts/header.j2"),
    ),
    (
        "parts/limits.j2",
        include_str!("../templates/parts/limits.j2"),
    ),
    (
        "parts/initiatives.j2",
        include_str!("../templates/parts/initiatives.j2"),
    ),
    (
        "parts/closing.j2",
        include_str!("../templates/parts/closing.j2"),
    ),
];

/// Renders `sales-plan.md` from the assembled plan. Source keys print as `(S17)`, so the only
/// square brackets in the document are none at all: nothing reads as an unfilled `[...]` slot.
pub fn sales_plan_md_with(a: &crate::Assembled) -> Result<String, String> {
    let plan = &a.json;
    let mut env = minijinja::Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    // Included parts end with their last line's newline, so the next heading starts a new block.
    env.set_keep_trailing_newline(true);
    env.add_filter("lcfirst", |v: String| lcfirst(&v));
    let cur = plan.objectives.currency.clone();
    env.add_filter("money", move |v: f64| money(&cur, v));
    env.add_filter("pct", |v: f64| pct(v));
    env.add_filter("num", |v: f64| fmt_num(v));
    env.add_filter("count", |v: f64| group(v.round().max(0.0) as u64));
    let cur2 = plan.objectives.currency.clone();
    env.add_filter("metric", move |v: f64, unit: String| match unit.as_str() {
        "%" => format!("{}%", fmt_num(v)),
        u if u == cur2 => money(&cur2, v),
        u => format!("{} {u}", fmt_num(v)),
    });
    let variation = plan.business.variation.key();
    for (name, src) in TEMPLATES {
        if *name == variation || name.starts_with("parts/") {
            env.add_template(name, src)
                .map_err(|e| format!("sales plan template {name}: {e}"))?;
        }
    }
    let tmpl = env
        .get_template(variation)
        .map_err(|e| format!("sales plan template: {e}"))?;
    let mut ctx = serde_json::to_value(plan).map_err(|e| e.to_string())?;
    if let (Some(c), Some(x)) = (ctx.as_object_mut(), a.extras.as_object()) {
        for (k, v) in x {
            c.insert(k.clone(), v.clone());
        }
    }
    let s = tmpl
        .render(ctx)
        .map_err(|e| format!("sales plan template: {e:#}"))?;
    let s = cite_keys(&s);
    let s = with_sources(s);
    // Collapse the blank-line runs that template branches leave.
    let mut out = String::new();
    let mut blank = 0;
    for l in s.lines() {
        if l.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        // Keep a Markdown hard break (two trailing spaces); drop other trailing space.
        if l.ends_with("  ") && !l.trim().is_empty() {
            out.push_str(l.trim_end());
            out.push_str("  ");
        } else {
            out.push_str(l.trim_end());
        }
        out.push('\n');
    }
    Ok(out)
}

/// `Fewer than` → `fewer than`, for a phrase inside a sentence; `SQLs` and `ICP fit` stay.
fn lcfirst(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => a
            .to_lowercase()
            .chain(std::iter::once(b))
            .chain(c)
            .collect(),
        _ => s.to_string(),
    }
}

/// The benchmark sources, `docs/benchmarks.md`: shipped in the binary so every key a plan cites
/// resolves.
const BENCHMARKS: &str = include_str!("../../../docs/benchmarks.md");

/// The source of a key (`S17` → its reference), from [`BENCHMARKS`].
pub fn source_of(key: &str) -> Option<&'static str> {
    BENCHMARKS.lines().find_map(|l| {
        let mut cells = l.trim_matches('|').split('|').map(str::trim);
        (cells.next() == Some(key)).then(|| cells.next()).flatten()
    })
}

/// Appends a Sources section listing every key the document cites, with its reference.
fn with_sources(mut md: String) -> String {
    let mut keys: Vec<u32> = Vec::new();
    for (i, _) in md.match_indices('S') {
        let before = md[..i].chars().next_back();
        if !matches!(before, Some('(') | Some(' ')) {
            continue;
        }
        let digits: String = md[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let after = md[i + 1 + digits.len()..].chars().next();
        if !digits.is_empty()
            && matches!(after, Some(')') | Some(','))
            && let Ok(n) = digits.parse::<u32>()
            && source_of(&format!("S{n}")).is_some()
            && !keys.contains(&n)
        {
            keys.push(n);
        }
    }
    if keys.is_empty() {
        return md;
    }
    keys.sort_unstable();
    md.push_str(
        "\n## Sources\n\nThe benchmark keys cited above (all sources: `docs/benchmarks.md`):\n\n",
    );
    for k in keys {
        let key = format!("S{k}");
        md.push_str(&format!(
            "- {key}: {}\n",
            source_of(&key).unwrap_or_default()
        ));
    }
    md
}

/// `[S17][S18]` → `(S17, S18)`.
fn cite_keys(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("[S") {
        let tail = &rest[i + 2..];
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && tail[digits..].starts_with(']') {
            out.push_str(&rest[..i]);
            // Merge runs of keys into one parenthesis.
            let mut keys = vec![&tail[..digits]];
            let mut after = &tail[digits + 1..];
            while let Some(t) = after.strip_prefix("[S") {
                let d = t.chars().take_while(char::is_ascii_digit).count();
                if d > 0 && t[d..].starts_with(']') {
                    keys.push(&t[..d]);
                    after = &t[d + 1..];
                } else {
                    break;
                }
            }
            out.push('(');
            out.push_str(
                &keys
                    .iter()
                    .map(|k| format!("S{k}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            out.push(')');
            rest = after;
        } else {
            out.push_str(&rest[..i + 2]);
            rest = &rest[i + 2..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(money("$", 180000.0), "$180,000");
        assert_eq!(money("€", 1250000.4), "€1,250,000");
        assert_eq!(money("$", 12.5), "$12.50");
        assert_eq!(money("$", 0.0), "$0");
        assert_eq!(pct(0.375), "37.5%");
        assert_eq!(pct(0.35), "35%");
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(2.50), "2.5");
        assert_eq!(lcfirst("Fewer than 8"), "fewer than 8");
        assert_eq!(lcfirst("SQLs accepted"), "SQLs accepted");
        assert_eq!(
            cite_keys("x [S17][S18] y [S2] [Sx]"),
            "x (S17, S18) y (S2) [Sx]"
        );
    }
}
