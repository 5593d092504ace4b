"""The assistant's own sentences (not the owner's FAQ text), by language, with English as fallback."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_datetime

CATALOG: dict[str, dict[str, str]] = {
    "en": {
        "safe_reply": "Sorry, I can't answer that reliably right now. I've passed your message to the team "
                      "and a person will reply here soon.",
        "unclear": "Sorry, I didn't quite get that. I can answer questions about {business}, request a booking "
                   "for you, or arrange a call back.",
        "handoff": "I've passed your message to the team; a person will reply here soon.",
        "booking_requested": "Thanks{name}! I've sent your request for {service} on {when} to the team. "
                             "It is not confirmed yet: you'll get a message once they approve it.",
        "booking_exists": "You already have a request for {service} on {when}; its status is {status}.",
        "refused_in_past": "That time has already passed. Which day and time would suit you?",
        "refused_too_soon": "That is too soon for us to prepare; please pick a later time.",
        "refused_too_far_ahead": "We take requests up to {days} days ahead; please pick an earlier date.",
        "refused_closed_date": "We are closed on that date.",
        "refused_outside_opening_hours": "That time is outside our opening hours.",
        "refused_slot_full": "That time is fully booked.",
        "refused_unknown_service": "I couldn't find that service. We offer: {services}.",
        "refused_time_without_timezone": "Which day and time would suit you?",
        "alternatives": "Free times nearby: {times}. Would one of these work?",
        "no_alternatives": "Which other day or time would suit you?",
        "lead_captured": "Thanks{name}! I've noted that you'd like a call back about: {requirement}. "
                         "The team will call you.",
        "cancelled": "Your booking for {service} on {when} is cancelled.",
        "no_booking_to_cancel": "I couldn't find an upcoming booking of yours to cancel.",
        "cannot_cancel": "That booking can no longer be cancelled here; I've asked the team to help.",
    },
}


def text(key: str, language: str | None = None, **values: object) -> str:
    """The sentence `key` in `language` (falling back to English), filled with values."""
    catalog = CATALOG.get((language or "en").lower(), CATALOG["en"])
    template = catalog.get(key) or CATALOG["en"][key]
    return template.format(**values)


def when(moment: dt.datetime, language: str | None = None) -> str:
    """A local date and time the way a person in that language writes it."""
    try:
        return format_datetime(moment, "EEEE d MMMM, h:mm a" if (language or "en") == "en" else "EEEE d MMMM, HH:mm",
                               tzinfo=moment.tzinfo, locale=language or "en")
    except Exception:  # an unknown locale falls back to English rather than failing the reply
        return format_datetime(moment, "EEEE d MMMM, h:mm a", tzinfo=moment.tzinfo, locale="en")
