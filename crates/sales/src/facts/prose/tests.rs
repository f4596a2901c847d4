//! Unit tests of the sentence reader.

use super::*;

fn read(s: &str) -> Vec<Statement> {
    sentences(s)
        .into_iter()
        .flat_map(read_sentence)
        .map(|f| f.statement)
        .collect()
}

fn money_of(st: &[Statement], fact: Fact) -> Option<f64> {
    st.iter().find_map(|s| match s {
        Statement::Money(f, m) if *f == fact => Some(m.amount),
        _ => None,
    })
}

#[test]
fn goals_in_prose() {
    let st = read(
        "My goal is to bring in $48,000 of new design work in 2027, mostly from repeat clients.",
    );
    assert_eq!(money_of(&st, Fact::RevenueTarget), Some(48000.0));
    assert!(st.contains(&Statement::Date(
        Fact::StartDate,
        jiff::civil::date(2027, 1, 1)
    )));
    let past = read("Last year we made $210k, which was our best year.");
    assert_eq!(money_of(&past, Fact::RevenueTarget), None);
    let deal = read("Average client value: $4,800 per year.");
    assert_eq!(money_of(&deal, Fact::AvgDealSize), Some(4800.0));
    let deal = read("A typical garden project is worth about €8,500 to us.");
    assert_eq!(money_of(&deal, Fact::AvgDealSize), Some(8500.0));
}

#[test]
fn rates_in_prose() {
    let st = read(
        "About half of enquiries book a site visit, and 70% of site visits ask for a concept.",
    );
    assert!(
        st.contains(&Statement::Rate(
            "enquiries".into(),
            "site visit".into(),
            0.5
        )),
        "{st:?}"
    );
    assert!(
        st.contains(&Statement::Rate(
            "site visits".into(),
            "concept".into(),
            0.7
        )),
        "{st:?}"
    );
    let st = read("We win 1 in 3 proposals.");
    assert!(
        matches!(&st[..], [Statement::Rate(f, t, r)] if f == "proposals" && t == "won" && (*r - 1.0/3.0).abs() < 1e-9),
        "{st:?}"
    );
    let st = read("Roughly two thirds of proposals are accepted.");
    assert!(
        st.iter()
            .any(|s| matches!(s, Statement::Rate(f, t, _) if f == "proposals" && t == "won")),
        "{st:?}"
    );
}

#[test]
fn time_and_people() {
    let st = read("People usually take about five weeks to decide.");
    assert_eq!(st, [Statement::Number(Fact::SalesCycleDays, 35.0)]);
    let st = read("Together we can give sales 15 hours a week.");
    assert_eq!(st, [Statement::Hours(15.0, 15.0, Scope::Team)]);
    let st = read("Time available for sales: 8 hours per week");
    assert_eq!(st, [Statement::Hours(8.0, 8.0, Scope::Unsaid)]);
    let st = read("I work alone, so selling happens between projects.");
    assert!(st.contains(&Statement::Number(Fact::TeamSize, 1.0)));
    let st = read("We are three partners.");
    assert!(
        st.contains(&Statement::Number(Fact::TeamSize, 3.0)),
        "{st:?}"
    );
    let st = read("We have a team of 6 account executives and one SDR.");
    assert!(
        st.contains(&Statement::Number(Fact::TeamSize, 6.0)),
        "{st:?}"
    );
    let st = read("We have 48 active clients on retainer.");
    assert!(
        st.contains(&Statement::Number(Fact::CurrentCustomers, 48.0)),
        "{st:?}"
    );
    let st = read("Most of our work comes from referrals and LinkedIn.");
    assert!(
        st.contains(&Statement::List(
            Fact::LeadSources,
            vec!["referrals".into(), "linkedin".into()]
        )),
        "{st:?}"
    );
}

#[test]
fn a_listed_source_does_not_keep_its_preposition() {
    assert_eq!(
        super::people::sources(
            "most work comes through referrals from accountants and from happy clients"
        ),
        Some(vec![
            "referrals from accountants".to_string(),
            "happy clients".to_string()
        ])
    );
}

#[test]
fn sources_in_prose_name_the_source_not_the_sentence() {
    use super::people::sources;
    assert_eq!(sources("where clients come from"), None, "a heading");
    assert_eq!(
        sources(
            "most of our new clients — about six in ten — come from two local accounting firms who recommend us to their own clients."
        ),
        Some(vec!["local accounting firms".to_string()])
    );
    assert_eq!(
        sources(
            "the rest come from the monthly chamber of commerce breakfast in leeds, where priya is a regular, and from people who find us on google."
        ),
        Some(vec![
            "chamber of commerce breakfast".to_string(),
            "google".to_string()
        ])
    );
}

#[test]
fn a_source_counted_in_words_is_read_in_a_whole_sentence() {
    let st = read(
        "Most of our new clients — about six in ten — come from two local accounting firms who recommend us to their own clients.",
    );
    assert!(
        st.contains(&Statement::List(
            Fact::LeadSources,
            vec!["local accounting firms".into()]
        )),
        "{st:?}"
    );
}

/// Found in a consultant's trial: a managed-IT firm written in prose.
#[test]
fn who_sells_who_owns_the_name_the_margin_and_the_tools_in_prose() {
    let st = read(
        "There are three of us: Priya Nair, who owns the business and does all the selling; Marco Rossi, the senior engineer; and Jess, who runs the helpdesk.",
    );
    assert!(
        st.contains(&Statement::Number(Fact::TeamSize, 1.0)),
        "{st:?}"
    );
    assert!(
        !st.contains(&Statement::Number(Fact::TeamSize, 3.0)),
        "{st:?}"
    );
    assert!(
        st.contains(&Statement::Text(Fact::PlanOwner, "Priya Nair".into())),
        "{st:?}"
    );
    let st = read("Northgate IT is a three-person managed IT services company in Leeds.");
    assert!(
        st.contains(&Statement::Text(Fact::BusinessName, "Northgate IT".into())),
        "{st:?}"
    );
    let st = read("Our gross margin on managed services is about 62%.");
    assert!(
        st.contains(&Statement::Number(Fact::Margin, 0.62)),
        "{st:?}"
    );
    let st = read("We use HubSpot's free CRM, Calendly and Microsoft Bookings.");
    assert!(
        st.iter()
            .any(|s| matches!(s, Statement::List(Fact::Tools, l) if l.len() == 3)),
        "{st:?}"
    );
    // A sentence about a client is not the business's name.
    let st = read("It is a small firm with ten staff.");
    assert!(
        !st.iter()
            .any(|s| matches!(s, Statement::Text(Fact::BusinessName, _))),
        "{st:?}"
    );
}

/// Found in a consultant's trial: a recruiter written in prose.
#[test]
fn a_recruiters_year_fee_rates_and_sellers_in_prose() {
    let st = read("Our year runs from 1 July 2027 to 30 June 2028.");
    assert!(
        st.contains(&Statement::Number(Fact::PeriodMonths, 12.0)),
        "{st:?}"
    );
    assert!(
        st.iter().any(
            |s| matches!(s, Statement::Date(Fact::StartDate, d) if d.to_string() == "2027-07-01")
        ),
        "{st:?}"
    );
    let st = read(
        "The roles we fill pay about €70,000 on average, so one placement is worth roughly €12,600 to us.",
    );
    assert!(
        st.iter()
            .any(|s| matches!(s, Statement::Money(Fact::AvgDealSize, m) if m.amount == 12600.0)),
        "{st:?}"
    );
    let st = read(
        "A little over half of shortlists — we track it at 55% — end with an offer the candidate accepts.",
    );
    assert!(
        st.iter()
            .any(|s| matches!(s, Statement::Rate(_, _, r) if (*r - 0.55).abs() < 1e-9)),
        "{st:?}"
    );
    let st =
        read("Two years ago one client froze hiring and we lost a third of our income overnight.");
    assert!(
        !st.iter().any(|s| matches!(s, Statement::Rate(..))),
        "{st:?}"
    );
    let st = read("Aoife and Tomás each have about twelve hours a week for business development.");
    assert!(
        st.contains(&Statement::Number(Fact::TeamSize, 2.0)),
        "{st:?}"
    );
}

/// Found in a consultant's trial: capacity and churn in prose.
#[test]
fn capacity_and_lost_clients_in_prose() {
    for (text, n) in [
        (
            "Our helpdesk can look after about thirty clients before we would need to hire.",
            30.0,
        ),
        ("I can carry four clients at once.", 4.0),
        (
            "I can't coach more than eight programme clients at the same time without it getting sloppy.",
            8.0,
        ),
        ("We can run four builds at the same time.", 4.0),
    ] {
        let st = read(text);
        assert!(
            st.contains(&Statement::Number(Fact::Concurrent, n)),
            "{text}: {st:?}"
        );
    }
    // Clients looked after today are clients, not a limit (a reviewer's managed-IT firm).
    let st = read("Today we look after 22 clients paying on average $3,200 a month.");
    assert!(
        !st.iter()
            .any(|s| matches!(s, Statement::Number(Fact::Concurrent, _))),
        "{st:?}"
    );
    let st = read("We have 26 client companies we have placed with in the last two years.");
    assert!(
        st.contains(&Statement::Number(Fact::CurrentCustomers, 26.0)),
        "{st:?}"
    );
    let st = read("We have 22 clients today and we lose roughly two a year.");
    assert!(
        st.contains(&Statement::Number(Fact::ClientsLost, 2.0)),
        "{st:?}"
    );
}

#[test]
fn live_roles_per_recruiter_are_a_per_person_capacity() {
    let st = read("Each recruiter can work at most seven live roles at once before quality drops.");
    assert!(
        st.contains(&Statement::Number(Fact::ConcurrentEach, 7.0)),
        "{st:?}"
    );
}

#[test]
fn how_long_an_engagement_runs_in_prose() {
    let st = read("A role is live for about six weeks from signed terms to an accepted offer.");
    assert!(
        st.contains(&Statement::Number(Fact::EngagementLength, 42.0)),
        "{st:?}"
    );
    let st = read("A full-yard design takes me about six weeks from signing to final drawings.");
    assert!(
        st.contains(&Statement::Number(Fact::EngagementLength, 42.0)),
        "{st:?}"
    );
    // The time to sign is the sales cycle, not the engagement.
    let st = read("From first call to signed usually takes three or four weeks.");
    assert!(
        !st.iter()
            .any(|s| matches!(s, Statement::Number(Fact::EngagementLength, _))),
        "{st:?}"
    );
}

/// What a new client is worth, not a unit price or what today's clients pay (a reviewer's
/// managed-IT firm).
#[test]
fn a_new_clients_worth_is_the_deal_size() {
    let st = read(
        "A typical new client has about 25 seats at $150 per seat per month, so roughly $3,750 a month, or $45,000 a year.",
    );
    assert!(
        st.iter()
            .any(|s| matches!(s, Statement::Money(Fact::AvgDealSize, m) if m.amount == 3750.0)),
        "the seat price is not the deal: {st:?}"
    );
}

/// Channels named in passing (a reviewer's managed-IT firm).
#[test]
fn sources_named_in_passing() {
    let st = read(
        "Most new clients found us through Google Ads on searches like \"IT support for law firms Portland\".",
    );
    assert!(
        st.iter().any(|s| matches!(s, Statement::List(Fact::LeadSources, l) if l.iter().any(|x| x.contains("google ads")))),
        "{st:?}"
    );
}

/// A goal compared with last year's figure is still the goal (a reviewer's bookkeeping firm lost
/// its target to the `up from` clause).
#[test]
fn a_goal_beside_last_years_figure() {
    let st = read(
        "We'd like to finish 2026 at roughly $420,000 in revenue for the year, up from about $310k in 2025.",
    );
    assert!(
        st.iter().any(
            |s| matches!(s, Statement::Money(Fact::RevenueTarget, m) if m.amount == 420_000.0)
        ),
        "{st:?}"
    );
    assert!(
        !st.iter()
            .any(|s| matches!(s, Statement::Money(_, m) if m.amount == 310_000.0)),
        "{st:?}"
    );
}

#[test]
fn how_many_clients_renew() {
    let st = read(
        "Historically about 90% of clients renew each year; the ones who leave usually get acquired.",
    );
    assert!(
        st.contains(&Statement::Number(Fact::RenewalRate, 0.9)),
        "{st:?}"
    );
}

/// A goal with a remark after a dash (`… in TOTAL revenue — that includes what the existing 30
/// clients pay us`) is still the goal, not a deal size.
#[test]
fn a_goal_with_a_remark_after_a_dash() {
    let st = read(
        "Goal for 2026 is $1.05M in TOTAL revenue — that includes what the existing 30 clients pay us, it is not a new-business number.",
    );
    assert!(
        st.iter().any(
            |s| matches!(s, Statement::Money(Fact::RevenueTarget, m) if m.amount == 1_050_000.0)
        ),
        "{st:?}"
    );
    // An onboarding fee every client pays on top is not the deal.
    let st =
        read("There is a one-off onboarding project, around $4,000, that every new client pays.");
    assert!(
        !st.iter()
            .any(|s| matches!(s, Statement::Money(Fact::AvgDealSize, _))),
        "{st:?}"
    );
}

/// What today's customers pay and how many there are, written as notes.
#[test]
fn customers_today_and_what_they_pay() {
    let st = read("Today: 30 clients on contract.");
    assert!(
        st.iter()
            .any(|s| matches!(s, Statement::Number(Fact::CurrentCustomers, n) if *n == 30.0)),
        "{st:?}"
    );
    let st = read("Monthly recurring is about $68,000 across all of them.");
    assert!(
        st.iter().any(|s| matches!(s, Statement::Money(Fact::RecurringRevenue, m) if m.amount == 68_000.0 && m.per == crate::facts::values::Per::Month)),
        "{st:?}"
    );
    // A goal in ARR is a target, not what customers pay today.
    let st = read("Our goal is $1.2M of new ARR in 2026.");
    assert!(
        !st.iter()
            .any(|s| matches!(s, Statement::Money(Fact::RecurringRevenue, _))),
        "{st:?}"
    );
}

/// The stage a rate leads to is what they turn into, not `into …`.
#[test]
fn a_rate_into_a_stage() {
    let st = read("About one in four of those turns into a chemistry call.");
    assert!(
        st.iter().any(|s| matches!(s, Statement::Rate(_, t, r) if t.contains("chemistry call") && !t.starts_with("into") && (*r - 0.25).abs() < 1e-9)),
        "{st:?}"
    );
}

#[test]
fn a_cycle_from_intro_to_signature() {
    let st = read("From intro to signature takes about three to five weeks.");
    assert!(
        st.iter().any(
            |s| matches!(s, Statement::Number(Fact::SalesCycleDays, d) if (21.0..=35.0).contains(d))
        ),
        "{st:?}"
    );
}

/// `that happens for about half of chemistry calls`: the stage is what the clause before does.
#[test]
fn a_rate_of_what_the_clause_before_does() {
    let restated = rates::restate_after(
        "After that I send a short proposal to the sponsor",
        "that happens for about half of chemistry calls, because many people are exploring",
    )
    .unwrap();
    let st = read(&restated);
    assert!(
        st.iter().any(|s| matches!(s, Statement::Rate(f, t, r) if f == "chemistry calls" && t == "proposal" && (*r - 0.5).abs() < 1e-9)),
        "{st:?}"
    );
    let st = read("Of the proposals, I win about half.");
    assert!(
        st.iter().any(|s| matches!(s, Statement::Rate(f, t, r) if f.starts_with("proposal") && t == "won" && (*r - 0.5).abs() < 1e-9)),
        "{st:?}"
    );
    let st = read("Of the proposals, I win around 60%.");
    assert!(
        st.iter().any(|s| matches!(s, Statement::Rate(f, t, r) if f.starts_with("proposal") && t == "won" && (*r - 0.6).abs() < 1e-9)),
        "{st:?}"
    );
}

/// Selling more to today's clients is no stage of the pipeline.
#[test]
fn an_upgrade_rate_is_no_stage() {
    let st = read(
        "Upgrades to CFO are a different conversation: Priya raises it at the quarterly review, and about one in three Growth clients she raises it with says yes within a quarter.",
    );
    assert!(
        !st.iter().any(|s| matches!(s, Statement::Rate(..))),
        "{st:?}"
    );
}

/// A software company's notes (a consultant's trial): churn is no stage, a demo request is the
/// leads, not the verb.
#[test]
fn churn_and_demo_requests() {
    let st = read("Churn has been around 1.5% of customers a month, which is too high.");
    assert!(
        !st.iter().any(|s| matches!(s, Statement::Rate(..))),
        "{st:?}"
    );
    assert!(
        st.iter().any(
            |s| matches!(s, Statement::Number(Fact::RenewalRate, k) if (*k - 0.834).abs() < 0.002)
        ),
        "{st:?}"
    );
    let st = read("Of qualified opportunities, around 25% close-win.");
    assert!(
        st.iter().any(|s| matches!(s, Statement::Rate(f, t, r) if f == "qualified opportunities" && t == "won" && (*r - 0.25).abs() < 1e-9)),
        "{st:?}"
    );
    let st = read(
        "About 60% of inbound demo requests actually turn up and become a qualified opportunity.",
    );
    assert!(
        st.iter().any(|s| matches!(s, Statement::Rate(f, t, r) if f == "inbound demo requests" && t == "qualified opportunity" && (*r - 0.6).abs() < 1e-9)),
        "{st:?}"
    );
}

/// `most of our work comes from three places, and they behave very differently` lists no source.
#[test]
fn a_count_of_sources_is_no_source() {
    let st = read(
        "Honestly most of our work comes from three places, and they behave very differently.",
    );
    assert!(
        !st.iter()
            .any(|s| matches!(s, Statement::List(Fact::LeadSources, _))),
        "{st:?}"
    );
}

/// `There are two of us`; a freelancer they might hire is not the business.
#[test]
fn two_of_us_and_a_freelancer_later() {
    let st = read("There are two of us, me (Priya) and Tom.");
    assert!(
        st.contains(&Statement::Number(Fact::TeamSize, 2.0)),
        "{st:?}"
    );
    let st = read("We don't want to hire in 2027, maybe a freelancer for retests later.");
    assert!(
        !st.iter()
            .any(|s| matches!(s, Statement::Number(Fact::TeamSize, _))),
        "{st:?}"
    );
}

#[test]
fn audits_at_once_and_their_length() {
    let st = read(
        "The hard limit is delivery: we can run at most 3 audits at the same time without quality slipping.",
    );
    assert!(
        st.contains(&Statement::Number(Fact::Concurrent, 3.0)),
        "{st:?}"
    );
    let st =
        read("A typical audit is about 12 working days of effort spread over three or four weeks.");
    assert!(
        st.iter().any(|s| matches!(s, Statement::Number(Fact::EngagementLength, d) if (21.0..=28.0).contains(d))),
        "{st:?}"
    );
}

/// A wedding photographer's notes (a consultant's trial).
#[test]
fn booked_and_the_rest_of_the_year() {
    let st = read("Overall, about 1 in 5 enquiries books me.");
    assert!(
        st.iter().any(|s| matches!(s, Statement::Rate(f, t, r) if f == "enquiries" && t == "won" && (*r - 0.2).abs() < 1e-9)),
        "{st:?}"
    );
    let line = "From June to the end of September I can only give about 3 hours a week to enquiries, replying and meeting couples. The rest of the year I can do more like 10 hours a week.";
    let st: Vec<Statement> = read_sentence_in(
        "The rest of the year I can do more like 10 hours a week.",
        line,
    )
    .into_iter()
    .map(|f| f.statement)
    .collect();
    assert!(
        st.iter()
            .any(|s| matches!(s, Statement::Hours(lo, _, _) if *lo == 10.0)),
        "{st:?}"
    );
}

/// Targets counted in deals (consultants' trials: a cleaning firm, a recruiter).
#[test]
fn targets_counted_in_deals() {
    for (t, n) in [
        (
            "For 2027 our goal is to sign 30 new contracts over the year.",
            30.0,
        ),
        ("Our target for 2027 is 80 placements.", 80.0),
    ] {
        let st = read(t);
        assert!(
            st.contains(&Statement::Number(Fact::DealsTarget, n)),
            "{t}: {st:?}"
        );
    }
    assert!(
        !read("We look after about 40 clients right now.")
            .iter()
            .any(|s| matches!(s, Statement::Number(Fact::DealsTarget, _)))
    );
}

#[test]
fn a_fee_after_the_salary_is_the_deal() {
    let st = read(
        "The average salary of the roles we fill is about £62,000, so a typical fee is a bit over £12k.",
    );
    assert_eq!(money_of(&st, Fact::AvgDealSize), Some(12_000.0), "{st:?}");
}
