//! The `polis` command: arguments in, exit code out (0 clean, 1 problems in the site, 2 usage or
//! I/O). The commands are in `cmd/`, one file each; the settings of the process as a whole in
//! `cmd/process.rs`.

mod cmd;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use polis::cli::Cli;

fn main() -> ExitCode {
    cmd::process::tune_allocator();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let code = cmd::exit_code(cmd::run(cli));
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    ExitCode::from(code)
}
