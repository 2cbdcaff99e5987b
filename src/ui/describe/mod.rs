//! Describing documents in the window: the reader's "Describe" section
//! (every field, read live as it is typed, with the file's value one
//! click away), the pages of the open document ([`pages`]: order, folios,
//! split, move), the batch editor for many documents ([`batch`]) and the
//! suggested groups of photographs ([`suggest`]).

pub mod batch;
mod fields;
mod pages;
mod people;
mod suggest;

pub use batch::BatchWindow;
pub use pages::new_translation;

/// What writing a document folder gave: the folder and the pages left
/// out, or why it was not written.
pub type FolderWritten = super::worker::Outcome<Result<(std::path::PathBuf, Vec<String>), String>>;
pub use suggest::SuggestWindow;

use eframe::egui::{self, RichText};

use super::Command;
use super::view::View;
use crate::corpus::Corpus;
use crate::index::facets::FacetIndex;
use crate::model::Document;
use crate::research::describe::{Description, Overlay};

/// What is typed in the Describe section, for one document.
#[derive(Debug, Default, Clone)]
pub struct DescribeView {
    /// The document the boxes were filled from, and the overlay then (a
    /// new one fills them again).
    filled_for: Option<(String, usize, usize)>,
    pub fields: fields::Boxes,
    /// The boxes as filled: a box left unchanged saves nothing.
    filled: fields::Boxes,
    pub people: people::PeopleBoxes,
    pub pages: pages::PagesBoxes,
}

/// What the Describe section shows this frame.
#[derive(Debug, Clone, Copy)]
pub struct DescribeData<'a> {
    pub doc: &'a Document,
    pub corpus: &'a Corpus,
    pub index: Option<&'a FacetIndex>,
    pub overlay: &'a Overlay,
    /// The page shown (0-based).
    pub page: usize,
    /// When the page's photograph was taken, if known.
    pub photographed: Option<&'a str>,
}

impl DescribeData<'_> {
    /// The open document's description (empty when none).
    fn description(&self) -> Description {
        self.overlay.description(&self.doc.id)
    }
}

impl View for DescribeView {
    type Data<'a> = DescribeData<'a>;

    fn ui(&mut self, ui: &mut egui::Ui, data: DescribeData<'_>, commands: &mut Vec<Command>) {
        // Filled again for another document, and when the descriptions or
        // the corpus change; a box being typed in keeps its text.
        let key = (
            data.doc.id.clone(),
            std::ptr::from_ref(data.overlay) as usize,
            std::ptr::from_ref(data.corpus) as usize,
        );
        match &self.filled_for {
            Some(old) if *old == key => {}
            Some(old) if old.0 == key.0 => {
                let fresh = fields::Boxes::of(data.doc, &data.description());
                self.fields.refill(&self.filled, &fresh);
                self.filled = fresh;
                self.filled_for = Some(key);
            }
            _ => {
                self.fields = fields::Boxes::of(data.doc, &data.description());
                self.filled = self.fields.clone();
                self.people = people::PeopleBoxes::default();
                self.pages = pages::PagesBoxes::default();
                self.filled_for = Some(key);
            }
        }
        ui.label(
            RichText::new(format!(
                "What you write here is kept in {}, never in the document's own files.",
                data.overlay.folder().display()
            ))
            .weak(),
        );
        if let Some(taken) = data.photographed {
            ui.label(
                RichText::new(format!(
                    "Page photographed on {taken} (camera clock; not the document's date)"
                ))
                .weak(),
            );
        }
        self.fields.ui(ui, &self.filled, &data, commands);
        people::ui(&mut self.people, ui, &data, commands);
        pages::ui(&mut self.pages, ui, &data, commands);
        pages::new_text(&mut self.pages, ui, commands);
        pages::write_out(&mut self.pages, ui, &data, commands);
    }
}

/// "✎ edited in folio · use the file's value" beside an overridden field.
fn edited_mark(ui: &mut egui::Ui, overridden: bool) -> bool {
    if !overridden {
        return false;
    }
    ui.label(RichText::new("✎ edited in folio").color(ui.visuals().warn_fg_color));
    ui.small_button("use the file's value")
        .on_hover_text(
            "Forget what you wrote here; the value read from the document's file comes back",
        )
        .clicked()
}

/// When photographs were taken, read one page at a time on `folio-exif`
/// as pages are shown.
#[derive(Debug, Default)]
pub struct Photographed {
    known: std::collections::HashMap<std::path::PathBuf, Option<String>>,
    reading: Option<(
        std::path::PathBuf,
        std::sync::mpsc::Receiver<super::worker::Outcome<Option<String>>>,
    )>,
}

impl Photographed {
    /// When the photograph at `path` was taken: `None` while unknown (its
    /// reading is started) or when it does not say.
    pub fn of(&mut self, path: &std::path::Path) -> Option<&str> {
        if let Some((reading, receiver)) = &self.reading
            && let Ok(outcome) = receiver.try_recv()
        {
            self.known.insert(reading.clone(), outcome.ok().flatten());
            self.reading = None;
        }
        if !self.known.contains_key(path) && self.reading.is_none() {
            let owned = path.to_owned();
            if let Ok(receiver) = super::worker::run("folio-exif", "photograph reader", move || {
                crate::research::describe::exif::taken(&owned).map(|t| t.to_string())
            }) {
                self.reading = Some((path.to_owned(), receiver));
            }
        }
        self.known.get(path).and_then(|t| t.as_deref())
    }

    /// Whether a reading is under way (the window repaints meanwhile).
    pub fn is_busy(&self) -> bool {
        self.reading.is_some()
    }
}
