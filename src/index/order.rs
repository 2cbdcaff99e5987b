//! Sort orders of the document list: computed once per corpus (on a
//! background thread), then any selection is put in order with one pass.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::corpus::Corpus;
use crate::text::fold;

/// The order of the document list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    #[default]
    Date,
    Title,
    Archive,
    /// Search rank (while a search is active; else date).
    Relevance,
}

/// Every document in each sort order, ascending.
#[derive(Debug, Clone, Default)]
pub struct SortOrders {
    pub date: Vec<u32>,
    pub title: Vec<u32>,
    pub archive: Vec<u32>,
}

impl SortOrders {
    /// Sorts the corpus three ways (ties fall back to date, then title,
    /// then corpus order, so the order is stable and total).
    pub fn build(corpus: &Corpus) -> Self {
        let docs = &corpus.documents;
        let titles: Vec<String> = docs.iter().map(|d| fold(&d.title)).collect();
        let archives: Vec<Option<Vec<u8>>> = docs
            .iter()
            .map(|d| {
                d.archive
                    .as_ref()
                    .map(|a| natural_key(&a.tree_path().join("/")))
            })
            .collect();
        let dates: Vec<_> = docs.iter().map(|d| d.date.sort_key()).collect();
        let all: Vec<u32> = (0..u32::try_from(docs.len()).unwrap_or(u32::MAX)).collect();
        let by_date = |a: &u32, b: &u32| {
            dates[*a as usize]
                .cmp(&dates[*b as usize])
                .then_with(|| titles[*a as usize].cmp(&titles[*b as usize]))
        };
        let mut date = all.clone();
        date.sort_by(by_date);
        let mut title = all.clone();
        title.sort_by(|a, b| {
            let (x, y) = (&titles[*a as usize], &titles[*b as usize]);
            // Untitled documents last.
            (x.is_empty(), x)
                .cmp(&(y.is_empty(), y))
                .then_with(|| by_date(a, b))
        });
        let mut archive = all;
        archive.sort_by(|a, b| {
            match (&archives[*a as usize], &archives[*b as usize]) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
            .then_with(|| by_date(a, b))
        });
        Self {
            date,
            title,
            archive,
        }
    }

    /// The documents of `selected` (corpus indices, any order) in the
    /// order of `key`.
    pub fn rows(&self, key: SortKey, descending: bool, selected: &[u32]) -> Vec<u32> {
        let order = match key {
            SortKey::Date | SortKey::Relevance => &self.date,
            SortKey::Title => &self.title,
            SortKey::Archive => &self.archive,
        };
        let mut member = vec![false; order.len()];
        for &i in selected {
            if let Some(m) = member.get_mut(i as usize) {
                *m = true;
            }
        }
        let keep = |i: &&u32| member.get(**i as usize).copied().unwrap_or(false);
        if descending {
            order.iter().rev().filter(keep).copied().collect()
        } else {
            order.iter().filter(keep).copied().collect()
        }
    }
}

/// A byte string that sorts as [`crate::corpus::natural_cmp`] orders: lowercase text,
/// each run of digits as a `0`, its length and its digits without leading
/// zeros (so `p2` < `p10`), then the text itself to break ties. Sorting
/// by keys compares bytes instead of decoding and lowercasing characters
/// on every comparison.
pub fn natural_key(text: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(text.len() * 2 + 1);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut digits = String::from(c);
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                digits.push(d);
            }
            let trimmed = digits.trim_start_matches('0');
            key.push(b'0');
            key.push(u8::try_from(trimmed.len()).unwrap_or(u8::MAX));
            key.extend_from_slice(trimmed.as_bytes());
        } else {
            let mut buffer = [0u8; 4];
            for lower in c.to_lowercase() {
                key.extend_from_slice(lower.encode_utf8(&mut buffer).as_bytes());
            }
        }
    }
    key.push(0);
    key.extend_from_slice(text.as_bytes());
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::natural_cmp;

    #[test]
    fn natural_keys_sort_as_natural_cmp() {
        let names = [
            "p10",
            "p2",
            "P1",
            "a",
            "p02",
            "a1",
            "a-1",
            "a 1",
            "ф. 9401",
            "ф. 10",
            "Ф. 9",
            "",
            "0",
            "00",
            "1/2",
            "1/10",
            "GARF/R-9401ss/2/95",
            "GARF/R-9401ss/2/100",
            "Z",
            "é",
            "e",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    natural_key(a).cmp(&natural_key(b)),
                    natural_cmp(a, b),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn rows_follow_the_order_and_the_selection() {
        let orders = SortOrders {
            date: vec![2, 0, 1, 3],
            title: vec![3, 2, 1, 0],
            archive: vec![0, 1, 2, 3],
        };
        assert_eq!(orders.rows(SortKey::Date, false, &[0, 1, 2]), [2, 0, 1]);
        assert_eq!(orders.rows(SortKey::Date, true, &[0, 1, 2]), [1, 0, 2]);
        assert_eq!(orders.rows(SortKey::Title, false, &[3, 0, 9]), [3, 0]);
        assert!(orders.rows(SortKey::Archive, false, &[]).is_empty());
    }
}
