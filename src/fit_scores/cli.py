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
import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pydantic

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


@dataclass(frozen=True)
class ReadOptions:
    """How the command line reads a file of administrations (its reading options)."""

    group_columns: tuple[str, ...] = ()
    encoding: str = "utf-8"
    delimiter: str | None = None
    decimal: str | None = None
    dayfirst: bool | None = None
    as_of: dt.date | None = None
    locale: str = "nb"

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ReadOptions:
        """The options of a parsed command line (``--group-column``, ``--encoding``, ...)."""
        return cls(
            group_columns=tuple(getattr(args, "group_column", None) or ()),
            encoding=getattr(args, "encoding", None) or "utf-8",
            delimiter=getattr(args, "delimiter", None),
            decimal=getattr(args, "decimal", None),
            dayfirst=True if getattr(args, "dayfirst", False) else None,
            as_of=_date_option("--as-of", getattr(args, "as_of", None)),
            locale=normalise_locale(args.locale),
        )


def _date_option(name: str, text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{name}: give a date as YYYY-MM-DD, got {text!r}") from None


def _read_table(path: Path, options: ReadOptions) -> Any:
    from fit_scores.io import read_csv, read_json, read_parquet

    if not path.exists():
        raise CliError(f"{path}: no such file")
    if not path.is_file():
        raise CliError(f"{path}: not a file")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json", ".parquet"):
        raise CliError(f"{path}: give a .csv, .json or .parquet file")
    if suffix != ".csv" and (options.delimiter or options.decimal or options.dayfirst):
        raise CliError(f"{path}: --delimiter, --decimal and --dayfirst are for CSV files")
    size = path.stat().st_size
    _progress(f"reading and validating {path} ({size:,} bytes)", size // 40)
    common: dict[str, Any] = {
        "group_columns": options.group_columns or None,
        "as_of": options.as_of,
    }
    if suffix == ".csv":
        table = read_csv(
            path,
            encoding=options.encoding,
            delimiter=options.delimiter,
            decimal=options.decimal,
            dayfirst=options.dayfirst,
            **common,
        )
    elif suffix == ".json":
        table = read_json(path, encoding=options.encoding, **common)
    else:
        table = read_parquet(path, **common)
    _progress(f"{table.n_valid:,} valid rows, {table.n_rejected:,} rejected", table.n_input)
    return table


#: How many groups of rejected rows the commands print on standard error.
SHOWN_ERROR_GROUPS = 5


def _say_count(n_rejected: int, n_input: int, command: str) -> int:
    """Say how many rows were rejected (if any); the exit code: 1 if any row was."""
    if not n_rejected:
        return 0
    print(
        f"fit-scores: {n_rejected:,} of {n_input:,} rows were rejected"
        + ("" if command == "validate" else "; see fit-scores validate"),
        file=sys.stderr,
    )
    return 1


def _say_rejected(table: Any, command: str) -> int:
    """Report rejected rows on standard error; the exit code: 1 if any row was rejected."""
    if not _say_count(table.n_rejected, table.n_input, command):
        return 0
    from fit_scores.io import group_errors

    groups = group_errors(table.errors)
    for group in groups[:SHOWN_ERROR_GROUPS]:
        print(f"  {group.message(cli=True)}", file=sys.stderr)
    if len(groups) > SHOWN_ERROR_GROUPS:
        print(f"  ... and {len(groups) - SHOWN_ERROR_GROUPS:,} more kinds", file=sys.stderr)
    return 1


def _say_no_age(summary: Any) -> None:
    """Warn with the number of tracks whose recovery cannot be judged (no age)."""
    judged = summary["recovery_judged"]
    count = int(np.count_nonzero(~np.ma.getdata(judged).astype(bool) & ~np.ma.getmaskarray(judged)))
    if count:
        print(
            f"fit-scores: warning: {count:,} tracks have no age where the cutoff depends on "
            "it: their recovery cannot be judged (column recovery_judged)",
            file=sys.stderr,
        )


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"Wrote {out}", file=sys.stderr)


#: The output formats of tables, by file extension.
TABLE_FORMATS = {".csv": "csv", ".json": "json"}


def _table_format(out: Path | None) -> str:
    """The output format of a table: by the extension of ``out`` (CSV on standard output)."""
    if out is None:
        return "csv"
    fmt = TABLE_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise CliError(
            f"{out}: the output file must end in .csv or .json "
            f"(not {out.suffix or 'without an extension'})"
        )
    return fmt


def _as(obj: Any, fmt: str) -> str:
    return str(obj.to_json() if fmt == "json" else obj.to_csv())


def _validate(path: Path, out: Path | None, options: ReadOptions) -> int:
    fmt = _table_format(out)
    table = _read_table(path, options)
    _write(_as(table.errors.localised(options.locale), fmt), out)
    print(
        f"{table.n_input:,} rows: {table.n_valid:,} valid, {table.n_rejected:,} rejected",
        file=sys.stderr,
    )
    return _say_rejected(table, "validate")


def _summarize(path: Path, out: Path | None, options: ReadOptions) -> int:
    fmt = _table_format(out)
    table = _read_table(path, options)
    _progress("summarising tracks", table.n_input)
    summary = table.summarize()
    _write(_as(summary, fmt), out)
    _say_no_age(summary)
    return _say_rejected(table, "summarize")


def _report(
    path: Path, by: list[str], out: Path | None, min_cell: int, options: ReadOptions
) -> int:
    fmt = _table_format(out)
    table = _read_table(path, options)
    _progress("summarising tracks", table.n_input)
    summary = table.summarize()
    _progress("aggregating", table.n_input)
    _write(_as(summary.aggregate(by=by or None, min_cell=min_cell), fmt), out)
    _say_no_age(summary)
    return _say_rejected(table, "report")


def _chart(path: Path, person: str, out: Path, options: ReadOptions, fmt: str | None = None) -> int:
    from fit_scores.charts import describe, plot_track, render
    from fit_scores.records import Administration, Track

    formats = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".html": "html"}
    fmt = fmt or formats.get(out.suffix.lower())
    if fmt is None:
        raise CliError(f"{out}: the chart file must end in .svg, .png, .pdf or .html")
    locale = options.locale
    table = _read_table(path, options)
    rows = [r for r in table.to_records() if str(r["person"]) == person and not r["skip"]]
    if not rows:
        raise CliError(f"no valid scores for person {person!r} in {path}")
    tracks: dict[tuple[Any, ...], list[Administration]] = {}
    for r in rows:
        items = [r[k] for k in sorted(r) if k.startswith("item_") and r[k] is not None]
        adm = Administration.model_validate(
            {
                "scale": r["scale"],
                "person": str(r["person"]),
                "rater": r["rater"],
                "rater_id": r["rater_id"],
                "date": r["date"],
                "session": r["session"],
                "episode": r["episode"],
                "age": r["age"],
                "items": items or None,
                "total": None if items else r["total"],
            },
            context={"as_of": options.as_of},
        )
        tracks.setdefault(adm.track_key, []).append(adm)
    built = [Track.from_administrations(a, as_of=options.as_of) for a in tracks.values()]
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
    return _say_rejected(table, "chart")


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
            "-o",
            "--out",
            type=Path,
            metavar="OUT",
            help="output file: .csv or .json (default: CSV on standard output)",
        )
    for command in (validate, summarize, report, chart):
        reading = command.add_argument_group("reading FILE")
        reading.add_argument(
            "--group-column",
            action="append",
            default=[],
            metavar="COLUMN",
            help="a grouping column to keep (coordinator, municipality, ...); repeat for "
            "several. Any other column the library does not know is an error",
        )
        reading.add_argument(
            "--encoding", default="utf-8", help="text encoding (default utf-8; e.g. cp1252)"
        )
        reading.add_argument(
            "--delimiter", metavar="CHAR", help="CSV delimiter (default: from the header)"
        )
        reading.add_argument(
            "--decimal",
            choices=(".", ","),
            help="decimal mark of CSV numbers (default: ',' in semicolon files, else '.')",
        )
        reading.add_argument(
            "--dayfirst",
            action="store_true",
            help="read CSV dates written dd.mm.yyyy (default: in semicolon files)",
        )
        reading.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="the day of the check: later dates are rejected (default: today)",
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
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code.

    Exit codes: 0 when every row was valid, 1 when rows were rejected (reported
    on standard error by every command that reads a file), 2 for a usage, file
    or input error (one line on standard error, no traceback).
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except pydantic.ValidationError as exc:  # a file pydantic parses (a family as JSON)
        shown = [
            f"{'.'.join(map(str, e['loc'])) or exc.title}: {e['msg']}" for e in exc.errors()[:3]
        ]
        more = exc.error_count() - len(shown)
        message = f"{exc.title}: " + "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
    except (FitScoresError, ValueError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
    except OSError as exc:  # unreadable or unwritable files, a directory given as a file, ...
        where = f"{exc.filename}: " if exc.filename else ""
        message = f"{where}{exc.strerror or exc}"
    except MemoryError:
        message = "out of memory; split the file or use --dask / --workers"
    except RecursionError:
        message = "the input is nested too deeply to be read"
    parser.exit(2, f"fit-scores: error: {message}\n")
    raise AssertionError("unreachable")  # pragma: no cover


def _run(args: argparse.Namespace) -> int:
    if args.command == "demo":
        return _demo(args.out, normalise_locale(args.locale))
    if args.command == "schema":
        return _schema()
    if args.command == "report-family":
        from fit_scores.report import write_family_report

        if args.out.suffix.lower() != ".html":
            raise CliError(f"{args.out}: the family report is an .html file")
        write_family_report(
            args.file, args.out, locale=normalise_locale(args.locale), as_of=args.as_of
        )
        print(f"Wrote {args.out}", file=sys.stderr)
        return 0
    options = ReadOptions.from_args(args)
    if args.command == "validate":
        return _validate(args.file, args.out, options)
    if args.command in ("summarize", "report") and (args.dask or args.workers):
        from fit_scores.scaleout.command import run_command

        fmt = _table_format(args.out)
        result, n_input, n_rejected = run_command(args)
        _write(_as(result, fmt), args.out)
        return _say_count(n_rejected, n_input, args.command)
    if args.command == "summarize":
        return _summarize(args.file, args.out, options)
    if args.command == "report":
        return _report(args.file, args.by, args.out, args.min_cell, options)
    if args.command == "chart":
        return _chart(args.file, args.person, args.out, options, args.format)
    raise AssertionError(f"unhandled command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
