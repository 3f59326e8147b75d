"""What the emulator received: one :class:`Recorded` request each, with tokens and secrets kept out
of its repr and of its public (JSON) form."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from . import _checks as checks
from ._checks import SECRET_PARAMS


@dataclass(frozen=True)
class Part:
    """One part of a multipart body: a form field (``filename`` None) or a file."""

    name: str
    filename: str | None
    content_type: str | None
    content: bytes


@dataclass(frozen=True, repr=False)
class Recorded:
    """One request the emulator received. Its repr shows tokens and secrets as ``***``; the
    fields hold them as sent."""

    method: str
    path: str
    query: dict[str, str] = field(repr=False)
    headers: dict[str, str] = field(repr=False)
    body: bytes
    api: str | None = None
    """The catalogued API its path and method belong to (the first name, for shared endpoints)."""

    def __repr__(self) -> str:
        return (f"Recorded(method={self.method!r}, path={self.path!r}, query={self.redacted_query!r}, "
                f"body={checks.redacted_body(self.body)!r}, api={self.api!r})")  # fmt: skip

    def json(self) -> Any:
        return json.loads(self.body)

    def parts(self) -> list[Part]:
        """The parts of a multipart/form-data body (none for any other body)."""
        content_type = self.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            return []
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + self.body)
        out = []
        for part in message.iter_parts():
            payload = part.get_payload(decode=True)
            name, filename = part.get_param("name", header="content-disposition"), part.get_filename()
            file_type = part.get_content_type() if filename else None
            out.append(Part(str(name or ""), filename, file_type, payload if isinstance(payload, bytes) else b""))
        return out

    @property
    def redacted_query(self) -> dict[str, str]:
        """``query`` with tokens and secrets shown as ``***``."""
        return {k: "***" if k in SECRET_PARAMS else v for k, v in self.query.items()}

    def public(self) -> dict[str, Any]:
        """This request as JSON data, tokens and secrets redacted (the control endpoint's log)."""
        out: dict[str, Any] = {"api": self.api, "method": self.method, "path": self.path, "query": self.redacted_query}
        body = checks.redacted_body(self.body)  # a stable_token fetch carries the secret
        try:
            out["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            out["bodyBase64"] = base64.b64encode(body).decode("ascii")
        return out
