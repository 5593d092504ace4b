"""The interpreter interface: context in, an unvalidated proposal out."""

from __future__ import annotations

import abc
from dataclasses import dataclass

from ...domain.decision import ConversationContext


class InterpreterError(Exception):
    """The interpreter could not produce a proposal (network, HTTP error, empty or unparseable output)."""


@dataclass(frozen=True)
class Proposal:
    """What an interpreter said, not yet trusted: `raw` is validated into a Decision by the pipeline.

    `state` is the interpreter's own memory for this customer's next message (the local interpreter
    uses it to fill a booking across turns); it is stored as given and never shown to anyone.
    """

    raw: dict | str
    state: dict | None = None


class Interpreter(abc.ABC):
    """Turns a conversation context into a proposal."""

    name = "interpreter"
    #: True for CPU-only interpreters with a bounded running time: the pipeline calls them directly.
    in_process = False

    @abc.abstractmethod
    def propose(self, context: ConversationContext, *, timeout_s: float) -> Proposal:
        """Return a proposal within `timeout_s` seconds or raise InterpreterError."""

    def warm(self, config, faqs) -> None:
        """Build whatever this interpreter derives from a configuration (indexes, models) ahead of the
        first message; the default has nothing to build."""

    def prepare(self, text: str, config, faqs) -> None:
        """Do the work on a message's text that needs no conversation state (encoding it) before the message's
        write transaction, so that no lock is held meanwhile; what propose() decides must not change. The
        default has nothing to do."""

    def describe(self) -> dict:
        """What to show about this interpreter on readiness pages (never secrets)."""
        return {"backend": self.name}
