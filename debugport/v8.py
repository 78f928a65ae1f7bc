"""V8's value serialization format (``v8.serialize``, structured clone).

workerd's JS RPC carries every argument and result as the bytes of V8's
``ValueSerializer``; ``dumps`` and ``loads`` convert between those bytes and
Python values.  Both write format version 15 by default (what workerd's JS RPC
and node 20 write); ``loads`` reads versions 13 to 16 and ``dumps`` can write
any of them.  Version 16 (what newer V8s write, e.g. workerd's props) only
widens the byte lengths and offsets of ArrayBuffers and views from 32 to 64
bits; their varint encoding is unchanged.

Python <-> JavaScript mapping:

=============================  ==============================================
Python                         JavaScript
=============================  ==============================================
``None``                       ``null``
``UNDEFINED``                  ``undefined``
``bool``                       ``true`` / ``false``
``int``                        Number: int32 tag when it fits, else a double
                               while ``abs(n) <= 2**53``, else a BigInt.
                               Decoded int32/uint32 numbers give ``int``.
``BigInt`` (an ``int``)        BigInt, always; decoded BigInts are ``BigInt``
``float``                      Number as a double (NaN, infinities, -0.0);
                               decoded doubles are always ``float``
``str``                        string: one-byte (Latin-1) when every code
                               point is below 256, else two-byte UTF-16LE
                               (lone surrogates survive); UTF-8 strings decode
``dict`` (``str`` keys)        plain object; array-index keys ("0", "17") go
                               first in ascending order, written as numbers,
                               as V8 orders and writes them
``list``, ``tuple``            dense array; decoded arrays are ``list``;
                               ``HOLE`` in a list is an array hole
``SparseArray``                sparse array (V8 writes arrays with holes this
                               way); also what a dense array with extra named
                               properties decodes to
``JSMap``                      Map (ordered key/value pairs of any values)
``set``, ``frozenset``,        Set; decoded Sets are ``JSSet`` (ordered, may
``JSSet``                      hold unhashable values)
``datetime.datetime``          Date: the millisecond the instant falls in
                               (floored, as JS counts); naive datetimes (no
                               ``utcoffset()``) are taken as UTC; decoded
                               Dates are aware UTC datetimes, or ``JSDate``
                               when invalid or outside Python's range
``JSDate``                     Date given as milliseconds since the epoch
``bytes``, ``bytearray``,      ArrayBuffer; decoded ArrayBuffers are
``memoryview``,                ``ArrayBuffer`` (a ``bytes`` subclass)
``ArrayBuffer``
``ResizableArrayBuffer``       resizable ArrayBuffer
``TypedArray``                 typed arrays and DataView over a buffer
``JSError``                    Error and its six native subclasses
``Boxed``                      Number/String/Boolean/BigInt wrapper objects
``JSRegExp``                   RegExp
``HostObject`` subclass        host object; the subclass writes its own body
=============================  ==============================================

Object identity: a value that maps to a JS object and appears twice is written
once, then as a back-reference, so shared and cyclic structures keep their
shape both ways.  Tuples, frozensets and plain ``bytes`` are the exception when
writing (the interpreter shares equal immutable instances freely: every
``b""`` is one object), so each occurrence is written in full, and views over
one plain ``bytes`` get a buffer each.  ``loads`` gives each ArrayBuffer as an
``ArrayBuffer``, whose instances are always distinct, so a buffer shared by
views or places is shared again by ``dumps``; wrap bytes in ``ArrayBuffer`` to
share one buffer on purpose.  An Error whose cause refers back to the Error
cannot be written: V8 serializes that shape but cannot read it.

A dense array with extra named properties reads as a ``SparseArray``, and every
reference to the array (from its elements too) gives that same object.

Host objects (tag ``\\``) carry an embedder-defined body: pass
``host_reader`` to ``loads`` to read them (``node_host_reader`` reads node's
form of Buffers and typed arrays), and subclass ``HostObject`` to write them.

Nesting: the reader and writer keep their own stack, so a value may nest as
deep as ``max_depth`` allows (``DEFAULT_MAX_DEPTH``, 100,000 containers inside
containers, both ways; node's V8 manages a few thousand with its default
stack).  The bound is there for memory: reading holds a few hundred bytes per
open level.  Host objects whose bodies hold host objects are the exception:
each such level is a call through the host reader or writer, so they nest at
most ``MAX_HOST_NESTING`` deep.

Objects: ``loads`` creates at most ``max_objects`` objects per value
(``DEFAULT_MAX_OBJECTS``, 2**20), counting everything V8 gives an object id.
Each object takes at least one input byte, so no value within workerd's 1 MiB
limit on serialized values reaches the default; without it, an input of empty
objects or Maps kept some 25 to 45 bytes of Python objects per input byte (2.7
GB for 64 MiB), and with it one value's objects stay under about 120 MB.
Other values cost at most about 15 bytes per input byte (short strings).

Decoding never trusts the input: every malformed, truncated or over-limit
input raises ``DecodeError`` (``LimitError`` for limits).  It refuses what V8
refuses (e.g. the BigInt ``-0n``) and, on purpose, a little more: bytes after
the value (V8 ignores them), varints longer than their width (V8 stops after
five bytes and reads the rest as the next tag), data without a header, and a
host object whose body refers back to an enclosing array that turns out to
have named properties (one without them is fine).
"""

from __future__ import annotations

import datetime as _dt
import math
import struct
from typing import (
    Any,
    Callable,
    Dict,
    Generator,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Set,
    Tuple,
    TypeVar,
    Union,
)

from capnp_lite.errors import DecodeError, EncodeError, LimitError

__all__ = [
    "dumps",
    "loads",
    "UNDEFINED",
    "HOLE",
    "NO_CAUSE",
    "BigInt",
    "JSMap",
    "JSSet",
    "SparseArray",
    "JSDate",
    "Boxed",
    "JSRegExp",
    "JSError",
    "ArrayBuffer",
    "ResizableArrayBuffer",
    "TypedArray",
    "HostObject",
    "HostReader",
    "HostWriter",
    "node_host_reader",
    "LATEST_VERSION",
    "NEWEST_VERSION",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_OBJECTS",
    "MAX_HOST_NESTING",
    "DEFAULT_MAX_SIZE",
]

LATEST_VERSION = 15
# The newest version read and written on request.  Version 16 lets ArrayBuffer
# and view lengths and offsets exceed 32 bits; nothing else changed.
NEWEST_VERSION = 16
# Version 13 introduced the explicit host-object tag; older data cannot be
# parsed without knowing every embedder tag, and workerd refuses it too.
OLDEST_VERSION = 13
# Nesting limit for both directions (containers inside containers).  The reader
# and writer keep their own stack, so this bounds only memory: about 450 bytes a
# level while a value is read on CPython 3.11 and later (760 on 3.9, whose generator
# frames are larger), some 45 to 76 MB at the limit.  node's V8 reads
# and writes 2,000 to 3,500 levels with its default stack; this is far above.
DEFAULT_MAX_DEPTH = 100_000
# Objects (everything that gets a V8 object id) one decoded value may create:
# 48 to 104 bytes each as Python objects.  workerd refuses serialized values over
# 1 MiB and each object takes at least one byte, so its values never reach this.
DEFAULT_MAX_OBJECTS = 1 << 20
# Host objects whose bodies hold values holding host objects: each level is a
# call through the host reader (or writer), so this keeps the interpreter stack.
MAX_HOST_NESTING = 32
DEFAULT_MAX_SIZE = 64 * 1024 * 1024

_INT32_MIN = -(2**31)
_INT32_MAX = 2**31 - 1
EXACT_INT_BOUND = 2**53  # every integer of at most this magnitude is an exact JS number
_MAX_SAFE = EXACT_INT_BOUND
_MAX_ARRAY_INDEX = 2**32 - 2
_U32_MAX = 2**32 - 1
_DOUBLE = struct.Struct("<d")
_T = TypeVar("_T")


# -- sentinels and value classes ------------------------------------------------


class _Sentinel:
    """A named singleton that is falsy and compares by identity."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return self._name


UNDEFINED = _Sentinel("UNDEFINED")
"""JavaScript ``undefined``."""

HOLE = _Sentinel("HOLE")
"""A missing element of an array (``[1, , 3]``), distinct from ``undefined``."""

NO_CAUSE = _Sentinel("NO_CAUSE")
"""``JSError.cause`` when the error has no own ``cause`` property."""


class BigInt(int):
    """An ``int`` that is always written as a JS BigInt (``123n``)."""

    def __repr__(self) -> str:
        return f"BigInt({int(self)})"


class JSMap:
    """A JS Map: insertion-ordered pairs whose keys may be any value."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: Union[Mapping[Any, Any], Iterable[Tuple[Any, Any]]] = ()) -> None:
        source = pairs.items() if isinstance(pairs, Mapping) else pairs
        self.pairs: List[Tuple[Any, Any]] = [(k, v) for k, v in source]

    def __len__(self) -> int:
        return len(self.pairs)

    def __iter__(self) -> Iterator[Tuple[Any, Any]]:
        return iter(self.pairs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JSMap) and self.pairs == other.pairs

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSMap({self.pairs!r})"


class JSSet:
    """A JS Set: insertion-ordered members of any value."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.items: List[Any] = list(items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JSSet) and self.items == other.items

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSSet({self.items!r})"


class SparseArray:
    """A JS array stored as index -> value pairs, plus named properties.

    ``length`` is the array's ``length``; indices missing from ``elements``
    are holes.  ``properties`` holds non-index keys (``arr.foo = 1``).
    """

    __slots__ = ("length", "elements", "properties")

    def __init__(
        self,
        length: int,
        elements: Optional[Mapping[int, Any]] = None,
        properties: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self.length = length
        self.elements: Dict[int, Any] = dict(elements or {})
        self.properties: Dict[str, Any] = dict(properties or {})

    def to_list(self, fill: Any = HOLE, *, max_length: int = 1 << 24) -> List[Any]:
        """The elements as a list, holes replaced by ``fill``.

        A peer can declare a length of up to 2**32 - 1 in a few bytes, hence
        ``max_length`` (``LimitError`` beyond it).
        """
        if self.length > max_length:
            raise LimitError(f"sparse array length {self.length} is over {max_length}")
        out = [fill] * self.length
        for index, value in self.elements.items():
            if index < self.length:
                out[index] = value
        return out

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, SparseArray)
            and self.length == other.length
            and self.elements == other.elements
            and self.properties == other.properties
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SparseArray({self.length}, {self.elements!r}, {self.properties!r})"


class JSDate:
    """A Date as milliseconds since 1970-01-01 UTC (NaN for an invalid Date)."""

    __slots__ = ("ms",)

    def __init__(self, ms: float) -> None:
        self.ms = float(ms)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSDate):
            return False
        return self.ms == other.ms or (math.isnan(self.ms) and math.isnan(other.ms))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSDate({self.ms!r})"


class Boxed:
    """A primitive wrapper object: ``new Number(1)``, ``new String('s')``, ...

    ``value`` is a ``bool``, ``float`` (or ``int``), ``str`` or ``BigInt``.
    """

    __slots__ = ("value",)

    def __init__(self, value: Union[bool, int, float, str]) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Boxed):
            return False
        a, b = self.value, other.value
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return type(a) is type(b) and a == b

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Boxed({self.value!r})"


# RegExp flag bits as V8 stores them, and the order JS prints them in.
_REGEXP_FLAG_BITS = {"g": 1, "i": 2, "m": 4, "y": 8, "u": 16, "s": 32, "d": 128, "v": 256}
_REGEXP_FLAG_ORDER = "dgimsuvy"
_REGEXP_LINEAR = 64  # only accepted by V8 behind an experimental flag
_REGEXP_ALL_BITS = 511


class JSRegExp:
    """A RegExp: its source text and flags (any order of ``dgimsuvy``)."""

    __slots__ = ("source", "flags")

    def __init__(self, source: str, flags: str = "") -> None:
        self.source = source
        self.flags = "".join(c for c in _REGEXP_FLAG_ORDER if c in flags)
        if len(self.flags) != len(flags):
            raise EncodeError(f"bad RegExp flags {flags!r}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JSRegExp) and (self.source, self.flags) == (
            other.source,
            other.flags,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSRegExp({self.source!r}, {self.flags!r})"


# Error prototypes V8 records with a tag; anything else reads back as Error.
_ERROR_PROTO_TAGS = {
    "EvalError": ord("E"),
    "RangeError": ord("R"),
    "ReferenceError": ord("F"),
    "SyntaxError": ord("S"),
    "TypeError": ord("T"),
    "URIError": ord("U"),
}
_ERROR_PROTO_NAMES = {tag: name for name, tag in _ERROR_PROTO_TAGS.items()}
_ERR_MESSAGE, _ERR_CAUSE, _ERR_STACK, _ERR_END = ord("m"), ord("c"), ord("s"), ord(".")


class JSError:
    """A JS Error.

    ``name`` is ``"Error"`` or one of the six native subclasses (other names
    are written as plain ``Error``, as V8 does); ``message`` and ``stack`` are
    ``None`` when absent; ``cause`` is ``NO_CAUSE`` when absent.
    """

    __slots__ = ("name", "message", "stack", "cause")

    def __init__(
        self,
        name: str = "Error",
        message: Optional[str] = None,
        stack: Optional[str] = None,
        cause: Any = NO_CAUSE,
    ) -> None:
        self.name = name
        self.message = message
        self.stack = stack
        self.cause = cause

    @property
    def has_cause(self) -> bool:
        return self.cause is not NO_CAUSE

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSError):
            return False
        if (self.name, self.message, self.stack) != (other.name, other.message, other.stack):
            return False
        if self.cause is NO_CAUSE or other.cause is NO_CAUSE:
            return self.cause is other.cause
        return bool(self.cause == other.cause)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        cause = "" if self.cause is NO_CAUSE else f", cause={self.cause!r}"
        return f"JSError({self.name!r}, {self.message!r}, stack={self.stack!r}{cause})"


class ArrayBuffer(bytes):
    """A decoded ArrayBuffer: ``bytes`` whose every instance is a buffer of its own.

    The interpreter shares equal plain ``bytes`` objects freely (every ``b""``
    and each one-byte value is one cached object), so ``dumps`` cannot take two
    occurrences of a plain ``bytes`` for one buffer.  Instances of this class are
    never shared that way: ``dumps`` writes one twice as a back-reference, the
    way ``loads`` found it.  Wrap plain bytes (``ArrayBuffer(data)``) to share
    one buffer between several views or places.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"ArrayBuffer({bytes(self)!r})"


class ResizableArrayBuffer:
    """An ArrayBuffer created with ``maxByteLength``."""

    __slots__ = ("data", "max_byte_length")

    def __init__(self, data: bytes, max_byte_length: int) -> None:
        if max_byte_length < len(data):
            raise EncodeError("max_byte_length is smaller than the data")
        self.data = bytes(data)
        self.max_byte_length = max_byte_length

    def __len__(self) -> int:
        return len(self.data)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ResizableArrayBuffer)
            and self.data == other.data
            and self.max_byte_length == other.max_byte_length
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ResizableArrayBuffer({self.data!r}, {self.max_byte_length})"


# kind -> (V8 view tag, element size, struct code for values)
_VIEW_KINDS: Dict[str, Tuple[int, int, str]] = {
    "Int8Array": (ord("b"), 1, "b"),
    "Uint8Array": (ord("B"), 1, "B"),
    "Uint8ClampedArray": (ord("C"), 1, "B"),
    "Int16Array": (ord("w"), 2, "h"),
    "Uint16Array": (ord("W"), 2, "H"),
    "Int32Array": (ord("d"), 4, "i"),
    "Uint32Array": (ord("D"), 4, "I"),
    "Float32Array": (ord("f"), 4, "f"),
    "Float64Array": (ord("F"), 8, "d"),
    "BigInt64Array": (ord("q"), 8, "q"),
    "BigUint64Array": (ord("Q"), 8, "Q"),
    "DataView": (ord("?"), 1, "B"),
}
_VIEW_KIND_BY_TAG = {tag: kind for kind, (tag, _, _) in _VIEW_KINDS.items()}
_VIEW_LENGTH_TRACKING = 1
_VIEW_BACKED_BY_RAB = 2

BufferLike = Union[bytes, bytearray, memoryview, ResizableArrayBuffer]


class TypedArray:
    """A typed array or DataView: ``byte_length`` bytes of ``buffer`` from ``byte_offset``.

    ``kind`` is the constructor name (``"Uint8Array"``, ``"Float64Array"``,
    ``"DataView"``, ...).  ``buffer`` is the whole backing ArrayBuffer, shared
    with any other view of it.  ``length_tracking`` marks a view that follows
    a resizable buffer's length.
    """

    __slots__ = ("kind", "buffer", "byte_offset", "byte_length", "length_tracking")

    def __init__(
        self,
        kind: str,
        buffer: BufferLike,
        byte_offset: int = 0,
        byte_length: Optional[int] = None,
        *,
        length_tracking: bool = False,
    ) -> None:
        if kind not in _VIEW_KINDS:
            raise EncodeError(f"unknown typed array kind {kind!r}")
        size = len(buffer) if not isinstance(buffer, memoryview) else buffer.nbytes
        if byte_length is None:
            byte_length = size - byte_offset
        element = _VIEW_KINDS[kind][1]
        if byte_offset < 0 or byte_length < 0 or byte_offset + byte_length > size:
            raise EncodeError(f"{kind} range {byte_offset}+{byte_length} outside a {size}-byte buffer")
        if byte_offset % element or byte_length % element:
            raise EncodeError(f"{kind} offset and length must be multiples of {element}")
        self.kind = kind
        self.buffer = buffer
        self.byte_offset = byte_offset
        self.byte_length = byte_length
        self.length_tracking = length_tracking

    @classmethod
    def of(cls, kind: str, values: Iterable[Union[int, float]]) -> TypedArray:
        """A view of ``kind`` over a new buffer holding ``values``."""
        if kind not in _VIEW_KINDS:
            raise EncodeError(f"unknown typed array kind {kind!r}")
        items = list(values)
        try:
            data = struct.pack(f"<{len(items)}{_VIEW_KINDS[kind][2]}", *items)
        except struct.error as exc:
            raise EncodeError(f"values do not fit {kind}: {exc}") from None
        return cls(kind, data)

    @property
    def data(self) -> bytes:
        """The bytes the view covers."""
        raw = self.buffer.data if isinstance(self.buffer, ResizableArrayBuffer) else self.buffer
        end = len(raw) if self.length_tracking else self.byte_offset + self.byte_length
        return bytes(raw[self.byte_offset : end])

    def tolist(self) -> List[Union[int, float]]:
        """The elements as numbers (bytes for a DataView)."""
        _, size, code = _VIEW_KINDS[self.kind]
        data = self.data
        return list(struct.unpack(f"<{len(data) // size}{code}", data))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TypedArray):
            return False
        return (
            self.kind == other.kind
            and self.byte_offset == other.byte_offset
            and self.byte_length == other.byte_length
            and self.length_tracking == other.length_tracking
            and _buffer_key(self.buffer) == _buffer_key(other.buffer)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"TypedArray({self.kind!r}, {self.buffer!r}, {self.byte_offset}, {self.byte_length}"
            + (", length_tracking=True)" if self.length_tracking else ")")
        )


def _buffer_key(buffer: BufferLike) -> Tuple[bytes, Optional[int]]:
    if isinstance(buffer, ResizableArrayBuffer):
        return buffer.data, buffer.max_byte_length
    return bytes(buffer), None


class HostObject:
    """Base of values written as V8 host objects (tag ``\\``).

    Subclasses write their body with the ``HostWriter`` methods; the reading
    side needs a matching ``host_reader``.
    """

    def write_host(self, writer: HostWriter) -> None:
        raise NotImplementedError


# -- reading --------------------------------------------------------------------
#
# The reader keeps its own stack instead of recursing, so that nesting is bounded
# by ``max_depth`` alone, not by the interpreter's stack.  Each container (object,
# array, Map, Set, Error) is read by a generator, a "job": it reads its leaves
# itself and, on meeting a nested container, yields that container's job to
# ``_drive``, which runs it to the end and resumes the parent.  A finished job
# leaves its value in ``_value`` for the parent to pick up.

_PENDING = _Sentinel("PENDING")  # an object id allocated but not yet readable
_NESTED = _Sentinel("NESTED")  # _shallow opened a container: its job is in _opened
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_MAX_DATE_MS = 8.64e15

T_PADDING = 0x00
T_VERSION = 0xFF
T_VERIFY_COUNT = 0x3F

# A job reading (or writing) one container; it yields the jobs of nested containers.
_Job = Iterator[Any]
_NO_JOB: _Job = iter(())


class _JobRunner:
    """What the reader and the writer share: running jobs on a stack of their own, one level
    of ``_depth`` per open container, at most ``_max_depth``."""

    _depth: int
    _max_depth: int

    def _run_jobs(self, job: _Job, too_deep: Callable[[], Exception]) -> None:
        """Run ``job`` and every job it opens to the end; ``too_deep()`` is raised when a
        container would nest deeper than ``_max_depth``."""
        base = self._depth
        max_depth = self._max_depth
        stack: List[_Job] = []
        try:
            if base >= max_depth:
                raise too_deep()
            self._depth = base + 1
            while True:
                for child in job:  # a nested container: run it first
                    if self._depth >= max_depth:
                        raise too_deep()
                    self._depth += 1
                    stack.append(job)
                    job = child
                    break
                else:  # job finished: back to its parent
                    if not stack:
                        return
                    self._depth -= 1
                    job = stack.pop()
        except BaseException:
            # Close the open jobs deepest first.  A job keeps the child it yielded in a
            # local, so freeing the stack from its root would free each child from inside
            # its parent's teardown: as many nested C calls as open levels, and a value
            # refused at the default depth crashed CPython 3.13 that way.
            stack.append(job)
            while stack:
                close = getattr(stack.pop(), "close", None)
                if close is not None:
                    close()
            raise
        finally:
            self._depth = base


class HostReader(_JobRunner):
    """Reads one V8-serialized value; also the API given to host-object readers.

    A ``host_reader`` callback reads the body of a host object with
    ``read_uint32``, ``read_uint64``, ``read_double``, ``read_raw_bytes`` and
    ``read_value`` and returns the Python value to use.
    """

    def __init__(
        self,
        data: bytes,
        *,
        version: int,
        max_depth: int,
        host_reader: Optional[Callable[[HostReader], Any]],
        max_objects: int = DEFAULT_MAX_OBJECTS,
    ) -> None:
        self._data = data
        self._view = memoryview(data)
        self._pos = 0
        self._end = len(data)
        self.version = version
        self._max_depth = max_depth
        self._depth = 0  # containers open, across host-object bodies too
        self._max_objects = max_objects
        self._host_reader = host_reader
        self._objects: List[Any] = []  # object id -> decoded object (or _PENDING)
        self._opened = _NO_JOB  # the job _shallow opened (when it returned _NESTED)
        self._value: Any = None  # the value of the job that finished last
        # Dense arrays whose elements are being read: object id -> the host
        # object depth they started at; and those referenced meanwhile (see
        # _read_dense_array).
        self._open_arrays: Dict[int, int] = {}
        self._referenced: Set[int] = set()
        self._host_referenced: Set[int] = set()  # ... from inside a host object's body
        # id(list) -> (the list, the SparseArray it turned into), for lists
        # referenced before they turned; fixed up by _replace_stale.  The list
        # is kept so that its id cannot be reused meanwhile.
        self._stale: Dict[int, Tuple[List[Any], SparseArray]] = {}
        self._host_depth = 0  # > 0 while a host_reader reads a body
        # Buffer and view sizes: 32-bit varints until version 16 widened them to 64.
        self._size_bits = 64 if version >= 16 else 32

    # -- primitives usable by host readers --

    @property
    def position(self) -> int:
        return self._pos

    def read_uint32(self) -> int:
        return self._varint(32)

    def read_uint64(self) -> int:
        return self._varint(64)

    def read_double(self) -> float:
        pos = self._pos
        if self._end - pos < 8:
            raise DecodeError(f"truncated double at byte {pos}")
        self._pos = pos + 8
        value: float = _DOUBLE.unpack_from(self._data, pos)[0]
        return value

    def read_raw_bytes(self, length: int) -> bytes:
        pos = self._pos
        if length < 0 or length > self._end - pos:
            raise DecodeError(f"{length} bytes declared at byte {pos}, only {self._end - pos} left")
        self._pos = pos + length
        return self._data[pos : pos + length]

    def read_value(self) -> Any:
        """Read one value, and the view that may follow an ArrayBuffer."""
        value = self._shallow()
        if value is _NESTED:
            value = self._drive(self._opened)
        return value

    # -- internals --

    def _shallow(self) -> Any:
        """Read a leaf value, or open a container: return _NESTED with its job in _opened."""
        # The tag's reader runs with the tag consumed; padding, verify counts and
        # the end of input have readers of their own (_read_after_padding).
        pos = self._pos
        tag = self._data[pos] if pos < self._end else T_PADDING
        self._pos = pos + 1
        return _READERS.get(tag, _read_unknown_tag)(self)

    def _drive(self, job: _Job) -> Any:
        """Run ``job`` and every job it opens to the end; the value ``job`` read (a finished
        job leaves its value in ``_value``, where its parent takes it)."""
        self._run_jobs(job, self._too_deep)
        return self._value

    def _too_deep(self) -> Exception:
        return LimitError(f"nesting deeper than {self._max_depth} at byte {self._pos}")

    def _next_value_tag(self) -> int:
        """The tag of the next value, past padding and (ignored) verify counts."""
        tag = self._next_tag()
        while tag == T_VERIFY_COUNT:
            self._varint(32)  # an old sanity check; the count is ignored
            tag = self._next_tag()
        return tag

    def _varint(self, bits: int) -> int:
        data, pos, end = self._data, self._pos, self._end
        if pos < end and data[pos] < 0x80:  # one byte: most counts, lengths and ids
            self._pos = pos + 1
            return data[pos]
        start = pos
        result = 0
        shift = 0
        while True:
            if pos >= end:
                raise DecodeError(f"truncated varint at byte {start}")
            byte = data[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                break
            shift += 7
            if shift >= bits:
                raise DecodeError(f"varint longer than {bits} bits at byte {start}")
        if result >> bits:
            raise DecodeError(f"varint larger than {bits} bits at byte {start}")
        self._pos = pos
        return result

    def _zigzag32(self) -> int:
        raw = self._varint(32)
        return (raw >> 1) ^ -(raw & 1)

    def _peek_tag(self) -> int:
        """The next tag after any padding, or -1 at the end of input."""
        data, pos, end = self._data, self._pos, self._end
        while pos < end and data[pos] == T_PADDING:
            pos += 1
        return data[pos] if pos < end else -1

    def _next_tag(self) -> int:
        data, pos, end = self._data, self._pos, self._end
        if pos < end and data[pos] != T_PADDING:
            self._pos = pos + 1
            return data[pos]
        while pos < end and data[pos] == T_PADDING:
            pos += 1
        if pos >= end:
            raise DecodeError(f"truncated: a tag was expected at byte {pos}")
        self._pos = pos + 1
        return data[pos]

    def _too_many_objects(self) -> LimitError:
        return LimitError(
            f"more than {self._max_objects} objects (the max_objects limit) at byte {self._pos}"
        )

    def _allocate_id(self) -> int:
        objects = self._objects
        if len(objects) >= self._max_objects:
            raise self._too_many_objects()
        objects.append(_PENDING)
        return len(objects) - 1

    def _register(self, object_id: int, value: _T) -> _T:
        self._objects[object_id] = value
        return value

    def _view_may_follow(self, buffer: Union[bytes, ResizableArrayBuffer]) -> Any:
        """``buffer``, or the view written right after it (or after a reference to it)."""
        if self._peek_tag() == 0x56:
            self._next_tag()
            return self._read_view(buffer)
        return buffer

    def _read_string_value(self, what: str) -> str:
        # Only the three string tags can give a string: anything else is refused
        # before it is read, so no container opens here.
        at = self._pos
        reader = _STRING_READERS.get(self._next_value_tag())
        if reader is None:
            raise DecodeError(f"{what} at byte {at} is not a string")
        return reader(self)

    def _read_key(self) -> str:
        data, at, end = self._data, self._pos, self._end
        # Short one-byte strings are most keys: read them without the general path.
        if at + 1 < end and data[at] == 0x22 and data[at + 1] < 0x80:
            stop = at + 2 + data[at + 1]
            if stop <= end:
                self._pos = stop
                return data[at + 2 : stop].decode("latin-1")
        # Keys are strings or numbers (V8 refuses anything else), so no
        # container opens here either.
        reader = _KEY_READERS.get(self._next_value_tag())
        if reader is None:
            raise DecodeError(f"property key at byte {at} is not a string or number")
        key = reader(self)
        if isinstance(key, str):
            return key
        if type(key) is int:
            return str(key)
        return _js_number_to_string(key)

    def _read_array_properties(
        self, array: SparseArray, end_tag: int
    ) -> Generator[_Job, None, int]:
        """Read key/value pairs into ``array`` up to ``end_tag``; returns their count."""
        count = 0
        while True:
            tag = self._peek_tag()
            if tag == -1:
                raise DecodeError(f"truncated: properties not closed at byte {self._pos}")
            if tag == end_tag:
                self._next_tag()
                return count
            at = self._pos
            key = self._read_key()
            value = self._shallow()
            if value is _NESTED:
                yield self._opened
                value = self._value
            _put_array_property(array, key, value, at)
            count += 1

    def _expect_count(self, what: str, actual: int) -> None:
        at = self._pos
        declared = self._varint(32)
        if declared != actual:
            raise DecodeError(f"{what} at byte {at} declares {declared}, found {actual}")

    # -- one reader per tag; containers are jobs (see _drive) --

    def _read_object(self) -> _Job:
        result: Dict[str, Any] = {}
        objects = self._objects
        if len(objects) >= self._max_objects:
            raise self._too_many_objects()
        objects.append(result)
        data, end, readers = self._data, self._end, _READERS
        while True:
            at = self._pos
            if at < end and data[at] == 0x7B:  # '{' ends the properties
                self._pos = at + 1
                break
            tag = self._peek_tag()
            if tag == 0x7B:
                self._next_tag()
                break
            if tag == -1:
                raise DecodeError(f"truncated: properties not closed at byte {at}")
            key = self._read_key()
            pos = self._pos  # _shallow inlined: a call less per property
            tag = data[pos] if pos < end else T_PADDING
            self._pos = pos + 1
            value = readers.get(tag, _read_unknown_tag)(self)
            if value is _NESTED:
                yield self._opened
                value = self._value
            if key in result:
                raise DecodeError(f"duplicate property {key!r} at byte {at}")
            result[key] = value
        self._expect_count("object property count", len(result))
        self._value = result

    def _read_dense_array(self) -> _Job:
        at = self._pos
        length = self._varint(32)
        # Each element takes at least one byte, so a longer array is malformed.
        if length > self._end - self._pos:
            raise DecodeError(f"array length {length} at byte {at} exceeds the input")
        items: List[Any] = []
        objects = self._objects
        object_id = len(objects)
        if object_id >= self._max_objects:
            raise self._too_many_objects()
        objects.append(items)
        self._open_arrays[object_id] = self._host_depth
        data, end, readers = self._data, self._end, _READERS
        for _ in range(length):
            pos = self._pos
            byte = data[pos] if pos < end else T_PADDING
            if byte == 0x2D:  # '-': a hole
                self._pos = pos + 1
                items.append(HOLE)
                continue
            if byte == T_PADDING and self._peek_tag() == 0x2D:
                self._next_tag()
                items.append(HOLE)
                continue
            self._pos = pos + 1  # _shallow inlined: a call less per element
            value = readers.get(byte, _read_unknown_tag)(self)
            if value is _NESTED:
                yield self._opened
                value = self._value
            items.append(value)
        del self._open_arrays[object_id]
        if self._peek_tag() == 0x24:  # '$' right away: no named properties, the usual case
            self._next_tag()
            self._expect_count("array property count", 0)
            self._expect_count("array length", length)
            self._value = items
            return
        # Named properties follow, which a list cannot hold: the array becomes
        # a SparseArray, registered before any property value is read so that
        # references from those values see it.  References read among the
        # elements already hold the list; they are replaced once the whole
        # value is read (_replace_stale), when every holder is complete.
        if object_id in self._host_referenced:
            raise DecodeError(
                f"a host object refers to its enclosing array {object_id}, which has named "
                f"properties (at byte {self._pos})"
            )
        sparse = SparseArray(length, {i: v for i, v in enumerate(items) if v is not HOLE})
        self._register(object_id, sparse)
        if object_id in self._referenced:
            self._stale[id(items)] = (items, sparse)
        count = yield from self._read_array_properties(sparse, ord("$"))
        self._expect_count("array property count", count)
        self._expect_count("array length", length)
        self._value = sparse

    def _read_sparse_array(self) -> _Job:
        length = self._varint(32)
        result = SparseArray(length)
        self._register(self._allocate_id(), result)
        count = yield from self._read_array_properties(result, ord("@"))
        self._expect_count("array property count", count)
        self._expect_count("array length", length)
        self._value = result

    def _read_map(self) -> _Job:
        pairs: List[Tuple[Any, Any]] = []
        result = _new_map(pairs)
        objects = self._objects
        if len(objects) >= self._max_objects:
            raise self._too_many_objects()
        objects.append(result)
        data = self._data
        while True:
            pos = self._pos
            if pos < self._end and data[pos] == 0x3A:  # ':' ends the Map
                self._pos = pos + 1
                break
            tag = self._peek_tag()
            if tag == 0x3A:
                self._next_tag()
                break
            if tag == -1:
                raise DecodeError(f"truncated: Map not closed at byte {self._pos}")
            key = self._shallow()
            if key is _NESTED:
                yield self._opened
                key = self._value
            value = self._shallow()
            if value is _NESTED:
                yield self._opened
                value = self._value
            pairs.append((key, value))
        self._expect_count("Map length", 2 * len(pairs))
        self._value = result

    def _read_set(self) -> _Job:
        items: List[Any] = []
        result = _new_set(items)
        self._register(self._allocate_id(), result)
        while True:
            tag = self._peek_tag()
            if tag == 0x2C:  # ','
                self._next_tag()
                break
            if tag == -1:
                raise DecodeError(f"truncated: Set not closed at byte {self._pos}")
            value = self._shallow()
            if value is _NESTED:
                yield self._opened
                value = self._value
            items.append(value)
        self._expect_count("Set length", len(items))
        self._value = result

    def _read_reference(self) -> Any:
        at = self._pos
        object_id = self._varint(32)
        if object_id >= len(self._objects) or self._objects[object_id] is _PENDING:
            raise DecodeError(f"reference to unknown object {object_id} at byte {at}")
        value = self._objects[object_id]
        if isinstance(value, (bytes, ResizableArrayBuffer)):
            return self._view_may_follow(value)
        if object_id in self._open_arrays:
            if self._open_arrays[object_id] < self._host_depth:
                # A host_reader's result is opaque: a list stored there could
                # not be replaced should the array turn out to be a SparseArray
                # (refused then, in _read_dense_array).
                self._host_referenced.add(object_id)
            else:
                self._referenced.add(object_id)
        return value

    def _read_date(self) -> Union[_dt.datetime, JSDate]:
        value = self.read_double()
        object_id = self._allocate_id()
        return self._register(object_id, _date_from_ms(value))

    def _read_boxed(self, tag: int) -> Boxed:
        object_id = self._allocate_id()
        inner: Union[bool, float, str, BigInt]
        if tag == ord("y"):
            inner = True
        elif tag == ord("x"):
            inner = False
        elif tag == ord("n"):
            inner = self.read_double()
        elif tag == ord("z"):
            inner = self._bigint_body()
        else:
            inner = self._read_string_value("String object value")
        return self._register(object_id, Boxed(inner))

    def _read_regexp(self) -> JSRegExp:
        object_id = self._allocate_id()
        source = self._read_string_value("RegExp source")
        at = self._pos
        bits = self._varint(32)
        if bits & ~_REGEXP_ALL_BITS or bits & _REGEXP_LINEAR:
            raise DecodeError(f"bad RegExp flags {bits:#x} at byte {at}")
        flags = "".join(c for c in _REGEXP_FLAG_ORDER if bits & _REGEXP_FLAG_BITS[c])
        return self._register(object_id, JSRegExp(source, flags))

    def _read_array_buffer(self) -> Any:
        object_id = self._allocate_id()
        length = self._varint(self._size_bits)
        pos = self._pos
        if length > self._end - pos:
            raise DecodeError(f"{length} bytes declared at byte {pos}, only {self._end - pos} left")
        self._pos = pos + length
        # One copy, straight from the input, into a buffer object of its own.
        buffer = self._register(object_id, ArrayBuffer(self._view[pos : pos + length]))
        return self._view_may_follow(buffer)

    def _read_resizable_buffer(self) -> Any:
        object_id = self._allocate_id()
        at = self._pos
        length = self._varint(self._size_bits)
        max_length = self._varint(self._size_bits)
        if length > max_length:
            raise DecodeError(f"resizable buffer at byte {at} is longer than its maximum")
        data = self.read_raw_bytes(length)
        buffer = self._register(object_id, ResizableArrayBuffer(data, max_length))
        return self._view_may_follow(buffer)

    def _read_view(self, buffer: Union[bytes, ResizableArrayBuffer]) -> TypedArray:
        at = self._pos
        tag = self._varint(8)
        offset = self._varint(self._size_bits)
        length = self._varint(self._size_bits)
        size = len(buffer)
        if offset > size or length > size - offset:
            raise DecodeError(f"view at byte {at} reaches past its {size}-byte buffer")
        flags = self._varint(32) if self.version >= 14 else 0
        object_id = self._allocate_id()
        kind = _VIEW_KIND_BY_TAG.get(tag)
        if kind is None:
            raise DecodeError(f"unknown view type {tag:#04x} at byte {at}")
        element = _VIEW_KINDS[kind][1]
        if offset % element or length % element:
            raise DecodeError(f"{kind} at byte {at} is not aligned to its element size")
        resizable = isinstance(buffer, ResizableArrayBuffer)
        tracking = bool(flags & _VIEW_LENGTH_TRACKING)
        backed = bool(flags & _VIEW_BACKED_BY_RAB)
        if (tracking or backed) and not resizable or resizable and not backed:
            raise DecodeError(f"view flags {flags} at byte {at} do not match its buffer")
        return self._register(
            object_id, TypedArray(kind, buffer, offset, length, length_tracking=tracking)
        )

    def _read_error(self) -> _Job:
        object_id = self._allocate_id()
        error = JSError()
        while True:
            at = self._pos
            tag = self._varint(8)
            if tag == _ERR_END:
                break
            if tag in _ERROR_PROTO_NAMES:
                error.name = _ERROR_PROTO_NAMES[tag]
            elif tag == _ERR_MESSAGE:
                error.message = self._read_string_value("Error message")
            elif tag == _ERR_STACK:
                error.stack = self._read_string_value("Error stack")
            elif tag == _ERR_CAUSE:
                cause = self._shallow()
                if cause is _NESTED:
                    yield self._opened
                    cause = self._value
                error.cause = cause
            else:
                raise DecodeError(f"unknown Error field {tag:#04x} at byte {at}")
        # Registered only now: V8 cannot refer to an Error from inside it either.
        self._value = self._register(object_id, error)

    def _bigint_body(self) -> BigInt:
        at = self._pos
        bitfield = self._varint(32)
        if bitfield >> 31:
            raise DecodeError(f"bad BigInt header at byte {at}")
        if bitfield == 1:  # the sign bit with no digits: -0n, which V8 refuses
            raise DecodeError(f"BigInt -0 (sign without digits) at byte {at}")
        digits = self.read_raw_bytes(bitfield >> 1)
        magnitude = int.from_bytes(digits, "little")
        return BigInt(-magnitude if bitfield & 1 else magnitude)

    def _read_host(self) -> Any:
        if self._host_reader is None:
            raise DecodeError(f"host object at byte {self._pos - 1} and no host_reader given")
        if self._host_depth >= MAX_HOST_NESTING:
            raise LimitError(
                f"host objects nested {MAX_HOST_NESTING} deep in each other's bodies at byte "
                f"{self._pos - 1}"
            )
        object_id = self._allocate_id()
        self._host_depth += 1
        try:
            value = self._host_reader(self)
        finally:
            self._host_depth -= 1
        self._register(object_id, value)
        if isinstance(value, (bytes, ResizableArrayBuffer)):
            return self._view_may_follow(value)
        return value

    def _replace_stale(self) -> None:
        """Put each SparseArray where references stored its superseded list."""
        stale = self._stale
        if not stale:
            return
        for holder in self._objects:
            if isinstance(holder, list):
                _replace_in_list(holder, stale)
            elif isinstance(holder, dict):
                for key, item in holder.items():
                    if id(item) in stale:
                        holder[key] = stale[id(item)][1]
            elif isinstance(holder, SparseArray):
                for index, item in holder.elements.items():
                    if id(item) in stale:
                        holder.elements[index] = stale[id(item)][1]
                for key, item in holder.properties.items():
                    if id(item) in stale:
                        holder.properties[key] = stale[id(item)][1]
            elif isinstance(holder, JSSet):
                _replace_in_list(holder.items, stale)
            elif isinstance(holder, JSMap):
                holder.pairs = [
                    (stale[id(k)][1] if id(k) in stale else k, stale[id(v)][1] if id(v) in stale else v)
                    for k, v in holder.pairs
                ]
            elif isinstance(holder, JSError) and id(holder.cause) in stale:
                holder.cause = stale[id(holder.cause)][1]
        stale.clear()



def _read_after_padding(r: HostReader) -> Any:
    """Padding or a verify count before a tag (or the end of input): skip them, read on."""
    r._pos -= 1
    return _READERS.get(r._next_value_tag(), _read_unknown_tag)(r)


def _read_unknown_tag(r: HostReader) -> Any:
    at = r._pos - 1
    tag = r._data[at]
    raise DecodeError(f"unknown tag {tag:#04x} ({chr(tag)!r}) at byte {at}")


def _unsupported(what: str) -> Callable[[HostReader], Any]:
    """A reader for a tag that needs state from outside the bytes (transfers, shared memory)."""

    def read(reader: HostReader) -> Any:
        at = reader.position - 1
        raise DecodeError(f"{what} cannot be decoded without its out-of-band state at byte {at}")

    return read


def _read_string_one_byte(r: HostReader) -> str:
    return r.read_raw_bytes(r._varint(32)).decode("latin-1")


def _read_string_two_byte(r: HostReader) -> str:
    at = r._pos
    length = r._varint(32)
    if length & 1:
        raise DecodeError(f"two-byte string at byte {at} has odd length {length}")
    return r.read_raw_bytes(length).decode("utf-16-le", "surrogatepass")


def _read_string_utf8(r: HostReader) -> str:
    return r.read_raw_bytes(r._varint(32)).decode("utf-8", "replace")


def _container(read: Callable[[HostReader], _Job]) -> Callable[[HostReader], Any]:
    """A tag reader that opens a container: its job goes to ``_drive``, not the stack."""

    def open_container(reader: HostReader) -> Any:
        reader._opened = read(reader)
        return _NESTED

    return open_container


_READERS: Dict[int, Callable[[HostReader], Any]] = {
    T_PADDING: _read_after_padding,
    T_VERIFY_COUNT: _read_after_padding,
    ord("_"): lambda r: UNDEFINED,
    ord("0"): lambda r: None,
    ord("T"): lambda r: True,
    ord("F"): lambda r: False,
    ord("I"): HostReader._zigzag32,
    ord("U"): lambda r: r._varint(32),
    ord("N"): HostReader.read_double,
    ord("Z"): HostReader._bigint_body,
    ord('"'): _read_string_one_byte,
    ord("c"): _read_string_two_byte,
    ord("S"): _read_string_utf8,
    ord("^"): HostReader._read_reference,
    ord("o"): _container(HostReader._read_object),
    ord("A"): _container(HostReader._read_dense_array),
    ord("a"): _container(HostReader._read_sparse_array),
    ord("D"): HostReader._read_date,
    ord("y"): lambda r: r._read_boxed(ord("y")),
    ord("x"): lambda r: r._read_boxed(ord("x")),
    ord("n"): lambda r: r._read_boxed(ord("n")),
    ord("z"): lambda r: r._read_boxed(ord("z")),
    ord("s"): lambda r: r._read_boxed(ord("s")),
    ord("R"): HostReader._read_regexp,
    ord(";"): _container(HostReader._read_map),
    ord("'"): _container(HostReader._read_set),
    ord("B"): HostReader._read_array_buffer,
    ord("~"): HostReader._read_resizable_buffer,
    ord("r"): _container(HostReader._read_error),
    ord("\\"): HostReader._read_host,
    ord("t"): _unsupported("a transferred ArrayBuffer"),
    ord("u"): _unsupported("a SharedArrayBuffer"),
    ord("w"): _unsupported("a WebAssembly.Module"),
    ord("m"): _unsupported("a WebAssembly.Memory"),
    ord("p"): _unsupported("a shared object"),
}


# The tags that give a string, and those allowed for a property key (strings and numbers).
_STRING_READERS: Dict[int, Callable[[HostReader], str]] = {
    ord('"'): _read_string_one_byte,
    ord("c"): _read_string_two_byte,
    ord("S"): _read_string_utf8,
}
_KEY_READERS: Dict[int, Callable[[HostReader], Any]] = {
    **_STRING_READERS,
    ord("I"): HostReader._zigzag32,
    ord("U"): lambda r: r._varint(32),
    ord("N"): HostReader.read_double,
}


def _new_map(pairs: List[Tuple[Any, Any]]) -> JSMap:
    """A JSMap over ``pairs`` as they are, without the constructor's copy."""
    result = JSMap.__new__(JSMap)
    result.pairs = pairs
    return result


def _new_set(items: List[Any]) -> JSSet:
    """A JSSet over ``items`` as they are, without the constructor's copy."""
    result = JSSet.__new__(JSSet)
    result.items = items
    return result


def _replace_in_list(items: List[Any], stale: Dict[int, Tuple[List[Any], SparseArray]]) -> None:
    for index, item in enumerate(items):
        if id(item) in stale:
            items[index] = stale[id(item)][1]


def _put_array_property(array: SparseArray, key: str, value: Any, at: int) -> None:
    index = _array_index(key)
    if index is None:
        if key in array.properties:
            raise DecodeError(f"duplicate property {key!r} at byte {at}")
        array.properties[key] = value
        return
    if index in array.elements:
        raise DecodeError(f"duplicate element {index} at byte {at}")
    array.elements[index] = value
    if index >= array.length:
        array.length = index + 1


def _array_index(key: str) -> Optional[int]:
    """The array index a property key names, or None (JS's canonical form only)."""
    if not key or len(key) > 10 or not key.isascii() or not key.isdigit():
        return None
    if key[0] == "0" and key != "0":
        return None
    index = int(key)
    return index if index <= _MAX_ARRAY_INDEX else None


def _date_from_ms(value: float) -> Union[_dt.datetime, JSDate]:
    if math.isnan(value) or abs(value) > _MAX_DATE_MS:
        return JSDate(math.nan)
    ms = int(value)  # JS time values are whole milliseconds, cut toward zero
    try:
        return _EPOCH + _dt.timedelta(milliseconds=ms)
    except OverflowError:
        return JSDate(float(ms))


def _js_number_to_string(value: float) -> str:
    """JavaScript's ``String(number)``, used for numeric property keys."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    if value < 0:
        return "-" + _js_number_to_string(-value)
    # repr gives the shortest round-tripping digits, as JS does; rewrite them
    # as digits * 10**(n - k) with k = len(digits), the form JS formats from.
    mantissa, _, exp_text = repr(value).partition("e")
    whole, _, frac = mantissa.partition(".")
    scale = (int(exp_text) if exp_text else 0) - len(frac)
    all_digits = (whole + frac).lstrip("0")
    digits = all_digits.rstrip("0")
    scale += len(all_digits) - len(digits)
    point = len(digits) + scale
    k, n = len(digits), point
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    exponent = f"e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    if k == 1:
        return digits + exponent
    return digits[0] + "." + digits[1:] + exponent


def loads(
    data: Union[bytes, bytearray, memoryview],
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_size: int = DEFAULT_MAX_SIZE,
    max_objects: int = DEFAULT_MAX_OBJECTS,
    host_reader: Optional[Callable[[HostReader], Any]] = None,
    header: bool = True,
) -> Any:
    """Decode one V8-serialized value.

    ``header=False`` reads data written without the ``FF <version>`` header
    (as version 15).  ``max_depth`` bounds nesting (containers inside
    containers), ``max_size`` the input length, and ``max_objects`` the
    objects the value holds: everything V8 gives an object id (objects,
    arrays, Maps, Sets, Dates, Errors, RegExps, boxed primitives, buffers,
    views, host objects), each counted once however often it is referenced.
    Each limit exceeded raises ``LimitError``.  The whole input must be one
    value.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"loads() needs bytes, not {type(data).__name__}")
    raw = bytes(data)
    if len(raw) > max_size:
        raise LimitError(f"input of {len(raw)} bytes is over the {max_size}-byte limit")
    version = LATEST_VERSION
    start = 0
    if header:
        if not raw or raw[0] != T_VERSION:
            raise DecodeError("missing version header (0xFF) at byte 0")
        probe = HostReader(raw, version=version, max_depth=max_depth, host_reader=None)
        probe._pos = 1
        version = probe._varint(32)
        if not OLDEST_VERSION <= version <= NEWEST_VERSION:
            raise DecodeError(f"unsupported format version {version} at byte 1")
        start = probe._pos
    reader = HostReader(
        raw, version=version, max_depth=max_depth, host_reader=host_reader, max_objects=max_objects
    )
    reader._pos = start
    try:
        value = reader.read_value()
    except RecursionError:  # only a host_reader that recurses on its own gets here
        raise LimitError("host objects nest deeper than the Python stack allows") from None
    if reader._pos != len(raw):
        raise DecodeError(f"{len(raw) - reader._pos} bytes of trailing data at byte {reader._pos}")
    reader._replace_stale()
    return value


# node's DefaultSerializer writes Buffers and typed arrays as host objects:
# a type index, a byte length, then the bytes.  Index 10 is node's Buffer.
_NODE_VIEW_KINDS = (
    "Int8Array",
    "Uint8Array",
    "Uint8ClampedArray",
    "Int16Array",
    "Uint16Array",
    "Int32Array",
    "Uint32Array",
    "Float32Array",
    "Float64Array",
    "DataView",
    "Uint8Array",
    "BigInt64Array",
    "BigUint64Array",
)


def node_host_reader(reader: HostReader) -> TypedArray:
    """A ``host_reader`` for node's ``v8.serialize`` output (Buffers, typed arrays)."""
    at = reader.position
    index = reader.read_uint32()
    if index >= len(_NODE_VIEW_KINDS):
        raise DecodeError(f"unknown node view type {index} at byte {at}")
    kind = _NODE_VIEW_KINDS[index]
    data = reader.read_raw_bytes(reader.read_uint32())
    if len(data) % _VIEW_KINDS[kind][1]:
        raise DecodeError(f"{kind} at byte {at} is not a whole number of elements")
    return TypedArray(kind, data)


# -- writing --------------------------------------------------------------------


class HostWriter(_JobRunner):
    """Writes one value; also the API given to ``HostObject.write_host``.

    Like the reader, it keeps its own stack: each container is written by a
    job (a generator) that writes its leaves itself and yields the job of each
    nested container to ``_drive``.
    """

    def __init__(self, *, version: int, max_depth: int) -> None:
        self._buf = bytearray()
        self.version = version
        self._max_depth = max_depth
        self._depth = 0  # containers open, across host-object bodies too
        self._host_depth = 0  # > 0 while a HostObject writes its body
        self._ids: Dict[int, int] = {}  # id(python object) -> object id
        # Object ids of Errors being written: V8's reader makes an Error
        # referable only once it is complete, so a reference from its cause fails.
        self._open_errors: Set[int] = set()
        self._keep: List[Any] = []  # holds written objects so their id() stays unique
        self._next_id = 0

    def getvalue(self) -> bytes:
        return bytes(self._buf)

    # -- primitives usable by host objects --

    def write_uint32(self, value: int) -> None:
        if not 0 <= value <= _U32_MAX:
            raise EncodeError(f"{value} does not fit a uint32")
        self._varint(value)

    def write_uint64(self, value: int) -> None:
        if not 0 <= value < 2**64:
            raise EncodeError(f"{value} does not fit a uint64")
        self._varint(value)

    def write_double(self, value: float) -> None:
        self._buf += _DOUBLE.pack(value)

    def write_raw_bytes(self, data: Union[bytes, bytearray, memoryview]) -> None:
        self._buf += data

    def write_value(self, value: Any) -> None:
        job = self._write(value)
        if job is not None:
            self._drive(job)

    # -- internals --

    def _drive(self, job: _Job) -> None:
        """Run ``job`` and every job it opens to the end."""
        self._run_jobs(job, self._too_deep)

    def _too_deep(self) -> Exception:
        return EncodeError(f"value nests deeper than {self._max_depth}")

    def _varint(self, value: int) -> None:
        buf = self._buf
        while value >= 0x80:
            buf.append((value & 0x7F) | 0x80)
            value >>= 7
        buf.append(value)

    def _tag(self, tag: str) -> None:
        self._buf.append(ord(tag))

    def _write(self, value: Any) -> Optional[_Job]:
        """Write a leaf value, or return the job that writes a container."""
        if value is None:
            self._tag("0")
        elif value is True:
            self._tag("T")
        elif value is False:
            self._tag("F")
        elif value is UNDEFINED:
            self._tag("_")
        elif isinstance(value, str):
            self._string(value)
        elif isinstance(value, BigInt):
            self._tag("Z")
            self._bigint_body(value)
        elif isinstance(value, int):
            self._number(value)
        elif isinstance(value, float):
            self._tag("N")
            self.write_double(value)
        elif value is HOLE:
            raise EncodeError("HOLE is only allowed as a list element")
        elif isinstance(value, TypedArray):
            self._view(value)
        else:
            return self._receiver(value)
        return None

    def _number(self, value: int) -> None:
        if _INT32_MIN <= value <= _INT32_MAX:
            self._tag("I")
            self._varint(((value << 1) ^ (value >> 31)) & 0xFFFFFFFF)
        elif -_MAX_SAFE <= value <= _MAX_SAFE:
            self._tag("N")
            self.write_double(float(value))
        else:
            self._tag("Z")
            self._bigint_body(value)

    def _bigint_body(self, value: int) -> None:
        magnitude = abs(value)
        length = (magnitude.bit_length() + 63) // 64 * 8  # whole 64-bit digits
        if length >= 2**30:
            raise EncodeError("BigInt too large")
        self._varint((length << 1) | (1 if value < 0 else 0))
        self._buf += magnitude.to_bytes(length, "little")

    def _string(self, value: str) -> None:
        if value.isascii():
            raw = value.encode("ascii")
        else:
            try:
                raw = value.encode("latin-1")
            except UnicodeEncodeError:
                self._two_byte_string(value)
                return
        self._tag('"')
        self._varint(len(raw))
        self._buf += raw

    def _two_byte_string(self, value: str) -> None:
        raw = value.encode("utf-16-le", "surrogatepass")
        # V8 pads so that the UTF-16 data starts at an even offset.
        if (len(self._buf) + 1 + _varint_size(len(raw))) & 1:
            self._buf.append(T_PADDING)
        self._tag("c")
        self._varint(len(raw))
        self._buf += raw

    def _reference(self, value: Any, track: bool = True) -> bool:
        """Write a back-reference if ``value`` was seen; else give it the next id."""
        key = id(value)
        if track and key in self._ids:
            object_id = self._ids[key]
            if object_id in self._open_errors:
                raise EncodeError("an Error's cause refers back to the Error, which V8 cannot read")
            self._tag("^")
            self._varint(object_id)
            return True
        if track:
            self._ids[key] = self._next_id
            self._keep.append(value)
        self._next_id += 1
        return False

    def _receiver(self, value: Any) -> Optional[_Job]:
        # The interpreter shares equal tuples, frozensets and plain bytes
        # freely, so their identity says nothing: write each one in full.
        track = not isinstance(value, (tuple, frozenset)) and type(value) is not bytes
        writer = _WRITERS.get(type(value))
        if writer is None:
            writer = _writer_for_subclass(value)
        if self._reference(value, track):
            return None
        return writer(self, value)

    def _object(self, value: Mapping[Any, Any]) -> _Job:
        indexed: List[Tuple[int, Any]] = []
        named: List[Tuple[str, Any]] = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise EncodeError(
                    f"object keys must be str, not {type(key).__name__} (use JSMap for other keys)"
                )
            index = _array_index(key)
            if index is None:
                named.append((key, item))
            else:
                indexed.append((index, item))
        indexed.sort(key=lambda pair: pair[0])
        self._tag("o")
        yield from self._properties(indexed, named)
        self._tag("{")
        self._varint(len(indexed) + len(named))

    def _properties(self, indexed: List[Tuple[int, Any]], named: List[Tuple[str, Any]]) -> _Job:
        # V8 lists index keys first, ascending, and writes them as numbers.
        for index, item in indexed:
            self._number(index)
            job = self._write(item)
            if job is not None:
                yield job
        for key, item in named:
            self._string(key)
            job = self._write(item)
            if job is not None:
                yield job

    def _dense_array(self, value: Union[List[Any], Tuple[Any, ...]]) -> _Job:
        self._tag("A")
        self._varint(len(value))
        for item in value:
            if item is HOLE:
                self._tag("-")
            else:
                job = self._write(item)
                if job is not None:
                    yield job
        self._tag("$")
        self._varint(0)
        self._varint(len(value))

    def _sparse_array(self, value: SparseArray) -> _Job:
        if type(value.length) is not int or not 0 <= value.length <= _U32_MAX:
            raise EncodeError(f"array length {value.length!r} is not an int in 0..2**32-1")
        for index in value.elements:
            if type(index) is not int:
                raise EncodeError(f"array element index {index!r} is not an int")
            if not 0 <= index < value.length:
                raise EncodeError(f"element {index} outside array length {value.length}")
        indexed = sorted(value.elements.items(), key=lambda pair: pair[0])
        named = list(value.properties.items())
        for key, _ in named:
            if not isinstance(key, str) or _array_index(key) is not None:
                raise EncodeError(f"array property {key!r} must be a non-index string")
        self._tag("a")
        self._varint(value.length)
        yield from self._properties(indexed, named)
        self._tag("@")
        self._varint(len(indexed) + len(named))
        self._varint(value.length)

    def _map(self, value: JSMap) -> _Job:
        self._tag(";")
        for key, item in value.pairs:
            job = self._write(key)
            if job is not None:
                yield job
            job = self._write(item)
            if job is not None:
                yield job
        self._tag(":")
        self._varint(2 * len(value.pairs))

    def _set(self, value: Iterable[Any]) -> _Job:
        items = list(value)
        self._tag("'")
        for item in items:
            job = self._write(item)
            if job is not None:
                yield job
        self._tag(",")
        self._varint(len(items))

    def _date(self, value: Union[_dt.datetime, JSDate]) -> None:
        self._tag("D")
        if isinstance(value, JSDate):
            self.write_double(value.ms)
            return
        try:
            offset = value.utcoffset()
        except (TypeError, ValueError) as exc:  # a broken tzinfo
            raise EncodeError(f"datetime has no usable UTC offset: {exc}") from None
        if offset is None:  # naive, as Python defines it: taken as UTC
            value = value.replace(tzinfo=_dt.timezone.utc)
        micros = (value - _EPOCH) // _dt.timedelta(microseconds=1)
        # A Date is a whole millisecond: the one the instant falls in, which
        # before the epoch is the earlier one (floor, not toward zero).
        self.write_double(float(micros // 1000))

    def _boxed(self, value: Boxed) -> None:
        inner = value.value
        if inner is True:
            self._tag("y")
        elif inner is False:
            self._tag("x")
        elif isinstance(inner, BigInt):
            self._tag("z")
            self._bigint_body(inner)
        elif isinstance(inner, (int, float)):
            self._tag("n")
            try:
                self.write_double(float(inner))
            except OverflowError:
                raise EncodeError(f"{inner} does not fit a double") from None
        elif isinstance(inner, str):
            self._tag("s")
            self._string(inner)
        else:
            raise EncodeError(f"cannot box {type(inner).__name__}")

    def _regexp(self, value: JSRegExp) -> None:
        if not isinstance(value.source, str):
            raise EncodeError(f"JSRegExp.source must be a str, not {type(value.source).__name__}")
        self._tag("R")
        self._string(value.source)
        self._varint(sum(_REGEXP_FLAG_BITS[c] for c in value.flags))

    def _array_buffer(self, value: Union[bytes, bytearray, memoryview]) -> None:
        raw = bytes(value) if isinstance(value, memoryview) else value
        if len(raw) > _U32_MAX and self.version < 16:
            raise EncodeError("ArrayBuffer larger than 4 GiB needs format version 16")
        self._tag("B")
        self._varint(len(raw))
        self._buf += raw

    def _resizable_buffer(self, value: ResizableArrayBuffer) -> None:
        if value.max_byte_length > _U32_MAX and self.version < 16:
            raise EncodeError("a maximum length over 4 GiB needs format version 16")
        self._tag("~")
        self._varint(len(value.data))
        self._varint(value.max_byte_length)
        self._buf += value.data

    def _view(self, value: TypedArray) -> None:
        if id(value) in self._ids:
            self._reference(value)
            return
        buffer = value.buffer
        if not isinstance(buffer, (bytes, bytearray, memoryview, ResizableArrayBuffer)):
            raise EncodeError(f"a view's buffer must be bytes-like, not {type(buffer).__name__}")
        # The buffer goes first (or a reference to it), then the view.
        self._receiver(buffer)  # a leaf: no job to drive
        self._reference(value)
        tag = _VIEW_KINDS[value.kind][0]
        flags = 0
        if isinstance(buffer, ResizableArrayBuffer):
            if self.version < 14:
                # Only the view flags tell a reader the buffer is resizable.
                raise EncodeError("a view of a ResizableArrayBuffer needs format version 14 or later")
            flags = _VIEW_BACKED_BY_RAB | (_VIEW_LENGTH_TRACKING if value.length_tracking else 0)
        elif value.length_tracking:
            raise EncodeError("only a view of a ResizableArrayBuffer can track its length")
        self._tag("V")
        self._varint(tag)
        self._varint(value.byte_offset)
        self._varint(value.byte_length)
        if self.version >= 14:
            self._varint(flags)

    def _error(self, value: JSError) -> _Job:
        for field in ("name", "message", "stack"):
            text = getattr(value, field)
            if not isinstance(text, str) and (field == "name" or text is not None):
                raise EncodeError(f"JSError.{field} must be a str, not {type(text).__name__}")
        self._tag("r")
        proto = _ERROR_PROTO_TAGS.get(value.name)
        if proto is not None:
            self._varint(proto)
        if value.message is not None:
            self._varint(_ERR_MESSAGE)
            self._string(value.message)
        # The stack before the cause, as workerd's V8 writes them: it refuses a cause followed
        # by a stack (node reads either order).
        if value.stack is not None:
            self._varint(_ERR_STACK)
            self._string(value.stack)
        if value.cause is not NO_CAUSE:
            object_id = self._ids[id(value)]
            self._open_errors.add(object_id)
            self._varint(_ERR_CAUSE)
            job = self._write(value.cause)
            if job is not None:
                yield job
            self._open_errors.discard(object_id)
        self._varint(_ERR_END)

    def _host(self, value: HostObject) -> None:
        if self._host_depth >= MAX_HOST_NESTING:
            raise EncodeError(f"host objects nested {MAX_HOST_NESTING} deep in each other's bodies")
        self._tag("\\")
        self._host_depth += 1
        try:
            value.write_host(self)
        finally:
            self._host_depth -= 1


def _varint_size(value: int) -> int:
    size = 1
    while value >= 0x80:
        value >>= 7
        size += 1
    return size


_Writer = Callable[[HostWriter, Any], Optional[_Job]]

_WRITERS: Dict[type, _Writer] = {
    dict: HostWriter._object,
    list: HostWriter._dense_array,
    tuple: HostWriter._dense_array,
    SparseArray: HostWriter._sparse_array,
    JSMap: HostWriter._map,
    set: HostWriter._set,
    frozenset: HostWriter._set,
    JSSet: HostWriter._set,
    _dt.datetime: HostWriter._date,
    JSDate: HostWriter._date,
    Boxed: HostWriter._boxed,
    JSRegExp: HostWriter._regexp,
    bytes: HostWriter._array_buffer,
    ArrayBuffer: HostWriter._array_buffer,
    bytearray: HostWriter._array_buffer,
    memoryview: HostWriter._array_buffer,
    ResizableArrayBuffer: HostWriter._resizable_buffer,
    JSError: HostWriter._error,
}


def _writer_for_subclass(value: Any) -> _Writer:
    if isinstance(value, HostObject):
        return HostWriter._host
    for base, writer in _WRITERS.items():
        if isinstance(value, base):
            return writer
    if isinstance(value, Mapping):
        return HostWriter._object
    raise EncodeError(f"cannot serialize a value of type {type(value).__name__}")


def dumps(
    value: Any,
    *,
    version: int = LATEST_VERSION,
    header: bool = True,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> bytes:
    """Encode ``value`` in V8's format (``FF 0F`` header and one value).

    ``version`` (13 to 16) is written in the header and decides whether views
    carry flags (14 and later); ``header=False`` leaves the header out.
    """
    if not OLDEST_VERSION <= version <= NEWEST_VERSION:
        raise EncodeError(f"cannot write format version {version}")
    writer = HostWriter(version=version, max_depth=max_depth)
    if header:
        writer._buf.append(T_VERSION)
        writer._varint(version)
    try:
        writer.write_value(value)
    except RecursionError:  # only a HostObject that recurses on its own gets here
        raise EncodeError("host objects nest deeper than the Python stack allows") from None
    return writer.getvalue()
