"""The sample's container builds from this checkout: its requirements name only published
packages, and the Dockerfile's steps (its COPYs, then its ``pip install``), replayed in a folder and
a virtual environment of their own with no index, install the SDK from source and start the app."""

import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
"""The build context: the root of the checkout."""


def _steps() -> tuple[list[tuple[list[str], str]], list[str]]:
    """The Dockerfile's COPYs (sources, destination) and its RUN commands, in order."""
    copies, runs = [], []
    for line in (HERE / "Dockerfile").read_text().splitlines():
        word, _, rest = line.partition(" ")
        if word == "COPY":
            *sources, dest = shlex.split(rest)
            copies.append((sources, dest))
        elif word == "RUN":
            runs.append(rest)
    return copies, runs


def test_the_requirements_name_only_published_packages() -> None:
    own = re.search(r'^name = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    lines = [line.split("#")[0].strip() for line in (HERE / "requirements.txt").read_text().splitlines()]
    names = [re.split(r"[<>=!~\[; ]", line)[0] for line in lines if line]
    assert names, "the requirements name the web framework at least"
    assert own not in names, f"{own} is not published: the Dockerfile installs it from the checkout"
    for name in names:  # each is installed here from the package index, as the test extras ask
        assert metadata.distribution(name).metadata["Name"]


def test_the_dockerfile_installs_the_sdk_from_the_checkout(tmp_path: Path) -> None:
    copies, runs = _steps()
    app = tmp_path / "app"
    app.mkdir()
    for sources, dest in copies:
        for source in sources:
            found = ROOT / source
            assert found.exists(), f"COPY {source}: not in the checkout (the build context)"
            target = app / dest / found.name if dest.endswith("/") else app / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(found, target) if found.is_dir() else shutil.copy(found, target)
    (install,) = [run for run in runs if run.startswith("pip install")]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # the build tools (setuptools, wheel) of the Python running the tests, even one in a venv of its
    # own (whose packages a new venv's --system-site-packages would not see)
    found = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    Path(found, "build-tools.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    args = shlex.split(install)[2:]  # as written, then no index: everything comes from here
    command = [sys.executable, "-m", "pip", "--python", str(python), "install", *args, "--no-index",
               "--no-build-isolation", "--no-deps", "-q"]  # fmt: skip
    done = subprocess.run(command, cwd=app, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    check = "import cloud, run; print(cloud.__file__); print(run.app.name)"
    ran = subprocess.run([str(python), "-c", check], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": str(app), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    where, name = ran.stdout.split()
    assert where.startswith(str(venv)), where  # the SDK as installed from the copied source
    assert name == "run"
