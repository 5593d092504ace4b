"""Languages scored only so that they are not mistaken for a supported one (Italian, Dutch,
Turkish, the Nordic languages): when one of them wins, the detector answers with the default."""

from __future__ import annotations

from ._base import Language

SINKS: dict[str, Language] = {language.code: language for language in (
    Language(code="it", words={
        3: "ciao grazie domani oggi sveglia promemoria ricordami imposta della delle degli sono buongiorno "
           "prenota vorrei",
        2: "il di per che gli alle alla mi tutti tutte sera mattina",
        1: "la le un una in con",
    }),
    Language(code="nl", words={
        3: "het een ik niet voor wekker herinnering herinner morgen vandaag alle mijn zijn graag bedankt",
        2: "van je op met aan wat dat de",
        1: "in",
    }),
    Language(code="tr", words={
        3: "bir ve icin bu ile kur hatirlat hatirlatici yarin bugun",
        1: "de da",
    }, marks=((r"[ışğ]", 3),)),
    Language(code="nordic", words={  # Danish, Norwegian, Swedish
        3: "jeg eg ikke gerne klokken klokka bestil bestill finn meg mig og vis hvad hva kor korr koss",
        2: "til bord min mine har som er et vil",
    }, marks=((r"[æøå]", 3),)),
)}
