//! Notes, tags and bookmarks in the window: the corpus's `NoteStore` read
//! on the `folio-notes-read` thread, every change saved by the
//! `folio-notes` thread (latest version per document, atomic files), the
//! notes section of the reader and the "Your notes" filters.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError};

use eframe::egui::{self, RichText};

use super::Command;
use super::worker::Outcome;
use crate::corpus::Corpus;
use crate::model::Document;
use crate::notes::{DocumentNotes, NoteStore, NotesError};

/// The notes of the shown corpus and the filters made of them.
#[derive(Debug, Default)]
pub struct NotesState {
    pub store: NoteStore,
    loading: Option<Receiver<Outcome<NoteStore>>>,
    writer: Option<NotesWriter>,
    /// Only documents with every one of these tags (theirs or the user's).
    pub tags: Vec<String>,
    pub only_with_notes: bool,
    pub only_bookmarked: bool,
    /// The last save that failed, for the top bar.
    pub problem: Option<String>,
}

impl NotesState {
    /// Starts reading the notes of the corpus at `root` (the previous
    /// corpus's writer finishes its queue first).
    pub fn open(&mut self, root: PathBuf) {
        *self = Self::default();
        match super::worker::run("folio-notes-read", "notes reader", move || {
            NoteStore::load(&root)
        }) {
            Ok(receiver) => self.loading = Some(receiver),
            Err(e) => self.problem = Some(format!("cannot read the notes: {e}")),
        }
    }

    /// Takes the store once read; true when it arrived (filters change).
    pub fn poll(&mut self) -> bool {
        if let Some(job) = &self.writer
            && let Some(problem) = job.poll()
        {
            self.problem = Some(problem.to_string());
        }
        let Some(receiver) = &self.loading else {
            return false;
        };
        match receiver.try_recv() {
            Ok(outcome) => self.take_store(outcome),
            Err(TryRecvError::Empty) => false,
            Err(TryRecvError::Disconnected) => {
                self.loading = None;
                false
            }
        }
    }

    /// Keeps what the reader thread read; true when a store arrived.
    fn take_store(&mut self, outcome: Outcome<NoteStore>) -> bool {
        self.loading = None;
        match outcome {
            Ok(store) => {
                if let Some(first) = store.errors.first() {
                    self.problem = Some(if store.errors.len() == 1 {
                        format!("notes file not read: {first}")
                    } else {
                        format!(
                            "{} notes files not read; first: {first}",
                            store.errors.len()
                        )
                    });
                }
                self.store = store;
                true
            }
            Err(stopped) => {
                self.problem = Some(stopped);
                false
            }
        }
    }

    /// Waits (a few seconds at most) for the notes being read: an edit
    /// must start from what is on disk, never replace it.
    fn wait_for_store(&mut self) -> bool {
        let Some(receiver) = &self.loading else {
            return true;
        };
        match receiver.recv_timeout(std::time::Duration::from_secs(5)) {
            Ok(outcome) => {
                self.take_store(outcome);
                true
            }
            Err(_) => false,
        }
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    pub fn of(&self, id: &str) -> Option<&DocumentNotes> {
        self.store.get(id)
    }

    /// Changes the notes of document `id` and saves them in the background.
    pub fn edit(&mut self, id: &str, change: impl FnOnce(&mut DocumentNotes)) {
        if !self.wait_for_store() {
            self.problem = Some("the notes are still being read: try again in a moment".into());
            return;
        }
        // A file that could not be read is the user's to fix: never
        // replaced by an edit made without it.
        let file = crate::notes::file_name(id);
        if let Some(NotesError::Read { path, .. }) = self.store.errors.iter().find(|e| {
            matches!(e, NotesError::Read { path, .. }
                if path.file_name().is_some_and(|n| n.to_string_lossy() == file))
        }) {
            self.problem = Some(format!(
                "the notes file {} could not be read, so it is left as it is: fix it or move it away to write notes on this document",
                path.display()
            ));
            return;
        }
        let mut notes = self
            .store
            .get(id)
            .cloned()
            .unwrap_or_else(|| DocumentNotes::new(id));
        change(&mut notes);
        if self.writer.is_none() {
            match NotesWriter::spawn(self.store.location.clone()) {
                Ok(writer) => self.writer = Some(writer),
                Err(e) => {
                    self.problem = Some(format!("cannot save notes: {e}"));
                }
            }
        }
        if let Some(writer) = &self.writer {
            writer.save(notes.clone());
        }
        self.store.put(notes);
    }

    /// Waits until every change asked for is on disk (window closing, tests).
    pub fn flush(&mut self) {
        if let Some(writer) = self.writer.take() {
            writer.finish();
        }
    }

    pub fn filtering(&self) -> bool {
        !self.tags.is_empty() || self.only_with_notes || self.only_bookmarked
    }

    /// Which documents pass the notes filters (`None`: no such filter).
    pub fn marks(&self, corpus: &Corpus) -> Option<Arc<Vec<bool>>> {
        if !self.filtering() {
            return None;
        }
        let passes = |doc: &Document| {
            let notes = self.store.get(&doc.id);
            if self.only_bookmarked && !notes.is_some_and(|n| n.bookmarked) {
                return false;
            }
            if self.only_with_notes && !notes.is_some_and(DocumentNotes::has_notes) {
                return false;
            }
            self.tags.iter().all(|tag| {
                doc.tags.iter().any(|t| t == tag)
                    || notes.is_some_and(|n| n.tags.iter().any(|t| t == tag))
            })
        };
        Some(Arc::new(corpus.documents.iter().map(passes).collect()))
    }

    /// Tags of `documents` (their own and the user's) with counts, most
    /// used first; plus how many have notes and bookmarks.
    pub fn counts(&self, corpus: &Corpus, documents: &[u32]) -> TagCounts {
        let mut tags: HashMap<&str, u32> = HashMap::new();
        let mut counts = TagCounts::default();
        for doc in documents
            .iter()
            .filter_map(|&i| corpus.documents.get(i as usize))
        {
            let notes = self.store.get(&doc.id);
            for tag in &doc.tags {
                *tags.entry(tag).or_insert(0) += 1;
            }
            if let Some(notes) = notes {
                for tag in notes.tags.iter().filter(|t| !doc.tags.contains(t)) {
                    *tags.entry(tag).or_insert(0) += 1;
                }
                counts.with_notes += u32::from(notes.has_notes());
                counts.bookmarked += u32::from(notes.bookmarked);
            }
        }
        counts.tags = tags.into_iter().map(|(t, n)| (t.to_owned(), n)).collect();
        counts
            .tags
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }

    /// Every tag in the corpus and the notes, for completion.
    pub fn all_tags(&self, corpus: &Corpus) -> Vec<String> {
        let mut tags: BTreeSet<&str> = BTreeSet::new();
        for doc in &corpus.documents {
            tags.extend(doc.tags.iter().map(String::as_str));
        }
        tags.extend(self.store.tags().into_keys());
        tags.into_iter().map(str::to_owned).collect()
    }
}

/// Tag and notes counts over the selection, for the filter panel.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TagCounts {
    pub tags: Vec<(String, u32)>,
    pub with_notes: u32,
    pub bookmarked: u32,
}

/// The `folio-notes` thread: writes each document's latest notes.
#[derive(Debug)]
struct NotesWriter {
    sender: Option<SyncSender<DocumentNotes>>,
    problems: Receiver<NotesError>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl NotesWriter {
    fn spawn(location: crate::notes::NotesLocation) -> std::io::Result<Self> {
        let (sender, receiver) = mpsc::sync_channel::<DocumentNotes>(256);
        let (problem_sender, problems) = mpsc::sync_channel(16);
        let thread = std::thread::Builder::new()
            .name("folio-notes".into())
            .spawn(move || {
                while let Ok(first) = receiver.recv() {
                    // Typing sends a version per key: write only the latest
                    // of each document that is waiting.
                    let mut latest: Vec<DocumentNotes> = vec![first];
                    while let Ok(next) = receiver.try_recv() {
                        match latest.iter_mut().find(|n| n.document == next.document) {
                            Some(slot) => *slot = next,
                            None => latest.push(next),
                        }
                    }
                    for notes in &latest {
                        if let Err(e) = location.save(notes) {
                            let _ = problem_sender.try_send(e);
                        }
                    }
                }
            })?;
        Ok(Self {
            sender: Some(sender),
            problems,
            thread: Some(thread),
        })
    }

    fn save(&self, notes: DocumentNotes) {
        if let Some(sender) = &self.sender {
            // Blocks only when 256 versions wait, which the writer soon drains.
            let _ = sender.send(notes);
        }
    }

    fn poll(&self) -> Option<NotesError> {
        self.problems.try_recv().ok()
    }

    fn finish(mut self) {
        self.sender = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for NotesWriter {
    fn drop(&mut self) {
        // Every queued save is written before the window goes.
        self.sender = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What the reader's notes section edits.
#[derive(Debug, Default)]
pub struct NotesView {
    /// The tag being typed.
    pub tag_input: String,
}

/// Where a region note attaches: the page (1-based), the region's index
/// among the page's regions, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionAnchor {
    pub page: usize,
    pub region: usize,
    pub text: String,
}

/// The notes section of the reader: bookmark, tags with completion, the
/// document's note, the shown page's note and the chosen line's note.
pub fn section(
    ui: &mut egui::Ui,
    notes: Option<&DocumentNotes>,
    page: usize,
    region: Option<&RegionAnchor>,
    all_tags: &[String],
    view: &mut NotesView,
    commands: &mut Vec<Command>,
) {
    let empty = DocumentNotes::default();
    let notes = notes.unwrap_or(&empty);
    ui.horizontal_wrapped(|ui| {
        let (star, tip) = if notes.bookmarked {
            ("★ Bookmarked", "Remove the bookmark")
        } else {
            ("☆ Bookmark", "Bookmark this document")
        };
        if ui
            .selectable_label(notes.bookmarked, star)
            .on_hover_text(tip)
            .clicked()
        {
            commands.push(Command::SetBookmark(!notes.bookmarked));
        }
        let tags_label = ui.label(RichText::new("Tags:").weak());
        for tag in &notes.tags {
            if ui
                .small_button(format!("{tag} ✕"))
                .on_hover_text("Remove this tag")
                .clicked()
            {
                commands.push(Command::RemoveTag(tag.clone()));
            }
        }
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut view.tag_input)
                    .id(egui::Id::unique("folio-tag-input"))
                    .hint_text("add a tag")
                    .desired_width(120.0),
            )
            .labelled_by(tags_label.id);
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            commands.push(Command::AddTag(std::mem::take(&mut view.tag_input)));
            field.request_focus();
        }
        let typed = crate::text::fold(view.tag_input.trim());
        if !typed.is_empty() {
            let suggestions = all_tags
                .iter()
                .filter(|t| !notes.tags.contains(t) && crate::text::fold(t).contains(&typed))
                .take(6);
            for tag in suggestions {
                if ui.small_button(format!("+ {tag}")).clicked() {
                    commands.push(Command::AddTag(tag.clone()));
                    view.tag_input.clear();
                }
            }
        }
    });
    let mut note = notes.note.clone();
    let label = ui.label(RichText::new("Note (Markdown)").weak());
    if ui
        .add(
            egui::TextEdit::multiline(&mut note)
                .id(egui::Id::unique("folio-document-note"))
                .hint_text("What this document is, what to check, where it leads…")
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id)
        .changed()
    {
        commands.push(Command::SetDocumentNote(note));
    }
    let mut page_note = notes.page_note(page + 1).to_owned();
    let label = ui.label(RichText::new(format!("Note on page {}", page + 1)).weak());
    if ui
        .add(
            egui::TextEdit::multiline(&mut page_note)
                .id(egui::Id::unique("folio-page-note"))
                .desired_rows(1)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id)
        .changed()
    {
        commands.push(Command::SetPageNote(page_note));
    }
    if let Some(region) = region {
        let mut region_note = notes.region_note(region.page, region.region).to_owned();
        let label = ui.label(
            RichText::new(format!(
                "Note on the chosen line: {}",
                crate::ui::list::display_line(&region.text)
            ))
            .weak(),
        );
        if ui
            .add(
                egui::TextEdit::multiline(&mut region_note)
                    .id(egui::Id::unique("folio-region-note"))
                    .desired_rows(1)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
            .changed()
        {
            commands.push(Command::SetRegionNote(region_note));
        }
    }
    let other_regions: Vec<_> = notes
        .regions
        .iter()
        .filter(|r| region.is_none_or(|a| (a.page, a.region) != (r.page, r.region)))
        .collect();
    if !notes.pages.is_empty() || !other_regions.is_empty() {
        egui::CollapsingHeader::new(format!(
            "All notes on pages and lines ({})",
            notes.pages.len() + notes.regions.len()
        ))
        .id_salt("folio-all-notes")
        .show(ui, |ui| {
            for page_note in &notes.pages {
                if ui
                    .link(format!(
                        "Page {}: {}",
                        page_note.page,
                        first_line(&page_note.note)
                    ))
                    .clicked()
                {
                    commands.push(Command::SetPage(page_note.page.saturating_sub(1)));
                }
            }
            for region_note in &notes.regions {
                if ui
                    .link(format!(
                        "Page {}, “{}”: {}",
                        region_note.page,
                        first_line(&region_note.text),
                        first_line(&region_note.note)
                    ))
                    .clicked()
                {
                    commands.push(Command::SetPage(region_note.page.saturating_sub(1)));
                }
            }
        });
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut short: String = line.chars().take(60).collect();
    if line.chars().count() > 60 {
        short.push('…');
    }
    short
}

/// The "Your notes" part of the filter panel.
pub fn filters(
    ui: &mut egui::Ui,
    state: &NotesState,
    counts: &TagCounts,
    commands: &mut Vec<Command>,
) {
    let mut bookmarked = state.only_bookmarked;
    if ui
        .checkbox(
            &mut bookmarked,
            format!("Bookmarked ({})", counts.bookmarked),
        )
        .changed()
    {
        commands.push(Command::SetOnlyBookmarked(bookmarked));
    }
    let mut with_notes = state.only_with_notes;
    if ui
        .checkbox(
            &mut with_notes,
            format!("Has notes ({})", counts.with_notes),
        )
        .changed()
    {
        commands.push(Command::SetOnlyWithNotes(with_notes));
    }
    // Chosen tags first (they may count 0 after other filters), then the rest.
    let mut shown: Vec<(String, u32)> = state
        .tags
        .iter()
        .map(|t| {
            let n = counts
                .tags
                .iter()
                .find(|(c, _)| c == t)
                .map_or(0, |(_, n)| *n);
            (t.clone(), n)
        })
        .collect();
    shown.extend(
        counts
            .tags
            .iter()
            .filter(|(t, _)| !state.tags.contains(t))
            .take(40)
            .cloned(),
    );
    if shown.is_empty() {
        ui.label(RichText::new("No tags yet: add them in the reader").weak());
    }
    ui.horizontal_wrapped(|ui| {
        for (tag, count) in shown {
            let chosen = state.tags.contains(&tag);
            if ui
                .selectable_label(chosen, format!("{tag} ({count})"))
                .clicked()
            {
                commands.push(Command::ToggleTag(tag));
            }
        }
    });
}
