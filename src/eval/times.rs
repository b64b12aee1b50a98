//! Replay timestamps and durations, parsed with chrono: RFC 3339, `YYYY-MM-DD HH:MM[:SS]` with or without an offset, `DD.MM.YYYY HH:MM[:SS]`, epoch seconds or milliseconds (told apart by magnitude), and first-response durations.
//!
//! A naive time (no offset) is read in the replay's [`Zone`]. Every time must fall between
//! 1990 and 2100: an epoch value in neither seconds nor milliseconds of that span is refused,
//! never guessed. Errors name the kind of problem and never quote the value.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

/// 1990-01-01T00:00:00Z and 2100-01-01T00:00:00Z: the span a helpdesk time may fall in.
pub const EARLIEST_S: f64 = 631_152_000.0;
pub const LATEST_S: f64 = 4_102_444_800.0;

/// Why a time or a duration was refused; `kind` is the name counted in the results file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TimeError {
    #[error(
        "not a time kbctl reads (RFC 3339, YYYY-MM-DD HH:MM[:SS][ offset], DD.MM.YYYY HH:MM[:SS], epoch seconds or milliseconds; {0} characters)"
    )]
    Unreadable(usize),
    #[error("an impossible date or time of day (such as February 30 or hour 25)")]
    Impossible,
    #[error(
        "a number that is neither epoch seconds nor epoch milliseconds of a time between 1990 and 2100"
    )]
    EpochUnit,
    #[error("a time before 1990 or after 2100")]
    OutOfRange,
    #[error("a local time that does not exist in {0} (the clocks skip it)")]
    Nonexistent(String),
    #[error("not a duration kbctl reads ({0})")]
    Duration(&'static str),
}

impl TimeError {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unreadable(_) | Self::Nonexistent(_) => "unreadable_time",
            Self::Impossible => "impossible_time",
            Self::EpochUnit => "epoch_unit",
            Self::OutOfRange => "time_out_of_range",
            Self::Duration(_) => "unreadable_duration",
        }
    }
}

/// How an epoch number was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochUnit {
    Seconds,
    Milliseconds,
}

/// The zone naive times are read in: UTC, a fixed offset, or an IANA zone.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Zone {
    #[default]
    Utc,
    Fixed(FixedOffset),
    Named(chrono_tz::Tz),
}

impl Zone {
    /// `UTC`, `+03:00` / `-0500` / `UTC+3`, or an IANA name such as `Europe/Warsaw`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let s = spec.trim();
        if s.eq_ignore_ascii_case("utc") || s.eq_ignore_ascii_case("z") || s == "+00:00" {
            return Ok(Zone::Utc);
        }
        let offset = s
            .strip_prefix("UTC")
            .or_else(|| s.strip_prefix("utc"))
            .unwrap_or(s);
        if let Some(o) = parse_offset(offset) {
            return Ok(if o.local_minus_utc() == 0 {
                Zone::Utc
            } else {
                Zone::Fixed(o)
            });
        }
        s.parse::<chrono_tz::Tz>().map(Zone::Named).map_err(|_| {
            format!(
                "--timezone {s}: not a time zone: use UTC, an offset such as +03:00, or an IANA name such as Europe/Warsaw"
            )
        })
    }

    /// Seconds since the epoch of a wall-clock time in this zone; an ambiguous time (the hour
    /// repeated when clocks go back) is read as the earlier one.
    pub fn resolve(&self, naive: NaiveDateTime) -> Result<f64, TimeError> {
        let utc = match self {
            Zone::Utc => Some(Utc.from_utc_datetime(&naive).naive_utc()),
            Zone::Fixed(o) => o
                .from_local_datetime(&naive)
                .earliest()
                .map(|t| t.naive_utc()),
            Zone::Named(tz) => tz
                .from_local_datetime(&naive)
                .earliest()
                .map(|t| t.naive_utc()),
        }
        .ok_or_else(|| TimeError::Nonexistent(self.to_string()))?;
        in_range(seconds(&utc.and_utc()))
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Zone::Utc => f.write_str("UTC"),
            Zone::Fixed(o) => write!(f, "{o}"),
            Zone::Named(tz) => f.write_str(tz.name()),
        }
    }
}

/// `+03:00`, `+0300`, `-05`, `+3`.
fn parse_offset(s: &str) -> Option<FixedOffset> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &s[1..];
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    if h.is_empty() || h.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn seconds<Tz: TimeZone>(t: &DateTime<Tz>) -> f64 {
    t.timestamp() as f64 + f64::from(t.timestamp_subsec_nanos()) / 1e9
}

fn in_range(s: f64) -> Result<f64, TimeError> {
    if (EARLIEST_S..LATEST_S).contains(&s) {
        Ok(s)
    } else {
        Err(TimeError::OutOfRange)
    }
}

/// An epoch number: seconds or milliseconds, whichever puts it between 1990 and 2100.
pub fn epoch(value: f64) -> Result<(f64, EpochUnit), TimeError> {
    if !value.is_finite() {
        return Err(TimeError::EpochUnit);
    }
    if (EARLIEST_S..LATEST_S).contains(&value) {
        Ok((value, EpochUnit::Seconds))
    } else if (EARLIEST_S * 1000.0..LATEST_S * 1000.0).contains(&value) {
        Ok((value / 1000.0, EpochUnit::Milliseconds))
    } else {
        Err(TimeError::EpochUnit)
    }
}

/// Formats with an offset (after `Z` is rewritten as `+00:00`); `%z` takes `+0000` and `+03:00`.
const WITH_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M%z",
    "%Y-%m-%d %H:%M %z",
];

/// Wall-clock formats, read in the replay's zone.
const NAIVE: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S%.f",
    "%d.%m.%Y %H:%M",
];

/// A time as text: seconds since the epoch, and the epoch unit when it was a number.
pub fn parse(text: &str, zone: &Zone) -> Result<(f64, Option<EpochUnit>), TimeError> {
    let t = text.trim();
    if !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && let Ok(n) = t.parse::<f64>()
    {
        return epoch(n).map(|(s, unit)| (s, Some(unit)));
    }
    // RFC 3339 allows a lower-case `t` between date and time.
    let upper;
    let t = if t.len() > 10 && t.as_bytes()[10] == b't' && t.is_char_boundary(11) {
        upper = format!("{}T{}", &t[..10], &t[11..]);
        upper.as_str()
    } else {
        t
    };
    let zoned = match t.strip_suffix(['Z', 'z']) {
        Some(rest) => format!("{}+00:00", rest.trim_end()),
        None => t.to_string(),
    };
    let mut impossible = false;
    for format in WITH_OFFSET {
        match DateTime::parse_from_str(&zoned, format) {
            Ok(d) => return in_range(seconds(&d)).map(|s| (s, None)),
            Err(e) => impossible |= e.kind() == chrono::format::ParseErrorKind::OutOfRange,
        }
    }
    for format in NAIVE {
        match NaiveDateTime::parse_from_str(t, format) {
            Ok(naive) => return zone.resolve(naive).map(|s| (s, None)),
            Err(e) => impossible |= e.kind() == chrono::format::ParseErrorKind::OutOfRange,
        }
    }
    Err(if impossible {
        TimeError::Impossible
    } else {
        TimeError::Unreadable(t.chars().count())
    })
}

/// The unit a first-response duration field is given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    Minutes,
    Seconds,
    /// `HH:MM:SS` only: a bare number has no unit.
    Clock,
}

/// A duration as a number in `unit`, or as text: a number, or `H:MM:SS` (hours may pass 24).
/// Negative durations are refused.
pub fn duration(value: &serde_json::Value, unit: DurationUnit) -> Result<f64, TimeError> {
    let scale = |n: f64| -> Result<f64, TimeError> {
        let s = match unit {
            DurationUnit::Minutes => n * 60.0,
            DurationUnit::Seconds => n,
            DurationUnit::Clock => {
                return Err(TimeError::Duration(
                    "a bare number has no unit: map the column to first_response_minutes or first_response_seconds",
                ));
            }
        };
        if !s.is_finite() {
            Err(TimeError::Duration("not a finite number"))
        } else if s < 0.0 {
            Err(TimeError::Duration("negative"))
        } else {
            Ok(s)
        }
    };
    match value {
        serde_json::Value::Number(n) => scale(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => {
            let t = s.trim();
            if let Ok(n) = t.parse::<f64>() {
                return scale(n);
            }
            clock(t)
        }
        _ => Err(TimeError::Duration("neither a number nor text")),
    }
}

/// `H:MM:SS[.f]` as seconds.
fn clock(t: &str) -> Result<f64, TimeError> {
    let bad = TimeError::Duration("expected HH:MM:SS, minutes or seconds");
    let parts: Vec<&str> = t.split(':').collect();
    let [h, m, s] = parts[..] else {
        return Err(bad);
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let (sec_int, sec_frac) = s.split_once('.').unwrap_or((s, "0"));
    if !digits(h) || h.len() > 6 || m.len() != 2 || !digits(m) || sec_int.len() != 2 {
        return Err(bad);
    }
    if !digits(sec_int) || !digits(sec_frac) {
        return Err(bad);
    }
    let (h, m): (f64, f64) = (
        h.parse().map_err(|_| bad.clone())?,
        m.parse().map_err(|_| bad.clone())?,
    );
    let sec: f64 = format!("{sec_int}.{sec_frac}")
        .parse()
        .map_err(|_| bad.clone())?;
    if m >= 60.0 || sec >= 60.0 {
        return Err(TimeError::Duration("minutes or seconds past 59"));
    }
    Ok(h * 3600.0 + m * 60.0 + sec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const T: f64 = 1_788_247_334.0; // 2026-09-01T07:22:14Z

    fn utc(text: &str) -> Result<f64, TimeError> {
        parse(text, &Zone::Utc).map(|t| t.0)
    }

    #[test]
    fn reads_rfc3339_and_offsets_in_every_spelling() {
        for text in [
            "2026-09-01T07:22:14Z",
            "2026-09-01t07:22:14z",
            "2026-09-01 07:22:14Z",
            "2026-09-01 07:22:14 Z",
            "2026-09-01T10:22:14+03:00",
            "2026-09-01 10:22:14+03:00",
            "2026-09-01 07:22:14 +0000",
            "2026-09-01 10:22:14 +03:00",
            "2026-09-01 03:22:14 -0400",
            "  2026-09-01T07:22:14Z  ",
        ] {
            assert_eq!(utc(text), Ok(T), "{text}");
        }
        assert_eq!(utc("2024-02-29T12:00:00.5Z"), Ok(1_709_208_000.5));
        assert_eq!(utc("2026-09-01 07:22:14.250 +0000"), Ok(T + 0.25));
        assert_eq!(utc("2026-09-01 10:22+03:00"), Ok(T - 14.0));
    }

    #[test]
    fn naive_times_are_read_in_the_zone() {
        assert_eq!(utc("2026-09-01 07:22:14"), Ok(T));
        assert_eq!(utc("2026-09-01T07:22:14"), Ok(T));
        assert_eq!(utc("2026-09-01 07:22:14.5"), Ok(T + 0.5));
        assert_eq!(utc("2026-09-01 07:22"), Ok(T - 14.0));
        assert_eq!(utc("01.09.2026 07:22:14"), Ok(T));
        assert_eq!(utc("01.09.2026 07:22"), Ok(T - 14.0));
        let moscow = Zone::parse("+03:00").unwrap();
        assert_eq!(parse("2026-09-01 10:22:14", &moscow).unwrap().0, T);
        // Warsaw is UTC+2 in summer and UTC+1 in winter.
        let warsaw = Zone::parse("Europe/Warsaw").unwrap();
        assert_eq!(parse("2026-09-01 09:22:14", &warsaw).unwrap().0, T);
        assert_eq!(
            parse("15.01.2026 13:00", &warsaw).unwrap().0,
            utc("2026-01-15T12:00:00Z").unwrap()
        );
        // An offset in the text wins over the zone.
        assert_eq!(parse("2026-09-01T07:22:14Z", &warsaw).unwrap().0, T);
        // 02:30 on the last Sunday of March does not exist in Warsaw; in October it happens twice.
        assert!(matches!(
            parse("2026-03-29 02:30", &warsaw),
            Err(TimeError::Nonexistent(_))
        ));
        assert_eq!(
            parse("2026-10-25 02:30", &warsaw).unwrap().0,
            utc("2026-10-25T00:30:00Z").unwrap()
        );
    }

    #[test]
    fn zones_are_named_by_utc_offsets_or_iana_names() {
        assert_eq!(Zone::parse("UTC"), Ok(Zone::Utc));
        assert_eq!(Zone::parse("utc"), Ok(Zone::Utc));
        assert_eq!(Zone::parse("+00:00"), Ok(Zone::Utc));
        assert_eq!(Zone::parse("+03:00").unwrap().to_string(), "+03:00");
        assert_eq!(Zone::parse("+0300").unwrap().to_string(), "+03:00");
        assert_eq!(Zone::parse("UTC+3").unwrap().to_string(), "+03:00");
        assert_eq!(Zone::parse("-05:30").unwrap().to_string(), "-05:30");
        assert_eq!(
            Zone::parse("Europe/Warsaw").unwrap().to_string(),
            "Europe/Warsaw"
        );
        for bad in ["", "Mars/Olympus", "+25:00", "+03:99", "3"] {
            let err = Zone::parse(bad).unwrap_err();
            assert!(err.contains("Europe/Warsaw"), "{bad}: {err}");
        }
    }

    #[test]
    fn epoch_seconds_and_milliseconds_are_told_apart_by_magnitude() {
        assert_eq!(epoch(T), Ok((T, EpochUnit::Seconds)));
        assert_eq!(epoch(T * 1000.0), Ok((T, EpochUnit::Milliseconds)));
        assert_eq!(
            parse("1788247334", &Zone::Utc),
            Ok((T, Some(EpochUnit::Seconds)))
        );
        assert_eq!(
            parse("1788247334000", &Zone::Utc),
            Ok((T, Some(EpochUnit::Milliseconds)))
        );
        assert_eq!(
            parse("1788247334.5", &Zone::Utc),
            Ok((T + 0.5, Some(EpochUnit::Seconds)))
        );
        // Microseconds, small counts and negatives fit neither unit: refused, never guessed.
        for bad in [T * 1e6, 12.0, 0.0, -T, f64::NAN, 5e11] {
            assert_eq!(epoch(bad), Err(TimeError::EpochUnit), "{bad}");
        }
        assert_eq!(
            parse("1788247334000000", &Zone::Utc),
            Err(TimeError::EpochUnit)
        );
    }

    #[test]
    fn impossible_and_absurd_times_are_refused() {
        for bad in [
            "2026-02-30 10:00:00",
            "2026-02-30T10:00:00Z",
            "2025-02-29 10:00",
            "2026-09-01 25:00",
            "2026-09-01 23:60:00",
            "2026-13-01T00:00:00Z",
            "31.04.2026 10:00",
            "2026-09-01 10:00:00 +2500",
        ] {
            assert_eq!(utc(bad), Err(TimeError::Impossible), "{bad}");
        }
        assert_eq!(utc("1989-12-31T23:59:59Z"), Err(TimeError::OutOfRange));
        assert_eq!(utc("2100-01-01 00:00"), Err(TimeError::OutOfRange));
        for bad in [
            "",
            "yesterday",
            "2026-09-01",
            "09/01/2026 07:22",
            "2026-09-01 07:22:14 Europe/Warsaw",
        ] {
            let err = utc(bad).unwrap_err();
            assert!(matches!(err, TimeError::Unreadable(_)), "{bad}: {err:?}");
            assert!(bad.is_empty() || !err.to_string().contains(bad), "{err}");
        }
        assert_eq!(TimeError::Impossible.kind(), "impossible_time");
        assert_eq!(TimeError::EpochUnit.kind(), "epoch_unit");
    }

    #[test]
    fn durations_in_minutes_seconds_and_clock_time() {
        use DurationUnit::*;
        assert_eq!(duration(&json!(12), Minutes), Ok(720.0));
        assert_eq!(duration(&json!("12.5"), Minutes), Ok(750.0));
        assert_eq!(duration(&json!(90), Seconds), Ok(90.0));
        assert_eq!(duration(&json!("01:02:03"), Clock), Ok(3723.0));
        assert_eq!(duration(&json!("49:00:30"), Clock), Ok(176_430.0));
        assert_eq!(duration(&json!("0:10:00.5"), Clock), Ok(600.5));
        // a clock value is accepted for the minute and second fields too
        assert_eq!(duration(&json!("00:10:00"), Minutes), Ok(600.0));
        for (bad, unit) in [
            (json!(-5), Minutes),
            (json!("-1"), Seconds),
            (json!(30), Clock),
            (json!("00:61:00"), Clock),
            (json!("00:10:75"), Clock),
            (json!("10:00"), Clock),
            (json!("ten minutes"), Minutes),
            (json!("1:2:3"), Clock),
            (json!(true), Minutes),
        ] {
            let err = duration(&bad, unit).unwrap_err();
            assert_eq!(err.kind(), "unreadable_duration", "{bad}");
        }
    }
}
