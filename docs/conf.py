"""Sphinx configuration for fit_scores."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import defaults_page  # noqa: E402

import fit_scores  # noqa: E402

project = "fit_scores"
author = "fit_scores developers"
copyright = "2026, fit_scores developers"
release = fit_scores.__version__
version = release

extensions = ["sphinx.ext.autodoc", "numpydoc"]
exclude_patterns = ["_build"]
html_theme = "pydata_sphinx_theme"
html_theme_options = {"navigation_with_keys": False}
html_last_updated_fmt = None
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
autodoc_typehints = "none"
autodoc_member_order = "bysource"
nitpicky = False

(HERE / "generated").mkdir(exist_ok=True)
_page = HERE / "generated" / "defaults.rst"
_text = defaults_page.render()
if not _page.exists() or _page.read_text(encoding="utf-8") != _text:
    _page.write_text(_text, encoding="utf-8")
