"""Colour accessibility: the helpers against published values, and the palettes.

Palette rules (the style module's promise):

- Every colour used for data marks has a contrast of at least 3:1 against the
  white background (WCAG 2.1 SC 1.4.11, non-text contrast); colours also used
  for text ("text", "muted") at least 4.5:1 (SC 1.4.3).
  ``COLOURS["band"]`` and ``COLOURS["rc_band"]`` are excluded: they are only
  drawn as translucent area fills behind the data (alpha about 0.1-0.2), which
  are context, not marks that must be found, and no translucent tint light
  enough to keep the data readable on top of it could reach 3:1. The data
  drawn over them is tested.
- Within ``CATEGORY_COLOURS`` and within ``STATUS_COLOURS`` every pair differs
  by at least ``MIN_DELTA_E00 = 10`` (CIEDE2000) in normal vision and under
  simulated protanomaly, deuteranomaly and tritanomaly at every severity from
  0.1 to 1.0 (Machado et al. 2009; 1.0 is dichromacy, 0.6 an anomalous
  trichromat), tested explicitly at 0.6 and 1.0.

  Why 10: a CIEDE2000 difference of about 1 is a just-noticeable difference
  for large patches seen side by side (the scale is built that way; Sharma,
  Wu & Dalal 2005). Chart marks are small and seen apart, and the difference
  needed to tell colours apart grows steeply as marks get smaller (Stone,
  Szafir & Setlur 2014, "An engineering model for color difference as a
  function of size", Color and Imaging Conference; Szafir 2018, "Modeling
  color difference for visualization design", IEEE TVCG 24(1), 392-401).
  An order of magnitude above the JND is the usual working rule for
  categorical colours that are clearly distinguishable, not just noticeable.
- Every category and status also has its own marker, so meaning never
  depends on colour alone.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from fit_scores.charts._accessibility import (
    _MACHADO,
    CVD_KINDS,
    _ciede2000,
    _linear_to_lab,
    _parse,
    _to_linear,
    contrast_ratio,
    delta_e,
    min_pairwise_delta_e,
    relative_luminance,
    simulate_cvd,
)
from fit_scores.charts._style import (
    BACKGROUND,
    CATEGORY_COLOURS,
    CATEGORY_MARKERS,
    COLOURS,
    STATUS_COLOURS,
    STATUS_MARKERS,
)

MIN_CONTRAST_MARKS = 3.0
MIN_CONTRAST_TEXT = 4.5
MIN_DELTA_E00 = 10.0
TRANSLUCENT_FILLS = frozenset({"band", "rc_band"})
TEXT_COLOURS = frozenset({"text", "muted"})
PALETTES = {"CATEGORY_COLOURS": CATEGORY_COLOURS, "STATUS_COLOURS": STATUS_COLOURS}
CONDITIONS: list[tuple[str | None, float]] = [(None, 0.0)] + [
    (kind, severity) for kind in CVD_KINDS for severity in (0.6, 1.0)
]

# Sharma, Wu & Dalal (2005), Table 1: L*a*b* pairs and their CIEDE2000 difference.
SHARMA_2005 = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, -1.3802, -84.2814), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -1.1848, -84.8006), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -0.9009, -85.5211), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, -1.0000, 2.0000), (50.0000, 0.0000, 0.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0010), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0012), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0009, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0010, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0011, -2.4900), 4.7461),
    ((50.0000, 2.5000, 0.0000), (50.0000, 0.0000, -2.5000), 4.3065),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((50.0000, 2.5000, 0.0000), (58.0000, 24.0000, 15.0000), 19.4535),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2972, 0.0000), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 1.8634, 0.5757), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


# --- the helpers against published values -------------------------------------


def test_ciede2000_reproduces_all_34_sharma_pairs() -> None:
    lab1 = np.array([p[0] for p in SHARMA_2005])
    lab2 = np.array([p[1] for p in SHARMA_2005])
    want = np.array([p[2] for p in SHARMA_2005])
    np.testing.assert_allclose(_ciede2000(lab1, lab2), want, atol=5e-5)
    np.testing.assert_allclose(_ciede2000(lab2, lab1), want, atol=5e-5)  # symmetric
    np.testing.assert_array_equal(_ciede2000(lab1, lab1), 0.0)


def test_wcag_luminance_and_contrast_examples() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == 21.0
    assert contrast_ratio("#FFFFFF", "#000") == 21.0
    assert contrast_ratio("#0072B2", "#0072B2") == 1.0
    # #767676 is the lightest grey with 4.5:1 on white; #777777 just fails.
    assert round(contrast_ratio("#767676", "#FFFFFF"), 2) == 4.54
    assert round(contrast_ratio("#777777", "#FFFFFF"), 2) == 4.48
    assert relative_luminance("#FF0000") == pytest.approx(0.2126)
    assert relative_luminance("#00FF00") == pytest.approx(0.7152)
    assert relative_luminance("#0000FF") == pytest.approx(0.0722)
    assert relative_luminance("#fff") == relative_luminance("#FFFFFF") == 1.0


@pytest.mark.parametrize(
    ("colour", "lab"),
    [
        ("#FFFFFF", (100.0, 0.0, 0.0)),
        ("#000000", (0.0, 0.0, 0.0)),
        ("#808080", (53.59, 0.0, 0.0)),
        ("#FF0000", (53.24, 80.09, 67.20)),
        ("#00FF00", (87.73, -86.18, 83.18)),
        ("#0000FF", (32.30, 79.19, -107.86)),
    ],
)
def test_srgb_to_cielab_d65(colour: str, lab: tuple[float, float, float]) -> None:
    got = _linear_to_lab(_to_linear(_parse(colour)))
    np.testing.assert_allclose(got, lab, atol=0.05)


def test_delta_e_of_hex_colours() -> None:
    assert delta_e("#009E73", "#009E73") == 0.0
    assert delta_e("#000000", "#FFFFFF") == pytest.approx(100.0)
    assert delta_e("#D55E00", "#009E73") == pytest.approx(delta_e("#009E73", "#D55E00"))


def test_machado_matrices_are_as_published() -> None:
    for kind in CVD_KINDS:
        table = _MACHADO[kind]
        assert table.shape == (11, 3, 3)
        np.testing.assert_array_equal(table[0], np.eye(3))
        # every published matrix maps white to white (rows sum to 1 within rounding)
        np.testing.assert_allclose(table.sum(axis=2), 1.0, atol=2e-6)
    # spot checks against the supplementary table (severity 1.0, first row)
    np.testing.assert_array_equal(_MACHADO["protanomaly"][10][0], [0.152286, 1.052583, -0.204868])
    np.testing.assert_array_equal(_MACHADO["deuteranomaly"][10][0], [0.367322, 0.860646, -0.227968])
    np.testing.assert_array_equal(_MACHADO["tritanomaly"][10][0], [1.255528, -0.076749, -0.178779])


def test_simulation_keeps_greys_and_collapses_the_classic_confusions() -> None:
    greys = ["#000000", "#555555", "#808080", "#FFFFFF"]
    for kind in CVD_KINDS:
        assert simulate_cvd(greys, kind) == greys
        assert simulate_cvd(["#D55E00", "#0072B2"], kind, severity=0) == ["#D55E00", "#0072B2"]
    red, green = "#D03020", "#40A030"
    normal = delta_e(red, green)
    assert min_pairwise_delta_e([red, green], "deuteranomaly") < 0.5 * normal
    assert min_pairwise_delta_e([red, green], "protanomaly") < 0.5 * normal
    assert min_pairwise_delta_e([red, green], "tritanomaly") > 0.6 * normal
    blue, teal = "#3060D0", "#30A080"  # a tritan confusion pair
    assert min_pairwise_delta_e([blue, teal], "tritanomaly") < 0.6 * delta_e(blue, teal)


def test_severity_interpolates_between_published_steps() -> None:
    colours = ["#D55E00", "#009E73", "#0072B2"]
    for kind in CVD_KINDS:
        d5 = min_pairwise_delta_e(colours, kind, 0.5)
        d6 = min_pairwise_delta_e(colours, kind, 0.6)
        d55 = min_pairwise_delta_e(colours, kind, 0.55)
        assert min(d5, d6) - 1.0 <= d55 <= max(d5, d6) + 1.0
    # hex rounding of the simulated colours changes the difference only slightly
    rounded = simulate_cvd(colours, "deuteranomaly", 0.6)
    exact = min_pairwise_delta_e(colours, "deuteranomaly", 0.6)
    assert min_pairwise_delta_e(rounded) == pytest.approx(exact, abs=0.5)


@pytest.mark.parametrize("bad", ["", "#12345", "#GGGGGG", "123456", "#1234567", "red"])
def test_bad_colours_raise(bad: str) -> None:
    with pytest.raises(ValueError, match="colour"):
        relative_luminance(bad)
    with pytest.raises(ValueError, match="colour"):
        simulate_cvd([bad], "deuteranomaly")


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match="kind"):
        simulate_cvd(["#000000"], "deuteranopia")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kind"):
        min_pairwise_delta_e(["#000000", "#FFFFFF"], "achromatopsia")
    for severity in (-0.1, 1.1, float("nan"), True):
        with pytest.raises(ValueError, match="severity"):
            simulate_cvd(["#000000"], "protanomaly", severity=severity)
    with pytest.raises(ValueError, match="at least two"):
        min_pairwise_delta_e(["#000000"])
    with pytest.raises(ValueError, match="sequence"):
        simulate_cvd("#000000", "protanomaly")
    assert simulate_cvd([], "tritanomaly") == []


# --- the palettes ---------------------------------------------------------------


def data_mark_colours() -> dict[str, str]:
    return {k: v for k, v in COLOURS.items() if k not in TRANSLUCENT_FILLS}


def test_the_excluded_colours_are_the_translucent_fills() -> None:
    assert COLOURS.keys() >= TRANSLUCENT_FILLS
    assert COLOURS.keys() >= TEXT_COLOURS
    assert BACKGROUND.upper() == "#FFFFFF"


@pytest.mark.parametrize(
    ("name", "colour"),
    [
        *((f"COLOURS[{k!r}]", v) for k, v in data_mark_colours().items()),
        *((f"CATEGORY_COLOURS[{k!r}]", v) for k, v in CATEGORY_COLOURS.items()),
        *((f"STATUS_COLOURS[{k!r}]", v) for k, v in STATUS_COLOURS.items()),
    ],
)
def test_data_mark_colours_have_3_to_1_contrast_on_white(name: str, colour: str) -> None:
    ratio = contrast_ratio(colour, BACKGROUND)
    assert ratio >= MIN_CONTRAST_MARKS, f"{name} = {colour}: {ratio:.2f}:1"


@pytest.mark.parametrize("key", sorted(TEXT_COLOURS))
def test_text_colours_have_4_5_to_1_contrast_on_white(key: str) -> None:
    assert contrast_ratio(COLOURS[key], BACKGROUND) >= MIN_CONTRAST_TEXT


def _worst_pair(palette: dict[str, str], kind: str | None, severity: float) -> str:
    pairs = [
        (min_pairwise_delta_e([palette[a], palette[b]], kind, severity), a, b)
        for a, b in itertools.combinations(palette, 2)
    ]
    d, a, b = min(pairs)
    return f"{a} {palette[a]} vs {b} {palette[b]}: {d:.1f}"


@pytest.mark.parametrize("palette_name", sorted(PALETTES))
@pytest.mark.parametrize(
    ("kind", "severity"), CONDITIONS, ids=[f"{k or 'normal'}-{s}" for k, s in CONDITIONS]
)
def test_palette_colours_are_distinguishable(
    palette_name: str, kind: str | None, severity: float
) -> None:
    palette = PALETTES[palette_name]
    d = min_pairwise_delta_e(list(palette.values()), kind, severity)
    worst = _worst_pair(palette, kind, severity)
    assert d >= MIN_DELTA_E00, f"{palette_name}, {kind} {severity}: {worst}"


@pytest.mark.parametrize("palette_name", sorted(PALETTES))
def test_palette_colours_are_distinguishable_at_every_published_severity(
    palette_name: str,
) -> None:
    colours = list(PALETTES[palette_name].values())
    for kind in CVD_KINDS:
        for step in range(1, 11):
            d = min_pairwise_delta_e(colours, kind, step / 10)
            assert d >= MIN_DELTA_E00, (kind, step / 10, round(d, 2))


@pytest.mark.parametrize(
    ("colours", "markers"),
    [(CATEGORY_COLOURS, CATEGORY_MARKERS), (STATUS_COLOURS, STATUS_MARKERS)],
    ids=["categories", "statuses"],
)
def test_every_category_and_status_has_its_own_marker(
    colours: dict[str, str], markers: dict[str, str]
) -> None:
    assert markers.keys() == colours.keys()
    assert len(set(markers.values())) == len(markers)
    from matplotlib.markers import MarkerStyle

    for marker in markers.values():
        assert np.asarray(MarkerStyle(marker).get_path().vertices).size > 0  # a visible marker
    assert all(math.isfinite(contrast_ratio(c, BACKGROUND)) for c in colours.values())


# --- the conversation charts (issue 10) -------------------------------------------


def test_raters_have_one_distinct_colour_line_style_and_marker() -> None:
    from fit_scores.charts._style import RATER_STYLES

    colours, styles, markers = zip(*RATER_STYLES.values(), strict=True)
    for values in (colours, styles, markers):
        assert len(set(values)) == len(RATER_STYLES)  # each alone tells the raters apart
    for colour in colours:
        assert contrast_ratio(colour, BACKGROUND) >= MIN_CONTRAST_MARKS
    for kind, severity in CONDITIONS:
        assert min_pairwise_delta_e(list(colours), kind, severity) >= MIN_DELTA_E00 / 2, kind


def test_verdicts_are_words_with_distinct_icons_in_text_contrast() -> None:
    from matplotlib import ft2font
    from matplotlib.font_manager import FontProperties, findfont

    from fit_scores.charts._style import FONT_FAMILY, VERDICT_COLOURS, VERDICT_ICONS
    from fit_scores.i18n import message

    glyphs = ft2font.FT2Font(findfont(FontProperties(family=FONT_FAMILY))).get_charmap()
    assert len(set(VERDICT_ICONS.values())) == len(VERDICT_ICONS)
    for key, icon in VERDICT_ICONS.items():
        assert ord(icon) in glyphs  # drawn, never a missing-glyph box
        assert contrast_ratio(VERDICT_COLOURS[key], BACKGROUND) >= MIN_CONTRAST_TEXT
        for locale in ("nb", "nn", "en"):
            assert message(f"verdict.{key}", locale)
