"""Tests of the ported function, written with the wx fixture (cloud's pytest plugin)."""

from pathlib import Path

FUNCTION = Path(__file__).parent


def test_the_event_goes_in_the_query_string(wx):
    wx.stub("auth.getPaidUnionId", reply={"errcode": 0, "errmsg": "ok", "unionid": "o6_bmasdasdsad6_2sgVt7hMZOPfL"})

    result = wx.run(FUNCTION, {"openid": "oUser", "transactionId": "4200001"})

    assert result["unionid"] == "o6_bmasdasdsad6_2sgVt7hMZOPfL"
    call = wx.assert_called("auth.getPaidUnionId", query={"openid": "oUser", "transaction_id": "4200001"}, times=1)
    assert call.method == "GET" and call.query["access_token"] == "***"


def test_without_a_stub_the_documented_example_answers(wx):
    assert wx.run(FUNCTION)["unionid"] == "oTmHYjg-tElZ68xxxxxxxxhy1Rgk"
