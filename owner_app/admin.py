"""The owner's terminal tools: `python -m owner_app.admin COMMAND`.

Every command goes through the shared services; errors print to stderr with exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from pathlib import Path

from shared.bootstrap import open_database
from shared.config import SettingsError, get_settings
from shared.domain.errors import DomainError
from shared.domain.models import Faq, error_lines
from shared.domain.schedule import shown_status
from shared.services import bookings, business, chats, leads

import sqlalchemy.exc
from pydantic import ValidationError

log = logging.getLogger(__name__)


class CommandError(Exception):
    """A command could not do what was asked; the message is for the owner."""


def _db():
    return open_database()


# --- commands ----------------------------------------------------------------------------------------

def cmd_migrate(args) -> int:
    from shared.adapters.migrations import migrate
    from shared.adapters.db import Database
    applied = migrate(Database(get_settings().database_url))
    print(f"applied migrations: {', '.join(map(str, applied))}" if applied else "database is up to date")
    return 0


def cmd_init_demo(args) -> int:
    db = _db()
    if business.load_demo(db, only_if_empty=args.if_empty):
        print(f"Loaded the demo business ({business.DEMO_CONFIG.name}).")
    else:
        print("A business is already set up; left it as it is.")
    return 0


def cmd_import_config(args) -> int:
    config = business.import_config_file(_db(), Path(args.file))
    print(f"Imported {config.business.name!r}: {len(config.services)} services, {len(config.faqs)} FAQs, "
          f"{len(config.closures)} closure dates.")
    return 0


def cmd_export_config(args) -> int:
    text = business.config_to_yaml(business.require_business(_db()))
    if args.file:
        Path(args.file).write_text(text, encoding="utf-8")
        print(f"Wrote {args.file}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_faq_list(args) -> int:
    rows = business.list_faqs(_db())
    if args.json:
        print(json.dumps([{"id": i, **faq.model_dump()} for i, faq in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No FAQs yet.")
    for faq_id, faq in rows:
        language = f" [{faq.language}]" if faq.language else ""
        print(f"{faq_id:>4}{language}  Q: {faq.question}\n      A: {faq.answer}")
        for alternative in faq.alternatives:
            print(f"      also: {alternative}")
    return 0


def cmd_faq_add(args) -> int:
    try:
        faq = Faq(question=args.question, answer=args.answer, alternatives=args.alternative or [],
                  language=args.language)
    except ValidationError as error:
        raise CommandError("invalid FAQ:\n" + "\n".join(error_lines(error))) from None
    print(f"Added FAQ {business.add_faq(_db(), faq)}.")
    return 0


def cmd_faq_remove(args) -> int:
    business.remove_faq(_db(), args.id)
    print(f"Removed FAQ {args.id}.")
    return 0


def cmd_bookings_list(args) -> int:
    rows = bookings.list_bookings(_db(), status=args.status)
    if args.json:
        print(json.dumps([bookings.booking_as_json(b) for b in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No bookings.")
    now = dt.datetime.now(dt.timezone.utc)
    for b in rows:  # a pending request whose time passed reads "expired" (shared.domain.schedule)
        print(f"{b.id:>4}  {shown_status(b, now):<9} {b.scheduled_for:%a %d %b %Y %H:%M} ({b.timezone})  "
              f"{b.service} for {b.customer_name} {b.customer_phone}  asked: {b.requested_time!r}")
    return 0


def cmd_bookings_set_status(args) -> int:
    booking = bookings.set_booking_status(_db(), args.id, args.status, reason=args.reason, actor="owner (cli)")
    print(f"Booking {booking.id} is now {booking.status.value}.")
    return 0


def cmd_bookings_move(args) -> int:
    import datetime as dt
    config = business.require_business(_db())
    try:
        local = dt.datetime.strptime(args.to.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise CommandError(f"--to must be a local date and time such as 2026-12-24 17:30, not {args.to!r}") from None
    booking = bookings.move_booking_to(_db(), args.id, local.replace(tzinfo=config.business.zone),
                                       actor="owner (cli)")
    print(f"Booking {booking.id} is now on {booking.scheduled_for:%a %d %b %Y %H:%M} ({booking.timezone}), "
          f"{booking.status.value}; the customer is told.")
    return 0


def cmd_leads_list(args) -> int:
    rows = leads.list_leads(_db(), status=args.status)
    if args.json:
        print(json.dumps([leads.lead_as_json(lead) for lead in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No leads.")
    for lead in rows:
        print(f"{lead.id:>4}  {lead.status.value:<9} {lead.created_at:%Y-%m-%d %H:%M}  {lead.customer_name} "
              f"{lead.customer_phone}: {lead.requirement}")
    return 0


def cmd_leads_set_status(args) -> int:
    lead = leads.set_lead_status(_db(), args.id, args.status, actor="owner (cli)")
    print(f"Lead {lead.id} is now {lead.status.value}.")
    return 0


def cmd_leads_export(args) -> int:
    count, text = leads.export_csv(_db(), status=args.status)
    if args.csv == "-":
        sys.stdout.write(text)
    else:
        Path(args.csv).write_text(text, encoding="utf-8", newline="")
        print(f"Wrote {count} lead(s) to {args.csv}.")
    return 0


def cmd_purge_chats(args) -> int:
    days = args.days if args.days is not None else get_settings().chat_retention_days
    if days < 1:
        raise CommandError("--days must be at least 1")
    removed = chats.purge_chats(_db(), retention_days=days)
    print(f"Removed {removed} chat message(s) older than {days} days.")
    return 0


def cmd_eval(args) -> int:
    from shared.services import scenarios
    results = scenarios.run_scenario_file(Path(args.file))
    report = scenarios.summary(results)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        width = max([len(r.scenario) for r in results] + [8])
        print(f"{'scenario':<{width}}  turn  result  why")
        for r in results:
            print(f"{r.scenario:<{width}}  {r.turn:>4}  {'pass' if r.ok else 'FAIL':<6}  {r.why}")
        print(f"\n{report['passed']} passed, {report['failed']} failed")
    return 0 if report["failed"] == 0 else 1


def cmd_chat(args) -> int:
    import datetime as dt
    from shared.pipeline import InboundMessage
    from shared.services.intake import build_intake
    db = _db()
    business.require_business(db)
    intake = build_intake(db)
    sender = args.sender
    print(f"Chatting as {sender} through the {intake.pipeline.interpreter.name} interpreter. Ctrl-D or /quit to "
          "leave.")
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    turn = 0
    while True:
        try:
            line = input("you> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip() in ("/quit", "/exit"):
            return 0
        if not line.strip():
            continue
        turn += 1
        result = intake.deliver(InboundMessage(channel="cli", message_id=f"cli-{stamp}-{turn}", sender=sender,
                                               text=line, profile_name=args.name)).result
        print(f"bot> {result.reply if result.reply is not None else '(silent: ' + _why_silent(result) + ')'}")
        action = result.action
        if action.type != "none":
            extra = f" refused: {result.refusal_reason}" if result.refusal_reason else ""
            print(f"     [{action.type} #{action.id} {action.status or ''}{extra}]")


def _why_silent(result) -> str:
    status = result.action.status
    if status in ("opted_out", "already_opted_out", "superseded"):
        return "this number has opted out; START subscribes it again"
    return "a person has this conversation"


def cmd_send_outbox(args) -> int:
    import threading
    from shared.adapters.twilio_sender import missing_settings, sender_from_settings
    from shared.services import outbox
    settings = get_settings()
    missing = missing_settings(settings)
    if missing:
        raise CommandError("Twilio sending is not configured: set " + ", ".join(missing)
                           + " in the environment or .env")
    interval = args.interval if args.interval is not None else (settings.outbox_interval_s or 5.0)
    if interval <= 0:
        raise CommandError("--interval must be more than 0 seconds")
    db = _db()
    sender = sender_from_settings(settings)

    def show(report) -> None:
        counts = outbox.outbox_counts(db)
        print(f"{report}; outbox now: " + ", ".join(f"{status} {n}" for status, n in counts.items()), flush=True)

    if not args.loop:
        show(outbox.deliver_pending(db, sender))
        return 0
    print(f"Sending the outbox every {interval:g} s. Ctrl-C to stop.", flush=True)
    stop = threading.Event()
    try:
        outbox.run_loop(db, sender, interval, stop, on_report=lambda r: show(r) if r.handled or r.recovered else None)
    except KeyboardInterrupt:
        print()
    return 0


# --- parser ------------------------------------------------------------------------------------------

def _phone(value: str) -> str:
    from shared.domain.models import normalise_phone
    try:
        return normalise_phone(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m owner_app.admin",
                                     description="The owner's terminal tools for the WhatsApp front desk.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("migrate", help="bring the database schema up to date")
    p.set_defaults(func=cmd_migrate)
    p = commands.add_parser("init-demo", help="load the demo gym (replaces the business configuration)")
    p.add_argument("--if-empty", action="store_true", help="only when no business is set up yet")
    p.set_defaults(func=cmd_init_demo)
    p = commands.add_parser("import-config", help="replace the business configuration from a YAML file")
    p.add_argument("file")
    p.set_defaults(func=cmd_import_config)
    p = commands.add_parser("export-config", help="write the business configuration as YAML")
    p.add_argument("file", nargs="?", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export_config)

    faq = commands.add_parser("faq", help="approved FAQs").add_subparsers(dest="faq_command", required=True,
                                                                          metavar="list|add|remove")
    p = faq.add_parser("list", help="list approved FAQs")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_faq_list)
    p = faq.add_parser("add", help="approve a new FAQ")
    p.add_argument("question")
    p.add_argument("answer")
    p.add_argument("--alternative", action="append", help="another phrasing (repeatable)")
    p.add_argument("--language", help="language code of this FAQ, e.g. es")
    p.set_defaults(func=cmd_faq_add)
    p = faq.add_parser("remove", help="withdraw an FAQ by id")
    p.add_argument("id", type=int)
    p.set_defaults(func=cmd_faq_remove)

    book = commands.add_parser("bookings", help="booking requests").add_subparsers(
        dest="bookings_command", required=True, metavar="list|set-status|move")
    p = book.add_parser("list", help="list bookings")
    p.add_argument("--status", help="pending, approved, completed, cancelled or no_show")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_bookings_list)
    p = book.add_parser("set-status", help="approve, cancel or complete a booking, or mark a no-show")
    p.add_argument("id", type=int)
    p.add_argument("status", help="approved, completed, cancelled or no_show (no message is sent for a no-show)")
    p.add_argument("--reason", help="why it was cancelled")
    p.set_defaults(func=cmd_bookings_set_status)
    p = book.add_parser("move", help="move a pending or approved booking to another time (the customer is told)")
    p.add_argument("id", type=int)
    p.add_argument("--to", required=True, metavar="'YYYY-MM-DD HH:MM'", help="the new local date and time")
    p.set_defaults(func=cmd_bookings_move)

    lead = commands.add_parser("leads", help="callback leads").add_subparsers(
        dest="leads_command", required=True, metavar="list|set-status|export")
    p = lead.add_parser("list", help="list leads")
    p.add_argument("--status", help="new, contacted or closed")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_leads_list)
    p = lead.add_parser("set-status", help="mark a lead contacted or closed")
    p.add_argument("id", type=int)
    p.add_argument("status")
    p.set_defaults(func=cmd_leads_set_status)
    p = lead.add_parser("export", help="write leads as CSV")
    p.add_argument("--csv", required=True, metavar="FILE", help="CSV file to write ('-' for standard output)")
    p.add_argument("--status", help="only leads of this status")
    p.set_defaults(func=cmd_leads_export)

    p = commands.add_parser("eval", help="run a scenario file; exits non-zero on any failure")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func=cmd_eval)
    p = commands.add_parser("chat", help="talk to the assistant in the terminal, through the real pipeline")
    p.add_argument("--sender", default="+919800000099", type=_phone, help="customer phone (E.164)")
    p.add_argument("--name", help="the customer's WhatsApp profile name")
    p.set_defaults(func=cmd_chat)

    p = commands.add_parser("purge-chats", help="delete chat history older than CHAT_RETENTION_DAYS")
    p.add_argument("--days", type=int, help="override CHAT_RETENTION_DAYS")
    p.set_defaults(func=cmd_purge_chats)

    p = commands.add_parser("send-outbox", help="send queued owner replies over Twilio WhatsApp")
    p.add_argument("--loop", action="store_true", help="keep sending until Ctrl-C")
    p.add_argument("--interval", type=float, metavar="S",
                   help="seconds between passes with --loop (default: OUTBOX_INTERVAL_S, or 5)")
    p.set_defaults(func=cmd_send_outbox)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
    except (CommandError, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
    except (sqlalchemy.exc.ArgumentError, sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError) as error:
        first_line = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"error: DATABASE_URL: cannot use the database ({first_line})", file=sys.stderr)
    except OSError as error:
        print(f"error: {error.strerror or error}: {getattr(error, 'filename', '') or ''}".rstrip(": "),
              file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
