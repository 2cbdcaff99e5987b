//! Running text drawn paragraph by paragraph: search hits marked, the
//! editors' notes shown where they attach (a raised number, the note on
//! hover), right-to-left paragraphs wrapped in logical order and reordered
//! row by row, the paragraph under the pointer and the one clicked
//! reported. Shared by the reader's panes and the long-text view.

use eframe::egui::{self, RichText};

use crate::model::NoteAnchor;
use crate::text::bidi;

/// What to mark in a shown text: byte ranges of search hits (and the
/// chosen line) and of words the OCR engine doubted, and the notes that
/// attach to it (byte offset in the shown text, the note).
#[derive(Debug, Default, Clone, Copy)]
pub struct Marks<'a> {
    pub hits: &'a [std::ops::Range<usize>],
    pub doubtful: &'a [std::ops::Range<usize>],
    pub notes: &'a [(usize, &'a NoteAnchor)],
}

impl<'a> Marks<'a> {
    /// The notes of the paragraph `start..end` (the line's own bytes),
    /// relative to `start`: those after its first byte up to its newline
    /// (a note just after a line break closes the line before it), and
    /// one at the very start of the text.
    fn notes_within(&self, start: usize, end: usize) -> Vec<(usize, &'a NoteAnchor)> {
        self.notes
            .iter()
            .filter(|(at, _)| (*at > start || *at == 0) && *at <= end + 1)
            .map(|&(at, note)| ((at - start).min(end - start), note))
            .collect()
    }

    /// The marks inside `start..end`, relative to `start`: (hits, doubtful).
    fn within(&self, start: usize, end: usize) -> [Vec<std::ops::Range<usize>>; 2] {
        [self.hits, self.doubtful].map(|ranges| {
            ranges
                .iter()
                .filter(|h| h.start >= start && h.end <= end)
                .map(|h| h.start - start..h.end - start)
                .collect()
        })
    }
}

/// What happened in a text pane this frame; ranges are of the shown text.
#[derive(Debug, Default)]
pub struct TextOutcome {
    /// It scrolled to the asked focus.
    pub focused: bool,
    /// The paragraph (one line of an OCR page) under the pointer.
    pub hovered: Option<std::ops::Range<usize>>,
    /// The paragraph clicked.
    pub clicked: Option<std::ops::Range<usize>>,
}

/// Draws `text` paragraph by paragraph: plain lines as wrapped labels,
/// lines with right-to-left letters wrapped in logical order first and
/// then each row reordered and aligned by the paragraph's direction.
///
/// `marks` (byte ranges of `text`) are marked; the paragraph holding the
/// byte `focus` is scrolled into view; the paragraph under the pointer and
/// the one clicked are reported.
pub fn text_body(
    ui: &mut egui::Ui,
    text: &str,
    size: f32,
    marks: Marks<'_>,
    focus: Option<usize>,
) -> TextOutcome {
    ui.spacing_mut().item_spacing.y = size * 0.25;
    let mut outcome = TextOutcome::default();
    let mut start = 0;
    for line in text.split('\n') {
        let line_start = start;
        start += line.len() + 1;
        paragraph(ui, line, line_start, size, marks, focus, &mut outcome);
    }
    outcome
}

/// Draws one paragraph of a text (`line`, starting at byte `line_start`
/// of it): a blank line is a little space; reports pointer and focus in
/// `outcome`.
pub fn paragraph(
    ui: &mut egui::Ui,
    line: &str,
    line_start: usize,
    size: f32,
    marks: Marks<'_>,
    focus: Option<usize>,
    outcome: &mut TextOutcome,
) {
    let paragraph = line.trim_end_matches('\r');
    if paragraph.trim().is_empty() {
        ui.add_space(size * 0.4);
        return;
    }
    let response = if bidi::has_rtl(paragraph) {
        bidi_paragraph(ui, paragraph, size)
    } else {
        let [hits, doubtful] = marks.within(line_start, line_start + paragraph.len());
        let notes = marks.notes_within(line_start, line_start + paragraph.len());
        if hits.is_empty() && doubtful.is_empty() && notes.is_empty() {
            ui.add(
                egui::Label::new(RichText::new(paragraph).size(size))
                    .wrap()
                    .selectable(true),
            )
        } else {
            let (job, anchors) = marked(ui, paragraph, &hits, &doubtful, &notes, size);
            with_notes(ui, job, &anchors)
        }
    };
    if let Some(at) = focus
        && !outcome.focused
        && at >= line_start
        && at < line_start + line.len().max(1)
    {
        response.scroll_to_me(Some(egui::Align::Center));
        outcome.focused = true;
    }
    let range = line_start..line_start + paragraph.len();
    if response.hovered() {
        outcome.hovered = Some(range.clone());
    }
    if response.clicked() {
        outcome.clicked = Some(range);
    }
}

/// `text` with the byte ranges `hits` on a highlight background, the
/// words in `doubtful` underlined in the warning colour (a hit wins where
/// they overlap), and each note's number raised where it attaches; with
/// the character ranges of those numbers in the job and their notes.
fn marked<'n>(
    ui: &egui::Ui,
    text: &str,
    hits: &[std::ops::Range<usize>],
    doubtful: &[std::ops::Range<usize>],
    notes: &[(usize, &'n NoteAnchor)],
    size: f32,
) -> (
    egui::text::LayoutJob,
    Vec<(std::ops::Range<usize>, &'n NoteAnchor)>,
) {
    let font = egui::FontId::proportional(size);
    let color = ui.visuals().text_color();
    let plain = egui::TextFormat::simple(font, color);
    let hit = egui::TextFormat {
        background: ui.visuals().selection.bg_fill.gamma_multiply(0.6),
        color: ui.visuals().strong_text_color(),
        ..plain.clone()
    };
    let doubted = egui::TextFormat {
        color: ui.visuals().warn_fg_color,
        underline: egui::Stroke::new(1.5, ui.visuals().warn_fg_color),
        ..plain.clone()
    };
    let raised = egui::TextFormat {
        font_id: egui::FontId::proportional((size * 0.7).max(crate::ui::style::SMALLEST)),
        color: ui.visuals().hyperlink_color,
        valign: egui::Align::TOP,
        ..plain.clone()
    };
    let mut spans: Vec<(std::ops::Range<usize>, &egui::TextFormat)> = hits
        .iter()
        .map(|r| (r.clone(), &hit))
        .chain(doubtful.iter().map(|r| (r.clone(), &doubted)))
        .collect();
    spans.sort_by_key(|(r, _)| r.start);
    let numbers: Vec<(usize, String, &egui::TextFormat)> = notes
        .iter()
        .map(|&(at, note)| (at, format!("[{}]", note.number), &raised))
        .collect();
    let (job, ranges) = styled_job(text, &spans, &numbers, &plain);
    // Each number's character range in the job, with its note (numbers
    // that could not go in are dropped by styled_job, in order).
    let placed = notes
        .iter()
        .filter(|(at, _)| *at <= text.len() && text.is_char_boundary(*at))
        .map(|&(_, note)| note);
    (job, ranges.into_iter().zip(placed).collect())
}

/// A selectable wrapped label of `job` that shows the note of a raised
/// number under the pointer (`anchors`: character ranges in the job).
fn with_notes(
    ui: &mut egui::Ui,
    job: egui::text::LayoutJob,
    anchors: &[(std::ops::Range<usize>, &NoteAnchor)],
) -> egui::Response {
    let (pos, galley, response) = egui::Label::new(job)
        .wrap()
        .selectable(true)
        .layout_in_ui(ui);
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Label, ui.is_enabled(), galley.text())
    });
    let under = response
        .hover_pos()
        .map(|pointer| galley.cursor_from_pos(pointer - pos).index.0);
    let color = ui.visuals().text_color();
    egui::text_selection::LabelSelectionState::label_text_selection(
        ui,
        &response,
        pos,
        galley,
        color,
        egui::Stroke::NONE,
    );
    let note = under.and_then(|index| {
        anchors
            .iter()
            .find(|(range, _)| range.start <= index && index <= range.end)
            .map(|(_, note)| *note)
    });
    match note {
        Some(note) => response.on_hover_ui_at_pointer(|ui| {
            ui.set_max_width(420.0);
            ui.strong(format!("Note {}", note.number));
            ui.label(&note.text);
        }),
        None => response,
    }
}

/// `text` in the format `plain`, the byte ranges `hits` in `marked`
/// (ranges out of order or out of bounds are left plain).
pub fn marked_job(
    text: &str,
    hits: &[std::ops::Range<usize>],
    plain: &egui::TextFormat,
    marked: &egui::TextFormat,
) -> egui::text::LayoutJob {
    let spans: Vec<_> = hits.iter().map(|r| (r.clone(), marked)).collect();
    styled_job(text, &spans, &[], plain).0
}

/// `text` in the format `plain`, each span's range in its format (spans
/// that overlap an earlier one, or are out of bounds, are left out), and
/// each insert's text put in at its byte offset of `text` in its own
/// format (inserts in offset order; one not at a character boundary is
/// left out); with the character range of each insert in the job.
fn styled_job(
    text: &str,
    spans: &[(std::ops::Range<usize>, &egui::TextFormat)],
    inserts: &[(usize, String, &egui::TextFormat)],
    plain: &egui::TextFormat,
) -> (egui::text::LayoutJob, Vec<std::ops::Range<usize>>) {
    // The text cut into pieces of one format each.
    let mut pieces = Vec::with_capacity(spans.len() * 2 + 1);
    let mut at = 0;
    for (range, marked) in spans {
        if range.start < at
            || range.end > text.len()
            || !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end)
        {
            continue;
        }
        pieces.push((at..range.start, plain));
        pieces.push((range.clone(), *marked));
        at = range.end;
    }
    pieces.push((at..text.len(), plain));
    let mut inserts = inserts
        .iter()
        .filter(|(at, _, _)| *at <= text.len() && text.is_char_boundary(*at))
        .peekable();
    let mut job = egui::text::LayoutJob::default();
    let mut chars = 0;
    let mut placed = Vec::new();
    for (range, format) in pieces {
        let mut from = range.start;
        while let Some((at, insert, insert_format)) =
            inserts.next_if(|(at, _, _)| (from..=range.end).contains(at))
        {
            if from < *at {
                job.append(&text[from..*at], 0.0, format.clone());
                chars += text[from..*at].chars().count();
            }
            job.append(insert, 0.0, (*insert_format).clone());
            let len = insert.chars().count();
            placed.push(chars..chars + len);
            chars += len;
            from = *at;
        }
        // Empty pieces add nothing but a section (an empty text keeps one).
        if from < range.end || job.sections.is_empty() && range.end == text.len() {
            job.append(&text[from..range.end], 0.0, format.clone());
            chars += text[from..range.end].chars().count();
        }
    }
    (job, placed)
}

fn bidi_paragraph(ui: &mut egui::Ui, paragraph: &str, size: f32) -> egui::Response {
    let right_to_left = bidi::is_rtl_paragraph(paragraph);
    let font = egui::FontId::proportional(size);
    let width = ui.available_width().max(40.0);
    let color = ui.visuals().text_color();
    // Wrap in logical order (word widths do not depend on the order), then
    // reorder each line on its own, as the bidi algorithm requires.
    let lines = ui.fonts_mut(|fonts| {
        wrap_words(paragraph, width, |word| {
            fonts
                .layout_no_wrap(word.to_owned(), font.clone(), color)
                .size()
                .x
        })
    });
    let layout = if right_to_left {
        egui::Layout::right_to_left(egui::Align::Min)
    } else {
        egui::Layout::left_to_right(egui::Align::Min)
    };
    let mut response: Option<egui::Response> = None;
    for line in lines {
        let visual = bidi::visual_line_in(line.trim(), Some(right_to_left));
        let row = ui
            .with_layout(layout, |ui| {
                ui.add(
                    egui::Label::new(RichText::new(visual.text).size(size))
                        .extend()
                        .selectable(true),
                )
            })
            .inner;
        response = Some(match response {
            Some(r) => r.union(row),
            None => row,
        });
    }
    response.unwrap_or_else(|| ui.label(""))
}

/// Greedy word wrap: words (with their trailing spaces) go on a line until
/// the next would pass `width`; a word wider than a line gets its own.
pub fn wrap_words(text: &str, width: f32, mut measure: impl FnMut(&str) -> f32) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut line_start = 0;
    let mut line_width = 0.0;
    let mut word_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_word = chars.peek().is_none_or(|(_, n)| !n.is_whitespace());
        if !(c.is_whitespace() && next_is_word) && chars.peek().is_some() {
            continue;
        }
        // A word with its trailing spaces ends after `c`.
        let end = i + c.len_utf8();
        let word = &text[word_start..end];
        let word_width = measure(word);
        if line_width > 0.0 && line_width + measure(word.trim_end()) > width {
            lines.push(&text[line_start..word_start]);
            line_start = word_start;
            line_width = 0.0;
        }
        line_width += word_width;
        word_start = end;
    }
    if line_start < text.len() {
        lines.push(&text[line_start..]);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_go_in_at_their_offsets_across_marked_spans() {
        let plain = egui::TextFormat::default();
        let marked = egui::TextFormat {
            underline: egui::Stroke::new(1.0, egui::Color32::RED),
            ..Default::default()
        };
        let text = "Dank für Buch";
        let buch = text.find("Buch").unwrap_or_default();
        let inserts = [
            (4, "[1]".to_owned(), &plain),
            (text.len(), "[2]".to_owned(), &plain),
            (6, "[x]".to_owned(), &plain), // inside "ü": left out
        ];
        let (job, placed) = styled_job(text, &[(buch..text.len(), &marked)], &inserts, &plain);
        assert_eq!(job.text, "Dank[1] für Buch[2]");
        assert_eq!(placed, [4..7, 16..19]);
        let underlined: Vec<&str> = job
            .sections
            .iter()
            .filter(|s| s.format.underline != egui::Stroke::NONE)
            .map(|s| &job.text[s.byte_range.start.0..s.byte_range.end.0])
            .collect();
        assert_eq!(underlined, ["Buch"]);
    }

    #[test]
    fn words_wrap_greedily() {
        let measure = |w: &str| w.chars().count() as f32;
        assert_eq!(
            wrap_words("one two three four", 9.0, measure),
            ["one two ", "three ", "four"]
        );
        assert_eq!(
            wrap_words("averyveryverylongword x", 5.0, measure),
            ["averyveryverylongword ", "x"]
        );
        assert_eq!(wrap_words("", 5.0, measure), Vec::<&str>::new());
        assert_eq!(wrap_words("short", 50.0, measure), ["short"]);
    }
}
