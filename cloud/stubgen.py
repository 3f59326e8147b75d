"""Generated views of the catalogue: typed namespaces for IDEs, and the API table for the docs.

    python -m cloud.stubgen          # rewrites cloud/_apis.py and docs/apis.md from the catalogue

``cloud/_apis.py`` declares one Protocol per namespace, so that an IDE completes
``cloud.openapi.security.msgSecCheck`` and knows the call is awaitable (``cloud.sync.openapi``:
returns a dict). A test checks both files are in step with ``data/catalog.json``.
"""

from __future__ import annotations

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


def _tree(apis: Mapping[str, Endpoint]) -> dict[tuple[str, ...], dict[str, Endpoint | None]]:
    """Namespace path → {child name: Endpoint (an API) or None (a namespace)}."""
    nodes: dict[tuple[str, ...], dict[str, Endpoint | None]] = {(): {}}
    for name in sorted(apis):
        parts = tuple(name.split("."))
        if any(keyword.iskeyword(p) for p in parts):
            continue  # not writable as attributes: reachable as openapi["name"]
        for depth in range(1, len(parts)):
            nodes.setdefault(parts[:depth], {})
            nodes[parts[: depth - 1]].setdefault(parts[depth - 1], None)
        nodes.setdefault(parts[:-1], {})[parts[-1]] = apis[name]
    return nodes


def _class_name(path: tuple[str, ...]) -> str:
    return "_".join(("Api", *path)) if path else "Root"


def _pay_types() -> list[str]:
    """``cloud.cloudPay``'s Protocol: one method per documented cloudPay API."""
    out = ["", "", "class CloudPay(Protocol, Generic[R]):"]
    out += [
        "    def __call__(self, options: Params = None, /, **kwargs: Any) -> CloudPay[R]:",
        '        """Reconfigured namespace: ``appid``."""',
        "        ...",
        "",
    ]
    for name, api in sorted(pay_apis().items()):
        note = "a query: retried on failure" if api.idempotent else "never retried"
        out += [
            f"    def {name}(self, params: Params = None, /, **kwargs: Any) -> R:",
            f'        """``{api.method} {api.path}`` on Cloud Run; {note}."""',
            "        ...",
            "",
        ]
    return [*out, "    def __getattr__(self, name: str) -> Any: ..."]


def render_types(apis: Mapping[str, Endpoint]) -> str:
    """The source of ``cloud/_apis.py``."""
    nodes = _tree(apis)
    out = [
        '"""Typed ``cloud.openapi`` and ``cloud.cloudPay``, generated from ``data/catalog.json``',
        "by ``python -m cloud.stubgen``.",
        "",
        "Do not edit. ``R`` is what a call returns: an awaitable result (``AsyncOpenAPI``) or the result",
        '(``SyncOpenAPI``). Names missing here still work, typed ``Any``."""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Coroutine, Mapping",
        "from typing import Any, Generic, Protocol, TypeVar",
        "",
        'R = TypeVar("R", covariant=True)',
        "Params = Mapping[str, Any] | None",
        "",
    ]
    for path in sorted(nodes, key=lambda p: (-len(p), p)):
        children = nodes[path]
        out += ["", f"class {_class_name(path)}(Protocol, Generic[R]):"]
        if not path:
            out += [
                "    def __call__(self, options: Params = None, /, **kwargs: Any) -> Root[R]:",
                '        """Reconfigured namespace: ``convertCase``, ``appid``, ``version``."""',
                "        ...",
                "",
            ]
        for child, api in children.items():
            if api is None:
                out += ["    @property", f"    def {child}(self) -> {_class_name((*path, child))}[R]: ..."]
                continue
            how = _HOW[api.params_in] + (f", files: {', '.join(sorted(api.media))}" if api.media else "")
            note = " (method guessed)" if api.method_guessed else ""
            out += [
                f"    def {child}(self, params: Params = None, /, **kwargs: Any) -> R:",
                f'        """``{api.method} {api.path}``{note}: {how}; {api.status}."""',
                "        ...",
                "",
            ]
        out += ["    def __getattr__(self, name: str) -> Any: ..."]
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


def main() -> int:
    apis = _builtin()
    TYPES_FILE.write_text(render_types(apis), "utf-8")
    TABLE_FILE.parent.mkdir(exist_ok=True)
    TABLE_FILE.write_text(render_table(apis), "utf-8")
    print(f"wrote {TYPES_FILE} and {TABLE_FILE} ({len(apis)} APIs)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
