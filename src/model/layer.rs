//! Text layers (transcription, translation, summary, note) and pages.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// What a text layer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerKind {
    /// The text of the original, in its own language.
    Transcription,
    Translation,
    Summary,
    Note,
}

impl LayerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Transcription => "transcription",
            Self::Translation => "translation",
            Self::Summary => "summary",
            Self::Note => "note",
        }
    }

    /// Reads a kind as written in file names and metadata; `original` is a
    /// transcription.
    pub fn parse(s: &str) -> Option<Self> {
        let kind = match s.trim().to_lowercase().as_str() {
            "transcription" | "original" | "transcript" | "text" => Self::Transcription,
            "translation" => Self::Translation,
            "summary" | "abstract" | "regest" => Self::Summary,
            "note" | "notes" | "commentary" => Self::Note,
            _ => return None,
        };
        Some(kind)
    }
}

/// Where a layer's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase", tag = "origin")]
pub enum Origin {
    /// A file of the corpus.
    #[default]
    File,
    /// Machine OCR kept in the sidecar, with its mean word confidence
    /// (percent).
    Ocr { confidence: u8 },
    /// Written by the user in folio.
    User,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Ocr { .. } => "ocr",
            Self::User => "user",
        }
    }
}

/// Where page N of a layer starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageBreak {
    /// Byte offset in `Layer::text` of the first character of the page.
    pub offset: usize,
    /// The page's label as marked in the text ("2", "353ob."), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Where an editor's note attaches to a text: the place in the text, the
/// note's number in the document's notes layer ("[1] …") and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteAnchor {
    /// Byte offset in the layer's text, just after what the note is on.
    pub offset: usize,
    pub number: u32,
    pub text: String,
}

/// One text of a document in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layer {
    pub kind: LayerKind,
    /// BCP 47 tag (`ru`, `en`, `zh-Hant`, `ug`).
    pub language: Option<String>,
    /// For translations: the language translated from.
    pub translated_from: Option<String>,
    pub translator: Option<String>,
    pub text: String,
    /// Starts of pages 2, 3, … (page 1 starts at 0). Empty when the text
    /// is not divided into pages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub page_breaks: Vec<PageBreak>,
    /// Where the editors' notes attach to the text (TEI `note`s inside it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub note_anchors: Vec<NoteAnchor>,
    /// The file the layer was read from, relative to the corpus root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<PathBuf>,
    /// File, machine OCR or the user.
    #[serde(flatten)]
    pub origin: Origin,
}

impl Layer {
    pub fn new(kind: LayerKind, language: Option<String>, text: impl Into<String>) -> Self {
        Self {
            kind,
            language,
            translated_from: None,
            translator: None,
            text: text.into(),
            page_breaks: Vec::new(),
            note_anchors: Vec::new(),
            source: None,
            origin: Origin::File,
        }
    }

    /// Builds a layer from text that may hold page markers: a line that is
    /// only a form feed, `[page 2]`, `[p. 2]`, `[l. 353]`, `[л. 353 об.]`,
    /// `[f. 12v]` or `--- page 2 ---`. Markers are removed from the text and
    /// become page breaks.
    pub fn with_page_markers(kind: LayerKind, language: Option<String>, raw: &str) -> Self {
        let mut text = String::with_capacity(raw.len());
        let mut breaks = Vec::new();
        // A marker seen: each next one starts a page, even an empty one.
        let mut marked = false;
        for line in raw.split_inclusive('\n') {
            let trimmed = line.trim();
            let pieces: Vec<&str> = trimmed.split('\u{c}').collect();
            if pieces.len() > 1 {
                // Form feeds: each one starts a new page.
                for (i, piece) in pieces.iter().enumerate() {
                    if i > 0 {
                        breaks.push(PageBreak {
                            offset: text.len(),
                            label: None,
                        });
                    }
                    if !piece.trim().is_empty() {
                        text.push_str(piece.trim());
                        text.push('\n');
                    }
                }
                continue;
            }
            if let Some(label) = page_marker(trimmed) {
                // A marker before any text labels page 1, which needs no break.
                if marked || !text.trim().is_empty() {
                    breaks.push(PageBreak {
                        offset: text.len(),
                        label: Some(label),
                    });
                }
                marked = true;
                continue;
            }
            text.push_str(line);
        }
        let mut layer = Self::new(kind, language, text.trim_end().to_owned());
        // Pages after the end (empty last pages) end where the text does.
        for b in &mut breaks {
            b.offset = b.offset.min(layer.text.len());
        }
        layer.page_breaks = breaks;
        layer
    }

    /// Number of pages the text is divided into (1 when undivided).
    pub fn page_count(&self) -> usize {
        self.page_breaks.len() + 1
    }

    /// The text of page `index` (0-based), or `None` past the last page.
    pub fn page_text(&self, index: usize) -> Option<&str> {
        let start = if index == 0 {
            0
        } else {
            self.page_breaks.get(index - 1)?.offset
        };
        let end = self
            .page_breaks
            .get(index)
            .map_or(self.text.len(), |b| b.offset);
        self.text.get(start..end)
    }
}

/// Reads a page-marker line; returns its label.
fn page_marker(line: &str) -> Option<String> {
    let inner = if let Some(inner) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
        inner.trim()
    } else if let Some(inner) = line.strip_prefix("---").and_then(|l| l.strip_suffix("---")) {
        inner.trim_matches('-').trim()
    } else {
        return None;
    };
    let lower = inner.to_lowercase();
    let rest = ["page", "p.", "pg.", "l.", "л.", "f.", "fol.", "стр.", "с."]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))?
        .trim();
    let starts_with_digit = rest.chars().next().is_some_and(|c| c.is_ascii_digit());
    let short = rest.chars().count() <= 12;
    (starts_with_digit && short).then(|| inner[inner.len() - rest.len()..].trim().to_owned())
}

/// A scanned page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// Image (or PDF/TIFF) file, relative to the corpus root.
    pub image: PathBuf,
    /// The page's index inside a multi-page file (PDF, TIFF), 0-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_in_file: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Lines and words with their place on the page (from ALTO/PAGE/hOCR).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
}

impl Page {
    pub fn new(image: PathBuf) -> Self {
        Self {
            image,
            index_in_file: None,
            label: None,
            regions: Vec::new(),
        }
    }
}

/// What a region of a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    Block,
    Line,
    Word,
}

/// A region of a page image linked to a stretch of text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    pub kind: RegionKind,
    /// Outline in image pixels, clockwise; a box has four points.
    pub polygon: Vec<[f32; 2]>,
    pub text: String,
    /// Index of the layer the text belongs to, and its byte range there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_range: Option<(usize, usize)>,
    /// How sure the OCR engine was of a word, 0–100, when its file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<u8>,
}

/// Words the OCR engine read with less confidence than this (in %) are
/// doubtful: marked on the scan and in the text when asked.
pub const DOUBTFUL_BELOW: u8 = 60;

impl Region {
    /// A word the OCR engine doubted.
    pub fn is_doubtful(&self) -> bool {
        self.kind == RegionKind::Word && self.confidence.is_some_and(|c| c < DOUBTFUL_BELOW)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_markers_split_text() {
        let layer = Layer::with_page_markers(
            LayerKind::Transcription,
            Some("ru".into()),
            "[л. 352]\nПервая страница.\n[л. 352 об.]\nВторая.\n--- page 3 ---\nТретья.\n",
        );
        assert_eq!(layer.page_count(), 3);
        assert_eq!(layer.page_text(0), Some("Первая страница.\n"));
        assert_eq!(layer.page_text(1), Some("Вторая.\n"));
        assert_eq!(layer.page_text(2), Some("Третья."));
        assert_eq!(layer.page_text(3), None);
        assert_eq!(layer.page_breaks[0].label.as_deref(), Some("352 об."));
    }

    #[test]
    fn form_feeds_and_plain_brackets() {
        let layer = Layer::with_page_markers(
            LayerKind::Transcription,
            None,
            "one\u{c}two\n[sic]\n[page two]\n",
        );
        assert_eq!(layer.page_count(), 2);
        assert!(layer.text.contains("[sic]"));
        assert!(layer.text.contains("[page two]"));
    }
}
