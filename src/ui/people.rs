//! People and places in the window: the person page (every document a
//! person is in, with roles, on a small timeline) and the "Names to
//! reconcile" window (names no authority entry knows: merge one into an
//! entry or make it a new entry; undo). Listing the names and editing
//! `authority.toml` run on background threads; the loader following the
//! folder then re-links the corpus to the saved file.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use eframe::egui::{self, RichText};

use super::Command;
use super::view::Window;
use super::worker::Outcome;
use crate::authority::{AuthorityEntry, EntryKind};
use crate::corpus::Corpus;
use crate::model::Role;
use crate::research::reconcile::{self, Unmatched};
use crate::text::fold;

/// The person page: one person's documents.
#[derive(Debug, Clone)]
pub struct PersonPage {
    /// The authority entry, when the person has one.
    pub entry: Option<AuthorityEntry>,
    /// The name shown (the entry's, else the name as written).
    pub name: String,
    /// Documents (corpus index) with the roles the person plays there, in
    /// date order.
    pub documents: Vec<(u32, Vec<Role>)>,
    /// Documents per start year, for the timeline.
    pub years: Vec<(i32, u32)>,
    pub undated: u32,
}

impl PersonPage {
    /// Everything `corpus` says of the person written `name`: the same
    /// authority entry, or (without one) the same folded name.
    pub fn find(corpus: &Corpus, name: &str) -> Self {
        let entry = corpus.authority.person(name).cloned();
        let key = fold(name);
        let mut documents: Vec<(u32, Vec<Role>)> = Vec::new();
        for (i, doc) in corpus.documents.iter().enumerate() {
            let mut roles: Vec<Role> = Vec::new();
            for person in &doc.people {
                let same = match (&entry, &person.authority) {
                    (Some(entry), Some(id)) => *id == entry.id,
                    (Some(_), None) => false,
                    (None, _) => person.names().any(|n| fold(n) == key),
                };
                if same && !roles.contains(&person.role) {
                    roles.push(person.role);
                }
            }
            if !roles.is_empty() {
                roles.sort();
                documents.push((i as u32, roles));
            }
        }
        documents.sort_by(|a, b| {
            let (x, y) = (
                &corpus.documents[a.0 as usize],
                &corpus.documents[b.0 as usize],
            );
            x.date.sort_key().cmp(&y.date.sort_key())
        });
        let mut years: Vec<(i32, u32)> = Vec::new();
        let mut undated = 0;
        for (i, _) in &documents {
            match corpus.documents[*i as usize].date.start {
                Some(start) => match years.iter_mut().find(|(y, _)| *y == start.year) {
                    Some((_, n)) => *n += 1,
                    None => years.push((start.year, 1)),
                },
                None => undated += 1,
            }
        }
        years.sort_unstable();
        Self {
            name: entry
                .as_ref()
                .map_or_else(|| name.to_owned(), |e| e.name.clone()),
            entry,
            documents,
            years,
            undated,
        }
    }
}

/// "1 document", "2 documents".
fn documents(n: usize) -> String {
    crate::text::count(n, "document", "documents")
}

/// Documents per year as small bars, first and last year written under.
fn mini_timeline(ui: &mut egui::Ui, years: &[(i32, u32)]) {
    let (Some(&(first, _)), Some(&(last, _))) = (years.first(), years.last()) else {
        return;
    };
    let width = ui.available_width().clamp(120.0, 520.0);
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, 40.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    let span = (last - first + 1).max(1) as f32;
    let max = years.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f32;
    let bar = ui.visuals().selection.bg_fill;
    for &(year, n) in years {
        let x0 = rect.left() + (year - first) as f32 / span * rect.width();
        let x1 = rect.left() + (year - first + 1) as f32 / span * rect.width();
        let height = n as f32 / max * (rect.height() - 12.0);
        painter.rect_filled(
            egui::Rect::from_min_max(
                egui::pos2(x0 + 0.5, rect.bottom() - height.max(2.0)),
                egui::pos2((x1 - 0.5).max(x0 + 1.5), rect.bottom()),
            ),
            0.0,
            bar,
        );
    }
    let small = egui::FontId::proportional(crate::ui::style::SMALLEST);
    let weak = ui.visuals().weak_text_color();
    painter.text(
        rect.left_top() + egui::vec2(3.0, 1.0),
        egui::Align2::LEFT_TOP,
        first.to_string(),
        small.clone(),
        weak,
    );
    painter.text(
        rect.right_top() + egui::vec2(-3.0, 1.0),
        egui::Align2::RIGHT_TOP,
        last.to_string(),
        small,
        weak,
    );
    response.on_hover_text(
        years
            .iter()
            .map(|(y, n)| format!("{y}: {n}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

/// A change to the authority file the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorityChange {
    Merge {
        kind: EntryKind,
        name: String,
        into: String,
    },
    Create {
        kind: EntryKind,
        name: String,
    },
    /// Put back the text before the last change.
    Undo,
}

/// What an authority job did: the message and the file's text before it.
type Changed = Result<(String, Option<String>), String>;

/// The "Names to reconcile" window and its background jobs.
#[derive(Debug, Default)]
pub struct Reconcile {
    pub open: bool,
    /// The names, once listed for the shown corpus.
    pub names: Option<Vec<Unmatched>>,
    listing: Option<Receiver<Outcome<Vec<Unmatched>>>>,
    saving: Option<Receiver<Outcome<Changed>>>,
    /// Texts of the authority file before each change of this session.
    pub undo: Vec<Option<String>>,
    /// Narrows the list (folded substring).
    pub narrow: String,
    /// The entry each name would be merged into, by name.
    chosen: std::collections::HashMap<String, String>,
    pub message: Option<String>,
    /// The running save is an undo (its previous text is not kept).
    undoing: bool,
}

impl Reconcile {
    /// Lists the names of `corpus` on the `folio-reconcile` thread.
    pub fn list(&mut self, corpus: &Arc<Corpus>) {
        let corpus = Arc::clone(corpus);
        match super::worker::run("folio-reconcile", "names listing", move || {
            reconcile::unmatched(&corpus)
        }) {
            Ok(receiver) => self.listing = Some(receiver),
            Err(e) => self.message = Some(format!("cannot list the names: {e}")),
        }
    }

    /// Saves `change` to the authority file of `root` on the
    /// `folio-authority` thread.
    pub fn change(&mut self, root: PathBuf, change: AuthorityChange) {
        let previous = match &change {
            AuthorityChange::Undo => match self.undo.pop() {
                Some(previous) => Some(previous),
                None => return,
            },
            _ => None,
        };
        let undoing = previous.is_some();
        let job = move || -> Changed {
            let path = reconcile::authority_path(&root);
            let current = match std::fs::read_to_string(&path) {
                Ok(text) => Some(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
            };
            let text = current.clone().unwrap_or_default();
            let (new_text, message) = match change {
                AuthorityChange::Merge { kind, name, into } => (
                    reconcile::merge(&text, kind, &into, &name).map_err(|e| e.to_string())?,
                    format!("“{name}” is now a variant of {into}"),
                ),
                AuthorityChange::Create { kind, name } => {
                    let (text, id) =
                        reconcile::create(&text, kind, &name).map_err(|e| e.to_string())?;
                    (text, format!("new entry {id} for “{name}”"))
                }
                AuthorityChange::Undo => match previous.flatten() {
                    Some(text) => (text, "last change undone".to_owned()),
                    None => {
                        // The file did not exist before: remove it (kept as a backup).
                        reconcile::save(&root, "").map_err(|e| e.to_string())?;
                        let _ = std::fs::remove_file(&path);
                        return Ok(("last change undone".into(), current));
                    }
                },
            };
            let backup = reconcile::save(&root, &new_text).map_err(|e| e.to_string())?;
            let saved = match backup {
                Some(backup) => format!("{message}; saved (previous file in {})", backup.display()),
                None => format!("{message}; saved"),
            };
            Ok((saved, current))
        };
        match super::worker::run("folio-authority", "authority editor", job) {
            Ok(receiver) => {
                self.saving = Some(receiver);
                self.undoing = undoing;
                self.message = Some("saving…".into());
            }
            Err(e) => self.message = Some(format!("cannot save: {e}")),
        }
    }

    /// Takes what the jobs sent; true when the authority file changed.
    pub fn poll(&mut self) -> bool {
        if let Some(receiver) = &self.listing {
            match receiver.try_recv() {
                Ok(Ok(names)) => {
                    self.names = Some(names);
                    self.listing = None;
                }
                Ok(Err(e)) => {
                    self.message = Some(e);
                    self.listing = None;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.listing = None,
            }
        }
        let Some(receiver) = &self.saving else {
            return false;
        };
        match receiver.try_recv() {
            Ok(Ok(Ok((message, previous)))) => {
                self.saving = None;
                // An undo's own previous text is not undone again.
                if !self.undoing {
                    self.undo.push(previous);
                }
                self.message = Some(format!("{message} — the corpus re-links in a moment"));
                true
            }
            Ok(Ok(Err(problem)) | Err(problem)) => {
                self.saving = None;
                self.message = Some(problem);
                false
            }
            Err(TryRecvError::Empty) => false,
            Err(TryRecvError::Disconnected) => {
                self.saving = None;
                false
            }
        }
    }

    pub fn is_busy(&self) -> bool {
        self.listing.is_some() || self.saving.is_some()
    }

    fn name_row(
        &mut self,
        ui: &mut egui::Ui,
        name: &Unmatched,
        corpus: &Corpus,
        commands: &mut Vec<Command>,
    ) {
        let kind = match name.kind {
            EntryKind::Person => "person",
            EntryKind::Place => "place",
        };
        ui.horizontal_wrapped(|ui| {
            if name.kind == EntryKind::Person {
                if ui
                    .link(RichText::new(super::display::display_line(&name.name)).strong())
                    .clicked()
                {
                    commands.push(Command::ShowPerson(Some(name.name.clone())));
                }
            } else {
                ui.label(RichText::new(super::display::display_line(&name.name)).strong());
            }
            let roles: Vec<&str> = name.roles.iter().map(|r| r.as_str()).collect();
            ui.label(
                RichText::new(format!(
                    "{kind}{}, {}",
                    if roles.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", roles.join(", "))
                    },
                    documents(name.documents.len())
                ))
                .weak(),
            );
            if !name.spellings.is_empty() {
                ui.label(RichText::new(format!("also {}", name.spellings.join(", "))).weak());
            }
        });
        ui.horizontal(|ui| {
            let entries = match name.kind {
                EntryKind::Person => &corpus.authority.people,
                EntryKind::Place => &corpus.authority.places,
            };
            let key = format!("{kind}:{}", name.name);
            let mut chosen = self
                .chosen
                .get(&key)
                .cloned()
                .or_else(|| name.suggestions.first().cloned())
                .unwrap_or_default();
            let shown = entries
                .iter()
                .find(|e| e.id == chosen)
                .map_or_else(|| "choose an entry".to_owned(), |e| e.name.clone());
            let label = ui.label("Entry");
            egui::ComboBox::from_id_salt(("reconcile-into", &key))
                .selected_text(shown)
                .width(220.0)
                .show_ui(ui, |ui| {
                    // Suggestions first, then every entry by name.
                    for id in &name.suggestions {
                        if let Some(entry) = entries.iter().find(|e| e.id == *id) {
                            ui.selectable_value(
                                &mut chosen,
                                entry.id.clone(),
                                format!("★ {}", entry.name),
                            );
                        }
                    }
                    for entry in entries {
                        ui.selectable_value(&mut chosen, entry.id.clone(), &entry.name);
                    }
                })
                .response
                .labelled_by(label.id);
            self.chosen.insert(key, chosen.clone());
            let busy = self.saving.is_some();
            if ui
                .add_enabled(!chosen.is_empty() && !busy, egui::Button::new("Merge"))
                .on_hover_text("Add this name to the entry's variants")
                .clicked()
            {
                commands.push(Command::ChangeAuthority(AuthorityChange::Merge {
                    kind: name.kind,
                    name: name.name.clone(),
                    into: chosen,
                }));
            }
            if ui
                .add_enabled(!busy, egui::Button::new("New entry"))
                .on_hover_text("Make this name an entry of its own")
                .clicked()
            {
                commands.push(Command::ChangeAuthority(AuthorityChange::Create {
                    kind: name.kind,
                    name: name.name.clone(),
                }));
            }
        });
        ui.separator();
    }
}

impl Window for PersonPage {
    type Data<'a> = &'a Corpus;

    /// Draws the page as a window; `ShowPerson(None)` when closed.
    fn show(&mut self, ctx: &egui::Context, corpus: &Corpus, commands: &mut Vec<Command>) {
        let mut open = true;
        let screen = ctx.content_rect();
        egui::Window::new(format!(
            "Person: {}",
            super::display::display_line(&self.name)
        ))
        .id(egui::Id::unique("folio-person-page"))
        // Over the reader's texts, clear of the filters, the list and
        // the document's header and notes.
        .default_pos(egui::pos2(
            (screen.right() - 600.0).max(0.0),
            (screen.bottom() - 420.0).max(60.0),
        ))
        .open(&mut open)
        .default_size([560.0, 480.0])
        .show(ctx, |ui| {
            if let Some(entry) = &self.entry {
                let life = match (&entry.born, &entry.died) {
                    (None, None) => String::new(),
                    (born, died) => format!(
                        "{}–{}",
                        born.as_ref().map(ToString::to_string).unwrap_or_default(),
                        died.as_ref().map(ToString::to_string).unwrap_or_default()
                    ),
                };
                if !life.is_empty() {
                    ui.label(life);
                }
                if let Some(note) = &entry.note {
                    ui.label(RichText::new(note).italics());
                }
                if !entry.variants.is_empty() {
                    ui.add(
                        egui::Label::new(
                            RichText::new(format!("Also written: {}", entry.variants.join(" · ")))
                                .weak(),
                        )
                        .wrap(),
                    );
                }
            } else {
                ui.label(
                    RichText::new(
                        "No authority entry: documents matched by this spelling only. \
                             View › Names to reconcile links it to an entry.",
                    )
                    .weak(),
                );
            }
            ui.separator();
            ui.label(format!(
                "{}{}",
                documents(self.documents.len()),
                if self.undated > 0 {
                    format!(", {} undated", self.undated)
                } else {
                    String::new()
                }
            ));
            mini_timeline(ui, &self.years);
            egui::ScrollArea::vertical()
                .id_salt("person-documents")
                .show(ui, |ui| {
                    egui::Grid::new("person-documents-grid")
                        .striped(true)
                        .num_columns(3)
                        .show(ui, |ui| {
                            for (i, roles) in &self.documents {
                                let Some(doc) = corpus.documents.get(*i as usize) else {
                                    continue;
                                };
                                ui.label(doc.date.to_string());
                                let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                                ui.label(RichText::new(roles.join(", ")).weak());
                                if ui.link(super::display::display_line(&doc.title)).clicked() {
                                    commands.push(Command::OpenDocument(Some(*i)));
                                }
                                ui.end_row();
                            }
                        });
                });
        });
        if !open {
            commands.push(Command::ShowPerson(None));
        }
    }
}

impl Window for Reconcile {
    type Data<'a> = &'a Corpus;

    /// Draws the window.
    fn show(&mut self, ctx: &egui::Context, corpus: &Corpus, commands: &mut Vec<Command>) {
        let mut open = self.open;
        egui::Window::new("Names to reconcile")
            .id(egui::Id::unique("folio-reconcile"))
            .open(&mut open)
            .default_size([640.0, 520.0])
            .show(ctx, |ui| {
                ui.label(
                    RichText::new(format!(
                        "People and places of the documents that no entry of {} knows. \
                         Merge a name into an entry, or make it an entry of its own; \
                         the file keeps its comments and a backup of each version.",
                        crate::authority::AUTHORITY_FILE
                    ))
                    .weak(),
                );
                ui.horizontal(|ui| {
                    let label = ui.label("Narrow");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.narrow)
                            .id(egui::Id::unique("folio-reconcile-narrow"))
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                    if ui
                        .add_enabled(
                            !self.undo.is_empty() && self.saving.is_none(),
                            egui::Button::new("Undo last change"),
                        )
                        .clicked()
                    {
                        commands.push(Command::ChangeAuthority(AuthorityChange::Undo));
                    }
                });
                if let Some(message) = &self.message {
                    ui.label(RichText::new(message).small());
                }
                ui.separator();
                let Some(names) = self.names.take() else {
                    ui.label(RichText::new("listing the names…").weak());
                    return;
                };
                if names.is_empty() {
                    ui.label("Every person and place is linked to an entry.");
                    self.names = Some(names);
                    return;
                }
                let narrow = fold(self.narrow.trim());
                egui::ScrollArea::vertical()
                    .id_salt("reconcile-names")
                    .show(ui, |ui| {
                        for name in names
                            .iter()
                            .filter(|n| narrow.is_empty() || fold(&n.name).contains(&narrow))
                            .take(500)
                        {
                            self.name_row(ui, name, corpus, commands);
                        }
                    });
                self.names = Some(names);
            });
        if !open {
            commands.push(Command::ShowReconcile(false));
        }
    }
}
