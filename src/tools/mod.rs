//! Tools for tests and measurements, run from the command line:
//! `folio bench` ([`bench`]), `folio bench-preview` ([`bench_preview`]),
//! `folio bench-ocr` ([`bench_ocr`]) and deterministic synthetic corpora
//! ([`synth`]).

pub mod bench;
pub mod bench_ocr;
pub mod bench_preview;
pub mod synth;
