//! Three-way merge of one document's notes: what this window wrote
//! (`ours`) and what another window or program wrote (`theirs`), both
//! from a common `base`. Changes to different fields (the document's
//! note, a page's note, a line's note, the bookmark) join; tags merge as
//! sets (added on either side kept, removed on either side gone); only
//! the same field changed two ways is a conflict, where ours is kept and
//! the caller keeps theirs as well.

use std::collections::BTreeSet;

use super::{DocumentNotes, PageNote, RegionNote};

/// The outcome of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub notes: DocumentNotes,
    /// The fields both sides changed differently, in words ("the note on
    /// page 3"); ours is in `notes`.
    pub conflicts: Vec<String>,
}

/// One field's merge: the side that changed it, or ours when both did
/// (then `conflict` is set).
fn pick<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T, conflict: &mut bool) -> T {
    if ours == theirs || theirs == base {
        ours.clone()
    } else if ours == base {
        theirs.clone()
    } else {
        *conflict = true;
        ours.clone()
    }
}

/// Merges `ours` and `theirs`, both edited from `base`.
pub fn merge(base: &DocumentNotes, ours: &DocumentNotes, theirs: &DocumentNotes) -> Merged {
    let mut conflicts = Vec::new();
    let mut notes = DocumentNotes::new(ours.document.clone());

    let mut conflict = false;
    notes.bookmarked = pick(
        &base.bookmarked,
        &ours.bookmarked,
        &theirs.bookmarked,
        &mut conflict,
    );

    let in_base: BTreeSet<&String> = base.tags.iter().collect();
    let in_ours: BTreeSet<&String> = ours.tags.iter().collect();
    let in_theirs: BTreeSet<&String> = theirs.tags.iter().collect();
    let keep = |tag: &&String| {
        (in_ours.contains(tag) && in_theirs.contains(tag))
            || (in_ours.contains(tag) && !in_base.contains(tag))
            || (in_theirs.contains(tag) && !in_base.contains(tag))
    };
    notes.tags = ours.tags.iter().filter(|t| keep(t)).cloned().collect();
    for tag in theirs.tags.iter().filter(|t| keep(t)) {
        if !notes.tags.contains(tag) {
            notes.tags.push(tag.clone());
        }
    }

    let mut conflict = false;
    notes.note = pick(&base.note, &ours.note, &theirs.note, &mut conflict);
    if conflict {
        conflicts.push("the document's note".to_owned());
    }

    let pages: BTreeSet<usize> = [base, ours, theirs]
        .iter()
        .flat_map(|n| n.pages.iter().map(|p| p.page))
        .collect();
    for page in pages {
        let mut conflict = false;
        let note = pick(
            &base.page_note(page).to_owned(),
            &ours.page_note(page).to_owned(),
            &theirs.page_note(page).to_owned(),
            &mut conflict,
        );
        if conflict {
            conflicts.push(format!("the note on page {page}"));
        }
        if !note.trim().is_empty() {
            notes.pages.push(PageNote { page, note });
        }
    }

    let regions: BTreeSet<(usize, usize)> = [base, ours, theirs]
        .iter()
        .flat_map(|n| n.regions.iter().map(|r| (r.page, r.region)))
        .collect();
    for (page, region) in regions {
        let mut conflict = false;
        let note = pick(
            &base.region_note(page, region).to_owned(),
            &ours.region_note(page, region).to_owned(),
            &theirs.region_note(page, region).to_owned(),
            &mut conflict,
        );
        if conflict {
            conflicts.push(format!("the note on line {} of page {page}", region + 1));
        }
        if !note.trim().is_empty() {
            let text = [ours, theirs, base]
                .iter()
                .flat_map(|n| &n.regions)
                .find(|r| (r.page, r.region) == (page, region))
                .map(|r| r.text.clone())
                .unwrap_or_default();
            notes.regions.push(RegionNote {
                page,
                region,
                text,
                note,
            });
        }
    }
    Merged { notes, conflicts }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(note: &str, tags: &[&str]) -> DocumentNotes {
        let mut notes = DocumentNotes::new("d");
        notes.note = note.into();
        notes.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        notes
    }

    #[test]
    fn changes_to_different_fields_join() {
        let base = notes("start", &["a", "b"]);
        let mut ours = notes("start", &["a", "c"]);
        ours.set_page_note(2, "mine on page 2".into());
        let mut theirs = notes("their note", &["b", "d"]);
        theirs.bookmarked = true;
        theirs.set_page_note(3, "theirs on page 3".into());
        let merged = merge(&base, &ours, &theirs);
        assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
        assert_eq!(merged.notes.note, "their note");
        assert!(merged.notes.bookmarked);
        // b removed by us, a removed by them; c and d added.
        assert_eq!(merged.notes.tags, vec!["c", "d"]);
        assert_eq!(merged.notes.page_note(2), "mine on page 2");
        assert_eq!(merged.notes.page_note(3), "theirs on page 3");
    }

    #[test]
    fn the_same_field_changed_twice_is_a_conflict_that_keeps_ours() {
        let base = notes("start", &[]);
        let ours = notes("start, then mine", &[]);
        let mut theirs = notes("start, then theirs", &[]);
        theirs.set_region_note(1, 4, "line".into(), "theirs".into());
        let merged = merge(&base, &ours, &theirs);
        assert_eq!(merged.conflicts, vec!["the document's note"]);
        assert_eq!(merged.notes.note, "start, then mine");
        assert_eq!(merged.notes.region_note(1, 4), "theirs");
        // Nothing changed on either side: nothing to merge.
        assert_eq!(merge(&base, &base, &base).notes, base);
    }
}
