"""A local stand-in for ``api.weixin.qq.com``: in-process (an httpx transport) or over real HTTP.

emu = Emulator()
cloud.init(accessToken=emu.token, transport=emu.transport())     # in-process, no port
with serve(emu) as base: ...                                     # real HTTP on 127.0.0.1
"""

from .app import (
    EMULATOR_ACCESS_TOKEN,
    EMULATOR_APPID,
    EMULATOR_SECRET,
    Answer,
    Emulator,
    InProcessTransport,
    Recorded,
    Scripted,
)
from .scenario import ScenarioError, load_scenario
from .server import serve

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
