//! A people facet (authors or recipients): a box to narrow by name in any
//! script and the matching people with their counts.

use eframe::egui;

use super::values::{by_count, checkbox, none};
use crate::index::facets::Dictionary;

/// How many people a facet lists before "type to narrow" is needed.
const MAX_LISTED: usize = 40;

/// What is typed to narrow one people facet.
#[derive(Debug, Default, Clone)]
pub struct PeopleFacet {
    pub narrow: String,
}

impl PeopleFacet {
    /// Draws the facet; returns the people ids the user toggled.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        people: &Dictionary,
        counts: &[u32],
        selected: &[u32],
    ) -> Vec<u32> {
        let mut toggled = Vec::new();
        ui.add(
            egui::TextEdit::singleline(&mut self.narrow)
                .hint_text("type to narrow")
                .desired_width(f32::INFINITY),
        );
        let mut ids = by_count(counts, selected);
        if !self.narrow.trim().is_empty() {
            let needle = crate::text::fold(&self.narrow);
            ids.retain(|&id| people.matches(id, &needle));
        }
        if ids.is_empty() {
            none(ui);
        }
        let hidden = ids.len().saturating_sub(MAX_LISTED);
        for id in ids.into_iter().take(MAX_LISTED) {
            let label = format!(
                "{} ({})",
                people.label(id),
                counts.get(id as usize).copied().unwrap_or(0)
            );
            if checkbox(ui, selected.contains(&id), label) {
                toggled.push(id);
            }
        }
        if hidden > 0 {
            ui.label(
                egui::RichText::new(format!("{hidden} more: type to narrow"))
                    .small()
                    .weak(),
            );
        }
        toggled
    }
}
