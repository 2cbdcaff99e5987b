//! The public samples in ../shared/samples: every file is either loaded or
//! reported with a reason; nothing is silently dropped or invented.

mod common;

use common::{folio, samples, stdout};
use serde_json::Value;

#[test]
fn samples_load_or_say_why_not() {
    let output = folio(&["check", "--json", &samples().to_string_lossy()]);
    // The XML/JSON/HTML standards are not read yet: exit 1 with reasons.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap_or_default();
    let errors = report["errors"].as_array().cloned().unwrap_or_default();
    let reason_of = |path: &str| {
        errors
            .iter()
            .find(|e| e["path"] == path)
            .and_then(|e| e["reason"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(reason_of("tei-letters/L00130.xml").contains("XML files"));
    assert!(reason_of("iiif/version-3/001.json").contains("JSON files"));
    assert!(reason_of("alto-hocr/sample.html").contains("hOCR"));
    // MANIFEST.md, README.md and BagIt files describe folders: skipped, not documents.
    let skipped: Vec<&str> = report["skipped"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        skipped.contains(&"README.md") && skipped.contains(&"kant-1784/bag-info.txt"),
        "{skipped:?}"
    );

    let list = folio(&["list", "--json", &samples().to_string_lossy()]);
    let docs: Vec<Value> = stdout(&list)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let page_of = |id: &str| {
        docs.iter()
            .find(|d| d["id"] == id)
            .map(|d| d["pages"].clone())
    };
    assert_eq!(page_of("alice_1"), Some(Value::from(1)));
    assert_eq!(page_of("c02-22"), Some(Value::from(1)));
    // INPUT_0017.jpg and INPUT_0020.jpg are two pages of one book.
    assert_eq!(page_of("INPUT"), Some(Value::from(2)));
    // Multi-page PDFs are not counted yet, and the report says so.
    let warnings = report["warnings"].as_array().cloned().unwrap_or_default();
    assert!(warnings.iter().any(|w| {
        w["id"] == "multipage"
            && w["warning"]
                .as_str()
                .is_some_and(|t| t.contains("not counted yet"))
    }));
}

#[test]
fn sample_scans_decode_at_their_full_size() {
    for name in [
        "kant-1784/jpeg/INPUT_0017.jpg",
        "kant-1784/jpeg/INPUT_0020.jpg",
        "kant-1784/png-binarized/BIN_0017.png",
        "alto-hocr/alice_1.png",
        "kant-1784/data/OCR-D-IMG/INPUT_0017.tif",
        "kant-1784/data/OCR-D-IMG/INPUT_0020.tif",
    ] {
        let path = common::samples().join(name);
        let expected = image::image_dimensions(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (small, full) = folio::ui::images::decode_scaled(&path, 0, 512)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(full, [expected.0, expected.1], "{name}");
        assert!(small.width().max(small.height()) <= 512, "{name}");
    }
}
