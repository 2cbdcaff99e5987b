//! Every character of the bundled corpus and of the samples is drawn by the
//! window's fonts: none falls back to an empty box, and no combining mark
//! is dropped from the letter it sits on (issue 21: "Aufklaͤrung" showed
//! as "Aufklarung").

use std::collections::BTreeMap;
use std::path::Path;

use folio::corpus::{self, LoadOptions};
use folio::ui::fonts;
use serde_json::Value;

use crate::common;

/// Every string in a document as folio shows it (title, names, references,
/// metadata, every layer's text).
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// The clusters of a corpus's texts that the fonts leave out, with the id
/// of a document that has each.
fn undrawn_in(root: &Path, characters: &BTreeMap<char, Vec<String>>) -> (usize, Vec<String>) {
    let corpus = corpus::load(root, &LoadOptions::default(), &|_| {})
        .unwrap_or_else(|e| panic!("load {}: {e}", root.display()));
    let mut chars = 0;
    let mut found: BTreeMap<String, &str> = BTreeMap::new();
    for doc in &corpus.documents {
        let mut texts = Vec::new();
        let value = serde_json::to_value(doc).unwrap_or_else(|e| panic!("{}: {e}", doc.id));
        strings(&value, &mut texts);
        for text in texts {
            chars += text.chars().count();
            for cluster in fonts::undrawn(characters, &text) {
                found.entry(cluster).or_insert(&doc.id);
            }
        }
    }
    let found = found
        .into_iter()
        .map(|(cluster, id)| {
            let codes: Vec<String> = cluster
                .chars()
                .map(|c| format!("U+{:04X}", c as u32))
                .collect();
            format!("{cluster:?} ({}) in {id}", codes.join(" "))
        })
        .collect();
    (chars, found)
}

#[test]
fn every_character_of_the_bundled_corpus_has_a_glyph() {
    let characters = fonts::characters(fonts::definitions());
    let (chars, found) = undrawn_in(&common::documents(), &characters);
    assert!(chars > 10_000, "only {chars} characters read");
    // The files the loader reads as data (the authority file, metadata)
    // are shown too: their raw text as well.
    let mut raw = Vec::new();
    for (path, bytes) in common::files_of(&common::documents()) {
        let text = String::from_utf8(bytes).unwrap_or_default();
        for cluster in fonts::undrawn(&characters, &text) {
            raw.push(format!("{}: {cluster:?}", path.display()));
        }
    }
    assert!(
        found.is_empty() && raw.is_empty(),
        "not drawn:\n{}\n{}",
        found.join("\n"),
        raw.join("\n")
    );
}

#[test]
fn every_character_of_the_samples_has_a_glyph() {
    if common::missing_shared("samples") {
        return;
    }
    let characters = fonts::characters(fonts::definitions());
    let (chars, found) = undrawn_in(&common::samples(), &characters);
    assert!(chars > 10_000, "only {chars} characters read");
    assert!(found.is_empty(), "not drawn:\n{}", found.join("\n"));
}
