//! The foundation every section works from: the facts, resolved. User values are used as given
//! (and cited by file and line); what is missing gets a benchmark or a documented default, and
//! every such value is recorded as an [`Assumption`]. @revenue-operations writes this in phase 1,
//! so the deal size, rates and targets are decided once and every later section reads them.

use crate::benchmarks::{self, Bench};
use crate::facts::constraints::{CapScope, Constraint};
use crate::facts::prose::Scope;
use crate::facts::values::Per;
use crate::facts::{Fact, Facts, Origin, vocab};
use crate::model::{Assumption, Business, KeyFact, Objectives, Variation};
use crate::stages::ClientStage;
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
    /// A state recorded in the CRM (`Verbal yes`), not a meeting: it takes no time.
    #[serde(default)]
    pub milestone: bool,
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
    /// The key facts with their sources, for the terminal and the plan's first table.
    pub key_facts: Vec<KeyFact>,
    /// The client's own stages and rates, as written (empty when they gave none).
    pub client_stages: Vec<ClientStage>,
    /// How the client's stages were mapped onto five (merged, split).
    pub stage_notes: Vec<String>,
    /// Rates the client wrote that match none of their stages.
    pub unmatched_rates: Vec<String>,
    /// Limits the user wrote.
    pub limits: Limits,
    /// Other values written for a fact than the one the plan uses.
    pub conflicts: Vec<String>,
    /// The day the foundation was resolved.
    pub created: String,
    /// Weeks an average engagement runs, from the packages' descriptions, with how it was found.
    pub engagement: Option<(f64, String)>,
    /// Engagements the business can deliver at once, when the inputs say, with where.
    #[serde(default)]
    pub concurrent: Option<(u32, String)>,
    /// How the business charges, in the proposal's words: `fixed fee` (the default), `success
    /// fee`, `monthly fee`, from what the documents say.
    #[serde(default)]
    pub fee_terms: String,
    /// Clients lost a year today, when the inputs say (`we lose two a year`, `90% renew`), with
    /// how it was found and where; it replaces any churn benchmark.
    #[serde(default)]
    pub clients_lost: Option<(f64, String)>,
    /// When the inputs' target is total revenue: (that total, what today's customers bring,
    /// how the new-business target was found). `objectives.revenue_target` is then the new
    /// business.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_target: Option<(f64, f64, String)>,
    /// How often the business attends or runs events, a year, with the words that say so
    /// (`once a quarter` → 4), when the inputs say.
    #[serde(default)]
    pub events_per_year: Option<(f64, String)>,
    /// What one paid lead costs: yours (`Cost per lead:`) or the benchmark.
    #[serde(default)]
    pub cost_per_lead: f64,
    /// True when the work is sold as a retainer or subscription: it has no end to schedule.
    #[serde(default)]
    pub recurring: bool,
    /// What each channel brings a month, where the inputs say (`about 3 a month`).
    #[serde(default)]
    pub channel_volumes: Vec<crate::channels::ChannelVolume>,
    /// The sellers' roles as the roster names them: (role, people, hours a week each).
    #[serde(default)]
    pub seller_roles: Vec<(String, u32, f64)>,
}

/// An hour cap with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CapRule {
    /// Hours allowed in each such week (for the whole team).
    pub hours: f64,
    /// Which weeks.
    pub scope: CapScope,
    /// `file:line`.
    pub source: String,
}

/// A dated roadmap item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RoadmapRule {
    /// The first day of its month.
    pub date: String,
    /// What is to be done.
    pub what: String,
    /// `file:line`.
    pub source: String,
}

/// The limits the user wrote, resolved against the plan's dates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Limits {
    /// Hour caps for some weeks.
    pub caps: Vec<CapRule>,
    /// Activities and channels not to use: (canonical name, source).
    pub excluded: Vec<(String, String)>,
    /// Channels' shares of new clients: (channel, share, source).
    pub channel_goals: Vec<(String, f64, String)>,
    /// Roadmap items inside the period.
    pub roadmap: Vec<RoadmapRule>,
}

impl Limits {
    /// True when `text` names an excluded activity.
    pub fn excludes(&self, text: &str) -> bool {
        self.excluded
            .iter()
            .any(|(a, _)| crate::facts::constraints::mentions(text, a))
    }
}

struct Resolver<'a> {
    facts: &'a Facts,
    assumptions: Vec<Assumption>,
    cited: Vec<(String, String, String)>,
    key: Vec<KeyFact>,
}

/// The key facts: shown with their source on the terminal, and a warning when defaulted.
const KEY: &[&str] = &[
    "revenue target",
    "planning period",
    "start date",
    "average deal size",
    "sales cycle",
    "selling hours per week",
    "team size",
    "sales budget",
];

fn example_for(fact: &str) -> Option<String> {
    let f = match fact {
        "revenue target" => Fact::RevenueTarget,
        "planning period" => Fact::PeriodMonths,
        "start date" => Fact::StartDate,
        "average deal size" => Fact::AvgDealSize,
        "sales cycle" => Fact::SalesCycleDays,
        "selling hours per week" => Fact::HoursPerWeek,
        "team size" => Fact::TeamSize,
        "sales budget" => Fact::Budget,
        _ => return None,
    };
    Some(vocab::entry(f).example.to_string())
}

impl Resolver<'_> {
    fn cite(&mut self, fact: &str, value: String, origin: &Origin) {
        self.cite_noted(fact, value, origin, None);
    }

    /// Records a key fact (once per fact) when `fact` is one.
    fn key_fact(
        &mut self,
        fact: &str,
        value: &str,
        source: String,
        defaulted: bool,
        note: Option<String>,
    ) {
        if KEY.contains(&fact) && !self.key.iter().any(|k| k.fact == fact) {
            self.key.push(KeyFact {
                fact: fact.into(),
                value: value.into(),
                source,
                defaulted,
                add: defaulted.then(|| example_for(fact)).flatten(),
                note,
            });
        }
    }

    fn cite_noted(&mut self, fact: &str, value: String, origin: &Origin, note: Option<String>) {
        self.key_fact(fact, &value, origin.to_string(), false, note);
        self.cited.push((fact.into(), value, origin.to_string()));
    }

    fn assume(&mut self, fact: &str, value: String, source: &str) {
        self.key_fact(fact, &value, format!("default ({source})"), true, None);
        self.assumptions.push(Assumption {
            fact: fact.into(),
            value,
            source: source.into(),
        });
    }

    /// A key fact derived from other inputs (not defaulted, not read directly).
    fn derive(&mut self, fact: &str, value: String, source: &str) {
        self.key_fact(fact, &value, source.into(), false, None);
        self.assumptions.push(Assumption {
            fact: fact.into(),
            value,
            source: source.into(),
        });
    }

    fn note_of(&self, f: Fact) -> Option<String> {
        self.facts.values.get(&f).and_then(|x| x.note.clone())
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
                let note = self.note_of(f);
                self.cite_noted(name, fmt(v), &o, note);
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
    // Otherwise by what the documents say the business is, then by the team.
    let text = facts.all_text();
    let has = |ws: &[&str]| {
        ws.iter()
            .any(|w| crate::facts::prose::find_word(&text, w).is_some())
    };
    // A product sold by a team; recurring-revenue words alone (`MRR`, `churn`) are as much a
    // bookkeeping practice's as a software company's, so they count only without service words.
    let product_words = has(&[
        "saas",
        "software",
        "platform",
        "sdr",
        "sdrs",
        "account executive",
        "account executives",
        "aes",
        "seats",
        "product-led",
    ]);
    let recurring_words = has(&["subscription", "arr", "mrr", "quota", "churn"]);
    let service_words = has(&[
        "agency",
        "consulting",
        "consultancy",
        "professional services",
        "practice",
        "studio",
        "firm",
        "clinic",
        "architects",
        "law",
        "coaching",
        "accountants",
        "bookkeeping",
        "advisory",
        "partners",
        "services",
        // Trades and facilities: contracts and churn, but a service.
        "cleaning",
        "cleaners",
        "contractor",
        "contractors",
        "maintenance",
        "landscaping",
        "plumbing",
        "electrical",
        "recruitment",
        "recruiters",
        "photographer",
        "photography",
    ]);
    let scaling_words = product_words || (recurring_words && !service_words);
    match team {
        Some(t) if t <= 1.0 && !(text.contains("agency") || text.contains("our team")) => (
            Variation::Solopreneur,
            "one person sells (team size 1)".into(),
        ),
        Some(t) if scaling_words => (
            Variation::Scaling,
            format!("a team of {t} selling a product (the inputs talk about software or quotas)"),
        ),
        Some(t) if service_words || t <= 2.0 => (
            Variation::Service,
            format!("a team of {t} selling services"),
        ),
        Some(t) => (Variation::Scaling, format!("team of {t} sellers")),
        None if has(&[
            "solopreneur",
            "freelancer",
            "i run the business alone",
            "i work alone",
        ]) =>
        {
            (
                Variation::Solopreneur,
                "the inputs describe a one-person business".into(),
            )
        }
        None if service_words && !scaling_words => (
            Variation::Service,
            "the inputs describe a services business".into(),
        ),
        None if scaling_words => (
            Variation::Scaling,
            "the inputs describe a product sold by a team".into(),
        ),
        // No team size is planned as one seller (the team-size default), so plan as one.
        None => (
            Variation::Solopreneur,
            "no team size or business type given; planned for one seller".into(),
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

/// Resolves the facts into the foundation. `today` (the run's day) sets the default start (the
/// first day of next month) when the inputs give none; the plan is dated by its start.
pub fn resolve(facts: &Facts, chosen_variation: Option<&str>, today: Date) -> Foundation {
    let mut r = Resolver {
        facts,
        assumptions: Vec::new(),
        cited: Vec::new(),
        key: Vec::new(),
    };
    let team_fact = facts.number(Fact::TeamSize).map(|x| x.0);
    let (variation, variation_reason) = infer_variation(chosen_variation, facts, team_fact);

    // Period first: money per month or week is counted over it.
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
    let months = f64::from(period);
    let per_note = |m: &crate::facts::Money, total: f64, over: &str| -> Option<String> {
        // Said only when the period changed the figure (`$400 a month` → `$4,800 a year`).
        (m.per != Per::Total && (total - m.amount).abs() > 1e-6).then(|| {
            format!(
                "{} {} counted {over}: {}",
                money_str(m.currency, m.amount),
                m.per.as_str(),
                money_str(m.currency, total)
            )
        })
    };

    // Money and the deal size.
    let (target, currency) = match facts.money(Fact::RevenueTarget) {
        Some((m, o)) => {
            let o = o.clone();
            let total = m.over_months(months);
            let note = per_note(&m, total, &format!("over the {period}-month period"))
                .or_else(|| r.note_of(Fact::RevenueTarget));
            r.cite_noted("revenue target", money_str(m.currency, total), &o, note);
            (total, m.currency)
        }
        // `sign 30 new contracts`: counted in deals; the currency is the deal's or the
        // packages'.
        None => (
            0.0,
            facts
                .money(Fact::AvgDealSize)
                .map(|(m, _)| m.currency)
                .or_else(|| facts.packages.first().map(|p| p.price.currency))
                .unwrap_or("$"),
        ),
    };
    let packages: Vec<(String, f64)> = facts
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.price.amount * p.price.per.per_year()))
        .collect();
    // The mix the documents give weighs each price by how often it sells.
    let mix = facts
        .package_mix
        .as_ref()
        .filter(|(m, _)| m.len() == packages.len());
    let pkg_avg = (!packages.is_empty()).then(|| match mix {
        Some((m, _)) => packages.iter().zip(m).map(|(p, w)| p.1 * w).sum::<f64>(),
        None => packages.iter().map(|p| p.1).sum::<f64>() / packages.len() as f64,
    });
    let mut conflicts: Vec<String> = facts
        .conflicts
        .iter()
        .map(|(f, v, o)| {
            format!(
                "{}: `{v}` at {o} was not used (another value ranks higher)",
                vocab::entry(*f).labels[0]
            )
        })
        .collect();
    let deal = match facts.money(Fact::AvgDealSize) {
        Some((m, o)) => {
            let o = o.clone();
            // A deal paid monthly is worth a year of payments.
            let annual = match m.per {
                Per::Total | Per::Year => m.amount,
                p => m.amount * p.per_year(),
            };
            let note = per_note(&m, annual, "a year").or_else(|| r.note_of(Fact::AvgDealSize));
            r.cite_noted("average deal size", money_str(currency, annual), &o, note);
            if let Some(avg) = pkg_avg
                && (avg - annual).abs() > 0.01 * annual.max(1.0)
            {
                conflicts.push(format!(
                    "average deal size: your package prices average {} a year; the {} stated at {o} is used",
                    money_str(currency, avg),
                    money_str(currency, annual)
                ));
            }
            annual
        }
        None if pkg_avg.is_some() => {
            let avg = pkg_avg.unwrap_or_default();
            let prices = facts
                .packages
                .iter()
                .map(|p| p.origin.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let how = match mix {
                Some((m, o)) => format!(
                    "the package prices a year weighted by the mix you sell ({}) at {o}; prices at {prices}",
                    packages
                        .iter()
                        .zip(m)
                        .map(|(p, w)| format!("{:.0}% {}", w * 100.0, p.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => format!("average of the package prices a year ({prices})"),
            };
            r.derive("average deal size", money_str(currency, avg), &how);
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
    // A target counted in deals (`our target for 2027 is 80 placements`) is worth the deal size
    // each, when the deal size is the business's own (written, or from its packages).
    let target = match facts.number(Fact::DealsTarget) {
        Some((n, o))
            if target <= 0.0 && (facts.money(Fact::AvgDealSize).is_some() || pkg_avg.is_some()) =>
        {
            let total = (n * deal).round();
            r.derive(
                "revenue target",
                money_str(currency, total),
                &format!(
                    "{n:.0} new deals ({o}) × {} average deal",
                    money_str(currency, deal)
                ),
            );
            total
        }
        _ => target,
    };
    let cycle_bench = benchmarks::cycle_days(deal, variation);
    let cycle = r.number_or(Fact::SalesCycleDays, "sales cycle", cycle_bench, |v| {
        format!("{v:.0} days")
    });

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

    // People and hours: a roster counts its sellers and adds their hours.
    let roster = roster_team(facts);
    let team = match facts.number(Fact::TeamSize) {
        _ if roster.is_some() => {
            let t = roster.as_ref().map(|t| t.sellers).unwrap_or(1);
            r.derive(
                "team size",
                t.to_string(),
                roster.as_ref().map_or("", |t| t.how.as_str()),
            );
            f64::from(t)
        }
        Some((t, o)) => {
            let o = o.clone();
            r.cite("team size", format!("{t:.0}"), &o);
            t.max(1.0).round()
        }
        None => {
            r.assume(
                "team size",
                "1".into(),
                "coord default: one seller when no team size is given",
            );
            1.0
        }
    };
    let mut hours_person = match facts.number(Fact::HoursPerWeek) {
        _ if roster.is_some() => {
            let (total, how) = roster
                .as_ref()
                .map(|t| (t.hours, t.hours_how.clone()))
                .unwrap_or_default();
            r.derive("selling hours per week", format!("{total:.1} h"), &how);
            total / team
        }
        Some((v, o)) => {
            let o = o.clone();
            let scope = facts.hours_scope.unwrap_or(Scope::Unsaid);
            // Unsaid for a team: the smaller reading (the team's total), as with ranges — plan
            // on what is sure, and say how to read it the other way.
            let (per, how) = match scope {
                Scope::Team if team > 1.0 => (
                    v / team,
                    Some(format!(
                        "{v:.1} h for the team of {team:.0} together: {:.1} h each",
                        v / team
                    )),
                ),
                Scope::Unsaid if team > 1.0 => (
                    v / team,
                    Some(format!(
                        "read as {v:.1} h for the team of {team:.0} together ({:.1} h each), the smaller reading; write `each` or `per person` if every seller has {v:.1} h",
                        v / team
                    )),
                ),
                _ => (v, None),
            };
            let note = match (how, r.note_of(Fact::HoursPerWeek)) {
                (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                (a, b) => a.or(b),
            };
            r.cite_noted(
                "selling hours per week",
                format!("{:.1} h", per * team),
                &o,
                note,
            );
            per
        }
        None => {
            r.assume(
                "selling hours per week",
                format!("{:.1} h", benchmarks::HOURS_PER_WEEK.value * team),
                benchmarks::HOURS_PER_WEEK.source,
            );
            benchmarks::HOURS_PER_WEEK.value
        }
    };
    if variation == Variation::Solopreneur && hours_person > benchmarks::SOLO_HOURS_CAP {
        r.assume(
            "selling hours per week (cap)",
            format!(
                "{:.0} h (capped from {hours_person:.0} h)",
                benchmarks::SOLO_HOURS_CAP
            ),
            "coord default: a solo plan caps selling time so delivery keeps its hours",
        );
        hours_person = benchmarks::SOLO_HOURS_CAP;
    }
    let budget = match facts.money(Fact::Budget) {
        Some((m, o)) => {
            let o = o.clone();
            let total = m.over_months(months);
            let note = per_note(&m, total, &format!("over the {period}-month period"))
                .or_else(|| r.note_of(Fact::Budget));
            r.cite_noted("sales budget", money_str(currency, total), &o, note);
            total
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

    // Stages and rates: the client's, mapped onto five without losing any.
    let bible: Vec<&crate::facts::extract::StageBlock> = {
        let listed = if facts.stages.len() >= 2 {
            &facts.stages
        } else {
            &facts.prose_stages
        };
        let all: Vec<_> = listed.iter().map(|(s, _)| s).collect();
        let pipeline: Vec<_> = all
            .iter()
            .copied()
            .filter(|s| s.section.to_lowercase().contains("pipeline"))
            .collect();
        if pipeline.len() >= 3 { pipeline } else { all }
    };
    let map = crate::stages::map(variation, &bible, &facts.rates, facts.number(Fact::WinRate));
    let stages = map.seeds.clone();
    let stages_from_bible = map.from_client;
    for u in &map.unmatched {
        r.assume(
            &format!("conversion {u}"),
            "not used".into(),
            "no stage of that name in the pipeline",
        );
    }
    // Rates the client wrote (not the shares of them the mapping made).
    let own = if map.from_client {
        // The signed-deal stage's 100% follows from the others; it is not a rate you wrote.
        map.client
            .iter()
            .filter(|c| c.rate.is_some_and(|r| r < 0.9999))
            .count()
    } else {
        stages.iter().filter(|s| s.own_rate).count()
    };
    let rate_sources: Vec<String> = stages
        .iter()
        .filter(|s| s.own_rate)
        .map(|s| s.rate_source.clone())
        .collect();
    r.key.push(KeyFact {
        fact: "stage conversion rates".into(),
        value: format!(
            "{own} rate{} of yours; {:.1}% lead to won",
            if own == 1 { "" } else { "s" },
            stages.iter().map(|s| s.rate).product::<f64>() * 100.0
        ),
        source: if own == 0 {
            "default (benchmarks by stage, in the Assumptions)".into()
        } else {
            rate_sources.first().cloned().unwrap_or_default()
        },
        defaulted: own == 0,
        add: (own == 0).then(|| "| Discovery → Proposal | 40% |  (in the Sales Bible)".into()),
        note: (!map.notes.is_empty()).then(|| map.notes.join(" ")),
    });
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
        .or_else(|| name_from_titles(&facts.titles))
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
    // A target written as the whole revenue counts what today's customers bring: the plan's
    // target is the new business left to win once the kept customers' revenue is in.
    let mut total_target = None;
    let target = match &facts.total_target {
        Some(o) if customers >= 1.0 && deal > 0.0 && purchases > 0.0 => {
            let kept = facts.number(Fact::RenewalRate);
            let share = kept.map_or(1.0, |(k, _)| k.clamp(0.0, 1.0));
            let kept_note = kept
                .map(|(k, ko)| format!(" × {:.0}% kept ({ko})", k * 100.0))
                .unwrap_or_default();
            // What they pay today when the documents say it (MRR, ARR), else customers × the
            // average deal.
            let (book, what) = match facts.money(Fact::RecurringRevenue) {
                Some((m, ro)) => {
                    let year = m.amount * m.per.per_year();
                    (
                        (year * f64::from(period) / 12.0 * share).round(),
                        format!(
                            "{} a year recurring ({ro}){kept_note}",
                            money_str(currency, year)
                        ),
                    )
                }
                None => (
                    (customers * purchases * deal * f64::from(period) / 12.0 * share).round(),
                    format!(
                        "{customers:.0} × {} a year{kept_note}",
                        money_str(currency, deal * purchases)
                    ),
                ),
            };
            let new = (target - book).max(0.0);
            let how = format!(
                "your {} is total revenue ({o}); your {customers:.0} current customers bring about {} ({what}), so the new business to win is {}",
                money_str(currency, target),
                money_str(currency, book),
                money_str(currency, new)
            );
            r.derive("new-business target", money_str(currency, new), &how);
            // Said on the terminal beside the target as written.
            if let Some(k) = r.key.iter_mut().find(|k| k.fact == "revenue target") {
                let note = format!("total revenue: {how}");
                k.note = Some(match k.note.take() {
                    Some(n) => format!("{n}; {note}"),
                    None => note,
                });
            }
            total_target = Some((target, book, how));
            new
        }
        _ => target,
    };
    let deals_needed = if deal > 0.0 {
        (target / deal - 1e-9).ceil().max(0.0) as u32
    } else {
        0
    };
    let limits = limits(
        facts,
        (start, end),
        team,
        hours_person * team,
        roster.as_ref(),
    );
    let excluded_sources = |l: &Vec<String>| -> Vec<String> {
        l.iter().filter(|s| !limits.excludes(s)).cloned().collect()
    };
    let listed = facts.list(Fact::LeadSources);
    let lead_sources = if listed.is_empty() {
        // None written as a list: the channels the documents mention, said as such.
        let mentioned = excluded_sources(&crate::channels::mentioned_sources(&facts.all_text()));
        if !mentioned.is_empty() {
            r.derive(
                "lead sources",
                mentioned.join(", "),
                "the channels your documents mention (no list of lead sources given)",
            );
        }
        mentioned
    } else {
        // The sources written as a list or a `come from` sentence, named as specifically as
        // the documents do (`LinkedIn` → `LinkedIn posts` when they write posts), and any
        // other channel the documents give a monthly volume for (`Podcasts … two episodes a
        // month`): a channel with figures is a lead source.
        let mentioned = excluded_sources(&crate::channels::mentioned_sources(&facts.all_text()));
        let mut sources: Vec<String> = excluded_sources(&listed)
            .into_iter()
            .map(|s| {
                mentioned
                    .iter()
                    .find(|m| m.to_lowercase().starts_with(&s.to_lowercase()) && m.len() > s.len())
                    .cloned()
                    .unwrap_or(s)
            })
            .collect();
        for m in &mentioned {
            let new = !sources.iter().any(|s| crate::channels::same_channel(s, m));
            let counted =
                !crate::channels::volumes_of(&facts.volumes, std::slice::from_ref(m)).is_empty();
            if new && counted {
                sources.push(m.clone());
            }
        }
        sources
    };
    // What the channels bring a month, where written; with their own rates, the first step's
    // rate is theirs weighted by the volumes.
    let channel_volumes = crate::channels::volumes_of(&facts.volumes, &lead_sources);
    let mut stages = stages;
    let mut client_stages = map.client.clone();
    if blend_first_rate(&mut stages, &channel_volumes)
        && let Some(first) = client_stages.first_mut()
        && first.rate.is_some()
    {
        // The client's own first step is the blend of their channels' rates.
        first.rate = stages.first().map(|s| s.rate);
    }
    describe_stages(&mut stages, &facts.all_text());
    // What a paid lead costs: yours, or the benchmark when a paid channel needs one.
    let cost_per_lead = match facts.money(Fact::CostPerLead) {
        Some((m, o)) if m.amount > 0.0 => {
            r.cite("cost per lead", money_str(currency, m.amount), o);
            m.amount
        }
        _ => {
            let paid = lead_sources
                .iter()
                .any(|s| crate::channels::channel_kind(s).0 == "paid");
            if paid {
                r.assume(
                    "cost per paid lead",
                    money_str(currency, benchmarks::PAID_COST_PER_LEAD.value),
                    benchmarks::PAID_COST_PER_LEAD.source,
                );
            }
            benchmarks::PAID_COST_PER_LEAD.value
        }
    };
    Foundation {
        business: Business {
            name,
            owner,
            variation,
            variation_reason,
            icp,
            lead_sources,
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
        key_facts: r.key,
        client_stages,
        stage_notes: map.notes,
        unmatched_rates: map.unmatched,
        limits,
        conflicts,
        // The plan's own date, not the wall clock: the same inputs give the same bytes any
        // day. `--date` replaces it (see `agents`).
        created: start.to_string(),
        recurring: sells_recurring(facts),
        events_per_year: event_frequency(&facts.all_text()),
        channel_volumes,
        seller_roles: roster.as_ref().map(|t| t.roles.clone()).unwrap_or_default(),
        cost_per_lead,
        fee_terms: {
            let text = facts.all_text().to_lowercase();
            let has = |ws: &[&str]| ws.iter().any(|w| text.contains(w));
            if has(&[
                "success fee",
                "commission",
                "contingency fee",
                "placement fee",
            ]) {
                "success fee"
            } else if has(&["retainer", "monthly fee", "subscription", "per month"]) {
                "monthly fee"
            } else {
                "fixed fee"
            }
            .to_string()
        },
        clients_lost: facts
            .number(Fact::ClientsLost)
            .map(|(n, o)| (n, format!("{n:.0} clients lost a year ({o})")))
            .or_else(|| {
                // `90% of clients renew each year`: the rest are lost.
                let (k, o) = facts.number(Fact::RenewalRate)?;
                (customers >= 1.0).then(|| {
                    (
                        (customers * (1.0 - k)).max(0.0),
                        format!("{:.0}% renew a year ({o})", k * 100.0),
                    )
                })
            }),
        total_target,
        concurrent: facts
            .number(Fact::Concurrent)
            .filter(|(n, _)| *n >= 1.0)
            .map(|(n, o)| (n.round() as u32, o.to_string()))
            .or_else(|| {
                let (n, o) = facts
                    .number(Fact::ConcurrentEach)
                    .filter(|(n, _)| *n >= 1.0)?;
                let people = team.max(1.0);
                Some((
                    (n * people).round() as u32,
                    format!("{n:.0} at once for each of {people:.0} ({o})"),
                ))
            }),
        // Your own words for how long an engagement runs first, then the packages' descriptions.
        engagement: facts
            .number(Fact::EngagementLength)
            .filter(|(d, _)| *d >= 1.0)
            .map(|(d, o)| (d / 7.0, format!("your documents: {o}")))
            .or_else(|| {
                crate::timing::engagement_weeks(
                    &facts
                        .packages
                        .iter()
                        .map(|p| (p.name.clone(), p.price.amount, p.detail.clone()))
                        .collect::<Vec<_>>(),
                    deal,
                )
            }),
    }
}

/// How often events happen, from a sentence that names an event and a frequency: `we sponsor
/// the meetups once a quarter` → 4 a year.
fn event_frequency(text: &str) -> Option<(f64, String)> {
    const EVENTS: &[&str] = &[
        "event",
        "meetup",
        "breakfast",
        "conference",
        "association",
        "chamber",
        "trade show",
        "webinar",
        "talk",
    ];
    const FREQ: &[(&str, f64)] = &[
        ("every week", 52.0),
        ("weekly", 52.0),
        ("twice a month", 24.0),
        ("every month", 12.0),
        ("once a month", 12.0),
        ("monthly", 12.0),
        ("every quarter", 4.0),
        ("once a quarter", 4.0),
        ("quarterly", 4.0),
        ("a quarter", 4.0),
        ("twice a year", 2.0),
        ("spring and fall", 2.0),
        ("spring and autumn", 2.0),
        ("once a year", 1.0),
        ("annual", 1.0),
    ];
    let text = text.to_lowercase();
    let mut total = 0.0;
    let mut said = Vec::new();
    for sentence in text.split(['.', '\n', ';']) {
        if !EVENTS.iter().any(|e| sentence.contains(e)) {
            continue;
        }
        if let Some((w, n)) = FREQ.iter().find(|(w, _)| sentence.contains(w)) {
            total += n;
            said.push(format!("“{}”", w));
        }
    }
    (total > 0.0).then(|| (total, said.join(", ")))
}

/// The business's name from a title such as `Sales Bible — Ledgerly` or `Working journal -
/// Okafor Advisory`: the part that is not the kind of document.
fn name_from_titles(titles: &[String]) -> Option<String> {
    const DOC: &[&str] = &[
        "sales bible",
        "bible",
        "notes",
        "journal",
        "plan",
        "objectives",
        "constraints",
        "targets",
        "playbook",
        "about",
        "who we are",
        "vision",
        "mission",
        "strategy",
        "roadmap",
        "goals",
        "minutes",
        "meeting",
        "inputs",
        "numbers",
        "resources",
        "profile",
        "how ",
        "what ",
        "our ",
        "my ",
        "sales",
        "marketing",
        "overview",
        "summary",
        "2026",
        "2027",
        "2028",
        "fy",
    ];
    for t in titles {
        let parts: Vec<&str> = t
            .split([':', '|'])
            .flat_map(|p| p.split(" — "))
            .flat_map(|p| p.split(" – "))
            .flat_map(|p| p.split(" - "))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() < 2 {
            continue;
        }
        if let Some(name) = parts.iter().find(|p| {
            let l = p.to_lowercase();
            !DOC.iter().any(|d| l.contains(d))
                && p.split_whitespace().count() <= 5
                && p.chars().next().is_some_and(|c| c.is_uppercase())
        }) {
            return Some(name.to_string());
        }
    }
    None
}

/// The team a roster gives: its sellers, their hours added, and how that was found.
struct RosterTeam {
    sellers: u32,
    hours: f64,
    how: String,
    hours_how: String,
    /// Sellers who start later: (month they start, their hours, `file:line`).
    later: Vec<(u8, f64, String)>,
    /// Each role as the roster names it: (role, people, hours a week each).
    roles: Vec<(String, u32, f64)>,
    /// Each seller's name and hours, and the roster's file, for a person's time away.
    people: Vec<(String, f64)>,
    file: String,
}

fn roster_team(facts: &Facts) -> Option<RosterTeam> {
    let (file, members) = facts.roster.as_ref()?;
    let sellers: Vec<&crate::facts::roster::Member> = members.iter().filter(|m| m.sells).collect();
    let known: Vec<f64> = sellers.iter().filter_map(|m| m.hours).collect();
    if sellers.len() < 2 || known.is_empty() {
        return None;
    }
    let avg = known.iter().sum::<f64>() / known.len() as f64;
    let mut filled = Vec::new();
    let mut later = Vec::new();
    let hours: Vec<f64> = sellers
        .iter()
        .map(|m| {
            let h = m.hours.unwrap_or_else(|| {
                // The same role's hours, else everyone's average.
                let same: Vec<f64> = sellers
                    .iter()
                    .filter(|o| o.role == m.role)
                    .filter_map(|o| o.hours)
                    .collect();
                let h = if same.is_empty() {
                    avg
                } else {
                    same.iter().sum::<f64>() / same.len() as f64
                };
                filled.push(format!(
                    "{} {h:.0} h (not stated: as the others in the role)",
                    m.name
                ));
                h
            });
            if let Some(s) = m.starts {
                later.push((s, h, format!("{}:{}", file.display(), m.line)));
            }
            h
        })
        .collect();
    let total: f64 = hours.iter().sum();
    let people = sellers
        .iter()
        .zip(&hours)
        .map(|(m, h)| {
            let start = m
                .starts
                .map(|s| format!(", from month {s}"))
                .unwrap_or_default();
            format!("{} ({}, {h:.0} h{start})", m.name, m.role)
        })
        .collect::<Vec<_>>()
        .join(", ");
    let others: Vec<String> = members
        .iter()
        .filter(|m| !m.sells)
        .map(|m| m.name.clone())
        .collect();
    let mut how = format!(
        "the {} people who sell in {}: {people}",
        sellers.len(),
        file.display()
    );
    if !others.is_empty() {
        how.push_str(&format!("; not selling: {}", others.join(", ")));
    }
    let mut hours_how = format!("their hours added ({})", file.display());
    if !filled.is_empty() {
        hours_how.push_str(&format!("; assumed: {}", filled.join(", ")));
    }
    let mut roles: Vec<(String, u32, f64)> = Vec::new();
    for (m, h) in sellers.iter().zip(&hours) {
        match roles.iter_mut().find(|r| r.0 == m.role) {
            Some(r) => {
                r.2 = (r.2 * f64::from(r.1) + h) / f64::from(r.1 + 1);
                r.1 += 1;
            }
            None => roles.push((m.role.clone(), 1, *h)),
        }
    }
    Some(RosterTeam {
        sellers: sellers.len() as u32,
        hours: total,
        how,
        hours_how,
        later,
        roles,
        people: sellers
            .iter()
            .zip(&hours)
            .map(|(m, h)| (m.name.clone(), *h))
            .collect(),
        file: file.display().to_string(),
    })
}

/// Resolves the constraints against the plan's dates.
fn limits(
    facts: &Facts,
    (start, end): (Date, Date),
    team: f64,
    team_hours: f64,
    roster: Option<&RosterTeam>,
) -> Limits {
    let mut out = Limits::default();
    // A seller who starts later is not there in the months before: the team has that much less.
    if let Some(t) = roster {
        for (month, hours, src) in &t.later {
            let mut months = Vec::new();
            let mut m = start.month() as u8;
            while m != *month && months.len() < 12 {
                months.push(m);
                m = m % 12 + 1;
            }
            if !months.is_empty() && months.len() < 12 {
                out.caps.push(CapRule {
                    hours: t.hours - hours,
                    scope: CapScope::Months { months },
                    source: src.clone(),
                });
            }
        }
    }
    // `Ben is on parental leave for all of March and April`: one seller away holds the team to
    // the others' hours in those months.
    if let Some(t) = roster {
        let text = facts.all_text();
        for (name, hours) in &t.people {
            let first = name.split_whitespace().next().unwrap_or("").to_lowercase();
            if first.len() < 2 {
                continue;
            }
            for sentence in text.lines().flat_map(crate::facts::prose::sentences) {
                let away = [
                    "leave",
                    "away",
                    "sabbatical",
                    "holiday",
                    "vacation",
                    "off work",
                ]
                .iter()
                .any(|w| crate::facts::prose::find_word(sentence, w).is_some());
                if !away || crate::facts::prose::find_word(sentence, &first).is_none() {
                    continue;
                }
                let words: Vec<&str> = sentence
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect();
                // `months_in` counts from 0 (January).
                let months: Vec<u8> = crate::facts::values::months_in(&words)
                    .into_iter()
                    .filter(|m| *m < 12)
                    .map(|m| m as u8 + 1)
                    .collect();
                if !months.is_empty() && months.len() < 12 {
                    out.caps.push(CapRule {
                        hours: (team_hours - hours).max(0.0),
                        scope: CapScope::Months { months },
                        source: format!("{} ({name} away)", t.file),
                    });
                    break;
                }
            }
        }
    }
    for (c, o) in &facts.constraints {
        let src = format!("{}:{}", o.file.display(), o.line);
        match c {
            Constraint::Cap(cap) => {
                // `2 hours a week each` holds the team to twice that for two sellers.
                out.caps.push(CapRule {
                    hours: match cap.share {
                        // `half their usual time`: a share of the team's hours.
                        Some(share) => (share * team_hours * 10.0).round() / 10.0,
                        None if cap.each => cap.hours * team,
                        None => cap.hours,
                    },
                    scope: cap.scope.clone(),
                    source: src,
                });
            }
            Constraint::Exclude(a) => {
                if !out.excluded.iter().any(|(x, _)| x == a) {
                    out.excluded.push((a.clone(), src));
                }
            }
            Constraint::ChannelGoal(ch, share) => {
                if !out
                    .channel_goals
                    .iter()
                    .any(|(x, ..)| x.eq_ignore_ascii_case(ch))
                {
                    out.channel_goals.push((ch.clone(), *share, src));
                }
            }
            Constraint::Roadmap(item) => {
                // The first such month on or after the start (or the year written).
                let year = item.year.unwrap_or(start.year());
                let mut d = Date::new(year, item.month as i8, 1).unwrap_or(start);
                if item.year.is_none() && d < start.first_of_month() {
                    d = Date::new(year + 1, item.month as i8, 1).unwrap_or(d);
                }
                if d >= start.first_of_month() && d <= end {
                    out.roadmap.push(RoadmapRule {
                        date: d.max(start).to_string(),
                        what: item.what.clone(),
                        source: src,
                    });
                }
            }
        }
    }
    out
}

/// The first step's rate when channels bring their own (`about one in four of those turns into a
/// chemistry call`, `those nearly always book a call`): each channel's rate, or the stage's for
/// a channel without one, weighted by what each brings a month.
/// True when it did.
fn blend_first_rate(stages: &mut [StageSeed], volumes: &[crate::channels::ChannelVolume]) -> bool {
    let rest: f64 = stages.iter().skip(1).map(|s| s.rate).product();
    let Some(first) = stages.first_mut() else {
        return false;
    };
    if volumes.len() < 2 || volumes.iter().all(|v| v.rate.is_none()) {
        return false;
    }
    let total: f64 = volumes.iter().map(|v| v.per_month).sum();
    if total <= 0.0 || rest <= 0.0 {
        return false;
    }
    // Each channel's lead-to-won: its rate to won as written (`I win about half of them`), else
    // its first step (or the stage's) times the rest of the funnel. The first step is what
    // makes the blend come out.
    let won_of = |v: &crate::channels::ChannelVolume| match v.rate {
        Some(r) if v.to_won => r,
        Some(r) => r * rest,
        None => first.rate * rest,
    };
    let blended =
        (volumes.iter().map(|v| v.per_month * won_of(v)).sum::<f64>() / total / rest).min(1.0);
    first.rate_source = format!(
        "your channels' rates weighted by what each brings a month: {}",
        volumes
            .iter()
            .map(|v| format!(
                "{} {:.0}%{} of {}/month",
                v.channel,
                v.rate.unwrap_or(first.rate) * 100.0,
                match (v.rate, v.to_won) {
                    (Some(_), true) => " won",
                    (Some(_), false) => "",
                    (None, _) => " (the stage's rate)",
                },
                crate::render::fmt_num(v.per_month)
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    first.rate = blended;
    first.own_rate = true;
    true
}

/// True when the business sells recurring work (retainers, subscriptions, monthly fees): a
/// package priced by the month, or words about what clients pay — not a subscription the
/// business buys (`a LinkedIn Premium subscription`) or a monthly spend (`$150 per month on ads`).
///
/// With priced packages, their prices decide: all by the month (or year) is recurring work;
/// projects with a retainer beside them (`Store Build $20,000 – $35,000, 8–10 weeks` and
/// `Growth Retainer $3,500 / month`) are engagements that end, the retainer being what follows.
fn sells_recurring(facts: &Facts) -> bool {
    use crate::facts::values::Per;
    if !facts.packages.is_empty() {
        return facts.packages.iter().all(|p| {
            matches!(
                p.price.per,
                Per::Month | Per::Year | Per::Quarter | Per::Week
            )
        });
    }
    let text = facts.all_text();
    let bought = |at: usize| {
        let before = crate::facts::prose::window(&text, at.saturating_sub(30), at);
        [
            "premium", "linkedin", "crm", "tool", "software", "notion", "calendly", "my ",
        ]
        .iter()
        .any(|w| before.contains(w))
    };
    ["retainer", "recurring", "monthly fee", "billed monthly"]
        .iter()
        .any(|w| text.contains(w))
        || text
            .match_indices("subscription")
            .any(|(at, _)| !bought(at))
}

/// A stage nothing describes takes the sentence that gives its length (`The chemistry call is
/// 45 minutes.`, `the site visit takes half a day`), so its unit time is the business's own.
fn describe_stages(stages: &mut [StageSeed], text: &str) {
    for s in stages.iter_mut().skip(1) {
        if s.objective.is_some() || s.milestone {
            continue;
        }
        let name = s.name.to_lowercase();
        let said = text
            .lines()
            .flat_map(crate::facts::prose::sentences)
            .find(|sentence| {
                crate::facts::prose::find_word(sentence, &name).is_some()
                    && crate::timing::written_minutes(sentence).is_some()
                    // `the call is 45 minutes`, not `45 minutes after the call`.
                    && sentence.split_whitespace().count() <= 25
            });
        if let Some(sentence) = said {
            s.objective = Some(sentence.trim().to_string());
        }
    }
}
