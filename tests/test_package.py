"""The package's shape: what is public, and that its modules import each other in one direction.

Public modules are the ones the README names (``cloud``, ``cloud.sync``, ``cloud.testing``,
``cloud.pytest_plugin``, ``cloud.emulator`` with ``cloud.emulator.server``, ``cloud.catalog``,
``cloud.errors``, ``cloud.stubgen``); every other module's name starts with ``_``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import cloud

PACKAGE = Path(cloud.__file__).parent
README = (PACKAGE.parent / "README.md").read_text("utf-8")
PUBLIC = {
    "cloud", "cloud.sync", "cloud.testing", "cloud.pytest_plugin", "cloud.emulator", "cloud.emulator.server",
    "cloud.catalog", "cloud.errors", "cloud.stubgen", "cloud.__main__",
}  # fmt: skip
MODULES_AND_LOGGERS = {"sync", "testing", "emulator", "catalog", "errors", "stubgen", "pytest_plugin", "call", "config",
                       "tokens"}  # fmt: skip


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def test_every_module_the_readme_does_not_name_is_private() -> None:
    for name in modules():
        if name in PUBLIC:
            path = name.replace(".", "/") + ".py"
            assert name == "cloud.__main__" or name in README or path in README, f"{name} is public but undocumented"
        else:
            assert any(part.startswith("_") for part in name.split(".")[1:]), (
                f"{name} is neither documented nor private"
            )


def test_all_names_what_the_readme_documents_and_nothing_else() -> None:
    documented = set(re.findall(r"`(?:await )?cloud\.([A-Za-z_]\w*)", README)) - MODULES_AND_LOGGERS
    assert documented == set(cloud.__all__) - {"Cloud"}, documented ^ set(cloud.__all__)
    assert all(hasattr(cloud, name) for name in cloud.__all__)


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of the package ``name`` imports, anywhere in it (imports for type checkers too)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_Import(self, node: ast.Import) -> None:
            found.update(alias.name for alias in node.names)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.add(full if full in known else module)

    Visitor().visit(ast.parse(path.read_text("utf-8")))
    return {m for m in found if m in known and m != name}


def test_no_import_circles() -> None:
    known = modules()
    graph = {name: _imports(name, path, known) for name, path in known.items()}
    circles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert circles == []
    assert sum(len(edges) for edges in graph.values()) > 50  # the graph was read


def test_the_house_has_at_most_twelve_floors_and_twelve_modules_at_its_door() -> None:
    """A module's floor is one above the highest it imports (a leaf is floor 1): a reader follows a
    call down at most twelve rooms, and ``ls cloud`` shows the public modules and the rooms."""
    known = modules()
    graph = {name: _imports(name, path, known) for name, path in known.items()}
    floors: dict[str, int] = {}

    def floor(name: str) -> int:
        if name not in floors:
            floors[name] = 1 + max((floor(m) for m in graph[name]), default=0)
        return floors[name]

    highest = max(known, key=floor)
    assert floors[highest] <= 12, highest
    assert len(list(PACKAGE.glob("*.py"))) <= 12


def test_no_function_takes_seven_positional_parameters() -> None:
    """Past six, what a call needs travels as one object or by keyword."""
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                positional = [a.arg for a in (*node.args.posonlyargs, *node.args.args) if a.arg not in ("self", "cls")]
                assert len(positional) < 7, f"{name}.{node.name}"


def test_no_tracked_file_is_over_a_megabyte() -> None:
    import subprocess

    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PACKAGE.parent, capture_output=True, check=True)
    big = [f for f in listed.stdout.decode().split("\0") if f and (PACKAGE.parent / f).stat().st_size > 2**20]
    assert big == []


def test_no_module_over_400_lines_and_no_function_over_75() -> None:
    for name, path in modules().items():
        if name == "cloud._apis":  # generated
            continue
        source = path.read_text("utf-8")
        assert len(source.splitlines()) <= 400, name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = node.body[0]
                doc = first.end_lineno - first.lineno + 1 if isinstance(first, ast.Expr) and isinstance(
                    getattr(first, "value", None), ast.Constant) else 0  # fmt: skip
                assert node.end_lineno - node.lineno + 1 - doc <= 75, f"{name}.{node.name}"  # type: ignore[operator]


COLD_START = """
import os, re, sys
package = os.path.join(os.getcwd(), "cloud") + os.sep
compile_, compiled = re.compile, []
def spy(pattern, flags=0):
    if sys._getframe(1).f_code.co_filename.startswith(package):
        compiled.append(pattern)
    return compile_(pattern, flags)
re.compile = spy
import cloud
assert cloud.__file__.startswith(package), cloud.__file__
print(compiled, sorted(m for m in ("httpx", "asyncio", "ssl", "urllib.request") if m in sys.modules))
"""


def test_import_cloud_loads_no_http_stack_and_compiles_no_pattern() -> None:
    """What the README's Benchmarks section says of cold start: httpx, asyncio, ssl and
    urllib.request load with the first call, and no regular expression is compiled at import."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", COLD_START], capture_output=True, text=True, cwd=PACKAGE.parent,
                          timeout=60, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[] []", proc.stdout


def test_cloud_paths_are_written_in_the_catalogue_only() -> None:
    """The ``/tcb/…`` paths of storage, callFunction and the database are data (``data/catalog.json``):
    the library, the emulator and compare read them there; prose (docstrings) may name them."""
    written = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text("utf-8"))
        prose = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
                if "/tcb/" in node.value:
                    written.append(f"{name}:{node.lineno}")
    assert written == []


def test_the_architecture_names_every_module_in_its_room() -> None:
    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text("utf-8")
    listing = doc.split("Every module, room by room:")[1].split("## One call")[0]
    rooms = {m[1]: m[2] for m in re.finditer(r"^- `([^`]+)`: (.*?)(?=^- `|\Z)", listing, re.MULTILINE | re.DOTALL)}
    for name, path in modules().items():
        tree = ast.parse(path.read_text("utf-8"))
        if path.name == "__init__.py" and len(tree.body) <= 1 and path.parent != PACKAGE:
            continue  # a room's docstring, no code
        room = "cloud/" if path.parent == PACKAGE else f"{path.parent.name}/"
        assert f"`{path.stem}`" in rooms.get(room, ""), f"docs/architecture.md does not name {name} in {room}"
