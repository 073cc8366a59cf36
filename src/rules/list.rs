//! Lists of rules from feeds: [`List`], the settings its entries get.

use super::action::{Action, Category};
use crate::context::ChatKind;
use crate::lists::ListFormat;

/// A list of rules from a feed: a block list, a hosts file, adblock rules. Its text
/// comes from the host app ([`PolicyBuilder::list_text`](crate::PolicyBuilder::list_text));
/// the library reads no files.
///
/// Every usable line of the text becomes a rule with the list's settings, reported
/// as `list_id:line`. Lines that cannot be used are warnings
/// ([`Policy::warnings`](crate::Policy::warnings)), or errors with
/// [`PolicyBuilder::strict_lists`](crate::PolicyBuilder::strict_lists).
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Category, Context, List, ListFormat, Policy};
///
/// let policy = Policy::builder()
///     .list(List::new("scam-feed", ListFormat::Hosts, Action::Block).category(Category::Fraud))
///     .list_text("scam-feed", "# a hosts file\n0.0.0.0 cheap-iphone.example\n")
///     .build()?;
/// let v = policy.classify("https://cheap-iphone.example/", &Context::one_to_one());
/// assert_eq!(v.action(), Action::Block);
/// assert_eq!(v.rule_ids().next().map(|r| r.as_str()), Some("scam-feed:2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct List {
    pub(crate) id: String,
    pub(crate) format: ListFormat,
    pub(crate) action: Action,
    pub(crate) category: Category,
    pub(crate) hard: bool,
    pub(crate) shadow: bool,
    pub(crate) chats: Option<Vec<ChatKind>>,
    pub(crate) min_members: Option<u32>,
    pub(crate) priority: i32,
    pub(crate) path: Option<String>,
}

impl List {
    /// A list with an id, the format of its text, and the action for its entries.
    pub fn new(id: impl Into<String>, format: ListFormat, action: Action) -> Self {
        Self {
            id: id.into(),
            format,
            action,
            category: Category::Other,
            hard: false,
            shadow: false,
            chats: None,
            min_members: None,
            priority: 0,
            path: None,
        }
    }

    /// Sets the category of its entries.
    #[must_use]
    pub fn category(mut self, category: Category) -> Self {
        self.category = category;
        self
    }

    /// Makes its entries hard.
    #[must_use]
    pub fn hard(mut self, hard: bool) -> Self {
        self.hard = hard;
        self
    }

    /// Makes its entries shadow rules: reported, never deciding.
    #[must_use]
    pub fn shadow(mut self, shadow: bool) -> Self {
        self.shadow = shadow;
        self
    }

    /// The chat kinds its entries apply to (default: all).
    #[must_use]
    pub fn chats(mut self, chats: impl IntoIterator<Item = ChatKind>) -> Self {
        self.chats = Some(chats.into_iter().collect());
        self
    }

    /// Applies its entries only to group chats with at least this many members.
    #[must_use]
    pub fn min_members(mut self, members: u32) -> Self {
        self.min_members = Some(members);
        self
    }

    /// Sets the priority of its entries (default 0).
    #[must_use]
    pub fn priority(mut self, priority: i32) -> Self {
        self.priority = priority;
        self
    }

    /// The list's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The list's format.
    pub fn format(&self) -> ListFormat {
        self.format
    }

    /// Where the policy file says the list's text is (`path`), relative to the
    /// policy file. The library never reads it; a host app may.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }
}
