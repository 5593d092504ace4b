"""Leads: callback requests; filter, move along new -> contacted -> closed, download exactly what is shown."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from owner_app.views import _common as ui
from shared.domain.models import Lead, LeadStatus
from shared.services import leads

ui.page("Leads", "People who asked to be called back.")
ui.show_flashes()
config = ui.load_business()
zone = config.business.zone if config else dt.timezone.utc

STATUSES = ["all"] + [s.value for s in LeadStatus]
filters = st.columns([1, 3])
status = filters[0].selectbox("Status", STATUSES, key="leads_status", format_func=str.capitalize)
search = filters[1].text_input("Search", key="leads_search", placeholder="name, phone or what they asked about")

rows: list[Lead] = ui.list_leads(None if status == "all" else status)
needle = search.strip().casefold()
if needle:
    rows = [lead for lead in rows if needle in lead.customer_name.casefold() or needle in lead.customer_phone
            or needle in lead.requirement.casefold()]

if not rows:
    st.info("No leads match these filters.")
else:
    st.dataframe(pd.DataFrame([{
        "ID": lead.id,
        "Received": lead.created_at.astimezone(zone).strftime("%a %d %b %Y %H:%M"),
        "Name": lead.customer_name,
        "Phone": lead.customer_phone,
        "Wants": lead.requirement,
        "Status": lead.status.value,
    } for lead in rows]), hide_index=True, width="stretch",
        column_config={"ID": st.column_config.NumberColumn(width="small", format="%d"),
                       "Wants": st.column_config.TextColumn(width="large")})

# A callable: the CSV is made only when the owner clicks, over this signed-in session's WebSocket, instead of
# sitting in Streamlit's media store on every run (the web guard keeps /media for signed-in browsers).
st.download_button(f"Download these {len(rows)} lead(s) as CSV",
                   data=lambda: leads.leads_to_csv(rows, config.business.timezone if config else None)
                   .encode("utf-8"),
                   file_name=f"leads-{status}-{dt.date.today():%Y%m%d}.csv", mime="text/csv",
                   key="leads_download", icon=":material/download:", on_click="ignore", disabled=not rows)

by_id = {lead.id: lead for lead in rows}
previous = st.session_state.get("leads_selected", [])
kept = [] if st.session_state.pop("leads_clear", False) else [i for i in previous if i in by_id]
if kept != previous:  # assigned before the widget is drawn, so the browser shows it too
    st.session_state["leads_selected"] = kept

st.subheader("Change status")
selected_ids: list[int] = st.multiselect(
    "Leads", list(by_id), key="leads_selected", placeholder="Choose one or more leads",
    format_func=lambda i: f"#{i} · {by_id[i].customer_name} · {by_id[i].requirement[:50]} ({by_id[i].status.value})")
actions = st.container(horizontal=True)
contacted = actions.button("Mark contacted", key="leads_contacted", type="primary", disabled=not selected_ids,
                              icon=":material/call:")
closed = actions.button("Close", key="leads_closed", disabled=not selected_ids, icon=":material/task_alt:")

target = LeadStatus.CONTACTED if contacted else LeadStatus.CLOSED if closed else None
if target is not None and selected_ids:
    db = ui.database()
    ui.change_each(selected_ids, lambda lead_id: leads.set_lead_status(db, lead_id, target,
                                                                       actor=ui.DASHBOARD_ACTOR),
                   done_label=f"Marked {target.value}", noun="Lead", clear_key="leads_clear")
