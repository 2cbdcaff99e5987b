//! The pages of the open document: their order (↑ ↓, or Alt+← Alt+→ on
//! the shown page), their folios (numbered once from a page on, recto and
//! verso if the archive counts so), a split before a page, a page moved to
//! another document, and the pages of a document grouped in folio given
//! back.

use eframe::egui::{self, RichText};

use super::DescribeData;
use crate::ui::Command;

/// What is typed in the pages part.
#[derive(Debug, Default, Clone)]
pub struct PagesBoxes {
    pub folio_start: String,
    pub recto_verso: bool,
    pub move_to: String,
    /// Where to write the document as a folder.
    pub write_to: String,
    /// The language of a new translation.
    pub new_language: String,
}

pub fn ui(
    boxes: &mut PagesBoxes,
    ui: &mut egui::Ui,
    data: &DescribeData<'_>,
    commands: &mut Vec<Command>,
) {
    let doc = data.doc;
    let grouped = data.description().pages.is_some();
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Pages ({})", doc.pages.len())).strong());
        if grouped
            && ui
                .small_button("Ungroup")
                .on_hover_text("Give these pages back to the documents they were read as")
                .clicked()
        {
            commands.push(Command::Ungroup(doc.id.clone()));
        }
    });
    if doc.pages.is_empty() {
        ui.label(RichText::new("This document has no page images.").weak());
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("describe-pages")
        .max_height(160.0)
        .show(ui, |ui| {
            for (n, page) in doc.pages.iter().enumerate() {
                ui.horizontal(|ui| {
                    let name = page.image.file_name().map_or_else(
                        || page.image.display().to_string(),
                        |f| f.to_string_lossy().into_owned(),
                    );
                    let folio = page
                        .label
                        .as_deref()
                        .map(|l| format!(" · f. {l}"))
                        .unwrap_or_default();
                    let shown = n == data.page;
                    if ui
                        .selectable_label(shown, format!("{}. {name}{folio}", n + 1))
                        .clicked()
                    {
                        commands.push(Command::SetPage(n));
                    }
                    if n > 0
                        && ui
                            .small_button("↑")
                            .on_hover_text("Move this page up (Alt+←)")
                            .clicked()
                    {
                        commands.push(Command::MovePage { from: n, to: n - 1 });
                    }
                    if n + 1 < doc.pages.len()
                        && ui
                            .small_button("↓")
                            .on_hover_text("Move this page down (Alt+→)")
                            .clicked()
                    {
                        commands.push(Command::MovePage { from: n, to: n + 1 });
                    }
                    if n > 0
                        && ui
                            .small_button("split here")
                            .on_hover_text(
                                "This page and those after it become a document of their own",
                            )
                            .clicked()
                    {
                        commands.push(Command::Split { at: n });
                    }
                });
            }
        });
    numbering(boxes, ui, data, commands);
    ui.horizontal(|ui| {
        let label = ui.label(format!("Move page {} to document", data.page + 1));
        ui.add(
            egui::TextEdit::singleline(&mut boxes.move_to)
                .desired_width(140.0)
                .hint_text("its id"),
        )
        .labelled_by(label.id);
        if ui.button("Move").clicked() && !boxes.move_to.trim().is_empty() {
            commands.push(Command::MovePageTo {
                page: data.page,
                document: boxes.move_to.trim().to_owned(),
            });
        }
    });
}

/// "New translation in [de] [Add]": an empty text beside the scan, to
/// type page by page.
pub fn new_text(boxes: &mut PagesBoxes, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        commands.extend(new_translation(ui, &mut boxes.new_language, None, false));
    });
}

/// The fields of "New translation in [de] [Add]", in a row the caller
/// makes: the command for a new translation in the typed language (shown
/// in reading pane `pane`) when Add is clicked or Enter pressed in the box
/// with a language folio reads (the box is then emptied); what is wrong
/// with the language otherwise. `focus` gives the box the keyboard.
pub fn new_translation(
    ui: &mut egui::Ui,
    language: &mut String,
    pane: Option<usize>,
    focus: bool,
) -> Option<Command> {
    let label = ui.label("New translation in");
    let field = ui
        .add(
            egui::TextEdit::singleline(language)
                .desired_width(90.0)
                .hint_text("e.g. de, English"),
        )
        .labelled_by(label.id);
    if focus {
        field.request_focus();
    }
    let reading = crate::research::describe::apply::parse_language(language);
    let ok = matches!(reading, Ok(Some(_)));
    let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let add = ui
        .add_enabled(ok, egui::Button::new("Add"))
        .on_hover_text("An empty text in that language beside the scan; type it page by page (✎ Edit this page)")
        .clicked();
    if let Err(reason) = reading {
        ui.colored_label(ui.visuals().error_fg_color, reason);
    }
    ((add || entered) && ok).then(|| {
        let language = std::mem::take(language);
        Command::NewText {
            kind: "translation".into(),
            language: language.trim().to_owned(),
            pane,
        }
    })
}

/// "Write this document as a folder in [~/Documents] [Write]": the
/// described work, portable (never into the corpus).
pub fn write_out(
    boxes: &mut PagesBoxes,
    ui: &mut egui::Ui,
    data: &DescribeData<'_>,
    commands: &mut Vec<Command>,
) {
    if boxes.write_to.is_empty() {
        boxes.write_to = data
            .corpus
            .root
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
    }
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Write this document as a document.toml folder in");
        ui.add(egui::TextEdit::singleline(&mut boxes.write_to).desired_width(220.0))
            .labelled_by(label.id);
        if ui
            .button("Write")
            .on_hover_text(
                "Its fields as described, copies of its page images, its texts; outside the corpus",
            )
            .clicked()
            && !boxes.write_to.trim().is_empty()
        {
            commands.push(Command::WriteFolder(std::path::PathBuf::from(
                boxes.write_to.trim(),
            )));
        }
    });
}

/// "Number folios from page N starting at [352] [x] recto and verso".
fn numbering(
    boxes: &mut PagesBoxes,
    ui: &mut egui::Ui,
    data: &DescribeData<'_>,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(format!(
            "Number folios from page {} starting at",
            data.page + 1
        ));
        ui.add(
            egui::TextEdit::singleline(&mut boxes.folio_start)
                .desired_width(60.0)
                .hint_text("e.g. 352"),
        )
        .labelled_by(label.id);
        ui.checkbox(&mut boxes.recto_verso, "recto and verso")
            .on_hover_text("Two pages per leaf: 352, 352 об. (or 352v), 353, …");
        let start = boxes.folio_start.trim().parse::<u32>();
        let number = ui.add_enabled(start.is_ok(), egui::Button::new("Number"));
        if let Ok(start) = start
            && number.clicked()
        {
            commands.push(Command::NumberFolios {
                from: data.page,
                start,
                recto_verso: boxes.recto_verso,
            });
        }
        if !boxes.folio_start.trim().is_empty() && start.is_err() {
            ui.colored_label(ui.visuals().error_fg_color, "a folio number, e.g. 352");
        }
    });
}
