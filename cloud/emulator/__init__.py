"""A local stand-in for ``api.weixin.qq.com``: in-process (an httpx transport) or over real HTTP.

emu = Emulator()
cloud.init(accessToken=emu.token, transport=emu.transport())     # in-process, no port
with serve(emu) as base: ...                                     # real HTTP on 127.0.0.1
"""

from .app import Emulator, InProcessTransport
from .records import Recorded
from .replies import Answer
from .scenario import ScenarioError, load_scenario
from .server import serve
from .stubs import Scripted
from .tokens import EMULATOR_ACCESS_TOKEN, EMULATOR_APPID, EMULATOR_SECRET

__all__ = [
    "EMULATOR_ACCESS_TOKEN",
    "EMULATOR_APPID",
    "EMULATOR_SECRET",
    "Answer",
    "Emulator",
    "InProcessTransport",
    "Recorded",
    "ScenarioError",
    "Scripted",
    "load_scenario",
    "serve",
]
