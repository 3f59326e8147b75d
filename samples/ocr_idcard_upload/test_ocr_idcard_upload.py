"""Tests of the ported function, written with the wx fixture (cloud's pytest plugin)."""

from pathlib import Path

from cloud.testing import UploadedFile

FUNCTION = Path(__file__).parent


def test_the_photo_is_uploaded_as_a_file_part(wx):
    wx.strict = True  # any call other than the stubbed one fails the test
    wx.stub(
        "ocr.idcard", reply={"errcode": 0, "errmsg": "ok", "type": "Front", "name": "张三", "id": "110101199003070000"}
    )

    result = wx.run(FUNCTION)

    assert result["name"] == "张三"
    photo = (FUNCTION / "photo.png").read_bytes()
    wx.assert_called("ocr.idcard", body={"type": "photo", "img": UploadedFile("img.png", "image/png", photo)})


def test_a_slow_wechat_times_out(wx, monkeypatch):
    monkeypatch.setenv("WX_TIMEOUT", "0.5")  # seconds, instead of 15
    monkeypatch.setenv("WX_RETRY_MAX_ATTEMPTS", "1")
    wx.stub("ocr.idcard", reply={"errcode": 0, "errmsg": "ok"}, delay=30)

    result = wx.run(FUNCTION)

    assert result.errCode == -501002
