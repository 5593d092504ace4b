"""The database layer and the services over it: SQLite tuning, migrations, config, bookings, leads, chats.

Core booking and lead behaviour runs on SQLite and PostgreSQL through the `store` fixtures.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event, func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from shared.adapters import repository as repo
from shared.adapters import tables as t
from shared.adapters.db import SQLITE_BUSY_TIMEOUT_MS, Database
from shared.adapters.migrations import HEAD, MIGRATIONS, applied_versions, is_current, migrate, pending_migrations
from shared.config import REPO_ROOT, get_settings
from shared.domain.errors import BookingRefused, InvalidInput, InvalidTransition, NotFound
from shared.domain.models import BookingStatus, Faq, LeadStatus, Service
from shared.domain.rules import RefusalReason
from shared.services import bookings, business, chats, leads

from ..conftest import FROZEN_NOW, KOLKATA, open_migrated, sqlite_url

TUESDAY_10 = dt.datetime(2026, 6, 16, 10, 0, tzinfo=KOLKATA)


# --- helpers ------------------------------------------------------------------------------------------

def count(database: Database, table) -> int:
    with database.read() as connection:
        return connection.scalar(select(func.count()).select_from(table))


def audit_actions(database: Database) -> list[str]:
    with database.read() as connection:
        return list(connection.scalars(select(t.audit_log.c.action).order_by(t.audit_log.c.id)))


def with_policy(database: Database, **policy) -> None:
    """Change booking policy values of the stored business, keeping the rest."""
    current = business.require_business(database)
    updated = current.model_copy(update={"booking": current.booking.model_copy(update=policy)})
    business.save_business(database, updated, now=FROZEN_NOW)


def add_chat(database: Database, phone: str, body: str, at: dt.datetime) -> None:
    with database.transaction() as connection:
        customer_id = repo.upsert_customer(connection, phone, None, at)
        repo.add_chat_message(connection, customer_id=customer_id, direction="in", channel="whatsapp", body=body,
                              message_id=None, now=at)


def chat_bodies(database: Database) -> list[str]:
    with database.read() as connection:
        return sorted(connection.scalars(select(t.chat_messages.c.body)))


# --- SQLite tuning ------------------------------------------------------------------------------------

def pragma(database: Database, name: str):
    with database.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_sqlite_uses_write_ahead_logging(db):
    assert pragma(db, "journal_mode").lower() == "wal"


def test_sqlite_enforces_foreign_keys(db):
    assert pragma(db, "foreign_keys") == 1


def test_sqlite_waits_for_a_busy_database_instead_of_failing(db):
    assert pragma(db, "busy_timeout") == SQLITE_BUSY_TIMEOUT_MS
    assert SQLITE_BUSY_TIMEOUT_MS >= 5_000


def test_sqlite_write_transaction_takes_the_write_lock_at_begin(db, tmp_path):
    other = sqlite3.connect(tmp_path / "frontdesk.db", timeout=0, isolation_level=None)
    try:
        with db.transaction():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the transaction ends
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_sqlite_reads_are_not_blocked_by_an_open_write_transaction(demo_db):
    with demo_db.transaction():
        with demo_db.read() as connection:
            assert repo.load_config(connection).business.name == "IronPulse Fitness Studio"


def test_sqlite_rolls_back_everything_when_a_transaction_fails(db):
    with pytest.raises(RuntimeError):
        with db.transaction() as connection:
            repo.audit(connection, actor="test", action="test.note", now=FROZEN_NOW)
            raise RuntimeError("boom")
    assert count(db, t.audit_log) == 0


def test_sqlite_refuses_a_chat_message_for_a_missing_customer(db):
    with pytest.raises(Exception, match="FOREIGN KEY"):
        with db.transaction() as connection:
            repo.add_chat_message(connection, customer_id=999, direction="in", channel="whatsapp", body="hi",
                                  message_id=None, now=FROZEN_NOW)


def test_database_creates_the_folder_of_a_new_sqlite_file(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'new' / 'folder' / 'x.db'}")
    try:
        migrate(database)
        assert (tmp_path / "new" / "folder" / "x.db").exists()
    finally:
        database.dispose()


# --- migrations ---------------------------------------------------------------------------------------

VERSIONS = [m.version for m in MIGRATIONS]


def test_migrations_are_numbered_one_by_one():
    assert VERSIONS == list(range(1, HEAD + 1))


def test_migrate_applies_every_migration_once_and_records_it(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert applied_versions(database) == []
        assert migrate(database) == VERSIONS
        assert migrate(database) == []
        assert migrate(database) == []
        assert applied_versions(database) == VERSIONS
        assert is_current(database) and pending_migrations(database) == []
        with database.read() as connection:
            rows = connection.execute(select(t.schema_migrations).order_by(t.schema_migrations.c.version)).all()
        assert [(r.version, r.name) for r in rows] == [(m.version, m.name) for m in MIGRATIONS]
        assert all(r.applied_at.tzinfo is not None for r in rows)
    finally:
        database.dispose()


def test_migrate_stops_at_the_target_version(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'v1.db'}")
    try:
        assert migrate(database, target=1) == [1]
        assert applied_versions(database) == [1]
        assert not is_current(database)
        assert [m.version for m in pending_migrations(database)] == VERSIONS[1:]
        assert "cancel_reason" not in {c["name"] for c in inspect(database.engine).get_columns("bookings")}
    finally:
        database.dispose()


def test_migrated_schema_equals_the_declared_tables(store):
    inspector = inspect(store.engine)
    assert sorted(inspector.get_table_names()) == sorted(t.metadata.tables)
    for name, table in t.metadata.tables.items():
        reflected = inspector.get_columns(name)
        assert [c["name"] for c in reflected] == [c.name for c in table.columns], name
        nullable = {c["name"]: c["nullable"] for c in reflected}
        for column in table.columns:
            if not column.primary_key:
                assert nullable[column.name] == column.nullable, f"{name}.{column.name}"
        assert set(inspector.get_pk_constraint(name)["constrained_columns"]) == {
            c.name for c in table.primary_key.columns}, name


def test_migrated_schema_has_the_declared_indexes(store):
    inspector = inspect(store.engine)
    for name, table in t.metadata.tables.items():
        reflected = {i["name"] for i in inspector.get_indexes(name)}
        assert {i.name for i in table.indexes} <= reflected, name


def test_migrated_schema_keeps_source_messages_and_inbound_messages_unique(store):
    values = dict(customer_name="Priya", customer_phone="+919800000001", service="Trial workout",
                  requested_time="10am", scheduled_for=FROZEN_NOW, ends_at=FROZEN_NOW, duration_minutes=60,
                  buffer_minutes=0, timezone="Asia/Kolkata", status="pending", source_message_id="SM-dup",
                  created_at=FROZEN_NOW, updated_at=FROZEN_NOW)
    with store.transaction() as connection:
        assert repo.insert_booking(connection, values) is not None
        assert repo.insert_booking(connection, values) is None
    inbound = dict(channel="whatsapp", message_id="SM-dup", sender="+919800000001", status="done",
                   claimed_at=FROZEN_NOW, lease_expires_at=FROZEN_NOW)
    with store.transaction() as connection:
        connection.execute(t.inbound_messages.insert().values(**inbound))
        connection.execute(t.inbound_messages.insert().values(**{**inbound, "channel": "sms"}))
    with pytest.raises(IntegrityError):
        with store.transaction() as connection:
            connection.execute(t.inbound_messages.insert().values(**inbound))
    assert count(store, t.bookings) == 1 and count(store, t.inbound_messages) == 2


UTC = dt.timezone.utc
T0 = dt.datetime(2026, 6, 1, 4, 30, tzinfo=UTC)

# One row per table, using only the columns that existed in schema version 1.
V1_ROWS: dict[str, list[dict]] = {
    "business_profile": [dict(id=1, name="Old Gym", category="gym", description="d", address="a",
                              timezone="Asia/Kolkata", languages=["en", "ta"], greeting="Hi", phone="+914440001234",
                              slot_minutes=60, capacity=2, min_notice_minutes=60, max_days_ahead=60,
                              buffer_minutes=0, updated_at=T0)],
    "opening_hours": [dict(id=1, weekday=0, opens="06:00", closes="12:00"),
                      dict(id=2, weekday=0, opens="16:00", closes="21:00")],
    "closures": [dict(day=dt.date(2026, 12, 25))],
    "services": [dict(id=1, position=0, name="Trial workout", duration_minutes=60, price="Free")],
    "faqs": [dict(id=1, position=0, question="Open?", answer="Yes.", alternatives=["Hours?"], language="en",
                  created_at=T0)],
    "customers": [dict(id=1, phone="+919800000001", name="Priya", language="en", created_at=T0, last_seen_at=T0)],
    "chat_messages": [dict(id=1, customer_id=1, direction="in", channel="whatsapp", message_id="SM1",
                           body="hello", created_at=T0)],
    "bookings": [dict(id=1, customer_id=1, customer_name="Priya", customer_phone="+919800000001",
                      service="Trial workout", requested_time="tomorrow 10am",
                      scheduled_for=T0 + dt.timedelta(days=1), ends_at=T0 + dt.timedelta(days=1, hours=1),
                      duration_minutes=60, buffer_minutes=0, timezone="Asia/Kolkata", status="approved",
                      source_message_id="SM2", created_at=T0, updated_at=T0)],
    "leads": [dict(id=1, customer_id=1, customer_name="Priya", customer_phone="+919800000001",
                   requirement="call me", status="new", source_message_id="SM3", created_at=T0, updated_at=T0)],
    "handoffs": [dict(id=1, customer_id=1, customer_phone="+919800000001", reason="angry", status="open",
                      source_message_id="SM4", created_at=T0, resolved_at=None)],
    "inbound_messages": [dict(id=1, channel="whatsapp", message_id="SM5", sender="+919800000001", status="done",
                              claimed_at=T0, lease_expires_at=T0 + dt.timedelta(minutes=1), completed_at=T0,
                              reply="ok", action_type="booking", action_id=1, action_status="pending")],
    "outbox": [dict(id=1, customer_phone="+919800000001", channel="whatsapp", body="Your booking is approved.",
                    status="sent", attempts=1, created_at=T0, sent_at=T0)],
    "audit_log": [dict(id=1, at=T0, actor="owner", action="booking.approved", entity="booking", entity_id=1,
                       detail={"from": "pending"})],
}


TABLES_ADDED_AFTER_VERSION_ONE = {"config_version", "waitlist"}


def test_every_table_of_version_one_gets_a_row_in_the_upgrade_test():
    assert set(V1_ROWS) == set(t.metadata.tables) - {"schema_migrations"} - TABLES_ADDED_AFTER_VERSION_ONE


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path) -> str:
    """A URL of an empty database (no tables yet), on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'upgrade.db'}"
    return request.getfixturevalue("pg_url")


def test_upgrading_from_version_one_keeps_every_row(empty_url):
    database = Database(empty_url)
    try:
        assert migrate(database, target=1) == [1]
        with database.transaction() as connection:
            for name, rows in V1_ROWS.items():
                connection.execute(t.metadata.tables[name].insert(), rows)
            if connection.dialect.name == "postgresql":  # rows were given explicit ids; move the sequences on
                for name in V1_ROWS:
                    if name not in ("business_profile", "closures"):
                        connection.exec_driver_sql(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))")

        assert migrate(database) == VERSIONS[1:]

        with database.read() as connection:
            for name, rows in V1_ROWS.items():
                table = t.metadata.tables[name]
                columns = [table.c[c] for c in rows[0]]
                kept = [dict(r) for r in connection.execute(
                    select(*columns).order_by(*table.primary_key.columns)).mappings()]
                assert kept == rows, name
            booking = repo.get_booking(connection, 1)
            customer = repo.get_customer(connection, "+919800000001")
            config = repo.load_config(connection)
        assert booking.cancel_reason is None and booking.status is BookingStatus.APPROVED
        assert customer["opted_out_at"] is None and customer["state"] is None
        assert [str(r) for r in config.hours.mon] == ["06:00-12:00", "16:00-21:00"]
        # New rows can be written on the upgraded schema.
        business.save_business(database, config, now=FROZEN_NOW)
        assert bookings.cancel_booking(database, 1, reason="moved away").cancel_reason == "moved away"
    finally:
        database.dispose()


# --- business configuration ---------------------------------------------------------------------------

def test_a_new_database_has_no_business(store):
    assert business.load_business(store) is None
    with pytest.raises(NotFound, match="init-demo"):
        business.require_business(store)


def test_the_demo_business_is_stored_and_read_back_unchanged(demo_store):
    demo = business.parse_config(business.DEMO_CONFIG.read_text(encoding="utf-8"))
    assert business.load_business(demo_store) == demo


def test_load_demo_leaves_an_existing_business_alone_when_asked(demo_store):
    renamed = business.require_business(demo_store).model_copy(update={
        "business": business.require_business(demo_store).business.model_copy(update={"name": "Mine"})})
    business.save_business(demo_store, renamed, now=FROZEN_NOW)
    assert business.load_demo(demo_store, only_if_empty=True) is False
    assert business.require_business(demo_store).business.name == "Mine"


def test_replacing_the_configuration_keeps_bookings_leads_and_chats(demo_store, booking_request, lead_request):
    assert bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).created
    assert leads.capture_lead(demo_store, lead_request(), now=FROZEN_NOW).created
    add_chat(demo_store, "+919800000003", "hello there", FROZEN_NOW)

    new_config = business.parse_config(
        "business: {name: Chai Corner, category: cafe, timezone: Asia/Kolkata}\n"
        "hours: {mon: ['08:00-12:00']}\n"
        "services: [{name: Tasting, duration_minutes: 30}]\n")
    business.save_business(demo_store, new_config, now=FROZEN_NOW)

    assert business.load_business(demo_store) == new_config
    assert len(bookings.list_bookings(demo_store)) == 1
    assert len(leads.list_leads(demo_store)) == 1
    assert chat_bodies(demo_store) == ["hello there"]


def test_save_services_replaces_the_catalogue_after_validating_it(demo_store):
    business.save_services(demo_store, [Service(name="Yoga", duration_minutes=60)])
    assert [s.name for s in business.require_business(demo_store).services] == ["Yoga"]
    with pytest.raises(InvalidInput, match="listed twice"):
        business.save_services(demo_store, [Service(name="Yoga", duration_minutes=60),
                                            Service(name="yoga", duration_minutes=30)])
    assert [s.name for s in business.require_business(demo_store).services] == ["Yoga"]


def test_service_aliases_are_stored_with_the_catalogue(demo_store):
    business.save_services(demo_store, [Service(name="Haarschnitt", duration_minutes=30, aliases=["cut", "trim"])])
    assert business.require_business(demo_store).services[0].aliases == ["cut", "trim"]


def test_faqs_can_be_added_listed_and_removed_in_order(demo_store):
    before = business.list_faqs(demo_store)
    new_id = business.add_faq(demo_store, Faq(question="Do you sell water?", answer="Yes, INR 20."))
    listed = business.list_faqs(demo_store)
    assert listed[-1] == (new_id, Faq(question="Do you sell water?", answer="Yes, INR 20."))
    assert len(listed) == len(before) + 1
    business.remove_faq(demo_store, new_id)
    assert business.list_faqs(demo_store) == before
    with pytest.raises(NotFound):
        business.remove_faq(demo_store, new_id)


# --- booking requests (both backends) -----------------------------------------------------------------

def test_requesting_a_booking_stores_it_as_pending(demo_store, booking_request):
    outcome = bookings.request_booking(demo_store, booking_request(TUESDAY_10, requested_time="tuesday 10am"),
                                       now=FROZEN_NOW)
    assert outcome.created and outcome.refusal is None
    booking = outcome.booking
    assert booking.status is BookingStatus.PENDING
    assert booking.scheduled_for == TUESDAY_10
    assert booking.scheduled_for.utcoffset() == dt.timedelta(hours=5, minutes=30)
    assert booking.timezone == "Asia/Kolkata"
    assert booking.duration_minutes == 60
    assert booking.requested_time == "tuesday 10am"
    assert booking.created_at == FROZEN_NOW
    assert bookings.list_bookings(demo_store) == [booking]


def test_a_booking_requested_in_utc_is_stored_in_the_business_timezone(demo_store, booking_request):
    in_utc = TUESDAY_10.astimezone(dt.timezone.utc)
    booking = bookings.request_booking(demo_store, booking_request(in_utc), now=FROZEN_NOW).booking
    assert booking.scheduled_for == TUESDAY_10
    assert booking.scheduled_for.tzinfo.key == "Asia/Kolkata"


def test_requesting_a_booking_is_idempotent_per_source_message(demo_store, booking_request):
    request = booking_request(TUESDAY_10, source_message_id="SM-same")
    first = bookings.request_booking(demo_store, request, now=FROZEN_NOW)
    second = bookings.request_booking(demo_store, request, now=FROZEN_NOW + dt.timedelta(minutes=5))
    assert first.created and not second.created
    assert second.booking.id == first.booking.id
    assert second.booking == first.booking
    assert count(demo_store, t.bookings) == 1


def test_a_repeated_source_message_returns_the_first_booking_even_with_other_details(demo_store, booking_request):
    first = bookings.request_booking(demo_store, booking_request(TUESDAY_10, source_message_id="SM-x"),
                                     now=FROZEN_NOW)
    again = bookings.request_booking(
        demo_store, booking_request(TUESDAY_10 + dt.timedelta(hours=3), service="Trial workout",
                                    source_message_id="SM-x"), now=FROZEN_NOW)
    assert again.booking == first.booking and not again.created


def test_refuses_a_booking_for_an_unknown_service(demo_store, booking_request):
    outcome = bookings.request_booking(demo_store, booking_request(TUESDAY_10, service="Zumba"), now=FROZEN_NOW)
    assert outcome.booking is None and not outcome.created
    assert outcome.refusal.reason is RefusalReason.UNKNOWN_SERVICE
    assert "Personal training" in outcome.refusal.message
    assert count(demo_store, t.bookings) == 0


def test_finds_the_service_ignoring_case_and_spaces(demo_store, booking_request):
    booking = bookings.request_booking(demo_store, booking_request(TUESDAY_10, service="  personal TRAINING "),
                                       now=FROZEN_NOW).booking
    assert booking.service == "Personal training"


def test_uses_the_duration_of_the_chosen_service(demo_store, booking_request):
    booking = bookings.request_booking(demo_store, booking_request(TUESDAY_10, service="Nutrition consultation"),
                                       now=FROZEN_NOW).booking
    assert booking.duration_minutes == 30
    assert booking.ends_at == TUESDAY_10 + dt.timedelta(minutes=30)


def test_refuses_a_booking_when_no_business_is_set_up(store, booking_request):
    with pytest.raises(NotFound):
        bookings.request_booking(store, booking_request(TUESDAY_10), now=FROZEN_NOW)


@pytest.mark.parametrize(("start", "reason"), [
    (FROZEN_NOW - dt.timedelta(hours=1), RefusalReason.IN_PAST),
    (FROZEN_NOW + dt.timedelta(minutes=30), RefusalReason.TOO_SOON),
    (dt.datetime(2026, 8, 20, 10, tzinfo=KOLKATA), RefusalReason.TOO_FAR_AHEAD),
    (dt.datetime(2026, 6, 16, 20, 30, tzinfo=KOLKATA), RefusalReason.OUTSIDE_HOURS),
    (dt.datetime(2026, 6, 16, 5, 0, tzinfo=KOLKATA), RefusalReason.OUTSIDE_HOURS),
])
def test_refuses_a_booking_that_breaks_a_rule_and_stores_nothing(demo_store, booking_request, start, reason):
    outcome = bookings.request_booking(demo_store, booking_request(start), now=FROZEN_NOW)
    assert outcome.refusal.reason is reason
    assert outcome.booking is None
    assert count(demo_store, t.bookings) == 0


def test_refuses_a_booking_on_a_closure_date(demo_store, booking_request):
    with_policy(demo_store, max_days_ahead=366)
    christmas = dt.datetime(2026, 12, 25, 10, tzinfo=KOLKATA)
    assert bookings.request_booking(demo_store, booking_request(christmas),
                                    now=FROZEN_NOW).refusal.reason is RefusalReason.CLOSED_DATE


def test_pending_bookings_fill_a_slot_up_to_capacity(demo_store, booking_request):
    results = [bookings.request_booking(demo_store, booking_request(TUESDAY_10, customer_phone=f"+91980000001{i}"),
                                        now=FROZEN_NOW) for i in range(3)]
    assert [r.created for r in results] == [True, True, False]
    assert results[2].refusal.reason is RefusalReason.SLOT_FULL
    assert count(demo_store, t.bookings) == 2


def test_a_full_slot_refusal_offers_nearby_free_times(demo_store, booking_request):
    for _ in range(2):
        bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW)
    refused = bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW)
    assert refused.alternatives
    assert TUESDAY_10 not in refused.alternatives
    assert TUESDAY_10 + dt.timedelta(hours=1) in refused.alternatives
    assert refused.alternatives == sorted(refused.alternatives)


def test_cancelled_bookings_no_longer_hold_the_slot(demo_store, booking_request):
    first = bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW)
    bookings.cancel_booking(demo_store, first.id, reason="changed plans")
    assert bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).created


def test_back_to_back_bookings_fit_in_a_full_hour(demo_store, booking_request):
    for start in (TUESDAY_10, TUESDAY_10):
        bookings.request_booking(demo_store, booking_request(start), now=FROZEN_NOW)
    after = bookings.request_booking(demo_store, booking_request(TUESDAY_10 + dt.timedelta(hours=1)),
                                     now=FROZEN_NOW)
    before = bookings.request_booking(demo_store, booking_request(TUESDAY_10 - dt.timedelta(hours=1)),
                                      now=FROZEN_NOW)
    assert after.created and before.created


def test_the_policy_buffer_keeps_the_next_start_free(demo_store, booking_request):
    with_policy(demo_store, capacity=1, buffer_minutes=15)
    assert bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).created
    next_hour = bookings.request_booking(demo_store, booking_request(TUESDAY_10 + dt.timedelta(hours=1)),
                                         now=FROZEN_NOW)
    assert next_hour.refusal.reason is RefusalReason.SLOT_FULL
    assert bookings.request_booking(demo_store, booking_request(TUESDAY_10 + dt.timedelta(minutes=75)),
                                    now=FROZEN_NOW).created


def test_bookings_are_listed_in_time_order_and_filtered(demo_store, booking_request):
    late = bookings.request_booking(demo_store, booking_request(TUESDAY_10 + dt.timedelta(hours=2)),
                                    now=FROZEN_NOW).booking
    early = bookings.request_booking(demo_store, booking_request(TUESDAY_10, customer_phone="+919800000005"),
                                     now=FROZEN_NOW).booking
    bookings.approve_booking(demo_store, late.id, now=FROZEN_NOW)
    assert [b.id for b in bookings.list_bookings(demo_store)] == [early.id, late.id]
    assert [b.id for b in bookings.list_bookings(demo_store, status="approved")] == [late.id]
    assert [b.id for b in bookings.list_bookings(demo_store, phone="+919800000005")] == [early.id]
    with pytest.raises(InvalidInput, match="pending"):
        bookings.list_bookings(demo_store, status="maybe")


# --- booking lifecycle (both backends) ----------------------------------------------------------------

def test_approving_counts_approved_bookings_only(demo_store, booking_request):
    with_policy(demo_store, capacity=3)
    made = [bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
            for _ in range(3)]
    assert all(made)
    with_policy(demo_store, capacity=2)  # now three pending bookings share a capacity-2 slot

    assert bookings.approve_booking(demo_store, made[0].id, now=FROZEN_NOW).status is BookingStatus.APPROVED
    # Two other pending bookings overlap, yet only one approved does: approval is allowed.
    assert bookings.approve_booking(demo_store, made[1].id, now=FROZEN_NOW).status is BookingStatus.APPROVED
    with pytest.raises(BookingRefused) as caught:
        bookings.approve_booking(demo_store, made[2].id, now=FROZEN_NOW)
    assert caught.value.reason == RefusalReason.SLOT_FULL.value == "slot_full"
    assert caught.value.detail == {"booking_id": made[2].id}
    assert [b.id for b in bookings.list_bookings(demo_store, status="pending")] == [made[2].id]


def test_approving_is_allowed_again_once_an_approved_booking_is_cancelled(demo_store, booking_request):
    with_policy(demo_store, capacity=2)
    a, b = (bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
            for _ in range(2))
    with_policy(demo_store, capacity=1)
    bookings.approve_booking(demo_store, a.id, now=FROZEN_NOW)
    with pytest.raises(BookingRefused):
        bookings.approve_booking(demo_store, b.id, now=FROZEN_NOW)
    bookings.cancel_booking(demo_store, a.id, reason="double booked")
    assert bookings.approve_booking(demo_store, b.id, now=FROZEN_NOW).status is BookingStatus.APPROVED


def test_cancelling_keeps_the_reason(demo_store, booking_request):
    booking = bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    cancelled = bookings.cancel_booking(demo_store, booking.id, reason="Trainer is ill")
    assert cancelled.status is BookingStatus.CANCELLED
    assert cancelled.cancel_reason == "Trainer is ill"
    assert bookings.list_bookings(demo_store)[0].cancel_reason == "Trainer is ill"


def test_refuses_a_cancellation_reason_over_500_characters(demo_store, booking_request):
    booking = bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    with pytest.raises(InvalidInput):
        bookings.cancel_booking(demo_store, booking.id, reason="x" * 501)
    assert bookings.list_bookings(demo_store)[0].status is BookingStatus.PENDING


def test_completing_an_approved_booking(demo_store, booking_request):
    booking = bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    bookings.approve_booking(demo_store, booking.id, now=FROZEN_NOW)
    assert bookings.complete_booking(demo_store, booking.id).status is BookingStatus.COMPLETED


def test_refuses_an_invalid_booking_move_and_changes_nothing(demo_store, booking_request):
    booking = bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    with pytest.raises(InvalidTransition) as caught:
        bookings.complete_booking(demo_store, booking.id)
    assert caught.value.reason == "invalid_transition"
    assert bookings.list_bookings(demo_store)[0].status is BookingStatus.PENDING


def test_refuses_an_unknown_status_or_booking(demo_store, booking_request):
    booking = bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    with pytest.raises(InvalidInput, match="Unknown booking status"):
        bookings.set_booking_status(demo_store, booking.id, "done")
    with pytest.raises(NotFound):
        bookings.approve_booking(demo_store, booking.id + 100, now=FROZEN_NOW)


def test_a_status_change_records_when_it_happened(demo_store, booking_request):
    booking = bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    later = FROZEN_NOW + dt.timedelta(hours=2)
    approved = bookings.set_booking_status(demo_store, booking.id, "approved", now=later)
    assert approved.updated_at == later and approved.created_at == FROZEN_NOW


# --- leads (both backends) ----------------------------------------------------------------------------

def test_capturing_a_lead_stores_it_as_new(store, lead_request):
    outcome = leads.capture_lead(store, lead_request("Wants a yearly plan"), now=FROZEN_NOW)
    assert outcome.created
    assert outcome.lead.status is LeadStatus.NEW
    assert outcome.lead.requirement == "Wants a yearly plan"
    assert leads.list_leads(store) == [outcome.lead]


def test_capturing_a_lead_is_idempotent_per_source_message(store, lead_request):
    first = leads.capture_lead(store, lead_request(source_message_id="SM-lead"), now=FROZEN_NOW)
    again = leads.capture_lead(store, lead_request("something else", source_message_id="SM-lead"), now=FROZEN_NOW)
    assert first.created and not again.created
    assert again.lead == first.lead
    assert count(store, t.leads) == 1


def test_a_lead_moves_new_contacted_closed_and_no_further(store, lead_request):
    lead = leads.capture_lead(store, lead_request(), now=FROZEN_NOW).lead
    assert leads.set_lead_status(store, lead.id, "contacted").status is LeadStatus.CONTACTED
    with pytest.raises(InvalidTransition):
        leads.set_lead_status(store, lead.id, "new")
    assert leads.set_lead_status(store, lead.id, LeadStatus.CLOSED).status is LeadStatus.CLOSED
    with pytest.raises(InvalidTransition):
        leads.set_lead_status(store, lead.id, "contacted")
    with pytest.raises(InvalidInput):
        leads.set_lead_status(store, lead.id, "won")
    with pytest.raises(NotFound):
        leads.set_lead_status(store, lead.id + 1, "closed")


def test_leads_are_filtered_by_status(store, lead_request):
    a = leads.capture_lead(store, lead_request(), now=FROZEN_NOW).lead
    b = leads.capture_lead(store, lead_request(), now=FROZEN_NOW + dt.timedelta(minutes=1)).lead
    leads.set_lead_status(store, a.id, "closed")
    assert [lead.id for lead in leads.list_leads(store, status="new")] == [b.id]
    assert [lead.id for lead in leads.list_leads(store)] == [b.id, a.id]  # newest first


def test_capturing_a_lead_remembers_the_customer(store, lead_request):
    leads.capture_lead(store, lead_request(customer_name="Arjun", customer_phone="+919800000009"), now=FROZEN_NOW)
    with store.read() as connection:
        customer = repo.get_customer(connection, "+919800000009")
    assert customer["name"] == "Arjun"


# --- audit log ----------------------------------------------------------------------------------------

def test_every_change_writes_one_audit_line(demo_store, booking_request, lead_request):
    assert audit_actions(demo_store) == ["config.replace"]
    booking = bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    bookings.approve_booking(demo_store, booking.id, now=FROZEN_NOW)
    bookings.cancel_booking(demo_store, booking.id, reason="rain")
    lead = leads.capture_lead(demo_store, lead_request(), now=FROZEN_NOW).lead
    leads.set_lead_status(demo_store, lead.id, "contacted")
    faq_id = business.add_faq(demo_store, Faq(question="Towels?", answer="Yes."))
    business.remove_faq(demo_store, faq_id)
    chats.purge_chats(demo_store, retention_days=30, now=FROZEN_NOW)
    assert audit_actions(demo_store) == [
        "config.replace", "booking.request", "booking.approved", "booking.cancelled", "lead.capture",
        "lead.contacted", "faq.add", "faq.remove", "chats.purge"]


def test_repeats_and_refusals_write_no_audit_line(demo_store, booking_request, lead_request):
    request = booking_request(TUESDAY_10)
    bookings.request_booking(demo_store, request, now=FROZEN_NOW)
    bookings.request_booking(demo_store, request, now=FROZEN_NOW)
    bookings.request_booking(demo_store, booking_request(TUESDAY_10, service="Zumba"), now=FROZEN_NOW)
    lead = lead_request()
    leads.capture_lead(demo_store, lead, now=FROZEN_NOW)
    leads.capture_lead(demo_store, lead, now=FROZEN_NOW)
    assert audit_actions(demo_store) == ["config.replace", "booking.request", "lead.capture"]


def test_audit_lines_name_the_entity_and_keep_the_cancel_reason(demo_store, booking_request):
    booking = bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW).booking
    bookings.set_booking_status(demo_store, booking.id, "cancelled", reason="rain", actor="owner (test)",
                                now=FROZEN_NOW)
    with demo_store.read() as connection:
        line = connection.execute(select(t.audit_log).order_by(t.audit_log.c.id.desc())).mappings().first()
    assert (line["action"], line["entity"], line["entity_id"], line["actor"]) == (
        "booking.cancelled", "booking", booking.id, "owner (test)")
    assert line["detail"] == {"from": "pending", "reason": "rain"}
    assert line["at"] == FROZEN_NOW


def test_audit_lines_never_hold_a_full_phone_number(demo_store, booking_request, lead_request):
    bookings.request_booking(demo_store, booking_request(TUESDAY_10, customer_phone="+919800000001"),
                             now=FROZEN_NOW)
    leads.capture_lead(demo_store, lead_request(customer_phone="+919800000001"), now=FROZEN_NOW)
    with demo_store.read() as connection:
        details = [str(d) for d in connection.scalars(select(t.audit_log.c.detail))]
    assert details and not any("9800000001" in d for d in details)


# --- chat retention -----------------------------------------------------------------------------------

def test_purge_chats_removes_only_messages_older_than_the_retention(store):
    for days_ago in (400, 91, 89, 1):
        add_chat(store, "+919800000001", f"{days_ago} days ago", FROZEN_NOW - dt.timedelta(days=days_ago))
    assert chats.purge_chats(store, retention_days=90, now=FROZEN_NOW) == 2
    assert chat_bodies(store) == ["1 days ago", "89 days ago"]
    assert chats.purge_chats(store, retention_days=90, now=FROZEN_NOW) == 0


def test_purge_chats_keeps_a_message_exactly_at_the_cutoff(store):
    add_chat(store, "+919800000001", "at the cutoff", FROZEN_NOW - dt.timedelta(days=30))
    add_chat(store, "+919800000001", "just before", FROZEN_NOW - dt.timedelta(days=30, seconds=1))
    assert chats.purge_chats(store, retention_days=30, now=FROZEN_NOW) == 1
    assert chat_bodies(store) == ["at the cutoff"]


def test_purge_chats_keeps_customers_bookings_and_leads(demo_store, booking_request, lead_request):
    bookings.request_booking(demo_store, booking_request(TUESDAY_10), now=FROZEN_NOW)
    leads.capture_lead(demo_store, lead_request(), now=FROZEN_NOW)
    add_chat(demo_store, "+919800000001", "old", FROZEN_NOW - dt.timedelta(days=365))
    chats.purge_chats(demo_store, retention_days=90, now=FROZEN_NOW)
    assert count(demo_store, t.chat_messages) == 0
    assert count(demo_store, t.bookings) == 1 and count(demo_store, t.leads) == 1
    assert count(demo_store, t.customers) >= 1


def test_purge_chats_refuses_a_retention_under_one_day(db):
    with pytest.raises(ValueError):
        chats.purge_chats(db, retention_days=0, now=FROZEN_NOW)


def test_purge_chats_records_how_many_went(store):
    add_chat(store, "+919800000001", "old", FROZEN_NOW - dt.timedelta(days=200))
    chats.purge_chats(store, retention_days=90, now=FROZEN_NOW)
    with store.read() as connection:
        detail = connection.scalar(select(t.audit_log.c.detail).where(t.audit_log.c.action == "chats.purge"))
    assert detail == {"removed": 1, "retention_days": 90}


# --- fixtures themselves ------------------------------------------------------------------------------

def test_tests_never_point_at_the_real_data_folder():
    assert not get_settings().database_url.startswith(f"sqlite:///{REPO_ROOT / 'data'}")


def test_open_migrated_gives_a_current_database(tmp_path: Path):
    database = open_migrated(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        assert is_current(database)
    finally:
        database.dispose()


# --- several processes migrating at once --------------------------------------------------------------

def test_simultaneous_migrations_on_sqlite_apply_each_migration_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.db'}"
    databases = [Database(url) for _ in range(4)]
    barrier = threading.Barrier(len(databases))
    results: list = [None] * len(databases)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = migrate(databases[index])
        except Exception as error:  # noqa: BLE001 - reported below
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(databases))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not [r for r in results if isinstance(r, Exception)]
        assert sorted(v for r in results for v in r) == VERSIONS
        assert applied_versions(databases[0]) == VERSIONS
    finally:
        for database in databases:
            database.dispose()


def test_a_second_migrator_on_postgresql_waits_for_the_first_instead_of_failing(pg_url):
    """Deterministic interleaving: the first migrator pauses right after its first CREATE TABLE until the
    second one is either blocked on a lock inside PostgreSQL or has finished."""
    first, second = Database(pg_url), Database(pg_url)
    outcome: dict[str, object] = {}
    parsed = make_url(pg_url)

    def run_second() -> None:
        try:
            outcome["second"] = migrate(second)
        except Exception as error:  # noqa: BLE001 - reported below
            outcome["second"] = error

    second_thread = threading.Thread(target=run_second)
    paused = threading.Event()

    def pause_after_first_create(connection, cursor, statement, parameters, context, executemany):
        if paused.is_set() or not statement.lstrip().upper().startswith("CREATE TABLE"):
            return
        paused.set()
        second_thread.start()
        with psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username, dbname=parsed.database,
                             autocommit=True) as watcher:
            give_up = time.monotonic() + 30  # a safety net, not an assertion
            while second_thread.is_alive() and time.monotonic() < give_up:
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'").fetchone()[0]
                if waiting:
                    break
                time.sleep(0.01)

    event.listen(first.engine, "after_cursor_execute", pause_after_first_create)
    try:
        try:
            outcome["first"] = migrate(first)
        except Exception as error:  # noqa: BLE001 - reported below
            outcome["first"] = error
        second_thread.join(60)
        assert paused.is_set()
        assert not [r for r in outcome.values() if isinstance(r, Exception)], outcome
        assert sorted(v for r in outcome.values() for v in r) == VERSIONS
        assert applied_versions(first) == VERSIONS
    finally:
        first.dispose()
        second.dispose()


def test_a_passive_checkpoint_copies_the_wal_into_the_database_file(tmp_path):
    from shared.adapters.db import Database, WalCheckpointer
    url = sqlite_url(tmp_path / "checkpoint.db")
    open_migrated(url).dispose()
    # A writer that never checkpoints itself: the background checkpointer is the only one.
    database = Database(url, wal_autocheckpoint_pages=100_000)
    with database.transaction() as connection:
        repo.upsert_customer(connection, "+919800000001", "Asha", FROZEN_NOW)
    busy, frames, copied = database.checkpoint()
    assert busy == 0 and frames > 0 and copied == frames
    checkpointer = WalCheckpointer(database, interval_s=0.01).start()
    try:
        deadline = time.monotonic() + 10
        while checkpointer.checkpoints == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        checkpointer.stop()
    assert checkpointer.checkpoints > 0
    database.dispose()


def test_postgresql_has_no_wal_checkpoint_to_run(pg_db):
    assert pg_db.checkpoint() is None
