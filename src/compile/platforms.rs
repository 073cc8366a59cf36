//! Tiers, platforms and phases: the named items of a policy that a verdict
//! names, each checked for a unique id.

use std::collections::HashMap;

use super::{Key, check_id, compile_gate, index_u32};
use crate::engine::compiled::{CompiledPhase, CompiledPlatform};
use crate::error::{Error, ErrorKind, Item};
use crate::link::domain::normalize_domain;
use crate::matching::matcher::Matchers;
use crate::model::Model;
use crate::rules::Tier;
use crate::verdict::Id;

/// The tiers, and the index of each by name (for the platforms that name one).
/// A tier's index is its place in the model, which is its place in the
/// compiled tiers whenever the policy builds: the one tier left out, a second
/// of the same name, is an error.
pub(super) fn tiers<'a>(
    m: &'a Model,
    errors: &mut Vec<Error>,
) -> (Vec<(Id, Tier)>, HashMap<&'a str, usize>) {
    let mut tiers: Vec<(Id, Tier)> = Vec::with_capacity(m.tiers.len());
    let mut tier_index: HashMap<&str, usize> = HashMap::new();
    for (i, (name, tier)) in m.tiers.iter().enumerate() {
        let item = || Item::new("tiers", None, Some(name));
        // A second tier of the same name is left out.
        if !check_id(&mut tier_index, name, i, Key::Name("tier"), item, errors) {
            continue;
        }
        tiers.push((Id::new(name), *tier));
    }
    (tiers, tier_index)
}

/// The platforms, their domains added to the site index; and those domains,
/// each once (every platform domain is protected from lookalikes).
pub(super) fn platforms(
    m: &Model,
    tier_index: &HashMap<&str, usize>,
    matchers: &mut Matchers,
    errors: &mut Vec<Error>,
) -> (Vec<CompiledPlatform>, Vec<String>) {
    let mut platforms = Vec::with_capacity(m.platforms.len());
    let mut platform_ids: HashMap<&str, usize> = HashMap::new();
    let mut domain_owner: HashMap<String, usize> = HashMap::new();
    for (i, p) in m.platforms.iter().enumerate() {
        let item = || Item::new("platform", Some(i), Some(&p.id));
        check_id(
            &mut platform_ids,
            &p.id,
            i,
            Key::Id("platform"),
            item,
            errors,
        );
        let tier = match &p.tier {
            Some(t) => match tier_index.get(t.as_str()) {
                Some(&ti) => Some(index_u32(ti)),
                None => {
                    errors.push(
                        Error::new(
                            ErrorKind::UndefinedTier,
                            format!("tier `{t}` is not defined in `[tiers]`"),
                        )
                        .with_item(item())
                        .with_field("tier"),
                    );
                    None
                }
            },
            None => None,
        };
        if p.domains.is_empty() {
            errors.push(
                Error::new(
                    ErrorKind::MissingField,
                    "a platform needs at least one domain",
                )
                .with_item(item())
                .with_field("domains"),
            );
        }
        for d in &p.domains {
            match normalize_domain(d) {
                Ok(d) => {
                    if let Some(&owner) = domain_owner.get(&d) {
                        if owner != i {
                            errors.push(
                                Error::new(
                                    ErrorKind::Duplicate,
                                    format!("domain `{d}` also belongs to platform #{owner}"),
                                )
                                .with_item(item())
                                .with_field("domains"),
                            );
                        }
                        continue;
                    }
                    matchers.add_platform(&d, index_u32(i));
                    domain_owner.insert(d, i);
                }
                Err(e) => errors.push(e.with_item(item()).with_field("domains")),
            }
        }
        platforms.push(CompiledPlatform {
            id: Id::new(&p.id),
            tier,
        });
    }
    (platforms, domain_owner.into_keys().collect())
}

/// The phases, each with its rollout gate.
pub(super) fn phases(m: &Model, errors: &mut Vec<Error>) -> Vec<CompiledPhase> {
    let mut phases = Vec::with_capacity(m.phases.len());
    let mut phase_ids: HashMap<&str, usize> = HashMap::new();
    for (i, p) in m.phases.iter().enumerate() {
        let item = || Item::new("phase", Some(i), Some(&p.id));
        check_id(&mut phase_ids, &p.id, i, Key::Id("phase"), item, errors);
        let gate = compile_gate(p.rollout.as_ref(), &p.id, item, errors);
        phases.push(CompiledPhase {
            id: Id::new(&p.id),
            gate,
            defaults: p.defaults,
        });
    }
    phases
}
