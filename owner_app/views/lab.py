"""Conversation lab: talk to the assistant as a test customer, through the real pipeline, and see why it answered
as it did; run scenario files and read their pass/fail table.

The chat goes through the intake service (`shared.services.intake`: STOP/START, media, the ledger, then the
pipeline) against the dashboard's own database (channel "lab"), exactly as a WhatsApp message does: bookings and leads made here are real records, listed on their pages. The scenario runner
runs each scenario in a throwaway database (`shared.services.scenarios`), so it never touches the business.
"""

from __future__ import annotations

import secrets
import tempfile
import uuid
from pathlib import Path

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from owner_app.views import _common as ui
from shared.domain.errors import InvalidInput
from shared.domain.models import error_lines, normalise_phone

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_DIR = ROOT / "scenarios"
DEFAULT_SENDER = "+919800000001"
DEFAULT_NAME = "Lab tester"
#: Decision fields shown as "extracted" (the reply itself is shown in the chat).
EXTRACTED = ("customer_name", "service", "requested_time", "scheduled_for", "requirement", "handoff_reason",
             "booking_id", "language")

ui.page("Conversation lab", "Write as a test customer: messages go through the same intake, pipeline, rules and "
                            "database as WhatsApp (STOP and START included), so bookings and leads made here appear "
                            "on their pages (channel “lab”).")
try:
    from shared.pipeline import InboundMessage
    from shared.services import scenarios
    from shared.services.intake import build_intake
except ImportError as error:
    st.info(f"The decision pipeline is not available yet ({error}); the lab opens once `shared/pipeline.py` "
            "is in place.")
    st.stop()

ui.require_business_or_stop()


@st.cache_resource(show_spinner=False)
def _intake(url: str):
    return build_intake(ui.database())


try:
    intake = _intake(ui.db_url())
except Exception as error:  # e.g. MODEL_BACKEND=gemini without a key
    st.error(f"The assistant cannot start: {type(error).__name__}: {error}")
    st.stop()

state = st.session_state
state.setdefault("lab_turns", [])
state.setdefault("lab_conversation", uuid.uuid4().hex[:12])
# The test customer lives in plain keys ("lab_phone", "lab_profile"), copied into the widgets' keys before they
# are drawn: Streamlit forgets a widget's value while another page is shown, the lab must not.
state.setdefault("lab_phone", DEFAULT_SENDER)
state.setdefault("lab_profile", DEFAULT_NAME)
state.setdefault("lab_new_customer", True)
state["lab_sender"] = state["lab_phone"]
state["lab_name"] = state["lab_profile"]
state["lab_reset_new_customer"] = state["lab_new_customer"]


def _remember(widget: str, plain: str) -> None:
    state[plain] = state[widget]


def fresh_test_phone() -> str:
    """A valid Indian mobile number nobody has used in the lab yet (+91 98 followed by 8 random digits)."""
    return f"+9198{secrets.randbelow(10**8):08d}"


def reset() -> None:
    """The Reset button (a callback: it runs before the widgets are drawn, so it may set their values)."""
    state["lab_turns"] = []
    state["lab_conversation"] = uuid.uuid4().hex[:12]
    if state.get("lab_new_customer"):
        state["lab_phone"] = fresh_test_phone()  # no memory, no bookings, no open handoff


# --- rendering one turn --------------------------------------------------------------------------------

def _badge(ok: bool | None, text: str) -> str:
    colour = "green" if ok else "gray" if ok is None else "red"
    return f":{colour}-badge[{text}]"


def _value(value) -> str:
    return str(value).replace("|", "/").replace("\n", " ")


#: Messages the intake answers itself, without the interpreter or the rules (trace "step").
INTAKE_STEPS = {"opt_out": "STOP: the customer opted out", "opt_in": "START: the customer opted back in",
                "opted_out": "the customer has opted out", "rate_limited": "over the rate limit",
                "media": "a photo or file", "location": "a location", "empty": "an empty message"}


def _why_silent(turn: dict) -> str:
    if (turn.get("trace") or {}).get("step") in ("opt_out", "opted_out"):
        return "this test customer has opted out; send START to subscribe again"
    return "a person has this conversation; resolve it on the Conversations page"


def decision_details(turn: dict, number: int) -> None:
    """What was decided for one reply: action, record, rule outcome, guard, extracted fields, time."""
    trace = turn.get("trace") or {}
    action = turn.get("action") or {}
    with st.container(border=True):
        kind = action.get("type", "none")
        record = f" #{action['id']}" if action.get("id") is not None else ""
        status = f" · {action['status']}" if action.get("status") else ""
        st.markdown(f"**Turn {number}** · action {_badge(kind != 'none' or None, kind + record + status)}")

        refusal = turn.get("refusal")
        failure = trace.get("failure")
        if trace.get("step") == "handoff_open":
            rule = _badge(None, "not run: a person has this conversation")
        elif trace.get("step") in INTAKE_STEPS:
            rule = _badge(None, f"not run: {INTAKE_STEPS[trace['step']]}")
        elif refusal:
            rule = _badge(False, f"refused: {refusal}")
        elif failure:
            rule = _badge(False, f"no decision: {failure}")
        else:
            rule = _badge(True, "allowed")
        guard = trace.get("guard")
        if guard is None:
            guard_text = _badge(None, "not checked")
        elif guard.get("ok"):
            guard_text = _badge(True, "passed")
        else:
            guard_text = _badge(False, "blocked: " + ", ".join(guard.get("violations") or []))
        st.markdown(f"Rules {rule} · Guard {guard_text}")

        timing = f"{trace['elapsed_ms']:.0f} ms" if isinstance(trace.get("elapsed_ms"), (int, float)) else "–"
        if isinstance(trace.get("interpreter_ms"), (int, float)):
            timing += f" (interpreter {trace['interpreter_ms']:.0f} ms)"
        language = trace.get("language") or "–"
        st.caption(f"Time {timing} · language {language} · interpreter {trace.get('interpreter', '–')}")

        decision = trace.get("decision") or {}
        fields = {name: decision.get(name) for name in EXTRACTED if decision.get(name) not in (None, "", [])}
        if fields:
            st.markdown("Extracted: " + " · ".join(f"**{name}** `{_value(value)}`" for name, value in fields.items()))
        elif decision:
            st.caption("Extracted: nothing besides the reply.")
        for problem in trace.get("decision_errors") or []:
            st.caption(f":red[Invalid decision: {problem}]")
        with st.expander("Full trace"):
            st.json(trace, expanded=2)


def show_turn(turn: dict, number: int) -> None:
    chat, why = st.columns([3, 2], gap="medium")
    with chat:
        with st.chat_message("user"):
            st.markdown(turn["text"])
        with st.chat_message("assistant"):
            if turn.get("error"):
                st.error(turn["error"])
            elif turn.get("reply") is None:
                st.markdown(f"*(silent: {_why_silent(turn)})*")
            else:
                st.markdown(turn["reply"])
    with why:
        if not turn.get("error"):
            decision_details(turn, number)


# --- scenario runner ------------------------------------------------------------------------------------

def shipped_scenarios() -> list[Path]:
    return sorted(SCENARIO_DIR.glob("*.yaml"))


def run_scenarios(path: Path, shown_name: str) -> None:
    """Run a scenario file with a progress bar; keeps the results (or the problem) in the session."""
    state.pop("lab_scenario_results", None)
    state.pop("lab_scenario_error", None)
    try:
        spec, _ = scenarios.load_scenario_file(path)
        total = max(1, sum(len(s.turns) for s in spec.scenarios))
        done: list = []
        with st.status(f"Running {shown_name}: {total} turn(s)…", expanded=True) as status:
            bar = st.progress(0.0, text=f"0 of {total} turns")

            def on_turn(result) -> None:
                done.append(result)
                verdict = "pass" if result.ok else "FAIL"
                bar.progress(min(1.0, len(done) / total),
                             text=f"{len(done)} of {total} turns · {result.scenario} #{result.turn}: {verdict}")

            results = scenarios.run_scenario_file(path, on_turn=on_turn)
            failed = sum(1 for r in results if not r.ok)
            status.update(label=f"{shown_name}: {len(results) - failed} passed, {failed} failed",
                          state="error" if failed else "complete", expanded=False)
    except InvalidInput as error:
        state["lab_scenario_error"] = (shown_name, error.message.replace(str(path), shown_name),
                                       list(error.detail.get("errors") or []))
        return
    except Exception as error:  # a broken file or backend must read as a message, not a traceback
        state["lab_scenario_error"] = (shown_name, f"{type(error).__name__}: {error}", [])
        return
    state["lab_scenario_results"] = (shown_name, [
        {"Scenario": r.scenario, "Turn": r.turn, "Result": "pass" if r.ok else "fail", "Customer said": r.said,
         "Assistant replied": r.reply if r.reply is not None else "(silent)", "Action": r.action,
         "Why": r.why} for r in results])


def _result_style(value: str) -> str:
    return ("background-color: #DCFCE7; color: #166534; font-weight: 600" if value == "pass"
            else "background-color: #FEE2E2; color: #991B1B; font-weight: 600")


def show_scenario_outcome() -> None:
    problem = state.get("lab_scenario_error")
    if problem:
        name, message, lines = problem
        header, _, rest = message.partition("\n")
        body = "\n".join(f"- `{line}`" for line in (lines or [line for line in rest.splitlines() if line.strip()]))
        st.error(f"**{name} was not run.** {header}" + (f"\n\n{body}" if body else ""),
                 icon=":material/error:")
    outcome = state.get("lab_scenario_results")
    if not outcome:
        return
    name, rows = outcome
    passed = sum(1 for row in rows if row["Result"] == "pass")
    metrics = st.columns(3)
    metrics[0].metric("Passed", f"{passed} of {len(rows)}", border=True)
    metrics[1].metric("Failed", len(rows) - passed, border=True)
    metrics[2].metric("Pass rate", f"{(100 * passed / len(rows)) if rows else 0:.0f}%", border=True)
    if rows and passed == len(rows):
        st.success(f"{name}: every turn passed.", icon=":material/check_circle:")
    elif rows:
        st.warning(f"{name}: {len(rows) - passed} turn(s) failed; the *Why* column says what differed.",
                   icon=":material/warning:")
    frame = pd.DataFrame(rows, columns=["Scenario", "Turn", "Result", "Customer said", "Assistant replied",
                                        "Action", "Why"])
    st.dataframe(frame.style.map(_result_style, subset=["Result"]), hide_index=True, width="stretch",
                 key="lab_scenario_table",
                 column_config={"Turn": st.column_config.NumberColumn(width="small", format="%d"),
                                "Result": st.column_config.TextColumn(width="small"),
                                "Customer said": st.column_config.TextColumn(width="medium"),
                                "Assistant replied": st.column_config.TextColumn(width="large")})


# --- the page --------------------------------------------------------------------------------------------

chat_tab, scenario_tab = st.tabs(["Chat", "Scenario runner"])

with chat_tab:
    with st.container(border=True):
        st.markdown("**Test customer**")
        who = st.columns([2, 2, 1], vertical_alignment="bottom")
        who[0].text_input("Phone (WhatsApp number)", key="lab_sender", on_change=_remember,
                          args=("lab_sender", "lab_phone"),
                          help="Each phone number is a separate customer with its own memory, bookings and "
                               "handoffs.")
        who[1].text_input("WhatsApp profile name", key="lab_name", max_chars=120, on_change=_remember,
                          args=("lab_name", "lab_profile"))
        who[2].button("Reset", key="lab_reset", icon=":material/restart_alt:", on_click=reset, width="stretch",
                      help="Clear this chat; with the box below ticked, also continue as a new test customer.")
        st.checkbox("Reset starts a new test customer (a fresh phone number: no memory, bookings or handoff)",
                    key="lab_reset_new_customer", on_change=_remember,
                    args=("lab_reset_new_customer", "lab_new_customer"))
        st.caption(f"Interpreter: **{intake.pipeline.interpreter.name}** · records made here are real: approve, cancel "
                   "or close them on their pages.")

    try:
        sender = normalise_phone(state.get("lab_phone") or "")
    except ValueError as error:
        st.error(f"Test customer phone: {error}")
        sender = None

    for number, turn in enumerate(state["lab_turns"], start=1):
        show_turn(turn, number)

    if not state["lab_turns"]:
        st.caption("Try: *What are your working hours?* · *Can I book a fitness assessment tomorrow at 10 AM?* · "
                   "*Can someone call me about personal training prices?*")

    text = st.chat_input("Write as the customer…", key="lab_input", disabled=sender is None, max_chars=4096)
    if text and sender:
        number = len(state["lab_turns"]) + 1
        turn = {"text": text, "sender": sender}
        try:
            message = InboundMessage(channel="lab", message_id=f"lab-{state['lab_conversation']}-{number}",
                                     sender=sender, text=text, profile_name=state.get("lab_profile") or None)
            with st.spinner("The assistant is thinking…"):
                answer = intake.deliver(message)
            result = answer.result
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

with scenario_tab:
    st.caption("A scenario file is a scripted conversation with expectations (see `scenarios/`). Each scenario runs "
               "in a throwaway database with the file's configuration (the demo gym unless it names one), so "
               "nothing here touches your business.")
    shipped = shipped_scenarios()
    source = st.radio("Scenario file", ["Shipped with the app", "Upload a file"], key="lab_scenario_source",
                      horizontal=True, label_visibility="collapsed")
    chosen: Path | None = None
    upload = None
    if source == "Shipped with the app":
        if not shipped:
            st.info(f"No scenario files in {SCENARIO_DIR}.")
        else:
            names = [path.name for path in shipped]
            default = names.index("demo_journey.yaml") if "demo_journey.yaml" in names else 0
            picked = st.selectbox("Shipped scenario", names, index=default, key="lab_scenario_file")
            chosen = SCENARIO_DIR / picked
    else:
        upload = st.file_uploader("Scenario file (YAML)", type=["yaml", "yml"], key="lab_scenario_upload",
                                  help="A relative `config:` path is read next to the shipped scenarios, so "
                                       "`configs/multilingual_gym.yaml` works.")
    run = st.button("Run scenarios", key="lab_scenario_run", type="primary", icon=":material/play_arrow:",
                    disabled=chosen is None and upload is None)
    if run and chosen is not None:
        run_scenarios(chosen, chosen.name)
    elif run and upload is not None:
        with tempfile.TemporaryDirectory(prefix="lab-scenario-") as folder:
            path = Path(folder) / "uploaded.yaml"
            path.write_bytes(upload.getvalue())
            try:  # relative `config:` paths resolve as they would for a shipped file
                (Path(folder) / "configs").symlink_to(SCENARIO_DIR / "configs", target_is_directory=True)
            except OSError:
                pass
            run_scenarios(path, upload.name)
    show_scenario_outcome()
