//! What a hit shows: the query's words found again in a text, by the
//! same analysers that indexed it ([`Highlighter`], [`highlights`]), and
//! a snippet around the first of them ([`snippet`]).

use std::ops::Range;

use super::analysis::{self, Analysis, latin, sound_key, terms, words};
use super::query::{Clause, SearchQuery};

/// The search terms of a query in comparable forms, for highlighting.
#[derive(Default)]
pub struct Highlighter {
    /// English and Russian stemmers, built once per highlighter.
    stemmers: Option<
        std::cell::RefCell<(
            tantivy::tokenizer::TextAnalyzer,
            tantivy::tokenizer::TextAnalyzer,
        )>,
    >,
    /// Folded Latin words, with whether they are prefixes.
    latin: Vec<(String, bool)>,
    sounds: Vec<String>,
    stems: Vec<String>,
    /// The first two letters (lowercase) of each stem: a word that does
    /// not start with one of them cannot stem to it, so it is not stemmed
    /// (stemming every word of every layer was most of a search's time).
    stem_heads: Vec<[char; 2]>,
    /// Han runs, found as substrings.
    han: Vec<String>,
    /// Names of several words, found only as those words in a row (folded).
    phrases: Vec<Vec<String>>,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter")
            .field("latin", &self.latin)
            .field("sounds", &self.sounds)
            .field("stems", &self.stems)
            .field("han", &self.han)
            .field("phrases", &self.phrases)
            .finish_non_exhaustive()
    }
}

impl Highlighter {
    pub fn new(query: &SearchQuery) -> Self {
        let mut h = Self::default();
        let mut en = Analysis::English.analyzer();
        let mut ru = Analysis::Russian.analyzer();
        for clause in &query.required {
            match clause {
                Clause::Word { text, prefix } => h.add_words(text, *prefix, &mut en, &mut ru),
                Clause::Phrase(text) => h.add_words(text, false, &mut en, &mut ru),
                Clause::AnyOf(names) => {
                    for name in names {
                        h.add_name(name, &mut en, &mut ru);
                    }
                }
            }
        }
        h.han.dedup();
        h.stem_heads = h.stems.iter().map(|stem| head(stem)).collect();
        h.stem_heads.dedup();
        if !h.stems.is_empty() {
            h.stemmers = Some(std::cell::RefCell::new((en, ru)));
        }
        h
    }

    /// Each word of `text`, found on its own.
    fn add_words(
        &mut self,
        text: &str,
        prefix: bool,
        en: &mut tantivy::tokenizer::TextAnalyzer,
        ru: &mut tantivy::tokenizer::TextAnalyzer,
    ) {
        for (a, b) in words(text) {
            let word = &text[a..b];
            if word.chars().next().is_some_and(analysis::is_han) {
                self.han.push(word.to_owned());
                continue;
            }
            let folded = latin(word);
            if folded.is_empty() {
                continue;
            }
            if !prefix {
                let key = sound_key(&folded);
                if key.chars().count() >= 3 {
                    self.sounds.push(key);
                }
                self.stems.extend(terms(en, word));
                self.stems.extend(terms(ru, word));
            }
            self.latin.push((folded, prefix));
        }
    }

    /// A name of an authority entry: one word is found like a searched
    /// word (in any case ending), a name in Chinese characters as written,
    /// and a name of several words only as those words in a row.
    fn add_name(
        &mut self,
        name: &str,
        en: &mut tantivy::tokenizer::TextAnalyzer,
        ru: &mut tantivy::tokenizer::TextAnalyzer,
    ) {
        let spans = words(name);
        if spans
            .iter()
            .any(|&(a, b)| name[a..b].chars().next().is_some_and(analysis::is_han))
        {
            self.han.push(name.trim().to_owned());
        } else if spans.len() == 1 {
            self.add_words(name, false, en, ru);
        } else {
            let folded: Vec<String> = spans.iter().map(|&(a, b)| latin(&name[a..b])).collect();
            if folded.iter().all(|w| !w.is_empty()) {
                self.phrases.push(folded);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.latin.is_empty() && self.han.is_empty() && self.phrases.is_empty()
    }

    /// Byte ranges of the hits in `text`, in order.
    pub fn hits(&self, text: &str) -> Vec<Range<usize>> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut stemmers = self.stemmers.as_ref().map(std::cell::RefCell::borrow_mut);
        let mut out = Vec::new();
        // The text's words, folded, when names of several words are looked for.
        let mut in_row: Vec<(usize, usize, String)> = Vec::new();
        for (a, b) in words(text) {
            let word = &text[a..b];
            if word.chars().next().is_some_and(analysis::is_han) {
                continue;
            }
            let folded = latin(word);
            if folded.is_empty() {
                continue;
            }
            if !self.phrases.is_empty() {
                in_row.push((a, b, folded.clone()));
            }
            let hit = self.latin.iter().any(|(q, prefix)| {
                if *prefix {
                    folded.starts_with(q.as_str())
                } else {
                    folded == *q
                }
            }) || (!self.sounds.is_empty()
                // Only names have sound keys in the index too.
                && analysis::is_name_like(word)
                && self.sounds.contains(&sound_key(&folded)))
                || (self.stem_heads.contains(&head(word))
                    && stemmers.as_mut().is_some_and(|pair| {
                        let (en, ru) = &mut **pair;
                        terms(en, word).iter().any(|s| self.stems.contains(s))
                            || terms(ru, word).iter().any(|s| self.stems.contains(s))
                    }));
            if hit {
                out.push(a..b);
            }
        }
        for phrase in &self.phrases {
            for window in in_row.windows(phrase.len()) {
                if window.iter().zip(phrase).all(|((_, _, w), p)| w == p)
                    && let (Some(first), Some(last)) = (window.first(), window.last())
                {
                    out.push(first.0..last.1);
                }
            }
        }
        for han in &self.han {
            let mut from = 0;
            while let Some(at) = text[from..].find(han.as_str()) {
                out.push(from + at..from + at + han.len());
                from += at + han.len();
            }
        }
        out.sort_by_key(|r| r.start);
        // A name of several words may hold a word found on its own.
        out.dedup_by(|later, earlier| {
            let overlaps = later.start < earlier.end;
            if overlaps {
                earlier.end = earlier.end.max(later.end);
            }
            overlaps
        });
        out
    }
}

/// The first two letters of a word, lowercase (a one-letter word pads
/// with a space).
fn head(word: &str) -> [char; 2] {
    let mut letters = word.chars().flat_map(char::to_lowercase);
    [letters.next().unwrap_or(' '), letters.next().unwrap_or(' ')]
}

/// Hits of `query` in `text` (byte ranges).
pub fn highlights(query: &SearchQuery, text: &str) -> Vec<Range<usize>> {
    Highlighter::new(query).hits(text)
}

/// About `width` bytes of `text` on one line around the first hit, with
/// the hits inside it (relative to the snippet).
/// Characters of context a snippet keeps before its first hit.
const CONTEXT_BEFORE: usize = 30;

pub fn snippet(text: &str, hits: &[Range<usize>], width: usize) -> (String, Vec<Range<usize>>) {
    let first = hits.first().map_or(0, |r| r.start).min(text.len());
    // A list row shows a snippet's beginning, cut at its width: the first
    // hit comes after a few words, never past the middle of a narrow row.
    let mut start = text
        .get(..first)
        .and_then(|before| before.char_indices().rev().nth(CONTEXT_BEFORE - 1))
        .map_or(0, |(i, _)| i);
    // Start at a word boundary.
    if start > 0
        && let Some(space) = text[start..first].find(char::is_whitespace)
    {
        start += space + 1;
    }
    let mut end = (start + width).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len()
        && let Some(space) = text[start..end].rfind(char::is_whitespace)
        && start + space > first
    {
        end = start + space;
    }
    let mut out = String::new();
    let mut ranges = Vec::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for hit in hits.iter().filter(|h| h.start >= start && h.end <= end) {
        push_line(&mut out, &text[at..hit.start]);
        let from = out.len();
        out.push_str(&text[hit.clone()]);
        ranges.push(from..out.len());
        at = hit.end;
    }
    push_line(&mut out, &text[at..end]);
    if end < text.len() {
        out.push('…');
    }
    (out, ranges)
}

/// Appends `text` with line breaks as spaces.
fn push_line(out: &mut String, text: &str) {
    for c in text.chars() {
        out.push(if c.is_whitespace() { ' ' } else { c });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_brings_its_first_hit_near_the_start() {
        let text = format!(
            "{} Ghulja [Yining] and more words after it",
            "слово ".repeat(60)
        );
        let at = text.find("Ghulja").unwrap_or_default();
        let hit = at..at + "Ghulja".len();
        let (out, ranges) = snippet(&text, std::slice::from_ref(&hit), 220);
        let before = out[..ranges[0].start].chars().count();
        assert!(
            before <= CONTEXT_BEFORE + 1,
            "{before} characters before the hit: {out}"
        );
        assert!(
            out.starts_with('…') && out.contains("Ghulja [Yining]"),
            "{out}"
        );
        // A hit near the start keeps the text from its beginning.
        let hit = 0..6;
        let (out, _) = snippet("Kuldja is a city.", std::slice::from_ref(&hit), 220);
        assert_eq!(out, "Kuldja is a city.");
    }
}
