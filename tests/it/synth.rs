//! `folio synth` writes a deterministic corpus whose recorded truth the
//! loaders recover document by document: every date, archive level,
//! author (through name variants in four scripts) and layer.

use crate::common;

use crate::common::{files, folio};
use folio::corpus::{self, LoadOptions};
use folio::model::{LayerKind, Role};
use folio::tools::synth::{SynthOptions, Truth, generate};

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

#[test]
fn loaders_recover_the_truth() {
    let dir = tempdir();
    let report = generate(dir.path(), &SynthOptions { docs: 600, seed: 7 })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.documents, 600);
    let truths: Vec<Truth> = std::fs::read_to_string(dir.path().join(".synth/truth.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(truths.len(), 600);
    for format in ["clip", "folio", "loose"] {
        assert!(
            truths.iter().filter(|t| t.format == format).count() > 60,
            "too few {format}"
        );
    }
    for precision in ["day", "month", "year", "decade", "range", "unknown"] {
        assert!(
            truths.iter().any(|t| t.precision == precision),
            "no {precision} date"
        );
    }

    let corpus = corpus::load(dir.path(), &LoadOptions::default(), &|_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        corpus.errors.is_empty(),
        "{:#?}",
        &corpus.errors[..corpus.errors.len().min(5)]
    );
    assert_eq!(corpus.documents.len(), 600);
    for truth in &truths {
        let doc = corpus
            .document(&truth.id)
            .unwrap_or_else(|| panic!("{} missing", truth.id));
        let context = format!("{} ({}): {:?}", truth.id, truth.format, doc.source);
        assert!(doc.warnings.is_empty(), "{context}: {:?}", doc.warnings);
        assert_eq!(
            doc.date.start.map(|d| d.to_string()),
            truth.start,
            "{context} date {:?}",
            doc.date.text
        );
        assert_eq!(
            doc.date.end.map(|d| d.to_string()),
            truth.end,
            "{context} date {:?}",
            doc.date.text
        );
        assert_eq!(doc.date.precision.as_str(), truth.precision, "{context}");
        let archive = doc.archive.clone().unwrap_or_default();
        assert_eq!(
            archive.repository.as_deref(),
            Some(truth.repository.as_str()),
            "{context} {:?}",
            archive.raw
        );
        assert_eq!(
            archive.fond.as_deref(),
            Some(truth.fond.as_str()),
            "{context} {:?}",
            archive.raw
        );
        assert_eq!(
            archive.opis.as_deref(),
            Some(truth.opis.as_str()),
            "{context} {:?}",
            archive.raw
        );
        assert_eq!(archive.papka, truth.papka, "{context} {:?}", archive.raw);
        assert_eq!(
            archive.delo.as_deref(),
            Some(truth.delo.as_str()),
            "{context} {:?}",
            archive.raw
        );
        let authors: Vec<String> = doc
            .people_with(Role::Author)
            .filter_map(|p| p.authority.clone())
            .collect();
        assert_eq!(authors, truth.authors, "{context} {:?}", doc.people);
        assert_eq!(
            doc.people_with(Role::Recipient)
                .filter(|p| p.authority.is_some())
                .count(),
            1,
            "{context}"
        );
        let original = doc
            .original_language
            .as_deref()
            .map(folio::text::primary_subtag);
        assert_eq!(
            original,
            Some(truth.original_language.as_str()),
            "{context}"
        );
        let text_layers: Vec<_> = doc
            .layers
            .iter()
            .filter(|l| l.kind != LayerKind::Summary)
            .collect();
        assert_eq!(
            text_layers.len(),
            truth.layers,
            "{context} {:?}",
            text_layers.iter().map(|l| &l.language).collect::<Vec<_>>()
        );
        assert_eq!(text_layers[0].kind, LayerKind::Transcription, "{context}");
        assert!(
            text_layers[1..]
                .iter()
                .all(|l| l.kind == LayerKind::Translation),
            "{context}"
        );
        assert_eq!(doc.pages.len(), truth.pages, "{context}");
    }
}

#[test]
fn same_seed_same_corpus() {
    let (a, b, c) = (tempdir(), tempdir(), tempdir());
    let options = SynthOptions {
        docs: 120,
        seed: 99,
    };
    generate(a.path(), &options).unwrap_or_else(|e| panic!("{e}"));
    generate(b.path(), &options).unwrap_or_else(|e| panic!("{e}"));
    generate(
        c.path(),
        &SynthOptions {
            seed: 100,
            ..options
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files(a.path()), files(b.path()));
    assert_ne!(files(a.path()), files(c.path()));
}

#[test]
fn never_writes_into_a_folder_with_files() {
    let dir = tempdir();
    common::write(dir.path(), "mine.txt", "the user's file");
    let output = folio(&["synth", &dir.path().to_string_lossy(), "--docs", "5"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mine.txt")).unwrap_or_default(),
        "the user's file"
    );
    assert_eq!(files(dir.path()).len(), 1);
    let fresh = dir.path().join("new");
    let output = folio(&[
        "synth",
        &fresh.to_string_lossy(),
        "--docs",
        "5",
        "--seed",
        "3",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        folio(&["check", &fresh.to_string_lossy()]).status.code(),
        Some(0)
    );
    assert_eq!(
        folio(&["synth", "x", "--docs", "many"]).status.code(),
        Some(2)
    );
}
