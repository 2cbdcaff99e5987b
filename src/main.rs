//! The `folio` executable: a subcommand runs the CLI, anything else opens
//! the window.

use std::process::ExitCode;

fn main() -> ExitCode {
    let launched = std::time::Instant::now();
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    match folio::cli::run(args, &mut stdout.lock(), &mut stderr.lock()) {
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
