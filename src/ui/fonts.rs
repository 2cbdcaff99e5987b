//! The fonts folio ships (in `assets/fonts/`, licences beside them), so that
//! Latin, Cyrillic, Greek, Chinese (Traditional and Simplified) and
//! Arabic-script Uyghur display on any machine without system fonts, and
//! [`undrawn`], which finds what they would leave out.
//!
//! egui shapes each grapheme cluster with the first font that has its base
//! letter and drops the combining marks that font lacks: egui's Ubuntu font
//! has none, so "Aufkla\u{364}rung" (a with a combining e above, as
//! eighteenth-century German prints it) would show as "Aufklarung". Noto
//! Sans comes first for that reason: it has every combining mark of Latin,
//! Cyrillic and Greek beside the letters they sit on (polytonic Greek,
//! Cyrillic accents and titlos, the medievalists' letters above).

use std::collections::BTreeMap;
use std::sync::Arc;

use eframe::egui::{self, FontData, FontDefinitions, FontFamily};
use unicode_segmentation::UnicodeSegmentation as _;

/// The text font, before egui's own.
const PRIMARY: (&str, &[u8]) = (
    "NotoSans",
    include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
);

/// Fallbacks after egui's fonts, in order.
const FALLBACKS: [(&str, &[u8]); 3] = [
    // First of the fallbacks, so that every letter of an Arabic-script word
    // comes from one font and is shaped as one run.
    (
        "NotoSansArabic",
        include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf"),
    ),
    // Symbols, arrows, Greek and extended Latin/Cyrillic.
    (
        "DejaVuSans",
        include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
    ),
    // CJK ideographs, Traditional and Simplified.
    (
        "DroidSansFallbackFull",
        include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf"),
    ),
];

/// egui's default fonts with Noto Sans before them (the proportional
/// family; the monospaced one keeps Hack first and is never used for a
/// document's text) and folio's script fallbacks after them.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    let (name, bytes) = PRIMARY;
    fonts
        .font_data
        .insert(name.to_owned(), Arc::new(FontData::from_static(bytes)));
    fonts
        .families
        .entry(FontFamily::Proportional)
        .or_default()
        .insert(0, name.to_owned());
    for (name, bytes) in FALLBACKS {
        fonts
            .font_data
            .insert(name.to_owned(), Arc::new(FontData::from_static(bytes)));
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            fonts
                .families
                .entry(family)
                .or_default()
                .push(name.to_owned());
        }
    }
    fonts
}

/// Each character the proportional family of `definitions` has, with the
/// fonts that have it in the family's order (what [`undrawn`] reads).
pub fn characters(definitions: FontDefinitions) -> BTreeMap<char, Vec<String>> {
    let mut fonts =
        egui::epaint::text::Fonts::new(egui::epaint::text::TextOptions::default(), definitions);
    fonts
        .with_pixels_per_point(1.0)
        .characters(&FontFamily::Proportional)
        .clone()
}

/// The grapheme clusters of `text` that would not be drawn whole, each once,
/// given `characters` (each character and the fonts that have it, in the
/// family's order, as egui's `Fonts::characters` gives them): a character
/// no font has (drawn as an empty box), or a combining mark missing from
/// the font of its cluster's first character (egui drops it). Spaces,
/// controls and invisible format characters need no glyph.
pub fn undrawn(characters: &BTreeMap<char, Vec<String>>, text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for cluster in text.graphemes(true) {
        let mut chars = cluster.chars().filter(|&c| !needs_no_glyph(c));
        let Some(base) = chars.next() else {
            continue;
        };
        let whole = characters
            .get(&base)
            .and_then(|fonts| fonts.first())
            .is_some_and(|font| {
                chars.all(|c| characters.get(&c).is_some_and(|fonts| fonts.contains(font)))
            });
        if !whole && !found.iter().any(|f| f == cluster) {
            found.push(cluster.to_owned());
        }
    }
    found
}

/// Whitespace, controls, and the invisible format characters (joiners,
/// direction marks, variation selectors, the soft hyphen) that the shaper
/// consumes without a glyph.
fn needs_no_glyph(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c,
            '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0100}'..='\u{E01EF}')
}

/// Installs the fonts in a context.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combining_marks_are_drawn_with_their_letters() {
        let ours = characters(definitions());
        for text in [
            "Aufkla\u{364}rung", // Latin with e above (Kant's Berlinische Monatsschrift)
            "Москва\u{301}, сло\u{301}во", // Cyrillic stress marks
            "ἀρχὴ ἐ\u{313}\u{301}ν", // polytonic Greek, precomposed and combining
            "ц\u{483}рь",        // Cyrillic titlo
            "q\u{303} \u{1E9C}", // medieval abbreviations
            "ئۇيغۇرچە 中文 繁體",
        ] {
            assert_eq!(undrawn(&ours, text), Vec::<String>::new(), "{text}");
        }
        // egui's own fonts alone drop the mark: the check can fail.
        let egui_only = characters(FontDefinitions::default());
        assert_eq!(undrawn(&egui_only, "Aufkla\u{364}rung"), ["a\u{364}"]);
    }

    #[test]
    fn a_character_no_font_has_is_reported_once() {
        let ours = characters(definitions());
        assert_eq!(undrawn(&ours, "a\u{E000}b\u{E000}"), ["\u{E000}"]);
        assert!(undrawn(&ours, " \t\n\u{200F}\u{FEFF}").is_empty());
    }
}
