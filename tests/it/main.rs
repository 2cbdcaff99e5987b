//! The integration tests, one binary (as ripgrep does): one link instead of
//! fifteen on a two-core machine. `tests/hostile.rs` stays a binary of its
//! own, so that its peak-memory mark measures it alone.

#[path = "../common/mod.rs"]
mod common;

mod architecture;
mod authority;
mod damage;
mod describe;
mod describe_ui;
mod export;
mod facets;
mod formats;
mod glyphs;
mod notes;
mod ocr;
mod properties;
mod remote;
mod samples;
mod search;
mod seeds;
mod snapshot;
mod synth;
mod ui;
