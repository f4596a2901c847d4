//! Unit tests of the constraint reader.

use super::*;

#[test]
fn caps() {
    let c = read_sentence("In July and August I can only give sales 4 hours a week");
    assert_eq!(
        c,
        [Constraint::Cap(HourCap {
            share: None,
            hours: 4.0,
            each: false,
            scope: CapScope::Months { months: vec![7, 8] }
        })]
    );
    let c = read_sentence("1–21 December: no selling at all");
    assert_eq!(
        c,
        [Constraint::Cap(HourCap {
            share: None,
            hours: 0.0,
            each: false,
            scope: CapScope::Dates {
                from: (12, 1),
                to: (12, 21)
            }
        })]
    );
    let c = read_sentence("Weeks with an on-site sprint: no more than 6 hours of selling");
    assert_eq!(
        c,
        [Constraint::Cap(HourCap {
            share: None,
            hours: 6.0,
            each: false,
            scope: CapScope::Kind {
                label: "on-site sprint".into(),
                every: None
            }
        })]
    );
    let c = read_sentence("From June to August, selling drops to 3 hours a week.");
    assert!(
        matches!(&c[0], Constraint::Cap(HourCap { hours, scope: CapScope::Months { months }, .. }) if *hours == 3.0 && months == &vec![6, 7, 8]),
        "{c:?}"
    );
    assert!(read_sentence("I can give sales 8 hours a week.").is_empty());
    let c = read_sentence(
        "About one week in three is an on-site sprint, and in those weeks I cannot do more than 6 hours of selling",
    );
    assert_eq!(
        c,
        [Constraint::Cap(HourCap {
            share: None,
            hours: 6.0,
            each: false,
            scope: CapScope::Kind {
                label: "on-site sprint".into(),
                every: Some(3)
            }
        })]
    );
}

#[test]
fn exclusions_goals_roadmap() {
    let c = read_sentence("No cold calling, no paid ads.");
    assert_eq!(
        c,
        [
            Constraint::Exclude("cold calling".into()),
            Constraint::Exclude("paid ads".into())
        ]
    );
    assert!(read_sentence("No more than 6 hours.").is_empty());
    let c = read_sentence("LinkedIn should bring a third of new clients");
    assert!(
        matches!(&c[..], [Constraint::ChannelGoal(ch, s)] if ch == "LinkedIn" && (*s - 1.0 / 3.0).abs() < 1e-9),
        "{c:?}"
    );
    let c = read_sentence("Q2: publish two case studies");
    assert_eq!(
        c,
        [Constraint::Roadmap(RoadmapItem {
            year: None,
            month: 4,
            what: "publish two case studies".into()
        })]
    );
    let c = read_sentence("Launch the maintenance package in September 2027");
    assert_eq!(
        c,
        [Constraint::Roadmap(RoadmapItem {
            year: Some(2027),
            month: 9,
            what: "Launch the maintenance package".into()
        })]
    );
}

/// Found by the mangled-documents property test: a goal whose `through` ends the sentence.
#[test]
fn a_goal_ending_in_through_names_no_channel_and_does_not_panic() {
    let s = "goal: 3 out of 10 new projects should come through";
    let _ = super::goals::channel_goal(s, s);
}

/// `come away with 40 names` is no time off; `two weeks off` in August is two weeks, not the
/// month; `we're both away.` is.
#[test]
fn time_off_in_words() {
    assert!(
        read_sentence(
            "The other big source is the County Home & Garden Show every March: I take a booth and usually come away with 40-50 names."
        )
        .is_empty()
    );
    let c = read_sentence("In August I take two weeks off with the family and do no selling.");
    assert_eq!(
        c,
        [Constraint::Cap(HourCap {
            share: None,
            hours: 0.0,
            each: false,
            scope: CapScope::Dates {
                from: (8, 1),
                to: (8, 14)
            }
        })]
    );
    let c = read_sentence("From 16 August to 31 August 2027 we're both away.");
    assert!(
        matches!(c.as_slice(), [Constraint::Cap(HourCap { hours: 0.0, .. })]),
        "{c:?}"
    );
}

#[test]
fn nobody_sells_over_the_holidays() {
    let c = read_sentence("From 15 December to 2 January nobody sells at all.");
    assert_eq!(
        c,
        [Constraint::Cap(HourCap {
            share: None,
            hours: 0.0,
            each: false,
            scope: CapScope::Dates {
                from: (12, 15),
                to: (1, 2)
            }
        })]
    );
}

/// `half their usual time` is a share of the usual hours, resolved against the team's.
#[test]
fn half_the_usual_time() {
    let c = read_sentence(
        "October and November are our busy season, and Sam and Rita can only give sales half their usual time.",
    );
    assert!(
        matches!(c.as_slice(), [Constraint::Cap(HourCap { share: Some(s), scope: CapScope::Months { months }, .. })] if *s == 0.5 && months == &vec![10, 11]),
        "{c:?}"
    );
    let c = read_sentence("December: everyone is half time.");
    assert!(
        matches!(
            c.as_slice(),
            [Constraint::Cap(HourCap { share: Some(_), .. })]
        ),
        "{c:?}"
    );
}

#[test]
fn away_for_a_whole_month_is_time_off() {
    let c = read_sentence(
        "We are both away for the whole of August 2027 (Tom's wedding and then a family trip), so nothing gets sold or delivered that month.",
    );
    assert!(
        matches!(c.as_slice(), [Constraint::Cap(cap)] if cap.hours == 0.0),
        "{c:?}"
    );
}

#[test]
fn how_things_usually_go_is_no_roadmap() {
    let c = read_sentence(
        "I get around 10 enquiries a month from Instagram, give or take, more in January after the engagement season at Christmas.",
    );
    assert!(
        !c.iter().any(|c| matches!(c, Constraint::Roadmap(_))),
        "{c:?}"
    );
    let c = read_sentence("In May we will launch a webinar every month.");
    assert!(
        c.iter().any(|c| matches!(c, Constraint::Roadmap(_))),
        "{c:?}"
    );
}

#[test]
fn a_clause_with_its_own_verb_is_no_channel() {
    let c = read_sentence(
        "The board wants us to show that sales is repeatable, which means the AEs need to be closing on their own by Q3 and I should be doing less than a third of the deals by December.",
    );
    assert!(
        !c.iter().any(|c| matches!(c, Constraint::ChannelGoal(..))),
        "{c:?}"
    );
}
