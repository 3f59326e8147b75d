"""A QR code saved to cloud storage, ported from index.js
(xjw1996/wexin-program-Guidance-for-high-school-students, cloudfunctions/two).

The image WeChat sends back is ``result["buffer"]`` (bytes), uploaded as it is."""

import cloud

cloud.init()


async def main(event, context):
    try:
        result = await cloud.openapi.wxacode.createQRCode(
            {
                "path": event.get("path"),
                "width": 430,
            }
        )
        upload = await cloud.uploadFile(
            {
                "cloudPath": "xiace/" + event.get("name") + ".png",
                "fileContent": result["buffer"],
            }
        )
        return upload
    except Exception as err:
        return err
