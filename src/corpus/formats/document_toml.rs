//! folio's own structured document: a folder with `document.toml`, text
//! layers named `<kind>.<language>.md` (`original.ru.md`,
//! `translation.en.md`) and page images in `scan/`. The schema is written
//! down in `docs/FORMAT.md`; unknown keys are errors so that typos show.

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::corpus::walk::{IMAGE_EXTENSIONS, natural_cmp, split_extension};
use crate::corpus::{LoadError, check_inside, describe_toml_error, read_text};
use crate::model::{
    ArchiveRef, Document, FuzzyDate, Layer, LayerKind, Page, Person, Role, SourceFormat,
};
use crate::text::{guess_language, is_language_tag, language_tag, normalize_tag};

/// The file that makes a folder a structured document.
pub const DOCUMENT_FILE: &str = "document.toml";
/// The folder of page images inside a structured document.
pub const SCAN_DIR: &str = "scan";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentToml {
    id: Option<String>,
    title: String,
    kind: Option<String>,
    /// EDTF or a written date.
    date: Option<String>,
    /// The date as written in the source, when `date` is EDTF.
    date_text: Option<String>,
    #[serde(default)]
    date_inferred: bool,
    original_language: Option<String>,
    source_url: Option<String>,
    /// The digital archive the document was taken from, named in its
    /// citation.
    digital_archive: Option<String>,
    citation: Option<String>,
    summary: Option<String>,
    credits: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
    archive: Option<ArchiveToml>,
    #[serde(default)]
    people: Vec<PersonToml>,
    #[serde(default)]
    layers: Vec<LayerToml>,
    #[serde(default)]
    pages: Vec<PageToml>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ArchiveToml {
    Written(String),
    Fields(ArchiveFields),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchiveFields {
    repository: Option<String>,
    fond: Option<String>,
    opis: Option<String>,
    papka: Option<String>,
    delo: Option<String>,
    folios: Option<String>,
    shelfmark: Option<String>,
    raw: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonToml {
    name: String,
    role: String,
    #[serde(default)]
    aliases: Vec<String>,
    authority: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerToml {
    file: String,
    kind: Option<String>,
    language: Option<String>,
    translated_from: Option<String>,
    translator: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageToml {
    image: String,
    /// Page inside a multi-page file, 1-based as people count.
    page: Option<u32>,
    label: Option<String>,
}

/// Loads the structured document in `dir` (relative to `root`).
pub fn load(root: &Path, dir: &Path) -> Result<Document, LoadError> {
    let abs = root.join(dir);
    let toml_rel = dir.join(DOCUMENT_FILE);
    check_inside(root, dir, &toml_rel).map_err(|why| LoadError::new(&toml_rel, why))?;
    let text =
        read_text(&abs.join(DOCUMENT_FILE)).map_err(|reason| LoadError::new(&toml_rel, reason))?;
    let raw: DocumentToml = toml::from_str(&text)
        .map_err(|e| LoadError::new(&toml_rel, describe_toml_error(&e, &text)))?;
    let err = |reason: String| LoadError::new(&toml_rel, reason);

    let folder_name = dir.file_name().map_or_else(
        || "document".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let id = raw.id.clone().unwrap_or(folder_name);
    if id.trim().is_empty() {
        return Err(err("`id` must not be empty".into()));
    }
    if raw.title.trim().is_empty() {
        return Err(err("`title` must not be empty".into()));
    }
    let mut doc = Document::new(id.trim(), dir.to_owned(), SourceFormat::Folio);
    doc.title = raw.title.trim().to_owned();
    doc.kind = raw.kind;
    doc.date = match &raw.date {
        None => FuzzyDate::unknown(raw.date_text.clone().unwrap_or_default()),
        Some(value) => {
            let parsed = FuzzyDate::parse(value).map_err(|e| err(format!("`date`: {e}")))?;
            match &raw.date_text {
                Some(written) => parsed.with_text(written.clone()),
                // An inferred date with no written form: the source says nothing.
                None if raw.date_inferred => parsed.with_text(""),
                None => parsed,
            }
        }
    };
    doc.date.inferred |= raw.date_inferred;
    doc.original_language = match &raw.original_language {
        Some(l) => Some(
            language_tag(l)
                .ok_or_else(|| err(format!("`original_language`: unknown language {l:?}")))?,
        ),
        None => None,
    };
    doc.source_url = raw.source_url;
    doc.digital_archive = raw.digital_archive;
    doc.citation = raw.citation;
    doc.credits = raw.credits;
    doc.tags = raw.tags;
    doc.places = raw.places;
    doc.archive = match raw.archive {
        None => None,
        Some(ArchiveToml::Written(s)) => ArchiveRef::parse(&s),
        Some(ArchiveToml::Fields(f)) => {
            let mut reference = ArchiveRef {
                repository: f.repository,
                fond: f.fond,
                opis: f.opis,
                papka: f.papka,
                delo: f.delo,
                folios: f.folios,
                shelfmark: f.shelfmark,
                raw: f.raw.unwrap_or_default(),
            };
            if reference.raw.is_empty() {
                reference.raw = reference.short();
            }
            Some(reference)
        }
    };
    for p in raw.people {
        let role = Role::parse(&p.role).ok_or_else(|| {
            err(format!("person {:?}: unknown role {:?} (use author, recipient, signatory, translator or mentioned)", p.name, p.role))
        })?;
        let mut person = Person::from_written(&p.name, role);
        person.aliases.extend(p.aliases);
        person.authority = p.authority;
        doc.people.push(person);
    }

    doc.layers = load_layers(root, dir, raw.layers, &doc)?;
    if let Some(summary) = raw.summary {
        doc.layers.push(Layer::new(
            LayerKind::Summary,
            guess_language(&summary).map(str::to_owned),
            summary.trim(),
        ));
    }
    if doc.original_language.is_none() {
        doc.original_language = doc
            .layers
            .iter()
            .find(|l| l.kind == LayerKind::Transcription)
            .and_then(|l| l.language.clone());
    }
    doc.pages = load_pages(root, dir, raw.pages, &mut doc.warnings)?;
    Ok(doc)
}

/// A path from a document file, checked to stay inside the document folder.
fn inside(dir: &Path, written: &str, toml_rel: &Path) -> Result<PathBuf, LoadError> {
    let refuse = |why: &str| LoadError::new(toml_rel, format!("path {written:?} {why}; refused"));
    if written.contains("://") {
        return Err(refuse("is a URL, not a file in the document folder"));
    }
    let path = Path::new(written);
    for component in path.components() {
        match component {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err(refuse("leaves the document folder")),
            Component::RootDir | Component::Prefix(_) => return Err(refuse("is absolute")),
        }
    }
    Ok(dir.join(path))
}

fn load_layers(
    root: &Path,
    dir: &Path,
    listed: Vec<LayerToml>,
    doc: &Document,
) -> Result<Vec<Layer>, LoadError> {
    let toml_rel = dir.join(DOCUMENT_FILE);
    let mut layers = Vec::new();
    let mut used: Vec<PathBuf> = Vec::new();
    let default_translator = doc
        .people_with(Role::Translator)
        .next()
        .map(|p| p.name.clone());

    for spec in listed {
        let rel = inside(dir, &spec.file, &toml_rel)?;
        let (name_kind, name_lang) = layer_name_parts(&spec.file);
        let kind = match spec.kind.as_deref() {
            Some(k) => LayerKind::parse(k).ok_or_else(|| {
                LoadError::new(
                    &toml_rel,
                    format!("layer {:?}: unknown kind {k:?}", spec.file),
                )
            })?,
            None => name_kind.unwrap_or(LayerKind::Transcription),
        };
        let language = match spec.language.as_deref() {
            Some(l) => Some(language_tag(l).ok_or_else(|| {
                LoadError::new(
                    &toml_rel,
                    format!("layer {:?}: unknown language {l:?}", spec.file),
                )
            })?),
            None => name_lang,
        };
        let mut layer = read_layer(root, dir, &rel, kind, language)?;
        layer.translated_from = spec.translated_from.as_deref().and_then(language_tag);
        layer.translator = spec.translator;
        complete_translation(&mut layer, doc, default_translator.as_deref());
        used.push(rel);
        layers.push(layer);
    }

    // Files named <kind>.<lang>.md that the list does not mention.
    let mut found: Vec<(LayerKind, String, PathBuf)> = Vec::new();
    if let Ok(listing) = std::fs::read_dir(root.join(dir)) {
        for item in listing.flatten() {
            let name = item.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !is_file(&item) {
                continue;
            }
            if let (Some(kind), Some(lang)) = layer_name_parts(&name) {
                let rel = dir.join(&name);
                if !used.contains(&rel) {
                    found.push((kind, lang, rel));
                }
            }
        }
    }
    found.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| natural_cmp(&a.2.to_string_lossy(), &b.2.to_string_lossy()))
    });
    for (kind, lang, rel) in found {
        let mut layer = read_layer(root, dir, &rel, kind, Some(lang))?;
        complete_translation(&mut layer, doc, default_translator.as_deref());
        layers.push(layer);
    }
    Ok(layers)
}

/// A translation with no stated source language is from the original.
fn complete_translation(layer: &mut Layer, doc: &Document, translator: Option<&str>) {
    if layer.kind != LayerKind::Translation {
        return;
    }
    if layer.translated_from.is_none() {
        layer.translated_from.clone_from(&doc.original_language);
    }
    if layer.translator.is_none() {
        layer.translator = translator.map(str::to_owned);
    }
}

fn read_layer(
    root: &Path,
    dir: &Path,
    rel: &Path,
    kind: LayerKind,
    language: Option<String>,
) -> Result<Layer, LoadError> {
    let abs = root.join(rel);
    check_inside(root, dir, rel).map_err(|why| LoadError::new(rel, format!("layer file {why}")))?;
    let text = read_text(&abs).map_err(|reason| LoadError::new(rel, reason))?;
    let language = language.or_else(|| guess_language(&text).map(str::to_owned));
    let mut layer = Layer::with_page_markers(kind, language, &text);
    layer.source = Some(rel.to_owned());
    Ok(layer)
}

/// Whether a listed item is a file (or a link to one), without a `stat`
/// for plain files.
fn is_file(item: &std::fs::DirEntry) -> bool {
    match item.file_type() {
        Ok(t) if t.is_symlink() => item.path().is_file(),
        Ok(t) => t.is_file(),
        Err(_) => false,
    }
}

/// `original.ru.md` → (transcription, ru); `translation.en.txt` → (translation, en).
fn layer_name_parts(name: &str) -> (Option<LayerKind>, Option<String>) {
    let (stem, ext) = split_extension(name);
    if !matches!(ext.to_ascii_lowercase().as_str(), "md" | "txt" | "markdown") {
        return (None, None);
    }
    let (kind, lang) = split_extension(stem);
    if lang.is_empty() || !is_language_tag(lang) {
        return (LayerKind::parse(stem), None);
    }
    (LayerKind::parse(kind), Some(normalize_tag(lang)))
}

fn load_pages(
    root: &Path,
    dir: &Path,
    listed: Vec<PageToml>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Page>, LoadError> {
    let toml_rel = dir.join(DOCUMENT_FILE);
    if !listed.is_empty() {
        let mut pages = Vec::new();
        for spec in listed {
            let rel = inside(dir, &spec.image, &toml_rel)?;
            check_inside(root, dir, &rel)
                .map_err(|why| LoadError::new(&rel, format!("page image {why}")))?;
            let mut page = Page::new(rel);
            page.index_in_file = match spec.page {
                Some(0) => {
                    return Err(LoadError::new(
                        &toml_rel,
                        format!("page {:?}: pages count from 1", spec.image),
                    ));
                }
                Some(n) => Some(n - 1),
                None => None,
            };
            page.label = spec.label;
            pages.extend(crate::corpus::multipage::pages_of(root, page, warnings));
        }
        return Ok(pages);
    }
    let scan = root.join(dir).join(SCAN_DIR);
    let Ok(listing) = std::fs::read_dir(&scan) else {
        return Ok(Vec::new());
    };
    let mut names: Vec<String> = listing
        .flatten()
        .filter(is_file)
        .map(|item| item.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            !name.starts_with('.')
                && IMAGE_EXTENSIONS.contains(&split_extension(name).1.to_ascii_lowercase().as_str())
        })
        .collect();
    names.sort_by(|a, b| natural_cmp(a, b));
    let mut pages = Vec::new();
    for name in names {
        let rel = dir.join(SCAN_DIR).join(name);
        match check_inside(root, dir, &rel) {
            Ok(()) => pages.extend(crate::corpus::multipage::pages_of(
                root,
                Page::new(rel),
                warnings,
            )),
            Err(why) => warnings.push(format!("{}: {why}", rel.display())),
        }
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_file_names() {
        assert_eq!(
            layer_name_parts("original.ru.md"),
            (Some(LayerKind::Transcription), Some("ru".into()))
        );
        assert_eq!(
            layer_name_parts("translation.zh-hant.txt"),
            (Some(LayerKind::Translation), Some("zh-Hant".into()))
        );
        assert_eq!(
            layer_name_parts("summary.md"),
            (Some(LayerKind::Summary), None)
        );
        assert_eq!(layer_name_parts("notes.ru.pdf"), (None, None));
        assert_eq!(layer_name_parts("README.md"), (None, None));
    }

    #[test]
    fn paths_stay_inside() {
        let dir = Path::new("doc");
        let toml = Path::new("doc/document.toml");
        assert!(inside(dir, "scan/001.jpg", toml).is_ok());
        assert!(inside(dir, "../../etc/passwd", toml).is_err());
        assert!(inside(dir, "/etc/passwd", toml).is_err());
        assert!(inside(dir, "file:///etc/passwd", toml).is_err());
        assert!(inside(dir, "scan/../../x", toml).is_err());
    }
}
