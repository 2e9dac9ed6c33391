"""Linked tables: no suppressed cell can be derived from the published cells of all groupings.

The audit here is written independently of fit_scores.table.disclosure: for each
suppressed cell, scipy's linprog over the published cells of every table and
non-negativity gives the smallest and largest value the cell can take.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from scipy.optimize import linprog

from fit_scores.errors import TableInputError, UnlinkedTablesWarning
from fit_scores.table import Aggregate, TrackSummary, from_columns
from fit_scores.table.aggregate import aggregate_summary
from fit_scores.table.disclosure import GroupingLog, LinkedAggregates, aggregate_linked

COLUMNS = ("person", "scale", "date", "age", "total", "coordinator", "municipality")


def table_of(people: Sequence[tuple[str, str, int, float, float, str, str]]) -> TrackSummary:
    rows: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for person, scale, age, first, last, coordinator, municipality in people:
        for date, total in (("2025-01-10", first), ("2025-03-10", last)):
            values = (person, scale, date, age, total, coordinator, municipality)
            for key, value in zip(COLUMNS, values, strict=True):
                rows[key].append(value)
    table = from_columns(rows, group_columns=["coordinator", "municipality"])
    assert table.n_rejected == 0
    return table.summarize()


def small_office() -> TrackSummary:
    """The issue's example: Kari follows 5 adults on ORS (all improved) and a child on CORS."""
    people = [(f"a{i}", "ORS", 40, 13.0 + i, 28.0 + 0.5 * i, "kari", "sogne") for i in range(5)]
    people.append(("c1", "CORS", 9, 20.0, 20.0, "kari", "sogne"))  # did not improve
    people += [(f"b{i}", "ORS", 35, 12.0 + i, 12.5 + i, "ola", "sogne") for i in range(7)]
    return table_of(people)


def random_office(seed: int) -> TrackSummary:
    rng = np.random.default_rng(seed)
    people = []
    coordinators = ["kari", "ola", "nils", "siri"]
    for i in range(int(rng.integers(25, 60))):
        child = rng.random() < 0.3
        scale, age = (
            ("CORS", int(rng.integers(6, 13))) if child else ("ORS", int(rng.integers(18, 60)))
        )
        first = float(np.round(rng.uniform(5, 25), 1))
        last = float(np.clip(first + rng.choice([-9.0, 0.0, 0.5, 10.0]), 0, 40))
        who = str(rng.choice(coordinators, p=[0.4, 0.3, 0.2, 0.1]))
        where = "sogne" if who in ("kari", "ola") else str(rng.choice(["sogne", "vennesla"]))
        people.append((f"p{i}", scale, age, first, last, who, where))
    return table_of(people)


# --- the independent audit --------------------------------------------------------------


def labels(agg: Aggregate, by: Sequence[str]) -> list[tuple[Any, ...]]:
    cols = [agg[name].tolist() for name in by]
    return [tuple(r) for r in zip(*cols, strict=True)] if cols else [()] * len(agg)


def incidence(summary: TrackSummary, tables: Sequence[Aggregate]) -> tuple[list[np.ndarray], int]:
    every = list(dict.fromkeys(name for t in tables for name in t.by))
    atoms = aggregate_summary(summary, every, min_cell=1, level=0.95)
    atom_keys = labels(atoms, every)
    out = []
    for t in tables:
        pos = [every.index(name) for name in t.by]
        rows = {key: r for r, key in enumerate(labels(t, t.by))}
        m = np.zeros((len(t), len(atom_keys)))
        for a, key in enumerate(atom_keys):
            m[rows[tuple(key[p] for p in pos)], a] = 1.0
        out.append(m)
    return out, len(atom_keys)


def published(col: Any) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(np.ma.getdata(col), dtype=float), ~np.ma.getmaskarray(col)


def interval(
    m: list[np.ndarray], values: list[np.ndarray], shown: list[np.ndarray], t: int, r: int
) -> tuple[float, float]:
    a_eq = np.vstack([mi[s] for mi, s in zip(m, shown, strict=True)])
    b_eq = np.concatenate([v[s] for v, s in zip(values, shown, strict=True)])
    ends = []
    for sign in (1.0, -1.0):
        res = linprog(
            sign * m[t][r],
            A_eq=a_eq if a_eq.size else None,
            b_eq=b_eq if b_eq.size else None,
            bounds=(0, None),
            method="highs",
        )
        ends.append(-sign * np.inf if res.status == 3 else sign * res.fun)
        assert res.status in (0, 3)
    return ends[0], ends[1]


def audit(summary: TrackSummary, tables: Sequence[Aggregate]) -> list[tuple[str, int, int, float]]:
    """Every suppressed track count and share numerator with its feasible width."""
    m, _ = incidence(summary, tables)
    found: list[tuple[str, int, int, float]] = []
    n_t = [published(t.columns["n_tracks"]) for t in tables]
    values, shown = [v for v, _ in n_t], [s for _, s in n_t]
    for t, s in enumerate(shown):
        for r in np.flatnonzero(~s):
            lo, hi = interval(m, values, shown, t, int(r))
            found.append(("n_tracks", t, int(r), hi - lo))
    for share in ("improved", "recovered", "deteriorated"):
        k_values, k_shown = [], []
        for tab in tables:
            n, n_shown = published(tab.columns[f"{share}_n"])
            p, p_shown = published(tab.columns[f"{share}_share"])
            k_values.append(np.round(np.where(n_shown & p_shown, p * n, 0.0)))
            # a share of an empty group is undefined but its count (0) is published
            k_shown.append(n_shown & (p_shown | (n == 0)))
        for t, s in enumerate(k_shown):
            for r in np.flatnonzero(~s):
                for part, vals in (("k", k_values), ("n-k", None)):
                    if vals is None:
                        n_pub = [published(tb.columns[f"{share}_n"])[0] for tb in tables]
                        vals = [n_pub[i] - k_values[i] for i in range(len(tables))]
                    lo, hi = interval(m, vals, k_shown, t, int(r))
                    found.append((f"{share}_{part}", t, int(r), hi - lo))
    return found


def assert_protected(summary: TrackSummary, linked: LinkedAggregates) -> None:
    cells = audit(summary, linked.tables)
    assert cells, "the example has suppressed cells"
    m, _ = incidence(summary, linked.tables)
    for name, t, r, width in cells:
        if name == "n_tracks":
            assert width > 1 + 1e-7, (name, t, r, width)
        elif width < 1 - 1e-7:  # the part of a cell with an outcome: its value is known
            # only where one published group holding the cell shows 0 % or 100 % on its own
            assert _pinned_by_a_published_total(linked, m, name, t, r), (name, t, r, width)


def _pinned_by_a_published_total(
    linked: LinkedAggregates, m: list[np.ndarray], name: str, t: int, r: int
) -> bool:
    numerator = name.endswith("_k")
    share = name[: -len("_k")] if numerator else name[: -len("_n-k")]
    pinning = 0.0 if numerator else 1.0  # no one in it improved / everyone in it did
    target = m[t][r] > 0
    for u, table in enumerate(linked):
        n, n_shown = published(table.columns[f"{share}_n"])
        p, p_shown = published(table.columns[f"{share}_share"])
        for s in range(len(table)):
            holds = not (target & (m[u][s] == 0)).any()  # every atom of the cell is in it
            if holds and n_shown[s] and (n[s] == 0 or (p_shown[s] and p[s] == pinning)):
                return True
    return False


# --- tests -------------------------------------------------------------------------------


def test_two_plain_reports_reveal_the_child_by_subtraction() -> None:
    summary = small_office()
    by_coordinator = summary.aggregate("coordinator")
    with pytest.warns(UnlinkedTablesWarning):  # the library says so, too
        by_scale = summary.aggregate(["coordinator", "scale"])
    kari = by_coordinator["coordinator"].tolist().index("kari")
    assert by_coordinator["n_people"][kari] == 6
    assert round(float(by_coordinator["improved_share"][kari]), 2) == 0.83
    rows = by_scale["coordinator"].tolist(), by_scale["scale"].tolist()
    ors = list(zip(*rows, strict=True)).index(("kari", "ORS"))
    cors = list(zip(*rows, strict=True)).index(("kari", "CORS"))
    assert by_scale["n_people"][ors] == 5 and by_scale["improved_share"][ors] == 1.0
    assert np.ma.is_masked(by_scale["n_people"][cors])
    widths = {(n, t, r): w for n, t, r, w in audit(summary, [by_coordinator, by_scale])}
    assert widths[("improved_k", 1, cors)] == 0.0  # the child did not improve: derived
    assert widths[("n_tracks", 1, cors)] == 0.0


def test_linked_tables_protect_the_child() -> None:
    summary = small_office()
    linked = aggregate_linked(summary, [["coordinator"], ["coordinator", "scale"]])
    assert_protected(summary, linked)
    by_coordinator, by_scale = linked
    kari = by_coordinator["coordinator"].tolist().index("kari")
    assert by_coordinator["n_people"][kari] == 6  # the coarse figure stays published
    assert round(float(by_coordinator["improved_share"][kari]), 2) == 0.83
    rows = list(zip(by_scale["coordinator"].tolist(), by_scale["scale"].tolist(), strict=True))
    ors = rows.index(("kari", "ORS"))
    assert np.ma.is_masked(by_scale["n_people"][ors])  # the sibling is suppressed as well
    assert linked.secondary[1][ors] and by_scale["suppressed"][ors]
    ola = rows.index(("ola", "ORS"))
    assert by_scale["n_people"][ola] == 7 and not linked.secondary[1][ola]


@pytest.mark.parametrize("seed", range(4))
def test_interval_audit_on_random_offices(seed: int) -> None:
    summary = random_office(seed)
    groupings = [["coordinator"], ["coordinator", "scale"], ["municipality", "scale"], []]
    linked = aggregate_linked(summary, groupings)
    assert_protected(summary, linked)
    for table, by in zip(linked, groupings, strict=True):
        plain = aggregate_summary(summary, by, min_cell=5, level=0.95)
        # primary suppression is each table's own; linking only adds to it
        assert (
            np.ma.getmaskarray(table["n_people"]) >= np.ma.getmaskarray(plain["n_people"])
        ).all()
        shown = ~np.ma.getmaskarray(table["n_people"])
        assert (table["n_people"][shown] == plain["n_people"][shown]).all()


def test_rounding_publishes_shares_of_rounded_counts() -> None:
    summary = random_office(3)
    linked = aggregate_linked(summary, [["coordinator"], []], round_to=5)
    assert linked.round_to == 5
    for table in linked:
        for name in ("n_people", "n_tracks", "improved_n"):
            col = table.columns[name]
            shown = ~np.ma.getmaskarray(col)
            assert (np.asarray(col)[shown] % 5 == 0).all()
        n = table.columns["improved_n"]
        share = table.columns["improved_share"]
        ok = ~np.ma.getmaskarray(share)
        k = np.asarray(share)[ok] * np.asarray(n)[ok]
        assert np.allclose(k % 5, 0) | np.allclose(k % 5, 5)
        low, high = table.columns["improved_ci_low"], table.columns["improved_ci_high"]
        assert (np.asarray(low)[ok] >= 0).all() and (np.asarray(high)[ok] <= 1).all()


@pytest.mark.parametrize(
    ("groupings", "kwargs", "match"),
    [
        ([], {}, "non-empty list"),
        ("coordinator", {}, "non-empty list"),
        ([["coordinator"], ["coordinator"]], {}, "given twice"),
        ([[1]], {}, "list of column names"),
        ([["coordinator"]], {"round_to": 0}, "round_to"),
        ([["coordinator"]], {"round_to": True}, "round_to"),
        ([["nope"]], {}, "nope"),
    ],
)
def test_bad_arguments(groupings: Any, kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(TableInputError, match=match):
        aggregate_linked(small_office(), groupings, **kwargs)


# --- the record of what one summary published (for TrackSummary.aggregate's warning) ----


def test_grouping_log_warns_on_a_second_plain_grouping_only() -> None:
    log = GroupingLog()
    assert log.note_plain(("coordinator",)) is None
    assert log.note_plain(("coordinator",)) is None
    message = log.note_plain(("coordinator", "scale"))
    assert message is not None
    assert "after by=['coordinator']" in message
    assert "aggregate_linked(summary, [['coordinator'], ['coordinator', 'scale']])" in message
    assert log.note_plain(()) is not None  # everyone: a third grouping


def test_grouping_log_after_linked_tables() -> None:
    summary = small_office()
    log = GroupingLog()
    object.__setattr__(summary, "published", log)  # as TrackSummary will hold one
    aggregate_linked(summary, [["coordinator"], ["coordinator", "scale"]])
    again = log.note_plain(("coordinator", "scale"))
    assert again is not None and "published linked" in again
    other = log.note_plain(("municipality",))
    assert other is not None and "aggregate_linked" in other


def test_grouping_log_is_thread_safe() -> None:
    log = GroupingLog()
    groupings = [(f"g{i % 7}",) for i in range(700)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        messages = list(pool.map(log.note_plain, groupings))
    assert messages[0] is None or messages[0].startswith("aggregate(by=['g0'])")
    assert 1 <= sum(m is None for m in messages) <= 100  # calls made while one grouping was known
    final = log.note_plain(("team",))
    assert final is not None
    for i in range(7):  # every grouping was recorded, none lost to a race
        assert f"['g{i}']" in final


# --- the warning of TrackSummary.aggregate -------------------------------------------------


def test_aggregate_warns_when_a_second_grouping_of_one_summary_is_published_apart() -> None:
    import warnings as _w

    summary = small_office()
    with _w.catch_warnings():
        _w.simplefilter("error")
        summary.aggregate("coordinator", min_cell=5)
        summary.aggregate("coordinator", min_cell=5)  # the same table again: no warning
    with pytest.warns(UnlinkedTablesWarning, match=r"aggregate_linked\(summary"):
        summary.aggregate(["coordinator", "scale"], min_cell=5)
    fresh = small_office()  # another summary object: its own log
    with _w.catch_warnings():
        _w.simplefilter("error")
        fresh.aggregate(["coordinator", "scale"], min_cell=5)
        linked = fresh.aggregate_linked([["coordinator", "scale"], ["coordinator"]], min_cell=5)
    assert len(linked.tables) == 2
