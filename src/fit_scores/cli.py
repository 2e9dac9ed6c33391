"""The ``fit-scores`` command line.

``demo`` renders the bundled synthetic example family: every chart as SVG and
PNG, the descriptions in every language, a text summary and the family as
JSON. ``validate``, ``summarize``, ``report`` and ``chart`` read a long-format
CSV, JSON or Parquet file of administrations (one row per form) through
:mod:`fit_scores.io`; ``schema`` prints the JSON Schemas of the public models.
Only :mod:`fit_scores.io` and this module touch files; the rest of the library
does no I/O.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fit_scores.errors import CliError, FitScoresError
from fit_scores.examples import example_family
from fit_scores.i18n import normalise_locale
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
            alliance = family.alliance_track(track)
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
    from fit_scores.report import family_report

    latest = max(d for t in family.tracks for d in t.dates)
    save("family-report.html", family_report(family, locale, as_of=latest, model=model))
    print(text)
    print(f"\nWrote {len(written)} files to {out}", file=sys.stderr)
    return 0


PROGRESS_ROWS = 100_000  # report progress on standard error from this many rows


def _progress(message: str, rows: int | None = None) -> None:
    if rows is None or rows >= PROGRESS_ROWS:
        print(f"fit-scores: {message}", file=sys.stderr, flush=True)


def _read_table(path: Path) -> Any:
    from fit_scores.io import read_csv, read_json, read_parquet

    if not path.is_file():
        raise CliError(f"{path}: no such file")
    size = path.stat().st_size
    _progress(f"reading and validating {path} ({size:,} bytes)", size // 40)
    readers = {".csv": read_csv, ".json": read_json, ".parquet": read_parquet}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise CliError(f"{path}: give a .csv, .json or .parquet file")
    table = reader(path)
    _progress(f"{table.n_valid:,} valid rows, {table.n_rejected:,} rejected", table.n_input)
    return table


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"Wrote {out}", file=sys.stderr)


def _as(obj: Any, out: Path | None) -> str:
    """CSV, or JSON when the output file ends in .json."""
    return str(obj.to_json() if out is not None and out.suffix.lower() == ".json" else obj.to_csv())


def _validate(path: Path, out: Path | None) -> int:
    table = _read_table(path)
    _write(_as(table.errors, out), out)
    print(
        f"{table.n_input:,} rows: {table.n_valid:,} valid, {table.n_rejected:,} rejected",
        file=sys.stderr,
    )
    return 1 if table.n_rejected else 0


def _summarize(path: Path, out: Path | None) -> int:
    table = _read_table(path)
    _progress("summarising tracks", table.n_input)
    summary = table.summarize()
    _write(_as(summary, out), out)
    if table.n_rejected:
        print(f"{table.n_rejected:,} rows were rejected; see fit-scores validate", file=sys.stderr)
    return 0


def _report(path: Path, by: list[str], out: Path | None, min_cell: int) -> int:
    table = _read_table(path)
    _progress("summarising tracks", table.n_input)
    summary = table.summarize()
    _progress("aggregating", table.n_input)
    _write(_as(summary.aggregate(by=by or None, min_cell=min_cell), out), out)
    return 0


def _chart(path: Path, person: str, out: Path, locale: str, fmt: str | None = None) -> int:
    from fit_scores.charts import describe, plot_track, render
    from fit_scores.records import Administration, Track

    formats = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".html": "html"}
    fmt = fmt or formats.get(out.suffix.lower())
    if fmt is None:
        raise CliError(f"{out}: the chart file must end in .svg, .png, .pdf or .html")
    table = _read_table(path)
    rows = [r for r in table.to_records() if str(r["person"]) == person and not r["skip"]]
    if not rows:
        raise CliError(f"no valid scores for person {person!r} in {path}")
    tracks: dict[tuple[Any, ...], list[Administration]] = {}
    for r in rows:
        items = [r[k] for k in sorted(r) if k.startswith("item_") and r[k] is not None]
        adm = Administration(
            scale=r["scale"],
            person=str(r["person"]),
            rater=r["rater"],
            rater_id=r["rater_id"],
            date=r["date"],
            session=r["session"],
            episode=r["episode"],
            age=r["age"],
            items=items or None,
            total=None if items else r["total"],
        )
        tracks.setdefault(adm.track_key, []).append(adm)
    built = [Track.from_administrations(a) for a in tracks.values()]
    outcome = [t for t in built if t.scale.kind == "outcome" and t.rater == "self"]
    outcome = outcome or [t for t in built if t.scale.kind == "outcome"]
    if not outcome:
        raise CliError(f"person {person!r} has no outcome scores in {path}")
    track = max(outcome, key=lambda t: t.latest.date)
    alliance = [t for t in built if t.scale.kind == "alliance" and t.episode == track.episode]
    best = max(alliance, key=lambda t: len(set(t.dates) & set(track.dates)), default=None)
    chart = plot_track(track, alliance=best, locale=locale)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure = chart.figure if hasattr(chart, "figure") else chart
    if fmt == "html":  # one self-contained page: inline SVG, the description as caption
        from fit_scores.report import chart_page

        text = describe(track, alliance=best, locale=locale)
        out.write_text(chart_page(figure, text, locale=locale), encoding="utf-8")  # type: ignore[arg-type]
    else:
        out.write_bytes(render(figure, format=fmt))  # type: ignore[arg-type]
    print(describe(track, alliance=best, locale=locale))
    print(f"Wrote {out}", file=sys.stderr)
    return 0


def _schema() -> int:
    import json

    from fit_scores._schemas import PUBLIC_MODELS

    schemas = {name: model.model_json_schema() for name, model in PUBLIC_MODELS.items()}
    print(json.dumps(schemas, indent=2, sort_keys=True))
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
    file_help = "long-format CSV, JSON or Parquet file, one row per administration"
    locale_help = "language of charts and descriptions: nb (default), nn or en"
    validate = sub.add_parser(
        "validate",
        help="check a file and print the rejected rows",
        description=(
            "Validate every row of FILE with the same rules as the library and print the "
            "error report (row, column, error, reason) as CSV, or JSON with -o *.json. "
            "Exits with 1 when any row is rejected."
        ),
    )
    summarize = sub.add_parser(
        "summarize",
        help="one row per track",
        description=(
            "Validate FILE and write one row per track (intake, latest, change and its "
            "category, alliance signals, ...) as CSV, or JSON with -o *.json."
        ),
    )
    report = sub.add_parser(
        "report",
        help="aggregates by a grouping column",
        description=(
            "Validate and summarise FILE, then aggregate by one or more columns (e.g. "
            "coordinator, municipality): people by age band, mean intake scores, effect "
            "size, shares improved/recovered/deteriorated with confidence intervals. Cells "
            "with fewer than --min-cell people are suppressed."
        ),
    )
    chart = sub.add_parser(
        "chart",
        help="the track chart of one person",
        description=(
            "Draw the latest outcome track of PERSON in FILE (with the alliance panel when "
            "there are alliance scores) to OUT (.svg, .png or .pdf) and print its description."
        ),
    )
    for command in (validate, summarize, report, chart):
        command.add_argument("file", type=Path, metavar="FILE", help=file_help)
    for command in (validate, summarize, report):
        command.add_argument(
            "-o", "--out", type=Path, metavar="OUT", help="output file (default: standard output)"
        )
    report.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="COLUMN",
        help="grouping column; repeat for several",
    )
    report.add_argument(
        "--min-cell", type=int, default=5, help="smallest number of people shown (default 5)"
    )
    for command in (summarize, report):  # scale-out: fit_scores.scaleout.command
        command.add_argument(
            "--dask",
            metavar="SCHEDULER_ADDRESS",
            help="run on the Dask cluster at this address (FILE: CSV files or Parquet)",
        )
        command.add_argument(
            "--workers",
            type=int,
            metavar="N",
            help="run on a local Dask cluster of N worker processes",
        )
    chart.add_argument("--person", required=True, metavar="ID", help="pseudonymous person id")
    chart.add_argument(
        "-o",
        "--out",
        type=Path,
        required=True,
        metavar="OUT",
        help="chart file: .svg, .png, .pdf or .html",
    )
    chart.add_argument(
        "--format",
        choices=("svg", "png", "pdf", "html"),
        help="output format (default: from the file name); html is one self-contained page",
    )
    family_report = sub.add_parser(
        "report-family",
        help="the family report as one HTML page",
        description=(
            "Write the family report of FAMILY (a family as JSON, as `fit-scores demo` "
            "writes family.json) to OUT: one self-contained HTML page with the family chart, "
            "a verdict per member in words and a table of the scores, printable on A4."
        ),
    )
    family_report.add_argument("file", type=Path, metavar="FAMILY", help="family JSON file")
    family_report.add_argument(
        "-o", "--out", type=Path, required=True, metavar="OUT", help="HTML file to write"
    )
    family_report.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="the day of the report (default: today)"
    )
    sub.add_parser(
        "schema",
        help="print the JSON Schemas of the public models",
        description="Print the JSON Schemas of the public models (one object keyed by model name).",
    )
    for command in (validate, summarize, report, chart, sub.choices["schema"], family_report):
        command.add_argument("--locale", default="nb", help=locale_help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        normalise_locale(args.locale)
        if args.command == "demo":
            return _demo(args.out, args.locale)
        if args.command == "validate":
            return _validate(args.file, args.out)
        if args.command in ("summarize", "report") and (args.dask or args.workers):
            from fit_scores.scaleout.command import run_command

            return run_command(args)
        if args.command == "summarize":
            return _summarize(args.file, args.out)
        if args.command == "report":
            return _report(args.file, args.by, args.out, args.min_cell)
        if args.command == "chart":
            return _chart(args.file, args.person, args.out, args.locale, args.format)
        if args.command == "report-family":
            from fit_scores.report import write_family_report

            write_family_report(args.file, args.out, locale=args.locale, as_of=args.as_of)
            print(f"Wrote {args.out}", file=sys.stderr)
            return 0
        if args.command == "schema":
            return _schema()
    except (ValueError, FitScoresError) as exc:
        parser.exit(2, f"fit-scores: error: {exc}\n")
    raise AssertionError(f"unhandled command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
