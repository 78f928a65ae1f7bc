"""Run a real ``workerd serve`` for tests and benchmarks (stdlib only).

workerd is told to listen on ephemeral loopback ports only: every socket named by the caller is
overridden with ``--socket-addr NAME=127.0.0.1:0`` and the debug port with
``--debug-port 127.0.0.1:0``.  The ports it actually bound are read from ``--control-fd``, a
pipe on which workerd writes one JSON object per line once each listener is up::

    {"event":"listen","socket":"http","port":34589}
    {"event":"listen","socket":"debug-port","port":41933}

(the debug port is reported under the socket name ``debug-port``).  The process counts as ready
when every expected socket has been reported.

Typical use::

    with Workerd(WORKERS / "config.capnp", sockets=("http", "viaport")) as wd:
        urlopen(wd.url("/hello"))
        connect(("127.0.0.1", wd.debug_port))

POSIX only: the control pipe is handed to workerd with ``pass_fds``.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Dict, List, Mapping, Optional, Sequence, Type, Union

__all__ = [
    "REPO",
    "WORKERS",
    "DEBUG_PORT_SOCKET",
    "WorkerdNotInstalled",
    "WorkerdFailed",
    "Workerd",
    "find_workerd",
    "parse_control_line",
]

REPO = Path(__file__).resolve().parents[2]
WORKERS = Path(__file__).resolve().parent / "workers"

# The name under which workerd reports the debug port's listener on the control fd.
DEBUG_PORT_SOCKET = "debug-port"

# Only loopback: the debug port gives full access to every service in the process.
LOOPBACK = "127.0.0.1"

INSTALL_HINT = (
    "workerd is not installed: run `npm install` in the repository root (package.json pins the "
    "version the tests expect), or set WORKERD to the path of a workerd binary"
)

# Control-fd lines longer than this are not something workerd writes; stop reading rather than
# buffer without bound.
MAX_CONTROL_BYTES = 1 << 16


class WorkerdNotInstalled(RuntimeError):
    """The workerd binary could not be found; the message says how to install it."""


class WorkerdFailed(RuntimeError):
    """workerd exited, timed out or reported something unexpected while starting."""


def find_workerd() -> Path:
    """Return the workerd binary: ``$WORKERD`` if set, else the repository's npm install.

    Raises :class:`WorkerdNotInstalled` (never skips): a missing runtime must fail loudly.
    """
    override = os.environ.get("WORKERD")
    if override:
        path = Path(override)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        found = shutil.which(override)
        if found is not None:
            return Path(found)
        raise WorkerdNotInstalled(f"WORKERD={override!r} is not an executable file. {INSTALL_HINT}")
    path = REPO / "node_modules" / ".bin" / "workerd"
    if path.is_file() and os.access(path, os.X_OK):
        return path
    raise WorkerdNotInstalled(f"{path} does not exist. {INSTALL_HINT}")


def parse_control_line(line: bytes) -> Optional[Dict[str, object]]:
    """Decode one control-fd line; ``None`` for blank lines.

    Raises :class:`WorkerdFailed` when the line is not a JSON object.
    """
    text = line.strip()
    if not text:
        return None
    try:
        message = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WorkerdFailed(f"workerd wrote a malformed control message {text[:200]!r}: {exc}")
    if not isinstance(message, dict):
        raise WorkerdFailed(f"workerd wrote a control message that is not an object: {text[:200]!r}")
    return message


def _listen_port(message: Mapping[str, object]) -> Optional[tuple[str, int]]:
    """The (socket, port) of a ``listen`` event, or ``None`` for any other event."""
    if message.get("event") != "listen":
        return None
    socket = message.get("socket")
    port = message.get("port")
    if not isinstance(socket, str) or not isinstance(port, int) or isinstance(port, bool):
        raise WorkerdFailed(f"workerd wrote a listen event without socket/port: {message!r}")
    if not 0 < port < 65536:
        raise WorkerdFailed(f"workerd reported port {port} for socket {socket!r}")
    return socket, port


class Workerd:
    """One ``workerd serve`` process, started by :meth:`start` and stopped by :meth:`stop`.

    ``sockets`` lists the config's socket names to listen on (each gets an ephemeral loopback
    port); ``debug_port`` adds ``--debug-port``.  ``http_port`` is the port of the first socket.
    Output (stdout and stderr together) goes to a temporary file, read by :meth:`output` and
    quoted in every :class:`WorkerdFailed`.
    """

    def __init__(
        self,
        config: Union[str, Path],
        *,
        const_name: str = "config",
        sockets: Sequence[str] = ("http",),
        debug_port: bool = True,
        experimental: bool = True,
        extra_args: Sequence[str] = (),
        binary: Optional[Path] = None,
        start_timeout: float = 30.0,
        stop_timeout: float = 10.0,
        env: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.config = Path(config)
        self.const_name = const_name
        self.sockets = tuple(sockets)
        self.with_debug_port = debug_port
        self.experimental = experimental
        self.extra_args = tuple(extra_args)
        self.binary = binary
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.env = dict(env) if env is not None else None
        # Port of each socket workerd reported, by socket name (the debug port as "debug-port").
        self.ports: Dict[str, int] = {}
        # Every control message received, in order, for diagnostics.
        self.control_messages: List[Dict[str, object]] = []
        self.process: Optional[subprocess.Popen[bytes]] = None
        self._log: Optional[IO[bytes]] = None
        self._control_read: Optional[int] = None

    # -- lifecycle ---------------------------------------------------------------------------

    def command(self) -> List[str]:
        """The argument list :meth:`start` runs, minus ``--control-fd`` (its fd is not known yet)."""
        binary = self.binary if self.binary is not None else find_workerd()
        args = [str(binary), "serve", str(self.config), self.const_name]
        if self.experimental:
            args.append("--experimental")
        for name in self.sockets:
            args.append(f"--socket-addr={name}={LOOPBACK}:0")
        if self.with_debug_port:
            args.append(f"--debug-port={LOOPBACK}:0")
        args.extend(self.extra_args)
        return args

    def start(self) -> "Workerd":
        """Start workerd and wait until every expected listener is up."""
        if self.process is not None:
            raise RuntimeError("workerd is already started")
        args = self.command()
        read_fd, write_fd = os.pipe()
        self._control_read = read_fd
        self._log = tempfile.TemporaryFile(prefix="workerd-", suffix=".log")
        try:
            self.process = subprocess.Popen(
                args + [f"--control-fd={write_fd}"],
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                cwd=str(self.config.parent),
                env=self.env,
            )
        except BaseException:
            os.close(write_fd)
            self._close_files()
            raise
        # Our copy of the write end must go, or a crashed workerd would never give us EOF.
        os.close(write_fd)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _expected(self) -> List[str]:
        names = list(self.sockets)
        if self.with_debug_port:
            names.append(DEBUG_PORT_SOCKET)
        return names

    def _wait_ready(self) -> None:
        assert self._control_read is not None and self.process is not None
        deadline = time.monotonic() + self.start_timeout
        buffer = b""
        while not all(name in self.ports for name in self._expected()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._failure(f"not ready after {self.start_timeout:.0f}s")
            ready, _, _ = select.select([self._control_read], [], [], min(remaining, 0.5))
            if not ready:
                if self.process.poll() is not None:
                    raise self._failure(f"exited with status {self.process.returncode}")
                continue
            chunk = os.read(self._control_read, 4096)
            if not chunk:
                self.process.wait(timeout=self.stop_timeout)
                raise self._failure(f"exited with status {self.process.returncode}")
            buffer += chunk
            if len(buffer) > MAX_CONTROL_BYTES:
                raise self._failure("wrote an oversized control message")
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                self._handle_control(line)

    def _handle_control(self, line: bytes) -> None:
        message = parse_control_line(line)
        if message is None:
            return
        self.control_messages.append(message)
        listen = _listen_port(message)
        if listen is not None:
            self.ports[listen[0]] = listen[1]

    def stop(self) -> Optional[int]:
        """Terminate workerd (SIGTERM, then SIGKILL after ``stop_timeout``); return its status."""
        status: Optional[int] = None
        process = self.process
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=self.stop_timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=self.stop_timeout)
            status = process.returncode
        self._close_control()
        return status

    def _close_control(self) -> None:
        if self._control_read is not None:
            os.close(self._control_read)
            self._control_read = None

    def _close_files(self) -> None:
        self._close_control()
        if self._log is not None:
            self._log.close()
            self._log = None

    def close(self) -> None:
        """Stop workerd and drop its captured output."""
        self.stop()
        self._close_files()

    def __enter__(self) -> "Workerd":
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    # -- what tests use ----------------------------------------------------------------------

    @property
    def http_port(self) -> int:
        """Port of the first socket in ``sockets``."""
        return self.port(self.sockets[0])

    @property
    def debug_port(self) -> int:
        """Port of workerd's debug port (two-party Cap'n Proto RPC, bootstrap WorkerdDebugPort)."""
        return self.port(DEBUG_PORT_SOCKET)

    @property
    def debug_address(self) -> str:
        """``host:port`` of the debug port, as the ``workerdDebugPort`` binding's connect() takes."""
        return f"{LOOPBACK}:{self.debug_port}"

    @property
    def host(self) -> str:
        return LOOPBACK

    def port(self, socket: str) -> int:
        if socket not in self.ports:
            raise KeyError(f"workerd reported no port for socket {socket!r} (got {sorted(self.ports)})")
        return self.ports[socket]

    def url(self, path: str = "/", socket: Optional[str] = None) -> str:
        """``http://127.0.0.1:PORT/path`` on ``socket`` (default: the first one)."""
        port = self.http_port if socket is None else self.port(socket)
        return f"http://{LOOPBACK}:{port}/{path.lstrip('/')}"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self, limit: int = 20000) -> str:
        """The last ``limit`` characters workerd wrote to stdout and stderr."""
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0, os.SEEK_END)
        size = self._log.tell()
        self._log.seek(max(0, size - limit))
        data = self._log.read()
        self._log.seek(0, os.SEEK_END)
        return data.decode("utf-8", "replace")

    def _failure(self, what: str) -> WorkerdFailed:
        command = " ".join(self.command())
        return WorkerdFailed(
            f"workerd {what}.\n  command: {command}\n  reported ports: {self.ports}\n"
            f"  output:\n{self.output() or '(nothing)'}"
        )
