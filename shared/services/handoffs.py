"""Handoff verbs: the owner's queue of conversations a person must answer, replies and resolution."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection

from ..adapters import repository as repo
from ..adapters.db import Database
from ..clock import system_clock
from ..domain import events
from ..domain.errors import InvalidInput, NotFound
from ..domain.models import Handoff, HandoffStatus, mask_phone
from . import messagebus


def open_handoff_in(connection: Connection, *, customer_id: int | None, phone: str, reason: str,
                    source_message_id: str | None, now: dt.datetime, customer_name: str | None = None) -> int:
    """Put a conversation in the owner's queue inside the caller's transaction (the owner is alerted)."""
    handoff_id = repo.insert_handoff(connection, customer_id=customer_id, phone=phone, reason=reason,
                                     source_message_id=source_message_id, now=now)
    messagebus.handle(connection, events.HandoffOpened(handoff_id, phone, customer_name, reason), now)
    return handoff_id


def list_handoffs(db: Database, *, status: HandoffStatus | str | None = HandoffStatus.OPEN) -> list[Handoff]:
    """Handoffs, oldest first; open ones by default."""
    wanted = HandoffStatus(status) if status is not None else None
    with db.read() as connection:
        return repo.list_handoffs(connection, status=wanted)


def reply_to_customer(db: Database, phone: str, body: str, *, actor: str = "owner",
                      now: dt.datetime | None = None) -> int:
    """Queue the owner's own message to a customer in the outbox and keep it in the transcript."""
    body = body.strip()
    if not body:
        raise InvalidInput("The reply is empty.")
    if len(body) > 1600:
        raise InvalidInput("A WhatsApp reply is at most 1,600 characters.")
    now = now or system_clock()
    with db.transaction() as connection:
        customer = repo.get_customer(connection, phone)
        if customer is None:
            raise NotFound("No conversation with that customer.")
        outbox_id = repo.queue_outbound(connection, phone=phone, channel="whatsapp", body=body, now=now)
        repo.add_chat_message(connection, customer_id=customer["id"], direction="out", channel="owner", body=body,
                              message_id=None, now=now)
        repo.audit(connection, actor=actor, action="owner.reply", entity="outbox", entity_id=outbox_id,
                   detail={"customer": mask_phone(phone), "length": len(body)}, now=now)
    return outbox_id


def resolve_handoff(db: Database, handoff_id: int, *, actor: str = "owner", now: dt.datetime | None = None) -> None:
    """Give the conversation back to the assistant; its memory starts afresh so it does not loop back."""
    now = now or system_clock()
    with db.transaction() as connection:
        handoff = next((h for h in repo.list_handoffs(connection) if h.id == handoff_id), None)
        if handoff is None:
            raise NotFound(f"No handoff with id {handoff_id}.")
        if not repo.resolve_handoff(connection, handoff_id, now):
            raise InvalidInput(f"Handoff {handoff_id} is already resolved.")
        customer = repo.get_customer(connection, handoff.customer_phone)
        if customer is not None:
            repo.save_customer_state(connection, customer["id"], None)
        repo.audit(connection, actor=actor, action="handoff.resolve", entity="handoff", entity_id=handoff_id,
                   detail={"customer": mask_phone(handoff.customer_phone)}, now=now)


def transcript(db: Database, phone: str, limit: int = 200) -> list:
    """A customer's messages, oldest first (direction, body, created_at)."""
    with db.read() as connection:
        customer = repo.get_customer(connection, phone)
        return [] if customer is None else repo.recent_chat(connection, customer["id"], limit=limit)
