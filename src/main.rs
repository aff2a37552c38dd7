use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = crossport::cli::Cli::parse();
    match crossport::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("crossport: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
