"""What a type checker sees: the typed surface (a misspelled API is an error, indexing reaches any
name), through an editable install outside the checkout, and where ``python -m cloud.stubgen`` writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cloud
from cloud import stubgen

REPO = Path(cloud.__file__).parent.parent

GOOD = """\
import cloud
import cloud.sync


async def f() -> None:
    reveal_type(await cloud.openapi["security"]["msgSecCheck"]({"content": "hi"}))
    reveal_type(cloud.sync.openapi["security"]["msgSecCheck"](content="hi"))
    reveal_type(cloud.sync.openapi["partner"]["query"]())
    reveal_type(cloud.sync.openapi({"appid": "wxB"}).security["msgSecCheck"]())
    reveal_type(cloud.sync.openapi.officialAccount.card.update({"cardId": "c"}))
    reveal_type(cloud.sync.openapi.officialAccount.card.update.updateBoardingPass())
    reveal_type(await cloud.cloudPay["unifiedOrder"]())
    reveal_type(await cloud.createNewInstance().openapi.security.msgSecCheck())
"""

TYPOS = """\
import cloud
import cloud.sync


async def f() -> None:
    await cloud.openapi.security.msgSeccheck({"content": "hi"})
    cloud.sync.openapi.security.msgSeccheck({"content": "hi"})
    cloud.sync.openapi.secruity.msgSecCheck()
    cloud.sync.cloudPay.unifedOrder()
    cloud.sync.openapi["security"].msgSecCheck()
    cloud.createNewInstance().openapi.security.msgSeccheck()
"""


def mypy(*files: Path, python: str = sys.executable, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    return subprocess.run(
        [python, "-m", "mypy", "--no-incremental", "--no-error-summary", *map(str, files)],
        capture_output=True, text=True, timeout=600, check=False, cwd=cwd or REPO, env=env,
    )  # fmt: skip


def lines(out: str, name: str) -> list[str]:
    """mypy's lines about one file, without the file name: ``"6: error: ..."``."""
    return [line[len(name) + 1 :].strip() for line in out.splitlines() if line.startswith(name + ":")]


def test_the_indexing_form_types_and_a_misspelled_name_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "typos.py").write_text(TYPOS)
    out = mypy(tmp_path / "good.py", tmp_path / "typos.py").stdout
    good = lines(out, str(tmp_path / "good.py"))
    awaited = 'note: Revealed type is "dict[str, Any]"'
    assert good == [f"{n}: {awaited}" for n in range(6, 14)], out
    typos = lines(out, str(tmp_path / "typos.py"))
    assert [line.split(":", 1)[0] for line in typos] == [str(n) for n in range(6, 12)], out
    assert all('has no attribute "msgSeccheck"; maybe "msgSecCheck"' in typo for typo in typos[:2])
    assert 'has no attribute "secruity"' in typos[2] and 'has no attribute "unifedOrder"' in typos[3]
    assert '"AnyApi[dict[str, Any]]" has no attribute "msgSecCheck"' in typos[4]  # indexing goes on by index
    assert 'has no attribute "msgSeccheck"' in typos[5]


def run_stubgen(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, "-m", "cloud.stubgen", *args], capture_output=True, text=True,
                          timeout=120, check=False, cwd=site.parent, env=env)  # fmt: skip


def copy_package(to: Path) -> Path:
    shutil.copytree(REPO / "cloud", to / "cloud", ignore=shutil.ignore_patterns("__pycache__"))
    return to


def test_stubgen_installed_writes_nothing_unless_told_where(tmp_path: Path) -> None:
    site = copy_package(tmp_path / "site-packages")
    before = sorted(p.relative_to(site) for p in site.rglob("*") if "__pycache__" not in p.parts)
    refused = run_stubgen(site)
    assert refused.returncode == 2, refused.stderr
    assert "not in a source checkout: nothing written" in refused.stderr and "--out DIR" in refused.stderr
    after = sorted(p.relative_to(site) for p in site.rglob("*") if "__pycache__" not in p.parts)
    assert after == before and not (tmp_path / "docs").exists()

    written = run_stubgen(site, "--out", str(tmp_path / "gen"))
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "gen" / "_apis.py").read_text("utf-8") == stubgen.TYPES_FILE.read_text("utf-8")
    assert (tmp_path / "gen" / "apis.md").read_text("utf-8") == stubgen.TABLE_FILE.read_text("utf-8")


def test_stubgen_in_a_checkout_rewrites_the_checkouts_files(tmp_path: Path) -> None:
    checkout = copy_package(tmp_path / "clone")
    shutil.copy(REPO / "pyproject.toml", checkout)
    (checkout / "cloud" / "_apis.py").write_text("stale")
    done = run_stubgen(checkout)
    assert done.returncode == 0, done.stderr
    assert (checkout / "cloud" / "_apis.py").read_text("utf-8") == stubgen.TYPES_FILE.read_text("utf-8")
    assert (checkout / "docs" / "apis.md").read_text("utf-8") == stubgen.TABLE_FILE.read_text("utf-8")


@pytest.mark.slow
def test_an_editable_install_is_seen_by_mypy_outside_the_checkout(tmp_path: Path) -> None:
    """``pip install -e .`` then mypy from elsewhere: the typed surface, typos flagged. Builds with
    the setuptools and wheel already installed (the test extra has them), so nothing is fetched."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                              "--no-build-isolation", "-e", str(REPO)],
                             capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path)  # fmt: skip
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "project"
    elsewhere.mkdir()
    (elsewhere / "good.py").write_text(GOOD)
    (elsewhere / "typos.py").write_text(TYPOS)
    out = mypy(Path("good.py"), Path("typos.py"), python=python, cwd=elsewhere).stdout
    revealed = [line.split(": ", 1)[1] for line in lines(out, "good.py")]
    assert revealed == ['note: Revealed type is "dict[str, Any]"'] * 8, out
    assert len(lines(out, "typos.py")) == 6 and "msgSeccheck" in out, out


DATABASE = """\
import cloud
import cloud.sync


async def f() -> None:
    db = cloud.database()
    _ = db.command
    reveal_type(await db.collection("c").where({"a": _.gt(1)}).orderBy("a", "desc").get())
    reveal_type((await db.collection("c").doc("x").get())["data"])
    reveal_type(cloud.sync.database().collection("c").count()["total"])
    reveal_type(cloud.sync.database().runTransaction(lambda t: t.collection("c").doc("x").get()))
    await db.collection("c").orderBy("a", "up").get()
    cloud.sync.database().collection("c").get()["list"]
"""


def test_the_database_is_typed_async_and_blocking(tmp_path: Path) -> None:
    """``cloud.database()`` and ``cloud.sync.database()``: Node's results as TypedDicts, awaitable or
    not, and a wrong argument or key an error, as ``openapi`` is typed."""
    (tmp_path / "use_db.py").write_text(DATABASE)
    found = lines(mypy(tmp_path / "use_db.py").stdout, str(tmp_path / "use_db.py"))
    assert any(line.startswith('8: note: Revealed type is "TypedDict(cloud._db.shapes.GetResult') for line in found)
    assert '9: note: Revealed type is "dict[str, Any] | None"' in found
    assert '10: note: Revealed type is "int"' in found
    assert any(line.startswith("11: note:") and "DocumentGetResult" in line for line in found)
    assert any(line.startswith("12: error:") and "orderBy" in line for line in found), found
    assert any(line.startswith("13: error:") and '"list"' in line for line in found), found
