//! What panels ask for: every change to the window's world is a
//! [`Command`], carried out in one place ([`super::AppState::apply`]).

use std::path::PathBuf;

use crate::index::filter::Who;
use crate::model::{ArchivePrefix, Ymd};

use super::people;
use super::reader::PaneContent;
use super::settings::{SortKey, Theme};

/// How a click on a row chooses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Only,
    Toggle,
    Range,
}

/// A move of the list selection by keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    First,
    Last,
}

/// Something the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Load the corpus in this folder (the current one stays until it is done).
    Open(PathBuf),
    CancelLoad,
    /// Ask the desktop for a folder (falls back to [`Command::Browse`]).
    ChooseFolder,
    /// folio's own folder chooser, starting in this folder.
    Browse(Option<PathBuf>),
    CloseChooser,
    /// Documents whose dates reach into `[from, to]`.
    SetDates {
        from: Option<Ymd>,
        to: Option<Ymd>,
    },
    SetIncludeUndated(bool),
    ToggleAuthor(Who),
    ToggleRecipient(Who),
    /// Documents in an archive subtree, or all.
    SelectArchive(Option<ArchivePrefix>),
    /// A language key ([`crate::index::filter::language_key`]).
    ToggleOriginalLanguage(String),
    ToggleLayerLanguage(String),
    /// A kind, folded.
    ToggleKind(String),
    ClearFilters,
    /// Sort the list by this key (again: reverse the order).
    SetSort(SortKey),
    /// Open a document (corpus index) in the reader, or close it.
    OpenDocument(Option<u32>),
    MoveSelection(Move),
    /// The reader alone, full width (Enter), or beside the list (Escape).
    SetReading(bool),
    SetPage(usize),
    SetPane {
        slot: usize,
        content: PaneContent,
    },
    SetPaneCount(usize),
    SetPaneFractions(Vec<f32>),
    ChangeTextSize(f32),
    SetTheme(Theme),
    SetShowFilters(bool),
    SetShowList(bool),
    /// Show a thumbnail of each document's first page in the list.
    SetListThumbnails(bool),
    /// The timeline's height in points, dragged by the user.
    SetTimelineHeight(f32),
    SetShowErrors(bool),
    /// The search box's text changed.
    Search(String),
    /// Go to the next (or previous) hit in the open document.
    NextHit,
    PreviousHit,
    /// Put the keyboard in the search box (Ctrl+F).
    FocusSearch,
    /// Copy the open document in this format (a citation, CSL-JSON, …).
    CopyDocument(crate::research::export::Format),
    /// Copy the listed documents in this format.
    CopySelection(crate::research::export::Format),
    /// Ask where to save the listed documents in this format.
    ExportSelection(crate::research::export::Format),
    SaveExport {
        format: crate::research::export::Format,
        path: PathBuf,
    },
    CloseExport,
    /// Notes of the open document, its shown page and its chosen line.
    SetDocumentNote(String),
    SetPageNote(String),
    SetRegionNote(String),
    AddTag(String),
    RemoveTag(String),
    SetBookmark(bool),
    /// Try the notes saves that failed again now.
    RetryNotes,
    /// Take the other window's or program's version of a document's
    /// notes that clashed with ours.
    UseTheirNotes(String),
    /// Keep ours (both versions stay on disk).
    KeepMyNotes(String),
    /// Filters made of the user's notes.
    ToggleTag(String),
    SetOnlyWithNotes(bool),
    SetOnlyBookmarked(bool),
    /// The page of the person written so, or close it.
    ShowPerson(Option<String>),
    ShowReconcile(bool),
    ChangeAuthority(people::AuthorityChange),
    /// Rows of the list chosen (for grouping and batch edits): only this
    /// one, this one too (Ctrl+click), or every row from the last chosen
    /// to this one (Shift+click).
    Pick {
        index: u32,
        how: Pick,
    },
    /// Shift+↑/↓: the next row is chosen too and opened.
    ExtendPick(Move),
    ClearPicked,
    /// Set fields of the descriptions of these documents.
    Describe {
        ids: Vec<String>,
        fields: Vec<crate::research::describe::edit::Field>,
    },
    /// Fields for each of several documents, as one change (one undo).
    DescribeEach(Vec<(String, Vec<crate::research::describe::edit::Field>)>),
    /// The pages of the chosen rows, in list order, become one document.
    GroupPicked,
    /// Give the pages of a document grouped in folio back.
    Ungroup(String),
    /// Split the open document before its page `at` (0-based).
    Split {
        at: usize,
    },
    /// Move a page of the open document (0-based positions).
    MovePage {
        from: usize,
        to: usize,
    },
    /// Move a page of the open document to the end of another document.
    MovePageTo {
        page: usize,
        document: String,
    },
    /// Number the open document's folios from page `from` (0-based).
    NumberFolios {
        from: usize,
        start: u32,
        recto_verso: bool,
    },
    /// Undo the last change to descriptions.
    UndoDescribe,
    /// The window of suggested groups of photographs (open or close).
    ShowSuggestions(bool),
    /// Make each of these lists of document ids one document.
    AcceptGroups(Vec<Vec<String>>),
    /// The text of page `page` of layer `layer` of the open document, as
    /// the user typed it.
    EditPage {
        layer: usize,
        page: usize,
        text: String,
    },
    /// A new text of this kind (`translation`…) and language for the open
    /// document, empty on every page; shown in reading pane `pane` once made.
    NewText {
        kind: String,
        language: String,
        pane: Option<usize>,
    },
    /// Read the text of these pages with Tesseract.
    Ocr(super::ocr_job::OcrScope),
    CancelOcr,
    /// Write the open document as a `document.toml` folder inside this
    /// folder (outside the corpus).
    WriteFolder(PathBuf),
    /// The batch editor for the chosen rows (open or close).
    ShowBatch(bool),
    /// Colour the timeline's bars by author or archive (or not).
    SetTimelineColour(crate::index::facets::GroupBy),
}
