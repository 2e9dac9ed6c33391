"""The README's Python example runs and says what it claims."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_blocks_run_and_their_comments_hold() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    a = namespace["a"]
    assert a.total == 25.0 and a.clinical is False  # type: ignore[attr-defined]
    result = namespace["result"]
    assert (result.category, result.label("nb")) == (  # type: ignore[attr-defined]
        "recovered",
        "Tydelig bedring, nå over grensen",
    )
    table = namespace["table"]
    assert table.counts()["recovered"] == 1  # type: ignore[attr-defined]


def test_readme_has_exactly_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    commands = [line for line in text.splitlines() if line.startswith("python3 -m venv")]
    assert len(commands) == 2
    assert "fit-scores demo --out" in commands[0]
    assert commands[1].endswith("-m pytest")
