//! METS files, as digitisation projects package a scanned book or file
//! (OCR-D, Goobi/Kitodo, the DFG viewer): one document whose pages follow
//! the physical structure map, each page its image and its ALTO, PAGE or
//! hOCR text (lines linked to the scan) from the file groups it points
//! to; MODS gives the title, authors, date and shelf mark when present.
//! The walk reads the file list first ([`referenced_files`]) so that the
//! images and texts a METS file takes are not documents of their own.

use std::path::{Component, Path, PathBuf};

use roxmltree::Node;

use crate::corpus::LoadError;
use crate::corpus::read::{check_inside, read_text};
use crate::model::{
    ArchiveRef, Document, FuzzyDate, Layer, LayerKind, Page, PageBreak, Person, Role, SourceFormat,
};

const METS: &str = "http://www.loc.gov/METS/";
const MODS: &str = "http://www.loc.gov/mods/v3";
const XLINK: &str = "http://www.w3.org/1999/xlink";
/// Larger METS files are refused (a book of thousands of pages is a few MB).
const MAX_BYTES: u64 = 32 << 20;
const MAX_NODES: u32 = 2_000_000;

/// Whether the first bytes of an XML file are a METS document.
pub fn sniff(head: &str) -> bool {
    super::alto_page_hocr::root_element(head).is_some_and(|name| name == "mets")
}

/// A METS file (by its root element), with the files it takes.
pub fn sniff_file(root: &Path, path: &Path) -> Option<super::Sniffed> {
    let head = crate::corpus::read::head(&root.join(path), 4096);
    sniff(&String::from_utf8_lossy(&head)).then(|| super::Sniffed::Mets {
        // Unreadable, it is still its entry: loading says why.
        files: referenced_files(root, path).unwrap_or_default(),
    })
}

/// One file a page points to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MetsFile {
    /// The file group's `USE` (`OCR-D-IMG`, `DEFAULT`, `FULLTEXT`, …).
    group: String,
    mime: String,
    /// Relative to the corpus root; `None` for a remote or escaping link.
    path: Option<PathBuf>,
    href: String,
}

#[derive(Debug, Default)]
struct Mets {
    title: Option<String>,
    authors: Vec<String>,
    date: Option<String>,
    shelf_mark: Option<String>,
    language: Option<String>,
    /// Pages in order: label and files.
    pages: Vec<(Option<String>, Vec<MetsFile>)>,
}

fn read(root: &Path, file: &Path) -> Result<String, String> {
    crate::files::confined::size_within(&root.join(file), MAX_BYTES, "the METS file")?;
    read_text(&root.join(file))
}

fn is(node: Node<'_, '_>, namespace: &str, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace() == Some(namespace)
}

/// The trimmed text of the first `name` element of `namespace` below `node`.
fn first_text(node: Node<'_, '_>, namespace: &str, name: &str) -> Option<String> {
    node.descendants()
        .filter(|n| is(*n, namespace, name))
        .filter_map(|n| n.text())
        .map(|t| crate::text::squash_whitespace(t.trim()))
        .find(|t| !t.is_empty())
}

/// `href` of a file in the METS file `file`, relative to the corpus root,
/// when it is a local path that stays inside the corpus.
fn local_path(root: &Path, file: &Path, href: &str) -> Option<PathBuf> {
    let href = href.strip_prefix("file://").unwrap_or(href);
    if href.contains("://") || href.is_empty() {
        return None;
    }
    let folder = file.parent().unwrap_or(Path::new(""));
    let mut path = folder.to_owned();
    for part in Path::new(href).components() {
        match part {
            Component::Normal(name) => path.push(name),
            Component::ParentDir => {
                if !path.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    check_inside(root, folder, &path).is_ok().then_some(path)
}

fn parse(root: &Path, file: &Path, text: &str) -> Result<Mets, String> {
    let xml = crate::corpus::read::parse_xml(text, MAX_NODES)?;
    let top = xml.root_element();
    if !is(top, METS, "mets") {
        return Err("not a METS file (no mets element in the METS namespace)".into());
    }
    // Every file by its ID.
    let mut files: std::collections::HashMap<&str, MetsFile> = std::collections::HashMap::new();
    for node in top.descendants().filter(|n| is(*n, METS, "file")) {
        let Some(id) = node.attribute("ID") else {
            continue;
        };
        let group = node
            .ancestors()
            .find(|n| is(*n, METS, "fileGrp"))
            .and_then(|g| g.attribute("USE"))
            .unwrap_or_default();
        let href = node
            .children()
            .find(|n| is(*n, METS, "FLocat"))
            .and_then(|l| l.attribute((XLINK, "href")))
            .unwrap_or_default();
        files.insert(
            id,
            MetsFile {
                group: group.to_owned(),
                mime: node.attribute("MIMETYPE").unwrap_or_default().to_owned(),
                path: local_path(root, file, href),
                href: href.to_owned(),
            },
        );
    }
    let physical = top
        .descendants()
        .find(|n| {
            is(*n, METS, "structMap")
                && n.attribute("TYPE")
                    .is_some_and(|t| t.eq_ignore_ascii_case("physical"))
        })
        .ok_or("no physical structure map (structMap TYPE=\"PHYSICAL\"): the pages cannot be put in order")?;
    let mut divs: Vec<(Option<u64>, Node<'_, '_>)> = physical
        .descendants()
        .filter(|n| {
            is(*n, METS, "div")
                && n.attribute("TYPE")
                    .is_some_and(|t| t.eq_ignore_ascii_case("page"))
        })
        .map(|n| (n.attribute("ORDER").and_then(|o| o.trim().parse().ok()), n))
        .collect();
    if divs.iter().all(|(order, _)| order.is_some()) {
        divs.sort_by_key(|(order, _)| *order);
    }
    let mut mets = Mets::default();
    for (_, div) in divs {
        let label = div
            .attribute("ORDERLABEL")
            .or_else(|| div.attribute("LABEL"))
            .map(str::to_owned);
        let page_files = div
            .descendants()
            .filter(|n| is(*n, METS, "fptr") || is(*n, METS, "area"))
            .filter_map(|n| n.attribute("FILEID"))
            .filter_map(|id| files.get(id).cloned())
            .collect();
        mets.pages.push((label, page_files));
    }
    // MODS of the first descriptive section (the work, not a chapter).
    if let Some(mods) = top.descendants().find(|n| is(*n, MODS, "mods")) {
        mets.title = mods
            .descendants()
            .find(|n| is(*n, MODS, "titleInfo"))
            .and_then(|info| {
                let title = first_text(info, MODS, "title")?;
                Some(match first_text(info, MODS, "subTitle") {
                    Some(sub) => format!("{title}: {sub}"),
                    None => title,
                })
            });
        for name in mods.children().filter(|n| is(*n, MODS, "name")) {
            let role = first_text(name, MODS, "roleTerm").unwrap_or_default();
            let authorial = role.is_empty()
                || ["aut", "author", "cre", "creator"]
                    .iter()
                    .any(|r| role.eq_ignore_ascii_case(r));
            let parts: Vec<String> = name
                .children()
                .filter(|n| is(*n, MODS, "namePart"))
                .filter_map(|n| n.text())
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect();
            if authorial && !parts.is_empty() {
                mets.authors.push(parts.join(", "));
            }
        }
        mets.date =
            first_text(mods, MODS, "dateIssued").or_else(|| first_text(mods, MODS, "dateCreated"));
        mets.shelf_mark = [
            first_text(mods, MODS, "physicalLocation"),
            first_text(mods, MODS, "shelfLocator"),
        ]
        .into_iter()
        .flatten()
        .reduce(|a, b| format!("{a}, {b}"));
        mets.language = first_text(mods, MODS, "languageTerm");
    }
    Ok(mets)
}

/// The files inside the corpus that the METS file `file` (relative to
/// `root`) takes as its pages' images and texts, for the walk.
pub fn referenced_files(root: &Path, file: &Path) -> Result<Vec<PathBuf>, String> {
    let text = read(root, file)?;
    let mets = parse(root, file, &text)?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for (_, files) in &mets.pages {
        for path in files.iter().filter_map(|f| f.path.as_ref()) {
            if !paths.contains(path) {
                paths.push(path.clone());
            }
        }
    }
    Ok(paths)
}

fn is_image(file: &MetsFile) -> bool {
    file.mime.starts_with("image/")
        || file
            .path
            .as_deref()
            .and_then(Path::extension)
            .and_then(|e| e.to_str())
            .is_some_and(|e| {
                crate::corpus::walk::IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
            })
}

/// Thumbnails and binarised copies are shown only when nothing else is.
fn is_lesser_copy(file: &MetsFile) -> bool {
    let group = file.group.to_ascii_uppercase();
    ["THUMB", "BIN", "MIN", "PREVIEW"]
        .iter()
        .any(|w| group.contains(w))
}

/// Reads the METS file `file` (relative to `root`) into one document.
pub fn load(root: &Path, file: &Path) -> Result<Document, LoadError> {
    let fail = |reason: String| LoadError::new(file, reason);
    let text = read(root, file).map_err(fail)?;
    let mets = parse(root, file, &text).map_err(fail)?;
    if mets.pages.is_empty() {
        return Err(fail("the physical structure map lists no pages".into()));
    }
    // The folder names the work (a BagIt `data/` folder is its parent's).
    let folder = file.parent().unwrap_or(Path::new(""));
    let named_by = if folder.file_name().is_some_and(|n| n == "data") {
        folder.parent().unwrap_or(folder)
    } else {
        folder
    };
    // At the corpus root, the corpus folder's own name.
    let folder_name = if named_by.as_os_str().is_empty() {
        std::fs::canonicalize(root)
            .ok()
            .and_then(|r| r.file_name().map(ToOwned::to_owned))
    } else {
        named_by.file_name().map(ToOwned::to_owned)
    }
    .map(|n| n.to_string_lossy().into_owned());
    let id = folder_name.clone().unwrap_or_else(|| {
        file.file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
    });
    let mut doc = Document::new(id, file.to_owned(), SourceFormat::Mets);
    let mut layer_text = String::new();
    let mut breaks = Vec::new();
    let mut language = mets.language.clone();
    let mut first_line: Option<String> = None;
    for (number, (label, files)) in mets.pages.iter().enumerate() {
        let number = number + 1;
        for missing in files.iter().filter(|f| f.path.is_none()) {
            doc.warnings.push(format!(
                "page {number}: {:?} is not a file inside the corpus; left out",
                missing.href
            ));
        }
        let local: Vec<&MetsFile> = files.iter().filter(|f| f.path.is_some()).collect();
        let image = local
            .iter()
            .filter(|f| is_image(f))
            .min_by_key(|f| is_lesser_copy(f))
            .and_then(|f| f.path.clone());
        let before = layer_text.len();
        let mut regions = Vec::new();
        if let Some(ocr) = local.iter().filter(|f| !is_image(f)).find_map(|f| {
            let path = f.path.as_ref()?;
            super::alto_page_hocr::sniff(&crate::corpus::read::head(&root.join(path), 8192))?;
            Some(path)
        }) {
            match read_text(&root.join(ocr)).and_then(|t| super::alto_page_hocr::parse(&t)) {
                Ok(page) => {
                    if language.is_none() {
                        language.clone_from(&page.language);
                    }
                    if first_line.is_none() {
                        first_line = page
                            .lines
                            .iter()
                            .map(|l| l.text.trim())
                            .find(|t| !t.is_empty())
                            .map(|t| t.chars().take(80).collect());
                    }
                    regions = super::alto_page_hocr::append_lines(&page, &mut layer_text);
                }
                Err(reason) => doc
                    .warnings
                    .push(format!("page {number}: {}: {reason}", ocr.display())),
            }
        }
        if number > 1 {
            // The page starts after the line break that joins it to the
            // one before; a page without text starts (and ends) there.
            let offset = match (layer_text.len() > before, before > 0) {
                (true, true) => before + 1,
                (true, false) => 0,
                (false, _) => layer_text.len(),
            };
            breaks.push(PageBreak {
                offset,
                label: label.clone(),
            });
        }
        match image {
            Some(image) => {
                let mut page = Page::new(image);
                page.label.clone_from(label);
                page.regions = regions;
                doc.pages.push(page);
            }
            None => doc.warnings.push(format!(
                "page {number} has no image file in the corpus; its text is shown without it"
            )),
        }
    }
    doc.title = mets
        .title
        .clone()
        .or(first_line)
        .or(folder_name)
        .unwrap_or_else(|| doc.id.clone());
    for author in &mets.authors {
        doc.people.push(Person::from_written(author, Role::Author));
    }
    if let Some(written) = &mets.date {
        match FuzzyDate::parse(written) {
            Ok(date) => doc.date = date.with_text(written),
            Err(_) => doc
                .warnings
                .push(format!("MODS date {written:?} is not a date folio reads")),
        }
    }
    doc.archive = mets.shelf_mark.as_deref().and_then(ArchiveRef::parse);
    doc.original_language.clone_from(&language);
    if !layer_text.is_empty() {
        let mut layer = Layer::new(LayerKind::Transcription, language, layer_text);
        layer.page_breaks = breaks;
        layer.source = Some(file.to_owned());
        doc.layers.push(layer);
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_stay_inside_the_corpus() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        std::fs::create_dir_all(root.join("book/img")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("book/img/1.jpg"), b"x").unwrap_or_else(|e| panic!("{e}"));
        let mets = Path::new("book/mets.xml");
        assert_eq!(
            local_path(root, mets, "img/1.jpg"),
            Some(PathBuf::from("book/img/1.jpg"))
        );
        assert_eq!(
            local_path(root, mets, "./img/../img/1.jpg"),
            Some(PathBuf::from("book/img/1.jpg"))
        );
        assert_eq!(
            local_path(root, mets, "file://img/1.jpg"),
            Some(PathBuf::from("book/img/1.jpg"))
        );
        assert_eq!(local_path(root, mets, "../../etc/passwd"), None);
        assert_eq!(local_path(root, mets, "/etc/passwd"), None);
        assert_eq!(local_path(root, mets, "https://x/1.jpg"), None);
        assert_eq!(local_path(root, mets, "img/2.jpg"), None, "not there");
        assert!(sniff("<?xml version=\"1.0\"?><mets:mets xmlns:mets=\"x\">"));
        assert!(!sniff("<alto>"));
    }
}
