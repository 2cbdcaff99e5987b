//! The notes section of the reader: where notes are kept and any problem
//! saving them, the bookmark, tags with completion, the document's note,
//! the shown page's note and the chosen line's note.

use eframe::egui::{self, RichText};

use crate::research::notes::DocumentNotes;
use crate::research::notes::service::Conflict;
use crate::ui::Command;
use crate::ui::view::View;

/// What the notes section shows this frame.
#[derive(Debug, Clone, Copy)]
pub struct NotesData<'a> {
    /// The open document's notes (none yet: `None`).
    pub notes: Option<&'a DocumentNotes>,
    pub status: &'a NotesStatus<'a>,
    /// The page shown (0-based).
    pub page: usize,
    /// The chosen line, when it is one of the page's regions.
    pub region: Option<&'a RegionAnchor>,
    /// Every tag of the corpus, for completion.
    pub all_tags: &'a [String],
}

/// What the reader's notes section edits.
#[derive(Debug, Default)]
pub struct NotesView {
    /// The tag being typed.
    pub tag_input: String,
}

/// Where a region note attaches: the page (1-based), the region's index
/// among the page's regions, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionAnchor {
    pub page: usize,
    pub region: usize,
    pub text: String,
}

/// Where the shown document's notes are kept and what went wrong.
#[derive(Debug, Clone, Copy, Default)]
pub struct NotesStatus<'a> {
    /// "Your notes for this corpus are kept in …".
    pub location: &'a str,
    /// Why the last save failed (the text stays, saves are retried).
    pub failed: Option<&'a str>,
    /// The other version, when both were edited at once.
    pub conflict: Option<&'a Conflict>,
}

/// The failed save and the conflict of the shown document, with what the
/// user can do about them.
fn status(ui: &mut egui::Ui, status: &NotesStatus<'_>, id: &str, commands: &mut Vec<Command>) {
    if let Some(reason) = status.failed {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "⚠ Not saved: {reason}. Your text stays here; folio tries again every few seconds."
                ))
                .color(ui.visuals().error_fg_color),
            );
            if ui.button("Try again now").clicked() {
                commands.push(Command::RetryNotes);
            }
        });
    }
    if let Some(conflict) = status.conflict {
        ui.label(
            RichText::new(format!(
                "⚠ {} changed in another window or program at the same time as here. Yours are shown; theirs are kept in {}.",
                crate::ui::display::capitalized(&conflict.fields.join(", ")),
                conflict.kept_at.display()
            ))
            .color(ui.visuals().warn_fg_color),
        );
        if !conflict.theirs.note.trim().is_empty() {
            ui.label(RichText::new("Their note:").weak());
            ui.label(crate::ui::display::first_lines(&conflict.theirs.note, 6));
        }
        ui.horizontal(|ui| {
            if ui.button("Use their version").clicked() {
                commands.push(Command::UseTheirNotes(id.to_owned()));
            }
            if ui.button("Keep mine").clicked() {
                commands.push(Command::KeepMyNotes(id.to_owned()));
            }
        });
    }
}

/// The notes section of the reader: where notes are kept and any problem
/// saving them, bookmark, tags with completion, the document's note, the
/// shown page's note and the chosen line's note.
impl View for NotesView {
    type Data<'a> = NotesData<'a>;

    fn ui(&mut self, ui: &mut egui::Ui, data: NotesData<'_>, commands: &mut Vec<Command>) {
        let empty = DocumentNotes::default();
        let notes = data.notes.unwrap_or(&empty);
        let id = data
            .status
            .conflict
            .map_or(notes.document.as_str(), |c| c.document.as_str());
        status(ui, data.status, id, commands);
        self.bookmark_and_tags(ui, notes, data.all_tags, commands);
        notes_fields(ui, notes, data.page, data.region, commands);
        other_notes(ui, notes, data.region, commands);
        if !data.status.location.is_empty() {
            ui.label(RichText::new(data.status.location).weak());
        }
    }
}

impl NotesView {
    /// The bookmark, the tags and the box to add one, with completion.
    fn bookmark_and_tags(
        &mut self,
        ui: &mut egui::Ui,
        notes: &DocumentNotes,
        all_tags: &[String],
        commands: &mut Vec<Command>,
    ) {
        let view = self;
        ui.horizontal_wrapped(|ui| {
            let (star, tip) = if notes.bookmarked {
                ("★ Bookmarked", "Remove the bookmark")
            } else {
                ("☆ Bookmark", "Bookmark this document")
            };
            if ui
                .selectable_label(notes.bookmarked, star)
                .on_hover_text(tip)
                .clicked()
            {
                commands.push(Command::SetBookmark(!notes.bookmarked));
            }
            let tags_label = ui.label(RichText::new("Tags:").weak());
            for tag in &notes.tags {
                if ui
                    .small_button(format!("{tag} ✕"))
                    .on_hover_text("Remove this tag")
                    .clicked()
                {
                    commands.push(Command::RemoveTag(tag.clone()));
                }
            }
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut view.tag_input)
                        .id(egui::Id::unique("folio-tag-input"))
                        .hint_text("add a tag")
                        .desired_width(120.0),
                )
                .labelled_by(tags_label.id);
            if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                commands.push(Command::AddTag(std::mem::take(&mut view.tag_input)));
                field.request_focus();
            }
            let typed = crate::text::fold(view.tag_input.trim());
            if !typed.is_empty() {
                let suggestions = all_tags
                    .iter()
                    .filter(|t| !notes.tags.contains(t) && crate::text::fold(t).contains(&typed))
                    .take(6);
                for tag in suggestions {
                    if ui.small_button(format!("+ {tag}")).clicked() {
                        commands.push(Command::AddTag(tag.clone()));
                        view.tag_input.clear();
                    }
                }
            }
        });
    }
}

/// The document's note, the shown page's and the chosen line's.
fn notes_fields(
    ui: &mut egui::Ui,
    notes: &DocumentNotes,
    page: usize,
    region: Option<&RegionAnchor>,
    commands: &mut Vec<Command>,
) {
    let mut note = notes.note.clone();
    let label = ui.label(RichText::new("Note (Markdown)").weak());
    if ui
        .add(
            egui::TextEdit::multiline(&mut note)
                .id(egui::Id::unique("folio-document-note"))
                .hint_text("What this document is, what to check, where it leads…")
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id)
        .changed()
    {
        commands.push(Command::SetDocumentNote(note));
    }
    let mut page_note = notes.page_note(page + 1).to_owned();
    let label = ui.label(RichText::new(format!("Note on page {}", page + 1)).weak());
    if ui
        .add(
            egui::TextEdit::multiline(&mut page_note)
                .id(egui::Id::unique("folio-page-note"))
                .desired_rows(1)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id)
        .changed()
    {
        commands.push(Command::SetPageNote(page_note));
    }
    if let Some(region) = region {
        let mut region_note = notes.region_note(region.page, region.region).to_owned();
        let label = ui.label(
            RichText::new(format!(
                "Note on the chosen line: {}",
                crate::ui::display::display_line(&region.text)
            ))
            .weak(),
        );
        if ui
            .add(
                egui::TextEdit::multiline(&mut region_note)
                    .id(egui::Id::unique("folio-region-note"))
                    .desired_rows(1)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
            .changed()
        {
            commands.push(Command::SetRegionNote(region_note));
        }
    }
}

/// Links to the notes on other pages and lines.
fn other_notes(
    ui: &mut egui::Ui,
    notes: &DocumentNotes,
    region: Option<&RegionAnchor>,
    commands: &mut Vec<Command>,
) {
    let other_regions: Vec<_> = notes
        .regions
        .iter()
        .filter(|r| region.is_none_or(|a| (a.page, a.region) != (r.page, r.region)))
        .collect();
    if !notes.pages.is_empty() || !other_regions.is_empty() {
        egui::CollapsingHeader::new(format!(
            "All notes on pages and lines ({})",
            notes.pages.len() + notes.regions.len()
        ))
        .id_salt("folio-all-notes")
        .show(ui, |ui| {
            for page_note in &notes.pages {
                if ui
                    .link(format!(
                        "Page {}: {}",
                        page_note.page,
                        crate::ui::display::first_line(&page_note.note)
                    ))
                    .clicked()
                {
                    commands.push(Command::SetPage(page_note.page.saturating_sub(1)));
                }
            }
            for region_note in &notes.regions {
                if ui
                    .link(format!(
                        "Page {}, “{}”: {}",
                        region_note.page,
                        crate::ui::display::first_line(&region_note.text),
                        crate::ui::display::first_line(&region_note.note)
                    ))
                    .clicked()
                {
                    commands.push(Command::SetPage(region_note.page.saturating_sub(1)));
                }
            }
        });
    }
}
