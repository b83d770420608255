//! The one type every stage reports problems with, and the three ways to print them.
//!
//! A stage never stops at the first problem: it pushes a [`Diagnostic`] and carries on, so that one
//! run names everything a user has to fix. Output formats are documented in README.md and are
//! stable: tests and CI scripts read them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

mod human;

pub use human::{printable, render_human};

/// How bad a problem is. Errors fail `build` and `check`; warnings fail `check --deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Reported; fails only with `--deny-warnings`.
    Warning,
    /// Information that never fails a run, such as a rule the site waived and why.
    Note,
}

/// Declares [`Code`] with the name each variant is printed as.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// The kind of a problem: a stable name, printed in kebab-case, that tests and CI scripts
        /// match on. README.md lists every one (a test holds the two together).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of README.md's table.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The printed name: `unknown-key`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    /// site.yaml, a locale pack or front matter is not valid YAML.
    YamlSyntax = "yaml-syntax",
    /// A key is given twice in one mapping, or two items share a key.
    DuplicateKey = "duplicate-key",
    /// A file is not UTF-8 text.
    NotUtf8 = "not-utf8",
    /// YAML nested too deeply, or aliases repeating too much.
    YamlLimit = "yaml-limit",
    /// A file over the size polis reads.
    FileTooLarge = "file-too-large",
    /// A file or folder could not be read.
    IoError = "io-error",
    /// A key site.yaml does not know.
    UnknownKey = "unknown-key",
    /// A value of the wrong shape (text where a list belongs).
    WrongType = "wrong-type",
    /// A required key is absent.
    MissingField = "missing-field",
    /// A value of the right shape but not a valid one.
    InvalidValue = "invalid-value",
    /// A key that names no item of another section.
    UnknownReference = "unknown-reference",
    /// A country code polis does not know.
    UnknownCountry = "unknown-country",
    /// A theme that is neither built in nor a folder of the site.
    UnknownTheme = "unknown-theme",
    /// A field is empty, or a text uses a field site.yaml does not fill in.
    UnfilledField = "unfilled-field",
    /// A text, page or locale pack lacks a language.
    MissingTranslation = "missing-translation",
    /// A named link (`@/page`, `@doc/key`) names nothing.
    UnresolvedLink = "unresolved-link",
    /// A link in a page leads nowhere.
    BrokenLink = "broken-link",
    /// A page still shows template instructions.
    PlaceholderText = "placeholder-text",
    /// A template does not compile.
    TemplateSyntax = "template-syntax",
    /// A template fails while rendering.
    TemplateError = "template-error",
    /// A path that would leave the site folder.
    UnsafePath = "unsafe-path",
    /// A symbolic link, which polis does not follow.
    SymlinkSkipped = "symlink-skipped",
    /// A content file in a language the site does not publish.
    UnknownLocale = "unknown-locale",
    /// A content file for a page polis does not have.
    UnknownPage = "unknown-page",
    /// A text or theme polis ships failed: a bug in polis, never in the site.
    PolisBug = "polis-bug",
    /// A purpose without its legal basis (Art. 13(1)(c)).
    GdprLegalBasis = "gdpr-legal-basis",
    /// Legitimate interests without the interest (Art. 13(1)(d)).
    GdprLegitimateInterest = "gdpr-legitimate-interest",
    /// Consent without the right to withdraw it (Art. 13(2)(c)).
    GdprConsentWithdrawal = "gdpr-consent-withdrawal",
    /// Data without its retention (Art. 13(2)(a)).
    GdprRetention = "gdpr-retention",
    /// A transfer outside the EEA without its safeguard (Art. 13(1)(f)).
    GdprTransferSafeguard = "gdpr-transfer-safeguard",
    /// No recipients named (Art. 13(1)(e)).
    GdprRecipients = "gdpr-recipients",
    /// Not said whether a DPO is appointed (Art. 13(1)(b)).
    GdprDpo = "gdpr-dpo",
    /// No supervisory authority to complain to (Art. 13(2)(d)).
    GdprAuthority = "gdpr-authority",
    /// Not said whether decisions are automated, profiling included (Art. 13(2)(f)).
    GdprAutomatedDecisions = "gdpr-automated-decisions",
    /// Data without its source (Art. 14(2)(f)).
    GdprSource = "gdpr-source",
    /// The controller's identity does not fit its country: a register number, postal code or
    /// (a warning) phone number of another form (Art. 13(1)(a)).
    GdprIdentity = "gdpr-identity",
    /// Not said which cookies the website uses, or that it uses none.
    GdprCookies = "gdpr-cookies",
    /// A cookie not fully described (ePrivacy Art. 5(3), Planet49).
    GdprCookieIncomplete = "gdpr-cookie-incomplete",
    /// A cookie that needs consent, with no consent purpose.
    GdprCookieConsent = "gdpr-cookie-consent",
    /// A third-party cookie whose provider is no recipient.
    GdprCookieRecipient = "gdpr-cookie-recipient",
    /// Cookies that need consent, but no page where people change their choice.
    GdprCookieSettings = "gdpr-cookie-settings",
    /// The languages state different facts.
    GdprLocalesDiffer = "gdpr-locales-differ",
    /// The record of processing activities lacks a fact (Art. 30(1)).
    GdprRegister = "gdpr-register",
    /// Words the transparency guidelines (WP260) warn against.
    GdprVagueLanguage = "gdpr-vague-language",
    /// A Belgian site in Dutch alone or French alone: the Belgian authority expects the policy in
    /// the languages of the people it addresses.
    GdprBelgianLanguages = "gdpr-belgian-languages",
    /// An archived version polis cannot read: not JSON, a format it does not know, a folder not
    /// named after a date.
    ArchiveInvalid = "archive-invalid",
    /// The facts changed, but site.effective_date is that of an archived version (or before it).
    ArchiveDate = "archive-date",
    /// A text changed in one language since the archived version, and not in another.
    StaleTranslation = "stale-translation",
    /// A waiver names a rule polis does not have.
    UnknownRule = "unknown-rule",
    /// A waiver that matches nothing.
    UnusedWaiver = "unused-waiver",
    /// A finding the site waived, with its reason (a note).
    Waived = "waived",
    /// `polis scan`: a cookie or storage key the site stores that no cookie of site.yaml names.
    ScanUndeclared = "scan-undeclared",
    /// `polis scan`: a cookie that needs consent, stored before anyone chose.
    ScanBeforeConsent = "scan-before-consent",
    /// `polis scan`: a cookie that needs consent, stored after "reject all".
    ScanAfterReject = "scan-after-reject",
    /// `polis scan`: a cookie that lives longer than its `duration`.
    ScanDuration = "scan-duration",
    /// `polis scan`: a declared cookie that no visit saw (a note).
    ScanUnseen = "scan-unseen",
    /// `polis scan`: a third-party host that no recipient names.
    ScanHost = "scan-host",
}

impl Code {
    /// The code printed as `name`, if there is one.
    pub fn named(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// Whether a site may waive findings of this code: the GDPR rules, which a company can have
    /// reasons to depart from, and a translation left as it was on purpose; no others.
    pub fn waivable(self) -> bool {
        self.as_str().starts_with("gdpr-") || self == Code::StaleTranslation
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Code::named(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("no code is named `{name}`")))
    }
}

/// A problem in one place of one file of the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// `error`, `warning` or `note`.
    pub severity: Severity,
    /// The kind of problem: `unknown-key`, `unfilled-field`, ...
    pub code: Code,
    /// The file, relative to the site folder, with `/` separators (`site.yaml`, `content/privacy.nl.md`).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// How many characters of the line the problem covers (at least 1 when a line is known).
    #[serde(skip)]
    pub len: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a place; use the builder methods to add a hint or change the severity.
    pub fn error(
        code: Code,
        file: impl Into<String>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: pos.line,
            column: pos.column,
            len: pos.len.max(1),
            message: message.into(),
            hint: None,
        }
    }

    /// A note at a place: printed, never a failure.
    pub fn note(code: Code, file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Self::error(code, file, pos, message)
        }
    }

    /// A warning at a place.
    pub fn warning(
        code: Code,
        file: impl Into<String>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(code, file, pos, message)
        }
    }

    /// Adds how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A place in a file: 1-based line and column (in characters), and a length in characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Pos {
    /// 1-based line, 0 for "the whole file".
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Characters covered.
    pub len: usize,
}

impl Pos {
    /// A position that covers `len` characters.
    pub fn new(line: usize, column: usize, len: usize) -> Self {
        Pos { line, column, len }
    }

    /// The position of byte `offset` in `text` (which must lie on a char boundary), covering `len` chars.
    pub fn at_offset(text: &str, offset: usize, len: usize) -> Self {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Pos { line, column, len }
    }

    /// The first place `needle` occurs in `text`, if it does.
    pub fn find(text: &str, needle: &str) -> Option<Self> {
        if needle.is_empty() {
            return None;
        }
        text.find(needle)
            .map(|at| Pos::at_offset(text, at, needle.chars().count()))
    }
}

/// The source text of the files diagnostics point into, for printing the offending line.
pub type Sources = BTreeMap<String, String>;

/// The path of `file` (relative to the site folder `root`) from the current folder, as a terminal,
/// an editor or a CI annotation opens it: `mokka/site.yaml`.
pub fn path_from(root: &std::path::Path, file: &str) -> String {
    let prefix = root.to_string_lossy();
    let prefix = prefix.trim_end_matches(['/', std::path::MAIN_SEPARATOR]);
    if prefix.is_empty() || prefix == "." || file.starts_with('<') {
        return file.to_owned();
    }
    format!("{prefix}/{file}")
}

/// `diagnostics` of the site in `root` with their files as [`path_from`] gives them, and the
/// sources of those files under the same names, for the human printer. Every file a run reports
/// is in the site folder (a problem in a text polis ships is reported as `polis-bug` at site.yaml).
pub fn seen_from(
    root: &std::path::Path,
    diagnostics: &[Diagnostic],
    sources: &Sources,
) -> (Vec<Diagnostic>, Sources) {
    let mut seen_sources = Sources::new();
    let seen = diagnostics
        .iter()
        .map(|d| {
            let mut seen = d.clone();
            seen.file = path_from(root, &d.file);
            if let Some(text) = sources.get(&d.file) {
                seen_sources
                    .entry(seen.file.clone())
                    .or_insert_with(|| text.clone());
            }
            seen
        })
        .collect();
    (seen, seen_sources)
}

/// Sorts diagnostics the way every output format lists them: by file, line, column, then code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code.as_str(), &a.message).cmp(&(
            &b.file,
            b.line,
            b.column,
            b.code.as_str(),
            &b.message,
        ))
    });
}

/// Counts errors and warnings (notes are neither).
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let of = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    (of(Severity::Error), of(Severity::Warning))
}

/// One JSON document: `{"version":1,"errors":N,"warnings":N,"diagnostics":[...]}`.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = count(diagnostics);
    let doc = serde_json::json!({
        "version": 1,
        "errors": errors,
        "warnings": warnings,
        "diagnostics": diagnostics,
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("diagnostics serialize");
    out.push('\n');
    out
}

/// GitHub Actions workflow commands, one a line, escaped as the runner expects.
pub fn render_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = format!("file={}", escape_property(&d.file));
        if d.line > 0 {
            let _ = write!(props, ",line={}", d.line);
        }
        if d.column > 0 {
            let _ = write!(props, ",col={}", d.column);
        }
        let _ = write!(
            props,
            ",title={}",
            escape_property(&format!("polis {}", d.code))
        );
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhelp: ");
            message.push_str(hint);
        }
        let _ = writeln!(out, "::{command} {props}::{}", escape_data(&message));
    }
    out
}

/// The runner decodes `%25`, `%0D` and `%0A`; other controls (escape, bell, NUL) it would pass to
/// the log as they are, so they are written as visible escapes.
fn escape_data(s: &str) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    printable(&s).into_owned()
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The closing line of a run: "2 errors, 1 warning".
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = count(diagnostics);
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let notes = diagnostics.len() - errors - warnings;
    let mut line = format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    if notes > 0 {
        line.push_str(&format!(", {}", plural(notes, "note")));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "a: é\nbb: [x\n";
        assert_eq!(Pos::find(text, "[x"), Some(Pos::new(2, 5, 2)));
        assert_eq!(Pos::at_offset(text, 3, 1), Pos::new(1, 4, 1));
    }

    /// README.md's table of codes is the registry users read: every code, in the enum's order.
    #[test]
    fn every_code_is_in_the_readme_table() {
        let readme = include_str!("../../README.md");
        let table = &readme[readme
            .find("| code | meaning |")
            .expect("the table of codes")..];
        let mut documented = Vec::new();
        for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
            let cell = row.split('|').nth(1).unwrap_or_default();
            documented.extend(cell.split('`').skip(1).step_by(2));
        }
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(documented, codes);
        assert!(
            codes
                .iter()
                .all(|c| Code::named(c).is_some_and(|code| code.as_str() == *c))
        );
    }

    #[test]
    fn github_commands_escape_newlines_and_separators() {
        let d = Diagnostic::error(
            Code::UnknownKey,
            "a,b:c.yaml",
            Pos::new(3, 2, 1),
            "50% done\nnext",
        )
        .hint("use x");
        assert_eq!(
            render_github(&[d]),
            "::error file=a%2Cb%3Ac.yaml,line=3,col=2,title=polis unknown-key::50%25 done%0Anext%0Ahelp: use x\n"
        );
    }
}
