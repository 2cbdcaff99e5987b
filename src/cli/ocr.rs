//! `folio ocr PATH [--document ID]… [--lang rus+eng] [--jobs N] [--json]`:
//! machine OCR of the pages of the chosen documents (without `--document`:
//! every document that has scans but no text), one page per job, kept in
//! the sidecar. A progress line on a terminal; JSON Lines with `--json`.

use std::io::{IsTerminal as _, Write};

use lexopt::ValueExt as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Usage, open_base, string};
use crate::research::ocr::{self, Engine, Job};

/// What `--json` prints per page.
#[derive(Serialize)]
struct PageLine<'a> {
    document: &'a str,
    page: usize,
    image: String,
    languages: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub fn ocr(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let mut path = None;
    let mut ids = Vec::new();
    let mut lang = None;
    let mut jobs = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut json = false;
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("document") => ids.push(string(parser.value()?)?),
            lexopt::Arg::Long("lang") => lang = Some(string(parser.value()?)?),
            lexopt::Arg::Long("jobs") => jobs = parser.value()?.parse::<usize>()?.max(1),
            lexopt::Arg::Long("json") => json = true,
            lexopt::Arg::Value(v) if path.is_none() => path = Some(PathBuf::from(v)),
            other => return Err(other.unexpected().into()),
        }
    }
    let path = path.ok_or_else(|| Usage("ocr needs a PATH".into()))?;
    let engine = match Engine::find() {
        Ok(engine) => engine,
        Err(e) => {
            let _ = writeln!(err, "folio: {e}");
            return Ok(1);
        }
    };
    let Some(base) = open_base(&path, err) else {
        return Ok(2);
    };
    let overlay = crate::research::describe::Overlay::load(&base.root);
    let corpus = crate::research::describe::shown(base, &overlay);
    let work = match ocr::plan(&corpus, &ids, lang.as_deref(), &engine) {
        Ok(work) => work,
        Err(reason) => {
            let _ = writeln!(err, "folio: {reason}");
            return Ok(1);
        }
    };
    if work.is_empty() {
        let _ = writeln!(
            err,
            "folio: no page to read (every document has text, or no scan)"
        );
        return Ok(0);
    }
    let place = overlay.sidecar.write_to.clone();
    Ok(run(&corpus.root, &place, &work, jobs, json, out, err))
}

/// Reads every page of `work` on `jobs` threads, keeping each result as it
/// Reads every page of `work`, printing each as it comes; exit status
/// (1 when a page failed).
fn run(
    root: &Path,
    place: &crate::research::sidecar::Place,
    work: &[Job],
    jobs: usize,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let started = std::time::Instant::now();
    let terminal = std::io::stderr().is_terminal() && !json;
    let mut failed = 0;
    let mut done = 0;
    let never = std::sync::atomic::AtomicBool::new(false);
    ocr::read_pages(
        root,
        place,
        work,
        (jobs, ocr::Priority::Lower),
        &never,
        |job, result| {
            done += 1;
            let line = PageLine {
                document: &job.document,
                page: job.page,
                image: job.image.to_string_lossy().into_owned(),
                languages: &job.models,
                confidence: result.as_ref().ok().copied(),
                error: result.as_ref().err().map(ToString::to_string),
            };
            if json {
                let _ = writeln!(out, "{}", serde_json::to_string(&line).unwrap_or_default());
            }
            if let Err(e) = &result {
                failed += 1;
                let _ = writeln!(err, "folio: {e}");
            } else if terminal {
                let _ = write!(
                    err,
                    "\rfolio: {done}/{} pages read ({:.0} s)   ",
                    work.len(),
                    started.elapsed().as_secs_f64()
                );
            }
        },
    );
    let back = if terminal { "\r" } else { "" };
    let _ = writeln!(
        err,
        "{back}folio: {} of {} pages read in {:.1} s; kept in {}",
        work.len() - failed,
        work.len(),
        started.elapsed().as_secs_f64(),
        place.dir(ocr::KIND).display()
    );
    i32::from(failed > 0)
}
