"""classify_many: the same verdicts as a loop of classify, without the GIL."""

import threading
import time

import pytest

from conftest import request_lines

CONTEXTS = [
    {},
    {"chat": "group", "members": 250},
    {"chat": "group", "members": 99, "user": "u-000002", "client_version": "8.0.16"},
    {"now": 1635724800, "user": "u-000003", "client_version": "8.0.16"},
    {"prefs": {"mode": "ask", "trusted": ["jd.com"]}},
    {"display_text": "https://item.jd.com/"},
]


def links():
    return [l.strip() for l in request_lines() if l.strip() and not l.strip().startswith("{")]


@pytest.mark.parametrize("context", CONTEXTS)
def test_classify_many_is_a_loop_of_classify(sample, context):
    batch = links()
    many = sample.classify_many(batch, **context)
    loop = [sample.classify(link, **context) for link in batch]
    assert len(many) == len(batch)
    assert many == loop
    assert [v.to_dict() for v in many] == [v.to_dict() for v in loop]


def test_classify_many_takes_any_iterable(sample):
    batch = links()
    assert sample.classify_many(iter(batch)) == sample.classify_many(tuple(batch))
    assert sample.classify_many([]) == []


def test_classify_many_releases_the_gil(sample):
    batch = links() * 2000
    start = time.perf_counter()
    sample.classify_many(batch)
    alone = time.perf_counter() - start

    gaps = []
    done = threading.Event()

    def work():
        sample.classify_many(batch)
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
    # Holding the GIL, the call would stop this loop for its whole length.
    assert alone > 0.05, "the batch is long enough to tell"
    assert max(gaps) < alone / 2, (max(gaps), alone)
    assert len(gaps) > 10


def test_threads_share_one_policy(sample):
    batch = links() * 20
    expected = [v.to_json() for v in sample.classify_many(batch, chat="group", members=40)]
    results = [None] * 8

    def work(i):
        results[i] = [v.to_json() for v in sample.classify_many(batch, chat="group", members=40)]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)
