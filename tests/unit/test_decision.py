"""The decision type: strict, capped, and complete for its action."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.domain.decision import ActionType, Decision


def test_accepts_a_plain_answer():
    assert Decision(reply="We open at 6.").action is ActionType.NONE


def test_rejects_unknown_fields():
    with pytest.raises(ValidationError):
        Decision.model_validate({"reply": "ok", "confirmed": True})


def test_rejects_a_booking_without_its_time():
    with pytest.raises(ValidationError, match="scheduled_for"):
        Decision.model_validate({"reply": "ok", "action": "booking", "service": "Yoga", "requested_time": "now"})


def test_rejects_a_booking_time_without_a_timezone():
    with pytest.raises(ValidationError):
        Decision.model_validate({"reply": "ok", "action": "booking", "service": "Yoga", "requested_time": "10",
                                 "scheduled_for": "2026-06-16T10:00:00"})


def test_rejects_a_lead_without_a_requirement():
    with pytest.raises(ValidationError, match="requirement"):
        Decision.model_validate({"reply": "ok", "action": "lead"})


def test_rejects_replies_over_the_whatsapp_cap():
    with pytest.raises(ValidationError):
        Decision(reply="x" * 1601)


def test_rejects_an_unknown_action():
    with pytest.raises(ValidationError):
        Decision.model_validate({"reply": "ok", "action": "approve_booking"})


def test_rejects_answers_given_with_anything_but_a_handoff():
    with pytest.raises(ValidationError, match="answered goes with action handoff only"):
        Decision.model_validate({"reply": "hi", "action": "none", "answered": "We open at 6."})
    assert Decision.model_validate({"reply": "hi", "action": "handoff", "answered": "We open at 6."}).answered
