//! Decoding what the company does with personal data: its sources, data categories,
//! purposes, recipients, rights, cookies, automated decisions, documents and waivers.

use super::decode::{Cx, Map, Str, is_unfilled, nearest};
use super::*;
use crate::diagnostics::Code;
use crate::yaml::{Kind, Node};

use super::values::*;

pub(super) fn sources(cx: &mut Cx, node: &Node, path: &str) -> Vec<Source> {
    let entries = cx.entries(node, path);
    entries
        .iter()
        .map(|(k, v)| {
            let p = format!("{path}.{}", k.name);
            let key = key_of(cx, k, path);
            let Some(m) = cx.map(v, &p, &["name", "description", "public"]) else {
                return Source {
                    key,
                    ..Source::default()
                };
            };
            Source {
                key,
                name: cx.optional(&m, "name", text),
                description: cx.optional(&m, "description", text),
                public: cx.optional(&m, "public", |cx, n, p| cx.boolean(n, p)),
            }
        })
        .collect()
}

pub(super) fn data(cx: &mut Cx, node: &Node, path: &str) -> Vec<DataCategory> {
    let entries = cx.entries(node, path);
    entries
        .iter()
        .map(|(k, v)| {
            let p = format!("{path}.{}", k.name);
            let key = key_of(cx, k, path);
            let Some(m) = cx.map(v, &p, &["name", "description", "sources", "retention"]) else {
                return DataCategory {
                    key,
                    ..DataCategory::default()
                };
            };
            DataCategory {
                key,
                name: cx.optional(&m, "name", text),
                description: cx.optional(&m, "description", text),
                sources: cx.optional(&m, "sources", key_list).unwrap_or_default(),
                retention: cx.optional(&m, "retention", retention),
            }
        })
        .collect()
}

pub(super) fn key_list(cx: &mut Cx, node: &Node, path: &str) -> Vec<Str> {
    match node.kind {
        Kind::Str(_) => vec![cx.string(node, path)],
        _ => cx.list(node, path, |cx, n, p| cx.string(n, p)),
    }
}

pub(super) fn retention(cx: &mut Cx, node: &Node, path: &str) -> Retention {
    let Some(m) = cx.map(node, path, &["period", "from", "rule"]) else {
        return Retention::Rule(Text::default());
    };
    if let Some(rule) = cx.optional(&m, "rule", text) {
        for key in ["period", "from"] {
            if let Some(n) = m.get(key) {
                let message = format!("`{path}` has both a `{key}` and a `rule`");
                cx.error(
                    Code::InvalidValue,
                    n.pos,
                    message,
                    "give a period with `from`, or a rule in words, not both",
                );
            }
        }
        return Retention::Rule(rule);
    }
    let period = cx.required(&m, "period", |cx, n, p| period(cx, n, p, false));
    let from = cx.required(&m, "from", text);
    Retention::Period {
        period,
        from,
        pos: m.pos,
    }
}

pub(super) fn purpose(cx: &mut Cx, node: &Node, path: &str) -> Purpose {
    let Some(mut m) = cx.map(
        node,
        path,
        &[
            "key",
            "name",
            "description",
            "basis",
            "interest",
            "profiling",
            "data",
            "subjects",
        ],
    ) else {
        return Purpose::default();
    };
    let key = cx.required(&m, "key", |cx, n, p| {
        let s = cx.string(n, p);
        if !is_key(&s.value) && !is_unfilled(&s.value) {
            cx.error(
                Code::InvalidValue,
                s.pos,
                format!("`{}` is not a valid key for `{p}`", s.value),
                "use lowercase letters, digits and `_`, e.g. `newsletter`",
            );
        }
        s
    });
    // The purpose is named by its key from here on: `purposes.credit.interest`, not `purposes[2]`.
    if is_key(&key.value) {
        m.path = format!("purposes.{}", key.value);
    }
    Purpose {
        key,
        name: cx.required(&m, "name", text),
        description: cx.optional(&m, "description", text),
        basis: cx.optional(&m, "basis", |cx, n, p| cx.choice(n, p, &LegalBasis::ALL)),
        basis_pos: m.get("basis").map_or(m.pos, |n| n.pos),
        interest: cx.optional(&m, "interest", text),
        profiling: cx.optional(&m, "profiling", text),
        data: cx.optional(&m, "data", key_list).unwrap_or_default(),
        subjects: cx.optional(&m, "subjects", text),
    }
}

pub(super) fn recipient(cx: &mut Cx, node: &Node, path: &str) -> Recipient {
    let known = [
        "name",
        "category",
        "role",
        "service",
        "country",
        "region",
        "safeguard",
        "derogation",
        "purposes",
        "hosts",
    ];
    let Some(mut m) = cx.map(node, path, &known) else {
        return Recipient::default();
    };
    // One party by its name, or a category of recipients (GDPR Art. 13(1)(e) allows either).
    let is_category = m.get("category").is_some() && m.get("name").is_none();
    let name = if is_category {
        cx.required(&m, "category", text)
    } else {
        cx.required(&m, "name", text)
    };
    if let (Some(_), Some(n)) = (m.get("name"), m.get("category")) {
        cx.error(
            Code::InvalidValue,
            n.pos,
            "a recipient has a `name` or a `category`, not both",
            "keep one of them",
        );
    }
    m.path = item_path(path, name.all().next());
    // One country, or for a category a region; not both.
    let region = cx.optional(&m, "region", |cx, n, p| cx.choice(n, p, &Region::ALL));
    let country = match (region, m.get("country")) {
        (Some(_), Some(n)) => {
            cx.error(
                Code::InvalidValue,
                n.pos,
                "a recipient has a `country` or a `region`, not both",
                "keep one of them",
            );
            Str::default()
        }
        (Some(_), None) => Str::default(),
        (None, _) => cx.required(&m, "country", country),
    };
    Recipient {
        name,
        is_category,
        role: cx
            .optional(&m, "role", |cx, n, p| {
                cx.choice(
                    n,
                    p,
                    &[
                        ("processor", Role::Processor),
                        ("controller", Role::Controller),
                    ],
                )
            })
            .unwrap_or_default(),
        service: cx.required(&m, "service", text),
        country,
        region,
        safeguard: cx.optional(&m, "safeguard", |cx, n, p| {
            (cx.choice(n, p, &Safeguard::ALL), n.pos)
        }),
        derogation: cx.optional(&m, "derogation", text),
        purposes: cx.optional(&m, "purposes", key_list),
        hosts: cx.optional(&m, "hosts", key_list).unwrap_or_default(),
    }
}

pub(super) fn rights(cx: &mut Cx, node: &Node, path: &str) -> Rights {
    let Some(m) = cx.map(node, path, &["response_time", "limits"]) else {
        return Rights::default();
    };
    Rights {
        response_time: cx.optional(&m, "response_time", response_time),
        limits: cx.optional(&m, "limits", text),
    }
}

/// How long the company takes to answer a request: at most the one month of GDPR Art. 12(3).
pub(super) fn response_time(cx: &mut Cx, node: &Node, path: &str) -> (Period, Pos) {
    let period = period(cx, node, path, false);
    let days = match period {
        Period::Span(n, Unit::Day) => u64::from(n),
        Period::Span(n, Unit::Week) => u64::from(n) * 7,
        Period::Span(n, Unit::Month) => u64::from(n) * 30,
        Period::Span(n, Unit::Year) => u64::from(n) * 365,
        _ => 0,
    };
    let law = "GDPR Art. 12(3) gives one month, which two more months can extend only for complex or many requests \
               (the policies say so)";
    if days > 31 || matches!(period, Period::Span(n, Unit::Month) if n > 1) {
        cx.error(
            Code::InvalidValue,
            node.pos,
            format!("`{path}` is longer than the law allows: {law}"),
            "write `response_time: 1 month`, or less",
        );
    } else if days >= 28 && !matches!(period, Period::Span(_, Unit::Month)) {
        cx.warning(
            Code::InvalidValue,
            node.pos,
            format!("`{path}` counts days where the law says one month (GDPR Art. 12(3))"),
            "write `response_time: 1 month`: a month is not always 30 days",
        );
    }
    (period, node.pos)
}

pub(super) fn authority(cx: &mut Cx, node: &Node, path: &str) -> Authority {
    let Some(m) = cx.map(node, path, &["name", "url", "address", "email"]) else {
        return Authority::default();
    };
    Authority {
        name: cx.required(&m, "name", text),
        url: cx.required(&m, "url", localized_url),
        address: cx.optional(&m, "address", text),
        email: cx.optional(&m, "email", email),
    }
}

pub(super) fn cookies(cx: &mut Cx, node: &Node, path: &str) -> Cookies {
    let pos = cx.owner_pos(node);
    if let Some(declared) = none_or(cx, node, path) {
        return Cookies {
            declared,
            pos,
            ..Cookies::default()
        };
    }
    let Some(m) = cx.map(
        node,
        path,
        &[
            "settings_url",
            "settings",
            "consent",
            "consent_cookie",
            "consent_mode",
            "list",
        ],
    ) else {
        return Cookies::default();
    };
    let list = cx
        .optional(&m, "list", |cx, n, p| cx.list(n, p, cookie))
        .unwrap_or_default();
    Cookies {
        declared: if list.is_empty() {
            Declared::Silent
        } else {
            Declared::Listed
        },
        settings_url: cx.optional(&m, "settings_url", localized_url),
        settings: settings(cx, &m),
        consent: cx.optional(&m, "consent", |cx, n, p| {
            cx.choice(
                n,
                p,
                &[
                    ("per_category", ConsentChoice::PerCategory),
                    ("all_or_nothing", ConsentChoice::AllOrNothing),
                ],
            )
        }),
        consent_cookie: cx.optional(&m, "consent_cookie", |cx, n, p| cx.string(n, p)),
        consent_mode: cx
            .optional(&m, "consent_mode", consent_mode)
            .unwrap_or_default(),
        list,
        pos: m.pos,
    }
}

pub(super) fn automated_decisions(cx: &mut Cx, node: &Node, path: &str) -> AutomatedDecisions {
    match none_or(cx, node, path) {
        Some(Declared::None) => AutomatedDecisions::None,
        Some(_) => AutomatedDecisions::Unspecified,
        None => {
            let list = cx.list(node, path, |cx, n, p| {
                let Some(m) = cx.map(n, p, &["decision", "logic", "consequences", "profiling"])
                else {
                    return AutomatedDecision::default();
                };
                AutomatedDecision {
                    decision: cx.required(&m, "decision", text),
                    logic: cx.required(&m, "logic", text),
                    consequences: cx.required(&m, "consequences", text),
                    profiling: cx
                        .optional(&m, "profiling", |cx, n, p| cx.boolean(n, p))
                        .unwrap_or(false),
                }
            });
            if list.is_empty() {
                AutomatedDecisions::Unspecified
            } else {
                AutomatedDecisions::Some(list)
            }
        }
    }
}

/// `cookies.consent_mode`: for each cookie category, the Consent Mode signals its consent grants.
fn consent_mode(cx: &mut Cx, node: &Node, path: &str) -> Vec<ConsentMode> {
    let keys = CookieCategory::ALL.map(|(key, _)| key);
    let Some(m) = cx.map(node, path, &keys) else {
        return Vec::new();
    };
    m.entries()
        .iter()
        .filter_map(|(key, value)| {
            let category = CookieCategory::parse(&key.name)?;
            let p = format!("{path}.{}", key.name);
            let signals = cx.list(value, &p, |cx, n, p| {
                (cx.choice(n, p, &ConsentSignal::ALL), n.pos)
            });
            Some(ConsentMode {
                category,
                signals,
                pos: key.pos,
            })
        })
        .collect()
}

/// `cookies.settings`: how people reopen their choice when no page of `settings_url` does it;
/// one of the two, not both.
fn settings(cx: &mut Cx, m: &Map<'_>) -> Option<CookieSettings> {
    let settings = cx.optional(m, "settings", |cx, n, p| {
        cx.choice(n, p, &[("banner", CookieSettings::Banner)])
    })?;
    if let (Some((key, _)), Some(_)) = (m.entry("settings"), m.get("settings_url")) {
        cx.error(
            Code::InvalidValue,
            key.pos,
            "`cookies` has both `settings: banner` and `settings_url`: people reopen their choice on that page or with the banner, not both",
            "keep `settings_url:` when the site has a page for the choice, or `settings: banner` when the banner's own link reopens it",
        );
    }
    Some(settings)
}

/// A measure polis knows by key, or one in the site's own words.
pub(super) fn measure(cx: &mut Cx, node: &Node, path: &str) -> Measure {
    match &node.kind {
        Kind::Str(_) => {
            let s = cx.string(node, path);
            if !is_unfilled(&s.value) && !crate::facts::KNOWN_MEASURES.contains(&s.value.as_str()) {
                let near = nearest(&s.value, crate::facts::KNOWN_MEASURES)
                    .map_or(String::new(), |n| format!("did you mean `{n}`? "));
                let hint = format!(
                    "{near}write the measure in your own words, `{{ nl: ..., en: ... }}`, or name one polis words for you; the \
                     choices are: {}",
                    crate::facts::KNOWN_MEASURES.join(", ")
                );
                cx.error(
                    Code::InvalidValue,
                    s.pos,
                    format!("`{}` is not a security measure polis knows", s.value),
                    hint,
                );
            }
            Measure::Known(s)
        }
        _ => Measure::Own(text(cx, node, path)),
    }
}

pub(super) fn cookie(cx: &mut Cx, node: &Node, path: &str) -> Cookie {
    let known = [
        "name", "type", "provider", "party", "category", "purpose", "duration", "country",
    ];
    let Some(mut m) = cx.map(node, path, &known) else {
        return Cookie::default();
    };
    let name = cx.required(&m, "name", |cx, n, p| cx.string(n, p));
    m.path = item_path(path, Some(&name.value));
    let mut duration_pos = Pos::default();
    Cookie {
        name,
        provider: cx.optional(&m, "provider", text),
        party: cx.optional(&m, "party", |cx, n, p| {
            cx.choice(n, p, &[("first", Party::First), ("third", Party::Third)])
        }),
        category: cx.optional(&m, "category", |cx, n, p| {
            cx.choice(n, p, &CookieCategory::ALL)
        }),
        purpose: cx.optional(&m, "purpose", text),
        duration: cx.optional(&m, "duration", |cx, n, p| {
            duration_pos = n.pos;
            period(cx, n, p, true)
        }),
        kind: cx.optional(&m, "type", |cx, n, p| cx.choice(n, p, &CookieKind::ALL)),
        country: cx.optional(&m, "country", country),
        duration_pos,
        pos: m.pos,
    }
}

pub(super) fn documents(cx: &mut Cx, node: &Node, path: &str) -> Vec<Document> {
    let entries = cx.entries(node, path);
    entries
        .iter()
        .map(|(k, v)| {
            let p = format!("{path}.{}", k.name);
            let key = key_of(cx, k, path);
            let Some(m) = cx.map(v, &p, &["title", "url", "about"]) else {
                return Document {
                    key,
                    ..Document::default()
                };
            };
            Document {
                key,
                title: cx.required(&m, "title", text),
                url: cx.required(&m, "url", localized_url),
                about: cx.optional(&m, "about", text),
            }
        })
        .collect()
}

pub(super) fn waiver(cx: &mut Cx, node: &Node, path: &str) -> Waiver {
    let Some(m) = cx.map(node, path, &["rule", "at", "reason"]) else {
        return Waiver::default();
    };
    let rule = cx.required(&m, "rule", |cx, n, p| cx.string(n, p));
    Waiver {
        code: Code::named(&rule.value),
        rule,
        at: cx.optional(&m, "at", |cx, n, p| cx.string(n, p)),
        reason: cx.required(&m, "reason", |cx, n, p| cx.string(n, p)),
    }
}

/// `scan:`, the selectors of the banner's buttons that `polis scan` presses.
pub(super) fn scan(cx: &mut Cx, node: &Node, path: &str) -> Scan {
    let Some(m) = cx.map(node, path, &["accept", "reject"]) else {
        return Scan::default();
    };
    Scan {
        accept: cx.required(&m, "accept", |cx, n, p| cx.string(n, p)),
        reject: cx.required(&m, "reject", |cx, n, p| cx.string(n, p)),
    }
}
