"""Send the subscription messages waiting in the database, all at once, ported from index.js
(goudan1030/dirnkwater, drinkwater/cloudfunctions/sendMsgSubscribe).

``Promise.all(list.map(async ...))`` is ``asyncio.gather(*(send(m) for m in ...))``; each send
catches its own failure, so one refused message is returned in its place and the others still go."""

import asyncio

import cloud

cloud.init()
db = cloud.database()


async def send(message):
    try:
        await cloud.openapi.subscribeMessage.send(
            {
                "touser": message.get("touser"),
                "page": message.get("page"),
                "data": message.get("data"),
                "templateId": message.get("templateId"),
            }
        )
        return await db.collection("message").doc(message["_id"]).update({"data": {"isSend": True}})
    except Exception as e:
        return e


async def main(event, context):
    try:
        messages = await db.collection("message").where({"isSend": False}).get()
        return await asyncio.gather(*(send(message) for message in messages["data"]))
    except Exception as err:
        print(err)
        return err
