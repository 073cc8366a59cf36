"""The contract's cases through the package: every request line gives, through
`classify`'s keyword arguments, the verdict the library's own reader of section 8 gives
(`Policy.answer`, the example program's output line), or the same error."""

import json
import re

import pytest

import linkpolicy
from conftest import request_lines

FIELDS = ["action", "hard", "reasons", "url", "host", "registrable_domain", "platform",
          "destination", "clean_url", "shadow"]


def without_position(message):
    """The library's message without serde's "at line 1 column N": the keyword
    arguments have no line of their own."""
    return re.sub(r" at line \d+ column \d+$", "", message)


def classify_line(policy, line):
    stripped = line.strip()
    if not stripped.startswith("{"):
        if not stripped:
            raise linkpolicy.RequestError("empty line")
        return policy.classify(stripped)
    request = json.loads(stripped)
    if not isinstance(request, dict):
        raise TypeError("not an object")
    link = request.pop("link")
    return policy.classify(link, **request)


@pytest.mark.parametrize("line", request_lines())
@pytest.mark.parametrize("policy_name", ["sample", "example_toml"])
def test_classify_matches_the_library(line, policy_name, request):
    policy = request.getfixturevalue(policy_name)
    expected = json.loads(policy.answer(line))
    if "error" in expected:
        with pytest.raises((linkpolicy.RequestError, TypeError, KeyError, ValueError)) as err:
            classify_line(policy, line)
        if err.type is linkpolicy.RequestError:
            assert str(err.value) == without_position(expected["error"])
        return
    verdict = classify_line(policy, line)
    assert verdict.to_dict() == expected
    assert list(verdict.to_dict()) == FIELDS, "the contract's field order"
    assert json.loads(verdict.to_json()) == expected
    assert verdict.action == expected["action"]
    assert verdict.hard == expected["hard"]
    assert verdict.reasons == expected["reasons"]
    assert verdict.url == expected["url"]
    assert verdict.host == expected["host"]
    assert verdict.registrable_domain == expected["registrable_domain"]
    assert verdict.platform == expected["platform"]
    assert verdict.destination == expected["destination"]
    assert verdict.clean_url == expected["clean_url"]
    assert verdict.shadow == expected["shadow"]
    assert verdict.policy_revision == policy.revision
    assert linkpolicy.Verdict.from_json(verdict.to_json()) == verdict


def test_contract_rules(sample):
    # Section 2: classify never fails; a link that cannot be read is blocked, hard.
    v = sample.classify("http://exa mple.com/")
    assert (v.action, v.hard, [r["kind"] for r in v.reasons]) == ("block", True, ["invalid"])
    v = sample.classify("javascript:alert(1)", chat="group", members=3)
    assert v.action == "block" and v.reasons[0]["kind"] == "unsafe_scheme"
    # Group size matters (min_members), and the user's preferences apply.
    small = sample.classify("https://h5.spam.example/?share_unlock=1", chat="group", members=99)
    large = sample.classify("https://h5.spam.example/?share_unlock=1", chat="group", members=100)
    assert small.to_dict() != large.to_dict()
    assert sample.classify("https://item.jd.com/1.html", prefs={"blocked": ["jd.com"]}).action == "block"
    # The host in Unicode for a warning page.
    assert sample.classify("https://xn--fiq228c.com/").host_unicode == "中文.com"
    jd = sample.classify("https://京东.com/")
    assert jd.host.startswith("xn--") and jd.host_unicode == "京东.com"
    assert isinstance(sample.revision, int) and 0 <= sample.revision < 2**64
    assert str(sample.classify("https://item.jd.com/1.html")).startswith("allow")


def test_scan_matches_the_library(sample):
    messages = [
        "看这个https://item.jd.com/100012043978.html很好",
        "《三体》当当网http://t.cn/A6xyz 亚马逊http://t.cn/B7uvw",
        "淘宝：www.taobao.com，京东：jd.com。",
        "没有链接",
        "",
        "mail me: someone@example.com 🙂 https://m.tb.cn/h.fxyz",
    ]
    for text in messages:
        for context in ({}, {"chat": "group", "members": 3}):
            found = sample.scan(text, **context)
            line = json.dumps({"text": text, **context}, ensure_ascii=False)
            expected = json.loads(sample.answer_message(line))
            assert [f.to_dict() for f in found] == expected["links"]
            for f in found:
                assert text[f.start_char:f.end_char] == f.text
                assert text.encode()[f.start:f.end].decode() == f.text
                assert f.verdict == sample.classify(f.text, **context) or f.kind == "email"


def test_scan_errors_are_the_librarys(sample):
    with pytest.raises(linkpolicy.RequestError, match="members"):
        sample.scan("hi", chat="group")
    with pytest.raises(TypeError):
        sample.scan("hi", display_text="x")
