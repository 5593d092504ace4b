"""Bench: answers withheld when a question names only things the business never mentions, by scope.

The FAQ matcher's encoders pair "how much does a nintendo switch cost?" with the gym's "How much does it cost
to join?": the question's frame carries the similarity, not its object. The interpreter withholds an FAQ answer
when the message names things (words of four letters or more that are no function word of any language and
not the question's own words: "how much", "open until", "do you have") and none of them appears in the
business's own texts (shared/interpreter/vocabulary.py), the FAQ being in the customer's language, for price
questions and questions whether the business has something. This bench measures that rule on every answer the
matcher gives, for that scope and others it could have:

* price: the message is a price question;
* offer: the message asks whether the business has, offers or sells something ("do you have", "gibt es":
  the language modules' "offer" intent);
* shipped: price or offer, the interpreter's rule (local.asks_about_what_we_lack itself);
* topic: the message or the FAQ is about prices, opening hours or the address;
* offer-all: offer questions, withheld when any named thing is unknown (not only when all are);
* every: any FAQ answer;
* quality: the message asks how good, fast, reliable... something is and the FAQ never says it (the interpreter's
  rule, local.asks_a_quality_it_never_states; any language).

Also: the questions back ("which of these two?") the interpreter no longer asks when the rule holds (a person
answers instead): lost when a gold FAQ was one of the two, saved when neither was.

Per source and half: answers the matcher gives, how many are right, and for each scope how many right answers
the rule withholds and how many wrong answers it prevents (wrong: another FAQ than the gold one, an answer to a
turn that seeks no FAQ, an answer when the gold FAQ is missing). Data as bench/faq_ensemble.py reads it:
DSTC11 val (its 143 businesses split by hash; the rule and its scope were chosen looking at the tuning halves and
at CLINC's train/val rows, see the closing note of issue 11), bench/faq_smallbiz*.yaml (split
by business), CLINC150's out-of-scope train/val rows asked of the demo gym's English FAQs and of each business
of bench/faq_smallbiz_en.yaml. CLINC's test split is out_of_scope_decisions' figure.

Usage: .venv/bin/python bench/named_things.py [DATA_DIR]   (about 8 minutes on 2 cores)
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from faq_choice import businesses, data_present, entity_for, load  # noqa: E402
from faq_choice_multilingual import half  # noqa: E402
from faq_ensemble import SMALLBIZ, gold_labels, small_businesses  # noqa: E402

SCOPES = ("price", "offer", "shipped", "topic", "offer-all", "every", "quality")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(ROOT / ".." / "shared" / "datasets"))
    args = ap.parse_args(argv)
    data = Path(args.data).resolve()
    if not data_present(data, "named_things"):
        return 2
    from shared.adapters.interpreters import local
    from shared.interpreter import faq_ensemble as fe
    from shared.interpreter import vocabulary
    from shared.services.business import DEMO_CONFIG, parse_config

    OFFER = local._OFFER

    def withheld(text: str, entry, known: frozenset[str], language: str) -> dict[str, bool]:
        """Per scope: would the rule withhold this answer?"""
        if (entry.language or "en") != language:
            # Across languages words are no evidence, but a quality is looked for in every language's words.
            return {**dict.fromkeys(SCOPES, False), "quality": local.asks_a_quality_it_never_states(text, entry)}
        asked = {i for i, topic in enumerate(local._TOPICS) if topic.search(text)}
        about = local._phrasing_topics((entry.question, *entry.alternatives))
        leave_out = local._ASKING_WORDS
        lacks = vocabulary.names_only_unknown(text, known, leave_out=leave_out)
        named = vocabulary.named_words(text, leave_out=leave_out)
        offers = OFFER.search(text) is not None
        return {"price": lacks and 2 in asked, "topic": lacks and bool(asked | about), "offer": lacks and offers,
                "shipped": local.asks_about_what_we_lack(text, entry.language or "en", language, known),
                "offer-all": offers and any(vocabulary.names_only_unknown(w, known) for w in named),
                "every": lacks, "quality": local.asks_a_quality_it_never_states(text, entry)}

    counts: dict[tuple, collections.Counter] = collections.defaultdict(collections.Counter)
    examples: dict[tuple, list[str]] = collections.defaultdict(list)
    clarify_examples: dict[tuple, list[str]] = collections.defaultdict(list)

    label_of = gold_labels()  # DSTC11's gold answers that are only on the question's topic are counted apart

    def ask(matcher, entries, known, text, language, gold, source, split, label=None):
        choice = matcher.choose(text, language=language)
        if choice.outcome == "clarify":
            # The interpreter asks "which of these two?" only when the rule does not hold for the question.
            first = next(e for e in entries if e.id == choice.matches[0].id)
            useful = gold is not None and bool(gold & {m.id for m in choice.matches})
            counts[(source, split)]["clarify"] += 1
            if local.asks_about_what_we_lack(text, first.language or "en", language, known):
                counts[(source, split)][f"clarify {'lost' if useful else 'saved'}"] += 1
                if len(clarify_examples[(source, split)]) < 4:
                    clarify_examples[(source, split)].append(
                        f"{'LOST ' if useful else 'saved'} {text[:70]!r} -> "
                        + " / ".join(repr(next(e.question[:30] for e in entries if e.id == m.id))
                                     for m in choice.matches))
        answer = choice.answer
        if answer is None:
            return
        entry = next(e for e in entries if e.id == answer.id)
        right = gold is not None and answer.id in gold
        key = (source, split)
        counts[key]["answers"] += 1
        counts[key]["right"] += right
        # A DSTC11 gold FAQ that is only on the question's topic ("related") answers nothing: withholding it is
        # neither a right answer lost nor a wrong one saved, and is counted apart.
        topical = right and label == "related"
        counts[key]["related"] += topical
        for scope, held in withheld(text, entry, known, language).items():
            if held:
                counts[key][f"{scope} {'related' if topical else 'lost' if right else 'saved'}"] += 1
                if scope in ("topic", "offer") and len(examples[key]) < 12:
                    examples[key].append(f"{scope:<6} {'LOST ' if right else 'saved'} {text[:70]!r} -> "
                                         f"{entry.question[:40]!r}")

    def stems_of(entries) -> frozenset[str]:
        return vocabulary.stems(t for e in entries for t in (e.question, *e.alternatives, e.answer))

    kb, turns = load(data)
    faqs_of, names, keys = businesses(kb, fe.FaqEntry)
    by_business: dict = collections.defaultdict(list)
    for t in turns:
        if t["gold_faq_doc_keys"] or not t["knowledge_seeking"]:
            by_business[entity_for(t, names, keys)[0]].append(t)
    for number, key in enumerate(keys, 1):
        entries = faqs_of[key]
        matcher, known = fe.FaqMatcher(entries), stems_of(entries)
        for t in by_business.get(key, []):
            gold = set(t["gold_faq_doc_keys"] or ())
            ask(matcher, entries, known, t["user_utterance"], "en", gold, "DSTC11", half(key), label_of.get(t["id"]))
            if gold:
                rest = [e for e in entries if e.id not in gold]
                ask(fe.FaqMatcher(rest), rest, stems_of(rest), t["user_utterance"], "en", None, "DSTC11 missing",
                    half(key))
        print(f"\rDSTC11 businesses {number}/{len(keys)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    for source, path in SMALLBIZ.items():
        for split, entries, questions in small_businesses(fe, path):
            matcher, known = fe.FaqMatcher(entries), stems_of(entries)
            for q in questions:
                want = q.get("want") or "none"
                ask(matcher, entries, known, q["text"], q.get("language") or "en", None if want == "none" else {want},
                    source, split)
    clinc = [r["text"] for r in map(json.loads, (data / "clinc_oos.jsonl").open(encoding="utf-8"))
             if r["label"] == "oos" and r["split"] in ("train", "val")] if (data / "clinc_oos.jsonl").exists() else []
    demo = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
    gym = [fe.FaqEntry(id=str(i), question=f.question, answer=f.answer, alternatives=tuple(f.alternatives),
                       language="en") for i, f in enumerate(demo.faqs) if (f.language or "en") == "en"]
    for split, entries, _ in [(0, gym, ()), *small_businesses(fe, SMALLBIZ["smallbiz_en"])]:
        matcher, known = fe.FaqMatcher(entries), stems_of(entries)
        for text in clinc:
            ask(matcher, entries, known, text, "en", None, "CLINC oos train/val", split)

    print("Answers the FAQ matcher gives, and what the named-things rule does to them, per scope "
          "(-lost: right answers withheld / ~n: DSTC11 gold answers withheld that are only on the question's topic,"
          " bench/dstc11_gold_answers.yaml / +saved: wrong answers withheld)")
    for (source, split), c in sorted(counts.items()):
        scopes = " ".join(f"{scope}: -{c[f'{scope} lost']}" + (f"~{c[f'{scope} related']}" if c["related"] else "")
                          + f"/+{c[f'{scope} saved']}" for scope in SCOPES)
        related = f", of them only related {c['related']}" if c["related"] else ""
        print(f"  {source:<20} {'tuning' if split == 0 else 'held-out':<8} answers {c['answers']:4d} "
              f"(right {c['right']:4d}{related})  {scopes}")
    print("\nQuestions back (\"which of these two?\") the interpreter's rule turns into a handoff "
          "(-lost: a gold FAQ was one of the two / +saved: neither was)")
    for (source, split), c in sorted(counts.items()):
        print(f"  {source:<20} {'tuning' if split == 0 else 'held-out':<8} questions back {c['clarify']:4d}  "
              f"-{c['clarify lost']}/+{c['clarify saved']}")
    for key, lines in sorted(clarify_examples.items()):
        for line in lines:
            print(f"  {key[0]:<20} {'tuning' if key[1] == 0 else 'held-out':<8} {line}")
    print("\nExamples (topic and offer scopes):")
    for key, lines in sorted(examples.items()):
        for line in lines:
            print(f"  {key[0]:<20} {'tuning' if key[1] == 0 else 'held-out':<8} {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
