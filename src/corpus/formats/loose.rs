//! Loose files: page images and texts grouped by file name (`0001.jpg`,
//! `0001.ru.txt`, `0001.en.txt`; pages as `0002-p1.png` or `0002_001.jpg`),
//! described by an optional `metadata.csv` whose `id` column is the shared
//! name.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::corpus::walk::{Entry, natural_cmp, split_extension};
use crate::corpus::{LoadError, read_text};
use crate::model::{
    ArchiveRef, Document, FuzzyDate, Layer, LayerKind, Page, PageBreak, Person, Role, SourceFormat,
};
use crate::text::{guess_language, language_tag, normalize_tag};

/// The metadata file of a folder of loose files.
pub const METADATA_FILE: &str = "metadata.csv";

/// The columns `metadata.csv` may have (`id` is required).
pub const METADATA_COLUMNS: &[&str] = &[
    "id",
    "title",
    "date",
    "author",
    "recipient",
    "signatory",
    "mentioned",
    "translator",
    "archive",
    "language",
    "kind",
    "summary",
    "citation",
    "source_url",
    "tags",
];

/// One row of `metadata.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataRow {
    pub file: PathBuf,
    pub line: u64,
    pub fields: BTreeMap<String, String>,
}

impl MetadataRow {
    pub fn get(&self, column: &str) -> Option<&str> {
        self.fields
            .get(column)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

/// A file that may be one page of several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagedFile {
    pub path: PathBuf,
    pub page: Option<u32>,
    /// Language tag from the file name (`0001.ru.txt`).
    pub language: Option<String>,
}

/// Files and metadata sharing one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LooseGroup {
    pub dir: PathBuf,
    pub key: String,
    pub images: Vec<PagedFile>,
    pub texts: Vec<PagedFile>,
    pub metadata: Option<MetadataRow>,
}

impl LooseGroup {
    /// The file that stands for the group in messages and `source`.
    pub fn primary_path(&self) -> PathBuf {
        self.texts
            .first()
            .or(self.images.first())
            .map(|f| f.path.clone())
            .or_else(|| self.metadata.as_ref().map(|m| m.file.clone()))
            .unwrap_or_else(|| self.dir.join(&self.key))
    }
}

/// Reads `metadata.csv`; rows by id, and an error per bad row.
pub fn read_metadata(abs: &Path, rel: &Path) -> (HashMap<String, MetadataRow>, Vec<LoadError>) {
    let mut rows = HashMap::new();
    let mut errors = Vec::new();
    let text = match read_text(abs) {
        Ok(text) => text,
        Err(reason) => return (rows, vec![LoadError::new(rel, reason)]),
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => {
            return (
                rows,
                vec![LoadError::new(
                    rel,
                    format!("cannot read the header line: {e}"),
                )],
            );
        }
    };
    if !headers.iter().any(|h| h == "id") {
        return (
            rows,
            vec![LoadError::new(
                rel,
                format!(
                    "no `id` column (columns are: {})",
                    METADATA_COLUMNS.join(", ")
                ),
            )],
        );
    }
    let unknown: Vec<&str> = headers
        .iter()
        .map(String::as_str)
        .filter(|h| !METADATA_COLUMNS.contains(h))
        .collect();
    if !unknown.is_empty() {
        errors.push(LoadError::new(
            rel,
            format!(
                "unknown column(s) {} ignored (known: {})",
                unknown.join(", "),
                METADATA_COLUMNS.join(", ")
            ),
        ));
    }
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                errors.push(LoadError::new(rel, format!("line {line}: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        let fields: BTreeMap<String, String> = headers
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_owned))
            .collect();
        let id = fields
            .get("id")
            .map(|s| s.trim().to_owned())
            .unwrap_or_default();
        if id.is_empty() {
            errors.push(LoadError::new(rel, format!("line {line}: empty id")));
            continue;
        }
        if let Some(first) = first_line.get(&id) {
            errors.push(LoadError::new(
                rel,
                format!("line {line}: id {id:?} is already used on line {first}"),
            ));
            continue;
        }
        first_line.insert(id.clone(), line);
        rows.insert(
            id,
            MetadataRow {
                file: rel.to_owned(),
                line,
                fields,
            },
        );
    }
    (rows, errors)
}

/// A file name split into the document key, page number and language.
#[derive(Debug)]
struct NameParts {
    name: String,
    stem: String,
    language: Option<String>,
    /// `-p2` / `_p2`: certainly a page.
    explicit_page: Option<(String, u32)>,
    /// `_001` / `-02`: a page if the digits start with 0 or the base is a known key.
    numeric_page: Option<(String, u32, bool)>,
}

fn name_parts(name: &str, is_text: bool) -> NameParts {
    let (mut stem, _) = split_extension(name);
    let mut language = None;
    if is_text {
        let (inner, tag) = split_extension(stem);
        if !tag.is_empty() && is_file_language_tag(tag) {
            language = Some(normalize_tag(tag));
            stem = inner;
        }
    }
    let explicit_page = split_page_suffix(stem, true).map(|(base, n, _)| (base, n));
    let numeric_page = if explicit_page.is_none() {
        split_page_suffix(stem, false)
    } else {
        None
    };
    NameParts {
        name: name.to_owned(),
        stem: stem.to_owned(),
        language,
        explicit_page,
        numeric_page,
    }
}

/// Language tags accepted in file names: two-letter codes, common
/// three-letter ones, with optional script or region (`zh-Hant`).
fn is_file_language_tag(tag: &str) -> bool {
    const THREE_LETTER: &[&str] = &[
        "rus", "eng", "uig", "zho", "chi", "deu", "ger", "fra", "fre", "kaz", "kir", "uzb", "tat",
        "mon", "tur", "fas", "per", "ara", "ukr", "pol", "lat", "grc", "heb", "jpn", "kor",
    ];
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    let primary_ok = (primary.len() == 2 && primary.chars().all(|c| c.is_ascii_alphabetic()))
        || THREE_LETTER.contains(&primary.to_ascii_lowercase().as_str());
    primary_ok
        && parts.all(|p| (2..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `base-p2` (explicit) or `base_002` (numeric): returns (base, page, leading zero).
fn split_page_suffix(stem: &str, explicit: bool) -> Option<(String, u32, bool)> {
    let sep = stem.rfind(['-', '_'])?;
    let (base, suffix) = (&stem[..sep], &stem[sep + 1..]);
    if base.is_empty() {
        return None;
    }
    let digits = if explicit {
        suffix.strip_prefix(['p', 'P'])?
    } else {
        suffix
    };
    let length_ok = if explicit {
        (1..=4).contains(&digits.len())
    } else {
        (2..=4).contains(&digits.len())
    };
    if !length_ok || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let page: u32 = digits.parse().ok()?;
    Some((base.to_owned(), page, digits.starts_with('0')))
}

/// Groups a folder's images and texts into documents. Texts that belong to
/// no image, no metadata row and carry no language tag are web clips.
pub fn group(
    dir: &Path,
    images: &[String],
    texts: &[String],
    metadata: Option<HashMap<String, MetadataRow>>,
) -> Vec<Entry> {
    let metadata = metadata.unwrap_or_default();
    let image_parts: Vec<NameParts> = images.iter().map(|n| name_parts(n, false)).collect();
    let text_parts: Vec<NameParts> = texts.iter().map(|n| name_parts(n, true)).collect();

    let mut known: HashSet<String> = metadata.keys().cloned().collect();
    for p in image_parts
        .iter()
        .chain(text_parts.iter().filter(|t| t.language.is_some()))
    {
        match &p.explicit_page {
            Some((base, _)) => known.insert(base.clone()),
            None => known.insert(p.stem.clone()),
        };
    }
    let resolve = |p: &NameParts| -> (String, Option<u32>) {
        if let Some((base, page)) = &p.explicit_page {
            return (base.clone(), Some(*page));
        }
        if let Some((base, page, leading_zero)) = &p.numeric_page
            && (*leading_zero || known.contains(base))
        {
            return (base.clone(), Some(*page));
        }
        (p.stem.clone(), None)
    };

    let mut groups: BTreeMap<String, LooseGroup> = BTreeMap::new();
    let new_group = |key: &str| LooseGroup {
        dir: dir.to_owned(),
        key: key.to_owned(),
        images: Vec::new(),
        texts: Vec::new(),
        metadata: None,
    };
    for p in &image_parts {
        let (key, page) = resolve(p);
        groups
            .entry(key.clone())
            .or_insert_with(|| new_group(&key))
            .images
            .push(PagedFile {
                path: dir.join(&p.name),
                page,
                language: None,
            });
    }
    let mut entries = Vec::new();
    for p in &text_parts {
        let (key, page) = resolve(p);
        let belongs =
            p.language.is_some() || groups.contains_key(&key) || metadata.contains_key(&key);
        if belongs {
            groups
                .entry(key.clone())
                .or_insert_with(|| new_group(&key))
                .texts
                .push(PagedFile {
                    path: dir.join(&p.name),
                    page,
                    language: p.language.clone(),
                });
        } else {
            entries.push(Entry::Clip {
                file: dir.join(&p.name),
            });
        }
    }
    for (id, row) in metadata {
        groups
            .entry(id.clone())
            .or_insert_with(|| new_group(&id))
            .metadata = Some(row);
    }
    for group in groups.into_values() {
        let mut group = group;
        group.images.sort_by(|a, b| {
            a.page
                .cmp(&b.page)
                .then_with(|| natural_cmp(&a.path.to_string_lossy(), &b.path.to_string_lossy()))
        });
        group
            .texts
            .sort_by(|a, b| a.language.cmp(&b.language).then(a.page.cmp(&b.page)));
        entries.push(Entry::Loose(group));
    }
    entries.sort_by(|a, b| natural_cmp(&a.path().to_string_lossy(), &b.path().to_string_lossy()));
    entries
}

/// Builds the document of one group.
pub fn load(root: &Path, group: &LooseGroup) -> Result<Document, LoadError> {
    let mut doc = Document::new(group.key.clone(), group.primary_path(), SourceFormat::Loose);
    doc.title.clone_from(&group.key);
    if let Some(meta) = &group.metadata {
        apply_metadata(&mut doc, meta);
    }

    // Text layers: one per language, pages joined in order.
    let mut by_language: Vec<(Option<String>, Vec<&PagedFile>)> = Vec::new();
    for text in &group.texts {
        match by_language
            .iter_mut()
            .find(|(lang, _)| *lang == text.language)
        {
            Some((_, files)) => files.push(text),
            None => by_language.push((text.language.clone(), vec![text])),
        }
    }
    let translator = doc
        .people_with(Role::Translator)
        .next()
        .map(|p| p.name.clone());
    let mut layers = Vec::new();
    for (language, files) in by_language {
        let mut text = String::new();
        let mut breaks = Vec::new();
        for (i, file) in files.iter().enumerate() {
            let content = read_text(&root.join(&file.path))
                .map_err(|reason| LoadError::new(&file.path, reason))?;
            if i > 0 {
                text.push('\n');
                breaks.push(PageBreak {
                    offset: text.len(),
                    label: file.page.map(|p| p.to_string()),
                });
            }
            text.push_str(content.trim_end());
        }
        let language = language
            .or_else(|| doc.original_language.clone())
            .or_else(|| guess_language(&text).map(str::to_owned));
        let mut layer = Layer::new(LayerKind::Transcription, language, text);
        layer.page_breaks = breaks;
        layer.source = files.first().map(|f| f.path.clone());
        layers.push(layer);
    }
    assign_layer_kinds(&mut doc, &mut layers, translator.as_deref());
    // The original first, then its translations (the reader's default order).
    layers.sort_by_key(|l| l.kind);
    // The summary from metadata stays after the text layers.
    let summaries: Vec<Layer> = doc.layers.drain(..).collect();
    doc.layers = layers;
    doc.layers.extend(summaries);

    doc.pages = Vec::new();
    for f in &group.images {
        let mut page = Page::new(f.path.clone());
        page.label = f.page.map(|p| p.to_string());
        doc.pages.extend(crate::corpus::multipage::pages_of(
            root,
            page,
            &mut doc.warnings,
        ));
    }
    Ok(doc)
}

/// Decides which layer is the original: the metadata language, else the
/// only non-English layer, else the first. The others are translations.
fn assign_layer_kinds(doc: &mut Document, layers: &mut [Layer], translator: Option<&str>) {
    if layers.is_empty() {
        return;
    }
    let original_index = match &doc.original_language {
        Some(lang) => layers
            .iter()
            .position(|l| l.language.as_deref() == Some(lang.as_str())),
        None => {
            let non_english: Vec<usize> = (0..layers.len())
                .filter(|&i| layers[i].language.as_deref() != Some("en"))
                .collect();
            Some(if non_english.len() == 1 {
                non_english[0]
            } else {
                0
            })
        }
    };
    if doc.original_language.is_none() {
        doc.original_language = original_index.and_then(|i| layers[i].language.clone());
    }
    for (i, layer) in layers.iter_mut().enumerate() {
        if Some(i) == original_index {
            layer.kind = LayerKind::Transcription;
        } else {
            layer.kind = LayerKind::Translation;
            layer.translated_from.clone_from(&doc.original_language);
            layer.translator = translator.map(str::to_owned);
        }
    }
}

fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value.split(';').map(str::trim).filter(|s| !s.is_empty())
}

fn apply_metadata(doc: &mut Document, meta: &MetadataRow) {
    if let Some(title) = meta.get("title") {
        title.clone_into(&mut doc.title);
    }
    if let Some(date) = meta.get("date") {
        doc.date = FuzzyDate::parse(date).unwrap_or_else(|e| {
            doc.warnings
                .push(format!("{} line {}: {e}", meta.file.display(), meta.line));
            FuzzyDate::unknown(date)
        });
    }
    for (column, role) in [
        ("author", Role::Author),
        ("recipient", Role::Recipient),
        ("signatory", Role::Signatory),
        ("mentioned", Role::Mentioned),
        ("translator", Role::Translator),
    ] {
        if let Some(value) = meta.get(column) {
            doc.people
                .extend(split_list(value).map(|name| Person::from_written(name, role)));
        }
    }
    doc.archive = meta.get("archive").and_then(ArchiveRef::parse);
    if let Some(lang) = meta.get("language") {
        match language_tag(lang) {
            Some(tag) => doc.original_language = Some(tag),
            None => doc.warnings.push(format!(
                "{} line {}: unknown language {lang:?}",
                meta.file.display(),
                meta.line
            )),
        }
    }
    doc.kind = meta.get("kind").map(str::to_owned);
    doc.citation = meta.get("citation").map(str::to_owned);
    doc.source_url = meta.get("source_url").map(str::to_owned);
    if let Some(tags) = meta.get("tags") {
        doc.tags = split_list(tags).map(str::to_owned).collect();
    }
    if let Some(summary) = meta.get("summary") {
        doc.layers.push(Layer::new(
            LayerKind::Summary,
            guess_language(summary).map(str::to_owned),
            summary,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(entries: &[Entry]) -> Vec<String> {
        entries
            .iter()
            .map(|e| match e {
                Entry::Loose(g) => format!("{}:{}i{}t", g.key, g.images.len(), g.texts.len()),
                Entry::Clip { file } => format!("clip {}", file.display()),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn groups_by_stem_and_page() {
        let images: Vec<String> = [
            "0001.jpg",
            "0002-p1.png",
            "0002-p2.png",
            "0003_001.jpg",
            "0003_002.jpg",
            "scan_1945.jpg",
            "scan_1946.jpg",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let texts: Vec<String> = [
            "0001.ru.txt",
            "0001.en.txt",
            "0002-p1.ru.txt",
            "0002-p2.ru.txt",
            "0003.txt",
            "essay.txt",
            "notes.old.txt",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let entries = group(Path::new(""), &images, &texts, None);
        assert_eq!(
            keys(&entries),
            [
                "0001:1i2t",
                "0002:2i2t",
                "0003:2i1t",
                "clip essay.txt",
                "clip notes.old.txt",
                "scan_1945:1i0t",
                "scan_1946:1i0t"
            ]
        );
    }

    #[test]
    fn page_suffixes() {
        assert_eq!(
            split_page_suffix("0002-p1", true),
            Some(("0002".into(), 1, false))
        );
        assert_eq!(
            split_page_suffix("0002_001", false),
            Some(("0002".into(), 1, true))
        );
        assert_eq!(
            split_page_suffix("scan_1945", false),
            Some(("scan".into(), 1945, false))
        );
        assert_eq!(split_page_suffix("letter", false), None);
        assert_eq!(split_page_suffix("-p1", true), None);
        assert!(
            is_file_language_tag("ru")
                && is_file_language_tag("zh-Hant")
                && is_file_language_tag("rus")
        );
        assert!(
            !is_file_language_tag("old")
                && !is_file_language_tag("v2")
                && !is_file_language_tag("backup")
        );
    }
}
