"""A customer-service answer with an image from cloud storage, ported from index.js
(fenghailong/logic, cloudfunctions/customer).

The image is downloaded (``fileContent``, bytes), uploaded to WeChat as temporary media, and sent
by the ``mediaId`` that upload returns. Nothing is caught, as in the original."""

import cloud

cloud.init({"env": "prod-2gzhco766f4e1e27"})

QR = "cloud://prod-2gzhco766f4e1e27.7072-prod-2gzhco766f4e1e27-1304834920/customer/IMG_8725.JPG"


async def downLoad():
    res = await cloud.downloadFile({"fileID": QR})
    buffer = res["fileContent"]
    print(buffer)
    return buffer


async def upload(buffer):
    return await cloud.openapi.customerServiceMessage.uploadTempMedia(
        {
            "type": "image",
            "media": {
                "contentType": "image/png",
                "value": buffer,
            },
        }
    )


async def main(event, context):
    wxContext = cloud.getWXContext()
    print(event)
    if event.get("MsgType") == "text":
        await cloud.openapi.customerServiceMessage.send(
            {
                "touser": wxContext.get("OPENID"),
                "msgtype": "text",
                "text": {"content": "你好，获取激活码，请联系客服"},
            }
        )
        media = await upload(await downLoad())
        await cloud.openapi.customerServiceMessage.send(
            {
                "touser": wxContext.get("OPENID"),
                "msgtype": "image",
                "image": {"media_id": media["mediaId"]},
            }
        )
    return "success"
