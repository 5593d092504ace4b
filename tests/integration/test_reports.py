"""The Overview's per-day reports, counted in SQL, equal a straightforward Python reference.

The reference reads every row and buckets it by `at.astimezone(zone).date()`, as the reports did before they
moved into SQL. The seeded data sits around Europe/Madrid's DST changes (25-hour and 23-hour days) and on
local midnights, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from shared.adapters import repository as repo
from shared.adapters import tables as t
from shared.adapters.db import Database
from shared.services import reports

MADRID = ZoneInfo("Europe/Madrid")
UTC = dt.timezone.utc
# Madrid: summer time ends Sunday 25 Oct 2026 at 03:00 CEST (01:00 UTC) and starts Sunday 29 Mar 2026 at
# 02:00 CET (01:00 UTC).
FALL_BACK = dt.datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
SPRING_FORWARD = dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def _madrid(db: Database) -> None:
    with db.transaction() as connection:
        connection.execute(update(t.business_profile).where(t.business_profile.c.id == 1)
                           .values(timezone="Europe/Madrid"))


def _edges(around: dt.datetime) -> list[dt.datetime]:
    """Instants on and next to each local midnight in the four days around `around`, and at the change."""
    out = [around, around - dt.timedelta(microseconds=1), around + dt.timedelta(minutes=30)]
    for offset in range(-2, 3):
        midnight = dt.datetime.combine(around.astimezone(MADRID).date() + dt.timedelta(days=offset), dt.time(),
                                       tzinfo=MADRID).astimezone(UTC)
        out += [midnight, midnight - dt.timedelta(microseconds=1), midnight + dt.timedelta(seconds=1),
                midnight - dt.timedelta(hours=1), midnight + dt.timedelta(hours=1)]
    return out


def _seed(db: Database, around: dt.datetime, rng: random.Random) -> None:
    instants = _edges(around) + [around + dt.timedelta(seconds=rng.randint(-9 * 86400, 3 * 86400))
                                 for _ in range(150)]
    elapsed_values = [12, 40.5, 0, 999.25, -5, True, False, "300", None, 1e6, 7]
    with db.transaction() as connection:
        customer = repo.upsert_customer(connection, "+34600000001", "Lucía", around)
        for n, at in enumerate(instants):
            repo.add_chat_message(connection, customer_id=customer, direction=("in", "out")[n % 2],
                                  channel="lab", body=f"message {n}", message_id=None, now=at)
            if n % 3 == 0:
                connection.execute(t.bookings.insert().values(
                    customer_id=customer, customer_name="Lucía", customer_phone="+34600000001",
                    service="Trial workout", requested_time="soon", scheduled_for=at + dt.timedelta(days=2),
                    ends_at=at + dt.timedelta(days=2, hours=1), duration_minutes=60, buffer_minutes=0,
                    timezone="Europe/Madrid", status="pending", source_message_id=f"SM-b-{n}", created_at=at,
                    updated_at=at))
            if n % 4 == 1:
                connection.execute(t.leads.insert().values(
                    customer_id=customer, customer_name="Lucía", customer_phone="+34600000001",
                    requirement="Call me", status="new", source_message_id=f"SM-l-{n}", created_at=at,
                    updated_at=at))
            elapsed = elapsed_values[n % len(elapsed_values)]
            detail = {"customer": "+34*******01"} if elapsed is None else {"elapsed_ms": elapsed}
            repo.audit(connection, actor="assistant", action="reply.sent" if n % 5 else "booking.request",
                       detail=detail, now=at)


def _reference_activity(db: Database, days: int, now: dt.datetime) -> list[reports.DayActivity]:
    today = now.astimezone(MADRID).date()
    dates = [today - dt.timedelta(days=days - 1 - i) for i in range(days)]
    counts = {d: {"bookings": 0, "leads": 0, "messages_in": 0, "messages_out": 0} for d in dates}
    with db.read() as connection:
        sources = [("bookings", at) for (at,) in connection.execute(select(t.bookings.c.created_at))]
        sources += [("leads", at) for (at,) in connection.execute(select(t.leads.c.created_at))]
        sources += [(f"messages_{direction}", at) for direction, at in connection.execute(
            select(t.chat_messages.c.direction, t.chat_messages.c.created_at))]
    for key, at in sources:
        day = at.astimezone(MADRID).date()
        if day in counts:
            counts[day][key] += 1
    return [reports.DayActivity(d, **counts[d]) for d in dates]


def _reference_reply_times(db: Database, days: int, now: dt.datetime) -> list[reports.DayReplyTime]:
    today = now.astimezone(MADRID).date()
    dates = [today - dt.timedelta(days=days - 1 - i) for i in range(days)]
    times: dict[dt.date, list[float]] = {d: [] for d in dates}
    with db.read() as connection:
        for at, detail in connection.execute(select(t.audit_log.c.at, t.audit_log.c.detail)
                                             .where(t.audit_log.c.action == "reply.sent")):
            elapsed = detail.get("elapsed_ms")
            if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)) or elapsed < 0:
                continue
            day = at.astimezone(MADRID).date()
            if day in times:
                times[day].append(float(elapsed))
    result = []
    for d in dates:
        values = sorted(times[d])
        if not values:
            result.append(reports.DayReplyTime(d))
            continue
        p95 = values[max(1, min(len(values), math.ceil(0.95 * len(values)))) - 1]
        result.append(reports.DayReplyTime(d, len(values), round(statistics.median(values), 1), round(p95, 1),
                                           round(values[-1], 1)))
    return result


@pytest.mark.parametrize("around", [FALL_BACK, SPRING_FORWARD], ids=["fall-back", "spring-forward"])
def test_activity_and_reply_times_per_day_equal_the_python_reference_across_a_dst_change(demo_store, around):
    _madrid(demo_store)
    _seed(demo_store, around, random.Random(10))
    for now in (around + dt.timedelta(days=2), around + dt.timedelta(hours=1), around - dt.timedelta(hours=3)):
        for days in (1, 3, 7, 14):
            activity = reports.activity_per_day(demo_store, days, now=now)
            assert activity == _reference_activity(demo_store, days, now), (now, days)
            assert reports.reply_times_per_day(demo_store, days, now=now) == \
                _reference_reply_times(demo_store, days, now), (now, days)
    # The seed is not empty where it matters: the change's own day is counted, and longer than 24 hours or shorter.
    change_day = around.astimezone(MADRID).date()
    [day] = [d for d in reports.activity_per_day(demo_store, 7, now=around + dt.timedelta(days=2))
             if d.day == change_day]
    assert day.messages_in + day.messages_out > 0 and day.bookings > 0


def test_a_message_at_local_midnight_counts_on_the_new_day(demo_store):
    _madrid(demo_store)
    midnight = dt.datetime(2026, 10, 26, tzinfo=MADRID)  # 23:00 UTC on the 25th, after the 25-hour day
    with demo_store.transaction() as connection:
        customer = repo.upsert_customer(connection, "+34600000002", None, midnight)
        for at in (midnight - dt.timedelta(microseconds=1), midnight):
            repo.add_chat_message(connection, customer_id=customer, direction="in", channel="lab", body="hola",
                                  message_id=None, now=at)
    days = reports.activity_per_day(demo_store, 2, now=midnight + dt.timedelta(hours=12))
    assert [(d.day, d.messages_in) for d in days] == [(dt.date(2026, 10, 25), 1), (dt.date(2026, 10, 26), 1)]


def test_the_period_is_bounded(store):
    for report in (reports.activity_per_day, reports.reply_times_per_day):
        with pytest.raises(ValueError):
            report(store, reports.MAX_DAYS + 1)
        assert len(report(store, reports.MAX_DAYS)) == reports.MAX_DAYS


def test_the_overview_queries_read_by_index_on_sqlite(db: Database):
    """Every Overview read on a growing table goes through an index instead of scanning the table."""
    now = dt.datetime(2026, 10, 27, 12, tzinfo=UTC)
    statements = []
    with db.engine.connect() as connection:
        from sqlalchemy import event

        @event.listens_for(connection, "before_cursor_execute")
        def remember(conn, cursor, statement, parameters, context, executemany):
            statements.append((statement, parameters))

        real_read = db.read

        class _Same:
            def __enter__(self):
                return connection

            def __exit__(self, *exc):
                return False

        db.read = lambda: _Same()  # type: ignore[method-assign]
        try:
            reports.activity_per_day(db, 14, now=now)
            reports.reply_times_per_day(db, 14, now=now)
            reports.recent_audit(db, 25)
        finally:
            db.read = real_read  # type: ignore[method-assign]
            event.remove(connection, "before_cursor_execute", remember)
        plans = {}
        for statement, parameters in statements:
            if not any(name in statement for name in ("chat_messages", "audit_log", "bookings", "leads")):
                continue
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            plans[statement] = [row[-1] for row in rows]
    assert len(plans) == 5, list(plans)
    for statement, details in plans.items():
        touching = [d for d in details if any(f" {name}" in d for name in
                                              ("chat_messages", "audit_log", "bookings", "leads"))]
        # SEARCH: an index range; SCAN ... USING INDEX: the newest audit lines read in index order up to the limit.
        assert touching and all("USING" in d and "INDEX" in d for d in touching), (statement, details)
        if "LIMIT" in statement:  # the newest lines come in index order, not sorted from the whole table
            assert not any("TEMP B-TREE FOR ORDER BY" in d for d in details), (statement, details)
