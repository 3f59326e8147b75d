"""A GET API: the paid user's UnionID, ported from index.js."""

import cloud

cloud.init()


async def main(event, context):
    try:
        result = await cloud.openapi.auth.getPaidUnionId(
            {
                "openid": event.get("openid") or "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                "transactionId": event.get("transactionId") or "4200000123201901011234567890",
            }
        )
        return result
    except cloud.CloudSDKError as err:
        return err
