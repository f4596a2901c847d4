//! Benchmarks used when the inputs do not give a number, each with the source key of
//! coord's sales reference; every key resolves in `docs/benchmarks.md`, which ships in the binary and
//! closes each plan's Sources section. User-supplied values always
//! win; every benchmark used is listed in the plan's Assumptions.

use crate::model::Variation;

/// A benchmark value with its source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bench {
    /// The value.
    pub value: f64,
    /// Where it comes from.
    pub source: &'static str,
}

const fn b(value: f64, source: &'static str) -> Bench {
    Bench { value, source }
}

/// Default five stages and their conversion to the next stage (the last: to closed-won).
pub fn default_stages(v: Variation) -> [(&'static str, Bench); 5] {
    match v {
        Variation::Scaling => [
            (
                "Lead",
                b(0.20, "lead → MQL 15–40%, median ~20% [S17][S18][S19]"),
            ),
            (
                "Marketing Qualified Lead",
                b(0.18, "MQL → SQL 13–22% cross-industry median [S20][S21]"),
            ),
            (
                "Sales Qualified Lead",
                b(
                    0.60,
                    "SQL → opportunity 40–80%, median ~60% [S17][S18][S19]",
                ),
            ),
            (
                "Proposal",
                b(
                    0.31,
                    "opportunity → won 20–30% mid-market [S17][S23] ÷ negotiation → won 80% (derived)",
                ),
            ),
            (
                "Negotiation",
                b(0.80, "negotiation-stage win probability 75–90% [S13]"),
            ),
        ],
        Variation::Solopreneur => [
            (
                "Prospect",
                b(0.25, "lead → qualified 15–40% [S17][S18][S19]"),
            ),
            (
                "Discovery Call",
                b(
                    0.60,
                    "qualified → opportunity 40–80%, median ~60% [S17][S19]",
                ),
            ),
            (
                "Solution Call",
                b(
                    0.50,
                    "meeting → proposal 50% (HubSpot SLA example) [S1][S2]",
                ),
            ),
            (
                "Proposal",
                b(
                    0.375,
                    "professional-services proposal win 25–35% [S29] ÷ commit → won 80% (derived)",
                ),
            ),
            (
                "Commit",
                b(0.80, "negotiation-stage win probability 75–90% [S13]"),
            ),
        ],
        Variation::Service => [
            (
                "Referral or Inquiry",
                b(0.25, "lead → qualified 15–40% [S17][S18][S19]"),
            ),
            (
                "Consultation",
                b(
                    0.60,
                    "qualified → opportunity 40–80%, median ~60% [S17][S19]",
                ),
            ),
            (
                "Needs Assessment",
                b(
                    0.50,
                    "meeting → proposal 50% (HubSpot SLA example) [S1][S2]",
                ),
            ),
            (
                "Proposal",
                b(
                    0.375,
                    "professional-services proposal win 25–35% [S29] ÷ agreement → won 80% (derived)",
                ),
            ),
            (
                "Agreement",
                b(0.80, "negotiation-stage win probability 75–90% [S13]"),
            ),
        ],
    }
}

/// Final-stage (commit/negotiation → won) rate when the user's stages stop at the proposal.
pub const COMMIT_TO_WON: Bench = b(0.80, "negotiation-stage win probability 75–90% [S13]");

/// Median ACV when neither a deal size nor package prices are given.
pub const DEAL_SIZE: Bench = b(
    25_000.0,
    "Bridge Group SaaS AE report: median ACV $25k [S26]",
);

/// Sales cycle (days) by deal size, and for professional services.
pub fn cycle_days(deal: f64, v: Variation) -> Bench {
    if v == Variation::Service && deal < 50_000.0 {
        return b(60.0, "professional services close in 1–3 months [S25]");
    }
    match deal {
        d if d < 10_000.0 => b(45.0, "deals under $10k close in 1–2 months [S25]"),
        d if d < 25_000.0 => b(75.0, "$10–25k deals close in 2–3 months [S25]"),
        d if d < 50_000.0 => b(105.0, "$25–50k deals close in 3–4 months [S25]"),
        d if d < 100_000.0 => b(150.0, "$50–100k deals close in 4–6 months [S25]"),
        d if d < 250_000.0 => b(225.0, "$100–250k deals close in 6–9 months [S25]"),
        _ => b(315.0, "deals over $250k close in 9–12+ months [S25]"),
    }
}

/// Selling hours per person per week: 41% of a 40-hour week.
pub const HOURS_PER_WEEK: Bench = b(
    16.0,
    "reps spend 41% of their time selling (CSO Insights) [S47]",
);

/// Solo founders also deliver the work: selling time is capped here.
pub const SOLO_HOURS_CAP: f64 = 20.0;

/// Minutes per activity, used to size weekly hours.
pub mod minutes {
    use super::{Bench, b};
    /// Creating one new stage-1 prospect by cold outreach: ~8 researched touches × 5 min.
    pub const PROSPECT: Bench = b(
        40.0,
        "8 touches per prospect [S38] × 5 min per researched touch [S41]",
    );
    /// Answering one warm or inbound lead (referral, demo request): 3 attempts × 5 min.
    pub const WARM_LEAD: Bench = b(
        15.0,
        "3 first-response attempts [S2] × 5 min per researched call [S41]",
    );
    /// A discovery or qualification call with preparation and notes.
    pub const DISCOVERY: Bench = b(
        45.0,
        "30-minute discovery structure [S42] + 15 min preparation and CRM notes",
    );
    /// A solution meeting, demo or assessment.
    pub const MEETING: Bench = b(60.0, "average B2B sales call 43 min [S43] + preparation");
    /// A custom proposal.
    pub const PROPOSAL: Bench = b(150.0, "custom proposal 1.5–3 h [S44][S45]");
    /// A commit/negotiation follow-up.
    pub const CLOSING: Bench = b(45.0, "closing call and paperwork, one meeting [S43]");
    /// Weekly pipeline review per seller.
    pub const REVIEW: Bench = b(45.0, "weekly pipeline review 30–45 min [S91]");
    /// Account check-in per existing customer per quarter.
    pub const CHECK_IN: Bench = b(
        30.0,
        "quarterly value check-in, one short call per customer [S80]",
    );
}

/// Handoff SLA.
pub const FIRST_RESPONSE_HOURS: Bench = b(24.0, "HubSpot SLA: every lead called within 24 h [S2]");
/// High-intent first response.
pub const HIGH_INTENT_HOURS: Bench = b(
    1.0,
    "contact within 1 h → ~7× likelier to qualify (HBR 2011) [S53]",
);
/// Attempts and window.
pub const ATTEMPTS: Bench = b(5.0, "HubSpot SLA: 5 calls within 2 weeks [S2]");

/// Touches to turn a suspect into a prospect.
pub const TOUCHES: Bench = b(8.0, "~8 touches before diminishing returns [S38]");

/// Churn per month for SMB customers.
pub const SMB_CHURN_MONTHLY: Bench = b(0.035, "B2B SaaS average churn ~3.5%/month [S78][S79]");

/// Churn per month for mid-market customers (ACV $10k–$100k): between SMB and enterprise.
pub const MID_MARKET_CHURN_MONTHLY: Bench = b(
    0.01,
    "mid-market churn ~1%/month: between SMB 3–5% and enterprise <1%/month [S78][S79], and the gross retention of 85%+ that a healthy NRR needs [S88] (coord default)",
);

/// Churn per month for enterprise customers (ACV $100k and above).
pub const ENTERPRISE_CHURN_MONTHLY: Bench = b(0.007, "enterprise churn <1%/month [S78][S79]");

/// Monthly churn for a subscription of this annual contract value.
pub fn churn_for(acv: f64) -> Bench {
    if acv >= 100_000.0 {
        ENTERPRISE_CHURN_MONTHLY
    } else if acv >= 10_000.0 {
        MID_MARKET_CHURN_MONTHLY
    } else {
        SMB_CHURN_MONTHLY
    }
}

/// Good CSAT.
pub const CSAT_GOOD: Bench = b(0.80, "CSAT 75–85% is good [S87]");

/// New-rep ramp when the inputs give none (no benchmark in the reference; a coord default).
pub const RAMP_MONTHS: Bench = b(
    3.0,
    "coord default (no benchmark in the reference); state yours as `Ramp time:`",
);

/// Gross margin when the inputs give none (no benchmark; a coord default).
pub const MARGIN: Bench = b(
    0.50,
    "coord default (no benchmark in the reference); state yours as `Gross margin:`",
);

/// What a paid lead costs when the inputs do not say (B2B cost per lead by channel).
pub const PAID_COST_PER_LEAD: Bench = b(
    150.0,
    "B2B cost per lead: paid search $80–200, LinkedIn ads $150–350 [S107]; state yours as `Cost per lead:`",
);

/// Referred leads an active partner (reseller, accountant, alliance) sends a year (a coord
/// default: one every two months).
pub const REFERRALS_PER_PARTNER_YEAR: Bench = b(
    6.0,
    "coord default (no benchmark in the reference): one referred lead every two months from each active partner",
);
