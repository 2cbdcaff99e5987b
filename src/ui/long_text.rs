//! Long texts drawn a screenful at a time. A 64 MB transcription holds
//! a million paragraphs; handing them all to egui every frame (which
//! lays out what it is given) stalls the window for seconds. Instead
//! the paragraphs are found once, their heights estimated once per width
//! and text size from their length in characters, the running sum of the
//! estimates places the scroll bar, and only the paragraphs in view are
//! laid out and drawn ([`super::text_body::paragraph`], as for short texts).

use std::ops::Range;
use std::sync::Arc;

use eframe::egui;

use super::text_body::{TextOutcome, paragraph};

/// Texts longer than this (bytes) are drawn a screenful at a time.
pub const LONG: usize = 256 * 1024;

/// Paragraphs drawn above and below the view, so that a little scrolling
/// finds them laid out.
const MARGIN: usize = 2;

/// Longer paragraphs are drawn in pieces of about this many bytes (a
/// text with no line breaks is one paragraph).
const PIECE: usize = 16 * 1024;

/// Where each paragraph of a text lies, and its estimated heights.
#[derive(Debug)]
struct Plan {
    /// The text it was made for: its address and length.
    text: (usize, usize),
    /// Byte range of each paragraph (a line, or a piece of a long one),
    /// without its line break.
    spans: Vec<Range<usize>>,
    /// Characters in each paragraph (estimated from its bytes).
    chars: Vec<u32>,
    /// Width and text size the heights were estimated for.
    measured: (u32, u32),
    /// Estimated top of each paragraph; one more for the whole height.
    tops: Vec<f32>,
}

/// Characters in UTF-8 `bytes` (bytes that do not continue a character).
fn count_chars(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count() as u32
}

/// Bytes per character of `text`, from its first 64 KB: paragraph lengths
/// in characters are estimated from their bytes with it, so planning a
/// 64 MB text costs a search for line breaks, not a count of every
/// character (heights are estimates anyway).
fn bytes_per_char(text: &str) -> f32 {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text.as_bytes()[..end];
    sample.len().max(1) as f32 / count_chars(sample).max(1) as f32
}

impl Plan {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let ratio = bytes_per_char(text);
        let chars_in = |range: std::ops::Range<usize>| (range.len() as f32 / ratio).ceil() as u32;
        let mut spans = Vec::new();
        let mut chars = Vec::new();
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
        for end in ends {
            let mut at = start;
            while end - at > PIECE {
                let mut cut = at + PIECE;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                // At a space when there is one near.
                if let Some(space) = text[at..cut].rfind(' ').filter(|&s| s > PIECE / 2) {
                    cut = at + space + 1;
                }
                spans.push(at..cut);
                chars.push(chars_in(at..cut));
                at = cut;
            }
            spans.push(at..end);
            chars.push(chars_in(at..end));
            start = end + 1;
        }
        Self {
            text: (text.as_ptr() as usize, text.len()),
            spans,
            chars,
            measured: (0, 0),
            tops: Vec::new(),
        }
    }

    /// Estimates every paragraph's height for `width` and `size`.
    fn measure(&mut self, width: f32, size: f32, row: f32, char_width: f32, gap: f32) {
        let key = (width.round() as u32, (size * 10.0).round() as u32);
        if self.measured == key && !self.tops.is_empty() {
            return;
        }
        let per_row = (width / char_width.max(1.0)).max(1.0);
        let mut top = 0.0;
        self.tops.clear();
        self.tops.reserve(self.chars.len() + 1);
        for &chars in &self.chars {
            self.tops.push(top);
            top += if chars == 0 {
                size * 0.4
            } else {
                (chars as f32 / per_row).ceil() * row + gap
            };
        }
        self.tops.push(top);
        self.measured = key;
    }

    /// The paragraphs from the one at `y` to the one past `bottom`.
    fn in_view(&self, y: Range<f32>) -> Range<usize> {
        let count = self.chars.len();
        let first = self.tops.partition_point(|&top| top <= y.start);
        let last = self.tops.partition_point(|&top| top < y.end);
        first.saturating_sub(1 + MARGIN)..(last + MARGIN).min(count)
    }

    /// The paragraph holding byte `at`.
    fn paragraph_at(&self, at: usize) -> usize {
        self.spans
            .partition_point(|span| span.start <= at)
            .saturating_sub(1)
    }
}

/// Draws the paragraphs of `text` in `viewport` (the scroll area's view,
/// in content coordinates); reports pointer and focus like
/// [`super::text_body::text_body`], and scrolls to `focus` when asked.
pub fn body(
    ui: &mut egui::Ui,
    id: egui::Id,
    text: &str,
    size: f32,
    marks: super::text_body::Marks<'_>,
    focus: Option<usize>,
    viewport: egui::Rect,
) -> TextOutcome {
    ui.spacing_mut().item_spacing.y = size * 0.25;
    let gap = ui.spacing().item_spacing.y;
    let font = egui::FontId::proportional(size);
    let (row, char_width) = ui.fonts_mut(|fonts| {
        let sample = "The archive of the Central Committee, 1945: Алихан Тюря, 伊寧.";
        let galley = fonts.layout_no_wrap(sample.to_owned(), font.clone(), egui::Color32::WHITE);
        (
            fonts.row_height(&font),
            galley.size().x / sample.chars().count() as f32,
        )
    });
    let width = ui.available_width();
    let key = (text.as_ptr() as usize, text.len());
    let shared = ui
        .data_mut(|d| d.get_temp::<Arc<std::sync::Mutex<Plan>>>(id))
        .filter(|plan| plan.lock().is_ok_and(|p| p.text == key))
        .unwrap_or_else(|| {
            let plan = Arc::new(std::sync::Mutex::new(Plan::new(text)));
            ui.data_mut(|d| d.insert_temp(id, plan.clone()));
            plan
        });
    let Ok(mut plan) = shared.lock() else {
        return TextOutcome::default();
    };
    plan.measure(width, size, row, char_width, gap);
    let origin = ui.min_rect().top();
    let total = plan.tops.last().copied().unwrap_or(0.0);
    let mut outcome = TextOutcome::default();
    if let Some(at) = focus {
        let i = plan.paragraph_at(at);
        let top = plan.tops.get(i).copied().unwrap_or(0.0);
        let visible = viewport.min.y <= top && top < viewport.max.y;
        if !visible {
            ui.scroll_to_rect(
                egui::Rect::from_min_size(
                    egui::pos2(ui.min_rect().left(), origin + top),
                    egui::vec2(width, row),
                ),
                Some(egui::Align::Center),
            );
            outcome.focused = true;
        }
    }
    let shown = plan.in_view(viewport.min.y..viewport.max.y);
    let above = plan.tops.get(shown.start).copied().unwrap_or(0.0);
    if above > 0.0 {
        ui.add_space(above);
    }
    for i in shown.clone() {
        let Some(span) = plan.spans.get(i) else {
            break;
        };
        let Some(line) = text.get(span.clone()) else {
            continue;
        };
        paragraph(ui, line, span.start, size, marks, focus, &mut outcome);
    }
    let drawn_to = ui.min_rect().bottom() - origin;
    let below = total - drawn_to.max(plan.tops.get(shown.end).copied().unwrap_or(total));
    if below > 0.0 {
        ui.add_space(below);
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_found_and_placed() {
        let text = "first line\n\nthird, a longer line of text\nlast";
        let mut plan = Plan::new(text);
        assert_eq!(plan.spans, vec![0..10, 11..11, 12..40, 41..45]);
        assert_eq!(plan.chars, vec![10, 0, 28, 4]);
        plan.measure(100.0, 10.0, 12.0, 5.0, 2.0);
        // 20 characters a row: 1 row, a blank, 2 rows, 1 row.
        assert_eq!(plan.tops, vec![0.0, 14.0, 18.0, 44.0, 58.0]);
        // A text with no line break is drawn in pieces.
        let one = "word ".repeat(10_000);
        let pieces = Plan::new(&one);
        assert!(pieces.spans.len() >= 3, "{}", pieces.spans.len());
        assert!(pieces.spans.iter().all(|s| s.len() <= PIECE));
        assert_eq!(pieces.spans.last().map(|s| s.end), Some(one.len()));
        assert_eq!(plan.paragraph_at(0), 0);
        assert_eq!(plan.paragraph_at(12), 2);
        assert_eq!(plan.paragraph_at(45), 3);
        assert_eq!(plan.in_view(20.0..30.0), 0..4);
    }

    #[test]
    fn a_million_paragraphs_are_planned_in_one_pass() {
        let text = "Строка архивного текста, 1945 год.\n".repeat(1_000_000);
        let mut plan = Plan::new(&text);
        plan.measure(600.0, 14.0, 18.0, 7.0, 3.5);
        assert_eq!(plan.chars.len(), 1_000_001);
        let view = plan.in_view(5_000_000.0..5_000_800.0);
        assert!(view.len() < 60, "{view:?}");
    }
}
