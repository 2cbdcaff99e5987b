//! Deep zoom: which squares of a large page to decode when it is shown
//! sharper than a whole-page texture may be. A whole page is never sent to
//! the GPU larger than [`WHOLE_LEVEL_LIMIT`] pixels on its longer side;
//! zoomed in further, the pane draws that picture and, over it, the tiles
//! of a sharper level that are in view, [`TILE`] pixels square, cut on
//! the decoder threads from one decoded level kept there. Pure geometry:
//! no egui state, no files.

use super::images::ImageKey;

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

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
}
