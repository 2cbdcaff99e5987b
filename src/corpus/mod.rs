//! Loading a corpus folder: walk it, decide what each entry is, parse the
//! entries in parallel on background threads, and collect the documents
//! and the per-entry errors. Nothing in the folder is ever written.
//!
//! The walk ([`plan`]) is one thread: it lists folders in sorted order,
//! skips hidden entries, refuses symlinks that leave the corpus, never
//! follows a symlink loop, and groups files into [`Entry`] values. The
//! parse ([`load`]) hands entries to worker threads and puts the results
//! back in entry order, so the outcome is the same on every run.

pub mod follow;
pub mod formats;
pub mod multipage;
pub(crate) mod read;
pub mod snapshot;
mod walk;

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

use serde::Serialize;

use crate::authority::{AUTHORITY_FILE, Authority};
use crate::model::Document;

pub use crate::text::describe_toml_error;
pub use formats::clip::parse_clip;
pub use formats::document_toml::DOCUMENT_FILE;
pub use formats::loose::METADATA_FILE;
pub use read::{MAX_TEXT_BYTES, check_inside, read_text};
pub use walk::{Entry, Plan, natural_cmp, plan};

/// An entry of the corpus that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadError {
    /// Relative to the corpus root. It may not be UTF-8 (the error for a
    /// file name that is not): JSON shows it with U+FFFD in those places.
    #[serde(serialize_with = "path_lossy")]
    pub path: PathBuf,
    pub reason: String,
}

/// A path as a JSON string, whatever its bytes.
fn path_lossy<S: serde::Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&path.to_string_lossy())
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
#[derive(Debug, Default, Clone)]
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
    /// Per document, a hash of what its parser produced (before ids were
    /// made unique and people matched to the authority file): caches use
    /// it to tell which documents changed.
    pub fingerprints: Vec<u64>,
}

impl Corpus {
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }

    /// What differs in `newer`, a later load of the same folder: documents
    /// are matched by id.
    pub fn changes_to(&self, newer: &Self) -> Changes {
        let before: std::collections::HashMap<&str, &Document> =
            self.documents.iter().map(|d| (d.id.as_str(), d)).collect();
        let mut changes = Changes::default();
        let mut kept = 0;
        for document in &newer.documents {
            match before.get(document.id.as_str()) {
                Some(&old) => {
                    kept += 1;
                    if old != document {
                        changes.changed += 1;
                    }
                }
                None => changes.added += 1,
            }
        }
        changes.removed = self.documents.len().saturating_sub(kept);
        changes.errors_changed = self.errors != newer.errors;
        changes
    }
}

/// How a corpus changed between two loads of its folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    /// Whether the list of files that could not be read changed.
    pub errors_changed: bool,
    /// Files (relative to the root) whose stamps changed or that are new:
    /// an edited page image changes no document, yet must be shown again.
    pub files: Vec<PathBuf>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl std::fmt::Display for Changes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts = [
            (self.added, "added"),
            (self.changed, "changed"),
            (self.removed, "removed"),
        ];
        let mut parts: Vec<String> = counts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| {
                let noun = if *n == 1 { "document" } else { "documents" };
                format!("{n} {noun} {what}")
            })
            .collect();
        if self.errors_changed {
            parts.push("the files that cannot be read changed".into());
        }
        if parts.is_empty() && !self.files.is_empty() {
            let n = self.files.len();
            parts.push(format!(
                "{n} {} changed",
                if n == 1 { "file" } else { "files" }
            ));
        }
        if parts.is_empty() {
            parts.push("nothing changed".into());
        }
        f.write_str(&parts.join(", "))
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
    open(root, options, None, on_progress).map(|opened| opened.corpus)
}

/// How much of a corpus came from its snapshot.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reuse {
    /// A snapshot of this corpus was read.
    pub snapshot: bool,
    /// The folder was walked (no snapshot, or a folder changed).
    pub walked: bool,
    /// Entries taken from the snapshot unchanged.
    pub reused: usize,
    /// Entries parsed.
    pub parsed: usize,
}

/// A corpus with what is needed to write its snapshot.
#[derive(Debug)]
pub struct Opened {
    pub corpus: Corpus,
    pub sources: Sources,
    /// What the caller stored with the snapshot
    /// ([`Sources::write_snapshot`]), when nothing at all changed since.
    pub extra: Option<Vec<u8>>,
}

/// Where each document of a corpus came from and the stamps of what was
/// read: what its snapshot is written from.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    pub reuse: Reuse,
    canonical_root: PathBuf,
    taken_ns: i64,
    walk_stamps: snapshot::Stamps,
    walk_errors: Vec<LoadError>,
    authority_file: bool,
    authority_stamp: Option<snapshot::Stamp>,
    entries: Vec<EntrySources>,
    /// Documents whose id was changed to keep ids unique: index, parsed id
    /// (in index order).
    renamed: Vec<(usize, String)>,
    /// Per document, how many warnings its parser gave; those added after
    /// (a repeated id, an unknown authority id) are made again on load.
    parsed_warnings: Vec<usize>,
}

#[derive(Debug, Clone)]
struct EntrySources {
    entry: Entry,
    stamps: snapshot::Stamps,
    errors: Vec<LoadError>,
    documents: Range<usize>,
}

/// Where the snapshot of the corpus at `root` is kept, when the user has
/// a cache folder (see [`crate::cache`]).
pub fn snapshot_file(root: &Path) -> Option<PathBuf> {
    crate::cache::corpus_dir(root).map(|dir| dir.join(snapshot::FILE))
}

impl Sources {
    /// Document `i` as its parser gave it: its id before ids were made
    /// unique, without the warnings added after parsing (matched authority
    /// entries are left out by the codec).
    fn as_parsed<'a>(&self, i: usize, document: &'a Document) -> Cow<'a, Document> {
        let renamed = self
            .renamed
            .binary_search_by_key(&i, |(at, _)| *at)
            .ok()
            .and_then(|k| self.renamed.get(k));
        let warnings = self
            .parsed_warnings
            .get(i)
            .copied()
            .unwrap_or(document.warnings.len());
        if renamed.is_none() && warnings == document.warnings.len() {
            return Cow::Borrowed(document);
        }
        let mut parsed = document.clone();
        if let Some((_, id)) = renamed {
            parsed.id.clone_from(id);
        }
        parsed.warnings.truncate(warnings);
        Cow::Owned(parsed)
    }

    /// Whether every file the corpus was read from is as it was when it
    /// was read: the folders the walk listed, each entry's files and the
    /// authority file. Stamps too recent to be trusted count as changed, so
    /// a file still being written is read again. Without entry stamps (the
    /// corpus was opened without a snapshot file) only added, removed and
    /// renamed files are seen.
    pub fn is_current(&self, root: &Path) -> bool {
        let authority_holds = !self.authority_file
            || self.authority_stamp.is_some_and(|stamp| {
                stamp.trusted(self.taken_ns)
                    && snapshot::Stamp::of(&root.join(AUTHORITY_FILE)) == Some(stamp)
            });
        authority_holds
            && snapshot::stamps_hold(root, &self.walk_stamps, self.taken_ns)
            && self
                .entries
                .iter()
                .all(|entry| snapshot::stamps_hold(root, &entry.stamps, self.taken_ns))
    }

    /// The files of `newer` (a later load of the same folder) that are new
    /// or whose stamps differ from here.
    pub fn changed_files(&self, newer: &Self) -> Vec<PathBuf> {
        let before: std::collections::HashMap<&Path, &snapshot::Stamp> = self
            .entries
            .iter()
            .flat_map(|entry| {
                entry
                    .stamps
                    .iter()
                    .map(|(path, stamp)| (path.as_path(), stamp))
            })
            .collect();
        newer
            .entries
            .iter()
            .flat_map(|entry| &entry.stamps)
            .filter(|(path, stamp)| before.get(path.as_path()) != Some(&stamp))
            .map(|(path, _)| path.clone())
            .collect()
    }

    /// Whether the snapshot on disk no longer describes the corpus.
    pub fn snapshot_is_stale(&self) -> bool {
        !self.reuse.snapshot || self.reuse.walked || self.reuse.parsed > 0
    }

    /// Writes the snapshot of `corpus` (opened with these sources) to
    /// `path`, with `extra`: bytes the caller derived from this corpus,
    /// given back by the next [`open`] if nothing changed.
    pub fn write_snapshot(
        &self,
        corpus: &Corpus,
        path: &Path,
        extra: &[u8],
    ) -> std::io::Result<()> {
        let sources = self;
        let documents = &corpus.documents;
        let records: Vec<snapshot::RecordRef<'_>> = sources
            .entries
            .iter()
            .map(|entry| snapshot::RecordRef {
                entry: &entry.entry,
                stamps: &entry.stamps,
                errors: &entry.errors,
                documents: entry
                    .documents
                    .clone()
                    .filter_map(|i| {
                        let document = documents.get(i)?;
                        Some((
                            sources.as_parsed(i, document),
                            corpus.fingerprints.get(i).copied().unwrap_or(0),
                        ))
                    })
                    .collect(),
            })
            .collect();
        let header = snapshot::Snapshot {
            root: sources.canonical_root.clone(),
            taken_ns: sources.taken_ns,
            walk_stamps: sources.walk_stamps.clone(),
            walk_errors: sources.walk_errors.clone(),
            skipped: corpus.skipped.clone(),
            authority_file: sources.authority_file,
            authority_stamp: sources.authority_stamp,
            extra: extra.to_vec(),
            entries: Vec::new(),
        };
        snapshot::write(path, &header, &records)?;
        match path.parent() {
            Some(dir) => crate::cache::mark_owner(dir, &sources.canonical_root),
            None => Ok(()),
        }
    }
}

/// Checks that `root` is a folder folio can list, and confines the file
/// reads of this corpus to it; returns its canonical path.
fn open_root(root: &Path) -> Result<PathBuf, CorpusError> {
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
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    crate::files::confined::confine(root, &canonical_root);
    if let Ok(absolute) = std::path::absolute(root) {
        crate::files::confined::confine(&absolute, &canonical_root);
    }
    Ok(canonical_root)
}

/// The corpus's authority file (when the walk found one) with the stamp
/// it had before it was read; a bad file is an error of the corpus and an
/// empty authority.
fn read_authority(
    root: &Path,
    present: bool,
    errors: &mut Vec<LoadError>,
) -> (Authority, Option<snapshot::Stamp>) {
    if !present {
        return (Authority::default(), None);
    }
    // Stamped before it is read, like every other file.
    let stamp = snapshot::Stamp::of(&root.join(AUTHORITY_FILE));
    let authority = match Authority::load(&root.join(AUTHORITY_FILE)) {
        Ok(authority) => authority,
        Err(e) => {
            errors.push(LoadError::new(AUTHORITY_FILE, e.to_string()));
            Authority::default()
        }
    };
    (authority, stamp)
}

/// Parses one entry afresh, stamping its files first when the snapshot
/// will be written (`record`).
fn parse_fresh(root: &Path, entry: &walk::Entry, record: bool) -> Outcome {
    let stamps = if record {
        snapshot::entry_stamps(root, entry)
    } else {
        Vec::new()
    };
    let mut documents = Vec::new();
    let mut errors = Vec::new();
    for result in parse_entry_guarded(root, entry) {
        match result {
            Ok(document) => {
                let fingerprint = snapshot::fingerprint(&document);
                documents.push((document, fingerprint));
            }
            Err(e) => errors.push(e),
        }
    }
    Outcome {
        stamps,
        errors,
        documents,
        reused: false,
    }
}

/// The previous snapshot's record of each entry of a new walk, by the
/// entry's key (none when there was no snapshot).
fn candidates_by_entry(
    previous: Option<snapshot::Snapshot>,
    entries: &[walk::Entry],
) -> Vec<Mutex<Option<Candidate>>> {
    let mut by_entry: std::collections::HashMap<Vec<u8>, Candidate> = previous
        .into_iter()
        .flat_map(|s| s.entries)
        .map(|record| {
            let (entry, candidate) = Candidate::split(record);
            (snapshot::entry_key(&entry), candidate)
        })
        .collect();
    if by_entry.is_empty() {
        return Vec::new();
    }
    entries
        .iter()
        .map(|entry| Mutex::new(by_entry.remove(&snapshot::entry_key(entry))))
        .collect()
}

/// Opens the corpus at `root`. With `snapshot_file`, a snapshot written
/// there by an earlier open is reused for every entry whose files did not
/// change (the folder is walked again only when a folder changed).
pub fn open(
    root: &Path,
    options: &LoadOptions,
    snapshot_file: Option<&Path>,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<Opened, CorpusError> {
    let canonical_root = open_root(root)?;
    let threads = worker_threads(options);
    let taken_ns = snapshot::now_ns();
    let mut reuse = Reuse::default();

    let timing = Timing::new();
    let mut previous = snapshot_file
        .and_then(|file| snapshot::read(file, threads).ok())
        .filter(|s| s.root == canonical_root);
    reuse.snapshot = previous.is_some();
    let (previous_authority, previous_extra) = match previous.as_mut() {
        Some(s) => (
            s.authority_stamp.map(|stamp| (stamp, s.taken_ns)),
            std::mem::take(&mut s.extra),
        ),
        None => (None, Vec::new()),
    };
    timing.lap("snapshot read");
    // The racy-stamp rule compares with when the stamps were taken.
    let previous_taken = previous.as_ref().map_or(taken_ns, |s| s.taken_ns);
    let (plan, candidates) = match previous {
        Some(previous)
            if stamps_hold_parallel(root, &previous.walk_stamps, previous.taken_ns, threads) =>
        {
            let mut entries = Vec::with_capacity(previous.entries.len());
            let mut candidates = Vec::with_capacity(previous.entries.len());
            for record in previous.entries {
                let (entry, candidate) = Candidate::split(record);
                entries.push(entry);
                candidates.push(Mutex::new(Some(candidate)));
            }
            let plan = Plan {
                entries,
                errors: previous.walk_errors,
                skipped: previous.skipped,
                authority_file: previous.authority_file,
                stamps: previous.walk_stamps,
            };
            (plan, candidates)
        }
        previous => {
            reuse.walked = true;
            let plan = walk::plan(root, &options.cancel, &|found| {
                on_progress(Progress {
                    phase: Phase::Scanning,
                    done: found,
                    total: 0,
                });
            })?;
            let candidates = candidates_by_entry(previous, &plan.entries);
            (plan, candidates)
        }
    };

    timing.lap("walk stamps checked or walked");
    let mut errors = plan.errors.clone();
    let (authority, authority_stamp) = read_authority(root, plan.authority_file, &mut errors);

    let record = snapshot_file.is_some();
    let outcomes = parse_entries(
        &plan.entries,
        options,
        threads,
        on_progress,
        &|index, entry| {
            let candidate = candidates
                .get(index)
                .and_then(|slot| slot.lock().ok()?.take())
                .filter(|c| snapshot::stamps_hold(root, &c.stamps, previous_taken));
            match candidate {
                Some(c) => Outcome {
                    stamps: c.stamps,
                    errors: c.errors,
                    documents: c.documents,
                    reused: true,
                },
                None => parse_fresh(root, entry, record),
            }
        },
    )?;
    drop(candidates);
    timing.lap("entries reused or parsed");

    let mut documents = Vec::with_capacity(outcomes.len());
    let mut fingerprints = Vec::with_capacity(outcomes.len());
    let mut sources = Vec::with_capacity(outcomes.len());
    for (entry, outcome) in plan.entries.into_iter().zip(outcomes) {
        if outcome.reused {
            reuse.reused += 1;
        } else {
            reuse.parsed += 1;
        }
        let start = documents.len();
        for (document, fingerprint) in outcome.documents {
            documents.push(document);
            fingerprints.push(fingerprint);
        }
        errors.extend(outcome.errors.iter().cloned());
        sources.push(EntrySources {
            entry,
            stamps: outcome.stamps,
            errors: outcome.errors,
            documents: start..documents.len(),
        });
    }
    let parsed_warnings = documents.iter().map(|d| d.warnings.len()).collect();
    let renamed = make_ids_unique(&mut documents);
    let mut matches = std::collections::HashMap::new();
    for doc in &mut documents {
        link_authority(doc, &authority, &mut matches);
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.reason.cmp(&b.reason)));
    let authority_unchanged = match (previous_authority, authority_stamp) {
        (None, None) => true,
        (Some((before, taken)), Some(now)) => before == now && before.trusted(taken),
        _ => false,
    };
    let unchanged = reuse.snapshot && !reuse.walked && reuse.parsed == 0 && authority_unchanged;
    let extra = (unchanged && !previous_extra.is_empty()).then_some(previous_extra);
    timing.lap("finished");
    Ok(Opened {
        extra,
        corpus: Corpus {
            root: root.to_owned(),
            documents,
            errors,
            authority,
            skipped: plan.skipped,
            fingerprints,
        },
        sources: Sources {
            reuse,
            canonical_root,
            taken_ns,
            walk_stamps: plan.stamps,
            walk_errors: plan.errors,
            authority_file: plan.authority_file,
            authority_stamp,
            entries: sources,
            renamed,
            parsed_warnings,
        },
    })
}

/// Phase times on standard error when `FOLIO_TIMING` is set.
struct Timing(Option<std::cell::Cell<std::time::Instant>>);

impl Timing {
    fn new() -> Self {
        Self(
            std::env::var_os("FOLIO_TIMING")
                .map(|_| std::cell::Cell::new(std::time::Instant::now())),
        )
    }

    fn lap(&self, what: &str) {
        if let Some(start) = &self.0 {
            eprintln!(
                "folio: {what}: {:.3} s",
                start.get().elapsed().as_secs_f64()
            );
            start.set(std::time::Instant::now());
        }
    }
}

/// What the snapshot holds for one entry, to be reused if its stamps hold.
struct Candidate {
    stamps: snapshot::Stamps,
    errors: Vec<LoadError>,
    documents: Vec<(Document, u64)>,
}

impl Candidate {
    fn split(record: snapshot::EntryRecord) -> (Entry, Self) {
        let snapshot::EntryRecord {
            entry,
            stamps,
            errors,
            documents,
        } = record;
        (
            entry,
            Self {
                stamps,
                errors,
                documents,
            },
        )
    }
}

/// What one entry gave.
struct Outcome {
    stamps: snapshot::Stamps,
    errors: Vec<LoadError>,
    documents: Vec<(Document, u64)>,
    reused: bool,
}

fn worker_threads(options: &LoadOptions) -> usize {
    if options.threads == 0 {
        thread::available_parallelism().map_or(2, std::num::NonZero::get)
    } else {
        options.threads
    }
}

/// Whether all `stamps` hold, checked on `threads` threads.
fn stamps_hold_parallel(
    root: &Path,
    stamps: &[(PathBuf, snapshot::Stamp)],
    taken_ns: i64,
    threads: usize,
) -> bool {
    let size = stamps.len().div_ceil(threads.max(1)).max(1);
    thread::scope(|scope| {
        let checks: Vec<_> = stamps
            .chunks(size)
            .map(|chunk| scope.spawn(move || snapshot::stamps_hold(root, chunk, taken_ns)))
            .collect();
        checks
            .into_iter()
            .all(|check| check.join().unwrap_or(false))
    })
}

/// Runs `job` on every entry on worker threads; outcomes come back in
/// entry order.
fn parse_entries(
    entries: &[Entry],
    options: &LoadOptions,
    threads: usize,
    on_progress: &(dyn Fn(Progress) + Sync),
    job: &(dyn Fn(usize, &Entry) -> Outcome + Sync),
) -> Result<Vec<Outcome>, CorpusError> {
    let total = entries.len();
    let threads = threads.clamp(1, total.max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, Outcome)>();
    on_progress(Progress {
        phase: Phase::Parsing,
        done: 0,
        total,
    });

    let budget = Arc::new(AtomicU64::new(read::LARGE_TEXTS_PER_LOAD));
    thread::scope(|scope| {
        for worker in 0..threads {
            let worker_sender = sender.clone();
            let (next, done, cancel, budget) = (&next, &done, &options.cancel, &budget);
            let spawned = thread::Builder::new()
                .name(format!("folio-parse-{worker}"))
                .spawn_scoped(scope, move || {
                    read::with_load_budget(budget, || {
                        loop {
                            if cancel.load(Ordering::Relaxed) {
                                break;
                            }
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            let Some(entry) = entries.get(index) else {
                                break;
                            };
                            if worker_sender.send((index, job(index, entry))).is_err() {
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
                });
            if spawned.is_err() {
                // No thread could be started: work on this one instead.
                read::with_load_budget(budget, || {
                    for (index, entry) in entries.iter().enumerate() {
                        if sender.send((index, job(index, entry))).is_err() {
                            break;
                        }
                    }
                });
                break;
            }
        }
    });
    drop(sender);
    if options.cancel.load(Ordering::Relaxed) {
        return Err(CorpusError::Cancelled);
    }
    let mut slots: Vec<Option<Outcome>> = (0..total).map(|_| None).collect();
    for (index, outcome) in receiver {
        if let Some(slot) = slots.get_mut(index) {
            slot.get_or_insert(outcome);
        }
    }
    Ok(slots.into_iter().flatten().collect())
}

type EntryResult = Vec<Result<Document, LoadError>>;

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
    let mut results = parse_entry_as_written(root, entry);
    for doc in results.iter_mut().flatten() {
        let mut named = Vec::new();
        for layer in &doc.layers {
            for written in crate::model::bracketed_in_text(&layer.text, MAX_NAMED_IN_TEXT) {
                if named.len() < MAX_NAMED_IN_TEXT && !named.contains(&written) {
                    named.push(written);
                }
            }
        }
        doc.named_in_text = named;
    }
    results
}

/// Bracketed names kept per document (a text full of glosses stays cheap
/// to link).
const MAX_NAMED_IN_TEXT: usize = 64;

fn parse_entry_as_written(root: &Path, entry: &Entry) -> EntryResult {
    formats::load(root, entry)
}

/// Gives every document a unique id: a repeated id is replaced by the
/// document's source path, then numbered if needed.
fn make_ids_unique(documents: &mut [Document]) -> Vec<(usize, String)> {
    let mut renamed = Vec::new();
    // Usually every id is unique: find out without copying them.
    let mut distinct = std::collections::HashSet::with_capacity(documents.len());
    if documents.iter().all(|d| distinct.insert(d.id.as_str())) {
        return renamed;
    }
    drop(distinct);
    let mut seen = std::collections::HashSet::new();
    for (index, doc) in documents.iter_mut().enumerate() {
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
        renamed.push((index, original));
    }
    renamed
}

/// The id of the person entry that `name` is, remembered in `matches`.
fn person_entry(
    authority: &Authority,
    matches: &mut std::collections::HashMap<String, Option<String>>,
    name: &str,
) -> Option<String> {
    if let Some(found) = matches.get(name) {
        return found.clone();
    }
    let found = authority.person(name).map(|e| e.id.clone());
    matches.insert(name.to_owned(), found.clone());
    found
}

/// Links one document's people to `authority` again (after its people
/// changed: a description).
pub fn link_document(doc: &mut Document, authority: &Authority) {
    link_authority(doc, authority, &mut std::collections::HashMap::new());
}

/// Links people to authority entries by their names and aliases, and
/// makes a mention of each name its texts write with a bracketed variant
/// (`Filippov [Stalin]`) that an entry knows and the metadata does not
/// name; `matches` remembers the entry found for each written name
/// (folding a name is the costly part, and names repeat across documents).
fn link_authority(
    doc: &mut Document,
    authority: &Authority,
    matches: &mut std::collections::HashMap<String, Option<String>>,
) {
    // Mentions of an earlier link (kept in the snapshot) are made again.
    doc.people.retain(|p| !p.from_text);
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
            .find_map(|name| person_entry(authority, matches, name));
        person.authority_matched = found.is_some();
        person.authority = found;
    }
    for written in &doc.named_in_text {
        let mut person = crate::model::Person::from_written(written, crate::model::Role::Mentioned);
        let Some(id) = person
            .names()
            .find_map(|name| person_entry(authority, matches, name))
        else {
            continue;
        };
        if doc
            .people
            .iter()
            .any(|p| p.authority.as_deref() == Some(id.as_str()))
        {
            continue;
        }
        person.authority = Some(id);
        person.authority_matched = true;
        person.from_text = true;
        doc.people.push(person);
    }
}
