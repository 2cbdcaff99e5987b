//! The texts a user writes in folio (a transcription typed beside the
//! scan, a translation, a corrected OCR reading), one file per document,
//! kind and language in the sidecar's `texts` folder:
//! `<document>.<kind>.<language>.md`, each page after a `--- page N ---`
//! marker, as the document folder format writes pages, so a text can be
//! copied into a document folder as it is. A header comment names the
//! document, the kind and the language. Each file is replaced atomically
//! on its own; a file's text (the corpus's own) is never changed.

use super::{DescribeError, DescribedText, MAX_FILE};
use crate::research::sidecar::{Place, safe_name};

/// The sidecar folder that holds the user's texts.
pub const KIND: &str = "texts";

/// The first line of a text file, saying what it is.
const HEADER: &str = "<!-- folio text";

/// The file name of a text: its document, kind and language.
pub fn file_name(id: &str, text: &DescribedText) -> String {
    format!(
        "{}.{}.{}.md",
        safe_name(id),
        safe_name(&text.kind),
        safe_name(&text.language)
    )
}

/// A header value as written: no `"`, no `--` that would end the
/// comment, no line end.
fn escape(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace('"', "%22")
        .replace("--", "%2D%2D")
        .replace('\n', "%0A")
        .replace('\r', "%0D")
}

fn unescape(value: &str) -> String {
    value
        .replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%2D", "-")
        .replace("%22", "\"")
        .replace("%25", "%")
}

/// The marker that starts page `n` (from 1).
fn marker(n: usize) -> String {
    format!("--- page {n} ---")
}

/// Whether `line` would be read as a page marker (any number).
fn looks_like_marker(line: &str) -> bool {
    line.strip_prefix("--- page ")
        .and_then(|rest| rest.strip_suffix(" ---"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The file's text for `text` of document `id`. A line of the user's
/// text that reads like a page marker (after any backslashes) gets one
/// more backslash, taken off when read, so every text comes back as
/// written.
pub fn to_file(id: &str, text: &DescribedText) -> String {
    let mut out = format!(
        "{HEADER} document=\"{}\" kind=\"{}\" language=\"{}\" pages=\"{}\" -->\n",
        escape(id),
        escape(&text.kind),
        escape(&text.language),
        text.pages.len()
    );
    for (n, page) in text.pages.iter().enumerate() {
        out.push_str(&marker(n + 1));
        out.push('\n');
        for line in page.split('\n') {
            if looks_like_marker(line.trim_start_matches('\\')) {
                out.push('\\');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Reads a text file back: its document and the text.
pub fn from_file(file: &str) -> Result<(String, DescribedText), String> {
    let (first, body) = file.split_once('\n').unwrap_or((file, ""));
    let header = first
        .strip_prefix(HEADER)
        .and_then(|h| h.trim_end().strip_suffix("-->"))
        .ok_or("not a text of folio (its first line is not folio's text header)")?;
    let value = |key: &str| {
        header
            .split_once(&format!(" {key}=\""))
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(v, _)| unescape(v))
            .ok_or_else(|| format!("the header names no {key}"))
    };
    let id = value("document")?;
    let kind = value("kind")?;
    let language = value("language")?;
    let mut pages: Vec<String> = Vec::new();
    let mut lines = body.split('\n').collect::<Vec<_>>();
    // The file ends with a line end: the last piece is not a line.
    if lines.last() == Some(&"") {
        lines.pop();
    }
    let mut current: Option<Vec<String>> = None;
    for line in lines {
        if line == marker(pages.len() + usize::from(current.is_some()) + 1) {
            if let Some(done) = current.take() {
                pages.push(done.join("\n"));
            }
            current = Some(Vec::new());
            continue;
        }
        let Some(page) = current.as_mut() else {
            return Err("text before the first page marker".into());
        };
        let unescaped = match line.strip_prefix('\\') {
            Some(rest) if looks_like_marker(rest.trim_start_matches('\\')) => rest,
            _ => line,
        };
        page.push(unescaped.to_owned());
    }
    if let Some(done) = current {
        pages.push(done.join("\n"));
    }
    if pages.is_empty() {
        return Err("no page".into());
    }
    Ok((
        id,
        DescribedText {
            kind,
            language,
            pages,
        },
    ))
}

/// Writes the texts of document `id` that changed into `place`, each file
/// atomically, and removes the files of its texts that are no longer there.
pub fn save(place: &Place, id: &str, texts: &[DescribedText]) -> Result<(), DescribeError> {
    let fail = |name: &str, reason: String| DescribeError::Write {
        path: place.dir(KIND).join(name),
        reason,
    };
    let mut kept = Vec::new();
    for text in texts {
        let name = file_name(id, text);
        let file = to_file(id, text);
        // A text that did not change is not written again.
        let same = place
            .read_text(KIND, &name, MAX_FILE)
            .ok()
            .flatten()
            .is_some_and(|(kept, _)| kept == file);
        if !same {
            place
                .write(KIND, &name, file.as_bytes())
                .map_err(|e| fail(&name, e.to_string()))?;
        }
        kept.push(name);
    }
    let prefix = format!("{}.", safe_name(id));
    let listing = place.list(KIND).map_err(|e| fail("", e.to_string()))?;
    for (name, _) in listing {
        let name = name.to_string_lossy();
        if !name.starts_with(&prefix) || !name.ends_with(".md") || kept.iter().any(|k| *k == name) {
            continue;
        }
        // Another document's file may share the start of its name.
        let ours = place
            .read_text(KIND, &name, MAX_FILE)
            .ok()
            .flatten()
            .and_then(|(text, _)| from_file(&text).ok())
            .is_some_and(|(of, _)| of == id);
        if ours {
            place
                .remove(KIND, &name)
                .map_err(|e| fail(&name, e.to_string()))?;
        }
    }
    Ok(())
}

/// Every text kept in `place`, with the file's modification time, and
/// the files that could not be read; `clean_up`: temporaries of killed
/// saves old enough are removed (where folio writes).
pub fn load(
    place: &Place,
    clean_up: bool,
) -> (Vec<(String, DescribedText, i128)>, Vec<DescribeError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let listing = match place.list(KIND) {
        Ok(listing) => listing,
        Err(e) => {
            errors.push(DescribeError::Read {
                path: place.dir(KIND),
                reason: e.to_string(),
            });
            return (found, errors);
        }
    };
    if clean_up {
        place.remove_abandoned(KIND, &listing, "md");
    }
    for (name, _) in listing {
        let name = name.to_string_lossy();
        if !name.ends_with(".md") {
            continue;
        }
        let path = place.dir(KIND).join(name.as_ref());
        match place.read_text(KIND, &name, MAX_FILE) {
            Ok(Some((text, stamp))) => match from_file(&text) {
                Ok((id, text)) => found.push((id, text, stamp.modified_ns)),
                Err(reason) => errors.push(DescribeError::Read { path, reason }),
            },
            Ok(None) => {}
            Err(reason) => errors.push(DescribeError::Read { path, reason }),
        }
    }
    (found, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(pages: &[&str]) -> DescribedText {
        DescribedText {
            kind: "translation".into(),
            language: "zh-Hant".into(),
            pages: pages.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn pages_come_back_as_written_even_when_they_read_like_markers() {
        let written = text(&[
            "Первая страница.\n",
            "",
            "--- page 2 ---\n\\--- page 9 ---\nلا\n敬啟者",
            "\n\n",
        ]);
        let file = to_file("doc \"1\" -- «x»", &written);
        assert!(file.starts_with("<!-- folio text document="), "{file}");
        assert!(
            file.contains("\n--- page 3 ---\n\\--- page 2 ---\n"),
            "{file}"
        );
        assert_eq!(file.matches("-->").count(), 1, "{file}");
        assert_eq!(
            from_file(&file),
            Ok(("doc \"1\" -- «x»".to_owned(), written))
        );
    }

    #[test]
    fn a_file_of_another_program_is_refused_with_a_reason() {
        assert!(from_file("# My translation\n").is_err());
        assert!(
            from_file("<!-- folio text document=\"a\" kind=\"note\" language=\"en\" -->\nloose\n")
                .is_err()
        );
    }

    #[test]
    fn names_keep_documents_apart() {
        let t = text(&["x"]);
        assert_eq!(
            file_name("IMG_1.JPG", &t),
            "IMG_1%2EJPG.translation.zh-Hant.md"
        );
        assert_ne!(file_name("a.b", &t), file_name("a", &t));
    }
}
