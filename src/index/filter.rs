//! The one filter of folio: the conditions the CLI's `list` and `search`
//! flags, the search's fielded terms (`author:`, `lang:`, …) and the
//! window's panels set (date interval, people, archive subtree, languages,
//! kinds). Conditions combine with AND; the values of one condition with
//! OR.
//!
//! A filter holds values as the user names them (people by authority
//! entry or name, archive subtrees by their path, language subtags, kinds),
//! never ids of one index, so it outlives a reload of the corpus.
//! [`Filter::matches`] tests one document directly (the CLI and search);
//! [`crate::index::facets::FacetIndex::select`] answers the same filter
//! over columns, with every facet's counts (the window). A test keeps the
//! two answers equal.

use crate::authority::Authority;
use crate::model::{ArchivePrefix, DateError, Document, FuzzyDate, LayerKind, Person, Role, Ymd};
use crate::text::{fold, primary_subtag};

/// Who a people condition names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Who {
    /// One person as the facets key people ([`person_key`]): an authority
    /// entry (`@id`) or a folded name. What a panel's checkbox picks.
    Person(String),
    /// Anyone one of whose names (or their authority entry's) has these
    /// folded words in order, as whole words: `stalin` finds "Iosif
    /// Stalin". What `--author` and `author:` ask.
    Named(String),
}

impl Who {
    /// `--author NAME`: the name's words, folded.
    pub fn named(name: &str) -> Self {
        Self::Named(fold(name))
    }

    /// Whether `person` is the one named.
    pub fn matches(&self, person: &Person, authority: &Authority) -> bool {
        match self {
            Self::Person(key) => person_key(person, authority) == *key,
            Self::Named(wanted) => {
                let entry = person
                    .authority
                    .as_deref()
                    .and_then(|id| authority.person_by_id(id));
                person
                    .names()
                    .chain(
                        entry
                            .into_iter()
                            .flat_map(crate::authority::AuthorityEntry::names),
                    )
                    .any(|n| name_matches(&fold(n), wanted))
            }
        }
    }
}

/// The key one person has in the facets: `@id` of their authority entry
/// when the entry exists, else their folded name. Name variants in any
/// script that share an entry are one person.
pub fn person_key(person: &Person, authority: &Authority) -> String {
    match person
        .authority
        .as_deref()
        .and_then(|id| authority.person_by_id(id))
    {
        Some(entry) => format!("@{}", entry.id),
        None => fold(&person.name),
    }
}

/// A language as the filters compare it: its primary subtag, lower case.
pub fn language_key(tag: &str) -> String {
    primary_subtag(tag).to_ascii_lowercase()
}

/// A set of conditions a document must all meet. Empty lists and `None`
/// filter nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Documents whose date interval ends on or after this day.
    pub from: Option<Ymd>,
    /// Documents whose date interval starts on or before this day.
    pub to: Option<Ymd>,
    /// Keep undated documents when a date bound is set.
    pub include_undated: bool,
    /// A document matches with any of these among its authors.
    pub authors: Vec<Who>,
    /// A document matches with any of these among its recipients.
    pub recipients: Vec<Who>,
    /// Documents in this subtree of the archive tree.
    pub archive: Option<ArchivePrefix>,
    /// Language keys ([`language_key`]) of the original or of any layer.
    pub languages: Vec<String>,
    /// Language keys of the original.
    pub original_languages: Vec<String>,
    /// Language keys of any text layer (summaries aside).
    pub layer_languages: Vec<String>,
    /// Kinds, folded.
    pub kinds: Vec<String>,
}

/// A filter argument that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    #[error("--{flag}: {source}")]
    Date {
        flag: &'static str,
        source: DateError,
    },
    #[error("--archive: {0:?} names no archive node")]
    Archive(String),
}

impl Filter {
    /// `--from`: the first day of what `text` means (`1945` → 1945-01-01).
    pub fn set_from(&mut self, text: &str) -> Result<(), FilterError> {
        let date = FuzzyDate::parse(text).map_err(|source| FilterError::Date {
            flag: "from",
            source,
        })?;
        self.from = date.start;
        Ok(())
    }

    /// `--to`: the last day of what `text` means (`1945` → 1945-12-31).
    pub fn set_to(&mut self, text: &str) -> Result<(), FilterError> {
        let date =
            FuzzyDate::parse(text).map_err(|source| FilterError::Date { flag: "to", source })?;
        self.to = date.end;
        Ok(())
    }

    pub fn set_archive(&mut self, text: &str) -> Result<(), FilterError> {
        self.archive =
            Some(ArchivePrefix::parse(text).ok_or_else(|| FilterError::Archive(text.to_owned()))?);
        Ok(())
    }

    /// `--author NAME`: one more author a document may have.
    pub fn add_author(&mut self, name: &str) {
        self.authors.push(Who::named(name));
    }

    /// `--lang TAG`: one more language of the original or a layer.
    pub fn add_language(&mut self, tag: &str) {
        self.languages.push(language_key(tag));
    }

    /// `--kind KIND`: one more kind a document may have.
    pub fn add_kind(&mut self, kind: &str) {
        self.kinds.push(fold(kind));
    }

    /// Whether a date bound is set.
    pub fn has_dates(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Whether the filter keeps every document.
    pub fn is_empty(&self) -> bool {
        !self.has_dates()
            && self.authors.is_empty()
            && self.recipients.is_empty()
            && self.archive.is_none()
            && self.languages.is_empty()
            && self.original_languages.is_empty()
            && self.layer_languages.is_empty()
            && self.kinds.is_empty()
    }

    /// Whether `doc` meets every condition.
    pub fn matches(&self, doc: &Document, authority: &Authority) -> bool {
        if self.has_dates() && !doc.date.overlaps(self.from, self.to) {
            let undated_ok = self.include_undated && doc.date.is_unknown();
            if !undated_ok {
                return false;
            }
        }
        let people = |wanted: &[Who], role: Role| {
            wanted.is_empty()
                || doc
                    .people_with(role)
                    .any(|p| wanted.iter().any(|w| w.matches(p, authority)))
        };
        if !people(&self.authors, Role::Author) || !people(&self.recipients, Role::Recipient) {
            return false;
        }
        if let Some(prefix) = &self.archive
            && !doc.archive.as_ref().is_some_and(|a| prefix.matches(a))
        {
            return false;
        }
        let original = doc.original_language.as_deref().map(language_key);
        let mut layers = doc
            .layers
            .iter()
            .filter(|l| l.kind != LayerKind::Summary)
            .filter_map(|l| l.language.as_deref())
            .map(language_key);
        let has = |keys: &[String], key: &str| keys.iter().any(|k| k == key);
        if !self.original_languages.is_empty()
            && !original
                .as_deref()
                .is_some_and(|o| has(&self.original_languages, o))
        {
            return false;
        }
        if !self.layer_languages.is_empty()
            && !layers.clone().any(|l| has(&self.layer_languages, &l))
        {
            return false;
        }
        if !self.languages.is_empty()
            && !original.as_deref().is_some_and(|o| has(&self.languages, o))
            && !layers.any(|l| has(&self.languages, &l))
        {
            return false;
        }
        if !self.kinds.is_empty()
            && !doc
                .kind
                .as_deref()
                .is_some_and(|k| has(&self.kinds, &fold(k)))
        {
            return false;
        }
        true
    }

    /// The matching documents, sorted by date (undated last), then id.
    pub fn apply<'a>(&self, documents: &'a [Document], authority: &Authority) -> Vec<&'a Document> {
        self.indices(documents, authority)
            .into_iter()
            .map(|i| &documents[i])
            .collect()
    }

    /// Like [`Filter::apply`], as positions in `documents`.
    pub fn indices(&self, documents: &[Document], authority: &Authority) -> Vec<usize> {
        let mut out: Vec<usize> = (0..documents.len())
            .filter(|&i| self.matches(&documents[i], authority))
            .collect();
        out.sort_by(|&a, &b| {
            let (a, b) = (&documents[a], &documents[b]);
            a.date
                .sort_key()
                .cmp(&b.date.sort_key())
                .then_with(|| a.id.cmp(&b.id))
        });
        out
    }
}

/// A folded query name matches a folded name when all its words appear in
/// order as whole words ("stalin" matches "iosif stalin").
pub(crate) fn name_matches(name: &str, wanted: &str) -> bool {
    if wanted.is_empty() {
        return true;
    }
    let words: Vec<&str> = name.split(' ').collect();
    let wanted: Vec<&str> = wanted.split(' ').collect();
    words.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_word_name_match() {
        assert!(name_matches("alihan tore", "tore"));
        assert!(name_matches("alihan tore", "alihan tore"));
        assert!(!name_matches("alihan tore", "tor"));
        assert!(!name_matches("alihan tore", "tore alihan"));
    }
}
