"""Which cloud environment each call names, as Node picks it: a call's own ``config.env``; else
``init``'s ``env``, a string or an object by service (``database``, ``functions``, ``storage``,
``default``); else the platform's. Checked on the requests the emulator receives."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import httpx
import pytest

import cloud
from cloud import Cloud, CloudSDKError
from cloud._families import database
from cloud.emulator import Emulator

ENVS = {"database": "db-env", "functions": "fn-env", "storage": "st-env", "default": "other-env"}


def sent_env(emulator: Emulator, path_part: str) -> str:
    found = [r for r in emulator.requests if path_part in r.path]
    assert found, [r.path for r in emulator.requests]
    last = found[-1]
    return str(last.query.get("env") or json.loads(last.body or b"{}").get("env"))


def test_an_env_object_names_each_services_environment(make_cloud: Callable[..., Cloud], emulator: Emulator) -> None:
    made = make_cloud(env=ENVS)
    with pytest.raises(CloudSDKError):  # nobody made the collection: the request still went out
        made.sync.database().collection("c").get()
    assert sent_env(emulator, "databasequery") == "db-env"
    made.sync.getTempFileURL({"fileList": ["cloud://st-env.7465-st-env-1300000000/a.txt"]})
    assert sent_env(emulator, "batchdownloadfile") == "st-env"
    with pytest.raises(CloudSDKError):  # no such function: the request still went out
        made.sync.callFunction({"name": "nobody", "data": {}})
    assert sent_env(emulator, "invokecloudfunction") == "fn-env"


def test_a_calls_own_config_env_comes_first(make_cloud: Callable[..., Cloud], emulator: Emulator) -> None:
    made = make_cloud(env=ENVS)
    with pytest.raises(CloudSDKError):
        made.sync.callFunction({"name": "nobody", "data": {}, "config": {"env": "mine"}})
    assert sent_env(emulator, "invokecloudfunction") == "mine"
    with pytest.raises(CloudSDKError):
        made.sync.database({"env": "db-own"}).collection("c").get()
    assert sent_env(emulator, "databasequery") == "db-own"


def test_default_stands_for_a_service_the_object_leaves_out(
    make_cloud: Callable[..., Cloud], emulator: Emulator
) -> None:
    made = make_cloud(env={"default": "dflt", "functions": "fn-env"})
    with pytest.raises(CloudSDKError):
        made.sync.database().collection("c").get()
    assert sent_env(emulator, "databasequery") == "dflt"


def test_a_database_call_toward_wechat_with_no_env_warns_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("TCB_ENV", raising=False)
    monkeypatch.delenv("CBR_ENV_ID", raising=False)
    monkeypatch.setattr(database, "_warned_no_env", False)
    replies = httpx.MockTransport(lambda r: httpx.Response(200, json={"errcode": 0, "errmsg": "ok", "data": []}))
    made = Cloud()
    made.init({"accessToken": "t", "transport": replies})
    with caplog.at_level(logging.WARNING, logger="cloud"):
        made.sync.database().collection("c").get()
        made.sync.database().collection("c").get()
    warned = [r for r in caplog.records if "no environment is configured" in r.getMessage()]
    assert len(warned) == 1 and '"env"' in warned[0].getMessage()
    made.close()


def test_resource_sharing_is_a_clear_error() -> None:
    with pytest.raises(CloudSDKError, match="resourceAppid, resourceEnv"):
        cloud.Cloud({"resourceAppid": "wx1", "resourceEnv": "e"})
