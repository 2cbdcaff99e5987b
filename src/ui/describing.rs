//! Where the describing commands change the world: rows chosen for
//! grouping and batch edits, and every change to the descriptions, each
//! carried out on the window's overlay first (with its undo), then sent
//! to the loader thread, which saves the files and shows the corpus with
//! them.

use std::sync::Arc;

use super::command::Pick;
use super::{AppState, Command, Move};
use crate::research::describe::edit::{self, Edit, Field};

/// How many describing changes can be undone.
const UNDO_DEPTH: usize = 200;
/// What a text edit is called in messages and the undo list.
const TEXT: &str = "text";

impl AppState {
    /// Carries out a describing command (see [`Command::Describe`] and its
    /// neighbours).
    pub(super) fn apply_describe(&mut self, command: Command) {
        let result = match command {
            Command::Pick { index, how } => {
                self.pick(index, how);
                Ok(None)
            }
            Command::ExtendPick(step) => {
                self.extend_pick(step);
                Ok(None)
            }
            Command::ClearPicked => {
                self.picked.clear();
                Ok(None)
            }
            Command::Describe { ids, fields } => {
                edit::set_fields(&self.overlay, &ids, &fields).map(|e| Some((e, "edit")))
            }
            Command::DescribeEach(each) => {
                let mut all = Edit::default();
                let mut failed = None;
                for (id, fields) in each {
                    match edit::set_fields(&self.overlay, &[id], &fields) {
                        Ok(edit) => all.changes.extend(edit.changes),
                        Err(reason) => failed = Some(reason),
                    }
                }
                failed.map_or(Ok(Some((all, "batch edit"))), Err)
            }
            Command::GroupPicked => self.group_picked().map(|e| Some((e, "grouping"))),
            Command::Ungroup(id) => {
                edit::ungroup(&self.overlay, &id).map(|e| Some((e, "ungrouping")))
            }
            Command::Split { at } => self.with_open(|overlay, doc, _| {
                let new_id = format!("{}-{}", doc.id, at + 1);
                edit::split(overlay, doc, at, &new_id).map(|e| (e, "split"))
            }),
            Command::MovePage { from, to } => self.with_open(|overlay, doc, _| {
                edit::reorder(overlay, doc, from, to)
                    .map(|e| (e, "page moved"))
                    .ok_or_else(|| "the page cannot move there".to_owned())
            }),
            Command::MovePageTo { page, document } => self.with_open(|overlay, doc, corpus| {
                move_page_to(overlay, corpus, doc, page, &document).map(|e| (e, "page moved"))
            }),
            Command::NumberFolios {
                from,
                start,
                recto_verso,
            } => self.with_open(|overlay, doc, _| {
                let mark = if doc.original_language.as_deref().is_some_and(|l| {
                    matches!(crate::text::primary_subtag(l), "ru" | "uk" | "be" | "kk")
                }) || doc.archive.as_ref().is_some_and(|a| {
                    a.repository
                        .as_deref()
                        .is_some_and(crate::model::is_russian_repository)
                }) {
                    "об."
                } else {
                    "v"
                };
                Ok((
                    edit::number_folios(overlay, doc, from, start, recto_verso, mark),
                    "folios",
                ))
            }),
            Command::AcceptGroups(groups) => {
                self.accept_groups(&groups).map(|e| Some((e, "grouping")))
            }
            Command::UndoDescribe => {
                match self.describe_undo.pop() {
                    Some((what, undo)) => {
                        let mut overlay = (*self.overlay).clone();
                        let ids: Vec<String> = undo.ids().map(str::to_owned).collect();
                        overlay.carry_out(undo);
                        self.status = Some(format!("undone: {what}"));
                        self.send_overlay(overlay, ids);
                    }
                    None => self.status = Some("nothing to undo".into()),
                }
                Ok(None)
            }
            Command::ShowSuggestions(open) => {
                self.suggestions =
                    open.then(|| super::describe::SuggestWindow::new(self.corpus.clone()));
                Ok(None)
            }
            Command::WriteFolder(out) => {
                self.write_folder(out);
                Ok(None)
            }
            Command::ShowBatch(open) => {
                self.batch = open.then(super::describe::BatchWindow::default);
                Ok(None)
            }
            _ => Ok(None),
        };
        match result {
            Ok(Some((edit, what))) => self.carry_out(edit, what),
            Ok(None) => {}
            Err(reason) => self.notice = Some(reason),
        }
    }

    /// Carries out `edit` on the overlay (keeping its undo) and sends it
    /// to the loader thread to save and show.
    fn carry_out(&mut self, edit: Edit, what: &str) {
        if edit.is_empty() {
            return;
        }
        let ids: Vec<String> = edit.ids().map(str::to_owned).collect();
        let mut overlay = (*self.overlay).clone();
        let undo = overlay.carry_out(edit);
        self.describe_undo.push((what.to_owned(), undo));
        if self.describe_undo.len() > UNDO_DEPTH {
            self.describe_undo.remove(0);
        }
        // Texts have a folder of their own beside the descriptions.
        let folder = if what == TEXT {
            overlay.texts_folder()
        } else {
            overlay.folder()
        };
        self.status = Some(format!("{what} saved in {}", folder.display()));
        self.send_overlay(overlay, ids);
    }

    fn send_overlay(&mut self, overlay: crate::research::describe::Overlay, ids: Vec<String>) {
        let overlay = Arc::new(overlay);
        self.overlay = Arc::clone(&overlay);
        let sent = self.loader_requests.as_ref().is_some_and(|requests| {
            requests
                .send(super::loader::LoaderRequest::Describe { overlay, save: ids })
                .is_ok()
        });
        if sent {
            self.describing += 1;
        } else {
            self.notice =
                Some("⚠ Not saved: the corpus is not loaded any more; open it again".into());
        }
    }

    /// Writes the open document as a folder, on the `folio-folder` thread.
    fn write_folder(&mut self, out: std::path::PathBuf) {
        let (Some(corpus), Some(i)) = (self.corpus.clone(), self.reader.document) else {
            return;
        };
        let job = super::worker::run("folio-folder", "folder writer", move || {
            let doc = corpus
                .documents
                .get(i as usize)
                .ok_or("the document is gone")?;
            crate::research::describe::folder::write(&corpus.root, doc, &out)
        });
        match job {
            Ok(receiver) => {
                self.folder_job = Some(receiver);
                self.status = Some("writing the document folder…".into());
            }
            Err(e) => self.notice = Some(format!("cannot start writing the folder: {e}")),
        }
    }

    /// What writing a document folder gave, once it is done.
    pub(super) fn poll_folder(&mut self) {
        let Some(receiver) = &self.folder_job else {
            return;
        };
        let outcome = match receiver.try_recv() {
            Ok(outcome) => outcome,
            Err(std::sync::mpsc::TryRecvError::Empty) => return,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Err("the folder writer stopped".into())
            }
        };
        self.folder_job = None;
        match outcome.and_then(|written| written) {
            Ok((folder, left_out)) if left_out.is_empty() => {
                self.status = Some(format!("written to {}", folder.display()));
            }
            Ok((folder, left_out)) => {
                self.notice = Some(format!(
                    "written to {}, without {}",
                    folder.display(),
                    left_out.join(", ")
                ));
            }
            Err(reason) => {
                self.notice = Some(format!("the document folder was not written: {reason}"));
            }
        }
    }

    /// A page typed in a text pane, or a new text: the user's version of
    /// the text, kept in the document's description.
    pub(super) fn apply_text(&mut self, command: Command) {
        let Some(doc) = self.open_doc().cloned() else {
            return;
        };
        let field = match command {
            Command::EditPage { layer, page, text } => {
                let Some(edited) = doc.layers.get(layer) else {
                    return;
                };
                let Some(language) = edited
                    .language
                    .clone()
                    .or_else(|| doc.original_language.clone())
                else {
                    self.notice = Some(
                        "this text has no language: set it in Describe this document first (Language of each text)".into(),
                    );
                    return;
                };
                let mut pages = super::reader::page_editor::pages_of(edited, doc.page_count());
                if let Some(slot) = pages.get_mut(page) {
                    *slot = text;
                }
                self.switch_to_user = Some((edited.kind, Some(language.clone())));
                Field::Text {
                    kind: edited.kind.as_str().to_owned(),
                    language,
                    pages: Some(pages),
                }
            }
            Command::NewText {
                kind,
                language,
                pane,
            } => {
                let Ok(Some(tag)) = crate::research::describe::apply::parse_language(&language)
                else {
                    self.notice = Some(format!("unknown language {language:?}"));
                    return;
                };
                if let Some(kind) = crate::model::LayerKind::parse(&kind) {
                    self.switch_to_user = Some((kind, Some(tag.clone())));
                    self.new_text_pane = pane;
                }
                Field::Text {
                    kind,
                    language: tag,
                    pages: Some(vec![String::new(); doc.page_count().max(1)]),
                }
            }
            _ => return,
        };
        match edit::set_fields(&self.overlay, std::slice::from_ref(&doc.id), &[field]) {
            Ok(edit) => self.carry_out(edit, TEXT),
            Err(reason) => self.notice = Some(reason),
        }
    }

    /// After a refresh: panes (and the editor) that showed a text the user
    /// just edited show the user's version.
    pub(super) fn show_user_versions(&mut self) {
        let Some((kind, language)) = self.switch_to_user.take() else {
            return;
        };
        let Some(doc) = self
            .reader
            .document
            .and_then(|i| self.corpus.as_ref()?.documents.get(i as usize))
        else {
            return;
        };
        let same = |l: &crate::model::Layer| l.kind == kind && l.language == language;
        let Some(user) = doc
            .layers
            .iter()
            .position(|l| same(l) && l.origin == crate::model::Origin::User)
        else {
            return;
        };
        // A new text asked for from a pane goes in that pane.
        if let Some(pane) = self
            .new_text_pane
            .take()
            .and_then(|slot| self.reader.panes.get_mut(slot))
        {
            *pane = super::reader::PaneContent::Layer(user);
        }
        for pane in &mut self.reader.panes {
            if let super::reader::PaneContent::Layer(i) = pane
                && doc
                    .layers
                    .get(*i)
                    .is_some_and(|l| same(l) && l.origin != crate::model::Origin::User)
            {
                *i = user;
            }
        }
        if let Some(editor) = &mut self.reader.editing
            && doc
                .layers
                .get(editor.layer)
                .is_some_and(|l| same(l) && l.origin != crate::model::Origin::User)
        {
            editor.layer = user;
        }
    }

    /// Runs `change` on the open document.
    fn with_open(
        &self,
        change: impl FnOnce(
            &crate::research::describe::Overlay,
            &crate::model::Document,
            &crate::corpus::Corpus,
        ) -> Result<(Edit, &'static str), String>,
    ) -> Result<Option<(Edit, &'static str)>, String> {
        let corpus = self.corpus.as_ref().ok_or("no corpus is open")?;
        let doc = self.open_doc().ok_or("no document is open")?;
        change(&self.overlay, doc, corpus).map(Some)
    }

    /// Chooses row `index` (a corpus index) the way `how` says, and opens it.
    fn pick(&mut self, index: u32, how: Pick) {
        let Some(corpus) = self.corpus.clone() else {
            return;
        };
        let Some(id) = corpus.documents.get(index as usize).map(|d| d.id.clone()) else {
            return;
        };
        match how {
            Pick::Only => {
                self.picked.clear();
                self.picked.insert(id);
                self.pick_anchor = Some(index);
            }
            Pick::Toggle => {
                if !self.picked.remove(&id) {
                    self.picked.insert(id);
                }
                self.pick_anchor = Some(index);
            }
            Pick::Range => {
                let anchor = self.pick_anchor.or(self.reader.document).unwrap_or(index);
                let row = |i: u32| self.rows.iter().position(|&r| r == i);
                if let (Some(a), Some(b)) = (row(anchor), row(index)) {
                    self.picked = self.rows[a.min(b)..=a.max(b)]
                        .iter()
                        .filter_map(|&i| corpus.documents.get(i as usize))
                        .map(|d| d.id.clone())
                        .collect();
                }
            }
        }
        self.open_document(Some(index));
    }

    /// Shift+↑/↓: the current row and the next are chosen.
    fn extend_pick(&mut self, step: Move) {
        if let Some(id) = self.current_document_id() {
            self.picked.insert(id);
        }
        self.pick_anchor = self.pick_anchor.or(self.reader.document);
        self.move_selection(step);
        if let Some(id) = self.current_document_id() {
            self.picked.insert(id);
        }
    }

    fn current_document_id(&self) -> Option<String> {
        self.open_doc().map(|d| d.id.clone())
    }

    /// The chosen rows' documents, in list order.
    pub(super) fn picked_in_order(&self) -> Vec<String> {
        let Some(corpus) = &self.corpus else {
            return Vec::new();
        };
        self.rows
            .iter()
            .filter_map(|&i| corpus.documents.get(i as usize))
            .filter(|d| self.picked.contains(&d.id))
            .map(|d| d.id.clone())
            .collect()
    }

    /// The pages of the chosen rows, in list order, as one document named
    /// after the first.
    fn group_picked(&self) -> Result<Edit, String> {
        let ids = self.picked_in_order();
        if ids.len() < 2 {
            return Err(
                "choose two rows or more (Ctrl+click, Shift+click) to make one document".into(),
            );
        }
        self.group_ids(&self.overlay, &ids)
    }

    /// Document `ids` (in this order) as one document named after the first.
    fn group_ids(
        &self,
        overlay: &crate::research::describe::Overlay,
        ids: &[String],
    ) -> Result<Edit, String> {
        let corpus = self.corpus.as_ref().ok_or("no corpus is open")?;
        let pages = ids
            .iter()
            .filter_map(|id| corpus.document(id))
            .flat_map(|d| d.pages.iter().map(edit::listed))
            .collect();
        let first = ids.first().ok_or("no document to group")?;
        edit::group(overlay, corpus, first, pages)
    }

    /// Every group of `groups` made one document, as one change.
    fn accept_groups(&self, groups: &[Vec<String>]) -> Result<Edit, String> {
        let mut overlay = (*self.overlay).clone();
        let mut all = Edit::default();
        for ids in groups {
            let edit = self.group_ids(&overlay, ids)?;
            all.changes.extend(edit.changes.iter().cloned());
            overlay.carry_out(edit);
        }
        // Later versions of a description win: keep each id's last.
        let mut seen = std::collections::HashSet::new();
        all.changes.reverse();
        all.changes.retain(|(id, _)| seen.insert(id.clone()));
        all.changes.reverse();
        Ok(all)
    }
}

/// Page `page` of `doc` moved to the end of document `to`.
fn move_page_to(
    overlay: &crate::research::describe::Overlay,
    corpus: &crate::corpus::Corpus,
    doc: &crate::model::Document,
    page: usize,
    to: &str,
) -> Result<Edit, String> {
    let target = corpus
        .document(to.trim())
        .ok_or_else(|| format!("no document with id {:?}", to.trim()))?;
    if target.id == doc.id {
        return Err("the page is in that document already".into());
    }
    let moved = doc.pages.get(page).ok_or("no such page")?;
    let mut pages: Vec<_> = target.pages.iter().map(edit::listed).collect();
    pages.push(edit::listed(moved));
    edit::group(overlay, corpus, &target.id, pages)
}
