//! Facts from sentences: what a founder writes when nobody gave them a form.
//!
//! "My goal is to bring in $48,000 of new design work in 2027", "half of enquiries book a site
//! visit", "people usually take about five weeks to decide", "together we can give sales 15 hours
//! a week", "I work alone". Each sentence is matched against cue words per fact, and the value
//! of the fact's kind that sits nearest the cue is taken (money for a target, a duration for a
//! cycle, hours with a week for selling time, a ratio for a rate). Sentences about the past
//! ("last year we made $210k") give no targets. A prose statement ranks below a labelled value
//! (`Revenue target: $60k`) of the same fact, so a form always wins over a sentence.

mod cues;
mod people;
mod rates;

use cues::*;
use people::{customers, sources, team_count, team_of_us};
use rates::{rates, stage_list};
pub use rates::{ratios_at, restate_after};

/// The first ratio a text gives (`about half`, `two out of three`, `nine times out of ten`,
/// `35%`), as a fraction: a stage's description saying how many go on.
pub(crate) fn first_ratio(text: &str) -> Option<f64> {
    let t = values::digits_for_words(&text.to_lowercase());
    rates::ratios_at(&t)
        .into_iter()
        .map(|(v, _, _)| v)
        .find(|v| *v > 0.0 && *v <= 1.0)
}

/// A rate in a stage's description: the stages its sentence names (from, to), the rate, and
/// the sentence in lower case.
pub(crate) type DescribedRate = (Option<(String, String)>, f64, String);

/// The first rate a stage's description states, with the stages it names when its sentence
/// says (`About a third of phone chats turn into a paid consultation` → `phone chats`, `paid
/// consultation`, 1/3), and the sentence itself.
pub(crate) fn described_rate(text: &str) -> Option<DescribedRate> {
    for s in sentences(text) {
        let l = expand(&values::digits_for_words(&s.to_lowercase())).replace('’', "'");
        // `signed contract and 30% deposit`: a share of money is no stage's rate.
        let money_share = values::numbers(&l).iter().any(|n| {
            let after = l[n.end..].trim_start_matches(['%', ' ']);
            l[n.end..].starts_with('%')
                && [
                    "deposit",
                    "discount",
                    "margin",
                    "fee",
                    "upfront",
                    "up front",
                    "off",
                    "of the fee",
                    "of the price",
                ]
                .iter()
                .any(|w| after.starts_with(w))
        });
        let Some(r) = first_ratio(s).filter(|_| !money_share) else {
            continue;
        };
        let named = rates(&l).into_iter().find_map(|st| match st {
            Statement::Rate(a, b, v) if (v - r).abs() < 1e-6 => Some((a, b)),
            _ => None,
        });
        return Some((named, r, s.to_lowercase()));
    }
    None
}

use super::values::{self, Money, Num};
use super::vocab::Fact;

/// Whom a number of hours is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole team together (`together`, `between us`, `in total`).
    Team,
    /// Each person (`each`, `per person`, `apiece`).
    Each,
    /// Not said.
    Unsaid,
}

/// One thing a sentence states.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// A money fact.
    Money(Fact, Money),
    /// A numeric fact (days, months, counts).
    Number(Fact, f64),
    /// A date fact.
    Date(Fact, jiff::civil::Date),
    /// Selling hours per week, low and high, and whom they are for.
    Hours(f64, f64, Scope),
    /// A text fact (business type).
    Text(Fact, String),
    /// A list fact (lead sources).
    List(Fact, Vec<String>),
    /// A stage-to-stage rate: from, to, fraction.
    Rate(String, String, f64),
    /// The pipeline's stages, in order, as a list in a sentence.
    Stages(Vec<String>),
}

/// A statement with the cue that found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// What was stated.
    pub statement: Statement,
    /// The cue words, for the origin label (`prose: "goal"`).
    pub cue: String,
}

/// Splits a line into sentences (`. `, `; `, `! `, `? `), keeping decimals and abbreviations.
pub fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = line.as_bytes();
    let mut start = 0;
    for i in 0..b.len() {
        let end_mark = matches!(b[i], b'.' | b';' | b'!' | b'?')
            && b.get(i + 1).is_none_or(|c| *c == b' ')
            && !(b[i] == b'.' && i >= 2 && line[..i].ends_with("e.g"))
            && !(b[i] == b'.' && i >= 2 && line[..i].ends_with("i.e"))
            && !(b[i] == b'.' && line[..i].ends_with("approx"))
            && !(b[i] == b'.' && line[..i].ends_with("vs"))
            // `2027-12-20 .. 2028-01-03`: a range, not two sentences.
            && !(b[i] == b'.' && (line[..i].ends_with('.') || b.get(i + 1) == Some(&b'.')));
        if end_mark {
            let s = line[start..i].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + 1;
        }
    }
    let s = line[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// Shorthand in full words: `avg job 2.4k`, `~6h/wk for sales`, `rev goal`, `cycle ~3 wks`.
pub fn expand(l: &str) -> String {
    values::map_words(
        l,
        |c, _| c.is_alphanumeric(),
        |w| {
            let full = match w {
                "avg" | "ave" => "average",
                "rev" => "revenue",
                "wk" | "wks" => "week",
                "hrs" | "hr" => "hours",
                "mo" | "mos" | "mth" | "mths" => "month",
                "yr" | "yrs" => "year",
                "approx" => "about",
                "biz" => "business",
                "mgmt" => "management",
                "conv" => "conversion",
                _ => return None,
            };
            Some(full.to_string())
        },
    )
}

/// The phrase as the writer spelled it: `linkedin` → `LinkedIn`.
pub fn restore_case(sentence: &str, phrase: &str) -> String {
    let lower = sentence.to_lowercase();
    match lower.find(phrase) {
        Some(p) if sentence.is_char_boundary(p) && sentence.is_char_boundary(p + phrase.len()) => {
            sentence[p..p + phrase.len()].to_string()
        }
        _ => phrase.to_string(),
    }
}

/// True when any of `cues` occurs in `l` (already lower case) as whole words.
pub fn any(l: &str, cues: &[&str]) -> bool {
    cues.iter().any(|c| find_word(l, c).is_some())
}

/// The byte offset of `w` in `l` as whole words.
pub fn find_word(l: &str, w: &str) -> Option<usize> {
    // A plain byte scan: the needles are short and the sentences are, too, so this beats
    // building a substring searcher for every one of the hundreds of cues per sentence.
    let (hay, needle) = (l.as_bytes(), w.as_bytes());
    let (&first, n) = (needle.first()?, needle.len());
    if n > hay.len() {
        return None;
    }
    for at in 0..=hay.len() - n {
        // `first` starts a UTF-8 character, so `at` and `at + n` are character boundaries.
        if hay[at] != first || &hay[at..at + n] != needle {
            continue;
        }
        let before_ok = at == 0 || !l[..at].ends_with(|c: char| c.is_alphanumeric());
        let after_ok = w.ends_with(' ') || !l[at + n..].starts_with(|c: char| c.is_alphanumeric());
        if before_ok && after_ok {
            return Some(at);
        }
    }
    None
}

/// The first cue of `cues` found in `l`, with its offset.
fn first_cue<'c>(l: &str, cues: &[&'c str]) -> Option<(&'c str, usize)> {
    cues.iter()
        .filter_map(|c| find_word(l, c).map(|p| (*c, p)))
        .min_by_key(|(_, p)| *p)
}

/// The amounts in `l` with their offsets, money only.
fn money_at(l: &str) -> Vec<(Money, usize)> {
    let nums = values::numbers(l);
    let mut out = Vec::new();
    for n in &nums {
        let before = l[..n.start].trim_end();
        let marked = n.magnitude
            || before.ends_with(['$', '€', '£'])
            || l[n.end..].trim_start().starts_with(['$', '€', '£'])
            || before.ends_with("usd")
            || before.ends_with("eur")
            || before.ends_with("gbp")
            || l[n.end..].trim_start().starts_with("dollars")
            || l[n.end..].trim_start().starts_with("euros")
            || l[n.end..].trim_start().starts_with("pounds");
        if !marked {
            continue;
        }
        // The amount's own text up to the next amount, for its period and range.
        let tail_end = nums
            .iter()
            .find(|m| m.start > n.end + 4)
            .map(|m| m.start)
            .unwrap_or(l.len())
            .min(n.end + 24);
        let mut tail_end = tail_end.max(n.end);
        while !l.is_char_boundary(tail_end) {
            tail_end -= 1;
        }
        let from = before
            .char_indices()
            .rfind(|(_, c)| c.is_whitespace())
            .map(|(p, c)| p + c.len_utf8())
            .unwrap_or(0);
        let span = &l[from..tail_end];
        if let Some(m) = values::money(span) {
            out.push((m, n.start));
        }
    }
    out
}

/// Whole numbers followed, within a few words, by one of `units`: `5 weeks`, `15 hours a week`.
fn quantities(l: &str, units: &[&str]) -> Vec<(Num, Num, usize)> {
    let nums = values::numbers(l);
    let mut out = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let a = nums[i];
        let mut hi = a;
        let mut j = i;
        if let Some(&b) = nums.get(i + 1) {
            let between = l[a.end..b.start].trim();
            if matches!(between, "-" | "–" | "—" | "to" | "or") && b.value >= a.value {
                hi = b;
                j = i + 1;
            }
        }
        let after = l[hi.end..].trim_start();
        let after = after
            .strip_prefix('+')
            .unwrap_or(after)
            .trim_start_matches([' ', '-']);
        // `68 selling hours a week`: one word may stand between the number and its unit.
        let second = after.split_once(' ').map(|x| x.1).unwrap_or("");
        let one_word = after.split_whitespace().next().is_some_and(|w| {
            matches!(
                w,
                "selling"
                    | "sales"
                    | "sell"
                    | "working"
                    | "bd"
                    | "business"
                    | "focused"
                    | "solid"
                    | "good"
                    | "extra"
                    | "more"
            )
        });
        if units.iter().any(|u| after.starts_with(u))
            || one_word && units.iter().any(|u| second.starts_with(u))
        {
            out.push((a, hi, a.start));
        }
        i = j + 1;
    }
    out
}

fn nearest<T: Copy>(items: &[(T, usize)], at: usize) -> Option<T> {
    items
        .iter()
        .min_by_key(|(_, p)| {
            // Prefer what follows the cue; a value before it counts double the distance.
            if *p >= at { *p - at } else { 2 * (at - *p) }
        })
        .map(|(v, _)| *v)
}

/// True when the amount at the start of `from` is a price per unit (`$150 per seat`, `$90 an
/// hour`), not a whole sale.
fn unit_price(from: &str) -> bool {
    let after: String = from
        .split_whitespace()
        .skip(1)
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    [
        "per seat",
        "a seat",
        "per user",
        "a user",
        "per licence",
        "per license",
        "per head",
        "per hour",
        "an hour",
        "per device",
        "per endpoint",
        "per employee",
        "per unit",
    ]
    .iter()
    .any(|u| after.starts_with(u))
}

/// The quantity nearest `at`, preferring one after it.
fn nearest_after(q: Vec<(Num, Num, usize)>, at: usize) -> Option<(Num, Num, usize)> {
    let after = q
        .iter()
        .filter(|(a, _, _)| a.start >= at)
        .min_by_key(|(a, _, _)| a.start - at);
    after
        .copied()
        .or_else(|| q.iter().max_by_key(|(a, _, _)| a.start).copied())
}

/// Reads every statement of one sentence. `l` is the sentence in lower case, number words as
/// digits.
pub fn read_sentence(sentence: &str) -> Vec<Found> {
    read_sentence_in(sentence, sentence)
}

/// A sentence without the comparison with the past that closes it: `we'd like $420,000 this
/// year, up from about $310k in 2025` states the goal; the figure after `up from` is history and
/// must neither become the target nor make the whole sentence read as the past.
fn without_comparison(l: &str) -> &str {
    [
        ", up from ",
        " up from ",
        " (up from ",
        ", compared with ",
        ", compared to ",
        " compared with ",
        " compared to ",
        ", versus ",
        ", vs ",
        " (vs ",
        ", against last",
        " against last year",
        ", double last",
        ", twice last",
        // `$1.05M in total revenue — that includes what our clients pay us`: a remark.
        " — ",
        " – ",
        " -- ",
    ]
    .iter()
    .filter_map(|sep| l.find(sep).map(|p| (p, sep.len())))
    // `$20,000 – $35,000` is a range, not a remark.
    .filter(|(p, n)| {
        !l[p + n..]
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit() || matches!(c, '$' | '€' | '£'))
    })
    .map(|(p, _)| p)
    .min()
    .filter(|p| *p > 0 && !money_at(&l[..*p]).is_empty())
    .map_or(l, |p| &l[..p])
}

/// Reads one sentence of `line`: cues that need context (selling, for hours) may be anywhere in
/// the line (`I will share the selling; between us it's about 9 hours a week`).
pub fn read_sentence_in(sentence: &str, line: &str) -> Vec<Found> {
    let context = expand(&line.to_lowercase());
    let l = expand(&values::digits_for_words(&sentence.to_lowercase()));
    let l = l.replace('’', "'");
    let l = without_comparison(&l);
    let mut out = Vec::new();
    let mut push = |statement: Statement, cue: &str| {
        out.push(Found {
            statement,
            cue: cue.to_string(),
        })
    };
    // `Rough idea: $150k this year? Feels greedy.` is not a target yet.
    let past = any(l, PAST)
        || any(
            l,
            &[
                "rough idea",
                "maybe",
                "perhaps",
                "might",
                "not sure",
                "thinking about",
                "wondering",
                "first idea",
            ],
        );
    let money = money_at(l);
    // `I can give it 6 hours a week, but in December I can't sell`: the first clause is the norm.
    let first_clause = [", but ", " but ", "; ", ", except "]
        .iter()
        .filter_map(|s| l.find(s))
        .min()
        .map(|p| &l[..p])
        .unwrap_or(l);
    let capped = super::constraints::is_cap_sentence(first_clause);
    let pricing = any(
        l,
        &[
            "package",
            "packages",
            "price",
            "priced",
            "prices",
            "charge",
            "costs",
            "rate card",
        ],
    );

    // Money: deal size, budget, target (in that order: the most specific cue wins).
    // `target = $60,000 of new annual contract value` is a target, not a deal size: a deal cue
    // counts over a target word only when it says average or per client.
    let targeted = any(
        l,
        &[
            "target",
            "goal",
            "aim",
            "want to",
            "bring in",
            "north star",
            "quota",
        ],
    ) && !any(
        l,
        &[
            "average",
            "typical",
            "on average",
            "per client",
            "each client",
            "per project",
            "per deal",
            "per customer",
            "a client is worth",
            "pays",
            "pay us",
        ],
    );
    if !money.is_empty() {
        // `The average mandate is around 2 400 $`: an average of something sold is a deal size.
        let average_of =
            first_cue(l, &["the average", "an average", "average", "typical"]).filter(|(_, at)| {
                let next = l[*at..].split_whitespace().nth(1).unwrap_or("");
                !matches!(
                    next.trim_end_matches([',', '.', ':', ')']),
                    "revenue"
                        | "month"
                        | "week"
                        | "year"
                        | "salary"
                        | "hours"
                        | "cost"
                        | "spend"
                        | "budget"
                        | "turnover"
                        | "income"
                        | "wage"
                        | "rent"
                        | "price"
                        // `Typical length: 8–10 weeks`: a duration.
                        | "length"
                        | "duration"
                        | "time"
                        | "timeline"
                        | "turnaround"
                ) && !any(l, BUDGET)
            });
        // `The roles we fill pay about €70,000, so one placement is worth roughly €12,600 to us`:
        // what a sale is worth to the business, not what its client pays someone else.
        // `The average salary … is about £62,000, so a typical fee is a bit over £12k`: the fee
        // is the sale; the salary is what the client pays someone else.
        let fee_after_salary = find_word(l, "salary")
            .and_then(|s_at| l[s_at..].find(" fee").map(|f| s_at + f))
            .map(|at| ("fee", at));
        let worth_to_us = find_word(l, "worth")
            .filter(|_| any(l, &["to us", "to me", "for us", "for me"]))
            .map(|at| ("worth to us", at))
            .or(fee_after_salary);
        if let Some((cue, at)) = worth_to_us
            .filter(|(_, at)| money.iter().any(|(_, p)| p > at))
            .filter(|_| !targeted)
        {
            if let Some(m) = money.iter().find(|(_, p)| *p > at).map(|(m, _)| *m) {
                push(Statement::Money(Fact::AvgDealSize, m), cue);
            }
        } else if let Some((cue, at)) = first_cue(l, DEAL)
            .or(average_of)
            .filter(|_| !targeted)
            // `a one-off onboarding project, around $4,000, that every new client pays`: an
            // extra on top of the offer, not what a client is worth.
            .filter(|_| {
                !any(
                    l,
                    &[
                        "onboarding",
                        "setup fee",
                        "set-up fee",
                        "set up fee",
                        "clean-up",
                        "cleanup",
                        "deposit",
                    ],
                )
            })
        {
            // `25 seats at $150 per seat per month, so roughly $3,750 a month`: a unit price is
            // not what a client is worth.
            let whole: Vec<(Money, usize)> = money
                .iter()
                .copied()
                .filter(|(_, p)| !unit_price(&l[*p..]))
                .collect();
            if let Some(m) = nearest(if whole.is_empty() { &money } else { &whole }, at) {
                push(Statement::Money(Fact::AvgDealSize, m), cue);
            }
        } else if let Some((cue, at)) = first_cue(l, BUDGET).filter(|_| {
            // `couples with a $30k wedding budget`: the buyer's budget is not ours to spend.
            !any(
                l,
                &[
                    "their",
                    "they",
                    "with a",
                    "budget holder",
                    "budget is at least",
                    "has a budget",
                    "have a budget",
                    "wedding budget",
                    "build budget",
                    "photo budget",
                    "client's",
                    "customer's",
                    "clients'",
                    "customers'",
                ],
            )
        }) {
            if let Some(m) = nearest(&money, at) {
                push(Statement::Money(Fact::Budget, m), cue);
            }
        } else if let Some((cue, at)) = first_cue(l, TARGET).or_else(|| {
            // `€4,000 a month in new coaching revenue`: new business named as such.
            (any(l, &["new"])
                && any(
                    l,
                    &[
                        "revenue", "business", "sales", "fees", "bookings", "income", "arr", "mrr",
                    ],
                ))
            .then(|| first_cue(l, &["new"]))
            .flatten()
        }) && !past
            && !pricing
            && let Some(m) = nearest(&money, at)
        {
            push(Statement::Money(Fact::RevenueTarget, m), cue);
            period(l, &mut push);
        }
    }
    // The plan's period and start, said on their own.
    if money.is_empty()
        && any(
            l,
            &[
                "months",
                "plan",
                "planning",
                "period",
                "fiscal year",
                "financial year",
                "start",
                "starts",
                "starting",
                "begins",
                "kick off",
                "our year",
                "year runs",
                "runs from",
            ],
        )
    {
        period(l, &mut push);
    }
    if let Some((cue, cue_at)) = first_cue(l, CYCLE)
        && !capped
        && let Some((lo, hi, _)) =
            nearest_after(quantities(l, &["day", "week", "wk", "month"]), cue_at)
    {
        let text = &l[lo.start..];
        let unit_days = if text.contains("week") || text.contains("wk") {
            7.0
        } else if text.contains("month") {
            30.4
        } else {
            1.0
        };
        // Which unit follows the number decides: `5 weeks` is 35 days.
        let after = l[hi.end..].trim_start();
        let unit_days = if after.starts_with("day") {
            1.0
        } else if after.starts_with("week") || after.starts_with("wk") {
            7.0
        } else if after.starts_with("month") {
            30.4
        } else {
            unit_days
        };
        push(
            Statement::Number(Fact::SalesCycleDays, hi.value * unit_days),
            cue,
        );
    }
    // Selling hours.
    if !capped {
        let hours = quantities(
            l,
            &["hours", "hour", "hrs", "hr", "h/", "h per", "h a", "h each"],
        );
        if let Some(&(lo, hi, at)) = hours.first()
            && l[at..].contains("week")
            && (any(l, SELLING) || any(&context, SELLING))
        {
            let scope = if any(
                l,
                &[
                    "together",
                    "between us",
                    "in total",
                    "combined",
                    "as a team",
                    "altogether",
                    "total",
                    "between the",
                    "across the team",
                    "across the",
                ],
            ) {
                Scope::Team
            } else if any(
                l,
                &[
                    "each",
                    "per person",
                    "apiece",
                    "every one of us",
                    "per partner",
                    "per rep",
                    "a head",
                    "per seller",
                    "per head",
                ],
            ) {
                Scope::Each
            } else {
                Scope::Unsaid
            };
            push(Statement::Hours(lo.value, hi.value, scope), "hours a week");
            // `Aoife and Tomás each have about twelve hours`: the people named are the sellers.
            if scope == Scope::Each
                && let Some(n) = named_each(sentence)
            {
                push(Statement::Number(Fact::TeamSize, n), "each");
            }
        }
    }
    // `Northgate IT is a three-person managed IT services company`: the name, as written.
    if let Some(name) = business_name(sentence) {
        push(Statement::Text(Fact::BusinessName, name), "is a");
    }
    // `Priya Nair, who owns the business and does all the selling`.
    if let Some(owner) = owner_name(sentence) {
        push(Statement::Text(Fact::PlanOwner, owner), "owns the business");
    }
    // `We use HubSpot's free CRM, Calendly and Microsoft Bookings`.
    if let Some(p) = ["we use ", "i use ", "we work in ", "we run on "]
        .iter()
        .find_map(|c| l.find(c).map(|p| p + c.len()))
        && any(
            l,
            &[
                "crm",
                "tool",
                "software",
                "calendly",
                "hubspot",
                "spreadsheet",
                "app",
            ],
        )
    {
        let tools: Vec<String> = l[p..]
            .trim_end_matches(['.', ';', '!'])
            .split(',')
            .flat_map(|t| t.split(" and "))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty() && t.split_whitespace().count() <= 4)
            .collect();
        if !tools.is_empty() {
            push(Statement::List(Fact::Tools, tools), "we use");
        }
    }
    // `Monthly recurring is about $68,000 across all of them`, `41 customers, $640k ARR`: what
    // today's customers pay, not a goal.
    if !money.is_empty()
        && !any(l, TARGET)
        && !past
        && (find_word(l, "mrr").is_some()
            || find_word(l, "arr").is_some() && !any(l, &["new arr", "net new"])
            || find_word(l, "recurring").is_some())
    {
        let at = ["mrr", "arr", "recurring"]
            .iter()
            .filter_map(|w| find_word(l, w))
            .min()
            .unwrap_or(0);
        if let Some(mut m) = nearest(&money, at) {
            if m.per == values::Per::Total
                && (find_word(l, "mrr").is_some() || l.contains("monthly recurring"))
            {
                m.per = values::Per::Month;
            }
            if m.per == values::Per::Total {
                m.per = values::Per::Year;
            }
            push(Statement::Money(Fact::RecurringRevenue, m), "recurring");
        }
    }
    // `about 90% of clients renew each year`, `95% of our customers stay year to year`: how
    // many of today's customers are kept.
    if let Some(p) = [" renew", " stay", " stick with", " retain", " re-sign"]
        .iter()
        .filter_map(|w| l.find(w))
        .min()
        && let Some((r, _, _)) = rates::ratios_at(&l[..p])
            .into_iter()
            .rfind(|(r, _, _)| *r > 0.0 && *r <= 1.0)
        && any(
            l,
            &[
                "client",
                "clients",
                "customer",
                "customers",
                "accounts",
                "members",
            ],
        )
    {
        push(Statement::Number(Fact::RenewalRate, r), "renew");
    }
    // `Churn has been around 1.5% of customers a month`: the share lost each month or year,
    // as the share kept over a year.
    if any(l, &["churn", "attrition"])
        && !any(
            l,
            &["reduce churn", "cut churn", "lower churn", "churn target"],
        )
        && let Some((r, _, end)) = rates::ratios_at(l)
            .into_iter()
            .find(|(r, _, _)| *r > 0.0 && *r < 1.0)
    {
        let rest = &l[end..];
        let monthly = any(rest, &["a month", "per month", "monthly", "each month"]);
        let kept = if monthly { (1.0 - r).powi(12) } else { 1.0 - r };
        push(
            Statement::Number(Fact::RenewalRate, (kept * 1000.0).round() / 1000.0),
            "churn",
        );
    }
    // `For 2027 our goal is to sign 30 new contracts over the year`, `Our target for 2027 is 80
    // placements`: a target counted in deals, worth the deal size each.
    if money.is_empty()
        && any(
            l,
            &[
                "goal",
                "target",
                "aim",
                "we want to",
                "we'd like",
                "i want to",
                "i'd like",
                "plan to",
            ],
        )
        && !any(l, &["last year", "this year we", "we did"])
    {
        const UNITS: &[&str] = &[
            "new contracts",
            "contracts",
            "new clients",
            "clients",
            "new customers",
            "customers",
            "placements",
            "deals",
            "projects",
            "weddings",
            "engagements",
            "new accounts",
            "accounts",
            "sales",
            "bookings",
            "new sites",
            "sites",
        ];
        if let Some(n) = values::numbers(l).into_iter().find(|n| {
            let after = l[n.end..].trim_start();
            (1.0..=100_000.0).contains(&n.value)
                && !l[..n.start].trim_end().ends_with(['$', '€', '£'])
                && UNITS.iter().any(|u| after.starts_with(u))
                // `2027` is a year, not a count.
                && !(1990.0..=2100.0).contains(&n.value)
        }) {
            push(Statement::Number(Fact::DealsTarget, n.value), "target");
        }
    }
    // `we lose roughly two a year`, `we lose about 3 clients a year`.
    if let Some(p) = ["we lose ", "we lost ", "we churn ", "i lose "]
        .iter()
        .find_map(|c| l.find(c).map(|p| p + c.len()))
        && any(
            &l[p..],
            &["a year", "per year", "each year", "every year", "annually"],
        )
        && let Some(n) = values::numbers(&l[p..]).into_iter().find(|n| {
            (1.0..=500.0).contains(&n.value) && !l[p + n.end..].trim_start().starts_with('%')
        })
    {
        push(Statement::Number(Fact::ClientsLost, n.value), "we lose");
    }
    // `I can carry four clients at once`, `no more than 3 projects at a time`, `our helpdesk
    // can look after about thirty clients`.
    if (any(
        l,
        &["at once", "at a time", "at the same time", "concurrently"],
    ) || any(
        l,
        &[
            // What the business *can* take on, not what it does today (`Today we look after
            // 22 clients` counts clients, not capacity).
            "can look after",
            "could look after",
            "able to look after",
            "look after up to",
            "look after at most",
            "look after no more than",
            "can serve",
            "can support",
            "can handle",
            "room for",
        ],
    )) && any(
        l,
        &[
            "client",
            "clients",
            "engagement",
            "engagements",
            "project",
            "projects",
            "account",
            "accounts",
            "role",
            "roles",
            "mandates",
            "build",
            "builds",
            "programme",
            "programmes",
            "audit",
            "audits",
            "assignments",
        ],
    ) {
        let nums = values::numbers(l);
        if let Some(n) = nums.iter().find(|n| {
            let after = l[n.end..].trim_start();
            // `eight programme clients`, `four builds`: the unit, or one word before it.
            let next = after
                .split_once(' ')
                .map_or("", |(_, rest)| rest.trim_start());
            (1.0..=200.0).contains(&n.value)
                && [
                    "client",
                    "engagement",
                    "project",
                    "account",
                    "active",
                    "live",
                    "role",
                    "mandate",
                    "search",
                    "job",
                    "build",
                    "programme",
                    "program",
                    "case",
                    "matter",
                    "site",
                    "audit",
                    "assignment",
                    "wedding",
                    "event",
                ]
                .iter()
                .any(|w| after.starts_with(w) || next.starts_with(w))
        }) {
            // `Each recruiter can work at most seven live roles at once`: per person.
            let each = any(&l[..n.start], &["each", "every", "per person", "apiece"]);
            let fact = if each {
                Fact::ConcurrentEach
            } else {
                Fact::Concurrent
            };
            push(Statement::Number(fact, n.value), "at once");
        }
    }
    // `a role is live for about six weeks`, `a project takes about 8 weeks`, `engagements run for
    // 12 weeks`, `a full-yard design takes me about six weeks from signing to final drawings`: how
    // long one engagement runs.
    if (any(
        l,
        &[
            "is live for",
            "are live for",
            "project takes",
            "projects take",
            "engagement takes",
            "engagements take",
            "engagements run",
            "projects run",
            "engagement runs",
            "project runs",
            // `A typical audit is about 12 working days of effort spread over three or four
            // weeks`.
            "spread over",
            "spread across",
        ],
    ) || (any(
        l,
        &[
            "from signing",
            "after signing",
            "from signature",
            "after signature",
            "from kickoff",
            "from kick-off",
            "once signed",
            "from the signed",
        ],
    ) && any(l, &["takes", "take", "runs", "run", "lasts", "last"])))
        && let Some((lo, _, _)) = quantities(l, &["week"]).into_iter().next()
        && (1.0..=104.0).contains(&lo.value)
    {
        push(
            Statement::Number(Fact::EngagementLength, lo.value * 7.0),
            "runs for",
        );
    }
    // `Our gross margin on managed services is about 62%`.
    if let Some(p) = find_word(l, "margin")
        && let Some(m) = values::percent(&l[p..]).filter(|m| *m > 0.0 && *m < 1.0)
        && l[p..].contains('%')
    {
        push(Statement::Number(Fact::Margin, m), "margin");
    }
    // Who sells.
    let one_seller = |s: &str| {
        any(
            s,
            &[
                "does all the selling",
                "do all the selling",
                "the only one who sells",
                "only one of us sells",
                "only one person sells",
            ],
        ) || s.split(['.', ';', ':']).any(|c| {
            let w: Vec<&str> = c.split_whitespace().collect();
            w.windows(3)
                .any(|x| x[0] == "only" && matches!(x[2], "sells" | "sells," | "sells."))
        })
    };
    if let Some((cue, _)) = first_cue(l, SOLO)
        && !any(l, &["not just me", "no longer", "not alone", "not solo"])
    {
        push(Statement::Number(Fact::TeamSize, 1.0), cue);
        push(
            Statement::Text(Fact::BusinessType, "solopreneur".into()),
            cue,
        );
    } else if one_seller(l) {
        // `Only Priya sells`: however many the business has, one person sells.
        push(Statement::Number(Fact::TeamSize, 1.0), "one seller");
    } else if let Some((n, cue)) = team_count(l).or_else(|| {
        // `3 of us`, in a line that asks who sells (and does not say only one does).
        // `There are two of us, me (Priya) and Tom`: the whole team, said as such.
        (any(&context, &["who sells", "sell", "selling", "sales"]) && !one_seller(&context)
            || l.trim_start().starts_with("there are "))
        .then(|| team_of_us(l))
        .flatten()
    }) {
        push(Statement::Number(Fact::TeamSize, n), &cue);
        if cue.contains("partner") || cue.contains("consultant") {
            push(
                Statement::Text(Fact::BusinessType, "service business".into()),
                &cue,
            );
        }
    }
    // `We are a studio`, `Kestrel Talent is a four-person recruitment agency` — but not a
    // sentence about the clients (`our ideal client is a design agency`).
    let about_clients = any(
        l,
        &[
            "client",
            "clients",
            "customer",
            "customers",
            "icp",
            "ideal",
            "buyer",
            "buyers",
            "prospect",
        ],
    );
    let describes_us = !about_clients
        && [
            "we are a",
            "we are an",
            "we're a",
            "we're an",
            "i run a",
            "i run an",
            "we run a",
            "is a",
            "is an",
        ]
        .iter()
        .any(|p| l.starts_with(p) || l.contains(&format!(" {p} ")));
    if describes_us
        && let Some(cue) = ["agency", "studio", "practice", "consultancy", "firm"]
            .iter()
            .find(|w| find_word(l, w).is_some())
    {
        push(
            Statement::Text(Fact::BusinessType, "service business".into()),
            cue,
        );
    } else if let Some(cue) = ["agency", "studio", "practice", "consultancy", "firm"]
        .iter()
        .find(|w| {
            any(
                l,
                &[
                    &format!("we are an {w}")[..],
                    &format!("we are a {w}")[..],
                    &format!("we're a {w}")[..],
                    &format!("we're an {w}")[..],
                    &format!("i run a {w}")[..],
                    &format!("i run an {w}")[..],
                ],
            )
        })
    {
        push(
            Statement::Text(Fact::BusinessType, "service business".into()),
            cue,
        );
    }
    // Customers today.
    if let Some(n) = customers(l) {
        push(
            Statement::Number(Fact::CurrentCustomers, n),
            "clients today",
        );
    }
    // Leads a month.
    for (lo, _, _) in quantities(
        l,
        &["enquiries", "inquiries", "leads", "new leads", "requests"],
    ) {
        let after = &l[lo.end..];
        if any(
            after,
            &[
                "a month",
                "per month",
                "each month",
                "every month",
                "monthly",
            ],
        ) {
            push(
                Statement::Number(Fact::LeadsPerMonth, lo.value),
                "leads a month",
            );
            break;
        }
    }
    // Where clients come from.
    if let Some(list) = sources(l) {
        push(
            Statement::List(Fact::LeadSources, list),
            "clients come from",
        );
    }
    // Stage rates and the win rate.
    for r in rates(l) {
        push(r, "conversion");
    }
    if let Some(list) = stage_list(sentence) {
        push(Statement::Stages(list), "stages");
    }
    out
}

/// `Northgate IT is a three-person managed IT services company in Leeds` → `Northgate IT`: up to
/// four capitalised words opening a sentence that says what kind of business it is.
fn business_name(sentence: &str) -> Option<String> {
    let (name, rest) = sentence
        .split_once(" is a ")
        .or_else(|| sentence.split_once(" is an "))?;
    let words: Vec<&str> = name.split_whitespace().collect();
    let kinds = [
        "company",
        "firm",
        "business",
        "agency",
        "studio",
        "practice",
        "consultancy",
        "shop",
        "startup",
        "partnership",
        "provider",
    ];
    let rest = rest.to_lowercase();
    ((1..=4).contains(&words.len())
        && words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_uppercase()) || *w == "&")
        && !matches!(
            words[0],
            "It" | "This" | "That" | "Our" | "My" | "The" | "He" | "She"
        )
        && kinds.iter().any(|k| find_word(&rest, k).is_some()))
    .then(|| words.join(" "))
}

/// `Aoife and Tomás each have …` → 2: the capitalised names joined by `and` or commas that
/// open a sentence whose verb is `each`.
fn named_each(sentence: &str) -> Option<f64> {
    let head = &sentence[..sentence.find(" each ")?];
    let names: Vec<&str> = head
        .split([',', ' '])
        .filter(|w| !w.is_empty() && *w != "and" && *w != "&")
        .collect();
    ((2..=12).contains(&names.len())
        && names
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_uppercase()))
        && !matches!(names[0], "We" | "They" | "Our" | "The" | "Both"))
    .then_some(names.len() as f64)
}

/// `Priya Nair, who owns the business` → `Priya Nair`: the capitalised words just before a
/// clause that says they own or run it.
fn owner_name(sentence: &str) -> Option<String> {
    let lower = sentence.to_lowercase();
    let at = [
        ", who owns the business",
        ", who owns the company",
        ", who runs the business",
        ", the owner",
        " owns the business",
    ]
    .iter()
    .find_map(|c| lower.find(c))?;
    let words: Vec<&str> = sentence[..at]
        .split(|c: char| c.is_whitespace() || c == ':' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let name: Vec<&str> = words
        .iter()
        .rev()
        .take_while(|w| w.starts_with(|c: char| c.is_uppercase()))
        .take(3)
        .copied()
        .collect();
    (!name.is_empty() && !matches!(name.last().copied(), Some("We" | "I" | "There" | "The")))
        .then(|| name.into_iter().rev().collect::<Vec<_>>().join(" "))
}

/// `in 2027`, `for FY2027`, `over the next 12 months`, `from April 2027`.
fn period(l: &str, push: &mut impl FnMut(Statement, &str)) {
    let words: Vec<&str> = l
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let year = words.iter().enumerate().find_map(|(i, w)| {
        let y = w.strip_prefix("fy").unwrap_or(w);
        let prev = i.checked_sub(1).map(|p| words[p]).unwrap_or("");
        (y.len() == 4
            && y.parse::<i16>().is_ok_and(|y| (2000..=2100).contains(&y))
            && matches!(
                prev,
                "in" | "for"
                    | "during"
                    | "of"
                    | "by"
                    | "through"
                    | "fy"
                    | "year"
                    | "financial"
                    | "fiscal"
                    | "calendar"
                    | "across"
                    | "over"
                    | "throughout"
            )
            || w.starts_with("fy") && y.len() == 4)
            .then(|| y.parse::<i16>().ok())
            .flatten()
    });
    let months_named = values::months_in(&words);
    // `over 18 months`, `for the next 6 months`, `the 12 months starting April`.
    let months_len = quantities(l, &["month"])
        .into_iter()
        .find_map(|(lo, hi, at)| {
            let before = l[..at].trim_end();
            let lead = [
                "over", "for", "across", "next", "covering", "the", "of", "in", "within",
            ];
            (lo.value == hi.value
                && (1.0..=60.0).contains(&lo.value)
                && lead.iter().any(|w| before.ends_with(w)))
            .then_some(lo.value)
        });
    if let Some(m) = months_len {
        push(Statement::Number(Fact::PeriodMonths, m), "months");
    } else if ["next year", "coming year"].iter().any(|c| l.contains(*c)) {
        push(Statement::Number(Fact::PeriodMonths, 12.0), "12 months");
    }
    // `FY28 plan (July 2027 – June 2028)`: a range of months with their years.
    if months_named.len() >= 2
        && year.is_none()
        && words
            .iter()
            .any(|w| w.len() == 4 && w.parse::<i16>().is_ok_and(|y| (2000..=2100).contains(&y)))
        && let (Some(d), Some(m)) = (values::date(l), values::months(l))
        && m > 1.0
    {
        push(Statement::Date(Fact::StartDate, d), "months");
        push(Statement::Number(Fact::PeriodMonths, m), "months");
        return;
    }
    let start_cue = first_cue(
        l,
        &[
            "starting",
            "start",
            "from",
            "beginning",
            "begins",
            "kick off",
            "runs from",
            "between",
            "starts",
            "begin",
        ],
    );
    if let Some((cue, at)) = start_cue
        && let Some(d) = values::date(&l[at..])
        && !months_named.is_empty()
    {
        push(Statement::Date(Fact::StartDate, d), cue);
        if let Some(m) = values::months(&l[at..]).filter(|m| *m > 1.0) {
            push(Statement::Number(Fact::PeriodMonths, m), cue);
        }
        return;
    }
    if let Some(y) = year
        && let Ok(d) = jiff::civil::Date::new(y, 1, 1)
    {
        push(Statement::Date(Fact::StartDate, d), "year");
        push(Statement::Number(Fact::PeriodMonths, 12.0), "year");
    }
}

#[cfg(test)]
mod tests;

/// The part of `s` from `from` to `to` bytes, each moved out to the nearest character boundary
/// (`window(s, p - 80, p + 120)` around a found word).
pub fn window(s: &str, from: usize, to: usize) -> &str {
    let mut a = from.min(s.len());
    while !s.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = to.min(s.len()).max(a);
    while !s.is_char_boundary(b) {
        b += 1;
    }
    &s[a..b]
}
