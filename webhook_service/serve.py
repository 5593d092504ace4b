"""Serve the webhook with Waitress: one process, or several on one port (WEBHOOK_WORKERS).

    python -m webhook_service.serve [--host 0.0.0.0] [--port 8080] [--workers N] [--threads T]

Both ways serve with `waitress_options(settings, threads)`, the one place that turns the settings into
Waitress's limits: body and header size, idle timeout, connection limit (README, "Settings").

With one worker the app is built and served in this process, with no fork.
One Waitress process runs Python on one CPU core at a time. With more, this launcher forks N workers; each
binds its own listening socket to the same address with SO_REUSEPORT, builds its own app with
`create_app()` and serves that socket with `waitress.serve(sockets=[...])`, and the kernel spreads new
connections evenly over the workers (one shared socket let whichever worker woke first take most of
the keep-alive connections). The launcher holds the address (bound, not listening) from the start,
so a port in use is reported at once.
Only worker 0 runs the outbox sender. The parent restarts a worker that dies, gives up (exit 1) when
a worker dies within seconds of starting (a configuration error, say), and stops them all on
SIGTERM or SIGINT.

With several workers, keep the rate limit in shared storage (RATELIMIT_STORAGE_URI=redis://...):
with memory:// each worker counts on its own. SQLite writers of the workers queue on one file lock.
`./run.sh` uses this launcher for any number of workers.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import select
import signal
import socket
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.config import Settings

log = logging.getLogger("webhook_service.serve")  # __name__ is "__main__" under `python -m`

#: A worker that exits sooner than this after starting is taken for a start-up failure, not a crash.
STARTUP_GRACE_S = 5.0
STOP_TIMEOUT_S = 10.0
#: How long a worker may take to build its app (load the encoder, index the FAQs) before it is given up.
READY_TIMEOUT_S = 120.0
#: Waitress's cleanup pass (which closes idle connections) runs this many times per idle timeout.
CLEANUPS_PER_IDLE_TIMEOUT = 5
#: File descriptors a connection may hold in Waitress (the socket, and temporary files for a large
#: request or response body), and the ones the process needs besides (database, model, logs).
FDS_PER_CONNECTION = 3
FDS_BESIDES_CONNECTIONS = 256
#: The headers a trusted reverse proxy sets (README, "Production: behind a reverse proxy").
PROXY_HEADERS = {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port"}


def waitress_options(settings: Settings, threads: int) -> dict:
    """Waitress's keyword arguments for the webhook: its limits from the settings, and `threads`."""
    idle_s = settings.webhook_idle_timeout_s
    options = {
        "threads": threads,
        "ident": "frontdesk-webhook",
        # Waitress refuses a body from its headers (Content-Length) or once past the cap (chunked),
        # before the app reads a byte; its default cap is 1 GiB. It refuses a body of exactly this
        # size, the app one over MAX_BODY_BYTES: hence + 1, so both agree on Content-Length bodies.
        "max_request_body_size": settings.max_body_bytes + 1,
        "max_request_header_size": settings.webhook_max_header_bytes,
        # A connection with no request running and no byte received for this long is closed; idle
        # and half-sent connections otherwise hold a slot of connection_limit for 120 s.
        "channel_timeout": idle_s,
        # Idle connections are found only by the cleanup pass (default every 30 s): run it often
        # enough that one is closed within the timeout plus a fifth of it (and a 1 s poll).
        "cleanup_interval": max(1, idle_s // CLEANUPS_PER_IDLE_TIMEOUT),
        "connection_limit": settings.webhook_connection_limit,
        # select() cannot watch a descriptor numbered 1024 or above; poll() can.
        "asyncore_use_poll": True,
    }
    if settings.webhook_trusted_proxy:
        # From that one address, X-Forwarded-* give the client's address and the https scheme; from
        # any other, Waitress drops them (clear_untrusted_proxy_headers, its default).
        options.update(trusted_proxy=settings.webhook_trusted_proxy, trusted_proxy_count=1,
                       trusted_proxy_headers=set(PROXY_HEADERS))
    return options


def raise_open_files_limit(connection_limit: int) -> None:
    """Raise this process's soft limit of open files to what `connection_limit` connections need."""
    wanted = connection_limit * FDS_PER_CONNECTION + FDS_BESIDES_CONNECTIONS
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return
    new_soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if new_soft > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (new_soft, hard))
    if new_soft < wanted:
        # Past the limit accept() fails and Waitress logs each failure; the proxy's limit_conn helps.
        log.warning("open files are limited to %d (ulimit -Hn); WEBHOOK_CONNECTION_LIMIT=%d may need %d",
                    new_soft, connection_limit, wanted)


def bind(host: str, port: int, *, listen: bool = True, shared: bool = True) -> socket.socket:
    """A socket on the service's address; `shared`: other workers' sockets may share it (SO_REUSEPORT)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    if listen:
        sock.listen(1024)
    return sock


def serve_one(host: str, port: int, options: dict) -> int:
    """Build the app and serve it in this process with one Waitress server (WEBHOOK_WORKERS=1)."""
    import waitress

    from webhook_service import create_app
    try:
        # Bound before the app is built, so a port in use is reported at once; listened on once served.
        sock = bind(host, port, listen=False, shared=False)
    except OSError as error:
        print(f"error: cannot listen on {host}:{port}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        app = create_app()
    except Exception as error:  # noqa: BLE001 - say why in one line, not a traceback
        print(f"[webhook] could not start: {error}", file=sys.stderr, flush=True)
        sock.close()
        return 1
    log.info("webhook: 1 worker x %d threads on %s:%d", options["threads"], host, port)
    waitress.serve(app, sockets=[sock], **options)
    return 0


def run_worker(index: int, host: str, port: int, options: dict, ready_fd: int, go_fd: int) -> None:
    """Build the app, say so, wait for the word, then bind and serve until terminated (forked child)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    import waitress

    from webhook_service import create_app
    try:
        app = create_app({"OUTBOX_SENDER": None if index == 0 else False})
    except Exception as error:  # noqa: BLE001 - say why, once, and let the parent give up
        print(f"[webhook worker {index}] could not start: {error}", file=sys.stderr, flush=True)
        os._exit(3)
    os.write(ready_fd, b"r")
    if os.read(go_fd, 1) != b"g":
        os._exit(0)  # the launcher is stopping
    try:
        sock = bind(host, port)
    except OSError as error:
        print(f"[webhook worker {index}] could not listen: {error.strerror}", file=sys.stderr, flush=True)
        os._exit(3)
    waitress.serve(app, sockets=[sock], **options)
    os._exit(0)


class Supervisor:
    """Forks the workers, restarts the ones that crash, stops them all on a signal.

    Workers start listening together, once every one has built its app: otherwise the clients that
    connect first (keep-alive connections stay where they land) would all go to the quickest worker.
    """

    def __init__(self, host: str, port: int, workers: int, options: dict):
        self.host, self.port, self.workers, self.options = host, port, workers, options
        self.children: dict[int, tuple[int, float]] = {}  # pid -> (worker index, started at)
        self.stopping = False

    def spawn(self, index: int) -> tuple[int, int, int]:
        """Fork worker `index`; returns (pid, fd it says 'ready' on, fd to tell it 'go')."""
        ready_r, ready_w = os.pipe()
        go_r, go_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(ready_r)
                os.close(go_w)
                run_worker(index, self.host, self.port, self.options, ready_w, go_r)
            finally:
                os._exit(1)
        os.close(ready_w)
        os.close(go_r)
        self.children[pid] = (index, time.monotonic())
        return pid, ready_r, go_w

    def start(self, indexes: list[int]) -> bool:
        """Spawn these workers and let them listen once all are ready; False if one failed first."""
        spawned = [self.spawn(index) for index in indexes]
        ready = True
        for _, ready_r, _ in spawned:
            readable, _, _ = select.select([ready_r], [], [], READY_TIMEOUT_S)
            ready = ready and bool(readable) and os.read(ready_r, 1) == b"r"
        for _, ready_r, go_w in spawned:
            try:
                os.write(go_w, b"g" if ready and not self.stopping else b"s")
            except BrokenPipeError:
                ready = False
            os.close(ready_r)
            os.close(go_w)
        return ready

    def stop(self, *_args) -> None:
        self.stopping = True
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        status = 0
        if self.start(list(range(self.workers))):
            log.info("webhook: %d workers x %d threads on %s:%d", self.workers, self.options["threads"],
                     self.host, self.port)
        else:
            log.error("a webhook worker did not start; stopping")
            status = 1
            self.stop()
        while self.children:
            try:
                pid, wait_status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:  # pragma: no cover - PEP 475 retries os.wait itself
                continue
            index, started = self.children.pop(pid, (None, 0.0))
            if index is None or self.stopping:
                continue
            code = os.waitstatus_to_exitcode(wait_status)
            if time.monotonic() - started < STARTUP_GRACE_S:
                log.error("webhook worker %d exited with %s while starting; stopping", index, code)
                status = 1
                self.stop()
                continue
            log.error("webhook worker %d exited with %s; starting it again", index, code)
            self.start([index])
        self._reap_stragglers()
        return status

    def _reap_stragglers(self) -> None:
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while self.children and time.monotonic() < deadline:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid:
                self.children.pop(pid, None)
            else:
                time.sleep(0.05)
        for pid in self.children:
            os.kill(pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    from shared.config import SettingsError, load_settings
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=settings.webhook_port)
    parser.add_argument("--workers", type=int, default=settings.webhook_workers)
    parser.add_argument("--threads", type=int, default=settings.waitress_threads)
    args = parser.parse_args(argv)
    if not 1 <= args.workers <= 16:
        parser.error("--workers must be between 1 and 16")
    if not 1 <= args.threads <= 64:
        parser.error("--threads must be between 1 and 64")
    # Warnings and errors from everything, as `waitress-serve` shows them; the launcher's own lines too.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)
    options = waitress_options(settings, args.threads)
    raise_open_files_limit(options["connection_limit"])
    if args.workers == 1:
        return serve_one(args.host, args.port, options)
    if settings.ratelimit_storage_uri.startswith("memory://"):
        log.warning("RATELIMIT_STORAGE_URI is memory://: each of the %d workers counts RATE_LIMIT on its own; "
                    "use redis:// to share one count", args.workers)
    try:
        held = bind(args.host, args.port, listen=False)  # reserves the address; takes no connections
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        return Supervisor(args.host, args.port, args.workers, options).run()
    finally:
        held.close()


if __name__ == "__main__":
    sys.exit(main())
