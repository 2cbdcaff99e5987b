//! The search box's state: the text, the parsed query, and the results
//! of the latest search, which runs on a `folio-search` thread (newest
//! wins: an older answer arriving late is dropped).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use crate::corpus::Corpus;
use crate::index::search::{Highlighter, Hit, SearchIndex, SearchQuery, parse};

/// How many ranked hits get snippets.
pub const RANKED: usize = 200;

/// Matching documents, ranked hits, and why a search failed.
type Answer = Result<(Vec<u32>, Vec<Hit>), String>;

/// The search box and what it found.
#[derive(Debug, Default)]
pub struct SearchState {
    /// What is typed in the box.
    pub text: String,
    /// The parsed query (None when the box is empty or unreadable).
    pub query: Option<SearchQuery>,
    /// Why the text cannot be searched, or the search failed.
    pub problem: Option<String>,
    /// Ranked hits with snippets, best first.
    pub hits: Vec<Hit>,
    /// Rank of each ranked document (corpus index → position in `hits`).
    pub rank: HashMap<u32, usize>,
    /// Documents matching (corpus indices, sorted), when a search is done.
    pub matching: Option<Arc<Vec<u32>>>,
    /// The query's terms, analysed once, for marking hits.
    highlighter: Option<Highlighter>,
    /// Changes with every query (and every search started).
    generation: u64,
    /// The running search's answer, when it comes.
    pending: Option<Receiver<super::worker::Outcome<Answer>>>,
}

/// What [`SearchState::poll`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum SearchUpdate {
    Nothing,
    /// New results are in `hits` / `matching`.
    Results,
}

impl SearchState {
    /// Reads `text`; returns whether a search should run (the caller
    /// starts it when the index is ready).
    pub fn set_text(&mut self, text: String) -> bool {
        self.text = text;
        match parse(&self.text) {
            Ok(query) if query.is_empty() => {
                self.clear_results();
                false
            }
            Ok(query) => {
                self.problem = None;
                self.highlighter = Some(Highlighter::new(&query));
                self.query = Some(query);
                self.generation += 1;
                true
            }
            Err(e) => {
                self.problem = Some(e.to_string());
                false
            }
        }
    }

    /// Forgets the query and its results.
    pub fn clear_results(&mut self) {
        self.query = None;
        self.problem = None;
        self.hits.clear();
        self.rank.clear();
        self.matching = None;
        self.highlighter = None;
        self.pending = None;
        self.generation += 1;
    }

    /// Keeps the results for a changed corpus until the search runs again:
    /// `moved[i]` is where old document `i` is now (`None`: removed). A
    /// search still running is dropped (its answer is in old positions).
    pub fn carry_over(&mut self, moved: &[Option<u32>]) {
        let now = |i: u32| moved.get(i as usize).copied().flatten();
        self.pending = None;
        self.generation += 1;
        self.hits
            .retain_mut(|hit| now(hit.document).map(|i| hit.document = i).is_some());
        self.rank = self
            .hits
            .iter()
            .enumerate()
            .map(|(rank, hit)| (hit.document, rank))
            .collect();
        if let Some(matching) = &self.matching {
            let mut carried: Vec<u32> = matching.iter().filter_map(|&i| now(i)).collect();
            carried.sort_unstable();
            self.matching = Some(Arc::new(carried));
        }
    }

    /// Changes whenever the query does (for caches of its hits).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether results (or a search on its way) narrow the corpus.
    pub fn is_active(&self) -> bool {
        self.query.is_some()
    }

    pub fn is_running(&self) -> bool {
        self.pending.is_some()
    }

    /// Runs the current query against `index` on a `folio-search` thread.
    pub fn start(&mut self, index: &Arc<SearchIndex>, corpus: &Arc<Corpus>) {
        let Some(query) = self.query.clone() else {
            return;
        };
        self.generation += 1;
        // The hits are marked with every name of a searched person or place.
        self.highlighter = Some(Highlighter::new(&crate::index::search::names::expand(
            &query,
            &corpus.authority,
        )));
        let (index, corpus) = (Arc::clone(index), Arc::clone(corpus));
        let spawned = super::worker::run("folio-search", "search", move || {
            index
                .search(&corpus, &query, RANKED)
                .map_err(|e| e.to_string())
        });
        match spawned {
            Ok(receiver) => self.pending = Some(receiver),
            Err(e) => self.problem = Some(format!("cannot start the search: {e}")),
        }
    }

    /// Takes the answer of the running search, if it has come.
    pub fn poll(&mut self) -> SearchUpdate {
        let Some(receiver) = &self.pending else {
            return SearchUpdate::Nothing;
        };
        match receiver.try_recv() {
            Ok(answer) => {
                self.pending = None;
                match answer.and_then(|answer| answer) {
                    Ok((matching, hits)) => {
                        self.rank = hits
                            .iter()
                            .enumerate()
                            .map(|(i, h)| (h.document, i))
                            .collect();
                        self.hits = hits;
                        self.matching = Some(Arc::new(matching));
                        self.problem = None;
                    }
                    Err(reason) => {
                        self.problem = Some(reason);
                        self.hits.clear();
                        self.rank.clear();
                        self.matching = Some(Arc::new(Vec::new()));
                    }
                }
                SearchUpdate::Results
            }
            Err(TryRecvError::Disconnected) => {
                self.pending = None;
                SearchUpdate::Nothing
            }
            Err(TryRecvError::Empty) => SearchUpdate::Nothing,
        }
    }

    /// The ranked hit for document `index`, if it has one.
    pub fn hit(&self, index: u32) -> Option<&Hit> {
        self.rank.get(&index).and_then(|&i| self.hits.get(i))
    }

    /// Hits of the current query in `text` (empty without a query).
    pub fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        self.highlighter
            .as_ref()
            .map(|h| h.hits(text))
            .unwrap_or_default()
    }

    /// Membership of the matching documents, for the facet index.
    pub fn within(&self, documents: usize) -> Option<Arc<Vec<bool>>> {
        let matching = self.matching.as_ref()?;
        let mut member = vec![false; documents];
        for &i in matching.iter() {
            if let Some(m) = member.get_mut(i as usize) {
                *m = true;
            }
        }
        Some(Arc::new(member))
    }
}
