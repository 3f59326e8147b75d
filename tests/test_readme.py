"""The README and the porting guide run as printed: every ```python block, every ```json scenario,
every ```js original (compared with its port), every output block and every ``python -m cloud …``
command line in them is run here, offline, on the emulator, and the output the document shows is
checked where it shows one.

A new block is run by default. One that cannot run offline carries ``<!-- not run: <reason> -->``
on the line before it; a block in a language this file does not know how to run fails until it
is taught here or marked.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest

from cloud import catalog
from cloud.emulator.server import spawn

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("README.md", "docs/porting.md")
NOT_RUN = re.compile(r"<!-- not run: (\S.*\S) -->")
FENCE = re.compile(r"^```(\w*)\s*$")
CLOUD_COMMAND = re.compile(r"^(?:[A-Z_]+=\S+\s+)*python3? -m cloud(?:\s|$)")
PLACEHOLDER = re.compile(r"[<\[…]|^[A-Z]{2,}$|\.\.\.")


@dataclass(frozen=True)
class Block:
    doc: str
    line: int
    lang: str
    text: str
    not_run: str | None  # the marker's reason
    after: str  # the paragraph right after the block

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}"


def read_blocks(doc: str) -> tuple[list[Block], str]:
    """The fenced blocks of ``doc``, and its prose (the text outside them)."""
    lines = (ROOT / doc).read_text(encoding="utf-8").splitlines()
    blocks, prose, i = [], [], 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            prose.append(lines[i])
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        before = next((line.strip() for line in reversed(lines[:i]) if line.strip()), "")
        marker = NOT_RUN.fullmatch(before)
        after: list[str] = []
        for line in lines[end + 1 :]:  # the next paragraph
            if not line.strip() and after:
                break
            if line.strip():
                after.append(line)
        text = "\n".join(lines[i + 1 : end])
        blocks.append(Block(doc, i + 1, fence[1], text, marker[1] if marker else None, " ".join(after)))
        i = end + 1
    return blocks, "\n".join(prose)


BLOCKS = [block for doc in DOCS for block in read_blocks(doc)[0]]


def commands() -> list[tuple[str, str]]:
    """Every ``python -m cloud …`` command line: inline code in the prose, lines of ```sh blocks."""
    found = []
    for doc in DOCS:
        blocks, prose = read_blocks(doc)
        for span in re.findall(r"`([^`]+)`", prose):
            span = " ".join(span.split())
            if CLOUD_COMMAND.match(span):
                found.append((doc, span))
        for block in blocks:
            if block.lang == "sh" and not block.not_run:
                for line in block.text.replace("\\\n", " ").splitlines():
                    for part in re.split(r"&&|\|\||;|&\s*$", line):
                        part = " ".join(part.strip(" ()").split())
                        if CLOUD_COMMAND.match(part):
                            found.append((str(block), part))
    return found


def cli_env() -> dict[str, str]:
    """This checkout's package, no configuration from the caller's shell, the Node SDK the tests
    installed (``npm ci --prefix tests/node``) so that ``compare`` needs no network."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WX_", "TCB_", "CBR_", "SCF_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["WX_CLOUD_SDK_DIR"] = str(ROOT / "tests" / "node")
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@contextmanager
def cli_server(args: list[str]) -> Iterator[str]:
    """``python -m cloud emulator …`` on a free port instead of the one written; yields its URL."""
    if "--port" in args:
        args = args[: args.index("--port")] + args[args.index("--port") + 2 :]
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cloud", *args, "--port", str(port)], cwd=ROOT, env=cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not listening(port):
            assert proc.poll() is None, f"{shlex.join(args)} exited {proc.returncode}: {proc.communicate()}"
            assert time.monotonic() < deadline, f"{shlex.join(args)} did not listen on {port}"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run_cli(words: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = cli_env()
    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    assert words[:3] in (["python", "-m", "cloud"], ["python3", "-m", "cloud"]), words
    return subprocess.run([sys.executable, *words[1:]], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, **kwargs)  # type: ignore[call-overload]  # fmt: skip


COMMANDS = commands()


def test_the_documents_have_runnable_examples_and_few_exceptions() -> None:
    """The extraction finds what the README holds (so a broken extractor cannot pass by finding
    nothing), and blocks left unrun are few, each with its reason."""
    langs = [block.lang for block in BLOCKS]
    assert langs.count("python") >= 4 and "json" in langs and "sh" in langs, langs
    assert len(COMMANDS) >= 8, COMMANDS
    assert any(command.endswith("cloud run samples/invoke_service") for _, command in COMMANDS)
    skipped = [block for block in BLOCKS if block.not_run]
    assert len(skipped) <= 3, f"too many blocks are not run: {[str(b) for b in skipped]}"
    for block in skipped:
        assert len(block.not_run.split()) >= 3, f"{block}: say why the block is not run"


@pytest.mark.parametrize("doc, command", COMMANDS, ids=[f"{d}:{c[:60]}" for d, c in COMMANDS])
def test_command_line(doc: str, command: str) -> None:
    words = shlex.split(command)
    args = words[words.index("cloud") + 1 :]
    if args[-1:] == ["samples/<name>"]:  # "each running with `python3 -m cloud run samples/<name>`"
        for sample in sorted(ROOT.glob("samples/*/index.py")):  # with its scenario and caller where it has them
            extra = [f" --{name} {'@' * (name == 'context')}samples/<name>/{name}.json"
                     for name in ("scenario", "context") if (sample.parent / f"{name}.json").is_file()]  # fmt: skip
            test_command_line(doc, (command + "".join(extra)).replace("<name>", sample.parent.name))
        return
    if len(args) <= 1 or any(PLACEHOLDER.search(word) for word in args):
        # A synopsis or a mention (`python -m cloud run DIR --context …`): the command and every
        # option it names exist.
        command_name = [arg for arg in args[:1] if not PLACEHOLDER.search(arg)]
        proc = run_cli([*words[: words.index("cloud") + 1], *command_name, "--help"])
        assert proc.returncode == 0, proc.stderr
        for option in re.findall(r"(?<![\w-])--[a-z][\w-]*", command):
            assert option in proc.stdout, f"{doc}: `{command}` names {option}, which --help does not list"
    elif args[0] == "emulator":
        with cli_server(args) as base:
            with urllib.request.urlopen(f"{base}/__emulator/requests", timeout=10) as reply:
                assert json.load(reply) == {"requests": []}, "a fresh emulator has recorded nothing"
            if "--cloudrun" not in args:  # "(127.0.0.1, token `emulator-access-token`)"
                call = f"{base}/wxa/msg_sec_check?access_token=emulator-access-token"
                with urllib.request.urlopen(urllib.request.Request(call, data=b'{"content": "hi"}')) as reply:
                    assert json.load(reply)["errcode"] == 0
    else:
        emulator = spawn() if "http://127.0.0.1:8080" in command else nullcontext("")
        with emulator as base:  # commands written against the HTTP emulator get one on a free port
            words = [word.replace("http://127.0.0.1:8080", base) for word in words]
            proc = run_cli(words)
        assert proc.returncode == 0, f"{doc}: `{command}` exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        if args[0] == "run":
            result = json.loads(proc.stdout)
            assert not isinstance(result, dict) or result.get("errCode", 0) == 0, result


DRIVER = """
import ast, asyncio, contextlib, inspect, json, sys
from pathlib import Path
import cloud, cloud.testing

block = Path(sys.argv[1])
source = block.read_text()
own = "stubbed(" in source  # a block that sets up the emulator itself
with contextlib.nullcontext() if own else cloud.testing.stubbed() as wx:
    if sys.argv[2] == "main":
        result = wx.run(block)
    else:  # a script; `await` at the top level is allowed, as in an asyncio REPL
        code = compile(source, str(block), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        awaited = eval(code, {"__name__": "__main__", "__file__": str(block)})
        if inspect.iscoroutine(awaited):
            asyncio.run(awaited)
        result = None
    calls = [] if own else [{"method": c.method, "path": c.path, "body": c.body} for c in wx.calls]
error = lambda o: o.to_dict() if isinstance(o, cloud.CloudSDKError) else repr(o)
outcome = json.dumps({"result": result, "calls": calls}, ensure_ascii=False, default=error)
Path(sys.argv[3]).write_text(outcome)  # not stdout, which the block may print to
"""


def function_folder(tmp_path: Path) -> Path:
    """A cloud function's folder, where a block runs: ``index.py`` and ``photo.png`` of a sample, a
    ``config.json`` that permits every catalogued API, and ``samples/`` (the README names samples by
    their path from the repository's root)."""
    folder = tmp_path / "function"
    folder.mkdir()
    (folder / "samples").symlink_to(ROOT / "samples", target_is_directory=True)
    (folder / "index.py").write_text((ROOT / "samples/invoke_service/index.py").read_text())
    (folder / "config.json").write_text(json.dumps({"permissions": {"openapi": sorted(catalog.load())}}))
    return folder


def wildcard(shown: str) -> re.Pattern[str]:
    """What the document shows, with ``…`` and ``<a description>`` standing for anything."""
    parts = re.split(r"…|<[^>]+>", shown)
    return re.compile(".*".join(re.escape(part) for part in parts), re.DOTALL)


def check_shown_call(block: Block, outcome: dict[str, object]) -> None:
    """`It sends `POST https://…/path?…` with the body `{…}` and returns `{…}``: as shown."""
    sends = re.search(r"sends `(\w+) (\S+)` with the body\s+`([^`]+)`", block.after)
    returns = re.search(r"returns `(\{[^`]+\})`", block.after)
    if sends:
        (call,) = outcome["calls"]  # type: ignore[misc]
        assert call["method"] == sends[1]
        assert call["path"] == urllib.parse.urlsplit(sends[2]).path
        sent = json.dumps(call["body"], ensure_ascii=False, separators=(",", ":"))
        assert wildcard(sends[3]).fullmatch(sent), f"{block}: sent {sent}"
    if returns:
        got = json.dumps(outcome["result"], ensure_ascii=False)
        assert wildcard(returns[1]).fullmatch(got), f"{block}: returned {got}"


def run_test_file(block: Block, folder: Path) -> None:
    """A block of pytest tests runs as a test file beside the function it tests; all must pass."""
    (folder / "test_block.py").write_text(block.text)
    tests = len(re.findall(r"^def test_", block.text, re.MULTILINE))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_block.py"],
                          cwd=folder, env=cli_env(), capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0 and f"{tests} passed" in proc.stdout, f"{block}:\n{proc.stdout}\n{proc.stderr}"


PYTHON = [block for block in BLOCKS if block.lang == "python" and not block.not_run]


@pytest.mark.parametrize("block", PYTHON, ids=str)
def test_python_block(block: Block, tmp_path: Path) -> None:
    """Each block runs in a function's folder on the emulator: a test file under pytest, a function
    (it defines ``main``) as ``python -m cloud run`` runs it, anything else as a script (under
    ``cloud.testing.stubbed()`` unless it uses that itself; top-level ``await`` allowed)."""
    folder = function_folder(tmp_path)
    if re.search(r"^def test_", block.text, re.MULTILINE):
        run_test_file(block, folder)
        return
    (folder / "block.py").write_text(block.text)
    (tmp_path / "driver.py").write_text(DRIVER)
    kind = "main" if re.search(r"^(async )?def main\(", block.text, re.MULTILINE) else "script"
    proc = subprocess.run([sys.executable, str(tmp_path / "driver.py"), "block.py", kind, "../outcome.json"],
                          cwd=folder, env=cli_env(), capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, f"{block} failed:\n{proc.stderr}"
    outcome = json.loads((tmp_path / "outcome.json").read_text())
    result = outcome["result"]
    assert not isinstance(result, dict) or result.get("errCode", 0) == 0, f"{block} returned an error: {result}"
    if kind == "main":
        assert outcome["calls"], f"{block}: main made no cloud call"
    check_shown_call(block, outcome)


JSON = [block for block in BLOCKS if block.lang == "json" and not block.not_run]


@pytest.mark.parametrize("block", JSON, ids=str)
def test_scenario_block(block: Block, tmp_path: Path) -> None:
    """A scenario shown in the document is accepted whole, by ``--scenario FILE`` (which exits 2
    on a bad one) and by the control endpoint (400 on a bad one)."""
    scenario = json.loads(block.text)
    assert "replies" in scenario, f"{block}: a JSON block that is not a scenario; teach tests/test_readme.py"
    (tmp_path / "scenario.json").write_text(block.text)
    with cli_server(["emulator", "--scenario", str(tmp_path / "scenario.json")]) as base:
        request = urllib.request.Request(f"{base}/__emulator/scenario", data=block.text.encode())
        with urllib.request.urlopen(request, timeout=10) as reply:
            assert reply.status == 200


def shown_in_order(shown: str, printed: str) -> None:
    """Every line the document shows (``...`` stands for lines left out) is printed, in order."""

    def words(line: str) -> str:
        return " ".join(line.split())

    printed_lines = [words(line) for line in printed.splitlines()]
    at = 0
    for line in shown.splitlines():
        if line.strip() in ("...", "…"):
            continue
        assert words(line) in printed_lines[at:], f"shown but not printed: {line!r}\nprinted:\n{printed}"
        at = printed_lines.index(words(line), at) + 1


def compare_report(tmp_path: Path, shown: str) -> str:
    """`compare` of the invoke_service original with its port (they agree, exit 0), or, where the
    block shows ``my_port``, with a port that sends dataType 2 instead of 3 (exit 1); for the
    guestbook, with a port that adds 2 likes where the original adds 1 (exit 1)."""
    if "samples/guestbook" in shown.splitlines()[0]:
        port = tmp_path / "my_port"
        port.mkdir()
        once = 'await messages.doc(ids[0]).update({"data": {"likes": _.inc(1)}})'
        (port / "index.py").write_text(
            (ROOT / "samples/guestbook/index.py").read_text().replace(once, once.replace("1", "2"))
        )
        proc = run_cli(["python3", "-m", "cloud", "compare", "samples/guestbook/index.js", str(port / "index.py"),
                        "--scenario", "samples/guestbook/scenario.json", "--context", '{"OPENID": "o1"}'])  # fmt: skip
        assert proc.returncode == 1, proc.stdout + proc.stderr
        return proc.stdout.replace(f"{tmp_path}/", "")
    if "my_port" not in shown.splitlines()[0]:
        proc = run_cli(["python3", "-m", "cloud", "compare", "samples/invoke_service/index.js",
                        "samples/invoke_service/index.py"])  # fmt: skip
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout == shown + "\n", proc.stdout  # the whole report, line for line
        return proc.stdout
    port = tmp_path / "my_port"
    port.mkdir()
    for name in ("index.py", "config.json"):
        text = (ROOT / "samples/invoke_service" / name).read_text()
        (port / name).write_text(text.replace('"dataType": 3', '"dataType": 2'))
    proc = run_cli(["python3", "-m", "cloud", "compare", "samples/invoke_service/index.js", str(port / "index.py")])
    assert proc.returncode == 1, proc.stderr
    return proc.stdout.replace(f"{tmp_path}/", "")


def wrong_expectation_report(tmp_path: Path, shown: str) -> str:
    """The testing-kit example with a wrong expectation (``data_type`` 4 where 3 is sent)."""
    (kit,) = [block for block in PYTHON if "def test_" in block.text]
    folder = function_folder(tmp_path)
    (folder / "test_block.py").write_text(kit.text.replace('"data_type": 3', '"data_type": 4'))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_block.py"],
                          cwd=folder, env=cli_env(), capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 1, proc.stdout
    return proc.stdout


OUTPUTS = {"cloud compare:": compare_report, "E   AssertionError:": wrong_expectation_report}
PLAIN = [block for block in BLOCKS if block.lang == "" and not block.not_run and block.doc == "README.md"]


@pytest.mark.parametrize("block", PLAIN, ids=str)
def test_output_block(block: Block, tmp_path: Path) -> None:
    """Output the document shows is what the command it illustrates prints."""
    producers = [make for start, make in OUTPUTS.items() if block.text.startswith(start)]
    assert producers, f"{block}: no test produces this output; teach tests/test_readme.py or mark it"
    shown_in_order(block.text, producers[0](tmp_path, block.text))


SETUP = next(block for block in BLOCKS if block.doc == "README.md" and block.lang == "sh")  # CI runs it whole
RECIPES = [block for block in BLOCKS if block.lang == "sh" and not block.not_run and block != SETUP]


def start_line(line: str, folder: Path) -> subprocess.Popen[str] | None:
    """Run one line of a recipe; a line still running once the ports it names listen is a server,
    returned to be stopped after the recipe."""
    line = re.sub(r"^curl ", "curl --fail --silent --show-error ", line)  # an HTTP error fails the line
    proc = subprocess.Popen(["bash", "-c", line.rstrip("& ")], cwd=folder, env=cli_env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    ports = [int(p) for p in re.findall(r"(?:--port |127\.0\.0\.1 )(\d+)", line)]
    deadline = time.monotonic() + 60
    while proc.poll() is None:
        if ports and all(listening(port) for port in ports):
            return proc
        assert time.monotonic() < deadline, f"`{line}` neither ended nor listened on {ports}"
        time.sleep(0.1)
    out, err = proc.communicate()
    assert proc.returncode == 0 and out, f"`{line}` exited {proc.returncode}:\n{out}\n{err}"
    for caller in re.findall(r"X-WX-OPENID: ([\w-]+)", line):
        assert caller in out, f"`{line}` printed {out}, not its caller"
    return None


@pytest.mark.parametrize("block", RECIPES, ids=str)
def test_shell_recipe(block: Block) -> None:
    """A shell recipe runs line by line from the repository's root, its ports moved to free ones:
    servers must come up and listen, every other line must succeed and print something (curl with
    ``--fail``; a request made as a caller must get an answer naming that caller)."""
    script = block.text.replace("\\\n", " ")
    for port in sorted(set(re.findall(r"\b(80[0-9][0-9])\b", script))):
        script = re.sub(rf"\b{port}\b", str(free_port()), script)
    servers = []
    try:
        for line in filter(str.strip, script.splitlines()):
            server = start_line(line, ROOT)
            if server:
                servers.append(server)
    finally:
        for server in servers:
            server.terminate()
            server.communicate(timeout=10)


NODE = [block for block in BLOCKS if block.lang == "js" and not block.not_run]


@pytest.mark.parametrize("block", NODE, ids=str)
def test_a_node_block_and_its_port_agree(block: Block, tmp_path: Path) -> None:
    """A ```js block is a Node original and the next ```python block its port: ``python -m cloud
    compare`` runs both (the real wx-server-sdk against the emulator) and they must agree."""
    port = next(b for b in BLOCKS if b.doc == block.doc and b.line > block.line and b.lang == "python")
    folder = function_folder(tmp_path)
    (folder / "index.js").write_text(block.text)
    (folder / "index.py").write_text(port.text)
    proc = run_cli(["python3", "-m", "cloud", "compare", str(folder / "index.js"), str(folder / "index.py")])
    assert proc.returncode == 0, f"{block} and its port {port} differ:\n{proc.stdout}{proc.stderr}"
    assert proc.stdout.splitlines()[-1] == "agree"


def test_every_block_is_run_or_marked() -> None:
    """A block in a language not run here needs its marker."""
    known = {"python", "json", "sh", "js", ""}
    for block in BLOCKS:
        assert block.lang in known or block.not_run, f"{block}: a ```{block.lang} block is not run; mark it"
