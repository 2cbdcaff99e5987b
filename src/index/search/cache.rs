//! Where full-text indexes are kept between runs, and when one may be
//! reused.
//!
//! Indexes are caches: they live in the corpus's folder of the user's
//! cache ([`crate::cache`]), never inside the corpus, so read-only and
//! shared corpora work the same. Inside, one folder per index version
//! ([`current`]), updated in place document by document; a new one is
//! written under a scratch name and renamed when complete, and folders of
//! other versions are removed after a new one lands.

use std::path::{Path, PathBuf};

/// Marker file written last into a complete index folder.
pub const COMPLETE: &str = "complete";

/// Bumped whenever the schema or the analysis changes, so old indexes are
/// never read with new rules.
pub const INDEX_VERSION: u32 = 4;

/// The folder of the index of this version.
pub fn current() -> String {
    format!("v{INDEX_VERSION}")
}

/// Where an index came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Opened from the cache: no document had changed.
    Cache,
    /// Opened from the cache, and this many documents re-indexed, added
    /// or removed because their files changed.
    Updated(usize),
    /// Built now and stored in the cache.
    Built,
    /// Built now in memory (no cache folder, or it could not be written).
    Memory,
}

/// The cache folder of the corpus at `root`.
pub fn dir_for(root: &Path) -> Option<PathBuf> {
    crate::cache::corpus_dir(root).map(|dir| dir.join("index"))
}

/// Removes the indexes in `cache` other than [`current`] (older versions,
/// and scratch folders of builds whose process is gone).
pub fn remove_others(cache: &Path) {
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
        if (name.starts_with('v') && *name != current()) || scratch_of_dead_process {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
