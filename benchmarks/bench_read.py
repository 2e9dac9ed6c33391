"""Benchmark: tokenize a long-format score CSV into header names and text columns.

Writes ``--rows`` ORS/SRS administrations as CSV (columns person, scale, date,
session, age, item_1..item_4, total, coordinator; Norwegian coordinator names,
a tenth of them written ``"Last, First"`` and so quoted, 2% of the items
missing) and times, each the median of ``--repeats`` runs in the same process:

* ``pandas.read_csv`` (C engine, default options: numbers inferred), the baseline;
* ``pandas.read_csv`` with every column as text (``dtype=str``, no NA values),
  what the tokenizer produces;
* the ``csv`` module step of ``parse_csv`` today (``csv.reader``, then an
  object array of ``str`` per column);
* ``fit_scores.io.tokenizer.tokenize_csv`` with the ``python`` engine (the
  ``csv`` module, then ``U`` columns), the ``numpy`` engine and the
  ``pyarrow`` engine (skipped when pyarrow is not installed).

Ratios are times over the ``pandas.read_csv`` baseline (lower is faster), and
the speed-up of every reader over today's ``csv`` module step. All engines are checked
to give the same columns.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from fit_scores.io.tokenizer import TokenizedCsv, tokenize_csv

FIRST = np.array(["Åse", "Ørjan", "Kari", "Ola", "Bjørn", "Siv", "Per", "Æsa", "Ingrid", "Lars"])
LAST = np.array(["Hansen", "Johansen", "Olsen", "Larsen", "Sæther", "Løvås", "Berg", "Haugen"])


def write_csv(n: int, seed: int) -> bytes:
    """``n`` administrations of about ``n / 4`` people as UTF-8 CSV, in random order."""
    rng = np.random.default_rng(seed)
    n_people = max(n // 4, 1)
    person = rng.integers(0, n_people, n)
    start = np.datetime64("2020-01-01") + rng.integers(0, 5 * 365, n_people)
    first, last = rng.integers(0, FIRST.size, 400), rng.integers(0, LAST.size, 400)
    names = np.char.add(np.char.add(FIRST[first], " "), LAST[last]).astype(object)
    inverted = np.char.add(np.char.add('"' + LAST[last], ", "), FIRST[first] + '"')
    names[::10] = inverted[::10]
    items = [np.clip(np.round(rng.normal(5.0, 2.0, n), 1), 0.0, 10.0) for _ in range(4)]
    total = np.round(sum(items), 1)
    item_text = [v.astype(str).astype(object) for v in items]
    for text in item_text:
        text[rng.random(n) < 0.02] = ""
    columns: dict[str, Any] = {
        "person": np.char.add("p", np.char.zfill(person.astype(str), 6)).astype(object),
        "scale": np.where(rng.random(n) < 0.7, "ORS", "SRS").astype(object),
        "date": (start[person] + rng.integers(0, 700, n)).astype(str).astype(object),
        "session": rng.integers(1, 30, n).astype(str).astype(object),
        "age": rng.integers(13, 80, n_people)[person].astype(str).astype(object),
        **{f"item_{k + 1}": text for k, text in enumerate(item_text)},
        "total": total.astype(str).astype(object),
        "coordinator": names[rng.integers(0, 400, n_people)[person]],
    }
    lines = columns["person"]
    for name in list(columns)[1:]:
        lines = lines + "," + columns[name]
    return (",".join(columns) + "\n" + "\n".join(lines.tolist()) + "\n").encode("utf-8")


def csv_module_step(data: bytes) -> dict[str, Any]:
    """What ``parse_csv`` does today before validation: csv.reader, object arrays of str."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), strict=True)
    rows = [row for row in reader if row]
    header, body = rows[0], rows[1:]
    return {
        name: np.fromiter(values, dtype=object, count=len(body))
        for name, values in zip(header, zip(*body, strict=True), strict=True)
    }


def median_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def same(a: TokenizedCsv, b: TokenizedCsv) -> bool:
    return (
        a.header == b.header
        and np.array_equal(a.field_counts, b.field_counts)
        and all(
            x.dtype == y.dtype and np.array_equal(x, y)
            for x, y in zip(a.columns, b.columns, strict=True)
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=300_000, help="records (default 300,000)")
    parser.add_argument("--repeats", type=int, default=7, help="runs per reader (median)")
    parser.add_argument("--python-repeats", type=int, default=3, help="runs of the csv module")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    import pandas as pd

    data = write_csv(args.rows, args.seed)
    engines = ["numpy"]
    if importlib.util.find_spec("pyarrow") is not None:
        engines.append("pyarrow")
    reference = tokenize_csv(data, engine="python")
    for engine in engines:  # warm-up (imports, first calls) and the check
        result = tokenize_csv(data, engine=engine)  # type: ignore[arg-type]
        if not same(result, reference) or result.engine != engine:
            raise SystemExit(f"the {engine} engine does not give the csv module's columns")
    pd.read_csv(io.BytesIO(data))

    timings: dict[str, float] = {}
    timings["pandas.read_csv"] = median_time(lambda: pd.read_csv(io.BytesIO(data)), args.repeats)
    timings["pandas.read_csv, all text"] = median_time(
        lambda: pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False), args.repeats
    )
    timings["csv module (parse_csv today)"] = median_time(
        lambda: csv_module_step(data), args.python_repeats
    )
    timings["python engine (csv module)"] = median_time(
        lambda: tokenize_csv(data, engine="python"), args.python_repeats
    )
    for engine in engines:
        timings[f"{engine} engine"] = median_time(
            lambda engine=engine: tokenize_csv(data, engine=engine),  # type: ignore[misc]
            args.repeats,
        )

    base = timings["pandas.read_csv"]
    python = timings["csv module (parse_csv today)"]
    print(f"{args.rows:,} records, {len(data) / 1e6:.1f} MB, {len(reference.header)} columns")
    print(f"{'reader':32} {'median':>10} {'/ pandas':>9} {'csv module /':>13}")
    for name, seconds in timings.items():
        print(f"{name:32} {seconds * 1e3:8.1f} ms {seconds / base:8.2f}x {python / seconds:12.1f}x")
    dtypes = ", ".join(
        f"{h} {c.dtype.str}" for h, c in zip(reference.header, reference.columns, strict=True)
    )
    print(f"columns: {dtypes}")
    print("all engines give the csv module's columns: True")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
