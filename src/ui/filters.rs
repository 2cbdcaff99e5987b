//! The filter panel: the date range with a timeline of documents per year,
//! authors and recipients (type to narrow), the archive tree, languages and
//! kinds, each with live counts. It reads the facet index and the current
//! selection and returns [`Command`]s; only the text being typed is kept
//! here (view state).

use eframe::egui;

use super::Command;
use std::fmt::Write as _;

use crate::index::facets::{Dictionary, FacetIndex, FacetQuery, GroupBy, Selection, Stacks};
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
    /// The years the timeline shows (all when `None`); six years or fewer
    /// are shown by month.
    pub timeline_zoom: Option<(i32, i32)>,
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
    stacks: Option<&Stacks>,
    notes_section: impl FnOnce(&mut egui::Ui, &mut Vec<Command>),
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.strong(format!(
            "{} of {} documents",
            selection.documents.len(),
            index.len()
        ));
        if *query
            != (FacetQuery {
                within: query.within.clone(),
                ..FacetQuery::default()
            })
            && ui.button("Clear all").clicked()
        {
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
                    date_section(ui, query, selection, view, stacks, &mut commands);
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
            egui::CollapsingHeader::new("Tags and notes")
                .default_open(true)
                .show(ui, |ui| notes_section(ui, &mut commands));
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
    stacks: Option<&Stacks>,
    commands: &mut Vec<Command>,
) {
    if let Some(command) = timeline(ui, query, selection, stacks, &mut view.timeline_zoom) {
        if let Command::SetDates { from, to } = &command {
            view.from_text = from.map(|d| d.year.to_string()).unwrap_or_default();
            view.to_text = to.map(|d| d.year.to_string()).unwrap_or_default();
            if let (Some(from), Some(to)) = (from, to)
                && from.month == 1
                && to.month == 12
            {
                // Whole years: show them by month.
                view.from_text = from.year.to_string();
                view.to_text = to.year.to_string();
            } else if let (Some(from), Some(to)) = (from, to) {
                view.from_text = format!("{}-{:02}", from.year, from.month);
                view.to_text = format!("{}-{:02}", to.year, to.month);
            }
        }
        commands.push(command);
    }
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(egui::RichText::new("Colour by").small());
        let by = stacks.map_or(GroupBy::Nothing, |s| s.by);
        let name = |by: GroupBy| match by {
            GroupBy::Nothing => "nothing",
            GroupBy::Author => "author",
            GroupBy::Archive => "archive",
        };
        egui::ComboBox::from_id_salt("timeline-colour")
            .selected_text(name(by))
            .width(80.0)
            .show_ui(ui, |ui| {
                for choice in [GroupBy::Nothing, GroupBy::Author, GroupBy::Archive] {
                    if ui.selectable_label(by == choice, name(choice)).clicked() && by != choice {
                        commands.push(Command::SetTimelineColour(choice));
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    if let Some(stacks) = stacks {
        ui.horizontal_wrapped(|ui| {
            for (g, group) in stacks.labels.iter().enumerate() {
                // Swatch and name as one label, so they wrap together.
                let mut job = egui::text::LayoutJob::default();
                let font = egui::FontId::proportional(10.0);
                job.append(
                    "■ ",
                    0.0,
                    egui::TextFormat::simple(font.clone(), group_colour(g, stacks.labels.len())),
                );
                job.append(
                    group,
                    0.0,
                    egui::TextFormat::simple(font, ui.visuals().text_color()),
                );
                ui.add(egui::Label::new(job).wrap_mode(egui::TextWrapMode::Extend));
            }
        });
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

/// Colours of the timeline's groups (Okabe and Ito's palette, told apart
/// by colour-blind readers too); the last group ("other") is grey.
fn group_colour(group: usize, groups: usize) -> egui::Color32 {
    const PALETTE: [egui::Color32; 7] = [
        egui::Color32::from_rgb(0x00, 0x72, 0xB2),
        egui::Color32::from_rgb(0xE6, 0x9F, 0x00),
        egui::Color32::from_rgb(0x00, 0x9E, 0x73),
        egui::Color32::from_rgb(0xCC, 0x79, 0xA7),
        egui::Color32::from_rgb(0x56, 0xB4, 0xE9),
        egui::Color32::from_rgb(0xD5, 0x5E, 0x00),
        egui::Color32::from_rgb(0xF0, 0xE4, 0x42),
    ];
    if group + 1 == groups {
        egui::Color32::from_gray(140)
    } else {
        PALETTE[group % PALETTE.len()]
    }
}

/// Bars of the timeline: one per year, or per month when six years or
/// fewer are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Year,
    Month,
}

/// Years shown by month at most.
const MONTHS_UP_TO_YEARS: i32 = 6;

/// Counts by year or by month as one value per bar of the years `shown`.
fn per_bin(
    unit: Unit,
    (y0, y1): (i32, i32),
    years: &[(i32, u32)],
    months: &[(i32, u8, u32)],
) -> Vec<u32> {
    match unit {
        Unit::Year => (y0..=y1)
            .map(|y| {
                years
                    .iter()
                    .find(|(year, _)| *year == y)
                    .map_or(0, |(_, c)| *c)
            })
            .collect(),
        Unit::Month => {
            let mut bins = vec![0; ((y1 - y0 + 1) * 12) as usize];
            for &(year, month, count) in months {
                if (y0..=y1).contains(&year) && (1..=12).contains(&month) {
                    bins[((year - y0) * 12) as usize + usize::from(month - 1)] = count;
                }
            }
            bins
        }
    }
}

/// Documents per year (or month) as bars. Click a bar for that period,
/// drag across bars for a range (the list follows while dragging), turn
/// the wheel to zoom around the pointer.
fn timeline(
    ui: &mut egui::Ui,
    query: &FacetQuery,
    selection: &Selection,
    stacks: Option<&Stacks>,
    zoom: &mut Option<(i32, i32)>,
) -> Option<Command> {
    let (Some(&(first, _)), Some(&(last, _))) = (selection.years.first(), selection.years.last())
    else {
        ui.label(egui::RichText::new("No dated documents").weak());
        return None;
    };
    let (y0, y1) = zoom
        .map(|(a, b)| (a.max(first), b.min(last)))
        .filter(|(a, b)| a <= b)
        .unwrap_or((first, last));
    let unit = if y1 - y0 < MONTHS_UP_TO_YEARS {
        Unit::Month
    } else {
        Unit::Year
    };
    let bins = per_bin(unit, (y0, y1), &selection.years, &selection.months);
    // Documents dated by a span wider than a bin, covering each bin.
    let spans = per_bin(
        unit,
        (y0, y1),
        &selection.year_spans,
        &selection.month_spans,
    );
    // Per group of the colouring, its count in each bin.
    let stacked: Vec<Vec<u32>> = stacks
        .map(|stacks| {
            (0..stacks.labels.len())
                .map(|g| per_bin(unit, (y0, y1), &stacks.years[g], &stacks.months[g]))
                .collect()
        })
        .unwrap_or_default();
    // The first and last day of bin `i`.
    let bin_dates = |i: usize| -> (Ymd, Ymd) {
        match unit {
            Unit::Year => {
                let year = y0 + i as i32;
                (Ymd::first_of_year(year), Ymd::last_of_year(year))
            }
            Unit::Month => {
                let year = y0 + (i / 12) as i32;
                let month = (i % 12) as u8 + 1;
                (
                    Ymd::first_of_month(year, month),
                    Ymd::last_of_month(year, month),
                )
            }
        }
    };
    let width = ui.available_width().max(120.0);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 56.0), egui::Sense::hover());
    // A fixed id: a drag must survive the panel growing a line above the
    // timeline (the filter summary appears as soon as the range is set).
    let response = ui.interact(
        rect,
        egui::Id::unique("folio-timeline"),
        egui::Sense::click_and_drag(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, "Timeline"));
    let count = bins.len().max(1);
    let bin_at = |x: f32| -> usize {
        (((x - rect.left()) / rect.width() * count as f32).floor() as isize)
            .clamp(0, count as isize - 1) as usize
    };
    let max = bins.iter().chain(&spans).copied().max().unwrap_or(1).max(1) as f32;
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(rect, 2.0, visuals.extreme_bg_color);
    let from_day = query.from.map(Ymd::day_number);
    let to_day = query.to.map(Ymd::day_number);
    let in_range = |i: usize| {
        let (start, end) = bin_dates(i);
        (from_day.is_some() || to_day.is_some())
            && from_day.is_none_or(|f| end.day_number() >= f)
            && to_day.is_none_or(|t| start.day_number() <= t)
    };
    let bar_height = |n: u32| (n as f32 / max) * (rect.height() - 14.0);
    let bin_x = |i: usize| {
        (
            rect.left() + i as f32 / count as f32 * rect.width(),
            rect.left() + (i + 1) as f32 / count as f32 * rect.width(),
        )
    };
    // Spans first, as a light band behind the bars: documents known only
    // as a range (or, by month, only to the year) cover every bin they
    // may fall in.
    let band = visuals.selection.bg_fill.gamma_multiply(0.35);
    for (i, &n) in spans.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let (x0, x1) = bin_x(i);
        painter.rect_filled(
            egui::Rect::from_min_max(
                egui::pos2(x0, rect.bottom() - bar_height(n).max(1.5)),
                egui::pos2(x1, rect.bottom()),
            ),
            0.0,
            band,
        );
    }
    for (i, &n) in bins.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let (x0, x1) = bin_x(i);
        let x1 = (x1 - 0.5).max(x0 + 1.0);
        if stacked.is_empty() {
            let colour = if in_range(i) {
                visuals.selection.bg_fill
            } else {
                visuals.widgets.inactive.fg_stroke.color
            };
            let bar = egui::Rect::from_min_max(
                egui::pos2(x0 + 0.5, rect.bottom() - bar_height(n).max(1.5)),
                egui::pos2(x1, rect.bottom()),
            );
            painter.rect_filled(bar, 0.0, colour);
        } else {
            let mut bottom = rect.bottom();
            for (g, group) in stacked.iter().enumerate() {
                let h = bar_height(group[i]);
                if group[i] == 0 {
                    continue;
                }
                let bar = egui::Rect::from_min_max(
                    egui::pos2(x0 + 0.5, bottom - h.max(1.0)),
                    egui::pos2(x1, bottom),
                );
                painter.rect_filled(bar, 0.0, group_colour(g, stacked.len()));
                bottom -= h;
            }
            if in_range(i) {
                painter.rect_stroke(
                    egui::Rect::from_min_max(
                        egui::pos2(x0 + 0.5, rect.bottom() - bar_height(n).max(1.5)),
                        egui::pos2(x1, rect.bottom()),
                    ),
                    0.0,
                    visuals.selection.stroke,
                    egui::StrokeKind::Outside,
                );
            }
        }
    }
    let label = |i: usize| match unit {
        Unit::Year => (y0 + i as i32).to_string(),
        Unit::Month => {
            let (start, _) = bin_dates(i);
            format!("{}-{:02}", start.year, start.month)
        }
    };
    let small = egui::FontId::proportional(10.0);
    let weak = visuals.weak_text_color();
    painter.text(
        rect.left_top() + egui::vec2(3.0, 2.0),
        egui::Align2::LEFT_TOP,
        label(0),
        small.clone(),
        weak,
    );
    painter.text(
        rect.right_top() + egui::vec2(-3.0, 2.0),
        egui::Align2::RIGHT_TOP,
        label(count - 1),
        small,
        weak,
    );

    // Zoom with the wheel around the pointer, in whole years.
    if let Some(pos) = response.hover_pos() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        if scroll.abs() > 0.5 {
            ui.input_mut(|i| i.smooth_scroll_delta.y = 0.0);
            let span = (y1 - y0 + 1) as f32;
            let new_span = (span * if scroll > 0.0 { 0.8 } else { 1.25 })
                .round()
                .clamp(1.0, (last - first + 1) as f32) as i32;
            let at = ((pos.x - rect.left()) / rect.width()).clamp(0.0, 1.0);
            let pivot = y0 as f32 + at * span;
            let start = (pivot - at * new_span as f32).round() as i32;
            let start = start.clamp(first, (last - new_span + 1).max(first));
            *zoom = Some((start, start + new_span - 1)).filter(|&(a, b)| (a, b) != (first, last));
        }
        let i = bin_at(pos.x);
        let mut tip = format!(
            "{}: {} documents",
            label(i),
            bins.get(i).copied().unwrap_or(0)
        );
        if let Some(stacks) = stacks {
            for (g, group) in stacked.iter().enumerate() {
                if group[i] > 0 {
                    let _ = write!(tip, "\n  {}: {}", stacks.labels[g], group[i]);
                }
            }
        }
        if let Some(&n) = spans.get(i).filter(|n| **n > 0) {
            let _ = write!(
                tip,
                "\n{n} more dated by a wider span may fall here (light band)"
            );
        }
        tip.push_str("\nclick: list them · drag: a range · wheel: zoom");
        response.clone().on_hover_text(tip);
    }

    let drag_id = response.id.with("drag-start");
    // The brush starts where the button went down, not where the drag was
    // recognised a few pixels later.
    if response.drag_started()
        && let Some(pos) = ui
            .input(|i| i.pointer.press_origin())
            .or_else(|| response.interact_pointer_pos())
    {
        ui.data_mut(|d| d.insert_temp(drag_id, bin_at(pos.x)));
    }
    let range = if response.dragged() || response.drag_stopped() {
        let start: Option<usize> = ui.data(|d| d.get_temp(drag_id));
        let range = start.zip(response.interact_pointer_pos().map(|p| bin_at(p.x)));
        if let Some((a, b)) = range {
            // The brush.
            let x0 = rect.left() + a.min(b) as f32 / count as f32 * rect.width();
            let x1 = rect.left() + (a.max(b) + 1) as f32 / count as f32 * rect.width();
            painter.rect_stroke(
                egui::Rect::from_x_y_ranges(x0..=x1, rect.y_range()),
                1.0,
                visuals.selection.stroke,
                egui::StrokeKind::Inside,
            );
        }
        if response.drag_stopped() {
            ui.data_mut(|d| d.remove_temp::<usize>(drag_id));
        }
        range
    } else if response.clicked() {
        response
            .interact_pointer_pos()
            .map(|p| (bin_at(p.x), bin_at(p.x)))
    } else {
        None
    };
    if zoom.is_some() || unit == Unit::Month {
        ui.horizontal(|ui| {
            if zoom.is_some() && ui.small_button("All years").clicked() {
                *zoom = None;
            }
            if unit == Unit::Month {
                ui.label(
                    egui::RichText::new(
                        "by month; dates known only to the year are in the light band",
                    )
                    .small()
                    .weak(),
                );
            }
        });
    }
    let (a, b) = range?;
    let from = bin_dates(a.min(b)).0;
    let to = bin_dates(a.max(b)).1;
    if response.drag_stopped() && unit == Unit::Year && to.year - from.year < MONTHS_UP_TO_YEARS {
        // A few years brushed: show them by month for a finer pick.
        *zoom = Some((from.year, to.year));
    }
    if query.from == Some(from) && query.to == Some(to) {
        return None;
    }
    Some(Command::SetDates {
        from: Some(from),
        to: Some(to),
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
