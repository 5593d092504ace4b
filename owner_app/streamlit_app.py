"""The owner dashboard: `streamlit run owner_app/streamlit_app.py` (run.sh starts it).

Only a router: page config, the access gate, the navigation. Each page lives in owner_app/views/
(not `pages/`: Streamlit would list a `pages/` folder by itself before `st.navigation` takes over).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts only this file's folder on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from owner_app import access  # noqa: E402
from owner_app.views._common import settings  # noqa: E402

#: section -> (file under views/, title, icon); the first page is the default one.
PAGES = {
    "Run the business": [
        ("overview", "Overview", ":material/dashboard:"),
        ("bookings", "Bookings", ":material/event_available:"),
        ("leads", "Leads", ":material/contact_phone:"),
        ("conversations", "Conversations", ":material/forum:"),
    ],
    "Set up": [
        ("setup", "Business setup", ":material/storefront:"),
        ("knowledge", "Services & FAQs", ":material/menu_book:"),
    ],
    "Try it": [
        ("lab", "Conversation lab", ":material/science:"),
    ],
}
DEFAULT = next(iter(PAGES.values()))[0][0]

# An emoji: the browser draws it as an inline SVG, where a :material/...: icon is fetched from fonts.gstatic.com.
st.set_page_config(page_title="Front desk · owner dashboard", page_icon="💬", layout="wide")

current = settings()
if not access.allowed(current):
    # Production, not signed in: every address shows the password form (and, once it is given, the page the
    # address names); no page is listed or run before that.
    st.navigation([st.Page(access.sign_in_page, title="Sign in", icon=":material/lock:", url_path=name,
                           default=name == DEFAULT)
                   for pages in PAGES.values() for name, _, _ in pages], position="hidden").run()
    st.stop()

access.gate(current)  # development: the "dashboard is open" banner
if current.app_env == "production":
    st.sidebar.button("Sign out", on_click=access.sign_out, icon=":material/logout:", key="access_sign_out")

navigation = st.navigation({
    section: [st.Page(f"views/{name}.py", title=title, icon=icon, default=name == DEFAULT)
              for name, title, icon in pages]
    for section, pages in PAGES.items()
})
navigation.run()
