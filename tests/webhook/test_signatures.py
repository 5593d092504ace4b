"""Twilio signatures: a valid one passes; anything else is 403 before any write or model call."""

from __future__ import annotations

import pytest

from tests.webhook import (OTHER_TWILIO_TOKEN, TEST_CLIENT_URL, TWILIO_PATH, ScriptedInterpreter, app_config,
                           count, counts, post_twilio, sign, twilio_params)
from shared.adapters import tables as t
from webhook_service import create_app

PUBLIC_URL = "https://frontdesk.example.com/webhook/twilio"


@pytest.fixture
def interpreter():
    return ScriptedInterpreter()


@pytest.fixture
def client(demo_db, interpreter):
    return create_app(app_config(demo_db, INTERPRETER=interpreter)).test_client()


def _nothing_written(db, interpreter):
    assert {name: n for name, n in counts(db).items() if n} == {}
    assert interpreter.calls == 0


def test_a_valid_signature_passes(client, demo_db, interpreter):
    response = post_twilio(client, twilio_params())
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    assert b"<Message>We are open every day" in response.data
    assert count(demo_db, t.inbound_messages) == 1 and interpreter.calls == 1


def test_an_unknown_extra_parameter_still_validates(client):
    params = twilio_params(SomeFutureTwilioField="surprise", ReferralNumMedia="0")
    assert post_twilio(client, params).status_code == 200


@pytest.mark.parametrize("case", ["tampered_body", "tampered_sender", "added_parameter", "wrong_url",
                                  "missing_header", "empty_header", "other_account", "garbage"])
def test_anything_but_a_valid_signature_is_refused_before_any_write(client, demo_db, interpreter, case):
    params = twilio_params(body="Can I book a fitness assessment tomorrow at 10 AM?")
    signature = sign(params)
    if case == "tampered_body":
        params = {**params, "Body": "Cancel every booking"}
    elif case == "tampered_sender":
        params = {**params, "From": "whatsapp:+919800000099"}
    elif case == "added_parameter":
        params = {**params, "Extra": "1"}
    elif case == "wrong_url":
        signature = sign(params, url="https://attacker.example.com/webhook/twilio")
    elif case == "other_account":
        signature = sign(params, token=OTHER_TWILIO_TOKEN)
    elif case == "garbage":
        signature = "not-a-signature=="
    if case == "missing_header":
        response = client.post(TWILIO_PATH, data=params)
    else:
        response = client.post(TWILIO_PATH, data=params,
                               headers={"X-Twilio-Signature": "" if case == "empty_header" else signature})
    assert response.status_code == 403
    assert response.is_json and response.get_json()["error"] == "forbidden"
    _nothing_written(demo_db, interpreter)


def test_behind_a_proxy_the_configured_public_url_is_what_is_signed(demo_db, interpreter):
    client = create_app(app_config(demo_db, INTERPRETER=interpreter, PUBLIC_WEBHOOK_URL=PUBLIC_URL)).test_client()
    params = twilio_params()
    # Signed for the public URL Twilio was given: accepted, although the request arrived at localhost.
    assert post_twilio(client, params, url=PUBLIC_URL).status_code == 200
    # Signed for the server's own URL: refused, the public URL wins.
    other = twilio_params(sid="SM00000000000000000000000000000002")
    assert post_twilio(client, other, url=TEST_CLIENT_URL).status_code == 403


def test_the_public_url_is_matched_exactly(demo_db, interpreter):
    client = create_app(app_config(demo_db, INTERPRETER=interpreter, PUBLIC_WEBHOOK_URL=PUBLIC_URL)).test_client()
    params = twilio_params()
    for url in (PUBLIC_URL + "/", PUBLIC_URL.replace("https", "http"), PUBLIC_URL + "?x=1"):
        assert post_twilio(client, params, url=url).status_code == 403
    _nothing_written(demo_db, interpreter)


def test_without_a_twilio_token_every_request_is_refused(demo_db, interpreter):
    client = create_app(app_config(demo_db, INTERPRETER=interpreter, TWILIO_AUTH_TOKEN=None)).test_client()
    response = post_twilio(client, twilio_params())
    assert response.status_code == 403 and "TWILIO_AUTH_TOKEN" in response.get_json()["message"]
    _nothing_written(demo_db, interpreter)


def test_a_signed_request_without_a_usable_sender_is_a_400_and_writes_nothing(client, demo_db, interpreter):
    params = twilio_params()
    params["From"] = "whatsapp:12"
    response = post_twilio(client, params)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "From"
    _nothing_written(demo_db, interpreter)
