//! Machine OCR with Tesseract: pages rendered with known lines are read
//! back, kept in the sidecar, shown as a transcription layer linked to
//! the scan and found by search. Skipped (one line) where Tesseract or
//! `ImageMagick` is not installed.

use std::path::Path;
use std::process::Command;

use crate::common::{folio, stdout};

/// Whether `program` runs here; says why the test is skipped when not.
fn have(program: &str, why: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: {program} is not installed ({why})");
    }
    found
}

/// A page image of `lines` rendered at 40 px with a font of the system
/// (by `ImageMagick`).
fn render(dir: &Path, name: &str, lines: &[&str]) -> bool {
    let status = Command::new("convert")
        .args([
            "-size",
            "1600x900",
            "xc:white",
            "-font",
            "DejaVu-Sans",
            "-pointsize",
            "40",
            "-fill",
            "black",
        ])
        .args(["-annotate", "+80+150", &lines.join("\n")])
        .arg(dir.join(name))
        .status();
    status.is_ok_and(|s| s.success())
}

/// Characters of `expected` found in order in `got` (a longest common
/// subsequence), as a share.
fn accuracy(expected: &str, got: &str) -> f64 {
    let a: Vec<char> = expected.chars().filter(|c| !c.is_whitespace()).collect();
    let b: Vec<char> = got.chars().filter(|c| !c.is_whitespace()).collect();
    let mut row = vec![0usize; b.len() + 1];
    for &x in &a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                row[j + 1].max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()] as f64 / a.len().max(1) as f64
}

#[test]
fn photographed_pages_are_read_kept_shown_and_searched() {
    if !have("tesseract", "OCR") || !have("convert", "rendering the test pages") {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let russian = [
        "Уважаемый товарищ Сталин!",
        "Народы Восточного Туркестана",
        "надеются на Вашу помощь.",
    ];
    let english = [
        "Dear Marshal Stalin,",
        "the peoples of East Turkestan",
        "hope for your help.",
    ];
    assert!(render(dir.path(), "ru.png", &russian) && render(dir.path(), "en.png", &english));
    let before = crate::common::files_of(dir.path());
    let path = dir.path().to_string_lossy().into_owned();
    assert!(
        folio(&["describe", &path, "ru", "--lang", "ru"])
            .status
            .success()
    );
    assert!(
        folio(&["describe", &path, "en", "--lang", "en"])
            .status
            .success()
    );

    let read = folio(&["ocr", &path, "--json", "--jobs", "2"]);
    assert!(read.status.success(), "{read:?}");
    let lines = crate::common::json_lines(&read);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines
            .iter()
            .all(|l| l["confidence"].as_u64().is_some_and(|c| c > 50)),
        "{lines:?}"
    );

    for (id, expected) in [("ru", &russian), ("en", &english)] {
        let shown: serde_json::Value =
            serde_json::from_str(&stdout(&folio(&["show", &path, id, "--json"])))
                .unwrap_or_else(|e| panic!("{e}"));
        let layer = &shown["layers"][0];
        assert_eq!(layer["origin"], "ocr");
        let text = layer["text"].as_str().unwrap_or_default();
        let score = accuracy(&expected.join("\n"), text);
        eprintln!("OCR character accuracy, {id}: {:.1} %", score * 100.0);
        assert!(score > 0.95, "{id}: {score} {text:?}");
        // Every line region lies inside its page.
        for region in shown["pages"][0]["regions"]
            .as_array()
            .into_iter()
            .flatten()
        {
            for point in region["polygon"].as_array().into_iter().flatten() {
                let (x, y) = (
                    point[0].as_f64().unwrap_or(-1.0),
                    point[1].as_f64().unwrap_or(-1.0),
                );
                assert!(
                    (0.0..=1600.0).contains(&x) && (0.0..=900.0).contains(&y),
                    "{region}"
                );
            }
        }
    }
    let found = stdout(&folio(&["search", &path, "Туркестана"]));
    assert!(found.contains("ru"), "{found}");
    // Read again: that page's file is replaced, nothing else appears.
    let again = folio(&["ocr", &path, "--document", "ru"]);
    assert!(again.status.success(), "{again:?}");
    let kept = std::fs::read_dir(dir.path().join(".folio/ocr")).map_or(0, Iterator::count);
    assert_eq!(kept, 2);
    assert_eq!(
        crate::common::files_of(dir.path()),
        before,
        "the page images are untouched"
    );
}

#[test]
fn a_document_with_no_language_asks_for_one() {
    if !have("tesseract", "OCR") {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    crate::common::photo(dir.path(), "IMG_1.JPG", None);
    let output = folio(&["ocr", &dir.path().to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--lang"),
        "{output:?}"
    );
    let missing = folio(&["ocr", &dir.path().to_string_lossy(), "--lang", "tlh"]);
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("tesseract-ocr-tlh"),
        "{missing:?}"
    );
}

#[test]
fn without_tesseract_ocr_says_how_to_get_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    crate::common::photo(dir.path(), "IMG_1.JPG", None);
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["ocr", &dir.path().to_string_lossy(), "--lang", "rus"])
        .env("PATH", "/nonexistent")
        .env("FOLIO_CACHE_DIR", dir.path().join("cache"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("apt-get install tesseract-ocr"), "{said}");
    // Everything else works without it.
    let listed = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["list", &dir.path().to_string_lossy()])
        .env("PATH", "/nonexistent")
        .env("FOLIO_CACHE_DIR", dir.path().join("cache"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(listed.status.success());
}

#[test]
fn the_window_reads_a_page_and_shows_its_text_as_it_comes() {
    use crate::ui::{harness, settle};
    use egui_kittest::kittest::Queryable as _;
    use folio::ui::{AppState, Command, OcrScope};
    use std::time::Duration;
    if !have("tesseract", "OCR") || !have("convert", "rendering the test pages") {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let lines = ["Народы Восточного Туркестана", "надеются на Вашу помощь."];
    for name in ["a.png", "b.png", "c.png"] {
        assert!(render(dir.path(), name, &lines));
    }
    crate::common::write(
        dir.path(),
        ".folio/descriptions/a.toml",
        "id = \"a\"\noriginal_language = \"ru\"\n",
    );
    let mut state = AppState::default();
    state.follow.every = Duration::from_millis(50);
    state.apply(Command::Open(dir.path().to_owned()));
    state.wait_for_load(Duration::from_secs(30));
    let mut harness = harness(state);
    harness.run();
    crate::describe_ui::row(&harness, "a").click();
    harness.run();
    harness.state_mut().apply(Command::Ocr(OcrScope::Document));
    harness.step();
    settle(&mut harness, &|s| {
        s.ocr_job.is_none()
            && s.corpus
                .as_ref()
                .and_then(|c| c.document("a"))
                .is_some_and(|d| !d.layers.is_empty())
    });
    let status = harness.state().status.clone().unwrap_or_default();
    assert!(status.contains("OCR done: 1 of 1 pages"), "{status}");
    // Shown beside the scan, marked as machine OCR.
    let origin = harness
        .state()
        .corpus
        .as_ref()
        .and_then(|c| c.document("a"))
        .map(|d| d.layers[0].origin);
    assert!(
        matches!(origin, Some(folio::model::Origin::Ocr { .. })),
        "{origin:?}"
    );
    assert_eq!(
        harness.state().reader.panes,
        [
            folio::ui::reader::PaneContent::Scan,
            folio::ui::reader::PaneContent::Layer(0)
        ]
    );
    harness.get_by_label_contains("Туркестана");

    // Every document without text, cancelled at once: it stops.
    harness.state_mut().apply(Command::Ocr(OcrScope::Untexted));
    harness.state_mut().apply(Command::CancelOcr);
    settle(&mut harness, &|s| s.ocr_job.is_none());
    assert!(harness.state().ocr_job.is_none());
}

#[test]
fn bench_ocr_measures_folio_against_the_program() {
    let none = folio(&["bench-ocr"]);
    assert_eq!(none.status.code(), Some(2), "{none:?}");
    if !have("tesseract", "OCR") || !have("convert", "rendering the test pages") {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert!(render(
        dir.path(),
        "p.png",
        &["Народы Восточного Туркестана"]
    ));
    let page = dir.path().join("p.png").to_string_lossy().into_owned();
    let measured = folio(&["bench-ocr", &page, &page, "--jobs", "2", "--json"]);
    assert!(measured.status.success(), "{measured:?}");
    let lines = crate::common::json_lines(&measured);
    let report = &lines[0];
    assert_eq!(report["pages"], 2);
    assert_eq!(
        (report["width"].as_u64(), report["height"].as_u64()),
        (Some(1600), Some(900))
    );
    for key in ["tesseract_s", "folio_s", "folio_pages_per_minute"] {
        assert!(report[key].as_f64().is_some_and(|v| v > 0.0), "{report}");
    }
    // The pages are left as they were, nothing beside them.
    assert_eq!(std::fs::read_dir(dir.path()).map_or(0, Iterator::count), 1);
}
