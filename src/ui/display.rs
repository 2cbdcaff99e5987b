//! Small display helpers every panel shares: a line with right-to-left
//! runs reordered, the first line or lines of a text, a capitalised
//! label. Kept here, not inside one widget, so that panels do not reach
//! into each other.

use crate::text::bidi;

/// Text shown in one line: right-to-left runs reordered for display.
pub fn display_line(text: &str) -> String {
    if bidi::has_rtl(text) {
        bidi::visual_line(text).text
    } else {
        text.to_owned()
    }
}

/// `s` with its first letter in upper case.
pub fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The first line of `text` that is not blank, at most 60 characters.
pub fn first_line(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut short: String = line.chars().take(60).collect();
    if line.chars().count() > 60 {
        short.push('…');
    }
    short
}

/// The first `lines` lines of `text`, with "…" when there are more.
pub fn first_lines(text: &str, lines: usize) -> String {
    let mut shown: Vec<&str> = text.lines().take(lines).collect();
    if text.lines().count() > lines {
        shown.push("…");
    }
    shown.join("\n")
}
