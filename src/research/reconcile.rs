//! Names to reconcile and edits of the authority file: the people and
//! places of a corpus that no authority entry knows, merging such a name
//! into an entry or making it a new entry, and saving `authority.toml`
//! with the user's own comments and layout kept (`toml_edit`), checked by
//! the authority parser first, written atomically, the previous version
//! kept as a backup in the sidecar.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::authority::{AUTHORITY_FILE, Authority, EntryKind};
use crate::corpus::Corpus;
use crate::model::{Role, split_bracketed};
use crate::text::fold;

/// A name no authority entry knows, with where it occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    pub kind: EntryKind,
    /// The name as first written.
    pub name: String,
    /// Other spellings that fold the same way.
    pub spellings: Vec<String>,
    /// Corpus indices of the documents that name it.
    pub documents: Vec<u32>,
    /// The roles it plays there (people only).
    pub roles: Vec<Role>,
    /// Entries whose names share a word with it, best first.
    pub suggestions: Vec<String>,
}

/// Every person and place in `corpus` that its authority file does not
/// know, most frequent first. Translators are left out: they are credits,
/// not people of the documents. A name a text writes beside a known one
/// (`Filippov [Stalin]`, `Yarkant [Shache]`) that the entry lacks is
/// listed too, with that entry suggested first.
pub fn unmatched(corpus: &Corpus) -> Vec<Unmatched> {
    let mut found: Vec<Unmatched> = Vec::new();
    let mut by_key: HashMap<(EntryKind, String), usize> = HashMap::new();
    // (kind, folded name) → the entry its bracketed partner is.
    let mut partners: HashMap<(EntryKind, String), String> = HashMap::new();
    let mut note = |kind: EntryKind, written: &str, doc: u32, role: Option<Role>| {
        let key = fold(written);
        if key.is_empty() {
            return;
        }
        let slot = *by_key.entry((kind, key)).or_insert_with(|| {
            found.push(Unmatched {
                kind,
                name: written.to_owned(),
                spellings: Vec::new(),
                documents: Vec::new(),
                roles: Vec::new(),
                suggestions: Vec::new(),
            });
            found.len() - 1
        });
        let entry = &mut found[slot];
        if entry.name != written && !entry.spellings.iter().any(|s| s == written) {
            entry.spellings.push(written.to_owned());
        }
        if entry.documents.last() != Some(&doc) {
            entry.documents.push(doc);
        }
        if let Some(role) = role
            && !entry.roles.contains(&role)
        {
            entry.roles.push(role);
        }
    };
    for (i, doc) in corpus.documents.iter().enumerate() {
        let i = i as u32;
        for person in &doc.people {
            if person.authority.is_none() && person.role != Role::Translator {
                note(EntryKind::Person, &person.name, i, Some(person.role));
            }
        }
        for place in &doc.places {
            let (name, aliases) = split_bracketed(place);
            let known = std::iter::once(name.as_str())
                .chain(aliases.iter().map(String::as_str))
                .any(|n| corpus.authority.place(n).is_some());
            if !known {
                note(EntryKind::Place, &name, i, None);
            }
        }
        for written in &doc.named_in_text {
            let (name, aliases) = split_bracketed(written);
            let names: Vec<&str> = std::iter::once(name.as_str())
                .chain(aliases.iter().map(String::as_str))
                .collect();
            for kind in [EntryKind::Person, EntryKind::Place] {
                let entry_of = |n: &str| corpus.authority.lookup(kind, n);
                let Some(known) = names.iter().find_map(|n| entry_of(n)) else {
                    continue;
                };
                for n in names.iter().filter(|n| entry_of(n).is_none()) {
                    let role = (kind == EntryKind::Person).then_some(Role::Mentioned);
                    note(kind, n, i, role);
                    partners.insert((kind, fold(n)), known.id.clone());
                }
            }
        }
    }
    for entry in &mut found {
        entry.suggestions = suggestions(&corpus.authority, entry.kind, &entry.name);
        if let Some(partner) = partners.get(&(entry.kind, fold(&entry.name))) {
            entry.suggestions.retain(|id| id != partner);
            entry.suggestions.insert(0, partner.clone());
        }
    }
    found.sort_by(|a, b| {
        b.documents
            .len()
            .cmp(&a.documents.len())
            .then_with(|| fold(&a.name).cmp(&fold(&b.name)))
    });
    found
}

/// Entry ids whose names share a folded word (of three letters or more)
/// with `name`, most shared words first.
fn suggestions(authority: &Authority, kind: EntryKind, name: &str) -> Vec<String> {
    let folded = fold(name);
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| w.chars().count() >= 3)
        .collect();
    let entries = match kind {
        EntryKind::Person => &authority.people,
        EntryKind::Place => &authority.places,
    };
    let mut scored: Vec<(usize, &str)> = entries
        .iter()
        .filter_map(|entry| {
            let shared = entry
                .names()
                .map(|n| {
                    let n = fold(n);
                    words
                        .iter()
                        .filter(|w| n.split(' ').any(|x| x == **w || x.starts_with(**w)))
                        .count()
                })
                .max()
                .unwrap_or(0);
            (shared > 0).then_some((shared, entry.id.as_str()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(5)
        .map(|(_, id)| id.to_owned())
        .collect()
}

/// An authority change that could not be made.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum EditError {
    #[error("{file} is not valid TOML: {reason}", file = AUTHORITY_FILE)]
    Syntax { reason: String },
    #[error("no {kind} entry with id {id:?} in {file}", file = AUTHORITY_FILE)]
    NoEntry { kind: &'static str, id: String },
    #[error("the change would make {file} invalid: {reason}", file = AUTHORITY_FILE)]
    Invalid { reason: String },
    #[error("cannot save {path}: {reason}", path = path.display())]
    Write { path: PathBuf, reason: String },
}

fn table_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Person => "person",
        EntryKind::Place => "place",
    }
}

fn document(text: &str) -> Result<toml_edit::DocumentMut, EditError> {
    text.parse::<toml_edit::DocumentMut>()
        .map_err(|e| EditError::Syntax {
            reason: e.to_string().trim().replace('\n', " "),
        })
}

/// Checks that `text` is an authority file folio reads.
fn validated(text: String) -> Result<String, EditError> {
    Authority::parse(&text).map_err(|e| EditError::Invalid {
        reason: e.to_string(),
    })?;
    Ok(text)
}

/// `text` (an authority file) with `name` added to the variants of entry
/// `id`.
pub fn merge(text: &str, kind: EntryKind, id: &str, name: &str) -> Result<String, EditError> {
    let mut doc = document(text)?;
    let no_entry = || EditError::NoEntry {
        kind: table_name(kind),
        id: id.to_owned(),
    };
    let tables = doc
        .get_mut(table_name(kind))
        .and_then(toml_edit::Item::as_array_of_tables_mut)
        .ok_or_else(no_entry)?;
    let entry = tables
        .iter_mut()
        .find(|t| t.get("id").and_then(toml_edit::Item::as_str) == Some(id))
        .ok_or_else(no_entry)?;
    match entry
        .get_mut("variants")
        .and_then(toml_edit::Item::as_array_mut)
    {
        Some(variants) => variants.push(name),
        None => {
            let mut variants = toml_edit::Array::new();
            variants.push(name);
            entry.insert("variants", toml_edit::value(variants));
        }
    }
    validated(doc.to_string())
}

/// `text` (an authority file, possibly empty) with a new entry named
/// `name`; its id is made from the name and unique. Returns the text and
/// the id.
pub fn create(text: &str, kind: EntryKind, name: &str) -> Result<(String, String), EditError> {
    let mut doc = document(text)?;
    let taken: Vec<String> = doc
        .get(table_name(kind))
        .and_then(toml_edit::Item::as_array_of_tables)
        .map(|tables| {
            tables
                .iter()
                .filter_map(|t| t.get("id").and_then(toml_edit::Item::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let base: String = fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let base = if base.is_empty() {
        table_name(kind).to_owned()
    } else {
        base
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    let mut table = toml_edit::Table::new();
    table.insert("id", toml_edit::value(id.as_str()));
    table.insert("name", toml_edit::value(name));
    table.insert("variants", toml_edit::value(toml_edit::Array::new()));
    match doc.get_mut(table_name(kind)) {
        Some(item) => item
            .as_array_of_tables_mut()
            .ok_or_else(|| EditError::Invalid {
                reason: format!("`{}` is not a list of [[{0}]] tables", table_name(kind)),
            })?
            .push(table),
        None => {
            let mut tables = toml_edit::ArrayOfTables::new();
            tables.push(table);
            doc.insert(table_name(kind), toml_edit::Item::ArrayOfTables(tables));
        }
    }
    Ok((validated(doc.to_string())?, id))
}

/// The authority file of the corpus at `root`.
pub fn authority_path(root: &Path) -> PathBuf {
    root.join(AUTHORITY_FILE)
}

/// Backups kept; older ones are removed.
const BACKUPS_KEPT: usize = 50;

/// The sidecar folder that holds backups of the authority file.
const BACKUPS: &str = "backups";

/// Replaces the authority file of `root` with `text` atomically, after
/// copying the current file (if any) into the sidecar's backup folder
/// (wherever [`crate::research::sidecar::Sidecar::of`] keeps the corpus's work).
/// Returns the backup's path.
pub fn save(root: &Path, text: &str) -> Result<Option<PathBuf>, EditError> {
    let path = authority_path(root);
    let fail = |path: &Path, e: std::io::Error| EditError::Write {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let backup = match std::fs::read(&path) {
        Ok(current) => {
            let place = crate::research::sidecar::Sidecar::of(root).write_to;
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            let name = format!("authority-{stamp}.toml");
            let backup = place.dir(BACKUPS).join(&name);
            place
                .write(BACKUPS, &name, &current)
                .map_err(|e| fail(&backup, e))?;
            prune_backups(&place);
            Some(backup)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(fail(&path, e)),
    };
    crate::cache::write_atomically(&path, text.as_bytes()).map_err(|e| fail(&path, e))?;
    Ok(backup)
}

fn prune_backups(place: &crate::research::sidecar::Place) {
    let Ok(listing) = place.list(BACKUPS) else {
        return;
    };
    let backups: Vec<String> = listing
        .into_iter()
        .map(|(name, _)| name.to_string_lossy().into_owned())
        .filter(|name| name.starts_with("authority-"))
        .collect();
    let excess = backups.len().saturating_sub(BACKUPS_KEPT);
    for old in &backups[..excess] {
        let _ = place.remove(BACKUPS, old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# People of the corpus.\n\n[[person]]\nid = \"stalin\" # the recipient\nname = \"Joseph Stalin\"\nvariants = [\"Stalin\", \"Сталин\"]\n\n[[person]]\nid = \"savelyev\"\nname = \"Savel'yev\"\n";

    #[test]
    fn merge_keeps_comments_and_adds_a_variant() {
        let merged =
            merge(FILE, EntryKind::Person, "stalin", "Filippov").unwrap_or_else(|e| panic!("{e}"));
        assert!(merged.contains("# People of the corpus."));
        assert!(merged.contains("# the recipient"));
        let authority = Authority::parse(&merged).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            authority.person("Filippov").map(|e| e.id.as_str()),
            Some("stalin")
        );
        // An entry without variants gets them.
        let merged = merge(FILE, EntryKind::Person, "savelyev", "Савельев")
            .unwrap_or_else(|e| panic!("{e}"));
        let authority = Authority::parse(&merged).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            authority.person("Savelev").map(|e| e.id.as_str()),
            Some("savelyev")
        );
    }

    #[test]
    fn bad_edits_are_refused_with_the_reason() {
        assert_eq!(
            merge(FILE, EntryKind::Person, "nobody", "X"),
            Err(EditError::NoEntry {
                kind: "person",
                id: "nobody".into()
            })
        );
        // The name already belongs to another entry.
        let clash = merge(FILE, EntryKind::Person, "savelyev", "STALIN");
        assert!(matches!(clash, Err(EditError::Invalid { .. })), "{clash:?}");
        assert!(matches!(
            merge("[[person]\nid=", EntryKind::Person, "a", "b"),
            Err(EditError::Syntax { .. })
        ));
    }

    #[test]
    fn create_makes_a_unique_id_even_in_an_empty_file() {
        let (text, id) = create("", EntryKind::Place, "Ghulja").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(id, "ghulja");
        let authority = Authority::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            authority.place("ghulja").map(|e| e.name.as_str()),
            Some("Ghulja")
        );
        let (text, id) =
            create(FILE, EntryKind::Person, "Ахмеджан Касыми").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(id, "akhmedzhan-kasymi");
        assert!(text.contains("# the recipient"));
        let (_, again) = create(&text, EntryKind::Person, "Akhmedzhan Kasymi")
            .map_err(|e| e.to_string())
            .unwrap_or_default();
        // Same folded name: refused (two entries may not share a name).
        assert!(again.is_empty());
    }
}
