//! The corpus authority file (`authority.toml` at the corpus root): people
//! and places with their canonical names and the variants they are written
//! in, in any script. Names in documents are linked to entries by their
//! folded form (see [`crate::text::fold`]).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::model::FuzzyDate;
use crate::text::fold;

/// The file name the loader looks for at the corpus root.
pub const AUTHORITY_FILE: &str = "authority.toml";

/// A person or place with every name it goes by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityEntry {
    pub id: String,
    /// The canonical (display) name.
    pub name: String,
    pub variants: Vec<String>,
    pub born: Option<FuzzyDate>,
    pub died: Option<FuzzyDate>,
    pub note: Option<String>,
}

impl AuthorityEntry {
    /// The canonical name followed by its variants.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.variants.iter().map(String::as_str))
    }
}

/// Whether an entry is a person or a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Person,
    Place,
}

/// People and places of a corpus, indexed by folded name.
#[derive(Debug, Clone, Default)]
pub struct Authority {
    pub people: Vec<AuthorityEntry>,
    pub places: Vec<AuthorityEntry>,
    by_name: HashMap<(EntryKind, String), usize>,
}

/// Why an authority file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum AuthorityError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Toml(String),
    #[error("{kind} entry {id:?}: {reason}")]
    Entry {
        kind: &'static str,
        id: String,
        reason: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default)]
    person: Vec<EntryToml>,
    #[serde(default)]
    place: Vec<EntryToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryToml {
    id: String,
    name: String,
    #[serde(default)]
    variants: Vec<String>,
    born: Option<String>,
    died: Option<String>,
    note: Option<String>,
}

impl Authority {
    /// Reads an authority file.
    pub fn load(path: &Path) -> Result<Self, AuthorityError> {
        let text = std::fs::read_to_string(path)?;
        Self::parse(&text)
    }

    /// Parses the text of an authority file.
    pub fn parse(text: &str) -> Result<Self, AuthorityError> {
        let file: FileToml = toml::from_str(text)
            .map_err(|e| AuthorityError::Toml(crate::text::describe_toml_error(&e, text)))?;
        let mut authority = Self::default();
        for (kind, entries) in [
            (EntryKind::Person, file.person),
            (EntryKind::Place, file.place),
        ] {
            let label = if kind == EntryKind::Person {
                "person"
            } else {
                "place"
            };
            for entry in entries {
                let parse_date =
                    |value: Option<String>| -> Result<Option<FuzzyDate>, AuthorityError> {
                        value
                            .map(|v| {
                                FuzzyDate::parse(&v).map_err(|e| AuthorityError::Entry {
                                    kind: label,
                                    id: entry.id.clone(),
                                    reason: e.to_string(),
                                })
                            })
                            .transpose()
                    };
                if entry.id.trim().is_empty() || entry.name.trim().is_empty() {
                    return Err(AuthorityError::Entry {
                        kind: label,
                        id: entry.id.clone(),
                        reason: "id and name must not be empty".into(),
                    });
                }
                let parsed = AuthorityEntry {
                    born: parse_date(entry.born.clone())?,
                    died: parse_date(entry.died.clone())?,
                    id: entry.id,
                    name: entry.name,
                    variants: entry.variants,
                    note: entry.note,
                };
                authority.insert(kind, parsed)?;
            }
        }
        Ok(authority)
    }

    fn insert(&mut self, kind: EntryKind, entry: AuthorityEntry) -> Result<(), AuthorityError> {
        let list = match kind {
            EntryKind::Person => &mut self.people,
            EntryKind::Place => &mut self.places,
        };
        let label = if kind == EntryKind::Person {
            "person"
        } else {
            "place"
        };
        if list.iter().any(|e| e.id == entry.id) {
            return Err(AuthorityError::Entry {
                kind: label,
                id: entry.id,
                reason: "duplicate id".into(),
            });
        }
        let index = list.len();
        for name in entry.names() {
            let key = (kind, fold(name));
            if key.1.is_empty() {
                continue;
            }
            if let Some(&other) = self.by_name.get(&key)
                && other != index
            {
                let other_id = list[other].id.clone();
                return Err(AuthorityError::Entry {
                    kind: label,
                    id: entry.id.clone(),
                    reason: format!("the name {name:?} also belongs to {other_id:?}"),
                });
            }
            self.by_name.insert(key, index);
        }
        list.push(entry);
        Ok(())
    }

    /// The person entry one of whose names folds like `name`.
    pub fn person(&self, name: &str) -> Option<&AuthorityEntry> {
        self.lookup(EntryKind::Person, name)
    }

    /// The place entry one of whose names folds like `name`.
    pub fn place(&self, name: &str) -> Option<&AuthorityEntry> {
        self.lookup(EntryKind::Place, name)
    }

    /// The entry of `kind` one of whose names folds like `name`.
    pub fn lookup(&self, kind: EntryKind, name: &str) -> Option<&AuthorityEntry> {
        let index = *self.by_name.get(&(kind, fold(name)))?;
        match kind {
            EntryKind::Person => self.people.get(index),
            EntryKind::Place => self.places.get(index),
        }
    }

    /// The person entry with this id.
    pub fn person_by_id(&self, id: &str) -> Option<&AuthorityEntry> {
        self.people.iter().find(|e| e.id == id)
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty() && self.places.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[[person]]
id = "ahmetjan-qasimi"
name = "Ahmetjan Qasimi"
variants = ["Ehmetjan Qasim", "阿合買提江·哈斯木", "ئەخمەتجان قاسىمى", "Ахметжан Касымов"]
born = "1914-04-15"
died = "1949-08-27"

[[place]]
id = "ghulja"
name = "Ghulja"
variants = ["Yining", "Кульджа"]
"#;

    #[test]
    fn variants_in_every_script_resolve() {
        let authority = Authority::parse(SAMPLE).unwrap_or_default();
        for name in [
            "Ahmetjan Qasimi",
            "EHMETJAN QASIM",
            "阿合買提江·哈斯木",
            "ئەخمەتجان قاسىمى",
            "Ахметжан Касымов",
        ] {
            assert_eq!(
                authority.person(name).map(|e| e.id.as_str()),
                Some("ahmetjan-qasimi"),
                "{name}"
            );
        }
        assert_eq!(
            authority.place("кульджа").map(|e| e.id.as_str()),
            Some("ghulja")
        );
        assert!(authority.person("Stalin").is_none());
        assert_eq!(
            authority.people[0]
                .born
                .as_ref()
                .and_then(|d| d.start)
                .map(|d| d.to_string())
                .as_deref(),
            Some("1914-04-15")
        );
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(Authority::parse("[[person]]\nid = 3\nname = \"x\"").is_err());
        assert!(
            Authority::parse(
                "[[person]]\nid = \"a\"\nname = \"X\"\n[[person]]\nid = \"b\"\nname = \"x\""
            )
            .is_err()
        );
        assert!(
            Authority::parse("[[person]]\nid = \"a\"\nname = \"X\"\nborn = \"someday\"").is_err()
        );
        assert!(Authority::parse("[[persons]]\nid = \"a\"").is_err());
    }
}
