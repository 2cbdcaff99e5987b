//! Parsers of untrusted input never panic, whatever they are given.
//!
//! Each property runs a fixed number of cases in the test suite; set
//! `FOLIO_FUZZ_CASES` for a longer run of every property, e.g.
//! `FOLIO_FUZZ_CASES=200000 cargo test --release --test properties`.

use std::fmt::Write as _;
use std::path::PathBuf;

use folio::corpus::parse_clip;
use folio::model::{ArchivePrefix, ArchiveRef, FuzzyDate, Layer, LayerKind};
use proptest::prelude::*;

/// Cases per property: `default`, or `FOLIO_FUZZ_CASES` when set.
fn cases(default: u32) -> u32 {
    std::env::var("FOLIO_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Strings that look like what the parsers see: dates, references, names
/// and markup fragments mixed with arbitrary Unicode.
fn messy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "April",
        "22",
        ",",
        " ",
        "1945",
        "-",
        "–",
        "/",
        "..",
        "~",
        "?",
        "%",
        "X",
        "c.",
        "early",
        "г.",
        "апреля",
        "年",
        "月",
        "日",
        "Fond",
        "F.",
        "op.",
        "d.",
        "ll.",
        "об.",
        "ГАРФ",
        "RGASPI",
        "[",
        "]",
        "\n",
        "\u{c}",
        "[page 2]",
        "**",
        "Citation:",
        "Summary:",
        "Translation from Uygur",
        "Letter from",
        " to ",
        " and ",
        "Document Information",
        "ئەخمەتجان",
        "阿合買提江",
        "0",
        "99999999999",
        "-0001",
        "XXXX",
        "194X",
        "1946-21",
        "\u{202e}",
        "\u{0301}",
    ]);
    prop_oneof![
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat()),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(2000)))]

    #[test]
    fn dates_never_panic(text in messy()) {
        if let Ok(date) = FuzzyDate::parse(&text) {
            // Whatever parses has a consistent interval and writes EDTF
            // that reads back to the same interval.
            if let (Some(start), Some(end)) = (date.start, date.end) {
                prop_assert!(start <= end, "{text:?}");
            }
            let again = FuzzyDate::parse_edtf(&date.to_edtf());
            if !date.is_unknown() {
                let again = again.map_err(|e| TestCaseError::fail(format!("{text:?} → {}: {e}", date.to_edtf())))?;
                prop_assert_eq!((again.start, again.end), (date.start, date.end), "{:?}", text);
            }
        }
        let _ = FuzzyDate::parse_edtf(&text);
    }

    #[test]
    fn archive_refs_never_panic(text in messy()) {
        if let Some(r) = ArchiveRef::parse(&text) {
            let _ = r.tree_path();
            let _ = r.short();
        }
        let _ = ArchiveRef::find_in(&text);
        let _ = ArchivePrefix::parse(&text);
    }

    #[test]
    fn clips_never_panic(text in messy()) {
        let _ = parse_clip("x", PathBuf::from("x.txt"), &text);
    }

    #[test]
    fn page_markers_never_panic(text in messy()) {
        let layer = Layer::with_page_markers(LayerKind::Transcription, None, &text);
        for page in 0..layer.page_count() {
            prop_assert!(layer.page_text(page).is_some());
        }
    }

    #[test]
    fn authority_and_toml_never_panic(text in messy()) {
        let _ = folio::authority::Authority::parse(&text);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(2000)))]

    /// No query string makes the parser or the analysers panic.
    #[test]
    fn any_query_parses_or_fails_cleanly(input in "\\PC{0,60}") {
        if let Ok(query) = folio::index::search::parse(&input) {
            let _ = folio::index::search::highlights(&query, "Ehmetjan Qasimi, Кульджа, قاسىمى 斯大林 1945");
        }
    }

    #[test]
    fn search_syntax_soup_never_panics(input in "[ a-zA-Zа-я\"*:.\\-]{0,40}") {
        if let Ok(query) = folio::index::search::parse(&input) {
            let _ = folio::index::search::highlights(&query, "Qasimi Kuld Stalin");
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(1000)))]

    /// Cache files are read back from disk, where anything can happen to
    /// them: no bytes make the decoder panic or allocate beyond its input.
    #[test]
    fn damaged_cache_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = folio::cache::codec::Reader::new(&bytes).get::<Vec<folio::model::Document>>();
        let _ = folio::cache::codec::Reader::new(&bytes).get::<folio::model::Document>();
        let _ = folio::index::facets::decode_views(&bytes);
        let mut file = b"FOLIOSNP\x03".to_vec();
        file.extend_from_slice(&bytes);
        let path = std::env::temp_dir().join(format!("folio-prop-{}.snapshot", std::process::id()));
        if std::fs::write(&path, &file).is_ok() {
            let _ = folio::corpus::snapshot::read(&path, 2);
            let _ = std::fs::remove_file(&path);
        }
    }

    /// Every document survives its encoding.
    #[test]
    fn documents_survive_the_cache_encoding(text in messy()) {
        if let Ok(document) = parse_clip("x", PathBuf::from("x.txt"), &text) {
            let mut w = folio::cache::codec::Writer::default();
            w.put(&document);
            let back = folio::cache::codec::Reader::new(&w.bytes).get::<folio::model::Document>();
            prop_assert_eq!(back.ok(), Some(document));
        }
    }
}

/// `document.toml` text: real keys and tables with values of every type,
/// broken quoting and arbitrary text mixed in.
fn messy_toml() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "title = ",
        "date = ",
        "archive = ",
        "original_language = ",
        "id = ",
        "summary = ",
        "kind = ",
        "tags = ",
        "places = ",
        "\n",
        "\"",
        "'''",
        "\"1945-04\"",
        "\"c. 1946\"",
        "\"../../etc/passwd\"",
        "\"/etc/passwd\"",
        "\"file:///etc/passwd\"",
        "\"scan/001.png\"",
        "[[people]]\n",
        "name = ",
        "role = ",
        "\"author\"",
        "\"boss\"",
        "authority = ",
        "[[pages]]\n",
        "image = ",
        "[[layers]]\n",
        "file = ",
        "\"original.ru.md\"",
        "language = ",
        "42",
        "-1",
        "1e400",
        "true",
        "[",
        "]",
        "{",
        "}",
        "=",
        ",",
        "#",
        "ГАРФ",
        "\"f. R-9401ss, op. 2, d. 95\"",
        "\u{0}",
        "\u{feff}",
    ]);
    prop_oneof![
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat()),
        messy(),
    ]
}

/// `metadata.csv` text: the real header, rows with quotes and separators.
fn messy_csv() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "id,title,date,author,recipient,archive,language\n",
        "file,title\n",
        "0001",
        "0002",
        ",",
        "\"",
        "\"\"",
        "\n",
        "\r\n",
        "1945",
        "c. 1946",
        "Stalin",
        "ru",
        "xx-not-a-tag",
        "GARF f. R-9401ss",
        "\u{0}",
        "\u{feff}",
        ";",
    ]);
    prop_oneof![
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat()),
        messy(),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(256)))]

    /// Whole folders of messy files: loading never panics, and every
    /// document or error names a file that is there.
    #[test]
    fn messy_folders_load_or_report(
        toml in messy_toml(),
        csv in messy_csv(),
        text in messy(),
    ) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let root = dir.path();
        let files = [
            ("doc/document.toml", toml.as_str()),
            ("doc/original.ru.md", text.as_str()),
            ("loose/metadata.csv", csv.as_str()),
            ("loose/0001.txt", text.as_str()),
            ("loose/0002.en.txt", "A page.\n"),
            ("clip.txt", text.as_str()),
            ("authority.toml", toml.as_str()),
        ];
        for (rel, contents) in files {
            let path = root.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            std::fs::write(&path, contents).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let corpus = folio::corpus::load(root, &folio::corpus::LoadOptions::default(), &|_| {})
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for error in &corpus.errors {
            prop_assert!(!error.reason.is_empty());
            prop_assert!(root.join(&error.path).exists(), "{:?}", error.path);
        }
        for document in &corpus.documents {
            prop_assert!(!document.id.is_empty());
            prop_assert!(root.join(&document.source).exists(), "{:?}", document.source);
        }
    }
}

/// ALTO and PAGE fragments: real elements and attributes, broken nesting,
/// odd numbers and text.
fn messy_ocr() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<alto>",
        "</alto>",
        "<PcGts>",
        "</PcGts>",
        "<Page imageFilename=\"a.jpg\">",
        "<Page WIDTH=\"10\" HEIGHT=\"10\">",
        "</Page>",
        "<TextLine HPOS=\"1\" VPOS=\"2\" WIDTH=\"3\" HEIGHT=\"4\">",
        "<TextLine>",
        "</TextLine>",
        "<String CONTENT=\"word\" HPOS=\"1\" VPOS=\"1\" WIDTH=\"1\" HEIGHT=\"1\"/>",
        "<String CONTENT=\"\" HPOS=\"NaN\" VPOS=\"-1e40\" WIDTH=\"x\" HEIGHT=\"1\"/>",
        "<HYP CONTENT=\"-\"/>",
        "<SP/>",
        "<Polygon POINTS=\"1,2 3,4 5,6\"/>",
        "<Coords points=\"1,2 3\"/>",
        "<Word><Coords points=\"0,0 1,0 1,1\"/><TextEquiv><Unicode>w</Unicode></TextEquiv></Word>",
        "<TextEquiv><Unicode>",
        "</Unicode></TextEquiv>",
        "<MeasurementUnit>pixel</MeasurementUnit>",
        "<fileName>../x.jpg</fileName>",
        "ئەخمەتجان",
        "阿合買提江",
        "&amp;",
        "&lt;",
        "<!-- c -->",
        "\n",
        "<html><body>",
        "</body></html>",
        "<div class='ocr_page' title='image \"a.jpg\"; bbox 0 0 9 9'>",
        "</div>",
        "<span class='ocr_line' title='bbox 1 2 3 4; baseline 0 0'>",
        "<span class='ocrx_word' title='bbox 1 2 3; x_wconf 9'>",
        "</span>",
        "&nbsp;",
    ]);
    // Well-formed ALTO with messy words, so that most cases reach the
    // line and word linking.
    let escape = |w: &str| {
        w.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;")
    };
    let well_formed = prop::collection::vec(
        prop::collection::vec((messy(), -5i32..3000, -5i32..3000), 0..6),
        0..8,
    )
    .prop_map(move |lines| {
        let mut xml = String::from("<alto><Layout><Page><PrintSpace><TextBlock>");
        for line in lines {
            xml.push_str("<TextLine HPOS=\"0\" VPOS=\"0\" WIDTH=\"9\" HEIGHT=\"9\">");
            for (word, x, y) in line {
                let word: String = word.chars().filter(|c| !c.is_control()).collect();
                xml.push_str(&format!(
                    "<String CONTENT=\"{}\" HPOS=\"{x}\" VPOS=\"{y}\" WIDTH=\"5\" HEIGHT=\"5\"/>",
                    escape(&word)
                ));
            }
            xml.push_str("</TextLine>");
        }
        xml.push_str("</TextBlock></PrintSpace></Page></Layout></alto>");
        xml
    });
    prop_oneof![
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat()),
        well_formed,
        messy(),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(512)))]

    /// The OCR reader never panics, and every line and word region it
    /// makes points at exactly its own text in the transcription.
    #[test]
    fn ocr_files_parse_or_fail_cleanly(xml in messy_ocr()) {
        let _ = folio::corpus::formats::alto_page_hocr::sniff(xml.as_bytes());
        let _ = folio::corpus::formats::alto_page_hocr::parse(&xml);
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        std::fs::write(dir.path().join("page.xml"), &xml)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        std::fs::write(dir.path().join("page.jpg"), b"\xFF\xD8\xFF")
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Ok(doc) = folio::corpus::formats::alto_page_hocr::load(dir.path(), std::path::Path::new("page.xml")) {
            let text = doc.layers.first().map_or("", |l| l.text.as_str());
            for region in doc.pages.iter().flat_map(|p| &p.regions) {
                let (start, end) = region.text_range.unwrap_or_default();
                prop_assert_eq!(text.get(start..end), Some(region.text.as_str()));
            }
        }
    }
}

/// TEI made of pieces that stress the reader: every element it treats
/// specially, nested anyhow, with text in several scripts and dates of
/// every shape, often unbalanced.
fn messy_tei() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">",
        "</TEI>",
        "<teiHeader><fileDesc><titleStmt><title level=\"a\">T</title></titleStmt></fileDesc>",
        "</teiHeader>",
        "<profileDesc><correspDesc><correspAction type=\"sent\"><persName>Kraus, Karl</persName>",
        "<date when=\"1892-10-31\">31. 10.</date>",
        "<date notBefore=\"-0254\" notAfter=\"-0251\"/>",
        "<date from=\"1945\" to=\"1944\"/>",
        "<date when=\"soon\"/>",
        "<date notAfter=\"2024-02-30T10:00\"/>",
        "</correspAction></correspDesc></profileDesc>",
        "<msIdentifier><settlement>Wien</settlement><idno>A 1</idno></msIdentifier>",
        "<text><body>",
        "</body></text>",
        "<div type=\"edition\" xml:lang=\"grc\">",
        "<div type=\"translation\" xml:lang=\"en\">",
        "</div>",
        "<p>",
        "</p>",
        "<pb n=\"2\"/>",
        "<lb/>",
        "<choice><abbr>Dk.</abbr><expan>Dank</expan></choice>",
        "<choice>",
        "</choice>",
        "<note>",
        "</note>",
        "<del>x</del>",
        "<gap/>",
        "<supplied>",
        "</supplied>",
        "<facsimile><surface><graphic url=\"../../etc/passwd\"/><zone xml:id=\"z\" ulx=\"1\" uly=\"1\" lrx=\"9\" lry=\"9\"/></surface></facsimile>",
        "<ab facs=\"#z\">",
        "</ab>",
        "Ζήνωνι ",
        "ئەخمەتجان ",
        "阿合買提江",
        "&amp;",
        "<!-- c -->",
        " \n ",
    ]);
    let well_formed = prop::collection::vec(messy(), 0..6).prop_map(|words| {
        let mut body = String::new();
        for w in &words {
            let w: String = w.chars().filter(|c| !c.is_control()).collect();
            let _ = write!(
                body,
                "<p>{}<pb/><note>{}</note></p>",
                w.replace('&', "&amp;").replace('<', "&lt;"),
                w.len()
            );
        }
        format!(
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader/><text><body>{body}</body></text></TEI>"
        )
    });
    prop_oneof![
        prop::collection::vec(pieces, 0..50).prop_map(|v| v.concat()),
        well_formed,
        messy(),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(512)))]

    /// The TEI reader never panics, keeps page breaks and zone links
    /// inside its texts, and never takes a facsimile from outside the
    /// corpus.
    #[test]
    fn tei_files_parse_or_fail_cleanly(xml in messy_tei()) {
        let _ = folio::corpus::formats::tei::sniff(xml.as_bytes());
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Ok(doc) = folio::corpus::formats::tei::parse(&xml, dir.path(), std::path::Path::new("a/b.xml")) {
            for layer in &doc.layers {
                for page_break in &layer.page_breaks {
                    prop_assert!(layer.text.is_char_boundary(page_break.offset));
                    prop_assert!(page_break.offset < layer.text.len());
                }
            }
            let text = doc.layers.first().map_or("", |l| l.text.as_str());
            for region in doc.pages.iter().flat_map(|p| &p.regions) {
                if let Some((start, end)) = region.text_range {
                    prop_assert_eq!(text.get(start..end), Some(region.text.as_str()));
                }
            }
            prop_assert!(doc.pages.is_empty(), "no image exists in the corpus");
        }
    }
}

/// METS made of pieces that stress the reader: file groups, pages and
/// pointers in any order and nesting, links of every kind (escaping,
/// absolute, remote, missing), MODS in odd places, often unbalanced.
fn messy_mets() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:mods=\"http://www.loc.gov/mods/v3\">",
        "</mets:mets>",
        "<mets:fileSec><mets:fileGrp USE=\"IMG\">",
        "<mets:fileGrp USE=\"THUMBS\">",
        "</mets:fileGrp></mets:fileSec>",
        "<mets:file ID=\"i1\" MIMETYPE=\"image/jpeg\"><mets:FLocat xlink:href=\"p1.jpg\"/></mets:file>",
        "<mets:file ID=\"i2\" MIMETYPE=\"image/tiff\"><mets:FLocat xlink:href=\"../../etc/passwd\"/></mets:file>",
        "<mets:file ID=\"t1\" MIMETYPE=\"application/alto+xml\"><mets:FLocat xlink:href=\"p1.xml\"/></mets:file>",
        "<mets:file ID=\"t2\"><mets:FLocat xlink:href=\"/etc/hosts\"/></mets:file>",
        "<mets:file ID=\"r\"><mets:FLocat xlink:href=\"https://x/1.jpg\"/></mets:file>",
        "<mets:file ID=\"i1\"><mets:FLocat/></mets:file>",
        "<mets:structMap TYPE=\"PHYSICAL\"><mets:div TYPE=\"physSequence\">",
        "<mets:structMap TYPE=\"LOGICAL\">",
        "</mets:div></mets:structMap>",
        "<mets:div TYPE=\"page\" ORDER=\"2\" ORDERLABEL=\"2r\">",
        "<mets:div TYPE=\"page\" ORDER=\"x\">",
        "<mets:div TYPE=\"page\">",
        "</mets:div>",
        "<mets:fptr FILEID=\"i1\"/>",
        "<mets:fptr FILEID=\"t1\"/>",
        "<mets:fptr FILEID=\"i2\"/><mets:fptr FILEID=\"t2\"/><mets:fptr FILEID=\"r\"/>",
        "<mets:fptr><mets:area FILEID=\"t1\"/></mets:fptr>",
        "<mets:fptr FILEID=\"nothing\"/>",
        "<mods:mods><mods:titleInfo><mods:title>Ein Buch</mods:title></mods:titleInfo>",
        "<mods:name><mods:namePart>Kant, Immanuel</mods:namePart><mods:role><mods:roleTerm>aut</mods:roleTerm></mods:role></mods:name>",
        "<mods:originInfo><mods:dateIssued>1784</mods:dateIssued><mods:dateIssued>soon</mods:dateIssued></mods:originInfo>",
        "</mods:mods>",
        "<!-- c -->",
        " \n ",
    ]);
    prop_oneof![
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat()),
        messy(),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(512)))]

    /// The METS reader never panics, never takes a file from outside the
    /// corpus or over the network, and keeps page breaks and line ranges
    /// inside its text.
    #[test]
    fn mets_files_load_or_fail_cleanly(xml in messy_mets(), alto in messy_ocr()) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("book")).map_err(|e| TestCaseError::fail(e.to_string()))?;
        std::fs::write(root.join("book/mets.xml"), &xml).map_err(|e| TestCaseError::fail(e.to_string()))?;
        std::fs::write(root.join("book/p1.xml"), &alto).map_err(|e| TestCaseError::fail(e.to_string()))?;
        std::fs::write(root.join("book/p1.jpg"), b"not looked at").map_err(|e| TestCaseError::fail(e.to_string()))?;
        let file = std::path::Path::new("book/mets.xml");
        let _ = folio::corpus::formats::mets::sniff(&xml);
        if let Ok(files) = folio::corpus::formats::mets::referenced_files(root, file) {
            for f in &files {
                prop_assert!(f.starts_with("book"), "{f:?}");
            }
        }
        match folio::corpus::formats::mets::load(root, file) {
            Ok(doc) => {
                for page in &doc.pages {
                    prop_assert_eq!(page.image.as_path(), std::path::Path::new("book/p1.jpg"));
                }
                let text = doc.layers.first().map_or("", |l| l.text.as_str());
                for layer in &doc.layers {
                    for page_break in &layer.page_breaks {
                        prop_assert!(layer.text.is_char_boundary(page_break.offset));
                        prop_assert!(page_break.offset <= layer.text.len());
                    }
                }
                for region in doc.pages.iter().flat_map(|p| &p.regions) {
                    if let Some((start, end)) = region.text_range {
                        prop_assert_eq!(text.get(start..end), Some(region.text.as_str()));
                    }
                }
            }
            Err(error) => prop_assert_eq!(error.path.as_path(), file),
        }
    }
}

/// IIIF manifests in odd shapes: labels as strings, maps, arrays, numbers
/// or null; canvases with and without images; URLs of every scheme.
fn messy_manifest() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        messy().prop_map(serde_json::Value::from),
        prop::collection::vec(messy(), 0..3).prop_map(|v| serde_json::json!({ "en": v })),
        messy().prop_map(|s| serde_json::json!([{ "@value": s }])),
        Just(serde_json::Value::Null),
        Just(serde_json::json!(7)),
        Just(serde_json::json!({ "none": [] })),
    ];
    let url = prop::sample::select(vec![
        "https://example.org/iiif/a/full/full/0/default.jpg",
        "http://127.0.0.1/x.jpg",
        "file:///etc/passwd",
        "../../secret.jpg",
        "",
        "javascript:alert(1)",
    ]);
    let canvas = (text.clone(), url, any::<bool>()).prop_map(|(label, url, v3)| {
        if v3 {
            serde_json::json!({"type": "Canvas", "label": label,
                "items": [{"items": [{"body": {"id": url}}]}]})
        } else {
            serde_json::json!({"@type": "sc:Canvas", "label": label,
                "images": [{"resource": {"@id": url}}]})
        }
    });
    let manifest = (
        text.clone(),
        prop::collection::vec((text.clone(), text), 0..4),
        prop::collection::vec(canvas, 0..4),
        any::<bool>(),
        messy(),
    )
        .prop_map(|(label, metadata, canvases, v3, nav)| {
            let metadata: Vec<serde_json::Value> = metadata
                .into_iter()
                .map(|(l, v)| serde_json::json!({"label": l, "value": v}))
                .collect();
            let manifest = if v3 {
                serde_json::json!({"type": "Manifest", "label": label, "metadata": metadata,
                    "navDate": nav, "items": canvases})
            } else {
                serde_json::json!({"@type": "sc:Manifest", "label": label, "metadata": metadata,
                    "navDate": nav, "sequences": [{"canvases": canvases}]})
            };
            manifest.to_string()
        });
    prop_oneof![manifest, messy()]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(512)))]

    /// The IIIF reader never panics and keeps only http(s) image URLs.
    #[test]
    fn iiif_manifests_parse_or_fail_cleanly(json in messy_manifest()) {
        let _ = folio::corpus::formats::iiif::sniff(json.as_bytes());
        if let Ok(doc) = folio::corpus::formats::iiif::parse(&json, std::path::Path::new("m.json")) {
            prop_assert!(!doc.title.is_empty());
            for page in &doc.pages {
                prop_assert!(folio::corpus::formats::iiif::is_remote(&page.image), "{:?}", page.image);
            }
        }
    }
}

/// A PDF of the samples (`name`), damaged: bytes overwritten, a cut, or
/// a stretch repeated. Object offsets go wrong, streams are cut, numbers
/// are nonsense: the file must still be counted and shown, or refused.
fn damaged_pdf(name: &str) -> impl Strategy<Value = Vec<u8>> {
    let original = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/samples/scanned-pdf")
            .join(name),
    )
    .unwrap_or_default();
    let length = original.len().max(1);
    (
        proptest::collection::vec((0..length, any::<u8>()), 0..40),
        0..length,
        any::<bool>(),
        0..length,
    )
        .prop_map(move |(writes, cut, cut_it, repeat_at)| {
            let mut bytes = original.clone();
            for (at, byte) in writes {
                if let Some(b) = bytes.get_mut(at) {
                    *b = byte;
                }
            }
            if cut_it {
                bytes.truncate(cut);
                let stretch = bytes
                    .get(repeat_at.min(bytes.len())..)
                    .unwrap_or_default()
                    .to_vec();
                bytes.extend(stretch.iter().take(4096));
            }
            bytes
        })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(64)))]

    /// The PDF reader never panics past its own guard: a damaged file is
    /// counted or refused, and each page it counts is shown or says why.
    #[test]
    fn damaged_pdfs_are_shown_or_refused(
        bytes in prop_oneof![damaged_pdf("c02-22.pdf"), damaged_pdf("multipage.pdf")]
    ) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("scan.pdf");
        std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        if let Ok(count) = folio::pages::pdf::page_count(&path) {
            prop_assert!(count >= 1);
            for index in 0..count.min(3) {
                match folio::pages::decode_scaled(&path, index, 256) {
                    Ok((picture, _)) => prop_assert!(picture.width().max(picture.height()) <= 256),
                    Err(reason) => prop_assert!(!reason.is_empty()),
                }
            }
        }
    }
}

/// A scan-like JPEG (grain and strokes), damaged: bytes overwritten and
/// maybe cut. Markers, tables and the scan itself go wrong.
fn damaged_jpeg() -> impl Strategy<Value = Vec<u8>> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let page = image::RgbImage::from_fn(160, 120, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let v = if (y / 9) % 2 == 0 && (x / 3) % 3 == 0 {
            30
        } else {
            210
        } + (state >> 60) as u8;
        image::Rgb([v, v, v.saturating_sub(20)])
    });
    let mut original = Vec::new();
    let _ =
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut original, 80).encode_image(&page);
    let length = original.len().max(1);
    (
        proptest::collection::vec((0..length, any::<u8>()), 0..12),
        proptest::option::of(0..length),
    )
        .prop_map(move |(writes, cut)| {
            let mut bytes = original.clone();
            for (at, byte) in writes {
                if let Some(b) = bytes.get_mut(at) {
                    *b = byte;
                }
            }
            if let Some(cut) = cut {
                bytes.truncate(cut);
            }
            bytes
        })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(256)))]

    /// The parallel preview decoder reads a damaged JPEG or declines it;
    /// what it gives has the size asked.
    #[test]
    fn damaged_jpegs_preview_or_decline(bytes in damaged_jpeg(), side in 10u32..40) {
        if let Some((preview, full)) = folio::pages::jpeg_preview::preview(&bytes, side) {
            prop_assert!(preview.width() >= 1 && preview.height() >= 1);
            prop_assert!(full[0].max(full[1]) >= side);
            let small = folio::pages::jpeg_preview::shrink(&preview, side);
            prop_assert!(small.width().max(small.height()) <= side);
        }
    }
}

/// A description as a user or another program may write one: any text in
/// every field, pages that may or may not exist.
fn description() -> impl Strategy<Value = folio::research::describe::Description> {
    let text = || proptest::option::of(messy());
    let pages = proptest::option::of(prop::collection::vec(
        (
            prop::sample::select(vec![
                "IMG_1.JPG",
                "IMG_2.JPG",
                "IMG_3.JPG",
                "nope.jpg",
                "../x.jpg",
            ]),
            proptest::option::of(0u32..4),
            proptest::option::of(messy()),
        ),
        0..5,
    ));
    (
        prop::sample::select(vec!["IMG_1", "IMG_2", "IMG_3", "new", ""]),
        (text(), text(), text(), text()),
        (text(), text(), text()),
        pages,
    )
        .prop_map(
            |(id, (title, date, archive, kind), (language, summary, role), pages)| {
                let mut d = folio::research::describe::Description::new(id);
                d.title = title;
                d.date = date;
                d.archive = archive;
                d.kind = kind;
                d.original_language = language;
                d.summary = summary;
                d.people = role.map(|role| {
                    vec![folio::research::describe::DescribedPerson {
                        name: "Someone".into(),
                        role,
                    }]
                });
                d.pages = pages.map(|pages| {
                    pages
                        .into_iter()
                        .map(
                            |(image, page, label)| folio::research::describe::DescribedPage {
                                image: image.into(),
                                page,
                                label,
                            },
                        )
                        .collect()
                });
                d
            },
        )
}

/// Three photographs, each a document.
fn photo_corpus() -> folio::corpus::Corpus {
    let mut corpus = folio::corpus::Corpus::default();
    for n in 1..=3 {
        let mut doc = folio::model::Document::new(
            format!("IMG_{n}"),
            PathBuf::from(format!("IMG_{n}.JPG")),
            folio::model::SourceFormat::Loose,
        );
        doc.pages
            .push(folio::model::Page::new(PathBuf::from(format!(
                "IMG_{n}.JPG"
            ))));
        corpus.documents.push(doc);
        corpus.fingerprints.push(n);
    }
    corpus
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(1000)))]

    /// Text files of the sidecar never make the reader panic, and every
    /// text written reads back page by page as typed, markers and all.
    #[test]
    fn user_texts_never_panic_and_round_trip(
        text in messy(),
        id in messy(),
        language in "[a-z]{2}(-[A-Za-z]{4})?",
        pages in prop::collection::vec(
            prop::collection::vec(
                prop::sample::select(vec!["--- page 2 ---", "\\--- page 1 ---", "\\", "", "-->", "Страница", "\u{c}", " ", "\r", "\n", "敬啟者"]),
                0..8,
            ).prop_map(|p| p.concat()),
            1..5,
        ),
    ) {
        use folio::research::describe::{DescribedText, texts};
        let _ = texts::from_file(&text);
        let _ = texts::from_file(&format!("<!-- folio text document=\"a\" kind=\"note\" language=\"en\" -->\n{text}"));
        let written = DescribedText { kind: "translation".into(), language, pages };
        let file = texts::to_file(&id, &written);
        prop_assert_eq!(texts::from_file(&file), Ok((id, written)), "{}", file);
    }

    /// Description files never make the reader or the overlay panic, and
    /// what is written reads back the same.
    #[test]
    fn descriptions_never_panic(text in messy(), described in prop::collection::vec(description(), 0..4)) {
        let _ = folio::research::describe::Description::from_toml(&text);
        let mut overlay = folio::research::describe::Overlay::default();
        for d in described {
            if let Ok(written) = d.to_toml() && !d.id.is_empty() {
                let read = folio::research::describe::Description::from_toml(&written);
                prop_assert_eq!(read.as_ref(), Ok(&d), "{}", written);
            }
            let _ = folio::research::describe::apply::check(&d);
            overlay.put(d);
        }
        let corpus = photo_corpus();
        let applied = folio::research::describe::apply(&corpus, &overlay);
        // Every photograph is still a page of exactly one document.
        let mut pages: Vec<_> = applied
            .corpus
            .documents
            .iter()
            .flat_map(|d| d.pages.iter().map(|p| p.image.clone()))
            .collect();
        pages.sort();
        let before = pages.len();
        pages.dedup();
        prop_assert_eq!(before, pages.len(), "a page is in two documents");
        prop_assert_eq!(applied.corpus.documents.len(), applied.corpus.fingerprints.len());
    }
}
