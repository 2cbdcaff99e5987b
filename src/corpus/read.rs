//! Reading a text file strictly: size limit, no binary, UTF-8 (with or
//! without BOM) or UTF-16 with a BOM; anything else is an error that says
//! what is wrong with the file.
//!
use std::io::Read;
use std::path::Path;

/// Text files larger than this are refused (a transcription is far smaller).
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// Text files larger than this count against the load's budget.
pub const LARGE_TEXT: u64 = 8 * 1024 * 1024;

/// What one load reads at most of large texts, in all: parsing holds a
/// few copies of a text at once, so without it a folder of many huge
/// files (or one file hard-linked many times) takes gigabytes.
pub const LARGE_TEXTS_PER_LOAD: u64 = 256 * 1024 * 1024;

thread_local! {
    /// The budget of large texts left to the load this thread parses for.
    static LOAD_BUDGET: std::cell::RefCell<Option<std::sync::Arc<std::sync::atomic::AtomicU64>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `job` with `budget` as the large-text budget of this thread's
/// reads (each parsing thread of a load shares one).
pub fn with_load_budget<T>(
    budget: &std::sync::Arc<std::sync::atomic::AtomicU64>,
    job: impl FnOnce() -> T,
) -> T {
    let before = LOAD_BUDGET.with(|b| b.replace(Some(budget.clone())));
    let result = job();
    LOAD_BUDGET.with(|b| *b.borrow_mut() = before);
    result
}

/// Takes `length` bytes of a large text from the load's budget, or says
/// why the file is not read.
fn charge_large_text(length: u64) -> Result<(), String> {
    if length <= LARGE_TEXT {
        return Ok(());
    }
    let Some(budget) = LOAD_BUDGET.with(|b| b.borrow().clone()) else {
        return Ok(());
    };
    budget
        .fetch_update(
            std::sync::atomic::Ordering::Relaxed,
            std::sync::atomic::Ordering::Relaxed,
            |left| left.checked_sub(length),
        )
        .map(|_| ())
        .map_err(|_| {
            format!(
                "not read: this {} MiB text would take the large texts of this corpus past {} MiB, the most one load reads (split it into smaller files)",
                length / 1024 / 1024,
                LARGE_TEXTS_PER_LOAD / 1024 / 1024
            )
        })
}

use crate::files::confined::open;

/// The first `limit` bytes of `path` (fewer for a shorter file; none when
/// it cannot be read), for telling formats apart without reading it all.
pub fn head(path: &Path, limit: usize) -> Vec<u8> {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(limit);
    if let Ok(file) = open(path) {
        let _ = file.take(limit as u64).read_to_end(&mut head);
    }
    head
}

/// Parses XML `text` with no DTD (so no entity expansion, no external
/// fetch) and at most `nodes_limit` nodes.
pub fn parse_xml(text: &str, nodes_limit: u32) -> Result<roxmltree::Document<'_>, String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| format!("not well-formed XML: {e}"))
}

/// Reads `path` as text, or says why it is not readable text.
pub fn read_text(path: &Path) -> Result<String, String> {
    let file = open(path).map_err(|e| format!("cannot open: {e}"))?;
    // Sized from the file's length (capped), so that a file is read in one
    // call instead of growing a buffer from a few bytes.
    let length = file
        .metadata()
        .map_or(0, |m| m.len())
        .min(MAX_TEXT_BYTES + 1);
    let mut bytes = Vec::with_capacity(length as usize + 1);
    file.take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(format!(
            "larger than the {} MiB limit for text files",
            MAX_TEXT_BYTES / 1024 / 1024
        ));
    }
    charge_large_text(bytes.len() as u64)?;
    decode_text(bytes)
}

/// Decodes file bytes as text (see [`read_text`]).
pub fn decode_text(mut bytes: Vec<u8>) -> Result<String, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty file".into());
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if bytes.iter().take(8192).any(|b| *b == 0) {
        return Err("binary content (NUL bytes), not a text file".into());
    }
    let has_carriage_returns = memchr::memchr(b'\r', &bytes).is_some();
    // Taken as it is, without a copy: a large file is held once.
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(if has_carriage_returns {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

fn decode_utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("UTF-16 text with an odd number of bytes (truncated?)".into());
    }
    let units = bytes.chunks_exact(2).map(|pair| read([pair[0], pair[1]]));
    let text: String = char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| {
            format!(
                "not valid UTF-16 (unpaired surrogate {:#06x})",
                e.unpaired_surrogate()
            )
        })?;
    if text.trim().is_empty() {
        return Err("empty file".into());
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Checks that `rel` (relative to `root`) is a regular file that stays
/// inside the corpus once symbolic links are resolved.
///
/// `trusted` is a folder the walk reached, so it is inside the corpus.
/// When `rel` lies below it through plain folders (no links, no `..`),
/// one `lstat` per component below `trusted` proves it; otherwise the
/// whole path is resolved.
pub fn check_inside(root: &Path, trusted: &Path, rel: &Path) -> Result<(), String> {
    if let Ok(below) = rel.strip_prefix(trusted)
        && below
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        let parts: Vec<_> = below.components().collect();
        let mut at = root.join(trusted);
        for (i, part) in parts.iter().enumerate() {
            at.push(part);
            let meta = std::fs::symlink_metadata(&at).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => "does not exist".to_owned(),
                _ => format!("cannot read: {e}"),
            })?;
            if meta.file_type().is_symlink() {
                break;
            }
            if i + 1 == parts.len() {
                return if meta.is_file() {
                    Ok(())
                } else {
                    Err("is not a regular file".to_owned())
                };
            }
        }
    }
    resolve_inside(root, rel)
}

/// [`check_inside`] by resolving every link of the path.
fn resolve_inside(root: &Path, rel: &Path) -> Result<(), String> {
    let abs = root.join(rel);
    let target = std::fs::canonicalize(&abs).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".to_owned(),
        _ => format!("cannot resolve: {e}"),
    })?;
    let canonical_root = std::fs::canonicalize(root)
        .map_err(|e| format!("cannot resolve the corpus folder: {e}"))?;
    if !target.starts_with(&canonical_root) {
        return Err(format!(
            "is a link to {} outside the corpus; not read",
            target.display()
        ));
    }
    if !target.is_file() {
        return Err("is not a regular file".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_texts_share_one_budget_per_load() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let text = "Строка текста.\n".repeat((LARGE_TEXT as usize) / 20);
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
        for path in [&a, &b] {
            std::fs::write(path, &text).unwrap_or_else(|e| panic!("{e}"));
        }
        // Outside a load, no budget applies.
        assert!(read_text(&a).is_ok());
        let budget =
            std::sync::Arc::new(std::sync::atomic::AtomicU64::new(text.len() as u64 + 1024));
        with_load_budget(&budget, || {
            assert_eq!(
                read_text(&a).as_deref(),
                Ok(text.as_str()),
                "read without a copy"
            );
            let refused = read_text(&b).err().unwrap_or_default();
            assert!(refused.contains("the most one load reads"), "{refused}");
            // Small texts are not counted.
            std::fs::write(dir.path().join("c.txt"), "small\n").unwrap_or_else(|e| panic!("{e}"));
            assert!(read_text(&dir.path().join("c.txt")).is_ok());
        });
    }

    #[test]
    fn decodes_and_refuses() {
        assert_eq!(
            decode_text(b"hello\r\nworld".to_vec()),
            Ok("hello\nworld".into())
        );
        assert_eq!(decode_text(b"\xEF\xBB\xBFtext".to_vec()), Ok("text".into()));
        assert_eq!(
            decode_text([0xFF, 0xFE, b'h', 0, b'i', 0].to_vec()),
            Ok("hi".into())
        );
        assert_eq!(
            decode_text([0xFE, 0xFF, 0, b'h', 0, b'i'].to_vec()),
            Ok("hi".into())
        );
        assert!(decode_text(b"".to_vec()).is_err_and(|e| e.contains("empty")));
        assert!(decode_text(b"  \n ".to_vec()).is_err_and(|e| e.contains("empty")));
        assert!(decode_text(b"ab\0cd".to_vec()).is_err_and(|e| e.contains("binary")));
        assert!(decode_text(b"ab\xFFcd".to_vec()).is_err_and(|e| e.contains("offset 2")));
        assert!(decode_text([0xFF, 0xFE, b'h'].to_vec()).is_err_and(|e| e.contains("odd")));
    }
}
