//! The face's own tests: compiled sizes, list entry ids, traits, the builder's errors.

use std::fmt;

use super::*;
use crate::engine::compiled::{CompiledRule, ListRule};
use crate::error::ErrorKind;
use crate::rules::Matcher;
use crate::rules::{Action, List, Rule};
use crate::verdict::Id;

#[test]
fn compiled_entries_stay_small() {
    assert!(std::mem::size_of::<CompiledRule>() <= 32);
    assert!(std::mem::size_of::<ListRule>() <= 12);
}

/// A list entry's id is `list:line`, for short and long list ids, on the
/// first line and on lines with many digits.
#[test]
fn list_entry_ids() {
    for list in ["p", "phishing", &"l".repeat(60), &"long-list-".repeat(10)] {
        let mut text = String::new();
        for i in 1..=1001 {
            text.push_str(&format!("d{i}.example\n"));
        }
        let mut b = Policy::builder();
        b.list(List::new(list, crate::ListFormat::Domains, Action::Block))
            .list_text(list, text);
        let p = b.build().unwrap();
        for (host, line) in [
            ("d1.example", 1),
            ("d10.example", 10),
            ("d1001.example", 1001),
        ] {
            let v = p.classify(&format!("https://{host}/"), &Context::one_to_one());
            let want = format!("{list}:{line}");
            assert_eq!(v.rule_ids().next().map(Id::as_str), Some(want.as_str()));
        }
    }
}

#[test]
fn policy_is_send_sync_clone() {
    fn assert_traits<T: Send + Sync + Clone + fmt::Debug + 'static>() {}
    assert_traits::<Policy>();
    assert_traits::<PolicyBuilder>();
    assert_traits::<Verdict>();
    assert_traits::<Error>();
}

#[test]
fn try_rule_rejects_duplicates() {
    let mut b = Policy::builder();
    let r = Rule::new("a", Action::Block, Matcher::Domain("x.example".into()));
    b.try_rule(r.clone()).unwrap();
    let e = b.try_rule(r).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Duplicate);
}

#[test]
fn build_reports_every_error() {
    let e = Policy::builder()
        .rule(Rule::new(
            "a",
            Action::Block,
            Matcher::Domain("bad domain".into()),
        ))
        .rule(Rule::new("b", Action::Block, Matcher::Regex("(".into())))
        .rule(Rule::new("a", Action::Warn, Matcher::Scheme("1x".into())))
        .build()
        .unwrap_err();
    let kinds: Vec<_> = e.errors().map(Error::kind).collect();
    assert_eq!(
        kinds,
        [
            ErrorKind::InvalidDomain,
            ErrorKind::InvalidRegex,
            ErrorKind::Duplicate,
            ErrorKind::InvalidScheme
        ]
    );
}
