//! The single-value fields of the Describe section: title, date, kind,
//! archive reference, original language, each layer's language, summary
//! and source URL. Dates, references and languages are read as they are
//! typed, with what folio understood (or why it cannot) under the box; a
//! value is saved when the box is left or Enter is pressed, and only once
//! it can be read.

use eframe::egui::{self, RichText};

use super::{DescribeData, edited_mark};
use crate::model::{ArchiveRef, Document, LayerKind};
use crate::research::describe::Description;
use crate::research::describe::apply::{parse_archive, parse_date, parse_language};
use crate::research::describe::edit::Field;
use crate::ui::Command;

/// The text in each box.
#[derive(Debug, Default, Clone)]
pub struct Boxes {
    pub title: String,
    pub date: String,
    pub kind: String,
    pub archive: String,
    pub language: String,
    pub summary: String,
    pub source_url: String,
    /// Per text layer (summaries aside), its language.
    pub layers: Vec<String>,
}

impl Boxes {
    /// The boxes for `doc`: what the description says, else the file's value.
    pub fn of(doc: &Document, description: &Description) -> Self {
        let summary = doc
            .layers
            .iter()
            .find(|l| l.kind == LayerKind::Summary)
            .map(|l| l.text.clone());
        Self {
            title: description
                .title
                .clone()
                .unwrap_or_else(|| doc.title.clone()),
            date: description
                .date
                .clone()
                .unwrap_or_else(|| written_date(doc)),
            kind: description
                .kind
                .clone()
                .or_else(|| doc.kind.clone())
                .unwrap_or_default(),
            archive: description
                .archive
                .clone()
                .or_else(|| doc.archive.as_ref().map(|a| a.raw.clone()))
                .unwrap_or_default(),
            language: description
                .original_language
                .clone()
                .or_else(|| doc.original_language.clone())
                .unwrap_or_default(),
            summary: description.summary.clone().or(summary).unwrap_or_default(),
            source_url: description
                .source_url
                .clone()
                .or_else(|| doc.source_url.clone())
                .unwrap_or_default(),
            layers: doc
                .layers
                .iter()
                .map(|l| l.language.clone().unwrap_or_default())
                .collect(),
        }
    }

    /// Takes `fresh` values for the boxes left as they were filled
    /// (`before`); a box the user changed keeps its text.
    pub fn refill(&mut self, before: &Self, fresh: &Self) {
        let take = |now: &mut String, was: &String, new: &String| {
            if now == was {
                now.clone_from(new);
            }
        };
        take(&mut self.title, &before.title, &fresh.title);
        take(&mut self.date, &before.date, &fresh.date);
        take(&mut self.kind, &before.kind, &fresh.kind);
        take(&mut self.archive, &before.archive, &fresh.archive);
        take(&mut self.language, &before.language, &fresh.language);
        take(&mut self.summary, &before.summary, &fresh.summary);
        take(&mut self.source_url, &before.source_url, &fresh.source_url);
        if self.layers.len() == fresh.layers.len() && self.layers.len() == before.layers.len() {
            for ((now, was), new) in self
                .layers
                .iter_mut()
                .zip(&before.layers)
                .zip(&fresh.layers)
            {
                take(now, was, new);
            }
        } else {
            self.layers.clone_from(&fresh.layers);
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        original: &Self,
        data: &DescribeData<'_>,
        commands: &mut Vec<Command>,
    ) {
        let description = data.description();
        let id = data.doc.id.clone();
        let mut save = |field: Field| {
            commands.push(Command::Describe {
                ids: vec![id.clone()],
                fields: vec![field],
            });
        };
        let d = &description;
        // Boxes of a fixed share of the reader: a grid would otherwise
        // widen the reader's panel over the list.
        let width = (ui.available_width() * 0.55).clamp(160.0, 460.0);
        egui::Grid::new("describe-fields")
            .num_columns(2)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                let title = ("Title", "the document's title", width);
                if let Some(text) = line(
                    ui,
                    title,
                    &mut self.title,
                    &original.title,
                    d.title.is_some(),
                ) {
                    save(Field::Title(text.value()));
                }
                let date = (
                    "Date",
                    "22 апреля 1945 г. · June 1934 · c. 1950 · 1949年10月25日",
                    width,
                );
                if let Some(text) = line(ui, date, &mut self.date, &original.date, d.date.is_some())
                    && text.reads(parse_date)
                {
                    save(Field::Date(text.value()));
                }
                ui.label("");
                date_reading(ui, &self.date);
                ui.end_row();
                let archive = (
                    "Archive",
                    "ГАРФ Ф. Р-9401 Оп. 2 Д. 95 Л. 352–359 об.",
                    width,
                );
                if let Some(text) = line(
                    ui,
                    archive,
                    &mut self.archive,
                    &original.archive,
                    d.archive.is_some(),
                ) && text.reads(parse_archive)
                {
                    save(Field::Archive(text.value()));
                }
                ui.label("");
                ui.vertical(|ui| {
                    archive_reading(ui, &self.archive);
                    if let Some(index) = data.index {
                        archive_completion(ui, index, &mut self.archive);
                    }
                });
                ui.end_row();
                let kind = ("Kind", "letter, telegram, decision", width);
                if let Some(text) = line(ui, kind, &mut self.kind, &original.kind, d.kind.is_some())
                {
                    save(Field::Kind(text.value()));
                }
                if let Some(index) = data.index
                    && let Some(kind) = kind_completion(ui, index, &self.kind)
                {
                    self.kind.clone_from(&kind);
                    save(Field::Kind(Some(kind)));
                }
                let language = ("Language", "ru, Russian, zh-Hant, Uyghur", width);
                let overridden = d.original_language.is_some();
                if let Some(text) = line(
                    ui,
                    language,
                    &mut self.language,
                    &original.language,
                    overridden,
                ) && text.reads(parse_language)
                {
                    save(Field::OriginalLanguage(text.value()));
                }
                ui.label("");
                language_reading(ui, &self.language);
                ui.end_row();
                let url = ("Source URL", "https://…", width);
                let overridden = d.source_url.is_some();
                if let Some(text) = line(
                    ui,
                    url,
                    &mut self.source_url,
                    &original.source_url,
                    overridden,
                ) {
                    save(Field::SourceUrl(text.value()));
                }
            });
        self.layer_languages(ui, original, data, &description, &mut save);
        let label = ui.label("Summary");
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut self.summary)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .hint_text("What the document says, in a sentence or two"),
            )
            .labelled_by(label.id);
        if response.lost_focus() && self.summary.trim() != original.summary.trim() {
            save(Field::Summary(Some(self.summary.trim().to_owned())));
        }
        if edited_mark(ui, description.summary.is_some()) {
            save(Field::Summary(None));
        }
    }

    /// Each text layer's language.
    fn layer_languages(
        &mut self,
        ui: &mut egui::Ui,
        original: &Self,
        data: &DescribeData<'_>,
        description: &Description,
        save: &mut dyn FnMut(Field),
    ) {
        let layers: Vec<(usize, &crate::model::Layer)> = data
            .doc
            .layers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.kind != LayerKind::Summary)
            .collect();
        if layers.is_empty() {
            return;
        }
        ui.label(RichText::new("Language of each text").weak());
        for (i, layer) in layers {
            let Some(text) = self.layers.get_mut(i) else {
                continue;
            };
            ui.horizontal(|ui| {
                let label = ui.label(format!("{}. {}", i + 1, layer.kind.as_str()));
                let response = ui
                    .add(egui::TextEdit::singleline(text).desired_width(90.0))
                    .labelled_by(label.id);
                let done = response.lost_focus();
                let reading = parse_language(text);
                match &reading {
                    Ok(Some(tag)) => {
                        ui.label(RichText::new(format!("→ {tag}")).weak());
                    }
                    Ok(None) => {}
                    Err(reason) => {
                        ui.colored_label(ui.visuals().error_fg_color, reason);
                    }
                }
                let before = original.layers.get(i).map_or("", String::as_str);
                if done && reading.is_ok() && text.trim() != before.trim() {
                    let value = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
                    save(Field::LayerLanguage(i + 1, value));
                }
                let overridden = description.layers.iter().any(|l| l.layer == i + 1);
                if edited_mark(ui, overridden) {
                    save(Field::LayerLanguage(i + 1, None));
                }
            });
        }
    }
}

/// The date as the document's file gives it, for the box.
fn written_date(doc: &Document) -> String {
    if !doc.date.text.trim().is_empty() {
        return doc.date.text.clone();
    }
    if doc.date.is_unknown() {
        return String::new();
    }
    doc.date.to_string()
}

/// What leaving a box asks for.
enum Change {
    /// Save this value.
    Set(String),
    /// Forget the value written in folio (the box was emptied, or "use
    /// the file's value" clicked).
    Revert,
}

impl Change {
    fn value(self) -> Option<String> {
        match self {
            Self::Set(value) => Some(value),
            Self::Revert => None,
        }
    }

    /// Whether `read` accepts the value (a revert always is).
    fn reads<T, E>(&self, read: impl Fn(&str) -> Result<T, E>) -> bool {
        match self {
            Self::Set(value) => read(value).is_ok(),
            Self::Revert => true,
        }
    }
}

/// One labelled box in the grid, with the mark when the value is folio's;
/// what to save when the box is left with a new value.
fn line(
    ui: &mut egui::Ui,
    (label, hint, width): (&str, &str, f32),
    text: &mut String,
    original: &str,
    overridden: bool,
) -> Option<Change> {
    let label = ui.label(label);
    let mut changed = None;
    ui.horizontal(|ui| {
        let response = ui
            .add(
                egui::TextEdit::singleline(text)
                    .hint_text(RichText::new(format!("e.g. {hint}")).italics())
                    .desired_width(width),
            )
            .labelled_by(label.id);
        if response.lost_focus() && text.trim() != original.trim() {
            let value = text.trim().to_owned();
            changed = Some(if value.is_empty() {
                Change::Revert
            } else {
                Change::Set(value)
            });
        }
        if edited_mark(ui, overridden) {
            changed = Some(Change::Revert);
        }
    });
    ui.end_row();
    changed
}

/// What folio reads in the date box.
fn date_reading(ui: &mut egui::Ui, text: &str) {
    if text.trim().is_empty() {
        ui.label(RichText::new("undated").weak());
        return;
    }
    match parse_date(text) {
        Ok(date) => {
            let span = match (date.start, date.end) {
                (Some(a), Some(b)) if a == b => a.to_string(),
                (Some(a), Some(b)) => format!("{a} – {b}"),
                (Some(a), None) => format!("from {a}"),
                (None, Some(b)) => format!("until {b}"),
                (None, None) => "no interval".into(),
            };
            let mut flags = Vec::new();
            if date.approximate {
                flags.push("approximate");
            }
            if date.uncertain {
                flags.push("uncertain");
            }
            let flags = if flags.is_empty() {
                String::new()
            } else {
                format!(", {}", flags.join(", "))
            };
            ui.label(
                RichText::new(format!("→ {span} ({}{flags})", date.precision.as_str()))
                    .color(ui.visuals().text_color()),
            );
        }
        Err(reason) => {
            ui.colored_label(ui.visuals().error_fg_color, reason);
        }
    }
}

/// What folio reads in the archive box: each level.
fn archive_reading(ui: &mut egui::Ui, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    match parse_archive(text) {
        Ok(Some(reference)) => {
            ui.label(RichText::new(format!("→ {}", levels(&reference))).weak());
        }
        Ok(None) => {}
        Err(reason) => {
            ui.colored_label(ui.visuals().error_fg_color, reason);
        }
    }
}

/// "repository GARF · fond R-9401 · opis 2 · delo 95 · folios 352–359ob."
pub fn levels(reference: &ArchiveRef) -> String {
    [
        ("repository", &reference.repository),
        ("fond", &reference.fond),
        ("opis", &reference.opis),
        ("papka", &reference.papka),
        ("delo", &reference.delo),
        ("folios", &reference.folios),
    ]
    .iter()
    .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name} {v}")))
    .collect::<Vec<_>>()
    .join(" · ")
}

/// Archive tree nodes whose path holds what is typed, to take as the start
/// of the reference.
fn archive_completion(
    ui: &mut egui::Ui,
    index: &crate::index::facets::FacetIndex,
    text: &mut String,
) {
    let typed: String = crate::text::fold(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if typed.chars().count() < 2
        || parse_archive(text).is_ok_and(|r| r.is_some_and(|r| r.delo.is_some()))
    {
        return;
    }
    let mut shown = 0;
    ui.horizontal_wrapped(|ui| {
        for node in 0..index.archive_nodes.len() as u32 {
            if shown >= 5 {
                break;
            }
            let path: Vec<&str> = index
                .node_path(node)
                .iter()
                .map(|&n| index.archive_nodes[n as usize].label.as_str())
                .collect();
            if path.len() > 3 {
                continue;
            }
            let joined: String = crate::text::fold(&path.join(""))
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if !joined.contains(&typed) {
                continue;
            }
            shown += 1;
            let written = written_path(&path);
            if ui
                .small_button(format!("↳ {written}"))
                .on_hover_text("Start the reference here, then type the rest (d. …, l. …)")
                .clicked()
            {
                *text = format!("{written}, ");
            }
        }
    });
}

/// The corpus's kinds that start with what is typed (a row under the
/// box); the one clicked.
fn kind_completion(
    ui: &mut egui::Ui,
    index: &crate::index::facets::FacetIndex,
    typed: &str,
) -> Option<String> {
    let typed = crate::text::fold(typed.trim());
    if typed.is_empty() {
        return None;
    }
    let kinds: Vec<&str> = (0..index.kind_names.len() as u32)
        .map(|id| index.kind_names.label(id))
        .filter(|k| {
            let folded = crate::text::fold(k);
            folded.starts_with(&typed) && folded != typed
        })
        .take(6)
        .collect();
    if kinds.is_empty() {
        return None;
    }
    let mut chosen = None;
    ui.label("");
    ui.horizontal_wrapped(|ui| {
        for kind in kinds {
            if ui.small_button(kind).clicked() {
                chosen = Some(kind.to_owned());
            }
        }
    });
    ui.end_row();
    chosen
}

/// A tree path written as a reference: `GARF, f. R-9401ss, op. 2`.
fn written_path(path: &[&str]) -> String {
    let marks = ["", "f.", "op.", "d."];
    path.iter()
        .zip(marks)
        .map(|(label, mark)| {
            if mark.is_empty() {
                (*label).to_owned()
            } else {
                format!("{mark} {label}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What folio reads in the language box.
fn language_reading(ui: &mut egui::Ui, text: &str) {
    match parse_language(text) {
        Ok(Some(tag)) => {
            ui.label(RichText::new(format!("→ {tag}")).weak());
        }
        Ok(None) => {}
        Err(reason) => {
            ui.colored_label(ui.visuals().error_fg_color, reason);
        }
    }
}
