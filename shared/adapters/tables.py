"""The current (head) schema, for queries. Migrations create it; a test checks they agree."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (JSON, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, MetaData, String,
                        Table, Text, UniqueConstraint)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Aware datetimes stored as naive UTC, read back as aware UTC, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a datetime without a timezone")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return value.replace(tzinfo=dt.timezone.utc)


metadata = MetaData()

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)

business_profile = Table(
    "business_profile", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(120), nullable=False),
    Column("category", String(60), nullable=False),
    Column("description", Text, nullable=False),
    Column("address", String(300), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("languages", JSON, nullable=False),
    Column("greeting", Text, nullable=False),
    Column("phone", String(32)),
    Column("slot_minutes", Integer, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("min_notice_minutes", Integer, nullable=False),
    Column("max_days_ahead", Integer, nullable=False),
    Column("buffer_minutes", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Approved WhatsApp templates per notification kind: {kind: {"content_sid": ..., "variables": [...]}}.
    Column("message_templates", JSON),
    # Hours before an approved booking its reminder goes out (NULL: the default; 0: no reminders).
    Column("reminder_hours", Integer),
    # Hours a waitlist offer stays open (NULL: the default).
    Column("waitlist_offer_hours", Integer),
)

config_version = Table(
    "config_version", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
)

opening_hours = Table(
    "opening_hours", metadata,
    Column("id", Integer, primary_key=True),
    Column("weekday", Integer, nullable=False),
    Column("opens", String(5), nullable=False),
    Column("closes", String(5), nullable=False),
)

closures = Table(
    "closures", metadata,
    Column("day", Date, primary_key=True),
)

services = Table(
    "services", metadata,
    Column("id", Integer, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name", String(80), nullable=False, unique=True),
    Column("duration_minutes", Integer, nullable=False),
    Column("price", String(80)),
    Column("aliases", JSON),  # the owner's other words for the service; NULL: none (rows from before v12)
)

faqs = Table(
    "faqs", metadata,
    Column("id", Integer, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("question", String(300), nullable=False),
    Column("answer", Text, nullable=False),
    Column("alternatives", JSON, nullable=False),
    Column("language", String(3)),
    Column("created_at", UTCDateTime, nullable=False),
)

customers = Table(
    "customers", metadata,
    Column("id", Integer, primary_key=True),
    Column("phone", String(32), nullable=False, unique=True),
    Column("name", String(120)),
    Column("language", String(3)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("opted_out_at", UTCDateTime),
    Column("state", JSON),
    Column("reply_language", String(12)),
    # The ledger row (inbound_messages.id, i.e. arrival order) of the last STOP/START applied: an older
    # one redelivered after a crash must not undo a newer one.
    Column("consent_seq", Integer),
)

chat_messages = Table(
    "chat_messages", metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
    Column("direction", String(3), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("message_id", String(200)),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_chat_messages_customer_time", "customer_id", "created_at"),
    Index("ix_chat_messages_time", "created_at", "direction"),
)

bookings = Table(
    "bookings", metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="SET NULL")),
    Column("customer_name", String(120), nullable=False),
    Column("customer_phone", String(32), nullable=False),
    Column("service", String(80), nullable=False),
    Column("requested_time", String(200), nullable=False),
    Column("scheduled_for", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("duration_minutes", Integer, nullable=False),
    Column("buffer_minutes", Integer, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("status", String(12), nullable=False),
    Column("source_message_id", String(200), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("cancel_reason", String(500)),
    Index("ix_bookings_status_time", "status", "scheduled_for"),
    Index("ix_bookings_phone_time", "customer_phone", "scheduled_for"),
    Index("ix_bookings_created", "created_at"),
)

leads = Table(
    "leads", metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="SET NULL")),
    Column("customer_name", String(120), nullable=False),
    Column("customer_phone", String(32), nullable=False),
    Column("requirement", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("source_message_id", String(200), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_leads_created", "created_at", "id"),
)

handoffs = Table(
    "handoffs", metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="SET NULL")),
    Column("customer_phone", String(32), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("status", String(12), nullable=False),
    Column("source_message_id", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime),
    # When the customer, writing again after the handoff was resolved, was told the assistant is back.
    Column("customer_told_at", UTCDateTime),
    Index("ix_handoffs_phone_status", "customer_phone", "status"),
)

inbound_messages = Table(
    "inbound_messages", metadata,
    Column("id", Integer, primary_key=True),
    Column("channel", String(20), nullable=False),
    Column("message_id", String(200), nullable=False),
    Column("sender", String(32), nullable=False),
    Column("status", String(12), nullable=False),
    Column("claimed_at", UTCDateTime, nullable=False),
    Column("lease_expires_at", UTCDateTime, nullable=False),
    Column("completed_at", UTCDateTime),
    Column("reply", Text),
    Column("action_type", String(20)),
    Column("action_id", Integer),
    Column("action_status", String(20)),
    UniqueConstraint("channel", "message_id", name="uq_inbound_channel_message"),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_phone", String(32), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    # When the latest send attempt started: a row 'sending' for long is recovered after a crash, and a
    # row back in 'pending' after a retryable failure waits a while counted from it.
    Column("sending_since", UTCDateTime),
    Column("provider_id", String(64)),
    # What the message is (booking_approved, booking_cancelled, ...; NULL: a reply the owner typed), the
    # booking it is about, and the values a WhatsApp template needs when it goes out after the 24-hour window.
    Column("kind", String(40)),
    Column("booking_id", Integer),
    Column("variables", JSON),
    # Why a row waits ("outside the 24-hour window: no approved template for booking_approved") or failed.
    Column("status_reason", String(300)),
    # Twilio's status callbacks: queued, sent, delivered, read, failed, undelivered; and its error code.
    Column("delivery_status", String(20)),
    Column("error_code", Integer),
    Column("delivery_updated_at", UTCDateTime),
    # Not before this time: the owner's alert digest collects what follows the first alert for a few minutes.
    Column("send_after", UTCDateTime),
    # The waitlist entry a waitlist_offer is about: one offer notice per entry.
    Column("waitlist_id", Integer),
    Index("uq_outbox_kind_booking", "kind", "booking_id", unique=True),
    Index("uq_outbox_kind_waitlist", "kind", "waitlist_id", unique=True),
    Index("ix_outbox_provider_id", "provider_id"),
    Index("ix_outbox_status", "status", "channel"),
    Index("ix_outbox_phone", "customer_phone", "id"),
)

waitlist = Table(
    "waitlist", metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="SET NULL")),
    Column("customer_name", String(120), nullable=False),
    Column("customer_phone", String(32), nullable=False),
    Column("service", String(80), nullable=False),
    Column("slot_start", UTCDateTime, nullable=False),
    # waiting -> offered -> accepted | declined | expired; waiting -> cancelled | expired (the slot passed)
    Column("status", String(12), nullable=False),
    # 1 while waiting or offered, NULL after: with the unique index, one active entry per customer and slot.
    Column("active", Integer),
    Column("offered_at", UTCDateTime),
    Column("expires_at", UTCDateTime),
    Column("booking_id", Integer),  # the pending request an accepted offer became
    Column("source_message_id", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("uq_waitlist_active", "customer_phone", "slot_start", "active", unique=True),
    Index("ix_waitlist_status_slot", "status", "slot_start"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(80), nullable=False),
    Column("action", String(80), nullable=False),
    Column("entity", String(40)),
    Column("entity_id", Integer),
    Column("detail", JSON, nullable=False),
    Index("ix_audit_log_at", "at", "id"),
    Index("ix_audit_log_action_at", "action", "at"),
)
