//! Page images for the scan pane: decoded on two `folio-decode-*` threads,
//! uploaded as textures on the UI thread, kept in a cache bounded by bytes.
//!
//! A request names an image and the longest side it will be shown at. The
//! decoder scales the image down to that side (rounded up to a power of
//! two), so the first picture arrives at the size shown; zooming in asks
//! for a sharper level while the current one stays on screen. A whole page
//! is never uploaded larger than [`tiles::WHOLE_LEVEL_LIMIT`]: zoomed in
//! further, the squares in view come as tiles of a sharper level (see
//! [`super::tiles`]), cut from one decoded level the decoder threads keep.
//! Requests are served newest first and the queue is short, so paging
//! quickly through a document never leaves the visible page waiting behind
//! stale ones.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use eframe::egui;

use super::tiles::{self, TileKey};

/// The smallest level decoded (thumbnails).
const MIN_SIDE: u32 = 128;
/// Pages larger than this many pixels are refused with a clear error.
pub const MAX_PIXELS: u64 = 400_000_000;
/// Image files larger than this are refused.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// Older requests beyond this many are dropped (the user has moved on).
const QUEUE_LIMIT: usize = 24;
/// Texture memory the cache may hold before it evicts the least recent.
const TEXTURE_BUDGET: usize = 512 * 1024 * 1024;
/// Texture memory of deep-zoom tiles (64 full tiles) before the least
/// recently shown are dropped.
const TILE_BUDGET: usize = 256 * 1024 * 1024;

/// One page image: a file, and a page inside it for multi-page formats.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageKey {
    pub path: PathBuf,
    pub index: u32,
}

/// What the scan pane can draw now.
#[derive(Clone)]
pub enum ImageState {
    Loading,
    Ready {
        texture: egui::TextureHandle,
        /// Size of the whole image in pixels (the texture may be smaller).
        full_size: [u32; 2],
    },
    Failed(String),
}

impl std::fmt::Debug for ImageState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Loading => f.write_str("Loading"),
            Self::Ready { full_size, .. } => write!(f, "Ready({}×{})", full_size[0], full_size[1]),
            Self::Failed(reason) => write!(f, "Failed({reason})"),
        }
    }
}

/// Brightness, contrast, grayscale and invert of a scan, applied to the
/// decoded pixels of the shown level (never by decoding again).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Adjustments {
    /// −1 (black) … 0 … 1 (white).
    pub brightness: f32,
    /// −1 (flat grey) … 0 … 1 (four times the contrast).
    pub contrast: f32,
    pub grayscale: bool,
    pub invert: bool,
}

impl Adjustments {
    pub fn is_identity(&self) -> bool {
        *self == Self::default()
    }

    /// What each channel value becomes (grayscale aside).
    fn table(&self) -> [u8; 256] {
        let factor = 4f32.powf(self.contrast.clamp(-1.0, 1.0));
        let shift = self.brightness.clamp(-1.0, 1.0);
        let mut table = [0u8; 256];
        for (value, out) in table.iter_mut().enumerate() {
            let v = value as f32 / 255.0;
            let v = ((v - 0.5) * factor + 0.5 + shift).clamp(0.0, 1.0);
            let v = if self.invert { 1.0 - v } else { v };
            *out = (v * 255.0).round() as u8;
        }
        table
    }

    /// Applies the adjustments to RGBA pixels (alpha is kept).
    pub fn apply(&self, rgba: &mut [u8]) {
        let table = self.table();
        for pixel in rgba.chunks_exact_mut(4) {
            if self.grayscale {
                let luma = (u32::from(pixel[0]) * 77
                    + u32::from(pixel[1]) * 150
                    + u32::from(pixel[2]) * 29)
                    >> 8;
                let luma = table[luma.min(255) as usize];
                pixel[0] = luma;
                pixel[1] = luma;
                pixel[2] = luma;
            } else {
                pixel[0] = table[usize::from(pixel[0])];
                pixel[1] = table[usize::from(pixel[1])];
                pixel[2] = table[usize::from(pixel[2])];
            }
        }
    }
}

enum Job {
    /// Decode `key` at `side` pixels on its longer side.
    Decode { key: ImageKey, side: u32 },
    /// Not a decode: these pixels of the cached level, adjusted.
    Adjust {
        key: ImageKey,
        side: u32,
        pixels: Arc<egui::ColorImage>,
        adjust: Adjustments,
    },
    /// A tile cut from its level (decoded once, kept), adjusted.
    Tile { tile: TileKey, adjust: Adjustments },
}

enum Decoded {
    Image {
        key: ImageKey,
        side: u32,
        image: egui::ColorImage,
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
        image: egui::ColorImage,
    },
    /// A tile and the rectangle of the page it covers, in page pixels;
    /// `None` when the tile lies past the level's edge or its level could
    /// not be decoded (the whole-page picture stays shown).
    Tile {
        tile: TileKey,
        adjust: Adjustments,
        picture: Option<(egui::ColorImage, [f32; 4])>,
    },
}

/// The level tiles are cut from: the most recent one asked for.
struct TileSource {
    key: ImageKey,
    level: u32,
    picture: Arc<image::RgbaImage>,
    full_size: [u32; 2],
}

/// The one decoded level deep-zoom tiles are cut from, shared by the
/// decoder threads: held while a level is decoded, so that the other
/// thread's tiles of it wait for it rather than decode it again.
#[derive(Default)]
pub struct TileLevel(Mutex<Option<TileSource>>);

impl std::fmt::Debug for TileLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.as_ref() {
            Some(level) => write!(f, "TileLevel({}@{})", level.key.path.display(), level.level),
            None => f.write_str("TileLevel(empty)"),
        }
    }
}

struct Shared {
    queue: Mutex<VecDeque<Job>>,
    wake: Condvar,
    stop: AtomicBool,
    tile_source: TileLevel,
}

struct Entry {
    texture: egui::TextureHandle,
    /// The decoded pixels, kept to make adjusted textures from.
    pixels: Arc<egui::ColorImage>,
    side: u32,
    full_size: [u32; 2],
    /// Texture, kept pixels and the adjusted texture.
    bytes: usize,
    last_used: u64,
    /// The texture with adjustments: which, and the level it was made
    /// from (a lower one is shown until the sharper one is adjusted).
    adjusted: Option<Adjusted>,
    /// Adjustments asked of the decoder threads and not back yet.
    adjusting: Option<Adjustments>,
}

/// An adjusted texture of an entry.
struct Adjusted {
    adjust: Adjustments,
    side: u32,
    texture: egui::TextureHandle,
    bytes: usize,
}

/// A deep-zoom tile as a texture (`None`: nothing to draw there).
struct TileEntry {
    texture: Option<(egui::TextureHandle, [f32; 4])>,
    adjust: Adjustments,
    bytes: usize,
    last_used: u64,
}

/// Decoded page images as textures, and the threads that decode them.
pub struct ImageCache {
    shared: Arc<Shared>,
    results: Receiver<Decoded>,
    entries: HashMap<ImageKey, Entry>,
    errors: HashMap<ImageKey, String>,
    pending: HashSet<(ImageKey, u32)>,
    tiles: HashMap<TileKey, TileEntry>,
    pending_tiles: HashSet<TileKey>,
    bytes: usize,
    tile_bytes: usize,
    clock: u64,
    max_texture_side: u32,
}

impl std::fmt::Debug for ImageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImageCache")
            .field("textures", &self.entries.len())
            .field("bytes", &self.bytes)
            .field("pending", &self.pending.len())
            .field("tiles", &self.tiles.len())
            .finish_non_exhaustive()
    }
}

impl Default for ImageCache {
    fn default() -> Self {
        Self::new()
    }
}

impl ImageCache {
    /// Starts the decoder threads.
    pub fn new() -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(VecDeque::new()),
            wake: Condvar::new(),
            stop: AtomicBool::new(false),
            tile_source: TileLevel::default(),
        });
        let (sender, results) = mpsc::sync_channel(4);
        for n in 0..2 {
            let shared = Arc::clone(&shared);
            let sender = sender.clone();
            // A cache without decoders still works: requests stay Loading
            // and the pane says so; nothing else depends on them.
            let _ = std::thread::Builder::new()
                .name(format!("folio-decode-{n}"))
                .spawn(move || decode_loop(&shared, &sender));
        }
        Self {
            shared,
            results,
            entries: HashMap::new(),
            errors: HashMap::new(),
            pending: HashSet::new(),
            tiles: HashMap::new(),
            pending_tiles: HashSet::new(),
            bytes: 0,
            tile_bytes: 0,
            clock: 0,
            // What every GPU egui runs on allows, until `poll` reads the real limit.
            max_texture_side: 2048,
        }
    }

    /// The image of `key` to show `side` pixels long (its longer side); asks
    /// for a sharper level when the cached one is smaller than that.
    pub fn get(&mut self, key: &ImageKey, side: f32) -> ImageState {
        self.get_adjusted(key, side, Adjustments::default())
    }

    /// Like [`Self::get`], with `adjust` applied. Until the adjusted
    /// texture is made (on the decoder threads), the last adjusted one or
    /// the plain one is given.
    pub fn get_adjusted(&mut self, key: &ImageKey, side: f32, adjust: Adjustments) -> ImageState {
        let state = self.get_plain(key, side);
        if adjust.is_identity() {
            return state;
        }
        let Some(entry) = self.entries.get_mut(key) else {
            return state;
        };
        let full_size = entry.full_size;
        if let Some(done) = &entry.adjusted
            && done.adjust == adjust
            && done.side == entry.side
        {
            return ImageState::Ready {
                texture: done.texture.clone(),
                full_size,
            };
        }
        if entry.adjusting != Some(adjust) {
            entry.adjusting = Some(adjust);
            let job = Job::Adjust {
                key: key.clone(),
                side: entry.side,
                pixels: Arc::clone(&entry.pixels),
                adjust,
            };
            let mut queue = self
                .shared
                .queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // Only the newest adjustment of a picture matters (a slider
            // being dragged asks many).
            queue.retain(|queued| !matches!(queued, Job::Adjust { key: k, .. } if k == key));
            queue.push_back(job);
            self.shared.wake.notify_one();
        }
        // Meanwhile an adjusted texture, even of other adjustments or a
        // lower level, is closer to what is asked than the plain one.
        match &entry.adjusted {
            Some(done) => ImageState::Ready {
                texture: done.texture.clone(),
                full_size,
            },
            None => state,
        }
    }

    /// Whether the picture of `key` is shown with `adjust` now.
    pub fn is_adjusted(&self, key: &ImageKey, adjust: Adjustments) -> bool {
        self.entries.get(key).is_some_and(|e| {
            e.adjusted
                .as_ref()
                .is_some_and(|done| done.adjust == adjust && done.side == e.side)
        })
    }

    fn get_plain(&mut self, key: &ImageKey, side: f32) -> ImageState {
        self.clock += 1;
        let wanted = level_for(side, self.max_texture_side);
        if let Some(reason) = self.errors.get(key) {
            return ImageState::Failed(reason.clone());
        }
        if let Some(entry) = self.entries.get_mut(key) {
            entry.last_used = self.clock;
            let full_side = entry.full_size[0].max(entry.full_size[1]);
            let best = wanted.min(level_for(full_side as f32, self.max_texture_side));
            let state = ImageState::Ready {
                texture: entry.texture.clone(),
                full_size: entry.full_size,
            };
            if entry.side < best {
                self.enqueue(key, best);
            }
            return state;
        }
        self.enqueue(key, wanted);
        ImageState::Loading
    }

    /// The texture of deep-zoom `tile` with `adjust`, and the rectangle of
    /// the page it covers (`[left, top, right, bottom]` in page pixels);
    /// asks for it when it is not made yet (the pane shows the whole-page
    /// picture there meanwhile).
    pub fn tile(
        &mut self,
        tile: &TileKey,
        adjust: Adjustments,
    ) -> Option<(egui::TextureHandle, [f32; 4])> {
        self.clock += 1;
        if let Some(entry) = self.tiles.get_mut(tile) {
            entry.last_used = self.clock;
            if entry.adjust == adjust {
                return entry.texture.clone();
            }
        }
        if self.pending_tiles.insert(tile.clone()) {
            // Tiles of another level of this page are of a zoom left behind.
            self.push_job(
                Job::Tile {
                    tile: tile.clone(),
                    adjust,
                },
                |queued| {
                    matches!(queued, Job::Tile { tile: old, .. }
                        if old.image == tile.image && old.level != tile.level)
                },
            );
        }
        None
    }

    /// Whether decoded pictures are still on their way.
    pub fn is_busy(&self) -> bool {
        !self.pending.is_empty()
            || !self.pending_tiles.is_empty()
            || self.entries.values().any(|e| e.adjusting.is_some())
    }

    /// A queued job dropped before it ran: it may be asked for again.
    fn dropped(&mut self, job: &Job) {
        match job {
            Job::Adjust { key, .. } => {
                if let Some(entry) = self.entries.get_mut(key) {
                    entry.adjusting = None;
                }
            }
            Job::Decode { key, side } => {
                self.pending.remove(&(key.clone(), *side));
            }
            Job::Tile { tile, .. } => {
                self.pending_tiles.remove(tile);
            }
        }
    }

    /// Forgets the pictures of these files (they changed on disk): they are
    /// decoded again when next shown.
    pub fn forget(&mut self, files: &[PathBuf]) {
        let changed: HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
        let mut freed = 0;
        self.entries.retain(|key, entry| {
            let keep = !changed.contains(key.path.as_path());
            if !keep {
                freed += entry.bytes;
            }
            keep
        });
        self.bytes -= freed;
        self.errors
            .retain(|key, _| !changed.contains(key.path.as_path()));
        let mut freed = 0;
        self.tiles.retain(|tile, entry| {
            let keep = !changed.contains(tile.image.path.as_path());
            if !keep {
                freed += entry.bytes;
            }
            keep
        });
        self.tile_bytes -= freed;
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

    /// Forgets queued requests (a new document was opened).
    pub fn cancel_queued(&mut self) {
        let mut queue = self
            .shared
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let dropped: Vec<Job> = queue.drain(..).collect();
        drop(queue);
        for job in &dropped {
            self.dropped(job);
        }
    }

    fn enqueue(&mut self, key: &ImageKey, side: u32) {
        if !self.pending.insert((key.clone(), side)) {
            return;
        }
        self.push_job(
            Job::Decode {
                key: key.clone(),
                side,
            },
            |_| false,
        );
    }

    /// Queues `job` after taking out the queued jobs `stale` names; the
    /// oldest beyond the queue's limit go too. Jobs taken out may be asked
    /// for again.
    fn push_job(&mut self, job: Job, stale: impl Fn(&Job) -> bool) {
        let mut queue = self
            .shared
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (mut dropped, kept): (VecDeque<Job>, VecDeque<Job>) = queue.drain(..).partition(&stale);
        *queue = kept;
        queue.push_back(job);
        while queue.len() > QUEUE_LIMIT {
            dropped.extend(queue.pop_front());
        }
        drop(queue);
        for job in &dropped {
            self.dropped(job);
        }
        self.shared.wake.notify_one();
    }

    /// Uploads decoded images as textures, for at most `budget`. Returns
    /// true while more are expected.
    pub fn poll(&mut self, ctx: &egui::Context, budget: Duration) -> bool {
        self.max_texture_side = u32::try_from(ctx.input(|i| i.max_texture_side))
            .unwrap_or(8192)
            .max(MIN_SIDE);
        let started = Instant::now();
        while started.elapsed() < budget {
            let Ok(decoded) = self.results.try_recv() else {
                break;
            };
            match decoded {
                Decoded::Image {
                    key,
                    side,
                    image,
                    full_size,
                } => {
                    self.pending.remove(&(key.clone(), side));
                    if self.entries.get(&key).is_some_and(|e| e.side >= side) {
                        continue;
                    }
                    // The adjusted texture of the lower level stays until
                    // this level is adjusted.
                    let adjusted = self.entries.get_mut(&key).and_then(|e| {
                        let adjusted = e.adjusted.take()?;
                        e.bytes -= adjusted.bytes;
                        Some(adjusted)
                    });
                    if let Some(carried) = &adjusted {
                        self.bytes -= carried.bytes;
                    }
                    // The texture, the kept pixels and the carried texture.
                    let bytes =
                        image.pixels.len() * 4 * 2 + adjusted.as_ref().map_or(0, |a| a.bytes);
                    let name = format!("{}#{}@{side}", key.path.display(), key.index);
                    let pixels = Arc::new(image);
                    let texture =
                        ctx.load_texture(name, Arc::clone(&pixels), egui::TextureOptions::LINEAR);
                    self.clock += 1;
                    if let Some(old) = self.entries.insert(
                        key,
                        Entry {
                            texture,
                            pixels,
                            side,
                            full_size,
                            bytes,
                            last_used: self.clock,
                            adjusted,
                            adjusting: None,
                        },
                    ) {
                        self.bytes -= old.bytes;
                    }
                    self.bytes += bytes;
                    self.evict();
                }
                Decoded::Failed { key, reason } => {
                    self.pending.retain(|(k, _)| *k != key);
                    self.errors.insert(key, reason);
                }
                Decoded::Adjusted {
                    key,
                    side,
                    adjust,
                    image,
                } => {
                    let Some(entry) = self.entries.get_mut(&key) else {
                        continue;
                    };
                    // Made from a level since replaced, or no longer wanted.
                    if entry.side != side || entry.adjusting != Some(adjust) {
                        continue;
                    }
                    entry.adjusting = None;
                    let bytes = image.pixels.len() * 4;
                    let name = format!("{}#{}@{side} adjusted", key.path.display(), key.index);
                    let texture = ctx.load_texture(name, image, egui::TextureOptions::LINEAR);
                    let made = Adjusted {
                        adjust,
                        side,
                        texture,
                        bytes,
                    };
                    if let Some(old) = entry.adjusted.replace(made) {
                        entry.bytes -= old.bytes;
                        self.bytes -= old.bytes;
                    }
                    entry.bytes += bytes;
                    self.bytes += bytes;
                    self.evict();
                }
                Decoded::Tile {
                    tile,
                    adjust,
                    picture,
                } => {
                    self.pending_tiles.remove(&tile);
                    let (texture, bytes) = match picture {
                        Some((image, rect)) => {
                            let bytes = image.pixels.len() * 4;
                            let name = format!(
                                "{}#{}@{} tile {},{}",
                                tile.image.path.display(),
                                tile.image.index,
                                tile.level,
                                tile.column,
                                tile.row
                            );
                            let texture =
                                ctx.load_texture(name, image, egui::TextureOptions::LINEAR);
                            (Some((texture, rect)), bytes)
                        }
                        None => (None, 0),
                    };
                    self.clock += 1;
                    let entry = TileEntry {
                        texture,
                        adjust,
                        bytes,
                        last_used: self.clock,
                    };
                    if let Some(old) = self.tiles.insert(tile, entry) {
                        self.tile_bytes -= old.bytes;
                    }
                    self.tile_bytes += bytes;
                    self.evict_tiles();
                }
            }
        }
        self.is_busy()
    }

    /// Drops the least recently shown tiles until they fit their budget.
    fn evict_tiles(&mut self) {
        evict_least_recent(&mut self.tiles, &mut self.tile_bytes, TILE_BUDGET, |e| {
            (e.last_used, e.bytes)
        });
    }

    /// Drops least recently used textures until the cache fits its budget.
    fn evict(&mut self) {
        evict_least_recent(&mut self.entries, &mut self.bytes, TEXTURE_BUDGET, |e| {
            (e.last_used, e.bytes)
        });
    }

    /// How many deep-zoom tiles are made (for tests).
    pub fn tiles_made(&self) -> usize {
        self.tiles.values().filter(|t| t.texture.is_some()).count()
    }

    /// Bytes of texture memory held (for tests and the status line).
    pub fn texture_bytes(&self) -> usize {
        self.bytes + self.tile_bytes
    }
}

impl Drop for ImageCache {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.wake.notify_all();
    }
}

/// Removes the least recently used of `entries` (by `used_and_bytes`:
/// when last used, bytes held) until `bytes` is within `budget`; the most
/// recent one always stays.
fn evict_least_recent<K: Clone + Eq + std::hash::Hash, V>(
    entries: &mut HashMap<K, V>,
    bytes: &mut usize,
    budget: usize,
    used_and_bytes: impl Fn(&V) -> (u64, usize),
) {
    while *bytes > budget && entries.len() > 1 {
        let Some(oldest) = entries
            .iter()
            .min_by_key(|(_, e)| used_and_bytes(e).0)
            .map(|(k, _)| k.clone())
        else {
            break;
        };
        if let Some(entry) = entries.remove(&oldest) {
            *bytes -= used_and_bytes(&entry).1;
        }
    }
}

/// The decode level for showing an image `side` pixels long: a power of
/// two, at least [`MIN_SIDE`], at most the GPU's texture limit and
/// [`tiles::WHOLE_LEVEL_LIMIT`] (sharper than that, tiles are shown).
fn level_for(side: f32, max_texture_side: u32) -> u32 {
    let side = if side.is_finite() { side.max(1.0) } else { 1.0 };
    let side = (side.ceil() as u32).max(MIN_SIDE);
    side.checked_next_power_of_two()
        .unwrap_or(u32::MAX)
        .min(max_texture_side)
        .min(tiles::WHOLE_LEVEL_LIMIT)
}

fn decode_loop(shared: &Shared, sender: &SyncSender<Decoded>) {
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
        let (key, side) = match job {
            Job::Adjust {
                key,
                side,
                pixels,
                adjust,
            } => {
                let mut image = (*pixels).clone();
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    adjust.apply(image.as_raw_mut());
                }));
                if result.is_ok()
                    && sender
                        .send(Decoded::Adjusted {
                            key,
                            side,
                            adjust,
                            image,
                        })
                        .is_err()
                {
                    return;
                }
                continue;
            }
            Job::Tile { tile, adjust } => {
                // A level that cannot be decoded leaves the whole-page
                // picture shown; its error is that picture's to tell.
                let picture = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    cut_tile(&shared.tile_source, &tile, adjust)
                }))
                .ok()
                .and_then(Result::ok)
                .flatten();
                if sender
                    .send(Decoded::Tile {
                        tile,
                        adjust,
                        picture,
                    })
                    .is_err()
                {
                    return;
                }
                continue;
            }
            Job::Decode { key, side } => (key, side),
        };
        let result = std::panic::catch_unwind(|| decode(&key, side));
        let message = match result {
            Ok(Ok((image, full_size))) => Decoded::Image {
                key,
                side,
                image,
                full_size,
            },
            Ok(Err(reason)) => Decoded::Failed { key, reason },
            Err(payload) => Decoded::Failed {
                key,
                reason: super::worker::stopped("image decoder", payload.as_ref()),
            },
        };
        if sender.send(message).is_err() {
            return;
        }
    }
}

/// `tile` with `adjust`, and the rectangle of the page it covers: cut from
/// its level, which is decoded (and kept in `source`, replacing the level
/// kept before) when it is not the one kept. `None` past the level's edge.
///
/// # Errors
/// The level cannot be decoded (as [`decode_scaled`]).
pub fn cut_tile(
    source: &TileLevel,
    tile: &TileKey,
    adjust: Adjustments,
) -> Result<Option<(egui::ColorImage, [f32; 4])>, String> {
    let (picture, full_size) = {
        let mut kept = source.0.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.as_ref() {
            Some(level) if level.key == tile.image && level.level == tile.level => {
                (Arc::clone(&level.picture), level.full_size)
            }
            _ => {
                // The old level goes first: two large levels at once could
                // be a gigabyte.
                *kept = None;
                let (picture, full_size) =
                    decode_scaled(&tile.image.path, tile.image.index, tile.level)?;
                let picture = Arc::new(picture);
                *kept = Some(TileSource {
                    key: tile.image.clone(),
                    level: tile.level,
                    picture: Arc::clone(&picture),
                    full_size,
                });
                (picture, full_size)
            }
        }
    };
    let size = [picture.width(), picture.height()];
    let Some([left, top, right, bottom]) = tiles::tile_pixels(tile, size) else {
        return Ok(None);
    };
    let cut =
        image::imageops::crop_imm(&*picture, left, top, right - left, bottom - top).to_image();
    let mut image = egui::ColorImage::from_rgba_unmultiplied(
        [cut.width() as usize, cut.height() as usize],
        cut.as_raw(),
    );
    if !adjust.is_identity() {
        adjust.apply(image.as_raw_mut());
    }
    let x = full_size[0] as f32 / size[0].max(1) as f32;
    let y = full_size[1] as f32 / size[1].max(1) as f32;
    Ok(Some((
        image,
        [
            left as f32 * x,
            top as f32 * y,
            right as f32 * x,
            bottom as f32 * y,
        ],
    )))
}

/// Reads `key` and scales it so that its longer side is at most `side`.
pub fn decode(key: &ImageKey, side: u32) -> Result<(egui::ColorImage, [u32; 2]), String> {
    let (image, full_size) = decode_scaled(&key.path, key.index, side)?;
    let size = [image.width() as usize, image.height() as usize];
    Ok((
        egui::ColorImage::from_rgba_unmultiplied(size, image.as_raw()),
        full_size,
    ))
}

/// The decoding itself, free of egui (tested on the samples).
pub fn decode_scaled(
    path: &Path,
    index: u32,
    side: u32,
) -> Result<(image::RgbaImage, [u32; 2]), String> {
    if crate::corpus::formats::iiif::is_remote(path) {
        // A IIIF canvas: its cached copy, fetched on this (decoder) thread
        // the first time, at the size shown when its server scales.
        let (local, full) = crate::files::remote::fetch_page(&path.to_string_lossy(), side)?;
        let (image, size) = decode_scaled(&local, index, side)?;
        return Ok((image, full.unwrap_or(size)));
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if extension == "pdf" {
        return decode_pdf_page(path, index, side);
    }
    if matches!(extension.as_str(), "jp2" | "gif" | "bmp") {
        return Err(format!(
            "{} pages cannot be displayed yet (folio shows JPEG, PNG, TIFF and WebP scans)",
            extension.to_ascii_uppercase()
        ));
    }
    let is_tiff = matches!(extension.as_str(), "tif" | "tiff");
    if index > 0 && !is_tiff {
        return Err(format!(
            "a {extension} file holds one page, not page {}",
            index + 1
        ));
    }
    crate::corpus::read::size_within(path, MAX_FILE_BYTES, "the image file")?;
    if is_tiff {
        return decode_tiff_page(path, index, side);
    }
    // The header alone gives the size: a decoder asked for it may read
    // the whole file first (the JPEG one does), and a file that is no
    // picture at all must not be read whole.
    let (width, height) = picture_size(path)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "the image is {width}×{height} pixels, over the limit of {} megapixels",
            MAX_PIXELS / 1_000_000
        ));
    }
    // A JPEG shown smaller than it is decodes at 1/2, 1/4 or 1/8 of its
    // size straight from the DCT: a fraction of the work of a full decode.
    if width.max(height) > side
        && extension != "png"
        && extension != "webp"
        && let Ok(bytes) = crate::corpus::read::read_all(path)
        && let Some(image) = decode_jpeg_reduced_bytes(&bytes, side, width, height)
    {
        return Ok((image, [width, height]));
    }
    let mut reader = image::ImageReader::new(std::io::BufReader::new(
        crate::corpus::read::open(path).map_err(|e| format!("cannot read the image: {e}"))?,
    ))
    .with_guessed_format()
    .map_err(|e| format!("cannot read the image: {e}"))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| format!("not a readable image: {e}"))?;
    let full_size = [image.width(), image.height()];
    let image = if image.width().max(image.height()) > side {
        image.thumbnail(side, side)
    } else {
        image
    };
    Ok((image.into_rgba8(), full_size))
}

/// A JPEG file's bytes at `side` pixels on its longer side: a preview
/// at 1/4 or 1/8 on every core when the file is one `jpeg_preview` reads,
/// else through `jpeg-decoder`'s reduced decode.
fn decode_jpeg_reduced_bytes(
    bytes: &[u8],
    side: u32,
    width: u32,
    height: u32,
) -> Option<image::RgbaImage> {
    if let Some((preview, _)) = crate::pages::jpeg_preview::preview(bytes, side) {
        let shown = crate::pages::jpeg_preview::shrink(&preview, side);
        return Some(image::DynamicImage::from(shown).into_rgba8());
    }
    decode_jpeg_reduced_from(std::io::Cursor::new(bytes), side, width, height)
}

/// A JPEG decoded at the smallest DCT scale at least `side` long, then
/// resized to `side`. `None` when the file is not a JPEG this decoder
/// reduces (CMYK, 16-bit, damaged): the full decoder then tries.
fn decode_jpeg_reduced_from(
    reader: impl std::io::Read,
    side: u32,
    width: u32,
    height: u32,
) -> Option<image::RgbaImage> {
    let mut decoder = jpeg_decoder::Decoder::new(reader);
    decoder.read_info().ok()?;
    let longest = f64::from(width.max(height).max(1));
    let wanted = |n: u32| -> u16 {
        let scaled = (f64::from(n) * f64::from(side) / longest).ceil();
        scaled.clamp(1.0, f64::from(u16::MAX)) as u16
    };
    decoder.scale(wanted(width), wanted(height)).ok()?;
    let pixels = decoder.decode().ok()?;
    let info = decoder.info()?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let picture: image::DynamicImage = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => image::RgbImage::from_raw(w, h, pixels)?.into(),
        jpeg_decoder::PixelFormat::L8 => image::GrayImage::from_raw(w, h, pixels)?.into(),
        jpeg_decoder::PixelFormat::L16 | jpeg_decoder::PixelFormat::CMYK32 => return None,
    };
    let picture = if w.max(h) > side {
        picture.thumbnail(side, side)
    } else {
        picture
    };
    Some(picture.into_rgba8())
}

/// Page `index` of a PDF file, at most `side` pixels on its longer side:
/// the scanner's JPEG decoded at that size from the DCT when the page is
/// one, else the page drawn at that size.
fn decode_pdf_page(
    path: &Path,
    index: u32,
    side: u32,
) -> Result<(image::RgbaImage, [u32; 2]), String> {
    crate::pages::pdf::with_pdf(path, |pdf| {
        let picture = crate::pages::pdf::page(pdf, index, MAX_PIXELS)?;
        let native = picture.native;
        if let Some(jpeg) = &picture.jpeg {
            let [w, h] = jpeg.stored_size;
            // CMYK or damaged JPEGs are drawn by the renderer instead.
            if let Some(image) = decode_jpeg_reduced_bytes(&jpeg.data, side, w, h) {
                let image = match jpeg.quarter_turns {
                    1 => image::imageops::rotate90(&image),
                    2 => image::imageops::rotate180(&image),
                    3 => image::imageops::rotate270(&image),
                    _ => image,
                };
                return Ok((image, native));
            }
        }
        let longest = native[0].max(native[1]).max(1);
        let scale = (f64::from(side) / f64::from(longest)).min(1.0);
        let shown = native.map(|n| ((f64::from(n) * scale).round() as u32).max(1));
        Ok((crate::pages::pdf::render(picture.page, shown), native))
    })
}

/// Page `index` of a TIFF file, scaled so that its longer side is at most
/// `side`; a pyramid's reduced copy when one is large enough. Sizes are
/// read from the directories before any pixel; the size returned is the
/// whole page's, whichever copy was decoded.
fn decode_tiff_page(
    path: &Path,
    index: u32,
    side: u32,
) -> Result<(image::RgbaImage, [u32; 2]), String> {
    use tiff::ColorType;
    use tiff::decoder::DecodingResult;
    let unreadable = |e: tiff::TiffError| format!("not a readable TIFF page: {e}");
    // The page's directory, or the smallest reduced copy of a pyramid that
    // is still as large as the picture shown.
    let pages = crate::corpus::multipage::tiff_pages_through(path, index as usize)?;
    let page = pages.get(index as usize).ok_or_else(|| {
        format!(
            "the TIFF file has no page {} (it has {})",
            index + 1,
            pages.len()
        )
    })?;
    let Some((directory, [width, height])) = page.level_for(side, MAX_PIXELS) else {
        let [width, height] = page.size;
        return Err(format!(
            "the image is {width}×{height} pixels, over the limit of {} megapixels",
            MAX_PIXELS / 1_000_000
        ));
    };
    let file =
        crate::corpus::read::open(path).map_err(|e| format!("cannot read the image: {e}"))?;
    let mut limits = tiff::decoder::Limits::default();
    limits.decoding_buffer_size = usize::try_from(MAX_PIXELS * 8).unwrap_or(usize::MAX);
    let mut decoder = tiff::decoder::Decoder::new(std::io::BufReader::new(file))
        .map_err(unreadable)?
        .with_limits(limits);
    if directory > 0 {
        decoder.seek_to_image(directory).map_err(unreadable)?;
    }
    let color = decoder.colortype().map_err(unreadable)?;
    // (The decoder turns WhiteIsZero pages, as fax scans often are, into
    // BlackIsZero: a set bit or a high value is paper.)
    // YCbCr pixels come out as RGB only from JPEG-compressed pages.
    let jpeg_compressed = decoder
        .get_tag_u32(tiff::tags::Tag::Compression)
        .is_ok_and(|c| c == 6 || c == 7);
    let data = decoder.read_image().map_err(unreadable)?;
    let damaged = || SHORT_PAGE.to_string();
    let (w, h) = (width, height);
    let picture: image::DynamicImage = match (color, data) {
        (ColorType::Gray(1), DecodingResult::U8(packed)) => {
            let row = w.div_ceil(8) as usize;
            let mut grey = Vec::with_capacity(w as usize * h as usize);
            for y in 0..h as usize {
                for x in 0..w as usize {
                    let byte = packed.get(y * row + x / 8).ok_or_else(damaged)?;
                    let set = byte & (0x80 >> (x % 8)) != 0;
                    grey.push(if set { 255 } else { 0 });
                }
            }
            image::GrayImage::from_raw(w, h, grey)
                .ok_or_else(damaged)?
                .into()
        }
        (ColorType::Gray(8), DecodingResult::U8(v)) => picture::<image::Luma<u8>>(w, h, v)?,
        (ColorType::Gray(16), DecodingResult::U16(v)) => picture::<image::Luma<u16>>(w, h, v)?,
        (ColorType::GrayA(8), DecodingResult::U8(v)) => picture::<image::LumaA<u8>>(w, h, v)?,
        (ColorType::RGB(8), DecodingResult::U8(v)) => picture::<image::Rgb<u8>>(w, h, v)?,
        (ColorType::YCbCr(8), DecodingResult::U8(v)) if jpeg_compressed => {
            picture::<image::Rgb<u8>>(w, h, v)?
        }
        (ColorType::RGBA(8), DecodingResult::U8(v)) => picture::<image::Rgba<u8>>(w, h, v)?,
        (ColorType::RGB(16), DecodingResult::U16(v)) => picture::<image::Rgb<u16>>(w, h, v)?,
        (ColorType::RGBA(16), DecodingResult::U16(v)) => picture::<image::Rgba<u16>>(w, h, v)?,
        (ColorType::CMYK(8), DecodingResult::U8(v)) => {
            let rgb: Vec<u8> = v
                .chunks_exact(4)
                .flat_map(|p| {
                    let ink = |c: u8| ((255 - u32::from(c)) * (255 - u32::from(p[3])) / 255) as u8;
                    [ink(p[0]), ink(p[1]), ink(p[2])]
                })
                .collect();
            image::RgbImage::from_raw(w, h, rgb)
                .ok_or_else(damaged)?
                .into()
        }
        (other, _) => {
            return Err(format!(
                "TIFF pages of colour type {other:?} cannot be displayed yet"
            ));
        }
    };
    let picture = if w.max(h) > side {
        picture.thumbnail(side, side)
    } else {
        picture
    };
    Ok((picture.into_rgba8(), page.size))
}

/// Why a TIFF page with fewer samples than its size is not shown.
const SHORT_PAGE: &str = "not a readable TIFF page: fewer pixels than its size";

/// `samples` as a `width`×`height` picture of pixel type `P`, or the
/// error of a page with fewer samples than its size.
fn picture<P: image::Pixel>(
    width: u32,
    height: u32,
    samples: Vec<P::Subpixel>,
) -> Result<image::DynamicImage, String>
where
    image::DynamicImage: From<image::ImageBuffer<P, Vec<P::Subpixel>>>,
{
    image::ImageBuffer::<P, _>::from_raw(width, height, samples)
        .map(image::DynamicImage::from)
        .ok_or_else(|| SHORT_PAGE.to_string())
}

/// The width and height in a JPEG or PNG file's header, read without
/// reading the rest of the file.
fn picture_size(path: &Path) -> Result<(u32, u32), String> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let unreadable = |e: std::io::Error| format!("cannot read the image: {e}");
    let mut file = std::io::BufReader::new(crate::corpus::read::open(path).map_err(unreadable)?);
    let mut head = [0u8; 24];
    let got = file.read(&mut head).map_err(unreadable)?;
    let head = &head[..got];
    if head.starts_with(b"\x89PNG\r\n\x1a\n") && head.len() >= 24 && &head[12..16] == b"IHDR" {
        let number =
            |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
        return Ok((number(16), number(20)));
    }
    if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP".as_slice()) {
        // WebP decoders read the chunk headers only for the size.
        return image::ImageReader::new(std::io::BufReader::new(
            crate::corpus::read::open(path).map_err(unreadable)?,
        ))
        .with_guessed_format()
        .map_err(unreadable)?
        .into_dimensions()
        .map_err(|e| format!("not a readable image: {e}"));
    }
    if !head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err("not a readable image: not a JPEG, PNG, TIFF or WebP file".into());
    }
    // JPEG: walk the marker segments to the frame header (SOF).
    file.seek(SeekFrom::Start(2)).map_err(unreadable)?;
    let truncated = || "not a readable image: the JPEG header is cut short".to_string();
    for _ in 0..4096 {
        let mut marker = [0u8; 2];
        file.read_exact(&mut marker).map_err(|_| truncated())?;
        if marker[0] != 0xFF {
            return Err("not a readable image: the JPEG header is damaged".into());
        }
        let kind = marker[1];
        if kind == 0xFF || kind == 0x01 || (0xD0..=0xD7).contains(&kind) {
            // Fill bytes and markers without a length.
            if kind == 0xFF {
                file.seek(SeekFrom::Current(-1)).map_err(unreadable)?;
            }
            continue;
        }
        let mut length = [0u8; 2];
        file.read_exact(&mut length).map_err(|_| truncated())?;
        let length = u16::from_be_bytes(length);
        if length < 2 {
            return Err("not a readable image: the JPEG header is damaged".into());
        }
        let is_frame = matches!(kind, 0xC0..=0xCF) && !matches!(kind, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            let mut frame = [0u8; 5];
            file.read_exact(&mut frame).map_err(|_| truncated())?;
            let height = u16::from_be_bytes([frame[1], frame[2]]);
            let width = u16::from_be_bytes([frame[3], frame[4]]);
            return Ok((u32::from(width), u32::from(height)));
        }
        if kind == 0xDA || kind == 0xD9 {
            break;
        }
        file.seek(SeekFrom::Current(i64::from(length) - 2))
            .map_err(unreadable)?;
    }
    Err("not a readable image: the JPEG file has no frame header".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_powers_of_two_within_limits() {
        assert_eq!(level_for(10.0, 8192), MIN_SIDE);
        assert_eq!(level_for(700.0, 8192), 1024);
        assert_eq!(level_for(1024.0, 8192), 1024);
        assert_eq!(level_for(20_000.0, 8192), tiles::WHOLE_LEVEL_LIMIT);
        assert_eq!(level_for(3000.0, 2048), 2048, "the GPU's limit");
        assert_eq!(level_for(f32::NAN, 8192), MIN_SIDE);
        assert_eq!(level_for(f32::INFINITY, 8192), MIN_SIDE);
    }

    #[test]
    fn adjustments_change_pixels_as_named() {
        let paper = [230u8, 220, 200, 255, 20, 20, 20, 128];
        let mut pixels = paper;
        Adjustments::default().apply(&mut pixels);
        assert_eq!(pixels, paper, "identity");

        let mut pixels = paper;
        let invert = Adjustments {
            invert: true,
            ..Adjustments::default()
        };
        invert.apply(&mut pixels);
        assert_eq!(
            pixels,
            [25, 35, 55, 255, 235, 235, 235, 128],
            "alpha is kept"
        );

        let mut pixels = paper;
        let gray = Adjustments {
            grayscale: true,
            ..Adjustments::default()
        };
        gray.apply(&mut pixels);
        assert!(pixels[0] == pixels[1] && pixels[1] == pixels[2]);
        assert!((215..=225).contains(&pixels[0]), "{pixels:?}");

        let mut pixels = paper;
        let white = Adjustments {
            brightness: 1.0,
            ..Adjustments::default()
        };
        white.apply(&mut pixels);
        assert_eq!(pixels[..3], [255, 255, 255]);

        // Less contrast pulls every value towards the middle.
        let mut pixels = paper;
        let flat = Adjustments {
            contrast: -1.0,
            ..Adjustments::default()
        };
        flat.apply(&mut pixels);
        assert!(pixels[0] < 230 && pixels[0] > 128, "{pixels:?}");
        assert!(pixels[4] > 20 && pixels[4] < 128, "{pixels:?}");
    }

    /// A 5000×600 PNG whose every pixel tells its column (red: x / 20)
    /// and row (green: y / 3).
    fn wide_page(dir: &Path) -> ImageKey {
        let path = dir.join("map.png");
        image::RgbImage::from_fn(5000, 600, |x, y| {
            image::Rgb([(x / 20) as u8, (y / 3) as u8, 7])
        })
        .save(&path)
        .unwrap_or_else(|e| panic!("{e}"));
        ImageKey { path, index: 0 }
    }

    #[test]
    #[allow(clippy::float_cmp)] // whole pixel numbers, exact in f32
    fn tiles_are_cut_from_the_level_in_place() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let image = wide_page(dir.path());
        let source = TileLevel::default();
        let tile = |column| TileKey {
            image: image.clone(),
            level: 5000,
            column,
            row: 0,
        };
        let (picture, rect) = cut_tile(&source, &tile(2), Adjustments::default())
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("tile 2 is on the page"));
        assert_eq!(picture.size, [1024, 600]);
        assert_eq!(rect, [2048.0, 0.0, 3072.0, 600.0]);
        // Its first pixel is the page's pixel (2048, 0); its last (3071, 599).
        assert_eq!(picture.pixels[0], egui::Color32::from_rgb(102, 0, 7));
        assert_eq!(
            picture.pixels[picture.pixels.len() - 1],
            egui::Color32::from_rgb(153, 199, 7)
        );
        // The level is kept: the next tile is cut, not decoded again.
        assert!(
            format!("{source:?}").ends_with("map.png@5000)"),
            "{source:?}"
        );
        let (last, rect) = cut_tile(
            &source,
            &tile(4),
            Adjustments {
                invert: true,
                ..Adjustments::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("tile 4 is on the page"));
        assert_eq!(last.size, [5000 - 4096, 600], "the edge tile is narrower");
        assert_eq!(rect, [4096.0, 0.0, 5000.0, 600.0]);
        assert_eq!(
            last.pixels[0],
            egui::Color32::from_rgb(255 - 204, 255, 255 - 7),
            "adjusted"
        );
        assert!(matches!(
            cut_tile(&source, &tile(5), Adjustments::default()),
            Ok(None)
        ));
        // A level at half size covers the same page pixels per tile twice over.
        let half = TileKey {
            level: 2500,
            ..tile(1)
        };
        let (picture, rect) = cut_tile(&source, &half, Adjustments::default())
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("tile 1 of the half level"));
        assert_eq!(picture.size, [1024, 300]);
        assert_eq!(rect, [2048.0, 0.0, 4096.0, 600.0]);
    }

    #[test]
    #[allow(clippy::float_cmp)] // whole pixel numbers, exact in f32
    fn the_cache_shows_large_pages_whole_at_most_4096_and_tiles_beyond() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let image = wide_page(dir.path());
        let ctx = egui::Context::default();
        let mut cache = ImageCache::new();
        let tile = TileKey {
            image: image.clone(),
            level: 5000,
            column: 1,
            row: 0,
        };
        let deadline = Instant::now() + Duration::from_mins(1);
        // The first poll reads the GPU's texture limit (2048 here).
        cache.poll(&ctx, Duration::from_millis(1));
        let (whole, shown) = loop {
            let whole = cache.get(&image, 20_000.0);
            let shown = cache.tile(&tile, Adjustments::default());
            if let (ImageState::Ready { texture, full_size }, Some(shown)) = (&whole, shown) {
                break ((texture.size(), *full_size), shown);
            }
            assert!(
                Instant::now() < deadline,
                "nothing decoded in a minute: {whole:?}"
            );
            cache.poll(&ctx, Duration::from_millis(10));
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(whole.1, [5000, 600]);
        assert!(whole.0[0] <= tiles::WHOLE_LEVEL_LIMIT as usize, "{whole:?}");
        assert_eq!(shown.0.size(), [1024, 600]);
        assert_eq!(shown.1, [1024.0, 0.0, 2048.0, 600.0]);
        // Another adjustment is another tile; the page changing on disk
        // forgets them all.
        assert!(
            cache
                .tile(
                    &tile,
                    Adjustments {
                        invert: true,
                        ..Adjustments::default()
                    }
                )
                .is_none()
        );
        cache.forget(std::slice::from_ref(&image.path));
        assert!(cache.tile(&tile, Adjustments::default()).is_none());
    }

    #[test]
    fn bad_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let noise = dir.path().join("page.png");
        std::fs::write(&noise, b"not a png at all").unwrap_or_else(|e| panic!("{e}"));
        let err = decode_scaled(&noise, 0, 512).err().unwrap_or_default();
        assert!(err.contains("not a readable image"), "{err}");
        let pdf = dir.path().join("scan.pdf");
        std::fs::write(&pdf, b"%PDF-1.4").unwrap_or_else(|e| panic!("{e}"));
        let err = decode_scaled(&pdf, 0, 512).err().unwrap_or_default();
        assert!(err.contains("not a readable PDF"), "{err}");
        let missing = decode_scaled(&dir.path().join("gone.jpg"), 0, 512);
        assert!(missing.is_err());
    }

    #[test]
    fn decodes_at_the_asked_size() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("page.png");
        image::RgbaImage::from_pixel(1000, 600, image::Rgba([200, 180, 150, 255]))
            .save(&path)
            .unwrap_or_else(|e| panic!("{e}"));
        let (small, full) = decode_scaled(&path, 0, 256).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(full, [1000, 600]);
        assert_eq!(small.width(), 256);
        let (whole, _) = decode_scaled(&path, 0, 4096).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((whole.width(), whole.height()), (1000, 600));
    }
}
