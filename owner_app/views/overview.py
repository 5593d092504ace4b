"""Overview: headline numbers, readiness, bookings, leads, messages and reply time per day, the latest audit lines."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from owner_app.views import _common as ui
from shared.services import reports

current = ui.page("Overview")
ui.show_flashes()
config = ui.load_business()
zone = config.business.zone if config else None
if config is not None:
    st.caption(f"{config.business.name} · {config.business.category} · times in {config.business.timezone}")
else:
    st.info("No business is set up yet: open **Business setup** to enter yours or import a configuration file.")

numbers = ui.counts()
columns = st.columns(5)
columns[0].metric("Approved FAQs", numbers.faqs, border=True)
columns[1].metric("Pending bookings", numbers.bookings_pending, border=True,
                  help="Requests the assistant took whose time is still ahead; they wait for your decision on "
                       "the Bookings page. "
                       + (f"{numbers.bookings_expired} more expired: their time passed without a decision."
                          if numbers.bookings_expired else "None expired."))
columns[2].metric("Approved bookings", numbers.bookings_approved_upcoming, border=True,
                  help=f"Upcoming; {numbers.bookings_approved} approved in all.")
columns[3].metric("New leads", numbers.leads_new, border=True, help=f"{numbers.leads_total} leads in all.")
columns[4].metric("Open handoffs", numbers.handoffs_open, border=True,
                  help="Conversations waiting for a person; the assistant stays quiet in them.")

left, right = st.columns([3, 2], gap="large")

with left:
    st.subheader("Activity")
    days = st.segmented_control("Period", [7, 14, 30], default=14, format_func=lambda d: f"{d} days",
                                key="overview_days", label_visibility="collapsed") or 14
    activity = ui.activity_per_day(int(days))
    frame = pd.DataFrame([{"day": pd.Timestamp(a.day), "Bookings requested": a.bookings, "Leads": a.leads,
                           "Messages in": a.messages_in, "Replies out": a.messages_out} for a in activity])

    def bars(kinds: list[str], colours: list[str]) -> alt.Chart:
        long = frame.melt(id_vars="day", value_vars=kinds, var_name="kind", value_name="count")
        most = max(1, int(long["count"].max()))
        return alt.Chart(long).mark_bar(cornerRadiusTopLeft=2, cornerRadiusTopRight=2).encode(
            x=alt.X("yearmonthdate(day):O", title=None, axis=alt.Axis(format="%d %b", labelAngle=0,
                                                                       labelOverlap=True)),
            xOffset=alt.XOffset("kind:N", sort=kinds),
            y=alt.Y("count:Q", title=None, scale=alt.Scale(domain=[0, most]),
                    axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("kind:N", title=None, sort=kinds, legend=alt.Legend(orient="top", symbolType="square"),
                            scale=alt.Scale(domain=kinds, range=colours)),
            tooltip=[alt.Tooltip("yearmonthdate(day):T", title="Day", format="%a %d %b"),
                     alt.Tooltip("kind:N", title="What"), alt.Tooltip("count:Q", title="Count")],
        )

    st.markdown("**Bookings and leads per day**")
    st.altair_chart(bars(["Bookings requested", "Leads"], ["#0E9F6E", "#F59E0B"]), width="stretch", height=260)
    st.markdown("**Messages per day**")
    st.altair_chart(bars(["Messages in", "Replies out"], ["#1F6FEB", "#93C5FD"]), width="stretch", height=200)

    st.markdown("**Reply time**")
    timings = ui.reply_times_per_day(int(days))
    timed = [r for r in timings if r.replies]
    if not timed:
        st.caption("No replies in this period yet: the chart fills in as the assistant answers "
                   "(try the Conversation lab).")
    else:
        replies = sum(r.replies for r in timed)
        slowest = max(r.max_ms for r in timed)
        typical = sorted(r.median_ms for r in timed)[len(timed) // 2]
        st.caption(f"{replies} repl{'y' if replies == 1 else 'ies'} in {days} days · typical day's median "
                   f"{typical:,.0f} ms · slowest {slowest:,.0f} ms (time from the message arriving to the reply "
                   f"being decided and stored; limit {current.model_timeout_s:g} s)")
        speed = pd.DataFrame([{"day": pd.Timestamp(r.day), "Median": r.median_ms, "95th percentile": r.p95_ms,
                               "Replies": r.replies} for r in timed])
        long = speed.melt(id_vars=["day", "Replies"], value_vars=["Median", "95th percentile"],
                          var_name="measure", value_name="ms")
        measures = ["Median", "95th percentile"]
        st.altair_chart(alt.Chart(long).mark_line(point=True).encode(
            x=alt.X("yearmonthdate(day):T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0,
                                                                       labelOverlap=True)),
            y=alt.Y("ms:Q", title="ms", scale=alt.Scale(zero=True)),
            color=alt.Color("measure:N", title=None, sort=measures, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=measures, range=["#7C3AED", "#F43F5E"])),
            tooltip=[alt.Tooltip("yearmonthdate(day):T", title="Day", format="%a %d %b"),
                     alt.Tooltip("measure:N", title="What"), alt.Tooltip("ms:Q", title="ms", format=",.1f"),
                     alt.Tooltip("Replies:Q", title="Replies")],
        ), width="stretch", height=200)

with right:
    st.subheader("Readiness")
    for check in reports.readiness(ui.database(), current):
        icon = ":material/check_circle:" if check.ok else ":material/error:"
        colour = "green" if check.ok else "orange"
        st.markdown(f":{colour}[{icon}] **{check.name}** — {check.detail}")

st.subheader("Recent activity")
entries = ui.recent_audit(25)
if not entries:
    st.caption("Nothing yet.")
else:
    def describe(entry: reports.AuditEntry) -> str:
        detail = ", ".join(f"{k}: {v}" for k, v in entry.detail.items() if v not in (None, "", [], {}))
        return detail

    st.dataframe(pd.DataFrame([{
        "When": ui.local(e.at, zone) if zone else e.at.strftime("%Y-%m-%d %H:%M UTC"),
        "Who": e.actor,
        "What": e.action,
        "Record": f"{e.entity} #{e.entity_id}" if e.entity and e.entity_id is not None
        else ("" if e.entity in (None, "none") else e.entity),
        "Detail": describe(e),
    } for e in entries]), hide_index=True, width="stretch")
