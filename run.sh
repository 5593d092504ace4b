#!/usr/bin/env bash
# Two commands for everything:
#   ./run.sh                 set up, then run the webhook (:8080) and the owner dashboard (:8501)
#   ./run.sh test [ARGS...]  set up, then run the tests (ARGS go to pytest, e.g. tests/unit -k faq)
#   ./run.sh bench [NAME...] [-- ARGS...]
#                            list the benchmarks, or run bench/NAME.py ARGS for each NAME given
#
# Set-up is the same for all three: create .venv if it is missing (Python 3.11 or newer), and
# install requirements.txt only when it changed since the last install (a sha256 stamp in .venv).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
PY="$VENV/bin/python"
STAMP="$VENV/.requirements.sha256"
MIN_PYTHON="3.11"

say() { printf '[run.sh] %s\n' "$*"; }
die() { printf '[run.sh] error: %s\n' "$*" >&2; exit 1; }

# --- Python and the virtual environment ---------------------------------------------------------------

python_is_new_enough() {  # $1: a python executable
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null
}

ensure_venv() {
    if [[ -x "$PY" ]] && python_is_new_enough "$PY"; then
        return
    fi
    if [[ -x "$PY" ]]; then
        say ".venv holds $("$PY" -V 2>&1); this project needs Python $MIN_PYTHON or newer: recreating .venv"
        rm -rf "$VENV"
    fi
    local base="${PYTHON:-python3}"
    command -v "$base" >/dev/null 2>&1 \
        || die "python3 was not found. Install Python $MIN_PYTHON or newer (e.g. 'apt-get install python3 python3-venv'), or set PYTHON=/path/to/python3.11."
    if ! python_is_new_enough "$base"; then
        die "$base is $("$base" -V 2>&1 | tr -d '\n'); this project needs Python $MIN_PYTHON or newer. Install it, or set PYTHON=/path/to/python3.11 and run again."
    fi
    say "creating .venv with $("$base" -V 2>&1)"
    "$base" -m venv "$VENV" \
        || die "could not create .venv; on Debian/Ubuntu install the venv module: apt-get install python3-venv"
}

requirements_hash() {
    "$PY" - <<'EOF'
import hashlib, pathlib
digest = hashlib.sha256()
for name in ("requirements.txt", "requirements-nodeps.txt"):
    path = pathlib.Path(name)
    if path.exists():
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
print(digest.hexdigest())
EOF
}

ensure_requirements() {
    local want have=""
    want="$(requirements_hash)"
    [[ -f "$STAMP" ]] && have="$(cat "$STAMP")"
    if [[ "$want" == "$have" ]]; then
        return
    fi
    say "installing requirements.txt into .venv (the first start takes a few minutes)"
    "$PY" -m pip install --disable-pip-version-check --quiet -r requirements.txt
    if [[ -f requirements-nodeps.txt ]]; then
        # Packages whose declared dependencies must not come along (see the file's header).
        "$PY" -m pip install --disable-pip-version-check --quiet --no-deps -r requirements-nodeps.txt
    fi
    printf '%s\n' "$want" > "$STAMP"
    say "requirements installed"
}

setup() {
    ensure_venv
    ensure_requirements
    export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
}

# --- .env: only the ports and the webhook's process counts are read here; the Python settings read the rest --------------

load_ports_from_env_file() {
    [[ -f .env ]] || return 0
    local key value line
    while IFS= read -r line || [[ -n "$line" ]]; do
        line="${line%$'\r'}"
        [[ "$line" =~ ^[[:space:]]*(export[[:space:]]+)?(WEBHOOK_PORT|DASHBOARD_PORT|WEBHOOK_WORKERS|WEBHOOK_THREADS)[[:space:]]*=[[:space:]]*[\"\']?([0-9]+)[\"\']?[[:space:]]*(#.*)?$ ]] || continue
        key="${BASH_REMATCH[2]}"
        value="${BASH_REMATCH[3]}"
        # A variable already set in the environment wins over .env, as it does for the Python settings.
        if [[ -z "${!key:-}" ]]; then
            export "$key=$value"
        fi
    done < .env
}

check_port() {  # $1: name, $2: value
    [[ "$2" =~ ^[0-9]+$ ]] && (( $2 >= 1 && $2 <= 65535 )) || die "$1 must be a port number (1-65535), not '$2'"
}

# --- commands ----------------------------------------------------------------------------------------

CHILDREN=()

stop_children() {
    local pid deadline
    for pid in "${CHILDREN[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    deadline=$((SECONDS + 10))
    for pid in "${CHILDREN[@]}"; do
        while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            say "process $pid did not stop within 10 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    CHILDREN=()
}

on_signal() {  # $1: signal name, $2: exit status
    trap - INT TERM
    say "received SIG$1; stopping the webhook and the dashboard"
    stop_children
    exit "$2"
}

cmd_serve() {
    load_ports_from_env_file
    WEBHOOK_PORT="${WEBHOOK_PORT:-8080}"
    DASHBOARD_PORT="${DASHBOARD_PORT:-8501}"
    check_port WEBHOOK_PORT "$WEBHOOK_PORT"
    check_port DASHBOARD_PORT "$DASHBOARD_PORT"
    [[ "$WEBHOOK_PORT" != "$DASHBOARD_PORT" ]] || die "WEBHOOK_PORT and DASHBOARD_PORT must differ"
    WEBHOOK_WORKERS="${WEBHOOK_WORKERS:-1}"
    [[ "$WEBHOOK_WORKERS" =~ ^[0-9]+$ ]] && (( WEBHOOK_WORKERS >= 1 && WEBHOOK_WORKERS <= 16 )) \
        || die "WEBHOOK_WORKERS must be a number from 1 to 16, not '$WEBHOOK_WORKERS'"
    # WEBHOOK_THREADS unset: the launcher picks one per CPU core for the offline interpreter, 16 for a remote model
    local -a threads=()
    if [[ -n "${WEBHOOK_THREADS:-}" ]]; then
        [[ "$WEBHOOK_THREADS" =~ ^[0-9]+$ ]] && (( WEBHOOK_THREADS >= 1 && WEBHOOK_THREADS <= 64 )) \
            || die "WEBHOOK_THREADS must be a number from 1 to 64, not '$WEBHOOK_THREADS'"
        threads=(--threads "$WEBHOOK_THREADS")
        export WEBHOOK_THREADS
    fi
    export WEBHOOK_PORT DASHBOARD_PORT WEBHOOK_WORKERS

    "$PY" -m owner_app.admin migrate
    "$PY" -m owner_app.admin init-demo --if-empty

    trap 'on_signal INT 130' INT
    trap 'on_signal TERM 143' TERM

    # One worker is served in the launcher's own process, more are forked onto the same port; either
    # way Waitress gets its limits from the settings (webhook_service/serve.py: waitress_options).
    "$PY" -m webhook_service.serve --host 0.0.0.0 --port "$WEBHOOK_PORT" --workers "$WEBHOOK_WORKERS" \
        ${threads[@]+"${threads[@]}"} &
    CHILDREN+=("$!")
    local webhook_pid=$!
    "$PY" -m streamlit run owner_app/serve.py --server.port "$DASHBOARD_PORT" --server.headless true &
    CHILDREN+=("$!")
    local dashboard_pid=$!

    say "webhook   -> http://127.0.0.1:$WEBHOOK_PORT  (POST /webhook/twilio, POST /webhook/json)"
    say "dashboard -> http://127.0.0.1:$DASHBOARD_PORT"
    say "press Ctrl-C to stop both"

    local status=0
    wait -n "$webhook_pid" "$dashboard_pid" || status=$?
    local which="the webhook service"
    kill -0 "$webhook_pid" 2>/dev/null && which="the dashboard"
    trap - INT TERM
    say "$which stopped (exit status $status); stopping the other process"
    stop_children
    exit $(( status == 0 ? 1 : status ))
}

cmd_test() {
    exec "$PY" -m pytest -q "$@"
}

cmd_bench() {  # NAME... [-- ARGS...]: ARGS go to every benchmark named
    local name path status=0
    local -a names=() args=()
    while (( $# > 0 )); do
        if [[ "$1" == "--" ]]; then
            shift
            args=("$@")
            break
        fi
        names+=("$1")
        shift
    done
    set -- "${names[@]}"
    if (( $# == 0 )); then
        echo "Benchmarks (run with ./run.sh bench NAME [NAME...] [-- ARGS for each]):"
        for path in bench/*.py; do
            [[ -e "$path" ]] || continue
            name="$(basename "$path" .py)"
            printf '  %-20s %s\n' "$name" "$(sed -n 's/^"""\(.*\)$/\1/p' "$path" | head -n 1)"
        done
        return 0
    fi
    for name in "$@"; do
        name="${name%.py}"
        name="${name#bench/}"
        path="bench/$name.py"
        [[ -f "$path" ]] || die "no benchmark $path (./run.sh bench lists them)"
        say "bench $name"
        "$PY" "$path" "${args[@]}" || status=$?
    done
    return "$status"
}

main() {
    local command="${1:-serve}"
    case "$command" in
        serve|start) shift || true; setup; cmd_serve ;;
        test) shift; setup; cmd_test "$@" ;;
        bench) shift; setup; cmd_bench "$@" ;;
        -h|--help|help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' ;;
        *) die "unknown command '$command'; use ./run.sh, ./run.sh test [pytest args] or ./run.sh bench [names]" ;;
    esac
}

main "$@"
