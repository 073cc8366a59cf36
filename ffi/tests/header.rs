//! `include/linkpolicy.h` is what cbindgen makes of `src/lib.rs`: regenerated
//! here and compared, so a stale checked-in header fails the tests.
//! `LINKPOLICY_BLESS=1 cargo test -p linkpolicy-ffi --test header` rewrites it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

use std::path::Path;

#[test]
fn header_is_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).unwrap();
    let bindings = cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .unwrap();
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let path = dir.join("include/linkpolicy.h");
    if std::env::var_os("LINKPOLICY_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "ffi/include/linkpolicy.h is stale: run `LINKPOLICY_BLESS=1 cargo test -p linkpolicy-ffi --test header` and commit it"
    );
}
