//! The compiled policy and its builder.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use crate::builtin;
use crate::compiled::{
    Compiled, CompiledList, CompiledPhase, CompiledPlatform, CompiledRule, ComplaintTable, Engine,
    ListRule, RedirectorEntry, ResolvedDefaults, compile_scope,
};
use crate::context::Context;
use crate::domain::{DomainMap, FastMap, NormalHost, normalize_domain, normalize_host};
use crate::error::{Error, ErrorKind, Item, Warning};
use crate::limits::SizeLimits;
use crate::link;
use crate::lists::{ListFormat, ListPattern};
use crate::lookalike::Lookalikes;
use crate::matcher::{Matchers, normalize_scheme};
use crate::psl::PublicSuffixList;
use crate::rollout::Gate;
use crate::rules::{
    Action, Category, Complaint, Defaults, Limits, List, Matcher, Phase, Platform, Redirector,
    Rule, Threshold, Tier,
};
use crate::tracking::Tracking;
use crate::verdict::{Id, Verdict};

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
        let table = compile_complaints(&self.complaints.thresholds, &rows, &self.inner.psl)
            .map_err(|e| {
                Error::collect(e)
                    .unwrap_or_else(|| Error::new(ErrorKind::InvalidDomain, "invalid complaint"))
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
    defaults: Defaults,
    limits: Limits,
    pub(crate) tiers: Vec<(String, Tier)>,
    pub(crate) platforms: Vec<Platform>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) phases: Vec<Phase>,
    redirectors: Vec<Redirector>,
    builtin_wrappers: bool,
    tracking: Vec<String>,
    builtin_tracking: bool,
    lookalike_action: Option<Action>,
    pub(crate) protect: Vec<String>,
    typosquat: bool,
    embedded: bool,
    allow_trust: Option<bool>,
    thresholds: BTreeMap<Category, Threshold>,
    /// Data rather than policy: out of the model and the revision (snapshots
    /// carry the counts apart).
    #[serde(skip)]
    complaints: Vec<Complaint>,
    #[serde(skip)]
    pub(crate) psl: Option<Arc<PublicSuffixList>>,
    size_limits: SizeLimits,
    pub(crate) lists: Vec<List>,
    #[serde(skip)]
    pub(crate) list_texts: HashMap<String, String>,
    strict_lists: bool,
    /// Problems of the policy file found while reading it, reported by `build`
    /// with the rest.
    #[serde(skip)]
    pending: Vec<Error>,
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
            return Err(Error::new(
                ErrorKind::Duplicate,
                format!("duplicate rule id: rule #{i} has the same id"),
            )
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
        self.compile().map_err(|err| match &self.source {
            #[cfg(feature = "toml")]
            Some(TomlSource(text)) => crate::load::locate_in_toml(err, text),
            _ => err,
        })
    }

    fn compile(&self) -> Result<Policy, Error> {
        let mut errors = self.pending.clone();
        let psl = self.psl.clone().unwrap_or_else(PublicSuffixList::builtin);

        // Counts first: a policy over them is refused before any work on it.
        let lim = &self.size_limits;
        let platform_domains: usize = self.platforms.iter().map(|p| p.domains.len()).sum();
        for (section, n, max, name) in [
            ("rule", self.rules.len(), lim.max_rules, "max_rules"),
            (
                "platform",
                self.platforms.len(),
                lim.max_platforms,
                "max_platforms",
            ),
            (
                "platform",
                platform_domains,
                lim.max_platform_domains,
                "max_platform_domains",
            ),
            (
                "complaint",
                self.complaints.len(),
                lim.max_complaints,
                "max_complaints",
            ),
            (
                "tiers",
                self.tiers.len(),
                lim.max_other_items,
                "max_other_items",
            ),
            ("phase", self.phases.len(), lim.max_phases, "max_phases"),
            (
                "redirector",
                self.redirectors.len(),
                lim.max_other_items,
                "max_other_items",
            ),
            (
                "tracking",
                self.tracking.len(),
                lim.max_other_items,
                "max_other_items",
            ),
            (
                "lookalike",
                self.protect.len(),
                lim.max_other_items,
                "max_other_items",
            ),
        ] {
            if n > max {
                errors.push(
                    Error::new(
                        ErrorKind::LimitExceeded,
                        format!("{n} entries, more than the limit `{name}` ({max})"),
                    )
                    .with_item(Item::new(section, None, None)),
                );
            }
        }
        if errors.len() > self.pending.len() {
            return Err(Error::collect(errors)
                .unwrap_or_else(|| Error::new(ErrorKind::LimitExceeded, "too big")));
        }
        if self.limits.max_link_len == 0 {
            errors.push(
                Error::new(ErrorKind::InvalidValue, "must be at least 1")
                    .with_item(Item::new("limits", None, None))
                    .with_field("max_link_len"),
            );
        }
        // The link limits a policy sets are bounded too: they set the per-link
        // work and the verdict's size.
        for (field, value, max) in [
            ("max_link_len", self.limits.max_link_len, lim.max_link_len),
            (
                "max_redirect_depth",
                self.limits.max_redirect_depth,
                lim.max_redirect_depth,
            ),
        ] {
            if value > max {
                errors.push(
                    Error::new(
                        ErrorKind::LimitExceeded,
                        format!("{value} is more than the limit `{field}` ({max})"),
                    )
                    .with_item(Item::new("limits", None, None))
                    .with_field(field),
                );
            }
        }

        // Tiers.
        let mut tiers: Vec<(Id, Tier)> = Vec::with_capacity(self.tiers.len());
        let mut tier_index: HashMap<&str, u32> = HashMap::new();
        for (name, tier) in &self.tiers {
            if name.is_empty() {
                errors.push(
                    Error::new(ErrorKind::InvalidValue, "the tier name is empty")
                        .with_item(Item::new("tiers", None, Some(name))),
                );
            }
            if tier_index.contains_key(name.as_str()) {
                errors.push(
                    Error::new(ErrorKind::Duplicate, "duplicate tier name").with_item(Item::new(
                        "tiers",
                        None,
                        Some(name),
                    )),
                );
                continue;
            }
            tier_index.insert(name, index_u32(tiers.len()));
            tiers.push((Id::new(name), *tier));
        }

        // Platforms.
        let mut platforms = Vec::with_capacity(self.platforms.len());
        let mut matchers = Matchers::new(lim.max_regex_size, lim.max_regex_set_size, &psl);
        let mut platform_ids: HashMap<&str, usize> = HashMap::new();
        let mut domain_owner: HashMap<String, usize> = HashMap::new();
        for (i, p) in self.platforms.iter().enumerate() {
            let item = || Item::new("platform", Some(i), Some(&p.id));
            check_id(&mut platform_ids, &p.id, i, "platform", item, &mut errors);
            let tier = match &p.tier {
                Some(t) => match tier_index.get(t.as_str()) {
                    Some(&ti) => Some(ti),
                    None => {
                        errors.push(
                            Error::new(
                                ErrorKind::UndefinedTier,
                                format!("tier `{t}` is not defined in `[tiers]`"),
                            )
                            .with_item(item())
                            .with_field("tier"),
                        );
                        None
                    }
                },
                None => None,
            };
            if p.domains.is_empty() {
                errors.push(
                    Error::new(
                        ErrorKind::MissingField,
                        "a platform needs at least one domain",
                    )
                    .with_item(item())
                    .with_field("domains"),
                );
            }
            for d in &p.domains {
                match normalize_domain(d) {
                    Ok(d) => {
                        if let Some(&owner) = domain_owner.get(&d) {
                            if owner != i {
                                errors.push(
                                    Error::new(
                                        ErrorKind::Duplicate,
                                        format!("domain `{d}` also belongs to platform #{owner}"),
                                    )
                                    .with_item(item())
                                    .with_field("domains"),
                                );
                            }
                            continue;
                        }
                        matchers.sites.add_platform(&d, index_u32(i));
                        domain_owner.insert(d, i);
                    }
                    Err(msg) => errors.push(
                        Error::new(ErrorKind::InvalidDomain, msg)
                            .with_item(item())
                            .with_field("domains"),
                    ),
                }
            }
            platforms.push(CompiledPlatform {
                id: Id::new(&p.id),
                tier,
            });
        }

        // Rules.
        let mut rules = Vec::with_capacity(self.rules.len());
        let mut rule_id_text = String::with_capacity(self.rules.iter().map(|r| r.id.len()).sum());
        let mut rule_ids: FastMap<&str, usize> =
            FastMap::with_capacity_and_hasher(self.rules.len(), Default::default());
        matchers.sites.reserve(self.rules.len());
        for (i, r) in self.rules.iter().enumerate() {
            let item = || Item::new("rule", Some(i), Some(&r.id));
            check_id(&mut rule_ids, &r.id, i, "rule", item, &mut errors);
            if is_list_entry_id(&r.id) {
                errors.push(
                    Error::new(
                        ErrorKind::InvalidValue,
                        format!(
                            "`{}` has the shape of a list entry's id (`list:line`), which is reserved for them",
                            r.id
                        ),
                    )
                    .with_item(item())
                    .with_field("id"),
                );
            }
            if r.hard && r.action == Action::Allow {
                errors.push(hard_allow_error().with_item(item()).with_field("hard"));
            }
            let idx = index_u32(i);
            if let Err((kind, msg)) = add_matcher(&mut matchers, &r.matcher, idx, lim) {
                errors.push(
                    Error::new(kind, msg)
                        .with_item(item())
                        .with_field(r.matcher.field()),
                );
            }
            let scope = compile_scope(r.chats.as_deref(), r.min_members, item, &mut errors);
            let gate = compile_gate(r.rollout.as_ref(), &r.id, item, &mut errors);
            rules.push(CompiledRule {
                id_start: index_u32(rule_id_text.len()),
                id_len: index_u32(r.id.len()),
                action: r.action,
                category: r.category,
                hard: r.hard,
                shadow: r.shadow,
                priority: r.priority,
                scope,
                gate: gate.map(Box::new),
            });
            rule_id_text.push_str(&r.id);
        }

        // Lists: every usable line a rule, with its list's settings. A
        // snapshot's table entries come after all the others.
        let table = self.loaded.as_ref().and_then(|l| l.table.clone());
        let in_table = table.as_ref().map_or(0, |t| t.len());
        let mut lists = Vec::with_capacity(self.lists.len());
        let mut list_rules: Vec<ListRule> = Vec::new();
        let mut warnings: Vec<Warning> = Vec::new();
        let mut list_ids: HashMap<&str, usize> = HashMap::new();
        for (li, l) in self.lists.iter().enumerate() {
            let item = || Item::new("list", Some(li), Some(&l.id));
            if l.hard && l.action == Action::Allow {
                errors.push(hard_allow_error().with_item(item()).with_field("hard"));
            }
            check_id(&mut list_ids, &l.id, li, "list", item, &mut errors);
            let scope = compile_scope(l.chats.as_deref(), l.min_members, item, &mut errors);
            let loaded = self.loaded.as_ref().and_then(|p| p.lists.get(li));
            let text = self.list_texts.get(&l.id);
            if loaded.is_none() && text.is_none() {
                let hint = match &l.path {
                    Some(p) => format!(
                        " (the policy names the file `{p}`: the host app reads it and hands its text over)"
                    ),
                    None => String::new(),
                };
                errors.push(
                    Error::new(
                        ErrorKind::MissingList,
                        format!("no text was given for this list{hint}"),
                    )
                    .with_item(item()),
                );
                continue;
            }
            let parsed = match (loaded, text) {
                (Some(parsed), _) => parsed.clone(),
                (None, Some(text)) => crate::lists::parse_list(l.format, text),
                (None, None) => crate::lists::ParsedList::default(),
            };
            let mut skipped: Vec<(usize, String)> = parsed
                .skipped
                .into_iter()
                .map(|s| (s.line, s.reason))
                .collect();
            let list_index = index_u32(li);
            matchers
                .sites
                .reserve(parsed.entries.len().min(lim.max_rules));
            list_rules.reserve(parsed.entries.len().min(lim.max_rules));
            for entry in parsed.entries {
                if rules.len() + list_rules.len() + in_table >= lim.max_rules {
                    errors.push(
                        Error::new(
                            ErrorKind::LimitExceeded,
                            format!("the rules and list entries together are more than the limit `max_rules` ({})", lim.max_rules),
                        )
                        .with_item(item()),
                    );
                    break;
                }
                let index = index_u32(rules.len() + list_rules.len());
                let added = match entry.pattern {
                    ListPattern::Domain(d) => {
                        matchers.add_domain(&d, index);
                        Ok(())
                    }
                    ListPattern::Host(h) => {
                        matchers.add_host(&h, index);
                        Ok(())
                    }
                    ListPattern::UrlPrefix(p) => {
                        add_matcher(&mut matchers, &Matcher::UrlPrefix(p), index, lim)
                    }
                    ListPattern::Regex(r) => {
                        add_matcher(&mut matchers, &Matcher::Regex(r), index, lim)
                    }
                };
                match added {
                    Ok(()) => list_rules.push(ListRule {
                        list: list_index,
                        line: index_u32(entry.line),
                        exception: entry.exception,
                        important: entry.important,
                    }),
                    Err((_, msg)) => skipped.push((entry.line, msg)),
                }
            }
            skipped.sort_by_key(|(line, _)| *line);
            for (line, message) in skipped {
                if self.strict_lists {
                    errors.push(
                        Error::new(ErrorKind::ListLine, format!("line {line}: {message}"))
                            .with_item(item()),
                    );
                } else {
                    warnings.push(Warning::new(&l.id, line, message));
                }
            }
            lists.push(CompiledList {
                id: Id::new(&l.id),
                action: l.action,
                category: l.category,
                hard: l.hard,
                shadow: l.shadow,
                priority: l.priority,
                scope,
            });
        }
        if let Some(mut table) = table {
            table.base = index_u32(rules.len() + list_rules.len());
            let fits = table.lists() as usize == self.lists.len()
                && u32::try_from(table.len())
                    .ok()
                    .and_then(|n| table.base.checked_add(n))
                    .is_some();
            if !fits || rules.len() + list_rules.len() + in_table > lim.max_rules {
                errors.push(Error::new(
                    ErrorKind::CorruptSnapshot,
                    format!(
                        "the list table names {} list(s) and {in_table} entries; the policy has \
                         {} list(s), {} rules and list entries besides, and `max_rules` is {}",
                        table.lists(),
                        self.lists.len(),
                        rules.len() + list_rules.len(),
                        lim.max_rules
                    ),
                ));
            }
            // Which lists block: their entries (exceptions aside) carry the
            // fast fingerprint.
            table.blocking = lists.iter().map(|l| l.action == Action::Block).collect();
            // Only adblock lists have exceptions (`@@`).
            table.all_block = table.blocking.iter().all(|&b| b)
                && self.lists.iter().all(|l| l.format != ListFormat::Adblock);
            matchers.table = Some(table);
        }

        // Phases.
        let mut phases = Vec::with_capacity(self.phases.len());
        let mut phase_ids: HashMap<&str, usize> = HashMap::new();
        for (i, p) in self.phases.iter().enumerate() {
            let item = || Item::new("phase", Some(i), Some(&p.id));
            check_id(&mut phase_ids, &p.id, i, "phase", item, &mut errors);
            let gate = compile_gate(p.rollout.as_ref(), &p.id, item, &mut errors);
            phases.push(CompiledPhase {
                id: Id::new(&p.id),
                gate,
                defaults: p.defaults,
            });
        }

        // Redirectors: the policy's, then the built-in ones when asked for.
        let mut redirectors: DomainMap<Vec<RedirectorEntry>> = DomainMap::default();
        for (i, r) in self.redirectors.iter().enumerate() {
            let item = || Item::new("redirector", Some(i), None);
            if r.params.is_empty() || r.params.iter().any(String::is_empty) {
                errors.push(
                    Error::new(
                        ErrorKind::InvalidValue,
                        "needs at least one parameter name, none empty",
                    )
                    .with_item(item())
                    .with_field("params"),
                );
            }
            if r.path.as_deref().is_some_and(|p| !p.starts_with('/')) {
                errors.push(
                    Error::new(ErrorKind::InvalidValue, "a path prefix starts with `/`")
                        .with_item(item())
                        .with_field("path"),
                );
            }
            match normalize_domain(&r.domain) {
                Ok(d) => {
                    matchers.sites.add_redirector(&d);
                    redirectors.entry_or_default(&d).push(RedirectorEntry {
                        path: r.path.as_deref().map(Into::into),
                        params: crate::unwrap::params::ParamIndex::new(
                            r.params.iter().map(String::as_str),
                        ),
                    });
                }
                Err(msg) => errors.push(
                    Error::new(ErrorKind::InvalidDomain, msg)
                        .with_item(item())
                        .with_field("domain"),
                ),
            }
        }
        if self.builtin_wrappers {
            for r in builtin::REDIRECTORS {
                matchers.sites.add_redirector(r.domain);
                redirectors
                    .entry_or_default(r.domain)
                    .push(RedirectorEntry {
                        path: r.path.map(Into::into),
                        params: crate::unwrap::params::ParamIndex::new(r.params.iter().copied()),
                    });
            }
        }

        // Tracking parameters.
        let mut tracking_params = self.tracking.clone();
        if self.builtin_tracking {
            tracking_params.extend(builtin::TRACKING.iter().map(|&p| p.to_owned()));
        }
        let tracking = match Tracking::new(&tracking_params) {
            Ok(t) => t,
            Err(msg) => {
                errors.push(
                    Error::new(ErrorKind::InvalidValue, msg)
                        .with_item(Item::new("tracking", None, None))
                        .with_field("params"),
                );
                Tracking::default()
            }
        };

        // Lookalike protection: every platform domain plus `protect`, with their
        // skeletons computed now rather than per link.
        let mut protected: Vec<String> = domain_owner.keys().cloned().collect();
        for (i, d) in self.protect.iter().enumerate() {
            match normalize_domain(d) {
                Ok(d) => protected.push(d),
                Err(msg) => errors.push(
                    Error::new(ErrorKind::InvalidDomain, msg)
                        .with_item(Item::new("lookalike", None, None))
                        .with_field(format!("protect[{i}]")),
                ),
            }
        }
        // Links are compared by registrable domain, so protect the registrable
        // domain of each (`mp.weixin.qq.com` protects `qq.com`); a public suffix
        // such as `gov.cn` is kept as written.
        let mut protected: Vec<String> = protected
            .into_iter()
            .map(|d| match psl.registrable_domain(&d) {
                Some(r) => r.to_owned(),
                None => d,
            })
            .collect();
        protected.sort_unstable();
        protected.dedup();
        for d in &protected {
            matchers.sites.add_protected(d);
        }
        let lookalikes = Lookalikes::new(
            protected,
            crate::lookalike::Options {
                typosquat: self.typosquat,
                embedded: self.embedded,
            },
        );
        if let Err(msg) = matchers.finish() {
            errors.push(
                Error::new(ErrorKind::LimitExceeded, msg)
                    .with_item(Item::new("rule", None, None))
                    .with_field("regex"),
            );
        }

        // Complaints.
        let complaints = match compile_complaints(&self.thresholds, &self.complaints, &psl) {
            Ok(c) => c,
            Err(mut e) => {
                errors.append(&mut e);
                ComplaintTable::default()
            }
        };

        crate::operator::check_tests(self, &mut errors);
        if let Some(e) = Error::collect(errors) {
            return Err(e);
        }
        let (source, revision) = match &self.loaded {
            Some(loaded) => (
                crate::compiled::Source::Snapshot(loaded.bytes.clone()),
                loaded.revision,
            ),
            None => {
                let (model, revision) = self.model_and_revision(&psl);
                let lists = self
                    .lists
                    .iter()
                    .map(|l| {
                        let text = self.list_texts.get(&l.id).map_or("", String::as_str);
                        (l.id.clone(), l.format, text.to_owned())
                    })
                    .collect();
                let custom_psl = self.psl.as_ref().map(|p| p.to_dat());
                let source = crate::compiled::Source::Built {
                    model,
                    lists,
                    custom_psl,
                };
                (source, revision)
            }
        };
        let source = Arc::new(source);
        Ok(Policy {
            inner: Arc::new(Compiled {
                defaults: ResolvedDefaults::resolve(&self.defaults),
                limits: self.limits,
                tiers,
                platforms,
                rules,
                rule_ids: rule_id_text,
                lists,
                list_rules,
                warnings,
                matchers,
                phases,
                redirectors,
                embeddings: self.builtin_wrappers,
                tracking,
                lookalikes,
                lookalike_action: self.lookalike_action.unwrap_or(Action::Warn),
                allow_trust: self.allow_trust.unwrap_or(true),
                psl,
                revision,
                source,
                tests: self.tests.clone(),
            }),
            complaints: Arc::new(complaints),
        })
    }
}

impl PolicyBuilder {
    /// The encoded model and the revision: the model, the Public Suffix List and
    /// each list's id and text, in the order the lists were declared.
    fn model_and_revision(&self, psl: &PublicSuffixList) -> (Box<[u8]>, u64) {
        let model = crate::snapshot::encode_model(self);
        let texts = self.lists.iter().map(|l| {
            (
                l.id.as_str(),
                self.list_texts.get(&l.id).map_or("", String::as_str),
            )
        });
        let custom_psl = self.psl.as_ref().map(|p| p.to_dat());
        let revision = crate::snapshot::revision(&model, psl, custom_psl.as_deref(), texts);
        (model, revision)
    }
}

fn compile_complaints(
    thresholds: &BTreeMap<Category, Threshold>,
    rows: &[Complaint],
    psl: &PublicSuffixList,
) -> Result<ComplaintTable, Vec<Error>> {
    let mut errors = Vec::new();
    for (cat, t) in thresholds {
        if let (Some(w), Some(b)) = (t.warn, t.block) {
            if w > b {
                errors.push(
                    Error::new(
                        ErrorKind::InvalidValue,
                        format!("`warn` ({w}) is above `block` ({b})"),
                    )
                    .with_item(Item::new(
                        "complaints.thresholds",
                        None,
                        Some(cat.as_str()),
                    )),
                );
            }
        }
    }
    let mut counts: FastMap<Box<str>, Vec<(Category, u64)>> = FastMap::default();
    for (i, row) in rows.iter().enumerate() {
        let item = || Item::new("complaint", Some(i), None);
        let d = match normalize_domain(&row.domain) {
            Ok(d) => d,
            Err(msg) => {
                errors.push(
                    Error::new(ErrorKind::InvalidDomain, msg)
                        .with_item(item())
                        .with_field("domain"),
                );
                continue;
            }
        };
        match psl.registrable_domain(&d) {
            Some(r) if r == d => {}
            Some(r) => {
                errors.push(
                    Error::new(
                        ErrorKind::InvalidDomain,
                        format!("`{d}` is not a registrable domain: did you mean `{r}`?"),
                    )
                    .with_item(item())
                    .with_field("domain"),
                );
                continue;
            }
            None => {
                errors.push(
                    Error::new(
                        ErrorKind::InvalidDomain,
                        format!("`{d}` is a public suffix, not a registrable domain"),
                    )
                    .with_item(item())
                    .with_field("domain"),
                );
                continue;
            }
        }
        let entry = counts.entry(d.into_boxed_str()).or_default();
        match entry.iter_mut().find(|(c, _)| *c == row.category) {
            Some((_, n)) => *n = n.saturating_add(row.count),
            None => entry.push((row.category, row.count)),
        }
    }
    if errors.is_empty() {
        Ok(ComplaintTable {
            thresholds: thresholds.clone(),
            counts,
        })
    } else {
        Err(errors)
    }
}

fn add_matcher(
    m: &mut Matchers,
    matcher: &Matcher,
    rule: u32,
    lim: &SizeLimits,
) -> Result<(), (ErrorKind, String)> {
    // Domains and hosts are bounded by DNS (253 bytes) when normalized.
    if let Matcher::UrlPrefix(pattern) | Matcher::Regex(pattern) = matcher {
        if pattern.len() > lim.max_pattern_len {
            return Err((
                ErrorKind::LimitExceeded,
                format!(
                    "{} bytes long, more than the limit `max_pattern_len` ({})",
                    pattern.len(),
                    lim.max_pattern_len
                ),
            ));
        }
    }
    match matcher {
        Matcher::Domain(d) => {
            let d = normalize_domain(d).map_err(|m| (ErrorKind::InvalidDomain, m))?;
            m.add_domain(&d, rule);
        }
        Matcher::Host(h) => {
            let h = match normalize_host(h).map_err(|m| (ErrorKind::InvalidDomain, m))? {
                NormalHost::Domain(d) | NormalHost::Ip(d) => d,
            };
            m.add_host(&h, rule);
        }
        Matcher::UrlPrefix(p) => {
            let invalid = |why: &str| {
                (
                    ErrorKind::InvalidUrlPrefix,
                    format!("`{p}` is not a usable URL prefix: {why}"),
                )
            };
            if link::scheme_of(p.trim()).is_none() {
                return Err(invalid("it needs a scheme, such as `https://`"));
            }
            let normalized = link::normalize(p, usize::MAX).map_err(|r| match r {
                link::Rejection::UnsafeScheme { scheme, .. } => invalid(&format!(
                    "links with the scheme `{scheme}` are always blocked"
                )),
                link::Rejection::Invalid { detail } => invalid(&detail),
                link::Rejection::TooLong { .. } => invalid("too long"),
            })?;
            if normalized.userinfo {
                return Err(invalid(
                    "it has user info, which normalized links never have",
                ));
            }
            m.add_prefix(
                normalized.host_name().unwrap_or(""),
                normalized.as_str(),
                rule,
            );
        }
        Matcher::Regex(r) => m.add_regex(r, rule).map_err(|(too_big, msg)| {
            let kind = if too_big {
                ErrorKind::LimitExceeded
            } else {
                ErrorKind::InvalidRegex
            };
            (kind, msg)
        })?,
        Matcher::Scheme(s) => {
            let s = normalize_scheme(s).map_err(|m| (ErrorKind::InvalidScheme, m))?;
            m.add_scheme(&s, rule);
        }
    }
    Ok(())
}
/// Checks the id of item `i` of a section: not empty, and not the id of an
/// earlier item of the section (`ids` holds those). Each problem is an error
/// on the item's `id` field.
fn check_id<'a, S: std::hash::BuildHasher>(
    ids: &mut HashMap<&'a str, usize, S>,
    id: &'a str,
    i: usize,
    section: &str,
    item: impl Fn() -> Item,
    errors: &mut Vec<Error>,
) {
    if id.is_empty() {
        errors.push(
            Error::new(ErrorKind::InvalidValue, "the id is empty")
                .with_item(item())
                .with_field("id"),
        );
    }
    if let Some(first) = ids.insert(id, i) {
        errors.push(
            Error::new(
                ErrorKind::Duplicate,
                format!("duplicate {section} id: {section} #{first} has the same id"),
            )
            .with_item(item())
            .with_field("id"),
        );
    }
}

/// A rule's or phase's rollout gate, compiled once (its salt, the item's id,
/// hashed now); a setting that does not compile is an error on its field.
fn compile_gate(
    rollout: Option<&crate::rules::Rollout>,
    id: &str,
    item: impl Fn() -> Item,
    errors: &mut Vec<Error>,
) -> Option<Gate> {
    match Gate::compile(rollout?, id) {
        Ok(g) => Some(g),
        Err((field, msg)) => {
            errors.push(
                Error::new(ErrorKind::InvalidValue, msg)
                    .with_item(item())
                    .with_field(field),
            );
            None
        }
    }
}

/// Whether an id has the shape of a list entry's id, `list:line` (a colon,
/// then only ASCII digits): those are reserved, so that a rule cannot pass for
/// an entry of a list.
fn is_list_entry_id(id: &str) -> bool {
    id.rsplit_once(':')
        .is_some_and(|(_, line)| !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()))
}

/// `hard` on an allow rule or list: nothing can relax an allow, so the setting
/// means nothing, and a verdict "allow, hard" would mislead.
fn hard_allow_error() -> Error {
    Error::new(
        ErrorKind::InvalidValue,
        "`hard` has no meaning on an `allow` rule: it keeps a block or a warn from being relaxed",
    )
}

fn index_u32(i: usize) -> u32 {
    // Callers index lists whose length `build` has checked against the size
    // limits; saturating keeps even absurd limits from wrapping.
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

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
