// After github.com/mlzhuo/ml.task, src/functions/ocrIdcard/index.js: the same call, written anew.
const cloud = require("wx-server-sdk");
cloud.init();

// Reads an ID card photo at event.imgUrl; the result is returned with ocrType added, an error as it is.
exports.main = async (event) => {
  try {
    const { imgUrl } = event;
    const result = await cloud.openapi.ocr.idcard({ type: "photo", imgUrl });
    return { ...result, ocrType: "idcard" };
  } catch (err) {
    console.log(err);
    return err;
  }
};
