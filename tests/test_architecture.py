"""The package's shape, enforced: one sub-package per stage, imports only downward, no import
cycle, no import hidden inside a function, at most a dozen base modules beside the stages."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "convenantgen"
STAGES = {"text", "model", "checks", "read", "context", "render", "site", "build", "authoring"}
STAGES |= {"cli"}


def test_layers_contract_holds():
    """import-linter's layers contract in pyproject.toml (the order of the stages)."""
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle():
    """Every import counts, also one inside a function (grimp sees those too)."""
    graph = grimp.build_graph("convenantgen")
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _imports_inside_functions(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for func in ast.walk(ast.parse(source)):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            own = isinstance(node, ast.ImportFrom) and (
                node.level > 0 or (node.module or "").startswith("convenantgen")
            )
            before = lines[node.lineno - 2] if node.lineno > 1 else ""
            said = "# heavy" in lines[node.lineno - 1] or before.strip().startswith("# heavy")
            # Only a heavy third-party library may load late, and the comment says why.
            if own or not said:
                found.append((node.lineno, lines[node.lineno - 1].strip()))
    # A module loaded by name is an import too. Only the CLI, the top layer, may load its own
    # stages late (the COMMANDS loader, the build stage after "nothing changed"): from there
    # every import points down, so a late load cannot hide a cycle.
    if path.parent.name != "cli":
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute | ast.Name)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            ):
                found.append((node.lineno, lines[node.lineno - 1].strip()))
    return found


def test_no_import_inside_a_function():
    hidden = {
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, text in _imports_inside_functions(path)
    }
    assert hidden == set()


def test_the_hidden_import_finder_finds_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from .site import x\n\n"
        "def g():\n    # heavy: pyHanko loads its crypto stack\n    import pyhanko\n\n"
        "def h():\n    import pypdf\n\n"
        "def k():\n    return importlib.import_module('convenantgen.site')\n",
        encoding="utf-8",
    )
    assert [line for line, _ in _imports_inside_functions(sample)] == [2, 9, 12]


def test_only_the_cli_loads_a_module_by_name(tmp_path):
    cli = tmp_path / "pkg" / "cli"
    cli.mkdir(parents=True)
    sample = cli / "build.py"
    sample.write_text(
        "def f():\n    return importlib.import_module('convenantgen.build.run')\n",
        encoding="utf-8",
    )
    assert _imports_inside_functions(sample) == []


def test_stages_are_folders_with_few_base_modules():
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders >= STAGES
    base = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(base) <= 12, base


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_each_stage_says_what_it_is(stage):
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text("utf-8")))
    assert doc and len(doc) > 30, f"{stage}/__init__.py needs a docstring saying its job"
