//! Where folio keeps what it can rebuild, and how it writes it.
//!
//! Caches (the parsed corpus snapshot, the full-text index) live in the
//! user's cache folder — `$FOLIO_CACHE_DIR`, else `$XDG_CACHE_HOME/folio`,
//! else `~/.cache/folio` — one folder per corpus, named by the corpus
//! folder's name and a hash of its canonical path. Never inside the
//! corpus: read-only corpora and archive drives work the same, and
//! nothing is written where the user's files are.

pub mod codec;

use std::hash::{Hash, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The folder an environment variable names, when it is set and not empty.
pub fn env_folder(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The folder that holds every corpus's cache folder.
pub fn base_dir() -> Option<PathBuf> {
    let from_env = env_folder;
    from_env("FOLIO_CACHE_DIR")
        .or_else(|| from_env("XDG_CACHE_HOME").map(|d| d.join("folio")))
        .or_else(|| from_env("HOME").map(|h| h.join(".cache").join("folio")))
}

/// In each corpus cache folder: the corpus folder it belongs to.
const ROOT_FILE: &str = "corpus-folder";

/// The cache folder of the corpus at `root`, or `None` when the user has
/// no cache or home folder.
pub fn corpus_dir(root: &Path) -> Option<PathBuf> {
    let base = base_dir()?;
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
    Some(base.join(format!("{name}-{:016x}", hasher.finish())))
}

/// Notes in `dir` (a corpus cache folder) which corpus it belongs to, so
/// that [`remove_orphans`] can tell when that corpus is gone.
pub fn mark_owner(dir: &Path, root: &Path) -> std::io::Result<()> {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    let marker = dir.join(ROOT_FILE);
    let text = canonical.to_string_lossy();
    if std::fs::read_to_string(&marker).is_ok_and(|old| old == text) {
        return Ok(());
    }
    write_atomically(&marker, text.as_bytes())
}

/// Removes the cache folders of corpora whose folder no longer exists
/// although the folder above it does (temporary, moved or deleted
/// corpora; not those on a drive that is only unplugged), if untouched for
/// a day. Returns how many were removed.
pub fn remove_orphans() -> usize {
    base_dir().map_or(0, |base| {
        remove_orphans_in(&base, std::time::Duration::from_hours(24))
    })
}

fn remove_orphans_in(base: &Path, untouched_for: std::time::Duration) -> usize {
    let Ok(listing) = std::fs::read_dir(base) else {
        return 0;
    };
    let day_ago = std::time::SystemTime::now() - untouched_for;
    let mut removed = 0;
    for item in listing.flatten() {
        let dir = item.path();
        let Ok(owner) = std::fs::read_to_string(dir.join(ROOT_FILE)) else {
            continue;
        };
        let untouched = std::fs::metadata(dir.join(ROOT_FILE))
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < day_ago);
        let owner = Path::new(owner.trim_end());
        let gone = !owner.exists() && owner.parent().is_some_and(Path::exists);
        if untouched && gone && std::fs::remove_dir_all(&dir).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Writes `bytes` to `path` so that a reader sees the old file or the
/// new one, never a torn one, even after a crash (see [`replace`]; synced).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, Durability::Synced, |file| file.write_all(bytes))
}

/// Files written by [`replace`] in this process, to name temporary files.
static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Whether [`replace`] waits for the data to reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync before the rename: a crash leaves the old or the new file.
    Synced,
    /// No fsync, for caches: a crash may leave a damaged file, which its
    /// reader must detect and ignore.
    Cache,
}

/// Replaces `path` with what `fill` writes: into a temporary file beside
/// it (named by this process and a counter, so that two folios, or two
/// threads of one, never write the same file), then renamed over `path`;
/// the temporary file is removed if anything fails.
pub fn replace(
    path: &Path,
    durability: Durability,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    let write = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    temporary.push(format!(".{}-{write}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    let written = (|| {
        // `create_new`: never through a link planted at the temporary name.
        let mut file = std::io::BufWriter::new(
            std::fs::File::options()
                .write(true)
                .create_new(true)
                .open(&temporary)?,
        );
        fill(&mut file)?;
        let file = file
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        if durability == Durability::Synced {
            file.sync_all()?;
        }
        std::fs::rename(&temporary, path)?;
        if durability == Durability::Synced
            && let Some(dir) = path.parent()
            && let Ok(dir) = std::fs::File::open(dir)
        {
            // The rename itself reaches the disk only with its folder.
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caches_of_vanished_corpora_are_removed() {
        let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let base = temp.path().join("cache");
        let corpora = temp.path().join("corpora");
        let kept = corpora.join("kept");
        let deleted = corpora.join("deleted");
        let unplugged = temp.path().join("drive").join("corpus");
        for dir in [&kept, &deleted] {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
        }
        for (name, owner) in [("a", &kept), ("b", &deleted), ("c", &unplugged)] {
            let dir = base.join(name);
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
            mark_owner(&dir, owner).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::remove_dir_all(&deleted).unwrap_or_else(|e| panic!("{e}"));
        // Touched recently: nothing goes yet.
        assert_eq!(
            remove_orphans_in(&base, std::time::Duration::from_hours(1)),
            0
        );
        assert_eq!(remove_orphans_in(&base, std::time::Duration::ZERO), 1);
        assert!(base.join("a").exists());
        assert!(!base.join("b").exists(), "its corpus folder was deleted");
        assert!(base.join("c").exists(), "its drive may only be unplugged");
    }
}
