//! The fact vocabulary: every fact the Sales Plan reads, the labels (and synonyms) it is found
//! by, how its value is read, and which input it normally comes from. `docs/sales-facts.md`
//! documents this table; a test keeps the two in step.

/// A fact the sales plan needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// Revenue target for the planning period.
    RevenueTarget,
    /// Length of the planning period.
    PeriodMonths,
    /// First day of the planning period.
    StartDate,
    /// Average deal size.
    AvgDealSize,
    /// Sales cycle length.
    SalesCycleDays,
    /// Selling hours per week, per person.
    HoursPerWeek,
    /// People selling.
    TeamSize,
    /// Sales budget for the period.
    Budget,
    /// Tools in use.
    Tools,
    /// Solopreneur, scaling team or service business.
    BusinessType,
    /// Gross margin.
    Margin,
    /// Purchases per customer per year.
    PurchasesPerYear,
    /// Customers today.
    CurrentCustomers,
    /// Lead sources and marketing channels.
    LeadSources,
    /// Ideal customer profile.
    Icp,
    /// Qualification framework (BANT, CHAMP, MEDDIC...).
    QualificationFramework,
    /// Overall win rate (last stage to closed-won).
    WinRate,
    /// Business name.
    BusinessName,
    /// Who owns the plan.
    PlanOwner,
    /// New leads per month today.
    LeadsPerMonth,
    /// Months a new seller needs to reach full productivity.
    RampMonths,
    /// Engagements (clients, projects) the business can deliver at the same time.
    Concurrent,
    /// Clients lost in a year today (churn, in clients).
    ClientsLost,
    /// A target written as a count of new deals (`sign 30 new contracts`, `80 placements`).
    DealsTarget,
    /// Engagements each seller can deliver at the same time.
    ConcurrentEach,
    /// How long one engagement (project, role, sprint) runs.
    EngagementLength,
    /// What one paid lead costs (campaign spend ÷ leads).
    CostPerLead,
    /// Share of today's customers who renew or stay each year.
    RenewalRate,
    /// What today's customers pay, recurring (MRR or ARR).
    RecurringRevenue,
}

/// How a fact's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `$240,000`, `240k`, `€1.2M`.
    Money,
    /// `12 months`, `1 year`.
    Months,
    /// `2027-01-01`, `January 2027`.
    Date,
    /// `45 days`, `6 weeks`.
    Days,
    /// A number (`10`, `8-10 hours` → 8, `three`).
    Number,
    /// `35%`, `0.35`.
    Percent,
    /// Free text.
    Text,
    /// A comma-separated list; several lines add up.
    List,
}

/// One row of the vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The fact.
    pub fact: Fact,
    /// How its value is read.
    pub kind: Kind,
    /// Labels, lower case, most specific first.
    pub labels: &'static [&'static str],
    /// The inputs it normally comes from; a label found there whose value cannot be read is an
    /// error, elsewhere it is skipped (the word may mean something else in another document).
    pub home: &'static [&'static str],
    /// An example line, for error messages and docs.
    pub example: &'static str,
}

const OBJ: &[&str] = &["Business Objectives"];
const RES: &[&str] = &["Resource Constraints"];
const BIBLE: &[&str] = &["Sales Bible"];
const OBJ_BIBLE: &[&str] = &["Business Objectives", "Sales Bible"];
const OBJ_RES: &[&str] = &["Business Objectives", "Resource Constraints"];

/// The vocabulary.
pub const VOCABULARY: &[Entry] = &[
    Entry {
        fact: Fact::RevenueTarget,
        kind: Kind::Money,
        labels: &[
            "revenue target",
            "total revenue target",
            "annual revenue target",
            "revenue goal",
            "annual revenue goal",
            "sales target",
            "target revenue",
            "revenue objective",
            "bookings target",
            "sales goal",
            "new revenue target",
            "new business target",
            "new revenue goal",
            "new business goal",
            "revenue goal for the year",
            "annual target",
            "target for the year",
            "goal for the year",
            "quota",
            "team quota",
        ],
        home: OBJ,
        example: "Revenue target: $240,000",
    },
    Entry {
        fact: Fact::PeriodMonths,
        kind: Kind::Months,
        labels: &[
            "planning period",
            "plan duration",
            "plan period",
            "period",
            "timeframe",
            "time frame",
            "planning horizon",
            "plan year",
            "planning year",
            "plan covers",
            "fiscal year",
            "financial year",
            "year",
            "plan length",
            "plan runs",
            "months",
            "plan months",
            "window",
            "plan window",
            "time window",
            "planning window",
        ],
        home: OBJ,
        example: "Planning period: 12 months starting 2027-01-01",
    },
    Entry {
        fact: Fact::StartDate,
        kind: Kind::Date,
        labels: &[
            "plan start date",
            "start date",
            "period start",
            "starting",
            "start",
        ],
        home: OBJ,
        example: "Start date: 2027-01-01",
    },
    Entry {
        fact: Fact::AvgDealSize,
        kind: Kind::Money,
        labels: &[
            "average deal size",
            "average contract value",
            "acv",
            "average sale",
            "average sale value",
            "average order value",
            "aov",
            "average dollar sale",
            "average deal value",
            "average project value",
            "average engagement value",
            "average transaction value",
            "deal size",
            "average client value",
            "average deal",
            "average fee",
            "typical deal",
            "average customer value",
            "client value",
            "average job value",
            "average invoice",
            "average retainer",
            "average booking value",
            "typical deal size",
            "typical project value",
        ],
        home: OBJ_BIBLE,
        example: "Average deal size: $12,000",
    },
    Entry {
        fact: Fact::SalesCycleDays,
        kind: Kind::Days,
        labels: &[
            "sales cycle",
            "sales cycle length",
            "average sales cycle",
            "cycle length",
            "time to close",
            "average time to close",
            "typical sales cycle",
            "decision time",
            "time to decide",
            "time to sign",
            "cycle",
            "cycle time",
            "cycle days",
            "sales cycle days",
        ],
        home: OBJ_BIBLE,
        example: "Sales cycle: 45 days",
    },
    Entry {
        fact: Fact::HoursPerWeek,
        kind: Kind::Number,
        labels: &[
            "hours per week for selling",
            "selling hours per week",
            "sales hours per week",
            "hours per week per person",
            "hours per rep per week",
            "available hours per week",
            "hours per week",
            "weekly sales time",
            "selling time",
            "time availability",
            "time available for sales",
            "time for sales",
            "hours for sales",
            "hours for selling",
            "sales time",
            "weekly selling hours",
            "sell hours week",
            "sell hours per week",
            "sell hours",
            "selling hours",
        ],
        home: RES,
        example: "Hours per week for selling: 10",
    },
    Entry {
        fact: Fact::TeamSize,
        kind: Kind::Number,
        labels: &[
            "team size",
            "sales team size",
            "number of reps",
            "number of sellers",
            "sales reps",
            "sellers",
            "headcount",
            "people selling",
            "people who sell",
            "account managers",
            "number of account managers",
            "sales staff",
            "who sells",
            "number of people selling",
            "sales headcount",
            "number of salespeople",
            "salespeople",
            "account executives",
        ],
        home: RES,
        example: "Team size: 4",
    },
    Entry {
        fact: Fact::Budget,
        kind: Kind::Money,
        labels: &[
            "sales budget",
            "total sales budget",
            "annual sales budget",
            "sales and marketing budget",
            "budget",
            "marketing budget",
            "sales budget for the year",
        ],
        home: RES,
        example: "Sales budget: $6,000",
    },
    Entry {
        fact: Fact::Tools,
        kind: Kind::List,
        labels: &[
            "tools in use",
            "sales tools",
            "tools",
            "crm platform",
            "crm system",
            "crm",
            "other tools",
        ],
        home: RES,
        example: "Tools in use: HubSpot, Calendly",
    },
    Entry {
        fact: Fact::BusinessType,
        kind: Kind::Text,
        labels: &["business type", "type of business", "business model"],
        home: RES,
        example: "Business type: solopreneur, service business",
    },
    Entry {
        fact: Fact::Margin,
        kind: Kind::Percent,
        labels: &["gross margin", "profit margin", "margin"],
        home: OBJ,
        example: "Gross margin: 70%",
    },
    Entry {
        fact: Fact::PurchasesPerYear,
        kind: Kind::Number,
        labels: &[
            "purchases per customer per year",
            "transactions per customer",
            "average number of transactions",
            "purchase frequency",
            "purchases per year",
        ],
        home: OBJ,
        example: "Purchases per customer per year: 1.3",
    },
    Entry {
        fact: Fact::CurrentCustomers,
        kind: Kind::Number,
        labels: &[
            "current customers",
            "active customers",
            "existing customers",
            "customers today",
            "active clients",
            "current clients",
            "existing clients",
            "clients today",
            "number of customers",
            "number of clients",
            "customer count",
            "client count",
            "customers",
            "clients",
        ],
        home: OBJ,
        example: "Current customers: 6",
    },
    Entry {
        fact: Fact::LeadSources,
        kind: Kind::List,
        labels: &[
            "lead sources",
            "primary lead source",
            "secondary lead source",
            "lead source",
            "marketing channels",
            "primary channel",
            "secondary channel",
            "supporting channel",
            "channels",
        ],
        home: BIBLE,
        example: "Primary Channel: Referrals from past clients",
    },
    Entry {
        fact: Fact::Icp,
        kind: Kind::Text,
        labels: &[
            "primary icp",
            "ideal customer profile",
            "icp",
            "ideal customer",
            "target customer",
        ],
        home: BIBLE,
        example: "Primary ICP: Owner-managed manufacturers with 20–150 employees",
    },
    Entry {
        fact: Fact::QualificationFramework,
        kind: Kind::Text,
        labels: &[
            "qualification framework",
            "qualification method",
            "qualification",
        ],
        home: BIBLE,
        example: "Qualification framework: BANT",
    },
    Entry {
        fact: Fact::WinRate,
        kind: Kind::Percent,
        labels: &[
            "win rate",
            "proposal win rate",
            "close rate",
            "closing rate",
            "win percent",
            "win ratio",
            "close ratio",
        ],
        home: OBJ_BIBLE,
        example: "Win rate: 30%",
    },
    Entry {
        fact: Fact::BusinessName,
        kind: Kind::Text,
        labels: &["business name", "company name", "company"],
        home: BIBLE,
        example: "Business Name: Ortiz Operations Advisory",
    },
    Entry {
        fact: Fact::PlanOwner,
        kind: Kind::Text,
        labels: &["plan owner", "sales owner", "owner"],
        home: RES,
        example: "Plan owner: Clara Ortiz",
    },
    Entry {
        fact: Fact::LeadsPerMonth,
        kind: Kind::Number,
        labels: &[
            "current leads per month",
            "leads per month",
            "monthly leads",
            "inbound leads per month",
        ],
        home: OBJ,
        example: "Leads per month: 20",
    },
    Entry {
        fact: Fact::RampMonths,
        kind: Kind::Days,
        labels: &["rep ramp time", "ramp time", "rep ramp", "ramp"],
        home: RES,
        example: "Ramp time: 3 months",
    },
    Entry {
        fact: Fact::Concurrent,
        kind: Kind::Number,
        labels: &[
            "engagements at once",
            "clients at once",
            "projects at once",
            "concurrent engagements",
            "concurrent projects",
            "concurrent clients",
            "delivery capacity",
            "clients at a time",
            "engagements at a time",
            "projects at a time",
        ],
        home: RES,
        example: "Engagements at once: 4",
    },
    Entry {
        fact: Fact::ClientsLost,
        kind: Kind::Number,
        labels: &[
            "clients lost per year",
            "customers lost per year",
            "churned clients per year",
            "clients lost a year",
            "lost clients per year",
        ],
        home: OBJ,
        example: "Clients lost per year: 2",
    },
    Entry {
        fact: Fact::DealsTarget,
        kind: Kind::Number,
        labels: &[
            "new clients target",
            "new customers target",
            "deals target",
            "placements target",
            "target number of deals",
        ],
        home: OBJ,
        example: "New clients target: 30",
    },
    Entry {
        fact: Fact::ConcurrentEach,
        kind: Kind::Number,
        labels: &[
            "engagements at once per person",
            "clients at once per person",
            "live roles per recruiter",
            "projects at once per person",
        ],
        home: RES,
        example: "Engagements at once per person: 3",
    },
    Entry {
        fact: Fact::EngagementLength,
        kind: Kind::Days,
        labels: &[
            "engagement length",
            "project length",
            "engagement duration",
            "project duration",
            "typical project duration",
        ],
        home: RES,
        example: "Engagement length: 6 weeks",
    },
    Entry {
        fact: Fact::CostPerLead,
        kind: Kind::Money,
        labels: &[
            "cost per lead",
            "cost per paid lead",
            "paid cost per lead",
            "average cost per lead",
            "cpl",
        ],
        home: OBJ_RES,
        example: "Cost per lead: $120",
    },
    Entry {
        fact: Fact::RenewalRate,
        kind: Kind::Percent,
        labels: &[
            "renewal rate",
            "retention rate",
            "client retention",
            "customer retention",
            "annual retention",
        ],
        home: OBJ,
        example: "Renewal rate: 90% a year",
    },
    Entry {
        fact: Fact::RecurringRevenue,
        kind: Kind::Money,
        labels: &[
            "current mrr",
            "current arr",
            "mrr",
            "arr today",
            "monthly recurring revenue",
            "annual recurring revenue",
            "recurring revenue",
        ],
        home: OBJ,
        example: "Current MRR: $68,000 a month",
    },
];

/// Normalises a label: lower case, punctuation to spaces, single spaces.
pub fn normalise(label: &str) -> String {
    label
        .to_lowercase()
        .replace('%', " percent ")
        .replace('#', " number ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "avg" | "av" | "ave" => "average",
            "hrs" | "hr" => "hours",
            "wk" | "wks" => "week",
            "no" | "num" => "number",
            "yr" => "year",
            "mo" | "mth" => "month",
            "biz" => "business",
            "conv" => "conversion",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Labels that only count as the whole label: `cycle` is the sales cycle, but `billing cycle`
/// is not; `year` is the plan's year, but `year founded` is not.
const EXACT_ONLY: &[&str] = &["cycle", "year", "cycle time", "months"];

/// Short labels that are still specific enough to find inside a longer one (`Avg ACV`).
const ABBREVIATIONS: &[&str] = &["acv", "aov", "icp"];

/// A label no entry names that still states the revenue target: `New annual retainer value`,
/// `2027 goal`, `What we want` — target words, and none of a deal, a budget or the past.
pub fn target_like(label: &str) -> bool {
    let n = format!(" {} ", normalise(label));
    let has = |ws: &[&str]| ws.iter().any(|w| n.contains(&format!(" {w} ")));
    has(&[
        "target",
        "goal",
        "aim",
        "quota",
        "ambition",
        "objective",
        "we want",
        "want",
        "new annual",
        "new business",
        "new revenue",
        "new recurring",
        "new arr",
        "new mrr",
        "new bookings",
        "new sales",
        "new work",
        "new fees",
        "new contracts",
        "agreed",
    ]) && !has(&[
        "deal",
        "budget",
        "price",
        "cost",
        "spend",
        "average",
        "per client",
        "salary",
        "last",
        "actual",
        "actuals",
        "baseline",
        "previous",
        "prior",
        "clients",
        "customers",
        "leads",
        "hours",
        "rate",
        "margin",
        "marketing",
        "reference",
        "history",
        "historic",
        "logos",
    ])
}

/// A label no entry names that still states the deal size: `Average managed-services
/// contract`, `Typical engagement fee`.
pub fn deal_like(label: &str) -> bool {
    let n = format!(" {} ", normalise(label));
    let has = |ws: &[&str]| ws.iter().any(|w| n.contains(&format!(" {w} ")));
    has(&["average", "typical", "median", "usual"])
        && has(&[
            "contract",
            "deal",
            "client",
            "project",
            "engagement",
            "sale",
            "order",
            "job",
            "booking",
            "retainer",
            "customer",
            "account",
            "agreement",
            "fee",
            "commission",
        ])
        && !has(&[
            "budget", "cycle", "time", "hours", "rate", "cost per", "spend",
        ])
}

/// True when a label says its values are not to be done or used (`excluded channels`,
/// `no go`, `never`).
pub fn negated(label: &str) -> bool {
    let n: String = label
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let n = format!(" {n} ");
    [
        " excluded ",
        " exclude ",
        " exclusions ",
        " never ",
        " not ",
        " no ",
        " avoid ",
        " don t ",
        " dont ",
        " won t ",
        " banned ",
        " off limits ",
        " no go ",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// The entry whose label equals `label` exactly (after normalising).
pub fn exact(label: &str) -> Option<&'static Entry> {
    let n = normalise(label);
    VOCABULARY.iter().find(|e| e.labels.contains(&n.as_str()))
}

/// The entry with the longest label contained in `label` as whole words (`Hours per week for
/// selling (solo)` → hours per week for selling).
pub fn contained(label: &str) -> Option<&'static Entry> {
    let n = format!(" {} ", normalise(label));
    // `Excluded channels`, `channels we never use`: a list of what not to do is no fact.
    if negated(label) {
        return None;
    }
    VOCABULARY
        .iter()
        .flat_map(|e| e.labels.iter().map(move |l| (e, *l)))
        .filter(|(_, l)| {
            (l.len() > 4 || ABBREVIATIONS.contains(l))
                && !EXACT_ONLY.contains(l)
                && n.contains(&format!(" {l} "))
        })
        .max_by_key(|(_, l)| l.len())
        .map(|(e, _)| e)
}

/// The vocabulary entry of a fact.
pub fn entry(fact: Fact) -> &'static Entry {
    VOCABULARY
        .iter()
        .find(|e| e.fact == fact)
        .unwrap_or(&VOCABULARY[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fact_has_one_entry_and_labels_are_normalised() {
        for e in VOCABULARY {
            assert_eq!(VOCABULARY.iter().filter(|x| x.fact == e.fact).count(), 1);
            for l in e.labels {
                assert_eq!(normalise(l), *l);
            }
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(
            exact("**Average Contract Value**").map(|e| e.fact),
            Some(Fact::AvgDealSize)
        );
        assert_eq!(exact("ACV").map(|e| e.fact), Some(Fact::AvgDealSize));
        assert_eq!(
            contained("Hours per week for selling (solo)").map(|e| e.fact),
            Some(Fact::HoursPerWeek)
        );
        assert_eq!(contained("Tool budget").map(|e| e.fact), Some(Fact::Budget));
        assert!(exact("Budget considerations").is_none());
    }
}
