//! Time, injected. A run asks its [`Clock`] for the instant it starts (run names, `started_at`)
//! and fixes its *day* once, recording it in `run.json`, so resume and replay see the same day.
//! Documents never carry the wall clock: their dates come from `--date` (`run.date`) or from the
//! plan itself, so the same inputs give the same bytes on any day.

use jiff::Timestamp;
use jiff::civil::Date;

/// A source of the current time.
pub trait Clock: std::fmt::Debug + Send + Sync {
    /// Now.
    fn now(&self) -> Timestamp;

    /// Today, in the machine's time zone.
    fn today(&self) -> Date {
        self.now().to_zoned(jiff::tz::TimeZone::system()).date()
    }
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock stopped at one instant (tests, and runs "on another day").
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }

    fn today(&self) -> Date {
        self.0.to_zoned(jiff::tz::TimeZone::UTC).date()
    }
}

/// Reads a `YYYY-MM-DD` date (`--date`, `run.date`).
pub fn parse_date(s: &str) -> Result<Date, String> {
    s.trim()
        .parse::<Date>()
        .map_err(|e| format!("`{s}` is not a date (write it as YYYY-MM-DD): {e}"))
}
