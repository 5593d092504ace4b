"""Read-only reports for the owner dashboard: counts, activity per day, the audit trail, conversations.

Nothing here writes. Day buckets are days in the business's timezone (UTC before a business is set up),
computed in Python so SQLite and PostgreSQL give the same answer.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

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


def activity_per_day(db: Database, days: int = 14, *, now: dt.datetime | None = None) -> list[DayActivity]:
    """Bookings requested, leads captured, messages received and sent per local day, oldest first.

    Always `days` entries ending today (days without activity are zeros)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    now = now or system_clock()
    with db.read() as connection:
        zone = _zone(connection)
        today = now.astimezone(zone).date()
        first = today - dt.timedelta(days=days - 1)
        since = dt.datetime.combine(first, dt.time(), tzinfo=zone).astimezone(UTC)
        buckets = {first + dt.timedelta(days=i): {"bookings": 0, "leads": 0, "messages_in": 0, "messages_out": 0}
                   for i in range(days)}
        sources = (("bookings", t.bookings.c.created_at, ()),
                   ("leads", t.leads.c.created_at, ()),
                   ("messages_in", t.chat_messages.c.created_at, (t.chat_messages.c.direction == "in",)),
                   ("messages_out", t.chat_messages.c.created_at, (t.chat_messages.c.direction == "out",)))
        for key, column, extra in sources:
            for (at,) in connection.execute(select(column).where(column >= since, *extra)):
                day = at.astimezone(zone).date()
                if day in buckets:
                    buckets[day][key] += 1
    return [DayActivity(day, **values) for day, values in sorted(buckets.items())]


def _percentile(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of an ascending, non-empty list."""
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def reply_times_per_day(db: Database, days: int = 14, *, now: dt.datetime | None = None) -> list[DayReplyTime]:
    """Median, 95th percentile and slowest reply time per local day, oldest first (`days` entries ending today).

    Read from the `elapsed_ms` the pipeline writes into each `reply.sent` audit line (time from receiving the
    message to the reply being decided and stored); lines without it are left out."""
    if days < 1:
        raise ValueError("days must be at least 1")
    now = now or system_clock()
    with db.read() as connection:
        zone = _zone(connection)
        today = now.astimezone(zone).date()
        first = today - dt.timedelta(days=days - 1)
        since = dt.datetime.combine(first, dt.time(), tzinfo=zone).astimezone(UTC)
        times: dict[dt.date, list[float]] = {first + dt.timedelta(days=i): [] for i in range(days)}
        a = t.audit_log
        for at, detail in connection.execute(select(a.c.at, a.c.detail)
                                             .where(a.c.action == "reply.sent", a.c.at >= since)):
            elapsed = (detail or {}).get("elapsed_ms") if isinstance(detail, dict) else None
            if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)) or elapsed < 0:
                continue
            day = at.astimezone(zone).date()
            if day in times:
                times[day].append(float(elapsed))
    result = []
    for day, values in sorted(times.items()):
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


def conversations(db: Database, *, limit: int = 100) -> list[ConversationSummary]:
    """Customers with at least one chat message, the most recently active first."""
    m = t.chat_messages
    with db.read() as connection:
        latest = (select(m.c.customer_id, func.max(m.c.id).label("last_id"), func.count().label("n"))
                  .group_by(m.c.customer_id).subquery())
        last = m.alias("last")
        rows = connection.execute(
            select(t.customers.c.phone, t.customers.c.name, t.customers.c.opted_out_at, latest.c.n,
                   last.c.created_at, last.c.direction, last.c.body)
            .join(latest, latest.c.customer_id == t.customers.c.id)
            .join(last, last.c.id == latest.c.last_id)
            .order_by(last.c.created_at.desc(), last.c.id.desc())
            .limit(max(1, limit))).mappings().all()
        open_phones = set(connection.scalars(select(t.handoffs.c.customer_phone)
                                             .where(t.handoffs.c.status == str(HandoffStatus.OPEN))))
    return [ConversationSummary(phone=r["phone"], name=r["name"], messages=int(r["n"]), last_at=r["created_at"],
                                last_direction=r["direction"], last_body=r["body"],
                                handoff_open=r["phone"] in open_phones, opted_out=r["opted_out_at"] is not None)
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
