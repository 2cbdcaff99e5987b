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
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                corpus::load(&root, &options, &|p| {
                    let _ = progress.try_send(LoadMessage::Progress(p));
                })
                .map(|corpus| {
                    let index = FacetIndex::build(&corpus);
                    let orders = SortOrders::build(&corpus);
                    Loaded {
                        corpus: Arc::new(corpus),
                        index: Arc::new(index),
                        orders: Arc::new(orders),
                    }
                })
            }));
            let corpus = match result {
                Ok(Ok(loaded)) => {
                    let corpus = Arc::clone(&loaded.corpus);
                    if sender.send(LoadMessage::Done(Box::new(loaded))).is_err() {
                        return;
                    }
                    corpus
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
        })?;
    Ok(receiver)
}
