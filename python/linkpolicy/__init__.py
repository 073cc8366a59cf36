"""linkpolicy: decide, for every link in a chat message, whether to open it, warn first,
or refuse it, and why.

>>> import linkpolicy
>>> policy = linkpolicy.Policy.from_toml(linkpolicy.SAMPLE_POLICY)
>>> v = policy.classify("https://item.jd.com/1.html", chat="group", members=250)
>>> v.action
'warn'
>>> v.to_dict()["registrable_domain"]
'jd.com'
>>> policy.run_tests().passed
True

A thin layer over the Rust library: the context keyword arguments make a request of the
contract's section 8, read by the library itself, so the package answers exactly as the
example program, the command-line tool and the C ABI do.
"""

from ._linkpolicy import (
    SAMPLE_POLICY,
    FoundLink,
    Policy,
    PolicyError,
    RequestError,
    TestReport,
    Verdict,
    __version__,
    diff,
)

__all__ = [
    "SAMPLE_POLICY",
    "FoundLink",
    "Policy",
    "PolicyError",
    "RequestError",
    "TestReport",
    "Verdict",
    "__version__",
    "diff",
]
