//! How text becomes search terms. Each text is indexed twice: once in the
//! field of its language (English and Russian stemmed, Chinese as character
//! bigrams, Arabic script normalised), and once script-free: every word
//! transliterated to Latin and folded (`Касыми` → `kasymi`, `قاسىمى` →
//! `qasimi`) and reduced to a sound key (`Qasimi`, `Касыми`, `Qasim` →
//! `kasim`; `Tore`, `Тюря` → `tor`; `Kuldja`, `Кульджа` → `kolj`), so a name
//! spelled in one script finds it in another.
//!
//! The same functions analyse the query and highlight hits, so what is
//! found is what is shown.

use tantivy::tokenizer::{
    Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// The language fields of the index, by analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Analysis {
    English,
    Russian,
    Chinese,
    Arabic,
    Other,
}

impl Analysis {
    pub const ALL: [Self; 5] = [
        Self::English,
        Self::Russian,
        Self::Chinese,
        Self::Arabic,
        Self::Other,
    ];

    /// The analysis for a text in `language` (a BCP 47 tag).
    pub fn for_language(language: &str) -> Self {
        match crate::text::primary_subtag(language)
            .to_ascii_lowercase()
            .as_str()
        {
            "en" => Self::English,
            "ru" | "uk" | "be" => Self::Russian,
            "zh" | "ja" => Self::Chinese,
            "ug" | "ar" | "fa" | "ur" | "ps" => Self::Arabic,
            _ => Self::Other,
        }
    }

    /// The index field (and tokenizer) name.
    pub fn field(self) -> &'static str {
        match self {
            Self::English => "text_en",
            Self::Russian => "text_ru",
            Self::Chinese => "text_zh",
            Self::Arabic => "text_ar",
            Self::Other => "text_other",
        }
    }

    /// The analyser of the field.
    pub fn analyzer(self) -> TextAnalyzer {
        match self {
            Self::English => TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::English))
                .build(),
            Self::Russian => TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::Russian))
                .build(),
            Self::Chinese => TextAnalyzer::from(WordTokenizer(WordKind::Cjk)),
            Self::Arabic => TextAnalyzer::from(WordTokenizer(WordKind::Arabic)),
            Self::Other => TextAnalyzer::from(WordTokenizer(WordKind::Lower)),
        }
    }
}

/// Tokenizer name of the script-free folded field.
pub const FOLDED: &str = "folio_folded";
/// Tokenizer name of the sound-key field.
pub const SOUND: &str = "folio_sound";
/// Tokenizer name of the people field: every word folded to Latin, Han
/// characters as bigrams.
pub const NAMES: &str = "folio_names";

/// Every analyser folio registers, by name.
pub fn analyzers() -> Vec<(&'static str, TextAnalyzer)> {
    let mut all: Vec<(&'static str, TextAnalyzer)> = Analysis::ALL
        .iter()
        .map(|a| (a.field(), a.analyzer()))
        .collect();
    all.push((FOLDED, TextAnalyzer::from(WordTokenizer(WordKind::Folded))));
    all.push((SOUND, TextAnalyzer::from(WordTokenizer(WordKind::Sound))));
    all.push((NAMES, TextAnalyzer::from(WordTokenizer(WordKind::Names))));
    all
}

/// The terms `analyzer` makes of `text`, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Words of `text` as byte ranges: runs of letters, digits and marks
/// (apostrophes inside a word included); each Han character is a word.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_han(c) {
            if let Some(s) = start.take() {
                out.push((s, i));
            }
            out.push((i, i + c.len_utf8()));
            continue;
        }
        let inner_apostrophe = matches!(c, '\'' | '’' | 'ʼ')
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| is_word_char(*n));
        if is_word_char(c) || is_mark(c) || inner_apostrophe || c == '\u{200C}' {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// A word that may be a name: it starts with a capital, or its script has
/// no capitals (Arabic).
pub fn is_name_like(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// A letter or digit; the common scripts are decided by range, because
/// `char::is_alphanumeric` looks most letters up in a slow table.
fn is_word_char(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F => true,
        0x400..=0x481 | 0x48A..=0x52F => true,
        0x620..=0x64A | 0x660..=0x669 | 0x671..=0x6D3 => true,
        _ => c.is_alphanumeric(),
    }
}

pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x064B..=0x065F | 0x0670)
}

/// A word in Latin letters, folded: Cyrillic and Uyghur Arabic script
/// transliterated, lowercase, no diacritics (`Касыми` → `kasymi`,
/// `قاسىمى` → `qasimi`).
pub fn latin(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if let Some(latin) = crate::text::cyrillic_to_latin(c) {
            // The table maps capitals to capitals (Ш → Sh).
            out.extend(
                latin
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|l| l.to_ascii_lowercase()),
            );
        } else if let Some(latin) = uyghur_to_latin(c) {
            out.push_str(latin);
        } else {
            // Latin with diacritics and other scripts: decompose, drop marks.
            for d in std::iter::once(c).nfkd() {
                if d.is_alphanumeric() && !is_mark(d) {
                    out.extend(d.to_lowercase());
                }
            }
        }
    }
    out
}

/// Uyghur Arabic script to Uyghur Latin (ULY), letter by letter.
fn uyghur_to_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'ا' | 'أ' | 'إ' | 'آ' => "a",
        'ە' | 'ه' => "e",
        'ب' => "b",
        'پ' => "p",
        'ت' => "t",
        'ج' => "j",
        'چ' => "ch",
        'خ' => "x",
        'د' => "d",
        'ر' => "r",
        'ز' => "z",
        'ژ' => "zh",
        'س' => "s",
        'ش' => "sh",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "q",
        'ك' | 'ک' => "k",
        'گ' => "g",
        'ڭ' => "ng",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'ھ' | 'ح' => "h",
        'و' => "o",
        'ۇ' => "u",
        'ۆ' => "o",
        'ۈ' => "u",
        'ۋ' => "w",
        'ې' => "e",
        'ى' => "i",
        'ي' | 'ی' => "y",
        'ئ' | 'ء' | 'ـ' => "",
        _ => return None,
    })
}

/// The sound key of a folded Latin word: consonants spelled alike in
/// different transliterations merged (`q`/`k`, `dzh`/`dj`/`j`, `kh`/`x`/`h`),
/// `y` before a vowel and `i` before a back vowel dropped, vowels in three classes (a e · i y · o u),
/// doubled letters collapsed and a final vowel dropped.
pub fn sound_key(latin: &str) -> String {
    let bytes: Vec<char> = latin.chars().collect();
    let mut key = String::with_capacity(latin.len());
    let mut i = 0;
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    while i < bytes.len() {
        let rest = &bytes[i..];
        let starts = |s: &str| {
            let mut pattern = s.chars();
            let mut at = rest.iter();
            loop {
                match (pattern.next(), at.next()) {
                    (None, _) => return true,
                    (Some(p), Some(&r)) if p == r => {}
                    _ => return false,
                }
            }
        };
        let (class, used) = if starts("shch") {
            ('s', 4)
        } else if starts("dzh") {
            ('j', 3)
        } else if starts("dj") || starts("zh") {
            ('j', 2)
        } else if starts("kh") || starts("gh") {
            ('h', 2)
        } else if starts("sh") || starts("ch") || starts("ts") {
            (if starts("ch") { 'c' } else { 's' }, 2)
        } else if starts("ph") {
            ('f', 2)
        } else {
            let c = rest[0];
            let class = match c {
                // The glide of я ю ё: `ya`, `iu`, `yo` sound like the vowel.
                'y' if rest.get(1).copied().is_some_and(is_vowel) => {
                    i += 1;
                    continue;
                }
                'i' if rest.get(1).is_some_and(|n| matches!(n, 'a' | 'o' | 'u')) => {
                    i += 1;
                    continue;
                }
                'a' | 'e' => 'a',
                'i' | 'y' => 'i',
                'o' | 'u' => 'o',
                'q' | 'k' | 'c' => 'k',
                'x' | 'h' => 'h',
                'w' | 'v' => 'v',
                other => other,
            };
            (class, 1)
        };
        if !key.ends_with(class) {
            key.push(class);
        }
        i += used;
    }
    if key.chars().count() > 2 && key.ends_with(['a', 'i', 'o']) {
        key.pop();
    }
    key
}

/// What a [`WordTokenizer`] emits for each word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordKind {
    /// Lowercase words.
    Lower,
    /// Lowercase words; Han characters as overlapping bigrams.
    Cjk,
    /// Arabic script normalised: optional vowel marks and tatweel removed,
    /// presentation forms and alef variants unified.
    Arabic,
    /// Folded Latin ([`latin`]); Han characters skipped.
    Folded,
    /// Sound keys ([`sound_key`]) of words of three or more letters.
    Sound,
    /// Every word folded to Latin; Han characters as bigrams.
    Names,
}

/// A tokenizer over [`words`] (one stream type for all of folio's kinds).
#[derive(Debug, Clone, Copy)]
struct WordTokenizer(WordKind);

/// Tokens made in advance, handed out one by one.
#[derive(Debug)]
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        let push = |from: usize, to: usize, text: String, tokens: &mut Vec<Token>| {
            if !text.is_empty() {
                let position = tokens.len();
                tokens.push(Token {
                    offset_from: from,
                    offset_to: to,
                    position,
                    text,
                    position_length: 1,
                });
            }
        };
        let spans = words(text);
        let mut i = 0;
        while i < spans.len() {
            let (from, to) = spans[i];
            let word = &text[from..to];
            let han = word.chars().next().is_some_and(is_han);
            match (self.0, han) {
                (WordKind::Cjk | WordKind::Names, true) => {
                    // A run of Han characters: bigrams, or the lone character.
                    let mut run = vec![(from, to)];
                    while let Some(&(f, t)) = spans.get(i + run.len()) {
                        if f == run[run.len() - 1].1
                            && text[f..t].chars().next().is_some_and(is_han)
                        {
                            run.push((f, t));
                        } else {
                            break;
                        }
                    }
                    if run.len() == 1 {
                        push(from, to, word.to_owned(), &mut tokens);
                    }
                    for pair in run.windows(2) {
                        push(
                            pair[0].0,
                            pair[1].1,
                            text[pair[0].0..pair[1].1].to_owned(),
                            &mut tokens,
                        );
                    }
                    i += run.len();
                    continue;
                }
                (WordKind::Folded | WordKind::Sound, true) => {}
                (WordKind::Lower | WordKind::Cjk, false) => {
                    push(from, to, word.to_lowercase(), &mut tokens);
                }
                (WordKind::Arabic, _) => push(from, to, normalize_arabic(word), &mut tokens),
                // Latin-script words are found through the language
                // fields already; the folded field is for other scripts.
                (WordKind::Folded, false) if !word.is_ascii() => {
                    push(from, to, latin(word), &mut tokens);
                }
                (WordKind::Folded, false) => {}
                (WordKind::Names, false) => push(from, to, latin(word), &mut tokens),
                // Sound keys are for names: capitalised words, and every
                // word of caseless scripts (Arabic).
                (WordKind::Sound, false) if is_name_like(word) => {
                    let key = sound_key(&latin(word));
                    if key.chars().count() >= 2 {
                        push(from, to, key, &mut tokens);
                    }
                }
                (WordKind::Sound, false) => {}
                (WordKind::Lower, true) => push(from, to, word.to_owned(), &mut tokens),
            }
            i += 1;
        }
        VecTokenStream { tokens, next: 0 }
    }
}

/// Arabic-script word without optional marks, lowercase for other scripts.
fn normalize_arabic(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    word.nfkc()
        .filter(|c| !is_mark(*c) && *c != 'ـ')
        .map(|c| match c {
            'أ' | 'إ' | 'آ' => 'ا',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(word: &str) -> String {
        sound_key(&latin(word))
    }

    #[test]
    fn names_meet_across_scripts() {
        assert_eq!(latin("Касыми"), "kasymi");
        assert_eq!(latin("قاسىمى"), "qasimi");
        assert_eq!(keys("Qasimi"), keys("Касыми"));
        assert_eq!(keys("Qasimi"), keys("Qasim"));
        assert_eq!(keys("Qasimi"), keys("قاسىمى"));
        assert_eq!(keys("Tore"), keys("Тюря"));
        assert_eq!(keys("Tore"), keys("ТЮРЯ"));
        assert_eq!(keys("Kuldja"), keys("Кульджа"));
        assert_eq!(keys("Ehmetjan"), keys("Ahmetjan"));
        assert_eq!(keys("Ehmetjan"), keys("Эхметджан"));
        assert_ne!(keys("Stalin"), keys("Qasimi"));
        assert_ne!(keys("Kashgar"), keys("Kuldja"));
    }

    #[test]
    fn words_and_bigrams() {
        assert_eq!(words("Savel'yev, 1945 год"), [(0, 9), (11, 15), (16, 22)]);
        let mut cjk = Analysis::Chinese.analyzer();
        assert_eq!(terms(&mut cjk, "斯大林 Stalin"), ["斯大", "大林", "stalin"]);
        assert_eq!(terms(&mut cjk, "林"), ["林"]);
        let mut ru = Analysis::Russian.analyzer();
        assert_eq!(
            terms(&mut ru, "Сталину народов"),
            terms(&mut ru, "сталина народы")
        );
        let mut folded = TextAnalyzer::from(WordTokenizer(WordKind::Folded));
        assert_eq!(terms(&mut folded, "Кульджа, 斯大林 Stalin"), ["kuldzha"]);
        let mut sound = TextAnalyzer::from(WordTokenizer(WordKind::Sound));
        assert_eq!(
            terms(&mut sound, "Тюря sent greetings to Qasimi"),
            ["tor", "kasim"]
        );
        let mut arabic = Analysis::Arabic.analyzer();
        assert_eq!(terms(&mut arabic, "قاسِىمى"), ["قاسىمى"]);
    }
}
