"""Service rendering: deterministic bytes, no metadata, escaped text, thread safety."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.figure import Figure

from fit_scores import errors as fs_errors
from fit_scores.charts._render import FORMATS, _stable_svg, new_figure, render

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = '<script>alert("x&y")</script> \' --> ]]> <!-- &amp; <b>'


def build(seed: int) -> Figure:
    """A small figure whose content depends on *seed*: lines, markers, hatches, text, image."""
    rng = np.random.default_rng(seed)
    fig = new_figure(4.0, 3.0, dpi=60)
    ax = fig.add_subplot()
    x = np.arange(8)
    y = 20 + np.cumsum(rng.normal(0, 2, size=8))
    ax.plot(x, y, marker="osD^vPX*"[seed % 8], label=f"Person {seed} \N{EN DASH} Ærlig")
    ax.fill_between(x, y - 2, y + 2, alpha=0.2, hatch="//" if seed % 2 else None)
    ax.scatter(x, y + 3, s=20 + seed, marker="s", clip_on=True)
    ax.axhline(25.0, linestyle="--")
    ax.imshow(rng.random((4, 4)), extent=(0, 2, 0, 2), aspect="auto", interpolation="nearest")
    ax.set_title(f"Økt {seed}: 25,0 ≥ ½")
    ax.set_ylabel(rf"$\Delta_{{{seed}}}$ score")  # mathtext: matplotlib's shared parser
    ax.legend(loc="lower right")
    return fig


def digests(seeds: range = range(2)) -> dict[str, str]:
    """sha256 of every format for a few figures (also run in subprocesses)."""
    return {
        f"{seed}.{fmt}": hashlib.sha256(render(build(seed), fmt)).hexdigest()
        for seed in seeds
        for fmt in FORMATS
    }


def rendered(seed: int) -> bytes:
    fig = build(seed)  # built inside the worker thread
    return render(fig, FORMATS[seed % 3])


# --- determinism -----------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_content_gives_same_bytes(fmt: str) -> None:
    first = render(build(1), fmt)  # type: ignore[arg-type]
    again = render(build(1), fmt)  # type: ignore[arg-type]
    assert first == again
    fig = build(1)
    assert render(fig, fmt) == render(fig, fmt) == first  # type: ignore[arg-type]
    assert render(build(2), fmt) != first  # type: ignore[arg-type]


def test_bytes_are_identical_across_processes_hash_seeds_and_source_date_epoch() -> None:
    expected = digests()
    script = "import json; from tests.test_render import digests; print(json.dumps(digests()))"
    # This process runs with a random hash seed and (normally) no SOURCE_DATE_EPOCH.
    env = {**os.environ, "PYTHONHASHSEED": "12345", "SOURCE_DATE_EPOCH": "1700000000"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == expected


def test_threads_give_the_same_bytes_as_one_by_one() -> None:
    seeds = list(range(16))  # 16 different figures, all three formats
    one_by_one = [rendered(s) for s in seeds]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(rendered, seeds))
    assert together == one_by_one
    assert len(set(together)) == len(seeds)  # the figures really differ


def test_source_date_epoch_does_not_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    without = [render(build(0), fmt) for fmt in FORMATS]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")
    assert [render(build(0), fmt) for fmt in FORMATS] == without
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert render(build(0), "svg") == without[0]
    assert render(build(0), "png") == without[1]
    # matplotlib's PDF writer parses the variable even when no date is written
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        render(build(0), "pdf")


def test_fonts_do_not_follow_global_rcparams() -> None:
    default = render(build(3), "svg")
    with mpl.rc_context({"font.family": "serif", "font.sans-serif": ["DejaVu Sans Mono"]}):
        fig = build(3)  # texts created while the global default is serif
        changed = render(fig, "svg")
    assert changed == default
    fig = new_figure()
    ax = fig.add_subplot()
    named = ax.text(0.5, 0.5, "mono", family="DejaVu Sans Mono")
    generic = ax.set_title("title", family="sans-serif")
    render(fig)
    assert named.get_fontfamily() == ["DejaVu Sans Mono"]  # an explicit choice is kept
    assert generic.get_fontfamily() == ["DejaVu Sans"]
    assert {t.get_fontfamily()[0] for t in ax.get_xticklabels()} == {"DejaVu Sans"}


# --- metadata --------------------------------------------------------------


def _savefig(fig: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt)
    return buffer.getvalue()


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return chunks


def test_plain_matplotlib_writes_metadata_we_remove(monkeypatch: pytest.MonkeyPatch) -> None:
    # What matplotlib writes by default, so the absence checks below mean something.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    svg = _savefig(build(0), "svg")
    assert b"<metadata>" in svg and b"<dc:date>" in svg
    assert b"Matplotlib v" in svg and b"https://matplotlib.org/" in svg
    assert b"tEXt" in png_chunks(_savefig(build(0), "png"))
    assert b"Software" in _savefig(build(0), "png")
    pdf = _savefig(build(0), "pdf")
    assert b"/CreationDate" in pdf and b"/Producer" in pdf and b"/Creator" in pdf


def test_svg_has_no_metadata_comments_or_software_strings() -> None:
    svg = render(build(0), "svg")
    for needle in (b"<metadata", b"dc:", b"rdf:", b"Matplotlib", b"matplotlib", b"<!--"):
        assert needle not in svg, needle
    assert re.search(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", svg) is None  # no ISO date


def test_png_has_no_text_or_time_chunks() -> None:
    png = render(build(0), "png")
    chunks = png_chunks(png)
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND"
    assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(chunks)
    assert b"Matplotlib" not in png and b"Software" not in png


def test_pdf_has_an_empty_info_dictionary() -> None:
    pdf = render(build(0), "pdf")
    for needle in (b"/Creator", b"/Producer", b"/CreationDate", b"/ModDate", b"Matplotlib"):
        assert needle not in pdf, needle
    info = re.search(rb"/Info (\d+) 0 R", pdf)
    assert info is not None
    body = re.search(rb"\n" + info.group(1) + rb" 0 obj\n(.*?)\nendobj", pdf, re.DOTALL)
    assert body is not None and body.group(1).strip() == b"<< >>"


@pytest.mark.parametrize("fmt", FORMATS)
def test_dpi_is_used(fmt: str) -> None:
    fig = build(0)
    if fmt == "png":
        small, large = render(fig, "png", dpi=50), render(fig, "png", dpi=100)
        width = struct.unpack(">I", small[16:20])[0], struct.unpack(">I", large[16:20])[0]
        assert width == (200, 400)
    else:  # vector output in points; dpi only for the rasterised image
        assert render(fig, fmt, dpi=50) != render(fig, fmt, dpi=100)  # type: ignore[arg-type]
    assert render(fig, fmt) == render(fig, fmt, dpi=60)  # type: ignore[arg-type]


# --- escaping --------------------------------------------------------------


def hostile_figure() -> Figure:
    fig = new_figure(4, 3)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label=HOSTILE, gid='line "1" <x>')
    ax.set_title(HOSTILE)
    ax.set_xlabel(HOSTILE)
    ax.text(0.5, 0.5, HOSTILE)
    ax.set_xticks([0.5], [HOSTILE])
    ax.legend()
    return fig


def test_hostile_text_is_escaped_and_the_svg_parses_as_xml() -> None:
    svg = render(hostile_figure(), "svg")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = svg.decode("utf-8")
    assert "<script" not in text.lower()
    assert "alert" not in text  # text is drawn as paths; its comment copies are dropped
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert 'line "1" <x>' in ids  # a gid set by chart code is kept (escaped)
    assert len(ids) == len(set(ids))


def test_hostile_text_is_escaped_even_as_svg_text_elements() -> None:
    # With svg.fonttype 'none' (a process-wide setting a host might use), text stays text.
    with mpl.rc_context({"svg.fonttype": "none"}):
        svg = render(hostile_figure(), "svg")
    root = ET.fromstring(svg)
    texts = ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]
    assert HOSTILE in texts  # round-trips exactly: escaped, not dropped
    assert "<script" not in svg.decode("utf-8").lower()


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_hostile_text_renders_in_other_formats(fmt: str) -> None:
    assert render(hostile_figure(), fmt).startswith(b"\x89PNG" if fmt == "png" else b"%PDF")  # type: ignore[arg-type]


# --- svg ids ---------------------------------------------------------------


def svg_ids_and_references(svg: str) -> tuple[list[str], set[str]]:
    ids = re.findall(r'\bid="([^"]*)"', svg)
    refs = {a or b for a, b in re.findall(r'url\(#([^)]*)\)|href="#([^"]*)"', svg)}
    return ids, refs


def test_svg_ids_are_stable_content_derived_and_resolve() -> None:
    first = render(build(1), "svg").decode()
    second = render(build(2), "svg").decode()
    ids1, refs1 = svg_ids_and_references(first)
    ids2, _ = svg_ids_and_references(second)
    assert refs1 and refs1 <= set(ids1)  # every reference points at an id in the file
    assert all(re.fullmatch(r"fs-[0-9a-f]{10}-\d+", i) for i in ids1)
    assert len(ids1) == len(set(ids1))
    assert not set(ids1) & set(ids2)  # two charts can be embedded in one HTML page


def test_stable_svg_renames_in_order_and_rewrites_references() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        "  <!-- a <comment> -->\n"
        ' <g id="axes_1" clip-path="url(#p1a2b)"><use xlink:href="#m9f" x="1"/>'
        '<path style="fill: url(#h77)" d="M 0 0"/></g>\n'
        ' <g id="keep.me"><a xlink:href="https://example.org/#m9f"/></g>\n'
        ' <defs><path id="m9f" d="M 0 0"/><clipPath id="p1a2b"/><pattern id="h77"/></defs>\n'
        "</svg>\n"
    )
    out = _stable_svg(svg, frozenset({"keep.me"}))
    prefix = re.search(r'id="(fs-[0-9a-f]{10}-)0"', out)
    assert prefix is not None
    p = prefix.group(1)
    assert "<!--" not in out
    # numbered in order of definition: axes_1, m9f, p1a2b, h77 (keep.me is kept)
    assert f'id="{p}0" clip-path="url(#{p}2)"' in out
    assert f'xlink:href="#{p}1"' in out and f"url(#{p}3)" in out
    assert 'id="keep.me"' in out and "https://example.org/#m9f" in out
    assert _stable_svg(svg, frozenset({"keep.me"})) == out
    ET.fromstring(out)


# --- global state, imports, arguments --------------------------------------


def test_render_does_not_change_rcparams() -> None:
    before = dict(dict.items(mpl.rcParams))
    for fmt in FORMATS:
        render(build(0), fmt)
    render(new_figure(), "svg", dpi=300)
    assert dict(dict.items(mpl.rcParams)) == before


def test_new_figure_is_a_plain_white_figure_with_its_own_canvas() -> None:
    fig = new_figure(5, 2.5, dpi=80)
    assert type(fig.canvas) is FigureCanvasBase
    assert tuple(fig.get_size_inches()) == (5.0, 2.5) and fig.dpi == 80
    assert mpl.colors.to_hex(fig.get_facecolor()) == "#ffffff"
    assert new_figure() is not new_figure()
    render(fig, "png")
    assert type(fig.canvas) is FigureCanvasBase  # the backend canvas was only borrowed


def test_import_fit_scores_does_not_import_matplotlib_but_render_does() -> None:
    script = (
        "import sys\n"
        "import fit_scores\n"
        "assert 'matplotlib' not in sys.modules, 'fit_scores imported matplotlib'\n"
        "import fit_scores.charts._render as r\n"
        "assert 'matplotlib' in sys.modules\n"
        "r.render(r.new_figure(), 'svg')\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)


@pytest.mark.parametrize("fmt", ["gif", "SVG", "", None, 1, "svgz"])
def test_bad_format_raises(fmt: Any) -> None:
    with pytest.raises(ValueError, match="format"):
        render(new_figure(), fmt)


@pytest.mark.parametrize("dpi", [0, -72, float("nan"), float("inf"), "100", True])
def test_bad_dpi_raises(dpi: Any) -> None:
    with pytest.raises(ValueError, match="dpi"):
        render(new_figure(), "png", dpi=dpi)
    with pytest.raises(ValueError, match="dpi"):
        new_figure(dpi=dpi)


@pytest.mark.parametrize("size", [(0, 3), (4, -1), (float("nan"), 3), (4, "3")])
def test_bad_size_raises(size: tuple[Any, Any]) -> None:
    with pytest.raises(ValueError, match=r"width|height"):
        new_figure(*size)


def test_render_needs_a_figure() -> None:
    fig = new_figure()
    with pytest.raises(fs_errors.ChartInputError, match="Figure"):
        render(fig.add_subplot(), "svg")  # type: ignore[arg-type]
