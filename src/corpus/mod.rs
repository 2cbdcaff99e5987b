//! Loading a corpus folder: walk it, decide what each entry is, parse the
//! entries in parallel on background threads, and collect the documents
//! and the per-entry errors. Nothing in the folder is ever written.
//!
//! The walk ([`plan`]) is one thread: it lists folders in sorted order,
//! skips hidden entries, refuses symlinks that leave the corpus, never
//! follows a symlink loop, and groups files into [`Entry`] values. The
//! parse ([`load`]) hands entries to worker threads and puts the results
//! back in entry order, so the outcome is the same on every run.

mod clip;
mod folio;
mod loose;
mod read;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

use serde::Serialize;

use crate::authority::{AUTHORITY_FILE, Authority};
use crate::model::Document;

pub use clip::parse_clip;
pub use folio::DOCUMENT_FILE;
pub use loose::METADATA_FILE;
pub use read::{MAX_TEXT_BYTES, check_inside, describe_toml_error, read_text};
pub use walk::{Entry, Plan, natural_cmp, plan};

/// An entry of the corpus that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadError {
    /// Relative to the corpus root.
    pub path: PathBuf,
    pub reason: String,
}

impl LoadError {
    pub fn new(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// Why a corpus could not be opened at all.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{}: no such folder", .0.display())]
    NotFound(PathBuf),
    #[error("{}: not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("{}: cannot read: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("loading was cancelled")]
    Cancelled,
}

/// A loaded corpus: immutable once built.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The folder, as given.
    pub root: PathBuf,
    /// Documents in walk order: in each folder, its files (natural sort)
    /// before its subfolders.
    pub documents: Vec<Document>,
    pub errors: Vec<LoadError>,
    pub authority: Authority,
    /// Files passed over because folio does not read their kind.
    pub skipped: Vec<PathBuf>,
}

impl Corpus {
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }
}

/// What a load is doing, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Listing folders; `done` counts entries found so far.
    Scanning,
    /// Parsing entries; `done` of `total`.
    Parsing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub phase: Phase,
    pub done: usize,
    pub total: usize,
}

/// How to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Worker threads for parsing; 0 means one per core.
    pub threads: usize,
    /// Set to stop the load early; [`load`] then returns [`CorpusError::Cancelled`].
    pub cancel: Arc<AtomicBool>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            threads: 0,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// Loads the corpus at `root`, reporting progress to `on_progress` (called
/// from the loading threads; keep it cheap).
pub fn load(
    root: &Path,
    options: &LoadOptions,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<Corpus, CorpusError> {
    let metadata = std::fs::metadata(root).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            CorpusError::NotFound(root.to_owned())
        } else {
            CorpusError::Unreadable {
                path: root.to_owned(),
                source,
            }
        }
    })?;
    if !metadata.is_dir() {
        return Err(CorpusError::NotAFolder(root.to_owned()));
    }
    std::fs::read_dir(root).map_err(|source| CorpusError::Unreadable {
        path: root.to_owned(),
        source,
    })?;

    let plan = walk::plan(root, &options.cancel, &|found| {
        on_progress(Progress {
            phase: Phase::Scanning,
            done: found,
            total: 0,
        });
    })?;
    let mut errors = plan.errors;

    let authority = if plan.authority_file {
        match Authority::load(&root.join(AUTHORITY_FILE)) {
            Ok(authority) => authority,
            Err(e) => {
                errors.push(LoadError::new(AUTHORITY_FILE, e.to_string()));
                Authority::default()
            }
        }
    } else {
        Authority::default()
    };

    let results = parse_entries(root, &plan.entries, options, on_progress)?;
    let mut documents = Vec::with_capacity(results.len());
    for result in results {
        for outcome in result {
            match outcome {
                Ok(doc) => documents.push(doc),
                Err(e) => errors.push(e),
            }
        }
    }
    make_ids_unique(&mut documents);
    for doc in &mut documents {
        link_authority(doc, &authority);
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.reason.cmp(&b.reason)));
    Ok(Corpus {
        root: root.to_owned(),
        documents,
        errors,
        authority,
        skipped: plan.skipped,
    })
}

type EntryResult = Vec<Result<Document, LoadError>>;

/// Parses entries on worker threads; results come back in entry order.
fn parse_entries(
    root: &Path,
    entries: &[Entry],
    options: &LoadOptions,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<EntryResult>, CorpusError> {
    let total = entries.len();
    let threads = if options.threads == 0 {
        thread::available_parallelism().map_or(2, std::num::NonZero::get)
    } else {
        options.threads
    }
    .clamp(1, total.max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, EntryResult)>();
    on_progress(Progress {
        phase: Phase::Parsing,
        done: 0,
        total,
    });

    thread::scope(|scope| {
        for worker in 0..threads {
            let worker_sender = sender.clone();
            let (next, done, cancel) = (&next, &done, &options.cancel);
            let spawned = thread::Builder::new()
                .name(format!("folio-parse-{worker}"))
                .spawn_scoped(scope, move || {
                    loop {
                        if cancel.load(Ordering::Relaxed) {
                            break;
                        }
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(entry) = entries.get(index) else {
                            break;
                        };
                        let result = parse_entry_guarded(root, entry);
                        if worker_sender.send((index, result)).is_err() {
                            break;
                        }
                        let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                        // Report at most ~200 times per load, and always at the end.
                        if finished == total || finished % (total / 200).max(1) == 0 {
                            on_progress(Progress {
                                phase: Phase::Parsing,
                                done: finished,
                                total,
                            });
                        }
                    }
                });
            if spawned.is_err() {
                // No thread could be started: parse on this one instead.
                for (index, entry) in entries.iter().enumerate() {
                    if sender
                        .send((index, parse_entry_guarded(root, entry)))
                        .is_err()
                    {
                        break;
                    }
                }
                break;
            }
        }
    });
    drop(sender);
    if options.cancel.load(Ordering::Relaxed) {
        return Err(CorpusError::Cancelled);
    }
    let mut slots: Vec<Option<EntryResult>> = (0..total).map(|_| None).collect();
    for (index, result) in receiver {
        if let Some(slot) = slots.get_mut(index) {
            slot.get_or_insert(result);
        }
    }
    Ok(slots.into_iter().flatten().collect())
}

/// Parses one entry; a panic in a parser becomes an error for that entry.
fn parse_entry_guarded(root: &Path, entry: &Entry) -> EntryResult {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse_entry(root, entry))) {
        Ok(result) => result,
        Err(_) => vec![Err(LoadError::new(
            entry.path(),
            "internal error while parsing (please report this file)",
        ))],
    }
}

fn parse_entry(root: &Path, entry: &Entry) -> EntryResult {
    match entry {
        Entry::Folio { dir } => vec![folio::load(root, dir)],
        Entry::Clip { file } => vec![clip::load(root, file)],
        Entry::Loose(group) => vec![loose::load(root, group)],
        Entry::Unsupported { path, reason } => {
            vec![Err(LoadError::new(path.clone(), reason.clone()))]
        }
    }
}

/// Gives every document a unique id: a repeated id is replaced by the
/// document's source path, then numbered if needed.
fn make_ids_unique(documents: &mut [Document]) {
    let mut seen = std::collections::HashSet::new();
    for doc in documents.iter_mut() {
        if seen.insert(doc.id.clone()) {
            continue;
        }
        let original = doc.id.clone();
        let from_path = doc
            .source
            .with_extension("")
            .to_string_lossy()
            .replace('\\', "/");
        let mut candidate = from_path.clone();
        let mut n = 2;
        while !seen.insert(candidate.clone()) {
            candidate = format!("{from_path}#{n}");
            n += 1;
        }
        doc.warnings.push(format!(
            "id {original:?} is used by an earlier document; this one is {candidate:?}"
        ));
        doc.id = candidate;
    }
}

/// Links people to authority entries by their names and aliases.
fn link_authority(doc: &mut Document, authority: &Authority) {
    if authority.is_empty() {
        return;
    }
    for person in &mut doc.people {
        if let Some(id) = &person.authority {
            if authority.person_by_id(id).is_none() {
                doc.warnings.push(format!(
                    "person {:?}: no entry {id:?} in {AUTHORITY_FILE}",
                    person.name
                ));
            }
            continue;
        }
        let found = person
            .names()
            .find_map(|name| authority.person(name))
            .map(|e| e.id.clone());
        person.authority = found;
    }
}
