"""Error reasons that stand for JavaScript errors, read and written as workerd's jsg layer does.

workerd carries a JavaScript error across Cap'n Proto as the exception's reason text:
``jsg.<Type>: <message>``, maybe after routing prefixes (``remote.`` each time it crossed a
worker or RPC boundary) or a failed assertion (``expected <check>; jsg.TypeError: ...``).  On the
receiving side jsg rebuilds a JS error only for the types in :data:`JS_ERROR_NAMES` and for
``DOMException(<name>)``; any other reason reaches JavaScript as "internal error; reference =
...".  :func:`parse_reason` reads a reason that way (the client's ``RemoteError``);
:func:`jsg_reason` writes one a JavaScript caller will see as meant (the Python server).
"""

from __future__ import annotations

import re
from typing import Optional

__all__ = ["JS_ERROR_NAMES", "JsErrorParts", "parse_reason", "jsg_reason"]

# Error types jsg rebuilds from a ``jsg.<Name>`` reason (checked against workerd: any other name
# reaches a JavaScript caller as "internal error").  workerd matches them as prefixes of the text
# after ``jsg.``.
JS_ERROR_NAMES = ("Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError",
                  "EvalError", "URIError", "AggregateError")
# Prefixes workerd strips before looking for ``jsg.``, in any order and any number.
_ROUTING_PREFIXES = ("remote exception: ", "remote.", "SENTRY_DO ", "SENTRY_RT ")
_DOM_EXCEPTION = "DOMException("


class JsErrorParts:
    """What a workerd exception reason says about the JavaScript error it stands for."""

    __slots__ = ("js_name", "js_class", "message")

    def __init__(self, js_name: Optional[str], js_class: Optional[str], message: str) -> None:
        self.js_name = js_name  # the error's ``name``; None for an internal error
        self.js_class = js_class  # its constructor: DOMException, or the same as js_name
        self.message = message  # what the JavaScript caller reads as ``message``


def parse_reason(reason: str) -> JsErrorParts:
    """Read a workerd exception reason as workerd's jsg layer does when it rebuilds a JS error.

    ``remote.jsg.TypeError: boom`` -> TypeError ``boom``; ``jsg.DOMException(AbortError): x``
    -> AbortError (a DOMException) ``x``; ``expected <check>; jsg.TypeError: x`` (a failed
    assertion carrying a JS error) -> TypeError ``x``.  Anything else is an internal error:
    no name, and the reason without its routing prefixes as the message.
    """
    text = _strip_routing(reason)
    if text.startswith("expected "):
        # A failed assertion: each "; "-separated part after it may carry the JS error.
        rest = text
        while "; " in rest:
            rest = rest.split("; ", 1)[1]
            parts = _jsg_error(rest)
            if parts is not None:
                return parts
        return JsErrorParts(None, None, text)
    rest = text
    while rest.startswith("broken.") and "; " in rest:  # a broken actor's annotation
        rest = rest.split("; ", 1)[1]
    parts = _jsg_error(rest)
    return parts if parts is not None else JsErrorParts(None, None, text)


def _strip_routing(reason: str) -> str:
    stripped = True
    while stripped:
        stripped = False
        for prefix in _ROUTING_PREFIXES:
            if reason.startswith(prefix):
                reason = reason[len(prefix):]
                stripped = True
    return reason


def _jsg_error(text: str) -> Optional[JsErrorParts]:
    """``jsg.<Type>[: message]`` (or ``jsg-internal.``) as a JS error, or None."""
    for marker in ("jsg.", "jsg-internal."):
        if text.startswith(marker):
            return _typed_error(text[len(marker):])
    return None


def _typed_error(text: str) -> Optional[JsErrorParts]:
    if text.startswith(_DOM_EXCEPTION):
        close = text.find(")")
        if close >= 0:
            name = text[len(_DOM_EXCEPTION):close]
            return JsErrorParts(name, "DOMException", _error_message(text[close + 1:]))
    for name in JS_ERROR_NAMES:
        if text.startswith(name):
            return JsErrorParts(name, name, _error_message(text[len(name):]))
    return None


def _error_message(after_name: str) -> str:
    """The message after an error type: what follows ``:`` and spaces (else nothing)."""
    if not after_name.startswith(":"):
        return ""
    return after_name[1:].lstrip(" ")


# A DOMException with its name, as jsg spells it: DOMException(AbortError).
_DOM_EXCEPTION_TYPE = re.compile(r"DOMException\([^)]+\)")


def jsg_reason(name: str, message: str) -> str:
    """``jsg.<Type>: <message>`` that a JavaScript caller sees as an error called ``name``.

    A name jsg does not rebuild is folded into an ``Error`` whose message starts ``<name>: ``,
    as workerd's own JavaScript sends an error with a custom ``name``; ``DOMException`` alone
    is a DOMException with its default name, ``Error``.
    """
    if name in JS_ERROR_NAMES or _DOM_EXCEPTION_TYPE.fullmatch(name):
        return f"jsg.{name}: {message}"
    if name == "DOMException":
        return f"jsg.DOMException(Error): {message}"
    if not name:
        return f"jsg.Error: {message}"
    return f"jsg.Error: {name}: {message}"
