//! The public face: [`Policy`], the compiled, immutable policy, and its
//! builder, [`PolicyBuilder`] (`builder.rs`). Each method delegates to the
//! stage that does the work: `load/` reads text into the plain model
//! (`model.rs`), `compile/` turns the model into the compiled form
//! (`engine/compiled.rs`), `engine/decide.rs` reads that form for a link, `snapshot/` writes
//! it to bytes and reads the model back. None of them knows these two types.
//! Every public method of the two is in this folder: here and in
//! `builder.rs`, in `messages.rs` ([`Policy::scan`]) and in `tools.rs`
//! ([`Policy::explain`], the policy's own tests). The tools that take a
//! policy among other inputs (a diff of two, `classify_lines`, the request
//! lines) sit above it, in `operator/` and `request.rs`.

mod builder;
mod messages;
#[cfg(test)]
mod tests;
mod tools;

use std::fmt;
use std::sync::Arc;

pub use self::builder::PolicyBuilder;
use crate::context::Context;
use crate::engine::compiled::{Compiled, ComplaintTable, Engine};
use crate::error::{Error, ErrorKind, Warning};
#[cfg(any(feature = "toml", feature = "json"))]
use crate::limits::SizeLimits;
use crate::link::domain::normalize_domain;
use crate::psl::PublicSuffixList;
use crate::rules::{Category, Complaint};
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

    /// Loads a policy from TOML text (the format: [the policy file](crate#the-policy-file)).
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
        crate::engine::decide::classify(self.engine(), link, ctx)
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
        crate::snapshot::write(&self.inner)
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
        PolicyBuilder::from_model(crate::snapshot::read(bytes.into())?).build()
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
