//! The window driven headless with `egui_kittest`: the real app state, real
//! loads on the background thread, clicks by label.

mod common;

use std::time::Duration;

use common::{documents, write};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use folio::ui::{AppState, Command};

fn harness(state: AppState) -> Harness<'static, AppState> {
    let mut harness = Harness::builder()
        .with_context_setup(folio::ui::fonts::install)
        .build_ui_state(
            |ui, state: &mut AppState| {
                state.poll(Duration::from_millis(10));
                for command in state.ui(ui) {
                    state.apply(command);
                }
            },
            state,
        );
    harness.set_size(eframe::egui::vec2(1200.0, 700.0));
    harness
}

fn loaded(path: &std::path::Path) -> AppState {
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
    harness.get_by_label("Alihan Tore → Stalin");
    // Supplied dates are bracketed; undated documents say so.
    harness.get_by_label("[2024]");
    harness.get_by_label("undated");
    harness.get_by_label("GARF f. R-9401ss, op. 2, d. 95, ll. 352-359");
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
    harness.get_by_label("1 entries could not be loaded");
    harness.get_by_label("empty.txt");
    harness.get_by_label("empty file");
    harness.get_by_label("A letter");

    // Another folder through folio's own chooser.
    harness
        .state_mut()
        .apply(Command::Browse(Some(documents())));
    harness.run();
    harness.get_by_label("Open this folder").click();
    harness.run();
    harness.state_mut().wait_for_load(Duration::from_secs(30));
    harness.run();
    harness.get_by_label("5 of 5 documents");
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
