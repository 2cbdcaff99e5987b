//! The filter panel: the date range with its timeline, authors and
//! recipients (type to narrow), the archive tree, languages, kinds and the
//! user's tags and notes, each with live counts. Each section is a struct
//! of its own file with its own view state; the panel reads the facet
//! index, the [`Filter`] and the current selection, and emits
//! [`Command`]s.

mod archive;
mod dates;
mod notes;
mod people;
mod timeline;
mod values;

use eframe::egui;

pub use dates::DateFilter;
pub use people::PeopleFacet;
pub use timeline::{DEFAULT_HEIGHT as TIMELINE_HEIGHT, Timeline};

use super::Command;
use super::notes::{NotesState, TagCounts};
use super::view::View;
use crate::index::facets::{Chosen, FacetIndex, Selection, Stacks};
use crate::index::filter::{Filter, Who};

/// The panel's sections with what is typed and opened in them.
#[derive(Debug, Default, Clone)]
pub struct FilterPanel {
    pub dates: DateFilter,
    pub authors: PeopleFacet,
    pub recipients: PeopleFacet,
}

/// What the filter panel shows this frame.
#[derive(Debug, Clone, Copy)]
pub struct FilterData<'a> {
    pub index: &'a FacetIndex,
    pub filter: &'a Filter,
    pub selection: &'a Selection,
    pub stacks: Option<&'a Stacks>,
    pub notes: &'a NotesState,
    pub tag_counts: &'a TagCounts,
    /// The timeline's height, as the user left it.
    pub timeline_height: f32,
}

impl View for FilterPanel {
    type Data<'a> = FilterData<'a>;

    fn ui(&mut self, ui: &mut egui::Ui, data: FilterData<'_>, commands: &mut Vec<Command>) {
        let FilterData {
            index,
            filter,
            selection,
            ..
        } = data;
        let chosen = index.chosen(filter);
        // The header keeps its place whatever is set: Clear all stays at
        // the right edge (greyed when there is nothing to clear) and the
        // summary is always one line (cut short, whole on hover), so
        // nothing moves under the pointer as filters come and go.
        let active = !filter.is_empty() || data.notes.filtering();
        ui.horizontal(|ui| {
            ui.strong(format!(
                "{} of {}",
                selection.documents.len(),
                crate::text::count(index.len(), "document", "documents")
            ));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let clear = ui
                    .add_enabled(active, egui::Button::new("Clear all"))
                    .on_hover_text("Clear every filter")
                    .on_disabled_hover_text("No filter is set");
                if clear.clicked() {
                    commands.push(Command::ClearFilters);
                    *self = Self::default();
                }
            });
        });
        let summary = summary(index, filter, &chosen);
        if summary.is_empty() {
            ui.add(egui::Label::new(egui::RichText::new("No filters set").weak()).truncate());
        } else {
            ui.add(egui::Label::new(egui::RichText::new(&summary).weak()).truncate())
                .on_hover_text(summary);
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| self.sections(ui, &data, &chosen, commands));
    }
}

impl FilterPanel {
    fn sections(
        &mut self,
        ui: &mut egui::Ui,
        data: &FilterData<'_>,
        chosen: &Chosen,
        commands: &mut Vec<Command>,
    ) {
        let FilterData {
            index, selection, ..
        } = *data;
        egui::CollapsingHeader::new("Date")
            .default_open(true)
            .show(ui, |ui| self.dates.ui(ui, data.into(), commands));
        let people = |ui: &mut egui::Ui,
                      facet: &mut PeopleFacet,
                      counts: &[u32],
                      ticked: &Option<Vec<u32>>,
                      command: fn(Who) -> Command,
                      commands: &mut Vec<Command>| {
            let toggled = facet.show(ui, &index.people, counts, Chosen::ticked(ticked));
            commands.extend(
                toggled
                    .into_iter()
                    .filter_map(|id| index.person(id))
                    .map(command),
            );
        };
        egui::CollapsingHeader::new("Authors")
            .default_open(true)
            .show(ui, |ui| {
                let counts = &selection.authors;
                people(
                    ui,
                    &mut self.authors,
                    counts,
                    &chosen.authors,
                    Command::ToggleAuthor,
                    commands,
                );
            });
        egui::CollapsingHeader::new("Recipients")
            .default_open(false)
            .show(ui, |ui| {
                let counts = &selection.recipients;
                let ticked = &chosen.recipients;
                people(
                    ui,
                    &mut self.recipients,
                    counts,
                    ticked,
                    Command::ToggleRecipient,
                    commands,
                );
            });
        egui::CollapsingHeader::new("Archive")
            .default_open(true)
            .show(ui, |ui| {
                archive::tree(ui, index, selection, chosen.archive_node(), commands);
            });
        egui::CollapsingHeader::new("Language")
            .default_open(true)
            .show(ui, |ui| {
                let language = |id| values::language_label(index.languages.label(id));
                let key = |id| index.languages.label(id).to_owned();
                ui.label(egui::RichText::new("Original").small().weak());
                let ticked = Chosen::ticked(&chosen.original_languages);
                let toggled = values::list(ui, &selection.original_languages, ticked, language);
                commands.extend(
                    toggled
                        .into_iter()
                        .map(|id| Command::ToggleOriginalLanguage(key(id))),
                );
                ui.label(egui::RichText::new("Texts in").small().weak());
                let ticked = Chosen::ticked(&chosen.layer_languages);
                let toggled = values::list(ui, &selection.layer_languages, ticked, language);
                commands.extend(
                    toggled
                        .into_iter()
                        .map(|id| Command::ToggleLayerLanguage(key(id))),
                );
            });
        egui::CollapsingHeader::new("Kind")
            .default_open(true)
            .show(ui, |ui| {
                let label = |id| index.kind_names.label(id).to_owned();
                let toggled =
                    values::list(ui, &selection.kinds, Chosen::ticked(&chosen.kinds), label);
                commands.extend(
                    toggled
                        .into_iter()
                        .map(|id| Command::ToggleKind(crate::text::fold(&label(id)))),
                );
            });
        egui::CollapsingHeader::new("Tags and notes")
            .default_open(true)
            .show(ui, |ui| {
                notes::section(ui, data.notes, data.tag_counts, commands);
            });
    }
}

/// One line saying which filters are on.
fn summary(index: &FacetIndex, filter: &Filter, chosen: &Chosen) -> String {
    let mut parts = Vec::new();
    if filter.has_dates() {
        parts.push(format!(
            "{} – {}",
            filter
                .from
                .map_or_else(|| "…".to_owned(), |d| d.to_string()),
            filter.to.map_or_else(|| "…".to_owned(), |d| d.to_string())
        ));
    }
    let people = |wanted: &[Who]| {
        wanted
            .iter()
            .map(|who| match who {
                Who::Person(key) => index
                    .people
                    .id(key)
                    .map_or_else(|| key.clone(), |id| index.people.label(id).to_owned()),
                Who::Named(words) => format!("“{words}”"),
            })
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let or = |values: &[String]| values.join(" or ");
    if !filter.authors.is_empty() {
        parts.push(format!("by {}", people(&filter.authors)));
    }
    if !filter.recipients.is_empty() {
        parts.push(format!("to {}", people(&filter.recipients)));
    }
    if let Some(node) = chosen.archive_node() {
        parts.push(format!("in {}", archive::path_label(index, node, "/")));
    }
    if !filter.languages.is_empty() {
        parts.push(format!("in {}", or(&filter.languages)));
    }
    if !filter.original_languages.is_empty() {
        parts.push(format!("original {}", or(&filter.original_languages)));
    }
    if !filter.layer_languages.is_empty() {
        parts.push(format!("texts in {}", or(&filter.layer_languages)));
    }
    if !filter.kinds.is_empty() {
        parts.push(or(&filter.kinds));
    }
    parts.join(" · ")
}
