//! The one clock of the binary. Every dated output (import dates, download
//! dates, generation date of documents) reads it, so that tests and
//! snapshots can fix the instant with `PASSERELLE_NOW` (conventions: an
//! injectable clock). The variable is read and validated once, at start-up.

use jiff::{Timestamp, civil::Date, tz::TimeZone};

/// The variable that fixes the instant.
pub const NOW_VAR: &str = "PASSERELLE_NOW";

/// The system clock, or an instant fixed by `PASSERELLE_NOW`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(Timestamp),
}

/// Why `PASSERELLE_NOW` was refused.
#[derive(Debug, thiserror::Error)]
#[error(
    "variable {NOW_VAR} : « {value} » n'est pas un instant RFC 3339 (ex. 2026-11-23T08:00:00Z) ni une date AAAA-MM-JJ"
)]
pub struct ClockError {
    value: String,
}

impl Clock {
    /// `PASSERELLE_NOW` when set and not empty, else the system clock.
    pub fn from_env() -> Result<Clock, ClockError> {
        match std::env::var(NOW_VAR) {
            Ok(v) if !v.trim().is_empty() => Clock::parse(&v).map(Clock::Fixed),
            _ => Ok(Clock::System),
        }
    }

    /// An RFC 3339 instant (any offset), or a bare date taken as midnight UTC.
    pub fn parse(s: &str) -> Result<Timestamp, ClockError> {
        let s = s.trim();
        let err = || ClockError {
            value: s.chars().take(40).collect(),
        };
        if s.len() == 10 {
            let date: Date = s.parse().map_err(|_| err())?;
            return date
                .to_zoned(TimeZone::UTC)
                .map(|z| z.timestamp())
                .map_err(|_| err());
        }
        s.parse().map_err(|_| err())
    }

    pub fn now(&self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(t) => *t,
        }
    }

    /// The current instant as RFC 3339 UTC, to the second (`2026-11-23T06:00:00Z`).
    pub fn now_rfc3339(&self) -> String {
        rfc3339_utc(self.now())
    }

    /// The fixed instant as RFC 3339 UTC, for the parts of the server that
    /// take an injected instant and read the system clock otherwise.
    pub fn fixed_rfc3339(&self) -> Option<String> {
        match self {
            Clock::System => None,
            Clock::Fixed(t) => Some(rfc3339_utc(*t)),
        }
    }
}

/// RFC 3339 UTC to the second: the form of every date Passerelle stores.
pub fn rfc3339_utc(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_instants_are_normalised_to_utc_seconds() {
        let at = |s| rfc3339_utc(Clock::parse(s).unwrap());
        assert_eq!(at("2026-11-23"), "2026-11-23T00:00:00Z");
        assert_eq!(at("2026-11-23T08:00:00Z"), "2026-11-23T08:00:00Z");
        assert_eq!(at("2026-11-23T09:00:00+01:00"), "2026-11-23T08:00:00Z");
        assert_eq!(at("2000-02-29"), "2000-02-29T00:00:00Z");
        assert_eq!(
            rfc3339_utc(Timestamp::from_second(1_795_418_112).unwrap()),
            "2026-11-23T07:15:12Z"
        );
    }

    #[test]
    fn a_bad_value_is_refused_naming_the_variable() {
        for bad in [
            "demain",
            "2026-13-01",
            "2026-02-30",
            "23/11/2026",
            "2026-11-23T25:00:00Z",
        ] {
            let err = Clock::parse(bad).unwrap_err().to_string();
            assert!(err.starts_with("variable PASSERELLE_NOW : « "), "{err}");
        }
    }
}
