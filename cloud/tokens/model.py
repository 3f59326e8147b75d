"""A token as the cache holds it, and the refresh schedule."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import errors

REFRESH_MARGIN = 300.0
"""Seconds before expiry at which a token is refreshed. WeChat keeps an old classic token valid
for 5 minutes after a new one is issued, and stable_token starts handing out the next token 5
minutes before the current one expires: refreshing in that window gets the next token while the
current one still works."""


TOKEN_PARAMS = frozenset({"access_token", "cloudbase_access_token"})
"""The query parameters a token travels in."""


def is_token_text(value: object) -> bool:
    """Whether ``value`` can be sent as a token: a non-empty string of printable characters (no
    control characters, no lone surrogates) without spaces. WeChat's are ASCII letters, digits,
    ``_`` and ``-``."""
    return isinstance(value, str) and value.isprintable() and bool(value) and " " not in value


@dataclass(frozen=True, slots=True)
class Token:
    """A token and when to stop using it. ``param`` is the query parameter it travels in
    (``access_token``, ``cloudbase_access_token``, or None for no token at all)."""

    value: str | None = field(repr=False)
    param: str | None
    expires_at: float
    refresh_at: float

    def fresh(self, now: float) -> bool:
        return now < self.refresh_at

    def usable(self, now: float) -> bool:
        return now < self.expires_at


def scheduled(value: str | None, param: str | None, now: float, lifetime: float) -> Token:
    """A token valid for ``lifetime`` seconds from ``now``, refreshed ahead of expiry by
    :data:`REFRESH_MARGIN` (or half its lifetime when that is shorter, so a short-lived token is
    not refetched in a loop)."""
    margin = min(REFRESH_MARGIN, lifetime / 2)
    return Token(value, param, now + lifetime, now + lifetime - margin)


class TokenFetchError(Exception):
    """Getting a token failed; rendered for the API being called by :meth:`for_api`."""

    def __init__(self, kind: str, code: object, text: str) -> None:
        super().__init__(kind, code, text)
        self.kind, self.code, self.text = kind, code, text

    def for_api(self, display_name: str) -> errors.CloudSDKError:
        if self.kind == "reply":
            err = errors.reply_error(display_name, self.code, self.text)
        elif self.kind == "server":
            err = errors.server_error(display_name, self.text)
        elif self.kind == "coded":
            err = errors.coded(display_name, int(self.code), self.text)  # type: ignore[call-overload]
        else:
            err = errors.CloudSDKError(self.code, errors.fail_msg(display_name, self.text))
        err.stage = "token"  # type: ignore[attr-defined]
        return err
