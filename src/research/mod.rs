//! The user's research work about a corpus: where it is kept and how it
//! is written ([`sidecar`]), notes, tags and bookmarks ([`notes`]),
//! citations and exports ([`export`]), and edits of the authority file
//! for names to reconcile ([`reconcile`]).

pub mod export;
pub mod notes;
pub mod reconcile;
pub mod sidecar;
