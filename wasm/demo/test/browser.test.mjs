// The demo page end to end in headless Chromium (Debian's `chromium`, driven by
// playwright-core): the page loads the browser build, and each link of the
// message is highlighted with the verdict the Node build gives for the same
// message and context. Screenshots go to demo/artifacts/ (kept by CI, ignored by git).
//
// CHROMIUM names the browser binary (default /usr/bin/chromium).
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";
import { Policy, samplePolicy } from "linkpolicy";
import { serve } from "../serve.mjs";

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "..", "artifacts");
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serve(0);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: FLAGS,
    timeout: 60_000,
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
  await page.goto(`http://127.0.0.1:${server.address().port}/demo/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
});

/** What the page shows: each highlighted link and each list entry. */
async function shown() {
  return page.evaluate(() => ({
    marks: [...document.querySelectorAll("#rendered mark")].map((m) => ({ text: m.textContent, action: m.className })),
    items: [...document.querySelectorAll("#links li")].map((li) => ({
      text: li.querySelector(".text").textContent,
      action: li.dataset.action,
      kind: li.querySelector(".why").dataset.kind,
      why: li.querySelector(".why").textContent,
      page: li.querySelector(".page").textContent,
      buttons: [...li.querySelectorAll(".page button")].map((b) => b.textContent),
    })),
    rendered: document.querySelector("#rendered").textContent,
    policyStatus: document.querySelector("#policy-status").textContent,
  }));
}

/** What the Node build says for the page's message in `context`. */
function expected(message, context) {
  const policy = Policy.fromToml(samplePolicy());
  try {
    return policy.scan({ text: message, ...context }).links.map((l) => ({
      ...l,
      why: policy.explain({ ...context, link: l.kind === "email" ? `mailto:${l.text}` : l.text }),
    }));
  } finally {
    policy.free();
  }
}

function check(got, links, message) {
  assert.ok(links.length >= 4, `the message has links (${links.length})`);
  assert.equal(got.rendered, message, "the bubble shows the message whole");
  assert.deepStrictEqual(
    got.marks,
    links.map((l) => ({ text: l.text, action: l.verdict.action })),
  );
  assert.equal(got.items.length, links.length);
  got.items.forEach((item, i) => {
    const v = links[i].verdict;
    const why = links[i].why;
    assert.deepStrictEqual(why.verdict, v);
    assert.equal(item.text, links[i].text);
    assert.equal(item.action, v.action);
    assert.equal(item.kind, v.reasons[0].kind, "the deciding reason");
    assert.ok(item.why.includes(why.reasons[0].text));
    const page = { allow: [], warn: ["Continue", "Back"], block: ["Back"] }[v.action];
    assert.deepStrictEqual(item.buttons, page, `the ${v.action} page's buttons`);
    if (v.action === "warn") assert.match(item.page, /not provided by us/);
    if (v.action !== "allow" && why.host) assert.ok(item.page.includes(why.host));
  });
}

test("the sample policy and the default message, one-to-one", async () => {
  const message = await page.inputValue("#message");
  const got = await shown();
  assert.match(got.policyStatus, /Policy loaded/);
  const links = expected(message, { prefs: { mode: "default" } });
  check(got, links, message);
  // The default message shows all three outcomes.
  assert.deepStrictEqual(new Set(got.marks.map((m) => m.action)), new Set(["allow", "warn", "block"]));
  await page.screenshot({ path: join(ARTIFACTS, "demo.png"), fullPage: true });
});

test("a group chat of 300 changes the verdicts as the library does", async () => {
  await page.check('input[name="chat"][value="group"]');
  await page.fill("#members", "300");
  const message = await page.inputValue("#message");
  const got = await shown();
  check(got, expected(message, { chat: "group", members: 300, prefs: { mode: "default" } }), message);
  await page.screenshot({ path: join(ARTIFACTS, "demo-group.png"), fullPage: true });
});

test("a policy that does not load is reported with its rule and field", async () => {
  await page.fill("#policy", 'version = 1\n[[rule]]\nid = "r1"\nacton = "block"\nhost = "x.example"\n');
  const got = await shown();
  assert.match(got.policyStatus, /does not load/);
  assert.match(got.policyStatus, /rule/);
  assert.match(got.policyStatus, /acton/);
  assert.equal(got.marks.length, 0);
  await page.screenshot({ path: join(ARTIFACTS, "demo-error.png") });
});

test("the page raised no errors", () => {
  assert.deepStrictEqual(pageErrors, []);
});
