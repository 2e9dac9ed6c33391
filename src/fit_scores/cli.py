"""The ``fit-scores`` command line.

For now one command, ``demo``, which summarises the bundled synthetic example
family as text and writes the summary and the family as JSON to a folder.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

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


def _demo(out: Path) -> int:
    family = example_family()
    text = summarize_family(family)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.txt").write_text(text + "\n", encoding="utf-8")
    (out / "family.json").write_text(family.model_dump_json(indent=2) + "\n", encoding="utf-8")
    print(text)
    print(f"\nWrote {out / 'summary.txt'} and {out / 'family.json'}", file=sys.stderr)
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
            "Summarise the bundled synthetic example family (scores, cutoffs by age "
            "band) and write summary.txt and family.json to OUT."
        ),
    )
    demo.add_argument("--out", type=Path, required=True, metavar="OUT", help="output folder")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "demo":
        return _demo(args.out)
    raise AssertionError(f"unhandled command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
