"""Bookings: what needs a decision now, the week's calendar against capacity, and every booking with filters.

Each view is a table whose rows are ticked to act on them (approve, cancel with a reason, mark completed or a
no-show).
The selection is remembered by booking id, so a list that changes between two runs (a new request, the cache
refreshed) never moves it onto another booking; after an action only the refused rows stay selected.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from owner_app.views import _common as ui
from shared.domain.models import Booking, BookingStatus
from shared.domain.schedule import DayPlan, SlotLine, is_expired, needs_decision, shown_status, slot_at, week_plan
from shared.services import bookings

ui.page("Bookings", "Every request the assistant takes waits for your decision here: tick its row, then approve "
                    "or cancel it. The customer is told either way.")
ui.show_flashes()
config = ui.require_business_or_stop()
zone = config.business.zone
now = dt.datetime.now(zone)
today = now.date()
WEEK_DAYS = 7

VIEWS = {"decide": "Needs a decision", "week": "Today / week", "all": "All bookings"}
STATUS_MARK = {"pending": "⏳ pending", "expired": "⌛ expired", "approved": "✅ approved",
               "completed": "☑️ completed", "cancelled": "✖️ cancelled", "no_show": "🚫 no-show"}

# After an action: every table starts again (a new key), keeping selected only the rows that were refused.
if st.session_state.pop("bookings_clear", False):
    refused = set(st.session_state.pop("bookings_refused", []))
    st.session_state["bookings_version"] = st.session_state.get("bookings_version", 0) + 1
    for name in [k for k in st.session_state if k.startswith("bookings_") and k.endswith("_picked")]:
        st.session_state[name] = [i for i in st.session_state[name] if i in refused]
    if not refused:
        for name in [k for k in st.session_state if k.startswith("bookings_") and k.endswith("_reason")]:
            st.session_state[name] = ""


def plans_for(first: dt.date, days: int) -> list[DayPlan]:
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    held = ui.list_bookings(None, start, start + dt.timedelta(days=days))
    return week_plan(first, days, hours=config.hours, policy=config.booking, closures=config.closures, tz=zone,
                     bookings=held, now=now)


def places(slot: SlotLine | None) -> str:
    """'1/2 taken · 2 waiting' for a slot; '' outside every slot."""
    if slot is None:
        return "outside hours"
    text = f"{slot.approved}/{slot.capacity} taken"
    if slot.pending:
        text += f" · {slot.pending} waiting"
    return text + (" · full" if slot.full else "")


def booking_rows(rows: list[Booking], plans: list[DayPlan]) -> pd.DataFrame:
    return pd.DataFrame([{
        "When": b.scheduled_for.astimezone(zone).strftime("%a %d %b %H:%M"),
        "Customer": b.customer_name,
        "Service": b.service,
        "Status": STATUS_MARK.get(shown_status(b, now), shown_status(b, now)),
        "Slot": places(slot_at(plans, b.scheduled_for.astimezone(zone))),
        "Phone": b.customer_phone,
        "Minutes": b.duration_minutes,
        "Asked for": b.requested_time,
        "Cancel reason": b.cancel_reason or "",
        "Requested": b.created_at.astimezone(zone).strftime("%d %b %H:%M"),
        "ID": b.id,
    } for b in rows], columns=["When", "Customer", "Service", "Status", "Slot", "Phone", "Minutes", "Asked for",
                               "Cancel reason", "Requested", "ID"])


def table_key(slug: str) -> str:
    """The selection widget's key: a new one after each action and whenever the listed rows change."""
    return f"bookings_{slug}_{st.session_state.get('bookings_version', 0)}_{st.session_state.get(f'bookings_{slug}_v', 0)}"


def selectable(slug: str, rows: list[Booking], plans: list[DayPlan], *, hide: tuple[str, ...] = ()) -> list[Booking]:
    """The rows as a table whose rows can be ticked; returns the ticked bookings."""
    ids = [b.id for b in rows]
    shown, picked_key = f"bookings_{slug}_shown", f"bookings_{slug}_picked"
    if st.session_state.get(shown, ids) != ids:  # other rows now: a new widget, the same bookings selected
        st.session_state[f"bookings_{slug}_v"] = st.session_state.get(f"bookings_{slug}_v", 0) + 1
    st.session_state[shown] = ids
    keep = [ids.index(i) for i in st.session_state.get(picked_key, []) if i in ids]
    frame = booking_rows(rows, plans).drop(columns=list(hide))
    event = st.dataframe(
        frame, key=table_key(slug), on_select="rerun", selection_mode="multi-row", hide_index=True,
        width="stretch", selection_default={"selection": {"rows": keep, "columns": []}} if keep else None,
        column_config={"ID": st.column_config.NumberColumn(width="small", format="%d"),
                       "When": st.column_config.TextColumn(pinned=True)})
    picked = [rows[i] for i in event.selection.rows if 0 <= i < len(rows)]
    st.session_state[picked_key] = [b.id for b in picked]
    return picked


def actions(slug: str, picked: list[Booking], *, approve: bool = True, complete: bool = False) -> None:
    """The buttons acting on the ticked rows; each refused row says why, the others go through."""
    if not picked:
        st.caption("Tick rows in the table (the box at the left of a row) to approve or cancel them.")
    else:
        st.caption("Selected: " + ", ".join(
            f"#{b.id} {b.customer_name} {b.scheduled_for.astimezone(zone):%a %d %b %H:%M}" for b in picked))
    reason = st.text_input("Cancellation reason (optional; kept with the booking and told to the customer)",
                           key=f"bookings_{slug}_reason", max_chars=500)
    bar = st.container(horizontal=True)
    count = f" ({len(picked)})" if picked else ""
    go_approve = approve and bar.button(f"Approve{count}", key=f"bookings_{slug}_approve", type="primary",
                                        disabled=not picked, icon=":material/check:")
    go_complete = complete and bar.button(f"Mark completed{count}", key=f"bookings_{slug}_complete",
                                          disabled=not picked, icon=":material/done_all:")
    go_cancel = bar.button(f"Cancel{count}", key=f"bookings_{slug}_cancel", disabled=not picked,
                           icon=":material/close:")
    go_no_show = complete and bar.button(f"Mark no-show{count}", key=f"bookings_{slug}_no_show",
                                         disabled=not picked, icon=":material/person_off:",
                                         help="An approved booking the customer did not come to; no message is "
                                              "sent, and it stays in their history.")
    target = BookingStatus.APPROVED if go_approve else BookingStatus.COMPLETED if go_complete else \
        BookingStatus.CANCELLED if go_cancel else BookingStatus.NO_SHOW if go_no_show else None
    if target is None or not picked:
        return
    db = ui.database()
    cancel_reason = (reason.strip() or None) if target is BookingStatus.CANCELLED else None
    ui.change_each([b.id for b in picked], lambda booking_id: bookings.set_booking_status(
        db, booking_id, target, actor=ui.DASHBOARD_ACTOR, reason=cancel_reason),
        done_label=target.value.replace("_", "-").capitalize(), noun="Booking", clear_key="bookings_clear",
        failed_key="bookings_refused")


def plans_around(rows: list[Booking]) -> list[DayPlan]:
    if not rows:
        return []
    days = [b.scheduled_for.astimezone(zone).date() for b in rows]
    first, last = min(days), max(days)
    return plans_for(first, (last - first).days + 1)


def decide_view() -> None:
    pending = ui.list_bookings(BookingStatus.PENDING.value)
    waiting = needs_decision(pending, now)
    expired = [b for b in pending if is_expired(b, now)]
    if not waiting:
        st.success("Nothing waits for a decision: every request is answered.", icon=":material/task_alt:")
    else:
        st.markdown(f"**{len(waiting)} request(s) wait for you**, soonest first. *Slot* shows the places already "
                    "taken there and how many requests wait for it.")
        picked = selectable("decide", waiting, plans_around(waiting), hide=("Cancel reason", "Status"))
        actions("decide", picked)
    if expired:
        with st.expander(f"⌛ {len(expired)} expired request(s): their time passed without a decision",
                         expanded=not waiting):
            st.caption("An expired request can no longer be approved. Cancel it to tell the customer (with a "
                       "reason, e.g. an invitation to ask for a new time).")
            # Their slots are past: no plan to lay out (the Slot column is hidden here).
            picked = selectable("expired", expired, [], hide=("Cancel reason", "Slot"))
            actions("expired", picked, approve=False)


def week_chart(plans: list[DayPlan]) -> None:
    """A calendar: one column per day, one cell per slot, coloured by the share of places taken."""
    cells = [{"Day": f"{p.day:%a} {p.day.day}", "Slot": f"{s.start:%H:%M}", "Taken": s.approved / s.capacity,
              # An empty slot stays blank, as in a paper diary; the tooltip still says 0/N.
              "Label": (f"{s.approved}/{s.capacity}" if s.approved or s.pending else "")
                       + (f" +{s.pending}" if s.pending else ""),
              "Places": places(s), "Pending": s.pending}
             for p in plans for s in p.slots]
    if not cells:
        st.info("Closed all week.")
        return
    frame = pd.DataFrame(cells)
    days = [f"{p.day:%a} {p.day.day}" for p in plans]
    slots = sorted(frame["Slot"].unique())
    base = alt.Chart(frame).encode(
        x=alt.X("Day:N", sort=days, title=None, scale=alt.Scale(domain=days),
                axis=alt.Axis(orient="top", labelAngle=0, labelOverlap=False, labelFontSize=11)),
        y=alt.Y("Slot:O", sort=slots, title=None))
    rects = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("Taken:Q", scale=alt.Scale(domain=[0, 1], range=["#f3f4f6", "#15803d"],
                                                interpolate="rgb"), legend=None),
        tooltip=["Day", "Slot", "Places"])
    marks = base.mark_text(fontSize=10).encode(
        text="Label:N", color=alt.when(alt.datum.Pending > 0).then(alt.value("#b45309"))
        .when(alt.datum.Taken >= 0.6).then(alt.value("white")).otherwise(alt.value("#1f2937")))
    st.altair_chart((rects + marks).properties(height=max(160, 22 * len(slots))), width="stretch")
    st.caption("Each cell: places taken / capacity; **+N** (orange) = requests waiting for your decision.")


def week_view() -> None:
    plans = plans_for(today, WEEK_DAYS)
    week_chart(plans)
    labels = {p.day: ("Today" if p.day == today else f"{p.day:%a %d}")
              + (f" · {sum(s.pending for s in p.slots)}⏳" if any(s.pending for s in p.slots) else "")
              + (" · closed" if p.closed else "") for p in plans}
    day = st.radio("Day", list(labels), format_func=labels.get, horizontal=True, key="bookings_day")
    plan = next(p for p in plans if p.day == day)
    st.subheader(f"{day:%A %d %B}")
    if plan.closed:
        st.info("Closed on this day.")
    if plan.slots:
        st.dataframe(pd.DataFrame([{
            "Slot": f"{s.start:%H:%M}–{s.end:%H:%M}",
            "Taken": s.approved / s.capacity,
            "Places": f"{s.approved}/{s.capacity}",
            "Waiting": f"⏳ {s.pending}" if s.pending else "",
            "Who": ", ".join(f"{b.customer_name} ({shown_status(b, now)})" for b in s.bookings),
        } for s in plan.slots]), hide_index=True, width="stretch", key="bookings_slots",
            height=35 * (len(plan.slots) + 1) + 3, column_config={
            "Taken": st.column_config.ProgressColumn("Taken", min_value=0, max_value=1, format="percent",
                                                     width="small"),
            "Slot": st.column_config.TextColumn(pinned=True)})
    day_bookings = list(plan.bookings)
    if not day_bookings:
        st.caption("No bookings on this day.")
        return
    st.markdown(f"**{len(day_bookings)} booking(s) on this day**")
    picked = selectable("day", day_bookings, plans, hide=("Cancel reason",))
    actions("day", picked, complete=True)


def all_view() -> None:
    statuses = ["all", "pending", "expired"] + [s.value for s in BookingStatus if s is not BookingStatus.PENDING]
    filters = st.columns([1, 2, 2])
    status = filters[0].selectbox("Status", statuses, key="bookings_status", format_func=str.capitalize)
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
    stored = "pending" if status == "expired" else None if status == "all" else status
    rows: list[Booking] = [b for b in ui.list_bookings(stored, start, end)
                           if status not in ("pending", "expired") or shown_status(b, now) == status]
    needle = search.strip().casefold()
    if needle:
        rows = [b for b in rows if needle in b.customer_name.casefold() or needle in b.customer_phone
                or needle in b.service.casefold()]
    if not rows:
        st.info("No bookings match these filters.")
        return
    picked = selectable("all", rows, plans_around(rows))
    st.caption(f"{len(rows)} booking(s); times in {config.business.timezone}.")
    actions("all", picked, complete=True)


view = st.radio("View", list(VIEWS), format_func=VIEWS.get, horizontal=True, key="bookings_view",
                label_visibility="collapsed")
{"decide": decide_view, "week": week_view, "all": all_view}[view]()
