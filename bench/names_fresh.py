"""Bench: the customer's own name, taken from messages written independently of the code.

bench/names_fresh.yaml holds 156 WhatsApp-style messages in en, es, pt, fr, de, Hinglish and Hindi
(Devanagari), written on 2026-12-07 by a helper that saw none of the language modules: about two in three
state a name ("Tom here.", "thanks, Grace", "booking was under Okafor", "मेरा नाम अनिल है"), the rest state
none but hold words a naive rule would take for one ("Ich bin am Montag da", "it's for my daughter").

The messages are split in two halves by a fixed hash of the text: changes to the language modules may be
tuned on the `tune` half; the `test` half is only reported. Each message goes through the offline
interpreter's `decide` on the demo gym with a profile name ("Priya") that appears in no message, as in
bench/talk_heldout.py, and is scored:

* right   the name taken is the expected one (case-insensitive), or none is taken where none is stated;
* wrong   another name is taken, or one is taken where none is stated: the reply then greets the customer
          by a word that is not their name, the worst outcome;
* missed  no name is taken where one is stated (the booking or lead keeps the WhatsApp profile name).

Usage: .venv/bin/python bench/names_fresh.py [--split tune|test|all] [-v]
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bench.talk_heldout import context  # noqa: E402
from shared.adapters.interpreters.local import decide  # noqa: E402

CASES = ROOT / "bench" / "names_fresh.yaml"
KINDS = ("right", "wrong", "missed")


def split_of(text: str) -> str:
    """The fixed half a message belongs to: `tune` or `test`."""
    return "test" if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 else "tune"


def taken_name(text: str) -> str | None:
    """The name the interpreter takes from `text`: the decision's, else the one it remembers."""
    proposal = decide(context(text))
    named = proposal.raw.get("customer_name")
    return (named if named != "Priya" else None) or (proposal.state or {}).get("name")


def score(expected: str, taken: str | None) -> str:
    if (taken or "-").casefold() == expected.casefold():
        return "right"
    return "missed" if taken is None else "wrong"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "test", "all"), default="all")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every message that is not right")
    args = parser.parse_args(argv)
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    results: dict[str, dict[str, list[str]]] = {}
    for case in cases:
        half = split_of(case["text"])
        if args.split not in ("all", half):
            continue
        taken = taken_name(case["text"])
        kind = score(str(case["name"]), taken)
        results.setdefault(half, {}).setdefault(case["lang"], []).append(kind)
        if args.verbose and kind != "right":
            print(f"  {half} {case['lang']:7} {kind:6} {case['text']!r}: expected {case['name']!r}, took {taken!r}")
    for half in ("tune", "test"):
        if half not in results:
            continue
        every = [kind for kinds in results[half].values() for kind in kinds]
        counts = "  ".join(f"{kind} {every.count(kind):3}" for kind in KINDS)
        print(f"{half:5} {counts}  of {len(every)}")
        for language, kinds in sorted(results[half].items()):
            print(f"      {language:7} " + "  ".join(f"{kind} {kinds.count(kind):2}" for kind in KINDS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
