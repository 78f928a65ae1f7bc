"""The workerd fixture, and the test workers reaching each other through workerd's debug port.

These run the real workerd (``npm install`` puts it in node_modules).  The ``viaport`` worker's
``workerdDebugPort`` binding connects back to the same process's ``--debug-port``, which proves
the config and the binding work before a Python-hosted debug port takes workerd's place.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

from .workerd_fixture import (
    DEBUG_PORT_SOCKET,
    WORKERS,
    Workerd,
    WorkerdFailed,
    WorkerdNotInstalled,
    find_workerd,
    parse_control_line,
)

pytestmark = pytest.mark.interop

CONFIG = WORKERS / "config.capnp"
# Restated from main.js (a worker module may export only handlers).
FAIL_MESSAGE = "expected failure from the test worker"


@pytest.fixture(scope="module")
def workerd() -> Iterator[Workerd]:
    with Workerd(CONFIG, sockets=("http", "viaport")) as wd:
        yield wd


def http(url: str, *, method: str = "GET", body: Optional[bytes] = None,
         headers: Optional[Dict[str, str]] = None) -> Any:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == 200
        return json.loads(response.read())


def via_port(wd: Workerd, target: Dict[str, Any], steps: List[Dict[str, Any]],
             address: Optional[str] = None) -> List[Dict[str, Any]]:
    """Have the viaport worker connect to a debug port, open ``target`` and run ``steps``."""
    plan = {"address": address or wd.debug_address, "target": target, "steps": steps}
    answer = http(wd.url("/", socket="viaport"), method="POST", body=json.dumps(plan).encode())
    results: List[Dict[str, Any]] = answer["results"]
    return results


def ok(result: Dict[str, Any]) -> Any:
    assert result["ok"], result
    return result["value"]


def headers_of(pairs: List[List[str]]) -> Dict[str, str]:
    return {name: value for name, value in pairs}


# -- the fixture library ------------------------------------------------------------------------


def test_find_workerd_is_the_pinned_npm_install() -> None:
    path = find_workerd()
    assert path.is_file()
    if os.environ.get("WORKERD"):
        return  # an explicitly chosen binary need not come from npm
    package = json.loads((Path(__file__).resolve().parents[2] / "package.json").read_text())
    pinned = package["devDependencies"]["workerd"]
    installed = json.loads((path.resolve().parents[1] / "package.json").read_text())["version"]
    assert installed == pinned, f"node_modules has workerd {installed}, package.json pins {pinned}: run `npm install`"


def test_missing_workerd_fails_loudly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKERD", str(tmp_path / "no-such-workerd"))
    with pytest.raises(WorkerdNotInstalled, match="npm install"):
        find_workerd()


def test_parse_control_line() -> None:
    assert parse_control_line(b'{"event":"listen","socket":"http","port":8080}\n') == {
        "event": "listen", "socket": "http", "port": 8080}
    assert parse_control_line(b"  \n") is None
    with pytest.raises(WorkerdFailed, match="malformed"):
        parse_control_line(b"{not json")
    with pytest.raises(WorkerdFailed, match="not an object"):
        parse_control_line(b"[1, 2]")


def test_fixture_reports_ports_and_stops(workerd: Workerd) -> None:
    ports = workerd.ports
    assert set(ports) == {"http", "viaport", DEBUG_PORT_SOCKET}
    assert len(set(ports.values())) == 3
    assert workerd.http_port == ports["http"] and workerd.debug_port == ports[DEBUG_PORT_SOCKET]
    assert workerd.alive()


def test_stop_terminates_the_process() -> None:
    wd = Workerd(CONFIG, sockets=("http",), debug_port=False)
    with wd:
        assert wd.alive() and DEBUG_PORT_SOCKET not in wd.ports
        http(wd.url("/"))
    assert not wd.alive()
    assert wd.process is not None and wd.process.returncode is not None


def test_startup_failure_quotes_workerd_output(tmp_path: Path) -> None:
    (tmp_path / "bad.js").write_text("export default { fetch() { return new Response('x'); } };\n"
                                     "throw new Error('broken on purpose');\n")
    (tmp_path / "bad.capnp").write_text(
        'using Workerd = import "/workerd/workerd.capnp";\n'
        "const config :Workerd.Config = (\n"
        '  services = [(name = "bad", worker = (modules = [(name = "bad.js", esModule = embed "bad.js")],\n'
        '                                       compatibilityDate = "2025-09-01"))],\n'
        '  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "bad")],\n'
        ");\n")
    with pytest.raises(WorkerdFailed, match="broken on purpose"):
        with Workerd(tmp_path / "bad.capnp", start_timeout=20):
            pass


# -- the main worker over plain HTTP --------------------------------------------------------------


def test_main_worker_echoes_a_request(workerd: Workerd) -> None:
    echoed = http(workerd.url("/echo/path?q=1"), method="PUT", body=b"payload \xe2\x9c\x93",
                  headers={"X-Test": "yes", "Content-Type": "text/plain"})
    assert echoed["entrypoint"] == "default"
    assert echoed["method"] == "PUT"
    assert echoed["url"] == workerd.url("/echo/path?q=1")
    assert echoed["body"] == "payload \u2713"
    headers = headers_of(echoed["headers"])
    assert headers["x-test"] == "yes" and headers["content-type"] == "text/plain"
    assert echoed["props"] == {}
    assert isinstance(echoed["cf"], dict)


def test_main_worker_status_passthrough(workerd: Workerd) -> None:
    with pytest.raises(urllib.error.HTTPError) as info:
        http(workerd.url("/status?code=418"))
    assert info.value.code == 418


# -- the viaport worker, through workerd's own debug port ----------------------------------------


def test_default_entrypoint_fetch_through_debug_port(workerd: Workerd) -> None:
    [result] = via_port(workerd, {"kind": "entrypoint", "service": "main"}, [
        {"kind": "fetch", "url": "http://example.test/a/b?c=d", "method": "POST", "body": "hello",
         "headers": [["x-one", "1"]]},
    ])
    response = ok(result)
    assert response["status"] == 200
    assert headers_of(response["headers"])["content-type"] == "application/json"
    echoed = response["body"]
    assert echoed["entrypoint"] == "default"
    assert echoed["method"] == "POST"
    assert echoed["url"] == "http://example.test/a/b?c=d"
    assert echoed["body"] == "hello"
    assert headers_of(echoed["headers"])["x-one"] == "1"
    assert echoed["props"] == {}


def test_cf_and_props_reach_the_entrypoint(workerd: Workerd) -> None:
    target = {"kind": "entrypoint", "service": "main", "entrypoint": "Rpc",
              "props": {"user": "alice", "roles": ["a", "b"]}}
    fetched, called = via_port(workerd, target, [
        {"kind": "fetch", "url": "http://x/", "cf": {"colo": "TST", "n": 1}},
        {"kind": "rpc", "method": "props"},
    ])
    echoed = ok(fetched)["body"]
    assert echoed["entrypoint"] == "Rpc"
    assert echoed["cf"] == {"colo": "TST", "n": 1}
    assert echoed["props"] == {"user": "alice", "roles": ["a", "b"]}
    assert ok(called) == {"user": "alice", "roles": ["a", "b"]}


def test_named_entrypoint_rpc_through_debug_port(workerd: Workerd) -> None:
    target = {"kind": "entrypoint", "service": "main", "entrypoint": "Rpc"}
    added, echoed, doubled, tally = via_port(workerd, target, [
        {"kind": "rpc", "method": "add", "args": [2, 40]},
        {"kind": "rpc", "method": "echo", "args": [{"k": [1, None, "s"], "big": {"$bigint": "-9"}}]},
        {"kind": "rpc", "method": "callWith", "args": [{"$fn": "double"}, 21]},
        {"kind": "rpc", "method": "tally", "args": [10], "then": [
            {"method": "add", "args": [5]}, {"method": "add", "args": [1]}]},
    ])
    assert ok(added) == 42
    assert ok(echoed) == {"k": [1, None, "s"], "big": {"$bigint": "-9"}}
    assert ok(doubled) == 42
    assert ok(tally) == {"value": {"$stub": True}, "then": [15, 16]}


def test_rpc_values_json_cannot_carry(workerd: Workerd) -> None:
    [result] = via_port(workerd, {"kind": "entrypoint", "service": "main", "entrypoint": "Rpc"},
                        [{"kind": "rpc", "method": "types"}])
    value = ok(result)
    assert value["string"] == "h\u00e9llo \u2713"
    assert value["bigint"] == {"$bigint": "12345678901234567890"}
    assert value["missing"] == {"$undefined": True}
    assert value["sparse"] == [1, {"$hole": True}, 3]
    assert value["map"] == {"$map": [["a", 1], [2, "b"]]}
    assert value["set"] == {"$set": [1, 2, 3]}
    assert value["date"] == {"$date": "2024-01-02T03:04:05.006Z"}
    assert value["bytes"] == {"$bytes": [0, 1, 2, 255], "$type": "Uint8Array"}
    assert value["buffer"] == {"$bytes": [9, 8, 7], "$type": "ArrayBuffer"}
    assert value["floats"]["$type"] == "Float64Array" and len(value["floats"]["$bytes"]) == 16
    assert value["regexp"] == {"$regexp": ["ab+c", "gi"]}
    assert value["error"] == {"$error": {"name": "RangeError", "message": "an error as a value"}}


def test_rpc_error_message_surfaces(workerd: Workerd) -> None:
    target = {"kind": "entrypoint", "service": "main", "entrypoint": "Rpc"}
    failed, type_error, after = via_port(workerd, target, [
        {"kind": "rpc", "method": "fail"},
        {"kind": "rpc", "method": "failType"},
        {"kind": "rpc", "method": "add", "args": [1, 1]},
    ])
    assert not failed["ok"]
    assert failed["error"]["name"] == "Error"
    assert failed["error"]["message"] == FAIL_MESSAGE
    assert failed["error"]["remote"] is True
    assert type_error["error"]["name"] == "TypeError"
    assert type_error["error"]["message"] == "wrong type on purpose"
    assert ok(after) == 2


def test_durable_object_counter_keeps_state(workerd: Workerd) -> None:
    name = "debug-port-counter"
    actor_id = http(workerd.url(f"/do/id?name={name}"))["id"]
    assert len(actor_id) == 64 and int(actor_id, 16) >= 0
    target = {"kind": "actor", "service": "main", "entrypoint": "Counter", "actorId": actor_id}
    first = via_port(workerd, target, [
        {"kind": "rpc", "method": "increment", "args": [1]},
        {"kind": "rpc", "method": "increment", "args": [10]},
        {"kind": "rpc", "method": "id"},
    ])
    assert [ok(r) for r in first[:2]] == [1, 11]
    assert ok(first[2])["id"] == actor_id
    # A second connection reaches the same object, and so does the worker's own binding.
    [again] = via_port(workerd, target, [{"kind": "rpc", "method": "increment", "args": [1]}])
    assert ok(again) == 12
    assert http(workerd.url(f"/do/increment?name={name}")) == {"count": 13}
    [fetched] = via_port(workerd, target, [{"kind": "fetch", "url": "http://do/x"}])
    assert ok(fetched)["body"]["count"] == 14
    assert ok(fetched)["body"]["id"] == actor_id


def test_ephemeral_actor_takes_any_string_id(workerd: Workerd) -> None:
    target = {"kind": "actor", "service": "main", "entrypoint": "EphemeralCounter",
              "actorId": "any string at all"}
    results = via_port(workerd, target, [
        {"kind": "rpc", "method": "increment", "args": [2]},
        {"kind": "rpc", "method": "increment", "args": [3]},
        {"kind": "fetch", "url": "http://eph/"},
    ])
    assert ok(results[0]) == 2 and ok(results[1]) == 5
    assert ok(results[2])["body"] == {"count": 6, "id": "any string at all"}


def test_websocket_echo_through_debug_port(workerd: Workerd) -> None:
    [result] = via_port(workerd, {"kind": "entrypoint", "service": "main"},
                        [{"kind": "websocket", "url": "http://x/ws", "messages": ["one", "two", "three"]}])
    assert ok(result) == {"status": 101, "received": ["one", "two", "three"]}


def test_unknown_service_error(workerd: Workerd) -> None:
    [result] = via_port(workerd, {"kind": "entrypoint", "service": "no-such-service"},
                        [{"kind": "fetch"}])
    assert not result["ok"]
    assert result["error"]["message"] == 'Worker "no-such-service" not found'


def test_unknown_entrypoint_error(workerd: Workerd) -> None:
    [result] = via_port(workerd, {"kind": "entrypoint", "service": "main", "entrypoint": "Nope"},
                        [{"kind": "rpc", "method": "add", "args": [1, 2]}])
    assert not result["ok"]
    assert result["error"]["message"] == 'Worker does not export an entrypoint named "Nope"'


def test_unreachable_debug_port_fails(workerd: Workerd) -> None:
    # Port 1 on loopback: nothing listens there, so connecting must fail, not hang.
    [result] = via_port(workerd, {"kind": "entrypoint", "service": "main"}, [{"kind": "fetch"}],
                        address="127.0.0.1:1")
    assert not result["ok"]
