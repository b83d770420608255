//! Reading text as a reader sees it, for every stage that looks at words: render takes the visible
//! text of each page, the page checks and the GDPR rules find words and names in it.

/// The text a reader sees: tags removed, entities decoded, scripts and styles left out.
pub fn visible_text(html: &str) -> String {
    let body = html.find("<body").map_or(html, |i| &html[i..]);
    let mut text = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let tag = &rest[open..];
        let skip_to = if tag.starts_with("<style") {
            tag.find("</style>")
        } else if tag.starts_with("<script") {
            tag.find("</script>")
        } else {
            None
        };
        let close = skip_to.map_or_else(|| tag.find('>'), |s| tag[s..].find('>').map(|e| s + e));
        match close {
            Some(end) => {
                text.push(' ');
                rest = &tag[end + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    text.push_str(rest);
    decode_entities(&text)
}

/// `s` with the character references HTML writes (`&amp;`, `&#39;`, `&#x2F;`) decoded.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| match &tail[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The words of `text` (runs of characters for which `is_word` holds), with their byte offsets.
/// ASCII is judged byte by byte; only other characters are decoded.
pub fn word_spans(
    text: &str,
    is_word: impl Fn(char) -> bool + Copy,
) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let word_at = |i: usize| -> (bool, usize) {
            let b = bytes[i];
            if b.is_ascii() {
                (is_word(char::from(b)), 1)
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                (is_word(c), c.len_utf8())
            }
        };
        while at < bytes.len() {
            let (word, len) = word_at(at);
            if word {
                break;
            }
            at += len;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() {
            let (word, len) = word_at(at);
            if !word {
                break;
            }
            at += len;
        }
        Some((start, &text[start..at]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_skips_tags_and_decodes() {
        assert_eq!(
            visible_text("<body><p>a &amp; <b>b</b></p><style>x{}</style>c</body>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["a", "&", "b", "c"]
        );
    }
}
