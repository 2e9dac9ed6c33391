"""Render the page that lists every built-in default with its source.

Called from ``conf.py`` at build time, so the page can never drift from the
definitions in ``fit_scores.scales.builtin``.
"""

from __future__ import annotations

from fit_scores import BUILTIN_SCALES, Scale, Source


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "/")


def _source(source: Source) -> str:
    verified = (
        "verified against the primary paper"
        if source.verified
        else "not verified against the primary paper"
    )
    note = f" {_cell(source.note)}" if source.note else ""
    return f"{_cell(source.citation)} ({verified}).{note}"


def _value(value: float | None) -> str:
    return "not published" if value is None else f"{value:g}"


def _rows(scale: Scale) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for cut in scale.cutoffs:
        boundary = (
            "" if cut.value is None else f" (exactly {cut.value:g} counts as {cut.at_cutoff})"
        )
        rows.append(
            (
                f"cutoff, {cut.age_band}, rated by {cut.rater}",
                _value(cut.value) + boundary,
                _source(cut.source),
            )
        )
    rc = scale.reliable_change
    if rc is not None:
        if rc.points is not None:
            value = f"{rc.points:g} points ({rc.comparison})"
        elif rc.sd is not None:
            formula = f"z {rc.z:g} x SD {rc.sd:g} x sqrt(2(1 - {rc.reliability:g}))"
            value = f"{formula} = {rc.threshold():.2f} points"
        else:
            value = "not published"
        rows.append(("reliable change", value, _source(rc.source)))
    for label, norm in (
        ("clinical norm", scale.norms.clinical),
        ("functional norm", scale.norms.functional),
    ):
        if norm is not None:
            n = "" if norm.n is None else f", N = {norm.n}"
            rows.append((label, f"mean {norm.mean:g}, SD {norm.sd:g}{n}", _source(norm.source)))
    for rel in scale.norms.reliability:
        rows.append((f"reliability ({rel.type})", f"{rel.value:g}", _source(rel.source)))
    return rows


def render() -> str:
    """The reStructuredText of the defaults page."""
    out = [
        "Built-in defaults and their sources",
        "===================================",
        "",
        "Every cutoff, reliable-change criterion, norm and reliability that ships with",
        "``fit_scores``, generated from the scale definitions at build time. None of",
        "these values has been checked against its primary paper yet; each says which",
        "secondary source states it. Where no value is published the table says so, and",
        "you supply your own with :meth:`fit_scores.Scale.with_cutoff`.",
        "",
    ]
    for scale in BUILTIN_SCALES:
        title = f"{scale.key}: {scale.name}"
        ages = f"{scale.min_age}+" if scale.max_age is None else f"{scale.min_age}-{scale.max_age}"
        out += [
            title,
            "-" * len(title),
            "",
            f"Kind: {scale.kind}. Ages {ages}. Raters: {', '.join(scale.raters)}. "
            f"Items {scale.item_min:g}-{scale.item_max:g} in steps of {scale.resolution:g}, "
            f"{scale.scoring} {scale.total_min:g}-{scale.total_max:g}; "
            f"{'higher' if scale.higher_is_better else 'lower'} is better.",
            "",
            f"Instrument: {_source(scale.source)}",
            "",
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 25 25 50",
            "",
            "   * - Quantity",
            "     - Value",
            "     - Source",
        ]
        for quantity, value, source in _rows(scale):
            out += [f"   * - {quantity}", f"     - {value}", f"     - {source}"]
        out.append("")
    return "\n".join(out)
