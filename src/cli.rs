//! Command-line arguments, parsed and validated in one place.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub use crate::export::Format as ExportFormat;

/// polis writes your privacy policy and cookie policy, in every language, from one site.yaml.
#[derive(Debug, Parser)]
#[command(name = "polis", version, about, long_about = None)]
pub struct Cli {
    /// The site folder, or its site.yaml (default: the nearest folder with a site.yaml, from the
    /// current one upward, as cargo finds Cargo.toml).
    #[arg(short, long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Print problems and failures only: no list of pages, no closing line of a clean run.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// When to colour the problems: auto is at a terminal, unless NO_COLOR is set (CLICOLOR_FORCE
    /// colours a pipe too).
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
    pub color: Color,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (site.yaml's `site.output`, default public/).
    Build {
        /// Write here instead of site.yaml's output folder.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Run every check without writing anything; exit 1 when something is unfilled or incomplete.
    Check {
        /// How to print the problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Write a first site.yaml: every field the policies need, explained, with what polis knows for
    /// the country filled in and every other fact a "[fill in: ...]" that `polis check` names.
    Init {
        /// The folder to write site.yaml in, made when missing (default: --root, the current folder).
        dir: Option<PathBuf>,
        /// The company's country: the two letters of ISO 3166-1, e.g. NL, BE, DE.
        #[arg(long, value_name = "CC")]
        country: Option<String>,
        /// The site's languages, the first the default: nl, en or both.
        #[arg(long, value_name = "LL,LL", value_delimiter = ',')]
        locales: Option<Vec<String>>,
        /// Write the commented example site.yaml (a fictional lamp shop in Ghent) instead.
        #[arg(long, conflicts_with_all = ["country", "locales"])]
        from_example: bool,
    },
    /// Write the policies or their facts for another tool: Markdown for Hugo or Zola, HTML fragments
    /// for a CMS, the facts as JSON, or the record of processing activities (GDPR Art. 30).
    Export {
        /// What to write.
        #[arg(value_enum)]
        format: ExportFormat,
        /// Write here (default: export/<format> in the site folder); replaced whole, like build's.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// `fragment` only: start every heading id, and every link to one, with this prefix, so
        /// that the fragment's ids cannot clash with the page that embeds it (e.g. `policy-`).
        #[arg(long, value_name = "PREFIX", value_parser = crate::export::id_prefix)]
        id_prefix: Option<String>,
    },
    /// Record the version now in effect in archive/<effective date>/: its pages as published and
    /// the facts they were made from. Run it after publishing, and commit archive/.
    Archive,
    /// Print the JSON Schema of site.yaml, for editors (yaml-language-server) and other tools.
    Schema {
        /// Print the schema of `polis export json` instead.
        #[arg(long)]
        export: bool,
    },
    /// Serve the site on http://127.0.0.1:1111, rebuilding and reloading open pages on every change.
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; loopback unless you say otherwise.
        #[arg(short, long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Quiet time, in milliseconds, after the last change before rebuilding: a burst of saves
        /// becomes one build.
        #[arg(long, value_name = "MS", default_value_t = 30)]
        debounce: u64,
    },
    /// Visit the website in Chromium (headless) before any choice, after "reject all" and after
    /// "accept all", and report what it stores or sends that site.yaml does not declare or allow.
    /// Without a URL, the site is built and served on 127.0.0.1 for the scan.
    Scan {
        /// The pages to start from; the pages they link to on the same site are visited too.
        #[arg(value_name = "URL")]
        urls: Vec<String>,
        /// The Chromium to run (default: `chromium` on the PATH).
        #[arg(long, value_name = "PATH")]
        browser: Option<PathBuf>,
        /// How many pages each visit loads at most.
        #[arg(long, value_name = "N", default_value_t = 20)]
        max_pages: usize,
        /// How many seconds one page may take to load.
        #[arg(long, value_name = "SECONDS", default_value_t = 10)]
        page_timeout: u64,
        /// The CSS selector of the banner's "accept all" button (with --reject).
        #[arg(long, value_name = "SELECTOR", requires = "reject")]
        accept: Option<String>,
        /// The CSS selector of the banner's "reject all" button (with --accept).
        #[arg(long, value_name = "SELECTOR", requires = "accept")]
        reject: Option<String>,
        /// Read the observations from a HAR file or an EDPS Website Evidence Collector
        /// inspection.json instead of visiting.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["urls", "browser", "accept"])]
        evidence: Option<PathBuf>,
        /// How to print the findings.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
    },
    /// Print the completions of polis for a shell: `polis completions bash > /etc/bash_completion.d/polis`.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print polis's manual page (roff): `polis man > ~/.local/share/man/man1/polis.1`.
    Man,
    /// One rebuild for `polis serve`, in a process of its own (not for people).
    #[command(name = "__serve-build", hide = true)]
    ServeBuild,
}

/// Output formats for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style text with the source line.
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow commands.
    Github,
}

/// When to colour what polis prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// At a terminal, unless NO_COLOR is set; CLICOLOR_FORCE colours a pipe too.
    Auto,
    /// Always, into a pipe or a file too.
    Always,
    /// Never.
    Never,
}

impl From<Color> for anstream::ColorChoice {
    fn from(color: Color) -> Self {
        match color {
            Color::Auto => anstream::ColorChoice::Auto,
            Color::Always => anstream::ColorChoice::Always,
            Color::Never => anstream::ColorChoice::Never,
        }
    }
}

/// Whether what polis writes to stderr is coloured, as `--color` (set for the process in
/// `anstream::ColorChoice::write_global`) and the environment say.
pub fn stderr_styled() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
}
