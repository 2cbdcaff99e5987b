//! The sidecar: where folio keeps what the user writes about a corpus
//! (notes, tags, bookmarks, backups of the authority file), decided once
//! per corpus by one rule, and the only code that writes it.
//!
//! The rule ([`Sidecar::of`]): in the corpus, in the hidden folder
//! `.folio/`, when the corpus folder can be written and `.folio` (with
//! each of its folders) is a real folder; otherwise in the user's data
//! folder (`$FOLIO_DATA_DIR`, else `$XDG_DATA_HOME/folio`, else
//! `~/.local/share/folio`), in a folder per kind named after the corpus.
//! Both places are read, so nothing written to either is ever hidden;
//! saves go to the chosen one only, and a save that fails is an error the
//! user sees, never a silent save elsewhere. Everything below the corpus
//! folder is reached without following links ([`fs`]), so a planted or
//! swapped link cannot make folio read or write outside it.

pub mod fs;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub use fs::Stamp;

/// The sidecar folder in a corpus; the walk skips it (hidden).
pub const SIDECAR: &str = ".folio";

/// The kinds of the user's work, each a folder of the sidecar.
pub const KINDS: [&str; 5] = ["notes", "backups", "descriptions", "texts", "ocr"];

/// One place that holds the user's work about a corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// `<corpus>/.folio/<kind>/`.
    Corpus { root: PathBuf },
    /// `<data folder>/<kind>/<corpus name>-<hash of its path>/`.
    Data { base: PathBuf, key: String },
}

impl Default for Place {
    /// No place yet (before a corpus's sidecar is decided).
    fn default() -> Self {
        Self::Data {
            base: PathBuf::new(),
            key: String::new(),
        }
    }
}

impl Place {
    /// The trusted folder and the path below it of `kind`'s folder.
    fn folder(&self, kind: &str) -> (&Path, PathBuf) {
        match self {
            Self::Corpus { root } => (root, Path::new(SIDECAR).join(kind)),
            Self::Data { base, key } => (base, Path::new(kind).join(key)),
        }
    }

    /// The folder of `kind` as a path, for messages.
    pub fn dir(&self, kind: &str) -> PathBuf {
        let (base, relative) = self.folder(kind);
        base.join(relative)
    }

    /// The place's own folder, for messages.
    pub fn shown(&self) -> PathBuf {
        match self {
            Self::Corpus { root } => root.join(SIDECAR),
            Self::Data { base, key } => base.join("…").join(key),
        }
    }

    pub fn is_corpus(&self) -> bool {
        matches!(self, Self::Corpus { .. })
    }

    /// Replaces the file `name` of `kind` atomically (folders made).
    pub fn write(&self, kind: &str, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let (base, relative) = self.folder(kind);
        fs::write(base, &relative.join(name), bytes)
    }

    /// Removes the file `name` of `kind`, if there.
    pub fn remove(&self, kind: &str, name: &str) -> std::io::Result<()> {
        let (base, relative) = self.folder(kind);
        fs::remove(base, &relative.join(name))
    }

    /// Reads the file `name` of `kind` (at most `limit` bytes).
    pub fn read(
        &self,
        kind: &str,
        name: &str,
        limit: u64,
    ) -> std::io::Result<Option<(Vec<u8>, Stamp)>> {
        let (base, relative) = self.folder(kind);
        fs::read(base, &relative.join(name), limit)
    }

    /// The text of the file `name` of `kind` (at most `limit` bytes, UTF-8)
    /// with its stamp; `Ok(None)` when it is not there, else why it
    /// cannot be read.
    pub fn read_text(
        &self,
        kind: &str,
        name: &str,
        limit: u64,
    ) -> Result<Option<(String, Stamp)>, String> {
        let Some((bytes, stamp)) = self.read(kind, name, limit).map_err(|e| e.to_string())? else {
            return Ok(None);
        };
        let text = String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())?;
        Ok(Some((text, stamp)))
    }

    /// Removes the temporary files of saves that a crash or a kill cut
    /// short (the finished file is still there, whole) from `listing` (of
    /// `kind`, whose files end in `.extension`), once a minute old, when no
    /// save can still be writing them. Only for the place folio writes.
    pub fn remove_abandoned(&self, kind: &str, listing: &[(OsString, Stamp)], extension: &str) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        for (name, stamp) in listing {
            let name = name.to_string_lossy();
            let is_temporary = name.ends_with(&format!(".{}", fs::TEMPORARY))
                && name.contains(&format!(".{extension}."));
            if is_temporary && now - stamp.modified_ns > 60_000_000_000 {
                let _ = self.remove(kind, &name);
            }
        }
    }

    /// The files of `kind` with their stamps.
    pub fn list(&self, kind: &str) -> std::io::Result<Vec<(OsString, Stamp)>> {
        let (base, relative) = self.folder(kind);
        fs::list(base, &relative)
    }
}

/// Where the user's work about one corpus is written, what else is read,
/// and why, in a sentence the window shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sidecar {
    /// Where saves go.
    pub write_to: Place,
    /// Also read (the other place, when it exists); never written.
    pub also_read: Vec<Place>,
    /// "Your notes for this corpus are kept in …".
    pub reason: String,
}

impl Sidecar {
    /// Decides, once, where the work about the corpus at `root` is kept.
    pub fn of(root: &Path) -> Self {
        let data = Place::Data {
            base: data_base(),
            key: corpus_key(root),
        };
        let corpus = Place::Corpus {
            root: root.to_owned(),
        };
        let in_data = |why: String, also_read: Vec<Place>| Self {
            reason: format!(
                "Your notes for this corpus are kept in your data folder, {}, because {why}.",
                data.dir("notes").display()
            ),
            write_to: data.clone(),
            also_read,
        };
        // A corpus kept in the cache (a IIIF manifest opened by URL) may be
        // cleared with the cache.
        if crate::cache::base_dir().is_some_and(|base| root.starts_with(base)) {
            return in_data(
                "this corpus is a downloaded copy kept in the cache, which may be cleared".into(),
                Vec::new(),
            );
        }
        let not_real = std::iter::once(Path::new(SIDECAR).to_owned())
            .chain(KINDS.iter().map(|kind| Path::new(SIDECAR).join(kind)))
            .find(|relative| !fs::is_real_dir_or_absent(root, relative));
        if let Some(relative) = not_real {
            return in_data(
                format!(
                    "{} in the corpus is a link or a file, not a folder, and folio never follows links out of a corpus",
                    root.join(relative).display()
                ),
                Vec::new(),
            );
        }
        let sidecar = root.join(SIDECAR);
        let exists = fs::is_real_dir(root, Path::new(SIDECAR));
        let writable = if exists {
            KINDS.iter().all(|kind| {
                let dir = sidecar.join(kind);
                !dir.exists() || can_write(&dir)
            }) && can_write(&sidecar)
        } else {
            can_write(root)
        };
        let data_exists = KINDS.iter().any(|kind| data.dir(kind).is_dir());
        if writable {
            Self {
                reason: format!(
                    "Your notes for this corpus are kept in the corpus, in {}.",
                    sidecar.join("notes").display()
                ),
                write_to: corpus,
                also_read: if data_exists { vec![data] } else { Vec::new() },
            }
        } else {
            in_data(
                "the corpus folder cannot be written".into(),
                if exists { vec![corpus] } else { Vec::new() },
            )
        }
    }

    /// Every place read, the one written first.
    pub fn places(&self) -> impl Iterator<Item = &Place> {
        std::iter::once(&self.write_to).chain(&self.also_read)
    }
}

/// Whether this process may write into `dir` (permissions, read-only
/// mounts); a full disk shows only when a save fails.
fn can_write(dir: &Path) -> bool {
    rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).is_ok()
}

/// A key (a document id, a page's image) as a file name: letters,
/// digits, `-` and `_` as they are, every other byte as `%XX`; long keys
/// end in a hash instead. The caller adds the extension.
pub fn safe_name(key: &str) -> String {
    let mut name = String::new();
    for byte in key.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
            name.push(char::from(byte));
        } else {
            name.push_str(&format!("%{byte:02X}"));
        }
    }
    if name.len() > 180 {
        let hash = fnv1a(key.as_bytes());
        name.truncate(160);
        while !name.is_char_boundary(name.len()) {
            name.pop();
        }
        name.push_str(&format!("~{hash:016x}"));
    }
    name
}

/// The user's data folder for folio.
pub fn data_base() -> PathBuf {
    let from_env = crate::cache::env_folder;
    from_env("FOLIO_DATA_DIR")
        .or_else(|| from_env("XDG_DATA_HOME").map(|d| d.join("folio")))
        .or_else(|| from_env("HOME").map(|h| h.join(".local/share/folio")))
        .unwrap_or_else(|| std::env::temp_dir().join("folio-data"))
}

/// `<folder name>-<hash of its canonical path>`: the same for a corpus
/// across builds and platforms.
pub fn corpus_key(root: &Path) -> String {
    let absolute = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    let name = root
        .file_name()
        .map_or_else(|| "corpus".into(), |n| n.to_string_lossy().into_owned());
    let hash = fnv1a(absolute.as_os_str().as_encoded_bytes());
    format!("{name}-{hash:016x}")
}

/// 64-bit FNV-1a: a hash that stays the same across builds and
/// platforms (folder and file names must not change when folio is
/// updated).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linked_sidecar_is_neither_read_nor_written() {
        let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = temp.path().join("corpus");
        let elsewhere = temp.path().join("elsewhere");
        std::fs::create_dir_all(root.join(SIDECAR)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
        assert!(Sidecar::of(&root).write_to.is_corpus());
        std::os::unix::fs::symlink(&elsewhere, root.join(".folio/notes"))
            .unwrap_or_else(|e| panic!("{e}"));
        let sidecar = Sidecar::of(&root);
        assert!(!sidecar.write_to.is_corpus());
        assert!(sidecar.also_read.is_empty(), "{sidecar:?}");
        assert!(sidecar.reason.contains("link"), "{}", sidecar.reason);
    }
}
