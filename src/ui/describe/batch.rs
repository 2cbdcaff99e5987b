//! The batch editor: fields applied to every chosen document at once (a
//! whole shoot came from one delo), with a preview of what changes in
//! each, applied as one change that one undo takes back.

use eframe::egui::{self, RichText};

use crate::corpus::Corpus;
use crate::research::describe::DescribedPerson;
use crate::research::describe::apply::{parse_archive, parse_date, parse_language};
use crate::research::describe::edit::Field;
use crate::ui::Command;
use crate::ui::view::Window;

/// The values typed for the chosen documents (empty: left as they are).
#[derive(Debug, Default, Clone)]
pub struct BatchWindow {
    pub archive: String,
    pub date: String,
    pub kind: String,
    pub language: String,
    pub author: String,
    pub recipient: String,
}

/// What the batch editor works on.
#[derive(Debug, Clone, Copy)]
pub struct BatchData<'a> {
    /// The chosen documents, in list order.
    pub ids: &'a [String],
    pub corpus: &'a Corpus,
}

impl BatchWindow {
    /// The fields to set, or why one cannot be read.
    fn fields(
        &self,
        people_of: &dyn Fn(&str) -> Vec<DescribedPerson>,
        id: &str,
    ) -> Result<Vec<Field>, String> {
        let mut fields = Vec::new();
        let given = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        if let Some(archive) = given(&self.archive) {
            parse_archive(&archive)?;
            fields.push(Field::Archive(Some(archive)));
        }
        if let Some(date) = given(&self.date) {
            parse_date(&date)?;
            fields.push(Field::Date(Some(date)));
        }
        if let Some(kind) = given(&self.kind) {
            fields.push(Field::Kind(Some(kind)));
        }
        if let Some(language) = given(&self.language) {
            parse_language(&language)?;
            fields.push(Field::OriginalLanguage(Some(language)));
        }
        let (author, recipient) = (given(&self.author), given(&self.recipient));
        if author.is_some() || recipient.is_some() {
            let mut people = people_of(id);
            for (name, role) in [(author, "author"), (recipient, "recipient")] {
                if let Some(name) = name {
                    people.retain(|p| p.role != role);
                    people.push(DescribedPerson {
                        name,
                        role: role.to_owned(),
                    });
                }
            }
            fields.push(Field::People(Some(people)));
        }
        Ok(fields)
    }
}

impl Window for BatchWindow {
    type Data<'a> = BatchData<'a>;

    fn show(&mut self, ctx: &egui::Context, data: BatchData<'_>, commands: &mut Vec<Command>) {
        let mut open = true;
        egui::Window::new(format!("Describe {} documents", data.ids.len()))
            .id(egui::Id::unique("folio-batch"))
            .open(&mut open)
            .default_size([560.0, 420.0])
            .show(ctx, |ui| self.form(ui, data, commands));
        if !open {
            commands.push(Command::ShowBatch(false));
        }
    }
}

impl BatchWindow {
    fn form(&mut self, ui: &mut egui::Ui, data: BatchData<'_>, commands: &mut Vec<Command>) {
        if data.ids.len() < 2 {
            ui.label("Choose the documents in the list first: Ctrl+click or Shift+click rows, or Shift+↑/↓.");
            return;
        }
        ui.label(RichText::new("Each value given here is set on every chosen document; empty boxes change nothing.").weak());
        egui::Grid::new("batch-fields")
            .num_columns(2)
            .show(ui, |ui| {
                for (label, text, hint) in [
                    ("Archive", &mut self.archive, "ГАРФ Ф. Р-9401 Оп. 2 Д. 95"),
                    ("Date", &mut self.date, "1945 · April 1945"),
                    ("Kind", &mut self.kind, "letter"),
                    ("Language", &mut self.language, "ru"),
                    ("Author", &mut self.author, "Alihan Tore"),
                    ("Recipient", &mut self.recipient, "Stalin"),
                ] {
                    let label = ui.label(label);
                    ui.add(
                        egui::TextEdit::singleline(text)
                            .hint_text(RichText::new(format!("e.g. {hint}")).italics()),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                }
            });
        let people_of = |id: &str| -> Vec<DescribedPerson> {
            data.corpus
                .document(id)
                .map(|d| {
                    d.people
                        .iter()
                        .filter(|p| !p.from_text)
                        .map(|p| DescribedPerson {
                            name: p.name.clone(),
                            role: p.role.as_str().to_owned(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let first = data.ids.first().map_or("", String::as_str);
        match self.fields(&people_of, first) {
            Err(reason) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("cannot read: {reason}"),
                );
            }
            Ok(fields) if fields.is_empty() => {}
            Ok(_) => {
                self.preview(ui, data);
                if ui
                    .button(format!("Apply to {} documents", data.ids.len()))
                    .clicked()
                {
                    let each = data
                        .ids
                        .iter()
                        .filter_map(|id| Some((id.clone(), self.fields(&people_of, id).ok()?)))
                        .collect();
                    commands.push(Command::DescribeEach(each));
                    commands.push(Command::ShowBatch(false));
                }
            }
        }
    }

    /// What changes in each document: `field: before → after`.
    fn preview(&self, ui: &mut egui::Ui, data: BatchData<'_>) {
        ui.separator();
        ui.label(RichText::new("What changes").strong());
        egui::ScrollArea::vertical()
            .max_height(200.0)
            .show(ui, |ui| {
                for id in data.ids {
                    let Some(doc) = data.corpus.document(id) else {
                        continue;
                    };
                    let mut changes = Vec::new();
                    let mut change = |name: &str, before: String, after: &str| {
                        if !after.trim().is_empty() && before.trim() != after.trim() {
                            let before = if before.is_empty() {
                                "—".to_owned()
                            } else {
                                before
                            };
                            changes.push(format!("{name}: {before} → {}", after.trim()));
                        }
                    };
                    change(
                        "archive",
                        doc.archive
                            .as_ref()
                            .map(|a| a.raw.clone())
                            .unwrap_or_default(),
                        &self.archive,
                    );
                    change("date", doc.date.text.clone(), &self.date);
                    change("kind", doc.kind.clone().unwrap_or_default(), &self.kind);
                    change(
                        "language",
                        doc.original_language.clone().unwrap_or_default(),
                        &self.language,
                    );
                    change(
                        "author",
                        names(doc, crate::model::Role::Author),
                        &self.author,
                    );
                    change(
                        "recipient",
                        names(doc, crate::model::Role::Recipient),
                        &self.recipient,
                    );
                    let text = if changes.is_empty() {
                        format!("{id}: unchanged")
                    } else {
                        format!("{id}: {}", changes.join("; "))
                    };
                    ui.label(RichText::new(text).small());
                }
            });
    }
}

fn names(doc: &crate::model::Document, role: crate::model::Role) -> String {
    doc.people_with(role)
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
