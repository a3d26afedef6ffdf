"""The layers hold: domain ← projections ← service ← {web, cli}; no framework below the entry
points; `serve` is the only command that imports `web`; the CLI's modules import no cycle."""

from __future__ import annotations

from tests.tools.import_graph import FRAMEWORKS, ROOT, edges, files, imports, module_of

# What each package may import of the others.
ALLOWED = {
    "domain": set(),
    "documents": {"domain"},
    "projections": {"domain", "documents"},
    "service": {"domain", "documents", "projections"},
    "web": {"domain", "documents", "projections", "service"},
    "cli": {"domain", "documents", "projections", "service", "web"},
}
CORE = ("domain", "documents", "projections", "service")


def test_the_core_imports_no_framework_and_no_entry_point() -> None:
    wrong = {
        f"{package} imports {used}: {', '.join(where)}"
        for (package, used), where in edges().items()
        if package in CORE and (used in FRAMEWORKS or used in ("web", "cli"))
    }
    assert not wrong, sorted(wrong)


def test_each_package_imports_only_the_layers_below() -> None:
    wrong = {
        f"{package} imports {used}: {', '.join(where)}"
        for (package, used), where in edges().items()
        if used not in FRAMEWORKS and used not in ALLOWED[package]
    }
    assert not wrong, sorted(wrong)


def test_serve_is_the_only_command_that_imports_web() -> None:
    importers = {where.split(":")[0] for where in edges().get(("cli", "web"), [])}
    assert importers == {"cli/serve.py"}


def test_the_cli_modules_import_no_cycle() -> None:
    # The group (cli/__init__) imports every command module; those import cli.common only.
    graph = {
        module_of(path): {
            m
            for m, _line in imports(path)
            if m.startswith("cli.") and m in {module_of(p) for p in files("cli")}
        }
        for path in files("cli")
    }
    for module, used in graph.items():
        if module == "cli":
            continue
        assert used <= {"cli.common"}, f"{module} imports {sorted(used - {'cli.common'})}"
        if module == "cli.common":
            assert not used


def test_the_walk_sees_late_imports() -> None:
    # A guard on the guard: `serve` imports web inside its function body, not at the top.
    assert any(m == "web" for m, _line in imports(ROOT / "cli" / "serve.py"))
