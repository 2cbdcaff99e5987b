//! Names the authority file knows: a searched word or phrase that is a name
//! of a person or a place stands for every name of its entry, in any script
//! ("Kuldja" finds and marks Ghulja, Yining, Кульджа and 伊寧 too), as a
//! document's people are found by every variant of their entry.

use crate::authority::{Authority, EntryKind};
use crate::text::fold;

use super::query::{Clause, SearchQuery};

/// The longest run of query words tried as one name ("Ili District",
/// "Eastern Turkestan", "Ahmet Jan Kasimi").
const LONGEST_NAME: usize = 4;

/// `query` with each name of an authority entry (a quoted phrase, a word,
/// or a run of required words) replaced by [`Clause::AnyOf`] its entry's
/// names, the typed form first. Places are looked up before people.
pub fn expand(query: &SearchQuery, authority: &Authority) -> SearchQuery {
    if authority.is_empty() {
        return query.clone();
    }
    SearchQuery {
        required: expand_clauses(&query.required, authority, LONGEST_NAME),
        // Excluded words were not typed next to each other: one at a time.
        excluded: expand_clauses(&query.excluded, authority, 1),
        ..query.clone()
    }
}

fn expand_clauses(clauses: &[Clause], authority: &Authority, longest: usize) -> Vec<Clause> {
    let mut out = Vec::with_capacity(clauses.len());
    let mut i = 0;
    while i < clauses.len() {
        let found = match &clauses[i] {
            Clause::Phrase(text) => names_of(authority, text).map(|names| (1, names)),
            _ => (1..=longest.min(clauses.len() - i)).rev().find_map(|len| {
                let words: Option<Vec<&str>> = clauses[i..i + len]
                    .iter()
                    .map(|clause| match clause {
                        Clause::Word {
                            text,
                            prefix: false,
                        } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect();
                names_of(authority, &words?.join(" ")).map(|names| (len, names))
            }),
        };
        match found {
            Some((len, names)) => {
                out.push(Clause::AnyOf(names));
                i += len;
            }
            None => {
                out.push(clauses[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// Every name of the entry `text` names, `text` first, each once (names
/// in another script stay, though they fold alike: each script's text is
/// analysed, stemmed and marked in its own way).
fn names_of(authority: &Authority, text: &str) -> Option<Vec<String>> {
    let entry = [EntryKind::Place, EntryKind::Person]
        .into_iter()
        .find_map(|kind| authority.lookup(kind, text))?;
    let mut names = vec![text.to_owned()];
    let mut seen = vec![text.to_lowercase()];
    for name in entry.names() {
        let lower = name.to_lowercase();
        if !fold(name).is_empty() && !seen.contains(&lower) {
            seen.push(lower);
            names.push(name.to_owned());
        }
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::search::parse;

    fn authority() -> Authority {
        Authority::parse(
            r#"
[[place]]
id = "ghulja"
name = "Ghulja"
variants = ["Yining", "Kuldja", "Кульджа", "伊寧"]

[[place]]
id = "ili"
name = "Ili"
variants = ["Ili District"]

[[person]]
id = "stalin"
name = "Joseph Stalin"
variants = ["Stalin", "Сталин"]
"#,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn any_of(names: &[&str]) -> Clause {
        Clause::AnyOf(names.iter().map(|n| (*n).to_owned()).collect())
    }

    #[test]
    fn a_name_stands_for_every_name_of_its_entry() {
        let query = |text: &str| expand(&parse(text).unwrap_or_default(), &authority());
        assert_eq!(
            query("kuldja letter").required,
            [
                any_of(&["kuldja", "Ghulja", "Yining", "Кульджа", "伊寧"]),
                Clause::Word {
                    text: "letter".into(),
                    prefix: false
                }
            ]
        );
        // The longest run of words that is a name wins.
        assert_eq!(
            query("Ili District").required,
            [any_of(&["Ili District", "Ili"])]
        );
        assert_eq!(
            query("\"Joseph Stalin\"").required,
            [any_of(&["Joseph Stalin", "Stalin", "Сталин"])]
        );
        assert_eq!(
            query("-Сталин").excluded,
            [any_of(&["Сталин", "Joseph Stalin", "Stalin"])]
        );
        // A prefix is not a name; an unknown word stays.
        assert_eq!(
            query("Kuld* Ghuljas").required,
            parse("Kuld* Ghuljas").unwrap_or_default().required
        );
    }
}
