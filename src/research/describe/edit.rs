//! Changes to the descriptions, as the window and the command line make
//! them: group pages into a document, ungroup, split, move pages, set
//! fields on many documents at once. Each is an [`Edit`] (the new version
//! of every description it touches); carrying one out gives the edit that
//! undoes it.

use std::path::{Path, PathBuf};

use super::{DescribedPage, Description, Overlay};
use crate::corpus::Corpus;
use crate::model::Document;

/// New versions of descriptions, by document id (`None`: no description).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edit {
    pub changes: Vec<(String, Option<Description>)>,
}

impl Edit {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The ids it touches.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.changes.iter().map(|(id, _)| id.as_str())
    }
}

impl Overlay {
    /// Carries out `edit` in memory; returns the edit that undoes it. The
    /// caller saves the files of [`Edit::ids`].
    pub fn carry_out(&mut self, edit: Edit) -> Edit {
        let mut undo = Vec::with_capacity(edit.changes.len());
        for (id, description) in edit.changes {
            undo.push((id.clone(), self.by_id.get(&id).cloned()));
            match description {
                Some(description) if !description.is_empty() => {
                    self.by_id.insert(id, description);
                }
                _ => {
                    self.by_id.remove(&id);
                }
            }
        }
        undo.reverse();
        Edit { changes: undo }
    }

    /// The description of `id` as it is, or a new one.
    pub fn description(&self, id: &str) -> Description {
        self.by_id
            .get(id)
            .cloned()
            .unwrap_or_else(|| Description::new(id))
    }
}

/// A page as a description lists it.
pub fn listed(page: &crate::model::Page) -> DescribedPage {
    DescribedPage {
        image: page.image.to_string_lossy().into_owned(),
        page: page.index_in_file.map(|i| i + 1),
        label: page.label.clone(),
    }
}

fn same_page(a: &DescribedPage, b: &DescribedPage) -> bool {
    a.image == b.image && a.page.unwrap_or(1) == b.page.unwrap_or(1)
}

/// Makes `pages` (in this order) the pages of document `id`, taking them
/// from the documents they are in now. `corpus` is the corpus as shown
/// (descriptions applied), to check that each page is one of its pages.
pub fn group(
    overlay: &Overlay,
    corpus: &Corpus,
    id: &str,
    pages: Vec<DescribedPage>,
) -> Result<Edit, String> {
    if id.trim().is_empty() {
        return Err("a document needs an id".into());
    }
    if pages.is_empty() {
        return Err("no page to group".into());
    }
    // Every page of the corpus once, by image and page in the file.
    let known: std::collections::HashSet<(&Path, u32)> = corpus
        .documents
        .iter()
        .flat_map(|d| &d.pages)
        .map(|p| (p.image.as_path(), p.index_in_file.unwrap_or(0)))
        .collect();
    for page in &pages {
        let key = (
            Path::new(&page.image),
            page.page.unwrap_or(1).saturating_sub(1),
        );
        if !known.contains(&key) {
            return Err(format!(
                "{} is not a page of any document of the corpus",
                page.image
            ));
        }
    }
    let mut edit = Edit::default();
    // Descriptions that list one of the pages give it up.
    for (other, description) in &overlay.by_id {
        if other == id {
            continue;
        }
        let Some(listed) = &description.pages else {
            continue;
        };
        if listed.iter().any(|p| pages.iter().any(|q| same_page(p, q))) {
            let mut changed = description.clone();
            let left: Vec<DescribedPage> = listed
                .iter()
                .filter(|p| !pages.iter().any(|q| same_page(p, q)))
                .cloned()
                .collect();
            changed.pages = (!left.is_empty()).then_some(left);
            edit.changes.push((other.clone(), Some(changed)));
        }
    }
    let mut description = overlay.description(id);
    description.pages = Some(pages);
    edit.changes.push((id.to_owned(), Some(description)));
    Ok(edit)
}

/// Gives the pages of document `id` back to the documents they came from.
pub fn ungroup(overlay: &Overlay, id: &str) -> Result<Edit, String> {
    let Some(description) = overlay.get(id).filter(|d| d.pages.is_some()) else {
        return Err(format!("{id:?} is not a document grouped in folio"));
    };
    let mut changed = description.clone();
    changed.pages = None;
    Ok(Edit {
        changes: vec![(id.to_owned(), Some(changed))],
    })
}

/// Splits document `doc` before its page `at` (0-based): the pages from
/// there become the new document `new_id`.
pub fn split(overlay: &Overlay, doc: &Document, at: usize, new_id: &str) -> Result<Edit, String> {
    if at == 0 || at >= doc.pages.len() {
        return Err(format!(
            "a document of {} pages is split before page 2 to {}",
            doc.pages.len(),
            doc.pages.len()
        ));
    }
    let pages: Vec<DescribedPage> = doc.pages.iter().map(listed).collect();
    let mut first = overlay.description(&doc.id);
    first.pages = Some(pages[..at].to_vec());
    let mut second = overlay.description(new_id);
    second.pages = Some(pages[at..].to_vec());
    Ok(Edit {
        changes: vec![
            (doc.id.clone(), Some(first)),
            (new_id.to_owned(), Some(second)),
        ],
    })
}

/// Moves page `from` of `doc` to position `to` (both 0-based).
pub fn reorder(overlay: &Overlay, doc: &Document, from: usize, to: usize) -> Option<Edit> {
    if from >= doc.pages.len() || to >= doc.pages.len() || from == to {
        return None;
    }
    let mut pages: Vec<DescribedPage> = doc.pages.iter().map(listed).collect();
    let page = pages.remove(from);
    pages.insert(to, page);
    let mut description = overlay.description(&doc.id);
    description.pages = Some(pages);
    Some(Edit {
        changes: vec![(doc.id.clone(), Some(description))],
    })
}

/// Numbers the folios of `doc`'s pages from page `from` (0-based) on,
/// starting at `start`: with `recto_verso`, each leaf is two pages
/// (`352`, `352 об.`, `353`, …; `v` instead of `об.` when `start` is not
/// Cyrillic-marked and `verso_mark` says so).
pub fn number_folios(
    overlay: &Overlay,
    doc: &Document,
    from: usize,
    start: u32,
    recto_verso: bool,
    verso_mark: &str,
) -> Edit {
    let mut pages: Vec<DescribedPage> = doc.pages.iter().map(listed).collect();
    for (n, page) in pages.iter_mut().enumerate().skip(from) {
        let step = (n - from) as u32;
        page.label = Some(if recto_verso {
            let leaf = start + step / 2;
            if step.is_multiple_of(2) {
                leaf.to_string()
            } else {
                format!("{leaf} {verso_mark}")
            }
        } else {
            (start + step).to_string()
        });
    }
    let mut description = overlay.description(&doc.id);
    description.pages = Some(pages);
    Edit {
        changes: vec![(doc.id.clone(), Some(description))],
    }
}

/// One field of a description, as the editor and `folio describe` set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Title(Option<String>),
    Date(Option<String>),
    Kind(Option<String>),
    Archive(Option<String>),
    OriginalLanguage(Option<String>),
    Summary(Option<String>),
    SourceUrl(Option<String>),
    /// The people (all roles); `None`: the file's.
    People(Option<Vec<super::DescribedPerson>>),
    /// The language of layer N (1-based); `None`: the file's.
    LayerLanguage(usize, Option<String>),
    /// The text of this kind and language written in folio, page by page;
    /// `None`: no such text.
    Text {
        kind: String,
        language: String,
        pages: Option<Vec<String>>,
    },
}

impl Field {
    /// Sets this field of `description`.
    pub fn set(&self, description: &mut Description) {
        match self.clone() {
            Self::Title(v) => description.title = v,
            Self::Date(v) => description.date = v,
            Self::Kind(v) => description.kind = v,
            Self::Archive(v) => description.archive = v,
            Self::OriginalLanguage(v) => description.original_language = v,
            Self::Summary(v) => description.summary = v,
            Self::SourceUrl(v) => description.source_url = v,
            Self::People(v) => description.people = v,
            Self::Text {
                kind,
                language,
                pages,
            } => {
                let at = description
                    .texts
                    .iter()
                    .position(|t| t.kind == kind && t.language == language);
                match (at, pages) {
                    (Some(i), Some(pages)) => description.texts[i].pages = pages,
                    (Some(i), None) => {
                        description.texts.remove(i);
                    }
                    (None, Some(pages)) => description.texts.push(super::DescribedText {
                        kind,
                        language,
                        pages,
                    }),
                    (None, None) => {}
                }
            }
            Self::LayerLanguage(layer, language) => {
                description.layers.retain(|l| l.layer != layer);
                if let Some(language) = language {
                    description
                        .layers
                        .push(super::DescribedLayer { layer, language });
                    description.layers.sort_by_key(|l| l.layer);
                }
            }
        }
    }
}

/// Sets `fields` on every document of `ids` (a batch: a whole shoot from
/// one delo); fails with the first reason a value cannot be read.
pub fn set_fields(overlay: &Overlay, ids: &[String], fields: &[Field]) -> Result<Edit, String> {
    let mut edit = Edit::default();
    for id in ids {
        let mut description = overlay.description(id);
        for field in fields {
            field.set(&mut description);
        }
        if let Some(problem) = super::apply::check(&description).into_iter().next() {
            return Err(problem);
        }
        edit.changes.push((id.clone(), Some(description)));
    }
    Ok(edit)
}

/// A file named on the command line as a page: relative to the corpus
/// (or absolute inside it), with `#N` for page N of a multi-page file.
pub fn page_argument(root: &std::path::Path, written: &str) -> DescribedPage {
    let (path, page) = match written.rsplit_once('#') {
        Some((path, n)) if n.parse::<u32>().is_ok_and(|n| n > 0) => (path, n.parse().ok()),
        _ => (written, None),
    };
    let path = PathBuf::from(path);
    let relative = path
        .strip_prefix(root)
        .map_or_else(|_| path.clone(), std::path::Path::to_owned);
    DescribedPage {
        image: relative.to_string_lossy().into_owned(),
        page,
        label: None,
    }
}
