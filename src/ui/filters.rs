//! The filter panel: the date range with a timeline of documents per year,
//! authors and recipients (type to narrow), the archive tree, languages and
//! kinds, each with live counts. It reads the facet index and the current
//! selection and returns [`Command`]s; only the text being typed is kept
//! here (view state).

use eframe::egui;

use super::Command;
use crate::facets::{Dictionary, FacetIndex, FacetQuery, Selection};
use crate::model::{FuzzyDate, Ymd};

/// How many values a people facet lists before "type to narrow" is needed.
const MAX_LISTED: usize = 40;

/// What the user is typing in the panel.
#[derive(Debug, Default, Clone)]
pub struct FilterView {
    pub from_text: String,
    pub to_text: String,
    pub date_problem: Option<String>,
    pub author_narrow: String,
    pub recipient_narrow: String,
}

/// A language tag's English name for the panel.
fn language_label(tag: &str) -> String {
    let name = match tag {
        "ru" => "Russian",
        "en" => "English",
        "zh" => "Chinese",
        "ug" => "Uyghur",
        "de" => "German",
        "fr" => "French",
        "el" => "Greek",
        "ar" => "Arabic",
        "fa" => "Persian",
        "he" => "Hebrew",
        "kk" => "Kazakh",
        _ => return tag.to_owned(),
    };
    format!("{name} ({tag})")
}

/// Draws the panel.
pub fn panel(
    ui: &mut egui::Ui,
    index: &FacetIndex,
    query: &FacetQuery,
    selection: &Selection,
    view: &mut FilterView,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.strong(format!(
            "{} of {} documents",
            selection.documents.len(),
            index.len()
        ));
        if *query != FacetQuery::default() && ui.button("Clear all").clicked() {
            commands.push(Command::ClearFilters);
            *view = FilterView::default();
        }
    });
    let summary = summary(index, query);
    if !summary.is_empty() {
        ui.label(egui::RichText::new(summary).small().weak());
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::CollapsingHeader::new("Date")
                .default_open(true)
                .show(ui, |ui| {
                    date_section(ui, query, selection, view, &mut commands);
                });
            egui::CollapsingHeader::new("Authors")
                .default_open(true)
                .show(ui, |ui| {
                    let toggles = people_facet(
                        ui,
                        &index.people,
                        &selection.authors,
                        &query.authors,
                        &mut view.author_narrow,
                    );
                    commands.extend(toggles.into_iter().map(Command::ToggleAuthor));
                });
            egui::CollapsingHeader::new("Recipients")
                .default_open(false)
                .show(ui, |ui| {
                    let toggles = people_facet(
                        ui,
                        &index.people,
                        &selection.recipients,
                        &query.recipients,
                        &mut view.recipient_narrow,
                    );
                    commands.extend(toggles.into_iter().map(Command::ToggleRecipient));
                });
            egui::CollapsingHeader::new("Archive")
                .default_open(true)
                .show(ui, |ui| {
                    if let Some(node) = query.archive {
                        ui.horizontal(|ui| {
                            ui.label(
                                egui::RichText::new(node_path_label(index, node, " / ")).strong(),
                            );
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
                        archive_node(ui, index, selection, root, query.archive, &mut commands);
                    }
                });
            egui::CollapsingHeader::new("Language")
                .default_open(true)
                .show(ui, |ui| {
                    ui.label(egui::RichText::new("Original").small().weak());
                    let toggled = value_list(
                        ui,
                        &selection.original_languages,
                        &query.original_languages,
                        |id| language_label(index.languages.label(id)),
                    );
                    commands.extend(toggled.into_iter().map(Command::ToggleOriginalLanguage));
                    ui.label(egui::RichText::new("Texts in").small().weak());
                    let toggled = value_list(
                        ui,
                        &selection.layer_languages,
                        &query.layer_languages,
                        |id| language_label(index.languages.label(id)),
                    );
                    commands.extend(toggled.into_iter().map(Command::ToggleLayerLanguage));
                });
            egui::CollapsingHeader::new("Kind")
                .default_open(true)
                .show(ui, |ui| {
                    let toggled = value_list(ui, &selection.kinds, &query.kinds, |id| {
                        index.kind_names.label(id).to_owned()
                    });
                    commands.extend(toggled.into_iter().map(Command::ToggleKind));
                });
        });
    commands
}

/// The values of a facet with their counts as checkboxes (or "none");
/// returns the ids the user toggled.
fn value_list(
    ui: &mut egui::Ui,
    counts: &[u32],
    selected: &[u32],
    label: impl Fn(u32) -> String,
) -> Vec<u32> {
    let ids = values(counts, selected);
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

/// An archive node's path: `GARF / R-9401ss / 2`.
fn node_path_label(index: &FacetIndex, node: u32, separator: &str) -> String {
    let labels: Vec<&str> = index
        .node_path(node)
        .iter()
        .map(|&n| index.archive_nodes[n as usize].label.as_str())
        .collect();
    labels.join(separator)
}

/// Says that a facet has no values in the selection.
fn none(ui: &mut egui::Ui) {
    ui.label(egui::RichText::new("none").weak().italics());
}

/// A checkbox that reports a click.
fn checkbox(ui: &mut egui::Ui, checked: bool, label: String) -> bool {
    let mut value = checked;
    ui.checkbox(&mut value, label).changed()
}

/// Ids with a count, or selected, by count (highest first).
fn values(counts: &[u32], selected: &[u32]) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..counts.len() as u32)
        .filter(|&id| counts[id as usize] > 0 || selected.contains(&id))
        .collect();
    ids.sort_by(|a, b| counts[*b as usize].cmp(&counts[*a as usize]).then(a.cmp(b)));
    ids
}

/// One line saying which filters are on.
fn summary(index: &FacetIndex, query: &FacetQuery) -> String {
    let mut parts = Vec::new();
    match (query.from, query.to) {
        (None, None) => {}
        (from, to) => parts.push(format!(
            "{} – {}",
            from.map_or_else(|| "…".to_owned(), |d| d.to_string()),
            to.map_or_else(|| "…".to_owned(), |d| d.to_string())
        )),
    }
    let names = |ids: &[u32], dict: &Dictionary| {
        ids.iter()
            .map(|&id| dict.label(id).to_owned())
            .collect::<Vec<_>>()
            .join(" or ")
    };
    if !query.authors.is_empty() {
        parts.push(format!("by {}", names(&query.authors, &index.people)));
    }
    if !query.recipients.is_empty() {
        parts.push(format!("to {}", names(&query.recipients, &index.people)));
    }
    if let Some(node) = query.archive {
        parts.push(format!("in {}", node_path_label(index, node, "/")));
    }
    if !query.original_languages.is_empty() {
        parts.push(format!(
            "original {}",
            names(&query.original_languages, &index.languages)
        ));
    }
    if !query.layer_languages.is_empty() {
        parts.push(format!(
            "texts in {}",
            names(&query.layer_languages, &index.languages)
        ));
    }
    if !query.kinds.is_empty() {
        parts.push(names(&query.kinds, &index.kind_names));
    }
    parts.join(" · ")
}

fn date_section(
    ui: &mut egui::Ui,
    query: &FacetQuery,
    selection: &Selection,
    view: &mut FilterView,
    commands: &mut Vec<Command>,
) {
    if let Some(command) = timeline(ui, query, selection) {
        if let Command::SetDates { from, to } = &command {
            view.from_text = from.map(|d| d.year.to_string()).unwrap_or_default();
            view.to_text = to.map(|d| d.year.to_string()).unwrap_or_default();
        }
        commands.push(command);
    }
    let mut apply = false;
    ui.horizontal(|ui| {
        ui.label("From");
        let from = ui.add(
            egui::TextEdit::singleline(&mut view.from_text)
                .desired_width(80.0)
                .hint_text("1945"),
        );
        ui.label("to");
        let to = ui.add(
            egui::TextEdit::singleline(&mut view.to_text)
                .desired_width(80.0)
                .hint_text("1947-06"),
        );
        let entered =
            (from.lost_focus() || to.lost_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter));
        apply = ui.button("Apply").clicked() || entered;
    });
    if apply {
        let parse = |text: &str, start: bool| -> Result<Option<Ymd>, String> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            let date = FuzzyDate::parse(text).map_err(|e| e.to_string())?;
            Ok(if start { date.start } else { date.end })
        };
        match (parse(&view.from_text, true), parse(&view.to_text, false)) {
            (Ok(from), Ok(to)) => {
                view.date_problem = None;
                commands.push(Command::SetDates { from, to });
            }
            (Err(e), _) | (_, Err(e)) => view.date_problem = Some(e),
        }
    }
    if let Some(problem) = &view.date_problem {
        ui.colored_label(ui.visuals().error_fg_color, problem);
    }
    let mut include = query.include_undated;
    if ui
        .checkbox(
            &mut include,
            format!("Include undated ({})", selection.undated),
        )
        .changed()
    {
        commands.push(Command::SetIncludeUndated(include));
    }
}

/// Documents per year as bars; click a bar for that year, drag across
/// bars for a range.
fn timeline(ui: &mut egui::Ui, query: &FacetQuery, selection: &Selection) -> Option<Command> {
    let (Some(&(first, _)), Some(&(last, _))) = (selection.years.first(), selection.years.last())
    else {
        ui.label(egui::RichText::new("No dated documents").weak());
        return None;
    };
    let width = ui.available_width().max(120.0);
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width, 56.0), egui::Sense::click_and_drag());
    let span = (last - first + 1) as f32;
    let max = selection
        .years
        .iter()
        .map(|(_, c)| *c)
        .max()
        .unwrap_or(1)
        .max(1) as f32;
    let year_at = |x: f32| {
        first + (((x - rect.left()) / rect.width() * span).floor() as i32).clamp(0, last - first)
    };
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(rect, 2.0, visuals.extreme_bg_color);
    let in_range = |year: i32| {
        let from_ok = query.from.is_none_or(|f| year >= f.year);
        let to_ok = query.to.is_none_or(|t| year <= t.year);
        (query.from.is_some() || query.to.is_some()) && from_ok && to_ok
    };
    for &(year, count) in &selection.years {
        let x0 = rect.left() + (year - first) as f32 / span * rect.width();
        let x1 = rect.left() + (year - first + 1) as f32 / span * rect.width();
        let height = (count as f32 / max) * (rect.height() - 4.0);
        let bar = egui::Rect::from_min_max(
            egui::pos2(x0 + 0.5, rect.bottom() - height.max(1.5)),
            egui::pos2((x1 - 0.5).max(x0 + 1.0), rect.bottom()),
        );
        let colour = if in_range(year) {
            visuals.selection.bg_fill
        } else {
            visuals.widgets.inactive.fg_stroke.color
        };
        painter.rect_filled(bar, 0.0, colour);
    }
    let small = egui::FontId::proportional(10.0);
    let weak = visuals.weak_text_color();
    painter.text(
        rect.left_top() + egui::vec2(3.0, 2.0),
        egui::Align2::LEFT_TOP,
        first.to_string(),
        small.clone(),
        weak,
    );
    painter.text(
        rect.right_top() + egui::vec2(-3.0, 2.0),
        egui::Align2::RIGHT_TOP,
        last.to_string(),
        small,
        weak,
    );
    let drag_id = response.id.with("drag-start");
    if response.drag_started()
        && let Some(pos) = response.interact_pointer_pos()
    {
        ui.data_mut(|d| d.insert_temp(drag_id, year_at(pos.x)));
    }
    if let Some(pos) = response.hover_pos() {
        let year = year_at(pos.x);
        let count = selection
            .years
            .iter()
            .find(|(y, _)| *y == year)
            .map_or(0, |(_, c)| *c);
        response
            .clone()
            .on_hover_text(format!("{year}: {count} documents"));
    }
    let range = if response.drag_stopped() {
        let start: Option<i32> = ui.data_mut(|d| d.remove_temp(drag_id));
        start.zip(response.interact_pointer_pos().map(|p| year_at(p.x)))
    } else if response.clicked() {
        response
            .interact_pointer_pos()
            .map(|p| (year_at(p.x), year_at(p.x)))
    } else {
        None
    };
    range.map(|(a, b)| Command::SetDates {
        from: Some(Ymd::first_of_year(a.min(b))),
        to: Some(Ymd::last_of_year(a.max(b))),
    })
}

/// A people facet: a box to narrow by name and the matching names with counts.
/// Returns the ids the user toggled.
fn people_facet(
    ui: &mut egui::Ui,
    people: &Dictionary,
    counts: &[u32],
    selected: &[u32],
    narrow: &mut String,
) -> Vec<u32> {
    let mut toggled = Vec::new();
    ui.add(
        egui::TextEdit::singleline(narrow)
            .hint_text("type to narrow")
            .desired_width(f32::INFINITY),
    );
    let mut ids = values(counts, selected);
    if !narrow.trim().is_empty() {
        let needle = crate::text::fold(narrow);
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

/// One node of the archive tree with its count; children open on demand.
fn archive_node(
    ui: &mut egui::Ui,
    index: &FacetIndex,
    selection: &Selection,
    node: u32,
    selected: Option<u32>,
    commands: &mut Vec<Command>,
) {
    let count = selection
        .archive_nodes
        .get(node as usize)
        .copied()
        .unwrap_or(0);
    if count == 0 && selected != Some(node) {
        return;
    }
    let info = &index.archive_nodes[node as usize];
    let label = format!("{} ({count})", info.label);
    let is_selected = selected == Some(node);
    let children: Vec<u32> = index.archive_children[node as usize]
        .iter()
        .copied()
        .filter(|&c| {
            selection
                .archive_nodes
                .get(c as usize)
                .copied()
                .unwrap_or(0)
                > 0
        })
        .collect();
    if children.is_empty() {
        if ui.selectable_label(is_selected, label).clicked() {
            commands.push(Command::SelectArchive(if is_selected {
                None
            } else {
                Some(node)
            }));
        }
        return;
    }
    let id = ui.make_persistent_id(("archive-node", node));
    egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, false)
        .show_header(ui, |ui| {
            if ui.selectable_label(is_selected, label).clicked() {
                commands.push(Command::SelectArchive(if is_selected {
                    None
                } else {
                    Some(node)
                }));
            }
        })
        .body(|ui| {
            for child in children {
                archive_node(ui, index, selection, child, selected, commands);
            }
        });
}
