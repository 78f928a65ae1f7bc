"""Field slot allocation, reproducing the reference compiler's layout exactly.

Data fields have power-of-two sizes (``lg`` = log2 of the size in bits, 0 for
Bool up to 6 for 64-bit) and are aligned to their size.  The struct keeps at
most one free hole of each size; a new field takes the smallest hole that
fits (splitting it) or a new word.  Unions overlay their members: each member
behaves like a group that reuses the union's "data locations" and pointer
slots, expanding a location into adjacent holes when it needs more room.
Fields are allocated in ordinal order by the caller.
"""

from __future__ import annotations

from typing import List, Optional

__all__ = ["HoleSet", "Scope", "Top", "Union", "Group", "Issue344"]


class Issue344(Exception):
    """A layout that Cap'n Proto 0.5 and earlier got wrong (see ``_Usage.try_expand``): the
    reference refuses the schema rather than lay it out differently from them, and so do we."""

    def __init__(self) -> None:
        super().__init__("Bad news: Cap'n Proto 0.5.x and previous contained a bug which would cause "
                         "this schema to be compiled incorrectly. Please see: "
                         "https://github.com/sandstorm-io/capnproto/issues/344")

_HOLE_SIZES = 6  # holes of 1, 2, 4, 8, 16 and 32 bits


class HoleSet:
    """Free holes by size: ``holes[lg]`` is the hole's offset in units of its size, 0 = none.

    Offset 0 can never be a hole: the first field always lands there.
    """

    __slots__ = ("holes",)

    def __init__(self) -> None:
        self.holes = [0] * _HOLE_SIZES

    def try_allocate(self, lg: int) -> Optional[int]:
        if lg >= _HOLE_SIZES:
            return None
        if self.holes[lg] != 0:
            result = self.holes[lg]
            self.holes[lg] = 0
            return result
        bigger = self.try_allocate(lg + 1)
        if bigger is None:
            return None
        # Split the bigger hole: take its first half, the second half stays free.
        self.holes[lg] = bigger * 2 + 1
        return bigger * 2

    def add_holes_at_end(self, lg: int, offset: int, limit: int = _HOLE_SIZES) -> None:
        """Mark the space after a fresh ``lg`` allocation at ``offset - 1`` free, up to ``limit``."""
        while lg < limit:
            self.holes[lg] = offset
            lg += 1
            offset = (offset + 1) // 2

    def try_expand(self, old_lg: int, old_offset: int, factor: int) -> bool:
        """Grow the item at ``old_offset`` by 2**factor by swallowing the holes after it."""
        if factor == 0:
            return True
        if old_lg >= _HOLE_SIZES or self.holes[old_lg] != old_offset + 1:
            return False
        if self.try_expand(old_lg + 1, old_offset >> 1, factor - 1):
            self.holes[old_lg] = 0
            return True
        return False

    def smallest_at_least(self, lg: int) -> Optional[int]:
        for i in range(lg, _HOLE_SIZES):
            if self.holes[i] != 0:
                return i
        return None

    def first_word_used(self) -> int:
        """lg of the bits used in the first word (for list encodings)."""
        for i in range(_HOLE_SIZES, 0, -1):
            if self.holes[i - 1] != 1:
                return i
        return 0


class Scope:
    """Something fields can be added to: the struct itself or a group in a union."""

    def add_void(self) -> None:
        raise NotImplementedError

    def add_data(self, lg: int) -> int:
        raise NotImplementedError

    def add_pointer(self) -> int:
        raise NotImplementedError

    def try_expand_data(self, old_lg: int, old_offset: int, factor: int) -> bool:
        raise NotImplementedError


class Top(Scope):
    """The struct's own sections."""

    def __init__(self) -> None:
        self.data_words = 0
        self.pointers = 0
        self.holes = HoleSet()

    def add_void(self) -> None:
        pass

    def add_data(self, lg: int) -> int:
        hole = self.holes.try_allocate(lg)
        if hole is not None:
            return hole
        offset = self.data_words << (6 - lg)
        self.data_words += 1
        self.holes.add_holes_at_end(lg, offset + 1)
        return offset

    def add_pointer(self) -> int:
        self.pointers += 1
        return self.pointers - 1

    def try_expand_data(self, old_lg: int, old_offset: int, factor: int) -> bool:
        return self.holes.try_expand(old_lg, old_offset, factor)


class _Location:
    """A data region owned by a union, shared by its members: ``offset`` in units of 2**lg bits."""

    __slots__ = ("lg", "offset")

    def __init__(self, lg: int, offset: int) -> None:
        self.lg = lg
        self.offset = offset

    def try_expand_to(self, union: "Union", new_lg: int) -> bool:
        if new_lg <= self.lg:
            return True
        if union.parent.try_expand_data(self.lg, self.offset, new_lg - self.lg):
            self.offset >>= new_lg - self.lg
            self.lg = new_lg
            return True
        return False


class Union:
    """A union's shared storage, allocated inside its parent scope."""

    def __init__(self, parent: Scope) -> None:
        self.parent = parent
        self.group_count = 0
        self.discriminant_offset: Optional[int] = None
        self.locations: List[_Location] = []
        self.pointer_locations: List[int] = []

    def add_new_location(self, lg: int) -> int:
        offset = self.parent.add_data(lg)
        self.locations.append(_Location(lg, offset))
        return offset

    def add_new_pointer(self) -> int:
        p = self.parent.add_pointer()
        self.pointer_locations.append(p)
        return p

    def member_started(self) -> None:
        # The discriminant is only needed (and allocated) once a second member exists.
        self.group_count += 1
        if self.group_count == 2:
            self.add_discriminant()

    def add_discriminant(self) -> bool:
        if self.discriminant_offset is None:
            self.discriminant_offset = self.parent.add_data(4)
            return True
        return False


class _Usage:
    """How much of one union location a group member uses, with its own holes."""

    __slots__ = ("used", "lg_used", "holes")

    def __init__(self, lg_used: Optional[int] = None) -> None:
        self.used = lg_used is not None
        self.lg_used = lg_used if lg_used is not None else 0
        self.holes = HoleSet()

    def smallest_hole_at_least(self, loc: _Location, lg: int) -> Optional[int]:
        if not self.used:
            return loc.lg if lg <= loc.lg else None
        if lg >= self.lg_used:
            return lg if lg < loc.lg else None
        hole = self.holes.smallest_at_least(lg)
        if hole is not None:
            return hole
        return self.lg_used if self.lg_used < loc.lg else None

    def allocate_from_hole(self, loc: _Location, lg: int) -> int:
        if not self.used:
            result = 0
            self.used = True
            self.lg_used = lg
        elif lg >= self.lg_used:
            self.holes.add_holes_at_end(self.lg_used, 1, lg)
            self.lg_used = lg + 1
            result = 1
        else:
            hole = self.holes.try_allocate(lg)
            if hole is not None:
                result = hole
            else:
                result = 1 << (self.lg_used - lg)
                self.holes.add_holes_at_end(lg, result + 1, self.lg_used)
                self.lg_used += 1
        return (loc.offset << (loc.lg - lg)) + result

    def try_allocate_by_expanding(self, union: Union, loc: _Location, lg: int) -> Optional[int]:
        if not self.used:
            if loc.try_expand_to(union, lg):
                self.used = True
                self.lg_used = lg
                return loc.offset << (loc.lg - lg)
            return None
        new_size = max(self.lg_used, lg) + 1
        if self._try_expand_usage(union, loc, new_size):
            hole = self.holes.try_allocate(lg)
            assert hole is not None
            return (loc.offset << (loc.lg - lg)) + hole
        return None

    def try_expand(self, union: Union, loc: _Location, old_lg: int, old_offset: int,
                   factor: int) -> bool:
        if old_offset == 0 and self.lg_used == old_lg:
            # The field to grow is all this group uses of the location: growing it grows the
            # usage.  Old compilers also marked the new space as holes, which later fields then
            # shared with it; the reference refuses such a schema instead of laying it out in a
            # way those compilers did not.
            desired = old_lg + factor
            if desired > loc.lg and not loc.try_expand_to(union, desired):
                return False
            raise Issue344()
        return self.holes.try_expand(old_lg, old_offset, factor)

    def _try_expand_usage(self, union: Union, loc: _Location, desired: int) -> bool:
        if desired > loc.lg and not loc.try_expand_to(union, desired):
            return False
        self.holes.add_holes_at_end(self.lg_used, 1, desired)
        self.lg_used = desired
        return True


class Group(Scope):
    """One member of a union (a field, group or named union), overlaying the others."""

    def __init__(self, parent: Union) -> None:
        self.parent = parent
        self.usages: List[_Usage] = []
        self.pointer_usage = 0
        self.has_members = False

    def _add_member(self) -> None:
        if not self.has_members:
            self.has_members = True
            self.parent.member_started()

    def add_void(self) -> None:
        self._add_member()
        # A Void member still counts as a member of every enclosing union: when
        # this union sits in a group of an outer union, the outer union must
        # allocate its discriminant as soon as its second member appears, even
        # if that member holds only Void fields so far.
        self.parent.parent.add_void()

    def add_data(self, lg: int) -> int:
        self._add_member()
        locs = self.parent.locations
        best_size: Optional[int] = None
        best: Optional[int] = None
        for i, loc in enumerate(locs):
            if len(self.usages) == i:
                self.usages.append(_Usage())
            hole = self.usages[i].smallest_hole_at_least(loc, lg)
            if hole is not None and (best_size is None or hole < best_size):
                best_size = hole
                best = i
        if best is not None:
            return self.usages[best].allocate_from_hole(locs[best], lg)
        for i, loc in enumerate(locs):
            got = self.usages[i].try_allocate_by_expanding(self.parent, loc, lg)
            if got is not None:
                return got
        result = self.parent.add_new_location(lg)
        self.usages.append(_Usage(lg))
        return result

    def add_pointer(self) -> int:
        self._add_member()
        if self.pointer_usage < len(self.parent.pointer_locations):
            p = self.parent.pointer_locations[self.pointer_usage]
            self.pointer_usage += 1
            return p
        self.pointer_usage += 1
        return self.parent.add_new_pointer()

    def try_expand_data(self, old_lg: int, old_offset: int, factor: int) -> bool:
        for i in range(len(self.usages)):
            loc = self.parent.locations[i]
            if loc.lg >= old_lg and old_offset >> (loc.lg - old_lg) == loc.offset:
                local = old_offset - (loc.offset << (loc.lg - old_lg))
                return self.usages[i].try_expand(self.parent, loc, old_lg, local, factor)
        return False
