//! Phase 3: @pipeline-management (support) turns the pipeline into weekly stage entries and unit
//! times; @revenue-operations (lead) builds the integration rules, the month-by-week plan, the
//! KPIs, risks, reviews and Business Chassis tracking on those figures.

use super::capacity::Capacity;
use crate::benchmarks::{self, minutes};
use crate::foundation::Foundation;
use crate::funnel::{self, Funnel};
use crate::model::{
    Activity, Chassis, Drivers, Integration, Kpi, Metric, Month, Pipeline, Review, Risk, Sla,
    Variation, Week,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Phase 3 support: what each week asks of the sellers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ActivityModel {
    /// Minutes per activity, with sources: (activity, minutes, source).
    pub unit_minutes: Vec<(String, f64, String)>,
    /// The scheduled funnel (weekly entries, closes, hours).
    pub schedule: Funnel,
    /// New prospects to create each month.
    pub new_prospects_by_month: Vec<u32>,
}

/// Which month (0-based) each week belongs to.
pub fn week_months(weeks: &[String], start: Date, months: u32) -> Vec<usize> {
    let starts: Vec<Date> = (0..=months)
        .map(|m| {
            start
                .checked_add(jiff::Span::new().months(i64::from(m)))
                .unwrap_or(start)
        })
        .collect();
    weeks
        .iter()
        .map(|w| {
            let d: Date = w.parse().unwrap_or(start);
            (0..months as usize)
                .rev()
                .find(|&m| d >= starts[m])
                .unwrap_or(0)
        })
        .collect()
}

/// Phase 3 support.
pub fn activity_model(f: &Foundation, cap: &Capacity) -> ActivityModel {
    let s = &cap.scheduled;
    let start: Date = f.objectives.start_date.parse().unwrap_or_default();
    let wm = week_months(&s.weeks, start, f.objectives.period_months);
    let mut by_month = vec![0u32; f.objectives.period_months as usize];
    for (k, m) in wm.iter().enumerate() {
        by_month[*m] += s.entries[0][k];
    }
    let unit = [
        funnel::first_stage_minutes(f),
        minutes::DISCOVERY,
        minutes::MEETING,
        minutes::PROPOSAL,
        minutes::CLOSING,
    ];
    let mut unit_minutes: Vec<(String, f64, String)> = (0..5)
        .map(|i| {
            (
                funnel::stage_activity(i).to_string(),
                unit[i].value,
                unit[i].source.to_string(),
            )
        })
        .collect();
    unit_minutes.push((
        "Pipeline review".into(),
        minutes::REVIEW.value,
        minutes::REVIEW.source.into(),
    ));
    unit_minutes.push((
        "Customer check-ins".into(),
        minutes::CHECK_IN.value,
        minutes::CHECK_IN.source.into(),
    ));
    ActivityModel {
        unit_minutes,
        schedule: s.clone(),
        new_prospects_by_month: by_month,
    }
}

/// Phase 3 lead: sales–marketing integration.
pub fn integration(f: &Foundation, p: &Pipeline) -> Integration {
    let b = &f.business;
    let sources = if b.lead_sources.is_empty() {
        "every channel".to_string()
    } else {
        b.lead_sources.join(", ")
    };
    let (mql, sla_first) = match b.variation {
        Variation::Solopreneur => (
            format!(
                "A lead is marketing-qualified when it fits the ICP ({}) and has engaged: a warm introduction, a reply to outreach, or a request from {sources}. Fit and engagement are both required; a low-fit lead is never an MQL [S56][S57].",
                b.icp
            ),
            benchmarks::FIRST_RESPONSE_HOURS,
        ),
        _ => (
            format!(
                "Score fit (ICP: {}) and engagement separately, 0–50 each; a lead is an MQL at 50+ total with fit ≥ 25. Low-fit leads are never MQLs; scores decay 10 points a month without activity [S56][S58][S59].",
                b.icp
            ),
            benchmarks::FIRST_RESPONSE_HOURS,
        ),
    };
    let accept = match b.qualification_framework.as_str() {
        "MEDDIC" | "MEDDPICC" => "Sales accepts the lead (SQL) when discovery confirms Metrics, an Economic buyer, and Identified pain [S61]".to_string(),
        "CHAMP" => "Sales accepts the lead (SQL) when the buyer states a Challenge, Authority and Money are confirmed [S60]".to_string(),
        fw => format!("Sales accepts the lead (SQL) when 3 of the 4 {fw} criteria are met in discovery [S60]"),
    };
    Integration {
        mql_definition: mql,
        sql_acceptance: accept,
        sla: Sla {
            first_response_hours: sla_first.value,
            high_intent_response_hours: benchmarks::HIGH_INTENT_HOURS.value,
            attempts: benchmarks::ATTEMPTS.value as u32,
            window_days: 14,
            recycle_rule: "After 5 attempts in 14 days with no reply, move the lead to a 90-day nurture sequence; disqualified leads need a reason [S2][S65]".into(),
        },
        content_utilisation: vec![
            format!("{}: one insight or client result relevant to their industry", p.stages[0].name),
            format!("{}: the discovery agenda sent with the invitation", p.stages[1].name),
            format!("{}: a case study with before/after numbers", p.stages[2].name),
            format!("{}: proposal template with value-based options and success measures", p.stages[3].name),
            format!("{}: onboarding plan and references", p.stages[4].name),
        ],
        feedback_loop: format!(
            "Monthly: review MQL → SQL acceptance and lost reasons by source ({sources}); adjust the MQL definition when acceptance falls below {:.0}% [S22][S57]",
            p.stages[0].conversion_to_next * 100.0
        ),
    }
}

/// Phase 3 lead: every month of the period, each with its four or five weeks.
pub fn monthly_plan(f: &Foundation, am: &ActivityModel, p: &Pipeline) -> Vec<Month> {
    let o = &f.objectives;
    let s = &am.schedule;
    let start: Date = o.start_date.parse().unwrap_or_default();
    let wm = week_months(&s.weeks, start, o.period_months);
    let stage_min = s.stage_minutes.clone();
    let review_h = s.fixed_hours;
    let check_h = minutes::CHECK_IN.value / 60.0;
    let first_close = s.closes.iter().position(|c| *c > 0.0);
    let mut months: Vec<Month> = (0..o.period_months)
        .map(|m| {
            let d = start
                .checked_add(jiff::Span::new().months(i64::from(m)))
                .unwrap_or(start);
            Month {
                month: m + 1,
                label: format!("{:04}-{:02}", d.year(), d.month()),
                deals: 0.0,
                revenue_target: 0.0,
                new_leads: am
                    .new_prospects_by_month
                    .get(m as usize)
                    .copied()
                    .unwrap_or(0),
                weeks: Vec::new(),
            }
        })
        .collect();
    for (k, monday) in s.weeks.iter().enumerate() {
        let m = wm[k];
        let mut acts = Vec::new();
        for (i, minutes) in stage_min.iter().enumerate() {
            let c = s.entries[i][k];
            if c > 0 {
                acts.push(Activity {
                    name: format!("{} — {} stage", funnel::stage_activity(i), p.stages[i].name),
                    count: c,
                    hours: round2(f64::from(c) * minutes / 60.0),
                });
            }
        }
        if s.check_ins[k] > 0 {
            acts.push(Activity {
                name: "Customer check-ins".into(),
                count: s.check_ins[k],
                hours: round2(f64::from(s.check_ins[k]) * check_h),
            });
        }
        // A week capped below the review's time (a holiday) plans only what it allows.
        let review = review_h.min(s.caps.get(k).copied().unwrap_or(review_h));
        if review > 0.0 {
            acts.push(Activity {
                name: "Pipeline review and CRM hygiene".into(),
                count: o.team_size,
                hours: round2(review),
            });
        }
        let total = round2(acts.iter().map(|a| a.hours).sum());
        let mut marks: Vec<String> = Vec::new();
        if first_close == Some(k) {
            marks.push("First deals expected to close (one sales cycle after the start)".into());
        } else if k + 1 == s.creation_weeks as usize {
            marks.push("Last week for new prospects that can still close in the period".into());
        }
        // Roadmap items land in the week that holds their date.
        let week_end: Date = monday
            .parse::<Date>()
            .ok()
            .and_then(|d| d.checked_add(jiff::Span::new().days(6)).ok())
            .unwrap_or(start);
        for r in &f.limits.roadmap {
            if let Ok(d) = r.date.parse::<Date>()
                && d <= week_end
                && (k == 0
                    || d > week_end
                        .checked_sub(jiff::Span::new().days(7))
                        .unwrap_or(start))
            {
                marks.push(format!("Roadmap: {} ({})", r.what, r.source));
            }
        }
        if s.caps.get(k).is_some_and(|c| *c < o.hours_per_week - 1e-9) {
            marks.push(format!(
                "Your limit this week: {:.1} h of selling",
                s.caps[k]
            ));
        }
        let milestone = (!marks.is_empty()).then(|| marks.join("; "));
        let month = &mut months[m];
        month.deals += s.closes[k];
        // The first week starts on the plan's first day, not the Monday before it.
        let week_start = if *monday < o.start_date {
            o.start_date.clone()
        } else {
            monday.clone()
        };
        month.weeks.push(Week {
            week: month.weeks.len() as u32 + 1,
            start: week_start,
            activities: acts,
            total_hours: total,
            cap: s.caps.get(k).copied().unwrap_or(o.hours_per_week),
            milestone,
        });
    }
    for m in &mut months {
        m.deals = round2(m.deals);
        m.revenue_target = (m.deals * o.avg_deal_size).round();
    }
    months
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Phase 3 lead: KPIs in five families.
pub fn kpis(f: &Foundation, p: &Pipeline, am: &ActivityModel) -> Vec<Kpi> {
    let o = &f.objectives;
    let s = &am.schedule;
    let weeks = f64::from(s.creation_weeks.max(1));
    let per_week = |i: usize| round2(f64::from(s.entries[i].iter().sum::<u32>()) / weeks);
    let k = |family: &str, name: String, target: f64, unit: &str, frequency: &str| Kpi {
        family: family.into(),
        name,
        target,
        unit: unit.into(),
        frequency: frequency.into(),
    };
    let mut out = vec![
        k(
            "activity",
            "New prospects contacted".into(),
            per_week(0),
            "prospects/week",
            "weekly",
        ),
        k(
            "activity",
            "Discovery calls held".into(),
            per_week(1),
            "calls/week",
            "weekly",
        ),
        k(
            "activity",
            "Proposals sent".into(),
            round2(per_week(3) * 4.345),
            "proposals/month",
            "monthly",
        ),
        k(
            "quality",
            "New prospects that fit the ICP".into(),
            80.0,
            "%",
            "monthly",
        ),
        k(
            "quality",
            "Leads answered within the SLA".into(),
            95.0,
            "%",
            "weekly",
        ),
        k(
            "quality",
            format!(
                "{} fields complete before a proposal",
                f.business.qualification_framework
            ),
            100.0,
            "%",
            "weekly",
        ),
    ];
    for (i, st) in p.stages.iter().enumerate() {
        let next = p
            .stages
            .get(i + 1)
            .map(|n| n.name.as_str())
            .unwrap_or("won");
        out.push(k(
            "conversion",
            format!("{} → {}", st.name, next),
            round2(st.conversion_to_next * 100.0),
            "%",
            "monthly",
        ));
    }
    out.push(k(
        "conversion",
        "Sales cycle".into(),
        f64::from(o.sales_cycle_days),
        "days",
        "monthly",
    ));
    out.extend([
        k(
            "revenue",
            "Revenue closed".into(),
            o.revenue_target,
            &o.currency,
            "monthly",
        ),
        k(
            "revenue",
            "Average deal size".into(),
            o.avg_deal_size,
            &o.currency,
            "monthly",
        ),
        k(
            "revenue",
            "Qualified pipeline coverage".into(),
            p.coverage_target,
            "×",
            "weekly",
        ),
        k(
            "revenue",
            "Weighted forecast".into(),
            p.weighted_forecast,
            &o.currency,
            "weekly",
        ),
        k(
            "customer_success",
            "Customer satisfaction (CSAT: share of 4–5 ratings) [S87]".into(),
            benchmarks::CSAT_GOOD.value * 100.0,
            "%",
            "after each value milestone",
        ),
        k(
            "customer_success",
            "Net Promoter Score (promoters 9–10 minus detractors 0–6) [S86]".into(),
            40.0,
            "NPS",
            "quarterly",
        ),
        k(
            "customer_success",
            "Time to first value".into(),
            30.0,
            "days",
            "monthly",
        ),
        k(
            "customer_success",
            "Net revenue retention ((start + expansion − contraction − churn) ÷ start) [S88]"
                .into(),
            100.0,
            "%",
            "quarterly",
        ),
    ]);
    out
}

/// Phase 3 lead: risks with triggers, owners and contingencies (SALES.md §4).
pub fn risks(f: &Foundation, p: &Pipeline) -> Vec<Risk> {
    let o = &f.objectives;
    let owner = f.business.owner.clone();
    let ops = match f.business.variation {
        Variation::Scaling => format!("{owner} (Revenue Operations)"),
        _ => owner.clone(),
    };
    let mut r = vec![
        Risk {
            risk: "Pipeline shortfall".into(),
            trigger: format!("Qualified pipeline coverage below {:.1}× (1 ÷ win rate) for 2 weeks, or below 2×", p.coverage_target),
            owner: owner.clone(),
            contingency: "Add a prospecting block each week, reactivate closed-lost and nurture leads, add a second channel [S65][S8]".into(),
        },
        Risk {
            risk: "Deal slippage and long cycles".into(),
            trigger: format!("A close date moved more than once, or a deal older than {:.0} days in one stage", p.stages.iter().map(|s| s.avg_days).fold(0.0, f64::max) * 1.5),
            owner: owner.clone(),
            contingency: "Mutual close plan with buyer milestones; get to the economic buyer [S67][S61]".into(),
        },
        Risk {
            risk: "Lead quality drops".into(),
            trigger: format!("{} → {} conversion below {:.0}% for a month", p.stages[0].name, p.stages[1].name, p.stages[0].conversion_to_next * 80.0),
            owner: ops.clone(),
            contingency: "Tighten the MQL definition, review sources with marketing, recalibrate scoring [S22][S57]".into(),
        },
        Risk {
            risk: "Slow follow-up".into(),
            trigger: format!("More than 10% of leads not answered within {:.0} h in a week", benchmarks::FIRST_RESPONSE_HOURS.value),
            owner: ops.clone(),
            contingency: "Auto-route and escalate overdue leads; block daily response time [S70]".into(),
        },
        Risk {
            risk: "Discounting pressure".into(),
            trigger: "Average discount above 10% in a month".into(),
            owner: owner.clone(),
            contingency: "Discount approval limit; trade scope, not price: 1% price ≈ 8% operating profit [S71][S73]".into(),
        },
        Risk {
            risk: "Customer concentration".into(),
            trigger: "One client ≥ 10% of revenue, or the top five ≥ 25% [S75][S76]".into(),
            owner: owner.clone(),
            contingency: "Keep prospecting blocks even while busy; diversify channels [S77]".into(),
        },
        Risk {
            risk: "Selling time squeezed".into(),
            trigger: format!("Fewer than {:.0} selling hours in two consecutive weeks", (o.hours_per_week * 0.8).floor()),
            owner: owner.clone(),
            contingency: "Protect the prospecting blocks in the calendar; cut admin first [S47]".into(),
        },
    ];
    if f.business.variation == Variation::Solopreneur {
        r.push(Risk {
            risk: "Key-person dependency".into(),
            trigger: "The founder unavailable for selling for more than 2 weeks".into(),
            owner,
            contingency: "Documented follow-up sequences in the CRM that run without you; pre-booked referral asks [S74]".into(),
        });
    } else {
        r.push(Risk {
            risk: "Rep ramp slower than planned".into(),
            trigger: format!(
                "A new rep below 50% of quota after {:.0} months",
                o.ramp_months.max(1.0)
            ),
            owner,
            contingency: "Pair with a senior rep on live calls; narrow the rep to one segment"
                .into(),
        });
    }
    r
}

/// Phase 3 lead: weekly, monthly and one dated quarterly review per quarter.
pub fn reviews(f: &Foundation, weeks: &[String]) -> Vec<Review> {
    let o = &f.objectives;
    let start: Date = o.start_date.parse().unwrap_or_default();
    let mut out = vec![
        Review {
            cadence: "weekly".into(),
            date: weeks.get(1).or(weeks.first()).cloned().unwrap_or_else(|| o.start_date.clone()),
            decisions: "Next step and owner for every open deal; SLA misses; this week's prospecting list [S91]".into(),
            minutes: minutes::REVIEW.value as u32,
        },
        Review {
            cadence: "monthly".into(),
            date: start
                .checked_add(jiff::Span::new().months(1))
                .unwrap_or(start)
                .to_string(),
            decisions: "Stage conversion vs target, funnel defects, next month's priorities and spend [S91]".into(),
            minutes: 75,
        },
    ];
    let quarters = o.period_months.div_ceil(3);
    for q in 1..=quarters {
        let months = (q * 3).min(o.period_months);
        // The last Tuesday of the quarter's final month.
        let mut end = start
            .checked_add(jiff::Span::new().months(i64::from(months)))
            .and_then(|d| d.checked_sub(jiff::Span::new().days(1)))
            .unwrap_or(start);
        while end.weekday() != jiff::civil::Weekday::Tuesday {
            match end.yesterday() {
                Ok(y) => end = y,
                Err(_) => break,
            }
        }
        out.push(Review {
            cadence: "quarterly".into(),
            date: end.to_string(),
            decisions: format!(
                "Quarter {q}: revenue vs target, reset conversion targets and probabilities from actuals, re-check alignment with the Sales Bible and roadmap, reallocate hours and budget [S91]"
            ),
            minutes: 150,
        });
    }
    out
}

/// Phase 3 lead: Business Chassis baseline, target and computed compounding.
pub fn chassis(f: &Foundation, p: &Pipeline) -> Chassis {
    let o = &f.objectives;
    let baseline_conv: f64 = if f.stages.iter().filter(|s| s.own_rate).count().eq(&5) {
        f.stages.iter().map(|s| s.rate).product()
    } else {
        p.overall_conversion
    };
    let customers_b = f64::from(o.current_customers);
    let (leads_b, source) = if customers_b > 0.0 && baseline_conv > 0.0 {
        (
            customers_b / baseline_conv,
            "current customers ÷ lead-to-customer conversion".to_string(),
        )
    } else {
        (
            0.0,
            "no current customers given: the baseline is zero".to_string(),
        )
    };
    let drivers = |leads: f64, conv: f64, trans: f64, sale: f64, margin: f64| {
        let customers = leads * conv;
        let revenue = customers * trans * sale;
        Drivers {
            leads: leads.round(),
            conversion: (conv * 10000.0).round() / 10000.0,
            customers: round2(customers),
            transactions: round2(trans),
            avg_sale: round2(sale),
            revenue: revenue.round(),
            margin,
            profit: (revenue * margin).round(),
        }
    };
    let baseline = drivers(
        leads_b,
        baseline_conv,
        o.purchases_per_year,
        o.avg_deal_size,
        o.margin,
    );
    let leads_t = f64::from(p.stages[0].target_volume);
    // New customers at the purchase frequency the expansion initiative aims for (+10%).
    let target = drivers(
        leads_t,
        p.overall_conversion,
        o.purchases_per_year * 1.1,
        o.avg_deal_size,
        o.margin,
    );
    let pct = |t: f64, b: f64| {
        if b > 0.0 {
            round2((t / b - 1.0) * 100.0)
        } else {
            0.0
        }
    };
    let changes = vec![
        Metric {
            name: "Leads".into(),
            target: pct(target.leads, baseline.leads),
            unit: "%".into(),
        },
        Metric {
            name: "Conversion".into(),
            target: pct(target.conversion, baseline.conversion),
            unit: "%".into(),
        },
        Metric {
            name: "Transactions".into(),
            target: pct(target.transactions, baseline.transactions),
            unit: "%".into(),
        },
        Metric {
            name: "Average sale".into(),
            target: pct(target.avg_sale, baseline.avg_sale),
            unit: "%".into(),
        },
        Metric {
            name: "Margin".into(),
            target: pct(target.margin, baseline.margin),
            unit: "%".into(),
        },
    ];
    let compounded = if baseline.leads > 0.0 {
        let product: f64 = changes.iter().map(|c| 1.0 + c.target / 100.0).product();
        round2((product - 1.0) * 100.0)
    } else {
        0.0
    };
    Chassis {
        baseline,
        target,
        changes_pct: changes,
        compounded_pct: compounded,
        ten_percent_five_drivers_pct: round2((1.1_f64.powi(5) - 1.0) * 100.0),
        baseline_source: source,
    }
}
