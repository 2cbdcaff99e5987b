//! The document model every loader produces and every view reads. It knows
//! nothing of files on disk or of the user interface.

mod archive;
mod date;
mod document;
mod layer;
mod person;

pub use archive::{ArchivePrefix, ArchiveRef, Level, canonical_repository, is_russian_repository};
pub use date::{DateError, FuzzyDate, MONTH_NAMES, Precision, Ymd, days_in_month};
pub use document::{Document, SourceFormat};
pub use layer::{
    DOUBTFUL_BELOW, Layer, LayerKind, NoteAnchor, Origin, Page, PageBreak, Region, RegionKind,
};
pub use person::{Person, Role, bracketed_in_text, split_bracketed};
