//! The timeline: documents per year (or per month when six years or fewer
//! are shown) as bars, with the band of documents dated by a wider span
//! behind them, coloured by author or archive on demand. Click a bar for
//! that period, drag across bars for a range, turn the wheel to zoom.

use std::fmt::Write as _;

use eframe::egui;

use super::dates::DateData;
use crate::index::facets::Stacks;
use crate::model::{MONTH_NAMES, Ymd};
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

/// The timeline's height (the bars' area) at first, and its limits.
pub const DEFAULT_HEIGHT: f32 = 90.0;
const MIN_HEIGHT: f32 = 48.0;
const MAX_HEIGHT: f32 = 400.0;
/// Room under the bars for the axis's ticks and labels.
const AXIS: f32 = 16.0;

/// Documents per year (or month) as bars over a labelled axis. Click a
/// bar for that period, drag across bars for a range (the list follows
/// while dragging), turn the wheel to zoom around the pointer, scroll
/// sideways (or Shift and the wheel, or drag with the right button) to
/// pan, double-click to see every year again with no range; drag the
/// edge below the axis to make it taller.
impl Timeline {
    pub fn show(&mut self, ui: &mut egui::Ui, data: DateData<'_>) -> Vec<Command> {
        let DateData {
            filter,
            selection,
            stacks,
            timeline_height: height,
        } = data;
        let mut commands = Vec::new();
        let zoom = &mut self.zoom;
        let (Some(&(first, _)), Some(&(last, _))) =
            (selection.years.first(), selection.years.last())
        else {
            ui.label(egui::RichText::new("No dated documents").weak());
            return commands;
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
        let bins_of = Bins { unit, y0 };
        let width = ui.available_width().max(120.0);
        let height = height.clamp(MIN_HEIGHT, MAX_HEIGHT);
        let (whole, _) =
            ui.allocate_exact_size(egui::vec2(width, height + AXIS), egui::Sense::hover());
        let rect = egui::Rect::from_min_size(whole.min, egui::vec2(width, height));
        // A fixed id: a drag must survive the panel growing a line above the
        // timeline.
        let response = ui.interact(
            rect,
            egui::Id::unique("folio-timeline"),
            egui::Sense::click_and_drag(),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, "Timeline"));
        let count = bins.len().max(1);
        // Bars are scaled to the precisely dated counts, so the band of
        // wider spans (often many more) never flattens them; the band is
        // cut at the top.
        let precise_max = bins.iter().copied().max().unwrap_or(0);
        let max = if precise_max > 0 {
            precise_max
        } else {
            spans.iter().copied().max().unwrap_or(1).max(1)
        } as f32;
        let painter = ui.painter_at(whole);
        let visuals = ui.visuals();
        painter.rect_filled(rect, 2.0, visuals.extreme_bg_color);
        let from_day = filter.from.map(Ymd::day_number);
        let to_day = filter.to.map(Ymd::day_number);
        let in_range = |i: usize| {
            let (start, end) = bins_of.dates(i);
            (from_day.is_some() || to_day.is_some())
                && from_day.is_none_or(|f| end.day_number() >= f)
                && to_day.is_none_or(|t| start.day_number() <= t)
        };
        let geometry = Geometry { rect, count, max };
        let hovered = response.hover_pos().map(|pos| geometry.bin_at(pos.x));
        if let Some(i) = hovered {
            let (x0, x1) = geometry.bin_x(i);
            painter.rect_filled(
                egui::Rect::from_x_y_ranges(x0..=x1, rect.y_range()),
                0.0,
                visuals.widgets.hovered.weak_bg_fill,
            );
        }
        paint_bars(
            &painter,
            visuals,
            geometry,
            (&bins, &spans, &stacked),
            &in_range,
        );
        scale_label(&painter, visuals, rect, max as u32, unit);
        axis(&painter, visuals, geometry, bins_of);

        if let Some(i) = hovered {
            pan_and_zoom(ui, zoom, &response, rect, (y0, y1), (first, last));
            let tip = hover_tip(bins_of, i, &bins, &spans, (&stacked, stacks));
            response.clone().on_hover_text(tip);
        } else if response.dragged_by(egui::PointerButton::Secondary)
            || response.dragged_by(egui::PointerButton::Middle)
        {
            pan_and_zoom(ui, zoom, &response, rect, (y0, y1), (first, last));
        }
        if response.double_clicked() {
            *zoom = None;
            commands.push(Command::SetDates {
                from: None,
                to: None,
            });
            return commands;
        }
        if let Some(height) = resize_handle(ui, whole, height) {
            commands.push(Command::SetTimelineHeight(height));
        }

        let range = brush(ui, &response, &painter, geometry, bins_of);
        footer(ui, zoom, unit);
        let Some((a, b)) = range else {
            return commands;
        };
        let from = bins_of.dates(a.min(b)).0;
        let to = bins_of.dates(a.max(b)).1;
        if response.drag_stopped() && unit == Unit::Year && to.year - from.year < MONTHS_UP_TO_YEARS
        {
            // A few years brushed: show them by month for a finer pick.
            *zoom = Some((from.year, to.year));
        }
        if filter.from != Some(from) || filter.to != Some(to) {
            commands.push(Command::SetDates {
                from: Some(from),
                to: Some(to),
            });
        }
        commands
    }
}

/// What the bar `i` under the pointer holds, and what the pointer can do.
fn hover_tip(
    bins_of: Bins,
    i: usize,
    bins: &[u32],
    spans: &[u32],
    (stacked, stacks): (&[Vec<u32>], Option<&Stacks>),
) -> String {
    let mut tip = format!(
        "{}: {}",
        bins_of.label(i),
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
            "\n{n} more dated only by a wider span may fall here (light band)"
        );
    }
    tip.push_str(
        "\nclick: list them · drag: a range · wheel: zoom · \
         sideways or right-drag: pan · double-click: all years",
    );
    tip
}

/// Under the timeline when zoomed or by month: the way back to every year
/// and what the light band means by month.
fn footer(ui: &mut egui::Ui, zoom: &mut Option<(i32, i32)>, unit: Unit) {
    if zoom.is_none() && unit == Unit::Year {
        return;
    }
    // Wrapped, so that the panel never widens for it.
    ui.horizontal_wrapped(|ui| {
        if zoom.is_some() && ui.small_button("All years").clicked() {
            *zoom = None;
        }
        if unit == Unit::Month {
            ui.add(
                egui::Label::new(
                    egui::RichText::new(
                        "by month; dates known only to the year are in the light band",
                    )
                    .small()
                    .weak(),
                )
                .wrap(),
            );
        }
    });
}

/// The bars' periods: years from `y0`, or months from January of `y0`.
#[derive(Debug, Clone, Copy)]
struct Bins {
    unit: Unit,
    y0: i32,
}

impl Bins {
    /// The first and last day of bar `i`.
    fn dates(self, i: usize) -> (Ymd, Ymd) {
        match self.unit {
            Unit::Year => {
                let year = self.y0 + i as i32;
                (Ymd::first_of_year(year), Ymd::last_of_year(year))
            }
            Unit::Month => {
                let (year, month) = self.month(i);
                (
                    Ymd::first_of_month(year, month),
                    Ymd::last_of_month(year, month),
                )
            }
        }
    }

    /// Year and month (1–12) of bar `i` by month.
    fn month(self, i: usize) -> (i32, u8) {
        (self.y0 + (i / 12) as i32, (i % 12) as u8 + 1)
    }

    /// Bar `i`'s period in words: "1945", "April 1945".
    fn label(self, i: usize) -> String {
        match self.unit {
            Unit::Year => (self.y0 + i as i32).to_string(),
            Unit::Month => {
                let (year, month) = self.month(i);
                format!("{} {year}", MONTH_NAMES[usize::from(month - 1)])
            }
        }
    }

    /// Bars `a..=b` as a range of dates: "1944 – 1947", "April – June 1945".
    fn range_label(self, a: usize, b: usize) -> String {
        let (a, b) = (a.min(b), a.max(b));
        match self.unit {
            Unit::Year if a == b => self.label(a),
            Unit::Year => format!("{} – {}", self.label(a), self.label(b)),
            Unit::Month => {
                let ((ya, ma), (yb, mb)) = (self.month(a), self.month(b));
                let name = |m: u8| MONTH_NAMES[usize::from(m - 1)];
                if a == b {
                    self.label(a)
                } else if ya == yb {
                    format!("{} – {} {yb}", name(ma), name(mb))
                } else {
                    format!("{} {ya} – {} {yb}", name(ma), name(mb))
                }
            }
        }
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
    /// The height of `n` documents (the tallest bar leaves room for the
    /// scale's label above it).
    fn bar_height(&self, n: u32) -> f32 {
        (n as f32 / self.max) * (self.rect.height() - 16.0)
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
        let top = geometry.rect.bottom() - geometry.bar_height(n).max(1.5);
        painter.rect_filled(
            egui::Rect::from_min_max(
                egui::pos2(x0, top.max(geometry.rect.top())),
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

/// The wheel (or a pinch) over the timeline zooms around the pointer, in
/// whole years; scrolling sideways, Shift and the wheel, or dragging with
/// the right or middle button pans.
fn pan_and_zoom(
    ui: &egui::Ui,
    zoom: &mut Option<(i32, i32)>,
    response: &egui::Response,
    rect: egui::Rect,
    (y0, y1): (i32, i32),
    (first, last): (i32, i32),
) {
    let span = (y1 - y0 + 1) as f32;
    let (scroll, pinch, shift) =
        ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.modifiers.shift));
    // Sideways: a horizontal scroll, Shift with the wheel, or a drag.
    let mut sideways = if shift && scroll.x == 0.0 {
        scroll.y
    } else {
        scroll.x
    };
    if response.dragged_by(egui::PointerButton::Secondary)
        || response.dragged_by(egui::PointerButton::Middle)
    {
        sideways += response.drag_delta().x;
    }
    let key = response.id.with("pan-rest");
    if sideways.abs() > 0.0 {
        ui.ctx()
            .input_mut(|i| i.smooth_scroll_delta = egui::Vec2::ZERO);
        // Fractions of a year carry over between frames.
        let rest: f32 = ui.data(|d| d.get_temp(key)).unwrap_or(0.0);
        let years = rest - sideways / rect.width() * span;
        let whole = years.trunc();
        ui.data_mut(|d| d.insert_temp(key, years - whole));
        let shift_by = whole as i32;
        if shift_by != 0 {
            let width = y1 - y0;
            let start = (y0 + shift_by).clamp(first, (last - width).max(first));
            *zoom = Some((start, start + width)).filter(|&(a, b)| (a, b) != (first, last));
        }
        return;
    }
    let factor = if (pinch - 1.0).abs() > 1e-3 {
        1.0 / pinch
    } else if scroll.y.abs() > 0.5 {
        if scroll.y > 0.0 { 0.8 } else { 1.25 }
    } else {
        return;
    };
    ui.ctx()
        .input_mut(|i| i.smooth_scroll_delta = egui::Vec2::ZERO);
    let Some(x) = response.hover_pos().map(|p| p.x) else {
        return;
    };
    let new_span = (span * factor)
        .round()
        .clamp(1.0, (last - first + 1) as f32) as i32;
    let at = ((x - rect.left()) / rect.width()).clamp(0.0, 1.0);
    let pivot = y0 as f32 + at * span;
    let start = (pivot - at * new_span as f32).round() as i32;
    let start = start.clamp(first, (last - new_span + 1).max(first));
    *zoom = Some((start, start + new_span - 1)).filter(|&(a, b)| (a, b) != (first, last));
}

/// The strip under the axis that makes the timeline taller or shorter;
/// the new height while it is dragged.
fn resize_handle(ui: &egui::Ui, whole: egui::Rect, height: f32) -> Option<f32> {
    let strip = egui::Rect::from_min_max(
        egui::pos2(whole.left(), whole.bottom() - 4.0),
        egui::pos2(whole.right(), whole.bottom() + 3.0),
    );
    let response = ui
        .interact(
            strip,
            egui::Id::unique("folio-timeline-height"),
            egui::Sense::drag(),
        )
        .on_hover_cursor(egui::CursorIcon::ResizeVertical)
        .on_hover_text("Drag to make the timeline taller or shorter");
    if response.hovered() || response.dragged() {
        ui.painter().hline(
            whole.x_range(),
            whole.bottom(),
            ui.visuals().widgets.hovered.fg_stroke,
        );
    }
    let dy = response.drag_delta().y;
    (response.dragged() && dy != 0.0).then(|| (height + dy).clamp(MIN_HEIGHT, MAX_HEIGHT))
}

/// A click on a bar or a drag across bars: the bars chosen (first, last),
/// with the brush drawn while dragging.
fn brush(
    ui: &egui::Ui,
    response: &egui::Response,
    painter: &egui::Painter,
    geometry: Geometry,
    bins: Bins,
) -> Option<(usize, usize)> {
    let drag_id = response.id.with("drag-start");
    let primary = egui::PointerButton::Primary;
    // The brush starts where the button went down, not where the drag was
    // recognised a few pixels later.
    if response.drag_started_by(primary)
        && let Some(pos) = ui
            .input(|i| i.pointer.press_origin())
            .or_else(|| response.interact_pointer_pos())
    {
        ui.data_mut(|d| d.insert_temp(drag_id, geometry.bin_at(pos.x)));
    }
    if response.dragged_by(primary) || response.drag_stopped_by(primary) {
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
            // The dates brushed, over the brush (kept inside the chart).
            let text = bins.range_label(a, b);
            let font = egui::FontId::proportional(crate::ui::style::SMALLEST);
            let galley = painter.layout_no_wrap(text, font, ui.visuals().strong_text_color());
            let x = (f32::midpoint(x0, x1) - galley.size().x / 2.0).clamp(
                geometry.rect.left() + 2.0,
                (geometry.rect.right() - galley.size().x - 2.0).max(geometry.rect.left() + 2.0),
            );
            let at = egui::pos2(x, geometry.rect.top() + 2.0);
            painter.rect_filled(
                egui::Rect::from_min_size(at, galley.size()).expand(2.0),
                2.0,
                ui.visuals().extreme_bg_color,
            );
            painter.galley(at, galley, ui.visuals().strong_text_color());
        }
        if response.drag_stopped_by(primary) {
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

/// A tick of the axis under bar `bar` (at its left edge), long when it
/// marks a labelled step, with the label and where it goes.
#[derive(Debug, Clone, PartialEq)]
struct Tick {
    bar: usize,
    long: bool,
    label: Option<(String, LabelAt)>,
}

/// Where a tick's label goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelAt {
    /// Under the tick (a year on a narrow bar, a year's start by month).
    Tick,
    /// Under the middle of the bar (a wide year, a month).
    Bar,
}

/// The axis's ticks for `count` bars `bar` points wide, labels at least
/// `year_label` (or `month_label` for months' names) apart: a year label
/// at the smallest round step whose labels fit, a short tick at each bar
/// where bars are at least 3 points wide.
fn ticks(bins: Bins, count: usize, bar: f32, year_label: f32, month_label: f32) -> Vec<Tick> {
    let year_width = match bins.unit {
        Unit::Year => bar,
        Unit::Month => bar * 12.0,
    };
    let step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|&step| step as f32 * year_width >= year_label)
        .unwrap_or(1000);
    let months_named = bins.unit == Unit::Month && bar >= month_label;
    let mut out = Vec::new();
    for i in 0..count {
        let (year, month) = match bins.unit {
            Unit::Year => (bins.y0 + i as i32, 1),
            Unit::Month => bins.month(i),
        };
        let stepped = month == 1 && year.rem_euclid(step) == 0;
        let label = if months_named {
            let name: String = MONTH_NAMES[usize::from(month - 1)]
                .chars()
                .take(3)
                .collect();
            Some((
                if month == 1 { year.to_string() } else { name },
                LabelAt::Bar,
            ))
        } else if stepped {
            let at = if bins.unit == Unit::Year && bar >= year_label {
                LabelAt::Bar
            } else {
                LabelAt::Tick
            };
            Some((year.to_string(), at))
        } else {
            None
        };
        if stepped || bar >= 3.0 || label.is_some() {
            out.push(Tick {
                bar: i,
                long: stepped,
                label,
            });
        }
    }
    out
}

/// The axis under the bars: its line, [`ticks`] and their labels.
fn axis(painter: &egui::Painter, visuals: &egui::Visuals, geometry: Geometry, bins: Bins) {
    let rect = geometry.rect;
    let font = egui::FontId::proportional(crate::ui::style::SMALLEST);
    let weak = visuals.weak_text_color();
    let line = egui::Stroke::new(1.0, weak.gamma_multiply(0.6));
    painter.hline(rect.x_range(), rect.bottom(), line);
    let width = |text: &str| {
        painter
            .layout_no_wrap(text.to_owned(), font.clone(), weak)
            .size()
            .x
    };
    let (year_label, month_label) = (width("0000") + 8.0, width("Sep") + 6.0);
    let bar = rect.width() / geometry.count as f32;
    for tick in ticks(bins, geometry.count, bar, year_label, month_label) {
        let (x, x_end) = geometry.bin_x(tick.bar);
        let length = if tick.long { 5.0 } else { 2.5 };
        painter.vline(x, rect.bottom()..=rect.bottom() + length, line);
        let Some((label, at)) = tick.label else {
            continue;
        };
        let centre = match at {
            LabelAt::Tick => x,
            LabelAt::Bar => f32::midpoint(x, x_end),
        };
        // A label at an end of the axis is moved in, not cut.
        let half = width(&label) / 2.0;
        let centre = centre.clamp(
            rect.left() + half,
            (rect.right() - half).max(rect.left() + half),
        );
        {
            painter.text(
                egui::pos2(centre, rect.bottom() + 4.0),
                egui::Align2::CENTER_TOP,
                label,
                font.clone(),
                weak,
            );
        }
    }
}

/// What the tallest bar counts, at the top left, so heights can be read.
fn scale_label(
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    rect: egui::Rect,
    max: u32,
    unit: Unit,
) {
    let per = match unit {
        Unit::Year => "a year",
        Unit::Month => "a month",
    };
    painter.text(
        rect.left_top() + egui::vec2(3.0, 1.0),
        egui::Align2::LEFT_TOP,
        format!("up to {max} {per}"),
        egui::FontId::proportional(crate::ui::style::SMALLEST),
        visuals.weak_text_color(),
    );
    // A faint line at that height.
    let y = rect.top() + 16.0;
    painter.hline(
        rect.x_range(),
        y,
        egui::Stroke::new(0.5, visuals.weak_text_color().gamma_multiply(0.4)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(ticks: &[Tick]) -> Vec<&str> {
        ticks
            .iter()
            .filter_map(|t| t.label.as_ref().map(|(l, _)| l.as_str()))
            .collect()
    }

    #[test]
    fn years_are_labelled_at_round_steps_that_fit() {
        // 88 years in 250 points: a label every 20 years (10 would not fit).
        let bins = Bins {
            unit: Unit::Year,
            y0: 1937,
        };
        let ticks = ticks(bins, 88, 250.0 / 88.0, 36.0, 26.0);
        assert_eq!(labels(&ticks), ["1940", "1960", "1980", "2000", "2020"]);
        // Bars under 3 points get no short ticks.
        assert!(ticks.iter().all(|t| t.long));
        // Eleven years in 600 points: every year, under its bar.
        let wide = super::ticks(
            Bins {
                unit: Unit::Year,
                y0: 1940,
            },
            11,
            600.0 / 11.0,
            36.0,
            26.0,
        );
        assert_eq!(labels(&wide).len(), 11);
        assert!(
            wide.iter()
                .all(|t| t.label.as_ref().is_some_and(|(_, at)| *at == LabelAt::Bar))
        );
    }

    #[test]
    fn months_are_named_when_they_fit_and_years_mark_januaries() {
        let bins = Bins {
            unit: Unit::Month,
            y0: 1945,
        };
        // One year in 400 points: every month named, January by its year.
        let ticks = super::ticks(bins, 12, 400.0 / 12.0, 36.0, 26.0);
        assert_eq!(
            labels(&ticks),
            [
                "1945", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
            ]
        );
        // Four years in 250 points: only the years, at their Januaries.
        let ticks = super::ticks(bins, 48, 250.0 / 48.0, 36.0, 26.0);
        assert_eq!(labels(&ticks), ["1945", "1946", "1947", "1948"]);
        assert_eq!(ticks.iter().filter(|t| t.long).count(), 4);
        assert_eq!(ticks.len(), 48);
    }

    #[test]
    fn ranges_read_as_dates() {
        let months = Bins {
            unit: Unit::Month,
            y0: 1945,
        };
        assert_eq!(months.range_label(3, 5), "April – June 1945");
        assert_eq!(months.range_label(14, 2), "March 1945 – March 1946");
        assert_eq!(months.label(3), "April 1945");
        let years = Bins {
            unit: Unit::Year,
            y0: 1944,
        };
        assert_eq!(years.range_label(3, 0), "1944 – 1947");
        assert_eq!(years.range_label(1, 1), "1945");
    }
}
