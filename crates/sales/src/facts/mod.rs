//! The facts a Sales Plan is built from, read from the bound context files.
//!
//! Each fact remembers where it was found (file, line, label), so the plan can cite it and an
//! unreadable or impossible value (`Revenue target: lots`, `-$180,000`, `150%`) is an error
//! naming the file and line. Facts are found three ways, strongest first: an exact label of the
//! vocabulary (`Revenue target: $240k`), a label that contains one (`Hours per week for selling
//! (solo)`), and a sentence ([`prose`]: "my goal is to bring in $48,000 in 2027"). A value from
//! the fact's home input beats one found elsewhere; among equals, the earlier wins, and every
//! other value written for the same fact is kept as a conflict for the plan to list.
//! Constraints (hour caps, exclusions, channel goals, roadmap items) come from the same
//! sentences ([`constraints`]).

pub mod constraints;
pub mod extract;
mod mix;
pub mod prose;
mod record;
pub mod roster;
pub mod tables;
pub mod values;
pub mod vocab;
pub mod volumes;

use constraints::Constraint;
use coord_core::inputs::{ContextFile, Inputs};
use coord_mission::Diagnostic;
use extract::{Extracted, StageBlock, extract};
use jiff::civil::Date;
use prose::Scope;
use record::{CONTAINED, EXACT, Said, error_at, impossible, offer, range_note, statement};
use std::collections::BTreeMap;
use std::path::PathBuf;
pub use values::Money;
pub use vocab::{Fact, Kind, VOCABULARY};

/// A value read from a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Money.
    Money(Money),
    /// Months.
    Months(f64),
    /// A date.
    Date(Date),
    /// Days.
    Days(f64),
    /// A number.
    Number(f64),
    /// A fraction.
    Percent(f64),
    /// Text.
    Text(String),
    /// A list.
    List(Vec<String>),
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Origin {
    /// The file, as given.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// The label it was found under.
    pub label: String,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{} ({})", self.file.display(), self.line, self.label)
    }
}

/// A value with its origin and how strongly it matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The value.
    pub value: Value,
    /// Where.
    pub origin: Origin,
    /// How the value was chosen from what was written (`range 10–12 h: the low end`).
    pub note: Option<String>,
    rank: (bool, u8),
}

/// A stage-to-stage conversion rate written by the user (`Discovery Call → Plant Walk | 60%`).
#[derive(Debug, Clone, PartialEq)]
pub struct RateFact {
    /// The stage converted from, as written.
    pub from: String,
    /// The stage converted to, as written.
    pub to: String,
    /// The rate (fraction).
    pub rate: f64,
    /// Where.
    pub origin: Origin,
}

/// A package with its price.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    /// Its name.
    pub name: String,
    /// Its price.
    pub price: Money,
    /// Where.
    pub origin: Origin,
    /// The lines written under the price (what is included, how long it runs).
    pub detail: String,
}

/// Everything read from the inputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Single-valued facts.
    pub values: BTreeMap<Fact, Found>,
    /// Pipeline stages from the Sales Bible, in order.
    pub stages: Vec<(StageBlock, PathBuf)>,
    /// Priced packages.
    pub packages: Vec<Package>,
    /// Stage conversion rates.
    pub rates: Vec<RateFact>,
    /// Lower-cased text of every file, by input (for mentions such as "BANT" or "alone").
    pub text: BTreeMap<String, String>,
    /// Whom the selling hours are for, as written.
    pub hours_scope: Option<Scope>,
    /// Constraints, with where they were written.
    pub constraints: Vec<(Constraint, Origin)>,
    /// Other values written for a fact than the one used: (fact, value as written, origin).
    pub conflicts: Vec<(Fact, String, Origin)>,
    /// The files' titles (first `# ` heading, or a structured file's comment header).
    pub titles: Vec<String>,
    /// Pipeline stages listed in a sentence (`my pipeline is four steps: ...`), used when no
    /// stage blocks or tables name them.
    pub prose_stages: Vec<(StageBlock, PathBuf)>,
    /// The share of `packages` the business sells of each, when a sentence gives it.
    pub package_mix: Option<(Vec<f64>, Origin)>,
    /// The team written person by person (the first file that gives one).
    pub roster: Option<(PathBuf, Vec<roster::Member>)>,
    /// Where the revenue target is written as the business's total revenue (`finish 2026 at
    /// $420,000 in revenue`), which today's customers count towards, rather than new business.
    pub total_target: Option<Origin>,
    /// Monthly lead volumes as written (`the website brings about 12 enquiries a month`), with
    /// their file; matched to channels where the plan's channels are known.
    pub volumes: Vec<(volumes::VolumeSaid, PathBuf)>,
}

impl Facts {
    /// The value of a money fact.
    pub fn money(&self, f: Fact) -> Option<(Money, &Origin)> {
        match self.values.get(&f) {
            Some(Found {
                value: Value::Money(m),
                origin,
                ..
            }) => Some((*m, origin)),
            _ => None,
        }
    }

    /// The value of a numeric fact (numbers, days, months, percent).
    pub fn number(&self, f: Fact) -> Option<(f64, &Origin)> {
        match self.values.get(&f) {
            Some(Found {
                value: Value::Number(n) | Value::Days(n) | Value::Months(n) | Value::Percent(n),
                origin,
                ..
            }) => Some((*n, origin)),
            _ => None,
        }
    }

    /// The value of a text fact.
    pub fn text(&self, f: Fact) -> Option<(&str, &Origin)> {
        match self.values.get(&f) {
            Some(Found {
                value: Value::Text(t),
                origin,
                ..
            }) => Some((t.as_str(), origin)),
            _ => None,
        }
    }

    /// The value of a list fact.
    pub fn list(&self, f: Fact) -> Vec<String> {
        match self.values.get(&f) {
            Some(Found {
                value: Value::List(l),
                ..
            }) => l.clone(),
            Some(Found {
                value: Value::Text(t),
                ..
            }) => vec![t.clone()],
            _ => Vec::new(),
        }
    }

    /// The value of a date fact.
    pub fn date(&self, f: Fact) -> Option<(Date, &Origin)> {
        match self.values.get(&f) {
            Some(Found {
                value: Value::Date(d),
                origin,
                ..
            }) => Some((*d, origin)),
            _ => None,
        }
    }

    /// All text of one input, lower case.
    pub fn input_text(&self, input: &str) -> &str {
        self.text.get(input).map(String::as_str).unwrap_or("")
    }

    /// All text of every input, lower case.
    pub fn all_text(&self) -> String {
        self.text.values().cloned().collect::<Vec<_>>().join("\n")
    }
}

fn parse(kind: Kind, s: &str, raw: &str) -> Option<Value> {
    Some(match kind {
        Kind::Money => {
            let mut m = values::money(s)?;
            if m.per == values::Per::Total {
                m.per = values::per_of(raw);
            }
            // `budget_mo: 1.5k EUR`: the label's own words (the `[label]` part of `raw`).
            if m.per == values::Per::Total
                && let Some(label) = raw.rsplit_once('[').map(|x| x.1.trim_end_matches(']'))
            {
                m.per = values::per_of_label(label);
            }
            Value::Money(m)
        }
        Kind::Months => Value::Months(values::months(s)?),
        Kind::Date => Value::Date(values::date(s)?),
        Kind::Days => Value::Days(values::days(s)?),
        Kind::Number => Value::Number(values::count_low(s)?),
        Kind::Percent => Value::Percent(values::percent(s)?),
        Kind::Text => Value::Text(s.trim().to_string()),
        Kind::List => Value::List(
            s.split([',', ';'])
                .map(|p| p.trim().trim_end_matches('.').to_string())
                .filter(|p| !p.is_empty())
                .collect(),
        ),
    })
}

/// `Introduction → Discovery Call`, `Stage 1 to 2`, `Lead -> SQL`: the two sides.
fn rate_label(label: &str) -> Option<(String, String)> {
    let l = label.to_lowercase();
    if l.starts_with("conversion") && (l.contains("next") || l.ends_with("rate"))
        || l.starts_with("time ")
        || l.starts_with("how long")
    {
        return None;
    }
    for sep in ["→", "->", "=>", " > ", " to "] {
        if let Some((a, b)) = label.split_once(sep) {
            let a = a.trim();
            let a = [
                "from ",
                "From ",
                "conversion ",
                "Conversion ",
                "rate ",
                "Rate ",
            ]
            .iter()
            .fold(a, |a, p| a.strip_prefix(p).unwrap_or(a));
            let (a, b) = (a.trim(), b.trim());
            if !a.is_empty() && !b.is_empty() && a.split_whitespace().count() <= 5 {
                return Some((a.to_string(), b.to_string()));
            }
        }
    }
    None
}

/// `6 weeks`, `45 days`: a duration, not a rate.
fn is_duration(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    !l.contains('%')
        && ["day", "week", "month", "year", "wk"]
            .iter()
            .any(|u| l.contains(u))
        && l.chars().any(|c| c.is_ascii_digit())
        || values::digits_for_words(&l) != l
            && ["day", "week", "month"].iter().any(|u| l.contains(u))
}

/// Reads every fact from the bound inputs. Unreadable values of a fact in its home input (or in
/// a structured file) and impossible values anywhere are errors; everything else that does not
/// read is skipped.
pub fn read(inputs: &Inputs) -> (Facts, Vec<Diagnostic>) {
    // A run reads the same documents several times (binding, input checks, key facts, the
    // agent that resolves them): the last few readings are kept, keyed by the documents and
    // their binding. Reading is a pure function of those, so this changes nothing but time.
    use std::hash::{Hash, Hasher};
    type Reading = (Facts, Vec<Diagnostic>);
    static MEMO: std::sync::Mutex<Vec<(u64, Reading)>> = std::sync::Mutex::new(Vec::new());
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (name, bound) in &inputs.bound {
        name.hash(&mut h);
        for b in bound {
            b.file.path.hash(&mut h);
            b.file.text.hash(&mut h);
        }
    }
    for f in &inputs.extra {
        f.path.hash(&mut h);
        f.text.hash(&mut h);
    }
    let key = h.finish();
    if let Ok(memo) = MEMO.lock()
        && let Some((_, hit)) = memo.iter().find(|(k, _)| *k == key)
    {
        return hit.clone();
    }
    let read = read_uncached(inputs);
    if let Ok(mut memo) = MEMO.lock() {
        if memo.len() >= 8 {
            memo.remove(0);
        }
        memo.push((key, read.clone()));
    }
    read
}

/// True when a target's line speaks of the business's whole revenue (`finish 2026 at $420,000 in
/// revenue for the year`, `total revenue`, `turnover of`), not of new business (`new`, `net
/// new`, `additional`, `of new work`).
fn is_total_revenue(l: &str) -> bool {
    let new = [
        "new",
        "net new",
        "additional",
        "incremental",
        "extra",
        "more",
        "book",
        "booked",
        "win",
        "signed",
        "bookings",
    ];
    let total = [
        "in revenue",
        "revenue for the year",
        "total revenue",
        "turnover",
        "top line",
        "top-line",
        "overall revenue",
        "annual revenue",
        "gross revenue",
        "total sales",
        "finish the year",
        "end the year",
    ];
    // `it is not a new-business number` says the opposite of new.
    let mut l = l.to_string();
    for negated in [
        "not a new-business",
        "not a new business",
        "not new business",
        "not new-business",
        "isn't new business",
        "not just new",
    ] {
        l = l.replace(negated, "");
    }
    let l = l.as_str();
    // `reach £2.0M ARR by the end of December`: an end state of the whole book.
    let reach = ["reach", "get to", "hit", "grow to"]
        .iter()
        .any(|w| prose::find_word(l, w).is_some())
        && ["arr", "mrr", "run rate", "run-rate", "revenue"]
            .iter()
            .any(|w| prose::find_word(l, w).is_some());
    !prose::any(l, &new)
        && (prose::any(l, &total)
            || reach
            || (prose::find_word(l, "finish").is_some()
                && prose::find_word(l, "revenue").is_some()))
}

fn read_uncached(inputs: &Inputs) -> (Facts, Vec<Diagnostic>) {
    let mut facts = Facts::default();
    let mut diags = Vec::new();
    // A labelled value that cannot be read (`Start date: see B2`) is an error only when no other
    // line gives the fact.
    let mut unreadable: Vec<(Fact, Diagnostic)> = Vec::new();
    // A file bound to several inputs is read once, at home in each of them.
    let mut files: Vec<(Vec<&str>, &ContextFile)> = Vec::new();
    let mut listed: Vec<(Option<&str>, &ContextFile)> = Vec::new();
    for (name, bound) in &inputs.bound {
        for b in bound {
            listed.push((Some(name.as_str()), &b.file));
        }
    }
    for f in &inputs.extra {
        listed.push((None, f));
    }
    for (input, file) in listed {
        match files.iter_mut().find(|(_, f)| f.path == file.path) {
            Some((ins, _)) => ins.extend(input),
            None => files.push((input.into_iter().collect(), file)),
        }
    }
    let mut all_prose: Vec<(PathBuf, usize, String)> = Vec::new();
    for (ins, file) in files {
        let ex: Extracted = extract(&file.path, &file.text);
        if let Some(t) = &file.title {
            facts.titles.push(t.clone());
        }
        let key = ins.first().copied().unwrap_or("Other").to_string();
        facts.volumes.extend(
            volumes::read(&file.text)
                .into_iter()
                .map(|v| (v, file.path.clone())),
        );
        let t = facts.text.entry(key).or_default();
        t.push_str(&ex.lower);
        t.push('\n');
        let at_home = |e: &vocab::Entry| ins.iter().any(|i| e.home.contains(i));
        let origin = |line: usize, label: &str| Origin {
            file: file.path.clone(),
            line,
            label: label.to_string(),
        };
        all_prose.extend(
            ex.prose
                .iter()
                .map(|(n, t)| (file.path.clone(), *n, t.clone())),
        );
        if facts.roster.is_none() {
            let members = roster::read(&ex.prose);
            if !members.is_empty() {
                facts.roster = Some((file.path.clone(), members));
            }
        }
        let mut prose_lines: Vec<(usize, String)> = ex.prose.clone();
        for p in &ex.pairs {
            let o = origin(p.line, &p.label);
            let priced = p.value.contains(['$', '€', '£']);
            // `Upgrades to CFO are a different conversation: …`: selling more to today's
            // clients, no stage of the pipeline.
            let upgrade = ["upgrade", "upsell", "up-sell", "cross-sell"]
                .iter()
                .any(|w| p.label.to_lowercase().contains(w));
            if let Some((from, to)) =
                rate_label(&p.label).filter(|_| !priced && !p.label.contains('(') && !upgrade)
            {
                if is_duration(&p.value) {
                    // `Time from first email to signed contract: 6 weeks` is the sales cycle.
                    if let Some(d) = values::days(&p.value) {
                        offer(
                            &mut facts,
                            Fact::SalesCycleDays,
                            Value::Days(d),
                            o,
                            (true, CONTAINED),
                            None,
                        );
                    }
                    continue;
                }
                match values::percent(&p.value) {
                    Some(rate) if rate > 1.0 => diags.push(error_at(
                        file,
                        p.line,
                        format!("the conversion rate {} is above 100% (`{}`)", p.label, p.value),
                        "a rate is a share of the deals that move on: write it like `40%` or `2 in 5`".into(),
                    )),
                    Some(rate) => facts.rates.push(RateFact { from, to, rate, origin: o }),
                    None if p.value.chars().any(|c| c.is_ascii_digit()) => diags.push(error_at(
                        file,
                        p.line,
                        format!("cannot read the conversion rate `{}` for {}", p.value, p.label),
                        "write it as a percentage, e.g. `| Discovery → Proposal | 40% |`".into(),
                    )),
                    None => {}
                }
                continue;
            }
            // A trailing comment is the writer's words too (`type = "solo"  # it's just me`).
            if p.structured
                && let Some(c) = &p.comment
            {
                prose_lines.push((p.line, c.clone()));
            }
            // `[target] new_arr`: the keys above a structured value are part of its label.
            let full = match &p.context {
                Some(c) => format!("{c} {}", p.label),
                None => p.label.clone(),
            };
            // `mix: {partner MSP referrals: 0.4}`: a channel's share under a channel-mix key.
            if let Some(ctx) = &p.context
                && [
                    "mix",
                    "channel mix",
                    "channels",
                    "channel goals",
                    "channel targets",
                    "shares",
                    "lead mix",
                    "source mix",
                    "channel shares",
                ]
                .contains(&ctx.to_lowercase().as_str())
                && let Some(share) = values::percent(&p.value).filter(|s| *s > 0.0 && *s <= 1.0)
            {
                let c = Constraint::ChannelGoal(p.label.clone(), share);
                if !facts.constraints.iter().any(|(x, _)| x == &c) {
                    facts.constraints.push((c, origin(p.line, "channel goal")));
                }
                continue;
            }
            let (entry, strength) = match vocab::exact(&p.label)
                .or_else(|| p.context.as_ref().and_then(|_| vocab::exact(&full)))
            {
                Some(e) => (e, EXACT),
                None => match vocab::contained(&p.label).or_else(|| {
                    // Only an amount written as money (or typed in a structured file): `35 seats`
                    // is not a deal size.
                    let money = values::money(&p.value).is_some()
                        && (values::has_currency(&p.value)
                            || p.structured
                                && p.value.trim().replace('_', "").parse::<f64>().is_ok());
                    // The value's own key must say it; the keys above it may only rule it out
                    // (`[reference] fy2027_new_arr`).
                    let ok = |f: fn(&str) -> bool| f(&p.label) && (p.context.is_none() || f(&full));
                    if money && ok(vocab::deal_like) {
                        Some(vocab::entry(Fact::AvgDealSize))
                    } else if money && ok(vocab::target_like) {
                        Some(vocab::entry(Fact::RevenueTarget))
                    } else {
                        None
                    }
                }) {
                    Some(e) => (e, CONTAINED),
                    None => {
                        if p.structured && !p.from_list {
                            let c = p
                                .comment
                                .as_deref()
                                .map(|c| format!(" ({c})"))
                                .unwrap_or_default();
                            prose_lines.push((p.line, format!("{full}: {}{c}", p.value)));
                        }
                        continue;
                    }
                },
            };
            // `Q1 target: €45,000`, `H2 revenue goal`: a part of the period, not the whole target.
            if entry.fact == Fact::RevenueTarget && record::period_part(&p.label) {
                continue;
            }
            // `Selling hours in tax season (Feb-Apr): 2 per week` is a limit, not the norm.
            if entry.fact == Fact::HoursPerWeek
                && constraints::is_cap_sentence(&format!("{} {}", p.label, p.value).to_lowercase())
            {
                continue;
            }
            let home = at_home(entry);
            // The period can be in the value, its comment or its label (`budget_per_month`).
            let raw = match &p.comment {
                Some(c) => format!("{} ({c}) [{}]", p.value, p.label),
                None => format!("{} [{}]", p.value, p.label),
            };
            // `sellers: [Aoife, Tomás, Ciarán]`: a list of people counts them.
            let counted = (entry.kind == Kind::Number
                && p.from_list
                && values::count_low(&p.value).is_none())
            .then(|| {
                Value::Number(p.value.split(", ").filter(|x| !x.trim().is_empty()).count() as f64)
            });
            let Some(value) = counted.or_else(|| parse(entry.kind, &p.value, &raw)) else {
                if strength == EXACT && (home || p.structured) {
                    unreadable.push((
                        entry.fact,
                        error_at(
                            file,
                            p.line,
                            format!("cannot read {} from `{}`", describe(entry.fact), p.value),
                            format!("write it like `{}`", entry.example),
                        ),
                    ));
                }
                continue;
            };
            if let Some(msg) = impossible(entry.fact, &value) {
                diags.push(error_at(
                    file,
                    p.line,
                    msg,
                    format!("write it like `{}`", entry.example),
                ));
                continue;
            }
            // A planning period often carries its start date: "12 months starting 2027-01-01".
            if entry.fact == Fact::PeriodMonths
                && let Some(d) = values::date(&p.value)
            {
                offer(
                    &mut facts,
                    Fact::StartDate,
                    Value::Date(d),
                    o.clone(),
                    (home, strength - 1),
                    None,
                );
            }
            if entry.fact == Fact::HoursPerWeek {
                let l = format!("{} {raw}", p.label).to_lowercase();
                let scope = if prose::any(
                    &l,
                    &[
                        "together",
                        "total",
                        "combined",
                        "team",
                        "in total",
                        "between us",
                        "all",
                    ],
                ) {
                    Scope::Team
                } else if prose::any(
                    &l,
                    &[
                        "each",
                        "per person",
                        "per rep",
                        "per seller",
                        "per partner",
                        "apiece",
                        "per head",
                        "per ae",
                        "per sdr",
                        "per account executive",
                        "per consultant",
                        "per salesperson",
                        "per member",
                    ],
                ) {
                    Scope::Each
                } else {
                    Scope::Unsaid
                };
                if facts
                    .values
                    .get(&Fact::HoursPerWeek)
                    .is_none_or(|f| (home, strength) > f.rank)
                {
                    facts.hours_scope = Some(scope);
                }
            }
            // `two partners, 10-12 hours a week each`: the hours are the number with `hours`.
            let value = match (entry.fact, values::hours(&p.value)) {
                (Fact::HoursPerWeek, Some(h)) => Value::Number(h),
                _ => value,
            };
            // `Jo ~20, me + Dr Patel 2 each, so ~24`: the figure the writer concludes with.
            let value = match (&value, values::conclusion(&p.value)) {
                (Value::Number(_), Some(n)) => Value::Number(n),
                _ => value,
            };
            let note = range_note(entry.kind, &p.value, &value);
            offer(&mut facts, entry.fact, value, o, (home, strength), note);
        }
        // Sentences.
        // An interview's answers are read with their question: `Q: How many hours a week can
        // you give to sales? A: About six each.`
        let mut question = String::new();
        for (line, text) in &prose_lines {
            let (q, a) = qa(text);
            if let Some(q) = q {
                question = q.trim_end_matches('?').to_string();
                continue;
            }
            let answer = a.is_some();
            let body = a.unwrap_or(text.as_str());
            let mut previous = String::new();
            for bare_sentence in prose::sentences(body) {
                let joined;
                let sentence = if answer && !question.is_empty() {
                    joined = format!("{question}: {bare_sentence}");
                    joined.as_str()
                } else {
                    bare_sentence
                };
                let text = if answer { sentence } else { text.as_str() };
                // `People keep telling us to do door hangers. We won't.`
                let bare = sentence.trim().trim_end_matches(['.', '!']).to_lowercase();
                if matches!(
                    bare.replace('’', "'").as_str(),
                    "we won't"
                        | "i won't"
                        | "we don't"
                        | "i don't"
                        | "never"
                        | "not doing that"
                        | "we will not"
                        | "i will not"
                        | "no thanks"
                        | "not for us"
                ) && !previous.is_empty()
                {
                    for c in constraints::read_sentence(&format!("no {previous}")) {
                        if let Constraint::Exclude(_) = c {
                            let o = origin(*line, "exclusion");
                            if !facts.constraints.iter().any(|(x, _)| x == &c) {
                                facts.constraints.push((c, o));
                            }
                        }
                    }
                }
                // `…; that happens for about half of chemistry calls`: said again in full.
                let restated = prose::restate_after(&previous, sentence);
                previous = sentence.to_string();
                let sentence = restated.as_deref().unwrap_or(sentence);
                let heading = ex.headings.contains(line);
                for f in prose::read_sentence_in(sentence, text) {
                    let at = Said {
                        file,
                        line: *line,
                        sentence,
                        ins: &ins,
                        heading,
                    };
                    statement(&mut facts, &mut diags, &at, f);
                }
                for c in constraints::read_sentence(sentence) {
                    let label = match &c {
                        Constraint::Cap(_) => "hour limit",
                        Constraint::Exclude(_) => "exclusion",
                        Constraint::ChannelGoal(..) => "channel goal",
                        Constraint::Roadmap(_) => "roadmap",
                    };
                    let o = origin(*line, label);
                    if !facts
                        .constraints
                        .iter()
                        .any(|(x, xo)| x == &c && xo.file == o.file)
                    {
                        facts.constraints.push((c, o));
                    }
                }
            }
        }
        for s in ex.stages {
            facts.stages.push((s, file.path.clone()));
        }
        for p in ex.packages {
            if let Some(price) = p.price.as_deref().and_then(values::money) {
                if price.amount < 0.0 {
                    diags.push(error_at(
                        file,
                        p.line,
                        format!("the price of {} cannot be negative", p.name),
                        "write it like `- Price: $4,500`".into(),
                    ));
                    continue;
                }
                // The lines under the price ("Included: 12 weeks of on-site work") say how long
                // the engagement runs.
                let detail = p.detail.clone().unwrap_or_else(|| {
                    file.text
                        .lines()
                        .skip(p.line)
                        .take_while(|l| {
                            let t = l.trim();
                            !t.is_empty() && !t.starts_with("**") && !t.starts_with('#')
                        })
                        .take(4)
                        .collect::<Vec<_>>()
                        .join(" ")
                });
                facts.packages.push(Package {
                    name: p.name,
                    price,
                    origin: origin(p.line, "Price"),
                    detail,
                });
            }
        }
    }
    diags.extend(
        unreadable
            .into_iter()
            .filter(|(f, _)| !facts.values.contains_key(f))
            .map(|(_, d)| d),
    );
    facts.total_target = facts.values.get(&Fact::RevenueTarget).and_then(|found| {
        let o = &found.origin;
        let text = all_prose
            .iter()
            .find(|(f, n, _)| *f == o.file && *n == o.line)
            .map(|(_, _, t)| t.to_lowercase())?;
        is_total_revenue(&text).then(|| o.clone())
    });
    // Hours and head counts written on a roster's lines are its people's, not rival values.
    if let Some((file, members)) = &facts.roster {
        facts.conflicts.retain(|(f, _, o)| {
            !(matches!(f, Fact::HoursPerWeek | Fact::TeamSize)
                && o.file == *file
                && members.iter().any(|m| m.line == o.line))
        });
    }
    // Offers priced in sentences, when no list or table gives the packages.
    if facts.packages.is_empty() {
        for (file, line, text) in &all_prose {
            for sentence in prose::sentences(text) {
                if let Some((name, price)) = mix::offer(sentence)
                    && let Some(price) = values::money(&price)
                    && price.amount > 0.0
                    && !facts.packages.iter().any(|p| p.name == name)
                {
                    facts.packages.push(Package {
                        name,
                        price,
                        origin: Origin {
                            file: file.clone(),
                            line: *line,
                            label: "\"offer\"".into(),
                        },
                        detail: sentence.to_string(),
                    });
                }
            }
        }
    }
    let names: Vec<String> = facts.packages.iter().map(|p| p.name.clone()).collect();
    facts.package_mix = all_prose.iter().find_map(|(file, line, text)| {
        mix::find(text, &names).map(|m| {
            (
                m,
                Origin {
                    file: file.clone(),
                    line: *line,
                    label: "\"mix\"".into(),
                },
            )
        })
    });
    // A sentence inside a stage's description whose rate the stage block already took is not a
    // second, separate rate.
    let block_lines: Vec<(PathBuf, usize)> = facts
        .stages
        .iter()
        .filter(|(b, _)| b.said.is_some() && b.rate.is_some())
        .map(|(b, file)| (file.clone(), b.line))
        .collect();
    facts.rates.retain(|r| {
        !(r.origin.label.starts_with('"')
            && block_lines.contains(&(r.origin.file.clone(), r.origin.line)))
    });
    // The same rate written twice (a table and a sentence) counts once.
    let mut seen = Vec::new();
    facts.rates.retain(|r| {
        let k = (vocab::normalise(&r.from), vocab::normalise(&r.to));
        if seen.contains(&k) {
            false
        } else {
            seen.push(k);
            true
        }
    });
    (facts, diags)
}

/// `Q: …` / `**Q:** …` / `Question: …` → (question, None); `A: …` → (None, answer).
fn qa(text: &str) -> (Option<String>, Option<&str>) {
    let t = text.trim().trim_start_matches("**");
    for (tag, is_q) in [
        ("Q:", true),
        ("Question:", true),
        ("A:", false),
        ("Answer:", false),
    ] {
        if let Some(rest) = t.strip_prefix(tag) {
            let rest = rest.trim_start_matches("**").trim();
            return if is_q {
                (Some(rest.to_string()), None)
            } else {
                (None, Some(rest))
            };
        }
    }
    (None, None)
}

/// A value for messages.
pub fn show(v: &Value) -> String {
    match v {
        Value::Money(m) => {
            let per = m.per.as_str();
            let s = crate::render::money(m.currency, m.amount);
            if per.is_empty() {
                s
            } else {
                format!("{s} {per}")
            }
        }
        Value::Months(n) => format!("{n:.0} months"),
        Value::Date(d) => d.to_string(),
        Value::Days(n) => format!("{n:.0} days"),
        Value::Number(n) => format!("{n}"),
        Value::Percent(p) => format!("{:.0}%", p * 100.0),
        Value::Text(t) => t.clone(),
        Value::List(l) => l.join(", "),
    }
}

/// A fact's name for messages: `the revenue target`.
pub fn describe(f: Fact) -> String {
    let e = vocab::entry(f);
    format!("the {}", e.labels[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use coord_core::inputs::{Bound, MatchedBy};

    #[test]
    fn a_target_of_total_revenue_and_one_of_new_business() {
        assert!(is_total_revenue(
            "we'd like to finish 2026 at roughly $420,000 in revenue for the year"
        ));
        assert!(is_total_revenue("total revenue target: $1.2m"));
        assert!(is_total_revenue(
            "goal for 2026 is $1.05m in total revenue — that includes what the existing 30 clients pay us, it is not a new-business number"
        ));
        assert!(!is_total_revenue(
            "i'd like to book around $130k of design work in 2026"
        ));
        assert!(!is_total_revenue("$1.2m of new arr in 2026"));
        assert!(is_total_revenue(
            "for 2027 the board and i agreed we need to reach £2.0m arr by the end of december 2027."
        ));
        assert!(!is_total_revenue("revenue target: $240,000"));
        // Read from the documents, with the customers and the renewal rate beside it.
        let (f, _) = read(&inputs(&[(
            "Business Objectives",
            "goals.md",
            "# Goals\n\nWe'd like to finish 2027 at roughly $300,000 in revenue for the year.\n\nRight now we have 20 clients. About 90% of clients renew each year.\n",
        )]));
        assert!(f.total_target.as_ref().is_some_and(|o| o.line == 3));
        assert_eq!(f.number(Fact::RenewalRate).map(|x| x.0), Some(0.9));
    }

    fn inputs(files: &[(&str, &str, &str)]) -> Inputs {
        let mut i = Inputs::default();
        for (input, name, text) in files {
            i.bound.entry(input.to_string()).or_default().push(Bound {
                file: ContextFile {
                    path: PathBuf::from(name),
                    text: text.to_string(),
                    title: None,
                    declared_input: None,
                },
                matched_by: MatchedBy::Explicit,
                reason: None,
            });
        }
        i
    }

    #[test]
    fn facts_with_origins_and_precedence() {
        let (f, d) = read(&inputs(&[
            (
                "Business Objectives",
                "obj.md",
                "# Goals\n- Revenue target: $240k\n- Planning period: 12 months starting 2027-03-01\n- ACV: $20,000\n",
            ),
            (
                "Sales Bible",
                "bible.md",
                "**Average deal size:** $15,000\n\n| Stage | Rate |\n|---|---|\n| Lead → SQL | 25% |\n",
            ),
            (
                "Resource Constraints",
                "res.md",
                "- Hours per week for selling: 8-10\n- Tools in use: HubSpot, Calendly\n- CRM: HubSpot\n",
            ),
        ]));
        assert!(d.is_empty(), "{d:?}");
        let (m, o) = f.money(Fact::RevenueTarget).unwrap();
        assert_eq!((m.amount, o.line), (240000.0, 2));
        assert_eq!(f.number(Fact::PeriodMonths).map(|x| x.0), Some(12.0));
        assert_eq!(
            f.date(Fact::StartDate).map(|x| x.0),
            Date::new(2027, 3, 1).ok()
        );
        // ACV (exact, home input) and "Average deal size" (exact, home input): the first wins.
        assert_eq!(
            f.money(Fact::AvgDealSize).map(|x| x.0.amount),
            Some(20000.0)
        );
        assert_eq!(f.number(Fact::HoursPerWeek).map(|x| x.0), Some(8.0));
        assert_eq!(f.list(Fact::Tools), ["HubSpot", "Calendly"]);
        assert_eq!(f.rates.len(), 1);
        assert_eq!(
            (
                f.rates[0].from.as_str(),
                f.rates[0].to.as_str(),
                f.rates[0].rate
            ),
            ("Lead", "SQL", 0.25)
        );
    }

    #[test]
    fn unreadable_values_are_errors_only_where_they_matter() {
        let (_, d) = read(&inputs(&[
            (
                "Business Objectives",
                "obj.md",
                "# Goals\n\n- Revenue target: lots\n",
            ),
            (
                "Sales Bible",
                "bible.md",
                "- Budget: do they have budget?\n",
            ),
        ]));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].path.to_str(), d[0].line), (Some("obj.md"), 3));
        assert!(d[0].message.contains("revenue target") && d[0].message.contains("`lots`"));
        assert!(
            d[0].help
                .as_deref()
                .unwrap()
                .contains("Revenue target: $240,000")
        );
    }
}
