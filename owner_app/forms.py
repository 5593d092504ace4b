"""Table rows from the dashboard's editors -> validated models -> saved through `shared.services`.

Plain functions (no Streamlit), so the Services & FAQs page and the tests share one code path: a table with
any bad row saves nothing and returns every problem, named by row and column.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from pydantic import BaseModel, ValidationError

from shared.adapters.db import Database
from shared.domain.errors import InvalidInput
from shared.domain.models import Faq, Service, error_lines
from shared.services import business

ALTERNATIVES_SEPARATOR = " | "
DASHBOARD_ACTOR = "owner (dashboard)"


def clean(value):
    """A cell as the models want it: NaN/NA/blank to None, whole floats to int, text trimmed."""
    if value is None:
        return None
    try:
        import pandas as pd
        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas comes with Streamlit
        pass
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "item"):  # numpy scalars
        return clean(value.item())
    return value


def rows_to_models(rows: Iterable[dict], model: type[BaseModel],
                   prepare: Callable[[dict], dict] | None = None) -> tuple[list, list[str]]:
    """Validate every non-empty row; returns (models, error lines naming the row and the column)."""
    models, problems = [], []
    for number, record in enumerate(rows, start=1):
        values = {key: clean(value) for key, value in dict(record).items()}
        if all(value in (None, []) for value in values.values()):
            continue  # an empty row the owner added and left blank
        if prepare is not None:
            values = prepare(values)
        try:
            models.append(model.model_validate(values))
        except ValidationError as error:
            problems.extend(error_lines(error, prefix=f"row {number}"))
    return models, problems


def faq_values(values: dict) -> dict:
    """An FAQ row as `Faq` wants it: "a | b" alternatives split, language lower-cased."""
    alternatives = values.get("alternatives") or ""
    if isinstance(alternatives, str):
        alternatives = alternatives.split("|")
    values["alternatives"] = [str(part).strip() for part in alternatives if str(part).strip()]
    language = values.get("language")
    values["language"] = language.lower() if isinstance(language, str) and language else language
    for name in ("question", "answer"):  # a missing cell reads "field required", not "not a string"
        values[name] = values.get(name) or ""
    return values


def service_values(values: dict) -> dict:
    """A service row as `Service` wants it: "a | b" aliases split."""
    values["name"] = values.get("name") or ""
    aliases = values.get("aliases") or ""
    if isinstance(aliases, str):
        aliases = aliases.split("|")
    values["aliases"] = [str(part).strip() for part in aliases if str(part).strip()]
    return values


def service_rows(services: Iterable[Service]) -> list[dict]:
    """Services as the editor's rows (the inverse of `save_service_rows`)."""
    return [{"name": s.name, "duration_minutes": s.duration_minutes, "price": s.price,
             "aliases": ALTERNATIVES_SEPARATOR.join(s.aliases)} for s in services]


def faq_rows(faqs: Iterable[Faq]) -> list[dict]:
    """FAQs as the editor's rows (the inverse of `save_faq_rows`)."""
    return [{"question": faq.question, "answer": faq.answer,
             "alternatives": ALTERNATIVES_SEPARATOR.join(faq.alternatives), "language": faq.language}
            for faq in faqs]


def _save_rows(rows: Iterable[dict], model, values, save) -> list[str]:
    # Validate every row first; save only a wholly valid table, and report what the service refused.
    items, problems = rows_to_models(rows, model, values)
    if problems:
        return problems
    try:
        save(items)
    except InvalidInput as error:
        return list(error.detail.get("errors") or [error.message])
    return []


def save_faq_rows(db: Database, rows: Iterable[dict], *, actor: str = DASHBOARD_ACTOR) -> list[str]:
    """Replace every FAQ with these rows (question, answer, alternatives "a | b", language).

    Returns the problems; when there is any, nothing was saved."""
    return _save_rows(rows, Faq, faq_values, lambda faqs: business.save_faqs(db, faqs, actor=actor))


def save_service_rows(db: Database, rows: Iterable[dict], *, actor: str = DASHBOARD_ACTOR) -> list[str]:
    """Replace the service catalogue with these rows (name, duration_minutes, price, aliases "a | b").

    Returns the problems; when there is any, nothing was saved."""
    return _save_rows(rows, Service, service_values,
                      lambda services: business.save_services(db, services, actor=actor))
