"""Capability references as the layer above sees them.

The connection never shows ``CapDescriptor`` values to the application.
Instead a payload's cap table is a list of these references:

* ``LocalCap(obj)``: an object of ours (``obj`` is any hashable handle the
  application chooses).  Sending it exports it (``senderHosted``), or
  ``senderPromise`` when ``promise=True`` (the application later calls
  ``RpcConnection.resolve(obj, ...)``).  Received when the peer passes back
  one of our exports (``receiverHosted``).
* ``RemoteCap(import_id)``: a capability the peer hosts.  Received for
  ``senderHosted`` / ``senderPromise`` / a third-party vine; sending it
  passes it back as ``receiverHosted``.
* ``RemotePromise(question_id, transform)``: a capability expected in the
  results of one of our questions (promise pipelining).  Sending it is
  ``receiverAnswer``.
* ``LocalPipeline(answer_id, transform)``: received for ``receiverAnswer``
  when our answer has not returned yet: the application resolves it once its
  own call returns.
* ``None``: a null capability.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Optional, Union

from .ids import AnswerId, ImportId, QuestionId
from .messages import Transform

__all__ = [
    "LocalCap",
    "RemoteCap",
    "RemotePromise",
    "LocalPipeline",
    "OutCap",
    "InCap",
]


@dataclass(frozen=True, init=False)
class LocalCap:
    """An object hosted here; ``obj`` is the application's hashable handle for it."""

    obj: Hashable
    promise: bool = False  # export as senderPromise: a Resolve will follow

    # Made per call: the instance dict filled in one step, not a setattr per field.
    def __init__(self, obj: Hashable, promise: bool = False) -> None:
        self.__dict__.update(obj=obj, promise=promise)


@dataclass(frozen=True, init=False)
class RemoteCap:
    """A capability hosted by the peer, in our import table."""

    import_id: ImportId
    promise: bool = False  # the peer exported it as a promise; a Resolve may follow

    def __init__(self, import_id: ImportId, promise: bool = False) -> None:
        self.__dict__.update(import_id=import_id, promise=promise)


@dataclass(frozen=True, init=False)
class RemotePromise:
    """A capability in the future results of our question ``question_id``."""

    question_id: QuestionId
    transform: Transform = ()

    def __init__(self, question_id: QuestionId, transform: Transform = ()) -> None:
        self.__dict__.update(question_id=question_id, transform=transform)


@dataclass(frozen=True, init=False)
class LocalPipeline:
    """A capability in the future results of our answer ``answer_id``."""

    answer_id: AnswerId
    transform: Transform = ()

    def __init__(self, answer_id: AnswerId, transform: Transform = ()) -> None:
        self.__dict__.update(answer_id=answer_id, transform=transform)


OutCap = Optional[Union[LocalCap, RemoteCap, RemotePromise]]
"""A cap-table entry the application sends."""

InCap = Optional[Union[LocalCap, RemoteCap, LocalPipeline]]
"""A cap-table entry the application receives."""
