"""``python -m debugport`` as a subprocess against a real workerd: output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, List

import pytest

from debugport import __main__ as cli
from debugport import v8
from debugport.jsrpc import densify

from .workerd_fixture import REPO, Workerd


def debugport(*args: str, stdin: bytes = b"") -> "subprocess.CompletedProcess[bytes]":
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "debugport", *args], input=stdin,
                          capture_output=True, timeout=120, cwd=str(REPO), env=env)


def assert_clean_failure(proc: "subprocess.CompletedProcess[bytes]", status: int, text: str) -> None:
    err = proc.stderr.decode()
    assert proc.returncode == status, err
    assert text in err
    assert "Traceback" not in err
    assert proc.stdout == b""


def test_fetch_prints_the_body(shared_workerd: Workerd) -> None:
    proc = debugport("fetch", shared_workerd.debug_address, "main", "http://ex.test/p?q=1",
                     "-X", "PUT", "-H", "X-One: 1", "-H", "Content-Type: text/plain", "-d", "abcd")
    assert proc.returncode == 0, proc.stderr.decode()
    echoed = json.loads(proc.stdout)
    assert echoed["method"] == "PUT" and echoed["url"] == "http://ex.test/p?q=1"
    assert echoed["body"] == "abcd"
    headers = dict(echoed["headers"])
    assert headers["x-one"] == "1" and headers["content-type"] == "text/plain"


def test_fetch_include_and_status(shared_workerd: Workerd) -> None:
    proc = debugport("fetch", "-i", shared_workerd.debug_address, "main", "http://x/status?code=418")
    assert proc.returncode == 0, proc.stderr.decode()
    head, _, body = proc.stdout.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0].startswith("HTTP/1.1 418")
    assert "content-type: application/json" in [line.lower() for line in lines[1:]]
    assert json.loads(body) == {"status": 418}


def test_fetch_data_file_named_entrypoint_and_props(shared_workerd: Workerd, tmp_path: Path) -> None:
    data = tmp_path / "body.txt"
    data.write_bytes(b"from a file " * 20000)
    proc = debugport("fetch", shared_workerd.debug_address, "main", "http://x/",
                     "--entrypoint", "Rpc", "--props", '{"user": "bob"}', "--data-file", str(data))
    assert proc.returncode == 0, proc.stderr.decode()
    echoed = json.loads(proc.stdout)
    assert echoed["entrypoint"] == "Rpc" and echoed["method"] == "POST"
    assert echoed["body"] == data.read_text()
    assert echoed["props"] == {"user": "bob"}


def test_fetch_body_from_stdin(shared_workerd: Workerd) -> None:
    proc = debugport("fetch", shared_workerd.debug_address, "main", "http://x/", "--data-file", "-",
                     stdin=b"piped in")
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["body"] == "piped in"


def test_call_prints_json(shared_workerd: Workerd) -> None:
    proc = debugport("call", shared_workerd.debug_address, "main", "add", "2", "40")
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout) == 42
    proc = debugport("call", shared_workerd.debug_address, "main", "echo",
                     '{"k": [1, null, "s"], "t": true}', "--entrypoint", "Rpc")
    assert json.loads(proc.stdout) == {"k": [1, None, "s"], "t": True}
    proc = debugport("call", shared_workerd.debug_address, "main", "props", "--entrypoint", "Rpc",
                     "--props", '{"roles": ["a"]}')
    assert json.loads(proc.stdout) == {"roles": ["a"]}


def test_call_on_actors(shared_workerd: Workerd) -> None:
    address = shared_workerd.debug_address
    ids: List[Any] = []
    for _ in range(2):
        proc = debugport("call", address, "main", "increment", "3",
                         "--actor", "cli actor", "--entrypoint", "EphemeralCounter")
        assert proc.returncode == 0, proc.stderr.decode()
        ids.append(json.loads(proc.stdout))
    assert ids == [3, 6]
    proc = debugport("call", address, "main", "increment", "--actor", "1" * 64, "--entrypoint", "Counter")
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout) == 1


def test_call_prints_non_json_types(shared_workerd: Workerd) -> None:
    proc = debugport("call", shared_workerd.debug_address, "main", "types")
    assert proc.returncode == 0, proc.stderr.decode()
    value = json.loads(proc.stdout)
    assert value["bigint"] == 12345678901234567890
    assert value["missing"] is None
    assert value["set"] == [1, 2, 3] and value["map"] == [["a", 1], [2, "b"]]
    assert value["date"].startswith("2024-01-02T03:04:05.006")


def test_remote_errors_exit_1_without_traceback(shared_workerd: Workerd) -> None:
    address = shared_workerd.debug_address
    assert_clean_failure(debugport("fetch", address, "no-such-service", "http://x/"), 1,
                         'Worker "no-such-service" not found')
    assert_clean_failure(debugport("call", address, "no-such-service", "add"), 1,
                         'Worker "no-such-service" not found')
    assert_clean_failure(debugport("call", address, "main", "fail"), 1,
                         "expected failure from the test worker")
    assert_clean_failure(debugport("call", address, "main", "nonexistent"), 1,
                         'TypeError: The RPC receiver does not implement the method "nonexistent".')
    assert_clean_failure(debugport("call", address, "main", "add", "--entrypoint", "Nope"), 1,
                         'Worker does not export an entrypoint named "Nope"')


def test_refused_connection_and_bad_usage() -> None:
    assert_clean_failure(debugport("call", "127.0.0.1:1", "main", "add"), 1, "cannot connect to 127.0.0.1:1")
    assert_clean_failure(debugport("call", "127.0.0.1:1", "main", "add", "{bad"), 2, "not valid JSON")
    assert_clean_failure(debugport("fetch", "127.0.0.1:1", "main", "http://x/", "-H", "novalue"), 2,
                         "bad header")
    assert_clean_failure(debugport("call", "127.0.0.1:1", "main", "add", "--actor", "x"), 2,
                         "--actor needs --entrypoint")
    assert_clean_failure(debugport("call", "nonsense", "main", "add"), 1, "bad address")
    assert debugport("fetch").returncode == 2


def test_server_commands_fail_clearly_without_cli_server(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "debugport.cli_server", None)  # makes the import fail
    assert cli.main(["serve", "--help"]) == 1
    assert "debugport.cli_server" in capsys.readouterr().err


def test_server_commands_dispatch(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    seen: List[Any] = []
    fake = types.ModuleType("debugport.cli_server")
    fake.serve_main = lambda argv: seen.append(("serve", argv)) or 0  # type: ignore[attr-defined]
    fake.proxy_main = lambda argv: seen.append(("proxy", argv)) or 3  # type: ignore[attr-defined]
    fake.demo_main = lambda argv: seen.append(("demo", argv)) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "debugport.cli_server", fake)
    import debugport

    monkeypatch.setattr(debugport, "cli_server", fake, raising=False)
    assert cli.main(["serve", "a", "--b"]) == 0
    assert cli.main(["proxy"]) == 3
    assert cli.main(["demo", "x"]) == 0
    assert seen == [("serve", ["a", "--b"]), ("proxy", []), ("demo", ["x"])]


def test_to_json_and_densify() -> None:
    sparse = v8.SparseArray(2, {0: "a", 1: v8.SparseArray(1, {0: 1})})
    assert densify({"x": sparse}) == {"x": ["a", [1]]}
    holey = v8.SparseArray(3, {0: 1, 2: 3})
    assert densify(holey) is holey
    cyclic = v8.SparseArray(1)
    cyclic.elements[0] = cyclic
    dense = densify(cyclic)
    assert isinstance(dense, list) and dense[0] is dense
    assert cli.to_json({"b": b"\x00\xff", "u": v8.UNDEFINED, "n": v8.BigInt(7), "f": float("nan")}) == {
        "b": "AP8=", "u": None, "n": 7, "f": "nan"}
