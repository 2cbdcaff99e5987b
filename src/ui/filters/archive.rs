//! The archive tree facet: repository → fond → opis → (papka) → delo, each
//! node with its count; children open on demand, a click filters to the
//! subtree.

use eframe::egui;

use super::values::none;
use crate::index::facets::{FacetIndex, Selection};
use crate::ui::Command;

/// The tree with the chosen node's path above it.
pub fn tree(
    ui: &mut egui::Ui,
    index: &FacetIndex,
    selection: &Selection,
    selected: Option<u32>,
    commands: &mut Vec<Command>,
) {
    if let Some(node) = selected {
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(path_label(index, node, " / ")).strong());
            if ui
                .small_button("✕")
                .on_hover_text("Show every archive")
                .clicked()
            {
                commands.push(Command::SelectArchive(None));
            }
        });
    }
    if index.archive_roots.is_empty() {
        none(ui);
    }
    for &root in &index.archive_roots {
        node_row(ui, index, selection, root, selected, commands);
    }
}

/// An archive node's path: `GARF / R-9401ss / 2`.
pub fn path_label(index: &FacetIndex, node: u32, separator: &str) -> String {
    let labels: Vec<&str> = index
        .node_path(node)
        .iter()
        .map(|&n| index.archive_nodes[n as usize].label.as_str())
        .collect();
    labels.join(separator)
}

/// One node of the tree with its count, and its children when open.
fn node_row(
    ui: &mut egui::Ui,
    index: &FacetIndex,
    selection: &Selection,
    node: u32,
    selected: Option<u32>,
    commands: &mut Vec<Command>,
) {
    let count_of = |n: u32| {
        selection
            .archive_nodes
            .get(n as usize)
            .copied()
            .unwrap_or(0)
    };
    let count = count_of(node);
    if count == 0 && selected != Some(node) {
        return;
    }
    let info = &index.archive_nodes[node as usize];
    let label = format!("{} ({count})", info.label);
    let is_selected = selected == Some(node);
    let click = |commands: &mut Vec<Command>| {
        commands.push(Command::SelectArchive(
            (!is_selected).then(|| index.archive_prefix(node)),
        ));
    };
    let children: Vec<u32> = index.archive_children[node as usize]
        .iter()
        .copied()
        .filter(|&c| count_of(c) > 0)
        .collect();
    if children.is_empty() {
        if ui.selectable_label(is_selected, label).clicked() {
            click(commands);
        }
        return;
    }
    let id = ui.make_persistent_id(("archive-node", node));
    egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, false)
        .show_header(ui, |ui| {
            if ui.selectable_label(is_selected, label).clicked() {
                click(commands);
            }
        })
        .body(|ui| {
            for child in children {
                node_row(ui, index, selection, child, selected, commands);
            }
        });
}
