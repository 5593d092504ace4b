"""Bench: a demo gym's FAQ matcher must abstain on out-of-scope messages.

Data: CLINC150 (shared/datasets/clinc_oos.jsonl), the 1,000 rows with split "test" and
label "oos". choose() must answer none of at least 99% of them (a clarifying question back
counts as not answered, and is counted separately). For information it also
prints how often an FAQ is returned for CLINC's other test rows (bookings, greetings,
thanks, calendar...: none of them is a question the gym's FAQs answer).

Usage: .venv/bin/python bench/out_of_scope.py [DATA_DIR]   (default ../shared/datasets)
"""
from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILE = "clinc_oos.jsonl"

# (id, question, answer, alternatives) - the demo gym of shared/demo/demo_gym.yaml (English FAQs)
GYM_FAQS = [
    ("hours", "What are your working hours?", "We are open every day from 6:00 AM to 9:00 PM.",
     ("When are you open?", "What time do you open and close?")),
    ("location", "Where are you located?",
     "We are at 14 Gandhi Nagar 2nd Main Road, Adyar, Chennai 600020, near the Adyar bus depot.",
     ("What is your address?", "How do I get to the gym?")),
    ("prices", "How much is a membership?",
     "Memberships start at INR 2,000 per month, INR 5,500 for three months and INR 19,000 per year.",
     ("What are your membership prices?", "How much does it cost to join?")),
    ("trainers", "Do you have personal trainers?",
     "Yes, our certified personal trainers run one-to-one sessions; you can request one here.",
     ("Can I get a personal trainer?",)),
    ("showers", "Do you have showers and lockers?",
     "Yes, there are showers and free day lockers; bring your own lock.",
     ("Is there a changing room?",)),
    ("parking", "Is there parking?",
     "Two-wheeler parking is free in front of the building; cars can park on the street.",
     ("Where can I park?",)),
]


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(ROOT / ".." / "shared" / "datasets"))
    ap.add_argument("--threshold", type=float, default=None, help="calibrated answer bar (0.5: Z_ANSWER)")
    ap.add_argument("--show", type=int, default=0, help="print this many answered oos rows")
    args = ap.parse_args(argv)
    path = Path(args.data).resolve() / FILE
    if not path.is_file():
        print(f"out_of_scope: missing {path}; pass the datasets folder as the first argument",
              file=sys.stderr)
        return 2

    from shared.interpreter import faq_match as fm

    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    oos = [r for r in rows if r["split"] == "test" and r["label"] == "oos"]
    other = [r for r in rows if r["split"] == "test" and r["label"] != "oos"]

    t0 = time.perf_counter()
    fm.get_encoder()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    matcher = fm.FaqMatcher([fm.FaqEntry(i, q, a, alts) for i, q, a, alts in GYM_FAQS],
                            threshold=args.threshold)
    build_ms = (time.perf_counter() - t0) * 1000

    ms, answered, clarified = [], [], 0
    for r in oos:
        t0 = time.perf_counter()
        choice = matcher.choose(r["text"])
        ms.append((time.perf_counter() - t0) * 1000)
        best = choice.answer
        clarified += choice.outcome == "clarify"
        if best is not None:
            answered.append((best.score, r["text"], best.id))
    other_answered = collections.Counter()
    for r in other:
        best = matcher.best(r["text"])
        if best is not None:
            other_answered[r["label"]] += 1

    print(f"CLINC150 test oos rows: {len(oos)}; demo gym with {len(GYM_FAQS)} FAQs; encoder {fm.get_encoder().name}")
    print(f"no-answer rate on oos           {1 - len(answered) / len(oos):.3f}  "
          f"({len(oos) - len(answered)}/{len(oos)}; of them a question back: {clarified})  (target >= 0.99)")
    print(f"answered on other CLINC test rows (not FAQ questions) "
          f"{sum(other_answered.values()) / len(other):.3f} of {len(other)} {dict(other_answered)}")
    print(f"ms per message (new texts): median {statistics.median(ms):.1f}  p99 {pct(ms, 99):.1f}")
    print(f"encoder load {load_s:.3f} s; matcher build {build_ms:.1f} ms")
    for score, text, fid in sorted(answered, reverse=True)[: args.show]:
        print(f"  {score:.3f} {fid:9s} {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
