//! PDF pages: how many a file holds, and page N as a picture.
//!
//! A scanned PDF is a wrapper around the scanner's own images. When a page
//! shows nothing but one upright JPEG covering it (text drawn invisibly, as
//! OCR layers are, does not count), that JPEG is the page at full quality
//! and is handed out as it is stored — the caller decodes it at the size it
//! shows, straight from the DCT. Every other page is drawn by `hayro`, a
//! pure-Rust renderer, at the size asked for.
//!
//! Nothing here knows of egui; the scan pane's decoder threads call it.

use std::borrow::Cow;
use std::path::Path;

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::content::TypedIter;
use hayro::hayro_syntax::content::ops::TypedInstruction;
use hayro::hayro_syntax::object::{Array, Dict, Name, Stream};
use hayro::hayro_syntax::page::{Page, Resources, Rotation};
use hayro::hayro_syntax::{Filter, LoadPdfError, Pdf};

/// PDF files larger than this are refused (the whole file is read).
pub const MAX_PDF_BYTES: u64 = 1024 * 1024 * 1024;
/// A page is drawn at most this many pixels on its longer side.
pub const MAX_RENDER_SIDE: u32 = 12_000;
/// Pixels per point when a page holds no image to take its resolution
/// from (300 dots per inch).
const DEFAULT_PIXELS_PER_POINT: f64 = 300.0 / 72.0;
/// Form `XObjects` nested deeper than this are not looked into.
const MAX_FORM_DEPTH: u8 = 8;

/// Reads and parses the PDF at `path`.
///
/// # Errors
/// The file cannot be read, is too large, is encrypted or is not a PDF.
pub fn open(path: &Path) -> Result<Pdf, String> {
    crate::files::confined::size_within(path, MAX_PDF_BYTES, "the PDF file")?;
    let bytes = crate::files::confined::read_all(path)
        .map_err(|e| format!("cannot read the PDF file: {e}"))?;
    if !bytes
        .get(..1024)
        .unwrap_or(&bytes)
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Err("not a PDF file (no %PDF header)".into());
    }
    // The parser is young: a panic on a damaged file is that file's error.
    let parsed = std::panic::catch_unwind(move || Pdf::new(bytes))
        .map_err(|_| "not a readable PDF file: the parser stopped on it".to_string())?;
    match parsed {
        Ok(pdf) if pdf.pages().is_empty() => Err("the PDF file has no pages".into()),
        Ok(pdf) => Ok(pdf),
        Err(LoadPdfError::Decryption(e)) => Err(format!(
            "the PDF file is encrypted and cannot be opened without its password ({e:?})"
        )),
        Err(LoadPdfError::Invalid) => {
            Err("not a readable PDF file: its cross-reference table or page tree is damaged".into())
        }
    }
}

/// How many pages the PDF at `path` holds.
///
/// # Errors
/// As [`open`].
pub fn page_count(path: &Path) -> Result<u32, String> {
    let pdf = open(path)?;
    u32::try_from(pdf.pages().len()).map_err(|_| "the PDF file has too many pages".to_string())
}

/// What page `index` of `pdf` is, as far as pictures go.
///
/// # Errors
/// There is no such page, or an image on it is over `max_pixels` (a
/// decompression bomb is refused before anything is decoded).
pub fn page(pdf: &Pdf, index: u32, max_pixels: u64) -> Result<PagePicture<'_>, String> {
    let pages = pdf.pages();
    let page = pages.get(index as usize).ok_or_else(|| {
        format!(
            "the PDF file has {} pages, not page {}",
            pages.len(),
            index + 1
        )
    })?;
    let mut walk = Walk::default();
    walk.content(
        TypedIter::new(page_content(page).as_ref()),
        page.resources(),
        IDENTITY,
        0,
    );
    for image in &walk.images {
        let pixels = u64::from(image.size[0]) * u64::from(image.size[1]);
        if pixels > max_pixels {
            return Err(format!(
                "an image on this PDF page is {}×{} pixels, over the limit of {} megapixels",
                image.size[0],
                image.size[1],
                max_pixels / 1_000_000
            ));
        }
    }
    let (width_pt, height_pt) = page.render_dimensions();
    let quarter_turns = match page.rotation() {
        Rotation::None => 0,
        Rotation::Horizontal => 1,
        Rotation::Flipped => 2,
        Rotation::FlippedHorizontal => 3,
    };
    if let Some((data, [w, h])) = walk.scanned_jpeg(page) {
        return Ok(PagePicture {
            page,
            native: if quarter_turns % 2 == 1 {
                [h, w]
            } else {
                [w, h]
            },
            jpeg: Some(ScannedJpeg {
                data,
                stored_size: [w, h],
                quarter_turns,
            }),
        });
    }
    // Drawn at the resolution of its sharpest image; text and lines at
    // 300 dpi at least.
    let sharpest = walk
        .images
        .iter()
        .map(|image| image.pixels_per_point)
        .fold(None, |best: Option<f64>, p| {
            Some(best.map_or(p, |b| b.max(p)))
        });
    let pixels_per_point = match sharpest {
        Some(p) if !walk.other_marks => p,
        Some(p) => p.max(DEFAULT_PIXELS_PER_POINT),
        None => DEFAULT_PIXELS_PER_POINT,
    }
    .clamp(0.5, 20.0);
    let longest = f64::from(width_pt.max(height_pt)) * pixels_per_point;
    let fit = (f64::from(MAX_RENDER_SIDE) / longest).min(1.0);
    let native = |points: f32| ((f64::from(points) * pixels_per_point * fit).round() as u32).max(1);
    Ok(PagePicture {
        page,
        native: [native(width_pt), native(height_pt)],
        jpeg: None,
    })
}

/// A PDF page as a picture.
pub struct PagePicture<'a> {
    pub page: &'a Page<'a>,
    /// The size in pixels that loses nothing: the scanner's JPEG, or the
    /// page at the resolution of its sharpest image.
    pub native: [u32; 2],
    /// The page is this JPEG, when it is nothing else.
    pub jpeg: Option<ScannedJpeg<'a>>,
}

/// The stored JPEG of a scanned page.
#[derive(Debug)]
pub struct ScannedJpeg<'a> {
    /// The JPEG file, byte for byte as the scanner wrote it.
    pub data: Cow<'a, [u8]>,
    /// Its size in pixels as stored (before turning).
    pub stored_size: [u32; 2],
    /// Quarter turns clockwise the page is shown at.
    pub quarter_turns: u8,
}

impl std::fmt::Debug for PagePicture<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [w, h] = self.native;
        match &self.jpeg {
            Some(jpeg) => write!(
                f,
                "Jpeg({} bytes, {w}×{h}, {} quarter turns)",
                jpeg.data.len(),
                jpeg.quarter_turns
            ),
            None => write!(f, "Drawn({w}×{h})"),
        }
    }
}

/// A parsed PDF with the path, modification time and length it was read at.
type OpenedPdf = (
    std::path::PathBuf,
    Option<std::time::SystemTime>,
    u64,
    std::rc::Rc<Pdf>,
);

thread_local! {
    /// The PDF a thread read last, with the file's modification time and
    /// length: paging through one PDF parses it once per thread.
    static LAST_OPENED: std::cell::RefCell<Option<OpenedPdf>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `read` on the PDF at `path`, parsed once per thread while the
/// file is unchanged.
///
/// # Errors
/// As [`open`], or what `read` returns.
pub fn with_pdf<T>(path: &Path, read: impl FnOnce(&Pdf) -> Result<T, String>) -> Result<T, String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read the PDF file: {e}"))?;
    let (modified, length) = (metadata.modified().ok(), metadata.len());
    let cached = LAST_OPENED.with_borrow(|last| {
        last.as_ref()
            .filter(|(p, m, l, _)| p == path && *m == modified && *l == length)
            .map(|(.., pdf)| std::rc::Rc::clone(pdf))
    });
    let pdf = match cached {
        Some(pdf) => pdf,
        None => {
            // The previous file is let go before the next is read.
            LAST_OPENED.set(None);
            let pdf = std::rc::Rc::new(open(path)?);
            LAST_OPENED.set(Some((
                path.to_path_buf(),
                modified,
                length,
                std::rc::Rc::clone(&pdf),
            )));
            pdf
        }
    };
    read(&pdf)
}

/// Draws `page` so that its size is `size` pixels, on white.
pub fn render(page: &Page<'_>, size: [u32; 2]) -> image::RgbaImage {
    let (width_pt, height_pt) = page.render_dimensions();
    let clamp = |n: u32| n.clamp(1, MAX_RENDER_SIDE);
    let (width, height) = (clamp(size[0]), clamp(size[1]));
    let settings = hayro::PixmapSettings {
        x_scale: width as f32 / width_pt.max(1.0),
        y_scale: height as f32 / height_pt.max(1.0),
        bg_color: hayro::vello_cpu::color::palette::css::WHITE,
    };
    let pixmap = hayro::render(
        page,
        &hayro::RenderCache::new(),
        &InterpreterSettings::default(),
        &hayro::RenderSettings::default(),
        &settings,
    );
    let (w, h) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    // On an opaque background premultiplied and straight alpha are one.
    image::RgbaImage::from_raw(w, h, pixmap.data_as_u8_slice().to_vec())
        .unwrap_or_else(|| image::RgbaImage::from_pixel(width, height, image::Rgba([255; 4])))
}

/// The bytes of a page's content streams, joined.
fn page_content<'a>(page: &'a Page<'a>) -> Cow<'a, [u8]> {
    page.page_stream()
        .map_or(Cow::Borrowed(&[][..]), Cow::Borrowed)
}

/// An affine matrix `[a b c d e f]` as PDF writes it (row vectors).
type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `first` then `then`.
fn concat(first: Matrix, then: Matrix) -> Matrix {
    let [m, n] = [first, then];
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// An image the page paints, where, and how it is stored.
struct PaintedImage<'a> {
    stream: Stream<'a>,
    size: [u32; 2],
    /// The image's pixels per point of the page, along its sharper axis.
    pixels_per_point: f64,
    matrix: Matrix,
}

/// What a walk through a page's content found.
#[derive(Default)]
struct Walk<'a> {
    images: Vec<PaintedImage<'a>>,
    /// Anything visible besides images: paths, shadings, inline images,
    /// text that is not invisible.
    other_marks: bool,
}

impl<'a> Walk<'a> {
    fn content(
        &mut self,
        mut ops: TypedIter<'_>,
        resources: &Resources<'a>,
        base: Matrix,
        depth: u8,
    ) {
        let mut matrix = base;
        let mut invisible_text = false;
        let mut saved: Vec<(Matrix, bool)> = Vec::new();
        while let Some(op) = ops.next() {
            match op {
                TypedInstruction::SaveState(_) => saved.push((matrix, invisible_text)),
                TypedInstruction::RestoreState(_) => {
                    if let Some((m, t)) = saved.pop() {
                        matrix = m;
                        invisible_text = t;
                    }
                }
                TypedInstruction::Transform(t) => {
                    let m = [t.0, t.1, t.2, t.3, t.4, t.5].map(|n| n.as_f64());
                    matrix = concat(m, matrix);
                }
                TypedInstruction::TextRenderingMode(mode) => {
                    invisible_text = mode.0.as_i64() == 3;
                }
                TypedInstruction::ShowText(_)
                | TypedInstruction::NextLineAndShowText(_)
                | TypedInstruction::ShowTextWithParameters(_)
                | TypedInstruction::ShowTexts(_)
                    if !invisible_text =>
                {
                    self.other_marks = true;
                }
                TypedInstruction::StrokePath(_)
                | TypedInstruction::CloseAndStrokePath(_)
                | TypedInstruction::FillPathNonZero(_)
                | TypedInstruction::FillPathNonZeroCompatibility(_)
                | TypedInstruction::FillPathEvenOdd(_)
                | TypedInstruction::FillAndStrokeNonZero(_)
                | TypedInstruction::FillAndStrokeEvenOdd(_)
                | TypedInstruction::CloseFillAndStrokeNonZero(_)
                | TypedInstruction::CloseFillAndStrokeEvenOdd(_)
                | TypedInstruction::Shading(_)
                | TypedInstruction::InlineImage(_) => self.other_marks = true,
                TypedInstruction::XObject(name) => {
                    self.x_object(resources, name.0, matrix, depth);
                }
                _ => {}
            }
        }
    }

    fn x_object(&mut self, resources: &Resources<'a>, name: &Name<'_>, matrix: Matrix, depth: u8) {
        let Some(stream) = resources.get_x_object(name) else {
            return;
        };
        let dict = stream.dict().clone();
        match dict.get::<Name<'_>>(b"Subtype").as_deref() {
            Some(b"Image") => {
                let size = [
                    dict.get::<u32>(b"Width").unwrap_or(0),
                    dict.get::<u32>(b"Height").unwrap_or(0),
                ];
                // The unit square drawn: its sides' lengths in points.
                let across = matrix[0].hypot(matrix[1]);
                let down = matrix[2].hypot(matrix[3]);
                let pixels_per_point = (f64::from(size[0]) / across.max(1e-3))
                    .max(f64::from(size[1]) / down.max(1e-3));
                self.images.push(PaintedImage {
                    stream,
                    size,
                    pixels_per_point,
                    matrix,
                });
            }
            Some(b"Form") if depth < MAX_FORM_DEPTH => {
                let form_matrix = dict
                    .get::<Array<'_>>(b"Matrix")
                    .map(|a| a.iter::<f64>().collect::<Vec<_>>())
                    .and_then(|v| <[f64; 6]>::try_from(v).ok())
                    .unwrap_or(IDENTITY);
                let form_resources = dict
                    .get::<Dict<'a>>(b"Resources")
                    .map_or_else(|| resources.clone(), Resources::new);
                match stream.decoded_data() {
                    Ok(data) => self.content(
                        TypedIter::new(data.as_ref()),
                        &form_resources,
                        concat(form_matrix, matrix),
                        depth + 1,
                    ),
                    Err(_) => self.other_marks = true,
                }
            }
            // A form too deep, or something unknown: it may paint.
            _ => self.other_marks = true,
        }
    }

    /// The page's one JPEG, when the page is nothing else and the JPEG is
    /// stored upright, covering it, with colours a JPEG decoder shows as
    /// they are (no masks, no decode arrays, no CMYK or spot colours).
    fn scanned_jpeg(&self, page: &Page<'a>) -> Option<(Cow<'a, [u8]>, [u32; 2])> {
        let [image] = self.images.as_slice() else {
            return None;
        };
        if self.other_marks {
            return None;
        }
        // Upright: x scaled by `width`, y by `height`, no shear or turn.
        let [width, shear_x, shear_y, height, left, bottom] = image.matrix;
        if shear_x.abs() > 1e-6 || shear_y.abs() > 1e-6 || width <= 0.0 || height <= 0.0 {
            return None;
        }
        let crop = page.intersected_crop_box();
        let (page_w, page_h) = (crop.x1 - crop.x0, crop.y1 - crop.y0);
        let covers = |start: f64, length: f64, from: f64, extent: f64| {
            let tolerance = extent * 0.02 + 1.0;
            (start - from).abs() <= tolerance
                && (start + length - (from + extent)).abs() <= tolerance
        };
        if !covers(left, width, crop.x0, page_w) || !covers(bottom, height, crop.y0, page_h) {
            return None;
        }
        let dict = image.stream.dict();
        let plain = !dict.contains_key(b"SMask")
            && !dict.contains_key(b"Mask")
            && !dict.contains_key(b"Decode")
            && !dict.get::<bool>(b"ImageMask").unwrap_or(false);
        let colours_as_stored = match dict.get::<Name<'_>>(b"ColorSpace") {
            None => true,
            Some(name) => matches!(
                name.as_ref(),
                b"DeviceGray" | b"DeviceRGB" | b"CalGray" | b"CalRGB"
            ),
        } || dict
            .get::<Array<'_>>(b"ColorSpace")
            .and_then(|a| a.iter::<Name<'_>>().next())
            .is_some_and(|n| n.as_ref() == b"ICCBased");
        let filters = image.stream.filters();
        if !plain || !colours_as_stored || filters.as_slice() != [Filter::DctDecode] {
            return None;
        }
        Some((image.stream.raw_data(), image.size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::float_cmp)] // small integers: exact in f64
    fn matrices_concatenate_in_pdf_order() {
        let scale = [2.0, 0.0, 0.0, 3.0, 0.0, 0.0];
        let shift = [1.0, 0.0, 0.0, 1.0, 10.0, 20.0];
        // Scale first, then shift: the origin lands on the shift.
        assert_eq!(concat(scale, shift), [2.0, 0.0, 0.0, 3.0, 10.0, 20.0]);
        // Shift first, then scale: the shift is scaled too.
        assert_eq!(concat(shift, scale), [2.0, 0.0, 0.0, 3.0, 20.0, 60.0]);
    }

    #[test]
    fn a_file_that_is_not_a_pdf_says_so() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("scan.pdf");
        std::fs::write(&path, b"GIF89a not a pdf").unwrap_or_else(|e| panic!("{e}"));
        let err = page_count(&path).err().unwrap_or_default();
        assert!(err.contains("not a PDF file"), "{err}");
        std::fs::write(&path, b"%PDF-1.4\n garbage without any objects")
            .unwrap_or_else(|e| panic!("{e}"));
        let err = page_count(&path).err().unwrap_or_default();
        assert!(err.contains("not a readable PDF"), "{err}");
    }
}
