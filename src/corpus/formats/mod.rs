//! Every format folio reads, one file each, each parsing into the one
//! model: structured folders ([`document_toml`]), web clips ([`clip`]),
//! loose images and texts with `metadata.csv` ([`loose`]), TEI
//! ([`tei`]), IIIF manifests ([`iiif`]), METS books ([`mets`]), and ALTO,
//! PAGE XML and hOCR ([`alto_page_hocr`]).

pub mod alto_page_hocr;
pub(crate) mod clip;
pub(crate) mod document_toml;
pub mod iiif;
pub(crate) mod loose;
pub mod mets;
pub mod tei;
