//! The search box's syntax: words, `"phrases"`, `prefix*`, `-exclusion`,
//! and fielded terms `author:`, `archive:`, `lang:`, `kind:`,
//! `date:1945..1947` (either end may be left open: `date:..1946-06`).
//! Fielded terms become filters like the panel's; the rest goes to the
//! full-text index. Anything else with a colon is an ordinary word.

use thiserror::Error;

use crate::model::{FuzzyDate, Ymd};

/// A piece of free text to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    Word {
        text: String,
        prefix: bool,
    },
    Phrase(String),
    /// Any of these names (each a phrase): the names of an authority entry
    /// one of which was searched ([`super::names::expand`]).
    AnyOf(Vec<String>),
}

/// A parsed search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Every one must match.
    pub required: Vec<Clause>,
    /// None may match.
    pub excluded: Vec<Clause>,
    pub authors: Vec<String>,
    pub archives: Vec<String>,
    pub languages: Vec<String>,
    pub kinds: Vec<String>,
    pub from: Option<Ymd>,
    pub to: Option<Ymd>,
}

impl SearchQuery {
    /// Whether there is free text to look up in the index.
    pub fn has_text(&self) -> bool {
        !self.required.is_empty() || !self.excluded.is_empty()
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A search that cannot be understood, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueryError {
    #[error("{0:?} is not a date range (try date:1945..1947, date:1945-04 or date:..1946)")]
    BadDate(String),
    #[error("{0}: only words and phrases can be excluded")]
    ExcludedField(String),
    #[error("archive:{0} names no archive node (try archive:GARF/R-9401ss/2)")]
    BadArchive(String),
}

/// Reads a query. Unbalanced quotes end at the end of the input.
pub fn parse(input: &str) -> Result<SearchQuery, QueryError> {
    let mut query = SearchQuery::default();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let negated = chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
        if negated {
            i += 1;
        }
        if chars[i] == '"' {
            let end = chars[i + 1..]
                .iter()
                .position(|&c| c == '"')
                .map_or(chars.len(), |p| i + 1 + p);
            let phrase: String = chars[i + 1..end].iter().collect();
            i = end + 1;
            let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
            if !phrase.is_empty() {
                push(&mut query, negated, Clause::Phrase(phrase));
            }
            continue;
        }
        // A token up to whitespace; a quoted value after `field:` is kept whole.
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            if chars[i] == '"' && i > start && chars[i - 1] == ':' {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '"')
                    .map_or(chars.len(), |p| i + 1 + p);
                i = (end + 1).min(chars.len());
                break;
            }
            i += 1;
        }
        let token: String = chars[start..i].iter().collect();
        if let Some((field, value)) = token.split_once(':') {
            let value = value.trim_matches('"').trim().to_owned();
            let field = field.to_lowercase();
            let known = matches!(
                field.as_str(),
                "author" | "archive" | "lang" | "kind" | "date"
            );
            if known && !value.is_empty() {
                if negated {
                    return Err(QueryError::ExcludedField(token));
                }
                match field.as_str() {
                    "author" => query.authors.push(value),
                    "archive" => query.archives.push(value),
                    "lang" => query.languages.push(value),
                    "kind" => query.kinds.push(value),
                    _ => {
                        let (from, to) = date_range(&value)?;
                        query.from = from.or(query.from);
                        query.to = to.or(query.to);
                    }
                }
                continue;
            }
        }
        let (text, prefix) = match token.strip_suffix('*') {
            Some(stem) => (stem.trim_end_matches('*').to_owned(), true),
            None => (token, false),
        };
        if text.chars().any(char::is_alphanumeric) {
            push(&mut query, negated, Clause::Word { text, prefix });
        }
    }
    Ok(query)
}

fn push(query: &mut SearchQuery, negated: bool, clause: Clause) {
    if negated {
        query.excluded.push(clause);
    } else {
        query.required.push(clause);
    }
}

/// `1945..1947`, `1945-04`, `..1946`, `1945..`.
fn date_range(value: &str) -> Result<(Option<Ymd>, Option<Ymd>), QueryError> {
    let bad = || QueryError::BadDate(value.to_owned());
    let parse = |s: &str| FuzzyDate::parse(s).map_err(|_| bad());
    match value.split_once("..") {
        Some((from, to)) => {
            let from = if from.trim().is_empty() {
                None
            } else {
                Some(parse(from)?.start.ok_or_else(bad)?)
            };
            let to = if to.trim().is_empty() {
                None
            } else {
                Some(parse(to)?.end.ok_or_else(bad)?)
            };
            if from.is_none() && to.is_none() {
                return Err(bad());
            }
            Ok((from, to))
        }
        None => {
            let date = parse(value)?;
            if date.start.is_none() && date.end.is_none() {
                return Err(bad());
            }
            Ok((date.start, date.end))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Clause {
        Clause::Word {
            text: text.to_owned(),
            prefix: false,
        }
    }

    #[test]
    fn words_phrases_prefixes_and_exclusions() {
        let q = parse(r#"Qasimi "Soviet aid" Kuld* -Stalin -"red army""#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            q.required,
            [
                word("Qasimi"),
                Clause::Phrase("Soviet aid".into()),
                Clause::Word {
                    text: "Kuld".into(),
                    prefix: true
                }
            ]
        );
        assert_eq!(
            q.excluded,
            [word("Stalin"), Clause::Phrase("red army".into())]
        );
    }

    #[test]
    fn fielded_terms_are_filters() {
        let q =
            parse(r#"author:"Alihan Tore" archive:GARF lang:ru kind:letter date:1945..1947 aid"#)
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(q.authors, ["Alihan Tore"]);
        assert_eq!(q.archives, ["GARF"]);
        assert_eq!(q.languages, ["ru"]);
        assert_eq!(q.kinds, ["letter"]);
        assert_eq!(q.from, Ymd::new(1945, 1, 1));
        assert_eq!(q.to, Ymd::new(1947, 12, 31));
        assert_eq!(q.required, [word("aid")]);
        let q = parse("date:..1946-06").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((q.from, q.to), (None, Ymd::new(1946, 6, 30)));
        let q = parse("date:1945-04").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (q.from, q.to),
            (Ymd::new(1945, 4, 1), Ymd::new(1945, 4, 30))
        );
    }

    #[test]
    fn odd_input_is_words_or_a_clear_error() {
        assert!(matches!(parse("date:soon"), Err(QueryError::BadDate(_))));
        assert!(matches!(parse("date:.."), Err(QueryError::BadDate(_))));
        assert!(matches!(
            parse("-author:x"),
            Err(QueryError::ExcludedField(_))
        ));
        // Unknown fields and punctuation are words (or nothing).
        let q = parse("ll.:352 - \"\" *** \"unclosed phrase").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            q.required,
            [word("ll.:352"), Clause::Phrase("unclosed phrase".into())]
        );
        assert!(parse("").unwrap_or_default().is_empty());
        assert!(parse("   -  ").unwrap_or_default().is_empty());
    }
}
