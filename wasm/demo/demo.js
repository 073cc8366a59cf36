// The demo page: the package's browser build (js/web.js, which instantiates the
// .wasm itself), a policy and a message from the page, and per link the verdict,
// the deciding reason and the page a user would be shown.
import { Policy, samplePolicy } from "../js/web.js";

const $ = (id) => document.getElementById(id);
const policyBox = $("policy");
const messageBox = $("message");

let policy = null;

policyBox.value = samplePolicy();

/** The contract's warning page (section 1), or the refusal, for one verdict. */
function pageFor(verdict, why) {
  const page = document.createElement("div");
  const host = why.host ?? "this link";
  const deciding = why.reasons[0]?.text ?? "";
  if (verdict.action === "allow") {
    page.className = "page-allow";
    page.textContent = `Opens ${host} directly.`;
    return page;
  }
  const title = document.createElement("strong");
  const body = document.createElement("p");
  const buttons = document.createElement("div");
  buttons.className = "buttons";
  if (verdict.action === "warn") {
    page.className = "page-warn";
    title.textContent = `You are about to open ${host}`;
    body.textContent =
      "This page is not provided by us; we cannot guarantee its safety. Protect your personal information.";
    for (const label of ["Continue", "Back"]) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      buttons.append(b);
    }
  } else {
    page.className = "page-block";
    title.textContent = `${host} cannot be opened`;
    body.textContent = `It was refused: ${deciding}.`;
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = "Back";
    buttons.append(b);
  }
  page.append(title, body, buttons);
  return page;
}

function loadPolicy() {
  const text = policyBox.value;
  const status = $("policy-status");
  if (policy) {
    policy.free();
    policy = null;
  }
  const t0 = performance.now();
  try {
    policy = text.trim().startsWith("{") ? Policy.fromJson(text) : Policy.fromToml(text);
    status.className = "status ok";
    status.textContent = `Policy loaded: ${policy.ruleCount} rules in ${(performance.now() - t0).toFixed(1)} ms.`;
    $("revision").textContent = policy.revision;
  } catch (e) {
    status.className = "status error";
    status.textContent = `Policy does not load: ${e.message}`;
    $("revision").textContent = "–";
  }
}

function request() {
  const chat = document.querySelector('input[name="chat"]:checked').value;
  const req = { text: messageBox.value, prefs: { mode: $("mode").value } };
  if (chat === "group") {
    req.chat = "group";
    req.members = Number($("members").value);
  }
  return req;
}

function render() {
  const rendered = $("rendered");
  const list = $("links");
  const status = $("message-status");
  rendered.replaceChildren();
  list.replaceChildren();
  status.textContent = "";
  status.className = "status";
  if (!policy) return;
  const req = request();
  let found;
  const t0 = performance.now();
  try {
    found = policy.scan(req).links;
  } catch (e) {
    status.className = "status error";
    status.textContent = e.message;
    return;
  }
  $("timing").textContent = `${found.length} link(s) judged in ${(performance.now() - t0).toFixed(2)} ms`;
  const text = req.text;
  let at = 0;
  found.forEach((link, i) => {
    rendered.append(text.slice(at, link.start16));
    const mark = document.createElement("mark");
    mark.className = link.verdict.action;
    mark.dataset.index = String(i);
    mark.textContent = text.slice(link.start16, link.end16);
    mark.title = link.verdict.action;
    rendered.append(mark);
    at = link.end16;

    const { text: _, ...context } = req;
    const why = policy.explain({ ...context, link: link.kind === "email" ? `mailto:${link.text}` : link.text });
    const item = $("link-template").content.firstElementChild.cloneNode(true);
    item.classList.add(link.verdict.action);
    item.dataset.action = link.verdict.action;
    item.querySelector(".badge").textContent = link.verdict.action;
    item.querySelector(".text").textContent = link.text;
    const reason = why.reasons[0];
    item.querySelector(".why").textContent = reason
      ? `${reason.kind}: ${reason.text}${why.reasons.length > 1 ? ` (+${why.reasons.length - 1} more)` : ""}`
      : "";
    item.querySelector(".why").dataset.kind = reason?.kind ?? "";
    item.querySelector(".page").append(pageFor(link.verdict, why));
    list.append(item);
  });
  rendered.append(text.slice(at));
  if (found.length === 0) {
    status.textContent = "No links in this message.";
  }
}

policyBox.addEventListener("input", () => {
  loadPolicy();
  render();
});
for (const el of [messageBox, $("members"), $("mode"), ...document.querySelectorAll('input[name="chat"]')]) {
  el.addEventListener("input", render);
  el.addEventListener("change", render);
}

loadPolicy();
render();
document.body.dataset.ready = "true";
