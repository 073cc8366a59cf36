"""The Dask job of examples/dask_job.py on a generated Parquet file: its counts per action
equal the pandas path's and a plain loop of classify."""

import collections
import importlib.util
import json
import sys

import pandas as pd
import pytest

import linkpolicy


@pytest.fixture(scope="module")
def job(root):
    spec = importlib.util.spec_from_file_location("dask_job", root / "python/examples/dask_job.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["dask_job"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def links_file(tmp_path_factory, job):
    path = tmp_path_factory.mktemp("parquet") / "links.parquet"
    frame = job.generate(path, rows=20_000, seed=7, row_group=2_500)
    return path, frame


def expected_counts(frame):
    policy = linkpolicy.Policy.from_toml(linkpolicy.SAMPLE_POLICY)
    counts = collections.Counter()
    for link, chat, members in zip(frame["link"], frame["chat"], frame["members"]):
        kwargs = {"chat": chat}
        if not pd.isna(members):
            kwargs["members"] = int(members)
        counts[policy.classify(link, **kwargs).action] += 1
    return {a: counts.get(a, 0) for a in ("allow", "warn", "block")}


def test_dask_counts_equal_a_loop(job, links_file):
    path, frame = links_file
    import dask.dataframe as dd

    assert dd.read_parquet(str(path), split_row_groups=True).npartitions > 1
    counts = job.count_dask(path, linkpolicy.SAMPLE_POLICY)
    expected = expected_counts(frame)
    assert counts == expected
    assert sum(counts.values()) == 20_000
    assert all(counts[a] > 0 for a in ("allow", "warn", "block")), counts


def test_pandas_counts_equal_dask(job, links_file):
    path, _ = links_file
    assert job.count_pandas(path, linkpolicy.SAMPLE_POLICY) == job.count_dask(path, linkpolicy.SAMPLE_POLICY)


def test_command_line_writes_counts(job, links_file, tmp_path, root):
    path, frame = links_file
    out = tmp_path / "counts.json"
    policy = root / "tests/data/example/policy.json"
    assert job.main(["count", str(path), "--policy", str(policy), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    loaded = linkpolicy.Policy.from_json(policy.read_text())
    assert result["policy_revision"] == f"{loaded.revision:016x}"
    assert sum(result["counts"].values()) == len(frame)
    bad = root / "tests/data/example/bad-acton.toml"
    assert job.main(["count", str(path), "--policy", str(bad)]) == 2
