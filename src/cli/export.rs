//! `folio export`: the chosen documents as citations, CSV, CSL-JSON or
//! BibTeX, or each as a `document.toml` folder outside the corpus.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{OwnedArg, Selecting, Usage, string};
use crate::corpus::Corpus;

/// `folio export PATH --format F [--out FILE] [--document ID]… [FILTERS]`.
pub fn export(
    parser: &mut lexopt::Parser,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Usage> {
    let mut selecting = Selecting::default();
    let mut format = None;
    let mut file: Option<PathBuf> = None;
    let mut ids: Vec<String> = Vec::new();
    let mut as_folders = false;
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("format") => {
                let name = string(parser.value()?)?;
                if name == "folder" {
                    as_folders = true;
                    continue;
                }
                format = Some(
                    crate::research::export::Format::parse(&name).ok_or_else(|| {
                        Usage(format!(
                            "--format {name:?}: use one of csv, csl-json, bibtex, citation, chicago"
                        ))
                    })?,
                );
            }
            lexopt::Arg::Long("out") => file = Some(PathBuf::from(parser.value()?)),
            lexopt::Arg::Long("document") => ids.push(string(parser.value()?)?),
            other => {
                let other = OwnedArg::from(other);
                selecting.take(parser, other)?;
            }
        }
    }
    if as_folders && file.is_none() {
        return Err(Usage(
            "--format folder needs --out FOLDER (outside the corpus)".into(),
        ));
    }
    let format = match format {
        Some(format) => format,
        None if as_folders => crate::research::export::Format::Csv,
        None => {
            return Err(Usage(
                "export needs --format csv|csl-json|bibtex|citation|chicago|folder".into(),
            ));
        }
    };
    let (corpus, mut chosen) = match selecting.run("export", err)? {
        Ok(found) => found,
        Err(status) => return Ok(status),
    };
    if !ids.is_empty() {
        for id in &ids {
            if corpus.document(id).is_none() {
                let _ = writeln!(err, "folio: no document with id {id:?}");
                return Ok(1);
            }
        }
        chosen.retain(|&i| ids.contains(&corpus.documents[i].id));
    }
    if as_folders {
        let out_dir = file.unwrap_or_default();
        return Ok(export_folders(&corpus, &chosen, &out_dir, err));
    }
    let text = crate::research::export::write(format, chosen.iter().map(|&i| &corpus.documents[i]));
    match file {
        None => {
            let _ = out.write_all(text.as_bytes());
        }
        Some(file) => {
            if let Err(e) = crate::cache::write_atomically(&file, text.as_bytes()) {
                let _ = writeln!(err, "folio: cannot write {}: {e}", file.display());
                return Ok(2);
            }
            let _ = writeln!(
                err,
                "folio: {} documents written to {} ({})",
                chosen.len(),
                file.display(),
                format.name()
            );
        }
    }
    Ok(0)
}

/// `export --format folder`: each chosen document as a `document.toml`
/// folder in `out`.
fn export_folders(corpus: &Corpus, chosen: &[usize], out: &Path, err: &mut dyn Write) -> i32 {
    for &i in chosen {
        let doc = &corpus.documents[i];
        match crate::research::describe::folder::write(&corpus.root, doc, out) {
            Ok((folder, left_out)) => {
                let _ = writeln!(err, "folio: {} written to {}", doc.id, folder.display());
                for page in left_out {
                    let _ = writeln!(err, "folio: {}: {page}", doc.id);
                }
            }
            Err(reason) => {
                let _ = writeln!(err, "folio: {}: {reason}", doc.id);
                return 1;
            }
        }
    }
    0
}
