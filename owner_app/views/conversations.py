"""Conversations: who talked to the assistant, what was said, and which chats wait for a person."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from owner_app.views import _common as ui
from shared.domain.errors import DomainError
from shared.domain.models import BookingStatus
from shared.services import bookings, waitlist

try:  # the owner's verbs on conversations, where the services provide them
    from shared.services.handoffs import reply_to_customer, resolve_handoff
except ImportError:
    reply_to_customer = resolve_handoff = None


def _speaker(direction: str, channel: str) -> str:
    """Who wrote a chat line: the customer, the owner (a reply from this dashboard) or the assistant."""
    return "customer" if direction == "in" else "you (owner)" if channel == "owner" else "assistant"


ui.page("Conversations", "Chats are kept for CHAT_RETENTION_DAYS days; `python -m owner_app.admin purge-chats` "
                         "removes older ones.")
ui.show_flashes()
config = ui.load_business()
zone = config.business.zone if config else dt.timezone.utc

st.subheader("Waiting for a person")
handoffs = ui.handoff_queue()
if not handoffs:
    st.caption("No open handoffs: the assistant is answering every conversation.")
else:
    now = dt.datetime.now(dt.timezone.utc)
    # The short columns first: on a phone the first three fit the screen and the rest scroll.
    st.dataframe(pd.DataFrame([{"Customer": h.name or h.phone, "Waiting": ui.waited(h.waiting_since, now),
                                "Why": h.reason, "Last message": ui.shorten(h.last_message, 60),
                                "Phone": h.phone, "Since": ui.local(h.waiting_since, zone), "ID": h.id}
                               for h in handoffs]), hide_index=True, width="stretch")
    st.caption("Longest waiting first. The assistant stays quiet in these conversations until the handoff is "
               "resolved: reply below or on WhatsApp yourself.")
    if resolve_handoff is not None:
        if st.session_state.pop("conversations_clear", False) or any(
                i not in {h.id for h in handoffs} for i in st.session_state.get("conversations_resolve", [])):
            st.session_state["conversations_resolve"] = []
        chosen = st.multiselect("Hand back to the assistant", [h.id for h in handoffs], key="conversations_resolve",
                                format_func=lambda i: next(f"#{h.id} · {h.name or h.phone}" for h in handoffs
                                                           if h.id == i))
        if st.button("Resolve", key="conversations_resolve_button", disabled=not chosen, type="primary"):
            try:
                for handoff_id in chosen:
                    resolve_handoff(ui.database(), handoff_id, actor=ui.DASHBOARD_ACTOR)
            except DomainError as error:
                st.error(error.message)
            else:
                ui.after_write()
                ui.flash(f"Resolved {len(chosen)} handoff(s).")
                st.session_state["conversations_clear"] = True
                st.rerun()


st.subheader("Recent conversations")
summaries = ui.conversations(200)
if not summaries:
    st.info("No conversations yet. Try the assistant in the **Conversation lab**, or connect WhatsApp (see README).")
    st.stop()

st.dataframe(pd.DataFrame([{  # who and what first: on a phone those fit the screen and the rest scroll
    "Customer": s.name or s.phone,
    "Status": "waiting for a person" if s.handoff_open else "opted out" if s.opted_out else "",
    "Last said": _speaker(s.last_direction, s.last_channel) + ": " + ui.shorten(s.last_body, 80),
    "Last message": ui.local(s.last_at, zone),
    "Messages": s.messages,
    "Phone": s.phone,
} for s in summaries]), hide_index=True, width="stretch")

phones = [s.phone for s in summaries]
names = {s.phone: s.name for s in summaries}
if st.session_state.get("conversations_phone") not in phones:
    st.session_state["conversations_phone"] = phones[0]
phone = st.selectbox("Show the conversation with", phones, key="conversations_phone",
                     format_func=lambda p: f"{names.get(p) or 'unknown'} · {p}")
if phone:
    with st.container(border=True, height=480):
        for line in ui.transcript(phone):
            who = _speaker(line.direction, line.channel)
            if who == "customer":
                bubble, caption = st.chat_message("user"), f"{names.get(phone) or 'customer'} · {line.channel}"
            elif who == "assistant":
                bubble, caption = st.chat_message("assistant"), f"assistant · {line.channel}"
            else:  # the owner's own reply: a person, not the assistant
                bubble, caption = st.chat_message("owner", avatar=":material/person:"), who
            with bubble:
                st.markdown(line.body)
                st.caption(f"{caption} · {ui.local(line.at, zone)}")

    history = bookings.list_bookings(ui.database(), phone=phone)
    if history:
        no_shows = sum(1 for b in history if b.status is BookingStatus.NO_SHOW)
        st.markdown(f"**Bookings** ({len(history)}, {no_shows} no-show{'s' if no_shows != 1 else ''})")
        st.dataframe(pd.DataFrame([{"ID": b.id, "When": ui.local(b.scheduled_for, zone), "Service": b.service,
                                    "Status": "no-show" if b.status is BookingStatus.NO_SHOW else b.status.value}
                                   for b in reversed(history)]), hide_index=True, width="stretch")
    waiting = waitlist.list_entries(ui.database(), phone)
    if waiting:
        st.markdown("**Waiting list**")
        st.dataframe(pd.DataFrame([{"Slot": ui.local(w["slot_start"], zone), "Service": w["service"],
                                    "Status": w["status"]} for w in waiting]), hide_index=True, width="stretch")

    sent = ui.customer_outbox(phone)
    if sent:
        st.markdown("**Sent by the business** (your replies and booking notices), newest first")
        st.dataframe(pd.DataFrame([{"Queued": ui.local(line.created_at, zone), "What": line.kind.replace("_", " "),
                                    "Status": line.state, "Why": line.why, "Message": line.body[:120]}
                                   for line in sent]), hide_index=True, width="stretch")

    if reply_to_customer is not None:
        queued = ui.outbox()
        sending = "sent by the webhook's outbox sender" if ui.settings().twilio_account_sid else \
            "waiting: set TWILIO_ACCOUNT_SID and TWILIO_WHATSAPP_FROM to deliver them"
        st.caption(f"Outbox: {queued.get('pending', 0)} pending, {queued.get('waiting', 0)} waiting for the "
                   f"customer's 24-hour window, {queued.get('sent', 0)} sent, {queued.get('failed', 0)} failed "
                   f"({sending}).")
        with st.form("conversations_reply_form", clear_on_submit=True, border=False):
            body = st.text_area(f"Reply to {names.get(phone) or phone} yourself", key="conversations_reply",
                                max_chars=1600, height=90,
                                help="Queued in the outbox for WhatsApp delivery and kept in this transcript.")
            if st.form_submit_button("Send", icon=":material/send:", key="conversations_send"):
                try:
                    reply_to_customer(ui.database(), phone, body or "", actor=ui.DASHBOARD_ACTOR)
                except DomainError as error:
                    st.error(error.message)
                else:
                    ui.after_write()
                    ui.flash("Reply queued in the outbox.")
                    st.rerun()
