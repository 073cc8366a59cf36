//! Lookalike protection and complaint counts: the floors a link's registrable
//! domain can get.

use std::collections::BTreeMap;

use crate::engine::compiled::ComplaintTable;
use crate::engine::lookalike::Lookalikes;
use crate::error::{Error, ErrorKind, Item};
use crate::link::domain::{FastMap, normalize_domain};
use crate::matching::matcher::Matchers;
use crate::model::Model;
use crate::psl::PublicSuffixList;
use crate::rules::{Category, Complaint, Threshold};

/// Lookalike protection: every platform domain plus `protect`, with their
/// skeletons computed now rather than per link.
pub(super) fn lookalikes(
    m: &Model,
    platform_domains: Vec<String>,
    psl: &PublicSuffixList,
    matchers: &mut Matchers,
    errors: &mut Vec<Error>,
) -> Lookalikes {
    let mut protected = platform_domains;
    for (i, d) in m.protect.iter().enumerate() {
        match normalize_domain(d) {
            Ok(d) => protected.push(d),
            Err(e) => errors.push(
                e.with_item(Item::new("lookalike", None, None))
                    .with_field(format!("protect[{i}]")),
            ),
        }
    }
    // Links are compared by registrable domain, so protect the registrable
    // domain of each (`mp.weixin.qq.com` protects `qq.com`); a public suffix
    // such as `gov.cn` is kept as written.
    let mut protected: Vec<String> = protected
        .into_iter()
        .map(|d| match psl.registrable_domain(&d) {
            Some(r) => r.to_owned(),
            None => d,
        })
        .collect();
    protected.sort_unstable();
    protected.dedup();
    for d in &protected {
        matchers.add_protected(d);
    }
    Lookalikes::new(
        protected,
        crate::engine::lookalike::Options {
            typosquat: m.typosquat,
            embedded: m.embedded,
        },
    )
}

/// The policy's complaint thresholds and counts; an empty table when they do
/// not compile.
pub(super) fn complaints(
    m: &Model,
    psl: &PublicSuffixList,
    errors: &mut Vec<Error>,
) -> ComplaintTable {
    match compile_complaints(&m.thresholds, &m.complaints, psl) {
        Ok(c) => c,
        Err(mut e) => {
            errors.append(&mut e);
            ComplaintTable::default()
        }
    }
}

/// Complaint thresholds and counts (rows for the same domain and category add
/// up) into a table; every threshold or row that is wrong is an error.
pub(crate) fn compile_complaints(
    thresholds: &BTreeMap<Category, Threshold>,
    rows: &[Complaint],
    psl: &PublicSuffixList,
) -> Result<ComplaintTable, Vec<Error>> {
    let mut errors = Vec::new();
    for (cat, t) in thresholds {
        if let (Some(w), Some(b)) = (t.warn, t.block) {
            if w > b {
                errors.push(
                    Error::new(
                        ErrorKind::InvalidValue,
                        format!("`warn` ({w}) is above `block` ({b})"),
                    )
                    .with_item(Item::new(
                        "complaints.thresholds",
                        None,
                        Some(cat.as_str()),
                    )),
                );
            }
        }
    }
    let mut counts: FastMap<Box<str>, Vec<(Category, u64)>> = FastMap::default();
    for (i, row) in rows.iter().enumerate() {
        let item = || Item::new("complaint", Some(i), None);
        let d = match normalize_domain(&row.domain) {
            Ok(d) => d,
            Err(e) => {
                errors.push(e.with_item(item()).with_field("domain"));
                continue;
            }
        };
        match psl.registrable_domain(&d) {
            Some(r) if r == d => {}
            Some(r) => {
                errors.push(
                    Error::new(
                        ErrorKind::InvalidDomain,
                        format!("`{d}` is not a registrable domain: did you mean `{r}`?"),
                    )
                    .with_item(item())
                    .with_field("domain"),
                );
                continue;
            }
            None => {
                errors.push(
                    Error::new(
                        ErrorKind::InvalidDomain,
                        format!("`{d}` is a public suffix, not a registrable domain"),
                    )
                    .with_item(item())
                    .with_field("domain"),
                );
                continue;
            }
        }
        let entry = counts.entry(d.into_boxed_str()).or_default();
        match entry.iter_mut().find(|(c, _)| *c == row.category) {
            Some((_, n)) => *n = n.saturating_add(row.count),
            None => entry.push((row.category, row.count)),
        }
    }
    if errors.is_empty() {
        Ok(ComplaintTable {
            thresholds: thresholds.clone(),
            counts,
        })
    } else {
        Err(errors)
    }
}
