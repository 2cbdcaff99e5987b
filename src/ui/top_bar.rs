//! The top bar: menus, the open folder, what the loader is doing and the
//! messages of the moment.

use eframe::egui;

use super::frame::{progress_fraction, progress_text};
use super::settings::Theme;
use super::{AppState, Command, OcrScope, bundled_documents};

impl AppState {
    pub(super) fn top_bar(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| self.file_menu(ui, &mut commands));
            ui.menu_button("View", |ui| self.view_menu(ui, &mut commands));
            ui.add_enabled_ui(self.corpus.is_some(), |ui| {
                ui.menu_button("Describe", |ui| self.describe_menu(ui, &mut commands));
                ui.menu_button("Export", |ui| self.export_menu(ui, &mut commands));
            });
            self.activity(ui, &mut commands);
        });
        if let Some(notice) = &self.notice {
            ui.colored_label(ui.visuals().warn_fg_color, notice);
        }
        commands
    }

    fn file_menu(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if ui
            .add(egui::Button::new("Open folder…").shortcut_text("Ctrl+O"))
            .clicked()
        {
            commands.push(Command::ChooseFolder);
        }
        if ui.button("Browse folders in folio…").clicked() {
            commands.push(Command::Browse(None));
        }
        ui.menu_button("Open recent", |ui| {
            if self.settings.recent.is_empty() {
                ui.label(egui::RichText::new("No recent folders").weak());
            }
            for folder in &self.settings.recent {
                if ui.button(folder.display().to_string()).clicked() {
                    commands.push(Command::Open(folder.clone()));
                }
            }
        });
        if let Some(bundled) = bundled_documents()
            && ui.button("Open the bundled documents").clicked()
        {
            commands.push(Command::Open(bundled));
        }
        if let Some(corpus) = &self.corpus
            && ui.button("Reload").clicked()
        {
            commands.push(Command::Open(corpus.root.clone()));
        }
        ui.separator();
        if ui
            .add(egui::Button::new("Quit").shortcut_text("Ctrl+Q"))
            .clicked()
        {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn view_menu(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let mut show = self.settings.show_filters;
        if ui.checkbox(&mut show, "Filters").changed() {
            commands.push(Command::SetShowFilters(show));
        }
        let mut show = self.settings.show_list;
        if ui.checkbox(&mut show, "Document list").changed() {
            commands.push(Command::SetShowList(show));
        }
        let mut thumbnails = self.settings.list_thumbnails;
        if ui
            .add_enabled(
                self.has_scans,
                egui::Checkbox::new(&mut thumbnails, "Thumbnails in the list"),
            )
            .on_disabled_hover_text("This folder has no page images")
            .changed()
        {
            commands.push(Command::SetListThumbnails(thumbnails));
        }
        let mut reading = self.reading_mode;
        if ui
            .add_enabled(
                self.reader.document.is_some(),
                egui::Checkbox::new(&mut reading, "Read full width (Enter / Esc)"),
            )
            .changed()
        {
            commands.push(Command::SetReading(reading));
        }
        let mut errors = self.show_errors;
        if ui.checkbox(&mut errors, "Load errors").changed() {
            commands.push(Command::SetShowErrors(errors));
        }
        if ui
            .add_enabled(
                self.corpus.is_some(),
                egui::Button::new("Names to reconcile…"),
            )
            .clicked()
        {
            commands.push(Command::ShowReconcile(true));
        }
        ui.separator();
        for (theme, label) in [
            (Theme::System, "Theme: system"),
            (Theme::Light, "Theme: light"),
            (Theme::Dark, "Theme: dark"),
        ] {
            if ui.radio(self.settings.theme == theme, label).clicked() {
                commands.push(Command::SetTheme(theme));
            }
        }
        ui.separator();
        ui.label(format!(
            "Interface size {:.0}% (Ctrl + / Ctrl − / Ctrl 0)",
            ui.ctx().zoom_factor() * 100.0
        ));
        ui.horizontal(|ui| {
            ui.label(format!("Text size {:.0} pt", self.settings.text_size));
            if ui.small_button("−").clicked() {
                commands.push(Command::ChangeTextSize(-1.0));
            }
            if ui.small_button("+").clicked() {
                commands.push(Command::ChangeTextSize(1.0));
            }
        });
    }

    /// Grouping photographs into documents and describing many at once.
    fn describe_menu(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if ui.button("Suggested documents from photographs…").clicked() {
            commands.push(Command::ShowSuggestions(true));
        }
        let chosen = self.picked.len();
        if ui
            .add_enabled(
                chosen > 1,
                egui::Button::new(format!("Make the {chosen} chosen rows one document"))
                    .shortcut_text("Ctrl+G"),
            )
            .clicked()
        {
            commands.push(Command::GroupPicked);
        }
        if ui
            .add_enabled(
                chosen > 1,
                egui::Button::new(format!("Describe the {chosen} chosen documents…")),
            )
            .clicked()
        {
            commands.push(Command::ShowBatch(true));
        }
        let last = self.describe_undo.last().map(|(what, _)| what.as_str());
        if ui
            .add_enabled(
                last.is_some(),
                egui::Button::new(format!("Undo {}", last.unwrap_or("a description change")))
                    .shortcut_text("Ctrl+Z"),
            )
            .clicked()
        {
            commands.push(Command::UndoDescribe);
        }
        ui.separator();
        let reading = self.ocr_job.is_none();
        for (scope, label) in [
            (OcrScope::Page, "Read the text of this page (OCR)"),
            (OcrScope::Document, "Read the text of this document (OCR)"),
            (
                OcrScope::Chosen,
                "Read the text of the chosen documents (OCR)",
            ),
            (
                OcrScope::Untexted,
                "Read the text of every document with scans and no text (OCR)",
            ),
        ] {
            if ui.add_enabled(reading, egui::Button::new(label)).clicked() {
                commands.push(Command::Ocr(scope));
            }
        }
        ui.separator();
        ui.label(
            egui::RichText::new(format!(
                "Choose rows with Ctrl+click, Shift+click or Shift+↑/↓. Descriptions are kept in {}.",
                self.overlay.folder().display()
            ))
            .weak(),
        );
    }

    /// The listed documents in each export format, to a file or the clipboard.
    fn export_menu(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.label(
            egui::RichText::new(format!(
                "The {} listed documents, in list order",
                self.rows.len()
            ))
            .weak(),
        );
        for format in crate::research::export::Format::ALL {
            ui.menu_button(format.label(), |ui| {
                if ui.button("Save to a file…").clicked() {
                    commands.push(Command::ExportSelection(format));
                }
                if ui.button("Copy").clicked() {
                    commands.push(Command::CopySelection(format));
                }
            });
        }
    }

    /// The open folder, what the loader and the indexer are doing, and
    /// the status of the moment.
    fn activity(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.separator();
        if let Some(corpus) = &self.corpus {
            ui.label(egui::RichText::new(corpus.root.display().to_string()).strong())
                .on_hover_text(format!(
                    "{}, {}",
                    crate::text::count(corpus.documents.len(), "document", "documents"),
                    crate::text::count(corpus.errors.len(), "load error", "load errors")
                ));
            if !corpus.errors.is_empty()
                && !self.show_errors
                && ui
                    .small_button(crate::text::count(corpus.errors.len(), "error", "errors"))
                    .clicked()
            {
                commands.push(Command::SetShowErrors(true));
            }
        }
        if let Some(job) = &self.job {
            ui.separator();
            let fraction = match job.indexing {
                Some((done, total)) if total > 0 => done as f32 / total as f32,
                _ => progress_fraction(job.progress),
            };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(200.0)
                    .text(progress_text(job)),
            );
            if ui.button("Cancel").clicked() {
                commands.push(Command::CancelLoad);
            }
        }
        if let Some(job) = &self.ocr_job {
            ui.separator();
            ui.add(
                egui::ProgressBar::new(job.fraction())
                    .desired_width(200.0)
                    .text(job.progress()),
            );
            if ui.button("Cancel OCR").clicked() {
                commands.push(Command::CancelOcr);
            }
        }
        if let Some(status) = &self.status {
            transient(ui, status);
        }
        if let Some((done, total)) = self.watch.as_ref().and_then(|w| w.indexing) {
            ui.separator();
            ui.label(egui::RichText::new(format!("indexing changes {done} / {total}")).weak());
        } else if let Some(update) = &self.update {
            ui.separator();
            ui.label(egui::RichText::new(update).weak());
        }
        if self.dialog.is_some() {
            ui.label(egui::RichText::new("choosing a folder…").weak());
        }
    }
}

/// How long a message of what was done stays in the top bar (fading out
/// over its last second); one of work under way ("exporting…") stays.
const STATUS_SHOWN: f64 = 6.0;

/// Shows `status` in the top bar until it is [`STATUS_SHOWN`] seconds old.
fn transient(ui: &mut egui::Ui, status: &str) {
    let id = ui.make_persistent_id("top-bar-status");
    let now = ui.input(|i| i.time);
    let since = ui.ctx().data_mut(|d| {
        let seen = d.get_temp_mut_or_insert_with(id, || (status.to_owned(), now));
        if seen.0 != status {
            *seen = (status.to_owned(), now);
        }
        seen.1
    });
    let lasting = status.ends_with('…');
    let age = now - since;
    if !lasting && age > STATUS_SHOWN {
        return;
    }
    let fade = if lasting {
        1.0
    } else {
        ((STATUS_SHOWN - age) as f32).clamp(0.0, 1.0)
    };
    ui.separator();
    let colour = ui.visuals().text_color().gamma_multiply(fade);
    ui.label(egui::RichText::new(status).color(colour));
    if !lasting {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    }
}
