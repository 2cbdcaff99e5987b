//! Structured documents, loose files with metadata.csv, and a folder of
//! broken entries: each bad entry is one clear error, the rest loads.

use crate::common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::common::{folio, json_lines, stdout, write};
use folio::corpus::{self, CorpusError, LoadOptions};
use folio::model::{LayerKind, Precision, Role};
use serde_json::Value;

fn load(root: &Path) -> corpus::Corpus {
    corpus::load(root, &LoadOptions::default(), &|_| {}).unwrap_or_else(|e| panic!("{e}"))
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

#[test]
fn structured_document_with_pages_and_page_markers() {
    let dir = tempdir();
    let root = dir.path();
    write(
        root,
        "letter/document.toml",
        r#"
title = "Telegram from Molotov to Petrov"
date = "1945-08~"
date_text = "August 1945 (approximately)"
original_language = "Russian"
archive = "АВП РФ, ф. 0100, оп. 34, п. 253, д. 18, л. 5-7"

[[people]]
name = "Filippov [Stalin]"
role = "signatory"
"#,
    );
    write(
        root,
        "letter/original.ru.md",
        "[л. 5]\nПервая страница.\n[л. 6]\nВторая страница.\n",
    );
    write(
        root,
        "letter/translation.en.md",
        "[l. 5]\nFirst page.\n[l. 6]\nSecond page.\n",
    );
    write(root, "letter/scan/p10.jpg", b"\xFF\xD8\xFF");
    write(root, "letter/scan/p2.jpg", b"\xFF\xD8\xFF");
    let corpus = load(root);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    let doc = &corpus.documents[0];
    assert_eq!(doc.id, "letter");
    assert!(doc.date.approximate);
    assert_eq!(doc.date.precision, Precision::Month);
    assert_eq!(doc.date.text, "August 1945 (approximately)");
    assert_eq!(doc.original_language.as_deref(), Some("ru"));
    let archive = doc.archive.clone().unwrap_or_default();
    assert_eq!(
        (archive.repository.as_deref(), archive.papka.as_deref()),
        (Some("AVP RF"), Some("253"))
    );
    assert_eq!(doc.people[0].aliases, ["Stalin"]);
    assert_eq!(doc.people[0].role, Role::Signatory);
    let kinds: Vec<_> = doc
        .layers
        .iter()
        .map(|l| (l.kind, l.language.clone(), l.translated_from.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (LayerKind::Transcription, Some("ru".into()), None),
            (LayerKind::Translation, Some("en".into()), Some("ru".into()))
        ]
    );
    assert_eq!(doc.layers[0].page_count(), 2);
    assert_eq!(doc.layers[1].page_text(1), Some("Second page."));
    let pages: Vec<String> = doc
        .pages
        .iter()
        .map(|p| p.image.to_string_lossy().into_owned())
        .collect();
    assert_eq!(pages, ["letter/scan/p2.jpg", "letter/scan/p10.jpg"]);
    assert_eq!(doc.page_count(), 2);
}

#[test]
fn loose_files_with_metadata() {
    let dir = tempdir();
    let root = dir.path();
    write(
        root,
        "batch/metadata.csv",
        "id,title,date,author,recipient,archive,language\n\
         0001,Report on Ghulja,\"June, 1934\",Ahmetjan Qasimi;Alihan Tore,Stalin,\"RGASPI F. 17, Op. 162, D. 20\",ru\n\
         0002,Two-page cable,1949年10月25日,Mao Zedong,,,zh\n\
         0003,Catalogue entry only,c. 1950,,,GARF,\n",
    );
    write(root, "batch/0001.jpg", b"\xFF\xD8\xFF");
    write(root, "batch/0001.ru.txt", "Доклад о положении в Кульдже.");
    write(
        root,
        "batch/0001.en.txt",
        "Report on the situation in Ghulja.",
    );
    write(root, "batch/0002-p1.png", b"\x89PNG");
    write(root, "batch/0002-p2.png", b"\x89PNG");
    write(root, "batch/0002-p1.zh.txt", "第一页");
    write(root, "batch/0002-p2.zh.txt", "第二页");
    write(root, "batch/0004_001.jpg", b"\xFF\xD8\xFF");
    write(root, "batch/0004_002.jpg", b"\xFF\xD8\xFF");
    let corpus = load(root);
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["0001", "0002", "0004", "0003"]);

    let d1 = &corpus.documents[0];
    assert_eq!(d1.title, "Report on Ghulja");
    assert_eq!(d1.date.precision, Precision::Month);
    assert_eq!(d1.people_with(Role::Author).count(), 2);
    assert_eq!(d1.layers.len(), 2);
    let ru = d1
        .layers
        .iter()
        .find(|l| l.language.as_deref() == Some("ru"))
        .map(|l| l.kind);
    let en = d1
        .layers
        .iter()
        .find(|l| l.language.as_deref() == Some("en"))
        .map(|l| (l.kind, l.translated_from.clone()));
    assert_eq!(ru, Some(LayerKind::Transcription));
    assert_eq!(en, Some((LayerKind::Translation, Some("ru".into()))));
    assert_eq!(d1.pages.len(), 1);

    let d2 = &corpus.documents[1];
    assert_eq!(
        d2.date.start.map(|d| d.to_string()).as_deref(),
        Some("1949-10-25")
    );
    assert_eq!(d2.pages.len(), 2);
    assert_eq!(d2.layers[0].page_count(), 2);
    assert_eq!(d2.layers[0].page_text(1), Some("第二页"));

    assert_eq!(corpus.documents[2].pages.len(), 2);
    let catalogue = &corpus.documents[3];
    assert!(catalogue.date.approximate);
    assert!(catalogue.layers.is_empty() && catalogue.pages.is_empty());
    assert_eq!(
        catalogue
            .archive
            .as_ref()
            .and_then(|a| a.repository.as_deref()),
        Some("GARF")
    );
}

/// Builds a folder where every entry but two is broken in its own way.
fn broken_corpus(root: &Path) {
    write(
        root,
        "good-clip.txt",
        "April 22, 1945\nA good letter\n\nDear friend, all is well here.\n",
    );
    write(
        root,
        "good/document.toml",
        "title = \"A good structured document\"\ndate = \"1936\"\n",
    );
    write(root, "empty.txt", "");
    write(root, "blank.md", "   \n\n  ");
    write(root, "binary.txt", b"\x00\x01\x02garbage\x00");
    write(root, "latin1.txt", b"Caf\xe9 au lait\n");
    write(root, "utf16.txt", [0xFF, 0xFE, b'O', 0, b'K', 0, b'\n', 0]);
    write(root, "bad-toml/document.toml", "title = \"unclosed\n");
    write(root, "wrong-type/document.toml", "title = 42\n");
    write(
        root,
        "typo/document.toml",
        "title = \"x\"\ntittle = \"y\"\n",
    );
    write(
        root,
        "bad-date/document.toml",
        "title = \"x\"\ndate = \"the day after tomorrow\"\n",
    );
    write(
        root,
        "bad-role/document.toml",
        "title = \"x\"\n[[people]]\nname = \"A\"\nrole = \"boss\"\n",
    );
    write(
        root,
        "escape/document.toml",
        "title = \"x\"\n[[layers]]\nfile = \"../../etc/passwd\"\n",
    );
    write(
        root,
        "absolute/document.toml",
        "title = \"x\"\n[[pages]]\nimage = \"/etc/passwd\"\n",
    );
    write(
        root,
        "url/document.toml",
        "title = \"x\"\n[[pages]]\nimage = \"file:///etc/passwd\"\n",
    );
    write(
        root,
        "missing-layer/document.toml",
        "title = \"x\"\n[[layers]]\nfile = \"original.ru.md\"\n",
    );
    write(root, "csv/metadata.csv", "title,date\nno id column,1945\n");
    write(root, "tei/letter.xml", "<TEI/>");
    write(root, ".hidden/secret.txt", "never loaded");
    write(root, "authority.toml", "[[person]]\nid = 1\n");
}

#[test]
fn broken_entries_are_reported_and_the_rest_loads() {
    let dir = tempdir();
    let root = dir.path();
    broken_corpus(root);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        let _ = std::os::unix::fs::symlink(root, root.join("loop"));
        let _ = std::os::unix::fs::symlink("/etc", root.join("outside"));
        // A name that is not UTF-8 (Latin-1 "é").
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
        std::fs::write(root.join(name), "Title\n\nText\n").unwrap_or_else(|e| panic!("{e}"));
    }
    let corpus = load(root);
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        ["good-clip", "utf16", "good"],
        "errors: {:#?}",
        corpus.errors
    );
    let reason = |path: &str| -> String {
        corpus
            .errors
            .iter()
            .filter(|e| e.path == Path::new(path))
            .map(|e| e.reason.clone())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    for (path, expected) in [
        ("empty.txt", "empty file"),
        ("blank.md", "empty file"),
        ("binary.txt", "binary content"),
        ("latin1.txt", "not valid UTF-8"),
        ("bad-toml/document.toml", "not valid TOML at line 1"),
        ("wrong-type/document.toml", "invalid type"),
        ("typo/document.toml", "unknown field `tittle`"),
        ("bad-date/document.toml", "cannot read date"),
        ("bad-role/document.toml", "unknown role"),
        ("escape/document.toml", "leaves the document folder"),
        ("absolute/document.toml", "is absolute"),
        ("url/document.toml", "is a URL"),
        ("missing-layer/original.ru.md", "does not exist"),
        ("csv/metadata.csv", "no `id` column"),
        ("tei/letter.xml", "no <teiHeader>"),
        ("authority.toml", "invalid type"),
    ] {
        assert!(
            reason(path).contains(expected),
            "{path}: expected {expected:?}, got {:?}",
            reason(path)
        );
    }
    #[cfg(unix)]
    {
        assert!(
            reason("loop").contains("already loaded"),
            "{:?}",
            reason("loop")
        );
        assert!(
            reason("outside").contains("outside the corpus"),
            "{:?}",
            reason("outside")
        );
        assert!(
            corpus
                .errors
                .iter()
                .any(|e| e.reason.contains("not valid Unicode")),
            "{:?}",
            corpus.errors
        );
    }
    assert!(corpus.errors.iter().all(|e| !e.path.starts_with(".hidden")));

    // The CLI reports the same and exits 1.
    let output = folio(&["check", "--json", &root.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap_or_default();
    assert_eq!(report["documents"], 3);
    assert_eq!(
        report["errors"].as_array().map(Vec::len),
        Some(corpus.errors.len())
    );
    // Every error is in the JSON, the file name that is not UTF-8 too
    // (with U+FFFD where its bytes were).
    assert!(
        report["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|e| e["path"].is_string() && e["reason"].is_string()),
        "{report}"
    );
    // list still lists what loaded.
    assert_eq!(
        json_lines(&folio(&["list", "--json", &root.to_string_lossy()])).len(),
        3
    );
}

#[test]
fn loading_is_deterministic_and_read_only() {
    let dir = tempdir();
    let root = dir.path();
    broken_corpus(root);
    for i in 0..40 {
        write(
            root,
            &format!("many/{i:03}.txt"),
            format!(
                "{} May 1945\nNote {i}\n\nBody text number {i}.\n",
                i % 28 + 1
            ),
        );
    }
    let before = common::files(root);
    let first = load(root);
    for threads in [1, 2, 7] {
        let again = corpus::load(
            root,
            &LoadOptions {
                threads,
                ..LoadOptions::default()
            },
            &|_| {},
        )
        .unwrap_or_default();
        let ids = |c: &corpus::Corpus| c.documents.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&first), ids(&again));
        assert_eq!(first.errors, again.errors);
    }
    assert_eq!(
        common::files(root),
        before,
        "loading must not write into the corpus"
    );
}

#[test]
fn cancelled_load_stops() {
    let dir = tempdir();
    for i in 0..200 {
        write(dir.path(), &format!("{i}.txt"), "Title\n\nBody.\n");
    }
    let cancel = Arc::new(AtomicBool::new(true));
    let result = corpus::load(dir.path(), &LoadOptions { threads: 2, cancel }, &|_| {});
    assert!(matches!(result, Err(CorpusError::Cancelled)));
}

#[test]
fn progress_reaches_the_end() {
    let dir = tempdir();
    for i in 0..50 {
        write(dir.path(), &format!("{i}.txt"), "Title\n\nBody.\n");
    }
    let last = std::sync::Mutex::new(None);
    let corpus = corpus::load(dir.path(), &LoadOptions::default(), &|p| {
        if let Ok(mut guard) = last.lock() {
            *guard = Some(p);
        }
    })
    .unwrap_or_default();
    assert_eq!(corpus.documents.len(), 50);
    let last = last.lock().ok().and_then(|g| *g);
    assert_eq!(last.map(|p| (p.done, p.total)), Some((50, 50)));
}

#[test]
fn duplicate_ids_get_unique_ones() {
    let dir = tempdir();
    write(
        dir.path(),
        "a/doc/document.toml",
        "id = \"same\"\ntitle = \"A\"\n",
    );
    write(
        dir.path(),
        "b/doc/document.toml",
        "id = \"same\"\ntitle = \"B\"\n",
    );
    let corpus = load(dir.path());
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["same", "b/doc"]);
    assert!(
        corpus.documents[1].warnings[0].contains("already")
            || corpus.documents[1].warnings[0].contains("earlier")
    );
}

#[cfg(unix)]
#[test]
fn links_out_of_a_document_are_refused() {
    use std::os::unix::fs::symlink;
    let outside = tempdir();
    write(
        outside.path(),
        "secret.md",
        "secret text outside the corpus",
    );
    write(outside.path(), "document.toml", "title = \"outside\"\n");
    let dir = tempdir();
    let root = dir.path();
    write(
        root,
        "linked-layer/document.toml",
        "title = \"x\"\n[[layers]]\nfile = \"original.en.md\"\n",
    );
    let _ = symlink(
        outside.path().join("secret.md"),
        root.join("linked-layer/original.en.md"),
    );
    write(
        root,
        "linked-scan/document.toml",
        "title = \"Linked scan\"\n",
    );
    write(root, "linked-scan/scan/001.jpg", b"\xFF\xD8\xFF");
    let _ = symlink(
        outside.path().join("secret.md"),
        root.join("linked-scan/scan/002.jpg"),
    );
    std::fs::create_dir_all(root.join("linked-toml")).unwrap_or_default();
    let _ = symlink(
        outside.path().join("document.toml"),
        root.join("linked-toml/document.toml"),
    );

    let corpus = load(root);
    let reason = |path: &str| {
        corpus
            .errors
            .iter()
            .find(|e| e.path == Path::new(path))
            .map(|e| e.reason.clone())
            .unwrap_or_default()
    };
    assert!(
        reason("linked-layer/original.en.md").contains("outside the corpus"),
        "{:?}",
        corpus.errors
    );
    assert!(
        reason("linked-toml/document.toml").contains("outside the corpus"),
        "{:?}",
        corpus.errors
    );
    let scan = corpus.documents.iter().find(|d| d.id == "linked-scan");
    let scan = scan.unwrap_or_else(|| panic!("linked-scan should load: {:?}", corpus.errors));
    assert_eq!(scan.pages.len(), 1);
    assert!(
        scan.warnings
            .iter()
            .any(|w| w.contains("outside the corpus")),
        "{:?}",
        scan.warnings
    );
    assert!(
        corpus
            .documents
            .iter()
            .all(|d| d.layers.iter().all(|l| !l.text.contains("secret text")))
    );
}

#[test]
fn a_corpus_opens_and_searches_when_no_cache_can_be_written() {
    let dir = tempdir();
    // A cache folder below a file can never be made, not even by root.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap_or_else(|e| panic!("{e}"));
    let cache = file.join("cache");
    let documents = common::documents();
    let documents = documents.to_string_lossy();
    let output = common::folio_with_cache(&["search", "--json", &documents, "Kuldja"], &cache);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let hits = json_lines(&output);
    assert_eq!(hits.len(), 3, "every document naming Ghulja");
    assert!(
        hits.iter()
            .any(|h| h["id"] == "1945-04-22-alihan-tore-to-stalin")
    );
    let output = common::folio_with_cache(&["check", &documents], &cache);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(!cache.exists());
}

/// Writes a TIFF whose page N is grey level `40 * N`.
fn multi_page_tiff(path: &Path, pages: u32) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}"));
    let mut encoder = tiff::encoder::TiffEncoder::new(std::io::BufWriter::new(file))
        .unwrap_or_else(|e| panic!("{e}"));
    for page in 0..pages {
        let pixels = vec![(page * 40) as u8; 60 * 40];
        encoder
            .write_image::<tiff::encoder::colortype::Gray8>(60, 40, &pixels)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn multi_page_tiffs_give_one_page_per_image() {
    let dir = tempdir();
    let root = dir.path();
    // Loose: a three-page TIFF with its transcription.
    multi_page_tiff(&root.join("loose/0001.tif"), 3);
    write(root, "loose/0001.en.txt", "Three pages.\n");
    // Structured: the scan folder holds a two-page TIFF and a PNG.
    write(root, "letter/document.toml", "title = \"A letter\"\n");
    multi_page_tiff(&root.join("letter/scan/001.tif"), 2);
    image::GrayImage::from_pixel(30, 20, image::Luma([200]))
        .save(root.join("letter/scan/002.png"))
        .unwrap_or_else(|e| panic!("{e}"));
    let corpus = load(root);
    assert!(corpus.errors.is_empty(), "{:#?}", corpus.errors);
    let pages = |id: &str| {
        corpus
            .document(id)
            .unwrap_or_else(|| panic!("{id} is missing"))
            .pages
            .iter()
            .map(|p| (p.image.to_string_lossy().into_owned(), p.index_in_file))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        pages("0001"),
        [
            ("loose/0001.tif".to_owned(), Some(0)),
            ("loose/0001.tif".to_owned(), Some(1)),
            ("loose/0001.tif".to_owned(), Some(2)),
        ]
    );
    assert_eq!(
        pages("letter"),
        [
            ("letter/scan/001.tif".to_owned(), Some(0)),
            ("letter/scan/001.tif".to_owned(), Some(1)),
            ("letter/scan/002.png".to_owned(), None),
        ]
    );
    let document = corpus.document("0001").unwrap_or_else(|| panic!("0001"));
    assert!(
        document.warnings.iter().all(|w| !w.contains("not counted")),
        "{:?}",
        document.warnings
    );
    // Each page decodes to its own picture; a page past the end is an error.
    for (index, grey) in [(0u32, 0u8), (2, 80)] {
        let (picture, full) = folio::pages::decode_scaled(&root.join("loose/0001.tif"), index, 512)
            .unwrap_or_else(|e| panic!("page {index}: {e}"));
        assert_eq!(full, [60, 40]);
        assert_eq!(picture.get_pixel(5, 5).0, [grey, grey, grey, 255]);
    }
    let past = folio::pages::decode_scaled(&root.join("loose/0001.tif"), 3, 512);
    assert!(past.err().unwrap_or_default().contains("has no page 4"));
}

#[test]
fn a_pyramid_tiff_is_one_page_shown_from_its_reduced_copies() {
    use tiff::encoder::colortype::Gray8;
    use tiff::tags::Tag;
    let dir = tempdir();
    let root = dir.path();
    std::fs::create_dir_all(root.join("map")).unwrap_or_else(|e| panic!("{e}"));
    let path = root.join("map/0001.tif");
    let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut encoder = tiff::encoder::TiffEncoder::new(std::io::BufWriter::new(file))
        .unwrap_or_else(|e| panic!("{e}"));
    // One 800×400 page and its copies at 1/2 and 1/4, each a different
    // grey so that the decoded copy can be told.
    for (divisor, grey, kind) in [(1u32, 10u8, 0u32), (2, 20, 1), (4, 30, 1)] {
        let (w, h) = (800 / divisor, 400 / divisor);
        let mut image = encoder
            .new_image::<Gray8>(w, h)
            .unwrap_or_else(|e| panic!("{e}"));
        image
            .encoder()
            .write_tag(Tag::NewSubfileType, kind)
            .unwrap_or_else(|e| panic!("{e}"));
        image
            .write_data(&vec![grey; (w * h) as usize])
            .unwrap_or_else(|e| panic!("{e}"));
    }
    drop(encoder);
    let corpus = load(root);
    assert!(corpus.errors.is_empty(), "{:#?}", corpus.errors);
    let doc = corpus.document("0001").unwrap_or_else(|| panic!("0001"));
    assert_eq!(doc.pages.len(), 1, "the reduced copies are no pages");
    for (side, grey, shown) in [
        (150, 30, 150),
        (300, 20, 300),
        (700, 10, 700),
        (2000, 10, 800),
    ] {
        let (picture, full) =
            folio::pages::decode_scaled(&path, 0, side).unwrap_or_else(|e| panic!("{side}: {e}"));
        assert_eq!(full, [800, 400], "the size is the page's, whichever copy");
        assert_eq!(picture.width(), shown);
        assert_eq!(picture.get_pixel(3, 3).0[0], grey, "decoded for {side}");
    }
}

/// The first page of the TIFF file `bytes` at most 64 pixels long, and
/// its size.
fn decode_tiff(bytes: &[u8]) -> (image::RgbaImage, [u32; 2]) {
    let dir = tempdir();
    let path = dir.path().join("page.tif");
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    folio::pages::decode_scaled(&path, 0, 64).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn tiled_tiffs_decode_whole() {
    // A 32×32 grey page in four 16×16 uncompressed tiles, each its own grey.
    let data_offset = 200u32;
    let tile_offsets = data_offset;
    let tile_counts = data_offset + 16;
    let first_tile = data_offset + 32;
    let entries = [
        (256, 3, 1, 32),           // width
        (257, 3, 1, 32),           // height
        (258, 3, 1, 8),            // eight bits per sample
        (259, 3, 1, 1),            // uncompressed
        (262, 3, 1, 1),            // BlackIsZero
        (277, 3, 1, 1),            // one sample per pixel
        (322, 3, 1, 16),           // tile width
        (323, 3, 1, 16),           // tile length
        (324, 4, 4, tile_offsets), // tile offsets (an array)
        (325, 4, 4, tile_counts),  // tile byte counts (an array)
    ];
    let mut data = Vec::new();
    for tile in 0..4u32 {
        data.extend_from_slice(&(first_tile + tile * 256).to_le_bytes());
    }
    for _ in 0..4 {
        data.extend_from_slice(&256u32.to_le_bytes());
    }
    for grey in [50u8, 100, 150, 200] {
        data.extend(std::iter::repeat_n(grey, 256));
    }
    let (picture, full) = decode_tiff(&common::tiff_bytes(&entries, data_offset as usize, &data));
    assert_eq!(full, [32, 32]);
    let grey = |x, y| picture.get_pixel(x, y).0[0];
    assert_eq!(
        [grey(2, 2), grey(20, 2), grey(2, 20), grey(20, 20)],
        [50, 100, 150, 200],
        "each tile in its place"
    );
}

#[test]
fn one_bit_tiffs_show_black_ink_on_white() {
    // A 16×2 bilevel page, WhiteIsZero (as fax scans are): set bits are ink.
    let entries = [
        (256, 3, 1, 16),  // width
        (257, 3, 1, 2),   // height
        (258, 3, 1, 1),   // one bit per sample
        (259, 3, 1, 1),   // uncompressed
        (262, 3, 1, 0),   // WhiteIsZero
        (273, 4, 1, 200), // strip offset
        (278, 3, 1, 2),   // rows per strip
        (279, 4, 1, 4),   // strip bytes
    ];
    let (picture, full) = decode_tiff(&common::tiff_bytes(
        &entries,
        200,
        &[0xFF, 0x00, 0x00, 0xFF],
    ));
    assert_eq!(full, [16, 2]);
    let grey = |x, y| picture.get_pixel(x, y).0[0];
    assert_eq!((grey(0, 0), grey(8, 0)), (0, 255), "row 1: ink, then paper");
    assert_eq!((grey(0, 1), grey(8, 1)), (255, 0), "row 2: paper, then ink");
}

#[test]
fn an_alto_file_and_its_image_are_one_document() {
    let dir = tempdir();
    let root = dir.path();
    image::RgbImage::from_pixel(400, 300, image::Rgb([230, 220, 200]))
        .save(root.join("0001.jpg"))
        .unwrap_or_else(|e| panic!("{e}"));
    write(
        root,
        "0001.xml",
        "<?xml version=\"1.0\"?>\n<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v4#\">\
         <Description><MeasurementUnit>pixel</MeasurementUnit></Description>\
         <Layout><Page WIDTH=\"400\" HEIGHT=\"300\"><PrintSpace>\
         <TextBlock><TextLine HPOS=\"10\" VPOS=\"20\" WIDTH=\"200\" HEIGHT=\"30\">\
         <String CONTENT=\"Dear\" HPOS=\"10\" VPOS=\"20\" WIDTH=\"60\" HEIGHT=\"30\" LANG=\"en\"/><SP/>\
         <String CONTENT=\"friend\" HPOS=\"80\" VPOS=\"20\" WIDTH=\"90\" HEIGHT=\"30\"/>\
         </TextLine><TextLine HPOS=\"10\" VPOS=\"60\" WIDTH=\"150\" HEIGHT=\"30\">\
         <String CONTENT=\"all\" HPOS=\"10\" VPOS=\"60\" WIDTH=\"40\" HEIGHT=\"30\"/>\
         </TextLine></TextBlock></PrintSpace></Page></Layout></alto>",
    );
    write(
        root,
        "measured.xml",
        "<alto><Description><MeasurementUnit>mm10</MeasurementUnit></Description></alto>",
    );
    let corpus = load(root);
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["0001"], "the image is the ALTO document's page");
    let doc = &corpus.documents[0];
    assert_eq!(doc.layers[0].text, "Dear friend\nall");
    assert_eq!(doc.layers[0].language.as_deref(), Some("en"));
    assert_eq!(doc.pages[0].image, Path::new("0001.jpg"));
    let words: Vec<(&str, Option<(usize, usize)>)> = doc.pages[0]
        .regions
        .iter()
        .map(|r| (r.text.as_str(), r.text_range))
        .collect();
    assert_eq!(
        words,
        [
            ("Dear friend", Some((0, 11))),
            ("Dear", Some((0, 4))),
            ("friend", Some((5, 11))),
            ("all", Some((12, 15))),
            ("all", Some((12, 15))),
        ]
    );
    assert!(
        corpus
            .errors
            .iter()
            .any(|e| e.path == Path::new("measured.xml") && e.reason.contains("mm10")),
        "{:#?}",
        corpus.errors
    );
}

#[test]
fn ocr_files_that_name_their_image_under_another_name_claim_it() {
    // ALTO, PAGE and hOCR alike: each names an image whose name is not
    // its own (hOCR as Tesseract writes it, in single quotes).
    let dir = tempdir();
    let root = dir.path();
    for name in [
        "scan_a_800px.jpg",
        "scan_b_800px.jpg",
        "page_0021_800px.jpg",
    ] {
        image::RgbImage::from_pixel(400, 300, image::Rgb([230, 220, 200]))
            .save(root.join(name))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    write(
        root,
        "a.xml",
        "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v4#\"><Description><MeasurementUnit>pixel</MeasurementUnit>\
         <sourceImageInformation><fileName>scan_a_800px.jpg</fileName></sourceImageInformation></Description>\
         <Layout><Page><PrintSpace><TextBlock><TextLine HPOS=\"1\" VPOS=\"1\" WIDTH=\"9\" HEIGHT=\"9\">\
         <String CONTENT=\"Alpha\" HPOS=\"1\" VPOS=\"1\" WIDTH=\"9\" HEIGHT=\"9\"/></TextLine></TextBlock>\
         </PrintSpace></Page></Layout></alto>",
    );
    write(
        root,
        "b.xml",
        "<PcGts xmlns=\"http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15\">\
         <Page imageFilename=\"scan_b_800px.jpg\" imageWidth=\"400\" imageHeight=\"300\"><TextRegion id=\"r\">\
         <TextLine id=\"l\"><Coords points=\"1,1 9,1 9,9 1,9\"/><TextEquiv><Unicode>Beta</Unicode></TextEquiv>\
         </TextLine></TextRegion></Page></PcGts>",
    );
    write(
        root,
        "page_0021.hocr",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>\
         <div class=\"ocr_page\" id=\"page_1\" title=\"image 'page_0021_800px.jpg'; bbox 0 0 400 300; ppageno 0\">\
         <span class=\"ocr_line\" title=\"bbox 1 1 9 9\"><span class=\"ocrx_word\" title=\"bbox 1 1 9 9; x_wconf 91\">Gamma</span></span>\
         </div></body></html>",
    );
    let corpus = load(root);
    let mut pages: Vec<(String, String)> = corpus
        .documents
        .iter()
        .map(|d| {
            (
                d.id.clone(),
                d.pages
                    .first()
                    .map(|p| p.image.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            )
        })
        .collect();
    pages.sort();
    assert_eq!(
        pages,
        [
            ("a".to_owned(), "scan_a_800px.jpg".to_owned()),
            ("b".to_owned(), "scan_b_800px.jpg".to_owned()),
            ("page_0021".to_owned(), "page_0021_800px.jpg".to_owned()),
        ],
        "no image is a loose document of its own"
    );
}

#[test]
fn webp_pages_decode_with_their_size() {
    let dir = tempdir();
    let path = dir.path().join("page.webp");
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::RgbaImage::from_pixel(640, 480, image::Rgba([200, 190, 170, 255]))
        .write_to(&mut bytes, image::ImageFormat::WebP)
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&path, bytes.into_inner()).unwrap_or_else(|e| panic!("{e}"));
    let (picture, full) =
        folio::pages::decode_scaled(&path, 0, 256).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(full, [640, 480]);
    assert_eq!(picture.width(), 256);
    assert_eq!(picture.get_pixel(10, 10).0, [200, 190, 170, 255]);
}

/// A PDF of one page `width`×`height` points: `page_extra` goes into the
/// page dictionary, `content` is its content stream and `image` (a
/// dictionary body and its stream bytes) is its image `/Im0`.
fn pdf_file(
    width: u32,
    height: u32,
    page_extra: &str,
    content: &str,
    image: Option<(&str, &[u8])>,
) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] {page_extra} \
             /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>"
        )
        .into_bytes(),
        {
            let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
            stream.extend_from_slice(content.as_bytes());
            stream.extend_from_slice(b"\nendstream");
            stream
        },
    ];
    if let Some((dict, bytes)) = image {
        let mut stream = format!(
            "<< /Type /XObject /Subtype /Image {dict} /Length {} >>\nstream\n",
            bytes.len()
        )
        .into_bytes();
        stream.extend_from_slice(bytes);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    let mut file = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(file.len());
        file.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        file.extend_from_slice(object);
        file.extend_from_slice(b"\nendobj\n");
    }
    let xref = file.len();
    file.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        file.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    file.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    file
}

/// A 40×20 JPEG, dark on its left half, light on its right.
fn half_dark_jpeg() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(40, 20, |x, _| {
        if x < 20 {
            image::Rgb([20, 20, 20])
        } else {
            image::Rgb([235, 235, 235])
        }
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .unwrap_or_else(|e| panic!("{e}"));
    bytes.into_inner()
}

#[test]
fn a_scanned_pdf_page_turned_by_rotate_is_shown_turned() {
    let dir = tempdir();
    let jpeg = half_dark_jpeg();
    let dict = "/Width 40 /Height 20 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode";
    let path = dir.path().join("turned.pdf");
    std::fs::write(
        &path,
        pdf_file(
            80,
            40,
            "/Rotate 90",
            "q 80 0 0 40 0 0 cm /Im0 Do Q",
            Some((dict, &jpeg)),
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let pdf = folio::pages::pdf::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let page = folio::pages::pdf::page(&pdf, 0, 1_000_000).unwrap_or_else(|e| panic!("{e}"));
    assert!(page.jpeg.is_some(), "{page:?}");
    assert_eq!(page.native, [20, 40]);
    let (picture, native) =
        folio::pages::decode_scaled(&path, 0, 1024).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(native, [20, 40]);
    assert_eq!((picture.width(), picture.height()), (20, 40));
    // A quarter turn clockwise puts the dark left half on top.
    assert!(picture.get_pixel(10, 5).0[0] < 100 && picture.get_pixel(10, 35).0[0] > 150);

    // Drawn by the renderer (a line over the scan), the turn is the same.
    let marked = dir.path().join("marked.pdf");
    std::fs::write(
        &marked,
        pdf_file(
            80,
            40,
            "/Rotate 90",
            "q 80 0 0 40 0 0 cm /Im0 Do Q 0 0 m 1 1 l S",
            Some((dict, &jpeg)),
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let pdf = folio::pages::pdf::open(&marked).unwrap_or_else(|e| panic!("{e}"));
    let page = folio::pages::pdf::page(&pdf, 0, 1_000_000).unwrap_or_else(|e| panic!("{e}"));
    assert!(page.jpeg.is_none(), "{page:?}");
    let (picture, _) =
        folio::pages::decode_scaled(&marked, 0, 80).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((picture.width(), picture.height()), (40, 80));
    assert!(picture.get_pixel(20, 10).0[0] < 100 && picture.get_pixel(20, 70).0[0] > 150);
}

#[test]
fn pdf_pages_that_cannot_be_shown_say_why() {
    let dir = tempdir();
    // An image that claims ten gigapixels is refused before decoding.
    let bomb = dir.path().join("bomb.pdf");
    let dict = "/Width 100000 /Height 100000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode";
    std::fs::write(
        &bomb,
        pdf_file(
            600,
            800,
            "",
            "q 600 0 0 800 0 0 cm /Im0 Do Q",
            Some((dict, b"x\x9c\x03\0\0\0\0\x01")),
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let error = folio::pages::decode_scaled(&bomb, 0, 512)
        .err()
        .unwrap_or_default();
    assert!(error.contains("over the limit"), "{error}");
    // A page that is not there.
    let error = folio::pages::decode_scaled(&bomb, 3, 512)
        .err()
        .unwrap_or_default();
    assert!(error.contains("has 1 pages, not page 4"), "{error}");

    // Loaded as a loose document, a damaged PDF stays one page with a
    // warning; a good one gives its pages.
    let root = dir.path().join("corpus");
    write(&root, "damaged.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog");
    write(
        &root,
        "good.pdf",
        pdf_file(600, 800, "", "0 0 m 600 800 l S", None),
    );
    let corpus = load(&root);
    let damaged = corpus
        .documents
        .iter()
        .find(|d| d.id == "damaged")
        .unwrap_or_else(|| panic!("no damaged"));
    assert_eq!(damaged.pages.len(), 1);
    assert!(
        damaged
            .warnings
            .iter()
            .any(|w| w.contains("not a readable PDF")),
        "{:?}",
        damaged.warnings
    );
    let good = corpus
        .documents
        .iter()
        .find(|d| d.id == "good")
        .unwrap_or_else(|| panic!("no good"));
    assert_eq!(good.pages.len(), 1);
    assert!(good.warnings.is_empty(), "{:?}", good.warnings);
    // A vector page is drawn at 300 dpi at most: 2500×3333 for 600×800 pt.
    let (picture, native) = folio::pages::decode_scaled(&root.join("good.pdf"), 0, 400)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(native, [2500, 3333]);
    assert_eq!((picture.width(), picture.height()), (300, 400));
}

/// A one-line ALTO page of 400×300 pixels.
fn alto_page(line: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v3#\">\
         <Description><MeasurementUnit>pixel</MeasurementUnit></Description>\
         <Layout><Page WIDTH=\"400\" HEIGHT=\"300\"><PrintSpace><TextBlock>\
         <TextLine HPOS=\"10\" VPOS=\"20\" WIDTH=\"200\" HEIGHT=\"30\">\
         <String CONTENT=\"{line}\" HPOS=\"10\" VPOS=\"20\" WIDTH=\"200\" HEIGHT=\"30\"/>\
         </TextLine></TextBlock></PrintSpace></Page></Layout></alto>"
    )
}

#[test]
fn language_codes_as_files_write_them_are_found_by_their_bcp47_tag() {
    let dir = tempdir();
    let root = dir.path();
    write(
        root,
        "letter.xml",
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc>\
         <titleStmt><title>Ein Brief</title></titleStmt><publicationStmt><p/></publicationStmt>\
         <sourceDesc><p/></sourceDesc></fileDesc><profileDesc><langUsage>\
         <language ident=\"deu\">Deutsch</language></langUsage></profileDesc></teiHeader>\
         <text><body><p>Die Häuser der Stadt brannten.</p></body></text></TEI>",
    );
    image::GrayImage::from_pixel(40, 30, image::Luma([200]))
        .save(root.join("p1.png"))
        .unwrap_or_else(|e| panic!("{e}"));
    write(
        root,
        "mets.xml",
        "<?xml version=\"1.0\"?>\n<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:mods=\"http://www.loc.gov/mods/v3\">\
         <mets:dmdSec ID=\"d\"><mets:mdWrap MDTYPE=\"MODS\"><mets:xmlData><mods:mods>\
         <mods:titleInfo><mods:title>Ein Buch</mods:title></mods:titleInfo>\
         <mods:language><mods:languageTerm authority=\"iso639-2b\" type=\"code\">ger</mods:languageTerm></mods:language>\
         </mods:mods></mets:xmlData></mets:mdWrap></mets:dmdSec>\
         <mets:fileSec><mets:fileGrp USE=\"DEFAULT\">\
         <mets:file ID=\"i1\" MIMETYPE=\"image/png\"><mets:FLocat xlink:href=\"p1.png\"/></mets:file>\
         </mets:fileGrp></mets:fileSec>\
         <mets:structMap TYPE=\"PHYSICAL\"><mets:div TYPE=\"physSequence\">\
         <mets:div TYPE=\"page\"><mets:fptr FILEID=\"i1\"/></mets:div>\
         </mets:div></mets:structMap></mets:mets>",
    );
    let path = root.to_string_lossy().into_owned();
    let listed = common::stdout(&common::folio(&["list", &path, "--lang", "de", "--json"]));
    let mut ids: Vec<String> = listed
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|d| d["id"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    let book = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    assert_eq!(ids, [book.clone(), "letter".to_owned()], "{listed}");
    // The code as written stays in the record.
    let shown = common::stdout(&common::folio(&["show", &path, &book, "--json"]));
    assert!(shown.contains("\"ger\""), "{shown}");
    // A letter in `rus` is read by the Russian analyser: another form of
    // the word finds it.
    write(
        root,
        "pismo.xml",
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc>\
         <titleStmt><title>Записка</title></titleStmt><publicationStmt><p/></publicationStmt>\
         <sourceDesc><p/></sourceDesc></fileDesc><profileDesc><langUsage>\
         <language ident=\"rus\">русский</language></langUsage></profileDesc></teiHeader>\
         <text><body><p>Получены письма из Кульджи.</p></body></text></TEI>",
    );
    let found = common::stdout(&common::folio(&["search", &path, "письмо"]));
    assert!(found.contains("pismo"), "{found}");
}

#[test]
fn a_mets_book_is_one_document_of_its_pages_and_follows_their_files() {
    let dir = tempdir();
    let root = dir.path().join("corpus");
    for n in [1, 2] {
        std::fs::create_dir_all(root.join("book/img")).unwrap_or_else(|e| panic!("{e}"));
        image::GrayImage::from_pixel(400, 300, image::Luma([200]))
            .save(root.join(format!("book/img/p{n}.png")))
            .unwrap_or_else(|e| panic!("{e}"));
        write(
            &root,
            &format!("book/alto/p{n}.xml"),
            alto_page(&format!("Seite{n}")),
        );
    }
    // The pages listed out of order, with ORDER to put them right.
    write(
        &root,
        "book/mets.xml",
        "<?xml version=\"1.0\"?>\n<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:mods=\"http://www.loc.gov/mods/v3\">\
         <mets:dmdSec ID=\"d\"><mets:mdWrap MDTYPE=\"MODS\"><mets:xmlData><mods:mods>\
         <mods:titleInfo><mods:title>Beantwortung der Frage</mods:title>\
         <mods:subTitle>Was ist Aufklärung?</mods:subTitle></mods:titleInfo>\
         <mods:name><mods:namePart>Kant, Immanuel</mods:namePart>\
         <mods:role><mods:roleTerm>aut</mods:roleTerm></mods:role></mods:name>\
         <mods:originInfo><mods:dateIssued>1784</mods:dateIssued></mods:originInfo>\
         <mods:language><mods:languageTerm>de</mods:languageTerm></mods:language>\
         </mods:mods></mets:xmlData></mets:mdWrap></mets:dmdSec>\
         <mets:fileSec><mets:fileGrp USE=\"DEFAULT\">\
         <mets:file ID=\"i1\" MIMETYPE=\"image/png\"><mets:FLocat xlink:href=\"img/p1.png\"/></mets:file>\
         <mets:file ID=\"i2\" MIMETYPE=\"image/png\"><mets:FLocat xlink:href=\"img/p2.png\"/></mets:file>\
         </mets:fileGrp><mets:fileGrp USE=\"FULLTEXT\">\
         <mets:file ID=\"t1\" MIMETYPE=\"text/xml\"><mets:FLocat xlink:href=\"alto/p1.xml\"/></mets:file>\
         <mets:file ID=\"t2\" MIMETYPE=\"text/xml\"><mets:FLocat xlink:href=\"alto/p2.xml\"/></mets:file>\
         </mets:fileGrp></mets:fileSec>\
         <mets:structMap TYPE=\"PHYSICAL\"><mets:div TYPE=\"physSequence\">\
         <mets:div TYPE=\"page\" ORDER=\"2\" ORDERLABEL=\"2\"><mets:fptr FILEID=\"i2\"/><mets:fptr FILEID=\"t2\"/></mets:div>\
         <mets:div TYPE=\"page\" ORDER=\"1\" ORDERLABEL=\"1\"><mets:fptr FILEID=\"i1\"/><mets:fptr FILEID=\"t1\"/></mets:div>\
         </mets:div></mets:structMap></mets:mets>",
    );
    let snapshot = dir.path().join("snapshot");
    let open = || common::open_and_save(&root, &snapshot).0;
    let corpus = open();
    assert!(corpus.errors.is_empty(), "{:#?}", corpus.errors);
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["book"], "the images and ALTO files are its pages");
    let book = &corpus.documents[0];
    assert_eq!(book.title, "Beantwortung der Frage: Was ist Aufklärung?");
    assert_eq!(book.people[0].name, "Kant, Immanuel");
    assert_eq!(book.people[0].role, Role::Author);
    assert_eq!(book.date.to_edtf(), "1784");
    assert_eq!(book.original_language.as_deref(), Some("de"));
    let pages: Vec<(&Path, Option<&str>)> = book
        .pages
        .iter()
        .map(|p| (p.image.as_path(), p.label.as_deref()))
        .collect();
    assert_eq!(
        pages,
        [
            (Path::new("book/img/p1.png"), Some("1")),
            (Path::new("book/img/p2.png"), Some("2"))
        ]
    );
    let layer = &book.layers[0];
    assert_eq!(layer.text, "Seite1\nSeite2");
    assert_eq!(layer.page_breaks[0].offset, 7);
    let (start, end) = book.pages[1].regions[0]
        .text_range
        .unwrap_or_else(|| panic!("no range"));
    assert_eq!(&layer.text[start..end], "Seite2");

    // An edited page text is read again when the corpus opens next.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(&root, "book/alto/p2.xml", alto_page("Zweite"));
    let again = open();
    assert_eq!(again.documents[0].layers[0].text, "Seite1\nZweite");
}
