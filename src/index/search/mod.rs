//! Full-text search over every text of a corpus, with tantivy.
//!
//! One index document per corpus document: each text layer in the field of
//! its language ([`analysis::Analysis`]) and again in the script-free
//! folded and sound-key fields; the title and citation likewise; people's
//! names with every variant of their authority entry in `people`. Words
//! of a query must all occur somewhere in the document (in any layer, any
//! script); fielded terms (`author:`, `date:`) become [`Filter`]s, so they
//! mean exactly what the filter panel and the CLI flags mean.
//!
//! [`SearchIndex::search`] returns ranked documents with the layer that
//! matched best and a snippet; [`highlights`] finds the hits in any text
//! with the same analysis, for snippets and for the reader's panes.

pub mod analysis;
pub mod cache;
pub mod names;
pub mod query;
pub mod snippet;

pub use snippet::{Highlighter, highlights, snippet};

use std::collections::HashMap;
use std::hash::{Hash as _, Hasher as _};
use std::ops::{Bound, Range};
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{DocId, Index, IndexReader, ReloadPolicy, Score, TantivyDocument, Term};
use thiserror::Error;

use crate::corpus::Corpus;
use crate::index::filter::Filter;
use crate::model::{Document, LayerKind};
use analysis::{Analysis, FOLDED, NAMES, SOUND, latin, sound_key, terms, words};
pub use query::{Clause, QueryError, SearchQuery, parse};

/// Why the index could not be built or searched.
#[derive(Debug, Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("indexing was cancelled")]
    Cancelled,
}

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
struct Fields {
    /// A hash of the document's id: what updates delete by.
    key: Field,
    /// What the indexed content was made from (see [`index_fingerprint`]).
    fingerprint: Field,
    /// First and last day of the document's date (day numbers; open ends
    /// as the extremes; absent when undated), so that `date:` narrows the
    /// documents before they are scored.
    date_start: Field,
    date_end: Field,
    language: [Field; 5],
    folded: Field,
    sound: Field,
    people: Field,
    people_sound: Field,
}

/// One document found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Index in `Corpus::documents`.
    #[serde(skip)]
    pub document: u32,
    pub id: String,
    pub score: f32,
    /// Where the snippet comes from: a layer kind (`translation`), `title`,
    /// `people` or `citation`.
    pub layer: String,
    /// Index of that layer in `Document::layers`, when it is a layer.
    #[serde(skip)]
    pub layer_index: Option<usize>,
    pub language: Option<String>,
    /// Text around the first hits, with `[` `]` around each hit in the
    /// JSON, and the hit ranges (bytes of `snippet_text`) for the window.
    pub snippet: String,
    #[serde(skip)]
    pub snippet_text: String,
    #[serde(skip)]
    pub snippet_hits: Vec<Range<usize>>,
}

/// The full-text index of one corpus.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Per segment of the current searcher: each index document's place
    /// in `Corpus::documents` (`u32::MAX` for none).
    positions: Arc<HashMap<SegmentId, Arc<Vec<u32>>>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

/// The fields of the index (their names are read back from a cached one).
fn schema() -> Schema {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str, positions: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(if positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                }),
        )
    };
    builder.add_u64_field("key", FAST | INDEXED);
    builder.add_u64_field("fingerprint", FAST);
    builder.add_i64_field("date_start", FAST);
    builder.add_i64_field("date_end", FAST);
    for analysis in Analysis::ALL {
        builder.add_text_field(analysis.field(), text(analysis.field(), true));
    }
    builder.add_text_field("folded", text(FOLDED, true));
    builder.add_text_field("sound", text(SOUND, false));
    builder.add_text_field("people", text(NAMES, true));
    builder.add_text_field("people_sound", text(SOUND, false));
    builder.build()
}

/// Whether every file of the index's segments matches its checksum
/// (tantivy keeps one at the end of each file; damage in any byte shows).
fn checksums_hold(index: &Index) -> bool {
    index
        .validate_checksum()
        .is_ok_and(|damaged| damaged.is_empty())
}

/// What became of an index kept in the cache.
enum Cached {
    /// Opened and brought up to date (this many documents changed).
    Opened(Box<SearchIndex>, usize),
    /// Sound, but most of the corpus changed.
    Stale,
    /// Sound, but cannot be updated now (locked, or the disk is full).
    Busy,
    /// A file is damaged: never served.
    Damaged,
}

/// Memory the index writer may use while building.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;

impl SearchIndex {
    /// Indexes every document of `corpus` in memory. `progress` gets the
    /// number of documents added so far and returns false to cancel.
    pub fn build(corpus: &Corpus, progress: &dyn Fn(usize) -> bool) -> Result<Self, SearchError> {
        let index = Index::create_in_ram(schema());
        Self::fill(index, corpus, progress)
    }

    /// The index of `corpus` kept in `cache`, brought up to date: documents
    /// whose content changed (by [`index_fingerprint`]) are deleted and
    /// added again, removed ones deleted, new ones added. Without a usable
    /// index there, a new one is built in a scratch folder and renamed into
    /// place when complete, so a crash never leaves half an index to be
    /// opened. Falls back to memory when the cache cannot be written (or
    /// another folio is updating it).
    pub fn open_or_build(
        corpus: &Corpus,
        cache: Option<&std::path::Path>,
        progress: &dyn Fn(usize) -> bool,
    ) -> Result<(Self, cache::Origin), SearchError> {
        let Some(cache) = cache else {
            return Ok((Self::build(corpus, progress)?, cache::Origin::Memory));
        };
        let finished = cache.join(cache::current());
        if finished.join(cache::COMPLETE).is_file() {
            match Self::open_cached(&finished, corpus) {
                Cached::Opened(opened, 0) => return Ok((*opened, cache::Origin::Cache)),
                Cached::Opened(opened, changed) => {
                    return Ok((*opened, cache::Origin::Updated(changed)));
                }
                // Most of the corpus changed: building anew is faster.
                Cached::Stale => {}
                // Another folio holds the index: leave it alone.
                Cached::Busy => {
                    return Ok((Self::build(corpus, progress)?, cache::Origin::Memory));
                }
                // Damaged (a checksum, or tantivy stopped on it): never
                // served, built again.
                Cached::Damaged => {
                    let _ = std::fs::remove_dir_all(&finished);
                }
            }
        }
        let scratch = cache.join(format!(
            "building-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let created = std::fs::create_dir_all(&scratch)
            .map_err(|e| e.to_string())
            .and_then(|()| Index::create_in_dir(&scratch, schema()).map_err(|e| e.to_string()));
        let Ok(index) = created else {
            let _ = std::fs::remove_dir_all(&scratch);
            return Ok((Self::build(corpus, progress)?, cache::Origin::Memory));
        };
        let built = match Self::fill(index, corpus, progress) {
            Ok(built) => built,
            Err(SearchError::Cancelled) => {
                let _ = std::fs::remove_dir_all(&scratch);
                return Err(SearchError::Cancelled);
            }
            Err(_) => {
                // A full or failing cache disk: search still works, from
                // an index in memory.
                let _ = std::fs::remove_dir_all(&scratch);
                return Ok((Self::build(corpus, progress)?, cache::Origin::Memory));
            }
        };
        let _ = std::fs::remove_dir_all(&finished);
        let stored = std::fs::write(scratch.join(cache::COMPLETE), cache::current())
            .and_then(|()| std::fs::rename(&scratch, &finished));
        if stored.is_err() {
            // Another folio finished first, or the cache is not writable:
            // this index still serves this session.
            let _ = std::fs::remove_dir_all(&scratch);
            return Ok((built, cache::Origin::Memory));
        }
        cache::remove_others(cache);
        // Reopen from the final place (the scratch path is gone).
        match Index::open_in_dir(&finished)
            .map_err(SearchError::from)
            .and_then(|index| Self::from_index(index, corpus))
        {
            Ok(reopened) => Ok((reopened, cache::Origin::Built)),
            Err(_) => Ok((built, cache::Origin::Built)),
        }
    }

    /// Whether every file of the index kept in `dir` (a finished index
    /// folder of the cache) matches its checksum; timed by `folio bench`.
    pub fn verify_cached(dir: &std::path::Path) -> bool {
        std::panic::catch_unwind(|| Index::open_in_dir(dir).is_ok_and(|i| checksums_hold(&i)))
            .unwrap_or(false)
    }

    /// Opens the index kept in `finished` after verifying every file's
    /// checksum, and brings it up to date; a panic inside tantivy on a
    /// damaged file counts as damage.
    fn open_cached(finished: &std::path::Path, corpus: &Corpus) -> Cached {
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let Ok(index) = Index::open_in_dir(finished) else {
                return Cached::Damaged;
            };
            if !checksums_hold(&index) {
                return Cached::Damaged;
            }
            let Ok(mut opened) = Self::from_index(index, corpus) else {
                return Cached::Damaged;
            };
            match opened.update(corpus) {
                Ok(Some(changed)) => Cached::Opened(Box::new(opened), changed),
                Ok(None) => Cached::Stale,
                // Another folio holds it, or the cache disk cannot be
                // written (full): the index is sound, left alone.
                Err(SearchError::Index(
                    tantivy::TantivyError::LockFailure(..) | tantivy::TantivyError::IoError(_),
                )) => Cached::Busy,
                Err(_) => Cached::Damaged,
            }
        }));
        opened.unwrap_or(Cached::Damaged)
    }

    fn from_index(index: Index, corpus: &Corpus) -> Result<Self, SearchError> {
        for (name, analyzer) in analysis::analyzers() {
            index.tokenizers().register(name, analyzer);
        }
        let schema = index.schema();
        let field = |name: &str| schema.get_field(name).map_err(SearchError::from);
        let mut language = [field(Analysis::ALL[0].field())?; 5];
        for (slot, analysis) in language.iter_mut().zip(Analysis::ALL) {
            *slot = field(analysis.field())?;
        }
        let fields = Fields {
            key: field("key")?,
            fingerprint: field("fingerprint")?,
            date_start: field("date_start")?,
            date_end: field("date_end")?,
            language,
            folded: field("folded")?,
            sound: field("sound")?,
            people: field("people")?,
            people_sound: field("people_sound")?,
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut opened = Self {
            index,
            reader,
            fields,
            positions: Arc::default(),
        };
        opened.map_positions(corpus)?;
        Ok(opened)
    }

    /// Maps each index document of the current searcher to its place in
    /// the corpus, by key.
    fn map_positions(&mut self, corpus: &Corpus) -> Result<(), SearchError> {
        let by_key: HashMap<u64, u32> = corpus
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (document_key(&d.id), i as u32))
            .collect();
        let searcher = self.reader.searcher();
        let mut positions = HashMap::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64("key")?;
            let places: Vec<u32> = (0..segment.max_doc())
                .map(|doc| {
                    column
                        .first(doc)
                        .and_then(|key| by_key.get(&key).copied())
                        .unwrap_or(u32::MAX)
                })
                .collect();
            positions.insert(segment.segment_id(), Arc::new(places));
        }
        self.positions = Arc::new(positions);
        Ok(())
    }

    /// Brings the index up to date with `corpus`; returns how many
    /// documents were deleted or added, or `None` (nothing done) when more
    /// than half the corpus changed and a new index would be faster.
    fn update(&mut self, corpus: &Corpus) -> Result<Option<usize>, SearchError> {
        let searcher = self.reader.searcher();
        let mut indexed: HashMap<u64, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            let keys = segment.fast_fields().u64("key")?;
            let fingerprints = segment.fast_fields().u64("fingerprint")?;
            for doc in 0..segment.max_doc() {
                if segment.is_deleted(doc) {
                    continue;
                }
                if let (Some(key), Some(fingerprint)) = (keys.first(doc), fingerprints.first(doc)) {
                    indexed.insert(key, fingerprint);
                }
            }
        }
        let mut added = Vec::new();
        for (i, document) in corpus.documents.iter().enumerate() {
            let key = document_key(&document.id);
            let fingerprint = index_fingerprint(corpus, i);
            if indexed.remove(&key) != Some(fingerprint) {
                added.push(i);
            }
        }
        // What is left in `indexed` is gone from the corpus.
        let changed = added.len() + indexed.len();
        if changed == 0 {
            return Ok(Some(0));
        }
        if changed > corpus.documents.len() / 2 + 16 {
            return Ok(None);
        }
        let mut writer = self
            .index
            .writer_with_num_threads::<TantivyDocument>(1, 64 * 1024 * 1024)?;
        for key in indexed.keys() {
            writer.delete_term(Term::from_field_u64(self.fields.key, *key));
        }
        for &i in &added {
            if let Some(document) = corpus.documents.get(i) {
                writer.delete_term(Term::from_field_u64(
                    self.fields.key,
                    document_key(&document.id),
                ));
                writer.add_document(index_document(&self.fields, corpus, i, document))?;
            }
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        self.map_positions(corpus)?;
        Ok(Some(changed))
    }

    fn fill(
        index: Index,
        corpus: &Corpus,
        progress: &dyn Fn(usize) -> bool,
    ) -> Result<Self, SearchError> {
        let mut empty = Self::from_index(index, corpus)?;
        let fields = empty.fields;
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(4);
        let mut writer = empty
            .index
            .writer_with_num_threads::<TantivyDocument>(threads, WRITER_MEMORY)?;
        for (i, document) in corpus.documents.iter().enumerate() {
            writer.add_document(index_document(&fields, corpus, i, document))?;
            if i % 1000 == 999 && !progress(i + 1) {
                return Err(SearchError::Cancelled);
            }
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        empty.reader.reload()?;
        empty.map_positions(corpus)?;
        Ok(empty)
    }

    /// Documents matching `query` (all of them, for the facet counts), and
    /// the best `limit` as ranked hits with snippets.
    pub fn search(
        &self,
        corpus: &Corpus,
        query: &SearchQuery,
        limit: usize,
    ) -> Result<(Vec<u32>, Vec<Hit>), SearchError> {
        self.search_with(corpus, query, limit, None)
    }

    /// [`Self::search`] with one more condition (the CLI's filter flags).
    pub fn search_with(
        &self,
        corpus: &Corpus,
        query: &SearchQuery,
        limit: usize,
        extra: Option<&Filter>,
    ) -> Result<(Vec<u32>, Vec<Hit>), SearchError> {
        let filter = Conditions::of(query)?;
        let filtered = !filter.filters.is_empty() || extra.is_some_and(|f| !f.is_empty());
        let keep = |i: u32| {
            !filtered
                || corpus.documents.get(i as usize).is_some_and(|d| {
                    filter.matches(d, corpus)
                        && extra.is_none_or(|f| f.matches(d, &corpus.authority))
                })
        };
        // One pass collects every match with its score: the facets need
        // them all, and with filters the best ones that pass may rank low.
        let query = &names::expand(query, &corpus.authority);
        let searcher = self.reader.searcher();
        let tantivy_query = self.to_tantivy(query)?;
        let mut scored =
            searcher.search(&*tantivy_query, &CorpusMatches(Arc::clone(&self.positions)))?;
        scored.retain(|&(i, _)| keep(i));
        let mut matching: Vec<u32> = scored.iter().map(|&(i, _)| i).collect();
        matching.sort_unstable();
        // The best `limit` by score (ties by corpus order), without sorting
        // all of them.
        let best = |a: &(u32, Score), b: &(u32, Score)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if scored.len() > limit && limit > 0 {
            scored.select_nth_unstable_by(limit - 1, best);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(best);
        // With only filters and no words, rank by corpus order.
        let ranked: Vec<(u32, Score)> = if query.has_text() {
            scored.into_iter().take(limit).collect()
        } else {
            matching.iter().take(limit).map(|&i| (i, 0.0)).collect()
        };
        let highlighter = Highlighter::new(query);
        let hits: Vec<Hit> = ranked
            .into_iter()
            .filter_map(|(i, score)| {
                corpus
                    .documents
                    .get(i as usize)
                    .map(|document| hit(i, document, score, &highlighter))
            })
            .collect();
        Ok((matching, hits))
    }

    fn to_tantivy(&self, query: &SearchQuery) -> Result<Box<dyn Query>, SearchError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for clause in &query.required {
            if let Some(q) = self.clause_query(clause)? {
                clauses.push((Occur::Must, q));
            }
        }
        for clause in &query.excluded {
            if let Some(q) = self.clause_query(clause)? {
                clauses.push((Occur::MustNot, q));
            }
        }
        // The date range as fast-field conditions: only documents whose
        // interval overlaps it are scored (the filter checks them again).
        if let Some(to) = query.to {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(Term::from_field_i64(
                        self.fields.date_start,
                        to.day_number(),
                    )),
                )),
            ));
        }
        if let Some(from) = query.from {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(
                        self.fields.date_end,
                        from.day_number(),
                    )),
                    Bound::Unbounded,
                )),
            ));
        }
        if !clauses.iter().any(|(occur, _)| *occur == Occur::Must) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Any field matching the clause; `None` when it has no searchable text.
    fn clause_query(&self, clause: &Clause) -> Result<Option<Box<dyn Query>>, SearchError> {
        let f = self.fields;
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut add = |query: Box<dyn Query>, boost: f32| {
            alternatives.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
        };
        match clause {
            Clause::AnyOf(names) => {
                for name in names {
                    if let Some(q) = self.clause_query(&Clause::Phrase(name.clone()))? {
                        add(q, 1.0);
                    }
                }
            }
            Clause::Word {
                text,
                prefix: false,
            }
            | Clause::Phrase(text) => {
                for (analysis, field) in Analysis::ALL.iter().zip(f.language) {
                    let mut analyzer = self.analyzer(analysis.field())?;
                    if let Some(q) = sequence(field, &terms(&mut analyzer, text)) {
                        add(q, 1.0);
                    }
                }
                let latin_words: Vec<String> = words(text)
                    .into_iter()
                    .map(|(a, b)| latin(&text[a..b]))
                    .filter(|w| !w.is_empty())
                    .collect();
                if let Some(q) = sequence(f.folded, &latin_words) {
                    add(q, 0.8);
                }
                let names = terms(&mut self.analyzer(NAMES)?, text);
                if let Some(q) = sequence(f.people, &names) {
                    add(q, 1.2);
                }
                if let [single] = latin_words.as_slice() {
                    let key = sound_key(single);
                    if key.chars().count() >= 3 {
                        add(term_query(f.sound, &key), 0.3);
                        add(term_query(f.people_sound, &key), 0.6);
                    }
                }
            }
            Clause::Word { text, prefix: true } => {
                let stem = latin(text);
                if !stem.is_empty() {
                    // Folded terms are letters and digits only: no regex syntax.
                    let pattern = format!("{stem}.*");
                    add(Box::new(RegexQuery::from_pattern(&pattern, f.folded)?), 0.8);
                    add(Box::new(RegexQuery::from_pattern(&pattern, f.people)?), 1.2);
                }
                let lower: String = text
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase)
                    .collect();
                if !lower.is_empty() {
                    for field in f.language {
                        add(
                            Box::new(RegexQuery::from_pattern(&format!("{lower}.*"), field)?),
                            1.0,
                        );
                    }
                }
            }
        }
        Ok((!alternatives.is_empty())
            .then(|| Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>))
    }

    fn analyzer(&self, name: &str) -> Result<tantivy::tokenizer::TextAnalyzer, SearchError> {
        self.index.tokenizers().get(name).ok_or_else(|| {
            SearchError::Index(tantivy::TantivyError::InvalidArgument(format!(
                "no tokenizer {name}"
            )))
        })
    }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// One term, or the terms as a phrase.
fn sequence(field: Field, terms: &[String]) -> Option<Box<dyn Query>> {
    match terms {
        [] => None,
        [one] => Some(term_query(field, one)),
        many => Some(Box::new(PhraseQuery::new(
            many.iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        ))),
    }
}

/// The query's fielded terms as conditions on documents: each `author:`,
/// `archive:` and `lang:` is a [`Filter`] (all must hold); the `kind:`
/// terms are one filter (a document has one kind).
struct Conditions {
    filters: Vec<Filter>,
}

impl Conditions {
    fn of(query: &SearchQuery) -> Result<Self, SearchError> {
        let mut filters = Vec::new();
        if query.from.is_some() || query.to.is_some() {
            filters.push(Filter {
                from: query.from,
                to: query.to,
                ..Filter::default()
            });
        }
        for author in &query.authors {
            let mut filter = Filter::default();
            filter.add_author(author);
            filters.push(filter);
        }
        for archive in &query.archives {
            let mut filter = Filter::default();
            filter
                .set_archive(archive)
                .map_err(|_| QueryError::BadArchive(archive.clone()))?;
            filters.push(filter);
        }
        for language in &query.languages {
            let mut filter = Filter::default();
            filter.add_language(language);
            filters.push(filter);
        }
        if !query.kinds.is_empty() {
            let mut filter = Filter::default();
            for kind in &query.kinds {
                filter.add_kind(kind);
            }
            filters.push(filter);
        }
        Ok(Self { filters })
    }

    fn matches(&self, document: &Document, corpus: &Corpus) -> bool {
        self.filters
            .iter()
            .all(|f| f.matches(document, &corpus.authority))
    }
}

/// The index document of corpus document `i`.
fn index_document(f: &Fields, corpus: &Corpus, i: usize, document: &Document) -> TantivyDocument {
    let mut out = TantivyDocument::default();
    out.add_u64(f.key, document_key(&document.id));
    out.add_u64(f.fingerprint, index_fingerprint(corpus, i));
    if !document.date.is_unknown() {
        let day =
            |d: Option<crate::model::Ymd>, open: i64| d.map_or(open, crate::model::Ymd::day_number);
        out.add_i64(f.date_start, day(document.date.start, i64::MIN));
        out.add_i64(f.date_end, day(document.date.end, i64::MAX));
    }
    let mut add_text = |language: Option<&str>, text: &str| {
        let language = language
            .map(str::to_owned)
            .or_else(|| crate::text::guess_language(text).map(str::to_owned));
        let analysis = language
            .as_deref()
            .map_or(Analysis::Other, Analysis::for_language);
        let field = f.language[Analysis::ALL
            .iter()
            .position(|a| *a == analysis)
            .unwrap_or(4)];
        out.add_text(field, text);
        out.add_text(f.folded, text);
        out.add_text(f.sound, text);
    };
    add_text(None, &document.title);
    if let Some(citation) = &document.citation {
        add_text(None, citation);
    }
    for layer in &document.layers {
        add_text(layer.language.as_deref(), &layer.text);
    }
    for person in &document.people {
        let mut names = vec![person.name.clone()];
        names.extend(person.aliases.iter().cloned());
        if let Some(entry) = person
            .authority
            .as_deref()
            .and_then(|id| corpus.authority.person_by_id(id))
        {
            names.push(entry.name.clone());
            names.extend(entry.variants.iter().cloned());
        }
        for name in names {
            out.add_text(f.people, &name);
            out.add_text(f.people_sound, &name);
        }
    }
    out
}

/// The key of a document in the index: a hash of its id (ids are unique
/// in a corpus).
fn document_key(id: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// A hash of everything [`index_document`] reads for document `i`: its
/// parsed content (`Corpus::fingerprints`), its id, and the names of the
/// authority entries its people are linked to; plus the index version.
fn index_fingerprint(corpus: &Corpus, i: usize) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    cache::INDEX_VERSION.hash(&mut hasher);
    corpus.fingerprints.get(i).hash(&mut hasher);
    if let Some(document) = corpus.documents.get(i) {
        document.id.hash(&mut hasher);
        for person in &document.people {
            if let Some(entry) = person
                .authority
                .as_deref()
                .and_then(|id| corpus.authority.person_by_id(id))
            {
                entry.name.hash(&mut hasher);
                entry.variants.hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}

/// The hit for document `i`: the text with the most highlights (a
/// layer, the title, the people or the citation) gives the snippet.
fn hit(i: u32, document: &Document, score: Score, highlighter: &Highlighter) -> Hit {
    struct Candidate<'a> {
        layer_index: Option<usize>,
        name: String,
        language: Option<String>,
        text: &'a str,
    }
    let people = document
        .people
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut candidates = vec![Candidate {
        layer_index: None,
        name: "title".into(),
        language: None,
        text: &document.title,
    }];
    for (index, layer) in document.layers.iter().enumerate() {
        candidates.push(Candidate {
            layer_index: Some(index),
            name: layer.kind.as_str().to_owned(),
            language: layer.language.clone(),
            text: &layer.text,
        });
    }
    candidates.push(Candidate {
        layer_index: None,
        name: "people".into(),
        language: None,
        text: &people,
    });
    if let Some(citation) = &document.citation {
        candidates.push(Candidate {
            layer_index: None,
            name: "citation".into(),
            language: None,
            text: citation,
        });
    }
    let mut best: Option<(Candidate<'_>, Vec<Range<usize>>)> = None;
    for candidate in candidates {
        let hits = highlighter.hits(candidate.text);
        if !hits.is_empty() && best.as_ref().is_none_or(|(_, h)| hits.len() > h.len()) {
            best = Some((candidate, hits));
        }
    }
    // Nothing to highlight (found through an authority variant, say): the
    // summary or the start of the first text.
    let (candidate, hits) = best.unwrap_or_else(|| {
        let layer = document
            .layers
            .iter()
            .position(|l| l.kind == LayerKind::Summary)
            .or(if document.layers.is_empty() {
                None
            } else {
                Some(0)
            });
        let candidate = match layer.and_then(|i| document.layers.get(i).map(|l| (i, l))) {
            Some((i, l)) => Candidate {
                layer_index: Some(i),
                name: l.kind.as_str().to_owned(),
                language: l.language.clone(),
                text: &l.text,
            },
            None => Candidate {
                layer_index: None,
                name: "title".into(),
                language: None,
                text: &document.title,
            },
        };
        (candidate, Vec::new())
    });
    let (snippet_text, snippet_hits) = snippet(candidate.text, &hits, 220);
    let mut marked = String::with_capacity(snippet_text.len() + 8);
    let mut at = 0;
    for range in &snippet_hits {
        marked.push_str(&snippet_text[at..range.start]);
        marked.push('[');
        marked.push_str(&snippet_text[range.clone()]);
        marked.push(']');
        at = range.end;
    }
    marked.push_str(&snippet_text[at..]);
    Hit {
        document: i,
        id: document.id.clone(),
        score,
        layer: candidate.name,
        layer_index: candidate.layer_index,
        language: candidate.language,
        snippet: marked,
        snippet_text,
        snippet_hits,
    }
}

/// Collects the corpus index of every matching document.
/// Collects every matching document's corpus place with its score.
struct CorpusMatches(Arc<HashMap<SegmentId, Arc<Vec<u32>>>>);

struct CorpusMatchesSegment {
    places: Arc<Vec<u32>>,
    out: Vec<(u32, Score)>,
}

impl Collector for CorpusMatches {
    type Fruit = Vec<(u32, Score)>;
    type Child = CorpusMatchesSegment;

    fn for_segment(
        &self,
        _segment: u32,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<CorpusMatchesSegment> {
        Ok(CorpusMatchesSegment {
            places: self
                .0
                .get(&reader.segment_id())
                .cloned()
                .unwrap_or_default(),
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u32, Score)>>) -> tantivy::Result<Vec<(u32, Score)>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for CorpusMatchesSegment {
    type Fruit = Vec<(u32, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        // Index documents of files no longer in the corpus map to MAX.
        if let Some(&place) = self.places.get(doc as usize)
            && place != u32::MAX
        {
            self.out.push((place, score));
        }
    }

    fn harvest(self) -> Vec<(u32, Score)> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_cross_script() {
        let q = parse("Сталин").unwrap_or_default();
        let text = "request you pass to the leader of the Soviet Union, Mr. Stalin, greetings";
        let hits: Vec<&str> = highlights(&q, text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(hits, ["Stalin"]);
    }

    #[test]
    fn highlights_other_forms_of_a_word() {
        let marked = |query: &str, text: &'static str| -> Vec<&'static str> {
            let q = parse(query).unwrap_or_default();
            highlights(&q, text).into_iter().map(|r| &text[r]).collect()
        };
        assert_eq!(
            marked("greetings", "We send greeting and Greetings; agreed."),
            ["greeting", "Greetings"]
        );
        assert_eq!(
            marked("Сталину", "Письмо Сталина и Сталину, не стали."),
            ["Сталина", "Сталину"]
        );
        assert_eq!(marked("Tore", "Тюря wrote to the store"), ["Тюря"]);
    }
}
