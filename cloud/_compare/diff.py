"""Comparing the two sides: every place their requests or results differ, and which differences
are the documented, deliberate ones (README: "Deliberate differences from Node")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Outcome:
    """One side's run: what it returned (or threw) and the HTTPS requests it made."""

    returned: Any = None
    thrown: Any = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    log: str = ""
    calls: list[str] = field(default_factory=list)
    """The database, storage and function requests (``POST /tcb/databaseadd``), compared by effect."""
    effects: dict[str, Any] = field(default_factory=dict)
    """The database's content and the files stored, after the run (:func:`effects.snapshot`)."""


@dataclass(frozen=True)
class Difference:
    where: str
    node: Any
    python: Any
    known: str | None = None  # the README's name for a deliberate difference


MISSING: Any = type("Missing", (), {"__repr__": lambda self: "(absent)"})()


RID = re.compile(r"rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}")
"""The request id the emulator ends its errmsg with: new on every reply, so masked on both sides."""
IGNORED = "ignored with --ignore"
IDENTIFIES_A_CALL = re.compile(r"number of requests|request \d+(\.(method|path))?|calls by effect")
"""What ``--ignore`` never covers: which calls were made (the number, each one's method and path)."""


def compare(
    node: Outcome, python: Outcome, ignore: Sequence[str] = (), *, retries: bool = False, strict: bool = False
) -> list[Difference]:
    """Every difference between the two sides' requests and results; those at or under an
    ``ignore`` path (``result.returned.id``) are marked known. With ``retries`` (the Python side
    retried as in production), a Python request that repeats the one before it where Node went on
    is another attempt: left out of the request-by-request comparison, counted as the known
    difference :data:`RETRIED`, and then the result (Node's from the attempt Python retried) too."""
    found = [_ignored(d, ignore) for d in _differences(node, python, retries)]
    if strict or not (_own_error(node.thrown) and _own_error(python.thrown)):
        return found
    # both crashed in their own code (a TypeError, a KeyError): the texts cannot match across languages
    return [Difference(d.where, d.node, d.python, BOTH_THREW) if d.where == "result.thrown.exception" else d
            for d in found]  # fmt: skip


def _own_error(thrown: Any) -> bool:
    """An error of the function's own code (not the SDK's): ``{"exception": "<name>: <message>"}``."""
    return isinstance(thrown, dict) and set(thrown) == {"exception"} and isinstance(thrown["exception"], str)


def without_attempts(node: list[Any], python: list[Any]) -> tuple[list[Any], int]:
    """``python``'s requests less its repeated attempts, and how many those were: a request equal
    to the one just kept, where Node's next request is not that same call again."""
    kept: list[Any] = []
    for request in python:
        if kept and request == kept[-1] and (len(kept) >= len(node) or node[len(kept)] != request):
            continue
        kept.append(request)
    return kept, len(python) - len(kept)


def _ignored(diff: Difference, ignore: Sequence[str]) -> Difference:
    where = diff.where.removesuffix(" (key order)")
    if diff.known or IDENTIFIES_A_CALL.fullmatch(where):  # a call made on one side only always counts
        return diff
    if not any(where == p or where.startswith((p + ".", p + "[")) for p in ignore):
        return diff
    return Difference(diff.where, diff.node, diff.python, IGNORED)


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return RID.sub("rid: <emulator rid>", value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _differences(node: Outcome, python: Outcome, retries: bool = False) -> list[Difference]:
    found: list[Difference] = []
    requests, attempts = without_attempts(node.requests, python.requests) if retries else (python.requests, 0)
    requests, moved = _in_order_of(node.requests, requests)
    python_calls, moved_calls = _in_order_of(node.calls, python.calls)
    if moved or moved_calls:  # concurrent calls arrive in either order: matched as the same calls
        found.append(Difference("order of calls", _order(node, moved_calls), _order(python, moved_calls), REORDERED))
    if len(node.requests) != len(requests):
        found.append(Difference("number of requests", len(node.requests), len(python.requests)))
    elif attempts:
        found.append(Difference("number of requests", len(node.requests), len(python.requests), RETRIED))
    for index, (a, b) in enumerate(zip(node.requests, requests, strict=False), 1):
        _walk(f"request {index}", a, b, found)
    node_end = {"returned": node.returned} if node.thrown is None else {"thrown": node.thrown}
    python_end = {"returned": python.returned} if python.thrown is None else {"thrown": python.thrown}
    _walk("result", _masked(node_end), _masked(python_end), found)
    if node.calls != python_calls:  # database, storage and function calls: which were made, in order
        found.append(Difference("calls by effect", node.calls, python.calls))
    for part in ("database", "files"):  # and what they left behind
        _walk(part, node.effects.get(part, {}), python.effects.get(part, {}), found)
    refusal = _deliberate_refusal(python) or (RETRIED if attempts else None)
    if refusal:  # we refused what Node accepts (or retried): the result follows, but never a call not made
        calls = ("request", "number of", "calls by effect")
        return [d if d.where.startswith(calls) else Difference(d.where, d.node, d.python, refusal)
                for d in found]  # fmt: skip
    family = _family_error(node_end.get("thrown"), python_end.get("thrown"))
    return [_classify(d, {"result": node_end}, family) for d in found]


def _in_order_of(node: list[Any], python: list[Any]) -> tuple[list[Any], bool]:
    """``python`` put in ``node``'s order when it holds the same items in another order (and whether
    it did); else ``python`` as it is."""
    if node == python or len(node) != len(python):
        return python, False
    left = list(python)
    for item in node:
        if item not in left:
            return python, False
        left.remove(item)
    return list(node), True


def _order(outcome: Outcome, by_effect: bool) -> list[str]:
    """The calls of one side, in the order they came, as the report shows them."""
    if by_effect:
        return list(outcome.calls)
    return [f"{r.get('method')} {r.get('path')}" for r in outcome.requests]


REFUSALS = {
    "-501007 invalid parameters. params must be a dict": "params that are not a mapping are refused before any I/O",
    "-501007 invalid parameters. ": "Values JSON cannot hold are refused before any I/O",
    "response body is not a JSON object": "a reply whose JSON is not an object is an error",
    "-501001 resource system error. HTTP ": "HTTP statuses outside 2xx are errors",
}


def _deliberate_refusal(python: Outcome) -> str | None:
    """The README's name for a deliberate refusal the Python side made (thrown or returned)."""
    for end in (python.thrown, python.returned):
        message = end.get("errMsg") if isinstance(end, dict) else None
        if isinstance(message, str):
            return next((name for pattern, name in REFUSALS.items() if pattern in message), None)
    return None


def _walk(where: str, a: Any, b: Any, found: list[Difference]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        if _is_bignumber(a) and isinstance(b, (int, float)) and not isinstance(b, bool):
            found.append(Difference(where, a, b))
            return
        for key in list(a) + [k for k in b if k not in a]:
            _walk(f"{where}.{key}", a.get(key, MISSING), b.get(key, MISSING), found)
        common_a = [k for k in a if k in b]
        common_b = [k for k in b if k in a]
        if common_a != common_b:
            found.append(Difference(f"{where} (key order)", common_a, common_b))
        return
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            _walk(f"{where}[{index}]", x, y, found)
        return
    if a != b or (type(a) is not type(b) and not (_number(a) and _number(b))):
        found.append(Difference(where, a, b))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_bignumber(value: dict[str, Any]) -> bool:
    return set(value) == {"s", "e", "c"} and isinstance(value.get("c"), list)


EXACT, INTEGER_KEYS, TIMEOUTS, RETRIED, NO_REQUEST_ID, OPEN_DATA_ERROR, PAY_ERROR, UNDEFINED = (
    "integers come back exact",
    "Integer-like keys keep their place",
    "Timeouts are -501002 `resource server timeout`",
    "Failed attempts are retried",
    '`createCollection` returns `{"errMsg": "createCollection:ok"}`',
    "getOpenData and getVoIPSign report WeChat's own error",
    "cloudPay failures carry `cloudPay.` in errMsg",
    "`None` in params is `undefined`, not `null`",
)
BOTH_THREW = "Both sides' own errors agree by kind"
REORDERED = "The same calls in another order agree"
CLASSIFIED = (EXACT, INTEGER_KEYS, TIMEOUTS, RETRIED, NO_REQUEST_ID, OPEN_DATA_ERROR, PAY_ERROR, UNDEFINED, BOTH_THREW,
              REORDERED)  # fmt: skip
_SVRKIT = re.compile(r"(getOpenData|getVoIPSign):fail -601001 system error\. internal svrkit error, code (-?\d+)")
_PAY_NODE = re.compile(r"(?:cloudPay\.)?(\w+):fail (?:-?\d+ [^.]*\. )?(.*)", re.S)


def _family_error(node: Any, python: Any) -> str | None:
    """The README's name when both sides threw the same refusal from WeChat in their own forms: a
    svrkit failure (Node) for WeChat's errcode and errmsg (Python), or a cloudPay failure that Node's
    transport reports with its own code (and maybe without ``cloudPay.``) where we give the service's."""
    if not (isinstance(node, dict) and isinstance(python, dict)):
        return None
    node_msg, python_msg, code = node.get("errMsg"), python.get("errMsg"), python.get("errCode")
    if not (isinstance(node_msg, str) and isinstance(python_msg, str)) or isinstance(code, bool):
        return None
    svrkit = _SVRKIT.fullmatch(node_msg)
    if svrkit and node.get("errCode") == -601001 and python_msg.startswith(f"{svrkit[1]}:fail "):
        return OPEN_DATA_ERROR if str(code) == svrkit[2] else None
    pay = _PAY_NODE.fullmatch(node_msg)
    if pay and python_msg == f"cloudPay.{pay[1]}:fail {pay[2]}" and code:
        return PAY_ERROR
    return None


_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def _parent(value: Any, where: str) -> Any:
    """What holds the value at ``where`` (``result.returned.made.requestId``) in ``value``."""
    head, _, rest = where.partition(".")
    steps = _STEP.findall("." + rest)[:-1]
    found = value.get(head) if isinstance(value, dict) else None
    for key, index in steps:
        if index and isinstance(found, list) and int(index) < len(found):
            found = found[int(index)]
        elif not index and isinstance(found, dict):
            found = found.get(key)
        else:
            return None
    return found


def _classify(diff: Difference, node_end: Any = None, family: str | None = None) -> Difference:
    known = None
    node, python = diff.node, diff.python
    if family and diff.where in ("result.thrown.errCode", "result.thrown.errMsg"):
        return Difference(diff.where, node, python, family)
    holder = _parent(node_end, diff.where) if diff.where.endswith(".requestId") and python is MISSING else None
    if isinstance(holder, dict) and holder.get("errMsg") == "createCollection:ok":
        known = NO_REQUEST_ID  # the HTTP API's reply has no request id to give
    elif isinstance(node, dict) and _is_bignumber(node) and _number(python):
        known = EXACT
    elif node is None and python is MISSING:  # a null (from the event, say) is None, left out as undefined
        known = UNDEFINED
    elif diff.where.endswith("(key order)") and _only_integer_keys_moved(node, python):
        known = INTEGER_KEYS
    elif diff.where.endswith(".errCode") and (node, python) == (-501001, -501002):
        known = TIMEOUTS
    elif diff.where.endswith(".errMsg") and isinstance(node, str) and isinstance(python, str):
        if "-501001 resource system error. request timeout" in node and "-501002 resource server timeout." in python:
            known = TIMEOUTS
    if known is None:
        return diff
    return Difference(diff.where, diff.node, diff.python, known)


def _only_integer_keys_moved(node: list[str], python: list[str]) -> bool:
    def strings(keys: list[str]) -> list[str]:
        return [k for k in keys if not (k.isdigit() and (k == "0" or not k.startswith("0")))]

    return strings(node) == strings(python)
