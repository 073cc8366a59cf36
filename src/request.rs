//! The request line of the contract's section 8, read once here for every host:
//! the example program, the command-line tool and every binding give the same
//! answer, and the same error, for the same line.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::context::{ContextProblem, RawContext};
use crate::{Context, FoundLink, Policy, Verdict};

/// One link to classify and the context it was shared in: a request line of
/// [the example program](crate#the-example-program).
///
/// A line is either a bare link (a one-to-one chat) or, when its first non-blank
/// character is `{`, a JSON object with `link` and the optional context fields
/// `chat`, `members`, `user`, `client_version`, `now`, `prefs` and `display_text`
/// (see [`Context`]'s deserialization). Surrounding whitespace (a `\r` too) is
/// ignored.
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, ChatKind, Policy, Request, RequestErrorKind, SAMPLE_POLICY};
///
/// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
/// let req = Request::parse(r#"{"link": "https://item.jd.com/1.html", "chat": "group", "members": 250}"#)?;
/// assert_eq!(req.link(), "https://item.jd.com/1.html");
/// assert_eq!(req.context().chat(), ChatKind::Group);
/// assert_eq!(req.classify(&policy).action(), Action::Warn);
///
/// let bare = Request::parse("https://item.jd.com/1.html\r")?;
/// assert_eq!(bare.context().chat(), ChatKind::OneToOne);
///
/// let err = Request::parse(r#"{"link": "https://item.jd.com/1.html", "chat": "group"}"#).unwrap_err();
/// assert_eq!(err.kind(), RequestErrorKind::GroupWithoutMembers);
/// assert_eq!(err.to_string(), "a group request needs `members`");
///
/// // The output line of the example program, for any line.
/// assert_eq!(Request::answer(&policy, "{not json"), r#"{"error":"cannot read request: key must be a string at line 1 column 2"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Request {
    link: String,
    context: Context,
}

impl Request {
    /// A request for `link` in `context`.
    pub fn new(link: impl Into<String>, context: Context) -> Self {
        Self {
            link: link.into(),
            context,
        }
    }

    /// Reads a request line.
    ///
    /// # Errors
    ///
    /// A [`RequestError`] for an empty line, a line that is not JSON, a JSON object
    /// with an unknown field, a field of the wrong type or value (including a
    /// preference domain that is not a domain), without `link` or with `text`, a
    /// group without `members` or `members` without a group.
    pub fn parse(line: &str) -> Result<Self, RequestError> {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return Err(RequestError::new(RequestErrorKind::Empty));
        }
        if !trimmed.starts_with('{') {
            return Ok(Self::new(trimmed, Context::one_to_one()));
        }
        let mut raw = read_object(trimmed)?;
        if raw.text.is_some() {
            return Err(RequestError::new(RequestErrorKind::UnexpectedField("text")));
        }
        let Some(link) = raw.link.take() else {
            return Err(RequestError::new(RequestErrorKind::MissingField("link")));
        };
        Ok(Self::new(link, raw.context()?))
    }

    /// The output line of the example program for one input line: the verdict
    /// as JSON ([`Verdict::to_json`]), or `{"error": "..."}` with the
    /// [`RequestError`]'s message.
    pub fn answer(policy: &Policy, line: &str) -> String {
        match Self::parse(line) {
            Ok(req) => req.classify(policy).to_json(),
            Err(e) => e.to_json(),
        }
    }

    /// The link, as given (a bare link trimmed).
    pub fn link(&self) -> &str {
        &self.link
    }

    /// The context the link was shared in.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The link and the context, taken apart.
    pub fn into_parts(self) -> (String, Context) {
        (self.link, self.context)
    }

    /// [`Policy::classify`] of the link in its context.
    pub fn classify(&self, policy: &Policy) -> Verdict {
        policy.classify(&self.link, &self.context)
    }
}

impl std::str::FromStr for Request {
    type Err = RequestError;

    fn from_str(line: &str) -> Result<Self, RequestError> {
        Self::parse(line)
    }
}

/// One chat message to scan for links and the context it was sent in: a request
/// line of the example program's `--messages` mode.
///
/// A line is plain text (a one-to-one chat; the whole line, so byte offsets are
/// into it) or, when its first non-blank character is `{`, a JSON object with
/// `text` and the same optional context fields as a [`Request`] (but not
/// `display_text`, which belongs to one link).
///
/// # Example
///
/// ```
/// use linkpolicy::{MessageRequest, Policy, SAMPLE_POLICY};
///
/// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
/// let req = MessageRequest::parse(r#"{"text": "看这个https://item.jd.com/1.html", "chat": "group", "members": 3}"#)?;
/// let links = req.scan(&policy);
/// assert_eq!(links.links.len(), 1);
/// assert_eq!(links.links[0].text, "https://item.jd.com/1.html");
/// assert_eq!(MessageRequest::answer(&policy, "没有链接"), r#"{"links":[]}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct MessageRequest {
    text: String,
    context: Context,
}

impl MessageRequest {
    /// A request to scan `text` in `context`.
    pub fn new(text: impl Into<String>, context: Context) -> Self {
        Self {
            text: text.into(),
            context,
        }
    }

    /// Reads a message request line.
    ///
    /// # Errors
    ///
    /// A [`RequestError`] for a JSON object that is not well-formed, with an
    /// unknown field, a field of the wrong type or value, without `text`, with
    /// `link` or `display_text`, a group without `members` or `members` without a
    /// group. Plain text is always a message (an empty one has no links).
    pub fn parse(line: &str) -> Result<Self, RequestError> {
        let trimmed = line.trim();
        if !trimmed.starts_with('{') {
            return Ok(Self::new(line, Context::one_to_one()));
        }
        let mut raw = read_object(trimmed)?;
        for (field, present) in [
            ("link", raw.link.is_some()),
            ("display_text", raw.display_text.is_some()),
        ] {
            if present {
                return Err(RequestError::new(RequestErrorKind::UnexpectedField(field)));
            }
        }
        let Some(text) = raw.text.take() else {
            return Err(RequestError::new(RequestErrorKind::MissingField("text")));
        };
        Ok(Self::new(text, raw.context()?))
    }

    /// The output line of the example program's `--messages` mode for one input
    /// line: [`MessageLinks`] as JSON, or `{"error": "..."}` with the
    /// [`RequestError`]'s message.
    pub fn answer(policy: &Policy, line: &str) -> String {
        match Self::parse(line) {
            Ok(req) => req.scan(policy).to_json(),
            Err(e) => e.to_json(),
        }
    }

    /// The message text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The context the message was sent in.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The text and the context, taken apart.
    pub fn into_parts(self) -> (String, Context) {
        (self.text, self.context)
    }

    /// [`Policy::scan`] of the message in its context.
    pub fn scan(&self, policy: &Policy) -> MessageLinks {
        MessageLinks {
            links: policy.scan(&self.text, &self.context),
        }
    }
}

impl std::str::FromStr for MessageRequest {
    type Err = RequestError;

    fn from_str(line: &str) -> Result<Self, RequestError> {
        Self::parse(line)
    }
}

/// The links of one message: the output line of the example program's
/// `--messages` mode, `{"links": [{"start": B, "end": E, "text": "...",
/// "verdict": {...}}]}`.
#[derive(Clone, Debug, Default, Deserialize, Eq, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MessageLinks {
    /// Every link of the message, in order of appearance ([`Policy::scan`]).
    pub links: Vec<FoundLink>,
}

impl MessageLinks {
    /// The links of a message, as [`Policy::scan`] found them.
    pub fn new(links: Vec<FoundLink>) -> Self {
        Self { links }
    }

    /// The output line, one line of JSON.
    pub fn to_json(&self) -> String {
        // Plain data whose map keys are all strings: serializing cannot fail,
        // but never panic if it somehow did.
        serde_json::to_string(self)
            .unwrap_or_else(|e| error_json(&format!("cannot serialize links: {e}")))
    }
}

/// A request line that cannot be read. Its message (lowercase, no final period)
/// is what the example program prints as `{"error": "..."}`.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct RequestError {
    kind: RequestErrorKind,
    message: String,
}

/// What is wrong with a request line.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
#[non_exhaustive]
pub enum RequestErrorKind {
    /// The line is empty or blank.
    Empty,
    /// The line starts with `{` but is not one well-formed JSON object.
    Syntax,
    /// A field that requests do not have, or a field of the wrong type or value
    /// (a negative `members`, `"chat": "channel"`, a preference domain that is not
    /// a domain, …).
    Invalid,
    /// The field the request is about (`link`, or `text` for a message) is absent.
    MissingField(&'static str),
    /// A field of the other kind of request (`text` in a link request; `link` or
    /// `display_text` in a message request).
    UnexpectedField(&'static str),
    /// A group without `members`: guessing a size would silently skip
    /// `min_members` rules.
    GroupWithoutMembers,
    /// `members` without `"chat": "group"`.
    MembersWithoutGroup,
}

impl RequestError {
    fn new(kind: RequestErrorKind) -> Self {
        let message = match kind {
            RequestErrorKind::Empty => "empty line".to_owned(),
            RequestErrorKind::MissingField(field) => {
                format!("cannot read request: missing field `{field}`")
            }
            RequestErrorKind::UnexpectedField("text") => {
                "cannot read request: a link request has `link` and no `text`".to_owned()
            }
            RequestErrorKind::UnexpectedField(field) => {
                format!(
                    "cannot read message request: a message request has `text` and no `{field}`"
                )
            }
            RequestErrorKind::GroupWithoutMembers => {
                ContextProblem::GroupWithoutMembers.message().to_owned()
            }
            RequestErrorKind::MembersWithoutGroup => {
                ContextProblem::MembersWithoutGroup.message().to_owned()
            }
            RequestErrorKind::Syntax | RequestErrorKind::Invalid => {
                "cannot read request".to_owned()
            }
        };
        Self { kind, message }
    }

    /// What is wrong.
    pub fn kind(&self) -> RequestErrorKind {
        self.kind
    }

    /// `{"error": "..."}`: the example program's line for this error.
    pub fn to_json(&self) -> String {
        error_json(&self.message)
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RequestError {}

impl From<ContextProblem> for RequestError {
    fn from(p: ContextProblem) -> Self {
        match p {
            ContextProblem::GroupWithoutMembers => Self::new(RequestErrorKind::GroupWithoutMembers),
            ContextProblem::MembersWithoutGroup => Self::new(RequestErrorKind::MembersWithoutGroup),
            ContextProblem::Subject(field) => Self::new(RequestErrorKind::UnexpectedField(field)),
        }
    }
}

/// The fields of a JSON request object.
fn read_object(text: &str) -> Result<RawContext, RequestError> {
    serde_json::from_str::<RawContext>(text).map_err(|e| {
        let kind = if e.is_data() {
            RequestErrorKind::Invalid
        } else {
            RequestErrorKind::Syntax
        };
        RequestError {
            kind,
            message: format!("cannot read request: {e}"),
        }
    })
}

/// `{"error": message}`, one line.
pub(crate) fn error_json(message: &str) -> String {
    #[derive(Serialize)]
    struct ErrorLine<'a> {
        error: &'a str,
    }
    serde_json::to_string(&ErrorLine { error: message })
        .unwrap_or_else(|_| r#"{"error":"cannot serialize error"}"#.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChatKind, Mode};

    fn kind(line: &str) -> RequestErrorKind {
        Request::parse(line).unwrap_err().kind()
    }

    #[test]
    fn bare_links_are_one_to_one_and_trimmed() {
        let r = Request::parse("  https://jd.com/ \r").unwrap();
        assert_eq!(r.link(), "https://jd.com/");
        assert_eq!(r.context(), &Context::one_to_one());
    }

    #[test]
    fn every_field_reaches_the_context() {
        let r: Request = r#"{"link": "x", "chat": "group", "members": 9, "user": "u1",
            "client_version": "8.0.16", "now": 5, "prefs": {"mode": "ask"}, "display_text": "t"}"#
            .parse()
            .unwrap();
        let c = r.context();
        assert_eq!((c.chat(), c.members()), (ChatKind::Group, Some(9)));
        assert_eq!((c.user(), c.now()), (Some("u1"), Some(5)));
        assert_eq!(c.prefs().mode(), Mode::Ask);
        assert_eq!(c.display_text(), Some("t"));
        assert_eq!(
            c,
            &Context::group(9)
                .with_user("u1")
                .with_client_version("8.0.16")
                .with_now(5)
                .with_prefs(crate::Prefs::new().with_mode(Mode::Ask))
                .with_display_text("t")
        );
    }

    #[test]
    fn errors_are_typed() {
        assert_eq!(kind(""), RequestErrorKind::Empty);
        assert_eq!(kind(" \t"), RequestErrorKind::Empty);
        assert_eq!(kind("{not json"), RequestErrorKind::Syntax);
        assert_eq!(kind(r#"{"link": "x"} trailing"#), RequestErrorKind::Syntax);
        assert_eq!(kind(r#"{"link": 1}"#), RequestErrorKind::Invalid);
        assert_eq!(
            kind(r#"{"link": "x", "bogus": 1}"#),
            RequestErrorKind::Invalid
        );
        assert_eq!(
            kind(r#"{"link": "x", "members": -1, "chat": "group"}"#),
            RequestErrorKind::Invalid
        );
        assert_eq!(
            kind(r#"{"link": "x", "prefs": {"trusted": ["a b"]}}"#),
            RequestErrorKind::Invalid
        );
        assert_eq!(
            kind(r#"{"chat": "group", "members": 3}"#),
            RequestErrorKind::MissingField("link")
        );
        assert_eq!(
            kind(r#"{"link": "x", "text": "y"}"#),
            RequestErrorKind::UnexpectedField("text")
        );
        assert_eq!(
            kind(r#"{"link": "x", "chat": "group"}"#),
            RequestErrorKind::GroupWithoutMembers
        );
        assert_eq!(
            kind(r#"{"link": "x", "members": 3}"#),
            RequestErrorKind::MembersWithoutGroup
        );
        let m = |line| MessageRequest::parse(line).unwrap_err().kind();
        assert_eq!(
            m(r#"{"text": "x", "link": "y"}"#),
            RequestErrorKind::UnexpectedField("link")
        );
        assert_eq!(
            m(r#"{"text": "x", "display_text": "y"}"#),
            RequestErrorKind::UnexpectedField("display_text")
        );
        assert_eq!(
            m(r#"{"chat": "one_to_one"}"#),
            RequestErrorKind::MissingField("text")
        );
    }

    #[test]
    fn error_messages_name_the_problem() {
        let msg = |line| Request::parse(line).unwrap_err().to_string();
        assert!(msg(r#"{"link": "x", "bogus": 1}"#).contains("unknown field `bogus`"));
        assert!(msg(r#"{"link": "x", "prefs": {"trusted": ["a b"]}}"#).contains("prefs.trusted"));
        assert_eq!(
            Request::parse(r#"{"link":"x","chat":"group"}"#)
                .unwrap_err()
                .to_json(),
            r#"{"error":"a group request needs `members`"}"#
        );
    }

    #[test]
    fn messages_keep_their_text_whole() {
        let m = MessageRequest::parse("  see jd.com ").unwrap();
        assert_eq!(m.text(), "  see jd.com ");
        assert_eq!(MessageRequest::parse("").unwrap().text(), "");
    }

    #[test]
    fn a_context_refuses_a_subject() {
        assert!(serde_json::from_str::<Context>(r#"{"link": "x"}"#).is_err());
        assert!(serde_json::from_str::<Context>(r#"{"text": "x"}"#).is_err());
        assert_eq!(
            serde_json::from_str::<Context>("{}").unwrap(),
            Context::one_to_one()
        );
    }
}
