//! Checks across site.yaml that decoding one value at a time cannot make: references between
//! sections, and keys that must be unique. Never stops at the first problem.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::decode::nearest;
use crate::model::{Site, Str};

/// Known source keys that need no declaration: the locale packs name them.
pub const KNOWN_SOURCES: &[&str] = &["person", "website", "public", "partners"];

/// Every cross-reference problem in `site`.
pub fn validate(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let source_keys: Vec<&str> = site.sources.iter().map(|s| s.key.value.as_str()).chain(KNOWN_SOURCES.iter().copied()).collect();
    let data_keys: Vec<&str> = site.data.iter().map(|d| d.key.value.as_str()).collect();
    for d in &site.data {
        for s in &d.sources {
            reference(&mut out, s, &source_keys, &format!("data.{}.sources", d.key.value), "source", "sources");
        }
    }
    for (i, p) in site.purposes.iter().enumerate() {
        if site.purposes[..i].iter().any(|o| o.key.value == p.key.value) {
            out.push(
                Diagnostic::error(Code::DuplicateKey, "site.yaml", p.key.pos, format!("two purposes have the key `{}`", p.key.value))
                    .hint("give each purpose its own key"),
            );
        }
        for k in &p.data {
            reference(&mut out, k, &data_keys, &format!("purposes[{i}].data"), "data category", "data");
        }
    }
    let mut cookie_names = std::collections::HashSet::new();
    for c in &site.cookies.list {
        if !cookie_names.insert(c.name.value.as_str()) {
            out.push(
                Diagnostic::error(Code::DuplicateKey, "site.yaml", c.name.pos, format!("the cookie `{}` is listed twice", c.name.value))
                    .hint("list each cookie once"),
            );
        }
    }
    out
}

fn reference(out: &mut Vec<Diagnostic>, key: &Str, known: &[&str], path: &str, what: &str, section: &str) {
    if known.contains(&key.value.as_str()) || key.value.is_empty() {
        return;
    }
    let hint = match nearest(&key.value, known) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("add `{}` under `{section}`, or use one of: {}", key.value, known.join(", ")),
    };
    out.push(
        Diagnostic::error(
            Code::UnknownReference,
            "site.yaml",
            key.pos,
            format!("`{path}` names `{}`, which is no {what} in site.yaml", key.value),
        )
        .hint(hint),
    );
}
