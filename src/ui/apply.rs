//! Where commands change the world: [`AppState::apply`], the one place
//! panels' [`Command`]s are carried out.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::open::{FolderChooser, NativeDialog};
use super::reader::PaneContent;
use super::settings::SortKey;
use super::{AppState, Command, export, people, reader};
use crate::index::filter::Filter;

impl AppState {
    /// Carries out a command.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Open(path) => self.open(path),
            Command::CancelLoad => {
                if let Some(job) = self.job.take() {
                    job.options.cancel.store(true, Ordering::Relaxed);
                    self.notice = Some(format!("loading {} was cancelled", job.path.display()));
                }
            }
            Command::ChooseFolder => self.choose_folder(),
            Command::Browse(start) => {
                self.chooser = Some(FolderChooser::new(self.browse_start(start), None));
            }
            Command::CloseChooser => self.chooser = None,
            Command::SetDates { from, to } => {
                self.filter.from = from;
                self.filter.to = to;
                self.refresh_selection();
            }
            Command::SetIncludeUndated(include) => {
                self.filter.include_undated = include;
                self.refresh_selection();
            }
            Command::ToggleAuthor(who) => self.refilter(|f| toggle(&mut f.authors, who)),
            Command::ToggleRecipient(who) => self.refilter(|f| toggle(&mut f.recipients, who)),
            Command::SelectArchive(prefix) => self.refilter(|f| f.archive = prefix),
            Command::ToggleOriginalLanguage(key) => {
                self.refilter(|f| toggle(&mut f.original_languages, key));
            }
            Command::ToggleLayerLanguage(key) => {
                self.refilter(|f| toggle(&mut f.layer_languages, key));
            }
            Command::ToggleKind(kind) => self.refilter(|f| toggle(&mut f.kinds, kind)),
            Command::ClearFilters => {
                self.notes.tags.clear();
                self.notes.only_with_notes = false;
                self.notes.only_bookmarked = false;
                self.scope.marks = None;
                self.refilter(|f| *f = Filter::default());
            }
            Command::SetSort(key) => {
                if self.settings.sort == key {
                    self.settings.sort_descending = !self.settings.sort_descending;
                } else {
                    self.settings.sort = key;
                    self.settings.sort_descending = false;
                }
                self.refresh_rows();
                if let Some(row) = self.current_row() {
                    self.list_view.scroll_to = Some(row);
                }
            }
            Command::OpenDocument(index) => self.open_document(index),
            Command::MoveSelection(step) => self.move_selection(step),
            Command::SetReading(on) => self.reading_mode = on && self.reader.document.is_some(),
            Command::SetPage(page) => {
                if let Some(corpus) = self.current_document().map(Arc::clone)
                    && let Some(doc) = corpus
                        .documents
                        .get(self.reader.document.unwrap_or(0) as usize)
                {
                    self.reader.go_to(page, doc);
                }
            }
            Command::SetPane { slot, content } => {
                if let Some(pane) = self.reader.panes.get_mut(slot) {
                    *pane = content;
                }
            }
            Command::SetPaneCount(n) => self.set_pane_count(n.clamp(1, 3)),
            Command::SetPaneFractions(fractions) => self.settings.pane_fractions = fractions,
            Command::ChangeTextSize(delta) => {
                self.settings.text_size = (self.settings.text_size + delta).clamp(8.0, 48.0);
            }
            Command::SetTheme(theme) => self.settings.theme = theme,
            Command::SetShowFilters(show) => self.settings.show_filters = show,
            Command::SetShowList(show) => self.settings.show_list = show,
            Command::SetListThumbnails(show) => self.settings.list_thumbnails = show,
            Command::SetTimelineHeight(height) => self.settings.timeline_height = height,
            Command::SetShowErrors(show) => self.show_errors = show,
            Command::Search(text) => self.search_for(text),
            Command::NextHit => self.step_hit(true),
            Command::PreviousHit => self.step_hit(false),
            Command::FocusSearch => {
                self.reading_mode = false;
                self.search_bar.focus = true;
            }
            Command::CopyDocument(_)
            | Command::CopySelection(_)
            | Command::ExportSelection(_)
            | Command::SaveExport { .. }
            | Command::CloseExport => self.apply_export(command),
            Command::SetDocumentNote(_)
            | Command::SetPageNote(_)
            | Command::SetRegionNote(_)
            | Command::AddTag(_)
            | Command::RemoveTag(_)
            | Command::SetBookmark(_)
            | Command::RetryNotes
            | Command::UseTheirNotes(_)
            | Command::KeepMyNotes(_)
            | Command::ToggleTag(_)
            | Command::SetOnlyWithNotes(_)
            | Command::SetOnlyBookmarked(_) => self.apply_notes(command),
            Command::ShowPerson(name) => {
                self.person = name.and_then(|name| {
                    let corpus = self.corpus.as_ref()?;
                    Some(people::PersonPage::find(corpus, &name))
                });
            }
            Command::ShowReconcile(open) => {
                self.reconcile.open = open;
                if open && let Some(corpus) = &self.corpus {
                    self.reconcile.list(corpus);
                }
            }
            Command::SetTimelineColour(by) => {
                self.settings.timeline_colour = by;
                self.refresh_selection();
            }
            Command::Pick { .. }
            | Command::ExtendPick(_)
            | Command::ClearPicked
            | Command::Describe { .. }
            | Command::DescribeEach(_)
            | Command::GroupPicked
            | Command::Ungroup(_)
            | Command::Split { .. }
            | Command::MovePage { .. }
            | Command::MovePageTo { .. }
            | Command::NumberFolios { .. }
            | Command::UndoDescribe
            | Command::ShowSuggestions(_)
            | Command::AcceptGroups(_)
            | Command::ShowBatch(_)
            | Command::WriteFolder(_) => self.apply_describe(command),
            Command::EditPage { .. } | Command::NewText { .. } => self.apply_text(command),
            Command::Ocr(scope) => self.start_ocr(&scope),
            Command::CancelOcr => {
                if let Some(job) = &self.ocr_job {
                    job.cancel();
                }
            }
            Command::ChangeAuthority(change) => {
                if let Some(corpus) = &self.corpus {
                    self.reconcile.change(corpus.root.clone(), change);
                }
            }
        }
    }

    /// The desktop's folder dialog, or folio's own when it cannot start.
    fn choose_folder(&mut self) {
        let start = self.corpus.as_ref().map(|c| c.root.clone());
        match NativeDialog::spawn(start) {
            Ok(dialog) => self.dialog = Some(dialog),
            Err(e) => {
                self.chooser = Some(FolderChooser::new(
                    self.browse_start(None),
                    Some(format!("The desktop dialog could not start ({e}).")),
                ));
            }
        }
    }

    /// Copying and exporting documents.
    fn apply_export(&mut self, command: Command) {
        match command {
            Command::CopyDocument(format) => {
                if let (Some(corpus), Some(i)) = (&self.corpus, self.reader.document)
                    && let Some(doc) = corpus.documents.get(i as usize)
                {
                    let text = crate::research::export::write(format, [doc]);
                    self.status = Some(format!("copied: {}", format.label()));
                    self.copy = Some(text.trim_end().to_owned());
                }
            }
            Command::CopySelection(format) => {
                if let Some(corpus) = &self.corpus {
                    let documents = self
                        .rows
                        .iter()
                        .filter_map(|&i| corpus.documents.get(i as usize));
                    self.copy = Some(crate::research::export::write(format, documents));
                    self.status = Some(format!(
                        "copied {}: {}",
                        crate::text::count(self.rows.len(), "document", "documents"),
                        format.label()
                    ));
                }
            }
            Command::ExportSelection(format) => {
                if let Some(corpus) = &self.corpus {
                    self.export_window = Some(export::SaveWindow::new(format, &corpus.root));
                }
            }
            Command::SaveExport { format, path } => {
                if let Some(corpus) = &self.corpus {
                    match export::SaveJob::spawn(
                        Arc::clone(corpus),
                        self.rows.clone(),
                        format,
                        path,
                    ) {
                        Ok(job) => {
                            self.export_job = Some(job);
                            self.export_window = None;
                            self.status = Some("exporting…".into());
                        }
                        Err(e) => self.notice = Some(format!("cannot start the export: {e}")),
                    }
                }
            }
            Command::CloseExport => self.export_window = None,
            _ => {}
        }
    }

    /// Notes, tags, bookmarks and the filters made of them.
    fn apply_notes(&mut self, command: Command) {
        match command {
            Command::SetDocumentNote(text) => self.edit_notes(|n, _| n.note = text),
            Command::SetPageNote(text) => {
                let page = self.reader.page + 1;
                self.edit_notes(|n, _| n.set_page_note(page, text));
            }
            Command::SetRegionNote(text) => {
                if let Some(anchor) = self.region_anchor() {
                    self.edit_notes(|n, _| {
                        n.set_region_note(anchor.page, anchor.region, anchor.text, text);
                    });
                }
            }
            Command::AddTag(tag) => {
                let mut added = false;
                self.edit_notes(|n, _| added = n.add_tag(&tag));
                if added {
                    self.refresh_all_tags();
                }
            }
            Command::RemoveTag(tag) => self.edit_notes(|n, _| n.tags.retain(|t| *t != tag)),
            Command::SetBookmark(on) => self.edit_notes(|n, _| n.bookmarked = on),
            Command::RetryNotes => self.notes.retry(),
            Command::UseTheirNotes(id) => {
                if let Some(conflict) = self.notes.conflicts.iter().find(|c| c.document == id) {
                    let theirs = conflict.theirs.clone();
                    self.notes.dismiss_conflict(&id);
                    self.edit_notes(|n, _| *n = theirs);
                }
            }
            Command::KeepMyNotes(id) => self.notes.dismiss_conflict(&id),
            Command::ToggleTag(tag) => {
                if let Some(i) = self.notes.tags.iter().position(|t| *t == tag) {
                    self.notes.tags.remove(i);
                } else {
                    self.notes.tags.push(tag);
                }
                self.refresh_marks();
            }
            Command::SetOnlyWithNotes(on) => {
                self.notes.only_with_notes = on;
                self.refresh_marks();
            }
            Command::SetOnlyBookmarked(on) => {
                self.notes.only_bookmarked = on;
                self.refresh_marks();
            }
            _ => {}
        }
    }

    pub(super) fn search_for(&mut self, text: String) {
        let was_active = self.search.is_active();
        if self.search.set_text(text) {
            if !was_active && self.settings.sort != SortKey::Relevance {
                self.settings.sort = SortKey::Relevance;
                self.settings.sort_descending = false;
            }
            if let (Some(index), Some(corpus)) = (&self.search_index, &self.corpus) {
                self.search.start(index, corpus);
            }
        } else if !self.search.is_active() && was_active {
            if self.settings.sort == SortKey::Relevance {
                self.settings.sort = SortKey::Date;
            }
            self.scope.within = None;
            self.refresh_selection();
        }
    }

    /// Every search hit in the open document, in reading order; found once
    /// per document and query, not every frame.
    pub fn document_hits(&mut self) -> &[reader::DocumentHit] {
        let key = self
            .reader
            .document
            .filter(|_| self.search.is_active())
            .map(|d| (d, self.search.generation()));
        if self.document_hits.0 != key {
            let doc = key.and_then(|(i, _)| self.corpus.as_ref()?.documents.get(i as usize));
            let mut hits = Vec::new();
            for (layer_index, layer) in doc.iter().flat_map(|d| d.layers.iter().enumerate()) {
                for range in self.search.highlights(&layer.text) {
                    let page = layer
                        .page_breaks
                        .iter()
                        .take_while(|b| b.offset <= range.start)
                        .count();
                    hits.push(reader::DocumentHit {
                        page,
                        layer: layer_index,
                        range,
                    });
                }
            }
            hits.sort_by_key(|h| (h.page, h.layer, h.range.start));
            self.document_hits = (key, hits);
        }
        &self.document_hits.1
    }

    pub(super) fn step_hit(&mut self, forward: bool) {
        let hits = self.document_hits().to_vec();
        if hits.is_empty() {
            return;
        }
        let next = match (self.reader.hit, forward) {
            (None, true) => 0,
            (None, false) => hits.len() - 1,
            (Some(i), true) => (i + 1) % hits.len(),
            (Some(i), false) => (i + hits.len() - 1) % hits.len(),
        };
        let reader::DocumentHit { page, layer, range } = hits[next].clone();
        let offset = range.start;
        if let Some(corpus) = self.corpus.clone()
            && let Some(doc) = self
                .reader
                .document
                .and_then(|i| corpus.documents.get(i as usize))
        {
            self.reader.go_to(page, doc);
            self.reader.scroll_to_top = false;
        }
        self.reader.hit = Some(next);
        self.reader.focus = Some((layer, offset));
        // Make sure a pane shows the layer of the hit.
        if !self.reader.panes.contains(&PaneContent::Layer(layer)) {
            let slot = self
                .reader
                .panes
                .iter()
                .position(|p| matches!(p, PaneContent::Layer(_)))
                .unwrap_or(self.reader.panes.len().saturating_sub(1));
            if let Some(pane) = self.reader.panes.get_mut(slot) {
                *pane = PaneContent::Layer(layer);
            }
        }
    }
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, value: T) {
    match list.iter().position(|x| *x == value) {
        Some(at) => {
            list.remove(at);
        }
        None => list.push(value),
    }
}
