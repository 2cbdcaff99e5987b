//! Suggested groups of photographs: the photographs of the corpus that
//! are documents of their own, read for when they were taken (EXIF, on the
//! `folio-exif` thread), put together when taken less than N seconds
//! apart or named alike; the user accepts all, some or none.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use eframe::egui::{self, RichText};

use crate::corpus::Corpus;
use crate::model::LayerKind;
use crate::research::describe::exif::{self, Because, Photo, Suggestion};
use crate::ui::Command;
use crate::ui::view::Window;
use crate::ui::worker::{self, Outcome};

/// The window's state: the photographs once read, the gap, the groups
/// left out.
#[derive(Debug)]
pub struct SuggestWindow {
    photos: Option<Result<Vec<Photo>, String>>,
    reading: Option<Receiver<Outcome<Vec<Photo>>>>,
    /// Seconds between two photographs of one document at most.
    pub gap: u32,
    /// Groups (by first id) the user left out.
    declined: std::collections::HashSet<String>,
}

impl SuggestWindow {
    /// Starts reading the photographs of `corpus`.
    pub fn new(corpus: Option<Arc<Corpus>>) -> Self {
        let reading = corpus.and_then(|corpus| {
            worker::run("folio-exif", "photograph reader", move || photos(&corpus)).ok()
        });
        Self {
            photos: None,
            reading,
            gap: 90,
            declined: std::collections::HashSet::new(),
        }
    }

    fn poll(&mut self) {
        if let Some(receiver) = &self.reading {
            match receiver.try_recv() {
                Ok(outcome) => {
                    self.photos = Some(outcome);
                    self.reading = None;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.photos = Some(Err("the photograph reader stopped".into()));
                    self.reading = None;
                }
            }
        }
    }

    /// Whether it still reads photographs (the window repaints meanwhile).
    pub fn is_busy(&self) -> bool {
        self.reading.is_some()
    }
}

/// Documents that are one photograph each and have no text, in corpus
/// order, with when each was taken.
fn photos(corpus: &Corpus) -> Vec<Photo> {
    corpus
        .documents
        .iter()
        .filter(|d| d.pages.len() == 1 && d.layers.iter().all(|l| l.kind == LayerKind::Summary))
        .map(|d| {
            let image = &d.pages[0].image;
            Photo {
                id: d.id.clone(),
                name: image
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                taken: exif::taken(&corpus.root.join(image)),
            }
        })
        .collect()
}

impl Window for SuggestWindow {
    type Data<'a> = ();

    fn show(&mut self, ctx: &egui::Context, (): (), commands: &mut Vec<Command>) {
        self.poll();
        let mut open = true;
        egui::Window::new("Suggested documents")
            .id(egui::Id::unique("folio-suggest"))
            .open(&mut open)
            .default_size([520.0, 460.0])
            .show(ctx, |ui| self.body(ui, commands));
        if !open {
            commands.push(Command::ShowSuggestions(false));
        }
    }
}

impl SuggestWindow {
    fn body(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let photos = match &self.photos {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Reading when each photograph was taken…");
                });
                return;
            }
            Some(Err(reason)) => {
                ui.colored_label(ui.visuals().error_fg_color, reason);
                return;
            }
            Some(Ok(photos)) => photos,
        };
        let dated = photos.iter().filter(|p| p.taken.is_some()).count();
        ui.label(format!(
            "{} photographs are documents of their own; {dated} say when they were taken.",
            photos.len()
        ));
        ui.horizontal(|ui| {
            ui.label("One document: photographs taken less than");
            ui.add(
                egui::DragValue::new(&mut self.gap)
                    .range(1..=3600)
                    .suffix(" s"),
            );
            ui.label("apart, or named alike (delo95_001, delo95_002).");
        });
        let groups = exif::suggest(photos, self.gap);
        if groups.is_empty() {
            ui.label(RichText::new("No group to suggest.").weak());
            return;
        }
        let chosen: Vec<&Suggestion> = groups
            .iter()
            .filter(|g| !self.declined.contains(&g.ids[0]))
            .collect();
        ui.horizontal(|ui| {
            if ui
                .button(format!("Make {} documents", chosen.len()))
                .clicked()
                && !chosen.is_empty()
            {
                commands.push(Command::AcceptGroups(
                    chosen.iter().map(|g| g.ids.clone()).collect(),
                ));
                commands.push(Command::ShowSuggestions(false));
            }
            if ui.button("None").clicked() {
                self.declined = groups.iter().map(|g| g.ids[0].clone()).collect();
            }
            if ui.button("All").clicked() {
                self.declined.clear();
            }
        });
        egui::ScrollArea::vertical().show(ui, |ui| {
            for group in &groups {
                let mut take = !self.declined.contains(&group.ids[0]);
                let why = match group.because {
                    Because::TakenTogether => "taken together",
                    Because::SameName => "named alike",
                };
                let label = format!(
                    "{} photographs: {} … {} ({why})",
                    group.ids.len(),
                    group.ids[0],
                    group.ids[group.ids.len() - 1]
                );
                if ui.checkbox(&mut take, label).changed() {
                    if take {
                        self.declined.remove(&group.ids[0]);
                    } else {
                        self.declined.insert(group.ids[0].clone());
                    }
                }
            }
        });
    }
}
