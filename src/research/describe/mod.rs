//! What the user says about documents: a title, a date, people, an archive
//! reference, languages, a summary, pages grouped into a document and
//! numbered by folio. One TOML file per document in the sidecar's
//! `descriptions` folder, with the field names of `document.toml`, each
//! replaced atomically; the user's files are never touched.
//!
//! A [`Description`] overrides the fields it holds and leaves the others to
//! the file the document was read from; removing a field gives the file's
//! value back. [`apply`] lays every description over a corpus as parsed
//! (the [`Overlay`]) without parsing anything again. [`exif`] reads when a
//! photograph was taken and suggests groups of photographs.

pub mod apply;
pub mod edit;
pub mod exif;
pub mod folder;
pub mod table;
pub mod texts;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::research::sidecar::{Place, Sidecar};

pub use apply::{Applied, apply, shown};

/// The sidecar folder that holds descriptions.
pub const KIND: &str = "descriptions";

/// Description files larger than this are refused.
const MAX_FILE: u64 = 4 << 20;

/// What the user wrote about one document. `None` (or absent in the file)
/// keeps the value the document's own file gives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    /// The document described: one of the corpus, or a new one made of
    /// `pages`.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Any date folio reads: EDTF, "22 апреля 1945 г.", "c. 1950".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// How the document is to be cited, when the archive's own form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// An archive reference in any written form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    /// When present, the document's people (all of them, replacing the
    /// file's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<Vec<DescribedPerson>>,
    /// When present, the document's pages in this order: pages of other
    /// documents move here, and a document left with no page and no text
    /// is gone until the description changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<Vec<DescribedPage>>,
    /// Languages of the document's text layers (1-based, as shown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<DescribedLayer>,
    /// Texts written in folio, page by page (a file's text is never
    /// changed: the user's version is a layer of its own). Kept in files
    /// of their own ([`texts`]); read here only from description files
    /// of earlier builds, and moved out at their next save.
    #[serde(default, skip_serializing)]
    pub texts: Vec<DescribedText>,
}

/// A text written in folio: its kind, its language and each page's text
/// (page N beside scan N; an empty page stays a page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribedText {
    /// transcription | translation | note
    pub kind: String,
    pub language: String,
    pub pages: Vec<String>,
}

/// A person as `document.toml` writes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribedPerson {
    pub name: String,
    /// author | recipient | signatory | translator | mentioned
    pub role: String,
}

/// A page as `document.toml` writes one: the image (relative to the
/// corpus), the page inside a multi-page file, the folio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribedPage {
    pub image: String,
    /// Page inside a multi-page file, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The folio ("352", "352 об.", "12v").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// The language of one text layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribedLayer {
    /// 1-based, in the order the reader lists the layers.
    pub layer: usize,
    pub language: String,
}

impl Description {
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// Whether it says nothing (its file is removed).
    pub fn is_empty(&self) -> bool {
        *self == Self::new(self.id.clone())
    }

    /// The file's text.
    pub fn to_toml(&self) -> Result<String, DescribeError> {
        toml::to_string_pretty(self).map_err(|e| DescribeError::Write {
            path: PathBuf::from(file_name(&self.id)),
            reason: e.to_string(),
        })
    }

    /// Reads a description file's text.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let description: Self =
            toml::from_str(text).map_err(|e| e.to_string().trim().replace('\n', " "))?;
        if description.id.trim().is_empty() {
            return Err("no `id`".into());
        }
        Ok(description)
    }
}

/// A description that could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DescribeError {
    #[error("{}: cannot be read: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    #[error("{}: cannot be saved: {reason}", path.display())]
    Write { path: PathBuf, reason: String },
}

/// Every description of one corpus, and where they are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlay {
    pub sidecar: Sidecar,
    pub by_id: BTreeMap<String, Description>,
    /// Machine OCR of pages, by (image, page in the file from 0).
    pub ocr: BTreeMap<(PathBuf, u32), crate::research::ocr::PageText>,
    /// Files that could not be read: left as they are, reported.
    pub errors: Vec<DescribeError>,
}

/// The file name of the description of document `id` (as notes name theirs).
pub fn file_name(id: &str) -> String {
    format!("{}.toml", crate::research::sidecar::safe_name(id))
}

impl Overlay {
    /// An overlay with no description, kept in `sidecar`.
    pub fn empty(sidecar: Sidecar) -> Self {
        Self {
            sidecar,
            ..Self::default()
        }
    }

    /// Reads every description of the corpus at `root`.
    pub fn load(root: &std::path::Path) -> Self {
        Self::load_sidecar(Sidecar::of(root))
    }

    /// Reads every description file of every place of `sidecar`; where a
    /// document is described in two places, the newer file is taken.
    pub fn load_sidecar(sidecar: Sidecar) -> Self {
        let mut overlay = Self::empty(sidecar);
        let mut found: BTreeMap<String, (Description, i128)> = BTreeMap::new();
        let places: Vec<Place> = overlay.sidecar.places().cloned().collect();
        for (index, place) in places.iter().enumerate() {
            let listing = match place.list(KIND) {
                Ok(listing) => listing,
                Err(e) => {
                    overlay.errors.push(DescribeError::Read {
                        path: place.dir(KIND),
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            if index == 0 {
                place.remove_abandoned(KIND, &listing, "toml");
            }
            for (name, _) in listing {
                let name = name.to_string_lossy();
                if !name.ends_with(".toml") {
                    continue;
                }
                match read_file(place, &name) {
                    Ok(Some((description, modified))) => {
                        let newer = found
                            .get(&description.id)
                            .is_none_or(|(_, other)| modified > *other);
                        if newer {
                            found.insert(description.id.clone(), (description, modified));
                        }
                    }
                    Ok(None) => {}
                    Err(e) => overlay.errors.push(e),
                }
            }
        }
        overlay.by_id = found.into_iter().map(|(id, (d, _))| (id, d)).collect();
        overlay.load_texts(&places);
        overlay.load_ocr(&places);
        overlay
    }

    /// Reads every text the user wrote kept in `places` (the newer where
    /// two hold one), each in its document's description.
    fn load_texts(&mut self, places: &[Place]) {
        let mut found: BTreeMap<(String, String, String), (DescribedText, i128)> = BTreeMap::new();
        for (index, place) in places.iter().enumerate() {
            let (kept, errors) = texts::load(place, index == 0);
            self.errors.extend(errors);
            for (id, text, modified) in kept {
                let key = (id, text.kind.clone(), text.language.clone());
                if found.get(&key).is_none_or(|(_, at)| modified > *at) {
                    found.insert(key, (text, modified));
                }
            }
        }
        for ((id, _, _), (text, _)) in found {
            let description = self
                .by_id
                .entry(id.clone())
                .or_insert_with(|| Description::new(id));
            let same = description
                .texts
                .iter()
                .position(|t| t.kind == text.kind && t.language == text.language);
            match same {
                Some(at) => description.texts[at] = text,
                None => description.texts.push(text),
            }
        }
    }

    /// Reads every page's OCR kept in `places` (the newer where two hold
    /// one page).
    fn load_ocr(&mut self, places: &[Place]) {
        use crate::research::ocr;
        let mut found: BTreeMap<(PathBuf, u32), (ocr::PageText, i128)> = BTreeMap::new();
        for (index, place) in places.iter().enumerate() {
            let listing = place.list(ocr::KIND).unwrap_or_default();
            if index == 0 {
                place.remove_abandoned(ocr::KIND, &listing, "hocr");
            }
            for (name, stamp) in listing {
                let name = name.to_string_lossy();
                if !name.ends_with(".hocr") {
                    continue;
                }
                let text = match place.read_text(ocr::KIND, &name, ocr::MAX_FILE) {
                    Ok(Some((text, _))) => text,
                    Ok(None) => continue,
                    Err(reason) => {
                        self.errors.push(DescribeError::Read {
                            path: place.dir(ocr::KIND).join(name.as_ref()),
                            reason,
                        });
                        continue;
                    }
                };
                let Some(key) = ocr::page_of(&text) else {
                    self.errors.push(DescribeError::Read {
                        path: place.dir(ocr::KIND).join(name.as_ref()),
                        reason: "not an OCR result of folio (no header naming its page)".into(),
                    });
                    continue;
                };
                if found
                    .get(&key)
                    .is_none_or(|(_, at)| stamp.modified_ns > *at)
                {
                    found.insert(key, (ocr::read(text), stamp.modified_ns));
                }
            }
        }
        self.ocr = found
            .into_iter()
            .map(|(key, (text, _))| (key, text))
            .collect();
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty() && self.ocr.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Description> {
        self.by_id.get(id)
    }

    /// Keeps `description` in memory (an empty one is dropped); the
    /// caller saves it with [`Overlay::save`].
    pub fn put(&mut self, description: Description) {
        if description.is_empty() {
            self.by_id.remove(&description.id);
        } else {
            self.by_id.insert(description.id.clone(), description);
        }
    }

    /// Writes the description of `id` as it is in memory (removes its file
    /// when there is none), atomically, where the sidecar writes.
    pub fn save(&self, id: &str) -> Result<(), DescribeError> {
        save(&self.sidecar.write_to, id, self.by_id.get(id))
    }

    /// Where descriptions are written, for messages.
    pub fn folder(&self) -> PathBuf {
        self.sidecar.write_to.dir(KIND)
    }

    /// Where the user's texts are written, for messages.
    pub fn texts_folder(&self) -> PathBuf {
        self.sidecar.write_to.dir(texts::KIND)
    }
}

/// The description and OCR files of every place of `sidecar` with their stamps,
/// to tell when another program changed them.
pub fn stamps(sidecar: &Sidecar) -> Vec<(std::ffi::OsString, crate::research::sidecar::Stamp)> {
    let mut all: Vec<_> = sidecar
        .places()
        .flat_map(|place| {
            [KIND, texts::KIND, crate::research::ocr::KIND]
                .into_iter()
                .flat_map(|kind| place.list(kind).unwrap_or_default())
        })
        .collect();
    all.sort();
    all
}

/// Reads the description file `name` of `place` with its modification
/// time (`Ok(None)`: not there).
fn read_file(place: &Place, name: &str) -> Result<Option<(Description, i128)>, DescribeError> {
    let path = place.dir(KIND).join(name);
    let error = |reason: String| DescribeError::Read {
        path: path.clone(),
        reason,
    };
    let Some((text, stamp)) = place.read_text(KIND, name, MAX_FILE).map_err(error)? else {
        return Ok(None);
    };
    let description = Description::from_toml(&text).map_err(error)?;
    Ok(Some((description, stamp.modified_ns)))
}

/// Writes `description` of document `id` into `place` (removes its files
/// when `None`): its texts, each in a file of its own, then the rest.
/// Each file is replaced atomically: a crash leaves the old or the new.
pub fn save(
    place: &Place,
    id: &str,
    description: Option<&Description>,
) -> Result<(), DescribeError> {
    // The texts first: a description of an earlier build still holds them.
    texts::save(place, id, description.map_or(&[], |d| &d.texts))?;
    let name = file_name(id);
    let fail = |reason: String| DescribeError::Write {
        path: place.dir(KIND).join(&name),
        reason,
    };
    let rest = description
        .map(|d| Description {
            texts: Vec::new(),
            ..d.clone()
        })
        .filter(|d| !d.is_empty());
    match &rest {
        Some(description) => {
            let text = description.to_toml()?;
            place
                .write(KIND, &name, text.as_bytes())
                .map_err(|e| fail(e.to_string()))
        }
        None => place.remove(KIND, &name).map_err(|e| fail(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_round_trips_with_document_toml_names() {
        let mut d = Description::new("IMG_4711");
        d.title = Some("Letter".into());
        d.date = Some("22 апреля 1945 г.".into());
        d.archive = Some("ГАРФ Ф. Р-9401 Оп. 2 Д. 95".into());
        d.pages = Some(vec![DescribedPage {
            image: "IMG_4711.JPG".into(),
            page: None,
            label: Some("352".into()),
        }]);
        let text = d.to_toml().unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains("date = \"22 апреля 1945 г.\""), "{text}");
        assert!(text.contains("[[pages]]"), "{text}");
        assert_eq!(Description::from_toml(&text), Ok(d));
        assert!(Description::from_toml("id = \"x\"\ntittle = \"typo\"").is_err());
        assert!(Description::from_toml("title = \"no id\"").is_err());
        assert!(Description::new("x").is_empty());
    }

    fn one(place: &Place) -> Sidecar {
        Sidecar {
            write_to: place.clone(),
            also_read: Vec::new(),
            reason: String::new(),
        }
    }

    #[test]
    fn texts_live_in_files_of_their_own_and_old_descriptions_move_there() {
        let dir = std::env::temp_dir().join(format!("folio-texts-test-{}", std::process::id()));
        let place = Place::Corpus { root: dir.clone() };
        // A description of an earlier build, its text inside.
        place
            .write(
                KIND,
                &file_name("a"),
                b"id = \"a\"\ntitle = \"T\"\n[[texts]]\nkind = \"translation\"\nlanguage = \"de\"\npages = [\"Eins\", \"\", \"Drei\"]\n",
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let overlay = Overlay::load_sidecar(one(&place));
        assert_eq!(overlay.by_id["a"].texts[0].pages, ["Eins", "", "Drei"]);
        overlay.save("a").unwrap_or_else(|e| panic!("{e}"));
        let toml =
            std::fs::read_to_string(dir.join(".folio/descriptions/a.toml")).unwrap_or_default();
        assert!(!toml.contains("texts"), "{toml}");
        let file = std::fs::read_to_string(dir.join(".folio/texts/a.translation.de.md"))
            .unwrap_or_default();
        assert!(file.contains("--- page 3 ---\nDrei\n"), "{file}");
        // Read back the same; a text alone makes a description.
        let mut again = Overlay::load_sidecar(one(&place));
        assert_eq!(again.by_id, overlay.by_id);
        let mut only_text = Description::new("b");
        only_text.texts = overlay.by_id["a"].texts.clone();
        again.put(only_text);
        again.save("b").unwrap_or_else(|e| panic!("{e}"));
        assert!(!dir.join(".folio/descriptions/b.toml").exists());
        let third = Overlay::load_sidecar(one(&place));
        assert_eq!(third.by_id["b"].texts, overlay.by_id["a"].texts);
        // Removed with its document's description.
        again.by_id.remove("b");
        again.save("b").unwrap_or_else(|e| panic!("{e}"));
        assert!(!dir.join(".folio/texts/b.translation.de.md").exists());
        assert!(dir.join(".folio/texts/a.translation.de.md").exists());
        let _ = std::fs::remove_dir_all(dir);
    }
}
