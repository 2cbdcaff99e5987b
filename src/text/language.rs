//! Language codes as files write them, read as BCP 47 primary subtags:
//! ISO 639-1 as it is (`de`), ISO 639-2 bibliographic and terminological
//! codes and ISO 639-3 (`ger`, `deu`, `chi`, `zho`, `rus`, `uig`) to their
//! two-letter code when there is one (`grc` stays `grc`), and English
//! names (`German`, `Ancient Greek`) likewise, from `isolang`'s ISO 639
//! table. What a file writes stays in the record; this is for comparing
//! (facets, `--lang`, the search analysers) and for naming languages.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use isolang::Language;

/// ISO 639-2's twenty bibliographic codes, to their terminological (and
/// ISO 639-3) form; the list is closed by the standard.
const BIBLIOGRAPHIC: [(&str, &str); 20] = [
    ("alb", "sqi"),
    ("arm", "hye"),
    ("baq", "eus"),
    ("bur", "mya"),
    ("chi", "zho"),
    ("cze", "ces"),
    ("dut", "nld"),
    ("fre", "fra"),
    ("geo", "kat"),
    ("ger", "deu"),
    ("gre", "ell"),
    ("ice", "isl"),
    ("mac", "mkd"),
    ("mao", "mri"),
    ("may", "msa"),
    ("per", "fas"),
    ("rum", "ron"),
    ("slo", "slk"),
    ("tib", "bod"),
    ("wel", "cym"),
];

/// The language a code or English name stands for.
fn lookup(code: &str) -> Option<Language> {
    let lower = code.trim().to_ascii_lowercase();
    match lower.len() {
        0 | 1 => None,
        2 => Language::from_639_1(&lower),
        3 => {
            let terminological = BIBLIOGRAPHIC
                .iter()
                .find(|(b, _)| *b == lower)
                .map_or(lower.as_str(), |(_, t)| t);
            Language::from_639_3(terminological)
        }
        _ if lower.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') => by_name(&lower),
        _ => None,
    }
}

/// A language by its lowercase English name (the table is scanned once
/// per name, then remembered).
fn by_name(lower: &str) -> Option<Language> {
    static NAMES: OnceLock<Mutex<HashMap<String, Option<Language>>>> = OnceLock::new();
    let names = NAMES.get_or_init(Mutex::default);
    if let Ok(known) = names.lock()
        && let Some(found) = known.get(lower)
    {
        return *found;
    }
    let found = Language::from_name_lowercase(lower);
    if let Ok(mut known) = names.lock() {
        known.insert(lower.to_owned(), found);
    }
    found
}

/// The BCP 47 primary subtag of a primary code or English name as files
/// write it (`ger` → `de`, `German` → `de`, `grc` → `grc`); `None` when
/// it is already one (two letters) or no language.
pub fn canonical(code: &str) -> Option<&'static str> {
    if code.len() == 2 {
        return None;
    }
    let language = lookup(code)?;
    Some(language.to_639_1().unwrap_or_else(|| language.to_639_3()))
}

/// A language's English name and code for people: `Ancient Greek (grc)`,
/// `German (de)`; the code alone when the table does not know it.
pub fn label(code: &str) -> String {
    let Some(language) = lookup(code) else {
        return code.to_owned();
    };
    let name = match language.to_639_3() {
        // The name its speakers and historians write today.
        "uig" => "Uyghur",
        _ => language.to_name(),
    };
    // The table qualifies some names: "Modern Greek (1453-)".
    let name = name.split(" (").next().unwrap_or(name);
    format!("{name} ({code})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_as_files_write_them_are_bcp47() {
        for (written, tag) in [
            ("ger", "de"),
            ("deu", "de"),
            ("rus", "ru"),
            ("chi", "zh"),
            ("zho", "zh"),
            ("uig", "ug"),
            ("ara", "ar"),
            ("fre", "fr"),
            ("fra", "fr"),
            ("lat", "la"),
            ("grc", "grc"),
            ("German", "de"),
            ("russian", "ru"),
            ("Ancient Greek", "grc"),
        ] {
            assert_eq!(canonical(written), Some(tag), "{written}");
        }
        assert_eq!(canonical("de"), None);
        assert_eq!(canonical("xx-nonsense"), None);
        assert_eq!(canonical("qqq"), None);
    }

    #[test]
    fn labels_name_the_language_with_its_code() {
        assert_eq!(label("grc"), "Ancient Greek (grc)");
        assert_eq!(label("el"), "Modern Greek (el)");
        assert_eq!(label("ug"), "Uyghur (ug)");
        assert_eq!(label("de"), "German (de)");
        assert_eq!(label("fi"), "Finnish (fi)");
        assert_eq!(label("iai"), "Iaai (iai)");
        assert_eq!(label("q1"), "q1");
    }
}
