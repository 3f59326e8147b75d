"""Turning what came back into the result, or the CloudSDKError, that Node's SDK would give.

Pure: :func:`interpret` takes a :class:`Reply` (status, Content-Type, body) or a :class:`Failure`
(the request did not get a reply) and returns the result dict or raises. The rules
(node-behaviour.md §4):

- Content-Type matching ``application/json`` or ``text/plain`` (case-sensitive substring): parse
  JSON. A truthy ``errcode`` raises it; otherwise ``errcode``/``errmsg`` are removed, keys are
  converted snake → camel, and ``errMsg``/``errCode`` are set. ``text/plain`` that is not JSON gives
  ``{"result": text}``; ``application/json`` that is not JSON raises -601001.
- Any other Content-Type (or none): ``{"contentType": type, "buffer": bytes}``.
- Ours, where Node has no answer: HTTP status outside 2xx raises the reply's errcode if it has one,
  else -501001 ``HTTP <status>``; top-level JSON that is not an object, or nested too deeply to
  parse or (deeper than 256 levels) to convert, raises -601001.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from .. import errors
from .._js.case import TooDeepError, convert_keys, to_camel
from .._js.json import parse_json
from .._js.value import UNDEFINED, js_truthy
from .messages import Failure, Reply

NOT_JSON: Any = type("NotJson", (), {"__repr__": lambda self: "NOT_JSON"})()
TOO_DEEP: Any = type("TooDeep", (), {"__repr__": lambda self: "TOO_DEEP"})()


@dataclass(frozen=True, slots=True)
class Body:
    """A JSON-typed reply's body, decoded and parsed once (``value`` is NOT_JSON if it did not parse,
    TOO_DEEP if it was nested too deeply to parse)."""

    text: str
    value: Any


def body_of(outcome: Reply | Failure) -> Body | None:
    """The parsed body of a reply whose Content-Type is JSON or text; None otherwise."""
    if isinstance(outcome, Failure) or not _json_typed(outcome.content_type):
        return None
    text = outcome.body.decode("utf-8", "replace")
    try:
        return Body(text, parse_json(text))
    except TooDeepError:
        return Body(text, TOO_DEEP)
    except ValueError:
        return Body(text, NOT_JSON)


def errcode_of(body: Body | None) -> Any:
    """The reply's top-level errcode (None when there is none)."""
    return body.value.get("errcode") if body is not None and isinstance(body.value, dict) else None


TOKEN_ERRORS = frozenset({40001, 40014, 42001})
"""invalid credential, invalid access_token, access_token expired: worth one refresh."""


def is_token_error(errcode: Any) -> bool:
    """Whether WeChat refused the call's token."""
    return type(errcode) is int and errcode in TOKEN_ERRORS


_UNSET: Any = object()


def interpret(
    display_name: str, outcome: Reply | Failure, *, convert_case: bool, body: Body | None = _UNSET
) -> dict[str, Any]:
    """The result of a call whose request ended in ``outcome``, or raise its CloudSDKError.
    ``body`` is ``body_of(outcome)`` when the caller has it already (it is consumed)."""
    if isinstance(outcome, Failure):
        code = outcome.code
        raise errors.coded(display_name, code, outcome.detail)
    if body is _UNSET:
        body = body_of(outcome)
    if not 200 <= outcome.status < 300:
        _raise_for_status(display_name, outcome, body)
    if body is None:
        return _success(display_name, {"contentType": outcome.content_type.strip(), "buffer": outcome.body})
    parsed = body.value
    if parsed is TOO_DEEP:
        raise errors.server_error(display_name, f"response body is nested too deeply: {body.text}")
    if parsed is NOT_JSON:
        if "text/plain" not in outcome.content_type:
            raise errors.server_error(display_name, f"response body is invalid json: {body.text}")
        parsed = {"result": body.text}
    if not isinstance(parsed, dict):
        raise errors.server_error(display_name, f"response body is not a JSON object: {body.text}")
    errcode = parsed.get("errcode")
    if js_truthy(errcode):
        raise errors.reply_error(display_name, errcode, parsed.get("errmsg", UNDEFINED))
    parsed.pop("errcode", None)
    parsed.pop("errmsg", None)
    if convert_case:
        try:
            parsed = convert_keys(parsed, to_camel)
        except (TooDeepError, RecursionError):  # RecursionError: called from a deep stack already
            raise errors.server_error(display_name, f"response body is nested too deeply: {body.text}") from None
    return _success(display_name, parsed)


def _success(display_name: str, result: dict[str, Any]) -> dict[str, Any]:
    result["errMsg"] = f"{display_name}:ok"
    result["errCode"] = 0
    return result


def _raise_for_status(display_name: str, reply: Reply, body: Body | None) -> None:
    if body is None:  # an error page may come with any content type: look for WeChat's errcode anyway
        try:
            body = Body("", parse_json(reply.body.decode("utf-8", "replace")))
        except ValueError:
            body = None
    errcode = errcode_of(body)
    if js_truthy(errcode):
        raise errors.reply_error(display_name, errcode, body.value.get("errmsg", UNDEFINED))  # type: ignore[union-attr]
    try:
        phrase = HTTPStatus(reply.status).phrase
    except ValueError:
        phrase = ""
    raise errors.coded(display_name, errors.RESOURCE_SYSTEM_ERROR, f"HTTP {reply.status} {phrase}".rstrip())


def _json_typed(content_type: str) -> bool:
    return "application/json" in content_type or "text/plain" in content_type
