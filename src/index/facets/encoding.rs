//! The facet index and sort orders as bytes, for the corpus snapshot.
use std::collections::HashMap;

use super::{ArchiveNode, Dictionary, FacetIndex, MultiColumn};
use crate::cache::codec::{Decode, DecodeError, Encode, Reader, Writer, record};
use crate::index::order::SortOrders;

impl Encode for Dictionary {
    fn encode(&self, w: &mut Writer) {
        let Self {
            labels,
            search,
            ids,
        } = self;
        w.put(labels);
        w.put(search);
        let mut pairs: Vec<(&String, &u32)> = ids.iter().collect();
        pairs.sort();
        w.put(&pairs);
    }
}
impl Decode for Dictionary {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            labels: r.get()?,
            search: r.get()?,
            ids: r.get::<Vec<(String, u32)>>()?.into_iter().collect(),
        })
    }
}

record!(MultiColumn { offsets, values });

record!(ArchiveNode {
    label,
    parent,
    depth
});

impl Encode for FacetIndex {
    fn encode(&self, w: &mut Writer) {
        let Self {
            dates,
            years,
            months,
            year_span,
            authors,
            recipients,
            archive,
            archive_paths,
            original_language,
            layer_languages,
            kinds,
            people,
            languages,
            kind_names,
            archive_nodes,
            archive_children,
            archive_roots,
            node_ids,
        } = self;
        w.put(dates);
        w.put(years);
        w.put(months);
        w.put(year_span);
        w.put(authors);
        w.put(recipients);
        w.put(archive);
        w.put(archive_paths);
        w.put(original_language);
        w.put(layer_languages);
        w.put(kinds);
        w.put(people);
        w.put(languages);
        w.put(kind_names);
        w.put(archive_nodes);
        w.put(archive_children);
        w.put(archive_roots);
        let mut pairs: Vec<(&(Option<u32>, String), &u32)> = node_ids.iter().collect();
        pairs.sort();
        w.put(&pairs.len());
        for ((parent, key), id) in pairs {
            w.put(parent);
            w.put(key);
            w.put(id);
        }
    }
}
impl Decode for FacetIndex {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut index = Self {
            dates: r.get()?,
            years: r.get()?,
            months: r.get()?,
            year_span: r.get()?,
            authors: r.get()?,
            recipients: r.get()?,
            archive: r.get()?,
            archive_paths: r.get()?,
            original_language: r.get()?,
            layer_languages: r.get()?,
            kinds: r.get()?,
            people: r.get()?,
            languages: r.get()?,
            kind_names: r.get()?,
            archive_nodes: r.get()?,
            archive_children: r.get()?,
            archive_roots: r.get()?,
            node_ids: HashMap::new(),
        };
        let count: usize = r.get()?;
        for _ in 0..count {
            let parent: Option<u32> = r.get()?;
            let key: String = r.get()?;
            let id: u32 = r.get()?;
            index.node_ids.insert((parent, key), id);
        }
        Ok(index)
    }
}

record!(SortOrders {
    date,
    title,
    archive
});
