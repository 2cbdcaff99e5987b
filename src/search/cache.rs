//! Where full-text indexes are kept between runs, and when one may be
//! reused.
//!
//! Indexes are caches: they live in the user's cache folder
//! (`$FOLIO_CACHE_DIR`, else `$XDG_CACHE_HOME/folio`, else
//! `~/.cache/folio`), one folder per corpus (named by a hash of its
//! canonical path), never inside the corpus, so read-only and shared
//! corpora work the same. Inside, each index is a folder named by the
//! fingerprint of what it indexes; it is written under a scratch name and
//! renamed when complete, and older ones are removed after a new one lands.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::corpus::Corpus;

/// Marker file written last into a complete index folder.
pub const COMPLETE: &str = "complete";

/// Bumped whenever the schema or the analysis changes, so old indexes are
/// never read with new rules.
const INDEX_VERSION: u32 = 1;

/// Where an index came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Opened from the cache: the texts had not changed.
    Cache,
    /// Built now and stored in the cache.
    Built,
    /// Built now in memory (no cache folder, or it could not be written).
    Memory,
}

/// The cache folder of the corpus at `root`.
pub fn dir_for(root: &Path) -> Option<PathBuf> {
    let from_env = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = from_env("FOLIO_CACHE_DIR")
        .or_else(|| from_env("XDG_CACHE_HOME").map(|d| d.join("folio")))
        .or_else(|| from_env("HOME").map(|h| h.join(".cache").join("folio")))?;
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    let mut hasher = std::hash::DefaultHasher::new();
    canonical.hash(&mut hasher);
    let name = canonical
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-')
                .take(40)
                .collect::<String>()
        })
        .unwrap_or_default();
    Some(
        base.join("index")
            .join(format!("{name}-{:016x}", hasher.finish())),
    )
}

/// A hash of everything the index holds: every document's id, title,
/// citation, texts and languages, and its people with their authority
/// names, in corpus order (which the loader keeps stable). Any edit to a
/// file that changes what is indexed changes the fingerprint.
pub fn fingerprint(corpus: &Corpus) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    INDEX_VERSION.hash(&mut hasher);
    corpus.documents.len().hash(&mut hasher);
    for document in &corpus.documents {
        document.id.hash(&mut hasher);
        document.title.hash(&mut hasher);
        document.citation.hash(&mut hasher);
        for layer in &document.layers {
            layer.language.hash(&mut hasher);
            layer.text.hash(&mut hasher);
        }
        for person in &document.people {
            person.name.hash(&mut hasher);
            person.aliases.hash(&mut hasher);
            person.authority.hash(&mut hasher);
        }
    }
    for entry in &corpus.authority.people {
        entry.id.hash(&mut hasher);
        entry.name.hash(&mut hasher);
        entry.variants.hash(&mut hasher);
    }
    format!("v{INDEX_VERSION}-{:016x}", hasher.finish())
}

/// Removes the indexes in `cache` other than `keep` (and stale scratch
/// folders of builds that did not finish).
pub fn remove_others(cache: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let scratch_of_dead_process = name
            .strip_prefix("building-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
        if (name.starts_with('v') && name != keep) || scratch_of_dead_process {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
