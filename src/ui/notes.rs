//! Notes, tags and bookmarks in the window: the `folio-notes` thread
//! ([`crate::research::notes::service`]) reads the corpus's notes, saves every
//! change, retries failed saves and follows the files; this state keeps
//! what is shown, what did not save and what was edited twice at once;
//! the notes section of the reader and the "Your notes" filters.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use eframe::egui::{self, RichText};

use super::Command;
use crate::corpus::Corpus;
use crate::model::Document;
use crate::research::notes::service::{Conflict, Event, NotesService, Save};
use crate::research::notes::{DocumentNotes, NoteStore};

/// How often the notes thread looks at the files for changes made by
/// another window or program, and retries saves that failed.
const FOLLOW_EVERY: Duration = Duration::from_secs(2);

/// The notes of the shown corpus and the filters made of them.
#[derive(Debug, Default)]
pub struct NotesState {
    pub store: NoteStore,
    service: Option<NotesService>,
    loading: bool,
    /// Per document, the version on disk this window last took in, with
    /// its generation (see [`crate::research::notes::service`]).
    bases: HashMap<String, (u64, DocumentNotes)>,
    /// Documents whose last save failed, with the reason; the text stays
    /// in the window and the save is tried again.
    pub failed: BTreeMap<String, String>,
    /// Notes edited here and elsewhere at once: both versions kept.
    pub conflicts: Vec<Conflict>,
    /// Only documents with every one of these tags (theirs or the user's).
    pub tags: Vec<String>,
    pub only_with_notes: bool,
    pub only_bookmarked: bool,
    /// A message for the top bar.
    pub problem: Option<String>,
}

impl NotesState {
    /// Starts the notes thread of the corpus at `root` (the previous
    /// corpus's thread finishes its queue first).
    pub fn open(&mut self, root: PathBuf, wake: impl Fn() + Send + 'static) {
        self.flush();
        *self = Self::default();
        match NotesService::start(root, FOLLOW_EVERY, wake) {
            Ok(service) => {
                self.service = Some(service);
                self.loading = true;
            }
            Err(e) => self.problem = Some(format!("cannot read the notes: {e}")),
        }
    }

    /// Takes in what the notes thread sent; true when notes arrived
    /// or changed (filters and counts follow).
    pub fn poll(&mut self) -> bool {
        let mut changed = false;
        let mut budget = 256;
        while budget > 0
            && let Some(event) = self.service.as_ref().and_then(NotesService::try_event)
        {
            budget -= 1;
            changed |= self.take(event);
        }
        changed
    }

    /// Takes one event in; true when notes changed.
    fn take(&mut self, event: Event) -> bool {
        match event {
            Event::Loaded(store) => {
                let store = *store;
                self.loading = false;
                if let Some(first) = store.errors.first() {
                    self.problem = Some(if store.errors.len() == 1 {
                        format!("notes file not read: {first}")
                    } else {
                        format!(
                            "{} notes files not read; first: {first}",
                            store.errors.len()
                        )
                    });
                } else if !store.in_both.is_empty() {
                    self.problem = Some(format!(
                        "{} kept in two places; the newer version of each is shown",
                        crate::text::count(
                            store.in_both.len(),
                            "document's notes",
                            "documents' notes"
                        )
                    ));
                }
                self.bases = store
                    .by_id
                    .iter()
                    .map(|(id, notes)| (id.clone(), (0, notes.clone())))
                    .collect();
                self.store = store;
                true
            }
            Event::Saved {
                generation,
                sent,
                written,
                conflict,
            } => {
                let id = written.document.clone();
                self.failed.remove(&id);
                let changed = written != sent;
                if changed {
                    // Another program's changes joined ours on disk: they
                    // join what is shown too.
                    let current = self.current(&id);
                    let merged = crate::research::notes::merge::merge(&sent, &current, &written);
                    self.store.put(merged.notes);
                }
                self.bases.insert(id, (generation, written));
                if let Some(conflict) = conflict {
                    self.problem = Some(format!(
                        "these notes were changed in another window or program at the same time: yours are shown, theirs are kept in {}",
                        conflict.kept_at.display()
                    ));
                    self.conflicts.retain(|c| c.document != conflict.document);
                    self.conflicts.push(conflict);
                }
                changed
            }
            Event::Changed { generation, notes } => {
                let id = notes.document.clone();
                let current = self.current(&id);
                let base = self
                    .bases
                    .get(&id)
                    .map_or_else(|| DocumentNotes::new(id.clone()), |(_, b)| b.clone());
                if current == base {
                    self.store.put(notes.clone());
                    self.bases.insert(id, (generation, notes));
                } else {
                    // A save of ours is on its way: show both sides'
                    // changes now; the save keeps both where they clash.
                    let merged = crate::research::notes::merge::merge(&base, &current, &notes);
                    self.store.put(merged.notes);
                }
                true
            }
            Event::Failed { document, error } => {
                let reason = error.to_string();
                self.problem = Some(format!(
                    "Notes not saved: {reason}. Your text stays here and folio tries again every few seconds."
                ));
                self.failed.insert(document, reason);
                false
            }
            Event::Unreadable(error) => {
                self.problem = Some(format!("notes file not read: {error}"));
                if !self.store.errors.contains(&error) {
                    self.store.errors.push(error);
                }
                false
            }
        }
    }

    fn current(&self, id: &str) -> DocumentNotes {
        self.store
            .get(id)
            .cloned()
            .unwrap_or_else(|| DocumentNotes::new(id))
    }

    /// Waits (a few seconds at most) for the notes being read: an edit
    /// must start from what is on disk, never replace it.
    fn wait_for_store(&mut self) -> bool {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while self.loading {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let Some(event) = self
                .service
                .as_ref()
                .and_then(|s| s.wait_event(left.max(Duration::from_millis(1))))
            else {
                return false;
            };
            self.take(event);
            if left.is_zero() {
                return !self.loading;
            }
        }
        true
    }

    pub fn is_loading(&self) -> bool {
        self.loading
    }

    pub fn of(&self, id: &str) -> Option<&DocumentNotes> {
        self.store.get(id)
    }

    /// Where notes are kept, in a sentence ("" before they are read).
    pub fn location(&self) -> &str {
        &self.store.sidecar.reason
    }

    /// Changes the notes of document `id` and saves them in the background.
    pub fn edit(&mut self, id: &str, change: impl FnOnce(&mut DocumentNotes)) {
        if !self.wait_for_store() {
            self.problem = Some("the notes are still being read: try again in a moment".into());
            return;
        }
        // A file that could not be read is the user's to fix: never
        // replaced by an edit made without it.
        if let Some(error) = self.store.unreadable(id) {
            self.problem = Some(format!(
                "the notes file {} could not be read, so it is left as it is: fix it or move it away to write notes on this document",
                error.path().display()
            ));
            return;
        }
        let mut notes = self.current(id);
        change(&mut notes);
        let (base_gen, base) = self
            .bases
            .get(id)
            .cloned()
            .unwrap_or_else(|| (0, DocumentNotes::new(id)));
        match &self.service {
            Some(service) => service.save(Save {
                notes: notes.clone(),
                base_gen,
                base,
            }),
            None => {
                self.failed
                    .insert(id.to_owned(), "the notes thread is not running".into());
            }
        }
        self.store.put(notes);
    }

    /// Tries the saves that failed again now.
    pub fn retry(&self) {
        if let Some(service) = &self.service {
            service.retry();
        }
    }

    /// Forgets a conflict the user has seen (both versions stay on disk).
    pub fn dismiss_conflict(&mut self, id: &str) {
        self.conflicts.retain(|c| c.document != id);
    }

    /// Waits until every change asked for is on disk (window closing,
    /// another corpus, tests); returns the documents whose notes could
    /// not be saved.
    pub fn flush(&mut self) -> Vec<String> {
        let Some(service) = self.service.take() else {
            return Vec::new();
        };
        let (unsaved, events) = service.finish();
        for event in events {
            self.take(event);
        }
        unsaved
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

/// Where the shown document's notes are kept and what went wrong.
#[derive(Debug, Clone, Copy, Default)]
pub struct NotesStatus<'a> {
    /// "Your notes for this corpus are kept in …".
    pub location: &'a str,
    /// Why the last save failed (the text stays, saves are retried).
    pub failed: Option<&'a str>,
    /// The other version, when both were edited at once.
    pub conflict: Option<&'a Conflict>,
}

/// The failed save and the conflict of the shown document, with what the
/// user can do about them.
fn status(ui: &mut egui::Ui, status: &NotesStatus<'_>, id: &str, commands: &mut Vec<Command>) {
    if let Some(reason) = status.failed {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "⚠ Not saved: {reason}. Your text stays here; folio tries again every few seconds."
                ))
                .color(ui.visuals().error_fg_color),
            );
            if ui.button("Try again now").clicked() {
                commands.push(Command::RetryNotes);
            }
        });
    }
    if let Some(conflict) = status.conflict {
        ui.label(
            RichText::new(format!(
                "⚠ {} changed in another window or program at the same time as here. Yours are shown; theirs are kept in {}.",
                super::display::capitalized(&conflict.fields.join(", ")),
                conflict.kept_at.display()
            ))
            .color(ui.visuals().warn_fg_color),
        );
        if !conflict.theirs.note.trim().is_empty() {
            ui.label(RichText::new("Their note:").weak());
            ui.label(super::display::first_lines(&conflict.theirs.note, 6));
        }
        ui.horizontal(|ui| {
            if ui.button("Use their version").clicked() {
                commands.push(Command::UseTheirNotes(id.to_owned()));
            }
            if ui.button("Keep mine").clicked() {
                commands.push(Command::KeepMyNotes(id.to_owned()));
            }
        });
    }
}

/// The notes section of the reader: where notes are kept and any problem
/// saving them, bookmark, tags with completion, the document's note, the
/// shown page's note and the chosen line's note.
#[allow(clippy::too_many_arguments)]
pub fn section(
    ui: &mut egui::Ui,
    notes: Option<&DocumentNotes>,
    note_status: &NotesStatus<'_>,
    page: usize,
    region: Option<&RegionAnchor>,
    all_tags: &[String],
    view: &mut NotesView,
    commands: &mut Vec<Command>,
) {
    let empty = DocumentNotes::default();
    let notes = notes.unwrap_or(&empty);
    let id = note_status
        .conflict
        .map_or(notes.document.as_str(), |c| c.document.as_str());
    status(ui, note_status, id, commands);
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
                super::display::display_line(&region.text)
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
                        super::display::first_line(&page_note.note)
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
                        super::display::first_line(&region_note.text),
                        super::display::first_line(&region_note.note)
                    ))
                    .clicked()
                {
                    commands.push(Command::SetPage(region_note.page.saturating_sub(1)));
                }
            }
        });
    }
    if !note_status.location.is_empty() {
        ui.label(RichText::new(note_status.location).weak());
    }
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
