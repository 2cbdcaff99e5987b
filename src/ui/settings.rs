//! What the window remembers between runs: one serde struct, read once at
//! start and written by the `folio-settings` thread whenever it changes
//! (write to a temporary file, fsync, rename: a crash leaves the old or the
//! new file, never half of one).
//!
//! The file is `settings.json` in `$FOLIO_CONFIG_DIR`, else
//! `$XDG_CONFIG_HOME/folio`, else `~/.config/folio`. A missing or unreadable
//! file gives the defaults (and the reason, for the notice line); unknown
//! fields are ignored so that older and newer versions share the file.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, SyncSender, TrySendError};

use serde::{Deserialize, Serialize};

pub use crate::index::order::SortKey;

/// How many folders the Open Recent menu keeps.
pub const RECENT_LIMIT: usize = 10;

/// Light, dark, or whatever the desktop says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// Everything persisted. Runtime state (textures, channels, indexes) lives
/// in `AppState`, never here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Inner size of the window in points.
    pub window_size: [f32; 2],
    pub window_position: Option<[f32; 2]>,
    pub maximized: bool,
    pub theme: Theme,
    /// Scale of the whole interface (1.0 = egui's default sizes).
    pub zoom: f32,
    /// Font size of the text panes in points.
    pub text_size: f32,
    pub filters_width: f32,
    /// The reader's width; 0 until the window first shows it (then it
    /// takes all the room the list does not need).
    pub reader_width: f32,
    pub show_filters: bool,
    pub show_list: bool,
    pub sort: SortKey,
    pub sort_descending: bool,
    /// Widths of the reader's panes as fractions, left to right.
    pub pane_fractions: Vec<f32>,
    pub last_corpus: Option<PathBuf>,
    /// Id of the document open when the window closed (in `last_corpus`).
    pub last_document: Option<String>,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    /// What the timeline's bars are coloured by.
    pub timeline_colour: crate::index::facets::GroupBy,
    /// A small picture of each document's first page in the list (for
    /// corpora with scans).
    pub list_thumbnails: bool,
    /// The timeline's height in points.
    pub timeline_height: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            window_size: [1280.0, 800.0],
            window_position: None,
            maximized: false,
            theme: Theme::System,
            zoom: 1.0,
            text_size: 15.0,
            filters_width: 250.0,
            reader_width: 0.0,
            show_filters: true,
            show_list: true,
            sort: SortKey::Date,
            sort_descending: false,
            pane_fractions: Vec::new(),
            last_corpus: None,
            last_document: None,
            recent: Vec::new(),
            timeline_colour: crate::index::facets::GroupBy::Nothing,
            list_thumbnails: true,
            timeline_height: super::filters::TIMELINE_HEIGHT,
        }
    }
}

impl Settings {
    /// Puts `folder` first in the recent list.
    pub fn remember_folder(&mut self, folder: &Path) {
        self.recent.retain(|f| f != folder);
        self.recent.insert(0, folder.to_owned());
        self.recent.truncate(RECENT_LIMIT);
        self.last_corpus = Some(folder.to_owned());
    }

    /// Brings values from a hand-edited or older file into range.
    fn sanitized(mut self) -> Self {
        let defaults = Self::default();
        let finite = |v: f32, lo: f32, hi: f32, default: f32| {
            if v.is_finite() {
                v.clamp(lo, hi)
            } else {
                default
            }
        };
        self.window_size = [
            finite(self.window_size[0], 400.0, 16384.0, defaults.window_size[0]),
            finite(self.window_size[1], 300.0, 16384.0, defaults.window_size[1]),
        ];
        self.window_position = self
            .window_position
            .filter(|p| p.iter().all(|v| v.is_finite() && v.abs() < 65536.0));
        self.zoom = finite(self.zoom, 0.5, 3.0, 1.0);
        // A search is not kept across a restart: its order is not either
        // (no sort button would be lit).
        if self.sort == SortKey::Relevance {
            self.sort = defaults.sort;
            self.sort_descending = defaults.sort_descending;
        }
        self.text_size = finite(self.text_size, 8.0, 48.0, defaults.text_size);
        self.timeline_height = finite(self.timeline_height, 48.0, 400.0, defaults.timeline_height);
        self.filters_width = finite(self.filters_width, 120.0, 2000.0, defaults.filters_width);
        // 0: not chosen yet (the reader takes what the list does not need).
        if self.reader_width != 0.0 {
            self.reader_width = finite(self.reader_width, 200.0, 8000.0, defaults.reader_width);
        }
        if self.pane_fractions.len() > 3
            || self
                .pane_fractions
                .iter()
                .any(|f| !f.is_finite() || *f <= 0.0)
        {
            self.pane_fractions.clear();
        }
        self.recent.truncate(RECENT_LIMIT);
        self
    }
}

/// The folder settings live in.
pub fn config_dir() -> Option<PathBuf> {
    let from_env = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    from_env("FOLIO_CONFIG_DIR")
        .or_else(|| from_env("XDG_CONFIG_HOME").map(|d| d.join("folio")))
        .or_else(|| from_env("HOME").map(|h| h.join(".config").join("folio")))
}

/// Where the settings file is.
pub fn settings_path() -> Option<PathBuf> {
    config_dir().map(|d| d.join("settings.json"))
}

/// Reads the settings; on any problem returns the defaults and why.
pub fn load(path: &Path) -> (Settings, Option<String>) {
    match std::fs::read(path) {
        Ok(bytes) => match serde_json::from_slice::<Settings>(&bytes) {
            Ok(settings) => (settings.sanitized(), None),
            Err(e) => (
                Settings::default(),
                Some(format!(
                    "{}: unreadable settings ({e}); using the defaults",
                    path.display()
                )),
            ),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Settings::default(), None),
        Err(e) => (
            Settings::default(),
            Some(format!("{}: {e}; using the defaults", path.display())),
        ),
    }
}

/// Writes `settings` atomically: temporary file, fsync, rename.
pub fn save(path: &Path, settings: &Settings) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?;
    crate::cache::write_atomically(path, &json)
}

/// Writes settings on the `folio-settings` thread; the UI only sends.
#[derive(Debug)]
pub struct Saver {
    sender: SyncSender<Settings>,
    last_sent: Settings,
}

impl Saver {
    /// Starts the thread that writes to `path`. Errors are printed to
    /// stderr once (the window has nowhere better to put them at exit).
    pub fn spawn(path: PathBuf, current: Settings) -> std::io::Result<Self> {
        let (sender, receiver) = mpsc::sync_channel::<Settings>(2);
        std::thread::Builder::new()
            .name("folio-settings".into())
            .spawn(move || {
                let mut reported = false;
                while let Ok(mut settings) = receiver.recv() {
                    // Only the newest matters.
                    while let Ok(newer) = receiver.try_recv() {
                        settings = newer;
                    }
                    let saved = std::panic::catch_unwind(|| save(&path, &settings)).unwrap_or_else(
                        |payload| {
                            Err(std::io::Error::other(super::worker::stopped(
                                "settings writer",
                                payload.as_ref(),
                            )))
                        },
                    );
                    if let Err(e) = saved
                        && !reported
                    {
                        eprintln!("folio: cannot save settings to {}: {e}", path.display());
                        reported = true;
                    }
                }
            })?;
        Ok(Self {
            sender,
            last_sent: current,
        })
    }

    /// Queues `settings` for writing if they changed since the last call.
    pub fn offer(&mut self, settings: &Settings) {
        if *settings == self.last_sent {
            return;
        }
        match self.sender.try_send(settings.clone()) {
            Ok(()) => self.last_sent = settings.clone(),
            // The writer is busy; the next frame offers again.
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_order_is_not_restored_without_its_search() {
        let saved = Settings {
            sort: SortKey::Relevance,
            sort_descending: true,
            ..Settings::default()
        };
        let restored = saved.sanitized();
        assert_eq!(
            (restored.sort, restored.sort_descending),
            (Settings::default().sort, false)
        );
    }

    #[test]
    fn round_trip_and_atomic_save() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("sub").join("settings.json");
        let mut settings = Settings {
            theme: Theme::Dark,
            text_size: 19.0,
            ..Settings::default()
        };
        settings.remember_folder(Path::new("/corpus/a"));
        settings.remember_folder(Path::new("/corpus/b"));
        settings.remember_folder(Path::new("/corpus/a"));
        assert_eq!(
            settings.recent,
            [PathBuf::from("/corpus/a"), PathBuf::from("/corpus/b")]
        );
        save(&path, &settings).unwrap_or_else(|e| panic!("{e}"));
        assert!(!path.with_extension("json.tmp").exists());
        assert_eq!(load(&path), (settings, None));
    }

    #[test]
    fn bad_files_give_defaults_with_a_reason() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("settings.json");
        assert_eq!(load(&path), (Settings::default(), None));
        std::fs::write(&path, "{ not json").unwrap_or_else(|e| panic!("{e}"));
        let (settings, problem) = load(&path);
        assert_eq!(settings, Settings::default());
        assert!(problem.is_some_and(|p| p.contains("unreadable settings")));
        // Out-of-range and unknown values are tamed, not fatal.
        std::fs::write(
            &path,
            r#"{"zoom": 40.0, "text_size": -3, "future_field": 1, "pane_fractions": [0.5, -1]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let (settings, problem) = load(&path);
        assert_eq!(problem, None);
        assert!((settings.zoom - 3.0).abs() < f32::EPSILON);
        assert!((settings.text_size - 8.0).abs() < f32::EPSILON);
        assert!(settings.pane_fractions.is_empty());
    }
}
