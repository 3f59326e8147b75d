"""Cloud storage beside the cloud call: ``uploadFile``, ``downloadFile``, ``getTempFileURL``,
``deleteFile``, each a :class:`~cloud._core.flow.Family` whose ``run`` is a sans-I/O flow.

Their HTTP forms are WeChat's storage HTTP API (``docs/storage.md``): ``POST /tcb/uploadfile``
(``{env, path}`` → an upload URL and its signature fields), then a form POST of the file to that
URL, with no token; ``POST /tcb/batchdownloadfile`` (temporary URLs), then for ``downloadFile`` a
GET of the URL; ``POST /tcb/batchdeletefile``. The WeChat requests go through :func:`cloud._core.flow.flow`
(tokens, deadline, retries, error shaping); the storage request is one more effect of the same
flow. Checks, messages and result shapes follow wx-server-sdk 4.0.2 (``tests/test_storage_parity.py``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote

from .. import catalog, errors
from .._core import flow as call
from .._core import request, response
from .._core.config import Config
from .._core.messages import Blocking, Failure, Reply, Request
from .._js.value import js_truthy, js_type, typeof
from .common import BAD_PARAM, NOARG, RAW, fail, fixed, need

NOT_EXIST = -503003
"""CloudBase's STORAGE_FILE_NONEXIST, a file's ``status`` when there is no such file."""
DOWNLOAD_MAX_AGE = 600
"""What ``downloadFile`` asks for the URL it downloads from, as Node's SDK does."""


def _reply(
    name: str, display_name: str, outcome: Any, convert_case: bool, body: response.Body | None, params: Any
) -> dict[str, Any]:
    """The WeChat reply as it came (snake_case), or its error as ``<api>:fail <errmsg>``."""
    return response.interpret(display_name, outcome, convert_case=False, body=body)


def step(name: str) -> call.Family:
    """The WeChat request of a storage call, retried only when it cannot do anything twice."""
    return call.Family(
        "",
        endpoint=fixed(name),
        interpret=_reply,
        retried=lambda endpoint: endpoint.idempotent,
    )


def remaining(deadline: float, clock: Callable[[], float]) -> float:
    return deadline - clock()


def storage_request(
    method: str, url: str, *, content: bytes = b"", content_type: str | None = None, timeout: float
) -> Request:
    """A request to the storage server (no token: the URL or the form carries the signature)."""
    base, _, query = url.partition("?")
    pairs = tuple((unquote(k), unquote(v)) for k, _, v in (item.partition("=") for item in query.split("&") if item))
    headers = () if content_type is None else (("content-type", content_type),)
    return Request(method, base, pairs, headers, content, timeout)


def _cos_error(display_name: str, outcome: Reply | Failure) -> errors.CloudSDKError:
    """The storage server's refusal as Node shows it: ``[Code]: Message`` from its XML error."""
    if isinstance(outcome, Failure):
        return errors.coded(display_name, outcome.code, outcome.detail)
    text = outcome.body.decode("utf-8", "replace")
    code, message = re.search(r"<Code>(.*?)</Code>", text), re.search(r"<Message>(.*?)</Message>", text)
    if code and message:
        return fail(display_name, f"[{code.group(1)}]: {message.group(1)}")
    return fail(display_name, f"storage server answered HTTP {outcome.status}")


# uploadFile


def _upload_params(params: Any, display_name: str) -> tuple[str, Any]:
    path = need(params, display_name, "cloudPath", "string")
    content = params.get("fileContent")
    buffer = isinstance(content, (bytes, bytearray, memoryview))
    if not buffer and (content is None or content is NOARG or not js_truthy(content)):
        raise fail(display_name, f"Type of fileContent must be fs.ReadStream instead of {typeof(content)}")
    if not buffer and not callable(getattr(content, "read", None)):
        raise fail(display_name, "[node-sdk] fileContent should be instance of fs.ReadStream or Buffer", BAD_PARAM)
    return path, content


def read_upto(read: Callable[[int], Any], limit: int) -> bytes:
    """At most ``limit`` bytes from a file object's ``read`` (text is sent as UTF-8), however
    much it would give: an endless stream stops there."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = read(limit - size)
        if not chunk:
            break
        chunk = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def upload_flow(
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
    """``uploadFile({cloudPath, fileContent})``: the upload URL from WeChat, then the form POST."""
    display_name = "uploadFile"
    deadline = clock() + config.timeout
    path, content = _upload_params(params, display_name)
    if not isinstance(content, (bytes, bytearray, memoryview)):
        try:  # a file object: read where reading may block, within the deadline and the size limit
            content = yield Blocking(read_upto, (content.read, config.max_request_bytes + 1), config.timeout)
        except TimeoutError:
            raise errors.coded(display_name, errors.RESOURCE_SERVER_TIMEOUT, "reading fileContent timed out") from None
        except Exception as exc:  # the file object's own failure, shown as the call's
            raise fail(display_name, f"reading fileContent failed: {type(exc).__name__}: {exc}") from exc
    if len(content) > config.max_request_bytes:
        detail = (
            f"fileContent is {len(content)} bytes, over the {config.max_request_bytes}-byte limit (maxRequestBytes)"
        )
        raise errors.invalid_params(display_name, detail)
    meta = yield from call.flow(
        display_name,
        {"env": config.env_for("storage", params), "path": path},
        RAW,
        config,
        shared,
        clock=clock,
        request_token=request_token,
        family=UPLOAD_STEP,
    )
    signed = _form_post(meta, path, bytes(content), remaining(deadline, clock))
    file_id, hidden = meta.get("file_id"), Hidden((meta.get("token"), meta.get("authorization")))
    del meta, content  # the upload's signature stays out of a traceback's locals (Request hides its body)
    outcome = Failure("timeout", "request timeout") if signed.timeout <= 0 else (yield signed)
    if isinstance(outcome, Reply) and 200 <= outcome.status < 300:
        # Node 4.0.2 reports statusCode -1: its hook for the storage server's status is never called
        return {"fileID": file_id, "statusCode": -1, "errMsg": f"{display_name}:ok"}
    raise errors.scrub(_cos_error(display_name, outcome), (*shared.secrets, *hidden))


class Hidden(tuple):  # type: ignore[type-arg]
    """Credentials kept for scrubbing, shown as ``(hidden)`` (in a traceback's locals too)."""

    def __repr__(self) -> str:
        return "(hidden)"


def _form_post(meta: dict[str, Any], path: str, content: bytes, timeout: float) -> Request:
    """The form POST of the file to the URL ``/tcb/uploadfile`` gave, with its signature fields."""
    form = {
        "key": path,
        "Signature": meta.get("authorization", ""),
        "x-cos-security-token": meta.get("token", ""),
        "x-cos-meta-fileid": meta.get("cos_file_id", ""),
        "file": request.MediaPart("file", "application/octet-stream", content, path.rsplit("/", 1)[-1]),
    }
    body, content_type = request.multipart(form)
    return storage_request("POST", str(meta.get("url", "")), content=body, content_type=content_type, timeout=timeout)


UPLOAD_STEP = step("uploadFile")
UPLOAD = call.Family("", run=upload_flow)


# getTempFileURL and downloadFile


def _temp_list(params: Any, display_name: str) -> tuple[list[dict[str, Any]], list[Any]]:
    """``fileList`` as the HTTP API takes it, and each item's ``maxAge`` as given (NOARG: none)."""
    files = need(params, display_name, "fileList", "array")
    wanted, ages = [], []
    for item in files:
        if isinstance(item, Mapping):
            if "fileID" not in item or "maxAge" not in item:
                raise fail(display_name, "fileList 的元素如果是对象，必须是包含 fileID 和 maxAge 的对象", BAD_PARAM)
            wanted.append({"fileid": item["fileID"], "max_age": item["maxAge"]})
            ages.append(item["maxAge"])
        elif isinstance(item, str):
            wanted.append({"fileid": item, "max_age": catalog.TEMP_URL_MAX_AGE})
            ages.append(NOARG)
        else:
            raise fail(display_name, "fileList的元素如果不是对象，则必须是字符串", BAD_PARAM)
    return wanted, ages


def _items(reply: dict[str, Any], key: str) -> list[dict[str, Any]]:
    found = reply.get(key)
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def temp_url_flow(
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
    """``getTempFileURL({fileList})`` → ``{fileList: [{fileID, status, errMsg, maxAge?, tempFileURL}], errMsg}``."""
    wanted, ages = _temp_list(params, "getTempFileURL")
    body = {"env": config.env_for("storage", params), "file_list": wanted}
    reply = yield from call.flow(
        "getTempFileURL", body, RAW, config, shared, clock=clock, request_token=request_token, family=TEMP_STEP
    )
    found = []
    for index, item in enumerate(_items(reply, "file_list")):
        entry: dict[str, Any] = {
            "fileID": item.get("fileid"),
            "status": item.get("status", 0),
            "errMsg": item.get("errmsg", "ok"),
        }
        if index < len(ages) and ages[index] is not NOARG:
            entry["maxAge"] = ages[index]
        entry["tempFileURL"] = "" if item.get("status") else item.get("download_url") or ""
        found.append(entry)
    return {"fileList": found, "errMsg": "getTempFileURL:ok"}


def download_flow(
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
    """``downloadFile({fileID})``: a temporary URL from WeChat, then a GET of it (no token)."""
    display_name = "downloadFile"
    deadline = clock() + config.timeout
    file_id = need(params, display_name, "fileID", "string")
    body = {"env": config.env_for("storage", params), "file_list": [{"fileid": file_id, "max_age": DOWNLOAD_MAX_AGE}]}
    reply = yield from call.flow(
        display_name, body, RAW, config, shared, clock=clock, request_token=request_token, family=TEMP_STEP
    )
    items = _items(reply, "file_list")
    if not items or items[0].get("status") or not items[0].get("download_url"):
        status = items[0].get("status") if items else NOT_EXIST
        detail = "storage file not exist" if status == NOT_EXIST else items[0].get("errmsg", "")
        code = errors.CODE_NAMES.get(status, "SYS_ERR") if status else None  # Node: the file's CloudBase code
        raise fail(display_name, str(detail), code)  # and its CloudBase message
    signed = storage_request("GET", str(items[0]["download_url"]), timeout=remaining(deadline, clock))
    del reply, items  # the URL's signature stays out of a traceback's locals (Request hides its query)
    outcome = Failure("timeout", "request timeout") if signed.timeout <= 0 else (yield signed)
    if isinstance(outcome, Reply) and outcome.status == 200:
        return {"fileContent": outcome.body, "statusCode": 200, "errMsg": f"{display_name}:ok"}
    if isinstance(outcome, Failure):
        raise errors.coded(display_name, outcome.code, outcome.detail)
    # Node names the URL too; its query is a signature, so only the path is shown here
    raise fail(display_name, f"下载文件失败: Status:{outcome.status} Url:{signed.url}", "STORAGE_REQUEST_FAIL")


TEMP_STEP = step("getTempFileURL")
TEMP_URL = call.Family("", run=temp_url_flow)
DOWNLOAD = call.Family("", run=download_flow)


# deleteFile


def delete_flow(
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
    """``deleteFile({fileList: [fileID, ...]})`` → ``{fileList: [{fileID, status, errMsg}], errMsg}``."""
    display_name = "deleteFile"
    files = need(params, display_name, "fileList", "array")
    for index, item in enumerate(files):
        if not isinstance(item, str):
            raise fail(display_name, f"Type of fileList[{index}] must be string instead of {js_type(item)}")
    if not all(files):
        raise fail(display_name, "fileList的元素必须是非空的字符串", BAD_PARAM)
    body = {"env": config.env_for("storage", params), "fileid_list": list(files)}
    reply = yield from call.flow(
        display_name, body, RAW, config, shared, clock=clock, request_token=request_token, family=DELETE_STEP
    )
    found = [
        {"fileID": item.get("fileid"), "status": item.get("status", 0), "errMsg": item.get("errmsg", "ok")}
        for item in _items(reply, "delete_list")
    ]
    return {"fileList": found, "errMsg": f"{display_name}:ok"}


DELETE_STEP = step("deleteFile")
DELETE = call.Family("", run=delete_flow)
