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

Then the end-to-end figure, the goal of the readers (within 2x of
``pandas.read_csv``): ``fit_scores.io.read_csv(path)`` (tokenise, read the
text with the grammars, validate, score and sort into tracks) with the
``pyarrow`` and ``numpy`` engines against ``pandas.read_csv(path)`` on the
same file, in the same run (medians of ``--e2e-repeats`` interleaved rounds:
pandas, then every engine), on two files: the one above (random session
numbers, so about a third of the rows are rejected as out of session order and
logged) and the same records with the sessions of every track numbered in date
order (a clean file: only the rows with a missing item are rejected).
With pyarrow, two reference lines per file show what reading costs before
any rule: ``pyarrow.csv.read_csv(path)`` (arrow's own read, types inferred,
nothing checked) and ``tokenize only`` (the first step of ``read_csv``: the
file's bytes, the text read, the number and date columns cast).
``--profile`` prints where the time of one ``read_csv`` goes (cProfile, by own
time and by cumulative time). Besides the wall-clock time, the CPU time of the
process (all threads) is shown, as the median and the least of the rounds: on a
shared machine it varies less with the load. With pyarrow, ``read_csv`` reads
the plainly written number, whole-number and date columns typed
(``tokenize_csv(kinds=...)``), label columns beyond ASCII as codes into their
distinct texts, the rest as text; a long file's columns and chunks of rows
are converted and checked on several threads (``fit_scores._core.parallel``),
so the CPU time can exceed the wall-clock time.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import functools
import importlib.util
import io
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import fit_scores.io
from fit_scores.io.tokenizer import ColumnKind, Engine, TokenizedCsv, tokenize_csv

FIRST = np.array(["Åse", "Ørjan", "Kari", "Ola", "Bjørn", "Siv", "Per", "Æsa", "Ingrid", "Lars"])
#: The grouping column of the benchmark file (declared to the readers).
GROUPS = ["coordinator"]
LAST = np.array(["Hansen", "Johansen", "Olsen", "Larsen", "Sæther", "Løvås", "Berg", "Haugen"])


def write_csv(n: int, seed: int, *, ordered_sessions: bool = False) -> bytes:
    """``n`` administrations of about ``n / 4`` people as UTF-8 CSV, in random order.

    Session numbers are random (1-29), or with ``ordered_sessions`` 1, 2, ...
    in date order within every track (person and scale); the rest is the same.
    """
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
    scale = np.where(rng.random(n) < 0.7, "ORS", "SRS")
    date = start[person] + rng.integers(0, 700, n)
    session = rng.integers(1, 30, n)
    if ordered_sessions:
        session = _session_numbers(person, scale == "ORS", date)
    columns: dict[str, Any] = {
        "person": np.char.add("p", np.char.zfill(person.astype(str), 6)).astype(object),
        "scale": scale.astype(object),
        "date": date.astype(str).astype(object),
        "session": session.astype(str).astype(object),
        "age": rng.integers(13, 80, n_people)[person].astype(str).astype(object),
        **{f"item_{k + 1}": text for k, text in enumerate(item_text)},
        "total": total.astype(str).astype(object),
        "coordinator": names[rng.integers(0, 400, n_people)[person]],
    }
    lines = columns["person"]
    for name in list(columns)[1:]:
        lines = lines + "," + columns[name]
    return (",".join(columns) + "\n" + "\n".join(lines.tolist()) + "\n").encode("utf-8")


def _session_numbers(person: Any, ors: Any, date: Any) -> Any:
    """1, 2, ... in date order within every (person, scale) track."""
    order = np.lexsort((date, ors, person))
    track = person[order] * 2 + ors[order]
    starts = np.flatnonzero(np.r_[True, track[1:] != track[:-1]])
    rank = np.arange(track.size) - np.repeat(starts, np.diff(np.r_[starts, track.size]))
    session = np.empty(track.size, dtype=np.int64)
    session[order] = rank + 1
    return session


def csv_module_step(data: bytes) -> dict[str, Any]:
    """What ``parse_csv`` does today before validation: csv.reader, object arrays of str."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), strict=True)
    rows = [row for row in reader if row]
    header, body = rows[0], rows[1:]
    return {
        name: np.fromiter(values, dtype=object, count=len(body))
        for name, values in zip(header, zip(*body, strict=True), strict=True)
    }


def elapsed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def elapsed_both(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of the process) of one call."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


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
            for x, y in zip(a.arrays, b.arrays, strict=True)
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=300_000, help="records (default 300,000)")
    parser.add_argument("--repeats", type=int, default=7, help="runs per reader (median)")
    parser.add_argument("--python-repeats", type=int, default=3, help="runs of the csv module")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--e2e-repeats", type=int, default=5, help="interleaved rounds of read_csv (median)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile one read_csv")
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
        f"{h} {c.dtype.str}" for h, c in zip(reference.header, reference.arrays, strict=True)
    )
    print(f"columns: {dtypes}")
    print("all engines give the csv module's columns: True")
    end_to_end(data, args, engines)
    return 0


#: The kind of every column of the benchmark file, as ``read_csv`` gives them to the tokenizer.
KINDS: dict[str, ColumnKind] = {
    "date": "date",
    "session": "whole",
    "age": "whole",
    **dict.fromkeys(("item_1", "item_2", "item_3", "item_4", "total"), "number"),
    **dict.fromkeys(("person", "scale", "coordinator"), "label"),
}


def _references(path: Path, readers: list[Engine]) -> dict[str, Callable[[], object]]:
    """What reading the file costs before any rule: two reference lines (pyarrow only).

    ``pyarrow.csv.read_csv(path)``: arrow's own read (types inferred, nothing
    checked), a floor for any reader built on it. ``tokenize only``: the
    bytes of the file and ``tokenize_csv`` with the kinds of ``read_csv``
    (text read, number and date columns cast), the first step of
    ``read_csv(path, engine="pyarrow")``.
    """
    if "pyarrow" not in readers:
        return {}
    import pyarrow.csv as pacsv

    def kinds(header: list[str]) -> list[ColumnKind | None]:
        return [KINDS.get(name) for name in header]

    def tokenize_only() -> TokenizedCsv:
        return tokenize_csv(path.read_bytes(), engine="pyarrow", kinds=kinds)

    tokens = tokenize_only()
    typed = dict(zip(tokens.header, tokens.arrays, strict=True))
    if typed["item_1"].dtype != np.float64 or typed["date"].dtype.kind != "M":
        raise SystemExit("tokenize only: the number and date columns were not cast")

    return {
        "reference: pyarrow.csv.read_csv": functools.partial(pacsv.read_csv, path),
        "reference: tokenize only, pyarrow": tokenize_only,
    }


def end_to_end(data: bytes, args: argparse.Namespace, engines: list[str]) -> None:
    """``fit_scores.io.read_csv(path)`` against ``pandas.read_csv(path)``, same file, same run."""
    import pandas as pd

    readers: list[Engine] = [e for e in ("pyarrow", "numpy") if e in engines]
    files = {
        "random sessions": data,
        "sessions in date order": write_csv(args.rows, args.seed, ordered_sessions=True),
    }
    print(f"\nend to end: read_csv(path) -> validated table, {args.rows:,} records")
    print(
        f"{'file: reader':58} {'median':>10} {'/ pandas':>9} {'cpu':>10} {'/ pandas':>9} "
        f"{'min cpu':>10} {'/ pandas':>9} {'valid rows':>11}"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scores.csv"
        for label, content in files.items():
            path.write_bytes(content)
            pd.read_csv(path)  # warm-up, and the check that the engines agree
            valid: dict[str, int] = {
                e: fit_scores.io.read_csv(path, engine=e, group_columns=GROUPS).n_valid
                for e in readers
            }
            if len(set(valid.values())) != 1:
                raise SystemExit(f"the engines do not give the same table: {valid}")
            # interleaved rounds (pandas, then every engine): a load that comes and goes on
            # a shared machine falls on all readers alike
            readers_here: dict[str, Callable[[], object]] = {
                "pandas.read_csv": functools.partial(pd.read_csv, path),
                **{
                    f"fit_scores read_csv, {e}": functools.partial(
                        fit_scores.io.read_csv, path, engine=e, group_columns=GROUPS
                    )
                    for e in readers
                },
                **_references(path, readers),
            }
            times: dict[str, list[float]] = {name: [] for name in readers_here}
            cpu: dict[str, list[float]] = {name: [] for name in readers_here}
            for _ in range(args.e2e_repeats):
                for name, read in readers_here.items():
                    wall, used = elapsed_both(read)
                    times[name].append(wall)
                    cpu[name].append(used)
            base = statistics.median(times["pandas.read_csv"])
            cpu_base = statistics.median(cpu["pandas.read_csv"])
            cpu_least = min(cpu["pandas.read_csv"])
            for name, seconds_list in times.items():
                seconds = statistics.median(seconds_list)
                used = statistics.median(cpu[name])
                least = min(cpu[name])
                engine = name.rpartition(", ")[2]
                reads_table = name.startswith("fit_scores read_csv")
                rows = f"{valid[engine]:11,}" if reads_table else ""
                line = f"{label}: {name}"
                print(
                    f"{line:58} {seconds * 1e3:8.1f} ms {seconds / base:8.2f}x "
                    f"{used * 1e3:7.1f} ms {used / cpu_base:8.2f}x "
                    f"{least * 1e3:7.1f} ms {least / cpu_least:8.2f}x {rows}"
                )
            if args.profile and label == "sessions in date order":
                profile = cProfile.Profile()
                profile.runcall(
                    fit_scores.io.read_csv, path, engine=readers[0], group_columns=GROUPS
                )
                stats = pstats.Stats(profile)
                print(f"\nprofile of read_csv(path, engine={readers[0]!r}), {label}:")
                stats.sort_stats("tottime").print_stats(15)
                stats.sort_stats("cumulative").print_stats(25)
    print("target: fit_scores read_csv / pandas.read_csv <= 2.00x")
    if "pyarrow" in readers:
        print(
            "references (not readers of a validated table): pyarrow.csv.read_csv is arrow's\n"
            "own read with types inferred and nothing checked; 'tokenize only' is the first\n"
            "step of read_csv with pyarrow (the file's bytes, the text read, the number and\n"
            "date columns cast), before any rule, id, sort or gather"
        )


if __name__ == "__main__":
    raise SystemExit(main())
