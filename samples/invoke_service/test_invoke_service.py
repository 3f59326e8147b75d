"""Tests of the ported function, written with the wx fixture (cloud's pytest plugin)."""

from pathlib import Path

import cloud

FUNCTION = Path(__file__).parent


def test_returns_the_ocr_result_converted_to_camel_case(wx):
    wx.stub(
        "serviceMarket.invokeService",
        reply={"errcode": 0, "errmsg": "ok", "data": '{"idcard_res":{"type":0}}', "request_id": "r-1"},
    )

    result = wx.run(FUNCTION)

    assert result == {
        "errCode": 0,
        "errMsg": "openapi.serviceMarket.invokeService:ok",
        "data": '{"idcard_res":{"type":0}}',
        "requestId": "r-1",
    }
    wx.assert_called(
        "serviceMarket.invokeService",
        body={
            "service": "wx79ac3de8be320b71",
            "api": "OcrAllInOne",
            "data": {
                "img_url": "http://mmbiz.qpic.cn/mmbiz_jpg/7UFjuNbYxibu66xSqsQqKcuoGBZM77HIyibdiczeWibdMeA2XMt5oibWVQMgDibriazJSOibLqZxcO6DVVcZMxDKgeAtbQ/0",
                "data_type": 3,
                "ocr_type": 1,
            },
            "client_msg_id": "id123",
        },
    )


def test_a_wechat_error_is_returned_as_the_sdk_error(wx):
    wx.stub("serviceMarket.invokeService", error=9300501, errmsg="service not found")

    result = wx.run(FUNCTION)

    assert isinstance(result, cloud.CloudSDKError)
    assert result.errCode == 9300501
    assert "service not found" in result.errMsg
