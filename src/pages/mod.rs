//! The page pipeline: from a page source (a file, page N of a TIFF or
//! PDF, a IIIF URL) to pixels at the size they are shown, knowing
//! nothing of the window.
//!
//! - [`decode`]: one page to RGBA at a side (JPEG reduced from the DCT,
//!   PNG, WebP, PDF, IIIF), sizes checked from headers first;
//! - [`tiff`]: TIFF pages and pyramids; [`pdf`]: PDF pages;
//!   [`jpeg_preview`]: large JPEGs previewed on every core;
//! - [`tiles`]: deep-zoom geometry and the decoded level tiles are cut from;
//! - [`adjust`]: brightness, contrast, grayscale, invert;
//! - [`pool`]: the decoder threads, their queue, cancellation and results.
//!
//! The window keeps the textures and draws them; `folio
//! bench-preview` times this pipeline directly.

pub mod adjust;
pub mod decode;
pub mod jpeg_preview;
pub mod pdf;
pub mod pool;
pub mod tiff;
pub mod tiles;

use std::path::PathBuf;

pub use adjust::Adjustments;
pub use decode::decode_scaled;

/// Images larger than this are refused before decoding.
pub const MAX_PIXELS: u64 = 400_000_000;
/// Image files larger than this are refused before reading.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// One page image: a file (or a IIIF URL), and a page inside it for
/// multi-page formats.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageKey {
    pub path: PathBuf,
    pub index: u32,
}
