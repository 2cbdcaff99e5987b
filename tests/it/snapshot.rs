//! The corpus snapshot: an unchanged corpus reopens without parsing and
//! gives exactly what parsing gives; a changed file is parsed again alone;
//! added and removed files are followed; a damaged snapshot is ignored;
//! the full-text index follows with per-document updates.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use folio::corpus::{self, Corpus, LoadOptions, Opened};
use folio::index::search::SearchIndex;
use folio::index::search::cache::Origin;

/// Copies `from` into a new temporary folder.
fn copy_of(from: &Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (rel, bytes) in common::files(from) {
        common::write(to.path(), &rel, bytes);
    }
    to
}

/// Sets every file and folder below `root` (and `root`) to an hour ago,
/// so that no stamp is too recent to be trusted.
fn age(root: &Path) {
    let past = SystemTime::now() - Duration::from_hours(1);
    let mut stack = vec![root.to_owned()];
    let mut all = Vec::new();
    while let Some(dir) = stack.pop() {
        for item in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = item.path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            all.push(path);
        }
        all.push(dir);
    }
    for path in all {
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        file.set_modified(past)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// Sets one file or folder to half an hour ago: changed, but not so
/// recently that its stamp is distrusted next time.
fn backdate(path: &Path) {
    let past = SystemTime::now() - Duration::from_mins(30);
    std::fs::File::open(path)
        .and_then(|file| file.set_modified(past))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn open(root: &Path, snapshot: &Path) -> Opened {
    corpus::open(root, &LoadOptions::default(), Some(snapshot), &|_| {})
        .unwrap_or_else(|e| panic!("{e}"))
}

use crate::common::open_and_save;

fn parsed(root: &Path) -> Corpus {
    corpus::load(root, &LoadOptions::default(), &|_| {}).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_same(a: &Corpus, b: &Corpus) {
    assert_eq!(a.documents.len(), b.documents.len());
    for (x, y) in a.documents.iter().zip(&b.documents) {
        assert_eq!(x, y, "document {}", x.id);
    }
    assert_eq!(a.errors, b.errors);
    assert_eq!(a.skipped, b.skipped);
    assert_eq!(a.fingerprints, b.fingerprints);
}

fn snapshot_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("corpus.snapshot")
}

#[test]
fn unchanged_corpus_reopens_without_parsing_and_equals_a_parse() {
    for source in [common::documents(), common::samples(), common::seeds()] {
        if !source.is_dir() {
            eprintln!("skipped for {}: not beside the project", source.display());
            continue;
        }
        let corpus_dir = copy_of(&source);
        age(corpus_dir.path());
        let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (first, reuse) = open_and_save(corpus_dir.path(), &snapshot_in(&cache));
        assert!(!reuse.snapshot && reuse.walked);
        let (second, reuse) = open_and_save(corpus_dir.path(), &snapshot_in(&cache));
        assert!(reuse.snapshot, "{}", source.display());
        assert!(!reuse.walked, "{}: walked again", source.display());
        assert_eq!(reuse.parsed, 0, "{}: parsed again", source.display());
        assert!(reuse.reused > 0);
        // What the window stored with the snapshot comes back unchanged.
        let opened = open(corpus_dir.path(), &snapshot_in(&cache));
        assert_eq!(opened.extra.as_deref(), Some(&b"views"[..]));
        assert_same(&first, &second);
        assert_same(&parsed(corpus_dir.path()), &second);
    }
}

#[test]
fn changed_added_and_removed_files_are_followed() {
    let corpus_dir = copy_of(&common::documents());
    let root = corpus_dir.path();
    common::write(root, "extra/a.txt", "First extra\n\nAbout Kuldja.\n");
    common::write(root, "extra/b.txt", "Second extra\n\nAbout Urumqi.\n");
    age(root);
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshot = snapshot_in(&cache);
    let (before, _) = open_and_save(root, &snapshot);

    // Edited in place (same folder listing): only that entry is parsed.
    common::write(
        root,
        "extra/a.txt",
        "First extra, revised\n\nAbout Ghulja.\n",
    );
    backdate(&root.join("extra/a.txt"));
    assert!(open(root, &snapshot).extra.is_none(), "a file changed");
    let (after, reuse) = open_and_save(root, &snapshot);
    assert!(!reuse.walked);
    assert_eq!(reuse.parsed, 1);
    let a = after
        .document("a")
        .unwrap_or_else(|| panic!("a is missing"));
    assert_eq!(a.title, "First extra, revised");
    assert_eq!(after.documents.len(), before.documents.len());

    // Added: the folder changed, so it is walked again; one new entry.
    common::write(root, "extra/c.txt", "Third extra\n\nAbout Kashgar.\n");
    backdate(&root.join("extra/c.txt"));
    backdate(&root.join("extra"));
    let (after, reuse) = open_and_save(root, &snapshot);
    assert!(reuse.walked);
    assert_eq!(reuse.parsed, 1, "only the new file is parsed");
    assert!(after.document("c").is_some());

    // Removed.
    std::fs::remove_file(root.join("extra/b.txt")).unwrap_or_else(|e| panic!("{e}"));
    let (after, _) = open_and_save(root, &snapshot);
    assert!(after.document("b").is_none());
    assert_same(&parsed(root), &after);
}

#[test]
fn authority_changes_are_applied_to_snapshot_documents() {
    let corpus_dir = copy_of(&common::documents());
    let root = corpus_dir.path();
    // A document whose people name no entry: folio matches them by name.
    common::write(
        root,
        "extra/metadata.csv",
        "id,title,author,recipient\nnote-1,A note,Иосиф Сталин,Ахмеджан Касыми\n",
    );
    common::write(root, "extra/note-1.en.txt", "A short note.\n");
    age(root);
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshot = snapshot_in(&cache);
    let linked = |corpus: &Corpus, id: &str| {
        corpus
            .documents
            .iter()
            .flat_map(|d| &d.people)
            .filter(|p| p.authority.as_deref() == Some(id))
            .count()
    };
    let (before, _) = open_and_save(root, &snapshot);
    assert!(linked(&before, "stalin") > 0);
    assert_eq!(linked(&before, "dzhugashvili"), 0);
    let authority =
        std::fs::read_to_string(root.join("authority.toml")).unwrap_or_else(|e| panic!("{e}"));
    common::write(
        root,
        "authority.toml",
        authority.replace("id = \"stalin\"", "id = \"dzhugashvili\""),
    );
    assert!(
        open(root, &snapshot).extra.is_none(),
        "the authority file changed"
    );
    let (after, reuse) = open_and_save(root, &snapshot);
    assert_eq!(reuse.parsed, 0, "the documents themselves did not change");
    // Names matched to the entry follow its new id (ids written in the
    // sources stay as written, with a warning).
    assert!(linked(&after, "dzhugashvili") > 0);
    assert_same(&parsed(root), &after);
    // Ids written in the sources now name no entry: each such person has
    // one warning, however often the corpus is reopened.
    // The window writes the snapshot again whenever its facet index had to
    // be rebuilt, as after this change.
    for _ in 0..2 {
        let opened = open(root, &snapshot);
        assert_same(&parsed(root), &opened.corpus);
        opened
            .sources
            .write_snapshot(&opened.corpus, &snapshot, b"views")
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn a_damaged_snapshot_is_ignored() {
    let corpus_dir = copy_of(&common::documents());
    age(corpus_dir.path());
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshot = snapshot_in(&cache);
    let (first, _) = open_and_save(corpus_dir.path(), &snapshot);
    let bytes = std::fs::read(&snapshot).unwrap_or_else(|e| panic!("{e}"));
    for damaged in [
        bytes[..bytes.len() / 2].to_vec(),
        b"not a snapshot".to_vec(),
        Vec::new(),
        {
            let mut flipped = bytes.clone();
            let middle = flipped.len() / 2;
            flipped[middle] ^= 0xFF;
            flipped
        },
    ] {
        std::fs::write(&snapshot, damaged).unwrap_or_else(|e| panic!("{e}"));
        let opened = open(corpus_dir.path(), &snapshot);
        // A flipped byte may still decode; either way the corpus is right.
        assert_same(&first, &opened.corpus);
    }
    // Nothing was written into the corpus.
    assert_eq!(
        common::files(corpus_dir.path()),
        common::files(&common::documents())
    );
}

#[test]
fn the_index_is_updated_per_document() {
    let corpus_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = corpus_dir.path();
    for i in 0..40 {
        common::write(
            root,
            &format!("letters/{i:03}.txt"),
            format!("Letter {i}\n\nGreetings from Кульджа, number {i}.\n"),
        );
    }
    age(root);
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let index_dir = cache.path().join("index");
    let snapshot = snapshot_in(&cache);
    let search = |expected: Origin, query: &str| {
        let (corpus, _) = open_and_save(root, &snapshot);
        let (index, origin) = SearchIndex::open_or_build(&corpus, Some(&index_dir), &|_| true)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(origin, expected, "{query}");
        let query = folio::index::search::parse(query).unwrap_or_else(|e| panic!("{e}"));
        let (all, _) = index
            .search(&corpus, &query, 10)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut ids: Vec<String> = all
            .iter()
            .map(|&i| corpus.documents[i as usize].id.clone())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(search(Origin::Built, "Kuldja").len(), 40);
    assert_eq!(search(Origin::Cache, "Kuldja").len(), 40);
    common::write(
        root,
        "letters/007.txt",
        "Letter 7\n\nGreetings from Zanzibar.\n",
    );
    assert_eq!(search(Origin::Updated(1), "Zanzibar"), ["007"]);
    assert_eq!(search(Origin::Cache, "Kuldja").len(), 39);
    common::write(root, "letters/100.txt", "Letter 100\n\nZanzibar again.\n");
    std::fs::remove_file(root.join("letters/000.txt")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(search(Origin::Updated(2), "Zanzibar"), ["007", "100"]);
    assert_eq!(search(Origin::Cache, "Kuldja").len(), 38);
    // Ids moved by an insertion still find the right documents.
    common::write(root, "letters/005a.txt", "Letter 5a\n\nFrom Кульджа.\n");
    let found = search(Origin::Updated(1), "Kuldja");
    assert_eq!(found.len(), 39);
    assert!(found.contains(&"005a".to_owned()));
}

#[test]
fn a_copy_with_the_same_size_and_time_is_still_seen() {
    let corpus_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = corpus_dir.path();
    common::write(root, "a.txt", "Letter A\n\nFrom Kuldja.\n");
    age(root);
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshot = snapshot_in(&cache);
    open_and_save(root, &snapshot);
    // As `cp -p` does: other bytes of the same length, the old time.
    let file = root.join("a.txt");
    let modified = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_millis(20));
    common::write(root, "a.txt", "Letter B\n\nFrom Urumqi.\n");
    std::fs::File::options()
        .write(true)
        .open(&file)
        .and_then(|f| f.set_modified(modified))
        .unwrap_or_else(|e| panic!("{e}"));
    let (after, reuse) = open_and_save(root, &snapshot);
    assert_eq!(reuse.parsed, 1);
    assert_eq!(after.documents[0].title, "Letter B");
}

#[test]
fn a_followed_folder_reports_what_changed() {
    let corpus_dir = copy_of(&common::documents());
    let root = corpus_dir.path();
    common::write(root, "extra/a.txt", "First extra\n\nAbout Kuldja.\n");
    common::write(root, "extra/page.png", b"not really a picture");
    common::write(
        root,
        "extra/metadata.csv",
        "file,title\na.txt,First extra\npage.png,First extra\n",
    );
    age(root);
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshot = snapshot_in(&cache);
    let first = open(root, &snapshot);
    first
        .sources
        .write_snapshot(&first.corpus, &snapshot, b"")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(first.sources.is_current(root), "nothing changed");
    let again = open(root, &snapshot);
    assert!(first.corpus.changes_to(&again.corpus).is_empty());
    assert!(first.sources.changed_files(&again.sources).is_empty());

    // A file dated in the future (a machine with a wrong clock) does not
    // make the folder look changed at every check.
    let future = SystemTime::now() + Duration::from_hours(5);
    std::fs::File::open(root.join("extra/a.txt"))
        .and_then(|file| file.set_modified(future))
        .unwrap_or_else(|e| panic!("{e}"));
    let dated = open(root, &snapshot);
    assert!(dated.sources.is_current(root), "a future time is trusted");
    let first = dated;

    // An image edited in place changes no document, but is a changed file.
    common::write(root, "extra/page.png", b"another picture, longer");
    backdate(&root.join("extra/page.png"));
    assert!(!first.sources.is_current(root));
    let edited = open(root, &snapshot);
    let changes = first.corpus.changes_to(&edited.corpus);
    assert_eq!((changes.added, changes.changed, changes.removed), (0, 0, 0));
    assert_eq!(
        first.sources.changed_files(&edited.sources),
        vec![PathBuf::from("extra/page.png")]
    );

    // A file written just now is not trusted yet: the folder is read again.
    common::write(root, "extra/a.txt", "First extra\n\nAbout Ghulja.\n");
    assert!(!edited.sources.is_current(root));
    let rewritten = open(root, &snapshot);
    let changes = edited.corpus.changes_to(&rewritten.corpus);
    assert_eq!((changes.added, changes.changed, changes.removed), (0, 1, 0));
    assert_eq!(changes.to_string(), "1 document changed");

    // Removing a document folder and adding a file.
    std::fs::remove_dir_all(root.join("ehmetjan-qasim-encyclopedia"))
        .unwrap_or_else(|e| panic!("{e}"));
    common::write(root, "b.txt", "Second extra\n\nAbout Urumqi.\n");
    assert!(!rewritten.sources.is_current(root));
    let moved = open(root, &snapshot);
    let changes = rewritten.corpus.changes_to(&moved.corpus);
    assert_eq!((changes.added, changes.changed, changes.removed), (1, 0, 1));
    assert_eq!(changes.to_string(), "1 document added, 1 document removed");

    // A rename is the old name gone and the new one there.
    std::fs::rename(root.join("b.txt"), root.join("renamed.txt")).unwrap_or_else(|e| panic!("{e}"));
    assert!(!moved.sources.is_current(root));
    let renamed = open(root, &snapshot);
    let changes = moved.corpus.changes_to(&renamed.corpus);
    assert_eq!((changes.added, changes.changed, changes.removed), (1, 0, 1));
    assert!(renamed.corpus.document("renamed").is_some());
}

#[test]
fn a_file_read_while_half_written_is_read_again() {
    let corpus_dir = copy_of(&common::documents());
    let root = corpus_dir.path();
    age(root);
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshot = snapshot_in(&cache);
    // Another program is writing the document: half of it is there.
    let full = "title = \"A letter being saved\"\ndate = \"1946-03\"\n";
    common::write(root, "saving/document.toml", &full[..20]);
    let caught = open(root, &snapshot);
    caught
        .sources
        .write_snapshot(&caught.corpus, &snapshot, b"")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        caught
            .corpus
            .errors
            .iter()
            .any(|e| e.path == Path::new("saving/document.toml")),
        "{:#?}",
        caught.corpus.errors
    );
    // The rest is written in the same second: size and time may even look
    // settled, but a stamp that recent is never trusted.
    common::write(root, "saving/document.toml", full);
    assert!(!caught.sources.is_current(root));
    let again = open(root, &snapshot);
    assert!(again.corpus.errors.is_empty(), "{:#?}", again.corpus.errors);
    assert_eq!(
        again.corpus.document("saving").map(|d| d.title.as_str()),
        Some("A letter being saved")
    );
}
