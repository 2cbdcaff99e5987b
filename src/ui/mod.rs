//! The desktop window. This first version lists the documents and the
//! load errors of a corpus; the explorer (filters, reader) builds on the
//! same state and commands.
//!
//! Panels never change state directly: they return [`Command`]s that
//! [`AppState::apply`] carries out. Loading runs on the `folio-loader`
//! thread; [`AppState::poll`] drains its channel once per frame within a
//! time budget.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use eframe::egui;

use crate::corpus::{Corpus, LoadOptions, Phase, Progress};
use crate::facets::{FacetIndex, FacetQuery, Selection};
use crate::model::Ymd;

pub mod filters;
pub mod fonts;
pub mod loader;

use loader::LoadMessage;

/// How long one frame may spend draining background messages.
const POLL_BUDGET: Duration = Duration::from_millis(10);

/// Something the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Load the corpus in this folder (the current one stays until it is done).
    Open(PathBuf),
    CancelLoad,
    /// Documents whose dates reach into `[from, to]`.
    SetDates {
        from: Option<Ymd>,
        to: Option<Ymd>,
    },
    SetIncludeUndated(bool),
    ToggleAuthor(u32),
    ToggleRecipient(u32),
    /// Documents in an archive subtree, or all.
    SelectArchive(Option<u32>),
    ToggleOriginalLanguage(u32),
    ToggleLayerLanguage(u32),
    ToggleKind(u32),
    ClearFilters,
}

/// A corpus being loaded in the background.
#[derive(Debug)]
pub struct LoadJob {
    pub path: PathBuf,
    pub progress: Option<Progress>,
    receiver: Receiver<LoadMessage>,
    options: LoadOptions,
}

/// Everything the window shows, apart from egui's own widget state.
#[derive(Debug, Default)]
pub struct AppState {
    pub corpus: Option<Arc<Corpus>>,
    pub index: Option<Arc<FacetIndex>>,
    /// The filters of the panel and what they select.
    pub query: FacetQuery,
    pub selection: Selection,
    pub filter_view: filters::FilterView,
    pub job: Option<LoadJob>,
    /// The last problem to tell the user about (a failed open).
    pub notice: Option<String>,
    /// The folder field of the top bar.
    pub path_input: String,
}

impl AppState {
    /// Carries out a command.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Open(path) => {
                if let Some(job) = self.job.take() {
                    job.options.cancel.store(true, Ordering::Relaxed);
                }
                self.path_input = path.display().to_string();
                let options = LoadOptions::default();
                match loader::spawn(path.clone(), options.clone()) {
                    Ok(receiver) => {
                        self.notice = None;
                        self.job = Some(LoadJob {
                            path,
                            progress: None,
                            receiver,
                            options,
                        });
                    }
                    Err(e) => self.notice = Some(format!("cannot start loading: {e}")),
                }
            }
            Command::CancelLoad => {
                if let Some(job) = self.job.take() {
                    job.options.cancel.store(true, Ordering::Relaxed);
                    self.notice = Some(format!("loading {} was cancelled", job.path.display()));
                }
            }
            Command::SetDates { from, to } => {
                self.query.from = from;
                self.query.to = to;
            }
            Command::SetIncludeUndated(include) => self.query.include_undated = include,
            Command::ToggleAuthor(id) => toggle(&mut self.query.authors, id),
            Command::ToggleRecipient(id) => toggle(&mut self.query.recipients, id),
            Command::SelectArchive(node) => self.query.archive = node,
            Command::ToggleOriginalLanguage(id) => toggle(&mut self.query.original_languages, id),
            Command::ToggleLayerLanguage(id) => toggle(&mut self.query.layer_languages, id),
            Command::ToggleKind(id) => toggle(&mut self.query.kinds, id),
            Command::ClearFilters => self.query = FacetQuery::default(),
        }
        self.refresh_selection();
    }

    /// Recounts the selection for the current filters.
    fn refresh_selection(&mut self) {
        if let Some(index) = &self.index {
            self.selection = index.select(&self.query);
        }
    }

    /// Takes what the loader sent, for at most `budget`. Returns true while
    /// a load is still running (the caller should repaint soon).
    pub fn poll(&mut self, budget: Duration) -> bool {
        let started = Instant::now();
        while let Some(job) = &mut self.job {
            match job.receiver.try_recv() {
                Ok(LoadMessage::Progress(p)) => job.progress = Some(p),
                Ok(LoadMessage::Done(loaded)) => {
                    self.corpus = Some(loaded.corpus);
                    self.index = Some(loaded.index);
                    self.query = FacetQuery::default();
                    self.filter_view = filters::FilterView::default();
                    self.refresh_selection();
                    self.job = None;
                }
                Ok(LoadMessage::Failed(reason)) => {
                    self.notice = Some(format!("cannot open {}: {reason}", job.path.display()));
                    self.job = None;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.notice = Some(format!(
                        "the loader of {} stopped without a result",
                        job.path.display()
                    ));
                    self.job = None;
                }
            }
            if started.elapsed() >= budget {
                break;
            }
        }
        self.job.is_some()
    }

    /// Blocks until the current load ends (for tests and scripts).
    pub fn wait_for_load(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.poll(POLL_BUDGET) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Draws the window and returns what the user asked for. Only the
    /// text of the folder field (view state) is changed here.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut path_input = std::mem::take(&mut self.path_input);
        egui::Panel::top("folio-top").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong("folio");
                ui.separator();
                ui.label("Folder:");
                let field = ui.add(
                    egui::TextEdit::singleline(&mut path_input)
                        .desired_width(360.0)
                        .hint_text("path to a corpus folder"),
                );
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button("Open").clicked() || entered {
                    let trimmed = path_input.trim();
                    if !trimmed.is_empty() {
                        commands.push(Command::Open(PathBuf::from(trimmed)));
                    }
                }
                if let Some(job) = &self.job {
                    ui.separator();
                    ui.add(
                        egui::ProgressBar::new(progress_fraction(job.progress))
                            .desired_width(180.0)
                            .text(progress_text(job)),
                    );
                    if ui.button("Cancel").clicked() {
                        commands.push(Command::CancelLoad);
                    }
                }
            });
            if let Some(notice) = &self.notice {
                ui.colored_label(ui.visuals().warn_fg_color, notice);
            }
        });
        self.path_input = path_input;

        let Some(corpus) = &self.corpus else {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.centered_and_justified(|ui| {
                    ui.label(if self.job.is_some() {
                        "Loading…"
                    } else {
                        "Open a folder of documents to begin."
                    });
                });
            });
            return commands;
        };

        if !corpus.errors.is_empty() {
            egui::Panel::bottom("folio-errors")
                .resizable(true)
                .default_size(140.0)
                .show(ui, |ui| {
                    ui.strong(format!(
                        "{} entries could not be loaded",
                        corpus.errors.len()
                    ));
                    egui::ScrollArea::vertical()
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            for error in &corpus.errors {
                                ui.horizontal_wrapped(|ui| {
                                    ui.monospace(error.path.display().to_string());
                                    ui.label(&error.reason);
                                });
                            }
                        });
                });
        }

        if let Some(index) = &self.index {
            egui::Panel::left("folio-filters")
                .resizable(true)
                .default_size(280.0)
                .show(ui, |ui| {
                    commands.extend(filters::panel(
                        ui,
                        index,
                        &self.query,
                        &self.selection,
                        &mut self.filter_view,
                    ));
                });
        }

        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(format!(
                "{} — {} documents",
                corpus.root.display(),
                corpus.documents.len()
            ));
            ui.separator();
            document_table(ui, corpus, &self.selection.documents);
        });
        commands
    }
}

fn progress_fraction(progress: Option<Progress>) -> f32 {
    match progress {
        Some(Progress {
            phase: Phase::Parsing,
            done,
            total,
        }) if total > 0 => done as f32 / total as f32,
        _ => 0.0,
    }
}

fn progress_text(job: &LoadJob) -> String {
    match job.progress {
        Some(Progress {
            phase: Phase::Scanning,
            done,
            ..
        }) => format!("scanning… {done} entries"),
        Some(Progress {
            phase: Phase::Parsing,
            done,
            total,
        }) => format!("reading {done} / {total}"),
        None => "starting…".to_owned(),
    }
}

/// Columns of the document table.
const COLUMNS: [&str; 4] = ["Date", "Title", "Authors → recipients", "Archive reference"];

/// Column widths for a table `total` points wide (the last takes the rest).
fn column_widths(total: f32) -> [f32; 4] {
    let rest = (total - 120.0).max(240.0);
    [120.0, rest * 0.48, rest * 0.27, 0.0]
}

/// One left-aligned, truncated table cell.
fn cell(ui: &mut egui::Ui, width: f32, height: f32, text: impl Into<egui::WidgetText>) {
    let width = if width > 0.0 {
        width
    } else {
        ui.available_width()
    };
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(width);
            ui.add(egui::Label::new(text).truncate());
        },
    );
}

/// The documents, one row each, drawn only where visible.
fn document_table(ui: &mut egui::Ui, corpus: &Corpus, rows: &[u32]) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let widths = column_widths(ui.available_width());
    ui.horizontal(|ui| {
        for (title, width) in COLUMNS.into_iter().zip(widths) {
            cell(
                ui,
                width,
                row_height,
                egui::RichText::new(title).small().weak(),
            );
        }
    });
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows.len(), |ui, visible| {
            for doc in rows[visible]
                .iter()
                .filter_map(|&i| corpus.documents.get(i as usize))
            {
                ui.horizontal(|ui| {
                    let archive = doc
                        .archive
                        .as_ref()
                        .map(crate::model::ArchiveRef::short)
                        .unwrap_or_default();
                    cell(
                        ui,
                        widths[0],
                        row_height,
                        egui::RichText::new(doc.date.to_string()).monospace(),
                    );
                    cell(
                        ui,
                        widths[1],
                        row_height,
                        egui::RichText::new(&doc.title).strong(),
                    );
                    cell(ui, widths[2], row_height, doc.correspondents());
                    cell(
                        ui,
                        widths[3],
                        row_height,
                        egui::RichText::new(archive).weak(),
                    );
                });
            }
        });
}

fn toggle(list: &mut Vec<u32>, id: u32) {
    match list.iter().position(|&x| x == id) {
        Some(at) => {
            list.remove(at);
        }
        None => list.push(id),
    }
}

/// The eframe application: the state plus the bits eframe needs.
#[derive(Debug)]
pub struct FolioApp {
    pub state: AppState,
}

impl FolioApp {
    /// Starts loading `path` at once.
    pub fn new(path: &Path) -> Self {
        let mut state = AppState::default();
        state.apply(Command::Open(path.to_owned()));
        Self { state }
    }
}

impl eframe::App for FolioApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let busy = self.state.poll(POLL_BUDGET);
        let commands = self.state.ui(ui);
        for command in commands {
            self.state.apply(command);
        }
        if busy {
            ui.ctx().request_repaint_after(Duration::from_millis(50));
        }
    }
}

/// The bundled corpus: `documents/` beside the executable, above it (cargo's
/// `target/<profile>/`), in the source tree, or in the working folder.
pub fn bundled_documents() -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe.parent()
    {
        candidates.extend(dir.ancestors().take(4).map(|d| d.join("documents")));
    }
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("documents"));
    candidates.push(PathBuf::from("documents"));
    candidates
        .into_iter()
        .find(|c| c.join("authority.toml").is_file() || c.is_dir())
}

/// Opens the window on `path` (or the bundled corpus).
pub fn run(path: Option<PathBuf>) -> eframe::Result {
    let path = path
        .or_else(bundled_documents)
        .unwrap_or_else(|| PathBuf::from("."));
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("folio")
            .with_inner_size([1200.0, 760.0])
            .with_app_id("folio"),
        ..Default::default()
    };
    eframe::run_native(
        "folio",
        options,
        Box::new(move |cc| {
            fonts::install(&cc.egui_ctx);
            Ok(Box::new(FolioApp::new(&path)))
        }),
    )
}
