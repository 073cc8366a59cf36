//! Snapshots: a compiled policy written to bytes and loaded back in place.

mod hash;

use crate::policy::PolicyBuilder;
use crate::psl::PublicSuffixList;

/// The builder's plain model, encoded (postcard: compact, and the same bytes
/// for the same model on every machine).
pub(crate) fn encode_model(builder: &PolicyBuilder) -> Box<[u8]> {
    // Encoding plain data into a vector fails only for types postcard cannot
    // represent, which the model has none of (a test encodes every kind).
    postcard::to_allocvec(builder)
        .unwrap_or_default()
        .into_boxed_slice()
}

/// A policy's revision: the hash of its encoded model, of its Public Suffix List
/// (the custom list's text, or the built-in list's version) and of each list's id
/// and text, in order, each part hashed alone and the parts folded in order with
/// their lengths.
pub(crate) fn revision<'a>(
    model: &[u8],
    psl: &PublicSuffixList,
    custom_psl: Option<&str>,
    lists: impl Iterator<Item = (&'a str, &'a str)>,
) -> u64 {
    const SEED: u64 = 0x6c69_6e6b_7265_7631; // "linkrev1"
    let part = |acc: u64, bytes: &[u8]| {
        hash::combine(
            hash::combine(acc, bytes.len() as u64),
            hash::hash64(SEED, bytes),
        )
    };
    let mut acc = part(SEED, model);
    acc = match custom_psl {
        Some(text) => part(hash::combine(acc, 1), text.as_bytes()),
        None => part(
            hash::combine(acc, 0),
            psl.version().unwrap_or("").as_bytes(),
        ),
    };
    for (id, text) in lists {
        acc = part(acc, id.as_bytes());
        acc = part(acc, text.as_bytes());
    }
    acc
}

#[cfg(test)]
mod tests {
    use crate::{Action, Category, Complaint, List, ListFormat, Policy, Threshold};

    fn with_list(text: &str) -> Policy {
        Policy::builder()
            .list(List::new("feed", ListFormat::Domains, Action::Block))
            .list_text("feed", text)
            .complaint_threshold(Category::Fraud, Threshold::new(Some(1), None))
            .build()
            .unwrap()
    }

    #[test]
    fn revision_names_the_model_and_the_list_texts() {
        let a = with_list("a.example\n");
        assert_eq!(a.revision(), with_list("a.example\n").revision());
        assert_ne!(a.revision(), with_list("b.example\n").revision());
        let other = Policy::builder()
            .list(List::new("feed", ListFormat::Domains, Action::Warn))
            .list_text("feed", "a.example\n")
            .complaint_threshold(Category::Fraud, Threshold::new(Some(1), None))
            .build()
            .unwrap();
        assert_ne!(a.revision(), other.revision());
        // Complaint counts are data: they keep the revision.
        let counted = a
            .with_complaints([Complaint::new("a.example", Category::Fraud, 3)])
            .unwrap();
        assert_eq!(counted.revision(), a.revision());
    }
}
