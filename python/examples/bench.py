"""classify_many's cost per link, on the links and contexts of the Rust bench
`cargo bench --bench classify -- classify/sample_policy` (examples/links.txt, the sample
policy, one-to-one and a group of 250 with a user, client version and time), so the two
figures compare directly.

    python python/examples/bench.py [--rounds 7] [--repeat 200]
"""

import argparse
import time
from pathlib import Path

import linkpolicy

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=200, help="passes over the links per round")
    args = parser.parse_args()
    lines = (ROOT / "examples/links.txt").read_text(encoding="utf-8").splitlines()
    links = [l.strip() for l in lines if l.strip() and not l.strip().startswith("{")]
    batch = links * args.repeat
    policy = linkpolicy.Policy.from_toml(linkpolicy.SAMPLE_POLICY)
    contexts = {
        "one_to_one": {},
        "group": {"chat": "group", "members": 250, "user": "alice",
                  "client_version": "8.0.16", "now": 1_635_724_800},
    }
    print(f"{len(links)} links x {args.repeat}, median of {args.rounds} rounds")
    for name, ctx in contexts.items():
        policy.classify_many(batch[: len(links)], **ctx)  # warm up
        many, loop, actions = [], [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            policy.classify_many(batch, **ctx)
            many.append((time.perf_counter() - start) / len(batch))
            start = time.perf_counter()
            for link in batch[: len(links) * 20]:
                policy.classify(link, **ctx)
            loop.append((time.perf_counter() - start) / (len(links) * 20))
            start = time.perf_counter()
            [v.action for v in policy.classify_many(batch, **ctx)]
            actions.append((time.perf_counter() - start) / len(batch))
        med = lambda xs: sorted(xs)[len(xs) // 2] * 1e9
        print(f"{name:>10}: classify_many {med(many):6.0f} ns/link, "
              f"+ reading .action {med(actions):6.0f} ns/link, "
              f"classify() in a loop {med(loop):6.0f} ns/link")


if __name__ == "__main__":
    main()
