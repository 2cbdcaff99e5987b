//! Exporting from the window: the Save window that asks where an export
//! of the selection goes, and the `folio-export` job that writes it (the
//! UI thread never writes files). The formats are `crate::research::export`'s.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use eframe::egui;

use super::Command;
use super::view::Window;
use super::worker::Outcome;
use crate::corpus::Corpus;
use crate::research::export::Format;

/// The Save window of an export: where the file goes.
#[derive(Debug)]
pub struct SaveWindow {
    pub format: Format,
    pub path: String,
}

impl SaveWindow {
    pub fn new(format: Format, corpus_root: &Path) -> Self {
        Self {
            format,
            path: default_path(format, corpus_root).display().to_string(),
        }
    }
}

/// `~/folio-<corpus folder>.<ext>` (the corpus itself is never written).
pub fn default_path(format: Format, corpus_root: &Path) -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(std::env::temp_dir, PathBuf::from);
    let name = corpus_root
        .file_name()
        .map_or_else(|| "corpus".into(), |n| n.to_string_lossy().into_owned());
    home.join(format!("folio-{name}.{}", format.extension()))
}

/// An export being written on the `folio-export` thread.
#[derive(Debug)]
pub struct SaveJob {
    receiver: Receiver<Outcome<Result<String, String>>>,
}

impl SaveJob {
    /// Writes `rows` of `corpus` (in that order) as `format` to `path`,
    /// atomically (a temporary file renamed over the target).
    pub fn spawn(
        corpus: Arc<Corpus>,
        rows: Vec<u32>,
        format: Format,
        path: PathBuf,
    ) -> std::io::Result<Self> {
        let receiver = super::worker::run("folio-export", "export", move || {
            let documents = rows
                .iter()
                .filter_map(|&i| corpus.documents.get(i as usize));
            let text = crate::research::export::write(format, documents);
            crate::cache::write_atomically(&path, text.as_bytes())
                .map(|()| {
                    format!(
                        "{} exported to {} ({})",
                        crate::text::count(rows.len(), "document", "documents"),
                        path.display(),
                        format.name()
                    )
                })
                .map_err(|e| format!("cannot write {}: {e}", path.display()))
        })?;
        Ok(Self { receiver })
    }

    /// `None` while writing; then what to tell the user, good or bad.
    pub fn poll(&self) -> Option<Result<String, String>> {
        match self.receiver.try_recv() {
            Ok(Ok(result)) => Some(result),
            Ok(Err(stopped)) => Some(Err(stopped)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("the export stopped".into())),
        }
    }
}

impl Window for SaveWindow {
    type Data<'a> = usize;

    /// Draws the window; `Save` or `CloseExport` when the user decides.
    fn show(&mut self, ctx: &egui::Context, documents: usize, commands: &mut Vec<Command>) {
        let mut open = true;
        egui::Window::new("Export the selection")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.label(format!(
                    "{}, in the list's order, as {}.",
                    crate::text::count(documents, "document", "documents"),
                    self.format.label()
                ));
                ui.horizontal(|ui| {
                    let label = ui.label("Save to");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.path)
                            .desired_width(400.0)
                            .id(egui::Id::unique("folio-export-path")),
                    )
                    .labelled_by(label.id);
                });
                let path = PathBuf::from(self.path.trim());
                if path.is_dir() {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        "That is a folder: add a file name.",
                    );
                } else if path.exists() {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        "A file of that name exists: Save replaces it.",
                    );
                }
                ui.horizontal(|ui| {
                    let can_save = !self.path.trim().is_empty() && !path.is_dir();
                    if ui
                        .add_enabled(can_save, egui::Button::new("Save"))
                        .clicked()
                    {
                        commands.push(Command::SaveExport {
                            format: self.format,
                            path: path.clone(),
                        });
                    }
                    if ui.button("Cancel").clicked() {
                        commands.push(Command::CloseExport);
                    }
                });
            });
        if !open {
            commands.push(Command::CloseExport);
        }
    }
}
