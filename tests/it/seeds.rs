//! The raw seed clips and the bundled corpus through the CLI contract.

use crate::common;

use crate::common::{documents, folio, json_lines, seeds, stdout};
use serde_json::Value;

fn by_id<'a>(docs: &'a [Value], prefix: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["id"].as_str().is_some_and(|id| id.starts_with(prefix)))
        .unwrap_or_else(|| panic!("no document {prefix}"))
}

fn people(doc: &Value, role: &str) -> Vec<String> {
    doc["people"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["role"] == role)
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect()
}

fn layers(doc: &Value) -> Vec<(String, String, String)> {
    doc["languages"]["layers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            let s = |k: &str| l[k].as_str().unwrap_or("-").to_owned();
            (s("kind"), s("language"), s("translated_from"))
        })
        .collect()
}

fn layer(kind: &str, lang: &str, from: &str) -> (String, String, String) {
    (kind.to_owned(), lang.to_owned(), from.to_owned())
}

#[test]
fn raw_seeds_list_with_right_metadata() {
    if common::missing_shared("seeds") {
        return;
    }
    let output = folio(&["list", "--json", &seeds().to_string_lossy()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let docs = json_lines(&output);
    assert_eq!(docs.len(), 5);
    // Date order, undated last.
    let ids: Vec<&str> = docs.iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "003_1aab0165043f4df4",
            "000_ebff10270afb2c1f",
            "001_13845040fded6ea0",
            "002_50d1751eb535ce73",
            "004_dbefd658d5761da4"
        ]
    );

    let d000 = by_id(&docs, "000");
    assert_eq!(
        d000["title"],
        "Letter from Alihan Tore to Commander-in-Chief Marshal Stalin"
    );
    assert_eq!(d000["date"]["start"], "1945-04-22");
    assert_eq!(d000["date"]["precision"], "day");
    assert_eq!(d000["date"]["text"], "April 22, 1945");
    assert_eq!(people(d000, "author"), ["Alihan Tore"]);
    assert_eq!(people(d000, "recipient"), ["Stalin"]);
    assert_eq!(people(d000, "translator"), ["Gary Goldberg"]);
    assert_eq!(d000["archive"]["repository"], "GARF");
    assert_eq!(d000["archive"]["fond"], "R-9401ss");
    assert_eq!(d000["archive"]["opis"], "2");
    assert_eq!(d000["archive"]["delo"], "95");
    assert_eq!(d000["archive"]["folios"], "352-359");
    assert_eq!(
        d000["archive"]["raw"],
        "GARF, Fond R-9401ss, Opis' 2, Delo 95, ll. 352-359"
    );
    assert_eq!(d000["languages"]["original"], "ru");
    assert_eq!(
        layers(d000),
        [
            layer("transcription", "ru", "-"),
            layer("translation", "en", "ru"),
            layer("summary", "en", "-")
        ]
    );
    assert_eq!(
        d000["source_url"],
        "https://wilson-center-digital-archive.dvincitest.com/document/121726"
    );
    assert_eq!(d000["source"], "000_ebff10270afb2c1f.txt");
    assert_eq!(d000["kind"], "letter");

    let d001 = by_id(&docs, "001");
    assert_eq!(d001["date"]["start"], "1947-07-12");
    assert_eq!(
        people(d001, "author"),
        ["Ahmetjan Qasimi", "Rahim Jan Sabri"]
    );
    assert_eq!(people(d001, "recipient"), ["Savel'yev"]);
    assert_eq!(d001["archive"]["repository"], "RGASPI");
    assert_eq!(d001["archive"]["fond"], "17");
    assert_eq!(d001["archive"]["opis"], "128");
    assert_eq!(d001["archive"]["delo"], "391");
    assert_eq!(d001["archive"]["folios"], "115-119");
    assert_eq!(d001["languages"]["original"], "ug");
    assert_eq!(
        layers(d001),
        [
            layer("translation", "en", "ug"),
            layer("summary", "en", "-")
        ]
    );

    let d002 = by_id(&docs, "002");
    assert_eq!(d002["date"]["start"], "2024-01-01");
    assert_eq!(d002["date"]["precision"], "year");
    assert_eq!(d002["date"]["inferred"], true);
    assert_eq!(d002["kind"], "press release");
    assert_eq!(
        layers(d002),
        [
            layer("transcription", "en", "-"),
            layer("translation", "zh-Hant", "en")
        ]
    );
    assert_eq!(d002["archive"], Value::Null);

    let d003 = by_id(&docs, "003");
    assert_eq!(d003["title"], "Concerning a Peace Settlement in Kashgar");
    assert_eq!(d003["date"]["start"], "1937-04-04");
    assert_eq!(d003["archive"]["repository"], "RGASPI");
    assert_eq!(d003["archive"]["opis"], "162");
    assert_eq!(d003["archive"]["delo"], "20");
    assert_eq!(d003["archive"]["folios"], "99");
    assert_eq!(layers(d003)[0], layer("translation", "en", "ru"));

    let d004 = by_id(&docs, "004");
    assert_eq!(d004["title"], "Ehmetjan Qasim");
    assert_eq!(d004["date"]["precision"], "unknown");
    assert_eq!(d004["date"]["start"], Value::Null);
    assert_eq!(d004["kind"], "encyclopedia article");
    assert_eq!(layers(d004), [layer("transcription", "en", "-")]);
}

#[test]
fn bundled_corpus_checks_clean() {
    let output = folio(&["check", "--json", &documents().to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap_or_default();
    assert_eq!(report["documents"], 5);
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        report["warnings"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
}

#[test]
fn bundled_corpus_is_curated() {
    let docs = json_lines(&folio(&["list", "--json", &documents().to_string_lossy()]));
    assert_eq!(docs.len(), 5);
    let letter = by_id(&docs, "1945-04-22");
    assert_eq!(people(letter, "signatory"), ["Alihan Tore"]);
    assert!(
        letter["people"][0]["aliases"]
            .as_array()
            .is_some_and(|a| a.iter().any(|v| v == "Shakirjan"))
    );
    assert_eq!(letter["people"][0]["authority"], "alihan-tore");
    let release = by_id(&docs, "2024");
    assert_eq!(release["date"]["inferred"], true);
    assert_eq!(
        people(release, "author"),
        ["East Turkistan Government in Exile"]
    );
    let politburo = by_id(&docs, "1937");
    assert_eq!(politburo["kind"], "decision");
    assert_eq!(
        layers(politburo),
        [
            layer("translation", "en", "ru"),
            layer("summary", "en", "-")
        ]
    );
}

#[test]
fn filters_compare_intervals_and_names() {
    let path = documents().to_string_lossy().into_owned();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list", "--json", path.as_str()];
        all.extend_from_slice(args);
        json_lines(&folio(&all))
            .iter()
            .filter_map(|d| d["id"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        ids(&["--from", "1945-04-22", "--to", "1945-04-22"]),
        ["1945-04-22-alihan-tore-to-stalin"]
    );
    assert_eq!(
        ids(&["--from", "1945", "--to", "1947"]),
        [
            "1945-04-22-alihan-tore-to-stalin",
            "1947-07-12-qasimi-sabri-to-savelyev"
        ]
    );
    // A year-precision date overlaps a day range inside its year.
    assert_eq!(
        ids(&["--from", "2024-06-01", "--to", "2024-06-02"]),
        ["2024-etge-75th-anniversary"]
    );
    assert_eq!(
        ids(&["--to", "1940", "--undated"]),
        [
            "1937-04-04-politburo-kashgar",
            "ehmetjan-qasim-encyclopedia"
        ]
    );
    // Name variants through the authority file, in any script.
    assert_eq!(
        ids(&["--author", "Ehmetjan Qasim"]),
        ["1947-07-12-qasimi-sabri-to-savelyev"]
    );
    assert_eq!(
        ids(&["--author", "АЛИХАН ТЮРЯ"]),
        ["1945-04-22-alihan-tore-to-stalin"]
    );
    assert_eq!(
        ids(&["--archive", "GARF/R-9401ss"]),
        ["1945-04-22-alihan-tore-to-stalin"]
    );
    assert_eq!(
        ids(&["--archive", "ГАРФ"]),
        ["1945-04-22-alihan-tore-to-stalin"]
    );
    assert_eq!(
        ids(&["--archive", "RGASPI/17/162"]),
        ["1937-04-04-politburo-kashgar"]
    );
    assert_eq!(ids(&["--archive", "RGASPI F. 17"]).len(), 2);
    assert_eq!(ids(&["--lang", "zh"]), ["2024-etge-75th-anniversary"]);
    assert_eq!(
        ids(&["--lang", "ug"]),
        ["1947-07-12-qasimi-sabri-to-savelyev"]
    );
    assert_eq!(
        ids(&["--lang", "en", "--from", "1947", "--archive", "RGASPI"]),
        ["1947-07-12-qasimi-sabri-to-savelyev"]
    );
}

#[test]
fn show_prints_layers() {
    let path = documents().to_string_lossy().into_owned();
    let output = folio(&["show", &path, "1945-04-22-alihan-tore-to-stalin"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("Маршалу С Т А Л И Н У"));
    assert!(text.contains("I send ardent greetings"));
    assert!(text.contains("translation [en] from ru by Gary Goldberg"));
    let json: Value = serde_json::from_str(&stdout(&folio(&[
        "show",
        "--json",
        &path,
        "2024-etge-75th-anniversary",
    ])))
    .unwrap_or_default();
    assert!(
        json["layers"][1]["text"]
            .as_str()
            .is_some_and(|t| t.contains("東突厥斯坦流亡政府"))
    );
    assert_eq!(folio(&["show", &path, "no-such-id"]).status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(folio(&["check"]).status.code(), Some(2));
    assert_eq!(folio(&["check", "/no/such/folder"]).status.code(), Some(2));
    assert_eq!(folio(&["list", "--bogus", "x"]).status.code(), Some(2));
    assert_eq!(
        folio(&["list", &documents().to_string_lossy(), "--from", "someday"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(folio(&["show", "only-one-arg"]).status.code(), Some(2));
    assert_eq!(folio(&["frobnicate", "x"]).status.code(), Some(2));
    let help = folio(&["--help"]);
    assert!(help.status.success() && stdout(&help).contains("folio check PATH"));
}

#[test]
fn help_and_version_follow_the_conventions() {
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let version = folio(&["--version"]);
    assert!(version.status.success());
    assert_eq!(
        stdout(&version),
        format!("folio {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(stdout(&folio(&["-V"])), stdout(&version));
    // One command's help, two ways, on standard output.
    let ocr = folio(&["help", "ocr"]);
    assert!(ocr.status.success());
    assert!(
        stdout(&ocr).starts_with("USAGE:\n    folio ocr PATH"),
        "{}",
        stdout(&ocr)
    );
    assert!(!stdout(&ocr).contains("folio check"));
    for args in [
        &["ocr", "--help"][..],
        &["ocr", "-h"],
        &["ocr", "somewhere", "--help"],
    ] {
        let again = folio(args);
        assert!(again.status.success(), "{args:?}");
        assert_eq!(stdout(&again), stdout(&ocr), "{args:?}");
    }
    // A flag a command does not take: its usage on standard error, exit 2.
    let wrong = folio(&["list", "--bogus", "x"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stdout(&wrong).is_empty());
    let message = stderr(&wrong);
    assert!(
        message.starts_with("folio: invalid option '--bogus'"),
        "{message}"
    );
    assert!(
        message.contains("folio list PATH") && message.contains("FILTERS:"),
        "{message}"
    );
    let wrong = folio(&["--bogus"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("folio [PATH]"));
    assert_eq!(folio(&["help", "nonsense"]).status.code(), Some(2));
}

#[test]
fn bench_reports_on_the_bundled_corpus() {
    let output = folio(&["bench", &documents().to_string_lossy(), "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = &json_lines(&output)[0];
    assert_eq!(report["documents"], 5);
    assert!(report["recount"]["runs"].as_u64().unwrap_or(0) > 10);
    assert!(report["recount"]["p95_ms"].as_f64().is_some());
    // A missing folder is an error, not a report.
    let output = folio(&["bench", "/no/such/folio/folder"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn window_arguments_are_read() {
    use folio::cli::{Invocation, run};
    let mut out = Vec::new();
    let mut err = Vec::new();
    let args = |list: &[&str]| list.iter().map(std::ffi::OsString::from).collect();
    assert_eq!(
        run(args(&["documents", "--document", "x"]), &mut out, &mut err),
        Invocation::Gui {
            path: Some("documents".into()),
            document: Some("x".into())
        }
    );
    assert_eq!(
        run(args(&[]), &mut out, &mut err),
        Invocation::Gui {
            path: None,
            document: None
        }
    );
    assert_eq!(
        run(args(&["one", "two"]), &mut out, &mut err),
        Invocation::Exit(2)
    );
}
