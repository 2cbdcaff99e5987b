//! The user's work is never lost: notes and description files never torn by a killed
//! process; a corpus that cannot be written keeps new notes in the data
//! folder and still shows both; a full disk is an error that is retried,
//! never a silent save elsewhere; two windows on one corpus merge their
//! edits or keep both; a linked sidecar is never followed.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use folio::research::notes::service::{Event, NotesService, Save};
use folio::research::notes::{self, DocumentNotes, NoteStore};
use folio::research::sidecar::{Place, Sidecar};

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

/// Version `k` of document `d`'s description (what describing writes).
fn description(d: usize, k: usize) -> folio::research::describe::Description {
    let mut description = folio::research::describe::Description::new(format!("doc {d}/«{d}»"));
    description.title = Some(format!("version {k}"));
    description.summary = Some("Описание, 說明, summary. ".repeat((k * 53) % 300));
    description.texts = vec![folio::research::describe::DescribedText {
        kind: "translation".into(),
        language: "en".into(),
        pages: user_text(k),
    }];
    description
}

/// Version `k` of a text typed page by page (a file of its own, saved
/// before the rest of the description).
fn user_text(k: usize) -> Vec<String> {
    vec![
        format!("text version {k}"),
        String::new(),
        "Перевод, 翻譯, --- page 2 ---\n".repeat((k * 31) % 200),
    ]
}

/// Which version a description holds, checked whole.
fn check_description(d: usize, description: &folio::research::describe::Description) -> usize {
    let k: usize = description
        .title
        .as_deref()
        .and_then(|t| t.strip_prefix("version "))
        .and_then(|k| k.parse().ok())
        .unwrap_or_else(|| panic!("not a version: {:?}", description.title));
    // The text is a file of its own: whole, at its own version.
    let [text] = description.texts.as_slice() else {
        panic!("description {d}: its text is missing: {description:?}");
    };
    let t: usize = text.pages[0]
        .strip_prefix("text version ")
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("not a version: {:?}", text.pages[0]));
    assert_eq!(
        text.pages,
        user_text(t),
        "text {d} version {t} is not whole"
    );
    let mut expected = self::description(d, k);
    expected.texts.clone_from(&description.texts);
    assert_eq!(
        description, &expected,
        "description {d} version {k} is not whole"
    );
    k
}

/// The authority file's version `k` (what an authority edit writes).
fn authority(k: usize) -> String {
    format!(
        "# version {k}\n[[person]]\nid = \"p\"\nname = \"Person {k}\"\nvariants = [{}]\n",
        (0..k % 50)
            .map(|v| format!("\"Variant {v}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn in_corpus(root: &Path) -> Sidecar {
    Sidecar {
        write_to: Place::Corpus {
            root: root.to_owned(),
        },
        also_read: Vec::new(),
        reason: String::new(),
    }
}

/// The child: saves new versions of every kind of the sidecar's files
/// (notes, the conflict copy of notes, authority edits with their
/// backups) until killed.
#[test]
fn notes_saving_child() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let root = Path::new(&dir);
    let place = Place::Corpus {
        root: root.to_owned(),
    };
    for k in 1.. {
        for d in 0..DOCUMENTS {
            notes::save(&place, &version(d, k)).unwrap_or_else(|e| panic!("{e}"));
            let described = description(d, k);
            folio::research::describe::save(&place, &described.id, Some(&described))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        folio::research::reconcile::save(root, &authority(k)).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn a_killed_save_leaves_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("corpus");
    let place = Place::Corpus { root: root.clone() };
    for d in 0..DOCUMENTS {
        notes::save(&place, &version(d, 0)).unwrap_or_else(|e| panic!("{e}"));
        let described = description(d, 0);
        folio::research::describe::save(&place, &described.id, Some(&described))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    common::write(&root, "authority.toml", authority(0));
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut last = [0; DOCUMENTS];
    let mut saw_progress = 0;
    for round in 0..25u64 {
        let mut child = std::process::Command::new(&exe)
            .args([
                "notes::notes_saving_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, &root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn the saving child: {e}"));
        // Killed (SIGKILL) at a different moment of its loop each round.
        std::thread::sleep(Duration::from_millis(60 + (round * 37) % 140));
        child.kill().unwrap_or_else(|e| panic!("kill: {e}"));
        let _ = child.wait();
        let store = NoteStore::load_sidecar(in_corpus(&root));
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
        // Every description is a whole version.
        let overlay = folio::research::describe::Overlay::load_sidecar(in_corpus(&root));
        assert!(
            overlay.errors.is_empty(),
            "round {round}: {:?}",
            overlay.errors
        );
        assert_eq!(
            overlay.by_id.len(),
            DOCUMENTS,
            "round {round}: a description went missing"
        );
        for d in 0..DOCUMENTS {
            let id = description(d, 0).id;
            check_description(d, &overlay.by_id[&id]);
        }
        // The authority file and every backup are whole versions.
        let whole = |text: &str| {
            let k: usize = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# version "))
                .and_then(|k| k.parse().ok())
                .unwrap_or_else(|| panic!("round {round}: not a version: {text:?}"));
            assert_eq!(text, authority(k), "round {round}: torn authority file");
        };
        whole(&std::fs::read_to_string(root.join("authority.toml")).unwrap_or_default());
        for backup in std::fs::read_dir(root.join(".folio/backups"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        {
            whole(&std::fs::read_to_string(backup.path()).unwrap_or_default());
        }
    }
    assert!(
        saw_progress > 0,
        "the child never saved: the test tested nothing"
    );
    // Temporary files a kill left behind are never read as notes; once
    // old enough that no save can still be writing them, they go.
    let notes_dir = root.join(".folio/notes");
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
    let store = NoteStore::load_sidecar(in_corpus(&root));
    assert_eq!(store.by_id.len(), DOCUMENTS);
    let left = std::fs::read_dir(&notes_dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "tmp"))
        .count();
    assert_eq!(left, 0, "abandoned temporary files stay");
    // The same for descriptions and texts (the kills left theirs) and OCR
    // results (one planted, as a kill mid-save leaves it; one of texts too).
    common::write(
        &root,
        ".folio/ocr/IMG_1%2EJPG%231.hocr.4242-1.tmp",
        "cut short",
    );
    common::write(&root, ".folio/texts/a.note.en.md.4242-1.tmp", "cut short");
    for kind in ["descriptions", "texts", "ocr"] {
        for entry in std::fs::read_dir(root.join(".folio").join(kind))
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
    }
    let overlay = folio::research::describe::Overlay::load_sidecar(in_corpus(&root));
    assert!(overlay.errors.is_empty(), "{:?}", overlay.errors);
    for kind in ["descriptions", "texts", "ocr"] {
        let left = std::fs::read_dir(root.join(".folio").join(kind))
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "tmp"))
            .count();
        assert_eq!(left, 0, "abandoned temporary {kind} files stay");
    }
}

/// A running notes thread on `sidecar`, and the store it read.
fn start(sidecar: Sidecar) -> (NotesService, NoteStore) {
    let service = NotesService::start_with(move || sidecar, Duration::from_millis(50), || {})
        .unwrap_or_else(|e| panic!("{e}"));
    match service.wait_event(Duration::from_secs(10)) {
        Some(Event::Loaded(store)) => (service, *store),
        other => panic!("expected the store, got {other:?}"),
    }
}

/// Waits for the first event `pick` accepts (10 s at most).
fn wait_for<T>(service: &NotesService, mut pick: impl FnMut(Event) -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if let Some(event) = service.wait_event(Duration::from_millis(100))
            && let Some(found) = pick(event)
        {
            return found;
        }
    }
    panic!("the awaited event never came")
}

fn save_from(store: &NoteStore, id: &str, change: impl FnOnce(&mut DocumentNotes)) -> Save {
    let base = store
        .get(id)
        .cloned()
        .unwrap_or_else(|| DocumentNotes::new(id));
    let mut notes = base.clone();
    change(&mut notes);
    Save {
        notes,
        base_gen: 0,
        base,
    }
}

fn saved(service: &NotesService) -> (u64, DocumentNotes) {
    wait_for(service, |event| match event {
        Event::Saved {
            generation,
            written,
            ..
        } => Some((generation, written)),
        Event::Failed { error, .. } => panic!("save failed: {error}"),
        _ => None,
    })
}

const READ_ONLY_CHILD: &str = "FOLIO_READ_ONLY_CORPUS";

/// The child, run as a user who cannot write the corpus: a colleague's
/// note is shown, a new note goes to the data folder, and after a
/// restart the new note is what shows.
#[test]
fn read_only_child() {
    let Some(root) = std::env::var_os(READ_ONLY_CHILD) else {
        return;
    };
    let root = PathBuf::from(root);
    let sidecar = Sidecar::of(&root);
    assert!(!sidecar.write_to.is_corpus(), "{sidecar:?}");
    assert!(
        sidecar.reason.contains("cannot be written"),
        "{}",
        sidecar.reason
    );
    let (service, store) = start(sidecar.clone());
    assert_eq!(
        store.get("letter").map(|n| n.note.as_str()),
        Some("The colleague's note."),
        "the corpus's own notes are read"
    );
    service.save(save_from(&store, "letter", |n| {
        n.note.push_str("\nMine, typed on a read-only corpus.");
    }));
    saved(&service);
    drop(service);
    let (_, store) = start(Sidecar::of(&root));
    assert_eq!(
        store.get("letter").map(|n| n.note.as_str()),
        Some("The colleague's note.\nMine, typed on a read-only corpus."),
        "after a restart the newer note shows"
    );
    // Describing it too: kept in the data folder, shown over the corpus.
    let mut overlay = folio::research::describe::Overlay::load(&root);
    assert!(!overlay.sidecar.write_to.is_corpus());
    let fields = [folio::research::describe::edit::Field::Title(Some(
        "Described read-only".into(),
    ))];
    let edit = folio::research::describe::edit::set_fields(&overlay, &["letter".into()], &fields)
        .unwrap_or_else(|e| panic!("{e}"));
    overlay.carry_out(edit);
    overlay.save("letter").unwrap_or_else(|e| panic!("{e}"));
    let corpus = folio::corpus::load(&root, &folio::corpus::LoadOptions::default(), &|_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    let shown =
        folio::research::describe::apply(&corpus, &folio::research::describe::Overlay::load(&root))
            .corpus;
    assert_eq!(
        shown.document("letter").map(|d| d.title.as_str()),
        Some("Described read-only")
    );
    println!("READ-ONLY-CHILD-OK");
}

#[test]
fn a_read_only_corpus_with_notes_keeps_new_notes_and_shows_them() {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: needs Linux to run a child as another user");
        return;
    }
    let dir = tempfile::Builder::new()
        .prefix("folio-read-only")
        .tempdir_in("/tmp")
        .unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("corpus");
    let data = dir.path().join("data");
    common::write(&root, "letter.txt", "A letter\n\nDear friend.\n");
    let mut colleague = DocumentNotes::new("letter");
    colleague.note = "The colleague's note.".into();
    notes::save(&Place::Corpus { root: root.clone() }, &colleague)
        .unwrap_or_else(|e| panic!("{e}"));
    let before = common::files(&root);
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut command;
    let is_root = {
        use std::os::unix::fs::MetadataExt as _;
        std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
    };
    if is_root {
        // Root writes anywhere: the child runs as `nobody`.
        use std::os::unix::fs::PermissionsExt as _;
        for path in [
            dir.path(),
            &root,
            &root.join(".folio"),
            &root.join(".folio/notes"),
        ] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::create_dir_all(&data).unwrap_or_else(|e| panic!("{e}"));
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o777))
            .unwrap_or_else(|e| panic!("{e}"));
        command = std::process::Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        command.arg(&exe);
    } else {
        use std::os::unix::fs::PermissionsExt as _;
        for path in [&root.join(".folio/notes"), &root.join(".folio"), &root] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o555))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        command = std::process::Command::new(&exe);
    }
    let output = command
        .args([
            "notes::read_only_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(READ_ONLY_CHILD, &root)
        .env("FOLIO_DATA_DIR", &data)
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            eprintln!("skipped: cannot run a child as another user ({e})");
            return;
        }
    };
    let printed = String::from_utf8_lossy(&output.stdout);
    let errors = String::from_utf8_lossy(&output.stderr);
    if is_root && !output.status.success() && errors.contains("Permission denied") {
        eprintln!("skipped: user nobody cannot run the test binary here ({errors})");
        return;
    }
    assert!(
        printed.contains("READ-ONLY-CHILD-OK"),
        "the child failed:\n{printed}\n{errors}"
    );
    assert_eq!(common::files(&root), before, "the corpus is untouched");
    let in_data = data
        .join("notes")
        .join(folio::research::sidecar::corpus_key(&root));
    assert!(
        in_data.join(notes::file_name("letter")).is_file(),
        "the note is in the data folder"
    );
    let described = data
        .join("descriptions")
        .join(folio::research::sidecar::corpus_key(&root))
        .join(notes::file_name("letter"));
    assert!(described.is_file(), "the description is in the data folder");
    if !is_root {
        use std::os::unix::fs::PermissionsExt as _;
        for path in [&root, &root.join(".folio"), &root.join(".folio/notes")] {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
        }
    }
}

/// A 2 MB tmpfs mounted at `at` (root only), unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path) -> Option<Self> {
        std::fs::create_dir_all(at).ok()?;
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
            .arg(at)
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then(|| Self(at.to_owned()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

/// Fills the file system of `dir` until it has no space left.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write as _;
    let filler = dir.join("filler");
    let mut file = std::fs::File::create(&filler).unwrap_or_else(|e| panic!("{e}"));
    let block = vec![0u8; 64 * 1024];
    while file.write_all(&block).is_ok() {}
    let _ = file.sync_all();
    filler
}

#[test]
fn a_full_disk_is_an_error_that_is_retried_never_a_save_elsewhere() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("disk");
    let Some(_disk) = Tmpfs::mount(&root) else {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    };
    let data = dir.path().join("data");
    let sidecar = Sidecar {
        write_to: Place::Corpus { root: root.clone() },
        also_read: vec![Place::Data {
            base: data.clone(),
            key: "disk".into(),
        }],
        reason: String::new(),
    };
    common::write(&root, "letter.txt", "A letter\n\nDear friend.\n");
    let mut first = DocumentNotes::new("letter");
    first.note = "The first note.".into();
    notes::save(&sidecar.write_to, &first).unwrap_or_else(|e| panic!("{e}"));
    let filler = fill(&root);
    let (service, store) = start(sidecar.clone());
    service.save(save_from(&store, "letter", |n| {
        n.note.push_str(" And more.");
    }));
    let error = wait_for(&service, |event| match event {
        Event::Failed { error, .. } => Some(error),
        Event::Saved { .. } => panic!("saved on a full disk?"),
        _ => None,
    });
    assert!(
        error.to_string().contains("No space left"),
        "the reason names the full disk: {error}"
    );
    assert!(!data.exists(), "never a silent save elsewhere");
    // Space comes back: the queued save goes through by itself.
    std::fs::remove_file(&filler).unwrap_or_else(|e| panic!("{e}"));
    let (_, written) = saved(&service);
    assert_eq!(written.note, "The first note. And more.");
    drop(service);
    let (_, store) = start(sidecar);
    assert_eq!(
        store.get("letter").map(|n| n.note.as_str()),
        Some("The first note. And more.")
    );
}

#[test]
fn two_windows_on_one_corpus_merge_or_keep_both() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("corpus");
    common::write(&root, "letter.txt", "A letter\n\nDear friend.\n");
    // A types.
    let (a, store_a) = start(in_corpus(&root));
    a.save(save_from(&store_a, "letter", |n| {
        n.note = "A's note.".into();
    }));
    let (a_gen, a_base) = saved(&a);
    // B opens, sees it, and notes page 2.
    let (b, store_b) = start(in_corpus(&root));
    assert_eq!(
        store_b.get("letter").map(|n| n.note.as_str()),
        Some("A's note.")
    );
    b.save(save_from(&store_b, "letter", |n| {
        n.set_page_note(2, "B on page 2.".into());
    }));
    saved(&b);
    // A edits again from what it had: B's page note is kept.
    let mut again = a_base.clone();
    again.note = "A's note, revised.".into();
    a.save(Save {
        notes: again,
        base_gen: a_gen,
        base: a_base.clone(),
    });
    let (_, written) = saved(&a);
    assert_eq!(written.note, "A's note, revised.");
    assert_eq!(written.page_note(2), "B on page 2.", "B's edit survived");
    // B, following the folder, is told of A's revision.
    let changed = wait_for(&b, |event| match event {
        Event::Changed { notes, .. } => Some(notes),
        _ => None,
    });
    assert_eq!(changed.note, "A's note, revised.");

    // Both change the same note at once: both versions are kept.
    let (c, store_c) = start(in_corpus(&root));
    c.save(save_from(&store_c, "letter", |n| {
        n.note = "C's version.".into();
    }));
    saved(&c);
    let mut mine = written.clone();
    mine.note = "A's conflicting version.".into();
    let (a_gen, a_base) = (a_gen + 1, written);
    a.save(Save {
        notes: mine,
        base_gen: a_gen,
        base: a_base,
    });
    let conflict = wait_for(&a, |event| match event {
        Event::Saved {
            conflict: Some(conflict),
            ..
        } => Some(conflict),
        Event::Saved { .. } => panic!("a clash went unnoticed"),
        _ => None,
    });
    assert_eq!(conflict.theirs.note, "C's version.");
    assert_eq!(conflict.fields, vec!["the document's note"]);
    let kept = std::fs::read_to_string(&conflict.kept_at).unwrap_or_default();
    assert!(kept.contains("C's version."), "{kept}");
    let store = NoteStore::load_sidecar(in_corpus(&root));
    assert_eq!(
        store.get("letter").map(|n| n.note.as_str()),
        Some("A's conflicting version.")
    );
    assert!(
        store.errors.is_empty(),
        "the kept copy is not read as notes"
    );
}

#[test]
fn a_linked_sidecar_is_never_followed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("corpus");
    let elsewhere = dir.path().join("dot-cargo");
    std::fs::create_dir_all(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
    common::write(&root, "config.txt", "Config\n\nA document named config.\n");
    std::fs::create_dir_all(root.join(".folio")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&elsewhere, root.join(".folio/notes"))
        .unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let mut sidecar = Sidecar::of(&root);
    assert!(sidecar.reason.contains("link"), "{}", sidecar.reason);
    // Aim the data folder at the test's (the environment is the user's).
    sidecar.write_to = Place::Data {
        base: data.clone(),
        key: "corpus".into(),
    };
    let (service, store) = start(sidecar);
    service.save(save_from(&store, "config", |n| {
        n.note = "Not in ~/.cargo.".into();
    }));
    saved(&service);
    assert_eq!(
        std::fs::read_dir(&elsewhere)
            .unwrap_or_else(|e| panic!("{e}"))
            .count(),
        0,
        "nothing written where the link points"
    );
    assert!(data.join("notes/corpus/config.toml").is_file());
    // Even a sidecar decided before the link was planted refuses it.
    let place = Place::Corpus { root: root.clone() };
    let mut note = DocumentNotes::new("config");
    note.note = "x".into();
    assert!(notes::save(&place, &note).is_err());
    assert_eq!(
        std::fs::read_dir(&elsewhere)
            .unwrap_or_else(|e| panic!("{e}"))
            .count(),
        0
    );
}

#[test]
fn the_sidecar_is_not_read_as_documents() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::write(dir.path(), "letter.txt", "A letter\n\nDear friend.\n");
    let mut note = DocumentNotes::new("letter");
    note.note = "A note.".into();
    notes::save(
        &Place::Corpus {
            root: dir.path().to_owned(),
        },
        &note,
    )
    .unwrap_or_else(|e| panic!("{e}"));
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

#[test]
fn a_writable_corpus_keeps_notes_inside_and_opening_makes_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let writable = dir.path().join("writable");
    common::write(&writable, "letter.txt", "A letter\n\nDear friend.\n");
    let sidecar = Sidecar::of(&writable);
    assert!(sidecar.write_to.is_corpus(), "{sidecar:?}");
    assert!(sidecar.reason.contains(".folio"), "{}", sidecar.reason);
    let store = NoteStore::load_sidecar(sidecar);
    assert!(store.by_id.is_empty());
    assert!(!writable.join(".folio").exists(), "looking made a folder");
}
