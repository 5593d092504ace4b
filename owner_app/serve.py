"""The owner dashboard as served: `streamlit run owner_app/serve.py` (run.sh starts it this way).

`streamlit run` sees the `st.App` below and serves it with uvicorn, with the usual `--server.*` flags and
`.streamlit/config.toml`; the pages are still `streamlit_app.py`. The App adds `OwnerGuard`, which closes the
endpoints an owner does not need and keeps downloads for signed-in browsers (see owner_app/web_guard.py).
Started as `streamlit run owner_app/streamlit_app.py` instead, a production dashboard refuses to sign anyone in.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts only this file's folder on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from owner_app.web_guard import OwnerGuard  # noqa: E402

app = st.App(str(Path(__file__).with_name("streamlit_app.py")), middleware=[Middleware(OwnerGuard)])
