//! Opening a corpus file so that it cannot lead outside the corpus.
//!
//! The walk refuses links that resolve outside the corpus, but a link can
//! be swapped between that check and the moment a parser or a page
//! decoder opens the file. [`open`] therefore checks the file it actually
//! opened: on Linux the kernel names it (`/proc/self/fd/N`), and a file
//! named inside an opened corpus must lie inside that corpus's real
//! folder. Corpus roots are registered by [`confine`] when a corpus is
//! opened (`corpus::open`), for every reader in the process: parsers, the
//! follower, the page decoders.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// Corpus folders opened in this process: as named, and their real path.
static ROOTS: RwLock<Vec<(PathBuf, PathBuf)>> = RwLock::new(Vec::new());

/// Registers `root` (as named and its canonical form): from now on,
/// files named inside it are opened only when they lie inside it.
pub fn confine(root: &Path, canonical: &Path) {
    let Ok(mut roots) = ROOTS.write() else {
        return;
    };
    for named in [root.to_owned(), canonical.to_owned()] {
        if !roots.iter().any(|(r, _)| *r == named) {
            roots.push((named, canonical.to_owned()));
        }
    }
}

/// Reads the whole file at `path`, opened by [`open`].
pub fn read_all(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut file = open(path)?;
    let mut bytes = Vec::with_capacity(file.metadata().map_or(0, |m| m.len() as usize));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens `path` for reading, refusing what is not a regular file (a
/// FIFO would block, a device would be read) and a file that a link,
/// planted or swapped, leads outside the corpus it is named in.
pub fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::fd::AsRawFd as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let file = std::fs::File::options()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let inside: Vec<PathBuf> = ROOTS.read().map_or_else(
        |_| Vec::new(),
        |roots| {
            roots
                .iter()
                .filter(|(named, _)| path.starts_with(named))
                .map(|(_, canonical)| canonical.clone())
                .collect()
        },
    );
    if inside.is_empty() {
        return Ok(file);
    }
    match std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
        Ok(real) if inside.iter().any(|root| real.starts_with(root)) => Ok(file),
        Ok(_) => Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "a link leads outside the corpus (it changed after the folder was read); not read",
        )),
        // No /proc (not Linux): the walk's check stands alone.
        Err(_) => Ok(file),
    }
}

/// The size of the file at `path` when it is at most `limit` bytes;
/// else why not, naming it `what` ("the PDF file", "the image file").
/// Only the file's metadata is looked at; its bytes are read through
/// [`open`].
///
/// # Errors
/// The file cannot be read, or is larger than `limit`.
pub fn size_within(path: &Path, limit: u64, what: &str) -> Result<u64, String> {
    let length = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {what}: {e}"))?
        .len();
    if length > limit {
        return Err(format!(
            "{what} is {} MB, over the limit of {} MB",
            length / (1024 * 1024),
            limit / (1024 * 1024)
        ));
    }
    Ok(length)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_a_link_leads_outside_its_corpus_is_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("own.txt"), "own").unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("../secret.txt", root.join("link.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("own.txt", root.join("inner.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        let canonical = root.canonicalize().unwrap_or_else(|e| panic!("{e}"));
        confine(&root, &canonical);
        assert!(open(&root.join("own.txt")).is_ok());
        assert!(
            open(&root.join("inner.txt")).is_ok(),
            "links inside stay readable"
        );
        let refused = open(&root.join("link.txt")).err().map(|e| e.to_string());
        assert!(
            refused
                .as_deref()
                .is_some_and(|e| e.contains("outside the corpus")),
            "{refused:?}"
        );
        // A FIFO would block a reader: refused, without blocking.
        let fifo = root.join("fifo.txt");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            assert!(open(&fifo).is_err());
        }
    }
}
