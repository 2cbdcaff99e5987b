//! Deep zoom: which squares of a large page to decode when it is shown
//! sharper than a whole-page texture may be. A whole page is never sent to
//! the GPU larger than [`WHOLE_LEVEL_LIMIT`] pixels on its longer side;
//! zoomed in further, the pane draws that picture and, over it, the tiles
//! of a sharper level that are in view, [`TILE`] pixels square, cut on
//! the decoder threads from one decoded level kept there. Pure geometry:
//! no egui state, no files; and the one decoded level tiles are cut from.

use std::sync::{Arc, Mutex, PoisonError};

use super::ImageKey;
use super::adjust::Adjustments;

/// Edge of a tile, in pixels of its level.
pub const TILE: u32 = 1024;

/// The longest side of a whole-page texture (64 MB of RGBA at most).
pub const WHOLE_LEVEL_LIMIT: u32 = 4096;

/// One tile: a square of page `image` decoded at `level` pixels on its
/// longer side, in column `column` and row `row` of that level's grid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TileKey {
    pub image: ImageKey,
    pub level: u32,
    pub column: u32,
    pub row: u32,
}

/// The level whose tiles show a page of `full_size` at `wanted` pixels on
/// its longer side, or `None` when the whole-page texture is sharp enough
/// (the page is small, or not shown that large). The level is a power of
/// two, or the page's own size when that is smaller.
pub fn tile_level(full_size: [u32; 2], wanted: f32) -> Option<u32> {
    let full_side = full_size[0].max(full_size[1]);
    if !wanted.is_finite() || wanted <= WHOLE_LEVEL_LIMIT as f32 || full_side <= WHOLE_LEVEL_LIMIT {
        return None;
    }
    let wanted = (wanted.ceil() as u32)
        .checked_next_power_of_two()
        .unwrap_or(u32::MAX);
    Some(wanted.min(full_side))
}

/// The size of the page at `level` (as the decoder scales it: the longer
/// side is `level`, the other in proportion, at least one pixel).
pub fn level_size(full_size: [u32; 2], level: u32) -> [u32; 2] {
    let full_side = full_size[0].max(full_size[1]).max(1);
    if level >= full_side {
        return full_size;
    }
    full_size
        .map(|n| ((u64::from(n) * u64::from(level)).div_ceil(u64::from(full_side)) as u32).max(1))
}

/// The tiles of `level` that cover `visible` (a rectangle of the page in
/// its own pixels, `[left, top, right, bottom]`), row by row.
pub fn tiles_covering(
    image: &ImageKey,
    full_size: [u32; 2],
    level: u32,
    visible: [f32; 4],
) -> Vec<TileKey> {
    let size = level_size(full_size, level);
    let scale = |n: f32, full: u32, shown: u32| n * shown as f32 / full.max(1) as f32;
    let grid = |from: f32, to: f32, full: u32, shown: u32| {
        let count = shown.div_ceil(TILE);
        let first = (scale(from, full, shown).max(0.0) as u32 / TILE).min(count);
        let last = (scale(to, full, shown).max(0.0).ceil() as u32)
            .div_ceil(TILE)
            .min(count);
        first..last
    };
    let columns = grid(visible[0], visible[2], full_size[0], size[0]);
    let rows = grid(visible[1], visible[3], full_size[1], size[1]);
    let mut tiles = Vec::new();
    for row in rows {
        for column in columns.clone() {
            tiles.push(TileKey {
                image: image.clone(),
                level,
                column,
                row,
            });
        }
    }
    tiles
}

/// The pixels `[left, top, right, bottom]` of `tile` in a level picture of
/// `size`, or `None` when the tile lies outside it.
pub fn tile_pixels(tile: &TileKey, size: [u32; 2]) -> Option<[u32; 4]> {
    let left = tile.column.checked_mul(TILE)?;
    let top = tile.row.checked_mul(TILE)?;
    (left < size[0] && top < size[1]).then(|| {
        [
            left,
            top,
            (left + TILE).min(size[0]),
            (top + TILE).min(size[1]),
        ]
    })
}

/// The level tiles are cut from: the most recent one asked for.
pub(super) struct TileSource {
    pub(super) key: ImageKey,
    level: u32,
    picture: Arc<image::RgbaImage>,
    full_size: [u32; 2],
}

/// The one decoded level deep-zoom tiles are cut from, shared by the
/// decoder threads: held while a level is decoded, so that the other
/// thread's tiles of it wait for it rather than decode it again.
#[derive(Default)]
pub struct TileLevel(pub(super) Mutex<Option<TileSource>>);

impl std::fmt::Debug for TileLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.as_ref() {
            Some(level) => write!(f, "TileLevel({}@{})", level.key.path.display(), level.level),
            None => f.write_str("TileLevel(empty)"),
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
) -> Result<Option<(image::RgbaImage, [f32; 4])>, String> {
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
                    super::decode::decode_scaled(&tile.image.path, tile.image.index, tile.level)?;
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
    let Some([left, top, right, bottom]) = tile_pixels(tile, size) else {
        return Ok(None);
    };
    let mut image =
        image::imageops::crop_imm(&*picture, left, top, right - left, bottom - top).to_image();
    if !adjust.is_identity() {
        adjust.apply(&mut image);
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn key() -> ImageKey {
        ImageKey {
            path: PathBuf::from("map.jpg"),
            index: 0,
        }
    }

    #[test]
    fn small_pages_and_small_views_need_no_tiles() {
        assert_eq!(tile_level([3000, 4000], 8000.0), None, "the page fits");
        assert_eq!(tile_level([9000, 9000], 4000.0), None, "shown small");
        assert_eq!(tile_level([9000, 9000], f32::NAN), None);
        assert_eq!(tile_level([9000, 9000], 5000.0), Some(8192));
        assert_eq!(
            tile_level([9000, 9000], 8500.0),
            Some(9000),
            "the page itself"
        );
        assert_eq!(tile_level([9000, 9000], 1e12), Some(9000));
    }

    #[test]
    fn level_sizes_keep_the_proportion() {
        assert_eq!(level_size([9000, 6000], 8192), [8192, 5462]);
        assert_eq!(level_size([9000, 6000], 9000), [9000, 6000]);
        assert_eq!(level_size([9000, 1], 4096), [4096, 1]);
    }

    #[test]
    fn the_tiles_in_view_and_only_those() {
        // The page itself (level 9000): a view of x 1000..2500, y 0..500
        // touches columns 0..=2 of row 0.
        let tiles = tiles_covering(&key(), [9000, 6000], 9000, [1000.0, 0.0, 2500.0, 500.0]);
        let cells: Vec<(u32, u32)> = tiles.iter().map(|t| (t.column, t.row)).collect();
        assert_eq!(cells, [(0, 0), (1, 0), (2, 0)]);
        // x 1100..2000 is column 1 of the page, but 1001..1821 of level
        // 8192: columns 0 and 1.
        let column = |level| {
            tiles_covering(&key(), [9000, 6000], level, [1100.0, 0.0, 2000.0, 10.0])
                .iter()
                .map(|t| t.column)
                .collect::<Vec<_>>()
        };
        assert_eq!(column(9000), [1]);
        assert_eq!(column(8192), [0, 1]);
        // The whole page: every tile, none past the edge.
        let all = tiles_covering(&key(), [9000, 6000], 9000, [-50.0, -50.0, 1e6, 1e6]);
        assert_eq!(all.len(), 9 * 6);
        assert!(all.iter().all(|t| tile_pixels(t, [9000, 6000]).is_some()));
        // Nothing in view.
        assert!(tiles_covering(&key(), [9000, 6000], 9000, [9500.0, 0.0, 9900.0, 10.0]).is_empty());
    }

    #[test]
    fn tile_pixels_are_clipped_to_the_level() {
        let tile = |column, row| TileKey {
            image: key(),
            level: 9000,
            column,
            row,
        };
        assert_eq!(
            tile_pixels(&tile(0, 0), [9000, 6000]),
            Some([0, 0, 1024, 1024])
        );
        assert_eq!(
            tile_pixels(&tile(8, 5), [9000, 6000]),
            Some([8192, 5120, 9000, 6000])
        );
        assert_eq!(tile_pixels(&tile(9, 0), [9000, 6000]), None);
        assert_eq!(tile_pixels(&tile(u32::MAX, 0), [9000, 6000]), None);
    }

    /// A 5000×600 PNG whose every pixel tells its column (red: x / 20)
    /// and row (green: y / 3).
    pub(crate) fn wide_page(dir: &Path) -> ImageKey {
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
        assert_eq!(picture.dimensions(), (1024, 600));
        assert_eq!(rect, [2048.0, 0.0, 3072.0, 600.0]);
        // Its first pixel is the page's pixel (2048, 0); its last (3071, 599).
        assert_eq!(picture.get_pixel(0, 0).0, [102, 0, 7, 255]);
        assert_eq!(picture.get_pixel(1023, 599).0, [153, 199, 7, 255]);
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
        assert_eq!(
            last.dimensions(),
            (5000 - 4096, 600),
            "the edge tile is narrower"
        );
        assert_eq!(rect, [4096.0, 0.0, 5000.0, 600.0]);
        assert_eq!(
            last.get_pixel(0, 0).0,
            [255 - 204, 255, 255 - 7, 255],
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
        assert_eq!(picture.dimensions(), (1024, 300));
        assert_eq!(rect, [2048.0, 0.0, 4096.0, 600.0]);
    }
}
