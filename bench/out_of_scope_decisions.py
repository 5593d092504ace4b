"""Bench: the whole offline interpreter on out-of-scope messages, against the demo gym.

Data: CLINC150 (clinc_oos.jsonl), the 1,000 rows with split "test" and label "oos". Each is sent
as a first message of a new customer to the local interpreter with the demo gym's configuration;
the figure is the share of messages that led to no FAQ answer, no booking and no lead (target
at least 0.95). Handoffs and clarifying questions count as correct: nothing was invented.

Usage: .venv/bin/python bench/out_of_scope_decisions.py [DATA_DIR] [--show N]
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shared.adapters.interpreters.local import OFFERED_KEY, decide  # noqa: E402
from shared.domain.decision import ConversationContext, Decision  # noqa: E402
from shared.services.business import DEMO_CONFIG, parse_config  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(ROOT / ".." / "shared" / "datasets"))
    parser.add_argument("--show", type=int, default=0, help="print this many messages that got an answer")
    parser.add_argument("--english-faqs", action="store_true",
                        help="keep only the demo gym's English FAQs: every FAQ in English is when the FAQ matcher "
                             "also runs its English encoder (the demo gym as shipped has a Spanish FAQ)")
    args = parser.parse_args(argv)
    path = Path(args.data).resolve() / "clinc_oos.jsonl"
    if not path.is_file():
        print(f"out_of_scope_decisions: missing {path}; pass the datasets folder as the first argument",
              file=sys.stderr)
        return 2
    rows = [r for r in map(json.loads, path.open(encoding="utf-8")) if r["split"] == "test" and r["label"] == "oos"]
    config = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
    if args.english_faqs:
        config = config.model_copy(update={"faqs": [f for f in config.faqs if (f.language or "en") == "en"]})
    faqs = tuple(enumerate(config.faqs, start=1))
    answers = {faq.answer for faq in config.faqs}
    now = dt.datetime(2026, 6, 15, 9, 0, tzinfo=config.business.zone)
    outcomes: collections.Counter[str] = collections.Counter()
    answered: list[tuple[str, str]] = []
    offered: list[str] = []
    timings = []
    for index, row in enumerate(rows):
        context = ConversationContext(config=config, faqs=faqs, now=now, sender="+919800000001",
                                      message_id=f"oos-{index}", text=row["text"])
        started = time.perf_counter()
        proposal = decide(context)
        decision = Decision.model_validate(proposal.raw)
        timings.append((time.perf_counter() - started) * 1000)
        if decision.action.value in ("booking", "lead"):
            kind = decision.action.value
        elif decision.action.value == "none" and decision.reply in answers:
            kind = "faq_answer"
        elif (proposal.state or {}).get(OFFERED_KEY) is not None:
            kind = "faq_offered_back"  # "do you mean ...?": the customer says no and a person answers
            offered.append(row["text"])
        else:
            kind = decision.action.value if decision.action.value != "none" else "other_reply"
        outcomes[kind] += 1
        if kind in ("booking", "lead", "faq_answer"):
            answered.append((kind, row["text"]))
    clean = 1 - len(answered) / len(rows)
    print(f"messages: {len(rows)} (CLINC150 test, out of scope) against the demo gym"
          f"{' (its English FAQs only: both encoders)' if args.english_faqs else ' (e5 alone: one FAQ is in Spanish)'}")
    print(f"no FAQ answer, booking or lead: {clean:.3f}  (target >= 0.95)")
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    ordered = sorted(timings)
    print(f"ms/message (every text new to the encoders): median {statistics.median(timings):.2f}  "
          f"p95 {ordered[int(0.95 * len(ordered))]:.2f}  p99 {ordered[int(0.99 * len(ordered))]:.2f}")
    for kind, text in answered[:args.show]:
        print(f"  {kind}: {text}")
    for text in offered[:args.show]:
        print(f"  faq_offered_back: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
