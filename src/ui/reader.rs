//! The reader: a header with what is known about the open document, then
//! two or three panes side by side, each showing the scan or a text layer.
//! All panes show the same page; paging in one moves them all.

use eframe::egui::{self, RichText};

pub use super::text_body::{TextOutcome, text_body};

use super::Command;
use super::display::{capitalized, display_line};
use super::images::{ImageCache, ImageKey};
use super::scan::{self, ScanAction, ScanView};
use crate::corpus::Corpus;
use crate::model::{Document, Layer, LayerKind, Role};
use crate::research::export::Format;

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
        if self
            .panes
            .iter()
            .any(|pane| matches!(pane, PaneContent::Layer(i) if *i >= layers))
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
    let original = document
        .layers
        .iter()
        .position(|l| l.kind == LayerKind::Transcription);
    let translation = document
        .layers
        .iter()
        .position(|l| l.kind == LayerKind::Translation);
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
    pub notes: ReaderNotes<'a>,
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

/// Draws the reader for `view.document`; returns the user's commands.
pub fn show(ui: &mut egui::Ui, mut cx: ReaderContext<'_>, view: &mut ReaderView) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(document) = view
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
        return commands;
    };
    header(ui, document, cx.reading_mode, &mut commands);
    notes_header(ui, &mut cx, view.page, &mut commands);
    ui.separator();
    toolbar(ui, document, view, cx.hits.len(), &mut commands);
    ui.add_space(2.0);
    panes(ui, document, &mut cx, view, &mut commands);
    view.scroll_to_top = false;
    commands
}

/// The collapsible notes section under the header; its title says what is
/// there ("★ · 2 tags · note").
fn notes_header(
    ui: &mut egui::Ui,
    cx: &mut ReaderContext<'_>,
    page: usize,
    commands: &mut Vec<Command>,
) {
    let notes = cx.notes.notes;
    let mut parts = Vec::new();
    if notes.is_some_and(|n| n.bookmarked) {
        parts.push("★".to_owned());
    }
    if let Some(n) = notes.filter(|n| !n.tags.is_empty()) {
        parts.push(n.tags.join(", "));
    }
    if notes.is_some_and(crate::research::notes::DocumentNotes::has_notes) {
        parts.push("has notes".to_owned());
    }
    if cx.notes.status.failed.is_some() {
        parts.push("⚠ not saved".to_owned());
    }
    if cx.notes.status.conflict.is_some() {
        parts.push("⚠ edited elsewhere too".to_owned());
    }
    let open = cx.notes.status.failed.is_some() || cx.notes.status.conflict.is_some();
    let title = if parts.is_empty() {
        "Notes and tags".to_owned()
    } else {
        format!("Notes and tags · {}", parts.join(" · "))
    };
    egui::CollapsingHeader::new(title)
        .id_salt("reader-notes")
        .default_open(false)
        .open(open.then_some(true))
        .show(ui, |ui| {
            super::notes::section(
                ui,
                notes,
                &cx.notes.status,
                page,
                cx.notes.region,
                cx.notes.all_tags,
                cx.notes.view,
                commands,
            );
        });
}

fn header(ui: &mut egui::Ui, doc: &Document, reading_mode: bool, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let title = if doc.title.is_empty() {
            "(untitled)".to_owned()
        } else {
            display_line(&doc.title)
        };
        ui.add(egui::Label::new(RichText::new(title).heading().strong()).wrap());
    });
    ui.horizontal_wrapped(|ui| {
        if let Some(kind) = &doc.kind {
            ui.label(RichText::new(capitalized(kind)).strong());
            ui.label("·");
        }
        ui.label(doc.date.to_string());
        if !doc.date.is_unknown() {
            let mut normalized =
                format!("{} ({})", doc.date.to_edtf(), doc.date.precision.as_str());
            if doc.date.inferred {
                normalized.push_str(", inferred");
            }
            ui.label(RichText::new(normalized).weak())
                .on_hover_text("Normalized date in EDTF, with its precision");
        }
        if let Some(archive) = &doc.archive {
            ui.label("·");
            ui.label(RichText::new(&archive.raw).strong())
                .on_hover_text(archive.tree_path().join(" › "));
        }
        if let Some(lang) = &doc.original_language {
            ui.label("·");
            ui.label(format!("original: {lang}"));
        }
    });
    let roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|&role| doc.people_with(role).next().is_some())
        .collect();
    if !roles.is_empty() {
        ui.horizontal_wrapped(|ui| {
            for (r, role) in roles.iter().enumerate() {
                if r > 0 {
                    ui.label(RichText::new("·").weak());
                }
                ui.label(format!("{}:", capitalized(role.as_str())));
                let mut seen: Vec<&str> = Vec::new();
                for person in doc.people_with(*role) {
                    if seen.contains(&person.name.as_str()) {
                        continue;
                    }
                    seen.push(&person.name);
                    if ui
                        .link(display_line(&person.to_string()))
                        .on_hover_text("Every document of this person")
                        .clicked()
                    {
                        commands.push(Command::ShowPerson(Some(person.name.clone())));
                    }
                }
            }
        });
    }
    ui.horizontal_wrapped(|ui| {
        if let Some(url) = &doc.source_url {
            ui.hyperlink_to(RichText::new(format!("Source: {url}")).small(), url);
        }
        ui.menu_button(RichText::new("Cite").small(), |ui| {
            for (format, label) in [
                (Format::Citation, "Copy citation (archive style)"),
                (Format::Chicago, "Copy Chicago note"),
                (Format::CslJson, "Copy CSL-JSON"),
                (Format::Bibtex, "Copy BibTeX"),
            ] {
                let preview = crate::research::export::write(format, [doc]);
                if ui.button(label).on_hover_text(preview.trim_end()).clicked() {
                    commands.push(Command::CopyDocument(format));
                }
            }
        });
        let label = if reading_mode {
            "← Back to list"
        } else {
            "↔ Read full width"
        };
        if ui
            .small_button(label)
            .on_hover_text("Enter reads full width, Escape returns")
            .clicked()
        {
            commands.push(Command::SetReading(!reading_mode));
        }
    });
    if let Some(summary) = doc.summary() {
        egui::CollapsingHeader::new("Summary")
            .id_salt("reader-summary")
            .default_open(true)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("summary-scroll")
                    .max_height(90.0)
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(display_line(summary)).wrap());
                    });
            });
    }
    if doc.citation.is_some() || doc.credits.is_some() || !doc.warnings.is_empty() {
        egui::CollapsingHeader::new("Citation, credits and warnings")
            .id_salt("reader-citation")
            .default_open(false)
            .show(ui, |ui| {
                if let Some(citation) = &doc.citation {
                    ui.add(egui::Label::new(citation).wrap().selectable(true));
                }
                if let Some(credits) = &doc.credits {
                    ui.add(egui::Label::new(RichText::new(credits).weak()).wrap());
                }
                for warning in &doc.warnings {
                    ui.colored_label(ui.visuals().warn_fg_color, warning);
                }
            });
    }
}

/// Page navigation and the pane count.
fn toolbar(
    ui: &mut egui::Ui,
    doc: &Document,
    view: &ReaderView,
    hit_count: usize,
    commands: &mut Vec<Command>,
) {
    let pages = doc.page_count().max(1);
    ui.horizontal(|ui| {
        // A book read right to left turns its next page to the left.
        let (left, right) = if doc.pages_right_to_left {
            ((view.page + 1 < pages, view.page + 1, "Next page (Page Down)"), (view.page > 0, view.page.saturating_sub(1), "Previous page (Page Up)"))
        } else {
            ((view.page > 0, view.page.saturating_sub(1), "Previous page (Page Up)"), (view.page + 1 < pages, view.page + 1, "Next page (Page Down)"))
        };
        let button = ui.add_enabled(left.0, egui::Button::new("◀"));
        if button.on_hover_text(left.2).clicked() {
            commands.push(Command::SetPage(left.1));
        }
        ui.label(format!("Page {} of {pages}", view.page + 1));
        let button = ui.add_enabled(right.0, egui::Button::new("▶"));
        if button.on_hover_text(right.2).clicked() {
            commands.push(Command::SetPage(right.1));
        }
        if doc.pages_right_to_left {
            ui.label(egui::RichText::new("right to left").small().weak())
                .on_hover_text("The manifest says this book is read right to left: the next page is on the left");
        }
        ui.separator();
        ui.label("Panes:");
        for n in [1, 2, 3] {
            if ui
                .selectable_label(view.panes.len() == n, n.to_string())
                .clicked()
                && view.panes.len() != n
            {
                commands.push(Command::SetPaneCount(n));
            }
        }
        if hit_count > 0 {
            ui.separator();
            if ui
                .small_button("◀")
                .on_hover_text("Previous hit (Shift+F3)")
                .clicked()
            {
                commands.push(Command::PreviousHit);
            }
            let at = view
                .hit
                .map_or_else(|| "–".to_owned(), |h| (h + 1).to_string());
            ui.label(format!("Hit {at} of {hit_count}"));
            if ui
                .small_button("▶")
                .on_hover_text("Next hit (F3)")
                .clicked()
            {
                commands.push(Command::NextHit);
            }
        }
        ui.separator();
        if ui
            .small_button("A−")
            .on_hover_text("Smaller text")
            .clicked()
        {
            commands.push(Command::ChangeTextSize(-1.0));
        }
        if ui.small_button("A+").on_hover_text("Larger text").clicked() {
            commands.push(Command::ChangeTextSize(1.0));
        }
    });
}

/// Normalised pane widths (fractions summing to 1) for `n` panes.
pub fn fractions(saved: &[f32], n: usize) -> Vec<f32> {
    if saved.len() == n && saved.iter().all(|f| f.is_finite() && *f > 0.05) {
        let sum: f32 = saved.iter().sum();
        saved.iter().map(|f| f / sum).collect()
    } else {
        vec![1.0 / n as f32; n]
    }
}

fn panes(
    ui: &mut egui::Ui,
    doc: &Document,
    cx: &mut ReaderContext<'_>,
    view: &mut ReaderView,
    commands: &mut Vec<Command>,
) {
    let n = view.panes.len().max(1);
    let mut widths = fractions(cx.pane_fractions, n);
    let area = ui.available_rect_before_wrap();
    let gap = 8.0;
    let usable = (area.width() - gap * (n - 1) as f32).max(60.0);
    let mut x = area.left();
    let scan_keys: Vec<ImageKey> = doc
        .pages
        .iter()
        .map(|p| ImageKey {
            // A IIIF canvas names a URL, not a file of the corpus.
            path: if crate::corpus::formats::iiif::is_remote(&p.image) {
                p.image.clone()
            } else {
                cx.corpus.root.join(&p.image)
            },
            index: p.index_in_file.unwrap_or(0),
        })
        .collect();
    let mut new_fractions = None;
    let mut hovered_now = None;
    for slot in 0..n {
        let width = usable * widths[slot];
        let rect =
            egui::Rect::from_min_size(egui::pos2(x, area.top()), egui::vec2(width, area.height()));
        let mut child = ui.new_child(
            egui::UiBuilder::new()
                .max_rect(rect)
                .layout(egui::Layout::top_down(egui::Align::Min))
                .id_salt(("pane", slot)),
        );
        child.set_clip_rect(rect.intersect(ui.clip_rect()));
        let content = view.panes.get(slot).copied().unwrap_or(PaneContent::Scan);
        pane_header(&mut child, doc, slot, content, commands);
        match content {
            PaneContent::Scan => {
                if scan_keys.is_empty() {
                    no_scan_notice(&mut child, doc);
                } else {
                    let regions = doc
                        .pages
                        .get(view.page)
                        .map_or(&[][..], |p| p.regions.as_slice());
                    // The line under the pointer in the text, else the chosen one.
                    let outlined = view
                        .hovered_line
                        .as_ref()
                        .or(view.line.as_ref())
                        .and_then(|(layer, range)| line_region(regions, *layer, range.start));
                    match scan::pane(
                        &mut child,
                        cx.images,
                        &scan_keys,
                        view.page,
                        &mut view.scan,
                        &scan::Lines { regions, outlined },
                        doc.pages_right_to_left,
                    ) {
                        Some(ScanAction::GoToPage(page)) => commands.push(Command::SetPage(page)),
                        Some(ScanAction::ChooseLine(index)) => {
                            if let Some(region) = regions.get(index)
                                && let (Some(layer), Some((start, end))) =
                                    (region.layer, region.text_range)
                            {
                                view.line = Some((layer, start..end));
                                view.focus = Some((layer, start));
                            }
                        }
                        None => {}
                    }
                }
            }
            PaneContent::Layer(i) => match doc.layers.get(i) {
                Some(layer) => {
                    let page_start = page_start(layer, view.page);
                    let focus = view
                        .focus
                        .filter(|(l, _)| *l == i)
                        .map(|(_, offset)| offset.saturating_sub(page_start));
                    let outcome = text_pane(
                        &mut child,
                        doc,
                        layer,
                        slot,
                        cx.text_size,
                        cx.hits,
                        focus,
                        view,
                    );
                    if outcome.focused {
                        view.focus = None;
                    }
                    // Lines of the text that are lines of the scan.
                    let regions = doc
                        .pages
                        .get(view.page)
                        .map_or(&[][..], |p| p.regions.as_slice());
                    let linked = |range: &std::ops::Range<usize>| {
                        let at = range.start + page_start;
                        line_region(regions, i, at)
                            .is_some()
                            .then(|| (i, at..range.end + page_start))
                    };
                    if let Some(hovered) = outcome.hovered.as_ref().and_then(linked) {
                        hovered_now = Some(hovered);
                    }
                    if let Some(clicked) = outcome.clicked.as_ref().and_then(linked) {
                        view.line = Some(clicked);
                        view.scan.reveal =
                            line_region(regions, i, view.line.as_ref().map_or(0, |l| l.1.start));
                    }
                }
                None => {
                    child.label("This layer is not in the document.");
                }
            },
        }
        x += width;
        if slot + 1 < n {
            // A splitter between this pane and the next.
            let handle = egui::Rect::from_min_size(
                egui::pos2(x, area.top()),
                egui::vec2(gap, area.height()),
            );
            let response = ui
                .interact(
                    handle,
                    ui.scope_id().with(("splitter", slot)),
                    egui::Sense::drag(),
                )
                .on_hover_cursor(egui::CursorIcon::ResizeHorizontal);
            let stroke = if response.hovered() || response.dragged() {
                ui.visuals().widgets.active.bg_stroke
            } else {
                ui.visuals().widgets.noninteractive.bg_stroke
            };
            ui.painter()
                .vline(handle.center().x, area.y_range(), stroke);
            if response.dragged() {
                let delta = response.drag_delta().x / usable;
                let pair = widths[slot] + widths[slot + 1];
                let left = (widths[slot] + delta).clamp(0.1, pair - 0.1);
                widths[slot] = left;
                widths[slot + 1] = pair - left;
                new_fractions = Some(widths.clone());
            }
            if response.double_clicked() {
                new_fractions = Some(vec![1.0 / n as f32; n]);
            }
            x += gap;
        }
    }
    ui.allocate_rect(area, egui::Sense::hover());
    view.hovered_line = hovered_now;
    if let Some(fractions) = new_fractions {
        commands.push(Command::SetPaneFractions(fractions));
    }
}

/// The index of the line region of `regions` that starts at byte `start`
/// of layer `layer`.
fn line_region(regions: &[crate::model::Region], layer: usize, start: usize) -> Option<usize> {
    regions.iter().position(|r| {
        r.kind == crate::model::RegionKind::Line
            && r.layer == Some(layer)
            && r.text_range.is_some_and(|(s, _)| s == start)
    })
}

fn pane_header(
    ui: &mut egui::Ui,
    doc: &Document,
    slot: usize,
    content: PaneContent,
    commands: &mut Vec<Command>,
) {
    let mut choice = content;
    let combo = egui::ComboBox::from_id_salt(("pane-choice", slot))
        .selected_text(pane_label(doc, content))
        .width(ui.available_width().min(320.0))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut choice, PaneContent::Scan, "Scan");
            for (i, layer) in doc.layers.iter().enumerate() {
                ui.selectable_value(&mut choice, PaneContent::Layer(i), layer_label(layer));
            }
        });
    // Screen readers (and tests) need a name beyond the current value.
    ui.ctx().accesskit_node_builder(combo.response.id, |node| {
        node.set_label(format!("Pane {}", slot + 1));
    });
    if choice != content {
        commands.push(Command::SetPane {
            slot,
            content: choice,
        });
    }
}

/// Never an empty grey box: say that there is no scan, and where the
/// source may have one.
fn no_scan_notice(ui: &mut egui::Ui, doc: &Document) {
    let frame = egui::Frame::group(ui.style()).inner_margin(12.0);
    frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("No scan for this document").strong());
        ui.label("The corpus has only text for it: no page images were found beside its files.");
        if let Some(url) = &doc.source_url {
            ui.add_space(4.0);
            ui.label("The source may show the original:");
            ui.hyperlink(url);
        }
    });
}

/// One text layer at the current page, with right-to-left lines reordered.
/// Byte offset in the layer's text where page `page` starts.
fn page_start(layer: &Layer, page: usize) -> usize {
    if page == 0 || layer.page_count() <= 1 {
        0
    } else {
        layer.page_breaks.get(page - 1).map_or(0, |b| b.offset)
    }
}

/// Draws a text layer (marking the chosen line of the scan, if it is in
/// this layer); says what the pointer did to its paragraphs.
#[allow(clippy::too_many_arguments)]
fn text_pane(
    ui: &mut egui::Ui,
    doc: &Document,
    layer: &Layer,
    slot: usize,
    text_size: f32,
    hits: &[DocumentHit],
    focus: Option<usize>,
    view: &ReaderView,
) -> TextOutcome {
    let divided = layer.page_count() > 1;
    let text = if divided {
        layer.page_text(view.page).unwrap_or_default()
    } else {
        layer.text.as_str()
    };
    ui.horizontal(|ui| {
        if divided {
            let label = layer
                .page_breaks
                .get(view.page.wrapping_sub(1))
                .and_then(|b| b.label.clone())
                .map_or_else(String::new, |l| format!(" · marked {l}"));
            ui.label(
                RichText::new(format!(
                    "page {} of {}{label}",
                    view.page + 1,
                    layer.page_count()
                ))
                .small()
                .weak(),
            );
        } else if doc.page_count() > 1 {
            ui.label(
                RichText::new("not divided into pages: the whole text")
                    .small()
                    .weak(),
            );
        }
        if ui
            .small_button("Copy")
            .on_hover_text("Copy this page's text in logical order")
            .clicked()
        {
            ui.ctx().copy_text(text.to_owned());
        }
    });
    let mut area = egui::ScrollArea::vertical()
        .id_salt(("text-pane", slot))
        .auto_shrink([false, false]);
    if view.scroll_to_top {
        area = area.vertical_scroll_offset(0.0);
    }
    // The document's hits that fall in the shown text, relative to it.
    let start = if divided {
        page_start(layer, view.page)
    } else {
        0
    };
    let end = start + text.len();
    let layer_index = doc.layers.iter().position(|l| std::ptr::eq(l, layer));
    let mut hits: Vec<std::ops::Range<usize>> = hits
        .iter()
        .filter(|h| Some(h.layer) == layer_index && h.range.start >= start && h.range.end <= end)
        .map(|h| h.range.start - start..h.range.end - start)
        .collect();
    if let Some((line_layer, range)) = &view.line
        && Some(*line_layer) == layer_index
        && range.start >= start
        && range.end <= end
        && !hits
            .iter()
            .any(|h| h.start < range.end && range.start < h.end)
    {
        hits.push(range.start - start..range.end - start);
        hits.sort_by_key(|h| h.start);
    }
    if text.len() > super::long_text::LONG {
        let id = ui.make_persistent_id(("long-text", slot));
        return area
            .show_viewport(ui, |ui, viewport| {
                super::long_text::body(ui, id, text, text_size, &hits, focus, viewport)
            })
            .inner;
    }
    area.show(ui, |ui| {
        if divided && text.trim().is_empty() {
            ui.label(
                RichText::new("(this page has no text in this layer)")
                    .weak()
                    .italics(),
            );
        }
        text_body(ui, text, text_size, &hits, focus)
    })
    .inner
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
