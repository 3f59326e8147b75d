"""A loopback HTTP server for the hardening tests, run in its own process (``python hostile_server.py
MODE``; it prints its port, then serves until killed). Modes:

- ``echo``: keep-alive HTTP/1.1; every POST answers ``{"errcode": 0, "echo": <the body's
  client_msg_id>, "pid": <the server's pid>}``; ``/cgi-bin/stable_token`` answers a token after
  ``SLOW_TOKEN`` seconds for the first request, at once after.
- ``drip``: answers every request with its status line and headers one byte every 0.5 s.
- ``mirror``: echoes what it was sent in its errors, as a careless server may: ``stable_token``
  fails with the request body in its errmsg; ``/wxa/servicemarket`` fails with the access token
  in its errmsg; anything else answers an HTML page repeating the URL and body, labelled JSON.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SLOW_TOKEN = 2.0
_first_token = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.do_POST()

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        getattr(self, f"_{MODE}")(body)

    def _send(self, status: int, payload: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _echo(self, body: bytes) -> None:
        if self.path.startswith("/cgi-bin/stable_token"):
            if _first_token.acquire(blocking=False):
                time.sleep(SLOW_TOKEN)
            self._send(200, json.dumps({"access_token": "hostile-token-0123456789", "expires_in": 7200}).encode())
            return
        echo = json.loads(body or b"{}").get("client_msg_id")
        self._send(200, json.dumps({"errcode": 0, "echo": echo, "pid": PID}).encode())

    def _drip(self, body: bytes) -> None:
        head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 13\r\n\r\n"
        try:
            for byte in head:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.5)
            self.wfile.write(b'{"errcode":0}')
        except OSError:
            pass
        self.close_connection = True

    def _mirror(self, body: bytes) -> None:
        text = body.decode("utf-8", "replace")
        if self.path.startswith("/cgi-bin/stable_token"):
            self._send(200, json.dumps({"errcode": 40125, "errmsg": f"invalid appsecret in {text}"}).encode())
        elif self.path.startswith("/wxa/servicemarket"):
            token = parse_qs(urlsplit(self.path).query).get("access_token", [""])[0]
            self._send(200, json.dumps({"errcode": 48001, "errmsg": f"api unauthorized for token {token}"}).encode())
        else:
            self._send(200, f"<html>bad gateway for {self.path} with {text}</html>".encode())


if __name__ == "__main__":
    MODE = sys.argv[1]
    PID = __import__("os").getpid()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()
