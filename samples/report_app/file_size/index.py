"""Reads a file from cloud storage and says how big it is, and for whom it was asked (a port of
index.js, blocking style)."""

import cloud.sync as cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})


def main(event, context):
    found = cloud.downloadFile({"fileID": event["fileID"]})
    content = found["fileContent"]
    return {
        "size": len(content),
        "lines": content.count(b"\n"),
        "openid": cloud.getWXContext().get("OPENID"),
    }
