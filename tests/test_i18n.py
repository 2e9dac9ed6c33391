from __future__ import annotations

import re

import pytest

from fit_scores import i18n
from fit_scores._core.change import CATEGORIES
from fit_scores.alliance import SignalRule

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def test_catalogs_have_the_same_keys_and_placeholders_and_no_empty_strings() -> None:
    keys = {loc: set(cat) for loc, cat in i18n.CATALOGS.items()}
    assert keys["nb"] == keys["nn"] == keys["en"]
    for key in keys["nb"]:
        texts = [i18n.CATALOGS[loc][key] for loc in ("nb", "nn", "en")]
        assert all(t.strip() for t in texts), key
        assert len({tuple(sorted(PLACEHOLDER.findall(t))) for t in texts}) == 1, key


def test_every_category_and_signal_has_a_message() -> None:
    for category in CATEGORIES:
        assert i18n.message(f"change.category.{category}", "en")
    for rule in SignalRule.__args__:  # type: ignore[attr-defined]
        assert i18n.message(f"alliance.{rule}", "nn")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("no", "nb"),
        ("nb-NO", "nb"),
        ("nb_NO", "nb"),
        ("NB", "nb"),
        ("nn-NO", "nn"),
        ("en_GB.UTF-8", "en"),
    ],
)
def test_locale_names_are_normalised(given: str, expected: str) -> None:
    assert i18n.normalise_locale(given) == expected


def test_unknown_locale_and_message() -> None:
    with pytest.raises(ValueError, match="unsupported locale 'sv'"):
        i18n.normalise_locale("sv")
    with pytest.raises(KeyError, match="unknown message id"):
        i18n.message("nope")
