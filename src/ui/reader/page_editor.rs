//! Editing a text page by page beside the scan: the shown page of a text
//! pane as a plain editor. What is typed is saved a moment after typing
//! stops, or when the box is left, as the user's version of that text
//! (a layer of its own, kept in the sidecar: a file's text is never
//! changed); Ctrl+Z outside the box undoes a saved change.

use std::time::{Duration, Instant};

use eframe::egui::{self, RichText};

use crate::model::{Layer, Origin};
use crate::ui::Command;

/// How long after the last keystroke a page is saved.
const SAVE_AFTER: Duration = Duration::from_millis(1500);

/// The page being edited in one text pane.
#[derive(Debug, Clone)]
pub struct PageEditor {
    /// The layer edited (index in the document).
    pub layer: usize,
    /// The page (0-based).
    pub page: usize,
    pub text: String,
    /// The text as last saved (or as opened).
    saved: String,
    /// When the text last changed without being saved.
    changed_at: Option<Instant>,
}

impl PageEditor {
    /// An editor of page `page` of `layer` (index `index`).
    pub fn open(index: usize, layer: &Layer, page: usize) -> Self {
        let text = page_of(layer, page).to_owned();
        Self {
            layer: index,
            page,
            saved: text.clone(),
            text,
            changed_at: None,
        }
    }

    /// Whether there is text not saved yet.
    pub fn is_dirty(&self) -> bool {
        self.text != self.saved
    }

    /// The command that saves the page, when it changed; the editor counts
    /// it as saved.
    pub fn save(&mut self) -> Option<Command> {
        if !self.is_dirty() {
            return None;
        }
        self.saved.clone_from(&self.text);
        self.changed_at = None;
        Some(Command::EditPage {
            layer: self.layer,
            page: self.page,
            text: self.text.clone(),
        })
    }

    /// Draws the editor; pushes the save when typing paused or the box was
    /// left.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        layer: &Layer,
        text_size: f32,
        commands: &mut Vec<Command>,
    ) {
        let who = match layer.origin {
            Origin::User => "your version".to_owned(),
            Origin::Ocr { .. } => "machine OCR: saved as your version".to_owned(),
            Origin::File => {
                "the file's text: saved as your version, the file stays as it is".to_owned()
            }
        };
        let label = ui.label(
            RichText::new(format!(
                "Editing page {} ({who}){}",
                self.page + 1,
                if self.is_dirty() {
                    " · not saved yet"
                } else {
                    ""
                }
            ))
            .weak(),
        );
        let id = ui.make_persistent_id(("page-editor", self.layer));
        // egui's editor lays words out left to right in the order typed:
        // right-to-left text is aligned right there, and shown in reading
        // order under the box.
        let right_to_left = crate::text::bidi::has_rtl(&self.text);
        let starts_rtl = self
            .text
            .lines()
            .find(|l| !l.trim().is_empty())
            .is_some_and(crate::text::bidi::is_rtl_paragraph);
        let response = egui::ScrollArea::vertical()
            .id_salt(("page-editor-scroll", self.layer))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let response = ui
                    .add(
                        egui::TextEdit::multiline(&mut self.text)
                            .id(id)
                            .font(egui::FontId::proportional(text_size))
                            .desired_width(f32::INFINITY)
                            .desired_rows(12)
                            .align(if starts_rtl {
                                egui::Align2::RIGHT_TOP
                            } else {
                                egui::Align2::LEFT_TOP
                            })
                            .hint_text("Type this page's text"),
                    )
                    .labelled_by(label.id);
                if right_to_left {
                    ui.add_space(6.0);
                    ui.label(
                        RichText::new("Reads as (the box above keeps the order typed):").weak(),
                    );
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        crate::ui::text_body::text_body(
                            ui,
                            &self.text,
                            text_size,
                            crate::ui::text_body::Marks::default(),
                            None,
                        );
                    });
                }
                response
            })
            .inner;
        if response.changed() {
            self.changed_at = Some(Instant::now());
        }
        let paused = self.changed_at.is_some_and(|t| t.elapsed() >= SAVE_AFTER);
        if (response.lost_focus() || paused)
            && let Some(command) = self.save()
        {
            commands.push(command);
        }
        if self.changed_at.is_some() {
            ui.ctx().request_repaint_after(Duration::from_millis(300));
        }
    }
}

/// The text of page `page` of `layer` (the whole text when it is not
/// divided into pages and this is page 1).
pub fn page_of(layer: &Layer, page: usize) -> &str {
    if layer.page_count() > 1 {
        layer.page_text(page).unwrap_or_default()
    } else if page == 0 {
        &layer.text
    } else {
        ""
    }
}

/// Every page of `layer` as the user's version starts from, at least
/// `pages` of them.
pub fn pages_of(layer: &Layer, pages: usize) -> Vec<String> {
    let count = layer.page_count().max(pages);
    (0..count)
        .map(|n| page_of(layer, n).trim_end().to_owned())
        .collect()
}
