//! Page images for the scan pane as textures: the page pipeline
//! ([`crate::pages`]) decodes on its threads; this cache asks it for the
//! level each view needs, uploads what comes back on the UI thread, and
//! keeps textures in a budget of bytes, least recently shown first out.
//!
//! A request names an image and the longest side it will be shown at. The
//! decoder scales the image down to that side (rounded up to a power of
//! two), so the first picture arrives at the size shown; zooming in asks
//! for a sharper level while the current one stays on screen. A whole page
//! is never uploaded larger than [`tiles::WHOLE_LEVEL_LIMIT`]: zoomed in
//! further, the squares in view come as tiles of a sharper level (see
//! [`crate::pages::tiles`]), cut from one decoded level the decoder threads
//! keep. Requests are served newest first and the queue is short, so
//! paging quickly through a document never leaves the visible page waiting
//! behind stale ones.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use eframe::egui;

use crate::pages::pool::{Decoded, DecoderPool, Job, Pixels};
pub use crate::pages::tiles::{self, TileKey};
pub use crate::pages::{Adjustments, ImageKey, MAX_FILE_BYTES, MAX_PIXELS};

/// The image of `page` of a corpus at `root`, as the decoders name it (a
/// IIIF canvas names a URL, kept as it is).
pub fn page_key(root: &Path, page: &crate::model::Page) -> ImageKey {
    ImageKey {
        path: if crate::corpus::formats::iiif::is_remote(&page.image) {
            page.image.clone()
        } else {
            root.join(&page.image)
        },
        index: page.index_in_file.unwrap_or(0),
    }
}

/// Paints a picture of `full_size` pixels as large as fits in `cell`,
/// centred, its proportions kept (thumbnails of the scan strip and the list).
pub fn paint_fitted(
    painter: &egui::Painter,
    texture: &egui::TextureHandle,
    full_size: [u32; 2],
    cell: egui::Rect,
) {
    let size = egui::vec2(full_size[0] as f32, full_size[1] as f32);
    let fit = (cell.width() / size.x).min(cell.height() / size.y);
    painter.image(
        texture.id(),
        egui::Rect::from_center_size(cell.center(), size * fit),
        egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
        egui::Color32::WHITE,
    );
}

/// Threads decoding pages.
const DECODER_THREADS: usize = 2;
/// The smallest level decoded (thumbnails).
const MIN_SIDE: u32 = 128;
/// Texture memory for whole pages, least recently shown first out.
const TEXTURE_BUDGET: usize = 512 * 1024 * 1024;
/// Texture memory for deep-zoom tiles.
const TILE_BUDGET: usize = 256 * 1024 * 1024;

/// Decoded pixels become egui's image on the decoder threads.
impl Pixels for egui::ColorImage {
    fn from_rgba(image: image::RgbaImage) -> Self {
        let size = [image.width() as usize, image.height() as usize];
        egui::ColorImage::from_rgba_unmultiplied(size, image.as_raw())
    }

    fn rgba_mut(&mut self) -> &mut [u8] {
        self.as_raw_mut()
    }
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
    pool: DecoderPool<egui::ColorImage>,
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
        Self {
            // A cache without decoders still works: requests stay Loading
            // and the pane says so; nothing else depends on them.
            pool: DecoderPool::new(DECODER_THREADS),
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
            // Only the newest adjustment of a picture matters (a slider
            // being dragged asks many); the ones replaced need no answer.
            let _ = self.pool.push(
                job,
                |queued| matches!(queued, Job::Adjust { key: k, .. } if k == key),
            );
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

    /// Like [`Self::get`] for a picture that may wait (the document list's
    /// thumbnails): what is cached is given at once, but a new decode is
    /// asked for only while the decoders have fewer pictures on their way
    /// than threads, so the pages the reader shows always come first.
    pub fn get_when_idle(&mut self, key: &ImageKey, side: f32) -> ImageState {
        let known = self.entries.contains_key(key) || self.errors.contains_key(key);
        if known || self.pending.len() + self.pending_tiles.len() < DECODER_THREADS {
            self.get_plain(key, side)
        } else {
            ImageState::Loading
        }
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
    fn dropped(&mut self, job: &Job<egui::ColorImage>) {
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
        self.pool.forget_files(&changed);
    }

    /// Forgets queued requests (a new document was opened).
    pub fn cancel_queued(&mut self) {
        for job in &self.pool.drain() {
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
    fn push_job(
        &mut self,
        job: Job<egui::ColorImage>,
        stale: impl Fn(&Job<egui::ColorImage>) -> bool,
    ) {
        for job in &self.pool.push(job, stale) {
            self.dropped(job);
        }
    }

    /// Uploads decoded images as textures, for at most `budget`. Returns
    /// true while more are expected.
    pub fn poll(&mut self, ctx: &egui::Context, budget: Duration) -> bool {
        self.max_texture_side = u32::try_from(ctx.input(|i| i.max_texture_side))
            .unwrap_or(8192)
            .max(MIN_SIDE);
        let started = Instant::now();
        while started.elapsed() < budget {
            let Some(decoded) = self.pool.try_result() else {
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
    #[allow(clippy::float_cmp)] // whole pixel numbers, exact in f32
    fn the_cache_shows_large_pages_whole_at_most_4096_and_tiles_beyond() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let image = crate::pages::tiles::tests::wide_page(dir.path());
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
}
