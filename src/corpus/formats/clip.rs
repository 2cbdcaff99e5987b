//! Web clips: a page of an online archive or encyclopedia saved as `.txt`
//! or `.md`, like the seeds. There is no fixed layout, so the parser reads
//! the clip the way a person does:
//!
//! 1. a *header* of short lines: site chrome ("Skip to content"), the date,
//!    the title (`**bold**` may span lines), labelled blocks (`Citation:`,
//!    `Summary:`, `Original Language:`, `Contents:` …), a source URL, the
//!    credits line and "Translation from Uygur";
//! 2. the *body*: everything after the header up to "Document Information"
//!    (or the end), cut into one layer per language by the script of each
//!    line; small runs (a Chinese name inside English) stay in their layer;
//! 3. a *trailer* after "Document Information": the archive reference and
//!    "Obtained by … and translated by …".
//!
//! People and the document kind come from the title ("Letter from A and B
//! to C", "Cable, A to B", "Filippov [Stalin]"); the archive reference from
//! the citation or the trailer; a missing date may be inferred from "the
//! 75th anniversary" of the year the text is about (flagged `inferred`).

use std::path::{Path, PathBuf};

use super::title::{kind_from_body, kind_from_title, people_from_title};
use crate::corpus::{LoadError, read_text};
use crate::model::{
    ArchiveRef, Document, FuzzyDate, Layer, LayerKind, Person, Role, SourceFormat,
    is_russian_repository,
};
use crate::text::{
    ScriptCounts, guess_language, guess_language_counted, language_tag, primary_subtag,
    squash_whitespace,
};

/// Loads the clip at `file` (relative to `root`).
pub fn load(root: &Path, file: &Path) -> Result<Document, LoadError> {
    let text = read_text(&root.join(file)).map_err(|reason| LoadError::new(file, reason))?;
    let id = file
        .file_stem()
        .map_or_else(|| "clip".to_owned(), |s| s.to_string_lossy().into_owned());
    parse_clip(&id, file.to_owned(), &text).map_err(|reason| LoadError::new(file, reason))
}

/// Labels of header blocks, lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Citation,
    Summary,
    Credits,
    OriginalLanguage,
    Contents,
    Source,
    Date,
    Title,
    Author,
    Recipient,
    Translator,
    Archive,
    Kind,
}

fn label(name: &str) -> Option<Label> {
    let label = match name.trim().to_lowercase().as_str() {
        "citation" | "cite" | "how to cite" => Label::Citation,
        "summary" | "abstract" | "description" => Label::Summary,
        "credits" | "credit" | "acknowledgements" => Label::Credits,
        "original language" | "language" | "language of original" => Label::OriginalLanguage,
        "contents" => Label::Contents,
        "source" | "source url" | "url" | "link" => Label::Source,
        "date" | "document date" => Label::Date,
        "title" => Label::Title,
        "author" | "authors" | "from" => Label::Author,
        "recipient" | "recipients" | "to" | "addressee" => Label::Recipient,
        "translated by" | "translator" => Label::Translator,
        "archive" | "archival reference" | "archival source" | "repository" | "location" => {
            Label::Archive
        }
        "document type" | "type" | "genre" => Label::Kind,
        _ => return None,
    };
    Some(label)
}

/// "Label:" alone, or "Label: value" on one line.
fn label_line(line: &str) -> Option<(Label, Option<String>)> {
    let (name, rest) = line.split_once(':')?;
    if name.chars().count() > 30 {
        return None;
    }
    let found = label(name.trim_matches(['*', '_', '#', ' ']))?;
    let rest = rest.trim().trim_matches(['*', '_']).trim();
    Some((found, (!rest.is_empty()).then(|| rest.to_owned())))
}

/// Lines that belong to the web page, not to the document.
/// The first 64 bytes of `line`, lowercased: enough to compare with the
/// short phrases of page furniture without lowercasing long paragraphs.
fn lower_head(line: &str) -> String {
    line[..line.floor_char_boundary(64)].to_lowercase()
}

/// Whether a clip was saved from the Wilson Center Digital Archive: its
/// address, or the program's reuse notice and the archive's name that its
/// pages carry.
fn is_wilson_center(text: &str, url: Option<&str>) -> bool {
    url.is_some_and(|u| {
        u.contains("wilsoncenter.org") || u.contains("wilson-center-digital-archive")
    }) || text.contains("Wilson Center Digital Archive")
        || text.contains("History and Public Policy Program welcomes reuse of Digital Archive")
}

fn is_chrome(line: &str) -> bool {
    let lower = lower_head(line);
    matches!(
        lower.as_str(),
        "skip to content"
            | "skip to main content"
            | "jump to navigation jump to search"
            | "jump to navigation"
            | "jump to search"
            | "from wikipedia, the free encyclopedia"
            | "document information"
            | "original uploaded date"
            | "record id"
            | "original classification"
            | "macarthur foundation"
            | "share"
            | "print"
            | "download"
            | "external links[edit]"
            | "see also[edit]"
    ) || lower.starts_with("the history and public policy program welcomes reuse")
        || lower.starts_with("to enquire about this document")
        || lower.starts_with("some documents may be subject to copyright")
}

fn credits_line(line: &str) -> bool {
    let lower = lower_head(line);
    lower.starts_with("this document was made possible")
        || lower.starts_with("made possible with support")
}

/// "Translation from Uygur" → `ug`.
fn translation_from_line(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    let rest = lower
        .strip_prefix("translation from ")
        .or_else(|| lower.strip_prefix("translated from "))?;
    language_tag(rest.trim_end_matches('.'))
}

fn url_in(line: &str) -> Option<String> {
    let t = line.trim().trim_start_matches('<').trim_end_matches('>');
    let is_url =
        (t.starts_with("https://") || t.starts_with("http://")) && !t.contains(char::is_whitespace);
    is_url.then(|| t.to_owned())
}

fn date_line(line: &str) -> Option<FuzzyDate> {
    if line.chars().count() > 40 {
        return None;
    }
    FuzzyDate::parse(line.trim_matches(['*', '_']))
        .ok()
        .filter(|d| !d.is_unknown())
}

#[derive(Debug, Default)]
struct Header {
    date: Option<FuzzyDate>,
    date_problem: Option<String>,
    title: Option<String>,
    citation: Option<String>,
    summary: Option<String>,
    credits: Vec<String>,
    original_language: Option<String>,
    translated_from: Option<String>,
    source_url: Option<String>,
    authors: Vec<String>,
    recipients: Vec<String>,
    translator: Option<String>,
    archive: Option<String>,
    kind: Option<String>,
    contents: Vec<String>,
    encyclopedia: bool,
}

/// Parses a clip's text into a document.
pub fn parse_clip(id: &str, source: PathBuf, text: &str) -> Result<Document, String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let (header, body_start) = read_header(&lines);

    // Body and trailer.
    let trailer_start = lines[body_start..]
        .iter()
        .position(|l| l.eq_ignore_ascii_case("document information"))
        .map(|p| p + body_start);
    let body_end = trailer_start.unwrap_or(lines.len());
    let mut body: Vec<&str> = lines[body_start..body_end]
        .iter()
        .copied()
        .filter(|l| !is_chrome(l) && !credits_line(l))
        .collect();
    let trailer: Vec<&str> = trailer_start
        .map(|t| {
            lines[t + 1..]
                .iter()
                .copied()
                .filter(|l| !is_chrome(l))
                .collect()
        })
        .unwrap_or_default();
    while body.last().is_some_and(|l| l.is_empty()) {
        body.pop();
    }

    // Wilson Center pages put the summary as the last paragraph before
    // "Document Information".
    let mut summary = header.summary.clone();
    if summary.is_none()
        && trailer_start.is_some()
        && let Some(last) = body.last()
        && last.chars().count() >= 40
        && date_line(last).is_none()
    {
        summary = Some((*last).to_owned());
        body.pop();
    }

    let body_text = body.join("\n");
    if body_text.trim().is_empty() && header.title.is_none() {
        return Err("no document text found (the file holds only page furniture)".into());
    }

    let mut doc = Document::new(id, source, SourceFormat::Clip);
    let encyclopedia = header.encyclopedia
        || lines
            .iter()
            .any(|l| l.eq_ignore_ascii_case("from wikipedia, the free encyclopedia"));

    // Credits, translator and archive from the header, citation and trailer.
    let trailer_text = trailer.join("\n");
    let mut credits = header.credits.clone();
    credits.extend(
        trailer
            .iter()
            .filter(|l| {
                l.to_lowercase().contains("obtained by")
                    || l.to_lowercase().contains("translated by")
            })
            .map(|l| (*l).to_owned()),
    );
    let credit_text = [
        header.citation.clone().unwrap_or_default(),
        credits.join("\n"),
    ]
    .join("\n");
    let translator = header
        .translator
        .clone()
        .or_else(|| name_after(&credit_text, "translated by"));
    let archive = header
        .archive
        .as_deref()
        .and_then(ArchiveRef::parse)
        .or_else(|| header.citation.as_deref().and_then(ArchiveRef::find_in))
        .or_else(|| ArchiveRef::find_in(&trailer_text))
        .or_else(|| {
            let tail = lines.len().saturating_sub(15);
            ArchiveRef::find_in(&lines[tail..].join("\n"))
        });

    // Title, kind and people.
    let dateline = press_release_dateline(&body);
    let title = header.title.clone().unwrap_or_else(|| {
        let first = body.iter().find(|l| !l.is_empty()).copied().unwrap_or(id);
        let after_dateline = dateline.as_ref().map_or(first, |(_, rest)| rest.as_str());
        first_sentence(after_dateline, 120)
    });
    doc.title = title;
    doc.kind = header.kind.clone().or_else(|| {
        if encyclopedia {
            Some("encyclopedia article".to_owned())
        } else if dateline.is_some() {
            Some("press release".to_owned())
        } else {
            kind_from_title(&doc.title).or_else(|| kind_from_body(&body))
        }
    });
    doc.people = people_from_title(&doc.title);
    for name in &header.authors {
        doc.people.push(Person::from_written(name, Role::Author));
    }
    for name in &header.recipients {
        doc.people.push(Person::from_written(name, Role::Recipient));
    }
    if let Some((_, rest)) = &dateline
        && !doc.people.iter().any(|p| p.role == Role::Author)
        && let Some(org) = organisation_subject(rest)
    {
        doc.people.push(Person::new(org, Role::Author));
    }
    if encyclopedia && body.iter().any(|l| l.starts_with("Born")) && header.title.is_some() {
        doc.people
            .push(Person::from_written(&doc.title, Role::Mentioned));
    }
    if let Some(t) = &translator {
        doc.people.push(Person::new(t.clone(), Role::Translator));
    }

    // Date: as written, else inferred from an anniversary.
    doc.date = match (&header.date, &header.date_problem) {
        (Some(date), _) => date.clone(),
        (None, Some(problem)) => {
            doc.warnings.push(problem.clone());
            FuzzyDate::unknown("")
        }
        (None, None) => infer_anniversary(&body_text).unwrap_or_default(),
    };

    doc.archive = archive;
    doc.citation.clone_from(&header.citation);
    doc.source_url.clone_from(&header.source_url);
    doc.credits = (!credits.is_empty()).then(|| credits.join("\n"));
    if is_wilson_center(text, doc.source_url.as_deref()) {
        doc.digital_archive = Some("Wilson Center Digital Archive".to_owned());
    }

    // Layers.
    let original = header
        .original_language
        .clone()
        .or_else(|| header.translated_from.clone());
    let mut layers = split_layers(&body);
    let original = original.or_else(|| {
        let single_english = layers.len() == 1 && layers[0].language.as_deref() == Some("en");
        let russian_archive = doc
            .archive
            .as_ref()
            .and_then(|a| a.repository.as_deref())
            .is_some_and(is_russian_repository);
        (translator.is_some() && single_english && russian_archive).then(|| "ru".to_owned())
    });
    assign_kinds(&mut layers, original.as_deref(), translator.as_deref());
    doc.original_language = original.or_else(|| layers.first().and_then(|l| l.language.clone()));
    if let Some(summary) = summary {
        layers.push(Layer::new(
            LayerKind::Summary,
            guess_language(&summary).map(str::to_owned),
            summary,
        ));
    }
    doc.layers = layers;
    Ok(doc)
}

/// Reads the header; returns it and the index of the first body line.
fn read_header(lines: &[&str]) -> (Header, usize) {
    let mut h = Header::default();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.is_empty() {
            i += 1;
            continue;
        }
        if line.eq_ignore_ascii_case("from wikipedia, the free encyclopedia") {
            h.encyclopedia = true;
            i += 1;
            continue;
        }
        if is_chrome(line) {
            i += 1;
            continue;
        }
        if credits_line(line) {
            h.credits.push(line.to_owned());
            i += 1;
            continue;
        }
        if let Some(lang) = translation_from_line(line) {
            h.translated_from = Some(lang);
            i += 1;
            continue;
        }
        if let Some(url) = url_in(line) {
            h.source_url.get_or_insert(url);
            i += 1;
            continue;
        }
        if let Some((found, inline)) = label_line(line) {
            i += 1;
            if found == Label::Contents {
                i = read_contents(lines, i, &mut h.contents);
                continue;
            }
            let value = match inline {
                Some(v) => v,
                None => {
                    let (value, next) = read_block(lines, i);
                    i = next;
                    value
                }
            };
            apply_label(&mut h, found, value);
            continue;
        }
        if h.date.is_none()
            && let Some(date) = date_line(line)
        {
            h.date = Some(date);
            i += 1;
            continue;
        }
        if h.title.is_none() {
            if let Some(heading) = line.strip_prefix("# ") {
                h.title = Some(heading.trim().to_owned());
                i += 1;
                continue;
            }
            if line.starts_with("**") {
                // A bold title may run over several lines.
                let mut parts = Vec::new();
                let mut j = i;
                while j < lines.len() && j < i + 5 {
                    parts.push(lines[j]);
                    if lines[j].len() > 2 && lines[j].ends_with("**") {
                        break;
                    }
                    j += 1;
                }
                let joined = squash_whitespace(&parts.join(" "));
                h.title = Some(joined.trim_matches('*').trim().to_owned());
                i = j + 1;
                continue;
            }
            if line.chars().count() <= 200 && !line.ends_with(['.', ':', ';', ',']) {
                h.title = Some(line.trim_matches('*').trim().to_owned());
                i += 1;
                continue;
            }
        }
        break;
    }
    (h, i.min(lines.len()))
}

/// A labelled block: the next paragraph (lines up to a blank line).
fn read_block(lines: &[&str], mut i: usize) -> (String, usize) {
    while i < lines.len() && lines[i].is_empty() {
        i += 1;
    }
    let mut parts = Vec::new();
    while i < lines.len() && !lines[i].is_empty() && label_line(lines[i]).is_none() {
        parts.push(lines[i]);
        i += 1;
    }
    (parts.join(" "), i)
}

/// "Contents:" items such as "Original Scan", "Translation - English".
fn read_contents(lines: &[&str], mut i: usize, items: &mut Vec<String>) -> usize {
    loop {
        let mut j = i;
        while j < lines.len() && lines[j].is_empty() {
            j += 1;
        }
        let Some(line) = lines.get(j) else {
            return j;
        };
        let lower = line.to_lowercase();
        let is_item = line.chars().count() <= 60
            && [
                "original scan",
                "original",
                "translation",
                "transcript",
                "transcription",
                "scan",
            ]
            .iter()
            .any(|p| lower.starts_with(p));
        if !is_item {
            return i;
        }
        items.push((*line).to_owned());
        i = j + 1;
    }
}

fn apply_label(h: &mut Header, found: Label, value: String) {
    match found {
        Label::Citation => h.citation = Some(value),
        Label::Summary => h.summary = Some(value),
        Label::Credits => h.credits.push(value),
        Label::OriginalLanguage => h.original_language = language_tag(&value),
        Label::Source => h.source_url = url_in(&value).or(h.source_url.take()),
        Label::Date => match FuzzyDate::parse(&value) {
            Ok(date) => h.date = Some(date),
            Err(e) => h.date_problem = Some(e.to_string()),
        },
        Label::Title => h.title = Some(value),
        Label::Author => h.authors.extend(split_names(&value)),
        Label::Recipient => h.recipients.extend(split_names(&value)),
        Label::Translator => h.translator = Some(value),
        Label::Archive => h.archive = Some(value),
        Label::Kind => h.kind = Some(value.to_lowercase()),
        Label::Contents => {}
    }
}

fn split_names(value: &str) -> Vec<String> {
    value
        .split([';', '\n'])
        .flat_map(|s| s.split(" and "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The name after a phrase: "translated by Gary Goldberg." → "Gary Goldberg".
fn name_after(text: &str, phrase: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let at = lower.find(phrase)? + phrase.len();
    let rest = text.get(at..)?.trim_start_matches([':', ' ']);
    let mut words = Vec::new();
    for word in rest.split_whitespace() {
        let clean = word.trim_end_matches(['.', ',', ';', ')']);
        let capitalised = clean.chars().next().is_some_and(char::is_uppercase);
        let particle = matches!(clean, "de" | "van" | "von" | "der" | "al" | "la" | "ibn");
        if !(capitalised || particle && !words.is_empty()) || clean.is_empty() {
            break;
        }
        // An initial ("V.") is part of the name; any other trailing punctuation ends it.
        let initial = clean.chars().count() == 1 && word.ends_with('.');
        words.push(if initial {
            &word[..=clean.len()]
        } else {
            clean
        });
        if word.len() != clean.len() && !initial {
            break;
        }
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// "Washington, D.C. — The …": the dateline of a press release.
fn press_release_dateline(body: &[&str]) -> Option<(String, String)> {
    let first = body.iter().find(|l| !l.is_empty())?;
    let (place, rest) = first
        .split_once(" — ")
        .or_else(|| first.split_once(" – "))?;
    let words_capitalised = place.split_whitespace().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
    });
    (place.chars().count() <= 40 && words_capitalised)
        .then(|| (place.trim().to_owned(), rest.trim().to_owned()))
}

/// "The East Turkistan Government in Exile (ETGE) solemnly marks …" → the organisation.
fn organisation_subject(sentence: &str) -> Option<String> {
    let rest = sentence.strip_prefix("The ")?;
    let name = &rest[..rest.find(" (")?];
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    (words.len() >= 2 && words.len() <= 10 && capitalised * 2 > words.len())
        .then(|| name.to_owned())
}

/// The first sentence of `text`, cut at a word boundary to `max` characters.
fn first_sentence(text: &str, max: usize) -> String {
    let sentence = text
        .split_inclusive(". ")
        .next()
        .unwrap_or(text)
        .trim()
        .trim_end_matches('.');
    if sentence.chars().count() <= max {
        return sentence.to_owned();
    }
    let mut out = String::new();
    for word in sentence.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// "the 75th anniversary of …" plus the year the text is mostly about.
fn infer_anniversary(text: &str) -> Option<FuzzyDate> {
    let lower = text.to_lowercase();
    let at = lower.find(" anniversary")?;
    let before = lower[..at].split_whitespace().last()?;
    let digits: String = before.chars().take_while(char::is_ascii_digit).collect();
    let suffix = &before[digits.len()..];
    if digits.is_empty() || !matches!(suffix, "st" | "nd" | "rd" | "th") {
        return None;
    }
    let years_after: i32 = digits.parse().ok()?;
    let mut counts: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
    for word in text.split(|c: char| !c.is_ascii_digit()) {
        if word.len() == 4
            && let Ok(year) = word.parse::<i32>()
            && (1000..=2100).contains(&year)
        {
            *counts.entry(year).or_default() += 1;
        }
    }
    // The most mentioned year (the earliest among equals).
    let (&base, _) = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    let year = base + years_after;
    if year > 2100 {
        return None;
    }
    let mut date = FuzzyDate::parse_edtf(&format!("{year:04}"))
        .ok()?
        .with_text("");
    date.inferred = true;
    Some(date)
}

/// Cuts the body into one layer per language: runs of lines by script,
/// with runs too small to be a text of their own (a name, a footnote)
/// folded into the text around them.
fn split_layers(body: &[&str]) -> Vec<Layer> {
    struct Run {
        lines: Vec<String>,
        letters: usize,
        language: Option<&'static str>,
    }
    let mut runs: Vec<Run> = Vec::new();
    for line in body {
        let line = line.strip_suffix("[edit]").unwrap_or(line);
        let counts = ScriptCounts::of(line);
        let letters = counts.total();
        let language = if letters >= 2 {
            guess_language_counted(line, &counts)
        } else {
            None
        };
        match runs.last_mut() {
            Some(run)
                if language.is_none() || run.language.is_none() || run.language == language =>
            {
                run.lines.push(line.to_owned());
                run.letters += letters;
                if run.language.is_none() {
                    run.language = language;
                }
            }
            _ => runs.push(Run {
                lines: vec![line.to_owned()],
                letters,
                language,
            }),
        }
    }
    let total: usize = runs.iter().map(|r| r.letters).sum();
    let threshold = (total / 10).max(150);
    // Fold small runs into their neighbour, then join runs of one language.
    let mut merged: Vec<Run> = Vec::new();
    for run in runs {
        match merged.last_mut() {
            Some(prev) if run.letters < threshold => {
                prev.lines.extend(run.lines);
                prev.letters += run.letters;
                if prev.letters >= threshold && prev.language.is_none() {
                    prev.language = run.language;
                }
            }
            _ => merged.push(run),
        }
    }
    // A small first run (a stray heading) belongs to the text after it.
    if merged.len() > 1 && merged[0].letters < threshold {
        let first = merged.remove(0);
        let mut lines = first.lines;
        lines.append(&mut merged[0].lines);
        merged[0].lines = lines;
        merged[0].letters += first.letters;
    }
    let mut layers: Vec<Layer> = Vec::new();
    for run in merged {
        let text = collapse_blank_lines(&run.lines.join("\n"));
        if text.trim().is_empty() {
            continue;
        }
        let language = guess_language(&text).map(str::to_owned);
        match layers.last_mut() {
            Some(prev) if prev.language == language => {
                prev.text.push_str("\n\n");
                prev.text.push_str(&text);
            }
            _ => layers.push(Layer::new(LayerKind::Transcription, language, text)),
        }
    }
    layers
}

fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line.trim_end());
    }
    out
}

/// Marks the layer in the original language as the transcription and the
/// others as translations from it. With no stated original, the first
/// layer is taken as the original.
fn assign_kinds(layers: &mut [Layer], original: Option<&str>, translator: Option<&str>) {
    let original_index = match original {
        Some(orig) => layers.iter().position(|l| {
            l.language
                .as_deref()
                .is_some_and(|lang| primary_subtag(lang) == primary_subtag(orig))
        }),
        None => (!layers.is_empty()).then_some(0),
    };
    let source_language = original
        .map(str::to_owned)
        .or_else(|| original_index.and_then(|i| layers[i].language.clone()));
    for (i, layer) in layers.iter_mut().enumerate() {
        if Some(i) == original_index {
            layer.kind = LayerKind::Transcription;
        } else {
            layer.kind = LayerKind::Translation;
            layer.translated_from.clone_from(&source_language);
            layer.translator = translator.map(str::to_owned);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_names() {
        assert_eq!(kind_from_title("Cable, A to B").as_deref(), Some("cable"));
        assert_eq!(
            kind_from_title("Memorandum of Conversation between X and Y").as_deref(),
            Some("record of conversation")
        );
        assert_eq!(kind_from_title("Noteworthy events"), None);
        assert_eq!(
            name_after(
                "Obtained by Jamil Hasanli and translated by Gary Goldberg.",
                "translated by"
            )
            .as_deref(),
            Some("Gary Goldberg")
        );
        assert_eq!(
            name_after("translated by V. Popova, 1999", "translated by").as_deref(),
            Some("V. Popova")
        );
        assert_eq!(name_after("no one here", "translated by"), None);
    }

    #[test]
    fn anniversary_inference() {
        let date =
            infer_anniversary("marks the 75th anniversary of events of 1949. In 1949 … 1954")
                .unwrap_or_default();
        assert_eq!(date.start.map(|d| d.year), Some(2024));
        assert!(date.inferred);
        assert!(infer_anniversary("an anniversary of 1949").is_none());
    }

    #[test]
    fn layers_split_by_script_but_keep_names() {
        let english =
            "This is a long English paragraph about the history of the region and its people. "
                .repeat(4);
        let russian =
            "Это длинный русский абзац об истории края и его народов, написанный для проверки. "
                .repeat(4);
        let body =
            format!("{russian}\n\n{english}\nTraditional Chinese阿合買提江·哈斯木\n{english}");
        let lines: Vec<&str> = body.lines().collect();
        let layers = split_layers(&lines);
        assert_eq!(layers.len(), 2);
        assert_eq!(layers[0].language.as_deref(), Some("ru"));
        assert_eq!(layers[1].language.as_deref(), Some("en"));
        assert!(layers[1].text.contains("阿合買提江"));
    }

    #[test]
    fn empty_clips_are_errors() {
        assert!(
            parse_clip(
                "x",
                PathBuf::from("x.txt"),
                "Skip to content\n\nMacArthur Foundation\n"
            )
            .is_err()
        );
    }
}
