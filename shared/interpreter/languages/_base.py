"""What one language module holds: the words and patterns the offline interpreter reads in that language.

Three kinds of data, all plain values (no code), so that adding a language is one module plus its
gettext catalogue:

* plain phrases (small talk, words that are never a name): matched on accent-free, case-folded words,
  so "Obrigadaaa!!", "merci 🙏" and "DANKE dir" need no variants;
* regular-expression alternatives (intents, call-back cues, requirement fillers): matched
  case-insensitively on the text as written, as whole words;
* name patterns: regular expressions with one ``{name}`` slot where the customer's name stands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: The intents the offline interpreter knows; a module may leave any of them out.
INTENTS = ("human", "sensitive", "cancel", "move", "callback", "book", "open_now", "hours", "address",
           "phone_question", "language_question", "services", "price", "want", "question_start",
           "info_question_start", "question_words", "you", "mine", "yours", "named_day", "offer", "continuation", "conjunction",
           "reference", "free_of_charge", "measure", "measure_question", "currency", "terms", "holiday", "learn")

#: What a customer may ask about how good something is, one name per quality in every language: a question asking
#: it is answered only by an FAQ that states it ("is the wifi stable?" is not answered by "WiFi is free").
QUALITIES = ("good", "fast", "reliable", "clean", "quiet", "crowded", "variety", "value", "comfortable", "friendly",
             "tasty", "reviews", "safe")


@dataclass(frozen=True)
class Language:
    """One supported language's data. Every field is optional but `code`."""

    code: str  # as the catalogues name it: "es", "hi_Latn"
    script: str = "Latn"  # "Deva": told by its letters, not by its words
    #: The fallback and source language comes first in SUPPORTED_LANGUAGES; the rest follow by `order`.
    order: int = 100

    # --- language identification (shared/interpreter/language.py) ---------------------------------
    #: weight -> space-separated accent-free words that tell this language.
    words: Mapping[float, str] = field(default_factory=dict)
    #: (regex on the case-folded text with its accents, weight): telling letters and endings.
    marks: tuple[tuple[str, float], ...] = ()

    # --- small talk: whole messages that ask nothing (plain phrases) ---------------------------------
    greetings: tuple[str, ...] = ()
    thanks: tuple[str, ...] = ()
    goodbyes: tuple[str, ...] = ()
    acknowledgements: tuple[str, ...] = ()
    #: Words that go with small talk without asking anything ("so much", "ji", "dir", "beaucoup").
    small_talk_fillers: tuple[str, ...] = ()
    #: Saying yes, and saying no, to a question back ("do you mean: parking?"): accent-free phrases.
    affirmations: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()
    #: The languages whose chat shorthand customers mix into this one's (Hinglish writes English's "u", "pls").
    mixes_shorthand_of: tuple[str, ...] = ()
    #: Chat shorthand for one word, accent-free ("q" -> "que", "vlw" -> "valeu"): "q onda" is "que onda", a greeting.
    chat_shorthand: Mapping[str, str] = field(default_factory=dict)

    # --- names -------------------------------------------------------------------------------------
    #: The name may be written in lower case after these ("my name is meera", "mera naam rahul hai").
    name_patterns: tuple[str, ...] = ()
    #: Only a capitalised name counts after these ("I'm Meera", not "I'm looking"; "booking for Meera").
    weak_name_patterns: tuple[str, ...] = ()
    #: Accent-free words that are never a name in this language ("interested", "Kunde", "nueva").
    not_names: str = ""
    #: Titles written before a name and not part of it (regex alternatives, a dot may follow): "au nom de Mme
    #: Lefèvre" is Lefèvre's booking.
    name_titles: tuple[str, ...] = ()

    # --- FAQ matching ------------------------------------------------------------------------------
    #: Accent-free words of four letters or more that say nothing about a topic ("what", "have", "please"):
    #: left out when the FAQ matcher checks that a message and an FAQ share a word.
    function_words: str = ""
    #: The Snowball stemmer of this language ("spanish"; snowballstemmer.algorithms()), or "" for none: words of one
    #: root name the same service ("cortar o cabelo" the owner's "Corte feminino", "épiler" "Épilation").
    stemmer: str = ""
    #: The same customer messages in every language, aligned by position with English's (a translation of
    #: each): the encoder's pull towards this language is measured on them (interpreter/language_offsets.py).
    aligned_samples: tuple[str, ...] = ()

    # --- leads: what the customer wants, without the call-me-back wrapping ---------------------------
    #: Regexes with a (?P<topic>...) group: the subject of the call ("about X", "wegen X", "X ke baare mein").
    topic_markers: tuple[str, ...] = ()
    #: Regex alternatives trimmed from both ends of a requirement ("please", "the", "i'd like to know").
    requirement_fillers: tuple[str, ...] = ()

    # --- intents (regex alternatives matched as whole words; see INTENTS) -----------------------------
    #: "continuation": a word that opens a part going on asking after a question ("and", "y", "und", "aur"): "do you
    #: have parking? and wifi" asks twice, "any place to park? coming by car" asks once and says why.
    #: "conjunction": the word that joins two questions in one sentence ("and", "und", "y", "et", "aur"): "wo finde ich
    #: euch und wie kann ich bezahlen?" asks twice when a question word follows it.
    #: "reference": a word that stands for a thing named elsewhere in the message ("it", "eso", "ça", "das", "ye"):
    #: "what time does it start? the zumba class" asks about the class, not the opening hours.
    #: "free_of_charge": words an answer states a price with when it has no number ("free", "gratis", "kostenlos").
    #: "measure": units a number counts other than money ("45 minutos", "2 Stunden", "6 players", "9am", "18 Uhr"): an
    #: answer whose every number has one states no price.
    #: "measure_question": asking how long or how many ("how much time", "cuánto dura", "combien de temps", "wie
    #: lange", "kitni der"): a question about a measure, not a price, though "how much" / "cuánto" is said.
    #: "currency": words a figure's currency is written with ("euros", "pesos", "reais", "Franken", "rupaye"): "50
    #: euros" states a price even where a measure word follows ("50 euros la hora").
    #: "named_day": a day of the week, also as a habit ("on Sundays", "sonntags", "los domingos", "sunday ko"),
    #: the weekend or holidays: a question naming one is about that day, not about this moment.
    #: "holiday": a holiday or festival by name ("Christmas", "Semana Santa", "Feiertag", "diwali"): weekly hours say
    #: nothing of it, so only an FAQ that names one answers a question naming one.
    #: "learn": wanting to know about something, not wanting it ("I want to know", "queria saber", "infos"): "I'd like
    #: to know about personal training" asks no day and time.
    #: "terms": with a cancel or move word, a question about what that costs or how it is done ("if I cancel...",
    #: "fee", "multa", "frais", "Gebühr", "agar"): answered, not taken for the cancellation or the move itself.
    intents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: quality (one of QUALITIES) -> regex alternatives, matched as whole words like the intents: a customer asking
    #: how good, fast, reliable, clean... something is ("is the wifi stable?", "la comida es buena?"), or an FAQ
    #: stating it ("high-speed fibre"). Asked about the customer's own things ("my phone drains fast") it is not.
    qualities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.intents) - set(INTENTS)
        if unknown:
            raise ValueError(f"language {self.code}: unknown intents {sorted(unknown)}")
        unknown = set(self.qualities) - set(QUALITIES)
        if unknown:
            raise ValueError(f"language {self.code}: unknown qualities {sorted(unknown)}")
        for pattern in (*self.name_patterns, *self.weak_name_patterns):
            if pattern.count("{name}") != 1:
                raise ValueError(f"language {self.code}: name pattern {pattern!r} needs one {{name}}")
