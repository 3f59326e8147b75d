"""The whole payment flow of the ported sample on the emulator: order, WeChat's notification to
the callback function back_pay, the order marked paid, refund, refund query."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cloud

FUNCTION = Path(__file__).parent


@pytest.fixture
def orders(wx):
    """The collection the sample keeps its orders in (``pay_order``, as the original), read back by order number."""
    wx.seed({"pay_order": []})
    return lambda: {doc["_id"]: doc for doc in wx.documents("pay_order")}


def test_order_notify_refund_query(wx, orders):
    wx.payment_targets["back_pay"] = FUNCTION / "back_pay"  # the order names callback function back_pay

    made = wx.run(FUNCTION, {"outTradeNo": "T1001"})
    assert made["code"] == 0 and made["uuid"] == "T1001"
    assert made["pay"]["package"].startswith("prepay_id=wx") and made["pay"]["signType"] == "MD5"
    assert orders()["T1001"]["type"] == "NOTPAY" and orders()["T1001"]["payment"] == made["pay"]
    assert orders()["T1001"]["cdue"].tzinfo is not None  # new Date(): a date in the database
    call = wx.assert_called("cloudPay.unifiedOrder", times=1)
    assert call.body["function_name"] == "back_pay" and call.body["total_fee"] == 1

    delivery = wx.notify_payment("T1001")  # the user paid: WeChat tells back_pay
    assert delivery.accepted, delivery.problem
    assert delivery.target.startswith("function back_pay") and delivery.answer == {"errcode": 0, "errmsg": "ok"}
    assert delivery.notification["outTradeNo"] == "T1001" and delivery.notification["totalFee"] == 1
    assert orders()["T1001"]["type"] == "SUCCESS"  # back_pay's effect

    assert wx.run(FUNCTION, {"action": "refund", "outTradeNo": "T1001"}) == {"code": 0}
    stored = orders()["T1001"]
    assert (
        stored["type"] == "REFUND"
        and stored["refund"]["refundFee"] == 1
        and stored["refund"]["outRefundNo"] == "TK-T1001"
    )

    checked = wx.run(FUNCTION, {"action": "queryRefund", "outTradeNo": "T1001"})
    assert checked["code"] == 0 and checked["pay"]["refundStatus_0"] == "SUCCESS"
    assert orders()["T1001"]["refundtype"] == "SUCCESS"
    assert [c.path for c in wx.calls] == [
        "/_/pay/unifiedOrder", "/tcb/databaseadd", "/_/pay/queryorder", "/tcb/databaseupdate", "/_/pay/refund",
        "/_/pay/queryorder", "/tcb/databaseupdate", "/_/pay/queryrefund", "/tcb/databaseupdate",
    ]  # fmt: skip


def test_an_unpaid_order_cannot_be_refunded(wx, orders):
    wx.run(FUNCTION, {"outTradeNo": "T2"})
    assert wx.run(FUNCTION, {"action": "refund", "outTradeNo": "T2"})["code"] == 1
    assert wx.run(FUNCTION, {"action": "queryRefund", "outTradeNo": "T2"})["code"] == 1
    assert orders()["T2"]["type"] == "NOTPAY"


def test_without_its_collection_the_order_fails_as_in_cloudbase(wx):
    with pytest.raises(cloud.CloudSDKError) as caught:  # thrown out of main, as in Node
        wx.run(FUNCTION, {"outTradeNo": "T3"})
    assert caught.value.errCode == -502005
    assert caught.value.errMsg.startswith("collection.add:fail -502005 database collection not exists.")
    wx.assert_called("cloudPay.unifiedOrder", times=1)  # the order was placed before the write failed


def test_a_callback_for_an_order_wechat_pay_does_not_know_writes_nothing(wx, orders):
    assert wx.run(FUNCTION / "back_pay", {"outTradeNo": "NO-SUCH-ORDER"}) == {"errcode": 0, "errmsg": "ok"}
    assert orders() == {}
    assert [c.path for c in wx.calls] == ["/_/pay/queryorder"]


def test_it_runs_offline_with_python_m_cloud_run():
    env = {k: v for k, v in os.environ.items() if not k.startswith("WX_")}
    env["PYTHONPATH"] = str(FUNCTION.parent.parent)
    command = [sys.executable, "-m", "cloud", "run", str(FUNCTION), "--scenario", str(FUNCTION / "scenario.json")]
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["code"] == 0
