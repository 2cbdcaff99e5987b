//! Filters over a corpus: the questions the CLI's `list` and the GUI's
//! panels ask (date interval, author, archive subtree, language). Filters
//! combine with AND.

use crate::authority::Authority;
use crate::model::{ArchivePrefix, DateError, Document, FuzzyDate, Role, Ymd};
use crate::text::fold;

/// A set of conditions a document must all meet.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Documents whose date interval ends on or after this day.
    pub from: Option<Ymd>,
    /// Documents whose date interval starts on or before this day.
    pub to: Option<Ymd>,
    /// Keep undated documents when a date bound is set.
    pub include_undated: bool,
    /// Folded name an author must have (any variant, via the authority file).
    pub author: Option<String>,
    pub archive: Option<ArchivePrefix>,
    /// Language of the original or of any layer (primary subtag).
    pub language: Option<String>,
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

    pub fn set_author(&mut self, name: &str) {
        self.author = Some(fold(name));
    }

    pub fn is_empty(&self) -> bool {
        self.from.is_none()
            && self.to.is_none()
            && self.author.is_none()
            && self.archive.is_none()
            && self.language.is_none()
    }

    /// Whether `doc` meets every condition.
    pub fn matches(&self, doc: &Document, authority: &Authority) -> bool {
        if (self.from.is_some() || self.to.is_some()) && !doc.date.overlaps(self.from, self.to) {
            let undated_ok = self.include_undated && doc.date.is_unknown();
            if !undated_ok {
                return false;
            }
        }
        if let Some(wanted) = &self.author
            && !doc.people_with(Role::Author).any(|p| {
                let entry = p
                    .authority
                    .as_deref()
                    .and_then(|id| authority.person_by_id(id));
                let mut names: Vec<&str> = p.names().collect();
                if let Some(entry) = entry {
                    names.extend(entry.names());
                }
                names.iter().any(|n| name_matches(&fold(n), wanted))
            })
        {
            return false;
        }
        if let Some(prefix) = &self.archive
            && !doc.archive.as_ref().is_some_and(|a| prefix.matches(a))
        {
            return false;
        }
        if let Some(lang) = &self.language
            && !doc.has_language(lang)
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
fn name_matches(name: &str, wanted: &str) -> bool {
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
