//! The scan pane: one page image with fit page / fit width / 100 %, zoom
//! around the cursor (wheel, `+` `-` `0` keys), drag to pan, quarter-turn
//! rotation and a strip of page thumbnails. Pixels come from
//! [`ImageCache`] (the whole page, and deep-zoom tiles over it when zoomed
//! in on a large page); this module only maps image space to the screen.

use eframe::egui::{self, Color32, Pos2, Rect, Vec2, pos2, vec2};

use super::images::{Adjustments, ImageCache, ImageKey, ImageState};
use crate::pages::tiles;

/// How the page is scaled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Fit {
    #[default]
    Page,
    Width,
    /// One image pixel per screen pixel.
    Actual,
    /// Zoomed by hand.
    Free,
}

/// Zoom, pan, rotation and picture adjustments of the scan pane. Zoom and
/// pan are reset when the page changes; rotation and adjustments stay for
/// the document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScanView {
    pub fit: Fit,
    /// Screen points per image pixel, when `fit` is `Free`.
    pub scale: f32,
    /// The point of the (rotated) image at the centre of the pane.
    pub center: Option<Pos2>,
    /// Clockwise quarter turns.
    pub quarter_turns: u8,
    pub adjust: Adjustments,
    /// Outline every line the page's text file places on it.
    pub show_lines: bool,
    /// Mark the words the OCR engine doubted (here and in the text).
    pub show_doubtful: bool,
    /// A line region to bring into view on the next frame.
    pub reveal: Option<usize>,
}

impl Default for ScanView {
    fn default() -> Self {
        Self {
            fit: Fit::Page,
            scale: 1.0,
            center: None,
            quarter_turns: 0,
            adjust: Adjustments::default(),
            show_lines: false,
            show_doubtful: false,
            reveal: None,
        }
    }
}

const MIN_SCALE: f32 = 0.02;
const MAX_SCALE: f32 = 16.0;

impl ScanView {
    /// Size of the image after rotation.
    fn rotated_size(&self, size: Vec2) -> Vec2 {
        if self.quarter_turns % 2 == 1 {
            vec2(size.y, size.x)
        } else {
            size
        }
    }

    /// Screen points per image pixel for the current fit in `area`.
    pub fn effective_scale(&self, area: Rect, image: Vec2, pixels_per_point: f32) -> f32 {
        let rotated = self.rotated_size(image);
        if rotated.x <= 0.0 || rotated.y <= 0.0 {
            return 1.0;
        }
        match self.fit {
            Fit::Page => (area.width() / rotated.x).min(area.height() / rotated.y),
            Fit::Width => area.width() / rotated.x,
            Fit::Actual => 1.0 / pixels_per_point,
            Fit::Free => self.scale,
        }
        .clamp(MIN_SCALE, MAX_SCALE)
    }

    /// Zooms by `factor` keeping the image point under `anchor` in place.
    fn zoom_at(
        &mut self,
        area: Rect,
        image: Vec2,
        pixels_per_point: f32,
        factor: f32,
        anchor: Pos2,
    ) {
        let scale = self.effective_scale(area, image, pixels_per_point);
        let center = self.center_or_default(area, image, scale);
        let new_scale = (scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        // The image point under the anchor before and after must agree.
        let under_anchor = center + (anchor - area.center()) / scale;
        self.center = Some(under_anchor - (anchor - area.center()) / new_scale);
        self.scale = new_scale;
        self.fit = Fit::Free;
    }

    /// The centre point: as stored, or what the fit implies (top of the
    /// page for fit width, so that reading starts at the top).
    fn center_or_default(&self, area: Rect, image: Vec2, scale: f32) -> Pos2 {
        let rotated = self.rotated_size(image);
        self.center.unwrap_or_else(|| {
            let half_view = area.height() / scale / 2.0;
            let y = if rotated.y > half_view * 2.0 {
                half_view
            } else {
                rotated.y / 2.0
            };
            pos2(rotated.x / 2.0, y)
        })
    }

    /// Maps a point of the unrotated image to the rotated image.
    fn rotate_point(&self, p: Pos2, image: Vec2) -> Pos2 {
        match self.quarter_turns % 4 {
            1 => pos2(image.y - p.y, p.x),
            2 => pos2(image.x - p.x, image.y - p.y),
            3 => pos2(p.y, image.x - p.x),
            _ => p,
        }
    }

    /// The image point shown at `p` of the rotated image (the inverse of
    /// [`Self::rotate_point`]).
    fn unrotate_point(&self, p: Pos2, image: Vec2) -> Pos2 {
        match self.quarter_turns % 4 {
            1 => pos2(p.y, image.y - p.x),
            2 => pos2(image.x - p.x, image.y - p.y),
            3 => pos2(image.x - p.y, p.x),
            _ => p,
        }
    }
}

/// The lines a page's text file (ALTO, PAGE) places on it.
#[derive(Debug, Clone, Copy)]
pub struct Lines<'a> {
    pub regions: &'a [crate::model::Region],
    /// The region to outline (under the pointer in the text, or chosen).
    pub outlined: Option<usize>,
}

impl Lines<'_> {
    fn lines(&self) -> impl Iterator<Item = (usize, &crate::model::Region)> {
        self.regions
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == crate::model::RegionKind::Line && r.polygon.len() >= 3)
    }
}

/// Whether `p` is inside the polygon `points` (even-odd rule).
fn inside(points: &[[f32; 2]], p: Pos2) -> bool {
    let mut within = false;
    let mut previous = points.len().wrapping_sub(1);
    for (i, a) in points.iter().enumerate() {
        let b = points[previous];
        if (a[1] > p.y) != (b[1] > p.y) && p.x < (b[0] - a[0]) * (p.y - a[1]) / (b[1] - a[1]) + a[0]
        {
            within = !within;
        }
        previous = i;
    }
    within
}

/// What the scan pane asks of the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanAction {
    GoToPage(usize),
    /// The line region with this index was clicked.
    ChooseLine(usize),
    /// A thumbnail was dragged to another place in the strip: page `from`
    /// to position `to` (0-based).
    MovePage {
        from: usize,
        to: usize,
    },
}

/// Draws page `page` of `pages` (image keys) with its toolbar and strip.
/// `right_to_left`: the strip shows the first page on the right (a book
/// read right to left).
pub fn pane(
    ui: &mut egui::Ui,
    images: &mut ImageCache,
    pages: &[ImageKey],
    page: usize,
    view: &mut ScanView,
    lines: &Lines<'_>,
    right_to_left: bool,
) -> Option<ScanAction> {
    let mut action = None;
    let key = pages.get(page)?;
    toolbar(ui, view, lines);

    let strip_height = if pages.len() > 1 { 112.0 } else { 0.0 };
    let area_size = vec2(
        ui.available_width(),
        (ui.available_height() - strip_height).max(80.0),
    );
    let (area, response) = ui.allocate_exact_size(area_size, egui::Sense::click_and_drag());
    let painter = ui.painter_at(area);
    painter.rect_filled(area, 0.0, ui.visuals().extreme_bg_color);
    let ppp = ui.ctx().pixels_per_point();

    // The longer side the picture will be shown at, in screen pixels.
    let wanted_side = |full: [u32; 2], view: &ScanView| {
        let image = vec2(full[0] as f32, full[1] as f32);
        let scale = view.effective_scale(area, image, ppp);
        image.x.max(image.y) * scale * ppp
    };

    match images.get_adjusted(key, area.width().max(area.height()) * ppp, view.adjust) {
        ImageState::Loading => {
            painter.text(
                area.center(),
                egui::Align2::CENTER_CENTER,
                "Loading page…",
                egui::FontId::proportional(15.0),
                ui.visuals().weak_text_color(),
            );
        }
        ImageState::Failed(reason) => failed_page(ui, area, page, &key.path, &reason),
        ImageState::Ready { texture, full_size } => {
            let image = vec2(full_size[0] as f32, full_size[1] as f32);
            // Ask for the sharper level this view needs (no-op when cached).
            let _ = images.get(key, wanted_side(full_size, view));
            handle_input(ui, &response, area, image, ppp, view);
            let scale = view.effective_scale(area, image, ppp);
            let center = view.center_or_default(area, image, scale);
            let to_screen = |p: Pos2| {
                let rotated = view.rotate_point(p, image);
                area.center() + (rotated - center) * scale
            };
            painter.add(picture(&texture, [0.0, 0.0, image.x, image.y], to_screen));
            draw_tiles(
                &painter,
                images,
                key,
                full_size,
                view,
                &Placement {
                    area,
                    center,
                    scale,
                    image,
                    wanted: wanted_side(full_size, view),
                },
            );
            outline_lines(ui, &painter, lines, view.show_lines, &to_screen);
            if view.show_doubtful {
                outline_doubtful(ui, &painter, lines, &to_screen);
            }
            // A click (not a drag) on a line chooses it.
            if response.clicked()
                && let Some(pointer) = response.interact_pointer_pos()
            {
                let rotated = center + (pointer - area.center()) / scale;
                let point = view.unrotate_point(rotated, image);
                if let Some((index, _)) = lines.lines().find(|(_, r)| inside(&r.polygon, point)) {
                    action = Some(ScanAction::ChooseLine(index));
                }
            }
            // A line chosen in the text is brought into view when zoomed in.
            if let Some(index) = view.reveal.take()
                && let Some(region) = lines.regions.get(index)
                && !region.polygon.is_empty()
                && view.fit != Fit::Page
            {
                let n = region.polygon.len() as f32;
                let (sx, sy) = region
                    .polygon
                    .iter()
                    .fold((0.0, 0.0), |(sx, sy), [x, y]| (sx + x, sy + y));
                view.center = Some(view.rotate_point(pos2(sx / n, sy / n), image));
                if view.fit != Fit::Free {
                    view.scale = scale;
                    view.fit = Fit::Free;
                }
            }
            scale_plate(ui, &painter, area, scale * ppp * 100.0, full_size);
        }
    }

    if pages.len() > 1 {
        action = thumbnails(ui, images, pages, page, right_to_left).or(action);
    }
    action
}

/// Where the page sits in the pane this frame.
struct Placement {
    area: Rect,
    /// The page point (rotated) at the pane's centre.
    center: Pos2,
    /// Screen points per image pixel.
    scale: f32,
    /// The image's size in pixels.
    image: Vec2,
    /// The longer side the picture is shown at, in screen pixels.
    wanted: f32,
}

/// The fit choices, rotation, adjustments and the lines switch.
fn toolbar(ui: &mut egui::Ui, view: &mut ScanView, lines: &Lines<'_>) {
    // Wraps in a narrow pane rather than hiding its last buttons.
    ui.horizontal_wrapped(|ui| {
        for (fit, label, hint) in [
            (Fit::Page, "Fit page", "Show the whole page (0)"),
            (Fit::Width, "Fit width", "Fill the pane's width"),
            (Fit::Actual, "100%", "One image pixel per screen pixel"),
        ] {
            if ui
                .selectable_label(view.fit == fit, label)
                .on_hover_text(hint)
                .clicked()
            {
                view.fit = fit;
                view.center = None;
            }
        }
        if ui
            .button("↻")
            .on_hover_text("Rotate clockwise (R)")
            .clicked()
        {
            view.quarter_turns = (view.quarter_turns + 1) % 4;
            view.center = None;
            view.fit = Fit::Page;
        }
        adjustments_menu(ui, &mut view.adjust);
        if lines.lines().next().is_some() {
            ui.toggle_value(&mut view.show_lines, "Lines")
                .on_hover_text(
                    "Outline every line of the page's text; click one to find it in the text",
                );
        }
        if lines.regions.iter().any(|r| r.confidence.is_some()) {
            let doubtful = lines.regions.iter().filter(|r| r.is_doubtful()).count();
            ui.toggle_value(
                &mut view.show_doubtful,
                format!("Doubtful words ({doubtful})"),
            )
            .on_hover_text(format!(
                "Mark the words the OCR engine read with less than {} % confidence, on the scan and in the text",
                crate::model::DOUBTFUL_BELOW
            ));
        }
    });
}

/// Zoomed in past the whole-page picture: the tiles in view of a sharper
/// level over it, each drawn once it is decoded.
fn draw_tiles(
    painter: &egui::Painter,
    images: &mut ImageCache,
    key: &ImageKey,
    full_size: [u32; 2],
    view: &ScanView,
    at: &Placement,
) {
    let to_screen = |p: Pos2| {
        let rotated = view.rotate_point(p, at.image);
        at.area.center() + (rotated - at.center) * at.scale
    };
    if let Some(level) = tiles::tile_level(full_size, at.wanted) {
        let seen = [
            at.area.left_top(),
            at.area.right_top(),
            at.area.right_bottom(),
            at.area.left_bottom(),
        ]
        .map(|p| view.unrotate_point(at.center + (p - at.area.center()) / at.scale, at.image));
        let visible = [
            seen.iter().map(|p| p.x).fold(f32::INFINITY, f32::min),
            seen.iter().map(|p| p.y).fold(f32::INFINITY, f32::min),
            seen.iter().map(|p| p.x).fold(f32::NEG_INFINITY, f32::max),
            seen.iter().map(|p| p.y).fold(f32::NEG_INFINITY, f32::max),
        ];
        for tile in tiles::tiles_covering(key, full_size, level, visible) {
            if let Some((texture, rect)) = images.tile(&tile, view.adjust) {
                painter.add(picture(&texture, rect, to_screen));
            }
        }
    }
}

/// The line regions: all of them when asked, else only the outlined one.
fn outline_lines(
    ui: &egui::Ui,
    painter: &egui::Painter,
    lines: &Lines<'_>,
    show_all: bool,
    to_screen: &dyn Fn(Pos2) -> Pos2,
) {
    let accent = ui.visuals().selection.bg_fill;
    for (index, region) in lines.lines() {
        let outlined = lines.outlined == Some(index);
        if !show_all && !outlined {
            continue;
        }
        let points: Vec<Pos2> = region
            .polygon
            .iter()
            .map(|&[x, y]| to_screen(pos2(x, y)))
            .collect();
        let stroke = if outlined {
            egui::Stroke::new(2.5, accent)
        } else {
            egui::Stroke::new(1.0, accent.gamma_multiply(0.7))
        };
        painter.add(egui::Shape::closed_line(points, stroke));
    }
}

/// A page that cannot be shown: a short sentence of why, and the detail
/// (the path or address, once) to select or copy.
fn failed_page(ui: &mut egui::Ui, area: Rect, page: usize, path: &std::path::Path, reason: &str) {
    let shown = path.display().to_string();
    let detail = if reason.contains(&shown) {
        reason.to_owned()
    } else {
        format!("{reason} ({shown})")
    };
    let lower = reason.to_lowercase();
    let why = if lower.contains("cannot fetch") || lower.contains("offline") {
        "Its image could not be fetched: the computer may be offline, or the server refused."
    } else if lower.contains("no such file") || lower.contains("not found") {
        "Its image file is not there any more."
    } else if lower.contains("larger than") || lower.contains("too large") {
        "Its image is larger than folio opens."
    } else {
        "Its image could not be read."
    };
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(area.shrink(16.0))
            .layout(egui::Layout::top_down(egui::Align::Center)),
    );
    child.add_space((area.height() / 3.0 - 40.0).max(0.0));
    child.label(
        egui::RichText::new(format!("Page {} cannot be shown.", page + 1))
            .strong()
            .color(child.visuals().warn_fg_color),
    );
    child.label(why);
    child.add(
        egui::Label::new(egui::RichText::new(&detail).small().weak())
            .selectable(true)
            .wrap(),
    );
    if child.small_button("Copy the details").clicked() {
        child.ctx().copy_text(detail);
    }
}

/// The words the OCR engine doubted, boxed in the warning colour.
fn outline_doubtful(
    ui: &egui::Ui,
    painter: &egui::Painter,
    lines: &Lines<'_>,
    to_screen: &dyn Fn(Pos2) -> Pos2,
) {
    let warn = ui.visuals().warn_fg_color;
    for region in lines.regions.iter().filter(|r| r.is_doubtful()) {
        let points: Vec<Pos2> = region
            .polygon
            .iter()
            .map(|&[x, y]| to_screen(pos2(x, y)))
            .collect();
        painter.add(egui::Shape::convex_polygon(
            points,
            warn.gamma_multiply(0.18),
            egui::Stroke::new(1.5, warn),
        ));
    }
}

/// The zoom and the image's size, on a plate of the pane's colour so that
/// it reads over any scan.
fn scale_plate(
    ui: &egui::Ui,
    painter: &egui::Painter,
    area: Rect,
    percent: f32,
    full_size: [u32; 2],
) {
    let galley = painter.layout_no_wrap(
        format!("{percent:.0}%  {}×{}", full_size[0], full_size[1]),
        egui::FontId::proportional(crate::ui::style::SMALLEST),
        ui.visuals().text_color(),
    );
    let plate = Rect::from_min_size(
        area.right_bottom() - galley.size() - vec2(10.0, 6.0),
        galley.size() + vec2(8.0, 4.0),
    );
    painter.rect_filled(
        plate,
        3.0,
        ui.visuals().extreme_bg_color.gamma_multiply(0.85),
    );
    painter.galley(
        plate.min + vec2(4.0, 2.0),
        galley,
        ui.visuals().text_color(),
    );
}

/// `texture` stretched over `rect` of the page (`[left, top, right,
/// bottom]` in page pixels), placed on the screen by `to_screen`.
fn picture(
    texture: &egui::TextureHandle,
    rect: [f32; 4],
    to_screen: impl Fn(Pos2) -> Pos2,
) -> egui::Shape {
    let [left, top, right, bottom] = rect;
    let corners = [
        (pos2(left, top), pos2(0.0, 0.0)),
        (pos2(right, top), pos2(1.0, 0.0)),
        (pos2(right, bottom), pos2(1.0, 1.0)),
        (pos2(left, bottom), pos2(0.0, 1.0)),
    ];
    let mut mesh = egui::Mesh::with_texture(texture.id());
    for (corner, uv) in corners {
        mesh.vertices.push(egui::epaint::Vertex {
            pos: to_screen(corner),
            uv,
            color: Color32::WHITE,
        });
    }
    mesh.indices.extend([0, 1, 2, 0, 2, 3]);
    egui::Shape::mesh(mesh)
}

/// The "Adjust" menu: brightness, contrast, grayscale, invert, reset.
fn adjustments_menu(ui: &mut egui::Ui, adjust: &mut Adjustments) {
    let label = if adjust.is_identity() {
        "Adjust"
    } else {
        "Adjust •"
    };
    // Stays open while sliders move and boxes are ticked.
    let config = egui::containers::menu::MenuConfig::new()
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    let (response, _) = egui::containers::menu::MenuButton::new(label)
        .config(config)
        .ui(ui, |ui| {
            ui.add(
                egui::Slider::new(&mut adjust.brightness, -1.0..=1.0)
                    .text("Brightness")
                    .fixed_decimals(2),
            );
            ui.add(
                egui::Slider::new(&mut adjust.contrast, -1.0..=1.0)
                    .text("Contrast")
                    .fixed_decimals(2),
            );
            ui.checkbox(&mut adjust.grayscale, "Grayscale");
            ui.checkbox(&mut adjust.invert, "Invert");
            if ui
                .add_enabled(!adjust.is_identity(), egui::Button::new("Reset"))
                .clicked()
            {
                *adjust = Adjustments::default();
            }
        });
    response.on_hover_text("Brightness, contrast, grayscale and invert of the scan");
}

/// Wheel and keys zoom around the cursor; dragging pans.
fn handle_input(
    ui: &egui::Ui,
    response: &egui::Response,
    area: Rect,
    image: Vec2,
    ppp: f32,
    view: &mut ScanView,
) {
    let scale = view.effective_scale(area, image, ppp);
    if response.dragged() {
        let center = view.center_or_default(area, image, scale);
        view.center = Some(center - response.drag_delta() / scale);
        if view.fit == Fit::Page || view.fit == Fit::Width || view.fit == Fit::Actual {
            view.scale = scale;
            view.fit = Fit::Free;
        }
    }
    if response.double_clicked() {
        view.fit = Fit::Page;
        view.center = None;
    }
    if !response.hovered() {
        return;
    }
    let pointer = response.hover_pos().unwrap_or(area.center());
    let (wheel, zoom_delta, plus, minus, zero, rotate) = ui.input(|i| {
        // Ctrl with +, − or 0 changes the interface size, not the scan's
        // zoom: the page keeps its fit.
        let plain = !i.modifiers.command;
        (
            i.smooth_scroll_delta.y,
            i.zoom_delta(),
            plain && (i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals)),
            plain && i.key_pressed(egui::Key::Minus),
            plain && i.key_pressed(egui::Key::Num0),
            plain && i.key_pressed(egui::Key::R),
        )
    });
    let mut factor = zoom_delta;
    if wheel.abs() > 0.0 {
        factor *= (wheel * 0.0025).exp();
    }
    if plus {
        factor *= 1.25;
    }
    if minus {
        factor /= 1.25;
    }
    if (factor - 1.0).abs() > 1e-4 {
        view.zoom_at(area, image, ppp, factor, pointer);
    }
    if zero {
        view.fit = Fit::Page;
        view.center = None;
    }
    if rotate {
        view.quarter_turns = (view.quarter_turns + 1) % 4;
        view.center = None;
        view.fit = Fit::Page;
    }
}

/// The strip of small pages under the scan; a click goes to that page.
fn thumbnails(
    ui: &mut egui::Ui,
    images: &mut ImageCache,
    pages: &[ImageKey],
    current: usize,
    right_to_left: bool,
) -> Option<ScanAction> {
    let mut action = None;
    let thumb = vec2(72.0, 90.0);
    egui::ScrollArea::horizontal()
        .id_salt("scan-thumbnails")
        .auto_shrink([false, true])
        // Right to left, the strip starts at its right end (page 1).
        .stick_to_right(right_to_left)
        .show_viewport(ui, |ui, viewport| {
            let spacing = 6.0;
            let step = thumb.x + spacing;
            let total = vec2(step * pages.len() as f32, thumb.y + 18.0);
            let (strip, _) = ui.allocate_exact_size(total, egui::Sense::hover());
            let first = (viewport.min.x / step).floor().max(0.0) as usize;
            let last = ((viewport.max.x / step).ceil() as usize + 1).min(pages.len());
            let ppp = ui.ctx().pixels_per_point();
            for place in first..last {
                let i = if right_to_left {
                    pages.len() - 1 - place
                } else {
                    place
                };
                let Some(key) = pages.get(i) else { continue };
                let cell = Rect::from_min_size(strip.min + vec2(place as f32 * step, 0.0), thumb);
                let response = ui
                    .interact(
                        cell,
                        ui.scope_id().with(("thumb", i)),
                        egui::Sense::click_and_drag(),
                    )
                    .on_hover_text(format!("Page {}: drag to reorder the pages", i + 1));
                if let Some(moved) =
                    drag_thumbnail(ui, &response, strip, step, pages.len(), right_to_left, i)
                {
                    action = Some(moved);
                }
                let painter = ui.painter();
                painter.rect_filled(cell, 2.0, ui.visuals().extreme_bg_color);
                if let ImageState::Ready { texture, full_size } = images.get(key, thumb.y * ppp) {
                    super::images::paint_fitted(painter, &texture, full_size, cell);
                }
                let stroke = if i == current {
                    egui::Stroke::new(2.0, ui.visuals().selection.stroke.color)
                } else {
                    ui.visuals().widgets.noninteractive.bg_stroke
                };
                painter.rect_stroke(cell, 2.0, stroke, egui::StrokeKind::Outside);
                painter.text(
                    pos2(cell.center().x, cell.bottom() + 2.0),
                    egui::Align2::CENTER_TOP,
                    format!("{}", i + 1),
                    egui::FontId::proportional(crate::ui::style::SMALLEST),
                    ui.visuals().text_color(),
                );
                if response.clicked() {
                    action = Some(ScanAction::GoToPage(i));
                }
            }
        });
    action
}

/// Dragging thumbnail `i` of the strip: an insertion mark follows the
/// pointer; dropped elsewhere, the page moves there.
fn drag_thumbnail(
    ui: &egui::Ui,
    response: &egui::Response,
    strip: Rect,
    step: f32,
    count: usize,
    right_to_left: bool,
    i: usize,
) -> Option<ScanAction> {
    if !response.dragged() && !response.drag_stopped() {
        return None;
    }
    let pointer = ui.ctx().pointer_interact_pos()?;
    let place = (((pointer.x - strip.left()) / step).round().max(0.0) as usize).min(count);
    let x = strip.left() + place as f32 * step - 3.0;
    ui.painter().vline(
        x,
        strip.y_range(),
        egui::Stroke::new(3.0, ui.visuals().selection.bg_fill),
    );
    if !response.drag_stopped() {
        return None;
    }
    // The place before which it is dropped, as a page position once the
    // page is out of the way.
    let before = if right_to_left { count - place } else { place };
    let to = if before > i { before - 1 } else { before };
    (to != i && to < count).then_some(ScanAction::MovePage { from: i, to })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let area = Rect::from_min_size(pos2(0.0, 0.0), vec2(400.0, 300.0));
        let image = vec2(2000.0, 1000.0);
        let mut view = ScanView::default();
        let scale = view.effective_scale(area, image, 1.0);
        assert!((scale - 0.2).abs() < 1e-6);
        let anchor = pos2(300.0, 100.0);
        let before = view.center_or_default(area, image, scale) + (anchor - area.center()) / scale;
        view.zoom_at(area, image, 1.0, 2.0, anchor);
        let scale = view.effective_scale(area, image, 1.0);
        let after = view.center_or_default(area, image, scale) + (anchor - area.center()) / scale;
        assert!((before - after).length() < 1e-3, "{before:?} {after:?}");
        assert_eq!(view.fit, Fit::Free);
    }

    #[test]
    fn rotation_swaps_sides() {
        let view = ScanView {
            quarter_turns: 1,
            ..ScanView::default()
        };
        let image = vec2(200.0, 100.0);
        assert_eq!(view.rotated_size(image), vec2(100.0, 200.0));
        // The top-left corner goes to the top-right after a clockwise turn.
        assert_eq!(view.rotate_point(pos2(0.0, 0.0), image), pos2(100.0, 0.0));
        let area = Rect::from_min_size(pos2(0.0, 0.0), vec2(100.0, 100.0));
        assert!((view.effective_scale(area, image, 1.0) - 0.5).abs() < 1e-6);
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn unrotating_undoes_rotating() {
        let image = vec2(300.0, 200.0);
        for quarter_turns in 0..4 {
            let view = ScanView {
                quarter_turns,
                ..ScanView::default()
            };
            for p in [pos2(0.0, 0.0), pos2(10.0, 150.0), pos2(299.0, 1.0)] {
                let back = view.unrotate_point(view.rotate_point(p, image), image);
                assert!(
                    (back - p).length() < 1e-3,
                    "{quarter_turns}: {p:?} → {back:?}"
                );
            }
        }
    }

    #[test]
    fn points_inside_polygons() {
        let square = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        assert!(inside(&square, pos2(5.0, 5.0)));
        assert!(!inside(&square, pos2(15.0, 5.0)));
        // A concave outline: the notch is outside.
        let notched = [
            [0.0, 0.0],
            [10.0, 0.0],
            [10.0, 10.0],
            [5.0, 5.0],
            [0.0, 10.0],
        ];
        assert!(!inside(&notched, pos2(5.0, 8.0)));
        assert!(inside(&notched, pos2(5.0, 2.0)));
    }
}
