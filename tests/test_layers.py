"""The house rules of the source tree, checked on the code itself.

- No module reads another module's private names: no ``from x import _name``
  and no ``alias._name`` on an imported fit_scores module.
- Imports point downwards: ``_core`` imports nothing of the library but
  ``scales.model`` and ``errors`` (and itself); ``errors`` and ``scales``
  import no layer above them.
- Every module does one job: none is much over 1,000 lines.
- The exceptions live in one module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "fit_scores"
MODULES = sorted(SRC.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(tree: ast.Module) -> list[tuple[str, str | None]]:
    """(module, name) of every fit_scores import; name None for ``import x``."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("fit_scores"):
                found.extend((node.module, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend(
                (alias.name, None) for alias in node.names if alias.name.startswith("fit_scores")
            )
    return found


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_no_private_names_of_other_modules(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = module_name(path)
    bad = [
        f"from {mod} import {name}"
        for mod, name in imports(tree)
        if name is not None and name.startswith("_") and mod != me
    ]
    # module aliases (from fit_scores import x as _x; import fit_scores.y as _y)
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("fit_scores")
        ):
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if (SRC.parent / Path(*target.split("."))).exists() or (
                    SRC.parent / Path(*target.split("."))
                ).with_suffix(".py").exists():
                    aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("fit_scores") and alias.asname:
                    aliases.add(alias.asname)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            bad.append(f"{node.value.id}.{node.attr} (line {node.lineno})")
    assert not bad, f"{me} reads private names of other modules: {bad}"


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if module_name(p).startswith("fit_scores._core")],
    ids=lambda p: module_name(p),
)
def test_core_imports_only_the_ground_floor(path: Path) -> None:
    allowed = ("fit_scores._core", "fit_scores.scales.model", "fit_scores.errors")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    outside = [mod for mod, _ in imports(tree) if not any(mod.startswith(a) for a in allowed)]
    assert not outside, f"{module_name(path)} imports {outside}"


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if module_name(p).split(".")[1:2] in (["errors"], ["scales"])],
    ids=lambda p: module_name(p),
)
def test_ground_floor_imports_no_upper_layer(path: Path) -> None:
    allowed = (
        "fit_scores.errors",
        "fit_scores.scales",
        "fit_scores._core.ticks",
        "fit_scores._model",
    )
    tree = ast.parse(path.read_text(encoding="utf-8"))
    resolved = [mod if name is None else f"{mod}.{name}" for mod, name in imports(tree)]
    outside = [mod for mod in resolved if not any(mod.startswith(a) for a in allowed)]
    assert not outside, f"{module_name(path)} imports {outside}"


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_modules_do_one_job(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 1050, f"{module_name(path)} has {lines} lines; split it by job"


def test_exceptions_live_in_errors() -> None:
    defined = []
    for path in MODULES:
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id.endswith(("Error", "Exception"))
                for b in node.bases
            ):
                defined.append(f"{module_name(path)}.{node.name}")
    # a private control-flow signal inside the tokenizer is not an error of the library
    assert defined == ["fit_scores.io.tokenizer._UseCsvModule"], defined
