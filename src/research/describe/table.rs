//! Describing many documents from a spreadsheet: a CSV file with the
//! columns of `metadata.csv` (`id`, `title`, `date`, `author`, …), one
//! description per row. Every row is checked before anything is written.

use std::path::Path;

use super::{DescribedPerson, Description};
use crate::corpus::formats::loose::{MetadataRow, read_metadata};

/// The descriptions the rows of `path` give, merged into `existing` (the
/// documents' descriptions so far), or every reason a row cannot be
/// read: a row that names no document of `ids`, a date, reference or
/// language folio cannot read.
pub fn from_csv(
    path: &Path,
    existing: &dyn Fn(&str) -> Option<Description>,
    is_document: &dyn Fn(&str) -> bool,
) -> Result<Vec<Description>, Vec<String>> {
    let shown = path.display().to_string();
    let (rows, errors) = read_metadata(path, Path::new(&shown));
    let mut problems: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let mut rows: Vec<&MetadataRow> = rows.values().collect();
    rows.sort_by_key(|row| row.line);
    let mut descriptions = Vec::new();
    for row in rows {
        let id = row.get("id").unwrap_or_default().to_owned();
        let at = |reason: String| format!("{shown} line {}: {reason}", row.line);
        if !is_document(&id) {
            problems.push(at(format!("{id:?} is not a document of the corpus")));
            continue;
        }
        let mut description = existing(&id).unwrap_or_else(|| Description::new(id.clone()));
        fill(&mut description, row);
        problems.extend(super::apply::check(&description).into_iter().map(at));
        descriptions.push(description);
    }
    if problems.is_empty() {
        Ok(descriptions)
    } else {
        Err(problems)
    }
}

/// Sets the fields a row gives (empty cells leave the field as it was).
fn fill(description: &mut Description, row: &MetadataRow) {
    let text = |column: &str| row.get(column).map(str::to_owned);
    description.title = text("title").or(description.title.take());
    description.date = text("date").or(description.date.take());
    description.archive = text("archive").or(description.archive.take());
    description.original_language = text("language").or(description.original_language.take());
    description.kind = text("kind").or(description.kind.take());
    description.summary = text("summary").or(description.summary.take());
    description.source_url = text("source_url").or(description.source_url.take());
    description.citation = text("citation").or(description.citation.take());
    if let Some(tags) = row.get("tags") {
        description.tags = Some(split(tags).map(str::to_owned).collect());
    }
    let mut people = Vec::new();
    for role in [
        "author",
        "recipient",
        "signatory",
        "mentioned",
        "translator",
    ] {
        if let Some(names) = row.get(role) {
            people.extend(split(names).map(|name| DescribedPerson {
                name: name.to_owned(),
                role: role.to_owned(),
            }));
        }
    }
    if !people.is_empty() {
        description.people = Some(people);
    }
}

fn split(value: &str) -> impl Iterator<Item = &str> {
    value.split(';').map(str::trim).filter(|s| !s.is_empty())
}
