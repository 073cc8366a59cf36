"""The operator API (issue #17) from Python: a policy's own tests, diff, stats, explain,
each checked against what `classify` and `scan` give in Python."""

import json
import re
import threading
import time
from collections import Counter

import pytest

import linkpolicy
from conftest import request_lines

# The sample with group chats warned instead of blocked by default, and tier B blocked
# in groups: verdicts change in several contexts and for several reasons.
DEFAULT_LINE = 'group = "block"          #'


def modified_sample() -> str:
    text = linkpolicy.SAMPLE_POLICY
    assert DEFAULT_LINE in text
    return text.replace(DEFAULT_LINE, 'group = "warn"          #')


def good_lines(policy):
    """The request lines of the C ABI's tests and the example links that read."""
    return [l for l in request_lines() if "error" not in json.loads(policy.answer(l))]


def classify_line(policy, line, context=None):
    """`line` (a request line) classified in Python, in `context` ("one_to_one",
    "group:N") instead of its own when given."""
    line = line.strip()
    if line.startswith("{"):
        kwargs = json.loads(line)
        link = kwargs.pop("link")
    else:
        link, kwargs = line, {}
    if context is not None:
        kwargs.pop("chat", None)
        kwargs.pop("members", None)
        if context != "one_to_one":
            kwargs["chat"] = "group"
            kwargs["members"] = int(context.split(":")[1])
    return policy.classify(link, **kwargs), kwargs


def own_context(kwargs):
    return f"group:{kwargs['members']}" if kwargs.get("chat") == "group" else "one_to_one"


def link_of(line):
    line = line.strip()
    return json.loads(line)["link"] if line.startswith("{") else line


def kind(v):
    return v.reasons[0]["kind"] if v.reasons else "none"


# ---- run_tests ----------------------------------------------------------------------


def test_the_sample_passes_its_40_tests(sample):
    report = sample.run_tests()
    assert report.passed is True
    assert (report.total, report.failed) == (40, 0)
    assert len(report.outcomes) == 40
    # Each `[[test]]` table's name, in the file's order (up to the next table).
    tables = linkpolicy.SAMPLE_POLICY.split("\n[[test]]\n")[1:]
    names = [m.group(1) if (m := re.search(r'^name = "(.*)"$', t.split("\n[")[0], re.M)) else None for t in tables]
    assert [o["name"] for o in report.outcomes] == names
    for o in report.outcomes:
        assert o["passed"] is True and o["problems"] == [], o
        assert o["verdict"]["action"] == o["expect"], o
    assert report.not_reached == {"rules": [], "lists": [], "platforms": [], "tiers": [], "phases": []}
    d = report.to_dict()
    assert d["tests"] == report.outcomes
    assert (d["passed"], d["failed"]) == (40, 0)
    assert d["not_reached"] == report.not_reached


def test_a_wrong_expectation_fails_and_is_named(sample):
    text = linkpolicy.SAMPLE_POLICY + (
        '\n[[test]]\nname = "wrong on purpose"\nlink = "https://item.jd.com/1.html"\n'
        'chat = "group"\nmembers = 250\nexpect = "block"\nrule = "fraud-0001"\n'
    )
    report = linkpolicy.Policy.from_toml(text).run_tests()
    assert report.passed is False
    assert (report.total, report.failed) == (41, 1)
    failed = [o for o in report.outcomes if not o["passed"]]
    assert [o["name"] for o in failed] == ["wrong on purpose"]
    assert failed[0]["problems"] == [
        "expected `block`, got `warn`",
        "expected rule `fraud-0001` to decide, no rule decided",
    ]
    got = sample.classify("https://item.jd.com/1.html", chat="group", members=250)
    assert failed[0]["verdict"] == got.to_dict()
    assert report.to_dict()["passed"] == 40
    assert "1 failed" in repr(report)


def test_coverage_names_what_no_test_reached():
    report = linkpolicy.Policy.from_toml(
        """version = 1
[[rule]]
id = "reached"
action = "block"
domain = "evil.example"
[[rule]]
id = "never"
action = "warn"
domain = "meh.example"
[[test]]
link = "https://evil.example/"
expect = "block"
"""
    ).run_tests()
    assert report.passed and report.total == 1
    assert report.outcomes[0]["name"] is None
    assert report.not_reached["rules"] == ["never"]


def test_a_policy_without_tests_has_an_empty_report():
    report = linkpolicy.Policy.from_toml("version = 1").run_tests()
    assert (report.passed, report.total, report.failed, report.outcomes) == (True, 0, 0, [])


# ---- diff ---------------------------------------------------------------------------


def expected_diff(old, new, lines, contexts):
    cells, examples, changed, compared = Counter(), {}, 0, 0
    for line in lines:
        for ctx in contexts or [None]:
            a, kwargs = classify_line(old, line, ctx)
            b, _ = classify_line(new, line, ctx)
            compared += 1
            if a.action == b.action:
                continue
            changed += 1
            key = (ctx or own_context(kwargs), a.action, b.action, kind(a), kind(b))
            cells[key] += 1
            examples.setdefault(key, link_of(line))
    return cells, examples, changed, compared


@pytest.mark.parametrize("contexts", [None, ["one_to_one", "group:7", "group:500"]])
def test_diff_reports_exactly_the_links_whose_verdicts_differ(sample, contexts):
    new = linkpolicy.Policy.from_toml(modified_sample())
    lines = good_lines(sample)
    d = linkpolicy.diff(sample, new, lines, contexts=contexts)
    cells, examples, changed, compared = expected_diff(sample, new, lines, contexts)
    assert changed > 0
    assert (d["links"], d["compared"], d["changed"]) == (len(lines), compared, changed)
    got = {
        (c["context"], c["from"], c["to"], c["from_reason"], c["to_reason"]): (c["count"], c["example"])
        for c in d["changes"]
    }
    assert len(got) == len(d["changes"])
    assert got == {k: (n, examples[k]) for k, n in cells.items()}


def test_diff_against_itself_and_on_any_number_of_threads(sample):
    new = linkpolicy.Policy.from_toml(modified_sample())
    lines = good_lines(sample) * 3
    assert linkpolicy.diff(sample, sample, lines)["changed"] == 0
    one = linkpolicy.diff(sample, new, lines, ["group:9"], threads=1)
    for threads in (0, 2, 5):
        assert linkpolicy.diff(sample, new, lines, ["group:9"], threads=threads) == one


def test_diff_of_messages_compares_the_links_found(sample):
    new = linkpolicy.Policy.from_toml(modified_sample())
    messages = [
        "看这个 https://example.org/a 还有 https://item.jd.com/1.html",
        '{"text": "https://example.com/ 和 javascript:alert(1)", "chat": "group", "members": 30}',
        "no link at all",
    ]
    d = linkpolicy.diff(sample, new, messages, messages=True)
    expected = 0
    for m in messages:
        kwargs = json.loads(m) if m.startswith("{") else {"text": m}
        text = kwargs.pop("text")
        a = sample.scan(text, **kwargs)
        b = {(f.start, f.end): f.verdict for f in new.scan(text, **kwargs)}
        expected += sum(1 for f in a if f.verdict.action != b[(f.start, f.end)].action)
    assert d["links"] == 3
    assert d["changed"] == expected == 1
    assert d["changes"][0]["example"] == "https://example.com/"


def test_diff_refuses_what_it_cannot_read(sample):
    with pytest.raises(linkpolicy.RequestError, match=r"^links\[1\]: "):
        linkpolicy.diff(sample, sample, ["https://example.org/", '{"link": 1}'])
    with pytest.raises(linkpolicy.RequestError, match=r"links\[0\]: .*members"):
        linkpolicy.diff(sample, sample, ['{"link": "https://example.org/", "chat": "group"}'])
    with pytest.raises(ValueError, match="`group` is not a context"):
        linkpolicy.diff(sample, sample, ["https://example.org/"], contexts=["group"])
    with pytest.raises(TypeError, match="is a string"):
        linkpolicy.diff(sample, sample, "https://example.org/")


def test_diff_releases_the_gil(sample):
    new = linkpolicy.Policy.from_toml(modified_sample())
    lines = good_lines(sample) * 600
    start = time.perf_counter()
    linkpolicy.diff(sample, new, lines, threads=1)
    alone = time.perf_counter() - start
    gaps, done = [], threading.Event()

    def work():
        linkpolicy.diff(sample, new, lines, threads=1)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    last = time.perf_counter()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    worker.join()
    assert alone > 0.05, "the batch is long enough to tell"
    # Reading the lines holds the GIL; the two classifications per line do not.
    assert max(gaps) < alone / 2, (max(gaps), alone)


# ---- stats --------------------------------------------------------------------------


def expected_stats(verdicts):
    s = {
        "links": 0,
        "hard": 0,
        "actions": {"allow": 0, "warn": 0, "block": 0},
        "reason_kinds": Counter(),
        "rules": Counter(),
        "lists": Counter(),
        "shadow": Counter(),
    }
    for v in verdicts:
        s["links"] += 1
        s["hard"] += v.hard
        s["actions"][v.action] += 1
        if v.reasons:
            s["reason_kinds"][v.reasons[0]["kind"]] += 1
        for r in v.reasons:
            if r["kind"] == "rule":
                s["rules"][r["rule"]] += 1
                head, _, tail = r["rule"].rpartition(":")
                if head and tail.isdigit():
                    s["lists"][head] += 1
        for sh in v.shadow:
            s["shadow"][(sh["rule"], sh["action"])] += 1
    return s


def as_counters(stats):
    return {
        **stats,
        "reason_kinds": Counter(stats["reason_kinds"]),
        "rules": Counter(stats["rules"]),
        "lists": Counter(stats["lists"]),
        "shadow": Counter({(s["rule"], s["action"]): s["count"] for s in stats["shadow"]}),
    }


def test_stats_are_the_counts_of_classify(sample):
    lines = good_lines(sample)
    verdicts = [classify_line(sample, l)[0] for l in lines]
    stats = sample.stats(lines)
    assert stats["links"] == len(lines)
    assert as_counters(stats) == expected_stats(verdicts)
    # The sample's lines reach several actions, rules and a shadow rule.
    assert min(stats["actions"].values()) > 0
    assert stats["rules"] and stats["shadow"]


def test_stats_of_messages_count_every_link_found(sample):
    messages = [
        "看这个https://item.jd.com/1.html 和 https://example.org/",
        '{"text": "https://m.tb.cn/h.fxyz javascript:alert(1)", "chat": "group", "members": 3}',
        "nothing here",
    ]
    found = []
    for m in messages:
        kwargs = json.loads(m) if m.startswith("{") else {"text": m}
        found += [f.verdict for f in sample.scan(kwargs.pop("text"), **kwargs)]
    stats = sample.stats(messages, messages=True)
    assert stats["links"] == len(found) == 3
    assert as_counters(stats) == expected_stats(found)


def test_stats_refuse_what_they_cannot_read(sample):
    assert sample.stats([])["links"] == 0
    with pytest.raises(linkpolicy.RequestError, match=r"^lines\[2\]: "):
        sample.stats(["https://example.org/", "https://example.com/", ""])
    with pytest.raises(TypeError, match="is a string"):
        sample.stats("https://example.org/")


# ---- explain ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link,context",
    [
        ("https://item.jd.com/1.html", {"chat": "group", "members": 250}),
        ("https://link.zhihu.com/?target=https%3A//www.taobao.com/", {}),
        ("javascript:alert(1)", {"prefs": {"mode": "ask"}}),
        ("https://example.org/", {"user": "u-1", "client_version": "8.0.16", "now": 1635724800}),
    ],
)
def test_explain_gives_the_steps_and_the_verdict_of_classify(sample, link, context):
    e = sample.explain(link, **context)
    assert e["verdict"] == sample.classify(link, **context).to_dict()
    assert e["steps"][0] == f"input: `{link}`"
    assert len(e["steps"]) > 2 and all(isinstance(s, str) and s for s in e["steps"])


def test_explain_refuses_a_context_it_cannot_read(sample):
    with pytest.raises(linkpolicy.RequestError, match="members"):
        sample.explain("https://example.org/", chat="group")


# ---- stubs --------------------------------------------------------------------------


def test_the_stubs_declare_what_the_module_has(root):
    import ast

    import linkpolicy._linkpolicy as module

    tree = ast.parse((root / "python/linkpolicy/_linkpolicy.pyi").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            assert callable(getattr(module, node.name)), node.name
        elif isinstance(node, ast.ClassDef):
            cls = getattr(module, node.name)
            declared = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
            for name in declared:
                assert hasattr(cls, name), f"{node.name}.{name}"
            public = {n for n in vars(cls) if not n.startswith("_")}
            if not issubclass(cls, Exception):
                assert public <= declared, f"{node.name}: {public - declared} have no stub"
    for name in ("TestReport", "diff"):
        assert name in linkpolicy.__all__ and getattr(linkpolicy, name) is getattr(module, name)
