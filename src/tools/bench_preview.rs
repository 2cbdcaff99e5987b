//! `folio bench-preview [FILE…]`: time to the first visible preview of a
//! large scan (what the scan pane asks for first: the page at 1024 pixels
//! on its longer side), against `vipsthumbnail` (libvips) making the same
//! preview of the same file in the same run, and against a full decode.
//!
//! Without files, two scan-like JPEGs are generated in a scratch folder: a
//! 24-megapixel page (6000×4000) and a 9000×9000 one.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

/// The preview's longer side, as the scan pane first asks for it.
pub const PREVIEW_SIDE: u32 = 1024;
/// Runs per measurement; the median is reported.
const RUNS: usize = 5;

/// One file's measurements, in seconds (medians).
#[derive(Debug, Clone, Serialize)]
pub struct PreviewTiming {
    pub file: PathBuf,
    pub width: u32,
    pub height: u32,
    /// folio's preview (what the window does).
    pub folio_s: f64,
    /// The whole image decoded, then scaled (what a viewer without
    /// reduced decoding does).
    pub full_decode_s: f64,
    /// `vipsthumbnail FILE --size 1024`, as a process; `None` when it is
    /// not installed.
    pub vipsthumbnail_s: Option<f64>,
    /// Zoomed in to 100 % on a page larger than a whole-page texture may
    /// be: the first deep-zoom tile (the page decoded at full size, one
    /// tile cut), and each next one (cut from the kept level); `None` for
    /// pages small enough to show whole.
    pub first_tile_s: Option<f64>,
    pub next_tile_s: Option<f64>,
}

impl PreviewTiming {
    /// How many times faster folio is than vipsthumbnail.
    pub fn ratio(&self) -> Option<f64> {
        self.vipsthumbnail_s.map(|v| v / self.folio_s.max(1e-9))
    }
}

/// Why the benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum PreviewBenchError {
    #[error("cannot write the test pages: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot make the test pages: {0}")]
    Encode(#[from] image::ImageError),
    #[error("{}: {reason}", path.display())]
    Decode { path: PathBuf, reason: String },
}

/// Measures `files`, or two generated pages when `files` is empty.
pub fn run(files: &[PathBuf]) -> Result<Vec<PreviewTiming>, PreviewBenchError> {
    let scratch = std::env::temp_dir().join(format!("folio-bench-preview-{}", std::process::id()));
    let result = (|| {
        std::fs::create_dir_all(&scratch)?;
        let files = if files.is_empty() {
            vec![
                scan_like_page(&scratch.join("page-6000x4000.jpg"), 6000, 4000)?,
                scan_like_page(&scratch.join("page-9000x9000.jpg"), 9000, 9000)?,
            ]
        } else {
            files.to_vec()
        };
        files.iter().map(|file| measure(file, &scratch)).collect()
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn measure(file: &Path, scratch: &Path) -> Result<PreviewTiming, PreviewBenchError> {
    let failed = |reason: String| PreviewBenchError::Decode {
        path: file.to_owned(),
        reason,
    };
    let (width, height) = image::image_dimensions(file).map_err(|e| failed(e.to_string()))?;
    let folio = median(RUNS, || {
        crate::pages::decode_scaled(file, 0, PREVIEW_SIDE)
            .map(drop)
            .map_err(&failed)
    })?;
    let full = median(RUNS, || {
        let image = image::open(file).map_err(|e| failed(e.to_string()))?;
        drop(image.thumbnail(PREVIEW_SIDE, PREVIEW_SIDE));
        Ok::<(), PreviewBenchError>(())
    })?;
    let (first_tile, next_tile) = if width.max(height) > crate::pages::tiles::WHOLE_LEVEL_LIMIT {
        let tile = |column| crate::pages::tiles::TileKey {
            image: crate::pages::ImageKey {
                path: file.to_owned(),
                index: 0,
            },
            level: width.max(height),
            column,
            row: 0,
        };
        let cut = |level: &crate::pages::tiles::TileLevel, column| {
            crate::pages::tiles::cut_tile(
                level,
                &tile(column),
                crate::pages::Adjustments::default(),
            )
            .map(drop)
            .map_err(&failed)
        };
        let first = median(RUNS, || cut(&crate::pages::tiles::TileLevel::default(), 0))?;
        let kept = crate::pages::tiles::TileLevel::default();
        cut(&kept, 0)?;
        let next = median(RUNS, || cut(&kept, 1))?;
        (Some(first.as_secs_f64()), Some(next.as_secs_f64()))
    } else {
        (None, None)
    };
    let output = scratch.join("vips-preview.jpg");
    let vips = median(RUNS, || {
        let status = Command::new("vipsthumbnail")
            .arg(file)
            .arg("--size")
            .arg(PREVIEW_SIDE.to_string())
            .arg("-o")
            .arg(&output)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match status {
            Ok(status) if status.success() => Ok(()),
            Ok(status) => Err(failed(format!("vipsthumbnail failed: {status}"))),
            Err(e) => Err(failed(format!("vipsthumbnail: {e}"))),
        }
    })
    .ok();
    Ok(PreviewTiming {
        file: file.to_owned(),
        width,
        height,
        folio_s: folio.as_secs_f64(),
        full_decode_s: full.as_secs_f64(),
        vipsthumbnail_s: vips.map(|d| d.as_secs_f64()),
        first_tile_s: first_tile,
        next_tile_s: next_tile,
    })
}

fn median<E>(runs: usize, mut job: impl FnMut() -> Result<(), E>) -> Result<Duration, E> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        job()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times.get(runs / 2).copied().unwrap_or_default())
}

/// Writes a JPEG that compresses like a scanned page: paper with grain,
/// lines of dark strokes, a darker margin. Deterministic.
fn scan_like_page(path: &Path, width: u32, height: u32) -> Result<PathBuf, PreviewBenchError> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 56) as u8
    };
    let line_height = (height / 60).max(8);
    let page = image::RgbImage::from_fn(width, height, |x, y| {
        let grain = i32::from(noise() % 24) - 12;
        let in_line = (y % line_height) < line_height * 2 / 5;
        let margin = x < width / 12 || x > width - width / 12;
        let ink = in_line && !margin && ((x / 7 + y / 3) % 11 < 4) && noise() < 160;
        let base: i32 = if ink { 60 } else { 226 } - if margin { 20 } else { 0 };
        let v = (base + grain).clamp(0, 255) as u8;
        image::Rgb([v, v.saturating_sub(6), v.saturating_sub(18)])
    });
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(file, 85);
    encoder.encode_image(&page)?;
    Ok(path.to_owned())
}

/// The report as a table.
pub fn table(timings: &[PreviewTiming]) -> String {
    let mut out = format!(
        "time to the first visible preview ({PREVIEW_SIDE} px on the longer side), median of {RUNS} runs\n"
    );
    for t in timings {
        let name = t
            .file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let megapixels = f64::from(t.width) * f64::from(t.height) / 1e6;
        out.push_str(&format!(
            "  {name} ({}×{}, {megapixels:.0} MP): folio {:.3} s, full decode {:.3} s",
            t.width, t.height, t.folio_s, t.full_decode_s
        ));
        match (t.vipsthumbnail_s, t.ratio()) {
            (Some(vips), Some(ratio)) => out.push_str(&format!(
                ", vipsthumbnail {vips:.3} s; folio takes {:.0} % of vipsthumbnail's time ({ratio:.1}× faster)\n",
                100.0 / ratio
            )),
            _ => out.push_str(", vipsthumbnail not installed (Debian: libvips-tools)\n"),
        }
        if let (Some(first), Some(next)) = (t.first_tile_s, t.next_tile_s) {
            out.push_str(&format!(
                "    zoomed to 100 %: first {}-pixel tile {first:.3} s (the page decoded whole, once), each next tile {:.1} ms\n",
                crate::pages::tiles::TILE,
                next * 1000.0
            ));
        }
    }
    out
}
