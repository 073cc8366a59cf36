//! Property tests: `classify` never panics and is deterministic, on arbitrary
//! strings, URL-shaped strings and contexts.

use std::sync::LazyLock;

use linkpolicy::{Action, Context, Mode, Policy, Prefs, SAMPLE_POLICY};
use proptest::prelude::*;

static SAMPLE: LazyLock<Policy> = LazyLock::new(|| Policy::from_toml_str(SAMPLE_POLICY).unwrap());

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces links are made of, including the ones attackers like.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("http://".to_string()),
        Just("https://".to_string()),
        Just("javascript:".to_string()),
        Just("JaVa\tScRiPt:".to_string()),
        Just("data:".to_string()),
        Just("intent://".to_string()),
        Just("weixin://".to_string()),
        Just("@".to_string()),
        Just(":".to_string()),
        Just("//".to_string()),
        Just("\\".to_string()),
        Just(".".to_string()),
        Just("。".to_string()),
        Just("%2e".to_string()),
        Just("%".to_string()),
        Just("?".to_string()),
        Just("#".to_string()),
        Just("&t=".to_string()),
        Just("[::1]".to_string()),
        Just("0x7f.1".to_string()),
        Just("jd.com".to_string()),
        Just("c.duomai.com/track.php?t=".to_string()),
        Just("xn--".to_string()),
        Just("京东".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{ad}".to_string()),
        Just(" ".to_string()),
        "[a-z0-9.-]{0,12}",
        any::<String>(),
    ]
}

pub(crate) fn link() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(piece(), 0..12).prop_map(|v| v.concat()),
    ]
}

/// A context without preferences.
fn bare_context() -> impl Strategy<Value = Context> {
    (
        any::<bool>(),
        any::<u32>(),
        prop::option::of("[a-z0-9-]{0,8}"),
        prop::option::of("[0-9.]{0,8}|.{0,4}"),
        prop::option::of(any::<i64>()),
    )
        .prop_map(|(group, members, user, version, now)| {
            let mut ctx = if group {
                Context::group(members)
            } else {
                Context::one_to_one()
            };
            if let Some(u) = user {
                ctx = ctx.with_user(u);
            }
            if let Some(v) = version {
                ctx = ctx.with_client_version(&v);
            }
            if let Some(n) = now {
                ctx = ctx.with_now(n);
            }
            ctx
        })
}

fn prefs() -> impl Strategy<Value = Prefs> {
    (
        prop_oneof![
            Just(Mode::Default),
            Just(Mode::Ask),
            Just(Mode::BlockExternal)
        ],
        prop::collection::vec(
            prop_oneof![
                Just("jd.com"),
                Just("example.com"),
                Just("evil.example"),
                Just("duomai.com")
            ],
            0..3,
        ),
        prop::collection::vec(prop_oneof![Just("qq.com"), Just("spam.example")], 0..2),
    )
        .prop_map(|(mode, trusted, blocked)| Prefs::from_lists(mode, trusted, blocked).unwrap())
}

pub(crate) fn context() -> impl Strategy<Value = Context> {
    (bare_context(), prefs()).prop_map(|(c, p)| c.with_prefs(p))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn classify_never_panics_and_is_deterministic(link in link(), ctx in context()) {
        let a = SAMPLE.classify(&link, &ctx);
        let b = SAMPLE.classify(&link, &ctx);
        prop_assert_eq!(&a, &b);
        // Every verdict explains itself.
        prop_assert!(a.reason().is_some());
        // A clone of the policy agrees.
        prop_assert_eq!(a, SAMPLE.clone().classify(&link, &ctx));
    }

    #[test]
    fn unreadable_links_fail_closed(link in link()) {
        let v = SAMPLE.classify(&link, &Context::one_to_one());
        if v.url().is_none() {
            prop_assert_eq!(v.action(), Action::Block);
            prop_assert!(v.is_hard());
        }
    }

    #[test]
    fn preferences_never_relax_hard_verdicts_or_blocks(link in link(), ctx in bare_context(), prefs in prefs()) {
        let plain = SAMPLE.classify(&link, &ctx);
        let with_prefs = SAMPLE.classify(&link, &ctx.clone().with_prefs(prefs));
        if plain.is_hard() || plain.action() == Action::Block {
            prop_assert!(with_prefs.action() >= plain.action(), "{} -> {}", plain, with_prefs);
        }
    }

    #[test]
    fn verdict_json_always_parses(link in link()) {
        let v = SAMPLE.classify(&link, &Context::one_to_one());
        let json: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
        prop_assert!(json["action"].is_string());
    }
}
