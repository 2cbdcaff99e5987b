//! Full-text search on the bundled corpus and the raw seeds: every
//! cross-script example of the search issue, phrases, prefixes,
//! exclusions, fielded filters, and the CLI's JSON lines.

use crate::common;

use crate::common::{documents, folio, json_lines, seeds};
use folio::corpus::{self, Corpus, LoadOptions};
use folio::index::search::{SearchIndex, parse};

fn load(path: &std::path::Path) -> Corpus {
    corpus::load(path, &LoadOptions::default(), &|_| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// Ids of the documents matching `query`, sorted.
fn ids(corpus: &Corpus, index: &SearchIndex, query: &str) -> Vec<String> {
    let query = parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    let (matching, _) = index
        .search(corpus, &query, 10)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ids: Vec<String> = matching
        .iter()
        .map(|&i| corpus.documents[i as usize].id.clone())
        .collect();
    ids.sort();
    ids
}

#[test]
fn names_are_found_across_scripts_and_spellings() {
    let corpus = load(&documents());
    let index = SearchIndex::build(&corpus, &|_| true).unwrap_or_else(|e| panic!("{e}"));
    let qasimi = [
        "1947-07-12-qasimi-sabri-to-savelyev",
        "ehmetjan-qasim-encyclopedia",
    ];
    // Qasimi finds Qasim (the encyclopedia's spelling) and Qasimi.
    assert_eq!(ids(&corpus, &index, "Qasimi"), qasimi);
    // The Uyghur spelling, and the Russian one, find the same documents.
    assert_eq!(ids(&corpus, &index, "قاسىمى"), qasimi);
    assert_eq!(ids(&corpus, &index, "Касыми"), qasimi);
    // Kuldja finds Кульджа in the Russian original of seed 000, and every
    // document that names the place as the authority file spells it
    // (Ghulja, Yining, 伊寧): places count like people.
    let ghulja = [
        "1945-04-22-alihan-tore-to-stalin",
        "1947-07-12-qasimi-sabri-to-savelyev",
        "ehmetjan-qasim-encyclopedia",
    ];
    for name in ["Kuldja", "Ghulja", "伊寧", "Кульджа", "\"Ghulja\""] {
        assert_eq!(ids(&corpus, &index, name), ghulja, "{name}");
    }
    // Tore finds ТЮРЯ (and the English Tore); Тюря finds Tore.
    assert!(ids(&corpus, &index, "Тюря").contains(&"1945-04-22-alihan-tore-to-stalin".to_owned()));
    // Stemming: a Russian word in another case.
    assert_eq!(
        ids(&corpus, &index, "Сталина"),
        ids(&corpus, &index, "Сталину")
    );
    // Authority variants count for a person: the Chinese name of Ahmetjan
    // Qasimi finds his letter although the letter never writes it.
    assert!(
        ids(&corpus, &index, "阿合買提江")
            .contains(&"1947-07-12-qasimi-sabri-to-savelyev".to_owned())
    );
}

#[test]
fn every_name_of_a_searched_place_or_person_is_marked() {
    use folio::index::search::{Highlighter, names};
    let corpus = load(&documents());
    let marked = |query: &str, text: &str| -> Vec<String> {
        let query = names::expand(&parse(query).unwrap_or_default(), &corpus.authority);
        let highlighter = Highlighter::new(&query);
        highlighter
            .hits(text)
            .into_iter()
            .map(|r| text[r].to_owned())
            .collect()
    };
    let letter = corpus
        .documents
        .iter()
        .find(|d| d.id == "1945-04-22-alihan-tore-to-stalin")
        .unwrap_or_else(|| panic!("seed 000 is bundled"));
    let text = |language: &str| {
        letter
            .layers
            .iter()
            .find(|l| l.language.as_deref() == Some(language))
            .map(|l| l.text.as_str())
            .unwrap_or_default()
    };
    assert_eq!(marked("Kuldja", text("en")), ["Ghulja", "Yining"]);
    assert_eq!(marked("Kuldja", text("ru")), ["Кульджа"]);
    assert_eq!(marked("Kuldja", "在伊寧。Ili District, and Ili."), ["伊寧"]);
    // A name of several words is marked where its words stand in a row.
    assert_eq!(
        marked(
            "\"Ili District\"",
            "the Ili District and the district of Ili"
        ),
        ["Ili District", "Ili"]
    );
    // A person's names too, in the case the text declines them.
    assert_eq!(
        marked("Stalin", "Письмо Сталину; Stalin"),
        ["Сталину", "Stalin"]
    );
    // Not a name: words as before.
    assert_eq!(
        marked("letter", "A letter, letters."),
        ["letter", "letters"]
    );
}

#[test]
fn phrases_prefixes_exclusions_and_filters() {
    let corpus = load(&documents());
    let index = SearchIndex::build(&corpus, &|_| true).unwrap_or_else(|e| panic!("{e}"));
    let letter = "1945-04-22-alihan-tore-to-stalin".to_owned();
    let only_letter = [letter.clone()];
    assert_eq!(ids(&corpus, &index, "\"Soviet aid\""), only_letter);
    // A phrase keeps its order; the same words without quotes do not.
    assert!(ids(&corpus, &index, "\"aid Soviet\"").is_empty());
    assert!(ids(&corpus, &index, "aid Soviet").contains(&letter));
    assert!(ids(&corpus, &index, "Kuld*").contains(&letter));
    assert!(ids(&corpus, &index, "Stal*").contains(&letter));
    let with = ids(&corpus, &index, "Qasimi");
    let without = ids(&corpus, &index, "Qasimi -Savel'yev");
    assert_eq!(without, ["ehmetjan-qasim-encyclopedia"]);
    assert!(with.len() > without.len());
    // Fielded terms mean what the filters mean.
    assert_eq!(ids(&corpus, &index, "Stalin date:1945..1946"), only_letter);
    assert_eq!(ids(&corpus, &index, "Stalin lang:ru"), only_letter);
    assert_eq!(ids(&corpus, &index, "Stalin archive:GARF"), [letter]);
    assert_eq!(
        ids(&corpus, &index, "author:\"Ahmetjan Qasimi\""),
        ["1947-07-12-qasimi-sabri-to-savelyev"]
    );
    assert!(ids(&corpus, &index, "zzzyzzy").is_empty());
    assert!(ids(&corpus, &index, "Stalin archive:Nowhere").is_empty());
}

#[test]
fn cli_search_prints_json_lines_with_snippets() {
    if common::missing_shared("seeds") {
        return;
    }
    let output = folio(&["search", &seeds().to_string_lossy(), "Kuldja", "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let hits = json_lines(&output);
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit["layer"], "transcription");
    assert_eq!(hit["language"], "ru");
    assert!(
        hit["snippet"]
            .as_str()
            .unwrap_or_default()
            .contains("[Кульджа]")
    );
    assert!(hit["score"].as_f64().unwrap_or(0.0) > 0.0);
    assert!(hit["id"].as_str().is_some());
    // list --query combines with the filters.
    let output = folio(&[
        "list",
        &documents().to_string_lossy(),
        "--query",
        "Qasimi",
        "--from",
        "1947",
        "--json",
    ]);
    let listed = json_lines(&output);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], "1947-07-12-qasimi-sabri-to-savelyev");
    // search's own filter flags narrow the ranked hits.
    let output = folio(&[
        "search",
        &documents().to_string_lossy(),
        "Qasimi",
        "--from",
        "1947",
        "--json",
    ]);
    let hits = json_lines(&output);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["id"], "1947-07-12-qasimi-sabri-to-savelyev");
    // A query that cannot be read is a usage error.
    let output = folio(&["search", &documents().to_string_lossy(), "date:soon"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn cached_index_is_reused_and_updated_when_a_text_changes() {
    use folio::index::search::cache::Origin;
    let corpus_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::write(
        corpus_dir.path(),
        "a.txt",
        "Letter from Kuldja\n\nGreetings from Кульджа to Qasimi.\n",
    );
    common::write(
        corpus_dir.path(),
        "b.txt",
        "Another letter\n\nNothing here.\n",
    );
    let open = |expected: Origin| {
        let corpus = load(corpus_dir.path());
        let (index, origin) = SearchIndex::open_or_build(&corpus, Some(cache.path()), &|_| true)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(origin, expected);
        ids(&corpus, &index, "Qasimi")
    };
    assert_eq!(open(Origin::Built), ["a"]);
    // Reopened unchanged: the index comes from the cache and still answers.
    assert_eq!(open(Origin::Cache), ["a"]);
    // A changed file is indexed again, alone; one index folder stays.
    common::write(
        corpus_dir.path(),
        "b.txt",
        "Another letter\n\nQasimi wrote again.\n",
    );
    assert_eq!(open(Origin::Updated(1)), ["a", "b"]);
    assert_eq!(open(Origin::Cache), ["a", "b"]);
    let kept = std::fs::read_dir(cache.path())
        .map(Iterator::count)
        .unwrap_or_default();
    assert_eq!(kept, 1, "one index per corpus");
    // Nothing was written into the corpus.
    assert_eq!(common::files(corpus_dir.path()).len(), 2);
}

#[test]
fn date_ranges_match_overlapping_intervals_only() {
    let corpus_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rows = [
        ("in-1945", "1945"),
        ("may-1946", "1946-05"),
        ("in-1950", "1950"),
        ("from-1944-on", "1944/.."),
        ("until-1940", "../1940-03"),
        ("undated", ""),
    ];
    let mut csv = String::from("id,title,date\n");
    for (id, date) in rows {
        csv.push_str(&format!("{id},Letter {id},{date}\n"));
        common::write(
            corpus_dir.path(),
            &format!("{id}.en.txt"),
            "Greetings from Kuldja.\n",
        );
    }
    common::write(corpus_dir.path(), "metadata.csv", csv);
    let corpus = load(corpus_dir.path());
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    let index = SearchIndex::build(&corpus, &|_| true).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        ids(&corpus, &index, "Kuldja date:1946..1947"),
        ["from-1944-on", "may-1946"]
    );
    assert_eq!(ids(&corpus, &index, "Kuldja date:1940"), ["until-1940"]);
    assert_eq!(
        ids(&corpus, &index, "date:1945..1945"),
        ["from-1944-on", "in-1945"]
    );
    assert_eq!(ids(&corpus, &index, "Kuldja").len(), 6);
}
