//! The foundation every section works from: the facts, resolved. User values are used as given
//! (and cited by file and line); what is missing gets a benchmark or a documented default, and
//! every such value is recorded as an [`Assumption`]. @revenue-operations writes this in phase 1,
//! so the deal size, rates and targets are decided once and every later section reads them.

use crate::benchmarks::{self, Bench};
use crate::facts::{Fact, Facts, Origin};
use crate::model::{Assumption, Business, Objectives, Variation};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One stage with the rate to the next (or to closed-won) and where each came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StageSeed {
    /// Name.
    pub name: String,
    /// Entry criterion from the Sales Bible, if written.
    pub entry: Option<String>,
    /// Exit criterion from the Sales Bible, if written.
    pub exit: Option<String>,
    /// Objective from the Sales Bible, if written.
    pub objective: Option<String>,
    /// Conversion to the next stage.
    pub rate: f64,
    /// The user's file:line, or the benchmark and its source.
    pub rate_source: String,
    /// True when the rate is the user's own.
    pub own_rate: bool,
    /// The benchmark for this position, for comparison.
    pub benchmark: f64,
}

/// The resolved inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Foundation {
    /// Who the plan is for.
    pub business: Business,
    /// The numbers.
    pub objectives: Objectives,
    /// Five stages.
    pub stages: Vec<StageSeed>,
    /// True when the stage names come from the Sales Bible.
    pub stages_from_bible: bool,
    /// Priced packages: (name, price).
    pub packages: Vec<(String, f64)>,
    /// Values assumed.
    pub assumptions: Vec<Assumption>,
    /// Values read, with their origin: (fact, value, origin).
    pub cited: Vec<(String, String, String)>,
    /// The day the foundation was resolved.
    pub created: String,
}

struct Resolver<'a> {
    facts: &'a Facts,
    assumptions: Vec<Assumption>,
    cited: Vec<(String, String, String)>,
}

impl Resolver<'_> {
    fn cite(&mut self, fact: &str, value: String, origin: &Origin) {
        self.cited.push((fact.into(), value, origin.to_string()));
    }

    fn assume(&mut self, fact: &str, value: String, source: &str) {
        self.assumptions.push(Assumption {
            fact: fact.into(),
            value,
            source: source.into(),
        });
    }

    fn number_or(
        &mut self,
        f: Fact,
        name: &str,
        default: Bench,
        fmt: impl Fn(f64) -> String,
    ) -> f64 {
        match self.facts.number(f) {
            Some((v, o)) => {
                let o = o.clone();
                self.cite(name, fmt(v), &o);
                v
            }
            None => {
                self.assume(name, fmt(default.value), default.source);
                default.value
            }
        }
    }
}

fn money_str(cur: &str, v: f64) -> String {
    crate::render::money(cur, v)
}

/// Which variation the inputs describe, and why.
pub fn infer_variation(
    chosen: Option<&str>,
    facts: &Facts,
    team: Option<f64>,
) -> (Variation, String) {
    if let Some(c) = chosen {
        let l = c.to_lowercase();
        let v = if l.contains("solo") {
            Variation::Solopreneur
        } else if l.contains("scal") {
            Variation::Scaling
        } else {
            Variation::Service
        };
        return (v, format!("chosen with --variation ({c})"));
    }
    if let Some((t, o)) = facts.text(Fact::BusinessType) {
        let l = t.to_lowercase();
        let v = if l.contains("solo") || l.contains("freelanc") || l.contains("one-person") {
            Some(Variation::Solopreneur)
        } else if l.contains("scal")
            || l.contains("team")
            || l.contains("saas")
            || l.contains("startup")
        {
            Some(Variation::Scaling)
        } else if l.contains("service") || l.contains("agency") || l.contains("consult") {
            Some(Variation::Service)
        } else {
            None
        };
        if let Some(v) = v {
            return (v, format!("business type `{t}` at {o}"));
        }
    }
    let text = facts.all_text();
    match team {
        Some(t) if t >= 3.0 => (Variation::Scaling, format!("team of {t} sellers")),
        Some(t) if t <= 1.0 && !(text.contains("agency") || text.contains("our team")) => (
            Variation::Solopreneur,
            "one person sells (team size 1)".into(),
        ),
        _ if text.contains("agency")
            || text.contains("consulting")
            || text.contains("professional services") =>
        {
            (
                Variation::Service,
                "the inputs describe a services business".into(),
            )
        }
        _ if text.contains("i run the business alone") || text.contains("solopreneur") => (
            Variation::Solopreneur,
            "the inputs describe a one-person business".into(),
        ),
        _ => (
            Variation::Scaling,
            "no team size or business type given; planned for a team".into(),
        ),
    }
}

fn framework(facts: &Facts, deal: f64, team: f64) -> (String, String) {
    if let Some((t, o)) = facts.text(Fact::QualificationFramework) {
        for f in ["MEDDPICC", "MEDDIC", "BANT", "CHAMP", "SPIN", "GPCTBA"] {
            if t.to_uppercase().contains(f) {
                return (f.into(), format!("from the Sales Bible ({o})"));
            }
        }
    }
    let bible = facts.input_text("Sales Bible");
    for f in ["meddpicc", "meddic", "bant", "champ"] {
        if bible.contains(f) {
            return (f.to_uppercase(), "named in the Sales Bible".into());
        }
    }
    if deal >= 25_000.0 || team > 3.0 {
        (
            "MEDDIC".into(),
            "deal size or team makes deals multi-stakeholder; MEDDIC fits complex deals [S62]"
                .into(),
        )
    } else {
        (
            "BANT".into(),
            "short, transactional cycles suit BANT [S62]".into(),
        )
    }
}

/// Resolves the facts into the foundation. `today` sets the default start (the first day of
/// next month) when the inputs give none.
pub fn resolve(facts: &Facts, chosen_variation: Option<&str>, today: Date) -> Foundation {
    let mut r = Resolver {
        facts,
        assumptions: Vec::new(),
        cited: Vec::new(),
    };
    let team_fact = facts.number(Fact::TeamSize).map(|x| x.0);
    let (variation, variation_reason) = infer_variation(chosen_variation, facts, team_fact);

    // Money and the deal size.
    let (target, currency) = match facts.money(Fact::RevenueTarget) {
        Some((m, o)) => {
            let o = o.clone();
            r.cite("revenue target", money_str(m.currency, m.amount), &o);
            (m.amount, m.currency)
        }
        None => (0.0, "$"),
    };
    let packages: Vec<(String, f64)> = facts
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.price.amount))
        .collect();
    let deal = match facts.money(Fact::AvgDealSize) {
        Some((m, o)) => {
            let o = o.clone();
            r.cite("average deal size", money_str(currency, m.amount), &o);
            m.amount
        }
        None if !packages.is_empty() => {
            let avg = packages.iter().map(|p| p.1).sum::<f64>() / packages.len() as f64;
            r.assume(
                "average deal size",
                money_str(currency, avg),
                "average of the Sales Bible's package prices",
            );
            avg
        }
        None => {
            r.assume(
                "average deal size",
                money_str(currency, benchmarks::DEAL_SIZE.value),
                benchmarks::DEAL_SIZE.source,
            );
            benchmarks::DEAL_SIZE.value
        }
    };
    let cycle_bench = benchmarks::cycle_days(deal, variation);
    let cycle = r.number_or(Fact::SalesCycleDays, "sales cycle", cycle_bench, |v| {
        format!("{v:.0} days")
    });

    // Period.
    let period = match facts.number(Fact::PeriodMonths) {
        Some((m, o)) => {
            let o = o.clone();
            r.cite("planning period", format!("{m:.0} months"), &o);
            m.round().clamp(1.0, 60.0) as u32
        }
        None => {
            r.assume(
                "planning period",
                "12 months".into(),
                "coord default: an annual plan",
            );
            12
        }
    };
    let start = match facts.date(Fact::StartDate) {
        Some((d, o)) => {
            let o = o.clone();
            r.cite("start date", d.to_string(), &o);
            d
        }
        None => {
            let next = today
                .first_of_month()
                .checked_add(jiff::Span::new().months(1))
                .unwrap_or(today);
            r.assume(
                "start date",
                next.to_string(),
                "coord default: the first day of next month",
            );
            next
        }
    };
    let end = start
        .checked_add(jiff::Span::new().months(i64::from(period)))
        .and_then(|d| d.checked_sub(jiff::Span::new().days(1)))
        .unwrap_or(start);

    // People and hours.
    let team = match team_fact {
        Some(t) => {
            if let Some((_, o)) = facts.number(Fact::TeamSize) {
                let o = o.clone();
                r.cite("team size", format!("{t:.0}"), &o);
            }
            t.max(1.0).round()
        }
        None => {
            let t = 1.0;
            r.assume(
                "team size",
                "1".into(),
                "coord default: one seller when no team size is given",
            );
            t
        }
    };
    let mut hours_person = r.number_or(
        Fact::HoursPerWeek,
        "selling hours per week",
        benchmarks::HOURS_PER_WEEK,
        |v| format!("{v:.1} h"),
    );
    if variation == Variation::Solopreneur && hours_person > benchmarks::SOLO_HOURS_CAP {
        r.assume(
            "selling hours per week",
            format!(
                "{:.0} h (capped from {hours_person:.0} h)",
                benchmarks::SOLO_HOURS_CAP
            ),
            "solopreneur plans cap selling time so delivery keeps its hours (SALES.md rubric §21)",
        );
        hours_person = benchmarks::SOLO_HOURS_CAP;
    }
    let budget = match facts.money(Fact::Budget) {
        Some((m, o)) => {
            let o = o.clone();
            r.cite("sales budget", money_str(currency, m.amount), &o);
            m.amount
        }
        None => {
            r.assume(
                "sales budget",
                money_str(currency, 0.0),
                "no budget stated: the plan uses no paid spend",
            );
            0.0
        }
    };
    let margin = r.number_or(Fact::Margin, "gross margin", benchmarks::MARGIN, |v| {
        format!("{:.0}%", v * 100.0)
    });
    let purchases = r.number_or(
        Fact::PurchasesPerYear,
        "purchases per customer per year",
        Bench {
            value: 1.0,
            source: "coord default: one purchase per customer per year",
        },
        |v| format!("{v:.1}"),
    );
    let customers = r.number_or(
        Fact::CurrentCustomers,
        "current customers",
        Bench {
            value: 0.0,
            source: "coord default: no existing customers stated",
        },
        |v| format!("{v:.0}"),
    );
    let ramp = if variation == Variation::Scaling {
        match facts.number(Fact::RampMonths) {
            Some((d, o)) => {
                let o = o.clone();
                r.cite("ramp time", format!("{:.1} months", d / 30.4), &o);
                d / 30.4
            }
            None => {
                r.assume(
                    "ramp time",
                    format!("{:.0} months", benchmarks::RAMP_MONTHS.value),
                    benchmarks::RAMP_MONTHS.source,
                );
                benchmarks::RAMP_MONTHS.value
            }
        }
    } else {
        0.0
    };

    // Stages and rates.
    let defaults = benchmarks::default_stages(variation);
    let bible: Vec<&crate::facts::extract::StageBlock> = {
        let all: Vec<_> = facts.stages.iter().map(|(s, _)| s).collect();
        let pipeline: Vec<_> = all
            .iter()
            .copied()
            .filter(|s| s.section.to_lowercase().contains("pipeline"))
            .collect();
        if pipeline.len() >= 3 { pipeline } else { all }
    };
    let stages_from_bible = bible.len() >= 3;
    let mut stages: Vec<StageSeed> = Vec::new();
    for (i, &(dname, dbench)) in defaults.iter().enumerate() {
        let from_bible = stages_from_bible.then(|| bible.get(i)).flatten();
        stages.push(StageSeed {
            name: from_bible
                .map(|s| s.name.clone())
                .unwrap_or_else(|| dname.to_string()),
            entry: from_bible.and_then(|s| s.entry.clone()),
            exit: from_bible.and_then(|s| s.exit.clone().or_else(|| s.objective.clone())),
            objective: from_bible.and_then(|s| s.objective.clone()),
            rate: dbench.value,
            rate_source: dbench.source.to_string(),
            own_rate: false,
            benchmark: dbench.value,
        });
    }
    // The user's own rates override benchmarks.
    let norm = |s: &str| crate::facts::vocab::normalise(s);
    for rf in &facts.rates {
        let from = norm(&rf.from);
        let pos = stages.iter().position(|s| {
            let n = norm(&s.name);
            !from.is_empty() && (n == from || n.contains(&from) || from.contains(&n))
        });
        let pos = pos.or_else(|| {
            // `Stage 2 to 3`.
            from.strip_prefix("stage ")
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| (1..=5).contains(n))
                .map(|n| n - 1)
        });
        let Some(i) = pos else {
            r.assume(
                &format!("conversion {} → {}", rf.from, rf.to),
                "not used".into(),
                &format!(
                    "{}: no stage named `{}` in the pipeline",
                    rf.origin, rf.from
                ),
            );
            continue;
        };
        stages[i].rate = rf.rate;
        stages[i].rate_source = format!("your data: {}", rf.origin);
        stages[i].own_rate = true;
    }
    // A last stage that is the signature itself (`Agreement: signed engagement letter`) converts
    // fully once the user's own rate into it is known: their rate into it was the win.
    let signed_words = [
        "agreement",
        "signed",
        "contract",
        "closed",
        "won",
        "signature",
    ];
    let last_text = format!(
        "{} {}",
        stages[4].name,
        stages[4].objective.clone().unwrap_or_default()
    )
    .to_lowercase();
    let last_is_signature = stages_from_bible && signed_words.iter().any(|w| last_text.contains(w));
    if let Some((w, o)) = facts.number(Fact::WinRate)
        && !stages[3].own_rate
        && last_is_signature
    {
        // Proposal → signed is the stated win rate.
        stages[3].rate = w;
        stages[3].rate_source = format!("your win rate ({o})");
        stages[3].own_rate = true;
    }
    if stages[3].own_rate && !stages[4].own_rate && last_is_signature {
        stages[4].rate = 1.0;
        stages[4].rate_source = format!(
            "`{}` is the signed deal in your Sales Bible, so your {} → {} rate is the win rate",
            stages[4].name, stages[3].name, stages[4].name
        );
        stages[4].own_rate = true;
    }
    if let Some((w, o)) = facts.number(Fact::WinRate)
        && !stages[4].own_rate
        && !stages[3].own_rate
    {
        // A stated win rate covers proposal → won: split with the commit benchmark.
        stages[3].rate = (w / stages[4].rate).min(1.0);
        stages[3].rate_source = format!(
            "your win rate {:.0}% ({o}) ÷ final-stage {:.0}%",
            w * 100.0,
            stages[4].rate * 100.0
        );
        stages[3].own_rate = true;
    }
    for s in &stages {
        if s.own_rate {
            let src = s.rate_source.clone();
            r.cited.push((
                format!("conversion {} → next", s.name),
                format!("{:.0}%", s.rate * 100.0),
                src,
            ));
        } else {
            let (v, src) = (format!("{:.1}%", s.rate * 100.0), s.rate_source.clone());
            r.assume(&format!("conversion from {}", s.name), v, &src);
        }
    }

    let (framework, framework_reason) = framework(facts, deal, team);
    let name = facts
        .text(Fact::BusinessName)
        .map(|x| x.0.to_string())
        .unwrap_or_else(|| "Your business".into());
    let owner = facts
        .text(Fact::PlanOwner)
        .map(|x| x.0.to_string())
        .unwrap_or_else(|| match variation {
            Variation::Solopreneur => "Founder".into(),
            Variation::Service => "Managing Partner".into(),
            Variation::Scaling => "Head of Sales".into(),
        });
    let icp = facts
        .text(Fact::Icp)
        .map(|x| x.0.trim_end_matches('.').to_string())
        .unwrap_or_else(|| "the customers the Sales Bible describes".into());
    let vision = facts
        .input_text("Foundation Documents")
        .lines()
        .find_map(|l| {
            let l = l.trim().trim_start_matches("**").trim();
            l.strip_prefix("vision:**")
                .or_else(|| l.strip_prefix("mission:**"))
                .or_else(|| l.strip_prefix("vision:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default();
    let deals_needed = if deal > 0.0 {
        (target / deal - 1e-9).ceil().max(0.0) as u32
    } else {
        0
    };
    Foundation {
        business: Business {
            name,
            owner,
            variation,
            variation_reason,
            icp,
            lead_sources: facts.list(Fact::LeadSources),
            tools: facts.list(Fact::Tools),
            qualification_framework: framework,
            framework_reason,
            vision,
        },
        objectives: Objectives {
            revenue_target: target,
            currency: currency.to_string(),
            period_months: period,
            start_date: start.to_string(),
            end_date: end.to_string(),
            avg_deal_size: deal,
            sales_cycle_days: cycle.round().max(1.0) as u32,
            hours_per_week: hours_person * team,
            hours_per_person: hours_person,
            team_size: team as u32,
            budget,
            deals_needed,
            current_customers: customers.round() as u32,
            margin,
            purchases_per_year: purchases,
            ramp_months: ramp,
        },
        stages,
        stages_from_bible,
        packages,
        assumptions: r.assumptions,
        cited: r.cited,
        created: today.to_string(),
    }
}
