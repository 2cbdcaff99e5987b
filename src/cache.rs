//! Where folio keeps what it can rebuild, and how it writes it.
//!
//! Caches (the parsed corpus snapshot, the full-text index) live in the
//! user's cache folder — `$FOLIO_CACHE_DIR`, else `$XDG_CACHE_HOME/folio`,
//! else `~/.cache/folio` — one folder per corpus, named by the corpus
//! folder's name and a hash of its canonical path. Never inside the
//! corpus: read-only corpora and archive drives work the same, and
//! nothing is written where the user's files are.

use std::hash::{Hash, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The cache folder of the corpus at `root`, or `None` when the user has
/// no cache or home folder.
pub fn corpus_dir(root: &Path) -> Option<PathBuf> {
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
    Some(base.join(format!("{name}-{:016x}", hasher.finish())))
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
        let mut file = std::io::BufWriter::new(std::fs::File::create(&temporary)?);
        fill(&mut file)?;
        let file = file
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        if durability == Durability::Synced {
            file.sync_all()?;
        }
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}
