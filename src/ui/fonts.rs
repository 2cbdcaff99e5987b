//! The fonts folio ships (in `assets/fonts/`, licences beside them), so that
//! Latin, Cyrillic, Greek, Chinese (Traditional and Simplified) and
//! Arabic-script Uyghur display on any machine without system fonts.
//! egui's own Ubuntu font stays first; the others are fallbacks in order.

use std::sync::Arc;

use eframe::egui::{self, FontData, FontDefinitions, FontFamily};

const FONTS: [(&str, &[u8]); 3] = [
    // First of the fallbacks, so that every letter of an Arabic-script word
    // comes from one font and is shaped as one run.
    (
        "NotoSansArabic",
        include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf"),
    ),
    // Symbols, arrows, Greek and extended Latin/Cyrillic.
    (
        "DejaVuSans",
        include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
    ),
    // CJK ideographs, Traditional and Simplified.
    (
        "DroidSansFallbackFull",
        include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf"),
    ),
];

/// egui's default fonts plus folio's script fallbacks.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    for (name, bytes) in FONTS {
        fonts
            .font_data
            .insert(name.to_owned(), Arc::new(FontData::from_static(bytes)));
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            fonts
                .families
                .entry(family)
                .or_default()
                .push(name.to_owned());
        }
    }
    fonts
}

/// Installs the fonts in a context.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
