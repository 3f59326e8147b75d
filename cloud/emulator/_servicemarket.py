"""``/wxa/servicemarket`` as WeChat answers it for the official OCR sample.

Service ``wx79ac3de8be320b71`` (OCR) api ``OcrAllInOne`` with ``ocr_type`` 1 (ID card) answers with
the documented reply shape: ``data`` is a JSON *string* whose keys are snake_case.
"""

from __future__ import annotations

import json
from typing import Any

from . import _checks as checks

OCR_SERVICE = "wx79ac3de8be320b71"


def _box(x: int, y: int, w: int, h: int) -> dict[str, dict[str, int]]:
    return {
        "left_top": {"x": x, "y": y},
        "right_top": {"x": x + w, "y": y},
        "right_bottom": {"x": x + w, "y": y + h},
        "left_bottom": {"x": x, "y": y + h},
    }


IDCARD_RESULT = {
    "idcard_res": {
        "type": 0,
        "name": {"text": "张三", "pos": _box(87, 39, 54, 20)},
        "id": {"text": "110101199003071234", "pos": _box(152, 238, 230, 22)},
        "gender": {"text": "男", "pos": _box(87, 73, 16, 18)},
        "nationality": {"text": "汉", "pos": _box(172, 73, 16, 18)},
        "address": {"text": "北京市东城区景山前街4号", "pos": _box(87, 140, 190, 40)},
        "birth": {"text": "1990-03-07", "pos": _box(87, 105, 120, 18)},
    },
    "image_width": 480,
    "image_height": 304,
}


def answer(params: dict[str, Any]) -> dict[str, Any]:
    """The JSON reply to a servicemarket call with these (snake_case) params."""
    for name in ("service", "api", "data"):
        if name not in params:
            return {"errcode": 40097, "errmsg": f"invalid args, missing {name}"}
    service, api, data = params["service"], params["api"], params["data"]
    if isinstance(data, str):
        try:
            data = checks.loads(data)
        except ValueError:
            return {"errcode": 40097, "errmsg": "invalid args, data is not JSON"}
    if service != OCR_SERVICE or api != "OcrAllInOne":
        return {"errcode": 40097, "errmsg": f"invalid args, the emulator serves {OCR_SERVICE}/OcrAllInOne only"}
    if not isinstance(data, dict):
        return {"errcode": 40097, "errmsg": "invalid args, data must be an object"}
    source = "img_url" if data.get("data_type") == 3 else "img_data" if data.get("data_type") == 2 else None
    if source is None or not data.get(source):
        return {"errcode": 40097, "errmsg": "invalid args, data_type 3 needs img_url, data_type 2 needs img_data"}
    if data.get("ocr_type") != 1:
        return {"errcode": 40097, "errmsg": "invalid args, the emulator recognises ocr_type 1 (ID card) only"}
    return {"errcode": 0, "errmsg": "ok", "data": json.dumps(IDCARD_RESULT, ensure_ascii=False, separators=(",", ":"))}
