//! The one shape of a panel, after egui's demo: a struct that owns its
//! view state (what is being typed, what is open, how far it is zoomed)
//! and draws itself from the data it is lent for one frame. What the user
//! asks for goes out as [`Command`]s, which
//! [`super::AppState::apply`] carries out in one place.

use eframe::egui;

use super::Command;

/// A panel of the window.
pub trait View {
    /// What the panel reads this frame (borrowed from the window's state).
    type Data<'a>;

    /// Draws the panel; every change the user asks for is pushed to `commands`.
    fn ui(&mut self, ui: &mut egui::Ui, data: Self::Data<'_>, commands: &mut Vec<Command>);
}

/// A window over the others (a dialog, a person's page), after egui's
/// demo windows: shown on the context rather than inside a panel.
pub trait Window {
    /// What the window reads this frame.
    type Data<'a>;

    /// Shows the window; every change the user asks for (closing it
    /// included) is pushed to `commands`.
    fn show(&mut self, ctx: &egui::Context, data: Self::Data<'_>, commands: &mut Vec<Command>);
}
