"""Waitress's limits from the settings: idle, half-sent and oversized requests cannot stall the webhook."""

from __future__ import annotations

import contextlib
import resource
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import NamedTuple

import pytest
from waitress.adjustments import Adjustments

from shared.config import REMOTE_MODEL_THREADS, Settings, default_webhook_threads, load_settings
from shared.services.business import load_demo
from tests.conftest import open_migrated, sqlite_url
from tests.webhook import TWILIO_PATH, TWILIO_TOKEN, WEBHOOK_TOKEN, free_port, start_server, twilio_params
from webhook_service.serve import waitress_options

#: The short idle timeout of the impatient server, and the longest a closed connection may take:
#: the timeout, Waitress's cleanup pass and poll loop (about a second each), and room for a busy machine.
IDLE_TIMEOUT_S = 2
CLOSE_DEADLINE_S = IDLE_TIMEOUT_S + 15
BODY_CAP = 4096
HEADER_CAP = 8192
HALF_SENT = b"POST /webhook/json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"


class Served(NamedTuple):
    port: int
    log: Path


@contextlib.contextmanager
def serving(tmp_path_factory, name: str, *, workers: int = 1, **settings: str):
    """A webhook on a free port with these settings; yields it, stops it (and its workers) afterwards."""
    workdir = tmp_path_factory.mktemp(name)
    db = open_migrated(sqlite_url(workdir / "limits.db"))
    load_demo(db)
    db.dispose()
    env = {"DATABASE_URL": db.url, "WEBHOOK_TOKEN": WEBHOOK_TOKEN, "APP_ENV": "development",
           "MODEL_BACKEND": "local", "RATE_LIMIT": "1000/minute", "MAX_BODY_BYTES": str(BODY_CAP),
           "WEBHOOK_MAX_HEADER_BYTES": str(HEADER_CAP), **settings}
    port = free_port()
    server = start_server(port, env, workdir / "server.log", threads=2, workers=workers)
    try:
        yield Served(port, workdir / "server.log")
    finally:
        # One worker: Waitress stops on KeyboardInterrupt. Several: the launcher stops them on SIGINT.
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a server that will not stop is killed, not left behind
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def patient_server(tmp_path_factory):
    """Idle connections stay for Waitress's own 120 s: only the connection limit keeps room for others.

    The test client stands in for a reverse proxy on 127.0.0.1 too.
    """
    with serving(tmp_path_factory, "patient", WEBHOOK_IDLE_TIMEOUT_S="120", WEBHOOK_CONNECTION_LIMIT="2000",
                 WEBHOOK_TRUSTED_PROXY="127.0.0.1", TWILIO_AUTH_TOKEN=TWILIO_TOKEN) as server:
        yield server


@pytest.fixture(scope="module")
def impatient_server(tmp_path_factory):
    """A 2 s idle timeout, so a stalled connection is closed within the test's patience."""
    with serving(tmp_path_factory, "impatient", WEBHOOK_IDLE_TIMEOUT_S=str(IDLE_TIMEOUT_S)) as server:
        yield server


def healthz(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
        return response.status


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def first_answer(sock: socket.socket) -> bytes:
    """What the server sends before closing (b"" if it closed or reset without an answer), read within 10 s."""
    received = b""
    sock.settimeout(10)
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            received += chunk
    return received


def seconds_until_closed(sock: socket.socket, deadline_s: float) -> float | None:
    """Seconds until the server closes `sock` (reading anything it sends), or None past the deadline."""
    started = time.monotonic()
    while (waited := time.monotonic() - started) < deadline_s:
        sock.settimeout(max(0.1, deadline_s - waited))
        try:
            if not sock.recv(65536):
                return time.monotonic() - started
        except ConnectionResetError:
            return time.monotonic() - started
        except TimeoutError:
            return None
    return None


@contextlib.contextmanager
def open_files_allowed(count: int):
    """This test process may hold `count` more sockets (its soft limit raised within the hard one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        if hard != resource.RLIM_INFINITY and hard < wanted:
            pytest.skip(f"needs {wanted} open files, the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# --- settings to Waitress options -----------------------------------------------------------------------

@pytest.fixture
def defaults(tmp_path, monkeypatch):
    """Settings from their defaults alone: no variable from the outer environment, no `.env`."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)



def test_waitress_options_carry_each_limit_from_the_settings(defaults):
    settings = load_settings(max_body_bytes=2048, webhook_idle_timeout_s=20, webhook_connection_limit=500,
                             webhook_max_header_bytes=4096)
    options = waitress_options(settings, threads=6)
    assert options["threads"] == 6
    assert options["max_request_body_size"] == 2049  # Waitress refuses a body of exactly its cap
    assert options["max_request_header_size"] == 4096
    assert options["channel_timeout"] == 20
    assert options["cleanup_interval"] == 4
    assert options["connection_limit"] == 500
    assert options["asyncore_use_poll"] is True


def test_the_default_limits_are_well_inside_waitress_own(defaults):
    options = waitress_options(load_settings(), threads=4)
    assert options["max_request_body_size"] == 65_537
    assert options["max_request_header_size"] == 16_384
    assert options["channel_timeout"] == 10 and options["cleanup_interval"] == 2
    assert options["connection_limit"] == 1000


def test_threads_default_to_one_per_core_offline_and_to_many_for_a_remote_model(defaults):
    # 4 threads on 2 cores interleaved the CPU-bound offline replies: p99 185-188 ms against a median of 146 ms with 2
    assert default_webhook_threads("local", cpus=2) == 2 and default_webhook_threads("local", cpus=1) == 2
    assert default_webhook_threads("local", cpus=64) == 8
    assert default_webhook_threads("gemini", cpus=2) == default_webhook_threads("openai") == REMOTE_MODEL_THREADS
    assert load_settings(model_backend="local").waitress_threads == default_webhook_threads("local")
    assert load_settings(webhook_threads=5).waitress_threads == 5


def test_forwarded_headers_are_trusted_only_from_the_configured_proxy(defaults):
    assert "trusted_proxy" not in waitress_options(load_settings(), threads=4)
    options = waitress_options(load_settings(webhook_trusted_proxy="127.0.0.1"), threads=4)
    assert options["trusted_proxy"] == "127.0.0.1" and options["trusted_proxy_count"] == 1
    assert options["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
                                                "x-forwarded-port"}
    Adjustments(**options)  # Waitress takes them as they are


def test_a_short_idle_timeout_is_still_checked_every_second(defaults):
    assert waitress_options(load_settings(webhook_idle_timeout_s=1), threads=4)["cleanup_interval"] == 1


# --- a real server ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("count", [150, 1100], ids=["past-waitress-default-limit", "past-select-fd-limit"])
def test_healthz_answers_while_many_half_sent_connections_sit_idle(patient_server, count):
    with open_files_allowed(count), contextlib.ExitStack() as stack:
        for _ in range(count):
            sock = stack.enter_context(connect(patient_server.port))
            sock.sendall(HALF_SENT)
        assert healthz(patient_server.port) == 200


def test_a_body_declared_over_the_cap_is_refused_with_413_before_it_is_sent(patient_server):
    with connect(patient_server.port) as sock:
        sock.sendall(HALF_SENT + f"Content-Length: {200 * 1024 * 1024}\r\n\r\n".encode() + b"{" * 1024)
        answer = first_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"generated by frontdesk-webhook" in answer  # Waitress answered; the app never saw the request
    assert healthz(patient_server.port) == 200


def test_a_chunked_body_past_the_cap_is_cut_off(patient_server):
    chunk = b"%x\r\n%s\r\n" % (1024, b"{" * 1024)
    with connect(patient_server.port) as sock:
        sock.sendall(HALF_SENT + b"Transfer-Encoding: chunked\r\n\r\n")
        with contextlib.suppress(OSError):  # the server may close while we are still sending
            for _ in range(1024):  # 1 MiB, 256 times the cap; never the last chunk
                sock.sendall(chunk)
        answer = first_answer(sock)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 413 ")
    assert healthz(patient_server.port) == 200


def test_headers_over_the_cap_are_refused_with_431(patient_server):
    with connect(patient_server.port) as sock:
        sock.sendall(HALF_SENT + b"X-Padding: " + b"a" * (2 * HEADER_CAP) + b"\r\n\r\n")
        answer = first_answer(sock)
    assert answer.split(b" ", 2)[1] == b"431"  # Waitress answers it as HTTP/1.0


def test_behind_the_trusted_proxy_the_client_address_is_the_forwarded_one(patient_server):
    request = urllib.request.Request(f"http://127.0.0.1:{patient_server.port}{TWILIO_PATH}",
                                     data=urllib.parse.urlencode(twilio_params()).encode(),
                                     headers={"X-Twilio-Signature": "forged", "X-Forwarded-For": "203.0.113.9"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert "invalid signature from 203.0.113.9" in patient_server.log.read_text()


def test_a_slow_loris_connection_is_closed_within_the_idle_timeout(impatient_server):
    with connect(impatient_server.port) as sock:
        sock.sendall(HALF_SENT)
        assert seconds_until_closed(sock, CLOSE_DEADLINE_S) is not None
    assert healthz(impatient_server.port) == 200


def test_a_declared_body_that_never_arrives_is_given_up_within_the_idle_timeout(impatient_server):
    with connect(impatient_server.port) as sock:
        sock.sendall(HALF_SENT + b"Content-Length: 100\r\n\r\n{")
        assert seconds_until_closed(sock, CLOSE_DEADLINE_S) is not None


def test_two_workers_close_a_slow_loris_connection_too(tmp_path_factory):
    # The forked workers serve with the same options as the in-process one.
    with serving(tmp_path_factory, "two-workers", workers=2, WEBHOOK_IDLE_TIMEOUT_S=str(IDLE_TIMEOUT_S)) as server:
        with connect(server.port) as sock:
            sock.sendall(HALF_SENT)
            assert seconds_until_closed(sock, CLOSE_DEADLINE_S) is not None
        with connect(server.port) as sock:
            sock.sendall(HALF_SENT + f"Content-Length: {200 * 1024 * 1024}\r\n\r\n".encode())
            assert first_answer(sock).startswith(b"HTTP/1.1 413 ")
