//! Archive references: where a document is kept, as the hierarchy
//! repository → fond → opis → (papka) → delo → folios used by Russian and
//! Soviet archives (and by most citations of them).
//!
//! [`ArchiveRef::parse`] reads one reference written in any of the usual
//! forms, Latin or Cyrillic ("GARF, Fond R-9401ss, Opis' 2, Delo 95, ll.
//! 352-359", "RGASPI F.17 op. 162, d. 20 l. 99", "ГАРФ. Ф. Р-9401сс. Оп. 2.
//! Д. 95. Л. 352–359 об."); [`ArchiveRef::find_in`] finds one inside running
//! text such as a citation. Values are normalised (Cyrillic letters
//! transliterated, dashes unified, "об." → "ob.") so that the same file
//! written two ways lands on the same node of the archive tree; `raw` keeps
//! what was written.

use std::fmt;

use serde::Serialize;

use crate::text::{fold, transliterate_cyrillic};

/// A reference to a unit of an archive.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ArchiveRef {
    /// Canonical short name (`GARF`, `RGASPI`, `AVP RF`) or the name as written.
    pub repository: Option<String>,
    pub fond: Option<String>,
    pub opis: Option<String>,
    pub papka: Option<String>,
    pub delo: Option<String>,
    /// Folio (leaf) numbers: `352-359`, `99`, `12ob.-13`.
    pub folios: Option<String>,
    /// A library's or archive's own shelf mark where the reference has no
    /// fond, opis and delo: `MS. Bodl. 264`, `Cod. Pal. germ. 848`,
    /// `Human Freaks 2 (33)` (IIIF "Shelfmark", "Call Number", "Signatur").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shelfmark: Option<String>,
    /// The reference as written in the source.
    pub raw: String,
}

/// A level of the archive hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Repository,
    Fond,
    Opis,
    Papka,
    Delo,
    Folios,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Self::Repository => "repository",
            Self::Fond => "fond",
            Self::Opis => "opis",
            Self::Papka => "papka",
            Self::Delo => "delo",
            Self::Folios => "folios",
        }
    }
}

/// Well-known repositories: canonical name and the (folded) names and
/// abbreviations they are cited by.
const REPOSITORIES: &[(&str, &[&str])] = &[
    (
        "GARF",
        &[
            "garf",
            "гарф",
            "state archive of the russian federation",
            "gosudarstvennyi arkhiv rossiiskoi federatsii",
            "tsgaor",
            "цгаор",
        ],
    ),
    (
        "RGASPI",
        &[
            "rgaspi",
            "ргаспи",
            "russian state archive of social and political history",
            "rtskhidni",
            "ртцхидни",
            "rgaspi moscow",
        ],
    ),
    (
        "AVP RF",
        &[
            "avp rf",
            "avprf",
            "авп рф",
            "авпрф",
            "archive of foreign policy of the russian federation",
            "foreign policy archive of the russian federation",
        ],
    ),
    (
        "RGANI",
        &[
            "rgani",
            "ргани",
            "russian state archive of contemporary history",
            "tskhsd",
            "цхсд",
        ],
    ),
    (
        "APRF",
        &[
            "aprf",
            "ap rf",
            "апрф",
            "ап рф",
            "archive of the president of the russian federation",
            "presidential archive",
        ],
    ),
    ("RGVA", &["rgva", "ргва", "russian state military archive"]),
    (
        "RGAE",
        &["rgae", "ргаэ", "russian state archive of the economy"],
    ),
    (
        "TsAMO",
        &[
            "tsamo",
            "цамо",
            "central archive of the ministry of defense",
            "central archive of the ministry of defence",
        ],
    ),
    (
        "RGVIA",
        &[
            "rgvia",
            "ргвиа",
            "russian state military historical archive",
        ],
    ),
    (
        "RGIA",
        &["rgia", "ргиа", "russian state historical archive"],
    ),
    (
        "AVPRI",
        &[
            "avpri",
            "авпри",
            "archive of foreign policy of the russian empire",
        ],
    ),
    (
        "TsA FSB",
        &["tsa fsb", "ца фсб", "central archive of the fsb"],
    ),
];

/// The canonical name of a repository written as `name`, if it is a known one.
pub fn canonical_repository(name: &str) -> Option<&'static str> {
    let folded = fold(name);
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    REPOSITORIES.iter().find_map(|(canonical, aliases)| {
        aliases
            .iter()
            .any(|alias| {
                let alias = fold(alias);
                alias == folded || alias.replace(' ', "") == compact
            })
            .then_some(*canonical)
    })
}

/// Whether the repository is a Russian or Soviet state archive (where a
/// document with no stated language is, in practice, in Russian).
pub fn is_russian_repository(name: &str) -> bool {
    canonical_repository(name).is_some()
}

fn keyword(word: &str) -> Option<Level> {
    let w = word.trim_end_matches(['.', ':']).to_lowercase();
    let level = match w.as_str() {
        "fond" | "fonds" | "f" | "ф" | "фонд" | "fd" => Level::Fond,
        "opis'" | "opis’" | "opisʹ" | "opis" | "op" | "оп" | "опись" => Level::Opis,
        "papka" | "p" | "п" | "папка" | "pap" => Level::Papka,
        "delo" | "d" | "д" | "дело" => Level::Delo,
        "ll" | "l" | "л" | "лл" | "листы" | "лист" | "листа" | "list" | "listy" | "fol"
        | "fols" | "ff" | "folio" | "folios" | "fo" => Level::Folios,
        _ => return None,
    };
    Some(level)
}

fn is_verso(word: &str) -> bool {
    matches!(
        word.trim_end_matches(['.', ',', ';'])
            .to_lowercase()
            .as_str(),
        "ob" | "об" | "v" | "verso" | "oborot" | "оборот"
    )
}

/// A word of the input with its byte span.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// Splits on whitespace, commas and semicolons; splits a keyword glued to
/// its value ("F.17", "ф.Р-9401").
fn words(text: &str) -> Vec<Word<'_>> {
    fn push<'t>(text: &'t str, out: &mut Vec<Word<'t>>, s: usize, e: usize) {
        let piece = &text[s..e];
        if let Some(dot) = piece.find('.')
            && dot + 1 < piece.len()
            && keyword(&piece[..dot]).is_some()
            && piece[dot + 1..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        {
            out.push(Word {
                text: &piece[..=dot],
                start: s,
                end: s + dot + 1,
            });
            out.push(Word {
                text: &piece[dot + 1..],
                start: s + dot + 1,
                end: e,
            });
        } else {
            out.push(Word {
                text: piece,
                start: s,
                end: e,
            });
        }
    }
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let separator = c.is_whitespace() || c == ',' || c == ';';
        match (separator, start) {
            (true, Some(s)) => {
                push(text, &mut out, s, i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        push(text, &mut out, s, text.len());
    }
    out
}

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
}

/// Normalises a value: Cyrillic transliterated, dashes unified, verso
/// marks written "ob.", surrounding punctuation removed.
fn normalize_value(value: &str) -> String {
    let mut v = transliterate_cyrillic(value.trim());
    for dash in ['–', '—', '‒', '−'] {
        v = v.replace(dash, "-");
    }
    let v = v.replace(' ', "");
    let v = v.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')'));
    // "352-359." loses its sentence dot, "12ob." keeps its abbreviation dot.
    let v = if v.ends_with("ob.") {
        v
    } else {
        v.trim_end_matches('.')
    };
    v.to_owned()
}

/// One keyword-value pair found in the text.
#[derive(Debug, Clone)]
struct Pair {
    level: Level,
    value: String,
    start: usize,
    end: usize,
}

/// Finds runs of consecutive keyword-value pairs. Returns (pairs, index of
/// the first word after the run) for each run.
fn runs(words: &[Word<'_>]) -> Vec<Vec<Pair>> {
    let mut all = Vec::new();
    let mut current: Vec<Pair> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        let Some(level) = keyword(word.text) else {
            if !current.is_empty() {
                all.push(std::mem::take(&mut current));
            }
            i += 1;
            continue;
        };
        let Some(value_word) = words.get(i + 1).copied().filter(|w| has_digit(w.text)) else {
            if !current.is_empty() {
                all.push(std::mem::take(&mut current));
            }
            i += 1;
            continue;
        };
        let mut value = value_word.text.to_owned();
        let mut end = value_word.end;
        i += 2;
        if level == Level::Folios {
            // "115 - 119", "352 – 359 об.", "12 ob.-13"
            while let Some(next) = words.get(i) {
                let t = next.text;
                let continues_range = (t == "-" || t == "–" || t == "—")
                    && words.get(i + 1).is_some_and(|w| has_digit(w.text));
                if continues_range {
                    value.push('-');
                    value.push_str(words[i + 1].text);
                    end = words[i + 1].end;
                    i += 2;
                } else if t.starts_with(['-', '–']) && has_digit(t) && !value.ends_with(['.', ','])
                {
                    value.push_str(t);
                    end = next.end;
                    i += 1;
                } else if is_verso(t) {
                    value.push_str("ob.");
                    end = next.start + t.trim_end_matches([',', ';']).len();
                    i += 1;
                } else {
                    break;
                }
            }
        }
        let value = normalize_value(&value);
        if value.is_empty() || current.iter().any(|p| p.level == level) {
            if !current.is_empty() {
                all.push(std::mem::take(&mut current));
            }
            if value.is_empty() {
                continue;
            }
        }
        current.push(Pair {
            level,
            value,
            start: word.start,
            end,
        });
    }
    if !current.is_empty() {
        all.push(current);
    }
    all
}

/// Drops a sentence-ending dot, but not the dot of a verso mark ("12 об.").
fn trim_sentence_dot(s: &str) -> &str {
    let s = s.trim_end();
    if s.ends_with("ob.") || s.ends_with("об.") {
        s
    } else {
        s.trim_end_matches('.')
    }
}

impl ArchiveRef {
    /// Parses a reference that stands on its own (a metadata field). Text
    /// with no hierarchy keywords is taken as a repository name.
    pub fn parse(text: &str) -> Option<Self> {
        let trimmed = trim_sentence_dot(text.trim());
        if trimmed.is_empty() {
            return None;
        }
        let ws = words(trimmed);
        let found = runs(&ws).into_iter().next();
        let Some(pairs) = found else {
            return Some(Self {
                repository: Some(repository_name(trimmed)),
                raw: trimmed.to_owned(),
                ..Self::default()
            });
        };
        let first = pairs.first().map_or(0, |p| p.start);
        let repository = repository_before(&trimmed[..first]).map(|(name, _)| name);
        let mut reference = Self {
            repository,
            raw: trimmed.to_owned(),
            ..Self::default()
        };
        reference.apply(&pairs);
        Some(reference)
    }

    /// Finds the first archive reference in running text (a citation, the
    /// last lines of a clip). Needs a fond and at least one of opis, delo or
    /// folios, so that "p. 174" in a footnote is not mistaken for one.
    pub fn find_in(text: &str) -> Option<Self> {
        let ws = words(text);
        for pairs in runs(&ws) {
            let has = |level| pairs.iter().any(|p| p.level == level);
            if !(has(Level::Fond) && (has(Level::Opis) || has(Level::Delo) || has(Level::Folios))) {
                continue;
            }
            let first = pairs.first().map_or(0, |p| p.start);
            let last = pairs.last().map_or(text.len(), |p| p.end);
            let line_start = text[..first].rfind('\n').map_or(0, |i| i + 1);
            let before = &text[line_start..first];
            let (repository, repo_start) = match repository_before(before) {
                Some((name, offset)) => (Some(name), line_start + offset),
                None => (None, first),
            };
            let raw = trim_sentence_dot(text[repo_start..last].trim().trim_end_matches([',', ';']))
                .to_owned();
            let mut reference = Self {
                repository,
                raw,
                ..Self::default()
            };
            reference.apply(&pairs);
            return Some(reference);
        }
        None
    }

    fn apply(&mut self, pairs: &[Pair]) {
        for pair in pairs {
            let slot = match pair.level {
                Level::Repository => &mut self.repository,
                Level::Fond => &mut self.fond,
                Level::Opis => &mut self.opis,
                Level::Papka => &mut self.papka,
                Level::Delo => &mut self.delo,
                Level::Folios => &mut self.folios,
            };
            slot.get_or_insert_with(|| pair.value.clone());
        }
    }

    /// The node path in the archive tree: repository, fond, opis, papka
    /// (only when present), delo; missing inner levels are `?`, missing
    /// trailing levels are left out.
    pub fn tree_path(&self) -> Vec<String> {
        let unknown = || "?".to_owned();
        if let Some(mark) = self.shelfmark.as_ref().filter(|_| self.fond.is_none()) {
            return vec![
                self.repository.clone().unwrap_or_else(unknown),
                mark.clone(),
            ];
        }
        let mut path = vec![
            self.repository.clone().unwrap_or_else(unknown),
            self.fond.clone().unwrap_or_else(unknown),
            self.opis.clone().unwrap_or_else(unknown),
        ];
        if let Some(papka) = &self.papka {
            path.push(papka.clone());
        }
        path.push(self.delo.clone().unwrap_or_else(unknown));
        while path.last().is_some_and(|s| s == "?") {
            path.pop();
        }
        path
    }

    /// A short label in the conventional English form:
    /// `GARF f. R-9401ss, op. 2, d. 95, ll. 352-359`.
    pub fn short(&self) -> String {
        let mut parts = Vec::new();
        if let Some(mark) = &self.shelfmark {
            // A library's shelf mark follows its name after a comma.
            return match &self.repository {
                Some(repo) => format!("{repo}, {mark}"),
                None => mark.clone(),
            };
        }
        for (prefix, value) in [
            ("f.", &self.fond),
            ("op.", &self.opis),
            ("p.", &self.papka),
            ("d.", &self.delo),
        ] {
            if let Some(v) = value {
                parts.push(format!("{prefix} {v}"));
            }
        }
        if let Some(folios) = &self.folios {
            let single = !folios.contains(['-', ',']);
            parts.push(format!("{} {folios}", if single { "l." } else { "ll." }));
        }
        match (&self.repository, parts.is_empty()) {
            (Some(repo), true) => repo.clone(),
            (Some(repo), false) => format!("{repo} {}", parts.join(", ")),
            (None, false) => parts.join(", "),
            (None, true) => self.raw.clone(),
        }
    }
}

impl fmt::Display for ArchiveRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.short())
    }
}

/// The canonical name of a known repository, else the name as written.
fn repository_name(written: &str) -> String {
    canonical_repository(written)
        .map_or_else(|| crate::text::squash_whitespace(written), str::to_owned)
}

/// The repository named just before the first keyword of a reference:
/// the last comma/semicolon/colon-separated segment, or the longest known
/// alias it ends with. Returns the name and its byte offset in `before`.
fn repository_before(before: &str) -> Option<(String, usize)> {
    let trimmed_len = before
        .trim_end()
        .trim_end_matches([',', ';', '.', ':'])
        .trim_end()
        .len();
    let segment_start = before[..trimmed_len]
        .rfind([',', ';', ':', '(', '"', '“', '”', '\n'])
        .map_or(0, |i| {
            // step over the separator character
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let segment = &before[segment_start..trimmed_len];
    let segment_trim_start = segment.len() - segment.trim_start().len();
    let segment = segment.trim();
    if segment.is_empty() {
        return None;
    }
    // "... History (RGASPI)" or the whole segment as a known alias.
    if let Some(canonical) = canonical_repository(segment) {
        return Some((canonical.to_owned(), segment_start + segment_trim_start));
    }
    // Longest known alias among the segment's last words ("kept in GARF").
    let seg_words = word_spans(segment);
    for take in (1..=seg_words.len().min(8)).rev() {
        let (offset, _) = seg_words[seg_words.len() - take];
        if let Some(canonical) = canonical_repository(&segment[offset..]) {
            return Some((
                canonical.to_owned(),
                segment_start + segment_trim_start + offset,
            ));
        }
    }
    let word_count = seg_words.len();
    let starts_upper = segment.chars().next().is_some_and(char::is_uppercase);
    if word_count <= 6 && starts_upper && !segment.ends_with('.') {
        return Some((
            crate::text::squash_whitespace(segment),
            segment_start + segment_trim_start,
        ));
    }
    // An acronym right before the keyword: "... in RGAE f. 1562".
    let (offset, last) = *seg_words.last()?;
    let is_acronym =
        last.chars().count() >= 3 && last.chars().all(|c| c.is_uppercase() || c == '-');
    is_acronym.then(|| (last.to_owned(), segment_start + segment_trim_start + offset))
}

/// The words of `s` (split on whitespace) with their byte offsets.
fn word_spans(s: &str) -> Vec<(usize, &str)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                spans.push((st, &s[st..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        spans.push((st, &s[st..]));
    }
    spans
}

/// A position in the archive tree to filter by: a path of node names
/// (`GARF/R-9401ss/2`) compared level by level, or a reference written in
/// words (`RGASPI F. 17`) whose leading levels are used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivePrefix {
    segments: Vec<String>,
}

impl ArchivePrefix {
    pub fn parse(text: &str) -> Option<Self> {
        let trimmed = text.trim().trim_matches('/');
        if trimmed.is_empty() {
            return None;
        }
        let segments: Vec<String> = if trimmed.contains('/')
            || ArchiveRef::parse(trimmed).is_some_and(|r| r.fond.is_none())
        {
            trimmed
                .split('/')
                .map(str::trim)
                .map(str::to_owned)
                .collect()
        } else {
            let reference = ArchiveRef::parse(trimmed)?;
            reference.tree_path()
        };
        Some(Self {
            segments: segments
                .iter()
                .enumerate()
                .map(|(i, s)| node_key(i, s))
                .collect(),
        })
    }

    /// Whether the reference lies in this subtree.
    pub fn matches(&self, reference: &ArchiveRef) -> bool {
        let path = reference.tree_path();
        path.len() >= self.segments.len()
            && self
                .segments
                .iter()
                .zip(path.iter().enumerate())
                .all(|(want, (i, have))| *want == node_key(i, have))
    }

    pub fn depth(&self) -> usize {
        self.segments.len()
    }

    /// The prefix naming one node of the tree by its path of labels, root
    /// first (what a click in the archive panel picks).
    pub fn from_path<'a>(labels: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            segments: labels
                .into_iter()
                .enumerate()
                .map(|(i, s)| node_key(i, s))
                .collect(),
        }
    }

    /// Whether a node labelled `label` at `level` (0 = repository) is the
    /// one this prefix names there.
    pub fn segment_matches(&self, level: usize, label: &str) -> bool {
        self.segments
            .get(level)
            .is_some_and(|want| *want == node_key(level, label))
    }
}

/// The comparison key of a tree node: repositories by canonical name,
/// other levels folded and without spaces (`R-9401ss` = `Р-9401сс` = `r9401ss`).
fn node_key(level_index: usize, name: &str) -> String {
    let canonical = if level_index == 0 {
        canonical_repository(name).map(str::to_owned)
    } else {
        None
    };
    let folded = fold(canonical.as_deref().unwrap_or(name));
    folded.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ArchiveRef {
        ArchiveRef::parse(s).unwrap_or_default()
    }

    fn fields(r: &ArchiveRef) -> [Option<&str>; 6] {
        [
            r.repository.as_deref(),
            r.fond.as_deref(),
            r.opis.as_deref(),
            r.papka.as_deref(),
            r.delo.as_deref(),
            r.folios.as_deref(),
        ]
    }

    #[test]
    fn every_written_form() {
        let cases: &[(&str, [Option<&str>; 6])] = &[
            (
                "GARF, Fond R-9401ss, Opis' 2, Delo 95, ll. 352-359",
                [
                    Some("GARF"),
                    Some("R-9401ss"),
                    Some("2"),
                    None,
                    Some("95"),
                    Some("352-359"),
                ],
            ),
            (
                "RGASPI F. 17, Op. 128, D. 391, ll. 115-119",
                [
                    Some("RGASPI"),
                    Some("17"),
                    Some("128"),
                    None,
                    Some("391"),
                    Some("115-119"),
                ],
            ),
            (
                "RGASPI F.17 op. 162, d. 20 l. 99",
                [
                    Some("RGASPI"),
                    Some("17"),
                    Some("162"),
                    None,
                    Some("20"),
                    Some("99"),
                ],
            ),
            (
                "ГАРФ. Ф. Р-9401сс. Оп. 2. Д. 95. Л. 352–359 об.",
                [
                    Some("GARF"),
                    Some("R-9401ss"),
                    Some("2"),
                    None,
                    Some("95"),
                    Some("352-359ob."),
                ],
            ),
            (
                "АВП РФ, ф. 0100, оп. 34, п. 253, д. 18, л. 5-7",
                [
                    Some("AVP RF"),
                    Some("0100"),
                    Some("34"),
                    Some("253"),
                    Some("18"),
                    Some("5-7"),
                ],
            ),
            (
                "AVP RF, F. 07, Op. 23a, P. 18, D. 235, Ll. 38-39",
                [
                    Some("AVP RF"),
                    Some("07"),
                    Some("23a"),
                    Some("18"),
                    Some("235"),
                    Some("38-39"),
                ],
            ),
            (
                "f. 558, op. 11, d. 65, ll. 1-3ob.",
                [
                    None,
                    Some("558"),
                    Some("11"),
                    None,
                    Some("65"),
                    Some("1-3ob."),
                ],
            ),
            (
                "RGANI Fond 5, Opis 30, Delo 15, Listy 12-15",
                [
                    Some("RGANI"),
                    Some("5"),
                    Some("30"),
                    None,
                    Some("15"),
                    Some("12-15"),
                ],
            ),
            (
                "Фонд Р-9401, опись 2, дело 64, листы 115 - 119",
                [
                    None,
                    Some("R-9401"),
                    Some("2"),
                    None,
                    Some("64"),
                    Some("115-119"),
                ],
            ),
            (
                "RGASPI, f. 17, op. 3, d. 1080, l. 12 ob.",
                [
                    Some("RGASPI"),
                    Some("17"),
                    Some("3"),
                    None,
                    Some("1080"),
                    Some("12ob."),
                ],
            ),
            (
                "Papka 12, Delo 3",
                [None, None, None, Some("12"), Some("3"), None],
            ),
        ];
        for (text, expected) in cases {
            let r = parse(text);
            assert_eq!(fields(&r), *expected, "{text}");
            assert_eq!(r.raw, *text, "{text}");
        }
    }

    #[test]
    fn repository_aliases() {
        assert_eq!(canonical_repository("ГАРФ"), Some("GARF"));
        assert_eq!(canonical_repository("garf"), Some("GARF"));
        assert_eq!(
            canonical_repository("State Archive of the Russian Federation"),
            Some("GARF")
        );
        assert_eq!(canonical_repository("АВП РФ"), Some("AVP RF"));
        assert_eq!(canonical_repository("AVPRF"), Some("AVP RF"));
        assert_eq!(canonical_repository("Wilson Center"), None);
        assert_eq!(parse("ГАРФ").repository.as_deref(), Some("GARF"));
        assert_eq!(
            parse("Hoover Institution Archives").repository.as_deref(),
            Some("Hoover Institution Archives")
        );
    }

    #[test]
    fn finds_references_in_citations() {
        let citation = "\"Letter from Alihan Tore to Commander-in-Chief Marshal Stalin\", April 22, 1945, Wilson Center Digital Archive, GARF, Fond R-9401ss, Opis' 2, Delo 95, ll. 352-359. Obtained by Jamil Hasanli and translated by Gary Goldberg.";
        let r = ArchiveRef::find_in(citation).unwrap_or_default();
        assert_eq!(r.raw, "GARF, Fond R-9401ss, Opis' 2, Delo 95, ll. 352-359");
        assert_eq!(r.repository.as_deref(), Some("GARF"));
        assert_eq!(r.folios.as_deref(), Some("352-359"));

        let line = "RGASPI F.17 op. 162, d. 20 l. 99. Obtained by Jamil Hasanli and translated by Gary Goldberg.";
        let r = ArchiveRef::find_in(line).unwrap_or_default();
        assert_eq!(r.raw, "RGASPI F.17 op. 162, d. 20 l. 99");
        assert_eq!(r.delo.as_deref(), Some("20"));

        let prose = "The file is kept in the Russian State Archive of Social and Political History (RGASPI), f. 17, op. 3, d. 1080.";
        let r = ArchiveRef::find_in(prose).unwrap_or_default();
        assert_eq!(r.repository.as_deref(), Some("RGASPI"));
        assert_eq!(r.fond.as_deref(), Some("17"));
    }

    #[test]
    fn no_reference_in_ordinary_text() {
        for text in [
            "Forbes 1986, p. 174",
            "Donald H. McMillen, Chinese Communist Power and Policy in Xinjiang, 1949–1977 (Boulder, Colorado: Westview Press, 1979), p. 30.",
            "He was born in Ghulja in 1914.",
            "d. 1949",
            "",
        ] {
            assert_eq!(ArchiveRef::find_in(text), None, "{text}");
        }
    }

    #[test]
    fn tree_paths_and_prefixes() {
        let r = parse("GARF, Fond R-9401ss, Opis' 2, Delo 95, ll. 352-359");
        assert_eq!(r.tree_path(), ["GARF", "R-9401ss", "2", "95"]);
        assert_eq!(r.short(), "GARF f. R-9401ss, op. 2, d. 95, ll. 352-359");
        let cyr = parse("ГАРФ. Ф. Р-9401сс. Оп. 2. Д. 95. Л. 352–359 об.");
        for prefix in [
            "GARF",
            "GARF/R-9401ss",
            "ГАРФ/Р-9401сс/2",
            "garf/r9401ss/2/95",
            "GARF F. R-9401ss",
        ] {
            let p = ArchivePrefix::parse(prefix);
            assert!(
                p.as_ref().is_some_and(|p| p.matches(&r)),
                "{prefix} vs latin"
            );
            assert!(
                p.as_ref().is_some_and(|p| p.matches(&cyr)),
                "{prefix} vs cyrillic"
            );
        }
        for prefix in [
            "RGASPI",
            "GARF/R-9401",
            "GARF/R-9401ss/3",
            "GARF/R-9401ss/2/95/1",
        ] {
            assert!(
                !ArchivePrefix::parse(prefix).is_some_and(|p| p.matches(&r)),
                "{prefix}"
            );
        }
        let with_papka = parse("AVP RF, f. 0100, op. 34, p. 253, d. 18");
        assert_eq!(
            with_papka.tree_path(),
            ["AVP RF", "0100", "34", "253", "18"]
        );
        let no_repo = parse("f. 17, d. 3");
        assert_eq!(no_repo.tree_path(), ["?", "17", "?", "3"]);
    }
}
