//! The eframe application around [`AppState`]: settings kept and
//! written, frame timings, the window's start and exit.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui;

use super::settings::{Settings, Theme};
use super::{AppState, Command, POLL_BUDGET, fonts, settings};

/// Timings printed when `FOLIO_TIMING` is set, and per-frame CPU times
/// written to `FOLIO_FRAME_LOG` at exit (for the README's measurements).
#[derive(Debug)]
struct Timing {
    launched: Instant,
    report: bool,
    first_frame: bool,
    interactive: bool,
    frame_log: Option<PathBuf>,
    /// (wall clock in ms since the Unix epoch, egui's CPU time in ms).
    frames: Vec<(u128, f32)>,
}

/// The eframe application: the state plus what only a real window has
/// (the settings writer, theme and zoom, window geometry).
#[derive(Debug)]
pub struct FolioApp {
    pub state: AppState,
    saver: Option<settings::Saver>,
    timing: Timing,
}

impl FolioApp {
    /// Starts loading `path` at once; `document` opens when it is loaded.
    pub fn new(
        ctx: &egui::Context,
        path: &Path,
        settings: Settings,
        document: Option<String>,
        launched: Instant,
    ) -> Self {
        let saver = settings::settings_path().and_then(|p| {
            settings::Saver::spawn(p, settings.clone())
                .map_err(|e| eprintln!("folio: settings will not be saved: {e}"))
                .ok()
        });
        let mut state = AppState {
            settings,
            pending_document: document,
            repaint: Some(ctx.clone()),
            ..AppState::default()
        };
        state.apply(Command::Open(path.to_owned()));
        Self {
            state,
            saver,
            timing: Timing {
                launched,
                report: std::env::var_os("FOLIO_TIMING").is_some(),
                first_frame: false,
                interactive: false,
                frame_log: std::env::var_os("FOLIO_FRAME_LOG").map(PathBuf::from),
                frames: Vec::new(),
            },
        }
    }

    /// Applies theme and zoom, and reads back what the user changed
    /// through egui itself (Ctrl +/- zoom, window size).
    fn sync_settings(&mut self, ctx: &egui::Context) {
        let settings = &mut self.state.settings;
        let theme = match settings.theme {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        };
        if ctx.options(|o| o.theme_preference) != theme {
            ctx.set_theme(theme);
        }
        settings.zoom = ctx.zoom_factor();
        let (inner, outer, maximized) = ctx.input(|i| {
            let viewport = i.viewport();
            (viewport.inner_rect, viewport.outer_rect, viewport.maximized)
        });
        if let Some(maximized) = maximized {
            settings.maximized = maximized;
        }
        if !settings.maximized {
            if let Some(inner) = inner {
                settings.window_size = [inner.width(), inner.height()];
            }
            if let Some(outer) = outer {
                settings.window_position = Some([outer.min.x, outer.min.y]);
            }
        }
    }

    fn record_timing(&mut self, frame: &eframe::Frame) {
        let timing = &mut self.timing;
        if let Some(cpu) = frame.info().cpu_usage
            && timing.frame_log.is_some()
        {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            timing.frames.push((now, cpu * 1000.0));
        }
        if timing.report && !timing.first_frame {
            timing.first_frame = true;
            eprintln!(
                "folio: first frame after {:.0} ms",
                timing.launched.elapsed().as_secs_f64() * 1000.0
            );
        }
        if timing.report && !timing.interactive && self.state.corpus.is_some() {
            timing.interactive = true;
            eprintln!(
                "folio: interactive after {:.0} ms ({} documents listed)",
                timing.launched.elapsed().as_secs_f64() * 1000.0,
                self.state.rows.len()
            );
        }
    }
}

impl eframe::App for FolioApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.sync_settings(&ctx);
        let busy = self.state.poll(POLL_BUDGET);
        let commands = self.state.ui(ui);
        for command in commands {
            self.state.apply(command);
        }
        // Decoded pages should appear at once; a loading corpus only moves
        // a progress bar, and every frame drawn takes CPU from the parser
        // threads (on a software renderer most of a core).
        if self.state.images.is_busy() {
            ctx.request_repaint_after(Duration::from_millis(30));
        } else if busy {
            ctx.request_repaint_after(Duration::from_millis(200));
        }
        if let Some(saver) = &mut self.saver {
            saver.offer(&self.state.settings);
        }
        self.record_timing(frame);
    }

    fn on_exit(&mut self) {
        let unsaved = self.state.notes.flush();
        if !unsaved.is_empty() {
            eprintln!(
                "folio: the notes on {} could not be saved: {}",
                crate::text::count(unsaved.len(), "document", "documents"),
                unsaved.join(", ")
            );
        }
        if let Some(path) = settings::settings_path()
            && let Err(e) = settings::save(&path, &self.state.settings)
        {
            eprintln!("folio: cannot save settings to {}: {e}", path.display());
        }
        if let Some(path) = &self.timing.frame_log {
            let mut lines = String::new();
            for (at, ms) in &self.timing.frames {
                let _ = writeln!(lines, "{at} {ms:.3}");
            }
            if let Err(e) = std::fs::write(path, lines) {
                eprintln!("folio: cannot write {}: {e}", path.display());
            }
        }
    }
}

/// The bundled corpus (see [`crate::bundled`]).
pub fn bundled_documents() -> Option<PathBuf> {
    crate::bundled::documents()
}

/// What the window opens: `path` if given, else the last corpus when it
/// still exists, else the bundled documents.
fn startup_folder(path: Option<PathBuf>, settings: &Settings) -> (PathBuf, Option<String>) {
    if let Some(path) = path {
        let document = (settings.last_corpus.as_ref() == Some(&path))
            .then(|| settings.last_document.clone())
            .flatten();
        return (path, document);
    }
    if let Some(last) = &settings.last_corpus
        && (last.is_dir() || crate::corpus::formats::iiif::is_remote(last))
    {
        return (last.clone(), settings.last_document.clone());
    }
    (
        bundled_documents().unwrap_or_else(|| PathBuf::from(".")),
        None,
    )
}

/// Opens the window on `path` (or the last or bundled corpus); `document`
/// is an id to open once loaded.
pub fn run(path: Option<PathBuf>, document: Option<String>, launched: Instant) -> eframe::Result {
    let (settings, problem) = settings::settings_path()
        .map(|p| settings::load(&p))
        .unwrap_or_default();
    if let Some(problem) = problem {
        eprintln!("folio: {problem}");
    }
    let (folder, remembered) = startup_folder(path, &settings);
    let document = document.or(remembered);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("folio")
        .with_inner_size(settings.window_size)
        .with_maximized(settings.maximized)
        .with_drag_and_drop(true)
        // The desktop entry's name (folio.desktop): docks match the two.
        .with_app_id("folio");
    if let Some(icon) = icon() {
        viewport = viewport.with_icon(icon);
    }
    if let Some(position) = settings.window_position {
        viewport = viewport.with_position(position);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "folio",
        options,
        Box::new(move |cc| {
            fonts::install(&cc.egui_ctx);
            super::style::install(&cc.egui_ctx);
            cc.egui_ctx.set_zoom_factor(settings.zoom);
            Ok(Box::new(FolioApp::new(
                &cc.egui_ctx,
                &folder,
                settings,
                document,
                launched,
            )))
        }),
    )
}

/// folio's icon for the window (docks and task switchers), from the PNG
/// drawn from `assets/icon/folio.svg`.
fn icon() -> Option<egui::IconData> {
    let png = include_bytes!("../../assets/icon/folio-256.png");
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png).ok()?;
    let rgba = image.to_rgba8();
    Some(egui::IconData {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw(),
    })
}
