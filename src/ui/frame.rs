//! One frame of the window: keyboard shortcuts, the panels laid out
//! (filters, list, reader), the search bar, and overlays.

use eframe::egui;

use crate::corpus::{Corpus, Phase, Progress};

use super::search_bar::SearchBarData;
use super::view::{View, Window};
use super::{AppState, Command, LoadJob, Move, POLL_BUDGET, filters, list, notes, reader};

/// The list's width when the user has not chosen one: room for its titles.
const LIST_WIDTH: f32 = 340.0;
/// The reader's narrowest default width.
const MIN_READER_WIDTH: f32 = 480.0;

impl AppState {
    /// Keys that work anywhere but in a text field.
    pub(super) fn keyboard(&self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        let open = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::O);
        if ctx.input_mut(|i| i.consume_shortcut(&open)) {
            commands.push(Command::ChooseFolder);
        }
        let find = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::F);
        if ctx.input_mut(|i| i.consume_shortcut(&find)) {
            commands.push(Command::FocusSearch);
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::SHIFT, egui::Key::F3)) {
            commands.push(Command::PreviousHit);
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F3)) {
            commands.push(Command::NextHit);
        }
        let quit = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Q);
        if ctx.input_mut(|i| i.consume_shortcut(&quit)) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if ctx.egui_wants_keyboard_input() {
            return commands;
        }
        // Before the plain keys: `consume_key` with no modifier takes Shift+key too.
        let shift = |key| ctx.input_mut(|i| i.consume_key(egui::Modifiers::SHIFT, key));
        if shift(egui::Key::ArrowDown) {
            commands.push(Command::ExtendPick(Move::Down));
        }
        if shift(egui::Key::ArrowUp) {
            commands.push(Command::ExtendPick(Move::Up));
        }
        let alt = |key| ctx.input_mut(|i| i.consume_key(egui::Modifiers::ALT, key));
        let page = self.reader.page;
        if alt(egui::Key::ArrowLeft) && page > 0 {
            commands.push(Command::MovePage {
                from: page,
                to: page - 1,
            });
            commands.push(Command::SetPage(page - 1));
        }
        if alt(egui::Key::ArrowRight) {
            commands.push(Command::MovePage {
                from: page,
                to: page + 1,
            });
            commands.push(Command::SetPage(page + 1));
        }
        let undo = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Z);
        if ctx.input_mut(|i| i.consume_shortcut(&undo)) {
            commands.push(Command::UndoDescribe);
        }
        let group = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::G);
        if ctx.input_mut(|i| i.consume_shortcut(&group)) {
            commands.push(Command::GroupPicked);
        }
        let pressed = |key| ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key));
        for (key, step) in [
            (egui::Key::ArrowDown, Move::Down),
            (egui::Key::ArrowUp, Move::Up),
            (egui::Key::Home, Move::First),
            (egui::Key::End, Move::Last),
        ] {
            if pressed(key) {
                commands.push(Command::MoveSelection(step));
            }
        }
        if pressed(egui::Key::Enter) {
            if self.reader.document.is_none() {
                commands.push(Command::MoveSelection(Move::First));
            }
            commands.push(Command::SetReading(true));
        }
        if pressed(egui::Key::Escape) {
            if self.chooser.is_some() {
                commands.push(Command::CloseChooser);
            } else {
                commands.push(Command::SetReading(false));
            }
        }
        if pressed(egui::Key::PageDown) {
            commands.push(Command::SetPage(self.reader.page + 1));
        }
        if pressed(egui::Key::PageUp) {
            commands.push(Command::SetPage(self.reader.page.saturating_sub(1)));
        }
        commands
    }

    /// Draws the window and returns what the user asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let ctx = ui.ctx().clone();
        let mut commands = self.keyboard(&ctx);
        self.images.poll(&ctx, POLL_BUDGET / 2);
        if let Some(path) = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_owned()))
        {
            commands.push(Command::Open(path));
        }

        egui::Panel::top("folio-top").show(ui, |ui| {
            commands.extend(self.top_bar(ui));
        });

        if let Some(chooser) = &mut self.chooser {
            chooser.show(&ctx, (), &mut commands);
        }
        if let Some(text) = self.copy.take() {
            ctx.copy_text(text.clone());
            self.last_copied = Some(text);
        }
        if let Some(window) = &mut self.suggestions {
            window.show(&ctx, (), &mut commands);
        }
        let ids = if self.batch.is_some() {
            self.picked_in_order()
        } else {
            Vec::new()
        };
        if let (Some(window), Some(corpus)) = (&mut self.batch, &self.corpus) {
            let data = super::describe::batch::BatchData { ids: &ids, corpus };
            window.show(&ctx, data, &mut commands);
        }
        if let Some(window) = &mut self.export_window {
            window.show(&ctx, self.rows.len(), &mut commands);
        }
        if let Some(corpus) = self.corpus.clone() {
            if let Some(page) = &mut self.person {
                page.show(&ctx, &corpus, &mut commands);
            }
            if self.reconcile.open {
                self.reconcile.show(&ctx, &corpus, &mut commands);
            }
        }

        let Some(corpus) = self.corpus.clone() else {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.centered_and_justified(|ui| {
                    ui.label(if self.job.is_some() {
                        "Loading…"
                    } else {
                        "Open a folder of documents to begin: File › Open folder (Ctrl+O), or drop a folder here."
                    });
                });
            });
            drop_overlay(&ctx);
            return commands;
        };

        if self.show_errors && !corpus.errors.is_empty() {
            egui::Panel::bottom("folio-errors")
                .resizable(true)
                .default_size(140.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.strong(format!(
                            "{} could not be loaded",
                            crate::text::count(corpus.errors.len(), "entry", "entries")
                        ));
                        if ui.small_button("Hide").clicked() {
                            commands.push(Command::SetShowErrors(false));
                        }
                    });
                    egui::ScrollArea::vertical()
                        .id_salt("errors")
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

        let reading = self.reading_mode && self.reader.document.is_some();
        let hits = self.document_hits().to_vec();

        if self.settings.show_filters
            && !reading
            && let Some(index) = &self.index
        {
            let panel = egui::Panel::left("folio-filters")
                .resizable(true)
                .default_size(self.settings.filters_width)
                .show(ui, |ui| {
                    let data = filters::FilterData {
                        index,
                        filter: &self.filter,
                        selection: &self.selection,
                        stacks: self.timeline_stacks.as_ref(),
                        notes: &self.notes,
                        tag_counts: &self.tag_counts,
                        timeline_height: self.settings.timeline_height,
                    };
                    self.filter_panel.ui(ui, data, &mut commands);
                });
            self.settings.filters_width = panel.response.rect.width();
        }

        if reading || !self.settings.show_list {
            egui::CentralPanel::default().show(ui, |ui| {
                commands.extend(self.show_reader(ui, &corpus, &hits, reading));
            });
        } else {
            // Until the user sets it, the reader takes all the room the
            // list does not need for its titles.
            let reader_width = if self.settings.reader_width > 0.0 {
                self.settings.reader_width
            } else {
                (ui.available_width() - LIST_WIDTH).max(MIN_READER_WIDTH)
            };
            let panel = egui::Panel::right("folio-reader")
                .resizable(true)
                .default_size(reader_width)
                .show(ui, |ui| self.show_reader(ui, &corpus, &hits, reading));
            commands.extend(panel.inner);
            self.settings.reader_width = panel.response.rect.width();
            egui::CentralPanel::default().show(ui, |ui| {
                let data = SearchBarData {
                    search: &self.search,
                    indexing: self.search.is_active() && self.search_index.is_none(),
                    rows: self.rows.len(),
                };
                self.search_bar.ui(ui, data, &mut commands);
                self.picked_bar(ui, &mut commands);
                let data = list::ListData {
                    corpus: &corpus,
                    rows: &self.rows,
                    current: self.reader.document,
                    sort: (self.settings.sort, self.settings.sort_descending),
                    search: &self.search,
                    picked: &self.picked,
                    filtered: self.filter != crate::index::filter::Filter::default()
                        || self.scope.marks.is_some(),
                    thumbnails: (self.settings.list_thumbnails && self.has_scans)
                        .then_some(&mut self.images),
                };
                self.list_view.ui(ui, data, &mut commands);
            });
        }
        drop_overlay(&ctx);
        commands
    }

    /// The reader, with the open document's notes.
    pub(super) fn show_reader(
        &mut self,
        ui: &mut egui::Ui,
        corpus: &Corpus,
        hits: &[reader::DocumentHit],
        reading: bool,
    ) -> Vec<Command> {
        let region = self.region_anchor();
        let shown_image = self
            .reader
            .document
            .and_then(|i| corpus.documents.get(i as usize))
            .and_then(|d| d.pages.get(self.reader.page))
            .filter(|p| !crate::corpus::formats::iiif::is_remote(&p.image))
            .map(|p| corpus.root.join(&p.image));
        let photographed = shown_image
            .as_deref()
            .and_then(|path| self.photographed.of(path));
        let open_id = self
            .reader
            .document
            .and_then(|i| corpus.documents.get(i as usize))
            .map(|d| d.id.clone());
        let cx = reader::ReaderContext {
            corpus,
            hits,
            images: &mut self.images,
            text_size: self.settings.text_size,
            pane_fractions: &self.settings.pane_fractions,
            reading_mode: reading,
            outside_selection: self
                .reader
                .document
                .is_some_and(|open| !self.rows.contains(&open)),
            notes: reader::ReaderNotes {
                notes: open_id.as_deref().and_then(|id| self.notes.of(id)),
                status: notes::NotesStatus {
                    location: self.notes.location(),
                    failed: open_id
                        .as_deref()
                        .and_then(|id| self.notes.failed.get(id))
                        .map(String::as_str),
                    conflict: open_id
                        .as_deref()
                        .and_then(|id| self.notes.conflicts.iter().find(|c| c.document == id)),
                },
                region: region.as_ref(),
                all_tags: &self.all_tags,
                view: &mut self.notes_view,
            },
            describe: reader::ReaderDescribe {
                view: &mut self.describe_view,
                overlay: &self.overlay,
                index: self.index.as_deref(),
                photographed,
            },
        };
        let mut commands = Vec::new();
        self.reader.ui(ui, cx, &mut commands);
        commands
    }
}

impl AppState {
    /// Over the list when rows are chosen: how many, and what can be done
    /// with them.
    fn picked_bar(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if self.picked.len() < 2 {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!("{} chosen", self.picked.len()));
            if ui
                .button("Make one document")
                .on_hover_text("Their pages, in list order, become the pages of the first (Ctrl+G)")
                .clicked()
            {
                commands.push(Command::GroupPicked);
            }
            if ui.button("Describe them…").clicked() {
                commands.push(Command::ShowBatch(true));
            }
            if ui.small_button("✕").on_hover_text("Choose none").clicked() {
                commands.push(Command::ClearPicked);
            }
        });
    }
}

/// While files are dragged over the window, say what dropping does.
pub(super) fn drop_overlay(ctx: &egui::Context) {
    if ctx.input(|i| i.raw.hovered_files.is_empty()) {
        return;
    }
    let screen = ctx.content_rect();
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop-overlay"),
    ));
    painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(160));
    painter.text(
        screen.center(),
        egui::Align2::CENTER_CENTER,
        "Drop a folder to open it as a corpus",
        egui::FontId::proportional(22.0),
        egui::Color32::WHITE,
    );
}

pub(super) fn progress_fraction(progress: Option<Progress>) -> f32 {
    match progress {
        Some(Progress {
            phase: Phase::Parsing,
            done,
            total,
        }) if total > 0 => done as f32 / total as f32,
        _ => 0.0,
    }
}

pub(super) fn progress_text(job: &LoadJob) -> String {
    if let Some((done, total)) = job.indexing {
        return format!("indexing for search {done} / {total}");
    }
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
