"""Bookings: filter by status and dates; approve, cancel (with a reason), complete or mark a no-show."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from owner_app.views import _common as ui
from shared.domain.models import Booking, BookingStatus
from shared.services import bookings

ui.page("Bookings", "Every request the assistant takes is pending until you approve it here.")
ui.show_flashes()
config = ui.require_business_or_stop()
zone = config.business.zone
today = dt.datetime.now(zone).date()

STATUSES = ["all"] + [s.value for s in BookingStatus]

filters = st.columns([1, 2, 2])
status = filters[0].selectbox("Status", STATUSES, index=STATUSES.index("pending"), key="bookings_status",
                              format_func=str.capitalize)
period = filters[1].date_input("Scheduled between", value=(today - dt.timedelta(days=7),
                                                            today + dt.timedelta(days=60)),
                               key="bookings_period", format="YYYY-MM-DD")
search = filters[2].text_input("Search", key="bookings_search", placeholder="name, phone or service")

start = end = None
if isinstance(period, (tuple, list)) and len(period) == 2:
    start = dt.datetime.combine(period[0], dt.time(), tzinfo=zone)
    end = dt.datetime.combine(period[1] + dt.timedelta(days=1), dt.time(), tzinfo=zone)
elif isinstance(period, (tuple, list)) and len(period) == 1:  # the second date is still being picked
    start = dt.datetime.combine(period[0], dt.time(), tzinfo=zone)

rows: list[Booking] = ui.list_bookings(None if status == "all" else status, start, end)
needle = search.strip().casefold()
if needle:
    rows = [b for b in rows if needle in b.customer_name.casefold() or needle in b.customer_phone
            or needle in b.service.casefold()]


def label(booking: Booking) -> str:
    return (f"#{booking.id} · {booking.scheduled_for.astimezone(zone):%a %d %b %H:%M} · {booking.service} · "
            f"{booking.customer_name} ({booking.status.value})")


if not rows:
    st.info("No bookings match these filters.")
else:
    st.dataframe(pd.DataFrame([{
        "ID": b.id,
        "When": b.scheduled_for.astimezone(zone).strftime("%a %d %b %Y %H:%M"),
        "Minutes": b.duration_minutes,
        "Service": b.service,
        "Customer": b.customer_name,
        "Phone": b.customer_phone,
        "Asked for": b.requested_time,
        "Status": b.status.value,
        "Cancel reason": b.cancel_reason or "",
        "Requested": b.created_at.astimezone(zone).strftime("%d %b %H:%M"),
    } for b in rows]), hide_index=True, width="stretch",
        column_config={"ID": st.column_config.NumberColumn(width="small", format="%d")})
    st.caption(f"{len(rows)} booking(s); times in {config.business.timezone}.")

by_id = {b.id: b for b in rows}
# Before the widgets are drawn: forget selections the filter no longer shows, and clear the inputs after an
# action (assigning through session_state also updates what the browser shows; deleting the key would not).
previous = st.session_state.get("bookings_selected", [])
kept = [] if st.session_state.get("bookings_clear") else [i for i in previous if i in by_id]
if kept != previous:
    st.session_state["bookings_selected"] = kept
if st.session_state.pop("bookings_clear", False):
    st.session_state["bookings_reason"] = ""

st.subheader("Change status")
selected_ids: list[int] = st.multiselect("Bookings", list(by_id), key="bookings_selected",
                                         format_func=lambda i: label(by_id[i]),
                                         placeholder="Choose one or more bookings")
reason = st.text_input("Cancellation reason (optional, kept with the booking)", key="bookings_reason",
                       max_chars=500)
actions = st.container(horizontal=True)
approve = actions.button("Approve", key="bookings_approve", type="primary", disabled=not selected_ids,
                            icon=":material/check:")
complete = actions.button("Mark completed", key="bookings_complete", disabled=not selected_ids,
                             icon=":material/done_all:")
cancel = actions.button("Cancel", key="bookings_cancel", disabled=not selected_ids, icon=":material/close:")
no_show = actions.button("Mark no-show", key="bookings_no_show", disabled=not selected_ids,
                         icon=":material/person_off:", help="An approved booking the customer did not come to; "
                         "no message is sent, and it stays in their history.")

target = BookingStatus.APPROVED if approve else BookingStatus.COMPLETED if complete else \
    BookingStatus.CANCELLED if cancel else BookingStatus.NO_SHOW if no_show else None
if target is not None and selected_ids:
    db = ui.database()
    cancel_reason = (reason.strip() or None) if target is BookingStatus.CANCELLED else None
    ui.change_each(selected_ids, lambda booking_id: bookings.set_booking_status(
        db, booking_id, target, actor=ui.DASHBOARD_ACTOR, reason=cancel_reason),
        done_label=target.value.replace("_", "-").capitalize(), noun="Booking", clear_key="bookings_clear")
