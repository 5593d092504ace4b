"""Scenario files: scripted conversations with expectations, each run in a throwaway database.

The format is public (owners and consultants write it), so it is validated like any other input.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..adapters import repository as repo
from ..bootstrap import open_database
from ..clock import frozen_clock
from ..config import Settings, get_settings
from ..domain.errors import DomainError, InvalidInput
from ..domain.models import SenderPhone, error_lines
from ..pipeline import InboundMessage, build_pipeline
from . import notifications
from .intake import Intake
from .business import DEMO_CONFIG, parse_config, save_business


class _Strict(BaseModel):
    # `say: 10` is a message, not a number.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, coerce_numbers_to_str=True)


class _ScenarioLoader(yaml.SafeLoader):
    """YAML 1.1 reads `7:30` as the number 450; customers write times like that, so it stays text."""


_ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:int"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_ScenarioLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"))


class BookingExpectation(_Strict):
    service: str | None = None
    local_time: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
    status: Literal["pending", "approved", "completed", "cancelled", "no_show"] | None = None


class Expectation(_Strict):
    action: Literal["none", "booking", "lead", "handoff", "cancellation", "waitlist"] | None = None
    booking: BookingExpectation | None = None
    refusal: str | None = None
    reply_contains: list[str] = Field(default_factory=list)
    reply_excludes: list[str] = Field(default_factory=list)
    reply_equals: str | None = None
    silent: bool | None = None
    lead_requirement_contains: list[str] = Field(default_factory=list)
    #: The newest message the business queued for this customer (a notice after an owner's step, a reminder).
    notice_contains: list[str] = Field(default_factory=list)


#: What the owner can do in a scenario, to the customer's newest booking or open handoff.
OwnerStep = Literal["approve", "cancel", "resolve_handoff", "send_outbox"]


class Turn(_Strict):
    """One step: the customer says something, or the owner acts (`owner:`); `wait_hours` passes first."""

    say: str | None = Field(None, max_length=4096)
    owner: OwnerStep | None = None
    reason: str | None = Field(None, max_length=500)
    wait_hours: float = Field(0.0, ge=0, le=24 * 60)
    sender: SenderPhone | None = None
    profile_name: str | None = Field(None, max_length=120)
    expect: Expectation = Field(default_factory=Expectation)

    @model_validator(mode="after")
    def _one_actor(self) -> "Turn":
        if (self.say is None) == (self.owner is None):
            raise ValueError("a turn either says something (say:) or is an owner's step (owner:), not both")
        return self


class Scenario(_Strict):
    name: str = Field(min_length=1, max_length=200)
    sender: SenderPhone = "+919800000001"
    profile_name: str | None = Field(None, max_length=120)
    turns: list[Turn] = Field(min_length=1, max_length=100)


class ScenarioFile(_Strict):
    config: str | None = None
    now: dt.datetime | None = None
    scenarios: list[Scenario] = Field(min_length=1)


@dataclass(frozen=True)
class TurnResult:
    """One turn's verdict, in the shape `eval --json` prints."""

    scenario: str
    turn: int
    ok: bool
    why: str
    said: str = ""
    reply: str | None = None
    action: str = "none"

    def as_json(self) -> dict:
        return {"scenario": self.scenario, "turn": self.turn, "ok": self.ok, "why": self.why}


def load_scenario_file(path: Path) -> tuple[ScenarioFile, Path]:
    """Read and validate a scenario file; InvalidInput names every bad field."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ScenarioLoader)  # noqa: S506 - a SafeLoader
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}") from None
    except yaml.YAMLError:
        raise InvalidInput(f"{path} is not valid YAML") from None
    try:
        return ScenarioFile.model_validate(data), path.parent
    except ValidationError as error:
        lines = error_lines(error)
        raise InvalidInput(f"{path} has {len(lines)} problem(s):\n" + "\n".join(lines),
                           detail={"errors": lines}) from None


def _check(expect: Expectation, result, booking, lead) -> list[str]:
    problems = []
    reply = result.reply or ""
    if expect.action is not None and result.action.type != expect.action:
        problems.append(f"action was {result.action.type}, expected {expect.action}")
    if expect.refusal is not None and result.refusal_reason != expect.refusal:
        problems.append(f"refusal was {result.refusal_reason}, expected {expect.refusal}")
    if expect.booking is not None:
        if booking is None:
            problems.append("no booking was stored")
        else:
            if expect.booking.service and booking.service.casefold() != expect.booking.service.casefold():
                problems.append(f"booking service was {booking.service!r}, expected {expect.booking.service!r}")
            local = f"{booking.scheduled_for:%Y-%m-%d %H:%M}"
            if expect.booking.local_time and local != expect.booking.local_time:
                problems.append(f"booking time was {local}, expected {expect.booking.local_time}")
            if expect.booking.status and booking.status.value != expect.booking.status:
                problems.append(f"booking status was {booking.status.value}, expected {expect.booking.status}")
    if expect.lead_requirement_contains:
        if lead is None:
            problems.append("no lead was stored")
        else:
            for part in expect.lead_requirement_contains:
                if part.casefold() not in lead.requirement.casefold():
                    problems.append(f"lead requirement lacks {part!r}")
    for part in expect.reply_contains:
        if part.casefold() not in reply.casefold():
            problems.append(f"reply lacks {part!r}")
    for part in expect.reply_excludes:
        if part.casefold() in reply.casefold():
            problems.append(f"reply contains {part!r}")
    if expect.reply_equals is not None and reply.strip() != expect.reply_equals.strip():
        problems.append("reply differs from the expected text")
    if expect.silent is not None and (result.reply is None) != expect.silent:
        problems.append("assistant replied" if expect.silent else "assistant stayed silent")
    return problems


def _owner_step(db, turn: Turn, phone: str, at: dt.datetime):
    """Do the owner's step to the customer's newest booking or open handoff: (None, problems)."""
    from . import bookings, handoffs
    if turn.owner == "send_outbox":
        # Only the outbox's own scheduling (reminders, digests) runs: nothing is delivered from a scenario.
        notifications.queue_due_reminders(db, at)
        return None, []
    if turn.owner == "resolve_handoff":
        open_ = [h for h in handoffs.list_handoffs(db) if h.customer_phone == phone]
        if not open_:
            return None, ["no open handoff to resolve"]
        handoffs.resolve_handoff(db, open_[-1].id, actor="scenario", now=at)
        return None, []
    wanted = ("pending",) if turn.owner == "approve" else ("pending", "approved")
    held = [b for b in bookings.list_bookings(db, phone=phone) if b.status.value in wanted]
    if not held:
        return None, [f"no {' or '.join(wanted)} booking to {turn.owner}"]
    target = max(held, key=lambda b: b.id)
    status = "approved" if turn.owner == "approve" else "cancelled"
    try:
        bookings.set_booking_status(db, target.id, status, actor="owner (scenario)", reason=turn.reason, now=at)
    except DomainError as error:
        return None, [error.message]
    return None, []


def _check_notice(db, expect: Expectation, phone: str) -> list[str]:
    if not expect.notice_contains:
        return []
    with db.read() as connection:
        rows = repo.customer_outbox(connection, phone, 1)
    if not rows:
        return ["no message was queued for the customer"]
    body = rows[0]["body"]
    return [f"the queued message lacks {part!r}" for part in expect.notice_contains
            if part.casefold() not in body.casefold()]


def run_scenario_file(path: Path, *, settings: Settings | None = None,
                      on_turn: Callable[[TurnResult], None] | None = None) -> list[TurnResult]:
    """Run every scenario of a file, each in a fresh throwaway database; one result per turn."""
    spec, folder = load_scenario_file(path)
    config_path = (folder / spec.config) if spec.config else DEMO_CONFIG
    try:
        config = parse_config(config_path.read_text(encoding="utf-8"), source=str(config_path))
    except OSError as error:
        raise InvalidInput(f"cannot read the scenario's config {config_path}: {error.strerror}") from None
    zone = config.business.zone
    start = spec.now.replace(tzinfo=zone) if spec.now and spec.now.tzinfo is None else spec.now
    start = start or dt.datetime.now(zone).replace(second=0, microsecond=0)
    settings = settings or get_settings()
    results: list[TurnResult] = []
    for scenario in spec.scenarios:
        with tempfile.TemporaryDirectory(prefix="scenario-") as folder_name:
            db = open_database(f"sqlite:///{folder_name}/scenario.db")
            try:
                save_business(db, config, actor="scenario", now=start)
                at = start
                for index, turn in enumerate(scenario.turns, start=1):
                    # Each turn one second later (history keeps its order under a frozen clock), plus its wait.
                    at += dt.timedelta(seconds=1, hours=turn.wait_hours)
                    sender = turn.sender or scenario.sender
                    if turn.owner is not None:
                        result, problems = _owner_step(db, turn, sender, at)
                        said = f"(owner: {turn.owner})"
                    else:
                        intake = Intake(build_pipeline(db, settings=settings, clock=frozen_clock(at)))
                        message = InboundMessage(channel="eval", message_id=f"{scenario.name}#{index}",
                                                 sender=sender, text=turn.say,
                                                 profile_name=turn.profile_name or scenario.profile_name)
                        result = intake.deliver(message).result
                        with db.read() as connection:
                            booking = repo.get_booking(connection, result.action.id) \
                                if result.action.type in ("booking", "cancellation") and result.action.id else None
                            lead = repo.get_lead(connection, result.action.id) \
                                if result.action.type == "lead" and result.action.id else None
                        problems = _check(turn.expect, result, booking, lead)
                        said = turn.say
                    problems += _check_notice(db, turn.expect, sender)
                    verdict = TurnResult(scenario.name, index, not problems, "; ".join(problems) or "ok",
                                         said=said, reply=result.reply if result else None,
                                         action=result.action.type if result else "none")
                    results.append(verdict)
                    if on_turn:
                        on_turn(verdict)
            finally:
                db.dispose()
    return results


def summary(results: list[TurnResult]) -> dict:
    """The `eval --json` document."""
    passed = sum(1 for r in results if r.ok)
    return {"passed": passed, "failed": len(results) - passed, "results": [r.as_json() for r in results]}
