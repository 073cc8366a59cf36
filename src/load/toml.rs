//! Reading a TOML policy into the file model: piece by piece (each
//! `[[section]]` item alone, then the rest of the text), each piece's tree
//! bounded before it is parsed, with the error the whole text would give.

use super::source::{Step, quoted_name, toml_error, toml_path_at};
use crate::error::{Error, ErrorKind, Item, Location};
use crate::limits::SizeLimits;
use crate::rules::FilePolicy;

/// The items of one `[[section]]` piece of a TOML policy, read alone.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FileItems {
    #[serde(default)]
    complaint: Vec<crate::rules::Complaint>,
    #[serde(default)]
    list: Vec<crate::rules::FileList>,
    #[serde(default)]
    phase: Vec<crate::rules::Phase>,
    #[serde(default)]
    platform: Vec<crate::rules::FilePlatform>,
    #[serde(default)]
    redirector: Vec<crate::rules::Redirector>,
    #[serde(default)]
    rule: Vec<crate::rules::FileRule>,
    #[serde(default)]
    test: Vec<crate::rules::FileTest>,
}

impl FileItems {
    fn append_to(self, file: &mut FilePolicy) {
        file.complaint.extend(self.complaint);
        file.list.extend(self.list);
        file.phase.extend(self.phase);
        file.platform.extend(self.platform);
        file.redirector.extend(self.redirector);
        file.rule.extend(self.rule);
        file.test.extend(self.test);
    }
}

/// Reads a TOML policy into the file model, piece by piece (issue #14): each
/// `[[section]]` item alone, then the rest of the text, so that no tree of
/// the whole text is ever built. The error is the one the whole text gives:
/// a parse error (syntax, a key or table given twice) first, the first in
/// the text; then the first field error in the order serde reads the
/// document's tables (by key); a missing top-level field last.
pub(super) fn read_toml(text: &str, limits: &SizeLimits) -> Result<FilePolicy, Error> {
    use crate::load::split::{SECTIONS, Strings, split};
    let mut split = split(text);
    check_tree_bytes(text, &split, limits)?;
    if let Some(section) = split.conflict {
        // An array section also defined outside its items: the parser says
        // how, from the rest and the section's first item.
        let subset = split.rest(text, split.nth_of(section, 0));
        return match toml::de::DeTable::parse(&subset) {
            Err(e) => Err(toml_error(text, &e, None, |at| at, |_, _| None)),
            Ok(_) => read_whole_toml(text),
        };
    }
    let mut parse_error: Option<(usize, Error)> = None;
    // The first field error, and the top-level key it is under.
    let mut read_error: Option<(String, Error)> = None;
    let mut missing: Option<Error> = None;
    let mut file: Option<FilePolicy> = None;
    {
        let rest = split.rest(text, None);
        match toml::de::DeTable::parse(&rest) {
            Err(e) => {
                let at = e.span().map_or(0, |s| s.start);
                parse_error = Some((at, toml_error(text, &e, None, |at| at, |_, _| None)));
            }
            Ok(doc) => {
                match deserialize_toml::<FilePolicy>(doc, || toml::de::DeTable::parse(&rest).ok()) {
                    Ok(mut f) => {
                        // The lists of strings the splitter read, in their place.
                        for (target, items) in std::mem::take(&mut split.strings) {
                            match target {
                                Strings::TrackingParams => {
                                    if let Some(t) = f.tracking.as_mut() {
                                        t.params = items;
                                    }
                                }
                                Strings::LookalikeProtect => {
                                    if let Some(l) = f.lookalike.as_mut() {
                                        l.protect = items;
                                    }
                                }
                            }
                        }
                        file = Some(f);
                    }
                    Err(e) => {
                        let path = e.path().to_vec();
                        let err = toml_error(text, e.inner(), Some(&path), |at| at, |_, _| None);
                        match top_key(e.inner().message(), &path) {
                            Some(key) => read_error = Some((key, err)),
                            None => missing = Some(err),
                        }
                    }
                }
            }
        }
    }
    let mut counts = [0usize; SECTIONS.len()];
    for (i, element) in split.elements.iter().enumerate() {
        let section = element.section;
        let Some(name) = SECTIONS.get(section).copied() else {
            continue;
        };
        let Some(n) = counts.get_mut(section).map(|c| {
            *c += 1;
            *c - 1
        }) else {
            continue;
        };
        let Some(piece) = split.piece(text, i) else {
            continue;
        };
        if parse_error
            .as_ref()
            .is_some_and(|(at, _)| piece.offset_in_text(0) > *at)
        {
            // Every parse error from here on is after the one found.
            break;
        }
        let doc = match toml::de::DeTable::parse(&piece.text) {
            Ok(doc) => doc,
            Err(e) => {
                let at = piece.offset_in_text(e.span().map_or(0, |s| s.start));
                if parse_error.as_ref().is_none_or(|(first, _)| at < *first) {
                    let err =
                        toml_error(text, &e, None, |at| piece.offset_in_text(at), |_, _| None);
                    parse_error = Some((at, err));
                }
                continue;
            }
        };
        if parse_error.is_some()
            || read_error
                .as_ref()
                .is_some_and(|(key, _)| key.as_str() <= name)
        {
            // Only parse errors can still come first.
            continue;
        }
        match deserialize_toml::<FileItems>(doc, || toml::de::DeTable::parse(&piece.text).ok()) {
            Ok(items) => {
                if let Some(file) = file.as_mut() {
                    items.append_to(file);
                }
            }
            Err(e) => {
                let mut path = e.path().to_vec();
                if let Some(Step::Index(k)) = path.get_mut(1) {
                    *k = n;
                }
                let id = toml::de::DeTable::parse(&piece.text)
                    .ok()
                    .and_then(|doc| toml_id(&doc, name, 0));
                let err = toml_error(
                    text,
                    e.inner(),
                    Some(&path),
                    |at| piece.offset_in_text(at),
                    |_, _| id.clone(),
                );
                read_error = Some((name.to_owned(), err));
                file = None;
            }
        }
    }
    if let Some((_, e)) = parse_error {
        return Err(e);
    }
    if let Some((_, e)) = read_error {
        return Err(e);
    }
    if let Some(e) = missing {
        return Err(e);
    }
    file.ok_or_else(|| Error::new(ErrorKind::Syntax, "the policy could not be read"))
}

/// Refuses, before anything is parsed, a piece whose parse tree would weigh
/// more than `max_toml_tree_bytes` (estimated by the splitter from its
/// values and tables), and a text read whole (an array section also defined
/// outside its items) whose pieces together would.
fn check_tree_bytes(
    text: &str,
    split: &crate::load::split::Split,
    limits: &SizeLimits,
) -> Result<(), Error> {
    use crate::load::split::SECTIONS;
    let max = limits.max_toml_tree_bytes;
    let over = |bytes: usize, what: String, at: usize, item: Option<Item>| {
        let mut e = Error::new(
            ErrorKind::LimitExceeded,
            format!(
                "{what} would parse into about {bytes} bytes of tree, more than the limit \
                 `max_toml_tree_bytes` ({max}); split it (a long list of domains belongs in a \
                 `[[list]]`) or raise the limit"
            ),
        );
        if let Some(item) = item {
            e = e.with_item(item);
        }
        e.set_location(Some(Location::from_offset(text, at)));
        e
    };
    let mut counts = [0usize; SECTIONS.len()];
    for e in &split.elements {
        let n = counts.get_mut(e.section).map_or(0, |c| {
            *c += 1;
            *c - 1
        });
        if e.tree_bytes > max {
            let name = SECTIONS.get(e.section).copied().unwrap_or("item");
            return Err(over(
                e.tree_bytes,
                format!("this `[[{name}]]` item"),
                e.start(),
                Some(Item::new(name, Some(n), None)),
            ));
        }
    }
    if split.rest_tree_bytes > max {
        return Err(over(
            split.rest_tree_bytes,
            "the text outside the `[[...]]` items (tables such as `[tiers.X]`)".to_owned(),
            0,
            None,
        ));
    }
    let total = split.tree_bytes();
    if split.conflict.is_some() && total > max {
        return Err(over(
            total,
            "the policy, which is read whole (an array section is also defined outside its items),"
                .to_owned(),
            0,
            None,
        ));
    }
    Ok(())
}

/// Reads a TOML policy as one document (what the toml crate does): only for
/// a text the pieces cannot explain an error of.
pub(super) fn read_whole_toml(text: &str) -> Result<FilePolicy, Error> {
    let doc = toml::de::DeTable::parse(text)
        .map_err(|e| toml_error(text, &e, None, |at| at, |_, _| None))?;
    let id_doc = toml::de::DeTable::parse(text).ok();
    deserialize_toml(doc, || toml::de::DeTable::parse(text).ok()).map_err(|e| {
        let path = e.path().to_vec();
        toml_error(
            text,
            e.inner(),
            Some(&path),
            |at| at,
            |section, i| id_doc.as_ref().and_then(|d| toml_id(d, section, i)),
        )
    })
}

/// The top-level key a field error is under, in the order serde reads the
/// document's tables; `None` for a missing top-level field (reported last).
fn top_key(message: &str, path: &[Step]) -> Option<String> {
    match path.first() {
        Some(Step::Key(k)) => Some(k.clone()),
        _ if message.starts_with("unknown field") => quoted_name(message),
        _ => None,
    }
}

/// The `id` of the item `i` of a section, in a parsed TOML text.
pub(super) fn toml_id(
    doc: &toml::Spanned<toml::de::DeTable<'_>>,
    section: &str,
    i: usize,
) -> Option<String> {
    let value = doc
        .get_ref()
        .get(section)?
        .get_ref()
        .get(i)?
        .get_ref()
        .get("id")?
        .get_ref();
    value.as_str().map(str::to_owned)
}

/// A TOML document (or piece) read into `T`; on an error, the error and the
/// path of the key or value it is about, found from the error's span in the
/// tree `tree` gives (the document again: parsed anew, or a copy).
///
/// The path is what `serde_path_to_error` would give (a test checks it on
/// broken policies), found without wrapping the deserializer: wrapping it
/// makes a copy of all its code for each of the toml crate's four kinds of
/// table, a third of the WebAssembly package's code.
pub(super) fn deserialize_toml<'i, T: serde::de::DeserializeOwned>(
    doc: toml::Spanned<toml::de::DeTable<'i>>,
    tree: impl FnOnce() -> Option<toml::Spanned<toml::de::DeTable<'i>>>,
) -> Result<T, TomlFieldError> {
    T::deserialize(toml::Deserializer::from(doc)).map_err(|inner| {
        let mut path = match (inner.span(), tree()) {
            (Some(span), Some(tree)) => toml_path_at(&tree, &span),
            _ => (Vec::new(), false),
        };
        // An enum written as a table (`action = { z = 1 }`): the key is the
        // variant, and the error is about the enum's value.
        if path.1 && inner.message().starts_with("unknown variant") {
            path.0.pop();
        }
        let path = path.0;
        TomlFieldError { inner, path }
    })
}

/// A TOML deserialization error and the path of what it is about.
pub(super) struct TomlFieldError {
    inner: toml::de::Error,
    path: Vec<Step>,
}

impl TomlFieldError {
    pub(super) fn inner(&self) -> &toml::de::Error {
        &self.inner
    }

    pub(super) fn path(&self) -> &[Step] {
        &self.path
    }
}
