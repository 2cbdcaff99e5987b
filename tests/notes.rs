//! Notes files: never torn by a killed process, kept out of the corpus
//! when it cannot be written, and never mistaken for documents.

mod common;

use std::path::Path;
use std::time::Duration;

use folio::notes::{self, DocumentNotes, NoteStore};

const CHILD_DIR: &str = "FOLIO_NOTES_KILL_DIR";
const DOCUMENTS: usize = 4;

/// Version `k` of document `d`'s notes: sizes vary so that a torn write
/// could not pass for a whole one.
fn version(d: usize, k: usize) -> DocumentNotes {
    let mut notes = DocumentNotes::new(format!("doc {d}/«{d}»"));
    notes.bookmarked = k.is_multiple_of(2);
    notes.tags = (0..k % 5).map(|t| format!("tag {t}")).collect();
    notes.note = format!(
        "version {k}\n{}\nend of version {k}\n",
        "Заметка, 筆記, note. ".repeat((k * 37) % 400)
    );
    notes.set_page_note(1 + k % 3, format!("page note {k}"));
    notes
}

/// Which version a file holds, checked whole.
fn check(notes: &DocumentNotes) -> usize {
    let first = notes.note.lines().next().unwrap_or_default();
    let k: usize = first
        .strip_prefix("version ")
        .and_then(|k| k.parse().ok())
        .unwrap_or_else(|| panic!("not a version: {first:?}"));
    let d: usize = notes
        .document
        .strip_prefix("doc ")
        .and_then(|rest| rest.split('/').next())
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("bad id {:?}", notes.document));
    assert_eq!(
        notes,
        &version(d, k),
        "version {k} of document {d} is not whole"
    );
    k
}

/// The child: saves new versions of every document's notes until killed.
#[test]
fn notes_saving_child() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let dir = Path::new(&dir);
    for k in 1.. {
        for d in 0..DOCUMENTS {
            notes::save(dir, &version(d, k)).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

#[test]
fn a_killed_save_leaves_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let notes_dir = dir.path().join(".folio/notes");
    for d in 0..DOCUMENTS {
        notes::save(&notes_dir, &version(d, 0)).unwrap_or_else(|e| panic!("{e}"));
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut last = [0; DOCUMENTS];
    let mut saw_progress = 0;
    for round in 0..25u64 {
        let mut child = std::process::Command::new(&exe)
            .args([
                "notes_saving_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, &notes_dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn the saving child: {e}"));
        // Killed at a different moment of its loop each round.
        std::thread::sleep(Duration::from_millis(60 + (round * 37) % 140));
        child.kill().unwrap_or_else(|e| panic!("kill: {e}"));
        let _ = child.wait();
        let store = NoteStore::load_from(notes_dir.clone());
        assert!(store.errors.is_empty(), "round {round}: {:?}", store.errors);
        assert_eq!(
            store.by_id.len(),
            DOCUMENTS,
            "round {round}: a file went missing"
        );
        for (d, notes) in store.by_id.values().enumerate() {
            let k = check(notes);
            if k != last[d] {
                saw_progress += 1;
            }
            last[d] = k;
        }
    }
    assert!(
        saw_progress > 0,
        "the child never saved: the test tested nothing"
    );
    // Temporary files a kill left behind are never read as notes.
    let leftovers = std::fs::read_dir(&notes_dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "tmp"))
        .count();
    eprintln!("{saw_progress} saves seen across kills; {leftovers} temporary files left");
    // Once old enough that no save can still be writing them, they go.
    let an_hour_ago = std::time::SystemTime::now() - Duration::from_hours(1);
    for entry in std::fs::read_dir(&notes_dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "tmp"))
    {
        let file = std::fs::File::options()
            .write(true)
            .open(entry.path())
            .unwrap_or_else(|e| panic!("{e}"));
        file.set_modified(an_hour_ago)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let store = NoteStore::load_from(notes_dir.clone());
    assert_eq!(store.by_id.len(), DOCUMENTS);
    let left = std::fs::read_dir(&notes_dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "tmp"))
        .count();
    assert_eq!(left, 0, "abandoned temporary files stay");
}

#[test]
fn a_corpus_that_cannot_be_written_keeps_its_notes_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let corpus = dir.path().join("corpus");
    common::write(&corpus, "letter.txt", "A letter\n\nDear friend.\n");
    // `.folio` is a file here, so no sidecar folder can be made (as on a
    // read-only disk, which root could write anyway).
    common::write(&corpus, ".folio", "not a folder");
    let mut location = notes::NotesLocation::of(&corpus);
    location.fallback = dir.path().join("data/notes/corpus");
    let mut note = DocumentNotes::new("letter");
    note.note = "Kept elsewhere.".into();
    let used = location.save(&note).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(used, location.fallback);
    assert_eq!(
        location.current(),
        location.fallback,
        "read back from where it went"
    );
    let store = NoteStore::load_from(location.current().to_owned());
    assert_eq!(store.get("letter"), Some(&note));
    assert_eq!(
        std::fs::read_to_string(corpus.join(".folio"))
            .ok()
            .as_deref(),
        Some("not a folder"),
        "the corpus is untouched"
    );
    // A writable corpus gets its sidecar, and opening it alone makes nothing.
    let writable = dir.path().join("writable");
    common::write(&writable, "letter.txt", "A letter\n\nDear friend.\n");
    let store = NoteStore::load(&writable);
    assert!(store.by_id.is_empty());
    assert!(!writable.join(".folio").exists(), "looking made a folder");
    assert_eq!(store.location.current(), writable.join(".folio/notes"));
}

#[test]
fn the_sidecar_is_not_read_as_documents() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::write(dir.path(), "letter.txt", "A letter\n\nDear friend.\n");
    let mut note = DocumentNotes::new("letter");
    note.note = "A note.".into();
    notes::save(&dir.path().join(".folio/notes"), &note).unwrap_or_else(|e| panic!("{e}"));
    let output = common::folio(&["check", &dir.path().to_string_lossy(), "--json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report["documents"], 1, "{report}");
    assert_eq!(
        report["errors"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
}
