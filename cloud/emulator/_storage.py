"""The emulator's cloud storage: a real file store on disk, behind WeChat's storage HTTP API.

``/tcb/uploadfile`` issues an upload URL with one-time signature fields (valid 15 minutes) for one
path; the form POST to that URL (``/__cos/<bucket>``, fields ``key``, ``Signature``,
``x-cos-security-token``, ``x-cos-meta-fileid``, ``file``) stores the file and answers 204, as COS
does. ``/tcb/batchdownloadfile`` gives signed temporary URLs (``/__cos/<bucket>/<path>?sign=&t=``)
that expire after ``max_age`` seconds; ``/tcb/batchdeletefile`` deletes. fileIDs have CloudBase's
form ``cloud://<env>.<bucket>/<path>``. Files live under ``root/<env>/<path>`` (a temporary
folder unless the emulator is given ``data``, then ``<data>/storage``, kept between runs).
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import hashlib
import hmac
import math
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from .. import catalog
from .._mongo.values import LIMIT_TEXT as LIMIT
from ._replies import Answer, Reply, error

COS_PREFIX = "/__cos/"
PATHS = catalog.cloud_paths("storage")
UPLOAD, TEMP_URLS = catalog.cloud_path("uploadFile"), catalog.cloud_path("getTempFileURL")
DEFAULT_ENV = "emulator-env"
"""The environment files go to when a call names none."""
UPLOAD_VALID = 15 * 60
NOT_EXIST = (-503003, "storage file not exists")
"""A missing file's status and errmsg in a list reply (wx-server-sdk shows the same pair)."""
_FILE_ID = re.compile(r"^cloud://([^./]+)\.([^/]+)/(.+)$")
_ENV = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
"""An environment ID (the name of its folder, so never ``.``, ``..`` or a path)."""
_EXPIRES = re.compile(r"^[0-9]{1,12}$")
"""A temporary URL's ``t``: epoch seconds, ASCII digits only."""
MAX_PARTS = 16
"""The most parts an upload form may have (it needs 5)."""
MAX_PENDING = 10_000
"""Upload signatures held at once: past it the oldest unused one is forgotten (its form is refused)."""
MAX_EXPIRES = 10**11
"""The latest expiry a temporary URL gets (about the year 5000), however large ``max_age`` is."""


def bucket_of(env: str) -> str:
    """The bucket of the files the emulator stores for ``env``."""
    return f"7465-{env}-1300000000"


_BUCKET = re.compile(r"^[0-9a-f]{4}-([A-Za-z0-9_-]{1,64})-[0-9]{1,20}$")
"""A bucket as the cloud names it, ``<4 hex digits>-<env>-<account number>``
(``7072-prod-2gzh-1304834920``): a fileID copied from a real environment names its file here too."""


def env_of(bucket: str) -> str | None:
    """The environment a bucket belongs to (None: not a bucket's name)."""
    found = _BUCKET.match(bucket)
    return found.group(1) if found else None


def _safe(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and "\\" not in path and "\0" not in path and all(p not in ("", ".", "..") for p in parts)


def _cos_error(status: int, code: str, message: str) -> Answer:
    """COS's XML error reply."""
    body = (
        f"<?xml version='1.0' encoding='utf-8' ?><Error><Code>{code}</Code><Message>{message}</Message>"
        f"<RequestId>{secrets.token_hex(12)}</RequestId><TraceId>{secrets.token_hex(16)}</TraceId></Error>"
    )
    return Answer(status, [("content-type", "application/xml")], body.encode())


@dataclass(frozen=True)
class _Upload:
    env: str
    path: str
    token: str
    cos_file_id: str
    expires: float


class FileStore:
    """Files by environment and path, on disk; thread-safe."""

    def __init__(self, root: str | os.PathLike[str] | None = None, clock: Callable[[], float] = time.time) -> None:
        self._temp = tempfile.TemporaryDirectory(prefix="wx-cloud-storage-") if root is None else None
        self.root = Path(self._temp.name if self._temp is not None else root)  # type: ignore[arg-type]
        self.root.mkdir(parents=True, exist_ok=True)
        self.clock = clock
        self._key = secrets.token_bytes(32)
        self._uploads: dict[str, _Upload] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        """No files, no pending uploads."""
        with self._lock:
            self._uploads.clear()
            for child in self.root.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()

    def put(self, file_id: str, content: bytes) -> None:
        """Store ``content`` as ``file_id`` (ValueError: not a fileID of a safe path)."""
        where = self.file(file_id)
        if where is None:
            raise ValueError(f"not a fileID (cloud://<env>.<bucket>/<path>): {file_id!r}")
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_bytes(content)

    def file(self, file_id: str) -> Path | None:
        """Where a fileID's file is (None: not a fileID of a safe path in its own env's bucket)."""
        found = _FILE_ID.match(file_id)
        if found is None or not _ENV.match(found.group(1)) or env_of(found.group(2)) != found.group(1):
            return None
        return self._inside(found.group(1), found.group(3))

    def _inside(self, env: str, path: str) -> Path | None:
        """``root/env/path``, or None when that is not a safe path or leads out of the root (a
        symbolic link in the data folder)."""
        if not _safe(path):
            return None
        target = self.root / env / path
        try:
            target.resolve().relative_to(self.root.resolve())
        except (ValueError, OSError):
            return None
        return target

    def read(self, file_id: str) -> bytes | None:
        """A stored file's bytes (None: no such file), for tests."""
        path = self.file(file_id)
        return path.read_bytes() if path is not None and path.is_file() else None

    def answer(self, path: str, params: dict[str, Any], base: str) -> Reply:
        """A WeChat storage API's JSON reply to ``params`` (the token already checked)."""
        env = params.get("env") if isinstance(params.get("env"), str) and params.get("env") else DEFAULT_ENV
        if not _ENV.match(str(env)):
            return error(40097, "invalid args: env must be an environment ID (letters, digits, '-' and '_')")
        if path == UPLOAD:
            return self._upload_meta(str(env), params.get("path"), base)
        if path == TEMP_URLS:
            items = params.get("file_list")
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                return error(40097, "invalid args: file_list must be a list of {fileid, max_age}")
            return {"errcode": 0, "errmsg": "ok", "file_list": [self._temp_url(i, base) for i in items]}
        ids = params.get("fileid_list")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            return error(40097, "invalid args: fileid_list must be a list of fileIDs")
        return {"errcode": 0, "errmsg": "ok", "delete_list": [self._delete(i) for i in ids]}

    def _upload_meta(self, env: str, path: Any, base: str) -> Reply:
        if not isinstance(path, str) or not _safe(path):
            return error(40097, "invalid args: path must be a relative file path without '.' or '..' parts")
        if any(len(part.encode("utf-8")) > 255 for part in path.split("/")):
            return error(40097, f"{LIMIT} a path part over 255 bytes (it keeps files in a folder)")
        bucket = bucket_of(env)
        authorization, token, cos_file_id = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_hex(16)
        with self._lock:
            now = self.clock()
            self._uploads[authorization] = _Upload(env, path, token, cos_file_id, now + UPLOAD_VALID)
            while self._uploads:  # oldest first, stopping at the first one kept: no pass over them all
                key, oldest = next(iter(self._uploads.items()))
                if oldest.expires > now and len(self._uploads) <= MAX_PENDING:
                    break
                del self._uploads[key]
        return {
            "errcode": 0,
            "errmsg": "ok",
            "url": f"{base}{COS_PREFIX}{bucket}",
            "token": token,
            "authorization": authorization,
            "file_id": f"cloud://{env}.{bucket}/{path}",
            "cos_file_id": cos_file_id,
        }

    def _sign(self, bucket: str, path: str, expires: int) -> str:
        return hmac.new(self._key, f"{bucket}/{path}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]

    def _temp_url(self, item: dict[str, Any], base: str) -> dict[str, Any]:
        file_id, max_age = item.get("fileid"), item.get("max_age")
        where = self.file(file_id) if isinstance(file_id, str) else None
        if where is None or not where.is_file():
            return {"fileid": file_id, "download_url": "", "status": NOT_EXIST[0], "errmsg": NOT_EXIST[1]}
        if isinstance(max_age, bool) or not isinstance(max_age, (int, float)) or not 0 < max_age < math.inf:
            return {"fileid": file_id, "download_url": "", "status": 40097, "errmsg": "invalid args: max_age"}
        found = _FILE_ID.match(str(file_id))
        assert found is not None
        bucket, path = found.group(2), found.group(3)
        expires = int(min(self.clock() + max_age, MAX_EXPIRES))
        url = f"{base}{COS_PREFIX}{bucket}/{quote(path)}?sign={self._sign(bucket, path, expires)}&t={expires}"
        return {"fileid": file_id, "download_url": url, "status": 0, "errmsg": "ok"}

    def _delete(self, file_id: str) -> dict[str, Any]:
        where = self.file(file_id)
        try:
            if where is None:
                raise FileNotFoundError
            where.unlink()
        except OSError:  # none there, or a folder (keys under it), which is no file: "not exists", as COS
            return {"fileid": file_id, "status": NOT_EXIST[0], "errmsg": NOT_EXIST[1]}
        return {"fileid": file_id, "status": 0, "errmsg": "ok"}

    def serve(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes) -> Answer:
        """The storage server: the upload form POST, and the temporary URLs' GET."""
        bucket, _, key = path[len(COS_PREFIX) :].partition("/")
        if method == "POST" and not key:
            return self._receive(bucket, headers, body)
        if method in ("GET", "HEAD") and key:
            return self._send(bucket, unquote(key), query)
        return _cos_error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")

    def _receive(self, bucket: str, headers: dict[str, str], body: bytes) -> Answer:
        fields = _form(headers.get("content-type", ""), body)
        with self._lock:
            upload = self._uploads.get(str(fields.get("Signature", "")))
            fresh = upload is not None and upload.expires > self.clock()
            good = (
                fresh
                and upload is not None
                and bucket == bucket_of(upload.env)
                and all(
                    fields.get(name) == value
                    for name, value in (
                        ("key", upload.path),
                        ("x-cos-security-token", upload.token),
                        ("x-cos-meta-fileid", upload.cos_file_id),
                    )
                )
            )
            if good and upload is not None:
                del self._uploads[str(fields["Signature"])]  # one upload per signature
        if not good or upload is None:
            return _cos_error(403, "AccessDenied", "Access Denied. The signature does not match or has expired.")
        if not isinstance(fields.get("file"), bytes):
            return _cos_error(400, "InvalidArgument", "The form has no file field.")
        target = self._inside(upload.env, upload.path)
        if target is None:
            return _cos_error(403, "AccessDenied", "Access Denied. The key leads out of the bucket.")
        partial = target.with_name(f".{secrets.token_hex(6)}.part")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(fields["file"])
            partial.replace(target)  # readers see the old file or the new one, never half of one
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink()
            return _cos_error(409, "KeyConflict", f"{LIMIT} both a file and a folder at one key: {upload.path}")
        return Answer(204, [("etag", hashlib.md5(fields["file"]).hexdigest())], b"")

    def _send(self, bucket: str, key: str, query: dict[str, str]) -> Answer:
        expires = query.get("t", "")
        expected = self._sign(bucket, key, int(expires)) if _EXPIRES.match(expires) else ""
        if not expected or not hmac.compare_digest(expected, query.get("sign", "")):
            return _cos_error(403, "AccessDenied", "Access Denied. The signature does not match.")
        if int(expires) < self.clock():
            return _cos_error(403, "AccessDenied", "Request has expired.")
        env = env_of(bucket)
        target = self._inside(env, key) if env is not None else None
        if target is None or not target.is_file():
            return _cos_error(404, "NoSuchKey", "The specified key does not exist.")
        return Answer(200, [("content-type", "application/octet-stream")], target.read_bytes())


def _form(content_type: str, body: bytes) -> dict[str, Any]:
    """A multipart form's fields: text fields as text, the ``file`` field as bytes."""
    if not content_type.startswith("multipart/form-data"):
        return {}
    boundary = re.search(r'boundary="?([^";\s]+)', content_type)
    if boundary is None or body.count(b"--" + boundary.group(1).encode("latin-1")) > MAX_PARTS + 1:
        return {}  # the form COS takes has 5 fields: thousands of parts are refused unread
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body
    )
    fields: dict[str, Any] = {}
    for part in message.iter_parts() if message.is_multipart() else ():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        payload = payload if isinstance(payload, bytes) else b""
        if isinstance(name, str):
            fields[name] = payload if name == "file" else payload.decode("utf-8", "replace")
    return fields
