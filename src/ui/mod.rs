//! The desktop window: filters on the left, the document list in the
//! centre, the reader on the right (or full width in reading mode).
//!
//! Panels never change the world directly: they return [`Command`]s that
//! [`AppState::apply`] carries out, so tests drive the same code headless.
//! Files are never read on the UI thread: the corpus loads on the
//! `folio-loader` thread, page images decode on `folio-decode-*`, folder
//! listings and the native dialog run on their own threads, and settings
//! are written by `folio-settings`; one-shot jobs run through
//! [`worker::run`], which turns a panic into an error the window shows. [`AppState::poll`] drains their
//! channels each frame within a time budget.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use eframe::egui;

use crate::corpus::{Corpus, LoadOptions, Phase, Progress};
use crate::index::facets::{FacetIndex, FacetQuery, Selection};
use crate::model::{Document, Ymd};

pub mod export;
pub mod filters;
pub mod fonts;
pub mod images;
pub mod list;
pub mod loader;
pub mod long_text;
pub mod notes;
pub mod open;
pub mod people;
pub mod reader;
pub mod scan;
pub mod search;
pub mod settings;

pub mod worker;

use crate::index::order::SortOrders;
use list::ListView;
use loader::LoadMessage;
use open::{DialogOutcome, FolderChooser, NativeDialog};
use reader::{PaneContent, ReaderView};
use settings::{Settings, SortKey, Theme};

/// How long one frame may spend draining background messages.
const POLL_BUDGET: Duration = Duration::from_millis(10);

/// A move of the list selection by keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    First,
    Last,
}

/// Something the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Load the corpus in this folder (the current one stays until it is done).
    Open(PathBuf),
    CancelLoad,
    /// Ask the desktop for a folder (falls back to [`Command::Browse`]).
    ChooseFolder,
    /// folio's own folder chooser, starting in this folder.
    Browse(Option<PathBuf>),
    CloseChooser,
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
    /// Sort the list by this key (again: reverse the order).
    SetSort(SortKey),
    /// Open a document (corpus index) in the reader, or close it.
    OpenDocument(Option<u32>),
    MoveSelection(Move),
    /// The reader alone, full width (Enter), or beside the list (Escape).
    SetReading(bool),
    SetPage(usize),
    SetPane {
        slot: usize,
        content: PaneContent,
    },
    SetPaneCount(usize),
    SetPaneFractions(Vec<f32>),
    ChangeTextSize(f32),
    SetTheme(Theme),
    SetShowFilters(bool),
    SetShowList(bool),
    SetShowErrors(bool),
    /// The search box's text changed.
    Search(String),
    /// Go to the next (or previous) hit in the open document.
    NextHit,
    PreviousHit,
    /// Put the keyboard in the search box (Ctrl+F).
    FocusSearch,
    /// Copy the open document in this format (a citation, CSL-JSON, …).
    CopyDocument(crate::research::export::Format),
    /// Copy the listed documents in this format.
    CopySelection(crate::research::export::Format),
    /// Ask where to save the listed documents in this format.
    ExportSelection(crate::research::export::Format),
    SaveExport {
        format: crate::research::export::Format,
        path: PathBuf,
    },
    CloseExport,
    /// Notes of the open document, its shown page and its chosen line.
    SetDocumentNote(String),
    SetPageNote(String),
    SetRegionNote(String),
    AddTag(String),
    RemoveTag(String),
    SetBookmark(bool),
    /// Try the notes saves that failed again now.
    RetryNotes,
    /// Take the other window's or program's version of a document's
    /// notes that clashed with ours.
    UseTheirNotes(String),
    /// Keep ours (both versions stay on disk).
    KeepMyNotes(String),
    /// Filters made of the user's notes.
    ToggleTag(String),
    SetOnlyWithNotes(bool),
    SetOnlyBookmarked(bool),
    /// The page of the person written so, or close it.
    ShowPerson(Option<String>),
    ShowReconcile(bool),
    ChangeAuthority(people::AuthorityChange),
    /// Colour the timeline's bars by author or archive (or not).
    SetTimelineColour(crate::index::facets::GroupBy),
}

/// A corpus being loaded in the background.
#[derive(Debug)]
pub struct LoadJob {
    pub path: PathBuf,
    pub progress: Option<Progress>,
    /// Once the corpus is shown: documents indexed for search, of all.
    pub indexing: Option<(usize, usize)>,
    receiver: Receiver<LoadMessage>,
    options: LoadOptions,
}

/// A shown corpus whose folder the loader thread follows; dropping it
/// stops the thread.
#[derive(Debug)]
pub struct Watch {
    path: PathBuf,
    receiver: Receiver<LoadMessage>,
    cancel: Arc<std::sync::atomic::AtomicBool>,
    /// While changed documents are indexed: done, of all.
    pub indexing: Option<(usize, usize)>,
}

impl Watch {
    fn from_job(job: LoadJob) -> Self {
        Self {
            path: job.path,
            receiver: job.receiver,
            cancel: Arc::clone(&job.options.cancel),
            indexing: None,
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// Everything the window shows, apart from egui's own widget state.
#[derive(Debug, Default)]
pub struct AppState {
    pub corpus: Option<Arc<Corpus>>,
    pub index: Option<Arc<FacetIndex>>,
    pub orders: Option<Arc<SortOrders>>,
    /// The filters of the panel and what they select.
    pub query: FacetQuery,
    pub selection: Selection,
    /// The selected documents in list order.
    pub rows: Vec<u32>,
    pub filter_view: filters::FilterView,
    pub list_view: ListView,
    pub reader: ReaderView,
    pub images: images::ImageCache,
    /// What persists between runs.
    pub settings: Settings,
    pub job: Option<LoadJob>,
    /// The folder of the shown corpus, followed for changes once loaded.
    pub watch: Option<Watch>,
    /// How often the followed folder is checked.
    pub follow: loader::Follow,
    /// Asked to draw a frame when background work sends something while
    /// the window is idle (egui draws only on input otherwise).
    pub repaint: Option<egui::Context>,
    /// What changed when the folder was last read again, and when.
    pub update: Option<String>,
    /// The last problem to tell the user about (a failed open).
    pub notice: Option<String>,
    /// The last thing done that the user should hear of (copied, exported).
    pub status: Option<String>,
    /// Text to put on the clipboard at the next frame, and the last text put.
    copy: Option<String>,
    pub last_copied: Option<String>,
    pub export_window: Option<export::SaveWindow>,
    /// The user's notes, tags and bookmarks of this corpus.
    pub notes: notes::NotesState,
    pub notes_view: notes::NotesView,
    /// Tags and notes counted over the selection, for the filter panel.
    pub tag_counts: notes::TagCounts,
    /// Every tag of the corpus and the notes, for completion.
    pub all_tags: Vec<String>,
    /// The open person page.
    pub person: Option<people::PersonPage>,
    pub reconcile: people::Reconcile,
    /// The timeline's bars split by the chosen colouring.
    pub timeline_stacks: Option<crate::index::facets::Stacks>,
    export_job: Option<export::SaveJob>,
    /// Reader alone at full width.
    pub reading_mode: bool,
    pub show_errors: bool,
    /// A document id to open when the running load finishes.
    pub pending_document: Option<String>,
    pub chooser: Option<FolderChooser>,
    dialog: Option<NativeDialog>,
    pub search: search::SearchState,
    pub search_index: Option<Arc<crate::index::search::SearchIndex>>,
    /// Ask the search box for the keyboard on the next frame (Ctrl+F).
    pub focus_search: bool,
    /// Hits in the open document, for (document, query generation).
    document_hits: (Option<(u32, u64)>, Vec<reader::DocumentHit>),
}

impl AppState {
    /// Carries out a command.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Open(path) => self.open(path),
            Command::CancelLoad => {
                if let Some(job) = self.job.take() {
                    job.options.cancel.store(true, Ordering::Relaxed);
                    self.notice = Some(format!("loading {} was cancelled", job.path.display()));
                }
            }
            Command::ChooseFolder => {
                let start = self.corpus.as_ref().map(|c| c.root.clone());
                match NativeDialog::spawn(start) {
                    Ok(dialog) => self.dialog = Some(dialog),
                    Err(e) => {
                        self.chooser = Some(FolderChooser::new(
                            self.browse_start(None),
                            Some(format!("The desktop dialog could not start ({e}).")),
                        ));
                    }
                }
            }
            Command::Browse(start) => {
                self.chooser = Some(FolderChooser::new(self.browse_start(start), None));
            }
            Command::CloseChooser => self.chooser = None,
            Command::SetDates { from, to } => {
                self.query.from = from;
                self.query.to = to;
                self.refresh_selection();
            }
            Command::SetIncludeUndated(include) => {
                self.query.include_undated = include;
                self.refresh_selection();
            }
            Command::ToggleAuthor(id) => self.refilter(|q| toggle(&mut q.authors, id)),
            Command::ToggleRecipient(id) => self.refilter(|q| toggle(&mut q.recipients, id)),
            Command::SelectArchive(node) => self.refilter(|q| q.archive = node),
            Command::ToggleOriginalLanguage(id) => {
                self.refilter(|q| toggle(&mut q.original_languages, id));
            }
            Command::ToggleLayerLanguage(id) => {
                self.refilter(|q| toggle(&mut q.layer_languages, id));
            }
            Command::ToggleKind(id) => self.refilter(|q| toggle(&mut q.kinds, id)),
            Command::ClearFilters => {
                self.notes.tags.clear();
                self.notes.only_with_notes = false;
                self.notes.only_bookmarked = false;
                self.refilter(|q| {
                    *q = FacetQuery {
                        within: q.within.take(),
                        ..FacetQuery::default()
                    };
                });
            }
            Command::SetSort(key) => {
                if self.settings.sort == key {
                    self.settings.sort_descending = !self.settings.sort_descending;
                } else {
                    self.settings.sort = key;
                    self.settings.sort_descending = false;
                }
                self.refresh_rows();
                if let Some(row) = self.current_row() {
                    self.list_view.scroll_to = Some(row);
                }
            }
            Command::OpenDocument(index) => self.open_document(index),
            Command::MoveSelection(step) => self.move_selection(step),
            Command::SetReading(on) => self.reading_mode = on && self.reader.document.is_some(),
            Command::SetPage(page) => {
                if let Some(corpus) = self.current_document().map(Arc::clone)
                    && let Some(doc) = corpus
                        .documents
                        .get(self.reader.document.unwrap_or(0) as usize)
                {
                    self.reader.go_to(page, doc);
                }
            }
            Command::SetPane { slot, content } => {
                if let Some(pane) = self.reader.panes.get_mut(slot) {
                    *pane = content;
                }
            }
            Command::SetPaneCount(n) => self.set_pane_count(n.clamp(1, 3)),
            Command::SetPaneFractions(fractions) => self.settings.pane_fractions = fractions,
            Command::ChangeTextSize(delta) => {
                self.settings.text_size = (self.settings.text_size + delta).clamp(8.0, 48.0);
            }
            Command::SetTheme(theme) => self.settings.theme = theme,
            Command::SetShowFilters(show) => self.settings.show_filters = show,
            Command::SetShowList(show) => self.settings.show_list = show,
            Command::SetShowErrors(show) => self.show_errors = show,
            Command::Search(text) => self.search_for(text),
            Command::NextHit => self.step_hit(true),
            Command::PreviousHit => self.step_hit(false),
            Command::FocusSearch => {
                self.reading_mode = false;
                self.focus_search = true;
            }
            Command::CopyDocument(format) => {
                if let (Some(corpus), Some(i)) = (&self.corpus, self.reader.document)
                    && let Some(doc) = corpus.documents.get(i as usize)
                {
                    let text = crate::research::export::write(format, [doc]);
                    self.status = Some(format!("copied: {}", format.label()));
                    self.copy = Some(text.trim_end().to_owned());
                }
            }
            Command::CopySelection(format) => {
                if let Some(corpus) = &self.corpus {
                    let documents = self
                        .rows
                        .iter()
                        .filter_map(|&i| corpus.documents.get(i as usize));
                    self.copy = Some(crate::research::export::write(format, documents));
                    self.status = Some(format!(
                        "copied {} documents: {}",
                        self.rows.len(),
                        format.label()
                    ));
                }
            }
            Command::ExportSelection(format) => {
                if let Some(corpus) = &self.corpus {
                    self.export_window = Some(export::SaveWindow::new(format, &corpus.root));
                }
            }
            Command::SaveExport { format, path } => {
                if let Some(corpus) = &self.corpus {
                    match export::SaveJob::spawn(
                        Arc::clone(corpus),
                        self.rows.clone(),
                        format,
                        path,
                    ) {
                        Ok(job) => {
                            self.export_job = Some(job);
                            self.export_window = None;
                            self.status = Some("exporting…".into());
                        }
                        Err(e) => self.notice = Some(format!("cannot start the export: {e}")),
                    }
                }
            }
            Command::CloseExport => self.export_window = None,
            Command::SetDocumentNote(text) => self.edit_notes(|n, _| n.note = text),
            Command::SetPageNote(text) => {
                let page = self.reader.page + 1;
                self.edit_notes(|n, _| n.set_page_note(page, text));
            }
            Command::SetRegionNote(text) => {
                if let Some(anchor) = self.region_anchor() {
                    self.edit_notes(|n, _| {
                        n.set_region_note(anchor.page, anchor.region, anchor.text, text);
                    });
                }
            }
            Command::AddTag(tag) => {
                let mut added = false;
                self.edit_notes(|n, _| added = n.add_tag(&tag));
                if added {
                    self.refresh_all_tags();
                }
            }
            Command::RemoveTag(tag) => self.edit_notes(|n, _| n.tags.retain(|t| *t != tag)),
            Command::SetBookmark(on) => self.edit_notes(|n, _| n.bookmarked = on),
            Command::RetryNotes => self.notes.retry(),
            Command::UseTheirNotes(id) => {
                if let Some(conflict) = self.notes.conflicts.iter().find(|c| c.document == id) {
                    let theirs = conflict.theirs.clone();
                    self.notes.dismiss_conflict(&id);
                    self.edit_notes(|n, _| *n = theirs);
                }
            }
            Command::KeepMyNotes(id) => self.notes.dismiss_conflict(&id),
            Command::ToggleTag(tag) => {
                if let Some(i) = self.notes.tags.iter().position(|t| *t == tag) {
                    self.notes.tags.remove(i);
                } else {
                    self.notes.tags.push(tag);
                }
                self.refresh_marks();
            }
            Command::SetOnlyWithNotes(on) => {
                self.notes.only_with_notes = on;
                self.refresh_marks();
            }
            Command::SetOnlyBookmarked(on) => {
                self.notes.only_bookmarked = on;
                self.refresh_marks();
            }
            Command::ShowPerson(name) => {
                self.person = name.and_then(|name| {
                    let corpus = self.corpus.as_ref()?;
                    Some(people::PersonPage::find(corpus, &name))
                });
            }
            Command::ShowReconcile(open) => {
                self.reconcile.open = open;
                if open && let Some(corpus) = &self.corpus {
                    self.reconcile.list(corpus);
                }
            }
            Command::SetTimelineColour(by) => {
                self.settings.timeline_colour = by;
                self.refresh_selection();
            }
            Command::ChangeAuthority(change) => {
                if let Some(corpus) = &self.corpus {
                    self.reconcile.change(corpus.root.clone(), change);
                }
            }
        }
    }

    fn search_for(&mut self, text: String) {
        let was_active = self.search.is_active();
        if self.search.set_text(text) {
            if !was_active && self.settings.sort != SortKey::Relevance {
                self.settings.sort = SortKey::Relevance;
                self.settings.sort_descending = false;
            }
            if let (Some(index), Some(corpus)) = (&self.search_index, &self.corpus) {
                self.search.start(index, corpus);
            }
        } else if !self.search.is_active() && was_active {
            if self.settings.sort == SortKey::Relevance {
                self.settings.sort = SortKey::Date;
            }
            self.query.within = None;
            self.refresh_selection();
        }
    }

    /// Every search hit in the open document, in reading order; found once
    /// per document and query, not every frame.
    pub fn document_hits(&mut self) -> &[reader::DocumentHit] {
        let key = self
            .reader
            .document
            .filter(|_| self.search.is_active())
            .map(|d| (d, self.search.generation()));
        if self.document_hits.0 != key {
            let doc = key.and_then(|(i, _)| self.corpus.as_ref()?.documents.get(i as usize));
            let mut hits = Vec::new();
            for (layer_index, layer) in doc.iter().flat_map(|d| d.layers.iter().enumerate()) {
                for range in self.search.highlights(&layer.text) {
                    let page = layer
                        .page_breaks
                        .iter()
                        .take_while(|b| b.offset <= range.start)
                        .count();
                    hits.push(reader::DocumentHit {
                        page,
                        layer: layer_index,
                        range,
                    });
                }
            }
            hits.sort_by_key(|h| (h.page, h.layer, h.range.start));
            self.document_hits = (key, hits);
        }
        &self.document_hits.1
    }

    fn step_hit(&mut self, forward: bool) {
        let hits = self.document_hits().to_vec();
        if hits.is_empty() {
            return;
        }
        let next = match (self.reader.hit, forward) {
            (None, true) => 0,
            (None, false) => hits.len() - 1,
            (Some(i), true) => (i + 1) % hits.len(),
            (Some(i), false) => (i + hits.len() - 1) % hits.len(),
        };
        let reader::DocumentHit { page, layer, range } = hits[next].clone();
        let offset = range.start;
        if let Some(corpus) = self.corpus.clone()
            && let Some(doc) = self
                .reader
                .document
                .and_then(|i| corpus.documents.get(i as usize))
        {
            self.reader.go_to(page, doc);
            self.reader.scroll_to_top = false;
        }
        self.reader.hit = Some(next);
        self.reader.focus = Some((layer, offset));
        // Make sure a pane shows the layer of the hit.
        if !self.reader.panes.contains(&PaneContent::Layer(layer)) {
            let slot = self
                .reader
                .panes
                .iter()
                .position(|p| matches!(p, PaneContent::Layer(_)))
                .unwrap_or(self.reader.panes.len().saturating_sub(1));
            if let Some(pane) = self.reader.panes.get_mut(slot) {
                *pane = PaneContent::Layer(layer);
            }
        }
    }

    fn open(&mut self, path: PathBuf) {
        if let Some(job) = self.job.take() {
            job.options.cancel.store(true, Ordering::Relaxed);
        }
        self.chooser = None;
        let options = LoadOptions::default();
        match loader::spawn(
            path.clone(),
            options.clone(),
            Some(self.follow),
            self.repaint.clone(),
        ) {
            Ok(receiver) => {
                self.notice = None;
                self.job = Some(LoadJob {
                    path,
                    progress: None,
                    indexing: None,
                    receiver,
                    options,
                });
            }
            Err(e) => self.notice = Some(format!("cannot start loading: {e}")),
        }
    }

    /// Where the in-app chooser starts: the given folder, the corpus's
    /// parent, or the home folder.
    fn browse_start(&self, start: Option<PathBuf>) -> PathBuf {
        start
            .or_else(|| {
                self.corpus
                    .as_ref()
                    .and_then(|c| c.root.parent().map(Path::to_owned))
            })
            .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("/"))
    }

    fn refilter(&mut self, change: impl FnOnce(&mut FacetQuery)) {
        change(&mut self.query);
        self.refresh_selection();
    }

    /// Recounts the selection for the current filters.
    fn refresh_selection(&mut self) {
        if let Some(index) = &self.index {
            self.selection = index.select(&self.query);
        }
        if let Some(corpus) = &self.corpus {
            self.tag_counts = self.notes.counts(corpus, &self.selection.documents);
        }
        self.timeline_stacks = match (&self.index, self.settings.timeline_colour) {
            (_, crate::index::facets::GroupBy::Nothing) | (None, _) => None,
            (Some(index), by) => Some(index.stacks(&self.selection.documents, by, 6)),
        };
        self.refresh_rows();
    }

    /// Every tag in use, for completion (after a load or a new tag).
    fn refresh_all_tags(&mut self) {
        self.all_tags = self
            .corpus
            .as_ref()
            .map(|c| self.notes.all_tags(c))
            .unwrap_or_default();
    }

    /// The person page and the names to reconcile of a new corpus.
    fn refresh_people(&mut self) {
        let Some(corpus) = self.corpus.clone() else {
            return;
        };
        if let Some(page) = &self.person {
            let name = page.name.clone();
            self.person = Some(people::PersonPage::find(&corpus, &name));
        }
        if self.reconcile.open {
            self.reconcile.list(&corpus);
        }
    }

    /// The notes filters as the set of documents they let through.
    fn refresh_marks(&mut self) {
        self.query.marks = self.corpus.as_ref().and_then(|c| self.notes.marks(c));
        self.refresh_selection();
    }

    /// Changes the open document's notes (saved in the background).
    fn edit_notes(
        &mut self,
        change: impl FnOnce(&mut crate::research::notes::DocumentNotes, &Document),
    ) {
        let Some(corpus) = self.corpus.clone() else {
            return;
        };
        let Some(doc) = self
            .reader
            .document
            .and_then(|i| corpus.documents.get(i as usize))
        else {
            return;
        };
        self.notes.edit(&doc.id, |notes| change(notes, doc));
        if let Some(problem) = self.notes.problem.take() {
            self.notice = Some(problem);
        }
        // Counts (and, when filtering by notes, the list) follow.
        if self.notes.filtering() {
            self.refresh_marks();
        } else {
            self.tag_counts = self.notes.counts(&corpus, &self.selection.documents);
        }
    }

    /// The page region of the chosen line of the open document, if any.
    pub fn region_anchor(&self) -> Option<notes::RegionAnchor> {
        let corpus = self.corpus.as_ref()?;
        let doc = corpus.documents.get(self.reader.document? as usize)?;
        let (layer, range) = self.reader.line.clone()?;
        let page = doc.pages.get(self.reader.page)?;
        let region = page.regions.iter().position(|r| {
            r.layer == Some(layer) && r.text_range == Some((range.start, range.end))
        })?;
        Some(notes::RegionAnchor {
            page: self.reader.page + 1,
            region,
            text: page.regions[region].text.clone(),
        })
    }

    fn refresh_rows(&mut self) {
        let Some(orders) = &self.orders else {
            return;
        };
        self.rows = orders.rows(
            self.settings.sort,
            self.settings.sort_descending,
            &self.selection.documents,
        );
        if self.settings.sort == SortKey::Relevance && !self.search.hits.is_empty() {
            // Ranked hits first (best first), then the other matches by date.
            let mut ranked: Vec<u32> = self
                .rows
                .iter()
                .copied()
                .filter(|i| self.search.rank.contains_key(i))
                .collect();
            ranked.sort_by_key(|i| self.search.rank.get(i).copied().unwrap_or(usize::MAX));
            let rest = self
                .rows
                .iter()
                .copied()
                .filter(|i| !self.search.rank.contains_key(i));
            let mut rows: Vec<u32> = ranked.into_iter().chain(rest).collect();
            if self.settings.sort_descending {
                rows.reverse();
            }
            self.rows = rows;
        }
    }

    fn current_document(&self) -> Option<&Arc<Corpus>> {
        self.reader.document.and(self.corpus.as_ref())
    }

    /// Where the open document is in the list, if it is listed.
    pub fn current_row(&self) -> Option<usize> {
        let current = self.reader.document?;
        self.rows.iter().position(|&i| i == current)
    }

    fn open_document(&mut self, index: Option<u32>) {
        let Some(corpus) = &self.corpus else {
            return;
        };
        match index.and_then(|i| corpus.documents.get(i as usize).map(|d| (i, d))) {
            Some((i, doc)) => {
                if self.reader.document != Some(i) {
                    self.images.cancel_queued();
                    self.reader.open(i, doc);
                }
                self.settings.last_document = Some(doc.id.clone());
            }
            None => {
                self.reader.close();
                self.reading_mode = false;
                self.settings.last_document = None;
            }
        }
    }

    fn move_selection(&mut self, step: Move) {
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() - 1;
        let row = match (step, self.current_row()) {
            (Move::First, _) | (Move::Down, None) => 0,
            (Move::Last, _) | (Move::Up, None) => last,
            (Move::Down, Some(r)) => (r + 1).min(last),
            (Move::Up, Some(r)) => r.saturating_sub(1),
        };
        self.list_view.scroll_to = Some(row);
        self.open_document(Some(self.rows[row]));
    }

    fn set_pane_count(&mut self, n: usize) {
        let Some(doc) = self
            .reader
            .document
            .and_then(|i| self.corpus.as_ref()?.documents.get(i as usize))
        else {
            return;
        };
        let panes = &mut self.reader.panes;
        if n < panes.len() {
            panes.truncate(n);
            return;
        }
        // New panes show what is not shown yet: layers, then the scan.
        let candidates: Vec<PaneContent> = (0..doc.layers.len())
            .map(PaneContent::Layer)
            .chain([PaneContent::Scan])
            .collect();
        while panes.len() < n {
            let next = candidates
                .iter()
                .find(|c| !panes.contains(c))
                .or(candidates.first())
                .copied()
                .unwrap_or(PaneContent::Scan);
            panes.push(next);
        }
    }

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
        self.reconcile.poll();
        let notes_arrived = self.notes.poll().changed;
        if let Some(problem) = self.notes.problem.take() {
            self.notice = Some(problem);
        }
        if notes_arrived {
            self.refresh_all_tags();
            self.refresh_marks();
        }
        if self.search.poll() == search::SearchUpdate::Results {
            let documents = self.corpus.as_ref().map_or(0, |c| c.documents.len());
            self.query.within = self.search.within(documents);
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
    }

    /// Takes what the loader following the folder sent, until `budget`
    /// (counted from `started`) is spent.
    fn poll_watch(&mut self, started: Instant, budget: Duration) {
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
                // Sent only while loading (see `poll`).
                Ok(LoadMessage::Progress(_) | LoadMessage::Done(_) | LoadMessage::Failed(_)) => {}
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => self.watch = None,
            }
        }
    }

    /// Searches with a new full-text index (the typed search runs again).
    fn set_search_index(&mut self, index: Arc<crate::index::search::SearchIndex>) {
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
    fn apply_refresh(&mut self, loaded: loader::Loaded, changes: &crate::corpus::Changes) {
        let (Some(old_corpus), Some(old_index)) = (self.corpus.take(), self.index.take()) else {
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
        self.query = old_index.carry_query(&self.query, &loaded.index);
        self.search.carry_over(&moved);
        self.query.within = self.search.within(loaded.corpus.documents.len());
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
        self.corpus = Some(loaded.corpus);
        self.index = Some(loaded.index);
        self.orders = Some(loaded.orders);
        self.refresh_all_tags();
        // Notes are kept by id: the marked documents move with their ids.
        self.refresh_marks();
        self.refresh_people();
        self.update = Some(format!("folder changed: {changes}"));
    }

    fn finish_load(&mut self, path: &Path, loaded: loader::Loaded) {
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
        self.corpus = Some(loaded.corpus);
        self.index = Some(loaded.index);
        self.orders = Some(loaded.orders);
        self.search_index = None;
        // The typed search runs again once the new corpus is indexed.
        let text = std::mem::take(&mut self.search.text);
        self.search.clear_results();
        self.search.set_text(text);
        self.query = FacetQuery::default();
        self.filter_view = filters::FilterView::default();
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
        while (self.job.is_some() || self.search.is_running()) && Instant::now() < deadline {
            self.poll(POLL_BUDGET);
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Keys that work anywhere but in a text field.
    fn keyboard(&self, ctx: &egui::Context) -> Vec<Command> {
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
            commands.extend(chooser.show(&ctx));
        }
        if let Some(text) = self.copy.take() {
            ctx.copy_text(text.clone());
            self.last_copied = Some(text);
        }
        if let Some(window) = &mut self.export_window {
            commands.extend(window.show(&ctx, self.rows.len()));
        }
        if let Some(corpus) = self.corpus.clone() {
            if let Some(page) = &self.person {
                commands.extend(page.show(&ctx, &corpus));
            }
            if self.reconcile.open {
                commands.extend(self.reconcile.show(&ctx, &corpus));
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
                    filters::panel(
                        ui,
                        index,
                        &self.query,
                        &self.selection,
                        &mut self.filter_view,
                        self.timeline_stacks.as_ref(),
                        |ui, commands| notes::filters(ui, &self.notes, &self.tag_counts, commands),
                    )
                });
            commands.extend(panel.inner);
            self.settings.filters_width = panel.response.rect.width();
        }

        if reading || !self.settings.show_list {
            egui::CentralPanel::default().show(ui, |ui| {
                commands.extend(self.show_reader(ui, &corpus, &hits, reading));
            });
        } else {
            let panel = egui::Panel::right("folio-reader")
                .resizable(true)
                .default_size(self.settings.reader_width)
                .show(ui, |ui| self.show_reader(ui, &corpus, &hits, reading));
            commands.extend(panel.inner);
            self.settings.reader_width = panel.response.rect.width();
            egui::CentralPanel::default().show(ui, |ui| {
                commands.extend(self.search_bar(ui));
                commands.extend(list::table(
                    ui,
                    &corpus,
                    &self.rows,
                    self.reader.document,
                    (self.settings.sort, self.settings.sort_descending),
                    &self.search,
                    &mut self.list_view,
                ));
            });
        }
        drop_overlay(&ctx);
        commands
    }

    /// The reader, with the open document's notes.
    fn show_reader(
        &mut self,
        ui: &mut egui::Ui,
        corpus: &Corpus,
        hits: &[reader::DocumentHit],
        reading: bool,
    ) -> Vec<Command> {
        let region = self.region_anchor();
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
        };
        reader::show(ui, cx, &mut self.reader)
    }

    /// The search box over the list, and what the search is doing.
    fn search_bar(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut text = self.search.text.clone();
        ui.horizontal(|ui| {
                        let label = ui.label("Search");
            let clear_width = if text.is_empty() { 0.0 } else { 28.0 };
            let field = ui.add(
                egui::TextEdit::singleline(&mut text)
                    // A fixed id: the field keeps the keyboard while the
                    // widgets around it change.
                    .id(egui::Id::unique("folio-search-box"))
                    .hint_text("Search every text (Ctrl+F): Qasimi  \"Soviet aid\"  Kuld*  -Stalin  author:…  date:1945..1947")
                                                            .desired_width(ui.available_width() - clear_width),
            ).labelled_by(label.id);
            let clear = !text.is_empty()
                && ui
                    .small_button("✕")
                    .on_hover_text("Clear the search")
                    .clicked();
            if self.focus_search {
                field.request_focus();
                self.focus_search = false;
            }
            if clear {
                commands.push(Command::Search(String::new()));
            } else if field.changed() {
                commands.push(Command::Search(text.clone()));
            }
        });
        let status = if let Some(problem) = &self.search.problem {
            Some(egui::RichText::new(problem).color(ui.visuals().warn_fg_color))
        } else if self.search.is_active() && self.search_index.is_none() {
            Some(egui::RichText::new("indexing the texts… the search runs when it is done").weak())
        } else if self.search.is_running() {
            Some(egui::RichText::new("searching…").weak())
        } else {
            self.search.matching.as_ref().map(|matching| {
                egui::RichText::new(format!(
                    "{} documents match the search; {} with the filters",
                    matching.len(),
                    self.rows.len()
                ))
                .weak()
            })
        };
        if let Some(status) = status {
            ui.label(status.small());
        }
        commands
    }

    fn top_bar(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
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
            });
            ui.menu_button("View", |ui| {
                let mut show = self.settings.show_filters;
                if ui.checkbox(&mut show, "Filters").changed() {
                    commands.push(Command::SetShowFilters(show));
                }
                let mut show = self.settings.show_list;
                if ui.checkbox(&mut show, "Document list").changed() {
                    commands.push(Command::SetShowList(show));
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
            });
            ui.add_enabled_ui(self.corpus.is_some(), |ui| {
                ui.menu_button("Export", |ui| {
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
                });
            });
            ui.separator();
            if let Some(corpus) = &self.corpus {
                ui.label(egui::RichText::new(corpus.root.display().to_string()).strong())
                    .on_hover_text(format!(
                        "{} documents, {} load errors",
                        corpus.documents.len(),
                        corpus.errors.len()
                    ));
                if !corpus.errors.is_empty()
                    && !self.show_errors
                    && ui
                        .small_button(format!("{} errors", corpus.errors.len()))
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
            if let Some(status) = &self.status {
                ui.separator();
                ui.label(egui::RichText::new(status).weak());
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
        });
        if let Some(notice) = &self.notice {
            ui.colored_label(ui.visuals().warn_fg_color, notice);
        }
        commands
    }
}

/// While files are dragged over the window, say what dropping does.
fn drop_overlay(ctx: &egui::Context) {
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

fn toggle(list: &mut Vec<u32>, id: u32) {
    match list.iter().position(|&x| x == id) {
        Some(at) => {
            list.remove(at);
        }
        None => list.push(id),
    }
}

/// Timings printed when `FOLIO_TIMING` is set, and per-frame CPU times
/// written to `FOLIO_FRAME_LOG` at exit (for the README's measurements).
#[derive(Debug)]
struct Timing {
    launched: Instant,
    report: bool,
    first_frame: bool,
    interactive: bool,
    frame_log: Option<PathBuf>,
    /// (wall clock in ms since the Unix epoch, egui's CPU time in ms).
    frames: Vec<(u128, f32)>,
}

/// The eframe application: the state plus what only a real window has
/// (the settings writer, theme and zoom, window geometry).
#[derive(Debug)]
pub struct FolioApp {
    pub state: AppState,
    saver: Option<settings::Saver>,
    timing: Timing,
}

impl FolioApp {
    /// Starts loading `path` at once; `document` opens when it is loaded.
    pub fn new(
        ctx: &egui::Context,
        path: &Path,
        settings: Settings,
        document: Option<String>,
        launched: Instant,
    ) -> Self {
        let saver = settings::settings_path().and_then(|p| {
            settings::Saver::spawn(p, settings.clone())
                .map_err(|e| eprintln!("folio: settings will not be saved: {e}"))
                .ok()
        });
        let mut state = AppState {
            settings,
            pending_document: document,
            repaint: Some(ctx.clone()),
            ..AppState::default()
        };
        state.apply(Command::Open(path.to_owned()));
        Self {
            state,
            saver,
            timing: Timing {
                launched,
                report: std::env::var_os("FOLIO_TIMING").is_some(),
                first_frame: false,
                interactive: false,
                frame_log: std::env::var_os("FOLIO_FRAME_LOG").map(PathBuf::from),
                frames: Vec::new(),
            },
        }
    }

    /// Applies theme and zoom, and reads back what the user changed
    /// through egui itself (Ctrl +/- zoom, window size).
    fn sync_settings(&mut self, ctx: &egui::Context) {
        let settings = &mut self.state.settings;
        let theme = match settings.theme {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        };
        if ctx.options(|o| o.theme_preference) != theme {
            ctx.set_theme(theme);
        }
        settings.zoom = ctx.zoom_factor();
        let (inner, outer, maximized) = ctx.input(|i| {
            let viewport = i.viewport();
            (viewport.inner_rect, viewport.outer_rect, viewport.maximized)
        });
        if let Some(maximized) = maximized {
            settings.maximized = maximized;
        }
        if !settings.maximized {
            if let Some(inner) = inner {
                settings.window_size = [inner.width(), inner.height()];
            }
            if let Some(outer) = outer {
                settings.window_position = Some([outer.min.x, outer.min.y]);
            }
        }
    }

    fn record_timing(&mut self, frame: &eframe::Frame) {
        let timing = &mut self.timing;
        if let Some(cpu) = frame.info().cpu_usage
            && timing.frame_log.is_some()
        {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            timing.frames.push((now, cpu * 1000.0));
        }
        if timing.report && !timing.first_frame {
            timing.first_frame = true;
            eprintln!(
                "folio: first frame after {:.0} ms",
                timing.launched.elapsed().as_secs_f64() * 1000.0
            );
        }
        if timing.report && !timing.interactive && self.state.corpus.is_some() {
            timing.interactive = true;
            eprintln!(
                "folio: interactive after {:.0} ms ({} documents listed)",
                timing.launched.elapsed().as_secs_f64() * 1000.0,
                self.state.rows.len()
            );
        }
    }
}

impl eframe::App for FolioApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.sync_settings(&ctx);
        let busy = self.state.poll(POLL_BUDGET);
        let commands = self.state.ui(ui);
        for command in commands {
            self.state.apply(command);
        }
        // Decoded pages should appear at once; a loading corpus only moves
        // a progress bar, and every frame drawn takes CPU from the parser
        // threads (on a software renderer most of a core).
        if self.state.images.is_busy() {
            ctx.request_repaint_after(Duration::from_millis(30));
        } else if busy {
            ctx.request_repaint_after(Duration::from_millis(200));
        }
        if let Some(saver) = &mut self.saver {
            saver.offer(&self.state.settings);
        }
        self.record_timing(frame);
    }

    fn on_exit(&mut self) {
        let unsaved = self.state.notes.flush();
        if !unsaved.is_empty() {
            eprintln!(
                "folio: the notes on {} could not be saved: {}",
                crate::text::count(unsaved.len(), "document", "documents"),
                unsaved.join(", ")
            );
        }
        if let Some(path) = settings::settings_path()
            && let Err(e) = settings::save(&path, &self.state.settings)
        {
            eprintln!("folio: cannot save settings to {}: {e}", path.display());
        }
        if let Some(path) = &self.timing.frame_log {
            let mut lines = String::new();
            for (at, ms) in &self.timing.frames {
                let _ = writeln!(lines, "{at} {ms:.3}");
            }
            if let Err(e) = std::fs::write(path, lines) {
                eprintln!("folio: cannot write {}: {e}", path.display());
            }
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
        .find(|c| c.join("authority.toml").is_file())
}

/// What the window opens: `path` if given, else the last corpus when it
/// still exists, else the bundled documents.
fn startup_folder(path: Option<PathBuf>, settings: &Settings) -> (PathBuf, Option<String>) {
    if let Some(path) = path {
        let document = (settings.last_corpus.as_ref() == Some(&path))
            .then(|| settings.last_document.clone())
            .flatten();
        return (path, document);
    }
    if let Some(last) = &settings.last_corpus
        && (last.is_dir() || crate::corpus::formats::iiif::is_remote(last))
    {
        return (last.clone(), settings.last_document.clone());
    }
    (
        bundled_documents().unwrap_or_else(|| PathBuf::from(".")),
        None,
    )
}

/// Opens the window on `path` (or the last or bundled corpus); `document`
/// is an id to open once loaded.
pub fn run(path: Option<PathBuf>, document: Option<String>, launched: Instant) -> eframe::Result {
    let (settings, problem) = settings::settings_path()
        .map(|p| settings::load(&p))
        .unwrap_or_default();
    if let Some(problem) = problem {
        eprintln!("folio: {problem}");
    }
    let (folder, remembered) = startup_folder(path, &settings);
    let document = document.or(remembered);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("folio")
        .with_inner_size(settings.window_size)
        .with_maximized(settings.maximized)
        .with_drag_and_drop(true)
        .with_app_id("folio");
    if let Some(position) = settings.window_position {
        viewport = viewport.with_position(position);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "folio",
        options,
        Box::new(move |cc| {
            fonts::install(&cc.egui_ctx);
            cc.egui_ctx.set_zoom_factor(settings.zoom);
            Ok(Box::new(FolioApp::new(
                &cc.egui_ctx,
                &folder,
                settings,
                document,
                launched,
            )))
        }),
    )
}
