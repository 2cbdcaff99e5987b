//! Draining the background threads each frame within a time budget:
//! the loader (progress, corpus, index, folder changes), images, search,
//! notes, names to reconcile, dialogs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::TryRecvError;
use std::time::{Duration, Instant};

use super::list::ListView;
use super::loader::LoadMessage;
use super::open::{DialogOutcome, FolderChooser};
use super::{AppState, POLL_BUDGET, Watch, filters, loader, people, search};
use crate::index::facets::Scope;
use crate::index::filter::Filter;

impl AppState {
    /// Takes what the background threads sent, for at most `budget`.
    /// Returns true while work is still running (repaint soon).
    pub fn poll(&mut self, budget: Duration) -> bool {
        let started = Instant::now();
        while let Some(job) = &mut self.job {
            match job.receiver.try_recv() {
                Ok(LoadMessage::Progress(p)) => job.progress = Some(p),
                Ok(LoadMessage::Done(loaded)) => {
                    let path = job.path.clone();
                    job.indexing = Some((0, loaded.corpus.documents.len()));
                    self.finish_load(&path, *loaded);
                }
                Ok(LoadMessage::Indexing(done, total)) => job.indexing = Some((done, total)),
                Ok(LoadMessage::Indexed(index)) => {
                    self.watch = self.job.take().map(Watch::from_job);
                    self.set_search_index(index);
                }
                Ok(LoadMessage::IndexFailed(reason)) => {
                    self.notice = Some(format!("search is not available: {reason}"));
                    self.watch = self.job.take().map(Watch::from_job);
                }
                Ok(LoadMessage::Failed(reason)) => {
                    self.notice = Some(format!("cannot open {}: {reason}", job.path.display()));
                    self.job = None;
                }
                Ok(LoadMessage::Overlay(overlay)) => self.overlay = overlay,
                Ok(LoadMessage::DescribeFailed(reason)) => {
                    self.notice = Some(format!("⚠ Not saved: {reason}"));
                }
                Ok(LoadMessage::Described) => self.describing = self.describing.saturating_sub(1),
                // Sent only once the corpus is followed (see `poll_watch`).
                Ok(LoadMessage::Refreshed(..) | LoadMessage::RefreshFailed(_)) => {}
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    if job.indexing.is_none() {
                        self.notice = Some(format!(
                            "the loader of {} stopped without a result",
                            job.path.display()
                        ));
                    }
                    self.job = None;
                }
            }
            if started.elapsed() >= budget {
                break;
            }
        }
        self.poll_watch(started, budget);
        self.poll_folder();
        let reading = self.poll_ocr();
        self.reconcile.poll();
        let notes_arrived = self.notes.poll();
        if let Some(problem) = self.notes.problem.take() {
            self.notice = Some(problem);
        }
        if notes_arrived {
            self.refresh_all_tags();
            self.refresh_marks();
        }
        if self.search.poll() == search::SearchUpdate::Results {
            let documents = self.corpus.as_ref().map_or(0, |c| c.documents.len());
            self.scope.within = self.search.within(documents);
            self.reader.hit = None;
            self.refresh_selection();
        }
        if let Some(job) = &self.export_job
            && let Some(result) = job.poll()
        {
            self.export_job = None;
            match result {
                Ok(done) => self.status = Some(done),
                Err(problem) => {
                    self.status = None;
                    self.notice = Some(problem);
                }
            }
        }
        if let Some(dialog) = &self.dialog {
            match dialog.poll() {
                DialogOutcome::Pending => {}
                DialogOutcome::Chosen(path) => {
                    self.dialog = None;
                    self.open(path);
                }
                DialogOutcome::Cancelled => self.dialog = None,
                DialogOutcome::Unavailable => {
                    self.dialog = None;
                    self.chooser = Some(FolderChooser::new(
                        self.browse_start(None),
                        Some("No desktop file dialog answered; choose the folder here.".into()),
                    ));
                }
            }
        }
        self.job.is_some()
            || self.dialog.is_some()
            || self.export_job.is_some()
            || self.notes.is_loading()
            || self.reconcile.is_busy()
            || self.search.is_running()
            || self.watch.as_ref().is_some_and(|w| w.indexing.is_some())
            || self.describing > 0
            || self.folder_job.is_some()
            || reading
            || self.photographed.is_busy()
            || self
                .suggestions
                .as_ref()
                .is_some_and(super::describe::SuggestWindow::is_busy)
    }

    /// Takes what the loader following the folder sent, until `budget`
    /// (counted from `started`) is spent.
    pub(super) fn poll_watch(&mut self, started: Instant, budget: Duration) {
        while let Some(watch) = &mut self.watch {
            if started.elapsed() >= budget {
                break;
            }
            match watch.receiver.try_recv() {
                Ok(LoadMessage::Refreshed(loaded, changes)) => {
                    watch.indexing = Some((0, loaded.corpus.documents.len()));
                    self.apply_refresh(*loaded, &changes);
                }
                Ok(LoadMessage::Indexing(done, total)) => watch.indexing = Some((done, total)),
                Ok(LoadMessage::Indexed(index)) => {
                    watch.indexing = None;
                    self.set_search_index(index);
                }
                Ok(LoadMessage::IndexFailed(reason)) => {
                    watch.indexing = None;
                    self.notice = Some(format!("search is not available: {reason}"));
                }
                Ok(LoadMessage::RefreshFailed(reason)) => {
                    self.notice = Some(format!(
                        "{} changed but cannot be read again ({reason}); showing it as it was",
                        watch.path.display()
                    ));
                }
                Ok(LoadMessage::Overlay(overlay)) => self.overlay = overlay,
                Ok(LoadMessage::DescribeFailed(reason)) => {
                    self.notice = Some(format!("⚠ Not saved: {reason}"));
                }
                Ok(LoadMessage::Described) => self.describing = self.describing.saturating_sub(1),
                // Sent only while loading (see `poll`).
                Ok(LoadMessage::Progress(_) | LoadMessage::Done(_) | LoadMessage::Failed(_)) => {}
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => self.watch = None,
            }
        }
    }

    /// Searches with a new full-text index (the typed search runs again).
    pub(super) fn set_search_index(&mut self, index: Arc<crate::index::search::SearchIndex>) {
        self.search_index = Some(index);
        if let (Some(index), Some(corpus)) = (&self.search_index, &self.corpus)
            && self.search.is_active()
        {
            self.search.start(index, corpus);
        }
    }

    /// Shows a corpus read again after its folder changed, keeping what
    /// the user set up: filters (matched by value), the open document and
    /// its page (matched by id), the search and the list's scroll.
    pub(super) fn apply_refresh(
        &mut self,
        loaded: loader::Loaded,
        changes: &crate::corpus::Changes,
    ) {
        let (Some(old_corpus), Some(_)) = (self.corpus.take(), self.index.take()) else {
            let path = loaded.corpus.root.clone();
            self.finish_load(&path, loaded);
            return;
        };
        let positions: std::collections::HashMap<&str, u32> = loaded
            .corpus
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i as u32))
            .collect();
        let moved: Vec<Option<u32>> = old_corpus
            .documents
            .iter()
            .map(|d| positions.get(d.id.as_str()).copied())
            .collect();
        self.filter = loaded.index.known(&self.filter);
        self.search.carry_over(&moved);
        self.scope.within = self.search.within(loaded.corpus.documents.len());
        // The index of the old corpus maps hits to old positions; the
        // updated one follows.
        self.search_index = None;
        let open = self.reader.document;
        let now_open = open.and_then(|i| moved.get(i as usize).copied().flatten());
        match (open, now_open) {
            (Some(before), Some(after)) => {
                let old = old_corpus.documents.get(before as usize);
                if let Some(doc) = loaded.corpus.documents.get(after as usize) {
                    if old == Some(doc) {
                        self.reader.document = Some(after);
                    } else {
                        self.reader.reopen(after, doc);
                    }
                }
            }
            (Some(before), None) => {
                let id = old_corpus
                    .documents
                    .get(before as usize)
                    .map_or("", |d| d.id.as_str());
                self.notice = Some(format!("{id} was removed from the folder"));
                self.reader.close();
                self.reading_mode = false;
            }
            (None, _) => {}
        }
        self.document_hits = (None, Vec::new());
        let changed_files: Vec<PathBuf> = changes
            .files
            .iter()
            .map(|file| loaded.corpus.root.join(file))
            .collect();
        self.images.forget(&changed_files);
        if changes.errors_changed && !loaded.corpus.errors.is_empty() {
            self.show_errors = true;
        }
        self.has_scans = has_local_scans(&loaded.corpus);
        self.corpus = Some(loaded.corpus);
        self.index = Some(loaded.index);
        self.orders = Some(loaded.orders);
        self.refresh_all_tags();
        // Notes are kept by id: the marked documents move with their ids.
        self.refresh_marks();
        self.refresh_people();
        self.show_user_versions();
        self.update = Some(if self.describing > 0 {
            format!("descriptions applied: {changes}")
        } else {
            format!("folder changed: {changes}")
        });
    }

    pub(super) fn finish_load(&mut self, path: &Path, loaded: loader::Loaded) {
        // The corpus shown until now is no longer followed.
        self.watch = None;
        self.update = None;
        let same_corpus = self
            .corpus
            .as_ref()
            .is_some_and(|c| c.root == loaded.corpus.root);
        let reopen = if same_corpus {
            self.reader
                .document
                .and_then(|i| self.corpus.as_ref()?.documents.get(i as usize))
                .map(|d| d.id.clone())
        } else {
            None
        };
        self.has_scans = has_local_scans(&loaded.corpus);
        self.corpus = Some(loaded.corpus);
        self.index = Some(loaded.index);
        self.orders = Some(loaded.orders);
        self.search_index = None;
        // The typed search runs again once the new corpus is indexed.
        let text = std::mem::take(&mut self.search.text);
        self.search.clear_results();
        self.search.set_text(text);
        self.filter = Filter::default();
        self.scope = Scope::default();
        self.filter_panel = filters::FilterPanel::default();
        self.list_view = ListView::default();
        self.reader.close();
        self.reading_mode = false;
        self.show_errors = self.corpus.as_ref().is_some_and(|c| !c.errors.is_empty());
        if same_corpus {
            self.refresh_people();
        } else {
            self.person = None;
            self.reconcile = people::Reconcile::default();
            if let Some(corpus) = &self.corpus {
                let repaint = self.repaint.clone();
                self.notes.open(corpus.root.clone(), move || {
                    if let Some(ctx) = &repaint {
                        ctx.request_repaint();
                    }
                });
            }
        }
        self.refresh_all_tags();
        self.refresh_marks();
        self.settings.remember_folder(path);
        self.settings.last_document = None;
        let wanted = self.pending_document.take().or(reopen);
        if let Some(id) = wanted {
            let found = self
                .corpus
                .as_ref()
                .and_then(|c| c.documents.iter().position(|d| d.id == id));
            match found {
                Some(i) => {
                    let index = u32::try_from(i).ok();
                    self.open_document(index);
                    self.list_view.scroll_to = self.current_row();
                }
                None => self.notice = Some(format!("document {id} is not in this corpus")),
            }
        }
    }

    /// Blocks until the current load ends (for tests and scripts).
    pub fn wait_for_load(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while (self.job.is_some() || self.search.is_running() || self.describing > 0)
            && Instant::now() < deadline
        {
            self.poll(POLL_BUDGET);
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Whether any document has a page image that is a file (not a IIIF URL).
fn has_local_scans(corpus: &crate::corpus::Corpus) -> bool {
    corpus.documents.iter().any(|d| {
        d.pages
            .iter()
            .any(|p| !crate::corpus::formats::iiif::is_remote(&p.image))
    })
}
