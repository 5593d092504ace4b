"""Bench: the whole offline interpreter on our small-business FAQ sets: right answers, wrong answers, questions
with no approved answer answered anyway.

Data: bench/faq_smallbiz.yaml (multilingual) and bench/faq_smallbiz_en.yaml (English), split in halves by business
exactly as bench/faq_ensemble.py splits them (a fixed hash of the name: even ranks tune, odd ranks are held out).
Each business gets its FAQs and nothing else (no hours, address or services, so nothing but the FAQs can answer),
its languages are those of its FAQs and questions, and each question is the first message of a new customer to
shared/adapters/interpreters/local.decide: the matcher and every rule around it (two questions in one message,
what the business never mentions, price questions, small talk...).

Scoring of one question (`want` is the FAQ whose answer answers it, or `none`):
  right          the reply is that FAQ's answer, or its version in another language;
  wrong          the reply is another FAQ's answer: the worst outcome;
  not answered   a question back, a handoff or a small-talk reply (a person answers);
  unanswerable answered   `want` is none and the reply is an FAQ's answer: a wrong answer too.
Questions asked back with one FAQ ("do you mean ...?", where a plain yes gets its answer) are counted among "not
answered" and also reported on their own: the FAQ that answers offered, another offered, one offered to a question
no FAQ answers (the customer says no and a person answers).

A third set, bench/faq_smallbiz_fresh.yaml (8 more businesses in 6 languages, written later by a helper who never
saw or ran the matcher), is held out whole: `--half held-out` reports it beside the held-out halves, `--half fresh`
alone. A fourth, bench/faq_smallbiz_fresh2.yaml (8 more businesses, written the same way on the same day), is held
out whole too: `--half fresh2` reports it alone, `--half held-out` beside the others. A fifth,
bench/faq_smallbiz_fresh3.yaml (8 more businesses, written blind on 2026-12-07 at the start of the eighth session),
likewise: `--half fresh3`. A sixth, bench/faq_smallbiz_fresh4.yaml (8 more businesses, written blind at the start of
the tenth session), likewise: `--half fresh4`. A seventh, bench/faq_smallbiz_fresh5.yaml (8 more businesses, written
blind at the start of the eleventh session), likewise: `--half fresh5`.

Usage: .venv/bin/python bench/faq_whole_interpreter.py [--half tune|held-out|fresh|fresh2|fresh3|fresh4|fresh5|all]
                                                       [--show N]
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from shared.adapters.interpreters import local  # noqa: E402
from shared.domain.decision import ConversationContext, Decision  # noqa: E402
from shared.domain.models import BusinessConfig, BusinessProfile, Faq  # noqa: E402
from shared.interpreter.languages import SUPPORTED_LANGUAGES  # noqa: E402

FILES = (ROOT / "bench" / "faq_smallbiz.yaml", ROOT / "bench" / "faq_smallbiz_en.yaml")
#: Written later (2026-12-07) by a helper who never saw or ran the matcher, and held out whole: never tuned on.
FRESH = ROOT / "bench" / "faq_smallbiz_fresh.yaml"
FRESH2 = ROOT / "bench" / "faq_smallbiz_fresh2.yaml"
FRESH3 = ROOT / "bench" / "faq_smallbiz_fresh3.yaml"
FRESH4 = ROOT / "bench" / "faq_smallbiz_fresh4.yaml"
FRESH5 = ROOT / "bench" / "faq_smallbiz_fresh5.yaml"
FRESH_HALF, FRESH2_HALF, FRESH3_HALF, FRESH4_HALF, FRESH5_HALF = 2, 3, 4, 5, 6
HALVES = {"tune": (0,), "held-out": (1, FRESH_HALF, FRESH2_HALF, FRESH3_HALF, FRESH4_HALF, FRESH5_HALF),
          "fresh": (FRESH_HALF,), "fresh2": (FRESH2_HALF,), "fresh3": (FRESH3_HALF,), "fresh4": (FRESH4_HALF,),
          "fresh5": (FRESH5_HALF,), "all": (0, 1, FRESH_HALF, FRESH2_HALF, FRESH3_HALF, FRESH4_HALF, FRESH5_HALF)}
HALF_NAMES = {0: "tuning half", 1: "held-out half", FRESH_HALF: "fresh set", FRESH2_HALF: "fresh set 2",
              FRESH3_HALF: "fresh set 3", FRESH4_HALF: "fresh set 4", FRESH5_HALF: "fresh set 5"}
HELD_OUT_WHOLE = {FRESH: FRESH_HALF, FRESH2: FRESH2_HALF, FRESH3: FRESH3_HALF, FRESH4: FRESH4_HALF,
                  FRESH5: FRESH5_HALF}


def businesses(path: Path):
    """(half, business) of one file, halves as bench/faq_ensemble.py draws them; the fresh sets are held out whole."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["businesses"]
    if path in HELD_OUT_WHOLE:
        return [(HELD_OUT_WHOLE[path], b) for b in entries]
    ranked = sorted(entries, key=lambda b: hashlib.sha256(b["name"].encode()).hexdigest())
    halves = {b["name"]: rank % 2 for rank, b in enumerate(ranked)}
    return [(halves[b["name"]], b) for b in entries]


def config_of(business: dict) -> BusinessConfig:
    faqs = [Faq(question=f["question"], answer=f["answer"], alternatives=f.get("alternatives") or [],
                language=f.get("language")) for f in business["faqs"]]
    said = [f.language for f in faqs] + [q.get("language") for q in business["questions"]]
    languages = [code for code in dict.fromkeys(c for c in said if c) if code in SUPPORTED_LANGUAGES] or ["en"]
    profile = BusinessProfile(name=business["name"], category=business.get("category") or "business",
                              timezone="UTC", languages=languages)
    return BusinessConfig(business=profile, faqs=faqs)


def score(business: dict) -> list[tuple[str, str, str]]:
    """(kind, question, reply) per question of one business."""
    config = config_of(business)
    faqs = tuple(enumerate(config.faqs, start=1))
    position = {f["id"]: i for i, f in enumerate(business["faqs"], start=1)}
    by_answer = {faq.answer: i for i, faq in faqs}
    index = local._faq_index(faqs, config.business.default_language)
    now = dt.datetime(2026, 6, 15, 9, 0, tzinfo=config.business.zone)
    out = []
    for number, question in enumerate(business["questions"]):
        context = ConversationContext(config=config, faqs=faqs, now=now, sender="+15550000001",
                                      message_id=f"q{number}", text=question["text"])
        proposal = local.decide(context)
        decision = Decision.model_validate(proposal.raw)
        got = by_answer.get(decision.reply) if decision.action.value == "none" else None
        offered = (proposal.state or {}).get(local.OFFERED_KEY)
        wanted = position.get(question["want"])
        same = {wanted, *(int(i) for i in index.versions(str(wanted)))} if wanted else set()
        if question["want"] == "none":
            kind = "unanswerable answered" if got else "unanswerable left"
        elif got is None:
            kind = "not answered"
        else:
            kind = "right" if got in same else "wrong"
        out.append((kind, question["text"], decision.reply))
        if offered is not None:
            # asked back "do you mean ...?": a plain yes gets that FAQ's answer (counted among "not answered" above)
            out.append(("offer: unanswerable" if not same else "offer: right" if offered in same else "offer: wrong",
                        question["text"], decision.reply))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=tuple(HALVES), default="all")
    parser.add_argument("--show", type=int, default=0, help="print this many wrong answers of each kind")
    args = parser.parse_args(argv)
    counts: dict[int, collections.Counter] = {half: collections.Counter() for half in HALF_NAMES}
    shown: list[tuple[str, str, str]] = []
    for path in (*FILES, *(path for path in HELD_OUT_WHOLE if path.exists())):
        for half, business in businesses(path):
            if half not in HALVES[args.half]:
                continue
            for kind, text, reply in score(business):
                counts[half][kind] += 1
                if kind in ("wrong", "unanswerable answered"):
                    shown.append((kind, f"{business['name']}: {text}", reply))
    for half in HALVES[args.half]:
        c = counts[half]
        answerable = c["right"] + c["wrong"] + c["not answered"]
        unanswerable = c["unanswerable answered"] + c["unanswerable left"]
        if not answerable + unanswerable:
            continue
        print(f"{HALF_NAMES[half]:14} answerable {answerable}: right {c['right']} ({c['right'] / max(answerable, 1):.1%}), "
              f"wrong {c['wrong']}, not answered {c['not answered']}; unanswerable {unanswerable}: answered "
              f"{c['unanswerable answered']} ({c['unanswerable answered'] / max(unanswerable, 1):.1%})")
        print(f"{'':14} offered back (\"do you mean ...?\"): the answering FAQ {c['offer: right']}, another "
              f"{c['offer: wrong']}; to questions no FAQ answers {c['offer: unanswerable']}")
    for kind in ("wrong", "unanswerable answered"):
        for _, text, reply in [s for s in shown if s[0] == kind][:args.show]:
            print(f"  {kind}: {text!r} -> {reply[:90]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
