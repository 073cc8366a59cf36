//! The file model (section 3 of the contract), private: the serde model of a
//! policy file, which loading turns into the public types.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use super::action::{Action, Category};
use super::complaint::{Complaint, Threshold};
use super::list::List;
use super::platform::{Defaults, Limits, Phase, Tier};
use super::redirector::Redirector;
use super::rule::{Matcher, Rollout};
use crate::context::ChatKind;
use crate::lists::ListFormat;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FilePolicy {
    pub(crate) version: i64,
    #[serde(default)]
    pub(crate) defaults: Defaults,
    #[serde(default)]
    pub(crate) limits: Limits,
    #[serde(default, deserialize_with = "unique_keys")]
    pub(crate) tiers: BTreeMap<String, Tier>,
    #[serde(default)]
    pub(crate) platform: Vec<FilePlatform>,
    #[serde(default)]
    pub(crate) rule: Vec<FileRule>,
    #[serde(default)]
    pub(crate) list: Vec<FileList>,
    #[serde(default)]
    pub(crate) phase: Vec<Phase>,
    #[serde(default)]
    pub(crate) redirector: Vec<Redirector>,
    #[serde(default)]
    pub(crate) wrappers: Option<FileWrappers>,
    #[serde(default)]
    pub(crate) tracking: Option<FileTracking>,
    #[serde(default)]
    pub(crate) lookalike: Option<FileLookalike>,
    #[serde(default)]
    pub(crate) user: Option<FileUser>,
    #[serde(default)]
    pub(crate) complaints: Option<FileComplaints>,
    #[serde(default)]
    pub(crate) complaint: Vec<Complaint>,
    /// The policy's own test cases (contract section 9).
    #[serde(default)]
    pub(crate) test: Vec<FileTest>,
}

/// A `[[test]]` case of a policy file: a link, the context fields of a request
/// line (contract section 8) and what the verdict must be.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileTest {
    #[serde(default)]
    pub(crate) name: Option<String>,
    pub(crate) link: String,
    #[serde(default)]
    pub(crate) chat: Option<ChatKind>,
    #[serde(default)]
    pub(crate) members: Option<u32>,
    #[serde(default)]
    pub(crate) user: Option<String>,
    #[serde(default)]
    pub(crate) client_version: Option<String>,
    #[serde(default)]
    pub(crate) now: Option<i64>,
    #[serde(default)]
    pub(crate) prefs: Option<crate::context::Prefs>,
    #[serde(default)]
    pub(crate) display_text: Option<String>,
    pub(crate) expect: Action,
    #[serde(default)]
    pub(crate) reason: Option<String>,
    #[serde(default)]
    pub(crate) rule: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FilePlatform {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) name: Option<String>,
    pub(crate) domains: Vec<String>,
    #[serde(default)]
    pub(crate) tier: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileRule {
    pub(crate) id: String,
    pub(crate) action: Action,
    #[serde(default)]
    pub(crate) category: Category,
    #[serde(default)]
    pub(crate) hard: bool,
    #[serde(default)]
    pub(crate) shadow: bool,
    #[serde(default)]
    pub(crate) chats: Option<Vec<ChatKind>>,
    #[serde(default)]
    pub(crate) min_members: Option<u32>,
    #[serde(default)]
    pub(crate) rollout: Option<Rollout>,
    #[serde(default)]
    pub(crate) priority: i32,
    #[serde(default)]
    pub(crate) domain: Option<String>,
    #[serde(default)]
    pub(crate) host: Option<String>,
    #[serde(default)]
    pub(crate) url_prefix: Option<String>,
    #[serde(default)]
    pub(crate) regex: Option<String>,
    #[serde(default)]
    pub(crate) scheme: Option<String>,
}

impl FileRule {
    /// The rule's matchers, in the contract's order (exactly one is valid).
    pub(crate) fn matchers(&self) -> Vec<Matcher> {
        [
            self.domain.clone().map(Matcher::Domain),
            self.host.clone().map(Matcher::Host),
            self.url_prefix.clone().map(Matcher::UrlPrefix),
            self.regex.clone().map(Matcher::Regex),
            self.scheme.clone().map(Matcher::Scheme),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileList {
    pub(crate) id: String,
    pub(crate) format: ListFormat,
    pub(crate) action: Action,
    #[serde(default)]
    pub(crate) category: Category,
    #[serde(default)]
    pub(crate) hard: bool,
    #[serde(default)]
    pub(crate) shadow: bool,
    #[serde(default)]
    pub(crate) chats: Option<Vec<ChatKind>>,
    #[serde(default)]
    pub(crate) min_members: Option<u32>,
    #[serde(default)]
    pub(crate) priority: i32,
    #[serde(default)]
    pub(crate) path: Option<String>,
}

impl From<FileList> for List {
    fn from(f: FileList) -> Self {
        List {
            id: f.id,
            format: f.format,
            action: f.action,
            category: f.category,
            hard: f.hard,
            shadow: f.shadow,
            chats: f.chats,
            min_members: f.min_members,
            priority: f.priority,
            path: f.path,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileTracking {
    #[serde(default)]
    pub(crate) params: Vec<String>,
    #[serde(default)]
    pub(crate) builtin: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileWrappers {
    #[serde(default)]
    pub(crate) builtin: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileLookalike {
    #[serde(default)]
    pub(crate) action: Option<Action>,
    #[serde(default)]
    pub(crate) protect: Vec<String>,
    /// The opt-in typosquat floor (issue #21).
    #[serde(default)]
    pub(crate) typosquat: bool,
    /// The opt-in embedded-domain floor (issue #21).
    #[serde(default)]
    pub(crate) embedded: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileUser {
    #[serde(default)]
    pub(crate) allow_trust: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileComplaints {
    #[serde(default, deserialize_with = "unique_keys")]
    pub(crate) thresholds: BTreeMap<Category, Threshold>,
}

/// A map whose keys must be unique: a key given twice is an error naming it
/// (`duplicate key `A``), in every format. TOML's parser refuses them itself;
/// JSON's would keep the last value and drop the first without a word.
fn unique_keys<'de, D, K, V>(deserializer: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    struct Unique<K, V>(std::marker::PhantomData<(K, V)>);

    impl<'de, K, V> serde::de::Visitor<'de> for Unique<K, V>
    where
        K: Deserialize<'de> + Ord + fmt::Display,
        V: Deserialize<'de>,
    {
        type Value = BTreeMap<K, V>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a table")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<K>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(Unique(std::marker::PhantomData))
}
