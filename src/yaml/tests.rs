//! The tree's positions, scalars, merges and bounds, and the problems it reads on after.

use super::*;

/// The tree of `text` and the problems found reading it.
fn read(text: &str) -> (Option<Node>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    (parse("site.yaml", text, &mut problems), problems)
}

/// The tree of `text`, which has no problem.
fn tree(text: &str) -> Node {
    let (node, problems) = read(text);
    assert_eq!(problems, []);
    node.expect("a tree")
}

/// The one problem of `text`, which gives no tree.
fn refused(text: &str) -> Diagnostic {
    let (node, mut problems) = read(text);
    assert_eq!((node.is_none(), problems.len()), (true, 1), "{problems:?}");
    problems.remove(0)
}

#[test]
fn keeps_positions_of_keys_and_values() {
    let node = tree("a: 1\nb:\n  - x\n");
    let Kind::Map(entries) = node.kind else {
        panic!()
    };
    assert_eq!(entries[1].0.pos, Pos::new(2, 1, 1));
    let Kind::Seq(items) = &entries[1].1.kind else {
        panic!()
    };
    assert_eq!(items[0].pos.line, 3);
    assert_eq!(items[0].kind, Kind::Str("x".into()));
}

#[test]
fn numbers_keep_their_digits() {
    let node = tree("a: 0712\nb: +3291234567\nc: 1e3\n");
    let Kind::Map(entries) = node.kind else {
        panic!()
    };
    let values: Vec<Kind> = entries.into_iter().map(|(_, v)| v.kind).collect();
    assert_eq!(
        values,
        [
            Kind::Number("0712".into()),
            Kind::Number("+3291234567".into()),
            Kind::Number("1e3".into())
        ]
    );
}

/// A key given twice is named at the second, and the tree reads on with the first value.
#[test]
fn a_duplicate_key_is_named_and_its_first_value_kept() {
    let (node, problems) = read("site:\n  theme: a\n  theme: [b, c]\n  name: d\n");
    let codes: Vec<_> = problems
        .iter()
        .map(|d| (d.code, d.line, d.column))
        .collect();
    assert_eq!(codes, [(Code::DuplicateKey, 3, 3)]);
    assert_eq!(
        problems[0].message,
        "`theme` is given twice in the same mapping"
    );
    let site = node.as_ref().and_then(|n| n.get("site")).expect("the tree");
    assert_eq!(
        site.get("theme").map(|n| &n.kind),
        Some(&Kind::Str("a".into()))
    );
    assert_eq!(
        site.get("name").map(|n| &n.kind),
        Some(&Kind::Str("d".into()))
    );
}

/// Wherever in a long file a problem is, it is the one reported, at its line.
#[test]
fn a_long_file_reports_its_problems_wherever_they_are() {
    let items: String = (0..10_000)
        .map(|i| format!("k{i}: {{ nl: a, en: b }}\n"))
        .collect();
    // A duplicate at the start, with tens of thousands of events still to read.
    let (node, problems) = read(&format!("k0: x\n{items}"));
    let found: Vec<_> = problems.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(found, [(Code::DuplicateKey, 2)]);
    assert!(node.is_some());
    // A syntax error at the end.
    let d = refused(&format!("{items}broken: [a\nb: c\n"));
    assert_eq!((d.code, d.line), (Code::YamlSyntax, 10_002));
    // And a file without a problem is read to its end.
    let Kind::Map(entries) = tree(&items).kind else {
        panic!()
    };
    assert_eq!(
        (
            entries.len(),
            entries[9_999].0.name.as_str(),
            entries[9_999].0.pos.line
        ),
        (10_000, "k9999", 10_000)
    );
}

fn values(text: &str) -> Vec<Kind> {
    let Kind::Map(entries) = tree(text).kind else {
        panic!()
    };
    entries.into_iter().map(|(_, v)| v.kind).collect()
}

#[test]
fn scalars_follow_yaml_1_2_so_no_is_a_word() {
    let kinds = values("a: NO\nb: yes\nc: true\nd: ~\ne: '12'\nf: !!str 12\ng: 1_000\nh: .5\n");
    let s = |v: &str| Kind::Str(v.into());
    assert_eq!(
        kinds,
        [
            s("NO"),
            s("yes"),
            Kind::Bool(true),
            Kind::Null,
            s("12"),
            s("12"),
            s("1_000"),
            Kind::Number(".5".into())
        ]
    );
}

#[test]
fn merge_keys_add_what_the_mapping_does_not_say_itself() {
    let node = tree("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n");
    let Kind::Map(entries) = node.kind else {
        panic!()
    };
    let Kind::Map(item) = &entries[1].1.kind else {
        panic!()
    };
    let pairs: Vec<(&str, &Kind)> = item
        .iter()
        .map(|(k, v)| (k.name.as_str(), &v.kind))
        .collect();
    assert_eq!(
        pairs,
        [
            ("y", &Kind::Number("3".into())),
            ("x", &Kind::Number("1".into()))
        ]
    );
}

#[test]
fn aliases_repeat_their_anchor_within_a_budget() {
    let Kind::Seq(items) = &values("a: &x [1, 2]\nb: *x\n")[1] else {
        panic!("the alias is the list")
    };
    assert_eq!(
        items.iter().map(|i| &i.kind).collect::<Vec<_>>(),
        [&Kind::Number("1".into()), &Kind::Number("2".into())]
    );
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..7 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    let d = refused(&bomb);
    assert_eq!(
        (d.code, d.line),
        (Code::YamlLimit, 5),
        "10 × 11,111 nodes is over the budget"
    );
}

#[test]
fn an_alias_without_its_anchor_says_how_to_write_text() {
    let d = refused("a: 1\nlegal_form: *BV\n");
    assert_eq!(
        (d.code, d.line, d.column, d.len),
        (Code::YamlSyntax, 2, 13, 3)
    );
    assert_eq!(
        d.message,
        "`*BV` repeats a value marked `&BV`, but no value has that mark"
    );
    assert!(
        d.hint.as_deref().is_some_and(|h| h.contains("\"*BV\"")),
        "{:?}",
        d.hint
    );
}

#[test]
fn a_second_document_is_refused() {
    let d = refused("a: 1\n---\nb: 2\n");
    assert_eq!((d.code, d.line), (Code::YamlSyntax, 2));
}

/// A list as a key is named, and the tree is read without it and its value.
#[test]
fn a_list_as_key_is_left_out() {
    let (node, problems) = read("? [a, b]\n: 1\nc: 2\n");
    assert_eq!(
        problems
            .iter()
            .map(|d| (d.code, d.line))
            .collect::<Vec<_>>(),
        [(Code::YamlSyntax, 1)]
    );
    let Some(Kind::Map(entries)) = node.map(|n| n.kind) else {
        panic!("a mapping")
    };
    assert_eq!(
        entries
            .iter()
            .map(|(k, _)| k.name.as_str())
            .collect::<Vec<_>>(),
        ["c"]
    );
}
