//! Facet counts on the bundled corpus, and the facet index agreeing with
//! the CLI's filters on a synthetic corpus.

use crate::common;

use crate::common::documents;
use folio::corpus::{self, Corpus, LoadOptions};
use folio::index::facets::{FacetIndex, Scope, Selection};
use folio::index::filter::{Filter, Who};
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

fn select(index: &FacetIndex, filter: &Filter) -> Selection {
    index.select(filter, &Scope::default())
}

fn who(index: &FacetIndex, id: u32) -> Vec<Who> {
    index.person(id).into_iter().collect()
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
    let all = select(&index, &Filter::default());
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
    let by_tore = select(
        &index,
        &Filter {
            authors: who(&index, tore),
            ..Filter::default()
        },
    );
    assert_eq!(
        ids(&corpus, &by_tore.documents),
        ["1945-04-22-alihan-tore-to-stalin"]
    );
    assert_eq!(by_tore.authors[qasimi as usize], 1);
    assert_eq!(by_tore.years, [(1945, 1)]);
    assert_eq!(by_tore.archive_nodes[rgaspi as usize], 0);

    // The archive subtree and a date range combine with AND.
    let query = Filter {
        archive: Some(index.archive_prefix(rgaspi)),
        from: Ymd::new(1940, 1, 1),
        to: Ymd::new(1950, 12, 31),
        ..Filter::default()
    };
    let selection = select(&index, &query);
    assert_eq!(
        ids(&corpus, &selection.documents),
        ["1947-07-12-qasimi-sabri-to-savelyev"]
    );
    // The archive facet is counted under the date filter alone: the 1937
    // RGASPI decision is outside the range, the 1945 GARF letter inside.
    assert_eq!(selection.archive_nodes[rgaspi as usize], 1);
    assert_eq!(selection.archive_nodes[garf as usize], 1);
    // Undated documents can be kept.
    let with_undated = select(
        &index,
        &Filter {
            include_undated: true,
            ..query
        },
    );
    assert_eq!(
        with_undated.documents.len(),
        1,
        "the undated article is not in RGASPI"
    );
    let chinese = select(
        &index,
        &Filter {
            layer_languages: vec!["zh".into()],
            ..Filter::default()
        },
    );
    assert_eq!(
        ids(&corpus, &chinese.documents),
        ["2024-etge-75th-anniversary"]
    );
}

/// Filters a user can set in the panels, the CLI and the search, alone
/// and combined.
fn filters_of(index: &FacetIndex) -> Vec<Filter> {
    let mut filters = Vec::new();
    for (from, to) in [(1925, 1930), (1945, 1945), (1960, 1989), (1900, 1919)] {
        for include_undated in [false, true] {
            filters.push(Filter {
                from: Ymd::new(from, 1, 1),
                to: Ymd::new(to, 12, 31),
                include_undated,
                ..Filter::default()
            });
        }
    }
    for name in ["Joseph Stalin", "Mao Zedong", "Ahmetjan Qasimi", "stalin"] {
        let mut filter = Filter::default();
        filter.add_author(name);
        filters.push(filter);
    }
    for id in 0..index.people.len().min(30) as u32 {
        filters.push(Filter {
            authors: who(index, id),
            ..Filter::default()
        });
        filters.push(Filter {
            recipients: who(index, id),
            from: Ymd::new(1940, 1, 1),
            ..Filter::default()
        });
    }
    for node in 0..index.archive_nodes.len().min(40) as u32 {
        filters.push(Filter {
            archive: Some(index.archive_prefix(node)),
            ..Filter::default()
        });
    }
    for repository in ["GARF", "RGASPI", "AVP RF", "ГАРФ Ф. Р-9401"] {
        let mut filter = Filter::default();
        filter
            .set_archive(repository)
            .unwrap_or_else(|e| panic!("{e}"));
        filters.push(filter);
    }
    for language in ["ru", "en", "zh", "ug", "de"] {
        for field in 0..3 {
            let mut filter = Filter::default();
            match field {
                0 => filter.add_language(language),
                1 => filter.original_languages.push(language.into()),
                _ => filter.layer_languages.push(language.into()),
            }
            filters.push(filter);
        }
    }
    for id in 0..index.kind_names.len() as u32 {
        let mut filter = Filter::default();
        filter.add_kind(index.kind_names.label(id));
        filters.push(filter);
    }
    // Combinations: each with the next one's conditions added.
    let singles = filters.clone();
    for pair in singles.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        filters.push(Filter {
            authors: [a.authors.clone(), b.authors.clone()].concat(),
            languages: [a.languages.clone(), b.languages.clone()].concat(),
            from: a.from.or(b.from),
            to: a.to.or(b.to),
            archive: a.archive.clone().or_else(|| b.archive.clone()),
            kinds: [a.kinds.clone(), b.kinds.clone()].concat(),
            ..b.clone()
        });
    }
    filters
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
    // The synthetic corpus, and the bundled one (authority entries, names
    // in several scripts, layers in four languages).
    for path in [dir.path().to_owned(), documents()] {
        let corpus = load(&path);
        let index = FacetIndex::build(&corpus);
        let filters = filters_of(&index);
        let mut matched = 0;
        for filter in &filters {
            let mut direct: Vec<String> = filter
                .apply(&corpus.documents, &corpus.authority)
                .iter()
                .map(|d| d.id.clone())
                .collect();
            direct.sort();
            let selection = select(&index, filter);
            assert_eq!(ids(&corpus, &selection.documents), direct, "{filter:?}");
            matched += usize::from(!direct.is_empty());
        }
        assert!(matched > filters.len() / 3, "the filters select something");
    }
    let corpus = load(dir.path());
    let index = FacetIndex::build(&corpus);
    // Every document has an author, so the author counts add up to at least the total.
    let all = select(&index, &Filter::default());
    assert!(all.authors.iter().map(|&c| c as usize).sum::<usize>() >= corpus.documents.len());
    let dated: u32 = all.years.iter().map(|(_, c)| c).sum();
    assert_eq!(dated + all.undated, 800);
}

#[test]
fn a_filter_outlives_a_reload_and_drops_what_is_gone() {
    let corpus = load(&documents());
    let index = FacetIndex::build(&corpus);
    let tore = person(&index, "Alihan Tore");
    let filter = Filter {
        authors: [
            who(&index, tore),
            vec![Who::Person("@nobody".into()), Who::named("stalin")],
        ]
        .concat(),
        original_languages: vec!["ru".into(), "xx".into()],
        kinds: vec!["no such kind".into()],
        ..Filter::default()
    };
    let known = index.known(&filter);
    assert_eq!(
        known.authors,
        [who(&index, tore), vec![Who::named("stalin")]].concat()
    );
    assert_eq!(known.original_languages, ["ru"]);
    assert!(known.kinds.is_empty());
    // A value the corpus does not have selects nothing, as the CLI's filter does.
    let nothing = Filter {
        kinds: vec!["no such kind".into()],
        ..Filter::default()
    };
    assert!(select(&index, &nothing).documents.is_empty());
    assert!(
        nothing
            .apply(&corpus.documents, &corpus.authority)
            .is_empty()
    );
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
    let selection = select(&index, &Filter::default());
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
    let all = select(&index, &Filter::default());
    assert_eq!(select(&decoded, &Filter::default()), all);
    for author in 0..index.people.len() as u32 {
        let query = Filter {
            authors: who(&index, author),
            ..Filter::default()
        };
        assert_eq!(select(&decoded, &query), select(&index, &query));
        assert_eq!(decoded.people.label(author), index.people.label(author));
    }
    for node in 0..index.archive_nodes.len() as u32 {
        let query = Filter {
            archive: Some(index.archive_prefix(node)),
            ..Filter::default()
        };
        assert_eq!(select(&decoded, &query), select(&index, &query));
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
    let all = select(&index, &Filter::default());
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
