//! The search box over the list, and a line saying what the search is
//! doing (indexing, searching, how many documents match).

use eframe::egui;

use super::Command;
use super::search::SearchState;
use super::view::View;

/// What the empty box suggests.
const HINT: &str =
    "Search every text (Ctrl+F): Qasimi  \"Soviet aid\"  Kuld*  -Stalin  author:…  date:1945..1947";

/// The search box; asked to take the keyboard by Ctrl+F.
#[derive(Debug, Default, Clone)]
pub struct SearchBar {
    /// Give the box the keyboard on the next frame.
    pub focus: bool,
}

/// What the search bar shows this frame.
#[derive(Debug, Clone, Copy)]
pub struct SearchBarData<'a> {
    pub search: &'a SearchState,
    /// The texts are still being indexed for the typed search.
    pub indexing: bool,
    /// Rows in the list (the search's matches that pass the filters).
    pub rows: usize,
}

impl View for SearchBar {
    type Data<'a> = SearchBarData<'a>;

    fn ui(&mut self, ui: &mut egui::Ui, data: SearchBarData<'_>, commands: &mut Vec<Command>) {
        let mut text = data.search.text.clone();
        ui.horizontal(|ui| {
            let label = ui.label("Search");
            let clear_width = if text.is_empty() { 0.0 } else { 28.0 };
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut text)
                        // A fixed id: the field keeps the keyboard while the
                        // widgets around it change.
                        .id(egui::Id::unique("folio-search-box"))
                        .hint_text(HINT)
                        .desired_width(ui.available_width() - clear_width),
                )
                .labelled_by(label.id);
            let clear = !text.is_empty()
                && ui
                    .small_button("✕")
                    .on_hover_text("Clear the search")
                    .clicked();
            if self.focus {
                field.request_focus();
                self.focus = false;
            }
            if clear {
                commands.push(Command::Search(String::new()));
            } else if field.changed() {
                commands.push(Command::Search(text.clone()));
            }
        });
        let status = if let Some(problem) = &data.search.problem {
            Some(egui::RichText::new(problem).color(ui.visuals().warn_fg_color))
        } else if data.indexing {
            Some(egui::RichText::new("indexing the texts… the search runs when it is done").weak())
        } else if data.search.is_running() {
            Some(egui::RichText::new("searching…").weak())
        } else {
            data.search.matching.as_ref().map(|matching| {
                egui::RichText::new(format!(
                    "{} the search; {} with the filters",
                    match matching.len() {
                        1 => "1 document matches".to_owned(),
                        n => format!("{n} documents match"),
                    },
                    data.rows
                ))
                .weak()
            })
        };
        if let Some(status) = status {
            ui.label(status.small());
        }
    }
}
