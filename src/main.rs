//! The `polis` command: parse arguments, run the library, map the outcome to an exit code
//! (0 clean, 1 problems in the site, 2 usage or I/O).
//!
//! Two process-wide settings live here and nowhere else, because bench/ measured that they pay
//! (bench/changes.md): glibc's allocator grows in bigger steps, and `build` and `check` end the
//! process once their output is flushed, without freeing what the run built. On the 1,000-cookie
//! site they save about a tenth of the build's time, on a quiet and on a busy machine alike; on
//! the example site they are within noise.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use polis::cli::{Cli, Command, Format};
use polis::diagnostics::{self, Code, Severity};
use polis::write::OutputFrom;

fn main() -> ExitCode {
    tune_allocator();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let started = Instant::now();
    match cli.command {
        Command::Build { output } => {
            let _ = limit_resources();
            // Ctrl-C or a termination signal during the write: no staging folder is left behind.
            let _ = ctrlc::set_handler(|| {
                polis::write::abandon();
                std::process::exit(130);
            });
            let outcome = polis::run(&cli.root);
            let (out, from) = match output {
                Some(out) => (out, OutputFrom::CommandLine),
                None => (cli.root.join(&outcome.output), OutputFrom::SiteYaml),
            };
            let code = build(&cli.root, &out, from, &outcome, started);
            exit_leaving(outcome, code)
        }
        Command::Archive => {
            let _ = limit_resources();
            let _ = ctrlc::set_handler(|| {
                polis::write::abandon();
                std::process::exit(130);
            });
            let outcome = polis::run_to_archive(&cli.root);
            let code = archive(&cli.root, &outcome);
            exit_leaving(outcome, code)
        }
        Command::ServeBuild => {
            let _ = limit_resources();
            match polis::serve::child::run_child(&cli.root) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(2),
            }
        }
        Command::Schema { export } => {
            print!("{}", if export { polis::EXPORT_SCHEMA } else { polis::SCHEMA });
            ExitCode::SUCCESS
        }
        Command::Init { dir, country, locales, from_example } => {
            ExitCode::from(init(dir.as_deref().unwrap_or(&cli.root), country, locales, from_example))
        }
        Command::Export { format, output } => {
            let _ = limit_resources();
            let outcome = polis::run_for_export(&cli.root);
            let (out, from) = match output {
                Some(out) => (out, OutputFrom::CommandLine),
                None => (cli.root.join("export").join(format.name()), OutputFrom::SiteYaml),
            };
            let code = export(&cli.root, &out, from, format, &outcome);
            exit_leaving(outcome, code)
        }
        Command::Serve { port, bind, open, debounce } => {
            // Each rebuild runs in a process of its own: no content can take the server down.
            let builder = std::env::current_exe().ok();
            let options = polis::serve::Options { bind, port, open, debounce: std::time::Duration::from_millis(debounce), builder };
            match polis::serve::serve(&cli.root, options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Check { format, deny_warnings } => {
            let _ = limit_resources();
            let outcome = polis::run(&cli.root);
            let mut stdout = std::io::stdout().lock();
            let text = match format {
                Format::Human => {
                    print_human(&outcome);
                    String::new()
                }
                Format::Json => diagnostics::render_json(&outcome.diagnostics),
                // Annotations need paths from the repository root, which is where CI runs polis.
                Format::Github => diagnostics::render_github(&with_root(&cli.root, &outcome)),
            };
            let _ = stdout.write_all(text.as_bytes());
            let (errors, warnings) = diagnostics::count(&outcome.diagnostics);
            if format == Format::Human {
                eprintln!("check: {}", diagnostics::summary(&outcome.diagnostics));
            }
            let io_failure = outcome.diagnostics.iter().any(|d| d.code == Code::IoError && d.severity == Severity::Error);
            let code = if io_failure {
                2
            } else if errors > 0 || (deny_warnings && warnings > 0) {
                1
            } else {
                0
            };
            exit_leaving(outcome, code)
        }
    }
}

/// Writes the pages of `outcome` into `out` when it has no errors, and says what was written;
/// the exit code.
fn build(root: &Path, out: &Path, from: OutputFrom, outcome: &polis::Outcome, started: Instant) -> u8 {
    print_human(outcome);
    if outcome.has_errors() {
        eprintln!("build failed: {}; nothing was written", diagnostics::summary(&outcome.diagnostics));
        return 1;
    }
    if let Err(e) = polis::write::write(root, out, from, &outcome.rendered.files) {
        eprintln!("error: {e}");
        return 2;
    }
    for page in &outcome.rendered.pages {
        println!("  {}  ({} {}, from {})", page.url, page.name, page.locale, page.source);
    }
    let pages = outcome.rendered.pages.len();
    let files = outcome.rendered.files.len();
    println!("wrote {pages} pages ({files} files) to {} in {} ms", out.display(), started.elapsed().as_millis());
    0
}

/// Writes a first site.yaml into `dir` (and the schema beside it, unless one is there); the exit
/// code. Asks for the country and languages at a terminal when no flag says them.
fn init(dir: &Path, country: Option<String>, locales: Option<Vec<String>>, from_example: bool) -> u8 {
    let text = if from_example {
        polis::init::example()
    } else {
        let asked = country.is_none() && locales.is_none() && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        let request = if asked {
            match ask() {
                Ok(request) => request,
                Err(e) => {
                    eprintln!("error: {e}");
                    return 2;
                }
            }
        } else {
            let Some(country) = country else {
                eprintln!("error: polis init needs the company's country: --country NL (or BE, DE, ...)");
                return 2;
            };
            polis::init::Request { country, locales: locales.unwrap_or_else(|| vec!["nl".into(), "en".into()]) }
        };
        match polis::init::site_yaml(&request) {
            Ok(text) => text,
            Err(refusal) => {
                eprintln!("error: {refusal}");
                return 2;
            }
        }
    };
    let written = match polis::write::create_new(dir, "site.yaml", text.as_bytes()) {
        Ok(path) => path,
        Err(e) => {
            eprintln!("error: {e}; polis init writes a new site.yaml only");
            return 2;
        }
    };
    // An editor's schema is polis's own file: one already there is left as it is.
    let _ = polis::write::create_new(dir, polis::init::SCHEMA_FILE, polis::SCHEMA.as_bytes());
    let placeholders = text.lines().filter(|l| !l.trim_start().starts_with('#') && l.contains(polis::model::decode::PLACEHOLDER)).count();
    println!("wrote {}", written.display());
    if placeholders > 0 {
        println!("fill in its {placeholders} \"[fill in: ...]\" values; `polis check` names those left, at their lines");
    }
    0
}

/// The country and languages, asked at the terminal.
fn ask() -> Result<polis::init::Request, dialoguer::Error> {
    let countries = polis::init::countries();
    let default = countries.iter().position(|c| c == "NL").unwrap_or(0);
    let theme = dialoguer::theme::SimpleTheme;
    let labels: Vec<String> =
        countries.iter().map(|c| format!("{c}  {}", polis::init::country_name(c, "en").unwrap_or_default())).collect();
    let country = dialoguer::Select::with_theme(&theme).with_prompt("The company's country").items(&labels).default(default).interact()?;
    let shipped = polis::init::shipped_locales();
    let chosen = dialoguer::MultiSelect::with_theme(&theme)
        .with_prompt("The site's languages (space to choose, enter to go on; the first is the default)")
        .items(&shipped)
        .defaults(&vec![true; shipped.len()])
        .interact()?;
    Ok(polis::init::Request { country: countries[country].clone(), locales: chosen.into_iter().map(|i| shipped[i].to_owned()).collect() })
}

/// Writes `format` of the site in `outcome` into `out` when it has no errors; the exit code.
fn export(root: &Path, out: &Path, from: OutputFrom, format: polis::cli::ExportFormat, outcome: &polis::Outcome) -> u8 {
    print_human(outcome);
    if outcome.has_errors() {
        eprintln!("export failed: {}; nothing was written", diagnostics::summary(&outcome.diagnostics));
        return 1;
    }
    let Some(facts) = &outcome.facts else { return 1 };
    let files = match polis::export::export(format, facts, &outcome.rendered, &outcome.diagnostics) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("export failed: {e}; nothing was written");
            return 1;
        }
    };
    if let Err(e) = polis::write::write(root, out, from, &files) {
        eprintln!("error: {e}");
        return 2;
    }
    for name in files.keys().filter(|n| !n.starts_with('.')) {
        println!("  {name}");
    }
    println!("wrote {} files to {}", files.len(), out.display());
    0
}

/// Records the version in effect of `outcome` in the site's archive when it has no errors, and says
/// what was written; the exit code. The same facts archived already is not an error: nothing to do.
fn archive(root: &Path, outcome: &polis::Outcome) -> u8 {
    print_human(outcome);
    if outcome.has_errors() {
        eprintln!("archive failed: {}; nothing was written", diagnostics::summary(&outcome.diagnostics));
        return 1;
    }
    let Some(version) = &outcome.version else { return 2 };
    if version.archived {
        println!("archive/{} holds this version already, with the same facts: nothing to do", version.date);
        return 0;
    }
    match polis::write::archive(root, &version.date, &version.files) {
        Ok(dir) => {
            for name in version.files.keys() {
                println!("  archive/{}/{name}", version.date);
            }
            println!("archived the version of {} in {}; commit it", version.date, dir.display());
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// Ends the process with `code` once stdout and stderr are flushed. The outcome (thousands of
/// values on a big site) is taken and never dropped: the system takes its memory back whole,
/// faster than freeing it value by value.
fn exit_leaving(_outcome: polis::Outcome, code: u8) -> ! {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    std::process::exit(i32::from(code))
}

/// Caps the memory and CPU time of this process (a build): a site's own template can ask for
/// terabytes (a `set` that doubles a text forty times), and Tera has no budget for memory. Past
/// the cap an allocation fails and the process ends, in seconds, rather than taking the machine's
/// memory; `polis serve` runs each rebuild in such a process and stays up.
fn limit_resources() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use polis::serve::child::{MAX_MEMORY, MAX_TIME};
        use rustix::process::{Resource, Rlimit, setrlimit};
        // The data limit counts the memory a process can write to (its heap and anonymous maps),
        // not address space it only reserves, which grows with the number of CPUs.
        setrlimit(Resource::Data, Rlimit { current: Some(MAX_MEMORY), maximum: Some(MAX_MEMORY) })?;
        let cpu = MAX_TIME.as_secs();
        setrlimit(Resource::Cpu, Rlimit { current: Some(cpu), maximum: Some(cpu + 1) })?;
    }
    Ok(())
}

/// Asks glibc's allocator to grow and shrink in bigger steps: fewer system calls and page faults
/// for a run that allocates megabytes on two threads and then ends. Elsewhere it does nothing.
#[allow(unsafe_code)]
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets the allocator's parameters; it runs before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 16 << 20);
    }
}

/// The diagnostics of `outcome` with file paths as seen from the current folder rather than the
/// site folder (files polis ships keep their `<polis>/` path: they are in no folder).
fn with_root(root: &Path, outcome: &polis::Outcome) -> Vec<diagnostics::Diagnostic> {
    let prefix = root.to_string_lossy().trim_end_matches('/').to_owned();
    if prefix.is_empty() || prefix == "." {
        return outcome.diagnostics.clone();
    }
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if !outcome.shipped.contains(&d.file) {
                d.file = format!("{prefix}/{}", d.file);
            }
            d
        })
        .collect()
}

fn print_human(outcome: &polis::Outcome) {
    if outcome.diagnostics.is_empty() {
        return;
    }
    let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = diagnostics::render_human(&outcome.diagnostics, &outcome.sources, styled);
    let mut stderr = anstream::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
}
