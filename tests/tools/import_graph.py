"""The layer graph of the project's packages, read from their imports with ast (`python -m
tests.tools.import_graph` prints it); tests/test_layers.py holds it to the layering rules."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "documents", "projections", "service", "web", "cli")
# Entry-point frameworks: only web/ and cli/ may use them.
FRAMEWORKS = ("click", "flask", "flask_babel", "flask_login", "flask_wtf", "werkzeug")


def imports(path: Path) -> Iterator[tuple[str, int]]:
    """Every module a file imports (absolute names; relative ones resolved), with its line, at
    any depth: a function's late import counts as much as one at the top."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield module, node.lineno
            for alias in node.names:  # `from cli import serve` imports the module cli.serve
                yield f"{module}.{alias.name}", node.lineno


def files(package: str) -> list[Path]:
    """The Python files of one package."""
    return sorted((ROOT / package).rglob("*.py"))


def module_of(path: Path) -> str:
    """The dotted name of a file."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def edges() -> dict[tuple[str, str], list[str]]:
    """(importer package, imported package or framework) → where, as `file:line`."""
    found: dict[tuple[str, str], list[str]] = {}
    for package in PACKAGES:
        for path in files(package):
            for module, line in imports(path):
                top = module.split(".")[0]
                if top != package and (top in PACKAGES or top in FRAMEWORKS):
                    where = f"{path.relative_to(ROOT)}:{line}"
                    seen = found.setdefault((package, top), [])
                    if where not in seen:  # `from web import x` names web and web.x
                        seen.append(where)
    return found


def main() -> int:
    """Print each package and what it imports of the others (and of the frameworks)."""
    graph = edges()
    for package in PACKAGES:
        uses = sorted({b for (a, b) in graph if a == package})
        print(f"{package} → {', '.join(uses) or '(nothing)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
