"""Writes a small CSV report to cloud storage, asks the sibling function file_size to read it
back, then removes it: uploadFile, callFunction, deleteFile (a port of index.js)."""

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})


async def main(event, context):
    rows = event.get("rows") or 10
    lines = [f"{i},{i * i}" for i in range(rows)]
    content = ("n,square\n" + "\n".join(lines) + "\n").encode()
    uploaded = await cloud.uploadFile({"cloudPath": f"reports/squares-{rows}.csv", "fileContent": content})
    measured = await cloud.callFunction({"name": "file_size", "data": {"fileID": uploaded["fileID"]}})
    deleted = await cloud.deleteFile({"fileList": [uploaded["fileID"]]})
    return {
        "fileID": uploaded["fileID"],
        "bytes": len(content),
        "measured": measured["result"],
        "called": measured["errMsg"],
        "deleted": deleted["fileList"][0]["status"] == 0,
    }
