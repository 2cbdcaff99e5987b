//! The reader: a header with what is known about the open document, then
//! two or three panes side by side, each showing the scan or a text layer.
//! All panes show the same page; paging in one moves them all.

use eframe::egui::{self, RichText};

mod header;
pub mod page_editor;
mod panes;

pub use panes::fractions;

use super::Command;
use super::display::capitalized;
use super::images::ImageCache;
use super::scan::ScanView;
use super::view::View;
use crate::corpus::Corpus;
use crate::model::{Document, Layer, LayerKind};

/// A search hit in the open document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentHit {
    pub page: usize,
    pub layer: usize,
    /// Bytes of the layer's whole text.
    pub range: std::ops::Range<usize>,
}

/// What one pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneContent {
    Scan,
    /// A text layer by index in `Document::layers`.
    Layer(usize),
}

/// The open document and how it is being read.
#[derive(Debug, Clone, Default)]
pub struct ReaderView {
    /// Corpus index of the open document.
    pub document: Option<u32>,
    /// The page shown in every pane (0-based).
    pub page: usize,
    pub panes: Vec<PaneContent>,
    pub scan: ScanView,
    /// Scroll the text panes to the top on the next frame.
    pub scroll_to_top: bool,
    /// The search hit last stepped to (index into the document's hits).
    pub hit: Option<usize>,
    /// A place to scroll into view once: (layer, byte offset in its text).
    pub focus: Option<(usize, usize)>,
    /// The line chosen on the scan or in the text: (layer, byte range in
    /// its text), outlined on the scan and marked in the text.
    pub line: Option<(usize, std::ops::Range<usize>)>,
    /// The line under the pointer in a text pane (this frame's).
    pub hovered_line: Option<(usize, std::ops::Range<usize>)>,
    /// The page of a text being edited.
    pub editing: Option<page_editor::PageEditor>,
}

impl ReaderView {
    /// Opens `document` at page 1 with the default panes.
    pub fn open(&mut self, index: u32, document: &Document) {
        self.document = Some(index);
        self.page = 0;
        self.panes = default_panes(document);
        self.scan = ScanView::default();
        self.scroll_to_top = true;
        self.line = None;
    }

    /// Shows a new version of the open document (its file changed), now
    /// at `index`: the page and panes stay where they still exist.
    pub fn reopen(&mut self, index: u32, document: &Document) {
        self.document = Some(index);
        let layers = document.layers.len();
        let shows_text = self
            .panes
            .iter()
            .any(|pane| matches!(pane, PaneContent::Layer(_)));
        // A layer gone, or the first text of a document (its OCR came):
        // the panes a document opens with.
        if self
            .panes
            .iter()
            .any(|pane| matches!(pane, PaneContent::Layer(i) if *i >= layers))
            || (!shows_text && layers > 0)
        {
            self.panes = default_panes(document);
        }
        let last = document.page_count().saturating_sub(1);
        self.page = self.page.min(last);
        self.hit = None;
        self.focus = None;
        // The text moved: a chosen line's range no longer names it.
        self.line = None;
    }

    pub fn close(&mut self) {
        *self = Self::default();
    }

    /// Goes to `page` (clamped to the document).
    pub fn go_to(&mut self, page: usize, document: &Document) {
        let last = document.page_count().saturating_sub(1);
        let page = page.min(last);
        if page != self.page {
            self.page = page;
            self.scan = ScanView {
                quarter_turns: self.scan.quarter_turns,
                adjust: self.scan.adjust,
                show_lines: self.scan.show_lines,
                show_doubtful: self.scan.show_doubtful,
                ..ScanView::default()
            };
            self.line = None;
            self.scroll_to_top = true;
        }
    }
}

/// Scan | original | translation, or original | translation without a
/// scan; never fewer than two panes (a missing scan gets its notice).
pub fn default_panes(document: &Document) -> Vec<PaneContent> {
    // The user's own version of a text first.
    let first = |kind: LayerKind| {
        let of_kind = |user: bool| {
            document
                .layers
                .iter()
                .position(|l| l.kind == kind && (l.origin == crate::model::Origin::User) == user)
        };
        of_kind(true).or_else(|| of_kind(false))
    };
    let original = first(LayerKind::Transcription);
    let translation = first(LayerKind::Translation);
    let mut panes = Vec::new();
    if !document.pages.is_empty() {
        panes.push(PaneContent::Scan);
    }
    panes.extend(original.map(PaneContent::Layer));
    panes.extend(translation.map(PaneContent::Layer));
    // Other texts (a second translation, a note) fill up to two panes; the
    // summary is in the header already, so it comes after the scan notice.
    let others = |summary: bool| {
        document
            .layers
            .iter()
            .enumerate()
            .filter(move |(_, l)| (l.kind == LayerKind::Summary) == summary)
            .map(|(i, _)| PaneContent::Layer(i))
    };
    for pane in others(false).chain([PaneContent::Scan]).chain(others(true)) {
        if panes.len() >= 2 {
            break;
        }
        if !panes.contains(&pane) {
            if pane == PaneContent::Scan {
                panes.insert(0, pane);
            } else {
                panes.push(pane);
            }
        }
    }
    if panes.is_empty() {
        panes.push(PaneContent::Scan);
    }
    panes.truncate(3);
    panes
}

/// "Translation · en (from ru, Gary Goldberg)".
pub fn layer_label(layer: &Layer) -> String {
    let mut label = capitalized(layer.kind.as_str());
    if let Some(lang) = &layer.language {
        label.push_str(" · ");
        label.push_str(lang);
    }
    let mut details = Vec::new();
    if let Some(from) = &layer.translated_from {
        details.push(format!("from {from}"));
    }
    if let Some(translator) = &layer.translator {
        details.push(translator.clone());
    }
    match layer.origin {
        crate::model::Origin::File => {}
        crate::model::Origin::Ocr { confidence } => {
            details.push(format!("machine OCR, {confidence} % confidence"));
        }
        crate::model::Origin::User => details.push("written in folio".into()),
    }
    if !details.is_empty() {
        label.push_str(&format!(" ({})", details.join(", ")));
    }
    label
}

fn pane_label(document: &Document, content: PaneContent) -> String {
    match content {
        PaneContent::Scan => "Scan".to_owned(),
        PaneContent::Layer(i) => document
            .layers
            .get(i)
            .map_or_else(|| "(missing layer)".to_owned(), layer_label),
    }
}

/// What the reader needs besides the document.
#[derive(Debug)]
pub struct ReaderContext<'a> {
    pub corpus: &'a Corpus,
    /// Search hits in the open document, in reading order.
    pub hits: &'a [DocumentHit],
    pub images: &'a mut ImageCache,
    pub text_size: f32,
    pub pane_fractions: &'a [f32],
    pub reading_mode: bool,
    /// The open document is not among the listed rows (the filters or the
    /// search changed since it was opened).
    pub outside_selection: bool,
    pub notes: ReaderNotes<'a>,
    pub describe: ReaderDescribe<'a>,
}

/// What the reader's Describe section needs.
#[derive(Debug)]
pub struct ReaderDescribe<'a> {
    pub view: &'a mut super::describe::DescribeView,
    pub overlay: &'a crate::research::describe::Overlay,
    pub index: Option<&'a crate::index::facets::FacetIndex>,
    /// When the shown page's photograph was taken, if known.
    pub photographed: Option<&'a str>,
}

/// What the reader's notes section shows and edits.
#[derive(Debug)]
pub struct ReaderNotes<'a> {
    pub notes: Option<&'a crate::research::notes::DocumentNotes>,
    /// Where notes are kept, and what went wrong saving them.
    pub status: super::notes::NotesStatus<'a>,
    /// The chosen line's region, when it is one of the page's regions.
    pub region: Option<&'a super::notes::RegionAnchor>,
    pub all_tags: &'a [String],
    pub view: &'a mut super::notes::NotesView,
}

/// The reader for `self.document`.
impl View for ReaderView {
    type Data<'a> = ReaderContext<'a>;

    fn ui(&mut self, ui: &mut egui::Ui, mut cx: ReaderContext<'_>, commands: &mut Vec<Command>) {
        let Some(document) = self
            .document
            .and_then(|i| cx.corpus.documents.get(i as usize))
        else {
            ui.centered_and_justified(|ui| {
                ui.label(
                    RichText::new(
                        "Select a document in the list to read it.\n↑ ↓ move, Enter reads full width.",
                    )
                    .weak(),
                );
            });
            return;
        };
        header::header(ui, document, cx.reading_mode, commands);
        if cx.outside_selection {
            header::outside_selection(ui, commands);
        }
        header::notes_header(ui, &mut cx, self.page, commands);
        header::describe_header(ui, document, &mut cx, self.page, commands);
        ui.separator();
        header::toolbar(ui, document, self, cx.hits.len(), commands);
        ui.add_space(2.0);
        panes::panes(ui, document, &mut cx, self, commands);
        self.scroll_to_top = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceFormat;

    fn doc(layers: &[(LayerKind, &str)], pages: usize) -> Document {
        let mut d = Document::new("d", "d".into(), SourceFormat::Folio);
        for (kind, lang) in layers {
            d.layers
                .push(Layer::new(*kind, Some((*lang).to_owned()), "text"));
        }
        d.pages = (0..pages)
            .map(|i| crate::model::Page::new(format!("p{i}.png").into()))
            .collect();
        d
    }

    #[test]
    fn default_panes_put_the_scan_first() {
        use LayerKind::{Summary, Transcription, Translation};
        use PaneContent::{Layer as L, Scan};
        let d = doc(&[(Translation, "en"), (Transcription, "ru")], 2);
        assert_eq!(default_panes(&d), [Scan, L(1), L(0)]);
        let d = doc(&[(Translation, "en"), (Transcription, "ru")], 0);
        assert_eq!(default_panes(&d), [L(1), L(0)]);
        // One text and no scan: the scan pane says there is none.
        let d = doc(&[(Transcription, "en")], 0);
        assert_eq!(default_panes(&d), [Scan, L(0)]);
        // A summary is in the header: the scan notice comes first.
        let d = doc(&[(Summary, "en"), (Translation, "en")], 0);
        assert_eq!(default_panes(&d), [Scan, L(1)]);
        let d = doc(&[(Summary, "en")], 2);
        assert_eq!(default_panes(&d), [Scan, L(0)]);
        assert_eq!(default_panes(&doc(&[], 0)), [Scan]);
    }

    #[test]
    fn fractions_fall_back_to_equal() {
        assert_eq!(fractions(&[], 2), [0.5, 0.5]);
        assert_eq!(fractions(&[1.0, 3.0], 2), [0.25, 0.75]);
        assert_eq!(fractions(&[1.0, 3.0], 3).len(), 3);
    }
}
