//! Machine OCR from the window: the `folio-ocr` thread finds Tesseract,
//! plans the pages (of the shown page, the open document, the chosen
//! documents, or every document with scans and no text) and reads them on
//! `folio-ocr-N` threads; each page kept tells the loader to read the
//! sidecar again, so its text appears as it comes. Progress per page and
//! per document in the top bar, with Cancel.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use super::{AppState, loader};
use crate::research::ocr::{self, Engine, Job};

/// Which pages to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OcrScope {
    /// The page shown in the reader.
    Page,
    /// Every page of the open document.
    Document,
    /// The documents chosen in the list.
    Chosen,
    /// Every document that has scans and no text.
    Untexted,
}

/// What the OCR thread says.
#[derive(Debug)]
enum OcrEvent {
    Planned {
        pages: usize,
        documents: usize,
    },
    Page {
        document: String,
        failed: Option<String>,
    },
    Stopped(String),
    Finished,
}

/// An OCR run under way.
#[derive(Debug)]
pub struct OcrJob {
    receiver: Receiver<OcrEvent>,
    cancel: Arc<AtomicBool>,
    pub pages: usize,
    pub documents: usize,
    pub done: usize,
    pub failed: usize,
    /// The document being read.
    pub current: Option<String>,
}

impl OcrJob {
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// "OCR 3 / 12 pages of 2 documents".
    pub fn progress(&self) -> String {
        if self.pages == 0 {
            return "OCR: finding Tesseract and the pages…".into();
        }
        let mut text = format!(
            "OCR {} / {} pages of {}",
            self.done,
            self.pages,
            crate::text::count(self.documents, "document", "documents")
        );
        if let Some(current) = &self.current {
            text.push_str(&format!(" ({current})"));
        }
        if self.failed > 0 {
            text.push_str(&format!(", {} failed", self.failed));
        }
        text
    }

    pub fn fraction(&self) -> f32 {
        if self.pages == 0 {
            0.0
        } else {
            self.done as f32 / self.pages as f32
        }
    }
}

impl AppState {
    /// Starts reading the pages of `scope`.
    pub(super) fn start_ocr(&mut self, scope: &OcrScope) {
        if self.ocr_job.is_some() {
            self.notice = Some("OCR is already running; cancel it first".into());
            return;
        }
        let Some(corpus) = self.corpus.clone() else {
            return;
        };
        let open = self
            .reader
            .document
            .and_then(|i| corpus.documents.get(i as usize))
            .map(|d| d.id.clone());
        let ids: Vec<String> = match scope {
            OcrScope::Page | OcrScope::Document => open.clone().into_iter().collect(),
            OcrScope::Chosen => self.picked_in_order(),
            OcrScope::Untexted => Vec::new(),
        };
        if ids.is_empty() && *scope != OcrScope::Untexted {
            self.notice = Some("open a document (or choose some) to read its text".into());
            return;
        }
        let page = (*scope == OcrScope::Page).then_some(self.reader.page + 1);
        let place = self.overlay.sidecar.write_to.clone();
        let cancel = Arc::new(AtomicBool::new(false));
        let (sender, receiver) = mpsc::channel();
        let requests = self.loader_requests.clone();
        let stop = Arc::clone(&cancel);
        let spawned = std::thread::Builder::new()
            .name("folio-ocr".into())
            .spawn(move || {
                let said = |event| sender.send(event).is_ok();
                let engine = match Engine::find() {
                    Ok(engine) => engine,
                    Err(e) => {
                        said(OcrEvent::Stopped(e.to_string()));
                        return;
                    }
                };
                let mut work: Vec<Job> = match ocr::plan(&corpus, &ids, None, &engine) {
                    Ok(work) => work,
                    Err(reason) => {
                        said(OcrEvent::Stopped(format!(
                            "{reason} (set the document's language in Describe this document)"
                        )));
                        return;
                    }
                };
                if let Some(page) = page {
                    work.retain(|job| job.page == page);
                }
                let mut documents: Vec<&str> = work.iter().map(|j| j.document.as_str()).collect();
                documents.dedup();
                said(OcrEvent::Planned {
                    pages: work.len(),
                    documents: documents.len(),
                });
                let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
                // Idle priority: the window stays smooth while every core reads.
                let run = (cores, ocr::Priority::Idle);
                ocr::read_pages(&corpus.root, &place, &work, run, &stop, |job, result| {
                    said(OcrEvent::Page {
                        document: job.document.clone(),
                        failed: result.err().map(|e| e.to_string()),
                    });
                    if let Some(requests) = &requests {
                        let _ = requests.send(loader::LoaderRequest::Reload);
                    }
                });
                said(OcrEvent::Finished);
            });
        match spawned {
            Ok(_) => {
                self.ocr_job = Some(OcrJob {
                    receiver,
                    cancel,
                    pages: 0,
                    documents: 0,
                    done: 0,
                    failed: 0,
                    current: None,
                });
            }
            Err(e) => self.notice = Some(format!("cannot start OCR: {e}")),
        }
    }

    /// Takes what the OCR thread said; true while it runs.
    pub(super) fn poll_ocr(&mut self) -> bool {
        let Some(job) = &mut self.ocr_job else {
            return false;
        };
        loop {
            match job.receiver.try_recv() {
                Ok(OcrEvent::Planned { pages, documents }) => {
                    job.pages = pages;
                    job.documents = documents;
                    if pages == 0 {
                        self.notice =
                            Some("no page to read: every document has text, or no scan".into());
                    }
                }
                Ok(OcrEvent::Page { document, failed }) => {
                    job.done += 1;
                    job.current = Some(document);
                    if let Some(reason) = failed {
                        job.failed += 1;
                        self.notice = Some(format!("OCR: {reason}"));
                    }
                }
                Ok(OcrEvent::Stopped(reason)) => {
                    self.notice = Some(reason);
                    self.ocr_job = None;
                    return false;
                }
                Ok(OcrEvent::Finished) | Err(TryRecvError::Disconnected) => {
                    let cancelled = job.cancel.load(Ordering::Relaxed);
                    self.status = Some(format!(
                        "OCR {}: {} of {} pages read{}",
                        if cancelled { "cancelled" } else { "done" },
                        job.done - job.failed,
                        job.pages,
                        if job.failed > 0 {
                            format!(", {} failed", job.failed)
                        } else {
                            String::new()
                        }
                    ));
                    self.ocr_job = None;
                    return false;
                }
                Err(TryRecvError::Empty) => return true,
            }
        }
    }
}
