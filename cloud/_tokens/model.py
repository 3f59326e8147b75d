"""A token as the cache holds it, and the refresh schedule.

A token's life has three parts (the windows of botocore's ``RefreshableCredentials``):

- fresh, until ``refresh_at``: used as it is;
- advisory window, from ``refresh_at`` to ``mandatory_at``: one caller refreshes, the others go on
  with the current token, and a failed refresh only means trying again a little later;
- mandatory window, from ``mandatory_at``: callers wait for the refresh, and its failure fails them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .. import errors

CLOUDBASE_TOKEN_FILE = "/.tencentcloudbase/wx/cloudbase_access_token"
"""Where WeChat's cloud puts the cloudbase access token a function's container may use."""

REFRESH_MARGIN = 300.0
"""Seconds before expiry at which the advisory window opens. WeChat keeps an old classic token
valid for 5 minutes after a new one is issued, and stable_token starts handing out the next token 5
minutes before the current one expires: refreshing in that window gets the next token while the
current one still works, so the current one can serve calls while the refresh is under way or
being retried."""
MANDATORY_MARGIN = 60.0
"""Seconds before expiry at which the mandatory window opens: a token with less left could expire
during the call it is handed to (15 s by default, its retries included) or on a server whose clock
runs a little ahead, so from then on callers wait for a new one."""


MAX_LIFETIME = 86400.0
"""The longest a token is kept, in seconds (WeChat's live 7,200): a longer or endless ``expires_in``
(a token endpoint's ``1e400``, a provider's ``math.inf``) is taken as this, so that every token is
refreshed some day and fits the store's expiry."""


def lifetime_of(expires_in: object) -> float | None:
    """``expires_in`` as the seconds to keep a token: a positive number (not a bool, not NaN), at
    most :data:`MAX_LIFETIME`; None when it is not one."""
    if isinstance(expires_in, bool) or not isinstance(expires_in, (int, float)) or not expires_in > 0:
        return None
    return float(min(expires_in, MAX_LIFETIME))  # an int past a float's range compares fine


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
    query: tuple[tuple[str, str], ...] = ()
    """Query parameters that go with it (not secret): Cloud Run's ``from_appid``."""

    @property
    def mandatory_at(self) -> float:
        """When the mandatory window opens: :data:`MANDATORY_MARGIN` before expiry, or as much
        less as the advisory margin is shorter than :data:`REFRESH_MARGIN` (a tenth of a short
        lifetime). A token that never expires never gets there."""
        if math.isinf(self.expires_at):
            return math.inf
        advisory = self.expires_at - self.refresh_at
        return self.expires_at - min(MANDATORY_MARGIN, advisory * MANDATORY_MARGIN / REFRESH_MARGIN)

    def fresh(self, now: float) -> bool:
        """No refresh due yet."""
        return now < self.refresh_at

    def overdue(self, now: float) -> bool:
        """In the mandatory window (or expired): callers wait for a new token."""
        return now >= self.mandatory_at

    def usable(self, now: float) -> bool:
        return now < self.expires_at


def scheduled(value: str | None, param: str | None, now: float, lifetime: float) -> Token:
    """A token valid for ``lifetime`` seconds from ``now``, refreshed ahead of expiry by
    :data:`REFRESH_MARGIN` (or half its lifetime when that is shorter, so a short-lived token is
    not refetched in a loop). Its mandatory window follows (:attr:`Token.mandatory_at`)."""
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
