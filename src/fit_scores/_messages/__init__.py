"""Message catalogs, one module per part of the library.

Each module defines ``MESSAGES = {"nb": {...}, "nn": {...}, "en": {...}}`` with
message ids under its own prefix; :mod:`fit_scores.i18n` merges them and a test
checks that every locale has the same keys and placeholders.
"""
