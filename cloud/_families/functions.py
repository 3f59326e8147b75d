"""``cloud.callFunction({name, data})``: a :class:`~cloud._core.flow.Family` over WeChat's
``POST /tcb/invokecloudfunction?env=ENV&name=NAME`` (the event as the body; the reply's
``resp_data`` is the callee's result as JSON text). Checks, result and errors as wx-server-sdk 4.0.2
shapes them (``tests/test_storage_parity.py``); never retried (a function may not run twice).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from .. import errors
from .._core import flow as call
from .._core import response
from .._core.config import Config
from .._js import json as jsjson
from .common import BAD_PARAM, RAW, fail, fixed, need

EXECUTE_FAIL = -504002
"""CloudBase's FUNCTIONS_EXECUTE_FAIL: the callee threw (Node: ``functions execute fail``)."""
TCB_CODES = frozenset(
    {-501001, -501002, -501003, -501004, -501005, -501006, -501007, -501008, -501009, -504001, EXECUTE_FAIL}
)
"""Errors WeChat's reply may carry that Node shows as ``-50x requestID <id>, <message>``."""


def _params(params: Any, display_name: str) -> tuple[str, Any]:
    name = need(params, display_name, "name", "string")
    data = params["data"] if "data" in params else None
    if "data" in params:
        need(params, display_name, "data", "object")
    if not name:
        raise fail(display_name, "函数名不能为空", BAD_PARAM)
    return name, {} if data is None else data


def _result(display_name: str) -> Callable[..., dict[str, Any]]:
    def interpret(
        name: str, shown: str, outcome: Any, convert_case: bool, body: response.Body | None, params: Any
    ) -> dict[str, Any]:
        found = body.value if body is not None and isinstance(body.value, dict) else {}
        request_id = str(found.get("request_id") or uuid.uuid4())
        errcode = found.get("errcode")
        if errcode in TCB_CODES:
            detail = f"requestID {request_id}, {found.get('errmsg', '')}"
            raise errors.coded(display_name, errcode, detail)
        reply = response.interpret(display_name, outcome, convert_case=False, body=body)
        text = reply.get("resp_data")
        try:
            result = jsjson.parse_json(text) if isinstance(text, str) else text
        except ValueError:
            result = text  # not JSON: the text itself, as Node keeps it
        return {"result": result, "errMsg": f"{display_name}:ok", "requestID": request_id}

    return interpret


def function_flow(
    name: str,
    params: Any,
    options: call.CallOptions,
    config: Config,
    shared: call.Shared,
    *,
    clock: Callable[[], float] = time.monotonic,
    request_token: str | None = None,
    family: call.Family | None = None,
) -> call.Flow:
    """The whole of ``callFunction``: Node's checks before any I/O, then one request, never resent."""
    display_name = "callFunction"
    target, data = _params(params, display_name)
    if not isinstance(data, Mapping):
        raise errors.invalid_params(display_name, "data must be an object")
    query = (("env", config.env_for("functions", params)), ("name", target))
    step = call.Family(
        "",
        endpoint=fixed(display_name, query=query),
        interpret=_result(display_name),
        retried=lambda endpoint: False,
    )
    return (
        yield from call.flow(
            display_name, data, RAW, config, shared, clock=clock, request_token=request_token, family=step
        )
    )


CALL_FUNCTION = call.Family("", run=function_flow)
