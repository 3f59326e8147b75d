"""The emulator over real HTTP: an asyncio HTTP/1.1 server on loopback (h11 parses the protocol).

One event loop serves every connection, so hundreds of concurrent keep-alive connections cost no
threads. ``serve`` runs it in a background thread (tests); ``run`` in the foreground (the CLI).
Request lines are never logged: they carry the access token. The control endpoint
(``/__emulator/...``) answers loopback peers only, whatever address the server listens on.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import TYPE_CHECKING, Protocol

import h11

if TYPE_CHECKING:
    from .app import Answer

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 64 * 1024 * 1024


class App(Protocol):
    """What the server serves: the emulator, or anything that answers like it."""

    def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer: ...


CONTROL_PREFIX = b"/__emulator/"


class Server:
    """An HTTP server for ``app`` on ``host:port`` (port 0: any free port)."""

    def __init__(self, app: App, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app, self.host, self.port = app, host, port
        self._server: asyncio.AbstractServer | None = None
        self._connections: dict[asyncio.Task[None], asyncio.StreamWriter] = {}

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._connection, self.host, self.port, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and end every open connection."""
        if self._server is not None:
            self._server.close()
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
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_REQUEST_BYTES)
        request: h11.Request | None = None
        body = bytearray()
        try:
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    conn.receive_data(await reader.read(65536))
                    continue
                if isinstance(event, h11.Request):
                    request, body = event, bytearray()
                elif isinstance(event, h11.Data):
                    body += event.data
                    if len(body) > MAX_REQUEST_BYTES:
                        break
                elif isinstance(event, h11.EndOfMessage) and request is not None:
                    writer.write(await self._answer(request, bytes(body), local))
                    await writer.drain()
                    if not _keep_alive(request):
                        break
                    # h11 parsed the request; the reply is written as is (any header value a server
                    # may send, even one h11 would refuse), so parse the next request afresh
                    leftover, closed = conn.trailing_data
                    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_REQUEST_BYTES)
                    if leftover:
                        conn.receive_data(bytes(leftover))
                    if closed:
                        conn.receive_data(b"")  # b"" tells h11 the peer closed
                    request = None
                else:  # ConnectionClosed
                    break
        except (h11.RemoteProtocolError, ConnectionError):
            pass
        except Exception:  # a bug in the app: say so, and end this connection only
            log.exception("emulator: request failed")
        finally:
            writer.close()

    async def _answer(self, request: h11.Request, body: bytes, local: bool) -> bytes:
        if request.target.startswith(CONTROL_PREFIX) and not local:
            return _reply(403, [("content-type", "text/plain")], b"the control endpoint answers loopback only")
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in request.headers}
        answer = self.app.answer(request.method.decode("ascii"), request.target.decode("latin-1"), headers, body)
        if answer.delay > 0:
            await asyncio.sleep(answer.delay)
        return _reply(answer.status, answer.headers, answer.body)


def _reply(status: int, reply_headers: list[tuple[str, str]], payload: bytes) -> bytes:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    lines = [
        f"HTTP/1.1 {status} {reason}",
        *(f"{k}: {v}" for k, v in reply_headers),
        f"content-length: {len(payload)}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload


def _is_loopback(peer: object) -> bool:
    try:
        return ipaddress.ip_address(peer[0]).is_loopback  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return False


def _keep_alive(request: h11.Request) -> bool:
    connection = b",".join(v for k, v in request.headers if k == b"connection").lower()
    return request.http_version == b"1.1" and b"close" not in connection


def make_server(app: App, host: str = "127.0.0.1", port: int = 0) -> Server:
    return Server(app, host, port)


@contextmanager
def serve(app: App, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` from a background thread; yields its base URL (``http://127.0.0.1:PORT``)."""
    server = Server(app, host, port)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    stop = asyncio.Event()

    async def main() -> None:
        await server.start()
        started.set()
        await stop.wait()
        await server.stop()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), name="wx-cloud-emulator", daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("the emulator server did not start")
    try:
        yield server.base_url
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)
        loop.close()


def run(app: App, host: str, port: int, announce: Callable[[str], None]) -> None:
    """Serve ``app`` in the foreground until interrupted."""

    async def main() -> None:
        server = Server(app, host, port)
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
