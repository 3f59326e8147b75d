"""A local stand-in for ``api.weixin.qq.com``: in-process (an httpx transport) or over real HTTP.

emu = Emulator()
cloud.init(accessToken=emu.token, transport=emu.transport())     # in-process, no port
with serve(emu) as base: ...                                     # real HTTP on 127.0.0.1
"""

from ._app import Emulator, InProcessTransport
from ._notify import Delivery, NotifyError
from ._records import Recorded
from ._replies import Answer
from ._scenario import ScenarioError, load_scenario
from ._stubs import Scripted
from ._tokens import EMULATOR_ACCESS_TOKEN, EMULATOR_APPID, EMULATOR_SECRET
from .server import serve

__all__ = [
    "EMULATOR_ACCESS_TOKEN",
    "EMULATOR_APPID",
    "EMULATOR_SECRET",
    "Answer",
    "Delivery",
    "Emulator",
    "InProcessTransport",
    "NotifyError",
    "Recorded",
    "ScenarioError",
    "Scripted",
    "load_scenario",
    "serve",
]
