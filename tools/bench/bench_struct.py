"""Struct benchmarks: generated (typed) API vs pycapnp, and the dynamic API.

    python tools/bench/bench_struct.py [--quick] [--ref-python PYTHON]

Prints one row per case: our generated API's time, pycapnp's (when
importable), the ratio, and the dynamic API's time (when available).  The
schema is compiled and its module generated into a temporary directory at
start-up, so the numbers always reflect the current generator.

Where pycapnp cannot be imported (PyPy), its side runs in a CPython
subprocess during the same run: ``--ref-python`` names that interpreter
(default: ``$BENCH_REF_PYTHON``, else ``.venv/bin/python`` of the repository
when it has pycapnp), so PyPy's figures are compared with pycapnp on CPython
side by side.  ``--ref-only`` (used for that) times pycapnp alone and prints
JSON.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
import timeit
from typing import Any, Callable, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, REPO)

from capnp_lite.codegen import generate  # noqa: E402
from capnp_lite.schema import compile_source  # noqa: E402

SCHEMA = """
@0xd3c4b5a697887766;

struct Small {
  a @0 :Int32;
  b @1 :UInt32;
  c @2 :Int64;
  d @3 :UInt64;
  e @4 :Float32;
  f @5 :Float64;
  g @6 :Bool;
  h @7 :Int16;
  i @8 :UInt8;
  j @9 :Int8;
}

enum Color { red @0; green @1; blue @2; }

struct Item {
  name @0 :Text;
  color @1 :Color;
  price @2 :Float64;
  weight @3 :Float32;
  tags @4 :List(Text);
  scores @5 :List(Int32);
  id @6 :UInt64;
}

struct Catalog {
  title @0 :Text;
  items @1 :List(Item);
}
"""

Timer = Callable[[], object]


def best(fn: Timer, number: int, repeat: int = 5) -> float:
    """Best time per call in microseconds."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def load_generated() -> Any:
    request = compile_source(SCHEMA, "bench.capnp")
    sources = generate(request, relative_imports=False)
    tmp = tempfile.mkdtemp(prefix="capnp_lite_bench_")
    for name, text in sources.items():
        with open(os.path.join(tmp, name + ".py"), "w", encoding="utf-8") as fh:
            fh.write(text)
    sys.path.insert(0, tmp)
    return importlib.import_module("bench_capnp")


def load_pycapnp() -> Optional[Any]:
    try:
        import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return None
    tmp = tempfile.mkdtemp(prefix="capnp_lite_bench_ref_")
    path = os.path.join(tmp, "bench.capnp")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(SCHEMA)
    return capnp.load(path)


def load_dynamic() -> Optional[Any]:
    try:
        from capnp_lite import dynamic
    except ImportError:
        return None
    tmp = tempfile.mkdtemp(prefix="capnp_lite_bench_dyn_")
    path = os.path.join(tmp, "bench.capnp")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(SCHEMA)
    try:
        return dynamic.load(path)
    except Exception:  # the dynamic API is optional here
        return None


N_ITEMS = 100


def item_values(k: int) -> Dict[str, Any]:
    return dict(name=f"item number {k}", color=k % 3, price=k * 1.25, weight=k * 0.5,
                tags=["alpha", "beta", f"t{k}"], scores=[k, k + 1, k + 2, k + 3], id=k * 1000)


ITEMS = [item_values(k) for k in range(N_ITEMS)]
# The same items as dicts with enum names, for new_message(**fields) (the dynamic API only).
ITEM_DICTS = [dict(v, color=["red", "green", "blue"][v["color"]]) for v in ITEMS]
SMALL_FIELDS = dict(a=-5, b=7, c=-123456789012, d=123456789012345, e=1.5, f=2.25, g=True,
                    h=-300, i=200, j=-100)


def pycapnp_style_catalog(m: Any, n: int = N_ITEMS) -> Any:
    """The nested catalog built with pycapnp's statements (pycapnp's case, and the dynamic
    API's, which takes pycapnp code unchanged); ``n`` items (at most N_ITEMS)."""
    color_names = ["red", "green", "blue"]
    c = m.Catalog.new_message()
    c.title = "catalog"
    items = c.init("items", n)
    for it, v in zip(items, ITEMS):
        it.name = v["name"]
        it.color = color_names[v["color"]]
        it.price = v["price"]
        it.weight = v["weight"]
        it.tags = v["tags"]
        it.scores = v["scores"]
        it.id = v["id"]
    return c


# -- our generated API ----------------------------------------------------------


def ours_cases(m: Any) -> Dict[str, Timer]:
    def small_build() -> bytes:
        s = m.Small_Builder()
        s.a = -5
        s.b = 7
        s.c = -123456789012
        s.d = 123456789012345
        s.e = 1.5
        s.f = 2.25
        s.g = True
        s.h = -300
        s.i = 200
        s.j = -100
        data: bytes = s.to_bytes()
        return data

    small_bytes = small_build()

    def small_parse() -> object:
        r = m.Small_Reader.from_bytes(small_bytes)
        return (r.a, r.b, r.c, r.d, r.e, r.f, r.g, r.h, r.i, r.j)

    colors = list(m.Color)

    def nested_builder() -> Any:
        c = m.Catalog_Builder()
        c.title = "catalog"
        items = c.init_items(N_ITEMS)
        for it, v in zip(items, ITEMS):
            it.name = v["name"]
            it.color = colors[v["color"]]
            it.price = v["price"]
            it.weight = v["weight"]
            it.tags = v["tags"]
            it.scores = v["scores"]
            it.id = v["id"]
        return c

    def nested_build() -> bytes:
        data: bytes = nested_builder().to_bytes()
        return data

    def nested_build_packed() -> bytes:
        data: bytes = nested_builder().to_bytes_packed()
        return data

    nested_bytes = nested_build()
    nested_packed = nested_build_packed()

    def read_all(c: Any) -> int:
        total = len(c.title)
        for it in c.items:
            total += len(it.name) + it.color + int(it.price) + int(it.weight) + it.id
            for t in it.tags:
                total += len(t)
            total += sum(it.scores)
        return total

    def nested_parse() -> int:
        return read_all(m.Catalog_Reader.from_bytes(nested_bytes))

    def nested_parse_packed() -> int:
        return read_all(m.Catalog_Reader.from_bytes_packed(nested_packed))

    one = m.Small_Reader.from_bytes(small_bytes)

    def one_field() -> int:
        v: int = one.a
        return v

    return {
        "small build+serialize": small_build,
        "small parse+read all": small_parse,
        "nested build+serialize": nested_build,
        "nested build+serialize packed": nested_build_packed,
        "nested parse+read all": nested_parse,
        "nested parse+read all packed": nested_parse_packed,
        "single field read": one_field,
    }


# -- pycapnp ---------------------------------------------------------------------


def ref_cases(m: Any) -> Dict[str, Timer]:
    def small_build() -> bytes:
        s = m.Small.new_message()
        s.a = -5
        s.b = 7
        s.c = -123456789012
        s.d = 123456789012345
        s.e = 1.5
        s.f = 2.25
        s.g = True
        s.h = -300
        s.i = 200
        s.j = -100
        data: bytes = s.to_bytes()
        return data

    small_bytes = small_build()

    def small_parse() -> object:
        with m.Small.from_bytes(small_bytes) as r:
            return (r.a, r.b, r.c, r.d, r.e, r.f, r.g, r.h, r.i, r.j)

    def nested_builder() -> Any:
        return pycapnp_style_catalog(m)

    def nested_build() -> bytes:
        data: bytes = nested_builder().to_bytes()
        return data

    def nested_build_packed() -> bytes:
        data: bytes = nested_builder().to_bytes_packed()
        return data

    nested_bytes = nested_build()
    nested_packed = nested_build_packed()

    def read_all(c: Any) -> int:
        total = len(c.title)
        for it in c.items:
            total += len(it.name) + it.color.raw + int(it.price) + int(it.weight) + it.id
            for t in it.tags:
                total += len(t)
            total += sum(it.scores)
        return total

    def nested_parse() -> int:
        with m.Catalog.from_bytes(nested_bytes) as c:
            return read_all(c)

    def nested_from_dicts() -> bytes:
        data: bytes = m.Catalog.new_message(title="catalog", items=ITEM_DICTS).to_bytes()
        return data

    def small_from_keywords() -> bytes:
        data: bytes = m.Small.new_message(**SMALL_FIELDS).to_bytes()
        return data

    def nested_parse_packed() -> int:
        return read_all(m.Catalog.from_bytes_packed(nested_packed))

    ctx = m.Small.from_bytes(small_bytes)
    one = ctx.__enter__()

    def one_field() -> int:
        v: int = one.a
        return v

    return {
        "small build+serialize": small_build,
        "small parse+read all": small_parse,
        "nested build+serialize": nested_build,
        "nested build+serialize packed": nested_build_packed,
        "nested parse+read all": nested_parse,
        "nested parse+read all packed": nested_parse_packed,
        "single field read": one_field,
        "nested build from dicts": nested_from_dicts,
        "small build from keywords": small_from_keywords,
    }


# -- the dynamic API ---------------------------------------------------------------


def dynamic_cases(m: Any) -> Dict[str, Timer]:
    def small_build() -> bytes:
        # The same statements as pycapnp's case: the dynamic API takes pycapnp code unchanged.
        s = m.Small.new_message()
        s.a = -5
        s.b = 7
        s.c = -123456789012
        s.d = 123456789012345
        s.e = 1.5
        s.f = 2.25
        s.g = True
        s.h = -300
        s.i = 200
        s.j = -100
        data: bytes = s.to_bytes()
        return data

    small_bytes = small_build()

    def small_parse() -> object:
        r = m.Small.from_bytes(small_bytes)
        return (r.a, r.b, r.c, r.d, r.e, r.f, r.g, r.h, r.i, r.j)

    def nested_builder() -> Any:
        return pycapnp_style_catalog(m)

    def nested_build() -> bytes:
        data: bytes = nested_builder().to_bytes()
        return data

    nested_bytes = nested_build()

    def nested_parse() -> int:
        c = m.Catalog.from_bytes(nested_bytes)
        total = len(c.title)
        for it in c.items:
            total += len(it.name) + len(str(it.color)) + int(it.price) + int(it.weight) + it.id
            for t in it.tags:
                total += len(t)
            total += sum(it.scores)
        return total

    one = m.Small.from_bytes(small_bytes)

    def one_field() -> int:
        v: int = one.a
        return v

    def nested_from_dicts() -> bytes:
        data: bytes = m.Catalog.new_message(title="catalog", items=ITEM_DICTS).to_bytes()
        return data

    def small_from_keywords() -> bytes:
        data: bytes = m.Small.new_message(**SMALL_FIELDS).to_bytes()
        return data

    return {
        "small build+serialize": small_build,
        "small parse+read all": small_parse,
        "nested build+serialize": nested_build,
        "nested parse+read all": nested_parse,
        "single field read": one_field,
        "nested build from dicts": nested_from_dicts,
        "small build from keywords": small_from_keywords,
    }


NUMBERS = {
    "small build+serialize": 5000,
    "small parse+read all": 5000,
    "nested build+serialize": 50,
    "nested build+serialize packed": 50,
    "nested parse+read all": 50,
    "nested parse+read all packed": 50,
    "single field read": 100000,
    "nested build from dicts": 50,
    "small build from keywords": 5000,
}


def _option(argv: List[str], name: str) -> Optional[str]:
    if name in argv:
        at = argv.index(name)
        if at + 1 < len(argv):
            return argv[at + 1]
    return None


def ref_only(quick: bool) -> int:
    """Time pycapnp alone and print its times as JSON (for a run on another runtime)."""
    ref_mod = load_pycapnp()
    if ref_mod is None:
        print("{}")
        return 1
    ref = ref_cases(ref_mod)
    times = {name: best(fn, max(1, NUMBERS[name] // (10 if quick else 1)))
             for name, fn in ref.items()}
    print(json.dumps(times))
    return 0


def ref_in_subprocess(python: str, quick: bool) -> Dict[str, float]:
    """pycapnp's times measured by ``python`` (a CPython that has it), now."""
    args = [python, os.path.abspath(__file__), "--ref-only"] + (["--quick"] if quick else [])
    try:
        out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=900)
        times: Dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError) as exc:
        print(f"(pycapnp through {python} failed: {exc})")
        return {}
    return times


def default_ref_python() -> Optional[str]:
    python = os.environ.get("BENCH_REF_PYTHON")
    if python:
        return python
    venv = os.path.join(REPO, ".venv", "bin", "python")
    return venv if os.path.exists(venv) else None


def main(argv: List[str]) -> int:
    quick = "--quick" in argv
    if "--ref-only" in argv:
        return ref_only(quick)
    ours = ours_cases(load_generated())
    ref_mod = load_pycapnp()
    ref: Dict[str, Any] = ref_cases(ref_mod) if ref_mod is not None else {}
    ref_times: Dict[str, float] = {}
    ref_impl = ""
    if ref_mod is None:
        python = _option(argv, "--ref-python") or default_ref_python()
        if python:
            ref_times = ref_in_subprocess(python, quick)
            ref_impl = f"; pycapnp measured by {python}, in this run"
    dyn_mod = load_dynamic()
    dyn: Dict[str, Timer] = {}
    if dyn_mod is not None:
        try:
            dyn = dynamic_cases(dyn_mod)
        except Exception as exc:  # report and carry on without the column
            print(f"(dynamic API skipped: {exc})")
            dyn = {}
    impl = f"{sys.implementation.name} {sys.version.split()[0]}"
    print(f"capnp-lite generated API vs pycapnp ({impl}{ref_impl}); times in microseconds per call")
    header = f"{'case':32} {'ours':>10} {'pycapnp':>10} {'ratio':>7} {'dynamic':>10}"
    print(header)
    print("-" * len(header))
    pypy = sys.implementation.name == "pypy"
    for name, fn in ours.items():
        number = max(1, NUMBERS[name] // (10 if quick else 1))
        if pypy:
            # Let the JIT compile the case first: steady state is what we compare.
            for _ in range(number * 40):
                fn()
            if name in dyn:
                for _ in range(number * 8):
                    dyn[name]()
        t_ours = best(fn, number)
        t_ref = best(ref[name], number) if name in ref else ref_times.get(name)
        t_dyn = best(dyn[name], max(1, number // 5)) if name in dyn else None
        if t_ref:
            # (three places under 0.1, where PyPy's figures are: the floor there is 0.1)
            ratio = f"{t_ours / t_ref:7.3f}" if t_ours < 0.1 * t_ref else f"{t_ours / t_ref:7.2f}"
        else:
            ratio = f"{'-':>7}"
        ref_s = f"{t_ref:10.3f}" if t_ref is not None else f"{'-':>10}"
        dyn_s = f"{t_dyn:10.3f}" if t_dyn is not None else f"{'-':>10}"
        print(f"{name:32} {t_ours:10.3f} {ref_s} {ratio} {dyn_s}")
    extra = [name for name in dyn if name not in ours]
    if extra:
        print("dynamic API only (no generated counterpart): dynamic / pycapnp")
    for name in extra:
        number = max(1, NUMBERS[name] // (10 if quick else 1))
        if pypy:
            for _ in range(number * 40):
                dyn[name]()
        t_dyn = best(dyn[name], number)
        t_ref = best(ref[name], number) if name in ref else ref_times.get(name)
        ratio = f"{t_dyn / t_ref:7.2f}" if t_ref else f"{'-':>7}"
        ref_s = f"{t_ref:10.3f}" if t_ref is not None else f"{'-':>10}"
        print(f"{name:32} {'-':>10} {ref_s} {ratio} {t_dyn:10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
