"""Re-judge a day of links under a new policy, on Dask: the same code runs on a laptop
(Dask's threads: `classify_many` releases the GIL, so they run in parallel) and on a
cluster (`dask.distributed`: each worker loads the policy once).

    python examples/dask_job.py generate links.parquet --rows 1000000
    python examples/dask_job.py count links.parquet --policy new.toml --out counts.json
    python examples/dask_job.py count links.parquet --engine pandas   # one machine, no Dask

The Parquet file has one row per shared link: `link` (str), `chat` ("one_to_one" or
"group") and `members` (nullable int, the group's size). The output is the count of
links per action, with the policy's revision, as JSON.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
from pathlib import Path
from typing import Optional

import pandas as pd

import linkpolicy

ACTIONS = ("allow", "warn", "block")

# Link shapes a day of chat traffic holds: shops, news, short links, trackers,
# redirectors, app links, lookalikes, junk.
_TEMPLATES = (
    "https://item.jd.com/{n}.html",
    "https://m.tb.cn/h.{s}",
    "https://www.bilibili.com/video/BV{s}",
    "https://mp.weixin.qq.com/s/{s}",
    "https://www.zhihu.com/question/{n}?utm_source=wechat_session&from=timeline",
    "https://t.cn/{s}",
    "https://c.duomai.com/track.php?site_id={n}&t=https://shouji.jd.com/",
    "https://fake-jd-refund.example/refund?order={n}",
    "https://dl.cheap-loan.example/app/v{n}.apk",
    "https://github.com/{s}/{s}",
    "http://192.168.{m}.{m}/admin",
    "weixin://dl/business/?t={s}",
    "https://xn--fiq228c.com/{s}",
    "https://www.gov.cn/zhengce/{n}.htm",
    "javascript:alert({n})",
    "https://i.meituan.com/h5?invite_code={s}",
    "http://exa mple.com/{n}",
)


def generate(path: Path, rows: int, seed: int = 0, row_group: int = 50_000) -> pd.DataFrame:
    """Writes `rows` generated links to a Parquet file (pyarrow) and returns them."""
    rng = random.Random(seed)
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

    def one() -> str:
        template = rng.choice(_TEMPLATES)
        return template.format(
            n=rng.randrange(1, 10**12),
            m=rng.randrange(0, 256),
            s="".join(rng.choice(alphabet) for _ in range(rng.randrange(4, 12))),
        )

    links = [one() for _ in range(rows)]
    groups = [rng.random() < 0.4 for _ in range(rows)]
    sizes = (3, 40, 99, 100, 250, 500)
    df = pd.DataFrame(
        {
            "link": pd.Series(links, dtype="string"),
            "chat": pd.Series(["group" if g else "one_to_one" for g in groups], dtype="string"),
            "members": pd.array([rng.choice(sizes) if g else None for g in groups], dtype="Int64"),
        }
    )
    df.to_parquet(path, engine="pyarrow", index=False, row_group_size=row_group)
    return df


@functools.lru_cache(maxsize=4)
def load_policy(text: str, json_format: bool = False) -> linkpolicy.Policy:
    """The policy, loaded once per process (a Dask worker's first partition loads it)."""
    return linkpolicy.Policy.from_json(text) if json_format else linkpolicy.Policy.from_toml(text)


def classify_frame(df: pd.DataFrame, policy_text: str, json_format: bool = False) -> pd.Series:
    """The action for each row of `df`: one `classify_many` call per chat context."""
    policy = load_policy(policy_text, json_format)
    actions = pd.Series(index=df.index, dtype="object", name="action")
    members = df["members"].astype("Int64")
    key = df["chat"].astype(str) + ":" + members.astype(str)
    for _, part in df.groupby(key, sort=False):
        chat = str(part["chat"].iloc[0])
        size = part["members"].iloc[0]
        kwargs = {"chat": chat}
        if not pd.isna(size):
            kwargs["members"] = int(size)
        verdicts = policy.classify_many(part["link"].astype(str).tolist(), **kwargs)
        actions.loc[part.index] = [v.action for v in verdicts]
    return actions


def _counts(series_counts) -> dict:
    return {a: int(series_counts.get(a, 0)) for a in ACTIONS}


def count_dask(path: Path, policy_text: str, json_format: bool = False, blocksize: Optional[int] = None) -> dict:
    """Counts per action of the links in a Parquet file, on Dask."""
    import dask.dataframe as dd

    ddf = dd.read_parquet(str(path), columns=["link", "chat", "members"], split_row_groups=True)
    actions = ddf.map_partitions(classify_frame, policy_text, json_format, meta=("action", "object"))
    return _counts(actions.value_counts().compute())


def count_pandas(path: Path, policy_text: str, json_format: bool = False) -> dict:
    """Counts per action of the links in a Parquet file, on one machine with pandas."""
    df = pd.read_parquet(path, engine="pyarrow")
    return _counts(classify_frame(df, policy_text, json_format).value_counts())


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write a Parquet file of generated links")
    gen.add_argument("path", type=Path)
    gen.add_argument("--rows", type=int, default=100_000)
    gen.add_argument("--seed", type=int, default=0)
    count = sub.add_parser("count", help="count the links of a Parquet file per action")
    count.add_argument("path", type=Path)
    count.add_argument("--policy", type=Path, help="TOML, or JSON by extension (default: the sample policy)")
    count.add_argument("--engine", choices=("dask", "pandas"), default="dask")
    count.add_argument("--out", type=Path, help="write the counts here as JSON (default: standard output)")
    args = parser.parse_args(argv)

    if args.command == "generate":
        generate(args.path, args.rows, args.seed)
        return 0
    if args.policy:
        text, json_format = args.policy.read_text(encoding="utf-8"), args.policy.suffix.lower() == ".json"
    else:
        text, json_format = linkpolicy.SAMPLE_POLICY, False
    try:
        policy = load_policy(text, json_format)
    except linkpolicy.PolicyError as e:
        print(f"policy does not load:\n{e}", file=sys.stderr)
        return 2
    counter = count_dask if args.engine == "dask" else count_pandas
    counts = counter(args.path, text, json_format)
    result = {"policy_revision": f"{policy.revision:016x}", "engine": args.engine, "counts": counts}
    out = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(out + "\n", encoding="utf-8")
    else:
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
