"""A mini program code whose scene is the caller's OPENID, stored in cloud storage; returns its
fileID: ported from index.js (HWYD/grow, cloudfunctions/myShare)."""

import random
import time

import cloud

cloud.init()


async def main(event, context):
    OPENID = cloud.getWXContext()["OPENID"]
    code = await cloud.openapi.wxacode.getUnlimited({"scene": OPENID, "lineColor": {"r": 0, "g": 0, "b": 128}})
    upload = await cloud.uploadFile(
        {
            "cloudPath": f"myCode/{int(time.time() * 1000)}-{random.random()}.png",
            "fileContent": code["buffer"],
        }
    )
    return upload["fileID"]
