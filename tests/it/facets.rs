//! Facet counts on the bundled corpus, and the facet index agreeing with
//! the CLI's filters on a synthetic corpus.

use crate::common;

use crate::common::documents;
use folio::corpus::{self, Corpus, LoadOptions};
use folio::index::facets::{FacetIndex, FacetQuery};
use folio::index::filter::Filter;
use folio::model::Ymd;
use folio::tools::synth::{SynthOptions, generate};

fn load(path: &std::path::Path) -> Corpus {
    corpus::load(path, &LoadOptions::default(), &|_| {}).unwrap_or_else(|e| panic!("{e}"))
}

fn ids(corpus: &Corpus, selection: &[u32]) -> Vec<String> {
    let mut ids: Vec<String> = selection
        .iter()
        .map(|&i| corpus.documents[i as usize].id.clone())
        .collect();
    ids.sort();
    ids
}

fn person(index: &FacetIndex, name: &str) -> u32 {
    *index
        .people
        .find(name)
        .first()
        .unwrap_or_else(|| panic!("no person {name}"))
}

fn node(index: &FacetIndex, label: &str, depth: u8) -> u32 {
    let position = index
        .archive_nodes
        .iter()
        .position(|n| n.label == label && n.depth == depth);
    position.map_or_else(|| panic!("no node {label}"), |i| i as u32)
}

#[test]
fn counts_on_the_bundled_corpus() {
    let corpus = load(&documents());
    let index = FacetIndex::build(&corpus);
    let all = index.select(&FacetQuery::default());
    assert_eq!(all.documents.len(), 5);
    assert_eq!(all.years, [(1937, 1), (1945, 1), (1947, 1), (2024, 1)]);
    assert_eq!(all.undated, 1);
    // Authors merge by authority entry: one value with the canonical name.
    let qasimi = person(&index, "Ahmetjan Qasimi");
    assert_eq!(index.people.label(qasimi), "Ahmetjan Qasimi");
    assert_eq!(all.authors[qasimi as usize], 1);
    let garf = node(&index, "GARF", 0);
    let rgaspi = node(&index, "RGASPI", 0);
    assert_eq!(
        (
            all.archive_nodes[garf as usize],
            all.archive_nodes[rgaspi as usize]
        ),
        (1, 2)
    );
    assert_eq!(index.node_path(node(&index, "95", 3)).len(), 4);

    // Picking an author narrows the list and the other facets, not its own.
    let tore = person(&index, "Alihan Tore");
    let by_tore = index.select(&FacetQuery {
        authors: vec![tore],
        ..FacetQuery::default()
    });
    assert_eq!(
        ids(&corpus, &by_tore.documents),
        ["1945-04-22-alihan-tore-to-stalin"]
    );
    assert_eq!(by_tore.authors[qasimi as usize], 1);
    assert_eq!(by_tore.years, [(1945, 1)]);
    assert_eq!(by_tore.archive_nodes[rgaspi as usize], 0);

    // The archive subtree and a date range combine with AND.
    let query = FacetQuery {
        archive: Some(rgaspi),
        from: Ymd::new(1940, 1, 1),
        to: Ymd::new(1950, 12, 31),
        ..FacetQuery::default()
    };
    let selection = index.select(&query);
    assert_eq!(
        ids(&corpus, &selection.documents),
        ["1947-07-12-qasimi-sabri-to-savelyev"]
    );
    // The archive facet is counted under the date filter alone: the 1937
    // RGASPI decision is outside the range, the 1945 GARF letter inside.
    assert_eq!(selection.archive_nodes[rgaspi as usize], 1);
    assert_eq!(selection.archive_nodes[garf as usize], 1);
    // Undated documents can be kept.
    let with_undated = index.select(&FacetQuery {
        include_undated: true,
        ..query
    });
    assert_eq!(
        with_undated.documents.len(),
        1,
        "the undated article is not in RGASPI"
    );
    let zh = index.languages.find("zh");
    let chinese = index.select(&FacetQuery {
        layer_languages: zh,
        ..FacetQuery::default()
    });
    assert_eq!(
        ids(&corpus, &chinese.documents),
        ["2024-etge-75th-anniversary"]
    );
}

#[test]
fn facet_index_agrees_with_filters() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    generate(
        dir.path(),
        &SynthOptions {
            docs: 800,
            seed: 11,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let corpus = load(dir.path());
    let index = FacetIndex::build(&corpus);
    let filtered = |filter: &Filter| {
        let mut ids: Vec<String> = filter
            .apply(&corpus.documents, &corpus.authority)
            .iter()
            .map(|d| d.id.clone())
            .collect();
        ids.sort();
        ids
    };
    for (from, to) in [(1925, 1930), (1945, 1945), (1960, 1989), (1900, 1919)] {
        let filter = Filter {
            from: Ymd::new(from, 1, 1),
            to: Ymd::new(to, 12, 31),
            ..Filter::default()
        };
        let selection = index.select(&FacetQuery {
            from: filter.from,
            to: filter.to,
            ..FacetQuery::default()
        });
        assert_eq!(
            ids(&corpus, &selection.documents),
            filtered(&filter),
            "{from}-{to}"
        );
    }
    for name in ["Joseph Stalin", "Mao Zedong", "Ahmetjan Qasimi"] {
        let mut filter = Filter::default();
        filter.set_author(name);
        let selection = index.select(&FacetQuery {
            authors: vec![person(&index, name)],
            ..FacetQuery::default()
        });
        assert!(!selection.documents.is_empty(), "{name}");
        assert_eq!(
            ids(&corpus, &selection.documents),
            filtered(&filter),
            "{name}"
        );
    }
    for repository in ["GARF", "RGASPI", "AVP RF"] {
        let mut filter = Filter::default();
        filter
            .set_archive(repository)
            .unwrap_or_else(|e| panic!("{e}"));
        let selection = index.select(&FacetQuery {
            archive: Some(node(&index, repository, 0)),
            ..FacetQuery::default()
        });
        assert_eq!(
            ids(&corpus, &selection.documents),
            filtered(&filter),
            "{repository}"
        );
    }
    // Every document has an author, so the author counts add up to at least the total.
    let all = index.select(&FacetQuery::default());
    assert!(all.authors.iter().map(|&c| c as usize).sum::<usize>() >= corpus.documents.len());
    let dated: u32 = all.years.iter().map(|(_, c)| c).sum();
    assert_eq!(dated + all.undated, 800);
}

#[test]
fn narrowing_finds_people_by_any_variant() {
    let corpus = load(&documents());
    let index = FacetIndex::build(&corpus);
    let qasimi = person(&index, "Ahmetjan Qasimi");
    // The facet value shows the canonical name but is found by every variant.
    for typed in ["Касымов", "阿合買提江", "ehmetjan", "QASIM"] {
        assert_eq!(index.people.find(typed), [qasimi], "{typed}");
    }
    assert!(index.people.find("Nobody Here").is_empty());
}

#[test]
fn months_count_dates_known_to_the_month() {
    let corpus = load(&documents());
    let index = FacetIndex::build(&corpus);
    let selection = index.select(&FacetQuery::default());
    // Day-precision letters and the decision; the 2024 press release is
    // known only to the year and stays out of the monthly bars.
    assert_eq!(selection.months, [(1937, 4, 1), (1945, 4, 1), (1947, 7, 1)]);
    assert_eq!(
        selection.years,
        [(1937, 1), (1945, 1), (1947, 1), (2024, 1)]
    );
}

#[test]
fn facet_index_and_orders_survive_their_encoding() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    generate(dir.path(), &SynthOptions { docs: 300, seed: 5 }).unwrap_or_else(|e| panic!("{e}"));
    let corpus = load(dir.path());
    let (index, orders) = folio::index::facets::build_with_orders(&corpus);
    let bytes = folio::index::facets::encode_views(&index, &orders);
    let (decoded, decoded_orders) =
        folio::index::facets::decode_views(&bytes).unwrap_or_else(|| panic!("does not decode"));
    assert_eq!(decoded_orders.date, orders.date);
    assert_eq!(decoded_orders.title, orders.title);
    assert_eq!(decoded_orders.archive, orders.archive);
    let all = index.select(&FacetQuery::default());
    assert_eq!(decoded.select(&FacetQuery::default()), all);
    for author in 0..index.people.len() as u32 {
        let query = FacetQuery {
            authors: vec![author],
            ..FacetQuery::default()
        };
        assert_eq!(decoded.select(&query), index.select(&query));
        assert_eq!(decoded.people.label(author), index.people.label(author));
    }
    for node in 0..index.archive_nodes.len() as u32 {
        let query = FacetQuery {
            archive: Some(node),
            ..FacetQuery::default()
        };
        assert_eq!(decoded.select(&query), index.select(&query));
    }
    assert_eq!(decoded.people.find("Касыми"), index.people.find("Касыми"));
    // Damaged or foreign bytes are refused, never misread.
    assert!(folio::index::facets::decode_views(&bytes[..bytes.len() - 1]).is_none());
    assert!(folio::index::facets::decode_views(b"").is_none());
}

#[test]
fn spans_cover_every_bin_they_may_fall_in_and_stacks_split_by_group() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let doc = |name: &str, date: &str, author: &str, archive: &str| {
        common::write(
            dir.path(),
            &format!("{name}/document.toml"),
            format!(
                "id = \"{name}\"\ntitle = \"{name}\"\ndate = \"{date}\"\n\
                 [[people]]\nname = \"{author}\"\nrole = \"author\"\n\
                 [archive]\nrepository = \"{archive}\"\n"
            ),
        );
    };
    doc("day", "1945-04-22", "Alihan Tore", "GARF");
    doc("year", "1946", "Alihan Tore", "GARF");
    doc("range", "1944/1946", "Stalin", "RGASPI");
    doc("uncertain", "1947-03/1947-05", "Stalin", "RGASPI");
    let corpus = load(dir.path());
    assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
    let index = FacetIndex::build(&corpus);
    let all = index.select(&FacetQuery::default());
    // By year: the 1944–1946 range covers three years; the others are
    // within one year each.
    assert_eq!(all.year_spans, [(1944, 1), (1945, 1), (1946, 1)]);
    // By month: the year 1946 and the range cover their months; the
    // March–May 1947 interval its three.
    let months = |year: i32| -> u32 {
        all.month_spans
            .iter()
            .filter(|(y, _, _)| *y == year)
            .map(|(_, _, n)| n)
            .sum()
    };
    assert_eq!(months(1944), 12);
    assert_eq!(months(1945), 12);
    assert_eq!(months(1946), 24, "the year 1946 and the range");
    assert_eq!(months(1947), 3);
    // Stacks by author: two groups, each with its years.
    let stacks = index.stacks(&all.documents, folio::index::facets::GroupBy::Author, 6);
    assert_eq!(
        stacks.labels,
        ["Alihan Tore", "Stalin", "other or no author"]
    );
    assert_eq!(stacks.years[0], [(1945, 1), (1946, 1)]);
    assert_eq!(stacks.years[1], [(1944, 1), (1947, 1)]);
    assert!(stacks.years[2].is_empty());
    let by_archive = index.stacks(&all.documents, folio::index::facets::GroupBy::Archive, 1);
    assert_eq!(by_archive.labels, ["GARF", "other or no archive"]);
    assert_eq!(by_archive.years[1], [(1944, 1), (1947, 1)]);
}
