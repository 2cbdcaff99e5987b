//! Dates as people write them, read strictly: English, Russian and
//! Chinese month names and forms, numeric dates, centuries, decades,
//! parts of a year, ranges; anything not recognised is an error that
//! says so, never a guess.

use super::{DateError, FuzzyDate, Point, Precision, Ymd, strip_prefix_ci};

/// Month names in English, Russian (nominative, genitive, abbreviations),
/// German and French, lowercase, without trailing dots.
fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    let m = match w.as_str() {
        "january" | "jan" | "январь" | "января" | "янв" | "januar" | "janvier" | "janv" => {
            1
        }
        "february" | "feb" | "февраль" | "февраля" | "фев" | "февр" | "februar" | "février"
        | "fevrier" | "févr" => 2,
        "march" | "mar" | "март" | "марта" | "мар" | "märz" | "marz" | "mars" => 3,
        "april" | "apr" | "апрель" | "апреля" | "апр" | "avril" | "avr" => 4,
        "may" | "май" | "мая" | "mai" => 5,
        "june" | "jun" | "июнь" | "июня" | "июн" | "juni" | "juin" => 6,
        "july" | "jul" | "июль" | "июля" | "июл" | "juli" | "juillet" | "juil" => 7,
        "august" | "aug" | "август" | "августа" | "авг" | "août" | "aout" => 8,
        "september" | "sep" | "sept" | "сентябрь" | "сентября" | "сен" | "сент" | "septembre" => {
            9
        }
        "october" | "oct" | "октябрь" | "октября" | "окт" | "oktober" | "octobre" => {
            10
        }
        "november" | "nov" | "ноябрь" | "ноября" | "ноя" | "нояб" | "novembre" => {
            11
        }
        "december" | "dec" | "декабрь" | "декабря" | "дек" | "dezember" | "décembre"
        | "decembre" | "déc" => 12,
        _ => return None,
    };
    Some(m)
}

/// Words that may stand in a date without changing it.
fn is_filler(word: &str) -> bool {
    matches!(
        word.to_lowercase().trim_end_matches('.'),
        "" | "of"
            | "the"
            | "on"
            | "in"
            | "dated"
            | "date"
            | "г"
            | "гг"
            | "год"
            | "года"
            | "году"
            | "le"
            | "den"
            | "am"
            | "ad"
            | "a.d"
            | "ce"
            | "c.e"
            | "de"
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Number(u32, usize),
    Month(u8),
}

fn tokenize(input: &str, s: &str) -> Result<Vec<Token>, DateError> {
    let mut tokens = Vec::new();
    for raw in s.split(|c: char| c.is_whitespace() || c == ',' || c == '/') {
        let word = raw.trim_matches(|c: char| matches!(c, '(' | ')' | '"' | '«' | '»'));
        if word.is_empty() {
            continue;
        }
        // "1945г." / "22-го" / "22nd" / "1st"
        let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            let rest = &word[digits.len()..];
            let rest_trim = rest.trim_start_matches(['-', '.']);
            let ok_suffix = rest_trim.is_empty()
                || matches!(
                    rest_trim.to_lowercase().trim_end_matches('.'),
                    "st" | "nd" | "rd" | "th" | "го" | "е" | "г" | "гг" | "года"
                );
            if ok_suffix {
                let n: u32 = digits
                    .parse()
                    .map_err(|_| DateError::new(input, "number too large"))?;
                tokens.push(Token::Number(n, digits.len()));
                continue;
            }
            // "22.04.1945" handled by the caller; anything else is not a date.
            return Err(DateError::new(input, format!("unexpected {word:?}")));
        }
        if let Some(m) = month_number(word) {
            tokens.push(Token::Month(m));
            continue;
        }
        if is_filler(word) {
            continue;
        }
        return Err(DateError::new(input, format!("unexpected word {word:?}")));
    }
    Ok(tokens)
}

/// A single date written in words or numbers (not a range).
fn parse_point(input: &str, s: &str) -> Result<Point, DateError> {
    let s = s.trim();
    // Chinese / Japanese: 1949年10月25日, 1949年10月, 1949年
    if s.contains('年') {
        return parse_cjk(input, s);
    }
    // Numeric day-first forms: 22.04.1945, 22/04/1945, 1945.04.22
    if let Some(point) = parse_numeric(s) {
        return Ok(point);
    }
    let lower = s.to_lowercase();
    // Decades: 1940s, 1940's, 1940-е, 1940-х (годы)
    for suffix in ["'s", "s", "-е", "-х", "-e", "е", "х"] {
        if let Some(num) = lower
            .split_whitespace()
            .next()
            .and_then(|w| w.strip_suffix(suffix))
            && num.len() == 4
            && num.ends_with('0')
            && num.bytes().all(|b| b.is_ascii_digit())
            && lower.split_whitespace().skip(1).all(is_filler_or_years)
        {
            let first: i32 = num
                .parse()
                .map_err(|_| DateError::new(input, "bad decade"))?;
            return Ok(Point::years(first, first + 9, Precision::Decade));
        }
    }
    if let Some(point) = parse_century(&lower) {
        return Ok(point);
    }
    if let Some(point) = parse_part_of_year(input, &lower)? {
        return Ok(point);
    }

    let tokens = tokenize(input, s)?;
    let years: Vec<u32> = tokens
        .iter()
        .filter(|&t| matches!(t, Token::Number(_, 3 | 4)))
        .map(|t| number(*t))
        .collect();
    let months: Vec<u8> = tokens
        .iter()
        .filter_map(|t| {
            if let Token::Month(m) = t {
                Some(*m)
            } else {
                None
            }
        })
        .collect();
    let small: Vec<u32> = tokens
        .iter()
        .filter(|&t| matches!(t, Token::Number(_, 1 | 2)))
        .map(|t| number(*t))
        .collect();
    let year = match years.as_slice() {
        [y] => i32::try_from(*y).map_err(|_| DateError::new(input, "year out of range"))?,
        [] => return Err(DateError::new(input, "no year")),
        _ => return Err(DateError::new(input, "more than one year")),
    };
    match (months.as_slice(), small.as_slice()) {
        ([], []) => Ok(Point::year(year)),
        ([m], []) => Ok(Point::month(year, *m)),
        ([m], [d]) => {
            let day = u8::try_from(*d).map_err(|_| DateError::new(input, "bad day"))?;
            Ymd::new(year, *m, day)
                .map(Point::day)
                .ok_or_else(|| DateError::new(input, format!("no day {d} in month {m}")))
        }
        ([], [_, ..]) => Err(DateError::new(
            input,
            "a number that is neither day nor year",
        )),
        _ => Err(DateError::new(input, "too many months or days")),
    }
}

fn number(token: Token) -> u32 {
    match token {
        Token::Number(n, _) => n,
        Token::Month(m) => u32::from(m),
    }
}

fn is_filler_or_years(word: &str) -> bool {
    is_filler(word) || matches!(word, "годы" | "годов" | "гг.")
}

fn parse_cjk(input: &str, s: &str) -> Result<Point, DateError> {
    let bad = || DateError::new(input, "unreadable CJK date");
    let (year, rest) = s.split_once('年').ok_or_else(bad)?;
    let year: i32 = year.trim().parse().map_err(|_| bad())?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok(Point::year(year));
    }
    let (month, rest) = rest.split_once('月').ok_or_else(bad)?;
    let month: u8 = month.trim().parse().map_err(|_| bad())?;
    if !(1..=12).contains(&month) {
        return Err(bad());
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok(Point::month(year, month));
    }
    let day = rest
        .strip_suffix('日')
        .or_else(|| rest.strip_suffix('号'))
        .ok_or_else(bad)?;
    let day: u8 = day.trim().parse().map_err(|_| bad())?;
    Ymd::new(year, month, day).map(Point::day).ok_or_else(bad)
}

fn parse_numeric(s: &str) -> Option<Point> {
    let s = s.trim_end_matches(['г', '.', ' ']);
    let sep = ['.', '/'].into_iter().find(|c| s.contains(*c))?;
    let parts: Vec<&str> = s.split(sep).map(str::trim).collect();
    if parts.len() != 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if nums.len() != 3 {
        return None;
    }
    let as_day = |y: u32, m: u32, d: u32| {
        Ymd::new(
            i32::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
    };
    if parts[0].len() == 4 {
        return as_day(nums[0], nums[1], nums[2]).map(Point::day);
    }
    if parts[2].len() != 4 {
        return None;
    }
    // Day first (European and Russian usage); month first only when the
    // first number cannot be a month... of the second cannot be one.
    as_day(nums[2], nums[1], nums[0])
        .or_else(|| as_day(nums[2], nums[0], nums[1]))
        .map(Point::day)
}

fn parse_century(lower: &str) -> Option<Point> {
    let words: Vec<&str> = lower.split_whitespace().collect();
    let (number, rest) = words.split_first()?;
    if !rest
        .iter()
        .any(|w| matches!(*w, "century" | "век" | "века" | "в."))
    {
        return None;
    }
    if !rest
        .iter()
        .all(|w| matches!(*w, "century" | "век" | "века" | "в." | "the"))
    {
        return None;
    }
    let digits = number.trim_end_matches(|c: char| c.is_alphabetic() || c == '-');
    let n: i32 = match roman(number) {
        Some(n) => n,
        None => digits.parse().ok()?,
    };
    if !(1..=30).contains(&n) {
        return None;
    }
    // The 20th century is written 19XX in EDTF: years 1900–1999.
    let first = (n - 1) * 100;
    Some(Point::years(first, first + 99, Precision::Century))
}

fn roman(s: &str) -> Option<i32> {
    let mut total = 0;
    let mut prev = 0;
    for c in s.chars().rev() {
        let v = match c.to_ascii_uppercase() {
            'I' | 'І' => 1,
            'V' => 5,
            'X' | 'Х' => 10,
            'L' => 50,
            'C' | 'С' => 100,
            _ => return None,
        };
        if v < prev {
            total -= v;
        } else {
            total += v;
            prev = v;
        }
    }
    (total > 0).then_some(total)
}

/// "early 1946", "mid-1946", "late 1940s", "начало 1946", "конец 1946 г."
fn parse_part_of_year(input: &str, lower: &str) -> Result<Option<Point>, DateError> {
    let Some((part, rest)) = lower.split_once([' ', '-']) else {
        return Ok(None);
    };
    let third = match part {
        "early" | "начало" | "начале" => 0,
        "mid" | "middle" | "середина" | "середине" => 1,
        "late" | "конец" | "конце" => 2,
        _ => return Ok(None),
    };
    let inner = parse_point(input, rest)?;
    let point = match inner.precision {
        Precision::Year => {
            let y = inner.start.year;
            let first = third as u8 * 4 + 1;
            Point {
                start: Ymd::first_of_month(y, first),
                end: Ymd::last_of_month(y, first + 3),
                precision: Precision::Range,
            }
        }
        Precision::Decade => {
            let y = inner.start.year;
            let (a, b) = [(0, 3), (4, 6), (7, 9)][third];
            Point {
                start: Ymd::first_of_year(y + a),
                end: Ymd::last_of_year(y + b),
                precision: Precision::Range,
            }
        }
        _ => {
            return Err(DateError::new(
                input,
                "early/mid/late needs a year or decade",
            ));
        }
    };
    Ok(Some(point))
}

const RANGE_SEPARATORS: [&str; 9] = [
    " – ", " — ", " - ", "–", "—", " to ", " till ", " until ", " по ",
];

pub(super) fn parse_natural(input: &str, s: &str) -> Result<FuzzyDate, DateError> {
    // Ranges: "1949-1950", "April–May 1937", "22-25 April 1945", "1937 to 1939", "с 1937 по 1939"
    let s_range = s
        .strip_prefix("с ")
        .or_else(|| strip_prefix_ci(s, "from "))
        .unwrap_or(s);
    for sep in RANGE_SEPARATORS.iter().copied().chain(std::iter::once("-")) {
        let Some((left, right)) = s_range.split_once(sep) else {
            continue;
        };
        if sep == "-" && (!is_bare_year_or_day(left) || right.trim().is_empty()) {
            continue;
        }
        let (left, right) = (left.trim(), right.trim());
        if left.is_empty() || right.is_empty() {
            continue;
        }
        let Ok(to) = parse_point(input, right) else {
            continue;
        };
        let from = parse_point(input, left).or_else(|_| complete_left(input, left, to))?;
        if from.start > to.end {
            return Err(DateError::new(input, "the range ends before it starts"));
        }
        let mut date = FuzzyDate::from_range(input, Some(from), Some(to));
        if from.precision == Precision::Range || to.precision == Precision::Range {
            date.bounds = (Precision::Month, Precision::Month);
        }
        return Ok(date);
    }
    let point = parse_point(input, s)?;
    let mut date = FuzzyDate::from_point(input, point);
    if point.precision == Precision::Range {
        // "early 1946": written back to EDTF month by month, approximately.
        date.approximate = true;
        date.bounds = (Precision::Month, Precision::Month);
    }
    Ok(date)
}

fn is_bare_year_or_day(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit())
}

/// The left side of a range that leaves out what the right side says:
/// "22" in "22–25 April 1945", "April" in "April–May 1937".
fn complete_left(input: &str, left: &str, to: Point) -> Result<Point, DateError> {
    let year = to.start.year;
    if let Some(m) = month_number(left) {
        return Ok(Point::month(year, m));
    }
    if let Ok(day) = left.parse::<u8>() {
        return Ymd::new(year, to.start.month, day)
            .filter(|_| to.precision == Precision::Day)
            .map(Point::day)
            .ok_or_else(|| DateError::new(input, "unreadable start of range"));
    }
    // "22 April – 3 May 1945"
    let tokens = tokenize(input, left)?;
    if let [Token::Number(d, 1 | 2), Token::Month(m)] | [Token::Month(m), Token::Number(d, 1 | 2)] =
        tokens.as_slice()
    {
        let day = u8::try_from(*d).map_err(|_| DateError::new(input, "bad day"))?;
        return Ymd::new(year, *m, day)
            .map(Point::day)
            .ok_or_else(|| DateError::new(input, "no such day"));
    }
    Err(DateError::new(input, "unreadable start of range"))
}

// ---------------------------------------------------------------------------
// Serde: dates are stored as { text, start, end, precision, flags } in JSON
// and as EDTF or written text in folio's TOML.
