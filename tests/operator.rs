//! The operator API (issue #17) as the bindings will call it: policy tests,
//! problems, lints, diff, stats.

use linkpolicy::{
    Action, Context, Diff, DiffContext, LintKind, Policy, PolicyBuilder, PolicyTest, Request,
    SAMPLE_POLICY, Stats,
};

#[test]
fn json_policies_carry_tests() {
    let p = Policy::from_json_str(
        r#"{"version": 1, "rule": [{"id": "r", "action": "block", "domain": "evil.example"}],
            "test": [{"name": "t", "link": "https://evil.example/", "expect": "block", "rule": "r"},
                     {"link": "https://example.org/", "chat": "group", "members": 3, "user": "u",
                      "prefs": {"mode": "ask"}, "expect": "block", "reason": "default"}]}"#,
    )
    .unwrap();
    assert_eq!(p.tests().len(), 2);
    assert_eq!(
        p.tests()[1].context(),
        &Context::group(3)
            .with_user("u")
            .with_prefs(linkpolicy::Prefs::new().with_mode(linkpolicy::Mode::Ask))
    );
    let report = p.run_tests();
    assert!(report.passed(), "{:?}", report.outcomes);
    assert!(report.coverage.is_complete());
}

#[test]
fn builder_tests_are_checked_when_building() {
    let mut b = Policy::builder();
    b.test(PolicyTest::new("x", Context::one_to_one(), Action::Block).with_reason("nope"));
    b.test(PolicyTest::new("x", Context::one_to_one(), Action::Block).with_rule("missing:3"));
    let err = b.build().unwrap_err();
    assert_eq!(err.len(), 2);
    let fields: Vec<_> = err
        .errors()
        .map(|e| e.field().unwrap_or("").to_owned())
        .collect();
    assert_eq!(fields, ["reason", "rule"]);
}

#[test]
fn every_reason_kind_is_listed() {
    // The kinds a verdict of the sample gives are all in Reason::KINDS.
    let p = Policy::from_toml_str(SAMPLE_POLICY).unwrap();
    for line in include_str!("../examples/links.txt").lines() {
        let v = Request::parse(line).unwrap().classify(&p);
        for r in v.reasons() {
            assert!(
                linkpolicy::Reason::KINDS.contains(&r.kind()),
                "{}",
                r.kind()
            );
        }
    }
    let mut kinds = linkpolicy::Reason::KINDS.to_vec();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), linkpolicy::Reason::KINDS.len());
}

#[test]
fn problems_of_json_and_of_a_good_policy() {
    let problems = PolicyBuilder::json_problems(
        r#"{"version": 1, "defaults": {"group": "wran"}, "rule": [{"id": "a", "action": "block"}, {"id": "b", "action": "block", "domian": "x"}]}"#,
    );
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 3, "{text:?}");
    assert!(text.iter().any(|t| t.contains("`wran`")));
    assert!(
        text.iter()
            .any(|t| t.contains("`domian`") && t.contains("rule `b` (#1)"))
    );
    // A matcher missing is a build error: once the shapes read, reported too.
    assert!(PolicyBuilder::toml_problems(SAMPLE_POLICY).is_empty());
    let build =
        PolicyBuilder::toml_problems("version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\n");
    assert_eq!(build.len(), 1);
    assert!(
        build[0].to_string().contains("needs one matcher"),
        "{}",
        build[0]
    );
    // Syntax: one error, where it is.
    let syntax = PolicyBuilder::toml_problems("version = 1\n[[rule]\n");
    assert_eq!(syntax.len(), 1);
    assert_eq!(syntax[0].location().map(|l| l.line()), Some(2));
}

#[test]
fn lints_of_a_builder_in_code() {
    use linkpolicy::{Matcher, Rule, Tier};
    let mut b = Policy::builder();
    b.tier("Z", Tier::new(Some(Action::Allow), None))
        .rule(Rule::new("hard", Action::Block, Matcher::Domain("bad.example".into())).hard(true))
        .rule(Rule::new(
            "soft",
            Action::Warn,
            Matcher::UrlPrefix("https://a.bad.example/x".into()),
        ));
    let kinds: Vec<LintKind> = b.lints().iter().map(|l| l.kind).collect();
    assert_eq!(kinds, [LintKind::ShadowedByHardBlock, LintKind::UnusedTier]);
}

#[test]
fn diff_is_the_same_on_any_number_of_threads() {
    let old = Policy::from_toml_str(SAMPLE_POLICY).unwrap();
    let new = Policy::from_toml_str(&SAMPLE_POLICY.replace(
        "group = \"block\"          #",
        "group = \"warn\"          #",
    ))
    .unwrap();
    let links: Vec<(String, Context)> = include_str!("../examples/links.txt")
        .lines()
        .map(|l| Request::parse(l).unwrap().into_parts())
        .collect();
    let ctx = [DiffContext::OneToOne, DiffContext::Group(7)];
    let one = Diff::run(&old, &new, &links, &ctx, 1);
    assert!(one.changed() > 0);
    for threads in [2, 3, 8, 100] {
        assert_eq!(
            Diff::run(&old, &new, &links, &ctx, threads),
            one,
            "{threads} threads"
        );
    }
    // By hand, the same.
    let mut by_hand = Diff::new();
    for (i, (link, c)) in links.iter().enumerate() {
        by_hand.count_link();
        for dc in ctx {
            let c = dc.apply(c);
            by_hand.add(
                dc,
                link,
                i as u64,
                &old.classify(link, &c),
                &new.classify(link, &c),
            );
        }
    }
    assert_eq!(by_hand, one);
    // No change against itself.
    assert_eq!(Diff::run(&old, &old, &links, &ctx, 0).changed(), 0);
}

#[test]
fn stats_merge_is_adding() {
    let p = Policy::from_toml_str(SAMPLE_POLICY).unwrap();
    let verdicts: Vec<_> = include_str!("../examples/links.txt")
        .lines()
        .map(|l| Request::parse(l).unwrap().classify(&p))
        .collect();
    let mut all = Stats::new();
    verdicts.iter().for_each(|v| all.add(v));
    let (a, b) = verdicts.split_at(20);
    let mut left = Stats::new();
    a.iter().for_each(|v| left.add(v));
    let mut right = Stats::new();
    b.iter().for_each(|v| right.add(v));
    left.merge(right);
    assert_eq!(left, all);
    assert_eq!(all.total(), verdicts.len() as u64);
    assert_eq!(
        all.action(Action::Allow) + all.action(Action::Warn) + all.action(Action::Block),
        all.total()
    );
}
