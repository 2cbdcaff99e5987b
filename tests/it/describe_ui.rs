//! Describing in the window, headless: photographs grouped by choosing
//! rows, dates and references read as they are typed, a batch edit with
//! its undo, a clip corrected and given its file's value back.

use std::time::Duration;

use crate::common::{self, files_of, photo};
use crate::ui::{harness, loaded, settle};
use eframe::egui::accesskit::Role;
use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::ui::{AppState, Command};

/// `n` photographs, `IMG_4701.JPG` on.
fn photos(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for i in 0..n {
        photo(dir.path(), &format!("IMG_{}.JPG", 4701 + i), None);
    }
    dir
}

/// The list's row of document `id` (its title; the reader's heading may
/// say the same).
pub(crate) fn row<'a>(
    harness: &'a Harness<'static, AppState>,
    id: &'a str,
) -> egui_kittest::Node<'a> {
    harness
        .get_all_by_label(id)
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .unwrap_or_else(|| panic!("no row {id}"))
}

/// Waits until the loader has saved and shown every describing change.
fn described(harness: &mut Harness<'static, AppState>) {
    harness.state_mut().wait_for_load(Duration::from_secs(30));
    harness.run();
}

/// Opens the editor of the shown page of the first text pane and types
/// `text` over what it holds.
fn type_over_page(harness: &mut Harness<'static, AppState>, text: &str) {
    harness
        .get_all_by_label("✎ Edit this page")
        .next()
        .unwrap_or_else(|| panic!("no edit button"))
        .click();
    harness.run();
    harness.get_by_role(Role::MultilineTextInput).focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role(Role::MultilineTextInput)
        .type_text(text);
    harness.run();
}

/// Clicks Done and waits until the letter has the user's version of a
/// text; returns the letter.
fn done_editing(harness: &mut Harness<'static, AppState>) -> folio::model::Document {
    harness.get_by_label("Done").click();
    harness.run();
    // The message names the folder the text went to.
    let status = harness.state().status.clone().unwrap_or_default();
    assert!(
        status.starts_with("text saved in") && status.ends_with("texts"),
        "{status}"
    );
    described(harness);
    settle(harness, &|s| {
        s.corpus
            .as_ref()
            .and_then(|c| c.document("letter"))
            .is_some_and(|d| {
                d.layers
                    .iter()
                    .any(|l| l.origin == folio::model::Origin::User)
            })
    });
    harness
        .state()
        .corpus
        .as_ref()
        .and_then(|c| c.document("letter"))
        .cloned()
        .unwrap_or_else(|| panic!("the letter is gone"))
}

/// Types `text` into the box labelled `label` (replacing what is there)
/// and leaves it, which saves it.
fn type_into(harness: &mut Harness<'static, AppState>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    harness.run();
}

fn leave(harness: &mut Harness<'static, AppState>) {
    harness.key_press(Key::Tab);
    harness.run();
}

fn open_describe(harness: &mut Harness<'static, AppState>) {
    harness
        .get_by_label_contains("Describe this document")
        .click();
    harness.run();
}

#[test]
fn three_photographs_chosen_in_the_list_become_one_document() {
    let dir = photos(5);
    let before = files_of(dir.path());
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    row(&harness, "IMG_4701").click();
    harness.run();
    row(&harness, "IMG_4703").click_modifiers(Modifiers::SHIFT);
    harness.run();
    harness.get_by_label("3 chosen");
    row(&harness, "IMG_4705").click_modifiers(Modifiers::COMMAND);
    harness.run();
    harness.get_by_label("4 chosen");
    row(&harness, "IMG_4705").click_modifiers(Modifiers::COMMAND);
    harness.run();
    harness.get_by_label("3 chosen");
    harness.get_by_label("Make one document").click();
    harness.run();
    described(&mut harness);
    settle(&mut harness, &|s| s.rows.len() == 3);
    assert_eq!(
        harness.state().rows.len(),
        3,
        "five photographs, three of them one document"
    );
    row(&harness, "IMG_4701").click();
    harness.run();
    harness.get_by_label("Page 1 of 3");
    assert!(harness.query_by_label("IMG_4702").is_none());

    // Undone: five documents again.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    described(&mut harness);
    settle(&mut harness, &|s| s.rows.len() == 5);
    assert_eq!(harness.state().rows.len(), 5);
    assert_eq!(
        files_of(dir.path()),
        before,
        "the photographs are byte-identical"
    );
}

#[test]
fn a_date_and_a_reference_are_read_as_they_are_typed() {
    let dir = photos(2);
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    row(&harness, "IMG_4701").click();
    harness.run();
    open_describe(&mut harness);
    type_into(&mut harness, "Date", "22 апреля 1945 г.");
    harness.get_by_label("→ 1945-04-22 (day)");
    type_into(&mut harness, "Date", "the 32nd of Smarch");
    harness.get_by_label_contains("Smarch");
    // Unreadable: not saved.
    leave(&mut harness);
    described(&mut harness);
    assert!(
        harness.state().overlay.is_empty(),
        "an unreadable date is never saved"
    );
    type_into(&mut harness, "Date", "22 апреля 1945 г.");
    leave(&mut harness);
    described(&mut harness);
    type_into(
        &mut harness,
        "Archive",
        "ГАРФ Ф. Р-9401 Оп. 2 Д. 95 Л. 352–359 об.",
    );
    harness.get_by_label_contains(
        "repository GARF · fond R-9401 · opis 2 · delo 95 · folios 352-359ob.",
    );
    leave(&mut harness);
    described(&mut harness);
    settle(&mut harness, &|s| {
        s.corpus
            .as_ref()
            .and_then(|c| c.document("IMG_4701"))
            .is_some_and(|d| d.archive.is_some())
    });
    // The archive tree and the timeline follow.
    harness.get_by_label("GARF (1)");
    harness.get_by_label("Include undated (1)");
    let text = std::fs::read_to_string(dir.path().join(".folio/descriptions/IMG_4701.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("date = \"22 апреля 1945 г.\""), "{text}");
}

#[test]
fn a_batch_edit_describes_twelve_documents_and_one_undo_takes_it_back() {
    let dir = photos(12);
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    row(&harness, "IMG_4701").click();
    harness.run();
    for _ in 0..11 {
        harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
        harness.run();
    }
    harness.get_by_label("12 chosen");
    harness.get_by_label("Describe them…").click();
    harness.run();
    harness.get_by_label("Describe 12 documents");
    type_into(&mut harness, "Archive", "ГАРФ Ф. Р-9401 Оп. 2 Д. 95");
    harness.get_by_label_contains("IMG_4712: archive: — → ГАРФ Ф. Р-9401 Оп. 2 Д. 95");
    harness.get_by_label("Apply to 12 documents").click();
    harness.run();
    described(&mut harness);
    settle(&mut harness, &|s| s.overlay.by_id.len() == 12);
    harness.get_by_label("GARF (12)");
    harness.state_mut().apply(Command::UndoDescribe);
    described(&mut harness);
    settle(&mut harness, &|s| s.overlay.is_empty());
    assert!(
        harness.query_by_label("GARF (12)").is_none(),
        "one undo takes the batch back"
    );
    let left = std::fs::read_dir(dir.path().join(".folio/descriptions")).map_or(0, Iterator::count);
    assert_eq!(left, 0, "no description file is left");
}

#[test]
fn a_clip_date_is_corrected_and_given_its_file_value_back() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::write(
        dir.path(),
        "clip.txt",
        "April 22, 1945\nLetter from Alihan Tore to Stalin\n\nDear Marshal.\n",
    );
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    harness
        .get_by_label("Letter from Alihan Tore to Stalin")
        .click();
    harness.run();
    open_describe(&mut harness);
    type_into(&mut harness, "Date", "1945-04-23");
    leave(&mut harness);
    described(&mut harness);
    harness.get_by_label("✎ edited in folio");
    harness.get_by_label("→ 1945-04-23 (day)");
    harness.get_by_label("use the file's value").click();
    harness.run();
    described(&mut harness);
    settle(&mut harness, &|s| s.overlay.is_empty());
    let date = harness
        .state()
        .corpus
        .as_ref()
        .and_then(|c| c.documents.first())
        .and_then(|d| d.date.start);
    assert_eq!(date.map(|d| d.to_string()).as_deref(), Some("1945-04-22"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("clip.txt")).unwrap_or_default(),
        "April 22, 1945\nLetter from Alihan Tore to Stalin\n\nDear Marshal.\n"
    );
}

#[test]
fn descriptions_written_by_another_program_appear_in_the_window() {
    let dir = photos(3);
    let mut state = AppState::default();
    state.follow.every = Duration::from_millis(50);
    state.apply(Command::Open(dir.path().to_owned()));
    state.wait_for_load(Duration::from_secs(30));
    let mut harness = harness(state);
    harness.run();
    // A script (or another window) describes and groups.
    common::write(
        dir.path(),
        ".folio/descriptions/IMG_4701.toml",
        "id = \"IMG_4701\"\ntitle = \"Telegram to Moscow\"\narchive = \"RGASPI F. 17 Op. 162\"\n\
         [[pages]]\nimage = \"IMG_4701.JPG\"\n[[pages]]\nimage = \"IMG_4702.JPG\"\n",
    );
    settle(&mut harness, &|s| s.rows.len() == 2);
    harness.get_by_label("Telegram to Moscow");
    harness.get_by_label("RGASPI (1)");
    // The window's own overlay follows, so its next edit keeps theirs.
    assert!(harness.state().overlay.get("IMG_4701").is_some());
    harness.state_mut().apply(Command::Describe {
        ids: vec!["IMG_4703".into()],
        fields: vec![folio::research::describe::edit::Field::Kind(Some(
            "letter".into(),
        ))],
    });
    described(&mut harness);
    let theirs = std::fs::read_to_string(dir.path().join(".folio/descriptions/IMG_4701.toml"))
        .unwrap_or_default();
    assert!(theirs.contains("Telegram to Moscow"), "{theirs}");
}

#[test]
fn the_open_document_is_written_as_a_folder_outside_the_corpus() {
    let dir = photos(2);
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    row(&harness, "IMG_4701").click();
    harness.run();
    open_describe(&mut harness);
    type_into(
        &mut harness,
        "Write this document as a document.toml folder in",
        &out.path().to_string_lossy(),
    );
    harness.get_by_label("Write").click_accesskit();
    harness.run();
    settle(&mut harness, &|_| {
        out.path().join("IMG_4701/document.toml").is_file()
    });
    assert!(
        out.path().join("IMG_4701/document.toml").is_file(),
        "{:?} {:?}",
        harness.state().notice,
        harness.state().status
    );
    let copy = folio::corpus::load(out.path(), &folio::corpus::LoadOptions::default(), &|_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(copy.documents.len(), 1);
    assert_eq!(copy.documents[0].pages.len(), 1);
}

#[test]
fn a_page_is_edited_beside_the_scan_and_the_file_stays() {
    let dir = crate::ui::two_page_letter();
    let original = std::fs::read(dir.path().join("letter/original.ru.md")).unwrap_or_default();
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    harness.get_by_label("A letter in two pages").click();
    harness.run();
    harness.key_press(Key::PageDown);
    harness.run();
    type_over_page(&mut harness, "Вторая страница, исправленная.");
    let doc = done_editing(&mut harness);
    let user = doc
        .layers
        .iter()
        .position(|l| l.origin == folio::model::Origin::User)
        .unwrap_or_else(|| panic!("no user layer"));
    assert_eq!(
        doc.layers[user].page_text(1),
        Some("Вторая страница, исправленная.")
    );
    assert_eq!(
        doc.layers[user].page_text(0).map(str::trim),
        Some("Первая страница письма.")
    );
    // The pane shows the user's version; the file's is one choice away.
    assert!(
        harness
            .state()
            .reader
            .panes
            .contains(&folio::ui::reader::PaneContent::Layer(user))
    );
    assert_eq!(
        std::fs::read(dir.path().join("letter/original.ru.md")).unwrap_or_default(),
        original
    );
    // Undone: the file's text alone.
    harness.state_mut().apply(Command::UndoDescribe);
    described(&mut harness);
    settle(&mut harness, &|s| s.overlay.is_empty());
    let layers = harness
        .state()
        .corpus
        .as_ref()
        .and_then(|c| c.document("letter"))
        .map_or(0, |d| d.layers.len());
    assert_eq!(layers, 2);
}

#[test]
fn right_to_left_and_chinese_text_is_typed_beside_the_scan() {
    let dir = crate::ui::two_page_letter();
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    harness.get_by_label("A letter in two pages").click();
    harness.run();
    let typed = "ئەخمەتجان قاسىمى 敬啟者";
    type_over_page(&mut harness, typed);
    // The box keeps the order typed; the text is shown in reading order.
    harness.get_by_label("Reads as (the box above keeps the order typed):");
    let doc = done_editing(&mut harness);
    let kept = doc
        .layers
        .iter()
        .find(|l| l.origin == folio::model::Origin::User)
        .and_then(|l| l.page_text(0).map(|t| t.trim().to_owned()));
    assert_eq!(kept.as_deref(), Some(typed), "stored in logical order");
    // In its own file in the sidecar, the corpus's file untouched.
    let file = std::fs::read_to_string(dir.path().join(".folio/texts/letter.transcription.ru.md"))
        .unwrap_or_default();
    assert!(file.contains(typed), "{file}");
}

#[test]
fn a_new_translation_is_added_from_a_pane_and_shown_in_it() {
    let dir = crate::ui::two_page_letter();
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    harness.get_by_label("A letter in two pages").click();
    harness.run();
    let panes = harness.state().reader.panes.len();
    let last = panes - 1;
    // The last pane's menu, then its last entry.
    harness.get_by_label(&format!("Pane {}", last + 1)).click();
    harness.run();
    harness.get_by_label("+ New translation…").click();
    harness.run();
    // A language folio cannot read cannot be added.
    let language = (Role::TextInput, "New translation in");
    harness
        .get_by_role_and_label(language.0, language.1)
        .focus();
    harness
        .get_by_role_and_label(language.0, language.1)
        .type_text("Klingonish");
    harness.run();
    harness.get_by_label_contains("unknown language");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(language.0, language.1)
        .type_text("German");
    harness.run();
    harness.get_by_label("Add").click();
    harness.run();
    described(&mut harness);
    settle(&mut harness, &|s| {
        s.corpus
            .as_ref()
            .and_then(|c| c.document("letter"))
            .is_some_and(|d| d.layers.iter().any(|l| l.language.as_deref() == Some("de")))
    });
    // The new German text is in the pane it was asked from, empty on
    // every page, ready to type.
    let state = harness.state();
    let doc = state
        .corpus
        .as_ref()
        .and_then(|c| c.document("letter"))
        .unwrap_or_else(|| panic!("the letter"));
    let german = doc
        .layers
        .iter()
        .position(|l| l.language.as_deref() == Some("de"))
        .unwrap_or_else(|| panic!("no German layer"));
    assert_eq!(
        doc.layers[german].kind,
        folio::model::LayerKind::Translation
    );
    assert_eq!(doc.layers[german].origin, folio::model::Origin::User);
    assert_eq!(doc.layers[german].page_count(), 2);
    assert_eq!(
        state.reader.panes[last],
        folio::ui::reader::PaneContent::Layer(german)
    );
    assert!(harness.query_by_label("New translation in").is_none());
    harness.run();
    harness.get_by_label("(this page has no text in this layer)");
}
