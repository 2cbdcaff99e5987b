//! Two things made at build time:
//!
//! - a hash of the sources of what the corpus snapshot stores (the
//!   parsers, the model and the codec), so that a snapshot written by
//!   another build of them is never reused: changing how a file is read
//!   cannot leave old results in a user's cache;
//! - the list of the bundled corpus's files (`documents/`), embedded in the
//!   binary so that an installed `folio` (cargo install, a package without
//!   its data folder) can open it anywhere (`src/bundled.rs`). Hand-written
//!   rather than a crate such as `include_dir`: it is a few lines and adds
//!   nothing to the dependency tree.

use std::fmt::Write as _;
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
    snapshot_sources();
    bundled_documents();
}

fn snapshot_sources() {
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

fn bundled_documents() {
    println!("cargo:rerun-if-changed=documents");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("documents");
    let mut files = Vec::new();
    every_file(&root, &mut files);
    files.sort();
    let mut code = String::from("&[\n");
    for file in &files {
        let Ok(relative) = file.strip_prefix(&root) else {
            continue;
        };
        // The path from the crate's folder at compile time, not this
        // script's absolute one: a build folder shared by two checkouts
        // must not read the other's files.
        let relative = relative.to_string_lossy().replace('\\', "/");
        let _ = writeln!(
            code,
            "    ({relative:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/documents/\", {relative:?}))),"
        );
    }
    code.push(']');
    let Some(out) = std::env::var_os("OUT_DIR") else {
        panic!("cargo sets OUT_DIR for build scripts");
    };
    if let Err(e) = std::fs::write(Path::new(&out).join("bundled.rs"), code) {
        panic!("cannot write the bundled documents' list: {e}");
    }
}

/// Every file under `dir`, hidden ones (a `.folio/` sidecar) left out.
fn every_file(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            every_file(&path, files);
        } else {
            files.push(path);
        }
    }
}
