//! The reader's top: the document's title and what is known about it
//! (date, people, archive reference, source, citation), the notes section,
//! and the toolbar (pages, panes, search hits, export).

use eframe::egui::{self, RichText};

use super::{ReaderContext, ReaderView};
use crate::model::{Document, Role};
use crate::research::export::Format;
use crate::ui::Command;
use crate::ui::display::{capitalized, display_line};
use crate::ui::notes::NotesData;
use crate::ui::view::View;

/// The collapsible notes section under the header; its title says what is
/// there ("★ · 2 tags · note").
pub(super) fn notes_header(
    ui: &mut egui::Ui,
    cx: &mut ReaderContext<'_>,
    page: usize,
    commands: &mut Vec<Command>,
) {
    let notes = cx.notes.notes;
    let mut parts = Vec::new();
    if notes.is_some_and(|n| n.bookmarked) {
        parts.push("★".to_owned());
    }
    if let Some(n) = notes.filter(|n| !n.tags.is_empty()) {
        parts.push(n.tags.join(", "));
    }
    if notes.is_some_and(crate::research::notes::DocumentNotes::has_notes) {
        parts.push("has notes".to_owned());
    }
    if cx.notes.status.failed.is_some() {
        parts.push("⚠ not saved".to_owned());
    }
    if cx.notes.status.conflict.is_some() {
        parts.push("⚠ edited elsewhere too".to_owned());
    }
    let open = cx.notes.status.failed.is_some() || cx.notes.status.conflict.is_some();
    let title = if parts.is_empty() {
        "Notes and tags".to_owned()
    } else {
        format!("Notes and tags · {}", parts.join(" · "))
    };
    egui::CollapsingHeader::new(title)
        .id_salt("reader-notes")
        .default_open(false)
        .open(open.then_some(true))
        .show(ui, |ui| {
            let data = NotesData {
                notes,
                status: &cx.notes.status,
                page,
                region: cx.notes.region,
                all_tags: cx.notes.all_tags,
            };
            cx.notes.view.ui(ui, data, commands);
        });
}

/// The collapsible Describe section under the notes: the document's
/// fields, people and pages as the user corrects them.
pub(super) fn describe_header(
    ui: &mut egui::Ui,
    doc: &Document,
    cx: &mut ReaderContext<'_>,
    page: usize,
    commands: &mut Vec<Command>,
) {
    let edited = cx.describe.overlay.get(&doc.id).is_some();
    let title = if edited {
        "Describe this document · ✎ edited in folio"
    } else {
        "Describe this document"
    };
    egui::CollapsingHeader::new(title)
        .id_salt("reader-describe")
        .default_open(false)
        .show(ui, |ui| {
            let data = crate::ui::describe::DescribeData {
                doc,
                corpus: cx.corpus,
                index: cx.describe.index,
                overlay: cx.describe.overlay,
                page,
                photographed: cx.describe.photographed,
            };
            egui::ScrollArea::vertical()
                .id_salt("describe-scroll")
                .max_height(ui.ctx().content_rect().height() * 0.45)
                .show(ui, |ui| cx.describe.view.ui(ui, data, commands));
        });
}

/// Said under the title of a document the list no longer holds, so the
/// reader is never silently out of step with the filters.
pub(super) fn outside_selection(ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new("⚠ Not in the current selection: the filters or the search leave this document out of the list.")
                .color(ui.visuals().warn_fg_color),
        );
        if ui.small_button("Close it").clicked() {
            commands.push(Command::OpenDocument(None));
        }
    });
}

pub(super) fn header(
    ui: &mut egui::Ui,
    doc: &Document,
    reading_mode: bool,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let title = if doc.title.is_empty() {
            "(untitled)".to_owned()
        } else {
            display_line(&doc.title)
        };
        ui.add(egui::Label::new(RichText::new(title).heading().strong()).wrap());
    });
    ui.horizontal_wrapped(|ui| {
        if let Some(kind) = &doc.kind {
            ui.label(RichText::new(capitalized(kind)).strong());
            ui.label("·");
        }
        ui.label(doc.date.to_string());
        if !doc.date.is_unknown() {
            let mut normalized =
                format!("{} ({})", doc.date.to_edtf(), doc.date.precision.as_str());
            if doc.date.inferred {
                normalized.push_str(", inferred");
            }
            ui.label(RichText::new(normalized).weak())
                .on_hover_text("Normalized date in EDTF, with its precision");
        }
        if let Some(archive) = &doc.archive {
            ui.label("·");
            ui.label(RichText::new(&archive.raw).strong())
                .on_hover_text(archive.tree_path().join(" › "));
        }
        if let Some(lang) = &doc.original_language {
            ui.label("·");
            ui.label(format!("original: {lang}"));
        }
    });
    let roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|&role| doc.people_with(role).next().is_some())
        .collect();
    if !roles.is_empty() {
        ui.horizontal_wrapped(|ui| {
            for (r, role) in roles.iter().enumerate() {
                if r > 0 {
                    ui.label(RichText::new("·").weak());
                }
                ui.label(format!("{}:", capitalized(role.as_str())));
                let mut seen: Vec<&str> = Vec::new();
                for person in doc.people_with(*role) {
                    if seen.contains(&person.name.as_str()) {
                        continue;
                    }
                    seen.push(&person.name);
                    if ui
                        .link(display_line(&person.to_string()))
                        .on_hover_text("Every document of this person")
                        .clicked()
                    {
                        commands.push(Command::ShowPerson(Some(person.name.clone())));
                    }
                }
            }
        });
    }
    ui.horizontal_wrapped(|ui| {
        if let Some(url) = &doc.source_url {
            ui.hyperlink_to(RichText::new(format!("Source: {url}")).small(), url);
        }
        ui.menu_button(RichText::new("Cite").small(), |ui| {
            for (format, label) in [
                (Format::Citation, "Copy citation (archive style)"),
                (Format::Chicago, "Copy Chicago note"),
                (Format::CslJson, "Copy CSL-JSON"),
                (Format::Bibtex, "Copy BibTeX"),
            ] {
                let preview = crate::research::export::write(format, [doc]);
                if ui.button(label).on_hover_text(preview.trim_end()).clicked() {
                    commands.push(Command::CopyDocument(format));
                }
            }
        });
        let label = if reading_mode {
            "← Back to list"
        } else {
            "↔ Read full width"
        };
        if ui
            .small_button(label)
            .on_hover_text("Enter reads full width, Escape returns")
            .clicked()
        {
            commands.push(Command::SetReading(!reading_mode));
        }
    });
    if let Some(summary) = doc.summary() {
        egui::CollapsingHeader::new("Summary")
            .id_salt("reader-summary")
            .default_open(true)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("summary-scroll")
                    .max_height(90.0)
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(display_line(summary)).wrap());
                    });
            });
    }
    if doc.citation.is_some() || doc.credits.is_some() || !doc.warnings.is_empty() {
        egui::CollapsingHeader::new("Citation, credits and warnings")
            .id_salt("reader-citation")
            .default_open(false)
            .show(ui, |ui| {
                if let Some(citation) = &doc.citation {
                    ui.add(egui::Label::new(citation).wrap().selectable(true));
                }
                if let Some(credits) = &doc.credits {
                    ui.add(egui::Label::new(RichText::new(credits).weak()).wrap());
                }
                for warning in &doc.warnings {
                    ui.colored_label(ui.visuals().warn_fg_color, warning);
                }
            });
    }
}

/// Page navigation and the pane count.
pub(super) fn toolbar(
    ui: &mut egui::Ui,
    doc: &Document,
    view: &ReaderView,
    hit_count: usize,
    commands: &mut Vec<Command>,
) {
    let pages = doc.page_count().max(1);
    ui.horizontal(|ui| {
        // A book read right to left turns its next page to the left.
        let (left, right) = if doc.pages_right_to_left {
            ((view.page + 1 < pages, view.page + 1, "Next page (Page Down)"), (view.page > 0, view.page.saturating_sub(1), "Previous page (Page Up)"))
        } else {
            ((view.page > 0, view.page.saturating_sub(1), "Previous page (Page Up)"), (view.page + 1 < pages, view.page + 1, "Next page (Page Down)"))
        };
        let button = ui.add_enabled(left.0, egui::Button::new("◀"));
        if button.on_hover_text(left.2).clicked() {
            commands.push(Command::SetPage(left.1));
        }
        ui.label(format!("Page {} of {pages}", view.page + 1));
        let button = ui.add_enabled(right.0, egui::Button::new("▶"));
        if button.on_hover_text(right.2).clicked() {
            commands.push(Command::SetPage(right.1));
        }
        if doc.pages_right_to_left {
            ui.label(egui::RichText::new("right to left").small().weak())
                .on_hover_text("The manifest says this book is read right to left: the next page is on the left");
        }
        ui.separator();
        ui.label("Panes:");
        for n in [1, 2, 3] {
            if ui
                .selectable_label(view.panes.len() == n, n.to_string())
                .clicked()
                && view.panes.len() != n
            {
                commands.push(Command::SetPaneCount(n));
            }
        }
        if hit_count > 0 {
            ui.separator();
            if ui
                .small_button("◀")
                .on_hover_text("Previous hit (Shift+F3)")
                .clicked()
            {
                commands.push(Command::PreviousHit);
            }
            let at = view
                .hit
                .map_or_else(|| "–".to_owned(), |h| (h + 1).to_string());
            ui.label(format!("Hit {at} of {hit_count}"));
            if ui
                .small_button("▶")
                .on_hover_text("Next hit (F3)")
                .clicked()
            {
                commands.push(Command::NextHit);
            }
        }
        ui.separator();
        if ui
            .small_button("A−")
            .on_hover_text("Smaller text")
            .clicked()
        {
            commands.push(Command::ChangeTextSize(-1.0));
        }
        if ui.small_button("A+").on_hover_text("Larger text").clicked() {
            commands.push(Command::ChangeTextSize(1.0));
        }
    });
}
