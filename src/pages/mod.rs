//! Page images, from a file (or page N of a TIFF or PDF, or a IIIF URL)
//! to pixels, knowing nothing of the window: PDF pages ([`pdf`]) and fast
//! JPEG previews decoded on every core ([`jpeg_preview`]).

pub mod jpeg_preview;
pub mod pdf;
