//! The "Tags and notes" section of the filter panel: bookmarked documents,
//! documents with notes, and the user's tags with their counts.

use eframe::egui::{self, RichText};

use crate::ui::Command;
use crate::ui::notes::{NotesState, TagCounts};

/// The section's checkboxes and tags.
pub fn section(
    ui: &mut egui::Ui,
    state: &NotesState,
    counts: &TagCounts,
    commands: &mut Vec<Command>,
) {
    let mut bookmarked = state.only_bookmarked;
    if ui
        .checkbox(
            &mut bookmarked,
            format!("Bookmarked ({})", counts.bookmarked),
        )
        .changed()
    {
        commands.push(Command::SetOnlyBookmarked(bookmarked));
    }
    let mut with_notes = state.only_with_notes;
    if ui
        .checkbox(
            &mut with_notes,
            format!("Has notes ({})", counts.with_notes),
        )
        .changed()
    {
        commands.push(Command::SetOnlyWithNotes(with_notes));
    }
    // Chosen tags first (they may count 0 after other filters), then the rest.
    let mut shown: Vec<(String, u32)> = state
        .tags
        .iter()
        .map(|t| {
            let n = counts
                .tags
                .iter()
                .find(|(c, _)| c == t)
                .map_or(0, |(_, n)| *n);
            (t.clone(), n)
        })
        .collect();
    shown.extend(
        counts
            .tags
            .iter()
            .filter(|(t, _)| !state.tags.contains(t))
            .take(40)
            .cloned(),
    );
    if shown.is_empty() {
        ui.label(RichText::new("No tags yet: add them in the reader").weak());
    }
    ui.horizontal_wrapped(|ui| {
        for (tag, count) in shown {
            let chosen = state.tags.contains(&tag);
            if ui
                .selectable_label(chosen, format!("{tag} ({count})"))
                .clicked()
            {
                commands.push(Command::ToggleTag(tag));
            }
        }
    });
}
