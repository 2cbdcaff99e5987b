//! Pages inside multi-page files: a TIFF holds one page per image file
//! directory (IFD), counted from the directories alone, never the pixels;
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

/// How many pages the TIFF file at `path` holds.
pub fn tiff_page_count(path: &Path) -> Result<u32, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the TIFF file: {e}"))?;
    let mut decoder = tiff::decoder::Decoder::new(std::io::BufReader::new(file))
        .map_err(|e| format!("not a readable TIFF file: {e}"))?;
    let mut pages = 1;
    while decoder.more_images() {
        if pages >= MAX_PAGES_IN_FILE {
            return Err(format!(
                "more than {MAX_PAGES_IN_FILE} pages in one TIFF file; only the first are shown"
            ));
        }
        decoder
            .next_image()
            .map_err(|e| format!("TIFF page {} cannot be read: {e}", pages + 1))?;
        pages += 1;
    }
    Ok(pages)
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
        tiff_page_count(&root.join(&page.image))
    } else if is_pdf(&page.image) && !crate::corpus::iiif::is_remote(&page.image) {
        crate::pdf::page_count(&root.join(&page.image))
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
    fn pages_of_a_tiff_are_counted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("three.tif");
        write_tiff(&path, 3);
        assert!(is_tiff(&path));
        assert_eq!(tiff_page_count(&path), Ok(3));
        let noise = dir.path().join("noise.tif");
        std::fs::write(&noise, b"II*\0garbage").unwrap_or_else(|e| panic!("{e}"));
        assert!(tiff_page_count(&noise).is_err());
    }
}
