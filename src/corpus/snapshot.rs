//! The corpus snapshot: parsed documents stored in the user's cache so
//! that an unchanged corpus opens without being parsed again, and a
//! changed one re-parses only what changed.
//!
//! What a snapshot trusts is written down as *stamps* (size and
//! modification time) taken before anything was read:
//!
//! - the walk's stamps: every folder it listed and every `metadata.csv`
//!   (the walk reads those to group loose files). If one differs, the
//!   folder is walked again (a file was added, removed or renamed);
//! - each entry's stamps: the files (and, for a document folder, the
//!   folders inside it) its parser may read. If one differs, only that
//!   entry is parsed again.
//!
//! A stamp whose time is within [`RACY_NS`] of when it was taken is not
//! trusted (file systems with coarse clocks can change a file twice in
//! one tick), so a file edited just before a load is parsed again the
//! next time. A snapshot that does not decode (older version, torn file)
//! is ignored and the corpus is parsed.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::LoadError;
use super::formats::loose::{LooseGroup, MetadataRow, PagedFile};
use super::walk::Entry;
use crate::cache::codec::{Decode, DecodeError, Encode, Reader, Writer, record};
use crate::model::Document;

/// The snapshot's file in the corpus cache folder.
pub const FILE: &str = "corpus.snapshot";

const MAGIC: &[u8; 8] = b"FOLIOSNP";

/// Bumped whenever the snapshot's layout changes.
const VERSION: u64 = 9;

/// A hash of the parsers', model's and codec's sources (see `build.rs`):
/// a snapshot written by other parsers is never reused, even when nobody
/// remembered to bump [`VERSION`].
const SOURCES: &str = env!("FOLIO_SNAPSHOT_SOURCES");

/// Stamps this close to the moment they were taken are not trusted.
pub const RACY_NS: i64 = 2_000_000_000;

/// Entries per chunk; chunks decode in parallel.
const CHUNK: usize = 4096;

/// Size, modification time and (on Unix) status-change time of a file
/// or folder. The status-change time cannot be set back by programs, so
/// a file replaced by a copy with the same size and modification time
/// (`cp -p`, some sync tools) still differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified_ns: i64,
    pub changed_ns: i64,
}

impl Stamp {
    /// The stamp of `path` (links followed), or `None` if it cannot be read.
    pub fn of(path: &Path) -> Option<Self> {
        Self::of_metadata(&std::fs::metadata(path).ok()?)
    }

    fn of_metadata(meta: &std::fs::Metadata) -> Option<Self> {
        let modified_ns = ns_since_epoch(meta.modified().ok()?);
        #[cfg(unix)]
        let changed_ns = {
            use std::os::unix::fs::MetadataExt as _;
            meta.ctime()
                .saturating_mul(1_000_000_000)
                .saturating_add(meta.ctime_nsec())
        };
        #[cfg(not(unix))]
        let changed_ns = modified_ns;
        Some(Self {
            len: if meta.is_dir() { 0 } else { meta.len() },
            modified_ns,
            changed_ns,
        })
    }
}

impl Stamp {
    /// Whether the stamp is far enough from `taken_ns` (when it was
    /// taken) to be trusted: see [`RACY_NS`]. A time clearly in the future
    /// (a file from a machine with a wrong clock) is trusted too: any
    /// later write sets the time to now, which differs, so it cannot hide
    /// a change, and distrusting it would read the file again forever.
    pub fn trusted(&self, taken_ns: i64) -> bool {
        self.modified_ns < taken_ns.saturating_sub(RACY_NS)
            || self.modified_ns > taken_ns.saturating_add(RACY_NS)
    }
}

/// Now, in the stamps' clock.
pub fn now_ns() -> i64 {
    ns_since_epoch(std::time::SystemTime::now())
}

fn ns_since_epoch(time: std::time::SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Files with their stamps, relative to the corpus root.
pub type Stamps = Vec<(PathBuf, Stamp)>;

/// Whether every stamp still holds for the files under `root`, and none
/// is too close to `taken_ns` to be trusted.
pub fn stamps_hold(root: &Path, stamps: &[(PathBuf, Stamp)], taken_ns: i64) -> bool {
    stamps
        .iter()
        .all(|(path, stamp)| stamp.trusted(taken_ns) && Stamp::of(&root.join(path)) == Some(*stamp))
}

/// What one entry produced, with the stamps of what it read.
#[derive(Debug)]
pub struct EntryRecord {
    pub entry: Entry,
    pub stamps: Stamps,
    pub errors: Vec<LoadError>,
    /// Documents as parsed, each with its fingerprint.
    pub documents: Vec<(Document, u64)>,
}

/// A decoded snapshot.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The corpus folder, canonical.
    pub root: PathBuf,
    /// When the stamps were taken.
    pub taken_ns: i64,
    pub walk_stamps: Stamps,
    pub walk_errors: Vec<LoadError>,
    pub skipped: Vec<PathBuf>,
    pub authority_file: bool,
    /// The authority file's stamp when it was read.
    pub authority_stamp: Option<Stamp>,
    /// Whatever the caller derived from exactly this corpus (the window's
    /// facet index and sort orders), valid while nothing changed.
    pub extra: Vec<u8>,
    pub entries: Vec<EntryRecord>,
}

/// Why a snapshot could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read the snapshot: {0}")]
    Io(#[from] std::io::Error),
    #[error("the snapshot is from another version of folio")]
    OtherVersion,
    #[error("the snapshot is damaged: {0}")]
    Damaged(#[from] DecodeError),
}

/// Writes a snapshot to `path` (temporary file, then rename; no fsync: a
/// snapshot lost in a crash is only parsed again).
pub fn write(path: &Path, header: &Snapshot, entries: &[RecordRef<'_>]) -> std::io::Result<()> {
    crate::cache::replace(path, crate::cache::Durability::Cache, |file| {
        let mut w = Writer::default();
        w.put(&header.root);
        w.put(&header.taken_ns);
        w.put(&header.walk_stamps);
        w.put(&header.walk_errors);
        w.put(&header.skipped);
        w.put(&header.authority_file);
        w.put(&header.authority_stamp);
        w.put(&header.extra);
        w.put(&entries.len().div_ceil(CHUNK));
        let mut prefix = Writer::default();
        prefix.bytes.extend_from_slice(MAGIC);
        prefix.put(&VERSION);
        prefix.put(&SOURCES);
        prefix.put(&w.bytes.len());
        file.write_all(&prefix.bytes)?;
        file.write_all(&w.bytes)?;
        file.write_all(&crc32fast::hash(&w.bytes).to_le_bytes())?;
        for chunk in entries.chunks(CHUNK) {
            let mut w = Writer::default();
            w.put(chunk);
            let mut length = Writer::default();
            length.put(&w.bytes.len());
            file.write_all(&length.bytes)?;
            file.write_all(&w.bytes)?;
            file.write_all(&crc32fast::hash(&w.bytes).to_le_bytes())?;
        }
        Ok(())
    })
}

/// Reads the snapshot at `path`. Chunks are read one at a time and decoded
/// on `threads` threads as they arrive, so the file is never held whole.
pub fn read(path: &Path, threads: usize) -> Result<Snapshot, SnapshotError> {
    let mut file = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let mut magic = [0u8; 8];
    file.read_exact(&mut magic)?;
    if &magic != MAGIC || read_varint(&mut file)? != VERSION {
        return Err(SnapshotError::OtherVersion);
    }
    let sources_length = usize::try_from(read_varint(&mut file)?).unwrap_or(usize::MAX);
    if sources_length != SOURCES.len()
        || read_exactly(&mut file, sources_length)? != SOURCES.as_bytes()
    {
        return Err(SnapshotError::OtherVersion);
    }
    let header_length =
        usize::try_from(read_varint(&mut file)?).map_err(|_| DecodeError::OutOfRange)?;
    let header_bytes = read_exactly(&mut file, header_length)?;
    if read_checksum(&mut file)? != crc32fast::hash(&header_bytes) {
        return Err(DecodeError::Checksum.into());
    }
    let mut r = Reader::new(&header_bytes);
    let mut snapshot = Snapshot {
        root: r.get()?,
        taken_ns: r.get()?,
        walk_stamps: r.get()?,
        walk_errors: r.get()?,
        skipped: r.get()?,
        authority_file: r.get()?,
        authority_stamp: r.get()?,
        extra: r.get()?,
        entries: Vec::new(),
    };
    let chunk_count: usize = r.get()?;
    if !r.is_empty() {
        return Err(DecodeError::OutOfRange.into());
    }

    let (chunk_sender, chunk_receiver) =
        std::sync::mpsc::sync_channel::<(usize, Vec<u8>, u32)>(threads);
    let chunk_receiver = std::sync::Mutex::new(chunk_receiver);
    let (result_sender, result_receiver) =
        std::sync::mpsc::channel::<(usize, Result<Vec<EntryRecord>, DecodeError>)>();
    let read_result = std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let results = result_sender.clone();
            let chunks = &chunk_receiver;
            scope.spawn(move || {
                loop {
                    let next = chunks.lock().ok().and_then(|r| r.recv().ok());
                    let Some((index, bytes, checksum)) = next else {
                        break;
                    };
                    // Checked on the decoding threads, in parallel.
                    let decoded = if crc32fast::hash(&bytes) == checksum {
                        Reader::new(&bytes).get::<Vec<EntryRecord>>()
                    } else {
                        Err(DecodeError::Checksum)
                    };
                    if results.send((index, decoded)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(result_sender);
        let read = (|| -> Result<(), SnapshotError> {
            for index in 0..chunk_count {
                let length = usize::try_from(read_varint(&mut file)?)
                    .map_err(|_| DecodeError::OutOfRange)?;
                let bytes = read_exactly(&mut file, length)?;
                let checksum = read_checksum(&mut file)?;
                if chunk_sender.send((index, bytes, checksum)).is_err() {
                    break;
                }
            }
            let mut rest = [0u8; 1];
            if file.read(&mut rest)? != 0 {
                return Err(DecodeError::OutOfRange.into());
            }
            Ok(())
        })();
        drop(chunk_sender);
        read
    });
    read_result?;
    let mut slots: Vec<Option<Vec<EntryRecord>>> = (0..chunk_count).map(|_| None).collect();
    for (index, decoded) in result_receiver {
        if let Some(slot) = slots.get_mut(index) {
            *slot = Some(decoded?);
        }
    }
    for slot in slots {
        snapshot.entries.extend(slot.ok_or(DecodeError::Truncated)?);
    }
    Ok(snapshot)
}

/// The CRC-32 written after a block.
fn read_checksum(file: &mut impl std::io::Read) -> Result<u32, SnapshotError> {
    let mut bytes = [0u8; 4];
    file.read_exact(&mut bytes).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => SnapshotError::Damaged(DecodeError::Truncated),
        _ => SnapshotError::Io(e),
    })?;
    Ok(u32::from_le_bytes(bytes))
}

fn read_varint(file: &mut impl std::io::Read) -> Result<u64, SnapshotError> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let mut byte = [0u8; 1];
        file.read_exact(&mut byte)?;
        value |= u64::from(byte[0] & 0x7F) << shift;
        if byte[0] & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(DecodeError::OutOfRange.into())
}

/// Reads `length` bytes, refusing lengths beyond what is left of a
/// snapshot-sized file (a damaged length must not allocate gigabytes).
fn read_exactly(file: &mut impl std::io::Read, length: usize) -> Result<Vec<u8>, SnapshotError> {
    const LIMIT: usize = 1 << 32;
    if length > LIMIT {
        return Err(DecodeError::OutOfRange.into());
    }
    let mut bytes = vec![0; length];
    file.read_exact(&mut bytes).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => SnapshotError::Damaged(DecodeError::Truncated),
        _ => SnapshotError::Io(e),
    })?;
    Ok(bytes)
}

/// An entry's record as written: borrowing the loaded corpus.
#[derive(Debug)]
pub struct RecordRef<'a> {
    pub entry: &'a Entry,
    pub stamps: &'a [(PathBuf, Stamp)],
    pub errors: &'a [LoadError],
    /// Documents as parsed (before ids were made unique) with fingerprints.
    pub documents: Vec<(std::borrow::Cow<'a, Document>, u64)>,
}

impl Encode for RecordRef<'_> {
    fn encode(&self, w: &mut Writer) {
        w.put(self.entry);
        w.put(&self.stamps);
        w.put(&self.errors);
        w.put(&self.documents.len());
        for (document, fingerprint) in &self.documents {
            w.put(document.as_ref());
            w.put(fingerprint);
        }
    }
}

impl Decode for EntryRecord {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            entry: r.get()?,
            stamps: r.get()?,
            errors: r.get()?,
            documents: r.get()?,
        })
    }
}

record!(Stamp {
    len,
    modified_ns,
    changed_ns
});

record!(LoadError { path, reason });

record!(PagedFile {
    path,
    page,
    language
});

impl Encode for MetadataRow {
    fn encode(&self, w: &mut Writer) {
        let Self { file, line, fields } = self;
        w.put(file);
        w.put(line);
        w.put(&fields.len());
        for pair in fields {
            w.put(&pair);
        }
    }
}
impl Decode for MetadataRow {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            file: r.get()?,
            line: r.get()?,
            fields: r.get::<Vec<(String, String)>>()?.into_iter().collect(),
        })
    }
}

record!(LooseGroup {
    dir,
    key,
    images,
    texts,
    metadata
});

impl Encode for Entry {
    fn encode(&self, w: &mut Writer) {
        match self {
            Self::Folio { dir } => {
                w.put(&0u8);
                w.put(dir);
            }
            Self::Clip { file } => {
                w.put(&1u8);
                w.put(file);
            }
            Self::Loose(group) => {
                w.put(&2u8);
                w.put(group);
            }
            Self::Unsupported { path, reason } => {
                w.put(&3u8);
                w.put(path);
                w.put(reason);
            }
            Self::Ocr { file } => {
                w.put(&4u8);
                w.put(file);
            }
            Self::Tei { files } => {
                w.put(&5u8);
                w.put(files);
            }
            Self::Iiif { file } => {
                w.put(&6u8);
                w.put(file);
            }
            Self::Mets { file, files } => {
                w.put(&7u8);
                w.put(file);
                w.put(files);
            }
        }
    }
}
impl Decode for Entry {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(match r.get::<u8>()? {
            0 => Self::Folio { dir: r.get()? },
            1 => Self::Clip { file: r.get()? },
            2 => Self::Loose(r.get()?),
            3 => Self::Unsupported {
                path: r.get()?,
                reason: r.get()?,
            },
            4 => Self::Ocr { file: r.get()? },
            5 => Self::Tei { files: r.get()? },
            6 => Self::Iiif { file: r.get()? },
            7 => Self::Mets {
                file: r.get()?,
                files: r.get()?,
            },
            other => return Err(DecodeError::BadTag("entry", u64::from(other))),
        })
    }
}

/// The stamps of what parsing `entry` may read (taken before it is read).
pub fn entry_stamps(root: &Path, entry: &Entry) -> Stamps {
    let mut stamps = Vec::new();
    // Stamps `path`; says whether it is a folder (one `stat` for both).
    let mut add = |path: &Path| {
        let meta = std::fs::metadata(root.join(path)).ok()?;
        stamps.push((path.to_owned(), Stamp::of_metadata(&meta)?));
        Some(meta.is_dir())
    };
    match entry {
        Entry::Folio { dir } => {
            // The folder itself is a walk stamp; everything below it here.
            let mut pending = vec![(dir.clone(), 0)];
            while let Some((folder, depth)) = pending.pop() {
                let Ok(listing) = std::fs::read_dir(root.join(&folder)) else {
                    continue;
                };
                let mut names: Vec<_> = listing.flatten().map(|item| item.file_name()).collect();
                names.sort();
                for name in names {
                    if name.to_string_lossy().starts_with('.') {
                        continue;
                    }
                    let path = folder.join(&name);
                    if add(&path) == Some(true) && depth < 4 {
                        pending.push((path, depth + 1));
                    }
                }
            }
        }
        Entry::Clip { file } => {
            add(file);
        }
        Entry::Ocr { file } | Entry::Iiif { file } => {
            add(file);
        }
        Entry::Tei { files } => {
            for file in files {
                add(file);
            }
        }
        Entry::Mets { file, files } => {
            add(file);
            for file in files {
                add(file);
            }
        }
        Entry::Loose(group) => {
            for file in group.texts.iter().chain(&group.images) {
                add(&file.path);
            }
        }
        Entry::Unsupported { path, .. } => {
            add(path);
        }
    }
    stamps
}

/// A fingerprint of a document as parsed: a hash of its encoding.
pub fn fingerprint(document: &Document) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut w = Writer::default();
    w.put(document);
    let mut hasher = std::hash::DefaultHasher::new();
    w.bytes.hash(&mut hasher);
    hasher.finish()
}

/// The encoding of an entry, as a key to find its record.
pub fn entry_key(entry: &Entry) -> Vec<u8> {
    let mut w = Writer::default();
    w.put(entry);
    w.bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn racy_stamps_are_not_trusted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "text").unwrap_or_else(|e| panic!("{e}"));
        let stamp = Stamp::of(&file).unwrap_or_else(|| panic!("no stamp"));
        let stamps = vec![(PathBuf::from("a.txt"), stamp)];
        assert!(!stamps_hold(dir.path(), &stamps, now_ns()));
        assert!(stamps_hold(dir.path(), &stamps, now_ns() + 3 * RACY_NS));
        std::fs::write(&file, "longer text").unwrap_or_else(|e| panic!("{e}"));
        assert!(!stamps_hold(dir.path(), &stamps, now_ns() + 3 * RACY_NS));
    }
}
