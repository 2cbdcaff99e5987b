//! folio's look on top of egui's two themes: no text smaller than 12
//! points at the default interface size, and body and secondary text with
//! at least WCAG AA contrast (4.5:1) against the panels, in the dark
//! theme and in the light one (egui's secondary text is its body colour
//! at reduced alpha, 3:1 and less).

use eframe::egui::{self, Color32, FontFamily, FontId, TextStyle};

/// The smallest text folio draws, in points.
pub const SMALLEST: f32 = 12.0;

/// Sets folio's text sizes and colours in both themes.
pub fn install(ctx: &egui::Context) {
    // Dark panels are #1B1B1B: body #DEDEDE (13:1), secondary #A6A6A6 (7:1).
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        readable(style, Color32::from_gray(222), Color32::from_gray(166));
    });
    // Light panels are #F8F8F8: body #191919 (16:1), secondary #555555 (7:1).
    ctx.style_mut_of(egui::Theme::Light, |style| {
        readable(style, Color32::from_gray(25), Color32::from_gray(85));
    });
}

fn readable(style: &mut egui::Style, body: Color32, secondary: Color32) {
    for (text_style, size, family) in [
        (TextStyle::Small, SMALLEST, FontFamily::Proportional),
        (TextStyle::Body, 13.5, FontFamily::Proportional),
        (TextStyle::Button, 13.5, FontFamily::Proportional),
        (TextStyle::Monospace, 13.0, FontFamily::Monospace),
    ] {
        style
            .text_styles
            .insert(text_style, FontId::new(size, family));
    }
    style.visuals.widgets.noninteractive.fg_stroke.color = body;
    style.visuals.weak_text_color = Some(secondary);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance of an sRGB grey or colour.
    fn luminance(c: Color32) -> f64 {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }

    fn contrast(a: Color32, b: Color32) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn text_is_readable_in_both_themes() {
        let ctx = egui::Context::default();
        install(&ctx);
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            let style = ctx.style_of(theme);
            let panel = style.visuals.panel_fill;
            let body = style.visuals.text_color();
            let weak = style.visuals.weak_text_color();
            assert!(
                contrast(body, panel) >= 7.0,
                "{theme:?} body {}",
                contrast(body, panel)
            );
            assert!(
                contrast(weak, panel) >= 4.5,
                "{theme:?} secondary {}",
                contrast(weak, panel)
            );
            for (text_style, font) in &style.text_styles {
                assert!(
                    font.size >= SMALLEST,
                    "{theme:?} {text_style:?} is {}",
                    font.size
                );
            }
        }
    }
}
