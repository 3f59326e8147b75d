"""getWXContext and DYNAMIC_CURRENT_ENV, checked against the real SDK."""

from __future__ import annotations

from typing import Any

import pytest

import cloud
from cloud._core.context import getWXContext

from . import node_sdk

ENVIRONMENTS: dict[str, dict[str, str]] = {
    "full": {
        "WX_CONTEXT_KEYS": "WX_OPENID,WX_APPID,WX_UNIONID,WX_API_TOKEN,WX_TRIGGER_API_TOKEN_V0,WX_CLIENTIP,WX_NUM,"
                           "OTHER,,WX_,MISSING",
        "WX_OPENID": "oABC", "WX_APPID": "wx1234", "WX_UNIONID": "uX", "WX_API_TOKEN": "secret-1",
        "WX_TRIGGER_API_TOKEN_V0": "secret-2", "WX_CLIENTIP": "10.0.0.1", "WX_NUM": "-42", "OTHER": "7x",
        "WX_": "short", "TCB_ENV": "prod-1a2b", "TCB_SOURCE": "wx_devtools",
    },
    "scf-namespace": {"WX_CONTEXT_KEYS": "WX_OPENID", "WX_OPENID": "o", "SCF_NAMESPACE": "ns-1"},
    "no-keys": {"TCB_ENV": "prod", "WX_OPENID": "o"},
    "no-env-name": {"WX_CONTEXT_KEYS": "WX_APPID", "WX_APPID": "wx9"},
    "bare-token-names": {"WX_CONTEXT_KEYS": "API_TOKEN,WX_OPENID", "API_TOKEN": "s", "WX_OPENID": "o"},
}  # fmt: skip


@pytest.fixture(scope="module")
def node_contexts() -> dict[str, Any]:
    cases = [{"id": name, "op": "getWXContext", "env": env} for name, env in ENVIRONMENTS.items()]
    return {o["id"]: o["result"] for o in node_sdk.run(cases)}


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_get_wx_context_matches_node(name: str, node_contexts: dict[str, Any]) -> None:
    assert getWXContext(ENVIRONMENTS[name]) == node_contexts[name]
    assert "secret" not in repr(getWXContext(ENVIRONMENTS[name]))


def test_get_wx_context_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WX_CONTEXT_KEYS", "WX_OPENID")
    monkeypatch.setenv("WX_OPENID", "o-1")
    monkeypatch.setenv("TCB_ENV", "e-1")
    assert cloud.getWXContext() == {"OPENID": "o-1", "ENV": "e-1"}


def test_dynamic_current_env_is_accepted_by_init() -> None:
    c = cloud.createNewInstance(env=cloud.DYNAMIC_CURRENT_ENV, accessToken="t")
    assert c.config is not None and c.config.env is cloud.DYNAMIC_CURRENT_ENV
    assert repr(cloud.DYNAMIC_CURRENT_ENV) == "cloud.DYNAMIC_CURRENT_ENV"


def test_big_integer_strings_are_exact_where_node_rounds() -> None:
    env = {"WX_CONTEXT_KEYS": "WX_N", "WX_N": "12345678901234567890"}
    (outcome,) = node_sdk.run([{"id": "big", "op": "getWXContext", "env": env}])
    assert outcome["result"] == {"N": 12345678901234567000}
    assert getWXContext(env) == {"N": 12345678901234567890}
