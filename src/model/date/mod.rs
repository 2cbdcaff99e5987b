//! Dates as archives write them: `FuzzyDate` keeps the text as written and a
//! machine interval (`start`..=`end`, both inclusive days) with its precision
//! and the qualifiers *approximate*, *uncertain* and *inferred*.
//!
//! Two parsers produce it: [`FuzzyDate::parse_edtf`] for the Extended
//! Date/Time Format (levels 0 and 1: `1945-04-22`, `1934-06`, `1945~`,
//! `1949?`, `1937-04/1937-05`, `194X`, `19XX`, seasons `1946-21`, open
//! intervals `../1945`) and [`FuzzyDate::parse`] for what people write
//! ("April 22, 1945", "22 апреля 1945г.", "1949年10月25日", "c. 1950",
//! "early 1946", "1949-1950", "[1945]" for an inferred date). Anything else
//! is a [`DateError`], never a guess.

use std::fmt;

use serde::{Deserialize, Serialize};

mod written;

use written::parse_natural;

/// A calendar day in the proleptic Gregorian calendar. Years may be
/// negative (astronomical numbering: 0 = 1 BCE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ymd {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Ymd {
    /// A valid day, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Self { year, month, day })
    }

    pub fn first_of_month(year: i32, month: u8) -> Self {
        Self {
            year,
            month,
            day: 1,
        }
    }

    pub fn last_of_month(year: i32, month: u8) -> Self {
        Self {
            year,
            month,
            day: days_in_month(year, month),
        }
    }

    pub fn first_of_year(year: i32) -> Self {
        Self::first_of_month(year, 1)
    }

    pub fn last_of_year(year: i32) -> Self {
        Self::last_of_month(year, 12)
    }

    /// Parses `YYYY-MM-DD` (as written by [`Display`](fmt::Display)).
    pub fn parse_iso(s: &str) -> Option<Self> {
        let (negative, rest) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
        let mut parts = rest.split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Self::new(if negative { -year } else { year }, month, day)
    }

    /// Days since 1970-01-01 (negative before), for arithmetic on dates.
    pub fn day_number(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year < 0 {
            write!(f, "-{:04}-{:02}-{:02}", -self.year, self.month, self.day)
        } else {
            write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }
}

impl Serialize for Ymd {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ymd {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse_iso(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a YYYY-MM-DD date: {s:?}")))
    }
}

impl Ymd {
    /// The day `n` days after 1970-01-01 (the inverse of [`Ymd::day_number`];
    /// Howard Hinnant's `civil_from_days`).
    pub fn from_day_number(n: i64) -> Self {
        let z = n + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }
}

/// English month names, January first (for writing dates).
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// How finely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Month,
    /// A season of a year (EDTF 21–24).
    Season,
    Year,
    Decade,
    Century,
    /// An interval between two dates (each end at its own precision).
    Range,
    #[default]
    Unknown,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Month => "month",
            Self::Season => "season",
            Self::Year => "year",
            Self::Decade => "decade",
            Self::Century => "century",
            Self::Range => "range",
            Self::Unknown => "unknown",
        }
    }
}

/// A date that could not be read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read date {text:?}: {reason}")]
pub struct DateError {
    pub text: String,
    pub reason: String,
}

impl DateError {
    fn new(text: &str, reason: impl Into<String>) -> Self {
        Self {
            text: text.to_owned(),
            reason: reason.into(),
        }
    }
}

/// One end of a date: a day interval at some precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Point {
    start: Ymd,
    end: Ymd,
    precision: Precision,
}

impl Point {
    fn day(d: Ymd) -> Self {
        Self {
            start: d,
            end: d,
            precision: Precision::Day,
        }
    }
    fn month(year: i32, month: u8) -> Self {
        Self {
            start: Ymd::first_of_month(year, month),
            end: Ymd::last_of_month(year, month),
            precision: Precision::Month,
        }
    }
    fn year(year: i32) -> Self {
        Self {
            start: Ymd::first_of_year(year),
            end: Ymd::last_of_year(year),
            precision: Precision::Year,
        }
    }
    fn years(first: i32, last: i32, precision: Precision) -> Self {
        Self {
            start: Ymd::first_of_year(first),
            end: Ymd::last_of_year(last),
            precision,
        }
    }
    fn season(year: i32, code: u8) -> Self {
        // Northern-hemisphere meteorological seasons; winter runs into the next year.
        let (start, end) = match code {
            21 => (Ymd::first_of_month(year, 3), Ymd::last_of_month(year, 5)),
            22 => (Ymd::first_of_month(year, 6), Ymd::last_of_month(year, 8)),
            23 => (Ymd::first_of_month(year, 9), Ymd::last_of_month(year, 11)),
            _ => (
                Ymd::first_of_month(year, 12),
                Ymd::last_of_month(year + 1, 2),
            ),
        };
        Self {
            start,
            end,
            precision: Precision::Season,
        }
    }
}

/// A date as a source gives it: the text as written and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FuzzyDate {
    /// The date as written in the source (may be empty).
    pub text: String,
    /// First day the date can mean, inclusive; `None` when unknown or open.
    pub start: Option<Ymd>,
    /// Last day the date can mean, inclusive; `None` when unknown or open.
    pub end: Option<Ymd>,
    pub precision: Precision,
    /// "circa", `~`: the source says the date is approximate.
    pub approximate: bool,
    /// "?": the source is unsure of the date.
    pub uncertain: bool,
    /// Not stated by the source: inferred by an editor or by folio.
    pub inferred: bool,
    /// For ranges, the precision of each end (for writing EDTF back).
    bounds: (Precision, Precision),
}

impl FuzzyDate {
    /// A date that says nothing (undated document), keeping what was written.
    pub fn unknown(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    /// For ranges, the precision of each end (for caches).
    pub(crate) fn bounds(&self) -> (Precision, Precision) {
        self.bounds
    }

    pub(crate) fn set_bounds(&mut self, bounds: (Precision, Precision)) {
        self.bounds = bounds;
    }

    /// True when the date gives no interval at all.
    pub fn is_unknown(&self) -> bool {
        self.start.is_none() && self.end.is_none()
    }

    fn from_point(text: &str, point: Point) -> Self {
        Self {
            text: text.to_owned(),
            start: Some(point.start),
            end: Some(point.end),
            precision: point.precision,
            bounds: (point.precision, point.precision),
            ..Self::default()
        }
    }

    fn from_range(text: &str, from: Option<Point>, to: Option<Point>) -> Self {
        Self {
            text: text.to_owned(),
            start: from.map(|p| p.start),
            end: to.map(|p| p.end),
            precision: Precision::Range,
            bounds: (
                from.map_or(Precision::Unknown, |p| p.precision),
                to.map_or(Precision::Unknown, |p| p.precision),
            ),
            ..Self::default()
        }
    }

    /// The same date with a different `text` (e.g. EDTF metadata plus the
    /// form written in the source).
    #[must_use]
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = text.into();
        self
    }

    /// Whether this date's interval and `[from, to]` share a day. Open ends
    /// of either side are unbounded; an unknown date overlaps nothing.
    pub fn overlaps(&self, from: Option<Ymd>, to: Option<Ymd>) -> bool {
        if self.is_unknown() {
            return false;
        }
        let starts_before_to = match (self.start, to) {
            (Some(s), Some(t)) => s <= t,
            _ => true,
        };
        let ends_after_from = match (self.end, from) {
            (Some(e), Some(f)) => e >= f,
            _ => true,
        };
        starts_before_to && ends_after_from
    }

    /// A key for sorting by date: undated last, then by start, then end.
    pub fn sort_key(&self) -> (bool, Option<Ymd>, Option<Ymd>) {
        (self.is_unknown(), self.start.or(self.end), self.end)
    }

    /// Parses EDTF (levels 0 and 1). `text` keeps the input.
    pub fn parse_edtf(input: &str) -> Result<Self, DateError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(DateError::new(input, "empty"));
        }
        if s == "XXXX" {
            return Ok(Self::unknown(input));
        }
        if let Some((left, right)) = s.split_once('/') {
            let from = parse_edtf_end(input, left)?;
            let to = parse_edtf_end(input, right)?;
            if from.is_none() && to.is_none() {
                return Err(DateError::new(input, "an interval needs at least one end"));
            }
            let mut date = Self::from_range(input, from.map(|(p, _)| p), to.map(|(p, _)| p));
            for (_, q) in from.iter().chain(to.iter()) {
                date.approximate |= q.approximate;
                date.uncertain |= q.uncertain;
            }
            if let (Some(start), Some(end)) = (date.start, date.end)
                && start > end
            {
                return Err(DateError::new(input, "the interval ends before it starts"));
            }
            return Ok(date);
        }
        let (point, qualifier) = parse_edtf_point(input, s)?;
        let mut date = Self::from_point(input, point);
        date.approximate = qualifier.approximate;
        date.uncertain = qualifier.uncertain;
        Ok(date)
    }

    /// Writes the date as EDTF. Undated is `XXXX`. Inferred dates have no
    /// EDTF marker; the flag is kept beside it in folio's files.
    pub fn to_edtf(&self) -> String {
        let qualifier = match (self.approximate, self.uncertain) {
            (true, true) => "%",
            (true, false) => "~",
            (false, true) => "?",
            (false, false) => "",
        };
        match self.precision {
            Precision::Unknown => "XXXX".to_owned(),
            Precision::Range => {
                let from = self.start.map_or_else(
                    || "..".to_owned(),
                    |d| edtf_point(d, self.bounds.0, true) + qualifier,
                );
                let to = self.end.map_or_else(
                    || "..".to_owned(),
                    |d| edtf_point(d, self.bounds.1, false) + qualifier,
                );
                format!("{from}/{to}")
            }
            precision => match self.start {
                Some(start) => edtf_point(start, precision, true) + qualifier,
                None => "XXXX".to_owned(),
            },
        }
    }

    /// Parses a date as people write it (see the module docs), falling back
    /// to EDTF. `text` keeps the input.
    pub fn parse(input: &str) -> Result<Self, DateError> {
        let mut s = input.trim().trim_end_matches([',', ';']).trim();
        if s.is_empty() {
            return Err(DateError::new(input, "empty"));
        }
        let lowered = s.to_lowercase();
        if matches!(
            lowered.trim_end_matches('.').trim(),
            "n.d"
                | "nd"
                | "s.d"
                | "undated"
                | "no date"
                | "unknown"
                | "б.д"
                | "без даты"
                | "б/д"
                | "無日期"
                | "无日期"
        ) {
            return Ok(Self::unknown(input));
        }
        if let Ok(date) = Self::parse_edtf(s) {
            return Ok(date);
        }

        let mut inferred = false;
        if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            inferred = true;
            s = inner.trim();
        }
        for marker in ["(inferred)", "(supplied)", "[inferred]"] {
            if let Some(rest) = strip_suffix_ci(s, marker) {
                inferred = true;
                s = rest.trim();
            }
        }
        let mut uncertain = false;
        if let Some(rest) = s.strip_suffix('?') {
            uncertain = true;
            s = rest.trim();
        }
        let mut approximate = false;
        for prefix in [
            "circa",
            "ca.",
            "ca",
            "c.",
            "approx.",
            "approximately",
            "about",
            "around",
            "около",
            "ок.",
            "приблизительно",
            "примерно",
            "约",
            "約",
        ] {
            if let Some(rest) = strip_prefix_ci(s, prefix)
                && (rest.starts_with([' ', '\u{a0}'])
                    || prefix.ends_with('.')
                    || !prefix.is_ascii())
            {
                approximate = true;
                s = rest.trim();
                break;
            }
        }
        if let Some(rest) = s.strip_suffix('~') {
            approximate = true;
            s = rest.trim();
        }
        if s.is_empty() {
            return Err(DateError::new(input, "no date after the qualifier"));
        }

        let mut date = parse_natural(input, s)?;
        date.approximate |= approximate;
        date.uncertain |= uncertain;
        date.inferred |= inferred;
        Ok(date)
    }
}

impl fmt::Display for FuzzyDate {
    /// The date as written, or its EDTF form when nothing was written
    /// (in brackets when inferred, as archivists write supplied dates).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.text.trim().is_empty() {
            return f.write_str(self.text.trim());
        }
        match (self.is_unknown(), self.inferred) {
            (true, _) => f.write_str("undated"),
            (false, true) => write!(f, "[{}]", self.to_edtf()),
            (false, false) => f.write_str(&self.to_edtf()),
        }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.to_lowercase()
        .eq(&prefix.to_lowercase())
        .then(|| &s[prefix.len()..])
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.to_lowercase()
        .eq(&suffix.to_lowercase())
        .then(|| &s[..cut])
}

#[derive(Debug, Clone, Copy, Default)]
struct Qualifier {
    approximate: bool,
    uncertain: bool,
}

fn parse_edtf_end(input: &str, part: &str) -> Result<Option<(Point, Qualifier)>, DateError> {
    if part.is_empty() || part == ".." {
        return Ok(None);
    }
    parse_edtf_point(input, part).map(Some)
}

fn parse_edtf_point(input: &str, s: &str) -> Result<(Point, Qualifier), DateError> {
    let mut qualifier = Qualifier::default();
    let mut body = s;
    if let Some(rest) = body.strip_suffix(['?', '~', '%']) {
        match body.as_bytes().last() {
            Some(b'?') => qualifier.uncertain = true,
            Some(b'~') => qualifier.approximate = true,
            _ => {
                qualifier.uncertain = true;
                qualifier.approximate = true;
            }
        }
        body = rest;
    }
    let (negative, body) = body.strip_prefix('-').map_or((false, body), |r| (true, r));
    let mut parts = body.split('-');
    let year_part = parts.next().unwrap_or_default();
    let month_part = parts.next();
    let day_part = parts.next();
    if parts.next().is_some() {
        return Err(DateError::new(
            input,
            "too many '-' separated parts for EDTF",
        ));
    }
    if year_part.len() != 4 || !year_part.bytes().all(|b| b.is_ascii_digit() || b == b'X') {
        return Err(DateError::new(input, "EDTF needs a four-digit year"));
    }
    let unspecified = year_part.bytes().rev().take_while(|b| *b == b'X').count();
    if year_part[..4 - unspecified].contains('X') {
        return Err(DateError::new(
            input,
            "only the last digits of a year may be X",
        ));
    }
    let digits: i32 = if unspecified == 4 {
        0
    } else {
        year_part[..4 - unspecified]
            .parse()
            .map_err(|_| DateError::new(input, "bad year"))?
    };
    let sign = if negative { -1 } else { 1 };
    let point = match unspecified {
        0 => {
            let year = sign * digits;
            match (month_part, day_part) {
                (None, _) => Point::year(year),
                (Some("XX"), None | Some("XX")) => Point::year(year),
                (Some(m), day) => {
                    let month: u8 = m
                        .parse()
                        .map_err(|_| DateError::new(input, format!("bad month {m:?}")))?;
                    if m.len() != 2 {
                        return Err(DateError::new(input, "EDTF months have two digits"));
                    }
                    match day {
                        None if (21..=24).contains(&month) => Point::season(year, month),
                        None | Some("XX") if (1..=12).contains(&month) => Point::month(year, month),
                        Some(d) if (1..=12).contains(&month) => {
                            let day: u8 = d
                                .parse()
                                .map_err(|_| DateError::new(input, format!("bad day {d:?}")))?;
                            if d.len() != 2 {
                                return Err(DateError::new(input, "EDTF days have two digits"));
                            }
                            Point::day(
                                Ymd::new(year, month, day)
                                    .ok_or_else(|| DateError::new(input, "no such day"))?,
                            )
                        }
                        _ => return Err(DateError::new(input, format!("no month {month}"))),
                    }
                }
            }
        }
        1 | 2 if month_part.is_none() && !negative => {
            let span = if unspecified == 1 { 10 } else { 100 };
            let first = digits * span;
            let precision = if unspecified == 1 {
                Precision::Decade
            } else {
                Precision::Century
            };
            Point::years(first, first + span - 1, precision)
        }
        _ => return Err(DateError::new(input, "unsupported unspecified-digit form")),
    };
    Ok((point, qualifier))
}

fn edtf_year(year: i32) -> String {
    if year < 0 {
        format!("-{:04}", -year)
    } else {
        format!("{year:04}")
    }
}

/// One end of a date written at `precision`. `is_start` picks which day of
/// a season interval names it (winter starts in one year, ends in the next).
fn edtf_point(d: Ymd, precision: Precision, is_start: bool) -> String {
    match precision {
        Precision::Day => d.to_string(),
        Precision::Month => format!("{}-{:02}", edtf_year(d.year), d.month),
        Precision::Season => {
            let (year, code) = match d.month {
                3..=5 => (d.year, 21),
                6..=8 => (d.year, 22),
                9..=11 => (d.year, 23),
                12 => (d.year, 24),
                _ if is_start => (d.year, 24),
                _ => (d.year - 1, 24),
            };
            format!("{}-{code}", edtf_year(year))
        }
        Precision::Decade => format!("{:03}X", d.year.div_euclid(10)),
        Precision::Century => format!("{:02}XX", d.year.div_euclid(100)),
        Precision::Year | Precision::Range | Precision::Unknown => edtf_year(d.year),
    }
}

// ---------------------------------------------------------------------------
// Natural-language dates

impl Serialize for FuzzyDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = serializer.serialize_struct("FuzzyDate", 8)?;
        st.serialize_field("text", &self.text)?;
        st.serialize_field("start", &self.start)?;
        st.serialize_field("end", &self.end)?;
        st.serialize_field("precision", &self.precision)?;
        st.serialize_field("approximate", &self.approximate)?;
        st.serialize_field("uncertain", &self.uncertain)?;
        st.serialize_field("inferred", &self.inferred)?;
        st.serialize_field("edtf", &self.to_edtf())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> FuzzyDate {
        match FuzzyDate::parse(s) {
            Ok(date) => date,
            Err(e) => panic!("{e}"),
        }
    }

    fn span(date: &FuzzyDate) -> (String, String) {
        (
            date.start.map(|d| d.to_string()).unwrap_or_default(),
            date.end.map(|d| d.to_string()).unwrap_or_default(),
        )
    }

    #[test]
    fn written_days() {
        for (text, iso) in [
            ("April 22, 1945", "1945-04-22"),
            ("November 01, 1934", "1934-11-01"),
            ("4 April 1937", "1937-04-04"),
            ("22 April 1945", "1945-04-22"),
            ("22 апреля 1945г.", "1945-04-22"),
            ("22 апреля 1945 г.", "1945-04-22"),
            ("1949年10月25日", "1949-10-25"),
            ("22.04.1945", "1945-04-22"),
            ("1945/04/22", "1945-04-22"),
            ("Apr. 22, 1945", "1945-04-22"),
            ("the 22nd of April, 1945", "1945-04-22"),
            ("12 July 1947", "1947-07-12"),
        ] {
            let date = d(text);
            assert_eq!(date.precision, Precision::Day, "{text}");
            assert_eq!(span(&date), (iso.to_owned(), iso.to_owned()), "{text}");
            assert_eq!(date.text, text);
        }
    }

    #[test]
    fn partial_dates_are_intervals() {
        let june = d("June, 1934");
        assert_eq!(june.precision, Precision::Month);
        assert_eq!(span(&june), ("1934-06-01".into(), "1934-06-30".into()));
        let feb = d("февраль 1944");
        assert_eq!(span(&feb), ("1944-02-01".into(), "1944-02-29".into()));
        let year = d("1936");
        assert_eq!(year.precision, Precision::Year);
        assert_eq!(span(&year), ("1936-01-01".into(), "1936-12-31".into()));
        let cjk = d("1949年10月");
        assert_eq!(cjk.precision, Precision::Month);
        assert_eq!(d("1945 г.").precision, Precision::Year);
        let decade = d("1940s");
        assert_eq!(decade.precision, Precision::Decade);
        assert_eq!(span(&decade), ("1940-01-01".into(), "1949-12-31".into()));
        let century = d("20th century");
        assert_eq!(century.precision, Precision::Century);
        assert_eq!(span(&century), ("1900-01-01".into(), "1999-12-31".into()));
        assert_eq!(d("XX век").precision, Precision::Century);
    }

    #[test]
    fn qualified_and_ranged_dates() {
        let circa = d("c. 1950");
        assert!(circa.approximate && !circa.uncertain);
        assert_eq!(circa.precision, Precision::Year);
        assert!(d("ca. 1950").approximate);
        assert!(d("около 1950 г.").approximate);
        assert!(d("1949?").uncertain);
        let inferred = d("[1945]");
        assert!(inferred.inferred);
        assert_eq!(inferred.precision, Precision::Year);

        let range = d("1949-1950");
        assert_eq!(range.precision, Precision::Range);
        assert_eq!(span(&range), ("1949-01-01".into(), "1950-12-31".into()));
        let months = d("April–May 1937");
        assert_eq!(span(&months), ("1937-04-01".into(), "1937-05-31".into()));
        let days = d("22-25 April 1945");
        assert_eq!(span(&days), ("1945-04-22".into(), "1945-04-25".into()));
        let early = d("early 1946");
        assert_eq!(span(&early), ("1946-01-01".into(), "1946-04-30".into()));
        assert!(early.approximate);
        let late = d("late 1940s");
        assert_eq!(span(&late), ("1947-01-01".into(), "1949-12-31".into()));
        assert_eq!(
            span(&d("mid-1946")),
            ("1946-05-01".into(), "1946-08-31".into())
        );
    }

    #[test]
    fn edtf_forms_and_round_trip() {
        for (edtf, start, end, precision) in [
            ("1945-04-22", "1945-04-22", "1945-04-22", Precision::Day),
            ("1934-06", "1934-06-01", "1934-06-30", Precision::Month),
            ("1936", "1936-01-01", "1936-12-31", Precision::Year),
            ("1945~", "1945-01-01", "1945-12-31", Precision::Year),
            ("1949?", "1949-01-01", "1949-12-31", Precision::Year),
            ("1949%", "1949-01-01", "1949-12-31", Precision::Year),
            (
                "1937-04/1937-05",
                "1937-04-01",
                "1937-05-31",
                Precision::Range,
            ),
            (
                "1937-04-07/1937-05",
                "1937-04-07",
                "1937-05-31",
                Precision::Range,
            ),
            ("194X", "1940-01-01", "1949-12-31", Precision::Decade),
            ("19XX", "1900-01-01", "1999-12-31", Precision::Century),
            ("1946-21", "1946-03-01", "1946-05-31", Precision::Season),
            ("1946-24", "1946-12-01", "1947-02-28", Precision::Season),
            ("-0250", "-0250-01-01", "-0250-12-31", Precision::Year),
            ("1900-02", "1900-02-01", "1900-02-28", Precision::Month),
        ] {
            let date = match FuzzyDate::parse_edtf(edtf) {
                Ok(date) => date,
                Err(e) => panic!("{e}"),
            };
            assert_eq!(date.precision, precision, "{edtf}");
            assert_eq!(span(&date), (start.to_owned(), end.to_owned()), "{edtf}");
            assert_eq!(date.to_edtf(), edtf, "round trip of {edtf}");
        }
        let open = FuzzyDate::parse_edtf("../1945").unwrap_or_default();
        assert_eq!(open.start, None);
        assert_eq!(open.to_edtf(), "../1945");
        assert_eq!(
            FuzzyDate::parse_edtf("1945-04-22/..")
                .unwrap_or_default()
                .to_edtf(),
            "1945-04-22/.."
        );
        assert!(FuzzyDate::parse_edtf("XXXX").is_ok_and(|d| d.is_unknown()));
    }

    #[test]
    fn written_dates_write_edtf() {
        assert_eq!(d("April 22, 1945").to_edtf(), "1945-04-22");
        assert_eq!(d("June, 1934").to_edtf(), "1934-06");
        assert_eq!(d("c. 1950").to_edtf(), "1950~");
        assert_eq!(d("1949-1950").to_edtf(), "1949/1950");
        assert_eq!(d("1940s").to_edtf(), "194X");
        assert_eq!(d("early 1946").to_edtf(), "1946-01~/1946-04~");
        assert_eq!(d("undated").to_edtf(), "XXXX");
        // What EDTF writes, EDTF reads back to the same interval.
        for text in [
            "early 1946",
            "April–May 1937",
            "1949-1950",
            "22-25 April 1945",
            "late 1940s",
        ] {
            let date = d(text);
            let again = FuzzyDate::parse_edtf(&date.to_edtf()).unwrap_or_default();
            assert_eq!((again.start, again.end), (date.start, date.end), "{text}");
        }
    }

    #[test]
    fn garbage_is_an_error() {
        for text in [
            "",
            "75th anniversary",
            "tomorrow",
            "April 31, 1945",
            "1945-13",
            "1945-02-30",
            "February 30 1945",
            "1950-1949",
            "12 13 1945",
            "1945 1946",
            "19X5",
            "Qasimi",
            "22 апреля",
            "年月日",
            "/",
            "..",
        ] {
            assert!(FuzzyDate::parse(text).is_err(), "{text:?} should not parse");
        }
    }

    #[test]
    fn undated_words() {
        for text in ["n.d.", "undated", "б.д.", "без даты"] {
            let date = d(text);
            assert!(date.is_unknown());
            assert_eq!(date.precision, Precision::Unknown);
        }
    }

    #[test]
    fn overlap_compares_intervals() {
        let june = d("June 1934");
        let day = |s: &str| Ymd::parse_iso(s);
        assert!(june.overlaps(day("1934-06-10"), day("1934-06-12")));
        assert!(june.overlaps(day("1934-06-30"), None));
        assert!(!june.overlaps(day("1934-07-01"), None));
        assert!(!june.overlaps(None, day("1934-05-31")));
        assert!(!FuzzyDate::unknown("").overlaps(None, None));
    }

    #[test]
    fn display_prefers_the_written_form() {
        assert_eq!(d("22 апреля 1945г.").to_string(), "22 апреля 1945г.");
        let mut inferred = FuzzyDate::parse_edtf("2024")
            .unwrap_or_default()
            .with_text("");
        assert_eq!(inferred.to_string(), "2024");
        inferred.inferred = true;
        assert_eq!(inferred.to_string(), "[2024]");
        assert_eq!(FuzzyDate::unknown("").to_string(), "undated");
    }

    #[test]
    fn day_numbers() {
        assert_eq!(Ymd::new(1970, 1, 1).map(Ymd::day_number), Some(0));
        assert_eq!(Ymd::new(1945, 4, 22).map(Ymd::day_number), Some(-9020));
        for (y, m, d) in [
            (1945, 4, 22),
            (1970, 1, 1),
            (2000, 2, 29),
            (1600, 12, 31),
            (-44, 3, 15),
        ] {
            let day = Ymd::new(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"));
            assert_eq!(Ymd::from_day_number(day.day_number()), day);
        }
    }
}
