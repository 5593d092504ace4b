"""Which language a customer wrote in: a small, deterministic, offline detector (pure functions).

``detect_language(text)`` returns one of ``SUPPORTED_LANGUAGES`` (en, es, pt, fr, de, hi, hi_Latn):

* Devanagari letters make it ``"hi"``; text mostly in another non-Latin script (Arabic, Cyrillic,
  CJK...) gets ``default``, since the assistant cannot answer in it.
* Latin text is scored per language: function words and common chat words (matched without
  accents, because people often skip them on WhatsApp: "voce", "nao", "manana"), weighted by how
  telling they are, plus telling letters (ñ ¿ -> es; ã õ ção -> pt; è ù œ -> fr; ß ä ö ü -> de).
  Romanised Hindi (Hinglish) is ``"hi_Latn"`` by words such as hai, kya, mujhe, kal, baje, chahiye.
* Italian, Dutch, Turkish and the Nordic languages are scored too, only so that they are not
  mistaken for es/pt/fr/de: when one of them wins, the answer is ``default``.
* The winner must score at least ``MIN_SCORE`` and beat the runner-up by ``MARGIN``; otherwise
  ``default``. A short greeting on its own ("hola", "olá", "bonjour", "hallo", "namaste") is enough.

``allowed`` limits the answer to some languages (for example the business's languages); a
winner outside it gives ``default``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "pt", "fr", "de", "hi", "hi_Latn")
MIN_SCORE = 2.0
MARGIN = 1.0

_SINKS = ("it", "nl", "tr", "nordic")  # scored only so that they are not taken for a supported language


def _weights(spec: dict[float, str]) -> dict[str, float]:
    table: dict[str, float] = {}
    for weight, words in spec.items():
        for word in words.split():
            table[word] = max(table.get(word, 0.0), weight)
    return table


# Words are written without accents (they are matched on accent-free tokens).
_WORDS: dict[str, dict[str, float]] = {
    "en": _weights({
        3: "hello tomorrow tonight thanks thank please",
        2: "the and you your what when where how could would want need are this that with have has will "
           "today morning evening afternoon hey yes my there do does don which who from about get",
        1: "a an to of for in on at me i it be am pm can is hi",
        0.5: "set all up alarm alarms cancel delete time book booking appointment reminder reminders remind "
             "show week next weekend month change create",
    }),
    "es": _weights({
        3: "hola gracias usted ustedes manana quisiera necesito tambien donde cuando cuanto cuantos noches "
           "tardes lunes miercoles jueves viernes cita recordatorio despertador puedes podria buenos buenas "
           "quiero tengo estoy muy hoy ayer ahora hay",
        2: "el los del con y una puedo puede pero que como dias semana martes reservar cancelar gustaria "
           "favor hora horario mi mis tu su esta este esto estos hacer alarma manda por",
        1: "la las un de en se lo le al para es si no ya o sabado domingo",
    }),
    "pt": _weights({
        3: "voce voces nao obrigado obrigada ola oi amanha gostaria tambem entao lembrete agendar feira terca "
           "quarta quinta sexta isso esse essa quero tenho posso vc vcs",
        2: "hoje as com em um uma ao aos na nas pra meu minha seu sua marcar horario consulta manha noite "
           "quanto custa onde muito bom boa sim agora ainda depois mais ele ela eu vai vou fazer pode tem "
           "dia dias semana",
        1: "o os a e de do da das no que para por como ta esta",
    }),
    "fr": _weights({
        3: "bonjour bonsoir salut merci oui vous votre vos demain aujourd rendez rdv lundi mardi mercredi jeudi "
           "vendredi samedi dimanche combien voudrais pouvez avez etes suis cette tres plait annuler "
           "rappel reveil semaine heure heures nous je",
        2: "les des du une est pas pour avec dans sur mon mes soir matin quand comment veux peux ai sont "
           "aussi au aux ce qu il elle moi",
        1: "le la un de que ne ma non c j l d n s y et reserver",
    }),
    "de": _weights({
        3: "ich und ist nicht fur uhr morgen heute bitte danke hallo guten termin buchen stornieren absagen "
           "mochte kann konnen habe wann wie kostet mir mich meine meinen nein auch noch schon woche buche "
           "montag dienstag mittwoch donnerstag freitag samstag sonntag erinnerung erinnere erinnerungen "
           "wecker zeige losche abends morgens nachmittags fruh eine einen einem",
        2: "sie wir der die das den dem ein mit auf zu von bei im haben bin wo viel ja alle stelle januar "
           "februar marz juni juli oktober dezember schlummer",
        1: "am um es des er was mein",
    }),
    "hi_Latn": _weights({
        3: "hai hain kya parso aaj mujhe muje mujhse karna karo karein kijiye chahiye baje subah shaam raat "
           "dopahar kitna kitne kitni kaise kaisa kaisi aap aapka aapki aapko nahi nahin liye bhi yeh kab "
           "kahan kaun kaunsa accha acha theek thik haan namaste namaskar dhanyavaad dhanyawad shukriya batao "
           "bataiye dijiye lagaye lagao kardo raha rahi rahe gaya gayi hoga hogi agle agla pichle baad pehle "
           "abhi jaldi hafte mahine yaad dilana dilaye karaye karayein karenge wala wali aur lekin kuch apna "
           "apni mera meri mere hamara humara tumhe sakte sakta skte saath paas kare karen mujhko hume humein "
           "mei jab tak hone wale waale honge chahta chahti hoon saare badlo badal hata banao banaen dilaen "
           "kariye bajhe agley mahiney haftey jisme usey karni karne",
        4: "karo kare karein karen kariye karaye kijiye karenge",
        2: "kal hum ke ki ka ko tha thi ji bhai sab ek woh dena mein mai baja jo",
        1: "me se par ye wo din he",
    }),
    "it": _weights({
        3: "ciao grazie domani oggi sveglia promemoria ricordami imposta della delle degli sono buongiorno "
           "prenota vorrei",
        2: "il di per che gli alle alla mi tutti tutte sera mattina",
        1: "la le un una in con",
    }),
    "nl": _weights({
        3: "het een ik niet voor wekker herinnering herinner morgen vandaag alle mijn zijn graag bedankt",
        2: "van je op met aan wat dat de",
        1: "in",
    }),
    "tr": _weights({
        3: "bir ve icin bu ile kur hatirlat hatirlatici yarin bugun",
        1: "de da",
    }),
    "nordic": _weights({  # Danish, Norwegian, Swedish
        3: "jeg eg ikke gerne klokken klokka bestil bestill finn meg mig og vis hvad hva kor korr koss",
        2: "til bord min mine har som er et vil",
    }),
}

# Telling letters and endings, counted on the original (accented, case-folded) text.
_MARKS: dict[str, tuple[tuple[re.Pattern[str], float], ...]] = {
    "es": ((re.compile(r"ñ"), 3), (re.compile(r"[¿¡]"), 3), (re.compile(r"\b(?:mañana|qué|está|más)\b"), 1)),
    "pt": ((re.compile(r"[ãõ]"), 3), (re.compile(r"ç[ãõ]"), 2), (re.compile(r"\b(?:às|você|é)\b"), 2),
           (re.compile(r"ê"), 1)),
    "fr": ((re.compile(r"[èùœûîëï]"), 2), (re.compile(r"\b[jlcdnsm]'|\bqu'"), 2), (re.compile(r"\b(?:où|ça|à)\b"), 2),
           (re.compile(r"ç"), 1)),
    "de": ((re.compile(r"ß"), 3), (re.compile(r"[äöü]"), 2)),
    "tr": ((re.compile(r"[ışğ]"), 3),),
    "nordic": ((re.compile(r"[æøå]"), 3),),
    "hi_Latn": ((re.compile(r"\b[a-z]+(?:aiye|iye|aen|ayein|ayen)\b"), 2),),
}

# A greeting or thanks on its own is enough (full, accent-free, case-folded message).
_GREETINGS: dict[str, str] = {
    "hola": "es", "buenas": "es", "buenos dias": "es", "buenas tardes": "es", "buenas noches": "es",
    "gracias": "es", "muchas gracias": "es",
    "ola": "pt", "oi": "pt", "bom dia": "pt", "boa tarde": "pt", "boa noite": "pt", "obrigado": "pt",
    "obrigada": "pt",
    "bonjour": "fr", "bonsoir": "fr", "salut": "fr", "merci": "fr", "coucou": "fr",
    "hallo": "de", "guten tag": "de", "guten morgen": "de", "guten abend": "de", "moin": "de", "servus": "de",
    "danke": "de", "danke schon": "de",
    "namaste": "hi_Latn", "namaskar": "hi_Latn", "dhanyavaad": "hi_Latn", "shukriya": "hi_Latn",
    "hello": "en", "hi": "en", "hey": "en", "thanks": "en", "thank you": "en", "good morning": "en",
    "good evening": "en", "good afternoon": "en",
}

_TOKEN = re.compile(r"[^\W\d_]+")


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _script_counts(text: str) -> tuple[int, int, int]:
    """(Devanagari letters, Latin letters, other letters)."""
    deva = latin = other = 0
    for ch in text:
        if not ch.isalpha() and not ("\u0900" <= ch <= "\u097f"):
            continue
        if "\u0900" <= ch <= "\u097f":
            deva += 1
        elif ch.isascii() or "LATIN" in unicodedata.name(ch, ""):
            latin += 1
        else:
            other += 1
    return deva, latin, other


def _weights_by_token() -> dict[str, tuple[tuple[str, float], ...]]:
    # One lookup per token instead of one per token and language.
    weights: dict[str, list[tuple[str, float]]] = {}
    for language, table in _WORDS.items():
        for token, weight in table.items():
            weights.setdefault(token, []).append((language, weight))
    return {token: tuple(pairs) for token, pairs in weights.items()}


_WEIGHTS_BY_TOKEN = _weights_by_token()


def scores(text: str) -> dict[str, float]:
    """Evidence per language (supported ones and the sinks) for Latin-script text."""
    folded = unicodedata.normalize("NFC", text).casefold()
    plain = folded if folded.isascii() else _strip_accents(folded)  # ASCII has no accents to strip
    tokens = _TOKEN.findall(plain)
    result = {language: 0.0 for language in _WORDS}
    for token in tokens:
        for language, weight in _WEIGHTS_BY_TOKEN.get(token, ()):
            result[language] += weight
    for language, marks in _MARKS.items():
        for pattern, weight in marks:
            result[language] += weight * len(pattern.findall(folded))
    greeting = " ".join(tokens)
    if greeting in _GREETINGS:
        result[_GREETINGS[greeting]] += MIN_SCORE + MARGIN
    return result


def _allowed(allowed: Sequence[str] | None) -> set[str]:
    if allowed is None:
        return set(SUPPORTED_LANGUAGES)
    wanted = set()
    for code in allowed:
        code = code.replace("-", "_")
        if code.lower() in ("hi_latn", "hinglish"):
            wanted.add("hi_Latn")
        elif code.lower() in SUPPORTED_LANGUAGES:
            wanted.add(code.lower())
    return wanted


def detect_language(text: str, *, allowed: Sequence[str] | None = None, default: str = "en") -> str:
    """The language of `text` (one of SUPPORTED_LANGUAGES), or `default` when unsure or not allowed."""
    permitted = _allowed(allowed)
    if not text or not text.strip():
        return default
    if not text.isascii():  # ASCII text is all Latin: neither Devanagari nor another script can win
        deva, latin, other = _script_counts(text)
        if deva and deva >= 0.3 * (deva + latin + other):
            return "hi" if "hi" in permitted else default
        if other > latin:
            return default
    ranked = sorted(scores(text).items(), key=lambda item: (-item[1], item[0]))
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < MIN_SCORE or top - second < MARGIN or best in _SINKS or best not in permitted:
        return default
    return best
