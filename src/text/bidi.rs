//! Right-to-left text for a renderer that lays glyphs out left to right.
//!
//! egui shapes each run of one font with `harfrust`, which already draws an
//! Arabic word's letters right to left with their joined forms, but it
//! places the runs (words, spaces, digits) left to right in logical order.
//! [`visual_line`] reorders one line with the Unicode bidirectional
//! algorithm (`unicode-bidi`) so that, drawn left to right, the words of a
//! right-to-left run come out in reading order: the first word of
//! `ئەخمەتجان قاسىمى` stands on the right. Letters inside each Arabic-script
//! word are left in logical order, because the shaper reverses them itself;
//! brackets inside right-to-left runs are mirrored.
//!
//! The reordering is for display only: text that is stored, searched or
//! copied as a whole stays in logical order.

use unicode_bidi::ParagraphBidiInfo;

/// One line ready to be drawn left to right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisualLine {
    pub text: String,
    /// The paragraph direction: right-to-left lines are right-aligned.
    pub right_to_left: bool,
}

/// Whether `text` holds any right-to-left letter (fast check before the
/// full algorithm).
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(is_rtl_script)
}

/// The paragraph direction of `line` by its first strong letter
/// (rules P2–P3); lines with no strong letter are left to right.
pub fn is_rtl_paragraph(line: &str) -> bool {
    matches!(
        unicode_bidi::get_base_direction(line),
        unicode_bidi::Direction::Rtl
    )
}

/// Reorders one line (no newline inside) for drawing left to right, in
/// the direction of its own first strong letter.
pub fn visual_line(line: &str) -> VisualLine {
    visual_line_in(line, None)
}

/// Reorders one line of a wrapped paragraph: `right_to_left` is the
/// paragraph's direction (`None`: take it from the line).
pub fn visual_line_in(line: &str, right_to_left: Option<bool>) -> VisualLine {
    if !has_rtl(line) {
        return VisualLine {
            text: line.to_owned(),
            right_to_left: right_to_left.unwrap_or(false),
        };
    }
    let level = right_to_left.map(|rtl| {
        if rtl {
            unicode_bidi::Level::rtl()
        } else {
            unicode_bidi::Level::ltr()
        }
    });
    let info = ParagraphBidiInfo::new(line, level);
    let right_to_left = info.paragraph_level.is_rtl();
    let levels = info.reordered_levels_per_char(0..line.len());
    let chars: Vec<char> = line.chars().collect();
    if levels.len() != chars.len() {
        // Not expected from the library; showing the logical order is
        // better than dropping text.
        return VisualLine {
            text: line.to_owned(),
            right_to_left,
        };
    }
    let order = ParagraphBidiInfo::reorder_visual(&levels);
    let mut visual: Vec<char> = order
        .iter()
        .map(|&i| {
            let c = chars[i];
            if levels[i].is_rtl() { mirror(c) } else { c }
        })
        .collect();
    // Give each Arabic-script word back its logical letter order: the
    // shaper reverses it again.
    let mut start = 0;
    while start < visual.len() {
        if is_shaped_rtl(visual[start]) {
            let mut end = start + 1;
            while end < visual.len() && is_shaped_rtl(visual[end]) {
                end += 1;
            }
            visual[start..end].reverse();
            start = end;
        } else {
            start += 1;
        }
    }
    VisualLine {
        text: visual.into_iter().collect(),
        right_to_left,
    }
}

/// Letters of scripts written right to left (Hebrew, Arabic, Syriac,
/// Thaana, N'Ko and their presentation forms).
fn is_rtl_script(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{08FF}'
        | '\u{FB1D}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
        | '\u{10800}'..='\u{10FFF}'
        | '\u{1E800}'..='\u{1EFFF}')
        && !c.is_numeric()
}

/// Characters the shaper draws right to left inside one font run: letters
/// and marks of right-to-left scripts and the joiners between them.
fn is_shaped_rtl(c: char) -> bool {
    is_rtl_script(c) || matches!(c, '\u{200C}' | '\u{200D}')
}

/// The mirrored form of a bracket in a right-to-left run.
fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_and_cyrillic_pass_through() {
        let line = visual_line("Письмо Сталину, 1945 (copy)");
        assert_eq!(line.text, "Письмо Сталину, 1945 (copy)");
        assert!(!line.right_to_left);
    }

    #[test]
    fn uyghur_words_run_right_to_left() {
        let line = visual_line("ئەخمەتجان قاسىمى");
        assert!(line.right_to_left);
        // Drawn left to right, the second word comes first; each word keeps
        // its letters in logical order for the shaper.
        assert_eq!(line.text, "قاسىمى ئەخمەتجان");
    }

    #[test]
    fn embedded_run_in_latin_line() {
        let line = visual_line("Letter of ئەخمەتجان قاسىمى to Stalin");
        assert!(!line.right_to_left);
        assert_eq!(line.text, "Letter of قاسىمى ئەخمەتجان to Stalin");
    }

    #[test]
    fn brackets_mirror_and_numbers_keep_their_order() {
        let line = visual_line("ئەخمەتجان (قاسىمى) 1947");
        assert!(line.right_to_left);
        assert_eq!(line.text, "1947 (قاسىمى) ئەخمەتجان");
    }

    #[test]
    fn wrapped_lines_keep_the_paragraph_direction() {
        // A line of a right-to-left paragraph that starts with Latin.
        let line = visual_line_in("Qasimi ئەخمەتجان", Some(true));
        assert!(line.right_to_left);
        assert_eq!(line.text, "ئەخمەتجان Qasimi");
        assert!(!visual_line_in("Qasimi", Some(false)).right_to_left);
    }

    #[test]
    fn paragraph_direction() {
        assert!(is_rtl_paragraph("ئەخمەتجان Qasimi"));
        assert!(!is_rtl_paragraph("Qasimi ئەخمەتجان"));
        assert!(!is_rtl_paragraph("1947"));
    }
}
