"""A temporary download link for one stored file: ported from index.js (laihezhao/yuelian,
cloudfunctions/tempFileUrl)."""

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})


async def main(event, context):
    result = await cloud.getTempFileURL({"fileList": [event.get("fileId")]})
    return result["fileList"][0]["tempFileURL"]
