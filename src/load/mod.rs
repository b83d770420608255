//! Reading a site folder: site.yaml, content/, the theme and the archive, into memory.
//!
//! This is the only stage that reads files. What polis ships (the default theme, its locale packs
//! and the policy texts) is embedded in the binary; a site's own file of the same name replaces the
//! shipped one, file by file, and a file of a name polis does not ship (a text and a locale pack
//! in another language) adds to them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Pos, Sources};
use crate::yaml;

mod archive;
mod budget;

pub use archive::{ARCHIVE, Archived, FACTS};
use budget::{Budget, Pool};
pub use budget::{MAX_FACTS_BYTES, MAX_READ_BYTES};

/// What a build needs from disk, read once.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// The site folder.
    pub root: PathBuf,
    /// Policy texts in content/ whose names are not `<page>.<locale>.md` (display paths), not read.
    pub misnamed: Vec<String>,
    /// Policy texts in content/ for a page polis does not have, as `(display path, page)`: not
    /// read, since no page uses them whatever they hold.
    pub unknown_pages: Vec<(String, String)>,
    /// site.yaml as read, before typing; `None` when it could not be read.
    pub site_yaml: Option<yaml::Node>,
    /// The text of every file a diagnostic can point into, by display path.
    pub sources: Sources,
    /// The policy texts: one per page and locale.
    pub content: Vec<ContentFile>,
    /// Theme templates by name (`page.html`), with their display path and text.
    pub templates: BTreeMap<String, (String, String)>,
    /// Theme static files by path relative to the output root.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Locale packs by locale: display path and content.
    pub locale_packs: BTreeMap<String, (String, yaml::Node)>,
    /// Content files that exist but could not be read (already reported), as `(page, locale)`.
    pub unreadable: Vec<(String, String)>,
    /// The display paths of the files that come from the binary rather than the site folder.
    pub shipped: BTreeSet<String>,
    /// The versions in archive/, oldest first.
    pub archive: Vec<Archived>,
}

/// Where a file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The site folder.
    Site,
    /// The binary: what polis ships, for the files a site does not write itself.
    Shipped,
}

/// One policy text.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// `privacy` or `cookies`.
    pub page: String,
    /// `nl`, `en`, ...
    pub locale: String,
    /// Display path: `content/privacy.nl.md` (shipped texts read `<polis>/content/...`).
    pub path: String,
    /// Whether the site wrote it or polis ships it.
    pub origin: Origin,
    /// The text.
    pub text: String,
}

/// The templates of a theme: `page.html` wraps each policy, `index.html` is the root page,
/// `versions.html` lists the versions of a policy.
pub const TEMPLATES: [&str; 3] = ["page.html", "index.html", "versions.html"];

/// The display path prefix of files that come from the binary rather than the site.
const EMBEDDED: &str = "<polis>";

/// site.yaml larger than this is not a site description.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../", $path)) as &[u8])),*]
    };
}

/// The files polis ships, by path relative to the repository root.
static SHIPPED: &[(&str, &[u8])] = embed!(
    "content/privacy.nl.md",
    "content/privacy.en.md",
    "content/cookies.nl.md",
    "content/cookies.en.md",
    "content/privacy.fr.md",
    "content/cookies.fr.md",
    "content/privacy.de.md",
    "content/cookies.de.md",
    "themes/default/templates/page.html",
    "themes/default/templates/index.html",
    "themes/default/templates/versions.html",
    "themes/default/templates/header.html",
    "themes/default/static/style.css",
    "themes/default/i18n/nl.yaml",
    "themes/default/i18n/en.yaml",
    "themes/default/i18n/fr.yaml",
    "themes/default/i18n/de.yaml",
);

/// The shipped file at `path` (relative to the repository root: `content/privacy.nl.md`).
pub fn shipped(path: &str) -> Option<&'static [u8]> {
    SHIPPED
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, bytes)| *bytes)
}

/// Reads the site in `root`. Problems are returned, not thrown: the caller decides what to do.
pub fn load(root: &Path) -> (Input, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut input = Input {
        root: root.to_path_buf(),
        ..Input::default()
    };
    let mut budget = Budget::new();

    let site_text = match read_text(root, "site.yaml", &mut budget) {
        Ok(text) => text,
        Err(d) => return (input, vec![d]),
    };
    let site_text = input.sources.entry("site.yaml".into()).or_insert(site_text);
    // A problem the tree reads on after (a key given twice) is reported here, and the rest of the
    // site is read as usual: only text that is not YAML leaves nothing to read it by.
    let Some(node) = yaml::parse("site.yaml", site_text, &mut diagnostics) else {
        return (input, diagnostics);
    };

    // A theme name that is not a plain folder name is reported by decoding; never let it reach a path.
    let theme = node.get("site").and_then(|s| s.get("theme"));
    let theme_name = match theme.map(|t| &t.kind) {
        Some(yaml::Kind::Str(t))
            if !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            t.clone()
        }
        _ => "default".to_owned(),
    };
    let theme_dir = format!("themes/{theme_name}");
    let locales = site_locales(&node);
    let wanted = Wanted {
        theme_dir: &theme_dir,
        locales: locales.as_deref(),
    };
    read_theme_and_content(root, &wanted, &mut input, &mut budget, &mut diagnostics);
    input.archive = archive::read_archive(root, &mut input.sources, &mut budget, &mut diagnostics);
    if theme_name != "default" && !root.join(&theme_dir).is_dir() {
        let pos = theme.map_or(Pos::default(), |t| t.pos);
        diagnostics.push(
            Diagnostic::error(
                Code::UnknownTheme,
                "site.yaml",
                pos,
                format!("there is no theme `{theme_name}`"),
            )
            .hint(format!(
                "create {theme_dir}/ or use the built-in theme: `theme: default`"
            )),
        );
    }
    input.site_yaml = Some(node);
    (input, diagnostics)
}

/// The languages `site.locales` lists, when it is a list of plain values; decoding reports any
/// other shape, and then every locale pack is read.
fn site_locales(node: &yaml::Node) -> Option<Vec<String>> {
    let yaml::Kind::Seq(items) = &node.get("site")?.get("locales")?.kind else {
        return None;
    };
    items
        .iter()
        .map(|item| match &item.kind {
            yaml::Kind::Str(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// What of the theme a site uses: its folder, and the languages whose locale packs are read
/// (`None`: all of them). A pack of a language the site does not list makes no page.
struct Wanted<'a> {
    theme_dir: &'a str,
    locales: Option<&'a [String]>,
}

/// Reads content/ and the theme (the shipped files, replaced by the site's own) into `input`.
fn read_theme_and_content(
    root: &Path,
    wanted: &Wanted<'_>,
    input: &mut Input,
    budget: &mut Budget,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let theme_dir = wanted.theme_dir;
    let theme = theme_dir.trim_start_matches("themes/");

    let mut files: BTreeMap<String, (String, Origin, Vec<u8>)> = BTreeMap::new();
    for (path, bytes) in SHIPPED {
        let key = path.replacen("themes/default/", &format!("themes/{theme}/"), 1);
        files.insert(
            key,
            (
                format!("{EMBEDDED}/{path}"),
                Origin::Shipped,
                bytes.to_vec(),
            ),
        );
    }
    for dir in ["content", theme_dir] {
        for (rel, bytes) in read_tree(root, dir, budget, diagnostics) {
            match bytes {
                Some(bytes) => {
                    files.insert(rel.clone(), (rel, Origin::Site, bytes));
                }
                None => match rel.strip_prefix("content/").and_then(content_name) {
                    Some((page, _)) => input.unknown_pages.push((rel, page)),
                    None => input.misnamed.push(rel),
                },
            }
        }
    }

    for (rel, (display, origin, bytes)) in files {
        if origin == Origin::Shipped {
            input.shipped.insert(display.clone());
        }
        if let Some(name) = rel.strip_prefix(&format!("{theme_dir}/static/")) {
            input.static_files.insert(name.to_owned(), bytes);
            continue;
        }
        let text = match utf8(&display, bytes) {
            Ok(text) => text,
            Err(d) => {
                diagnostics.push(d);
                if let Some(name) = rel.strip_prefix("content/").and_then(content_name) {
                    input.unreadable.push(name);
                }
                continue;
            }
        };
        if let Some(name) = rel.strip_prefix(&format!("{theme_dir}/templates/")) {
            input.sources.insert(display.clone(), text.clone());
            input.templates.insert(name.to_owned(), (display, text));
        } else if let Some(name) = rel.strip_prefix(&format!("{theme_dir}/i18n/")) {
            let Some(locale) = name.strip_suffix(".yaml") else {
                continue;
            };
            if wanted
                .locales
                .is_some_and(|ls| !ls.iter().any(|l| l == locale))
            {
                continue;
            }
            input.sources.insert(display.clone(), text.clone());
            if let Some(node) = yaml::parse(&display, &text, diagnostics) {
                input
                    .locale_packs
                    .insert(locale.to_owned(), (display, node));
            }
        } else if let Some((page, locale)) = rel.strip_prefix("content/").and_then(content_name) {
            // (Only texts named for a page are read: `read_tree`.)
            input.sources.insert(display.clone(), text.clone());
            input.content.push(ContentFile {
                page,
                locale,
                path: display,
                origin,
                text,
            });
        }
    }
}

fn content_name(name: &str) -> Option<(String, String)> {
    let stem = name.strip_suffix(".md")?;
    let (page, locale) = stem.split_once('.')?;
    (!page.is_empty() && !locale.is_empty() && !locale.contains('.') && !page.contains('/'))
        .then(|| (page.to_owned(), locale.to_owned()))
}

fn read_text(root: &Path, rel: &str, budget: &mut Budget) -> Result<String, Diagnostic> {
    let bytes =
        read_file(root, rel, MAX_FILE_BYTES, budget, Pool::Any).map_err(|d| match d.code {
            Code::IoError if !root.join(rel).exists() => d.hint(format!(
                "run polis in a site folder, or point at one with --root; {} does not exist",
                root.join(rel).display()
            )),
            Code::FileTooLarge => {
                d.hint("a site description is a few kilobytes; check that this is the right file")
            }
            _ => d,
        })?;
    utf8(rel, bytes)
}

/// The bytes of the regular file `rel` under `root`, at most `limit` of them and at most what is
/// left of the `budget` of `pool`, which they are counted against. A symbolic link is not followed,
/// and a FIFO, a device or a folder is not read: opening one could wait forever or never end
/// (`/dev/zero`). The limits hold for what is read, whatever the file's size claims.
fn read_file(
    root: &Path,
    rel: &str,
    limit: u64,
    budget: &mut Budget,
    pool: Pool,
) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read as _;
    let fail = |code, message: String| Diagnostic::error(code, rel, Pos::default(), message);
    let file = open_no_follow(&root.join(rel)).map_err(|e| {
        if is_link_error(&e) {
            fail(
                Code::SymlinkSkipped,
                format!("{rel} is a symbolic link; polis does not follow links"),
            )
            .hint("put the file itself in the site folder instead of a link to it")
        } else {
            fail(Code::IoError, format!("cannot read {rel}: {e}"))
        }
    })?;
    let meta = file
        .metadata()
        .map_err(|e| fail(Code::IoError, format!("cannot read {rel}: {e}")))?;
    if !meta.is_file() {
        return Err(
            fail(Code::UnsafePath, format!("{rel} is not a regular file"))
                .hint("polis reads only regular files; replace it with one"),
        );
    }
    if meta.len() > limit {
        return Err(fail(
            Code::FileTooLarge,
            format!("{rel} is {} bytes; polis reads at most {limit}", meta.len()),
        ));
    }
    let left = budget.left(pool);
    if meta.len() > left {
        return Err(budget.exceeded(pool, rel, meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.min(left) + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(Code::IoError, format!("cannot read {rel}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(fail(
            Code::FileTooLarge,
            format!("{rel} is more than {limit} bytes; polis reads at most {limit}"),
        ));
    }
    if bytes.len() as u64 > left {
        return Err(budget.exceeded(pool, rel, bytes.len() as u64));
    }
    budget.spend(pool, bytes.len() as u64);
    Ok(bytes)
}

/// Opens `path` for reading unless its last part is a symbolic link, without waiting for a writer
/// when it is a FIFO.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    Ok(std::fs::File::from(rustix::fs::open(
        path,
        flags,
        Mode::empty(),
    )?))
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("a symbolic link"));
    }
    std::fs::File::open(path)
}

/// Whether opening failed because the path is a symbolic link (`O_NOFOLLOW` says ELOOP).
fn is_link_error(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        e.kind() == std::io::ErrorKind::Other
    }
}

/// The first part of `dir` (a path relative to `root`, such as `themes/default`) that is a symbolic
/// link, if one is.
fn linked_part(root: &Path, dir: &str) -> Option<String> {
    let mut rel = PathBuf::new();
    for part in Path::new(dir).components() {
        rel.push(part);
        if std::fs::symlink_metadata(root.join(&rel)).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    None
}

fn symlink_skipped(rel: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::SymlinkSkipped,
        rel,
        Pos::default(),
        format!("{rel} is a symbolic link; polis does not follow links"),
    )
    .hint("copy the file into the site folder instead")
}

/// UTF-8 text, or an error at the first byte that is not.
fn utf8(display: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let pos = Pos::at_offset(&text, text.len(), 1);
        Diagnostic::error(
            Code::NotUtf8,
            display,
            pos,
            format!("{display} is not UTF-8 text"),
        )
        .hint("save the file as UTF-8 (most editors: File → Save with encoding → UTF-8)")
    })
}

/// Every file under `root/dir` that a build uses, by path relative to root: the policy texts
/// (`content/*.md`) and the theme's templates, locale packs and static files. Symbolic links are
/// not followed, in any part of the path, so a link loop or a link out of the site cannot be read;
/// other files are not read at all. A policy text whose name says no page uses it (not
/// `<page>.<locale>.md`, or a page polis has not) is listed without its bytes, unread, to be
/// reported.
fn read_tree(
    root: &Path,
    dir: &str,
    budget: &mut Budget,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, Option<Vec<u8>>)> {
    if let Some(link) = linked_part(root, dir) {
        diagnostics.push(symlink_skipped(&link));
        return Vec::new();
    }
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&base)
        .follow_links(false)
        .max_depth(8)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    Code::IoError,
                    dir,
                    Pos::default(),
                    format!("cannot read {dir}: {e}"),
                ));
                continue;
            }
        };
        let rel_path = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let rel = rel_path.to_string_lossy().replace('\\', "/");
        if entry.path_is_symlink() {
            diagnostics.push(symlink_skipped(&rel));
            continue;
        }
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Some(limit) = used(&rel, dir) else {
            continue;
        };
        if dir == "content" && !names_a_page(&rel) {
            out.push((rel, None));
            continue;
        }
        match read_file(root, &rel, limit, budget, Pool::Any) {
            Ok(bytes) => out.push((rel, Some(bytes))),
            Err(d) => diagnostics.push(d),
        }
    }
    out
}

/// Whether the content file `rel` is named `<page>.<locale>.md` for a page polis has: one whose
/// text it ships.
fn names_a_page(rel: &str) -> bool {
    let page = |path: &str| {
        path.strip_prefix("content/")
            .and_then(content_name)
            .map(|(page, _)| page)
    };
    page(rel).is_some_and(|name| SHIPPED.iter().any(|(p, _)| page(p).as_ref() == Some(&name)))
}

/// Theme static files (images, fonts) may be larger than a text.
const MAX_STATIC_BYTES: u64 = 64 * 1024 * 1024;

/// How many bytes of the file `rel`, found under `dir`, a build may read; `None` for a file no
/// build uses (an image in content/, a README in the theme).
fn used(rel: &str, dir: &str) -> Option<u64> {
    let inside = rel.strip_prefix(dir)?.strip_prefix('/')?;
    if dir == "content" {
        return rel.ends_with(".md").then_some(MAX_FILE_BYTES);
    }
    if inside.starts_with("static/") {
        Some(MAX_STATIC_BYTES)
    } else if inside.starts_with("templates/")
        || (inside.starts_with("i18n/") && inside.ends_with(".yaml"))
    {
        Some(MAX_FILE_BYTES)
    } else {
        None
    }
}
