//! Background loading for the window: the corpus, its facet index and its
//! sort orders are built on the `folio-loader` thread and come back over a
//! bounded channel. Progress messages are dropped when the channel is full
//! (the window only needs the latest); the result always arrives.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};

use crate::corpus::{self, Corpus, LoadOptions, Progress};
use crate::facets::FacetIndex;
use crate::order::SortOrders;

/// A corpus ready for the window.
#[derive(Debug)]
pub struct Loaded {
    pub corpus: Arc<Corpus>,
    pub index: Arc<FacetIndex>,
    pub orders: Arc<SortOrders>,
}

/// What the loader thread sends.
#[derive(Debug)]
pub enum LoadMessage {
    Progress(Progress),
    Done(Box<Loaded>),
    Failed(String),
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
            let message = match result {
                Ok(Ok(loaded)) => LoadMessage::Done(Box::new(loaded)),
                Ok(Err(e)) => LoadMessage::Failed(e.to_string()),
                Err(_) => LoadMessage::Failed("the loader stopped on an internal error".into()),
            };
            let _ = sender.send(message);
        })?;
    Ok(receiver)
}
