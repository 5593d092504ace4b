"""Bench: which language a customer wrote in (shared/interpreter/language.py).

Data: multilingual_subset.jsonl (xSID 0.7 and Hinglish-TOP; see the datasets README).

* In scope: xSID ``en`` and ``de`` (expected "en"/"de") and Hinglish-TOP (romanised Hindi-English,
  expected "hi_Latn"). xSID has no es/pt/fr/hi locale, so those are covered only by the unit tests.
* German dialects (de-ba Bavarian, de-muc Munich, de-st South Tyrolean, gsw Swiss German) are
  reported as "de" and shown apart.
* Every other xSID locale (it, nl, da, no, id, tr, lt, sr, kk, ar, ja, zh, nap...) is out of scope:
  the right answer there is the default "en" (no supported language claimed); we report how often
  it is taken for es/pt/fr/de/hi/hi_Latn ("false language").

xSID rows are split dev/test in the file; Hinglish-TOP rows are all "test". Figures are per split.
Usage: .venv/bin/python bench/language_id.py [DATA_DIR]   (default ../shared/datasets)
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shared.interpreter.language import detect_language  # noqa: E402

FILE = "multilingual_subset.jsonl"
EXPECTED = {"en": "en", "de": "de", "de-ba": "de", "de-muc": "de", "de-st": "de", "gsw": "de"}


def expected(locale: str) -> str | None:
    if locale.startswith("hi-en"):
        return "hi_Latn"
    return EXPECTED.get(locale)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(ROOT / ".." / "shared" / "datasets"))
    args = ap.parse_args(argv)
    path = Path(args.data) / FILE
    if not path.exists():
        print(f"data missing: {path} not found; pass the datasets folder as the first argument", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    started = time.perf_counter()
    hits: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    confusion: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for row in rows:
        got = detect_language(row["text"])
        want = expected(row["locale"])
        locale = "hi-en" if row["locale"].startswith("hi-en") else row["locale"]
        cell = hits[(locale, row["split"])]
        cell[1] += 1
        cell[0] += int(got == want) if want else int(got == "en")
        confusion[(locale, row["split"])][got] += 1
    elapsed = time.perf_counter() - started
    print(f"{len(rows)} rows in {elapsed * 1000:.0f} ms ({elapsed / len(rows) * 1e6:.0f} µs/row)\n")
    print(f"{'locale':8} {'expected':9} {'split':5} {'rows':>5} {'accuracy':>9}   answers")
    order = sorted(hits, key=lambda k: (expected(k[0]) is None, k[0] not in ("en", "de", "hi-en"), k))
    for locale, split in order:
        ok, n = hits[(locale, split)]
        want = expected(locale) or "(en)"
        label = "accuracy" if expected(locale) else "kept en"
        answers = ", ".join(f"{k}:{v}" for k, v in confusion[(locale, split)].most_common(4))
        print(f"{locale:8} {want:9} {split:5} {n:5} {ok / n:9.1%}   {answers}" + ("" if expected(locale)
                                                                               else f"  ({label})"))
    out = [k for k in hits if expected(k[0]) is None]
    false = sum(hits[k][1] - hits[k][0] for k in out)
    total = sum(hits[k][1] for k in out)
    print(f"\nout-of-scope locales: {false}/{total} rows ({false / total:.1%}) taken for a supported non-English "
          "language")
    return 0


if __name__ == "__main__":
    sys.exit(main())
