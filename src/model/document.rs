//! A document: metadata, people, archive reference, text layers and pages.

use std::path::PathBuf;

use serde::Serialize;

use super::{ArchiveRef, FuzzyDate, Layer, LayerKind, Page, Person, Role};
use crate::text::primary_subtag;

/// Which loader a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// A folder with `document.toml`.
    Folio,
    /// A web clip (`.txt` / `.md`).
    Clip,
    /// Page images and texts grouped by file name, with `metadata.csv`.
    Loose,
    /// A TEI P5 or `EpiDoc` XML file.
    Tei,
    /// A IIIF Presentation manifest.
    Iiif,
    /// A METS file with the images and OCR texts it lists.
    Mets,
}

/// One archival document with everything folio knows about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Unique within the corpus; stable across loads.
    pub id: String,
    pub title: String,
    /// "letter", "cable", "decision", "press release", …
    pub kind: Option<String>,
    pub date: FuzzyDate,
    pub people: Vec<Person>,
    /// Places named by the document, as written (`Ghulja [Yining]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
    /// Names its texts write with a bracketed variant, as written
    /// (`Filippov [Stalin]`): those an authority entry knows become
    /// mentions when the corpus is linked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub named_in_text: Vec<String>,
    pub archive: Option<ArchiveRef>,
    /// BCP 47 tag of the language the document was written in.
    pub original_language: Option<String>,
    pub layers: Vec<Layer>,
    pub pages: Vec<Page>,
    pub citation: Option<String>,
    pub credits: Option<String>,
    pub source_url: Option<String>,
    /// The digital archive the document was taken from, which its
    /// citation names (`Wilson Center Digital Archive`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digital_archive: Option<String>,
    /// The pages are turned right to left (a IIIF `viewingDirection` of
    /// `right-to-left`: Hebrew, Arabic, Japanese books): the next page is
    /// on the left.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pages_right_to_left: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The file or folder the document was read from, relative to the corpus root.
    pub source: PathBuf,
    pub format: SourceFormat,
    /// Things the loader noticed but could live with (an unreadable date,
    /// an unknown role): the document loaded, but this part may be missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Document {
    /// An empty document to be filled in by a loader.
    pub fn new(id: impl Into<String>, source: PathBuf, format: SourceFormat) -> Self {
        Self {
            id: id.into(),
            title: String::new(),
            kind: None,
            date: FuzzyDate::default(),
            people: Vec::new(),
            places: Vec::new(),
            named_in_text: Vec::new(),
            archive: None,
            original_language: None,
            layers: Vec::new(),
            pages: Vec::new(),
            citation: None,
            credits: None,
            source_url: None,
            digital_archive: None,
            pages_right_to_left: false,
            tags: Vec::new(),
            source,
            format,
            warnings: Vec::new(),
        }
    }

    /// The first summary layer's text.
    pub fn summary(&self) -> Option<&str> {
        self.layers
            .iter()
            .find(|l| l.kind == LayerKind::Summary)
            .map(|l| l.text.as_str())
    }

    /// People with the given role, in document order.
    pub fn people_with(&self, role: Role) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(move |p| p.role == role)
    }

    /// Every language the document has text in (original first), deduplicated.
    pub fn languages(&self) -> Vec<&str> {
        let mut langs: Vec<&str> = Vec::new();
        let candidates = self
            .original_language
            .iter()
            .map(String::as_str)
            .chain(self.layers.iter().filter_map(|l| l.language.as_deref()));
        for lang in candidates {
            if !langs.contains(&lang) {
                langs.push(lang);
            }
        }
        langs
    }

    /// Whether the document has text in, or was written in, `language`
    /// (compared by primary subtag: `zh` matches `zh-Hant`).
    pub fn has_language(&self, language: &str) -> bool {
        let wanted = primary_subtag(language).to_ascii_lowercase();
        self.languages()
            .iter()
            .any(|l| primary_subtag(l).eq_ignore_ascii_case(&wanted))
    }

    /// "A, B → C" for lists: authors, then recipients.
    pub fn correspondents(&self) -> String {
        let names = |role| {
            self.people_with(role)
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (from, to) = (names(Role::Author), names(Role::Recipient));
        match (from.is_empty(), to.is_empty()) {
            (true, true) => String::new(),
            (false, true) => from,
            (true, false) => format!("→ {to}"),
            (false, false) => format!("{from} → {to}"),
        }
    }

    /// The number of pages a reader can step through: scans, or the most
    /// pages any text layer is divided into.
    pub fn page_count(&self) -> usize {
        let text_pages = self.layers.iter().map(Layer::page_count).max().unwrap_or(0);
        self.pages.len().max(text_pages)
    }
}
