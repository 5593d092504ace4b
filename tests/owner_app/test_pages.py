"""The owner dashboard's pages, run headless with Streamlit's AppTest against a migrated demo database."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from owner_app import access, forms, web_guard
from shared import bootstrap
from shared.adapters import tables as t
from shared.adapters.db import Database
from shared.adapters.twilio_sender import OutboundSender
from shared.config import get_settings
from shared.domain.models import BookingRequest, BookingStatus, LeadRequest, LeadStatus
from shared.services import bookings, business, leads, reports

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "owner_app"
PAGES = ("overview", "bookings", "leads", "conversations", "setup", "knowledge", "lab")
TIMEOUT_S = 30


def _forget_caches() -> None:
    get_settings.cache_clear()
    bootstrap.shared_database.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    access.throttle().reset()  # the throttle is process-wide on purpose: one test's lockout must not leak
    web_guard.BROWSERS.clear()


@pytest.fixture
def app_db(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """The demo gym's database, as DATABASE_URL, in development mode, with every cache forgotten."""
    monkeypatch.setenv("DATABASE_URL", demo_db.url)
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("DASHBOARD_PASSWORD", raising=False)
    monkeypatch.setattr(web_guard, "_installed", True)  # as under owner_app/serve.py; AppTest has no web server
    _forget_caches()
    yield demo_db
    _forget_caches()


def page(name: str) -> AppTest:
    return AppTest.from_file(str(APP / "views" / f"{name}.py"), default_timeout=TIMEOUT_S)


def _future_slot(db: Database, days_ahead: int, hour: int) -> dt.datetime:
    config = business.require_business(db)
    zone = config.business.zone
    day = dt.datetime.now(zone).date() + dt.timedelta(days=days_ahead)
    while day in config.closures:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def _pending_booking(db: Database, source: str, *, days_ahead: int = 2, hour: int = 11,
                     name: str = "Priya", phone: str = "+919800000001"):
    outcome = bookings.request_booking(db, BookingRequest(
        customer_name=name, customer_phone=phone, service="Personal training", requested_time="soon",
        scheduled_for=_future_slot(db, days_ahead, hour), source_message_id=source))
    assert outcome.created, outcome.refusal
    return outcome.booking


def _lead(db: Database, source: str, *, name: str, requirement: str = "Call me about membership"):
    return leads.capture_lead(db, LeadRequest(customer_name=name, customer_phone="+919800000002",
                                              requirement=requirement, source_message_id=source)).lead


def _no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


# --- every page renders ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_without_an_exception(app_db: Database, name: str):
    _pending_booking(app_db, "SM-render-1")
    _lead(app_db, "SM-render-2", name="Arjun")
    at = page(name).run()
    _no_exceptions(at)
    assert at.title, f"{name} shows no title"


@pytest.mark.parametrize("name", ("overview", "bookings", "leads", "knowledge", "conversations", "lab"))
def test_pages_render_before_any_business_is_set_up(db: Database, monkeypatch: pytest.MonkeyPatch, name: str):
    monkeypatch.setenv("DATABASE_URL", db.url)
    _forget_caches()
    at = page(name).run()
    _no_exceptions(at)


def test_the_views_are_not_in_a_pages_folder_so_streamlit_lists_nothing_by_itself():
    # A `pages/` folder next to the entry script makes Streamlit show its own page list (with "common" from
    # _common.py) before st.navigation takes over.
    assert not (APP / "pages").exists()
    assert {f"{name}.py" for name in PAGES} <= {p.name for p in (APP / "views").glob("*.py")}


def test_the_router_shows_the_overview_with_a_development_banner(app_db: Database):
    at = AppTest.from_file(str(APP / "streamlit_app.py"), default_timeout=TIMEOUT_S).run()
    _no_exceptions(at)
    assert any("Development mode" in w.value for w in at.warning)
    assert [t.value for t in at.title] == ["Overview"]
    assert at.metric[0].label == "Approved FAQs" and at.metric[0].value == "7"


# --- bookings ------------------------------------------------------------------------------------------

def _tick(at: AppTest, table: str, rows: list[int]) -> AppTest:
    """Tick these row positions of a Bookings table ("decide", "expired", "day" or "all"), as a click would."""
    state = at.session_state
    version = state["bookings_version"] if "bookings_version" in state else 0
    local = state[f"bookings_{table}_v"] if f"bookings_{table}_v" in state else 0
    state[f"bookings_{table}_{version}_{local}"] = {"selection": {"rows": rows, "columns": []}}
    return at.run()


def _insert_pending(db: Database, source: str, start: dt.datetime, *, name: str = "Late",
                    phone: str = "+919800000019"):
    """A pending request stored as it is, without the booking rules (e.g. one whose time has passed)."""
    from shared.adapters import repository as repo
    with db.transaction() as connection:
        return repo.insert_booking(connection, dict(
            customer_id=None, customer_name=name, customer_phone=phone, service="Personal training",
            requested_time="then", scheduled_for=start, ends_at=start + dt.timedelta(minutes=60),
            duration_minutes=60, buffer_minutes=0, timezone="Asia/Kolkata", status="pending",
            source_message_id=source, created_at=start - dt.timedelta(days=1),
            updated_at=start - dt.timedelta(days=1)))


def _outbox_kinds(db: Database) -> list[tuple[str, int]]:
    from sqlalchemy import select
    with db.read() as connection:
        return sorted((row.kind, row.booking_id) for row in connection.execute(
            select(t.outbox.c.kind, t.outbox.c.booking_id)))


def test_approving_a_pending_booking_in_the_page_approves_it_in_the_database(app_db: Database):
    booking = _pending_booking(app_db, "SM-approve-1")
    at = page("bookings").run()
    _no_exceptions(at)
    assert at.button(key="bookings_decide_approve").disabled
    _tick(at, "decide", [0])
    at.button(key="bookings_decide_approve").click().run()
    _no_exceptions(at)
    stored = bookings.list_bookings(app_db)
    assert [(b.id, b.status) for b in stored] == [(booking.id, BookingStatus.APPROVED)]
    assert any(f"#{booking.id}" in s.value for s in at.success)
    assert reports.recent_audit(app_db, 1)[0].actor == "owner (dashboard)"


def test_the_default_view_lists_only_what_needs_a_decision_soonest_first(app_db: Database):
    later = _pending_booking(app_db, "SM-decide-1", days_ahead=3, name="Later", phone="+919800000031")
    sooner = _pending_booking(app_db, "SM-decide-2", days_ahead=1, name="Sooner", phone="+919800000032")
    approved = _pending_booking(app_db, "SM-decide-3", days_ahead=2, name="Done", phone="+919800000033")
    bookings.approve_booking(app_db, approved.id)
    zone = business.require_business(app_db).business.zone
    _insert_pending(app_db, "SM-decide-4", dt.datetime.now(zone).replace(microsecond=0) - dt.timedelta(hours=3))
    at = page("bookings").run()
    _no_exceptions(at)
    assert at.radio(key="bookings_view").value == "decide"
    table = at.dataframe[0].value
    assert list(table["ID"]) == [sooner.id, later.id]
    assert list(table["Customer"]) == ["Sooner", "Later"]
    assert all("taken" in slot for slot in table["Slot"])


def test_an_expired_request_is_shown_as_expired_and_cannot_be_approved(app_db: Database):
    zone = business.require_business(app_db).business.zone
    expired_id = _insert_pending(app_db, "SM-expired-1",
                                 dt.datetime.now(zone).replace(microsecond=0) - dt.timedelta(hours=2))
    at = page("bookings").run()
    _no_exceptions(at)
    assert any("Nothing waits for a decision" in s.value for s in at.success)
    assert "1 expired request(s)" in at.expander[0].label
    expired = at.dataframe[0].value
    assert list(expired["ID"]) == [expired_id] and list(expired["Status"]) == ["⌛ expired"]
    assert not [b for b in at.button if b.key == "bookings_expired_approve"]  # no approve for expired rows
    assert reports.counts(app_db).bookings_pending == 0 and reports.counts(app_db).bookings_expired == 1

    # Through All bookings (where Approve exists for other rows) the refusal is shown for that row.
    at.radio(key="bookings_view").set_value("all").run()
    at.selectbox(key="bookings_status").set_value("expired").run()
    _no_exceptions(at)
    assert list(at.dataframe[0].value["ID"]) == [expired_id]
    _tick(at, "all", [0])
    at.button(key="bookings_all_approve").click().run()
    _no_exceptions(at)
    assert any(f"Booking #{expired_id}" in e.value and "expired" in e.value for e in at.error), \
        [e.value for e in at.error]
    assert bookings.list_bookings(app_db)[0].status is BookingStatus.PENDING
    assert _outbox_kinds(app_db) == []

    # Cancelling it from the expired list tells the customer.
    at.radio(key="bookings_view").set_value("decide").run()
    _tick(at, "expired", [0])
    at.button(key="bookings_expired_cancel").click().run()
    _no_exceptions(at)
    assert bookings.list_bookings(app_db)[0].status is BookingStatus.CANCELLED
    assert _outbox_kinds(app_db) == [("booking_cancelled", expired_id)]


def test_ticking_rows_and_approving_approves_exactly_those_and_tells_those_customers(app_db: Database):
    made = [_pending_booking(app_db, f"SM-tick-{i}", hour=9 + i, name=f"C{i}", phone=f"+91980000004{i}")
            for i in range(3)]
    at = page("bookings").run()
    _tick(at, "decide", [0, 2])
    assert "(2)" in at.button(key="bookings_decide_approve").label
    at.button(key="bookings_decide_approve").click().run()
    _no_exceptions(at)
    stored = {b.id: b.status for b in bookings.list_bookings(app_db)}
    assert stored == {made[0].id: BookingStatus.APPROVED, made[1].id: BookingStatus.PENDING,
                      made[2].id: BookingStatus.APPROVED}
    assert _outbox_kinds(app_db) == sorted([("booking_approved", made[0].id), ("booking_approved", made[2].id)])
    # The approved rows left the list and nothing stays selected.
    assert list(at.dataframe[0].value["ID"]) == [made[1].id]
    assert at.button(key="bookings_decide_approve").disabled


def test_a_selection_follows_its_booking_when_the_list_changes(app_db: Database):
    first = _pending_booking(app_db, "SM-follow-1", days_ahead=2, name="First", phone="+919800000051")
    at = page("bookings").run()
    _tick(at, "decide", [0])
    _pending_booking(app_db, "SM-follow-2", days_ahead=1, name="Newcomer", phone="+919800000052")  # lists first
    st.cache_data.clear()
    at.run()
    assert list(at.dataframe[0].value["ID"])[1] == first.id
    at.button(key="bookings_decide_approve").click().run()
    _no_exceptions(at)
    assert {b.customer_name: b.status for b in bookings.list_bookings(app_db)} == {
        "First": BookingStatus.APPROVED, "Newcomer": BookingStatus.PENDING}


def test_an_approval_past_capacity_shows_the_conflict_and_changes_nothing(app_db: Database):
    # The demo gym takes 2 overlapping bookings; a third at the same time cannot be approved.
    first, second = (_pending_booking(app_db, f"SM-cap-{i}", phone=f"+91980000001{i}") for i in (1, 2))
    for booking in (first, second):
        bookings.approve_booking(app_db, booking.id)
    # A third pending request, stored before the others were approved.
    third_id = _insert_pending(app_db, "SM-cap-3", first.scheduled_for)
    at = page("bookings").run()
    assert list(at.dataframe[0].value["Slot"]) == ["2/2 taken · 1 waiting · full"]
    _tick(at, "decide", [0])
    at.button(key="bookings_decide_approve").click().run()
    _no_exceptions(at)
    assert any("Cannot approve" in e.value for e in at.error), [e.value for e in at.error]
    assert next(b for b in bookings.list_bookings(app_db) if b.id == third_id).status is BookingStatus.PENDING
    # Nothing lost: the refused row stays selected.
    assert "(1)" in at.button(key="bookings_decide_approve").label


def test_cancelling_several_bookings_keeps_the_reason(app_db: Database):
    ids = [_pending_booking(app_db, f"SM-cancel-{i}", hour=10 + i).id for i in range(2)]
    at = page("bookings").run()
    _tick(at, "decide", [0, 1])
    at.text_input(key="bookings_decide_reason").input("Trainer unwell")
    at.button(key="bookings_decide_cancel").click().run()
    _no_exceptions(at)
    stored = {b.id: b for b in bookings.list_bookings(app_db)}
    assert all(stored[i].status is BookingStatus.CANCELLED and stored[i].cancel_reason == "Trainer unwell"
               for i in ids)
    assert any("Nothing waits for a decision" in s.value for s in at.success)


def test_the_week_view_shows_each_day_against_capacity_per_slot(app_db: Database):
    approved = _pending_booking(app_db, "SM-week-1", days_ahead=2, hour=11, phone="+919800000061")
    bookings.approve_booking(app_db, approved.id)
    waiting = _pending_booking(app_db, "SM-week-2", days_ahead=2, hour=11, name="Asha", phone="+919800000062")
    at = page("bookings").run()
    at.radio(key="bookings_view").set_value("week").run()
    _no_exceptions(at)
    assert len(at.get("vega_lite_chart")) == 1, "no week calendar chart"
    days = at.radio(key="bookings_day")
    assert len(days.options) == 7 and days.options[0].startswith("Today")
    zone = business.require_business(app_db).business.zone
    day = approved.scheduled_for.astimezone(zone).date()
    days.set_value(day).run()
    _no_exceptions(at)
    slots = at.dataframe[0].value.set_index("Slot")
    assert slots.loc["11:00–12:00", "Places"] == "1/2" and slots.loc["11:00–12:00", "Waiting"] == "⏳ 1"
    assert slots.loc["10:00–11:00", "Places"] == "0/2" and slots.loc["11:00–12:00", "Taken"] == 0.5
    assert "Asha (pending)" in slots.loc["11:00–12:00", "Who"]
    listed = at.dataframe[1].value
    assert list(listed["ID"]) == [approved.id, waiting.id]
    _tick(at, "day", [1])
    at.button(key="bookings_day_approve").click().run()
    _no_exceptions(at)
    assert {b.id: b.status for b in bookings.list_bookings(app_db)}[waiting.id] is BookingStatus.APPROVED
    assert at.dataframe[0].value.set_index("Slot").loc["11:00–12:00", "Places"] == "2/2"


# --- leads ---------------------------------------------------------------------------------------------

def test_the_lead_csv_holds_exactly_the_filtered_rows(app_db: Database, monkeypatch: pytest.MonkeyPatch):
    kept = [_lead(app_db, "SM-lead-1", name="Arjun"), _lead(app_db, "SM-lead-3", name="Meena")]
    contacted = _lead(app_db, "SM-lead-2", name="Kavya")
    leads.set_lead_status(app_db, contacted.id, LeadStatus.CONTACTED)

    downloads: dict[str, bytes] = {}
    real_download_button = st.download_button

    def spy(label, data, *args, **kwargs):
        downloads[kwargs.get("key") or label] = data() if callable(data) else data  # made on click
        return real_download_button(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at = page("leads").run()
    at.selectbox(key="leads_status").select("new").run()
    _no_exceptions(at)

    reader = csv.DictReader(io.StringIO(downloads["leads_download"].decode("utf-8")))
    rows = list(reader)
    assert reader.fieldnames == ["Lead #", "Received (Asia/Kolkata)", "Name", "Phone", "Wants", "Status"]
    assert [int(r["Lead #"]) for r in rows] == [lead.id for lead in reversed(kept)]  # newest first
    assert [r["Name"] for r in rows] == ["Meena", "Arjun"]
    assert downloads["leads_download"].decode("utf-8") == leads.leads_to_csv(kept[::-1], "Asia/Kolkata")
    zone = dt.timezone(dt.timedelta(hours=5, minutes=30))
    assert rows[0]["Received (Asia/Kolkata)"] == kept[1].created_at.astimezone(zone).isoformat(timespec="seconds")

    at.text_input(key="leads_search").input("meena").run()
    rows = list(csv.DictReader(io.StringIO(downloads["leads_download"].decode("utf-8"))))
    assert [r["Name"] for r in rows] == ["Meena"]


def test_marking_a_lead_contacted(app_db: Database):
    lead = _lead(app_db, "SM-lead-9", name="Arjun")
    at = page("leads").run()
    at.multiselect(key="leads_selected").select(lead.id).run()
    at.button(key="leads_contacted").click().run()
    _no_exceptions(at)
    assert leads.list_leads(app_db)[0].status is LeadStatus.CONTACTED


# --- setup ---------------------------------------------------------------------------------------------

def _audit_actions(db: Database) -> list[str]:
    return [entry.action for entry in reports.recent_audit(db, 100)]


def test_invalid_setup_input_saves_nothing_and_is_shown_next_to_its_field(app_db: Database):
    before = business.require_business(app_db)
    audit_before = _audit_actions(app_db)
    at = page("setup").run()
    _no_exceptions(at)
    at.text_input(key="setup_name").input("Renamed gym")  # valid, but must not be saved alone
    at.text_input(key="setup_hours_tue").input("06:00-21:00, 25:00-26:00")
    at.text_input(key="setup_phone").input("not a phone")
    at.text_area(key="setup_closures").input("2026-12-25\n2026-13-40")
    at.button(key="setup_save").click().run()
    _no_exceptions(at)

    assert business.require_business(app_db) == before
    assert _audit_actions(app_db) == audit_before
    shown = [m.value for m in at.markdown]
    assert any("impossible time" in m for m in shown), shown
    assert any("phone number" in m for m in shown), shown
    assert any("entry 2" in m for m in shown), shown
    assert any("Nothing was saved" in e.value for e in at.error)
    # The owner's input stays in the form to be corrected.
    assert at.text_input(key="setup_name").value == "Renamed gym"


def test_valid_setup_input_is_saved(app_db: Database):
    at = page("setup").run()
    at.text_input(key="setup_name").input("IronPulse Adyar")
    at.text_input(key="setup_hours_sun").input("")
    at.number_input(key="setup_capacity").set_value(3)
    at.button(key="setup_save").click().run()
    _no_exceptions(at)
    saved = business.require_business(app_db)
    assert saved.business.name == "IronPulse Adyar"
    assert saved.hours.sun == [] and saved.booking.capacity == 3
    assert len(saved.services) == 4 and len(saved.faqs) == 7  # the catalogue is kept as it was
    assert any("Saved" in s.value for s in at.success)


# --- access --------------------------------------------------------------------------------------------

def test_production_asks_for_the_password_and_locks_out_after_five_failures(app_db: Database,
                                                                             monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DASHBOARD_PASSWORD", "s3cret-pässword")
    _forget_caches()
    at = page("overview").run()
    _no_exceptions(at)
    assert not at.metric, "the page showed its content before the password was given"
    at.text_input(key="access_password").input("s3cret-pässword")
    at.button[0].click().run()
    _no_exceptions(at)
    assert at.metric and at.metric[0].label == "Approved FAQs"

    locked = page("overview").run()
    for _ in range(access.throttle().max_failures):
        locked.text_input(key="access_password").input("wrong")
        locked.button[0].click().run()
    assert any("Too many wrong passwords" in e.value for e in locked.error)
    assert not locked.text_input  # no more tries offered
    assert not locked.metric


def test_production_without_a_password_stays_locked(app_db: Database, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("APP_ENV", "production")
    _forget_caches()
    at = page("bookings").run()
    _no_exceptions(at)
    assert any("DASHBOARD_PASSWORD is not set" in e.value for e in at.error)
    assert not at.multiselect


# --- lab -----------------------------------------------------------------------------------------------

def _say(at: AppTest, text: str) -> AppTest:
    at.chat_input(key="lab_input").set_value(text).run()
    _no_exceptions(at)
    return at


def _replies(at: AppTest) -> list[str]:
    return [m.markdown[0].value for m in at.chat_message if m.name == "assistant"]


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _tomorrow_phrase(db: Database) -> str:
    """"tomorrow", or "the day after tomorrow" when tomorrow is one of the demo gym's closures."""
    config = business.require_business(db)
    tomorrow = dt.datetime.now(config.business.zone).date() + dt.timedelta(days=1)
    return "the day after tomorrow" if tomorrow in config.closures else "tomorrow"


def test_the_lab_answers_through_the_pipeline_and_shows_what_was_decided(app_db: Database):
    at = page("lab").run()
    _no_exceptions(at)
    _say(at, "What are your working hours?")
    assert len(at.chat_message) == 2
    assert _replies(at) == ["We are open every day from 6:00 AM to 9:00 PM."]
    details = _markdown(at)
    assert "**Turn 1** · action :gray-badge[none]" in details
    assert "Rules :green-badge[allowed] · Guard :green-badge[passed]" in details
    assert any(c.value.startswith("Time ") and " ms" in c.value for c in at.caption)
    assert at.expander and at.json  # the full trace, one per turn


def test_stop_and_start_in_the_lab_work_as_on_whatsapp_and_the_silence_says_why(app_db: Database):
    at = page("lab").run()
    _say(at, "STOP")
    assert "START" in _replies(at)[0]
    assert "Rules :gray-badge[not run: STOP: the customer opted out]" in _markdown(at)
    _say(at, "What are your working hours?")
    assert "opted out; send START" in _replies(at)[1]
    _say(at, "START")
    _say(at, "What are your working hours?")
    assert _replies(at)[3] == "We are open every day from 6:00 AM to 9:00 PM."


def test_a_lab_conversation_as_the_chosen_customer_creates_a_pending_booking_the_bookings_page_lists(
        app_db: Database):
    at = page("lab").run()
    at.text_input(key="lab_sender").input("+919812345678")
    at.text_input(key="lab_name").input("Priya").run()
    _say(at, f"Can I book a fitness assessment {_tomorrow_phrase(app_db)} at 10 AM?")
    stored = bookings.list_bookings(app_db)
    assert [(b.status, b.service, b.customer_phone, b.customer_name) for b in stored] == [
        (BookingStatus.PENDING, "Fitness assessment", "+919812345678", "Priya")]
    booking = stored[0]
    local = booking.scheduled_for.astimezone(business.require_business(app_db).business.zone)
    assert local.hour == 10
    details = _markdown(at)
    assert f"action :green-badge[booking #{booking.id} · pending]" in details
    assert "**service** `Fitness assessment`" in details

    listed = page("bookings").run()
    _no_exceptions(listed)
    table = listed.dataframe[0].value
    assert list(table["ID"]) == [booking.id]
    assert list(table["When"]) == [f"{local:%a %d %b %H:%M}"]
    assert list(table["Service"]) == ["Fitness assessment"] and list(table["Customer"]) == ["Priya"]


def test_a_refused_booking_shows_the_rule_that_refused_it(app_db: Database):
    at = _say(page("lab").run(), "Can I book a fitness assessment tomorrow at 11 PM?")
    assert bookings.list_bookings(app_db) == []
    assert ":red-badge[refused: " in _markdown(at)


def test_an_faq_saved_from_the_editor_rows_is_answered_in_the_lab(app_db: Database):
    question, answer = "Do you offer yoga classes?", "Yes: yoga on Tuesdays and Thursdays, free for members."
    before = _say(page("lab").run(), question)
    assert _replies(before) != [answer]  # (an unknown question: a person is asked to take over that chat)

    rows = forms.faq_rows(faq for _, faq in business.list_faqs(app_db))
    rows.append({"question": question, "answer": answer, "alternatives": "any yoga | is there yoga",
                 "language": None})
    assert forms.save_faq_rows(app_db, rows) == []
    assert business.list_faqs(app_db)[-1][1].alternatives == ["any yoga", "is there yoga"]

    at = page("lab").run()
    at.text_input(key="lab_sender").input("+919811112222").run()  # a customer without an open handoff
    _say(at, question)
    assert _replies(at) == [answer]


def test_service_aliases_saved_from_the_editor_rows_name_the_service_in_the_lab(app_db: Database):
    rows = forms.service_rows(business.require_business(app_db).services)
    rows[0]["aliases"] = "body check | fitness MOT"
    assert forms.save_service_rows(app_db, rows) == []
    saved = business.require_business(app_db).services[0]
    assert saved.aliases == ["body check", "fitness MOT"]
    assert forms.service_rows([saved])[0]["aliases"] == "body check | fitness MOT"

    at = page("lab").run()
    _say(at, "how much is a body check?")
    assert any(saved.price in reply for reply in _replies(at))


def test_invalid_faq_rows_save_nothing_and_name_the_row(app_db: Database):
    before = [faq for _, faq in business.list_faqs(app_db)]
    rows = forms.faq_rows(before)
    rows.append({"question": "Do you sell protein?", "answer": None, "alternatives": None, "language": "xx-yy"})
    problems = forms.save_faq_rows(app_db, rows)
    assert problems and all(p.startswith(f"row {len(rows)}") for p in problems), problems
    assert [faq for _, faq in business.list_faqs(app_db)] == before
    # A blank row the owner added and left empty is ignored.
    assert forms.save_faq_rows(app_db, [*forms.faq_rows(before),
                                        {"question": None, "answer": " ", "alternatives": None,
                                         "language": None}]) == []
    assert [faq for _, faq in business.list_faqs(app_db)] == before


def test_the_lab_reset_clears_the_chat_and_starts_a_new_test_customer(app_db: Database):
    at = _say(page("lab").run(), "What are your working hours?")
    assert at.chat_message
    at.button(key="lab_reset").click().run()
    _no_exceptions(at)
    assert not at.chat_message
    fresh = at.text_input(key="lab_sender").value
    assert fresh != "+919800000001" and fresh.startswith("+9198")
    _say(at, "Please call me back about a yearly membership")
    assert [lead.customer_phone for lead in leads.list_leads(app_db)] == [fresh]

    # Unticked, Reset keeps the customer.
    at.checkbox(key="lab_reset_new_customer").uncheck().run()
    at.button(key="lab_reset").click().run()
    assert not at.chat_message and at.text_input(key="lab_sender").value == fresh


def test_an_invalid_test_customer_phone_is_refused_before_anything_is_sent(app_db: Database):
    at = page("lab").run()
    at.text_input(key="lab_sender").input("12").run()
    _no_exceptions(at)
    assert any("Test customer phone" in e.value for e in at.error)
    assert at.chat_input(key="lab_input").disabled


def test_the_scenario_runner_shows_a_pass_table_for_the_demo_journey(app_db: Database):
    at = page("lab").run()
    assert at.selectbox(key="lab_scenario_file").value == "demo_journey.yaml"
    at.button(key="lab_scenario_run").click().run()
    _no_exceptions(at)
    table = at.dataframe[-1].value
    assert list(table["Result"]) == ["pass", "pass", "pass"]
    assert list(table["Action"]) == ["none", "booking", "lead"]
    assert [m.value for m in at.metric] == ["3 of 3", "0", "100%"]
    assert any("every turn passed" in s.value for s in at.success)
    assert at.status and "3 passed, 0 failed" in at.status[0].label
    assert bookings.list_bookings(app_db) == []  # scenarios run in a throwaway database


def test_the_scenario_runner_reports_failures_in_the_table(app_db: Database):
    at = page("lab").run()
    at.radio(key="lab_scenario_source").set_value("Upload a file").run()
    at.file_uploader(key="lab_scenario_upload").set_value((
        "wrong.yaml", b'now: "2026-06-15T09:00"\nscenarios:\n  - name: wrong\n    turns:\n'
                      b'      - say: What are your working hours?\n        expect: {action: lead}\n',
        "application/yaml")).run()
    at.button(key="lab_scenario_run").click().run()
    _no_exceptions(at)
    table = at.dataframe[-1].value
    assert list(table["Result"]) == ["fail"]
    assert "action was none, expected lead" in table["Why"][0]
    assert [m.value for m in at.metric] == ["0 of 1", "1", "0%"]


def test_an_invalid_uploaded_scenario_names_the_bad_field_without_a_traceback(app_db: Database):
    at = page("lab").run()
    at.radio(key="lab_scenario_source").set_value("Upload a file").run()
    at.file_uploader(key="lab_scenario_upload").set_value((
        "bad.yaml", b"scenarios:\n  - name: x\n    turns:\n      - say: hi\n        expect: {action: dance}\n",
        "application/yaml")).run()
    at.button(key="lab_scenario_run").click().run()
    _no_exceptions(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "bad.yaml was not run" in errors[0], errors
    assert "scenarios[0].turns[0].expect.action" in errors[0]
    assert "Traceback" not in errors[0] and "/tmp" not in errors[0]
    assert not at.dataframe


# --- overview: reply time --------------------------------------------------------------------------------

def test_reply_times_per_day_come_from_the_reply_audit_lines(app_db: Database):
    from shared.pipeline import InboundMessage, build_pipeline
    pipeline = build_pipeline(app_db)
    for number, text in enumerate(("What are your working hours?", "Where are you located?"), start=1):
        pipeline.handle(InboundMessage(channel="lab", message_id=f"lab-rt-{number}", sender="+919800000001",
                                       text=text))
    days = reports.reply_times_per_day(app_db, 7)
    assert len(days) == 7 and all(d.replies == 0 and d.median_ms is None for d in days[:-1])
    today = days[-1]
    assert today.replies == 2 and 0 <= today.median_ms <= today.p95_ms <= today.max_ms
    assert reports.activity_per_day(app_db, 1)[0].messages_out == 2


def test_reply_time_statistics(app_db: Database):
    from shared.adapters import repository as repo
    now = dt.datetime.now(dt.timezone.utc)
    with app_db.transaction() as connection:
        for elapsed in (10, 20, 30, 40, 1000):
            repo.audit(connection, actor="assistant", action="reply.sent", detail={"elapsed_ms": elapsed}, now=now)
        repo.audit(connection, actor="assistant", action="reply.sent", detail={"length": 3}, now=now)  # no time
    today = reports.reply_times_per_day(app_db, 1, now=now)[0]
    assert (today.replies, today.median_ms, today.p95_ms, today.max_ms) == (5, 30, 1000, 1000)
    with pytest.raises(ValueError):
        reports.reply_times_per_day(app_db, 0)


def test_the_overview_charts_activity_and_reply_time(app_db: Database):
    at = page("overview").run()
    _no_exceptions(at)
    assert any("No replies in this period yet" in c.value for c in at.caption)
    _say(page("lab").run(), "What are your working hours?")
    st.cache_data.clear()
    at = page("overview").run()
    _no_exceptions(at)
    assert any(c.value.startswith("1 reply in 14 days") for c in at.caption), [c.value for c in at.caption]
    shown = [m.value for m in at.markdown]
    for title in ("**Bookings and leads per day**", "**Messages per day**", "**Reply time**"):
        assert title in shown
    assert len(at.get("vega_lite_chart")) == 3


# --- conversations -------------------------------------------------------------------------------------

def _open_handoff(db: Database, phone: str = "+919800000005") -> int:
    from shared.adapters import repository as repo
    now = dt.datetime.now(dt.timezone.utc)
    with db.transaction() as connection:
        customer_id = repo.upsert_customer(connection, phone, "Divya", now)
        repo.add_chat_message(connection, customer_id=customer_id, direction="in", channel="whatsapp",
                              body="I want to speak to a person", message_id="SM-h-1", now=now)
        return repo.insert_handoff(connection, customer_id=customer_id, phone=phone, reason="asked for a person",
                                   source_message_id="SM-h-1", now=now)


def test_conversations_show_the_transcript_and_resolve_a_handoff(app_db: Database):
    handoffs = pytest.importorskip("shared.services.handoffs")
    handoff_id = _open_handoff(app_db)
    at = page("conversations").run()
    _no_exceptions(at)
    assert [m.markdown[0].value for m in at.chat_message] == ["I want to speak to a person"]
    at.multiselect(key="conversations_resolve").select(handoff_id).run()
    at.button(key="conversations_resolve_button").click().run()
    _no_exceptions(at)
    assert handoffs.list_handoffs(app_db) == []
    assert reports.counts(app_db).handoffs_open == 0


def test_the_handoff_queue_shows_who_waits_what_they_said_and_for_how_long(app_db: Database):
    from shared.adapters import repository as repo
    now = dt.datetime.now(dt.timezone.utc)
    _open_handoff(app_db)  # Divya, just now
    with app_db.transaction() as connection:  # a customer without a name, waiting for three hours
        customer_id = repo.upsert_customer(connection, "+919800000006", None, now - dt.timedelta(hours=3))
        repo.add_chat_message(connection, customer_id=customer_id, direction="in", channel="whatsapp",
                              body="My card was charged twice for the monthly membership, " * 3,
                              message_id="SM-h-2", now=now - dt.timedelta(hours=3))
        repo.insert_handoff(connection, customer_id=customer_id, phone="+919800000006", reason="a complaint",
                            source_message_id="SM-h-2", now=now - dt.timedelta(hours=3, minutes=5))
    at = page("conversations").run()
    _no_exceptions(at)
    [queue] = [frame.value for frame in at.dataframe if "Waiting" in frame.value.columns]
    assert list(queue["Customer"]) == ["+919800000006", "Divya"]  # the longest waiting first
    assert list(queue["Waiting"]) == ["3 h", "just now"]
    assert list(queue["Why"]) == ["a complaint", "asked for a person"]
    assert queue["Last message"][1] == "I want to speak to a person"
    shortened = queue["Last message"][0]
    assert shortened.startswith("My card was charged twice") and shortened.endswith("…") and len(shortened) <= 60


def test_an_owner_reply_is_shown_as_the_owners_not_the_assistants(app_db: Database):
    handoffs = pytest.importorskip("shared.services.handoffs")
    _open_handoff(app_db)
    handoffs.reply_to_customer(app_db, "+919800000005", "Hi Divya, Anil here from the gym.")
    at = page("conversations").run()
    _no_exceptions(at)
    assert [m.name for m in at.chat_message] == ["user", "owner"]
    customer, owner = at.chat_message
    assert customer.caption[0].value.startswith("Divya · whatsapp")
    assert owner.avatar == ":material/person:" and owner.caption[0].value.startswith("you (owner) · ")
    [recent] = [frame.value for frame in at.dataframe if "Last said" in frame.value.columns]
    assert list(recent["Last said"]) == ["you (owner): Hi Divya, Anil here from the gym."]


def test_the_waiting_time_reads_at_a_glance():
    from owner_app.views import _common as ui
    now = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.timezone.utc)
    assert [ui.waited(now - gap, now) for gap in (dt.timedelta(seconds=20), dt.timedelta(minutes=12),
                                                   dt.timedelta(hours=3, minutes=59), dt.timedelta(days=2))] \
        == ["just now", "12 min", "3 h", "2 d"]


def test_an_owner_reply_is_queued_and_the_page_shows_the_outbox(app_db: Database):
    _open_handoff(app_db)
    at = page("conversations").run()
    at.text_area(key="conversations_reply").input("Hi Divya, Anil here from the gym.")
    at.button(key="conversations_send").click().run()
    _no_exceptions(at)
    assert any("Outbox: 1 pending" in caption.value for caption in at.caption)
    assert at.chat_message[-1].markdown[0].value == "Hi Divya, Anil here from the gym."


def test_the_conversation_shows_each_message_the_business_sent_and_why_one_waits(app_db: Database):
    from shared.services import outbox
    _open_handoff(app_db)
    handoffs = pytest.importorskip("shared.services.handoffs")
    old = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    handoffs.reply_to_customer(app_db, "+919800000005", "Hi Divya, Anil here.", now=old)
    with app_db.transaction() as connection:  # the customer last wrote long ago: the window is closed
        connection.execute(t.chat_messages.update().values(created_at=old))
    outbox.deliver_pending(app_db, _NeverSends(), now=old + dt.timedelta(days=2))
    at = page("conversations").run()
    _no_exceptions(at)
    [table] = [frame.value for frame in at.dataframe if "Queued" in frame.value.columns]
    assert list(table["Status"]) == ["waiting"]
    assert list(table["Why"]) == ["outside the 24-hour window: no approved template for owner_reply"]


class _NeverSends(OutboundSender):
    """A sender the window rule must keep from being called."""

    def send(self, phone, body, *, template=None):
        raise AssertionError("nothing may be sent outside the 24-hour window without a template")


def test_the_router_in_production_shows_only_the_sign_in_page(app_db: Database, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DASHBOARD_PASSWORD", "open sesame")
    _forget_caches()
    at = AppTest.from_file(str(APP / "streamlit_app.py"), default_timeout=TIMEOUT_S).run()
    _no_exceptions(at)
    assert not at.metric and [t.value for t in at.title] == ["Owner dashboard"]
    at.text_input(key="access_password").input("open sesame")
    at.button[0].click().run()
    _no_exceptions(at)
    assert [t.value for t in at.title] == ["Overview"]
    assert not at.warning  # no development banner in production

    # (A fresh AppTest: after a run with a hidden navigation, AppTest stops reporting sidebar elements;
    # a browser does show the button after signing in.)
    signed_in = AppTest.from_file(str(APP / "streamlit_app.py"), default_timeout=TIMEOUT_S)
    signed_in.session_state[access.SESSION_KEY] = True
    signed_in.run()
    assert [t.value for t in signed_in.title] == ["Overview"]
    signed_in.sidebar.button(key="access_sign_out").click().run()
    _no_exceptions(signed_in)
    assert not signed_in.metric and [t.value for t in signed_in.title] == ["Owner dashboard"]
