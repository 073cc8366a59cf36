//! Redirectors and tracking parameters: what unwrapping a link reads.

use crate::error::{Error, ErrorKind, Item};
use crate::link::domain::{DomainMap, normalize_domain};
use crate::matching::matcher::Matchers;
use crate::model::Model;
use crate::unwrap::RedirectorEntry;
use crate::unwrap::builtin;
use crate::unwrap::params::ParamIndex;
use crate::unwrap::tracking::Tracking;

/// The redirectors by domain: the policy's, then the built-in ones when asked
/// for; their domains added to the site index.
pub(super) fn redirectors(
    m: &Model,
    matchers: &mut Matchers,
    errors: &mut Vec<Error>,
) -> DomainMap<Vec<RedirectorEntry>> {
    let mut redirectors: DomainMap<Vec<RedirectorEntry>> = DomainMap::default();
    for (i, r) in m.redirectors.iter().enumerate() {
        let item = || Item::new("redirector", Some(i), None);
        if r.params.is_empty() || r.params.iter().any(String::is_empty) {
            errors.push(
                Error::new(
                    ErrorKind::InvalidValue,
                    "needs at least one parameter name, none empty",
                )
                .with_item(item())
                .with_field("params"),
            );
        }
        if r.path.as_deref().is_some_and(|p| !p.starts_with('/')) {
            errors.push(
                Error::new(ErrorKind::InvalidValue, "a path prefix starts with `/`")
                    .with_item(item())
                    .with_field("path"),
            );
        }
        match normalize_domain(&r.domain) {
            Ok(d) => {
                matchers.add_redirector(&d);
                redirectors.entry_or_default(&d).push(RedirectorEntry {
                    path: r.path.as_deref().map(Into::into),
                    params: ParamIndex::new(r.params.iter().map(String::as_str)),
                });
            }
            Err(e) => errors.push(e.with_item(item()).with_field("domain")),
        }
    }
    if m.builtin_wrappers {
        for r in builtin::REDIRECTORS {
            matchers.add_redirector(r.domain);
            redirectors
                .entry_or_default(r.domain)
                .push(RedirectorEntry {
                    path: r.path.map(Into::into),
                    params: ParamIndex::new(r.params.iter().copied()),
                });
        }
    }
    redirectors
}

/// The tracking parameters removed from `clean_url`: the policy's, then the
/// built-in ones when asked for.
pub(super) fn tracking(m: &Model, errors: &mut Vec<Error>) -> Tracking {
    let mut tracking_params = m.tracking.clone();
    if m.builtin_tracking {
        tracking_params.extend(builtin::TRACKING.iter().map(|&p| p.to_owned()));
    }
    match Tracking::new(&tracking_params) {
        Ok(t) => t,
        Err(e) => {
            errors.push(
                e.with_item(Item::new("tracking", None, None))
                    .with_field("params"),
            );
            Tracking::default()
        }
    }
}
