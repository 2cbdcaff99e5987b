//! Pages inside multi-page files: a TIFF holds one page per full-size image
//! file directory (IFD; the reduced copies of a pyramid are levels of their
//! page), counted from the directories alone, never the pixels;
//! a PDF's pages are counted from its page tree.

use std::path::Path;

use crate::model::Page;

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
    let file = super::read::open(path).map_err(|e| format!("cannot read the TIFF file: {e}"))?;
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

/// Whether `path` names a PDF file (by extension).
pub fn is_pdf(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// `page`, or one page per page in it when its file is a multi-page TIFF
/// or a PDF (a file that cannot be counted stays one page, with a warning;
/// its page then says why it cannot be shown).
pub fn pages_of(root: &Path, page: Page, warnings: &mut Vec<String>) -> Vec<Page> {
    if page.index_in_file.is_some() {
        return vec![page];
    }
    let count = if is_tiff(&page.image) {
        tiff_page_count(&root.join(&page.image)).map(|(count, warning)| {
            if let Some(warning) = warning {
                warnings.push(format!("{}: {warning}", page.image.display()));
            }
            count
        })
    } else if is_pdf(&page.image) && !crate::corpus::formats::iiif::is_remote(&page.image) {
        crate::pages::pdf::page_count(&root.join(&page.image))
    } else {
        return vec![page];
    };
    match count {
        Ok(1) => vec![page],
        Ok(count) => (0..count)
            .map(|index| {
                let mut inner = page.clone();
                inner.index_in_file = Some(index);
                inner.label = Some(match &page.label {
                    Some(label) => format!("{label}.{}", index + 1),
                    None => (index + 1).to_string(),
                });
                inner
            })
            .collect(),
        Err(reason) => {
            warnings.push(format!("{}: {reason}", page.image.display()));
            vec![page]
        }
    }
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

    #[test]
    fn a_tiff_with_more_pages_than_the_limit_shows_the_first_ones() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("many.tif");
        let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut encoder = tiff::encoder::TiffEncoder::new(std::io::BufWriter::new(file))
            .unwrap_or_else(|e| panic!("{e}"));
        for _ in 0..MAX_PAGES_IN_FILE + 3 {
            encoder
                .write_image::<tiff::encoder::colortype::Gray8>(1, 1, &[7])
                .unwrap_or_else(|e| panic!("{e}"));
        }
        drop(encoder);
        let (count, warning) = tiff_page_count(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(count, MAX_PAGES_IN_FILE);
        assert!(warning.is_some_and(|w| w.contains("the first 10000 are shown")));
        let mut warnings = Vec::new();
        let page = crate::model::Page::new("many.tif".into());
        assert_eq!(
            pages_of(dir.path(), page, &mut warnings).len(),
            MAX_PAGES_IN_FILE as usize
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }
}
