//! Brightness, contrast, grayscale and invert of a scan: a 256-entry
//! lookup table applied to decoded RGBA pixels, never a second decode.

/// Brightness, contrast, grayscale and invert of a scan, applied to the
/// decoded pixels of the shown level (never by decoding again).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Adjustments {
    /// −1 (black) … 0 … 1 (white).
    pub brightness: f32,
    /// −1 (flat grey) … 0 … 1 (four times the contrast).
    pub contrast: f32,
    pub grayscale: bool,
    pub invert: bool,
}

impl Adjustments {
    pub fn is_identity(&self) -> bool {
        *self == Self::default()
    }

    /// What each channel value becomes (grayscale aside).
    fn table(&self) -> [u8; 256] {
        let factor = 4f32.powf(self.contrast.clamp(-1.0, 1.0));
        let shift = self.brightness.clamp(-1.0, 1.0);
        let mut table = [0u8; 256];
        for (value, out) in table.iter_mut().enumerate() {
            let v = value as f32 / 255.0;
            let v = ((v - 0.5) * factor + 0.5 + shift).clamp(0.0, 1.0);
            let v = if self.invert { 1.0 - v } else { v };
            *out = (v * 255.0).round() as u8;
        }
        table
    }

    /// Applies the adjustments to RGBA pixels (alpha is kept).
    pub fn apply(&self, rgba: &mut [u8]) {
        let table = self.table();
        for pixel in rgba.chunks_exact_mut(4) {
            if self.grayscale {
                let luma = (u32::from(pixel[0]) * 77
                    + u32::from(pixel[1]) * 150
                    + u32::from(pixel[2]) * 29)
                    >> 8;
                let luma = table[luma.min(255) as usize];
                pixel[0] = luma;
                pixel[1] = luma;
                pixel[2] = luma;
            } else {
                pixel[0] = table[usize::from(pixel[0])];
                pixel[1] = table[usize::from(pixel[1])];
                pixel[2] = table[usize::from(pixel[2])];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjustments_change_pixels_as_named() {
        let paper = [230u8, 220, 200, 255, 20, 20, 20, 128];
        let mut pixels = paper;
        Adjustments::default().apply(&mut pixels);
        assert_eq!(pixels, paper, "identity");

        let mut pixels = paper;
        let invert = Adjustments {
            invert: true,
            ..Adjustments::default()
        };
        invert.apply(&mut pixels);
        assert_eq!(
            pixels,
            [25, 35, 55, 255, 235, 235, 235, 128],
            "alpha is kept"
        );

        let mut pixels = paper;
        let gray = Adjustments {
            grayscale: true,
            ..Adjustments::default()
        };
        gray.apply(&mut pixels);
        assert!(pixels[0] == pixels[1] && pixels[1] == pixels[2]);
        assert!((215..=225).contains(&pixels[0]), "{pixels:?}");

        let mut pixels = paper;
        let white = Adjustments {
            brightness: 1.0,
            ..Adjustments::default()
        };
        white.apply(&mut pixels);
        assert_eq!(pixels[..3], [255, 255, 255]);

        // Less contrast pulls every value towards the middle.
        let mut pixels = paper;
        let flat = Adjustments {
            contrast: -1.0,
            ..Adjustments::default()
        };
        flat.apply(&mut pixels);
        assert!(pixels[0] < 230 && pixels[0] > 128, "{pixels:?}");
        assert!(pixels[4] > 20 && pixels[4] < 128, "{pixels:?}");
    }
}
