use super::*;

const YAML: &str = "recipients:
  - name: Matomo
    service: statistics
    country: FR
  - name: Fonts Inc.
    service: fonts
    country: BE
    hosts: [fonts.example]
cookies:
  list:
    - name: shop_session
      category: necessary
      duration: session
    - name: _pk_id
      category: statistics
      duration: 13 months
    - name: ab_*
      category: preferences
      duration: 1 day
    - name: never_set
      category: marketing
";

fn site() -> Site {
    let mut problems = Vec::new();
    let root = crate::yaml::parse("site.yaml", YAML, &mut problems).expect("YAML");
    crate::model::decode_site("site.yaml", &root).0
}

fn cookie(name: &str, days: Option<f64>) -> SeenCookie {
    SeenCookie {
        name: name.to_owned(),
        domain: "shop.example".to_owned(),
        path: "/".to_owned(),
        days,
        third_party: false,
        http_only: false,
    }
}

fn line_of(text: &str) -> usize {
    YAML.lines().position(|l| l.contains(text)).expect(text) + 1
}

/// The code and line of each finding.
fn found(visits: Vec<Visit>) -> Vec<(Code, usize)> {
    let obs = Observations { visits };
    findings(&site(), &obs, cookiedb::lookup)
        .iter()
        .map(|d| (d.code, d.line))
        .collect()
}

#[test]
fn each_observation_is_reported_at_its_line_of_site_yaml() {
    let mut first = Visit::new(Moment::BeforeChoice);
    first.cookies = vec![
        cookie("shop_session", None),
        cookie("_pk_id.1.abcd", Some(395.0)),
        cookie("ab_test", Some(3.0)),
        cookie("tracker", Some(1.0)),
    ];
    first.storage = vec![SeenKey {
        origin: "http://shop.example".to_owned(),
        key: "cart".to_owned(),
        session: false,
    }];
    first.hosts = ["cdn.matomo.cloud", "fonts.example", "ads.example"]
        .map(str::to_owned)
        .into();
    assert_eq!(
        found(vec![first]),
        vec![
            (Code::ScanHost, line_of("recipients:")),
            (Code::ScanUndeclared, line_of("cookies:")),
            (Code::ScanUndeclared, line_of("cookies:")),
            (Code::ScanBeforeConsent, line_of("- name: _pk_id")),
            (Code::ScanBeforeConsent, line_of("- name: ab_*")),
            (Code::ScanDuration, line_of("duration: 1 day")),
            (Code::ScanUnseen, line_of("- name: never_set")),
        ]
    );
}

#[test]
fn after_a_reject_a_consent_cookie_is_reported_and_after_accept_it_is_not() {
    let mut rejected = Visit::new(Moment::AfterReject);
    rejected.cookies = vec![cookie("_pk_id.1.abcd", Some(30.0))];
    let mut accepted = Visit::new(Moment::AfterAccept);
    accepted.cookies = vec![
        cookie("_pk_id.1.abcd", Some(30.0)),
        cookie("shop_session", None),
        cookie("ab_x", None),
        cookie("never_set", None),
    ];
    assert_eq!(
        found(vec![rejected, accepted]),
        vec![(Code::ScanAfterReject, line_of("- name: _pk_id"))]
    );
}

#[test]
fn a_known_undeclared_cookie_comes_with_the_databases_facts() {
    let mut visit = Visit::new(Moment::AfterAccept);
    visit.cookies = vec![cookie("_ga", Some(700.0))];
    let obs = Observations {
        visits: vec![visit],
    };
    let all = findings(&site(), &obs, cookiedb::lookup);
    let hint = all[0].hint.as_deref().unwrap_or_default();
    assert!(
        hint.ends_with(
            "`- { name: _ga, provider: Google Analytics, party: first, category: statistics, \
             purpose: \"[fill in: what it does]\", duration: 2 years }`"
        ),
        "{hint}"
    );
}

#[test]
fn a_star_stands_for_any_characters() {
    assert!(glob("ab_*", "ab_test"));
    assert!(glob("*_id", "pk_id"));
    assert!(glob("a*b*c", "a12b34c"));
    assert!(!glob("ab_*", "xab_test"));
    assert!(!glob("a*b*c", "a12c34b"));
}
