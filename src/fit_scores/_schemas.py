"""JSON Schemas of the public models, as committed under ``schemas/``.

Regenerate after an intended model change with::

    python -m fit_scores._schemas schemas
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from fit_scores.alliance import AllianceRules, AllianceSignal
from fit_scores.change import (
    CategorySummary,
    ChangeResult,
    EffectSize,
    GroupAnchorResult,
    PersonChange,
)
from fit_scores.goals import FamilyPlan, Goal, GoalAttainment, GoalRating
from fit_scores.instruments.results import InstrumentScore
from fit_scores.living_conditions import (
    HouseholdIncome,
    Housing,
    LeisureParticipation,
    UpperSecondary,
    WorkActivity,
)
from fit_scores.records import Administration, Family, Person, Track
from fit_scores.scales.instrument import Instrument, ReferenceSeries
from fit_scores.scales.model import Scale

__all__ = ["PUBLIC_MODELS", "schema_files"]

PUBLIC_MODELS: dict[str, type[BaseModel]] = {
    "Administration": Administration,
    "AllianceRules": AllianceRules,
    "AllianceSignal": AllianceSignal,
    "CategorySummary": CategorySummary,
    "ChangeResult": ChangeResult,
    "EffectSize": EffectSize,
    "Family": Family,
    "GroupAnchorResult": GroupAnchorResult,
    "Instrument": Instrument,
    "InstrumentScore": InstrumentScore,
    "Person": Person,
    "PersonChange": PersonChange,
    "ReferenceSeries": ReferenceSeries,
    "Scale": Scale,
    "Track": Track,
    # the yearly mapping and the family's plan (issue 11)
    "FamilyPlan": FamilyPlan,
    "Goal": Goal,
    "GoalAttainment": GoalAttainment,
    "GoalRating": GoalRating,
    "HouseholdIncome": HouseholdIncome,
    "Housing": Housing,
    "LeisureParticipation": LeisureParticipation,
    "UpperSecondary": UpperSecondary,
    "WorkActivity": WorkActivity,
}


def schema_files() -> dict[str, str]:
    """File name -> JSON text of the validation schema of every public model."""
    return {
        f"{name}.json": json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"
        for name, model in PUBLIC_MODELS.items()
    }


def main(argv: list[str]) -> int:
    """Write the schema files into the folder ``argv[0]``."""
    if len(argv) != 1:
        print("usage: python -m fit_scores._schemas FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schema_files().items():
        (folder / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
