//! Decoding one page to pixels at the size it is shown: JPEG reduced
//! straight from the DCT (a parallel preview for large files), PNG and
//! WebP through `image`, PDF pages (the scanner's own JPEG, else drawn),
//! TIFF pages ([`super::tiff`]) and IIIF Image API pages fetched at that
//! size. Sizes are read from headers and checked against the limits
//! before any pixel is decoded.

use std::path::Path;

use super::{MAX_FILE_BYTES, MAX_PIXELS};

/// Reads page `index` of the file at `path` (a IIIF URL is fetched into
/// the cache first) and scales it so that its longer side is at most
/// `side`; gives the pixels and the whole page's size.
pub fn decode_scaled(
    path: &Path,
    index: u32,
    side: u32,
) -> Result<(image::RgbaImage, [u32; 2]), String> {
    if crate::files::remote::is_url(path) {
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
    crate::files::confined::size_within(path, MAX_FILE_BYTES, "the image file")?;
    if is_tiff {
        return super::tiff::decode_page(path, index, side);
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
        && let Ok(bytes) = crate::files::confined::read_all(path)
        && let Some(image) = decode_jpeg_reduced_bytes(&bytes, side, width, height)
    {
        return Ok((image, [width, height]));
    }
    let mut reader = image::ImageReader::new(std::io::BufReader::new(
        crate::files::confined::open(path).map_err(|e| format!("cannot read the image: {e}"))?,
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

/// The width and height in a JPEG or PNG file's header, read without
/// reading the rest of the file.
fn picture_size(path: &Path) -> Result<(u32, u32), String> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let unreadable = |e: std::io::Error| format!("cannot read the image: {e}");
    let mut file = std::io::BufReader::new(crate::files::confined::open(path).map_err(unreadable)?);
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
            crate::files::confined::open(path).map_err(unreadable)?,
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
