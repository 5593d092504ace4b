"""Small talk that belongs to no one language: it never tells which language the customer writes in."""

from __future__ import annotations

#: kind -> plain phrases written the same in every language.
UNIVERSAL_SMALL_TALK: dict[str, tuple[str, ...]] = {
    "thanks": ("thx", "thanx", "tks", "ty", "tysm", "thnx", "tnx"),
    # Arabic and Urdu greetings that customers of many places write in every language ("salam 👋", "salaam ji")
    "greetings": ("salam", "salaam", "salam alaikum", "salaam alaikum", "assalamu alaikum", "asalam alaikum"),
    "goodbyes": ("bye", "byee", "bye bye", "ciao", "tata"),
    "acknowledgements": ("ok", "okay", "okey", "okie", "okk", "k", "kk", "oki", "okey dokey", "ok ok", "super",
                         "top", "lol", "haha", "hahaha", "hehe", "xd"),
}

#: Emoji and symbols that say something on their own (anything else without words is an acknowledgement).
EMOJI_SMALL_TALK: dict[str, str] = {
    "🙏": "thanks", "💐": "thanks", "🌹": "thanks", "❤": "thanks", "♥": "thanks", "😍": "thanks", "🥰": "thanks",
    "👋": "greetings",
}
