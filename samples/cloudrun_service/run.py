"""A WeChat Cloud Run service in the shape of WeChat's Flask template (wxcloudrun-flask): the caller's
identity from ``cloud.getWXContext()``, openapi calls through the open-interface service.

On Cloud Run ``cloud.init()`` needs nothing: ``CBR_ENV_ID`` is set, so calls go to
``http://api.weixin.qq.com`` with no token. Whitelist the three APIs in the console
(微信云托管控制台 → 云调用 → 开放接口服务). Locally: ``python3 run.py 127.0.0.1 8081``.
"""

import sys

from flask import Flask, Response, jsonify, request

import cloud.sync as cloud

cloud.init()

app = Flask(__name__)
app.wsgi_app = cloud.wsgi(app.wsgi_app)  # getWXContext() answers from each request's X-WX-* headers


def caller() -> str:
    openid = cloud.getWXContext().get("OPENID")
    if not openid:
        raise PermissionError("call this service from a mini program (wx.cloud.callContainer)")
    return openid


@app.errorhandler(PermissionError)
def not_from_wechat(err: PermissionError):
    return jsonify(code=-1, errorMsg=str(err)), 401


@app.errorhandler(cloud.CloudSDKError)
def cloud_failed(err: cloud.CloudSDKError):
    return jsonify(code=-1, errorMsg=err.errMsg, errCode=err.errCode), 502


@app.get("/api/whoami")
def whoami():
    context = cloud.getWXContext()
    return jsonify(code=0, data={k: context.get(k) for k in ("OPENID", "APPID", "UNIONID", "FROM_APPID", "ENV")})


@app.post("/api/comment")
def comment():
    """Check a comment's text with WeChat (security.msgSecCheck), then thank its author by a
    subscription message (subscribeMessage.send)."""
    openid = caller()
    text = str((request.get_json(silent=True) or {}).get("content", ""))
    check = cloud.openapi.security.msgSecCheck({"content": text, "version": 2, "scene": 2, "openid": openid})
    verdict = check.get("result", {}).get("suggest", "pass")
    if verdict == "pass":
        cloud.openapi.subscribeMessage.send(
            {"touser": openid, "templateId": "comment-received", "data": {"thing1": {"value": text[:20]}}}
        )
    return jsonify(code=0, data={"suggest": verdict})


@app.get("/api/qrcode")
def qrcode():
    """A mini program code (wxacode.getUnlimited) that opens the caller's page."""
    openid = caller()
    code = cloud.openapi.wxacode.getUnlimited({"scene": openid[-32:], "page": "pages/index/index", "checkPath": False})
    return Response(code["buffer"], mimetype=code["contentType"])


if __name__ == "__main__":
    app.run(host=sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1", port=int(sys.argv[2]) if len(sys.argv) > 2 else 80)
