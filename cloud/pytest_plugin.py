"""The pytest plugin (registered by entry point: installing the package is enough).

The ``wx`` fixture runs the test inside :func:`cloud.testing.stubbed`: every ``cloud`` instance
calls a fresh in-process emulator, and ``wx`` is its :class:`~cloud.testing.Stubber`::

    def test_check(wx):
        wx.stub("security.msgSecCheck", error=87014, errmsg="risky content")
        assert wx.run("functions/check", {"text": "..."})["ok"] is False
        wx.assert_called("security.msgSecCheck", body={"content": "..."})

Strict mode (``wx.strict = True``, or ``cloud_strict = true`` in the ini file) fails the test when
it called an API it did not stub, even if the function caught the error. ``wx.check_pending = True``
(or ``cloud_check_pending = true``) fails it when a ``times=`` stub was not used up.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .testing import Stubber, stubbed


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "cloud_strict", "wx fixture: fail tests that call an API they did not stub", type="bool", default=False
    )
    parser.addini(
        "cloud_check_pending",
        "wx fixture: fail tests that leave a times= stub not used up",
        type="bool",
        default=False,
    )


MODERN = int(pytest.__version__.split(".")[0]) >= 8  # new-style hook wrappers


@pytest.fixture
def wx(request: pytest.FixtureRequest) -> Iterator[Stubber]:
    """Cloud calls go to a fresh in-process emulator; stub replies and check calls through this."""
    ini = request.config.getini
    with stubbed(strict=bool(ini("cloud_strict")), check_pending=bool(ini("cloud_check_pending"))) as stubber:
        yield stubber
        if not MODERN:
            stubber._end()  # older pytest: reported as an error at teardown


if MODERN:

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
        stubber = getattr(item, "funcargs", {}).get("wx")
        if not isinstance(stubber, Stubber):
            return (yield)
        try:
            result = yield
        except BaseException:
            stubber._ended = True  # the test failed already: no second report at teardown
            raise
        stubber._end()  # after a passing body: a failure here fails the test, not its teardown
        return result
