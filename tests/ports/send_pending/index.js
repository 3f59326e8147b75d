// After github.com/goudan1030/dirnkwater, drinkwater/cloudfunctions/sendMsgSubscribe/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk');
cloud.init();
const db = cloud.database();

// Sends every subscription message not sent yet, all at once, and marks each one sent. A failed
// send is returned in its place in the list; the others go on.
exports.main = async () => {
  try {
    const pending = await db.collection('message').where({ isSend: false }).get();
    const sending = pending.data.map(async (message) => {
      try {
        await cloud.openapi.subscribeMessage.send({
          touser: message.touser,
          page: message.page,
          data: message.data,
          templateId: message.templateId,
        });
        return db.collection('message').doc(message._id).update({ data: { isSend: true } });
      } catch (e) {
        return e;
      }
    });
    return Promise.all(sending);
  } catch (err) {
    console.log(err);
    return err;
  }
};
