"""Services & FAQs: the catalogue and the approved answers, edited as tables.

Each row becomes a `Service` or `Faq` before anything is saved; a table with any bad row saves nothing
and lists every problem by row.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
from pydantic import BaseModel, ValidationError

from owner_app.pages import _common as ui
from shared.domain.errors import InvalidInput
from shared.domain.models import Faq, Service, error_lines
from shared.services import business

ALTERNATIVES_SEPARATOR = " | "


def _clean(value):
    """A cell as the models want it: NaN/blank to None, whole floats to int, text trimmed."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return value.strip() or None
    if hasattr(value, "item"):  # numpy scalars
        return _clean(value.item())
    return value


def rows_to_models(frame: pd.DataFrame, model: type[BaseModel], prepare=None) -> tuple[list, list[str]]:
    """Validate every non-empty row; returns (models, error lines naming the row and the column)."""
    models, problems = [], []
    for number, record in enumerate(frame.to_dict("records"), start=1):
        values = {key: _clean(value) for key, value in record.items()}
        if all(value is None for value in values.values()):
            continue  # an empty row the owner added and left blank
        if prepare is not None:
            values = prepare(values)
        try:
            models.append(model.model_validate(values))
        except ValidationError as error:
            problems.extend(error_lines(error, prefix=f"row {number}"))
    return models, problems


def _faq_values(values: dict) -> dict:
    alternatives = values.get("alternatives") or ""
    values["alternatives"] = [part.strip() for part in alternatives.split("|") if part.strip()]
    values["language"] = values.get("language").lower() if values.get("language") else None
    for field in ("question", "answer"):  # a missing cell reads "field required", not "not a string"
        values[field] = values.get(field) or ""
    return values


def _service_values(values: dict) -> dict:
    values["name"] = values.get("name") or ""
    return values


def _version(name: str) -> int:
    return st.session_state.setdefault(f"knowledge_{name}_version", 0)


def _saved(name: str, message: str) -> None:
    st.session_state[f"knowledge_{name}_version"] = _version(name) + 1  # a fresh editor shows the stored rows
    st.session_state.pop(f"knowledge_{name}_problems", None)
    ui.after_write()
    ui.flash(message)
    st.rerun()


def _problems(name: str) -> None:
    problems = st.session_state.get(f"knowledge_{name}_problems")
    if problems:
        st.error("Nothing was saved. Fix these and save again:")
        st.code("\n".join(problems), language=None)


ui.page("Services & FAQs", "The assistant only states prices and answers that you approved here.")
ui.show_flashes()
config = ui.require_business_or_stop()
db = ui.database()

services_tab, faqs_tab = st.tabs([f"Services ({len(config.services)})", f"FAQs ({len(ui.list_faqs())})"])

with services_tab:
    st.caption("Customers can request bookings for these services. Price is your own wording, e.g. "
               "`INR 500` or `Free`; leave it empty when the assistant should not quote one.")
    services_frame = pd.DataFrame([s.model_dump() for s in config.services],
                                  columns=["name", "duration_minutes", "price"])
    services_frame["duration_minutes"] = services_frame["duration_minutes"].astype("Int64")
    edited_services = st.data_editor(
        services_frame, num_rows="dynamic", hide_index=True, width="stretch",
        key=f"knowledge_services_editor_{_version('services')}",
        column_config={
            "name": st.column_config.TextColumn("Service", required=True, max_chars=80),
            "duration_minutes": st.column_config.NumberColumn("Minutes", min_value=5, max_value=720, step=5,
                                                              required=True),
            "price": st.column_config.TextColumn("Price", max_chars=80),
        })
    _problems("services")
    if st.button("Save services", key="knowledge_save_services", type="primary", icon=":material/save:"):
        services, problems = rows_to_models(edited_services, Service, _service_values)
        if not problems:
            try:
                business.save_services(db, services, actor=ui.DASHBOARD_ACTOR)
            except InvalidInput as error:
                problems = error.detail.get("errors", [error.message])
        if problems:
            st.session_state["knowledge_services_problems"] = problems
            st.rerun()
        _saved("services", f"Saved {len(services)} service(s).")

with faqs_tab:
    st.caption("Questions customers ask and the answers you approve. Other phrasings of the same question go in "
               "*Also asked as*, separated by `|`. Language is a code such as `es` (empty: any language).")
    faqs_frame = pd.DataFrame([{"question": faq.question, "answer": faq.answer,
                                "alternatives": ALTERNATIVES_SEPARATOR.join(faq.alternatives),
                                "language": faq.language} for _, faq in ui.list_faqs()],
                              columns=["question", "answer", "alternatives", "language"])
    edited_faqs = st.data_editor(
        faqs_frame, num_rows="dynamic", hide_index=True, width="stretch",
        key=f"knowledge_faqs_editor_{_version('faqs')}",
        column_config={
            "question": st.column_config.TextColumn("Question", required=True, max_chars=300, width="medium"),
            "answer": st.column_config.TextColumn("Answer", required=True, max_chars=2000, width="large"),
            "alternatives": st.column_config.TextColumn("Also asked as", width="medium"),
            "language": st.column_config.TextColumn("Language", max_chars=3, width="small"),
        })
    _problems("faqs")
    if st.button("Save FAQs", key="knowledge_save_faqs", type="primary", icon=":material/save:"):
        faqs, problems = rows_to_models(edited_faqs, Faq, _faq_values)
        if problems:
            st.session_state["knowledge_faqs_problems"] = problems
            st.rerun()
        business.save_faqs(db, faqs, actor=ui.DASHBOARD_ACTOR)
        _saved("faqs", f"Saved {len(faqs)} FAQ(s).")
