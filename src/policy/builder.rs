//! [`PolicyBuilder`]: the policy's plain model, filled by setters or read
//! from a policy file, and [`build`](PolicyBuilder::build), which compiles it.

use std::sync::Arc;

use super::Policy;
use crate::error::{Error, Item};
use crate::limits::SizeLimits;
use crate::model::Model;
use crate::operator::{Lint, PolicyTest};
use crate::psl::PublicSuffixList;
use crate::rules::{
    Action, Category, Complaint, Defaults, Limits, List, Phase, Platform, Redirector, Rule,
    Threshold, Tier,
};

/// Builds a [`Policy`] in code. Setters take `&mut self` and return `&mut Self`;
/// [`build`](PolicyBuilder::build) checks everything at once.
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Category, ChatKind, Context, Defaults, Matcher, Platform, Policy, Rule, Tier};
///
/// let policy = Policy::builder()
///     .defaults(Defaults::new().chat(ChatKind::OneToOne, Action::Warn).chat(ChatKind::Group, Action::Block))
///     .tier("A", Tier::new(Some(Action::Allow), Some(Action::Warn)))
///     .platform(Platform::new("jd", ["jd.com"]).tier("A"))
///     .rule(Rule::new("fraud-0001", Action::Block, Matcher::Domain("evil.example".into()))
///         .category(Category::Fraud)
///         .hard(true))
///     .build()?;
/// assert_eq!(policy.classify("https://a.evil.example/", &Context::one_to_one()).action(), Action::Block);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A builder holds the policy's plain model: it implements serde's `Serialize` and
/// `Deserialize` (without list texts, complaint counts and a custom Public
/// Suffix List, which snapshots carry apart), for snapshots and revisions.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct PolicyBuilder {
    pub(super) model: Model,
}

impl PolicyBuilder {
    /// An empty builder: safe defaults (`one_to_one = warn`, `group = block`,
    /// `app_link = warn`, `ip_host = warn`), no rules.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the defaults; unset keys keep their safe values.
    pub fn defaults(&mut self, defaults: Defaults) -> &mut Self {
        self.model.defaults = defaults;
        self
    }

    /// Sets the limits on links.
    pub fn limits(&mut self, limits: Limits) -> &mut Self {
        self.model.limits = limits;
        self
    }

    /// Defines a credit tier.
    pub fn tier(&mut self, name: impl Into<String>, tier: Tier) -> &mut Self {
        self.model.tiers.push((name.into(), tier));
        self
    }

    /// Adds a platform.
    pub fn platform(&mut self, platform: Platform) -> &mut Self {
        self.model.platforms.push(platform);
        self
    }

    /// Adds a rule. A duplicate id is reported by [`build`](PolicyBuilder::build)
    /// together with every other problem.
    pub fn rule(&mut self, rule: Rule) -> &mut Self {
        self.model.rules.push(rule);
        self
    }

    /// Adds a rule, refusing a duplicate id at once.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Duplicate`](crate::ErrorKind::Duplicate) error when a rule with the same id was added.
    pub fn try_rule(&mut self, rule: Rule) -> Result<&mut Self, Error> {
        if let Some(i) = self.model.rules.iter().position(|r| r.id == rule.id) {
            return Err(crate::compile::duplicate_id("rule", i)
                .with_item(Item::new(
                    "rule",
                    Some(self.model.rules.len()),
                    Some(&rule.id),
                ))
                .with_field("id"));
        }
        Ok(self.rule(rule))
    }

    /// Declares a list of rules (a block list, a hosts file, adblock rules); its
    /// text comes from [`list_text`](PolicyBuilder::list_text).
    pub fn list(&mut self, list: List) -> &mut Self {
        self.model.lists.push(list);
        self
    }

    /// Hands over the text of the list with this id. The library reads no files:
    /// a policy file's `path` is for the host app.
    pub fn list_text(&mut self, id: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.model.list_texts.insert(id.into(), text.into());
        self
    }

    /// The lists declared so far, for a host app to find their texts.
    pub fn lists(&self) -> std::slice::Iter<'_, List> {
        self.model.lists.iter()
    }

    /// With `true`, a list line that cannot be used is an error rather than a
    /// warning. Off by default.
    pub fn strict_lists(&mut self, strict: bool) -> &mut Self {
        self.model.strict_lists = strict;
        self
    }

    /// Adds a staged-opening phase.
    pub fn phase(&mut self, phase: Phase) -> &mut Self {
        self.model.phases.push(phase);
        self
    }

    /// Adds a redirector (a wrapper whose destination is in a query parameter).
    pub fn redirector(&mut self, redirector: Redirector) -> &mut Self {
        self.model.redirectors.push(redirector);
        self
    }

    /// Unwraps the built-in wrappers too: common query-parameter redirectors
    /// (search engines' result links, social networks' outbound-link pages,
    /// Chinese portals' jump pages) and path-based embeddings (AMP caches and
    /// viewers, web caches, translation proxies). Off by default.
    pub fn builtin_wrappers(&mut self, on: bool) -> &mut Self {
        self.model.builtin_wrappers = on;
        self
    }

    /// Removes the built-in list of tracking parameters from `clean_url` too.
    /// Off by default.
    pub fn builtin_tracking(&mut self, on: bool) -> &mut Self {
        self.model.builtin_tracking = on;
        self
    }

    /// Adds tracking parameters removed from `clean_url` (exact names, or a prefix
    /// ending in `*`).
    pub fn tracking_params<I, S>(&mut self, params: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.model
            .tracking
            .extend(params.into_iter().map(Into::into));
        self
    }

    /// Sets the lookalike floor and adds protected domains (every platform domain
    /// is protected too).
    pub fn lookalike<I, S>(&mut self, action: Option<Action>, protect: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.model.lookalike_action = action;
        self.model
            .protect
            .extend(protect.into_iter().map(Into::into));
        self
    }

    /// Turns on the typosquat floor (off by default): a registrable domain whose
    /// first label is one edit (a character added, removed or replaced, or two
    /// neighbours swapped) from the first label of a protected domain of at least
    /// five characters gets the `lookalike` floor (`paypall.com` for protected
    /// `paypal.com`); so does a host whose name without `www.` and its public
    /// suffix is one edit from that label (`myetherw.allet.com`), and a
    /// registrable domain one edit from a protected one (`myetherwallet.cm`).
    /// Off by default because real sites are one edit from popular ones more
    /// often than lookalikes are (see the README).
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Context, Policy, Reason};
    ///
    /// let mut b = Policy::builder();
    /// b.lookalike(None, ["myetherwallet.com"]).lookalike_typosquat(true);
    /// let policy = b.build()?;
    /// let v = policy.classify("https://myetherwalet.com/", &Context::one_to_one());
    /// assert!(v.reasons().any(|r| r == &Reason::Lookalike { of: "myetherwallet.com".into() }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lookalike_typosquat(&mut self, on: bool) -> &mut Self {
        self.model.typosquat = on;
        self
    }

    /// Turns on the embedded-domain floor (off by default): a host with a
    /// protected domain written as labels in front of another registrable domain
    /// (`paypal.com.account-verify.example`) gets the `lookalike` floor. Off by
    /// default because CDN host names have that form (`www.apple.com.edgekey.net`).
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Context, Policy, Reason};
    ///
    /// let mut b = Policy::builder();
    /// b.lookalike(None, ["paypal.com"]).lookalike_embedded(true);
    /// let policy = b.build()?;
    /// let v = policy.classify("https://paypal.com.verify.example/", &Context::one_to_one());
    /// assert!(v.reasons().any(|r| r == &Reason::Lookalike { of: "paypal.com".into() }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lookalike_embedded(&mut self, on: bool) -> &mut Self {
        self.model.embedded = on;
        self
    }

    /// Whether a user's trusted domains may turn a soft warn into allow (default true).
    pub fn allow_trust(&mut self, allow: bool) -> &mut Self {
        self.model.allow_trust = Some(allow);
        self
    }

    /// Sets the complaint thresholds of a category.
    pub fn complaint_threshold(&mut self, category: Category, threshold: Threshold) -> &mut Self {
        self.model.thresholds.insert(category, threshold);
        self
    }

    /// Adds a complaint count (counts for the same domain and category add up).
    pub fn complaint(&mut self, complaint: Complaint) -> &mut Self {
        self.model.complaints.push(complaint);
        self
    }

    /// Sets the limits on the policy's size (see [`SizeLimits`]).
    pub fn size_limits(&mut self, limits: SizeLimits) -> &mut Self {
        self.model.size_limits = limits;
        self
    }

    /// Uses this Public Suffix List instead of the one shipped with the crate.
    pub fn public_suffix_list(&mut self, list: Arc<PublicSuffixList>) -> &mut Self {
        self.model.psl = Some(list);
        self
    }

    /// Checks and compiles everything.
    ///
    /// # Errors
    ///
    /// Every problem found, in one [`Error`]: duplicate ids, undefined tiers,
    /// invalid domains, URL prefixes, schemes and regexes, bad rollouts, limits.
    pub fn build(&self) -> Result<Policy, Error> {
        let (inner, complaints) = crate::compile::compile(&self.model)?;
        Ok(Policy {
            inner: Arc::new(inner),
            complaints: Arc::new(complaints),
        })
    }

    /// A builder holding this model.
    pub(super) fn from_model(model: Model) -> Self {
        PolicyBuilder { model }
    }

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
    /// As [`PolicyBuilder::from_toml_str`], and an [`ErrorKind::LimitExceeded`](crate::ErrorKind::LimitExceeded)
    /// error naming the limit when the text is over one.
    #[cfg(feature = "toml")]
    pub fn from_toml_str_with_limits(
        text: &str,
        limits: &SizeLimits,
    ) -> Result<PolicyBuilder, Error> {
        crate::load::from_toml(text, limits).map(Self::from_model)
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
        crate::load::from_json(text, limits).map(Self::from_model)
    }

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
        crate::load::toml_problems(text)
    }

    /// Every problem of a JSON policy text at once: see
    /// [`PolicyBuilder::toml_problems`]. Shape errors after the first carry no
    /// line and column. As there, a text whose tree would weigh more than the
    /// default `max_toml_tree_bytes` reports its first problem only.
    #[cfg(feature = "json")]
    pub fn json_problems(text: &str) -> Vec<Error> {
        crate::load::json_problems(text)
    }

    /// Lints the policy: findings that are provably right, in the order of
    /// [`LintKind`](crate::LintKind) and then of the policy. Values that do not build (an
    /// invalid domain) are left to [`build`](PolicyBuilder::build), which
    /// reports them.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{LintKind, PolicyBuilder};
    ///
    /// let builder = PolicyBuilder::from_toml_str(r#"
    /// version = 1
    /// [tiers.A]
    /// one_to_one = "allow"
    /// [[rule]]
    /// id = "evil"
    /// action = "block"
    /// hard = true
    /// domain = "evil.example"
    /// [[rule]]
    /// id = "evil-login"
    /// action = "warn"
    /// host = "login.evil.example"
    /// "#)?;
    /// let lints = builder.lints();
    /// let kinds: Vec<LintKind> = lints.iter().map(|l| l.kind).collect();
    /// assert_eq!(kinds, [LintKind::ShadowedByHardBlock, LintKind::UnusedTier]);
    /// assert_eq!(lints[0].item, "rule `evil-login`");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lints(&self) -> Vec<Lint> {
        crate::operator::lints::lints(&self.model)
    }

    /// Adds a test case; [`build`](crate::PolicyBuilder::build) checks that its
    /// reason kind exists and that the rule it names is the policy's.
    pub fn test(&mut self, test: PolicyTest) -> &mut Self {
        self.model.tests.push(test);
        self
    }

    /// The test cases, in order.
    pub fn tests(&self) -> std::slice::Iter<'_, PolicyTest> {
        self.model.tests.iter()
    }
}
