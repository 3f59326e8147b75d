"""Tests of the ported function, written with the wx fixture (cloud's pytest plugin)."""

from pathlib import Path

FUNCTION = Path(__file__).parent
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def test_the_image_comes_back_as_bytes(wx):
    wx.stub("wxacode.getUnlimited", body=PNG, content_type="image/png")

    result = wx.run(FUNCTION, {"scene": "id=42"})

    assert result["contentType"] == "image/png" and result["buffer"] == PNG
    wx.assert_called(
        "wxacode.getUnlimited",
        body={"scene": "id=42", "page": "pages/index/index", "check_path": True, "env_version": "release"},
    )


def test_an_invalid_scene_is_the_sdk_error(wx):
    wx.stub("wxacode.getUnlimited", error=40169, errmsg="invalid length for scene")

    result = wx.run(FUNCTION, {"scene": "x" * 40})

    assert result.errCode == 40169
