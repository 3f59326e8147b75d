"""1. Client-side cost per call, no network: an in-process transport answers a fixed reply.

Ours: ``cloud.openapi.serviceMarket.invokeService(sample)`` (conversion, routing, token, reply
shaping). Baseline: a raw httpx call of the pre-converted body through the same transport, with
the reply parsed. Target: ≤ 1.3× raw httpx, sync and async.
"""

from __future__ import annotations

import asyncio
import json

import httpx
from common import Row, interleaved, print_rows

from cloud._client.instance import Cloud

SAMPLE = {
    "service": "wx79ac3de8be320b71",
    "api": "OcrAllInOne",
    "data": {"imgUrl": "http://mmbiz.qpic.cn/x/0", "dataType": 3, "ocrType": 1},
    "clientMsgId": "id123",
}
BODY = json.dumps({"service": "wx79ac3de8be320b71", "api": "OcrAllInOne",
                   "data": {"img_url": "http://mmbiz.qpic.cn/x/0", "data_type": 3, "ocr_type": 1},
                   "client_msg_id": "id123"}, separators=(",", ":")).encode()  # fmt: skip
REPLY = json.dumps({"errcode": 0, "errmsg": "ok", "data": '{"idcard_res":{"type":0},"image_width":480}'}).encode()
URL = "https://api.weixin.qq.com/wxa/servicemarket"
TOKEN = "78_" + "Xk3vQ9bLm2Tz" * 13  # a real access token's length: about 157 characters
N = 2000


def transport() -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"content-type": "application/json"}, content=REPLY)
    )


def run() -> list[Row]:
    rows = []
    cloud = Cloud()
    cloud.init(accessToken=TOKEN, transport=transport())
    raw = httpx.Client(transport=transport())

    def ours_sync() -> None:
        for _ in range(N):
            cloud.sync.openapi.serviceMarket.invokeService(SAMPLE)

    def raw_sync() -> None:
        for _ in range(N):
            raw.post(URL, params={"access_token": TOKEN}, content=BODY,
                     headers={"content-type": "application/json"}).json()  # fmt: skip

    ours, base = interleaved(ours_sync, raw_sync, N)
    rows.append(Row("1. client cost, sync", ours, base, ours.median / base.median, 1.3))

    async def both() -> tuple[object, object]:
        araw = httpx.AsyncClient(transport=transport())

        async def ours_async() -> None:
            for _ in range(N):
                await cloud.openapi.serviceMarket.invokeService(SAMPLE)

        async def raw_async() -> None:
            for _ in range(N):
                (await araw.post(URL, params={"access_token": TOKEN}, content=BODY,
                                 headers={"content-type": "application/json"})).json()  # fmt: skip

        loop = asyncio.get_running_loop()
        results = await loop.run_in_executor(None, lambda: interleaved(
            lambda: asyncio.run_coroutine_threadsafe(ours_async(), loop).result(),
            lambda: asyncio.run_coroutine_threadsafe(raw_async(), loop).result(), N))  # fmt: skip
        await araw.aclose()
        return results

    ours_a, base_a = asyncio.run(both())
    rows.append(Row("1. client cost, async", ours_a, base_a, ours_a.median / base_a.median, 1.3))  # type: ignore[union-attr]
    return rows


if __name__ == "__main__":
    print_rows(run())
