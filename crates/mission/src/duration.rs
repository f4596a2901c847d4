//! Durations as missions write them, normalised to minutes.
//!
//! Grammar (MISSION-FORMAT.md §6): `NUM ["-" NUM] ["+"] UNIT [qualifier]`,
//! `("Day"|"Days"|"Week"|"Weeks") NUM ["-" NUM] ["+"]`, or `Ongoing`. Calendar units are converted
//! with 1 day = 24 h, 1 week = 7 days, 1 month = 30 days, so that totals stay comparable; the text
//! as written is kept for display. A schedule position such as `Days 7-14` is read as its span
//! (8 days), which is how long that phase lasts.

use serde::{Deserialize, Serialize};

/// A duration range in minutes, with the text it was read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duration {
    /// The text as written, e.g. `30-45 minutes` or `Days 1-6`.
    pub text: String,
    /// Lower bound in minutes.
    pub min_minutes: u64,
    /// Upper bound in minutes (equal to `min_minutes` for a single value).
    pub max_minutes: u64,
    /// `N+ hours`: the upper bound is open.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open_ended: bool,
    /// `Ongoing`: no fixed length (both bounds are 0).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ongoing: bool,
}

impl Duration {
    /// A fixed number of minutes.
    pub fn minutes(text: impl Into<String>, minutes: u64) -> Self {
        Self {
            text: text.into(),
            min_minutes: minutes,
            max_minutes: minutes,
            open_ended: false,
            ongoing: false,
        }
    }

    /// Parses the first duration in `text`, e.g. `3-4 hours (AI-driven) or 2-3 weeks (manual)`
    /// gives 180–240 minutes. Returns `None` when `text` does not start with a duration.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if t.to_ascii_lowercase().starts_with("ongoing") {
            return Some(Self {
                text: t.to_string(),
                min_minutes: 0,
                max_minutes: 0,
                open_ended: false,
                ongoing: true,
            });
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        let first = *words.first()?;
        // Schedule form: "Days 7-14", "Week 2", "Weeks 1-4", "Day 1".
        if let Some(unit) = unit_minutes(first) {
            let (lo, hi, open) = number_range(words.get(1)?)?;
            let span = hi - lo + 1.0;
            let span = if span > 0.0 { span } else { 1.0 };
            return Some(Self::from_parts(t, span, span, open, unit));
        }
        // Plain form: "30-45 minutes", "2 hours", "1.5 hours", "3+ hours".
        let (lo, hi, open) = number_range(first)?;
        let unit = unit_minutes(words.get(1)?)?;
        Some(Self::from_parts(t, lo, hi, open, unit))
    }

    fn from_parts(text: &str, lo: f64, hi: f64, open: bool, unit: f64) -> Self {
        Self {
            text: text.to_string(),
            min_minutes: (lo * unit).round() as u64,
            max_minutes: (hi * unit).round() as u64,
            open_ended: open,
            ongoing: false,
        }
    }

    /// Sums two durations (bounds added separately).
    pub fn add(&self, other: &Self) -> Self {
        Self {
            text: String::new(),
            min_minutes: self.min_minutes + other.min_minutes,
            max_minutes: self.max_minutes + other.max_minutes,
            open_ended: self.open_ended || other.open_ended,
            ongoing: self.ongoing || other.ongoing,
        }
    }

    /// Human form of the normalised range: `90 min`, `30–45 min`, `8–16 h`, `ongoing`.
    pub fn display_minutes(&self) -> String {
        if self.ongoing {
            return "ongoing".into();
        }
        let fmt = |m: u64| {
            if m >= 60 * 24 && m.is_multiple_of(60 * 24) {
                format!("{} d", m / (60 * 24))
            } else if m >= 120 && m.is_multiple_of(60) {
                format!("{} h", m / 60)
            } else {
                format!("{m} min")
            }
        };
        let plus = if self.open_ended { "+" } else { "" };
        if self.min_minutes == self.max_minutes {
            format!("{}{plus}", fmt(self.min_minutes))
        } else {
            format!("{}–{}{plus}", fmt(self.min_minutes), fmt(self.max_minutes))
        }
    }
}

/// Parses `30`, `1.5`, `30-45`, `3+`, `2-3+`, with trailing punctuation ignored.
fn number_range(word: &str) -> Option<(f64, f64, bool)> {
    let w = word.trim_end_matches([',', ';', ':', ')']);
    let (w, open) = match w.strip_suffix('+') {
        Some(r) => (r, true),
        None => (w, false),
    };
    let num = |s: &str| -> Option<f64> {
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
        s.parse().ok()
    };
    match w.split_once(['-', '–']) {
        Some((a, b)) => {
            let (a, b) = (num(a)?, num(b)?);
            Some((a.min(b), a.max(b), open))
        }
        None => {
            let a = num(w)?;
            Some((a, a, open))
        }
    }
}

fn unit_minutes(word: &str) -> Option<f64> {
    let w = word
        .trim_end_matches([',', ';', ':', ')', '.'])
        .to_ascii_lowercase();
    Some(match w.as_str() {
        "min" | "mins" | "minute" | "minutes" => 1.0,
        "hr" | "hrs" | "hour" | "hours" => 60.0,
        "day" | "days" => 60.0 * 24.0,
        "week" | "weeks" => 60.0 * 24.0 * 7.0,
        "month" | "months" => 60.0 * 24.0 * 30.0,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mm(t: &str) -> Option<(u64, u64)> {
        Duration::parse(t).map(|d| (d.min_minutes, d.max_minutes))
    }

    #[test]
    fn plain_forms() {
        assert_eq!(mm("90 minutes"), Some((90, 90)));
        assert_eq!(mm("30-45 minutes"), Some((30, 45)));
        assert_eq!(mm("2 min"), Some((2, 2)));
        assert_eq!(mm("4-8 hours"), Some((240, 480)));
        assert_eq!(mm("1 hour"), Some((60, 60)));
        assert_eq!(mm("1.5 hours"), Some((90, 90)));
        assert_eq!(mm("1-2 weeks"), Some((10080, 20160)));
        assert_eq!(mm("2-3 days ongoing"), Some((2880, 4320)));
        assert_eq!(mm("3 months"), Some((129600, 129600)));
        assert!(Duration::parse("3+ hours").is_some_and(|d| d.open_ended));
    }

    #[test]
    fn schedule_forms_are_spans() {
        assert_eq!(mm("Days 7-14"), Some((8 * 1440, 8 * 1440)));
        assert_eq!(mm("Day 1"), Some((1440, 1440)));
        assert_eq!(mm("Weeks 1-4"), Some((4 * 10080, 4 * 10080)));
        assert_eq!(mm("Week 2"), Some((10080, 10080)));
    }

    #[test]
    fn alternatives_take_the_first() {
        assert_eq!(
            mm("3-4 hours (AI-driven) or 2-3 weeks (manual)"),
            Some((180, 240))
        );
    }

    #[test]
    fn ongoing_and_non_durations() {
        assert!(Duration::parse("Ongoing").is_some_and(|d| d.ongoing));
        assert_eq!(mm("3-5"), None);
        assert_eq!(mm("At-a-Glance"), None);
        assert_eq!(mm("if updating"), None);
        assert_eq!(mm("Problem Recognition"), None);
        assert_eq!(mm(""), None);
    }

    #[test]
    fn display() {
        assert_eq!(
            Duration::parse("90 minutes")
                .map(|d| d.display_minutes())
                .as_deref(),
            Some("90 min")
        );
        assert_eq!(
            Duration::parse("4-8 hours")
                .map(|d| d.display_minutes())
                .as_deref(),
            Some("4 h–8 h")
        );
    }
}
