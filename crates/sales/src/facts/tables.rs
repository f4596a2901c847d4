//! Markdown tables, read by their header: what a spreadsheet pasted into a document says.
//!
//! - A **stage table** (a `Stage`/`Step` column) lists pipeline stages in order, with their
//!   conversion rate (`Conversion to next`, or `from previous`), entry and exit criteria and
//!   objective; each rate becomes a `From → To` pair.
//! - A **package table** (a `Package`/`Service`/`Offer` column and a `Price`/`Fee` column) lists
//!   priced packages; the price header's period (`Monthly fee`) travels with the price.
//! - Any other table is label/value rows. With period columns (`Q1 … Q4`, `Full year`, `Total`)
//!   the full-year column is read; quarters alone are added up.
//!
//! Without a header separator (`|---|`), every row is a `| Label | Value |` pair.

use super::extract::{Extracted, PackageBlock, Pair, StageBlock};

fn cells(row: &str) -> Vec<String> {
    let inner = row.trim();
    let inner = inner.strip_prefix('|').unwrap_or(inner);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner
        .split('|')
        .map(|c| c.trim().replace("**", "").trim().to_string())
        .collect()
}

fn is_separator(cells: &[String]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        })
}

fn has(h: &str, words: &[&str]) -> bool {
    words.iter().any(|w| h.contains(w))
}

fn find(header: &[String], want: &[&str], not: &[&str]) -> Option<usize> {
    header.iter().position(|h| has(h, want) && !has(h, not))
}

/// `1. Discovery`, `Stage 2 – Discovery` → `Discovery`.
fn stage_name(cell: &str) -> String {
    let t = cell.trim();
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')');
    let t = t.trim();
    let l = t.to_ascii_lowercase();
    let t = if let Some(rest) = l.strip_prefix("stage ") {
        let rest_start = t.len() - rest.len();
        let r = t[rest_start..].trim_start_matches(|c: char| c.is_ascii_digit());
        r.trim_start_matches([':', '-', '–', '—', '.', ' '])
    } else {
        t
    };
    t.trim().to_string()
}

/// Reads one table: `rows` are (line number, line text), header first when it has one.
pub fn read(rows: &[(usize, &str)], section: &str, out: &mut Extracted) {
    let parsed: Vec<(usize, Vec<String>)> = rows.iter().map(|(n, r)| (*n, cells(r))).collect();
    let sep = parsed.iter().position(|(_, c)| is_separator(c));
    type Rows = Vec<(usize, Vec<String>)>;
    let (header, body): (Option<Vec<String>>, Rows) = match sep {
        Some(1) => (
            Some(parsed[0].1.iter().map(|h| h.to_lowercase()).collect()),
            parsed[2..].to_vec(),
        ),
        _ => (
            None,
            parsed
                .into_iter()
                .filter(|(_, c)| !is_separator(c))
                .collect(),
        ),
    };
    for (line, c) in &body {
        let text: Vec<&str> = c
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect();
        if !text.is_empty() {
            // `Label: value (other column: text, ...)`, one sentence per row.
            let row = match &header {
                Some(h) if c.len() > 2 => {
                    let rest: Vec<String> = c
                        .iter()
                        .enumerate()
                        .skip(2)
                        .filter(|(_, v)| !v.is_empty() && v.as_str() != "-")
                        .map(|(j, v)| match h.get(j) {
                            Some(hj) if !hj.is_empty() => format!("{hj}: {v}"),
                            _ => v.clone(),
                        })
                        .collect();
                    let head = format!("{}: {}", c[0], c.get(1).cloned().unwrap_or_default());
                    if rest.is_empty() {
                        head
                    } else {
                        format!("{head} ({})", rest.join(", "))
                    }
                }
                _ => text.join(": "),
            };
            out.prose.push((*line, row));
        }
    }
    let Some(header) = header else {
        for (line, c) in &body {
            if c.len() >= 2 && !c[0].is_empty() && !c[1].is_empty() {
                push(out, &c[0], &c[1], *line);
            }
        }
        return;
    };
    let quarter_cols: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            let h = h.trim();
            h.len() >= 2
                && h.starts_with('q')
                && h[1..2].parse::<u8>().is_ok_and(|q| (1..=4).contains(&q))
        })
        .map(|(j, _)| j)
        .collect();
    let stage_col = find(
        &header,
        &["stage", "step", "pipeline"],
        &["conversion", "rate", "%", "time", "days", "criteria"],
    );
    // `| From | To | Conversion |`: one rate per row.
    let from_col = header
        .iter()
        .position(|h| h.trim() == "from" || h.starts_with("from "));
    let to_col = header
        .iter()
        .position(|h| h.trim() == "to" || h.starts_with("to "));
    let conv_col = find(
        &header,
        &["conversion", "conv", "rate", "%", "win", "convert"],
        &["time", "days"],
    );
    if let (Some(f), Some(t), Some(r)) = (from_col, to_col, conv_col) {
        for (line, c) in &body {
            if let (Some(a), Some(b), Some(v)) = (c.get(f), c.get(t), c.get(r))
                && !a.is_empty()
                && !b.is_empty()
                && !v.is_empty()
            {
                push(out, &format!("{a} → {b}"), v, *line);
            }
        }
        return;
    }
    // `| Lead → SQL | 25% |` rows under a `Stage` header are rates, not stages.
    let arrows = |c: &Vec<String>| {
        stage_col
            .and_then(|j| c.get(j))
            .is_some_and(|v| v.contains('→') || v.contains("->") || v.contains(" to "))
    };
    if let Some(sc) = stage_col
        && body.len() >= 2
        && quarter_cols.is_empty()
        && !body.iter().any(|(_, c)| arrows(c))
    {
        stage_table(&header, &body, sc, section, out);
        return;
    }
    let price_col = find(
        &header,
        &["price", "fee", "cost", "investment", "amount", "rate"],
        &["conversion", "win"],
    );
    // `| What | Price | Typical length |`: beside a price column, a first column headed `What`
    // or `Item` names what is sold.
    let name_col = find(
        &header,
        &[
            "package", "service", "offer", "product", "tier", "plan", "option",
        ],
        &["price", "fee", "cost"],
    )
    .or_else(|| {
        let first = header.first()?.to_lowercase();
        (price_col.is_some_and(|p| p > 0)
            && [
                "what",
                "item",
                "what we sell",
                "offering",
                "name",
                "engagement",
                "project type",
            ]
            .contains(&first.trim()))
        .then_some(0)
    });
    if let (Some(nc), Some(pc)) = (name_col, price_col)
        && nc != pc
    {
        for (line, c) in &body {
            let (Some(name), Some(price)) = (c.get(nc), c.get(pc)) else {
                continue;
            };
            if name.is_empty() || price.is_empty() {
                continue;
            }
            // The row's other cells say what it includes and how long it runs (`8–10 weeks`);
            // the rows below are other packages.
            let detail = c
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != nc && *i != pc)
                .map(|(i, v)| format!("{}: {v}", header.get(i).map_or("", String::as_str)))
                .collect::<Vec<_>>()
                .join("; ");
            out.packages.push(PackageBlock {
                name: name.clone(),
                price: Some(format!("{price} ({})", header[pc])),
                line: *line,
                detail: Some(detail),
            });
        }
        return;
    }
    // Label/value rows: the full-year column, a value column, or the second column.
    let value_col = find(
        &header,
        &[
            "full year",
            "full-year",
            "fy",
            "total",
            "annual",
            "year",
            "12 month",
        ],
        &[],
    )
    .filter(|&j| j > 0)
    .or_else(|| {
        find(
            &header,
            &[
                "value", "target", "amount", "figure", "answer", "number", "detail",
            ],
            &[],
        )
        .filter(|&j| j > 0)
    });
    for (line, c) in &body {
        let Some(label) = c.first().filter(|l| !l.is_empty()) else {
            continue;
        };
        let value = match value_col {
            Some(j) => c.get(j).cloned().unwrap_or_default(),
            None if quarter_cols.len() == 4 => sum_cells(c, &quarter_cols),
            None => c.get(1).cloned().unwrap_or_default(),
        };
        if !value.is_empty() {
            push(out, label, &value, *line);
        }
    }
}

/// Quarters added up: `$20k | $30k | $30k | $40k` → `$120000`.
fn sum_cells(c: &[String], cols: &[usize]) -> String {
    let vals: Vec<&String> = cols.iter().filter_map(|&j| c.get(j)).collect();
    let money: Vec<f64> = vals
        .iter()
        .filter_map(|v| super::values::money(v).map(|m| m.amount))
        .collect();
    if money.len() != vals.len() || vals.is_empty() {
        return c.get(cols[0]).cloned().unwrap_or_default();
    }
    let sym = vals
        .iter()
        .find_map(|v| v.chars().find(|ch| matches!(ch, '$' | '€' | '£')))
        .map(String::from)
        .unwrap_or_default();
    format!("{sym}{}", money.iter().sum::<f64>())
}

fn push(out: &mut Extracted, label: &str, value: &str, line: usize) {
    if value.starts_with('[') {
        return;
    }
    out.pairs.push(Pair {
        label: label.to_string(),
        value: value.to_string(),
        line,
        structured: false,
        comment: None,
        context: None,
        from_list: false,
    });
}

fn stage_table(
    header: &[String],
    body: &[(usize, Vec<String>)],
    sc: usize,
    section: &str,
    out: &mut Extracted,
) {
    let rate_col = find(
        header,
        &[
            "conversion",
            "conv",
            "rate",
            "%",
            "win",
            "move on",
            "advance",
            "progress",
            "convert",
            "gets through",
            "get through",
            "yield",
        ],
        &["time", "days", "duration", "length", "criteria"],
    )
    .or_else(|| {
        // No header says so, but a column whose cells give shares (`about 50% qualify for a
        // call`, `we win about 45%`) in most rows is the rate.
        (0..header.len()).filter(|&j| j != sc).find(|&j| {
            let with = body
                .iter()
                .filter(|(_, c)| {
                    c.get(j)
                        .is_some_and(|v| super::prose::first_ratio(v).is_some() && v.contains('%'))
                })
                .count();
            with * 2 >= body.len() && with >= 2
        })
    });
    let into = rate_col.is_some_and(|j| {
        has(
            &header[j],
            &[
                "from previous",
                "from prior",
                "from the previous",
                "from last",
                "reach",
            ],
        )
    });
    let col = |want: &[&str]| find(header, want, &[]).filter(|&j| j != sc);
    let entry = col(&["entry", "enters", "starts when"]);
    let exit = col(&[
        "exit",
        "criteria",
        "moves on when",
        "done when",
        "next stage",
    ])
    .filter(|j| Some(*j) != entry);
    let objective = col(&[
        "objective",
        "goal",
        "purpose",
        "definition",
        "description",
        "means",
        "what it is",
    ]);
    let activities = col(&["activit", "what happens", "actions", "what we do"]);
    let get = |c: &[String], j: Option<usize>| {
        j.and_then(|j| c.get(j))
            .filter(|v| !v.is_empty() && !v.starts_with('['))
            .cloned()
    };
    let names: Vec<(usize, String, &Vec<String>)> = body
        .iter()
        .filter_map(|(line, c)| {
            let n = stage_name(c.get(sc)?);
            (!n.is_empty() && !n.starts_with('[')).then_some((*line, n, c))
        })
        .collect();
    for (i, (line, name, c)) in names.iter().enumerate() {
        out.stages.push(StageBlock {
            name: name.clone(),
            entry: get(c, entry),
            exit: get(c, exit),
            objective: get(c, objective),
            activities: get(c, activities),
            rate: None,
            said: None,
            section: if section.is_empty() {
                "Sales Pipeline".into()
            } else {
                section.to_string()
            },
            line: *line,
        });
        let Some(rate) = get(c, rate_col) else {
            continue;
        };
        if !rate.chars().any(|ch| ch.is_ascii_digit()) && super::values::ratio(&rate).is_none() {
            continue; // `n/a`, `—`
        }
        let label = if into {
            match i.checked_sub(1).and_then(|p| names.get(p)) {
                Some((_, prev, _)) => format!("{prev} → {name}"),
                None => continue, // the first stage has no rate into it
            }
        } else {
            match names.get(i + 1) {
                Some((_, next, _)) => format!("{name} → {next}"),
                None => format!("{name} → won"),
            }
        };
        push(out, &label, &rate, *line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(src: &str) -> Extracted {
        let rows: Vec<(usize, &str)> = src.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
        let mut out = Extracted::default();
        read(&rows, "", &mut out);
        out
    }

    #[test]
    fn period_columns_pick_the_full_year() {
        let e = table(
            "| Metric | Q1 | Q2 | Q3 | Q4 | Full year |\n|---|---|---|---|---|---|\n| Revenue target | $20k | $30k | $30k | $40k | $120k |\n",
        );
        assert_eq!(e.pairs[0].label, "Revenue target");
        assert_eq!(e.pairs[0].value, "$120k");
        assert_eq!(e.pairs[0].line, 3);
        let q = table(
            "| | Q1 | Q2 | Q3 | Q4 |\n|---|---|---|---|---|\n| Revenue target | $20k | $30k | $30k | $40k |\n",
        );
        assert_eq!(q.pairs[0].value, "$120000");
    }

    #[test]
    fn a_stage_table_whose_rates_are_in_words() {
        let e = table(
            "| Stage | What happens | What gets through |\n|---|---|---|\n| Enquiry | form | about 50% qualify for a call |\n| Discovery call | 45 minutes | 60% go on to a workshop |\n| Proposal | fixed price | we win about 45% |\n| Signed | contract | |",
        );
        let names: Vec<&str> = e.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Enquiry", "Discovery call", "Proposal", "Signed"]);
        let rates: Vec<(&str, &str)> = e
            .pairs
            .iter()
            .map(|p| (p.label.as_str(), p.value.as_str()))
            .collect();
        assert!(rates.contains(&("Enquiry → Discovery call", "about 50% qualify for a call")));
        assert!(rates.contains(&("Proposal → Signed", "we win about 45%")));
        // `| What | Price |`: what is sold.
        let e = table(
            "| What | Price | Typical length |\n|---|---|---|\n| Store Build | $20,000 – $35,000 | 8 weeks |\n| Retainer | $3,500 / month | ongoing |",
        );
        assert_eq!(e.packages.len(), 2);
    }

    #[test]
    fn stage_and_package_tables() {
        let e = table(
            "| Stage | Conversion to next | Exit criteria |\n|---|---|---|\n| 1. Enquiry | 50% | visit booked |\n| Site visit | 70% | brief agreed |\n| Proposal | 1 in 3 | signed |\n",
        );
        let names: Vec<&str> = e.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Enquiry", "Site visit", "Proposal"]);
        assert_eq!(e.stages[0].exit.as_deref(), Some("visit booked"));
        let labels: Vec<(&str, &str)> = e
            .pairs
            .iter()
            .map(|p| (p.label.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("Enquiry → Site visit", "50%"),
                ("Site visit → Proposal", "70%"),
                ("Proposal → won", "1 in 3")
            ]
        );
        let p = table(
            "| Package | Monthly fee | Notes |\n|---|---|---|\n| Starter | $400 | small |\n| Growth | $650 | |\n",
        );
        assert_eq!(p.packages.len(), 2);
        assert_eq!(p.packages[1].price.as_deref(), Some("$650 (monthly fee)"));
    }

    #[test]
    fn headerless_rows_are_pairs() {
        let e = table("| Active customers | 48 |\n| Team | 3 |\n");
        assert_eq!(e.pairs.len(), 2);
        assert_eq!(e.pairs[0].value, "48");
    }
}
