//! The `folio` executable: a subcommand runs the CLI, anything else opens
//! the window.

use std::process::ExitCode;

/// Decoding the corpus snapshot allocates hundreds of thousands of strings
/// on worker threads; glibc's allocator spent a third of a warm open
/// growing its per-thread heaps (see docs/ARCHITECTURE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let launched = std::time::Instant::now();
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    // The locks are released before the window runs: a lock held there
    // would block every other thread that prints (a panic message, the
    // loader's timings) for the whole session.
    let invocation = {
        let (stdout, stderr) = (std::io::stdout(), std::io::stderr());
        folio::cli::run(args, &mut stdout.lock(), &mut stderr.lock())
    };
    match invocation {
        folio::cli::Invocation::Exit(status) => ExitCode::from(u8::try_from(status).unwrap_or(2)),
        folio::cli::Invocation::Gui { path, document } => {
            match folio::ui::run(path, document, launched) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("folio: cannot open the window: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
