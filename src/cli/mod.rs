//! The command-line interface: `check`, `list` and `show`, the contract
//! scripts and tests rely on, and the commands that describe a corpus
//! ([`describe`]). Output formats are documented in README.md.

mod describe;
mod export;
pub mod help;
mod ocr;

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use lexopt::ValueExt as _;
use serde::Serialize;

use crate::corpus::{self, Corpus, LoadOptions};
use crate::index::filter::Filter;
use crate::model::{ArchiveRef, Document, FuzzyDate, LayerKind, Person};

pub const USAGE: &str = "\
folio — explore archival document corpora

USAGE:
    folio [PATH] [--document ID]       open the explorer window on PATH, with document ID open
                                       (default: the last corpus, or the bundled documents)
    folio check PATH [--json]          load PATH and report documents and errors
    folio list PATH [--json] [--query Q] [FILTERS]
                                       list documents in date order (those matching Q)
    folio search PATH QUERY [--json] [--limit N] [FILTERS]
                                       ranked documents matching QUERY, with snippets
    folio show PATH ID [--json]        print one document with its texts
    folio export PATH --format F [--out FILE] [--document ID]… [--query Q] [FILTERS]
                                       the matching documents as csv, csl-json, bibtex,
                                       citation (archive style) or chicago (notes), in date order;
                                       --format folder --out FOLDER: each as a document.toml folder
                                       with its page images and texts (the described work, portable)
    folio group PATH --id ID FILE…     make FILEs (pages, in this order; FILE#N for page N of a
                                       multi-page file) one document ID
    folio ungroup PATH ID              give the pages of a document grouped in folio back
    folio describe PATH ID [--title T] [--date D] [--author NAME]… [--recipient NAME]…
                   [--signatory NAME]… [--mentioned NAME]… [--translator NAME]…
                   [--archive REF] [--kind K] [--lang L] [--summary S] [--source-url U]
                                       describe a document (kept in PATH/.folio/descriptions)
    folio describe PATH --from-csv FILE
                                       describe documents from a table with metadata.csv's columns
    folio ocr PATH [--document ID]… [--lang rus+eng] [--jobs N] [--json]
                                       machine OCR (Tesseract 5) of the pages of the documents
                                       (default: every document with scans and no text), kept in
                                       PATH/.folio/ocr and shown as a transcription layer
    folio synth OUT --docs N [--seed S] write a synthetic corpus of N documents into the new folder OUT
    folio bench PATH [--json]          time opening PATH, facet recounts and list ordering
    folio bench-preview [FILE…] [--json]
                                       time a large scan's first preview against vipsthumbnail
                                       (without FILE: generated 24 MP and 81 MP JPEG pages)
    folio bench-ocr PAGE… [--lang rus] [--jobs N] [--json]
                                       OCR pages per minute against the tesseract program
    folio help [COMMAND] | --help      this text, or one command's (also: folio COMMAND --help)
    folio --version                    the version

FILTERS:
    --from DATE      documents whose date reaches DATE or later (1945, 1945-04, April 1945)
    --to DATE        documents whose date starts by the end of DATE
    --undated        keep undated documents when --from/--to is given
    --author NAME    an author with this name or one of its variants (repeat: any of them)
    --archive REF    an archive subtree: GARF/R-9401ss/2 or \"RGASPI F. 17\"
    --lang L         original or any text layer in language L (ru, en, zh, ug, …; repeat: any)
    --kind K         documents of kind K (letter, telegram, …; repeat: any)

QUERY:
    words (all must occur), \"a phrase\", prefix*, -excluded, author:NAME,
    archive:REF, lang:L, kind:K, date:1945..1947 (or date:1945-04, date:..1946).
    Names match across scripts and spellings: Qasimi finds Касыми and Qasim.

EXIT STATUS:
    check: 0 every entry loaded, 1 some entries failed, 2 usage error or unreadable PATH
    list, show, search, export: 0 success, 1 unknown document id, 2 usage error or unreadable PATH
    synth: 0 written, 2 usage error, OUT not empty or not writable
    bench: 0 measured, 2 usage error or unreadable PATH
";

/// What `main` should do after reading the arguments.
#[derive(Debug, PartialEq)]
pub enum Invocation {
    /// Open the window, on this folder if given, with this document open.
    Gui {
        path: Option<PathBuf>,
        document: Option<String>,
    },
    /// A command ran; exit with this status.
    Exit(i32),
}

/// A usage error: message for stderr, exit status 2.
#[derive(Debug)]
struct Usage(String);

impl From<lexopt::Error> for Usage {
    fn from(e: lexopt::Error) -> Self {
        Self(e.to_string())
    }
}

/// Standard output or error as a person reads it: what a command
/// formats (`writeln!`) has every control character escaped but its own
/// final line break, and raw text (`write_all`: a document's text, an
/// export) keeps only its line breaks and tabs; see [`crate::text::printable`].
/// JSON needs nothing: serde escapes control characters itself.
struct Escaped<'a>(&'a mut dyn Write);

impl Write for Escaped<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match std::str::from_utf8(buf) {
            Ok(text) => self
                .0
                .write_all(crate::text::printable(text, true).as_bytes()),
            Err(_) => self.0.write_all(buf),
        }
    }

    fn write_fmt(&mut self, args: std::fmt::Arguments<'_>) -> std::io::Result<()> {
        let text = args.to_string();
        let (body, end) = text
            .strip_suffix('\n')
            .map_or((text.as_str(), ""), |body| (body, "\n"));
        self.0
            .write_all(crate::text::printable(body, false).as_bytes())?;
        self.0.write_all(end.as_bytes())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Runs the command named by `args` (without the program name).
pub fn run(args: Vec<OsString>, out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    let mut out = Escaped(out);
    let mut err = Escaped(err);
    let (out, err): (&mut dyn Write, &mut dyn Write) = (&mut out, &mut err);
    let command = args
        .first()
        .and_then(|a| a.to_str())
        .filter(|a| help::COMMANDS.contains(a))
        .map(str::to_owned);
    // `folio COMMAND --help` (or -h), before anything after `--`.
    if let Some(command) = &command
        && args
            .iter()
            .skip(1)
            .take_while(|a| *a != "--")
            .any(|a| a == "--help" || a == "-h")
        && let Some(usage) = help::command_usage(command)
    {
        let _ = out.write_all(usage.as_bytes());
        return Invocation::Exit(0);
    }
    match dispatch(args, out, err) {
        Ok(invocation) => invocation,
        Err(Usage(message)) => {
            let _ = writeln!(err, "folio: {message}");
            let _ = err.write_all(help::after_mistake(command.as_deref()).as_bytes());
            Invocation::Exit(2)
        }
    }
}

fn dispatch(
    args: Vec<OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Invocation, Usage> {
    let mut parser = lexopt::Parser::from_args(args);
    let Some(first) = parser.next()? else {
        return Ok(Invocation::Gui {
            path: None,
            document: None,
        });
    };
    let command = match first {
        lexopt::Arg::Long("help") | lexopt::Arg::Short('h') => {
            let _ = out.write_all(USAGE.as_bytes());
            return Ok(Invocation::Exit(0));
        }
        lexopt::Arg::Long("version") | lexopt::Arg::Short('V') => {
            let _ = writeln!(out, "folio {}", env!("CARGO_PKG_VERSION"));
            return Ok(Invocation::Exit(0));
        }
        lexopt::Arg::Value(value) => string(value)?,
        lexopt::Arg::Long("document") => {
            let document = Some(string(parser.value()?)?);
            return gui(None, document, &mut parser);
        }
        other => return Err(other.unexpected().into()),
    };
    let status = match command.as_str() {
        "help" => match parser.next()? {
            None => {
                let _ = out.write_all(USAGE.as_bytes());
                0
            }
            Some(lexopt::Arg::Value(name)) => {
                let name = string(name)?;
                let usage = help::command_usage(&name)
                    .ok_or_else(|| Usage(format!("{name:?} is not a command")))?;
                let _ = out.write_all(usage.as_bytes());
                0
            }
            Some(other) => return Err(other.unexpected().into()),
        },
        "check" => check(&mut parser, out, err)?,
        "list" => list(&mut parser, out, err)?,
        "show" => show(&mut parser, out, err)?,
        "synth" => synth(&mut parser, out, err)?,
        "bench" => bench(&mut parser, out, err)?,
        "bench-preview" => bench_preview(&mut parser, out, err)?,
        "bench-ocr" => bench_ocr(&mut parser, out, err)?,
        "search" => search(&mut parser, out, err)?,
        "export" => export::export(&mut parser, out, err)?,
        "group" => describe::group(&mut parser, out, err)?,
        "ungroup" => describe::ungroup(&mut parser, out, err)?,
        "describe" => describe::describe(&mut parser, out, err)?,
        "ocr" => ocr::ocr(&mut parser, out, err)?,
        _ => return gui(Some(PathBuf::from(command)), None, &mut parser),
    };
    Ok(Invocation::Exit(status))
}

/// `folio [PATH] [--document ID]`.
fn gui(
    mut path: Option<PathBuf>,
    mut document: Option<String>,
    parser: &mut lexopt::Parser,
) -> Result<Invocation, Usage> {
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("document") => document = Some(string(parser.value()?)?),
            lexopt::Arg::Value(value) if path.is_none() => path = Some(PathBuf::from(value)),
            lexopt::Arg::Value(value) => {
                return Err(Usage(format!(
                    "unexpected argument {:?}: give one folder, or a command ({})",
                    value.to_string_lossy(),
                    help::COMMANDS.join(", ")
                )));
            }
            other => return Err(other.unexpected().into()),
        }
    }
    Ok(Invocation::Gui { path, document })
}

/// Opens the corpus as its files give it, through its snapshot, and
/// refreshes the snapshot when files changed (a cache: failing to write
/// it is not an error).
fn open_base(path: &Path, err: &mut dyn Write) -> Option<Corpus> {
    // A IIIF manifest given by URL: fetched into the cache, opened there.
    let fetched;
    let path = if corpus::formats::iiif::is_remote(path) {
        match corpus::formats::iiif::manifest_folder(&path.to_string_lossy()) {
            Ok((folder, offline)) => {
                if let Some(notice) = offline {
                    let _ = writeln!(err, "folio: {notice}");
                }
                fetched = folder;
                fetched.as_path()
            }
            Err(reason) => {
                let _ = writeln!(err, "folio: {reason}");
                return None;
            }
        }
    } else {
        path
    };
    let snapshot = corpus::snapshot_file(path);
    match corpus::open(path, &LoadOptions::default(), snapshot.as_deref(), &|_| {}) {
        Ok(opened) => {
            if let Some(file) = &snapshot
                && opened.sources.snapshot_is_stale()
            {
                // The window's facet index is not built here; it is
                // stored again by the next window that opens the corpus.
                let _ = opened.sources.write_snapshot(&opened.corpus, file, &[]);
            }
            Some(opened.corpus)
        }
        Err(e) => {
            let _ = writeln!(err, "folio: {e}");
            None
        }
    }
}

/// The corpus with the user's descriptions laid over it (what every
/// command but `group`, `ungroup` and `describe` reads).
fn load_or_report(path: &Path, err: &mut dyn Write) -> Option<Corpus> {
    let base = open_base(path, err)?;
    let overlay = crate::research::describe::Overlay::load(&base.root);
    Some(crate::research::describe::shown(base, &overlay))
}

fn note_errors(corpus: &Corpus, err: &mut dyn Write) {
    if !corpus.errors.is_empty() {
        let _ = writeln!(
            err,
            "folio: {} could not be loaded (run `folio check` for details)",
            crate::text::count(corpus.errors.len(), "entry", "entries")
        );
    }
}

#[derive(Serialize)]
struct CheckJson<'a> {
    documents: usize,
    errors: &'a [corpus::LoadError],
    warnings: Vec<WarningJson<'a>>,
    skipped: &'a [PathBuf],
}

#[derive(Serialize)]
struct WarningJson<'a> {
    id: &'a str,
    source: &'a Path,
    warning: &'a str,
}

fn check(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let (path, json) = path_and_json(parser, "check")?;
    let Some(corpus) = load_or_report(&path, err) else {
        return Ok(2);
    };
    let warnings: Vec<WarningJson<'_>> = corpus
        .documents
        .iter()
        .flat_map(|d| {
            d.warnings.iter().map(move |w| WarningJson {
                id: &d.id,
                source: &d.source,
                warning: w,
            })
        })
        .collect();
    if json {
        let report = CheckJson {
            documents: corpus.documents.len(),
            errors: &corpus.errors,
            warnings,
            skipped: &corpus.skipped,
        };
        // Raw: JSON escapes control characters itself, and its own line
        // breaks must stay.
        let _ = out.write_all(
            format!(
                "{}\n",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            )
            .as_bytes(),
        );
    } else {
        let _ = writeln!(
            out,
            "{}: {} documents, {} errors, {} warnings, {} files skipped",
            path.display(),
            corpus.documents.len(),
            corpus.errors.len(),
            warnings.len(),
            corpus.skipped.len()
        );
        for e in &corpus.errors {
            let _ = writeln!(out, "error: {e}");
        }
        for w in &warnings {
            let _ = writeln!(
                out,
                "warning: {} ({}): {}",
                w.id,
                w.source.display(),
                w.warning
            );
        }
    }
    Ok(i32::from(!corpus.errors.is_empty()))
}

/// A command-line argument that no longer borrows the parser.
enum OwnedArg {
    Long(String),
    Value(OsString),
    Unexpected(String),
}

impl From<lexopt::Arg<'_>> for OwnedArg {
    fn from(arg: lexopt::Arg<'_>) -> Self {
        match arg {
            lexopt::Arg::Long(name) => Self::Long(name.to_owned()),
            lexopt::Arg::Value(value) => Self::Value(value),
            lexopt::Arg::Short(_) => Self::Unexpected(arg.unexpected().to_string()),
        }
    }
}

/// What `list` and `export` select: a corpus folder, filters and an
/// optional search query.
#[derive(Default)]
struct Selecting {
    path: Option<PathBuf>,
    filter: Filter,
    search: Option<String>,
}

impl Selecting {
    /// Takes `arg` if it is the PATH, `--query` or a filter flag.
    fn take(&mut self, parser: &mut lexopt::Parser, arg: OwnedArg) -> Result<(), Usage> {
        match arg {
            OwnedArg::Long(name) if name == "query" => {
                self.search = Some(string(parser.value()?)?);
            }
            OwnedArg::Value(v) if self.path.is_none() => self.path = Some(PathBuf::from(v)),
            OwnedArg::Long(name) => filter_flag(parser, &name, &mut self.filter)?,
            OwnedArg::Value(v) => {
                return Err(Usage(format!(
                    "unexpected argument {:?}",
                    v.to_string_lossy()
                )));
            }
            OwnedArg::Unexpected(message) => return Err(Usage(message)),
        }
        Ok(())
    }

    /// Loads the corpus and picks the matching documents in date order;
    /// `Err(status)` when the corpus or the search failed (reported).
    fn run(
        self,
        command: &str,
        err: &mut dyn Write,
    ) -> Result<Result<(Corpus, Vec<usize>), i32>, Usage> {
        let path = self
            .path
            .ok_or_else(|| Usage(format!("{command} needs a PATH")))?;
        let search = self
            .search
            .map(|q| crate::index::search::parse(&q).map_err(|e| Usage(format!("--query: {e}"))))
            .transpose()?;
        let Some(corpus) = load_or_report(&path, err) else {
            return Ok(Err(2));
        };
        note_errors(&corpus, err);
        let matching: Option<std::collections::HashSet<u32>> = match &search {
            Some(query) => match run_search(&corpus, query, 0, None) {
                Ok((matching, _)) => Some(matching.into_iter().collect()),
                Err(e) => {
                    let _ = writeln!(err, "folio: {e}");
                    return Ok(Err(2));
                }
            },
            None => None,
        };
        let chosen: Vec<usize> = self
            .filter
            .indices(&corpus.documents, &corpus.authority)
            .into_iter()
            .filter(|&i| {
                matching
                    .as_ref()
                    .is_none_or(|m| u32::try_from(i).is_ok_and(|i| m.contains(&i)))
            })
            .collect();
        Ok(Ok((corpus, chosen)))
    }
}

fn list(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let mut selecting = Selecting::default();
    let mut json = false;
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("json") => json = true,
            other => {
                let other = OwnedArg::from(other);
                selecting.take(parser, other)?;
            }
        }
    }
    let (corpus, chosen) = match selecting.run("list", err)? {
        Ok(found) => found,
        Err(status) => return Ok(status),
    };
    for doc in chosen.iter().map(|&i| &corpus.documents[i]) {
        if json {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string(&ListJson::new(doc)).unwrap_or_default()
            );
        } else {
            let _ = writeln!(out, "{}", list_line(doc));
        }
    }
    Ok(0)
}

/// One of the filter flags shared by `list` and `search` (`--NAME`).
fn filter_flag(parser: &mut lexopt::Parser, name: &str, filter: &mut Filter) -> Result<(), Usage> {
    match name {
        "undated" => filter.include_undated = true,
        "from" => filter
            .set_from(&string(parser.value()?)?)
            .map_err(|e| Usage(e.to_string()))?,
        "to" => filter
            .set_to(&string(parser.value()?)?)
            .map_err(|e| Usage(e.to_string()))?,
        "author" => filter.add_author(&string(parser.value()?)?),
        "archive" => filter
            .set_archive(&string(parser.value()?)?)
            .map_err(|e| Usage(e.to_string()))?,
        "lang" => filter.add_language(&string(parser.value()?)?),
        "kind" => filter.add_kind(&string(parser.value()?)?),
        other => return Err(Usage(format!("invalid option '--{other}'"))),
    }
    Ok(())
}

/// Opens (or builds) the index of `corpus` and runs `query` with `filter`
/// (`limit` ranked hits).
fn run_search(
    corpus: &Corpus,
    query: &crate::index::search::SearchQuery,
    limit: usize,
    filter: Option<&Filter>,
) -> Result<(Vec<u32>, Vec<crate::index::search::Hit>), crate::index::search::SearchError> {
    let cache = crate::index::search::cache::dir_for(&corpus.root);
    let (index, _) =
        crate::index::search::SearchIndex::open_or_build(corpus, cache.as_deref(), &|_| true)?;
    index.search_with(corpus, query, limit, filter)
}

fn search(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let mut values = Vec::new();
    let mut json = false;
    let mut limit = 50;
    let mut filter = Filter::default();
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("json") => json = true,
            lexopt::Arg::Long("limit") => limit = parser.value()?.parse::<usize>()?,
            lexopt::Arg::Value(v) if values.len() < 2 => values.push(v),
            lexopt::Arg::Long(name) => {
                let name = name.to_owned();
                filter_flag(parser, &name, &mut filter)?;
            }
            other => return Err(other.unexpected().into()),
        }
    }
    let [path, query] = values.as_slice() else {
        return Err(Usage("search needs a PATH and a QUERY".into()));
    };
    let query =
        crate::index::search::parse(&query.to_string_lossy()).map_err(|e| Usage(e.to_string()))?;
    let Some(corpus) = load_or_report(Path::new(path), err) else {
        return Ok(2);
    };
    note_errors(&corpus, err);
    let hits = match run_search(&corpus, &query, limit, Some(&filter)) {
        Ok((_, hits)) => hits,
        Err(e) => {
            let _ = writeln!(err, "folio: {e}");
            return Ok(2);
        }
    };
    for hit in hits {
        if json {
            let _ = writeln!(out, "{}", serde_json::to_string(&hit).unwrap_or_default());
        } else {
            let _ = writeln!(
                out,
                "{:<40} {:>6.2}  {:<13} {}",
                hit.id,
                hit.score,
                format!(
                    "{}{}",
                    hit.layer,
                    hit.language
                        .as_deref()
                        .map(|l| format!(".{l}"))
                        .unwrap_or_default()
                ),
                hit.snippet
            );
        }
    }
    Ok(0)
}

fn show(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let mut values = Vec::new();
    let mut json = false;
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("json") => json = true,
            lexopt::Arg::Value(v) if values.len() < 2 => values.push(string(v)?),
            other => return Err(other.unexpected().into()),
        }
    }
    let [path, id] = values.as_slice() else {
        return Err(Usage("show needs a PATH and a document ID".into()));
    };
    let Some(corpus) = load_or_report(Path::new(path), err) else {
        return Ok(2);
    };
    let Some(doc) = corpus.document(id) else {
        let _ = writeln!(
            err,
            "folio: no document with id {id:?} in {path} (see `folio list {path}`)"
        );
        return Ok(1);
    };
    if json {
        let _ = out.write_all(
            format!(
                "{}\n",
                serde_json::to_string_pretty(doc).unwrap_or_default()
            )
            .as_bytes(),
        );
    } else {
        let _ = out.write_all(show_text(doc).as_bytes());
    }
    Ok(0)
}

fn synth(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let mut path = None;
    let mut docs = None;
    let mut seed = 1;
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("docs") => docs = Some(parser.value()?.parse::<usize>()?),
            lexopt::Arg::Long("seed") => seed = parser.value()?.parse::<u64>()?,
            lexopt::Arg::Value(v) if path.is_none() => path = Some(PathBuf::from(v)),
            other => return Err(other.unexpected().into()),
        }
    }
    let path = path.ok_or_else(|| Usage("synth needs an OUT folder".into()))?;
    let docs = docs.ok_or_else(|| Usage("synth needs --docs N".into()))?;
    let started = std::time::Instant::now();
    match crate::tools::synth::generate(&path, &crate::tools::synth::SynthOptions { docs, seed }) {
        Ok(report) => {
            let _ = writeln!(
                out,
                "{}: {} documents, {} files, {:.1} MB in {:.1} s (seed {seed})",
                path.display(),
                report.documents,
                report.files,
                report.bytes as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
            Ok(0)
        }
        Err(e) => {
            let _ = writeln!(err, "folio: {e}");
            Ok(2)
        }
    }
}

fn bench(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let (path, json) = path_and_json(parser, "bench")?;
    match crate::tools::bench::run(&path) {
        Ok(report) if json => {
            let line = serde_json::to_string(&report).unwrap_or_default();
            let _ = writeln!(out, "{line}");
            Ok(0)
        }
        Ok(report) => {
            let _ = out.write_all(report.table().as_bytes());
            Ok(0)
        }
        Err(e) => {
            let _ = writeln!(err, "folio: {}: {e}", path.display());
            Ok(2)
        }
    }
}

fn bench_preview(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let mut files = Vec::new();
    let mut json = false;
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("json") => json = true,
            lexopt::Arg::Value(v) => files.push(PathBuf::from(v)),
            other => return Err(other.unexpected().into()),
        }
    }
    match crate::tools::bench_preview::run(&files) {
        Ok(timings) if json => {
            for timing in &timings {
                let line = serde_json::to_string(timing).unwrap_or_default();
                let _ = writeln!(out, "{line}");
            }
            Ok(0)
        }
        Ok(timings) => {
            let _ = out.write_all(crate::tools::bench_preview::table(&timings).as_bytes());
            Ok(0)
        }
        Err(e) => {
            let _ = writeln!(err, "folio: {e}");
            Ok(2)
        }
    }
}

fn bench_ocr(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let mut pages = Vec::new();
    let mut json = false;
    let mut models = "rus".to_owned();
    let mut jobs = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("json") => json = true,
            lexopt::Arg::Long("lang") => models = parser.value()?.string()?,
            lexopt::Arg::Long("jobs") => jobs = parser.value()?.parse()?,
            lexopt::Arg::Value(v) => pages.push(PathBuf::from(v)),
            other => return Err(other.unexpected().into()),
        }
    }
    match crate::tools::bench_ocr::run(&pages, &models, jobs) {
        Ok(timing) if json => {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string(&timing).unwrap_or_default()
            );
            Ok(0)
        }
        Ok(timing) => {
            let _ = out.write_all(crate::tools::bench_ocr::table(&timing).as_bytes());
            Ok(0)
        }
        Err(e) => {
            let _ = writeln!(err, "folio: {e}");
            Ok(2)
        }
    }
}

/// `COMMAND PATH [--json]`.
fn path_and_json(parser: &mut lexopt::Parser, command: &str) -> Result<(PathBuf, bool), Usage> {
    let mut path = None;
    let mut json = false;
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("json") => json = true,
            lexopt::Arg::Value(v) if path.is_none() => path = Some(PathBuf::from(v)),
            other => return Err(other.unexpected().into()),
        }
    }
    let path = path.ok_or_else(|| Usage(format!("{command} needs a PATH")))?;
    Ok((path, json))
}

fn string(value: OsString) -> Result<String, Usage> {
    value.into_string().map_err(|v| {
        Usage(format!(
            "argument is not valid Unicode: {}",
            v.to_string_lossy()
        ))
    })
}

/// One line of `folio list`: date, id, title, people, archive reference.
pub fn list_line(doc: &Document) -> String {
    let mut line = format!(
        "{:<12} {:<28} {}",
        date_column(&doc.date),
        doc.id,
        doc.title
    );
    let people = doc.correspondents();
    if !people.is_empty() {
        line.push_str(&format!("  ({people})"));
    }
    if let Some(archive) = &doc.archive {
        line.push_str(&format!("  [{}]", archive.short()));
    }
    line
}

/// A date for a column: EDTF, bracketed when inferred.
fn date_column(date: &FuzzyDate) -> String {
    if date.is_unknown() {
        return "undated".to_owned();
    }
    let edtf = date.to_edtf();
    if date.inferred {
        format!("[{edtf}]")
    } else {
        edtf
    }
}

fn show_text(doc: &Document) -> String {
    // One-line values: a line break or an escape in them is shown escaped
    // (the layers' texts below keep their lines).
    let title = crate::text::printable(&doc.title, false);
    let mut s = format!("{title}\n{}\n\n", "=".repeat(title.chars().count().min(78)));
    let mut field = |name: &str, value: &str| {
        if !value.is_empty() {
            s.push_str(&format!(
                "{name:<13}{}\n",
                crate::text::printable(value, false)
            ));
        }
    };
    field("id:", &doc.id);
    field("kind:", doc.kind.as_deref().unwrap_or_default());
    let date = if doc.date.is_unknown() && doc.date.text.is_empty() {
        "undated".to_owned()
    } else {
        format!(
            "{} ({}, {}{})",
            doc.date,
            doc.date.to_edtf(),
            doc.date.precision.as_str(),
            if doc.date.inferred { ", inferred" } else { "" }
        )
    };
    field("date:", &date);
    for person in &doc.people {
        field(&format!("{}:", person.role), &person.to_string());
    }
    field(
        "archive:",
        &doc.archive
            .as_ref()
            .map(ArchiveRef::short)
            .unwrap_or_default(),
    );
    field(
        "language:",
        doc.original_language.as_deref().unwrap_or_default(),
    );
    field("source:", &doc.source.display().to_string());
    field("source url:", doc.source_url.as_deref().unwrap_or_default());
    field("citation:", doc.citation.as_deref().unwrap_or_default());
    field(
        "credits:",
        &doc.credits
            .as_deref()
            .unwrap_or_default()
            .replace('\n', " / "),
    );
    field(
        "pages:",
        &if doc.pages.is_empty() {
            String::new()
        } else {
            doc.pages.len().to_string()
        },
    );
    for warning in &doc.warnings {
        field("warning:", warning);
    }
    for layer in &doc.layers {
        let mut heading = format!(
            "{} [{}]",
            layer.kind.as_str(),
            layer.language.as_deref().unwrap_or("?")
        );
        if let Some(from) = &layer.translated_from {
            heading.push_str(&format!(" from {from}"));
        }
        if let Some(by) = &layer.translator {
            heading.push_str(&format!(" by {by}"));
        }
        match layer.origin {
            crate::model::Origin::File => {}
            crate::model::Origin::Ocr { confidence } => {
                heading.push_str(&format!(", machine OCR ({confidence} % confidence)"));
            }
            crate::model::Origin::User => heading.push_str(", written in folio"),
        }
        s.push_str(&format!("\n--- {heading} ---\n{}\n", layer.text));
    }
    s
}

/// The `folio list --json` record (one JSON object per line).
#[derive(Debug, Serialize)]
pub struct ListJson<'a> {
    id: &'a str,
    title: &'a str,
    kind: Option<&'a str>,
    date: &'a FuzzyDate,
    people: &'a [Person],
    archive: Option<&'a ArchiveRef>,
    languages: LanguagesJson<'a>,
    pages: usize,
    source: String,
    source_url: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct LanguagesJson<'a> {
    original: Option<&'a str>,
    layers: Vec<LayerJson<'a>>,
}

#[derive(Debug, Serialize)]
struct LayerJson<'a> {
    kind: LayerKind,
    language: Option<&'a str>,
    translated_from: Option<&'a str>,
}

impl<'a> ListJson<'a> {
    pub fn new(doc: &'a Document) -> Self {
        Self {
            id: &doc.id,
            title: &doc.title,
            kind: doc.kind.as_deref(),
            date: &doc.date,
            people: &doc.people,
            archive: doc.archive.as_ref(),
            languages: LanguagesJson {
                original: doc.original_language.as_deref(),
                layers: doc
                    .layers
                    .iter()
                    .map(|l| LayerJson {
                        kind: l.kind,
                        language: l.language.as_deref(),
                        translated_from: l.translated_from.as_deref(),
                    })
                    .collect(),
            },
            pages: doc.pages.len(),
            source: doc.source.to_string_lossy().replace('\\', "/"),
            source_url: doc.source_url.as_deref(),
        }
    }
}
