//! The people of the Describe section: authors, recipients, signatories,
//! mentioned people and translators, each removable; a new name is typed
//! with completion from the authority file and every name of the corpus,
//! in any script; a name no entry knows can become one.

use eframe::egui::{self, RichText};

use super::{DescribeData, edited_mark};
use crate::authority::EntryKind;
use crate::model::Role;
use crate::research::describe::DescribedPerson;
use crate::research::describe::edit::Field;
use crate::ui::Command;
use crate::ui::people::AuthorityChange;

/// What is typed to add a person.
#[derive(Debug, Clone)]
pub struct PeopleBoxes {
    pub name: String,
    pub role: Role,
}

impl Default for PeopleBoxes {
    fn default() -> Self {
        Self {
            name: String::new(),
            role: Role::Author,
        }
    }
}

/// How many names completion offers.
const COMPLETIONS: usize = 6;

pub fn ui(
    boxes: &mut PeopleBoxes,
    ui: &mut egui::Ui,
    data: &DescribeData<'_>,
    commands: &mut Vec<Command>,
) {
    let doc = data.doc;
    let current: Vec<DescribedPerson> = doc
        .people
        .iter()
        .filter(|p| !p.from_text)
        .map(|p| DescribedPerson {
            name: p.name.clone(),
            role: p.role.as_str().to_owned(),
        })
        .collect();
    let save = |people: Option<Vec<DescribedPerson>>, commands: &mut Vec<Command>| {
        commands.push(Command::Describe {
            ids: vec![doc.id.clone()],
            fields: vec![Field::People(people)],
        });
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new("People").strong());
        if edited_mark(ui, data.description().people.is_some()) {
            save(None, commands);
        }
    });
    for (i, person) in doc.people.iter().filter(|p| !p.from_text).enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!("{}: {}", person.role.as_str(), person.name));
            if person.authority.is_none()
                && ui
                    .small_button("+ authority entry")
                    .on_hover_text("Make this name an entry of authority.toml, so its spellings in other scripts are one person")
                    .clicked()
            {
                commands.push(Command::ChangeAuthority(AuthorityChange::Create {
                    kind: EntryKind::Person,
                    name: person.name.clone(),
                }));
            }
            if ui.small_button("✕").on_hover_text("Remove this person from the document").clicked() {
                let mut people = current.clone();
                people.remove(i);
                save(Some(people), commands);
            }
        });
    }
    ui.horizontal(|ui| {
        let add = ui.label("Add");
        egui::ComboBox::from_id_salt("describe-role")
            .selected_text(boxes.role.as_str())
            .width(90.0)
            .show_ui(ui, |ui| {
                for role in Role::ALL {
                    ui.selectable_value(&mut boxes.role, role, role.as_str());
                }
            })
            .response
            .labelled_by(add.id);
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut boxes.name)
                    .hint_text(RichText::new("e.g. Alihan Tore, Сталин, 阿合買提江").italics())
                    .desired_width(200.0),
            )
            .labelled_by(add.id);
        let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Add this person").clicked() || entered) && !boxes.name.trim().is_empty() {
            let mut people = current.clone();
            people.push(DescribedPerson {
                name: boxes.name.trim().to_owned(),
                role: boxes.role.as_str().to_owned(),
            });
            boxes.name.clear();
            save(Some(people), commands);
        }
    });
    let typed = crate::text::fold(boxes.name.trim());
    if typed.chars().count() >= 2 {
        ui.horizontal_wrapped(|ui| {
            for name in completions(data, &typed) {
                if ui.small_button(&name).clicked() {
                    boxes.name = name;
                }
            }
        });
    }
}

/// Names of the authority file and of the corpus that hold `typed`
/// (folded), authority names first.
fn completions(data: &DescribeData<'_>, typed: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        if found.len() < COMPLETIONS && !found.iter().any(|f| f == name) {
            found.push(name.to_owned());
        }
    };
    for entry in &data.corpus.authority.people {
        if entry.names().any(|n| crate::text::fold(n).contains(typed)) {
            add(&entry.name);
        }
    }
    if let Some(index) = data.index {
        for id in index.people.find(typed) {
            add(index.people.label(id));
        }
    }
    found
}
