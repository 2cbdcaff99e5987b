//! The public samples in ../shared/samples: every file is either loaded or
//! reported with a reason; nothing is silently dropped or invented.

use crate::common;

use crate::common::{folio, samples, stdout};
use serde_json::Value;

#[test]
fn samples_load_or_say_why_not() {
    if common::missing_shared("samples") {
        return;
    }
    let output = folio(&["check", "--json", &samples().to_string_lossy()]);
    // Every sample is read: exit 0, no errors.
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap_or_default();
    let errors = report["errors"].as_array().cloned().unwrap_or_default();
    assert!(errors.is_empty(), "{errors:?}");
    let reason_of = |path: &str| {
        errors
            .iter()
            .find(|e| e["path"] == path)
            .and_then(|e| e["reason"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    // TEI, EpiDoc, IIIF, ALTO, PAGE and hOCR are read: no errors for them.
    for read in [
        "iiif/version-3/001.json",
        "iiif/version-2/2017498721.json",
        "tei-letters/L00130.xml",
        "tei-letters/L02068.xml",
        "tei-letters/L03883.xml",
        "epidoc/DDB_EpiDoc_XML/p.cair.zen.3.59379.xml",
        "epidoc/HGV_meta_EpiDoc/1022.xml",
        "epidoc/HGV_trans_EpiDoc/1022.xml",
        "alto-hocr/sample.html",
        "alto-hocr/bsb00084914_00007.xml",
        "kant-1784/data/OCR-D-GT-PAGE/PAGE_0017_PAGE.xml",
        "kant-1784/data/mets.xml",
    ] {
        assert_eq!(reason_of(read), "", "{read}");
    }
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
    // The hOCR page and the image it names are one document.
    assert_eq!(page_of("sample"), Some(Value::from(1)));
    assert_eq!(page_of("alice_1"), None);
    assert_eq!(page_of("c02-22"), Some(Value::from(1)));
    // INPUT_0017.jpg and INPUT_0020.jpg are two pages of one book.
    assert_eq!(page_of("INPUT"), Some(Value::from(2)));
    // The METS file is the Kant book: its TIFFs, PAGE and ALTO files are
    // its two pages, no documents of their own.
    assert_eq!(page_of("kant-1784"), Some(Value::from(2)));
    for claimed in ["PAGE_0017_PAGE", "PAGE_0017_ALTO", "INPUT_0017"] {
        assert_eq!(page_of(claimed), None, "{claimed}");
    }
    // Every page of a PDF is a page of its document.
    assert_eq!(page_of("multipage"), Some(Value::from(6)));
    let warnings = report["warnings"].as_array().cloned().unwrap_or_default();
    assert!(
        !warnings
            .iter()
            .any(|w| w["id"] == "multipage" || w["id"] == "c02-22"),
        "{warnings:?}"
    );
}

#[test]
fn scanned_pdf_pages_are_the_scanners_jpegs_at_full_quality() {
    if common::missing_shared("samples") {
        return;
    }
    let path = samples().join("scanned-pdf/c02-22.pdf");
    assert_eq!(folio::pages::pdf::page_count(&path), Ok(1));
    let pdf = folio::pages::pdf::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let page = folio::pages::pdf::page(&pdf, 0, 400_000_000).unwrap_or_else(|e| panic!("{e}"));
    // The page is one 800×981 JPEG: handed out as stored.
    assert_eq!(page.native, [800, 981]);
    let jpeg = page.jpeg.as_ref().unwrap_or_else(|| panic!("{page:?}"));
    assert!(jpeg.data.starts_with(&[0xFF, 0xD8, 0xFF]));
    let stored = image::load_from_memory(&jpeg.data).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((stored.width(), stored.height()), (800, 981));

    // Decoded at full size, it is the JPEG's own pixels; smaller, it fits.
    let (full, size) =
        folio::pages::decode_scaled(&path, 0, 4096).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(size, [800, 981]);
    // (Two JPEG decoders round a little differently; nothing is resampled.)
    let stored = stored.to_rgba8();
    let total: u64 = full
        .as_raw()
        .iter()
        .zip(stored.as_raw())
        .map(|(a, b)| u64::from(a.abs_diff(*b)))
        .sum();
    let mean = total as f64 / full.as_raw().len() as f64;
    assert!(mean < 1.0, "mean difference {mean}");
    let (small, _) = folio::pages::decode_scaled(&path, 0, 256).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(small.width().max(small.height()), 256);
    assert!(folio::pages::decode_scaled(&path, 1, 256).is_err_and(|e| e.contains("not page 2")));
}

#[test]
fn every_page_of_a_multipage_pdf_is_shown() {
    if common::missing_shared("samples") {
        return;
    }
    let path = samples().join("scanned-pdf/multipage.pdf");
    assert_eq!(folio::pages::pdf::page_count(&path), Ok(6));
    let mut sizes = Vec::new();
    for index in 0..6 {
        let (picture, native) = folio::pages::decode_scaled(&path, index, 512)
            .unwrap_or_else(|e| panic!("page {}: {e}", index + 1));
        assert!(
            picture.width().max(picture.height()) <= 512,
            "page {}",
            index + 1
        );
        assert!(
            picture.width() > 16 && picture.height() > 16,
            "page {}",
            index + 1
        );
        // Each page has ink on paper: neither blank white nor black.
        let luma: Vec<u8> = picture.pixels().map(|p| p.0[1]).collect();
        let dark = luma.iter().filter(|&&l| l < 128).count();
        assert!(
            dark > 0 && dark < luma.len(),
            "page {}: {dark} dark pixels",
            index + 1
        );
        sizes.push(native);
    }
    // The pages differ in size, and one is 9000 pixels high.
    assert!(sizes.iter().any(|s| s[0].max(s[1]) >= 9000), "{sizes:?}");
}

#[test]
fn sample_scans_decode_at_their_full_size() {
    if common::missing_shared("samples") {
        return;
    }
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
        let (small, full) =
            folio::pages::decode_scaled(&path, 0, 512).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(full, [expected.0, expected.1], "{name}");
        assert!(small.width().max(small.height()) <= 512, "{name}");
    }
}

#[test]
fn alto_and_page_files_become_pages_with_linked_lines() {
    if common::missing_shared("samples") {
        return;
    }
    let corpus = folio::corpus::load(
        &samples().join("kant-1784"),
        &folio::corpus::LoadOptions::default(),
        &|_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let line_texts = |id: &str| -> Vec<String> {
        let doc = corpus
            .document(id)
            .unwrap_or_else(|| panic!("{id} is missing"));
        let text = &doc.layers[0].text;
        let regions: Vec<_> = doc.pages.iter().flat_map(|p| &p.regions).collect();
        // Every region's text is exactly its range of the layer.
        for region in &regions {
            let (start, end) = region
                .text_range
                .unwrap_or_else(|| panic!("{id}: no range"));
            assert_eq!(&text[start..end], region.text, "{id}");
        }
        regions
            .iter()
            .filter(|r| r.kind == folio::model::RegionKind::Line)
            .map(|r| r.text.clone())
            .collect()
    };
    // The METS file takes each page's TIFF and its PAGE text (the first
    // of its PAGE and ALTO ground truths); its lines sit on the scan.
    let book = corpus
        .document("kant-1784")
        .unwrap_or_else(|| panic!("the METS book: {:#?}", corpus.errors));
    assert_eq!(book.format, folio::model::SourceFormat::Mets);
    assert_eq!(book.title, "Berliniſche Monatsſchrift.");
    let images: Vec<&std::path::Path> = book.pages.iter().map(|p| p.image.as_path()).collect();
    assert_eq!(
        images,
        [
            std::path::Path::new("data/OCR-D-IMG/INPUT_0017.tif"),
            std::path::Path::new("data/OCR-D-IMG/INPUT_0020.tif")
        ]
    );
    for region in &book.pages[0].regions {
        for [x, y] in &region.polygon {
            assert!((0.0..=1457.0).contains(x) && (0.0..=2083.0).contains(y));
        }
    }
    let lines = line_texts("kant-1784");
    let break_at = book.layers[0].page_breaks[0].offset;
    let first_page: Vec<&str> = book.layers[0].text[..break_at].lines().collect();
    assert_eq!(first_page.len(), 24);
    assert!(lines.len() > 24, "both pages' lines: {}", lines.len());
    // Read alone, the PAGE file finds its image relative to the METS
    // folder above it, and its ALTO twin has the same lines but no image.
    let root = samples().join("kant-1784");
    let page = folio::corpus::formats::alto_page_hocr::load(
        &root,
        std::path::Path::new("data/OCR-D-GT-PAGE/PAGE_0017_PAGE.xml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        page.pages[0].image,
        std::path::Path::new("data/OCR-D-IMG/INPUT_0017.tif")
    );
    let alto = folio::corpus::formats::alto_page_hocr::load(
        &root,
        std::path::Path::new("data/OCR-D-GT-ALTO/PAGE_0017_ALTO.xml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(alto.pages.is_empty());
    let from_alto: Vec<&str> = alto.layers[0].text.lines().collect();
    assert_eq!(from_alto.len(), 24);
    assert!(from_alto.iter().any(|l| l.contains("Aufklaͤrung")));
    assert_eq!(page.layers[0].text.lines().count(), 24);

    // ALTO v4, right to left, without its image: the text, and why no scan.
    let hebrew = folio::corpus::load(
        &samples().join("alto-hocr"),
        &folio::corpus::LoadOptions::default(),
        &|_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let doc = hebrew
        .document("bsb00084914_00007")
        .unwrap_or_else(|| panic!("the ALTO v4 page is missing"));
    assert!(
        doc.layers[0]
            .text
            .chars()
            .any(|c| ('\u{5d0}'..='\u{5ea}').contains(&c))
    );
    assert!(doc.pages.is_empty());
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("bsb00084914_00007.jpg"))
    );
}

#[test]
fn hocr_lines_sit_on_their_page_image() {
    if common::missing_shared("samples") {
        return;
    }
    let corpus = folio::corpus::load(
        &samples().join("alto-hocr"),
        &folio::corpus::LoadOptions::default(),
        &|_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let doc = corpus
        .document("sample")
        .unwrap_or_else(|| panic!("the hOCR page is missing: {:#?}", corpus.errors));
    // Its file's name and its first line that can be a heading.
    assert_eq!(doc.title, "sample: 1 Down the Rabbit-Hole");
    // The image the hOCR names, beside it.
    assert_eq!(doc.pages[0].image, std::path::Path::new("alice_1.png"));
    let text = &doc.layers[0].text;
    let regions = &doc.pages[0].regions;
    assert_eq!(regions.len(), text.lines().count());
    assert!(regions.len() > 30, "{}", regions.len());
    for region in regions {
        let (start, end) = region.text_range.unwrap_or_else(|| panic!("no range"));
        assert_eq!(&text[start..end], region.text);
        for [x, y] in &region.polygon {
            assert!((0.0..=2488.0).contains(x) && (0.0..=3507.0).contains(y));
        }
    }
}

#[test]
fn tei_letters_and_epidoc_give_dates_people_archives_and_layers() {
    if common::missing_shared("samples") {
        return;
    }
    let corpus = folio::corpus::load(
        &samples().join("tei-letters"),
        &folio::corpus::LoadOptions::default(),
        &|_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    let doc = |id: &str| {
        corpus
            .document(id)
            .unwrap_or_else(|| panic!("no document {id}"))
    };
    // A day, sent by Kraus to Schnitzler, in Cambridge University Library.
    let kraus = doc("L00130");
    assert_eq!(kraus.title, "Karl Kraus an Arthur Schnitzler, 31. 10. 1892");
    assert_eq!(kraus.date.to_edtf(), "1892-10-31");
    assert_eq!(kraus.date.precision, folio::model::Precision::Day);
    let names = |d: &folio::model::Document, role| -> Vec<String> {
        d.people_with(role).map(|p| p.name.clone()).collect()
    };
    assert_eq!(names(kraus, folio::model::Role::Author), ["Karl Kraus"]);
    assert_eq!(
        names(kraus, folio::model::Role::Recipient),
        ["Arthur Schnitzler"]
    );
    let archive = kraus
        .archive
        .clone()
        .unwrap_or_else(|| panic!("no archive"));
    assert_eq!(
        archive.repository.as_deref(),
        Some("University Library, Cambridge")
    );
    assert_eq!(archive.fond.as_deref(), Some("Schnitzler, B 55"));
    assert_eq!(kraus.original_language.as_deref(), Some("de-AT"));
    assert!(
        kraus.layers[0].text.starts_with("am 31. Oktober 1892."),
        "{}",
        kraus.layers[0].text
    );
    // Page breaks (pb) divide the text; editorial notes are a layer aside.
    assert!(kraus.layers[0].page_count() >= 2);
    assert!(!kraus.layers[0].text.contains("Die Rezension erschien"));
    assert!(
        kraus
            .layers
            .iter()
            .any(|l| l.kind == folio::model::LayerKind::Note
                && l.text.contains("Die Rezension erschien"))
    );
    // notBefore / notAfter: an interval of days, as written.
    let ehrenstein = doc("L02068");
    assert_eq!(ehrenstein.date.to_edtf(), "1912-05-16/1912-05-31");
    assert_eq!(ehrenstein.date.text, "[nach dem 15.] 5. 1912");
    // A French letter.
    let rolland = doc("L03883");
    assert_eq!(rolland.original_language.as_deref(), Some("fr"));
    assert!(rolland.layers[0].text.contains("Cher Monsieur"));

    let epidoc = folio::corpus::load(
        &samples().join("epidoc"),
        &folio::corpus::LoadOptions::default(),
        &|_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(epidoc.errors.is_empty(), "{:?}", epidoc.errors);
    // papyri.info's three files of one papyrus (DDbDP edition, HGV
    // metadata, HGV translation) share a ddb-hybrid idno: one document.
    assert_eq!(
        epidoc.documents.len(),
        1,
        "{:?}",
        epidoc.documents.iter().map(|d| &d.id).collect::<Vec<_>>()
    );
    let papyrus = epidoc
        .document("p.cair.zen.3.59379")
        .unwrap_or_else(|| panic!("no DDB edition"));
    assert_eq!(papyrus.title, "Letter to Zenon from Amenneus");
    assert_eq!(
        papyrus.layers[0].kind,
        folio::model::LayerKind::Transcription
    );
    assert_eq!(papyrus.layers[0].language.as_deref(), Some("grc"));
    assert_eq!(papyrus.original_language.as_deref(), Some("grc"));
    assert!(papyrus.layers[0].text.starts_with("Ζήνωνι χαίρειν"));
    // HGV metadata: a BCE range, low precision.
    assert_eq!(papyrus.date.start.map(|d| d.year), Some(-254));
    assert_eq!(papyrus.date.end.map(|d| d.year), Some(-251));
    assert!(papyrus.date.uncertain);
    // The HGV translation: English, from the Greek.
    let layer = papyrus
        .layers
        .iter()
        .find(|l| l.kind == folio::model::LayerKind::Translation)
        .unwrap_or_else(|| panic!("no translation layer"));
    assert_eq!(layer.language.as_deref(), Some("en"));
    assert_eq!(layer.translated_from.as_deref(), Some("grc"));
    assert!(layer.text.contains("To Zenon, greetings"), "{}", layer.text);
}

#[test]
fn iiif_manifests_give_labels_metadata_and_pages() {
    if common::missing_shared("samples") {
        return;
    }
    let corpus = folio::corpus::load(
        &samples().join("iiif"),
        &folio::corpus::LoadOptions::default(),
        &|_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    assert_eq!(corpus.documents.len(), 5);
    let by_source = |path: &str| {
        corpus
            .documents
            .iter()
            .find(|d| d.source == std::path::Path::new(path))
            .unwrap_or_else(|| panic!("{path} did not load"))
    };
    // v2: a plain label, the bracketed "Date Statement", the creator, the
    // holding institution, one canvas with its remote image.
    let v2 = by_source("version-2/001.json");
    assert_eq!(v2.title, "Bodleian Library Human Freaks 2 (33)");
    assert_eq!(v2.date.to_edtf(), "1787");
    assert!(v2.date.inferred, "[1787] is a supplied date");
    assert_eq!(v2.people[0].name, "Becket, Mr");
    assert_eq!(v2.original_language.as_deref(), Some("en"));
    assert_eq!(v2.pages.len(), 1);
    // Through its Image API service (the resource's id is the service's,
    // not a picture), so that the page can be asked at the size shown.
    let bodleian = "https://iiif.bodleian.ox.ac.uk/iiif/image/9cca8fdd-4a61-4429-8ac1-f648764b4d6d";
    assert_eq!(
        v2.pages[0].image,
        std::path::PathBuf::from(format!("{bodleian}/full/full/0/default.jpg"))
    );
    assert!(
        v2.summary()
            .is_some_and(|s| s.contains("Handbill of Mr. Becket"))
    );
    // v3: the same item through language maps.
    let v3 = by_source("version-3/001.json");
    assert_eq!(v3.title, "Bodleian Library: Human Freaks 2 (33)");
    assert_eq!(v3.date.to_edtf(), "1787");
    assert_eq!(v3.pages.len(), 1);
    assert_eq!(v3.pages[0].image, v2.pages[0].image, "an ImageService2");
    // A label as an array of @value objects, navDate as the date, two canvases.
    let europeana = by_source("version-2/BibliographicResource_3000126341277.json");
    assert_eq!(europeana.title, "Uusi Aura, nr: 274A - 1909-11-26");
    assert_eq!(europeana.date.to_edtf(), "1909-11-26");
    assert_eq!(europeana.pages.len(), 2);
    // A malformed navDate still gives its day; no canvases is said.
    let loc = by_source("version-2/2017498721.json");
    assert_eq!(loc.date.to_edtf(), "1949-01-01");
    assert!(loc.pages.is_empty());
    assert!(loc.warnings.iter().any(|w| w.contains("no canvases")));
    // A label under "none".
    let structures = by_source("version-3/structures.json");
    assert_eq!(
        structures.title,
        "Version 3 manifest for TOC and structures related tests"
    );
    // Its pages are remote: fetched by the window when shown (tests/remote.rs
    // does that against a server on 127.0.0.1; nothing here goes online).
    assert!(
        v2.pages
            .iter()
            .all(|p| folio::corpus::formats::iiif::is_remote(&p.image))
    );
}
