"""The values enum fields and ``which`` read as: ``str`` subclasses that also know their number.

pycapnp returns objects that compare equal to the enumerant's name and to its
number, so ``msg.fruitId == "apple"`` and ``msg.fruitId == FruitId.apple``
(an int) both hold.  Ours are ``str`` subclasses with the same comparisons,
made once per enumerant or union member and shared by every read, so a read
allocates nothing.  They hash as the name, so they work as dict keys next to
plain strings.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EnumValue", "UnionTag"]


class EnumValue(str):
    """An enumerant's name (a ``str``) that also equals its number ``raw``.

    Compared with a ``str`` it compares as the name; with anything else
    (an ``int`` constant such as ``FruitId.apple``) as ``raw``.
    """

    __slots__ = ("raw",)
    raw: int

    def __new__(cls, name: str, raw: int) -> "EnumValue":
        value = super().__new__(cls, name)
        value.raw = raw
        return value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str.__eq__(self, other)
        result: bool = self.raw == other
        return result

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __lt__(self, other: Any) -> bool:
        if isinstance(other, str):
            return str.__lt__(self, other)
        result: bool = self.raw < other
        return result

    def __le__(self, other: Any) -> bool:
        if isinstance(other, str):
            return str.__le__(self, other)
        result: bool = self.raw <= other
        return result

    def __gt__(self, other: Any) -> bool:
        if isinstance(other, str):
            return str.__gt__(self, other)
        result: bool = self.raw > other
        return result

    def __ge__(self, other: Any) -> bool:
        if isinstance(other, str):
            return str.__ge__(self, other)
        result: bool = self.raw >= other
        return result

    # Equal names hash alike, so a value finds a plain-string key and the reverse.
    __hash__ = str.__hash__

    def __int__(self) -> int:
        return self.raw

    def __reduce__(self) -> Any:
        return (type(self), (str(self), self.raw))

    def __repr__(self) -> str:
        return f"<{str.__str__(self)} enum>"


class UnionTag(EnumValue):
    """The active union member: its name, its discriminant ``raw``, and callable.

    ``which`` is a property in pycapnp 2.x and a method before it; calling the
    tag returns the tag itself, so ``msg.which == "a"`` and ``msg.which() ==
    "a"`` both hold.
    """

    __slots__ = ()

    def __call__(self) -> "UnionTag":
        return self

    def __repr__(self) -> str:
        return f"<{str.__str__(self)} which-enum>"
