"""Every model reads time from a track's own intake (issue 13, point 6).

A track whose first form was filled in at session 2 (a first meeting without a
form) must be fitted, judged and drawn as the same scores numbered from 1:
otherwise the growth fit, the status of ``model.status(track)``, the summary's
``expected_at`` and the chart's expected course would each read session 2 as a
second meeting, and disagree with one another.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import fit_scores as fs
from fit_scores.simulate import simulate_cohort
from fit_scores.table import from_columns

METHODS: dict[str, dict[str, Any]] = {
    "growth": {},
    "cohort": {"min_n": 5, "k_max": 12.0},
    "neighbours": {"n_neighbours": 15},
}


def cohort_columns(shift_every: int) -> dict[str, Any]:
    """A simulated cohort; every ``shift_every``-th person's sessions start at 2."""
    cols = simulate_cohort(160, seed=21, years=1.5).to_dict()
    person = np.asarray(cols["person"]).astype(str)
    shifted = np.array([int(p[1:]) % shift_every == 0 for p in person]) if shift_every else None
    session = np.asarray(cols["session"]).copy()
    if shifted is not None:
        session[shifted] += 1
    return {**cols, "session": session}


@pytest.mark.parametrize("method", list(METHODS))
def test_renumbered_sessions_give_the_same_fit(method: Any) -> None:
    plain = from_columns(cohort_columns(0))
    shifted = from_columns(cohort_columns(3))
    assert not np.array_equal(plain.session_number, shifted.session_number)
    one = fs.fit_expected_response(plain, method, axis="session", **METHODS[method])
    other = fs.fit_expected_response(shifted, method, axis="session", **METHODS[method])
    assert one == other


@pytest.mark.parametrize("method", list(METHODS))
def test_status_and_summary_read_the_latest_session_from_the_intake(method: Any) -> None:
    table = from_columns(cohort_columns(0))
    model = fs.fit_expected_response(table, method, axis="session", **METHODS[method])
    tracks = simulate_cohort(160, seed=21, years=1.5).tracks()[:25]
    moved = [
        fs.Track.from_administrations(
            [a.model_copy(update={"session": (a.session or 0) + 1}) for a in t.administrations]
        )
        for t in tracks
    ]
    for a, b in zip(tracks, moved, strict=True):
        assert model.status(a) == model.status(b)
    plain = from_columns(cohort_columns(0)).summarize(model=model)
    shifted = from_columns(cohort_columns(3)).summarize(model=model)
    for column in ("expected_at", "expected", "expected_status"):
        assert plain[column].tolist() == shifted[column].tolist(), column


def test_the_expected_course_is_drawn_from_the_intake() -> None:
    from matplotlib.figure import Figure

    from fit_scores.charts import plot_track

    model = fs.fit_expected_response(from_columns(cohort_columns(0)), "growth", axis="session")
    track = simulate_cohort(160, seed=21, years=1.5).tracks()[0]
    moved = fs.Track.from_administrations(
        [a.model_copy(update={"session": (a.session or 0) + 1}) for a in track.administrations]
    )

    def course(t: fs.Track) -> list[tuple[float, float]]:
        drawn = plot_track(t, model=model, x="session")
        ax = drawn.axes[0] if isinstance(drawn, Figure) else drawn
        lines = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
        assert lines, "the expected median is drawn dotted"
        xs, ys = lines[0].get_data()
        return list(
            zip(np.asarray(xs, float).tolist(), np.asarray(ys, float).tolist(), strict=True)
        )

    plain, shifted = course(track), course(moved)
    assert [y for _, y in plain] == [y for _, y in shifted]  # the same course ...
    assert [x + 1 for x, _ in plain] == [x for x, _ in shifted]  # ... one meeting later
