//! Facets: the counts beside each filter (documents per year, per author,
//! per archive node, per language, per kind) for the current selection.
//!
//! [`FacetIndex::build`] turns a corpus into compact per-document columns
//! once (value ids in flat arrays, no strings on the hot path).
//! [`FacetIndex::select`] then answers a [`Filter`] in one pass: each
//! document gets a bit mask of the filters it fails; it matches when the
//! mask is zero, and it counts towards a facet when it fails no filter but
//! that facet's own (so choosing an author still shows the other authors'
//! counts). Authors merge by authority entry, so name variants in any
//! script are one facet value.

use std::collections::HashMap;
use std::sync::Arc;

mod chosen;

pub use chosen::Chosen;

use crate::authority::Authority;
use crate::corpus::Corpus;
use crate::index::filter::Filter;
use crate::model::{LayerKind, Precision, Role, Ymd};
use crate::text::{fold, primary_subtag};

/// Interned strings of one facet.
#[derive(Debug, Default, Clone)]
pub struct Dictionary {
    labels: Vec<String>,
    /// Every name of each value, folded once, for type-to-narrow.
    search: Vec<Vec<String>>,
    ids: HashMap<String, u32>,
}

impl Dictionary {
    /// The id of `key`, added with `label` when new.
    fn intern(&mut self, key: String, label: &str) -> u32 {
        self.intern_with_names(key, label, std::iter::empty())
    }

    /// Like [`Self::intern`], with more names the value is found by
    /// (an authority entry's variants).
    fn intern_with_names<'a>(
        &mut self,
        key: String,
        label: &str,
        names: impl Iterator<Item = &'a str>,
    ) -> u32 {
        if let Some(&id) = self.ids.get(&key) {
            let known = &mut self.search[id as usize];
            for name in names.map(fold) {
                if !known.contains(&name) {
                    known.push(name);
                }
            }
            return id;
        }
        let id = self.labels.len() as u32;
        let mut search = vec![fold(label)];
        search.extend(names.map(fold));
        self.labels.push(label.to_owned());
        self.search.push(search);
        self.ids.insert(key, id);
        id
    }

    pub fn label(&self, id: u32) -> &str {
        self.labels.get(id as usize).map_or("", String::as_str)
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Whether one of the value's names contains `folded_needle` (already
    /// folded with [`fold`]).
    pub fn matches(&self, id: u32, folded_needle: &str) -> bool {
        self.search
            .get(id as usize)
            .is_some_and(|names| names.iter().any(|n| n.contains(folded_needle)))
    }

    /// The id of the value keyed `key`.
    pub fn id(&self, key: &str) -> Option<u32> {
        self.ids.get(key).copied()
    }

    /// The key of value `id` (what a [`Filter`] holds).
    pub fn key(&self, id: u32) -> Option<&str> {
        self.ids
            .iter()
            .find(|&(_, &value)| value == id)
            .map(|(key, _)| key.as_str())
    }

    /// Every name of value `id`, folded.
    pub fn names(&self, id: u32) -> &[String] {
        self.search.get(id as usize).map_or(&[], Vec::as_slice)
    }

    /// Ids one of whose names contains `needle` after folding (type-to-narrow).
    pub fn find(&self, needle: &str) -> Vec<u32> {
        let needle = fold(needle);
        (0..self.labels.len() as u32)
            .filter(|&id| self.matches(id, &needle))
            .collect()
    }
}

/// Several values per document, stored flat.
#[derive(Debug, Default, Clone)]
struct MultiColumn {
    offsets: Vec<u32>,
    values: Vec<u32>,
}

impl MultiColumn {
    fn push(&mut self, values: impl IntoIterator<Item = u32>) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        for v in values {
            if !self.values[*self.offsets.last().unwrap_or(&0) as usize..].contains(&v) {
                self.values.push(v);
            }
        }
        self.offsets.push(self.values.len() as u32);
    }

    fn get(&self, doc: usize) -> &[u32] {
        match (self.offsets.get(doc), self.offsets.get(doc + 1)) {
            (Some(&a), Some(&b)) => &self.values[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// A node of the archive tree: repository → fond → opis → (papka) → delo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveNode {
    pub label: String,
    pub parent: Option<u32>,
    pub depth: u8,
}

/// Adds a document dated `start..=end` (day numbers) to the span
/// coverage when it is wider than one month (and one year).
fn count_span(start: i64, end: i64, counts: &mut Counts<'_>) {
    let years = counts.years.len() as i64;
    if years == 0 || start == i64::MIN && end == i64::MAX {
        return;
    }
    let first = i64::from(counts.first_year);
    let clamp_day = |day: i64, fallback: i64| {
        if day == i64::MIN || day == i64::MAX {
            fallback
        } else {
            day
        }
    };
    let first_day = Ymd::first_of_year(counts.first_year).day_number();
    let last_day = Ymd::last_of_year(counts.first_year + years as i32 - 1).day_number();
    let (a, b) = (
        Ymd::from_day_number(clamp_day(start, first_day).max(first_day)),
        Ymd::from_day_number(clamp_day(end, last_day).min(last_day)),
    );
    if a.day_number() > b.day_number() {
        return;
    }
    let month_index = |d: Ymd| (i64::from(d.year) - first) * 12 + i64::from(d.month) - 1;
    let (ma, mb) = (month_index(a), month_index(b));
    if ma != mb {
        counts.month_spans[ma as usize] += 1;
        counts.month_spans[(mb + 1) as usize] -= 1;
    }
    let (ya, yb) = (i64::from(a.year) - first, i64::from(b.year) - first);
    if ya != yb {
        counts.year_spans[ya as usize] += 1;
        counts.year_spans[(yb + 1) as usize] -= 1;
    }
}

/// Where [`FacetIndex::count`] adds up, during one `select`.
struct Counts<'a> {
    selection: &'a mut Selection,
    years: &'a mut [u32],
    months: &'a mut [u32],
    /// Difference arrays of span coverage (one longer than the bins).
    year_spans: &'a mut [i32],
    month_spans: &'a mut [i32],
    first_year: i32,
}

/// Per-document columns for every facet.
#[derive(Debug, Default, Clone)]
pub struct FacetIndex {
    /// Day numbers of each document's interval; `None` when undated.
    dates: Vec<Option<(i64, i64)>>,
    years: Vec<Option<i32>>,
    /// Month of the start (0–11) for dates known to the month or day.
    months: Vec<Option<u8>>,
    /// The first and last year of any document.
    year_span: Option<(i32, i32)>,
    authors: MultiColumn,
    recipients: MultiColumn,
    /// The deepest archive node of each document (its path runs up the parents).
    archive: Vec<Option<u32>>,
    /// Each document's archive node and all its ancestors, flat, so that
    /// counting and subtree tests need no pointer chasing.
    archive_paths: MultiColumn,
    original_language: Vec<Option<u32>>,
    layer_languages: MultiColumn,
    kinds: Vec<Option<u32>>,
    pub people: Dictionary,
    pub languages: Dictionary,
    pub kind_names: Dictionary,
    pub archive_nodes: Vec<ArchiveNode>,
    /// Children of each archive node, and the repositories (roots).
    pub archive_children: Vec<Vec<u32>>,
    pub archive_roots: Vec<u32>,
    node_ids: HashMap<(Option<u32>, String), u32>,
}

/// The facet index and the sort orders of `corpus`, built side by side on
/// two threads (what a window needs before it can show the corpus).
pub fn build_with_orders(corpus: &Corpus) -> (FacetIndex, crate::index::order::SortOrders) {
    std::thread::scope(|scope| {
        let orders = std::thread::Builder::new()
            .name("folio-orders".into())
            .spawn_scoped(scope, || crate::index::order::SortOrders::build(corpus));
        let index = FacetIndex::build(corpus);
        let orders = match orders.map(std::thread::ScopedJoinHandle::join) {
            Ok(Ok(orders)) => orders,
            _ => crate::index::order::SortOrders::build(corpus),
        };
        (index, orders)
    })
}

/// Documents a selection is limited to besides its [`Filter`]: a
/// search's matches and the user's marks (tags, notes, bookmarks), by
/// corpus index. Every count follows them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scope {
    pub within: Option<Arc<Vec<bool>>>,
    pub marks: Option<Arc<Vec<bool>>>,
}

impl Scope {
    fn excludes(&self, doc: usize) -> bool {
        let out = |set: &Option<Arc<Vec<bool>>>| {
            set.as_deref()
                .is_some_and(|s| !s.get(doc).copied().unwrap_or(false))
        };
        out(&self.within) || out(&self.marks)
    }
}

/// The facets a document can fail, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Facet {
    Date = 0,
    Author,
    Recipient,
    Archive,
    Original,
    Layer,
    Kind,
}

const ALL_FACETS: [Facet; 7] = [
    Facet::Date,
    Facet::Author,
    Facet::Recipient,
    Facet::Archive,
    Facet::Original,
    Facet::Layer,
    Facet::Kind,
];

fn bit(facet: Facet) -> u8 {
    1 << facet as u8
}

/// The bit of a condition no panel counts (`--lang`, `lang:`: the original
/// or any layer): a document failing it counts nowhere.
const UNCOUNTED: u8 = 1 << 7;

/// What a query selects, with the counts of every facet.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Indices into `Corpus::documents` of the matching documents, in corpus order.
    pub documents: Vec<u32>,
    /// Documents per start year, for the timeline (year, count), ascending.
    pub years: Vec<(i32, u32)>,
    /// Documents per start month (year, month 1–12, count), ascending,
    /// for dates known to the month or day.
    pub months: Vec<(i32, u8, u32)>,
    /// Documents whose date is a span of more than one year (a range, a
    /// decade, an uncertain interval), as the number of them covering each
    /// year: (year, count), ascending, for years of the timeline.
    pub year_spans: Vec<(i32, u32)>,
    /// The same by month, for dates wider than one month (years, seasons,
    /// ranges), which the month bars leave out.
    pub month_spans: Vec<(i32, u8, u32)>,
    pub undated: u32,
    /// Counts by id (index = id of the facet's dictionary or node list).
    pub authors: Vec<u32>,
    pub recipients: Vec<u32>,
    pub archive_nodes: Vec<u32>,
    pub original_languages: Vec<u32>,
    pub layer_languages: Vec<u32>,
    pub kinds: Vec<u32>,
}

impl FacetIndex {
    /// Builds the columns of `corpus`.
    pub fn build(corpus: &Corpus) -> Self {
        let mut index = Self::default();
        // Names and archive labels repeat across documents: each is folded
        // once, then found by its written form.
        let mut people_seen: HashMap<(&str, Option<&str>), u32> = HashMap::new();
        let mut nodes_seen: HashMap<(Option<u32>, String), u32> = HashMap::new();
        let authority = &corpus.authority;
        for doc in &corpus.documents {
            index.dates.push(match (doc.date.start, doc.date.end) {
                (None, None) => None,
                (start, end) => Some((
                    start.map_or(i64::MIN, Ymd::day_number),
                    end.map_or(i64::MAX, Ymd::day_number),
                )),
            });
            let year = doc.date.start.or(doc.date.end).map(|d| d.year);
            if let Some(y) = year {
                let span = index
                    .year_span
                    .map_or((y, y), |(a, b)| (a.min(y), b.max(y)));
                index.year_span = Some(span);
            }
            index.years.push(year);
            let month = matches!(doc.date.precision, Precision::Day | Precision::Month)
                .then(|| doc.date.start.map(|d| d.month.saturating_sub(1).min(11)))
                .flatten();
            index.months.push(month);
            let authors: Vec<u32> = doc
                .people_with(Role::Author)
                .map(|p| index.person_id_cached(p, authority, &mut people_seen))
                .collect();
            index.authors.push(authors);
            let recipients: Vec<u32> = doc
                .people_with(Role::Recipient)
                .map(|p| index.person_id_cached(p, authority, &mut people_seen))
                .collect();
            index.recipients.push(recipients);
            let node = doc.archive.as_ref().map(|a| {
                let mut parent = None;
                for (depth, label) in a.tree_path().into_iter().enumerate() {
                    let id = *nodes_seen
                        .entry((parent, label))
                        .or_insert_with_key(|(_, label)| index.node(parent, label, depth as u8));
                    parent = Some(id);
                }
                parent
            });
            let node = node.flatten();
            index.archive.push(node);
            let path = node.map(|n| index.node_path(n)).unwrap_or_default();
            index.archive_paths.push(path);
            let original = doc
                .original_language
                .as_deref()
                .map(|l| index.language_id(l));
            index.original_language.push(original);
            let layers: Vec<u32> = doc
                .layers
                .iter()
                .filter(|l| l.kind != LayerKind::Summary)
                .filter_map(|l| l.language.as_deref())
                .map(|l| index.language_id(l))
                .collect();
            index.layer_languages.push(layers);
            let kind = doc
                .kind
                .as_deref()
                .map(|k| index.kind_names.intern(k.to_lowercase(), k));
            index.kinds.push(kind);
        }
        index
    }

    /// [`Self::person_id`], remembered by the name and entry as written.
    fn person_id_cached<'a>(
        &mut self,
        person: &'a crate::model::Person,
        authority: &Authority,
        seen: &mut HashMap<(&'a str, Option<&'a str>), u32>,
    ) -> u32 {
        *seen
            .entry((person.name.as_str(), person.authority.as_deref()))
            .or_insert_with(|| self.person_id(person, authority))
    }

    fn person_id(&mut self, person: &crate::model::Person, authority: &Authority) -> u32 {
        let entry = person
            .authority
            .as_deref()
            .and_then(|id| authority.person_by_id(id));
        match entry {
            Some(entry) => {
                self.people
                    .intern_with_names(format!("@{}", entry.id), &entry.name, entry.names())
            }
            None => self
                .people
                .intern_with_names(fold(&person.name), &person.name, person.names()),
        }
    }

    fn language_id(&mut self, tag: &str) -> u32 {
        let primary = primary_subtag(tag).to_ascii_lowercase();
        self.languages.intern(primary.clone(), &primary)
    }

    fn node(&mut self, parent: Option<u32>, label: &str, depth: u8) -> u32 {
        let key = (parent, fold(label).replace(' ', ""));
        if let Some(&id) = self.node_ids.get(&key) {
            return id;
        }
        let id = self.archive_nodes.len() as u32;
        self.archive_nodes.push(ArchiveNode {
            label: label.to_owned(),
            parent,
            depth,
        });
        self.node_ids.insert(key, id);
        self.archive_children.push(Vec::new());
        match parent {
            Some(p) => self.archive_children[p as usize].push(id),
            None => self.archive_roots.push(id),
        }
        id
    }

    pub fn len(&self) -> usize {
        self.dates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// The archive node path of a node, root first.
    pub fn node_path(&self, node: u32) -> Vec<u32> {
        let mut path = vec![node];
        let mut current = node;
        while let Some(parent) = self
            .archive_nodes
            .get(current as usize)
            .and_then(|n| n.parent)
        {
            path.push(parent);
            current = parent;
        }
        path.reverse();
        path
    }

    /// The filters document `doc` fails, as a bit mask.
    fn failures(&self, doc: usize, chosen: &Chosen) -> u8 {
        let mut mask = 0;
        if let Some((from, to)) = chosen.date_bounds {
            let ok = match self.dates[doc] {
                Some((start, end)) => start <= to && end >= from,
                None => chosen.include_undated,
            };
            if !ok {
                mask |= bit(Facet::Date);
            }
        }
        let any = |wanted: &Option<Vec<u32>>, have: &[u32]| {
            wanted
                .as_ref()
                .is_none_or(|w| have.iter().any(|v| w.contains(v)))
        };
        let one = |wanted: &Option<Vec<u32>>, have: Option<u32>| {
            wanted
                .as_ref()
                .is_none_or(|w| have.is_some_and(|v| w.contains(&v)))
        };
        if !any(&chosen.authors, self.authors.get(doc)) {
            mask |= bit(Facet::Author);
        }
        if !any(&chosen.recipients, self.recipients.get(doc)) {
            mask |= bit(Facet::Recipient);
        }
        if !any(&chosen.archive, self.archive_paths.get(doc)) {
            mask |= bit(Facet::Archive);
        }
        if !one(&chosen.original_languages, self.original_language[doc]) {
            mask |= bit(Facet::Original);
        }
        if !any(&chosen.layer_languages, self.layer_languages.get(doc)) {
            mask |= bit(Facet::Layer);
        }
        if !one(&chosen.kinds, self.kinds[doc]) {
            mask |= bit(Facet::Kind);
        }
        if !one(&chosen.languages, self.original_language[doc])
            && !any(&chosen.languages, self.layer_languages.get(doc))
        {
            mask |= UNCOUNTED;
        }
        mask
    }

    /// Adds document `doc` to the counts of `facet`.
    #[inline]
    fn count(&self, doc: usize, facet: Facet, counts: &mut Counts<'_>) {
        let selection = &mut *counts.selection;
        match facet {
            Facet::Date => {
                match self.years[doc] {
                    Some(year) => {
                        let offset = (year - counts.first_year) as usize;
                        counts.years[offset] += 1;
                        if let Some(month) = self.months[doc] {
                            counts.months[offset * 12 + usize::from(month)] += 1;
                        }
                    }
                    None => selection.undated += 1,
                }
                if let Some((start, end)) = self.dates[doc] {
                    count_span(start, end, counts);
                }
            }
            Facet::Author => {
                for &v in self.authors.get(doc) {
                    selection.authors[v as usize] += 1;
                }
            }
            Facet::Recipient => {
                for &v in self.recipients.get(doc) {
                    selection.recipients[v as usize] += 1;
                }
            }
            Facet::Archive => {
                for &n in self.archive_paths.get(doc) {
                    selection.archive_nodes[n as usize] += 1;
                }
            }
            Facet::Original => {
                if let Some(v) = self.original_language[doc] {
                    selection.original_languages[v as usize] += 1;
                }
            }
            Facet::Layer => {
                for &v in self.layer_languages.get(doc) {
                    selection.layer_languages[v as usize] += 1;
                }
            }
            Facet::Kind => {
                if let Some(v) = self.kinds[doc] {
                    selection.kinds[v as usize] += 1;
                }
            }
        }
    }

    /// The documents in `scope` matching `filter` and the counts of every
    /// facet, each counted with all filters but its own.
    pub fn select(&self, filter: &Filter, scope: &Scope) -> Selection {
        let chosen = self.chosen(filter);
        let mut selection = Selection {
            authors: vec![0; self.people.len()],
            recipients: vec![0; self.people.len()],
            archive_nodes: vec![0; self.archive_nodes.len()],
            original_languages: vec![0; self.languages.len()],
            layer_languages: vec![0; self.languages.len()],
            kinds: vec![0; self.kind_names.len()],
            ..Selection::default()
        };
        let first_year = self.year_span.map_or(0, |(first, _)| first);
        let year_count = self
            .year_span
            .map_or(0, |(first, last)| (last - first + 1) as usize);
        let mut years = vec![0u32; year_count];
        let mut months = vec![0u32; year_count * 12];
        selection.documents.reserve(self.len());
        let filtered = !filter.is_empty();
        let mut year_spans = vec![0i32; year_count + 1];
        let mut month_spans = vec![0i32; year_count * 12 + 1];
        let mut counts = Counts {
            selection: &mut selection,
            years: &mut years,
            months: &mut months,
            year_spans: &mut year_spans,
            month_spans: &mut month_spans,
            first_year,
        };
        for doc in 0..self.len() {
            if scope.excludes(doc) {
                continue;
            }
            let mask = if filtered {
                self.failures(doc, &chosen)
            } else {
                0
            };
            if mask == 0 {
                counts.selection.documents.push(doc as u32);
                for facet in ALL_FACETS {
                    self.count(doc, facet, &mut counts);
                }
            } else if mask.is_power_of_two()
                && let Some(&facet) = ALL_FACETS.get(mask.trailing_zeros() as usize)
            {
                // Failing only facet F: it still counts towards F, whose
                // counts ignore F's own filter.
                self.count(doc, facet, &mut counts);
            }
        }
        selection.months = months
            .into_iter()
            .enumerate()
            .filter(|(_, count)| *count > 0)
            .map(|(i, count)| (first_year + (i / 12) as i32, (i % 12) as u8 + 1, count))
            .collect();
        selection.years = years
            .into_iter()
            .enumerate()
            .filter(|(_, count)| *count > 0)
            .map(|(offset, count)| (first_year + offset as i32, count))
            .collect();
        let running = |diffs: Vec<i32>| {
            diffs
                .into_iter()
                .scan(0i32, |sum, d| {
                    *sum += d;
                    Some((*sum).max(0) as u32)
                })
                .enumerate()
                .filter(|(_, count)| *count > 0)
                .collect::<Vec<_>>()
        };
        selection.year_spans = running(year_spans)
            .into_iter()
            .filter(|(offset, _)| *offset < year_count)
            .map(|(offset, count)| (first_year + offset as i32, count))
            .collect();
        selection.month_spans = running(month_spans)
            .into_iter()
            .filter(|(i, _)| *i < year_count * 12)
            .map(|(i, count)| (first_year + (i / 12) as i32, (i % 12) as u8 + 1, count))
            .collect();
        selection
    }
}

/// What the timeline's bars are coloured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    #[default]
    Nothing,
    /// The document's first author.
    Author,
    /// The document's repository (archive tree root).
    Archive,
}

/// Bars split by group: the most frequent groups of the selection, the
/// rest together as "other" (last), each with its documents per start
/// year and per start month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stacks {
    pub by: GroupBy,
    pub labels: Vec<String>,
    /// Per group: (year, count), ascending.
    pub years: Vec<Vec<(i32, u32)>>,
    /// Per group: (year, month 1–12, count), ascending.
    pub months: Vec<Vec<(i32, u8, u32)>>,
}

impl FacetIndex {
    /// The dated documents among `documents` split into the `top` largest
    /// groups of `by` (and "other").
    pub fn stacks(&self, documents: &[u32], by: GroupBy, top: usize) -> Stacks {
        let group_of = |doc: usize| -> Option<u32> {
            match by {
                GroupBy::Nothing => None,
                GroupBy::Author => self.authors.get(doc).first().copied(),
                GroupBy::Archive => self.archive_paths.get(doc).iter().copied().find(|&n| {
                    self.archive_nodes
                        .get(n as usize)
                        .is_some_and(|node| node.parent.is_none())
                }),
            }
        };
        let mut sizes: HashMap<Option<u32>, u32> = HashMap::new();
        for &doc in documents {
            if self.years.get(doc as usize).copied().flatten().is_some() {
                *sizes.entry(group_of(doc as usize)).or_insert(0) += 1;
            }
        }
        let mut ranked: Vec<(Option<u32>, u32)> =
            sizes.into_iter().filter(|(g, _)| g.is_some()).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(top);
        let label = |g: u32| match by {
            GroupBy::Archive => self
                .archive_nodes
                .get(g as usize)
                .map_or_else(String::new, |n| n.label.clone()),
            _ => self.people.label(g).to_owned(),
        };
        let mut labels: Vec<String> = ranked.iter().filter_map(|(g, _)| g.map(label)).collect();
        let other = labels.len();
        labels.push(match by {
            GroupBy::Author => "other or no author".to_owned(),
            GroupBy::Archive => "other or no archive".to_owned(),
            GroupBy::Nothing => "all".to_owned(),
        });
        let slot: HashMap<u32, usize> = ranked
            .iter()
            .enumerate()
            .filter_map(|(i, (g, _))| g.map(|g| (g, i)))
            .collect();
        let mut years: Vec<HashMap<i32, u32>> = vec![HashMap::new(); labels.len()];
        let mut months: Vec<HashMap<(i32, u8), u32>> = vec![HashMap::new(); labels.len()];
        for &doc in documents {
            let doc = doc as usize;
            let Some(year) = self.years.get(doc).copied().flatten() else {
                continue;
            };
            let group = group_of(doc)
                .and_then(|g| slot.get(&g).copied())
                .unwrap_or(other);
            *years[group].entry(year).or_insert(0) += 1;
            if let Some(month) = self.months.get(doc).copied().flatten() {
                *months[group].entry((year, month + 1)).or_insert(0) += 1;
            }
        }
        Stacks {
            by,
            labels,
            years: years
                .into_iter()
                .map(|m| {
                    let mut v: Vec<(i32, u32)> = m.into_iter().collect();
                    v.sort_unstable();
                    v
                })
                .collect(),
            months: months
                .into_iter()
                .map(|m| {
                    let mut v: Vec<(i32, u8, u32)> =
                        m.into_iter().map(|((y, mo), n)| (y, mo, n)).collect();
                    v.sort_unstable();
                    v
                })
                .collect(),
        }
    }
}

/// The facet index and sort orders as bytes, stored with the corpus
/// snapshot so that an unchanged corpus does not rebuild them.
pub fn encode_views(index: &FacetIndex, orders: &crate::index::order::SortOrders) -> Vec<u8> {
    let mut w = crate::cache::codec::Writer::default();
    w.put(&VIEWS_VERSION);
    w.put(index);
    w.put(orders);
    w.bytes
}

/// The facet index and sort orders of `corpus`: decoded from `stored`
/// (what [`encode_views`] wrote into the snapshot of this very corpus)
/// when it is there and readable, else built. Says which.
pub fn views_for(
    corpus: &Corpus,
    stored: Option<&[u8]>,
) -> ((FacetIndex, crate::index::order::SortOrders), bool) {
    match stored.and_then(decode_views) {
        Some(views) => (views, true),
        None => (build_with_orders(corpus), false),
    }
}

/// Reads what [`encode_views`] wrote; `None` if it is from another
/// version or damaged (the caller then builds them).
pub fn decode_views(bytes: &[u8]) -> Option<(FacetIndex, crate::index::order::SortOrders)> {
    let mut r = crate::cache::codec::Reader::new(bytes);
    if r.get::<u64>().ok()? != VIEWS_VERSION {
        return None;
    }
    let index = r.get().ok()?;
    let orders = r.get().ok()?;
    r.is_empty().then_some((index, orders))
}

/// Bumped when the facet index or sort orders change shape or meaning.
const VIEWS_VERSION: u64 = 1;

mod encoding;
