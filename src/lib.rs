//! folio: a desktop explorer for archival document corpora.
//!
//! The crate is layered so that each part knows only what is below it:
//!
//! - [`text`]: scripts, languages, transliteration and name folding;
//! - [`model`]: the document model (dates, people, archive references,
//!   layers, pages), free of files and UI;
//! - [`authority`]: people and places with their variant names;
//! - [`bidi`]: right-to-left lines reordered for display;
//! - [`corpus`]: reading a folder into the model, in parallel, and the
//!   snapshot that reopens an unchanged corpus without parsing it;
//! - [`codec`]: the binary encoding of the model used by caches;
//! - [`cache`]: where caches live and how they are written;
//! - [`sidecar`]: where the user's own work about a corpus is kept, and
//!   the only code that writes it (never through a link);
//! - [`notes`]: notes, tags and bookmarks, their merge and their thread;
//! - [`query`]: filters over a loaded corpus;
//! - [`search`]: full-text search (tantivy) in every language and script;
//! - [`order`]: the sort orders of the document list;
//! - [`facets`]: per-document columns and facet counts for the filter panels;
//! - [`synth`]: deterministic synthetic corpora for tests and benchmarks;
//! - [`bench`]: `folio bench`, timings of what users wait for;
//! - [`bench_preview`]: `folio bench-preview`, a scan's first preview
//!   against vipsthumbnail;
//! - [`cli`]: the command-line interface;
//! - [`ui`]: the eframe/egui window.
//!
//! `docs/ARCHITECTURE.md` describes how data flows between them.

pub mod authority;
pub mod bundled;
pub mod cache;
pub mod cli;
pub mod corpus;
pub mod files;
pub mod index;
pub mod model;
pub mod pages;
pub mod research;
pub mod text;
pub mod tools;
pub mod ui;
