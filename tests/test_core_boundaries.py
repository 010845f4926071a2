"""The core is a library: it never imports the web framework or the command-line toolkit."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "src" / "oretrace"
FACES = {"cli", "web"}
FORBIDDEN = {"django", "typer", "rich", "click"}


def _imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_it_keeps_django_typer_and_rich_out_of_the_core():
    offenders = {}
    for path in CORE.rglob("*.py"):
        relative = path.relative_to(CORE)
        if relative.parts[0] in FACES:
            continue
        bad = _imported_top_level_modules(path) & FORBIDDEN
        if bad:
            offenders[str(relative)] = sorted(bad)
    assert offenders == {}
