"""Business setup: profile, opening hours, closures and booking policy; import and export the config file.

Nothing is saved until the whole configuration validates; each problem is shown under its field.
"""

from __future__ import annotations

import re
import zoneinfo

import streamlit as st

from owner_app.views import _common as ui
from shared.domain.errors import InvalidInput
from shared.domain.models import WEEKDAYS, BusinessConfig
from shared.services import business

DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")))
PROFILE_FIELDS = ("name", "category", "description", "address", "timezone", "languages", "greeting", "phone")
POLICY_FIELDS = {
    "slot_minutes": ("Slot length (minutes)", "Bookings start on this grid, e.g. every 60 minutes."),
    "capacity": ("Capacity", "How many bookings may overlap (trainers, chairs, rooms)."),
    "min_notice_minutes": ("Minimum notice (minutes)", "How soon before the start a booking may be requested."),
    "max_days_ahead": ("Book at most this many days ahead", None),
    "buffer_minutes": ("Buffer after each booking (minutes)", "Cleaning or changeover time."),
    "reminder_hours": ("Reminder before an approved booking (hours)",
                       "The customer gets a WhatsApp reminder this long before; 0 turns reminders off."),
}
KEY = "setup_"  # every widget key of this page starts with it
_SPLIT = re.compile(r"[,\s;]+")


# --- between the form and the configuration -----------------------------------------------------------

def _blank_config_values() -> dict:
    return {"business": {"name": "", "category": "", "description": "", "address": "", "timezone": "UTC",
                         "languages": ["en"], "greeting": "", "phone": None},
            "hours": {day: [] for day in WEEKDAYS}, "closures": [],
            "booking": {"slot_minutes": 60, "capacity": 1, "min_notice_minutes": 60, "max_days_ahead": 60,
                        "buffer_minutes": 0, "reminder_hours": 24}}


def _fill_form_state(config: BusinessConfig | None) -> None:
    """Put the stored configuration into the form's widgets, unless the owner is editing them."""
    values = config.model_dump(mode="json") if config is not None else _blank_config_values()
    profile = values["business"]
    state = st.session_state
    for field in PROFILE_FIELDS:
        value = profile.get(field)
        if field == "languages":
            value = ", ".join(value or [])
        state.setdefault(KEY + field, value or "")
    for day in WEEKDAYS:
        state.setdefault(f"{KEY}hours_{day}", ", ".join(values["hours"].get(day) or []))
    state.setdefault(KEY + "closures", "\n".join(values["closures"]))
    for field in POLICY_FIELDS:
        state.setdefault(KEY + field, int(values["booking"][field]))


def _form_keys() -> list[str]:
    return ([KEY + field for field in PROFILE_FIELDS] + [f"{KEY}hours_{day}" for day in WEEKDAYS]
            + [KEY + "closures"] + [KEY + field for field in POLICY_FIELDS])


def _forget_form_state() -> None:
    """Drop the form's values so the next run fills it from the stored configuration."""
    for key in _form_keys():
        st.session_state.pop(key, None)


def _form_to_data(config: BusinessConfig | None) -> dict:
    """The configuration mapping the form describes; services and FAQs are kept as stored."""
    state = st.session_state
    profile = {field: state.get(KEY + field) for field in PROFILE_FIELDS}
    profile["languages"] = [part for part in _SPLIT.split(profile["languages"] or "") if part]
    profile["phone"] = (profile["phone"] or "").strip() or None
    hours = {day: [part.strip() for part in (state.get(f"{KEY}hours_{day}") or "").split(",") if part.strip()]
             for day in WEEKDAYS}
    closures = [part for part in _SPLIT.split(state.get(KEY + "closures") or "") if part]
    policy = {field: state.get(KEY + field) for field in POLICY_FIELDS}
    data = {"business": profile, "hours": hours, "closures": closures, "booking": policy}
    if config is not None:
        kept = config.model_dump(mode="json")
        # What this form does not edit stays as it is (the templates come from the configuration file).
        data["services"], data["faqs"], data["templates"] = kept["services"], kept["faqs"], kept["templates"]
    return data


def _field_of(path: str, message: str) -> str:
    """Which form field an error path belongs to ('business.name', 'hours.tue', 'closures', ...)."""
    parts = re.split(r"[.\[]", path)
    if parts[0] == "business" and len(parts) > 1 and parts[1] in PROFILE_FIELDS:
        return f"business.{parts[1]}"
    if parts[0] == "booking" and len(parts) > 1 and parts[1] in POLICY_FIELDS:
        return f"booking.{parts[1]}"
    if parts[0] == "hours":
        if len(parts) > 1 and parts[1] in WEEKDAYS:
            return f"hours.{parts[1]}"
        day = message.split(":", 1)[0].strip()
        return f"hours.{day}" if day in WEEKDAYS else "hours"
    if parts[0] == "closures":
        return "closures"
    return "(top)"


def errors_by_field(lines: list[str]) -> dict[str, list[str]]:
    """Group `path: message` lines by the form field they belong to."""
    grouped: dict[str, list[str]] = {}
    for line in lines:
        path, _, message = line.partition(": ")
        where = path.split("[", 1)[1].split("]", 1)[0] if path.startswith("closures[") else None
        field = _field_of(path, message)
        if path == "hours" and field != "hours":  # "mon: 06:00-12:00 overlaps 11:00-14:00"
            message = message.split(": ", 1)[1]
        if where is not None:
            message = f"entry {int(where) + 1}: {message}"
        grouped.setdefault(field, []).append(message)
    return grouped


def _save_form() -> None:
    """Form callback: validate everything, then save; otherwise keep the errors for display."""
    config = ui.load_business()
    data = _form_to_data(config)
    try:
        validated = business.validate_config(data, source="the setup form")
    except InvalidInput as error:
        st.session_state[KEY + "errors"] = errors_by_field(error.detail.get("errors", [error.message]))
        return
    business.save_business(ui.database(), validated, actor=ui.DASHBOARD_ACTOR)
    ui.after_write()
    st.session_state.pop(KEY + "errors", None)
    _forget_form_state()
    ui.flash("Saved. The assistant uses the new settings from the next message on.")


def _show_errors(field: str) -> None:
    for message in st.session_state.get(KEY + "errors", {}).get(field, []):
        st.markdown(f":red[:material/error: {message}]")


# --- the page ----------------------------------------------------------------------------------------

ui.page("Business setup", "What the assistant may say about your business, and when it may book.")
ui.show_flashes()
config = ui.load_business()
_fill_form_state(config)

errors = st.session_state.get(KEY + "errors", {})
if errors:
    count = sum(len(v) for v in errors.values())
    st.error(f"Nothing was saved: {count} problem(s) need fixing (shown under each field).")
    _show_errors("(top)")

form_tab, file_tab = st.tabs(["Profile, hours and booking policy", "Import / export"])

with form_tab, st.form("setup_form", border=False):
    st.subheader("Profile")
    left, right = st.columns(2)
    with left:
        st.text_input("Business name", key=KEY + "name", max_chars=120)
        _show_errors("business.name")
        st.text_input("Category", key=KEY + "category", max_chars=60, help="gym, clinic, salon, ...")
        _show_errors("business.category")
        st.text_input("Address", key=KEY + "address", max_chars=300)
        _show_errors("business.address")
        st.text_input("Phone", key=KEY + "phone", placeholder="+91 44 4000 1234",
                      help="International form; the assistant gives it to customers who want to call.")
        _show_errors("business.phone")
    with right:
        zones = sorted(zoneinfo.available_timezones())
        if st.session_state.get(KEY + "timezone") not in zones:
            zones.insert(0, st.session_state.get(KEY + "timezone") or "UTC")
        st.selectbox("Timezone", zones, key=KEY + "timezone",
                     help="Opening hours and bookings are in this timezone.")
        _show_errors("business.timezone")
        st.text_input("Languages", key=KEY + "languages", placeholder="en, hi, ta",
                      help="Language codes, the default first; the assistant answers in these.")
        _show_errors("business.languages")
        st.text_area("Description", key=KEY + "description", max_chars=1000, height=100)
        _show_errors("business.description")
    st.text_area("Greeting", key=KEY + "greeting", max_chars=500, height=70,
                 help="The first words of the assistant to a new customer.")
    _show_errors("business.greeting")

    st.subheader("Opening hours")
    st.caption("Ranges such as `06:00-13:00, 16:00-21:00`; leave a day empty when you are closed.")
    _show_errors("hours")
    day_columns = st.columns(7)
    for column, day in zip(day_columns, WEEKDAYS):
        with column:
            st.text_input(DAY_NAMES[day], key=f"{KEY}hours_{day}", placeholder="closed")
            _show_errors(f"hours.{day}")

    closures_column, policy_column = st.columns([1, 2])
    with closures_column:
        st.subheader("Closures")
        st.text_area("Closed on (one date per line, YYYY-MM-DD)", key=KEY + "closures", height=180)
        _show_errors("closures")
    with policy_column:
        st.subheader("Booking policy")
        policy_columns = st.columns(2)
        for index, (field, (label, help_text)) in enumerate(POLICY_FIELDS.items()):
            with policy_columns[index % 2]:
                st.number_input(label, key=KEY + field, min_value=0, step=1, help=help_text)
                _show_errors(f"booking.{field}")

    st.form_submit_button("Save", type="primary", on_click=_save_form, key=KEY + "save", icon=":material/save:")

with file_tab:
    st.subheader("Export")
    if config is None:
        st.caption("Nothing to export yet.")
    else:
        # Made on click (see the leads CSV): nothing waits in the media store.
        st.download_button("Download the configuration (YAML)", data=lambda: business.config_to_yaml(config),
                           file_name="business.yaml", mime="application/x-yaml", key=KEY + "export",
                           icon=":material/download:", on_click="ignore")
        st.caption("The same file `python -m owner_app.admin export-config` writes; edit it and import it back.")

    st.subheader("Import")
    upload = st.file_uploader("Configuration file", type=["yaml", "yml"], key=KEY + "upload",
                              help="Replaces the whole configuration (profile, hours, closures, policy, services "
                                   "and FAQs). Bookings, leads and chats stay.")
    if upload is not None:
        try:
            text = upload.getvalue().decode("utf-8")
            imported = business.parse_config(text, source=upload.name)
        except UnicodeDecodeError:
            st.error(f"{upload.name} is not UTF-8 text.")
        except InvalidInput as error:
            st.error(f"{upload.name} was not imported:")
            st.code("\n".join(error.detail.get("errors", [error.message])), language=None)
        else:
            st.success(f"{upload.name} is valid: {imported.business.name!r}, {len(imported.services)} services, "
                       f"{len(imported.faqs)} FAQs, {len(imported.closures)} closure dates.")
            if st.button("Replace the current configuration with this file", key=KEY + "import", type="primary"):
                business.save_business(ui.database(), imported, actor=ui.DASHBOARD_ACTOR)
                ui.after_write()
                st.session_state.pop(KEY + "errors", None)
                _forget_form_state()
                ui.flash(f"Imported {upload.name}.")
                st.rerun()
