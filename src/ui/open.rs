//! Choosing a folder: the desktop's dialog (`rfd`, through the XDG desktop
//! portal) on the `folio-dialog` thread, and folio's own chooser for when
//! no portal answers. Directory listings for the chooser are read on the
//! `folio-browse` thread; the window only draws what comes back.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

use super::worker::Outcome;
use std::time::{Duration, Instant};

use eframe::egui;

use super::Command;
use super::view::Window;

/// A native dialog that answers faster than this with no folder most
/// likely never showed (no portal, no zenity): fall back to the chooser.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

/// The native dialog while it is open.
#[derive(Debug)]
pub struct NativeDialog {
    receiver: Receiver<Outcome<Option<PathBuf>>>,
    started: Instant,
}

/// What the native dialog came back with.
#[derive(Debug, PartialEq, Eq)]
pub enum DialogOutcome {
    Pending,
    Chosen(PathBuf),
    Cancelled,
    /// The desktop has no file dialog: use the in-app chooser.
    Unavailable,
}

impl NativeDialog {
    /// Opens the desktop's folder dialog, starting in `start`.
    pub fn spawn(start: Option<PathBuf>) -> std::io::Result<Self> {
        let receiver = super::worker::run("folio-dialog", "desktop dialog", move || {
            let mut dialog = rfd::FileDialog::new().set_title("Open a corpus folder");
            if let Some(start) = start {
                dialog = dialog.set_directory(start);
            }
            dialog.pick_folder()
        })?;
        Ok(Self {
            receiver,
            started: Instant::now(),
        })
    }

    pub fn poll(&self) -> DialogOutcome {
        match self.receiver.try_recv() {
            Ok(Ok(Some(path))) => DialogOutcome::Chosen(path),
            Ok(Ok(None)) if self.started.elapsed() < NO_DIALOG_WITHIN => DialogOutcome::Unavailable,
            Ok(Ok(None)) => DialogOutcome::Cancelled,
            // The dialog library panicked: fall back to folio's own chooser.
            Ok(Err(_)) => DialogOutcome::Unavailable,
            Err(TryRecvError::Empty) => DialogOutcome::Pending,
            Err(TryRecvError::Disconnected) => DialogOutcome::Unavailable,
        }
    }
}

/// One folder's sub-folders, or why they could not be listed.
type Listing = Result<Vec<(String, PathBuf)>, String>;

/// folio's own folder chooser.
#[derive(Debug)]
pub struct FolderChooser {
    pub folder: PathBuf,
    pub field: String,
    listing: Option<Listing>,
    receiver: Option<Receiver<Outcome<(PathBuf, Listing)>>>,
    /// Why the chooser opened instead of the desktop dialog, if it did.
    pub reason: Option<String>,
}

impl FolderChooser {
    pub fn new(folder: PathBuf, reason: Option<String>) -> Self {
        let mut chooser = Self {
            field: folder.display().to_string(),
            folder: folder.clone(),
            listing: None,
            receiver: None,
            reason,
        };
        chooser.go_to(folder);
        chooser
    }

    /// Shows `folder` and starts listing it in the background.
    pub fn go_to(&mut self, folder: PathBuf) {
        self.field = folder.display().to_string();
        self.folder.clone_from(&folder);
        self.listing = None;
        let spawned = super::worker::run("folio-browse", "folder listing", move || {
            let listing = list_folders(&folder);
            (folder, listing)
        });
        match spawned {
            Ok(receiver) => self.receiver = Some(receiver),
            Err(e) => self.listing = Some(Err(format!("cannot list folders: {e}"))),
        }
    }

    fn poll(&mut self) {
        if let Some(receiver) = &self.receiver {
            match receiver.try_recv() {
                Ok(Ok((folder, listing))) => {
                    if folder == self.folder {
                        self.listing = Some(listing);
                    }
                    self.receiver = None;
                }
                Ok(Err(reason)) => {
                    self.listing = Some(Err(reason));
                    self.receiver = None;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.receiver = None,
            }
        }
    }
}

/// Visible sub-folders of `folder`, in natural order.
fn list_folders(folder: &Path) -> Listing {
    let entries = std::fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut folders: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    folders.sort_by(|a, b| crate::corpus::natural_cmp(&a.0, &b.0));
    Ok(folders)
}

impl Window for FolderChooser {
    type Data<'a> = ();

    /// Draws the chooser window; returns `Open` or `CloseChooser`.
    fn show(&mut self, ctx: &egui::Context, (): (), commands: &mut Vec<Command>) {
        self.poll();
        let mut open = true;
        let mut go_to = None;
        egui::Window::new("Open a corpus folder")
            .open(&mut open)
            .collapsible(false)
            .default_size([520.0, 420.0])
            .show(ctx, |ui| {
                if let Some(reason) = &self.reason {
                    ui.label(egui::RichText::new(reason).weak());
                }
                ui.horizontal(|ui| {
                    if ui.button("↑ Up").clicked()
                        && let Some(parent) = self.folder.parent()
                    {
                        go_to = Some(parent.to_owned());
                    }
                    let label = ui.label("Folder or URL");
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.field)
                                .hint_text("a folder, or a IIIF manifest's http(s) address")
                                .desired_width(ui.available_width() - 40.0),
                        )
                        .labelled_by(label.id);
                    let field =
                        field.on_hover_text("A folder to list, or a IIIF manifest URL to open");
                    if (field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)))
                        || ui.button("Go").clicked()
                    {
                        let typed = PathBuf::from(self.field.trim());
                        // A manifest URL is opened (fetched by the loader).
                        if crate::corpus::formats::iiif::is_remote(&typed) {
                            commands.push(Command::Open(typed));
                        } else {
                            go_to = Some(typed);
                        }
                    }
                });
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("chooser-list")
                    .max_height(280.0)
                    .auto_shrink([false, false])
                    .show(ui, |ui| match &self.listing {
                        None => {
                            ui.label("Reading…");
                        }
                        Some(Err(reason)) => {
                            ui.colored_label(ui.visuals().warn_fg_color, reason);
                        }
                        Some(Ok(folders)) if folders.is_empty() => {
                            ui.label(egui::RichText::new("No sub-folders.").weak());
                        }
                        Some(Ok(folders)) => {
                            for (name, path) in folders {
                                let response = ui.selectable_label(false, format!("{name}/"));
                                if response.double_clicked() {
                                    commands.push(Command::Open(path.clone()));
                                } else if response.clicked() {
                                    go_to = Some(path.clone());
                                }
                            }
                        }
                    });
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button("Open this folder").clicked() {
                        commands.push(Command::Open(self.folder.clone()));
                    }
                    if ui.button("Cancel").clicked() {
                        commands.push(Command::CloseChooser);
                    }
                });
            });
        if let Some(folder) = go_to {
            self.go_to(folder);
        }
        if !open {
            commands.push(Command::CloseChooser);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_visible_subfolders_in_natural_order() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for name in ["d10", "d2", ".hidden"] {
            std::fs::create_dir(dir.path().join(name)).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(dir.path().join("file.txt"), "x").unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<String> = list_folders(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["d2", "d10"]);
        assert!(list_folders(&dir.path().join("missing")).is_err());
    }
}
