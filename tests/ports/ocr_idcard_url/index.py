"""ID card OCR of an image URL, ported from index.js (mlzhuo/ml.task, src/functions/ocrIdcard).

``{...result, ocrType}`` is ``{**result, "ocrType": ...}``: the result's keys in their order, then the new one."""

import cloud

cloud.init()


async def main(event, context):
    try:
        imgUrl = event.get("imgUrl")
        result = await cloud.openapi.ocr.idcard({"type": "photo", "imgUrl": imgUrl})
        return {**result, "ocrType": "idcard"}
    except Exception as err:
        print(err)
        return err
