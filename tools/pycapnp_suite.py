"""Run pycapnp's own test suite against capnp_lite, and hold the outcome to a list.

    python tools/pycapnp_suite.py [--work DIR] [--list] [PYTEST ARGS...]

pycapnp's source release (2.2.4, fetched from PyPI once, its SHA-256 checked) carries the
tests its authors run against pycapnp itself: the dynamic API, serialisation, schemas and
RPC, and its example clients and servers run as separate processes.  Here they run with
``import capnp`` giving capnp_lite (an alias package put first on PYTHONPATH, so the
examples' processes get it too), in a virtual environment of their own with the pytest
plugins they need (pytest-asyncio, pytest-timeout).

Every pycapnp test must pass, except those listed in ``DIFFERENCES`` below, each with its
reason: a deliberate difference (README, "Deliberate differences from pycapnp") or a gap
not yet closed.  The tool fails when a listed test passes (the list must shrink with the
gap) as well as when an unlisted one fails, so it says exactly how far pycapnp code ports
unchanged.  A test that would wait forever here would be listed in ``NOT_RUN`` and left
out (none is).  With ``--list`` the outcome of every test is printed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tarfile
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
VERSION = "2.2.4"
SDIST = f"pycapnp-{VERSION}.tar.gz"
SHA256 = "a598bd3952de76a803a53b845c8c300828338b949946d49f8af716328cda0a1a"
INDEX = "https://pypi.org/simple/pycapnp/"
# The pytest and plugins pycapnp's tests run with: the newest releases for Python 3.10 and
# later, and the newest that still support 3.9 (PyPy 3.9).
PLUGINS = ["pytest==9.2.0", "pytest-asyncio==1.5.0", "pytest-timeout==2.4.0"]
PLUGINS_39 = ["pytest==8.4.2", "pytest-asyncio==1.2.0", "pytest-timeout==2.4.0"]

_KJ_LOOP = ("asyncio's loop is the only loop (README): capnp_lite works outside kj_loop(), and "
            "what its end closes fails as a Disconnected call, not with pycapnp's RuntimeError")
_REWRITE_WARNING = ("pycapnp warns when a message is written twice (a C++ builder limitation); "
                    "writing a message again is harmless here, so there is no warning")

# pycapnp tests that fail against capnp_lite, and why.
DIFFERENCES: Dict[str, str] = {
    "test/test_capability.py::test_cancel": "a request may be sent again after a cancelled one (README)",
    "test/test_capability.py::test_double_send": "a request may be sent twice (README)",
    "test/test_capability.py::test_struct_args":
        "positional arguments fill a method whose params are a named struct (README)",
    "test/test_context_manager.py::test_nested_kj": _KJ_LOOP,
    "test/test_context_manager.py::test_kj_loop_leak_new_client": _KJ_LOOP,
    "test/test_context_manager.py::test_kj_loop_leak_client": _KJ_LOOP,
    "test/test_context_manager.py::test_kj_loop_leak_client2": _KJ_LOOP,
    "test/test_context_manager.py::test_kj_loop_leak_client3": _KJ_LOOP,
    "test/test_context_manager.py::test_no_kj_loop": _KJ_LOOP,
    "test/test_context_manager.py::test_promise_leaking1": _KJ_LOOP,
    "test/test_context_manager.py::test_promise_leaking2": _KJ_LOOP,
    "test/test_context_manager.py::test_promise_leaking3": _KJ_LOOP,
    "test/test_context_manager.py::test_kj_loop_write_message_after_close": _KJ_LOOP,
    "test/test_context_manager.py::test_kj_loop_partial_write_message_after_close": _KJ_LOOP,
    "test/test_context_manager.py::test_promise_leaking5": _KJ_LOOP,
    "test/test_context_manager.py::test_promise_leaking6": _KJ_LOOP,
    "test/test_context_manager.py::test_kj_loop_read_message_after_close": _KJ_LOOP,
    "test/test_context_manager.py::test_kj_loop_partial_read_message_after_close": _KJ_LOOP,
    "test/test_context_manager.py::test_client_on_disconnect_memory": _KJ_LOOP,
    "test/test_context_manager.py::test_server_on_disconnect_memory": _KJ_LOOP,
    "test/test_context_manager.py::test_client_on_disconnect_memory2":
        "a strict xfail in pycapnp (its C++ library drops a promise fulfiller there); it passes here",
    "test/test_get_data_view.py::test_view_keeps_message_alive":
        "a Data view does not hold the message alive (README)",
    "test/test_load.py::test_failed_import":
        "a struct of one file loaded by two parsers is one type here (types are compared by ID)",
    "test/test_rpc.py::test_simple_rpc_with_options":
        "bootstrap() never raises here: a message above traversal_limit_in_words fails the call "
        "that sends or receives it, not the bootstrap() that queues it",
    "test/test_serialization.py::test_roundtrip_file_multiple": _REWRITE_WARNING,
    "test/test_serialization.py::test_roundtrip_bytes_multiple": _REWRITE_WARNING,
    "test/test_serialization.py::test_roundtrip_file_multiple_packed": _REWRITE_WARNING,
    "test/test_serialization.py::test_roundtrip_bytes_multiple_packed": _REWRITE_WARNING,
    "test/test_serialization.py::test_file_and_bytes": _REWRITE_WARNING,
    "test/test_serialization.py::test_file_and_bytes_packed": _REWRITE_WARNING,
}

# More on PyPy: the tests' own harness fails there before any of our code runs.
_PROBE = ("the test's server probe connects an IPv6 socket to an IPv4 address, which raises "
          "OSError on PyPy (CPython returns an error code): the example never starts")
DIFFERENCES_PYPY: Dict[str, str] = {
    "test/test_examples.py::test_async_calculator_example": _PROBE,
    "test/test_examples.py::test_async_example": _PROBE,
    "test/test_examples.py::test_async_socket_message_example": _PROBE,
}

# pycapnp tests not run (none at present): a test that would wait forever goes here, with its reason.
NOT_RUN: Dict[str, str] = {}

# ``import capnp`` (and its submodules pycapnp's tests name) as capnp_lite.
ALIAS = '''"""capnp_lite under pycapnp's name, for running pycapnp's tests (tools/pycapnp_suite.py)."""
import sys

import capnp_lite
import capnp_lite.lib
import capnp_lite.lib.capnp
import capnp_lite.version

sys.modules["capnp.lib"] = capnp_lite.lib
sys.modules["capnp.lib.capnp"] = capnp_lite.lib.capnp
sys.modules["capnp.version"] = capnp_lite.version
sys.modules[__name__] = capnp_lite
'''


def fetch(work: Path) -> Path:
    """pycapnp's source release in ``work`` (downloaded once), its digest checked."""
    path = work / SDIST
    if not path.is_file():
        work.mkdir(parents=True, exist_ok=True)
        page = urllib.request.urlopen(INDEX, timeout=60).read().decode()
        links = [u for u in re.findall(r'href="([^"]+)"', page) if u.split("#")[0].endswith("/" + SDIST)]
        if not links:
            raise SystemExit(f"{SDIST} is not listed at {INDEX}")
        data = urllib.request.urlopen(links[0].split("#")[0], timeout=120).read()
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHA256:
        path.unlink()
        raise SystemExit(f"{SDIST}: SHA-256 {digest}, expected {SHA256}")
    return path


def prepare(work: Path) -> Path:
    """The unpacked tests and examples, with the alias package beside them."""
    tree = work / f"pycapnp-{VERSION}"
    if not (tree / "test").is_dir():
        with tarfile.open(fetch(work)) as tar:
            members = [m for m in tar.getmembers()
                       if m.isfile() and m.name.split("/")[1:2] in (["test"], ["examples"], ["pyproject.toml"])]
            tar.extractall(work, members)
    alias = work / "alias" / "capnp"
    alias.mkdir(parents=True, exist_ok=True)
    (alias / "__init__.py").write_text(ALIAS)
    return tree


def probe(python: str) -> Tuple[str, str]:
    """The implementation of an interpreter (``cpython``, ``pypy``) and its version (``3.11``)."""
    out = subprocess.run([python, "-c", "import sys; print(sys.implementation.name, '%d.%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True).stdout.split()
    return out[0], out[1]


def venv(work: Path, base: str, implementation: str, version: str) -> Path:
    """A virtual environment of ``base`` (an interpreter of that implementation and version)
    with the pytest plugins pycapnp's tests use."""
    env = work / f"venv-{implementation}{version}"
    python = env / "bin" / "python"
    if not python.exists():
        subprocess.run([base, "-m", "venv", str(env)], check=True)
    plugins = PLUGINS_39 if version == "3.9" else PLUGINS
    have = subprocess.run([str(python), "-m", "pip", "freeze"], capture_output=True, text=True).stdout.split()
    if not set(plugins) <= set(have):
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *plugins],
                       check=True)
    return python


def run(python: Path, tree: Path, work: Path, extra: List[str]) -> Dict[str, str]:
    """Each test's outcome (passed, failed, skipped, xfailed) by node id."""
    report = work / "report.xml"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(work / "alias"), str(ROOT)])
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    args = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout", "120",
            f"--junitxml={report}", "test"]
    args += [f"--deselect={node}" for node in NOT_RUN]
    for attempt in range(3):
        if report.exists():
            report.unlink()  # no outcome of an earlier run is ever read
        done = subprocess.run(args + extra, cwd=tree, env=env)
        # Debian's PyPy dies of a signal now and then (a garbage-collector fault, see the
        # README's Tests): the run is made again, at most twice, and says so.
        if done.returncode >= 0 or attempt == 2:
            break
        print(f"!! the interpreter died of signal {-done.returncode}: running the tests again",
              file=sys.stderr)
    outcomes: Dict[str, str] = {}
    for case in ET.parse(report).iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        node = f"{module}.py::{case.get('name')}"
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed"
            elif child.tag == "skipped":
                outcome = "xfailed" if child.get("type") == "pytest.xfail" else "skipped"
        outcomes[node] = outcome
    return outcomes


def compare(outcomes: Dict[str, str], differences: Dict[str, str]) -> List[str]:
    """What differs from the expected outcome: unlisted failures, listed tests that pass."""
    problems = []
    for node, outcome in sorted(outcomes.items()):
        listed = node in differences
        if outcome == "failed" and not listed:
            problems.append(f"FAILS (not listed): {node}")
        elif outcome != "failed" and listed:
            problems.append(f"{outcome.upper()} (listed as failing: take it off DIFFERENCES): {node}")
    for node in differences:
        if node not in outcomes:
            problems.append(f"listed but not run: {node}")
    if not outcomes:
        problems.append("no test ran")
    return problems


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pycapnp-suite")
    parser.add_argument("--list", action="store_true", help="print every test's outcome")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter the tests run on (default: this one)")
    args, extra = parser.parse_known_args(argv)
    work = args.work.resolve()
    tree = prepare(work)
    implementation, version = probe(args.python)
    outcomes = run(venv(work, args.python, implementation, version), tree, work, extra)
    differences = dict(DIFFERENCES)
    if implementation == "pypy":
        differences.update(DIFFERENCES_PYPY)
    if args.list:
        for node, outcome in sorted(outcomes.items()):
            print(f"{outcome:8} {node}")
    counts = {k: list(outcomes.values()).count(k) for k in ("passed", "failed", "skipped", "xfailed")}
    print(f"pycapnp {VERSION}'s tests against capnp_lite on {implementation} {version}: {counts['passed']} passed, "
          f"{counts['failed']} failed ({len(differences)} listed as differences), {counts['skipped']} skipped, "
          f"{counts['xfailed']} xfailed as in pycapnp, {len(NOT_RUN)} not run")
    problems = compare(outcomes, differences) if not extra else []
    for line in problems:
        print("!! " + line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
