//! The facts a Sales Plan is built from, read from the bound context files.
//!
//! Each fact remembers where it was found (file, line, label), so the plan can cite it and an
//! unreadable value (`Revenue target: lots`) is an error naming the file and line. Facts are found
//! by the vocabulary's labels; a value from the fact's home input beats one found elsewhere, an
//! exact label beats a label that merely contains a known one, and earlier beats later.

pub mod extract;
pub mod values;
pub mod vocab;

use coord_core::inputs::{ContextFile, Inputs};
use coord_mission::Diagnostic;
use extract::{Extracted, StageBlock, extract};
use jiff::civil::Date;
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
    rank: (bool, bool),
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

fn parse(kind: Kind, s: &str) -> Option<Value> {
    Some(match kind {
        Kind::Money => Value::Money(values::money(s)?),
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
    for sep in ["→", "->", "=>", " to "] {
        if let Some((a, b)) = label.split_once(sep) {
            let (a, b) = (a.trim(), b.trim());
            if !a.is_empty() && !b.is_empty() && a.split_whitespace().count() <= 5 {
                return Some((a.to_string(), b.to_string()));
            }
        }
    }
    None
}

/// Reads every fact from the bound inputs. Unreadable values of a fact in its home input (or in
/// a structured file) are errors; everything else that does not read is skipped.
pub fn read(inputs: &Inputs) -> (Facts, Vec<Diagnostic>) {
    let mut facts = Facts::default();
    let mut diags = Vec::new();
    let mut files: Vec<(Option<&str>, &ContextFile)> = Vec::new();
    for (name, bound) in &inputs.bound {
        for b in bound {
            files.push((Some(name.as_str()), &b.file));
        }
    }
    for f in &inputs.extra {
        files.push((None, f));
    }
    for (input, file) in files {
        let ex: Extracted = extract(&file.path, &file.text);
        let key = input.unwrap_or("Other").to_string();
        let t = facts.text.entry(key).or_default();
        t.push_str(&ex.lower);
        t.push('\n');
        for p in &ex.pairs {
            let origin = Origin {
                file: file.path.clone(),
                line: p.line,
                label: p.label.clone(),
            };
            if let Some((from, to)) = rate_label(&p.label) {
                match values::percent(&p.value) {
                    Some(rate) => facts.rates.push(RateFact {
                        from,
                        to,
                        rate,
                        origin,
                    }),
                    None if p.value.chars().any(|c| c.is_ascii_digit()) => diags.push(
                        Diagnostic::error(
                            &file.path,
                            format!(
                                "cannot read the conversion rate `{}` for {}",
                                p.value, p.label
                            ),
                        )
                        .at(
                            p.line,
                            0,
                            0,
                            file.text.lines().nth(p.line - 1).unwrap_or(""),
                        )
                        .help("write it as a percentage, e.g. `| Discovery → Proposal | 40% |`"),
                    ),
                    None => {}
                }
                continue;
            }
            let (entry, exact) = match vocab::exact(&p.label) {
                Some(e) => (e, true),
                None => match vocab::contained(&p.label) {
                    Some(e) => (e, false),
                    None => continue,
                },
            };
            let home = input.is_some_and(|i| entry.home.contains(&i));
            let Some(value) = parse(entry.kind, &p.value) else {
                if exact && (home || p.structured) {
                    diags.push(
                        Diagnostic::error(
                            &file.path,
                            format!("cannot read {} from `{}`", describe(entry.fact), p.value),
                        )
                        .at(
                            p.line,
                            0,
                            0,
                            file.text.lines().nth(p.line - 1).unwrap_or(""),
                        )
                        .help(format!("write it like `{}`", entry.example)),
                    );
                }
                continue;
            };
            // A planning period often carries its start date: "12 months starting 2027-01-01".
            if entry.fact == vocab::Fact::PeriodMonths
                && let Some(d) = values::date(&p.value)
            {
                offer(
                    &mut facts,
                    vocab::Fact::StartDate,
                    Value::Date(d),
                    origin.clone(),
                    (home, false),
                );
            }
            offer(&mut facts, entry.fact, value, origin, (home, exact));
        }
        for s in ex.stages {
            facts.stages.push((s, file.path.clone()));
        }
        for p in ex.packages {
            if let Some(price) = p.price.as_deref().and_then(values::money) {
                facts.packages.push(Package {
                    name: p.name,
                    price,
                    origin: Origin {
                        file: file.path.clone(),
                        line: p.line,
                        label: "Price".into(),
                    },
                });
            }
        }
    }
    (facts, diags)
}

/// Keeps the best value for a fact: home input first, then exact labels, then the first seen.
/// Lists accumulate instead.
fn offer(facts: &mut Facts, fact: Fact, value: Value, origin: Origin, rank: (bool, bool)) {
    match facts.values.get_mut(&fact) {
        Some(Found {
            value: Value::List(existing),
            ..
        }) => {
            if let Value::List(more) = value {
                for m in more {
                    if !existing.contains(&m) {
                        existing.push(m);
                    }
                }
            }
        }
        Some(found) if rank > found.rank => {
            *found = Found {
                value,
                origin,
                rank,
            };
        }
        Some(_) => {}
        None => {
            facts.values.insert(
                fact,
                Found {
                    value,
                    origin,
                    rank,
                },
            );
        }
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
