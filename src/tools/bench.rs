//! `folio bench PATH`: what a user waits for, measured in one process on
//! one machine: opening the corpus (parse, facet index, sort orders,
//! full-text index), recounting the facets after a filter change, putting
//! a selection in list order, full-text queries, with peak memory; and the
//! same queries with `rg -i` over the same files as a baseline.
//!
//! The recount workload is derived from the corpus itself (its busiest
//! authors, archive subtrees, languages, kinds and decades, alone and
//! combined), so the numbers of two corpora are comparable.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::corpus::{self, CorpusError, LoadOptions};
use crate::index::facets::{FacetIndex, Scope};
use crate::index::filter::Filter;
use crate::index::order::{SortKey, SortOrders};
use crate::index::search::SearchIndex;
use crate::model::Ymd;

/// Latency percentiles of a repeated operation, in milliseconds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Latency {
    pub runs: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
}

impl Latency {
    fn of(mut samples: Vec<Duration>) -> Self {
        samples.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let pick = |q: f64| {
            let i = ((samples.len() as f64 * q) as usize).min(samples.len().saturating_sub(1));
            samples.get(i).map_or(0.0, |d| ms(*d))
        };
        Self {
            runs: samples.len(),
            p50_ms: pick(0.5),
            p95_ms: pick(0.95),
            max_ms: samples.last().map_or(0.0, |d| ms(*d)),
        }
    }
}

/// Everything `folio bench` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub documents: usize,
    pub errors: usize,
    pub parse_s: f64,
    pub facet_index_s: f64,
    pub sort_orders_s: f64,
    pub search_index_s: f64,
    /// Cold open: parse + facets and sort orders + full-text index, with
    /// no caches.
    pub open_s: f64,
    pub documents_per_s: f64,
    /// Writing the corpus snapshot after the cold open (in the background
    /// in the window).
    pub snapshot_write_s: f64,
    pub snapshot_mb: f64,
    /// Warm open of the unchanged corpus: snapshot read and checked
    /// against the files + facets and sort orders + cached index opened.
    pub warm_open_s: f64,
    pub warm_corpus_s: f64,
    pub warm_views_s: f64,
    pub warm_index_s: f64,
    /// Of the cached index's open: verifying every file's checksum.
    pub index_checksums_s: f64,
    /// Entries the warm open parsed again (0 for an unchanged corpus).
    pub warm_parsed: usize,
    /// One check of every stamp, as the window does to follow the folder
    /// (on one thread), and whether it found the corpus unchanged.
    pub follow_check_s: f64,
    pub follow_check_unchanged: bool,
    /// One describing edit in the window with a thousand documents
    /// described (a tenth of them grouped): the overlay laid over the
    /// parsed corpus, then its facet index and sort orders built again.
    pub describe_apply_s: f64,
    pub describe_views_s: f64,
    pub recount: Latency,
    pub list_order: Latency,
    /// Full-text queries (all matches counted, 20 ranked hits with
    /// snippets), over [`QUERIES`].
    pub query: Latency,
    /// The same queries with `rg -i -c` over the corpus folder, if ripgrep
    /// is installed.
    pub ripgrep: Option<Latency>,
    /// Median ripgrep time over median folio time.
    pub ripgrep_ratio: Option<f64>,
    /// Per query: text, matching documents, folio p50 ms, rg p50 ms.
    pub queries: Vec<QueryTiming>,
    /// Peak resident memory (Linux `VmHWM`) of the cold open, snapshot
    /// write included, if known.
    pub peak_rss_mb: Option<f64>,
    /// Peak resident memory from the warm open to the end (the mark is
    /// reset after the cold open's memory is freed), if known.
    pub warm_peak_rss_mb: Option<f64>,
}

/// One query of the fixed set, timed.
#[derive(Debug, Clone, Serialize)]
pub struct QueryTiming {
    pub query: String,
    pub matching: usize,
    pub folio_ms: f64,
    pub ripgrep_ms: Option<f64>,
}

/// The fixed query set: (folio query, the pattern given to `rg -i`).
/// Names in several scripts, phrases, prefixes, exclusions, filters.
pub const QUERIES: [(&str, &str); 12] = [
    ("Qasimi", "Qasimi"),
    ("Stalin", "Stalin"),
    ("Kuldja", "Kuldja"),
    ("Тюря", "Тюря"),
    ("قاسىمى", "قاسىمى"),
    ("阿合買提江", "阿合買提江"),
    ("\"our greetings\"", "our greetings"),
    ("\"delegation led by\" Qasimi", "delegation led by"),
    ("Kuld*", "Kuld"),
    ("Ghul*", "Ghul"),
    ("Stalin -Qasimi", "Stalin"),
    ("Ghulja date:1945..1947", "Ghulja"),
];

/// Errors of a bench run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    #[error(transparent)]
    Search(#[from] crate::index::search::SearchError),
    #[error("the index just written in {} fails its checksums", .0.display())]
    Damaged(PathBuf),
}

/// Opens `root` and measures. Caches go to a scratch folder that is
/// removed afterwards, so the user's caches are neither used nor touched.
pub fn run(root: &Path) -> Result<Report, BenchError> {
    let scratch = std::env::temp_dir().join(format!("folio-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let report = run_with_cache(root, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    report
}

fn run_with_cache(root: &Path, cache: &Path) -> Result<Report, BenchError> {
    let snapshot_file = cache.join(corpus::snapshot::FILE);
    let index_dir = cache.join("index");

    // Cold: nothing cached.
    let started = Instant::now();
    let opened = corpus::open(root, &LoadOptions::default(), Some(&snapshot_file), &|_| {})?;
    let parse = started.elapsed();
    let t = Instant::now();
    let index = FacetIndex::build(&opened.corpus);
    let facet_index = t.elapsed();
    let t = Instant::now();
    let orders = SortOrders::build(&opened.corpus);
    let sort_orders = t.elapsed();
    let t = Instant::now();
    let (search, _) = SearchIndex::open_or_build(&opened.corpus, Some(&index_dir), &|_| true)?;
    let search_index = t.elapsed();
    let open = started.elapsed();
    let documents = opened.corpus.documents.len();
    let t = Instant::now();
    // A bench that cannot write its scratch folder measures no warm open.
    let written = opened
        .sources
        .write_snapshot(
            &opened.corpus,
            &snapshot_file,
            &crate::index::facets::encode_views(&index, &orders),
        )
        .is_ok();
    let snapshot_write = t.elapsed();
    let snapshot_mb = std::fs::metadata(&snapshot_file).map_or(0.0, |m| m.len() as f64 / 1e6);
    drop((opened, index, orders, search));
    let cold_peak_rss = peak_rss_mb();
    // Linux: "5" resets the peak-memory mark, so the warm open is measured
    // on its own.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();

    // Warm: the same corpus again, as the window opens it.
    let started = Instant::now();
    let opened = corpus::open(
        root,
        &LoadOptions::default(),
        written.then_some(snapshot_file.as_path()),
        &|_| {},
    )?;
    let warm_corpus = started.elapsed();
    let t = Instant::now();
    // As the window does: the views come with the snapshot when nothing
    // changed.
    let ((index, orders), _) =
        crate::index::facets::views_for(&opened.corpus, opened.extra.as_deref());
    let warm_views = t.elapsed();
    let t = Instant::now();
    let (search, _) = SearchIndex::open_or_build(&opened.corpus, Some(&index_dir), &|_| true)?;
    let warm_index = t.elapsed();
    let warm_open = started.elapsed();
    let warm_parsed = opened.sources.reuse.parsed;
    let t = Instant::now();
    let verified =
        SearchIndex::verify_cached(&index_dir.join(crate::index::search::cache::current()));
    let index_checksums = t.elapsed();
    if !verified {
        return Err(BenchError::Damaged(index_dir.clone()));
    }
    let t = Instant::now();
    let follow_check_unchanged = opened.sources.is_current(root);
    let follow_check = t.elapsed();
    let corpus = opened.corpus;
    let (describe_apply, describe_views) = describing(&corpus);

    let (recounts, ordering) = filter_changes(&index, &orders);
    let mut query_samples = Vec::new();
    let mut rg_samples = Vec::new();
    let mut queries = Vec::new();
    let rg_available = Command::new("rg")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    for (text, pattern) in QUERIES {
        let query =
            crate::index::search::parse(text).map_err(crate::index::search::SearchError::from)?;
        // Once untimed: the first run pages the index in.
        std::hint::black_box(search.search(&corpus, &query, 20)?);
        let mut mine = Vec::new();
        let mut matching = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let (all, hits) = search.search(&corpus, &query, 20)?;
            mine.push(t.elapsed());
            matching = all.len();
            std::hint::black_box(hits);
        }
        let mut theirs = Vec::new();
        if rg_available {
            for _ in 0..3 {
                let t = Instant::now();
                let status = Command::new("rg")
                    .args(["-i", "-c", "--no-messages", "--", pattern])
                    .arg(root)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
                if status.is_ok() {
                    theirs.push(t.elapsed());
                }
            }
        }
        let median = |v: &[Duration]| Latency::of(v.to_vec()).p50_ms;
        queries.push(QueryTiming {
            query: text.to_owned(),
            matching,
            folio_ms: median(&mine),
            ripgrep_ms: (!theirs.is_empty()).then(|| median(&theirs)),
        });
        query_samples.extend(mine);
        rg_samples.extend(theirs);
    }
    let query_latency = Latency::of(query_samples);
    let ripgrep = (!rg_samples.is_empty()).then(|| Latency::of(rg_samples));
    let ripgrep_ratio = ripgrep
        .as_ref()
        .map(|rg| rg.p50_ms / query_latency.p50_ms.max(1e-6));
    Ok(Report {
        documents,
        errors: corpus.errors.len(),
        parse_s: parse.as_secs_f64(),
        facet_index_s: facet_index.as_secs_f64(),
        sort_orders_s: sort_orders.as_secs_f64(),
        search_index_s: search_index.as_secs_f64(),
        open_s: open.as_secs_f64(),
        documents_per_s: documents as f64 / open.as_secs_f64().max(1e-9),
        snapshot_write_s: snapshot_write.as_secs_f64(),
        snapshot_mb,
        warm_open_s: warm_open.as_secs_f64(),
        warm_corpus_s: warm_corpus.as_secs_f64(),
        warm_views_s: warm_views.as_secs_f64(),
        warm_index_s: warm_index.as_secs_f64(),
        index_checksums_s: index_checksums.as_secs_f64(),
        warm_parsed,
        follow_check_s: follow_check.as_secs_f64(),
        follow_check_unchanged,
        describe_apply_s: describe_apply.as_secs_f64(),
        describe_views_s: describe_views.as_secs_f64(),
        recount: Latency::of(recounts),
        list_order: Latency::of(ordering),
        query: query_latency,
        ripgrep,
        ripgrep_ratio,
        queries,
        peak_rss_mb: cold_peak_rss,
        warm_peak_rss_mb: if reset { peak_rss_mb() } else { None },
    })
}

/// The time the window's loader takes after a describing edit on
/// `corpus` with a thousand documents described (every hundredth from the
/// start; a tenth of them grouped with the next document that has pages):
/// the overlay laid over the corpus, and the facet index and sort orders
/// of the result.
fn describing(corpus: &crate::corpus::Corpus) -> (Duration, Duration) {
    use crate::research::describe::{DescribedPage, Description, Overlay};
    let mut overlay = Overlay::default();
    let with_pages: Vec<usize> = (0..corpus.documents.len())
        .filter(|&i| !corpus.documents[i].pages.is_empty())
        .collect();
    for (n, doc) in corpus.documents.iter().step_by(100).take(1000).enumerate() {
        let mut description = Description::new(doc.id.clone());
        description.title = Some(format!("Described {n}"));
        description.date = Some("22 апреля 1945 г.".into());
        description.archive = Some("ГАРФ Ф. Р-9401 Оп. 2 Д. 95".into());
        overlay.put(description);
    }
    for pair in with_pages.chunks(2).take(100) {
        if let [a, b] = pair {
            let pages = [*a, *b]
                .iter()
                .flat_map(|&i| &corpus.documents[i].pages)
                .map(|p| DescribedPage {
                    image: p.image.to_string_lossy().into_owned(),
                    page: p.index_in_file.map(|i| i + 1),
                    label: None,
                })
                .collect();
            let mut description = overlay.description(&corpus.documents[*a].id);
            description.pages = Some(pages);
            overlay.put(description);
        }
    }
    let t = Instant::now();
    let shown = crate::research::describe::apply(corpus, &overlay).corpus;
    let apply = t.elapsed();
    let t = Instant::now();
    std::hint::black_box(crate::index::facets::build_with_orders(&shown));
    (apply, t.elapsed())
}

/// The time of each filter change of [`workload`] (three rounds): the
/// recount, and the ordering of its rows by date, title or archive.
fn filter_changes(index: &FacetIndex, orders: &SortOrders) -> (Vec<Duration>, Vec<Duration>) {
    let queries = workload(index);
    let mut recounts = Vec::with_capacity(queries.len() * 3);
    let mut ordering = Vec::with_capacity(queries.len() * 3);
    for key in [SortKey::Date, SortKey::Title, SortKey::Archive] {
        for query in &queries {
            let t = Instant::now();
            let selection = index.select(query, &Scope::default());
            recounts.push(t.elapsed());
            let t = Instant::now();
            let rows = orders.rows(key, false, &selection.documents);
            ordering.push(t.elapsed());
            std::hint::black_box(rows);
        }
    }
    (recounts, ordering)
}

/// Filter changes a user makes: each facet's busiest values alone, then
/// combined with a date range and with each other.
fn workload(index: &FacetIndex) -> Vec<Filter> {
    let all = index.select(&Filter::default(), &Scope::default());
    let top = |counts: &[u32], n: usize| -> Vec<u32> {
        let mut ids: Vec<u32> = (0..counts.len() as u32).collect();
        ids.sort_by_key(|&i| std::cmp::Reverse(counts[i as usize]));
        ids.truncate(n);
        ids
    };
    let mut queries = vec![Filter::default()];
    let decades: Vec<i32> = all
        .years
        .iter()
        .map(|(y, _)| y - y.rem_euclid(10))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let dated = |from: i32, to: i32| Filter {
        from: Some(Ymd::first_of_year(from)),
        to: Some(Ymd::last_of_year(to)),
        ..Filter::default()
    };
    for &decade in decades.iter().take(8) {
        queries.push(dated(decade, decade + 9));
    }
    for author in top(&all.authors, 8) {
        queries.push(Filter {
            authors: index.person(author).into_iter().collect(),
            ..Filter::default()
        });
        if let Some(&decade) = decades.first() {
            queries.push(Filter {
                authors: index.person(author).into_iter().collect(),
                ..dated(decade, decade + 30)
            });
        }
    }
    for recipient in top(&all.recipients, 4) {
        queries.push(Filter {
            recipients: index.person(recipient).into_iter().collect(),
            ..Filter::default()
        });
    }
    for node in top(&all.archive_nodes, 8) {
        queries.push(Filter {
            archive: Some(index.archive_prefix(node)),
            ..Filter::default()
        });
    }
    for language in top(&all.original_languages, 4) {
        queries.push(Filter {
            original_languages: vec![index.languages.label(language).to_owned()],
            ..Filter::default()
        });
    }
    for language in top(&all.layer_languages, 4) {
        for kind in top(&all.kinds, 2) {
            queries.push(Filter {
                layer_languages: vec![index.languages.label(language).to_owned()],
                kinds: vec![crate::text::fold(index.kind_names.label(kind))],
                include_undated: true,
                ..dated(1900, 1960)
            });
        }
    }
    queries
}

/// Peak resident memory of this process so far, in MB (Linux).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

impl Report {
    /// The report as a table for people.
    pub fn table(&self) -> String {
        let latency = |l: &Latency| {
            format!(
                "p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} runs)",
                l.p50_ms, l.p95_ms, l.max_ms, l.runs
            )
        };
        let mut out = String::new();
        out.push_str(&format!(
            "documents            {} ({} load errors)\n",
            self.documents, self.errors
        ));
        out.push_str(&format!(
                        "cold open            {:.2} s = parse {:.2} s + facet index {:.2} s + sort orders {:.2} s + search index {:.2} s; {:.0} documents/s\n",
            self.open_s,
            self.parse_s,
            self.facet_index_s,
            self.sort_orders_s,
            self.search_index_s,
            self.documents_per_s
        ));
        out.push_str(&format!(
            "snapshot write       {:.2} s ({:.0} MB)\n",
            self.snapshot_write_s, self.snapshot_mb
        ));
        out.push_str(&format!(
            "warm open            {:.2} s = snapshot + checking files {:.2} s + facet index and sort orders (cached) {:.2} s + cached index {:.2} s; {} entries parsed again\n",
            self.warm_open_s,
            self.warm_corpus_s,
            self.warm_views_s,
            self.warm_index_s,
            self.warm_parsed
        ));
        out.push_str(&format!(
            "index checksums      {:.2} s of the cached index's open (every file verified)\n",
            self.index_checksums_s
        ));
        out.push_str(&format!(
            "describing edit      {:.2} s = 1000 descriptions laid over the corpus {:.2} s + facet index and sort orders {:.2} s (loader thread)\n",
            self.describe_apply_s + self.describe_views_s,
            self.describe_apply_s,
            self.describe_views_s
        ));
        out.push_str(&format!(
            "follow check         {:.2} s on one thread ({}); the window waits {:.1} s between checks\n",
            self.follow_check_s,
            if self.follow_check_unchanged {
                "nothing changed"
            } else {
                "changes found"
            },
            crate::corpus::follow::Follow::default()
                .wait_after(std::time::Duration::from_secs_f64(self.follow_check_s))
                .as_secs_f64(),
        ));
        out.push_str(&format!(
            "facet recount        {}\n",
            latency(&self.recount)
        ));
        out.push_str(&format!(
            "list order           {}\n",
            latency(&self.list_order)
        ));
        out.push_str(&format!("full-text query      {}\n", latency(&self.query)));
        match (&self.ripgrep, self.ripgrep_ratio) {
            (Some(rg), Some(ratio)) => out.push_str(&format!(
                "rg -i (same queries) {}; folio is {ratio:.0}× faster (p50)\n",
                latency(rg)
            )),
            _ => out.push_str("rg -i (same queries) not measured: ripgrep is not installed\n"),
        }
        for q in &self.queries {
            out.push_str(&format!(
                "  {:<32} {:>7} documents  folio {:>8.2} ms  rg {}\n",
                q.query,
                q.matching,
                q.folio_ms,
                q.ripgrep_ms
                    .map_or_else(|| "-".to_owned(), |ms| format!("{ms:.1} ms"))
            ));
        }
        if let Some(rss) = self.peak_rss_mb {
            out.push_str(&format!("peak RSS, cold open  {rss:.0} MB\n"));
        }
        if let Some(rss) = self.warm_peak_rss_mb {
            out.push_str(&format!("peak RSS, warm open and queries {rss:.0} MB\n"));
        }
        out
    }
}
