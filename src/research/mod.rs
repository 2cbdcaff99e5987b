//! The user's research work about a corpus: where it is kept and how it
//! is written ([`sidecar`]), notes, tags and bookmarks ([`notes`]),
//! descriptions of documents and pages grouped into them ([`describe`]),
//! citations and exports ([`export`]), and edits of the authority file
//! for names to reconcile ([`reconcile`]).

pub mod describe;
pub mod export;
pub mod notes;
pub mod ocr;
pub mod reconcile;
pub mod sidecar;
