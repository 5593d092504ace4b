"""Conversation lab: talk to the assistant through the real pipeline and see why it answered as it did."""

from __future__ import annotations

import uuid

import streamlit as st
from pydantic import ValidationError

from owner_app.pages import _common as ui
from shared.domain.models import error_lines, normalise_phone

ui.page("Conversation lab", "Messages go through the same pipeline as WhatsApp, against the real database: "
                            "bookings and leads made here appear on their pages (channel “lab”).")
try:
    from shared.pipeline import InboundMessage, build_pipeline
except ImportError as error:
    st.info(f"The decision pipeline is not available yet ({error}); the lab opens once `shared/pipeline.py` "
            "is in place.")
    st.stop()

ui.require_business_or_stop()


@st.cache_resource(show_spinner=False)
def _pipeline(url: str):
    return build_pipeline(ui.database())


try:
    pipeline = _pipeline(ui.db_url())
except Exception as error:  # e.g. MODEL_BACKEND=gemini without a key
    st.error(f"The assistant cannot start: {type(error).__name__}: {error}")
    st.stop()

state = st.session_state
state.setdefault("lab_turns", [])
state.setdefault("lab_conversation", uuid.uuid4().hex[:12])

with st.sidebar:
    st.subheader("Pretend to be")
    st.text_input("Customer phone", value="+919800000001", key="lab_sender",
                  help="Each phone number is a separate customer with its own memory and bookings.")
    st.text_input("WhatsApp profile name", value="Lab tester", key="lab_name")
    if st.button("New conversation", key="lab_reset", icon=":material/restart_alt:"):
        state["lab_turns"] = []
        state["lab_conversation"] = uuid.uuid4().hex[:12]
        st.rerun()
    st.caption(f"Interpreter: **{pipeline.interpreter.name}**")

try:
    sender = normalise_phone(state.get("lab_sender") or "")
except ValueError as error:
    st.error(f"Customer phone: {error}")
    sender = None

for turn in state["lab_turns"]:
    with st.chat_message("user"):
        st.markdown(turn["text"])
    with st.chat_message("assistant"):
        if turn.get("error"):
            st.error(turn["error"])
            continue
        st.markdown(turn["reply"] if turn["reply"] is not None else "*(silent: a person has this conversation)*")
        action = turn["action"]
        if action["type"] != "none":
            refusal = f" · refused: {turn['refusal']}" if turn.get("refusal") else ""
            st.caption(f"{action['type']} #{action['id']} {action['status'] or ''}{refusal}")
        with st.expander("Why this answer (trace)"):
            st.json(turn["trace"], expanded=2)

if not state["lab_turns"]:
    st.caption("Try: *When are you open?* · *Book a trial workout tomorrow at 7am* · *Please call me back about "
               "a yearly membership*")

text = st.chat_input("Write as the customer…", key="lab_input", disabled=sender is None, max_chars=4096)
if text and sender:
    number = len(state["lab_turns"]) + 1
    turn = {"text": text}
    try:
        message = InboundMessage(channel="lab", message_id=f"lab-{state['lab_conversation']}-{number}",
                                 sender=sender, text=text, profile_name=state.get("lab_name") or None)
        with st.spinner("The assistant is thinking…"):
            result = pipeline.handle(message)
    except ValidationError as error:
        turn["error"] = "; ".join(error_lines(error))
    except Exception as error:  # show it in the lab rather than a traceback
        turn["error"] = f"{type(error).__name__}: {error}"
    else:
        turn.update(reply=result.reply, action=result.action.as_json(), refusal=result.refusal_reason,
                    trace=result.trace)
        ui.after_write()
    state["lab_turns"].append(turn)
    st.rerun()
