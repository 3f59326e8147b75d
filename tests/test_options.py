"""The option table is the one description of ``init``'s options: the README's table, the
environment twins and the defaults all agree with it."""

from __future__ import annotations

import logging
import pydoc
import re
from pathlib import Path

import pytest

import cloud
import cloud.sync
from cloud._client.instance import Cloud
from cloud._core.config import OPTIONS, resolve

README = Path(__file__).parent.parent / "README.md"


def readme_rows() -> dict[str, tuple[str, str]]:
    """option name → (environment cell, default cell) from the README's configuration table."""
    text = README.read_text("utf-8")
    table = text[text.index("| option (`init`) |") :].split("\n\n", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in table.splitlines()[2:]:
        names, env, default, _meaning = (cell.strip() for cell in line.strip().strip("|").split("|", 3))
        for name in re.findall(r"`(\w+)`", names):
            rows[name] = (env, default)
    return rows


def shown_default(option: object) -> str:
    default, override = option.default, option.shown_default  # type: ignore[attr-defined]
    if override:
        return str(override)
    if default is None:
        return "none"
    if isinstance(default, int) and default >= 2**20:
        return f"{default // 2**20} MiB"
    return f"`{default}`"


def test_the_readme_table_lists_every_option_with_its_environment_twin_and_default() -> None:
    rows = readme_rows()
    assert sorted(rows) == sorted(option.name for option in OPTIONS)
    for option in OPTIONS:
        env, default = rows[option.name]
        assert (option.env or "") in env and (bool(option.env) == ("WX_" in env)), option.name
        assert default == shown_default(option), option.name


def test_each_option_comes_from_init_then_its_environment_twin_then_the_platform_then_the_default() -> None:
    given = {"timeout": 3, "maxConnections": 7}
    environ = {"WX_TIMEOUT": "4", "WX_MAX_CONNECTIONS": "8", "WX_MAX_REPLY_BYTES": "9"}
    platform = {"timeout": 5, "maxReplyBytes": 10, "maxRequestBytes": 11}
    config = resolve(given, environ, platform)
    assert (config.timeout, config.max_connections, config.max_reply_bytes, config.max_request_bytes) == (3, 7, 9, 11)
    bare = resolve({}, {}, {})
    assert all(getattr(bare, option.field) == option.default for option in OPTIONS)


@pytest.mark.parametrize(
    ("options", "warned"),
    [
        ({"apiBase": "http://wechat-proxy.example", "appid": "wx1", "secret": "s" * 32}, True),
        ({"apiBase": "http://wechat-proxy.example", "accessToken": "t" * 32}, True),
        ({"apiBase": "http://127.0.0.1:8080", "appid": "wx1", "secret": "s" * 32}, False),
        ({"apiBase": "http://localhost:8080", "accessToken": "t" * 32}, False),
        ({"apiBase": "https://wechat-proxy.example", "accessToken": "t" * 32}, False),
        ({"apiBase": "http://api.weixin.qq.com", "tokenMode": "cloudrun"}, False),
    ],
)
def test_plain_http_to_another_host_with_secrets_warns_once(
    options: dict[str, str], warned: bool, caplog: pytest.LogCaptureFixture
) -> None:
    options = {**options, "apiBase": options["apiBase"] + f"/{len(caplog.records)}{id(options)}"}
    with caplog.at_level(logging.WARNING, logger="cloud.config"):
        Cloud().init(options)
        Cloud().init(options)
    lines = [r.getMessage() for r in caplog.records if "plain http" in r.getMessage()]
    assert len(lines) == (1 if warned else 0)
    assert all("s" * 32 not in line and "t" * 32 not in line for line in lines)


def test_help_of_init_lists_every_option_from_the_table() -> None:
    for function in (cloud.init, cloud.updateConfig, cloud.sync.init, Cloud().init):
        text = pydoc.render_doc(function, renderer=pydoc.plaintext)
        listed = [line.strip() for line in text.splitlines() if re.match(r"\s+\w+( \(\w+\))?: ", line)]
        assert [line.split(":")[0].split(" ")[0] for line in listed] == [option.name for option in OPTIONS], text
        for option, line in zip(OPTIONS, listed, strict=True):
            assert line.endswith(f"default {shown_default(option).replace('`', '')}"), line
            assert (f": {option.env}, " in line) if option.env else ("WX_" not in line), line
    assert "max_reply_bytes" in pydoc.render_doc(cloud.init, renderer=pydoc.plaintext)
