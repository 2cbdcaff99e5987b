//! Walking a corpus folder into a [`Plan`]: the list of entries to parse,
//! in a stable order, plus the errors met on the way (unreadable folders,
//! symlinks leaving the corpus, loops, formats folio does not read yet).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::formats::Sniffed;
use super::formats::loose::{self, LooseGroup};
use super::snapshot::Stamp;
use super::{CorpusError, LoadError, formats::document_toml::DOCUMENT_FILE};
use crate::authority::AUTHORITY_FILE;

/// Folders nested deeper than this below the root are not loaded.
pub const MAX_DEPTH: usize = 64;

/// One unit of work for the parser. Paths are relative to the corpus root.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A folder with `document.toml`.
    Folio { dir: PathBuf },
    /// A web clip.
    Clip { file: PathBuf },
    /// Images and texts sharing a name, with their metadata row.
    Loose(LooseGroup),
    /// An ALTO or PAGE XML file: a page's lines with their places.
    Ocr { file: PathBuf },
    /// A TEI P5 or `EpiDoc` file, with the files that describe the same
    /// text under another aspect (papyri.info's edition, metadata and
    /// translation share an `idno type="ddb-hybrid"`), read as one
    /// document.
    Tei { files: Vec<PathBuf> },
    /// A IIIF Presentation manifest saved as a file.
    Iiif { file: PathBuf },
    /// A METS file and the images and texts inside the corpus it takes
    /// as its pages (they are no documents of their own).
    Mets { file: PathBuf, files: Vec<PathBuf> },
    /// A file of a kind folio recognises but does not read yet.
    Unsupported { path: PathBuf, reason: String },
}

impl Entry {
    /// The file or folder the entry stands for.
    pub fn path(&self) -> PathBuf {
        match self {
            Self::Folio { dir } => dir.clone(),
            Self::Clip { file } => file.clone(),
            Self::Loose(group) => group.primary_path(),
            Self::Ocr { file } | Self::Iiif { file } | Self::Mets { file, .. } => file.clone(),
            Self::Tei { files } => files.first().cloned().unwrap_or_default(),
            Self::Unsupported { path, .. } => path.clone(),
        }
    }
}

/// The result of walking a corpus.
#[derive(Debug, Default)]
pub struct Plan {
    pub entries: Vec<Entry>,
    pub errors: Vec<LoadError>,
    pub skipped: Vec<PathBuf>,
    /// Whether the root holds an authority file.
    pub authority_file: bool,
    /// What the walk read, stamped before it was read: every folder it
    /// listed and every `metadata.csv` (for the corpus snapshot).
    pub stamps: super::snapshot::Stamps,
}

/// Image and scan file extensions (lowercase).
pub const IMAGE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "webp", "tif", "tiff", "gif", "bmp", "jp2", "pdf",
];
const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "markdown"];
/// File names (without extension) that describe a folder, not a document.
const NOT_DOCUMENTS: &[&str] = &[
    "readme",
    "license",
    "licence",
    "copying",
    "changelog",
    "manifest",
    "notice",
    "authors",
    "bagit",
    "bag-info",
];

/// Whether a file describes its folder (README, licence, `BagIt` manifests)
/// rather than being a document.
fn is_folder_description(stem: &str) -> bool {
    let lower = stem.to_ascii_lowercase();
    NOT_DOCUMENTS.contains(&lower.as_str())
        || lower.starts_with("manifest-")
        || lower.starts_with("tagmanifest-")
}

/// Walks `root`. `on_found` is told how many entries are planned so far.
pub fn plan(
    root: &Path,
    cancel: &AtomicBool,
    on_found: &dyn Fn(usize),
) -> Result<Plan, CorpusError> {
    let canonical_root = std::fs::canonicalize(root).map_err(|source| CorpusError::Unreadable {
        path: root.to_owned(),
        source,
    })?;
    let mut walker = Walker {
        root,
        canonical_root: canonical_root.clone(),
        visited: HashSet::from([canonical_root]),
        plan: Plan::default(),
        cancel,
        on_found,
        tei_keys: Vec::new(),
    };
    walker.visit(Path::new(""), &walker.canonical_root.clone(), 0);
    walker.join_tei();
    walker.claim_mets_files();
    if cancel.load(Ordering::Relaxed) {
        return Err(CorpusError::Cancelled);
    }
    Ok(walker.plan)
}

struct Walker<'a> {
    root: &'a Path,
    canonical_root: PathBuf,
    visited: HashSet<PathBuf>,
    plan: Plan,
    cancel: &'a AtomicBool,
    on_found: &'a dyn Fn(usize),
    /// TEI entries with a join key: (key, entry index).
    tei_keys: Vec<(String, usize)>,
}

impl Walker<'_> {
    /// TEI entries of one text (same join key, in any folder) become one
    /// entry, its files in walk order.
    fn join_tei(&mut self) {
        let mut first_of: HashMap<String, usize> = HashMap::new();
        let mut joined: Vec<usize> = Vec::new();
        for (key, index) in std::mem::take(&mut self.tei_keys) {
            match first_of.get(&key) {
                Some(&first) => {
                    let file = match &self.plan.entries[index] {
                        Entry::Tei { files } => files.clone(),
                        _ => continue,
                    };
                    if let Entry::Tei { files } = &mut self.plan.entries[first] {
                        files.extend(file);
                    }
                    joined.push(index);
                }
                None => {
                    first_of.insert(key, index);
                }
            }
        }
        joined.sort_unstable();
        for index in joined.into_iter().rev() {
            self.plan.entries.remove(index);
        }
    }
    /// The images and texts a METS file takes are its pages, not entries
    /// (or pages of loose documents) of their own.
    fn claim_mets_files(&mut self) {
        let claimed: HashSet<PathBuf> = self
            .plan
            .entries
            .iter()
            .filter_map(|entry| match entry {
                Entry::Mets { files, .. } => Some(files.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect();
        if claimed.is_empty() {
            return;
        }
        self.plan.entries.retain_mut(|entry| match entry {
            Entry::Ocr { file } => !claimed.contains(file),
            Entry::Loose(group) => {
                group.images.retain(|f| !claimed.contains(&f.path));
                group.texts.retain(|f| !claimed.contains(&f.path));
                !group.images.is_empty() || !group.texts.is_empty() || group.metadata.is_some()
            }
            _ => true,
        });
    }

    /// Visits folder `rel`, whose links resolved is `canonical` (derived
    /// from the parent's, so plain folders cost no system call).
    fn visit(&mut self, rel: &Path, canonical: &Path, depth: usize) {
        if self.cancel.load(Ordering::Relaxed) {
            return;
        }
        let abs = self.root.join(rel);
        if let Some(stamp) = Stamp::of(&abs) {
            self.plan.stamps.push((rel.to_owned(), stamp));
        }
        let listing = match std::fs::read_dir(&abs) {
            Ok(listing) => listing,
            Err(e) => {
                self.plan
                    .errors
                    .push(LoadError::new(rel, format!("cannot read folder: {e}")));
                return;
            }
        };
        // Names with their kinds as listed (no `stat` for plain entries).
        let mut names: Vec<(String, Option<std::fs::FileType>)> = Vec::new();
        for item in listing {
            match item {
                Ok(item) => match item.file_name().into_string() {
                    Ok(name) => names.push((name, item.file_type().ok())),
                    Err(raw) => self.plan.errors.push(LoadError::new(
                        rel.join(&raw),
                        "file name is not valid Unicode",
                    )),
                },
                Err(e) => self
                    .plan
                    .errors
                    .push(LoadError::new(rel, format!("cannot list folder: {e}"))),
            }
        }
        names.sort_by(|a, b| natural_cmp(&a.0, &b.0));

        if names.iter().any(|(n, _)| n == DOCUMENT_FILE) && abs.join(DOCUMENT_FILE).is_file() {
            self.push(Entry::Folio {
                dir: rel.to_owned(),
            });
            return;
        }

        let mut files = Vec::new();
        let mut subdirs = Vec::new();
        for (name, listed_type) in names {
            if name.starts_with('.') {
                continue;
            }
            let child_rel = rel.join(&name);
            let child_abs = abs.join(&name);
            let file_type = match listed_type {
                Some(t) => t,
                None => match std::fs::symlink_metadata(&child_abs) {
                    Ok(meta) => meta.file_type(),
                    Err(_) => {
                        self.plan
                            .errors
                            .push(LoadError::new(&child_rel, "cannot read file information"));
                        continue;
                    }
                },
            };
            let (is_dir, is_file, child_canonical) = if file_type.is_symlink() {
                match std::fs::canonicalize(&child_abs) {
                    Err(_) => {
                        self.plan
                            .errors
                            .push(LoadError::new(&child_rel, "broken symbolic link"));
                        continue;
                    }
                    Ok(target) if !target.starts_with(&self.canonical_root) => {
                        self.plan.errors.push(LoadError::new(
                            &child_rel,
                            format!(
                                "symbolic link points outside the corpus ({}); not followed",
                                target.display()
                            ),
                        ));
                        continue;
                    }
                    Ok(target) => match std::fs::metadata(&target) {
                        Ok(meta) => (meta.is_dir(), meta.is_file(), target),
                        Err(e) => {
                            self.plan.errors.push(LoadError::new(
                                &child_rel,
                                format!("cannot read link target: {e}"),
                            ));
                            continue;
                        }
                    },
                }
            } else {
                (
                    file_type.is_dir(),
                    file_type.is_file(),
                    canonical.join(&name),
                )
            };
            if is_dir {
                subdirs.push((child_rel, child_canonical));
            } else if is_file {
                files.push(name);
            } else {
                self.plan.skipped.push(child_rel);
            }
        }

        self.classify_files(rel, &files);

        for (sub, sub_canonical) in subdirs {
            if self.cancel.load(Ordering::Relaxed) {
                return;
            }
            if depth + 1 > MAX_DEPTH {
                self.plan.errors.push(LoadError::new(
                    &sub,
                    format!("folders nested deeper than {MAX_DEPTH} levels are not loaded"),
                ));
                continue;
            }
            if self.visited.insert(sub_canonical.clone()) {
                self.visit(&sub, &sub_canonical, depth + 1);
            } else {
                self.plan.errors.push(LoadError::new(&sub, "folder already loaded through another path (symbolic link loop?); not followed"));
            }
        }
    }

    fn push(&mut self, entry: Entry) {
        self.plan.entries.push(entry);
        (self.on_found)(self.plan.entries.len());
    }

    fn classify_files(&mut self, rel: &Path, files: &[String]) {
        let mut images = Vec::new();
        let mut texts = Vec::new();
        let mut has_metadata = false;
        // OCR files of this folder: stem, and the image each names.
        let mut ocr_files: Vec<(String, Option<String>)> = Vec::new();
        for name in files {
            let path = rel.join(name);
            let (stem, ext) = split_extension(name);
            let ext = ext.to_ascii_lowercase();
            if rel.as_os_str().is_empty() && name == AUTHORITY_FILE {
                self.plan.authority_file = true;
            } else if name == loose::METADATA_FILE {
                has_metadata = true;
            } else if is_folder_description(stem)
                && (ext.is_empty() || TEXT_EXTENSIONS.contains(&ext.as_str()))
            {
                // README.md, LICENSE, BagIt's manifest-md5.txt; but a
                // manifest.json is a IIIF manifest, reported below.
                self.plan.skipped.push(path);
            } else if let Some(sniffed) = super::formats::sniff(self.root, &path, &ext) {
                match sniffed {
                    Sniffed::Mets { files } => self.push(Entry::Mets { file: path, files }),
                    Sniffed::Ocr { named } => {
                        ocr_files.push((stem.to_owned(), named));
                        self.push(Entry::Ocr { file: path });
                    }
                    Sniffed::Tei { key } => {
                        if let Some(key) = key {
                            self.tei_keys.push((key, self.plan.entries.len()));
                        }
                        self.push(Entry::Tei { files: vec![path] });
                    }
                    Sniffed::Iiif => self.push(Entry::Iiif { file: path }),
                }
            } else if IMAGE_EXTENSIONS.contains(&ext.as_str()) {
                images.push(name.clone());
            } else if TEXT_EXTENSIONS.contains(&ext.as_str()) {
                texts.push(name.clone());
            } else if let Some(reason) = unsupported_reason(&ext) {
                self.push(Entry::Unsupported {
                    path,
                    reason: reason.to_owned(),
                });
            } else {
                self.plan.skipped.push(path);
            }
        }
        // An OCR file and the image it takes as its page (its own name's,
        // else the one of this folder it names) are one document.
        let claimed: Vec<String> = ocr_files
            .iter()
            .filter_map(|(stem, named)| {
                super::formats::alto_page_hocr::claimed_image(stem, named.as_deref(), &images)
            })
            .cloned()
            .collect();
        images.retain(|image| !claimed.contains(image));
        let metadata = if has_metadata {
            let file = rel.join(loose::METADATA_FILE);
            if let Some(stamp) = Stamp::of(&self.root.join(&file)) {
                self.plan.stamps.push((file, stamp));
            }
            let (rows, errors) = loose::read_metadata(
                &self.root.join(rel).join(loose::METADATA_FILE),
                &rel.join(loose::METADATA_FILE),
            );
            self.plan.errors.extend(errors);
            Some(rows)
        } else {
            None
        };
        let grouping = loose::group(rel, &images, &texts, metadata);
        for entry in grouping {
            self.push(entry);
        }
    }
}

/// Why a file of this extension is not loaded yet, if folio knows the kind.
fn unsupported_reason(ext: &str) -> Option<&'static str> {
    let reason = match ext {
        "xml" => {
            "XML files other than TEI, METS, ALTO and PAGE are not read by this version of folio"
        }
        "json" => {
            "JSON files other than IIIF Presentation manifests are not read by this version of folio"
        }
        "html" | "htm" | "hocr" => {
            "HTML files other than hOCR are not read by this version of folio"
        }
        "docx" | "doc" | "odt" | "rtf" => {
            "word-processor files are not read; save the text as .txt or .md"
        }
        _ => return None,
    };
    Some(reason)
}

/// Splits `name.ext` into (`name`, `ext`); no extension gives `(name, "")`.
pub fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(0) | None => (name, ""),
        Some(dot) => (&name[..dot], &name[dot + 1..]),
    }
}

/// Orders names so that embedded numbers compare by value: `p2` < `p10`.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let mut ai = a.chars().peekable();
    let mut bi = b.chars().peekable();
    loop {
        match (ai.peek().copied(), bi.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let na: String = std::iter::from_fn(|| ai.next_if(char::is_ascii_digit)).collect();
                let nb: String = std::iter::from_fn(|| bi.next_if(char::is_ascii_digit)).collect();
                let (ta, tb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
                let order = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                if order != std::cmp::Ordering::Equal {
                    return order;
                }
            }
            (Some(x), Some(y)) => {
                let order = x.to_lowercase().cmp(y.to_lowercase());
                if order != std::cmp::Ordering::Equal {
                    return order;
                }
                ai.next();
                bi.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec!["p10.png", "p2.png", "P1.png", "a.txt", "p02.png"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["a.txt", "P1.png", "p02.png", "p2.png", "p10.png"]);
    }

    #[test]
    fn extensions() {
        assert_eq!(split_extension("0001.ru.txt"), ("0001.ru", "txt"));
        assert_eq!(split_extension(".hidden"), (".hidden", ""));
        assert_eq!(split_extension("plain"), ("plain", ""));
    }
}
