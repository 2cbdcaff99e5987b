//! `folio bench PATH`: what a user waits for, measured in one process on
//! one machine: opening the corpus (parse, facet index, sort orders),
//! recounting the facets after a filter change, and putting a selection in
//! list order, with peak memory.
//!
//! The recount workload is derived from the corpus itself (its busiest
//! authors, archive subtrees, languages, kinds and decades, alone and
//! combined), so the numbers of two corpora are comparable.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::corpus::{self, CorpusError, LoadOptions};
use crate::facets::{FacetIndex, FacetQuery};
use crate::model::Ymd;
use crate::order::{SortKey, SortOrders};

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
    pub open_s: f64,
    pub documents_per_s: f64,
    pub recount: Latency,
    pub list_order: Latency,
    /// Peak resident memory of the process (Linux `VmHWM`), if known.
    pub peak_rss_mb: Option<f64>,
}

/// Opens `root` and measures.
pub fn run(root: &Path) -> Result<Report, CorpusError> {
    let started = Instant::now();
    let corpus = corpus::load(root, &LoadOptions::default(), &|_| {})?;
    let parse = started.elapsed();
    let t = Instant::now();
    let index = FacetIndex::build(&corpus);
    let facet_index = t.elapsed();
    let t = Instant::now();
    let orders = SortOrders::build(&corpus);
    let sort_orders = t.elapsed();
    let open = started.elapsed();

    let queries = workload(&index);
    let mut recounts = Vec::with_capacity(queries.len() * 3);
    let mut ordering = Vec::with_capacity(queries.len() * 3);
    for round in 0..3 {
        for query in &queries {
            let t = Instant::now();
            let selection = index.select(query);
            recounts.push(t.elapsed());
            let key = [SortKey::Date, SortKey::Title, SortKey::Archive][round];
            let t = Instant::now();
            let rows = orders.rows(key, false, &selection.documents);
            ordering.push(t.elapsed());
            std::hint::black_box(rows);
        }
    }
    Ok(Report {
        documents: corpus.documents.len(),
        errors: corpus.errors.len(),
        parse_s: parse.as_secs_f64(),
        facet_index_s: facet_index.as_secs_f64(),
        sort_orders_s: sort_orders.as_secs_f64(),
        open_s: open.as_secs_f64(),
        documents_per_s: corpus.documents.len() as f64 / open.as_secs_f64().max(1e-9),
        recount: Latency::of(recounts),
        list_order: Latency::of(ordering),
        peak_rss_mb: peak_rss_mb(),
    })
}

/// Filter changes a user makes: each facet's busiest values alone, then
/// combined with a date range and with each other.
fn workload(index: &FacetIndex) -> Vec<FacetQuery> {
    let all = index.select(&FacetQuery::default());
    let top = |counts: &[u32], n: usize| -> Vec<u32> {
        let mut ids: Vec<u32> = (0..counts.len() as u32).collect();
        ids.sort_by_key(|&i| std::cmp::Reverse(counts[i as usize]));
        ids.truncate(n);
        ids
    };
    let mut queries = vec![FacetQuery::default()];
    let decades: Vec<i32> = all
        .years
        .iter()
        .map(|(y, _)| y - y.rem_euclid(10))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let dated = |from: i32, to: i32| FacetQuery {
        from: Some(Ymd::first_of_year(from)),
        to: Some(Ymd::last_of_year(to)),
        ..FacetQuery::default()
    };
    for &decade in decades.iter().take(8) {
        queries.push(dated(decade, decade + 9));
    }
    for author in top(&all.authors, 8) {
        queries.push(FacetQuery {
            authors: vec![author],
            ..FacetQuery::default()
        });
        if let Some(&decade) = decades.first() {
            queries.push(FacetQuery {
                authors: vec![author],
                ..dated(decade, decade + 30)
            });
        }
    }
    for recipient in top(&all.recipients, 4) {
        queries.push(FacetQuery {
            recipients: vec![recipient],
            ..FacetQuery::default()
        });
    }
    for node in top(&all.archive_nodes, 8) {
        queries.push(FacetQuery {
            archive: Some(node),
            ..FacetQuery::default()
        });
    }
    for language in top(&all.original_languages, 4) {
        queries.push(FacetQuery {
            original_languages: vec![language],
            ..FacetQuery::default()
        });
    }
    for language in top(&all.layer_languages, 4) {
        for kind in top(&all.kinds, 2) {
            queries.push(FacetQuery {
                layer_languages: vec![language],
                kinds: vec![kind],
                include_undated: true,
                ..dated(1900, 1960)
            });
        }
    }
    queries
}

fn peak_rss_mb() -> Option<f64> {
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
            "open                 {:.2} s = parse {:.2} s + facet index {:.2} s + sort orders {:.2} s; {:.0} documents/s\n",
            self.open_s, self.parse_s, self.facet_index_s, self.sort_orders_s, self.documents_per_s
        ));
        out.push_str(&format!(
            "facet recount        {}\n",
            latency(&self.recount)
        ));
        out.push_str(&format!(
            "list order           {}\n",
            latency(&self.list_order)
        ));
        if let Some(rss) = self.peak_rss_mb {
            out.push_str(&format!("peak RSS             {rss:.0} MB\n"));
        }
        out
    }
}
