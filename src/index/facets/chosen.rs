//! A [`Filter`] read against one facet index: its values as the ids of
//! that index. [`super::FacetIndex::select`] tests documents with it; the
//! panels tick what it holds.

use super::FacetIndex;
use crate::index::filter::{Filter, Who, language_key, name_matches};
use crate::model::{ArchivePrefix, Ymd};
use crate::text::fold;

/// A filter's values as ids of one index. `None` filters nothing; an
/// empty list (values this corpus does not have) keeps no document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chosen {
    /// Day numbers of the date bounds, when one is set.
    pub date_bounds: Option<(i64, i64)>,
    pub include_undated: bool,
    pub authors: Option<Vec<u32>>,
    pub recipients: Option<Vec<u32>>,
    /// The archive node the filter's subtree starts at.
    pub archive: Option<Vec<u32>>,
    pub languages: Option<Vec<u32>>,
    pub original_languages: Option<Vec<u32>>,
    pub layer_languages: Option<Vec<u32>>,
    pub kinds: Option<Vec<u32>>,
}

impl Chosen {
    /// The ids of one list, empty when it filters nothing (what a panel ticks).
    pub fn ticked(list: &Option<Vec<u32>>) -> &[u32] {
        list.as_deref().unwrap_or(&[])
    }

    /// The archive node the filter names, if it names one here.
    pub fn archive_node(&self) -> Option<u32> {
        self.archive
            .as_ref()
            .and_then(|nodes| nodes.first().copied())
    }
}

impl FacetIndex {
    /// `filter` read against this index.
    pub fn chosen(&self, filter: &Filter) -> Chosen {
        let list = |values: &[String], find: &dyn Fn(&str) -> Option<u32>| {
            (!values.is_empty()).then(|| values.iter().filter_map(|v| find(v)).collect())
        };
        let language = |key: &str| self.languages.id(&language_key(key));
        Chosen {
            date_bounds: filter.has_dates().then(|| {
                (
                    filter.from.map_or(i64::MIN, Ymd::day_number),
                    filter.to.map_or(i64::MAX, Ymd::day_number),
                )
            }),
            include_undated: filter.include_undated,
            authors: self.people_named(&filter.authors),
            recipients: self.people_named(&filter.recipients),
            archive: filter.archive.as_ref().map(|p| self.archive_nodes_of(p)),
            languages: list(&filter.languages, &language),
            original_languages: list(&filter.original_languages, &language),
            layer_languages: list(&filter.layer_languages, &language),
            kinds: list(&filter.kinds, &|kind| {
                (0..self.kind_names.len() as u32)
                    .find(|&id| fold(self.kind_names.label(id)) == kind)
            }),
        }
    }

    /// The people ids `wanted` names.
    fn people_named(&self, wanted: &[Who]) -> Option<Vec<u32>> {
        if wanted.is_empty() {
            return None;
        }
        let mut ids = Vec::new();
        for who in wanted {
            match who {
                Who::Person(key) => ids.extend(self.people.id(key)),
                Who::Named(words) => ids.extend((0..self.people.len() as u32).filter(|&id| {
                    self.people
                        .names(id)
                        .iter()
                        .any(|name| name_matches(name, words))
                })),
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Some(ids)
    }

    /// The node(s) at the end of `prefix`'s path.
    fn archive_nodes_of(&self, prefix: &ArchivePrefix) -> Vec<u32> {
        let mut nodes = self.archive_roots.clone();
        for level in 0..prefix.depth() {
            if level > 0 {
                nodes = nodes
                    .iter()
                    .flat_map(|&n| self.archive_children[n as usize].iter().copied())
                    .collect();
            }
            nodes.retain(|&n| prefix.segment_matches(level, &self.archive_nodes[n as usize].label));
        }
        nodes
    }

    /// The condition a click on person `id` of the people panel adds.
    pub fn person(&self, id: u32) -> Option<Who> {
        self.people.key(id).map(|key| Who::Person(key.to_owned()))
    }

    /// The condition a click on archive node `node` sets.
    pub fn archive_prefix(&self, node: u32) -> ArchivePrefix {
        let path = self.node_path(node);
        ArchivePrefix::from_path(
            path.iter()
                .filter_map(|&n| self.archive_nodes.get(n as usize))
                .map(|n| n.label.as_str()),
        )
    }

    /// `filter` without the values this index does not have (what a
    /// filter keeps when the corpus changes under it): people by key,
    /// languages, kinds and an archive subtree that are gone are dropped;
    /// dates and names typed as words stay.
    pub fn known(&self, filter: &Filter) -> Filter {
        let chosen = self.chosen(filter);
        let keep_who = |who: &Who| match who {
            Who::Person(key) => self.people.id(key).is_some(),
            Who::Named(_) => true,
        };
        let keep_language = |key: &String| self.languages.id(key).is_some();
        Filter {
            authors: filter
                .authors
                .iter()
                .filter(|w| keep_who(w))
                .cloned()
                .collect(),
            recipients: filter
                .recipients
                .iter()
                .filter(|w| keep_who(w))
                .cloned()
                .collect(),
            archive: filter
                .archive
                .clone()
                .filter(|_| chosen.archive_node().is_some()),
            languages: filter
                .languages
                .iter()
                .filter(|k| keep_language(k))
                .cloned()
                .collect(),
            original_languages: filter
                .original_languages
                .iter()
                .filter(|k| keep_language(k))
                .cloned()
                .collect(),
            layer_languages: filter
                .layer_languages
                .iter()
                .filter(|k| keep_language(k))
                .cloned()
                .collect(),
            kinds: filter
                .kinds
                .iter()
                .filter(|kind| {
                    (0..self.kind_names.len() as u32)
                        .any(|id| fold(self.kind_names.label(id)) == **kind)
                })
                .cloned()
                .collect(),
            ..filter.clone()
        }
    }
}
