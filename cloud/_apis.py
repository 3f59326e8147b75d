"""Typed ``cloud.openapi`` and ``cloud.cloudPay``, generated from ``data/catalog.json``
by ``python -m cloud.stubgen``.

Do not edit. ``R`` is what a call returns: an awaitable result (``AsyncOpenAPI``) or the result
(``SyncOpenAPI``). A name missing here is a type error; ``openapi["ns"]["api"]`` reaches any name
(the ones you register), typed ``AnyApi``."""

from __future__ import annotations

from collections.abc import Coroutine, Mapping
from typing import Any, Generic, Protocol, TypeVar

R = TypeVar("R", covariant=True)
Params = Mapping[str, Any] | None


class AnyApi(Protocol, Generic[R]):
    """An API or a namespace reached by name: ``openapi["partner"]["query"](params)``."""

    def __call__(self, params: Params = None, /, **kwargs: Any) -> R: ...
    def __getitem__(self, name: str) -> AnyApi[R]: ...


class Api_officialAccount_card_update(Protocol, Generic[R]):
    def __call__(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/update`` (method guessed): JSON body; current."""
        ...

    def updateBoardingPass(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/boardingpass/checkin`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_wxa_sec_order(Protocol, Generic[R]):
    def getOrder(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/sec/order/get_order``: JSON body; current."""
        ...

    def getOrderList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/sec/order/get_order_list``: JSON body; current."""
        ...

    def isTradeManaged(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/sec/order/is_trade_managed``: JSON body; current."""
        ...

    def notifyConfirmReceive(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/sec/order/notify_confirm_receive``: JSON body; current."""
        ...

    def setMsgJumpPath(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/sec/order/set_msg_jump_path``: JSON body; current."""
        ...

    def uploadCombinedShippingInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/sec/order/upload_combined_shipping_info``: JSON body; current."""
        ...

    def uploadShippingInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/sec/order/upload_shipping_info``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_card(Protocol, Generic[R]):
    def GetPayGiftCardById(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/paygiftcard/getbyid`` (method guessed): JSON body; current."""
        ...

    def activateMemberCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/membercard/activate`` (method guessed): JSON body; current."""
        ...

    def addGiftCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/giftcard/page/add`` (method guessed): JSON body; current."""
        ...

    def addGiftCardPayWhitelist(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/giftcard/pay/whitelist/add`` (method guessed): JSON body; current."""
        ...

    def batchGet(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/batchget`` (method guessed): JSON body; current."""
        ...

    def batchGetGiftCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/giftcard/page/batchget`` (method guessed): JSON body; current."""
        ...

    def batchGetGiftCardOrder(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/giftcard/order/batchget`` (method guessed): JSON body; current."""
        ...

    def batchGetPayGiftCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/paygiftcard/batchget`` (method guessed): JSON body; current."""
        ...

    def batchGetSubmerchant(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/submerchant/batchget`` (method guessed): JSON body; current."""
        ...

    def bindSubMchGiftCardPay(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/giftcard/pay/submch/bind`` (method guessed): JSON body; current."""
        ...

    def consumeCode(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/code/consume`` (method guessed): JSON body; current."""
        ...

    def create(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/create`` (method guessed): JSON body; current."""
        ...

    def createLandingPage(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/landingpage/create`` (method guessed): JSON body; current."""
        ...

    def createQRCode(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/qrcode/create`` (method guessed): JSON body; current."""
        ...

    def decryptCode(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/code/decrypt`` (method guessed): JSON body; current."""
        ...

    def depositCode(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/code/deposit`` (method guessed): JSON body; current."""
        ...

    def get(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/get`` (method guessed): JSON body; current."""
        ...

    def getApplyProtocol(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /card/getapplyprotocol`` (method guessed): all in the query string; current."""
        ...

    def getCode(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/code/get`` (method guessed): JSON body; current."""
        ...

    def getDepositCodeCount(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/code/getdepositcount`` (method guessed): JSON body; current."""
        ...

    def getGiftCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/giftcard/page/get`` (method guessed): JSON body; current."""
        ...

    def getGiftCardOrder(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/giftcard/order/get`` (method guessed): JSON body; current."""
        ...

    def getInvoiceAuthData(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/invoice/getauthdata`` (method guessed): JSON body; current."""
        ...

    def getMemberCardActivateTempInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/membercard/activatetempinfo/get`` (method guessed): JSON body; current."""
        ...

    def getMemberCardUserInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/membercard/userinfo/get`` (method guessed): JSON body; current."""
        ...

    def getNewsHTML(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/mpnews/gethtml`` (method guessed): JSON body; current."""
        ...

    def getSubmerchant(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/submerchant/get`` (method guessed): JSON body; current."""
        ...

    def getUserCardList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/user/getcardlist`` (method guessed): JSON body; current."""
        ...

    def invalidateCode(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/code/unavailable`` (method guessed): JSON body; current."""
        ...

    def invoiceInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/invoice/setbizattr`` (method guessed): JSON body; current."""
        ...

    def maintainGiftCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/giftcard/maintain/set`` (method guessed): JSON body; current."""
        ...

    def modifyStock(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/modifystock`` (method guessed): JSON body; current."""
        ...

    def refundGiftCardOrder(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/giftcard/order/refund`` (method guessed): JSON body; current."""
        ...

    def setMemberCardActivateUserForm(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/membercard/activateuserform/set`` (method guessed): JSON body; current."""
        ...

    def setPayCell(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/paycell/set`` (method guessed): JSON body; current."""
        ...

    def setSelfConsumeCell(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/selfconsumecell/set`` (method guessed): JSON body; current."""
        ...

    def setTestWhitelist(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/testwhitelist/set`` (method guessed): JSON body; current."""
        ...

    def setWXAGiftCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/giftcard/wxa/set`` (method guessed): JSON body; current."""
        ...

    def submitSubmerchant(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/submerchant/submit`` (method guessed): JSON body; current."""
        ...

    @property
    def update(self) -> Api_officialAccount_card_update[R]: ...

    def updateCode(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/code/update`` (method guessed): JSON body; current."""
        ...

    def updateGiftCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/giftcard/page/update`` (method guessed): JSON body; current."""
        ...

    def updateMeetingTicket(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/meetingticket/updateuser`` (method guessed): JSON body; current."""
        ...

    def updateMemberCardUserInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/membercard/updateuser`` (method guessed): JSON body; current."""
        ...

    def updateMovieTicket(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/movieticket/updateuser`` (method guessed): JSON body; current."""
        ...

    def updateSubmerchant(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/submerchant/update`` (method guessed): JSON body; current."""
        ...

    def updateUserCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/generalcard/updateuser`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_comment(Protocol, Generic[R]):
    def close(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/comment/close`` (method guessed): JSON body; current."""
        ...

    def delete(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/comment/delete`` (method guessed): JSON body; current."""
        ...

    def deleteReply(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/comment/reply/delete`` (method guessed): JSON body; current."""
        ...

    def list(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/comment/list`` (method guessed): JSON body; current."""
        ...

    def markElect(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/comment/markelect`` (method guessed): JSON body; current."""
        ...

    def open(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/comment/open`` (method guessed): JSON body; current."""
        ...

    def reply(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/comment/reply/add`` (method guessed): JSON body; current."""
        ...

    def unmarkElect(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/comment/unmarkelect`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_customerService(Protocol, Generic[R]):
    def addKFAccount(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /customservice/kfaccount/add`` (method guessed): JSON body; current."""
        ...

    def closeKFSession(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /customservice/kfsession/close`` (method guessed): JSON body; current."""
        ...

    def createKFSession(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /customservice/kfsession/create`` (method guessed): JSON body; current."""
        ...

    def deleteKFAccount(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /customservice/kfaccount/del`` (method guessed): all in the query string; current."""
        ...

    def getKFSession(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /customservice/kfsession/getsession`` (method guessed): all in the query string; current."""
        ...

    def getKFSessionList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /customservice/kfsession/getsessionlist`` (method guessed): all in the query string; current."""
        ...

    def getKFSessionWaitCase(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /customservice/kfsession/getwaitcase`` (method guessed): all in the query string; current."""
        ...

    def getList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/customservice/getkflist`` (method guessed): all in the query string; current."""
        ...

    def getMsgList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /customservice/msgrecord/getmsglist`` (method guessed): JSON body; current."""
        ...

    def getOnlineList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/customservice/getonlinekflist`` (method guessed): all in the query string; current."""
        ...

    def inviteWorker(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /customservice/kfaccount/inviteworker`` (method guessed): JSON body; current."""
        ...

    def updateKFAccount(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /customservice/kfaccount/update`` (method guessed): JSON body; current."""
        ...

    def uploadHeadImg(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /customservice/kfaccount/uploadheadimg`` (method guessed): multipart form, files: media; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_datacube(Protocol, Generic[R]):
    def getArticleSummary(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getarticlesummary`` (method guessed): JSON body; current."""
        ...

    def getArticleTotal(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getarticletotal`` (method guessed): JSON body; current."""
        ...

    def getCardBizInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getcardbizuininfo`` (method guessed): JSON body; current."""
        ...

    def getFreeCardInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getcardcardinfo`` (method guessed): JSON body; current."""
        ...

    def getInterfaceSummary(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getinterfacesummary`` (method guessed): JSON body; current."""
        ...

    def getInterfaceSummaryHour(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getinterfacesummaryhour`` (method guessed): JSON body; current."""
        ...

    def getMemberCardDetail(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getcardmembercarddetail`` (method guessed): JSON body; current."""
        ...

    def getMemberCardInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getcardmembercardinfo`` (method guessed): JSON body; current."""
        ...

    def getUpstreamMsg(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getupstreammsg`` (method guessed): JSON body; current."""
        ...

    def getUpstreamMsgDist(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getupstreammsgdist`` (method guessed): JSON body; current."""
        ...

    def getUpstreamMsgDistMonth(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getupstreammsgdistmonth`` (method guessed): JSON body; current."""
        ...

    def getUpstreamMsgDistWeek(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getupstreammsgdistweek`` (method guessed): JSON body; current."""
        ...

    def getUpstreamMsgHour(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getupstreammsghour`` (method guessed): JSON body; current."""
        ...

    def getUpstreamMsgMonth(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getupstreammsgmonth`` (method guessed): JSON body; current."""
        ...

    def getUpstreamMsgWeek(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getupstreammsgweek`` (method guessed): JSON body; current."""
        ...

    def getUserCumulate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getusercumulate`` (method guessed): JSON body; current."""
        ...

    def getUserRead(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getuserread`` (method guessed): JSON body; current."""
        ...

    def getUserReadHour(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getuserreadhour`` (method guessed): JSON body; current."""
        ...

    def getUserShare(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getusershare`` (method guessed): JSON body; current."""
        ...

    def getUserShareHour(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getusersharehour`` (method guessed): JSON body; current."""
        ...

    def getUserSummary(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getusersummary`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_map(Protocol, Generic[R]):
    def createPoi(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/create_map_poi`` (method guessed): JSON body; current."""
        ...

    def getDistrict(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxa/get_district`` (method guessed): all in the query string; current."""
        ...

    def searchPoi(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/search_map_poi`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_material(Protocol, Generic[R]):
    def addMaterial(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/material/add_material``: multipart form, files: media; current."""
        ...

    def addNews(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/material/add_news`` (method guessed): JSON body; current."""
        ...

    def batchGetMaterial(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/material/batchget_material`` (method guessed): JSON body; current."""
        ...

    def delelete(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/material/del_material``: JSON body; current."""
        ...

    def get(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/material/get_material``: JSON body; current."""
        ...

    def getMaterialCount(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/material/get_materialcount``: all in the query string; current."""
        ...

    def updateNews(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/material/update_news`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_media(Protocol, Generic[R]):
    def get(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/media/get``: all in the query string; current."""
        ...

    def getFromJSSDK(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/media/get/jssdk`` (method guessed): all in the query string; current."""
        ...

    def upload(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/media/upload``: multipart form, files: media; current."""
        ...

    def uploadImg(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/media/uploadimg``: multipart form, files: media; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_menu(Protocol, Generic[R]):
    def addConditional(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/menu/addconditional`` (method guessed): JSON body; current."""
        ...

    def create(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/menu/create`` (method guessed): JSON body; current."""
        ...

    def delConditional(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/menu/delconditional`` (method guessed): JSON body; current."""
        ...

    def delete(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/menu/delete`` (method guessed): all in the query string; current."""
        ...

    def get(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/menu/get`` (method guessed): all in the query string; current."""
        ...

    def getSelfMenu(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/get_current_selfmenu_info`` (method guessed): all in the query string; current."""
        ...

    def tryMatch(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/menu/trymatch`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_message(Protocol, Generic[R]):
    def sendall(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/message/mass/sendall`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_messageTemplate(Protocol, Generic[R]):
    def send(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/message/template/send``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_mpStore(Protocol, Generic[R]):
    def addStore(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/add_store`` (method guessed): JSON body; current."""
        ...

    def apply(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/apply_merchant`` (method guessed): JSON body; current."""
        ...

    def deleteStore(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/del_store`` (method guessed): JSON body; current."""
        ...

    def getAuditInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxa/get_merchant_audit_info`` (method guessed): all in the query string; current."""
        ...

    def getCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/storewxa/get`` (method guessed): JSON body; current."""
        ...

    def getCategory(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxa/get_merchant_category`` (method guessed): all in the query string; current."""
        ...

    def getStoreInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/get_store_info`` (method guessed): JSON body; current."""
        ...

    def getStoreList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/get_store_list`` (method guessed): JSON body; current."""
        ...

    def modify(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/modify_merchant`` (method guessed): JSON body; current."""
        ...

    def setCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/storewxa/set`` (method guessed): JSON body; current."""
        ...

    def updateStore(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/update_store`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_newtmpl(Protocol, Generic[R]):
    def addTemplate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/newtmpl/addtemplate``: JSON body; current."""
        ...

    def delTemplate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/newtmpl/deltemplate``: JSON body; current."""
        ...

    def getCategory(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/newtmpl/getcategory``: all in the query string; current."""
        ...

    def getPubTemplateKeywords(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/newtmpl/getpubtemplatekeywords``: all in the query string; current."""
        ...

    def getPubTemplateTitles(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/newtmpl/getpubtemplatetitles``: all in the query string; current."""
        ...

    def getTemplate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/newtmpl/gettemplate``: all in the query string; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_poi(Protocol, Generic[R]):
    def add(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/poi/addpoi`` (method guessed): JSON body; current."""
        ...

    def delete(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/poi/delpoi`` (method guessed): JSON body; current."""
        ...

    def get(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/poi/getpoi`` (method guessed): JSON body; current."""
        ...

    def getList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/poi/getpoilist`` (method guessed): JSON body; current."""
        ...

    def getWXCategory(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/poi/getwxcategory`` (method guessed): all in the query string; current."""
        ...

    def update(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/poi/updatepoi`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_publisher(Protocol, Generic[R]):
    def stat(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /publisher/stat`` (method guessed): all in the query string; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_qrcode(Protocol, Generic[R]):
    def create(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/qrcode/create`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_semantic(Protocol, Generic[R]):
    def search(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /semantic/semproxy/search`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_shorten(Protocol, Generic[R]):
    def fetch(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/shorten/fetch`` (method guessed): JSON body; current."""
        ...

    def gen(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/shorten/gen`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_subscribe(Protocol, Generic[R]):
    def bizSend(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/message/subscribe/bizsend`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_tags(Protocol, Generic[R]):
    def batchTagging(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/tags/members/batchtagging`` (method guessed): JSON body; current."""
        ...

    def batchUnblacklist(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/tags/members/batchunblacklist`` (method guessed): JSON body; current."""
        ...

    def batchUntagging(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/tags/members/batchuntagging`` (method guessed): JSON body; current."""
        ...

    def create(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/tags/create`` (method guessed): JSON body; current."""
        ...

    def delete(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/tags/delete`` (method guessed): JSON body; current."""
        ...

    def get(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/tags/get`` (method guessed): all in the query string; current."""
        ...

    def getUserTagList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/tags/getidlist`` (method guessed): JSON body; current."""
        ...

    def getUsers(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/user/tag/get`` (method guessed): JSON body; current."""
        ...

    def update(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/tags/update`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_user(Protocol, Generic[R]):
    def batchGetInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/user/info/batchget`` (method guessed): JSON body; current."""
        ...

    def getBlacklist(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/tags/members/getblacklist`` (method guessed): JSON body; current."""
        ...

    def getInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/user/info`` (method guessed): all in the query string; current."""
        ...

    def getList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/user/get`` (method guessed): all in the query string; current."""
        ...

    def updateRemark(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/user/info/updateremark`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount_voice(Protocol, Generic[R]):
    def queryVoiceTextResult(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/media/voice/queryrecoresultfortext`` (method guessed): JSON body; current."""
        ...

    def translateContent(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /voice/translatecontent`` (method guessed): JSON body; current."""
        ...

    def uploadVoiceForText(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/media/voice/addvoicetorecofortext`` (method guessed): JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_wxa_sec(Protocol, Generic[R]):
    @property
    def order(self) -> Api_wxa_sec_order[R]: ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_ad(Protocol, Generic[R]):
    def addUserAction(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /marketing/user_actions/add``: JSON body; current."""
        ...

    def addUserActionSet(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /marketing/user_action_sets/add`` (method guessed): JSON body; current."""
        ...

    def getUserActionSetReports(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /marketing/user_action_set_reports/get`` (method guessed): all in the query string; current."""
        ...

    def getUserActionSets(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /marketing/user_action_sets/get`` (method guessed): all in the query string; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_analysis(Protocol, Generic[R]):
    def getDailyRetain(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getweanalysisappiddailyretaininfo``: JSON body; current."""
        ...

    def getDailySummary(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getweanalysisappiddailysummarytrend``: JSON body; current."""
        ...

    def getDailyVisitTrend(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getweanalysisappiddailyvisittrend``: JSON body; current."""
        ...

    def getMonthlyRetain(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getweanalysisappidmonthlyretaininfo``: JSON body; current."""
        ...

    def getMonthlyVisitTrend(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getweanalysisappidmonthlyvisittrend``: JSON body; current."""
        ...

    def getPerformanceData(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/business/performance/boot``: JSON body; current."""
        ...

    def getUserPortrait(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getweanalysisappiduserportrait``: JSON body; current."""
        ...

    def getVisitDistribution(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getweanalysisappidvisitdistribution``: JSON body; current."""
        ...

    def getVisitPage(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getweanalysisappidvisitpage``: JSON body; current."""
        ...

    def getWeeklyRetain(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getweanalysisappidweeklyretaininfo``: JSON body; current."""
        ...

    def getWeeklyVisitTrend(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /datacube/getweanalysisappidweeklyvisittrend``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_auth(Protocol, Generic[R]):
    def getPaidUnionId(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxa/getpaidunionid``: all in the query string; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_chattoolmsg(Protocol, Generic[R]):
    def send(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/message/wxopen/chattoolmsg/send``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_cloudbase(Protocol, Generic[R]):
    def addDelayedFunctionTask(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /tcb/adddelayedfunctiontask``: JSON body; current."""
        ...

    def createSendSmsTask(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /tcb/createsendsmstask``: JSON body; current."""
        ...

    def describeExtensionUploadInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /tcb/describeextensionuploadinfo``: JSON body; current."""
        ...

    def describeSmsRecords(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /tcb/describesmsrecords``: JSON body; current."""
        ...

    def getOpenData(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/getopendata``: JSON body; current."""
        ...

    def getStatistics(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /tcb/getstatistics``: JSON body; current."""
        ...

    def getVoIPSign(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/getvoipsign``: JSON body; current."""
        ...

    def report(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /tcb/cloudbasereport``: JSON body; current."""
        ...

    def sendSms(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /tcb/sendsms``: JSON body; current."""
        ...

    def sendSmsV2(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /tcb/sendsmsv2``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_customerServiceMessage(Protocol, Generic[R]):
    def getTempMedia(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/media/get``: all in the query string; legacy."""
        ...

    def send(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/message/custom/send``: JSON body; current."""
        ...

    def setTyping(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/message/custom/business/typing``: JSON body; current."""
        ...

    def uploadTempMedia(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/media/upload``: multipart form, files: media; legacy."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_device(Protocol, Generic[R]):
    def getSnTicket(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/getsnticket``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_img(Protocol, Generic[R]):
    def aiCrop(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cv/img/aicrop``: multipart form, files: img; current."""
        ...

    def scanQRCode(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cv/img/qrcode``: multipart form, files: img; current."""
        ...

    def superresolution(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cv/img/superresolution``: multipart form, files: img; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_liveBroadcast(Protocol, Generic[R]):
    def addAssistant(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/addassistant``: JSON body; current."""
        ...

    def addGoods(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/addgoods``: JSON body; current."""
        ...

    def addRole(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/role/addrole``: JSON body; current."""
        ...

    def addSubAnchor(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/addsubanchor``: JSON body; current."""
        ...

    def createRoom(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/create``: JSON body; current."""
        ...

    def deleteRole(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/role/deleterole``: JSON body; current."""
        ...

    def deleteRoom(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/deleteroom``: JSON body; current."""
        ...

    def deleteSubAnchor(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/deletesubanchor``: JSON body; current."""
        ...

    def editRoom(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/editroom``: JSON body; current."""
        ...

    def getAssistantList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/broadcast/room/getassistantlist``: all in the query string; current."""
        ...

    def getFollowers(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/business/get_wxa_followers``: JSON body; current."""
        ...

    def getLiveInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/business/getliveinfo``: JSON body; current."""
        ...

    def getPushUrl(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/broadcast/room/getpushurl``: all in the query string; current."""
        ...

    def getRoleList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/broadcast/role/getrolelist``: all in the query string; current."""
        ...

    def getSharedCode(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/broadcast/room/getsharedcode``: all in the query string; current."""
        ...

    def getSubAnchor(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/broadcast/room/getsubanchor``: all in the query string; current."""
        ...

    def goodsAdd(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/goods/add``: JSON body; current."""
        ...

    def goodsAudit(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/goods/audit``: JSON body; current."""
        ...

    def goodsDelete(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/goods/deleteInRoom``: JSON body; current."""
        ...

    def goodsInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/business/getgoodswarehouse``: JSON body; current."""
        ...

    def goodsList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/broadcast/goods/getapproved``: all in the query string; current."""
        ...

    def goodsPush(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/goods/push``: JSON body; current."""
        ...

    def goodsResetAudit(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/goods/resetaudit``: JSON body; current."""
        ...

    def goodsSale(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/goods/onsale``: JSON body; current."""
        ...

    def goodsSort(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/goods/sort``: JSON body; current."""
        ...

    def goodsUpdate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/goods/update``: JSON body; current."""
        ...

    def goodsVideo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/goods/getVideo``: JSON body; current."""
        ...

    def modifyAssistant(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/modifyassistant``: JSON body; current."""
        ...

    def modifySubAnchor(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/modifysubanchor``: JSON body; current."""
        ...

    def pushMessage(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/business/push_message``: JSON body; current."""
        ...

    def removeAssistant(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/removeassistant``: JSON body; current."""
        ...

    def updateComment(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/updatecomment``: JSON body; current."""
        ...

    def updateFeedPublic(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/updatefeedpublic``: JSON body; current."""
        ...

    def updateKF(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/updatekf``: JSON body; current."""
        ...

    def updateReplay(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/broadcast/room/updatereplay``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_logistics(Protocol, Generic[R]):
    def addOrder(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/business/order/add``: JSON body; current."""
        ...

    def batchGetOrder(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/business/order/batchget``: JSON body; current."""
        ...

    def bindAccount(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/business/account/bind``: JSON body; current."""
        ...

    def cancelOrder(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/business/order/cancel``: JSON body; current."""
        ...

    def getAllAccount(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/express/business/account/getall``: all in the query string; current."""
        ...

    def getAllDelivery(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/express/business/delivery/getall``: all in the query string; current."""
        ...

    def getContact(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/delivery/contact/get``: JSON body; current."""
        ...

    def getOrder(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/business/order/get``: JSON body; current."""
        ...

    def getPath(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/business/path/get``: JSON body; current."""
        ...

    def getPrinter(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/express/business/printer/getall``: all in the query string; current."""
        ...

    def getQuota(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/business/quota/get``: JSON body; current."""
        ...

    def previewTemplate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/delivery/template/preview``: JSON body; current."""
        ...

    def updateBusiness(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/delivery/service/business/update``: JSON body; current."""
        ...

    def updatePath(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/delivery/path/update``: JSON body; current."""
        ...

    def updatePrinter(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/express/business/printer/update``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_midas(Protocol, Generic[R]):
    def cancelPay(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/midas/cancelpay``: JSON body; legacy."""
        ...

    def cancelPaySandbox(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/midas/sandbox/cancelpay``: JSON body; legacy."""
        ...

    def getBalance(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/midas/getbalance``: JSON body; legacy."""
        ...

    def getBalanceSandbox(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/midas/sandbox/getbalance``: JSON body; legacy."""
        ...

    def pay(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/midas/pay``: JSON body; legacy."""
        ...

    def paySandbox(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/midas/sandbox/pay``: JSON body; legacy."""
        ...

    def present(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/midas/present``: JSON body; legacy."""
        ...

    def presentSandbox(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/midas/sandbox/present``: JSON body; legacy."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_nearbyPoi(Protocol, Generic[R]):
    def add(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/addnearbypoi``: JSON body; current."""
        ...

    def delete(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/delnearbypoi``: JSON body; current."""
        ...

    def getList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/getnearbypoilist``: JSON body; current."""
        ...

    def setShowStatus(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/setnearbypoishowstatus``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_ocr(Protocol, Generic[R]):
    def bankcard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cv/ocr/bankcard``: multipart form, files: img; current."""
        ...

    def businessLicense(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cv/ocr/bizlicense``: multipart form, files: img; current."""
        ...

    def driverLicense(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cv/ocr/drivinglicense``: multipart form, files: img; current."""
        ...

    def drivingLicense(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cv/ocr/driving``: multipart form, files: img; current."""
        ...

    def idcard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cv/ocr/idcard``: multipart form, files: img; current."""
        ...

    def printedText(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cv/ocr/comm``: multipart form, files: img; current."""
        ...

    def vehicleLicense(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cv/ocr/driving``: multipart form, files: img; alias."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_officialAccount(Protocol, Generic[R]):
    def addPayGiftCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/paygiftcard/add`` (method guessed): JSON body; current."""
        ...

    @property
    def card(self) -> Api_officialAccount_card[R]: ...

    @property
    def comment(self) -> Api_officialAccount_comment[R]: ...

    @property
    def customerService(self) -> Api_officialAccount_customerService[R]: ...

    @property
    def datacube(self) -> Api_officialAccount_datacube[R]: ...

    def deletePayGiftCard(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /card/paygiftcard/delete`` (method guessed): JSON body; current."""
        ...

    @property
    def map(self) -> Api_officialAccount_map[R]: ...

    @property
    def material(self) -> Api_officialAccount_material[R]: ...

    @property
    def media(self) -> Api_officialAccount_media[R]: ...

    @property
    def menu(self) -> Api_officialAccount_menu[R]: ...

    @property
    def message(self) -> Api_officialAccount_message[R]: ...

    @property
    def messageTemplate(self) -> Api_officialAccount_messageTemplate[R]: ...

    @property
    def mpStore(self) -> Api_officialAccount_mpStore[R]: ...

    @property
    def newtmpl(self) -> Api_officialAccount_newtmpl[R]: ...

    @property
    def poi(self) -> Api_officialAccount_poi[R]: ...

    @property
    def publisher(self) -> Api_officialAccount_publisher[R]: ...

    @property
    def qrcode(self) -> Api_officialAccount_qrcode[R]: ...

    @property
    def semantic(self) -> Api_officialAccount_semantic[R]: ...

    @property
    def shorten(self) -> Api_officialAccount_shorten[R]: ...

    def shorturl(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/shorturl`` (method guessed): JSON body; current."""
        ...

    @property
    def subscribe(self) -> Api_officialAccount_subscribe[R]: ...

    @property
    def tags(self) -> Api_officialAccount_tags[R]: ...

    @property
    def user(self) -> Api_officialAccount_user[R]: ...

    @property
    def voice(self) -> Api_officialAccount_voice[R]: ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_operation(Protocol, Generic[R]):
    def getDomainInfo(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/getwxadevinfo``: JSON body; current."""
        ...

    def getFeedback(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/feedback/list``: all in the query string; current."""
        ...

    def getFeedbackmedia(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/media/getfeedbackmedia``: all in the query string; current."""
        ...

    def getGrayReleasePlan(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxa/getgrayreleaseplan``: all in the query string; current."""
        ...

    def getJsErrDetail(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/log/jserr_detail``: JSON body; current."""
        ...

    def getJsErrList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/log/jserr_list``: JSON body; current."""
        ...

    def getPerformance(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/log/get_performance``: JSON body; current."""
        ...

    def getSceneList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/log/get_scene``: all in the query string; current."""
        ...

    def getVersionList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/log/get_client_version``: all in the query string; current."""
        ...

    def realtimelogSearch(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/userlog/userlog_search``: all in the query string; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_phonenumber(Protocol, Generic[R]):
    def getPhoneNumber(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/business/getuserphonenumber``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_pluginManager(Protocol, Generic[R]):
    def applyPlugin(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/plugin``: JSON body; alias."""
        ...

    def getPluginDevApplyList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/devplugin``: JSON body; alias."""
        ...

    def getPluginList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/plugin``: JSON body; current."""
        ...

    def setDevPluginApplyStatus(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/devplugin``: JSON body; current."""
        ...

    def unbindPlugin(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/plugin``: JSON body; alias."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_redpacketcover(Protocol, Generic[R]):
    def getAuthenticationUrl(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /redpacketcover/wxapp/cover_url/get_by_token``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_riskControl(Protocol, Generic[R]):
    def getUserRiskRank(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/getuserriskrank``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_search(Protocol, Generic[R]):
    def imageSearch(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/imagesearch``: multipart form, files: img; legacy."""
        ...

    def siteSearch(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/sitesearch`` (method guessed): JSON body; legacy."""
        ...

    def submitPages(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/search/wxaapi_submitpages``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_security(Protocol, Generic[R]):
    def imgSecCheck(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/img_sec_check``: multipart form, files: media; deprecated."""
        ...

    def mediaCheckAsync(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/media_check_async``: JSON body; current."""
        ...

    def msgSecCheck(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/msg_sec_check``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_serviceMarket(Protocol, Generic[R]):
    def invokeService(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/servicemarket``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_shortlink(Protocol, Generic[R]):
    def generate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/genwxashortlink``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_soter(Protocol, Generic[R]):
    def verifySignature(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/soter/verify_signature``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_subscribeMessage(Protocol, Generic[R]):
    def addTemplate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/newtmpl/addtemplate``: JSON body; alias."""
        ...

    def deleteTemplate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxaapi/newtmpl/deltemplate``: JSON body; alias."""
        ...

    def getCategory(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/newtmpl/getcategory``: all in the query string; alias."""
        ...

    def getPubTemplateKeyWordsById(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/newtmpl/getpubtemplatekeywords``: all in the query string; alias."""
        ...

    def getPubTemplateTitleList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/newtmpl/getpubtemplatetitles``: all in the query string; alias."""
        ...

    def getTemplateList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /wxaapi/newtmpl/gettemplate``: all in the query string; alias."""
        ...

    def send(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/message/subscribe/send``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_templateMessage(Protocol, Generic[R]):
    def addTemplate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/wxopen/template/add``: JSON body; deprecated."""
        ...

    def deleteTemplate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/wxopen/template/del``: JSON body; deprecated."""
        ...

    def getTemplateLibraryById(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/wxopen/template/library/get``: JSON body; deprecated."""
        ...

    def getTemplateLibraryList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/wxopen/template/library/list``: JSON body; deprecated."""
        ...

    def getTemplateList(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/wxopen/template/list``: JSON body; deprecated."""
        ...

    def send(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/message/wxopen/template/send``: JSON body; deprecated."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_uniformMessage(Protocol, Generic[R]):
    def send(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/message/wxopen/template/uniform_send``: JSON body; deprecated."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_updatableMessage(Protocol, Generic[R]):
    def createActivityId(self, params: Params = None, /, **kwargs: Any) -> R:
        """``GET /cgi-bin/message/wxopen/activityid/create``: all in the query string; current."""
        ...

    def setUpdatableMsg(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/message/wxopen/updatablemsg/send``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_urllink(Protocol, Generic[R]):
    def generate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/generate_urllink``: JSON body; current."""
        ...

    def query(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/query_urllink``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_urlscheme(Protocol, Generic[R]):
    def generate(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/generatescheme``: JSON body; current."""
        ...

    def generateNFCScheme(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/generatenfcscheme``: JSON body; current."""
        ...

    def query(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/queryscheme``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_wxa(Protocol, Generic[R]):
    @property
    def sec(self) -> Api_wxa_sec[R]: ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Api_wxacode(Protocol, Generic[R]):
    def createQRCode(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /cgi-bin/wxaapp/createwxaqrcode``: JSON body; current."""
        ...

    def get(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/getwxacode``: JSON body; current."""
        ...

    def getUnlimited(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /wxa/getwxacodeunlimit``: JSON body; current."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class Root(Protocol, Generic[R]):
    def __call__(self, params: Params = None, /, **kwargs: Any) -> Root[R]:
        """Reconfigured namespace: ``convertCase``, ``appid``, ``version``."""
        ...

    @property
    def ad(self) -> Api_ad[R]: ...

    @property
    def analysis(self) -> Api_analysis[R]: ...

    @property
    def auth(self) -> Api_auth[R]: ...

    @property
    def chattoolmsg(self) -> Api_chattoolmsg[R]: ...

    @property
    def cloudbase(self) -> Api_cloudbase[R]: ...

    @property
    def customerServiceMessage(self) -> Api_customerServiceMessage[R]: ...

    @property
    def device(self) -> Api_device[R]: ...

    @property
    def img(self) -> Api_img[R]: ...

    @property
    def liveBroadcast(self) -> Api_liveBroadcast[R]: ...

    @property
    def logistics(self) -> Api_logistics[R]: ...

    @property
    def midas(self) -> Api_midas[R]: ...

    @property
    def nearbyPoi(self) -> Api_nearbyPoi[R]: ...

    @property
    def ocr(self) -> Api_ocr[R]: ...

    @property
    def officialAccount(self) -> Api_officialAccount[R]: ...

    @property
    def operation(self) -> Api_operation[R]: ...

    @property
    def phonenumber(self) -> Api_phonenumber[R]: ...

    @property
    def pluginManager(self) -> Api_pluginManager[R]: ...

    @property
    def redpacketcover(self) -> Api_redpacketcover[R]: ...

    @property
    def riskControl(self) -> Api_riskControl[R]: ...

    @property
    def search(self) -> Api_search[R]: ...

    @property
    def security(self) -> Api_security[R]: ...

    @property
    def serviceMarket(self) -> Api_serviceMarket[R]: ...

    @property
    def shortlink(self) -> Api_shortlink[R]: ...

    @property
    def soter(self) -> Api_soter[R]: ...

    @property
    def subscribeMessage(self) -> Api_subscribeMessage[R]: ...

    @property
    def templateMessage(self) -> Api_templateMessage[R]: ...

    @property
    def uniformMessage(self) -> Api_uniformMessage[R]: ...

    @property
    def updatableMessage(self) -> Api_updatableMessage[R]: ...

    @property
    def urllink(self) -> Api_urllink[R]: ...

    @property
    def urlscheme(self) -> Api_urlscheme[R]: ...

    @property
    def wxa(self) -> Api_wxa[R]: ...

    @property
    def wxacode(self) -> Api_wxacode[R]: ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


class CloudPay(Protocol, Generic[R]):
    def __call__(self, params: Params = None, /, **kwargs: Any) -> CloudPay[R]:
        """Reconfigured namespace: ``appid``."""
        ...

    def closeOrder(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/closeorder`` on Cloud Run; never retried."""
        ...

    def downloadBill(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/downloadbill`` on Cloud Run; a query: retried on failure."""
        ...

    def downloadFundFlow(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/downloadfundflow`` on Cloud Run; a query: retried on failure."""
        ...

    def multiProfitSharing(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/multiprofitsharing`` on Cloud Run; never retried."""
        ...

    def profitSharing(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/profitsharing`` on Cloud Run; never retried."""
        ...

    def profitSharingAddReceiver(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/profitsharingaddreceiver`` on Cloud Run; never retried."""
        ...

    def profitSharingFinish(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/profitsharingfinish`` on Cloud Run; never retried."""
        ...

    def profitSharingOrderAmountQuery(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/profitsharingorderamountquery`` on Cloud Run; a query: retried on failure."""
        ...

    def profitSharingQuery(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/profitsharingquery`` on Cloud Run; a query: retried on failure."""
        ...

    def profitSharingRemoveReceiver(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/profitsharingremovereceiver`` on Cloud Run; never retried."""
        ...

    def profitSharingReturn(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/profitsharingreturn`` on Cloud Run; never retried."""
        ...

    def profitSharingReturnQuery(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/profitsharingreturnquery`` on Cloud Run; a query: retried on failure."""
        ...

    def queryOrder(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/queryorder`` on Cloud Run; a query: retried on failure."""
        ...

    def queryRefund(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/queryrefund`` on Cloud Run; a query: retried on failure."""
        ...

    def refund(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/refund`` on Cloud Run; never retried."""
        ...

    def unifiedOrder(self, params: Params = None, /, **kwargs: Any) -> R:
        """``POST /_/pay/unifiedOrder`` on Cloud Run; never retried."""
        ...

    def __getitem__(self, name: str) -> AnyApi[R]:
        """Any API or namespace by name, catalogued or not (``cloud.catalog.register``)."""
        ...


AsyncOpenAPI = Root[Coroutine[Any, Any, dict[str, Any]]]
SyncOpenAPI = Root[dict[str, Any]]
AsyncCloudPay = CloudPay[Coroutine[Any, Any, dict[str, Any]]]
SyncCloudPay = CloudPay[dict[str, Any]]
