"""Bench: small talk, stated names and lead requirements on phrases held out of development.

These phrases were written after the language modules (shared/interpreter/languages/) and were not
used to tune them: they measure how the general mechanism does on wording it has not seen. The unit
tests (tests/unit/test_talk.py, tests/unit/test_local_interpreter.py) hold the phrases it was built on.

Each case goes through the offline interpreter's `decide` on the demo gym with a profile name
("Priya") that differs from any name in the text:

* small talk: no action and one of the small-talk replies (greeting, welcome, goodbye, ok, nice to meet you);
* request: something is asked besides the small talk, so the reply is none of those;
* name: decision.customer_name (or the remembered name) is the expected one; "-" means none is taken;
* requirement: a lead whose requirement is the expected text (case-insensitive).

Usage: .venv/bin/python bench/talk_heldout.py [-v]
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shared.adapters.interpreters.local import decide  # noqa: E402
from shared.domain import messages  # noqa: E402
from shared.domain.decision import ConversationContext  # noqa: E402
from shared.services.business import DEMO_CONFIG, parse_config  # noqa: E402

CONFIG = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"))
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=CONFIG.business.zone)

SMALL_TALK = [
    "thx a lot!", "Thanks a bunch 😊", "good evening!", "hey guys", "perfect, thank you", "alright cool",
    "see you tomorrow then", "ok great thanks!", "Cheers mate", "🙂", "👌👌",
    "buenas tardes!", "gracias amiga 😘", "ok, muchas gracias", "perfecto, gracias", "chao, buen día",
    "valeu!!", "boa noite", "ok obrigado", "obrigadão", "até mais", "show, obrigada",
    "Salut !", "merci à vous", "ok merci", "parfait merci", "au revoir et merci", "bonne soirée",
    "Moin!", "vielen Dank!", "ok danke", "Danke schön 🙏", "bis bald", "super, danke",
    "धन्यवाद!", "नमस्कार जी", "ठीक है धन्यवाद", "ok ji thank you", "accha theek hai", "shukriya ji",
    "namaskar", "ok bye",
]
REQUESTS = [
    "thanks! how much is personal training?", "hi, are you open on Sunday?", "ok and what's your address?",
    "gracias, ¿puedo reservar para el sábado?", "hola, ¿dónde están?", "obrigado, quanto custa?",
    "merci, je voudrais un rendez-vous demain", "danke, was kostet ein Probetraining?",
    "धन्यवाद, कल सुबह बुकिंग चाहिए", "shukriya, kal ka slot milega?", "ok, cancel my booking",
    "hello, I want to speak to a person",
]
NAMES = [
    ("hello, my name is Daniela", "Daniela"), ("I'm Tomás, is there a slot tomorrow?", "Tomás"),
    ("this is kavya", "-"), ("Sarah here, can someone call me about yoga?", "Sarah"),
    ("book a trial workout for Aditya", "Aditya"), ("the booking is under Fernandes", "Fernandes"),
    ("Regards, Imran", "Imran"), ("I'm new here", "-"), ("I'm Sunday free", "-"),
    ("booking for two please", "-"), ("my name's Olu", "Olu"),
    ("Hola, soy Martina", "Martina"), ("mi nombre es carlos", "Carlos"), ("Un abrazo, Pilar", "Pilar"),
    ("soy cliente", "-"), ("Oi, sou o Rafael", "Rafael"), ("me chamo Beatriz", "Beatriz"),
    ("Abraços, Tiago", "Tiago"), ("sou nova aqui", "-"), ("Bonjour, je suis Amélie", "Amélie"),
    ("ici Mathieu", "Mathieu"), ("Cordialement, Lefèvre", "Lefèvre"), ("je suis disponible", "-"),
    ("Hallo, hier ist die Anna", "Anna"), ("mein Name ist Weber", "Weber"), ("LG, Sven", "Sven"),
    ("ich bin neu", "-"), ("मैं अंकित हूँ", "अंकित"), ("mai Sneha hoon", "Sneha"),
    ("Rohit bol raha hoon", "Rohit"), ("main ready hoon", "-"),
]
REQUIREMENTS = [
    ("Could you call me back about a wedding package?", "wedding package"),
    ("Please give me a call regarding group classes for my office", "group classes for my office"),
    ("Hi, can someone ring me about the student discount? Thanks", "student discount"),
    ("¿Me pueden llamar sobre el entrenamiento para empresas?", "entrenamiento para empresas"),
    ("Podem me ligar sobre os planos anuais?", "planos anuais"),
    ("Vous pouvez me rappeler à propos des cours collectifs ?", "cours collectifs"),
    ("Bitte rufen Sie mich wegen eines Firmenvertrags zurück", "Firmenvertrags"),
    ("mujhe yoga classes ke bare me call kar dijiye", "yoga classes"),
    ("कृपया मुझे पर्सनल ट्रेनिंग के बारे में फ़ोन करें", "पर्सनल ट्रेनिंग"),
]


def context(text: str, state: dict | None = None) -> ConversationContext:
    return ConversationContext(config=CONFIG, faqs=tuple(enumerate(CONFIG.faqs, start=1)), now=NOW,
                               sender="+919800000001", message_id="m1", text=text, customer_name="Priya",
                               state=state or {})


def small_talk_replies(language: str) -> set[str]:
    keys = ("you_are_welcome", "goodbye", "acknowledged", "greeting_fallback")
    replies = {messages.text(k, language, business=CONFIG.business.name) for k in keys}
    return replies | {CONFIG.business.greeting or ""}


def is_small_talk(raw: dict) -> bool:
    language = raw.get("language") or "en"
    reply = raw["reply"]
    nice = messages.text("nice_to_meet_you", language, name="")
    return raw.get("action") in (None, "none") and (reply in small_talk_replies(language)
                                                     or reply.startswith(nice.split("!")[0].split("{")[0]))


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    results: dict[str, list[bool]] = {}

    def record(group: str, ok: bool, text: str, got) -> None:
        results.setdefault(group, []).append(ok)
        if verbose and not ok:
            print(f"  MISS {group}: {text!r} -> {got!r}")

    for text in SMALL_TALK:
        raw = decide(context(text)).raw
        record("small talk", is_small_talk(raw), text, (raw.get("action"), raw["reply"][:60]))
    for text in REQUESTS:
        raw = decide(context(text)).raw
        record("request, not small talk", not is_small_talk(raw), text, (raw.get("action"), raw["reply"][:60]))
    for text, name in NAMES:
        proposal = decide(context(text))
        got = proposal.raw.get("customer_name") if proposal.raw.get("customer_name") != "Priya" else None
        got = got or (proposal.state or {}).get("name")
        record("name", (got or "-") == name, text, got)
    for text, wanted in REQUIREMENTS:
        raw = decide(context(text)).raw
        got = raw.get("requirement") or ""
        record("requirement", raw.get("action") == "lead" and got.casefold() == wanted.casefold(), text,
               (raw.get("action"), got))
    total = sum(len(v) for v in results.values())
    passed = sum(sum(v) for v in results.values())
    for group, oks in results.items():
        print(f"{group:26} {sum(oks):3}/{len(oks)}")
    print(f"{'all':26} {passed:3}/{total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
