"""Benchmark: multilingual time expressions read right / wrong / left unread.

Usage:
    python bench/time_expressions.py [--split dev|test|all] [--data FILE] [--show-failures N]
                                     [--dateparser]

Reads bench/time_expressions.yaml, or the FILE given with --data, e.g.
bench/time_expressions_fresh.yaml (315 phrases written the way customers type, after the
parser was tuned on the first file; a file may set its own split rule in ``defaults.split_rule``),
bench/time_expressions_fresh2.yaml (159, written by a helper that never saw the parser; tuned on
after one measurement) and bench/time_expressions_fresh3.yaml (153, the same way: held out, report
only).
bench/time_expressions.yaml holds about 300 phrases in en, es, pt, fr, de, hi, hi_Latn, written
for this project; see the header of that file for the fields.  Each phrase is resolved on its own
against the suite's reference "now" in its language's business timezone, as the interpreter reads it:
its language's chat shorthand written out first ("morn" -> "morgen", "ner" -> "einer"; before
2026-12-08 the bench skipped this step, which the interpreter had taken since 2026-12-07), then with the
language passed as the interpreter passes it (``hi_Latn`` -> ``hi``) and the default opening hours.

Scoring of one phrase (its reading = the parser's date and time):
  right   the reading equals ``want``: the stated fields equal, and nothing else is read
          (``want: past``: a reading that lies before now; ``want: unread``: nothing is read);
  wrong   any field read differs from ``want``, a field is read that ``want`` lacks, or anything at all
          is read where ``want`` is ``unread``: a wrong reading books the wrong slot;
  unread  nothing wrong was read but part or all of ``want`` is missing (the assistant asks back).

``--dateparser`` also scores dateparser's ``search_dates`` when it is importable (not a dependency).
Tune on dev; report test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from shared.interpreter.languages import write_out_shorthand  # noqa: E402
from shared.interpreter.timeparse import resolve_time_expression  # noqa: E402

DATA = REPO / "bench" / "time_expressions.yaml"
DEV_BELOW = 154  # split rule: issue examples -> dev; else sha1("lang|text")[0] < 154 -> dev


def split_rule(row: dict, rule: dict | None = None) -> str:
    """The split a row must carry.  ``rule`` is the data file's ``defaults.split_rule``
    ({salt, dev_below}: sha1("salt|lang|text")[0] < dev_below -> dev); without one, the rule of
    bench/time_expressions.yaml (no salt, below 154)."""
    if row.get("issue"):
        return "dev"
    rule = rule or {}
    key = f"{row['lang']}|{row['text']}"
    if rule.get("salt"):
        key = f"{rule['salt']}|{key}"
    return "dev" if hashlib.sha1(key.encode()).digest()[0] < rule.get("dev_below", DEV_BELOW) else "test"


def load(path: Path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    base = dt.datetime.fromisoformat(doc["defaults"]["now"])
    zones = doc["defaults"]["tz"]
    rule = doc["defaults"].get("split_rule")
    rows = []
    for row in doc["phrases"]:
        if row["split"] != split_rule(row, rule):
            raise SystemExit(f"split of {row['text']!r} is {row['split']}, the rule says {split_rule(row, rule)}")
        row = dict(row)
        row["now"] = base.replace(tzinfo=ZoneInfo(row.get("tz") or zones[row["lang"]]))
        rows.append(row)
    return rows


def parse_want(want: str):
    """-> (kind, date, time): kind is 'value', 'past' or 'unread'."""
    if want in ("past", "unread"):
        return want, None, None
    date = time = None
    for part in str(want).split():
        if ":" in part:
            time = dt.time.fromisoformat(part)
        else:
            date = dt.date.fromisoformat(part)
    return "value", date, time


def score(row: dict, date, time) -> str:
    kind, wdate, wtime = parse_want(row["want"])
    if kind == "unread":
        return "right" if date is None and time is None else "wrong"
    if kind == "past":
        if date is None:
            return "wrong" if time is not None else "unread"
        when = dt.datetime.combine(date, time or dt.time(23, 59)).replace(tzinfo=row["now"].tzinfo)
        return "right" if when < row["now"] else "wrong"
    if (date is not None and date != wdate) or (time is not None and time != wtime):
        return "wrong"
    if (date is None) != (wdate is None) and date is None:
        return "unread"
    if (time is None) != (wtime is None) and time is None:
        return "unread"
    return "right"


def ours(row):
    text = write_out_shorthand(row["text"], row["lang"])
    res = resolve_time_expression(text, row["now"], language=row["lang"].split("_")[0])
    return res.date, res.time


def dateparser_reader():
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    langs = {"hi_Latn": "en"}

    def read(row):
        now = row["now"]
        settings = {"TIMEZONE": str(now.tzinfo), "RETURN_AS_TIMEZONE_AWARE": False,
                    "PREFER_DATES_FROM": "future", "RELATIVE_BASE": now.replace(tzinfo=None)}
        found = search_dates(row["text"], settings=settings, languages=[langs.get(row["lang"], row["lang"])])
        if not found:
            return None, None
        text, value = found[0]
        has_time = value.time() != dt.time(0, 0) or any(c.isdigit() for c in text)
        return value.date(), (value.time().replace(second=0, microsecond=0) if has_time else None)

    return read


def report(name: str, rows: list[dict], reader, show: int) -> None:
    tallies: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"right": 0, "wrong": 0, "unread": 0})
    failures = []
    for row in rows:
        date, time = reader(row)
        verdict = score(row, date, time)
        for key in (("all", "all"), ("lang", row["lang"]), ("cat", row["cat"])):
            tallies[key][verdict] += 1
        if verdict != "right":
            failures.append((verdict, row, date, time))

    def line(label, t):
        n = sum(t.values())
        return (f"  {label:<18} n={n:<4} right {t['right'] / n:6.1%}  wrong {t['wrong'] / n:6.1%}  "
                f"unread {t['unread'] / n:6.1%}   ({t['right']}/{t['wrong']}/{t['unread']})")

    print(f"{name}")
    print(line("ALL", tallies[("all", "all")]))
    # a day read where the phrase wants nothing read ("between 1 and 3 on fri"): counted wrong above, but the time is
    # left to ask, so no slot is booked on it; shown apart so the two kinds of wrong can be told
    day_only = sum(1 for verdict, row, date, time in failures
                   if verdict == "wrong" and row["want"] == "unread" and date is not None and time is None)
    if day_only:
        print(f"  of the wrong: {day_only} read only a day where nothing was wanted (the time is still asked)")
    for group, title in (("lang", "per language"), ("cat", "per category")):
        print(f" {title}:")
        for (g, key), t in sorted(tallies.items()):
            if g == group:
                print(line(key, t))
    for verdict, row, date, time in failures[:show]:
        print(f"  {verdict.upper():<6} [{row['lang']}/{row['cat']}] {row['text']!r}: want {row['want']}, "
              f"got {date} {time}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["dev", "test", "all"])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--show-failures", type=int, default=0, metavar="N")
    ap.add_argument("--dateparser", action="store_true", help="also score dateparser when it is installed")
    args = ap.parse_args(argv)
    path = Path(args.data)
    if not path.exists():
        print(f"data file not found: {path}")
        return 2
    rows = [r for r in load(path) if args.split == "all" or r["split"] == args.split]
    print(f"split: {args.split}  phrases: {len(rows)}")
    report("timeparse", rows, ours, args.show_failures)
    if args.dateparser:
        reader = dateparser_reader()
        if reader is None:
            print("dateparser is not installed: skipped")
        else:
            report("dateparser", rows, reader, args.show_failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
