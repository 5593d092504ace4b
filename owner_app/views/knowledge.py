"""Services & FAQs: the catalogue and the approved answers, edited as tables.

Each row becomes a `Service` or `Faq` before anything is saved (`owner_app.forms`); a table with any bad
row saves nothing and lists every problem by row.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from owner_app import forms
from owner_app.views import _common as ui
from shared.services import business


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

# Stable tab labels (no counts): a label that changes after a save would send the owner back to the first tab.
services_tab, faqs_tab = st.tabs(["Services", "FAQs"])

with services_tab:
    st.caption(f"{len(config.services)} service(s). Customers can request bookings for these services. "
               "Price is your own wording, e.g. "
               "`INR 500` or `Free`; leave it empty when the assistant should not quote one. *Also called*: "
               "your customers' other words for it (`cut | trim`), separated by `|`.")
    services_frame = pd.DataFrame(forms.service_rows(config.services),
                                  columns=["name", "duration_minutes", "price", "aliases"])
    services_frame["duration_minutes"] = services_frame["duration_minutes"].astype("Int64")
    edited_services = st.data_editor(
        services_frame, num_rows="dynamic", hide_index=True, width="stretch",
        key=f"knowledge_services_editor_{_version('services')}",
        column_config={
            "name": st.column_config.TextColumn("Service", required=True, max_chars=80),
            "duration_minutes": st.column_config.NumberColumn("Minutes", min_value=5, max_value=720, step=5,
                                                              required=True),
            "price": st.column_config.TextColumn("Price", max_chars=80),
            "aliases": st.column_config.TextColumn("Also called", width="medium"),
        })
    _problems("services")
    if st.button("Save services", key="knowledge_save_services", type="primary", icon=":material/save:"):
        problems = forms.save_service_rows(db, edited_services.to_dict("records"), actor=ui.DASHBOARD_ACTOR)
        if problems:
            st.session_state["knowledge_services_problems"] = problems
            st.rerun()
        _saved("services", f"Saved {len(business.require_business(db).services)} service(s).")

with faqs_tab:
    st.caption(f"{len(ui.list_faqs())} approved FAQ(s). Questions customers ask and the answers you approve. "
               "Other phrasings of the same question go in "
               "*Also asked as*, separated by `|`. Language is a code such as `es` (empty: any language).")
    faqs_frame = pd.DataFrame(forms.faq_rows(faq for _, faq in ui.list_faqs()),
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
        problems = forms.save_faq_rows(db, edited_faqs.to_dict("records"), actor=ui.DASHBOARD_ACTOR)
        if problems:
            st.session_state["knowledge_faqs_problems"] = problems
            st.rerun()
        _saved("faqs", f"Saved {len(business.list_faqs(db))} FAQ(s).")
