//! Loading policy files: TOML and JSON text into the data model, then into a
//! [`PolicyBuilder`], with errors that point at the rule, field, line and column.

use crate::error::{Error, ErrorKind, Item, Location};
use crate::limits::{SizeLimits, too_deep};
use crate::policy::{Policy, PolicyBuilder};
use crate::rules::{FilePolicy, Rule};

/// The policy file versions this crate reads.
pub(crate) const SUPPORTED_VERSION: i64 = 1;

impl Policy {
    /// Loads a policy from TOML text (the contract's section 3).
    ///
    /// # Errors
    ///
    /// A syntax error, an unknown or missing field, a value of the wrong type, an
    /// unsupported `version`, or any problem [`PolicyBuilder::build`] finds. Each
    /// names the item (a rule by id and index) and field, with a line and column.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Context, Policy};
    ///
    /// let policy = Policy::from_toml_str(r#"
    /// version = 1
    /// [[rule]]
    /// id = "fraud-0001"
    /// action = "block"
    /// category = "fraud"
    /// hard = true
    /// domain = "evil.example"
    /// "#)?;
    /// let v = policy.classify("https://login.evil.example/", &Context::one_to_one());
    /// assert_eq!(v.action(), Action::Block);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn from_toml_str(text: &str) -> Result<Policy, Error> {
        Self::from_toml_str_with_limits(text, &SizeLimits::default())
    }

    /// Loads a policy from TOML text within the given size limits.
    ///
    /// # Errors
    ///
    /// As [`Policy::from_toml_str`], and an [`ErrorKind::LimitExceeded`] error
    /// naming the limit when the policy is over one.
    #[cfg(feature = "toml")]
    pub fn from_toml_str_with_limits(text: &str, limits: &SizeLimits) -> Result<Policy, Error> {
        PolicyBuilder::from_toml_str_with_limits(text, limits)?.build()
    }

    /// Loads a policy from JSON text; the same model as TOML.
    ///
    /// # Errors
    ///
    /// As [`Policy::from_toml_str`]; syntax and field errors carry a line and column.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Context, Policy};
    ///
    /// let policy = Policy::from_json_str(r#"{"version": 1, "defaults": {"one_to_one": "allow"}}"#)?;
    /// assert_eq!(policy.classify("jd.com", &Context::one_to_one()).action(), Action::Allow);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "json")]
    pub fn from_json_str(text: &str) -> Result<Policy, Error> {
        Self::from_json_str_with_limits(text, &SizeLimits::default())
    }

    /// Loads a policy from JSON text within the given size limits.
    ///
    /// # Errors
    ///
    /// As [`Policy::from_json_str`], and an [`ErrorKind::LimitExceeded`] error
    /// naming the limit when the policy is over one.
    #[cfg(feature = "json")]
    pub fn from_json_str_with_limits(text: &str, limits: &SizeLimits) -> Result<Policy, Error> {
        PolicyBuilder::from_json_str_with_limits(text, limits)?.build()
    }
}

impl PolicyBuilder {
    /// A builder holding a policy read from TOML text, for a host app that has
    /// more to add before building: the texts of the policy's `[[list]]`s, a
    /// newer Public Suffix List. Problems found when building still point at the
    /// text's lines.
    ///
    /// # Errors
    ///
    /// A syntax error, an unknown or missing field, a value of the wrong type.
    /// The policy's other problems are reported by
    /// [`build`](PolicyBuilder::build), all at once.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Context, PolicyBuilder};
    ///
    /// let mut builder = PolicyBuilder::from_toml_str(r#"
    /// version = 1
    /// [[list]]
    /// id = "phishing-feed"
    /// format = "domains"
    /// action = "block"
    /// category = "phishing"
    /// path = "lists/phishing.txt"
    /// "#)?;
    /// let paths: Vec<_> = builder.lists().filter_map(|l| l.path()).collect();
    /// assert_eq!(paths, ["lists/phishing.txt"]);
    /// // The host app reads the file; here, its text.
    /// builder.list_text("phishing-feed", "# feed\nlogin-verify.example\n");
    /// let policy = builder.build()?;
    /// let v = policy.classify("https://a.login-verify.example/", &Context::one_to_one());
    /// assert_eq!(v.action(), Action::Block);
    /// assert_eq!(v.rule_ids().next().map(|r| r.as_str()), Some("phishing-feed:2"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn from_toml_str(text: &str) -> Result<PolicyBuilder, Error> {
        Self::from_toml_str_with_limits(text, &SizeLimits::default())
    }

    /// As [`PolicyBuilder::from_toml_str`], within the given size limits.
    ///
    /// # Errors
    ///
    /// As [`PolicyBuilder::from_toml_str`], and an [`ErrorKind::LimitExceeded`]
    /// error naming the limit when the text is over one.
    #[cfg(feature = "toml")]
    pub fn from_toml_str_with_limits(
        text: &str,
        limits: &SizeLimits,
    ) -> Result<PolicyBuilder, Error> {
        check_text(text, limits, true)?;
        let file = read_toml(text, limits)?;
        let (mut builder, pending) = builder_from_file(file);
        builder.size_limits(*limits);
        builder.set_source(text, pending);
        Ok(builder)
    }

    /// A builder holding a policy read from JSON text; see
    /// [`PolicyBuilder::from_toml_str`].
    ///
    /// # Errors
    ///
    /// As [`PolicyBuilder::from_toml_str`].
    #[cfg(feature = "json")]
    pub fn from_json_str(text: &str) -> Result<PolicyBuilder, Error> {
        Self::from_json_str_with_limits(text, &SizeLimits::default())
    }

    /// As [`PolicyBuilder::from_json_str`], within the given size limits.
    ///
    /// # Errors
    ///
    /// As [`PolicyBuilder::from_toml_str_with_limits`].
    #[cfg(feature = "json")]
    pub fn from_json_str_with_limits(
        text: &str,
        limits: &SizeLimits,
    ) -> Result<PolicyBuilder, Error> {
        check_text(text, limits, false)?;
        let mut de = serde_json::Deserializer::from_str(text);
        let file =
            deserialize_json(&mut de, text).map_err(|(e, path)| json_error(text, &e, &path))?;
        de.end().map_err(|e| json_error(text, &e, &[]))?;
        let (mut builder, pending) = builder_from_file(file);
        builder.size_limits(*limits);
        builder.set_pending(pending);
        Ok(builder)
    }
}

/// Gives errors found in a TOML policy the line and column of what they are
/// about, and puts them in the order of the text.
///
/// The text is read piece by piece as when loading (see `src/toml_split.rs`):
/// an error about an item parses that item alone, others parse the rest of
/// the text once; never the whole text at once.
#[cfg(feature = "toml")]
pub(crate) fn locate_in_toml(err: Error, text: &str) -> Error {
    use crate::toml_split::{SECTIONS, section_index, split};
    let split = split(text);
    // The items of each section, by their index in the section.
    let mut by_section: Vec<Vec<usize>> = vec![Vec::new(); SECTIONS.len()];
    for (i, e) in split.elements.iter().enumerate() {
        if let Some(v) = by_section.get_mut(e.section) {
            v.push(i);
        }
    }
    let rest = split.rest(text, None);
    let mut rest_doc: Option<Option<toml::Spanned<toml::de::DeTable<'_>>>> = None;
    err.locate_and_sort(|e| {
        let item = e.item();
        let element = item.and_then(|item| {
            let s = section_index(item.section())?;
            let i = item.index()?;
            by_section.get(s)?.get(i).copied()
        });
        let span = match element {
            Some(i) => split.piece(text, i).and_then(|piece| {
                let doc = toml::de::DeTable::parse(&piece.text).ok()?;
                toml_span(&doc, e, Some(0)).map(|at| piece.offset_in_text(at))
            }),
            None => rest_doc
                .get_or_insert_with(|| toml::de::DeTable::parse(&rest).ok())
                .as_ref()
                .and_then(|doc| toml_span(doc, e, None)),
        };
        if let Some(span) = span {
            e.set_location(Some(Location::from_offset(text, span)));
        }
    })
}

/// The items of one `[[section]]` piece of a TOML policy, read alone.
#[cfg(feature = "toml")]
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

#[cfg(feature = "toml")]
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
#[cfg(feature = "toml")]
fn read_toml(text: &str, limits: &SizeLimits) -> Result<FilePolicy, Error> {
    use crate::toml_split::{SECTIONS, Strings, split};
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
#[cfg(feature = "toml")]
fn check_tree_bytes(
    text: &str,
    split: &crate::toml_split::Split,
    limits: &SizeLimits,
) -> Result<(), Error> {
    use crate::toml_split::SECTIONS;
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
#[cfg(feature = "toml")]
fn read_whole_toml(text: &str) -> Result<FilePolicy, Error> {
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
#[cfg(feature = "toml")]
fn top_key(message: &str, path: &[Step]) -> Option<String> {
    match path.first() {
        Some(Step::Key(k)) => Some(k.clone()),
        _ if message.starts_with("unknown field") => quoted_name(message),
        _ => None,
    }
}

/// The `id` of the item `i` of a section, in a parsed TOML text.
#[cfg(feature = "toml")]
fn toml_id(doc: &toml::Spanned<toml::de::DeTable<'_>>, section: &str, i: usize) -> Option<String> {
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

/// Checks the text's size and nesting before parsing it.
fn check_text(text: &str, limits: &SizeLimits, toml: bool) -> Result<(), Error> {
    if text.len() > limits.max_policy_bytes {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            format!(
                "the policy is {} bytes, more than the limit `max_policy_bytes` ({})",
                text.len(),
                limits.max_policy_bytes
            ),
        ));
    }
    if let Some(offset) = too_deep(text, limits.max_nesting, toml) {
        let mut e = Error::new(
            ErrorKind::LimitExceeded,
            format!(
                "nested deeper than the limit `max_nesting` ({})",
                limits.max_nesting
            ),
        );
        e.set_location(Some(Location::from_offset(text, offset)));
        return Err(e);
    }
    Ok(())
}

/// A step of the path to a value: a map key or an array index.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// Turns a deserialization message and its path into an error naming the item
/// and field.
fn field_error(
    message: &str,
    path: &[Step],
    id_of: impl Fn(&str, usize) -> Option<String>,
) -> Error {
    let kind = if message.starts_with("unknown field") {
        ErrorKind::UnknownField
    } else if message.starts_with("duplicate key") || message.starts_with("duplicate field") {
        ErrorKind::Duplicate
    } else if message.starts_with("missing field") {
        ErrorKind::MissingField
    } else if path.is_empty() && !message.starts_with("invalid type") {
        ErrorKind::Syntax
    } else {
        ErrorKind::InvalidValue
    };
    let mut err = Error::new(kind, first_line(message));
    // The item: the first key, plus the index or table key that follows.
    let mut rest = path;
    if let [Step::Key(section), tail @ ..] = path {
        match tail {
            [Step::Index(i), more @ ..] => {
                err = err.with_item(Item::new(
                    section.as_str(),
                    Some(*i),
                    id_of(section, *i).as_deref(),
                ));
                rest = more;
            }
            [Step::Key(name), more @ ..] if matches!(section.as_str(), "tiers") => {
                err = err.with_item(Item::new(section.as_str(), None, Some(name)));
                rest = more;
            }
            [Step::Key(_), ..] if section == "complaints" => {
                err = err.with_item(Item::new("complaints", None, None));
                rest = tail;
            }
            [] if message.starts_with("duplicate key") => {
                // A map's key given twice: the item is the map's entry, by its key.
                err = err.with_item(Item::new(
                    section.as_str(),
                    None,
                    quoted_name(message).as_deref(),
                ));
                rest = &[];
            }
            [] => rest = &[],
            _ => {
                err = err.with_item(Item::new(section.as_str(), None, None));
                rest = tail;
            }
        }
        if tail.is_empty() && message.starts_with("invalid") {
            // A top-level scalar: the section is the field.
            err = err.with_field(section.as_str());
        }
    }
    // The field: the unknown or missing name the message gives, else the path.
    let named = quoted_name(message).filter(|_| {
        matches!(kind, ErrorKind::UnknownField | ErrorKind::MissingField)
            || message.starts_with("duplicate field")
    });
    let field = named.or_else(|| {
        let keys: Vec<String> = rest
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Index(i) => format!("[{i}]"),
            })
            .collect();
        (!keys.is_empty()).then(|| keys.join(".").replace(".[", "["))
    });
    if let Some(f) = field {
        err = err.with_field(f);
    }
    err
}

fn first_line(message: &str) -> String {
    message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message)
        .trim()
        .to_owned()
}

/// The first name in backticks in a serde message: `unknown field `acton`, …`.
fn quoted_name(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message.get(start..)?.find('`')?;
    message.get(start..start + len).map(str::to_owned)
}

/// An error of the toml crate as the crate's: `offset` turns an offset in
/// the piece parsed into one in the text, `id_of` gives an item's id.
#[cfg(feature = "toml")]
fn toml_error(
    text: &str,
    e: &toml::de::Error,
    path: Option<&[Step]>,
    offset: impl Fn(usize) -> usize,
    id_of: impl Fn(&str, usize) -> Option<String>,
) -> Error {
    let mut err = match path {
        Some(path) => field_error(e.message(), path, id_of),
        None => Error::new(ErrorKind::Syntax, first_line(e.message())),
    };
    err.set_location(
        e.span()
            .map(|s| Location::from_offset(text, offset(s.start))),
    );
    err
}

/// The span of the value an error is about, found in the parsed TOML text.
#[cfg(feature = "toml")]
fn toml_span(
    doc: &toml::Spanned<toml::de::DeTable<'_>>,
    e: &Error,
    index: Option<usize>,
) -> Option<usize> {
    use toml::de::DeValue;
    let item = e.item()?;
    let mut sections = item.section().split('.');
    let first = sections.next()?;
    let mut value: &toml::Spanned<DeValue<'_>> = doc.get_ref().get(first)?;
    for s in sections {
        value = value.get_ref().get(s)?;
    }
    if let Some(i) = index.or(item.index()) {
        value = value.get_ref().get(i)?;
    } else if let Some(id) = item.id() {
        if let Some(v) = value.get_ref().get(id) {
            value = v;
        }
    }
    let mut best = value.span().start;
    if let Some(field) = e.field() {
        let mut v = value;
        for part in field.split('.') {
            let name = part.split('[').next().unwrap_or(part);
            match v.get_ref().get(name) {
                Some(next) => {
                    v = next;
                    best = v.span().start;
                }
                None => break,
            }
        }
    }
    Some(best)
}

#[cfg(feature = "json")]
fn json_error(text: &str, e: &serde_json::Error, path: &[Step]) -> Error {
    let doc: Option<serde_json::Value> = serde_json::from_str(text).ok();
    let id_of = |section: &str, i: usize| -> Option<String> {
        doc.as_ref()?
            .get(section)?
            .get(i)?
            .get("id")?
            .as_str()
            .map(str::to_owned)
    };
    // serde_json appends " at line L column C" to its messages; we keep those apart.
    let msg = e.to_string();
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m);
    let mut err = if e.is_syntax() || e.is_eof() {
        Error::new(ErrorKind::Syntax, msg)
    } else {
        field_error(msg, path, id_of)
    };
    if e.line() > 0 {
        err.set_location(Some(Location::from_line_column(e.line(), e.column())));
    }
    err
}

/// Moves a parsed file into a builder: the only checks here are the ones the
/// builder cannot make (the version, the rules' single matcher).
fn builder_from_file(file: FilePolicy) -> (PolicyBuilder, Vec<Error>) {
    let mut errors = Vec::new();
    if file.version != SUPPORTED_VERSION {
        errors.push(
            Error::new(
                ErrorKind::UnsupportedVersion,
                format!(
                    "version `{}` is not supported: this crate reads version {SUPPORTED_VERSION}",
                    file.version
                ),
            )
            .with_field("version"),
        );
    }
    let mut b = PolicyBuilder::new();
    b.defaults(file.defaults).limits(file.limits);
    for (name, tier) in file.tiers {
        b.tier(name, tier);
    }
    for p in file.platform {
        let mut platform = crate::rules::Platform::new(p.id, p.domains);
        platform.name = p.name;
        platform.tier = p.tier;
        b.platform(platform);
    }
    for (i, r) in file.rule.into_iter().enumerate() {
        let mut matchers = r.matchers();
        if matchers.len() != 1 {
            let msg = if matchers.is_empty() {
                "a rule needs one matcher: `domain`, `host`, `url_prefix`, `regex` or `scheme`"
                    .to_owned()
            } else {
                let names: Vec<String> = matchers
                    .iter()
                    .map(|m| format!("`{}`", m.field()))
                    .collect();
                format!(
                    "a rule has exactly one matcher, this one has {}",
                    names.join(", ")
                )
            };
            let mut e = Error::new(ErrorKind::Matcher, msg).with_item(Item::new(
                "rule",
                Some(i),
                Some(&r.id),
            ));
            if let Some(m) = matchers.get(1) {
                e = e.with_field(m.field());
            }
            errors.push(e);
            continue;
        }
        let Some(matcher) = matchers.pop() else {
            continue;
        };
        let mut rule = Rule::new(r.id, r.action, matcher)
            .category(r.category)
            .hard(r.hard)
            .shadow(r.shadow);
        rule.chats = r.chats;
        rule.min_members = r.min_members;
        rule.rollout = r.rollout;
        b.rule(rule.priority(r.priority));
    }
    for l in file.list {
        b.list(l.into());
    }
    for p in file.phase {
        b.phase(p);
    }
    for r in file.redirector {
        b.redirector(r);
    }
    if let Some(w) = file.wrappers {
        b.builtin_wrappers(w.builtin);
    }
    if let Some(t) = file.tracking {
        b.tracking_params(t.params);
        b.builtin_tracking(t.builtin);
    }
    if let Some(l) = file.lookalike {
        b.lookalike(l.action, l.protect);
        b.lookalike_typosquat(l.typosquat);
        b.lookalike_embedded(l.embedded);
    }
    if let Some(u) = file.user {
        if let Some(allow) = u.allow_trust {
            b.allow_trust(allow);
        }
    }
    if let Some(c) = file.complaints {
        for (cat, t) in c.thresholds {
            b.complaint_threshold(cat, t);
        }
    }
    for c in file.complaint {
        b.complaint(c);
    }
    for (i, t) in file.test.into_iter().enumerate() {
        let raw = crate::context::RawContext {
            chat: t.chat,
            members: t.members,
            user: t.user,
            client_version: t.client_version,
            now: t.now,
            prefs: t.prefs,
            display_text: t.display_text,
            ..Default::default()
        };
        match raw.context() {
            Ok(ctx) => {
                let mut test = crate::operator::PolicyTest::new(t.link, ctx, t.expect);
                if let Some(name) = t.name {
                    test = test.with_name(name);
                }
                if let Some(reason) = t.reason {
                    test = test.with_reason(reason);
                }
                if let Some(rule) = t.rule {
                    test = test.with_rule(rule);
                }
                b.test(test);
            }
            Err(problem) => errors.push(
                Error::new(ErrorKind::InvalidValue, problem.message())
                    .with_item(Item::new("test", Some(i), t.name.as_deref()))
                    .with_field(if t.members.is_some() {
                        "members"
                    } else {
                        "chat"
                    }),
            ),
        }
    }
    (b, errors)
}

/// Every shape error of a policy text (an unknown or missing field, a value of
/// the wrong type), item by item: the text is read as a plain tree, and each
/// time the file model refuses it, the error is kept and the item it is about
/// taken out, until the rest reads. A syntax error stops at itself.
fn shape_errors<V: ShapeTree>(
    mut tree: V,
    mut make: impl FnMut(&str, &[Step]) -> Error,
) -> Vec<Error> {
    let (mut errors, origin) = shape_errors_of(&mut tree, &mut make);
    // What is left reads: the problems building finds in it, its items named
    // by their place in the text. List texts are the host app's: a list without
    // one is no problem of the text.
    if let Some(file) = tree.read_file() {
        let (mut b, pending) = builder_from_file(file);
        b.set_pending(pending);
        if let Err(e) = b.build() {
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
fn whole_tree_fits(tree_bytes: usize) -> bool {
    tree_bytes.saturating_mul(3) <= SizeLimits::default().max_toml_tree_bytes
}

/// About the heap a JSON text takes as a `serde_json::Value` tree: a value
/// for every `,` `:` `[` `{` outside strings (each starts one, or a key), at
/// [`JSON_VALUE_BYTES`] each, and the text's own bytes for the strings'
/// contents. One pass, no parse.
#[cfg(feature = "json")]
fn json_tree_bytes(text: &str) -> usize {
    let (mut values, mut in_string, mut escaped) = (1usize, false, false);
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if matches!(b, b',' | b':' | b'[' | b'{') {
            values += 1;
        }
    }
    values
        .saturating_mul(JSON_VALUE_BYTES)
        .saturating_add(text.len())
}

/// What one JSON value costs in a `serde_json::Value` tree, measured (`cd perf
/// && cargo run --release -- --untrusted`): the 32-byte value, in an array's
/// buffer grown by doubling or a map's node with its key's `String`.
#[cfg(feature = "json")]
const JSON_VALUE_BYTES: usize = 96;

/// A policy text read as a plain tree (TOML's or JSON's).
trait ShapeTree {
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

/// A TOML document (or piece) read into `T`; on an error, the error and the
/// path of the key or value it is about, found from the error's span in the
/// tree `tree` gives (the document again: parsed anew, or a copy).
///
/// The path is what `serde_path_to_error` would give (a test checks it on
/// broken policies), found without wrapping the deserializer: wrapping it
/// makes a copy of all its code for each of the toml crate's four kinds of
/// table, a third of the WebAssembly package's code.
#[cfg(feature = "toml")]
fn deserialize_toml<'i, T: serde::de::DeserializeOwned>(
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
#[cfg(feature = "toml")]
struct TomlFieldError {
    inner: toml::de::Error,
    path: Vec<Step>,
}

#[cfg(feature = "toml")]
impl TomlFieldError {
    fn inner(&self) -> &toml::de::Error {
        &self.inner
    }

    fn path(&self) -> &[Step] {
        &self.path
    }
}

/// The path of the innermost key or value of `tree` whose span holds `span`,
/// and whether it is a key.
#[cfg(feature = "toml")]
fn toml_path_at(
    tree: &toml::Spanned<toml::de::DeTable<'_>>,
    span: &std::ops::Range<usize>,
) -> (Vec<Step>, bool) {
    use toml::de::DeValue;
    let holds = |s: std::ops::Range<usize>| s.start <= span.start && span.end <= s.end;
    let mut path = Vec::new();
    if tree.span() == *span {
        // A missing top-level field.
        return (path, false);
    }
    let mut table = tree.get_ref();
    // A table's own span (its header) does not hold its keys: look into every
    // table and array for the entry that holds the span.
    loop {
        let mut next = None;
        for (key, value) in table.iter() {
            if holds(key.span()) {
                path.push(Step::Key(key.get_ref().to_string()));
                return (path, true);
            }
            if toml_find(value, span) {
                path.push(Step::Key(key.get_ref().to_string()));
                next = Some(value);
                break;
            }
        }
        let Some(mut value) = next else {
            return (path, false);
        };
        // Down through arrays to the element that holds it.
        loop {
            match value.get_ref() {
                DeValue::Array(items) => {
                    let Some((i, item)) = items
                        .iter()
                        .enumerate()
                        .find(|(_, item)| toml_find(item, span))
                    else {
                        return (path, false);
                    };
                    path.push(Step::Index(i));
                    value = item;
                }
                DeValue::Table(t) => {
                    if holds(value.span())
                        && !t.iter().any(|(k, v)| holds(k.span()) || toml_find(v, span))
                    {
                        return (path, false);
                    }
                    table = t;
                    break;
                }
                _ => return (path, false),
            }
        }
    }
}

/// Whether `value` or anything in it holds `span`.
#[cfg(feature = "toml")]
fn toml_find(value: &toml::Spanned<toml::de::DeValue<'_>>, span: &std::ops::Range<usize>) -> bool {
    use toml::de::DeValue;
    let holds = |s: std::ops::Range<usize>| s.start <= span.start && span.end <= s.end;
    holds(value.span())
        || match value.get_ref() {
            DeValue::Array(items) => items.iter().any(|v| toml_find(v, span)),
            DeValue::Table(t) => t.iter().any(|(k, v)| holds(k.span()) || toml_find(v, span)),
            _ => false,
        }
}

/// A whole JSON text read into the file model (trailing characters are the
/// caller's to check); on an error, the error and the path of the key or
/// value it is about, found from its line and column as for TOML.
#[cfg(feature = "json")]
fn deserialize_json<'t>(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'t>>,
    text: &'t str,
) -> Result<FilePolicy, (serde_json::Error, Vec<Step>)> {
    use serde::Deserialize as _;
    FilePolicy::deserialize(de).map_err(|e| {
        // The text before the error has parsed (a syntax error inside a
        // field has that field's path too); past it, the walker is robust.
        let path = if e.line() > 0 {
            // serde_json's column counts the bytes read on the line: `at` is
            // the first byte not read.
            let line_start = match e.line() {
                1 => 0,
                n => text
                    .match_indices('\n')
                    .nth(n - 2)
                    .map_or(0, |(i, _)| i + 1),
            };
            let at = line_start + e.column();
            let (mut path, key) = json_path_at(text.as_bytes(), at);
            if key && e.to_string().starts_with("unknown variant") {
                path.pop();
            }
            path
        } else {
            Vec::new()
        };
        (e, path)
    })
}

/// The path of the innermost key or value of a JSON text that holds `at` or
/// ends right before it, and whether it is a key. serde_json reports an error
/// after the last byte it read: right after the value or key it is about
/// (after an object's closing brace for a missing field), or at the start of
/// a value it refused on its first byte.
#[cfg(feature = "json")]
fn json_path_at(b: &[u8], at: usize) -> (Vec<Step>, bool) {
    let mut path = Vec::new();
    match json_walk(b, 0, at, &mut path) {
        Err(found) => (path, found),
        Ok(_) => (Vec::new(), false),
    }
}

/// Reads the JSON value at `p` (the text up to `at` has parsed, so its
/// syntax is right; past it, any bytes, and every loop moves on or stops);
/// `Ok` with the offset after it, or `Err` once the innermost key or
/// value holding `at` is found, with `path` leading to it (`true` for a key).
#[cfg(feature = "json")]
fn json_walk(b: &[u8], p: usize, at: usize, path: &mut Vec<Step>) -> Result<usize, bool> {
    let skip = |mut p: usize| {
        while b.get(p).is_some_and(u8::is_ascii_whitespace) {
            p += 1;
        }
        p
    };
    let string_end = |mut p: usize| {
        // `p` is at the opening quote.
        p += 1;
        while let Some(&c) = b.get(p) {
            match c {
                b'\\' => p += 2,
                b'"' => return p + 1,
                _ => p += 1,
            }
        }
        p
    };
    // Past a member of an object or array that started at `from`, and its
    // comma; `None` when nothing was read, which only text that is not JSON
    // does: the walk then ends, so every loop moves on or stops.
    let after_member = |end: usize, from: usize| {
        let mut q = skip(end);
        if b.get(q) == Some(&b',') {
            q = skip(q + 1);
        }
        (q > from).then_some(q)
    };
    let start = skip(p);
    let end = match b.get(start) {
        Some(b'{') => {
            let mut q = skip(start + 1);
            while b.get(q).is_some_and(|&c| c != b'}') {
                let from = q;
                let key_end = string_end(q);
                let key = b
                    .get(q..key_end)
                    .and_then(|k| serde_json::from_slice::<String>(k).ok())
                    .unwrap_or_default();
                path.push(Step::Key(key));
                if q <= at && at <= key_end {
                    return Err(true);
                }
                q = skip(key_end) + 1; // the colon
                let Some(next) = after_member(json_walk(b, q, at, path)?, from) else {
                    return Ok(b.len());
                };
                q = next;
                path.pop();
            }
            q + 1
        }
        Some(b'[') => {
            let mut q = skip(start + 1);
            let mut i = 0;
            while b.get(q).is_some_and(|&c| c != b']') {
                let from = q;
                path.push(Step::Index(i));
                let Some(next) = after_member(json_walk(b, q, at, path)?, from) else {
                    return Ok(b.len());
                };
                q = next;
                path.pop();
                i += 1;
            }
            q + 1
        }
        Some(b'"') => string_end(start),
        _ => {
            let mut q = start;
            while b
                .get(q)
                .is_some_and(|c| !matches!(c, b',' | b']' | b'}') && !c.is_ascii_whitespace())
            {
                q += 1;
            }
            q
        }
    };
    if start <= at && at <= end {
        return Err(false);
    }
    Ok(end)
}

impl PolicyBuilder {
    /// Every problem of a TOML policy text at once, where
    /// [`PolicyBuilder::from_toml_str`] stops at the first shape error (an
    /// unknown or misspelt field, a value of the wrong type, a missing field):
    /// each item's shape errors, then — when the shapes are right — every
    /// problem [`build`](PolicyBuilder::build) finds. Empty when the policy
    /// loads. For `linkpolicy check` and editors.
    ///
    /// Finding every shape error reads the whole text into a tree, where
    /// loading reads it piece by piece. A text whose tree would weigh more than
    /// the default `max_toml_tree_bytes` (estimated from its values and tables,
    /// before anything is parsed) reports its first problem only, so a hostile
    /// text costs no more memory here than loading it does.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::PolicyBuilder;
    ///
    /// let problems = PolicyBuilder::toml_problems(r#"
    /// version = 1
    /// [[rule]]
    /// id = "a"
    /// acton = "block"
    /// domain = "a.example"
    /// [[rule]]
    /// id = "b"
    /// action = "blok"
    /// domain = "b.example"
    /// "#);
    /// assert_eq!(problems.len(), 2);
    /// assert!(problems[0].to_string().contains("acton"), "{}", problems[0]);
    /// assert!(problems[1].to_string().contains("blok"), "{}", problems[1]);
    /// assert_eq!(problems[1].item().and_then(|i| i.index()), Some(1));
    /// assert!(PolicyBuilder::toml_problems("version = 1").is_empty());
    /// ```
    #[cfg(feature = "toml")]
    pub fn toml_problems(text: &str) -> Vec<Error> {
        let first = match Self::from_toml_str(text) {
            Ok(b) => {
                return b
                    .build()
                    .err()
                    .map_or_else(Vec::new, |e| e.errors().cloned().collect());
            }
            Err(e) => e,
        };
        if first.kind() == ErrorKind::Syntax || first.kind() == ErrorKind::LimitExceeded {
            return vec![first];
        }
        if !whole_tree_fits(crate::toml_split::split(text).tree_bytes()) {
            return vec![first];
        }
        let Ok(tree) = toml::de::DeTable::parse(text) else {
            return vec![first];
        };
        let doc = toml::de::DeTable::parse(text).ok();
        let id_of = |section: &str, i: usize| -> Option<String> {
            let table = doc.as_ref()?.get_ref();
            let value = table
                .get(section)?
                .get_ref()
                .get(i)?
                .get_ref()
                .get("id")?
                .get_ref();
            value.as_str().map(str::to_owned)
        };
        let errors = shape_errors(tree, |msg, path| field_error(msg, path, id_of));
        match Error::collect(errors) {
            Some(all) => locate_in_toml(all, text).errors().cloned().collect(),
            None => vec![first],
        }
    }

    /// Every problem of a JSON policy text at once: see
    /// [`PolicyBuilder::toml_problems`]. Shape errors after the first carry no
    /// line and column. As there, a text whose tree would weigh more than the
    /// default `max_toml_tree_bytes` reports its first problem only.
    #[cfg(feature = "json")]
    pub fn json_problems(text: &str) -> Vec<Error> {
        let first = match Self::from_json_str(text) {
            Ok(b) => {
                return b
                    .build()
                    .err()
                    .map_or_else(Vec::new, |e| e.errors().cloned().collect());
            }
            Err(e) => e,
        };
        if first.kind() == ErrorKind::Syntax || first.kind() == ErrorKind::LimitExceeded {
            return vec![first];
        }
        if !whole_tree_fits(json_tree_bytes(text)) {
            return vec![first];
        }
        let Ok(serde_json::Value::Object(tree)) = serde_json::from_str::<serde_json::Value>(text)
        else {
            return vec![first];
        };
        let doc = serde_json::Value::Object(tree.clone());
        let id_of = |section: &str, i: usize| -> Option<String> {
            doc.get(section)?
                .get(i)?
                .get("id")?
                .as_str()
                .map(str::to_owned)
        };
        let mut errors = shape_errors(tree, |msg, path| field_error(msg, path, id_of));
        // The first error as the parser gave it, with its line and column.
        if let Some(e) = errors.first_mut() {
            if e.message() == first.message() {
                *e = first.clone();
            }
        }
        if errors.is_empty() {
            vec![first]
        } else {
            errors
        }
    }
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    /// What reading gives, printed: the model, or the error with its place.
    fn outcome(r: Result<FilePolicy, Error>) -> String {
        match r {
            Ok(f) => format!("ok {f:?}"),
            Err(e) => format!("error {e} {:?} {:?}", e.kind(), e.location()),
        }
    }

    /// Read piece by piece, a text gives what it gives read whole: the same
    /// model, or the same error at the same place.
    #[test]
    fn pieces_read_as_the_whole_text() {
        let texts = [
            "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"a.example\"\n",
            // Sub-tables, before and after other tables.
            "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"a.example\"\n[defaults]\ngroup = \"warn\"\n[rule.rollout]\npercent = 5\n[[rule]]\nid = \"b\"\naction = \"warn\"\nhost = \"b.example\"\n[rule.rollout]\npercent = 7\n",
            // A section defined twice.
            "version = 1\nrule = []\n[[rule]]\nid = \"a\"\n",
            "version = 1\n[[rule]]\nid = \"a\"\n[rule]\nid = \"b\"\n",
            "version = 1\n[rule.rollout]\npercent = 1\n[[rule]]\nid = \"a\"\n",
            "version = 1\n[[rule]]\nid = \"a\"\n[[rule.rollout]]\n",
            // A key and a sub-table given twice within an item.
            "version = 1\n[[rule]]\nid = \"a\"\nid = \"b\"\n",
            "version = 1\n[[rule]]\nid = \"a\"\n[rule.rollout]\n[rule.rollout]\n",
            // Field errors: the first in serde's order of the tables.
            "version = 1\n[[rule]]\nid = \"a\"\nacton = \"block\"\n[defaults]\ngrup = 1\n",
            "version = 1\n[[rule]]\nid = \"a\"\nacton = \"block\"\n[[complaint]]\ndomain = 3\n",
            "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"a\"\n[[rule]]\nid = 5\n",
            "[[rule]]\nid = \"a\"\nacton = \"block\"\n",
            "[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"a\"\n",
            "version = 1\nzzz = 1\n[[rule]]\nid = \"a\"\nacton = \"block\"\n",
            "version = 1\naaa = 1\n[[rule]]\nid = \"a\"\nacton = \"block\"\n",
            // Syntax errors: the first in the text.
            "version = 1\n[defaults]\ngroup = =\n[[rule]]\nid = \"a\n",
            "version = 1\n[[rule]]\nid = [\n[[rule]]\nid = \"b\"\n",
            "version = 1\n[[rule]\nid = \"a\"\n",
            "version = 1\n[[rule]] x\nid = \"a\"\n",
            // Lists of strings, read by the splitter or left to the parser.
            "version = 1\ntracking.params = [\"a_*\", 'b',\n# c\n\"\\u0064\",]\n[lookalike]\nprotect = [\"x.example\"]\n",
            "version = 1\n[tracking]\nparams = [\"a\"]\nparams = [\"b\"]\n",
            "version = 1\n[tracking]\nparams = [\"a\", 1]\n",
            "version = 1\n[tracking]\nparams = [\"a\\q\"]\n",
            "version = 1\ntracking.params = [\"a\"]\n[tracking]\nbuiltin = true\n",
            // Quoted and spaced headers, comments, CRLF.
            "version = 1\r\n[[ \"rule\" ]] # r\r\nid = 'a'\r\naction = \"block\"\r\ndomain = \"a.example\"\r\n",
            "version = 1\n[[list]]\nid = \"l\"\nformat = \"domains\"\naction = \"block\"\n[[platform]]\nid = \"p\"\ndomains = [\"p.example\"]\n[[test]]\nlink = \"a\"\nexpect = \"allow\"\n",
        ];
        let differ: Vec<String> = texts
            .iter()
            .filter_map(|text| {
                let (a, b) = (
                    outcome(read_toml(text, &SizeLimits::default())),
                    outcome(read_whole_toml(text)),
                );
                (a != b).then(|| format!("{text:?}\n pieces: {a}\n whole:  {b}"))
            })
            .collect();
        assert!(differ.is_empty(), "{}", differ.join("\n"));
        // The one difference: of two parse errors in different pieces, the
        // first in the text is reported, where the whole text may report a
        // later one first (the toml crate decodes strings after the rest).
        let text = "version = 1\n[[rule]]\nid = \"a\n[defaults]\ngroup = =\n";
        let e = read_toml(text, &SizeLimits::default())
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("invalid basic string, expected `\"` (line 3, column 8)")
        );
    }

    /// A problem found when building points at its item's line, each item
    /// parsed alone to find it.
    #[test]
    fn build_errors_point_at_their_item() {
        let text = "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"a.example\"\n[defaults]\ngroup = \"warn\"\n[[rule]]\nid = \"b\"\naction = \"block\"\n\ndomain = \"not a domain\"\n[tracking]\nparams = [\"ok\", \"\"]\n";
        let e = Policy::from_toml_str(text).err();
        let places: Vec<(Option<usize>, Option<String>)> = e
            .iter()
            .flat_map(|e| e.errors())
            .map(|e| (e.location().map(|l| l.line()), e.field().map(str::to_owned)))
            .collect();
        assert_eq!(
            places,
            [
                (Some(12), Some("domain".to_owned())),
                (Some(14), Some("params".to_owned()))
            ],
            "{e:?}"
        );
    }

    /// The path found from a TOML error's span is the one
    /// `serde_path_to_error` gives, on a few thousand broken policies: each
    /// `key = value` line of the sample policies with its key misspelt, its
    /// value of other types, or the line taken out.
    /// The JSON walker ends on any bytes, whatever `at` is: the text past
    /// an error can be anything (a 65-byte policy looped forever, found by
    /// the `load` fuzz target).
    #[cfg(feature = "json")]
    #[test]
    fn json_walker_ends_on_any_text() {
        let texts = [
            r#"{"version": 1, "rule" {[:"id": "aion": "blmple""#,
            "{[:",
            "[,,]",
            "{,}",
            "{\"a\" 1 2 3",
            "[}",
            "{\"a\":}",
            "",
            "]]]",
        ];
        for text in texts {
            for at in 0..=text.len() + 1 {
                let _ = json_path_at(text.as_bytes(), at);
            }
        }
        // And a well-formed text still gives its path.
        let text = r#"{"rule": [{"id": "a"}, {"id": 7}]}"#;
        let at = text.find('7').unwrap();
        let (path, key) = json_path_at(text.as_bytes(), at);
        assert_eq!(format!("{path:?}"), r#"[Key("rule"), Index(1), Key("id")]"#);
        assert!(!key);
        let e = Policy::from_json_str(r#"{"version": 1, "rule" {[:"id": "aion": "blmple""#)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Syntax, "{e}");
    }

    #[test]
    fn toml_paths_from_spans_are_serde_path_to_error_paths() {
        let texts = [
            crate::SAMPLE_POLICY,
            include_str!("../tests/data/example/policy.toml"),
        ];
        let (mut compared, mut with_path) = (0, 0);
        for text in texts {
            let lines: Vec<&str> = text.lines().collect();
            for (n, line) in lines.iter().enumerate() {
                let Some((key, _)) = line.split_once(" = ") else {
                    continue;
                };
                if key.starts_with('#') || key.contains(' ') {
                    continue;
                }
                let edits = [
                    format!("{key}x = 1"),
                    format!("{key} = {{ z = 1 }}"),
                    format!("{key} = 5"),
                    format!("{key} = -5"),
                    format!("{key} = \"x\""),
                    format!("{key} = [\"x\", 5]"),
                    format!("{key} = true"),
                    String::new(),
                ];
                for edit in edits {
                    let mut broken = lines.clone();
                    broken[n] = &edit;
                    let broken = broken.join("\n");
                    let Ok(doc) = toml::de::DeTable::parse(&broken) else {
                        continue;
                    };
                    let Err(ours) =
                        deserialize_toml::<FilePolicy>(doc.clone(), || Some(doc.clone()))
                    else {
                        continue;
                    };
                    let theirs = serde_path_to_error::deserialize::<_, FilePolicy>(
                        toml::Deserializer::from(doc),
                    )
                    .err()
                    .map(|e| path_of(e.path()));
                    let expected = as_spte_sees_it(ours.path());
                    assert_eq!(
                        Some(format!("{expected:?}")),
                        theirs.map(|p| format!("{p:?}")),
                        "line {} edited to {edit:?}: {}",
                        n + 1,
                        ours.inner().message()
                    );
                    compared += 1;
                    with_path += usize::from(!ours.path().is_empty());
                }
            }
        }
        assert!(
            compared > 1000 && with_path > 900,
            "{compared} compared, {with_path} with a path"
        );
    }

    /// As serde_path_to_error gives a path.
    fn path_of(path: &serde_path_to_error::Path) -> Vec<Step> {
        use serde_path_to_error::Segment;
        path.iter()
            .filter_map(|s| match s {
                Segment::Map { key } => Some(Step::Key(key.clone())),
                Segment::Seq { index } => Some(Step::Index(*index)),
                Segment::Enum { variant } => Some(Step::Key(variant.clone())),
                Segment::Unknown => None,
            })
            .collect()
    }

    /// Our path as serde_path_to_error gives it: it loses a key that is not a
    /// string (the categories of `complaints.thresholds`); the position has it.
    fn as_spte_sees_it(path: &[Step]) -> Vec<Step> {
        let mut expected = path.to_vec();
        if let [Step::Key(a), Step::Key(b), ..] = expected.as_slice() {
            if a == "complaints" && b == "thresholds" && expected.len() > 2 {
                expected.remove(2);
            }
        }
        expected
    }

    /// The path found from a JSON error's line and column is the one
    /// `serde_path_to_error` gives, on a few thousand broken policies: each
    /// key of the sample policy (as JSON) misspelt, its value replaced by
    /// values of other types, or the key taken out.
    #[test]
    fn json_paths_from_positions_are_serde_path_to_error_paths() {
        let sample: toml::Table = crate::SAMPLE_POLICY.parse().unwrap_or_default();
        let sample = serde_json::to_value(sample).unwrap_or_default();
        let example: serde_json::Value =
            serde_json::from_str(include_str!("../tests/data/example/policy.json"))
                .unwrap_or_default();
        // Every place in a tree: the path of keys and indices to it.
        fn places(v: &serde_json::Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
            match v {
                serde_json::Value::Object(m) => {
                    for (k, v) in m {
                        at.push(Step::Key(k.clone()));
                        out.push(at.clone());
                        places(v, at, out);
                        at.pop();
                    }
                }
                serde_json::Value::Array(a) => {
                    for (i, v) in a.iter().enumerate() {
                        at.push(Step::Index(i));
                        places(v, at, out);
                        at.pop();
                    }
                }
                _ => {}
            }
        }
        let (mut compared, mut with_path) = (0, 0);
        for doc in [sample, example] {
            let mut all = Vec::new();
            places(&doc, &mut Vec::new(), &mut all);
            for place in all {
                let Some((Step::Key(key), parent)) = place.split_last() else {
                    continue;
                };
                let edits: [Option<serde_json::Value>; 8] = [
                    None,
                    Some(serde_json::json!({ "z": 1 })),
                    Some(serde_json::json!(5)),
                    Some(serde_json::json!(-5)),
                    Some(serde_json::json!("x")),
                    Some(serde_json::json!(["x", 5])),
                    Some(serde_json::json!(true)),
                    Some(serde_json::json!(null)),
                ];
                for (e, edit) in edits.into_iter().enumerate() {
                    let mut broken = doc.clone();
                    let mut node = &mut broken;
                    for step in parent {
                        node = match step {
                            Step::Key(k) => &mut node[k.as_str()],
                            Step::Index(i) => &mut node[*i],
                        };
                    }
                    let Some(map) = node.as_object_mut() else {
                        continue;
                    };
                    let old = map.remove(key.as_str()).unwrap_or_default();
                    match (e, edit) {
                        (0, _) => {
                            map.insert(format!("{key}x"), old);
                        }
                        (_, Some(v)) => {
                            map.insert(key.clone(), v);
                        }
                        _ => {}
                    }
                    let text = serde_json::to_string_pretty(&broken).unwrap_or_default();
                    let mut de = serde_json::Deserializer::from_str(&text);
                    let Err((err, ours)) = deserialize_json(&mut de, &text) else {
                        continue;
                    };
                    let mut de = serde_json::Deserializer::from_str(&text);
                    let theirs = serde_path_to_error::deserialize::<_, FilePolicy>(&mut de)
                        .err()
                        .map(|e| path_of(e.path()));
                    let expected = as_spte_sees_it(&ours);
                    assert_eq!(
                        Some(format!("{expected:?}")),
                        theirs.map(|p| format!("{p:?}")),
                        "{place:?} edit {e}: {err}"
                    );
                    compared += 1;
                    with_path += usize::from(!ours.is_empty());
                }
            }
        }
        assert!(
            compared > 1000 && with_path > 900,
            "{compared} compared, {with_path} with a path"
        );
    }
}
