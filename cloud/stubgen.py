"""Generated views of the catalogue: typed namespaces for IDEs, and the API table for the docs.

    python -m cloud.stubgen            # in a checkout: rewrites cloud/_apis.py and docs/apis.md
    python -m cloud.stubgen --out DIR  # anywhere: writes DIR/_apis.py and DIR/apis.md

``cloud/_apis.py`` declares one Protocol per namespace, so that an IDE completes
``cloud.openapi.security.msgSecCheck`` and knows the call is awaitable (``cloud.sync.openapi``:
returns a dict), and a type checker flags a misspelled name; ``openapi["ns"]["api"]`` reaches any
name. A test checks both files are in step with ``data/catalog.json``. Installed (not a checkout),
it writes only where ``--out`` says.
"""

from __future__ import annotations

import argparse
import keyword
import sys
from collections.abc import Mapping
from pathlib import Path

from .catalog import Endpoint, _builtin, pay_apis

ROOT = Path(__file__).parent
TYPES_FILE = ROOT / "_apis.py"
TABLE_FILE = ROOT.parent / "docs" / "apis.md"

_HOW = {
    "query": "all in the query string",
    "body": "JSON body",
    "multipart": "multipart form",
}


def _tree(apis: Mapping[str, Endpoint]) -> dict[tuple[str, ...], list[str]]:
    """Namespace path → the names of its children (APIs, namespaces, or both)."""
    nodes: dict[tuple[str, ...], list[str]] = {(): []}
    for name in sorted(apis):
        parts = tuple(name.split("."))
        if any(keyword.iskeyword(p) for p in parts):
            continue  # not writable as attributes: reachable as openapi["name"]
        for depth in range(1, len(parts) + 1):
            siblings = nodes.setdefault(parts[: depth - 1], [])
            if parts[depth - 1] not in siblings:
                siblings.append(parts[depth - 1])
    return nodes


def _class_name(path: tuple[str, ...]) -> str:
    return "_".join(("Api", *path)) if path else "Root"


def _method(name: str, doc: str, returns: str = "R") -> list[str]:
    return [
        f"    def {name}(self, params: Params = None, /, **kwargs: Any) -> {returns}:",
        f'        """{doc}"""',
        "        ...",
        "",
    ]


_BY_NAME = [
    "    def __getitem__(self, name: str) -> AnyApi[R]:",
    '        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""',
    "        ...",
]


def _pay_types() -> list[str]:
    """``cloud.cloudPay``'s Protocol: one method per documented cloudPay API."""
    out = ["", "", "class CloudPay(Protocol, Generic[R]):"]
    out += _method("__call__", "Reconfigured namespace: ``appid``.", "CloudPay[R]")
    for name, api in sorted(pay_apis().items()):
        note = "a query: retried on failure" if api.idempotent else "never retried"
        out += _method(name, f"``{api.method} {api.path}`` on Cloud Run; {note}.")
    return [*out, *_BY_NAME]


def _doc(api: Endpoint) -> str:
    how = _HOW[api.params_in] + (f", files: {', '.join(sorted(api.media))}" if api.media else "")
    note = " (method guessed)" if api.method_guessed else ""
    return f"``{api.method} {api.path}``{note}: {how}; {api.status}."


_HEAD = '''"""Typed ``cloud.openapi`` and ``cloud.cloudPay``, generated from ``data/catalog.json``
by ``python -m cloud.stubgen``.

Do not edit. ``R`` is what a call returns: an awaitable result (``AsyncOpenAPI``) or the result
(``SyncOpenAPI``). A name missing here is a type error; ``openapi["ns"]["api"]`` reaches any name
(the ones you register), typed ``AnyApi``."""

from __future__ import annotations

from collections.abc import Coroutine, Mapping
from typing import Any, Generic, Protocol, TypeVar

R = TypeVar("R", covariant=True)
Params = Mapping[str, Any] | None


class AnyApi(Protocol, Generic[R]):
    """An API or a namespace reached by name: ``openapi["partner"]["query"](params)``."""

    def __call__(self, params: Params = None, /, **kwargs: Any) -> R: ...
    def __getitem__(self, name: str) -> AnyApi[R]: ...
'''.splitlines()


def render_types(apis: Mapping[str, Endpoint]) -> str:
    """The source of ``cloud/_apis.py``."""
    nodes = _tree(apis)
    out = list(_HEAD)
    for path in sorted(nodes, key=lambda p: (-len(p), p)):
        out += ["", "", f"class {_class_name(path)}(Protocol, Generic[R]):"]
        name = ".".join(path)
        if not path:
            out += _method("__call__", "Reconfigured namespace: ``convertCase``, ``appid``, ``version``.", "Root[R]")
        elif name in apis:  # an API that is also a namespace (officialAccount.card.update)
            out += _method("__call__", _doc(apis[name]))
        for child in nodes[path]:
            if (*path, child) in nodes:
                out += ["    @property", f"    def {child}(self) -> {_class_name((*path, child))}[R]: ...", ""]
            else:
                out += _method(child, _doc(apis[f"{name}.{child}" if path else child]))
        out += _BY_NAME
    out += _pay_types()
    out += [
        "",
        "",
        "AsyncOpenAPI = Root[Coroutine[Any, Any, dict[str, Any]]]",
        "SyncOpenAPI = Root[dict[str, Any]]",
        "AsyncCloudPay = CloudPay[Coroutine[Any, Any, dict[str, Any]]]",
        "SyncCloudPay = CloudPay[dict[str, Any]]",
        "",
    ]
    return "\n".join(out)


def render_table(apis: Mapping[str, Endpoint]) -> str:
    """The source of ``docs/apis.md``."""
    out = [
        "# Every cloud-callable API",
        "",
        "Generated from `cloud/data/catalog.json` by `python -m cloud.stubgen`; do not edit.",
        "",
        "How params travel: *query*: every param in the query string (GET); *JSON body*: the params",
        "as one JSON object, except those listed as URL params; *multipart form*: file params",
        "(`{contentType, value: bytes}`) as file parts, the rest as form fields. A method marked",
        "*guessed* is not stated by WeChat's docs. *deprecated* APIs still route, but WeChat has",
        "withdrawn them: expect an errcode reply, raised as CloudSDKError like any other.",
        "",
        f"{len(apis)} APIs.",
        "",
        "| API | method | path | params | reply | status |",
        "|---|---|---|---|---|---|",
    ]
    for name in sorted(apis):
        api = apis[name]
        how = _HOW[api.params_in]
        if api.query_params:
            how += "; URL: " + ", ".join(f"`{p}`" for p in sorted(api.query_params))
        if api.query:
            how += "; fixed: " + ", ".join(f"`{k}={v}`" for k, v in api.query)
        if api.media:
            how += "; files: " + ", ".join(f"`{m}`" for m in sorted(api.media))
        method = api.method + (" (guessed)" if api.method_guessed else "")
        status = api.status + (f" (same endpoint as {', '.join(api.same_endpoint)})" if api.same_endpoint else "")
        out.append(f"| `{name}` | {method} | `{api.path}` | {how} | {api.response} | {status} |")
    return "\n".join(out) + "\n"


def _checkout() -> Path | None:
    """The source checkout this package lives in (editable installs too), or None when installed."""
    project = ROOT.parent / "pyproject.toml"
    if project.is_file() and 'name = "wx-server-sdk-python"' in project.read_text("utf-8"):
        return ROOT.parent
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cloud.stubgen",
        description="Regenerate the typed namespaces (_apis.py) and the API table (apis.md) from the catalogue.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write _apis.py and apis.md into DIR (default: cloud/ and docs/ of the checkout this runs from)",
    )
    args = parser.parse_args(argv)
    if args.out is not None:
        types_file, table_file = args.out / TYPES_FILE.name, args.out / TABLE_FILE.name
    elif _checkout() is not None:
        types_file, table_file = TYPES_FILE, TABLE_FILE
    else:
        print(
            f"cloud is installed at {ROOT}, not in a source checkout: nothing written.\n"
            "Run python -m cloud.stubgen from a clone of the repository (after pip install -e .), "
            "or give --out DIR to write the files elsewhere.",
            file=sys.stderr,
        )
        return 2
    apis = _builtin()
    table_file.parent.mkdir(parents=True, exist_ok=True)
    types_file.write_text(render_types(apis), "utf-8")
    table_file.write_text(render_table(apis), "utf-8")
    print(f"wrote {types_file} and {table_file} ({len(apis)} APIs)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
