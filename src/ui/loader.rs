//! Background loading for the window. The `folio-loader` thread reads the
//! corpus with its facet index and sort orders and sends it over a bounded
//! channel; then it builds the full-text index while the window already
//! shows the corpus, and writes the snapshot. After that the same thread
//! follows the folder: it checks the stamps of every file the corpus was
//! read from, and when one changed it opens the corpus again (only what
//! changed is parsed, the index is updated per document) and sends the new
//! corpus with what changed.
//!
//! The user's descriptions ([`crate::research::describe`]) are laid over
//! the corpus as parsed here too: at load, when the window asks for an edit
//! (this thread saves the files, then applies them, so that its own saves
//! are never mistaken for another program's), and when another program
//! changed the description files.
//!
//! Progress messages are dropped when the channel is full (the window only
//! needs the latest); results always arrive. A panic in any step becomes a
//! message; the window keeps running.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::time::{Duration, Instant};

use crate::corpus::{self, Changes, Corpus, LoadOptions, Progress, Sources};
use crate::index::facets::FacetIndex;
use crate::index::order::SortOrders;
use crate::index::search::{SearchError, SearchIndex};
use crate::research::describe::{self, Overlay};

/// A corpus ready for the window.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub corpus: Arc<Corpus>,
    pub index: Arc<FacetIndex>,
    pub orders: Arc<SortOrders>,
}

/// What the loader thread sends: progress, the corpus, then (while the
/// window already shows the corpus) its full-text index; later, whenever
/// the folder changed, the corpus again and its updated index.
#[derive(Debug)]
pub enum LoadMessage {
    Progress(Progress),
    Done(Box<Loaded>),
    Failed(String),
    /// Documents indexed so far, of the total.
    Indexing(usize, usize),
    Indexed(Arc<SearchIndex>),
    IndexFailed(String),
    /// The folder changed and was read again; its index follows.
    Refreshed(Box<Loaded>, Changes),
    /// The folder changed but cannot be read now (an unplugged drive, a
    /// folder renamed away); the corpus shown stays. Sent once until a
    /// later read succeeds.
    RefreshFailed(String),
    /// The descriptions laid over the corpus: at load, and after another
    /// program changed their files (the window edits this one).
    Overlay(Arc<Overlay>),
    /// Saving descriptions failed: the file and why (the edit is shown
    /// but not kept).
    DescribeFailed(String),
    /// The window's describing requests so far are saved and shown.
    Described,
}

/// What the window asks of the loader thread.
#[derive(Debug)]
pub enum LoaderRequest {
    /// Save the descriptions of `save` from `overlay`, then show the
    /// corpus with `overlay` laid over it.
    Describe {
        overlay: Arc<Overlay>,
        save: Vec<String>,
    },
    /// Read the sidecar again now (OCR results were just kept there).
    Reload,
}

/// The loader thread's two ends for the window.
#[derive(Debug)]
pub struct LoaderLink {
    pub receiver: Receiver<LoadMessage>,
    pub requests: mpsc::Sender<LoaderRequest>,
}

pub use crate::corpus::follow::Follow;

/// Starts loading `root`, then follows its folder (with `follow`) until
/// `options.cancel` is set or the receiver is dropped. `repaint` is woken
/// after each message that needs no further input to be shown.
pub fn spawn(
    root: PathBuf,
    options: LoadOptions,
    follow: Option<Follow>,
    repaint: Option<eframe::egui::Context>,
) -> std::io::Result<LoaderLink> {
    let (sender, receiver) = mpsc::sync_channel(64);
    let (requests, incoming) = mpsc::channel();
    std::thread::Builder::new()
        .name("folio-loader".into())
        .spawn(move || {
            // A IIIF manifest given by URL is fetched here, off the UI
            // thread, and opened from its folder in the cache.
            let root = if crate::corpus::formats::iiif::is_remote(&root) {
                match crate::corpus::formats::iiif::manifest_folder(&root.to_string_lossy()) {
                    Ok((folder, _offline)) => folder,
                    Err(reason) => {
                        let _ = sender.send(LoadMessage::Failed(reason));
                        if let Some(ctx) = &repaint {
                            ctx.request_repaint();
                        }
                        return;
                    }
                }
            } else {
                root
            };
            let worker = Worker {
                snapshot: corpus::snapshot_file(&root),
                root,
                options,
                sender,
                repaint,
                requests: std::sync::Mutex::new(incoming),
            };
            worker.run(follow);
        })?;
    Ok(LoaderLink { receiver, requests })
}

/// The loader thread's state.
struct Worker {
    root: PathBuf,
    options: LoadOptions,
    snapshot: Option<PathBuf>,
    sender: SyncSender<LoadMessage>,
    repaint: Option<eframe::egui::Context>,
    /// Behind a lock only so that the worker may be shared with the
    /// parser threads' progress callback; one thread reads it.
    requests: std::sync::Mutex<Receiver<LoaderRequest>>,
}

/// A corpus as opened: what the window gets, and where it came from.
struct Opened {
    /// The corpus with the descriptions laid over it.
    loaded: Loaded,
    /// The corpus as its files give it (what the snapshot keeps).
    base: Arc<Corpus>,
    overlay: Arc<Overlay>,
    /// The stamps of the description and OCR files, taken before the
    /// overlay was read from them (empty when it was given): a file
    /// changed after that is read again while following.
    described: Stamps,
    sources: Sources,
    /// Whether the facet index and sort orders came with the snapshot.
    views_cached: bool,
}

/// What [`describe::stamps`] gives.
type Stamps = Vec<(std::ffi::OsString, crate::research::sidecar::Stamp)>;

impl Worker {
    fn run(&self, follow: Option<Follow>) {
        let opened = match self.open(true, None) {
            Ok(opened) => opened,
            Err(reason) => {
                self.send(LoadMessage::Failed(reason));
                return;
            }
        };
        let shown = opened.loaded.clone();
        if !self.send(LoadMessage::Overlay(Arc::clone(&opened.overlay)))
            || !self.send(LoadMessage::Done(Box::new(shown)))
            || !self.index(&opened.loaded)
        {
            return;
        }
        // Last, so that searching is not kept waiting: the snapshot that
        // lets the next start skip parsing.
        self.save(&opened);
        // Caches of corpora that are gone (temporary folders, deleted
        // ones) are removed after a day.
        let _ = std::panic::catch_unwind(crate::cache::remove_orphans);
        if let Some(follow) = follow {
            self.follow(follow, opened);
        }
    }

    /// Sends `message` and wakes the window; false when nobody listens.
    fn send(&self, message: LoadMessage) -> bool {
        let sent = self.sender.send(message).is_ok();
        if let Some(ctx) = &self.repaint {
            ctx.request_repaint();
        }
        sent
    }

    fn cancelled(&self) -> bool {
        self.options.cancel.load(Ordering::Relaxed)
    }

    /// Opens the corpus (from the snapshot where files did not change),
    /// lays its descriptions over it (`overlay`, else those on disk), and
    /// builds its facet index and sort orders.
    fn open(&self, report_progress: bool, overlay: Option<Arc<Overlay>>) -> Result<Opened, String> {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            corpus::open(&self.root, &self.options, self.snapshot.as_deref(), &|p| {
                if report_progress {
                    let _ = self.sender.try_send(LoadMessage::Progress(p));
                }
            })
            .map(|opened| {
                let (overlay, described) = match overlay {
                    Some(overlay) => (overlay, Vec::new()),
                    None => {
                        let sidecar = crate::research::sidecar::Sidecar::of(&self.root);
                        let described = describe::stamps(&sidecar);
                        (Arc::new(Overlay::load_sidecar(sidecar)), described)
                    }
                };
                let base = Arc::new(opened.corpus);
                // An unchanged corpus with no description brings its facet
                // index and sort orders with its snapshot.
                let stored = opened.extra.as_deref().filter(|_| overlay.is_empty());
                let (loaded, views_cached) = shown(&base, &overlay, stored);
                Opened {
                    loaded,
                    base,
                    overlay,
                    described,
                    sources: opened.sources,
                    views_cached,
                }
            })
        }));
        match result {
            Ok(Ok(opened)) => Ok(opened),
            Ok(Err(e)) => Err(e.to_string()),
            Err(payload) => Err(super::worker::stopped("loader", payload.as_ref())),
        }
    }

    /// Opens (updates) the full-text index of `loaded` and sends it;
    /// false when the window no longer listens or the load was cancelled.
    fn index(&self, loaded: &Loaded) -> bool {
        let corpus = &loaded.corpus;
        let total = corpus.documents.len();
        let indexed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let cache = crate::index::search::cache::dir_for(&corpus.root);
            SearchIndex::open_or_build(corpus, cache.as_deref(), &|done| {
                let _ = self.sender.try_send(LoadMessage::Indexing(done, total));
                !self.cancelled()
            })
            .map(|(index, _)| index)
        }));
        let message = match indexed {
            Ok(Ok(index)) => LoadMessage::Indexed(Arc::new(index)),
            Ok(Err(SearchError::Cancelled)) => return false,
            Ok(Err(e)) => LoadMessage::IndexFailed(e.to_string()),
            Err(payload) => {
                LoadMessage::IndexFailed(super::worker::stopped("indexer", payload.as_ref()))
            }
        };
        self.send(message)
    }

    /// Writes the snapshot when it no longer describes the corpus as its
    /// files give it; the facet views go with it only when no description
    /// changes them.
    fn save(&self, opened: &Opened) {
        if let Some(file) = &self.snapshot
            && (opened.sources.snapshot_is_stale() || !opened.views_cached)
            && !self.cancelled()
        {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let views = if opened.overlay.is_empty() {
                    crate::index::facets::encode_views(&opened.loaded.index, &opened.loaded.orders)
                } else {
                    Vec::new()
                };
                opened.sources.write_snapshot(&opened.base, file, &views)
            }));
        }
    }

    /// The window's next request, if one is waiting.
    fn request(&self) -> Option<LoaderRequest> {
        self.requests.lock().ok()?.try_recv().ok()
    }

    /// Waits `duration`; false when the load was cancelled meanwhile. A
    /// request from the window ends the wait early (it is kept in
    /// `pending`).
    fn wait(&self, duration: Duration, pending: &mut Option<LoaderRequest>) -> bool {
        let deadline = Instant::now() + duration;
        while !self.cancelled() {
            if pending.is_none() {
                *pending = self.request();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || pending.is_some() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(20)));
        }
        false
    }

    /// Checks the folder every so often and sends the corpus again when
    /// it changed, and carries out the window's requests, until cancelled
    /// or nobody listens.
    fn follow(&self, follow: Follow, mut shown: Opened) {
        let mut follower = corpus::follow::Follower::new(follow);
        let mut failing = false;
        // From the stamps taken before the overlay was read: a description
        // written while the corpus was indexed is not missed.
        let mut described = std::mem::take(&mut shown.described);
        loop {
            let mut pending = None;
            let look = follower.look(&self.root, &shown.sources, |wait| {
                self.wait(wait, &mut pending)
            });
            if let Some(LoaderRequest::Reload) = pending {
                // Read below, as another program's changes are.
                described.clear();
            }
            if let Some(LoaderRequest::Describe { overlay, save }) = pending {
                // Newer requests replace older ones; their saves add up.
                let (overlay, save) = self.newest(overlay, save);
                self.save_descriptions(&overlay, &save);
                described = describe::stamps(&overlay.sidecar);
                if !self.show_overlay(&mut shown, overlay) || !self.send(LoadMessage::Described) {
                    return;
                }
                continue;
            }
            let now_described = describe::stamps(&shown.overlay.sidecar);
            if now_described != described {
                described = now_described;
                let overlay = Arc::new(Overlay::load_sidecar(shown.overlay.sidecar.clone()));
                if *overlay != *shown.overlay {
                    if !self.send(LoadMessage::Overlay(Arc::clone(&overlay)))
                        || !self.show_overlay(&mut shown, overlay)
                    {
                        return;
                    }
                    continue;
                }
            }
            match look {
                corpus::follow::Look::Stopped => return,
                corpus::follow::Look::Unchanged => continue,
                corpus::follow::Look::Changed => {}
            }
            let opened = match self.open(false, Some(Arc::clone(&shown.overlay))) {
                Ok(opened) => opened,
                Err(_) if self.cancelled() => return,
                Err(reason) => {
                    if !failing && !self.send(LoadMessage::RefreshFailed(reason)) {
                        return;
                    }
                    failing = true;
                    continue;
                }
            };
            failing = false;
            follower.read_done();
            if !self.show_changes(&mut shown, opened) {
                return;
            }
        }
    }

    /// The newest of the requests waiting, with every id any of them saves.
    fn newest(
        &self,
        mut overlay: Arc<Overlay>,
        mut save: Vec<String>,
    ) -> (Arc<Overlay>, Vec<String>) {
        while let Some(request) = self.request() {
            if let LoaderRequest::Describe {
                overlay: newer,
                save: more,
            } = request
            {
                overlay = newer;
                save.extend(more);
                // Each request is answered.
                let _ = self.sender.send(LoadMessage::Described);
            }
        }
        save.sort();
        save.dedup();
        (overlay, save)
    }

    /// Saves the descriptions of `ids`; a failure is sent to the window.
    fn save_descriptions(&self, overlay: &Overlay, ids: &[String]) {
        for id in ids {
            if let Err(e) = overlay.save(id) {
                self.send(LoadMessage::DescribeFailed(e.to_string()));
            }
        }
    }

    /// Lays `overlay` over the corpus as parsed and sends what changed;
    /// false when nobody listens.
    fn show_overlay(&self, shown: &mut Opened, overlay: Arc<Overlay>) -> bool {
        let (loaded, _) = self::shown(&shown.base, &overlay, None);
        let opened = Opened {
            loaded,
            base: Arc::clone(&shown.base),
            overlay,
            described: Vec::new(),
            sources: shown.sources.clone(),
            views_cached: true,
        };
        self.show_changes(shown, opened)
    }

    /// Sends `opened` when it differs from what is shown, and updates its
    /// index; false when nobody listens.
    fn show_changes(&self, shown: &mut Opened, opened: Opened) -> bool {
        let mut changes = shown.loaded.corpus.changes_to(&opened.loaded.corpus);
        changes.files = shown.sources.changed_files(&opened.sources);
        if changes.is_empty() {
            // Only stamps moved (a file saved without changes, or one read
            // too soon after it was written): the window keeps what it
            // shows, the snapshot takes the new stamps.
            self.save(&opened);
            *shown = opened;
            return true;
        }
        if !self.send(LoadMessage::Refreshed(
            Box::new(opened.loaded.clone()),
            changes,
        )) || !self.index(&opened.loaded)
        {
            return false;
        }
        self.save(&opened);
        *shown = opened;
        true
    }
}

/// `base` with `overlay` laid over it, with its facet index and sort
/// orders (from `stored` when given and readable); whether they came
/// from there.
fn shown(base: &Arc<Corpus>, overlay: &Overlay, stored: Option<&[u8]>) -> (Loaded, bool) {
    let corpus = if overlay.is_empty() {
        Arc::clone(base)
    } else {
        Arc::new(describe::apply(base, overlay).corpus)
    };
    let ((index, orders), cached) = crate::index::facets::views_for(&corpus, stored);
    (
        Loaded {
            corpus,
            index: Arc::new(index),
            orders: Arc::new(orders),
        },
        cached,
    )
}
