//! The tree keeps its design, checked mechanically: the window's crates
//! and modules are used by the window alone; the model and the authority
//! file know nothing above them; the page pipeline and file access know
//! neither corpus nor window; no source file passes 1,000 lines before
//! its unit tests; the root of `src/` holds at most 8 files.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file, by path relative to `src/`, with its code (the
/// lines before its unit tests, comments left out).
fn code() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            let code: Vec<&str> = text
                .lines()
                .take_while(|l| !l.starts_with("#[cfg(test)]"))
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect();
            let relative = path
                .strip_prefix(&src)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            (relative, code.join("\n"))
        })
        .collect()
}

/// The files of `layer` (a path prefix under `src/`) that use any of
/// `forbidden` (paths as written in code).
fn offenders(layer: &[&str], forbidden: &[&str]) -> Vec<String> {
    code()
        .into_iter()
        .filter(|(path, _)| layer.iter().any(|l| path.starts_with(l)))
        .flat_map(|(path, code)| {
            forbidden
                .iter()
                .filter(|f| code.contains(*f))
                .map(|f| format!("{path} uses {f}"))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn only_the_window_knows_egui() {
    let outside_the_window: Vec<&str> = [
        "authority.rs",
        "cache/",
        "cli.rs",
        "corpus/",
        "files/",
        "index/",
        "lib.rs",
        "model/",
        "pages/",
        "research/",
        "text/",
        "tools/",
    ]
    .to_vec();
    let found = offenders(
        &outside_the_window,
        &["egui", "eframe", "crate::ui", "folio::ui", "rfd::"],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_model_and_the_authority_file_reach_nothing_above_them() {
    let found = offenders(
        &["model/", "authority.rs", "text/"],
        &[
            "crate::corpus",
            "crate::index",
            "crate::pages",
            "crate::research",
            "crate::tools",
            "crate::ui",
            "crate::cli",
        ],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn pages_and_file_access_know_no_corpus_index_or_window() {
    let found = offenders(
        &["pages/", "files/"],
        &[
            "crate::corpus",
            "crate::index",
            "crate::research",
            "crate::tools",
            "crate::ui",
        ],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_index_and_the_corpus_know_no_window_or_tools() {
    let found = offenders(
        &["corpus/", "index/", "research/", "cache/"],
        &["crate::ui", "crate::tools", "crate::cli"],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn no_source_file_passes_1000_lines_before_its_tests() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let lines = text
                .lines()
                .take_while(|l| !l.starts_with("#[cfg(test)]"))
                .count();
            (lines > 1000).then(|| format!("{}: {lines} lines", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:#?}");
}

#[test]
fn the_root_of_src_shows_the_architecture() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files: Vec<String> = std::fs::read_dir(&src)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.len() <= 8, "{} files in src/: {files:?}", files.len());
}
