"""Generated from calculator.capnp by capnp_lite codegen: do not edit.

File ID 0x85150b117366d14b.
"""

from __future__ import annotations

import struct
from typing import Any, Final, List, Optional, Sequence, Tuple

from capnp_lite.codegen import runtime as _rt
from capnp_lite.aio import typed as _typed

FILE_ID: Final = 0x85150b117366d14b


class Calculator_Operator(_rt.CapnpEnum):
    """Enum Operator (0x8793407861e6dfe6)."""

    add = 0
    subtract = 1
    multiply = 2
    divide = 3


_M_Calculator_Operator: Final[Tuple[Calculator_Operator, ...]] = tuple(Calculator_Operator)


class Calculator_Expression_Which(_rt.CapnpEnum):
    """Union tags of Expression."""

    literal = 0
    previousResult = 1
    parameter = 2
    call = 3


_M_Calculator_Expression_Which: Final[Tuple[Calculator_Expression_Which, ...]] = tuple(Calculator_Expression_Which)


class Calculator_Expression_Reader(_rt.StructView):
    """Reader of struct Expression (0xd438d7caf5548d15): 2 data words, 2 pointers."""

    __slots__ = ()

    def which(self) -> Calculator_Expression_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_Calculator_Expression_Which[e] if e < 4 else Calculator_Expression_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 10:
            v: Tuple[Any, ...] = _SC0.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC0.read(self)
        self._v = v
        return v

    @property
    def literal(self) -> float:
        if self._n >= 8:
            return self._seg.f64[(self._d >> 3) + 0]
        return 0.0

    @property
    def previousResult(self) -> Optional[int]:
        return self._r.get_capability(0)

    @property
    def parameter(self) -> int:
        if self._n >= 4:
            return self._seg.u32[(self._d >> 2) + 0]
        return 0

    @property
    def call(self) -> Calculator_Expression_call_Reader:
        return _rt.group(self, Calculator_Expression_call_Reader)


class Calculator_Expression_call_Reader(_rt.StructView):
    """Reader of group call (0xd99522a3d3878d66): 2 data words, 2 pointers."""

    __slots__ = ()

    @property
    def function(self) -> Optional[int]:
        return self._r.get_capability(0)

    @property
    def params(self) -> _rt.StructList[Calculator_Expression_Reader]:
        return _rt.struct_list(self, 1, Calculator_Expression_Reader)


class Calculator_Value_read_Params_Reader(_rt.StructView):
    """Reader of struct read$Params (0xd3532574d58db558): 0 data words, 0 pointers."""

    __slots__ = ()


class Calculator_Value_read_Results_Reader(_rt.StructView):
    """Reader of struct read$Results (0xe6be6723122ae822): 1 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC2.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC2.read(self)
        self._v = v
        return v

    @property
    def value(self) -> float:
        r: float = (self._v or self._load())[0]
        return r


class Calculator_Function_call_Params_Reader(_rt.StructView):
    """Reader of struct call$Params (0xb19160df70b87717): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def params(self) -> Sequence[float]:
        return _rt.prim_list(self, 0, 5, 'd')


class Calculator_Function_call_Results_Reader(_rt.StructView):
    """Reader of struct call$Results (0xc0e0abf76914dead): 1 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC2.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC2.read(self)
        self._v = v
        return v

    @property
    def value(self) -> float:
        r: float = (self._v or self._load())[0]
        return r


class Calculator_evaluate_Params_Reader(_rt.StructView):
    """Reader of struct evaluate$Params (0xbb0eaae1557a36d4): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def expression(self) -> Calculator_Expression_Reader:
        return _rt.struct_field(self, 0, Calculator_Expression_Reader)


class Calculator_evaluate_Results_Reader(_rt.StructView):
    """Reader of struct evaluate$Results (0x81b1a3f55887a611): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def value(self) -> Optional[int]:
        return self._r.get_capability(0)


class Calculator_defFunction_Params_Reader(_rt.StructView):
    """Reader of struct defFunction$Params (0xf287bcba4556dc89): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 4:
            v: Tuple[Any, ...] = _SC4.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC4.read(self)
        self._v = v
        return v

    @property
    def paramCount(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def body(self) -> Calculator_Expression_Reader:
        return _rt.struct_field(self, 0, Calculator_Expression_Reader)


class Calculator_defFunction_Results_Reader(_rt.StructView):
    """Reader of struct defFunction$Results (0x8d24f465047cd6c8): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def func(self) -> Optional[int]:
        return self._r.get_capability(0)


class Calculator_getOperator_Params_Reader(_rt.StructView):
    """Reader of struct getOperator$Params (0x8a8dceb4f4a3c530): 1 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 2:
            v: Tuple[Any, ...] = _SC5.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC5.read(self)
        self._v = v
        return v

    @property
    def op(self) -> Calculator_Operator:
        v = (self._v or self._load())
        r: Calculator_Operator = _M_Calculator_Operator[v[0]] if v[0] < 4 else Calculator_Operator(v[0])
        return r


class Calculator_getOperator_Results_Reader(_rt.StructView):
    """Reader of struct getOperator$Results (0xd18fbb7763c08c20): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def func(self) -> Optional[int]:
        return self._r.get_capability(0)


class Calculator_Expression_Builder(_rt.BuilderBase):
    """Builder of struct Expression (0xd438d7caf5548d15)."""

    __slots__ = ('_which', '_f_literal', '_f_previousResult', '_f_parameter', '_g_call')
    _DW = 2
    _PC = 2
    _HI = 0x2000200000000
    _ZERO = bytes(32)

    def __init__(self) -> None:
        self._which: int = 0
        self._f_literal: float = 0.0
        self._f_previousResult: Optional[int] = None
        self._f_parameter: int = 0
        self._g_call: Calculator_Expression_call_Builder = Calculator_Expression_call_Builder()

    @staticmethod
    def _new_list(n: int) -> List[Calculator_Expression_Builder]:
        out: List[Calculator_Expression_Builder] = []
        new = Calculator_Expression_Builder.__new__
        for _ in range(n):
            self = new(Calculator_Expression_Builder)
            self._which = 0
            self._f_literal = 0.0
            self._f_previousResult = None
            self._f_parameter = 0
            self._g_call = Calculator_Expression_call_Builder()
            out.append(self)
        return out

    def which(self) -> Calculator_Expression_Which:
        v = self._which
        return _M_Calculator_Expression_Which[v] if v < 4 else Calculator_Expression_Which(v)

    @property
    def literal(self) -> float:
        return self._f_literal

    @literal.setter
    def literal(self, value: float) -> None:
        self._f_literal = value
        self._which = 0

    @property
    def previousResult(self) -> Optional[int]:
        return self._f_previousResult

    @previousResult.setter
    def previousResult(self, value: Optional[int]) -> None:
        self._f_previousResult = value
        self._which = 1

    @property
    def parameter(self) -> int:
        return self._f_parameter

    @parameter.setter
    def parameter(self, value: int) -> None:
        self._f_parameter = value
        self._which = 2

    @property
    def call(self) -> Calculator_Expression_call_Builder:
        if self._which != 3:
            raise _rt.inactive_member('call', self.which())
        return self._g_call

    def init_call(self) -> Calculator_Expression_call_Builder:
        v = self._g_call = Calculator_Expression_call_Builder()
        self._which = 3
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S7.pack_into(
                buf, at,
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_Expression", exc) from None
        try:
            if self._which == 0:
                _S8.pack_into(buf, at + 0, self._f_literal)
            if self._which == 2:
                _S9.pack_into(buf, at + 0, self._f_parameter)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_Expression", exc) from None
        p0 = self._f_previousResult
        if self._which == 1 and p0 is not None:
            _rt.write_cap(buf, at + 16, p0)
        p1 = self._g_call._f_function
        if self._which == 3 and p1 is not None:
            _rt.write_cap(buf, at + 16, p1)
        p2 = self._g_call._f_params
        if self._which == 3 and p2 is not None:
            _WS6.write(buf, at + 24, p2)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Calculator_Expression_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S7.pack_into(
                    buf, at,
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Calculator_Expression", exc) from None
            try:
                if v._which == 0:
                    _S8.pack_into(buf, at + 0, v._f_literal)
                if v._which == 2:
                    _S9.pack_into(buf, at + 0, v._f_parameter)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Calculator_Expression", exc) from None
            p0 = v._f_previousResult
            if v._which == 1 and p0 is not None:
                _rt.write_cap(buf, at + 16, p0)
            p1 = v._g_call._f_function
            if v._which == 3 and p1 is not None:
                _rt.write_cap(buf, at + 16, p1)
            p2 = v._g_call._f_params
            if v._which == 3 and p2 is not None:
                _WS6.write(buf, at + 24, p2)
            at += 32

    def as_reader(self) -> Calculator_Expression_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Calculator_Expression_Reader.from_flat_bytes(self.to_flat_bytes())


class Calculator_Expression_call_Builder(_rt.BuilderBase):
    """Builder of group call (0xd99522a3d3878d66)."""

    __slots__ = ('_f_function', '_f_params')

    def __init__(self) -> None:
        self._f_function: Optional[int] = None
        self._f_params: Optional[List[Calculator_Expression_Builder]] = None

    @property
    def function(self) -> Optional[int]:
        return self._f_function

    @function.setter
    def function(self, value: Optional[int]) -> None:
        self._f_function = value

    @property
    def params(self) -> List[Calculator_Expression_Builder]:
        v = self._f_params
        if v is None:
            v = self._f_params = _rt.UnsetList()
        return v

    @params.setter
    def params(self, value: List[Calculator_Expression_Builder]) -> None:
        self._f_params = value

    def init_params(self, n: int) -> List[Calculator_Expression_Builder]:
        v: List[Calculator_Expression_Builder] = Calculator_Expression_Builder._new_list(n)
        self._f_params = v
        return v


class Calculator_Value_read_Params_Builder(_rt.BuilderBase):
    """Builder of struct read$Params (0xd3532574d58db558)."""

    __slots__ = ()
    _DW = 0
    _PC = 0
    _HI = 0x0
    _ZERO = bytes(0)

    def __init__(self) -> None:
        pass

    @staticmethod
    def _new_list(n: int) -> List[Calculator_Value_read_Params_Builder]:
        out: List[Calculator_Value_read_Params_Builder] = []
        new = Calculator_Value_read_Params_Builder.__new__
        for _ in range(n):
            self = new(Calculator_Value_read_Params_Builder)
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        pass

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Calculator_Value_read_Params_Builder:
                raise _rt.element_type_error(cls, v)
            at += 0

    def as_reader(self) -> Calculator_Value_read_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Calculator_Value_read_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class Calculator_Value_read_Results_Builder(_rt.BuilderBase):
    """Builder of struct read$Results (0xe6be6723122ae822)."""

    __slots__ = ('value',)
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)
    value: float

    def __init__(self) -> None:
        self.value = 0.0

    @staticmethod
    def _new_list(n: int) -> List[Calculator_Value_read_Results_Builder]:
        out: List[Calculator_Value_read_Results_Builder] = []
        new = Calculator_Value_read_Results_Builder.__new__
        for _ in range(n):
            self = new(Calculator_Value_read_Results_Builder)
            self.value = 0.0
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S8.pack_into(
                buf, at,
                self.value,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_Value_read_Results", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Calculator_Value_read_Results_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S8.pack_into(
                    buf, at,
                    v.value,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Calculator_Value_read_Results", exc) from None
            at += 8

    def to_bytes(self) -> bytes:
        try:
            return _S10.pack(
                0, 2, 0x100000000,
                self.value,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_Value_read_Results", exc) from None

    def to_flat_bytes(self) -> bytes:
        try:
            return _S11.pack(
                0x100000000,
                self.value,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_Value_read_Results", exc) from None

    def as_reader(self) -> Calculator_Value_read_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Calculator_Value_read_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class Calculator_Function_call_Params_Builder(_rt.BuilderBase):
    """Builder of struct call$Params (0xb19160df70b87717)."""

    __slots__ = ('_f_params',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_params: Optional[List[float]] = None

    @staticmethod
    def _new_list(n: int) -> List[Calculator_Function_call_Params_Builder]:
        out: List[Calculator_Function_call_Params_Builder] = []
        new = Calculator_Function_call_Params_Builder.__new__
        for _ in range(n):
            self = new(Calculator_Function_call_Params_Builder)
            self._f_params = None
            out.append(self)
        return out

    @property
    def params(self) -> List[float]:
        v = self._f_params
        if v is None:
            v = self._f_params = _rt.UnsetList()
        return v

    @params.setter
    def params(self, value: List[float]) -> None:
        self._f_params = value

    def init_params(self, n: int) -> List[float]:
        v: List[float] = [0.0] * n
        self._f_params = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_params
        if p0 is None:
            a0 = b0 = 0
        else:
            a0 = ((len(buf) - at - 8) >> 1) | 1
            n0 = len(p0)
            if n0 <= _rt.SHORT_LIST:
                try:
                    if _rt.PYPY:
                        if type(p0) not in (list, tuple, _rt.UnsetList):
                            p0 = list(p0)
                        s0 = len(buf)
                        buf += _WS12.zeros[n0]
                        w0 = _WS12.one
                        if n0 > 0:
                            w0.pack_into(buf, s0, p0[0])
                        if n0 > 1:
                            w0.pack_into(buf, s0 + 8, p0[1])
                        if n0 > 2:
                            w0.pack_into(buf, s0 + 16, p0[2])
                        if n0 > 3:
                            w0.pack_into(buf, s0 + 24, p0[3])
                        i0 = 4
                        while i0 < n0:
                            w0.pack_into(buf, s0 + 8 * i0, p0[i0])
                            i0 += 1
                    else:
                        buf += _WS12.padded[n0].pack(*p0)
                except (struct.error, TypeError, ValueError, OverflowError) as exc:
                    raise _WS12.element_error(exc) from None
            else:
                _WS12.append(buf, p0)
            b0 = (n0 << 3) | 5
            if not n0 and type(p0) is _rt.UnsetList:
                a0 = b0 = 0
        try:
            _S13.pack_into(
                buf, at,
                a0,
                b0,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_Function_call_Params", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Calculator_Function_call_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_params
            if p0 is None:
                a0 = b0 = 0
            else:
                a0 = ((len(buf) - at - 8) >> 1) | 1
                n0 = len(p0)
                if n0 <= _rt.SHORT_LIST:
                    try:
                        if _rt.PYPY:
                            if type(p0) not in (list, tuple, _rt.UnsetList):
                                p0 = list(p0)
                            s0 = len(buf)
                            buf += _WS12.zeros[n0]
                            w0 = _WS12.one
                            if n0 > 0:
                                w0.pack_into(buf, s0, p0[0])
                            if n0 > 1:
                                w0.pack_into(buf, s0 + 8, p0[1])
                            if n0 > 2:
                                w0.pack_into(buf, s0 + 16, p0[2])
                            if n0 > 3:
                                w0.pack_into(buf, s0 + 24, p0[3])
                            i0 = 4
                            while i0 < n0:
                                w0.pack_into(buf, s0 + 8 * i0, p0[i0])
                                i0 += 1
                        else:
                            buf += _WS12.padded[n0].pack(*p0)
                    except (struct.error, TypeError, ValueError, OverflowError) as exc:
                        raise _WS12.element_error(exc) from None
                else:
                    _WS12.append(buf, p0)
                b0 = (n0 << 3) | 5
                if not n0 and type(p0) is _rt.UnsetList:
                    a0 = b0 = 0
            try:
                _S13.pack_into(
                    buf, at,
                    a0,
                    b0,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Calculator_Function_call_Params", exc) from None
            at += 8

    def as_reader(self) -> Calculator_Function_call_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Calculator_Function_call_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class Calculator_Function_call_Results_Builder(_rt.BuilderBase):
    """Builder of struct call$Results (0xc0e0abf76914dead)."""

    __slots__ = ('value',)
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)
    value: float

    def __init__(self) -> None:
        self.value = 0.0

    @staticmethod
    def _new_list(n: int) -> List[Calculator_Function_call_Results_Builder]:
        out: List[Calculator_Function_call_Results_Builder] = []
        new = Calculator_Function_call_Results_Builder.__new__
        for _ in range(n):
            self = new(Calculator_Function_call_Results_Builder)
            self.value = 0.0
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S8.pack_into(
                buf, at,
                self.value,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_Function_call_Results", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Calculator_Function_call_Results_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S8.pack_into(
                    buf, at,
                    v.value,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Calculator_Function_call_Results", exc) from None
            at += 8

    def to_bytes(self) -> bytes:
        try:
            return _S10.pack(
                0, 2, 0x100000000,
                self.value,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_Function_call_Results", exc) from None

    def to_flat_bytes(self) -> bytes:
        try:
            return _S11.pack(
                0x100000000,
                self.value,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_Function_call_Results", exc) from None

    def as_reader(self) -> Calculator_Function_call_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Calculator_Function_call_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class Calculator_evaluate_Params_Builder(_rt.BuilderBase):
    """Builder of struct evaluate$Params (0xbb0eaae1557a36d4)."""

    __slots__ = ('_f_expression',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_expression: Optional[Calculator_Expression_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[Calculator_evaluate_Params_Builder]:
        out: List[Calculator_evaluate_Params_Builder] = []
        new = Calculator_evaluate_Params_Builder.__new__
        for _ in range(n):
            self = new(Calculator_evaluate_Params_Builder)
            self._f_expression = None
            out.append(self)
        return out

    @property
    def expression(self) -> Calculator_Expression_Builder:
        v = self._f_expression
        if v is None:
            v = self._f_expression = Calculator_Expression_Builder()
        return v

    @expression.setter
    def expression(self, value: Calculator_Expression_Builder) -> None:
        self._f_expression = value

    def init_expression(self) -> Calculator_Expression_Builder:
        v = self._f_expression = Calculator_Expression_Builder()
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_expression
        if p0 is not None:
            _rt.write_struct_of(buf, at + 0, p0, Calculator_Expression_Builder, 'Calculator.evaluate$Params.expression')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Calculator_evaluate_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_expression
            if p0 is not None:
                _rt.write_struct_of(buf, at + 0, p0, Calculator_Expression_Builder, 'Calculator.evaluate$Params.expression')
            at += 8

    def as_reader(self) -> Calculator_evaluate_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Calculator_evaluate_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class Calculator_evaluate_Results_Builder(_rt.BuilderBase):
    """Builder of struct evaluate$Results (0x81b1a3f55887a611)."""

    __slots__ = ('_f_value',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_value: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[Calculator_evaluate_Results_Builder]:
        out: List[Calculator_evaluate_Results_Builder] = []
        new = Calculator_evaluate_Results_Builder.__new__
        for _ in range(n):
            self = new(Calculator_evaluate_Results_Builder)
            self._f_value = None
            out.append(self)
        return out

    @property
    def value(self) -> Optional[int]:
        return self._f_value

    @value.setter
    def value(self, value: Optional[int]) -> None:
        self._f_value = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_value
        if p0 is not None:
            _rt.write_cap(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Calculator_evaluate_Results_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_value
            if p0 is not None:
                _rt.write_cap(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> Calculator_evaluate_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Calculator_evaluate_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class Calculator_defFunction_Params_Builder(_rt.BuilderBase):
    """Builder of struct defFunction$Params (0xf287bcba4556dc89)."""

    __slots__ = ('paramCount', '_f_body')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    paramCount: int

    def __init__(self) -> None:
        self.paramCount = 0
        self._f_body: Optional[Calculator_Expression_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[Calculator_defFunction_Params_Builder]:
        out: List[Calculator_defFunction_Params_Builder] = []
        new = Calculator_defFunction_Params_Builder.__new__
        for _ in range(n):
            self = new(Calculator_defFunction_Params_Builder)
            self.paramCount = 0
            self._f_body = None
            out.append(self)
        return out

    @property
    def body(self) -> Calculator_Expression_Builder:
        v = self._f_body
        if v is None:
            v = self._f_body = Calculator_Expression_Builder()
        return v

    @body.setter
    def body(self, value: Calculator_Expression_Builder) -> None:
        self._f_body = value

    def init_body(self) -> Calculator_Expression_Builder:
        v = self._f_body = Calculator_Expression_Builder()
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S14.pack_into(
                buf, at,
                self.paramCount,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_defFunction_Params", exc) from None
        p0 = self._f_body
        if p0 is not None:
            _rt.write_struct_of(buf, at + 8, p0, Calculator_Expression_Builder, 'Calculator.defFunction$Params.body')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Calculator_defFunction_Params_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S14.pack_into(
                    buf, at,
                    v.paramCount,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Calculator_defFunction_Params", exc) from None
            p0 = v._f_body
            if p0 is not None:
                _rt.write_struct_of(buf, at + 8, p0, Calculator_Expression_Builder, 'Calculator.defFunction$Params.body')
            at += 16

    def as_reader(self) -> Calculator_defFunction_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Calculator_defFunction_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class Calculator_defFunction_Results_Builder(_rt.BuilderBase):
    """Builder of struct defFunction$Results (0x8d24f465047cd6c8)."""

    __slots__ = ('_f_func',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_func: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[Calculator_defFunction_Results_Builder]:
        out: List[Calculator_defFunction_Results_Builder] = []
        new = Calculator_defFunction_Results_Builder.__new__
        for _ in range(n):
            self = new(Calculator_defFunction_Results_Builder)
            self._f_func = None
            out.append(self)
        return out

    @property
    def func(self) -> Optional[int]:
        return self._f_func

    @func.setter
    def func(self, value: Optional[int]) -> None:
        self._f_func = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_func
        if p0 is not None:
            _rt.write_cap(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Calculator_defFunction_Results_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_func
            if p0 is not None:
                _rt.write_cap(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> Calculator_defFunction_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Calculator_defFunction_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class Calculator_getOperator_Params_Builder(_rt.BuilderBase):
    """Builder of struct getOperator$Params (0x8a8dceb4f4a3c530)."""

    __slots__ = ('op',)
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)
    op: Calculator_Operator

    def __init__(self) -> None:
        self.op = Calculator_Operator.add

    @staticmethod
    def _new_list(n: int) -> List[Calculator_getOperator_Params_Builder]:
        out: List[Calculator_getOperator_Params_Builder] = []
        new = Calculator_getOperator_Params_Builder.__new__
        d0 = Calculator_Operator.add
        for _ in range(n):
            self = new(Calculator_getOperator_Params_Builder)
            self.op = d0
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S15.pack_into(
                buf, at,
                self.op,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_getOperator_Params", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Calculator_getOperator_Params_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S15.pack_into(
                    buf, at,
                    v.op,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Calculator_getOperator_Params", exc) from None
            at += 8

    def to_bytes(self) -> bytes:
        try:
            return _S16.pack(
                0, 2, 0x100000000,
                self.op,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_getOperator_Params", exc) from None

    def to_flat_bytes(self) -> bytes:
        try:
            return _S17.pack(
                0x100000000,
                self.op,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Calculator_getOperator_Params", exc) from None

    def as_reader(self) -> Calculator_getOperator_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Calculator_getOperator_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class Calculator_getOperator_Results_Builder(_rt.BuilderBase):
    """Builder of struct getOperator$Results (0xd18fbb7763c08c20)."""

    __slots__ = ('_f_func',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_func: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[Calculator_getOperator_Results_Builder]:
        out: List[Calculator_getOperator_Results_Builder] = []
        new = Calculator_getOperator_Results_Builder.__new__
        for _ in range(n):
            self = new(Calculator_getOperator_Results_Builder)
            self._f_func = None
            out.append(self)
        return out

    @property
    def func(self) -> Optional[int]:
        return self._f_func

    @func.setter
    def func(self, value: Optional[int]) -> None:
        self._f_func = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_func
        if p0 is not None:
            _rt.write_cap(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Calculator_getOperator_Results_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_func
            if p0 is not None:
                _rt.write_cap(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> Calculator_getOperator_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Calculator_getOperator_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class Calculator_Expression:
    """Struct Expression: constructors and readers."""

    TYPE_ID: Final = 0xd438d7caf5548d15

    @staticmethod
    def new_message() -> Calculator_Expression_Builder:
        return Calculator_Expression_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Calculator_Expression_Reader:
        return Calculator_Expression_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Calculator_Expression_Reader:
        return Calculator_Expression_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Calculator_Expression_Reader:
        return Calculator_Expression_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Calculator:
    """Interface Calculator: IDs and method table.

    Typed clients and servers are built from ``METHODS`` by the RPC layer.
    """

    INTERFACE_ID: Final = 0x97983392df35cc36
    SUPERCLASS_IDS: Final[Tuple[int, ...]] = ()
    evaluate: Final = _rt.MethodInfo(
        0x97983392df35cc36, 0, 'evaluate',
        Calculator_evaluate_Params_Reader, Calculator_evaluate_Params_Builder, Calculator_evaluate_Results_Reader, Calculator_evaluate_Results_Builder)
    defFunction: Final = _rt.MethodInfo(
        0x97983392df35cc36, 1, 'defFunction',
        Calculator_defFunction_Params_Reader, Calculator_defFunction_Params_Builder, Calculator_defFunction_Results_Reader, Calculator_defFunction_Results_Builder)
    getOperator: Final = _rt.MethodInfo(
        0x97983392df35cc36, 2, 'getOperator',
        Calculator_getOperator_Params_Reader, Calculator_getOperator_Params_Builder, Calculator_getOperator_Results_Reader, Calculator_getOperator_Results_Builder)
    METHODS: Final[Tuple[_rt.MethodInfo, ...]] = (evaluate, defFunction, getOperator)


class Calculator_Value:
    """Interface Value: IDs and method table.

    Typed clients and servers are built from ``METHODS`` by the RPC layer.
    """

    INTERFACE_ID: Final = 0xc3e69d34d3ee48d2
    SUPERCLASS_IDS: Final[Tuple[int, ...]] = ()
    read: Final = _rt.MethodInfo(
        0xc3e69d34d3ee48d2, 0, 'read',
        Calculator_Value_read_Params_Reader, Calculator_Value_read_Params_Builder, Calculator_Value_read_Results_Reader, Calculator_Value_read_Results_Builder)
    METHODS: Final[Tuple[_rt.MethodInfo, ...]] = (read,)


class Calculator_Function:
    """Interface Function: IDs and method table.

    Typed clients and servers are built from ``METHODS`` by the RPC layer.
    """

    INTERFACE_ID: Final = 0xede83a3d96840394
    SUPERCLASS_IDS: Final[Tuple[int, ...]] = ()
    call: Final = _rt.MethodInfo(
        0xede83a3d96840394, 0, 'call',
        Calculator_Function_call_Params_Reader, Calculator_Function_call_Params_Builder, Calculator_Function_call_Results_Reader, Calculator_Function_call_Results_Builder)
    METHODS: Final[Tuple[_rt.MethodInfo, ...]] = (call,)


class Calculator_evaluate_Promise(_typed.TypedPromise[Calculator_evaluate_Results_Reader]):
    """Results of Calculator.evaluate in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def value(self) -> Calculator_Value_Client:
        """``value`` of the results, usable before they arrive."""
        return self.client(Calculator_Value_Client, 0)


class Calculator_evaluate_Request(_typed.TypedRequest[Calculator_evaluate_Params_Builder, Calculator_evaluate_Results_Reader]):
    """A evaluate call being prepared; ``send()`` gives its pipelining promise."""

    __slots__ = ()

    def send(self) -> Calculator_evaluate_Promise:
        return Calculator_evaluate_Promise._of(super().send())


class Calculator_defFunction_Promise(_typed.TypedPromise[Calculator_defFunction_Results_Reader]):
    """Results of Calculator.defFunction in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def func(self) -> Calculator_Function_Client:
        """``func`` of the results, usable before they arrive."""
        return self.client(Calculator_Function_Client, 0)


class Calculator_defFunction_Request(_typed.TypedRequest[Calculator_defFunction_Params_Builder, Calculator_defFunction_Results_Reader]):
    """A defFunction call being prepared; ``send()`` gives its pipelining promise."""

    __slots__ = ()

    def send(self) -> Calculator_defFunction_Promise:
        return Calculator_defFunction_Promise._of(super().send())


class Calculator_getOperator_Promise(_typed.TypedPromise[Calculator_getOperator_Results_Reader]):
    """Results of Calculator.getOperator in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def func(self) -> Calculator_Function_Client:
        """``func`` of the results, usable before they arrive."""
        return self.client(Calculator_Function_Client, 0)


class Calculator_getOperator_Request(_typed.TypedRequest[Calculator_getOperator_Params_Builder, Calculator_getOperator_Results_Reader]):
    """A getOperator call being prepared; ``send()`` gives its pipelining promise."""

    __slots__ = ()

    def send(self) -> Calculator_getOperator_Promise:
        return Calculator_getOperator_Promise._of(super().send())


class Calculator_Client(_typed.TypedClient):
    """Typed client of interface Calculator (0x97983392df35cc36): wraps a capability."""

    __slots__ = ()
    _typed_interface = _typed.interface(Calculator, (), ('evaluate', 'defFunction', 'getOperator'), ())

    def evaluate_request(self) -> Calculator_evaluate_Request:
        return self._request_as(Calculator_evaluate_Request, Calculator.METHODS[0])

    def evaluate(self, params: Optional[Calculator_evaluate_Params_Builder] = None) -> Calculator_evaluate_Promise:
        return Calculator_evaluate_Promise._of(self._call(Calculator.METHODS[0], params))

    def defFunction_request(self) -> Calculator_defFunction_Request:
        return self._request_as(Calculator_defFunction_Request, Calculator.METHODS[1])

    def defFunction(self, params: Optional[Calculator_defFunction_Params_Builder] = None) -> Calculator_defFunction_Promise:
        return Calculator_defFunction_Promise._of(self._call(Calculator.METHODS[1], params))

    def getOperator_request(self) -> Calculator_getOperator_Request:
        return self._request_as(Calculator_getOperator_Request, Calculator.METHODS[2])

    def getOperator(self, params: Optional[Calculator_getOperator_Params_Builder] = None) -> Calculator_getOperator_Promise:
        return Calculator_getOperator_Promise._of(self._call(Calculator.METHODS[2], params))


class Calculator_Server(_typed.TypedServer):
    """Typed server of interface Calculator (0x97983392df35cc36): override the methods it implements."""

    _capnp_interface = Calculator_Client._typed_interface

    async def evaluate(self, context: _typed.TypedCallContext[Calculator_evaluate_Params_Reader, Calculator_evaluate_Results_Builder]) -> None:
        raise _typed.unimplemented('Calculator.evaluate')

    async def defFunction(self, context: _typed.TypedCallContext[Calculator_defFunction_Params_Reader, Calculator_defFunction_Results_Builder]) -> None:
        raise _typed.unimplemented('Calculator.defFunction')

    async def getOperator(self, context: _typed.TypedCallContext[Calculator_getOperator_Params_Reader, Calculator_getOperator_Results_Builder]) -> None:
        raise _typed.unimplemented('Calculator.getOperator')


class Calculator_Value_Client(_typed.TypedClient):
    """Typed client of interface Value (0xc3e69d34d3ee48d2): wraps a capability."""

    __slots__ = ()
    _typed_interface = _typed.interface(Calculator_Value, (), ('read',), ())

    def read_request(self) -> _typed.TypedRequest[Calculator_Value_read_Params_Builder, Calculator_Value_read_Results_Reader]:
        return self._request(Calculator_Value.METHODS[0])

    def read(self, params: Optional[Calculator_Value_read_Params_Builder] = None) -> _typed.TypedPromise[Calculator_Value_read_Results_Reader]:
        return self._call(Calculator_Value.METHODS[0], params)


class Calculator_Value_Server(_typed.TypedServer):
    """Typed server of interface Value (0xc3e69d34d3ee48d2): override the methods it implements."""

    _capnp_interface = Calculator_Value_Client._typed_interface

    async def read(self, context: _typed.TypedCallContext[Calculator_Value_read_Params_Reader, Calculator_Value_read_Results_Builder]) -> None:
        raise _typed.unimplemented('Value.read')


class Calculator_Function_Client(_typed.TypedClient):
    """Typed client of interface Function (0xede83a3d96840394): wraps a capability."""

    __slots__ = ()
    _typed_interface = _typed.interface(Calculator_Function, (), ('call',), ())

    def call_request(self) -> _typed.TypedRequest[Calculator_Function_call_Params_Builder, Calculator_Function_call_Results_Reader]:
        return self._request(Calculator_Function.METHODS[0])

    def call(self, params: Optional[Calculator_Function_call_Params_Builder] = None) -> _typed.TypedPromise[Calculator_Function_call_Results_Reader]:
        return self._call(Calculator_Function.METHODS[0], params)


class Calculator_Function_Server(_typed.TypedServer):
    """Typed server of interface Function (0xede83a3d96840394): override the methods it implements."""

    _capnp_interface = Calculator_Function_Client._typed_interface

    async def call(self, context: _typed.TypedCallContext[Calculator_Function_call_Params_Reader, Calculator_Function_call_Results_Builder]) -> None:
        raise _typed.unimplemented('Function.call')


class Calculator_Expression_Pipeline(_typed.TypedPipeline):
    """Calculator.Expression (0xd438d7caf5548d15) inside results in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def previousResult(self) -> Calculator_Value_Client:
        """``previousResult`` of Calculator.Expression, usable before the results arrive."""
        return self.client(Calculator_Value_Client, 0)

    @property
    def call(self) -> Calculator_Expression_call_Pipeline:
        """``call`` of Calculator.Expression, usable before the results arrive."""
        return Calculator_Expression_call_Pipeline(self._promise, self._path)


class Calculator_Expression_call_Pipeline(_typed.TypedPipeline):
    """Calculator.Expression.call (0xd99522a3d3878d66) inside results in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def function(self) -> Calculator_Function_Client:
        """``function`` of Calculator.Expression.call, usable before the results arrive."""
        return self.client(Calculator_Function_Client, 0)

# List specs and embedded defaults, used by the classes above.
_SC0: Final = _rt.Scalars("8xH", (10,))
_RS1: Final = _rt.StructRead(Calculator_Expression_Reader)
_SC2: Final = _rt.Scalars("d", (8,))
_RS3: Final = _rt.PrimRead[float]("d", 5)
_SC4: Final = _rt.Scalars("i", (4,))
_SC5: Final = _rt.Scalars("H", (2,))
_WS6: Final = _rt.StructWrite(Calculator_Expression_Builder)
_S7: Final = struct.Struct("<8xH")
_S8: Final = struct.Struct("<d")
_S9: Final = struct.Struct("<I")
_S10: Final = struct.Struct("<IIQd")
_S11: Final = struct.Struct("<Qd")
_WS12: Final = _rt.PrimWrite[float]("d", 5)
_S13: Final = struct.Struct("<II")
_S14: Final = struct.Struct("<i")
_S15: Final = struct.Struct("<H")
_S16: Final = struct.Struct("<IIQH6x")
_S17: Final = struct.Struct("<QH6x")
Calculator_Expression_Reader._SC = _SC0
Calculator_Value_read_Results_Reader._SC = _SC2
Calculator_Function_call_Results_Reader._SC = _SC2
Calculator_defFunction_Params_Reader._SC = _SC4
Calculator_getOperator_Params_Reader._SC = _SC5
