// Type-checked in CI (`npm run typecheck`, tsc --noEmit): the package's
// declarations as a TypeScript user meets them. Never run.
import { Policy, samplePolicy } from "linkpolicy";
import type { Action, FoundLink, MessageLinks, PolicyError, Reason, Verdict } from "linkpolicy";

const policy: Policy = Policy.fromToml(samplePolicy());
const verdict: Verdict = policy.classify("https://item.jd.com/1.html");
const grouped: Verdict = policy.classify({
  link: "https://item.jd.com/1.html",
  chat: "group",
  members: 250,
  prefs: { mode: "ask", trusted: ["jd.com"] },
  display_text: "京东",
});
const action: Action = verdict.action;
const first: Reason | undefined = grouped.reasons[0];
if (first?.kind === "rule") {
  const id: string = first.rule;
  console.log(id, first.category);
}
const host: string | null = verdict.registrable_domain;
const links: MessageLinks = policy.scan({ text: "看这个 jd.com", chat: "group", members: 3 });
const found: FoundLink | undefined = links.links[0];
if (found) {
  const slice: string = "看这个 jd.com".slice(found.start16, found.end16);
  console.log(slice, found.verdict.action, policy.explain(found.text).reasons[0]?.text);
}
const json: string = policy.classifyJson("jd.com");
const revision: string = policy.revision;
try {
  Policy.fromJson("{}");
} catch (e) {
  const problems = (e as PolicyError).problems;
  console.log(problems[0]?.field, problems[0]?.line);
}
console.log(action, host, json, revision, policy.ruleCount, policy.warnings.length);
policy.free();

// @ts-expect-error: a verdict's action is one of three names.
const wrong: Action = "maybe";
console.log(wrong);
