//! The document list: the virtualised table that draws only the visible
//! rows of the selection, in the order of [`crate::index::order::SortOrders`].

use eframe::egui;

use super::display::display_line;
use super::images::{ImageCache, ImageState};
use super::search::SearchState;
use super::view::View;
use super::{Command, Pick};
use crate::corpus::Corpus;
use crate::index::order::SortKey;
use crate::index::search::Hit;

/// Scroll state of the table, kept between frames.
#[derive(Debug, Clone, Default)]
pub struct ListView {
    /// A row to bring into view on the next frame (after keyboard moves).
    pub scroll_to: Option<usize>,
    offset: f32,
    viewport: f32,
}

/// Columns of the table, with the sort key each header sets.
const COLUMNS: [(&str, Option<SortKey>); 4] = [
    ("Date", Some(SortKey::Date)),
    ("Title", Some(SortKey::Title)),
    ("Authors → recipients", None),
    ("Archive reference", Some(SortKey::Archive)),
];

/// Column widths for a table `total` points wide (the last takes the rest).
fn column_widths(total: f32) -> [f32; 4] {
    let rest = (total - 110.0).max(240.0);
    [110.0, rest * 0.46, rest * 0.27, 0.0]
}

/// One left-aligned, truncated cell; returns its response for clicks.
fn cell(
    ui: &mut egui::Ui,
    width: f32,
    height: f32,
    text: impl Into<egui::WidgetText>,
) -> egui::Response {
    let width = if width > 0.0 {
        width
    } else {
        ui.available_width()
    };
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(width);
            ui.add(egui::Label::new(text).truncate().selectable(false))
        },
    )
    .inner
}

/// Below this width the list shows two lines per document (title, then
/// date, people and reference) instead of four columns.
const COMPACT_BELOW: f32 = 640.0;

/// What the list shows this frame.
#[derive(Debug)]
pub struct ListData<'a> {
    pub corpus: &'a Corpus,
    /// Corpus indices in display order.
    pub rows: &'a [u32],
    /// The open document.
    pub current: Option<u32>,
    /// The sort key and whether it runs descending.
    pub sort: (SortKey, bool),
    pub search: &'a SearchState,
    /// Rows chosen for grouping and batch edits, by document id.
    pub picked: &'a std::collections::BTreeSet<String>,
    /// Whether any filter narrows the list (dates, people, tags…).
    pub filtered: bool,
    /// Where the rows' thumbnails come from, when they are shown.
    pub thumbnails: Option<&'a mut ImageCache>,
}

/// The side of a row's thumbnail, in points.
const THUMBNAIL: f32 = 40.0;

/// The table of the rows. Clicking a row opens its document; clicking a
/// header sorts.
impl View for ListView {
    type Data<'a> = ListData<'a>;

    fn ui(&mut self, ui: &mut egui::Ui, mut data: ListData<'_>, commands: &mut Vec<Command>) {
        let line = ui.text_style_height(&egui::TextStyle::Body);
        // Search results show their snippets on a second line.
        let compact = ui.available_width() < COMPACT_BELOW || data.search.is_active();
        let thumbnail = if data.thumbnails.is_some() {
            THUMBNAIL + ui.spacing().item_spacing.x
        } else {
            0.0
        };
        let row_height = if compact {
            line * 2.0 + 10.0
        } else {
            line + 8.0
        };
        let row_height = if data.thumbnails.is_some() {
            row_height.max(THUMBNAIL + 4.0)
        } else {
            row_height
        };
        let widths = column_widths(ui.available_width() - thumbnail);
        sort_header(ui, &data, compact, thumbnail, widths, commands);
        ui.separator();
        if data.rows.is_empty() {
            empty(ui, &data, commands);
            return;
        }
        self.rows(ui, &mut data, compact, widths, row_height, commands);
    }
}

/// An empty list says what empties it (the search, the filters or both)
/// with a button to clear each; while a search runs it says so instead.
fn empty(ui: &mut egui::Ui, data: &ListData<'_>, commands: &mut Vec<Command>) {
    let weak = |text: String| egui::RichText::new(text).weak();
    if data.corpus.documents.is_empty() {
        ui.label(weak("This folder has no document folio reads.".into()));
        return;
    }
    if data.search.is_running() {
        ui.label(weak("searching…".into()));
        return;
    }
    let matching = data
        .search
        .matching
        .as_ref()
        .filter(|_| data.search.is_active())
        .map(|m| m.len());
    let message = match matching {
        Some(0) => format!(
            "No document matches the search “{}”.",
            data.search.text.trim()
        ),
        Some(n) => format!(
            "{} the search; the filters leave none.",
            match n {
                1 => "1 document matches".to_owned(),
                n => format!("{n} documents match"),
            }
        ),
        None => "No document matches the filters.".to_owned(),
    };
    ui.label(weak(message));
    ui.horizontal(|ui| {
        if data.search.is_active() && ui.button("Clear the search").clicked() {
            commands.push(Command::Search(String::new()));
        }
        if data.filtered && ui.button("Clear the filters").clicked() {
            commands.push(Command::ClearFilters);
        }
    });
}

/// The sort choices: column headers, or a line of choices when compact.
fn sort_header(
    ui: &mut egui::Ui,
    data: &ListData<'_>,
    compact: bool,
    thumbnail: f32,
    widths: [f32; 4],
    commands: &mut Vec<Command>,
) {
    let sort = data.sort;
    let line = ui.text_style_height(&egui::TextStyle::Body);
    let arrow = |key: SortKey| match (key == sort.0, sort.1) {
        (false, _) => "",
        (true, false) => " ▲",
        (true, true) => " ▼",
    };
    ui.horizontal(|ui| {
        if compact {
            ui.label(egui::RichText::new("Sort:").small());
            let relevance = data
                .search
                .is_active()
                .then_some(("Relevance", Some(SortKey::Relevance)));
            for (title, key) in relevance.into_iter().chain(COLUMNS) {
                if let Some(key) = key {
                    let text = egui::RichText::new(format!("{title}{}", arrow(key))).small();
                    if ui.selectable_label(key == sort.0, text).clicked() {
                        commands.push(Command::SetSort(key));
                    }
                }
            }
            return;
        }
        if thumbnail > 0.0 {
            ui.add_space(thumbnail - ui.spacing().item_spacing.x);
        }
        for ((title, key), width) in COLUMNS.into_iter().zip(widths) {
            let text = egui::RichText::new(format!("{title}{}", key.map_or("", arrow)))
                .small()
                .strong();
            let response = cell(ui, width, line + 4.0, text);
            if let Some(key) = key {
                let response = ui
                    .interact(
                        response.rect,
                        response.id.with("sort"),
                        egui::Sense::click(),
                    )
                    .on_hover_text(format!("Sort by {}", title.to_lowercase()));
                if response.clicked() {
                    commands.push(Command::SetSort(key));
                }
            }
        }
    });
}

impl ListView {
    /// The visible rows, virtualised.
    fn rows(
        &mut self,
        ui: &mut egui::Ui,
        data: &mut ListData<'_>,
        compact: bool,
        widths: [f32; 4],
        row_height: f32,
        commands: &mut Vec<Command>,
    ) {
        let (corpus, rows, current, search, picked) = (
            data.corpus,
            data.rows,
            data.current,
            data.search,
            data.picked,
        );
        let mut area = egui::ScrollArea::vertical()
            .id_salt("document-list")
            .auto_shrink([false, false]);
        if let Some(row) = self.scroll_to.take() {
            let top = row as f32 * (row_height + ui.spacing().item_spacing.y);
            let bottom = top + row_height;
            if top < self.offset {
                area = area.vertical_scroll_offset(top);
            } else if bottom > self.offset + self.viewport {
                area = area.vertical_scroll_offset(bottom - self.viewport);
            }
        }
        let output = area.show_rows(ui, row_height, rows.len(), |ui, visible| {
            for (row, &index) in rows[visible.clone()].iter().enumerate() {
                let Some(doc) = corpus.documents.get(index as usize) else {
                    continue;
                };
                // The row background goes under the text: reserve its place.
                let background = ui.painter().add(egui::Shape::Noop);
                let response = ui
                    .horizontal(|ui| {
                        if let Some(images) = data.thumbnails.as_deref_mut() {
                            thumbnail(ui, images, &corpus.root, doc);
                        }
                        if compact {
                            let _ = compact_row(ui, doc, search.hit(index), row_height);
                        } else {
                            column_row(ui, doc, &widths, row_height);
                        }
                    })
                    .response;
                let rect = response.rect.expand2(egui::vec2(0.0, 2.0));
                let click = ui.interact(
                    rect,
                    ui.scope_id().with(("row", visible.start + row)),
                    egui::Sense::click(),
                );
                let fill = if picked.len() > 1 && picked.contains(&doc.id) {
                    Some(ui.visuals().selection.bg_fill.gamma_multiply(0.3))
                } else if current == Some(index) {
                    Some(ui.visuals().selection.bg_fill.gamma_multiply(0.45))
                } else if click.hovered() {
                    Some(ui.visuals().widgets.hovered.weak_bg_fill)
                } else {
                    None
                };
                if let Some(fill) = fill {
                    ui.painter()
                        .set(background, egui::Shape::rect_filled(rect, 2.0, fill));
                }
                if click.clicked() {
                    // The modifiers held when the button came up (events
                    // carry them; the state may have moved on in this frame).
                    let modifiers = ui.input(|i| {
                        i.events
                            .iter()
                            .find_map(|e| match e {
                                egui::Event::PointerButton {
                                    pressed: false,
                                    modifiers,
                                    ..
                                } => Some(*modifiers),
                                _ => None,
                            })
                            .unwrap_or(i.modifiers)
                    });
                    let how = if modifiers.shift {
                        Pick::Range
                    } else if modifiers.command {
                        Pick::Toggle
                    } else {
                        Pick::Only
                    };
                    commands.push(Command::Pick { index, how });
                }
                if click.double_clicked() {
                    commands.push(Command::SetReading(true));
                }
            }
        });
        self.offset = output.state.clamped_offset().y;
        self.viewport = output.inner_rect.height();
    }
}

fn title_text(doc: &crate::model::Document) -> egui::RichText {
    if doc.title.is_empty() {
        egui::RichText::new("(untitled)").italics().weak()
    } else {
        egui::RichText::new(display_line(&doc.title)).strong()
    }
}

fn archive_text(doc: &crate::model::Document) -> String {
    doc.archive
        .as_ref()
        .map(crate::model::ArchiveRef::short)
        .unwrap_or_default()
}

/// A hit's snippet in small type with its hits marked.
fn snippet_job(ui: &egui::Ui, hit: &Hit) -> egui::text::LayoutJob {
    let font = egui::TextStyle::Small.resolve(ui.style());
    let marked = egui::TextFormat {
        background: ui.visuals().selection.bg_fill.gamma_multiply(0.5),
        ..egui::TextFormat::simple(font.clone(), ui.visuals().strong_text_color())
    };
    let plain = egui::TextFormat::simple(font, ui.visuals().weak_text_color());
    super::text_body::marked_job(&hit.snippet_text, &hit.snippet_hits, &plain, &marked)
}

/// One row of four columns.
fn column_row(ui: &mut egui::Ui, doc: &crate::model::Document, widths: &[f32; 4], height: f32) {
    cell(
        ui,
        widths[0],
        height,
        egui::RichText::new(doc.date.to_string()).monospace(),
    );
    cell(ui, widths[1], height, title_text(doc));
    cell(ui, widths[2], height, display_line(&doc.correspondents()));
    cell(
        ui,
        widths[3],
        height,
        egui::RichText::new(archive_text(doc)).weak(),
    );
}

/// Two lines: the title, then date · people · reference, or the search
/// snippet with its hits marked.
fn compact_row(
    ui: &mut egui::Ui,
    doc: &crate::model::Document,
    hit: Option<&Hit>,
    height: f32,
) -> egui::Response {
    let width = ui.available_width();
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_min_size(egui::vec2(width, height));
            ui.spacing_mut().item_spacing.y = 2.0;
            ui.add(
                egui::Label::new(title_text(doc))
                    .truncate()
                    .selectable(false),
            );
            if let Some(hit) = hit {
                ui.add(
                    egui::Label::new(snippet_job(ui, hit))
                        .truncate()
                        .selectable(false),
                );
                return;
            }
            let details: Vec<String> = [
                doc.date.to_string(),
                display_line(&doc.correspondents()),
                archive_text(doc),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
            ui.add(
                egui::Label::new(egui::RichText::new(details.join("  ·  ")).small().weak())
                    .truncate()
                    .selectable(false),
            );
        },
    )
    .response
}

/// The first page of `doc` as a small picture (decoded on the image
/// threads; an empty square until it comes, and for a document without a
/// scan or whose scan is on a IIIF server, which is not fetched for the
/// list).
fn thumbnail(
    ui: &mut egui::Ui,
    images: &mut ImageCache,
    root: &std::path::Path,
    doc: &crate::model::Document,
) {
    let (rect, _) = ui.allocate_exact_size(egui::Vec2::splat(THUMBNAIL), egui::Sense::hover());
    let Some(page) = doc.pages.first() else {
        return;
    };
    if crate::corpus::formats::iiif::is_remote(&page.image) || !ui.is_rect_visible(rect) {
        return;
    }
    let painter = ui.painter();
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    let side = THUMBNAIL * ui.ctx().pixels_per_point();
    if let ImageState::Ready { texture, full_size } =
        images.get_when_idle(&super::images::page_key(root, page), side)
    {
        super::images::paint_fitted(painter, &texture, full_size, rect);
    }
}
