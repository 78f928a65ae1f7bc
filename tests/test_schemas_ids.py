"""The .capnp files under schemas/ compile, and their IDs match upstream.

Every file is compiled with the reference `capnp` tool and the resulting
CodeGeneratorRequest is decoded to text with `capnp decode` (against the
system's schema.capnp), then parsed here. Expected values come from three
places that do not depend on our files:

* IDs written out in the upstream schema text (file IDs, explicit `@0x...`),
  and IDs taken from code generated from upstream (the rpc.capnp struct IDs);
* the compiler's rule for IDs without an explicit `@0x...`: the first eight
  bytes of MD5(parent ID as little-endian u64 + name), read big-endian, with
  the top bit set; applied to upstream's names and file IDs;
* reference copies of capnproto's own schemas shipped by the system package
  (0.9.2) and by pycapnp (1.x): every node they define must exist in ours
  with the same ID and the same struct layout.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import struct
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas"
SYSTEM_SCHEMA = Path("/usr/include/capnp/schema.capnp")

# File IDs as written in upstream's schema files.
FILE_IDS: Dict[str, int] = {
    "capnp/c++.capnp": 0xBDF87D7BB8304E81,
    "capnp/schema.capnp": 0xA93FC509624C72D9,
    "capnp/rpc.capnp": 0xB312981B2552A250,
    "capnp/rpc-twoparty.capnp": 0xA184C7885CDAF2A1,
    "capnp/stream.capnp": 0x86C366A91393F3F8,
    "capnp/persistent.capnp": 0xB8630836983FEED7,
    "capnp/compat/byte-stream.capnp": 0x8F5D14E1C273738D,
    "capnp/compat/http-over-capnp.capnp": 0xB665280AAFF2E632,
    "workerd/outcome.capnp": 0xE27BB9203D5E02A8,
    "workerd/script-version.capnp": 0xD3B6BB739FF1B77A,
    "workerd/trace.capnp": 0xC40F73BE329A38D9,
    "workerd/frankenvalue.capnp": 0xCC3B225CB3101ABA,
    "workerd/worker-interface.capnp": 0xF7958855F6746344,
    "calculator.capnp": 0x85150B117366D14B,
}

# Node IDs written explicitly upstream (`name @0x...`) or taken from code
# generated from upstream rpc.capnp.
EXPLICIT_IDS: List[Tuple[str, str, int]] = [
    ("workerd/worker-interface.capnp", "EventDispatcher", 0xF20697475EC1752D),
    ("workerd/worker-interface.capnp", "Trace", 0x8E8D911203762D34),
    ("workerd/worker-interface.capnp", "SendTracesRun", 0xDE913EBE8E1B82A5),
    ("workerd/worker-interface.capnp", "ScheduledRun", 0xD98FC1AE5C8095D0),
    ("workerd/worker-interface.capnp", "AlarmRun", 0xFA8EA4E97E23B03D),
    ("workerd/worker-interface.capnp", "QueueMessage", 0x944ADB18C0352295),
    ("workerd/worker-interface.capnp", "QueueResponse", 0x90E98932C0BFC0DE),
    ("capnp/compat/http-over-capnp.capnp", "commonText", 0x857745131DB6FC83),
    ("capnp/stream.capnp", "StreamResult", 0x995F9A3377C0B16E),
    ("capnp/persistent.capnp", "Persistent", 0xC8CB212FCD9F5691),
    ("capnp/rpc.capnp", "Message", 10500036013887172658),
    ("capnp/rpc.capnp", "Call", 9469473312751832276),
    ("capnp/rpc.capnp", "Return", 11392333052105676602),
    ("capnp/rpc.capnp", "Finish", 15239388059401719395),
    ("capnp/rpc.capnp", "Resolve", 13529541526594062446),
    ("capnp/rpc.capnp", "Release", 12473400923157197975),
    ("capnp/rpc.capnp", "Disembargo", 17970548384007534353),
    ("capnp/rpc.capnp", "Provide", 11270825879279873114),
    ("capnp/rpc.capnp", "Accept", 15332985841292492822),
    ("capnp/rpc.capnp", "MessageTarget", 10789521159760378817),
    ("capnp/rpc.capnp", "Payload", 11100916931204903995),
    ("capnp/rpc.capnp", "CapDescriptor", 9593755465305995440),
    ("capnp/rpc.capnp", "PromisedAnswer", 15564635848320162976),
    ("capnp/rpc.capnp", "ThirdPartyCapDescriptor", 15235686326393111165),
    ("capnp/rpc.capnp", "Exception", 15430940935639230746),
]

# Interfaces the project uses: (file, dotted name, methods as name -> ordinal).
INTERFACES: List[Tuple[str, str, Dict[str, int]]] = [
    ("workerd/worker-interface.capnp", "WorkerdDebugPort", {"getEntrypoint": 0, "getActor": 1}),
    ("workerd/worker-interface.capnp", "WorkerdBootstrap", {"startEvent": 0}),
    (
        "workerd/worker-interface.capnp",
        "EventDispatcher",
        {
            "getHttpService": 0,
            "sendTraces": 1,
            "prewarm": 2,
            "runScheduled": 3,
            "runAlarm": 4,
            "obsolete5": 5,
            "obsolete6": 6,
            "obsolete7": 7,
            "queue": 8,
            "jsRpcSession": 9,
            "tailStreamSession": 10,
            "abandonAlarm": 11,
            "restoreService": 12,
            "restoreRpcStub": 13,
        },
    ),
    ("workerd/worker-interface.capnp", "JsRpcTarget", {"call": 0}),
    ("workerd/worker-interface.capnp", "JsRpcSession", {}),
    (
        "workerd/worker-interface.capnp",
        "JsValue.ExternalPusher",
        {"pushByteStream": 0, "pushAbortSignal": 1, "pushDelayedChannelToken": 2},
    ),
    ("workerd/worker-interface.capnp", "AbortTrigger", {"abort": 0, "release": 1}),
    ("workerd/worker-interface.capnp", "TailStreamTarget", {"report": 0}),
    ("workerd/worker-interface.capnp", "Handle", {}),
    (
        "capnp/compat/http-over-capnp.capnp",
        "HttpService",
        {"startRequest": 0, "request": 1, "connect": 2},
    ),
    (
        "capnp/compat/http-over-capnp.capnp",
        "HttpService.ClientRequestContext",
        {"startResponse": 0, "startWebSocket": 1},
    ),
    (
        "capnp/compat/http-over-capnp.capnp",
        "HttpService.ConnectClientRequestContext",
        {"startConnect": 0, "startError": 1},
    ),
    ("capnp/compat/http-over-capnp.capnp", "HttpService.ServerRequestContext", {}),
    ("capnp/compat/http-over-capnp.capnp", "WebSocket", {"sendText": 0, "sendData": 1, "close": 2}),
    (
        "capnp/compat/byte-stream.capnp",
        "ByteStream",
        {"write": 0, "end": 1, "getSubstream": 2, "startTls": 3},
    ),
    (
        "capnp/compat/byte-stream.capnp",
        "ByteStream.SubstreamCallback",
        {"ended": 0, "reachedLimit": 1},
    ),
    ("calculator.capnp", "Calculator", {"evaluate": 0, "defFunction": 1, "getOperator": 2}),
    ("calculator.capnp", "Calculator.Value", {"read": 0}),
    ("calculator.capnp", "Calculator.Function", {"call": 0}),
    ("capnp/persistent.capnp", "Persistent", {"save": 0}),
]

# Parameter and result field names, in ordinal order, of the methods we call.
METHOD_FIELDS: List[Tuple[str, str, str, List[str], List[str]]] = [
    (
        "workerd/worker-interface.capnp",
        "WorkerdDebugPort",
        "getEntrypoint",
        ["service", "entrypoint", "props"],
        ["entrypoint"],
    ),
    (
        "workerd/worker-interface.capnp",
        "WorkerdDebugPort",
        "getActor",
        ["service", "entrypoint", "actorId", "actorName"],
        ["actor"],
    ),
    (
        "workerd/worker-interface.capnp",
        "WorkerdBootstrap",
        "startEvent",
        ["cfBlobJson", "fromPersistentStub"],
        ["dispatcher"],
    ),
    ("workerd/worker-interface.capnp", "EventDispatcher", "getHttpService", [], ["http"]),
    (
        "workerd/worker-interface.capnp",
        "EventDispatcher",
        "jsRpcSession",
        [],
        ["topLevel", "session"],
    ),
    (
        "workerd/worker-interface.capnp",
        "EventDispatcher",
        "runScheduled",
        ["scheduledTime", "cron"],
        ["result"],
    ),
    (
        "workerd/worker-interface.capnp",
        "EventDispatcher",
        "runAlarm",
        ["scheduledTime", "retryCount"],
        ["result"],
    ),
    (
        "workerd/worker-interface.capnp",
        "EventDispatcher",
        "queue",
        ["messages", "queueName", "metadata"],
        ["result"],
    ),
    (
        "capnp/compat/http-over-capnp.capnp",
        "HttpService",
        "request",
        ["request", "context"],
        ["requestBody"],
    ),
    (
        "capnp/compat/http-over-capnp.capnp",
        "HttpService.ClientRequestContext",
        "startResponse",
        ["response"],
        ["body"],
    ),
    ("capnp/compat/byte-stream.capnp", "ByteStream", "write", ["bytes"], []),
    ("capnp/compat/byte-stream.capnp", "ByteStream", "end", [], []),
    ("calculator.capnp", "Calculator", "evaluate", ["expression"], ["value"]),
    ("calculator.capnp", "Calculator", "defFunction", ["paramCount", "body"], ["func"]),
    ("calculator.capnp", "Calculator", "getOperator", ["op"], ["func"]),
    ("calculator.capnp", "Calculator.Function", "call", ["params"], ["value"]),
]


# --- the compiler's ID rule ------------------------------------------------


def child_id(parent: int, name: str) -> int:
    """ID the compiler gives a named declaration that has no explicit ID."""
    digest = hashlib.md5(struct.pack("<Q", parent) + name.encode("utf-8")).digest()
    return int(struct.unpack(">Q", digest[:8])[0]) | (1 << 63)


def derived_id(file_rel: str, dotted: str) -> int:
    node = FILE_IDS[file_rel]
    for part in dotted.split("."):
        node = child_id(node, part)
    return node


def test_child_id_rule_matches_a_known_upstream_id() -> None:
    # rpc.capnp's Message struct has no explicit ID upstream; its ID is known
    # from generated code, so it pins the rule down independently.
    assert child_id(FILE_IDS["capnp/rpc.capnp"], "Message") == 10500036013887172658


# --- decoding `capnp decode` text output ------------------------------------


class _TextParser:
    """Parses the text format `capnp decode` prints into dicts and lists."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def _peek(self) -> str:
        self._skip_ws()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _expect(self, ch: str) -> None:
        if self._peek() != ch:
            raise ValueError(f"expected {ch!r} at offset {self.pos}")
        self.pos += 1

    def value(self) -> Any:
        ch = self._peek()
        if ch == "(":
            return self._struct()
        if ch == "[":
            return self._list()
        if ch == '"':
            return self._string()
        if ch == "<":
            # Placeholders such as `<opaque pointer>` for untyped values.
            end = self.text.index(">", self.pos)
            token = self.text[self.pos : end + 1]
            self.pos = end + 1
            return token
        return self._atom()

    def _struct(self) -> Dict[str, Any]:
        self._expect("(")
        out: Dict[str, Any] = {}
        while self._peek() != ")":
            name = self._atom()
            self._expect("=")
            out[str(name)] = self.value()
            if self._peek() == ",":
                self.pos += 1
        self._expect(")")
        return out

    def _list(self) -> List[Any]:
        self._expect("[")
        out: List[Any] = []
        while self._peek() != "]":
            out.append(self.value())
            if self._peek() == ",":
                self.pos += 1
        self._expect("]")
        return out

    def _string(self) -> str:
        self._expect('"')
        chars: List[str] = []
        while self.text[self.pos] != '"':
            if self.text[self.pos] == "\\":
                self.pos += 1
            chars.append(self.text[self.pos])
            self.pos += 1
        self.pos += 1
        return "".join(chars)

    def _atom(self) -> Any:
        self._skip_ws()
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in " \t\r\n,=()[]":
            self.pos += 1
        word = self.text[start : self.pos]
        if not word:
            raise ValueError(f"empty token at offset {start}")
        try:
            return int(word)
        except ValueError:
            return word


def _capnp_tool() -> str:
    tool = shutil.which("capnp")
    assert tool is not None, "the capnp compiler must be installed to check schemas"
    return tool


def compile_request(path: Path, import_dir: Path) -> bytes:
    proc = subprocess.run(
        [_capnp_tool(), "compile", "--no-standard-import", "-I", str(import_dir), "-o-", str(path)],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, f"{path} failed to compile:\n{proc.stderr.decode()}"
    return proc.stdout


def decode_request(raw: bytes) -> Dict[str, Any]:
    proc = subprocess.run(
        [_capnp_tool(), "decode", str(SYSTEM_SCHEMA), "CodeGeneratorRequest"],
        input=raw,
        capture_output=True,
        check=True,
    )
    parsed = _TextParser(proc.stdout.decode("utf-8")).value()
    assert isinstance(parsed, dict)
    return parsed


class Compiled:
    """One compiled file: its nodes by ID and by name relative to the file."""

    def __init__(self, request: Dict[str, Any]) -> None:
        requested = request["requestedFiles"][0]
        self.requested_id: int = requested["id"]
        self.by_id: Dict[int, Dict[str, Any]] = {n["id"]: n for n in request["nodes"]}
        # Only this file's own declarations; imported files' nodes are in `by_id`.
        prefix = str(requested["filename"]) + ":"
        self.by_name: Dict[str, Dict[str, Any]] = {}
        for node in request["nodes"]:
            display: str = node["displayName"]
            if display.startswith(prefix):
                self.by_name[display[len(prefix) :]] = node

    def node(self, dotted: str) -> Dict[str, Any]:
        assert dotted in self.by_name, f"no node named {dotted}"
        return self.by_name[dotted]


@lru_cache(maxsize=None)
def compiled(file_rel: str) -> Compiled:
    return Compiled(decode_request(compile_request(SCHEMAS / file_rel, SCHEMAS)))


# --- the checks -------------------------------------------------------------


@pytest.mark.parametrize("file_rel", sorted(FILE_IDS))
def test_file_compiles_with_upstream_file_id(file_rel: str) -> None:
    assert compiled(file_rel).requested_id == FILE_IDS[file_rel]


@pytest.mark.parametrize(("file_rel", "dotted", "expected"), EXPLICIT_IDS)
def test_explicit_ids(file_rel: str, dotted: str, expected: int) -> None:
    assert compiled(file_rel).node(dotted)["id"] == expected


@pytest.mark.parametrize(("file_rel", "dotted", "methods"), INTERFACES)
def test_interface_ids_and_method_ordinals(
    file_rel: str, dotted: str, methods: Dict[str, int]
) -> None:
    node = compiled(file_rel).node(dotted)
    explicit = {(f, d): i for f, d, i in EXPLICIT_IDS}
    assert node["id"] == explicit.get((file_rel, dotted), derived_id(file_rel, dotted))
    assert "interface" in node, f"{dotted} is not an interface"
    # The methods list is sorted by ordinal, so a method's index is its ordinal.
    names = [m["name"] for m in node["interface"]["methods"]]
    assert {name: index for index, name in enumerate(names)} == methods


def test_js_rpc_target_extends_external_pusher() -> None:
    unit = compiled("workerd/worker-interface.capnp")
    supers = unit.node("JsRpcTarget")["interface"].get("superclasses", [])
    assert [s["id"] for s in supers] == [
        derived_id("workerd/worker-interface.capnp", "JsValue.ExternalPusher")
    ]


def _struct_field_names(unit: Compiled, struct_id: int) -> List[str]:
    # Parameter lists have implicit ordinals: their source order is the ordinal order.
    fields = unit.by_id[struct_id]["struct"].get("fields", [])
    return [f["name"] for f in sorted(fields, key=lambda f: f["codeOrder"])]


@pytest.mark.parametrize(("file_rel", "iface", "method", "params", "results"), METHOD_FIELDS)
def test_method_param_and_result_fields(
    file_rel: str, iface: str, method: str, params: List[str], results: List[str]
) -> None:
    unit = compiled(file_rel)
    methods = {m["name"]: m for m in unit.node(iface)["interface"]["methods"]}
    found = methods[method]
    assert _struct_field_names(unit, found["paramStructType"]) == params
    result_id = found["resultStructType"]
    if result_id in unit.by_id:
        assert _struct_field_names(unit, result_id) == results
    else:
        # `-> stream` methods return the imported StreamResult.
        assert result_id == 0x995F9A3377C0B16E and results == []


def test_rpc_has_newer_fields() -> None:
    unit = compiled("capnp/rpc.capnp")

    def ordinals(dotted: str) -> Dict[str, int]:
        fields = unit.node(dotted)["struct"].get("fields", [])
        return {f["name"]: f["ordinal"].get("explicit") for f in fields}

    assert ordinals("Call")["noPromisePipelining"] == 9
    assert ordinals("Call")["onlyPromisePipeline"] == 10
    assert ordinals("Return")["noFinishNeeded"] == 8
    assert ordinals("Finish")["requireEarlyCancellationWorkaround"] == 2
    assert ordinals("Exception")["trace"] == 4
    assert ordinals("Exception")["details"] == 5
    assert ordinals("CapDescriptor")["attachedFd"] == 6
    assert ordinals("ThirdPartyCapDescriptor") == {"id": 0, "vineId": 1}
    assert ordinals("Disembargo.context") == {
        "senderLoopback": 1,
        "receiverLoopback": 2,
        "accept": 3,
        "provide": 4,
    }


# --- cross-check against reference copies of capnproto's own schemas --------


def _pycapnp_dir() -> Optional[Path]:
    spec = importlib.util.find_spec("capnp")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def _reference_roots() -> List[Tuple[str, Optional[Path]]]:
    return [("debian", Path("/usr/include")), ("pycapnp", _pycapnp_dir())]


CORE_FILES = [
    "capnp/c++.capnp",
    "capnp/schema.capnp",
    "capnp/rpc.capnp",
    "capnp/rpc-twoparty.capnp",
    "capnp/stream.capnp",
    "capnp/persistent.capnp",
]


def _layout(node: Dict[str, Any]) -> Any:
    """The parts of a node that decide its wire layout and identity."""
    if "struct" in node:
        s = node["struct"]
        fields = {}
        for f in s.get("fields", []):
            where = f.get("slot", {}).get("offset"), f.get("group", {}).get("typeId")
            kind = next(iter(f["slot"]["type"])) if "slot" in f else "group"
            fields[f["name"]] = (where, kind, f.get("discriminantValue"), f["ordinal"])
        head = (s["dataWordCount"], s["pointerCount"], s["discriminantCount"])
        return ("struct", head, s.get("discriminantOffset"), fields)
    if "enum" in node:
        return ("enum", [e["name"] for e in node["enum"]["enumerants"]])
    if "interface" in node:
        return ("interface", [m["name"] for m in node["interface"]["methods"]])
    return (next(k for k in ("file", "const", "annotation") if k in node),)


@pytest.mark.parametrize("ref_name", ["debian", "pycapnp"])
@pytest.mark.parametrize("file_rel", CORE_FILES)
def test_core_schema_matches_reference_copy(file_rel: str, ref_name: str) -> None:
    root = dict(_reference_roots())[ref_name]
    if root is None:
        pytest.skip("pycapnp is not installed for this interpreter")
    assert root is not None
    ref_path = root / file_rel if ref_name == "debian" else root / Path(file_rel).name
    import_dir = root if ref_name == "debian" else root.parent
    reference = Compiled(decode_request(compile_request(ref_path, import_dir)))
    ours = compiled(file_rel)
    assert ours.requested_id == reference.requested_id
    ref_nodes = dict(reference.by_name)
    assert ref_nodes, f"no declarations read from {ref_path}"
    for name, ref_node in ref_nodes.items():
        assert name in ours.by_name, f"{file_rel}: missing {name}"
        mine = ours.by_name[name]
        assert mine["id"] == ref_node["id"], f"{file_rel}: ID of {name}"
        ref_layout = _layout(ref_node)
        my_layout = _layout(mine)
        if ref_layout[0] == "struct":
            # We may add fields (newer upstream); every reference field must agree.
            assert my_layout[1] == ref_layout[1] or _only_grew(my_layout, ref_layout), name
            for field, spec in ref_layout[3].items():
                assert my_layout[3].get(field) == spec, f"{file_rel}: {name}.{field}"
        else:
            assert my_layout == ref_layout or _superset(my_layout, ref_layout), name


def _only_grew(mine: Any, ref: Any) -> bool:
    (m_data, m_ptrs, m_disc), (r_data, r_ptrs, r_disc) = mine[1], ref[1]
    return bool(m_data >= r_data and m_ptrs >= r_ptrs and m_disc == r_disc)


def _superset(mine: Any, ref: Any) -> bool:
    if mine[0] != ref[0] or len(mine) < 2:
        return False
    return bool(mine[1][: len(ref[1])] == ref[1])
