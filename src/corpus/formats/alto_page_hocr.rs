//! ALTO (v2–v4), PAGE XML (2013, 2019) and hOCR: the lines and words of
//! a scanned page with their place on it. A file becomes a document whose
//! page is the image it names (or the image beside it with the same
//! name), whose transcription is its lines, and whose page regions link
//! each line and word to its place in that text.
//!
//! XML is read with `roxmltree`, which refuses document type declarations:
//! no entity is expanded and no external file is fetched (billion laughs,
//! XXE). ALTO measured in anything but pixels is refused with a reason
//! rather than drawn in the wrong place. hOCR is HTML: its `<body>` is read
//! as XHTML (the `<head>` of real files is often not well-formed XML), and
//! a body that is not well-formed is refused with that reason.

use std::path::{Path, PathBuf};

use crate::corpus::LoadError;
use crate::corpus::read::{check_inside, read_text};
use crate::model::{Document, Layer, LayerKind, Page, Region, RegionKind, SourceFormat};

/// The OCR formats folio reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcrFormat {
    Alto,
    Page,
    Hocr,
}

impl OcrFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Alto => "ALTO",
            Self::Page => "PAGE",
            Self::Hocr => "hOCR",
        }
    }
}

/// Elements beyond this many make the file an error (memory stays bounded
/// whatever the file holds).
const MAX_NODES: u32 = 4_000_000;

/// Image extensions tried for a page image beside the XML file.
const BESIDE: &[&str] = &["jpg", "jpeg", "png", "tif", "tiff", "webp"];

/// One line of a page, with its outline and words.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrLine {
    pub polygon: Vec<[f32; 2]>,
    pub text: String,
    pub words: Vec<OcrWord>,
}

/// One word of a line: its outline, its text, and how sure the OCR engine
/// was of it (0–100; ALTO `WC`, PAGE `TextEquiv@conf`, hOCR `x_wconf`).
#[derive(Debug, Clone, PartialEq)]
pub struct OcrWord {
    pub polygon: Vec<[f32; 2]>,
    pub text: String,
    pub confidence: Option<u8>,
}

/// A confidence written as a share (`0.87`) as a percentage.
fn percent(share: Option<&str>) -> Option<u8> {
    let share: f32 = share?.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&share)
        .then(|| (share * 100.0).round() as u8)
}

/// What an ALTO or PAGE file says about its page.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrPage {
    pub format: OcrFormat,
    /// The image file as the XML names it.
    pub image: Option<String>,
    pub lines: Vec<OcrLine>,
    /// A BCP 47 tag when the file gives one (ALTO `LANG`).
    pub language: Option<String>,
}

/// Which OCR format the start of a file is, if any: the name of its first
/// element (after the declaration and comments), and for HTML an hOCR
/// class in what was read.
pub fn sniff(head: &[u8]) -> Option<OcrFormat> {
    let head = String::from_utf8_lossy(head);
    let is_hocr = head.contains("ocr_page") || head.contains("ocr-system");
    match root_element(&head)?.as_str() {
        "alto" => Some(OcrFormat::Alto),
        "PcGts" => Some(OcrFormat::Page),
        "html" if is_hocr => Some(OcrFormat::Hocr),
        _ => None,
    }
}

/// An ALTO, PAGE or hOCR file (by its first element, and for HTML an
/// hOCR class near the start), with the page image it names.
pub fn sniff_file(root: &Path, path: &Path) -> Option<super::Sniffed> {
    let head = crate::corpus::read::head(&root.join(path), 8192);
    sniff(&head)?;
    Some(super::Sniffed::Ocr {
        named: named_image(&String::from_utf8_lossy(&head)),
    })
}

/// The local name of the first element of an XML text (after the
/// declaration, comments and a DOCTYPE), read without parsing.
pub(crate) fn root_element(head: &str) -> Option<String> {
    let mut rest = head;
    loop {
        let start = rest.find('<')?;
        rest = &rest[start + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        return Some(name.rsplit(':').next().unwrap_or_default().to_owned());
    }
}

fn xml(text: &str) -> Result<roxmltree::Document<'_>, String> {
    crate::corpus::read::parse_xml(text, MAX_NODES)
}

/// The page image an OCR file names, found in its first bytes `head`
/// without parsing it (for the walk): ALTO's `fileName`, PAGE's
/// `imageFilename`, hOCR's `image` property.
pub fn named_image(head: &str) -> Option<String> {
    let value = if let Some(at) = head.find("fileName>") {
        let rest = &head[at + "fileName>".len()..];
        &rest[..rest.find('<')?]
    } else if let Some(at) = head.find("imageFilename=") {
        let rest = &head[at + "imageFilename=".len()..];
        let quote = rest.chars().next()?;
        let rest = &rest[quote.len_utf8()..];
        &rest[..rest.find(quote)?]
    } else {
        let page = &head[head.find("ocr_page")?..];
        let rest = page[page.find("image ")? + "image ".len()..].trim_start();
        // Quoted with either quote (Tesseract writes `title="image 'p.jpg'"`).
        match rest.chars().next()? {
            quote @ ('"' | '\'') => {
                let quoted = &rest[1..];
                &quoted[..quoted.find(quote)?]
            }
            _ => &rest[..rest.find([';', '\'', '"'])?],
        }
    };
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Of the images `names` in the folder of an OCR file with stem `stem`
/// that names `named`, the one its document takes as its page: the first
/// with its own name (in [`image_beside`]'s order), else the named one
/// when it names a file of this folder.
pub fn claimed_image<'a>(
    stem: &str,
    named: Option<&str>,
    names: &'a [String],
) -> Option<&'a String> {
    let with_stem = BESIDE.iter().find_map(|ext| {
        names.iter().find(|name| {
            Path::new(name.as_str())
                .file_stem()
                .is_some_and(|s| s == stem)
                && Path::new(name.as_str())
                    .extension()
                    .is_some_and(|e| e == *ext)
        })
    });
    with_stem.or_else(|| {
        let named = named?.strip_prefix("file://").unwrap_or(named?);
        let path = Path::new(named);
        // A plain name is this folder's; an absolute one is looked for
        // here by its file name (see `find_image`).
        let here = path.is_absolute() || path.components().count() == 1;
        let file_name = path.file_name()?;
        names
            .iter()
            .find(|name| here && std::ffi::OsStr::new(name.as_str()) == file_name)
    })
}

/// Reads an ALTO, PAGE or hOCR document.
pub fn parse(text: &str) -> Result<OcrPage, String> {
    if sniff(text.as_bytes()) == Some(OcrFormat::Hocr) {
        return parse_hocr(text);
    }
    let document = xml(text)?;
    let root = document.root_element();
    match root.tag_name().name() {
        "alto" => parse_alto(root),
        "PcGts" => parse_page(root),
        other => Err(format!("<{other}> is neither ALTO nor PAGE XML")),
    }
}

fn children<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn descendants<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.descendants()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn number(node: roxmltree::Node<'_, '_>, attribute: &str) -> Option<f32> {
    node.attribute(attribute)?
        .trim()
        .parse::<f32>()
        .ok()
        .filter(|v| v.is_finite())
}

/// A box from ALTO's HPOS, VPOS, WIDTH and HEIGHT, clockwise.
fn alto_box(node: roxmltree::Node<'_, '_>) -> Option<Vec<[f32; 2]>> {
    let (x, y) = (number(node, "HPOS")?, number(node, "VPOS")?);
    let (w, h) = (number(node, "WIDTH")?, number(node, "HEIGHT")?);
    Some(vec![[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
}

/// Points written `x,y x,y …` (PAGE, ALTO v3+) or `x y x y …` (some ALTO).
fn points(text: &str) -> Vec<[f32; 2]> {
    let numbers: Vec<f32> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse::<f32>().ok())
        .filter(|v| v.is_finite())
        .collect();
    numbers.chunks_exact(2).map(|p| [p[0], p[1]]).collect()
}

fn parse_alto(root: roxmltree::Node<'_, '_>) -> Result<OcrPage, String> {
    if let Some(unit) = descendants(root, "MeasurementUnit")
        .next()
        .and_then(|n| n.text())
        .map(str::trim)
        .filter(|u| !u.eq_ignore_ascii_case("pixel"))
    {
        return Err(format!(
            "ALTO measured in {unit} is not read yet (folio reads ALTO measured in pixels)"
        ));
    }
    let image = descendants(root, "fileName")
        .next()
        .and_then(|n| n.text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let mut language = None;
    let mut lines = Vec::new();
    for line in descendants(root, "TextLine") {
        let mut words = Vec::new();
        for item in line.children().filter(roxmltree::Node::is_element) {
            match item.tag_name().name() {
                "String" => {
                    if language.is_none() {
                        language = item.attribute("LANG").map(str::to_owned);
                    }
                    words.push(OcrWord {
                        polygon: alto_box(item).unwrap_or_default(),
                        text: item.attribute("CONTENT").unwrap_or_default().to_owned(),
                        confidence: percent(item.attribute("WC")),
                    });
                }
                "HYP" => {
                    if let Some(last) = words.last_mut() {
                        last.text.push_str(item.attribute("CONTENT").unwrap_or("-"));
                    }
                }
                _ => {}
            }
        }
        let text = words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let polygon = descendants(line, "Polygon")
            .next()
            .and_then(|p| p.attribute("POINTS"))
            .map(points)
            .filter(|p| p.len() >= 3)
            .or_else(|| alto_box(line))
            .unwrap_or_default();
        if language.is_none() {
            language = line
                .attribute("LANG")
                .or_else(|| line.parent_element()?.attribute("LANG"))
                .map(str::to_owned);
        }
        lines.push(OcrLine {
            polygon,
            text,
            words,
        });
    }
    Ok(OcrPage {
        format: OcrFormat::Alto,
        image,
        lines,
        language,
    })
}

/// A PAGE element's outline: `Coords@points`, or the older `Point` children.
fn page_coords(node: roxmltree::Node<'_, '_>) -> Vec<[f32; 2]> {
    let Some(coords) = children(node, "Coords").next() else {
        return Vec::new();
    };
    if let Some(text) = coords.attribute("points") {
        return points(text);
    }
    children(coords, "Point")
        .filter_map(|p| Some([number(p, "x")?, number(p, "y")?]))
        .collect()
}

/// The text of `node`: its `TextEquiv` with the lowest `index` (the
/// schema's rule; LAREX and `OCR4all` write the ground truth at 0 and the
/// OCR reading at 1), else the first, with its `conf`.
fn page_text(node: roxmltree::Node<'_, '_>) -> Option<(String, Option<u8>)> {
    let equiv = children(node, "TextEquiv").min_by_key(|equiv| {
        equiv
            .attribute("index")
            .and_then(|i| i.trim().parse::<i64>().ok())
            .unwrap_or(i64::MAX)
    })?;
    let unicode = children(equiv, "Unicode").next()?;
    Some((
        unicode.text().unwrap_or_default().to_owned(),
        percent(equiv.attribute("conf")),
    ))
}

fn parse_page(root: roxmltree::Node<'_, '_>) -> Result<OcrPage, String> {
    let page = descendants(root, "Page")
        .next()
        .ok_or("PAGE XML without a <Page> element")?;
    let image = page
        .attribute("imageFilename")
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let mut lines = Vec::new();
    for line in descendants(page, "TextLine") {
        let words: Vec<OcrWord> = children(line, "Word")
            .map(|word| {
                let (text, confidence) = page_text(word).unwrap_or_default();
                OcrWord {
                    polygon: page_coords(word),
                    text,
                    confidence,
                }
            })
            .collect();
        let text = page_text(line).map_or_else(
            || {
                words
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            },
            |(text, _)| text,
        );
        lines.push(OcrLine {
            polygon: page_coords(line),
            text: text.replace(['\n', '\r'], " "),
            words,
        });
    }
    Ok(OcrPage {
        format: OcrFormat::Page,
        image,
        lines,
        language: None,
    })
}

/// The `key` property of an hOCR `title` (`bbox 1 2 3 4; x_wconf 90`).
fn hocr_property<'a>(title: &'a str, key: &str) -> Option<&'a str> {
    title.split(';').map(str::trim).find_map(|part| {
        let (name, value) = part.split_once(char::is_whitespace)?;
        (name == key).then_some(value.trim())
    })
}

/// An hOCR `bbox x0 y0 x1 y1` as a clockwise box.
fn hocr_box(node: roxmltree::Node<'_, '_>) -> Option<Vec<[f32; 2]>> {
    let numbers = points(hocr_property(node.attribute("title")?, "bbox")?);
    let ([x0, y0], [x1, y1]) = (*numbers.first()?, *numbers.get(1)?);
    Some(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
}

fn has_class(node: roxmltree::Node<'_, '_>, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|c| c == class))
}

/// The text of `node` and everything in it, spaces collapsed.
fn all_text(node: roxmltree::Node<'_, '_>) -> String {
    let joined: String = node
        .descendants()
        .filter(roxmltree::Node::is_text)
        .filter_map(|t| t.text())
        .collect::<Vec<_>>()
        .join(" ");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parse_hocr(text: &str) -> Result<OcrPage, String> {
    let start = text.find("<body").ok_or("hOCR without a <body> element")?;
    let end = text
        .rfind("</body>")
        .map_or(text.len(), |e| e + "</body>".len());
    // HTML's named spaces are not XML's.
    let body = text
        .get(start..end)
        .ok_or("hOCR without a <body> element")?
        .replace("&nbsp;", "\u{a0}");
    let document =
        xml(&body).map_err(|e| format!("the hOCR body is {e} (folio reads XHTML hOCR)"))?;
    let root = document.root_element();
    let image = root
        .descendants()
        .find(|n| has_class(*n, "ocr_page"))
        .and_then(|page| hocr_property(page.attribute("title")?, "image"))
        .map(|name| name.trim_matches(['"', '\'']).to_owned())
        .filter(|name| !name.is_empty());
    let language = root
        .descendants()
        .find_map(|n| {
            n.attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
                .or(n.attribute("lang"))
        })
        .map(str::to_owned);
    let lines = root
        .descendants()
        .filter(|n| {
            [
                "ocr_line",
                "ocrx_line",
                "ocr_textfloat",
                "ocr_header",
                "ocr_caption",
            ]
            .iter()
            .any(|class| has_class(*n, class))
        })
        .map(|line| {
            let words: Vec<OcrWord> = line
                .descendants()
                .filter(|n| has_class(*n, "ocrx_word"))
                .map(|word| OcrWord {
                    polygon: hocr_box(word).unwrap_or_default(),
                    text: all_text(word),
                    confidence: word
                        .attribute("title")
                        .and_then(|t| hocr_property(t, "x_wconf"))
                        .and_then(|c| c.parse::<u8>().ok())
                        .map(|c| c.min(100)),
                })
                .collect();
            OcrLine {
                polygon: hocr_box(line).unwrap_or_default(),
                text: all_text(line),
                words,
            }
        })
        .collect();
    Ok(OcrPage {
        format: OcrFormat::Hocr,
        image,
        lines,
        language,
    })
}

/// The image with the same name as `file` beside it, if there is one.
pub fn image_beside(root: &Path, file: &Path) -> Option<PathBuf> {
    let folder = file.parent().unwrap_or(Path::new(""));
    let stem = file.file_stem()?;
    BESIDE.iter().find_map(|ext| {
        let candidate = folder.join(stem).with_extension(ext);
        check_inside(root, folder, &candidate)
            .is_ok()
            .then_some(candidate)
    })
}

/// The page image of an OCR file at `file`: the image with the same name
/// beside it, else the image it names, looked for beside it and then in
/// the folders above it up to the corpus root (PAGE files name images
/// relative to their METS folder).
fn find_image(root: &Path, file: &Path, named: Option<&str>) -> Option<PathBuf> {
    if let Some(beside) = image_beside(root, file) {
        return Some(beside);
    }
    let folder = file.parent().unwrap_or(Path::new(""));
    let named = named?;
    let named = named.strip_prefix("file://").unwrap_or(named);
    let relative = Path::new(named);
    if relative.is_relative() {
        let mut base = Some(folder);
        while let Some(dir) = base {
            let candidate = dir.join(relative);
            if check_inside(root, Path::new(""), &candidate).is_ok() {
                return Some(candidate);
            }
            base = dir.parent();
        }
    }
    // An absolute or unresolved name: the same file name beside it.
    let candidate = folder.join(relative.file_name()?);
    check_inside(root, folder, &candidate)
        .is_ok()
        .then_some(candidate)
}

/// Appends the page's lines to `text`, one per line, and returns their
/// regions (lines, then each line's words) pointing into `text` in layer 0.
pub fn append_lines(page: &OcrPage, text: &mut String) -> Vec<Region> {
    let mut regions = Vec::new();
    for line in &page.lines {
        if line.text.trim().is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        let start = text.len();
        text.push_str(&line.text);
        regions.push(Region {
            kind: RegionKind::Line,
            polygon: line.polygon.clone(),
            text: line.text.clone(),
            layer: Some(0),
            text_range: Some((start, text.len())),
            confidence: None,
        });
        // Words are found in order inside their line's text.
        let mut cursor = start;
        for word in &line.words {
            if word.text.is_empty() || word.polygon.is_empty() {
                continue;
            }
            let Some(at) = text[cursor..].find(word.text.as_str()) else {
                continue;
            };
            let word_start = cursor + at;
            cursor = word_start + word.text.len();
            regions.push(Region {
                kind: RegionKind::Word,
                polygon: word.polygon.clone(),
                text: word.text.clone(),
                layer: Some(0),
                text_range: Some((word_start, cursor)),
                confidence: word.confidence,
            });
        }
    }
    regions
}

/// The title of a page read alone: its file's name and the first line
/// that can be a heading (never a page number, a signature mark or a
/// running head: `(484)`, `$pag:39`, `INPUT`, `12 THE HISTORY OF ROME`).
fn title(stem: &str, page: &OcrPage) -> String {
    let heading = page
        .lines
        .iter()
        .map(|l| l.text.trim())
        .find(|line| is_heading(line));
    match heading {
        Some(line) => {
            let line: String = line.chars().take(80).collect();
            format!("{stem}: {line}")
        }
        None => stem.to_owned(),
    }
}

/// Whether an OCR line reads as the start of a text: two words or more
/// with at least eight letters (or four ideographs), mostly letters, not
/// in capitals only, not ending in a page number (a chapter's number may
/// open it: `1 Down the Rabbit-Hole`).
fn is_heading(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    let visible = line.chars().filter(|c| !c.is_whitespace()).count();
    let numbered = |w: Option<&&str>| {
        w.is_some_and(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .chars()
                .all(|c| c.is_ascii_digit() || "ivxlcdm".contains(c.to_ascii_lowercase()))
        })
    };
    let cased: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let shouting = cased.iter().any(|c| c.is_uppercase())
        && cased
            .iter()
            .all(|c| c.is_uppercase() || !c.is_lowercase() && !c.is_uppercase());
    // Chinese and Japanese write a heading without spaces.
    let ideographic = line
        .chars()
        .filter(|c| matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'))
        .count();
    (words.len() >= 2 && letters >= 8 || ideographic >= 4)
        && letters * 10 >= visible * 6
        && !shouting
        && !numbered(words.last())
}

/// Reads the OCR file `file` (relative to `root`) into a document.
pub fn load(root: &Path, file: &Path) -> Result<Document, LoadError> {
    let text = read_text(&root.join(file)).map_err(|reason| LoadError::new(file, reason))?;
    let page = parse(&text).map_err(|reason| LoadError::new(file, reason))?;
    let id = file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let mut doc = Document::new(id, file.to_owned(), SourceFormat::Loose);
    let mut layer_text = String::new();
    let regions = append_lines(&page, &mut layer_text);
    doc.title = title(&doc.id, &page);
    let mut layer = Layer::new(LayerKind::Transcription, page.language.clone(), layer_text);
    layer.source = Some(file.to_owned());
    doc.original_language.clone_from(&page.language);
    if !layer.text.is_empty() {
        doc.layers.push(layer);
    }
    match find_image(root, file, page.image.as_deref()) {
        Some(image) => {
            let mut scan = Page::new(image);
            scan.regions = regions;
            doc.pages.push(scan);
        }
        None => doc.warnings.push(match &page.image {
            Some(named) => format!(
                "the page image {named:?} named by this {} file is not in the corpus; the text is shown without it",
                page.format.name()
            ),
            None => format!(
                "no page image beside this {} file; the text is shown without it",
                page.format.name()
            ),
        }),
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_first_element() {
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<!-- x --><alto xmlns=\"a\">"),
            Some(OcrFormat::Alto)
        );
        assert_eq!(sniff(b"<pc:PcGts xmlns:pc=\"p\">"), Some(OcrFormat::Page));
        assert_eq!(sniff(b"<TEI xmlns=\"t\">"), None);
        assert_eq!(sniff(b"no markup"), None);
    }

    #[test]
    fn hocr_lines_words_and_image() {
        let hocr = "<?xml version=\"1.0\"?>\n<html><head><meta name='x' content='y'></head>\
                    <body><div class='ocr_page' title='image \"p.png\"; bbox 0 0 100 50'>\
                    <span class='ocr_line' title='bbox 1 2 60 20; baseline 0 0'>\
                    <span class='ocrx_word' title='bbox 1 2 20 20; x_wconf 90'>Dear</span>&nbsp;\
                    <span class='ocrx_word' title='bbox 25 2 60 20'>friend</span></span>\
                    </div></body></html>";
        assert_eq!(sniff(hocr.as_bytes()), Some(OcrFormat::Hocr));
        let page = parse(hocr).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.image.as_deref(), Some("p.png"));
        assert_eq!(page.lines.len(), 1);
        assert_eq!(page.lines[0].text, "Dear friend");
        assert_eq!(page.lines[0].polygon[2].map(|v| v as i32), [60, 20]);
        assert_eq!(page.lines[0].words[1].text, "friend");
        assert_eq!(page.lines[0].words[0].confidence, Some(90));
        assert_eq!(page.lines[0].words[1].confidence, None);
        let broken = "<html><body><div class='ocr_page'><p>unclosed</div></body></html>";
        assert!(parse(broken).err().unwrap_or_default().contains("XHTML"));
    }

    #[test]
    fn page_takes_the_lowest_index_and_every_format_gives_word_confidence() {
        let page = r#"<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
            <Page imageFilename="p.png" imageWidth="100" imageHeight="50"><TextRegion id="r">
            <TextLine id="l"><Coords points="0,0 90,0 90,20 0,20"/>
              <Word id="w"><Coords points="0,0 40,0 40,20 0,20"/>
                <TextEquiv index="1" conf="0.41"><Unicode>Tlie</Unicode></TextEquiv>
                <TextEquiv index="0" conf="0.99"><Unicode>The</Unicode></TextEquiv></Word>
              <TextEquiv index="1"><Unicode>Tlie OCR reading</Unicode></TextEquiv>
              <TextEquiv index="0"><Unicode>The ground truth</Unicode></TextEquiv>
            </TextLine></TextRegion></Page></PcGts>"#;
        let read = parse(page).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.lines[0].text, "The ground truth");
        assert_eq!(read.lines[0].words[0].text, "The");
        assert_eq!(read.lines[0].words[0].confidence, Some(99));
        let alto = r#"<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page><PrintSpace>
            <TextBlock><TextLine HPOS="0" VPOS="0" WIDTH="90" HEIGHT="20">
              <String CONTENT="Aufklärung" WC="0.42" HPOS="0" VPOS="0" WIDTH="40" HEIGHT="20"/>
              <SP/><String CONTENT="ist" WC="0.97" HPOS="50" VPOS="0" WIDTH="20" HEIGHT="20"/>
            </TextLine></TextBlock></PrintSpace></Page></Layout></alto>"#;
        let read = parse(alto).unwrap_or_else(|e| panic!("{e}"));
        let confidences: Vec<_> = read.lines[0].words.iter().map(|w| w.confidence).collect();
        assert_eq!(confidences, [Some(42), Some(97)]);
        let mut text = String::new();
        let regions = append_lines(&read, &mut text);
        let doubtful: Vec<_> = regions.iter().filter(|r| r.is_doubtful()).collect();
        assert_eq!(doubtful.len(), 1);
        assert_eq!(
            doubtful[0].text_range.map(|(a, b)| &text[a..b]),
            Some("Aufklärung")
        );
    }

    #[test]
    fn titles_skip_page_numbers_and_running_heads() {
        for line in [
            "(484)",
            "INPUT",
            "BIN",
            "$pag:39",
            "12 THE HISTORY OF ROME",
            "The History of Rome 23",
            "A b",
        ] {
            assert!(!is_heading(line), "{line}");
        }
        for line in [
            "Beantwortung der Frage: Was ist Aufklärung?",
            "Уважаемый товарищ Сталин!",
            "Dear friend, all is well",
        ] {
            assert!(is_heading(line), "{line}");
        }
        let page = |lines: &[&str]| OcrPage {
            format: OcrFormat::Hocr,
            image: None,
            lines: lines
                .iter()
                .map(|t| OcrLine {
                    polygon: Vec::new(),
                    text: (*t).to_owned(),
                    words: Vec::new(),
                })
                .collect(),
            language: None,
        };
        assert_eq!(
            title(
                "0021",
                &page(&["(484)", "BIN", "Was ist Aufklärung? Eine Frage"])
            ),
            "0021: Was ist Aufklärung? Eine Frage"
        );
        assert_eq!(title("0022", &page(&["$pag:39", "INPUT"])), "0022");
    }

    #[test]
    fn named_images_are_found_in_the_head() {
        assert_eq!(
            named_image("<alto><sourceImageInformation><fileName>a/b.tif</fileName>").as_deref(),
            Some("a/b.tif")
        );
        assert_eq!(
            named_image("<PcGts><Page imageFilename='x.jpg' imageWidth=\"1\">").as_deref(),
            Some("x.jpg")
        );
        assert_eq!(
            named_image("<div class='ocr_page' title='image \"alice 1.png\"; bbox 0 0 1 1'>")
                .as_deref(),
            Some("alice 1.png")
        );
        assert_eq!(
            named_image(
                "<div class=\"ocr_page\" title=\"image 'page_0021_800px.jpg'; bbox 0 0 1 1\">"
            )
            .as_deref(),
            Some("page_0021_800px.jpg")
        );
        assert_eq!(named_image("<alto><Layout>"), None);
        let names = [
            "p.png".to_owned(),
            "p.jpg".to_owned(),
            "other.png".to_owned(),
        ];
        assert_eq!(
            claimed_image("p", Some("other.png"), &names),
            Some(&names[1])
        );
        assert_eq!(
            claimed_image("q", Some("other.png"), &names),
            Some(&names[2])
        );
        assert_eq!(
            claimed_image("q", Some("/scans/other.png"), &names),
            Some(&names[2])
        );
        assert_eq!(claimed_image("q", Some("dir/other.png"), &names), None);
        assert_eq!(claimed_image("q", None, &names), None);
    }

    #[test]
    fn points_read_both_spellings() {
        assert_eq!(points("1,2 3,4"), [[1.0, 2.0], [3.0, 4.0]]);
        assert_eq!(points("1 2 3 4 5"), [[1.0, 2.0], [3.0, 4.0]]);
        assert!(points("a,b NaN,inf").is_empty());
    }

    #[test]
    fn dtds_are_refused_and_other_units_are_said() {
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY l \"lol\">]><alto>&l;</alto>";
        assert!(
            parse(laughs)
                .err()
                .unwrap_or_default()
                .contains("not well-formed")
        );
        let mm = "<alto><Description><MeasurementUnit>mm10</MeasurementUnit></Description></alto>";
        assert!(parse(mm).err().unwrap_or_default().contains("mm10"));
    }
}
