"""Errors: a policy that does not load raises PolicyError (a ValueError) naming the rule
and the field; a context that cannot be read raises RequestError with the library's
message."""

import pytest

import linkpolicy
from test_contract import without_position


def test_policy_error_is_a_value_error():
    assert issubclass(linkpolicy.PolicyError, ValueError)
    assert issubclass(linkpolicy.RequestError, ValueError)


def test_toml_error_names_rule_and_field(root):
    text = (root / "tests/data/example/bad-acton.toml").read_text(encoding="utf-8")
    with pytest.raises(linkpolicy.PolicyError) as err:
        linkpolicy.Policy.from_toml(text)
    message = str(err.value)
    assert "`fraud-0001`" in message and "`acton`" in message, message
    assert "line 6" in message, message


def test_json_error_names_rule_and_field(root):
    text = (root / "tests/data/example/bad-acton.json").read_text(encoding="utf-8")
    with pytest.raises(ValueError) as err:
        linkpolicy.Policy.from_json(text)
    assert err.type is linkpolicy.PolicyError
    assert "`fraud-0001`" in str(err.value) and "`acton`" in str(err.value)


def test_every_problem_one_a_line(root):
    text = (root / "tests/data/example/bad-domain.toml").read_text(encoding="utf-8")
    with pytest.raises(linkpolicy.PolicyError) as err:
        linkpolicy.Policy.from_toml(text)
    lines = str(err.value).split("\n")
    assert len(lines) == 2
    assert "`bad-domain-0001`" in lines[0] and "`domain`" in lines[0]
    assert "`bad-domain-0002`" in lines[1]


def test_not_toml_and_not_json():
    with pytest.raises(linkpolicy.PolicyError):
        linkpolicy.Policy.from_toml("version = ")
    with pytest.raises(linkpolicy.PolicyError):
        linkpolicy.Policy.from_json("{")


@pytest.mark.parametrize(
    "context, message",
    [
        ({"chat": "group"}, "a group request needs `members`"),
        ({"members": 3}, None),
        ({"chat": "channel"}, None),
        ({"chat": "group", "members": -1}, None),
        ({"prefs": {"trusted": ["not a domain"]}}, None),
        ({"prefs": {"mode": "sometimes"}}, None),
        ({"prefs": {"bogus": []}}, None),
    ],
)
def test_request_errors_are_the_librarys(sample, context, message):
    import json

    line = json.dumps({"link": "https://item.jd.com/1.html", **context})
    expected = json.loads(sample.answer(line))["error"]
    if message:
        assert expected == message
    with pytest.raises(linkpolicy.RequestError) as err:
        sample.classify("https://item.jd.com/1.html", **context)
    assert str(err.value) == without_position(expected)
    with pytest.raises(linkpolicy.RequestError):
        sample.classify_many(["https://item.jd.com/1.html"], **context)


def test_wrong_python_types(sample):
    with pytest.raises(TypeError):
        sample.classify(1)
    with pytest.raises(TypeError):
        sample.classify("https://a.example/", members="3")
    with pytest.raises(TypeError):
        sample.classify("https://a.example/", prefs={"trusted": [object()]})
    with pytest.raises(TypeError):
        sample.classify("https://a.example/", bogus=1)
    with pytest.raises(TypeError):
        sample.classify_many("https://a.example/")
    with pytest.raises(TypeError):
        sample.classify_many(["https://a.example/", 2])
    deep = {}
    for _ in range(1000):
        deep = {"x": deep}
    with pytest.raises(ValueError):
        sample.classify("https://a.example/", prefs=deep)


def test_verdict_from_json_refuses_what_is_not_a_verdict():
    with pytest.raises(ValueError):
        linkpolicy.Verdict.from_json('{"action": "maybe"}')
