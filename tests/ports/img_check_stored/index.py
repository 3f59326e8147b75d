"""An image security check of a file in cloud storage, ported from index.js
(wangyq1983/xxb, cloudfunctions/imgcheck).

``downloadFile`` gives the file's bytes as ``fileContent``, sent as the check's ``media``; a failed
download is not caught, as in the original."""

import cloud

cloud.init()


async def main(event, context):
    fileID = event.get("fileID")
    res = await cloud.downloadFile({"fileID": fileID})
    buffer = res["fileContent"]
    try:
        result = await cloud.openapi.security.imgSecCheck(
            {
                "media": {
                    "contentType": event.get("contentType"),
                    "value": buffer,
                }
            }
        )
        return result
    except Exception as err:
        return err
