//! File operations below a trusted folder that never follow a link.
//!
//! The sidecar sits inside a folder other people and programs may write
//! (a shared drive, a colleague's corpus, an archive download): a planted
//! or swapped symbolic link must never make folio write, or read, outside
//! it. Every operation here opens the base folder once and then walks
//! down one component at a time with `openat(O_NOFOLLOW)`, so a link at
//! any level is refused at the moment of use, not at an earlier check a
//! race could outrun. Files are replaced atomically: a temporary file
//! made with `O_EXCL` beside the target, written, synced, renamed over it
//! with `renameat` in the same folder handle, and the folder synced.

use std::ffi::OsString;
use std::io::{Read as _, Write as _};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Component, Path};
use std::sync::atomic::{AtomicU64, Ordering};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

/// What a file was when last seen: a save compares it with what is on
/// disk now to find out whether anyone else wrote the file meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Stamp {
    pub inode: u64,
    pub size: u64,
    pub modified_ns: i128,
}

impl Stamp {
    fn of(stat: &rustix::fs::Stat) -> Self {
        Self {
            inode: stat.st_ino,
            size: stat.st_size as u64,
            modified_ns: i128::from(stat.st_mtime) * 1_000_000_000 + i128::from(stat.st_mtime_nsec),
        }
    }
}

fn refused(path: &Path, what: &str) -> std::io::Error {
    std::io::Error::other(format!(
        "{} is {what}: folio does not follow links out of the folder it keeps your work in",
        path.display()
    ))
}

/// The components of `relative`, which must be plain names.
fn names(relative: &Path) -> std::io::Result<Vec<&std::ffi::OsStr>> {
    relative
        .components()
        .map(|c| match c {
            Component::Normal(name) => Ok(name),
            _ => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{} is not a plain relative path", relative.display()),
            )),
        })
        .collect()
}

fn open_dir_at(parent: impl AsFd, name: &std::ffi::OsStr) -> rustix::io::Result<OwnedFd> {
    rustix::fs::openat(
        parent,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
}

/// Opens the folder `base/relative`, each component below `base` a real
/// folder (never a link); `create` makes the missing ones. `Ok(None)`
/// when one is missing and `create` is false.
fn open_dir(base: &Path, relative: &Path, create: bool) -> std::io::Result<Option<OwnedFd>> {
    let mut dir = match rustix::fs::open(
        base,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(dir) => dir,
        Err(rustix::io::Errno::NOENT) if create => {
            std::fs::create_dir_all(base)?;
            rustix::fs::open(
                base,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?
        }
        Err(rustix::io::Errno::NOENT) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let mut walked = base.to_path_buf();
    for name in names(relative)? {
        walked.push(name);
        dir = match open_dir_at(&dir, name) {
            Ok(next) => next,
            Err(rustix::io::Errno::NOENT) if create => {
                match rustix::fs::mkdirat(&dir, name, Mode::from_raw_mode(0o755)) {
                    Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                    Err(e) => return Err(e.into()),
                }
                open_dir_at(&dir, name).map_err(|e| match e {
                    rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR => {
                        refused(&walked, "a link or a file, not a folder")
                    }
                    e => e.into(),
                })?
            }
            Err(rustix::io::Errno::NOENT) => return Ok(None),
            Err(rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR) => {
                return Err(refused(&walked, "a link or a file, not a folder"));
            }
            Err(e) => return Err(e.into()),
        };
    }
    Ok(Some(dir))
}

/// Splits `relative` into its folder and its file name.
fn split(relative: &Path) -> std::io::Result<(&Path, &std::ffi::OsStr)> {
    match (relative.parent(), relative.file_name()) {
        (Some(parent), Some(name)) => Ok((parent, name)),
        _ => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} names no file", relative.display()),
        )),
    }
}

/// Temporary files made by [`write`] in this process, to name them.
static WRITES: AtomicU64 = AtomicU64::new(0);

/// The suffix of temporary files: `<name>.<pid>-<n>.tmp`.
pub const TEMPORARY: &str = "tmp";

/// Replaces `base/relative` with `bytes`, atomically and durably, making
/// the folders below `base` as needed; nothing below `base` may be a link.
pub fn write(base: &Path, relative: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (folder, name) = split(relative)?;
    let Some(dir) = open_dir(base, folder, true)? else {
        return Err(std::io::Error::other(
            "the folder vanished while it was made",
        ));
    };
    let mut temporary = name.to_owned();
    temporary.push(format!(
        ".{}-{}.{TEMPORARY}",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let file = rustix::fs::openat(
        &dir,
        temporary.as_os_str(),
        OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o644),
    )?;
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::from(file);
        file.write_all(bytes)?;
        file.sync_all()?;
        rustix::fs::renameat(&dir, temporary.as_os_str(), &dir, name)?;
        // The rename itself reaches the disk only with its folder.
        rustix::fs::fsync(&dir)?;
        Ok(())
    })();
    if written.is_err() {
        let _ = rustix::fs::unlinkat(&dir, temporary.as_os_str(), AtFlags::empty());
    }
    written
}

/// Removes `base/relative`; a missing file is no error.
pub fn remove(base: &Path, relative: &Path) -> std::io::Result<()> {
    let (folder, name) = split(relative)?;
    let Some(dir) = open_dir(base, folder, false)? else {
        return Ok(());
    };
    match rustix::fs::unlinkat(&dir, name, AtFlags::empty()) {
        Ok(()) | Err(rustix::io::Errno::NOENT) => {}
        Err(e) => return Err(e.into()),
    }
    rustix::fs::fsync(&dir)?;
    Ok(())
}

/// Reads `base/relative` when it is a regular file (never through a
/// link) of at most `limit` bytes, with its stamp; `Ok(None)` when it
/// does not exist.
pub fn read(base: &Path, relative: &Path, limit: u64) -> std::io::Result<Option<(Vec<u8>, Stamp)>> {
    let (folder, name) = split(relative)?;
    let Some(dir) = open_dir(base, folder, false)? else {
        return Ok(None);
    };
    let fd = match rustix::fs::openat(
        &dir,
        name,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::NOENT) => return Ok(None),
        Err(rustix::io::Errno::LOOP) => {
            // The caller names the file.
            return Err(std::io::Error::other(
                "it is a link, and folio does not follow links out of the folder it keeps your work in",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let stat = rustix::fs::fstat(&fd)?;
    if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    let stamp = Stamp::of(&stat);
    if stamp.size > limit {
        return Err(std::io::Error::other(format!(
            "larger than {} MB",
            limit / (1024 * 1024)
        )));
    }
    let mut bytes = Vec::with_capacity(stamp.size as usize);
    std::fs::File::from(fd)
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other("grew past its limit while read"));
    }
    Ok(Some((bytes, stamp)))
}

/// The regular files directly in `base/relative` (links and folders left
/// out) with their stamps, sorted by name; empty when it does not exist.
pub fn list(base: &Path, relative: &Path) -> std::io::Result<Vec<(OsString, Stamp)>> {
    let Some(dir) = open_dir(base, relative, false)? else {
        return Ok(Vec::new());
    };
    let mut files = Vec::new();
    for entry in rustix::fs::Dir::read_from(&dir)? {
        let entry = entry?;
        let name = entry.file_name().to_bytes();
        if name == b"." || name == b".." {
            continue;
        }
        let Ok(stat) = rustix::fs::statat(&dir, entry.file_name(), AtFlags::SYMLINK_NOFOLLOW)
        else {
            continue; // removed meanwhile
        };
        if FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile {
            files.push((
                std::ffi::OsStr::from_bytes(name).to_owned(),
                Stamp::of(&stat),
            ));
        }
    }
    files.sort();
    Ok(files)
}

/// Whether `base/relative` is a real folder (no link on the way), or
/// does not exist yet and could be made under real folders.
pub fn is_real_dir_or_absent(base: &Path, relative: &Path) -> bool {
    open_dir(base, relative, false).is_ok()
}

/// Whether the folder `base/relative` exists and is real all the way.
pub fn is_real_dir(base: &Path, relative: &Path) -> bool {
    matches!(open_dir(base, relative, false), Ok(Some(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_read_back_and_links_are_refused() {
        let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let base = temp.path().join("corpus");
        let outside = temp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap_or_else(|e| panic!("{e}"));
        write(&base, Path::new(".folio/notes/a.toml"), b"one").unwrap_or_else(|e| panic!("{e}"));
        let (bytes, first) = read(&base, Path::new(".folio/notes/a.toml"), 100)
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("written"));
        assert_eq!(bytes, b"one");
        write(&base, Path::new(".folio/notes/a.toml"), b"two!").unwrap_or_else(|e| panic!("{e}"));
        let listed = list(&base, Path::new(".folio/notes")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(listed.len(), 1, "no temporary file left: {listed:?}");
        assert_ne!(listed[0].1, first, "a new stamp");
        // A link planted for the notes folder is refused, not followed.
        std::fs::create_dir_all(base.join(".other")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(&outside, base.join(".other/notes"))
            .unwrap_or_else(|e| panic!("{e}"));
        let error = write(&base, Path::new(".other/notes/a.toml"), b"x")
            .err()
            .unwrap_or_else(|| panic!("wrote through a link"));
        assert!(error.to_string().contains("link"), "{error}");
        assert!(read(&base, Path::new(".other/notes/a.toml"), 100).is_err());
        assert_eq!(
            std::fs::read_dir(&outside)
                .unwrap_or_else(|e| panic!("{e}"))
                .count(),
            0
        );
        // A link in place of the file itself is neither read nor listed.
        std::os::unix::fs::symlink("/etc/hostname", base.join(".folio/notes/b.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(read(&base, Path::new(".folio/notes/b.toml"), 100).is_err());
        let listed = list(&base, Path::new(".folio/notes")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(listed.len(), 1);
        // Writing over it replaces the link, never its target.
        write(&base, Path::new(".folio/notes/b.toml"), b"mine").unwrap_or_else(|e| panic!("{e}"));
        assert!(
            std::fs::symlink_metadata(base.join(".folio/notes/b.toml"))
                .is_ok_and(|m| m.file_type().is_file())
        );
        assert!(!is_real_dir_or_absent(&base, Path::new(".other/notes")));
        assert!(is_real_dir_or_absent(&base, Path::new(".none/x")));
        assert!(is_real_dir(&base, Path::new(".folio")));
    }
}
