"""The emulator over real HTTP: an asyncio HTTP/1.1 server on loopback (h11 reads and writes the protocol).

One event loop serves every connection, so hundreds of concurrent keep-alive connections cost no
threads. ``serve`` runs it in a background thread (tests); ``run`` in the foreground (the CLI).
Request lines are never logged: they carry the access token. The control endpoint
(``/__emulator/...``) answers loopback peers only, whatever address the server listens on.
Every connection is bounded (:class:`Limits`: a 64 KiB head, a 20 MiB body, 60 s idle, 10 s to send
a head): past a limit the peer gets 431, 413 or 408 and the connection closes. Every request is
answered: a failure in the app, or a reply HTTP cannot carry (a header with a control character, a
1xx status), is a 500 with a JSON error. A connection stays open for the next request unless
either side said close (or the peer speaks HTTP/1.0).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ipaddress
import json
import logging
import re
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Protocol, TypeVar

import h11

from .._core import threads
from .._core.request import MAX_REQUEST_BYTES
from ._checks import door_problem, header_problem, loopback_name
from ._control import CONTROL_PREFIX

if TYPE_CHECKING:
    from ._replies import Answer

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """What one connection may cost the server; a peer that goes past a limit is answered with an
    error status (431, 413, 408) and the connection closed, nothing more buffered."""

    head_bytes: int = 64 * 1024
    """The largest request head (request line and headers)."""
    body_bytes: int = MAX_REQUEST_BYTES
    """The largest body: the library's own ``maxRequestBytes`` default."""
    idle_timeout: float = 60.0
    """Seconds a connection may wait between requests, or stall in a body or a reply, before closing."""
    head_timeout: float = 10.0
    """Seconds a request head may take to arrive once it has begun."""
    linger: float = 2.0
    """Seconds spent reading (and dropping) what a refused peer still sends, so it gets the reply."""


class App(Protocol):
    """What the server serves: the emulator, or anything that answers like it."""

    def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer: ...


_CONTROL_TARGET = CONTROL_PREFIX.encode()
_Reply = tuple[h11.Response, bytes]
"""A reply's head, checked by h11, and its body."""


class _RequestError(Exception):
    """The request cannot be served: answer ``status`` and close the connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _ClosedError(Exception):
    """The peer went away, or stayed idle too long: close without a reply."""


class Server:
    """An HTTP server for ``app`` on ``host:port`` (port 0: any free port), within ``limits``
    (an attribute: a test may set smaller ones before connections are made)."""

    def __init__(self, app: App, host: str = "127.0.0.1", port: int = 0, limits: Limits | None = None) -> None:
        self.app, self.host, self.port = app, host, port
        self.limits = limits or Limits()
        self._server: asyncio.AbstractServer | None = None
        self._connections: dict[asyncio.Task[None], asyncio.StreamWriter] = {}
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._connection, self.host, self.port, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and end every open connection."""
        if self._server is not None:
            self._server.close()
        self._stopping.set()  # a reply waiting out its delay is not sent
        for writer in list(self._connections.values()):
            writer.transport.abort()  # the connection's read sees EOF and its task ends
        await asyncio.gather(*self._connections, return_exceptions=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections[task] = writer
            task.add_done_callback(lambda done: self._connections.pop(done, None))
        local = _is_loopback(writer.get_extra_info("peername"))
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=self.limits.head_bytes)
        try:
            while True:
                request, body = await self._request(conn, reader, writer)
                await self._send(conn, writer, await self._answer(request, body, local), request.method)
                if conn.our_state is not h11.DONE:  # MUST_CLOSE: the peer said close, or spoke HTTP/1.0
                    break
                conn.start_next_cycle()
        except _RequestError as refused:
            await self._refuse(conn, reader, writer, refused)
        except (_ClosedError, ConnectionError):
            pass
        except Exception:  # a bug in the server: say so, and end this connection only
            log.exception("emulator: connection failed")
        finally:
            writer.close()

    async def _request(
        self, conn: h11.Connection, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> tuple[h11.Request, bytes]:
        """The next request on ``conn`` and its body, read within the limits (a client that waits
        for ``100 Continue`` before its body gets it once its head is accepted)."""
        limits, loop = self.limits, asyncio.get_running_loop()
        request: h11.Request | None = None
        body = bytearray()
        head_deadline = loop.time() + limits.head_timeout if conn.trailing_data[0] else None
        while True:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as exc:
                raise _RequestError(exc.error_status_hint, f"bad request: {exc}") from None
            if event is h11.NEED_DATA:
                late: Exception
                if request is not None:
                    timeout, late = limits.idle_timeout, _RequestError(408, "the body stalled")
                    if conn.they_are_waiting_for_100_continue:
                        writer.write(
                            conn.send(h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue")) or b""
                        )
                elif head_deadline is not None:
                    timeout, late = head_deadline - loop.time(), _RequestError(408, "the request head came too slowly")
                else:
                    timeout, late = limits.idle_timeout, _ClosedError()
                data = await _within(reader.read(65536), timeout, late)
                if request is None and head_deadline is None:
                    head_deadline = loop.time() + limits.head_timeout
                conn.receive_data(data)
            elif isinstance(event, h11.Request):
                request = event
                length = dict(event.headers).get(b"content-length")
                if length is not None and int(length) > limits.body_bytes:
                    raise _RequestError(413, f"the body is over {limits.body_bytes} bytes")
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > limits.body_bytes:
                    raise _RequestError(413, f"the body is over {limits.body_bytes} bytes")
            elif isinstance(event, h11.EndOfMessage) and request is not None:
                return request, bytes(body)
            else:  # ConnectionClosed
                raise _ClosedError

    async def _send(
        self, conn: h11.Connection, writer: asyncio.StreamWriter, reply: _Reply, method: bytes | None = None
    ) -> None:
        """Write ``reply`` (no body to a HEAD request, nor with a 204 or 304: HTTP has none there)."""
        response, body = reply
        bodiless = method == b"HEAD" or response.status_code in (204, 304)
        events = [response, *([h11.Data(data=body)] * bool(body and not bodiless)), h11.EndOfMessage()]
        writer.write(b"".join(conn.send(event) or b"" for event in events))
        await _within(writer.drain(), self.limits.idle_timeout, _ClosedError())

    async def _refuse(
        self, conn: h11.Connection, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, refused: _RequestError
    ) -> None:
        """Answer ``refused``, then read and drop what the peer still sends (a while) before closing,
        so that the close does not reset the connection before the peer has read the answer."""
        reply = _json_reply(refused.status, {"error": str(refused)}, close=True)
        try:
            await self._send(conn, writer, reply)
            writer.write_eof()
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self.limits.linger
            while await _within(reader.read(65536), deadline - loop.time(), _ClosedError()):
                pass
        except (_ClosedError, ConnectionError, OSError):
            pass

    async def _answer(self, request: h11.Request, body: bytes, local: bool) -> _Reply:
        if request.target.startswith(_CONTROL_TARGET) and not local:
            return _reply(403, [("content-type", "text/plain")], b"the control endpoint answers loopback only")
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in request.headers}
        refused = door_problem(headers, open_host=not loopback_name(self.host))
        if refused is not None:  # a web page's request (cross-site, or through DNS rebinding)
            return _reply(403, [("content-type", "text/plain; charset=utf-8")], refused.encode())
        method, target = request.method.decode("ascii"), request.target.decode("latin-1")
        work = asyncio.ensure_future(_off_loop(self.app.answer, method, target, headers, body))
        stop = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait((work, stop), return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if not work.done():  # the server stops while the app still answers (a function that never returns)
            raise _ClosedError()
        try:
            answer = work.result()
            bad = next((p for p in (header_problem(k, v) for k, v in answer.headers) if p), None)
            if bad is not None:
                raise ValueError(f"the reply has a header HTTP cannot carry: {bad}")
            reply = _reply(answer.status, answer.headers, answer.body)  # h11 refuses a 1xx status
        except Exception as exc:  # a bug, or a reply it cannot send: say so, in the log and the reply
            log.exception("emulator: request failed")
            return _json_reply(500, {"error": f"the emulator failed: {type(exc).__name__}: {exc}"})
        if answer.delay > 0:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), answer.delay)
            if self._stopping.is_set():
                raise _ClosedError()
        return reply


async def _off_loop(fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` in a daemon thread of its own, awaited: an answer that takes long (a cloud
    function run, a payment notification, one that calls back into this server) holds up no other
    connection, and one that never ends holds up neither the server's stop nor the process's exit."""
    # in a copy of the server's context: the platform a callee's calls follow
    return await asyncio.wrap_future(threads.in_thread(fn, args, "wx-cloud-emulator-answer"))


async def _within(step: Awaitable[T], timeout: float, late: Exception) -> T:
    """``await step``, or raise ``late`` after ``timeout`` seconds."""
    try:
        return await asyncio.wait_for(step, max(timeout, 0))
    except asyncio.TimeoutError:
        raise late from None


def _json_reply(status: int, data: dict[str, str], *, close: bool = False) -> _Reply:
    headers = [("content-type", "application/json")] + [("connection", "close")] * close
    return _reply(status, headers, json.dumps(data, ensure_ascii=False).encode())


def _reply(status: int, reply_headers: list[tuple[str, str]], payload: bytes) -> _Reply:
    """The reply as h11 sends it (h11.LocalProtocolError for one HTTP cannot carry). Header values
    are sent without surrounding blanks, as a peer reads them."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    headers = [(k.encode("latin-1"), v.strip(" \t").encode("latin-1")) for k, v in reply_headers]
    headers.append((b"content-length", str(len(payload)).encode()))
    return h11.Response(status_code=status, headers=headers, reason=reason.encode()), payload


def _is_loopback(peer: object) -> bool:
    try:
        return ipaddress.ip_address(peer[0]).is_loopback  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return False


@contextmanager
def serve(app: App, host: str = "127.0.0.1", port: int = 0, limits: Limits | None = None) -> Iterator[str]:
    """Serve ``app`` from a background thread; yields its base URL (``http://127.0.0.1:PORT``)."""
    server = Server(app, host, port, limits)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    stop = asyncio.Event()

    async def main() -> None:
        await server.start()
        started.set()
        await stop.wait()
        await server.stop()

    # in a copy of the caller's context: a platform block around serve reaches its answers
    served = threads.in_thread(loop.run_until_complete, (main(),), "wx-cloud-emulator")
    if not started.wait(10):
        raise RuntimeError("the emulator server did not start")
    try:
        yield server.base_url
    finally:
        loop.call_soon_threadsafe(stop.set)
        concurrent.futures.wait([served], timeout=10)
        loop.close()


def run(app: App, host: str, port: int, announce: Callable[[str], None], limits: Limits | None = None) -> None:
    """Serve ``app`` in the foreground until interrupted."""

    async def main() -> None:
        server = Server(app, host, port, limits)
        await server.start()
        announce(server.base_url)
        await asyncio.Event().wait()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


@contextmanager
def spawn(*args: str) -> Iterator[str]:
    """``python -m cloud emulator --port 0 ARGS`` in a child process (its own GIL, as in a real
    deployment); yields its base URL, stops it after."""
    command = [sys.executable, "-m", "cloud", "emulator", "--port", "0", *args]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline() if proc.stderr else ""
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        if found is None:
            raise RuntimeError(f"the emulator did not start: {line.strip() or 'no output'}")
        yield found.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()
