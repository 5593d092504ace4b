"""Read-only reports for the owner dashboard: counts, activity per day, the audit trail, conversations.

Nothing here writes. Day buckets are days in the business's timezone (UTC before a business is set up): Python
computes the UTC instant each local day starts at (DST included), and SQL counts the rows between them, so
SQLite and PostgreSQL give the same answer without a timezone database of their own.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, func, literal, select, union_all

from ..adapters import repository as repo
from ..adapters import tables as t
from ..adapters.db import Database
from ..adapters.migrations import HEAD, applied_versions, is_current
from ..clock import system_clock
from ..config import Settings
from ..domain.models import BookingStatus, Handoff, HandoffStatus, LeadStatus

UTC = dt.timezone.utc


@dataclass(frozen=True)
class Counts:
    """Headline numbers of the business."""

    faqs: int = 0
    services: int = 0
    #: Pending requests whose time is still ahead (they wait for a decision).
    bookings_pending: int = 0
    #: Pending requests whose time passed without a decision (shared.domain.schedule.is_expired).
    bookings_expired: int = 0
    bookings_approved_upcoming: int = 0
    bookings_approved: int = 0
    leads_new: int = 0
    leads_total: int = 0
    handoffs_open: int = 0
    customers: int = 0


@dataclass(frozen=True)
class DayActivity:
    """What happened on one local day."""

    day: dt.date
    bookings: int = 0
    leads: int = 0
    messages_in: int = 0
    messages_out: int = 0


@dataclass(frozen=True)
class DayReplyTime:
    """How fast the assistant answered on one local day, from the `reply.sent` audit lines' `elapsed_ms`.

    `replies` counts the replies that carry a time; the times are None on a day without any."""

    day: dt.date
    replies: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    actor: str
    action: str
    entity: str | None
    entity_id: int | None
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    """One readiness item: ok, what it is, and what to do when it is not ok."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class ConversationSummary:
    """One customer's conversation: who, how many messages, the latest one."""

    phone: str
    name: str | None
    messages: int
    last_at: dt.datetime
    last_direction: str
    last_body: str
    handoff_open: bool
    opted_out: bool
    last_channel: str = ""  # "owner" for the owner's own reply, else the channel the message came or went by


@dataclass(frozen=True)
class QueuedHandoff:
    """One open handoff as the owner's queue shows it: who waits, what they last said, since when, why."""

    id: int
    phone: str
    name: str | None
    reason: str
    waiting_since: dt.datetime
    last_message: str | None
    last_message_at: dt.datetime | None


@dataclass(frozen=True)
class ChatLine:
    direction: str
    channel: str
    body: str
    at: dt.datetime


def _zone(connection) -> ZoneInfo | dt.timezone:
    timezone = connection.execute(select(t.business_profile.c.timezone)
                                  .where(t.business_profile.c.id == 1)).scalar()
    return ZoneInfo(timezone) if timezone else UTC


def _count(connection, table, *conditions) -> int:
    return int(connection.execute(select(func.count()).select_from(table).where(*conditions)).scalar_one())


def counts(db: Database, *, now: dt.datetime | None = None) -> Counts:
    """Headline numbers, read in one snapshot."""
    now = now or system_clock()
    with db.read() as connection:
        return Counts(
            faqs=_count(connection, t.faqs),
            services=_count(connection, t.services),
            bookings_pending=_count(connection, t.bookings, t.bookings.c.status == str(BookingStatus.PENDING),
                                    t.bookings.c.scheduled_for > now),
            bookings_expired=_count(connection, t.bookings, t.bookings.c.status == str(BookingStatus.PENDING),
                                    t.bookings.c.scheduled_for <= now),
            bookings_approved_upcoming=_count(connection, t.bookings,
                                              t.bookings.c.status == str(BookingStatus.APPROVED),
                                              t.bookings.c.scheduled_for >= now),
            bookings_approved=_count(connection, t.bookings, t.bookings.c.status == str(BookingStatus.APPROVED)),
            leads_new=_count(connection, t.leads, t.leads.c.status == str(LeadStatus.NEW)),
            leads_total=_count(connection, t.leads),
            handoffs_open=_count(connection, t.handoffs, t.handoffs.c.status == str(HandoffStatus.OPEN)),
            customers=_count(connection, t.customers),
        )


#: The longest period the per-day reports read (the dashboard offers 7, 14 and 30 days).
MAX_DAYS = 366


def _day_bounds(connection, days: int, now: dt.datetime | None) -> tuple[list[dt.date], list[dt.datetime]]:
    """The `days` local days ending today, and the UTC instants they start at (plus the end of today).

    Each bound is the first instant whose local date is that day, so a day is 23 or 25 hours long across
    a DST change and the buckets are exactly `at.astimezone(zone).date()`."""
    if days < 1:
        raise ValueError("days must be at least 1")
    if days > MAX_DAYS:
        raise ValueError(f"days must be at most {MAX_DAYS}")
    now = now or system_clock()
    zone = _zone(connection)
    today = now.astimezone(zone).date()
    first = today - dt.timedelta(days=days - 1)
    dates = [first + dt.timedelta(days=i) for i in range(days)]
    bounds = [dt.datetime.combine(first + dt.timedelta(days=i), dt.time(), tzinfo=zone).astimezone(UTC)
              for i in range(days + 1)]
    return dates, bounds


def _days(bounds: list[dt.datetime]):
    """A derived table of the period's local days: (day index, UTC start, UTC end), bound as parameters.

    Joined to a table on its time column, each day reads its own index range: the database counts
    only the period's rows and never computes a day per row."""
    rows = [select(literal(index, Integer).label("day"), literal(lo, t.UTCDateTime()).label("lo"),
                   literal(hi, t.UTCDateTime()).label("hi"))
            for index, (lo, hi) in enumerate(zip(bounds, bounds[1:]))]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).subquery("days")


def _on_day(days, column):
    return and_(column >= days.c.lo, column < days.c.hi)


def activity_per_day(db: Database, days: int = 14, *, now: dt.datetime | None = None) -> list[DayActivity]:
    """Bookings requested, leads captured, messages received and sent per local day, oldest first.

    Always `days` entries ending today (days without activity are zeros). Counted in SQL over the
    period's rows only (an index on each table's time), by the local days' UTC bounds."""
    with db.read() as connection:
        dates, bounds = _day_bounds(connection, days, now)
        buckets = [{"bookings": 0, "leads": 0, "messages_in": 0, "messages_out": 0} for _ in dates]
        m, period = t.chat_messages, _days(bounds)
        for day, direction, n in connection.execute(
                select(period.c.day, m.c.direction, func.count())
                .select_from(period.join(m, _on_day(period, m.c.created_at)))
                .group_by(period.c.day, m.c.direction)):
            if direction in ("in", "out"):
                buckets[day][f"messages_{direction}"] += int(n)
        for key, table in (("bookings", t.bookings), ("leads", t.leads)):
            for day, n in connection.execute(
                    select(period.c.day, func.count())
                    .select_from(period.join(table, _on_day(period, table.c.created_at)))
                    .group_by(period.c.day)):
                buckets[day][key] += int(n)
    return [DayActivity(day, **values) for day, values in zip(dates, buckets)]


def _percentile(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of an ascending, non-empty list."""
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def _elapsed_ms(connection):
    """SQL for a `reply.sent` line's `elapsed_ms` when it is a JSON number, else NULL (booleans are not numbers)."""
    detail = t.audit_log.c.detail
    if connection.dialect.name == "postgresql":
        return case((func.json_typeof(detail["elapsed_ms"]) == "number", detail["elapsed_ms"].as_float()))
    return case((func.json_type(detail, "$.elapsed_ms").in_(("integer", "real")),
                 func.json_extract(detail, "$.elapsed_ms")))


def reply_times_per_day(db: Database, days: int = 14, *, now: dt.datetime | None = None) -> list[DayReplyTime]:
    """Median, 95th percentile and slowest reply time per local day, oldest first (`days` entries ending today).

    Read from the `elapsed_ms` the pipeline writes into each `reply.sent` audit line (time from receiving the
    message to the reply being decided and stored); lines without it are left out. The database picks the
    period's lines by index and extracts the number; only those numbers come back, day by day, in order."""
    a = t.audit_log
    with db.read() as connection:
        dates, bounds = _day_bounds(connection, days, now)
        times: list[list[float]] = [[] for _ in dates]
        period = _days(bounds)
        lines = select(period.c.day, _elapsed_ms(connection).label("ms")) \
            .select_from(period.join(a, and_(a.c.action == "reply.sent", _on_day(period, a.c.at)))).subquery()
        for day, elapsed in connection.execute(select(lines.c.day, lines.c.ms).where(lines.c.ms >= 0)
                                               .order_by(lines.c.day, lines.c.ms)):
            times[day].append(float(elapsed))
    result = []
    for day, values in zip(dates, times):
        if not values:
            result.append(DayReplyTime(day))
            continue
        values.sort()
        result.append(DayReplyTime(day, len(values), median_ms=round(statistics.median(values), 1),
                                   p95_ms=round(_percentile(values, 0.95), 1), max_ms=round(values[-1], 1)))
    return result


def recent_audit(db: Database, limit: int = 20) -> list[AuditEntry]:
    """The newest audit lines first."""
    with db.read() as connection:
        rows = connection.execute(select(t.audit_log).order_by(t.audit_log.c.at.desc(), t.audit_log.c.id.desc())
                                  .limit(max(1, limit))).mappings().all()
    return [AuditEntry(at=r["at"], actor=r["actor"], action=r["action"], entity=r["entity"],
                       entity_id=r["entity_id"], detail=dict(r["detail"] or {})) for r in rows]


def list_handoffs(db: Database, *, status: HandoffStatus | str | None = None) -> list[Handoff]:
    """Handoffs, oldest first, optionally of one status."""
    with db.read() as connection:
        return repo.list_handoffs(connection, status=HandoffStatus(status) if status is not None else None)


def handoff_queue(db: Database) -> list[QueuedHandoff]:
    """The open handoffs, the longest waiting first, each with the customer's name and their latest message.

    The wait counts from the moment the handoff opened; the last message is the customer's own (an owner reply
    does not replace it), None when they have no stored message."""
    h, c, m = t.handoffs, t.customers, t.chat_messages
    with db.read() as connection:
        last_in = (select(m.c.customer_id, func.max(m.c.id).label("last_id"))
                   .where(m.c.direction == "in").group_by(m.c.customer_id).subquery())
        rows = connection.execute(
            select(h.c.id, h.c.customer_phone, h.c.reason, h.c.created_at, c.c.name, m.c.body,
                   m.c.created_at.label("said_at"))
            .select_from(h.outerjoin(c, c.c.phone == h.c.customer_phone)
                         .outerjoin(last_in, last_in.c.customer_id == c.c.id)
                         .outerjoin(m, m.c.id == last_in.c.last_id))
            .where(h.c.status == str(HandoffStatus.OPEN))
            .order_by(h.c.created_at, h.c.id)).mappings().all()
    return [QueuedHandoff(id=r["id"], phone=r["customer_phone"], name=r["name"], reason=r["reason"],
                          waiting_since=r["created_at"], last_message=r["body"], last_message_at=r["said_at"])
            for r in rows]


def conversations(db: Database, *, limit: int = 100) -> list[ConversationSummary]:
    """Customers with at least one chat message, the most recently active first."""
    m = t.chat_messages
    with db.read() as connection:
        latest = (select(m.c.customer_id, func.max(m.c.id).label("last_id"), func.count().label("n"))
                  .group_by(m.c.customer_id).subquery())
        last = m.alias("last")
        rows = connection.execute(
            select(t.customers.c.phone, t.customers.c.name, t.customers.c.opted_out_at, latest.c.n,
                   last.c.created_at, last.c.direction, last.c.body, last.c.channel)
            .join(latest, latest.c.customer_id == t.customers.c.id)
            .join(last, last.c.id == latest.c.last_id)
            .order_by(last.c.created_at.desc(), last.c.id.desc())
            .limit(max(1, limit))).mappings().all()
        open_phones = set(connection.scalars(select(t.handoffs.c.customer_phone)
                                             .where(t.handoffs.c.status == str(HandoffStatus.OPEN))))
    return [ConversationSummary(phone=r["phone"], name=r["name"], messages=int(r["n"]), last_at=r["created_at"],
                                last_direction=r["direction"], last_body=r["body"],
                                handoff_open=r["phone"] in open_phones, opted_out=r["opted_out_at"] is not None,
                                last_channel=r["channel"])
            for r in rows]


def transcript(db: Database, phone: str, *, limit: int = 200) -> list[ChatLine]:
    """One customer's last `limit` chat messages, oldest first (empty for an unknown phone)."""
    m = t.chat_messages
    with db.read() as connection:
        rows = connection.execute(
            select(m.c.direction, m.c.channel, m.c.body, m.c.created_at)
            .join(t.customers, t.customers.c.id == m.c.customer_id)
            .where(t.customers.c.phone == phone)
            .order_by(m.c.created_at.desc(), m.c.id.desc()).limit(max(1, limit))).all()
    return [ChatLine(direction=r.direction, channel=r.channel, body=r.body, at=r.created_at)
            for r in reversed(rows)]


def _secret_set(value) -> bool:
    if value is None:
        return False
    return bool(value.get_secret_value() if hasattr(value, "get_secret_value") else value)


def readiness(db: Database, settings: Settings) -> list[Check]:
    """What is set up and what is missing, for the overview page; never raises for a bad database."""
    checks: list[Check] = []
    try:
        versions = applied_versions(db)
        current = is_current(db)
        at = max(versions) if versions else 0
        checks.append(Check("Database migrations", current, f"schema at version {at} of {HEAD}" if current
                            else f"schema at version {at} of {HEAD}: run `python -m owner_app.admin migrate`"))
        with db.read() as connection:
            configured = repo.load_config(connection) is not None
        checks.append(Check("Business configured", configured,
                            "profile, hours and services are stored" if configured
                            else "no business yet: fill in Setup or run `python -m owner_app.admin init-demo`"))
    except Exception as error:  # a dashboard must still render to say what is wrong
        checks.append(Check("Database", False, f"cannot read the database: {type(error).__name__}: {error}"))

    backend = settings.model_backend
    if backend == "local":
        checks.append(Check("Model backend", True, "local rules and FAQ matcher (no external model)"))
    elif backend == "gemini":
        ok = _secret_set(settings.gemini_api_key)
        checks.append(Check("Model backend", ok, f"Gemini {settings.gemini_model}" if ok
                            else "MODEL_BACKEND=gemini but GEMINI_API_KEY is not set"))
    else:
        ok = bool(settings.openai_base_url and settings.openai_model)
        checks.append(Check("Model backend", ok,
                            f"OpenAI-compatible server {settings.openai_base_url} model {settings.openai_model}"
                            if ok else "MODEL_BACKEND=openai needs OPENAI_BASE_URL and OPENAI_MODEL"))

    checks.append(Check("JSON webhook token", _secret_set(settings.webhook_token),
                        "WEBHOOK_TOKEN is set" if _secret_set(settings.webhook_token)
                        else "WEBHOOK_TOKEN is not set: POST /webhook/json refuses every request"))
    twilio = _secret_set(settings.twilio_auth_token) and bool(settings.public_webhook_url)
    missing = [name for name, present in (("TWILIO_AUTH_TOKEN", _secret_set(settings.twilio_auth_token)),
                                          ("PUBLIC_WEBHOOK_URL", bool(settings.public_webhook_url))) if not present]
    checks.append(Check("Twilio WhatsApp", twilio, f"signed requests to {settings.public_webhook_url}" if twilio
                        else "not connected: set " + " and ".join(missing)))
    if settings.app_env == "production":
        checks.append(Check("Dashboard password", _secret_set(settings.dashboard_password),
                            "DASHBOARD_PASSWORD is set" if _secret_set(settings.dashboard_password)
                            else "APP_ENV=production but DASHBOARD_PASSWORD is not set: the dashboard stays locked"))
    return checks
