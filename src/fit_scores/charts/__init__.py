"""Charts for coordinators and researchers (matplotlib, imported only here).

Importing :mod:`fit_scores` does not import matplotlib; importing
``fit_scores.charts`` does.
"""
