"""Lead verbs: capture a callback request, move it along, list and export it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from ..adapters import repository as repo
from ..adapters import tables as t
from ..adapters.db import Database
from ..clock import system_clock
from ..domain import events
from ..domain.errors import InvalidInput, NotFound
from ..domain.models import Lead, LeadRequest, LeadStatus, mask_phone
from ..domain.rules import move_lead
from . import messagebus

#: The CSV an owner downloads: what a person reads, no internal columns; the time's column names the zone.
CSV_COLUMNS = ("Lead #", "Received ({zone})", "Name", "Phone", "Wants", "Status")


@dataclass(frozen=True)
class LeadOutcome:
    """The lead for a message, and whether this call created it."""

    lead: Lead
    created: bool


def capture_lead_in(connection: Connection, request: LeadRequest, *, now: dt.datetime, actor: str = "assistant",
                    customer_id: int | None = None) -> LeadOutcome:
    """Store a new lead inside the caller's transaction; a repeated source message returns the first."""
    earlier = repo.lead_by_source(connection, request.source_message_id)
    if earlier is not None:
        return LeadOutcome(earlier, created=False)
    if customer_id is None:
        customer_id = repo.upsert_customer(connection, request.customer_phone, request.customer_name, now)
    lead_id = repo.insert_lead(connection, dict(
        customer_id=customer_id, customer_name=request.customer_name, customer_phone=request.customer_phone,
        requirement=request.requirement, status=str(LeadStatus.NEW), source_message_id=request.source_message_id,
        created_at=now, updated_at=now))
    if lead_id is None:
        return LeadOutcome(repo.lead_by_source(connection, request.source_message_id), created=False)
    repo.audit(connection, actor=actor, action="lead.capture", entity="lead", entity_id=lead_id,
               detail={"customer": mask_phone(request.customer_phone)}, now=now)
    lead = repo.get_lead(connection, lead_id)
    messagebus.handle(connection, events.LeadCaptured(lead), now)
    return LeadOutcome(lead, created=True)


def capture_lead(db: Database, request: LeadRequest, *, now: dt.datetime | None = None,
                 actor: str = "assistant") -> LeadOutcome:
    """Store a callback lead in one transaction (idempotent per source message)."""
    with db.transaction() as connection:
        return capture_lead_in(connection, request, now=now or system_clock(), actor=actor)


def _status(value: LeadStatus | str) -> LeadStatus:
    try:
        return LeadStatus(value)
    except ValueError:
        raise InvalidInput(f"Unknown lead status {value!r}; use one of: "
                           + ", ".join(s.value for s in LeadStatus)) from None


def set_lead_status(db: Database, lead_id: int, target: LeadStatus | str, *, actor: str = "owner",
                    now: dt.datetime | None = None) -> Lead:
    """Move a lead new → contacted → closed (or straight to closed)."""
    target, now = _status(target), now or system_clock()
    with db.transaction() as connection:
        lead = repo.get_lead(connection, lead_id)
        if lead is None:
            raise NotFound(f"No lead with id {lead_id}.")
        move_lead(lead.status, target)
        repo.set_lead_status(connection, lead_id, target, now)
        repo.audit(connection, actor=actor, action=f"lead.{target.value}", entity="lead", entity_id=lead_id,
                   detail={"from": lead.status.value}, now=now)
        return repo.get_lead(connection, lead_id)


def list_leads(db: Database, *, status: LeadStatus | str | None = None) -> list[Lead]:
    """Leads, newest first, optionally of one status."""
    statuses = [_status(status)] if status is not None else None
    with db.read() as connection:
        return repo.list_leads(connection, statuses=statuses)


def lead_as_json(lead: Lead) -> dict:
    """The public JSON shape of a lead (CLI `--json`): every field, times in UTC."""
    return {"id": lead.id, "customer_name": lead.customer_name, "customer_phone": lead.customer_phone,
            "requirement": lead.requirement, "status": lead.status.value,
            "source_message_id": lead.source_message_id, "created_at": lead.created_at.isoformat()}


def csv_header(timezone: str | None) -> list[str]:
    """The CSV's header row for a business in `timezone` (None: no business yet, times in UTC)."""
    return [column.format(zone=timezone or "UTC") for column in CSV_COLUMNS]


def leads_to_csv(leads: list[Lead], timezone: str | None) -> str:
    """CSV text with a header row and one row per lead, in the order given (the page's and `list_leads`'s:
    newest first). Times are the business's local time as ISO 8601 with its UTC offset
    (2026-06-15T09:00:00+05:30), so a spreadsheet sorts them and a DST change stays unambiguous."""
    zone = ZoneInfo(timezone) if timezone else dt.timezone.utc
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_header(timezone))
    for lead in leads:
        writer.writerow(_defuse_formulas([lead.id, lead.created_at.astimezone(zone).isoformat(timespec="seconds"),
                                          lead.customer_name, lead.customer_phone, lead.requirement,
                                          lead.status.value]))
    return buffer.getvalue()


def export_csv(db: Database, *, status: LeadStatus | str | None = None) -> tuple[int, str]:
    """The leads (optionally of one status) as CSV in the business's timezone, read in one snapshot;
    returns how many and the text."""
    statuses = [_status(status)] if status is not None else None
    with db.read() as connection:
        timezone = connection.execute(select(t.business_profile.c.timezone)
                                      .where(t.business_profile.c.id == 1)).scalar()
        rows = repo.list_leads(connection, statuses=statuses)
    return len(rows), leads_to_csv(rows, timezone)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


_PHONE = 3  # the CSV column of the phone number


def _defuse_formulas(row: list) -> list:
    # Customer-written text opened in a spreadsheet must not run as a formula (CSV injection);
    # phone numbers start with "+" by design and are digits only, so they are left alone.
    return [("'" + value if index != _PHONE and isinstance(value, str) and value.startswith(_FORMULA_STARTS)
             else value) for index, value in enumerate(row)]
