"""Generated from capnp/schema.capnp by capnp_lite codegen: do not edit.

File ID 0xa93fc509624c72d9.
"""

from __future__ import annotations

import struct
from typing import Any, Final, List, Optional, Sequence, Tuple

from capnp_lite.codegen import runtime as _rt

FILE_ID: Final = 0xa93fc509624c72d9


class ElementSize(_rt.CapnpEnum):
    """Enum ElementSize (0xd1958f7dba521926)."""

    empty = 0
    bit = 1
    byte = 2
    twoBytes = 3
    fourBytes = 4
    eightBytes = 5
    pointer = 6
    inlineComposite = 7


_M_ElementSize: Final[Tuple[ElementSize, ...]] = tuple(ElementSize)


class Node_Which(_rt.CapnpEnum):
    """Union tags of Node."""

    file = 0
    struct = 1
    enum = 2
    interface = 3
    const = 4
    annotation = 5


_M_Node_Which: Final[Tuple[Node_Which, ...]] = tuple(Node_Which)


class Field_Which(_rt.CapnpEnum):
    """Union tags of Field."""

    slot = 0
    group = 1


_M_Field_Which: Final[Tuple[Field_Which, ...]] = tuple(Field_Which)


class Field_ordinal_Which(_rt.CapnpEnum):
    """Union tags of ordinal."""

    implicit = 0
    explicit = 1


_M_Field_ordinal_Which: Final[Tuple[Field_ordinal_Which, ...]] = tuple(Field_ordinal_Which)


class Type_Which(_rt.CapnpEnum):
    """Union tags of Type."""

    void = 0
    bool = 1
    int8 = 2
    int16 = 3
    int32 = 4
    int64 = 5
    uint8 = 6
    uint16 = 7
    uint32 = 8
    uint64 = 9
    float32 = 10
    float64 = 11
    text = 12
    data = 13
    list = 14
    enum = 15
    struct = 16
    interface = 17
    anyPointer = 18


_M_Type_Which: Final[Tuple[Type_Which, ...]] = tuple(Type_Which)


class Type_anyPointer_Which(_rt.CapnpEnum):
    """Union tags of anyPointer."""

    unconstrained = 0
    parameter = 1
    implicitMethodParameter = 2


_M_Type_anyPointer_Which: Final[Tuple[Type_anyPointer_Which, ...]] = tuple(Type_anyPointer_Which)


class Type_anyPointer_unconstrained_Which(_rt.CapnpEnum):
    """Union tags of unconstrained."""

    anyKind = 0
    struct = 1
    list = 2
    capability = 3


_M_Type_anyPointer_unconstrained_Which: Final[Tuple[Type_anyPointer_unconstrained_Which, ...]] = tuple(Type_anyPointer_unconstrained_Which)


class Brand_Scope_Which(_rt.CapnpEnum):
    """Union tags of Scope."""

    bind = 0
    inherit = 1


_M_Brand_Scope_Which: Final[Tuple[Brand_Scope_Which, ...]] = tuple(Brand_Scope_Which)


class Brand_Binding_Which(_rt.CapnpEnum):
    """Union tags of Binding."""

    unbound = 0
    type = 1


_M_Brand_Binding_Which: Final[Tuple[Brand_Binding_Which, ...]] = tuple(Brand_Binding_Which)


class Value_Which(_rt.CapnpEnum):
    """Union tags of Value."""

    void = 0
    bool = 1
    int8 = 2
    int16 = 3
    int32 = 4
    int64 = 5
    uint8 = 6
    uint16 = 7
    uint32 = 8
    uint64 = 9
    float32 = 10
    float64 = 11
    text = 12
    data = 13
    list = 14
    enum = 15
    struct = 16
    interface = 17
    anyPointer = 18


_M_Value_Which: Final[Tuple[Value_Which, ...]] = tuple(Value_Which)


class CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Which(_rt.CapnpEnum):
    """Union tags of Identifier."""

    typeId = 0
    member = 1


_M_CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Which: Final[Tuple[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Which, ...]] = tuple(CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Which)


class Node_Reader(_rt.StructView):
    """Reader of struct Node (0xe682ab4cf923a417): 6 data words, 6 pointers."""

    __slots__ = ()

    def which(self) -> Node_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[2]
        return _M_Node_Which[e] if e < 6 else Node_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 48:
            v: Tuple[Any, ...] = _SC0.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC0.read(self)
        self._v = v
        return v

    @property
    def id(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def displayName(self) -> str:
        return _rt.text(self, 0)

    @property
    def displayNamePrefixLength(self) -> int:
        r: int = (self._v or self._load())[1]
        return r

    @property
    def scopeId(self) -> int:
        r: int = (self._v or self._load())[3]
        return r

    @property
    def nestedNodes(self) -> _rt.StructList[Node_NestedNode_Reader]:
        return _rt.struct_list(self, 1, Node_NestedNode_Reader)

    @property
    def annotations(self) -> _rt.StructList[Annotation_Reader]:
        return _rt.struct_list(self, 2, Annotation_Reader)

    @property
    def file(self) -> None:
        return None

    @property
    def struct(self) -> Node_struct_Reader:
        return _rt.group(self, Node_struct_Reader)

    @property
    def enum(self) -> Node_enum_Reader:
        return _rt.group(self, Node_enum_Reader)

    @property
    def interface(self) -> Node_interface_Reader:
        return _rt.group(self, Node_interface_Reader)

    @property
    def const(self) -> Node_const_Reader:
        return _rt.group(self, Node_const_Reader)

    @property
    def annotation(self) -> Node_annotation_Reader:
        return _rt.group(self, Node_annotation_Reader)

    @property
    def parameters(self) -> _rt.StructList[Node_Parameter_Reader]:
        return _rt.struct_list(self, 5, Node_Parameter_Reader)

    @property
    def isGeneric(self) -> bool:
        r: bool = (self._v or self._load())[4] & 1 != 0
        return r

    @property
    def startByte(self) -> int:
        r: int = (self._v or self._load())[5]
        return r

    @property
    def endByte(self) -> int:
        r: int = (self._v or self._load())[6]
        return r


class _Node_Loaded(Node_Reader):
    """Node_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('id', 'displayNamePrefixLength', 'scopeId', 'isGeneric', 'startByte', 'endByte', 'displayName')


def _Node_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Node."""
    b, dec, d, rows = lst.rows(start, stop, 'QIH2xQ12xB3xII', 1)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Node_Loaded
    seg = lst._seg
    pc = lst._pc
    k = lst._k
    new = _rt.new_view
    out: List[Any] = []
    append = out.append
    for r in rows:
        s0, s1, s2, s3, s4, s5, s6, l0, h0 = r
        v: Any = new(cls)
        v._ctx = ctx
        v._seg = seg
        v._d = d
        v._n = n
        q = d + n  # byte offset of the pointer section
        v._p = q >> 3
        v._c = pc
        v._k = k
        v._v = r  # (its first values are the struct's scalars)
        v.id = s0
        v.displayNamePrefixLength = s1
        v.scopeId = s3
        v.isGeneric = s4 & 1 != 0
        v.startByte = s5
        v.endByte = s6
        b0 = budget
        try:
            if l0 & 3 == 1 and l0 < 0x80000000 and (h0 - 10) & -0x7FF9 == 0:
                s = q + 6 + (l0 << 1)
                e = s + (h0 >> 3) - 1
                w = (h0 + 56) >> 6
                if budget >= w and not b[e]:  # NUL-terminated (b[e] checks bounds)
                    v.displayName = dec(b[s:e])
                    budget -= w
                else:
                    budget = _rt.eager(v, Node_Reader, 'displayName', budget)
            elif not (l0 or h0):
                v.displayName = ''
            else:
                budget = _rt.fill(v, ctx, Node_Reader, 'displayName', l0, h0, 'text', budget)
        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):
            ctx.budget = b0
            return _rt.plain_rest(lst, out, start + len(out), stop)
        append(v)
        d += stride
    ctx.budget = budget
    return out


class Node_struct_Reader(_rt.StructView):
    """Reader of group struct (0x9ea0b19b37fb4435): 6 data words, 6 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 36:
            v: Tuple[Any, ...] = _SC4.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC4.read(self)
        self._v = v
        return v

    @property
    def dataWordCount(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def pointerCount(self) -> int:
        r: int = (self._v or self._load())[1]
        return r

    @property
    def preferredListEncoding(self) -> ElementSize:
        v = (self._v or self._load())
        r: ElementSize = _M_ElementSize[v[2]] if v[2] < 8 else ElementSize(v[2])
        return r

    @property
    def isGroup(self) -> bool:
        r: bool = (self._v or self._load())[3] & 1 != 0
        return r

    @property
    def discriminantCount(self) -> int:
        r: int = (self._v or self._load())[4]
        return r

    @property
    def discriminantOffset(self) -> int:
        r: int = (self._v or self._load())[5]
        return r

    @property
    def fields(self) -> _rt.StructList[Field_Reader]:
        return _rt.struct_list(self, 3, Field_Reader)


class Node_enum_Reader(_rt.StructView):
    """Reader of group enum (0xb54ab3364333f598): 6 data words, 6 pointers."""

    __slots__ = ()

    @property
    def enumerants(self) -> _rt.StructList[Enumerant_Reader]:
        return _rt.struct_list(self, 3, Enumerant_Reader)


class Node_interface_Reader(_rt.StructView):
    """Reader of group interface (0xe82753cff0c2218f): 6 data words, 6 pointers."""

    __slots__ = ()

    @property
    def methods(self) -> _rt.StructList[Method_Reader]:
        return _rt.struct_list(self, 3, Method_Reader)

    @property
    def superclasses(self) -> _rt.StructList[Superclass_Reader]:
        return _rt.struct_list(self, 4, Superclass_Reader)


class Node_const_Reader(_rt.StructView):
    """Reader of group const (0xb18aa5ac7a0d9420): 6 data words, 6 pointers."""

    __slots__ = ()

    @property
    def type(self) -> Type_Reader:
        return _rt.struct_field(self, 3, Type_Reader)

    @property
    def value(self) -> Value_Reader:
        return _rt.struct_field(self, 4, Value_Reader)


class Node_annotation_Reader(_rt.StructView):
    """Reader of group annotation (0xec1619d4400a0290): 6 data words, 6 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 16:
            v: Tuple[Any, ...] = _SC9.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC9.read(self)
        self._v = v
        return v

    @property
    def type(self) -> Type_Reader:
        return _rt.struct_field(self, 3, Type_Reader)

    @property
    def targetsFile(self) -> bool:
        r: bool = (self._v or self._load())[0] & 1 != 0
        return r

    @property
    def targetsConst(self) -> bool:
        r: bool = (self._v or self._load())[0] & 2 != 0
        return r

    @property
    def targetsEnum(self) -> bool:
        r: bool = (self._v or self._load())[0] & 4 != 0
        return r

    @property
    def targetsEnumerant(self) -> bool:
        r: bool = (self._v or self._load())[0] & 8 != 0
        return r

    @property
    def targetsStruct(self) -> bool:
        r: bool = (self._v or self._load())[0] & 16 != 0
        return r

    @property
    def targetsField(self) -> bool:
        r: bool = (self._v or self._load())[0] & 32 != 0
        return r

    @property
    def targetsUnion(self) -> bool:
        r: bool = (self._v or self._load())[0] & 64 != 0
        return r

    @property
    def targetsGroup(self) -> bool:
        r: bool = (self._v or self._load())[0] & 128 != 0
        return r

    @property
    def targetsInterface(self) -> bool:
        r: bool = (self._v or self._load())[1] & 1 != 0
        return r

    @property
    def targetsMethod(self) -> bool:
        r: bool = (self._v or self._load())[1] & 2 != 0
        return r

    @property
    def targetsParam(self) -> bool:
        r: bool = (self._v or self._load())[1] & 4 != 0
        return r

    @property
    def targetsAnnotation(self) -> bool:
        r: bool = (self._v or self._load())[1] & 8 != 0
        return r


class Node_Parameter_Reader(_rt.StructView):
    """Reader of struct Parameter (0xb9521bccf10fa3b1): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return _rt.text(self, 0)


class _Node_Parameter_Loaded(Node_Parameter_Reader, _rt.ListElement):
    """Node_Parameter_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('name',)


def _Node_Parameter_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Parameter."""
    b, dec, d, rows = lst.rows(start, stop, '', 1)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Node_Parameter_Loaded
    out: List[Any] = []
    append = out.append
    q = d + n  # byte offset of the pointer section
    for l0, h0 in rows:
        v: Any = cls()
        v._l = lst
        v._q = q
        b0 = budget
        try:
            if l0 & 3 == 1 and l0 < 0x80000000 and (h0 - 10) & -0x7FF9 == 0:
                s = q + 6 + (l0 << 1)
                e = s + (h0 >> 3) - 1
                w = (h0 + 56) >> 6
                if budget >= w and not b[e]:  # NUL-terminated (b[e] checks bounds)
                    v.name = dec(b[s:e])
                    budget -= w
                else:
                    budget = _rt.eager(v, Node_Parameter_Reader, 'name', budget)
            elif not (l0 or h0):
                v.name = ''
            else:
                budget = _rt.fill(v, ctx, Node_Parameter_Reader, 'name', l0, h0, 'text', budget)
        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):
            ctx.budget = b0
            return _rt.plain_rest(lst, out, start + len(out), stop)
        append(v)
        q += stride
    ctx.budget = budget
    return out


class Node_NestedNode_Reader(_rt.StructView):
    """Reader of struct NestedNode (0xdebf55bbfa0fc242): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC10.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC10.read(self)
        self._v = v
        return v

    @property
    def name(self) -> str:
        return _rt.text(self, 0)

    @property
    def id(self) -> int:
        r: int = (self._v or self._load())[0]
        return r


class _Node_NestedNode_Loaded(Node_NestedNode_Reader, _rt.ListElement):
    """Node_NestedNode_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('id', 'name')


def _Node_NestedNode_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of NestedNode."""
    b, dec, d, rows = lst.rows(start, stop, 'Q', 1)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Node_NestedNode_Loaded
    out: List[Any] = []
    append = out.append
    q = d + n  # byte offset of the pointer section
    for s0, l0, h0 in rows:
        v: Any = cls()
        v._l = lst
        v._q = q
        v.id = s0
        b0 = budget
        try:
            if l0 & 3 == 1 and l0 < 0x80000000 and (h0 - 10) & -0x7FF9 == 0:
                s = q + 6 + (l0 << 1)
                e = s + (h0 >> 3) - 1
                w = (h0 + 56) >> 6
                if budget >= w and not b[e]:  # NUL-terminated (b[e] checks bounds)
                    v.name = dec(b[s:e])
                    budget -= w
                else:
                    budget = _rt.eager(v, Node_NestedNode_Reader, 'name', budget)
            elif not (l0 or h0):
                v.name = ''
            else:
                budget = _rt.fill(v, ctx, Node_NestedNode_Reader, 'name', l0, h0, 'text', budget)
        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):
            ctx.budget = b0
            return _rt.plain_rest(lst, out, start + len(out), stop)
        append(v)
        q += stride
    ctx.budget = budget
    return out


class Node_SourceInfo_Reader(_rt.StructView):
    """Reader of struct SourceInfo (0xf38e1de3041357ae): 2 data words, 2 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 16:
            v: Tuple[Any, ...] = _SC11.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC11.read(self)
        self._v = v
        return v

    @property
    def id(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def docComment(self) -> str:
        return _rt.text(self, 0)

    @property
    def members(self) -> _rt.StructList[Node_SourceInfo_Member_Reader]:
        return _rt.struct_list(self, 1, Node_SourceInfo_Member_Reader)

    @property
    def startByte(self) -> int:
        r: int = (self._v or self._load())[1]
        return r

    @property
    def endByte(self) -> int:
        r: int = (self._v or self._load())[2]
        return r


class _Node_SourceInfo_Loaded(Node_SourceInfo_Reader):
    """Node_SourceInfo_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('id', 'startByte', 'endByte', 'docComment')


def _Node_SourceInfo_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of SourceInfo."""
    b, dec, d, rows = lst.rows(start, stop, 'QII', 1)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Node_SourceInfo_Loaded
    seg = lst._seg
    pc = lst._pc
    k = lst._k
    new = _rt.new_view
    out: List[Any] = []
    append = out.append
    for r in rows:
        s0, s1, s2, l0, h0 = r
        v: Any = new(cls)
        v._ctx = ctx
        v._seg = seg
        v._d = d
        v._n = n
        q = d + n  # byte offset of the pointer section
        v._p = q >> 3
        v._c = pc
        v._k = k
        v._v = r  # (its first values are the struct's scalars)
        v.id = s0
        v.startByte = s1
        v.endByte = s2
        b0 = budget
        try:
            if l0 & 3 == 1 and l0 < 0x80000000 and (h0 - 10) & -0x7FF9 == 0:
                s = q + 6 + (l0 << 1)
                e = s + (h0 >> 3) - 1
                w = (h0 + 56) >> 6
                if budget >= w and not b[e]:  # NUL-terminated (b[e] checks bounds)
                    v.docComment = dec(b[s:e])
                    budget -= w
                else:
                    budget = _rt.eager(v, Node_SourceInfo_Reader, 'docComment', budget)
            elif not (l0 or h0):
                v.docComment = ''
            else:
                budget = _rt.fill(v, ctx, Node_SourceInfo_Reader, 'docComment', l0, h0, 'text', budget)
        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):
            ctx.budget = b0
            return _rt.plain_rest(lst, out, start + len(out), stop)
        append(v)
        d += stride
    ctx.budget = budget
    return out


class Node_SourceInfo_Member_Reader(_rt.StructView):
    """Reader of struct Member (0xc2ba9038898e1fa2): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def docComment(self) -> str:
        return _rt.text(self, 0)


class _Node_SourceInfo_Member_Loaded(Node_SourceInfo_Member_Reader, _rt.ListElement):
    """Node_SourceInfo_Member_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('docComment',)


def _Node_SourceInfo_Member_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Member."""
    b, dec, d, rows = lst.rows(start, stop, '', 1)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Node_SourceInfo_Member_Loaded
    out: List[Any] = []
    append = out.append
    q = d + n  # byte offset of the pointer section
    for l0, h0 in rows:
        v: Any = cls()
        v._l = lst
        v._q = q
        b0 = budget
        try:
            if l0 & 3 == 1 and l0 < 0x80000000 and (h0 - 10) & -0x7FF9 == 0:
                s = q + 6 + (l0 << 1)
                e = s + (h0 >> 3) - 1
                w = (h0 + 56) >> 6
                if budget >= w and not b[e]:  # NUL-terminated (b[e] checks bounds)
                    v.docComment = dec(b[s:e])
                    budget -= w
                else:
                    budget = _rt.eager(v, Node_SourceInfo_Member_Reader, 'docComment', budget)
            elif not (l0 or h0):
                v.docComment = ''
            else:
                budget = _rt.fill(v, ctx, Node_SourceInfo_Member_Reader, 'docComment', l0, h0, 'text', budget)
        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):
            ctx.budget = b0
            return _rt.plain_rest(lst, out, start + len(out), stop)
        append(v)
        q += stride
    ctx.budget = budget
    return out


class Field_Reader(_rt.StructView):
    """Reader of struct Field (0x9aad50a41f4af45f): 3 data words, 4 pointers."""

    __slots__ = ()

    def which(self) -> Field_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[2]
        return _M_Field_Which[e] if e < 2 else Field_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 10:
            v: Tuple[Any, ...] = _SC13.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC13.read(self)
        self._v = v
        return v

    @property
    def name(self) -> str:
        return _rt.text(self, 0)

    @property
    def codeOrder(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def annotations(self) -> _rt.StructList[Annotation_Reader]:
        return _rt.struct_list(self, 1, Annotation_Reader)

    @property
    def discriminantValue(self) -> int:
        r: int = ((self._v or self._load())[1] ^ 65535)
        return r

    @property
    def slot(self) -> Field_slot_Reader:
        return _rt.group(self, Field_slot_Reader)

    @property
    def group(self) -> Field_group_Reader:
        return _rt.group(self, Field_group_Reader)

    @property
    def ordinal(self) -> Field_ordinal_Reader:
        return _rt.group(self, Field_ordinal_Reader)


class _Field_Loaded(Field_Reader):
    """Field_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('codeOrder', 'discriminantValue', 'name')


def _Field_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Field."""
    b, dec, d, rows = lst.rows(start, stop, 'HH4xH', 1)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Field_Loaded
    seg = lst._seg
    pc = lst._pc
    k = lst._k
    new = _rt.new_view
    out: List[Any] = []
    append = out.append
    for r in rows:
        s0, s1, s2, l0, h0 = r
        v: Any = new(cls)
        v._ctx = ctx
        v._seg = seg
        v._d = d
        v._n = n
        q = d + n  # byte offset of the pointer section
        v._p = q >> 3
        v._c = pc
        v._k = k
        v._v = r  # (its first values are the struct's scalars)
        v.codeOrder = s0
        v.discriminantValue = (s1 ^ 65535)
        b0 = budget
        try:
            if l0 & 3 == 1 and l0 < 0x80000000 and (h0 - 10) & -0x7FF9 == 0:
                s = q + 6 + (l0 << 1)
                e = s + (h0 >> 3) - 1
                w = (h0 + 56) >> 6
                if budget >= w and not b[e]:  # NUL-terminated (b[e] checks bounds)
                    v.name = dec(b[s:e])
                    budget -= w
                else:
                    budget = _rt.eager(v, Field_Reader, 'name', budget)
            elif not (l0 or h0):
                v.name = ''
            else:
                budget = _rt.fill(v, ctx, Field_Reader, 'name', l0, h0, 'text', budget)
        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):
            ctx.budget = b0
            return _rt.plain_rest(lst, out, start + len(out), stop)
        append(v)
        d += stride
    ctx.budget = budget
    return out


class Field_slot_Reader(_rt.StructView):
    """Reader of group slot (0xc42305476bb4746f): 3 data words, 4 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 17:
            v: Tuple[Any, ...] = _SC14.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC14.read(self)
        self._v = v
        return v

    @property
    def offset(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def type(self) -> Type_Reader:
        return _rt.struct_field(self, 2, Type_Reader)

    @property
    def defaultValue(self) -> Value_Reader:
        return _rt.struct_field(self, 3, Value_Reader)

    @property
    def hadExplicitDefault(self) -> bool:
        r: bool = (self._v or self._load())[1] & 1 != 0
        return r


class Field_group_Reader(_rt.StructView):
    """Reader of group group (0xcafccddb68db1d11): 3 data words, 4 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 24:
            v: Tuple[Any, ...] = _SC15.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC15.read(self)
        self._v = v
        return v

    @property
    def typeId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r


class Field_ordinal_Reader(_rt.StructView):
    """Reader of group ordinal (0xbb90d5c287870be6): 3 data words, 4 pointers."""

    __slots__ = ()

    def which(self) -> Field_ordinal_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_Field_ordinal_Which[e] if e < 2 else Field_ordinal_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 12:
            v: Tuple[Any, ...] = _SC16.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC16.read(self)
        self._v = v
        return v

    @property
    def implicit(self) -> None:
        return None

    @property
    def explicit(self) -> int:
        if self._n >= 14:
            return self._seg.u16[(self._d >> 1) + 6]
        return 0


class Enumerant_Reader(_rt.StructView):
    """Reader of struct Enumerant (0x978a7cebdc549a4d): 1 data words, 2 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 2:
            v: Tuple[Any, ...] = _SC17.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC17.read(self)
        self._v = v
        return v

    @property
    def name(self) -> str:
        return _rt.text(self, 0)

    @property
    def codeOrder(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def annotations(self) -> _rt.StructList[Annotation_Reader]:
        return _rt.struct_list(self, 1, Annotation_Reader)


class _Enumerant_Loaded(Enumerant_Reader):
    """Enumerant_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('codeOrder', 'name')


def _Enumerant_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Enumerant."""
    b, dec, d, rows = lst.rows(start, stop, 'H', 1)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Enumerant_Loaded
    seg = lst._seg
    pc = lst._pc
    k = lst._k
    new = _rt.new_view
    out: List[Any] = []
    append = out.append
    for r in rows:
        s0, l0, h0 = r
        v: Any = new(cls)
        v._ctx = ctx
        v._seg = seg
        v._d = d
        v._n = n
        q = d + n  # byte offset of the pointer section
        v._p = q >> 3
        v._c = pc
        v._k = k
        v._v = r  # (its first values are the struct's scalars)
        v.codeOrder = s0
        b0 = budget
        try:
            if l0 & 3 == 1 and l0 < 0x80000000 and (h0 - 10) & -0x7FF9 == 0:
                s = q + 6 + (l0 << 1)
                e = s + (h0 >> 3) - 1
                w = (h0 + 56) >> 6
                if budget >= w and not b[e]:  # NUL-terminated (b[e] checks bounds)
                    v.name = dec(b[s:e])
                    budget -= w
                else:
                    budget = _rt.eager(v, Enumerant_Reader, 'name', budget)
            elif not (l0 or h0):
                v.name = ''
            else:
                budget = _rt.fill(v, ctx, Enumerant_Reader, 'name', l0, h0, 'text', budget)
        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):
            ctx.budget = b0
            return _rt.plain_rest(lst, out, start + len(out), stop)
        append(v)
        d += stride
    ctx.budget = budget
    return out


class Superclass_Reader(_rt.StructView):
    """Reader of struct Superclass (0xa9962a9ed0a4d7f8): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC10.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC10.read(self)
        self._v = v
        return v

    @property
    def id(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def brand(self) -> Brand_Reader:
        return _rt.struct_field(self, 0, Brand_Reader)


class _Superclass_Loaded(Superclass_Reader):
    """Superclass_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('id',)


def _Superclass_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Superclass."""
    b, dec, d, rows = lst.rows(start, stop, 'Q', 0)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Superclass_Loaded
    seg = lst._seg
    pc = lst._pc
    k = lst._k
    new = _rt.new_view
    out: List[Any] = []
    append = out.append
    for r in rows:
        s0, = r
        v: Any = new(cls)
        v._ctx = ctx
        v._seg = seg
        v._d = d
        v._n = n
        q = d + n  # byte offset of the pointer section
        v._p = q >> 3
        v._c = pc
        v._k = k
        v._v = r  # (its first values are the struct's scalars)
        v.id = s0
        append(v)
        d += stride
    ctx.budget = budget
    return out


class Method_Reader(_rt.StructView):
    """Reader of struct Method (0x9500cce23b334d80): 3 data words, 5 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 24:
            v: Tuple[Any, ...] = _SC18.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC18.read(self)
        self._v = v
        return v

    @property
    def name(self) -> str:
        return _rt.text(self, 0)

    @property
    def codeOrder(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def paramStructType(self) -> int:
        r: int = (self._v or self._load())[1]
        return r

    @property
    def resultStructType(self) -> int:
        r: int = (self._v or self._load())[2]
        return r

    @property
    def annotations(self) -> _rt.StructList[Annotation_Reader]:
        return _rt.struct_list(self, 1, Annotation_Reader)

    @property
    def paramBrand(self) -> Brand_Reader:
        return _rt.struct_field(self, 2, Brand_Reader)

    @property
    def resultBrand(self) -> Brand_Reader:
        return _rt.struct_field(self, 3, Brand_Reader)

    @property
    def implicitParameters(self) -> _rt.StructList[Node_Parameter_Reader]:
        return _rt.struct_list(self, 4, Node_Parameter_Reader)


class _Method_Loaded(Method_Reader):
    """Method_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('codeOrder', 'paramStructType', 'resultStructType', 'name')


def _Method_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Method."""
    b, dec, d, rows = lst.rows(start, stop, 'H6xQQ', 1)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Method_Loaded
    seg = lst._seg
    pc = lst._pc
    k = lst._k
    new = _rt.new_view
    out: List[Any] = []
    append = out.append
    for r in rows:
        s0, s1, s2, l0, h0 = r
        v: Any = new(cls)
        v._ctx = ctx
        v._seg = seg
        v._d = d
        v._n = n
        q = d + n  # byte offset of the pointer section
        v._p = q >> 3
        v._c = pc
        v._k = k
        v._v = r  # (its first values are the struct's scalars)
        v.codeOrder = s0
        v.paramStructType = s1
        v.resultStructType = s2
        b0 = budget
        try:
            if l0 & 3 == 1 and l0 < 0x80000000 and (h0 - 10) & -0x7FF9 == 0:
                s = q + 6 + (l0 << 1)
                e = s + (h0 >> 3) - 1
                w = (h0 + 56) >> 6
                if budget >= w and not b[e]:  # NUL-terminated (b[e] checks bounds)
                    v.name = dec(b[s:e])
                    budget -= w
                else:
                    budget = _rt.eager(v, Method_Reader, 'name', budget)
            elif not (l0 or h0):
                v.name = ''
            else:
                budget = _rt.fill(v, ctx, Method_Reader, 'name', l0, h0, 'text', budget)
        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):
            ctx.budget = b0
            return _rt.plain_rest(lst, out, start + len(out), stop)
        append(v)
        d += stride
    ctx.budget = budget
    return out


class Type_Reader(_rt.StructView):
    """Reader of struct Type (0xd07378ede1f9cc60): 3 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> Type_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_Type_Which[e] if e < 19 else Type_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 2:
            v: Tuple[Any, ...] = _SC17.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC17.read(self)
        self._v = v
        return v

    @property
    def void(self) -> None:
        return None

    @property
    def bool(self) -> None:
        return None

    @property
    def int8(self) -> None:
        return None

    @property
    def int16(self) -> None:
        return None

    @property
    def int32(self) -> None:
        return None

    @property
    def int64(self) -> None:
        return None

    @property
    def uint8(self) -> None:
        return None

    @property
    def uint16(self) -> None:
        return None

    @property
    def uint32(self) -> None:
        return None

    @property
    def uint64(self) -> None:
        return None

    @property
    def float32(self) -> None:
        return None

    @property
    def float64(self) -> None:
        return None

    @property
    def text(self) -> None:
        return None

    @property
    def data(self) -> None:
        return None

    @property
    def list(self) -> Type_list_Reader:
        return _rt.group(self, Type_list_Reader)

    @property
    def enum(self) -> Type_enum_Reader:
        return _rt.group(self, Type_enum_Reader)

    @property
    def struct(self) -> Type_struct_Reader:
        return _rt.group(self, Type_struct_Reader)

    @property
    def interface(self) -> Type_interface_Reader:
        return _rt.group(self, Type_interface_Reader)

    @property
    def anyPointer(self) -> Type_anyPointer_Reader:
        return _rt.group(self, Type_anyPointer_Reader)


class Type_list_Reader(_rt.StructView):
    """Reader of group list (0x87e739250a60ea97): 3 data words, 1 pointers."""

    __slots__ = ()

    @property
    def elementType(self) -> Type_Reader:
        return _rt.struct_field(self, 0, Type_Reader)


class Type_enum_Reader(_rt.StructView):
    """Reader of group enum (0x9e0e78711a7f87a9): 3 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 16:
            v: Tuple[Any, ...] = _SC19.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC19.read(self)
        self._v = v
        return v

    @property
    def typeId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def brand(self) -> Brand_Reader:
        return _rt.struct_field(self, 0, Brand_Reader)


class Type_struct_Reader(_rt.StructView):
    """Reader of group struct (0xac3a6f60ef4cc6d3): 3 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 16:
            v: Tuple[Any, ...] = _SC19.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC19.read(self)
        self._v = v
        return v

    @property
    def typeId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def brand(self) -> Brand_Reader:
        return _rt.struct_field(self, 0, Brand_Reader)


class Type_interface_Reader(_rt.StructView):
    """Reader of group interface (0xed8bca69f7fb0cbf): 3 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 16:
            v: Tuple[Any, ...] = _SC19.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC19.read(self)
        self._v = v
        return v

    @property
    def typeId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def brand(self) -> Brand_Reader:
        return _rt.struct_field(self, 0, Brand_Reader)


class Type_anyPointer_Reader(_rt.StructView):
    """Reader of group anyPointer (0xc2573fe8a23e49f1): 3 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> Type_anyPointer_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_Type_anyPointer_Which[e] if e < 3 else Type_anyPointer_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 10:
            v: Tuple[Any, ...] = _SC20.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC20.read(self)
        self._v = v
        return v

    @property
    def unconstrained(self) -> Type_anyPointer_unconstrained_Reader:
        return _rt.group(self, Type_anyPointer_unconstrained_Reader)

    @property
    def parameter(self) -> Type_anyPointer_parameter_Reader:
        return _rt.group(self, Type_anyPointer_parameter_Reader)

    @property
    def implicitMethodParameter(self) -> Type_anyPointer_implicitMethodParameter_Reader:
        return _rt.group(self, Type_anyPointer_implicitMethodParameter_Reader)


class Type_anyPointer_unconstrained_Reader(_rt.StructView):
    """Reader of group unconstrained (0x8e3b5f79fe593656): 3 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> Type_anyPointer_unconstrained_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_Type_anyPointer_unconstrained_Which[e] if e < 4 else Type_anyPointer_unconstrained_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 12:
            v: Tuple[Any, ...] = _SC16.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC16.read(self)
        self._v = v
        return v

    @property
    def anyKind(self) -> None:
        return None

    @property
    def struct(self) -> None:
        return None

    @property
    def list(self) -> None:
        return None

    @property
    def capability(self) -> None:
        return None


class Type_anyPointer_parameter_Reader(_rt.StructView):
    """Reader of group parameter (0x9dd1f724f4614a85): 3 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 24:
            v: Tuple[Any, ...] = _SC21.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC21.read(self)
        self._v = v
        return v

    @property
    def scopeId(self) -> int:
        r: int = (self._v or self._load())[1]
        return r

    @property
    def parameterIndex(self) -> int:
        r: int = (self._v or self._load())[0]
        return r


class Type_anyPointer_implicitMethodParameter_Reader(_rt.StructView):
    """Reader of group implicitMethodParameter (0xbaefc9120c56e274): 3 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 12:
            v: Tuple[Any, ...] = _SC16.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC16.read(self)
        self._v = v
        return v

    @property
    def parameterIndex(self) -> int:
        r: int = (self._v or self._load())[0]
        return r


class Brand_Reader(_rt.StructView):
    """Reader of struct Brand (0x903455f06065422b): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def scopes(self) -> _rt.StructList[Brand_Scope_Reader]:
        return _rt.struct_list(self, 0, Brand_Scope_Reader)


class Brand_Scope_Reader(_rt.StructView):
    """Reader of struct Scope (0xabd73485a9636bc9): 2 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> Brand_Scope_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[1]
        return _M_Brand_Scope_Which[e] if e < 2 else Brand_Scope_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 10:
            v: Tuple[Any, ...] = _SC23.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC23.read(self)
        self._v = v
        return v

    @property
    def scopeId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def bind(self) -> _rt.StructList[Brand_Binding_Reader]:
        return _rt.struct_list(self, 0, Brand_Binding_Reader)

    @property
    def inherit(self) -> None:
        return None


class _Brand_Scope_Loaded(Brand_Scope_Reader):
    """Brand_Scope_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('scopeId',)


def _Brand_Scope_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Scope."""
    b, dec, d, rows = lst.rows(start, stop, 'QH', 0)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Brand_Scope_Loaded
    seg = lst._seg
    pc = lst._pc
    k = lst._k
    new = _rt.new_view
    out: List[Any] = []
    append = out.append
    for r in rows:
        s0, s1 = r
        v: Any = new(cls)
        v._ctx = ctx
        v._seg = seg
        v._d = d
        v._n = n
        q = d + n  # byte offset of the pointer section
        v._p = q >> 3
        v._c = pc
        v._k = k
        v._v = r  # (its first values are the struct's scalars)
        v.scopeId = s0
        append(v)
        d += stride
    ctx.budget = budget
    return out


class Brand_Binding_Reader(_rt.StructView):
    """Reader of struct Binding (0xc863cd16969ee7fc): 1 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> Brand_Binding_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_Brand_Binding_Which[e] if e < 2 else Brand_Binding_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 2:
            v: Tuple[Any, ...] = _SC17.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC17.read(self)
        self._v = v
        return v

    @property
    def unbound(self) -> None:
        return None

    @property
    def type(self) -> Type_Reader:
        return _rt.struct_field(self, 0, Type_Reader)


class Value_Reader(_rt.StructView):
    """Reader of struct Value (0xce23dcd2d7b00c9b): 2 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> Value_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_Value_Which[e] if e < 19 else Value_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 2:
            v: Tuple[Any, ...] = _SC17.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC17.read(self)
        self._v = v
        return v

    @property
    def void(self) -> None:
        return None

    @property
    def bool(self) -> bool:
        if self._n > 2:
            return (self._seg.u8[self._d + 2] >> 0) & 1 == 1
        return False

    @property
    def int8(self) -> int:
        if self._n >= 3:
            return self._seg.i8[self._d + 2]
        return 0

    @property
    def int16(self) -> int:
        if self._n >= 4:
            return self._seg.i16[(self._d >> 1) + 1]
        return 0

    @property
    def int32(self) -> int:
        if self._n >= 8:
            return self._seg.i32[(self._d >> 2) + 1]
        return 0

    @property
    def int64(self) -> int:
        if self._n >= 16:
            return self._seg.i64[(self._d >> 3) + 1]
        return 0

    @property
    def uint8(self) -> int:
        if self._n >= 3:
            return self._seg.u8[self._d + 2]
        return 0

    @property
    def uint16(self) -> int:
        if self._n >= 4:
            return self._seg.u16[(self._d >> 1) + 1]
        return 0

    @property
    def uint32(self) -> int:
        if self._n >= 8:
            return self._seg.u32[(self._d >> 2) + 1]
        return 0

    @property
    def uint64(self) -> int:
        if self._n >= 16:
            return self._seg.u64[(self._d >> 3) + 1]
        return 0

    @property
    def float32(self) -> float:
        if self._n >= 8:
            return self._seg.f32[(self._d >> 2) + 1]
        return 0.0

    @property
    def float64(self) -> float:
        if self._n >= 16:
            return self._seg.f64[(self._d >> 3) + 1]
        return 0.0

    @property
    def text(self) -> str:
        return _rt.text(self, 0)

    @property
    def data(self) -> bytes:
        return _rt.data(self, 0)

    @property
    def list(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(0)

    @property
    def enum(self) -> int:
        if self._n >= 4:
            return self._seg.u16[(self._d >> 1) + 1]
        return 0

    @property
    def struct(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(0)

    @property
    def interface(self) -> None:
        return None

    @property
    def anyPointer(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(0)


class Annotation_Reader(_rt.StructView):
    """Reader of struct Annotation (0xf1c8950dab257542): 1 data words, 2 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC10.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC10.read(self)
        self._v = v
        return v

    @property
    def id(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def value(self) -> Value_Reader:
        return _rt.struct_field(self, 0, Value_Reader)

    @property
    def brand(self) -> Brand_Reader:
        return _rt.struct_field(self, 1, Brand_Reader)


class _Annotation_Loaded(Annotation_Reader):
    """Annotation_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('id',)


def _Annotation_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Annotation."""
    b, dec, d, rows = lst.rows(start, stop, 'Q', 0)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Annotation_Loaded
    seg = lst._seg
    pc = lst._pc
    k = lst._k
    new = _rt.new_view
    out: List[Any] = []
    append = out.append
    for r in rows:
        s0, = r
        v: Any = new(cls)
        v._ctx = ctx
        v._seg = seg
        v._d = d
        v._n = n
        q = d + n  # byte offset of the pointer section
        v._p = q >> 3
        v._c = pc
        v._k = k
        v._v = r  # (its first values are the struct's scalars)
        v.id = s0
        append(v)
        d += stride
    ctx.budget = budget
    return out


class CapnpVersion_Reader(_rt.StructView):
    """Reader of struct CapnpVersion (0xd85d305b7d839963): 1 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 4:
            v: Tuple[Any, ...] = _SC25.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC25.read(self)
        self._v = v
        return v

    @property
    def major(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def minor(self) -> int:
        r: int = (self._v or self._load())[1]
        return r

    @property
    def micro(self) -> int:
        r: int = (self._v or self._load())[2]
        return r


class CodeGeneratorRequest_Reader(_rt.StructView):
    """Reader of struct CodeGeneratorRequest (0xbfc546f6210ad7ce): 0 data words, 4 pointers."""

    __slots__ = ()

    @property
    def nodes(self) -> _rt.StructList[Node_Reader]:
        return _rt.struct_list(self, 0, Node_Reader)

    @property
    def requestedFiles(self) -> _rt.StructList[CodeGeneratorRequest_RequestedFile_Reader]:
        return _rt.struct_list(self, 1, CodeGeneratorRequest_RequestedFile_Reader)

    @property
    def capnpVersion(self) -> CapnpVersion_Reader:
        return _rt.struct_field(self, 2, CapnpVersion_Reader)

    @property
    def sourceInfo(self) -> _rt.StructList[Node_SourceInfo_Reader]:
        return _rt.struct_list(self, 3, Node_SourceInfo_Reader)


class CodeGeneratorRequest_RequestedFile_Reader(_rt.StructView):
    """Reader of struct RequestedFile (0xcfea0eb02e810062): 1 data words, 3 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC10.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC10.read(self)
        self._v = v
        return v

    @property
    def id(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def filename(self) -> str:
        return _rt.text(self, 0)

    @property
    def imports(self) -> _rt.StructList[CodeGeneratorRequest_RequestedFile_Import_Reader]:
        return _rt.struct_list(self, 1, CodeGeneratorRequest_RequestedFile_Import_Reader)

    @property
    def fileSourceInfo(self) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Reader:
        return _rt.struct_field(self, 2, CodeGeneratorRequest_RequestedFile_FileSourceInfo_Reader)


class _CodeGeneratorRequest_RequestedFile_Loaded(CodeGeneratorRequest_RequestedFile_Reader):
    """CodeGeneratorRequest_RequestedFile_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('id', 'filename')


def _CodeGeneratorRequest_RequestedFile_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of RequestedFile."""
    b, dec, d, rows = lst.rows(start, stop, 'Q', 1)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _CodeGeneratorRequest_RequestedFile_Loaded
    seg = lst._seg
    pc = lst._pc
    k = lst._k
    new = _rt.new_view
    out: List[Any] = []
    append = out.append
    for r in rows:
        s0, l0, h0 = r
        v: Any = new(cls)
        v._ctx = ctx
        v._seg = seg
        v._d = d
        v._n = n
        q = d + n  # byte offset of the pointer section
        v._p = q >> 3
        v._c = pc
        v._k = k
        v._v = r  # (its first values are the struct's scalars)
        v.id = s0
        b0 = budget
        try:
            if l0 & 3 == 1 and l0 < 0x80000000 and (h0 - 10) & -0x7FF9 == 0:
                s = q + 6 + (l0 << 1)
                e = s + (h0 >> 3) - 1
                w = (h0 + 56) >> 6
                if budget >= w and not b[e]:  # NUL-terminated (b[e] checks bounds)
                    v.filename = dec(b[s:e])
                    budget -= w
                else:
                    budget = _rt.eager(v, CodeGeneratorRequest_RequestedFile_Reader, 'filename', budget)
            elif not (l0 or h0):
                v.filename = ''
            else:
                budget = _rt.fill(v, ctx, CodeGeneratorRequest_RequestedFile_Reader, 'filename', l0, h0, 'text', budget)
        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):
            ctx.budget = b0
            return _rt.plain_rest(lst, out, start + len(out), stop)
        append(v)
        d += stride
    ctx.budget = budget
    return out


class CodeGeneratorRequest_RequestedFile_Import_Reader(_rt.StructView):
    """Reader of struct Import (0xae504193122357e5): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC10.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC10.read(self)
        self._v = v
        return v

    @property
    def id(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def name(self) -> str:
        return _rt.text(self, 0)


class _CodeGeneratorRequest_RequestedFile_Import_Loaded(CodeGeneratorRequest_RequestedFile_Import_Reader, _rt.ListElement):
    """CodeGeneratorRequest_RequestedFile_Import_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('id', 'name')


def _CodeGeneratorRequest_RequestedFile_Import_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Import."""
    b, dec, d, rows = lst.rows(start, stop, 'Q', 1)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _CodeGeneratorRequest_RequestedFile_Import_Loaded
    out: List[Any] = []
    append = out.append
    q = d + n  # byte offset of the pointer section
    for s0, l0, h0 in rows:
        v: Any = cls()
        v._l = lst
        v._q = q
        v.id = s0
        b0 = budget
        try:
            if l0 & 3 == 1 and l0 < 0x80000000 and (h0 - 10) & -0x7FF9 == 0:
                s = q + 6 + (l0 << 1)
                e = s + (h0 >> 3) - 1
                w = (h0 + 56) >> 6
                if budget >= w and not b[e]:  # NUL-terminated (b[e] checks bounds)
                    v.name = dec(b[s:e])
                    budget -= w
                else:
                    budget = _rt.eager(v, CodeGeneratorRequest_RequestedFile_Import_Reader, 'name', budget)
            elif not (l0 or h0):
                v.name = ''
            else:
                budget = _rt.fill(v, ctx, CodeGeneratorRequest_RequestedFile_Import_Reader, 'name', l0, h0, 'text', budget)
        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):
            ctx.budget = b0
            return _rt.plain_rest(lst, out, start + len(out), stop)
        append(v)
        q += stride
    ctx.budget = budget
    return out


class CodeGeneratorRequest_RequestedFile_FileSourceInfo_Reader(_rt.StructView):
    """Reader of struct FileSourceInfo (0xf8ea2bf176925da0): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def identifiers(self) -> _rt.StructList[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader]:
        return _rt.struct_list(self, 0, CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader)


class CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader(_rt.StructView):
    """Reader of struct Identifier (0xdda719892e0499bb): 3 data words, 0 pointers."""

    __slots__ = ()

    def which(self) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[2]
        return _M_CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Which[e] if e < 2 else CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 18:
            v: Tuple[Any, ...] = _SC31.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC31.read(self)
        self._v = v
        return v

    @property
    def startByte(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def endByte(self) -> int:
        r: int = (self._v or self._load())[1]
        return r

    @property
    def typeId(self) -> int:
        if self._n >= 16:
            return self._seg.u64[(self._d >> 3) + 1]
        return 0

    @property
    def member(self) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_member_Reader:
        return _rt.group(self, CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_member_Reader)


class _CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Loaded(CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader):
    """CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('startByte', 'endByte')


def _CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Identifier."""
    b, dec, d, rows = lst.rows(start, stop, 'II8xH', 0)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Loaded
    seg = lst._seg
    pc = lst._pc
    k = lst._k
    new = _rt.new_view
    out: List[Any] = []
    append = out.append
    for r in rows:
        s0, s1, s2 = r
        v: Any = new(cls)
        v._ctx = ctx
        v._seg = seg
        v._d = d
        v._n = n
        q = d + n  # byte offset of the pointer section
        v._p = q >> 3
        v._c = pc
        v._k = k
        v._v = r  # (its first values are the struct's scalars)
        v.startByte = s0
        v.endByte = s1
        append(v)
        d += stride
    ctx.budget = budget
    return out


class CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_member_Reader(_rt.StructView):
    """Reader of group member (0xfc69d5e1d630a151): 3 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 20:
            v: Tuple[Any, ...] = _SC32.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC32.read(self)
        self._v = v
        return v

    @property
    def parentTypeId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def ordinal(self) -> int:
        r: int = (self._v or self._load())[1]
        return r


class Node_Builder(_rt.BuilderBase):
    """Builder of struct Node (0xe682ab4cf923a417)."""

    __slots__ = ('_which', 'id', '_f_displayName', 'displayNamePrefixLength', 'scopeId', '_f_nestedNodes', '_f_annotations', '_g_struct', '_g_enum', '_g_interface', '_g_const', '_g_annotation', '_f_parameters', 'isGeneric', 'startByte', 'endByte')
    _DW = 6
    _PC = 6
    _HI = 0x6000600000000
    _ZERO = bytes(96)
    id: int
    displayNamePrefixLength: int
    scopeId: int
    isGeneric: bool
    startByte: int
    endByte: int

    def __init__(self) -> None:
        self._which: int = 0
        self.id = 0
        self._f_displayName: Optional[str] = None
        self.displayNamePrefixLength = 0
        self.scopeId = 0
        self._f_nestedNodes: Optional[List[Node_NestedNode_Builder]] = None
        self._f_annotations: Optional[List[Annotation_Builder]] = None
        self._g_struct: Node_struct_Builder = Node_struct_Builder()
        self._g_enum: Node_enum_Builder = Node_enum_Builder()
        self._g_interface: Node_interface_Builder = Node_interface_Builder()
        self._g_const: Node_const_Builder = Node_const_Builder()
        self._g_annotation: Node_annotation_Builder = Node_annotation_Builder()
        self._f_parameters: Optional[List[Node_Parameter_Builder]] = None
        self.isGeneric = False
        self.startByte = 0
        self.endByte = 0

    @staticmethod
    def _new_list(n: int) -> List[Node_Builder]:
        out: List[Node_Builder] = []
        new = Node_Builder.__new__
        for _ in range(n):
            self = new(Node_Builder)
            self._which = 0
            self.id = 0
            self._f_displayName = None
            self.displayNamePrefixLength = 0
            self.scopeId = 0
            self._f_nestedNodes = None
            self._f_annotations = None
            self._g_struct = Node_struct_Builder()
            self._g_enum = Node_enum_Builder()
            self._g_interface = Node_interface_Builder()
            self._g_const = Node_const_Builder()
            self._g_annotation = Node_annotation_Builder()
            self._f_parameters = None
            self.isGeneric = False
            self.startByte = 0
            self.endByte = 0
            out.append(self)
        return out

    def which(self) -> Node_Which:
        v = self._which
        return _M_Node_Which[v] if v < 6 else Node_Which(v)

    @property
    def displayName(self) -> str:
        v = self._f_displayName
        return "" if v is None else v

    @displayName.setter
    def displayName(self, value: str) -> None:
        self._f_displayName = value

    @property
    def nestedNodes(self) -> List[Node_NestedNode_Builder]:
        v = self._f_nestedNodes
        if v is None:
            v = self._f_nestedNodes = _rt.UnsetList()
        return v

    @nestedNodes.setter
    def nestedNodes(self, value: List[Node_NestedNode_Builder]) -> None:
        self._f_nestedNodes = value

    def init_nestedNodes(self, n: int) -> List[Node_NestedNode_Builder]:
        v: List[Node_NestedNode_Builder] = Node_NestedNode_Builder._new_list(n)
        self._f_nestedNodes = v
        return v

    @property
    def annotations(self) -> List[Annotation_Builder]:
        v = self._f_annotations
        if v is None:
            v = self._f_annotations = _rt.UnsetList()
        return v

    @annotations.setter
    def annotations(self, value: List[Annotation_Builder]) -> None:
        self._f_annotations = value

    def init_annotations(self, n: int) -> List[Annotation_Builder]:
        v: List[Annotation_Builder] = Annotation_Builder._new_list(n)
        self._f_annotations = v
        return v

    @property
    def file(self) -> None:
        return None

    @file.setter
    def file(self, value: None) -> None:
        self._which = 0

    @property
    def struct(self) -> Node_struct_Builder:
        if self._which != 1:
            raise _rt.inactive_member('struct', self.which())
        return self._g_struct

    def init_struct(self) -> Node_struct_Builder:
        v = self._g_struct = Node_struct_Builder()
        self._which = 1
        return v

    @property
    def enum(self) -> Node_enum_Builder:
        if self._which != 2:
            raise _rt.inactive_member('enum', self.which())
        return self._g_enum

    def init_enum(self) -> Node_enum_Builder:
        v = self._g_enum = Node_enum_Builder()
        self._which = 2
        return v

    @property
    def interface(self) -> Node_interface_Builder:
        if self._which != 3:
            raise _rt.inactive_member('interface', self.which())
        return self._g_interface

    def init_interface(self) -> Node_interface_Builder:
        v = self._g_interface = Node_interface_Builder()
        self._which = 3
        return v

    @property
    def const(self) -> Node_const_Builder:
        if self._which != 4:
            raise _rt.inactive_member('const', self.which())
        return self._g_const

    def init_const(self) -> Node_const_Builder:
        v = self._g_const = Node_const_Builder()
        self._which = 4
        return v

    @property
    def annotation(self) -> Node_annotation_Builder:
        if self._which != 5:
            raise _rt.inactive_member('annotation', self.which())
        return self._g_annotation

    def init_annotation(self) -> Node_annotation_Builder:
        v = self._g_annotation = Node_annotation_Builder()
        self._which = 5
        return v

    @property
    def parameters(self) -> List[Node_Parameter_Builder]:
        v = self._f_parameters
        if v is None:
            v = self._f_parameters = _rt.UnsetList()
        return v

    @parameters.setter
    def parameters(self, value: List[Node_Parameter_Builder]) -> None:
        self._f_parameters = value

    def init_parameters(self, n: int) -> List[Node_Parameter_Builder]:
        v: List[Node_Parameter_Builder] = Node_Parameter_Builder._new_list(n)
        self._f_parameters = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S40.pack_into(
                buf, at,
                self.id,
                self.displayNamePrefixLength,
                self._which,
                self.scopeId,
                (1 if (bit288 := self.isGeneric) is True else 0 if bit288 is False else _rt.bool_bit(bit288, 1, 'Node.isGeneric')),
                self.startByte,
                self.endByte,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Node", exc) from None
        try:
            if self._which == 1:
                _S41.pack_into(buf, at + 14, self._g_struct.dataWordCount)
                _S41.pack_into(buf, at + 24, self._g_struct.pointerCount)
                _S41.pack_into(buf, at + 26, self._g_struct.preferredListEncoding)
                buf[at + 28] |= (1 if (bit224 := self._g_struct.isGroup) is True else 0 if bit224 is False else _rt.bool_bit(bit224, 1, 'Node.struct.isGroup'))
                _S41.pack_into(buf, at + 30, self._g_struct.discriminantCount)
                _S42.pack_into(buf, at + 32, self._g_struct.discriminantOffset)
            if self._which == 5:
                buf[at + 14] |= (1 if (bit112 := self._g_annotation.targetsFile) is True else 0 if bit112 is False else _rt.bool_bit(bit112, 1, 'Node.annotation.targetsFile'))
                buf[at + 14] |= (2 if (bit113 := self._g_annotation.targetsConst) is True else 0 if bit113 is False else _rt.bool_bit(bit113, 2, 'Node.annotation.targetsConst'))
                buf[at + 14] |= (4 if (bit114 := self._g_annotation.targetsEnum) is True else 0 if bit114 is False else _rt.bool_bit(bit114, 4, 'Node.annotation.targetsEnum'))
                buf[at + 14] |= (8 if (bit115 := self._g_annotation.targetsEnumerant) is True else 0 if bit115 is False else _rt.bool_bit(bit115, 8, 'Node.annotation.targetsEnumerant'))
                buf[at + 14] |= (16 if (bit116 := self._g_annotation.targetsStruct) is True else 0 if bit116 is False else _rt.bool_bit(bit116, 16, 'Node.annotation.targetsStruct'))
                buf[at + 14] |= (32 if (bit117 := self._g_annotation.targetsField) is True else 0 if bit117 is False else _rt.bool_bit(bit117, 32, 'Node.annotation.targetsField'))
                buf[at + 14] |= (64 if (bit118 := self._g_annotation.targetsUnion) is True else 0 if bit118 is False else _rt.bool_bit(bit118, 64, 'Node.annotation.targetsUnion'))
                buf[at + 14] |= (128 if (bit119 := self._g_annotation.targetsGroup) is True else 0 if bit119 is False else _rt.bool_bit(bit119, 128, 'Node.annotation.targetsGroup'))
                buf[at + 15] |= (1 if (bit120 := self._g_annotation.targetsInterface) is True else 0 if bit120 is False else _rt.bool_bit(bit120, 1, 'Node.annotation.targetsInterface'))
                buf[at + 15] |= (2 if (bit121 := self._g_annotation.targetsMethod) is True else 0 if bit121 is False else _rt.bool_bit(bit121, 2, 'Node.annotation.targetsMethod'))
                buf[at + 15] |= (4 if (bit122 := self._g_annotation.targetsParam) is True else 0 if bit122 is False else _rt.bool_bit(bit122, 4, 'Node.annotation.targetsParam'))
                buf[at + 15] |= (8 if (bit123 := self._g_annotation.targetsAnnotation) is True else 0 if bit123 is False else _rt.bool_bit(bit123, 8, 'Node.annotation.targetsAnnotation'))
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Node", exc) from None
        p0 = self._f_displayName
        if p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'Node.displayName') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 48, ((s0 - at - 56) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_nestedNodes
        if p1 is not None:
            _WS33.write(buf, at + 56, p1)
        p2 = self._f_annotations
        if p2 is not None:
            _WS34.write(buf, at + 64, p2)
        p3 = self._g_struct._f_fields
        if self._which == 1 and p3 is not None:
            _WS35.write(buf, at + 72, p3)
        p4 = self._g_enum._f_enumerants
        if self._which == 2 and p4 is not None:
            _WS36.write(buf, at + 72, p4)
        p5 = self._g_interface._f_methods
        if self._which == 3 and p5 is not None:
            _WS37.write(buf, at + 72, p5)
        p6 = self._g_const._f_type
        if self._which == 4 and p6 is not None:
            _rt.write_struct_of(buf, at + 72, p6, Type_Builder, 'Node.const.type')
        p7 = self._g_annotation._f_type
        if self._which == 5 and p7 is not None:
            _rt.write_struct_of(buf, at + 72, p7, Type_Builder, 'Node.annotation.type')
        p8 = self._g_interface._f_superclasses
        if self._which == 3 and p8 is not None:
            _WS38.write(buf, at + 80, p8)
        p9 = self._g_const._f_value
        if self._which == 4 and p9 is not None:
            _rt.write_struct_of(buf, at + 80, p9, Value_Builder, 'Node.const.value')
        p10 = self._f_parameters
        if p10 is not None:
            _WS39.write(buf, at + 88, p10)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not Node_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S40.pack_into(
                    buf, at,
                    v.id,
                    v.displayNamePrefixLength,
                    v._which,
                    v.scopeId,
                    (1 if (bit288 := v.isGeneric) is True else 0 if bit288 is False else _rt.bool_bit(bit288, 1, 'Node.isGeneric')),
                    v.startByte,
                    v.endByte,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Node", exc) from None
            try:
                if v._which == 1:
                    _S41.pack_into(buf, at + 14, v._g_struct.dataWordCount)
                    _S41.pack_into(buf, at + 24, v._g_struct.pointerCount)
                    _S41.pack_into(buf, at + 26, v._g_struct.preferredListEncoding)
                    buf[at + 28] |= (1 if (bit224 := v._g_struct.isGroup) is True else 0 if bit224 is False else _rt.bool_bit(bit224, 1, 'Node.struct.isGroup'))
                    _S41.pack_into(buf, at + 30, v._g_struct.discriminantCount)
                    _S42.pack_into(buf, at + 32, v._g_struct.discriminantOffset)
                if v._which == 5:
                    buf[at + 14] |= (1 if (bit112 := v._g_annotation.targetsFile) is True else 0 if bit112 is False else _rt.bool_bit(bit112, 1, 'Node.annotation.targetsFile'))
                    buf[at + 14] |= (2 if (bit113 := v._g_annotation.targetsConst) is True else 0 if bit113 is False else _rt.bool_bit(bit113, 2, 'Node.annotation.targetsConst'))
                    buf[at + 14] |= (4 if (bit114 := v._g_annotation.targetsEnum) is True else 0 if bit114 is False else _rt.bool_bit(bit114, 4, 'Node.annotation.targetsEnum'))
                    buf[at + 14] |= (8 if (bit115 := v._g_annotation.targetsEnumerant) is True else 0 if bit115 is False else _rt.bool_bit(bit115, 8, 'Node.annotation.targetsEnumerant'))
                    buf[at + 14] |= (16 if (bit116 := v._g_annotation.targetsStruct) is True else 0 if bit116 is False else _rt.bool_bit(bit116, 16, 'Node.annotation.targetsStruct'))
                    buf[at + 14] |= (32 if (bit117 := v._g_annotation.targetsField) is True else 0 if bit117 is False else _rt.bool_bit(bit117, 32, 'Node.annotation.targetsField'))
                    buf[at + 14] |= (64 if (bit118 := v._g_annotation.targetsUnion) is True else 0 if bit118 is False else _rt.bool_bit(bit118, 64, 'Node.annotation.targetsUnion'))
                    buf[at + 14] |= (128 if (bit119 := v._g_annotation.targetsGroup) is True else 0 if bit119 is False else _rt.bool_bit(bit119, 128, 'Node.annotation.targetsGroup'))
                    buf[at + 15] |= (1 if (bit120 := v._g_annotation.targetsInterface) is True else 0 if bit120 is False else _rt.bool_bit(bit120, 1, 'Node.annotation.targetsInterface'))
                    buf[at + 15] |= (2 if (bit121 := v._g_annotation.targetsMethod) is True else 0 if bit121 is False else _rt.bool_bit(bit121, 2, 'Node.annotation.targetsMethod'))
                    buf[at + 15] |= (4 if (bit122 := v._g_annotation.targetsParam) is True else 0 if bit122 is False else _rt.bool_bit(bit122, 4, 'Node.annotation.targetsParam'))
                    buf[at + 15] |= (8 if (bit123 := v._g_annotation.targetsAnnotation) is True else 0 if bit123 is False else _rt.bool_bit(bit123, 8, 'Node.annotation.targetsAnnotation'))
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Node", exc) from None
            p0 = v._f_displayName
            if p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'Node.displayName') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 48, ((s0 - at - 56) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_nestedNodes
            if p1 is not None:
                _WS33.write(buf, at + 56, p1)
            p2 = v._f_annotations
            if p2 is not None:
                _WS34.write(buf, at + 64, p2)
            p3 = v._g_struct._f_fields
            if v._which == 1 and p3 is not None:
                _WS35.write(buf, at + 72, p3)
            p4 = v._g_enum._f_enumerants
            if v._which == 2 and p4 is not None:
                _WS36.write(buf, at + 72, p4)
            p5 = v._g_interface._f_methods
            if v._which == 3 and p5 is not None:
                _WS37.write(buf, at + 72, p5)
            p6 = v._g_const._f_type
            if v._which == 4 and p6 is not None:
                _rt.write_struct_of(buf, at + 72, p6, Type_Builder, 'Node.const.type')
            p7 = v._g_annotation._f_type
            if v._which == 5 and p7 is not None:
                _rt.write_struct_of(buf, at + 72, p7, Type_Builder, 'Node.annotation.type')
            p8 = v._g_interface._f_superclasses
            if v._which == 3 and p8 is not None:
                _WS38.write(buf, at + 80, p8)
            p9 = v._g_const._f_value
            if v._which == 4 and p9 is not None:
                _rt.write_struct_of(buf, at + 80, p9, Value_Builder, 'Node.const.value')
            p10 = v._f_parameters
            if p10 is not None:
                _WS39.write(buf, at + 88, p10)
            at += 96

    def as_reader(self) -> Node_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Node_Reader.from_flat_bytes(self.to_flat_bytes())


class Node_struct_Builder(_rt.BuilderBase):
    """Builder of group struct (0x9ea0b19b37fb4435)."""

    __slots__ = ('dataWordCount', 'pointerCount', 'preferredListEncoding', 'isGroup', 'discriminantCount', 'discriminantOffset', '_f_fields')
    dataWordCount: int
    pointerCount: int
    preferredListEncoding: ElementSize
    isGroup: bool
    discriminantCount: int
    discriminantOffset: int

    def __init__(self) -> None:
        self.dataWordCount = 0
        self.pointerCount = 0
        self.preferredListEncoding = ElementSize.empty
        self.isGroup = False
        self.discriminantCount = 0
        self.discriminantOffset = 0
        self._f_fields: Optional[List[Field_Builder]] = None

    @property
    def fields(self) -> List[Field_Builder]:
        v = self._f_fields
        if v is None:
            v = self._f_fields = _rt.UnsetList()
        return v

    @fields.setter
    def fields(self, value: List[Field_Builder]) -> None:
        self._f_fields = value

    def init_fields(self, n: int) -> List[Field_Builder]:
        v: List[Field_Builder] = Field_Builder._new_list(n)
        self._f_fields = v
        return v


class Node_enum_Builder(_rt.BuilderBase):
    """Builder of group enum (0xb54ab3364333f598)."""

    __slots__ = ('_f_enumerants',)

    def __init__(self) -> None:
        self._f_enumerants: Optional[List[Enumerant_Builder]] = None

    @property
    def enumerants(self) -> List[Enumerant_Builder]:
        v = self._f_enumerants
        if v is None:
            v = self._f_enumerants = _rt.UnsetList()
        return v

    @enumerants.setter
    def enumerants(self, value: List[Enumerant_Builder]) -> None:
        self._f_enumerants = value

    def init_enumerants(self, n: int) -> List[Enumerant_Builder]:
        v: List[Enumerant_Builder] = Enumerant_Builder._new_list(n)
        self._f_enumerants = v
        return v


class Node_interface_Builder(_rt.BuilderBase):
    """Builder of group interface (0xe82753cff0c2218f)."""

    __slots__ = ('_f_methods', '_f_superclasses')

    def __init__(self) -> None:
        self._f_methods: Optional[List[Method_Builder]] = None
        self._f_superclasses: Optional[List[Superclass_Builder]] = None

    @property
    def methods(self) -> List[Method_Builder]:
        v = self._f_methods
        if v is None:
            v = self._f_methods = _rt.UnsetList()
        return v

    @methods.setter
    def methods(self, value: List[Method_Builder]) -> None:
        self._f_methods = value

    def init_methods(self, n: int) -> List[Method_Builder]:
        v: List[Method_Builder] = Method_Builder._new_list(n)
        self._f_methods = v
        return v

    @property
    def superclasses(self) -> List[Superclass_Builder]:
        v = self._f_superclasses
        if v is None:
            v = self._f_superclasses = _rt.UnsetList()
        return v

    @superclasses.setter
    def superclasses(self, value: List[Superclass_Builder]) -> None:
        self._f_superclasses = value

    def init_superclasses(self, n: int) -> List[Superclass_Builder]:
        v: List[Superclass_Builder] = Superclass_Builder._new_list(n)
        self._f_superclasses = v
        return v


class Node_const_Builder(_rt.BuilderBase):
    """Builder of group const (0xb18aa5ac7a0d9420)."""

    __slots__ = ('_f_type', '_f_value')

    def __init__(self) -> None:
        self._f_type: Optional[Type_Builder] = None
        self._f_value: Optional[Value_Builder] = None

    @property
    def type(self) -> Type_Builder:
        v = self._f_type
        if v is None:
            v = self._f_type = Type_Builder()
        return v

    @type.setter
    def type(self, value: Type_Builder) -> None:
        self._f_type = value

    def init_type(self) -> Type_Builder:
        v = self._f_type = Type_Builder()
        return v

    @property
    def value(self) -> Value_Builder:
        v = self._f_value
        if v is None:
            v = self._f_value = Value_Builder()
        return v

    @value.setter
    def value(self, value: Value_Builder) -> None:
        self._f_value = value

    def init_value(self) -> Value_Builder:
        v = self._f_value = Value_Builder()
        return v


class Node_annotation_Builder(_rt.BuilderBase):
    """Builder of group annotation (0xec1619d4400a0290)."""

    __slots__ = ('_f_type', 'targetsFile', 'targetsConst', 'targetsEnum', 'targetsEnumerant', 'targetsStruct', 'targetsField', 'targetsUnion', 'targetsGroup', 'targetsInterface', 'targetsMethod', 'targetsParam', 'targetsAnnotation')
    targetsFile: bool
    targetsConst: bool
    targetsEnum: bool
    targetsEnumerant: bool
    targetsStruct: bool
    targetsField: bool
    targetsUnion: bool
    targetsGroup: bool
    targetsInterface: bool
    targetsMethod: bool
    targetsParam: bool
    targetsAnnotation: bool

    def __init__(self) -> None:
        self._f_type: Optional[Type_Builder] = None
        self.targetsFile = False
        self.targetsConst = False
        self.targetsEnum = False
        self.targetsEnumerant = False
        self.targetsStruct = False
        self.targetsField = False
        self.targetsUnion = False
        self.targetsGroup = False
        self.targetsInterface = False
        self.targetsMethod = False
        self.targetsParam = False
        self.targetsAnnotation = False

    @property
    def type(self) -> Type_Builder:
        v = self._f_type
        if v is None:
            v = self._f_type = Type_Builder()
        return v

    @type.setter
    def type(self, value: Type_Builder) -> None:
        self._f_type = value

    def init_type(self) -> Type_Builder:
        v = self._f_type = Type_Builder()
        return v


class Node_Parameter_Builder(_rt.BuilderBase):
    """Builder of struct Parameter (0xb9521bccf10fa3b1)."""

    __slots__ = ('_f_name',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_name: Optional[str] = None

    @staticmethod
    def _new_list(n: int) -> List[Node_Parameter_Builder]:
        out: List[Node_Parameter_Builder] = []
        new = Node_Parameter_Builder.__new__
        for _ in range(n):
            self = new(Node_Parameter_Builder)
            self._f_name = None
            out.append(self)
        return out

    @property
    def name(self) -> str:
        v = self._f_name
        return "" if v is None else v

    @name.setter
    def name(self, value: str) -> None:
        self._f_name = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_name
        if p0 is None:
            a0 = b0 = 0
        else:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'Node.Parameter.name') from None
            a0 = ((len(buf) - at - 8) >> 1) | 1
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            b0 = (k0 << 3) + 10
        try:
            _S43.pack_into(
                buf, at,
                a0,
                b0,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Node_Parameter", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not Node_Parameter_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_name
            if p0 is None:
                a0 = b0 = 0
            else:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'Node.Parameter.name') from None
                a0 = ((len(buf) - at - 8) >> 1) | 1
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                b0 = (k0 << 3) + 10
            try:
                _S43.pack_into(
                    buf, at,
                    a0,
                    b0,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Node_Parameter", exc) from None
            at += 8

    def as_reader(self) -> Node_Parameter_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Node_Parameter_Reader.from_flat_bytes(self.to_flat_bytes())


class Node_NestedNode_Builder(_rt.BuilderBase):
    """Builder of struct NestedNode (0xdebf55bbfa0fc242)."""

    __slots__ = ('_f_name', 'id')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    id: int

    def __init__(self) -> None:
        self._f_name: Optional[str] = None
        self.id = 0

    @staticmethod
    def _new_list(n: int) -> List[Node_NestedNode_Builder]:
        out: List[Node_NestedNode_Builder] = []
        new = Node_NestedNode_Builder.__new__
        for _ in range(n):
            self = new(Node_NestedNode_Builder)
            self._f_name = None
            self.id = 0
            out.append(self)
        return out

    @property
    def name(self) -> str:
        v = self._f_name
        return "" if v is None else v

    @name.setter
    def name(self, value: str) -> None:
        self._f_name = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_name
        if p0 is None:
            a0 = b0 = 0
        else:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'Node.NestedNode.name') from None
            a0 = ((len(buf) - at - 16) >> 1) | 1
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            b0 = (k0 << 3) + 10
        try:
            _S44.pack_into(
                buf, at,
                self.id,
                a0,
                b0,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Node_NestedNode", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not Node_NestedNode_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_name
            if p0 is None:
                a0 = b0 = 0
            else:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'Node.NestedNode.name') from None
                a0 = ((len(buf) - at - 16) >> 1) | 1
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                b0 = (k0 << 3) + 10
            try:
                _S44.pack_into(
                    buf, at,
                    v.id,
                    a0,
                    b0,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Node_NestedNode", exc) from None
            at += 16

    def as_reader(self) -> Node_NestedNode_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Node_NestedNode_Reader.from_flat_bytes(self.to_flat_bytes())


class Node_SourceInfo_Builder(_rt.BuilderBase):
    """Builder of struct SourceInfo (0xf38e1de3041357ae)."""

    __slots__ = ('id', '_f_docComment', '_f_members', 'startByte', 'endByte')
    _DW = 2
    _PC = 2
    _HI = 0x2000200000000
    _ZERO = bytes(32)
    id: int
    startByte: int
    endByte: int

    def __init__(self) -> None:
        self.id = 0
        self._f_docComment: Optional[str] = None
        self._f_members: Optional[List[Node_SourceInfo_Member_Builder]] = None
        self.startByte = 0
        self.endByte = 0

    @staticmethod
    def _new_list(n: int) -> List[Node_SourceInfo_Builder]:
        out: List[Node_SourceInfo_Builder] = []
        new = Node_SourceInfo_Builder.__new__
        for _ in range(n):
            self = new(Node_SourceInfo_Builder)
            self.id = 0
            self._f_docComment = None
            self._f_members = None
            self.startByte = 0
            self.endByte = 0
            out.append(self)
        return out

    @property
    def docComment(self) -> str:
        v = self._f_docComment
        return "" if v is None else v

    @docComment.setter
    def docComment(self, value: str) -> None:
        self._f_docComment = value

    @property
    def members(self) -> List[Node_SourceInfo_Member_Builder]:
        v = self._f_members
        if v is None:
            v = self._f_members = _rt.UnsetList()
        return v

    @members.setter
    def members(self, value: List[Node_SourceInfo_Member_Builder]) -> None:
        self._f_members = value

    def init_members(self, n: int) -> List[Node_SourceInfo_Member_Builder]:
        v: List[Node_SourceInfo_Member_Builder] = Node_SourceInfo_Member_Builder._new_list(n)
        self._f_members = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S44.pack_into(
                buf, at,
                self.id,
                self.startByte,
                self.endByte,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Node_SourceInfo", exc) from None
        p0 = self._f_docComment
        if p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'Node.SourceInfo.docComment') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 16, ((s0 - at - 24) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_members
        if p1 is not None:
            _WS45.write(buf, at + 24, p1)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not Node_SourceInfo_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S44.pack_into(
                    buf, at,
                    v.id,
                    v.startByte,
                    v.endByte,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Node_SourceInfo", exc) from None
            p0 = v._f_docComment
            if p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'Node.SourceInfo.docComment') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 16, ((s0 - at - 24) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_members
            if p1 is not None:
                _WS45.write(buf, at + 24, p1)
            at += 32

    def as_reader(self) -> Node_SourceInfo_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Node_SourceInfo_Reader.from_flat_bytes(self.to_flat_bytes())


class Node_SourceInfo_Member_Builder(_rt.BuilderBase):
    """Builder of struct Member (0xc2ba9038898e1fa2)."""

    __slots__ = ('_f_docComment',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_docComment: Optional[str] = None

    @staticmethod
    def _new_list(n: int) -> List[Node_SourceInfo_Member_Builder]:
        out: List[Node_SourceInfo_Member_Builder] = []
        new = Node_SourceInfo_Member_Builder.__new__
        for _ in range(n):
            self = new(Node_SourceInfo_Member_Builder)
            self._f_docComment = None
            out.append(self)
        return out

    @property
    def docComment(self) -> str:
        v = self._f_docComment
        return "" if v is None else v

    @docComment.setter
    def docComment(self, value: str) -> None:
        self._f_docComment = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_docComment
        if p0 is None:
            a0 = b0 = 0
        else:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'Node.SourceInfo.Member.docComment') from None
            a0 = ((len(buf) - at - 8) >> 1) | 1
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            b0 = (k0 << 3) + 10
        try:
            _S43.pack_into(
                buf, at,
                a0,
                b0,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Node_SourceInfo_Member", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not Node_SourceInfo_Member_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_docComment
            if p0 is None:
                a0 = b0 = 0
            else:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'Node.SourceInfo.Member.docComment') from None
                a0 = ((len(buf) - at - 8) >> 1) | 1
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                b0 = (k0 << 3) + 10
            try:
                _S43.pack_into(
                    buf, at,
                    a0,
                    b0,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Node_SourceInfo_Member", exc) from None
            at += 8

    def as_reader(self) -> Node_SourceInfo_Member_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Node_SourceInfo_Member_Reader.from_flat_bytes(self.to_flat_bytes())


class Field_Builder(_rt.BuilderBase):
    """Builder of struct Field (0x9aad50a41f4af45f)."""

    __slots__ = ('_which', '_f_name', 'codeOrder', '_f_annotations', 'discriminantValue', '_g_slot', '_g_group', 'ordinal')
    _DW = 3
    _PC = 4
    _HI = 0x4000300000000
    _ZERO = bytes(56)
    codeOrder: int
    discriminantValue: int
    ordinal: Field_ordinal_Builder

    def __init__(self) -> None:
        self._which: int = 0
        self._f_name: Optional[str] = None
        self.codeOrder = 0
        self._f_annotations: Optional[List[Annotation_Builder]] = None
        self.discriminantValue = 65535
        self._g_slot: Field_slot_Builder = Field_slot_Builder()
        self._g_group: Field_group_Builder = Field_group_Builder()
        self.ordinal = Field_ordinal_Builder()

    @staticmethod
    def _new_list(n: int) -> List[Field_Builder]:
        out: List[Field_Builder] = []
        new = Field_Builder.__new__
        for _ in range(n):
            self = new(Field_Builder)
            self._which = 0
            self._f_name = None
            self.codeOrder = 0
            self._f_annotations = None
            self.discriminantValue = 65535
            self._g_slot = Field_slot_Builder()
            self._g_group = Field_group_Builder()
            self.ordinal = Field_ordinal_Builder()
            out.append(self)
        return out

    def which(self) -> Field_Which:
        v = self._which
        return _M_Field_Which[v] if v < 2 else Field_Which(v)

    @property
    def name(self) -> str:
        v = self._f_name
        return "" if v is None else v

    @name.setter
    def name(self, value: str) -> None:
        self._f_name = value

    @property
    def annotations(self) -> List[Annotation_Builder]:
        v = self._f_annotations
        if v is None:
            v = self._f_annotations = _rt.UnsetList()
        return v

    @annotations.setter
    def annotations(self, value: List[Annotation_Builder]) -> None:
        self._f_annotations = value

    def init_annotations(self, n: int) -> List[Annotation_Builder]:
        v: List[Annotation_Builder] = Annotation_Builder._new_list(n)
        self._f_annotations = v
        return v

    @property
    def slot(self) -> Field_slot_Builder:
        if self._which != 0:
            raise _rt.inactive_member('slot', self.which())
        return self._g_slot

    def init_slot(self) -> Field_slot_Builder:
        v = self._g_slot = Field_slot_Builder()
        self._which = 0
        return v

    @property
    def group(self) -> Field_group_Builder:
        if self._which != 1:
            raise _rt.inactive_member('group', self.which())
        return self._g_group

    def init_group(self) -> Field_group_Builder:
        v = self._g_group = Field_group_Builder()
        self._which = 1
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S46.pack_into(
                buf, at,
                self.codeOrder,
                self.discriminantValue ^ 65535,
                self._which,
                self.ordinal._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Field", exc) from None
        try:
            if self._which == 0:
                _S42.pack_into(buf, at + 4, self._g_slot.offset)
                buf[at + 16] |= (1 if (bit128 := self._g_slot.hadExplicitDefault) is True else 0 if bit128 is False else _rt.bool_bit(bit128, 1, 'Field.slot.hadExplicitDefault'))
            if self._which == 1:
                _S47.pack_into(buf, at + 16, self._g_group.typeId)
            if self.ordinal._which == 1:
                _S41.pack_into(buf, at + 12, self.ordinal._f_explicit)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Field", exc) from None
        p0 = self._f_name
        if p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'Field.name') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 24, ((s0 - at - 32) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_annotations
        if p1 is not None:
            _WS34.write(buf, at + 32, p1)
        p2 = self._g_slot._f_type
        if self._which == 0 and p2 is not None:
            _rt.write_struct_of(buf, at + 40, p2, Type_Builder, 'Field.slot.type')
        p3 = self._g_slot._f_defaultValue
        if self._which == 0 and p3 is not None:
            _rt.write_struct_of(buf, at + 48, p3, Value_Builder, 'Field.slot.defaultValue')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not Field_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S46.pack_into(
                    buf, at,
                    v.codeOrder,
                    v.discriminantValue ^ 65535,
                    v._which,
                    v.ordinal._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Field", exc) from None
            try:
                if v._which == 0:
                    _S42.pack_into(buf, at + 4, v._g_slot.offset)
                    buf[at + 16] |= (1 if (bit128 := v._g_slot.hadExplicitDefault) is True else 0 if bit128 is False else _rt.bool_bit(bit128, 1, 'Field.slot.hadExplicitDefault'))
                if v._which == 1:
                    _S47.pack_into(buf, at + 16, v._g_group.typeId)
                if v.ordinal._which == 1:
                    _S41.pack_into(buf, at + 12, v.ordinal._f_explicit)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Field", exc) from None
            p0 = v._f_name
            if p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'Field.name') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 24, ((s0 - at - 32) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_annotations
            if p1 is not None:
                _WS34.write(buf, at + 32, p1)
            p2 = v._g_slot._f_type
            if v._which == 0 and p2 is not None:
                _rt.write_struct_of(buf, at + 40, p2, Type_Builder, 'Field.slot.type')
            p3 = v._g_slot._f_defaultValue
            if v._which == 0 and p3 is not None:
                _rt.write_struct_of(buf, at + 48, p3, Value_Builder, 'Field.slot.defaultValue')
            at += 56

    def as_reader(self) -> Field_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Field_Reader.from_flat_bytes(self.to_flat_bytes())


class Field_slot_Builder(_rt.BuilderBase):
    """Builder of group slot (0xc42305476bb4746f)."""

    __slots__ = ('offset', '_f_type', '_f_defaultValue', 'hadExplicitDefault')
    offset: int
    hadExplicitDefault: bool

    def __init__(self) -> None:
        self.offset = 0
        self._f_type: Optional[Type_Builder] = None
        self._f_defaultValue: Optional[Value_Builder] = None
        self.hadExplicitDefault = False

    @property
    def type(self) -> Type_Builder:
        v = self._f_type
        if v is None:
            v = self._f_type = Type_Builder()
        return v

    @type.setter
    def type(self, value: Type_Builder) -> None:
        self._f_type = value

    def init_type(self) -> Type_Builder:
        v = self._f_type = Type_Builder()
        return v

    @property
    def defaultValue(self) -> Value_Builder:
        v = self._f_defaultValue
        if v is None:
            v = self._f_defaultValue = Value_Builder()
        return v

    @defaultValue.setter
    def defaultValue(self, value: Value_Builder) -> None:
        self._f_defaultValue = value

    def init_defaultValue(self) -> Value_Builder:
        v = self._f_defaultValue = Value_Builder()
        return v


class Field_group_Builder(_rt.BuilderBase):
    """Builder of group group (0xcafccddb68db1d11)."""

    __slots__ = ('typeId',)
    typeId: int

    def __init__(self) -> None:
        self.typeId = 0


class Field_ordinal_Builder(_rt.BuilderBase):
    """Builder of group ordinal (0xbb90d5c287870be6)."""

    __slots__ = ('_which', '_f_explicit')

    def __init__(self) -> None:
        self._which: int = 0
        self._f_explicit: int = 0

    def which(self) -> Field_ordinal_Which:
        v = self._which
        return _M_Field_ordinal_Which[v] if v < 2 else Field_ordinal_Which(v)

    @property
    def implicit(self) -> None:
        return None

    @implicit.setter
    def implicit(self, value: None) -> None:
        self._which = 0

    @property
    def explicit(self) -> int:
        return self._f_explicit

    @explicit.setter
    def explicit(self, value: int) -> None:
        self._f_explicit = value
        self._which = 1


class Enumerant_Builder(_rt.BuilderBase):
    """Builder of struct Enumerant (0x978a7cebdc549a4d)."""

    __slots__ = ('_f_name', 'codeOrder', '_f_annotations')
    _DW = 1
    _PC = 2
    _HI = 0x2000100000000
    _ZERO = bytes(24)
    codeOrder: int

    def __init__(self) -> None:
        self._f_name: Optional[str] = None
        self.codeOrder = 0
        self._f_annotations: Optional[List[Annotation_Builder]] = None

    @staticmethod
    def _new_list(n: int) -> List[Enumerant_Builder]:
        out: List[Enumerant_Builder] = []
        new = Enumerant_Builder.__new__
        for _ in range(n):
            self = new(Enumerant_Builder)
            self._f_name = None
            self.codeOrder = 0
            self._f_annotations = None
            out.append(self)
        return out

    @property
    def name(self) -> str:
        v = self._f_name
        return "" if v is None else v

    @name.setter
    def name(self, value: str) -> None:
        self._f_name = value

    @property
    def annotations(self) -> List[Annotation_Builder]:
        v = self._f_annotations
        if v is None:
            v = self._f_annotations = _rt.UnsetList()
        return v

    @annotations.setter
    def annotations(self, value: List[Annotation_Builder]) -> None:
        self._f_annotations = value

    def init_annotations(self, n: int) -> List[Annotation_Builder]:
        v: List[Annotation_Builder] = Annotation_Builder._new_list(n)
        self._f_annotations = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S41.pack_into(
                buf, at,
                self.codeOrder,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Enumerant", exc) from None
        p0 = self._f_name
        if p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'Enumerant.name') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 8, ((s0 - at - 16) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_annotations
        if p1 is not None:
            _WS34.write(buf, at + 16, p1)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not Enumerant_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S41.pack_into(
                    buf, at,
                    v.codeOrder,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Enumerant", exc) from None
            p0 = v._f_name
            if p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'Enumerant.name') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 8, ((s0 - at - 16) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_annotations
            if p1 is not None:
                _WS34.write(buf, at + 16, p1)
            at += 24

    def as_reader(self) -> Enumerant_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Enumerant_Reader.from_flat_bytes(self.to_flat_bytes())


class Superclass_Builder(_rt.BuilderBase):
    """Builder of struct Superclass (0xa9962a9ed0a4d7f8)."""

    __slots__ = ('id', '_f_brand')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    id: int

    def __init__(self) -> None:
        self.id = 0
        self._f_brand: Optional[Brand_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[Superclass_Builder]:
        out: List[Superclass_Builder] = []
        new = Superclass_Builder.__new__
        for _ in range(n):
            self = new(Superclass_Builder)
            self.id = 0
            self._f_brand = None
            out.append(self)
        return out

    @property
    def brand(self) -> Brand_Builder:
        v = self._f_brand
        if v is None:
            v = self._f_brand = Brand_Builder()
        return v

    @brand.setter
    def brand(self, value: Brand_Builder) -> None:
        self._f_brand = value

    def init_brand(self) -> Brand_Builder:
        v = self._f_brand = Brand_Builder()
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S47.pack_into(
                buf, at,
                self.id,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Superclass", exc) from None
        p0 = self._f_brand
        if p0 is not None:
            _rt.write_struct_of(buf, at + 8, p0, Brand_Builder, 'Superclass.brand')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Superclass_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S47.pack_into(
                    buf, at,
                    v.id,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Superclass", exc) from None
            p0 = v._f_brand
            if p0 is not None:
                _rt.write_struct_of(buf, at + 8, p0, Brand_Builder, 'Superclass.brand')
            at += 16

    def as_reader(self) -> Superclass_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Superclass_Reader.from_flat_bytes(self.to_flat_bytes())


class Method_Builder(_rt.BuilderBase):
    """Builder of struct Method (0x9500cce23b334d80)."""

    __slots__ = ('_f_name', 'codeOrder', 'paramStructType', 'resultStructType', '_f_annotations', '_f_paramBrand', '_f_resultBrand', '_f_implicitParameters')
    _DW = 3
    _PC = 5
    _HI = 0x5000300000000
    _ZERO = bytes(64)
    codeOrder: int
    paramStructType: int
    resultStructType: int

    def __init__(self) -> None:
        self._f_name: Optional[str] = None
        self.codeOrder = 0
        self.paramStructType = 0
        self.resultStructType = 0
        self._f_annotations: Optional[List[Annotation_Builder]] = None
        self._f_paramBrand: Optional[Brand_Builder] = None
        self._f_resultBrand: Optional[Brand_Builder] = None
        self._f_implicitParameters: Optional[List[Node_Parameter_Builder]] = None

    @staticmethod
    def _new_list(n: int) -> List[Method_Builder]:
        out: List[Method_Builder] = []
        new = Method_Builder.__new__
        for _ in range(n):
            self = new(Method_Builder)
            self._f_name = None
            self.codeOrder = 0
            self.paramStructType = 0
            self.resultStructType = 0
            self._f_annotations = None
            self._f_paramBrand = None
            self._f_resultBrand = None
            self._f_implicitParameters = None
            out.append(self)
        return out

    @property
    def name(self) -> str:
        v = self._f_name
        return "" if v is None else v

    @name.setter
    def name(self, value: str) -> None:
        self._f_name = value

    @property
    def annotations(self) -> List[Annotation_Builder]:
        v = self._f_annotations
        if v is None:
            v = self._f_annotations = _rt.UnsetList()
        return v

    @annotations.setter
    def annotations(self, value: List[Annotation_Builder]) -> None:
        self._f_annotations = value

    def init_annotations(self, n: int) -> List[Annotation_Builder]:
        v: List[Annotation_Builder] = Annotation_Builder._new_list(n)
        self._f_annotations = v
        return v

    @property
    def paramBrand(self) -> Brand_Builder:
        v = self._f_paramBrand
        if v is None:
            v = self._f_paramBrand = Brand_Builder()
        return v

    @paramBrand.setter
    def paramBrand(self, value: Brand_Builder) -> None:
        self._f_paramBrand = value

    def init_paramBrand(self) -> Brand_Builder:
        v = self._f_paramBrand = Brand_Builder()
        return v

    @property
    def resultBrand(self) -> Brand_Builder:
        v = self._f_resultBrand
        if v is None:
            v = self._f_resultBrand = Brand_Builder()
        return v

    @resultBrand.setter
    def resultBrand(self, value: Brand_Builder) -> None:
        self._f_resultBrand = value

    def init_resultBrand(self) -> Brand_Builder:
        v = self._f_resultBrand = Brand_Builder()
        return v

    @property
    def implicitParameters(self) -> List[Node_Parameter_Builder]:
        v = self._f_implicitParameters
        if v is None:
            v = self._f_implicitParameters = _rt.UnsetList()
        return v

    @implicitParameters.setter
    def implicitParameters(self, value: List[Node_Parameter_Builder]) -> None:
        self._f_implicitParameters = value

    def init_implicitParameters(self, n: int) -> List[Node_Parameter_Builder]:
        v: List[Node_Parameter_Builder] = Node_Parameter_Builder._new_list(n)
        self._f_implicitParameters = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S48.pack_into(
                buf, at,
                self.codeOrder,
                self.paramStructType,
                self.resultStructType,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Method", exc) from None
        p0 = self._f_name
        if p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'Method.name') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 24, ((s0 - at - 32) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_annotations
        if p1 is not None:
            _WS34.write(buf, at + 32, p1)
        p2 = self._f_paramBrand
        if p2 is not None:
            _rt.write_struct_of(buf, at + 40, p2, Brand_Builder, 'Method.paramBrand')
        p3 = self._f_resultBrand
        if p3 is not None:
            _rt.write_struct_of(buf, at + 48, p3, Brand_Builder, 'Method.resultBrand')
        p4 = self._f_implicitParameters
        if p4 is not None:
            _WS39.write(buf, at + 56, p4)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not Method_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S48.pack_into(
                    buf, at,
                    v.codeOrder,
                    v.paramStructType,
                    v.resultStructType,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Method", exc) from None
            p0 = v._f_name
            if p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'Method.name') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 24, ((s0 - at - 32) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_annotations
            if p1 is not None:
                _WS34.write(buf, at + 32, p1)
            p2 = v._f_paramBrand
            if p2 is not None:
                _rt.write_struct_of(buf, at + 40, p2, Brand_Builder, 'Method.paramBrand')
            p3 = v._f_resultBrand
            if p3 is not None:
                _rt.write_struct_of(buf, at + 48, p3, Brand_Builder, 'Method.resultBrand')
            p4 = v._f_implicitParameters
            if p4 is not None:
                _WS39.write(buf, at + 56, p4)
            at += 64

    def as_reader(self) -> Method_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Method_Reader.from_flat_bytes(self.to_flat_bytes())


class Type_Builder(_rt.BuilderBase):
    """Builder of struct Type (0xd07378ede1f9cc60)."""

    __slots__ = ('_which', '_g_list', '_g_enum', '_g_struct', '_g_interface', '_g_anyPointer')
    _DW = 3
    _PC = 1
    _HI = 0x1000300000000
    _ZERO = bytes(32)

    def __init__(self) -> None:
        self._which: int = 0
        self._g_list: Type_list_Builder = Type_list_Builder()
        self._g_enum: Type_enum_Builder = Type_enum_Builder()
        self._g_struct: Type_struct_Builder = Type_struct_Builder()
        self._g_interface: Type_interface_Builder = Type_interface_Builder()
        self._g_anyPointer: Type_anyPointer_Builder = Type_anyPointer_Builder()

    @staticmethod
    def _new_list(n: int) -> List[Type_Builder]:
        out: List[Type_Builder] = []
        new = Type_Builder.__new__
        for _ in range(n):
            self = new(Type_Builder)
            self._which = 0
            self._g_list = Type_list_Builder()
            self._g_enum = Type_enum_Builder()
            self._g_struct = Type_struct_Builder()
            self._g_interface = Type_interface_Builder()
            self._g_anyPointer = Type_anyPointer_Builder()
            out.append(self)
        return out

    def which(self) -> Type_Which:
        v = self._which
        return _M_Type_Which[v] if v < 19 else Type_Which(v)

    @property
    def void(self) -> None:
        return None

    @void.setter
    def void(self, value: None) -> None:
        self._which = 0

    @property
    def bool(self) -> None:
        return None

    @bool.setter
    def bool(self, value: None) -> None:
        self._which = 1

    @property
    def int8(self) -> None:
        return None

    @int8.setter
    def int8(self, value: None) -> None:
        self._which = 2

    @property
    def int16(self) -> None:
        return None

    @int16.setter
    def int16(self, value: None) -> None:
        self._which = 3

    @property
    def int32(self) -> None:
        return None

    @int32.setter
    def int32(self, value: None) -> None:
        self._which = 4

    @property
    def int64(self) -> None:
        return None

    @int64.setter
    def int64(self, value: None) -> None:
        self._which = 5

    @property
    def uint8(self) -> None:
        return None

    @uint8.setter
    def uint8(self, value: None) -> None:
        self._which = 6

    @property
    def uint16(self) -> None:
        return None

    @uint16.setter
    def uint16(self, value: None) -> None:
        self._which = 7

    @property
    def uint32(self) -> None:
        return None

    @uint32.setter
    def uint32(self, value: None) -> None:
        self._which = 8

    @property
    def uint64(self) -> None:
        return None

    @uint64.setter
    def uint64(self, value: None) -> None:
        self._which = 9

    @property
    def float32(self) -> None:
        return None

    @float32.setter
    def float32(self, value: None) -> None:
        self._which = 10

    @property
    def float64(self) -> None:
        return None

    @float64.setter
    def float64(self, value: None) -> None:
        self._which = 11

    @property
    def text(self) -> None:
        return None

    @text.setter
    def text(self, value: None) -> None:
        self._which = 12

    @property
    def data(self) -> None:
        return None

    @data.setter
    def data(self, value: None) -> None:
        self._which = 13

    @property
    def list(self) -> Type_list_Builder:
        if self._which != 14:
            raise _rt.inactive_member('list', self.which())
        return self._g_list

    def init_list(self) -> Type_list_Builder:
        v = self._g_list = Type_list_Builder()
        self._which = 14
        return v

    @property
    def enum(self) -> Type_enum_Builder:
        if self._which != 15:
            raise _rt.inactive_member('enum', self.which())
        return self._g_enum

    def init_enum(self) -> Type_enum_Builder:
        v = self._g_enum = Type_enum_Builder()
        self._which = 15
        return v

    @property
    def struct(self) -> Type_struct_Builder:
        if self._which != 16:
            raise _rt.inactive_member('struct', self.which())
        return self._g_struct

    def init_struct(self) -> Type_struct_Builder:
        v = self._g_struct = Type_struct_Builder()
        self._which = 16
        return v

    @property
    def interface(self) -> Type_interface_Builder:
        if self._which != 17:
            raise _rt.inactive_member('interface', self.which())
        return self._g_interface

    def init_interface(self) -> Type_interface_Builder:
        v = self._g_interface = Type_interface_Builder()
        self._which = 17
        return v

    @property
    def anyPointer(self) -> Type_anyPointer_Builder:
        if self._which != 18:
            raise _rt.inactive_member('anyPointer', self.which())
        return self._g_anyPointer

    def init_anyPointer(self) -> Type_anyPointer_Builder:
        v = self._g_anyPointer = Type_anyPointer_Builder()
        self._which = 18
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S41.pack_into(
                buf, at,
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Type", exc) from None
        try:
            if self._which == 15:
                _S47.pack_into(buf, at + 8, self._g_enum.typeId)
            if self._which == 16:
                _S47.pack_into(buf, at + 8, self._g_struct.typeId)
            if self._which == 17:
                _S47.pack_into(buf, at + 8, self._g_interface.typeId)
            if self._which == 18:
                _S41.pack_into(buf, at + 8, self._g_anyPointer._which)
            if self._which == 18 and self._g_anyPointer._which == 0:
                _S41.pack_into(buf, at + 10, self._g_anyPointer._g_unconstrained._which)
            if self._which == 18 and self._g_anyPointer._which == 1:
                _S47.pack_into(buf, at + 16, self._g_anyPointer._g_parameter.scopeId)
                _S41.pack_into(buf, at + 10, self._g_anyPointer._g_parameter.parameterIndex)
            if self._which == 18 and self._g_anyPointer._which == 2:
                _S41.pack_into(buf, at + 10, self._g_anyPointer._g_implicitMethodParameter.parameterIndex)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Type", exc) from None
        p0 = self._g_list._f_elementType
        if self._which == 14 and p0 is not None:
            _rt.write_struct_of(buf, at + 24, p0, Type_Builder, 'Type.list.elementType')
        p1 = self._g_enum._f_brand
        if self._which == 15 and p1 is not None:
            _rt.write_struct_of(buf, at + 24, p1, Brand_Builder, 'Type.enum.brand')
        p2 = self._g_struct._f_brand
        if self._which == 16 and p2 is not None:
            _rt.write_struct_of(buf, at + 24, p2, Brand_Builder, 'Type.struct.brand')
        p3 = self._g_interface._f_brand
        if self._which == 17 and p3 is not None:
            _rt.write_struct_of(buf, at + 24, p3, Brand_Builder, 'Type.interface.brand')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Type_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S41.pack_into(
                    buf, at,
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Type", exc) from None
            try:
                if v._which == 15:
                    _S47.pack_into(buf, at + 8, v._g_enum.typeId)
                if v._which == 16:
                    _S47.pack_into(buf, at + 8, v._g_struct.typeId)
                if v._which == 17:
                    _S47.pack_into(buf, at + 8, v._g_interface.typeId)
                if v._which == 18:
                    _S41.pack_into(buf, at + 8, v._g_anyPointer._which)
                if v._which == 18 and v._g_anyPointer._which == 0:
                    _S41.pack_into(buf, at + 10, v._g_anyPointer._g_unconstrained._which)
                if v._which == 18 and v._g_anyPointer._which == 1:
                    _S47.pack_into(buf, at + 16, v._g_anyPointer._g_parameter.scopeId)
                    _S41.pack_into(buf, at + 10, v._g_anyPointer._g_parameter.parameterIndex)
                if v._which == 18 and v._g_anyPointer._which == 2:
                    _S41.pack_into(buf, at + 10, v._g_anyPointer._g_implicitMethodParameter.parameterIndex)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Type", exc) from None
            p0 = v._g_list._f_elementType
            if v._which == 14 and p0 is not None:
                _rt.write_struct_of(buf, at + 24, p0, Type_Builder, 'Type.list.elementType')
            p1 = v._g_enum._f_brand
            if v._which == 15 and p1 is not None:
                _rt.write_struct_of(buf, at + 24, p1, Brand_Builder, 'Type.enum.brand')
            p2 = v._g_struct._f_brand
            if v._which == 16 and p2 is not None:
                _rt.write_struct_of(buf, at + 24, p2, Brand_Builder, 'Type.struct.brand')
            p3 = v._g_interface._f_brand
            if v._which == 17 and p3 is not None:
                _rt.write_struct_of(buf, at + 24, p3, Brand_Builder, 'Type.interface.brand')
            at += 32

    def as_reader(self) -> Type_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Type_Reader.from_flat_bytes(self.to_flat_bytes())


class Type_list_Builder(_rt.BuilderBase):
    """Builder of group list (0x87e739250a60ea97)."""

    __slots__ = ('_f_elementType',)

    def __init__(self) -> None:
        self._f_elementType: Optional[Type_Builder] = None

    @property
    def elementType(self) -> Type_Builder:
        v = self._f_elementType
        if v is None:
            v = self._f_elementType = Type_Builder()
        return v

    @elementType.setter
    def elementType(self, value: Type_Builder) -> None:
        self._f_elementType = value

    def init_elementType(self) -> Type_Builder:
        v = self._f_elementType = Type_Builder()
        return v


class Type_enum_Builder(_rt.BuilderBase):
    """Builder of group enum (0x9e0e78711a7f87a9)."""

    __slots__ = ('typeId', '_f_brand')
    typeId: int

    def __init__(self) -> None:
        self.typeId = 0
        self._f_brand: Optional[Brand_Builder] = None

    @property
    def brand(self) -> Brand_Builder:
        v = self._f_brand
        if v is None:
            v = self._f_brand = Brand_Builder()
        return v

    @brand.setter
    def brand(self, value: Brand_Builder) -> None:
        self._f_brand = value

    def init_brand(self) -> Brand_Builder:
        v = self._f_brand = Brand_Builder()
        return v


class Type_struct_Builder(_rt.BuilderBase):
    """Builder of group struct (0xac3a6f60ef4cc6d3)."""

    __slots__ = ('typeId', '_f_brand')
    typeId: int

    def __init__(self) -> None:
        self.typeId = 0
        self._f_brand: Optional[Brand_Builder] = None

    @property
    def brand(self) -> Brand_Builder:
        v = self._f_brand
        if v is None:
            v = self._f_brand = Brand_Builder()
        return v

    @brand.setter
    def brand(self, value: Brand_Builder) -> None:
        self._f_brand = value

    def init_brand(self) -> Brand_Builder:
        v = self._f_brand = Brand_Builder()
        return v


class Type_interface_Builder(_rt.BuilderBase):
    """Builder of group interface (0xed8bca69f7fb0cbf)."""

    __slots__ = ('typeId', '_f_brand')
    typeId: int

    def __init__(self) -> None:
        self.typeId = 0
        self._f_brand: Optional[Brand_Builder] = None

    @property
    def brand(self) -> Brand_Builder:
        v = self._f_brand
        if v is None:
            v = self._f_brand = Brand_Builder()
        return v

    @brand.setter
    def brand(self, value: Brand_Builder) -> None:
        self._f_brand = value

    def init_brand(self) -> Brand_Builder:
        v = self._f_brand = Brand_Builder()
        return v


class Type_anyPointer_Builder(_rt.BuilderBase):
    """Builder of group anyPointer (0xc2573fe8a23e49f1)."""

    __slots__ = ('_which', '_g_unconstrained', '_g_parameter', '_g_implicitMethodParameter')

    def __init__(self) -> None:
        self._which: int = 0
        self._g_unconstrained: Type_anyPointer_unconstrained_Builder = Type_anyPointer_unconstrained_Builder()
        self._g_parameter: Type_anyPointer_parameter_Builder = Type_anyPointer_parameter_Builder()
        self._g_implicitMethodParameter: Type_anyPointer_implicitMethodParameter_Builder = Type_anyPointer_implicitMethodParameter_Builder()

    def which(self) -> Type_anyPointer_Which:
        v = self._which
        return _M_Type_anyPointer_Which[v] if v < 3 else Type_anyPointer_Which(v)

    @property
    def unconstrained(self) -> Type_anyPointer_unconstrained_Builder:
        if self._which != 0:
            raise _rt.inactive_member('unconstrained', self.which())
        return self._g_unconstrained

    def init_unconstrained(self) -> Type_anyPointer_unconstrained_Builder:
        v = self._g_unconstrained = Type_anyPointer_unconstrained_Builder()
        self._which = 0
        return v

    @property
    def parameter(self) -> Type_anyPointer_parameter_Builder:
        if self._which != 1:
            raise _rt.inactive_member('parameter', self.which())
        return self._g_parameter

    def init_parameter(self) -> Type_anyPointer_parameter_Builder:
        v = self._g_parameter = Type_anyPointer_parameter_Builder()
        self._which = 1
        return v

    @property
    def implicitMethodParameter(self) -> Type_anyPointer_implicitMethodParameter_Builder:
        if self._which != 2:
            raise _rt.inactive_member('implicitMethodParameter', self.which())
        return self._g_implicitMethodParameter

    def init_implicitMethodParameter(self) -> Type_anyPointer_implicitMethodParameter_Builder:
        v = self._g_implicitMethodParameter = Type_anyPointer_implicitMethodParameter_Builder()
        self._which = 2
        return v


class Type_anyPointer_unconstrained_Builder(_rt.BuilderBase):
    """Builder of group unconstrained (0x8e3b5f79fe593656)."""

    __slots__ = ('_which',)

    def __init__(self) -> None:
        self._which: int = 0

    def which(self) -> Type_anyPointer_unconstrained_Which:
        v = self._which
        return _M_Type_anyPointer_unconstrained_Which[v] if v < 4 else Type_anyPointer_unconstrained_Which(v)

    @property
    def anyKind(self) -> None:
        return None

    @anyKind.setter
    def anyKind(self, value: None) -> None:
        self._which = 0

    @property
    def struct(self) -> None:
        return None

    @struct.setter
    def struct(self, value: None) -> None:
        self._which = 1

    @property
    def list(self) -> None:
        return None

    @list.setter
    def list(self, value: None) -> None:
        self._which = 2

    @property
    def capability(self) -> None:
        return None

    @capability.setter
    def capability(self, value: None) -> None:
        self._which = 3


class Type_anyPointer_parameter_Builder(_rt.BuilderBase):
    """Builder of group parameter (0x9dd1f724f4614a85)."""

    __slots__ = ('scopeId', 'parameterIndex')
    scopeId: int
    parameterIndex: int

    def __init__(self) -> None:
        self.scopeId = 0
        self.parameterIndex = 0


class Type_anyPointer_implicitMethodParameter_Builder(_rt.BuilderBase):
    """Builder of group implicitMethodParameter (0xbaefc9120c56e274)."""

    __slots__ = ('parameterIndex',)
    parameterIndex: int

    def __init__(self) -> None:
        self.parameterIndex = 0


class Brand_Builder(_rt.BuilderBase):
    """Builder of struct Brand (0x903455f06065422b)."""

    __slots__ = ('_f_scopes',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_scopes: Optional[List[Brand_Scope_Builder]] = None

    @staticmethod
    def _new_list(n: int) -> List[Brand_Builder]:
        out: List[Brand_Builder] = []
        new = Brand_Builder.__new__
        for _ in range(n):
            self = new(Brand_Builder)
            self._f_scopes = None
            out.append(self)
        return out

    @property
    def scopes(self) -> List[Brand_Scope_Builder]:
        v = self._f_scopes
        if v is None:
            v = self._f_scopes = _rt.UnsetList()
        return v

    @scopes.setter
    def scopes(self, value: List[Brand_Scope_Builder]) -> None:
        self._f_scopes = value

    def init_scopes(self, n: int) -> List[Brand_Scope_Builder]:
        v: List[Brand_Scope_Builder] = Brand_Scope_Builder._new_list(n)
        self._f_scopes = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_scopes
        if p0 is not None:
            _WS49.write(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Brand_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_scopes
            if p0 is not None:
                _WS49.write(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> Brand_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Brand_Reader.from_flat_bytes(self.to_flat_bytes())


class Brand_Scope_Builder(_rt.BuilderBase):
    """Builder of struct Scope (0xabd73485a9636bc9)."""

    __slots__ = ('_which', 'scopeId', '_f_bind')
    _DW = 2
    _PC = 1
    _HI = 0x1000200000000
    _ZERO = bytes(24)
    scopeId: int

    def __init__(self) -> None:
        self._which: int = 0
        self.scopeId = 0
        self._f_bind: Optional[List[Brand_Binding_Builder]] = None

    @staticmethod
    def _new_list(n: int) -> List[Brand_Scope_Builder]:
        out: List[Brand_Scope_Builder] = []
        new = Brand_Scope_Builder.__new__
        for _ in range(n):
            self = new(Brand_Scope_Builder)
            self._which = 0
            self.scopeId = 0
            self._f_bind = None
            out.append(self)
        return out

    def which(self) -> Brand_Scope_Which:
        v = self._which
        return _M_Brand_Scope_Which[v] if v < 2 else Brand_Scope_Which(v)

    @property
    def bind(self) -> List[Brand_Binding_Builder]:
        if self._which != 0:
            raise _rt.inactive_member('bind', self.which())
        v = self._f_bind
        if v is None:
            v = self._f_bind = _rt.UnsetList()
        return v

    @bind.setter
    def bind(self, value: List[Brand_Binding_Builder]) -> None:
        self._f_bind = value
        self._which = 0

    def init_bind(self, n: int) -> List[Brand_Binding_Builder]:
        v: List[Brand_Binding_Builder] = Brand_Binding_Builder._new_list(n)
        self._f_bind = v
        self._which = 0
        return v

    @property
    def inherit(self) -> None:
        return None

    @inherit.setter
    def inherit(self, value: None) -> None:
        self._which = 1

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S51.pack_into(
                buf, at,
                self.scopeId,
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Brand_Scope", exc) from None
        p0 = self._f_bind
        if self._which == 0 and p0 is not None:
            _WS50.write(buf, at + 16, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Brand_Scope_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S51.pack_into(
                    buf, at,
                    v.scopeId,
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Brand_Scope", exc) from None
            p0 = v._f_bind
            if v._which == 0 and p0 is not None:
                _WS50.write(buf, at + 16, p0)
            at += 24

    def as_reader(self) -> Brand_Scope_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Brand_Scope_Reader.from_flat_bytes(self.to_flat_bytes())


class Brand_Binding_Builder(_rt.BuilderBase):
    """Builder of struct Binding (0xc863cd16969ee7fc)."""

    __slots__ = ('_which', '_f_type')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)

    def __init__(self) -> None:
        self._which: int = 0
        self._f_type: Optional[Type_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[Brand_Binding_Builder]:
        out: List[Brand_Binding_Builder] = []
        new = Brand_Binding_Builder.__new__
        for _ in range(n):
            self = new(Brand_Binding_Builder)
            self._which = 0
            self._f_type = None
            out.append(self)
        return out

    def which(self) -> Brand_Binding_Which:
        v = self._which
        return _M_Brand_Binding_Which[v] if v < 2 else Brand_Binding_Which(v)

    @property
    def unbound(self) -> None:
        return None

    @unbound.setter
    def unbound(self, value: None) -> None:
        self._which = 0

    @property
    def type(self) -> Type_Builder:
        if self._which != 1:
            raise _rt.inactive_member('type', self.which())
        v = self._f_type
        if v is None:
            v = self._f_type = Type_Builder()
        return v

    @type.setter
    def type(self, value: Type_Builder) -> None:
        self._f_type = value
        self._which = 1

    def init_type(self) -> Type_Builder:
        v = self._f_type = Type_Builder()
        self._which = 1
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S41.pack_into(
                buf, at,
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Brand_Binding", exc) from None
        p0 = self._f_type
        if self._which == 1 and p0 is not None:
            _rt.write_struct_of(buf, at + 8, p0, Type_Builder, 'Brand.Binding.type')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Brand_Binding_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S41.pack_into(
                    buf, at,
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Brand_Binding", exc) from None
            p0 = v._f_type
            if v._which == 1 and p0 is not None:
                _rt.write_struct_of(buf, at + 8, p0, Type_Builder, 'Brand.Binding.type')
            at += 16

    def as_reader(self) -> Brand_Binding_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Brand_Binding_Reader.from_flat_bytes(self.to_flat_bytes())


class Value_Builder(_rt.BuilderBase):
    """Builder of struct Value (0xce23dcd2d7b00c9b)."""

    __slots__ = ('_which', '_f_bool', '_f_int8', '_f_int16', '_f_int32', '_f_int64', '_f_uint8', '_f_uint16', '_f_uint32', '_f_uint64', '_f_float32', '_f_float64', '_f_text', '_f_data', '_f_list', '_f_enum', '_f_struct', '_f_anyPointer')
    _DW = 2
    _PC = 1
    _HI = 0x1000200000000
    _ZERO = bytes(24)

    def __init__(self) -> None:
        self._which: int = 0
        self._f_bool: bool = False
        self._f_int8: int = 0
        self._f_int16: int = 0
        self._f_int32: int = 0
        self._f_int64: int = 0
        self._f_uint8: int = 0
        self._f_uint16: int = 0
        self._f_uint32: int = 0
        self._f_uint64: int = 0
        self._f_float32: float = 0.0
        self._f_float64: float = 0.0
        self._f_text: Optional[str] = None
        self._f_data: Optional[bytes] = None
        self._f_list: Optional[_rt.PointerValue] = None
        self._f_enum: int = 0
        self._f_struct: Optional[_rt.PointerValue] = None
        self._f_anyPointer: Optional[_rt.PointerValue] = None

    @staticmethod
    def _new_list(n: int) -> List[Value_Builder]:
        out: List[Value_Builder] = []
        new = Value_Builder.__new__
        for _ in range(n):
            self = new(Value_Builder)
            self._which = 0
            self._f_bool = False
            self._f_int8 = 0
            self._f_int16 = 0
            self._f_int32 = 0
            self._f_int64 = 0
            self._f_uint8 = 0
            self._f_uint16 = 0
            self._f_uint32 = 0
            self._f_uint64 = 0
            self._f_float32 = 0.0
            self._f_float64 = 0.0
            self._f_text = None
            self._f_data = None
            self._f_list = None
            self._f_enum = 0
            self._f_struct = None
            self._f_anyPointer = None
            out.append(self)
        return out

    def which(self) -> Value_Which:
        v = self._which
        return _M_Value_Which[v] if v < 19 else Value_Which(v)

    @property
    def void(self) -> None:
        return None

    @void.setter
    def void(self, value: None) -> None:
        self._which = 0

    @property
    def bool(self) -> bool:
        return self._f_bool

    @bool.setter
    def bool(self, value: bool) -> None:
        self._f_bool = value
        self._which = 1

    @property
    def int8(self) -> int:
        return self._f_int8

    @int8.setter
    def int8(self, value: int) -> None:
        self._f_int8 = value
        self._which = 2

    @property
    def int16(self) -> int:
        return self._f_int16

    @int16.setter
    def int16(self, value: int) -> None:
        self._f_int16 = value
        self._which = 3

    @property
    def int32(self) -> int:
        return self._f_int32

    @int32.setter
    def int32(self, value: int) -> None:
        self._f_int32 = value
        self._which = 4

    @property
    def int64(self) -> int:
        return self._f_int64

    @int64.setter
    def int64(self, value: int) -> None:
        self._f_int64 = value
        self._which = 5

    @property
    def uint8(self) -> int:
        return self._f_uint8

    @uint8.setter
    def uint8(self, value: int) -> None:
        self._f_uint8 = value
        self._which = 6

    @property
    def uint16(self) -> int:
        return self._f_uint16

    @uint16.setter
    def uint16(self, value: int) -> None:
        self._f_uint16 = value
        self._which = 7

    @property
    def uint32(self) -> int:
        return self._f_uint32

    @uint32.setter
    def uint32(self, value: int) -> None:
        self._f_uint32 = value
        self._which = 8

    @property
    def uint64(self) -> int:
        return self._f_uint64

    @uint64.setter
    def uint64(self, value: int) -> None:
        self._f_uint64 = value
        self._which = 9

    @property
    def float32(self) -> float:
        return self._f_float32

    @float32.setter
    def float32(self, value: float) -> None:
        self._f_float32 = value
        self._which = 10

    @property
    def float64(self) -> float:
        return self._f_float64

    @float64.setter
    def float64(self, value: float) -> None:
        self._f_float64 = value
        self._which = 11

    @property
    def text(self) -> str:
        v = self._f_text
        return "" if v is None else v

    @text.setter
    def text(self, value: str) -> None:
        self._f_text = value
        self._which = 12

    @property
    def data(self) -> bytes:
        v = self._f_data
        return b"" if v is None else v

    @data.setter
    def data(self, value: bytes) -> None:
        self._f_data = value
        self._which = 13

    @property
    def list(self) -> Optional[_rt.PointerValue]:
        return self._f_list

    @list.setter
    def list(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_list = value
        self._which = 14

    @property
    def enum(self) -> int:
        return self._f_enum

    @enum.setter
    def enum(self, value: int) -> None:
        self._f_enum = value
        self._which = 15

    @property
    def struct(self) -> Optional[_rt.PointerValue]:
        return self._f_struct

    @struct.setter
    def struct(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_struct = value
        self._which = 16

    @property
    def interface(self) -> None:
        return None

    @interface.setter
    def interface(self, value: None) -> None:
        self._which = 17

    @property
    def anyPointer(self) -> Optional[_rt.PointerValue]:
        return self._f_anyPointer

    @anyPointer.setter
    def anyPointer(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_anyPointer = value
        self._which = 18

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S41.pack_into(
                buf, at,
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Value", exc) from None
        try:
            if self._which == 1:
                buf[at + 2] |= (1 if (bit16 := self._f_bool) is True else 0 if bit16 is False else _rt.bool_bit(bit16, 1, 'Value.bool'))
            if self._which == 2:
                _S52.pack_into(buf, at + 2, self._f_int8)
            if self._which == 3:
                _S53.pack_into(buf, at + 2, self._f_int16)
            if self._which == 4:
                _S54.pack_into(buf, at + 4, self._f_int32)
            if self._which == 5:
                _S55.pack_into(buf, at + 8, self._f_int64)
            if self._which == 6:
                _S56.pack_into(buf, at + 2, self._f_uint8)
            if self._which == 7:
                _S41.pack_into(buf, at + 2, self._f_uint16)
            if self._which == 8:
                _S42.pack_into(buf, at + 4, self._f_uint32)
            if self._which == 9:
                _S47.pack_into(buf, at + 8, self._f_uint64)
            if self._which == 10:
                _S57.pack_into(buf, at + 4, self._f_float32)
            if self._which == 11:
                _S58.pack_into(buf, at + 8, self._f_float64)
            if self._which == 15:
                _S41.pack_into(buf, at + 2, self._f_enum)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            try:
                if self._which == 1:
                    buf[at + 2] |= (1 if (bit16 := self._f_bool) is True else 0 if bit16 is False else _rt.bool_bit(bit16, 1, 'Value.bool'))
                if self._which == 2:
                    _S52.pack_into(buf, at + 2, self._f_int8)
                if self._which == 3:
                    _S53.pack_into(buf, at + 2, self._f_int16)
                if self._which == 4:
                    _S54.pack_into(buf, at + 4, self._f_int32)
                if self._which == 5:
                    _S55.pack_into(buf, at + 8, self._f_int64)
                if self._which == 6:
                    _S56.pack_into(buf, at + 2, self._f_uint8)
                if self._which == 7:
                    _S41.pack_into(buf, at + 2, self._f_uint16)
                if self._which == 8:
                    _S42.pack_into(buf, at + 4, self._f_uint32)
                if self._which == 9:
                    _S47.pack_into(buf, at + 8, self._f_uint64)
                if self._which == 10:
                    _S57.pack_into(buf, at + 4, _rt.f32(self._f_float32))
                if self._which == 11:
                    _S58.pack_into(buf, at + 8, self._f_float64)
                if self._which == 15:
                    _S41.pack_into(buf, at + 2, self._f_enum)
            except (struct.error, TypeError, ValueError, OverflowError) as exc2:
                raise _rt.encode_error("Value", exc2) from None
        p0 = self._f_text
        if self._which == 12 and p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'Value.text') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 16, ((s0 - at - 24) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_data
        if self._which == 13 and p1 is not None:
            _rt.write_data(buf, at + 16, p1)
        p2 = self._f_list
        if self._which == 14 and p2 is not None:
            _rt.write_pointer(buf, at + 16, p2)
        p3 = self._f_struct
        if self._which == 16 and p3 is not None:
            _rt.write_pointer(buf, at + 16, p3)
        p4 = self._f_anyPointer
        if self._which == 18 and p4 is not None:
            _rt.write_pointer(buf, at + 16, p4)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not Value_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S41.pack_into(
                    buf, at,
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Value", exc) from None
            try:
                if v._which == 1:
                    buf[at + 2] |= (1 if (bit16 := v._f_bool) is True else 0 if bit16 is False else _rt.bool_bit(bit16, 1, 'Value.bool'))
                if v._which == 2:
                    _S52.pack_into(buf, at + 2, v._f_int8)
                if v._which == 3:
                    _S53.pack_into(buf, at + 2, v._f_int16)
                if v._which == 4:
                    _S54.pack_into(buf, at + 4, v._f_int32)
                if v._which == 5:
                    _S55.pack_into(buf, at + 8, v._f_int64)
                if v._which == 6:
                    _S56.pack_into(buf, at + 2, v._f_uint8)
                if v._which == 7:
                    _S41.pack_into(buf, at + 2, v._f_uint16)
                if v._which == 8:
                    _S42.pack_into(buf, at + 4, v._f_uint32)
                if v._which == 9:
                    _S47.pack_into(buf, at + 8, v._f_uint64)
                if v._which == 10:
                    _S57.pack_into(buf, at + 4, v._f_float32)
                if v._which == 11:
                    _S58.pack_into(buf, at + 8, v._f_float64)
                if v._which == 15:
                    _S41.pack_into(buf, at + 2, v._f_enum)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                try:
                    if v._which == 1:
                        buf[at + 2] |= (1 if (bit16 := v._f_bool) is True else 0 if bit16 is False else _rt.bool_bit(bit16, 1, 'Value.bool'))
                    if v._which == 2:
                        _S52.pack_into(buf, at + 2, v._f_int8)
                    if v._which == 3:
                        _S53.pack_into(buf, at + 2, v._f_int16)
                    if v._which == 4:
                        _S54.pack_into(buf, at + 4, v._f_int32)
                    if v._which == 5:
                        _S55.pack_into(buf, at + 8, v._f_int64)
                    if v._which == 6:
                        _S56.pack_into(buf, at + 2, v._f_uint8)
                    if v._which == 7:
                        _S41.pack_into(buf, at + 2, v._f_uint16)
                    if v._which == 8:
                        _S42.pack_into(buf, at + 4, v._f_uint32)
                    if v._which == 9:
                        _S47.pack_into(buf, at + 8, v._f_uint64)
                    if v._which == 10:
                        _S57.pack_into(buf, at + 4, _rt.f32(v._f_float32))
                    if v._which == 11:
                        _S58.pack_into(buf, at + 8, v._f_float64)
                    if v._which == 15:
                        _S41.pack_into(buf, at + 2, v._f_enum)
                except (struct.error, TypeError, ValueError, OverflowError) as exc2:
                    raise _rt.encode_error("Value", exc2) from None
            p0 = v._f_text
            if v._which == 12 and p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'Value.text') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 16, ((s0 - at - 24) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_data
            if v._which == 13 and p1 is not None:
                _rt.write_data(buf, at + 16, p1)
            p2 = v._f_list
            if v._which == 14 and p2 is not None:
                _rt.write_pointer(buf, at + 16, p2)
            p3 = v._f_struct
            if v._which == 16 and p3 is not None:
                _rt.write_pointer(buf, at + 16, p3)
            p4 = v._f_anyPointer
            if v._which == 18 and p4 is not None:
                _rt.write_pointer(buf, at + 16, p4)
            at += 24

    def as_reader(self) -> Value_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Value_Reader.from_flat_bytes(self.to_flat_bytes())


class Annotation_Builder(_rt.BuilderBase):
    """Builder of struct Annotation (0xf1c8950dab257542)."""

    __slots__ = ('id', '_f_value', '_f_brand')
    _DW = 1
    _PC = 2
    _HI = 0x2000100000000
    _ZERO = bytes(24)
    id: int

    def __init__(self) -> None:
        self.id = 0
        self._f_value: Optional[Value_Builder] = None
        self._f_brand: Optional[Brand_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[Annotation_Builder]:
        out: List[Annotation_Builder] = []
        new = Annotation_Builder.__new__
        for _ in range(n):
            self = new(Annotation_Builder)
            self.id = 0
            self._f_value = None
            self._f_brand = None
            out.append(self)
        return out

    @property
    def value(self) -> Value_Builder:
        v = self._f_value
        if v is None:
            v = self._f_value = Value_Builder()
        return v

    @value.setter
    def value(self, value: Value_Builder) -> None:
        self._f_value = value

    def init_value(self) -> Value_Builder:
        v = self._f_value = Value_Builder()
        return v

    @property
    def brand(self) -> Brand_Builder:
        v = self._f_brand
        if v is None:
            v = self._f_brand = Brand_Builder()
        return v

    @brand.setter
    def brand(self, value: Brand_Builder) -> None:
        self._f_brand = value

    def init_brand(self) -> Brand_Builder:
        v = self._f_brand = Brand_Builder()
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S47.pack_into(
                buf, at,
                self.id,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Annotation", exc) from None
        p0 = self._f_value
        if p0 is not None:
            _rt.write_struct_of(buf, at + 8, p0, Value_Builder, 'Annotation.value')
        p1 = self._f_brand
        if p1 is not None:
            _rt.write_struct_of(buf, at + 16, p1, Brand_Builder, 'Annotation.brand')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Annotation_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S47.pack_into(
                    buf, at,
                    v.id,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Annotation", exc) from None
            p0 = v._f_value
            if p0 is not None:
                _rt.write_struct_of(buf, at + 8, p0, Value_Builder, 'Annotation.value')
            p1 = v._f_brand
            if p1 is not None:
                _rt.write_struct_of(buf, at + 16, p1, Brand_Builder, 'Annotation.brand')
            at += 24

    def as_reader(self) -> Annotation_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Annotation_Reader.from_flat_bytes(self.to_flat_bytes())


class CapnpVersion_Builder(_rt.BuilderBase):
    """Builder of struct CapnpVersion (0xd85d305b7d839963)."""

    __slots__ = ('major', 'minor', 'micro')
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)
    major: int
    minor: int
    micro: int

    def __init__(self) -> None:
        self.major = 0
        self.minor = 0
        self.micro = 0

    @staticmethod
    def _new_list(n: int) -> List[CapnpVersion_Builder]:
        out: List[CapnpVersion_Builder] = []
        new = CapnpVersion_Builder.__new__
        for _ in range(n):
            self = new(CapnpVersion_Builder)
            self.major = 0
            self.minor = 0
            self.micro = 0
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S59.pack_into(
                buf, at,
                self.major,
                self.minor,
                self.micro,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("CapnpVersion", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not CapnpVersion_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S59.pack_into(
                    buf, at,
                    v.major,
                    v.minor,
                    v.micro,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("CapnpVersion", exc) from None
            at += 8

    def to_bytes(self) -> bytes:
        try:
            return _S60.pack(
                0, 2, 0x100000000,
                self.major,
                self.minor,
                self.micro,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("CapnpVersion", exc) from None

    def to_flat_bytes(self) -> bytes:
        try:
            return _S61.pack(
                0x100000000,
                self.major,
                self.minor,
                self.micro,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("CapnpVersion", exc) from None

    def as_reader(self) -> CapnpVersion_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return CapnpVersion_Reader.from_flat_bytes(self.to_flat_bytes())


class CodeGeneratorRequest_Builder(_rt.BuilderBase):
    """Builder of struct CodeGeneratorRequest (0xbfc546f6210ad7ce)."""

    __slots__ = ('_f_nodes', '_f_requestedFiles', '_f_capnpVersion', '_f_sourceInfo')
    _DW = 0
    _PC = 4
    _HI = 0x4000000000000
    _ZERO = bytes(32)

    def __init__(self) -> None:
        self._f_nodes: Optional[List[Node_Builder]] = None
        self._f_requestedFiles: Optional[List[CodeGeneratorRequest_RequestedFile_Builder]] = None
        self._f_capnpVersion: Optional[CapnpVersion_Builder] = None
        self._f_sourceInfo: Optional[List[Node_SourceInfo_Builder]] = None

    @staticmethod
    def _new_list(n: int) -> List[CodeGeneratorRequest_Builder]:
        out: List[CodeGeneratorRequest_Builder] = []
        new = CodeGeneratorRequest_Builder.__new__
        for _ in range(n):
            self = new(CodeGeneratorRequest_Builder)
            self._f_nodes = None
            self._f_requestedFiles = None
            self._f_capnpVersion = None
            self._f_sourceInfo = None
            out.append(self)
        return out

    @property
    def nodes(self) -> List[Node_Builder]:
        v = self._f_nodes
        if v is None:
            v = self._f_nodes = _rt.UnsetList()
        return v

    @nodes.setter
    def nodes(self, value: List[Node_Builder]) -> None:
        self._f_nodes = value

    def init_nodes(self, n: int) -> List[Node_Builder]:
        v: List[Node_Builder] = Node_Builder._new_list(n)
        self._f_nodes = v
        return v

    @property
    def requestedFiles(self) -> List[CodeGeneratorRequest_RequestedFile_Builder]:
        v = self._f_requestedFiles
        if v is None:
            v = self._f_requestedFiles = _rt.UnsetList()
        return v

    @requestedFiles.setter
    def requestedFiles(self, value: List[CodeGeneratorRequest_RequestedFile_Builder]) -> None:
        self._f_requestedFiles = value

    def init_requestedFiles(self, n: int) -> List[CodeGeneratorRequest_RequestedFile_Builder]:
        v: List[CodeGeneratorRequest_RequestedFile_Builder] = CodeGeneratorRequest_RequestedFile_Builder._new_list(n)
        self._f_requestedFiles = v
        return v

    @property
    def capnpVersion(self) -> CapnpVersion_Builder:
        v = self._f_capnpVersion
        if v is None:
            v = self._f_capnpVersion = CapnpVersion_Builder()
        return v

    @capnpVersion.setter
    def capnpVersion(self, value: CapnpVersion_Builder) -> None:
        self._f_capnpVersion = value

    def init_capnpVersion(self) -> CapnpVersion_Builder:
        v = self._f_capnpVersion = CapnpVersion_Builder()
        return v

    @property
    def sourceInfo(self) -> List[Node_SourceInfo_Builder]:
        v = self._f_sourceInfo
        if v is None:
            v = self._f_sourceInfo = _rt.UnsetList()
        return v

    @sourceInfo.setter
    def sourceInfo(self, value: List[Node_SourceInfo_Builder]) -> None:
        self._f_sourceInfo = value

    def init_sourceInfo(self, n: int) -> List[Node_SourceInfo_Builder]:
        v: List[Node_SourceInfo_Builder] = Node_SourceInfo_Builder._new_list(n)
        self._f_sourceInfo = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_nodes
        if p0 is not None:
            _WS62.write(buf, at + 0, p0)
        p1 = self._f_requestedFiles
        if p1 is not None:
            _WS63.write(buf, at + 8, p1)
        p2 = self._f_capnpVersion
        if p2 is not None:
            _rt.write_struct_of(buf, at + 16, p2, CapnpVersion_Builder, 'CodeGeneratorRequest.capnpVersion')
        p3 = self._f_sourceInfo
        if p3 is not None:
            _WS64.write(buf, at + 24, p3)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not CodeGeneratorRequest_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_nodes
            if p0 is not None:
                _WS62.write(buf, at + 0, p0)
            p1 = v._f_requestedFiles
            if p1 is not None:
                _WS63.write(buf, at + 8, p1)
            p2 = v._f_capnpVersion
            if p2 is not None:
                _rt.write_struct_of(buf, at + 16, p2, CapnpVersion_Builder, 'CodeGeneratorRequest.capnpVersion')
            p3 = v._f_sourceInfo
            if p3 is not None:
                _WS64.write(buf, at + 24, p3)
            at += 32

    def as_reader(self) -> CodeGeneratorRequest_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return CodeGeneratorRequest_Reader.from_flat_bytes(self.to_flat_bytes())


class CodeGeneratorRequest_RequestedFile_Builder(_rt.BuilderBase):
    """Builder of struct RequestedFile (0xcfea0eb02e810062)."""

    __slots__ = ('id', '_f_filename', '_f_imports', '_f_fileSourceInfo')
    _DW = 1
    _PC = 3
    _HI = 0x3000100000000
    _ZERO = bytes(32)
    id: int

    def __init__(self) -> None:
        self.id = 0
        self._f_filename: Optional[str] = None
        self._f_imports: Optional[List[CodeGeneratorRequest_RequestedFile_Import_Builder]] = None
        self._f_fileSourceInfo: Optional[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[CodeGeneratorRequest_RequestedFile_Builder]:
        out: List[CodeGeneratorRequest_RequestedFile_Builder] = []
        new = CodeGeneratorRequest_RequestedFile_Builder.__new__
        for _ in range(n):
            self = new(CodeGeneratorRequest_RequestedFile_Builder)
            self.id = 0
            self._f_filename = None
            self._f_imports = None
            self._f_fileSourceInfo = None
            out.append(self)
        return out

    @property
    def filename(self) -> str:
        v = self._f_filename
        return "" if v is None else v

    @filename.setter
    def filename(self, value: str) -> None:
        self._f_filename = value

    @property
    def imports(self) -> List[CodeGeneratorRequest_RequestedFile_Import_Builder]:
        v = self._f_imports
        if v is None:
            v = self._f_imports = _rt.UnsetList()
        return v

    @imports.setter
    def imports(self, value: List[CodeGeneratorRequest_RequestedFile_Import_Builder]) -> None:
        self._f_imports = value

    def init_imports(self, n: int) -> List[CodeGeneratorRequest_RequestedFile_Import_Builder]:
        v: List[CodeGeneratorRequest_RequestedFile_Import_Builder] = CodeGeneratorRequest_RequestedFile_Import_Builder._new_list(n)
        self._f_imports = v
        return v

    @property
    def fileSourceInfo(self) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder:
        v = self._f_fileSourceInfo
        if v is None:
            v = self._f_fileSourceInfo = CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder()
        return v

    @fileSourceInfo.setter
    def fileSourceInfo(self, value: CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder) -> None:
        self._f_fileSourceInfo = value

    def init_fileSourceInfo(self) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder:
        v = self._f_fileSourceInfo = CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder()
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S47.pack_into(
                buf, at,
                self.id,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("CodeGeneratorRequest_RequestedFile", exc) from None
        p0 = self._f_filename
        if p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'CodeGeneratorRequest.RequestedFile.filename') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 8, ((s0 - at - 16) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_imports
        if p1 is not None:
            _WS65.write(buf, at + 16, p1)
        p2 = self._f_fileSourceInfo
        if p2 is not None:
            _rt.write_struct_of(buf, at + 24, p2, CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder, 'CodeGeneratorRequest.RequestedFile.fileSourceInfo')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not CodeGeneratorRequest_RequestedFile_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S47.pack_into(
                    buf, at,
                    v.id,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("CodeGeneratorRequest_RequestedFile", exc) from None
            p0 = v._f_filename
            if p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'CodeGeneratorRequest.RequestedFile.filename') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 8, ((s0 - at - 16) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_imports
            if p1 is not None:
                _WS65.write(buf, at + 16, p1)
            p2 = v._f_fileSourceInfo
            if p2 is not None:
                _rt.write_struct_of(buf, at + 24, p2, CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder, 'CodeGeneratorRequest.RequestedFile.fileSourceInfo')
            at += 32

    def as_reader(self) -> CodeGeneratorRequest_RequestedFile_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return CodeGeneratorRequest_RequestedFile_Reader.from_flat_bytes(self.to_flat_bytes())


class CodeGeneratorRequest_RequestedFile_Import_Builder(_rt.BuilderBase):
    """Builder of struct Import (0xae504193122357e5)."""

    __slots__ = ('id', '_f_name')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    id: int

    def __init__(self) -> None:
        self.id = 0
        self._f_name: Optional[str] = None

    @staticmethod
    def _new_list(n: int) -> List[CodeGeneratorRequest_RequestedFile_Import_Builder]:
        out: List[CodeGeneratorRequest_RequestedFile_Import_Builder] = []
        new = CodeGeneratorRequest_RequestedFile_Import_Builder.__new__
        for _ in range(n):
            self = new(CodeGeneratorRequest_RequestedFile_Import_Builder)
            self.id = 0
            self._f_name = None
            out.append(self)
        return out

    @property
    def name(self) -> str:
        v = self._f_name
        return "" if v is None else v

    @name.setter
    def name(self, value: str) -> None:
        self._f_name = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_name
        if p0 is None:
            a0 = b0 = 0
        else:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'CodeGeneratorRequest.RequestedFile.Import.name') from None
            a0 = ((len(buf) - at - 16) >> 1) | 1
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            b0 = (k0 << 3) + 10
        try:
            _S44.pack_into(
                buf, at,
                self.id,
                a0,
                b0,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("CodeGeneratorRequest_RequestedFile_Import", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not CodeGeneratorRequest_RequestedFile_Import_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_name
            if p0 is None:
                a0 = b0 = 0
            else:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'CodeGeneratorRequest.RequestedFile.Import.name') from None
                a0 = ((len(buf) - at - 16) >> 1) | 1
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                b0 = (k0 << 3) + 10
            try:
                _S44.pack_into(
                    buf, at,
                    v.id,
                    a0,
                    b0,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("CodeGeneratorRequest_RequestedFile_Import", exc) from None
            at += 16

    def as_reader(self) -> CodeGeneratorRequest_RequestedFile_Import_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return CodeGeneratorRequest_RequestedFile_Import_Reader.from_flat_bytes(self.to_flat_bytes())


class CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder(_rt.BuilderBase):
    """Builder of struct FileSourceInfo (0xf8ea2bf176925da0)."""

    __slots__ = ('_f_identifiers',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_identifiers: Optional[List[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder]] = None

    @staticmethod
    def _new_list(n: int) -> List[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder]:
        out: List[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder] = []
        new = CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder.__new__
        for _ in range(n):
            self = new(CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder)
            self._f_identifiers = None
            out.append(self)
        return out

    @property
    def identifiers(self) -> List[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder]:
        v = self._f_identifiers
        if v is None:
            v = self._f_identifiers = _rt.UnsetList()
        return v

    @identifiers.setter
    def identifiers(self, value: List[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder]) -> None:
        self._f_identifiers = value

    def init_identifiers(self, n: int) -> List[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder]:
        v: List[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder] = CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder._new_list(n)
        self._f_identifiers = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_identifiers
        if p0 is not None:
            _WS66.write(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_identifiers
            if p0 is not None:
                _WS66.write(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return CodeGeneratorRequest_RequestedFile_FileSourceInfo_Reader.from_flat_bytes(self.to_flat_bytes())


class CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder(_rt.BuilderBase):
    """Builder of struct Identifier (0xdda719892e0499bb)."""

    __slots__ = ('_which', 'startByte', 'endByte', '_f_typeId', '_g_member')
    _DW = 3
    _PC = 0
    _HI = 0x300000000
    _ZERO = bytes(24)
    startByte: int
    endByte: int

    def __init__(self) -> None:
        self._which: int = 0
        self.startByte = 0
        self.endByte = 0
        self._f_typeId: int = 0
        self._g_member: CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_member_Builder = CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_member_Builder()

    @staticmethod
    def _new_list(n: int) -> List[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder]:
        out: List[CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder] = []
        new = CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder.__new__
        for _ in range(n):
            self = new(CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder)
            self._which = 0
            self.startByte = 0
            self.endByte = 0
            self._f_typeId = 0
            self._g_member = CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_member_Builder()
            out.append(self)
        return out

    def which(self) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Which:
        v = self._which
        return _M_CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Which[v] if v < 2 else CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Which(v)

    @property
    def typeId(self) -> int:
        return self._f_typeId

    @typeId.setter
    def typeId(self, value: int) -> None:
        self._f_typeId = value
        self._which = 0

    @property
    def member(self) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_member_Builder:
        if self._which != 1:
            raise _rt.inactive_member('member', self.which())
        return self._g_member

    def init_member(self) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_member_Builder:
        v = self._g_member = CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_member_Builder()
        self._which = 1
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S67.pack_into(
                buf, at,
                self.startByte,
                self.endByte,
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier", exc) from None
        try:
            if self._which == 0:
                _S47.pack_into(buf, at + 8, self._f_typeId)
            if self._which == 1:
                _S47.pack_into(buf, at + 8, self._g_member.parentTypeId)
                _S41.pack_into(buf, at + 18, self._g_member.ordinal)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S67.pack_into(
                    buf, at,
                    v.startByte,
                    v.endByte,
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier", exc) from None
            try:
                if v._which == 0:
                    _S47.pack_into(buf, at + 8, v._f_typeId)
                if v._which == 1:
                    _S47.pack_into(buf, at + 8, v._g_member.parentTypeId)
                    _S41.pack_into(buf, at + 18, v._g_member.ordinal)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier", exc) from None
            at += 24

    def as_reader(self) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader.from_flat_bytes(self.to_flat_bytes())


class CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_member_Builder(_rt.BuilderBase):
    """Builder of group member (0xfc69d5e1d630a151)."""

    __slots__ = ('parentTypeId', 'ordinal')
    parentTypeId: int
    ordinal: int

    def __init__(self) -> None:
        self.parentTypeId = 0
        self.ordinal = 0


class Node:
    """Struct Node: constructors and readers."""

    TYPE_ID: Final = 0xe682ab4cf923a417

    @staticmethod
    def new_message() -> Node_Builder:
        return Node_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_Reader:
        return Node_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_Reader:
        return Node_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_Reader:
        return Node_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Node_Parameter:
    """Struct Parameter: constructors and readers."""

    TYPE_ID: Final = 0xb9521bccf10fa3b1

    @staticmethod
    def new_message() -> Node_Parameter_Builder:
        return Node_Parameter_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_Parameter_Reader:
        return Node_Parameter_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_Parameter_Reader:
        return Node_Parameter_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_Parameter_Reader:
        return Node_Parameter_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Node_NestedNode:
    """Struct NestedNode: constructors and readers."""

    TYPE_ID: Final = 0xdebf55bbfa0fc242

    @staticmethod
    def new_message() -> Node_NestedNode_Builder:
        return Node_NestedNode_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_NestedNode_Reader:
        return Node_NestedNode_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_NestedNode_Reader:
        return Node_NestedNode_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_NestedNode_Reader:
        return Node_NestedNode_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Node_SourceInfo:
    """Struct SourceInfo: constructors and readers."""

    TYPE_ID: Final = 0xf38e1de3041357ae

    @staticmethod
    def new_message() -> Node_SourceInfo_Builder:
        return Node_SourceInfo_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_SourceInfo_Reader:
        return Node_SourceInfo_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_SourceInfo_Reader:
        return Node_SourceInfo_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_SourceInfo_Reader:
        return Node_SourceInfo_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Node_SourceInfo_Member:
    """Struct Member: constructors and readers."""

    TYPE_ID: Final = 0xc2ba9038898e1fa2

    @staticmethod
    def new_message() -> Node_SourceInfo_Member_Builder:
        return Node_SourceInfo_Member_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_SourceInfo_Member_Reader:
        return Node_SourceInfo_Member_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_SourceInfo_Member_Reader:
        return Node_SourceInfo_Member_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Node_SourceInfo_Member_Reader:
        return Node_SourceInfo_Member_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Field:
    """Struct Field: constructors and readers."""

    TYPE_ID: Final = 0x9aad50a41f4af45f

    @staticmethod
    def new_message() -> Field_Builder:
        return Field_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Field_Reader:
        return Field_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Field_Reader:
        return Field_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Field_Reader:
        return Field_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Enumerant:
    """Struct Enumerant: constructors and readers."""

    TYPE_ID: Final = 0x978a7cebdc549a4d

    @staticmethod
    def new_message() -> Enumerant_Builder:
        return Enumerant_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Enumerant_Reader:
        return Enumerant_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Enumerant_Reader:
        return Enumerant_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Enumerant_Reader:
        return Enumerant_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Superclass:
    """Struct Superclass: constructors and readers."""

    TYPE_ID: Final = 0xa9962a9ed0a4d7f8

    @staticmethod
    def new_message() -> Superclass_Builder:
        return Superclass_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Superclass_Reader:
        return Superclass_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Superclass_Reader:
        return Superclass_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Superclass_Reader:
        return Superclass_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Method:
    """Struct Method: constructors and readers."""

    TYPE_ID: Final = 0x9500cce23b334d80

    @staticmethod
    def new_message() -> Method_Builder:
        return Method_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Method_Reader:
        return Method_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Method_Reader:
        return Method_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Method_Reader:
        return Method_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Type:
    """Struct Type: constructors and readers."""

    TYPE_ID: Final = 0xd07378ede1f9cc60

    @staticmethod
    def new_message() -> Type_Builder:
        return Type_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Type_Reader:
        return Type_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Type_Reader:
        return Type_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Type_Reader:
        return Type_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Brand:
    """Struct Brand: constructors and readers."""

    TYPE_ID: Final = 0x903455f06065422b

    @staticmethod
    def new_message() -> Brand_Builder:
        return Brand_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Brand_Reader:
        return Brand_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Brand_Reader:
        return Brand_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Brand_Reader:
        return Brand_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Brand_Scope:
    """Struct Scope: constructors and readers."""

    TYPE_ID: Final = 0xabd73485a9636bc9

    @staticmethod
    def new_message() -> Brand_Scope_Builder:
        return Brand_Scope_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Brand_Scope_Reader:
        return Brand_Scope_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Brand_Scope_Reader:
        return Brand_Scope_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Brand_Scope_Reader:
        return Brand_Scope_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Brand_Binding:
    """Struct Binding: constructors and readers."""

    TYPE_ID: Final = 0xc863cd16969ee7fc

    @staticmethod
    def new_message() -> Brand_Binding_Builder:
        return Brand_Binding_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Brand_Binding_Reader:
        return Brand_Binding_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Brand_Binding_Reader:
        return Brand_Binding_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Brand_Binding_Reader:
        return Brand_Binding_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Value:
    """Struct Value: constructors and readers."""

    TYPE_ID: Final = 0xce23dcd2d7b00c9b

    @staticmethod
    def new_message() -> Value_Builder:
        return Value_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Value_Reader:
        return Value_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Value_Reader:
        return Value_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Value_Reader:
        return Value_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Annotation:
    """Struct Annotation: constructors and readers."""

    TYPE_ID: Final = 0xf1c8950dab257542

    @staticmethod
    def new_message() -> Annotation_Builder:
        return Annotation_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Annotation_Reader:
        return Annotation_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Annotation_Reader:
        return Annotation_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Annotation_Reader:
        return Annotation_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class CapnpVersion:
    """Struct CapnpVersion: constructors and readers."""

    TYPE_ID: Final = 0xd85d305b7d839963

    @staticmethod
    def new_message() -> CapnpVersion_Builder:
        return CapnpVersion_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CapnpVersion_Reader:
        return CapnpVersion_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CapnpVersion_Reader:
        return CapnpVersion_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CapnpVersion_Reader:
        return CapnpVersion_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class CodeGeneratorRequest:
    """Struct CodeGeneratorRequest: constructors and readers."""

    TYPE_ID: Final = 0xbfc546f6210ad7ce

    @staticmethod
    def new_message() -> CodeGeneratorRequest_Builder:
        return CodeGeneratorRequest_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_Reader:
        return CodeGeneratorRequest_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_Reader:
        return CodeGeneratorRequest_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_Reader:
        return CodeGeneratorRequest_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class CodeGeneratorRequest_RequestedFile:
    """Struct RequestedFile: constructors and readers."""

    TYPE_ID: Final = 0xcfea0eb02e810062

    @staticmethod
    def new_message() -> CodeGeneratorRequest_RequestedFile_Builder:
        return CodeGeneratorRequest_RequestedFile_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_Reader:
        return CodeGeneratorRequest_RequestedFile_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_Reader:
        return CodeGeneratorRequest_RequestedFile_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_Reader:
        return CodeGeneratorRequest_RequestedFile_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class CodeGeneratorRequest_RequestedFile_Import:
    """Struct Import: constructors and readers."""

    TYPE_ID: Final = 0xae504193122357e5

    @staticmethod
    def new_message() -> CodeGeneratorRequest_RequestedFile_Import_Builder:
        return CodeGeneratorRequest_RequestedFile_Import_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_Import_Reader:
        return CodeGeneratorRequest_RequestedFile_Import_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_Import_Reader:
        return CodeGeneratorRequest_RequestedFile_Import_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_Import_Reader:
        return CodeGeneratorRequest_RequestedFile_Import_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class CodeGeneratorRequest_RequestedFile_FileSourceInfo:
    """Struct FileSourceInfo: constructors and readers."""

    TYPE_ID: Final = 0xf8ea2bf176925da0

    @staticmethod
    def new_message() -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder:
        return CodeGeneratorRequest_RequestedFile_FileSourceInfo_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Reader:
        return CodeGeneratorRequest_RequestedFile_FileSourceInfo_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Reader:
        return CodeGeneratorRequest_RequestedFile_FileSourceInfo_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Reader:
        return CodeGeneratorRequest_RequestedFile_FileSourceInfo_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier:
    """Struct Identifier: constructors and readers."""

    TYPE_ID: Final = 0xdda719892e0499bb

    @staticmethod
    def new_message() -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder:
        return CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader:
        return CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader:
        return CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader:
        return CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

# List specs and embedded defaults, used by the classes above.
_SC0: Final = _rt.Scalars("QIH2xQ12xB3xII", (8, 12, 14, 24, 37, 44, 48))
_RS1: Final = _rt.StructRead(Node_NestedNode_Reader)
_RS2: Final = _rt.StructRead(Annotation_Reader)
_RS3: Final = _rt.StructRead(Node_Parameter_Reader)
_SC4: Final = _rt.Scalars("14xH8xHHB1xHI", (16, 26, 28, 29, 32, 36))
_RS5: Final = _rt.StructRead(Field_Reader)
_RS6: Final = _rt.StructRead(Enumerant_Reader)
_RS7: Final = _rt.StructRead(Method_Reader)
_RS8: Final = _rt.StructRead(Superclass_Reader)
_SC9: Final = _rt.Scalars("14xBB", (15, 16))
_SC10: Final = _rt.Scalars("Q", (8,))
_SC11: Final = _rt.Scalars("QII", (8, 12, 16))
_RS12: Final = _rt.StructRead(Node_SourceInfo_Member_Reader)
_SC13: Final = _rt.Scalars("HH4xH", (2, 4, 10))
_SC14: Final = _rt.Scalars("4xI8xB", (8, 17))
_SC15: Final = _rt.Scalars("16xQ", (24,))
_SC16: Final = _rt.Scalars("10xH", (12,))
_SC17: Final = _rt.Scalars("H", (2,))
_SC18: Final = _rt.Scalars("H6xQQ", (2, 16, 24))
_SC19: Final = _rt.Scalars("8xQ", (16,))
_SC20: Final = _rt.Scalars("8xH", (10,))
_SC21: Final = _rt.Scalars("10xH4xQ", (12, 24))
_RS22: Final = _rt.StructRead(Brand_Scope_Reader)
_SC23: Final = _rt.Scalars("QH", (8, 10))
_RS24: Final = _rt.StructRead(Brand_Binding_Reader)
_SC25: Final = _rt.Scalars("HBB", (2, 3, 4))
_RS26: Final = _rt.StructRead(Node_Reader)
_RS27: Final = _rt.StructRead(CodeGeneratorRequest_RequestedFile_Reader)
_RS28: Final = _rt.StructRead(Node_SourceInfo_Reader)
_RS29: Final = _rt.StructRead(CodeGeneratorRequest_RequestedFile_Import_Reader)
_RS30: Final = _rt.StructRead(CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader)
_SC31: Final = _rt.Scalars("II8xH", (4, 8, 18))
_SC32: Final = _rt.Scalars("8xQ2xH", (16, 20))
_WS33: Final = _rt.StructWrite(Node_NestedNode_Builder)
_WS34: Final = _rt.StructWrite(Annotation_Builder)
_WS35: Final = _rt.StructWrite(Field_Builder)
_WS36: Final = _rt.StructWrite(Enumerant_Builder)
_WS37: Final = _rt.StructWrite(Method_Builder)
_WS38: Final = _rt.StructWrite(Superclass_Builder)
_WS39: Final = _rt.StructWrite(Node_Parameter_Builder)
_S40: Final = struct.Struct("<QIH2xQ12xB3xII")
_S41: Final = struct.Struct("<H")
_S42: Final = struct.Struct("<I")
_S43: Final = struct.Struct("<II")
_S44: Final = struct.Struct("<QII")
_WS45: Final = _rt.StructWrite(Node_SourceInfo_Member_Builder)
_S46: Final = struct.Struct("<HH4xHH")
_S47: Final = struct.Struct("<Q")
_S48: Final = struct.Struct("<H6xQQ")
_WS49: Final = _rt.StructWrite(Brand_Scope_Builder)
_WS50: Final = _rt.StructWrite(Brand_Binding_Builder)
_S51: Final = struct.Struct("<QH")
_S52: Final = struct.Struct("<b")
_S53: Final = struct.Struct("<h")
_S54: Final = struct.Struct("<i")
_S55: Final = struct.Struct("<q")
_S56: Final = struct.Struct("<B")
_S57: Final = struct.Struct("<f")
_S58: Final = struct.Struct("<d")
_S59: Final = struct.Struct("<HBB")
_S60: Final = struct.Struct("<IIQHBB4x")
_S61: Final = struct.Struct("<QHBB4x")
_WS62: Final = _rt.StructWrite(Node_Builder)
_WS63: Final = _rt.StructWrite(CodeGeneratorRequest_RequestedFile_Builder)
_WS64: Final = _rt.StructWrite(Node_SourceInfo_Builder)
_WS65: Final = _rt.StructWrite(CodeGeneratorRequest_RequestedFile_Import_Builder)
_WS66: Final = _rt.StructWrite(CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Builder)
_S67: Final = struct.Struct("<II8xH")
Node_Reader._SC = _SC0
Node_struct_Reader._SC = _SC4
Node_annotation_Reader._SC = _SC9
Node_NestedNode_Reader._SC = _SC10
Node_SourceInfo_Reader._SC = _SC11
Field_Reader._SC = _SC13
Field_slot_Reader._SC = _SC14
Field_group_Reader._SC = _SC15
Field_ordinal_Reader._SC = _SC16
Enumerant_Reader._SC = _SC17
Superclass_Reader._SC = _SC10
Method_Reader._SC = _SC18
Type_Reader._SC = _SC17
Type_enum_Reader._SC = _SC19
Type_struct_Reader._SC = _SC19
Type_interface_Reader._SC = _SC19
Type_anyPointer_Reader._SC = _SC20
Type_anyPointer_unconstrained_Reader._SC = _SC16
Type_anyPointer_parameter_Reader._SC = _SC21
Type_anyPointer_implicitMethodParameter_Reader._SC = _SC16
Brand_Scope_Reader._SC = _SC23
Brand_Binding_Reader._SC = _SC17
Value_Reader._SC = _SC17
Annotation_Reader._SC = _SC10
CapnpVersion_Reader._SC = _SC25
CodeGeneratorRequest_RequestedFile_Reader._SC = _SC10
CodeGeneratorRequest_RequestedFile_Import_Reader._SC = _SC10
CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader._SC = _SC31
CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_member_Reader._SC = _SC32
Node_Reader._LOAD = (_Node_load, 48, 1)
Node_Parameter_Reader._LOAD = (_Node_Parameter_load, 0, 1)
Node_NestedNode_Reader._LOAD = (_Node_NestedNode_load, 8, 1)
Node_SourceInfo_Reader._LOAD = (_Node_SourceInfo_load, 16, 1)
Node_SourceInfo_Member_Reader._LOAD = (_Node_SourceInfo_Member_load, 0, 1)
Field_Reader._LOAD = (_Field_load, 10, 1)
Enumerant_Reader._LOAD = (_Enumerant_load, 2, 1)
Superclass_Reader._LOAD = (_Superclass_load, 8, 0)
Method_Reader._LOAD = (_Method_load, 24, 1)
Brand_Scope_Reader._LOAD = (_Brand_Scope_load, 10, 0)
Annotation_Reader._LOAD = (_Annotation_load, 8, 0)
CodeGeneratorRequest_RequestedFile_Reader._LOAD = (_CodeGeneratorRequest_RequestedFile_load, 8, 1)
CodeGeneratorRequest_RequestedFile_Import_Reader._LOAD = (_CodeGeneratorRequest_RequestedFile_Import_load, 8, 1)
CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_Reader._LOAD = (_CodeGeneratorRequest_RequestedFile_FileSourceInfo_Identifier_load, 18, 0)

# Constants.
Field_noDiscriminant: Final[int] = 65535
