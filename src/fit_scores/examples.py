"""A small synthetic example family, bundled for documentation, tests and the demo.

The family is invented; its scores follow the patterns described in the
domain reference (a parent scoring above the cutoff at intake, irregular
meetings with gaps, a child who moves from the CORS to the ORS at 13).
"""

from __future__ import annotations

import datetime as dt

from fit_scores.records import Administration, Family, Person, Track
from fit_scores.scales.model import Rater

__all__ = ["example_family"]


def _items(total: float) -> tuple[float, ...]:
    """Four item scores on the 0.1 grid whose exact total is ``total``."""
    ticks = round(total * 10)
    base, extra = divmod(ticks, 4)
    return tuple((base + (1 if i < extra else 0)) / 10 for i in range(4))


def _track(
    scale: str,
    person: str,
    rows: list[tuple[str, float]],
    *,
    rater: Rater = "self",
    rater_id: str | None = None,
) -> Track:
    return Track.from_administrations(
        Administration(
            scale=scale,
            person=person,
            rater=rater,
            rater_id=rater_id,
            date=dt.date.fromisoformat(day),
            session=i + 1,
            episode="nm-2024",
            items=_items(total),
        )
        for i, (day, total) in enumerate(rows)
    )


def example_family() -> Family:
    """A synthetic family followed for about two and a half years.

    Members: a mother (ORS and SRS; above the adult cutoff at intake), a
    father with long gaps between meetings, a girl rating herself on the
    CORS and rated by her mother, and a boy who moves from the CORS to the
    ORS when he turns 13.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> family = example_family()
    >>> boy = family.tracks_of("gutt")
    >>> [(t.scale.key, [family.cutoff(a).value for a in t.administrations]) for t in boy]
    [('CORS', [32.0, 32.0, 32.0]), ('ORS', [28.0, 28.0])]
    """
    members = (
        Person(id="mor", role="adult", birth_date=dt.date(1988, 4, 12)),
        Person(id="far", role="adult", age=41, age_on=dt.date(2024, 3, 1)),
        Person(id="jente", role="child", birth_date=dt.date(2014, 2, 10)),
        Person(id="gutt", role="child", birth_date=dt.date(2012, 8, 20)),
    )
    tracks = (
        _track(
            "ORS",
            "mor",
            [
                ("2024-03-05", 27.4),
                ("2024-04-02", 24.1),
                ("2024-05-14", 22.8),
                ("2024-08-20", 26.0),
                ("2025-01-21", 28.3),
                ("2025-09-09", 30.2),
                ("2026-06-16", 31.5),
            ],
        ),
        _track(
            "SRS",
            "mor",
            [
                ("2024-03-05", 38.2),
                ("2024-04-02", 36.5),
                ("2024-05-14", 35.1),
                ("2024-08-20", 37.8),
                ("2025-01-21", 39.0),
                ("2025-09-09", 39.4),
                ("2026-06-16", 40.0),
            ],
        ),
        _track(
            "ORS",
            "far",
            [
                ("2024-03-05", 18.5),
                ("2024-05-14", 17.2),
                ("2025-01-21", 20.4),
                ("2025-09-09", 23.9),
                ("2026-06-16", 26.8),
            ],
        ),
        _track(
            "CORS",
            "jente",
            [
                ("2024-03-05", 24.0),
                ("2024-06-11", 26.5),
                ("2025-01-21", 29.0),
                ("2025-10-14", 33.1),
                ("2026-06-16", 34.6),
            ],
        ),
        _track(
            "CORS",
            "jente",
            [
                ("2024-03-05", 22.0),
                ("2024-06-11", 25.5),
                ("2025-01-21", 30.0),
                ("2026-06-16", 31.2),
            ],
            rater="caretaker",
            rater_id="mor",
        ),
        _track(
            "CORS",
            "gutt",
            [("2024-03-05", 28.0), ("2024-09-10", 27.1), ("2025-03-11", 29.5)],
        ),
        _track("ORS", "gutt", [("2025-09-09", 27.0), ("2026-04-21", 30.4)]),
    )
    return Family(id="familie-eksempel", members=members, tracks=tracks)
