//! `folio bench-ocr PAGE… [--lang rus] [--jobs N]`: pages per minute of
//! folio's OCR (what `folio ocr` and the window run: one `tesseract` per
//! page at a lower priority, `N` at a time, each result kept in a sidecar)
//! against the `tesseract` program itself run on the same pages, `N` at a
//! time, in the same run; and folio's own peak memory (the `tesseract`
//! processes' is the program's, the same in both).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use serde::Serialize;

use crate::research::ocr::{self, Job};
use crate::research::sidecar::Place;

/// What was measured, in seconds and pages per minute.
#[derive(Debug, Clone, Serialize)]
pub struct OcrTiming {
    pub pages: usize,
    pub jobs: usize,
    pub models: String,
    /// Pixel size of the first page.
    pub width: u32,
    pub height: u32,
    pub tesseract_s: f64,
    pub folio_s: f64,
    pub tesseract_pages_per_minute: f64,
    pub folio_pages_per_minute: f64,
    /// folio's own peak resident memory (`VmHWM`), in MB.
    pub folio_peak_mb: Option<f64>,
}

/// Measures `pages` read with `models` on `jobs` threads.
pub fn run(pages: &[PathBuf], models: &str, jobs: usize) -> Result<OcrTiming, String> {
    if pages.is_empty() {
        return Err("give the page images to read (scripts/measure-ocr.sh renders some)".into());
    }
    let engine = ocr::Engine::find().map_err(|e| e.to_string())?;
    engine.check(models).map_err(|e| e.to_string())?;
    let (width, height) =
        image::image_dimensions(&pages[0]).map_err(|e| format!("{}: {e}", pages[0].display()))?;
    let jobs = jobs.clamp(1, pages.len());

    // The program alone, N at a time.
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                while let Some(page) = pages.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let ok = Command::new("tesseract")
                        .arg(page)
                        .args(["stdout", "-l", models, "hocr"])
                        .env("OMP_THREAD_LIMIT", "1")
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status()
                        .is_ok_and(|s| s.success());
                    if !ok {
                        failed.store(true, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let tesseract_s = start.elapsed().as_secs_f64();
    if failed.load(Ordering::Relaxed) {
        return Err("tesseract failed on a page".into());
    }

    // folio: the pages as a corpus of their own, results kept in its
    // sidecar, as `folio ocr` does.
    let scratch = std::env::temp_dir().join(format!("folio-bench-ocr-{}", std::process::id()));
    let work = corpus_of(&scratch, pages, models)?;
    let place = Place::Corpus {
        root: scratch.clone(),
    };
    let mut errors = Vec::new();
    let start = Instant::now();
    ocr::read_pages(
        &scratch,
        &place,
        &work,
        (jobs, ocr::Priority::Lower),
        &AtomicBool::new(false),
        |job, result| {
            if let Err(e) = result {
                errors.push(format!("{}: {e}", job.image.display()));
            }
        },
    );
    let folio_s = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&scratch);
    if let Some(error) = errors.first() {
        return Err(error.clone());
    }
    let per_minute = |s: f64| pages.len() as f64 * 60.0 / s.max(1e-9);
    Ok(OcrTiming {
        pages: pages.len(),
        jobs,
        models: models.to_owned(),
        width,
        height,
        tesseract_s,
        folio_s,
        tesseract_pages_per_minute: per_minute(tesseract_s),
        folio_pages_per_minute: per_minute(folio_s),
        folio_peak_mb: peak_memory_mb(),
    })
}

/// Links (or copies) `pages` into `root` as `page-N.ext`, one job each.
fn corpus_of(root: &Path, pages: &[PathBuf], models: &str) -> Result<Vec<Job>, String> {
    std::fs::create_dir_all(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let mut work = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let extension = page
            .extension()
            .map_or_else(String::new, |e| e.to_string_lossy().into_owned());
        let name = PathBuf::from(format!("page-{}.{extension}", n + 1));
        let target = root.join(&name);
        std::fs::hard_link(page, &target)
            .or_else(|_| std::fs::copy(page, &target).map(|_| ()))
            .map_err(|e| format!("{}: {e}", page.display()))?;
        work.push(Job {
            document: "bench".into(),
            page: n + 1,
            image: name,
            index_in_file: None,
            models: models.to_owned(),
        });
    }
    Ok(work)
}

/// This process's peak resident memory in MB (Linux's `VmHWM`).
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// The measurements as a table for a terminal.
pub fn table(t: &OcrTiming) -> String {
    format!(
        "OCR of {} page(s) of {}×{} ({}), {} at a time\n\
         {:<22}{:>10}{:>14}\n\
         {:<22}{:>9.2}s{:>14.1}\n\
         {:<22}{:>9.2}s{:>14.1}   ({:.2}× the program's time)\n\
         folio's peak memory: {}\n",
        t.pages,
        t.width,
        t.height,
        t.models,
        t.jobs,
        "",
        "wall",
        "pages/min",
        "tesseract (program)",
        t.tesseract_s,
        t.tesseract_pages_per_minute,
        "folio ocr",
        t.folio_s,
        t.folio_pages_per_minute,
        t.folio_s / t.tesseract_s.max(1e-9),
        t.folio_peak_mb
            .map_or_else(|| "unknown".to_owned(), |mb| format!("{mb:.0} MB")),
    )
}
