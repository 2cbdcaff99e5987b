//! The decoder pool: `folio-decode-*` threads that turn page requests into
//! pixels, newest request first, from a short queue (older requests drop
//! out when the user pages on), cancellable, with a panic in a decoder
//! turned into an error for that page. The pool knows nothing of the
//! window: what it makes of decoded RGBA pixels ([`Pixels`], a texture's
//! image for the window) is done on its threads, so the UI thread only
//! uploads.

use std::collections::{HashSet, VecDeque};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use super::ImageKey;
use super::adjust::Adjustments;
use super::tiles::{TileKey, TileLevel, cut_tile};

/// Requests waiting at most; the oldest beyond are dropped.
pub const QUEUE_LIMIT: usize = 24;

/// What decoded pixels become on the decoder threads.
pub trait Pixels: Clone + Send + Sync + 'static {
    fn from_rgba(image: image::RgbaImage) -> Self;
    /// The RGBA bytes, to adjust in place.
    fn rgba_mut(&mut self) -> &mut [u8];
}

impl Pixels for image::RgbaImage {
    fn from_rgba(image: image::RgbaImage) -> Self {
        image
    }

    fn rgba_mut(&mut self) -> &mut [u8] {
        self
    }
}

/// A request.
#[derive(Debug)]
pub enum Job<P> {
    /// Decode `key` at `side` pixels on its longer side.
    Decode { key: ImageKey, side: u32 },
    /// Not a decode: these pixels of a level already decoded, adjusted.
    Adjust {
        key: ImageKey,
        side: u32,
        pixels: Arc<P>,
        adjust: Adjustments,
    },
    /// A tile cut from its level (decoded once, kept), adjusted.
    Tile { tile: TileKey, adjust: Adjustments },
}

/// What a request gave.
#[derive(Debug)]
pub enum Decoded<P> {
    Image {
        key: ImageKey,
        side: u32,
        image: P,
        full_size: [u32; 2],
    },
    Failed {
        key: ImageKey,
        reason: String,
    },
    Adjusted {
        key: ImageKey,
        side: u32,
        adjust: Adjustments,
        image: P,
    },
    /// A tile and the rectangle of the page it covers, in page pixels;
    /// `None` when the tile lies past the level's edge or its level could
    /// not be decoded (the whole-page picture stays shown).
    Tile {
        tile: TileKey,
        adjust: Adjustments,
        picture: Option<(P, [f32; 4])>,
    },
}

struct Shared<P> {
    queue: Mutex<VecDeque<Job<P>>>,
    wake: Condvar,
    stop: AtomicBool,
    tile_source: TileLevel,
}

/// The running decoder threads; dropping it stops them.
pub struct DecoderPool<P> {
    shared: Arc<Shared<P>>,
    results: Receiver<Decoded<P>>,
}

impl<P> std::fmt::Debug for DecoderPool<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecoderPool").finish_non_exhaustive()
    }
}

impl<P: Pixels> DecoderPool<P> {
    /// Starts `threads` decoder threads. A pool without threads (none
    /// could be started) still queues; its requests never finish.
    pub fn new(threads: usize) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(VecDeque::new()),
            wake: Condvar::new(),
            stop: AtomicBool::new(false),
            tile_source: TileLevel::default(),
        });
        let (sender, results) = mpsc::sync_channel(4);
        for n in 0..threads {
            let shared = Arc::clone(&shared);
            let sender = sender.clone();
            let _ = std::thread::Builder::new()
                .name(format!("folio-decode-{n}"))
                .spawn(move || decode_loop(&shared, &sender));
        }
        Self { shared, results }
    }

    /// Queues `job` after taking out the queued jobs `stale` names; the
    /// oldest beyond [`QUEUE_LIMIT`] go too. Returns the jobs taken out
    /// (their requester may ask again).
    pub fn push(&self, job: Job<P>, stale: impl Fn(&Job<P>) -> bool) -> Vec<Job<P>> {
        let mut queue = self
            .shared
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (dropped, kept): (VecDeque<Job<P>>, VecDeque<Job<P>>) =
            queue.drain(..).partition(&stale);
        let mut dropped: Vec<Job<P>> = dropped.into();
        *queue = kept;
        queue.push_back(job);
        while queue.len() > QUEUE_LIMIT {
            dropped.extend(queue.pop_front());
        }
        drop(queue);
        self.shared.wake.notify_one();
        dropped
    }

    /// Takes every queued job out (a new document was opened).
    pub fn drain(&self) -> Vec<Job<P>> {
        let mut queue = self
            .shared
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        queue.drain(..).collect()
    }

    /// The next result, if one is ready.
    pub fn try_result(&self) -> Option<Decoded<P>> {
        self.results.try_recv().ok()
    }

    /// Forgets the kept tile level when its file is among `changed`.
    pub fn forget_files(&self, changed: &HashSet<&Path>) {
        let mut source = self
            .shared
            .tile_source
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if source
            .as_ref()
            .is_some_and(|s| changed.contains(s.key.path.as_path()))
        {
            *source = None;
        }
    }
}

impl<P> Drop for DecoderPool<P> {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.wake.notify_all();
    }
}

fn decode_loop<P: Pixels>(shared: &Shared<P>, sender: &SyncSender<Decoded<P>>) {
    loop {
        let job = {
            let mut queue = shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                if shared.stop.load(Ordering::Relaxed) {
                    return;
                }
                // Newest first: the page on screen now.
                if let Some(job) = queue.pop_back() {
                    break job;
                }
                queue = shared
                    .wake
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        let message = match job {
            Job::Adjust {
                key,
                side,
                pixels,
                adjust,
            } => {
                let mut image = (*pixels).clone();
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    adjust.apply(image.rgba_mut());
                }));
                if result.is_err() {
                    continue;
                }
                Decoded::Adjusted {
                    key,
                    side,
                    adjust,
                    image,
                }
            }
            Job::Tile { tile, adjust } => {
                // A level that cannot be decoded leaves the whole-page
                // picture shown; its error is that picture's to tell.
                let picture = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    cut_tile(&shared.tile_source, &tile, adjust)
                }))
                .ok()
                .and_then(Result::ok)
                .flatten()
                .map(|(image, rect)| (P::from_rgba(image), rect));
                Decoded::Tile {
                    tile,
                    adjust,
                    picture,
                }
            }
            Job::Decode { key, side } => {
                let result = std::panic::catch_unwind(|| {
                    super::decode::decode_scaled(&key.path, key.index, side)
                        .map(|(image, full_size)| (P::from_rgba(image), full_size))
                });
                match result {
                    Ok(Ok((image, full_size))) => Decoded::Image {
                        key,
                        side,
                        image,
                        full_size,
                    },
                    Ok(Err(reason)) => Decoded::Failed { key, reason },
                    Err(payload) => Decoded::Failed {
                        key,
                        reason: crate::text::stopped("image decoder", payload.as_ref()),
                    },
                }
            }
        };
        if sender.send(message).is_err() {
            return;
        }
    }
}
