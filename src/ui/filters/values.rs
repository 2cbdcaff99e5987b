//! The pieces every facet list shares: values with counts as checkboxes,
//! "none", and the English names of language tags.

use eframe::egui;

/// A language tag's English name for the panel: `Ancient Greek (grc)`.
pub fn language_label(tag: &str) -> String {
    crate::text::language::label(tag)
}

/// The values of a facet with their counts as checkboxes (or "none");
/// returns the ids the user toggled.
pub fn list(
    ui: &mut egui::Ui,
    counts: &[u32],
    selected: &[u32],
    label: impl Fn(u32) -> String,
) -> Vec<u32> {
    let ids = by_count(counts, selected);
    if ids.is_empty() {
        none(ui);
    }
    let mut toggled = Vec::new();
    for id in ids {
        let text = format!(
            "{} ({})",
            label(id),
            counts.get(id as usize).copied().unwrap_or(0)
        );
        if checkbox(ui, selected.contains(&id), text) {
            toggled.push(id);
        }
    }
    toggled
}

/// Says that a facet has no values in the selection.
pub fn none(ui: &mut egui::Ui) {
    ui.label(egui::RichText::new("none").weak().italics());
}

/// A checkbox that reports a click.
pub fn checkbox(ui: &mut egui::Ui, checked: bool, label: String) -> bool {
    let mut value = checked;
    ui.checkbox(&mut value, label).changed()
}

/// Ids with a count, or selected, by count (highest first).
pub fn by_count(counts: &[u32], selected: &[u32]) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..counts.len() as u32)
        .filter(|&id| counts[id as usize] > 0 || selected.contains(&id))
        .collect();
    ids.sort_by(|a, b| counts[*b as usize].cmp(&counts[*a as usize]).then(a.cmp(b)));
    ids
}
