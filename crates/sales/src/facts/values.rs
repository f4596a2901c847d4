//! Reading values as people write them: `$240,000`, `240k`, `€1.2M`, `-$6,000`, `$400/month`,
//! `35%`, `0.35`, `1 in 3`, `3 out of 10`, `half`, `two thirds`, `45 days`, `five weeks`,
//! `12 months starting 2027-01-01`, `January 2027`, `8-10 hours`, `$10k–$15k`.
//!
//! Every reader returns `None` when the text holds no value of its kind, so the caller can say
//! which file and line could not be read. Readers never clamp: a negative amount or a rate above
//! 100 % is returned as written, and the caller turns it into an error naming the line.

use jiff::civil::Date;

/// What an amount of money is counted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Per {
    /// No period written (a total, or a one-off price).
    #[default]
    Total,
    /// Per year.
    Year,
    /// Per quarter.
    Quarter,
    /// Per month.
    Month,
    /// Per week.
    Week,
}

impl Per {
    /// How many of this period make a year (1 for totals).
    pub fn per_year(self) -> f64 {
        match self {
            Per::Total | Per::Year => 1.0,
            Per::Quarter => 4.0,
            Per::Month => 12.0,
            Per::Week => 52.0,
        }
    }

    /// `a month`, for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Per::Total => "",
            Per::Year => "a year",
            Per::Quarter => "a quarter",
            Per::Month => "a month",
            Per::Week => "a week",
        }
    }
}

/// An amount of money.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Money {
    /// The amount (the conservative end of a range is chosen by the caller; this is the low end).
    pub amount: f64,
    /// The high end when a range was written (`$10k–$15k`), else the amount.
    pub high: f64,
    /// The currency symbol or code, `$` when none is written.
    pub currency: &'static str,
    /// The period the amount is counted per (`$400/month`).
    pub per: Per,
}

impl Money {
    /// The amount over `months` months: `$400/month` over 12 months is $4,800.
    pub fn over_months(&self, months: f64) -> f64 {
        match self.per {
            Per::Total => self.amount,
            p => self.amount * p.per_year() * months / 12.0,
        }
    }

    /// True when a range was written.
    pub fn is_range(&self) -> bool {
        (self.high - self.amount).abs() > 1e-9
    }
}

const SMALL: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];
const TENS: [(&str, u32); 8] = [
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("hundred", 100),
];

/// The value of a number word: `five` → 5, `twenty` → 20, `a dozen` → 12 (as `dozen`).
pub fn word_number(w: &str) -> Option<f64> {
    let w = w.to_ascii_lowercase();
    if let Some(p) = SMALL.iter().position(|s| *s == w) {
        return Some(p as f64);
    }
    if let Some((_, v)) = TENS.iter().find(|(s, _)| *s == w) {
        return Some(f64::from(*v));
    }
    match w.as_str() {
        "dozen" => Some(12.0),
        "couple" => Some(2.0),
        _ => None,
    }
}

/// Replaces number words with digits (`five weeks` → `5 weeks`, `twenty-five` → `25`), so the
/// numeric readers see them. Other text is kept as written.
pub fn digits_for_words(s: &str) -> String {
    map_words(
        s,
        |c, word| c.is_ascii_alphabetic() || (c == '-' && !word.is_empty()),
        |word| {
            // `twenty-five`.
            let v = match word.split_once('-') {
                Some((a, b)) => match (word_number(a), word_number(b)) {
                    (Some(x), Some(y)) if x >= 20.0 && y < 10.0 => Some(x + y),
                    _ => None,
                },
                None => word_number(word).filter(|_| !word.eq_ignore_ascii_case("couple")),
            };
            v.map(|v| format!("{v}"))
        },
    )
}

/// Rewrites the words of `s` (runs of characters `in_word` accepts, given the word so far) with
/// `f`, keeping every other character and the words `f` leaves alone.
pub fn map_words(
    s: &str,
    in_word: impl Fn(char, &str) -> bool,
    f: impl Fn(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            match f(word) {
                Some(w) => out.push_str(&w),
                None => out.push_str(word),
            }
            word.clear();
        }
    };
    for c in s.chars() {
        if in_word(c, &word) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A number found in text: value, byte span, and whether a magnitude suffix was attached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num {
    /// The value (magnitude applied).
    pub value: f64,
    /// Start byte.
    pub start: usize,
    /// End byte (after any magnitude suffix).
    pub end: usize,
    /// `240k`, `1.2M`: a magnitude was written.
    pub magnitude: bool,
}

/// Numbers in `s` with their byte spans: `1,200.5`, `240k`, `1.2M`, `3`.
pub fn numbers(s: &str) -> Vec<Num> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts_number =
            b[i].is_ascii_digit() || (b[i] == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit());
        // Digits glued to letters before them (`Q3`, `FY2027`, `S56`) are names, not numbers.
        let glued = i > 0 && (b[i - 1].is_ascii_alphabetic());
        if !starts_number {
            i += 1;
            continue;
        }
        let start = i;
        let mut txt = String::new();
        // `240.000`, `1.200.000`, `240.000,00 €`: European thousands dots (and a decimal comma).
        if let Some((value, end)) = european(s, i) {
            let glued = i > 0 && b[i - 1].is_ascii_alphabetic();
            if !glued {
                out.push(Num {
                    value,
                    start,
                    end,
                    magnitude: false,
                });
            }
            i = end;
            continue;
        }
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b',') {
            // A comma is a thousands separator only when three digits follow.
            if b[i] == b',' {
                let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                if digits != 3 {
                    break;
                }
            } else if b[i] == b'.' && !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                break;
            } else {
                txt.push(b[i] as char);
            }
            i += 1;
        }
        // `180 000 $`, `2 400 €`: a space between groups of three digits (French and other
        // European writing) joins them, as long as no decimal point came first.
        let mut joined = false;
        while !txt.contains('.')
            && (joined || txt.len() <= 3)
            && i + 4 <= b.len()
            && b[i] == b' '
            && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
        {
            txt.push_str(&s[i + 1..i + 4]);
            i += 4;
            joined = true;
        }
        let Ok(mut v) = txt.parse::<f64>() else {
            continue;
        };
        if glued {
            continue;
        }
        // Magnitude suffix: 240k, 1.2M, 1.5 million, 2bn.
        let rest = s[i..].trim_start();
        let rest_l = rest.to_ascii_lowercase();
        let mut end = i;
        let mut magnitude = false;
        for (suffix, mult) in [
            ("million", 1e6),
            ("thousand", 1e3),
            ("billion", 1e9),
            ("mm", 1e6),
            ("bn", 1e9),
            ("k", 1e3),
            ("m", 1e6),
            ("b", 1e9),
        ] {
            // `3 months`, `2 min`: a unit, not a magnitude. A lone `m`/`b`/`k` needs no gap.
            let gap_ok = suffix.len() > 2 || rest.len() == s[i..].len();
            if gap_ok
                && rest_l.starts_with(suffix)
                && !rest_l[suffix.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
            {
                v *= mult;
                end = s.len() - rest.len() + suffix.len();
                magnitude = true;
                break;
            }
        }
        out.push(Num {
            value: v,
            start,
            end,
            magnitude,
        });
        i = end.max(i);
    }
    out
}

/// A European-style number at `i`: digit groups joined by dots (`240.000`), with an optional
/// decimal comma (`,50`). Read so only when it cannot be an English decimal: two or more dot
/// groups, a decimal comma, or a euro amount. Returns (value, end).
fn european(s: &str, i: usize) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let lead = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=3).contains(&lead) || b[i] == b'0' {
        return None;
    }
    let mut j = i + lead;
    let mut groups = 0;
    while j + 4 <= b.len()
        && b[j] == b'.'
        && b[j + 1..j + 4].iter().all(u8::is_ascii_digit)
        && !b.get(j + 4).is_some_and(u8::is_ascii_digit)
    {
        groups += 1;
        j += 4;
    }
    if groups == 0 {
        return None;
    }
    let mut decimals = String::new();
    if b.get(j) == Some(&b',') {
        let d = b[j + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=2).contains(&d) {
            decimals = s[j + 1..j + 1 + d].to_string();
            j += 1 + d;
        }
    }
    let euro = s.contains('€') || s.to_ascii_uppercase().contains("EUR");
    if !(groups >= 2 || !decimals.is_empty() || euro) {
        return None;
    }
    let whole: String = s[i..j].chars().filter(|c| c.is_ascii_digit()).collect();
    let whole = &whole[..whole.len() - decimals.len()];
    let v: f64 = format!(
        "{whole}.{}",
        if decimals.is_empty() { "0" } else { &decimals }
    )
    .parse()
    .ok()?;
    Some((v, j))
}

/// True when the text between two numbers makes them a range (`10-15`, `10 to 15`, `10–15`).
fn is_range_sep(between: &str) -> bool {
    let t = between.trim().trim_start_matches(['$', '€', '£']).trim();
    let t = t.trim_end_matches(['$', '€', '£']).trim();
    matches!(t, "-" | "–" | "—" | "to" | "and" | "or") || t.is_empty() && between.contains('-')
}

/// The first number or range in `s`: (low, high).
pub fn range(s: &str) -> Option<(f64, f64)> {
    let s = digits_for_words(s);
    range_in(&s, &numbers(&s))
}

fn range_in(s: &str, n: &[Num]) -> Option<(f64, f64)> {
    let a = *n.first()?;
    if let Some(&b) = n.get(1)
        && is_range_sep(&s[a.end..b.start])
        && b.value >= a.value
    {
        // `10k–15k`, `$10-15k`: a magnitude written on the high end applies to both.
        let lo = if b.magnitude && !a.magnitude && a.value * 1000.0 <= b.value * 1.0001 {
            a.value * (b.value / strip_magnitude(s, b))
        } else {
            a.value
        };
        return Some((lo, b.value));
    }
    Some((a.value, a.value))
}

fn strip_magnitude(s: &str, n: Num) -> f64 {
    let digits: String = s[n.start..n.end]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    digits.parse::<f64>().unwrap_or(1.0).max(f64::MIN_POSITIVE)
}

fn currency_of(s: &str) -> &'static str {
    let u = s.to_ascii_uppercase();
    if s.contains('€') || u.contains("EUR") {
        "€"
    } else if s.contains('£') || u.contains("GBP") {
        "£"
    } else {
        "$"
    }
}

/// The period a label names: `budget_mo`, `monthly fee`, `sales budget per year`.
pub fn per_of_label(label: &str) -> Per {
    let words: Vec<String> = label
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let has = |ws: &[&str]| words.iter().any(|w| ws.contains(&w.as_str()));
    if has(&["month", "monthly", "mo", "mth", "pm"]) {
        Per::Month
    } else if has(&["week", "weekly", "wk"]) {
        Per::Week
    } else if has(&["quarter", "quarterly", "qtr"]) {
        Per::Quarter
    } else if has(&["year", "yearly", "annual", "annually", "yr", "pa"]) {
        Per::Year
    } else {
        Per::Total
    }
}

/// The period written with an amount: `/month`, `per year`, `a month`, `monthly`, `p.a.`.
pub fn per_of(s: &str) -> Per {
    let l = format!(" {} ", s.to_ascii_lowercase());
    let has = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
    if has(&[
        "/month",
        "/mo ",
        "/mo)",
        "per month",
        "a month",
        "each month",
        "monthly",
        " pm ",
        "/mth",
        "per mth",
    ]) {
        Per::Month
    } else if has(&["/week", "/wk", "per week", "a week", "each week", "weekly"]) {
        Per::Week
    } else if has(&["/quarter", "per quarter", "a quarter", "quarterly"]) {
        Per::Quarter
    } else if has(&[
        "/year",
        "/yr",
        "per year",
        "a year",
        "per annum",
        "p.a.",
        "annually",
        "each year",
        "/annum",
        "per yr",
    ]) {
        Per::Year
    } else {
        Per::Total
    }
}

/// A year written alone (`2027`): a date, not an amount.
fn is_year(s: &str, n: Num) -> bool {
    let txt = &s[n.start..n.end];
    txt.len() == 4 && !n.magnitude && (1990.0..=2100.0).contains(&n.value)
}

/// Money: `$240,000`, `240k`, `€1.2M`, `USD 240,000`, `$10k–$15k` (low and high), `-$6,000`
/// (negative), `$400/month` (per month). A number next to a currency sign or with a magnitude
/// is preferred over a bare one, and a bare year (`2027`) is never an amount.
pub fn money(s: &str) -> Option<Money> {
    let s = digits_for_words(s);
    let all = numbers(&s);
    let marked = |n: &Num| {
        let before = s[..n.start].trim_end();
        let after = s[n.end..].trim_start().to_ascii_uppercase();
        n.magnitude
            || before.ends_with(['$', '€', '£'])
            || before.to_ascii_uppercase().ends_with("USD")
            || before.to_ascii_uppercase().ends_with("EUR")
            || before.to_ascii_uppercase().ends_with("GBP")
            || after.starts_with("USD")
            || after.starts_with("EUR")
            || after.starts_with("GBP")
            || after.starts_with("DOLLAR")
            || after.starts_with("EURO")
            || after.starts_with("POUND")
    };
    let first = all
        .iter()
        .position(marked)
        .or_else(|| all.iter().position(|n| !is_year(&s, *n)))?;
    let (lo, hi) = range_in(&s, &all[first..])?;
    let before = s[..all[first].start].trim_end();
    let before = before.trim_end_matches(['$', '€', '£']).trim_end();
    let before_u = before.to_ascii_uppercase();
    let before = before_u
        .strip_suffix("USD")
        .or_else(|| before_u.strip_suffix("EUR"))
        .or_else(|| before_u.strip_suffix("GBP"))
        .unwrap_or(&before_u)
        .trim_end();
    let negative = before.ends_with(['-', '−'])
        && !before[..before.len() - 1]
            .trim_end()
            .ends_with(|c: char| c.is_ascii_digit())
        || before.ends_with("MINUS")
        || before.ends_with('(') && s[all[first].end..].trim_start().starts_with(')');
    let sign = if negative { -1.0 } else { 1.0 };
    Some(Money {
        amount: sign * lo,
        high: sign * hi,
        currency: currency_of(&s),
        per: per_of(&s),
    })
}

/// True when `s` writes an amount as money: a currency sign or code, or a magnitude (`240k`).
pub fn has_currency(s: &str) -> bool {
    let u = s.to_ascii_uppercase();
    s.contains(['$', '€', '£'])
        || ["USD", "EUR", "GBP", "DOLLAR", "EURO", "POUND"]
            .iter()
            .any(|c| u.contains(c))
        || numbers(s).iter().any(|n| n.magnitude)
}

/// A ratio written in words or as `N in M`: `1 in 3`, `3 out of 10`, `2 of every 5`, `half`,
/// `a third`, `two thirds`, `a quarter`, `three quarters`, `a fifth`. `None` for anything else.
pub fn ratio(s: &str) -> Option<f64> {
    let l = digits_for_words(&s.to_ascii_lowercase());
    let n = numbers(&l);
    for w in n.windows(2) {
        let between = l[w[0].end..w[1].start].trim();
        if matches!(
            between,
            "in" | "out of" | "of every" | "in every" | "out of every" | "on"
        ) && w[1].value > 0.0
        {
            return Some(w[0].value / w[1].value);
        }
    }
    let words: Vec<&str> = l
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let frac = |w: &str| -> Option<f64> {
        Some(match w.trim_end_matches('s') {
            "half" | "halve" => 2.0,
            "third" => 3.0,
            "quarter" => 4.0,
            "fifth" => 5.0,
            "tenth" => 10.0,
            _ => return None,
        })
    };
    for (i, w) in words.iter().enumerate() {
        if let Some(d) = frac(w) {
            let k = i
                .checked_sub(1)
                .and_then(|p| words[p].parse::<f64>().ok())
                .unwrap_or(1.0);
            // `a quarter` of the year is a period, not a share: needs `of`, or stands alone.
            let next = words.get(i + 1).copied();
            if d == 4.0 && !(next == Some("of") || next.is_none()) {
                continue;
            }
            return Some(k / d);
        }
    }
    None
}

/// A rate as a fraction: `35%` → 0.35, `0.35`, `35 percent`, `1 in 3`, `half`. Values above 1
/// (`150%`) are returned as such for the caller to reject.
pub fn percent(s: &str) -> Option<f64> {
    let l = s.to_ascii_lowercase();
    if !(l.contains('%') || l.contains("percent"))
        && let Some(r) = ratio(&l)
    {
        return Some(r);
    }
    let (lo, _) = range(s)?;
    let f = if l.contains('%') || l.contains("percent") || lo > 1.0 {
        lo / 100.0
    } else {
        lo
    };
    (f > 0.0).then_some(f)
}

/// A duration in days: `45 days`, `6 weeks`, `five weeks`, `3 months`, `1.5 months`, `45`
/// (days). A range takes its high end: plan on the longer cycle.
pub fn days(s: &str) -> Option<f64> {
    let (_, hi) = range(s)?;
    let l = s.to_ascii_lowercase();
    // `8-12w`, `6w`: weeks written as a letter after the number.
    let w_suffix = numbers(&l)
        .iter()
        .any(|n| l[n.end..].starts_with('w') && !l[n.end..].starts_with("wor"));
    let unit = if l.contains("week") || l.contains("wk") || w_suffix {
        7.0
    } else if l.contains("month") {
        30.4
    } else if l.contains("year") {
        365.0
    } else {
        1.0
    };
    let d = hi * unit;
    (d > 0.0).then_some(d)
}

/// A duration in months: `12 months`, `1 year`, `6 weeks` (1.4), `Jan–Dec 2027` (12),
/// `Q1–Q2 2027` (6), `FY2027` or `2027` (12).
pub fn months(s: &str) -> Option<f64> {
    // `2027-10 .. 2028-09`: months between two year-months, both counted.
    if let [(y1, m1), .., (y2, m2)] = year_months(s).as_slice() {
        let n = (i32::from(*y2) - i32::from(*y1)) * 12 + i32::from(*m2) - i32::from(*m1) + 1;
        if (1..=60).contains(&n) {
            return Some(f64::from(n));
        }
    }
    let l = digits_for_words(&s.to_ascii_lowercase());
    let words: Vec<&str> = l
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let month_idx = months_in(&words);
    if let [a, b, ..] = month_idx.as_slice() {
        return Some(((b + 12 - a) % 12 + 1) as f64);
    }
    let quarters: Vec<i32> = words
        .iter()
        .filter_map(|w| w.strip_prefix('q').and_then(|n| n.parse().ok()))
        .filter(|q| (1..=4).contains(q))
        .collect();
    if let [a, b, ..] = quarters.as_slice() {
        return Some(f64::from((b - a).rem_euclid(4) + 1) * 3.0);
    }
    let year_only = words.iter().all(|w| {
        let w = w.strip_prefix("fy").unwrap_or(w);
        w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()) || w == "calendar" || w == "year"
    });
    if year_only && !words.is_empty() && !l.contains("year") {
        return Some(12.0);
    }
    let (lo, _) = range(&l)?;
    let m = if l.contains("year") {
        lo * 12.0
    } else if l.contains("week") {
        lo / 4.345
    } else if l.contains("quarter") {
        lo * 3.0
    } else if l.contains("month") || l.trim().chars().all(|c| c.is_ascii_digit() || c == '.') {
        lo
    } else {
        return None;
    };
    (m > 0.0 && m <= 60.0).then_some(m)
}

/// The month (0-based) a word names: `jan`, `January`, `sept`.
pub fn month_of(w: &str) -> Option<usize> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = w.to_ascii_lowercase();
    if w.len() < 3 || w.chars().any(|c| !c.is_ascii_alphabetic()) {
        return None;
    }
    NAMES
        .iter()
        .position(|m| m.starts_with(&w) || (w.starts_with(&m[..3]) && m.starts_with(&w[..3])))
        .filter(|_| {
            // `mar`ket, `may`be, `dec`ide are words, not months.
            NAMES.iter().any(|m| *m == w)
                || matches!(
                    w.as_str(),
                    "jan"
                        | "feb"
                        | "mar"
                        | "apr"
                        | "jun"
                        | "jul"
                        | "aug"
                        | "sep"
                        | "sept"
                        | "oct"
                        | "nov"
                        | "dec"
                )
        })
}

/// The months named in `words`, in order. `may` counts only next to a number (`May 2027`,
/// `3 May`): otherwise it is the verb.
pub fn months_in(words: &[&str]) -> Vec<usize> {
    // A number or another month next to it (`May 2027`, `3 May`, `May-Sept`), or a word that
    // only goes with a date (`from May`, `May to October`).
    let date_word = |i: Option<&&str>| {
        i.is_some_and(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "from"
                    | "since"
                    | "until"
                    | "till"
                    | "through"
                    | "to"
                    | "early"
                    | "late"
                    | "mid"
                    | "end"
                    | "in"
                    | "by"
            )
        })
    };
    let numeric = |i: Option<&&str>| {
        i.is_some_and(|w| {
            w.chars().next().is_some_and(|c| c.is_ascii_digit())
                || !w.eq_ignore_ascii_case("may") && month_of(w).is_some()
        })
    };
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            !w.eq_ignore_ascii_case("may")
                || numeric(words.get(i + 1))
                || i.checked_sub(1).is_some_and(|p| numeric(words.get(p)))
                || i.checked_sub(1).is_some_and(|p| date_word(words.get(p)))
                    && !i.checked_sub(2).is_some_and(|p| {
                        matches!(
                            words[p].to_ascii_lowercase().as_str(),
                            "we" | "i" | "it" | "they" | "you" | "this"
                        )
                    })
                || date_word(words.get(i + 1))
                    && matches!(
                        words.get(i + 1).map(|w| w.to_ascii_lowercase()).as_deref(),
                        Some("to" | "through" | "until" | "till")
                    )
        })
        .filter_map(|(_, w)| month_of(w))
        .collect()
}

/// Hours: the number (low end of a range) written with `hours`/`hrs`/`h`, else the first
/// number. `two partners, 10-12 hours a week each` → 10.
pub fn hours(s: &str) -> Option<f64> {
    let l = digits_for_words(&s.to_ascii_lowercase());
    let nums = numbers(&l);
    for (i, n) in nums.iter().enumerate() {
        let mut hi = *n;
        if let Some(b) = nums.get(i + 1)
            && is_range_sep(&l[n.end..b.start])
        {
            hi = *b;
        }
        let after = l[hi.end..].trim_start();
        if after.starts_with("hour")
            || after.starts_with("hrs")
            || after.starts_with("hr ")
            || after.starts_with('h') && !after.starts_with("half")
        {
            return Some(n.value);
        }
    }
    None
}

/// `2027-10` (not part of a full date): (year, month), in order.
pub fn year_months(s: &str) -> Vec<(i16, i8)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 7 <= b.len() {
        let ok = b[i..i + 4].iter().all(u8::is_ascii_digit)
            && b[i + 4] == b'-'
            && b[i + 5..i + 7].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && (i + 7 == b.len() || !b[i + 7].is_ascii_digit() && b[i + 7] != b'-');
        if ok
            && let (Ok(y), Ok(m)) = (s[i..i + 4].parse::<i16>(), s[i + 5..i + 7].parse::<i8>())
            && (1..=12).contains(&m)
            && (1990..=2100).contains(&y)
        {
            out.push((y, m));
            i += 7;
        } else {
            i += 1;
        }
    }
    out
}

/// The number a value concludes with: `Jo ~20, me + Dr Patel 2 each, so ~24` → 24; `4 × 8 =
/// 32` → 32; `in total 15` → 15.
pub fn conclusion(s: &str) -> Option<f64> {
    let l = digits_for_words(&s.to_ascii_lowercase());
    let at = [
        "so ",
        "in total",
        "total",
        "= ",
        "in all",
        "altogether",
        "which makes",
        "makes ",
    ]
    .iter()
    .filter_map(|w| {
        l.rmatch_indices(w)
            .find(|(p, _)| *p == 0 || !l[..*p].ends_with(|c: char| c.is_ascii_alphanumeric()))
            .map(|(p, _)| p + w.len())
    })
    .max()?;
    numbers(&l[at..]).first().map(|n| n.value)
}

/// A plain quantity: `10`, `10 hours`, `8-10 hours` (the low end: plan on what is sure),
/// `one`..`twenty`.
pub fn count_low(s: &str) -> Option<f64> {
    range(s).map(|(lo, _)| lo)
}

/// A date: `2027-01-01`, `January 2027`, `Jan 1, 2027`, `1 January 2027`, `Q3 2027`, `2027`
/// (its first day).
pub fn date(s: &str) -> Option<Date> {
    // ISO first.
    for (i, _) in s.char_indices() {
        if let Some(d) = s.get(i..i + 10).and_then(|t| t.parse::<Date>().ok()) {
            return Some(d);
        }
    }
    // `2027-10`: a month.
    if let Some((y, m)) = year_months(s).first() {
        return Date::new(*y, *m, 1).ok();
    }
    let l = s.to_ascii_lowercase();
    let words: Vec<&str> = l
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let year = words.iter().find_map(|w| {
        let w = w.strip_prefix("fy").unwrap_or(w);
        (w.len() == 4)
            .then(|| w.parse::<i16>().ok())
            .flatten()
            .filter(|y| (1990..=2100).contains(y))
    })?;
    if let Some(q) = words
        .iter()
        .find_map(|w| w.strip_prefix('q').and_then(|n| n.parse::<i8>().ok()))
        .filter(|q| (1..=4).contains(q))
    {
        return Date::new(year, (q - 1) * 3 + 1, 1).ok();
    }
    let Some(&month) = months_in(&words).first() else {
        return Date::new(year, 1, 1).ok();
    };
    // The day is the number next to the month: `12 months from 1 June 2027` is 1 June.
    let day_of = |w: &&str| {
        w.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<i8>()
            .ok()
            .filter(|d| (1..=31).contains(d))
    };
    // Within the month's own comma-separated part: `6, Sept 2027` is September, not the 6th.
    let segment = l
        .split(',')
        .find(|seg| {
            seg.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| month_of(w) == Some(month))
        })
        .unwrap_or(&l);
    let seg_words: Vec<&str> = segment
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let at = seg_words
        .iter()
        .position(|w| month_of(w) == Some(month))
        .unwrap_or(0);
    let day = [at.checked_sub(1), Some(at + 1)]
        .into_iter()
        .flatten()
        .filter_map(|i| seg_words.get(i))
        .find_map(day_of)
        .unwrap_or(1);
    Date::new(year, month as i8 + 1, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_forms() {
        let m = |s: &str| money(s).map(|m| (m.amount, m.currency));
        assert_eq!(m("$240,000"), Some((240000.0, "$")));
        assert_eq!(m("240k"), Some((240000.0, "$")));
        assert_eq!(m("€1.2M"), Some((1200000.0, "€")));
        assert_eq!(m("USD 1.5 million"), Some((1500000.0, "$")));
        assert_eq!(m("£50k per year"), Some((50000.0, "£")));
        assert_eq!(m("$10k–$15k"), Some((10000.0, "$")));
        assert_eq!(
            money("$10-15k").map(|m| (m.amount, m.high)),
            Some((10000.0, 15000.0))
        );
        assert_eq!(m("$4,500"), Some((4500.0, "$")));
        assert_eq!(m("lots"), None);
        assert_eq!(m("$1,20"), Some((1.0, "$")));
        assert_eq!(m("in 2027 I want $48k"), Some((48000.0, "$")));
        assert_eq!(m("-$180,000"), Some((-180000.0, "$")));
        assert_eq!(m("$-6,000"), Some((-6000.0, "$")));
        assert_eq!(m("($6,000)"), Some((-6000.0, "$")));
        assert_eq!(m("minus 6000 dollars"), Some((-6000.0, "$")));
        assert_eq!(money("$400/month").map(|m| m.per), Some(Per::Month));
        assert_eq!(money("$4,800 per year").map(|m| m.per), Some(Per::Year));
        assert_eq!(money("$400/month").unwrap().over_months(12.0), 4800.0);
    }

    #[test]
    fn percent_and_ratio_forms() {
        assert_eq!(percent("35%"), Some(0.35));
        assert_eq!(percent("0.35"), Some(0.35));
        assert_eq!(percent("35 percent"), Some(0.35));
        assert_eq!(percent("20-30%"), Some(0.2));
        assert_eq!(percent("150%"), Some(1.5));
        assert_eq!(percent("1 in 3").map(|r| (r * 1000.0).round()), Some(333.0));
        assert_eq!(percent("3 out of 10"), Some(0.3));
        assert_eq!(percent("about half"), Some(0.5));
        assert_eq!(
            percent("two thirds").map(|r| (r * 1000.0).round()),
            Some(667.0)
        );
        assert_eq!(percent("a quarter of them"), Some(0.25));
        assert_eq!(percent("one in four"), Some(0.25));
        assert_eq!(ratio("in the first quarter 2027"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(days("45 days"), Some(45.0));
        assert_eq!(days("6 weeks"), Some(42.0));
        assert_eq!(days("about five weeks"), Some(35.0));
        assert_eq!(days("4-6 weeks"), Some(42.0));
        assert_eq!(days("3 months").map(|d| d.round()), Some(91.0));
        assert_eq!(months("12 months starting 2027-01-01"), Some(12.0));
        assert_eq!(months("1 year"), Some(12.0));
        assert_eq!(months("3 months"), Some(3.0));
        assert_eq!(months("Jan–Dec 2027"), Some(12.0));
        assert_eq!(months("January to June 2027"), Some(6.0));
        assert_eq!(months("Q1–Q2 2027"), Some(6.0));
        assert_eq!(months("FY2027"), Some(12.0));
        assert_eq!(months("Oct 2026 – Sep 2027"), Some(12.0));
        assert_eq!(months("the next twelve months"), Some(12.0));
    }

    #[test]
    fn counts_and_dates() {
        assert_eq!(count_low("8-10 hours"), Some(8.0));
        assert_eq!(count_low("three"), Some(3.0));
        assert_eq!(count_low("about nine hours"), Some(9.0));
        assert_eq!(
            date("12 months starting 2027-01-01"),
            Date::new(2027, 1, 1).ok()
        );
        assert_eq!(date("January 2027"), Date::new(2027, 1, 1).ok());
        assert_eq!(date("Jan 15, 2027"), Date::new(2027, 1, 15).ok());
        assert_eq!(date("Q3 2027"), Date::new(2027, 7, 1).ok());
        assert_eq!(date("FY2027"), Date::new(2027, 1, 1).ok());
        assert_eq!(date("1st March 2027"), Date::new(2027, 3, 1).ok());
        assert_eq!(date("soon"), None);
        assert_eq!(month_of("market"), None);
        assert_eq!(month_of("Sept"), Some(8));
    }

    #[test]
    fn european_numbers() {
        let m = |s: &str| money(s).map(|m| m.amount);
        assert_eq!(m("€ 240.000"), Some(240000.0));
        assert_eq!(m("8.900 €"), Some(8900.0));
        assert_eq!(m("€1.200.000"), Some(1200000.0));
        assert_eq!(m("240.000,50 €"), Some(240000.5));
        assert_eq!(m("$1.5M"), Some(1500000.0));
        assert_eq!(percent("0.225"), Some(0.225));
        assert_eq!(m("180 000 $"), Some(180000.0));
    }

    #[test]
    fn units_are_not_magnitudes() {
        assert_eq!(range("3 months"), Some((3.0, 3.0)));
        assert_eq!(range("2 min"), Some((2.0, 2.0)));
        assert_eq!(range("45 days"), Some((45.0, 45.0)));
        assert_eq!(range("Q3 2027"), Some((2027.0, 2027.0)));
    }
}
