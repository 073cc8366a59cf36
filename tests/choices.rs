//! Phases and steps, the user's own choices, and complaints (contract sections 3,
//! 5 and 6; issue #3).

use linkpolicy::{
    Action, Category, Complaint, Context, Mode, Policy, Prefs, Reason, Verdict, rollout_bucket,
};
use proptest::prelude::*;

/// The policy of `toml`, loaded from its snapshot (issue #18) unless it has
/// complaint counts, which snapshots leave out.
fn policy(toml: &str) -> Policy {
    let p = Policy::from_toml_str(toml).unwrap_or_else(|e| panic!("policy does not load: {e}"));
    if toml.contains("[[complaint]]") {
        p
    } else {
        crate::snapshot::reloaded(&p)
    }
}

fn kinds(v: &Verdict) -> Vec<&'static str> {
    v.reasons().map(Reason::kind).collect()
}

fn rule_id(v: &Verdict) -> Option<&str> {
    v.rule_ids().next().map(|r| r.as_str())
}

fn gated(rollout: &str) -> Policy {
    policy(&format!(
        "version = 1\n[[rule]]\nid = \"gated\"\naction = \"block\"\ndomain = \"a.example\"\nrollout = {rollout}\n"
    ))
}

fn gate_passes(p: &Policy, ctx: &Context) -> bool {
    rule_id(&p.classify("https://a.example/", ctx)) == Some("gated")
}

// ---------------------------------------------------------------------------
// Rollout gates.

#[test]
fn bucket_vectors_of_the_contract() {
    assert_eq!(rollout_bucket("groups-2021-10", "alice"), 57);
    assert_eq!(rollout_bucket("groups-2021-10", "bob"), 70);
    assert_eq!(rollout_bucket("r1", "u-000042"), 26);
}

#[test]
fn percent_boundary_is_exclusive() {
    // alice's bucket is 57: inside when bucket < percent.
    let user = Context::one_to_one().with_user("alice");
    assert!(!gate_passes(
        &gated("{ percent = 57, salt = \"groups-2021-10\" }"),
        &user
    ));
    assert!(gate_passes(
        &gated("{ percent = 58, salt = \"groups-2021-10\" }"),
        &user
    ));
    assert!(!gate_passes(
        &gated("{ percent = 0, salt = \"groups-2021-10\" }"),
        &user
    ));
    assert!(gate_passes(
        &gated("{ percent = 100, salt = \"groups-2021-10\" }"),
        &user
    ));
}

#[test]
fn percent_needs_a_user() {
    let p = gated("{ percent = 100, salt = \"s\" }");
    assert!(!gate_passes(&p, &Context::one_to_one()));
    assert!(gate_passes(&p, &Context::one_to_one().with_user("anyone")));
}

#[test]
fn salt_defaults_to_the_rule_id() {
    // Find a user inside a 50% rollout salted with the rule id, and one outside.
    let inside = (0..)
        .map(|i| format!("u{i}"))
        .find(|u| rollout_bucket("gated", u) < 50)
        .unwrap();
    let outside = (0..)
        .map(|i| format!("u{i}"))
        .find(|u| rollout_bucket("gated", u) >= 50)
        .unwrap();
    let p = gated("{ percent = 50 }");
    assert!(gate_passes(&p, &Context::one_to_one().with_user(inside)));
    assert!(!gate_passes(&p, &Context::one_to_one().with_user(outside)));
}

#[test]
fn min_client_compares_dotted_numbers() {
    let p = gated("{ min_client = \"8.0.16\" }");
    let v = |s: &str| gate_passes(&p, &Context::one_to_one().with_client_version(s));
    assert!(v("8.0.16"), "equal versions pass");
    assert!(v("8.0.16.0"), "missing parts are 0");
    assert!(v("8.1"), "8.1 > 8.0.16");
    assert!(v("10.0"));
    assert!(!v("8.0.15"));
    assert!(!v("8.0.9.99"));
    assert!(!v("8"), "8 = 8.0.0 < 8.0.16");
    assert!(!v("beta"), "a version that cannot be read does not pass");
    assert!(
        !gate_passes(&p, &Context::one_to_one()),
        "no version: does not pass"
    );
}

#[test]
fn window_from_inclusive_until_exclusive() {
    let p = gated("{ from = 1631836800, until = 1640995200 }");
    let at = |t: i64| gate_passes(&p, &Context::one_to_one().with_now(t));
    assert!(!at(1_631_836_799));
    assert!(at(1_631_836_800));
    assert!(at(1_640_995_199));
    assert!(!at(1_640_995_200));
    assert!(
        !gate_passes(&p, &Context::one_to_one()),
        "no time: does not pass"
    );
    let open_ended = gated("{ until = 100 }");
    assert!(gate_passes(
        &open_ended,
        &Context::one_to_one().with_now(-5)
    ));
}

#[test]
fn all_keys_must_pass() {
    let p =
        gated("{ percent = 58, salt = \"groups-2021-10\", min_client = \"8.0.16\", from = 10 }");
    let full = Context::one_to_one()
        .with_user("alice")
        .with_client_version("8.0.16")
        .with_now(10);
    assert!(gate_passes(&p, &full));
    assert!(!gate_passes(&p, &full.clone().with_user("bob")));
    assert!(!gate_passes(
        &p,
        &full.clone().with_client_version("8.0.15")
    ));
    assert!(!gate_passes(&p, &full.clone().with_now(9)));
}

#[test]
fn empty_window_is_a_load_error() {
    let e = Policy::from_toml_str(
        "version = 1\n[[rule]]\nid = \"r\"\naction = \"block\"\ndomain = \"a.example\"\nrollout = { from = 5, until = 5 }\n",
    )
    .unwrap_err();
    assert_eq!(e.field(), Some("rollout.until"));
    let e = Policy::from_toml_str(
        "version = 1\n[[rule]]\nid = \"r\"\naction = \"block\"\ndomain = \"a.example\"\nrollout = { min_client = \"8.x\" }\n",
    )
    .unwrap_err();
    assert_eq!(e.field(), Some("rollout.min_client"));
}

// ---------------------------------------------------------------------------
// Phases.

const PHASES: &str = r#"
version = 1
[defaults]
one_to_one = "warn"
group = "block"
app_link = "warn"
ip_host = "warn"

[[phase]]
id = "groups-open-10pct"
rollout = { percent = 10, salt = "groups-2021-10", min_client = "8.0.16" }
defaults = { group = "warn" }

[[phase]]
id = "late-2021"
rollout = { from = 1638316800 }
defaults = { group = "allow", app_link = "block", ip_host = "block" }
"#;

fn user_in_10pct() -> String {
    (0..)
        .map(|i| format!("u-{i:06}"))
        .find(|u| rollout_bucket("groups-2021-10", u) < 10)
        .unwrap()
}

#[test]
fn phase_replaces_default_when_its_gate_passes() {
    let p = policy(PHASES);
    let inside = Context::group(50)
        .with_user(user_in_10pct())
        .with_client_version("8.0.16");
    let v = p.classify("https://a.example/", &inside);
    assert_eq!(v.action(), Action::Warn);
    assert_eq!(
        serde_json::to_value(v.reason().unwrap()).unwrap(),
        serde_json::json!({"kind": "phase", "phase": "groups-open-10pct"})
    );
    // alice's bucket is 57: outside the 10%.
    let outside = Context::group(50)
        .with_user("alice")
        .with_client_version("8.0.16");
    let v = p.classify("https://a.example/", &outside);
    assert_eq!((v.action(), kinds(&v)), (Action::Block, vec!["default"]));
    // Too old a client.
    let old = Context::group(50)
        .with_user(user_in_10pct())
        .with_client_version("8.0.15");
    assert_eq!(
        p.classify("https://a.example/", &old).action(),
        Action::Block
    );
}

#[test]
fn last_applicable_phase_wins_per_key() {
    let p = policy(PHASES);
    let both = Context::group(50)
        .with_user(user_in_10pct())
        .with_client_version("8.0.16")
        .with_now(1_638_316_800);
    let v = p.classify("https://a.example/", &both);
    assert_eq!(v.action(), Action::Allow);
    assert!(matches!(v.reason(), Some(Reason::Phase { phase }) if phase == "late-2021"));
    // A key the later phase does not set keeps the earlier phase's value.
    let one = Context::one_to_one().with_now(1_638_316_800);
    assert_eq!(kinds(&p.classify("https://a.example/", &one)), ["default"]);
}

#[test]
fn phase_sets_app_link_and_ip_host() {
    let p = policy(PHASES);
    let late = Context::one_to_one().with_now(1_638_316_800);
    let v = p.classify("weixin://dl/x", &late);
    assert_eq!(v.action(), Action::Block);
    assert_eq!(kinds(&v), ["app_link", "phase"]);
    assert_eq!(
        p.classify("http://10.1.2.3/", &late).action(),
        Action::Block
    );
    assert_eq!(
        p.classify("http://10.1.2.3/", &Context::one_to_one())
            .action(),
        Action::Warn
    );
}

#[test]
fn phase_never_overrides_a_rule() {
    let p = policy(&format!(
        "{PHASES}\n[[rule]]\nid = \"r\"\naction = \"block\"\ndomain = \"bad.example\""
    ));
    let late = Context::group(5).with_now(1_638_316_800);
    assert_eq!(
        rule_id(&p.classify("https://bad.example/", &late)),
        Some("r")
    );
}

// ---------------------------------------------------------------------------
// Shadow rules.

#[test]
fn shadow_hard_block_never_decides() {
    let p = policy(
        "version = 1\n[defaults]\none_to_one = \"allow\"\n[[rule]]\nid = \"trial\"\naction = \"block\"\nhard = true\nshadow = true\ndomain = \"a.example\"\n",
    );
    let v = p.classify("https://x.a.example/", &Context::one_to_one());
    assert_eq!((v.action(), v.is_hard()), (Action::Allow, false));
    let shadow: Vec<_> = v
        .shadow()
        .map(|s| (s.rule.as_str().to_owned(), s.action))
        .collect();
    assert_eq!(shadow, [("trial".to_owned(), Action::Block)]);
}

#[test]
fn shadow_rule_respects_its_gates() {
    let p = policy(
        "version = 1\n[[rule]]\nid = \"trial\"\naction = \"block\"\nshadow = true\nchats = [\"group\"]\ndomain = \"a.example\"\n",
    );
    assert_eq!(
        p.classify("https://a.example/", &Context::one_to_one())
            .shadow()
            .count(),
        0
    );
    assert_eq!(
        p.classify("https://a.example/", &Context::group(3))
            .shadow()
            .count(),
        1
    );
}

#[test]
fn shadow_next_to_enforced_rule() {
    let p = policy(
        "version = 1\n[[rule]]\nid = \"trial\"\naction = \"allow\"\nshadow = true\nhost = \"a.example\"\n[[rule]]\nid = \"live\"\naction = \"warn\"\ndomain = \"a.example\"\n",
    );
    let v = p.classify("https://a.example/", &Context::one_to_one());
    assert_eq!((v.action(), rule_id(&v)), (Action::Warn, Some("live")));
    assert_eq!(
        v.shadow().map(|s| s.action).collect::<Vec<_>>(),
        [Action::Allow]
    );
}

// ---------------------------------------------------------------------------
// The user's own choices (section 6).

const USER: &str = r#"
version = 1
[defaults]
one_to_one = "warn"
group = "block"
[tiers.A]
one_to_one = "allow"
[[platform]]
id = "jd"
domains = ["jd.com"]
tier = "A"
[[redirector]]
domain = "c.duomai.com"
params = ["t"]
[[rule]]
id = "hard-warn"
action = "warn"
hard = true
domain = "risky.example"
[[rule]]
id = "soft-block"
action = "block"
domain = "bad.example"
[[rule]]
id = "hard-block"
action = "block"
hard = true
domain = "evil.example"
"#;

fn with_prefs(mode: Mode, trusted: &[&str], blocked: &[&str]) -> Context {
    Context::one_to_one().with_prefs(Prefs::from_lists(mode, trusted, blocked).unwrap())
}

#[test]
fn trusted_domain_turns_soft_warn_into_allow() {
    let p = policy(USER);
    let v = p.classify(
        "https://news.example.org/a",
        &with_prefs(Mode::Default, &["example.org"], &[]),
    );
    assert_eq!(v.action(), Action::Allow);
    assert_eq!(kinds(&v), ["user_trusted", "default"]);
}

#[test]
fn trusted_domain_never_relaxes_hard_warn_or_block() {
    let p = policy(USER);
    let ctx = with_prefs(
        Mode::Default,
        &["risky.example", "bad.example", "evil.example"],
        &[],
    );
    let v = p.classify("https://risky.example/", &ctx);
    assert_eq!((v.action(), v.is_hard()), (Action::Warn, true));
    assert_eq!(
        p.classify("https://bad.example/", &ctx).action(),
        Action::Block
    );
    assert_eq!(
        p.classify("https://evil.example/", &ctx).action(),
        Action::Block
    );
    // User info is a hard warn floor: trust does not lift it.
    let ctx = with_prefs(Mode::Default, &["trusted.example"], &[]);
    assert_eq!(
        p.classify("https://jd.com@trusted.example/", &ctx).action(),
        Action::Warn
    );
}

#[test]
fn trust_must_cover_every_hop() {
    let p = policy(USER);
    let link = "https://c.duomai.com/track.php?t=https://shop.example/";
    let only_dest = with_prefs(Mode::Default, &["shop.example"], &[]);
    assert_eq!(p.classify(link, &only_dest).action(), Action::Warn);
    let both = with_prefs(Mode::Default, &["shop.example", "duomai.com"], &[]);
    assert_eq!(p.classify(link, &both).action(), Action::Allow);
}

#[test]
fn allow_trust_off_disables_trusted_lists() {
    let p = policy(&format!("{USER}\n[user]\nallow_trust = false"));
    let v = p.classify(
        "https://news.example.org/a",
        &with_prefs(Mode::Default, &["example.org"], &[]),
    );
    assert_eq!(v.action(), Action::Warn);
}

#[test]
fn blocked_domain_on_any_hop_blocks() {
    let p = policy(USER);
    let ctx = with_prefs(Mode::Default, &[], &["jd.com"]);
    let v = p.classify("https://item.jd.com/1.html", &ctx);
    assert_eq!(
        (v.action(), kinds(&v)),
        (Action::Block, vec!["user_blocked", "platform"])
    );
    // The wrapper's destination is blocked by the user.
    let v = p.classify(
        "https://c.duomai.com/track.php?t=https://shouji.jd.com/",
        &ctx,
    );
    assert_eq!(v.action(), Action::Block);
    assert_eq!(v.reason().map(Reason::kind), Some("user_blocked"));
    // A user's block is not hard: it is the user's own choice.
    assert!(!v.is_hard());
}

#[test]
fn blocked_wins_over_trusted() {
    let p = policy(USER);
    let ctx = with_prefs(Mode::Default, &["example.org"], &["example.org"]);
    assert_eq!(
        p.classify("https://example.org/", &ctx).action(),
        Action::Block
    );
}

#[test]
fn block_external_blocks_everything() {
    let p = policy(USER);
    let ctx = with_prefs(Mode::BlockExternal, &["jd.com"], &[]);
    for link in [
        "https://item.jd.com/1.html",
        "https://example.org/",
        "weixin://dl/x",
    ] {
        let v = p.classify(link, &ctx);
        assert_eq!(v.action(), Action::Block, "{link}");
        assert_eq!(v.reason().map(Reason::kind), Some("user_mode"), "{link}");
    }
}

#[test]
fn ask_mode_turns_allow_into_warn() {
    let p = policy(USER);
    let v = p.classify(
        "https://item.jd.com/1.html",
        &with_prefs(Mode::Ask, &[], &[]),
    );
    assert_eq!(
        (v.action(), kinds(&v)),
        (Action::Warn, vec!["user_mode", "platform"])
    );
}

#[test]
fn ask_mode_on_a_warn_changes_nothing() {
    let p = policy(USER);
    let v = p.classify("https://example.org/", &with_prefs(Mode::Ask, &[], &[]));
    assert_eq!((v.action(), kinds(&v)), (Action::Warn, vec!["default"]));
}

#[test]
fn ask_mode_after_trust() {
    // Trust turns the warn into allow, then ask turns it back into warn.
    let p = policy(USER);
    let v = p.classify(
        "https://example.org/",
        &with_prefs(Mode::Ask, &["example.org"], &[]),
    );
    assert_eq!(
        (v.action(), kinds(&v)),
        (Action::Warn, vec!["user_mode", "user_trusted", "default"])
    );
}

#[test]
fn prefs_domains_are_normalized_and_cover_subdomains() {
    let p = policy(USER);
    let ctx = with_prefs(Mode::Default, &["EXAMPLE.org."], &["京东.com"]);
    assert_eq!(
        p.classify("https://a.b.example.org/", &ctx).action(),
        Action::Allow
    );
    assert_eq!(
        p.classify("https://notexample.org/", &ctx).action(),
        Action::Warn
    );
    assert_eq!(
        p.classify("https://www.xn--xhq9m.com/", &ctx).action(),
        Action::Block
    );
}

#[test]
fn prefs_from_data_are_validated() {
    let ok: Prefs =
        serde_json::from_str(r#"{"mode": "ask", "trusted": ["jd.com"], "blocked": []}"#).unwrap();
    assert_eq!(ok.mode(), Mode::Ask);
    for bad in [
        r#"{"trusted": ["not a domain"]}"#,
        r#"{"blocked": ["*.evil.example"]}"#,
        r#"{"mode": "paranoid"}"#,
        r#"{"trustd": ["jd.com"]}"#,
    ] {
        assert!(serde_json::from_str::<Prefs>(bad).is_err(), "{bad}");
    }
    let e = Prefs::from_lists(
        Mode::Default,
        ["ok.example", "bad domain"],
        Vec::<String>::new(),
    )
    .unwrap_err();
    assert_eq!(
        (e.item().unwrap().section(), e.item().unwrap().index()),
        ("prefs.trusted", Some(1))
    );
}

// ---------------------------------------------------------------------------
// Complaints.

const COMPLAINTS: &str = r#"
version = 1
[defaults]
one_to_one = "allow"
[complaints.thresholds]
fraud = { warn = 10, block = 50 }
harassment = { warn = 20 }

[[complaint]]
domain = "fraud-block.example"
category = "fraud"
count = 50
[[complaint]]
domain = "fraud-warn.example"
category = "fraud"
count = 10
[[complaint]]
domain = "fraud-low.example"
category = "fraud"
count = 9
[[complaint]]
domain = "split.example"
category = "fraud"
count = 30
[[complaint]]
domain = "split.example"
category = "fraud"
count = 25
[[complaint]]
domain = "other.example"
category = "marketing"
count = 1000
"#;

#[test]
fn complaint_thresholds_are_inclusive() {
    let p = policy(COMPLAINTS);
    let ctx = Context::one_to_one();
    let v = p.classify("https://fraud-block.example/", &ctx);
    assert_eq!(v.action(), Action::Block);
    assert_eq!(
        serde_json::to_value(v.reason().unwrap()).unwrap(),
        serde_json::json!({"kind": "complaints", "category": "fraud", "count": 50})
    );
    assert_eq!(
        p.classify("https://fraud-warn.example/", &ctx).action(),
        Action::Warn
    );
    assert_eq!(
        p.classify("https://fraud-low.example/", &ctx).action(),
        Action::Allow
    );
}

#[test]
fn complaint_rows_add_up() {
    let p = policy(COMPLAINTS);
    assert_eq!(p.complaint_count("split.example", Category::Fraud), 55);
    assert_eq!(
        p.classify("https://split.example/", &Context::one_to_one())
            .action(),
        Action::Block
    );
}

#[test]
fn complaints_without_threshold_do_nothing() {
    let p = policy(COMPLAINTS);
    assert_eq!(
        p.classify("https://other.example/", &Context::one_to_one())
            .action(),
        Action::Allow
    );
}

#[test]
fn complaints_apply_to_the_registrable_domain_of_any_host() {
    let p = policy(COMPLAINTS);
    assert_eq!(
        p.classify("https://a.b.fraud-block.example/x", &Context::one_to_one())
            .action(),
        Action::Block
    );
}

#[test]
fn complaints_floor_a_hop_behind_a_wrapper() {
    let p = policy(&format!(
        "{COMPLAINTS}\n[[redirector]]\ndomain = \"r.example\"\nparams = [\"u\"]"
    ));
    let v = p.classify(
        "https://r.example/?u=https://fraud-block.example/",
        &Context::one_to_one(),
    );
    assert_eq!(v.action(), Action::Block);
}

#[test]
fn new_counts_without_reparsing() {
    let p = policy(COMPLAINTS);
    let ctx = Context::one_to_one();
    let q = p
        .with_complaints([
            Complaint::new("fresh.example", Category::Fraud, 10),
            Complaint::new("FRESH.example.", Category::Fraud, 40),
        ])
        .unwrap();
    assert_eq!(
        q.classify("https://fresh.example/", &ctx).action(),
        Action::Block
    );
    // Replaced, not merged.
    assert_eq!(
        q.classify("https://fraud-block.example/", &ctx).action(),
        Action::Allow
    );
    // The old policy still answers as before.
    assert_eq!(
        p.classify("https://fraud-block.example/", &ctx).action(),
        Action::Block
    );
    assert_eq!(
        p.classify("https://fresh.example/", &ctx).action(),
        Action::Allow
    );
    // Added on top.
    let r = p
        .with_added_complaints([Complaint::new("fraud-low.example", Category::Fraud, 1)])
        .unwrap();
    assert_eq!(
        r.classify("https://fraud-low.example/", &ctx).action(),
        Action::Warn
    );
    assert_eq!(
        r.classify("https://fraud-block.example/", &ctx).action(),
        Action::Block
    );
    // Rules and everything else are shared.
    assert_eq!(r.rule_count(), p.rule_count());
    let e = p
        .with_complaints([Complaint::new("www.x.example", Category::Fraud, 1)])
        .unwrap_err();
    assert_eq!(
        e.item().map(|i| (i.section(), i.index())),
        Some(("complaint", Some(0)))
    );
}

#[test]
fn warn_above_block_threshold_is_an_error() {
    let e = Policy::from_toml_str(
        "version = 1\n[complaints.thresholds]\nfraud = { warn = 60, block = 50 }\n",
    )
    .unwrap_err();
    assert_eq!(e.item().and_then(|i| i.id()), Some("fraud"));
}

// ---------------------------------------------------------------------------
// Properties.

fn sample() -> &'static Policy {
    static P: std::sync::LazyLock<Policy> =
        std::sync::LazyLock::new(|| Policy::from_toml_str(linkpolicy::SAMPLE_POLICY).unwrap());
    &P
}

fn links() -> impl Strategy<Value = String> {
    let listed: Vec<String> = include_str!("../examples/links.txt")
        .lines()
        .filter(|l| !l.starts_with('{'))
        .map(str::to_owned)
        .collect();
    prop_oneof![
        proptest::sample::select(listed),
        "https?://[a-z]{1,6}\\.(example|com|cn)/[a-z?=&]{0,10}",
        any::<String>()
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn block_external_blocks_every_link(link in links(), group in any::<bool>()) {
        let base = if group { Context::group(10) } else { Context::one_to_one() };
        let ctx = base.with_prefs(Prefs::new().with_mode(Mode::BlockExternal));
        prop_assert_eq!(sample().classify(&link, &ctx).action(), Action::Block);
    }

    #[test]
    fn higher_complaint_count_never_relaxes(link in links(), low in 0u64..100, extra in 0u64..100) {
        let host = sample().classify(&link, &Context::one_to_one()).registrable_domain().map(str::to_owned);
        if let Some(domain) = host {
            // Hosts the URL standard accepts but DNS does not (`a.&`) cannot be
            // complained about: the table refuses them.
            let Ok(a) = sample().with_complaints([Complaint::new(domain.as_str(), Category::Fraud, low)]) else {
                return Ok(());
            };
            let b = sample().with_complaints([Complaint::new(domain.as_str(), Category::Fraud, low + extra)]).unwrap();
            for ctx in [Context::one_to_one(), Context::group(300)] {
                prop_assert!(b.classify(&link, &ctx).action() >= a.classify(&link, &ctx).action());
            }
        }
    }

    #[test]
    fn trusting_never_relaxes_hard_or_block(link in links(), trust_all in any::<bool>()) {
        let plain = sample().classify(&link, &Context::one_to_one());
        let trusted: Vec<String> = plain.host().filter(|_| trust_all).map(str::to_owned).into_iter().collect();
        let Ok(prefs) = Prefs::from_lists(Mode::Default, &trusted, Vec::<String>::new()) else { return Ok(()) };
        let v = sample().classify(&link, &Context::one_to_one().with_prefs(prefs));
        if plain.is_hard() || plain.action() == Action::Block {
            prop_assert_eq!(v.action(), plain.action());
        } else {
            prop_assert!(v.action() <= plain.action());
        }
    }
}
