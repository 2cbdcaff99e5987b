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
    assert!(harness.query_by_label_contains("5 documents").is_some());
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

    // Type another folder into the field and press Open.
    let field = harness.get_by_role(eframe::egui::accesskit::Role::TextInput);
    field.focus();
    harness.run();
    harness.state_mut().path_input.clear();
    harness
        .get_by_role(eframe::egui::accesskit::Role::TextInput)
        .type_text(&documents().to_string_lossy());
    harness.run();
    harness.get_by_label("Open").click();
    harness.run();
    harness.state_mut().wait_for_load(Duration::from_secs(30));
    harness.run();
    assert!(harness.query_by_label_contains("5 documents").is_some());
}

#[test]
fn a_missing_folder_is_a_notice() {
    let mut harness = harness(loaded(std::path::Path::new("/no/such/folio/folder")));
    harness.run();
    assert!(harness.query_by_label_contains("no such folder").is_some());
}
