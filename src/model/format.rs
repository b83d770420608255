//! The forms a value must have to be used as it is: an e-mail address for a `mailto:` link, a web
//! address for a link. The decoder checks values with them; the page checks check links with them.

/// name@domain.tld: one `@`, a dotted domain with a final label of two or more letters, and a name
/// of letters, digits and the few signs addresses use. An address, not a URL: `?`, `&`, `%` and `#`
/// would let the value add recipients or a body to the `mailto:` link made from it.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    let local_ok = |c: char| c.is_alphanumeric() || ".!$'*+-/=^_`{|}~".contains(c);
    !local.is_empty()
        && local.chars().all(local_ok)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic))
}

/// An absolute http(s) URL with a dotted host and no spaces.
pub fn is_web_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    host.contains('.')
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
}
