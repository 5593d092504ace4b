"""Helpers every dashboard page uses: settings, the cached database, cached reads, formatting.

Reads are cached for a few seconds (`st.cache_data(ttl=5)`) and keyed by the database URL, so two
databases never share a cache entry; every write calls `after_write()`, which drops those caches.
Pages never touch SQL: they call `shared.services`.
"""

from __future__ import annotations

import datetime as dt
import gc

import pandas  # noqa: F401 - imported by most pages; loaded here so it is frozen below with the rest
import streamlit as st

from owner_app import access
from shared.adapters.db import Database
from shared.bootstrap import shared_database
from shared.config import Settings, SettingsError, get_settings
from shared.domain.errors import DomainError
from shared.domain.models import Booking, BusinessConfig, Faq, Lead
from shared.services import bookings, business, leads, reports

# Everything imported by now (Streamlit, pandas, the services) lives as long as the dashboard process. A full
# garbage collection walked all of it in the middle of some page's script: with 10,000 bookings, single cold
# runs took 156-211 ms against a median of 80-130 ms (bench/dashboard_pages.py). Frozen objects are left out of
# collections; what pages allocate is collected as usual. The webhook does the same at start-up. This module is
# imported once per process, by the router.
gc.collect()
gc.freeze()

READ_TTL_S = 5
DASHBOARD_ACTOR = "owner (dashboard)"


# --- settings, access and the database -----------------------------------------------------------------

def settings() -> Settings:
    """The process settings; a bad variable stops the page with a message naming it."""
    try:
        return get_settings()
    except SettingsError as error:
        st.error(f"The settings are invalid, fix them in the environment or `.env` and restart:\n\n```\n{error}\n```")
        st.stop()
        raise  # unreachable: st.stop() ends the run


def page(title: str, caption: str | None = None) -> Settings:
    """Every page starts here: settings, the access gate, the title. Returns the settings."""
    current = settings()
    access.gate(current, banner=False)
    st.title(title)
    if caption:
        st.caption(caption)
    return current


@st.cache_resource(show_spinner=False)
def _database(url: str) -> Database:
    return shared_database(url)


def database() -> Database:
    """The process-wide Database for DATABASE_URL (opened and migrated once)."""
    url = settings().database_url
    try:
        return _database(url)
    except Exception as error:  # the page must say what is wrong instead of a traceback
        st.error(f"Cannot open the database (DATABASE_URL): {type(error).__name__}: {error}")
        st.stop()
        raise


def db_url() -> str:
    return settings().database_url


def after_write() -> None:
    """Forget every cached read after a write, so the next run shows the new state."""
    st.cache_data.clear()


def change_each(ids, change, *, done_label: str, noun: str, clear_key: str, failed_key: str | None = None) -> None:
    """Apply `change(id)` to every selected record, flash what worked and what was refused, then rerun.

    With `failed_key`, the ids that were refused are kept there (a page can keep them selected)."""
    done, failed = [], []
    for record_id in ids:
        try:
            change(record_id)
            done.append(record_id)
        except DomainError as error:
            failed.append((record_id, error.message))
    after_write()
    if done:
        flash(f"{done_label}: " + ", ".join(f"#{i}" for i in done) + ".")
    for record_id, message in failed:
        flash(f"{noun} #{record_id}: {message}", "error")
    if failed_key is not None:
        st.session_state[failed_key] = [record_id for record_id, _ in failed]
    st.session_state[clear_key] = True
    st.rerun()


def flash(message: str, kind: str = "success") -> None:
    """Show `message` on the next run (after st.rerun())."""
    st.session_state.setdefault("_flash", []).append((kind, message))


def show_flashes() -> None:
    for kind, message in st.session_state.pop("_flash", []):
        {"success": st.success, "error": st.error, "warning": st.warning}.get(kind, st.info)(message)


# --- cached reads (keyed by the database URL) ----------------------------------------------------------

@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _business(url: str) -> BusinessConfig | None:
    return business.load_business(_database(url))


def load_business() -> BusinessConfig | None:
    return _business(db_url())


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _faqs(url: str) -> list[tuple[int, Faq]]:
    return business.list_faqs(_database(url))


def list_faqs() -> list[tuple[int, Faq]]:
    return _faqs(db_url())


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _bookings(url: str, status: str | None, start: dt.datetime | None, end: dt.datetime | None) -> list[Booking]:
    return bookings.list_bookings(_database(url), status=status, start=start, end=end)


def list_bookings(status: str | None = None, start: dt.datetime | None = None,
                  end: dt.datetime | None = None) -> list[Booking]:
    return _bookings(db_url(), status, start, end)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _leads(url: str, status: str | None) -> list[Lead]:
    return leads.list_leads(_database(url), status=status)


def list_leads(status: str | None = None) -> list[Lead]:
    return _leads(db_url(), status)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _outbox(url: str) -> dict[str, int]:
    from shared.services.outbox import outbox_counts
    return outbox_counts(_database(url))


def outbox() -> dict[str, int]:
    """Outbox rows per status (pending, waiting, sending, sent, failed)."""
    return _outbox(db_url())


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _customer_outbox(url: str, phone: str) -> list:
    from shared.services.outbox import customer_outbox
    return customer_outbox(_database(url), phone)


def customer_outbox(phone: str) -> list:
    """What the business sent this customer, newest first (OutboxLine)."""
    return _customer_outbox(db_url(), phone)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _counts(url: str) -> reports.Counts:
    return reports.counts(_database(url))


def counts() -> reports.Counts:
    return _counts(db_url())


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _activity(url: str, days: int) -> list[reports.DayActivity]:
    return reports.activity_per_day(_database(url), days)


def activity_per_day(days: int) -> list[reports.DayActivity]:
    return _activity(db_url(), days)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _reply_times(url: str, days: int) -> list[reports.DayReplyTime]:
    return reports.reply_times_per_day(_database(url), days)


def reply_times_per_day(days: int) -> list[reports.DayReplyTime]:
    return _reply_times(db_url(), days)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _audit(url: str, limit: int) -> list[reports.AuditEntry]:
    return reports.recent_audit(_database(url), limit)


def recent_audit(limit: int = 20) -> list[reports.AuditEntry]:
    return _audit(db_url(), limit)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _conversations(url: str, limit: int) -> list[reports.ConversationSummary]:
    return reports.conversations(_database(url), limit=limit)


def conversations(limit: int = 100) -> list[reports.ConversationSummary]:
    return _conversations(db_url(), limit)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _transcript(url: str, phone: str) -> list[reports.ChatLine]:
    return reports.transcript(_database(url), phone)


def transcript(phone: str) -> list[reports.ChatLine]:
    return _transcript(db_url(), phone)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def _handoff_queue(url: str) -> list[reports.QueuedHandoff]:
    return reports.handoff_queue(_database(url))


def handoff_queue() -> list[reports.QueuedHandoff]:
    """The open handoffs, the longest waiting first, with the customer's name and last message."""
    return _handoff_queue(db_url())


# --- formatting ----------------------------------------------------------------------------------------

def local(at: dt.datetime | None, zone) -> str:
    """A timestamp in the business timezone, e.g. 'Mon 15 Jun 2026 11:00'."""
    if at is None:
        return ""
    return at.astimezone(zone).strftime("%a %d %b %Y %H:%M")


def waited(since: dt.datetime, now: dt.datetime | None = None) -> str:
    """How long ago `since` was, in the unit an owner reads at a glance: '4 min', '3 h', '2 d'."""
    seconds = max(0, ((now or dt.datetime.now(dt.timezone.utc)) - since).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


def shorten(text: str | None, limit: int = 80) -> str:
    """One line of at most `limit` characters, an ellipsis where it was cut."""
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"


def require_business_or_stop() -> BusinessConfig:
    """The business configuration; without one, point to Set up and stop the page."""
    config = load_business()
    if config is None:
        st.info("No business is set up yet. Fill in **Business setup** (or import a configuration file there), "
                "or run `python -m owner_app.admin init-demo` to load the demo gym.")
        st.stop()
    return config

