//! Who sells, person by person: "Marcus Lee (founder/CEO) — can give sales 15 hours a week",
//! "Jenna Ruiz — Account Executive, about 30 hours a week of actual selling", "Second AE — hired,
//! starts April 1st", "Owen Park — SDR, 35 hours a week of prospecting", "Priya does all the
//! selling … about 8 hours a week", "Dana, our bookkeeper, does no sales at all".
//!
//! A team written out like this is a roster, not one number: the sellers are counted, their
//! hours added (one whose hours are not given takes the average of the others in the same role,
//! or of everyone), and a seller who starts later is left out of the weeks before.

use super::prose::find_word;
use super::values;

/// One person of the roster.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// As written (`Jenna Ruiz`, `Second AE`).
    pub name: String,
    /// The role as written, or `seller` when only the work says so.
    pub role: String,
    /// Selling hours a week, when the line gives them.
    pub hours: Option<f64>,
    /// True when the person sells at all.
    pub sells: bool,
    /// The month (1–12) the person starts, for a hire who is not there yet.
    pub starts: Option<u8>,
    /// 1-based line.
    pub line: usize,
}

/// Roles by the words that name them, selling ones first.
const SELLING_ROLES: &[(&str, &str)] = &[
    ("account executive", "Account Executive"),
    ("account manager", "Account Manager"),
    ("sales development", "SDR"),
    ("sdr", "SDR"),
    ("bdr", "SDR"),
    ("ae", "Account Executive"),
    ("sales rep", "Sales rep"),
    ("salesperson", "Sales rep"),
    ("sales manager", "Sales manager"),
    ("head of sales", "Sales manager"),
    ("solutions engineer", "Pre-sales"),
    ("sales engineer", "Pre-sales"),
    ("pre-sales", "Pre-sales"),
    ("presales", "Pre-sales"),
    ("co-founder", "Founder"),
    ("cofounder", "Founder"),
    ("founder", "Founder"),
    ("ceo", "Founder"),
    ("owner", "Founder"),
    ("partner", "Partner"),
];

const OTHER_ROLES: &[&str] = &[
    "bookkeeper",
    "accountant",
    "developer",
    "engineer",
    "designer",
    "assistant",
    "office manager",
    "admin",
    "support",
    "intern",
];

const SELLING_WORK: &[&str] = &[
    "selling",
    "sells",
    "sell",
    "sales",
    "prospecting",
    "closing",
    "discovery call",
    "books meetings",
    "demos",
    "proposals",
    "scoping call",
];

const NOT_SELLING: &[&str] = &[
    "no sales",
    "no selling",
    "does not sell",
    "doesn't sell",
    "never sells",
    "not in sales",
    "no sales at all",
    // An account manager for existing clients only sells no new business.
    "existing clients only",
    "doesn't run new-business",
    "does not run new-business",
    "no new business",
];

/// Words that open a sentence but are no one's name.
const NOT_NAMES: &[&str] = &[
    // Verbs that open a note about someone already named (`Does intro calls`, `Runs the
    // assessments`).
    "Does",
    "Runs",
    "Handles",
    "Takes",
    "Joins",
    "Owns",
    "Leads",
    "Books",
    "Sells",
    "Works",
    "Also",
    "Only",
    "Usually",
    "Then",
    "After",
    "Before",
    "Once",
    "Expect",
    "Hired",
    "Full",
    "Part",
    "Can",
    "Will",
    "Would",
    "Should",
    "Needs",
    "Covers",
    "Manages",
    "Writes",
    "Closes",
    "Brings",
    "Gives",
    "Spends",
    "Started",
    "Starts",
    "Helps",
    "Not",
    "No",
    "Both",
    "Half",
    "Maybe",
    "Around",
    "Approximately",
    "Plus",
    "And",
    "But",
    "So",
    "The",
    "We",
    "Our",
    "I",
    "In",
    "From",
    "Sales",
    "Marketing",
    "Budget",
    "Tools",
    "Team",
    "This",
    "That",
    "There",
    "It",
    "Most",
    "Every",
    "Each",
    "Capacity",
    "Quota",
    "Leads",
    "If",
    "When",
    "Right",
    "Last",
    "Next",
    "Almost",
    "About",
    "Roughly",
    "Historically",
    "Marketing",
    "Upgrades",
    "Deposit",
    "Busy",
    "Nearly",
    "Stages",
    "Hours",
];

/// The person a line is about: its opening capitalised words (`Marcus Lee`), or an opening
/// `Second AE` / `New SDR` for a hire not yet named.
fn name_of(text: &str) -> Option<String> {
    // The name ends where the description starts: `Jenna Ruiz — Account Executive`.
    let head = text
        .split([',', '(', ':', '—', '–', ';'])
        .next()
        .unwrap_or(text)
        .split(" - ")
        .next()
        .unwrap_or(text);
    let words: Vec<&str> = head.split_whitespace().collect();
    let first = *words.first()?;
    let words: Vec<&str> = if ["Second", "New", "Another", "Third"].contains(&first) {
        text.split_whitespace().take(2).collect()
    } else {
        words
    };
    if ["Second", "New", "Another", "Third"].contains(&first)
        && let Some(role) = words.get(1)
        && SELLING_ROLES
            .iter()
            .any(|(w, _)| role.eq_ignore_ascii_case(w))
    {
        return Some(format!("{first} {role}"));
    }
    let name: Vec<&str> = words
        .iter()
        .take(3)
        .take_while(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                && w.len() > 1
                // `SDR`, `CEO`: a role, not a surname.
                && !w.chars().all(|c| c.is_uppercase())
        })
        .copied()
        .collect();
    // Nor a month (`August is completely off`).
    if name.is_empty()
        || NOT_NAMES.contains(&name[0])
        || values::month_of(&name[0].to_lowercase()).is_some()
    {
        return None;
    }
    Some(name.join(" "))
}

/// Hours a week on the line (`15 hours a week`, `about 30 hours a week`, `2 h/week`).
fn hours_of(l: &str) -> Option<f64> {
    let t = values::digits_for_words(l);
    values::numbers(&t)
        .into_iter()
        .find_map(|n| {
            let after = t[n.end..].trim_start();
            let unit = [
                "hours a week",
                "hours per week",
                "hours each week",
                "h a week",
                "h/week",
            ]
            .iter()
            .any(|u| after.starts_with(u))
                || (after.starts_with("hours") && after.contains("a week"));
            (unit && (0.0..=80.0).contains(&n.value)).then_some(n.value)
        })
        .or_else(|| {
            // A table row read as a line: `… (hours a week on sales: 10)`.
            let p = t
                .find("hours a week")
                .or_else(|| t.find("hours per week"))?;
            let rest = &t[p..];
            let colon = rest.find(':')?;
            values::numbers(&rest[colon..])
                .into_iter()
                .next()
                .map(|n| n.value)
                .filter(|h| (0.0..=80.0).contains(h))
        })
}

/// The month a hire starts (`starts April 1st`, `joins in May`).
fn start_of(l: &str) -> Option<u8> {
    let p = ["starts", "starting", "joins", "join in", "begins", "from"]
        .iter()
        .filter_map(|w| find_word(l, w).map(|p| p + w.len()))
        .min()?;
    let words: Vec<&str> = l[p..]
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    values::months_in(&words).first().map(|m| *m as u8 + 1)
}

/// The person one line (a list item or a sentence) describes, if it describes one.
pub fn member(text: &str, line: usize) -> Option<Member> {
    let name = name_of(text)?;
    let l = text.to_lowercase();
    let selling_role = SELLING_ROLES
        .iter()
        .find(|(w, _)| find_word(&l, w).is_some())
        .map(|(_, r)| r.to_string());
    let other_role = OTHER_ROLES.iter().find(|w| find_word(&l, w).is_some());
    let hours = hours_of(&l);
    let works_at_selling = SELLING_WORK.iter().any(|w| find_word(&l, w).is_some());
    let refuses = NOT_SELLING.iter().any(|w| l.contains(w));
    let sells = !refuses && (selling_role.is_some() || works_at_selling);
    if selling_role.is_none() && other_role.is_none() && !(works_at_selling && hours.is_some()) {
        return None;
    }
    // Without hours, only a full name (`Luis Romero`) or a hire (`Second AE`) is a person: a
    // lone capitalised word (`Shopify partner referrals`) is not.
    if hours.is_none() && name.split_whitespace().count() < 2 {
        return None;
    }
    Some(Member {
        name,
        role: selling_role
            .or_else(|| other_role.map(|r| r.to_string()))
            .unwrap_or_else(|| "seller".into()),
        hours,
        sells,
        starts: start_of(&l),
        line,
    })
}

/// The roster one file gives: at least two people, at least one of whom sells with their hours
/// stated. Lines are the file's prose lines (list markers and emphasis removed).
pub fn read(lines: &[(usize, String)]) -> Vec<Member> {
    // A person's sentences: the one that names them and those after it that say `she`, `he`
    // or `they` (`Priya does all the selling. She can give it about 8 hours a week.`).
    let mut spans: Vec<(usize, String)> = Vec::new();
    for (no, text) in lines {
        let mut current: Option<String> = None;
        for sentence in super::prose::sentences(text) {
            let pronoun = ["She ", "He ", "They ", "Her ", "His "]
                .iter()
                .any(|p| sentence.starts_with(p));
            match (&mut current, name_of(sentence).is_some() && !pronoun) {
                (Some(c), false) => {
                    c.push(' ');
                    c.push_str(sentence);
                }
                (c, _) => {
                    if let Some(done) = c.take() {
                        spans.push((*no, done));
                    }
                    *c = Some(sentence.to_string());
                }
            }
        }
        if let Some(done) = current {
            spans.push((*no, done));
        }
    }
    let mut out: Vec<Member> = Vec::new();
    for (no, text) in &spans {
        if let Some(m) = member(text, *no)
            && !out.iter().any(|o| o.name == m.name)
        {
            out.push(m);
        }
    }
    let sellers_with_hours = out.iter().filter(|m| m.sells && m.hours.is_some()).count();
    if out.len() >= 2 && sellers_with_hours >= 1 && out.iter().filter(|m| m.sells).count() >= 2 {
        out
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<(usize, String)> {
        v.iter()
            .enumerate()
            .map(|(i, s)| (i + 1, s.to_string()))
            .collect()
    }

    #[test]
    fn a_team_written_person_by_person() {
        let r = read(&lines(&[
            "Marcus Lee (founder/CEO) — still closing the bigger deals; can realistically give sales 15 hours a week.",
            "Jenna Ruiz — Account Executive, full time since last June. About 30 hours a week of actual selling.",
            "Second AE — hired, starts April 1st. Expect her to ramp for about three months.",
            "Owen Park — SDR, full time, books meetings for the AEs. 35 hours a week of prospecting.",
        ]));
        let got: Vec<String> = r
            .iter()
            .map(|m| {
                format!(
                    "{}|{}|{:?}|{}|{:?}",
                    m.name, m.role, m.hours, m.sells, m.starts
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "Marcus Lee|Founder|Some(15.0)|true|None",
                "Jenna Ruiz|Account Executive|Some(30.0)|true|None",
                "Second AE|Account Executive|None|true|Some(4)",
                "Owen Park|SDR|Some(35.0)|true|None",
            ]
        );
    }

    #[test]
    fn people_described_by_their_work() {
        let r = read(&lines(&[
            "Priya does all the selling — discovery calls, proposals, the close. She can give it about 8 hours a week.",
            "Tom runs delivery; he joins the scoping call on bigger prospects, maybe 2 hours a week at most.",
            "We have one part-time bookkeeper, Dana, 25 hours a week, who does no sales at all.",
        ]));
        let got: Vec<(&str, Option<f64>, bool)> = r
            .iter()
            .map(|m| (m.name.as_str(), m.hours, m.sells))
            .collect();
        assert_eq!(got, [("Priya", Some(8.0), true), ("Tom", Some(2.0), true)]);
    }

    #[test]
    fn several_people_in_one_paragraph() {
        let r = read(&lines(&[
            "Priya does all the selling — discovery calls, proposals, the close. She can give it about 8 hours a week, because she also does CFO work. Tom runs delivery; he joins the scoping call on bigger prospects, maybe 2 hours a week at most.",
        ]));
        let got: Vec<(&str, Option<f64>)> = r.iter().map(|m| (m.name.as_str(), m.hours)).collect();
        assert_eq!(got, [("Priya", Some(8.0)), ("Tom", Some(2.0))]);
    }

    #[test]
    fn a_team_table_read_as_lines() {
        let r = read(&lines(&[
            "Sam Okoye: Co-founder, CEO — runs discovery, writes proposals, closes (hours a week on sales: 10)",
            "Rita Lund: Co-founder, creative director — joins pitches and scoping workshops (hours a week on sales: 5)",
            "Jake Moreno: Account manager — existing clients only: renewals, upsells (hours a week on sales: 6)",
        ]));
        let got: Vec<(&str, Option<f64>, bool)> = r
            .iter()
            .map(|m| (m.name.as_str(), m.hours, m.sells))
            .collect();
        assert_eq!(
            got,
            [
                ("Sam Okoye", Some(10.0), true),
                ("Rita Lund", Some(5.0), true),
                ("Jake Moreno", Some(6.0), false)
            ]
        );
    }

    #[test]
    fn no_roster_from_one_person_or_plain_sentences() {
        assert!(read(&lines(&["I can give sales 20 hours a week."])).is_empty());
        assert!(
            read(&lines(&[
                "Ledgerlight is me and my partner Tom.",
                "The budget is $6,000."
            ]))
            .is_empty()
        );
    }
}
