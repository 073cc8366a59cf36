//! The compiled policy and its builder.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use crate::compiled::{Compiled, ComplaintTable, Engine};
use crate::context::Context;
use crate::domain::normalize_domain;
use crate::error::{Error, ErrorKind, Item, Warning};
use crate::limits::SizeLimits;
use crate::psl::PublicSuffixList;
use crate::rules::{
    Action, Category, Complaint, Defaults, Limits, List, Phase, Platform, Redirector, Rule,
    Threshold, Tier,
};
use crate::verdict::Verdict;

/// A compiled, immutable link policy.
///
/// Build one from a policy file with [`Policy::from_toml_str`] or
/// [`Policy::from_json_str`], or in code with [`Policy::builder`]; then call
/// [`Policy::classify`] for every link. A `Policy` is `Send + Sync` and cheap to
/// clone (its compiled parts are shared behind an `Arc`): share one across threads
/// by reference or by clone, whichever is handier; both cost the same per call.
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Context, Policy};
///
/// let policy = Policy::from_toml_str(r#"
/// version = 1
/// [defaults]
/// one_to_one = "warn"
/// group = "block"
///
/// [tiers.A]
/// one_to_one = "allow"
/// group = "warn"
///
/// [[platform]]
/// id = "jd"
/// domains = ["jd.com", "3.cn"]
/// tier = "A"
/// "#)?;
///
/// let v = policy.classify("https://item.jd.com/1.html", &Context::one_to_one());
/// assert_eq!(v.action(), Action::Allow);
/// assert_eq!(v.platform().map(|p| p.as_str()), Some("jd"));
/// let v = policy.classify("https://example.org/", &Context::group(30));
/// assert_eq!(v.action(), Action::Block);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Policy {
    pub(crate) inner: Arc<Compiled>,
    pub(crate) complaints: Arc<ComplaintTable>,
}

impl Policy {
    /// What deciding reads.
    pub(crate) fn engine(&self) -> Engine<'_> {
        Engine {
            inner: &self.inner,
            complaints: &self.complaints,
        }
    }

    /// A builder for a policy written in code.
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::new()
    }

    /// Decides what to do with `link` in `ctx`.
    ///
    /// Never fails and never panics: a link that cannot be understood is blocked,
    /// hard, with a reason saying why (`invalid`, `too_long`, `unsafe_scheme`).
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Context, Policy, Reason};
    ///
    /// let policy = Policy::from_toml_str("version = 1")?;
    /// let v = policy.classify("javascript:alert(1)", &Context::one_to_one());
    /// assert_eq!(v.action(), Action::Block);
    /// assert!(v.is_hard());
    /// assert_eq!(v.reason().map(Reason::kind), Some("unsafe_scheme"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn classify(&self, link: &str, ctx: &Context) -> Verdict {
        crate::decide::classify(self.engine(), link, ctx)
    }

    /// A policy with these complaint counts instead of its own, everything else
    /// shared: the rules are not parsed or compiled again, and `self` stays valid
    /// for the threads still reading it. Counts for the same domain and category
    /// add up; the thresholds stay the policy's.
    ///
    /// This is for host apps that keep complaint counts in their own store and
    /// refresh them more often than the policy itself. Its cost is linear in the
    /// number of rows.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::InvalidDomain`] error for each row whose domain is not a
    /// registrable domain, naming the row by index.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Category, Complaint, Context, Policy};
    ///
    /// let policy = Policy::from_toml_str(r#"
    /// version = 1
    /// [defaults]
    /// one_to_one = "allow"
    /// [complaints.thresholds]
    /// fraud = { warn = 10, block = 50 }
    /// "#)?;
    /// let ctx = Context::one_to_one();
    /// assert_eq!(policy.classify("https://spam.example/", &ctx).action(), Action::Allow);
    ///
    /// let today = policy.with_complaints([Complaint::new("spam.example", Category::Fraud, 57)])?;
    /// assert_eq!(today.classify("https://spam.example/", &ctx).action(), Action::Block);
    /// assert_eq!(today.complaint_count("spam.example", Category::Fraud), 57);
    /// // The old policy is unchanged.
    /// assert_eq!(policy.classify("https://spam.example/", &ctx).action(), Action::Allow);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_complaints<I>(&self, rows: I) -> Result<Policy, Error>
    where
        I: IntoIterator<Item = Complaint>,
    {
        let rows: Vec<Complaint> = rows.into_iter().collect();
        let table =
            crate::compile::compile_complaints(&self.complaints.thresholds, &rows, &self.inner.psl)
                .map_err(|e| {
                    Error::collect(e).unwrap_or_else(|| {
                        Error::new(ErrorKind::InvalidDomain, "invalid complaint")
                    })
                })?;
        Ok(Policy {
            inner: Arc::clone(&self.inner),
            complaints: Arc::new(table),
        })
    }

    /// A policy whose complaint counts are this one's plus `rows`, everything else
    /// shared, as [`Policy::with_complaints`]. Its cost is linear in the number of
    /// complaint rows of both.
    ///
    /// # Errors
    ///
    /// As [`Policy::with_complaints`].
    pub fn with_added_complaints<I>(&self, rows: I) -> Result<Policy, Error>
    where
        I: IntoIterator<Item = Complaint>,
    {
        let mut all: Vec<Complaint> = self
            .complaints
            .counts
            .iter()
            .flat_map(|(d, v)| v.iter().map(move |&(c, n)| Complaint::new(&**d, c, n)))
            .collect();
        all.extend(rows);
        self.with_complaints(all)
    }

    /// The complaint count for a registrable domain (any spelling) and category; 0
    /// when there is none.
    pub fn complaint_count(&self, domain: &str, category: Category) -> u64 {
        let Ok(d) = normalize_domain(domain) else {
            return 0;
        };
        self.complaints
            .counts
            .get(d.as_str())
            .and_then(|v| v.iter().find(|(c, _)| *c == category))
            .map_or(0, |&(_, n)| n)
    }

    /// How many registrable domains have complaint counts. A snapshot leaves the
    /// counts out ([`Policy::to_snapshot`]): give them to the loaded policy with
    /// [`Policy::with_complaints`].
    ///
    /// ```
    /// use linkpolicy::{Category, Complaint, Policy};
    ///
    /// let p = Policy::from_toml_str("version = 1")?;
    /// assert_eq!(p.complaint_domains(), 0);
    /// let p = p.with_complaints([Complaint::new("evil.example", Category::Fraud, 3)])?;
    /// assert_eq!(p.complaint_domains(), 1);
    /// let loaded = Policy::from_snapshot(p.to_snapshot())?;
    /// assert_eq!(loaded.complaint_domains(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn complaint_domains(&self) -> usize {
        self.complaints.counts.len()
    }

    /// The Public Suffix List the policy reads registrable domains from.
    pub fn public_suffix_list(&self) -> &PublicSuffixList {
        &self.inner.psl
    }

    /// The number of rules, list entries included.
    pub fn rule_count(&self) -> usize {
        self.inner.rule_count()
    }

    /// Lines of lists that could not be used, each with its list, line and reason.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, List, ListFormat, Policy};
    ///
    /// let policy = Policy::builder()
    ///     .list(List::new("feed", ListFormat::Adblock, Action::Block))
    ///     .list_text("feed", "! comment\n||evil.example^\n##.ad-banner\n")
    ///     .build()?;
    /// let w: Vec<String> = policy.warnings().map(|w| w.to_string()).collect();
    /// assert_eq!(w.len(), 1);
    /// assert!(w[0].starts_with("list `feed`: line 3: "), "{}", w[0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn warnings(&self) -> std::slice::Iter<'_, Warning> {
        self.inner.warnings.iter()
    }

    /// The number of platforms.
    pub fn platform_count(&self) -> usize {
        self.inner.platforms.len()
    }

    /// The policy's revision: a 64-bit content hash of what it was built from —
    /// its plain model (every setting, rule, platform, list declaration...), its
    /// Public Suffix List and the text of each list — and not of its complaint
    /// counts, which are data refreshed with [`Policy::with_complaints`] (that
    /// keeps the revision). The same policy file and list texts give the same
    /// revision on every machine and run; a policy loaded from a snapshot has the
    /// revision of the policy the snapshot was made from.
    ///
    /// The hash is the snapshot format's (64 bits, fixed constants; not
    /// cryptographic): see [`Policy::to_snapshot`]. Print it as 16 hex digits
    /// (`{:016x}`) to name a policy in logs.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::Policy;
    ///
    /// let a = Policy::from_toml_str("version = 1\n[defaults]\ngroup = \"warn\"")?;
    /// let b = Policy::from_toml_str("version = 1\n[defaults]\ngroup = \"warn\"")?;
    /// let c = Policy::from_toml_str("version = 1\n[defaults]\ngroup = \"block\"")?;
    /// assert_eq!(a.revision(), b.revision());
    /// assert_ne!(a.revision(), c.revision());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn revision(&self) -> u64 {
        self.inner.revision
    }

    /// The policy as a snapshot: bytes to ship to clients and servers and load
    /// with [`Policy::from_snapshot`], without the policy file and list texts.
    /// The format is documented in [`crate::snapshot`]; complaint counts are not
    /// in it (set them on the loaded policy with [`Policy::with_complaints`]).
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Context, List, ListFormat, Policy};
    ///
    /// let policy = Policy::builder()
    ///     .list(List::new("phishing", ListFormat::Domains, Action::Block))
    ///     .list_text("phishing", "evil.example\n")
    ///     .build()?;
    /// let bytes: Vec<u8> = policy.to_snapshot();
    /// // ... written to a file, shipped, read back ...
    /// let loaded = Policy::from_snapshot(bytes)?;
    /// let v = loaded.classify("https://a.evil.example/", &Context::one_to_one());
    /// assert_eq!(v.action(), Action::Block);
    /// assert_eq!(loaded.revision(), policy.revision());
    /// # Ok::<(), linkpolicy::Error>(())
    /// ```
    pub fn to_snapshot(&self) -> Vec<u8> {
        crate::snapshot::write(self)
    }

    /// Loads a policy from a snapshot written by [`Policy::to_snapshot`]. The
    /// loaded policy gives the verdicts, warnings and revision of the policy the
    /// snapshot was written from; it has no complaint counts.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::UnsupportedSnapshot`]: a snapshot of another format
    ///   version, or built with another built-in Public Suffix List.
    /// - [`ErrorKind::CorruptSnapshot`]: bytes that are not a snapshot, cut
    ///   short, damaged (the checksum does not match) or malformed.
    /// - Any error [`PolicyBuilder::build`] gives, for a crafted snapshot whose
    ///   model does not compile.
    ///
    /// Never panics, whatever the bytes.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{ErrorKind, Policy};
    ///
    /// let mut bytes = Policy::from_toml_str("version = 1")?.to_snapshot();
    /// let last = bytes.len() - 1;
    /// bytes[last] ^= 1;
    /// let e = Policy::from_snapshot(bytes).unwrap_err();
    /// assert_eq!(e.kind(), ErrorKind::CorruptSnapshot);
    /// # Ok::<(), linkpolicy::Error>(())
    /// ```
    pub fn from_snapshot(bytes: impl Into<Arc<[u8]>>) -> Result<Policy, Error> {
        crate::snapshot::read(bytes.into())
    }
}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Policy")
            .field("rules", &self.inner.rules.len())
            .field("platforms", &self.inner.platforms.len())
            .field("tiers", &self.inner.tiers.len())
            .field("phases", &self.inner.phases.len())
            .field("complaint_domains", &self.complaints.counts.len())
            .finish_non_exhaustive()
    }
}

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
/// A builder is the policy's plain model: it implements serde's `Serialize` and
/// `Deserialize` (without list texts, complaint counts and a custom Public
/// Suffix List, which snapshots carry apart), for snapshots and revisions.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct PolicyBuilder {
    pub(crate) defaults: Defaults,
    pub(crate) limits: Limits,
    pub(crate) tiers: Vec<(String, Tier)>,
    pub(crate) platforms: Vec<Platform>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) phases: Vec<Phase>,
    pub(crate) redirectors: Vec<Redirector>,
    pub(crate) builtin_wrappers: bool,
    pub(crate) tracking: Vec<String>,
    pub(crate) builtin_tracking: bool,
    pub(crate) lookalike_action: Option<Action>,
    pub(crate) protect: Vec<String>,
    pub(crate) typosquat: bool,
    pub(crate) embedded: bool,
    pub(crate) allow_trust: Option<bool>,
    pub(crate) thresholds: BTreeMap<Category, Threshold>,
    /// Data rather than policy: out of the model and the revision (snapshots
    /// carry the counts apart).
    #[serde(skip)]
    pub(crate) complaints: Vec<Complaint>,
    #[serde(skip)]
    pub(crate) psl: Option<Arc<PublicSuffixList>>,
    pub(crate) size_limits: SizeLimits,
    pub(crate) lists: Vec<List>,
    #[serde(skip)]
    pub(crate) list_texts: HashMap<String, String>,
    pub(crate) strict_lists: bool,
    /// Problems of the policy file found while reading it, reported by `build`
    /// with the rest.
    #[serde(skip)]
    pub(crate) pending: Vec<Error>,
    /// The TOML text the builder was read from, to point errors at its lines.
    #[serde(skip)]
    source: Option<TomlSource>,
    /// Test cases, not policy: out of the model and the revision.
    #[serde(skip)]
    pub(crate) tests: Vec<crate::operator::PolicyTest>,
    /// What a snapshot gives in place of the list texts: set only when loading one.
    #[serde(skip)]
    pub(crate) loaded: Option<Arc<Loaded>>,
}

/// The parts of a snapshot a policy is compiled with besides its model.
#[derive(Debug)]
pub(crate) struct Loaded {
    /// The snapshot's bytes.
    pub(crate) bytes: Arc<[u8]>,
    /// The revision its header names.
    pub(crate) revision: u64,
    /// Each list's entries that are not in the table (all of them, when there
    /// is no table), in declaration order.
    pub(crate) lists: Vec<crate::lists::ParsedList>,
    /// The lists' domain and host entries, read in place.
    pub(crate) table: Option<crate::list_table::ListTable>,
}

/// A policy's TOML text, kept to locate errors; its `Debug` shows only its size.
#[derive(Clone)]
struct TomlSource(Arc<str>);

impl fmt::Debug for TomlSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TomlSource({} bytes)", self.0.len())
    }
}

impl PolicyBuilder {
    /// An empty builder: safe defaults (`one_to_one = warn`, `group = block`,
    /// `app_link = warn`, `ip_host = warn`), no rules.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the defaults; unset keys keep their safe values.
    pub fn defaults(&mut self, defaults: Defaults) -> &mut Self {
        self.defaults = defaults;
        self
    }

    /// Sets the limits on links.
    pub fn limits(&mut self, limits: Limits) -> &mut Self {
        self.limits = limits;
        self
    }

    /// Defines a credit tier.
    pub fn tier(&mut self, name: impl Into<String>, tier: Tier) -> &mut Self {
        self.tiers.push((name.into(), tier));
        self
    }

    /// Adds a platform.
    pub fn platform(&mut self, platform: Platform) -> &mut Self {
        self.platforms.push(platform);
        self
    }

    /// Adds a rule. A duplicate id is reported by [`build`](PolicyBuilder::build)
    /// together with every other problem.
    pub fn rule(&mut self, rule: Rule) -> &mut Self {
        self.rules.push(rule);
        self
    }

    /// Adds a rule, refusing a duplicate id at once.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Duplicate`] error when a rule with the same id was added.
    pub fn try_rule(&mut self, rule: Rule) -> Result<&mut Self, Error> {
        if let Some(i) = self.rules.iter().position(|r| r.id == rule.id) {
            return Err(crate::compile::duplicate_id("rule", i)
                .with_item(Item::new("rule", Some(self.rules.len()), Some(&rule.id)))
                .with_field("id"));
        }
        Ok(self.rule(rule))
    }

    /// Declares a list of rules (a block list, a hosts file, adblock rules); its
    /// text comes from [`list_text`](PolicyBuilder::list_text).
    pub fn list(&mut self, list: List) -> &mut Self {
        self.lists.push(list);
        self
    }

    /// Hands over the text of the list with this id. The library reads no files:
    /// a policy file's `path` is for the host app.
    pub fn list_text(&mut self, id: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.list_texts.insert(id.into(), text.into());
        self
    }

    /// The lists declared so far, for a host app to find their texts.
    pub fn lists(&self) -> std::slice::Iter<'_, List> {
        self.lists.iter()
    }

    /// With `true`, a list line that cannot be used is an error rather than a
    /// warning. Off by default.
    pub fn strict_lists(&mut self, strict: bool) -> &mut Self {
        self.strict_lists = strict;
        self
    }

    /// Adds a staged-opening phase.
    pub fn phase(&mut self, phase: Phase) -> &mut Self {
        self.phases.push(phase);
        self
    }

    /// Adds a redirector (a wrapper whose destination is in a query parameter).
    pub fn redirector(&mut self, redirector: Redirector) -> &mut Self {
        self.redirectors.push(redirector);
        self
    }

    /// Unwraps the built-in wrappers too: common query-parameter redirectors
    /// (search engines' result links, social networks' outbound-link pages,
    /// Chinese portals' jump pages) and path-based embeddings (AMP caches and
    /// viewers, web caches, translation proxies). Off by default.
    pub fn builtin_wrappers(&mut self, on: bool) -> &mut Self {
        self.builtin_wrappers = on;
        self
    }

    /// Removes the built-in list of tracking parameters from `clean_url` too.
    /// Off by default.
    pub fn builtin_tracking(&mut self, on: bool) -> &mut Self {
        self.builtin_tracking = on;
        self
    }

    /// Adds tracking parameters removed from `clean_url` (exact names, or a prefix
    /// ending in `*`).
    pub fn tracking_params<I, S>(&mut self, params: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tracking.extend(params.into_iter().map(Into::into));
        self
    }

    /// Sets the lookalike floor and adds protected domains (every platform domain
    /// is protected too).
    pub fn lookalike<I, S>(&mut self, action: Option<Action>, protect: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.lookalike_action = action;
        self.protect.extend(protect.into_iter().map(Into::into));
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
        self.typosquat = on;
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
        self.embedded = on;
        self
    }

    /// Whether a user's trusted domains may turn a soft warn into allow (default true).
    pub fn allow_trust(&mut self, allow: bool) -> &mut Self {
        self.allow_trust = Some(allow);
        self
    }

    /// Sets the complaint thresholds of a category.
    pub fn complaint_threshold(&mut self, category: Category, threshold: Threshold) -> &mut Self {
        self.thresholds.insert(category, threshold);
        self
    }

    /// Adds a complaint count (counts for the same domain and category add up).
    pub fn complaint(&mut self, complaint: Complaint) -> &mut Self {
        self.complaints.push(complaint);
        self
    }

    /// Sets the limits on the policy's size (see [`SizeLimits`]).
    pub fn size_limits(&mut self, limits: SizeLimits) -> &mut Self {
        self.size_limits = limits;
        self
    }

    /// Uses this Public Suffix List instead of the one shipped with the crate.
    pub fn public_suffix_list(&mut self, list: Arc<PublicSuffixList>) -> &mut Self {
        self.psl = Some(list);
        self
    }

    /// Problems found while reading a policy file, to report when building.
    pub(crate) fn set_pending(&mut self, pending: Vec<Error>) {
        self.pending = pending;
    }

    /// The TOML text the builder was read from, and the problems found reading it.
    #[cfg(feature = "toml")]
    pub(crate) fn set_source(&mut self, text: &str, pending: Vec<Error>) {
        self.pending = pending;
        self.source = Some(TomlSource(Arc::from(text)));
    }

    /// Checks and compiles everything.
    ///
    /// # Errors
    ///
    /// Every problem found, in one [`Error`]: duplicate ids, undefined tiers,
    /// invalid domains, URL prefixes, schemes and regexes, bad rollouts, limits.
    pub fn build(&self) -> Result<Policy, Error> {
        let (inner, complaints) =
            crate::compile::compile(self).map_err(|err| match &self.source {
                #[cfg(feature = "toml")]
                Some(TomlSource(text)) => crate::load::source::locate_in_toml(err, text),
                _ => err,
            })?;
        Ok(Policy {
            inner: Arc::new(inner),
            complaints: Arc::new(complaints),
        })
    }
}

impl PolicyBuilder {
    /// Adds a test case; [`build`](crate::PolicyBuilder::build) checks that its
    /// reason kind exists and that the rule it names is the policy's.
    pub fn test(&mut self, test: crate::operator::PolicyTest) -> &mut Self {
        self.tests.push(test);
        self
    }

    /// The test cases, in order.
    pub fn tests(&self) -> std::slice::Iter<'_, crate::operator::PolicyTest> {
        self.tests.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiled::{CompiledRule, ListRule};
    use crate::rules::Matcher;
    use crate::verdict::Id;

    #[test]
    fn compiled_entries_stay_small() {
        assert!(std::mem::size_of::<CompiledRule>() <= 32);
        assert!(std::mem::size_of::<ListRule>() <= 12);
    }

    /// A list entry's id is `list:line`, for short and long list ids, on the
    /// first line and on lines with many digits.
    #[test]
    fn list_entry_ids() {
        for list in ["p", "phishing", &"l".repeat(60), &"long-list-".repeat(10)] {
            let mut text = String::new();
            for i in 1..=1001 {
                text.push_str(&format!("d{i}.example\n"));
            }
            let mut b = Policy::builder();
            b.list(List::new(list, crate::ListFormat::Domains, Action::Block))
                .list_text(list, text);
            let p = b.build().unwrap();
            for (host, line) in [
                ("d1.example", 1),
                ("d10.example", 10),
                ("d1001.example", 1001),
            ] {
                let v = p.classify(&format!("https://{host}/"), &Context::one_to_one());
                let want = format!("{list}:{line}");
                assert_eq!(v.rule_ids().next().map(Id::as_str), Some(want.as_str()));
            }
        }
    }

    #[test]
    fn policy_is_send_sync_clone() {
        fn assert_traits<T: Send + Sync + Clone + fmt::Debug + 'static>() {}
        assert_traits::<Policy>();
        assert_traits::<PolicyBuilder>();
        assert_traits::<Verdict>();
        assert_traits::<Error>();
    }

    #[test]
    fn try_rule_rejects_duplicates() {
        let mut b = Policy::builder();
        let r = Rule::new("a", Action::Block, Matcher::Domain("x.example".into()));
        b.try_rule(r.clone()).unwrap();
        let e = b.try_rule(r).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Duplicate);
    }

    #[test]
    fn build_reports_every_error() {
        let e = Policy::builder()
            .rule(Rule::new(
                "a",
                Action::Block,
                Matcher::Domain("bad domain".into()),
            ))
            .rule(Rule::new("b", Action::Block, Matcher::Regex("(".into())))
            .rule(Rule::new("a", Action::Warn, Matcher::Scheme("1x".into())))
            .build()
            .unwrap_err();
        let kinds: Vec<_> = e.errors().map(Error::kind).collect();
        assert_eq!(
            kinds,
            [
                ErrorKind::InvalidDomain,
                ErrorKind::InvalidRegex,
                ErrorKind::Duplicate,
                ErrorKind::InvalidScheme
            ]
        );
    }
}
