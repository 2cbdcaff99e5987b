//! Citations and exports of documents: the archive's own citation style,
//! Chicago notes, CSV, CSL-JSON (what Zotero, Mendeley and pandoc import)
//! and BibTeX. Pure functions of the model, used by `folio export` and by
//! the window's Copy and Export commands.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::model::{Document, FuzzyDate, LayerKind, Precision, Role, Ymd};

/// What `folio export --format` and the window's Export menu write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    CslJson,
    Bibtex,
    /// One archive-style citation per line.
    Citation,
    /// One Chicago note per line.
    Chicago,
}

impl Format {
    pub const ALL: [Self; 5] = [
        Self::Csv,
        Self::CslJson,
        Self::Bibtex,
        Self::Citation,
        Self::Chicago,
    ];

    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "csl-json" | "csljson" | "csl" | "json" => Some(Self::CslJson),
            "bibtex" | "bib" => Some(Self::Bibtex),
            "citation" | "citations" | "archive" => Some(Self::Citation),
            "chicago" => Some(Self::Chicago),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::CslJson => "csl-json",
            Self::Bibtex => "bibtex",
            Self::Citation => "citation",
            Self::Chicago => "chicago",
        }
    }

    /// A label for menus.
    pub fn label(self) -> &'static str {
        match self {
            Self::Csv => "CSV (spreadsheet)",
            Self::CslJson => "CSL-JSON (Zotero, pandoc)",
            Self::Bibtex => "BibTeX",
            Self::Citation => "Citations, archive style",
            Self::Chicago => "Citations, Chicago notes",
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::CslJson => "json",
            Self::Bibtex => "bib",
            Self::Citation | Self::Chicago => "txt",
        }
    }
}

/// `documents` written in `format`.
pub fn write<'a>(format: Format, documents: impl IntoIterator<Item = &'a Document>) -> String {
    let documents: Vec<&Document> = documents.into_iter().collect();
    match format {
        Format::Csv => csv(&documents),
        Format::CslJson => csl_json(&documents),
        Format::Bibtex => bibtex(&documents),
        Format::Citation => lines(&documents, archive_citation),
        Format::Chicago => lines(&documents, chicago_note),
    }
}

/// One citation per line (each citation squashes the line breaks a title
/// or a reference carries).
fn lines(documents: &[&Document], cite: fn(&Document) -> String) -> String {
    let mut out = String::new();
    for doc in documents {
        out.push_str(&cite(doc));
        out.push('\n');
    }
    out
}

fn month_name(month: u8) -> &'static str {
    crate::model::MONTH_NAMES
        .get(usize::from(month.max(1)) - 1)
        .copied()
        .unwrap_or("")
}

/// A date in English as citations write it: "April 22, 1945", "April
/// 1945", "1945", "1940s", "April 1945–June 1947"; "ca." for approximate
/// dates, "?" for uncertain ones, square brackets for inferred ones, and
/// "n.d." when nothing is known.
pub fn english_date(date: &FuzzyDate) -> String {
    let words = match (date.start, date.end) {
        (None, None) => return "n.d.".to_owned(),
        (Some(start), Some(end)) => span_words(start, end, date.precision),
        (Some(start), None) => format!("after {}", point_words(start, Precision::Day)),
        (None, Some(end)) => format!("before {}", point_words(end, Precision::Day)),
    };
    let mut words = if date.approximate {
        format!("ca. {words}")
    } else {
        words
    };
    if date.uncertain {
        words.push('?');
    }
    if date.inferred {
        words = format!("[{words}]");
    }
    words
}

fn point_words(day: Ymd, precision: Precision) -> String {
    match precision {
        Precision::Year => day.year.to_string(),
        Precision::Month | Precision::Season => {
            format!("{} {}", month_name(day.month), day.year)
        }
        _ => format!("{} {}, {}", month_name(day.month), day.day, day.year),
    }
}

fn span_words(start: Ymd, end: Ymd, precision: Precision) -> String {
    let whole_years = start.month == 1 && start.day == 1 && end.month == 12 && end.day == 31;
    let whole_months = start.day == 1 && end == Ymd::last_of_month(end.year, end.month);
    match precision {
        Precision::Day => point_words(start, Precision::Day),
        Precision::Month => point_words(start, Precision::Month),
        Precision::Year => start.year.to_string(),
        Precision::Decade => format!("{}s", start.year),
        Precision::Century => format!("{}s", start.year),
        _ if start == end => point_words(start, Precision::Day),
        _ if whole_years && start.year == end.year => start.year.to_string(),
        _ if whole_years => format!("{}–{}", start.year, end.year),
        _ if whole_months && (start.year, start.month) == (end.year, end.month) => {
            point_words(start, Precision::Month)
        }
        _ if whole_months => format!(
            "{}–{}",
            point_words(start, Precision::Month),
            point_words(end, Precision::Month)
        ),
        _ => format!(
            "{}–{}",
            point_words(start, Precision::Day),
            point_words(end, Precision::Day)
        ),
    }
}

fn names(doc: &Document, role: Role) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for person in doc.people_with(role) {
        if !names.contains(&person.name.as_str()) {
            names.push(&person.name);
        }
    }
    names
}

/// "A", "A and B", "A, B and C".
fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The translators named by the document: people with the translator role,
/// else the layers' translators.
fn translators(doc: &Document) -> Vec<&str> {
    let mut found = names(doc, Role::Translator);
    for layer in &doc.layers {
        if layer.kind == LayerKind::Translation
            && let Some(translator) = layer.translator.as_deref()
            && !found.contains(&translator)
        {
            found.push(translator);
        }
    }
    found
}

/// The sentence of the credits that says who obtained or translated the
/// document ("Obtained by … and translated by …."), without acknowledgements.
fn credit_sentence(doc: &Document) -> Option<String> {
    let credits = doc.credits.as_deref()?;
    credits
        .split_inclusive(". ")
        .map(str::trim)
        .find(|s| {
            let lower = s.to_lowercase();
            lower.starts_with("obtained by")
                || lower.starts_with("translated by")
                || lower.starts_with("transcribed by")
        })
        .map(|s| {
            let s = s.trim_end_matches('.');
            format!("{s}.")
        })
}

/// The archive's parts as the archive's own citations write them:
/// "GARF, Fond R-9401ss, Opis' 2, Delo 95, ll. 352-359".
fn archive_words(doc: &Document) -> Option<String> {
    let archive = doc.archive.as_ref()?;
    let mut parts = Vec::new();
    if let Some(repository) = &archive.repository {
        parts.push(repository.clone());
    }
    for (label, value) in [
        ("Fond", &archive.fond),
        ("Opis'", &archive.opis),
        ("Papka", &archive.papka),
        ("Delo", &archive.delo),
    ] {
        if let Some(value) = value {
            parts.push(format!("{label} {value}"));
        }
    }
    if let Some(folios) = &archive.folios {
        let single = !folios.contains(['-', ',', '–']);
        parts.push(format!("{} {folios}", if single { "l." } else { "ll." }));
    }
    if parts.is_empty() {
        let raw = archive.raw.trim();
        return (!raw.is_empty()).then(|| raw.to_owned());
    }
    Some(parts.join(", "))
}

/// The document's title, or its id when it has none.
fn title(doc: &Document) -> &str {
    let title = doc.title.trim();
    if title.is_empty() { &doc.id } else { title }
}

/// A citation in the archive's own style, as the seeds' "Citation:"
/// blocks write it: the citation the source gives when it gives one, else
/// `"Title", date, repository, Fond …, Opis' …, Delo …, ll. …. Obtained
/// by … and translated by ….`
pub fn archive_citation(doc: &Document) -> String {
    if let Some(given) = doc.citation.as_deref().map(str::trim)
        && !given.is_empty()
    {
        return crate::text::squash_whitespace(given);
    }
    let mut out = format!("\"{}\", {}", title(doc), english_date(&doc.date));
    if let Some(site) = &doc.digital_archive {
        // The digital archive's own form: its name, then the reference as
        // it writes it.
        let _ = write!(out, ", {site}");
        if let Some(archive) = doc
            .archive
            .as_ref()
            .map(|a| a.raw.trim())
            .filter(|r| !r.is_empty())
        {
            let _ = write!(out, ", {archive}");
        }
    } else if let Some(archive) = archive_words(doc) {
        let _ = write!(out, ", {archive}");
    }
    if !out.ends_with('.') {
        out.push('.');
    }
    if let Some(credit) = credit_sentence(doc) {
        let _ = write!(out, " {credit}");
    } else {
        let translators = translators(doc);
        if !translators.is_empty() {
            let _ = write!(out, " Translated by {}.", join_names(&translators));
        }
    }
    crate::text::squash_whitespace(&out)
}

/// A Chicago-style note for an archival document (Chicago Manual of Style,
/// 17th ed., 14.232): "Author to Recipient, date, “Title,” repository,
/// f. …, op. …, d. …, ll. …, trans. Translator, URL."
pub fn chicago_note(doc: &Document) -> String {
    let authors = join_names(&names(doc, Role::Author));
    let recipients = join_names(&names(doc, Role::Recipient));
    let who = match (authors.is_empty(), recipients.is_empty()) {
        (false, false) => Some(format!("{authors} to {recipients}")),
        (false, true) => Some(authors),
        (true, false) => Some(format!("To {recipients}")),
        (true, true) => None,
    };
    let date = english_date(&doc.date);
    let mut out = match who {
        Some(who) => format!("{who}, {date}, “{},”", title(doc)),
        // Nobody named: the note starts with the title (14.232), then
        // the date.
        None => format!("“{},” {date},", title(doc)),
    };
    let mut tail: Vec<String> = Vec::new();
    if let Some(archive) = &doc.archive {
        tail.push(archive.short());
    }
    let translators = translators(doc);
    if !translators.is_empty() {
        tail.push(format!("trans. {}", join_names(&translators)));
    }
    if let Some(site) = &doc.digital_archive {
        tail.push(site.clone());
    }
    if let Some(url) = &doc.source_url {
        tail.push(url.clone());
    }
    if tail.is_empty() {
        // The last comma closes the sentence instead (inside the quotes).
        if out.ends_with(",”") {
            out.truncate(out.len() - ",”".len());
            out.push_str(".”");
        } else {
            out.pop();
            out.push('.');
        }
    } else {
        let _ = write!(out, " {}.", tail.join(", "));
    }
    crate::text::squash_whitespace(&out)
}

/// Header and one row per document; lists inside a cell are joined with
/// "; ".
pub fn csv(documents: &[&Document]) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(CSV_COLUMNS);
    for doc in documents {
        let archive = doc.archive.as_ref();
        let part = |get: fn(&crate::model::ArchiveRef) -> &Option<String>| {
            archive.and_then(|a| get(a).clone()).unwrap_or_default()
        };
        let people = |role| names(doc, role).join("; ");
        let row = [
            doc.id.clone(),
            title(doc).to_owned(),
            doc.date.to_string(),
            if doc.date.is_unknown() {
                String::new()
            } else {
                doc.date.to_edtf()
            },
            doc.date.start.map(|d| d.to_string()).unwrap_or_default(),
            doc.date.end.map(|d| d.to_string()).unwrap_or_default(),
            doc.kind.clone().unwrap_or_default(),
            people(Role::Author),
            people(Role::Recipient),
            people(Role::Mentioned),
            doc.places.join("; "),
            archive
                .map(crate::model::ArchiveRef::short)
                .unwrap_or_default(),
            part(|a| &a.repository),
            part(|a| &a.fond),
            part(|a| &a.opis),
            part(|a| &a.papka),
            part(|a| &a.delo),
            part(|a| &a.folios),
            doc.original_language.clone().unwrap_or_default(),
            doc.languages().join("; "),
            doc.tags.join("; "),
            doc.source_url.clone().unwrap_or_default(),
            doc.source.display().to_string(),
            archive_citation(doc),
        ];
        let _ = writer.write_record(&row);
    }
    writer
        .into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// The CSV header.
pub const CSV_COLUMNS: [&str; 24] = [
    "id",
    "title",
    "date",
    "date_edtf",
    "date_start",
    "date_end",
    "kind",
    "authors",
    "recipients",
    "mentioned",
    "places",
    "archive",
    "repository",
    "fond",
    "opis",
    "papka",
    "delo",
    "folios",
    "original_language",
    "languages",
    "tags",
    "source_url",
    "source",
    "citation",
];

/// A CSL date: `date-parts` at the precision known (`[[1945, 4, 22]]`, a
/// range as two parts), `circa` for approximate or uncertain dates, and
/// `literal` for a written date that means no interval.
fn csl_date(date: &FuzzyDate) -> Option<Value> {
    let part = |day: Ymd, precision: Precision| -> Value {
        match precision {
            Precision::Year | Precision::Decade | Precision::Century => json!([day.year]),
            Precision::Month | Precision::Season => json!([day.year, day.month]),
            _ => json!([day.year, day.month, day.day]),
        }
    };
    let mut object = Map::new();
    match (date.start, date.end) {
        (None, None) => {
            let text = date.text.trim();
            if text.is_empty() {
                return None;
            }
            object.insert("literal".into(), json!(text));
            return Some(Value::Object(object));
        }
        (Some(start), Some(end)) => {
            let parts = match date.precision {
                Precision::Range => {
                    let (from, to) = date.bounds();
                    vec![part(start, from), part(end, to)]
                }
                Precision::Decade | Precision::Century => {
                    vec![part(start, Precision::Year), part(end, Precision::Year)]
                }
                precision => vec![part(start, precision)],
            };
            object.insert("date-parts".into(), Value::Array(parts));
        }
        (Some(point), None) | (None, Some(point)) => {
            object.insert("date-parts".into(), json!([part(point, Precision::Day)]));
            object.insert("raw".into(), json!(date.to_edtf()));
        }
    }
    if date.approximate || date.uncertain || date.inferred {
        object.insert("circa".into(), json!(true));
    }
    Some(Value::Object(object))
}

fn csl_names<'a>(people: impl Iterator<Item = &'a str>) -> Value {
    // Names in many scripts have no reliable family/given split: a literal
    // name is what citation managers keep as written.
    Value::Array(people.map(|name| json!({ "literal": name })).collect())
}

/// One CSL-JSON item.
pub fn csl_item(doc: &Document) -> Value {
    let mut item = Map::new();
    item.insert("id".into(), json!(doc.id));
    // "manuscript" is the CSL (and Zotero) type for unpublished archival
    // documents: it carries archive and archive_location.
    item.insert("type".into(), json!("manuscript"));
    item.insert("title".into(), json!(title(doc)));
    let people = |role| names(doc, role);
    for (key, role) in [("author", Role::Author), ("recipient", Role::Recipient)] {
        let found = people(role);
        if !found.is_empty() {
            item.insert(key.into(), csl_names(found.into_iter()));
        }
    }
    let translators = translators(doc);
    if !translators.is_empty() {
        item.insert("translator".into(), csl_names(translators.into_iter()));
    }
    if let Some(date) = csl_date(&doc.date) {
        // The document's own date; `original-date` is for an original of a
        // later edition, which the model does not know, so it is left out
        // (styles print it beside `issued`).
        item.insert("issued".into(), date);
    }
    if let Some(kind) = &doc.kind {
        item.insert("genre".into(), json!(kind));
    }
    if let Some(archive) = &doc.archive {
        if let Some(repository) = &archive.repository {
            item.insert("archive".into(), json!(repository));
        }
        let mut location = archive.clone();
        location.repository = None;
        let mut words = location.short();
        if words.trim().is_empty() {
            archive.raw.trim().clone_into(&mut words);
        }
        if !words.is_empty() {
            item.insert("archive_location".into(), json!(words));
        }
    }
    if let Some(language) = doc.original_language.as_deref().or_else(|| {
        doc.layers
            .iter()
            .find(|l| l.kind != LayerKind::Translation)
            .and_then(|l| l.language.as_deref())
    }) {
        item.insert("language".into(), json!(language));
    }
    if let Some(url) = &doc.source_url {
        item.insert("URL".into(), json!(url));
    }
    if let Some(summary) = doc.summary() {
        item.insert("abstract".into(), json!(summary));
    }
    if !doc.tags.is_empty() {
        item.insert("keyword".into(), json!(doc.tags.join(", ")));
    }
    item.insert("note".into(), json!(archive_citation(doc)));
    Value::Object(item)
}

/// A CSL-JSON array of items.
pub fn csl_json(documents: &[&Document]) -> String {
    let items: Vec<Value> = documents.iter().map(|d| csl_item(d)).collect();
    let mut out = serde_json::to_string_pretty(&Value::Array(items)).unwrap_or_default();
    out.push('\n');
    out
}

/// TeX's special characters escaped for a BibTeX field in braces.
fn tex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(c),
        }
    }
    out
}

/// The citation key of a document: its id when every character is one
/// that biber, BibTeX and pandoc take in a key (letters of any script,
/// digits, `-_:.`), else those characters and a short hash of the id. A key
/// depends on its document alone, never on what else is exported, and two
/// documents of a corpus (whose ids differ) never share one.
pub fn bibtex_key(id: &str) -> String {
    let allowed = |c: char| c.is_alphanumeric() || "-_:.".contains(c);
    if !id.is_empty() && id.chars().all(allowed) {
        return id.to_owned();
    }
    let mut kept = String::new();
    for c in id.chars() {
        let c = if allowed(c) { c } else { '-' };
        if !(c == '-' && kept.ends_with('-')) {
            kept.push(c);
        }
    }
    let kept = kept.trim_matches('-');
    let hash = crate::research::sidecar::fnv1a(id.as_bytes()) & 0xffff_ffff;
    if kept.is_empty() {
        format!("document-{hash:08x}")
    } else {
        format!("{kept}-{hash:08x}")
    }
}

/// BibTeX `@unpublished` entries, read alike by biblatex (biber) and
/// BibTeX styles: `date` in EDTF as biblatex reads it (`1950~`, `1949?`,
/// `1937-04/1937-05`) with `year` and `month` for BibTeX; the archive
/// reference once, in `note` (the field both print for unpublished
/// items); who obtained or translated it in `addendum` (biblatex has no
/// translator field for them); every name in braces so that no name is
/// split into first and last.
pub fn bibtex(documents: &[&Document]) -> String {
    let mut out = String::new();
    for doc in documents {
        let key = bibtex_key(&doc.id);
        let mut fields: Vec<(&str, String)> = vec![("title", format!("{{{}}}", tex(title(doc))))];
        let person_list = |people: &[&str]| {
            people
                .iter()
                .map(|n| format!("{{{}}}", tex(n)))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let authors = names(doc, Role::Author);
        if !authors.is_empty() {
            fields.push(("author", person_list(&authors)));
        }
        if let Some(start) = doc.date.start {
            if !doc.date.is_unknown() {
                // EDTF is plain ASCII; TeX escaping would hide `~` from biber.
                fields.push(("date", doc.date.to_edtf()));
            }
            fields.push(("year", start.year.to_string()));
            if matches!(doc.date.precision, Precision::Day | Precision::Month) {
                fields.push(("month", start.month.to_string()));
            }
        }
        if let Some(archive) = archive_reference(doc) {
            fields.push(("note", tex(&archive)));
        }
        // biblatex has no translator for unpublished items: who obtained
        // and translated it is said in words.
        let translators = translators(doc);
        let credit = credit_sentence(doc).or_else(|| {
            (!translators.is_empty())
                .then(|| format!("Translated by {}.", join_names(&translators)))
        });
        if let Some(credit) = credit {
            fields.push(("addendum", tex(&credit)));
        }
        if let Some(language) = &doc.original_language {
            fields.push(("language", tex(language)));
        }
        if let Some(url) = &doc.source_url {
            fields.push(("url", url.replace(['{', '}'], "")));
        }
        if !doc.tags.is_empty() {
            fields.push(("keywords", tex(&doc.tags.join(", "))));
        }
        let _ = writeln!(out, "@unpublished{{{key},");
        for (name, value) in fields {
            let value = crate::text::squash_whitespace(&value);
            let _ = writeln!(out, "  {name} = {{{value}}},");
        }
        out.push_str("}\n\n");
    }
    out
}

/// Where the document is kept, once: the digital archive and the
/// reference as it writes it, else the reference in its short form.
fn archive_reference(doc: &Document) -> Option<String> {
    let archive = doc.archive.as_ref();
    let reference = archive.map(|a| {
        if doc.digital_archive.is_some() && !a.raw.trim().is_empty() {
            a.raw.trim().to_owned()
        } else {
            a.short()
        }
    });
    match (&doc.digital_archive, reference) {
        (Some(site), Some(reference)) => Some(format!("{site}, {reference}")),
        (Some(site), None) => Some(site.clone()),
        (None, reference) => reference.filter(|r| !r.trim().is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> FuzzyDate {
        FuzzyDate::parse(text).unwrap_or_else(|_| FuzzyDate::unknown(text))
    }

    #[test]
    fn english_dates_at_every_precision() {
        assert_eq!(english_date(&date("1945-04-22")), "April 22, 1945");
        assert_eq!(english_date(&date("1945-04")), "April 1945");
        assert_eq!(english_date(&date("1945")), "1945");
        assert_eq!(english_date(&date("194X")), "1940s");
        assert_eq!(english_date(&date("1945~")), "ca. 1945");
        assert_eq!(english_date(&date("1945-04?")), "April 1945?");
        assert_eq!(english_date(&date("1945/1947")), "1945–1947");
        assert_eq!(
            english_date(&date("1945-04/1947-06")),
            "April 1945–June 1947"
        );
        assert_eq!(english_date(&FuzzyDate::unknown("")), "n.d.");
    }

    #[test]
    fn csl_dates_keep_precision_and_doubt() {
        let day = csl_date(&date("1945-04-22")).unwrap_or_default();
        assert_eq!(day, json!({"date-parts": [[1945, 4, 22]]}));
        let range = csl_date(&date("1945-04/1947")).unwrap_or_default();
        assert_eq!(range, json!({"date-parts": [[1945, 4], [1947]]}));
        let circa = csl_date(&date("1945~")).unwrap_or_default();
        assert_eq!(circa, json!({"date-parts": [[1945]], "circa": true}));
        let written = csl_date(&FuzzyDate::unknown("spring, year unknown")).unwrap_or_default();
        assert_eq!(written, json!({"literal": "spring, year unknown"}));
    }

    #[test]
    fn tex_specials_are_escaped() {
        assert_eq!(tex("50% & {x}_1 #2 $"), "50\\% \\& \\{x\\}\\_1 \\#2 \\$");
        assert_eq!(
            tex("a\\b~c^"),
            "a\\textbackslash{}b\\textasciitilde{}c\\textasciicircum{}"
        );
    }

    #[test]
    fn bibtex_keys_belong_to_their_document_alone() {
        assert_eq!(
            bibtex_key("1945-04-22-alihan-tore"),
            "1945-04-22-alihan-tore"
        );
        assert_eq!(bibtex_key("письмо-1937"), "письмо-1937");
        let spaced = bibtex_key("letter 1937");
        assert!(spaced.starts_with("letter-1937-"), "{spaced}");
        assert_eq!(bibtex_key("letter 1937"), spaced, "stable");
        assert_ne!(bibtex_key("letter/1937"), spaced, "two ids, two keys");
        assert!(bibtex_key("«»").starts_with("document-"));
    }

    #[test]
    fn bibtex_dates_are_edtf_and_the_archive_is_written_once() {
        let mut doc = Document::new(
            "d",
            std::path::PathBuf::from("d"),
            crate::model::SourceFormat::Folio,
        );
        doc.title = "A & B {x}\n  on two lines".into();
        doc.archive = crate::model::ArchiveRef::parse("GARF F. R-9401, Op. 2, D. 95");
        for (written, edtf) in [
            ("1950~", "1950~"),
            ("1949?", "1949?"),
            ("1937-04/1937-05", "1937-04/1937-05"),
        ] {
            doc.date = date(written);
            let entry = bibtex(&[&doc]);
            assert!(entry.contains(&format!("  date = {{{edtf}}},")), "{entry}");
        }
        let entry = bibtex(&[&doc]);
        assert_eq!(entry.matches("GARF").count(), 1, "{entry}");
        assert!(
            !entry.contains("institution") && !entry.contains("howpublished"),
            "{entry}"
        );
        assert!(
            entry.contains("title = {{A \\& B \\{x\\} on two lines}},"),
            "{entry}"
        );
    }

    #[test]
    fn citations_are_one_line_and_a_note_without_author_starts_with_the_title() {
        let mut doc = Document::new(
            "d",
            std::path::PathBuf::from("d"),
            crate::model::SourceFormat::Folio,
        );
        doc.title = "Report\non the\r\nsituation".into();
        doc.date = date("1946-03");
        for format in [Format::Citation, Format::Chicago] {
            let out = write(format, [&doc]);
            assert_eq!(out.lines().count(), 1, "{out}");
        }
        assert_eq!(chicago_note(&doc), "“Report on the situation,” March 1946.");
        doc.date = FuzzyDate::unknown("");
        assert!(
            chicago_note(&doc).starts_with("“Report"),
            "{}",
            chicago_note(&doc)
        );
    }

    #[test]
    fn formats_parse_from_their_names() {
        for format in Format::ALL {
            assert_eq!(Format::parse(format.name()), Some(format));
        }
        assert_eq!(Format::parse("nope"), None);
    }
}
