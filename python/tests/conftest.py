from pathlib import Path

import pytest

import linkpolicy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample() -> linkpolicy.Policy:
    return linkpolicy.Policy.from_toml(linkpolicy.SAMPLE_POLICY)


@pytest.fixture(scope="session")
def example_toml() -> linkpolicy.Policy:
    return linkpolicy.Policy.from_toml((ROOT / "tests/data/example/policy.toml").read_text(encoding="utf-8"))


def request_lines() -> list:
    """The request lines the C ABI is tested on, and the example links, bare."""
    lines = (ROOT / "ffi/tests/c/requests.txt").read_text(encoding="utf-8").split("\n")[:-1]
    links = (ROOT / "examples/links.txt").read_text(encoding="utf-8").splitlines()
    return lines + [l for l in links if l.strip()]
