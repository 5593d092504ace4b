"""POST /webhook/twilio/status: Twilio's delivery status of what the outbox sent, signed like the inbound webhook."""

from __future__ import annotations

from sqlalchemy import select

from shared.adapters import repository as repo
from shared.adapters import tables as t
from tests.conftest import FROZEN_NOW
from tests.webhook import SENDER, app_config, sign
from webhook_service import create_app

PATH = "/webhook/twilio/status"
URL = "http://localhost" + PATH
SID = "SM" + "e" * 32


def _sent_row(db) -> int:
    with db.transaction() as connection:
        repo.upsert_customer(connection, SENDER, "Priya", FROZEN_NOW)
        outbox_id = repo.queue_outbound(connection, phone=SENDER, channel="whatsapp", body="On my way.",
                                        now=FROZEN_NOW)
        connection.execute(t.outbox.update().where(t.outbox.c.id == outbox_id).values(status="sent",
                                                                                       provider_id=SID))
    return outbox_id


def _post(client, params: dict, *, signature: str | None = None):
    return client.post(PATH, data=params, headers={"X-Twilio-Signature": signature or sign(params, URL)})


def _delivery(db) -> tuple:
    with db.read() as connection:
        return tuple(connection.execute(select(t.outbox.c.delivery_status, t.outbox.c.error_code)).one())


def test_a_signed_status_callback_is_recorded_on_its_outbox_row(demo_db):
    _sent_row(demo_db)
    client = create_app(app_config(demo_db)).test_client()
    response = _post(client, {"MessageSid": SID, "MessageStatus": "delivered", "AccountSid": "AC" + "0" * 32})
    assert response.status_code == 200 and response.get_json() == {"recorded": True}
    assert _delivery(demo_db) == ("delivered", None)


def test_an_unsigned_or_forged_status_callback_is_refused_and_changes_nothing(demo_db):
    _sent_row(demo_db)
    client = create_app(app_config(demo_db)).test_client()
    params = {"MessageSid": SID, "MessageStatus": "failed", "ErrorCode": "30008"}
    assert client.post(PATH, data=params).status_code == 403
    assert _post(client, params, signature="forged").status_code == 403
    assert _delivery(demo_db) == (None, None)


def test_callbacks_out_of_order_never_move_the_status_back(demo_db):
    _sent_row(demo_db)
    client = create_app(app_config(demo_db)).test_client()
    for status in ("sent", "read", "delivered"):
        _post(client, {"MessageSid": SID, "MessageStatus": status})
    assert _delivery(demo_db) == ("read", None)


def test_an_undelivered_message_keeps_twilios_error_code(demo_db):
    _sent_row(demo_db)
    client = create_app(app_config(demo_db)).test_client()
    _post(client, {"MessageSid": SID, "MessageStatus": "undelivered", "ErrorCode": "63016"})
    assert _delivery(demo_db) == ("undelivered", 63016)


def test_a_callback_without_a_message_sid_is_a_400_naming_the_field(demo_db):
    client = create_app(app_config(demo_db)).test_client()
    response = _post(client, {"MessageStatus": "sent"})
    assert response.status_code == 400 and response.get_json()["errors"][0]["field"] == "MessageSid"
