//! The timeline: documents per year (or per month when six years or fewer
//! are shown) as bars, with the band of documents dated by a wider span
//! behind them, coloured by author or archive on demand. Click a bar for
//! that period, drag across bars for a range, turn the wheel to zoom.

use std::fmt::Write as _;

use eframe::egui;

use crate::index::facets::{Selection, Stacks};
use crate::index::filter::Filter;
use crate::model::Ymd;
use crate::ui::Command;

/// How far the timeline is zoomed.
#[derive(Debug, Default, Clone)]
pub struct Timeline {
    /// The years shown (all when `None`); six years or fewer are shown by
    /// month.
    pub zoom: Option<(i32, i32)>,
}

/// Colours of the timeline's groups (Okabe and Ito's palette, told apart
/// by colour-blind readers too); the last group ("other") is grey.
pub fn group_colour(group: usize, groups: usize) -> egui::Color32 {
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
impl Timeline {
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        filter: &Filter,
        selection: &Selection,
        stacks: Option<&Stacks>,
    ) -> Option<Command> {
        let zoom = &mut self.zoom;
        let (Some(&(first, _)), Some(&(last, _))) =
            (selection.years.first(), selection.years.last())
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
        let max = bins.iter().chain(&spans).copied().max().unwrap_or(1).max(1) as f32;
        let painter = ui.painter_at(rect);
        let visuals = ui.visuals();
        painter.rect_filled(rect, 2.0, visuals.extreme_bg_color);
        let from_day = filter.from.map(Ymd::day_number);
        let to_day = filter.to.map(Ymd::day_number);
        let in_range = |i: usize| {
            let (start, end) = bin_dates(i);
            (from_day.is_some() || to_day.is_some())
                && from_day.is_none_or(|f| end.day_number() >= f)
                && to_day.is_none_or(|t| start.day_number() <= t)
        };
        let geometry = Geometry { rect, count, max };
        paint_bars(
            &painter,
            visuals,
            geometry,
            (&bins, &spans, &stacked),
            &in_range,
        );
        let label = |i: usize| match unit {
            Unit::Year => (y0 + i as i32).to_string(),
            Unit::Month => {
                let (start, _) = bin_dates(i);
                format!("{}-{:02}", start.year, start.month)
            }
        };
        end_labels(&painter, visuals, rect, (&label(0), &label(count - 1)));

        // Zoom with the wheel around the pointer, in whole years.
        if let Some(pos) = response.hover_pos() {
            wheel_zoom(ui, zoom, pos.x, rect, (y0, y1), (first, last));
            let i = geometry.bin_at(pos.x);
            let mut tip = format!(
                "{}: {}",
                label(i),
                crate::text::count(
                    bins.get(i).copied().unwrap_or(0) as usize,
                    "document",
                    "documents"
                )
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

        let range = brush(ui, &response, &painter, geometry);
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
        if response.drag_stopped() && unit == Unit::Year && to.year - from.year < MONTHS_UP_TO_YEARS
        {
            // A few years brushed: show them by month for a finer pick.
            *zoom = Some((from.year, to.year));
        }
        if filter.from == Some(from) && filter.to == Some(to) {
            return None;
        }
        Some(Command::SetDates {
            from: Some(from),
            to: Some(to),
        })
    }
}

/// Where the bars are drawn: the rectangle, the number of bars and the
/// tallest count.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    rect: egui::Rect,
    count: usize,
    max: f32,
}

impl Geometry {
    fn bar_height(&self, n: u32) -> f32 {
        (n as f32 / self.max) * (self.rect.height() - 14.0)
    }

    /// The left and right edges of bar `i`.
    fn bin_x(&self, i: usize) -> (f32, f32) {
        let rect = self.rect;
        let count = self.count as f32;
        (
            rect.left() + i as f32 / count * rect.width(),
            rect.left() + (i + 1) as f32 / count * rect.width(),
        )
    }

    /// The bar under `x`.
    fn bin_at(&self, x: f32) -> usize {
        (((x - self.rect.left()) / self.rect.width() * self.count as f32).floor() as isize)
            .clamp(0, self.count as isize - 1) as usize
    }
}

/// The band of spans behind the bars, then the bars (stacked by group when
/// coloured), those in the chosen range marked.
fn paint_bars(
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    geometry: Geometry,
    (bins, spans, stacked): (&[u32], &[u32], &[Vec<u32>]),
    in_range: &dyn Fn(usize) -> bool,
) {
    // Spans first, as a light band behind the bars: documents known only
    // as a range (or, by month, only to the year) cover every bin they
    // may fall in.
    let band = visuals.selection.bg_fill.gamma_multiply(0.35);
    for (i, &n) in spans.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let (x0, x1) = geometry.bin_x(i);
        painter.rect_filled(
            egui::Rect::from_min_max(
                egui::pos2(x0, geometry.rect.bottom() - geometry.bar_height(n).max(1.5)),
                egui::pos2(x1, geometry.rect.bottom()),
            ),
            0.0,
            band,
        );
    }
    for (i, &n) in bins.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let (x0, x1) = geometry.bin_x(i);
        let x1 = (x1 - 0.5).max(x0 + 1.0);
        if stacked.is_empty() {
            let colour = if in_range(i) {
                visuals.selection.bg_fill
            } else {
                visuals.widgets.inactive.fg_stroke.color
            };
            let bar = egui::Rect::from_min_max(
                egui::pos2(
                    x0 + 0.5,
                    geometry.rect.bottom() - geometry.bar_height(n).max(1.5),
                ),
                egui::pos2(x1, geometry.rect.bottom()),
            );
            painter.rect_filled(bar, 0.0, colour);
        } else {
            let mut bottom = geometry.rect.bottom();
            for (g, group) in stacked.iter().enumerate() {
                let h = geometry.bar_height(group[i]);
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
                        egui::pos2(
                            x0 + 0.5,
                            geometry.rect.bottom() - geometry.bar_height(n).max(1.5),
                        ),
                        egui::pos2(x1, geometry.rect.bottom()),
                    ),
                    0.0,
                    visuals.selection.stroke,
                    egui::StrokeKind::Outside,
                );
            }
        }
    }
}

/// Turning the wheel over the timeline zooms around the pointer, in whole
/// years.
fn wheel_zoom(
    ui: &egui::Ui,
    zoom: &mut Option<(i32, i32)>,
    x: f32,
    rect: egui::Rect,
    (y0, y1): (i32, i32),
    (first, last): (i32, i32),
) {
    let scroll = ui.input(|i| i.smooth_scroll_delta.y);
    if scroll.abs() > 0.5 {
        ui.input_mut(|i| i.smooth_scroll_delta.y = 0.0);
        let span = (y1 - y0 + 1) as f32;
        let new_span = (span * if scroll > 0.0 { 0.8 } else { 1.25 })
            .round()
            .clamp(1.0, (last - first + 1) as f32) as i32;
        let at = ((x - rect.left()) / rect.width()).clamp(0.0, 1.0);
        let pivot = y0 as f32 + at * span;
        let start = (pivot - at * new_span as f32).round() as i32;
        let start = start.clamp(first, (last - new_span + 1).max(first));
        *zoom = Some((start, start + new_span - 1)).filter(|&(a, b)| (a, b) != (first, last));
    }
}

/// A click on a bar or a drag across bars: the bars chosen (first, last),
/// with the brush drawn while dragging.
fn brush(
    ui: &egui::Ui,
    response: &egui::Response,
    painter: &egui::Painter,
    geometry: Geometry,
) -> Option<(usize, usize)> {
    let drag_id = response.id.with("drag-start");
    // The brush starts where the button went down, not where the drag was
    // recognised a few pixels later.
    if response.drag_started()
        && let Some(pos) = ui
            .input(|i| i.pointer.press_origin())
            .or_else(|| response.interact_pointer_pos())
    {
        ui.data_mut(|d| d.insert_temp(drag_id, geometry.bin_at(pos.x)));
    }
    if response.dragged() || response.drag_stopped() {
        let start: Option<usize> = ui.data(|d| d.get_temp(drag_id));
        let range = start.zip(
            response
                .interact_pointer_pos()
                .map(|p| geometry.bin_at(p.x)),
        );
        if let Some((a, b)) = range {
            // The brush.
            let (x0, _) = geometry.bin_x(a.min(b));
            let (_, x1) = geometry.bin_x(a.max(b));
            painter.rect_stroke(
                egui::Rect::from_x_y_ranges(x0..=x1, geometry.rect.y_range()),
                1.0,
                ui.visuals().selection.stroke,
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
            .map(|p| (geometry.bin_at(p.x), geometry.bin_at(p.x)))
    } else {
        None
    }
}

/// The first and last bar's period, at the ends of the timeline.
fn end_labels(
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    rect: egui::Rect,
    (first, last): (&str, &str),
) {
    let small = egui::FontId::proportional(crate::ui::style::SMALLEST);
    let weak = visuals.weak_text_color();
    painter.text(
        rect.left_top() + egui::vec2(3.0, 2.0),
        egui::Align2::LEFT_TOP,
        first,
        small.clone(),
        weak,
    );
    painter.text(
        rect.right_top() + egui::vec2(-3.0, 2.0),
        egui::Align2::RIGHT_TOP,
        last,
        small,
        weak,
    );
}
