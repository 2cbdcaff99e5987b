//! The user's notes, tags and bookmarks: per document, per page and per
//! scan region. One human-readable TOML file per document in the
//! sidecar's `notes` folder (see [`crate::research::sidecar`] for where that is),
//! each replaced atomically, so a crash or a kill leaves the old or the
//! new version, never a torn file. [`NoteStore`] reads every place the
//! sidecar names; [`merge`] joins two versions edited at once;
//! [`service`] is the thread that saves, retries and follows the files.

pub mod merge;
pub mod service;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::research::sidecar::{Place, Sidecar, Stamp};

pub use crate::research::sidecar::SIDECAR;

/// The sidecar folder that holds notes files.
pub const KIND: &str = "notes";

/// Notes files larger than this are refused.
const MAX_FILE: u64 = 16 << 20;

/// What the user wrote about one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentNotes {
    /// The document's id (the file name is only a safe form of it).
    pub document: String,
    pub bookmarked: bool,
    pub tags: Vec<String>,
    /// Markdown.
    pub note: String,
    #[serde(rename = "page", skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PageNote>,
    #[serde(rename = "region", skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<RegionNote>,
}

/// A note on one page (1-based, as shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageNote {
    pub page: usize,
    pub note: String,
}

/// A note on one region of a page (a line of OCR), by its position in the
/// page's regions; `text` is the region's text when the note was written,
/// so that the file reads on its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegionNote {
    pub page: usize,
    pub region: usize,
    pub text: String,
    pub note: String,
}

impl DocumentNotes {
    pub fn new(document: impl Into<String>) -> Self {
        Self {
            document: document.into(),
            ..Self::default()
        }
    }

    /// Nothing written: the file can go.
    pub fn is_empty(&self) -> bool {
        !self.bookmarked
            && self.tags.is_empty()
            && self.note.trim().is_empty()
            && self.pages.iter().all(|p| p.note.trim().is_empty())
            && self.regions.iter().all(|r| r.note.trim().is_empty())
    }

    /// Any note at all, on the document, a page or a region.
    pub fn has_notes(&self) -> bool {
        !self.note.trim().is_empty()
            || self.pages.iter().any(|p| !p.note.trim().is_empty())
            || self.regions.iter().any(|r| !r.note.trim().is_empty())
    }

    pub fn page_note(&self, page: usize) -> &str {
        self.pages
            .iter()
            .find(|p| p.page == page)
            .map_or("", |p| p.note.as_str())
    }

    pub fn set_page_note(&mut self, page: usize, note: String) {
        self.pages.retain(|p| p.page != page);
        if !note.trim().is_empty() {
            self.pages.push(PageNote { page, note });
            self.pages.sort_by_key(|p| p.page);
        }
    }

    pub fn region_note(&self, page: usize, region: usize) -> &str {
        self.regions
            .iter()
            .find(|r| r.page == page && r.region == region)
            .map_or("", |r| r.note.as_str())
    }

    pub fn set_region_note(&mut self, page: usize, region: usize, text: String, note: String) {
        self.regions
            .retain(|r| !(r.page == page && r.region == region));
        if !note.trim().is_empty() {
            self.regions.push(RegionNote {
                page,
                region,
                text,
                note,
            });
            self.regions.sort_by_key(|r| (r.page, r.region));
        }
    }

    /// Adds a tag (trimmed, once); false when empty or already there.
    pub fn add_tag(&mut self, tag: &str) -> bool {
        let tag = tag.trim();
        if tag.is_empty() || self.tags.iter().any(|t| t == tag) {
            return false;
        }
        self.tags.push(tag.to_owned());
        true
    }

    pub fn to_toml(&self) -> Result<String, NotesError> {
        let body = toml::to_string_pretty(self).map_err(|e| NotesError::Write {
            path: PathBuf::from(&self.document),
            reason: e.to_string(),
        })?;
        Ok(format!(
            "# folio notes on one document (Markdown in `note`). Safe to edit by hand,\n\
             # even while folio is open: it follows this file and joins the changes.\n{body}"
        ))
    }
}

/// A notes file that could not be read or written.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum NotesError {
    #[error("{path}: {reason}", path = path.display())]
    Read { path: PathBuf, reason: String },
    #[error("cannot save notes to {path}: {reason}", path = path.display())]
    Write { path: PathBuf, reason: String },
}

impl NotesError {
    pub fn path(&self) -> &std::path::Path {
        match self {
            Self::Read { path, .. } | Self::Write { path, .. } => path,
        }
    }

    /// What went wrong, without the path.
    pub fn reason(&self) -> &str {
        match self {
            Self::Read { reason, .. } | Self::Write { reason, .. } => reason,
        }
    }
}

/// One document's notes as found on disk: which place, and the stamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub notes: DocumentNotes,
    /// Index into [`Sidecar::places`].
    pub place: usize,
    pub stamp: Stamp,
}

/// Every document's notes of one corpus, and where they are kept.
#[derive(Debug, Clone, Default)]
pub struct NoteStore {
    pub sidecar: Sidecar,
    pub by_id: BTreeMap<String, DocumentNotes>,
    /// Files that could not be read: they are left as they are, and the
    /// documents they are about show no notes until fixed.
    pub errors: Vec<NotesError>,
    /// Documents with notes in more than one place that differ: the
    /// newest is shown (and saved to the place written from now on).
    pub in_both: Vec<String>,
}

/// The file name of a document's notes: its id made safe
/// ([`crate::research::sidecar::safe_name`]).
pub fn file_name(id: &str) -> String {
    format!("{}.toml", crate::research::sidecar::safe_name(id))
}

impl NoteStore {
    /// Reads every notes file of the corpus at `root`, from every place
    /// its sidecar names.
    pub fn load(root: &std::path::Path) -> Self {
        Self::load_sidecar(Sidecar::of(root))
    }

    /// Reads every notes file of every place of `sidecar`: where a
    /// document has notes in two places, the newer file is taken.
    pub fn load_sidecar(sidecar: Sidecar) -> Self {
        let mut store = Self {
            sidecar,
            by_id: BTreeMap::new(),
            errors: Vec::new(),
            in_both: Vec::new(),
        };
        let mut found: BTreeMap<String, Found> = BTreeMap::new();
        let places: Vec<Place> = store.sidecar.places().cloned().collect();
        for (index, place) in places.iter().enumerate() {
            let listing = match place.list(KIND) {
                Ok(listing) => listing,
                Err(e) => {
                    store.errors.push(NotesError::Read {
                        path: place.dir(KIND),
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            if index == 0 {
                place.remove_abandoned(KIND, &listing, "toml");
            }
            for (name, _) in listing {
                let name = name.to_string_lossy();
                if !name.ends_with(".toml") {
                    continue;
                }
                match read_file(place, index, &name) {
                    Ok(Some(file)) => {
                        let id = file.notes.document.clone();
                        match found.get(&id) {
                            Some(other) if other.notes != file.notes => {
                                store.in_both.push(id.clone());
                                if file.stamp.modified_ns > other.stamp.modified_ns {
                                    found.insert(id, file);
                                }
                            }
                            Some(_) => {}
                            None => {
                                found.insert(id, file);
                            }
                        }
                    }
                    Ok(None) => {}
                    Err(e) => store.errors.push(e),
                }
            }
        }
        store.in_both.sort();
        store.in_both.dedup();
        store.by_id = found.into_iter().map(|(id, f)| (id, f.notes)).collect();
        store
    }

    pub fn get(&self, id: &str) -> Option<&DocumentNotes> {
        self.by_id.get(id)
    }

    /// Every tag in use with the number of documents that carry it.
    pub fn tags(&self) -> BTreeMap<&str, usize> {
        let mut tags = BTreeMap::new();
        for notes in self.by_id.values() {
            let unique: BTreeSet<&str> = notes.tags.iter().map(String::as_str).collect();
            for tag in unique {
                *tags.entry(tag).or_insert(0) += 1;
            }
        }
        tags
    }

    /// Keeps `notes` in memory; the caller saves the file.
    pub fn put(&mut self, notes: DocumentNotes) {
        if notes.is_empty() {
            self.by_id.remove(&notes.document);
        } else {
            self.by_id.insert(notes.document.clone(), notes);
        }
    }

    /// The read error of the notes file of document `id`, if its file
    /// could not be read (an edit must not replace it).
    pub fn unreadable(&self, id: &str) -> Option<&NotesError> {
        let file = file_name(id);
        self.errors.iter().find(|e| {
            matches!(e, NotesError::Read { path, .. }
                if path.file_name().is_some_and(|n| n.to_string_lossy() == file))
        })
    }
}

/// Reads the notes file `name` of `place` (`Ok(None)`: not there).
pub fn read_file(place: &Place, index: usize, name: &str) -> Result<Option<Found>, NotesError> {
    let path = place.dir(KIND).join(name);
    let error = |reason: String| NotesError::Read {
        path: path.clone(),
        reason,
    };
    let Some((text, stamp)) = place.read_text(KIND, name, MAX_FILE).map_err(error)? else {
        return Ok(None);
    };
    let notes: DocumentNotes =
        toml::from_str(&text).map_err(|e| error(e.to_string().trim().replace('\n', " ")))?;
    if notes.document.is_empty() {
        return Err(error("no `document` id".into()));
    }
    Ok(Some(Found {
        notes,
        place: index,
        stamp,
    }))
}

/// Writes (or, when empty, removes) the file of `notes` in `place`,
/// atomically.
pub fn save(place: &Place, notes: &DocumentNotes) -> Result<(), NotesError> {
    let name = file_name(&notes.document);
    let fail = |reason: String| NotesError::Write {
        path: place.dir(KIND).join(&name),
        reason,
    };
    if notes.is_empty() {
        return place.remove(KIND, &name).map_err(|e| fail(e.to_string()));
    }
    let text = notes.to_toml()?;
    place
        .write(KIND, &name, text.as_bytes())
        .map_err(|e| fail(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A place whose notes folder is `dir/.folio/notes`.
    fn place(dir: &std::path::Path) -> Place {
        Place::Corpus {
            root: dir.to_owned(),
        }
    }

    fn load(dir: &std::path::Path) -> NoteStore {
        NoteStore::load_sidecar(Sidecar {
            write_to: place(dir),
            also_read: Vec::new(),
            reason: String::new(),
        })
    }

    #[test]
    fn notes_round_trip_through_their_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut notes = DocumentNotes::new("1945/04 letter «Сталин»");
        notes.bookmarked = true;
        assert!(notes.add_tag(" to check "));
        assert!(!notes.add_tag("to check"));
        assert!(!notes.add_tag("  "));
        notes.note = "# Heading\n\nA *note* with \"quotes\" and '''triples'''.\n".into();
        notes.set_page_note(2, "Folio 353ob. is torn.".into());
        notes.set_region_note(1, 7, "Was iſt Aufklaͤrung?".into(), "Title line".into());
        save(&place(dir.path()), &notes).unwrap_or_else(|e| panic!("{e}"));
        let store = load(dir.path());
        assert!(store.errors.is_empty(), "{:?}", store.errors);
        assert_eq!(store.get(&notes.document), Some(&notes));
        let file = std::fs::read_dir(dir.path().join(".folio/notes"))
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect::<Vec<_>>();
        assert_eq!(file, vec![file_name(&notes.document)]);
        assert!(!file[0].contains('/'));
        // Emptied notes remove the file.
        let emptied = DocumentNotes::new(notes.document.clone());
        save(&place(dir.path()), &emptied).unwrap_or_else(|e| panic!("{e}"));
        assert!(load(dir.path()).by_id.is_empty());
    }

    #[test]
    fn broken_files_are_errors_and_the_rest_loads() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join(".folio/notes")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join(".folio/notes/bad.toml"), "document = [")
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join(".folio/notes/anon.toml"), "note = \"x\"")
            .unwrap_or_else(|e| panic!("{e}"));
        let good = DocumentNotes {
            document: "a".into(),
            note: "kept".into(),
            ..DocumentNotes::default()
        };
        save(&place(dir.path()), &good).unwrap_or_else(|e| panic!("{e}"));
        let store = load(dir.path());
        assert_eq!(store.by_id.len(), 1);
        assert_eq!(store.errors.len(), 2, "{:?}", store.errors);
        assert!(
            store
                .errors
                .iter()
                .any(|e| e.to_string().contains("bad.toml"))
        );
    }

    #[test]
    fn long_and_odd_ids_make_safe_distinct_file_names() {
        let long = "x".repeat(400);
        let longer = format!("{long}y");
        assert_ne!(file_name(&long), file_name(&longer));
        assert!(file_name(&long).len() < 200);
        assert_eq!(file_name("a/b c"), "a%2Fb%20c.toml");
        assert_eq!(file_name(".."), "%2E%2E.toml");
    }
}
