"""A file upload: recognise an ID card photo sent as a file, ported from index.js.

``{"contentType": ..., "value": bytes}`` is Node's file param; it goes as the multipart file part
``img`` (filename ``img.png``), the other params as form fields.
"""

from pathlib import Path

import cloud

cloud.init()


async def main(event, context):
    try:
        result = await cloud.openapi.ocr.idcard(
            {
                "type": "photo",
                "img": {
                    "contentType": "image/png",
                    "value": Path(__file__).with_name("photo.png").read_bytes(),
                },
            }
        )
        return result
    except cloud.CloudSDKError as err:
        return err
