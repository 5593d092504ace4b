"""What a request of the webhook needs, built once per app (per process) by `create_app`."""

from __future__ import annotations

from dataclasses import dataclass

from flask_limiter import Limiter

from shared.adapters.db import Database, WalCheckpointer
from shared.clock import Clock, system_clock
from shared.config import Settings
from shared.pipeline import Pipeline
from shared.services.intake import Intake
from shared.services.outbox import OutboxWorker

EXTENSION_KEY = "frontdesk_webhook"


@dataclass
class WebhookService:
    """The settings, the database, the intake service and the background workers of one app."""

    settings: Settings
    db: Database
    pipeline: Pipeline
    intake: Intake
    limiter: Limiter
    clock: Clock = system_clock
    outbox_worker: OutboxWorker | None = None
    ratelimit_key_prefix: str = "frontdesk"
    checkpointer: WalCheckpointer | None = None
    outbox_off_reason: str | None = None


def current_service() -> WebhookService:
    """The service of the app handling the current request."""
    from flask import current_app
    return current_app.extensions[EXTENSION_KEY]
