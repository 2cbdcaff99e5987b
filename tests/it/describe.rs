//! Describing a folder of photographs and correcting any document: the
//! descriptions in the sidecar, laid over the corpus, from the command
//! line and the library; the user's files never touched.

use std::path::Path;

use crate::common::{self, files_of, folio, photo, stdout};
use folio::corpus::{self, LoadOptions};
use folio::research::describe::edit::{self, Field};
use folio::research::describe::{Overlay, apply, exif};

fn load(path: &Path) -> folio::corpus::Corpus {
    corpus::load(path, &LoadOptions::default(), &|_| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// A reading-room shoot: two documents of three and two photographs, a
/// pause between, and one photograph alone.
fn shoot(dir: &Path) {
    for (name, time) in [
        ("IMG_4711.JPG", "2024:05:14 10:00:00"),
        ("IMG_4712.JPG", "2024:05:14 10:00:40"),
        ("IMG_4713.JPG", "2024:05:14 10:01:15"),
        ("IMG_4714.JPG", "2024:05:14 10:05:00"),
        ("IMG_4715.JPG", "2024:05:14 10:05:30"),
        ("IMG_4716.JPG", "2024:05:14 10:12:00"),
    ] {
        photo(dir, name, Some(time));
    }
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

#[test]
fn a_photo_folder_is_grouped_and_described_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    shoot(root);
    let before = files_of(root);
    let path = root.to_string_lossy().into_owned();

    let grouped = folio(&[
        "group",
        &path,
        "--id",
        "letter",
        "IMG_4711.JPG",
        "IMG_4713.JPG",
        "IMG_4712.JPG",
    ]);
    assert!(grouped.status.success(), "{grouped:?}");
    let described = folio(&[
        "describe",
        &path,
        "letter",
        "--title",
        "Письмо Алихана Тюри Сталину",
        "--date",
        "22 апреля 1945 г.",
        "--archive",
        "ГАРФ Ф. Р-9401 Оп. 2 Д. 95 Л. 352–359 об.",
        "--author",
        "Alihan Tore",
        "--recipient",
        "Stalin",
        "--lang",
        "Russian",
        "--kind",
        "letter",
    ]);
    assert!(described.status.success(), "{described:?}");

    let shown = json(&folio(&["show", &path, "letter", "--json"]));
    assert_eq!(shown["title"], "Письмо Алихана Тюри Сталину");
    assert_eq!(shown["date"]["start"], "1945-04-22");
    assert_eq!(shown["date"]["precision"], "day");
    assert_eq!(shown["archive"]["repository"], "GARF");
    assert_eq!(shown["archive"]["delo"], "95");
    assert_eq!(shown["original_language"], "ru");
    let pages: Vec<&str> = shown["pages"]
        .as_array()
        .unwrap_or_else(|| panic!("no pages"))
        .iter()
        .filter_map(|p| p["image"].as_str())
        .collect();
    assert_eq!(
        pages,
        ["IMG_4711.JPG", "IMG_4713.JPG", "IMG_4712.JPG"],
        "pages in the order given"
    );
    // The photographs taken into the letter are no longer documents.
    let listed = stdout(&folio(&["list", &path]));
    assert_eq!(listed.lines().count(), 4, "{listed}");
    assert!(!listed.contains("IMG_4712"), "{listed}");
    // Filters and search follow the description.
    let filtered = stdout(&folio(&[
        "list",
        &path,
        "--archive",
        "GARF",
        "--author",
        "tore",
    ]));
    assert!(filtered.contains("letter"), "{filtered}");
    let found = stdout(&folio(&["search", &path, "Сталину"]));
    assert!(found.contains("letter"), "{found}");

    // A value folio cannot read changes nothing.
    let file = root.join(".folio/descriptions/letter.toml");
    let saved = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
    let bad = folio(&["describe", &path, "letter", "--date", "the 32nd of Smarch"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("Smarch"),
        "{bad:?}"
    );
    assert_eq!(std::fs::read(&file).unwrap_or_default(), saved);
    let missing = folio(&["describe", &path, "no-such-document", "--title", "x"]);
    assert_eq!(missing.status.code(), Some(1));
    let usage = folio(&["describe", &path, "letter"]);
    assert_eq!(usage.status.code(), Some(2), "no field is a usage error");

    // Ungrouped: the photographs are documents again; the fields stay.
    let ungrouped = folio(&["ungroup", &path, "letter"]);
    assert!(ungrouped.status.success(), "{ungrouped:?}");
    let listed = stdout(&folio(&["list", &path]));
    assert!(listed.contains("IMG_4712"), "{listed}");
    assert_eq!(files_of(root), before, "the photographs are byte-identical");
}

#[test]
fn a_spreadsheet_describes_many_documents_or_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    shoot(root);
    let path = root.to_string_lossy().into_owned();
    let table = dir.path().join("table.csv");
    std::fs::write(
        &table,
        "id,title,date,author,archive\n\
         IMG_4711,Telegram,June 1934,Sheng Shicai,RGASPI F. 17 Op. 162 D. 20\n\
         IMG_4714,Decision,c. 1950,Politburo,\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = folio(&["describe", &path, "--from-csv", &table.to_string_lossy()]);
    assert!(output.status.success(), "{output:?}");
    let shown = json(&folio(&["show", &path, "IMG_4714", "--json"]));
    assert_eq!(shown["title"], "Decision");
    assert_eq!(shown["date"]["approximate"], true);
    let shown = json(&folio(&["show", &path, "IMG_4711", "--json"]));
    assert_eq!(shown["archive"]["repository"], "RGASPI");
    assert_eq!(shown["people"][0]["name"], "Sheng Shicai");

    // One bad row: nothing is written.
    std::fs::write(
        &table,
        "id,title,date\nIMG_4712,Fine,1945\nIMG_4713,Bad,the 32nd of Smarch\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = folio(&["describe", &path, "--from-csv", &table.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("line 3") && err.contains("nothing was saved"),
        "{err}"
    );
    assert!(!root.join(".folio/descriptions/IMG_4712.toml").exists());
}

#[test]
fn photographs_taken_together_are_suggested_as_documents() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    shoot(dir.path());
    let corpus = load(dir.path());
    let photos: Vec<exif::Photo> = corpus
        .documents
        .iter()
        .map(|d| exif::Photo {
            id: d.id.clone(),
            name: d.pages[0].image.to_string_lossy().into_owned(),
            taken: exif::taken(&dir.path().join(&d.pages[0].image)),
        })
        .collect();
    assert!(photos.iter().all(|p| p.taken.is_some()), "{photos:?}");
    assert_eq!(
        photos[1].taken.map(|t| t.to_string()).as_deref(),
        Some("2024-05-14 10:00:40")
    );
    let groups = exif::suggest(&photos, 90);
    let ids: Vec<Vec<String>> = groups.into_iter().map(|g| g.ids).collect();
    assert_eq!(
        ids,
        [
            vec!["IMG_4711", "IMG_4712", "IMG_4713"],
            vec!["IMG_4714", "IMG_4715"]
        ]
    );
    // The photograph's time is never the document's date.
    assert!(corpus.documents.iter().all(|d| d.date.is_unknown()));
}

#[test]
fn any_document_can_be_corrected_and_given_its_file_value_back() {
    let corpus = load(&common::documents());
    let id = "1945-04-22-alihan-tore-to-stalin";
    let mut overlay = Overlay::default();
    let edit = edit::set_fields(
        &overlay,
        &[id.to_owned()],
        &[
            Field::Date(Some("1945-04-23".into())),
            Field::Kind(Some("telegram".into())),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let undo = overlay.carry_out(edit);
    let shown = apply(&corpus, &overlay).corpus;
    let doc = shown.document(id).unwrap_or_else(|| panic!("gone"));
    assert_eq!(
        doc.date.start.map(|d| d.to_string()).as_deref(),
        Some("1945-04-23")
    );
    assert_eq!(doc.kind.as_deref(), Some("telegram"));
    // Everything else is the file's.
    let original = corpus.document(id).unwrap_or_else(|| panic!("gone"));
    assert_eq!(doc.title, original.title);
    assert_eq!(doc.layers, original.layers);
    // "Use the file's value": the field is forgotten.
    let edit = edit::set_fields(&overlay, &[id.to_owned()], &[Field::Date(None)])
        .unwrap_or_else(|e| panic!("{e}"));
    overlay.carry_out(edit);
    let shown = apply(&corpus, &overlay).corpus;
    assert_eq!(
        shown.document(id).map(|d| d.date.clone()),
        Some(original.date.clone())
    );
    assert_eq!(
        shown.document(id).and_then(|d| d.kind.clone()).as_deref(),
        Some("telegram")
    );
    // Undo of the first edit: nothing described.
    let mut fresh = Overlay {
        by_id: overlay.by_id.clone(),
        ..Overlay::default()
    };
    fresh.carry_out(undo);
    assert!(fresh.is_empty());
    // A value that cannot be read is refused before anything changes.
    let unknown = [Field::OriginalLanguage(Some("Klingonese".into()))];
    assert!(edit::set_fields(&overlay, &[id.to_owned()], &unknown).is_err());
}

#[test]
fn folios_numbered_once_give_the_reference_its_leaves() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    shoot(dir.path());
    let corpus = load(dir.path());
    let mut overlay = Overlay::default();
    let pages: Vec<_> = ["IMG_4711.JPG", "IMG_4712.JPG", "IMG_4713.JPG"]
        .iter()
        .map(|image| edit::page_argument(dir.path(), image))
        .collect();
    let group = edit::group(&overlay, &corpus, "letter", pages).unwrap_or_else(|e| panic!("{e}"));
    overlay.carry_out(group);
    let shown = apply(&corpus, &overlay).corpus;
    let doc = shown
        .document("letter")
        .unwrap_or_else(|| panic!("no letter"));
    overlay.carry_out(edit::number_folios(&overlay, doc, 0, 352, true, "об."));
    let fields = [Field::Archive(Some("ГАРФ Ф. Р-9401 Оп. 2 Д. 95".into()))];
    let describe =
        edit::set_fields(&overlay, &["letter".into()], &fields).unwrap_or_else(|e| panic!("{e}"));
    overlay.carry_out(describe);
    let shown = apply(&corpus, &overlay).corpus;
    let doc = shown
        .document("letter")
        .unwrap_or_else(|| panic!("no letter"));
    let labels: Vec<_> = doc
        .pages
        .iter()
        .map(|p| p.label.clone().unwrap_or_default())
        .collect();
    assert_eq!(labels, ["352", "352 об.", "353"]);
    assert_eq!(
        doc.archive
            .as_ref()
            .and_then(|a| a.folios.clone())
            .as_deref(),
        Some("352–353")
    );
    let citation = folio::research::export::write(folio::research::export::Format::Citation, [doc]);
    assert!(citation.contains("352–353"), "{citation}");
    // Split before the third page: a document of its own.
    let split = edit::split(&overlay, doc, 2, "letter-3").unwrap_or_else(|e| panic!("{e}"));
    overlay.carry_out(split);
    let shown = apply(&corpus, &overlay).corpus;
    assert_eq!(shown.document("letter").map(|d| d.pages.len()), Some(2));
    assert_eq!(shown.document("letter-3").map(|d| d.pages.len()), Some(1));
}

#[test]
fn a_description_that_cannot_be_applied_is_an_error_naming_its_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    shoot(dir.path());
    common::write(
        dir.path(),
        ".folio/descriptions/IMG_4711.toml",
        "id = \"IMG_4711\"\ndate = \"the 32nd of Smarch\"\ntitle = \"Kept\"\n",
    );
    common::write(
        dir.path(),
        ".folio/descriptions/broken.toml",
        "id = \"x\"\ntittle = 1\n",
    );
    common::write(
        dir.path(),
        ".folio/descriptions/gone.toml",
        "id = \"gone\"\n[[pages]]\nimage = \"IMG_9999.JPG\"\n",
    );
    let corpus = load(dir.path());
    let shown = apply(&corpus, &Overlay::load(dir.path())).corpus;
    let errors: Vec<String> = shown.errors.iter().map(ToString::to_string).collect();
    let joined = errors.join("\n");
    assert!(
        joined.contains("IMG_4711.toml") && joined.contains("Smarch"),
        "{joined}"
    );
    assert!(joined.contains("broken.toml"), "{joined}");
    assert!(joined.contains("IMG_9999.JPG"), "{joined}");
    // The rest of the description still applies.
    assert_eq!(
        shown.document("IMG_4711").map(|d| d.title.as_str()),
        Some("Kept")
    );
    let check = folio(&["check", &dir.path().to_string_lossy()]);
    assert!(stdout(&check).contains("Smarch"), "{check:?}");
}

#[test]
fn a_described_document_is_written_out_as_a_document_toml_folder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let corpus_dir = dir.path().join("shoot");
    shoot(&corpus_dir);
    let path = corpus_dir.to_string_lossy().into_owned();
    assert!(
        folio(&[
            "group",
            &path,
            "--id",
            "letter",
            "IMG_4711.JPG",
            "IMG_4712.JPG"
        ])
        .status
        .success()
    );
    let described = folio(&[
        "describe",
        &path,
        "letter",
        "--title",
        "A letter",
        "--date",
        "June 1934",
        "--archive",
        "RGASPI F. 17 Op. 162 D. 20 L. 5",
    ]);
    assert!(described.status.success(), "{described:?}");
    // A translation typed in the window, its first page left empty.
    crate::common::write(
        &corpus_dir,
        ".folio/texts/letter.translation.en.md",
        "<!-- folio text document=\"letter\" kind=\"translation\" language=\"en\" pages=\"2\" -->\n\
         --- page 1 ---\n\n--- page 2 ---\nThe second page.\n",
    );
    let out = dir.path().join("out");
    let written = folio(&[
        "export",
        &path,
        "--format",
        "folder",
        "--out",
        &out.to_string_lossy(),
        "--document",
        "letter",
    ]);
    assert!(written.status.success(), "{written:?}");
    let copy = load(&out);
    assert!(copy.errors.is_empty(), "{:?}", copy.errors);
    let doc = copy
        .document("letter")
        .unwrap_or_else(|| panic!("not written"));
    assert_eq!(doc.title, "A letter");
    assert_eq!(doc.date.text, "June 1934");
    assert_eq!(
        doc.archive.as_ref().and_then(|a| a.fond.clone()).as_deref(),
        Some("17")
    );
    assert_eq!(doc.pages.len(), 2);
    // The user's text goes with it, page beside page.
    let translation = doc
        .layers
        .iter()
        .find(|l| l.kind == folio::model::LayerKind::Translation)
        .unwrap_or_else(|| panic!("the translation was not written: {:?}", doc.layers));
    assert_eq!(translation.page_text(0).map(str::trim), Some(""));
    assert_eq!(
        translation.page_text(1).map(str::trim),
        Some("The second page.")
    );
    assert_eq!(
        std::fs::read(out.join("letter/scan/IMG_4712.JPG")).unwrap_or_default(),
        std::fs::read(corpus_dir.join("IMG_4712.JPG")).unwrap_or_default()
    );
    // Never into the corpus.
    let inside = folio(&[
        "export",
        &path,
        "--format",
        "folder",
        "--out",
        &corpus_dir.join("x").to_string_lossy(),
    ]);
    assert_eq!(inside.status.code(), Some(1));
    assert!(!corpus_dir.join("x").exists());
}
