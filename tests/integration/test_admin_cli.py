"""The owner's terminal tools, run as the owner runs them: `python -m owner_app.admin ...` in a subprocess.

Records are made in-process through the services (frozen `now`) against the same SQLite file the
subprocess opens through DATABASE_URL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import select

from shared.adapters import repository as repo
from shared.adapters import tables as t
from shared.adapters.db import Database
from shared.adapters.migrations import is_current
from shared.domain.models import BookingRequest, BookingStatus, LeadRequest, LeadStatus
from shared.services import bookings, business, leads

from ..conftest import FROZEN_NOW, KOLKATA, REPO_ROOT, open_migrated

BOOKING_KEYS = {"id", "customer_name", "customer_phone", "service", "requested_time", "scheduled_for", "timezone",
                "status", "source_message_id", "created_at"}
LEAD_KEYS = {"id", "customer_name", "customer_phone", "requirement", "status", "source_message_id", "created_at"}
TUESDAY_10 = dt.datetime(2026, 6, 16, 10, 0, tzinfo=KOLKATA)


class Cli:
    """Runs the admin module in a subprocess against one database file."""

    def __init__(self, database_url: str):
        self.database_url = database_url

    def __call__(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        environment = {**os.environ, "DATABASE_URL": self.database_url, "PYTHONIOENCODING": "utf-8", **env}
        return subprocess.run([sys.executable, "-m", "owner_app.admin", *args], cwd=REPO_ROOT, env=environment,
                              capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)

    def ok(self, *args: str, **env: str) -> str:
        """Run a command that must succeed; returns its standard output."""
        result = self(*args, **env)
        assert result.returncode == 0, f"{args} failed:\n{result.stderr}"
        assert "Traceback" not in result.stderr
        return result.stdout


def refused(result: subprocess.CompletedProcess) -> str:
    """Assert a clean failure (exit 1, an `error:` line, no traceback); returns stderr."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: "), result.stderr
    return result.stderr


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    return tmp_path / "cli" / "frontdesk.db"


@pytest.fixture
def cli(database_file: Path) -> Cli:
    return Cli(f"sqlite:///{database_file}")


@pytest.fixture
def cli_db(cli: Cli) -> Iterator[Database]:
    """The CLI's database, migrated and holding the demo gym (set up in-process: subprocesses are slow)."""
    database = open_migrated(cli.database_url)
    business.load_demo(database)
    yield database
    database.dispose()


def stored_config_yaml(database: Database) -> str:
    return business.config_to_yaml(business.require_business(database))


def upcoming(database: Database, *, days_ahead: int = 2, hour: int = 10) -> dt.datetime:
    """A time still ahead on the real clock, which the CLI reads (an approval needs one: earlier, the request
    expired), on a day the demo gym is open."""
    closures = business.require_business(database).closures
    day = dt.datetime.now(KOLKATA).date() + dt.timedelta(days=days_ahead)
    while day in closures:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=KOLKATA)


def make_booking(database: Database, source: str, *, at: dt.datetime = TUESDAY_10, name: str = "Priya",
                 phone: str | None = None, service: str = "Personal training",
                 now: dt.datetime = FROZEN_NOW):
    # One customer per source message unless told otherwise: a customer asking twice for the same
    # slot gets their first booking back, not a second one.
    phone = phone or f"+9198{zlib.crc32(source.encode()) % 10**8:08d}"
    outcome = bookings.request_booking(database, BookingRequest(
        customer_name=name, customer_phone=phone, service=service, requested_time=f"{at:%A %H:%M}",
        scheduled_for=at, source_message_id=source), now=now)
    assert outcome.created, outcome.refusal
    return outcome.booking


def make_lead(database: Database, source: str, requirement: str = "Call me about a yearly plan", *,
              name: str = "Arjun", phone: str = "+919800000002"):
    outcome = leads.capture_lead(database, LeadRequest(customer_name=name, customer_phone=phone,
                                                       requirement=requirement, source_message_id=source),
                                 now=FROZEN_NOW)
    assert outcome.created
    return outcome.lead


# --- setting up the business --------------------------------------------------------------------------

def test_init_demo_loads_the_demo_gym_into_a_new_database(cli, database_file):
    assert "Loaded the demo business" in cli.ok("init-demo")
    exported = business.parse_config(cli.ok("export-config"))
    assert exported == business.parse_config(business.DEMO_CONFIG.read_text(encoding="utf-8"))
    assert database_file.exists()


def test_init_demo_if_empty_leaves_an_existing_business_alone(cli, cli_db):
    own = business.parse_config("business: {name: Chai Corner, category: cafe, timezone: Asia/Kolkata}\n")
    business.save_business(cli_db, own, now=FROZEN_NOW)
    assert "already set up" in cli.ok("init-demo", "--if-empty")
    assert business.require_business(cli_db) == own


def test_migrate_brings_a_new_database_up_to_date(cli):
    assert "applied migrations: 1, 2, 3" in cli.ok("migrate")
    database = Database(cli.database_url)
    try:
        assert is_current(database)
    finally:
        database.dispose()


def test_export_config_without_a_business_fails_cleanly(cli):
    assert "No business is set up" in refused(cli("export-config"))


BAD_CONFIG = """\
business:
  name: Chai Corner
  category: cafe
  timezone: Mars/Olympus
  slogan: the best chai
hours:
  tue: ["06:00-12:00", "21:00-16:00"]
booking: {capacity: 0}
services:
  - {name: Tasting, duration_minutes: 30}
  - {name: tasting, duration_minutes: 45}
"""


def test_import_config_with_several_errors_names_each_field_and_writes_nothing(cli, cli_db, tmp_path):
    before = stored_config_yaml(cli_db)
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_CONFIG, encoding="utf-8")

    result = cli("import-config", str(bad))

    stderr = refused(result)
    for path in ("business.timezone", "business.slogan", "hours.tue[1]", "booking.capacity", "services"):
        assert f"\n{path}: " in stderr, path
    assert "hours.tue[1]: end before start" in stderr
    assert "5 problem(s)" in stderr
    assert cli.ok("export-config") == before
    with cli_db.read() as connection:
        assert list(connection.scalars(select(t.audit_log.c.action))) == ["config.replace"]


def test_import_config_refuses_a_file_that_is_not_yaml(cli, cli_db, tmp_path):
    before = stored_config_yaml(cli_db)
    bad = tmp_path / "broken.yaml"
    bad.write_text("business: {name: [unclosed\n", encoding="utf-8")
    assert "not valid YAML" in refused(cli("import-config", str(bad)))
    assert stored_config_yaml(cli_db) == before


def test_import_config_refuses_a_missing_file(cli, tmp_path):
    assert "cannot read" in refused(cli("import-config", str(tmp_path / "nowhere.yaml")))


GOOD_CONFIG = """\
business:
  name: Chai Corner
  category: cafe
  description: Tea and snacks.
  timezone: Asia/Kolkata
  languages: [en, ta]
  phone: "+91 44 4000 1234"
hours:
  tue: ["06:00-12:00", "16:00-21:00"]
  sat: ["08:00-13:00"]
closures: ["2026-08-15", "2026-01-26"]
booking: {slot_minutes: 30, capacity: 3, min_notice_minutes: 120, max_days_ahead: 14, buffer_minutes: 10}
services:
  - {name: Tasting, duration_minutes: 30, price: "INR 300"}
  - {name: Private room, duration_minutes: 120}
faqs:
  - question: Do you have oat milk?
    answer: Yes.
    alternatives: ["Plant milk?"]
  - question: ¿Tienen té verde?
    answer: Sí.
    language: es
"""


def test_import_config_then_export_config_round_trips(cli, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD_CONFIG, encoding="utf-8")
    assert "Imported 'Chai Corner': 2 services, 2 FAQs, 2 closure dates." in cli.ok("import-config", str(good))

    exported = cli.ok("export-config")

    assert business.parse_config(exported) == business.parse_config(GOOD_CONFIG)
    written = tmp_path / "exported.yaml"
    cli.ok("export-config", str(written))
    assert written.read_text(encoding="utf-8") == exported
    assert yaml.safe_load(exported)["business"]["phone"] == "+914440001234"


def test_import_config_keeps_existing_bookings(cli, cli_db, tmp_path):
    make_booking(cli_db, "SM-1")
    good = tmp_path / "good.yaml"
    good.write_text(GOOD_CONFIG, encoding="utf-8")
    cli.ok("import-config", str(good))
    assert business.require_business(cli_db).business.name == "Chai Corner"
    assert len(bookings.list_bookings(cli_db)) == 1


# --- bookings -----------------------------------------------------------------------------------------

def test_bookings_list_json_prints_an_empty_array_when_there_are_none(cli, cli_db):
    assert json.loads(cli.ok("bookings", "list", "--json")) == []


def test_bookings_list_json_prints_each_booking_with_exactly_the_public_keys(cli, cli_db):
    first = make_booking(cli_db, "SM-1", name="Priya", phone="+919800000001")
    second = make_booking(cli_db, "SM-2", at=TUESDAY_10 + dt.timedelta(hours=2), name="Kavya",
                          phone="+919800000003", service="Trial workout")

    rows = json.loads(cli.ok("bookings", "list", "--json"))

    assert isinstance(rows, list) and len(rows) == 2
    assert all(set(row) == BOOKING_KEYS for row in rows)
    assert rows[0] == {"id": first.id, "customer_name": "Priya", "customer_phone": "+919800000001",
                       "service": "Personal training", "requested_time": "Tuesday 10:00",
                       "scheduled_for": "2026-06-16T10:00:00+05:30", "timezone": "Asia/Kolkata",
                       "status": "pending", "source_message_id": "SM-1",
                       "created_at": FROZEN_NOW.astimezone(dt.timezone.utc).isoformat()}
    assert (rows[1]["id"], rows[1]["service"], rows[1]["scheduled_for"]) == (
        second.id, "Trial workout", "2026-06-16T12:00:00+05:30")
    assert dt.datetime.fromisoformat(rows[0]["created_at"]) == FROZEN_NOW


def test_bookings_list_filters_by_status(cli, cli_db):
    booking = make_booking(cli_db, "SM-1")
    make_booking(cli_db, "SM-2")
    bookings.approve_booking(cli_db, booking.id, now=FROZEN_NOW)
    approved = json.loads(cli.ok("bookings", "list", "--status", "approved", "--json"))
    assert [row["id"] for row in approved] == [booking.id]


def test_bookings_list_refuses_an_unknown_status(cli, cli_db):
    assert "Unknown booking status" in refused(cli("bookings", "list", "--status", "maybe"))


def test_bookings_list_prints_readable_lines(cli, cli_db):
    make_booking(cli_db, "SM-1")
    make_booking(cli_db, "SM-2", at=upcoming(cli_db), name="Kavya", now=dt.datetime.now(dt.timezone.utc))
    text = cli.ok("bookings", "list")
    assert "Personal training for Priya" in text and "Tue 16 Jun 2026 10:00" in text
    # June 2026 has passed on the real clock: that request expired; the upcoming one is pending.
    assert [line.split()[1] for line in text.splitlines()] == ["expired", "pending"]


def test_bookings_set_status_approves_then_completes(cli, cli_db):
    booking = make_booking(cli_db, "SM-1", at=upcoming(cli_db), now=dt.datetime.now(dt.timezone.utc))
    assert f"Booking {booking.id} is now approved." in cli.ok("bookings", "set-status", str(booking.id), "approved")
    assert f"Booking {booking.id} is now completed." in cli.ok("bookings", "set-status", str(booking.id),
                                                               "completed")
    assert bookings.list_bookings(cli_db)[0].status is BookingStatus.COMPLETED


def test_bookings_set_status_cancels_with_a_reason(cli, cli_db):
    booking = make_booking(cli_db, "SM-1")
    cli.ok("bookings", "set-status", str(booking.id), "cancelled", "--reason", "Trainer is ill")
    stored = bookings.list_bookings(cli_db)[0]
    assert stored.status is BookingStatus.CANCELLED and stored.cancel_reason == "Trainer is ill"
    with cli_db.read() as connection:
        actors = list(connection.scalars(select(t.audit_log.c.actor).where(
            t.audit_log.c.action == "booking.cancelled")))
    assert actors == ["owner (cli)"]


def test_bookings_set_status_refuses_an_invalid_move_clearly(cli, cli_db):
    booking = make_booking(cli_db, "SM-1")
    stderr = refused(cli("bookings", "set-status", str(booking.id), "completed"))
    assert "pending booking cannot become completed" in stderr
    assert "approved, cancelled" in stderr
    assert bookings.list_bookings(cli_db)[0].status is BookingStatus.PENDING


def test_bookings_set_status_refuses_leaving_a_final_status(cli, cli_db):
    booking = make_booking(cli_db, "SM-1")
    bookings.cancel_booking(cli_db, booking.id)
    assert "none (final)" in refused(cli("bookings", "set-status", str(booking.id), "approved"))


def test_bookings_set_status_refuses_an_unknown_status_or_id(cli, cli_db):
    booking = make_booking(cli_db, "SM-1")
    assert "Unknown booking status 'done'" in refused(cli("bookings", "set-status", str(booking.id), "done"))
    assert "No booking with id 999" in refused(cli("bookings", "set-status", "999", "approved"))


def test_bookings_set_status_refuses_an_approval_over_capacity(cli, cli_db):
    config = business.require_business(cli_db)
    business.save_business(cli_db, config.model_copy(update={"booking": config.booking.model_copy(
        update={"capacity": 3})}), now=FROZEN_NOW)
    made = [make_booking(cli_db, f"SM-{i}", at=upcoming(cli_db), now=dt.datetime.now(dt.timezone.utc))
            for i in range(3)]
    business.save_business(cli_db, config, now=FROZEN_NOW)  # capacity 2 again
    for booking in made[:2]:
        bookings.approve_booking(cli_db, booking.id)
    assert "fully booked" in refused(cli("bookings", "set-status", str(made[2].id), "approved"))


# --- leads --------------------------------------------------------------------------------------------

def test_leads_list_json_prints_each_lead_with_exactly_the_public_keys(cli, cli_db):
    lead = make_lead(cli_db, "SM-L1", "Wants a yearly plan")
    rows = json.loads(cli.ok("leads", "list", "--json"))
    assert rows == [{"id": lead.id, "customer_name": "Arjun", "customer_phone": "+919800000002",
                     "requirement": "Wants a yearly plan", "status": "new", "source_message_id": "SM-L1",
                     "created_at": FROZEN_NOW.astimezone(dt.timezone.utc).isoformat()}]
    assert set(rows[0]) == LEAD_KEYS


def test_leads_set_status_moves_a_lead_and_refuses_going_back(cli, cli_db):
    lead = make_lead(cli_db, "SM-L1")
    assert f"Lead {lead.id} is now contacted." in cli.ok("leads", "set-status", str(lead.id), "contacted")
    assert "cannot become new" in refused(cli("leads", "set-status", str(lead.id), "new"))
    assert leads.list_leads(cli_db)[0].status is LeadStatus.CONTACTED


def read_csv(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


CSV_HEADER = ["Lead #", "Received (Asia/Kolkata)", "Name", "Phone", "Wants", "Status"]


def test_leads_export_csv_writes_a_header_and_exactly_the_rows_newest_first(cli, cli_db, tmp_path):
    first = make_lead(cli_db, "SM-L1", "Wants a yearly plan, with a trainer", name="Arjun", phone="+919800000002")
    second = make_lead(cli_db, "SM-L2", 'Asks about "student" prices', name="Meena", phone="+919800000004")
    out = tmp_path / "leads.csv"

    assert "Wrote 2 lead(s)" in cli.ok("leads", "export", "--csv", str(out))

    header, rows = read_csv(out.read_text(encoding="utf-8"))
    assert header == CSV_HEADER  # no source message ids or other internal columns
    received = "2026-06-15T09:00:00+05:30"  # FROZEN_NOW in the business's zone, with its offset
    assert rows == [
        {"Lead #": str(second.id), "Received (Asia/Kolkata)": received, "Name": "Meena", "Phone": "+919800000004",
         "Wants": 'Asks about "student" prices', "Status": "new"},
        {"Lead #": str(first.id), "Received (Asia/Kolkata)": received, "Name": "Arjun", "Phone": "+919800000002",
         "Wants": "Wants a yearly plan, with a trainer", "Status": "new"}]
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_leads_export_writes_times_in_the_business_timezone_across_a_dst_change(cli, cli_db):
    with cli_db.transaction() as connection:
        connection.execute(t.business_profile.update().values(timezone="Europe/Madrid"))
    madrid = ZoneInfo("Europe/Madrid")
    for source, at in (("SM-winter", dt.datetime(2026, 1, 20, 9, 30, tzinfo=madrid)),
                       ("SM-summer", dt.datetime(2026, 7, 1, 18, 5, tzinfo=madrid)),
                       ("SM-last-cest", dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.timezone.utc))):
        leads.capture_lead(cli_db, LeadRequest(customer_name="Lucía", customer_phone="+34600000001",
                                               requirement="Llamadme", source_message_id=source), now=at)

    header, rows = read_csv(cli.ok("leads", "export", "--csv", "-"))

    assert header[1] == "Received (Europe/Madrid)"
    assert [row["Received (Europe/Madrid)"] for row in rows] == [
        "2026-10-25T02:30:00+02:00",  # the first 02:30 of the night summer time ends: still CEST
        "2026-07-01T18:05:00+02:00", "2026-01-20T09:30:00+01:00"]


def test_leads_export_defuses_spreadsheet_formulas(cli, cli_db, tmp_path):
    make_lead(cli_db, "SM-L1", '=HYPERLINK("http://evil.example/x","click me")', name="@SUM(A1:A2)")
    make_lead(cli_db, "SM-L2", "-2+3 sessions", name="Ravi")
    out = tmp_path / "leads.csv"
    cli.ok("leads", "export", "--csv", str(out))

    _, rows = read_csv(out.read_text(encoding="utf-8"))

    ravi, evil = rows  # newest first
    assert evil["Wants"] == '\'=HYPERLINK("http://evil.example/x","click me")'
    assert evil["Name"] == "'@SUM(A1:A2)"
    assert ravi["Wants"] == "'-2+3 sessions"
    assert evil["Phone"] == "+919800000002"
    assert not any(value.startswith(("=", "@", "-")) for row in rows for value in row.values())


def test_leads_export_to_standard_output_filters_by_status(cli, cli_db):
    kept = make_lead(cli_db, "SM-L1")
    closed = make_lead(cli_db, "SM-L2")
    leads.set_lead_status(cli_db, closed.id, "closed")
    _, rows = read_csv(cli.ok("leads", "export", "--csv", "-", "--status", "new"))
    assert [int(row["Lead #"]) for row in rows] == [kept.id]


def test_leads_export_of_no_leads_writes_only_the_header(cli, cli_db, tmp_path):
    out = tmp_path / "none.csv"
    cli.ok("leads", "export", "--csv", str(out))
    assert out.read_text(encoding="utf-8").splitlines() == [",".join(CSV_HEADER)]


# --- FAQs ---------------------------------------------------------------------------------------------

def test_faq_add_list_and_remove(cli, cli_db):
    before = business.list_faqs(cli_db)
    added = cli.ok("faq", "add", "Do you sell protein shakes?", "Yes, at the counter.",
                   "--alternative", "Protein?", "--alternative", "Shakes?", "--language", "en")
    new_id = int(added.strip().removeprefix("Added FAQ ").rstrip("."))

    listed = json.loads(cli.ok("faq", "list", "--json"))
    assert len(listed) == len(before) + 1
    assert [row["id"] for row in listed[:-1]] == [faq_id for faq_id, _ in before]
    assert listed[-1] == {"id": new_id, "question": "Do you sell protein shakes?", "answer": "Yes, at the counter.",
                          "alternatives": ["Protein?", "Shakes?"], "language": "en"}
    text = cli.ok("faq", "list")
    assert "Q: Do you sell protein shakes?" in text and "also: Shakes?" in text

    assert f"Removed FAQ {new_id}." in cli.ok("faq", "remove", str(new_id))
    assert business.list_faqs(cli_db) == before
    assert f"No FAQ with id {new_id}" in refused(cli("faq", "remove", str(new_id)))


def test_faq_add_refuses_an_invalid_faq_naming_the_field(cli, cli_db):
    stderr = refused(cli("faq", "add", "Open late?", "Until 9.", "--language", "english"))
    assert "invalid FAQ" in stderr and "language:" in stderr


# --- chat retention -----------------------------------------------------------------------------------

def add_chat(database: Database, body: str, at: dt.datetime) -> None:
    with database.transaction() as connection:
        customer_id = repo.upsert_customer(connection, "+919800000001", None, at)
        repo.add_chat_message(connection, customer_id=customer_id, direction="in", channel="whatsapp", body=body,
                              message_id=None, now=at)


def chat_bodies(database: Database) -> list[str]:
    with database.read() as connection:
        return sorted(connection.scalars(select(t.chat_messages.c.body)))


def test_purge_chats_removes_only_messages_older_than_the_retention(cli, cli_db):
    # The command reads the real clock, so the ages are far from the cutoff on either side.
    real_now = dt.datetime.now(dt.timezone.utc)
    add_chat(cli_db, "ancient", real_now - dt.timedelta(days=400))
    add_chat(cli_db, "old", real_now - dt.timedelta(days=120))
    add_chat(cli_db, "recent", real_now - dt.timedelta(days=10))

    assert "Removed 2 chat message(s) older than 90 days." in cli.ok("purge-chats")
    assert chat_bodies(cli_db) == ["recent"]


def test_purge_chats_takes_the_retention_from_the_option_or_the_setting(cli, cli_db):
    real_now = dt.datetime.now(dt.timezone.utc)
    add_chat(cli_db, "forty days", real_now - dt.timedelta(days=40))
    add_chat(cli_db, "five days", real_now - dt.timedelta(days=5))
    assert "Removed 0 chat message(s) older than 60 days." in cli.ok("purge-chats", CHAT_RETENTION_DAYS="60")
    assert "Removed 1 chat message(s) older than 30 days." in cli.ok("purge-chats", "--days", "30")
    assert chat_bodies(cli_db) == ["five days"]


def test_purge_chats_refuses_zero_days(cli, cli_db):
    assert "at least 1" in refused(cli("purge-chats", "--days", "0"))


def test_purge_chats_refuses_negative_days_without_a_traceback(cli, cli_db):
    assert "at least 1" in refused(cli("purge-chats", "--days", "-1"))


# --- a bad DATABASE_URL -------------------------------------------------------------------------------

def test_an_unsupported_database_url_fails_naming_database_url(cli):
    stderr = refused(cli("bookings", "list", DATABASE_URL="mysql://root@localhost/app"))
    assert "DATABASE_URL" in stderr


def test_any_bad_setting_fails_naming_the_variable(cli):
    assert "CHAT_RETENTION_DAYS" in refused(cli("purge-chats", CHAT_RETENTION_DAYS="forever"))


def test_an_unparseable_database_url_fails_naming_database_url(cli):
    assert "DATABASE_URL" in refused(cli("bookings", "list", DATABASE_URL="sqlite:"))


def test_an_unreachable_database_fails_naming_database_url(cli):
    stderr = refused(cli("bookings", "list", DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/nowhere"))
    assert "DATABASE_URL" in stderr


def test_a_day_with_ranges_written_out_of_order_round_trips(cli, cli_db, tmp_path):
    unsorted = GOOD_CONFIG.replace('["06:00-12:00", "16:00-21:00"]', '["16:00-21:00", "06:00-12:00"]')
    assert unsorted != GOOD_CONFIG
    source = tmp_path / "unsorted.yaml"
    source.write_text(unsorted, encoding="utf-8")
    cli.ok("import-config", str(source))
    assert business.require_business(cli_db) == business.parse_config(unsorted)
