//! Script-level text helpers shared by every parser: which writing system a
//! run of text is in, a guess at its language, Cyrillic → Latin
//! transliteration, and the *folded* form of a name (lowercase, no
//! diacritics, no punctuation, Latin letters) used to compare names written
//! in different scripts and spellings.

pub mod bidi;
pub mod declension;
pub mod language;

use unicode_normalization::UnicodeNormalization;

/// The writing systems folio tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    Latin,
    Cyrillic,
    Greek,
    Han,
    Arabic,
    Hebrew,
    Other,
}

/// The script of one character, or `None` for digits, punctuation, spaces
/// and symbols (characters that say nothing about the language).
pub fn char_script(c: char) -> Option<Script> {
    let cp = c as u32;
    if c.is_ascii_alphabetic() {
        return Some(Script::Latin);
    }
    if cp < 0x80 {
        return None;
    }
    let script = match cp {
        0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => Script::Latin,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            // Arabic-Indic digits and Arabic punctuation carry no language.
            if matches!(cp, 0x0660..=0x0669 | 0x06F0..=0x06F9 | 0x060C | 0x061B | 0x061F | 0x06D4) {
                return None;
            }
            Script::Arabic
        }
        0x2E80..=0x2FDF
        | 0x3005
        | 0x3007
        | 0x3021..=0x3029
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x2FA1F => Script::Han,
        _ if c.is_alphabetic() => Script::Other,
        _ => return None,
    };
    Some(script)
}

/// Letter counts per script in a piece of text.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScriptCounts {
    pub latin: usize,
    pub cyrillic: usize,
    pub greek: usize,
    pub han: usize,
    pub arabic: usize,
    pub hebrew: usize,
    pub other: usize,
}

impl ScriptCounts {
    pub fn of(text: &str) -> Self {
        let mut counts = Self::default();
        for c in text.chars() {
            match char_script(c) {
                Some(Script::Latin) => counts.latin += 1,
                Some(Script::Cyrillic) => counts.cyrillic += 1,
                Some(Script::Greek) => counts.greek += 1,
                // A Han character carries about as much text as a short word.
                Some(Script::Han) => counts.han += 3,
                Some(Script::Arabic) => counts.arabic += 1,
                Some(Script::Hebrew) => counts.hebrew += 1,
                Some(Script::Other) => counts.other += 1,
                None => {}
            }
        }
        counts
    }

    pub fn total(&self) -> usize {
        self.latin + self.cyrillic + self.greek + self.han + self.arabic + self.hebrew + self.other
    }

    /// The script with the most letters, or `None` for text without letters.
    pub fn dominant(&self) -> Option<Script> {
        let candidates = [
            (self.latin, Script::Latin),
            (self.cyrillic, Script::Cyrillic),
            (self.greek, Script::Greek),
            (self.han, Script::Han),
            (self.arabic, Script::Arabic),
            (self.hebrew, Script::Hebrew),
            (self.other, Script::Other),
        ];
        candidates
            .into_iter()
            .filter(|(n, _)| *n > 0)
            // max_by_key keeps the last maximum; reverse so ties go to the first listed.
            .rev()
            .max_by_key(|(n, _)| *n)
            .map(|(_, s)| s)
    }
}

/// Characters used only in Traditional or only in Simplified Chinese
/// (frequent pairs). Enough to tell a paragraph's variant apart.
const TRADITIONAL_ONLY: &str = "們國這與對為說時會來個後發經實動現過還產進歷東蘇聯黨軍領導義權區門開關長萬書學無議運爭殺滅獨確亞衛戰鬥務員處體當變險隊罷將寫讀問題記錄報紙電話認識計劃總統際團結險審斷傳們廣場憲裡臺灣勞殘佔蘭鋪癱禦奮尊";
const SIMPLIFIED_ONLY: &str = "们国这与对为说时会来个后发经实动现过还产进历东苏联党军领导义权区门开关长万书学无议运争杀灭独确亚卫战斗务员处体当变险队罢将写读问题记录报纸电话认识计划总统际团结险审断传们广场宪里台湾劳残占兰铺瘫御奋尊";

/// A BCP 47 language tag guessed from the script of `text`, for text whose
/// language nothing states. Chinese is told apart as `zh-Hant` / `zh-Hans`;
/// Arabic script is taken as Uyghur when it uses Uyghur-only letters.
pub fn guess_language(text: &str) -> Option<&'static str> {
    guess_language_counted(text, &ScriptCounts::of(text))
}

/// [`guess_language`] for text whose script counts are already known.
pub fn guess_language_counted(text: &str, counts: &ScriptCounts) -> Option<&'static str> {
    let language = match counts.dominant()? {
        Script::Latin => "en",
        Script::Cyrillic => "ru",
        Script::Greek => "el",
        Script::Hebrew => "he",
        Script::Han => {
            static TABLES: std::sync::OnceLock<(
                std::collections::HashSet<char>,
                std::collections::HashSet<char>,
            )> = std::sync::OnceLock::new();
            let (traditional_only, simplified_only) = TABLES.get_or_init(|| {
                (
                    TRADITIONAL_ONLY.chars().collect(),
                    SIMPLIFIED_ONLY.chars().collect(),
                )
            });
            let (mut traditional, mut simplified) = (0, 0);
            for c in text.chars().filter(|c| *c >= '\u{3400}') {
                traditional += usize::from(traditional_only.contains(&c));
                simplified += usize::from(simplified_only.contains(&c));
            }
            match traditional.cmp(&simplified) {
                std::cmp::Ordering::Greater => "zh-Hant",
                std::cmp::Ordering::Less => "zh-Hans",
                std::cmp::Ordering::Equal => "zh",
            }
        }
        Script::Arabic => {
            // ە ې ى ۆ ۇ ۈ ڭ are Uyghur letters that Arabic and Persian do not use.
            let uyghur = text
                .chars()
                .filter(|c| matches!(c, 'ە' | 'ې' | 'ۆ' | 'ۇ' | 'ۈ' | 'ڭ'))
                .count();
            let persian = text
                .chars()
                .filter(|c| matches!(c, 'پ' | 'چ' | 'ژ' | 'گ'))
                .count();
            if uyghur > 0 {
                "ug"
            } else if persian > 0 {
                "fa"
            } else {
                "ar"
            }
        }
        Script::Other => return None,
    };
    Some(language)
}

/// Maps a language name as written in a source ("Russian", "Uygur",
/// "русский", "中文") or a tag ("ru", "zh-Hant") to a BCP 47 tag.
pub fn language_tag(name: &str) -> Option<String> {
    let trimmed = name.trim().trim_end_matches('.');
    if trimmed.is_empty() {
        return None;
    }
    let lower = trimmed.to_lowercase();
    let tag = match lower.as_str() {
        "russian" | "русский" | "russ." | "rus" => "ru",
        "english" | "английский" | "eng" => "en",
        "uyghur"
        | "uygur"
        | "uighur"
        | "uigur"
        | "uyghur (arabic script)"
        | "уйгурский"
        | "ئۇيغۇرچە" => "ug",
        "chinese" | "китайский" | "中文" | "汉语" | "漢語" => "zh",
        "chinese (traditional)" | "traditional chinese" | "繁體中文" => "zh-Hant",
        "chinese (simplified)" | "simplified chinese" | "简体中文" => "zh-Hans",
        "kazakh" | "казахский" => "kk",
        "kyrgyz" | "kirghiz" => "ky",
        "uzbek" => "uz",
        "tatar" => "tt",
        "mongolian" => "mn",
        "german" | "deutsch" => "de",
        "french" | "français" | "francais" => "fr",
        "turkish" => "tr",
        "persian" | "farsi" => "fa",
        "arabic" => "ar",
        "greek" | "ancient greek" => "el",
        "latin" => "la",
        "hebrew" => "he",
        "japanese" => "ja",
        "korean" => "ko",
        "ukrainian" => "uk",
        "polish" => "pl",
        "italian" => "it",
        "spanish" => "es",
        _ => {
            return is_language_tag(trimmed).then(|| normalize_tag(trimmed));
        }
    };
    Some(tag.to_owned())
}

/// Whether `s` looks like a BCP 47 tag: a 2–3 letter language subtag and
/// optional script/region subtags (`ru`, `zh-Hant`, `en-GB`, `ug-Arab`).
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split(['-', '_']);
    let Some(primary) = parts.next() else {
        return false;
    };
    if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Canonical case for a tag: `ZH_hant` → `zh-Hant`, `en-gb` → `en-GB`.
pub fn normalize_tag(tag: &str) -> String {
    tag.split(['-', '_'])
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_ascii_lowercase()
            } else if part.len() == 4 {
                let mut s = part[..1].to_ascii_uppercase();
                s.push_str(&part[1..].to_ascii_lowercase());
                s
            } else if part.len() == 2 {
                part.to_ascii_uppercase()
            } else {
                part.to_ascii_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The primary language subtag: `zh-Hant` → `zh`, as BCP 47 writes it
/// however the file wrote it (`ger`, `deu` and `German` → `de`: see
/// [`language`]).
pub fn primary_subtag(tag: &str) -> &str {
    let primary = tag.split(['-', '_']).next().unwrap_or(tag).trim();
    language::canonical(primary).unwrap_or(primary)
}

/// Transliterates one Cyrillic letter to Latin (a simplified scientific /
/// BGN mix that matches how archive references and names are romanised in
/// English-language literature). Other characters pass through.
pub(crate) fn cyrillic_to_latin(c: char) -> Option<&'static str> {
    let s = match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "iu",
        'я' => "ia",
        'А' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' => "G",
        'Д' => "D",
        'Е' => "E",
        'Ё' => "E",
        'Ж' => "Zh",
        'З' => "Z",
        'И' => "I",
        'Й' => "I",
        'К' => "K",
        'Л' => "L",
        'М' => "M",
        'Н' => "N",
        'О' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'У' => "U",
        'Ф' => "F",
        'Х' => "Kh",
        'Ц' => "Ts",
        'Ч' => "Ch",
        'Ш' => "Sh",
        'Щ' => "Shch",
        'Ъ' | 'Ь' => "",
        'Ы' => "Y",
        'Э' => "E",
        'Ю' => "Iu",
        'Я' => "Ia",
        // Kazakh / Uyghur Cyrillic letters.
        'ә' => "a",
        'Ә' => "A",
        'ғ' => "gh",
        'Ғ' => "Gh",
        'қ' => "q",
        'Қ' => "Q",
        'ң' => "ng",
        'Ң' => "Ng",
        'ө' => "o",
        'Ө' => "O",
        'ұ' | 'ү' => "u",
        'Ұ' | 'Ү' => "U",
        'һ' => "h",
        'Һ' => "H",
        'і' => "i",
        'І' => "I",
        'ї' => "i",
        'Ї' => "I",
        'є' => "e",
        'Є' => "E",
        _ => return None,
    };
    Some(s)
}

/// Cyrillic letters transliterated to Latin; everything else unchanged.
pub fn transliterate_cyrillic(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match cyrillic_to_latin(c) {
            Some(latin) => out.push_str(latin),
            None => out.push(c),
        }
    }
    out
}

/// The folded form of a name or term: Cyrillic transliterated, compatibility
/// decomposed, diacritics removed, lowercase, and only letters and digits
/// kept, words separated by one space. `Ehmetjan Qasimî` and
/// `EHMETJAN QASIMI` fold alike; `Касыми` folds to `kasymi`.
pub fn fold(text: &str) -> String {
    let latin = transliterate_cyrillic(text);
    let mut out = String::with_capacity(latin.len());
    let mut pending_space = false;
    for c in latin.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’' | 'ʼ' | 'ʻ' | '`' | '´') {
            // Apostrophes inside names (Savel'yev, Opis') are not word breaks.
        } else {
            pending_space = true;
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
        // Arabic harakat: vowel marks are optional in writing.
        || matches!(c as u32, 0x064B..=0x065F | 0x0670)
}

/// Collapses runs of whitespace into single spaces and trims.
pub fn squash_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `n` with the singular or plural noun: "1 entry", "3 entries".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The message for a job that panicked with `payload`.
pub fn stopped(what: &str, payload: &(dyn std::any::Any + Send)) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned());
    match detail {
        Some(detail) => format!("the {what} stopped on an internal error: {detail}"),
        None => format!("the {what} stopped on an internal error"),
    }
}

/// A TOML error on one line, with its line and column (the toml crate's
/// own message draws a multi-line snippet).
pub fn describe_toml_error(error: &toml::de::Error, text: &str) -> String {
    let message = error.message().trim();
    match error.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("not valid TOML at line {line}, column {column}: {message}")
        }
        None => format!("not valid TOML: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_scripts_and_languages() {
        assert_eq!(guess_language("Маршалу Сталину"), Some("ru"));
        assert_eq!(guess_language("Dear Commander-in-Chief"), Some("en"));
        assert_eq!(
            guess_language("東突厥斯坦流亡政府莊嚴紀念蘇聯背叛"),
            Some("zh-Hant")
        );
        assert_eq!(
            guess_language("阿合买提江·哈斯木 国 这 们"),
            Some("zh-Hans")
        );
        assert_eq!(guess_language("ئەخمەتجان قاسىمى"), Some("ug"));
        assert_eq!(guess_language("ماذا تعرف عن تركستان الشرقية"), Some("ar"));
        assert_eq!(guess_language("1945 — 12, 13."), None);
    }

    #[test]
    fn maps_language_names() {
        assert_eq!(language_tag("Russian").as_deref(), Some("ru"));
        assert_eq!(language_tag("Uygur").as_deref(), Some("ug"));
        assert_eq!(language_tag("zh_hant").as_deref(), Some("zh-Hant"));
        assert_eq!(language_tag("Klingon"), None);
        assert_eq!(language_tag(""), None);
    }

    #[test]
    fn folds_names_across_spellings() {
        assert_eq!(fold("Ehmetjan Qasimî"), "ehmetjan qasimi");
        assert_eq!(fold("  EHMETJAN   QASIMI "), "ehmetjan qasimi");
        assert_eq!(fold("Касыми"), "kasymi");
        assert_eq!(fold("Savel'yev"), "savelyev");
        assert_eq!(fold("Р-9401сс"), "r 9401ss");
        assert_eq!(fold("阿合買提江·哈斯木"), "阿合買提江 哈斯木");
    }
}

/// `text` safe to print for a person: control characters (terminal
/// escape sequences, line breaks a file name may carry) and the bidi
/// controls that reorder what is shown become visible escapes (`\n`,
/// `\u001b`, written as JSON writes it, so JSON output stays valid: serde
/// leaves C1 controls and bidi controls as they are), so that no value
/// can drive the terminal or forge a line.
/// With `keep_lines`, line breaks and tabs stay (running text).
pub fn printable(text: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' if keep_lines => out.push(c),
            '\r' if keep_lines && chars.peek() == Some(&'\n') => out.push(c),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if unsafe_char(c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod printable_tests {
    use super::printable;

    #[test]
    fn escapes_cannot_drive_a_terminal_or_forge_lines() {
        assert_eq!(
            printable("plain Сталин 斯大林", false),
            "plain Сталин 斯大林"
        );
        assert_eq!(
            printable("a\u{1b}[31mred\nforged: 0 errors", false),
            "a\\u001b[31mred\\nforged: 0 errors"
        );
        assert_eq!(printable("line\r\nnext\ttab", true), "line\r\nnext\ttab");
        assert_eq!(
            printable("over\rwrite \u{202e}rtl", true),
            "over\\rwrite \\u202ertl"
        );
        assert_eq!(printable("\u{9b}c1", false), "\\u009bc1");
    }
}
