//! Laying the descriptions over a corpus as parsed: pages regrouped into
//! documents, then each described field in place of the file's. Nothing
//! is parsed again; only the documents described change (their
//! fingerprints too, so the search index updates them alone).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{Description, Overlay, file_name};
use crate::corpus::{Corpus, LoadError};
use crate::model::{
    ArchiveRef, Document, FuzzyDate, Layer, LayerKind, Page, Person, Role, SourceFormat,
};
use crate::text::{guess_language, language_tag};

/// A corpus with its descriptions laid over it.
#[derive(Debug, Clone)]
pub struct Applied {
    pub corpus: Corpus,
    /// Ids of the documents a description changed or made.
    pub described: Vec<String>,
}

/// `base` with every description of `overlay` applied. What a
/// description says that folio cannot read (a date, a reference, a page
/// that is not in the corpus) is an error of the corpus naming the
/// description's file, and the file's value stays.
pub fn apply(base: &Corpus, overlay: &Overlay) -> Applied {
    let mut corpus = base.clone();
    if overlay.is_empty() {
        return Applied {
            corpus,
            described: Vec::new(),
        };
    }
    let folder = relative_folder(&base.root, overlay);
    let mut problems = Vec::new();
    regroup(&mut corpus, overlay, &folder, &mut problems);
    let mut described = Vec::new();
    let positions: HashMap<String, usize> = corpus
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.clone(), i))
        .collect();
    for description in overlay.by_id.values() {
        let file = folder.join(file_name(&description.id));
        let Some(&i) = positions.get(&description.id) else {
            problems.push(LoadError::new(
                &file,
                format!(
                    "describes {:?}, which is not a document of the corpus (its pages may be gone)",
                    description.id
                ),
            ));
            continue;
        };
        let doc = &mut corpus.documents[i];
        let mut complain = |reason: String| problems.push(LoadError::new(&file, reason));
        describe(doc, description, &mut complain);
        crate::corpus::link_document(doc, &corpus.authority);
        if let Some(fingerprint) = corpus.fingerprints.get_mut(i) {
            *fingerprint = crate::corpus::snapshot::fingerprint(doc);
        }
        described.push(description.id.clone());
    }
    if !overlay.ocr.is_empty() {
        for (i, doc) in corpus.documents.iter_mut().enumerate() {
            if add_ocr(doc, overlay) {
                if let Some(fingerprint) = corpus.fingerprints.get_mut(i) {
                    *fingerprint = crate::corpus::snapshot::fingerprint(doc);
                }
                described.push(doc.id.clone());
            }
        }
    }
    // Texts written in folio come last, so that the layers files and OCR
    // regions point to keep their places.
    for description in overlay.by_id.values().filter(|d| !d.texts.is_empty()) {
        let Some(&i) = positions.get(&description.id) else {
            continue;
        };
        let file = folder.join(file_name(&description.id));
        let doc = &mut corpus.documents[i];
        for text in &description.texts {
            match user_layer(text) {
                Ok(layer) => doc.layers.push(layer),
                Err(reason) => problems.push(LoadError::new(&file, reason)),
            }
        }
        if let Some(fingerprint) = corpus.fingerprints.get_mut(i) {
            *fingerprint = crate::corpus::snapshot::fingerprint(doc);
        }
    }
    for error in &overlay.errors {
        let (path, reason) = match error {
            super::DescribeError::Read { path, reason }
            | super::DescribeError::Write { path, reason } => (path, reason),
        };
        let path = path.strip_prefix(&base.root).unwrap_or(path);
        problems.push(LoadError::new(path, reason.clone()));
    }
    corpus.errors.extend(problems);
    corpus
        .errors
        .sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.reason.cmp(&b.reason)));
    Applied { corpus, described }
}

/// `base` as described: itself when there is no description (nothing
/// copied), else [`apply`]'s corpus.
pub fn shown(base: Corpus, overlay: &Overlay) -> Corpus {
    if overlay.is_empty() {
        base
    } else {
        apply(&base, overlay).corpus
    }
}

/// The descriptions folder as errors name it: relative to the corpus when
/// inside it.
fn relative_folder(root: &Path, overlay: &Overlay) -> PathBuf {
    let folder = overlay.folder();
    folder
        .strip_prefix(root)
        .map_or_else(|_| folder.clone(), Path::to_owned)
}

/// Where each page of the corpus is: (image, page in file) → (document, page).
type PageIndex = HashMap<(PathBuf, u32), (usize, usize)>;

/// Moves pages into the documents whose descriptions list them, in that
/// order; a document left with no page and no text goes.
fn regroup(corpus: &mut Corpus, overlay: &Overlay, folder: &Path, problems: &mut Vec<LoadError>) {
    let grouping: Vec<&Description> = overlay
        .by_id
        .values()
        .filter(|d| d.pages.is_some())
        .collect();
    if grouping.is_empty() {
        return;
    }
    let mut index: PageIndex = HashMap::new();
    for (d, doc) in corpus.documents.iter().enumerate() {
        for (p, page) in doc.pages.iter().enumerate() {
            index
                .entry((page.image.clone(), page.index_in_file.unwrap_or(0)))
                .or_insert((d, p));
        }
    }
    // Pages claimed, and by which described document.
    let mut claimed: HashMap<(usize, usize), String> = HashMap::new();
    let mut new_pages: Vec<(String, Vec<Page>)> = Vec::new();
    for description in &grouping {
        let file = folder.join(file_name(&description.id));
        let mut pages = Vec::new();
        for listed in description.pages.iter().flatten() {
            let key = (
                PathBuf::from(&listed.image),
                listed.page.map_or(0, |p| p.saturating_sub(1)),
            );
            let Some(&at) = index.get(&key) else {
                problems.push(LoadError::new(
                    &file,
                    format!(
                        "page {:?} is not a page of any document of the corpus",
                        listed.image
                    ),
                ));
                continue;
            };
            if let Some(other) = claimed.get(&at) {
                problems.push(LoadError::new(
                    &file,
                    format!("page {:?} is already a page of {other:?}", listed.image),
                ));
                continue;
            }
            claimed.insert(at, description.id.clone());
            let mut page = corpus.documents[at.0].pages[at.1].clone();
            if let Some(label) = &listed.label {
                page.label = (!label.trim().is_empty()).then(|| label.trim().to_owned());
            }
            pages.push(page);
        }
        new_pages.push((description.id.clone(), pages));
    }
    // Documents made of pages of others, placed where their first page was.
    let ids: HashSet<String> = corpus.documents.iter().map(|d| d.id.clone()).collect();
    let mut made: Vec<(usize, Document)> = Vec::new();
    for (id, pages) in &new_pages {
        if ids.contains(id) {
            continue;
        }
        let Some(first) = pages.first() else { continue };
        let Some(&(owner, _)) = index.get(&(first.image.clone(), first.index_in_file.unwrap_or(0)))
        else {
            continue;
        };
        let source = corpus.documents[owner].source.clone();
        let mut doc = Document::new(id.clone(), source, SourceFormat::Loose);
        doc.title.clone_from(id);
        made.push((owner, doc));
    }
    made.sort_by_key(|(owner, _)| *owner);
    let described: HashSet<&str> = overlay.by_id.keys().map(String::as_str).collect();
    let mut kept = Vec::with_capacity(corpus.documents.len() + made.len());
    let mut fingerprints = Vec::with_capacity(kept.capacity());
    let old = std::mem::take(&mut corpus.documents);
    let old_prints = std::mem::take(&mut corpus.fingerprints);
    let mut made = made.into_iter().peekable();
    let taken: HashMap<&str, &Vec<Page>> =
        new_pages.iter().map(|(id, p)| (id.as_str(), p)).collect();
    for (d, mut doc) in old.into_iter().enumerate() {
        while let Some((_, new)) = made.next_if(|(owner, _)| *owner == d) {
            let mut new = new;
            if let Some(pages) = taken.get(new.id.as_str()) {
                new.pages.clone_from(pages);
            }
            fingerprints.push(crate::corpus::snapshot::fingerprint(&new));
            kept.push(new);
        }
        let before = doc.pages.len();
        if let Some(pages) = taken.get(doc.id.as_str()) {
            doc.pages.clone_from(pages);
        } else {
            let mut p = 0;
            doc.pages.retain(|_| {
                let keep = !claimed.contains_key(&(d, p));
                p += 1;
                keep
            });
        }
        let has_text = doc.layers.iter().any(|l| l.kind != LayerKind::Summary);
        if before > 0 && doc.pages.is_empty() && !has_text && !described.contains(doc.id.as_str()) {
            continue;
        }
        let print = if doc.pages.len() == before && !taken.contains_key(doc.id.as_str()) {
            old_prints.get(d).copied().unwrap_or(0)
        } else {
            crate::corpus::snapshot::fingerprint(&doc)
        };
        fingerprints.push(print);
        kept.push(doc);
    }
    corpus.documents = kept;
    corpus.fingerprints = fingerprints;
}

/// A text written in folio as a layer: its pages joined, each page
/// starting where the scan's does.
pub fn user_layer(text: &super::DescribedText) -> Result<Layer, String> {
    let kind = match text.kind.as_str() {
        "transcription" => LayerKind::Transcription,
        "translation" => LayerKind::Translation,
        "note" => LayerKind::Note,
        other => {
            return Err(format!(
                "text of kind {other:?}: use transcription, translation or note"
            ));
        }
    };
    let language = parse_language(&text.language)?;
    let mut joined = String::new();
    let mut breaks = Vec::new();
    for (n, page) in text.pages.iter().enumerate() {
        if n > 0 {
            joined.push('\n');
            breaks.push(crate::model::PageBreak {
                offset: joined.len(),
                label: None,
            });
        }
        joined.push_str(page.trim_end());
    }
    let mut layer = Layer::new(kind, language, joined);
    layer.page_breaks = breaks;
    layer.origin = crate::model::Origin::User;
    Ok(layer)
}

/// Adds the machine OCR kept for `doc`'s pages as one transcription
/// layer, page by page beside the scan, its lines and words linked to
/// the scan; whether there was any.
fn add_ocr(doc: &mut Document, overlay: &Overlay) -> bool {
    let texts: Vec<Option<&crate::research::ocr::PageText>> = doc
        .pages
        .iter()
        .map(|p| {
            overlay
                .ocr
                .get(&(p.image.clone(), p.index_in_file.unwrap_or(0)))
        })
        .collect();
    if texts.iter().all(Option::is_none) {
        return false;
    }
    let layer_index = doc.layers.len();
    let mut text = String::new();
    let mut breaks = Vec::new();
    let mut confidences = Vec::new();
    let mut language = None;
    for (n, page_text) in texts.iter().enumerate() {
        if n > 0 {
            if !text.is_empty() {
                text.push('\n');
            }
            breaks.push(crate::model::PageBreak {
                offset: text.len(),
                label: doc.pages[n].label.clone(),
            });
        }
        let Some(page_text) = page_text else { continue };
        let Ok(page) = crate::corpus::formats::alto_page_hocr::parse(&page_text.hocr) else {
            continue;
        };
        confidences.push(u32::from(page_text.confidence));
        language = language.or_else(|| page_text.language.clone());
        let start = text.len();
        let mut own = String::new();
        let regions = crate::corpus::formats::alto_page_hocr::append_lines(&page, &mut own);
        text.push_str(&own);
        let regions = regions.into_iter().map(|mut region| {
            region.layer = Some(layer_index);
            region.text_range = region.text_range.map(|(a, b)| (a + start, b + start));
            region
        });
        doc.pages[n]
            .regions
            .retain(|r| r.layer != Some(layer_index));
        doc.pages[n].regions.extend(regions);
    }
    let confidence = if confidences.is_empty() {
        0
    } else {
        (confidences.iter().sum::<u32>() / confidences.len() as u32) as u8
    };
    let mut layer = Layer::new(LayerKind::Transcription, language.clone(), text);
    layer.page_breaks = breaks;
    layer.origin = crate::model::Origin::Ocr { confidence };
    doc.layers.push(layer);
    if doc.original_language.is_none() {
        doc.original_language = language;
    }
    true
}

/// Lays the fields of `description` over `doc`.
fn describe(doc: &mut Document, description: &Description, complain: &mut dyn FnMut(String)) {
    if let Some(title) = description.title.as_deref().map(str::trim) {
        if title.is_empty() {
            complain("`title` is empty: the file's title stays".into());
        } else {
            title.clone_into(&mut doc.title);
        }
    }
    if let Some(kind) = &description.kind {
        doc.kind = Some(kind.trim().to_owned()).filter(|k| !k.is_empty());
    }
    if let Some(date) = &description.date {
        match parse_date(date) {
            Ok(parsed) => doc.date = parsed,
            Err(reason) => complain(format!("`date`: {reason}")),
        }
    }
    if let Some(language) = &description.original_language {
        match parse_language(language) {
            Ok(tag) => doc.original_language = tag,
            Err(reason) => complain(format!("`original_language`: {reason}")),
        }
    }
    if let Some(summary) = &description.summary {
        set_summary(doc, summary);
    }
    if let Some(citation) = &description.citation {
        doc.citation = Some(citation.trim().to_owned()).filter(|c| !c.is_empty());
    }
    if let Some(tags) = &description.tags {
        doc.tags.clone_from(tags);
    }
    if let Some(url) = &description.source_url {
        doc.source_url = Some(url.trim().to_owned()).filter(|u| !u.is_empty());
    }
    if let Some(archive) = &description.archive {
        match parse_archive(archive) {
            Ok(reference) => doc.archive = reference,
            Err(reason) => complain(format!("`archive`: {reason}")),
        }
    }
    if let Some(people) = &description.people {
        let mut chosen = Vec::new();
        for person in people {
            match Role::parse(&person.role) {
                Some(role) => chosen.push(Person::from_written(&person.name, role)),
                None => complain(format!(
                    "person {:?}: unknown role {:?} (use author, recipient, signatory, translator or mentioned)",
                    person.name, person.role
                )),
            }
        }
        doc.people = chosen;
    }
    for layer in &description.layers {
        match (
            layer
                .layer
                .checked_sub(1)
                .and_then(|i| doc.layers.get_mut(i)),
            parse_language(&layer.language),
        ) {
            (Some(target), Ok(tag)) => target.language = tag,
            (None, _) => complain(format!(
                "layer {} is not a layer of the document",
                layer.layer
            )),
            (_, Err(reason)) => complain(format!("layer {}: {reason}", layer.layer)),
        }
    }
    folios_from_pages(doc);
}

/// Every reason a description cannot be applied as written (a date, a
/// reference, a language, a role folio cannot read; an empty title).
pub fn check(description: &Description) -> Vec<String> {
    let mut doc = Document::new(description.id.clone(), PathBuf::new(), SourceFormat::Loose);
    doc.title = "-".into();
    doc.layers = description
        .layers
        .iter()
        .map(|_| Layer::new(LayerKind::Transcription, None, ""))
        .collect();
    let mut problems = Vec::new();
    describe(&mut doc, description, &mut |reason| problems.push(reason));
    problems.extend(description.texts.iter().filter_map(|t| user_layer(t).err()));
    problems
}

/// A date as the describer reads it: any form [`FuzzyDate::parse`] reads;
/// empty means undated.
pub fn parse_date(text: &str) -> Result<FuzzyDate, String> {
    if text.trim().is_empty() {
        return Ok(FuzzyDate::default());
    }
    FuzzyDate::parse(text).map_err(|e| e.to_string())
}

/// An archive reference in any written form; empty means none.
pub fn parse_archive(text: &str) -> Result<Option<ArchiveRef>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    ArchiveRef::parse(text)
        .map(Some)
        .ok_or_else(|| format!("{:?} reads as no archive reference (write e.g. \"ГАРФ Ф. Р-9401 Оп. 2 Д. 95 Л. 352\" or \"GARF, f. R-9401, op. 2, d. 95\")", text.trim()))
}

/// A language name or tag; empty means none.
pub fn parse_language(text: &str) -> Result<Option<String>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    language_tag(text.trim())
        .map(Some)
        .ok_or_else(|| format!("unknown language {:?}", text.trim()))
}

/// Replaces the document's summary (an empty one removes it).
fn set_summary(doc: &mut Document, summary: &str) {
    let summary = summary.trim();
    let existing = doc.layers.iter().position(|l| l.kind == LayerKind::Summary);
    match (existing, summary.is_empty()) {
        (Some(i), true) => {
            doc.layers.remove(i);
        }
        (Some(i), false) => summary.clone_into(&mut doc.layers[i].text),
        (None, true) => {}
        (None, false) => doc.layers.push(Layer::new(
            LayerKind::Summary,
            guess_language(summary).map(str::to_owned),
            summary,
        )),
    }
}

/// A reference without folios takes them from the pages' folio labels
/// (first–last), so that citations name them.
fn folios_from_pages(doc: &mut Document) {
    let labels: Vec<&str> = doc
        .pages
        .iter()
        .filter_map(|p| p.label.as_deref())
        .collect();
    let (Some(first), Some(last)) = (labels.first(), labels.last()) else {
        return;
    };
    if let Some(archive) = doc.archive.as_mut()
        && archive.folios.is_none()
    {
        archive.folios = Some(if first == last {
            (*first).to_owned()
        } else {
            format!("{first}–{last}")
        });
    }
}
