//! Tera, for both kinds of templates: content (to Markdown, every unfilled field named in one run)
//! and theme (to HTML), and Tera's errors as diagnostics at the template's file, line and column.
//!
//! A site's own template is code someone else may have written, and Tera has no budget of its own:
//! `range` gives at most 10,000 numbers, and a page's template may write at most 32 MiB in at most
//! 10 seconds, so two nested loops of a hundred thousand fail at once with a located error instead
//! of running for minutes (in `serve`, freezing every rebuild). Memory a template builds without
//! writing it (a text doubled forty times with `set`) is bounded by the process: each thread notes
//! which template it renders ([`with_rendering`]), so that the binary, whose memory is limited, can
//! name that template when an allocation fails. A loop that writes nothing reaches no code of
//! polis's while it runs, so its time is watched twice: `range`, which a loop over numbers calls
//! at each turn of the loop around it, refuses past the deadline, and Tera reports that at the
//! line of its call; and each render is listed with its deadline, so that the binary's watchdog
//! ([`when_overdue`]) reports one that reaches no `range` at its template's first line (Tera
//! does not say which tag a render is in).

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::front_matter::Parsed;
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::{Input, Origin};

/// The most numbers one call of `range` gives: policy texts count a few items, not millions.
const MAX_RANGE: usize = 10_000;
/// The most a template may write for one page: a thousand cookies make a few megabytes.
const MAX_OUTPUT: usize = 32 << 20;
/// How long the templates of one page may take, all tries together.
const MAX_TIME: Duration = Duration::from_secs(10);

/// Puts the bounds on `tera`: a `range` that refuses more than [`MAX_RANGE`] numbers.
pub(super) fn bound(tera: &mut tera::Tera) {
    tera.register_function("range", bounded_range);
}

/// Tera's `range` (`start`, `end`, `step_by`), refusing to give more than [`MAX_RANGE`] numbers,
/// or any past the render's deadline: a loop around it that writes nothing is then reported at
/// the line of this call, where Tera places a function's error.
fn bounded_range(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<Vec<i128>> {
    if OVER_OUTPUT.get() {
        return Err(tera::Error::message(over_output_message()));
    }
    if DEADLINE
        .get()
        .is_some_and(|deadline| Instant::now() > deadline)
    {
        OVERDUE.set(true);
        return Err(tera::Error::message(overdue_message()));
    }
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `step_by` argument of 0",
        ));
    }
    if start > end && step > 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `start` argument greater than the `end` one",
        ));
    }
    let numbers: Vec<i128> = std::iter::successors(Some(start), |n| n.checked_add(step))
        .take_while(|n| if step > 0 { *n < end } else { *n > end })
        .take(MAX_RANGE + 1)
        .collect();
    if numbers.len() > MAX_RANGE {
        return Err(tera::Error::message(format!(
            "`range` would give more than {MAX_RANGE} numbers; a policy text never needs that many"
        )));
    }
    Ok(numbers)
}

/// Which bound a template ran into.
#[derive(Debug, Clone, Copy)]
enum Exceeded {
    Output,
    Time,
    /// The process's memory, of so many bytes (whole GiB).
    Memory(u64),
}

thread_local! {
    /// The display path of the template file this thread renders, or rendered last: the text keeps
    /// its room from one render to the next. Read only while [`ORIGIN`] is set.
    static RENDERING: RefCell<String> = const { RefCell::new(String::new()) };
    /// Where the template this thread renders comes from; `None` between renders. A `Cell` of a
    /// `Copy` value, so that reading it never registers a destructor (which may allocate): a thread
    /// that has never rendered is told apart without touching [`RENDERING`].
    static ORIGIN: Cell<Option<Origin>> = const { Cell::new(None) };
    /// When the render under way on this thread must be done, for [`bounded_range`].
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Set when [`bounded_range`] refused for the deadline, so that the render's error is
    /// reported as a template past its time.
    static OVERDUE: Cell<bool> = const { Cell::new(false) };
    /// Set when the render under way wrote past [`MAX_OUTPUT`]: its writes are dropped from then
    /// on, and [`bounded_range`] refuses, so that the loop that writes is reported at its line.
    static OVER_OUTPUT: Cell<bool> = const { Cell::new(false) };
}

/// The message of a template that writes past [`MAX_OUTPUT`].
fn over_output_message() -> String {
    format!(
        "this template writes more than {} MiB for one page",
        MAX_OUTPUT >> 20
    )
}

/// The message of a template past [`MAX_TIME`].
fn overdue_message() -> String {
    format!(
        "this template takes more than {} seconds for one page",
        MAX_TIME.as_secs()
    )
}

/// The template file a thread is rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendering {
    /// Its display path: `content/privacy.en.md`.
    pub file: String,
    /// Whether it is the site's or the one polis ships.
    pub origin: Origin,
    /// The line of the file where the template begins (after a content text's front matter), 1
    /// for a theme template; 0 when it is not known.
    pub first_line: usize,
}

impl Rendering {
    /// The error for a process that ran out of its `limit` bytes of memory while rendering it.
    pub fn out_of_memory(&self, limit: u64) -> Diagnostic {
        exceeded(Exceeded::Memory(limit), &self.file, Pos::default())
    }

    /// The error for a render still running at its deadline ([`when_overdue`]): a loop that
    /// reached no `range` after it. Tera does not say which tag a render is in, so it is reported
    /// at the template's first line, and the message says why there.
    pub fn out_of_time(&self) -> Diagnostic {
        let mut d = exceeded(Exceeded::Time, &self.file, Pos::new(self.first_line, 1, 1));
        d.message.push_str(
            " (stopped while it ran a loop; Tera does not say which, so this is the template's first line)",
        );
        d
    }
}

/// A render under way on some thread, and when it must be done.
struct UnderWay {
    /// Its [`Noted`]'s number: one thread may note again before an earlier note is dropped.
    id: u64,
    rendering: Rendering,
    deadline: Instant,
}

/// How long past its deadline a render runs before [`when_overdue`] reports it: time for a loop
/// that calls `range` to reach it, and be reported at its line.
const GRACE: Duration = Duration::from_secs(1);

/// Every render under way, for [`when_overdue`]. Taken for a push or a removal only, and by the
/// watchdog a few times a second.
static UNDER_WAY: Mutex<Vec<UnderWay>> = Mutex::new(Vec::new());

/// Numbers the notes, for [`UnderWay::id`].
static NOTES: AtomicU64 = AtomicU64::new(0);

/// If a render on any thread is past its deadline (by [`GRACE`]), calls `end` with its template, which ends the
/// process (a watchdog's report); otherwise returns.
///
/// `end` runs while the list of renders is held, so no render can start or finish meanwhile: a
/// render that ends just after its deadline waits in the drop of its note, and the pipeline, which
/// waits for every render, prints no outcome of its own beside the report. Tera checks no budget
/// while a loop writes nothing, so a thread that renders cannot be asked to stop: only ending the
/// process stops it.
pub fn when_overdue(end: impl FnOnce(&Rendering) -> std::convert::Infallible) {
    let now = Instant::now();
    let under_way = UNDER_WAY.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(late) = under_way.iter().find(|r| r.deadline + GRACE < now) {
        end(&late.rendering);
    }
}

/// Calls `f` with the display path and origin of the template file the calling thread is
/// rendering, if it is rendering one: for a process whose memory ran out, to name the template
/// that asked for it. `None` when the thread renders nothing or its note cannot be read (it is
/// being written, or the thread is ending).
///
/// Allocates nothing and takes no lock, so an allocator may call it when an allocation fails: the
/// note is only borrowed, and it is read only after the thread's render wrote it, when its
/// thread-local is already initialised.
pub fn with_rendering<R>(f: impl FnOnce(&str, Origin) -> R) -> Option<R> {
    let origin = ORIGIN.try_with(Cell::get).ok().flatten()?;
    RENDERING
        .try_with(|file| Some(f(file.try_borrow().ok()?.as_str(), origin)))
        .ok()
        .flatten()
}

/// Notes that this thread renders `file` until dropped, and lists it as under way until
/// `deadline` ([`when_overdue`]).
struct Noted {
    id: u64,
}

impl Noted {
    fn new(file: &str, origin: Origin, first_line: usize, deadline: Instant) -> Noted {
        RENDERING.with_borrow_mut(|noted| {
            noted.clear();
            noted.push_str(file);
        });
        ORIGIN.set(Some(origin));
        DEADLINE.set(Some(deadline));
        OVERDUE.set(false);
        let id = NOTES.fetch_add(1, Ordering::Relaxed);
        let rendering = Rendering {
            file: file.to_owned(),
            origin,
            first_line,
        };
        UNDER_WAY
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(UnderWay {
                id,
                rendering,
                deadline,
            });
        Noted { id }
    }
}

impl Drop for Noted {
    fn drop(&mut self) {
        UNDER_WAY
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|r| r.id != self.id);
        let _ = ORIGIN.try_with(|origin| origin.set(None));
        let _ = DEADLINE.try_with(|deadline| deadline.set(None));
    }
}

/// What a template writes, refused past its deadline; past [`MAX_OUTPUT`] bytes, dropped until a
/// `range` refuses (Tera places that at a line; a failed write it places nowhere).
struct Bounded {
    written: Vec<u8>,
    deadline: Instant,
    exceeded: Option<Exceeded>,
    /// Writes since the clock was last read: Tera writes in small pieces, a big site millions.
    unclocked: u32,
}

impl Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.unclocked += 1;
        if self.unclocked >= 256 {
            self.unclocked = 0;
            if Instant::now() > self.deadline {
                self.exceeded.get_or_insert(Exceeded::Time);
                return Err(std::io::Error::other("over the template's time"));
            }
        }
        if self.exceeded.is_none() && self.written.len() + buf.len() > MAX_OUTPUT {
            self.exceeded = Some(Exceeded::Output);
            OVER_OUTPUT.set(true);
        }
        if self.exceeded.is_none() {
            self.written.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders `name` within the bounds, by `deadline`: the text, or Tera's error and the bound the
/// template ran into, if that is why it stopped.
fn render_bounded(
    tera: &tera::Tera,
    name: &str,
    context: &tera::Context,
    deadline: Instant,
) -> Result<String, (tera::Error, Option<Exceeded>)> {
    let mut out = Bounded {
        written: Vec::new(),
        deadline,
        exceeded: None,
        unclocked: 0,
    };
    OVER_OUTPUT.set(false);
    let rendered = tera.render_to(name, context, &mut out);
    OVER_OUTPUT.set(false);
    match rendered {
        // Written past the bound, and no `range` after it to place the error.
        Ok(()) if out.exceeded.is_some() => {
            Err((tera::Error::message(over_output_message()), out.exceeded))
        }
        Ok(()) => {
            String::from_utf8(out.written).map_err(|e| (tera::Error::message(e.to_string()), None))
        }
        Err(e) => {
            let overdue = OVERDUE.replace(false).then_some(Exceeded::Time);
            Err((e, out.exceeded.or(overdue)))
        }
    }
}

/// The diagnostic for a template stopped by `bound`: at the place Tera gives `e` in the template
/// `name` (the file `file`, whose template starts `offset` lines into it); when Tera gives none,
/// at the template's first line, saying why there.
fn exceeded_at(
    bound: Exceeded,
    e: &tera::Error,
    name: &str,
    file: &str,
    offset: usize,
) -> Diagnostic {
    let pos = place(e, name, offset);
    if pos.line > 0 {
        return exceeded(bound, file, pos);
    }
    let mut d = exceeded(bound, file, Pos::new(offset + 1, 1, 1));
    d.message
        .push_str(" (Tera does not say where it stopped, so this is the template's first line)");
    d
}

/// Where Tera places `e` in `file`, whose template starts `offset` lines into it: the whole file
/// when the error has no place there.
fn place(e: &tera::Error, file: &str, offset: usize) -> Pos {
    match e.kind() {
        tera::ErrorKind::RenderingError(r) if r.filename() == file => {
            let span = r.span();
            Pos::new(
                span.start_line + offset,
                span.start_col + 1,
                span.end_col.saturating_sub(span.start_col).max(1),
            )
        }
        _ => Pos::default(),
    }
}

/// The diagnostic for a template stopped by a bound, at `pos`: the `range` refused past the
/// deadline or past the output's bound, a line the message explains, or the whole file (memory).
fn exceeded(bound: Exceeded, file: &str, pos: Pos) -> Diagnostic {
    let looping =
        "look for a loop that runs far more often than the site has items, and take it out";
    let (message, hint) = match bound {
        Exceeded::Output => (over_output_message(), looping),
        Exceeded::Time => (overdue_message(), looping),
        Exceeded::Memory(limit) => (
            format!(
                "this template needs more than {} GiB of memory for one page",
                limit >> 30
            ),
            "look for a text that grows without end (a `set` that doubles a text) or a loop that runs far more often than \
             the site has items, and take it out",
        ),
    };
    Diagnostic::error(Code::TemplateError, file, pos, message).hint(hint)
}

/// Renders one content template. An undefined field is reported, replaced by an empty string at
/// the same place, and rendering is tried again, so every unfilled field of the file is named.
pub(super) fn render_content(
    tera: &tera::Tera,
    parsed: &Parsed,
    context: &tera::Context,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let name = parsed.file.path.as_str();
    let mut body = parsed.body.clone();
    let mut failed = false;
    // Only a failed render needs a copy of the templates to patch.
    let mut patched: Option<tera::Tera> = None;
    let deadline = Instant::now() + MAX_TIME;
    let _noted = Noted::new(name, parsed.file.origin, parsed.offset + 1, deadline);
    for _ in 0..64 {
        match render_bounded(patched.as_ref().unwrap_or(tera), name, context, deadline) {
            Ok(md) => return (!failed).then_some(md),
            Err((e, Some(bound))) => {
                diagnostics.push(exceeded_at(bound, &e, name, name, parsed.offset));
                return None;
            }
            Err((e, None)) => {
                failed = true;
                let d = template_error(&e, name, parsed.offset, &body);
                let patch = match e.kind() {
                    tera::ErrorKind::RenderingError(r)
                        if d.code == Code::UnfilledField && r.filename() == name =>
                    {
                        Some(expression_range(&body, r.span().range.clone()))
                    }
                    _ => None,
                };
                diagnostics.push(d);
                let range = patch?;
                let width = range.len();
                body.replace_range(range, &format!("{:<width$}", "\"\""));
                if patched
                    .get_or_insert_with(|| tera.clone())
                    .add_raw_template(name, &body)
                    .is_err()
                {
                    return None;
                }
            }
        }
    }
    None
}

/// Widens the span of an undefined field (`fax`) to the whole expression (`company.fax`).
fn expression_range(source: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let is_part = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '"' | '\'');
    let start = source[..span.start]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_part(*c))
        .last()
        .map_or(span.start, |(i, _)| i);
    let end = source[span.end..]
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(source.len(), |(i, _)| span.end + i);
    // Never shorter than `""`.
    if end - start < 2 {
        start..(start + 2).min(source.len())
    } else {
        start..end
    }
}

/// Renders the theme template `name`; an error points into the template it happened in.
pub(super) fn render_theme(
    theme: &tera::Tera,
    name: &str,
    context: tera::Context,
    input: &Input,
) -> Result<String, Diagnostic> {
    let path = input
        .templates
        .get(name)
        .map_or(name, |(path, _)| path.as_str());
    let origin = if input.shipped.contains(path) {
        Origin::Shipped
    } else {
        Origin::Site
    };
    let deadline = Instant::now() + MAX_TIME;
    let noted = Noted::new(path, origin, 1, deadline);
    let rendered = render_bounded(theme, name, &context, deadline);
    drop(noted);
    rendered.map_err(|(e, bound)| {
        if let Some(bound) = bound {
            return exceeded_at(bound, &e, name, path, 0);
        }
        let file = match &e.kind() {
            tera::ErrorKind::RenderingError(r) => r.filename().to_owned(),
            _ => name.to_owned(),
        };
        let (path, text) = input
            .templates
            .get(&file)
            .cloned()
            .unwrap_or((file, String::new()));
        template_error(&e, &path, 0, &text)
    })
}

/// A Tera error as a diagnostic in `file`, whose template body starts `offset` lines into the file.
pub(super) fn template_error(
    e: &tera::Error,
    file: &str,
    offset: usize,
    source: &str,
) -> Diagnostic {
    let (report, syntax) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => (Some(r), true),
        tera::ErrorKind::RenderingError(r) => (Some(r), false),
        _ => (None, false),
    };
    let Some(r) = report else {
        return Diagnostic::error(Code::TemplateError, file, Pos::default(), e.to_string());
    };
    let span = r.span();
    let message = r.message();
    // Tera 2 (2.4) has no error kind for an undefined value: a missing variable or field is a
    // `RenderingError` like any other, and only its message ("Variable `x` is not defined.",
    // "Field `x` is not defined.", an implicit argument "not found in context") tells it apart.
    if !syntax && (message.contains("not defined") || message.contains("not found")) {
        let range = expression_range(source, span.range.clone());
        let expr = source.get(range.clone()).unwrap_or_default().trim();
        let at = Pos::at_offset(source, range.start, expr.chars().count());
        let pos = Pos {
            line: at.line + offset,
            ..at
        };
        let top = expr.split(['.', '[']).next().unwrap_or(expr);
        let hint = match top {
            "company" | "dpo" | "cookies" | "rights" | "site" => format!("fill in `{expr}` in site.yaml, or take it out of this text"),
            "authority" => {
                "polis knows no supervisory authority for the company's country: add `authority:` with `name` and `url` to site.yaml"
                    .to_owned()
            }
            _ => {
                format!("`{expr}` is not filled in here; site.yaml lacks it, or the text should check for it first (see docs/templates.md)")
            }
        };
        return Diagnostic::error(
            Code::UnfilledField,
            file,
            pos,
            format!("`{expr}` is used here, but it has no value"),
        )
        .hint(hint);
    }
    let pos = Pos::new(
        span.start_line + offset,
        span.start_col + 1,
        span.end_col.saturating_sub(span.start_col).max(1),
    );
    let code = if syntax {
        Code::TemplateSyntax
    } else {
        Code::TemplateError
    };
    if syntax && message.contains("comment") && source.contains("{#") {
        return Diagnostic::error(code, file, pos, message.to_owned()).hint(
            "`{#` starts a Tera comment; write a heading id with a space: `## Title { #id }`",
        );
    }
    Diagnostic::error(code, file, pos, message.to_owned()).hint(if syntax {
        "fix the template syntax (Tera 2, docs/templates.md)"
    } else {
        "check the expression against docs/templates.md"
    })
}
