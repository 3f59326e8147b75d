"""Every error a cloud call raises, shaped the way wx-server-sdk 4.0.2 shapes it.

All of them are :class:`CloudSDKError` with ``errCode`` and ``errMsg``. The codes::

    <WeChat errcode>  the reply's errcode as sent (a string stays a string), when it is truthy;
                      errMsg "openapi.X.Y:fail <errmsg>"                          (reply_error)
    -1       unknown error        cloud API used before cloud.init(); no token source configured (or
                                  the tokenProvider failed); errMsg "openapi.X.Y:fail <what>"
    -501001  resource system error  the connection failed, HTTP status not 2xx without errcode, a
                      reply over maxReplyBytes, or the token store failed;
                      errMsg "openapi.X.Y:fail -501001 resource system error. <detail>"
    -501002  resource server timeout  no reply in time;
                      errMsg "openapi.X.Y:fail -501002 resource server timeout. <detail>"
    -501007  invalid parameters   params or options we will not send (not a mapping, not JSON, too
                                  large, ...)
    -601001  system error         a JSON reply that does not parse, or is not a JSON object;
                      errMsg "openapi.X.Y:fail wechat server internal error, response body is ..."
    -604100  API not found        the API name is not in the catalogue;
                      errMsg "system error: error code: -604100" (no API name, like the gateway)
    -604101  function has no permission to call this API   the name is not in ``permissions``
                      (config.json's permissions.openapi); errMsg "system error: error code: -604101"

``str(err)`` is what Node's ``err.message`` is for the same failure: errors Node raises as
CloudSDKError print ``errCode: <code> <text> | errMsg: <errMsg>``; errors Node builds as a plain
Error (transport and parameter failures) print the errMsg alone. ``err.to_dict()`` is what
``JSON.stringify(err)`` gives: ``{"errCode": ..., "errMsg": ...}``, led by ``code`` and ``requestId``
for the storage errors that carry them in Node (CloudBase's error name, such as
``STORAGE_FILE_NONEXIST`` or ``INVALID_PARAM``, and its request id, ``""`` there).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from ._js import value as jsvalue

# The texts wx-server-sdk's error table gives each code (src/config/error.config.ts).
CODE_TEXTS: dict[str, str] = {
    "-1": "unknown error",
    "-501001": "resource system error",
    "-501002": "resource server timeout",
    "-501003": "exceed request limit",
    "-501007": "invalid parameters",
    "-503001": "storage request fail",
    "-503002": "storage permission denied",
    "-503003": "storage file not exists",
    "-503004": "storage invalid sign parameter",
    "-504001": "functions request fail",
    "-504002": "functions execute fail",
    "-601001": "system error",
    "-604100": "API not found",
    "-604101": "function has no permission to call this API",
    "-604102": "call open API timeout",
}

# wx-server-sdk 4.0.2's names of CloudBase's error codes (its TCB_ERR_CODE), by number.
CODE_NAMES: dict[int, str] = {
    -501001: "SYS_ERR", -501002: "SERVER_TIMEOUT", -501007: "INVALID_PARAM", -502001: "DATABASE_REQUEST_FAILED",
    -502002: "DATABASE_INVALID_OPERRATOR", -502003: "DATABASE_PERMISSION_DENIED",
    -502004: "DATABASE_COLLECTION_EXCEED_LIMIT", -502005: "DATABASE_COLLECTION_NOT_EXIST",
    -503001: "STORAGE_REQUEST_FAIL", -503002: "STORAGE_EXCEED_AUTHORITY", -503003: "STORAGE_FILE_NONEXIST",
    -503004: "STORAGE_SIGN_PARAM_INVALID", -504001: "FUNCTIONS_REQUEST_FAIL", -504002: "FUNCTIONS_EXECUTE_FAIL",
}  # fmt: skip

UNKNOWN_ERROR = -1
RESOURCE_SYSTEM_ERROR = -501001
RESOURCE_SERVER_TIMEOUT = -501002
INVALID_PARAMETERS = -501007
WX_SYSTEM_ERROR = -601001
API_NOT_FOUND = -604100
NO_PERMISSION = -604101

NOT_INITIALISED_MSG = (
    "Cloud API isn't enabled, please call init first\n"
    "请先调用 init 完成初始化后再调用其他云 API。init 方法可传入一个对象用于设置默认配置，详见文档。"
)


def code_text(code: Any) -> str:
    """Node's text for a code, or "" (looked up by the code's JavaScript string form)."""
    return CODE_TEXTS.get(jsvalue.js_str(code), "")


class CloudSDKError(Exception):
    """A failed cloud call: ``errCode`` and ``errMsg`` as Node's CloudSDKError carries them; ``code``
    and ``requestId`` (else None) where Node's error has them too (storage errors from CloudBase)."""

    errCode: Any
    errMsg: str
    code: str | None
    requestId: str | None

    def __init__(
        self,
        errCode: Any,
        errMsg: str,
        *,
        message: str | None = None,
        code: str | None = None,
        requestId: str | None = None,
        **extra: Any,
    ) -> None:
        self.errCode = errCode
        self.errMsg = errMsg
        self._message = message
        self.code, self.requestId = code, requestId
        for key, value in extra.items():
            setattr(self, key, value)
        super().__init__(str(self))

    def __str__(self) -> str:
        if self._message is not None:
            return self._message
        return f"errCode: {jsvalue.js_str(self.errCode)} {code_text(self.errCode)} | errMsg: {self.errMsg}"

    @property
    def message(self) -> str:
        """Node's ``err.message``: the same as ``str(err)``."""
        return str(self)

    def __repr__(self) -> str:
        code = "" if self.code is None else f", code={self.code!r}"
        return f"CloudSDKError(errCode={self.errCode!r}, errMsg={self.errMsg!r}{code})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.errCode, self.errMsg, self._message, self.code, self.requestId))

    def to_dict(self) -> dict[str, Any]:
        """What ``JSON.stringify(err)`` gives in Node: ``code`` and ``requestId`` first when set."""
        found = {"code": self.code, "requestId": self.requestId}
        return {**{k: v for k, v in found.items() if v is not None}, "errCode": self.errCode, "errMsg": self.errMsg}


def _rebuild(
    errCode: Any, errMsg: str, message: str | None, code: str | None = None, requestId: str | None = None
) -> CloudSDKError:
    return CloudSDKError(errCode, errMsg, message=message, code=code, requestId=requestId)


def fail_msg(display_name: str, text: str) -> str:
    return f"{display_name}:fail {text}"


def coded(display_name: str, code: int, detail: str) -> CloudSDKError:
    """An error Node builds from ``{errCode, errMsg}`` as a plain Error: its message is its errMsg."""
    msg = fail_msg(display_name, f"{code} {code_text(code)}. {detail}")
    return CloudSDKError(code, msg, message=msg)


def invalid_params(display_name: str, detail: str) -> CloudSDKError:
    return coded(display_name, INVALID_PARAMETERS, detail)


def not_initialised() -> CloudSDKError:
    return CloudSDKError(UNKNOWN_ERROR, NOT_INITIALISED_MSG)


def api_not_found(**extra: Any) -> CloudSDKError:
    """The gateway's answer for an unknown name: no API name in errMsg (extra attributes may say it)."""
    return CloudSDKError(API_NOT_FOUND, f"system error: error code: {API_NOT_FOUND}", **extra)


def no_permission(**extra: Any) -> CloudSDKError:
    """The gateway's answer for an API missing from the function's ``permissions.openapi``."""
    return CloudSDKError(NO_PERMISSION, f"system error: error code: {NO_PERMISSION}", **extra)


def reply_error(display_name: str, errcode: Any, errmsg: Any) -> CloudSDKError:
    """WeChat answered with a truthy errcode."""
    return CloudSDKError(errcode, fail_msg(display_name, jsvalue.js_str(errmsg)))


def server_error(display_name: str, text: str) -> CloudSDKError:
    return CloudSDKError(WX_SYSTEM_ERROR, fail_msg(display_name, f"wechat server internal error, {text}"))


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret (and any ``access_token``, ``secret``, ``password`` or ``sign``
    query value: ``sign`` signs a temporary file URL) replaced by ``***``.

    Secrets shorter than 8 characters are not searched for (real tokens are 100+ characters; a
    one-letter test token would otherwise mangle every message)."""
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, "***")
    return re.sub(_SECRET_IN_QUERY, r"\1***", text)


_SECRET_IN_QUERY = r"((?:access_token|secret|password|(?<![\w-])sign)=)[^&\s'\"]+"  # compiled on first use
_USERINFO = r"(?s)^([A-Za-z][A-Za-z0-9+.-]*:)?//(.*)@"  # to the last "@": never less


def scrub(err: CloudSDKError, secrets: Iterable[str | None]) -> CloudSDKError:
    """``err`` with every secret taken out of its texts (a server may echo what it was sent)."""
    secrets = tuple(secrets)
    err.errMsg = redact(err.errMsg, secrets)
    if err._message is not None:
        err._message = redact(err._message, secrets)
    err.args = (str(err),)
    return err


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ``***``: in its user info (``redis://:pw@host`` →
    ``redis://:***@host``; user info without a ``:`` may be a password, so all of it) and in its
    query (``?password=pw``). Works on URLs that do not parse, too: everything up to the last
    ``@`` counts as user info, so an unencoded ``/``, ``?`` or ``#`` in a password is hidden too."""

    def userinfo(match: re.Match[str]) -> str:
        user, colon, _ = match.group(2).partition(":")
        return f"{match.group(1) or ''}//{user + ':***' if colon else '***'}@"

    shown, found = re.subn(_USERINFO, userinfo, url, count=1)
    if not found and "@" in url:  # no scheme://user@ shape (redis//:pw@host, a missing colon or slash)
        shown = "***@" + url.rpartition("@")[2]
    return redact(shown, ())


def shown_value(value: Any, limit: int = 100) -> str:
    """``repr(value)`` for a message or a log line, cut to ``limit`` characters (ending in "…");
    a value whose repr fails (an int too long to print) shows its type."""
    try:
        text = repr(value[: limit + 1]) if isinstance(value, (str, bytes, bytearray)) else repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(name: str, limit: int = 100) -> str:
    """A name (an API name, a param path) for a message or a log line: as it is when it is at most
    ``limit`` printable characters without spaces, else quoted like ``repr`` (no line breaks or
    control characters) and cut to ``limit`` characters, ending in "…"."""
    if 0 < len(name) <= limit and name.isprintable() and " " not in name:
        return name
    return shown_value(name, limit)


class RedactingFilter(logging.Filter):
    """Takes ``access_token=``, ``secret=``, ``password=`` and ``sign=`` values out of log records
    (httpx logs every URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(name in message for name in ("access_token=", "secret=", "password=", "sign=")):
            record.msg, record.args = redact(message, ()), ()
        return True


def redact_library_logs() -> None:
    """Attach :class:`RedactingFilter` to the loggers of the libraries we send through (once)."""
    # a logger's filters see only its own records: httpcore logs on its modules' loggers
    for name in ("httpx", "httpcore", "httpcore.http11", "httpcore.http2", "httpcore.connection"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
