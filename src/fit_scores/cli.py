"""The ``fit-scores`` command line.

``demo`` renders the bundled synthetic example family: every chart as SVG and
PNG, the descriptions in every language, a text summary and the family as
JSON.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from fit_scores.errors import FitScoresError
from fit_scores.examples import example_family
from fit_scores.records import Family

__all__ = ["main", "summarize_family"]


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def summarize_family(family: Family) -> str:
    """A plain-text summary of every track of ``family``.

    For each track: the scale, the rater, the number of administrations, the
    first and the latest score with their dates, and the cutoff that applies
    at the latest administration (by the member's age then).

    Examples
    --------
    >>> from fit_scores import example_family
    >>> print(summarize_family(example_family()).splitlines()[0])
    Family familie-eksempel: 4 members, 7 tracks
    """
    lines = [f"Family {family.id}: {len(family.members)} members, {len(family.tracks)} tracks"]
    for member in family.members:
        lines.append("")
        lines.append(f"{member.id} ({member.role})")
        for track in family.tracks_of(member.id):
            first, latest = track.intake, track.latest
            rater = track.rater if track.rater_id is None else f"{track.rater} {track.rater_id}"
            cut = family.cutoff(latest)
            if cut.value is None:
                cut_text = "no published cutoff"
            elif track.scale.kind == "alliance":
                side = "below it" if family.clinical(latest) else "at or above it"
                cut_text = f"alliance cutoff {_fmt(cut.value)}: {side}"
            else:
                side = "clinical range" if family.clinical(latest) else "functional range"
                cut_text = f"cutoff {_fmt(cut.value)} at age {family.age_at(latest)}: {side}"
            lines.append(
                f"  {track.scale.key:<5} {rater:<14} n={len(track):<2} "
                f"first {_fmt(float(first.total_exact))} ({first.date.isoformat()})  "
                f"latest {_fmt(float(latest.total_exact))} ({latest.date.isoformat()})  "
                f"{cut_text}"
            )
    return "\n".join(lines)


def _demo(out: Path, locale: str) -> int:
    from fit_scores.charts import (
        describe,
        describe_expected,
        describe_family,
        plot_expected_fan,
        plot_family,
        plot_track,
        render,
    )
    from fit_scores.charts.describe import _alliance_for
    from fit_scores.simulate import simulate_cohort
    from fit_scores.trajectories import TrajectoryData, fit_expected_response

    family = example_family()
    text = summarize_family(family)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(name: str, data: bytes | str) -> None:
        path = out / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        written.append(path)

    save("summary.txt", text + "\n")
    save("family.json", family.model_dump_json(indent=2) + "\n")
    # an expected course fitted on a simulated adult cohort (the demo has no real data)
    sim = simulate_cohort(3000, seed=2024)
    model = fit_expected_response(TrajectoryData.from_arrays(sim.person, sim.session, sim.total))
    charts: dict[str, object] = {"family": plot_family(family, locale=locale)}
    descriptions: dict[str, list[str]] = {loc: [] for loc in ("nb", "nn", "en")}
    for loc in descriptions:
        descriptions[loc].append(describe_family(family, locale=loc))
    for member in family.members:
        for track in family.tracks_of(member.id):
            if track.scale.kind != "outcome":
                continue
            alliance = _alliance_for(family, track)
            adult_ors = (
                track.scale.key == "ORS" and member.role == "adult" and track.rater == "self"
            )
            use_model = model if adult_ors else None
            name = f"{member.id}-{track.scale.key}-{track.rater}".lower()
            charts[name] = plot_track(
                track, alliance=alliance, person=member, model=use_model, locale=locale
            )
            for loc in descriptions:
                descriptions[loc].append(
                    describe(track, alliance=alliance, person=member, model=use_model, locale=loc)
                )
    first = family.tracks_of("mor")[0]
    charts["expected-course"] = plot_expected_fan(
        model, float(first.intake.total_exact), locale=locale, until=12
    ).figure
    for loc in descriptions:
        descriptions[loc].append(
            describe_expected(model, float(first.intake.total_exact), locale=loc)
        )
    for name, chart in charts.items():
        fig = getattr(chart, "figure", chart)
        for fmt in ("svg", "png"):
            save(f"{name}.{fmt}", render(fig, format=fmt))  # type: ignore[arg-type]
    for loc, parts in descriptions.items():
        save(f"descriptions-{loc}.txt", "\n\n".join(parts) + "\n")
    print(text)
    print(f"\nWrote {len(written)} files to {out}", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fit-scores",
        description="Feedback-Informed Treatment scores: exact scoring of ORS/SRS-family scales.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = sub.add_parser(
        "demo",
        help="summarise the bundled synthetic example family",
        description=(
            "Render the bundled synthetic example family to OUT: the family chart and "
            "every member's track chart as SVG and PNG, the descriptions in nb, nn and "
            "en, a text summary and the family as JSON."
        ),
    )
    demo.add_argument("--out", type=Path, required=True, metavar="OUT", help="output folder")
    demo.add_argument(
        "--locale", default="nb", help="language of the charts: nb (default), nn or en"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            return _demo(args.out, args.locale)
    except (ValueError, FitScoresError) as exc:
        parser.exit(2, f"fit-scores: error: {exc}\n")
    raise AssertionError(f"unhandled command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
