"""Type stubs for the linkpolicy extension module."""

from typing import Any, Iterable, Literal, Mapping, Optional, Sequence, Union

__version__: str
SAMPLE_POLICY: str
"""The sample policy shipped with the crate (a Chinese super-app in late 2021), TOML."""

Action = Literal["allow", "warn", "block"]
Chat = Literal["one_to_one", "group"]
Prefs = Mapping[str, Union[str, Sequence[str]]]
"""``{"mode": "default" | "ask" | "block_external", "trusted": [...], "blocked": [...]}``"""

class PolicyError(ValueError):
    """A policy that does not load; the message names each problem's rule and field,
    one a line (``rule `fraud-0001` (#0): `acton`: unknown field ...``)."""

class RequestError(ValueError):
    """A context that cannot be read (a group without ``members``, ``members`` without a
    group, an unknown chat kind, a preference domain that is not a domain): the same
    message as the example program's ``{"error": ...}`` line."""

class Verdict:
    """What to do with a link, and why (the contract's section 7)."""

    @staticmethod
    def from_json(text: str) -> "Verdict":
        """Reads a verdict back from its JSON; raises ``ValueError``."""
    @property
    def action(self) -> Action:
        """``"allow"``, ``"warn"`` or ``"block"``."""
    @property
    def hard(self) -> bool:
        """Whether no user preference can relax the verdict."""
    @property
    def reasons(self) -> list[dict[str, Any]]:
        """The reasons, the deciding one first, as dicts with a ``kind`` key."""
    @property
    def messages(self) -> list[str]:
        """A short human message for each reason."""
    @property
    def rule_ids(self) -> list[str]:
        """The ids of the rules (and list entries) that decided."""
    @property
    def url(self) -> Optional[str]:
        """The normalized URL (``None`` for a link that cannot be read)."""
    @property
    def host(self) -> Optional[str]:
        """The host, ASCII (``xn--`` for Unicode domains)."""
    @property
    def host_unicode(self) -> Optional[str]:
        """The host in Unicode, for a warning page (``京东.com``)."""
    @property
    def registrable_domain(self) -> Optional[str]: ...
    @property
    def platform(self) -> Optional[str]: ...
    @property
    def destination(self) -> Optional[str]:
        """Where the link really goes (redirectors and wrappers unwrapped)."""
    @property
    def clean_url(self) -> Optional[str]:
        """The destination without tracking parameters."""
    @property
    def shadow(self) -> list[dict[str, Any]]:
        """The shadow rules that matched (``rule``, ``action``)."""
    @property
    def policy_revision(self) -> Optional[int]:
        """The revision of the policy that decided, for audit logs (``None`` when read
        back with ``from_json``)."""
    def to_dict(self) -> dict[str, Any]:
        """Exactly the contract's JSON verdict, as a dict."""
    def to_json(self) -> str:
        """The verdict as one line of JSON."""
    def __eq__(self, other: object) -> bool: ...

class FoundLink:
    """A link found in a message by ``Policy.scan``."""

    @property
    def start(self) -> int:
        """Byte offset into the message's UTF-8 text."""
    @property
    def end(self) -> int: ...
    @property
    def start_char(self) -> int:
        """Offset into the Python string: ``message[start_char:end_char] == text``."""
    @property
    def end_char(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> Literal["web", "app", "email"]: ...
    @property
    def verdict(self) -> Verdict: ...
    def to_dict(self) -> dict[str, Any]:
        """An entry of the ``--messages`` output line: ``start``, ``end``, ``text``,
        ``verdict``."""

class TestReport:
    """What ``Policy.run_tests()`` found: each test's outcome and what no test reached."""

    @property
    def passed(self) -> bool:
        """Whether every test passed."""
    @property
    def failed(self) -> int:
        """The number of tests that failed."""
    @property
    def total(self) -> int:
        """The number of tests."""
    @property
    def outcomes(self) -> list[dict[str, Any]]:
        """One dict per test, in the policy file's order: ``name`` (or ``None``),
        ``link``, ``expect``, ``passed``, ``problems`` (one message per difference,
        ``[]`` when it passed) and ``verdict`` (the contract's JSON verdict)."""
    @property
    def not_reached(self) -> dict[str, list[str]]:
        """What no test reached: ``rules``, ``lists``, ``platforms``, ``tiers``,
        ``phases``, each in the policy's order."""
    def to_dict(self) -> dict[str, Any]:
        """As ``linkpolicy test --json`` prints it: ``tests``, ``passed`` (how many
        passed), ``failed``, ``not_reached``."""

def diff(
    old: "Policy",
    new: "Policy",
    links: Iterable[str],
    contexts: Optional[Sequence[str]] = None,
    messages: bool = False,
    threads: int = 0,
) -> dict[str, Any]:
    """The verdict-change matrix of two policies (``linkpolicy diff --json``):
    ``{"links", "compared", "changed", "changes": [{"context", "from", "to",
    "from_reason", "to_reason", "count", "example"}]}``.

    ``links`` are request lines of section 8 (bare links or JSON objects), or with
    ``messages=True`` message lines; ``contexts`` (``"one_to_one"``, ``"group:N"``)
    classifies each in those chats instead of its own. Runs without the GIL on
    ``threads`` threads (0: every core). Raises ``RequestError`` naming the first
    line that cannot be read, ``ValueError`` for a context that is not one."""

class Policy:
    """A compiled, immutable policy; share one between threads."""

    @staticmethod
    def from_toml(text: str) -> "Policy":
        """Loads a TOML policy; raises ``PolicyError``."""
    @staticmethod
    def from_json(text: str) -> "Policy":
        """Loads a JSON policy; raises ``PolicyError``."""
    @property
    def revision(self) -> int:
        """A 64-bit hash of the compiled policy (log as ``f"{revision:016x}"``)."""
    @property
    def rule_count(self) -> int: ...
    def classify(
        self,
        link: str,
        *,
        chat: Chat = "one_to_one",
        members: Optional[int] = None,
        user: Optional[str] = None,
        client_version: Optional[str] = None,
        now: Optional[int] = None,
        prefs: Optional[Prefs] = None,
        display_text: Optional[str] = None,
    ) -> Verdict:
        """Decides what to do with ``link``; raises ``RequestError`` for a context that
        cannot be read."""
    def classify_many(
        self,
        links: Iterable[str],
        *,
        chat: Chat = "one_to_one",
        members: Optional[int] = None,
        user: Optional[str] = None,
        client_version: Optional[str] = None,
        now: Optional[int] = None,
        prefs: Optional[Prefs] = None,
        display_text: Optional[str] = None,
    ) -> list[Verdict]:
        """``[classify(l, **context) for l in links]``, without the GIL."""
    def scan(
        self,
        text: str,
        *,
        chat: Chat = "one_to_one",
        members: Optional[int] = None,
        user: Optional[str] = None,
        client_version: Optional[str] = None,
        now: Optional[int] = None,
        prefs: Optional[Prefs] = None,
    ) -> list[FoundLink]:
        """The links of a chat message, each with its verdict, in order."""
    def answer(self, line: str) -> str:
        """The example program's output line for one request line of section 8."""
    def answer_message(self, line: str) -> str:
        """The example program's ``--messages`` output line for one message line."""
    def run_tests(self) -> TestReport:
        """Decides the policy file's own ``[[test]]`` cases (contract section 9)."""
    def explain(
        self,
        link: str,
        *,
        chat: Chat = "one_to_one",
        members: Optional[int] = None,
        user: Optional[str] = None,
        client_version: Optional[str] = None,
        now: Optional[int] = None,
        prefs: Optional[Prefs] = None,
        display_text: Optional[str] = None,
    ) -> dict[str, Any]:
        """How ``link`` is decided: ``{"steps": [str, ...], "verdict": {...}}``, one
        sentence per step of the evaluation order and the verdict ``classify`` gives."""
    def stats(self, lines: Iterable[str], *, messages: bool = False) -> dict[str, Any]:
        """Counts the verdicts of request lines (or, with ``messages=True``, of every
        link found in message lines), without the GIL: ``links``, ``hard``,
        ``actions`` (``allow``/``warn``/``block``), ``reason_kinds``, ``rules``,
        ``lists`` and ``shadow`` (``[{"rule", "action", "count"}]``), as
        ``linkpolicy stats --json`` prints them. Raises ``RequestError`` naming the
        first line that cannot be read."""
