"""Payment notifications from the emulator: after ``unifiedOrder``, the documented camelCase
notification goes to the callback function or Cloud Run service the order named, and an answer
other than ``{"errcode": 0}`` is reported as WeChat would retry it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

import cloud
import cloud.sync
from cloud.emulator import Emulator, NotifyError, serve
from cloud.emulator.server import spawn
from cloud.testing import Stubber, stubbed

# The fields of WeChat's documented cloud-pay callback event (pay/callback, its example's keys).
DOCUMENTED = ["returnCode", "appid", "mchId", "subAppid", "subMchId", "nonceStr", "resultCode", "openid",
              "isSubscribe", "subOpenid", "subIsSubscribe", "tradeType", "bankType", "totalFee", "feeType",
              "cashFee", "transactionId", "outTradeNo", "timeEnd"]  # fmt: skip
ORDER = {"body": "tea", "outTradeNo": "N1", "spbillCreateIp": "127.0.0.1", "subMchId": "1900000109", "totalFee": 3,
         "envId": "prod-1", "functionName": "pay_cb", "openid": "o-buyer", "attach": "cup=2"}  # fmt: skip
CALLBACK = """import json, pathlib
import cloud
import cloud.sync

cloud.init()


async def main(event, context):
    paid = await cloud.cloudPay.queryOrder({"outTradeNo": event["outTradeNo"]})
    pathlib.Path(__file__).with_name("seen.json").write_text(json.dumps({"event": event, "state": paid["tradeState"],
                                                                         "name": context["function_name"]}))
    return ANSWER
"""


def callback(folder: Path, answer: str = '{"errcode": 0, "errmsg": "ok"}') -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.py").write_text(CALLBACK.replace("ANSWER", answer))
    return folder


def seen(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "seen.json").read_text())


@pytest.fixture
def wx() -> Iterator[Stubber]:
    with stubbed() as handle:
        cloud.init()
        yield handle


def test_the_callback_function_gets_the_documented_notification(wx: Stubber, tmp_path: Path) -> None:
    folder = callback(tmp_path / "pay_cb")
    wx.payment_targets["pay_cb"] = folder
    made = cloud.sync.cloudPay.unifiedOrder(ORDER)
    delivery = wx.notify_payment("N1")
    assert delivery.accepted and delivery.retry is None and delivery.problem is None
    assert delivery.answer == {"errcode": 0, "errmsg": "ok"} and delivery.target.startswith("function pay_cb")
    got = seen(folder)
    assert list(got["event"])[: len(DOCUMENTED)] == DOCUMENTED and got["event"]["attach"] == "cup=2"
    assert got["event"] == delivery.notification and got["name"] == "pay_cb"
    assert (got["event"]["outTradeNo"], got["event"]["totalFee"], got["event"]["cashFee"]) == ("N1", 3, 3)
    assert got["event"]["subOpenid"] == "o-buyer" and got["event"]["subMchId"] == "1900000109"
    assert got["state"] == "SUCCESS"  # the order is paid before its notification is sent
    assert made["prepayId"] and got["event"]["transactionId"].startswith("4200")
    assert cloud.sync.cloudPay.queryOrder({"outTradeNo": "N1"})["transactionId"] == got["event"]["transactionId"]


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ('"success"', 'answered "success"'),
        ('{"errcode": 1, "errmsg": "busy"}', '"errcode": 1'),
        ('{"errcode": "0"}', '"errcode": "0"'),
        ("None", "answered null"),
        ("1 / 0", "raised ZeroDivisionError"),
    ],
)
def test_any_other_answer_is_one_wechat_would_retry(wx: Stubber, tmp_path: Path, answer: str, problem: str) -> None:
    wx.payment_targets["pay_cb"] = callback(tmp_path / "pay_cb", answer)
    cloud.sync.cloudPay.unifiedOrder(ORDER)
    first = wx.notify_payment("N1")
    assert not first.accepted and problem in (first.problem or "")
    assert first.retry is not None and "retry" in first.retry and "two days" in first.retry
    again = wx.notify_payment("N1")  # WeChat's retry: the same notification
    assert again.notification == first.notification


def test_functions_are_found_in_a_folder_of_functions(tmp_path: Path) -> None:
    folder = callback(tmp_path / "functions" / "pay_cb")
    with stubbed() as wx:
        cloud.init()
        wx.emulator.functions.folder = tmp_path / "functions"
        cloud.sync.cloudPay.unifiedOrder(ORDER)
        assert wx.notify_payment("N1").accepted
    assert seen(folder)["state"] == "SUCCESS"


def test_no_order_or_no_callback_is_a_clear_error(wx: Stubber) -> None:
    with pytest.raises(KeyError, match="no order 'nope'"):
        wx.notify_payment("nope")
    cloud.sync.cloudPay.unifiedOrder(ORDER)
    with pytest.raises(NotifyError, match=r"callback function 'pay_cb'.*functions"):
        wx.notify_payment("N1")
    cloud.sync.cloudPay.unifiedOrder({**ORDER, "outTradeNo": "N2", "functionName": None})
    with pytest.raises(NotifyError, match="names no callback"):
        wx.notify_payment("N2")


def wsgi_app(received: list[dict[str, Any]], answer: bytes) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        received.append({"path": environ["PATH_INFO"], "method": environ["REQUEST_METHOD"], "body": json.loads(body),
                         "service": environ.get("HTTP_X_WX_SERVICE"), "env": environ.get("HTTP_X_WX_ENV")})  # fmt: skip
        start_response("200 OK", [("Content-Type", "application/json")])
        return [answer]

    return app


CONTAINER = {**ORDER, "functionName": None, "callbackType": 2, "container": {"service": "pay", "path": "/paid"}}


def test_a_cloud_run_service_gets_a_post_of_the_json(wx: Stubber) -> None:
    received: list[dict[str, Any]] = []
    wx.payment_targets["pay"] = wsgi_app(received, b'{"errcode":0,"errmsg":"ok"}')
    cloud.sync.cloudPay.unifiedOrder(CONTAINER)
    delivery = wx.notify_payment("N1")
    assert delivery.accepted and delivery.status == 200 and delivery.target == "service pay /paid"
    assert received == [{"path": "/paid", "method": "POST", "body": delivery.notification, "service": "pay",
                         "env": "prod-1"}]  # fmt: skip
    assert list(received[0]["body"])[: len(DOCUMENTED)] == DOCUMENTED


def test_an_asgi_service_that_answers_an_error_status_is_retried(wx: Stubber) -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        message = await receive()
        assert json.loads(message["body"])["outTradeNo"] == "N1"
        await send({"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"errcode":0}'})

    wx.payment_targets["pay"] = app
    cloud.sync.cloudPay.unifiedOrder(CONTAINER)
    delivery = wx.notify_payment("N1")
    assert not delivery.accepted and delivery.problem == "the service answered HTTP 500" and delivery.status == 500


@pytest.fixture
def service() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            received.append({"path": self.path, "body": json.loads(body)})
            reply = b'{"errcode":0,"errmsg":"ok"}'
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_control_endpoint_delivers_to_a_service_url(service: tuple[str, list[dict[str, Any]]]) -> None:
    url, received = service
    emulator = Emulator(cloudrun=True)
    emulator.payment_targets["pay"] = url
    with serve(emulator) as base:
        c = cloud.Cloud()
        c.init(tokenMode="cloudrun", apiBase=base)
        c.sync.cloudPay.unifiedOrder(CONTAINER)
        c.close()
        reply = httpx.post(f"{base}/__emulator/pay/notify", json={"outTradeNo": "N1"})
        assert reply.status_code == 200 and reply.json()["accepted"] is True
        assert received == [{"path": "/paid", "body": reply.json()["notification"]}]
        assert httpx.post(f"{base}/__emulator/pay/notify", json={"outTradeNo": "x"}).status_code == 404
        assert httpx.post(f"{base}/__emulator/pay/notify", content=b"[1]").status_code == 400


def test_the_served_emulator_runs_callback_functions_with_their_calls_answered_by_it(tmp_path: Path) -> None:
    folder = callback(tmp_path / "functions" / "pay_cb", '"success"')
    with spawn("--functions", str(tmp_path / "functions")) as base:
        c = cloud.Cloud()
        c.init(accessToken="emulator-access-token", apiBase=base)
        c.sync.cloudPay.unifiedOrder(ORDER)
        c.close()
        reply = httpx.post(f"{base}/__emulator/pay/notify", json={"outTradeNo": "N1"}, timeout=60).json()
        sent = httpx.get(f"{base}/__emulator/requests").json()["requests"]
    assert reply["accepted"] is False and reply["answer"] == "success" and "two days" in reply["retry"]
    assert seen(folder)["state"] == "SUCCESS"  # the function ran in the emulator's process and called it
    assert [r["path"] for r in sent] == ["/_/pay/unifiedOrder", "/_/pay/queryorder"]


def test_async_tests_notify_without_blocking_their_loop(wx: Stubber, tmp_path: Path) -> None:
    import asyncio

    folder = callback(tmp_path / "pay_cb")
    wx.payment_targets["pay_cb"] = folder

    async def flow() -> Any:
        await cloud.cloudPay.unifiedOrder(ORDER)
        return await wx.anotify_payment("N1")

    delivery = asyncio.run(flow())
    assert delivery.accepted and seen(folder)["state"] == "SUCCESS"


# The payment desk keeps WeChat Pay's rules


def _pay(api: str, params: dict[str, Any]) -> dict[str, Any]:
    return getattr(cloud.sync.cloudPay, api)(params)  # type: ignore[no-any-return]


def _refused(reply: dict[str, Any], saying: str) -> bool:
    """WeChat Pay's refusal: the call went through (errCode 0), its result says FAIL and why."""
    said = reply.get("errCodeDes") or reply.get("returnMsg") or ""
    return "FAIL" in (reply.get("resultCode"), reply.get("returnCode")) and saying in said


def test_refunds_never_exceed_what_was_paid(wx: Stubber) -> None:
    _pay("unifiedOrder", {**ORDER, "totalFee": 100})
    wx.emulator.pay_order("N1")
    full = {"outTradeNo": "N1", "totalFee": 100, "refundFee": 100}
    first = _pay("refund", {**full, "outRefundNo": "R1"})
    assert first["resultCode"] == "SUCCESS"
    assert _pay("refund", {**full, "outRefundNo": "R1"})["refundId"] == first["refundId"]  # asked again: the same one
    assert _refused(_pay("refund", {**full, "outRefundNo": "R2"}), "100 of 100 fen refunded already")
    assert _refused(_pay("refund", {**full, "outRefundNo": "R1", "refundFee": 50}), "one refund number, one refund")
    assert _pay("queryRefund", {"outTradeNo": "N1"})["refundCount"] == 1


def test_partial_refunds_add_up_to_the_amount_paid_and_no_more(wx: Stubber) -> None:
    _pay("unifiedOrder", {**ORDER, "totalFee": 100})
    wx.emulator.pay_order("N1")
    for number, fee, result in (("R1", 60, "SUCCESS"), ("R2", 40, "SUCCESS"), ("R3", 1, "FAIL")):
        got = _pay("refund", {"outTradeNo": "N1", "outRefundNo": number, "totalFee": 100, "refundFee": fee})
        assert got["resultCode"] == result, number


@pytest.mark.parametrize("fee", [-50, 0, 1.5, "100", True, None])
def test_a_fee_that_is_not_a_whole_positive_number_of_fen_is_refused(wx: Stubber, fee: Any) -> None:
    assert _refused(_pay("unifiedOrder", {**ORDER, "totalFee": fee}), "total_fee")
    _pay("unifiedOrder", {**ORDER, "outTradeNo": "N2", "totalFee": 100})
    wx.emulator.pay_order("N2")
    refund = _pay("refund", {"outTradeNo": "N2", "outRefundNo": "R1", "totalFee": 100, "refundFee": fee})
    assert _refused(refund, "refund_fee")
    bill = _pay("downloadBill", {"billDate": "20240101", "billType": "ALL"})  # nothing else broke
    assert "N2" in str(bill) and "N1" not in str(bill)


def test_a_closed_order_cannot_be_paid(wx: Stubber) -> None:
    _pay("unifiedOrder", ORDER)
    assert _pay("closeOrder", {"outTradeNo": "N1"})["resultCode"] == "SUCCESS"
    with pytest.raises(NotifyError, match="closed"):
        wx.notify_payment("N1")
    assert _pay("queryOrder", {"outTradeNo": "N1"})["tradeState"] == "CLOSED"


@pytest.mark.parametrize("name", ["../outside", "<absolute>", "pay_cb/../../outside", "a" * 61])
def test_an_orders_callback_name_never_leaves_the_functions_folder(tmp_path: Path, name: str) -> None:
    functions, outside = tmp_path / "functions", tmp_path / "outside"
    functions.mkdir()
    outside.mkdir()
    (outside / "index.py").write_text("raise SystemExit('the code outside the functions folder ran')\n")
    with stubbed() as wx:
        wx.emulator.functions.folder = functions
        cloud.init()
        cloud.sync.cloudPay.unifiedOrder({**ORDER, "functionName": name.replace("<absolute>", str(outside))})
        with pytest.raises(NotifyError, match="cannot find"):
            wx.notify_payment("N1")
