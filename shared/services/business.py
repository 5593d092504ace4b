"""Business configuration verbs: load, replace, import/export as a file, the demo business, FAQs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..adapters import repository as repo
from ..adapters.db import Database
from ..clock import system_clock
from ..domain.errors import InvalidInput, NotFound
from ..domain.models import BusinessConfig, Faq, Service, error_lines

DEMO_CONFIG = Path(__file__).resolve().parent.parent / "demo" / "demo_gym.yaml"


def parse_config(text: str, *, source: str = "configuration") -> BusinessConfig:
    """Parse and validate a YAML business configuration; InvalidInput names every bad field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise InvalidInput(f"{source} is not valid YAML{where}",
                           detail={"errors": [f"(file): not valid YAML{where}"]}) from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{source} must be a mapping with a 'business' section",
                           detail={"errors": ["(top): expected a mapping with a 'business' section"]})
    return validate_config(data, source=source)


def validate_config(data: dict, *, source: str = "configuration") -> BusinessConfig:
    """Validate a configuration mapping, collecting every error with its path."""
    try:
        return BusinessConfig.model_validate(data)
    except ValidationError as error:
        lines = error_lines(error)
        raise InvalidInput(f"{source} has {len(lines)} problem(s):\n" + "\n".join(lines),
                           detail={"errors": lines}) from None


def config_to_yaml(config: BusinessConfig) -> str:
    """The configuration file for this business; parse_config reads it back unchanged."""
    data = config.model_dump(mode="json", exclude_none=True)
    for faq in data["faqs"]:
        if not faq.get("alternatives"):
            faq.pop("alternatives", None)
    if not data.get("templates"):
        data.pop("templates", None)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def load_business(db: Database) -> BusinessConfig | None:
    """The stored configuration, or None when no business is set up yet."""
    with db.read() as connection:
        return repo.load_config(connection)


def require_business(db: Database) -> BusinessConfig:
    """The stored configuration; NotFound when none is set up."""
    config = load_business(db)
    if config is None:
        raise NotFound("No business is set up yet; run `python -m owner_app.admin init-demo` or import a config.")
    return config


def save_business(db: Database, config: BusinessConfig, *, actor: str = "owner",
                  now: dt.datetime | None = None) -> None:
    """Replace the whole configuration in one transaction; bookings, leads and chats stay."""
    now = now or system_clock()
    with db.transaction() as connection:
        repo.replace_config(connection, config, now)
        repo.audit(connection, actor=actor, action="config.replace", entity="business", entity_id=1,
                   detail={"services": len(config.services), "faqs": len(config.faqs)}, now=now)


def import_config_file(db: Database, path: Path, *, actor: str = "owner") -> BusinessConfig:
    """Validate a config file completely, then replace the configuration; nothing is written if invalid."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}", detail={"errors": [str(error)]}) from None
    config = parse_config(text, source=str(path))
    save_business(db, config, actor=actor)
    return config


def load_demo(db: Database, *, only_if_empty: bool = False) -> bool:
    """Load the demo gym; with only_if_empty, leave an existing business alone. True when loaded."""
    if only_if_empty and load_business(db) is not None:
        return False
    save_business(db, parse_config(DEMO_CONFIG.read_text(encoding="utf-8"), source="demo"), actor="init-demo")
    return True


# --- services and FAQs ---------------------------------------------------------------------------------

def save_services(db: Database, services: list[Service], *, actor: str = "owner") -> None:
    """Replace the service catalogue after validating it as part of the whole configuration."""
    config = require_business(db)
    validated = validate_config({**config.model_dump(), "services": [s.model_dump() for s in services]})
    with db.transaction() as connection:
        repo.replace_services(connection, validated.services)
        repo.audit(connection, actor=actor, action="services.replace", detail={"count": len(services)})


def list_faqs(db: Database) -> list[tuple[int, Faq]]:
    """Approved FAQs with their ids, in the owner's order."""
    with db.read() as connection:
        return repo.list_faqs(connection)


def add_faq(db: Database, faq: Faq, *, actor: str = "owner") -> int:
    """Approve a new FAQ; returns its id."""
    now = system_clock()
    with db.transaction() as connection:
        faq_id = repo.add_faq(connection, faq, now)
        repo.audit(connection, actor=actor, action="faq.add", entity="faq", entity_id=faq_id,
                   detail={"question": faq.question}, now=now)
    return faq_id


def remove_faq(db: Database, faq_id: int, *, actor: str = "owner") -> None:
    """Withdraw an FAQ; NotFound when there is no such id."""
    with db.transaction() as connection:
        if not repo.remove_faq(connection, faq_id):
            raise NotFound(f"No FAQ with id {faq_id}.")
        repo.audit(connection, actor=actor, action="faq.remove", entity="faq", entity_id=faq_id)


def save_faqs(db: Database, faqs: list[Faq], *, actor: str = "owner") -> None:
    """Replace every FAQ at once (the dashboard's table editor)."""
    now = system_clock()
    with db.transaction() as connection:
        repo.replace_faqs(connection, faqs, now)
        repo.audit(connection, actor=actor, action="faqs.replace", detail={"count": len(faqs)}, now=now)
