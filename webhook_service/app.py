"""The webhook service's app factory.

Configuration is layered: the defaults of `shared.config.Settings`, then the environment (and `.env`),
then the `config` mapping given to `create_app` (tests). Besides the settings (by their variable
names, e.g. ``DATABASE_URL``, ``RATE_LIMIT``), the mapping may inject collaborators:

* ``PIPELINE``: a ready `shared.pipeline.Pipeline` (its database is used unless ``DATABASE`` is given);
* ``DATABASE``: a `shared.adapters.db.Database`;
* ``CLOCK``: the pipeline's clock (e.g. `shared.clock.frozen_clock(...)`); ``INTERPRETER``: an Interpreter;
* ``LEDGER_CLOCK``: the clock of the delivery ledger's leases (default: the real time);
* ``CLAIM_LEASE_S``: the lease of a claim (default MODEL_TIMEOUT_S + 2 s);
* ``DUPLICATE_WAIT_S``: how long a duplicate waits for the in-flight original (default 5 s);
* ``RATELIMIT_KEY_PREFIX``: prefix of the rate-limit keys in shared storage (default "frontdesk");
* ``SETTINGS``: a ready `Settings` object (then no setting is read from the environment);
* ``WAL_CHECKPOINTER``: whether to checkpoint a SQLite database from a background thread (default: yes when
  the app opened the database itself and is not ``TESTING``), so writers do not copy the WAL back while
  holding the write lock;
* ``OUTBOX_SENDER``: whether to run the background outbox sender (default: yes, unless ``TESTING``); it runs
  only when TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM are set and OUTBOX_INTERVAL_S > 0.

`run.sh` serves it with the ``python -m webhook_service.serve`` launcher, which calls ``create_app`` in
each Waitress process and sets Waitress's limits from the settings: with no argument the settings come
from the environment and the database is opened (and migrated) with `shared.bootstrap.open_database`.
``waitress-serve --call webhook_service:create_app`` serves it too, with Waitress's default limits.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from sqlalchemy.engine import make_url

from shared import bootstrap
from shared.adapters.db import Database, WalCheckpointer
from shared.clock import system_clock
from shared.config import Settings, load_settings
from shared.pipeline import Pipeline, build_pipeline
from shared.services.intake import DUPLICATE_WAIT_S, Intake
from shared.services.outbox import OutboxWorker

from .errors import ConfigurationError, register_error_handlers
from .ratelimit import SenderRateLimit, limiter_storage_uri
from .routes import build_blueprint
from .service import EXTENSION_KEY, WebhookService, current_service  # noqa: F401 - re-exported

log = logging.getLogger(__name__)

#: SQLite WAL size (pages of 4 KiB) at which a writer checkpoints itself; the background checkpointer
#: normally keeps the WAL far below it.
WRITER_AUTOCHECKPOINT_PAGES = 20_000

_INJECTED = ("PIPELINE", "DATABASE", "CLOCK", "INTERPRETER", "LEDGER_CLOCK", "CLAIM_LEASE_S", "DUPLICATE_WAIT_S",
             "RATELIMIT_KEY_PREFIX", "SETTINGS", "OUTBOX_SENDER",
             "WAL_CHECKPOINTER")


class SerialWriteDatabase:
    """A Database whose write transactions queue on a lock instead of in SQLite's busy handler (SQLite only).

    SQLite allows one writer at a time; writers that find the lock taken (BEGIN IMMEDIATE) wait in
    SQLite's busy handler, which sleeps 1, 2, 5, 10 ... up to 100 ms between tries. Under load that
    sleeping -- not the work -- dominated latency (p99 > 1 s with 8 Waitress threads). Writers of this
    process queue on a mutex, and the processes of one service (WEBHOOK_WORKERS > 1) on an flock of
    `<database file>-writers`, so the write lock is handed over without sleeping. Other programs (the
    dashboard) still meet the busy timeout. Reads are untouched (WAL readers never block).
    """

    def __init__(self, database: Database):
        self._database = database
        self._write_lock = threading.RLock()
        self._depth = 0
        self._lock_file = _open_writers_lock(database)
        # Writers take turns, so one connection serves them all: no pool checkout and return per message.
        self._writer = None

    def __getattr__(self, name):
        return getattr(self._database, name)

    @property
    def unwrapped(self) -> Database:
        return self._database

    @contextlib.contextmanager
    def transaction(self):
        with self._write_lock:
            outermost = self._depth == 0
            if outermost and self._lock_file is not None:
                fcntl.flock(self._lock_file, fcntl.LOCK_EX)  # releases the GIL while it waits
            self._depth += 1
            try:
                if outermost:
                    connection = self._writer_connection()
                    with connection.begin():
                        yield connection
                else:  # a nested writer in this thread gets its own connection, as before
                    with self._database.transaction() as connection:
                        yield connection
            finally:
                self._depth -= 1
                if outermost and self._lock_file is not None:
                    fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def _writer_connection(self):
        writer = self._writer
        if writer is None or writer.closed or writer.invalidated:
            writer = self._writer = self._database.engine.connect()
        return writer

    def read(self):
        return self._database.read()

    def dispose(self) -> None:
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
        self._database.dispose()


def _open_writers_lock(database: Database):
    """The lock file shared by the processes writing one SQLite file, or None (in-memory database)."""
    path = make_url(database.url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return open(f"{path}-writers", "a+b")  # noqa: SIM115 - held for the life of the process


class AtMostEvery(logging.Filter):
    """Lets a logger's records through at most once per interval, counting the ones held back."""

    def __init__(self, interval_s: float):
        super().__init__()
        self.interval_s = interval_s
        self._next_at = 0.0
        self._held_back = 0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now < self._next_at:
            self._held_back += 1
            return False
        if self._held_back:
            record.msg = f"{record.msg} ({self._held_back} more like it since the last one)"
            self._held_back = 0
        self._next_at = now + self.interval_s
        return True


def _quiet_waitress_queue_warning() -> None:
    # Waitress warns "Task queue depth is N" on every request that waits for a thread: under a burst
    # that is one log line per message, which costs CPU when the service is already busy. Once a
    # minute says the same.
    queue_log = logging.getLogger("waitress.queue")
    if not any(isinstance(f, AtMostEvery) for f in queue_log.filters):
        queue_log.addFilter(AtMostEvery(60.0))


def _freeze_startup_objects() -> None:
    # Everything built so far (modules, models, the FAQ index) lives as long as the process. A full
    # garbage collection walked all of it -- about 100,000 objects, 25-30 ms with the GIL held, a few
    # times a second under load, stalling every request in flight (the p99). Frozen objects are left
    # out of collections; what requests allocate is still collected as usual.
    gc.collect()
    gc.freeze()


def _secret(value) -> str | None:
    if value is None:
        return None
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    return text or None


def missing_for_production(settings: Settings) -> list[str]:
    """The variables production needs that are unset."""
    missing = []
    if not _secret(settings.webhook_token):
        missing.append("WEBHOOK_TOKEN")
    if not _secret(settings.twilio_auth_token):
        missing.append("TWILIO_AUTH_TOKEN")
    if not settings.public_webhook_url:
        missing.append("PUBLIC_WEBHOOK_URL")
    return missing


def _settings_from(config: Mapping[str, Any]) -> Settings:
    if config.get("SETTINGS") is not None:
        return config["SETTINGS"]
    fields = Settings.model_fields
    overrides = {key.lower(): value for key, value in config.items()
                 if key.lower() in fields and key not in _INJECTED}
    return load_settings(**overrides)


def _client_key() -> str:
    """The key of limits declared on routes (none today): the client address."""
    return get_remote_address() or "unknown"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the webhook app; raises ConfigurationError / SettingsError naming what is wrong."""
    config = dict(config or {})
    settings = _settings_from(config)

    missing = missing_for_production(settings)
    if settings.app_env == "production" and missing:
        raise ConfigurationError("APP_ENV=production refuses to start without " + ", ".join(missing)
                                 + ": set " + (" and ".join(missing)) + " in the environment or .env")
    if missing:
        consequences = {"WEBHOOK_TOKEN": "POST /webhook/json refuses every request",
                        "TWILIO_AUTH_TOKEN": "POST /webhook/twilio refuses every request",
                        "PUBLIC_WEBHOOK_URL": "Twilio signatures are checked against the request's own URL"}
        log.warning("development mode: %s", "; ".join(f"{name} is not set, so {consequences[name]}"
                                                      for name in missing))

    _quiet_waitress_queue_warning()
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        MAX_FORM_MEMORY_SIZE=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_STORAGE_URI=limiter_storage_uri(settings.ratelimit_storage_uri),
        RATELIMIT_KEY_PREFIX=config.get("RATELIMIT_KEY_PREFIX", "frontdesk"),
    )
    app.json.sort_keys = False
    for key in ("TESTING", "PROPAGATE_EXCEPTIONS"):
        if key in config:
            app.config[key] = config[key]

    pipeline: Pipeline | None = config.get("PIPELINE")
    db: Database | None = config.get("DATABASE") or (pipeline.db if pipeline is not None else None)
    opened_here = db is None
    if db is None:
        # This process checkpoints from a background thread (below); writers only as a safety net.
        db = bootstrap.open_database(settings.database_url, wal_autocheckpoint_pages=WRITER_AUTOCHECKPOINT_PAGES)
    if db.is_sqlite and not isinstance(db, SerialWriteDatabase):
        db = SerialWriteDatabase(db)
    clock = config.get("CLOCK") or (pipeline.clock if pipeline is not None else system_clock)
    if pipeline is None:
        pipeline = build_pipeline(db, settings=settings, clock=clock, interpreter=config.get("INTERPRETER"))

    limiter = Limiter(
        key_func=_client_key,
        app=app,
        default_limits=[],
        storage_uri=limiter_storage_uri(settings.ratelimit_storage_uri),
        headers_enabled=True,
        strategy="fixed-window",
        key_prefix=config.get("RATELIMIT_KEY_PREFIX", "frontdesk"),
        # A rate-limit store that goes away must not take the webhook down with it.
        in_memory_fallback_enabled=True,
    )

    @limiter.request_filter
    def _counted_by_the_view() -> bool:
        # The message endpoints count RATE_LIMIT per sender themselves, after authentication
        # (routes.SenderRateLimit); the per-request middleware has nothing to add there and costs
        # tens of microseconds per message.
        return request.blueprint == "webhook"

    key_prefix = config.get("RATELIMIT_KEY_PREFIX", "frontdesk")
    intake = Intake(pipeline,
                    limit=SenderRateLimit(limiter, settings.rate_limit, scope="inbound-sender", key_prefix=key_prefix),
                    ledger_clock=config.get("LEDGER_CLOCK") or system_clock,
                    lease_s=config.get("CLAIM_LEASE_S"),
                    duplicate_wait_s=float(config.get("DUPLICATE_WAIT_S", DUPLICATE_WAIT_S)))
    service = WebhookService(settings=settings, db=db, pipeline=pipeline, intake=intake, limiter=limiter,
                             clock=clock, ratelimit_key_prefix=key_prefix)
    app.extensions[EXTENSION_KEY] = service

    if opened_here and not app.testing:
        pipeline.warm()
        _freeze_startup_objects()

    if db.is_sqlite and config.get("WAL_CHECKPOINTER", opened_here and not app.testing):
        service.checkpointer = WalCheckpointer(db.unwrapped if isinstance(db, SerialWriteDatabase) else db).start()

    wanted = config.get("OUTBOX_SENDER")
    if wanted is None:
        wanted = not app.testing
    if wanted:
        service.outbox_worker, service.outbox_off_reason = _start_outbox_worker(settings, db)
    else:
        service.outbox_off_reason = "not started in this app (OUTBOX_SENDER is off)"

    register_error_handlers(app)
    app.register_blueprint(build_blueprint(service))
    return app


def _start_outbox_worker(settings: Settings, db) -> tuple[OutboxWorker | None, str | None]:
    """The background sender of the outbox, started; or None and why not (never raises)."""
    from shared.adapters.twilio_sender import missing_settings, sender_from_settings
    if settings.outbox_interval_s <= 0:
        log.info("outbox sender disabled (OUTBOX_INTERVAL_S=0): run `python -m owner_app.admin send-outbox`")
        return None, "disabled (OUTBOX_INTERVAL_S=0)"
    missing = missing_settings(settings)
    if missing:
        reason = "missing " + ", ".join(missing)
        level = logging.WARNING if settings.app_env == "production" or len(missing) < 3 else logging.INFO
        log.log(level, "outbox sender not started (%s): owner replies stay queued in the outbox", reason)
        return None, reason
    try:
        worker = OutboxWorker(db, sender_from_settings(settings), settings.outbox_interval_s).start()
    except Exception:  # noqa: BLE001 - outbound trouble must never keep the webhook from starting
        log.exception("outbox sender could not start; owner replies stay queued in the outbox")
        return None, "could not start (see the log)"
    log.info("outbox sender started: every %.1f s", settings.outbox_interval_s)
    return worker, None
