"""Typed RPC stubs in generated modules: ``I_Client`` and ``I_Server`` for every interface ``I``.

The classes run on :mod:`capnp_lite.aio.typed`.  For each method ``m`` the
client gets ``m_request()`` (a request whose ``params`` is the generated
params builder) and ``m(params=None)`` (send at once; a promise of the
generated results reader); a streaming method (``-> stream``) gets a
request and promise that apply flow control instead of giving results.  The
server gets ``async def m(self, context)`` answering ``unimplemented`` until
a subclass overrides it.  When ``m``'s results hold capabilities, ``m()``
returns ``I_m_Promise``, a promise with one property per interface field
giving the typed client pipelined on it (``calc.evaluate(p).value.read()`` is
one round trip, typed all the way), and ``m_request()`` an ``I_m_Request``
whose ``send()`` gives the same.  A struct or group field that holds
capabilities, at any depth, gets a property too: the generated
``S_Pipeline`` of its struct, whose properties continue the pointer path
(``p.inner.deeper.leaf`` is a client pipelined through two structs).
``extends`` becomes Python inheritance of both classes.

A method name that is a Python keyword, names a member of the base classes
or is already used by an interface it extends gets a trailing underscore,
so a derived stub never overrides an inherited one with another signature.
Python needs base classes defined first, so the stubs of a file come after
its last interface's namespace class, superclasses before subclasses.
"""

from __future__ import annotations

import keyword
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Tuple

from ..schema.model import Field, Node

if TYPE_CHECKING:  # the generator imports this module; no import cycle at run time
    from .generator import _FileGen

__all__ = ["interface_stubs", "pipeline_classes", "cap_holders", "STREAM_RESULT_ID"]

STREAM_RESULT_ID = 0x995F9A3377C0B16E  # capnp/stream.capnp StreamResult: marks ``-> stream``

# Members of TypedClient / TypedServer and the namespace class's own table names.
_CLIENT_RESERVED = {"capability", "close"}
# Members of TypedPromise and TypedPipeline, which a pipeline property must not hide.
_PROMISE_RESERVED = {"cancel", "cap", "client"}
_PIPELINE_RESERVED = {"cap", "client"}
_SERVER_RESERVED: Set[str] = set()


def _py_name(name: str) -> str:
    return name + "_" if keyword.iskeyword(name) else name


def interface_stubs(gen: "_FileGen", node: Node) -> List[str]:
    """Source lines of the typed stubs, emitted once, after the file's last interface."""
    if not gen.interfaces or node.id != gen.interfaces[-1].id:
        return []
    lines: List[str] = []
    done: Set[int] = set()
    for iface in gen.interfaces:
        _emit_ordered(gen, iface, done, lines)
    return lines


def _emit_ordered(gen: "_FileGen", node: Node, done: Set[int], lines: List[str]) -> None:
    """Superclasses of this file first (their classes are the bases)."""
    if node.id in done:
        return
    done.add(node.id)
    for sc in node.superclasses:
        sup = gen.by_id.get(sc.id)
        if sup is not None and gen.file_of.get(sc.id) == gen.file_id:
            _emit_ordered(gen, sup, done, lines)
    lines.extend(_stubs(gen, node))


def _stub_name(gen: "_FileGen", node_id: int, kind: str) -> str:
    """``I_Client`` / ``I_Server``, qualified when in another module, with a trailing underscore
    while the name is taken by a node of that module."""
    base = gen.names[node_id]
    fid = gen.file_of[node_id]
    taken = {n for nid, n in gen.names.items() if gen.file_of.get(nid) == fid}
    name = f"{base}_{kind}"
    while name in taken:
        name += "_"
    qualified = gen.ref(node_id)  # registers the import of another module
    return qualified[: len(qualified) - len(base)] + name


def _inherited_names(gen: "_FileGen", node: Node, seen: Set[int]) -> Set[str]:
    """Stub attribute names taken by the interfaces ``node`` extends, transitively."""
    out: Set[str] = set()
    for sc in node.superclasses:
        if sc.id in seen:
            continue
        seen.add(sc.id)
        sup = gen.by_id.get(sc.id)
        if sup is None:
            continue
        out |= set(_method_attrs(gen, sup).values())
        out |= _inherited_names(gen, sup, seen)
    return out


def _method_attrs(gen: "_FileGen", node: Node) -> Dict[int, str]:
    """The Python attribute of each method (by ordinal) in the stubs of ``node``."""
    taken = _inherited_names(gen, node, set())
    attrs: Dict[int, str] = {}
    for i, m in enumerate(node.methods):
        name = _py_name(m.name)
        while (name in _CLIENT_RESERVED or name in _SERVER_RESERVED or name in taken
               or name + "_request" in taken):
            name += "_"
        attrs[i] = name
    return attrs


def _python_bases(gen: "_FileGen", node: Node, kind: str, fallback: str) -> List[str]:
    """The stub classes of the superclasses, minus those another superclass already derives
    from (keeps the method resolution order valid for diamonds)."""
    ids = [sc.id for sc in node.superclasses if sc.id in gen.by_id]
    below: Set[int] = set()
    for sid in ids:
        below |= _ancestors(gen, gen.by_id[sid]) - {sid}
    keep = [sid for sid in ids if sid not in below]
    return [_stub_name(gen, sid, kind) for sid in keep] or [fallback]


def _ancestors(gen: "_FileGen", node: Node) -> Set[int]:
    out = {node.id}
    for sc in node.superclasses:
        sup = gen.by_id.get(sc.id)
        if sup is not None and sc.id not in out:
            out |= _ancestors(gen, sup)
    return out


def _stubs(gen: "_FileGen", node: Node) -> List[str]:
    ns = gen.names[node.id]
    client = _stub_name(gen, node.id, "Client")
    server = _stub_name(gen, node.id, "Server")
    attrs = _method_attrs(gen, node)
    supers = [_stub_name(gen, sc.id, "Client") + "._typed_interface"
              for sc in node.superclasses if sc.id in gen.by_id]
    sup_tuple = "(" + ", ".join(supers) + ("," if len(supers) == 1 else "") + ")"
    names = [repr(attrs[i]) for i in range(len(node.methods))]
    name_tuple = "(" + ", ".join(names) + ("," if len(names) == 1 else "") + ")"
    streaming = [str(i) for i, m in enumerate(node.methods) if m.result_struct_type == STREAM_RESULT_ID]
    stream_tuple = "(" + ", ".join(streaming) + ("," if len(streaming) == 1 else "") + ")"
    short = node.display_name[node.display_name_prefix_length:]

    promises = _promise_classes(gen, node, attrs)
    out: List[str] = []
    for lines in promises.values():
        out += lines
    cbases = ", ".join(_python_bases(gen, node, "Client", "_typed.TypedClient"))
    out += [
        "", "", f"class {client}({cbases}):",
        f'    """Typed client of interface {short} ({node.id:#x}): wraps a capability."""',
        "",
        "    __slots__ = ()",
        f"    _typed_interface = _typed.interface({ns}, {sup_tuple}, {name_tuple}, {stream_tuple})",
    ]
    for i, m in enumerate(node.methods):
        p = gen.ref(m.param_struct_type)
        r = gen.ref(m.result_struct_type)
        a = attrs[i]
        entry = f"{ns}.METHODS[{i}]"
        if m.result_struct_type == STREAM_RESULT_ID:
            out += [
                "", f"    def {a}_request(self) -> _typed.StreamRequest[{p}_Builder]:",
                f"        return self._stream_request({entry})",
                "", f"    def {a}(self, params: Optional[{p}_Builder] = None) -> _typed.StreamPromise:",
                f"        return self._stream({entry}, params)",
            ]
        elif i in promises:
            pname = _promise_name(gen, node, attrs[i])
            qname = pname[: -len("_Promise")] + "_Request" if pname.endswith("_Promise") else pname + "_Request"
            out += [
                "", f"    def {a}_request(self) -> {qname}:",
                f"        return self._request_as({qname}, {entry})",
                "", f"    def {a}(self, params: Optional[{p}_Builder] = None) -> {pname}:",
                f"        return {pname}._of(self._call({entry}, params))",
            ]
        else:
            out += [
                "", f"    def {a}_request(self) -> _typed.TypedRequest[{p}_Builder, {r}_Reader]:",
                f"        return self._request({entry})",
                "", f"    def {a}(self, params: Optional[{p}_Builder] = None) -> _typed.TypedPromise[{r}_Reader]:",
                f"        return self._call({entry}, params)",
            ]

    sbases = ", ".join(_python_bases(gen, node, "Server", "_typed.TypedServer"))
    out += [
        "", "", f"class {server}({sbases}):",
        f'    """Typed server of interface {short} ({node.id:#x}): override the methods it implements."""',
        "",
        f"    _capnp_interface = {client}._typed_interface",
    ]
    for i, m in enumerate(node.methods):
        p = gen.ref(m.param_struct_type)
        r = gen.ref(m.result_struct_type)
        out += [
            "", f"    async def {attrs[i]}(self, context: _typed.TypedCallContext[{p}_Reader, {r}_Builder]) -> None:",
            f"        raise _typed.unimplemented({short + '.' + m.name!r})",
        ]
    return out


def _promise_name(gen: "_FileGen", node: Node, attr: str) -> str:
    """``I_m_Promise``, with a trailing underscore while a node of the module has that name."""
    fid = gen.file_of[node.id]
    taken = {n for nid, n in gen.names.items() if gen.file_of.get(nid) == fid}
    name = f"{gen.names[node.id]}_{attr.rstrip('_')}_Promise"
    while name in taken:
        name += "_"
    return name


def _promise_classes(gen: "_FileGen", node: Node, attrs: Dict[int, str]) -> Dict[int, List[str]]:
    """By method ordinal: the promise class of each method whose results hold interfaces."""
    out: Dict[int, List[str]] = {}
    for i, m in enumerate(node.methods):
        if m.result_struct_type == STREAM_RESULT_ID:
            continue
        results = gen.by_id.get(m.result_struct_type)
        if results is None or results.which != "struct":
            continue
        fields = _pipeline_fields(gen, results)
        if not fields:
            continue
        r = gen.ref(m.result_struct_type)
        name = _promise_name(gen, node, attrs[i])
        lines = [
            "", "", f"class {name}(_typed.TypedPromise[{r}_Reader]):",
            f'    """Results of {node.display_name[node.display_name_prefix_length:]}.{m.name} in flight: '
            'its capabilities, pipelined."""',
            "",
            "    __slots__ = ()",
        ]
        for f, target in fields:
            lines += _pipeline_property(gen, f, target, "the results, usable before they arrive.", "self", "")
        qname = name[: -len("_Promise")] + "_Request" if name.endswith("_Promise") else name + "_Request"
        lines += [
            "", "", f"class {qname}(_typed.TypedRequest[{gen.ref(m.param_struct_type)}_Builder, {r}_Reader]):",
            f'    """A {m.name} call being prepared; ``send()`` gives its pipelining promise."""',
            "",
            "    __slots__ = ()",
            "",
            f"    def send(self) -> {name}:",
            f"        return {name}._of(super().send())",
        ]
        out[i] = lines
    return out


# -- pipelines through structs ---------------------------------------------------


def cap_holders(by_id: Dict[int, Node]) -> Set[int]:
    """The interfaces, and the structs (and groups) holding an interface field at some depth:
    a fixpoint, so that recursive structs are settled too."""
    held = {nid for nid, n in by_id.items() if n.which == "interface"}
    structs = [n for n in by_id.values() if n.which == "struct"]
    grew = True
    while grew:
        grew = False
        for node in structs:
            if node.id not in held and any(_field_target(f) in held for f in node.fields):
                held.add(node.id)
                grew = True
    return held


def _field_target(f: Field) -> Optional[int]:
    """The node a field leads to for pipelining: its interface, struct or group (None: none).
    ``generate`` has checked that every such node is in the request."""
    if f.which == "group":
        return f.group_type_id
    t = f.type
    if t is None or t.which not in ("interface", "struct"):
        return None
    return t.type_id


def _pipeline_fields(gen: "_FileGen", node: Node) -> List[Tuple[Field, int]]:
    """Fields of ``node`` a pipeline property is made for, with the node each leads to."""
    out: List[Tuple[Field, int]] = []
    for f in node.fields:
        target = _field_target(f)
        if target is not None and target in gen.cap_holders:
            out.append((f, target))
    return out


def _pipeline_property(gen: "_FileGen", f: Field, target: int, doc: str, promise: str,
                       path: str) -> List[str]:
    """A property of a promise (``promise`` is ``self``, ``path`` empty) or of a pipeline
    (``self._promise`` and ``self._path``) giving the client or pipeline of field ``f``;
    ``doc`` ends its docstring."""
    prop = _py_name(f.name)
    while prop in (_PROMISE_RESERVED if not path else _PIPELINE_RESERVED):
        prop += "_"
    if gen.by_id[target].which == "interface":
        cls = _stub_name(gen, target, "Client")
        body = f"return self.client({cls}, {f.offset})"
    else:
        cls = _stub_name(gen, target, "Pipeline")
        if f.which == "group":  # the same struct's pointers: the path stays
            at = path or "()"
        else:
            at = f"{path} + ({f.offset},)" if path else f"({f.offset},)"
        body = f"return {cls}({promise}, {at})"
    return [
        "", "    @property",
        f"    def {prop}(self) -> {cls}:",
        f'        """``{f.name}`` of {doc}"""',
        f"        {body}",
    ]


def pipeline_classes(gen: "_FileGen") -> List[str]:
    """``S_Pipeline`` for every struct and group of this module that holds a capability, so
    that one class stands for the struct wherever a promise reaches it.  A method's implicit
    params and results structs (scope 0) get none: the promise class serves the results."""
    lines: List[str] = []
    for node in gen.structs:
        if node.id not in gen.cap_holders or node.scope_id == 0:
            continue
        short = node.display_name.split(":", 1)[-1]  # Outer.Inner.group: a group's own name says little
        lines += [
            "", "", f"class {_stub_name(gen, node.id, 'Pipeline')}(_typed.TypedPipeline):",
            f'    """{short} ({node.id:#x}) inside results in flight: its capabilities, pipelined."""',
            "",
            "    __slots__ = ()",
        ]
        for f, target in _pipeline_fields(gen, node):
            lines += _pipeline_property(gen, f, target, f"{short}, usable before the results arrive.",
                                        "self._promise", "self._path")
    return lines
