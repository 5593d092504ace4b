"""The JSON endpoint: token, validation with field/reason lists, and the response shape."""

from __future__ import annotations

import pytest

from tests.webhook import (OPEN_REPLY, SENDER, WEBHOOK_TOKEN, ScriptedInterpreter, app_config, counts, post_json)
from webhook_service import create_app


@pytest.fixture
def interpreter():
    return ScriptedInterpreter()


@pytest.fixture
def client(demo_db, interpreter):
    return create_app(app_config(demo_db, INTERPRETER=interpreter)).test_client()


def good(**changes) -> dict:
    return {"message_id": "msg-1", "sender": SENDER, "text": "When do you open?", "profile_name": "Priya", **changes}


@pytest.mark.parametrize("header", ["bearer", "x-webhook-token"])
def test_a_good_token_gets_the_reply_and_the_action(client, header):
    response = post_json(client, good(), header=header)
    assert response.status_code == 200
    assert response.get_json() == {"message_id": "msg-1", "reply": OPEN_REPLY,
                                   "action": {"type": "none", "id": None, "status": None}, "duplicate": False}


def test_a_booking_reports_its_record(client):
    body = post_json(client, good(text="Can I book a fitness assessment tomorrow at 10 AM?")).get_json()
    assert body["action"]["type"] == "booking" and body["action"]["status"] == "pending"
    assert isinstance(body["action"]["id"], int)
    assert body["reply"].startswith("Thanks Priya!")


@pytest.mark.parametrize("token,header", [(None, "bearer"), ("wrong", "bearer"), ("", "bearer"),
                                          (WEBHOOK_TOKEN + "x", "bearer"), ("wrong", "x-webhook-token"),
                                          (WEBHOOK_TOKEN[:-1], "x-webhook-token"), ("ünïcödé", "bearer")])
def test_a_missing_or_wrong_token_is_a_401_and_writes_nothing(client, demo_db, interpreter, token, header):
    response = post_json(client, good(), token=token, header=header)
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"
    assert not any(counts(demo_db).values()) and interpreter.calls == 0


def test_other_authorization_schemes_are_refused(client):
    response = client.post("/webhook/json", json=good(), headers={"Authorization": f"Basic {WEBHOOK_TOKEN}"})
    assert response.status_code == 401


def test_without_a_configured_token_the_endpoint_is_closed_and_says_why(demo_db, interpreter):
    client = create_app(app_config(demo_db, INTERPRETER=interpreter, WEBHOOK_TOKEN=None)).test_client()
    for token in (None, "", "anything"):
        response = post_json(client, good(), token=token)
        assert response.status_code == 401
        assert "WEBHOOK_TOKEN is not set" in response.get_json()["message"]
    assert not any(counts(demo_db).values())


@pytest.mark.parametrize("body,fields", [
    (b"not json", {"(body)"}),
    (b"", {"(body)"}),
    (b"[1, 2]", {"(body)"}),
    (b"\xff\xfe\x00", {"(body)"}),
    ({"sender": SENDER, "text": "hi"}, {"message_id"}),
    ({"message_id": "m", "text": "hi"}, {"sender"}),
    ({"message_id": "m", "sender": SENDER}, {"text"}),
    ({"message_id": 5, "sender": SENDER, "text": "hi"}, {"message_id"}),
    ({"message_id": "m", "sender": "12345", "text": "hi"}, {"sender"}),
    ({"message_id": "m", "sender": "+1 not a phone", "text": "hi"}, {"sender"}),
    ({"message_id": "m", "sender": SENDER, "text": ["hi"]}, {"text"}),
    ({"message_id": "m", "sender": SENDER, "text": "x" * 4097}, {"text"}),
    ({"message_id": "", "sender": SENDER, "text": "hi"}, {"message_id"}),
    ({"message_id": "m" * 201, "sender": SENDER, "text": "hi"}, {"message_id"}),
    ({"message_id": "m", "sender": SENDER, "text": "hi", "profile_name": "n" * 121}, {"profile_name"}),
    ({"message_id": "m", "sender": SENDER, "text": "hi", "admin": True}, {"admin"}),
    ({"message_id": "m\u0000", "sender": SENDER, "text": "hi"}, {"message_id"}),
    ({"message_id": "m", "sender": SENDER, "text": "\ud800"}, {"text"}),
    ({}, {"message_id", "sender", "text"}),
])
def test_invalid_bodies_are_a_400_listing_every_field_and_write_nothing(client, demo_db, interpreter, body, fields):
    response = post_json(client, body)
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert {e["field"] for e in errors} == fields
    assert all(isinstance(e["reason"], str) and e["reason"] for e in errors)
    assert not any(counts(demo_db).values()) and interpreter.calls == 0


def test_the_sender_is_normalised_to_e164(client, demo_db):
    body = post_json(client, good(sender="+91 98000 00001")).get_json()
    assert body["reply"] == OPEN_REPLY


def test_a_completed_duplicate_returns_the_stored_reply_without_running_again(client, interpreter):
    first = post_json(client, good(text="Can I book a fitness assessment tomorrow at 10 AM?")).get_json()
    second = post_json(client, good(text="Can I book a fitness assessment tomorrow at 10 AM?")).get_json()
    assert interpreter.calls == 1
    assert second == {**first, "duplicate": True}


def test_an_empty_text_gets_the_capabilities_reply(client, demo_db, interpreter):
    body = post_json(client, good(text="   ")).get_json()
    assert "booking" in body["reply"] and "call back" in body["reply"]
    assert interpreter.calls == 0
    assert counts(demo_db)["chat_messages"] == 2
