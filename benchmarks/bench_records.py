"""Benchmark: building one validated ``Administration`` (the single-record path).

A service validates one form at a time, so this path has to stay cheap although
it runs the same vectorised rules as a million-row table (a record is a batch of
one). The baseline, measured in the same run, is a plain pydantic model with
the same fields and field types that checks nothing against the scale: the ratio
is what the scale rules (item range and grid, minimum answered, exact total,
rater, age) cost on top of pydantic's own parsing.
"""

import argparse
import datetime as dt
import statistics
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
    """Median seconds per call over ``repeats`` runs of ``number`` calls."""
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(number):
            make()
        runs.append((time.perf_counter() - t0) / number)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=2000, help="calls per run")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    fs.Administration(**FIELDS)  # warm-up
    plain = per_call(lambda: Plain(**FIELDS), args.repeats, args.number)
    adm = per_call(lambda: fs.Administration(**FIELDS), args.repeats, args.number)
    total_only = {**{k: v for k, v in FIELDS.items() if k != "items"}, "total": 25.0}
    adm_total = per_call(lambda: fs.Administration(**total_only), args.repeats, args.number)
    print(f"fit_scores {fs.__version__}: one Administration (median of {args.repeats} runs)")
    print(f"  plain pydantic model, same fields      {plain * 1e6:8.1f} us")
    print(f"  Administration with 4 items            {adm * 1e6:8.1f} us  {adm / plain:6.1f}x")
    print(f"  Administration with a total only       {adm_total * 1e6:8.1f} us  "
          f"{adm_total / plain:6.1f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
