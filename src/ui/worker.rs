//! One-shot background jobs for the window: a named thread runs the job
//! and sends its result over a channel. A job that panics sends an error
//! that says so instead, so the window reports it and keeps running (the
//! panic message itself goes to standard error, as Rust prints it).

use std::sync::mpsc::{self, Receiver};

/// What a job gave, or why it stopped.
pub type Outcome<T> = Result<T, String>;

/// Runs `job` on a thread named `name`; its result arrives on the receiver,
/// a panic as `Err("the {what} stopped on an internal error: …")`.
pub fn run<T: Send + 'static>(
    name: &str,
    what: &'static str,
    job: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<Receiver<Outcome<T>>> {
    let (sender, receiver) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))
                .map_err(|payload| stopped(what, payload.as_ref()));
            let _ = sender.send(outcome);
        })?;
    Ok(receiver)
}

pub use crate::text::stopped;

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_panicking_job_becomes_an_error() {
        let receiver = run("folio-test", "test job", || -> u32 {
            panic!("the corpus was not what it seemed")
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let outcome = receiver
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            outcome,
            Err(
                "the test job stopped on an internal error: the corpus was not what it seemed"
                    .into()
            )
        );
    }

    #[test]
    fn a_job_gives_its_result_on_a_named_thread() {
        let receiver = run("folio-test-name", "test job", || {
            std::thread::current().name().map(str::to_owned)
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let outcome = receiver
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(outcome, Ok(Some("folio-test-name".into())));
    }
}
