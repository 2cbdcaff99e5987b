//! A document written out as a structured `document.toml` folder
//! elsewhere (the work made portable): its fields as described, its page
//! images copied into `scan/`, its texts as `<kind>.<lang>.md` files.
//! Nothing is written inside the corpus.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::{Document, LayerKind};

#[derive(Debug, Serialize)]
struct DocumentToml<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_text: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    date_inferred: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    digital_archive: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credits: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    places: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    archive: Option<ArchiveToml<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    people: Vec<PersonToml<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    layers: Vec<LayerToml>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pages: Vec<PageToml<'a>>,
}

#[derive(Debug, Serialize)]
struct ArchiveToml<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    repository: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fond: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opis: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    papka: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delo: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    folios: Option<&'a str>,
    raw: &'a str,
}

#[derive(Debug, Serialize)]
struct PersonToml<'a> {
    name: &'a str,
    role: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    authority: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct LayerToml {
    file: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translated_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translator: Option<String>,
}

#[derive(Debug, Serialize)]
struct PageToml<'a> {
    image: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
}

/// Writes `doc` (of the corpus at `root`) as the folder `out/<id>`;
/// returns the folder and what could not be carried (pages that are not
/// files of the corpus). Fails when `out` lies inside the corpus or the
/// folder exists already.
pub fn write(root: &Path, doc: &Document, out: &Path) -> Result<(PathBuf, Vec<String>), String> {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_owned());
    let out_real = canonical(out);
    if out_real.starts_with(canonical(root)) {
        return Err(format!(
            "{} is inside the corpus; write the folder elsewhere (folio never adds files to a corpus)",
            out.display()
        ));
    }
    let folder = out.join(crate::research::sidecar::safe_name(&doc.id));
    if folder.exists() {
        return Err(format!("{} exists already", folder.display()));
    }
    std::fs::create_dir_all(folder.join("scan"))
        .map_err(|e| format!("cannot make {}: {e}", folder.display()))?;
    let mut left_out = Vec::new();
    let pages = copy_pages(root, doc, &folder, &mut left_out)?;
    let layers = write_layers(doc, &folder)?;
    let summary = doc.layers.iter().find(|l| l.kind == LayerKind::Summary);
    let record = DocumentToml {
        id: &doc.id,
        title: &doc.title,
        kind: doc.kind.as_deref(),
        date: (!doc.date.is_unknown()).then(|| doc.date.to_edtf()),
        date_text: Some(doc.date.text.as_str()).filter(|t| !t.trim().is_empty()),
        date_inferred: doc.date.inferred,
        original_language: doc.original_language.as_deref(),
        source_url: doc.source_url.as_deref(),
        digital_archive: doc.digital_archive.as_deref(),
        citation: doc.citation.as_deref(),
        summary: summary.map(|l| l.text.as_str()),
        credits: doc.credits.as_deref(),
        tags: &doc.tags,
        places: &doc.places,
        archive: doc.archive.as_ref().map(|a| ArchiveToml {
            repository: a.repository.as_deref(),
            fond: a.fond.as_deref(),
            opis: a.opis.as_deref(),
            papka: a.papka.as_deref(),
            delo: a.delo.as_deref(),
            folios: a.folios.as_deref(),
            raw: &a.raw,
        }),
        people: doc
            .people
            .iter()
            .filter(|p| !p.from_text)
            .map(|p| PersonToml {
                name: &p.name,
                role: p.role.as_str(),
                aliases: &p.aliases,
                authority: p.authority.as_deref().filter(|_| !p.authority_matched),
            })
            .collect(),
        layers,
        pages,
    };
    let text = toml::to_string_pretty(&record).map_err(|e| e.to_string())?;
    crate::cache::write_atomically(&folder.join("document.toml"), text.as_bytes()).map_err(
        |e| {
            format!(
                "cannot write {}: {e}",
                folder.join("document.toml").display()
            )
        },
    )?;
    Ok((folder, left_out))
}

/// Copies each page's file into `scan/` (a multi-page file once).
fn copy_pages<'a>(
    root: &Path,
    doc: &'a Document,
    folder: &Path,
    left_out: &mut Vec<String>,
) -> Result<Vec<PageToml<'a>>, String> {
    let mut copied: Vec<(PathBuf, String)> = Vec::new();
    let mut pages = Vec::new();
    for page in &doc.pages {
        if crate::corpus::formats::iiif::is_remote(&page.image) {
            left_out.push(format!(
                "{} (a remote page; not copied)",
                page.image.display()
            ));
            continue;
        }
        let name = match copied.iter().find(|(source, _)| *source == page.image) {
            Some((_, name)) => name.clone(),
            None => {
                let base = page
                    .image
                    .file_name()
                    .map_or_else(|| "page".to_owned(), |n| n.to_string_lossy().into_owned());
                let name = if copied.iter().any(|(_, n)| *n == base) {
                    format!("{}-{base}", copied.len() + 1)
                } else {
                    base
                };
                let from = root.join(&page.image);
                std::fs::copy(&from, folder.join("scan").join(&name))
                    .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
                copied.push((page.image.clone(), name.clone()));
                name
            }
        };
        pages.push(PageToml {
            image: format!("scan/{name}"),
            page: page.index_in_file.map(|i| i + 1),
            label: page.label.as_deref(),
        });
    }
    Ok(pages)
}

/// A layer's text with `--- page N ---` before each page (labelled pages
/// with their label, `[л. 352 об.]`), or as it is when undivided.
fn with_markers(layer: &crate::model::Layer) -> String {
    if layer.page_count() < 2 {
        return layer.text.clone();
    }
    let mut out = String::with_capacity(layer.text.len() + 16 * layer.page_count());
    for n in 0..layer.page_count() {
        let label = n
            .checked_sub(1)
            .and_then(|b| layer.page_breaks.get(b)?.label.clone());
        match label {
            Some(label) => out.push_str(&format!("[{label}]\n")),
            None => out.push_str(&format!("--- page {} ---\n", n + 1)),
        }
        out.push_str(
            layer
                .page_text(n)
                .unwrap_or_default()
                .trim_end_matches('\n'),
        );
        out.push('\n');
    }
    out
}

/// Writes each text layer as `<kind>.<lang>.md` (numbered when two share
/// a name), a text divided into pages with a page marker before each, so
/// page N stays beside scan N.
fn write_layers(doc: &Document, folder: &Path) -> Result<Vec<LayerToml>, String> {
    let mut layers = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for layer in doc.layers.iter().filter(|l| l.kind != LayerKind::Summary) {
        let language = layer
            .language
            .as_deref()
            .map_or_else(String::new, |l| format!(".{l}"));
        let mut name = format!("{}{language}.md", layer.kind.as_str());
        if names.contains(&name) {
            name = format!("{}-{}{language}.md", layer.kind.as_str(), names.len() + 1);
        }
        crate::cache::write_atomically(&folder.join(&name), with_markers(layer).as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", folder.join(&name).display()))?;
        layers.push(LayerToml {
            file: name.clone(),
            kind: layer.kind.as_str(),
            language: layer.language.clone(),
            translated_from: layer.translated_from.clone(),
            translator: layer.translator.clone(),
        });
        names.push(name);
    }
    Ok(layers)
}
