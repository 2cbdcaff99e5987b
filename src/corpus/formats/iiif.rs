//! IIIF Presentation manifests (versions 2 and 3) saved as files: one
//! document each. Read: the label, the summary (v3) or description (v2),
//! the metadata pairs (a date, creators, a language, a shelf mark or
//! holding institution become the document's; every pair stays readable
//! in a note layer), `navDate`, the attribution or required statement and
//! licence as credits, and the canvases as pages, each with the URL of its
//! image (or IIIF Image API service). Labels come in every shape the
//! specifications and real manifests use: a string, a language map
//! (`{"en": ["…"]}`, `{"none": […]}`), an array of `{"@value": …}`
//! objects or of strings. A manifest with no canvases, a missing label or
//! an unreadable `navDate` loads with what it has and says what was
//! missing. Only `http` and `https` image URLs are kept: a page naming a
//! `file:` URL or any other scheme is left out with a warning.
//!
//! The images are remote: the window fetches each page when it is shown,
//! on its decoder threads, and keeps it in the cache folder
//! (`crate::files::remote`); offline, a page not fetched before says so. A
//! canvas's `seeAlso` ALTO or hOCR file is fetched when the manifest is
//! loaded (once; cached) and becomes that page's text and line regions.
//!
//! A manifest given by URL is fetched into the cache folder
//! (`manifests/`) and opened from there as a corpus of one document; the
//! copy is refreshed whenever it is opened online.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::corpus::LoadError;
use crate::corpus::read::read_text;
use crate::model::{
    ArchiveRef, Document, FuzzyDate, Layer, LayerKind, Page, Person, Role, SourceFormat,
};

/// Whether the first bytes of a JSON file are a IIIF Presentation
/// manifest (its context, or a manifest type).
pub fn sniff(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(head);
    head.contains("iiif.io/api/presentation")
        || head.contains("\"sc:Manifest\"")
        || head.contains("\"type\": \"Manifest\"")
        || head.contains("\"type\":\"Manifest\"")
}

/// A IIIF Presentation manifest (by its first bytes).
pub fn sniff_file(root: &Path, path: &Path) -> Option<super::Sniffed> {
    sniff(&crate::corpus::read::head(&root.join(path), 8192)).then_some(super::Sniffed::Iiif)
}

/// Whether a page's image is a remote URL (a IIIF canvas).
pub fn is_remote(image: &Path) -> bool {
    crate::files::remote::is_url(image)
}

/// Reads the manifest file `file` (relative to `root`), and the OCR its
/// canvases point at.
pub fn load(root: &Path, file: &Path) -> Result<Document, LoadError> {
    let text = read_text(&root.join(file)).map_err(|reason| LoadError::new(file, reason))?;
    let (mut doc, ocr) =
        parse_with_ocr(&text, file).map_err(|reason| LoadError::new(file, reason))?;
    if !ocr.is_empty() {
        match crate::cache::base_dir() {
            Some(base) => attach_ocr(&mut doc, &ocr, &base.join("ocr")),
            None => doc.warnings.push(format!(
                "{} pages have OCR (seeAlso) but there is no cache folder to fetch it into",
                ocr.len()
            )),
        }
    }
    Ok(doc)
}

/// The folder to open a manifest given by `url` from: `manifests/<hash>/`
/// in the user's cache, holding `manifest.json`, fetched now. Offline, the
/// copy of the last time is opened and the second value says so.
///
/// # Errors
/// No cache folder, or the manifest cannot be fetched and was never
/// fetched before, or what came is not a IIIF manifest.
pub fn manifest_folder(url: &str) -> Result<(PathBuf, Option<String>), String> {
    let base = crate::cache::base_dir().ok_or("no cache folder to keep the manifest in")?;
    manifest_folder_in(&base.join("manifests"), url)
}

/// [`manifest_folder`] with the manifests kept in `dir`.
///
/// # Errors
/// As [`manifest_folder`].
pub fn manifest_folder_in(dir: &Path, url: &str) -> Result<(PathBuf, Option<String>), String> {
    let hashed = crate::files::remote::cache_file_in(dir, url);
    let folder = hashed.with_extension("");
    let file = folder.join("manifest.json");
    match crate::files::remote::download(url) {
        Ok(bytes) => {
            let head = bytes.get(..bytes.len().min(4096)).unwrap_or_default();
            if !sniff(head) {
                return Err(format!("{url} is not a IIIF Presentation manifest"));
            }
            std::fs::create_dir_all(&folder)
                .and_then(|()| crate::cache::write_atomically(&file, &bytes))
                .map_err(|e| format!("cannot keep the manifest in {}: {e}", folder.display()))?;
            Ok((folder, None))
        }
        Err(reason) if file.is_file() => {
            let notice = format!("{reason}; opened the copy fetched before");
            Ok((folder, Some(notice)))
        }
        Err(reason) => Err(reason),
    }
}

/// A canvas's OCR: the page it belongs to and the URL of its ALTO or hOCR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrLink {
    pub page: usize,
    pub url: String,
}

/// Fetches each page's OCR (kept in `cache`) and makes of it the
/// document's transcription: one text page per scan page, each OCR line
/// a region of its page. What cannot be fetched or read is a warning.
fn attach_ocr(doc: &mut Document, links: &[OcrLink], cache: &Path) {
    let mut texts = vec![String::new(); doc.pages.len()];
    let mut failed = Vec::new();
    let mut language = None;
    for link in links {
        let page = crate::files::remote::fetch_into(cache, &link.url)
            .and_then(|file| read_text(&file))
            .and_then(|text| super::alto_page_hocr::parse(&text));
        match page {
            Ok(ocr) => {
                language = language.or(ocr.language.clone());
                let mut text = String::new();
                let regions = super::alto_page_hocr::append_lines(&ocr, &mut text);
                if let (Some(scan), Some(slot)) =
                    (doc.pages.get_mut(link.page), texts.get_mut(link.page))
                {
                    scan.regions = regions;
                    *slot = text;
                }
            }
            Err(reason) => failed.push(reason),
        }
    }
    if let Some(first) = failed.first() {
        doc.warnings.push(format!(
            "the OCR of {} pages could not be read (first: {first})",
            failed.len()
        ));
    }
    if texts.iter().all(String::is_empty) {
        return;
    }
    // One text page per scan page, so that the text follows the scans.
    let mut text = String::new();
    let mut breaks = Vec::new();
    for (index, page_text) in texts.iter().enumerate() {
        if index > 0 {
            text.push('\n');
            breaks.push(crate::model::PageBreak {
                offset: text.len(),
                label: doc.pages.get(index).and_then(|p| p.label.clone()),
            });
        }
        let shift = text.len();
        text.push_str(page_text);
        if let Some(page) = doc.pages.get_mut(index) {
            for region in &mut page.regions {
                region.text_range = region.text_range.map(|(a, b)| (a + shift, b + shift));
            }
        }
    }
    let mut layer = Layer::new(LayerKind::Transcription, language.clone(), text);
    layer.page_breaks = breaks;
    layer.source = Some(doc.source.clone());
    if doc.original_language.is_none() {
        doc.original_language = language;
    }
    // The transcription comes first; a note layer of metadata stays after.
    doc.layers.insert(0, layer);
}

/// The first string of a IIIF text value in any of its shapes, preferring
/// English, then no language, then any.
pub fn text_of(value: &Value) -> Option<String> {
    let found = match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(text_of),
        Value::Object(map) => {
            if let Some(v) = map.get("@value").or_else(|| map.get("value")) {
                text_of(v)
            } else {
                ["en", "none", "@none"]
                    .iter()
                    .find_map(|key| map.get(*key).and_then(text_of))
                    .or_else(|| map.values().find_map(text_of))
            }
        }
        _ => None,
    }?;
    let plain = strip_html(&found);
    (!plain.trim().is_empty()).then(|| plain.trim().to_owned())
}

/// Every string of a IIIF text value (a metadata value may hold several).
fn texts_of(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().flat_map(texts_of).collect(),
        Value::Object(map) if !map.contains_key("@value") && !map.contains_key("value") => {
            let preferred = ["en", "none", "@none"]
                .iter()
                .find_map(|key| map.get(*key))
                .or_else(|| map.values().next());
            preferred.map(texts_of).unwrap_or_default()
        }
        other => text_of(other).into_iter().collect(),
    }
}

/// Text without HTML tags (metadata values may hold links and spans).
fn strip_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

fn id_of(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        Value::Object(map) => map
            .get("id")
            .or_else(|| map.get("@id"))
            .and_then(Value::as_str),
        _ => None,
    }
}

/// Parses a manifest read from `file`.
///
/// # Errors
/// Not JSON, not a manifest, or a collection.
pub fn parse(text: &str, file: &Path) -> Result<Document, String> {
    parse_with_ocr(text, file).map(|(doc, _)| doc)
}

/// [`parse`], with the OCR files its canvases point at.
fn parse_with_ocr(text: &str, file: &Path) -> Result<(Document, Vec<OcrLink>), String> {
    let manifest: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(map) = &manifest else {
        return Err("not a IIIF manifest: the JSON is not an object".into());
    };
    let kind = map
        .get("type")
        .or_else(|| map.get("@type"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if matches!(kind, "Collection" | "sc:Collection") {
        return Err(
            "a IIIF collection (a list of manifests) is not read by this version of folio".into(),
        );
    }
    if !matches!(kind, "Manifest" | "sc:Manifest") {
        return Err(format!(
            "not a IIIF manifest: its type is {:?}",
            if kind.is_empty() { "missing" } else { kind }
        ));
    }
    let stem = file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let mut doc = Document::new(stem, file.to_owned(), SourceFormat::Iiif);
    match map.get("label").and_then(text_of) {
        Some(label) => doc.title = label,
        None => {
            doc.title.clone_from(&doc.id);
            doc.warnings.push("the manifest has no label".into());
        }
    }
    let mut notes: Vec<String> = Vec::new();
    if let Some(summary) = map
        .get("summary")
        .or_else(|| map.get("description"))
        .and_then(text_of)
    {
        doc.layers
            .push(Layer::new(LayerKind::Summary, None, summary));
    }
    let mut shelf = Shelf::default();
    if let Some(pairs) = map.get("metadata").and_then(Value::as_array) {
        for pair in pairs {
            let (Some(label), Some(value)) =
                (pair.get("label").and_then(text_of), pair.get("value"))
            else {
                continue;
            };
            let values = texts_of(value);
            for value in &values {
                notes.push(format!("{label}: {value}"));
                read_pair(&label, value, &mut doc, &mut shelf);
            }
        }
    }
    doc.archive = shelf.reference();
    if doc.date.is_unknown()
        && let Some(nav) = map.get("navDate").and_then(Value::as_str)
    {
        // "1909-11-26T00:00:00Z"; malformed ones ("1949-01-01:T00…") too.
        let day: String = nav.chars().take_while(|c| *c != 'T' && *c != ':').collect();
        let day = day.trim_end_matches(':');
        match FuzzyDate::parse_edtf(day) {
            // The day, not the machine timestamp it came in.
            Ok(date) => doc.date = date.with_text(day),
            Err(_) => doc
                .warnings
                .push(format!("navDate {nav:?} is not a date folio reads")),
        }
    }
    let credits: Vec<String> = ["requiredStatement", "attribution", "license", "rights"]
        .iter()
        .filter_map(|key| map.get(*key))
        .filter_map(|value| match value {
            Value::Object(statement) if statement.contains_key("value") => {
                let label = statement.get("label").and_then(text_of);
                let value = statement.get("value").and_then(text_of)?;
                Some(match label {
                    Some(label) => format!("{label}: {value}"),
                    None => value,
                })
            }
            other => text_of(other),
        })
        .collect();
    if !credits.is_empty() {
        doc.credits = Some(credits.join(" · "));
    }
    if let Some(home) = map
        .get("homepage")
        .and_then(|h| h.as_array().and_then(|a| a.first()).or(Some(h)))
        .and_then(id_of)
        .or_else(|| {
            map.get("@id")
                .or_else(|| map.get("id"))
                .and_then(Value::as_str)
        })
    {
        doc.source_url = Some(home.to_owned());
    }
    if let Some(direction) = map.get("viewingDirection").and_then(Value::as_str)
        && direction != "left-to-right"
    {
        // Right to left is how the pages turn; top-to-bottom and
        // bottom-to-top (scrolls) are kept as a note.
        doc.pages_right_to_left = direction == "right-to-left";
        notes.push(format!("Viewing direction: {direction}"));
    }
    let ocr = read_canvases(map, &mut doc);
    if !notes.is_empty() {
        doc.layers
            .push(Layer::new(LayerKind::Note, None, notes.join("\n")));
    }
    let see_also = map
        .get("seeAlso")
        .map_or(0, |v| v.as_array().map_or(1, Vec::len));
    if see_also > 0 {
        doc.warnings.push(format!(
            "{see_also} seeAlso resources of the manifest (catalogue records) are not read"
        ));
    }
    Ok((doc, ocr))
}

/// The holding institution and shelf mark the metadata pairs name, made
/// one archive reference once every pair is read.
#[derive(Debug, Default)]
struct Shelf {
    repository: Option<String>,
    /// The most telling label's rank and its value.
    mark: Option<(u8, String)>,
}

impl Shelf {
    /// The reference as the catalogue writes it: repository and shelf
    /// mark (a reference in fond/opis/delo form is read as one).
    fn reference(self) -> Option<ArchiveRef> {
        let mark = self.mark.map(|(_, mark)| mark);
        if let Some(parsed) = mark
            .as_deref()
            .and_then(ArchiveRef::parse)
            .filter(|p| p.fond.is_some() || p.delo.is_some())
        {
            return Some(ArchiveRef {
                repository: parsed.repository.clone().or(self.repository),
                ..parsed
            });
        }
        let raw = [self.repository.as_deref(), mark.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        (!raw.is_empty()).then(|| ArchiveRef {
            repository: self.repository,
            shelfmark: mark,
            raw,
            ..ArchiveRef::default()
        })
    }
}

/// How telling a metadata label is as a shelf mark (lower is better).
fn shelf_mark_rank(key: &str) -> Option<u8> {
    [
        "shelfmark",
        "shelf mark",
        "call number",
        "signatur",
        "shelf-mark",
        "identifier",
    ]
    .iter()
    .position(|k| key.contains(k))
    .and_then(|i| u8::try_from(i).ok())
}

/// What one metadata pair says about the document.
fn read_pair(label: &str, value: &str, doc: &mut Document, shelf: &mut Shelf) {
    let key = label.to_lowercase();
    if key.contains("date") && doc.date.is_unknown() {
        let cleaned = value.trim();
        if let Ok(date) = FuzzyDate::parse(cleaned) {
            doc.date = date.with_text(cleaned);
        }
    } else if key == "creator" || key == "author" || key.starts_with("author") {
        // "Becket, Mr ([London], England) [author]": the name before any
        // bracketed or parenthesised qualifier.
        let name = value
            .split(['[', '('])
            .next()
            .unwrap_or(value)
            .trim()
            .trim_end_matches(',')
            .trim();
        if !name.is_empty() && !doc.people.iter().any(|p| p.name == name) {
            doc.people.push(Person::new(name, Role::Author));
        }
    } else if let Some(rank) = shelf_mark_rank(&key) {
        // The most telling shelf mark wins: "Shelfmark" over "Identifier".
        if shelf.mark.as_ref().is_none_or(|(r, _)| rank < *r) {
            shelf.mark = Some((rank, value.trim().to_owned()));
        }
    } else if [
        "holding institution",
        "repository",
        "holding",
        "institution",
    ]
    .iter()
    .any(|k| key.contains(k))
        && shelf.repository.is_none()
    {
        shelf.repository = Some(value.trim().to_owned());
    } else if key == "language" && doc.original_language.is_none() {
        // A name or code for people ("English", "eng"): its BCP 47 tag.
        let value = value.trim();
        let code = match crate::text::language::canonical(value) {
            Some(code) => Some(code.to_owned()),
            None if value.len() == 2 => Some(value.to_ascii_lowercase()),
            None => None,
        };
        doc.original_language = code;
    }
}

/// The canvases of a v3 manifest (`items`) or of a v2 one
/// (`sequences[].canvases`), as pages with their image URLs; returns the
/// pages' OCR files (`seeAlso` ALTO or hOCR).
fn read_canvases(map: &serde_json::Map<String, Value>, doc: &mut Document) -> Vec<OcrLink> {
    let mut ocr = Vec::new();
    let canvases: Vec<&Value> = match map.get("items").and_then(Value::as_array) {
        Some(items) => items
            .iter()
            .filter(|i| i.get("type").and_then(Value::as_str) == Some("Canvas"))
            .collect(),
        None => map
            .get("sequences")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("canvases").and_then(Value::as_array))
            .flatten()
            .collect(),
    };
    if canvases.is_empty() {
        doc.warnings
            .push("the manifest has no canvases (no pages)".into());
    }
    let mut refused = 0;
    for (n, canvas) in canvases.iter().enumerate() {
        let Some(url) = image_url(canvas) else {
            refused += 1;
            continue;
        };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            refused += 1;
            continue;
        }
        let mut page = Page::new(PathBuf::from(url));
        page.label = Some(
            canvas
                .get("label")
                .and_then(text_of)
                .unwrap_or_else(|| (n + 1).to_string()),
        );
        if let Some(url) = ocr_url(canvas) {
            ocr.push(OcrLink {
                page: doc.pages.len(),
                url,
            });
        }
        doc.pages.push(page);
    }
    if refused > 0 {
        doc.warnings.push(format!(
            "{refused} canvases have no http(s) image URL: left out"
        ));
    }
    ocr
}

/// The http(s) URL of a canvas's ALTO or hOCR, told by the `seeAlso`
/// entry's `profile`, `format` or `label`.
fn ocr_url(canvas: &Value) -> Option<String> {
    let see_also = canvas.get("seeAlso")?;
    let entries: Vec<&Value> = match see_also {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    entries.into_iter().find_map(|entry| {
        let described = ["profile", "format", "label", "type"]
            .iter()
            .filter_map(|key| entry.get(*key))
            .filter_map(text_of)
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        let is_ocr = described.contains("alto") || described.contains("hocr");
        let url = id_of(entry)?;
        (is_ocr && (url.starts_with("http://") || url.starts_with("https://")))
            .then(|| url.to_owned())
    })
}

/// The image of a canvas: the painting annotation's body (v3) or the first
/// image's resource (v2); its own URL, else its Image API service's full
/// image.
fn image_url(canvas: &Value) -> Option<String> {
    let resource = canvas
        .get("items")
        .and_then(Value::as_array)
        .and_then(|pages| pages.first())
        .and_then(|page| page.get("items"))
        .and_then(Value::as_array)
        .and_then(|annotations| annotations.first())
        .and_then(|annotation| annotation.get("body"))
        .or_else(|| {
            canvas
                .get("images")
                .and_then(Value::as_array)
                .and_then(|images| images.first())
                .and_then(|image| image.get("resource"))
        })?;
    let resource = resource
        .as_array()
        .and_then(|a| a.first())
        .unwrap_or(resource);
    // An Image API service comes first: its images can be asked at the
    // size shown (the resource's own id is often the service's id, not a
    // picture, as at the Bodleian).
    let service = resource.get("service").map(|service| {
        service
            .as_array()
            .and_then(|a| a.iter().find(|s| id_of(s).is_some()))
            .unwrap_or(service)
    });
    if let Some(service) = service
        && let Some(base) = id_of(service)
        && (base.starts_with("http://") || base.starts_with("https://"))
    {
        let version_3 = ["type", "@type", "@context"]
            .iter()
            .filter_map(|key| service.get(*key))
            .any(|v| v.to_string().contains("ImageService3") || v.to_string().contains("image/3"));
        let size = if version_3 { "max" } else { "full" };
        return Some(format!(
            "{}/full/{size}/0/default.jpg",
            base.trim_end_matches('/')
        ));
    }
    id_of(resource)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn right_to_left_books_turn_their_pages_to_the_left() {
        let manifest = json!({
            "@context": "http://iiif.io/api/presentation/3/context.json",
            "type": "Manifest", "label": {"he": ["ספר"]},
            "viewingDirection": "right-to-left", "items": []
        });
        let doc =
            parse(&manifest.to_string(), Path::new("m.json")).unwrap_or_else(|e| panic!("{e}"));
        assert!(doc.pages_right_to_left);
        let scroll = manifest
            .to_string()
            .replace("right-to-left", "top-to-bottom");
        let doc = parse(&scroll, Path::new("m.json")).unwrap_or_else(|e| panic!("{e}"));
        assert!(!doc.pages_right_to_left);
        assert!(
            doc.layers
                .iter()
                .any(|l| l.text.contains("Viewing direction: top-to-bottom"))
        );
    }

    #[test]
    fn a_shelf_mark_joins_the_repository_as_the_catalogue_writes_them() {
        let manifest = |pairs: serde_json::Value| {
            json!({
                "@context": "http://iiif.io/api/presentation/3/context.json",
                "type": "Manifest", "label": {"en": ["A book"]}, "items": [],
                "metadata": pairs
            })
            .to_string()
        };
        let reference = |pairs| {
            parse(&manifest(pairs), Path::new("m.json"))
                .unwrap_or_else(|e| panic!("{e}"))
                .archive
                .map(|a| (a.short(), a.tree_path()))
        };
        for (mark_label, repository_label) in [
            ("Shelfmark", "Repository"),
            ("Call Number", "Holding Institution"),
            ("Signatur", "Repository"),
            ("Shelf mark", "Holding Institution"),
        ] {
            let pairs = json!([
                {"label": {"en": ["Identifier"]}, "value": {"none": ["003134"]}},
                {"label": {"en": [mark_label]}, "value": {"none": ["Cod. Pal. germ. 848"]}},
                {"label": {"en": [repository_label]}, "value": {"none": ["Universitätsbibliothek Heidelberg"]}},
            ]);
            assert_eq!(
                reference(pairs),
                Some((
                    "Universitätsbibliothek Heidelberg, Cod. Pal. germ. 848".to_owned(),
                    vec![
                        "Universitätsbibliothek Heidelberg".to_owned(),
                        "Cod. Pal. germ. 848".to_owned()
                    ]
                )),
                "{mark_label}"
            );
        }
        // An identifier alone is the best there is; a repository alone stays.
        let only = reference(json!([{"label": "Identifier", "value": "MS 12"}]));
        assert_eq!(only.map(|(s, _)| s).as_deref(), Some("MS 12"));
        let repository = reference(json!([{"label": "Repository", "value": "GARF"}]));
        assert_eq!(repository.map(|(s, _)| s).as_deref(), Some("GARF"));
        // A reference in fond/opis/delo form is read as one.
        let soviet = reference(json!([
            {"label": "Shelfmark", "value": "F. R-9401, Op. 2, D. 95"},
            {"label": "Repository", "value": "GARF"}
        ]));
        assert_eq!(
            soviet.map(|(s, _)| s).as_deref(),
            Some("GARF f. R-9401, op. 2, d. 95")
        );
    }

    #[test]
    fn labels_in_every_shape() {
        assert_eq!(text_of(&json!("A")).as_deref(), Some("A"));
        assert_eq!(
            text_of(&json!({"fr": ["Le"], "en": ["The"]})).as_deref(),
            Some("The")
        );
        assert_eq!(text_of(&json!({"none": ["N"]})).as_deref(), Some("N"));
        assert_eq!(
            text_of(&json!([{"@value": "V", "@language": "fi"}])).as_deref(),
            Some("V")
        );
        assert_eq!(text_of(&json!(["x", "y"])).as_deref(), Some("x"));
        assert_eq!(text_of(&json!({"en": []})), None);
        assert_eq!(text_of(&json!(7)), None);
        assert_eq!(
            text_of(&json!("<span><a href=\"x\">View &amp; read</a></span>")).as_deref(),
            Some("View & read")
        );
    }

    #[test]
    fn file_urls_and_collections_are_refused() {
        let manifest = json!({
            "@context": "http://iiif.io/api/presentation/3/context.json",
            "type": "Manifest",
            "items": [
                {"type": "Canvas", "items": [{"items": [{"body": {"id": "file:///etc/passwd"}}]}]},
                {"type": "Canvas", "label": {"en": ["f. 1r"]},
                 "items": [{"items": [{"body": {"service": [{"id": "https://x/iiif/2/a"}]}}]}]}
            ]
        });
        let doc =
            parse(&manifest.to_string(), Path::new("m.json")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.pages.len(), 1);
        assert_eq!(
            doc.pages[0].image,
            PathBuf::from("https://x/iiif/2/a/full/full/0/default.jpg")
        );
        assert_eq!(doc.pages[0].label.as_deref(), Some("f. 1r"));
        assert!(doc.warnings.iter().any(|w| w.contains("no label")));
        assert!(doc.warnings.iter().any(|w| w.contains("left out")));
        let collection = json!({"type": "Collection"}).to_string();
        assert!(parse(&collection, Path::new("c.json")).is_err_and(|e| e.contains("collection")));
        assert!(parse("[1]", Path::new("c.json")).is_err());
        assert!(parse("{", Path::new("c.json")).is_err_and(|e| e.contains("JSON")));
    }
}
