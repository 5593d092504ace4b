"""The typed decision every interpreter must produce, and the context it decides from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from .models import Booking, BusinessConfig, Faq

REPLY_MAX = 1600


class ActionType(StrEnum):
    NONE = "none"
    BOOKING = "booking"
    LEAD = "lead"
    HANDOFF = "handoff"
    CANCELLATION = "cancellation"


class Decision(BaseModel):
    """What the interpreter proposes: a reply and at most one action with the fields it needs.

    A valid Decision is only a proposal: the rules and the reply guard still decide.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    reply: str = Field(min_length=1, max_length=REPLY_MAX)
    action: ActionType = ActionType.NONE
    customer_name: str | None = Field(None, max_length=120)
    service: str | None = Field(None, max_length=80)
    requested_time: str | None = Field(None, max_length=200)
    scheduled_for: AwareDatetime | None = None
    requirement: str | None = Field(None, max_length=1000)
    handoff_reason: str | None = Field(None, max_length=300)
    #: With a handoff: the approved answers to the questions of the message that have one (the rest goes to a person).
    answered: str | None = Field(None, max_length=REPLY_MAX)
    booking_id: int | None = Field(None, ge=1)
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}(_[A-Z][a-z]{3})?$")

    @model_validator(mode="after")
    def _fields_for_action(self) -> "Decision":
        missing: list[str] = []
        if self.action is ActionType.BOOKING:
            missing = [name for name in ("service", "requested_time", "scheduled_for") if not getattr(self, name)]
        elif self.action is ActionType.LEAD:
            missing = [name for name in ("requirement",) if not getattr(self, name)]
        if missing:
            raise ValueError(f"action {self.action.value} needs: {', '.join(missing)}")
        if self.answered and self.action is not ActionType.HANDOFF:
            raise ValueError("answered goes with action handoff only")
        return self


@dataclass(frozen=True)
class HistoryLine:
    """One earlier message of this customer's conversation."""

    direction: str  # "in" from the customer, "out" from the assistant or owner
    text: str
    at: dt.datetime


@dataclass(frozen=True)
class ConversationContext:
    """Everything an interpreter may look at, loaded once per message."""

    config: BusinessConfig
    faqs: tuple[tuple[int, Faq], ...]
    now: dt.datetime  # aware, in the business timezone
    sender: str
    message_id: str
    text: str
    customer_name: str | None = None
    history: tuple[HistoryLine, ...] = ()
    upcoming_bookings: tuple[Booking, ...] = ()
    state: dict = field(default_factory=dict)
    language: str | None = None  # the language this customer was last answered in
