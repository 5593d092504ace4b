"""Benchmark: which service a customer message names, across languages and synonyms: right / wrong / abstained.

Usage:
    python bench/service_naming.py [--split dev|test|all] [--data FILE] [--show-failures N] [--words-only]
                                   [--whole-message] [--tune] [--timing]

Reads bench/service_naming.yaml (159 messages to 9 invented businesses whose owners named their
services in en, de, es, fr, pt or hi; customers write in en, es, pt, fr, de, hi, hi_Latn; see the
header of that file). Each message goes through the offline interpreter's naming as it runs when a
customer books or asks a price (local.name_service with stems and meaning): the owner's names and
aliases first, then shared/interpreter/service_match.py.

Scoring of one message:
  right      the named service is `want` (or nothing is named and `want` is null);
  wrong      another service is named, or any service where `want` is null: the worst outcome;
  abstained  nothing is named but `want` is a service (the assistant asks which service).

``--words-only`` scores the names-and-aliases step alone (what the interpreter did before meaning).
``--whole-message`` reads only the whole message by meaning, not its service phrase as well.
``--data FILE`` scores another file of the same format whole: bench/service_naming_fresh.yaml (written blind,
measured once, then tuned on) or bench/service_naming_fresh2.yaml (written blind, held out: report it, never tune
on it).
``--tune`` grid-searches service_match's Z_MIN, BG_LEAD, LEAD and the phrase reading on both halves of this file
and on bench/service_naming_fresh.yaml (a wrong service costs as much as three right ones) and prints the best few;
bench/service_naming_fresh2.yaml reports the choice.
``--timing`` measures what meaning adds: the one-off start-up (encoder load, background and every
catalogue's names) and, per message, local.service_by_meaning on texts the encoder has not seen (each
case twice, with a suffix that defeats its cache): median, p99, max.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from shared.adapters.interpreters import local  # noqa: E402
from shared.domain.models import Service  # noqa: E402
from shared.interpreter import service_match  # noqa: E402

DATA = REPO / "bench" / "service_naming.yaml"
#: Written blind for 9 other businesses and measured once (90/17/78 with the reader of the time), then tuned on.
TUNED_TOO = REPO / "bench" / "service_naming_fresh.yaml"
DEV_BELOW = 128  # sha1("business|text") first byte < 128 -> dev, else test


def split_of(case: dict) -> str:
    return "dev" if hashlib.sha1(f"{case['biz']}|{case['text']}".encode()).digest()[0] < DEV_BELOW else "test"


def load(path: Path = DATA) -> tuple[dict[str, list[Service]], list[dict]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    businesses = {name: [Service(duration_minutes=30, **row) for row in rows]
                  for name, rows in doc["businesses"].items()}
    cases = []
    for case in doc["cases"]:
        names = {s.name for s in businesses[case["biz"]]}
        if case["want"] is not None and case["want"] not in names:
            raise SystemExit(f"{case['text']!r}: {case['want']!r} is no service of {case['biz']}")
        cases.append({**case, "split": split_of(case) if path == DATA else "held-out"})
    return businesses, cases


def verdict(case: dict, named: Service | None) -> str:
    if named is None:
        return "right" if case["want"] is None else "abstained"
    return "right" if named.name == case["want"] else "wrong"


def run(businesses, cases, *, words_only: bool = False, **knobs) -> list[tuple[str, dict, Service | None]]:
    out = []
    for case in cases:
        services = businesses[case["biz"]]
        named = local.find_service(case["text"], services, stems=True)
        if not words_only and (named is not None or len(local.services_named(case["text"], services)) >= 2):
            # named by one word of several and not confirmed by meaning (the interpreter asks which), or the words
            # name a few services and meaning tells them apart: the interpreter's own naming
            named = local.name_service(case["text"], services, meaning=True).service
        elif named is None and not words_only:
            position = service_match.service_meaning(local._catalogue(services)).choose(case["text"], **knobs)
            named = None if position is None else services[position]
        out.append((verdict(case, named), case, named))
    return out


def tally(results) -> dict[str, int]:
    counts = {"right": 0, "wrong": 0, "abstained": 0}
    for v, _, _ in results:
        counts[v] += 1
    return counts


def line(label: str, t: dict[str, int]) -> str:
    n = sum(t.values()) or 1
    return (f"  {label:<10} n={n:<4} right {t['right'] / n:6.1%}  wrong {t['wrong'] / n:6.1%}  "
            f"abstained {t['abstained'] / n:6.1%}   ({t['right']}/{t['wrong']}/{t['abstained']})")


def report(title: str, results, show: int) -> None:
    print(title)
    print(line("ALL", tally(results)))
    by_lang: dict[str, list] = defaultdict(list)
    for r in results:
        by_lang[r[1]["lang"]].append(r)
    for lang in ("en", "es", "pt", "fr", "de", "hi", "hi_Latn"):
        if by_lang.get(lang):
            print(line(lang, tally(by_lang[lang])))
    none_cases = [r for r in results if r[1]["want"] is None]
    print(f"  no service meant: {sum(v == 'right' for v, _, _ in none_cases)}/{len(none_cases)} abstained rightly")
    failures = [r for r in results if r[0] != "right"]
    for v, case, named in sorted(failures, key=lambda r: r[0] != "wrong")[:show]:
        print(f"    {v:<9} [{case['biz']}/{case['lang']}] {case['text']!r}: want {case['want']!r}, "
              f"named {named.name if named else None!r}")


#: A wrong service costs as much as this many right ones in --tune's ranking.
WRONG_COSTS = 3


def tune() -> None:
    businesses, cases = load()
    fresh_businesses, fresh_cases = load(TUNED_TOO)
    businesses = {**businesses, **fresh_businesses}
    cases = cases + fresh_cases
    rows = []
    for z, bg, lead, phrase in itertools.product((2.0, 2.5, 3.0, 3.5, 4.0), (-1.0, -0.5, 0.0, 0.5, 1.0),
                                                 (1.0, 1.5, 2.0, 2.5, 3.0), (True, False)):
        t = tally(run(businesses, cases, z_min=z, bg_lead=bg, lead=lead, phrase=phrase))
        rows.append((WRONG_COSTS * t["wrong"] - t["right"], z, bg, lead, phrase, t))
    rows.sort(key=lambda r: r[:5])
    print(f"{DATA.name} (both halves) and {TUNED_TOO.name}, best knobs (a wrong service costs {WRONG_COSTS} right):")
    for _, z, bg, lead, phrase, t in rows[:12]:
        print(f"  Z_MIN={z} BG_LEAD={bg} LEAD={lead} phrase={phrase}: right {t['right']} wrong {t['wrong']} "
              f"abstained {t['abstained']}")


def timing(businesses, cases) -> None:
    started = time.perf_counter()
    for services in businesses.values():  # what LocalInterpreter.warm() does for one configuration
        service_match.service_meaning(local._catalogue(services))
    print(f"start-up (encoder load, background, {len(businesses)} catalogues): "
          f"{time.perf_counter() - started:.2f} s")
    times = []
    for round_ in range(2):
        for case in cases:
            text = f"{case['text']} ({round_})"
            began = time.perf_counter()
            local.service_by_meaning(text, businesses[case["biz"]])
            times.append(time.perf_counter() - began)
    times.sort()
    print(f"per message (n={len(times)}): median {statistics.median(times) * 1000:.1f} ms, "
          f"p99 {times[max(0, round(len(times) * 0.99) - 1)] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--show-failures", type=int, default=0, metavar="N")
    parser.add_argument("--words-only", action="store_true")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--timing", action="store_true")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="another file of the same format, held out whole (bench/service_naming_fresh.yaml)")
    parser.add_argument("--whole-message", action="store_true",
                        help="read only the whole message by meaning, not its service phrase (the reader before it)")
    args = parser.parse_args(argv)
    businesses, cases = load(args.data)
    knobs = {"phrase": False} if args.whole_message else {}
    if args.timing:
        timing(businesses, cases)
        return 0
    if args.tune:
        tune()
        return 0
    splits = (("dev", "test") if args.split == "all" else (args.split,)) if args.data == DATA else ("held-out",)
    what = "names and aliases only" if args.words_only else "names and aliases, then meaning"
    for split in splits:
        chosen = [c for c in cases if c["split"] == split]
        report(f"{split} ({what}; Z_MIN={service_match.Z_MIN} BG_LEAD={service_match.BG_LEAD} "
               f"LEAD={service_match.LEAD})", run(businesses, chosen, words_only=args.words_only, **knobs),
               args.show_failures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
