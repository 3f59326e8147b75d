"""An image check of a picture sent as base64 text, ported from index.js
(ixiaofeiyang/lottery-v2-20210201, cloudfunctions/imgSecCheck).

``Buffer.from(s, "base64")`` takes text without padding, with line breaks or URL-safe characters;
its twin here is ``from_base64``, copied from docs/porting.md."""

import base64
import re

import cloud

cloud.init()


def from_base64(s):
    """Node's Buffer.from(s, "base64"): either alphabet, up to the first "=", other characters skipped."""
    s = re.sub(r"[^A-Za-z0-9+/]", "", s.partition("=")[0].replace("-", "+").replace("_", "/"))
    s = s[:-1] if len(s) % 4 == 1 else s  # a lone last character holds no whole byte
    return base64.b64decode(s + "=" * (-len(s) % 4))


async def main(event, context):
    try:
        result = await cloud.openapi.security.imgSecCheck(
            {
                "media": {
                    "contentType": "image/jpeg",
                    "value": from_base64(event.get("base64")),
                }
            }
        )
        return {"result": result}
    except Exception as error:
        return {"error": error}
