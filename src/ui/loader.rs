//! Background loading for the window. The `folio-loader` thread reads the
//! corpus with its facet index and sort orders and sends it over a bounded
//! channel; then it builds the full-text index while the window already
//! shows the corpus, and writes the snapshot. After that the same thread
//! follows the folder: it checks the stamps of every file the corpus was
//! read from, and when one changed it opens the corpus again (only what
//! changed is parsed, the index is updated per document) and sends the new
//! corpus with what changed.
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

/// A corpus ready for the window.
#[derive(Debug)]
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
) -> std::io::Result<Receiver<LoadMessage>> {
    let (sender, receiver) = mpsc::sync_channel(64);
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
            };
            worker.run(follow);
        })?;
    Ok(receiver)
}

/// The loader thread's state.
struct Worker {
    root: PathBuf,
    options: LoadOptions,
    snapshot: Option<PathBuf>,
    sender: SyncSender<LoadMessage>,
    repaint: Option<eframe::egui::Context>,
}

/// A corpus as opened: what the window gets, and where it came from.
struct Opened {
    loaded: Loaded,
    sources: Sources,
    /// Whether the facet index and sort orders came with the snapshot.
    views_cached: bool,
}

impl Worker {
    fn run(&self, follow: Option<Follow>) {
        let opened = match self.open(true) {
            Ok(opened) => opened,
            Err(reason) => {
                self.send(LoadMessage::Failed(reason));
                return;
            }
        };
        let Opened {
            loaded,
            sources,
            views_cached,
        } = opened;
        let shown = Loaded {
            corpus: Arc::clone(&loaded.corpus),
            index: Arc::clone(&loaded.index),
            orders: Arc::clone(&loaded.orders),
        };
        if !self.send(LoadMessage::Done(Box::new(shown))) || !self.index(&loaded) {
            return;
        }
        // Last, so that searching is not kept waiting: the snapshot that
        // lets the next start skip parsing.
        self.save(&loaded, &sources, views_cached);
        // Caches of corpora that are gone (temporary folders, deleted
        // ones) are removed after a day.
        let _ = std::panic::catch_unwind(crate::cache::remove_orphans);
        if let Some(follow) = follow {
            self.follow(follow, loaded, sources);
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

    /// Opens the corpus (from the snapshot where files did not change) and
    /// its facet index and sort orders.
    fn open(&self, report_progress: bool) -> Result<Opened, String> {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            corpus::open(&self.root, &self.options, self.snapshot.as_deref(), &|p| {
                if report_progress {
                    let _ = self.sender.try_send(LoadMessage::Progress(p));
                }
            })
            .map(|opened| {
                // An unchanged corpus brings its facet index and sort
                // orders with its snapshot.
                let ((index, orders), views_cached) =
                    crate::index::facets::views_for(&opened.corpus, opened.extra.as_deref());
                Opened {
                    loaded: Loaded {
                        corpus: Arc::new(opened.corpus),
                        index: Arc::new(index),
                        orders: Arc::new(orders),
                    },
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

    /// Writes the snapshot when it no longer describes the corpus.
    fn save(&self, loaded: &Loaded, sources: &Sources, views_cached: bool) {
        if let Some(file) = &self.snapshot
            && (sources.snapshot_is_stale() || !views_cached)
            && !self.cancelled()
        {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let views = crate::index::facets::encode_views(&loaded.index, &loaded.orders);
                sources.write_snapshot(&loaded.corpus, file, &views)
            }));
        }
    }

    /// Waits `duration`; false when the load was cancelled meanwhile.
    fn wait(&self, duration: Duration) -> bool {
        let deadline = Instant::now() + duration;
        while !self.cancelled() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(50)));
        }
        false
    }

    /// Checks the folder every so often and sends the corpus again when
    /// it changed, until cancelled or nobody listens.
    fn follow(&self, follow: Follow, mut shown: Loaded, mut sources: Sources) {
        let mut follower = corpus::follow::Follower::new(follow);
        let mut failing = false;
        loop {
            match follower.look(&self.root, &sources, |wait| self.wait(wait)) {
                corpus::follow::Look::Stopped => return,
                corpus::follow::Look::Unchanged => continue,
                corpus::follow::Look::Changed => {}
            }
            let opened = match self.open(false) {
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
            let mut changes = shown.corpus.changes_to(&opened.loaded.corpus);
            changes.files = sources.changed_files(&opened.sources);
            if changes.is_empty() {
                // Only stamps moved (a file saved without changes, or one
                // read too soon after it was written): the window keeps
                // what it shows, the snapshot takes the new stamps.
                self.save(&opened.loaded, &opened.sources, opened.views_cached);
                sources = opened.sources;
                continue;
            }
            let refreshed = Loaded {
                corpus: Arc::clone(&opened.loaded.corpus),
                index: Arc::clone(&opened.loaded.index),
                orders: Arc::clone(&opened.loaded.orders),
            };
            if !self.send(LoadMessage::Refreshed(Box::new(refreshed), changes))
                || !self.index(&opened.loaded)
            {
                return;
            }
            self.save(&opened.loaded, &opened.sources, opened.views_cached);
            shown = opened.loaded;
            sources = opened.sources;
        }
    }
}
