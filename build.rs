//! Hashes the sources of what the corpus snapshot stores (the parsers, the
//! model and the codec), so that a snapshot written by another build of
//! them is never reused: changing how a file is read cannot leave old
//! results in a user's cache.

use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return;
    };
    for item in listing.flatten() {
        let path = item.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    // Parsing uses the text helpers (scripts, language guesses, folding).
    for dir in ["src/corpus", "src/model", "src/text"] {
        println!("cargo:rerun-if-changed={dir}");
        rust_files(Path::new(dir), &mut files);
    }
    // The codec writes the snapshot; the PDF reader counts pages in it;
    // the remote fetcher brings IIIF OCR into it.
    for file in [
        "src/cache/codec.rs",
        "src/pages/pdf.rs",
        "src/files/remote.rs",
    ] {
        // A file moved without this list following would silently drop
        // out of the hash.
        assert!(
            Path::new(file).is_file(),
            "build.rs: {file} is gone; update the list"
        );
        files.push(PathBuf::from(file));
    }
    files.sort();
    // SipHash with fixed keys: the same sources give the same value.
    let mut hasher = std::hash::DefaultHasher::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        file.to_string_lossy().hash(&mut hasher);
        std::fs::read(file).unwrap_or_default().hash(&mut hasher);
    }
    println!(
        "cargo:rustc-env=FOLIO_SNAPSHOT_SOURCES={:016x}",
        hasher.finish()
    );
}
