// The package against the native library on the contract's cases: the example
// program's own input (examples/links.txt), request objects of section 8 with
// every context field, lines it must refuse, the CJK chat messages of the scanner's
// tests, and the policy files of the example program's tests. Each expectation is
// the native program's output for the same line (test/native.mjs).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { Policy, samplePolicy } from "linkpolicy";
import { native, nativeAnswers, root } from "./native.mjs";

const read = (path) => readFileSync(join(root, path), "utf8");
const LINKS = read("examples/links.txt").split("\n").filter((l) => l.trim() !== "");
const EXAMPLE_TOML = "tests/data/example/policy.toml";
const EXAMPLE_JSON = "tests/data/example/policy.json";

/** Request lines beyond links.txt: every context field, and lines to refuse. */
const REQUESTS = [
  ...LINKS.slice(0, 12).map((link) => JSON.stringify({ link, chat: "group", members: 250 })),
  JSON.stringify({ link: "https://item.jd.com/1.html", chat: "group", members: 3, prefs: { mode: "ask" } }),
  JSON.stringify({ link: "https://www.bilibili.com/", prefs: { mode: "block_external" } }),
  JSON.stringify({ link: "https://fake-jd-refund.example/", prefs: { trusted: ["fake-jd-refund.example"] } }),
  JSON.stringify({ link: "https://item.jd.com/1.html", prefs: { blocked: ["jd.com"] } }),
  JSON.stringify({ link: "https://evil.example/login", display_text: "www.jd.com" }),
  JSON.stringify({ link: "https://item.jd.com/1.html", user: "alice", client_version: "8.0.16", now: 1631836800 }),
  JSON.stringify({ link: "https://item.jd.com/1.html", user: "alice", client_version: "7.0.1", now: 1600000000 }),
  JSON.stringify({ link: `https://jd.com/${"a".repeat(9000)}` }),
  "  https://item.jd.com/1.html  ",
  "",
  "{not json",
  '{"link": "https://jd.com/", "chat": "group"}',
  '{"link": "https://jd.com/", "members": 3}',
  '{"link": "https://jd.com/", "bogus": 1}',
  '{"link": 5}',
  '{"chat": "group", "members": 3}',
  '{"link": "https://jd.com/", "text": "x"}',
  '{"link": "https://jd.com/", "prefs": {"trusted": ["a b"]}}',
];

/** Chat messages: the scanner's CJK cases, and message request objects. */
// (The example program reads one message a line: messages with a line break are
// left to the object form below.)
const MESSAGE_TEXTS = [...read("tests/data/scan/cjk_messages.toml").matchAll(/^text = (".*")$/gm)]
  .map((m) => JSON.parse(m[1]))
  .filter((t) => !/[\r\n]/.test(t));
const MESSAGES = [
  ...MESSAGE_TEXTS,
  "👉 jd.com 和 👉👉 https://t.cn/A6abc，还有 kefu@jd.com",
  JSON.stringify({ text: "群里的链接 https://m.tb.cn/h.fxyz 和 http://118.25.10.3:8080/login", chat: "group", members: 300 }),
  JSON.stringify({ text: "no links here" }),
  '{"text": "x", "link": "y"}',
  '{"chat": "one_to_one"}',
];

/** What the package answers for a line, as the example program would print it. */
function answer(fn) {
  try {
    return fn();
  } catch (e) {
    assert.ok(e instanceof Error, `throws an Error, not ${typeof e}`);
    return { error: e.message };
  }
}

describe("classify agrees with the native library", () => {
  for (const [name, args, load] of [
    ["the sample policy", [], () => Policy.fromToml(samplePolicy())],
    ["the example's TOML policy", [EXAMPLE_TOML], () => Policy.fromToml(read(EXAMPLE_TOML))],
    ["the example's JSON policy", [EXAMPLE_JSON], () => Policy.fromJson(read(EXAMPLE_JSON))],
  ]) {
    test(`${name}: every line of examples/links.txt and the extra requests`, () => {
      const lines = [...LINKS, ...REQUESTS];
      const expected = nativeAnswers(lines, args);
      const policy = load();
      try {
        let errors = 0;
        lines.forEach((line, i) => {
          const got = answer(() => policy.classify(line));
          assert.deepStrictEqual(got, expected[i], `line ${i + 1}: ${line.slice(0, 200)}`);
          // The JSON line is the example program's, byte for byte.
          const json = answer(() => policy.classifyJson(line));
          assert.deepStrictEqual(typeof json === "string" ? JSON.parse(json) : json, expected[i]);
          if ("error" in expected[i]) errors++;
        });
        assert.ok(errors >= 9, `the refused lines are refused (${errors})`);
      } finally {
        policy.free();
      }
    });
  }

  test("a request object answers as its JSON line does", () => {
    const policy = Policy.fromToml(samplePolicy());
    const lines = [...LINKS, ...REQUESTS].filter((l) => l.trim().startsWith("{"));
    let objects = 0;
    for (const line of lines) {
      let obj;
      try {
        obj = JSON.parse(line);
      } catch {
        continue;
      }
      objects++;
      // An error's position is in the object's JSON.stringify text, not the line's.
      const unplaced = (a) => ("error" in a ? { error: a.error.replace(/ at line \d+ column \d+$/, "") } : a);
      assert.deepStrictEqual(
        unplaced(answer(() => policy.classify(obj))),
        unplaced(answer(() => policy.classify(line))),
        line,
      );
    }
    assert.ok(objects > 20);
    // Absent fields may be `undefined` in JS; they are left out, as JSON does.
    assert.deepStrictEqual(
      policy.classify({ link: "https://item.jd.com/1.html", chat: "group", members: 9, user: undefined }),
      policy.classify('{"link": "https://item.jd.com/1.html", "chat": "group", "members": 9}'),
    );
    policy.free();
  });
});

describe("scan agrees with the native library", () => {
  test("the CJK messages and message requests", () => {
    const expected = nativeAnswers(MESSAGES, ["--messages"]);
    const policy = Policy.fromToml(samplePolicy());
    let links = 0;
    MESSAGES.forEach((line, i) => {
      const got = answer(() => policy.scan(line));
      assert.deepStrictEqual(got, expected[i], `message ${i + 1}: ${line}`);
      if (got.links) {
        const text = line.trim().startsWith("{") ? JSON.parse(line).text : line;
        for (const l of got.links) {
          // UTF-16 offsets slice the JS string; byte offsets the UTF-8 bytes.
          assert.equal(text.slice(l.start16, l.end16), l.text);
          assert.equal(Buffer.from(text).subarray(l.start, l.end).toString(), l.text);
          links++;
        }
      }
    });
    assert.ok(links > MESSAGE_TEXTS.length / 2, `links found: ${links}`);
    // A message of several lines, as an object: the same links as its lines have.
    const lines = ["看这个https://item.jd.com/1.html", "还有 https://m.tb.cn/h.fxyz 😀 jd.com"];
    const whole = policy.scan({ text: lines.join("\n") }).links.map((l) => [l.text, l.verdict]);
    const each = lines.flatMap((t) => policy.scan({ text: t }).links.map((l) => [l.text, l.verdict]));
    assert.deepStrictEqual(whole, each);
    assert.equal(whole.length, 3);
    policy.free();
  });
});

describe("policies that do not load", () => {
  for (const [file, load] of [
    ["tests/data/example/bad-acton.toml", (t) => Policy.fromToml(t)],
    ["tests/data/example/bad-acton.json", (t) => Policy.fromJson(t)],
    ["tests/data/example/bad-domain.toml", (t) => Policy.fromToml(t)],
  ]) {
    test(`${file}: the native program's message, the rule and the field`, () => {
      const { status, stderr } = native([], [file]);
      assert.equal(status, 2);
      const nativeErrors = stderr
        .split("\n")
        .filter((l) => l.startsWith("error: "))
        .map((l) => l.slice("error: ".length));
      assert.ok(nativeErrors.length >= 1, stderr);
      let thrown;
      try {
        load(read(file));
      } catch (e) {
        thrown = e;
      }
      assert.ok(thrown instanceof Error, "throws an Error");
      assert.equal(thrown.name, "PolicyError");
      assert.ok(thrown.message.startsWith(nativeErrors[0]), `${thrown.message} / ${nativeErrors[0]}`);
      assert.equal(thrown.problems.length, nativeErrors.length);
      thrown.problems.forEach((p, i) => {
        assert.ok(nativeErrors[i].includes(p.message), `${nativeErrors[i]} / ${p.message}`);
        if (p.field !== null) assert.ok(nativeErrors[i].includes(p.field));
        if (p.id !== null) assert.ok(nativeErrors[i].includes(p.id));
      });
    });
  }

  test("a misspelt field names the rule and the field", () => {
    const text = 'version = 1\n[[rule]]\nid = "r1"\nacton = "block"\nhost = "x.example"\n';
    assert.throws(
      () => Policy.fromToml(text),
      (e) => e instanceof Error && /rule/.test(e.message) && /acton/.test(e.message) && e.problems[0].line === 4,
    );
    assert.throws(() => Policy.fromJson("{"), (e) => e instanceof Error && e.name === "PolicyError");
  });
});

describe("the rest of the API", () => {
  test("revision is the policy's, 16 hex digits", () => {
    const a = Policy.fromToml(samplePolicy());
    const b = Policy.fromToml(samplePolicy());
    const c = Policy.fromToml(read(EXAMPLE_TOML));
    assert.match(a.revision, /^[0-9a-f]{16}$/);
    assert.equal(a.revision, b.revision);
    assert.notEqual(a.revision, c.revision);
    assert.ok(a.ruleCount > 0);
    assert.deepStrictEqual(a.warnings, []);
    for (const p of [a, b, c]) p.free();
  });

  test("requests of the wrong type throw a RequestError", () => {
    const policy = Policy.fromToml(samplePolicy());
    for (const bad of [42, null, undefined, ["https://jd.com/"], true]) {
      assert.throws(() => policy.classify(bad), (e) => e instanceof Error && e.name === "RequestError");
      assert.throws(() => policy.scan(bad), (e) => e instanceof Error && e.name === "RequestError");
    }
    assert.throws(() => policy.classify({ link: 1n }), Error);
    policy.free();
  });

  test("explain gives the verdict, the warning page's host and reason sentences", () => {
    const policy = Policy.fromToml(samplePolicy());
    const v = policy.classify("https://京东.com/");
    const e = policy.explain("https://京东.com/");
    assert.deepStrictEqual(e.verdict, v);
    assert.equal(e.action, v.action);
    assert.equal(e.host, "京东.com");
    assert.deepStrictEqual(
      e.reasons.map((r) => r.kind),
      v.reasons.map((r) => r.kind),
    );
    assert.ok(e.reasons.every((r) => typeof r.text === "string" && r.text.length > 0));
    // A lookalike host stays in ASCII, as browsers show a spoofing host.
    const spoof = policy.explain("https://tаobao.com/");
    if (spoof.verdict.reasons.some((r) => r.kind === "lookalike" || r.kind === "mixed_script")) {
      assert.equal(spoof.host, spoof.verdict.host);
    }
    const grouped = { link: "https://item.jd.com/1.html", chat: "group", members: 250 };
    assert.deepStrictEqual(policy.explain(grouped).verdict, policy.classify(grouped));
    assert.throws(() => policy.explain({ link: "x", chat: "group" }), (e) => e.name === "RequestError");
    assert.throws(() => policy.explain(null), Error);
    policy.free();
  });

  test("a snapshot loads with the verdicts of its policy; damaged bytes throw", () => {
    const policy = Policy.fromJson(read(EXAMPLE_JSON));
    const bytes = policy.toSnapshot();
    assert.ok(bytes instanceof Uint8Array && bytes.length > 0);
    const loaded = Policy.fromSnapshot(bytes);
    assert.equal(loaded.revision, policy.revision);
    for (const line of [...LINKS, ...REQUESTS.filter((r) => r.startsWith("{\"link\": \"http"))]) {
      let a, b;
      try { a = policy.classify(line); } catch (e) { a = e.message; }
      try { b = loaded.classify(line); } catch (e) { b = e.message; }
      assert.deepStrictEqual(b, a, line);
    }
    const damaged = bytes.slice();
    damaged[damaged.length - 1] ^= 0x40;
    assert.throws(() => Policy.fromSnapshot(damaged), (e) => e.name === "PolicyError");
    assert.throws(() => Policy.fromSnapshot(new TextEncoder().encode(samplePolicy())), (e) => e.name === "PolicyError");
    loaded.free();
    policy.free();
  });

  test("free() releases the policy; using it after throws", () => {
    const policy = Policy.fromToml(samplePolicy());
    policy.free();
    assert.throws(() => policy.classify("https://jd.com/"), Error);
  });

  test("adversarial input gets a verdict or a typed error, never a crash", () => {
    const policy = Policy.fromToml(samplePolicy());
    const huge = `https://jd.com/${"%".repeat(200_000)}`;
    assert.equal(policy.classify(huge).action, "block");
    const weird = ["\u0000", "\ud800", "http://[", "🙂".repeat(10_000), "{".repeat(100_000)];
    for (const w of weird) {
      answer(() => policy.classify(w));
      answer(() => policy.scan(w));
    }
    // Still usable afterwards.
    assert.equal(policy.classify("https://item.jd.com/1.html").action, "allow");
    policy.free();
  });
});
