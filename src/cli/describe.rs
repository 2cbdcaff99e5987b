//! `folio group`, `folio ungroup` and `folio describe`: describing a
//! corpus from scripts (a thousand photographs from a spreadsheet). Each
//! writes the descriptions into the corpus's sidecar as the window does;
//! a value folio cannot read exits 1 with the reason and writes nothing.

use std::io::Write;
use std::path::Path;

use super::{Usage, open_base, string};
use crate::corpus::Corpus;
use crate::research::describe::edit::{self, Edit, Field};
use crate::research::describe::{DescribedPerson, Overlay};

/// The corpus as parsed, its descriptions, and the corpus with them.
struct Described {
    overlay: Overlay,
    shown: Corpus,
}

fn open(path: &Path, err: &mut dyn Write) -> Option<Described> {
    let base = open_base(path, err)?;
    let overlay = Overlay::load(path);
    let shown = crate::research::describe::shown(base, &overlay);
    Some(Described { overlay, shown })
}

/// Carries out `edit` and saves every file it touches; exit status.
fn save(mut described: Described, edit: Edit, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let ids: Vec<String> = edit.ids().map(str::to_owned).collect();
    described.overlay.carry_out(edit);
    for id in &ids {
        if let Err(e) = described.overlay.save(id) {
            let _ = writeln!(err, "folio: {e}");
            return 1;
        }
    }
    let _ = writeln!(
        out,
        "{} in {}",
        crate::text::count(ids.len(), "description saved", "descriptions saved"),
        described.overlay.folder().display()
    );
    0
}

/// `folio group PATH --id ID FILE...`
pub fn group(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let mut path = None;
    let mut id = None;
    let mut files = Vec::new();
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("id") => id = Some(string(parser.value()?)?),
            lexopt::Arg::Value(v) if path.is_none() => path = Some(string(v)?),
            lexopt::Arg::Value(v) => files.push(string(v)?),
            other => return Err(other.unexpected().into()),
        }
    }
    let (Some(path), Some(id)) = (path, id) else {
        return Err(Usage(
            "group needs a PATH, --id ID and the FILEs of its pages".into(),
        ));
    };
    if files.is_empty() {
        return Err(Usage(
            "group needs the FILEs of the document's pages, in order".into(),
        ));
    }
    let root = Path::new(&path);
    let Some(described) = open(root, err) else {
        return Ok(2);
    };
    let pages = files.iter().map(|f| edit::page_argument(root, f)).collect();
    match edit::group(&described.overlay, &described.shown, &id, pages) {
        Ok(edit) => Ok(save(described, edit, out, err)),
        Err(reason) => {
            let _ = writeln!(err, "folio: {reason}");
            Ok(1)
        }
    }
}

/// `folio ungroup PATH ID`
pub fn ungroup(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let mut values = Vec::new();
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Value(v) if values.len() < 2 => values.push(string(v)?),
            other => return Err(other.unexpected().into()),
        }
    }
    let [path, id] = values.as_slice() else {
        return Err(Usage("ungroup needs a PATH and a document ID".into()));
    };
    let Some(described) = open(Path::new(path), err) else {
        return Ok(2);
    };
    match edit::ungroup(&described.overlay, id) {
        Ok(edit) => Ok(save(described, edit, out, err)),
        Err(reason) => {
            let _ = writeln!(err, "folio: {reason}");
            Ok(1)
        }
    }
}

/// `folio describe PATH ID [--title T] … | PATH --from-csv FILE`
pub fn describe(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let mut values = Vec::new();
    let mut fields = Vec::new();
    let mut people: Vec<DescribedPerson> = Vec::new();
    let mut csv = None;
    while let Some(arg) = parser.next()? {
        let text = |parser: &mut lexopt::Parser| -> Result<Option<String>, Usage> {
            Ok(Some(string(parser.value()?)?))
        };
        match arg {
            lexopt::Arg::Long("title") => fields.push(Field::Title(text(parser)?)),
            lexopt::Arg::Long("date") => fields.push(Field::Date(text(parser)?)),
            lexopt::Arg::Long("archive") => fields.push(Field::Archive(text(parser)?)),
            lexopt::Arg::Long("kind") => fields.push(Field::Kind(text(parser)?)),
            lexopt::Arg::Long("lang") => fields.push(Field::OriginalLanguage(text(parser)?)),
            lexopt::Arg::Long("summary") => fields.push(Field::Summary(text(parser)?)),
            lexopt::Arg::Long("source-url") => fields.push(Field::SourceUrl(text(parser)?)),
            lexopt::Arg::Long(
                role @ ("author" | "recipient" | "signatory" | "mentioned" | "translator"),
            ) => {
                let role = role.to_owned();
                people.push(DescribedPerson {
                    name: string(parser.value()?)?,
                    role,
                });
            }
            lexopt::Arg::Long("from-csv") => csv = Some(string(parser.value()?)?),
            lexopt::Arg::Value(v) if values.len() < 2 => values.push(string(v)?),
            other => return Err(other.unexpected().into()),
        }
    }
    let Some(path) = values.first() else {
        return Err(Usage("describe needs a PATH".into()));
    };
    let root = Path::new(path);
    match (values.get(1), csv) {
        (None, Some(csv)) => Ok(from_csv(root, Path::new(&csv), out, err)),
        (Some(id), None) => {
            if fields.is_empty() && people.is_empty() {
                return Err(Usage(
                    "describe needs at least one field (--title, --date, --author, …)".into(),
                ));
            }
            Ok(one(root, id, fields, people, out, err))
        }
        _ => Err(Usage(
            "describe needs a PATH and either a document ID with fields or --from-csv FILE".into(),
        )),
    }
}

/// `describe PATH ID --…`: the named people replace those of their roles.
fn one(
    root: &Path,
    id: &str,
    mut fields: Vec<Field>,
    people: Vec<DescribedPerson>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let Some(described) = open(root, err) else {
        return 2;
    };
    let Some(doc) = described.shown.document(id) else {
        let _ = writeln!(
            err,
            "folio: no document with id {id:?} in {} (see `folio list`)",
            root.display()
        );
        return 1;
    };
    if !people.is_empty() {
        let roles: Vec<&str> = people.iter().map(|p| p.role.as_str()).collect();
        let mut all: Vec<DescribedPerson> = doc
            .people
            .iter()
            .filter(|p| !p.from_text && !roles.contains(&p.role.as_str()))
            .map(|p| DescribedPerson {
                name: p.name.clone(),
                role: p.role.as_str().to_owned(),
            })
            .collect();
        all.extend(people);
        fields.push(Field::People(Some(all)));
    }
    match edit::set_fields(&described.overlay, &[id.to_owned()], &fields) {
        Ok(edit) => save(described, edit, out, err),
        Err(reason) => {
            let _ = writeln!(err, "folio: {id}: {reason}; nothing was saved");
            1
        }
    }
}

/// `describe PATH --from-csv FILE`.
fn from_csv(root: &Path, csv: &Path, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some(described) = open(root, err) else {
        return 2;
    };
    let descriptions = crate::research::describe::table::from_csv(
        csv,
        &|id| described.overlay.get(id).cloned(),
        &|id| described.shown.document(id).is_some(),
    );
    match descriptions {
        Ok(descriptions) => {
            let edit = Edit {
                changes: descriptions
                    .into_iter()
                    .map(|d| (d.id.clone(), Some(d)))
                    .collect(),
            };
            save(described, edit, out, err)
        }
        Err(problems) => {
            for problem in problems {
                let _ = writeln!(err, "folio: {problem}");
            }
            let _ = writeln!(err, "folio: nothing was saved");
            1
        }
    }
}
