//! Pages inside multi-page files: a TIFF holds one page per full-size image
//! file directory (IFD; the reduced copies of a pyramid are levels of their
//! page), counted from the directories alone, never the pixels;
//! a PDF's pages are counted from its page tree.

use std::path::Path;

use crate::model::Page;

use crate::pages::tiff::{is_tiff, tiff_page_count};

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
    use crate::pages::tiff::MAX_PAGES_IN_FILE;

    #[test]
    fn every_page_of_a_long_tiff_up_to_the_limit_is_a_page_with_a_warning() {
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
