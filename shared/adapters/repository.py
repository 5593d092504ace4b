"""Queries over the schema: rows in, typed domain values out. Parameters only, never built SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from typing import NamedTuple

from sqlalchemy import Connection, bindparam, delete, func, or_, select, text, update

from ..domain.models import (Booking, BookingPolicy, BookingStatus, BusinessConfig, BusinessProfile, Faq,
                             Handoff, HandoffStatus, Lead, LeadStatus, Service, TimeRange, WeeklyHours, WEEKDAYS)
from ..domain.rules import Interval
from . import tables as t
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .db import insert_ignoring_conflict
from .prepared import Prepared

_CALENDAR_LOCK_KEY = 730_001


def lock_calendar(connection: Connection) -> None:
    """Serialise booking writes: SQLite already holds its write lock (BEGIN IMMEDIATE); PostgreSQL takes
    a transaction-scoped advisory lock, so capacity checks and inserts never interleave."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CALENDAR_LOCK_KEY})


def audit(connection: Connection, *, actor: str, action: str, entity: str | None = None,
          entity_id: int | None = None, detail: dict | None = None, now: dt.datetime | None = None) -> None:
    """Append one line to the audit log, inside the caller's transaction."""
    _AUDIT.execute(connection, {"at": now or dt.datetime.now(dt.timezone.utc), "actor": actor[:80], "action": action,
                                "entity": entity, "entity_id": entity_id, "detail": detail or {}})


_AUDIT = Prepared(t.audit_log.insert().values(
    at=bindparam("at"), actor=bindparam("actor"), action=bindparam("action"), entity=bindparam("entity"),
    entity_id=bindparam("entity_id"), detail=bindparam("detail")))


# --- business configuration -----------------------------------------------------------------------

def config_version(connection: Connection) -> int:
    """A number that changes whenever the business configuration does (profile, hours, services, FAQs)."""
    return _CONFIG_VERSION.execute(connection).scalar() or 0


_CONFIG_VERSION = Prepared(select(t.config_version.c.version).where(t.config_version.c.id == 1))


def bump_config_version(connection: Connection) -> None:
    connection.execute(update(t.config_version).where(t.config_version.c.id == 1)
                       .values(version=t.config_version.c.version + 1))


def load_config(connection: Connection) -> BusinessConfig | None:
    """The stored business configuration, or None before one is loaded."""
    row = connection.execute(select(t.business_profile).where(t.business_profile.c.id == 1)).mappings().first()
    if row is None:
        return None
    profile = BusinessProfile(name=row["name"], category=row["category"], description=row["description"],
                              address=row["address"], timezone=row["timezone"], languages=row["languages"],
                              greeting=row["greeting"], phone=row["phone"])
    policy = BookingPolicy(slot_minutes=row["slot_minutes"], capacity=row["capacity"],
                           min_notice_minutes=row["min_notice_minutes"], max_days_ahead=row["max_days_ahead"],
                           buffer_minutes=row["buffer_minutes"],
                           **({} if row["reminder_hours"] is None else {"reminder_hours": row["reminder_hours"]}),
                           **({} if row["waitlist_offer_hours"] is None
                              else {"waitlist_offer_hours": row["waitlist_offer_hours"]}))
    hours: dict[str, list[TimeRange]] = {day: [] for day in WEEKDAYS}
    for h in connection.execute(select(t.opening_hours).order_by(t.opening_hours.c.weekday,
                                                                  t.opening_hours.c.opens)).mappings():
        hours[WEEKDAYS[h["weekday"]]].append(TimeRange.model_validate(f"{h['opens']}-{h['closes']}"))
    closures = list(connection.scalars(select(t.closures.c.day).order_by(t.closures.c.day)))
    return BusinessConfig(business=profile, hours=WeeklyHours(**hours), closures=closures, booking=policy,
                          services=list_services(connection), faqs=[faq for _, faq in list_faqs(connection)],
                          templates=row["message_templates"] or {})


def replace_config(connection: Connection, config: BusinessConfig, now: dt.datetime) -> None:
    """Replace profile, hours, closures, policy, services and FAQs; bookings, leads and chats stay."""
    profile, policy = config.business, config.booking
    values = dict(name=profile.name, category=profile.category, description=profile.description,
                  address=profile.address, timezone=profile.timezone, languages=list(profile.languages),
                  greeting=profile.greeting, phone=profile.phone, slot_minutes=policy.slot_minutes,
                  capacity=policy.capacity, min_notice_minutes=policy.min_notice_minutes,
                  max_days_ahead=policy.max_days_ahead, buffer_minutes=policy.buffer_minutes,
                  reminder_hours=policy.reminder_hours, waitlist_offer_hours=policy.waitlist_offer_hours,
                  updated_at=now,
                  message_templates={kind: template.model_dump() for kind, template in config.templates.items()}
                  or None)
    bump_config_version(connection)
    connection.execute(delete(t.business_profile))
    connection.execute(t.business_profile.insert().values(id=1, **values))
    connection.execute(delete(t.opening_hours))
    rows = [dict(weekday=i, opens=f"{r.start:%H:%M}", closes=f"{r.end:%H:%M}")
            for i in range(7) for r in config.hours.for_weekday(i)]
    if rows:
        connection.execute(t.opening_hours.insert(), rows)
    connection.execute(delete(t.closures))
    if config.closures:
        connection.execute(t.closures.insert(), [dict(day=d) for d in config.closures])
    replace_services(connection, config.services)
    replace_faqs(connection, config.faqs, now)


def list_services(connection: Connection) -> list[Service]:
    rows = connection.execute(select(t.services).order_by(t.services.c.position, t.services.c.id)).mappings()
    return [Service(name=r["name"], duration_minutes=r["duration_minutes"], price=r["price"],
                    aliases=r["aliases"] or []) for r in rows]


def replace_services(connection: Connection, services: Sequence[Service]) -> None:
    bump_config_version(connection)
    connection.execute(delete(t.services))
    if services:
        connection.execute(t.services.insert(), [dict(position=i, name=s.name, duration_minutes=s.duration_minutes,
                                                      price=s.price, aliases=list(s.aliases))
                                                 for i, s in enumerate(services)])


def list_faqs(connection: Connection) -> list[tuple[int, Faq]]:
    rows = connection.execute(select(t.faqs).order_by(t.faqs.c.position, t.faqs.c.id)).mappings()
    return [(r["id"], Faq(question=r["question"], answer=r["answer"], alternatives=r["alternatives"] or [],
                          language=r["language"])) for r in rows]


def replace_faqs(connection: Connection, faqs: Sequence[Faq], now: dt.datetime) -> None:
    bump_config_version(connection)
    connection.execute(delete(t.faqs))
    for faq in faqs:
        add_faq(connection, faq, now)


def add_faq(connection: Connection, faq: Faq, now: dt.datetime) -> int:
    bump_config_version(connection)
    position = connection.scalar(select(func.coalesce(func.max(t.faqs.c.position), -1))) + 1
    return connection.execute(t.faqs.insert().values(
        position=position, question=faq.question, answer=faq.answer, alternatives=list(faq.alternatives),
        language=faq.language, created_at=now).returning(t.faqs.c.id)).scalar_one()


def remove_faq(connection: Connection, faq_id: int) -> bool:
    bump_config_version(connection)
    return connection.execute(delete(t.faqs).where(t.faqs.c.id == faq_id)).rowcount > 0


# --- customers ---------------------------------------------------------------------------------------

def upsert_customer(connection: Connection, phone: str, name: str | None, now: dt.datetime) -> int:
    """The customer's id, creating the row on first contact; a newly given name is kept."""
    return _UPSERT_CUSTOMER.execute(connection, {"phone": phone, "name": name, "now": now}).scalar()


def _upsert_customer_statement(dialect_name: str):
    dialect_insert = sqlite_insert if dialect_name == "sqlite" else postgresql_insert
    statement = dialect_insert(t.customers).values(phone=bindparam("phone"), name=bindparam("name"),
                                                   created_at=bindparam("now"), last_seen_at=bindparam("now"))
    statement = statement.on_conflict_do_update(
        index_elements=["phone"],
        set_={"last_seen_at": statement.excluded.last_seen_at,
              "name": func.coalesce(statement.excluded.name, t.customers.c.name)})
    return statement.returning(t.customers.c.id)


_UPSERT_CUSTOMER = Prepared(_upsert_customer_statement)


# --- bookings ----------------------------------------------------------------------------------------

def _booking(row) -> Booking:
    zone = ZoneInfo(row["timezone"])
    return Booking(id=row["id"], customer_name=row["customer_name"], customer_phone=row["customer_phone"],
                   service=row["service"], requested_time=row["requested_time"],
                   scheduled_for=row["scheduled_for"].astimezone(zone), duration_minutes=row["duration_minutes"],
                   timezone=row["timezone"], status=BookingStatus(row["status"]),
                   source_message_id=row["source_message_id"], created_at=row["created_at"],
                   updated_at=row["updated_at"], cancel_reason=row["cancel_reason"])


def get_booking(connection: Connection, booking_id: int) -> Booking | None:
    row = _BOOKING_BY_ID.execute(connection, {"id": booking_id}).first()
    return _booking(row) if row else None


def booking_by_source(connection: Connection, source_message_id: str) -> Booking | None:
    row = _BOOKING_BY_SOURCE.execute(connection, {"source": source_message_id}).first()
    return _booking(row) if row else None


_BOOKING_BY_ID = Prepared(select(t.bookings).where(t.bookings.c.id == bindparam("id")))
_BOOKING_BY_SOURCE = Prepared(select(t.bookings).where(t.bookings.c.source_message_id == bindparam("source")))


def _status_is(column, statuses) -> object:
    """`column IN statuses`, written as equalities so the statement can be prepared once."""
    return or_(*(column == str(status) for status in statuses))


def held_intervals(connection: Connection, start: dt.datetime, end: dt.datetime,
                   statuses: Sequence[BookingStatus], exclude_id: int | None = None) -> list[Interval]:
    """Intervals (buffers included) of bookings in the given statuses that may touch [start, end)."""
    # Wide window: buffers and durations extend past scheduled_for; the rules do the exact overlap.
    key = (tuple(str(s) for s in statuses), exclude_id is not None)
    prepared = _HELD_INTERVALS.get(key)
    if prepared is None:
        query = select(t.bookings.c.scheduled_for, t.bookings.c.ends_at, t.bookings.c.buffer_minutes).where(
            _status_is(t.bookings.c.status, key[0]),
            t.bookings.c.scheduled_for < bindparam("end", type_=t.bookings.c.scheduled_for.type),
            t.bookings.c.ends_at > bindparam("start", type_=t.bookings.c.ends_at.type))
        if exclude_id is not None:
            query = query.where(t.bookings.c.id != bindparam("exclude_id"))
        prepared = _HELD_INTERVALS.setdefault(key, Prepared(query))
    rows = prepared.execute(connection, {"start": start - dt.timedelta(hours=6), "end": end,
                                         "exclude_id": exclude_id}).tuples()
    return [Interval(scheduled_for, ends_at + dt.timedelta(minutes=buffer)) for scheduled_for, ends_at, buffer in rows]


_HELD_INTERVALS: dict[tuple, Prepared] = {}


def insert_booking(connection: Connection, values: dict) -> int | None:
    """Insert a booking; None when its source message already made one (the unique key decides)."""
    return insert_ignoring_conflict(connection, t.bookings, values, ["source_message_id"])


def reschedule_booking(connection: Connection, booking_id: int, start: dt.datetime, ends_at: dt.datetime,
                       now: dt.datetime) -> None:
    """Give a booking another start (and end), keeping everything else."""
    connection.execute(update(t.bookings).where(t.bookings.c.id == booking_id).values(
        scheduled_for=start, ends_at=ends_at, updated_at=now))


def set_booking_status(connection: Connection, booking_id: int, status: BookingStatus, now: dt.datetime,
                       cancel_reason: str | None = None) -> None:
    prepared = _SET_BOOKING_STATUS if cancel_reason is None else _SET_BOOKING_STATUS_WITH_REASON
    prepared.execute(connection, {"id": booking_id, "status": str(status), "now": now, "reason": cancel_reason})


_SET_BOOKING_STATUS = Prepared(update(t.bookings).where(t.bookings.c.id == bindparam("id")).values(
    status=bindparam("status"), updated_at=bindparam("now")))
_SET_BOOKING_STATUS_WITH_REASON = Prepared(update(t.bookings).where(t.bookings.c.id == bindparam("id")).values(
    status=bindparam("status"), updated_at=bindparam("now"), cancel_reason=bindparam("reason")))


def list_bookings(connection: Connection, *, statuses: Sequence[BookingStatus] | None = None,
                  start: dt.datetime | None = None, end: dt.datetime | None = None,
                  phone: str | None = None) -> list[Booking]:
    key = (tuple(str(s) for s in statuses or ()), start is not None, end is not None, phone is not None)
    prepared = _LIST_BOOKINGS.get(key)
    if prepared is None:
        query = select(t.bookings).order_by(t.bookings.c.scheduled_for, t.bookings.c.id)
        if statuses:
            query = query.where(_status_is(t.bookings.c.status, key[0]))
        if start is not None:
            query = query.where(t.bookings.c.scheduled_for >= bindparam("start"))
        if end is not None:
            query = query.where(t.bookings.c.scheduled_for < bindparam("end"))
        if phone is not None:
            query = query.where(t.bookings.c.customer_phone == bindparam("phone"))
        prepared = _LIST_BOOKINGS.setdefault(key, Prepared(query))
    rows = prepared.execute(connection, {"start": start, "end": end, "phone": phone}).all()
    return [_booking(r) for r in rows]


# One prepared statement per combination of filters (a handful in practice).
_LIST_BOOKINGS: dict[tuple, Prepared] = {}


# --- leads -------------------------------------------------------------------------------------------

def _lead(row) -> Lead:
    return Lead(id=row["id"], customer_name=row["customer_name"], customer_phone=row["customer_phone"],
                requirement=row["requirement"], status=LeadStatus(row["status"]),
                source_message_id=row["source_message_id"], created_at=row["created_at"],
                updated_at=row["updated_at"])


def get_lead(connection: Connection, lead_id: int) -> Lead | None:
    row = _LEAD_BY_ID.execute(connection, {"id": lead_id}).first()
    return _lead(row) if row else None


_LEAD_BY_ID = Prepared(select(t.leads).where(t.leads.c.id == bindparam("id")))


def lead_by_source(connection: Connection, source_message_id: str) -> Lead | None:
    row = _LEAD_BY_SOURCE.execute(connection, {"source": source_message_id}).first()
    return _lead(row) if row else None


_LEAD_BY_SOURCE = Prepared(select(t.leads).where(t.leads.c.source_message_id == bindparam("source")))


def insert_lead(connection: Connection, values: dict) -> int | None:
    return insert_ignoring_conflict(connection, t.leads, values, ["source_message_id"])


def set_lead_status(connection: Connection, lead_id: int, status: LeadStatus, now: dt.datetime) -> None:
    connection.execute(update(t.leads).where(t.leads.c.id == lead_id).values(status=str(status), updated_at=now))


def list_leads(connection: Connection, *, statuses: Sequence[LeadStatus] | None = None) -> list[Lead]:
    query = select(t.leads).order_by(t.leads.c.created_at.desc(), t.leads.c.id.desc())  # newest first
    if statuses:
        query = query.where(t.leads.c.status.in_([str(s) for s in statuses]))
    return [_lead(r) for r in connection.execute(query).mappings()]


# --- handoffs ----------------------------------------------------------------------------------------

def _handoff(row) -> Handoff:
    return Handoff(id=row["id"], customer_phone=row["customer_phone"], reason=row["reason"],
                   status=HandoffStatus(row["status"]), source_message_id=row["source_message_id"],
                   created_at=row["created_at"], resolved_at=row["resolved_at"])


def open_handoff(connection: Connection, phone: str) -> Handoff | None:
    row = _OPEN_HANDOFF.execute(connection, {"phone": phone}).first()
    return _handoff(row) if row else None


_OPEN_HANDOFF = Prepared(select(t.handoffs).where(
    t.handoffs.c.customer_phone == bindparam("phone"), t.handoffs.c.status == str(HandoffStatus.OPEN))
    .order_by(t.handoffs.c.id).limit(1))


def insert_handoff(connection: Connection, *, customer_id: int | None, phone: str, reason: str,
                   source_message_id: str | None, now: dt.datetime) -> int:
    return _INSERT_HANDOFF.execute(connection, {"customer_id": customer_id, "phone": phone, "reason": reason[:500],
                                                "source": source_message_id, "now": now}).scalar()


_INSERT_HANDOFF = Prepared(t.handoffs.insert().values(
    customer_id=bindparam("customer_id"), customer_phone=bindparam("phone"), reason=bindparam("reason"),
    status=str(HandoffStatus.OPEN), source_message_id=bindparam("source"), created_at=bindparam("now"))
    .returning(t.handoffs.c.id))


def list_handoffs(connection: Connection, *, status: HandoffStatus | None = None) -> list[Handoff]:
    query = select(t.handoffs).order_by(t.handoffs.c.created_at, t.handoffs.c.id)
    if status is not None:
        query = query.where(t.handoffs.c.status == str(status))
    return [_handoff(r) for r in connection.execute(query).mappings()]


def resolve_handoff(connection: Connection, handoff_id: int, now: dt.datetime) -> bool:
    return connection.execute(update(t.handoffs).where(
        t.handoffs.c.id == handoff_id, t.handoffs.c.status == str(HandoffStatus.OPEN)).values(
        status=str(HandoffStatus.RESOLVED), resolved_at=now)).rowcount > 0


def untold_resolved_handoff(connection: Connection, phone: str) -> int | None:
    """A resolved handoff of this customer they have not been told about yet (its id), or None."""
    return _UNTOLD_HANDOFF.execute(connection, {"phone": phone}).scalar()


_UNTOLD_HANDOFF = Prepared(select(t.handoffs.c.id).where(
    t.handoffs.c.customer_phone == bindparam("phone"), t.handoffs.c.status == str(HandoffStatus.RESOLVED),
    t.handoffs.c.customer_told_at.is_(None)).limit(1))


def mark_handoffs_told(connection: Connection, phone: str, now: dt.datetime) -> None:
    """The customer now knows the assistant answers again."""
    connection.execute(update(t.handoffs).where(
        t.handoffs.c.customer_phone == phone, t.handoffs.c.status == str(HandoffStatus.RESOLVED),
        t.handoffs.c.customer_told_at.is_(None)).values(customer_told_at=now))


# --- chats -------------------------------------------------------------------------------------------

def add_chat_message(connection: Connection, *, customer_id: int, direction: str, channel: str, body: str,
                     message_id: str | None, now: dt.datetime) -> None:
    _ADD_CHAT_MESSAGE.execute(connection, {"customer_id": customer_id, "direction": direction, "channel": channel,
                                           "body": body, "message_id": message_id, "now": now})


_ADD_CHAT_MESSAGE = Prepared(t.chat_messages.insert().values(
    customer_id=bindparam("customer_id"), direction=bindparam("direction"), channel=bindparam("channel"),
    body=bindparam("body"), message_id=bindparam("message_id"), created_at=bindparam("now")))


def add_chat_exchange(connection: Connection, *, customer_id: int, channel: str, text_in: str,
                      message_id: str | None, reply: str, now: dt.datetime) -> None:
    """The customer's message and the reply to it, in that order, in one statement."""
    _ADD_CHAT_EXCHANGE.execute(connection, {"customer_id": customer_id, "channel": channel, "text_in": text_in,
                                            "message_id": message_id, "reply": reply, "now": now})



def _typed(name: str, column) -> object:
    # A multi-row VALUES does not give its parameters the columns' types: without them an aware time
    # would be stored as its local wall-clock time.
    return bindparam(name, type_=column.type)


_CHAT = t.chat_messages.c
_ADD_CHAT_EXCHANGE = Prepared(t.chat_messages.insert().values([
    dict(customer_id=_typed("customer_id", _CHAT.customer_id), direction="in",
         channel=_typed("channel", _CHAT.channel), body=_typed("text_in", _CHAT.body),
         message_id=_typed("message_id", _CHAT.message_id), created_at=_typed("now", _CHAT.created_at)),
    dict(customer_id=_typed("customer_id", _CHAT.customer_id), direction="out",
         channel=_typed("channel", _CHAT.channel), body=_typed("reply", _CHAT.body), message_id=None,
         created_at=_typed("now", _CHAT.created_at)),
]))


def delete_chats_before(connection: Connection, cutoff: dt.datetime) -> int:
    return connection.execute(delete(t.chat_messages).where(t.chat_messages.c.created_at < cutoff)).rowcount


def get_customer(connection: Connection, phone: str) -> dict | None:
    """The customer row (id, name, language, opted_out_at, state, ...) as a dict, or None."""
    return _CUSTOMER_BY_PHONE.execute(connection, {"phone": phone}).first()


_CUSTOMER_BY_PHONE = Prepared(select(t.customers).where(t.customers.c.phone == bindparam("phone")))


def set_customer_language(connection: Connection, customer_id: int, language: str) -> None:
    _SET_CUSTOMER_LANGUAGE.execute(connection, {"id": customer_id, "language": language[:12]})


_SET_CUSTOMER_LANGUAGE = Prepared(update(t.customers).where(t.customers.c.id == bindparam("id"))
                                  .values(reply_language=bindparam("language")))


def save_customer_state(connection: Connection, customer_id: int, state: dict | None) -> None:
    _SAVE_CUSTOMER_STATE.execute(connection, {"id": customer_id, "state": state or None})


_SAVE_CUSTOMER_STATE = Prepared(update(t.customers).where(t.customers.c.id == bindparam("id"))
                                .values(state=bindparam("state")))


class ChatLine(NamedTuple):
    """One line of a customer's chat history."""

    direction: str
    body: str
    created_at: dt.datetime


def recent_chat(connection: Connection, customer_id: int, limit: int = 12) -> list[ChatLine]:
    """The last messages of one customer, oldest first."""
    rows = _RECENT_CHAT.execute(connection, {"customer_id": customer_id, "limit": limit}).tuples()
    return [ChatLine(*row) for row in reversed(rows)]


_RECENT_CHAT = Prepared(select(t.chat_messages.c.direction, t.chat_messages.c.body, t.chat_messages.c.created_at)
                        .where(t.chat_messages.c.customer_id == bindparam("customer_id"))
                        .order_by(t.chat_messages.c.created_at.desc(), t.chat_messages.c.id.desc())
                        .limit(bindparam("limit")))


def queue_outbound(connection: Connection, *, phone: str, channel: str, body: str, now: dt.datetime) -> int:
    """Put a message in the outbox for the sender process to deliver."""
    return connection.execute(t.outbox.insert().values(customer_phone=phone, channel=channel, body=body,
                                                       status="pending", attempts=0, created_at=now)
                              .returning(t.outbox.c.id)).scalar_one()


def bookings_to_remind(connection: Connection, start: dt.datetime, end: dt.datetime) -> list[Booking]:
    """Approved bookings starting in [start, end) that have no reminder queued yet."""
    reminded = select(t.outbox.c.booking_id).where(t.outbox.c.kind == "booking_reminder",
                                                   t.outbox.c.booking_id == t.bookings.c.id)
    rows = connection.execute(select(t.bookings).where(
        t.bookings.c.status == str(BookingStatus.APPROVED), t.bookings.c.scheduled_for >= start,
        t.bookings.c.scheduled_for < end, ~reminded.exists()).order_by(t.bookings.c.scheduled_for)).mappings().all()
    return [_booking(row) for row in rows]


def latest_owner_alert(connection: Connection, phone: str):
    """The newest owner alert or digest queued for this owner number, or None."""
    return connection.execute(select(t.outbox).where(
        t.outbox.c.customer_phone == phone, t.outbox.c.kind.in_(("owner_alert", "owner_digest")))
        .order_by(t.outbox.c.id.desc()).limit(1)).mappings().first()


def queue_owner_alert(connection: Connection, *, phone: str, body: str, kind: str, variables: dict,
                      now: dt.datetime, send_after: dt.datetime | None = None) -> int:
    """Queue an alert (or the start of a digest) to the owner."""
    return connection.execute(t.outbox.insert().values(
        customer_phone=phone, channel="whatsapp", body=body, status="pending", attempts=0, created_at=now,
        kind=kind, variables=variables, send_after=send_after).returning(t.outbox.c.id)).scalar_one()


def extend_owner_digest(connection: Connection, outbox_id: int, *, body: str, variables: dict) -> bool:
    """Rewrite a digest not yet sent; False when it is already on its way."""
    return connection.execute(update(t.outbox).where(t.outbox.c.id == outbox_id, t.outbox.c.status == "pending")
                              .values(body=body, variables=variables)).rowcount == 1


def queue_notice(connection: Connection, *, phone: str, channel: str, body: str, kind: str, booking_id: int,
                 variables: dict, now: dt.datetime) -> int | None:
    """Queue a notice about a booking; None when that booking already has a notice of this kind."""
    return insert_ignoring_conflict(connection, t.outbox, dict(
        customer_phone=phone, channel=channel, body=body, status="pending", attempts=0, created_at=now, kind=kind,
        booking_id=booking_id, variables=variables), ["kind", "booking_id"])


# --- outbox delivery ---------------------------------------------------------------------------------

OUTBOX_STATUSES = ("pending", "waiting", "sending", "sent", "failed")
#: Rows a sender looks at: pending ones, and those waiting for the customer's 24-hour window to open.
_SENDABLE = ("pending", "waiting")


def outbox_candidates(connection: Connection, *, channel: str, limit: int = 500,
                      now: dt.datetime | None = None) -> list:
    """Pending and waiting rows of one channel that are due, oldest first: (id, attempts, sending_since, status)."""
    due = or_(t.outbox.c.send_after.is_(None),
              t.outbox.c.send_after <= bindparam("now", type_=t.outbox.c.send_after.type))
    return connection.execute(select(t.outbox.c.id, t.outbox.c.attempts, t.outbox.c.sending_since,
                                     t.outbox.c.status)
                              .where(t.outbox.c.status.in_(_SENDABLE), t.outbox.c.channel == channel, due)
                              .order_by(t.outbox.c.id).limit(limit),
                              {"now": now or dt.datetime.now(dt.timezone.utc)}).all()


def last_inbound_at(connection: Connection, phone: str) -> dt.datetime | None:
    """When the customer last wrote to the business (opens WhatsApp's 24-hour window), or None."""
    customer_id = select(t.customers.c.id).where(t.customers.c.phone == phone).scalar_subquery()
    return connection.execute(select(func.max(t.chat_messages.c.created_at)).where(
        t.chat_messages.c.customer_id == customer_id, t.chat_messages.c.direction == "in")).scalar()


def claim_outbound(connection: Connection, outbox_id: int, now: dt.datetime):
    """Take one pending or waiting row for sending (-> 'sending'); the row, with the status it had as
    `previous_status`, or None when another sender won.

    The conditional UPDATE decides: on SQLite the write lock serialises it, on PostgreSQL a concurrent
    UPDATE of the same row waits and then re-checks `status`, so exactly one claimer sees rowcount 1."""
    before = connection.execute(select(t.outbox).where(t.outbox.c.id == outbox_id)).mappings().first()
    if before is None or before["status"] not in _SENDABLE:
        return None
    claimed = connection.execute(update(t.outbox).where(t.outbox.c.id == outbox_id,
                                                        t.outbox.c.status.in_(_SENDABLE))
                                 .values(status="sending", sending_since=now)).rowcount
    if claimed != 1:
        return None
    return {**before, "status": "sending", "sending_since": now, "previous_status": before["status"]}


def finish_outbound(connection: Connection, outbox_id: int, claimed_at: dt.datetime, *, status: str,
                    attempts: int, sent_at: dt.datetime | None = None, provider_id: str | None = None,
                    reason: str | None = None) -> bool:
    """Record the outcome of a claimed row; False when the claim is no longer ours (recovered meanwhile)."""
    values: dict = {"status": status, "attempts": attempts, "status_reason": reason[:300] if reason else None}
    if sent_at is not None:
        values["sent_at"] = sent_at
    if provider_id is not None:
        values["provider_id"] = provider_id[:64]
    return connection.execute(update(t.outbox).where(
        t.outbox.c.id == outbox_id, t.outbox.c.status == "sending",
        t.outbox.c.sending_since == claimed_at).values(**values)).rowcount == 1


def mark_outbound_sent(connection: Connection, outbox_id: int, *, sent_at: dt.datetime,
                       provider_id: str | None) -> bool:
    """Record a send that succeeded after its claim was taken over; False when it is already recorded sent."""
    return connection.execute(update(t.outbox).where(t.outbox.c.id == outbox_id, t.outbox.c.status != "sent")
                              .values(status="sent", sent_at=sent_at, provider_id=(provider_id or None) and
                                      provider_id[:64])).rowcount == 1


def stuck_outbound(connection: Connection, started_before: dt.datetime) -> list:
    """Rows left in 'sending' since before `started_before` (a sender that crashed mid-send)."""
    return connection.execute(select(t.outbox.c.id, t.outbox.c.customer_phone, t.outbox.c.attempts,
                                     t.outbox.c.sending_since)
                              .where(t.outbox.c.status == "sending",
                                     t.outbox.c.sending_since < started_before)
                              .order_by(t.outbox.c.id)).all()


def release_stuck_outbound(connection: Connection, outbox_id: int, sending_since: dt.datetime, *,
                           status: str, attempts: int) -> bool:
    """Put one stuck row back ('pending', or 'failed' when out of attempts), if it is still stuck."""
    return connection.execute(update(t.outbox).where(
        t.outbox.c.id == outbox_id, t.outbox.c.status == "sending",
        t.outbox.c.sending_since == sending_since).values(status=status, attempts=attempts)).rowcount == 1


def customer_outbox(connection: Connection, phone: str, limit: int = 50) -> list:
    """The newest outbox rows to one customer, newest first."""
    return connection.execute(select(t.outbox).where(t.outbox.c.customer_phone == phone)
                              .order_by(t.outbox.c.id.desc()).limit(limit)).mappings().all()


def outbound_by_provider_id(connection: Connection, provider_id: str):
    """The outbox row Twilio knows by this message SID, or None."""
    return connection.execute(select(t.outbox).where(t.outbox.c.provider_id == provider_id[:64])).mappings().first()


def set_delivery_status(connection: Connection, outbox_id: int, status: str, error_code: int | None,
                        now: dt.datetime) -> None:
    """Record the provider's latest delivery status (and error code) of an outbox row."""
    connection.execute(update(t.outbox).where(t.outbox.c.id == outbox_id).values(
        delivery_status=status, error_code=error_code, delivery_updated_at=now))


def outbox_counts(connection: Connection) -> dict[str, int]:
    """Rows per status (every known status present, zero when none)."""
    counts = {status: 0 for status in OUTBOX_STATUSES}
    for status, count in connection.execute(select(t.outbox.c.status, func.count())
                                            .group_by(t.outbox.c.status)).all():
        counts[status] = count
    return counts


# --- waitlist ------------------------------------------------------------------------------------------

#: Entries still in line: waiting for a place, or holding an offer of one.
WAITLIST_ACTIVE = ("waiting", "offered")


def join_waitlist(connection: Connection, values: dict) -> int | None:
    """Add an active entry; None when this customer already has an active entry for that slot."""
    return insert_ignoring_conflict(connection, t.waitlist, {**values, "active": 1},
                                    ["customer_phone", "slot_start", "active"])


def active_waitlist_entry(connection: Connection, phone: str, slot_start: dt.datetime):
    return connection.execute(select(t.waitlist).where(
        t.waitlist.c.customer_phone == phone, t.waitlist.c.slot_start == slot_start,
        t.waitlist.c.active == 1)).mappings().first()


def get_waitlist_entry(connection: Connection, entry_id: int):
    return connection.execute(select(t.waitlist).where(t.waitlist.c.id == entry_id)).mappings().first()


def waitlist_between(connection: Connection, start: dt.datetime, end: dt.datetime) -> list:
    """Active entries whose slot starts in [start, end), first come first."""
    return connection.execute(select(t.waitlist).where(
        t.waitlist.c.active == 1, t.waitlist.c.slot_start >= start, t.waitlist.c.slot_start < end)
        .order_by(t.waitlist.c.created_at, t.waitlist.c.id)).mappings().all()


def open_waitlist_offer(connection: Connection, phone: str, now: dt.datetime):
    """The customer's newest offer still open at `now`, or None."""
    return connection.execute(select(t.waitlist).where(
        t.waitlist.c.customer_phone == phone, t.waitlist.c.status == "offered",
        t.waitlist.c.expires_at > now).order_by(t.waitlist.c.offered_at.desc(), t.waitlist.c.id.desc())
        .limit(1)).mappings().first()


def lapsed_waitlist_entries(connection: Connection, now: dt.datetime) -> list:
    """Offers past their expiry and waiting entries whose slot has begun."""
    return connection.execute(select(t.waitlist).where(or_(
        (t.waitlist.c.status == "offered") & (t.waitlist.c.expires_at <= now),
        (t.waitlist.c.status == "waiting") & (t.waitlist.c.slot_start <= now)))
        .order_by(t.waitlist.c.id)).mappings().all()


def move_waitlist_entry(connection: Connection, entry_id: int, from_status: str, to_status: str, now: dt.datetime,
                        **values) -> bool:
    """Move one entry from one status to another; False when it was no longer in `from_status`."""
    active = 1 if to_status in WAITLIST_ACTIVE else None
    return connection.execute(update(t.waitlist).where(
        t.waitlist.c.id == entry_id, t.waitlist.c.status == from_status).values(
        status=to_status, active=active, updated_at=now, **values)).rowcount == 1


def customer_waitlist(connection: Connection, phone: str, limit: int = 50) -> list:
    """A customer's waitlist entries, newest first."""
    return connection.execute(select(t.waitlist).where(t.waitlist.c.customer_phone == phone)
                              .order_by(t.waitlist.c.id.desc()).limit(limit)).mappings().all()


def queue_waitlist_offer(connection: Connection, *, phone: str, channel: str, body: str, waitlist_id: int,
                         variables: dict, now: dt.datetime) -> int | None:
    """Queue the offer notice of a waitlist entry; None when that entry already has one."""
    return insert_ignoring_conflict(connection, t.outbox, dict(
        customer_phone=phone, channel=channel, body=body, status="pending", attempts=0, created_at=now,
        kind="waitlist_offer", waitlist_id=waitlist_id, variables=variables), ["kind", "waitlist_id"])
