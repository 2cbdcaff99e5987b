//! The desktop window: filters on the left, the document list in the
//! centre, the reader on the right (or full width in reading mode).
//!
//! Panels never change the world directly: they return [`Command`]s that
//! [`AppState::apply`] carries out, so tests drive the same code headless.
//! Files are never read on the UI thread: the corpus loads on the
//! `folio-loader` thread, page images decode on `folio-decode-*`, folder
//! listings and the native dialog run on their own threads, and settings
//! are written by `folio-settings`; one-shot jobs run through
//! [`worker::run`], which turns a panic into an error the window shows. [`AppState::poll`] drains their
//! channels each frame within a time budget.

mod app;
mod app_state;
mod apply;
mod command;
pub mod describe;
mod describing;
pub mod display;
pub mod export;
pub mod filters;
pub mod fonts;
mod frame;
pub mod images;
pub mod list;
pub mod loader;
pub mod long_text;
pub mod notes;
mod ocr_job;
pub mod open;
pub mod people;
mod poll;
pub mod reader;
pub mod scan;
pub mod search;
mod search_bar;
pub mod settings;
pub mod style;
pub mod text_body;
mod top_bar;
pub mod view;

pub mod worker;

pub use app::{FolioApp, bundled_documents, run};
pub use app_state::{AppState, LoadJob, Watch};
pub use command::{Command, Move, Pick};
pub use ocr_job::OcrScope;

/// How long one frame may spend draining background results.
const POLL_BUDGET: std::time::Duration = std::time::Duration::from_millis(10);
