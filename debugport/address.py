"""``host:port`` addresses as the debug-port client, server and proxy take them."""

from __future__ import annotations

from typing import Tuple, Union

__all__ = ["LOOPBACK", "parse_address"]

LOOPBACK = "127.0.0.1"


def parse_address(address: Union[str, Tuple[str, int]], *, listening: bool = False,
                  default_host: str = LOOPBACK) -> Tuple[str, int]:
    """``"host:port"``, ``"[v6]:port"``, ``":port"`` or ``(host, port)`` -> ``(host, port)``.

    A missing host is ``default_host``.  Port 0 ("any free port") is only meaningful for an
    address to listen on, so it is accepted only when ``listening`` is true.
    """
    if isinstance(address, tuple):
        host, port = address
        return _checked(str(host) or default_host, int(port), address, listening)
    text = address.strip()
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or text[end + 1:end + 2] != ":":
            raise ValueError(f"bad address {address!r}: expected [host]:port")
        host, port_text = text[1:end], text[end + 2:]
    else:
        host, sep, port_text = text.rpartition(":")
        if not sep:
            raise ValueError(f"bad address {address!r}: expected host:port")
    if not (port_text.isascii() and port_text.isdigit()):  # not other scripts' digits
        raise ValueError(f"bad address {address!r}: the port must be a number")
    return _checked(host or default_host, int(port_text), address, listening)


def _checked(host: str, port: int, address: object, listening: bool) -> Tuple[str, int]:
    lowest = 0 if listening else 1
    if not lowest <= port < 65536:
        raise ValueError(f"bad address {address!r}: the port must be a number from {lowest} to 65535")
    return host, port
