"""Prepared statements read and write exactly what SQLAlchemy Core does, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import bindparam, or_, select, update

from shared.adapters import tables as t
from shared.adapters.prepared import Prepared, PreparedStatementError

AT = dt.datetime(2026, 6, 15, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))

INSERT_CUSTOMER = Prepared(t.customers.insert().values(
    phone=bindparam("phone"), name=bindparam("name"), created_at=bindparam("at"), last_seen_at=bindparam("at"),
    state=bindparam("state")).returning(t.customers.c.id))
CUSTOMER = Prepared(select(t.customers).where(t.customers.c.phone == bindparam("phone")))
RENAME = Prepared(update(t.customers).where(t.customers.c.phone == bindparam("phone")).values(name=bindparam("name")))


def test_values_written_by_a_prepared_statement_read_back_through_core_unchanged(store):
    with store.transaction() as connection:
        new_id = INSERT_CUSTOMER.execute(connection, {"phone": "+919800000001", "name": "Asha", "at": AT,
                                                      "state": {"booking": {"service": "Yoga", "n": [1, 2]}}}).scalar()
    with store.read() as connection:
        row = connection.execute(select(t.customers).where(t.customers.c.id == new_id)).mappings().one()
    assert row["created_at"] == AT and row["created_at"].tzinfo is not None
    assert row["state"] == {"booking": {"service": "Yoga", "n": [1, 2]}}


def test_values_written_through_core_read_back_through_a_prepared_statement_unchanged(store):
    with store.transaction() as connection:
        connection.execute(t.customers.insert().values(phone="+919800000002", name=None, created_at=AT,
                                                       last_seen_at=AT, state=None))
    with store.read() as connection:
        row = CUSTOMER.execute(connection, {"phone": "+919800000002"}).first()
    assert row["last_seen_at"] == AT and row["name"] is None and row["state"] is None
    assert set(row) == {column.key for column in t.customers.columns}


def test_an_update_reports_its_row_count_and_a_miss_returns_no_row(store):
    with store.transaction() as connection:
        INSERT_CUSTOMER.execute(connection, {"phone": "+919800000003", "name": None, "at": AT, "state": None})
        assert RENAME.execute(connection, {"phone": "+919800000003", "name": "Ravi"}).rowcount == 1
        assert RENAME.execute(connection, {"phone": "+10000000000", "name": "Nobody"}).rowcount == 0
        assert CUSTOMER.execute(connection, {"phone": "+10000000000"}).first() is None


def test_a_prepared_statement_joins_the_callers_transaction(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as connection:
            INSERT_CUSTOMER.execute(connection, {"phone": "+919800000004", "name": None, "at": AT, "state": None})
            raise RuntimeError("roll it back")
    with store.read() as connection:
        assert CUSTOMER.execute(connection, {"phone": "+919800000004"}).first() is None


def test_a_missing_parameter_is_named(store):
    with store.read() as connection, pytest.raises(PreparedStatementError, match="'phone'"):
        CUSTOMER.execute(connection, {})


def test_an_expanding_in_list_is_refused_with_the_alternative(store):
    statement = Prepared(select(t.bookings.c.id).where(t.bookings.c.status.in_(["pending", "approved"])))
    with store.read() as connection, pytest.raises(PreparedStatementError, match="or_"):
        statement.execute(connection)
    spelled_out = Prepared(select(t.bookings.c.id).where(or_(t.bookings.c.status == "pending",
                                                              t.bookings.c.status == "approved")))
    with store.read() as connection:
        assert spelled_out.execute(connection).all() == []


def test_a_chat_exchange_is_stored_as_the_message_then_the_reply(store):
    from shared.adapters import repository as repo
    with store.transaction() as connection:
        customer_id = repo.upsert_customer(connection, "+919800000005", None, AT)
        repo.add_chat_exchange(connection, customer_id=customer_id, channel="json", text_in="When do you open?",
                               message_id="SM-x", reply="We open at 6 AM.", now=AT)
    with store.read() as connection:
        history = repo.recent_chat(connection, customer_id)
    assert [(line.direction, line.body) for line in history] == [("in", "When do you open?"),
                                                                  ("out", "We open at 6 AM.")]
    assert history[0].created_at == AT


def test_a_driver_error_surfaces_as_sqlalchemys_own_exception_type(store):
    from sqlalchemy.exc import IntegrityError
    with store.transaction() as connection:
        INSERT_CUSTOMER.execute(connection, {"phone": "+919800000005", "name": None, "at": AT, "state": None})
    with pytest.raises(IntegrityError) as raised, store.transaction() as connection:
        INSERT_CUSTOMER.execute(connection, {"phone": "+919800000005", "name": None, "at": AT, "state": None})
    assert "customers" in str(raised.value.statement) and raised.value.orig is not None


def test_cursor_execute_listeners_see_prepared_statements(store):
    from sqlalchemy import event
    seen = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", listener)
    try:
        with store.transaction() as connection:
            INSERT_CUSTOMER.execute(connection, {"phone": "+919800000006", "name": "Lena", "at": AT, "state": None})
            assert RENAME.execute(connection, {"phone": "+919800000006", "name": "Leni"}).rowcount == 1
            assert CUSTOMER.execute(connection, {"phone": "+919800000006"}).first()["name"] == "Leni"
    finally:
        event.remove(store.engine, "before_cursor_execute", listener)
    assert len(seen) == 3 and "INSERT INTO customers" in seen[0]
