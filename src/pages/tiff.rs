//! TIFF pages: counting them (directories only; a pyramid's reduced
//! copies are levels of their page, masks are no pages), and decoding page N of a multi-page file, a pyramid's reduced copy when
//! one is large enough, 1-bit, 8/16-bit grey and colour, CMYK, JPEG-in-TIFF.

use std::path::Path;

use super::MAX_PIXELS;

/// Directories beyond this many are not counted (a damaged file whose
/// directories point at each other must not keep the loader busy).
pub const MAX_PAGES_IN_FILE: u32 = 10_000;

/// Whether `path` names a TIFF file (by extension).
pub fn is_tiff(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tif") || e.eq_ignore_ascii_case("tiff"))
}

/// One page of a TIFF file: its image file directory and, for a pyramid
/// (tiled TIFFs of large scans, libvips `--pyramid`, whole-slide files),
/// the reduced-resolution copies that follow it, largest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TiffPage {
    /// Index of the directory in the file's chain.
    pub directory: usize,
    pub size: [u32; 2],
    /// `(directory, size)` of each reduced copy of this page.
    pub levels: Vec<(usize, [u32; 2])>,
}

impl TiffPage {
    /// The directory and size to decode for a picture `side` pixels on its
    /// longer side: the smallest copy at least that large, else the largest
    /// copy of at most `max_pixels` pixels. `None` when none is that small.
    pub fn level_for(&self, side: u32, max_pixels: u64) -> Option<(usize, [u32; 2])> {
        let mut all: Vec<(usize, [u32; 2])> = std::iter::once((self.directory, self.size))
            .chain(self.levels.iter().copied())
            .filter(|(_, [w, h])| u64::from(*w) * u64::from(*h) <= max_pixels)
            .collect();
        all.sort_by_key(|(_, [w, h])| (*w).max(*h));
        all.iter()
            .find(|(_, [w, h])| (*w).max(*h) >= side)
            .or(all.last())
            .copied()
    }
}

/// The pages of the TIFF file at `path`, from its directories alone. A
/// directory marked as a reduced-resolution copy (`NewSubfileType` bit 0,
/// or the old `SubfileType` 2) is a level of the page before it, and a
/// transparency mask (bit 2) is no page: counting them as pages would show
/// a pyramid's levels as pages of their own.
pub fn tiff_pages(path: &Path) -> Result<Vec<TiffPage>, String> {
    tiff_pages_through(path, usize::MAX)
}

/// Directories read at most in one TIFF file (pages with their reduced
/// copies), against files whose directories never end.
const MAX_DIRECTORIES: usize = 8 * MAX_PAGES_IN_FILE as usize;

/// [`tiff_pages`] up to page `last` (counted from 0) and its reduced
/// copies: the directories after it are not read.
pub fn tiff_pages_through(path: &Path, last: usize) -> Result<Vec<TiffPage>, String> {
    scan_tiff(path, last).map(|(pages, _)| pages)
}

/// The pages of a TIFF file up to page `last`, and whether the file had
/// pages beyond the first [`MAX_PAGES_IN_FILE`], which are left out.
fn scan_tiff(path: &Path, last: usize) -> Result<(Vec<TiffPage>, bool), String> {
    use tiff::tags::Tag;
    let file = crate::files::confined::open(path)
        .map_err(|e| format!("cannot read the TIFF file: {e}"))?;
    let mut decoder = tiff::decoder::Decoder::new(std::io::BufReader::new(file))
        .map_err(|e| format!("not a readable TIFF file: {e}"))?;
    let mut pages: Vec<TiffPage> = Vec::new();
    let mut directory = 0usize;
    loop {
        let unreadable =
            |e: tiff::TiffError| format!("TIFF page {} cannot be read: {e}", pages.len() + 1);
        let (width, height) = decoder.dimensions().map_err(unreadable)?;
        let new_kind = decoder
            .find_tag_unsigned::<u32>(Tag::NewSubfileType)
            .ok()
            .flatten()
            .unwrap_or(0);
        let old_kind = decoder
            .find_tag_unsigned::<u32>(Tag::SubfileType)
            .ok()
            .flatten()
            .unwrap_or(1);
        let reduced = new_kind & 1 != 0 || old_kind == 2;
        let mask = new_kind & 4 != 0;
        let complete = pages.len() > last;
        let full = pages.len() >= MAX_PAGES_IN_FILE as usize;
        match pages.last_mut() {
            Some(page) if reduced && !mask => page.levels.push((directory, [width, height])),
            Some(_) if mask => {}
            // Page `last` is complete with its copies.
            Some(_) if complete => break,
            Some(_) if full => return Ok((pages, true)),
            _ => pages.push(TiffPage {
                directory,
                size: [width, height],
                levels: Vec::new(),
            }),
        }
        if !decoder.more_images() {
            break;
        }
        directory += 1;
        if directory >= MAX_DIRECTORIES {
            return Ok((pages, true));
        }
        decoder
            .next_image()
            .map_err(|e| format!("TIFF page {} cannot be read: {e}", pages.len() + 1))?;
    }
    Ok((pages, false))
}

/// How many pages the TIFF file at `path` holds (reduced copies of a
/// pyramid and masks are not pages), at most [`MAX_PAGES_IN_FILE`], with a
/// warning when it holds more.
pub fn tiff_page_count(path: &Path) -> Result<(u32, Option<String>), String> {
    scan_tiff(path, usize::MAX).map(|(pages, truncated)| {
        let warning = truncated.then(|| {
            format!(
                "more than {MAX_PAGES_IN_FILE} pages in one TIFF file; the first {MAX_PAGES_IN_FILE} are shown"
            )
        });
        (pages.len() as u32, warning)
    })
}

/// Page `index` of a TIFF file, scaled so that its longer side is at most
/// `side`; a pyramid's reduced copy when one is large enough. Sizes are
/// read from the directories before any pixel; the size returned is the
/// whole page's, whichever copy was decoded.
pub fn decode_page(
    path: &Path,
    index: u32,
    side: u32,
) -> Result<(image::RgbaImage, [u32; 2]), String> {
    use tiff::ColorType;
    use tiff::decoder::DecodingResult;
    let unreadable = |e: tiff::TiffError| format!("not a readable TIFF page: {e}");
    // The page's directory, or the smallest reduced copy of a pyramid that
    // is still as large as the picture shown.
    let pages = tiff_pages_through(path, index as usize)?;
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
        crate::files::confined::open(path).map_err(|e| format!("cannot read the image: {e}"))?;
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
pub fn picture<P: image::Pixel>(
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a TIFF of `pages` small grey pages.
    pub fn write_tiff(path: &Path, pages: u32) {
        let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}"));
        let mut encoder = tiff::encoder::TiffEncoder::new(std::io::BufWriter::new(file))
            .unwrap_or_else(|e| panic!("{e}"));
        for page in 0..pages {
            let pixels = vec![(page * 40) as u8; 30 * 20];
            encoder
                .write_image::<tiff::encoder::colortype::Gray8>(30, 20, &pixels)
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn a_pyramid_is_one_page_with_its_levels() {
        use tiff::encoder::colortype::Gray8;
        use tiff::tags::Tag;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("pyramid.tif");
        let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut encoder = tiff::encoder::TiffEncoder::new(std::io::BufWriter::new(file))
            .unwrap_or_else(|e| panic!("{e}"));
        // Two pages of 400×200, each followed by its 200×100 and 100×50
        // copies; a mask after the second page.
        for _page in 0..2 {
            for (side, kind) in [(400u32, 0u32), (200, 1), (100, 1)] {
                let pixels = vec![128u8; (side * side / 2) as usize];
                let mut image = encoder
                    .new_image::<Gray8>(side, side / 2)
                    .unwrap_or_else(|e| panic!("{e}"));
                image
                    .encoder()
                    .write_tag(Tag::NewSubfileType, kind)
                    .unwrap_or_else(|e| panic!("{e}"));
                image.write_data(&pixels).unwrap_or_else(|e| panic!("{e}"));
            }
        }
        let mut mask = encoder
            .new_image::<Gray8>(400, 200)
            .unwrap_or_else(|e| panic!("{e}"));
        mask.encoder()
            .write_tag(Tag::NewSubfileType, 4u32)
            .unwrap_or_else(|e| panic!("{e}"));
        mask.write_data(&vec![0u8; 400 * 200])
            .unwrap_or_else(|e| panic!("{e}"));
        drop(encoder);
        let pages = tiff_pages(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(tiff_page_count(&path), Ok((2, None)));
        assert_eq!(pages[1].directory, 3);
        assert_eq!(pages[1].size, [400, 200]);
        assert_eq!(pages[1].levels, [(4, [200, 100]), (5, [100, 50])]);
        // Read only up to the page asked for, its copies included.
        let first = tiff_pages_through(&path, 0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first, pages[..1]);
        // The smallest copy large enough, the whole page when zoomed in,
        // and the largest within the pixel limit when the page is over it.
        assert_eq!(pages[0].level_for(90, u64::MAX), Some((2, [100, 50])));
        assert_eq!(pages[0].level_for(150, u64::MAX), Some((1, [200, 100])));
        assert_eq!(pages[0].level_for(1000, u64::MAX), Some((0, [400, 200])));
        assert_eq!(pages[0].level_for(1000, 20_000), Some((1, [200, 100])));
        assert_eq!(pages[0].level_for(10, 100), None);
    }

    #[test]
    fn pages_of_a_tiff_are_counted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("three.tif");
        write_tiff(&path, 3);
        assert!(is_tiff(&path));
        assert_eq!(tiff_page_count(&path), Ok((3, None)));
        let noise = dir.path().join("noise.tif");
        std::fs::write(&noise, b"II*\0garbage").unwrap_or_else(|e| panic!("{e}"));
        assert!(tiff_page_count(&noise).is_err());
    }
}
