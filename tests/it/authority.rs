//! The authority file on the bundled corpus: every variant resolves to its
//! one entry, the names no entry knows are listed, and merging a name or
//! making a new entry is saved with a backup and can be undone.

use crate::common;

use std::path::Path;

use folio::authority::EntryKind;
use folio::corpus::{self, Corpus, LoadOptions};
use folio::model::Role;
use folio::research::reconcile;

fn load(path: &Path) -> Corpus {
    corpus::load(path, &LoadOptions::default(), &|_| {})
        .unwrap_or_else(|e| panic!("load {}: {e}", path.display()))
}

#[test]
fn every_listed_variant_resolves_to_its_one_person() {
    let corpus = load(&common::documents());
    assert!(!corpus.authority.people.is_empty());
    for entry in corpus
        .authority
        .people
        .iter()
        .chain(&corpus.authority.places)
    {
        for name in entry.names() {
            let found = corpus
                .authority
                .person(name)
                .or_else(|| corpus.authority.place(name))
                .map(|e| e.id.as_str());
            assert_eq!(found, Some(entry.id.as_str()), "{name:?}");
        }
    }
    // In the documents: the three spellings of the issue are one person.
    for written in ["Ahmetjan Qasimi", "Ehmetjan Qasim", "阿合買提江·哈斯木"] {
        assert_eq!(
            corpus.authority.person(written).map(|e| e.id.as_str()),
            Some("ahmetjan-qasimi"),
            "{written}"
        );
    }
    let linked: Vec<&str> = corpus
        .documents
        .iter()
        .flat_map(|d| &d.people)
        .filter(|p| p.authority.as_deref() == Some("ahmetjan-qasimi"))
        .map(|p| p.name.as_str())
        .collect();
    assert!(linked.len() >= 2, "{linked:?}");
    // Bracketed variants are aliases: `Filippov [Stalin]`.
    let person = folio::model::Person::from_written("Filippov [Stalin]", Role::Recipient);
    assert_eq!(person.name, "Filippov");
    assert_eq!(person.aliases, ["Stalin"]);
}

#[test]
fn names_to_reconcile_merge_create_and_undo() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("documents");
    common::copy_tree(&common::documents(), &root);
    let corpus = load(&root);
    let unmatched = reconcile::unmatched(&corpus);
    let popova = unmatched
        .iter()
        .find(|u| u.name == "V. Popova")
        .unwrap_or_else(|| panic!("V. Popova should need reconciling: {unmatched:#?}"));
    assert_eq!(popova.kind, EntryKind::Person);
    assert_eq!(popova.roles, [Role::Mentioned]);
    assert!(
        unmatched
            .iter()
            .all(|u| u.kind == EntryKind::Place || corpus.authority.person(&u.name).is_none())
    );
    // Translators are credits, not people to reconcile.
    assert!(!unmatched.iter().any(|u| u.name == "Gary Goldberg"));

    let path = reconcile::authority_path(&root);
    let original = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));

    // Merge a name into an entry: saved, backed up, linked on reload.
    let merged = reconcile::merge(&original, EntryKind::Person, "savelyev", "V. Popova")
        .unwrap_or_else(|e| panic!("{e}"));
    let backup = reconcile::save(&root, &merged)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no backup made"));
    assert_eq!(
        std::fs::read_to_string(&backup).ok().as_deref(),
        Some(original.as_str())
    );
    assert!(backup.starts_with(root.join(".folio")));
    let reloaded = load(&root);
    assert!(
        !reconcile::unmatched(&reloaded)
            .iter()
            .any(|u| u.name == "V. Popova")
    );
    assert!(reloaded.errors.is_empty(), "{:?}", reloaded.errors);

    // Undo: the previous text goes back, byte for byte.
    reconcile::save(&root, &original).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        std::fs::read_to_string(&path).ok().as_deref(),
        Some(original.as_str())
    );
    let undone = load(&root);
    assert!(
        reconcile::unmatched(&undone)
            .iter()
            .any(|u| u.name == "V. Popova")
    );

    // A new entry for a place no entry knows.
    let place = reconcile::unmatched(&undone)
        .into_iter()
        .find(|u| u.kind == EntryKind::Place)
        .unwrap_or_else(|| panic!("some place should need reconciling"));
    let (created, id) = reconcile::create(&original, EntryKind::Place, &place.name)
        .unwrap_or_else(|e| panic!("{e}"));
    reconcile::save(&root, &created).unwrap_or_else(|e| panic!("{e}"));
    let with_place = load(&root);
    assert_eq!(
        with_place
            .authority
            .place(&place.name)
            .map(|e| e.id.clone()),
        Some(id)
    );
    assert!(
        !reconcile::unmatched(&with_place)
            .iter()
            .any(|u| u.kind == EntryKind::Place && u.name == place.name)
    );
    // The user's comments survive every edit.
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        text.starts_with("# People and places of the bundled corpus"),
        "{text}"
    );
}

#[test]
fn bracketed_names_in_texts_are_mentions_and_variants_to_reconcile() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("corpus");
    common::write(
        &root,
        "authority.toml",
        "[[person]]\nid = \"stalin\"\nname = \"Joseph Stalin\"\nvariants = [\"Stalin\"]\n\n\
         [[place]]\nid = \"yarkant\"\nname = \"Yarkant\"\n",
    );
    common::write(
        &root,
        "cable/document.toml",
        "title = \"A cable to Moscow\"\ndate = \"1945-05-02\"\n\n\
         [[people]]\nname = \"Vyacheslav Molotov\"\nrole = \"author\"\n",
    );
    common::write(
        &root,
        "cable/translation.en.md",
        "To Comrade Filippov [Stalin]. The troops left Yarkant [Shache] for the badgering \
         [travlya] of Kashgar [Kashi]; Filippov [Stalin] was told.\n",
    );
    let snapshot = dir.path().join("snapshot");
    let open = || common::open_and_save(&root, &snapshot).0;
    // Parsed, then again from the snapshot: one mention each time.
    for corpus in [open(), open()] {
        let doc = &corpus.documents[0];
        assert_eq!(
            doc.named_in_text,
            ["Filippov [Stalin]", "Yarkant [Shache]", "Kashgar [Kashi]"]
        );
        let mentions: Vec<_> = doc.people.iter().filter(|p| p.from_text).collect();
        assert_eq!(mentions.len(), 1, "{:#?}", doc.people);
        assert_eq!(mentions[0].name, "Filippov");
        assert_eq!(mentions[0].role, Role::Mentioned);
        assert_eq!(mentions[0].authority.as_deref(), Some("stalin"));
        // The person page lists the cable as mentioning Stalin.
        let page = folio::ui::people::PersonPage::find(&corpus, "Joseph Stalin");
        assert_eq!(page.documents, [(0, vec![Role::Mentioned])]);
        // The names beside known ones are offered as their variants.
        let unmatched = reconcile::unmatched(&corpus);
        for (name, kind, entry) in [
            ("Filippov", EntryKind::Person, "stalin"),
            ("Shache", EntryKind::Place, "yarkant"),
        ] {
            let listed = unmatched
                .iter()
                .find(|u| u.name == name)
                .unwrap_or_else(|| panic!("{name}: {unmatched:#?}"));
            assert_eq!(listed.kind, kind);
            assert_eq!(listed.suggestions.first().map(String::as_str), Some(entry));
        }
        // Neither side known: no guess at what Kashgar is.
        assert!(
            !unmatched
                .iter()
                .any(|u| u.name == "Kashi" || u.name == "Kashgar")
        );
    }
    // Merged, Filippov is a variant: no longer to reconcile, still a mention.
    let text = std::fs::read_to_string(root.join("authority.toml")).unwrap_or_default();
    let merged = reconcile::merge(&text, EntryKind::Person, "stalin", "Filippov")
        .unwrap_or_else(|e| panic!("{e}"));
    reconcile::save(&root, &merged).unwrap_or_else(|e| panic!("{e}"));
    let corpus = open();
    assert!(
        !reconcile::unmatched(&corpus)
            .iter()
            .any(|u| u.name == "Filippov")
    );
    assert_eq!(
        corpus.documents[0]
            .people
            .iter()
            .filter(|p| p.from_text)
            .count(),
        1
    );
}
