//! People named by a document, each with the role they play in it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What a person is to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Author,
    Recipient,
    Signatory,
    Translator,
    Mentioned,
}

impl Role {
    pub const ALL: [Self; 5] = [
        Self::Author,
        Self::Recipient,
        Self::Signatory,
        Self::Translator,
        Self::Mentioned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Author => "author",
            Self::Recipient => "recipient",
            Self::Signatory => "signatory",
            Self::Translator => "translator",
            Self::Mentioned => "mentioned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person (or body, such as "Politburo") named by a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// The name as the document gives it.
    pub name: String,
    pub role: Role,
    /// Other names the document gives for the same person, e.g. the
    /// bracketed real name in "Filippov [Stalin]".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The id of the matching entry in the corpus authority file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// Whether folio found `authority` by matching the name, rather than
    /// the source giving the id (matches are redone when the authority
    /// file changes).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub authority_matched: bool,
    /// Found in a text as `Filippov [Stalin]` (one of the names an
    /// authority entry's), not named by the document's metadata: made each
    /// time the corpus is linked to its authority file, as a mention.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub from_text: bool,
}

impl Person {
    pub fn new(name: impl Into<String>, role: Role) -> Self {
        Self {
            name: name.into(),
            role,
            aliases: Vec::new(),
            authority: None,
            authority_matched: false,
            from_text: false,
        }
    }

    /// Reads "Filippov [Stalin]" as the name Filippov with the alias Stalin.
    pub fn from_written(written: &str, role: Role) -> Self {
        let (name, aliases) = split_bracketed(written);
        Self {
            name,
            role,
            aliases,
            authority: None,
            authority_matched: false,
            from_text: false,
        }
    }

    /// Every name the document gives for this person.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

impl fmt::Display for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        for alias in &self.aliases {
            write!(f, " [{alias}]")?;
        }
        Ok(())
    }
}

/// Splits `Name [Variant]` (one or more bracketed variants) into the name
/// and its variants. `[sic]` and editorial brackets are not variants.
pub fn split_bracketed(written: &str) -> (String, Vec<String>) {
    let mut name = String::new();
    let mut variants = Vec::new();
    let mut rest = written.trim();
    while let Some(open) = rest.find('[') {
        let Some(close_rel) = rest[open..].find(']') else {
            break;
        };
        let inner = rest[open + 1..open + close_rel].trim();
        name.push_str(&rest[..open]);
        if !inner.is_empty()
            && !matches!(
                inner.to_lowercase().as_str(),
                "sic" | "sic!" | "?" | "illegible"
            )
        {
            variants.extend(
                inner
                    .split(" or ")
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty()),
            );
        }
        rest = &rest[open + close_rel + 1..];
    }
    name.push_str(rest);
    (crate::text::squash_whitespace(&name), variants)
}

/// Words of address before a name, left out of it.
const TITLES: &[&str] = &[
    "Comrade",
    "Comrades",
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Dr",
    "Dr.",
    "General",
    "Marshal",
    "President",
    "Chairman",
    "Consul",
    "Товарищ",
    "Господин",
];

/// Names written with a bracketed variant in a running text, as written:
/// `Filippov [Stalin]`, `Ghulja [Yining]`, `Chuguchak [Tacheng or Qoqek]`.
/// The name is one to three capitalised words right before the bracket,
/// the bracket holds a capitalised name without digits; glosses such as
/// `badgering [travlya]`, page markers (`[л. 352 об.]`), `[sic]` and
/// supplied words (`[Ahmetjan] Qasimi`) are not such names. At most
/// `limit` distinct ones, in the order found.
pub fn bracketed_in_text(text: &str, limit: usize) -> Vec<String> {
    let is_name_word = |word: &str| {
        word.chars().next().is_some_and(char::is_uppercase)
            && word
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
    };
    let mut found: Vec<String> = Vec::new();
    let mut from = 0;
    while found.len() < limit
        && let Some(open) = memchr::memchr(b'[', &text.as_bytes()[from..]).map(|i| from + i)
    {
        from = open + 1;
        let rest = &text[open + 1..];
        let Some(close) = rest.bytes().take(64).position(|b| b == b']') else {
            continue;
        };
        let inner = rest[..close].trim();
        let inner_is_name = inner.chars().next().is_some_and(char::is_uppercase)
            && !inner.contains(['[', '\n'])
            && !inner.chars().any(|c| c.is_ascii_digit());
        let Some(before) = text[..open].strip_suffix(' ') else {
            continue;
        };
        if !inner_is_name
            || !inner
                .split_whitespace()
                .all(|w| is_name_word(w) || w == "or")
        {
            continue;
        }
        // The name: the capitalised words right before, three at most.
        let mut words: Vec<&str> = before
            .split_whitespace()
            .rev()
            .take(3)
            .take_while(|w| is_name_word(w))
            .collect();
        // "Comrade Filippov [Stalin]": the title is no part of the name.
        if let Some(title) = words.iter().position(|w| TITLES.contains(w)) {
            words.truncate(title);
        }
        if words.is_empty() {
            continue;
        }
        let name = words.iter().rev().copied().collect::<Vec<_>>().join(" ");
        let written = format!("{name} [{inner}]");
        if !found.contains(&written) {
            found.push(written);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_names_are_found_in_running_text() {
        let text = "the badgering [travlya] of Ghulja [Yining] residents; a cable \
                    to Comrade Filippov [Stalin]. [л. 352 об.] The driver of [Ahmetjan] \
                    Qasimi [sic] came from Chuguchak [Tacheng or Qoqek], then Ghulja [Yining].";
        assert_eq!(
            bracketed_in_text(text, 10),
            [
                "Ghulja [Yining]",
                "Filippov [Stalin]",
                "Chuguchak [Tacheng or Qoqek]"
            ]
        );
        assert_eq!(bracketed_in_text(text, 1), ["Ghulja [Yining]"]);
        assert_eq!(
            bracketed_in_text("Mao Zedong [Mao Tse-tung] and Ахмеджан Касыми [Qasimi]", 10),
            ["Mao Zedong [Mao Tse-tung]", "Ахмеджан Касыми [Qasimi]"]
        );
        // Brackets at the edges, unclosed, or too long.
        assert!(bracketed_in_text("[Stalin] wrote", 10).is_empty());
        assert!(bracketed_in_text("Stalin [", 10).is_empty());
        assert!(bracketed_in_text(&format!("Stalin [{}]", "A".repeat(80)), 10).is_empty());
    }

    #[test]
    fn bracketed_names_keep_both() {
        let p = Person::from_written("Filippov [Stalin]", Role::Author);
        assert_eq!(p.name, "Filippov");
        assert_eq!(p.aliases, ["Stalin"]);
        assert_eq!(p.to_string(), "Filippov [Stalin]");
        assert_eq!(
            split_bracketed("Chuguchak [Tacheng or Qoqek]"),
            ("Chuguchak".into(), vec!["Tacheng".into(), "Qoqek".into()])
        );
        assert_eq!(split_bracketed("Akou [sic]"), ("Akou".into(), vec![]));
        assert_eq!(split_bracketed("ALIHAN TORE [SHAKIRJAN]").1, ["SHAKIRJAN"]);
        assert_eq!(
            split_bracketed("broken [bracket"),
            ("broken [bracket".into(), vec![])
        );
    }

    #[test]
    fn roles_parse() {
        assert_eq!(Role::parse("Recipient"), Some(Role::Recipient));
        assert_eq!(Role::parse("boss"), None);
    }
}
