"""The question table: calls and bootstraps we sent and the peer has not finished answering."""

from __future__ import annotations

import enum
from typing import Dict, Iterator, Optional, Sequence, Set

from .ids import AnswerId, ExportId, IdAllocator, ImportId, QuestionId
from .messages import Transform

__all__ = ["QuestionState", "Question", "QuestionTable"]


class QuestionState(enum.Enum):
    AWAITING_RETURN = "awaiting return"  # sent; neither Return received nor Finish sent
    RETURNED = "returned"  # Return received; we have not sent Finish yet
    FINISHED = "finished"  # Finish sent before the Return arrived (a cancelled call)


class Question:
    """One entry; removed once the Return arrived and Finish went out (or was not needed)."""

    __slots__ = (
        "id",
        "state",
        "is_bootstrap",
        "param_exports",
        "result_imports",
        "pipelined",
        "tail_of",
        "finish_needed",
        "results_to_yourself",
    )

    def __init__(self, qid: QuestionId, *, is_bootstrap: bool = False) -> None:
        self.id = qid  # our ID; the peer's AnswerId
        self.state = QuestionState.AWAITING_RETURN  # lifecycle, see QuestionState
        self.is_bootstrap = is_bootstrap  # a Bootstrap rather than a Call
        # Exports we sent in the params, one per descriptor: a Return with
        # releaseParamCaps releases exactly these.
        # (Empty tuples until set: a call in flight allocates no containers it does not use.)
        self.param_exports: Sequence[ExportId] = ()
        # Imports we received in the results, one per descriptor: a Finish
        # with releaseResultCaps drops exactly these references.
        self.result_imports: Sequence[ImportId] = ()
        # Transforms on which we sent pipelined calls: they need an embargo if
        # the results point them back at us (None until the first).
        self.pipelined: Optional[Set[Transform]] = None
        # Set when this question is the forwarded half of a tail call made for
        # that answer: the connection, not the application, finishes it.
        self.tail_of: Optional[AnswerId] = None
        # False after a Return with noFinishNeeded, or after the peer echoed
        # our message as Unimplemented: no Finish may be sent then.
        self.finish_needed = True
        # We asked the peer to keep the results (sendResultsTo.yourself).
        self.results_to_yourself = False


class QuestionTable:
    __slots__ = ("_entries", "_ids")

    def __init__(self) -> None:
        self._entries: Dict[QuestionId, Question] = {}  # live questions by ID
        self._ids = IdAllocator()  # lowest-free allocation of question IDs

    def new(self, *, is_bootstrap: bool = False) -> Question:
        qid = QuestionId(self._ids.allocate())
        entry = Question(qid, is_bootstrap=is_bootstrap)
        self._entries[qid] = entry
        return entry

    def get(self, qid: QuestionId) -> Optional[Question]:
        return self._entries.get(qid)

    def remove(self, qid: QuestionId) -> None:
        del self._entries[qid]
        self._ids.free(qid)

    def clear(self) -> None:
        self._entries.clear()
        self._ids = IdAllocator()

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Question]:
        return iter(list(self._entries.values()))
