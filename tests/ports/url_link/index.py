"""A URL Link to the home page, ported from index.js (rogerwang02/papamamaTools, cloudfunctions/getUrlScheme).

The original reads ``result.url_link``; the SDK answers in camelCase (``urlLink``), so in Node that is
``undefined`` and ``openlink`` is left out of the reply. Read as ``result.get("url_link")`` it is ``None``,
and a ``None`` value in what ``main`` returns is left out the same way (docs/porting.md)."""

import sys

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})


async def main(event, context):
    try:
        result = await cloud.openapi.urllink.generate(
            {
                "path": "/pages/home/index",
                "isExpire": True,
                "expire_type": 1,
                "expire_interval": 30,
            }
        )

        return {
            "code": 0,
            "openlink": result.get("url_link"),
        }

    except cloud.CloudSDKError as err:
        print("could not make the link:", err, file=sys.stderr)
        return {
            "code": -1,
            "msg": err.message,
            "errCode": err.errCode,
        }
