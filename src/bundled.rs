//! The bundled corpus (the five seed documents and their authority file),
//! found on disk or written out from the copy built into the binary.
//!
//! Looked for, in order: `documents/` beside the executable or up to three
//! folders above it (a build in `target/<profile>/`), the installed data
//! folder `<prefix>/share/folio/documents` (the Debian package puts it in
//! `/usr/share/folio`), the source tree the binary was built from, and the
//! copy written earlier in the user's data folder. When none is there (a
//! `cargo install` whose source is gone), the built-in copy is written to
//! `$XDG_DATA_HOME/folio/documents` and opened from there.

use std::path::{Path, PathBuf};

/// The bundled documents: paths relative to `documents/`, and contents.
const FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The folder of the bundled documents, written out first if need be.
pub fn documents() -> Option<PathBuf> {
    on_disk().or_else(|| {
        let folder = data_folder()?;
        match write_out(&folder) {
            Ok(()) => Some(folder),
            Err(e) => {
                eprintln!(
                    "folio: cannot write the bundled documents to {}: {e}",
                    folder.display()
                );
                None
            }
        }
    })
}

/// A copy of the bundled documents already on disk.
fn on_disk() -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe.parent()
    {
        candidates.extend(dir.ancestors().take(4).map(|d| d.join("documents")));
        if let Some(prefix) = dir.parent() {
            candidates.push(prefix.join("share/folio/documents"));
        }
    }
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("documents"));
    candidates.extend(data_folder());
    candidates.into_iter().find(|c| is_complete(c))
}

/// Whether `folder` holds every bundled file (a copy cut short by a full
/// disk is written again).
fn is_complete(folder: &Path) -> bool {
    FILES.iter().all(|(relative, bytes)| {
        std::fs::metadata(folder.join(relative)).is_ok_and(|m| m.len() == bytes.len() as u64)
    })
}

/// `$XDG_DATA_HOME/folio/documents` (else `~/.local/share/folio/documents`).
fn data_folder() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share"))
        })?;
    Some(data.join("folio/documents"))
}

/// Writes the built-in copy into `folder`, each file whole (written beside
/// it, then renamed).
pub fn write_out(folder: &Path) -> std::io::Result<()> {
    for (relative, bytes) in FILES {
        let path = folder.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let partial = path.with_extension("partial");
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, &path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_copy_is_the_bundled_corpus() {
        assert!(FILES.iter().any(|(p, _)| *p == "authority.toml"));
        assert!(FILES.len() >= 10);
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let folder = dir.path().join("documents");
        assert!(!is_complete(&folder));
        write_out(&folder).unwrap_or_else(|e| panic!("{e}"));
        assert!(is_complete(&folder));
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("documents");
        for (relative, bytes) in FILES {
            let on_disk =
                std::fs::read(source.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"));
            assert_eq!(&on_disk, bytes, "{relative}");
        }
    }
}
