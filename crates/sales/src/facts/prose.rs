//! Facts from sentences: what a founder writes when nobody gave them a form.
//!
//! "My goal is to bring in $48,000 of new design work in 2027", "half of enquiries book a site
//! visit", "people usually take about five weeks to decide", "together we can give sales 15 hours
//! a week", "I work alone". Each sentence is matched against cue words per fact, and the value
//! of the fact's kind that sits nearest the cue is taken (money for a target, a duration for a
//! cycle, hours with a week for selling time, a ratio for a rate). Sentences about the past
//! ("last year we made $210k") give no targets. A prose statement ranks below a labelled value
//! (`Revenue target: $60k`) of the same fact, so a form always wins over a sentence.

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
            && !(b[i] == b'.' && line[..i].ends_with("vs"));
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
    let mut out = String::with_capacity(l.len() + 16);
    let mut word = String::new();
    let flush = |w: &mut String, out: &mut String| {
        let full = match w.as_str() {
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
            "q'ty" => "quantity",
            _ => "",
        };
        if full.is_empty() {
            out.push_str(w);
        } else {
            out.push_str(full);
        }
        w.clear();
    };
    for c in l.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// True when any of `cues` occurs in `l` (already lower case) as whole words.
pub fn any(l: &str, cues: &[&str]) -> bool {
    cues.iter().any(|c| find_word(l, c).is_some())
}

/// The byte offset of `w` in `l` as whole words.
pub fn find_word(l: &str, w: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = l[from..].find(w) {
        let at = from + p;
        let before_ok = at == 0 || !l[..at].ends_with(|c: char| c.is_alphanumeric());
        let after = &l[at + w.len()..];
        let after_ok = w.ends_with(' ') || !after.starts_with(|c: char| c.is_alphanumeric());
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + w.len().max(1);
        if from >= l.len() {
            break;
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

const PAST: &[&str] = &[
    "last year",
    "previous year",
    "this past",
    "we made",
    "i made",
    "we did",
    "we earned",
    "i earned",
    "we billed",
    "i billed",
    "used to",
    "so far",
    "to date",
    "baseline",
    "revenue was",
    "turnover was",
    "sales were",
    "ago",
    "in 2023",
    "in 2024",
    "in 2025",
];

const TARGET: &[&str] = &[
    "goal",
    "target",
    "aim",
    "aiming",
    "want to",
    "wants to",
    "plan to",
    "planning to",
    "hope to",
    "bring in",
    "reach",
    "hit",
    "grow to",
    "objective",
    "ambition",
    "would like to",
    "need to",
    "new business",
    "new revenue",
    "new work",
    "generate",
    "win",
    "want",
    "we want",
    "i want",
    "like to",
    "i'd like",
    "we'd like",
    "agreed",
    "we will",
    "commit to",
];

const DEAL: &[&str] = &[
    "average client",
    "average customer",
    "average project",
    "average engagement",
    "average deal",
    "average sale",
    "average order",
    "average contract",
    "average job",
    "average booking",
    "average retainer",
    "typical project",
    "typical engagement",
    "typical client",
    "typical deal",
    "typical job",
    "typical contract",
    "typical booking",
    "a typical",
    "on average",
    "deal size",
    "client value",
    "customer value",
    "contract value",
    "each client",
    "per client",
    "per customer",
    "per project",
    "per engagement",
    "per deal",
    "is worth",
    "are worth",
    "clients pay",
    "customers pay",
    "clients spend",
    "customers spend",
    "acv",
    "pays",
    "pay us",
    "pays us",
];

const BUDGET: &[&str] = &[
    "budget",
    "set aside",
    "can invest",
    "can spend",
    "marketing spend",
    "ad spend",
    "to spend",
    "spend up to",
    "will spend",
    "we'll spend",
    "i'll spend",
    "spend on marketing",
    "i spend",
    "we spend",
    "spend on",
    "to invest",
    "spend cap",
    "for marketing",
    "on marketing",
    "marketing money",
    "spend limit",
    "spending cap",
];

const CYCLE: &[&str] = &[
    "to decide",
    "decide",
    "sales cycle",
    "to close",
    "to sign",
    "before they sign",
    "before they buy",
    "before signing",
    "from first",
    "from the first",
    "until they",
    "until signing",
    "to say yes",
    "to commit",
    "between first",
    "from enquiry",
    "from inquiry",
    "to paying",
    "to become a client",
    "decision",
    "to buy",
    "to go ahead",
    "after the first",
    "cycle",
    "first inquiry",
    "first enquiry",
    "first contact",
    "first call",
    "to appoint",
    "to hire us",
    "to engage",
    "to sign up",
    "to say yes",
    "→ yes",
    "-> yes",
    "to yes",
];

const SELLING: &[&str] = &[
    "sales",
    "selling",
    "sell",
    "prospecting",
    "business development",
    "outreach",
    "new business",
    "finding clients",
    "finding new clients",
    "finding customers",
    "networking",
    "bd",
    "pipeline",
    "winning work",
    "marketing and sales",
];

const SOLO: &[&str] = &[
    "i work alone",
    "work alone",
    "on my own",
    "just me",
    "only me",
    "by myself",
    "solo",
    "one-person",
    "one person business",
    "sole trader",
    "sole proprietor",
    "freelancer",
    "one-man",
    "one-woman",
    "solopreneur",
    "the only one who",
    "only person who",
    "only one selling",
];

const SELLERS: &[&str] = &[
    "account executives",
    "account executive",
    "sales reps",
    "sales representatives",
    "reps",
    "aes",
    "sdrs",
    "bdrs",
    "salespeople",
    "sellers",
    "partners",
    "co-founders",
    "cofounders",
    "founders",
    "people",
    "of us",
    "consultants",
];

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

/// Reads one sentence of `line`: cues that need context (selling, for hours) may be anywhere in
/// the line (`I will share the selling; between us it's about 9 hours a week`).
pub fn read_sentence_in(sentence: &str, line: &str) -> Vec<Found> {
    let context = expand(&line.to_lowercase());
    let l = expand(&values::digits_for_words(&sentence.to_lowercase()));
    let l = l.replace('’', "'");
    let l = l.as_str();
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
                    next.trim_end_matches([',', '.']),
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
                ) && !any(l, BUDGET)
            });
        if let Some((cue, at)) = first_cue(l, DEAL).or(average_of).filter(|_| !targeted) {
            if let Some(m) = nearest(&money, at) {
                push(Statement::Money(Fact::AvgDealSize, m), cue);
            }
        } else if let Some((cue, at)) = first_cue(l, BUDGET) {
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
        }
    }
    // Who sells.
    if let Some((cue, _)) = first_cue(l, SOLO)
        && !any(l, &["not just me", "no longer", "not alone", "not solo"])
    {
        push(Statement::Number(Fact::TeamSize, 1.0), cue);
        push(
            Statement::Text(Fact::BusinessType, "solopreneur".into()),
            cue,
        );
    } else if let Some((n, cue)) = team_count(l).or_else(|| {
        // `3 of us`, in a line that asks who sells.
        any(&context, &["who sells", "sell", "selling", "sales"])
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

/// `3 of us`, `the 2 of us` standing alone.
fn team_of_us(l: &str) -> Option<(f64, String)> {
    let nums = values::numbers(l);
    nums.iter().find_map(|n| {
        (l[n.end..].trim_start().starts_with("of us") && (1.0..=50.0).contains(&n.value))
            .then(|| (n.value, format!("{} of us", n.value)))
    })
}

/// `we are three partners`, `a team of 6 account executives`, `4 sales reps`.
fn team_count(l: &str) -> Option<(f64, String)> {
    // `the office manager and I will share the selling`, `both of us`, `the two of us`.
    if any(
        l,
        &[
            "both of us",
            "the 2 of us",
            "my partner and i",
            "my business partner and i",
        ],
    ) || find_word(l, "and i").is_some()
        && any(
            l,
            &[
                "share",
                "split",
                "both sell",
                "sell",
                "selling",
                "between us",
            ],
        )
    {
        return Some((2.0, "two of us".into()));
    }
    let nums = values::numbers(l);
    // `for the sales we are 2: me and my associate`.
    for n in &nums {
        let before = l[..n.start].trim_end();
        let after = l[n.end..].trim_start();
        if (before.ends_with("we are") || before.ends_with("we're"))
            && (after.is_empty() || after.starts_with([':', ',', '.', ';', '(']))
            && any(l, &["sales", "sell", "selling"])
            && (1.0..=50.0).contains(&n.value)
        {
            return Some((n.value, format!("we are {}", n.value)));
        }
    }
    // `8 in sales`, `3 who sell`.
    for n in &nums {
        let after = l[n.end..].trim_start();
        if [
            "in sales",
            "who sell",
            "selling",
            "sell",
            "people in sales",
            "on the sales team",
        ]
        .iter()
        .any(|w| after.starts_with(w))
            && (1.0..=500.0).contains(&n.value)
            && n.value.fract() == 0.0
        {
            return Some((n.value, format!("{} in sales", n.value)));
        }
    }
    // `a four-person agency`.
    for n in &nums {
        let after = &l[n.end..];
        if let Some(rest) = after
            .strip_prefix("-person")
            .or_else(|| after.strip_prefix(" person"))
        {
            let rest = rest.trim_start();
            if [
                "team",
                "business",
                "agency",
                "firm",
                "company",
                "studio",
                "practice",
                "shop",
                "consultancy",
            ]
            .iter()
            .any(|w| rest.starts_with(w))
                && n.value >= 1.0
                && n.value <= 500.0
            {
                return Some((
                    n.value,
                    format!(
                        "{}-person {}",
                        n.value,
                        rest.split_whitespace().next().unwrap_or("")
                    ),
                ));
            }
        }
    }
    for n in &nums {
        let after = l[n.end..].trim_start();
        let before = l[..n.start].trim_end();
        let after_words: Vec<&str> = after.split_whitespace().take(3).collect();
        let joined = after_words.join(" ");
        if let Some(role) = SELLERS.iter().find(|r| {
            joined.starts_with(*r)
                || after_words.len() >= 2
                    && after_words[1..].join(" ").starts_with(*r)
                    && matches!(
                        after_words[0],
                        "sales" | "full-time" | "part-time" | "senior" | "junior" | "experienced"
                    )
        }) {
            let people = matches!(*role, "people" | "of us");
            // `50 people` in a client, `6 people` at an event: only ours count.
            if people
                && !(before.ends_with("we are")
                    || before.ends_with("we're")
                    || before.ends_with("there are")
                    || before.ends_with("team of")
                    || before.ends_with("we have")
                    || before.ends_with("all")
                    || before.is_empty()
                        && *role == "of us"
                        && any(l, &["sell", "selling", "sales"])
                    || before.ends_with("the")
                    || before.ends_with(':'))
            {
                continue;
            }
            let ours = before.is_empty()
                || any(
                    before,
                    &[
                        "we are",
                        "we're",
                        "we have",
                        "team of",
                        "there are",
                        "our",
                        "with",
                        "employ",
                        "we",
                        "just the",
                        "only the",
                        "me and",
                    ],
                );
            if !people && !ours {
                continue;
            }
            if n.value >= 1.0 && n.value <= 500.0 && n.value.fract() == 0.0 {
                return Some((n.value, format!("{} {role}", n.value)));
            }
        }
    }
    None
}

/// `we have 48 active clients`, `48 customers on retainer`.
fn customers(l: &str) -> Option<f64> {
    if any(
        l,
        &[
            "new clients",
            "new customers",
            "more clients",
            "more customers",
            "target",
            "goal",
            "want",
            "aim",
        ],
    ) {
        return None;
    }
    for n in values::numbers(l) {
        let after = l[n.end..].trim_start();
        let words: Vec<&str> = after.split_whitespace().take(2).collect();
        let noun = |w: &str| {
            let w = w.trim_end_matches([',', '.', ')']);
            matches!(w, "clients" | "customers" | "accounts")
        };
        let qualified = words.first().is_some_and(|w| {
            matches!(
                *w,
                "active"
                    | "current"
                    | "existing"
                    | "regular"
                    | "paying"
                    | "retained"
                    | "ongoing"
                    | "retainer"
                    | "repeat"
                    | "recurring"
            )
        });
        let hit = words.first().is_some_and(|w| noun(w))
            || qualified && words.get(1).is_some_and(|w| noun(w));
        let before = l[..n.start].trim_end();
        if hit
            && (qualified
                || any(
                    before,
                    &[
                        "we have",
                        "i have",
                        "we serve",
                        "i serve",
                        "we work with",
                        "i work with",
                        "we look after",
                        "currently",
                    ],
                ))
        {
            return Some(n.value);
        }
    }
    None
}

/// `most of our work comes from referrals and LinkedIn`.
fn sources(l: &str) -> Option<Vec<String>> {
    let subject = any(
        l,
        &[
            "clients",
            "work",
            "business",
            "leads",
            "enquiries",
            "inquiries",
            "customers",
            "projects",
            "deals",
        ],
    );
    if !subject {
        return None;
    }
    let (_, at) = first_cue(
        l,
        &[
            "come from",
            "comes from",
            "came from",
            "come through",
            "comes through",
            "come via",
            "comes via",
            "through",
            "via",
        ],
    )?;
    let rest = &l[at..];
    let rest = rest.split_once(' ').map(|x| x.1).unwrap_or("");
    let rest = rest
        .strip_prefix("from ")
        .or_else(|| rest.strip_prefix("through "))
        .or_else(|| rest.strip_prefix("via "))
        .unwrap_or(rest);
    let rest = rest.split(['(', ':']).next().unwrap_or("");
    let list: Vec<String> = rest
        .split([',', '/'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" or "))
        .map(|p| {
            p.trim()
                .trim_start_matches("mostly ")
                .trim_start_matches("mainly ")
                .trim_start_matches("our ")
                .trim_start_matches("my ")
                .trim_start_matches("the ")
                .trim()
                .to_string()
        })
        .filter(|p| {
            !p.is_empty()
                && p.split_whitespace().count() <= 4
                && !p.chars().any(|c| c.is_ascii_digit())
        })
        .collect();
    (!list.is_empty()).then_some(list)
}

const RATE_VERBS: &[&str] = &[
    "go on to book",
    "go on to",
    "goes on to",
    "turn into",
    "turns into",
    "ask for",
    "asks for",
    "move to",
    "moves to",
    "move on to",
    "convert to",
    "convert into",
    "converts to",
    "converts into",
    "end in",
    "result in",
    "lead to",
    "agree to",
    "agrees to",
    "progress to",
    "get to",
    "book",
    "books",
    "become",
    "becomes",
    "request",
    "requests",
    "accept",
    "accepts",
    "sign",
    "signs",
    "buy",
    "buys",
    "reach",
    "reaches",
    "get",
    "gets",
    "pass",
    "passes",
    "ask",
    "asks",
    "go ahead with",
    "sign up for",
    "pay for",
    "end up with",
];

const WON: &[&str] = &[
    "are accepted",
    "get accepted",
    "are signed",
    "get signed",
    "are won",
    "we win",
    "close",
    "sign up",
    "say yes",
    "go ahead",
    "become clients",
    "become customers",
    "turn into clients",
    "turn into customers",
    "become paying",
];

/// Ratios as the first word group: `half`, `70%`, `1 in 3`, `two thirds` — with offsets.
fn ratios_at(l: &str) -> Vec<(f64, usize, usize)> {
    let mut out = Vec::new();
    // Percentages.
    for n in values::numbers(l) {
        let after = &l[n.end..];
        if after.starts_with('%') || after.trim_start().starts_with("percent") {
            let end = n.end
                + if after.starts_with('%') {
                    1
                } else {
                    after.find("percent").unwrap_or(0) + 7
                };
            out.push((n.value / 100.0, n.start, end));
        }
    }
    // `1 in 3`, `3 out of 10`.
    let nums = values::numbers(l);
    for w in nums.windows(2) {
        let between = l[w[0].end..w[1].start].trim();
        if matches!(between, "in" | "out of" | "of every" | "in every") && w[1].value > 0.0 {
            out.push((w[0].value / w[1].value, w[0].start, w[1].end));
        }
    }
    for (word, v) in [
        ("two thirds", 2.0 / 3.0),
        ("2 thirds", 2.0 / 3.0),
        ("three quarters", 0.75),
        ("3 quarters", 0.75),
        ("a third", 1.0 / 3.0),
        ("one third", 1.0 / 3.0),
        ("1 third", 1.0 / 3.0),
        ("a quarter", 0.25),
        ("1 quarter", 0.25),
        ("half", 0.5),
        ("a fifth", 0.2),
        ("a tenth", 0.1),
    ] {
        if let Some(p) = find_word(l, word)
            && !out.iter().any(|(_, s, e)| p >= *s && p < *e)
            && l[p + word.len()..].trim_start().starts_with("of")
        {
            out.push((v, p, p + word.len()));
        }
    }
    out.sort_by_key(|x| x.1);
    out
}

fn noun_phrase(s: &str, max: usize) -> String {
    let stop = [
        "and",
        "but",
        "then",
        "so",
        "which",
        "who",
        "that",
        "within",
        "after",
        "in",
        "on",
        "at",
        "for",
        "by",
        "from",
        "with",
        "usually",
        "typically",
        "normally",
    ];
    let mut words = Vec::new();
    for w in s.split_whitespace() {
        if w.starts_with('(') {
            break;
        }
        let clean = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if clean.is_empty()
            || stop.contains(&clean) && !words.is_empty()
            || clean.chars().all(|c| c.is_ascii_digit())
        {
            break;
        }
        if matches!(
            clean,
            "a" | "an"
                | "the"
                | "our"
                | "my"
                | "their"
                | "all"
                | "those"
                | "these"
                | "of"
                | "to"
                | "us"
                | "me"
        ) && words.is_empty()
        {
            continue;
        }
        words.push(clean.to_string());
        if w.ends_with([',', '.', ';', ')']) || words.len() >= max {
            break;
        }
    }
    words.join(" ")
}

/// `half of enquiries book a site visit`, `70% of site visits ask for a concept`, `we win 1 in 3
/// proposals`, `about a third of proposals are accepted`.
fn rates(l: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let win_cues = [
        "we win",
        "i win",
        "we close",
        "i close",
        "we sign",
        "i sign",
        "we convert",
        "i convert",
        "win rate",
        "close rate",
        "closing rate",
        "we land",
        "i land",
        "i book",
        "we book",
        "instructed",
        "we're hired",
        "we get hired",
        "appointed",
        "we're appointed",
    ];
    // `Lead → Discovery 25%, Discovery → Demo 60%`: arrow pairs with their rates, inline; with
    // `to` (`intro call to scoping 50%, scoping to proposal 60%`) when there are several.
    let to_pairs = l
        .split([',', ';'])
        .filter(|seg| {
            let seg = seg.trim();
            seg.contains(" to ")
                && (seg.ends_with('%') || seg.trim_end_matches('.').ends_with('%'))
                && seg
                    .split(" to ")
                    .next()
                    .is_some_and(|a| a.split_whitespace().count() <= 4)
        })
        .count();
    if l.contains('→') || l.contains("->") || to_pairs >= 2 {
        let body = l.split_once(": ").map(|x| x.1).unwrap_or(l);
        for seg in body.split([',', ';']) {
            let seg = seg.trim();
            let Some((a, b)) = seg
                .split_once('→')
                .or_else(|| seg.split_once("->"))
                .or_else(|| (to_pairs >= 2).then(|| seg.split_once(" to ")).flatten())
            else {
                continue;
            };
            let Some(r) = values::percent(b).filter(|r| *r > 0.0 && *r <= 1.0) else {
                continue;
            };
            if !b.contains('%') && values::ratio(b).is_none() {
                continue;
            }
            let to: String = b
                .split(|c: char| c.is_ascii_digit())
                .next()
                .unwrap_or("")
                .trim()
                .trim_end_matches([':', '=', '-'])
                .trim()
                .to_string();
            let from = a.trim().to_string();
            if !from.is_empty() && !to.is_empty() && from.split_whitespace().count() <= 4 {
                out.push(Statement::Rate(from, to, r));
            }
        }
        if !out.is_empty() {
            return out;
        }
    }
    for (rate, start, end) in ratios_at(l) {
        let rest = l[end..].trim_start();
        // `30% of new ARR sourced by co-ops` is a channel's share, not a stage's rate.
        if rest.starts_with("of new ")
            || rest.starts_with("of our new ")
            || rest.starts_with("of all new ")
        {
            continue;
        }
        // `… of <from> <verb> <to>`, or `<ratio> <from> <verb> <to>` (`1 in 3 intro coffees
        // become a diagnostic session`).
        let after_of = rest.strip_prefix("of ").unwrap_or(rest);
        let verb = RATE_VERBS
            .iter()
            .filter_map(|v| find_word(after_of, v).map(|p| (*v, p)))
            .min_by_key(|(v, p)| (*p, std::cmp::Reverse(v.len())));
        let won = WON
            .iter()
            .filter_map(|v| find_word(after_of, v).map(|p| (*v, p)))
            .min_by_key(|(_, p)| *p);
        let before = &l[..start];
        // `After a survey, nine out of ten get a design`: the stage comes before the ratio.
        let after_stage = before
            .rfind("after ")
            .map(|p| noun_phrase(&before[p + 6..], 3));
        let stated = match (verb, won) {
            (_, Some((_, wp))) if verb.is_none_or(|(_, vp)| wp <= vp) => {
                let from = noun_phrase(&after_of[..wp], 4);
                (!from.is_empty()).then(|| Statement::Rate(from, "won".into(), rate))
            }
            (Some((v, 0)), _) if after_stage.as_deref().is_some_and(|s| !s.is_empty()) => {
                let to: String = after_of[v.len()..]
                    .split([',', '.', ';', '(', '!', '?'])
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .take(8)
                    .collect::<Vec<_>>()
                    .join(" ");
                after_stage
                    .clone()
                    .filter(|_| !to.is_empty())
                    .map(|from| Statement::Rate(from, to, rate))
            }
            (Some((v, vp)), _) if vp > 0 => {
                let from = noun_phrase(&after_of[..vp], 4);
                // The rest of the clause: `pay for the concept sketch` names its stage late.
                let to: String = after_of[vp + v.len()..]
                    .split([',', '.', ';', '(', '!', '?'])
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .take(8)
                    .collect::<Vec<_>>()
                    .join(" ");
                let to = to
                    .trim_start_matches("a ")
                    .trim_start_matches("an ")
                    .trim_start_matches("the ")
                    .to_string();
                (!from.is_empty() && !to.is_empty()).then_some(Statement::Rate(from, to, rate))
            }
            _ => None,
        };
        match stated {
            Some(s) => out.push(s),
            // `we win/close/convert 1 in 3 proposals`, `I close about two thirds of proposals`.
            // `40 percent of leads let us come out and do a site survey`: no known verb; the
            // first words are the stage, the rest of the clause names the next one.
            None if rest.starts_with("of ") && !any(before, &win_cues) => {
                let stop = [
                    "let", "do", "go", "get", "have", "are", "is", "will", "would", "can", "come",
                    "then",
                ];
                let from: Vec<&str> = after_of
                    .split_whitespace()
                    .take_while(|w| !stop.contains(w))
                    .take(2)
                    .collect();
                let to: String = after_of
                    .split([',', '.', ';', '(', '!', '?'])
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .skip(from.len())
                    .take(8)
                    .collect::<Vec<_>>()
                    .join(" ");
                if !from.is_empty() && !to.is_empty() {
                    out.push(Statement::Rate(from.join(" "), to, rate));
                }
            }
            None if any(before, &win_cues) => {
                let from = noun_phrase(after_of, 3);
                let from = if from.is_empty() {
                    "proposal".to_string()
                } else {
                    from
                };
                out.push(Statement::Rate(from, "won".into(), rate));
            }
            None => {}
        }
    }
    out
}

/// `my pipeline is four steps: an intro coffee, a diagnostic session, a proposal, and the signed
/// engagement letter`; `Stages we track: Target account > Intro call > Terms signed`.
fn stage_list(sentence: &str) -> Option<Vec<String>> {
    // `my pipeline is basically Inquiry → Discovery Call → Proposal → Booked`: no colon, but the
    // chain starts after the words that name it.
    let split = sentence.split_once(':').or_else(|| {
        let arrow = sentence.find('→').or_else(|| sentence.find("->"))?;
        let head = &sentence[..arrow];
        let cut = head.trim_end().rfind(' ')?;
        Some((&sentence[..cut], &sentence[cut + 1..]))
    });
    let (head, list) = split?;
    let h = head.to_lowercase();
    if !any(
        &h,
        &[
            "stages",
            "steps",
            "pipeline",
            "funnel",
            "sales process",
            "stage",
            "motion",
            "flow",
            "journey",
        ],
    ) {
        return None;
    }
    let list = list.trim().trim_end_matches('.');
    // `1. Phone Enquiry  2. New Patient Exam  3. Treatment Accepted`.
    let numbered: Vec<&str> = list
        .split(|c: char| c.is_ascii_digit())
        .map(|p| p.trim_start_matches(['.', ')']).trim())
        .filter(|p| !p.is_empty())
        .collect();
    let inline_numbers = list.trim_start().starts_with("1.") || list.trim_start().starts_with("1)");
    let parts: Vec<&str> = if inline_numbers && numbered.len() >= 3 {
        numbered
    } else if list.contains('>') || list.contains('→') || list.contains("->") {
        list.split(['>', '→']).flat_map(|p| p.split("->")).collect()
    } else {
        list.split(',')
            .flat_map(|p| p.split(" and then "))
            .collect()
    };
    let skip = [
        "and", "then", "a", "an", "the", "finally", "paid", "our", "my", "first",
    ];
    let names: Vec<String> = parts
        .iter()
        .map(|p| {
            let mut w: Vec<&str> = p.split_whitespace().collect();
            while w
                .first()
                .is_some_and(|x| skip.contains(&x.to_lowercase().as_str()))
            {
                w.remove(0);
            }
            while w
                .last()
                .is_some_and(|x| matches!(x.to_lowercase().as_str(), "itself" | "stage" | "step"))
            {
                w.pop();
            }
            let s = w.join(" ");
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => s,
            }
        })
        .filter(|n| {
            !n.is_empty()
                && n.split_whitespace().count() <= 5
                && !n.chars().any(|c| c.is_ascii_digit())
        })
        .collect();
    (names.len() >= 3).then_some(names)
}

#[cfg(test)]
mod tests {
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
}
