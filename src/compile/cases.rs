//! The checks of a policy's own test cases at build: a reason kind that
//! exists, a rule or list entry the policy has.

use std::collections::HashSet;

use crate::model::Model;
use crate::verdict::Reason;

/// Checks the model's tests: a reason kind that exists, a rule or list entry
/// of the policy.
pub(super) fn check_tests(m: &Model, errors: &mut Vec<crate::Error>) {
    use crate::error::{Error, ErrorKind, Item};
    let rules: HashSet<&str> = m.rules.iter().map(|r| r.id.as_str()).collect();
    let lists: HashSet<&str> = m.lists.iter().map(|l| l.id.as_str()).collect();
    for (i, t) in m.tests.iter().enumerate() {
        let item = || Item::new("test", Some(i), t.name());
        if let Some(kind) = t.reason() {
            if !Reason::KINDS.contains(&kind) {
                errors.push(
                    Error::new(
                        ErrorKind::InvalidValue,
                        format!(
                            "unknown reason kind `{kind}`, expected one of `{}`",
                            Reason::KINDS.join("`, `")
                        ),
                    )
                    .with_item(item())
                    .with_field("reason"),
                );
            }
        }
        if let Some(rule) = t.rule() {
            let listed = rule
                .rsplit_once(':')
                .is_some_and(|(l, line)| lists.contains(l) && line.parse::<u32>().is_ok());
            if !rules.contains(rule) && !listed {
                errors.push(
                    Error::new(
                        ErrorKind::InvalidValue,
                        format!("no rule `{rule}`, nor a list entry of that id (`list:line`)"),
                    )
                    .with_item(item())
                    .with_field("rule"),
                );
            }
        }
    }
}
