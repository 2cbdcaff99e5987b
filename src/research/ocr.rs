//! Machine OCR, offline, with Tesseract 5 (the `tesseract` program, run
//! once per page at a [`Priority`] below the window's: no C library is
//! linked, so folio builds and runs where Tesseract is not installed, and
//! says how to get it when OCR is asked for). Each page's result is hOCR kept in the sidecar's `ocr` folder
//! (the user's work: it costs minutes), keyed by the page's image, so it
//! follows the page when pages are regrouped; running OCR again on a page
//! replaces that page's file only. [`crate::research::describe::apply`]
//! lays the results over the corpus as a transcription layer marked as
//! machine OCR with its confidence, its lines and words linked to the scan.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::model::Document;
use crate::research::sidecar::Place;

/// The sidecar folder that holds OCR results.
pub const KIND: &str = "ocr";

/// OCR results larger than this are refused.
pub const MAX_FILE: u64 = 32 << 20;

/// Why OCR could not run or gave nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OcrError {
    #[error(
        "OCR needs Tesseract 5, which is not installed: sudo apt-get install tesseract-ocr {packs}"
    )]
    NotInstalled { packs: String },
    #[error("no Tesseract model for {language}: sudo apt-get install {package}")]
    MissingPack { language: String, package: String },
    #[error("{}: {reason}", path.display())]
    Page { path: PathBuf, reason: String },
}

/// The installed `tesseract` program and its models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    pub version: String,
    /// Model names (`rus`, `chi_tra`, `script/Fraktur`…).
    pub models: Vec<String>,
}

/// Debian's language packs for folio's corpora.
const PACKS: &str = "tesseract-ocr-rus tesseract-ocr-eng tesseract-ocr-uig tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-deu tesseract-ocr-frk tesseract-ocr-ara tesseract-ocr-ukr tesseract-ocr-kaz";

impl Engine {
    /// The `tesseract` program on the `PATH`, if it runs.
    pub fn find() -> Result<Self, OcrError> {
        let not_installed = || OcrError::NotInstalled {
            packs: PACKS.to_owned(),
        };
        let version = Command::new("tesseract")
            .arg("--version")
            .output()
            .map_err(|_| not_installed())?;
        let text = String::from_utf8_lossy(&version.stdout).into_owned()
            + &String::from_utf8_lossy(&version.stderr);
        let version = text.lines().next().unwrap_or_default().trim().to_owned();
        let listed = Command::new("tesseract")
            .arg("--list-langs")
            .output()
            .map_err(|_| not_installed())?;
        let models = String::from_utf8_lossy(&listed.stdout)
            .lines()
            .skip(1)
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        Ok(Self { version, models })
    }

    /// `chosen` (`rus+eng`) checked against the installed models.
    pub fn check(&self, chosen: &str) -> Result<(), OcrError> {
        for model in chosen.split('+') {
            if !self.models.iter().any(|m| m == model) {
                return Err(OcrError::MissingPack {
                    language: model.to_owned(),
                    package: format!("tesseract-ocr-{}", model.replace('_', "-").to_lowercase()),
                });
            }
        }
        Ok(())
    }
}

/// Tesseract's models for a BCP 47 tag. Chinese is read by its script:
/// Traditional and Simplified each by its own model (never one turned
/// into the other); without a script, both.
pub fn models_for(tag: &str) -> Option<&'static str> {
    let lower = tag.to_ascii_lowercase();
    let primary = crate::text::primary_subtag(&lower);
    Some(match primary {
        "ru" => "rus",
        "en" => "eng",
        "ug" => "uig",
        "zh" if lower.contains("hant") || lower.ends_with("-tw") || lower.ends_with("-hk") => {
            "chi_tra"
        }
        "zh" if lower.contains("hans") || lower.ends_with("-cn") => "chi_sim",
        "zh" => "chi_tra+chi_sim",
        "de" if lower.contains("latf") => "frk",
        "de" => "deu",
        "ar" => "ara",
        "uk" => "ukr",
        "kk" => "kaz",
        "fr" => "fra",
        _ => return None,
    })
}

/// The models to read `doc` with: its original language's, else those of
/// its layers; `None` when it names none (the user picks).
pub fn models_for_document(doc: &Document) -> Option<String> {
    let mut models: Vec<&str> = Vec::new();
    for tag in doc.languages() {
        if let Some(found) = models_for(tag) {
            for model in found.split('+') {
                if !models.contains(&model) {
                    models.push(model);
                }
            }
        }
    }
    (!models.is_empty()).then(|| models.join("+"))
}

/// The BCP 47 tag a model set reads (its first model's).
pub fn language_of(models: &str) -> Option<&'static str> {
    Some(match models.split('+').next()? {
        "rus" => "ru",
        "eng" => "en",
        "uig" => "ug",
        "chi_tra" => "zh-Hant",
        "chi_sim" => "zh-Hans",
        "deu" | "frk" => "de",
        "ara" => "ar",
        "ukr" => "uk",
        "kaz" => "kk",
        "fra" => "fr",
        _ => return None,
    })
}

/// How much of the machine Tesseract may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// Below other programs (`nice -n 10`): `folio ocr` on a terminal.
    Lower,
    /// Only what nothing else wants (Linux's `SCHED_IDLE`, by `chrt`):
    /// reading while the window is in use, which stays smooth.
    Idle,
}

impl Priority {
    /// The `tesseract` program run at this priority.
    fn command(self) -> Command {
        let mut command = match self {
            Self::Idle if Path::new("/usr/bin/chrt").is_file() => {
                let mut c = Command::new("/usr/bin/chrt");
                c.args(["--idle", "0", "tesseract"]);
                c
            }
            _ => {
                let mut c = Command::new("nice");
                c.args(["-n", "10", "tesseract"]);
                c
            }
        };
        command.env("OMP_THREAD_LIMIT", "1");
        command
    }
}

/// One page's OCR as kept: the hOCR, the language and the mean word
/// confidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageText {
    pub hocr: String,
    pub language: Option<String>,
    pub confidence: u8,
}

/// Reads page `index_in_file` of `image` (relative to `root`) with
/// `models`; one thread of Tesseract, at `priority`.
pub fn recognize(
    root: &Path,
    image: &Path,
    index_in_file: Option<u32>,
    models: &str,
    priority: Priority,
) -> Result<PageText, OcrError> {
    let path = root.join(image);
    let fail = |reason: String| OcrError::Page {
        path: image.to_owned(),
        reason,
    };
    // Inside the corpus, a regular file (no link out of it).
    crate::files::confined::open(&path).map_err(|e| fail(e.to_string()))?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let direct = index_in_file.unwrap_or(0) == 0
        && matches!(extension.as_str(), "jpg" | "jpeg" | "png" | "tif" | "tiff");
    let scratch;
    let input = if direct {
        path.clone()
    } else {
        // A page of a PDF or multi-page TIFF, or WebP: decoded, given as PNG.
        let (pixels, _) =
            crate::pages::decode::decode_scaled(&path, index_in_file.unwrap_or(0), 6000)
                .map_err(fail)?;
        scratch = Scratch::new();
        pixels
            .save_with_format(&scratch.0, image::ImageFormat::Png)
            .map_err(|e| fail(e.to_string()))?;
        scratch.0.clone()
    };
    let output = priority
        .command()
        .arg(&input)
        .args(["stdout", "-l", models, "hocr"])
        .output()
        .map_err(|e| fail(format!("cannot run tesseract: {e}")))?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(fail(
            said.lines().last().unwrap_or("tesseract failed").to_owned(),
        ));
    }
    let hocr = String::from_utf8(output.stdout)
        .map_err(|_| fail("tesseract wrote no UTF-8 text".into()))?;
    let confidence = mean_confidence(&hocr);
    Ok(PageText {
        hocr,
        language: language_of(models).map(str::to_owned),
        confidence,
    })
}

/// One page to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub document: String,
    /// 1-based, as shown.
    pub page: usize,
    pub image: PathBuf,
    pub index_in_file: Option<u32>,
    pub models: String,
}

/// The pages to read: of `ids`, else of every document with scans and no
/// text; each with its models (`lang`, else the document's languages).
pub fn plan(
    corpus: &crate::corpus::Corpus,
    ids: &[String],
    lang: Option<&str>,
    engine: &Engine,
) -> Result<Vec<Job>, String> {
    for id in ids {
        if corpus.document(id).is_none() {
            return Err(format!("no document with id {id:?}"));
        }
    }
    let mut work = Vec::new();
    for doc in &corpus.documents {
        let chosen = if ids.is_empty() {
            !doc.pages.is_empty()
                && doc
                    .layers
                    .iter()
                    .all(|l| l.kind == crate::model::LayerKind::Summary)
        } else {
            ids.contains(&doc.id)
        };
        if !chosen {
            continue;
        }
        let Some(models) = lang.map(str::to_owned).or_else(|| models_for_document(doc)) else {
            return Err(format!(
                "{:?} names no language to read it in: give one with --lang (rus, eng, uig, chi_tra, chi_sim, deu, frk, ara, ukr, kaz, or several: rus+eng)",
                doc.id
            ));
        };
        engine.check(&models).map_err(|e| e.to_string())?;
        for (n, page) in doc.pages.iter().enumerate() {
            if crate::corpus::formats::iiif::is_remote(&page.image) {
                continue;
            }
            work.push(Job {
                document: doc.id.clone(),
                page: n + 1,
                image: page.image.clone(),
                index_in_file: page.index_in_file,
                models: models.clone(),
            });
        }
    }
    Ok(work)
}

/// Reads every page of `work` on `jobs` threads (`folio-ocr-N`) at
/// `priority`, keeping each result in `place` as it comes; `done` hears of
/// each page, in the order they finish. Stops taking pages once `cancel`
/// is set.
pub fn read_pages(
    root: &Path,
    place: &Place,
    work: &[Job],
    (jobs, priority): (usize, Priority),
    cancel: &std::sync::atomic::AtomicBool,
    mut done: impl FnMut(&Job, Result<u8, OcrError>),
) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        for n in 0..jobs.clamp(1, work.len().max(1)) {
            let sender = sender.clone();
            let next = &next;
            let _ = std::thread::Builder::new()
                .name(format!("folio-ocr-{n}"))
                .spawn_scoped(scope, move || {
                    while !cancel.load(Ordering::Relaxed)
                        && let Some(job) = work.get(next.fetch_add(1, Ordering::Relaxed))
                    {
                        let result =
                            recognize(root, &job.image, job.index_in_file, &job.models, priority)
                                .and_then(|text| {
                                    save(place, &job.image, job.index_in_file, &text)
                                        .map(|()| text.confidence)
                                        .map_err(|e| OcrError::Page {
                                            path: job.image.clone(),
                                            reason: format!("cannot keep the result: {e}"),
                                        })
                                });
                        if sender.send((job, result)).is_err() {
                            return;
                        }
                    }
                });
        }
        drop(sender);
        for (job, result) in receiver {
            done(job, result);
        }
    });
}

/// A temporary PNG, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let name = format!(
            "folio-ocr-{}-{}.png",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        Self(std::env::temp_dir().join(name))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The mean of the words' `x_wconf` in an hOCR text (0 when none).
pub fn mean_confidence(hocr: &str) -> u8 {
    let values: Vec<u32> = hocr
        .split("x_wconf ")
        .skip(1)
        .filter_map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .collect();
    if values.is_empty() {
        return 0;
    }
    (values.iter().sum::<u32>() / values.len() as u32).min(100) as u8
}

/// The file name of a page's OCR: its image and page in the file.
pub fn file_name(image: &Path, index_in_file: Option<u32>) -> String {
    let key = format!(
        "{}#{}",
        image.to_string_lossy(),
        index_in_file.unwrap_or(0) + 1
    );
    format!("{}.hocr", crate::research::sidecar::safe_name(&key))
}

/// The first line of a kept result, saying what it is.
const HEADER: &str = "<!-- folio OCR";

/// Keeps `text` as the OCR of the page, atomically.
pub fn save(
    place: &Place,
    image: &Path,
    index_in_file: Option<u32>,
    text: &PageText,
) -> std::io::Result<()> {
    let header = format!(
        "{HEADER} language=\"{}\" confidence=\"{}\" image=\"{}\" page=\"{}\" -->\n",
        text.language.as_deref().unwrap_or(""),
        text.confidence,
        image
            .to_string_lossy()
            .replace('"', "%22")
            .replace("--", "%2D%2D"),
        index_in_file.unwrap_or(0) + 1
    );
    let body = text.hocr.strip_prefix("<?xml").map_or_else(
        || text.hocr.clone(),
        |rest| {
            // The declaration must come first: the header goes after it.
            let end = rest.find("?>").map_or(0, |e| e + 2);
            format!("<?xml{}\n{header}{}", &rest[..end], &rest[end..])
        },
    );
    let bytes = if body.contains(HEADER) {
        body
    } else {
        format!("{header}{body}")
    };
    place.write(KIND, &file_name(image, index_in_file), bytes.as_bytes())
}

/// The page a kept result is of: (image, page in the file from 0).
pub fn page_of(text: &str) -> Option<(PathBuf, u32)> {
    let header = text
        .find(HEADER)
        .and_then(|at| text[at..].split_once("-->"))?
        .0;
    let value = |key: &str| {
        header
            .split_once(&format!("{key}=\""))
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(v, _)| v.to_owned())
    };
    let image = value("image")?.replace("%2D%2D", "--").replace("%22", "\"");
    let page: u32 = value("page")?.parse().ok()?;
    Some((PathBuf::from(image), page.checked_sub(1)?))
}

/// A kept result read back: its language and confidence from the header.
pub fn read(text: String) -> PageText {
    let header = text
        .find(HEADER)
        .and_then(|at| text[at..].split_once("-->").map(|(h, _)| h.to_owned()))
        .unwrap_or_default();
    let value = |key: &str| {
        header
            .split_once(&format!("{key}=\""))
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(v, _)| v.to_owned())
    };
    PageText {
        language: value("language").filter(|l| !l.is_empty()),
        confidence: value("confidence")
            .and_then(|c| c.parse().ok())
            .unwrap_or(0),
        hocr: text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_read_by_its_script_and_languages_map_to_models() {
        assert_eq!(models_for("zh-Hant"), Some("chi_tra"));
        assert_eq!(models_for("zh-Hans"), Some("chi_sim"));
        assert_eq!(models_for("zh"), Some("chi_tra+chi_sim"));
        assert_eq!(models_for("ru"), Some("rus"));
        assert_eq!(models_for("ug"), Some("uig"));
        assert_eq!(models_for("de-Latf"), Some("frk"));
        assert_eq!(models_for("tlh"), None);
        assert_eq!(language_of("rus+eng"), Some("ru"));
    }

    #[test]
    fn a_missing_pack_names_the_debian_package() {
        let engine = Engine {
            version: "tesseract 5.3".into(),
            models: vec!["eng".into(), "rus".into()],
        };
        assert!(engine.check("rus+eng").is_ok());
        let missing = engine.check("chi_sim").map_err(|e| e.to_string());
        assert_eq!(
            missing,
            Err(
                "no Tesseract model for chi_sim: sudo apt-get install tesseract-ocr-chi-sim".into()
            )
        );
    }

    #[test]
    fn confidence_and_header_round_trip() {
        let hocr = "<?xml version=\"1.0\"?>\n<html><body><div class='ocr_page' title='bbox 0 0 10 10'>\
                    <span class='ocr_line' title='bbox 1 2 3 4'>\
                    <span class='ocrx_word' title='bbox 1 2 3 4; x_wconf 90'>a</span> \
                    <span class='ocrx_word' title='bbox 1 2 3 4; x_wconf 70'>b</span></span></div></body></html>";
        assert_eq!(mean_confidence(hocr), 80);
        let dir = std::env::temp_dir().join(format!("folio-ocr-test-{}", std::process::id()));
        let place = Place::Corpus { root: dir.clone() };
        let text = PageText {
            hocr: hocr.into(),
            language: Some("ru".into()),
            confidence: 80,
        };
        save(&place, Path::new("IMG_1.JPG"), None, &text).unwrap_or_else(|e| panic!("{e}"));
        let (kept, _) = place
            .read_text(KIND, &file_name(Path::new("IMG_1.JPG"), None), MAX_FILE)
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("not kept"));
        let back = read(kept);
        assert_eq!(
            (back.language.as_deref(), back.confidence),
            (Some("ru"), 80)
        );
        assert!(back.hocr.starts_with("<?xml"), "{}", back.hocr);
        assert!(crate::corpus::formats::alto_page_hocr::parse(&back.hocr).is_ok());
        let _ = std::fs::remove_dir_all(dir);
    }
}
