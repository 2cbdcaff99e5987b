//! Notes, tags and bookmarks in the window: the `folio-notes` thread
//! ([`crate::research::notes::service`]) reads the corpus's notes, saves every
//! change, retries failed saves and follows the files; this state keeps
//! what is shown, what did not save and what was edited twice at once;
//! the notes section of the reader ([`section`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

mod section;

pub use section::{NotesData, NotesStatus, NotesView, RegionAnchor};

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
