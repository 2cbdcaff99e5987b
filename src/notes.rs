//! The user's notes, tags and bookmarks: per document, per page and per
//! scan region. One human-readable TOML file per document in the corpus
//! sidecar `.folio/notes/` (or, when the corpus folder cannot be written,
//! in the user's data folder), each replaced atomically (temporary file,
//! fsync, rename), so a crash or a kill leaves the old or the new version,
//! never a torn file. Never written into the user's own files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The sidecar folder in a corpus; the walk skips it (hidden).
pub const SIDECAR: &str = ".folio";

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
            "# folio notes on one document (Markdown in `note`). Safe to edit by hand\n\
             # while folio is closed; folio replaces the whole file when it saves.\n{body}"
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

/// Every document's notes of one corpus, and where they are kept.
#[derive(Debug, Clone, Default)]
pub struct NoteStore {
    /// The folder the notes files were read from.
    pub dir: PathBuf,
    /// Where they are saved.
    pub location: NotesLocation,
    pub by_id: BTreeMap<String, DocumentNotes>,
    /// Files that could not be read: they are left as they are, and the
    /// documents they are about show no notes until fixed.
    pub errors: Vec<NotesError>,
}

/// The file name for a document id: letters, digits, `-` and `_` as they
/// are, every other byte as `%XX`; long ids end in a hash instead.
pub fn file_name(id: &str) -> String {
    let mut name = String::new();
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
            name.push(char::from(byte));
        } else {
            name.push_str(&format!("%{byte:02X}"));
        }
    }
    if name.len() > 180 {
        let hash = fnv1a(id.as_bytes());
        name.truncate(160);
        while !name.is_char_boundary(name.len()) {
            name.pop();
        }
        name.push_str(&format!("~{hash:016x}"));
    }
    format!("{name}.toml")
}

/// Where the notes of a corpus go: its sidecar `.folio/notes`, or, when
/// the corpus folder cannot be written (a read-only disk, a shared
/// archive), a folder of the user's data folder named after the corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotesLocation {
    pub sidecar: PathBuf,
    pub fallback: PathBuf,
}

impl NotesLocation {
    pub fn of(root: &Path) -> Self {
        let fallback = data_dir_for(root);
        // A corpus kept in the cache (a IIIF manifest opened by URL) may be
        // cleared with the cache: its notes live in the data folder.
        let in_cache = crate::cache::base_dir().is_some_and(|base| root.starts_with(base));
        Self {
            sidecar: if in_cache {
                fallback.clone()
            } else {
                root.join(SIDECAR).join("notes")
            },
            fallback,
        }
    }

    /// The folder notes are read from: the sidecar when it exists, else
    /// the fallback when that exists (nothing is made just by looking).
    pub fn current(&self) -> &Path {
        if !self.sidecar.is_dir() && self.fallback.is_dir() {
            &self.fallback
        } else {
            &self.sidecar
        }
    }

    /// Saves `notes` where they belong: the folder in use, or the sidecar
    /// when none is yet; when the sidecar cannot be written, the fallback.
    /// Returns the folder written to.
    pub fn save(&self, notes: &DocumentNotes) -> Result<&Path, NotesError> {
        let first = self.current();
        match save(first, notes) {
            Ok(()) => Ok(first),
            Err(_) if first == self.sidecar => {
                save(&self.fallback, notes).map(|()| &*self.fallback)
            }
            Err(e) => Err(e),
        }
    }
}

/// `$XDG_DATA_HOME/folio/notes/<folder name>-<hash of its path>`.
pub fn data_dir_for(root: &Path) -> PathBuf {
    let base = std::env::var_os("FOLIO_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_DATA_HOME").map(|d| PathBuf::from(d).join("folio")))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/folio")))
        .unwrap_or_else(|| std::env::temp_dir().join("folio-data"));
    let absolute = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    let name = root
        .file_name()
        .map_or_else(|| "corpus".into(), |n| n.to_string_lossy().into_owned());
    let hash = fnv1a(absolute.as_os_str().as_encoded_bytes());
    base.join("notes").join(format!("{name}-{hash:016x}"))
}

impl NoteStore {
    /// Reads every notes file of the corpus at `root`.
    pub fn load(root: &Path) -> Self {
        let location = NotesLocation::of(root);
        let mut store = Self::load_from(location.current().to_owned());
        store.location = location;
        store
    }

    /// Reads every `*.toml` in `dir` (a missing folder is no notes).
    pub fn load_from(dir: PathBuf) -> Self {
        let mut store = Self {
            location: NotesLocation {
                sidecar: dir.clone(),
                fallback: dir.clone(),
            },
            dir,
            ..Self::default()
        };
        let Ok(entries) = std::fs::read_dir(&store.dir) else {
            return store;
        };
        let paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        remove_abandoned_temporaries(&paths);
        let mut files: Vec<PathBuf> = paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for file in files {
            match read_notes(&file) {
                Ok(notes) if notes.document.is_empty() => store.errors.push(NotesError::Read {
                    path: file,
                    reason: "no `document` id".into(),
                }),
                Ok(notes) => {
                    store.by_id.insert(notes.document.clone(), notes);
                }
                Err(e) => store.errors.push(e),
            }
        }
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

    /// Keeps `notes` in memory; the caller saves the file (see [`save`]).
    pub fn put(&mut self, notes: DocumentNotes) {
        if notes.is_empty() {
            self.by_id.remove(&notes.document);
        } else {
            self.by_id.insert(notes.document.clone(), notes);
        }
    }
}

/// Temporary files of saves that a crash or a kill cut short (the
/// finished file is still there, whole): removed once a minute old, when
/// no save can still be writing them.
fn remove_abandoned_temporaries(paths: &[PathBuf]) {
    let now = std::time::SystemTime::now();
    for path in paths {
        let is_temporary = path.extension().is_some_and(|e| e == "tmp")
            && path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains(".toml."));
        let old = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .is_ok_and(|at| now.duration_since(at).is_ok_and(|age| age.as_secs() > 60));
        if is_temporary && old {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn read_notes(file: &Path) -> Result<DocumentNotes, NotesError> {
    let error = |reason: String| NotesError::Read {
        path: file.to_owned(),
        reason,
    };
    let bytes = std::fs::read(file).map_err(|e| error(e.to_string()))?;
    if bytes.len() > 16 << 20 {
        return Err(error("larger than 16 MB".into()));
    }
    let text = String::from_utf8(bytes).map_err(|_| error("not UTF-8 text".into()))?;
    toml::from_str(&text).map_err(|e| error(e.to_string().trim().replace('\n', " ")))
}

/// Writes (or, when empty, removes) the file of `notes` in `dir`,
/// atomically.
pub fn save(dir: &Path, notes: &DocumentNotes) -> Result<(), NotesError> {
    let path = dir.join(file_name(&notes.document));
    let fail = |reason: String| NotesError::Write {
        path: path.clone(),
        reason,
    };
    if notes.is_empty() {
        return match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(fail(e.to_string())),
        };
    }
    let text = notes.to_toml()?;
    crate::cache::write_atomically(&path, text.as_bytes()).map_err(|e| fail(e.to_string()))
}

/// 64-bit FNV-1a: a hash that stays the same across builds and
/// platforms (file names must not change when folio is updated).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        save(dir.path(), &notes).unwrap_or_else(|e| panic!("{e}"));
        let store = NoteStore::load_from(dir.path().to_owned());
        assert!(store.errors.is_empty(), "{:?}", store.errors);
        assert_eq!(store.get(&notes.document), Some(&notes));
        let file = std::fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect::<Vec<_>>();
        assert_eq!(file, vec![file_name(&notes.document)]);
        assert!(!file[0].contains('/'));
        // Emptied notes remove the file.
        let emptied = DocumentNotes::new(notes.document.clone());
        save(dir.path(), &emptied).unwrap_or_else(|e| panic!("{e}"));
        assert!(NoteStore::load_from(dir.path().to_owned()).by_id.is_empty());
    }

    #[test]
    fn broken_files_are_errors_and_the_rest_loads() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("bad.toml"), "document = [")
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("anon.toml"), "note = \"x\"")
            .unwrap_or_else(|e| panic!("{e}"));
        let good = DocumentNotes {
            document: "a".into(),
            note: "kept".into(),
            ..DocumentNotes::default()
        };
        save(dir.path(), &good).unwrap_or_else(|e| panic!("{e}"));
        let store = NoteStore::load_from(dir.path().to_owned());
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
