//! Observations collected elsewhere, read as one visit before any choice: a HAR file (what a
//! browser's developer tools save), or the `inspection.json` of the EDPS Website Evidence
//! Collector. docs/scan.md lists the fields read; every other field is ignored.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use serde_json::Value;

use super::ScanError;
use super::findings::{Moment, Observations, SeenCookie, SeenKey, Visit};

/// The largest file of evidence polis reads.
pub const MAX_BYTES: u64 = 64 << 20;

/// The observations of the evidence in `file`.
pub fn read(file: &Path) -> Result<Observations, ScanError> {
    let shown = file.display();
    let opened = std::fs::File::open(file)
        .map_err(|e| ScanError::Evidence(format!("cannot read {shown}: {e}")))?;
    let mut text = String::new();
    opened
        .take(MAX_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| ScanError::Evidence(format!("cannot read {shown}: {e}")))?;
    if text.len() as u64 > MAX_BYTES {
        return Err(ScanError::Evidence(format!(
            "{shown} is larger than 64 MiB; polis reads evidence up to that size"
        )));
    }
    parse(&text).map_err(|why| ScanError::Evidence(format!("{shown}: {why}")))
}

/// The observations of a HAR or an inspection.json, told apart by their shape.
pub fn parse(text: &str) -> Result<Observations, String> {
    let json: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let visit = if json.get("log").is_some() {
        har(&json)
    } else if json.get("cookies").is_some() || json.get("uri_ins").is_some() {
        inspection(&json)
    } else {
        return Err(
            "neither a HAR file (`log`) nor a Website Evidence Collector inspection.json \
             (`cookies`, `uri_ins`)"
                .to_owned(),
        );
    };
    Ok(Observations {
        visits: vec![visit],
    })
}

/// Whether `domain` belongs to `host`'s site: the same, a subdomain, or a parent domain.
fn same_site(host: &str, domain: &str) -> bool {
    let domain = domain.trim_start_matches('.').to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    host == domain || host.ends_with(&format!(".{domain}")) || domain.ends_with(&format!(".{host}"))
}

fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .and_then(|u| u.host_str().map(str::to_owned))
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A HAR: cookies from responses' `Set-Cookie` headers (and names sent in requests' `Cookie`),
/// hosts from requests' URLs; the site is the host of the first request.
fn har(json: &Value) -> Visit {
    let entries = json.get("log").map_or(&[][..], |log| array(log, "entries"));
    let site = entries
        .first()
        .and_then(|e| e.get("request"))
        .and_then(|r| host_of(str_at(r, "url")))
        .unwrap_or_default();
    let mut visit = Visit::new(Moment::BeforeChoice);
    let mut sent = BTreeSet::new();
    for entry in entries {
        let request = entry.get("request").unwrap_or(&Value::Null);
        let host = host_of(str_at(request, "url")).unwrap_or_default();
        if !host.is_empty() && !same_site(&site, &host) {
            visit.hosts.insert(host.clone());
        }
        let started = parse_date(str_at(entry, "startedDateTime"));
        let response = entry.get("response").unwrap_or(&Value::Null);
        for header in headers(response, "set-cookie") {
            for line in header.lines() {
                if let Some(c) = set_cookie(line, &host, &site, started) {
                    visit
                        .cookies
                        .retain(|k| (&k.name, &k.domain) != (&c.name, &c.domain));
                    visit.cookies.push(c);
                }
            }
        }
        for header in headers(request, "cookie") {
            for pair in header.split(';') {
                let name = pair.split('=').next().unwrap_or("").trim();
                if !name.is_empty() {
                    sent.insert((name.to_owned(), host.clone()));
                }
            }
        }
    }
    for (name, host) in sent {
        if !visit.cookies.iter().any(|c| c.name == name) {
            visit.cookies.push(SeenCookie {
                name,
                third_party: !same_site(&site, &host),
                domain: host,
                path: "/".to_owned(),
                days: None,
                http_only: false,
            });
        }
    }
    visit
}

/// The values of the headers of `message` named `name` (in any case).
fn headers<'a>(message: &'a Value, name: &str) -> impl Iterator<Item = &'a str> {
    array(message, "headers")
        .iter()
        .filter(move |h| str_at(h, "name").eq_ignore_ascii_case(name))
        .map(|h| str_at(h, "value"))
}

/// One `Set-Cookie` header, received from `host` at `now` (seconds since 1970).
fn set_cookie(line: &str, host: &str, site: &str, now: Option<f64>) -> Option<SeenCookie> {
    let mut parts = line.split(';');
    let name = parts.next()?.split('=').next()?.trim().to_owned();
    if name.is_empty() {
        return None;
    }
    let mut cookie = SeenCookie {
        name,
        domain: host.to_owned(),
        path: "/".to_owned(),
        days: None,
        third_party: false,
        http_only: false,
    };
    let (mut max_age, mut expires) = (None, None);
    for attribute in parts {
        let (key, value) = attribute.split_once('=').unwrap_or((attribute, ""));
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "domain" => cookie.domain = value.to_owned(),
            "path" => cookie.path = value.to_owned(),
            "httponly" => cookie.http_only = true,
            "max-age" => max_age = value.parse::<f64>().ok(),
            "expires" => expires = parse_date(value),
            _ => {}
        }
    }
    cookie.days = match (max_age, expires, now) {
        (Some(seconds), _, _) => Some((seconds / 86_400.0).max(0.0)),
        (None, Some(at), Some(now)) => Some(((at - now) / 86_400.0).max(0.0)),
        _ => None,
    };
    cookie.third_party = !same_site(site, &cookie.domain);
    Some(cookie)
}

/// An inspection.json of the EDPS Website Evidence Collector: `cookies[]`, `localStorage` by
/// origin, and `hosts.requests.thirdParty`.
fn inspection(json: &Value) -> Visit {
    let mut visit = Visit::new(Moment::BeforeChoice);
    for c in array(json, "cookies") {
        let session = c.get("session").and_then(Value::as_bool).unwrap_or(false);
        let days = c.get("expiresDays").and_then(Value::as_f64);
        visit.cookies.push(SeenCookie {
            name: str_at(c, "name").to_owned(),
            domain: str_at(c, "domain").to_owned(),
            path: str_at(c, "path").to_owned(),
            days: if session { None } else { days },
            third_party: !c
                .get("firstPartyStorage")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            http_only: c.get("httpOnly").and_then(Value::as_bool).unwrap_or(false),
        });
    }
    if let Some(origins) = json.get("localStorage").and_then(Value::as_object) {
        for (origin, keys) in origins {
            for key in keys.as_object().into_iter().flat_map(|k| k.keys()) {
                visit.storage.push(SeenKey {
                    origin: origin.clone(),
                    key: key.clone(),
                    session: false,
                });
            }
        }
    }
    let third = json
        .pointer("/hosts/requests/thirdParty")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for host in third.iter().filter_map(Value::as_str) {
        visit.hosts.insert(host.to_owned());
    }
    visit
}

/// Seconds since 1970 of an ISO 8601 date and time (`2026-12-07T20:15:00.000Z`, HAR's) or an
/// HTTP date (`Mon, 07 Dec 2026 20:15:00 GMT`, `Set-Cookie`'s); `None` for anything else.
fn parse_date(text: &str) -> Option<f64> {
    let text = text.trim();
    let iso = text.starts_with(|c: char| c.is_ascii_digit());
    let (date, time) = if let Some((d, t)) = text.split_once('T').filter(|_| iso) {
        let (y, rest) = d.split_once('-')?;
        let (m, d) = rest.split_once('-')?;
        ((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?), t)
    } else {
        let words: Vec<&str> = text.split([' ', '-']).filter(|w| !w.is_empty()).collect();
        let [_, day, month, year, time, ..] = words[..] else {
            return None;
        };
        const MONTHS: [&str; 12] = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        let month = MONTHS
            .iter()
            .position(|m| month.to_ascii_lowercase().starts_with(m))?;
        let year: i64 = year.parse().ok()?;
        let year = if year < 100 { year + 2000 } else { year };
        ((year, month as i64 + 1, day.parse().ok()?), time)
    };
    let clock: Vec<f64> = time
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .split(['+', 'Z'])
        .next()?
        .split(':')
        .map(|p| p.parse::<f64>().unwrap_or(0.0))
        .collect();
    let seconds = clock.first()? * 3600.0
        + clock.get(1).unwrap_or(&0.0) * 60.0
        + clock.get(2).unwrap_or(&0.0);
    Some(days_from_civil(date.0, date.1, date.2) as f64 * 86_400.0 + seconds)
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_date_forms_read_as_the_same_second() {
        let iso = parse_date("2026-12-07T20:15:00.000Z").expect("ISO");
        let http = parse_date("Mon, 07 Dec 2026 20:15:00 GMT").expect("HTTP date");
        assert_eq!(iso, http);
        assert_eq!(parse_date("1970-01-02T00:00:00Z"), Some(86_400.0));
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn a_set_cookie_header_gives_its_life_in_days() {
        let now = parse_date("2026-12-07T00:00:00Z");
        let c = set_cookie(
            "a=1; Max-Age=172800; Path=/; HttpOnly",
            "x.example",
            "x.example",
            now,
        )
        .expect("a cookie");
        assert_eq!(
            (c.days, c.http_only, c.third_party),
            (Some(2.0), true, false)
        );
        let c = set_cookie(
            "b=2; Expires=Thu, 10 Dec 2026 00:00:00 GMT; Domain=.ads.example",
            "ads.example",
            "x.example",
            now,
        )
        .expect("a cookie");
        assert_eq!((c.days, c.third_party), (Some(3.0), true));
        let c = set_cookie("s=1", "x.example", "x.example", now).expect("a cookie");
        assert_eq!(c.days, None);
    }

    #[test]
    fn neither_shape_is_refused() {
        assert!(parse("{}").unwrap_err().contains("neither a HAR file"));
        assert!(parse("[").unwrap_err().starts_with("not JSON"));
    }
}
