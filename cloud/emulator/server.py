"""The emulator over real HTTP: a small threaded server on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol


class App(Protocol):
    """What the server serves: the emulator, or anything that answers like it."""

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]: ...


def make_server(emulator: App, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A server (not yet serving) that hands every request to ``emulator``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "wx-cloud-emulator"

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            status, headers, payload = emulator.handle(self.command, self.path, dict(self.headers.items()), body)
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815 - http.server's names

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
            pass  # request lines carry the access token: never logged

    return _Server((host, port), Handler)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 resets connections under a burst of concurrent calls


@contextmanager
def serve(emulator: App, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``emulator`` in a background thread; yields its base URL (``http://127.0.0.1:PORT``)."""
    server = make_server(emulator, host, port)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="wx-cloud-emulator", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
