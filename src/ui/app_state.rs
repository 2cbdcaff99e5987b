//! The window's world as plain data ([`AppState`]): the loaded corpus
//! and its indexes, the filters and their selection, the list, the
//! reader, the user's notes, settings and the background jobs; and the
//! helpers that keep its derived parts (selection, rows) in step.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;

use eframe::egui;

use crate::corpus::{Corpus, LoadOptions, Progress};
use crate::index::facets::{FacetIndex, Scope, Selection};
use crate::index::filter::Filter;
use crate::index::order::SortOrders;
use crate::model::Document;

use super::list::ListView;
use super::loader::LoadMessage;
use super::open::{FolderChooser, NativeDialog};
use super::reader::{PaneContent, ReaderView};
use super::settings::{Settings, SortKey};
use super::{Move, export, filters, images, loader, notes, people, reader, search};

/// A corpus being loaded in the background.
#[derive(Debug)]
pub struct LoadJob {
    pub path: PathBuf,
    pub progress: Option<Progress>,
    /// Once the corpus is shown: documents indexed for search, of all.
    pub indexing: Option<(usize, usize)>,
    pub(super) receiver: Receiver<LoadMessage>,
    pub(super) options: LoadOptions,
}

/// A shown corpus whose folder the loader thread follows; dropping it
/// stops the thread.
#[derive(Debug)]
pub struct Watch {
    pub(super) path: PathBuf,
    pub(super) receiver: Receiver<LoadMessage>,
    pub(super) cancel: Arc<std::sync::atomic::AtomicBool>,
    /// While changed documents are indexed: done, of all.
    pub indexing: Option<(usize, usize)>,
}

impl Watch {
    pub(super) fn from_job(job: LoadJob) -> Self {
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
    pub filter: Filter,
    /// What the selection is limited to besides the filter (search, marks).
    pub scope: Scope,
    pub selection: Selection,
    /// The selected documents in list order.
    pub rows: Vec<u32>,
    pub filter_panel: filters::FilterPanel,
    pub list_view: ListView,
    pub reader: ReaderView,
    pub images: images::ImageCache,
    /// Whether the corpus has page images on this machine (the list then
    /// shows thumbnails, unless the user turned them off).
    pub has_scans: bool,
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
    pub(super) copy: Option<String>,
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
    pub(super) export_job: Option<export::SaveJob>,
    /// Reader alone at full width.
    pub reading_mode: bool,
    pub show_errors: bool,
    /// A document id to open when the running load finishes.
    pub pending_document: Option<String>,
    pub chooser: Option<FolderChooser>,
    pub(super) dialog: Option<NativeDialog>,
    pub search: search::SearchState,
    pub search_index: Option<Arc<crate::index::search::SearchIndex>>,
    /// Ask the search box for the keyboard on the next frame (Ctrl+F).
    pub search_bar: super::search_bar::SearchBar,
    /// The descriptions laid over the shown corpus (the loader sends
    /// them; edits change them here first).
    pub overlay: Arc<crate::research::describe::Overlay>,
    /// Where edits of descriptions go: the loader thread saves and applies them.
    pub(super) loader_requests: Option<std::sync::mpsc::Sender<loader::LoaderRequest>>,
    /// Writing the open document as a folder (`folio-folder`).
    pub(super) folder_job: Option<std::sync::mpsc::Receiver<super::describe::FolderWritten>>,
    /// After the next refresh, show the user's version of this text
    /// (kind, language) where its file's version is shown.
    pub(super) switch_to_user: Option<(crate::model::LayerKind, Option<String>)>,
    /// The reading pane a new text was asked for from (it shows it once made).
    pub(super) new_text_pane: Option<usize>,
    /// Machine OCR under way.
    pub ocr_job: Option<super::ocr_job::OcrJob>,
    /// Describing requests sent to the loader and not yet answered.
    pub(super) describing: usize,
    /// Rows chosen for grouping and batch edits, by document id.
    pub picked: std::collections::BTreeSet<String>,
    /// The row a Shift+click range starts from (a corpus index).
    pub(super) pick_anchor: Option<u32>,
    /// Undo of each describing change, newest last, with what it was.
    pub(super) describe_undo: Vec<(String, crate::research::describe::edit::Edit)>,
    /// The reader's Describe section.
    pub describe_view: super::describe::DescribeView,
    pub suggestions: Option<super::describe::SuggestWindow>,
    pub batch: Option<super::describe::BatchWindow>,
    /// When the shown page's photograph was taken, by image path (read on
    /// `folio-exif`).
    pub(super) photographed: super::describe::Photographed,
    /// Hits in the open document, for (document, query generation).
    pub(super) document_hits: (Option<(u32, u64)>, Vec<reader::DocumentHit>),
}

impl AppState {
    pub(super) fn open(&mut self, path: PathBuf) {
        if let Some(job) = self.job.take() {
            job.options.cancel.store(true, Ordering::Relaxed);
        }
        self.chooser = None;
        // A search belongs to its corpus: another folder opens unsearched.
        if self.corpus.as_ref().is_some_and(|c| c.root != path) && self.search.is_active() {
            self.search_for(String::new());
        }
        let options = LoadOptions::default();
        match loader::spawn(
            path.clone(),
            options.clone(),
            Some(self.follow),
            self.repaint.clone(),
        ) {
            Ok(loader::LoaderLink { receiver, requests }) => {
                self.notice = None;
                self.overlay = Arc::default();
                self.loader_requests = Some(requests);
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
    pub(super) fn browse_start(&self, start: Option<PathBuf>) -> PathBuf {
        start
            .or_else(|| {
                self.corpus
                    .as_ref()
                    .and_then(|c| c.root.parent().map(Path::to_owned))
            })
            .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("/"))
    }

    pub(super) fn refilter(&mut self, change: impl FnOnce(&mut Filter)) {
        change(&mut self.filter);
        self.refresh_selection();
    }

    /// Recounts the selection for the current filters.
    pub(super) fn refresh_selection(&mut self) {
        if let Some(index) = &self.index {
            self.selection = index.select(&self.filter, &self.scope);
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
    pub(super) fn refresh_all_tags(&mut self) {
        self.all_tags = self
            .corpus
            .as_ref()
            .map(|c| self.notes.all_tags(c))
            .unwrap_or_default();
    }

    /// The person page and the names to reconcile of a new corpus.
    pub(super) fn refresh_people(&mut self) {
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
    pub(super) fn refresh_marks(&mut self) {
        self.scope.marks = self.corpus.as_ref().and_then(|c| self.notes.marks(c));
        self.refresh_selection();
    }

    /// Changes the open document's notes (saved in the background).
    pub(super) fn edit_notes(
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

    pub(super) fn refresh_rows(&mut self) {
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

    pub(super) fn current_document(&self) -> Option<&Arc<Corpus>> {
        self.reader.document.and(self.corpus.as_ref())
    }

    /// The document open in the reader.
    pub(super) fn open_doc(&self) -> Option<&crate::model::Document> {
        self.corpus
            .as_ref()?
            .documents
            .get(self.reader.document? as usize)
    }

    /// Where the open document is in the list, if it is listed.
    pub fn current_row(&self) -> Option<usize> {
        let current = self.reader.document?;
        self.rows.iter().position(|&i| i == current)
    }

    pub(super) fn open_document(&mut self, index: Option<u32>) {
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

    pub(super) fn move_selection(&mut self, step: Move) {
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

    pub(super) fn set_pane_count(&mut self, n: usize) {
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
}
