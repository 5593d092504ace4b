"""Property-based fuzzing of both endpoints: never a 500, never a write from a rejected request."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.webhook import (SENDER, TEST_CLIENT_URL, TWILIO_PATH, WEBHOOK_TOKEN, ScriptedInterpreter, app_config,
                           counts, sign)
from webhook_service import create_app

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])

text = st.text(st.characters(codec="utf-8"), max_size=60) | st.text(max_size=20)
json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(text, inner, max_size=3), max_leaves=8)
field_values = st.one_of(text, st.just(SENDER), st.just("+1 415 555 2671"), st.just("whatsapp:+919800000001"),
                         st.integers(), st.none(), st.lists(text, max_size=2), st.just("x" * 5000))
bodies = st.fixed_dictionaries({}, optional={"message_id": field_values, "sender": field_values,
                                             "text": field_values, "profile_name": field_values,
                                             "extra": field_values})
# Mostly-valid bodies, so the success path is fuzzed with arbitrary text, ids and names too.
valid_bodies = st.fixed_dictionaries({"message_id": st.text(min_size=1, max_size=80), "sender": st.just(SENDER),
                                      "text": text}, optional={"profile_name": text})
content_types = st.sampled_from(["application/json", "application/json; charset=latin-1", "text/plain",
                                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "",
                                 "application/json; charset=utf-16"])
header_values = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=40)


@pytest.fixture
def fuzz_app(demo_db):
    return create_app(app_config(demo_db, INTERPRETER=ScriptedInterpreter(), RATE_LIMIT="100000/minute"))


def _check(response, db, before):
    event(f"status {response.status_code}")
    assert response.status_code < 500, response.data[:300]
    if response.status_code >= 300:
        assert counts(db) == before, (response.status_code, response.data[:300])
        assert response.is_json


@FUZZ
@given(body=st.one_of(valid_bodies.map(lambda b: json.dumps(b).encode()), bodies.map(lambda b: json.dumps(b).encode()), json_values.map(lambda v: json.dumps(v).encode()),
                      st.binary(max_size=300), text.map(lambda s: s.encode("utf-8", "surrogatepass"))),
       content_type=content_types,
       auth=st.one_of(st.just(f"Bearer {WEBHOOK_TOKEN}"), st.just(f"Bearer {WEBHOOK_TOKEN}"),
                      st.just(f"Bearer {WEBHOOK_TOKEN}"), st.just(None), header_values,
                      header_values.map(lambda v: "Bearer " + v)))
def test_json_endpoint_never_fails_and_rejections_never_write(fuzz_app, demo_db, body, content_type, auth):
    client = fuzz_app.test_client()
    headers = {"Authorization": auth} if auth is not None else {}
    before = counts(demo_db)
    response = client.post("/webhook/json", data=body, headers=headers, content_type=content_type)
    _check(response, demo_db, before)
    if auth != f"Bearer {WEBHOOK_TOKEN}":
        assert response.status_code == 401


form_keys = st.sampled_from(["From", "Body", "MessageSid", "ProfileName", "WaId", "NumMedia", "Latitude",
                             "Longitude", "To", "SmsMessageSid", "Unknown"]) | st.text(min_size=1, max_size=10)
form_values = st.one_of(text, st.just("whatsapp:+919800000001"), st.just("+919800000001"),
                        st.just("SM" + "a" * 32), st.integers().map(str), st.just(""), st.just("\x00"))
forms = st.dictionaries(form_keys, form_values, max_size=8) | st.fixed_dictionaries(
    {"From": st.just("whatsapp:" + SENDER), "MessageSid": st.text(min_size=1, max_size=40), "Body": text},
    optional={"ProfileName": text, "NumMedia": form_values, "Latitude": form_values, "Longitude": form_values})


@FUZZ
@given(params=forms, signed=st.booleans(), raw=st.none() | st.binary(max_size=200), content_type=content_types,
       signature=header_values)
def test_twilio_endpoint_never_fails_and_rejections_never_write(fuzz_app, demo_db, params, signed, raw,
                                                                content_type, signature):
    client = fuzz_app.test_client()
    before = counts(demo_db)
    if raw is not None:
        # Raw bytes in any encoding: at best a 400/403, never a 500.
        response = client.post(TWILIO_PATH, data=raw, content_type=content_type or "application/octet-stream",
                               headers={"X-Twilio-Signature": signature})
    else:
        clean = {k: v for k, v in params.items() if "\x00" not in k}
        header = sign(clean, TEST_CLIENT_URL) if signed else signature
        response = client.post(TWILIO_PATH, data=clean, headers={"X-Twilio-Signature": header})
    _check(response, demo_db, before)
    if raw is not None or not signed:
        assert response.status_code in (400, 403, 413)


@FUZZ
@given(path=st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=30),
       method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]))
def test_any_path_and_method_answers_without_a_500(fuzz_app, demo_db, path, method):
    before = counts(demo_db)
    # "//x" would be read by the test client as a host name, not a path of this app.
    response = fuzz_app.test_client().open("/" + urllib.parse.quote(path.lstrip("/"), safe="/?=&"),
                                           method=method)
    assert response.status_code < 500
    if response.status_code >= 300 and method != "HEAD":
        assert response.is_json
    if not path.startswith("webhook/"):
        assert counts(demo_db) == before
