"""The owner hears first: a short WhatsApp alert for each new booking request, lead and handoff.

Handlers of `BookingRequested`, `LeadCaptured` and `HandoffOpened`, run in the transaction that stored
the record. Each OWNER_WHATSAPP number gets the first alert at once; what follows within
OWNER_ALERT_DIGEST_MINUTES is folded into one digest sent when that window ends, so twenty requests in a
minute make two messages, not twenty. Alerts travel through the outbox like any message: WhatsApp's
24-hour window applies (the owner's own message to the business number opens it; an approved
`owner_alert` / `owner_digest` template is used otherwise), and each carries a link to the dashboard page.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import Connection

from ..adapters import repository as repo
from ..config import Settings, get_settings
from ..domain import events, messages
from ..domain.models import mask_phone

log = logging.getLogger(__name__)

#: At most this many items are written out in a digest; the rest are counted.
DIGEST_ITEMS = 8


def alert_owner_of_booking_request(connection: Connection, event: events.BookingRequested,
                                   now: dt.datetime, settings: Settings | None = None) -> None:
    """Alert the owner of a new booking request (link: Bookings)."""
    booking = event.booking
    _alert(connection, now, settings or get_settings(), "bookings", "owner_new_booking",
           lambda language: {"name": booking.customer_name, "service": booking.service,
                             "when": messages.when(booking.scheduled_for, language)})


def alert_owner_of_lead(connection: Connection, event: events.LeadCaptured, now: dt.datetime,
                        settings: Settings | None = None) -> None:
    """Alert the owner of a new call-back lead (link: Leads)."""
    lead = event.lead
    _alert(connection, now, settings or get_settings(), "leads", "owner_new_lead",
           lambda language: {"name": lead.customer_name, "requirement": lead.requirement[:160].rstrip(" .?!")})


def alert_owner_of_handoff(connection: Connection, event: events.HandoffOpened, now: dt.datetime,
                           settings: Settings | None = None) -> None:
    """Alert the owner that a customer waits for a person (link: Conversations)."""
    _alert(connection, now, settings or get_settings(), "conversations", "owner_new_handoff",
           lambda language: {"name": event.customer_name or event.phone, "reason": event.reason[:160]})


def _alert(connection: Connection, now: dt.datetime, settings: Settings, page: str, key: str, values) -> None:
    numbers = settings.owner_numbers
    if not numbers:
        return
    config = repo.load_config(connection)
    language = config.business.default_language if config is not None else "en"
    item = messages.text(key, language, **values(language))
    window = dt.timedelta(minutes=settings.owner_alert_digest_minutes)
    for phone in numbers:
        latest = repo.latest_owner_alert(connection, phone)
        if latest is not None and latest["kind"] == "owner_digest" and latest["status"] == "pending":
            if _extend(connection, latest, item, language, settings):
                continue
        moment = latest and (latest["send_after"] or latest["created_at"])
        if window and moment is not None and now - moment < window:
            # Something went out moments ago: collect this one until the window ends.
            variables = {"items": [item], "count": "1", "link": settings.dashboard_link}
            repo.queue_owner_alert(connection, phone=phone, kind="owner_digest", variables=variables, now=now,
                                   body=_digest_body(variables, language), send_after=moment + window)
            log.info("owner alert for %s starts a digest", mask_phone(phone))
            continue
        link = f"{settings.dashboard_link}/{page}"
        repo.queue_owner_alert(connection, phone=phone, kind="owner_alert", now=now,
                               body=messages.text("owner_alert", language, summary=item, link=link),
                               variables={"summary": item, "link": link})


def _extend(connection: Connection, digest, item: str, language: str, settings: Settings) -> bool:
    variables = dict(digest["variables"] or {})
    items = [*variables.get("items", []), item]
    variables.update(items=items, count=str(len(items)), link=settings.dashboard_link)
    return repo.extend_owner_digest(connection, digest["id"], body=_digest_body(variables, language),
                                    variables=variables)


def _digest_body(variables: dict, language: str) -> str:
    items = variables["items"]
    listed = " · ".join(items[:DIGEST_ITEMS])
    if len(items) > DIGEST_ITEMS:
        listed += " · " + messages.text("owner_digest_more", language, count=len(items) - DIGEST_ITEMS)
    return messages.text("owner_digest", language, count=len(items), items=listed, link=variables["link"])
