//! Every format folio reads, one file each, each parsing into the one
//! model: structured folders ([`document_toml`]), web clips ([`clip`]),
//! loose images and texts with `metadata.csv` ([`loose`]), TEI
//! ([`tei`]), IIIF manifests ([`iiif`]), METS books ([`mets`]), and ALTO,
//! PAGE XML and hOCR ([`alto_page_hocr`]); what a title says ([`title`]).
//!
//! The formats a single file is recognised in by its first bytes are
//! registered in one list, [`FILE_FORMATS`] (as egui chains its image
//! loaders): the walk tries them in order on files of their extensions,
//! and [`load`] hands each entry to its format's loader. Folders with
//! `document.toml`, web clips and loose files are recognised by names and
//! extensions in the walk.

pub mod alto_page_hocr;
pub(crate) mod clip;
pub(crate) mod document_toml;
pub mod iiif;
pub(crate) mod loose;
pub mod mets;
pub mod tei;
pub(crate) mod title;

use std::path::{Path, PathBuf};

use super::walk::Entry;
use super::{Document, LoadError};

/// What a format found in a file's first bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    /// A METS file and the files inside the corpus it takes as its pages.
    Mets { files: Vec<PathBuf> },
    /// ALTO, PAGE XML or hOCR, and the page image it names near its start.
    Ocr { named: Option<String> },
    /// TEI, and the key that joins it to the other files of the same text.
    Tei { key: Option<String> },
    /// A IIIF Presentation manifest.
    Iiif,
}

/// A format recognised in one file by its first bytes.
#[derive(Debug, Clone, Copy)]
pub struct FileFormat {
    pub name: &'static str,
    /// Lower-case extensions of the files it is tried on.
    pub extensions: &'static [&'static str],
    /// What the file at `root/path` is in this format, if it is.
    pub sniff: fn(root: &Path, path: &Path) -> Option<Sniffed>,
}

/// The single-file formats, in the order they are tried: the first that
/// claims a file takes it (METS before ALTO and PAGE before TEI, which
/// share the `.xml` extension).
pub const FILE_FORMATS: &[FileFormat] = &[
    FileFormat {
        name: "METS",
        extensions: &["xml"],
        sniff: mets::sniff_file,
    },
    FileFormat {
        name: "ALTO, PAGE XML or hOCR",
        extensions: &["xml", "html", "htm", "hocr"],
        sniff: alto_page_hocr::sniff_file,
    },
    FileFormat {
        name: "TEI",
        extensions: &["xml"],
        sniff: tei::sniff_file,
    },
    FileFormat {
        name: "IIIF manifest",
        extensions: &["json"],
        sniff: iiif::sniff_file,
    },
];

/// What the file at `root/path` (extension `ext`, lower case) is, by the
/// first registered format that claims it.
pub fn sniff(root: &Path, path: &Path, ext: &str) -> Option<Sniffed> {
    FILE_FORMATS
        .iter()
        .filter(|format| format.extensions.contains(&ext))
        .find_map(|format| (format.sniff)(root, path))
}

/// Parses `entry` with its format's loader, as the files say.
pub fn load(root: &Path, entry: &Entry) -> Vec<Result<Document, LoadError>> {
    match entry {
        Entry::Folio { dir } => vec![document_toml::load(root, dir)],
        Entry::Clip { file } => vec![clip::load(root, file)],
        Entry::Loose(group) => vec![loose::load(root, group)],
        Entry::Ocr { file } => vec![alto_page_hocr::load(root, file)],
        Entry::Tei { files } => vec![tei::load(root, files)],
        Entry::Iiif { file } => vec![iiif::load(root, file)],
        Entry::Mets { file, .. } => vec![mets::load(root, file)],
        Entry::Unsupported { path, reason } => {
            vec![Err(LoadError::new(path.clone(), reason.clone()))]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_goes_to_the_first_format_that_claims_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
            PathBuf::from(name)
        };
        let tei = write(
            "letter.xml",
            r#"<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>"#,
        );
        let alto = write(
            "page.xml",
            r#"<?xml version="1.0"?><alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout/></alto>"#,
        );
        let other = write("data.xml", r#"<?xml version="1.0"?><catalogue/>"#);
        assert!(matches!(
            sniff(dir.path(), &tei, "xml"),
            Some(Sniffed::Tei { .. })
        ));
        assert!(matches!(
            sniff(dir.path(), &alto, "xml"),
            Some(Sniffed::Ocr { .. })
        ));
        assert_eq!(sniff(dir.path(), &other, "xml"), None);
        // Only the formats of an extension are tried.
        assert_eq!(sniff(dir.path(), &tei, "json"), None);
        let names: Vec<&str> = FILE_FORMATS.iter().map(|f| f.name).collect();
        assert_eq!(
            names[0], "METS",
            "METS first: it names ALTO files inside it"
        );
    }
}
