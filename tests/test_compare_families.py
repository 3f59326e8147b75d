"""``python -m cloud compare`` routes ``cloud.cloudPay.*``, ``cloud.getOpenData`` and
``cloud.getVoIPSign``: the Node side's pay and svrkit calls reach the emulator in their Cloud Run
HTTP form, so a function and its port are compared on what they sent and what they returned."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_compare import ROOT, cloud_compare, write

PHONE = "tests/data/user_phone"


def test_a_get_open_data_port_agrees_with_its_node_original() -> None:
    proc = cloud_compare(f"{PHONE}/index.js", f"{PHONE}/index.py", "--scenario", f"{PHONE}/scenario.json",
                         "--context", f"@{PHONE}/context.json")  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "request 1: POST /wxa/getopendata" in proc.stdout and proc.stdout.rstrip().endswith("agree")


def test_a_changed_pay_param_is_shown_and_fails(tmp_path: Path) -> None:
    port = tmp_path / "index.py"
    port.write_text((ROOT / "tests/ports/unified_order/index.py").read_text().replace('"totalFee": 1', '"totalFee": 2'))
    proc = cloud_compare("tests/ports/unified_order/index.js", str(port))
    assert proc.returncode == 1
    assert "DIFFERENT: request 1.body.total_fee\n      Node:   1\n      Python: 2" in proc.stdout


VOIP_JS = """const cloud = require('wx-server-sdk')
cloud.init()
exports.main = async (event) => {
  const signed = await cloud.getVoIPSign({ groupId: event.groupId, timestamp: 1700000000, nonce: 'n-1' })
  const bill = await cloud.cloudPay.downloadBill({ subMchId: '1900000109', billDate: '20240101', billType: 'ALL' })
  return { signature: signed.signature, errMsg: signed.errMsg, bill: bill.data }
}
"""
VOIP_PY = """import cloud
cloud.init()
async def main(event, context):
    signed = await cloud.getVoIPSign({"groupId": event["groupId"], "timestamp": 1700000000, "nonce": "n-1"})
    bill = await cloud.cloudPay.downloadBill({"subMchId": "1900000109", "billDate": "20240101", "billType": "ALL"})
    return {"signature": signed["signature"], "errMsg": signed["errMsg"], "bill": bill["data"]}
"""


def test_voip_signatures_and_bills_agree(tmp_path: Path) -> None:
    folder = write(tmp_path / "voip", VOIP_JS, VOIP_PY)
    proc = cloud_compare(str(folder / "index.js"), str(folder / "index.py"), "--event", '{"groupId": "room-1"}',
                         "--context", '{"OPENID": "o-caller"}')  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "request 1: POST /wxa/getvoipsign" in proc.stdout and "request 2: POST /_/pay/downloadbill" in proc.stdout
    assert proc.stdout.rstrip().endswith("agree")


def test_both_sides_get_the_caller_s_user_info_in_the_event(tmp_path: Path) -> None:
    js = "exports.main = async (event) => ({ openId: event.userInfo.openId, code: event.code })\n"
    # the port's openId is a constant: Node's must match it
    py = "async def main(event, context):\n    return {'openId': 'o-caller', 'code': event['code']}\n"
    folder = write(tmp_path / "who", js, py)
    proc = cloud_compare(str(folder / "index.js"), str(folder / "index.py"), "--event", '{"code": "SIN"}',
                         "--context", '{"OPENID": "o-caller"}')  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("agree")  # without userInfo Node would throw a TypeError


def test_the_payment_sample_its_callback_and_refund_agree_with_their_originals() -> None:
    sample = "samples/cloudpay_order"
    same = ("--scenario", f"{sample}/scenario.json", "--clock", "2026-01-02T03:04:05Z")  # the order's new Date()
    proc = cloud_compare(sample, sample, *same)
    assert proc.returncode == 0 and "request 1: POST /_/pay/unifiedOrder" in proc.stdout, proc.stdout + proc.stderr
    assert "database after the run: 1 document" in proc.stdout
    proc = cloud_compare(f"{sample}/back_pay", f"{sample}/back_pay", "--event", '{"outTradeNo": "X1"}', *same)
    assert proc.returncode == 0 and "request 1: POST /_/pay/queryorder" in proc.stdout, proc.stdout + proc.stderr
    proc = cloud_compare(sample, sample, "--event", '{"action": "refund", "outTradeNo": "X1"}', *same)
    assert proc.returncode == 0 and "request 1: POST /_/pay/refund" in proc.stdout, proc.stdout + proc.stderr


def _refusal(tmp_path: Path, api: str, errcode: int) -> str:
    scenario = tmp_path / f"{errcode}.json"
    scenario.write_text(json.dumps({"replies": [{"api": api, "json": {"errcode": errcode, "errmsg": "invalid args"}}]}))
    return str(scenario)


def test_wechat_refusing_get_open_data_or_unified_order_is_the_readme_s_known_difference(tmp_path: Path) -> None:
    """Node reports the refusal in its own form (a svrkit -601001; its transport's -501001), we give
    WeChat's errcode and errmsg: labelled with the README's names, and the comparison agrees."""
    phone = ("--event", '{"cloudID": "x1"}', "--context", f"@{PHONE}/context.json")
    proc = cloud_compare(f"{PHONE}/index.js", f"{PHONE}/index.py", *phone, "--scenario",
                         _refusal(tmp_path, "cloudbase.getOpenData", 40097))  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "known difference (getOpenData and getVoIPSign report WeChat's own error): result.thrown.errCode\n" \
           "      Node:   -601001\n      Python: 40097" in proc.stdout  # fmt: skip
    order = "tests/ports/unified_order"
    proc = cloud_compare(f"{order}/index.js", f"{order}/index.py", "--scenario",
                         _refusal(tmp_path, "cloudPay.unifiedOrder", 40097))  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "known difference (cloudPay failures carry `cloudPay.` in errMsg): result.thrown.errMsg\n" \
           '      Node:   "cloudPay.unifiedOrder:fail -501001 resource system error. invalid args"\n' \
           '      Python: "cloudPay.unifiedOrder:fail invalid args"' in proc.stdout  # fmt: skip


def test_a_port_that_calls_again_or_raises_its_own_error_still_differs(tmp_path: Path) -> None:
    """The label covers the two forms of one refusal, never an extra call or another error."""
    scenario = ("--scenario", _refusal(tmp_path, "cloudbase.getOpenData", 40097))
    phone = ("--event", '{"cloudID": "x1"}', "--context", f"@{PHONE}/context.json", *scenario)
    source = (ROOT / PHONE / "index.py").read_text()
    again = "    try:\n        await cloud.getOpenData({'list': ['x1']})\n"
    again += "    except cloud.CloudSDKError:\n        pass\n    phone = await"
    twice = write(tmp_path / "twice", "", source.replace("    phone = await", again))
    proc = cloud_compare(f"{PHONE}/index.js", str(twice / "index.py"), *phone)
    assert proc.returncode == 1 and "DIFFERENT: number of requests" in proc.stdout, proc.stdout
    other = write(tmp_path / "other", "", OTHER_ERROR)
    proc = cloud_compare(f"{PHONE}/index.js", str(other / "index.py"), *phone)
    assert proc.returncode == 1 and "DIFFERENT: result.thrown.errCode" in proc.stdout, proc.stdout


OTHER_ERROR = """import cloud

cloud.init()


async def main(event, context):
    try:
        return await cloud.getOpenData({"list": [event.get("cloudID")]})
    except cloud.CloudSDKError:
        raise cloud.CloudSDKError(40001, "getOpenData:fail invalid args") from None
"""
