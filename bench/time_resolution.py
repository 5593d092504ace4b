"""Benchmark: appointment date/time resolution on SGD (and an informative multilingual check).

Usage:
    python bench/time_resolution.py [DATA_DIR] [--split test|dev|train] [--show-failures N]
                                    [--multilingual]

DATA_DIR defaults to ``../shared/datasets`` relative to the repository root.

SGD scoring (same rule as shared/anchors/sgd_time_anchor.py): rows whose ``slots_canonical`` has
appointment_date and/or appointment_time; an utterance is correct when the resolved date (if the
row has appointment_date) and time (if appointment_time) equal the canonical ones.  SGD's today is
2019-03-01 (a Friday), 09:00 in America/Los_Angeles; opening hours 08:00-20:00 every day.
Each utterance is resolved on its own (no ``previous``), as the anchors do.

Multilingual check (``--multilingual``, informative only, no gold values exist): xSID rows with a
datetime slot and Hinglish-TOP rows with a DATE_TIME slot are resolved in their language and their
English translation (``text_en``) is resolved too; a row agrees when the English reading finds a
date or a time and the other language gives the same (date, time).  It measures cross-lingual
consistency against the English resolver, not absolute correctness.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from shared.interpreter.timeparse import resolve_time_expression  # noqa: E402

TZ = ZoneInfo("America/Los_Angeles")
NOW = dt.datetime(2019, 3, 1, 9, 0, tzinfo=TZ)
HOURS = {d: [(dt.time(8, 0), dt.time(20, 0))] for d in range(7)}
SLOTS = {"appointment_date", "appointment_time"}
ML_LOCALES = {"de": "de", "en": "en", "hi-en (romanized code-switched)": "hi"}


def load_sgd(path: Path, split: str) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["split"] == split and SLOTS & set(row["slots_canonical"]):
                rows.append(row)
    return rows


def correct(res, canonical: dict) -> bool:
    if "appointment_date" in canonical:
        if res.date is None or res.date.isoformat() != canonical["appointment_date"]:
            return False
    if "appointment_time" in canonical:
        if res.time is None or res.time.strftime("%H:%M") != canonical["appointment_time"]:
            return False
    return True


def run_sgd(path: Path, split: str, show: int) -> None:
    rows = load_sgd(path, split)
    if not rows:
        print(f"no scorable rows for split {split!r} in {path}")
        sys.exit(2)
    times, good, failures = [], 0, []
    for row in rows:
        t0 = time.perf_counter()
        res = resolve_time_expression(row["utterance"], NOW, opening_hours=HOURS)
        times.append((time.perf_counter() - t0) * 1000)
        if correct(res, row["slots_canonical"]):
            good += 1
        else:
            failures.append((row["utterance"], {k: v for k, v in row["slots_canonical"].items() if k in SLOTS}, res))
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(f"split: {split}")
    print(f"utterances: {len(rows)}")
    print(f"accuracy: {good / len(rows):.3f} ({good}/{len(rows)})")
    print(f"median ms/utterance: {statistics.median(times):.3f}")
    print(f"p95 ms/utterance: {p95:.3f}")
    for utt, gold, res in failures[:show]:
        got = {"date": res.date and res.date.isoformat(), "time": res.time and res.time.strftime("%H:%M")}
        print(f"  MISS {utt!r}\n       gold={gold} got={got} spans=({res.date_text!r}, {res.time_text!r})")


def run_multilingual(path: Path, split: str, show: int) -> None:
    if not path.exists():
        print(f"multilingual file not found: {path}")
        return
    stats: dict[str, list[int]] = {}
    shown: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            lang = ML_LOCALES.get(row["locale"])
            if lang is None:
                continue
            if row["source"].startswith("xSID") and row["split"] != split and split != "test":
                continue
            if not any(s["slot"] in ("datetime", "DATE_TIME") for s in row.get("slots", [])):
                continue
            ref = resolve_time_expression(row["text_en"], NOW, language="en")
            if ref.date is None and ref.time is None:
                continue
            got = resolve_time_expression(row["text"], NOW, language=None if lang == "hi" else lang)
            ok = (got.date, got.time) == (ref.date, ref.time)
            s = stats.setdefault(row["locale"], [0, 0])
            s[0] += ok
            s[1] += 1
            if not ok and shown.get(row["locale"], 0) < show:
                shown[row["locale"]] = shown.get(row["locale"], 0) + 1
                print(f"  DISAGREE [{row['locale']}] {row['text']!r} -> ({got.date}, {got.time}) "
                      f"vs en {row['text_en']!r} -> ({ref.date}, {ref.time})")
    for loc, (ok, n) in sorted(stats.items()):
        print(f"multilingual agreement with English reading [{loc}]: {ok / n:.3f} ({ok}/{n})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir", nargs="?", default=str(REPO.parent / "shared" / "datasets"))
    ap.add_argument("--split", default="test", choices=["test", "dev", "train"])
    ap.add_argument("--show-failures", type=int, default=0, metavar="N")
    ap.add_argument("--multilingual", action="store_true", help="also print the informative multilingual check")
    args = ap.parse_args(argv)
    data_dir = Path(args.data_dir)
    if not data_dir.is_absolute():
        data_dir = (REPO / data_dir).resolve()
    sgd = data_dir / "sgd_booking.jsonl"
    if not sgd.exists():
        print(f"data file not found: {sgd} (pass the datasets folder as the first argument)")
        return 2
    run_sgd(sgd, args.split, args.show_failures)
    if args.multilingual:
        run_multilingual(data_dir / "multilingual_subset.jsonl", "dev" if args.split != "test" else "test", args.show_failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
