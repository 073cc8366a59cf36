//! Every shape error of a policy text at once (`toml_problems`,
//! `json_problems`): the text read as a plain tree, TOML's or JSON's, and the
//! item each error is about taken out until the rest reads.

#[cfg(feature = "json")]
use super::json::deserialize_json;
use super::model_from_file;
use super::source::{Step, quoted_name};
#[cfg(feature = "toml")]
use super::toml::deserialize_toml;
use crate::error::{Error, ErrorKind, Item};
use crate::limits::SizeLimits;
use crate::rules::FilePolicy;

/// Every shape error of a policy text (an unknown or missing field, a value of
/// the wrong type), item by item: the text is read as a plain tree, and each
/// time the file model refuses it, the error is kept and the item it is about
/// taken out, until the rest reads. A syntax error stops at itself.
pub(super) fn shape_errors<V: ShapeTree>(
    mut tree: V,
    mut make: impl FnMut(&str, &[Step]) -> Error,
) -> Vec<Error> {
    let (mut errors, origin) = shape_errors_of(&mut tree, &mut make);
    // What is left reads: the problems building finds in it, its items named
    // by their place in the text. List texts are the host app's: a list without
    // one is no problem of the text.
    if let Some(file) = tree.read_file() {
        if let Err(e) = crate::compile::compile(&model_from_file(file)) {
            for e in e.errors().filter(|e| e.kind() != ErrorKind::MissingList) {
                let mut e = e.clone();
                if let Some(item) = e.item() {
                    if let (Some(i), Some(map)) = (item.index(), origin.get(item.section())) {
                        let shown =
                            Item::new(item.section(), map.get(i).copied().or(Some(i)), item.id());
                        e = e.with_item(shown);
                    }
                }
                errors.push(e);
            }
        }
    }
    errors
}

/// The shape errors, and where each array item left was in the text.
fn shape_errors_of<V: ShapeTree>(
    tree: &mut V,
    make: &mut impl FnMut(&str, &[Step]) -> Error,
) -> (Vec<Error>, std::collections::HashMap<String, Vec<usize>>) {
    // Where each array item of the tree was in the text, as items are taken out.
    let mut origin: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    let mut errors = Vec::new();
    for _ in 0..1000 {
        let Err((message, path)) = tree.read_model() else {
            break;
        };
        // The path as the text has it: array indices from before any removal.
        let mut shown = path.clone();
        if let [Step::Key(section), Step::Index(i), ..] = shown.as_mut_slice() {
            let len = tree.array_len(section).unwrap_or(0);
            let map = origin
                .entry(section.clone())
                .or_insert_with(|| (0..len).collect());
            *i = map.get(*i).copied().unwrap_or(*i);
        }
        errors.push(make(&message, &shown));
        let removed = match path.as_slice() {
            [Step::Key(section), Step::Index(i), ..] => {
                if let Some(map) = origin.get_mut(section) {
                    if *i < map.len() {
                        map.remove(*i);
                    }
                }
                tree.remove_index(section, *i)
            }
            [Step::Key(section), Step::Key(key), ..] => tree.remove_key(section, Some(key)),
            [Step::Key(section)] => tree.remove_key(section, None),
            _ => false,
        };
        // An unknown top-level field is reported without a path: take it out
        // by the name the message gives.
        let removed = removed
            || (path.is_empty()
                && quoted_name(&message).is_some_and(|name| tree.remove_key(&name, None)));
        if !removed {
            break;
        }
    }
    (errors, origin)
}

/// Whether a text whose tree weighs about `tree_bytes` may be read whole to
/// find every shape error. [`shape_errors`] holds the tree, a copy of it for
/// the items' ids, and one more while each attempt reads it (for JSON, also
/// written back to text): three trees at once, kept within the default
/// `max_toml_tree_bytes` that bounds loading.
pub(super) fn whole_tree_fits(tree_bytes: usize) -> bool {
    tree_bytes.saturating_mul(3) <= SizeLimits::default().max_toml_tree_bytes
}

/// A policy text read as a plain tree (TOML's or JSON's).
pub(super) trait ShapeTree {
    /// Reads the tree into the file model: the first error's message and path.
    fn read_model(&self) -> Result<(), (String, Vec<Step>)>;
    /// The file model of the tree, when it reads.
    fn read_file(&self) -> Option<FilePolicy>;
    fn array_len(&self, section: &str) -> Option<usize>;
    fn remove_index(&mut self, section: &str, i: usize) -> bool;
    /// Takes out `section.key`, or `section` itself when `key` is `None`.
    fn remove_key(&mut self, section: &str, key: Option<&str>) -> bool;
}

// The trees are read with the very deserializers loading uses (a TOML tree as
// the parser gives it, a JSON tree written back to text): each deserializer the
// file model is read through is a whole copy of its code, and the WebAssembly
// package pays for every copy in its download.

#[cfg(feature = "toml")]
impl ShapeTree for toml::Spanned<toml::de::DeTable<'_>> {
    fn read_model(&self) -> Result<(), (String, Vec<Step>)> {
        deserialize_toml::<FilePolicy>(self.clone(), || Some(self.clone()))
            .map(|_| ())
            .map_err(|e| (e.inner().message().to_owned(), e.path().to_vec()))
    }

    fn read_file(&self) -> Option<FilePolicy> {
        deserialize_toml(self.clone(), || None).ok()
    }

    fn array_len(&self, section: &str) -> Option<usize> {
        match self.get_ref().get(section)?.get_ref() {
            toml::de::DeValue::Array(a) => Some(a.len()),
            _ => None,
        }
    }

    fn remove_index(&mut self, section: &str, i: usize) -> bool {
        let Some(value) = self.get_mut().get_mut(section) else {
            return false;
        };
        match value.get_mut() {
            toml::de::DeValue::Array(a) if i < a.len() => {
                let kept = std::mem::replace(a, toml::de::DeArray::new())
                    .into_iter()
                    .enumerate()
                    .filter_map(|(j, v)| (j != i).then_some(v))
                    .collect();
                *a = kept;
                true
            }
            _ => false,
        }
    }

    fn remove_key(&mut self, section: &str, key: Option<&str>) -> bool {
        let table = self.get_mut();
        match key {
            None => table.remove(section).is_some(),
            Some(k) => match table.get_mut(section).map(toml::Spanned::get_mut) {
                Some(toml::de::DeValue::Table(t)) => t.remove(k).is_some(),
                _ => false,
            },
        }
    }
}

#[cfg(feature = "json")]
impl ShapeTree for serde_json::Map<String, serde_json::Value> {
    fn read_model(&self) -> Result<(), (String, Vec<Step>)> {
        let text = serde_json::Value::Object(self.clone()).to_string();
        let mut de = serde_json::Deserializer::from_str(&text);
        deserialize_json(&mut de, &text)
            .map(|_| ())
            .map_err(|(e, path)| {
                let msg = e.to_string();
                let msg = msg
                    .rsplit_once(" at line ")
                    .map_or(msg.as_str(), |(m, _)| m)
                    .to_owned();
                (msg, path)
            })
    }

    fn read_file(&self) -> Option<FilePolicy> {
        let text = serde_json::Value::Object(self.clone()).to_string();
        deserialize_json(&mut serde_json::Deserializer::from_str(&text), &text).ok()
    }

    fn array_len(&self, section: &str) -> Option<usize> {
        self.get(section)?.as_array().map(Vec::len)
    }

    fn remove_index(&mut self, section: &str, i: usize) -> bool {
        match self
            .get_mut(section)
            .and_then(serde_json::Value::as_array_mut)
        {
            Some(a) if i < a.len() => {
                a.remove(i);
                true
            }
            _ => false,
        }
    }

    fn remove_key(&mut self, section: &str, key: Option<&str>) -> bool {
        match key {
            None => self.remove(section).is_some(),
            Some(k) => self
                .get_mut(section)
                .and_then(serde_json::Value::as_object_mut)
                .is_some_and(|t| t.remove(k).is_some()),
        }
    }
}
