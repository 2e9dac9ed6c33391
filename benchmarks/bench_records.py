"""Benchmark: building one validated ``Administration`` (the single-record path).

A service validates one form at a time, so this path has to stay cheap although
it runs the same vectorised rules as a million-row table (a record is a batch of
one). The baseline, measured in the same run, is a plain pydantic model with
the same fields and field types that checks nothing against the scale: the ratio
is what the scale rules (item range and grid, minimum answered, exact total,
rater, age) cost on top of pydantic's own parsing.

``--baseline-src DIR`` measures another version of the library in the same run
(issue 9: ``Administration(...)`` within 2x of the code before the one data
path, ``git archive 512a5a2 src | tar -x -C /tmp/base`` and
``--baseline-src /tmp/base/src``): the two are measured in turns, in a child
process for the other version, and the fastest run of each is compared (on a
shared machine the fastest run is the one least disturbed by other work).
"""

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict

import fit_scores as fs

FIELDS: dict[str, Any] = {
    "scale": "ORS",
    "person": "p1",
    "date": "2025-01-10",
    "session": 3,
    "age": 34,
    "items": (0.7, 8.1, 7.5, 8.7),
}


class Plain(BaseModel):
    """The same fields as an Administration, parsed by pydantic and nothing else."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scale: str
    person: str
    rater: str = "self"
    rater_id: str | None = None
    date: dt.date
    session: int | None = None
    episode: str | None = None
    age: int | None = None
    items: tuple[float | None, ...] | None = None
    total: float | None = None


def per_call(make: Callable[[], object], repeats: int, number: int) -> float:
    """Median CPU seconds per call over ``repeats`` runs of ``number`` calls.

    CPU time of this process (``time.process_time``): a call is single-threaded,
    and on a shared machine the wall clock also counts the time other work holds
    the CPU.
    """
    runs = []
    for _ in range(repeats):
        t0 = time.process_time()
        for _ in range(number):
            make()
        runs.append((time.process_time() - t0) / number)
    return statistics.median(runs)


TOTAL_ONLY = {**{k: v for k, v in FIELDS.items() if k != "items"}, "total": 25.0}


def measure(number: int, repeats: int) -> dict[str, list[float]]:
    """Seconds per call of every case, one entry per run."""
    fs.Administration(**FIELDS)  # warm-up
    cases: dict[str, Callable[[], object]] = {
        "plain": lambda: Plain(**FIELDS),
        "items": lambda: fs.Administration(**FIELDS),
        "total": lambda: fs.Administration(**TOTAL_ONLY),
    }
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeats):
        for name, make in cases.items():
            runs[name].append(per_call(make, 1, number))
    return runs


def baseline(src: str, number: int, repeats: int) -> dict[str, list[float]]:
    """:func:`measure` in a child process that imports the library from ``src``."""
    env = {**os.environ, "PYTHONPATH": src}
    args = [sys.executable, __file__, "--child", "--number", str(number)]
    out = subprocess.run(
        [*args, "--repeats", str(repeats)], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, list[float]] = json.loads(out.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=2000, help="calls per run")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--baseline-src", help="the src directory of a version to compare with")
    parser.add_argument("--rounds", type=int, default=5, help="turns with --baseline-src")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.number, args.repeats)))
        return 0
    if args.baseline_src is None:
        runs = measure(args.number, args.repeats)
        plain, adm, adm_total = (statistics.median(runs[k]) for k in ("plain", "items", "total"))
        print(f"fit_scores {fs.__version__}: one Administration (median of {args.repeats} runs)")
        print(f"  plain pydantic model, same fields      {plain * 1e6:8.1f} us")
        print(f"  Administration with 4 items            {adm * 1e6:8.1f} us  {adm / plain:6.1f}x")
        print(f"  Administration with a total only       {adm_total * 1e6:8.1f} us  "
              f"{adm_total / plain:6.1f}x")  # fmt: skip
        return 0
    mine: dict[str, list[float]] = {"plain": [], "items": [], "total": []}
    theirs: dict[str, list[float]] = {"plain": [], "items": [], "total": []}
    per_round = max(1, args.repeats // 2)
    for _ in range(args.rounds):
        for name, values in measure(args.number, per_round).items():
            mine[name].extend(values)
        for name, values in baseline(args.baseline_src, args.number, per_round).items():
            theirs[name].extend(values)
    print(
        f"fit_scores {fs.__version__} against {args.baseline_src}: one Administration "
        f"(fastest of {len(mine['items'])} runs of {args.number} calls each, in turns)"
    )
    print(f"  {'':38}{'this':>10}{'baseline':>10}{'ratio':>8}")
    for name, label in (
        ("plain", "plain pydantic model, same fields"),
        ("items", "Administration with 4 items"),
        ("total", "Administration with a total only"),
    ):
        a, b = min(mine[name]), min(theirs[name])
        print(f"  {label:38}{a * 1e6:8.1f}us{b * 1e6:8.1f}us{a / b:7.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
