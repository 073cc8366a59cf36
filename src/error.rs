//! Errors from loading and building a policy.
//!
//! [`Error`] is also the one shape of the problems found below the public
//! API: a step that can fail (a domain that does not normalize, a regex over
//! its limit, a snapshot table out of bounds) returns an `Error` of the kind it
//! knows, and its caller, which knows the item, places it (`with_item`,
//! `with_field`), or keeps its message as a list's warning. Three kinds of step
//! keep a shape of their own, as their callers need more than a message:
//! `context::ContextProblem`, whose variants become distinct
//! [`RequestErrorKind`](crate::RequestErrorKind)s; the TOML and JSON readers
//! of `load/`, whose errors carry the parser's error (or its message) and the
//! path of the field it is about until the text locates them; and the checks
//! of a verdict read back from JSON, whose message becomes serde's error.

use std::fmt;

/// An error from loading or building a [`Policy`](crate::Policy).
///
/// Loading is all-or-nothing: when a policy has several problems they are all
/// reported, the first one through this value's accessors and every one through
/// [`Error::errors`]. Each names the item it is about (a rule by id and index, a
/// platform, a tier, …), the field, and, where the parser gives it, a line and
/// column.
///
/// # Example
///
/// ```
/// use linkpolicy::{ErrorKind, Policy};
///
/// let err = Policy::from_toml_str(r#"
/// version = 1
/// [[rule]]
/// id = "fraud-0001"
/// acton = "block"
/// domain = "evil.example"
/// "#).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::UnknownField);
/// assert_eq!(err.item().and_then(|i| i.id()), Some("fraud-0001"));
/// assert_eq!(err.field(), Some("acton"));
/// assert_eq!(err.location().map(|l| l.line()), Some(5));
/// ```
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{inner}")]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    item: Option<Item>,
    field: Option<String>,
    location: Option<Location>,
    message: String,
    /// Every problem, this one first, when there are several (each without a list
    /// of its own); empty for a single problem.
    all: Vec<Error>,
}

/// What kind of problem an [`Error`] is.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not well-formed TOML or JSON.
    Syntax,
    /// A field that the format does not define (often a misspelling).
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A field has a value of the wrong type or outside its allowed set.
    InvalidValue,
    /// `version` is not a version this crate reads.
    UnsupportedVersion,
    /// Two items of the same kind share an id, or two platforms claim one domain.
    Duplicate,
    /// A platform names a tier that is not defined.
    UndefinedTier,
    /// A domain or host that is not a valid host name.
    InvalidDomain,
    /// A regular expression that does not compile.
    InvalidRegex,
    /// A `url_prefix` that is not an absolute URL with a host.
    InvalidUrlPrefix,
    /// A scheme that is not a valid URL scheme.
    InvalidScheme,
    /// A rule with no matcher, or with more than one.
    Matcher,
    /// A size limit of the policy was exceeded.
    LimitExceeded,
    /// A Public Suffix List that could not be parsed.
    PublicSuffixList,
    /// A list declared in the policy whose text was not given.
    MissingList,
    /// A line of a list that cannot be used, with strict lists.
    ListLine,
    /// A snapshot (see [`crate::snapshot`]) written in another format version
    /// than the one this crate reads, or against another built-in Public Suffix
    /// List: compile the policy again with this crate.
    UnsupportedSnapshot,
    /// Bytes that are not a whole, intact snapshot: no snapshot magic, cut
    /// short, a checksum that does not match, or tables out of bounds.
    CorruptSnapshot,
}

/// A line of a list that could not be used: it is left out of the policy, and
/// reported here rather than silently dropped.
#[derive(Clone, Debug, Eq, Hash, PartialEq)]
pub struct Warning {
    list: String,
    line: usize,
    message: String,
}

impl Warning {
    pub(crate) fn new(list: &str, line: usize, message: String) -> Self {
        Self {
            list: list.to_owned(),
            line,
            message,
        }
    }

    /// The id of the list.
    pub fn list(&self) -> &str {
        &self.list
    }

    /// The line of the list's text, counting from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Why the line cannot be used.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "list `{}`: line {}: {}",
            self.list, self.line, self.message
        )
    }
}

/// The item of a policy an [`Error`] is about: a rule, a platform, a tier, ….
#[derive(Clone, Debug, Eq, Hash, PartialEq)]
pub struct Item {
    section: String,
    index: Option<usize>,
    id: Option<String>,
}

/// A position in the policy text: 1-based line and column, 0-based byte offset.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub struct Location {
    line: usize,
    column: usize,
    offset: Option<usize>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                item: None,
                field: None,
                location: None,
                message: message.into(),
                all: Vec::new(),
            }),
        }
    }

    pub(crate) fn with_item(mut self, item: Item) -> Self {
        self.inner.item = Some(item);
        self
    }

    /// A snapshot's bytes that are not what this crate writes: a
    /// [`ErrorKind::CorruptSnapshot`] error saying what is wrong.
    pub(crate) fn corrupt_snapshot(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::CorruptSnapshot, message)
    }

    /// The message alone, for a list's warning.
    pub(crate) fn into_message(self) -> String {
        self.inner.message
    }

    pub(crate) fn with_field(mut self, field: impl Into<String>) -> Self {
        self.inner.field = Some(field.into());
        self
    }

    #[cfg(any(feature = "toml", feature = "json"))]
    pub(crate) fn set_location(&mut self, location: Option<Location>) {
        self.inner.location = location;
    }

    /// Gathers several errors into one; `None` when there are none.
    pub(crate) fn collect(errors: Vec<Error>) -> Option<Error> {
        let mut flat = Vec::with_capacity(errors.len());
        for e in errors {
            flat.extend(e.into_problems());
        }
        Self::from_problems(flat)
    }

    fn into_problems(mut self) -> Vec<Error> {
        if self.inner.all.is_empty() {
            vec![self]
        } else {
            std::mem::take(&mut self.inner.all)
        }
    }

    fn from_problems(problems: Vec<Error>) -> Option<Error> {
        let mut head = problems.first()?.clone();
        if problems.len() > 1 {
            head.inner.all = problems;
        }
        Some(head)
    }

    /// Calls `f` on every problem, then puts them in order of their location in
    /// the text (problems without one keep their place at the end).
    #[cfg(feature = "toml")]
    pub(crate) fn locate_and_sort(self, mut f: impl FnMut(&mut Error)) -> Error {
        let mut problems = self.into_problems();
        problems.iter_mut().for_each(&mut f);
        problems.sort_by_key(|e| {
            e.location()
                .map_or((usize::MAX, usize::MAX), |l| (l.line(), l.column()))
        });
        Self::from_problems(problems)
            .unwrap_or_else(|| Error::new(ErrorKind::Syntax, "invalid policy"))
    }

    /// The kind of the (first) problem.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The item the problem is in, when it is in one.
    pub fn item(&self) -> Option<&Item> {
        self.inner.item.as_ref()
    }

    /// The field the problem is in, such as `domain` or `tier`.
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }

    /// Where in the policy text the problem is, when the parser tells.
    pub fn location(&self) -> Option<Location> {
        self.inner.location
    }

    /// The description of the problem alone, without item, field or location.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Every problem found, this one first. Each yielded error describes one
    /// problem: its `Display` has no "and N more" tail.
    pub fn errors(&self) -> std::slice::Iter<'_, Error> {
        if self.inner.all.is_empty() {
            std::slice::from_ref(self).iter()
        } else {
            self.inner.all.iter()
        }
    }

    /// The number of problems found (at least one).
    pub fn len(&self) -> usize {
        self.inner.count()
    }

    /// Always `false`: an error describes at least one problem.
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl Inner {
    /// The number of problems (at least one): this one, or every one of `all`.
    fn count(&self) -> usize {
        self.all.len().max(1)
    }
}

/// How an error reads: its first problem, with its item, field and place, then
/// how many more there are. [`Error`]'s `Display` (derived with `thiserror`).
impl fmt::Display for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(item) = &self.item {
            write!(f, "{item}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(loc) = self.location {
            write!(f, " (line {}, column {})", loc.line, loc.column)?;
        }
        match self.count() - 1 {
            0 => Ok(()),
            1 => write!(f, " (and 1 more error)"),
            n => write!(f, " (and {n} more errors)"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.inner.kind)
            .field("item", &self.inner.item)
            .field("field", &self.inner.field)
            .field("location", &self.inner.location)
            .field("message", &self.inner.message);
        if !self.inner.all.is_empty() {
            d.field("all", &self.inner.all);
        }
        d.finish()
    }
}

impl Item {
    pub(crate) fn new(section: impl Into<String>, index: Option<usize>, id: Option<&str>) -> Self {
        Self {
            section: section.into(),
            index,
            id: id.map(str::to_owned),
        }
    }

    /// The section of the policy: `rule`, `platform`, `tiers`, `phase`, `defaults`, ….
    pub fn section(&self) -> &str {
        &self.section
    }

    /// The 0-based position of the item in its section, for array sections such as `rule`.
    pub fn index(&self) -> Option<usize> {
        self.index
    }

    /// The item's id (a rule id, a platform id, a tier name), when it has one.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.section)?;
        if let Some(id) = &self.id {
            write!(f, " `{id}`")?;
        }
        if let Some(index) = self.index {
            write!(f, " (#{index})")?;
        }
        Ok(())
    }
}

impl Location {
    #[cfg(any(feature = "toml", feature = "json"))]
    pub(crate) fn from_offset(text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        Self {
            line,
            column,
            offset: Some(offset),
        }
    }

    #[cfg(feature = "json")]
    pub(crate) fn from_line_column(line: usize, column: usize) -> Self {
        Self {
            line,
            column,
            offset: None,
        }
    }

    /// The 1-based line.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column, in characters.
    pub fn column(&self) -> usize {
        self.column
    }

    /// The 0-based byte offset into the text, when known.
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }
}

/// A name that is not one of a type's names: the error of `FromStr` for
/// [`Action`](crate::Action), [`ChatKind`](crate::ChatKind), [`Category`](crate::Category) and
/// [`Mode`](crate::Mode), which read the names their JSON and policy files use.
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, ChatKind};
///
/// assert_eq!("warn".parse::<Action>()?, Action::Warn);
/// assert_eq!("group".parse::<ChatKind>()?, ChatKind::Group);
/// let err = "blok".parse::<Action>().unwrap_err();
/// assert_eq!(err.to_string(), "unknown action `blok`, expected one of `allow`, `warn`, `block`");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct ParseNameError {
    what: &'static str,
    given: String,
    expected: &'static [&'static str],
}

impl ParseNameError {
    /// Looks `given` up among `names` (exactly, as JSON does).
    pub(crate) fn find<T: Copy>(
        what: &'static str,
        given: &str,
        names: &'static [&'static str],
        values: &[T],
    ) -> Result<T, Self> {
        names
            .iter()
            .position(|n| *n == given)
            .and_then(|i| values.get(i).copied())
            .ok_or_else(|| Self {
                what,
                given: given.to_owned(),
                expected: names,
            })
    }

    /// The name that was given.
    pub fn given(&self) -> &str {
        &self.given
    }
}

impl fmt::Display for ParseNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} `{}`, expected one of ",
            self.what, self.given
        )?;
        for (i, name) in self.expected.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{name}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseNameError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_chains_context() {
        let e = Error::new(ErrorKind::InvalidDomain, "`ex ample` is not a valid domain")
            .with_item(Item::new("rule", Some(3), Some("fraud-1")))
            .with_field("domain");
        assert_eq!(
            e.to_string(),
            "rule `fraud-1` (#3): `domain`: `ex ample` is not a valid domain"
        );
    }

    #[test]
    fn collect_counts_all() {
        let e = Error::collect(vec![
            Error::new(ErrorKind::Matcher, "a"),
            Error::new(ErrorKind::Matcher, "b"),
        ])
        .unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(
            e.errors().map(Error::message).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert!(e.to_string().ends_with("(and 1 more error)"));
        assert!(Error::collect(vec![]).is_none());
    }

    #[test]
    fn location_from_offset() {
        let l = Location::from_offset("ab\ncd\nef", 4);
        assert_eq!((l.line(), l.column(), l.offset()), (2, 2, Some(4)));
    }
}
