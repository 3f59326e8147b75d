"""The official cloud-call sample for serviceMarket.invokeService, ported from index.js."""

import cloud

cloud.init()


async def main(event, context):
    try:
        result = await cloud.openapi.serviceMarket.invokeService(
            {
                "service": "wx79ac3de8be320b71",
                "api": "OcrAllInOne",
                "data": {
                    "imgUrl": "http://mmbiz.qpic.cn/mmbiz_jpg/7UFjuNbYxibu66xSqsQqKcuoGBZM77HIyibdiczeWibdMeA2XMt5oibWVQMgDibriazJSOibLqZxcO6DVVcZMxDKgeAtbQ/0",
                    "dataType": 3,
                    "ocrType": 1,
                },
                "clientMsgId": "id123",
            }
        )
        return result
    except cloud.CloudSDKError as err:
        return err
