//! The `folio-notes` thread: reads the notes of a corpus, saves each
//! change (only the latest version of a document waiting in its queue),
//! finds out when another window or program changed a file since this
//! window last saw it (then merges, or keeps both versions), retries
//! saves that failed (a full disk, an unplugged drive) until they succeed,
//! and follows the notes folders for changes made elsewhere.
//!
//! Generations make the merge exact. Every version the thread writes or
//! finds on disk gets a number, and the window keeps, per document, the
//! last one it took in (its *base*). A save carries that base: when the
//! thread knows a newer version than the base, the window had not seen
//! it yet, so the base is the common ancestor; otherwise the last version
//! the thread knows is. A file on disk that differs from that ancestor was
//! changed by someone else, and [`super::merge::merge`] joins the two.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::time::Duration;

use super::{DocumentNotes, KIND, NoteStore, NotesError, file_name, read_file};
use crate::research::sidecar::{Place, Sidecar, Stamp};

/// A version of one document's notes to write, and what it was made from.
#[derive(Debug, Clone)]
pub struct Save {
    pub notes: DocumentNotes,
    /// The generation of the version the window last took in (0: as read
    /// at open), and that version.
    pub base_gen: u64,
    pub base: DocumentNotes,
}

/// Both versions kept where one field was changed two ways at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub document: String,
    /// What both changed, in words.
    pub fields: Vec<String>,
    /// The other version, whole; also kept in `kept_at`.
    pub theirs: DocumentNotes,
    pub kept_at: PathBuf,
}

/// What the thread tells the window (a few per save: their size does
/// not matter).
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Event {
    /// Every notes file as read at open (first event).
    Loaded(Box<NoteStore>),
    /// `sent` is on disk as `written` (merged with another program's
    /// changes when they differ).
    Saved {
        generation: u64,
        sent: DocumentNotes,
        written: DocumentNotes,
        conflict: Option<Conflict>,
    },
    /// Another window or program changed a document's notes.
    Changed {
        generation: u64,
        notes: DocumentNotes,
    },
    /// A save failed; the version stays queued and is tried again.
    Failed { document: String, error: NotesError },
    /// A notes file that appeared or changed cannot be read.
    Unreadable(NotesError),
}

enum Request {
    Save(Box<Save>),
    RetryNow,
}

/// The running thread; dropping it writes what is queued first.
#[derive(Debug)]
pub struct NotesService {
    requests: Option<SyncSender<Request>>,
    events: Receiver<Event>,
    thread: Option<std::thread::JoinHandle<Vec<String>>>,
}

impl NotesService {
    /// Starts the thread for the corpus at `root`: it decides where the
    /// notes are kept ([`Sidecar::of`]), reads them, then serves saves and
    /// looks at the files every `follow_every`. `wake` is called after
    /// each event (to repaint an idle window).
    pub fn start(
        root: PathBuf,
        follow_every: Duration,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        Self::start_with(move || Sidecar::of(&root), follow_every, wake)
    }

    /// As [`Self::start`], with the sidecar made by `sidecar` on the thread.
    pub fn start_with(
        sidecar: impl FnOnce() -> Sidecar + Send + 'static,
        follow_every: Duration,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let (requests, receiver) = mpsc::sync_channel(256);
        let (events, event_receiver) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("folio-notes".into())
            .spawn(move || {
                let mut worker = Worker::open(sidecar(), events, Box::new(wake));
                worker.run(&receiver, follow_every)
            })?;
        Ok(Self {
            requests: Some(requests),
            events: event_receiver,
            thread: Some(thread),
        })
    }

    /// Queues a version to save (blocks only while 256 wait).
    pub fn save(&self, save: Save) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(Request::Save(Box::new(save)));
        }
    }

    /// Tries the failed saves again now.
    pub fn retry(&self) {
        if let Some(requests) = &self.requests {
            let _ = requests.try_send(Request::RetryNow);
        }
    }

    /// The next event, if any.
    pub fn try_event(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// The next event, waiting at most `timeout`.
    pub fn wait_event(&self, timeout: Duration) -> Option<Event> {
        self.events.recv_timeout(timeout).ok()
    }

    /// Writes what is queued, tries failed saves once more, and stops;
    /// returns the documents whose notes could still not be saved, and
    /// the events not taken yet.
    pub fn finish(mut self) -> (Vec<String>, Vec<Event>) {
        self.requests = None;
        let unsaved = self
            .thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default();
        (unsaved, self.events.try_iter().collect())
    }
}

impl Drop for NotesService {
    fn drop(&mut self) {
        // Every queued save is written before the window goes.
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The last version of a document the thread wrote or found on disk.
#[derive(Debug)]
struct Known {
    generation: u64,
    notes: DocumentNotes,
}

struct Worker {
    places: Vec<Place>,
    events: Sender<Event>,
    wake: Box<dyn Fn() + Send>,
    known: HashMap<String, Known>,
    generation: u64,
    /// The stamps of the notes files at the last look, per place.
    seen: HashMap<(usize, OsString), Stamp>,
    /// Unreadable files already reported, by name and stamp.
    reported: BTreeSet<(usize, OsString, Stamp)>,
    /// Saves that failed, tried again at every look.
    pending: BTreeMap<String, Save>,
}

impl Worker {
    fn open(sidecar: Sidecar, events: Sender<Event>, wake: Box<dyn Fn() + Send>) -> Self {
        let places: Vec<Place> = sidecar.places().cloned().collect();
        let mut worker = Self {
            places,
            events,
            wake,
            known: HashMap::new(),
            generation: 0,
            seen: HashMap::new(),
            reported: BTreeSet::new(),
            pending: BTreeMap::new(),
        };
        // Stamps first: a file changed while the store is read is seen as
        // changed at the first look.
        worker.look(false);
        let store = NoteStore::load_sidecar(sidecar);
        for (id, notes) in &store.by_id {
            worker.known.insert(
                id.clone(),
                Known {
                    generation: 0,
                    notes: notes.clone(),
                },
            );
        }
        worker.send(Event::Loaded(Box::new(store)));
        worker
    }

    fn send(&self, event: Event) {
        let _ = self.events.send(event);
        (self.wake)();
    }

    fn run(&mut self, requests: &Receiver<Request>, follow_every: Duration) -> Vec<String> {
        loop {
            match requests.recv_timeout(follow_every) {
                Ok(first) => {
                    // Typing sends a version per key: write only the latest
                    // of each document that is waiting.
                    let mut latest: Vec<Save> = Vec::new();
                    let mut retry = false;
                    for request in std::iter::once(first).chain(requests.try_iter()) {
                        match request {
                            Request::Save(save) => {
                                match latest
                                    .iter_mut()
                                    .find(|s| s.notes.document == save.notes.document)
                                {
                                    Some(slot) => *slot = *save,
                                    None => latest.push(*save),
                                }
                            }
                            Request::RetryNow => retry = true,
                        }
                    }
                    for save in latest {
                        self.pending.remove(&save.notes.document);
                        self.save(save);
                    }
                    if retry {
                        self.retry();
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    self.retry();
                    self.look(true);
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.retry();
                    return self.pending.keys().cloned().collect();
                }
            }
        }
    }

    fn retry(&mut self) {
        for (_, save) in std::mem::take(&mut self.pending) {
            self.save(save);
        }
    }

    /// The newest version of document `id` in any place (`None`: no file).
    fn on_disk(&self, id: &str) -> Result<Option<DocumentNotes>, NotesError> {
        let name = file_name(id);
        let mut newest: Option<super::Found> = None;
        for (index, place) in self.places.iter().enumerate() {
            if let Some(found) = read_file(place, index, &name)?
                && newest
                    .as_ref()
                    .is_none_or(|n| found.stamp.modified_ns > n.stamp.modified_ns)
            {
                newest = Some(found);
            }
        }
        Ok(newest.map(|f| f.notes))
    }

    fn save(&mut self, save: Save) {
        let id = save.notes.document.clone();
        let fail = |this: &mut Self, save: Save, error: NotesError| {
            this.pending.insert(save.notes.document.clone(), save);
            this.send(Event::Failed {
                document: id.clone(),
                error,
            });
        };
        let disk = match self.on_disk(&id) {
            Ok(disk) => disk.unwrap_or_else(|| DocumentNotes::new(id.clone())),
            Err(error) => {
                // Never replaced by an edit made without it.
                let error = NotesError::Write {
                    path: error.path().to_owned(),
                    reason: format!(
                        "the file there cannot be read ({}), so it is left as it is",
                        error.reason()
                    ),
                };
                return fail(self, save, error);
            }
        };
        let ancestor = match self.known.get(&id) {
            Some(known) if known.generation <= save.base_gen => &known.notes,
            _ => &save.base,
        };
        let merged = if disk == *ancestor || disk == save.notes {
            super::merge::Merged {
                notes: save.notes.clone(),
                conflicts: Vec::new(),
            }
        } else {
            super::merge::merge(ancestor, &save.notes, &disk)
        };
        let mut conflict = None;
        if !merged.conflicts.is_empty() {
            match self.keep_theirs(&disk) {
                Ok(kept_at) => {
                    conflict = Some(Conflict {
                        document: id.clone(),
                        fields: merged.conflicts.clone(),
                        theirs: disk.clone(),
                        kept_at,
                    });
                }
                Err(error) => return fail(self, save, error),
            }
        }
        let Some(place) = self.places.first() else {
            return;
        };
        if let Err(error) = super::save(place, &merged.notes) {
            return fail(self, save, error);
        }
        self.generation += 1;
        self.known.insert(
            id,
            Known {
                generation: self.generation,
                notes: merged.notes.clone(),
            },
        );
        self.send(Event::Saved {
            generation: self.generation,
            sent: save.notes,
            written: merged.notes,
            conflict,
        });
    }

    /// Keeps the other version whole beside the notes file (a name the
    /// store does not read as notes); returns its path.
    fn keep_theirs(&self, theirs: &DocumentNotes) -> Result<PathBuf, NotesError> {
        let Some(place) = self.places.first() else {
            return Err(NotesError::Write {
                path: PathBuf::new(),
                reason: "no place to save".into(),
            });
        };
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let name = format!("{}.conflict-{seconds}", file_name(&theirs.document));
        let path = place.dir(KIND).join(&name);
        let text = theirs.to_toml()?;
        place
            .write(KIND, &name, text.as_bytes())
            .map_err(|e| NotesError::Write {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        Ok(path)
    }

    /// Looks at every notes file's stamp; files that changed are read,
    /// and versions this window has not seen are sent (`tell`).
    fn look(&mut self, tell: bool) {
        let mut changed: BTreeSet<OsString> = BTreeSet::new();
        let mut now_seen = HashMap::new();
        for (index, place) in self.places.iter().enumerate() {
            let Ok(listing) = place.list(KIND) else {
                continue;
            };
            for (name, stamp) in listing {
                if Path::new(&name).extension().is_none_or(|e| e != "toml") {
                    continue;
                }
                let key = (index, name);
                if self.seen.get(&key) != Some(&stamp) {
                    changed.insert(key.1.clone());
                }
                now_seen.insert(key, stamp);
            }
        }
        for key in self.seen.keys() {
            if !now_seen.contains_key(key) {
                changed.insert(key.1.clone()); // removed
            }
        }
        self.seen = now_seen;
        if !tell {
            return;
        }
        for name in changed {
            self.follow(&name);
        }
    }

    /// Reads the notes files named `name` in every place and tells the
    /// window when they hold a version it has not seen.
    fn follow(&mut self, name: &OsString) {
        let text = name.to_string_lossy().into_owned();
        let mut id = None;
        for (index, place) in self.places.iter().enumerate() {
            match read_file(place, index, &text) {
                Ok(Some(found)) => id = Some(found.notes.document),
                Ok(None) => {}
                Err(error) => {
                    let stamp = self
                        .seen
                        .get(&(index, name.clone()))
                        .copied()
                        .unwrap_or_default();
                    if self.reported.insert((index, name.clone(), stamp)) {
                        self.send(Event::Unreadable(error));
                    }
                    return;
                }
            }
        }
        let id = id.or_else(|| self.known.keys().find(|id| file_name(id) == text).cloned());
        let Some(id) = id else {
            return;
        };
        let Ok(disk) = self.on_disk(&id) else {
            return;
        };
        let disk = disk.unwrap_or_else(|| DocumentNotes::new(id.clone()));
        let empty = DocumentNotes::new(id.clone());
        let known = self.known.get(&id).map_or(&empty, |k| &k.notes);
        if disk == *known {
            return;
        }
        self.generation += 1;
        self.known.insert(
            id,
            Known {
                generation: self.generation,
                notes: disk.clone(),
            },
        );
        self.send(Event::Changed {
            generation: self.generation,
            notes: disk,
        });
    }
}
