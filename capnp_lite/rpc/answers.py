"""The answer table: calls and bootstraps the peer sent us and has not finished."""

from __future__ import annotations

import enum
from typing import Dict, Iterator, List, Optional, Tuple

from .caps import OutCap
from .ids import AnswerId, ExportId, QuestionId
from .messages import RpcException

__all__ = ["AnswerState", "Answer", "AnswerTable"]


class AnswerState(enum.Enum):
    PENDING = "pending"  # delivered to the application; no Return sent, no Finish received
    CANCELLED = "cancelled"  # Finish received first; the application still owes a return
    RETURNED = "returned"  # Return sent; waiting for the peer's Finish (unless none is needed)


class Answer:
    """One entry; removed once both the Return went out and the Finish came in, or with a
    Return that needs no Finish (see ``noFinishNeeded`` in ``connection.py``)."""

    __slots__ = (
        "id",
        "state",
        "is_bootstrap",
        "results_to_yourself",
        "result_content",
        "result_caps",
        "result_exception",
        "result_exports",
        "tail_question",
        "taken",
    )

    def __init__(self, aid: AnswerId, *, is_bootstrap: bool = False) -> None:
        self.id = aid  # the peer's QuestionId
        self.state = AnswerState.PENDING  # lifecycle, see AnswerState
        self.is_bootstrap = is_bootstrap  # answers a Bootstrap rather than a Call
        # sendResultsTo.yourself: keep the results here for the peer's later
        # Return with takeFromOtherQuestion, send resultsSentElsewhere instead.
        self.results_to_yourself = False
        # The results as returned, kept to serve pipelined calls and Disembargo.
        self.result_content: object = None
        self.result_caps: Tuple[OutCap, ...] = ()
        self.result_exception: Optional[RpcException] = None
        # Exports we sent in the results, one per descriptor: a Finish with
        # releaseResultCaps releases exactly these.
        self.result_exports: List[ExportId] = []
        # A tail call: the question whose results the peer takes instead; we
        # finish it when the peer finishes this answer.
        self.tail_question: Optional[QuestionId] = None
        # The peer already used these results in a takeFromOtherQuestion.
        self.taken = False


class AnswerTable:
    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: Dict[AnswerId, Answer] = {}  # live answers by the peer's question ID

    def new(self, aid: AnswerId, *, is_bootstrap: bool = False) -> Answer:
        entry = Answer(aid, is_bootstrap=is_bootstrap)
        self._entries[aid] = entry
        return entry

    def get(self, aid: AnswerId) -> Optional[Answer]:
        return self._entries.get(aid)

    def remove(self, aid: AnswerId) -> None:
        del self._entries[aid]

    def clear(self) -> None:
        self._entries.clear()

    def __contains__(self, aid: object) -> bool:
        return aid in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Answer]:
        return iter(list(self._entries.values()))
