//! Helpers of the command-line tests: running the binary, policy files in a
//! temporary folder, generated links.

#![allow(dead_code, reason = "each test file uses some of the helpers")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The output of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `linkpolicy args...` with `stdin`.
pub fn run(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_linkpolicy"))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    let text = stdin.to_owned();
    let writer = std::thread::spawn(move || {
        // The tool may exit before reading all of it (a policy that does not load).
        let _ = input.write_all(text.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A fresh folder for this test's files.
pub fn temp_dir(name: &str) -> PathBuf {
    // Unique per call: tests run in parallel, some with the same name.
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("linkpolicy-cli-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `text` to `dir/name` and returns its path as a string.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

/// The sample links of the example program.
pub fn links_txt() -> String {
    std::fs::read_to_string(repo().join("examples/links.txt")).unwrap()
}

/// `n` links, generated deterministically: platform, rule, wrapper, app,
/// IP, lookalike and unknown links, and JSON requests in groups.
pub fn generated_links(n: usize) -> Vec<String> {
    let hosts = [
        "item.jd.com",
        "m.tb.cn",
        "www.bilibili.com",
        "mp.weixin.qq.com",
        "www.gov.cn",
        "v.douyin.com",
        "u.jd.com",
        "docs.qq.com",
        "wj.qq.com",
        "www.smzdm.com",
        "fake-jd-refund.example",
        "wx-redpacket.example",
        "niming-tucao.example",
        "cheap-iphone-sale.example",
        "lucky-draw-cn.example",
        "quarterly-report.zip",
        "github.com",
        "example.org",
        "jd.corn",
        "l63.com",
        "www.12377.cn",
        "00apple00.com",
        "air-yeezyshoes.com",
        "news.sina.com.cn",
        "weibo.com",
    ];
    let paths = [
        "/",
        "/1.html",
        "/form/page/x",
        "/hb?share_unlock=1",
        "/a?invite_code=9",
        "/app.apk",
        "/?utm_source=x&spm=1",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    (0..n)
        .map(|i| {
            let host = hosts[next() % hosts.len()];
            let path = paths[next() % paths.len()];
            let link = match next() % 10 {
                0 => format!("https://link.zhihu.com/?target=https%3A//{host}{path}"),
                1 => "alipays://platformapi/startapp?appId=20000067".to_owned(),
                2 => format!("http://10.0.{}.{}/login", next() % 256, next() % 256),
                3 => format!("{host}{path}"),
                _ => format!("https://{host}{path}"),
            };
            if i % 3 == 0 {
                let members = [3, 40, 150, 500][next() % 4];
                format!(
                    r#"{{"link": "{link}", "chat": "group", "members": {members}, "user": "u-{:06}", "client_version": "8.0.16", "now": 1635724800}}"#,
                    next() % 1000
                )
            } else {
                link
            }
        })
        .collect()
}
