//! TEI P5 and `EpiDoc` files: one document each. The header gives the title
//! (`titleStmt`), the archive reference (`msIdentifier`: settlement,
//! repository, collection, idno), people with roles and the date
//! (`correspDesc/correspAction`: `when`, `notBefore`/`notAfter`,
//! `from`/`to` at the precision written; else `origDate` or
//! `creation/date`), places and the language (`langUsage`). The body
//! gives the text layers: the edition (or the whole body) as the
//! transcription, each `div[@type='translation']` as a translation in its
//! `xml:lang`, page breaks (`pb`) as pages of the text, and
//! `facsimile/surface` images that exist beside the file as scans, with
//! their `zone`s as regions. Editorial notes are left out of the reading
//! text; deletions are left out, abbreviations expanded, regularised
//! forms preferred, gaps written `[…]`.
//!
//! Read with `roxmltree`, which refuses DTDs (no entity expansion) and
//! stops at a node limit.

use std::path::{Path, PathBuf};

use roxmltree::Node;

use crate::corpus::LoadError;
use crate::corpus::read::read_text;
use crate::model::{
    ArchiveRef, Document, FuzzyDate, Layer, LayerKind, NoteAnchor, Page, PageBreak, Person, Region,
    RegionKind, Role, SourceFormat,
};

/// More nodes than any real TEI file of one document has.
const MAX_NODES: u32 = 2_000_000;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Whether the first bytes of an XML file are a TEI document (root
/// element `TEI`); `teiCorpus` is recognised too, to be reported.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    match super::alto_page_hocr::root_element(&String::from_utf8_lossy(head))?.as_str() {
        "TEI" | "TEI.2" => Some("TEI"),
        "teiCorpus" => Some("teiCorpus"),
        _ => None,
    }
}

/// A TEI file (by its root element), with its join key.
pub fn sniff_file(root: &Path, path: &Path) -> Option<super::Sniffed> {
    let head = crate::corpus::read::head(&root.join(path), 16_384);
    sniff(&head)?;
    Some(super::Sniffed::Tei {
        key: join_key(&String::from_utf8_lossy(&head)),
    })
}

fn named(node: Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name
}

fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|n| named(*n, name))
}

fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(move |n| named(*n, name))
}

fn descendant<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.descendants().find(|n| named(*n, name))
}

/// All text below `node`, whitespace squashed.
fn plain(node: Node<'_, '_>) -> String {
    let text: String = node
        .descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect();
    crate::text::squash_whitespace(&text)
}

fn language_of(node: Node<'_, '_>) -> Option<String> {
    node.attribute((XML_NS, "lang"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
}

/// The key that joins the files of one text, read from a file's first
/// bytes: papyri.info's `<idno type="ddb-hybrid">`, shared by the `DDbDP`
/// edition, the HGV metadata and the HGV translation of a papyrus.
pub fn join_key(head: &str) -> Option<String> {
    let at = head.find("type=\"ddb-hybrid\"")?;
    let rest = &head[at..];
    let value = &rest[rest.find('>')? + 1..];
    let value = value[..value.find('<')?].trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Reads the TEI files of one text (relative to `root`) into a document:
/// one file as it is; several (an edition, its metadata, its translation)
/// joined.
pub fn load(root: &Path, files: &[PathBuf]) -> Result<Document, LoadError> {
    let mut docs = Vec::new();
    for file in files {
        let text = read_text(&root.join(file)).map_err(|reason| LoadError::new(file, reason))?;
        docs.push(parse(&text, root, file).map_err(|reason| LoadError::new(file, reason))?);
    }
    join(docs)
        .ok_or_else(|| LoadError::new(files.first().cloned().unwrap_or_default(), "no TEI file"))
}

/// One document from the documents of one text's files: the one with the
/// original text (the edition) is the base; the others give what it lacks
/// (title, date, people, places, archive reference, tags) and their
/// translations and notes.
fn join(mut docs: Vec<Document>) -> Option<Document> {
    let base = docs
        .iter()
        .position(|d| d.layers.iter().any(|l| l.kind == LayerKind::Transcription))
        .unwrap_or(0);
    if docs.is_empty() {
        return None;
    }
    let mut doc = docs.remove(base);
    for other in docs {
        let untitled = doc.title == doc.id || doc.title.trim().is_empty();
        let better_title = !other.title.trim().is_empty() && other.title != other.id;
        if untitled && better_title && !other.title.contains("TITLE") {
            doc.title.clone_from(&other.title);
        }
        if doc.date.is_unknown() && !other.date.is_unknown() {
            doc.date = other.date.clone();
        }
        if doc.archive.is_none() {
            doc.archive.clone_from(&other.archive);
        }
        for person in other.people {
            if !doc
                .people
                .iter()
                .any(|p| p.name == person.name && p.role == person.role)
            {
                doc.people.push(person);
            }
        }
        for place in other.places {
            if !doc.places.contains(&place) {
                doc.places.push(place);
            }
        }
        for tag in other.tags {
            if !doc.tags.contains(&tag) {
                doc.tags.push(tag);
            }
        }
        for mut layer in other.layers {
            if layer.kind == LayerKind::Transcription {
                // A second original is read as a note, not lost.
                layer.kind = LayerKind::Note;
            }
            if layer.kind == LayerKind::Translation {
                layer.translated_from.clone_from(&doc.original_language);
            }
            doc.layers.push(layer);
        }
        doc.warnings.extend(
            other
                .warnings
                .into_iter()
                .filter(|w| !w.contains("has no text")),
        );
    }
    if doc.layers.iter().any(|l| !l.text.is_empty()) {
        doc.warnings.retain(|w| !w.contains("has no text"));
    }
    Some(doc)
}

/// Parses TEI `text` read from `file` (relative to `root`, where facsimile
/// images are looked for).
pub fn parse(text: &str, root: &Path, file: &Path) -> Result<Document, String> {
    let xml = crate::corpus::read::parse_xml(text, MAX_NODES)?;
    let tei = xml.root_element();
    match tei.tag_name().name() {
        "TEI" | "TEI.2" => {}
        "teiCorpus" => {
            return Err(
                "a teiCorpus (several TEI documents in one file) is not read by this version of folio; \
                 split it into one file per TEI document"
                    .into(),
            );
        }
        other => return Err(format!("the root element is <{other}>, not <TEI>")),
    }
    let stem = file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let mut doc = Document::new(stem, file.to_owned(), SourceFormat::Tei);
    let header = child(tei, "teiHeader").ok_or("no <teiHeader>")?;
    read_header(header, &mut doc);
    let links = read_texts(tei, &mut doc);
    read_facsimile(tei, root, file, &links, &mut doc);
    if doc.title.is_empty() {
        doc.title.clone_from(&doc.id);
    }
    if doc.layers.is_empty() {
        doc.warnings
            .push("the TEI file has no text in <body> (a header only)".into());
    }
    Ok(doc)
}

fn read_header(header: Node<'_, '_>, doc: &mut Document) {
    let file_desc = child(header, "fileDesc");
    if let Some(title_stmt) = file_desc.and_then(|f| child(f, "titleStmt")) {
        // A letter edition's own title is `level="a"`; series and
        // main-work titles (`level="s"`, `"m"`) and date titles are not it.
        let titles: Vec<Node<'_, '_>> = children(title_stmt, "title").collect();
        let chosen = titles
            .iter()
            .find(|t| t.attribute("level") == Some("a"))
            .or_else(|| titles.iter().find(|t| t.attribute("type") == Some("main")))
            .or_else(|| {
                titles.iter().find(|t| {
                    !matches!(t.attribute("level"), Some("s" | "m" | "j"))
                        && t.attribute("type") != Some("iso-date")
                })
            })
            .or(titles.first());
        if let Some(title) = chosen {
            doc.title = plain(*title);
        }
        for author in children(title_stmt, "author") {
            let name = plain(author);
            if !name.is_empty() {
                doc.people.push(person(&name, Role::Author));
            }
        }
    }
    // The archive reference of the (first) manuscript.
    if let Some(ms) = descendant(header, "msIdentifier") {
        doc.archive = archive(ms);
    }
    let profile = child(header, "profileDesc");
    // One language is the text's; a list of many (papyri.info lists every
    // language its notes may use) says nothing about the original.
    let languages: Vec<&str> = profile
        .and_then(|p| child(p, "langUsage"))
        .map(|l| {
            children(l, "language")
                .filter_map(|l| l.attribute("ident"))
                .collect()
        })
        .unwrap_or_default();
    if let [language] = languages.as_slice() {
        doc.original_language = Some((*language).to_owned());
    }
    if let Some(corresp) = profile.and_then(|p| child(p, "correspDesc")) {
        read_correspondence(corresp, doc);
    }
    if doc.date.is_unknown() {
        let source_date = descendant(header, "origDate").or_else(|| {
            profile
                .and_then(|p| child(p, "creation"))
                .and_then(|c| descendant(c, "date"))
        });
        if let Some(date) = source_date.and_then(tei_date) {
            doc.date = date;
        }
    }
    if doc.date.is_unknown()
        && let Some(date) = file_desc
            .and_then(|f| child(f, "titleStmt"))
            .and_then(|t| children(t, "title").find(|t| t.attribute("type") == Some("iso-date")))
            .and_then(|t| t.attribute("when-iso").or(t.attribute("when")))
            .and_then(|when| FuzzyDate::parse_edtf(when).ok())
    {
        doc.date = date;
    }
    if let Some(keywords) = profile
        .and_then(|p| child(p, "textClass"))
        .and_then(|t| child(t, "keywords"))
    {
        for term in children(keywords, "term") {
            let term = plain(term);
            if !term.is_empty() && !doc.tags.contains(&term) {
                doc.tags.push(term);
            }
        }
    }
}

/// A person from a TEI name: "Kraus, Karl" is shown "Karl Kraus", with
/// the inverted form kept as an alias (what indexes and authority files
/// often hold).
fn person(written: &str, role: Role) -> Person {
    let mut person = Person::from_written(written, role);
    if let Some((last, first)) = person.name.split_once(", ")
        && !first.contains(',')
        && !first.trim().is_empty()
        && !last.trim().is_empty()
    {
        let inverted = person.name.clone();
        person.name = format!("{} {}", first.trim(), last.trim());
        person.aliases.push(inverted);
    }
    person
}

fn read_correspondence(corresp: Node<'_, '_>, doc: &mut Document) {
    let mut sent_date = None;
    for action in children(corresp, "correspAction") {
        let role = match action.attribute("type") {
            Some("sent") => Role::Author,
            Some("received") => Role::Recipient,
            _ => Role::Mentioned,
        };
        for name in action
            .children()
            .filter(|n| named(*n, "persName") || named(*n, "orgName") || named(*n, "name"))
        {
            let name = plain(name);
            if name.is_empty() {
                continue;
            }
            let person = person(&name, role);
            if !doc
                .people
                .iter()
                .any(|p| p.name == person.name && p.role == role)
            {
                doc.people.push(person);
            }
        }
        for place in children(action, "placeName") {
            let place = plain(place);
            if !place.is_empty() && !doc.places.contains(&place) {
                doc.places.push(place);
            }
        }
        if role == Role::Author
            && let Some(date) = child(action, "date").and_then(tei_date)
        {
            sent_date = Some(date);
        }
    }
    if let Some(date) = sent_date {
        doc.date = date;
    }
}

/// A TEI dating element (`date`, `origDate`): `when`, `notBefore` /
/// `notAfter`, `from` / `to` (ISO at any precision, BCE years as
/// `-0254`), with the text as written; an editor's conjecture is
/// inferred, low certainty uncertain.
fn tei_date(node: Node<'_, '_>) -> Option<FuzzyDate> {
    let attr = |name: &str| {
        node.attribute(name)
            .or_else(|| node.attribute(format!("{name}-iso").as_str()))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let edtf = if let Some(when) = attr("when") {
        when.to_owned()
    } else {
        let from = attr("notBefore").or(attr("from"));
        let to = attr("notAfter").or(attr("to"));
        match (from, to) {
            (None, None) => return None,
            (from, to) => format!("{}/{}", from.unwrap_or(".."), to.unwrap_or("..")),
        }
    };
    // Times of day are more than a date needs.
    let edtf: String = edtf
        .split('/')
        .map(|part| part.split('T').next().unwrap_or(part))
        .collect::<Vec<_>>()
        .join("/");
    let mut date = FuzzyDate::parse_edtf(&edtf).ok()?;
    let written = plain(node);
    date = date.with_text(if written.is_empty() { edtf } else { written });
    if node.attribute("evidence") == Some("conjecture") {
        date.inferred = true;
    }
    if matches!(node.attribute("cert"), Some("low" | "unknown"))
        || matches!(node.attribute("precision"), Some("low"))
    {
        date.uncertain = true;
    }
    Some(date)
}

/// `msIdentifier` as an archive reference: the repository (with its
/// settlement) as the repository, the collection as the fond, the shelf
/// mark (`idno`) as the item.
fn archive(ms: Node<'_, '_>) -> Option<ArchiveRef> {
    let part = |name: &str| child(ms, name).map(plain).filter(|s| !s.is_empty());
    let (settlement, repository, collection, idno) = (
        part("settlement"),
        part("repository"),
        part("collection"),
        part("idno"),
    );
    if repository.is_none() && collection.is_none() && idno.is_none() {
        return None;
    }
    let raw = [
        part("country"),
        settlement.clone(),
        repository.clone(),
        collection.clone(),
        idno.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let repository = match (repository, settlement) {
        (Some(repository), Some(settlement)) if !repository.contains(&settlement) => {
            Some(format!("{repository}, {settlement}"))
        }
        (repository, _) => repository,
    };
    let (fond, delo) = match (collection, idno) {
        (Some(collection), idno) => (Some(collection), idno),
        (None, idno) => (idno, None),
    };
    Some(ArchiveRef {
        repository,
        fond,
        opis: None,
        papka: None,
        delo,
        folios: None,
        shelfmark: None,
        raw,
    })
}

/// The reading text of a TEI element, with page starts.
#[derive(Default)]
struct Reading {
    text: String,
    breaks: Vec<PageBreak>,
    /// Text elements by the zone they point at (`facs="#z1"`): zone id,
    /// byte range.
    zones: Vec<(String, usize, usize)>,
    /// What each page of the text says its scan is (`pb/@facs`: a surface
    /// `#id` or an image file), in page order; the first page's entry
    /// stays `None` when no `pb` opens the text.
    page_facs: Vec<Option<String>>,
    /// Elements read elsewhere (the translations, when reading the body).
    skip: Vec<roxmltree::NodeId>,
    /// The editors' notes met on the way (commentary, translations of
    /// passages), in reading order.
    notes: Vec<String>,
    /// Where each note of `notes` stood in the text: byte offset, index in
    /// `notes` (a note inside a note has none: it is read in its note).
    anchors: Vec<(usize, usize)>,
}

impl Reading {
    fn newline(&mut self) {
        let trimmed = self.text.trim_end_matches([' ', '\t']).len();
        self.text.truncate(trimmed);
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    fn paragraph(&mut self) {
        self.newline();
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }

    fn push_text(&mut self, text: &str) {
        for word in text.split_inclusive(char::is_whitespace) {
            let (body, space) = match word.char_indices().last() {
                Some((at, c)) if c.is_whitespace() => (&word[..at], true),
                _ => (word, false),
            };
            self.text.push_str(body);
            if space && !self.text.ends_with([' ', '\n']) && !self.text.is_empty() {
                self.text.push(' ');
            }
        }
    }

    fn walk(&mut self, node: Node<'_, '_>) {
        for child in node.children() {
            if child.is_text() {
                self.push_text(child.text().unwrap_or_default());
                continue;
            }
            if !child.is_element() {
                continue;
            }
            if self.skip.contains(&child.id()) {
                continue;
            }
            let start = self.text.len();
            match child.tag_name().name() {
                "note" => {
                    // Read by the same rules (paragraphs, deletions), aside.
                    let mut aside = Reading::default();
                    aside.walk(child);
                    let (note, _, _) = aside.finish();
                    if note.chars().any(char::is_alphanumeric) {
                        self.anchors.push((start, self.notes.len()));
                        self.notes.push(note);
                    }
                    self.notes.append(&mut aside.notes);
                }
                // Apparatus and back matter, not text to read.
                "del" | "teiHeader" | "facsimile" | "fw" | "figDesc" | "surplus" | "listPerson"
                | "listPlace" | "listBibl" | "back" | "front" | "interpGrp" => {}
                "choice" => self.walk_choice(child),
                "lb" => self.newline(),
                "pb" => {
                    self.newline();
                    let label = child
                        .attribute("n")
                        .or_else(|| child.attribute("facs"))
                        .map(|l| l.trim_start_matches('#').to_owned());
                    let facs = child.attribute("facs").map(|f| f.trim().to_owned());
                    if self.text.trim().is_empty() {
                        // The first page starts at 0: nothing to mark.
                        match self.page_facs.first_mut() {
                            Some(first) => *first = facs,
                            None => self.page_facs.push(facs),
                        }
                    } else {
                        if self.page_facs.is_empty() {
                            self.page_facs.push(None);
                        }
                        self.page_facs.push(facs);
                        self.breaks.push(PageBreak {
                            offset: self.text.len(),
                            label,
                        });
                    }
                }
                "gap" => self.push_text("[…] "),
                "space" => self.push_text(" "),
                "supplied" => {
                    self.text.push('[');
                    self.walk(child);
                    self.text.push(']');
                }
                "p" | "ab" | "opener" | "closer" | "salute" | "dateline" | "signed" | "head"
                | "postscript" | "lg" | "div" | "list" | "table" | "quote" | "floatingText" => {
                    self.paragraph();
                    self.walk(child);
                    self.paragraph();
                }
                "l" | "item" | "row" | "label" => {
                    self.newline();
                    self.walk(child);
                    self.newline();
                }
                _ => self.walk(child),
            }
            if let Some(zone) = child.attribute("facs")
                && let Some(zone) = zone.strip_prefix('#')
                && !matches!(child.tag_name().name(), "pb")
                && self.text.len() > start
            {
                self.zones.push((zone.to_owned(), start, self.text.len()));
            }
        }
    }

    /// Of `choice`'s readings, the expanded, corrected or regularised one.
    fn walk_choice(&mut self, choice: Node<'_, '_>) {
        let preferred = ["expan", "corr", "reg", "abbr", "sic", "orig"]
            .iter()
            .find_map(|name| child(choice, name));
        if let Some(reading) = preferred {
            self.walk(reading);
        }
    }

    fn finish(&mut self) -> (String, Vec<PageBreak>, Vec<(String, usize, usize)>) {
        let trimmed = self.text.trim_end().len();
        self.text.truncate(trimmed);
        let mut text = std::mem::take(&mut self.text);
        if text.trim().is_empty() {
            text.clear();
        }
        let mut breaks = std::mem::take(&mut self.breaks);
        breaks.retain(|b| b.offset < text.len());
        // Breaks after the last text are gone: so are their pages.
        self.page_facs.truncate(breaks.len() + 1);
        (text, breaks, std::mem::take(&mut self.zones))
    }

    /// Moves this reading's notes to the end of the document's `notes`
    /// (numbered from 1 in that order); returns where they attach in
    /// its finished text of `len` bytes.
    fn move_notes(&mut self, notes: &mut Vec<String>, text: &str) -> Vec<NoteAnchor> {
        let base = notes.len();
        notes.append(&mut self.notes);
        std::mem::take(&mut self.anchors)
            .into_iter()
            .filter_map(|(offset, index)| {
                let mut offset = offset.min(text.len());
                while !text.is_char_boundary(offset) {
                    offset -= 1;
                }
                Some(NoteAnchor {
                    offset,
                    number: u32::try_from(base + index + 1).ok()?,
                    text: notes.get(base + index)?.clone(),
                })
            })
            .collect()
    }
}

/// How the transcription points at its scans.
#[derive(Default)]
struct FacsimileLinks {
    /// Text pointing at a facsimile zone: zone id, byte range.
    zones: Vec<(String, usize, usize)>,
    /// Each text page's `pb/@facs`, in page order.
    page_facs: Vec<Option<String>>,
}

/// Reads the body's layers into `doc`; returns how the transcription
/// points at the facsimile.
fn read_texts(tei: Node<'_, '_>, doc: &mut Document) -> FacsimileLinks {
    let mut links = FacsimileLinks::default();
    let Some(body) = child(tei, "text").and_then(|t| child(t, "body")) else {
        return links;
    };
    let translations: Vec<Node<'_, '_>> = body
        .descendants()
        .filter(|n| named(*n, "div") && n.attribute("type") == Some("translation"))
        .collect();
    let edition = body
        .descendants()
        .find(|n| named(*n, "div") && n.attribute("type") == Some("edition"));
    let original = match edition {
        Some(edition) => {
            let mut reading = Reading::default();
            reading.walk(edition);
            Some((reading, language_of(edition)))
        }
        None => {
            // The whole body but its translations.
            let mut reading = Reading {
                skip: translations.iter().map(Node::id).collect(),
                ..Reading::default()
            };
            reading.walk(body);
            Some((reading, language_of(body)))
        }
    };
    let mut notes = Vec::new();
    if let Some((mut reading, language)) = original {
        let (text, breaks, zones) = reading.finish();
        let anchors = reading.move_notes(&mut notes, &text);
        if !text.is_empty() {
            // The edition's own language is the original's (a header's
            // `langUsage` lists every language the file uses, notes too).
            if language.is_some() {
                doc.original_language.clone_from(&language);
            }
            let language = language.or_else(|| doc.original_language.clone());
            let mut layer = Layer::new(LayerKind::Transcription, language, text);
            layer.page_breaks = breaks;
            layer.note_anchors = anchors;
            layer.source = Some(doc.source.clone());
            doc.layers.push(layer);
            links = FacsimileLinks {
                zones,
                page_facs: std::mem::take(&mut reading.page_facs),
            };
        }
    }
    for translation in translations {
        let mut reading = Reading::default();
        reading.walk(translation);
        let (text, breaks, _) = reading.finish();
        let anchors = reading.move_notes(&mut notes, &text);
        if text.is_empty() {
            continue;
        }
        let mut layer = Layer::new(LayerKind::Translation, language_of(translation), text);
        layer.translated_from.clone_from(&doc.original_language);
        layer.page_breaks = breaks;
        layer.note_anchors = anchors;
        layer.source = Some(doc.source.clone());
        doc.layers.push(layer);
    }
    if !notes.is_empty() {
        let text = notes
            .iter()
            .enumerate()
            .map(|(i, note)| format!("[{}] {note}", i + 1))
            .collect::<Vec<_>>()
            .join("\n\n");
        let mut layer = Layer::new(LayerKind::Note, None, text);
        layer.source = Some(doc.source.clone());
        doc.layers.push(layer);
    }
    links
}

/// The scans: each `facsimile/surface` whose `graphic/@url` is a file
/// beside the TEI file (or under the corpus root) is a page, its zones
/// regions linked to the text that points at them. When the text's page
/// breaks name their scans (`pb facs="#surface"` or `pb facs="img.jpg"`),
/// the pages follow the text's pages.
fn read_facsimile(
    tei: Node<'_, '_>,
    root: &Path,
    file: &Path,
    links: &FacsimileLinks,
    doc: &mut Document,
) {
    let folder = file.parent().unwrap_or(Path::new(""));
    let surfaces = read_surfaces(tei, root, folder, &links.zones, doc);
    if !links.page_facs.iter().any(Option::is_some) {
        doc.pages = surfaces.into_iter().map(|(_, page)| page).collect();
        return;
    }
    let mut used = vec![false; surfaces.len()];
    let resolved: Vec<Option<Page>> = links
        .page_facs
        .iter()
        .map(|facs| {
            let facs = facs.as_deref()?;
            if let Some(id) = facs.strip_prefix('#') {
                let index = surfaces
                    .iter()
                    .position(|(s, _)| s.as_deref() == Some(id))?;
                used[index] = true;
                Some(surfaces[index].1.clone())
            } else {
                local_image(root, folder, facs).map(Page::new)
            }
        })
        .collect();
    let unresolved = resolved.iter().filter(|p| p.is_none()).count();
    if unresolved == 0 {
        doc.pages = resolved.into_iter().flatten().collect();
        // Surfaces no page break names come after, in their order.
        doc.pages.extend(
            surfaces
                .into_iter()
                .zip(used)
                .filter(|(_, used)| !used)
                .map(|((_, page), _)| page),
        );
    } else {
        doc.warnings.push(format!(
            "{unresolved} of the text's {} pages name no scan in the corpus (pb/@facs); \
             the scans are shown in the facsimile's order",
            resolved.len()
        ));
        doc.pages = surfaces.into_iter().map(|(_, page)| page).collect();
    }
}

/// The facsimile's surfaces that are in the corpus, with their `xml:id`s.
fn read_surfaces(
    tei: Node<'_, '_>,
    root: &Path,
    folder: &Path,
    zones_linked: &[(String, usize, usize)],
    doc: &mut Document,
) -> Vec<(Option<String>, Page)> {
    let mut surfaces = Vec::new();
    let Some(facsimile) = child(tei, "facsimile") else {
        return surfaces;
    };
    let mut missing = 0;
    for surface in children(facsimile, "surface") {
        let Some(url) = descendant(surface, "graphic").and_then(|g| g.attribute("url")) else {
            continue;
        };
        let Some(image) = local_image(root, folder, url) else {
            missing += 1;
            continue;
        };
        let mut page = Page::new(image);
        page.label = surface.attribute("n").map(str::to_owned);
        for zone in surface.descendants().filter(|n| named(*n, "zone")) {
            let Some(polygon) = zone_polygon(zone) else {
                continue;
            };
            let id = zone.attribute((XML_NS, "id")).unwrap_or_default();
            let linked = zones_linked.iter().find(|(z, _, _)| z == id);
            let text = linked
                .and_then(|(_, a, b)| doc.layers.first().and_then(|l| l.text.get(*a..*b)))
                .unwrap_or_default()
                .to_owned();
            page.regions.push(Region {
                kind: RegionKind::Line,
                polygon,
                text,
                layer: linked.map(|_| 0),
                text_range: linked.map(|(_, a, b)| (*a, *b)),
                confidence: None,
            });
        }
        let id = surface.attribute((XML_NS, "id")).map(str::to_owned);
        surfaces.push((id, page));
    }
    if missing > 0 {
        doc.warnings.push(format!(
            "{missing} facsimile images named by the TEI file are not in the corpus (remote or missing)"
        ));
    }
    surfaces
}

/// A facsimile image URL as a path under the corpus root, when it is a
/// local file that exists there.
fn local_image(root: &Path, folder: &Path, url: &str) -> Option<PathBuf> {
    if url.contains("://") && !url.starts_with("file://") {
        return None;
    }
    let url = url.strip_prefix("file://").unwrap_or(url);
    let relative = folder.join(url);
    let normal: PathBuf = relative
        .components()
        .try_fold(PathBuf::new(), |mut acc, c| match c {
            std::path::Component::Normal(part) => {
                acc.push(part);
                Some(acc)
            }
            std::path::Component::CurDir => Some(acc),
            std::path::Component::ParentDir => acc.pop().then_some(acc),
            _ => None,
        })?;
    root.join(&normal).is_file().then_some(normal)
}

/// A zone's outline: `points` ("x,y x,y …") or `ulx`/`uly`/`lrx`/`lry`.
fn zone_polygon(zone: Node<'_, '_>) -> Option<Vec<[f32; 2]>> {
    if let Some(points) = zone.attribute("points") {
        let polygon: Vec<[f32; 2]> = points
            .split_whitespace()
            .filter_map(|p| {
                let (x, y) = p.split_once(',')?;
                Some([x.trim().parse().ok()?, y.trim().parse().ok()?])
            })
            .collect();
        return (polygon.len() >= 3).then_some(polygon);
    }
    let number = |name: &str| zone.attribute(name)?.trim().parse::<f32>().ok();
    let (ulx, uly, lrx, lry) = (
        number("ulx")?,
        number("uly")?,
        number("lrx")?,
        number("lry")?,
    );
    Some(vec![[ulx, uly], [lrx, uly], [lrx, lry], [ulx, lry]])
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &str = r##"<?xml version="1.0"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
 <teiHeader><fileDesc><titleStmt>
   <title level="s">Series</title><title level="a">Kraus an Schnitzler, 31. 10. 1892</title>
  </titleStmt><sourceDesc><msDesc><msIdentifier>
   <country>GB</country><settlement>Cambridge</settlement>
   <repository>University Library</repository><idno>Schnitzler, B 55</idno>
  </msIdentifier></msDesc></sourceDesc></fileDesc>
  <profileDesc><langUsage><language ident="de-AT">German</language></langUsage>
   <correspDesc>
    <correspAction type="sent"><persName>Kraus, Karl</persName>
      <date notBefore="1892-10" notAfter="1892-11">Herbst 1892</date><placeName>Wien</placeName></correspAction>
    <correspAction type="received"><persName>Schnitzler, Arthur</persName></correspAction>
   </correspDesc></profileDesc></teiHeader>
 <facsimile><surface n="1"><graphic url="page1.png"/>
   <zone xml:id="z1" ulx="10" uly="20" lrx="110" lry="40"/></surface></facsimile>
 <text><body>
  <div type="writingSession"><opener><dateline><pb n="1"/>am <date>31. Oktober</date>.</dateline></opener>
   <p facs="#z1">Herzlich<c>s</c>ten <choice><abbr>Dk.</abbr><expan>Dank</expan></choice><note>a note</note> für <del>das</del> <gap/> Buch!</p>
   <pb n="2"/><p>Ihr <choice><sic>ergebner</sic><corr>ergebener</corr></choice> Kraus</p></div>
  <div type="translation" xml:lang="en"><p>Warmest thanks for the book!</p></div>
 </body></text>
</TEI>"##;

    #[test]
    fn a_letter_gives_its_header_layers_and_pages() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("page1.png"), b"png").unwrap_or_else(|e| panic!("{e}"));
        let doc = parse(LETTER, dir.path(), Path::new("L1.xml")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.title, "Kraus an Schnitzler, 31. 10. 1892");
        assert_eq!(doc.people[0].name, "Karl Kraus");
        assert_eq!(doc.people[0].aliases, ["Kraus, Karl"]);
        assert_eq!(doc.people[0].role, Role::Author);
        assert_eq!(doc.people[1].name, "Arthur Schnitzler");
        assert_eq!(doc.people[1].role, Role::Recipient);
        assert_eq!(doc.date.to_edtf(), "1892-10/1892-11");
        assert_eq!(doc.date.text, "Herbst 1892");
        assert_eq!(doc.places, ["Wien"]);
        let archive = doc.archive.clone().unwrap_or_else(|| panic!("no archive"));
        assert_eq!(
            archive.repository.as_deref(),
            Some("University Library, Cambridge")
        );
        assert_eq!(archive.fond.as_deref(), Some("Schnitzler, B 55"));
        assert_eq!(
            archive.raw,
            "GB, Cambridge, University Library, Schnitzler, B 55"
        );
        assert_eq!(doc.original_language.as_deref(), Some("de-AT"));
        let text = &doc.layers[0].text;
        assert!(
            text.contains("Herzlichsten Dank für [ …] Buch!")
                || text.contains("Herzlichsten Dank für […] Buch!"),
            "{text}"
        );
        assert!(
            !text.contains("a note") && !text.contains("das") && !text.contains("Dk."),
            "{text}"
        );
        assert!(text.contains("Ihr ergebener Kraus"), "{text}");
        assert_eq!(
            doc.layers[0].page_count(),
            2,
            "{:?}",
            doc.layers[0].page_breaks
        );
        assert_eq!(doc.layers[1].kind, LayerKind::Translation);
        assert_eq!(doc.layers[1].language.as_deref(), Some("en"));
        assert_eq!(doc.layers[1].text, "Warmest thanks for the book!");
        assert_eq!(doc.layers[2].kind, LayerKind::Note);
        assert_eq!(doc.layers[2].text, "[1] a note");
        // The note is anchored just after the word it is on.
        let anchors = &doc.layers[0].note_anchors;
        assert_eq!(anchors.len(), 1);
        assert_eq!((anchors[0].number, anchors[0].text.as_str()), (1, "a note"));
        assert!(text[..anchors[0].offset].ends_with("Dank"), "{text}");
        assert!(!doc.layers[0].text.contains("Warmest"));
        // The facsimile's page, its zone linked to the paragraph pointing at it.
        assert_eq!(doc.pages.len(), 1);
        let region = &doc.pages[0].regions[0];
        let (a, b) = region.text_range.unwrap_or_default();
        assert!(doc.layers[0].text[a..b].starts_with("Herzlichsten Dank"));
    }

    #[test]
    fn page_breaks_name_their_scans() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for name in ["recto.png", "verso.png", "cover.png", "loose.jpg"] {
            std::fs::write(dir.path().join(name), b"img").unwrap_or_else(|e| panic!("{e}"));
        }
        // The facsimile lists the cover first; the text starts on the verso.
        let tei = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
          <titleStmt><title>Two sides</title></titleStmt></fileDesc></teiHeader>
          <facsimile>
           <surface xml:id="cover"><graphic url="cover.png"/></surface>
           <surface xml:id="r"><graphic url="recto.png"/></surface>
           <surface xml:id="v"><graphic url="verso.png"/></surface>
          </facsimile>
          <text><body><pb n="2v" facs="#v"/><p>Verso first.</p>
           <pb n="2r" facs="#r"/><p>Then recto.</p></body></text></TEI>"##;
        let doc = parse(tei, dir.path(), Path::new("t.xml")).unwrap_or_else(|e| panic!("{e}"));
        let images: Vec<_> = doc
            .pages
            .iter()
            .map(|p| p.image.to_string_lossy().into_owned())
            .collect();
        assert_eq!(images, ["verso.png", "recto.png", "cover.png"]);
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);

        // An image file named straight from `pb`, no facsimile at all.
        let tei = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
          <titleStmt><title>Loose</title></titleStmt></fileDesc></teiHeader>
          <text><body><p>Before any break.</p><pb facs="loose.jpg"/><p>On the scan.</p></body></text></TEI>"#;
        let doc = parse(tei, dir.path(), Path::new("t.xml")).unwrap_or_else(|e| panic!("{e}"));
        // The text before the break has no scan: the pages keep their
        // order and the warning says why.
        assert_eq!(doc.layers[0].page_count(), 2);
        assert!(
            doc.warnings
                .iter()
                .any(|w| w.contains("1 of the text's 2 pages")),
            "{:?}",
            doc.warnings
        );

        let tei = tei.replace("<p>Before any break.</p>", "");
        let doc = parse(&tei, dir.path(), Path::new("t.xml")).unwrap_or_else(|e| panic!("{e}"));
        let images: Vec<_> = doc
            .pages
            .iter()
            .map(|p| p.image.to_string_lossy().into_owned())
            .collect();
        assert_eq!(images, ["loose.jpg"]);
    }

    #[test]
    fn bce_ranges_and_odd_roots() {
        let epidoc = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
          <titleStmt><title>Letter to Zenon</title></titleStmt>
          <sourceDesc><msDesc><msIdentifier/><history><origin>
          <origDate notBefore="-0254" notAfter="-0251" precision="low">ca. 254 - 251 v.Chr.</origDate>
          </origin></history></msDesc></sourceDesc></fileDesc></teiHeader>
          <text><body><div type="edition" xml:lang="grc"><ab><lb n="1"/>Ζήνωνι <supplied reason="lost">χ</supplied>αίρειν</ab></div></body></text></TEI>"#;
        let doc = parse(epidoc, Path::new("/nonexistent"), Path::new("e.xml"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.date.start.map(|d| d.year), Some(-254));
        assert_eq!(doc.date.end.map(|d| d.year), Some(-251));
        assert!(doc.date.uncertain);
        assert_eq!(doc.layers[0].text, "Ζήνωνι [χ]αίρειν");
        assert_eq!(doc.layers[0].language.as_deref(), Some("grc"));
        assert!(doc.archive.is_none());
        assert!(
            parse("<teiCorpus/>", Path::new("/"), Path::new("c.xml"))
                .is_err_and(|e| e.contains("teiCorpus"))
        );
        assert!(
            parse("<TEI><text/></TEI>", Path::new("/"), Path::new("c.xml"))
                .is_err_and(|e| e.contains("teiHeader"))
        );
        assert!(
            parse("<TEI", Path::new("/"), Path::new("c.xml"))
                .is_err_and(|e| e.contains("well-formed"))
        );
        assert_eq!(
            sniff(b"<?xml version='1.0'?><!-- x --><TEI xmlns='t'>"),
            Some("TEI")
        );
        assert_eq!(sniff(b"<alto>"), None);
        assert_eq!(
            join_key("<idno type=\"ddb-hybrid\">p.cair.zen;3;59379</idno>").as_deref(),
            Some("p.cair.zen;3;59379")
        );
        assert_eq!(join_key("<idno type=\"TM\">1022</idno>"), None);
    }
}
