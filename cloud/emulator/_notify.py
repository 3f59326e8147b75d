"""Payment notifications, as WeChat delivers them after a ``unifiedOrder``: the documented camelCase
fields sent to the cloud function (``function_name``, run with the notification as its event) or
the Cloud Run service (``callback_type: 2``, ``container: {service, path}``, a POST of the JSON) the
order named. The callback must answer ``{"errcode": 0}``; any other answer is a failed delivery,
which WeChat retries for up to two days.

Where a name leads (:class:`Targets`): a function folder, a WSGI or ASGI app, or a base URL.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from .._core import threads
from .._run import folder as loader
from ._functions import Functions
from ._pay import NotifyError

Runner = Callable[[Path, dict[str, Any]], Any]
"""Runs the cloud function in a folder with an event; returns what its ``main`` returned."""
TIMEOUT = 30.0
"""Seconds a callback may take before the delivery counts as failed."""
ANSWER_BYTES = 1 << 20
"""The most a Cloud Run service's answer is read (WeChat wants ``{"errcode": 0}``); past it the
delivery failed."""
RETRIED = 'WeChat would retry this notification (for up to two days) until the callback answers {"errcode": 0}'


@dataclass(frozen=True)
class Delivery:
    """One payment notification sent, and how the callback answered it."""

    out_trade_no: str
    target: str
    """What received it: ``function <name> (<folder>)`` or ``service <name> <path>``."""
    notification: dict[str, Any]
    answer: Any
    """The function's return, or the service's JSON body (its text when not JSON)."""
    accepted: bool
    """Whether the answer was ``{"errcode": 0}``: else WeChat would send it again."""
    problem: str | None = None
    status: int | None = None
    """The service's HTTP status (None for a function)."""
    retry: str | None = field(default=None)
    """Why and how WeChat would retry (None when accepted)."""

    def to_dict(self) -> dict[str, Any]:
        """As JSON (the control endpoint's reply)."""
        return {"outTradeNo": self.out_trade_no, "target": self.target, "notification": self.notification,
                "answer": _plain(self.answer), "accepted": self.accepted, "problem": self.problem,
                "status": self.status, "retry": self.retry}  # fmt: skip


def _plain(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value


@dataclass
class Targets:
    """Where callbacks run: ``names`` maps a function or service name to a function folder, a
    WSGI/ASGI app, or a base URL (``http://127.0.0.1:8081``); a function name not in it is looked
    for as a folder in ``functions.folder`` (the folder of function folders ``callFunction`` runs)."""

    functions: Functions
    names: dict[str, Any] = field(default_factory=dict)

    def function(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        index = self.functions.index_of(name)  # inside the functions folder, as callFunction finds it
        if index is not None:
            return index.parent
        raise NotifyError(
            f"the order names callback function {name!r}, which the emulator cannot find: give a folder of "
            "functions (Emulator(functions=DIR), --functions DIR) or map the name (payment_targets[name] = folder)"
        )

    def service(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        raise NotifyError(
            f"the order names Cloud Run service {name!r} for its callback: map it to a WSGI/ASGI app or a base "
            "URL (payment_targets[name] = app, or --service NAME=URL)"
        )


def run_function(folder: Path, event: dict[str, Any]) -> Any:
    """The default :data:`Runner`: ``main(event, context)`` of ``folder``'s ``index.py``, as
    ``python -m cloud run`` calls it, in this process (its cloud calls go where the process's
    platform sends them)."""
    path = loader.locate(folder)
    return loader.call(loader.load(path).main, event, {"function_name": path.parent.name})


def deliver(order: Mapping[str, Any], notification: dict[str, Any], targets: Targets, runner: Runner) -> Delivery:
    """Send ``notification`` where the order's params (snake_case, as the service took them)
    name, and judge the answer. The callback runs in a thread of its own (it may run an event loop)."""
    out_trade_no = str(notification.get("outTradeNo", ""))
    if order.get("callback_type") == 2 or (order.get("container") and not order.get("function_name")):
        container = order.get("container")
        if not isinstance(container, Mapping) or not container.get("service"):
            raise NotifyError("the order has callback_type 2 but no container {service, path}")
        service, path = str(container["service"]), str(container.get("path") or "/")
        target, label = targets.service(service), f"service {service} {path}"
        headers = {"X-WX-SERVICE": service, "X-WX-ENV": str(order.get("env_id", ""))}
        status, answer, problem = _in_thread(lambda: _post(target, path, notification, headers))
    elif order.get("function_name"):
        name = str(order["function_name"])
        target, status = targets.function(name), None
        label = f"function {name}" + (f" ({target})" if isinstance(target, (str, os.PathLike)) else "")
        _, answer, problem = _in_thread(lambda: (None, runner(Path(target), dict(notification)), None))
    else:
        raise NotifyError("the order names no callback: give function_name, or callback_type 2 with container")
    if problem is None:
        problem = _judge(answer)
    if problem is None and status is not None and not 200 <= status < 300:
        problem = f"the service answered HTTP {status}"
    accepted = problem is None
    return Delivery(out_trade_no, label, notification, answer, accepted, problem, status, None if accepted else RETRIED)


def _judge(answer: Any) -> str | None:
    if isinstance(answer, Mapping) and type(answer.get("errcode")) is int and answer["errcode"] == 0:
        return None
    return f'the callback answered {json.dumps(_plain(answer), ensure_ascii=False)[:200]}, not {{"errcode": 0}}'


def _in_thread(step: Callable[[], tuple[int | None, Any, str | None]]) -> tuple[int | None, Any, str | None]:
    """``step()`` in a new thread, within :data:`TIMEOUT`; its exception becomes the problem."""
    out: list[tuple[int | None, Any, str | None]] = []

    def work() -> None:
        try:
            out.append(step())
        except Exception as exc:  # the callback failed: WeChat sees no answer
            out.append((None, None, f"the callback raised {type(exc).__name__}: {exc}"))

    done = threads.in_thread(work, (), "wx-cloud-pay-notify")  # in this context: the platform the callback runs on
    concurrent.futures.wait([done], TIMEOUT)
    return out[0] if out else (None, None, f"the callback did not answer within {TIMEOUT:.0f} s")


def _post(target: Any, path: str, notification: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any, str | None]:
    """POST the notification to a service: a base URL, or a WSGI/ASGI app in this process."""
    if isinstance(target, str) and target.startswith(("http://", "https://")):
        with (
            httpx.Client(timeout=TIMEOUT) as client,
            client.stream("POST", target.rstrip("/") + path, json=notification, headers=headers) as response,
        ):
            body = bytearray()
            for chunk in response.iter_bytes():  # inflated as it comes: a gzip bomb stops at the limit too
                body += chunk
                if len(body) > ANSWER_BYTES:
                    return response.status_code, None, f"the service answered over {ANSWER_BYTES} bytes"
            kept = {"content-type": response.headers.get("content-type", "")}  # the body is inflated already
            response = httpx.Response(response.status_code, headers=kept, content=bytes(body))
    elif _is_asgi(target):
        response = asyncio.run(_post_asgi(target, path, notification, headers))
    elif callable(target):
        with httpx.Client(transport=httpx.WSGITransport(app=target), base_url="http://service") as client:
            response = client.post(path, json=notification, headers=headers)
    else:
        raise NotifyError(f"a service target is a WSGI/ASGI app or a base URL, not {type(target).__name__}")
    try:
        return response.status_code, response.json(), None
    except ValueError:
        return response.status_code, response.text, None


async def _post_asgi(app: Any, path: str, notification: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        return await client.post(path, json=notification, headers=headers)


def _is_asgi(app: Any) -> bool:
    call = app if inspect.isfunction(app) or inspect.ismethod(app) else getattr(app, "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(call)
