//! Background loading for the window: the corpus, its facet index and its
//! sort orders are built on the `folio-loader` thread and come back over a
//! bounded channel; then the same thread builds the full-text index while
//! the window already shows the corpus. Progress messages are dropped when the channel is full
//! (the window only needs the latest); the result always arrives.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};

use crate::corpus::{self, Corpus, LoadOptions, Progress};
use crate::facets::FacetIndex;
use crate::order::SortOrders;
use crate::search::{SearchError, SearchIndex};

/// A corpus ready for the window.
#[derive(Debug)]
pub struct Loaded {
    pub corpus: Arc<Corpus>,
    pub index: Arc<FacetIndex>,
    pub orders: Arc<SortOrders>,
}

/// What the loader thread sends: progress, the corpus, then (while the
/// window already shows the corpus) its full-text index.
#[derive(Debug)]
pub enum LoadMessage {
    Progress(Progress),
    Done(Box<Loaded>),
    Failed(String),
    /// Documents indexed so far, of the total.
    Indexing(usize, usize),
    Indexed(Arc<SearchIndex>),
    IndexFailed(String),
}

/// Starts loading `root`; a panic in the loader becomes `Failed`.
pub fn spawn(root: PathBuf, options: LoadOptions) -> std::io::Result<Receiver<LoadMessage>> {
    let (sender, receiver) = mpsc::sync_channel(64);
    std::thread::Builder::new()
        .name("folio-loader".into())
        .spawn(move || {
            let progress = sender.clone();
            let snapshot = corpus::snapshot_file(&root);
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                corpus::open(&root, &options, snapshot.as_deref(), &|p| {
                    let _ = progress.try_send(LoadMessage::Progress(p));
                })
                .map(|opened| {
                    let corpus = opened.corpus;
                    // An unchanged corpus brings its facet index and sort
                    // orders with its snapshot.
                    let ((index, orders), views_cached) =
                        crate::facets::views_for(&corpus, opened.extra.as_deref());
                    let loaded = Loaded {
                        corpus: Arc::new(corpus),
                        index: Arc::new(index),
                        orders: Arc::new(orders),
                    };
                    (loaded, opened.sources, views_cached)
                })
            }));
            let (loaded_views, corpus, sources, views_cached) = match result {
                Ok(Ok((loaded, sources, views_cached))) => {
                    let corpus = Arc::clone(&loaded.corpus);
                    let views = (Arc::clone(&loaded.index), Arc::clone(&loaded.orders));
                    if sender.send(LoadMessage::Done(Box::new(loaded))).is_err() {
                        return;
                    }
                    (views, corpus, sources, views_cached)
                }
                Ok(Err(e)) => {
                    let _ = sender.send(LoadMessage::Failed(e.to_string()));
                    return;
                }
                Err(_) => {
                    let message = "the loader stopped on an internal error".into();
                    let _ = sender.send(LoadMessage::Failed(message));
                    return;
                }
            };
            let total = corpus.documents.len();
            let indexed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let cache = crate::search::cache::dir_for(&corpus.root);
                SearchIndex::open_or_build(&corpus, cache.as_deref(), &|done| {
                    let _ = progress.try_send(LoadMessage::Indexing(done, total));
                    !options.cancel.load(std::sync::atomic::Ordering::Relaxed)
                })
                .map(|(index, _)| index)
            }));
            let message = match indexed {
                Ok(Ok(index)) => LoadMessage::Indexed(Arc::new(index)),
                Ok(Err(SearchError::Cancelled)) => return,
                Ok(Err(e)) => LoadMessage::IndexFailed(e.to_string()),
                Err(_) => {
                    LoadMessage::IndexFailed("the indexer stopped on an internal error".into())
                }
            };
            let _ = sender.send(message);
            // Last, so that searching is not kept waiting: the snapshot
            // that lets the next start skip parsing.
            if let Some(file) = &snapshot
                && (sources.snapshot_is_stale() || !views_cached)
                && !options.cancel.load(std::sync::atomic::Ordering::Relaxed)
            {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let views = crate::facets::encode_views(&loaded_views.0, &loaded_views.1);
                    sources.write_snapshot(&corpus, file, &views)
                }));
            }
            // Caches of corpora that are gone (temporary folders, deleted
            // ones) are removed after a day.
            let _ = std::panic::catch_unwind(crate::cache::remove_orphans);
        })?;
    Ok(receiver)
}
