//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `../shared/seeds`, the raw seed clips.
pub fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds")
}

/// `../shared/samples`, the public sample files.
pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples")
}

/// `../shared/conformance`, real files from other producers and the
/// official CSL schema and a CSL style.
pub fn conformance() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance")
}

/// True, after printing one line saying so, when `../shared/<folder>` is
/// not beside the project (a clone of the repository alone): the test
/// that asks returns early. CI has it, so there every test runs.
pub fn missing_shared(folder: &str) -> bool {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(folder);
    if path.is_dir() {
        return false;
    }
    eprintln!(
        "skipped: ../shared/{folder} is not beside the project (it holds the files from other producers this test reads)"
    );
    true
}

/// The bundled corpus.
pub fn documents() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("documents")
}

/// Runs the folio binary (its search indexes cached in a folder of the
/// test run, never in the user's cache).
pub fn folio(args: &[&str]) -> Output {
    folio_with_cache(args, &std::env::temp_dir().join("folio-test-cache"))
}

/// Runs the folio binary with its caches in `cache` (which need not be a
/// folder that can be made).
pub fn folio_with_cache(args: &[&str], cache: &Path) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("FOLIO_CACHE_DIR", cache)
        .output()
    {
        Ok(output) => output,
        Err(e) => panic!("cannot run folio: {e}"),
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Parses JSON Lines.
pub fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    stdout(output)
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("bad JSON line {line:?}: {e}"))
        })
        .collect()
}

/// Writes `contents` to `dir/rel`, creating folders.
pub fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|e| panic!("mkdir {}: {e}", parent.display()));
    }
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Every file below `root` with its contents, by relative path.
pub fn files(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for item in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = item.path();
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            } else if path.is_file() {
                let rel = path
                    .strip_prefix(root)
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    out
}

/// A little-endian TIFF with one image directory of `entries` (tag, type,
/// count, value), padded to `data_offset`, then `data`.
pub fn tiff_bytes(entries: &[(u16, u16, u32, u32)], data_offset: usize, data: &[u8]) -> Vec<u8> {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, count, value) in entries {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    }
    // No next directory.
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.resize(data_offset.max(tiff.len()), 0);
    tiff.extend_from_slice(data);
    tiff
}

/// Copies the folder `from` to `to` (made), recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{e}"));
    for item in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{e}")) {
        let item = item.unwrap_or_else(|e| panic!("{e}"));
        let target = to.join(item.file_name());
        if item.path().is_dir() {
            copy_tree(&item.path(), &target);
        } else {
            std::fs::copy(item.path(), &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Opens `root` with its snapshot at `snapshot` and writes the snapshot
/// when it is stale, as the window and the CLI do.
pub fn open_and_save(
    root: &Path,
    snapshot: &Path,
) -> (folio::corpus::Corpus, folio::corpus::Reuse) {
    let opened = folio::corpus::open(
        root,
        &folio::corpus::LoadOptions::default(),
        Some(snapshot),
        &|_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    if opened.sources.snapshot_is_stale() {
        opened
            .sources
            .write_snapshot(&opened.corpus, snapshot, b"views")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    (opened.corpus, opened.sources.reuse)
}

/// A small JPEG photograph at `dir/name` whose EXIF says it was taken at
/// `taken` (`2024:05:14 10:00:00`), as a camera writes it.
pub fn photo(dir: &Path, name: &str, taken: Option<&str>) {
    let mut image = image::RgbImage::new(64, 80);
    for (x, y, pixel) in image.enumerate_pixels_mut() {
        *pixel = image::Rgb([200, (x * 3) as u8, (y * 3) as u8]);
    }
    let mut jpeg = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let bytes = match taken {
        Some(taken) => {
            let mut with = jpeg[..2].to_vec();
            with.extend(exif_segment(taken));
            with.extend(&jpeg[2..]);
            with
        }
        None => jpeg,
    };
    write(dir, name, bytes);
}

/// A JPEG APP1 segment with a TIFF block whose Exif IFD holds
/// `DateTimeOriginal`.
fn exif_segment(taken: &str) -> Vec<u8> {
    let mut time = taken.as_bytes().to_vec();
    time.push(0);
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    // IFD0: one entry pointing at the Exif IFD.
    let exif_ifd = 8 + 2 + 12 + 4;
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(0x8769u16.to_le_bytes());
    tiff.extend(4u16.to_le_bytes());
    tiff.extend(1u32.to_le_bytes());
    tiff.extend((exif_ifd as u32).to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    // Exif IFD: DateTimeOriginal (ASCII), its value after the IFD.
    let value_at = exif_ifd + 2 + 12 + 4;
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(0x9003u16.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend((time.len() as u32).to_le_bytes());
    tiff.extend((value_at as u32).to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(time);
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((payload.len() + 2) as u16).to_be_bytes());
    segment.extend(payload);
    segment
}

/// Every file under `dir` (the sidecar `.folio` aside) with its bytes.
pub fn files_of(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".folio") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                files.insert(path, bytes);
            }
        }
    }
    files
}
