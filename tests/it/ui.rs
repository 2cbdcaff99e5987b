//! The window driven headless with `egui_kittest`: the real app state, real
//! loads on the background thread, clicks by label.

use crate::common;

use std::time::Duration;

use crate::common::{documents, write};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::ui::{AppState, Command};

pub(crate) fn harness(state: AppState) -> Harness<'static, AppState> {
    harness_sized(state, eframe::egui::vec2(1200.0, 700.0))
}

/// A harness whose window is `size` from its first frame.
pub(crate) fn harness_sized(
    state: AppState,
    size: eframe::egui::Vec2,
) -> Harness<'static, AppState> {
    Harness::builder()
        .with_size(size)
        .with_context_setup(|ctx| {
            folio::ui::fonts::install(ctx);
            folio::ui::style::install(ctx);
        })
        // A collapsing section opens over a few frames.
        .with_max_steps(16)
        .build_ui_state(
            |ui, state: &mut AppState| {
                state.poll(Duration::from_millis(10));
                for command in state.ui(ui) {
                    state.apply(command);
                }
            },
            state,
        )
}

/// Runs frames until `done` holds of the state (background decodes),
/// 30 s at most, then one more full run.
pub(crate) fn settle(harness: &mut Harness<'static, AppState>, done: &dyn Fn(&AppState) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !done(harness.state()) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run();
}

pub(crate) fn loaded(path: &std::path::Path) -> AppState {
    let mut state = AppState::default();
    state.apply(Command::Open(path.to_owned()));
    state.wait_for_load(Duration::from_secs(30));
    state
}

#[test]
fn lists_the_bundled_documents() {
    let mut harness = harness(loaded(&documents()));
    harness.run();
    harness.get_by_label("5 of 5 documents");
    harness.get_by_label("Letter from Alihan Tore to Commander-in-Chief Marshal Stalin");
    harness.get_by_label("Concerning a Peace Settlement in Kashgar");
    harness.get_by_label_contains("Alihan Tore → Stalin");
    // Supplied dates are bracketed; undated documents say so.
    harness.get_by_label_contains("[2024]");
    harness.get_by_label("undated");
    harness.get_by_label_contains("GARF f. R-9401ss, op. 2, d. 95, ll. 352-359");
    assert!(
        harness
            .query_by_label_contains("could not be loaded")
            .is_none()
    );
}

#[test]
fn shows_load_errors_and_opens_another_folder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(dir.path(), "good.txt", "A letter\n\nDear friend.\n");
    write(dir.path(), "empty.txt", "");
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    harness.get_by_label("1 entry could not be loaded");
    harness.get_by_label("empty.txt");
    harness.get_by_label("empty file");
    harness.get_by_label("A letter");

    // Another folder through folio's own chooser.
    harness
        .state_mut()
        .apply(Command::Browse(Some(documents())));
    harness.run();
    harness.get_by_label("Open this folder").click();
    // The load runs on its own thread: step, wait for it, then settle.
    harness.run_steps(2);
    harness.state_mut().wait_for_load(Duration::from_secs(30));
    harness.run();
    harness.get_by_label("5 of 5 documents");
}

#[test]
fn a_iiif_manifest_url_typed_in_the_chooser_opens() {
    use std::io::{BufRead as _, Write as _};
    let manifest = serde_json::json!({
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "type": "Manifest",
        "label": {"en": ["A manifest served here"]},
        "items": [{"type": "Canvas", "label": {"en": ["f. 1r"]},
                   "items": [{"items": [{"body": {"id": "http://127.0.0.1:9/page.jpg"}}]}]}]
    })
    .to_string();
    // One answer, from 127.0.0.1, then the server is gone (after 60 s
    // at most, whatever happens).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "http://{}/manifest.json",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    listener
        .set_nonblocking(true)
        .unwrap_or_else(|e| panic!("{e}"));
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + Duration::from_mins(1);
        while std::time::Instant::now() < deadline {
            let Ok((stream, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            };
            let _ = stream.set_nonblocking(false);
            let mut reader = std::io::BufReader::new(&stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut stream = &stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{manifest}",
                manifest.len()
            );
            return;
        }
    });
    let mut harness = harness(loaded(&documents()));
    harness.run();
    harness
        .state_mut()
        .apply(Command::Browse(Some(documents())));
    harness.run();
    // The field holds the folder shown: select it all, type over it.
    harness.get_by_label("Folder or URL").focus();
    harness.run();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::A);
    harness.run();
    harness.get_by_label("Folder or URL").type_text(&url);
    harness.run();
    harness.get_by_label("Go").click();
    harness.run_steps(2);
    harness.state_mut().wait_for_load(Duration::from_secs(30));
    harness.run();
    harness.get_by_label("1 of 1 document");
    harness.get_by_label("A manifest served here");
}

#[test]
fn a_missing_folder_is_a_notice() {
    let mut harness = harness(loaded(std::path::Path::new("/no/such/folio/folder")));
    harness.run();
    assert!(harness.query_by_label_contains("no such folder").is_some());
}

#[test]
fn filter_panel_narrows_the_list() {
    let mut harness = harness(loaded(&documents()));
    harness.run();
    harness.get_by_label("5 of 5 documents");
    // Authors merge name variants: one entry per authority person.
    harness.get_by_label("Alihan Tore (1)").click();
    harness.run();
    harness.get_by_label("1 of 5 documents");
    harness.get_by_label("Letter from Alihan Tore to Commander-in-Chief Marshal Stalin");
    assert!(
        harness
            .query_by_label("Concerning a Peace Settlement in Kashgar")
            .is_none()
    );
    // Other facets follow the selection; the author facet keeps its own counts.
    harness.get_by_label("Ahmetjan Qasimi (1)");
    harness.get_by_label("Clear all").click();
    harness.run();
    harness.get_by_label("5 of 5 documents");

    // The archive tree: RGASPI holds two documents.
    harness.get_by_label("RGASPI (2)").click();
    harness.run();
    harness.get_by_label("2 of 5 documents");
    harness.get_by_label("Concerning a Peace Settlement in Kashgar");
    assert!(
        harness
            .query_by_label("Letter from Alihan Tore to Commander-in-Chief Marshal Stalin")
            .is_none()
    );
    // Combined with a language of the texts (AND).
    harness.get_by_label("Clear all").click();
    harness.run();
    harness.get_by_label("Chinese (zh) (1)").scroll_to_me();
    harness.run();
    harness.get_by_label("Chinese (zh) (1)").click();
    harness.run();
    harness.get_by_label("1 of 5 documents");
    harness.get_by_label("East Turkistan Government in Exile marks the 75th anniversary of the Soviet betrayal of East Turkistan");
}

#[test]
fn date_commands_filter_by_interval() {
    let mut state = loaded(&documents());
    state.apply(Command::SetDates {
        from: folio::model::Ymd::new(1945, 1, 1),
        to: folio::model::Ymd::new(1947, 12, 31),
    });
    assert_eq!(state.selection.documents.len(), 2);
    state.apply(Command::SetIncludeUndated(true));
    assert_eq!(state.selection.documents.len(), 3);
    // The timeline counts every year whatever the date filter is.
    assert_eq!(state.selection.years.len(), 4);
    state.apply(Command::ClearFilters);
    assert_eq!(state.selection.documents.len(), 5);
}

/// A corpus with one two-page letter: scans and both layers divided into
/// pages by markers.
pub(crate) fn two_page_letter() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(
        dir.path(),
        "letter/document.toml",
        "id = \"letter\"\ntitle = \"A letter in two pages\"\ndate = \"1946-03\"\noriginal_language = \"ru\"\nsource_url = \"https://example.org/letter\"\n",
    );
    write(
        dir.path(),
        "letter/original.ru.md",
        "[л. 1]\nПервая страница письма.\n[л. 2]\nВторая страница письма.\n",
    );
    write(
        dir.path(),
        "letter/translation.en.md",
        "[p. 1]\nFirst page of the letter.\n[p. 2]\nSecond page of the letter.\n",
    );
    for name in ["001.png", "002.png"] {
        let path = dir.path().join("letter/scan").join(name);
        std::fs::create_dir_all(path.parent().unwrap_or(dir.path()))
            .unwrap_or_else(|e| panic!("{e}"));
        image::RgbaImage::from_pixel(300, 400, image::Rgba([230, 220, 200, 255]))
            .save(&path)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

#[test]
fn reader_pages_move_together() {
    let dir = two_page_letter();
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    harness.get_by_label("A letter in two pages").click();
    harness.run();
    // Scan | original | translation, all at page 1.
    assert_eq!(
        harness.query_all_by_label("A letter in two pages").count(),
        2,
        "the list row and the reader's title"
    );
    harness.get_by_label("Page 1 of 2");
    harness.get_by_label("Первая страница письма.");
    harness.get_by_label("First page of the letter.");
    assert!(
        harness
            .query_by_label("Second page of the letter.")
            .is_none()
    );
    harness.get_by_label("Source: https://example.org/letter");

    harness.get_by_label("▶").click();
    harness.run();
    harness.get_by_label("Page 2 of 2");
    harness.get_by_label("Вторая страница письма.");
    harness.get_by_label("Second page of the letter.");
    assert!(
        harness
            .query_by_label("First page of the letter.")
            .is_none()
    );

    harness.key_press(eframe::egui::Key::PageUp);
    harness.run();
    harness.get_by_label("Page 1 of 2");

    // The scan decodes in the background and arrives as a texture.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while harness.state().images.texture_bytes() == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    assert!(harness.state().images.texture_bytes() > 0);

    // Two panes: the third goes away; the page stays.
    harness.get_by_label("2").click();
    harness.run();
    assert_eq!(harness.state().reader.panes.len(), 2);
    harness.get_by_label("Page 1 of 2");
}

#[test]
fn keyboard_and_sorting_drive_the_list() {
    let mut harness = harness(loaded(&documents()));
    harness.run();
    // Date order: the 1937 decision comes first, undated last.
    harness.key_press(eframe::egui::Key::ArrowDown);
    harness.run();
    let open_title = |h: &Harness<'static, AppState>| {
        let state = h.state();
        let index = state
            .reader
            .document
            .unwrap_or_else(|| panic!("no document open"));
        state
            .corpus
            .as_ref()
            .map(|c| c.documents[index as usize].title.clone())
    };
    assert_eq!(
        open_title(&harness).as_deref(),
        Some("Concerning a Peace Settlement in Kashgar")
    );
    harness.key_press(eframe::egui::Key::ArrowDown);
    harness.run();
    assert_eq!(
        open_title(&harness).as_deref(),
        Some("Letter from Alihan Tore to Commander-in-Chief Marshal Stalin")
    );
    harness.key_press(eframe::egui::Key::End);
    harness.run();
    assert_eq!(open_title(&harness).as_deref(), Some("Ehmetjan Qasim"));
    // Seed 004 has no scan: the pane says so, with the source link.
    harness.get_by_label("No scan for this document");

    // Enter reads full width (no filters, no list); Escape comes back.
    harness.key_press(eframe::egui::Key::Enter);
    harness.run();
    assert!(harness.state().reading_mode);
    assert!(harness.query_by_label("Clear all").is_none());
    assert!(harness.query_by_label("Authors").is_none());
    harness.key_press(eframe::egui::Key::Escape);
    harness.run();
    harness.get_by_label("Authors");

    // Sort by title, then reverse it.
    harness.get_by_label_contains("Title").click();
    harness.run();
    let titles = |h: &Harness<'static, AppState>| -> Vec<String> {
        let state = h.state();
        let corpus = state.corpus.as_ref().unwrap_or_else(|| panic!("no corpus"));
        state
            .rows
            .iter()
            .map(|&i| corpus.documents[i as usize].title.clone())
            .collect()
    };
    let ascending = titles(&harness);
    assert_eq!(ascending[0], "Concerning a Peace Settlement in Kashgar");
    assert_eq!(
        ascending[1],
        "East Turkistan Government in Exile marks the 75th anniversary of the Soviet betrayal of East Turkistan"
    );
    harness.get_by_label_contains("Title").click();
    harness.run();
    let mut descending = titles(&harness);
    descending.reverse();
    assert_eq!(descending, ascending);
}

#[test]
fn uyghur_runs_read_right_to_left() {
    let mut state = loaded(&documents());
    let index = state
        .corpus
        .as_ref()
        .and_then(|c| {
            c.documents
                .iter()
                .position(|d| d.id == "ehmetjan-qasim-encyclopedia")
        })
        .unwrap_or_else(|| panic!("seed 004 missing"));
    state.apply(Command::OpenDocument(u32::try_from(index).ok()));
    // A reader wide enough for the name to stay on one row.
    state.settings.reader_width = 900.0;
    let mut harness = harness(state);
    harness.run();
    // "Ehmetjan Qasim (Uyghur: ئەخمەتجان قاسىمى, April 15, …": drawn left
    // to right, the second Uyghur word comes first, so the first stands on
    // the right, and the Latin continues after it (wherever the row wraps).
    assert!(
        harness
            .query_by_label_contains("قاسىمى ئەخمەتجان,")
            .is_some()
    );
    // The infobox line "Uyghur" + name, in one mixed line.
    harness.get_by_label("Uyghurقاسىمى ئەخمەتجان");
    assert!(
        harness
            .query_by_label_contains("ئەخمەتجان قاسىمى")
            .is_none(),
        "no line may keep the logical order on screen"
    );
}

#[test]
fn dragging_over_the_timeline_narrows_the_list_and_zooms_to_months() {
    let mut harness = harness(loaded(&documents()));
    harness.run();
    harness.get_by_label("5 of 5 documents");
    // Years 1937..=2024 are 88 bars; brush from 1944 to 1947.
    let rect = harness.get_by_label("Timeline").rect();
    let x = |year: i32| rect.left() + (year - 1937) as f32 / 88.0 * rect.width() + 1.0;
    let y = rect.center().y;
    harness.hover_at(eframe::egui::pos2(x(1944), y));
    harness.run();
    harness.drag_at(eframe::egui::pos2(x(1944), y));
    harness.run();
    for year in 1945..=1947 {
        harness.hover_at(eframe::egui::pos2(x(year), y));
        harness.run();
    }
    // The list follows while the button is still down.
    harness.get_by_label("2 of 5 documents");
    harness.drop_at(eframe::egui::pos2(x(1947), y));
    harness.run();
    harness.get_by_label("2 of 5 documents");
    harness.get_by_label_contains("Letter from Alihan Tore");
    harness.get_by_label_contains("Letter from Ahmetjan Qasimi");
    assert!(
        harness
            .query_by_label_contains("Concerning a Peace")
            .is_none()
    );
    // Four years brushed: the timeline now shows them by month.
    assert_eq!(
        harness.state().filter_panel.dates.timeline.zoom,
        Some((1944, 1947))
    );
    harness.get_by_label_contains("by month");
    harness.get_by_label("All years").click();
    harness.run();
    assert_eq!(harness.state().filter_panel.dates.timeline.zoom, None);
}

#[test]
fn search_box_narrows_the_list_and_marks_hits() {
    let mut harness = harness(loaded(&documents()));
    harness.run();
    let field = harness.get_by_label("Search");
    field.focus();
    field.type_text("Kuldja");
    // The search runs on its own thread: step, wait for it, then settle.
    harness.run_steps(3);
    harness.state_mut().wait_for_load(Duration::from_secs(30));
    harness.run();
    // One letter has Кульджа, two more the place's other names (Ghulja,
    // Yining); the filters count only them.
    harness.get_by_label("3 of 5 documents");
    harness.get_by_label_contains("3 documents match the search");
    assert!(harness.query_all_by_label_contains("Ghulja").count() >= 2);
    assert_eq!(harness.state().rows.len(), 3);
    // Open the 1945 letter: the reader counts the hits in both its texts
    // (Кульджа; Ghulja [Yining]) and steps to them.
    let letter = row_of(&harness, "1945-04-22-alihan-tore-to-stalin");
    harness.state_mut().apply(Command::OpenDocument(letter));
    harness.run();
    harness.get_by_label("Hit – of 3");
    harness.key_press(eframe::egui::Key::F3);
    harness.run();
    harness.get_by_label("Hit 1 of 3");
    // Clearing the search brings every document back.
    harness.state_mut().apply(Command::Search(String::new()));
    harness.run();
    harness.get_by_label("5 of 5 documents");
}

/// Copies a folder tree (files and folders only).
#[test]
fn the_open_corpus_follows_its_folder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("corpus");
    common::copy_tree(&documents(), &root);
    let mut state = AppState::default();
    state.follow.every = Duration::from_millis(50);
    state.apply(Command::Open(root.clone()));
    state.wait_for_load(Duration::from_secs(30));
    let mut harness = harness(state);
    harness.run();
    // A filter, an open document and a search, set up before the folder changes.
    harness.get_by_label("RGASPI (2)").click();
    harness.run();
    harness.get_by_label("2 of 5 documents");
    harness
        .get_by_label("Concerning a Peace Settlement in Kashgar")
        .click();
    harness.run();
    harness.get_by_label_contains("4 April 1937");

    // Another program edits the open document, adds one and removes one.
    let politburo = root.join("1937-04-04-politburo-kashgar/translation.en.md");
    let mut text = std::fs::read_to_string(&politburo).unwrap_or_else(|e| panic!("{e}"));
    text.insert_str(0, "Filed again by the archivist.\n\n");
    std::fs::write(&politburo, text).unwrap_or_else(|e| panic!("{e}"));
    write(
        &root,
        "1946-01-02-new-letter/document.toml",
        "id = \"1946-01-02-new-letter\"\ntitle = \"A letter that arrived later\"\ndate = \"1946-01-02\"\narchive = \"RGASPI F. 17, Op. 128, D. 392\"\n",
    );
    write(
        &root,
        "1946-01-02-new-letter/original.en.md",
        "Dear colleague, the letter arrived.\n",
    );
    std::fs::remove_dir_all(root.join("ehmetjan-qasim-encyclopedia"))
        .unwrap_or_else(|e| panic!("{e}"));

    // The changes may arrive in one refresh or several: wait for all.
    let arrived = |state: &AppState| {
        state.watch.as_ref().is_some_and(|w| w.indexing.is_none())
            && state.corpus.as_ref().is_some_and(|c| {
                c.document("1946-01-02-new-letter").is_some()
                    && c.document("ehmetjan-qasim-encyclopedia").is_none()
                    && c.document("1937-04-04-politburo-kashgar")
                        .is_some_and(|d| d.layers.iter().any(|l| l.text.starts_with("Filed again")))
            })
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !arrived(harness.state()) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run();
    assert!(arrived(harness.state()), "the changes were not followed");
    let update = harness.state().update.clone().unwrap_or_default();
    assert!(update.starts_with("folder changed: "), "{update}");
    harness.get_by_label(&update);
    // The filter holds (the new letter is in RGASPI too), the document
    // stays open and shows its new text.
    harness.get_by_label("3 of 5 documents");
    harness.get_by_label("A letter that arrived later");
    // The reader lays the new text out in a frame or two (more on a busy
    // machine): waited for, not assumed.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while harness
        .query_by_label_contains("Filed again by the archivist.")
        .is_none()
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.get_by_label_contains("Filed again by the archivist.");
    let open = harness.state().reader.document.map(|i| {
        harness
            .state()
            .corpus
            .as_ref()
            .map(|c| c.documents[i as usize].id.clone())
    });
    assert_eq!(open, Some(Some("1937-04-04-politburo-kashgar".to_owned())));
    // The updated index finds the new words.
    search(&mut harness, "archivist");
    harness.get_by_label("1 of 5 documents");
    harness.get_by_label_contains("1 document matches the search");
}

/// Searches for `text` and waits for the answer.
fn search(harness: &mut Harness<'static, AppState>, text: &str) {
    harness.state_mut().apply(Command::Search(text.into()));
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while (harness.state().search_index.is_none() || harness.state().search.is_running())
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run();
}

/// The list row (corpus index) of the document with this id.
fn row_of(harness: &Harness<'static, AppState>, id: &str) -> Option<u32> {
    let state = harness.state();
    let corpus = state.corpus.as_ref()?;
    state
        .rows
        .iter()
        .copied()
        .find(|&i| corpus.documents.get(i as usize).is_some_and(|d| d.id == id))
}

#[test]
fn an_empty_list_says_what_empties_it_and_clears_it_in_one_click() {
    let mut harness = harness(loaded(&common::documents()));
    harness.run();
    search(&mut harness, "zzyzxnowhere");
    harness.get_by_label("No document matches the search “zzyzxnowhere”.");
    assert!(harness.query_by_label("Clear the filters").is_none());
    harness.get_by_label("Clear the search").click();
    harness.run();
    assert!(!harness.state().search.is_active());
    harness.get_by_label("5 of 5 documents");

    // Three matches (Kuldja, Ghulja, Yining), and a filter that leaves them
    // out: both are named.
    search(&mut harness, "Kuldja");
    harness.state_mut().apply(Command::SetDates {
        from: folio::model::Ymd::new(1990, 1, 1),
        to: None,
    });
    harness.run();
    harness.get_by_label("3 documents match the search; the filters leave none.");
    harness.get_by_label("Clear the filters").click();
    harness.run();
    harness.get_by_label("3 of 5 documents");

    // Another folder opens unsearched.
    let other = two_page_letter();
    harness
        .state_mut()
        .apply(Command::Open(other.path().to_owned()));
    harness.state_mut().wait_for_load(Duration::from_secs(30));
    harness.run();
    assert!(!harness.state().search.is_active());
    assert!(harness.state().search.text.is_empty());
}

#[test]
fn scan_adjustments_apply_to_the_shown_page() {
    let dir = two_page_letter();
    let mut harness = harness(loaded(dir.path()));
    // Wide enough for the scan pane's whole toolbar beside two text panes.
    harness.set_size(eframe::egui::vec2(1800.0, 800.0));
    harness.run();
    harness.get_by_label("A letter in two pages").click();
    harness.run();
    let key = folio::ui::images::ImageKey {
        path: dir.path().join("letter/scan/001.png"),
        index: 0,
    };
    settle(&mut harness, &|state| state.images.texture_bytes() > 0);

    // (The pointer click lands on the pane below the menu button here;
    // the real window opens the menu on a click, checked under Xvfb.)
    harness.get_by_label("Adjust").click_accesskit();
    harness.run();
    harness.get_by_label("Invert").click();
    harness.run();
    let inverted = folio::ui::images::Adjustments {
        invert: true,
        ..Default::default()
    };
    assert_eq!(harness.state().reader.scan.adjust, inverted);
    settle(&mut harness, &|state| {
        state.images.is_adjusted(&key, inverted)
    });
    assert!(harness.state().images.is_adjusted(&key, inverted));

    // The next page keeps the adjustment; Reset (the menu stays open
    // while it is used) clears it.
    harness.state_mut().apply(Command::SetPage(1));
    harness.run();
    assert_eq!(harness.state().reader.scan.adjust, inverted);
    harness.get_by_label("Adjust •");
    harness.get_by_label("Reset").click();
    harness.run();
    assert_eq!(
        harness.state().reader.scan.adjust,
        folio::ui::images::Adjustments::default()
    );
}

#[test]
fn a_large_scan_zoomed_to_100_percent_comes_in_tiles() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // A 6000×900 map: wider than a whole-page texture may be.
    image::RgbImage::from_fn(6000, 900, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    })
    .save(dir.path().join("map.png"))
    .unwrap_or_else(|e| panic!("{e}"));
    let mut harness = harness(loaded(dir.path()));
    harness.set_size(eframe::egui::vec2(1600.0, 800.0));
    harness.run();
    harness.get_by_label_contains("map").click();
    harness.run();
    settle(&mut harness, &|state| state.images.texture_bytes() > 0);
    assert_eq!(
        harness.state().images.tiles_made(),
        0,
        "fit page: the whole page"
    );
    harness.get_by_label("100%").click();
    harness.run();
    settle(&mut harness, &|state| state.images.tiles_made() > 0);
    // The pane (about half the window) shows two or three tiles across
    // of the 900-pixel-high page; none of the far end of the map.
    let made = harness.state().images.tiles_made();
    assert!((1..=3).contains(&made), "{made} tiles");
}

#[test]
fn a_book_read_right_to_left_turns_its_pages_to_the_left() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Its pages point at a closed port: they say why they are not shown.
    let canvas = |n: u32| {
        serde_json::json!({"type": "Canvas", "label": {"none": [format!("{n}")]},
            "items": [{"items": [{"body": {"id": format!("http://127.0.0.1:9/{n}.jpg")}}]}]})
    };
    let manifest = serde_json::json!({
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "type": "Manifest",
        "label": {"en": ["A book read right to left"]},
        "viewingDirection": "right-to-left",
        "items": [canvas(1), canvas(2), canvas(3)]
    });
    write(dir.path(), "book.json", manifest.to_string());
    let mut harness = harness(loaded(dir.path()));
    harness.state_mut().apply(Command::OpenDocument(Some(0)));
    harness.run();
    harness.get_by_label("Page 1 of 3");
    harness.get_by_label("right to left");
    // The left arrow is the next page, the right one the previous (the
    // first of each label: the page arrows come before the hit arrows).
    for (arrow, then) in [
        ("◀", "Page 2 of 3"),
        ("◀", "Page 3 of 3"),
        ("▶", "Page 2 of 3"),
    ] {
        if let Some(button) = harness.get_all_by_label(arrow).next() {
            button.click();
        }
        harness.run();
        harness.get_by_label(then);
    }
}

#[test]
fn ocr_lines_link_the_text_and_the_scan() {
    if common::missing_shared("samples") {
        return;
    }
    let mut harness = harness(loaded(&common::samples().join("kant-1784")));
    harness.set_size(eframe::egui::vec2(1600.0, 900.0));
    let index = harness
        .state()
        .corpus
        .as_ref()
        .and_then(|c| c.documents.iter().position(|d| d.id == "kant-1784"))
        .and_then(|i| u32::try_from(i).ok());
    harness.state_mut().apply(Command::OpenDocument(index));
    harness.run();
    // The scan offers its lines; the text's lines are the page's lines.
    harness.get_by_label("Lines");
    let line = "Was iſt Aufklaͤrung?";
    harness.get_by_label(line).hover();
    harness.run();
    let hovered = harness.state().reader.hovered_line.clone();
    let text = |state: &AppState, range: std::ops::Range<usize>| {
        state
            .corpus
            .as_ref()
            .and_then(|c| c.document("kant-1784"))
            .map(|d| d.layers[0].text[range].to_owned())
    };
    let (layer, range) = hovered.unwrap_or_else(|| panic!("hovering a line outlines nothing"));
    assert_eq!(layer, 0);
    assert_eq!(text(harness.state(), range).as_deref(), Some(line));
    // Clicking it chooses it (outlined on the scan, marked in the text).
    harness.get_by_label(line).click();
    harness.run();
    let (_, chosen) = harness
        .state()
        .reader
        .line
        .clone()
        .unwrap_or_else(|| panic!("clicking a line chooses nothing"));
    assert_eq!(text(harness.state(), chosen).as_deref(), Some(line));
    // The chosen line is a page region that can take a note of its own.
    let anchor = harness
        .state()
        .region_anchor()
        .unwrap_or_else(|| panic!("the chosen line is no region"));
    assert_eq!((anchor.page, anchor.text.as_str()), (1, line));
    harness.get_by_label("Notes and tags").click();
    harness.run();
    harness.get_by_label(&format!("Note on the chosen line: {line}"));
}

#[test]
fn cite_and_export_from_the_window() {
    let mut harness = harness(loaded(&documents()));
    harness.run();
    harness
        .get_by_label("Letter from Alihan Tore to Commander-in-Chief Marshal Stalin")
        .click();
    harness.run();
    harness.get_by_label("Cite").click();
    harness.run();
    harness.get_by_label("Copy Chicago note").click();
    harness.run();
    let copied = harness.state().last_copied.clone().unwrap_or_default();
    assert!(
        copied.starts_with("Alihan Tore to Stalin, April 22, 1945, “Letter from Alihan Tore"),
        "{copied}"
    );
    harness.get_by_label_contains("copied: Citations, Chicago notes");

    // The selection (narrowed by a filter) saved as CSV through the Save window.
    harness.get_by_label("RGASPI (2)").click();
    harness.run();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("rgaspi.csv");
    harness.get_by_label("Export").click();
    harness.run();
    harness.get_by_label("CSV (spreadsheet)").click();
    harness.run();
    harness.get_by_label("Save to a file…").click();
    harness.run();
    harness.get_by_label("2 documents, in the list's order, as CSV (spreadsheet).");
    if let Some(window) = harness.state_mut().export_window.as_mut() {
        window.path = file.display().to_string();
    }
    harness.run();
    harness.get_by_label("Save").click();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !file.exists() && std::time::Instant::now() < deadline {
        harness.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.run_steps(3);
    let csv = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains("Concerning a Peace Settlement in Kashgar"));
    harness.get_by_label_contains("2 documents exported to");
}

#[test]
fn notes_tags_and_bookmarks_are_saved_and_filter_the_list() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let corpus = dir.path().join("documents");
    common::copy_tree(&documents(), &corpus);
    let mut harness = harness(loaded(&corpus));
    harness.run();
    harness
        .get_by_label("Letter from Alihan Tore to Commander-in-Chief Marshal Stalin")
        .click();
    harness.run();
    harness.get_by_label("Notes and tags").click();
    harness.run();
    harness.get_by_label("☆ Bookmark").click();
    harness.run();
    harness
        .state_mut()
        .apply(Command::AddTag("to check".into()));
    harness.state_mut().apply(Command::SetDocumentNote(
        "Compare with **GARF** copy.".into(),
    ));
    harness.run();
    harness.get_by_label("★ Bookmarked");
    harness.get_by_label("to check ✕");
    // Completion offers the corpus's own tags.
    harness.state_mut().notes_view.tag_input = "soviet".into();
    harness.run();
    harness.get_by_label("+ Soviet aid").click();
    harness.run();
    harness.get_by_label("Soviet aid ✕");

    // Saved in the sidecar as plain TOML.
    harness.state_mut().notes.flush();
    let file = corpus
        .join(".folio/notes")
        .join(folio::research::notes::file_name(
            "1945-04-22-alihan-tore-to-stalin",
        ));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let saved: folio::research::notes::DocumentNotes =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(saved.bookmarked, "{text}");
    assert_eq!(saved.tags, ["to check", "Soviet aid"], "{text}");
    assert_eq!(saved.note, "Compare with **GARF** copy.", "{text}");

    // The notes filter the list (the section is below the fold: clicked
    // through accessibility, as a screen reader would).
    harness.get_by_label("Bookmarked (1)").click_accesskit();
    harness.run();
    harness.get_by_label("1 of 5 documents");
    harness.get_by_label("Clear all").click();
    harness.run();
    harness.get_by_label("5 of 5 documents");
    harness.get_by_label("to check (1)").click_accesskit();
    harness.run();
    harness.get_by_label("1 of 5 documents");

    // Another window on the same corpus reads them back.
    let mut again = AppState::default();
    again.apply(Command::Open(corpus.clone()));
    again.wait_for_load(Duration::from_secs(30));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while again.notes.is_loading() && std::time::Instant::now() < deadline {
        again.poll(Duration::from_millis(10));
        std::thread::sleep(Duration::from_millis(10));
    }
    let notes = again
        .notes
        .of("1945-04-22-alihan-tore-to-stalin")
        .unwrap_or_else(|| panic!("notes not read back"));
    assert!(notes.bookmarked);
    assert_eq!(notes.tags, ["to check", "Soviet aid"]);
}

#[test]
fn person_page_and_names_to_reconcile() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let corpus = dir.path().join("documents");
    common::copy_tree(&documents(), &corpus);
    let mut state = loaded(&corpus);
    state.follow = folio::ui::loader::Follow {
        every: Duration::from_millis(100),
    };
    let mut harness = harness(state);
    harness.run();
    harness
        .get_by_label("Letter from Alihan Tore to Commander-in-Chief Marshal Stalin")
        .click();
    harness.run();
    // The person page: every document of the person, with roles.
    harness.get_by_label("Stalin").click();
    harness.run();
    harness.get_by_label("Person: Joseph Stalin");
    harness.get_by_label_contains("Also written: Stalin · I. V. Stalin");
    harness.get_by_label("recipient");
    harness.get_by_label("mentioned");
    // The window's link (drawn over the list, which has the same title).
    harness
        .get_all_by_label(
            "Letter from Ahmetjan Qasimi and Rahim Jan Sabri to Mr. Savel'yev, Consul General of the USSR in Urumqi",
        )
        .last()
        .unwrap_or_else(|| panic!("the person page lists the Qasimi letter"))
        .click();
    harness.run();
    assert_eq!(
        harness
            .state()
            .reader
            .document
            .and_then(|i| harness.state().corpus.as_ref()?.documents.get(i as usize))
            .map(|d| d.id.as_str()),
        Some("1947-07-12-qasimi-sabri-to-savelyev")
    );

    // Names to reconcile: merge "V. Popova" into an entry, then undo.
    harness.state_mut().apply(Command::ShowPerson(None));
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Names to reconcile…").click();
    let wait = |harness: &mut Harness<'static, AppState>, done: &dyn Fn(&AppState) -> bool| {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !done(harness.state()) && std::time::Instant::now() < deadline {
            harness.run_steps(1);
            std::thread::sleep(Duration::from_millis(20));
        }
        harness.run();
    };
    wait(&mut harness, &|s| s.reconcile.names.is_some());
    harness.get_by_label("V. Popova");
    harness.state_mut().apply(Command::ChangeAuthority(
        folio::ui::people::AuthorityChange::Merge {
            kind: folio::authority::EntryKind::Person,
            name: "V. Popova".into(),
            into: "savelyev".into(),
        },
    ));
    // Saved, then the followed folder re-links the corpus and the list follows.
    wait(&mut harness, &|s| {
        s.reconcile
            .names
            .as_ref()
            .is_some_and(|names| !names.iter().any(|n| n.name == "V. Popova"))
    });
    let text = std::fs::read_to_string(corpus.join("authority.toml")).unwrap_or_default();
    assert!(text.contains("\"V. Popova\""), "{text}");
    assert!(harness.query_by_label("V. Popova").is_none());
    harness.get_by_label("Undo last change").click();
    wait(&mut harness, &|s| {
        s.reconcile
            .names
            .as_ref()
            .is_some_and(|names| names.iter().any(|n| n.name == "V. Popova"))
    });
    let text = std::fs::read_to_string(corpus.join("authority.toml")).unwrap_or_default();
    assert!(!text.contains("V. Popova"), "{text}");
    harness.get_by_label("V. Popova");
}

#[test]
fn the_timeline_colours_its_bars_by_author() {
    let mut harness = harness(loaded(&documents()));
    harness.run();
    harness.get_by_label("Colour by").click();
    harness.run();
    harness.get_by_label("author").click();
    harness.run();
    assert_eq!(
        harness.state().settings.timeline_colour,
        folio::index::facets::GroupBy::Author
    );
    // The legend names the authors of the dated documents.
    harness.get_by_label("■ Alihan Tore");
    harness.get_by_label("■ other or no author");
    // Narrowing the selection recolours: only Alihan Tore's letter is left.
    harness.get_by_label("GARF (1)").click();
    harness.run();
    let stacks = harness
        .state()
        .timeline_stacks
        .clone()
        .unwrap_or_else(|| panic!("no stacks"));
    assert_eq!(stacks.labels, ["Alihan Tore", "other or no author"]);
    assert_eq!(stacks.years[0], [(1945, 1)]);
}

#[test]
fn a_notes_file_that_cannot_be_read_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let corpus = dir.path().join("documents");
    common::copy_tree(&documents(), &corpus);
    let id = "1945-04-22-alihan-tore-to-stalin";
    let file = corpus
        .join(".folio/notes")
        .join(folio::research::notes::file_name(id));
    write(
        &corpus,
        &format!(".folio/notes/{}", folio::research::notes::file_name(id)),
        "note = \"unterminated",
    );
    let mut harness = harness(loaded(&corpus));
    harness.run();
    harness
        .get_by_label("Letter from Alihan Tore to Commander-in-Chief Marshal Stalin")
        .click();
    harness.run();
    harness.state_mut().apply(Command::SetBookmark(true));
    harness.run();
    let notice = harness.state().notice.clone().unwrap_or_default();
    assert!(notice.contains("could not be read"), "{notice}");
    harness.state_mut().notes.flush();
    assert_eq!(
        std::fs::read_to_string(&file).ok().as_deref(),
        Some("note = \"unterminated"),
        "the user's file was replaced"
    );
}

/// The letter's id in the bundled corpus.
const LETTER: &str = "1945-04-22-alihan-tore-to-stalin";

/// A copy of the bundled corpus in `dir`, `prepare`d, opened with the
/// letter to Stalin in the reader.
fn letter_open(
    dir: &std::path::Path,
    prepare: impl FnOnce(&std::path::Path),
) -> (std::path::PathBuf, Harness<'static, AppState>) {
    let corpus = dir.join("documents");
    common::copy_tree(&documents(), &corpus);
    prepare(&corpus);
    let mut harness = harness(loaded(&corpus));
    harness.run();
    harness
        .get_by_label("Letter from Alihan Tore to Commander-in-Chief Marshal Stalin")
        .click();
    harness.run();
    (corpus, harness)
}

#[test]
fn a_notes_save_that_fails_is_shown_kept_and_retried() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let id = LETTER;
    let notes_file = |corpus: &std::path::Path| {
        corpus
            .join(".folio/notes")
            .join(folio::research::notes::file_name(id))
    };
    // A folder where the notes file should go: every save fails, even as
    // root (as a full disk or a read-only drive would make it).
    let (corpus, mut harness) = letter_open(dir.path(), |corpus| {
        std::fs::create_dir_all(notes_file(corpus)).unwrap_or_else(|e| panic!("{e}"));
    });
    let obstacle = notes_file(&corpus);
    harness.state_mut().apply(Command::SetDocumentNote(
        "Kept while the disk refuses.".into(),
    ));
    settle(&mut harness, &|state| state.notes.failed.contains_key(id));
    // Said where the user looks, the text still there, a retry offered.
    harness.get_by_label_contains("Not saved");
    harness.get_by_label("Try again now");
    harness.get_by_label_contains("kept in the corpus");
    assert_eq!(
        harness.state().notes.of(id).map(|n| n.note.as_str()),
        Some("Kept while the disk refuses.")
    );
    assert!(
        !dir.path().join("data").exists(),
        "never saved somewhere else"
    );
    // The obstacle goes: the retry saves it, and the warning goes too.
    std::fs::remove_dir(&obstacle).unwrap_or_else(|e| panic!("{e}"));
    harness.get_by_label("Try again now").click();
    settle(&mut harness, &|state| state.notes.failed.is_empty());
    assert!(harness.query_by_label_contains("Not saved").is_none());
    harness.state_mut().notes.flush();
    let saved = std::fs::read_to_string(&obstacle).unwrap_or_default();
    assert!(saved.contains("Kept while the disk refuses."), "{saved}");
}

#[test]
fn notes_changed_by_another_program_appear_and_a_clash_keeps_both() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let id = LETTER;
    let (corpus, mut harness) = letter_open(dir.path(), |_| {});
    harness
        .state_mut()
        .apply(Command::SetDocumentNote("Mine.".into()));
    settle(&mut harness, &|_state| {
        std::fs::read_to_string(
            corpus
                .join(".folio/notes")
                .join(folio::research::notes::file_name(id)),
        )
        .is_ok_and(|t| t.contains("Mine."))
    });
    // Another program adds a page note: it shows without a restart.
    let place = folio::research::sidecar::Place::Corpus {
        root: corpus.clone(),
    };
    let mut theirs = harness
        .state()
        .notes
        .of(id)
        .cloned()
        .unwrap_or_else(|| panic!("no notes"));
    theirs.set_page_note(1, "Theirs on page 1.".into());
    folio::research::notes::save(&place, &theirs).unwrap_or_else(|e| panic!("{e}"));
    settle(&mut harness, &|state| {
        state
            .notes
            .of(id)
            .is_some_and(|n| n.page_note(1) == "Theirs on page 1.")
    });
    assert_eq!(
        harness.state().notes.of(id).map(|n| n.note.as_str()),
        Some("Mine.")
    );
    // Both change the document's note: ours is kept and theirs offered.
    theirs.note = "Theirs, changed meanwhile.".into();
    folio::research::notes::save(&place, &theirs).unwrap_or_else(|e| panic!("{e}"));
    harness
        .state_mut()
        .apply(Command::SetDocumentNote("Mine, changed too.".into()));
    settle(&mut harness, &|state| !state.notes.conflicts.is_empty());
    harness.run();
    harness.get_by_label_contains("at the same time as here");
    harness.get_by_label("Use their version").click();
    harness.run();
    settle(&mut harness, &|state| {
        state
            .notes
            .of(id)
            .is_some_and(|n| n.note == "Theirs, changed meanwhile.")
    });
    assert!(harness.state().notes.conflicts.is_empty());
}

#[test]
fn a_long_text_is_drawn_a_screenful_at_a_time() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::from("A very long transcription\n\n");
    for line in 1..=40_000 {
        text.push_str(&format!("Paragraph {line} of the long transcription.\n"));
    }
    write(dir.path(), "long.txt", &text);
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    harness.get_by_label("A very long transcription").click();
    harness.run();
    harness.get_by_label("Paragraph 1 of the long transcription.");
    assert!(
        harness
            .query_by_label("Paragraph 39999 of the long transcription.")
            .is_none(),
        "paragraphs far out of view were laid out"
    );
    let laid_out = harness
        .query_all_by_label_contains("of the long transcription.")
        .count();
    assert!(laid_out < 200, "{laid_out} paragraphs laid out");
}

#[test]
fn doubtful_ocr_words_are_marked_on_the_scan_and_in_the_text() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    image::RgbaImage::from_pixel(400, 200, image::Rgba([240, 240, 240, 255]))
        .save(dir.path().join("page.png"))
        .unwrap_or_else(|e| panic!("{e}"));
    write(
        dir.path(),
        "page.hocr",
        "<?xml version=\"1.0\"?>\n<html><body><div class='ocr_page' title='image \"page.png\"; bbox 0 0 400 200'>\
         <span class='ocr_line' title='bbox 10 10 390 40'>\
         <span class='ocrx_word' title='bbox 10 10 120 40; x_wconf 96'>Народы</span> \
         <span class='ocrx_word' title='bbox 130 10 260 40; x_wconf 31'>Восточнаго</span> \
         <span class='ocrx_word' title='bbox 270 10 390 40; x_wconf 88'>Туркестана</span></span>\
         </div></body></html>",
    );
    let mut harness = harness(loaded(dir.path()));
    harness.set_size(eframe::egui::vec2(1400.0, 800.0));
    harness.state_mut().apply(Command::OpenDocument(Some(0)));
    harness.run();
    // Offered with their count; off until asked.
    assert!(!harness.state().reader.scan.show_doubtful);
    harness.get_by_label("Doubtful words (1)").click();
    harness.run();
    assert!(harness.state().reader.scan.show_doubtful);
    // The text is still one paragraph, its words all there.
    harness.get_by_label("Народы Восточнаго Туркестана");
    // It stays on when the page changes (like Lines).
    let doc = harness
        .state()
        .corpus
        .as_ref()
        .and_then(|c| c.documents.first())
        .cloned()
        .unwrap_or_else(|| panic!("no document"));
    harness.state_mut().reader.go_to(0, &doc);
    harness.run();
    assert!(harness.state().reader.scan.show_doubtful);
}

#[test]
fn the_reader_says_when_the_filters_leave_its_document_out() {
    let mut harness = harness(loaded(&common::documents()));
    harness.run();
    harness
        .get_by_label("Letter from Alihan Tore to Commander-in-Chief Marshal Stalin")
        .click();
    harness.run();
    let warning = "⚠ Not in the current selection: the filters or the search leave this document out of the list.";
    assert!(harness.query_by_label(warning).is_none());
    harness.state_mut().apply(Command::SetDates {
        from: folio::model::Ymd::new(1990, 1, 1),
        to: None,
    });
    harness.run();
    harness.get_by_label(warning);
    harness.get_by_label("Close it").click();
    harness.run();
    assert_eq!(harness.state().reader.document, None);
}

#[test]
fn the_interface_size_keys_leave_the_scan_at_its_fit() {
    let dir = two_page_letter();
    let mut harness = harness(loaded(dir.path()));
    harness.set_size(eframe::egui::vec2(1600.0, 900.0));
    harness.run();
    harness.get_by_label("A letter in two pages").click();
    harness.run();
    settle(&mut harness, &|state| state.images.texture_bytes() > 0);
    // The pointer over the scan (below its toolbar), then Ctrl+plus and
    // Ctrl+minus.
    let fit = harness.get_by_label("Fit page").rect();
    harness.hover_at(eframe::egui::pos2(fit.max.x + 20.0, fit.max.y + 200.0));
    harness.run();
    for key in [eframe::egui::Key::Plus, eframe::egui::Key::Minus] {
        harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, key);
        harness.run();
    }
    assert_eq!(
        harness.state().reader.scan.fit,
        folio::ui::scan::Fit::Page,
        "the scan lost its fit"
    );
    // Plus alone zooms the scan.
    harness.key_press(eframe::egui::Key::Plus);
    harness.run();
    assert_eq!(harness.state().reader.scan.fit, folio::ui::scan::Fit::Free);
}

#[test]
fn a_page_that_cannot_be_shown_says_why_in_a_sentence_and_its_path_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(dir.path(), "broken.png", "not a picture at all");
    let mut harness = harness(loaded(dir.path()));
    harness.set_size(eframe::egui::vec2(1400.0, 800.0));
    harness.run();
    harness.state_mut().apply(Command::OpenDocument(Some(0)));
    for _ in 0..200 {
        harness.step();
        if harness.query_by_label("Page 1 cannot be shown.").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run();
    harness.get_by_label("Page 1 cannot be shown.");
    harness.get_by_label("Its image could not be read.");
    // The detail: the reason with the file's path, once.
    let detail = harness
        .query_all_by_label_contains("broken.png")
        .find_map(|n| {
            use egui_kittest::kittest::NodeT as _;
            n.accesskit_node().label().or_else(|| n.value())
        })
        .unwrap_or_default();
    assert_eq!(detail.matches("broken.png").count(), 1, "{detail}");
    harness.get_by_label("Copy the details").click();
    harness.run();
}

#[test]
fn the_reader_gets_most_of_a_wide_window_by_default() {
    let mut state = loaded(&common::documents());
    state.settings.reader_width = 0.0;
    let mut harness = harness_sized(state, eframe::egui::vec2(1600.0, 1000.0));
    harness.run();
    let reader = harness.state().settings.reader_width;
    // The filters, the list about 340 for its titles: the reader the rest.
    assert!(reader >= 900.0, "the reader is {reader} wide");
}

#[test]
fn the_filter_panel_keeps_its_place_as_filters_come_and_go() {
    let mut harness = harness(loaded(&documents()));
    harness.run();
    let clear = harness.get_by_label("Clear all").rect();
    let date = harness.get_by_label("Date").rect();
    harness.get_by_label("No filters set");
    // Two authors: a long summary (one line, cut short) and a timeline by
    // month with its note under it (wrapped: the panel does not widen).
    harness.get_by_label("Alihan Tore (1)").click();
    harness.run();
    harness.get_by_label("Ahmetjan Qasimi (1)").click();
    harness.run();
    harness.get_by_label("2 of 5 documents");
    assert_eq!(harness.get_by_label("Clear all").rect(), clear);
    assert_eq!(harness.get_by_label("Date").rect(), date);
    // Clear all, clicked where it was, clears; it stays where it was.
    harness.get_by_label("Clear all").click();
    harness.run();
    harness.get_by_label("5 of 5 documents");
    harness.get_by_label("No filters set");
    assert_eq!(harness.get_by_label("Clear all").rect(), clear);
    assert_eq!(harness.get_by_label("Date").rect(), date);
}

#[test]
fn an_editors_note_is_marked_where_it_attaches_and_shown_on_hover() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(
        dir.path(),
        "brief.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
 <teiHeader><fileDesc><titleStmt><title>Ein Brief</title></titleStmt>
  <publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
 <text><body><p>Herzlichsten Dank<note>Für das Buch über Kant.</note></p><p>Ihr ergebener Kraus</p></body></text>
</TEI>"#,
    );
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    harness.get_by_label("Ein Brief").click();
    harness.run();
    // The paragraph shows the note's number where the note stands.
    let paragraph = harness.get_by_label("Herzlichsten Dank[1]").rect();
    assert!(harness.query_by_label("Note 1").is_none());
    // Hovering the number shows the note; the words before it do not.
    harness.hover_at(eframe::egui::pos2(
        paragraph.left() + 4.0,
        paragraph.center().y,
    ));
    harness.run();
    assert!(harness.query_by_label("Note 1").is_none());
    harness.hover_at(eframe::egui::pos2(
        paragraph.right() - 3.0,
        paragraph.center().y,
    ));
    harness.run();
    harness.get_by_label("Note 1");
    harness.get_by_label("Für das Buch über Kant.");
}

#[test]
fn a_searched_place_finds_and_marks_every_name_it_goes_by() {
    let mut harness = harness(loaded(&documents()));
    harness.run();
    search(&mut harness, "Kuldja");
    // Three documents name Ghulja: as Кульджа, Ghulja and Yining.
    harness.get_by_label("3 of 5 documents");
    let letter = row_of(&harness, "1947-07-12-qasimi-sabri-to-savelyev")
        .unwrap_or_else(|| panic!("the 1947 letter is found"));
    harness
        .state_mut()
        .apply(Command::OpenDocument(Some(letter)));
    harness.run();
    // Its translation writes "Ghulja [Yining]" and "Ghulja" again: three marks.
    harness.get_by_label("Hit – of 3");
}

#[test]
fn the_list_shows_a_thumbnail_of_each_scanned_document() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (name, shade) in [("a.png", 40u8), ("b.png", 200u8)] {
        let image = image::RgbImage::from_pixel(300, 400, image::Rgb([shade, shade, shade]));
        image
            .save(dir.path().join(name))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let mut harness = harness(loaded(dir.path()));
    harness.run();
    assert!(harness.state().has_scans && harness.state().settings.list_thumbnails);
    // No document is open: the pictures are the list's.
    settle(&mut harness, &|state| state.images.texture_bytes() > 0);
    assert!(harness.state().reader.document.is_none());
    assert!(harness.state().images.texture_bytes() > 0);
    // Turned off (the View menu's command), the list asks for none.
    let mut fresh = loaded(dir.path());
    fresh.apply(Command::SetListThumbnails(false));
    let mut harness = self::harness(fresh);
    harness.run();
    std::thread::sleep(Duration::from_millis(300));
    harness.run();
    assert_eq!(harness.state().images.texture_bytes(), 0);
}

#[test]
fn the_timeline_zooms_pans_resets_and_grows() {
    use eframe::egui::{Event, Modifiers, MouseWheelUnit, PointerButton, pos2, vec2};
    let mut harness = harness(loaded(&documents()));
    harness.run();
    let rect = harness.get_by_label("Timeline").rect();
    // Hovering a bar tells its count (1937..=2024: 88 bars).
    let x = |year: i32| rect.left() + (year - 1937) as f32 / 88.0 * rect.width() + 1.0;
    harness.hover_at(pos2(x(1945), rect.center().y));
    harness.run();
    harness.get_by_label_contains("1945: 1 document");
    // The wheel zooms in around the pointer.
    harness.event(Event::MouseWheel {
        unit: MouseWheelUnit::Point,
        delta: vec2(0.0, 60.0),
        phase: eframe::egui::TouchPhase::Move,
        source: eframe::egui::MouseWheelSource::Unknown,
        modifiers: Modifiers::NONE,
    });
    harness.run();
    let zoomed = harness.state().filter_panel.dates.timeline.zoom;
    let (start, end) = zoomed.unwrap_or_else(|| panic!("the wheel zooms"));
    assert!(
        start <= 1945 && 1945 <= end && end - start < 87,
        "{start}..{end}"
    );
    // Sideways scrolling pans, keeping the span.
    harness.event(Event::MouseWheel {
        unit: MouseWheelUnit::Point,
        delta: vec2(-200.0, 0.0),
        phase: eframe::egui::TouchPhase::Move,
        source: eframe::egui::MouseWheelSource::Unknown,
        modifiers: Modifiers::NONE,
    });
    harness.run();
    let (panned_start, panned_end) = harness
        .state()
        .filter_panel
        .dates
        .timeline
        .zoom
        .unwrap_or_else(|| panic!("still zoomed"));
    assert_eq!(panned_end - panned_start, end - start);
    assert!(
        panned_start > start,
        "panned later: {start}..{end} → {panned_start}..{panned_end}"
    );
    // A double click shows every year again, with no range.
    let at = pos2(rect.center().x, rect.center().y);
    // (The frames' times are set: the harness's own are a quarter second
    // apart or more, too slow for a double click.)
    harness.hover_at(at);
    harness.step();
    for (frame, presses) in [&[true][..], &[false, true], &[false]]
        .into_iter()
        .enumerate()
    {
        harness.input_mut().time = Some(100.0 + 0.05 * frame as f64);
        for &pressed in presses {
            harness.event(Event::PointerButton {
                pos: at,
                button: PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
        }
        harness.step();
    }
    harness.run();
    assert_eq!(harness.state().filter_panel.dates.timeline.zoom, None);
    assert_eq!(harness.state().filter.from, None);
    harness.get_by_label("5 of 5 documents");
    // The edge under the axis makes it taller, and the height is kept.
    let before = harness.state().settings.timeline_height;
    let edge = pos2(rect.center().x, rect.bottom() + 16.0 - 1.0);
    harness.hover_at(edge);
    harness.run();
    harness.drag_at(edge);
    harness.run();
    harness.hover_at(edge + vec2(0.0, 40.0));
    harness.run();
    harness.drop_at(edge + vec2(0.0, 40.0));
    harness.run();
    let after = harness.state().settings.timeline_height;
    assert!(after > before + 20.0, "{before} → {after}");
    assert!(harness.get_by_label("Timeline").rect().height() > rect.height() + 20.0);
}
