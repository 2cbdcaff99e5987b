//! The date section: the timeline, what it is coloured by, the typed
//! range ("1945", "April 1945", "1947-06", anything folio reads as a
//! date) and whether undated documents stay.

use eframe::egui;

use super::FilterData;
use super::timeline::{Timeline, group_colour};
use crate::index::facets::{GroupBy, Selection, Stacks};
use crate::index::filter::Filter;
use crate::model::{FuzzyDate, Ymd};
use crate::ui::Command;
use crate::ui::view::View;

/// The typed range and the timeline's zoom.
#[derive(Debug, Default, Clone)]
pub struct DateFilter {
    pub from_text: String,
    pub to_text: String,
    /// Why the typed range could not be read.
    pub problem: Option<String>,
    pub timeline: Timeline,
}

/// What the date section shows this frame.
#[derive(Debug, Clone, Copy)]
pub struct DateData<'a> {
    pub filter: &'a Filter,
    pub selection: &'a Selection,
    pub stacks: Option<&'a Stacks>,
    /// The timeline's bars' height in points (the user drags the edge
    /// below its axis).
    pub timeline_height: f32,
}

impl<'a> From<&FilterData<'a>> for DateData<'a> {
    fn from(data: &FilterData<'a>) -> Self {
        Self {
            filter: data.filter,
            selection: data.selection,
            stacks: data.stacks,
            timeline_height: data.timeline_height,
        }
    }
}

impl View for DateFilter {
    type Data<'a> = DateData<'a>;

    fn ui(&mut self, ui: &mut egui::Ui, data: DateData<'_>, commands: &mut Vec<Command>) {
        let DateData {
            filter,
            selection,
            stacks,
            ..
        } = data;
        for command in self.timeline.show(ui, data) {
            if let Command::SetDates { from, to } = &command {
                self.show_range(*from, *to);
            }
            commands.push(command);
        }
        colour_by(ui, stacks, commands);
        if let Some(stacks) = stacks {
            legend(ui, stacks);
        }
        self.typed_range(ui, commands);
        let mut include = filter.include_undated;
        if ui
            .checkbox(
                &mut include,
                format!("Include undated ({})", selection.undated),
            )
            .changed()
        {
            commands.push(Command::SetIncludeUndated(include));
        }
    }
}

impl DateFilter {
    /// Writes a range picked on the timeline into the boxes.
    fn show_range(&mut self, from: Option<Ymd>, to: Option<Ymd>) {
        self.from_text = from.map(|d| d.year.to_string()).unwrap_or_default();
        self.to_text = to.map(|d| d.year.to_string()).unwrap_or_default();
        if let (Some(from), Some(to)) = (from, to)
            && !(from.month == 1 && to.month == 12)
        {
            self.from_text = format!("{}-{:02}", from.year, from.month);
            self.to_text = format!("{}-{:02}", to.year, to.month);
        }
    }

    /// The From/to boxes and Apply.
    fn typed_range(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let mut apply = false;
        ui.horizontal(|ui| {
            ui.label("From");
            let from = ui
                .add(
                    egui::TextEdit::singleline(&mut self.from_text)
                        .desired_width(80.0)
                        .hint_text("earliest"),
                )
                .on_hover_text("A year, month or day: 1945, April 1945, 1947-06, 22.04.1945");
            ui.label("to");
            let to = ui
                .add(
                    egui::TextEdit::singleline(&mut self.to_text)
                        .desired_width(80.0)
                        .hint_text("latest"),
                )
                .on_hover_text("A year, month or day: 1947, June 1947, 1947-06-30");
            let entered = (from.lost_focus() || to.lost_focus())
                && ui.input(|i| i.key_pressed(egui::Key::Enter));
            apply = ui.button("Apply").clicked() || entered;
        });
        if apply {
            let parse = |text: &str, start: bool| -> Result<Option<Ymd>, String> {
                if text.trim().is_empty() {
                    return Ok(None);
                }
                let date = FuzzyDate::parse(text).map_err(|e| e.to_string())?;
                Ok(if start { date.start } else { date.end })
            };
            match (parse(&self.from_text, true), parse(&self.to_text, false)) {
                (Ok(from), Ok(to)) => {
                    self.problem = None;
                    commands.push(Command::SetDates { from, to });
                }
                (Err(e), _) | (_, Err(e)) => self.problem = Some(e),
            }
        }
        if let Some(problem) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
    }
}

/// The choice of what the timeline's bars are coloured by.
fn colour_by(ui: &mut egui::Ui, stacks: Option<&Stacks>, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(egui::RichText::new("Colour by").small());
        let by = stacks.map_or(GroupBy::Nothing, |s| s.by);
        let name = |by: GroupBy| match by {
            GroupBy::Nothing => "nothing",
            GroupBy::Author => "author",
            GroupBy::Archive => "archive",
        };
        egui::ComboBox::from_id_salt("timeline-colour")
            .selected_text(name(by))
            .width(80.0)
            .show_ui(ui, |ui| {
                for choice in [GroupBy::Nothing, GroupBy::Author, GroupBy::Archive] {
                    if ui.selectable_label(by == choice, name(choice)).clicked() && by != choice {
                        commands.push(Command::SetTimelineColour(choice));
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
}

/// The colours' names, wrapped as words are.
fn legend(ui: &mut egui::Ui, stacks: &Stacks) {
    ui.horizontal_wrapped(|ui| {
        for (g, group) in stacks.labels.iter().enumerate() {
            // Swatch and name as one label, so they wrap together.
            let mut job = egui::text::LayoutJob::default();
            let font = egui::FontId::proportional(crate::ui::style::SMALLEST);
            job.append(
                "■ ",
                0.0,
                egui::TextFormat::simple(font.clone(), group_colour(g, stacks.labels.len())),
            );
            job.append(
                group,
                0.0,
                egui::TextFormat::simple(font, ui.visuals().text_color()),
            );
            ui.add(egui::Label::new(job).wrap_mode(egui::TextWrapMode::Extend));
        }
    });
}
