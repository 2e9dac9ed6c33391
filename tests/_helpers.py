from __future__ import annotations

from pydantic import ValidationError

from fit_scores import FitScoresError


def fit_error(exc: ValidationError) -> FitScoresError:
    """The single FitScoresError behind a pydantic ValidationError."""
    found = [e["ctx"]["error"] for e in exc.errors() if "error" in e.get("ctx", {})]
    assert len(found) == 1, exc.errors()
    err = found[0]
    assert isinstance(err, FitScoresError), err
    return err
