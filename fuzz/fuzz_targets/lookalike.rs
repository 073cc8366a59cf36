//! Arbitrary host text against a policy with every lookalike floor on (issue #21):
//! the host as written, its suffixes, Chromium's label rules, the typosquat and
//! embedded-domain floors never panic, and `classify` stays deterministic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use linkpolicy::{Context, Policy};
use linkpolicy_fuzz::check_classify;

/// Protected domains of each shape the floors read: short, long, three labels, IDN.
static POLICY: LazyLock<Policy> = LazyLock::new(|| {
    let mut b = Policy::builder();
    b.lookalike(
        None,
        ["jd.com", "paypal.com", "icbc.com.cn", "myetherwallet.com", "xn--fo-5ja.com"],
    )
    .lookalike_typosquat(true)
    .lookalike_embedded(true);
    match b.build() {
        Ok(p) => p,
        Err(e) => panic!("the lookalike policy does not build: {e}"),
    }
});

fuzz_target!(|host: &str| {
    if host.len() > 512 {
        return;
    }
    let ctx = Context::one_to_one();
    check_classify(&POLICY, host, &ctx);
    check_classify(&POLICY, &format!("https://{host}/"), &ctx);
});
