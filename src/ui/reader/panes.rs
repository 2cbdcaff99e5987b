//! The reader's panes side by side: the scan or a text layer in each, all
//! on the same page, with a splitter between two panes and the lines of
//! the text linked to the lines of the scan both ways.

use eframe::egui::{self, RichText};

use super::{DocumentHit, PaneContent, ReaderContext, ReaderView, layer_label, pane_label};
use crate::model::{Document, Layer};
use crate::ui::Command;
use crate::ui::images::ImageKey;
use crate::ui::scan::{self, ScanAction};
use crate::ui::text_body::{Marks, TextOutcome, text_body};

use super::page_editor::PageEditor;

/// Normalised pane widths (fractions summing to 1) for `n` panes.
pub fn fractions(saved: &[f32], n: usize) -> Vec<f32> {
    if saved.len() == n && saved.iter().all(|f| f.is_finite() && *f > 0.05) {
        let sum: f32 = saved.iter().sum();
        saved.iter().map(|f| f / sum).collect()
    } else {
        vec![1.0 / n as f32; n]
    }
}

/// A line of a text layer: (layer, byte range).
type LineRef = (usize, std::ops::Range<usize>);

pub(super) fn panes(
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
    let scan_keys = scan_keys(doc, cx);
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
            PaneContent::Scan => scan_slot(&mut child, doc, cx, view, &scan_keys, commands),
            PaneContent::Layer(i) => match doc.layers.get(i) {
                Some(layer) => {
                    let child = &mut child;
                    let at = (slot, &mut *commands);
                    if let Some(hovered) = layer_slot(child, doc, cx, view, (i, layer), at) {
                        hovered_now = Some(hovered);
                    }
                }
                None => {
                    child.label("This layer is not in the document.");
                }
            },
        }
        x += width;
        if slot + 1 < n {
            let edge = Edge { x, gap, usable };
            if let Some(changed) = splitter(ui, area, edge, slot, &mut widths) {
                new_fractions = Some(changed);
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

/// The page images of `doc` as the decoder names them.
fn scan_keys(doc: &Document, cx: &ReaderContext<'_>) -> Vec<ImageKey> {
    doc.pages
        .iter()
        .map(|p| crate::ui::images::page_key(&cx.corpus.root, p))
        .collect()
}

/// A pane showing the scan, its line under the pointer outlined.
fn scan_slot(
    child: &mut egui::Ui,
    doc: &Document,
    cx: &mut ReaderContext<'_>,
    view: &mut ReaderView,
    scan_keys: &[ImageKey],
    commands: &mut Vec<Command>,
) {
    if scan_keys.is_empty() {
        no_scan_notice(child, doc);
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
            child,
            cx.images,
            scan_keys,
            view.page,
            &mut view.scan,
            &scan::Lines { regions, outlined },
            doc.pages_right_to_left,
        ) {
            Some(ScanAction::GoToPage(page)) => commands.push(Command::SetPage(page)),
            Some(ScanAction::MovePage { from, to }) => {
                commands.push(Command::MovePage { from, to });
                commands.push(Command::SetPage(to));
            }
            Some(ScanAction::ChooseLine(index)) => {
                if let Some(region) = regions.get(index)
                    && let (Some(layer), Some((start, end))) = (region.layer, region.text_range)
                {
                    view.line = Some((layer, start..end));
                    view.focus = Some((layer, start));
                }
            }
            None => {}
        }
    }
}

/// A pane showing text layer `i`; returns the line under the pointer when
/// it is a line of the scan.
fn layer_slot(
    child: &mut egui::Ui,
    doc: &Document,
    cx: &ReaderContext<'_>,
    view: &mut ReaderView,
    (i, layer): (usize, &Layer),
    (slot, commands): (usize, &mut Vec<Command>),
) -> Option<LineRef> {
    if edit_slot(child, cx, view, (i, layer), commands) {
        return None;
    }
    let page_start = page_start(layer, view.page);
    let focus = view
        .focus
        .filter(|(l, _)| *l == i)
        .map(|(_, offset)| offset.saturating_sub(page_start));
    let outcome = text_pane(child, doc, layer, slot, cx.text_size, cx.hits, focus, view);
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
    if let Some(clicked) = outcome.clicked.as_ref().and_then(linked) {
        view.line = Some(clicked);
        view.scan.reveal = line_region(regions, i, view.line.as_ref().map_or(0, |l| l.1.start));
    }
    outcome.hovered.as_ref().and_then(linked)
}

/// The page editor of layer `i`, when it is being edited (true), else
/// the button that starts editing it (false: the text is shown).
fn edit_slot(
    ui: &mut egui::Ui,
    cx: &ReaderContext<'_>,
    view: &mut ReaderView,
    (i, layer): (usize, &Layer),
    commands: &mut Vec<Command>,
) -> bool {
    let page = view.page;
    let Some(editor) = view.editing.as_mut().filter(|e| e.layer == i) else {
        if ui
            .small_button("✎ Edit this page")
            .on_hover_text(
                "Type or correct this page's text; saved as your version, the file stays as it is",
            )
            .clicked()
        {
            view.editing = Some(PageEditor::open(i, layer, page));
            return true;
        }
        return false;
    };
    if editor.page != page {
        // Paged on: the page left is saved, the new one opened.
        commands.extend(editor.save());
        *editor = PageEditor::open(i, layer, page);
    }
    let mut done = false;
    ui.horizontal(|ui| {
        done = ui
            .small_button("Done")
            .on_hover_text("Save and show the text")
            .clicked();
    });
    editor.ui(ui, layer, cx.text_size, commands);
    if done {
        commands.extend(editor.save());
        view.editing = None;
    }
    true
}

/// Where a splitter sits: its left edge, its width and the width the
/// panes share.
#[derive(Debug, Clone, Copy)]
struct Edge {
    x: f32,
    gap: f32,
    usable: f32,
}

/// The splitter after pane `slot`; returns the new widths when dragged or
/// reset (double click).
fn splitter(
    ui: &mut egui::Ui,
    area: egui::Rect,
    Edge { x, gap, usable }: Edge,
    slot: usize,
    widths: &mut [f32],
) -> Option<Vec<f32>> {
    let n = widths.len();
    let mut new_fractions = None;
    let handle =
        egui::Rect::from_min_size(egui::pos2(x, area.top()), egui::vec2(gap, area.height()));
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
        new_fractions = Some(widths.to_vec());
    }
    if response.double_clicked() {
        new_fractions = Some(vec![1.0 / n as f32; n]);
    }
    new_fractions
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
    let typing_id = ui.scope_id().with(("new-translation", slot));
    let combo = egui::ComboBox::from_id_salt(("pane-choice", slot))
        .selected_text(pane_label(doc, content))
        .width(ui.available_width().min(320.0))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut choice, PaneContent::Scan, "Scan");
            for (i, layer) in doc.layers.iter().enumerate() {
                ui.selectable_value(&mut choice, PaneContent::Layer(i), layer_label(layer));
            }
            ui.separator();
            if ui
                .selectable_label(false, "+ New translation…")
                .on_hover_text(
                    "A new translation of this document, in a language you choose, shown in this pane",
                )
                .clicked()
            {
                ui.data_mut(|d| {
                    d.insert_temp(typing_id, String::new());
                    // The language box takes the keyboard when it opens.
                    d.insert_temp(typing_id.with("focus"), true);
                });
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
    new_translation_line(ui, typing_id, slot, commands);
}

/// The line "New translation in [de] Add Cancel" that the pane menu's
/// "+ New translation…" opens under it (`id` holds what is typed): the new text is
/// shown in this pane once made, to type page by page (✎ Edit this page).
fn new_translation_line(ui: &mut egui::Ui, id: egui::Id, slot: usize, commands: &mut Vec<Command>) {
    let Some(mut language) = ui.data(|d| d.get_temp::<String>(id)) else {
        return;
    };
    let focus = ui
        .data_mut(|d| d.remove_temp::<bool>(id.with("focus")))
        .is_some();
    let mut done = false;
    ui.horizontal_wrapped(|ui| {
        let made = crate::ui::describe::new_translation(ui, &mut language, Some(slot), focus);
        done = made.is_some();
        commands.extend(made);
        if ui.small_button("Cancel").clicked() {
            done = true;
        }
    });
    ui.data_mut(|d| {
        if done {
            d.remove_temp::<String>(id);
        } else {
            d.insert_temp(id, language);
        }
    });
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
    let doubtful = if view.scan.show_doubtful {
        doubtful_words(doc, layer_index, divided.then_some(view.page), start..end)
    } else {
        Vec::new()
    };
    // The editors' notes that attach to the shown text (a note at a page's
    // end belongs to that page).
    let notes: Vec<(usize, &crate::model::NoteAnchor)> = layer
        .note_anchors
        .iter()
        .filter(|n| (n.offset > start || n.offset == 0) && n.offset <= end)
        .map(|n| (n.offset - start.min(n.offset), n))
        .collect();
    let marks = Marks {
        hits: &hits,
        doubtful: &doubtful,
        notes: &notes,
    };
    if text.len() > crate::ui::long_text::LONG {
        let id = ui.make_persistent_id(("long-text", slot));
        return area
            .show_viewport(ui, |ui, viewport| {
                crate::ui::long_text::body(ui, id, text, text_size, marks, focus, viewport)
            })
            .inner;
    }
    area.show(ui, |ui| {
        if text.trim().is_empty() {
            let says = if divided {
                "(this page has no text in this layer)"
            } else {
                "(this text is empty: ✎ Edit this page to write it)"
            };
            ui.label(RichText::new(says).weak().italics());
        }
        text_body(ui, text, text_size, marks, focus)
    })
    .inner
}

/// The words of layer `layer` the OCR engine doubted that fall in `shown`
/// (byte range of the layer), relative to it: those of scan page `page`,
/// or of every page when the text is not divided into pages.
fn doubtful_words(
    doc: &Document,
    layer: Option<usize>,
    page: Option<usize>,
    shown: std::ops::Range<usize>,
) -> Vec<std::ops::Range<usize>> {
    let pages = match page {
        Some(page) => doc.pages.get(page..=page).unwrap_or_default(),
        None => &doc.pages[..],
    };
    let mut words: Vec<std::ops::Range<usize>> = pages
        .iter()
        .flat_map(|p| &p.regions)
        .filter(|r| r.is_doubtful() && r.layer.is_some() && r.layer == layer)
        .filter_map(|r| r.text_range)
        .filter(|&(a, b)| a >= shown.start && b <= shown.end && a < b)
        .map(|(a, b)| a - shown.start..b - shown.start)
        .collect();
    words.sort_by_key(|r| r.start);
    words
}
