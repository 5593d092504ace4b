"""One real browser through the running product: the webhook and the dashboard started as `./run.sh` starts them
(on free ports, against a throwaway SQLite database with the demo gym), driven with the system's Chromium.

The demo journey in the Conversation lab (the hours FAQ, a fitness assessment tomorrow at 10 AM, a call back),
then the booking approved on the Bookings page; a screenshot of every page goes to tests/artifacts/ (ignored by
git), at desktop width and again at phone width (390x844, phone-*.png). Local-first: the browser may not fetch
anything from anywhere but 127.0.0.1 (every other request is refused and named in the failure), and the page
icon must not point elsewhere either. Without Chromium at /usr/bin/chromium the test is skipped and says so;
Playwright never downloads a browser.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from shared.adapters import repository as repo
from shared.adapters.db import Database
from shared.domain.models import BookingStatus
from shared.services import bookings, business, leads

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
#: Where the browser may fetch from: the dashboard itself.
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
START_TIMEOUT_S = 45
UI_TIMEOUT_MS = 20_000
#: The titles st.navigation lists; Streamlit's own multipage list (e.g. "common") must never show.
NAV_TITLES = {"Overview", "Bookings", "Leads", "Conversations", "Business setup", "Services & FAQs",
              "Conversation lab"}

# Records every label the sidebar navigation ever shows, from the first paint on, so a page list flashed by
# Streamlit before st.navigation takes over is caught even if it lasts a few milliseconds.
NAV_WATCH = r"""
window.__navSeen = new Set();
const record = () => document.querySelectorAll('[data-testid="stSidebarNav"] a, [data-testid="stSidebarNavLink"]')
    .forEach(a => {  // the label is the last line (a material icon's name comes first)
        const lines = (a.innerText || '').split('\n').map(l => l.trim()).filter(Boolean);
        if (lines.length) window.__navSeen.add(lines[lines.length - 1]);
    });
new MutationObserver(record).observe(document, {subtree: true, childList: true, characterData: true});
"""


def _leaves_the_machine(url: str) -> bool:
    """True for a URL the browser would fetch from another machine (data:, blob: and about: stay here)."""
    parts = urlsplit(url)
    return parts.scheme not in {"data", "blob", "about", "chrome", "chrome-extension"} \
        and parts.hostname not in LOCAL_HOSTS


class OutsideRequests:
    """Every request a browser context tries to send off this machine, refused and kept to be named."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def watch(self, context) -> None:
        context.route(_leaves_the_machine, self._refuse)
        context.on("request", lambda request: self._note(request.url))
        context.on("websocket", lambda socket: self._note(socket.url))

    def _note(self, url: str) -> None:
        if _leaves_the_machine(url) and url not in self.urls:
            self.urls.append(url)

    def _refuse(self, route) -> None:
        self._note(route.request.url)
        route.abort("blockedbyclient")

    def check_icons(self, page) -> None:
        """The page icon (favicon) is a request the browser makes outside the page's own network log."""
        for href in page.evaluate("Array.from(document.querySelectorAll('link[rel~=\"icon\"]'), l => l.href)"):
            self._note(href)


def _open_a_handoff(db: Database) -> None:
    """A customer waiting for a person, so the Conversations page shows its queue."""
    now = dt.datetime.now(dt.timezone.utc)
    with db.transaction() as connection:
        customer_id = repo.upsert_customer(connection, "+919800000077", "Meera", now - dt.timedelta(minutes=12))
        repo.add_chat_message(connection, customer_id=customer_id, direction="in", channel="whatsapp",
                              body="I was charged twice for my membership this month, can someone check?",
                              message_id="SM-e2e-1", now=now - dt.timedelta(minutes=12))
        repo.insert_handoff(connection, customer_id=customer_id, phone="+919800000077", reason="a billing complaint",
                            source_message_id="SM-e2e-1", now=now - dt.timedelta(minutes=12))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, process: subprocess.Popen, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url}: the process exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    pytest.fail(f"{url} did not answer within {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


def start_dashboard(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """The dashboard as run.sh starts it (owner_app/serve.py), on 127.0.0.1:`port`, its output in `log`."""
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "streamlit", "run", "owner_app/serve.py",
                                 "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--server.headless", "true", "--server.fileWatcherType", "none",
                                 "--browser.gatherUsageStats", "false"],
                                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.mark.e2e
def test_the_demo_journey_in_a_real_browser(tmp_path: Path):
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium package to run the browser test "
                    "(Playwright browsers are never downloaded)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError as error:
        pytest.skip(f"the playwright package is not installed: {error}")

    database_url = f"sqlite:///{tmp_path / 'e2e.db'}"
    env = {**os.environ, "DATABASE_URL": database_url, "APP_ENV": "development", "MODEL_BACKEND": "local",
           "PYTHONPATH": str(REPO), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    for name in ("DASHBOARD_PASSWORD", "WEBHOOK_TOKEN", "TWILIO_AUTH_TOKEN", "PUBLIC_WEBHOOK_URL"):
        env.pop(name, None)
    for command in (["migrate"], ["init-demo"]):
        subprocess.run([sys.executable, "-m", "owner_app.admin", *command], cwd=REPO, env=env, check=True,
                       capture_output=True, timeout=60)

    webhook_port, dashboard_port = _free_port(), _free_port()
    webhook_log, dashboard_log = tmp_path / "webhook.log", tmp_path / "dashboard.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    webhook = dashboard = None
    try:
        with webhook_log.open("wb") as out:
            webhook = subprocess.Popen([sys.executable, "-m", "waitress", "--host", "127.0.0.1",
                                        "--port", str(webhook_port), "--call", "webhook_service:create_app"],
                                       cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        dashboard = start_dashboard(dashboard_port, env, dashboard_log)
        deadline = time.monotonic() + START_TIMEOUT_S
        _wait_http(f"http://127.0.0.1:{webhook_port}/healthz", webhook, webhook_log, deadline)
        _wait_http(f"http://127.0.0.1:{dashboard_port}/_stcore/health", dashboard, dashboard_log, deadline)

        db = Database(database_url)
        try:
            config = business.require_business(db)
            tomorrow = dt.datetime.now(config.business.zone).date() + dt.timedelta(days=1)
            when = "the day after tomorrow" if tomorrow in config.closures else "tomorrow"
            _open_a_handoff(db)
            outside = OutsideRequests()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                                     headless=True, timeout=30_000)
                try:
                    base = f"http://127.0.0.1:{dashboard_port}"
                    _journey(browser, expect, base, when, outside)
                    _on_a_phone(browser, expect, base, outside)
                finally:
                    browser.close()
            assert not outside.urls, "the dashboard fetched from the internet:\n" + "\n".join(outside.urls)
            # What the browser did is in the database.
            stored = bookings.list_bookings(db)
            assert [(b.service, b.status) for b in stored] == [("Fitness assessment", BookingStatus.APPROVED)]
            assert stored[0].scheduled_for.astimezone(config.business.zone).hour == 10
            assert ["personal training" in lead.requirement.casefold() for lead in leads.list_leads(db)] == [True]
        finally:
            db.dispose()
    finally:
        _stop(dashboard)
        _stop(webhook)


def _shoot(page, outside: OutsideRequests, name: str, viewport: dict[str, int]) -> None:
    """A screenshot of the whole page at `viewport`'s width into tests/artifacts/`name`.png."""
    outside.check_icons(page)
    # Streamlit scrolls inside its own container, so a "full page" screenshot would stop at the viewport:
    # make the viewport as tall as the content (at most 4,000 px) for the picture.
    height = page.evaluate("Math.max(...Array.from(document.querySelectorAll("
                           "'[data-testid=\"stMain\"], [data-testid=\"stMainBlockContainer\"]'), "
                           "e => e.scrollHeight), 0)")
    page.set_viewport_size({"width": viewport["width"],
                            "height": max(viewport["height"], min(4000, int(height) + 80))})
    page.wait_for_timeout(500)  # let the charts and fonts settle at the new size
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(viewport)


def _journey(browser, expect, base: str, when: str, outside: OutsideRequests) -> None:
    desktop = {"width": 1440, "height": 1000}
    context = browser.new_context(viewport=desktop)
    outside.watch(context)
    context.add_init_script(NAV_WATCH)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)

    def shoot(name: str, width: int = desktop["width"]) -> None:
        # A width of 390 is a phone: the same page at phone width, then back to the desktop.
        _shoot(page, outside, name, desktop if width == desktop["width"] else {"width": width, "height": 1000})
        page.set_viewport_size(desktop)

    def open_page(title: str) -> None:
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
        # Nothing from the previous page is still being replaced.
        expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0)

    page.goto(base, wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()
    expect(page.get_by_text("Development mode")).to_be_visible()
    shoot("01-overview")

    # The lab: the demo journey, one message at a time, each answered before the next is written.
    open_page("Conversation lab")
    chat = page.locator('[data-testid="stChatInput"] textarea')
    journey = [
        ("What are your working hours?", "We are open every day from 6:00 AM to 9:00 PM."),
        (f"Can I book a fitness assessment {when} at 10 AM?", "I've sent your request for Fitness assessment"),
        ("Can someone call me about personal training prices?", "The team will call you."),
    ]
    for number, (say, reply) in enumerate(journey, start=1):
        chat.fill(say)
        chat.press("Enter")
        expect(page.locator('[data-testid="stChatMessage"]').get_by_text(reply)).to_be_visible()
        expect(page.get_by_text(f"Turn {number} ·")).to_be_visible()
    expect(page.get_by_text(re.compile(r"booking #\d+ · pending"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"lead #\d+ · new"))).to_be_visible()
    shoot("02-lab-chat")

    page.get_by_role("tab", name="Scenario runner").click()
    page.get_by_role("button", name=re.compile("Run scenarios")).click()
    expect(page.get_by_text("demo_journey.yaml: every turn passed.")).to_be_visible()
    shoot("03-lab-scenario-runner")

    # Bookings: the lab's request needs a decision; tick its row in the table and approve it.
    open_page("Bookings")
    expect(page.get_by_text("1 request(s) wait for you")).to_be_visible()
    shoot("04-bookings-needs-a-decision")
    shoot("04-bookings-needs-a-decision-phone", width=390)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.click(position={"x": 18, "y": 35 + 17})  # the first row's tick box (the grid is drawn on a canvas)
    approve = page.get_by_role("button", name=re.compile(r"Approve \(1\)"))
    expect(approve).to_be_enabled()
    approve.click()
    expect(page.get_by_text(re.compile(r"Approved: #\d+\."))).to_be_visible()
    expect(page.get_by_text("Nothing waits for a decision")).to_be_visible()  # none pending any more
    page.get_by_text("Today / week", exact=True).click()
    expect(page.get_by_text("Each cell: places taken")).to_be_visible()
    shoot("04-bookings-week")
    shoot("04-bookings-week-phone", width=390)

    open_page("Leads")
    expect(page.get_by_text(re.compile("Download these 1 lead"))).to_be_visible()
    shoot("05-leads")
    open_page("Conversations")
    expect(page.get_by_text("a billing complaint")).to_be_attached()  # the handoff queue (a canvas table)
    shoot("06-conversations")
    open_page("Business setup")
    shoot("07-business-setup")
    open_page("Services & FAQs")
    shoot("08-services-and-faqs")
    open_page("Overview")
    expect(page.get_by_text(re.compile(r"^\d+ replies in 14 days"))).to_be_visible()
    shoot("09-overview-after")

    seen = page.evaluate("Array.from(window.__navSeen)")
    assert seen, "the sidebar navigation was never seen"
    assert set(seen) <= NAV_TITLES, f"a page list other than st.navigation's was shown: {sorted(seen)}"
    context.close()


#: The pages at phone width: (address, the heading that shows it is there).
PHONE_PAGES = [("", "Overview"), ("bookings", "Bookings"), ("leads", "Leads"),
               ("conversations", "Conversations"), ("setup", "Business setup"), ("knowledge", "Services & FAQs"),
               ("lab", "Conversation lab")]


def _on_a_phone(browser, expect, base: str, outside: OutsideRequests) -> None:
    """Every page at 390 px, as an owner checks between clients: it renders, and nothing is wider than the screen."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    outside.watch(context)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    for number, (path, title) in enumerate(PHONE_PAGES, start=1):
        page.goto(f"{base}/{path}", wait_until="domcontentloaded")
        expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
        expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0)
        page.wait_for_timeout(300)
        wide = page.evaluate("Math.max(document.documentElement.scrollWidth, ...Array.from(document.querySelectorAll("
                             "'[data-testid=\"stMain\"], [data-testid=\"stMainBlockContainer\"]'), e => e.scrollWidth))")
        assert wide <= PHONE["width"], f"{title} is {wide} px wide on a {PHONE['width']} px phone"
        expect(page.get_by_text("Page not found")).to_have_count(0)
        _shoot(page, outside, f"phone-{number:02d}-{path or 'overview'}", PHONE)
    context.close()
