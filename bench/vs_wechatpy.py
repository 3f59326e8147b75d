"""4. Versus wechatpy: its generic ``client.post("wxa/servicemarket", data=...)`` and ours, blocking,
one call after another, against the same emulator over loopback. Target: faster (ratio < 1).

wechatpy is not a dependency of ours: ``pip install 'wechatpy[cryptography]'`` to include it.
"""

from __future__ import annotations

import sys

from client_cost import SAMPLE
from common import Row, interleaved, print_rows

from cloud._client.instance import Cloud
from cloud.emulator import EMULATOR_ACCESS_TOKEN
from cloud.emulator.server import spawn

CALLS = 500
SNAKE = {"service": "wx79ac3de8be320b71", "api": "OcrAllInOne",
         "data": {"img_url": "http://mmbiz.qpic.cn/x/0", "data_type": 3, "ocr_type": 1},
         "client_msg_id": "id123"}  # fmt: skip


def run() -> list[Row]:
    try:
        from wechatpy import WeChatClient  # type: ignore[import-untyped]
    except ImportError:
        print("wechatpy row left out: pip install 'wechatpy[cryptography]'", file=sys.stderr)
        return []
    with spawn() as base:
        cloud = Cloud()
        cloud.init(accessToken=EMULATOR_ACCESS_TOKEN, apiBase=base)
        peer = WeChatClient("wx0000000000000000", "unused-secret", access_token=EMULATOR_ACCESS_TOKEN)
        peer.API_BASE_URL = base + "/"
        assert peer.post("wxa/servicemarket", data=SNAKE)["errcode"] == 0
        assert cloud.sync.openapi.serviceMarket.invokeService(SAMPLE)["errCode"] == 0

        def ours() -> None:
            for _ in range(CALLS):
                cloud.sync.openapi.serviceMarket.invokeService(SAMPLE)

        def theirs() -> None:
            for _ in range(CALLS):
                peer.post("wxa/servicemarket", data=SNAKE)

        ours_t, peer_t = interleaved(ours, theirs, CALLS, repeats=5)
        cloud.close()
    return [Row("4. vs wechatpy, loopback sequential", ours_t, peer_t, ours_t.median / peer_t.median, 1.0)]


if __name__ == "__main__":
    print_rows(run())
