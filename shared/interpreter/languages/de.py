"""German."""

from ._base import Language

LANGUAGE = Language(
    code="de",
    order=4,
    words={
        3: "ich und ist nicht fur uhr morgen heute bitte danke hallo guten termin buchen stornieren absagen "
           "mochte kann konnen habe wann wie kostet mir mich meine meinen nein auch noch schon woche buche "
           "montag dienstag mittwoch donnerstag freitag samstag sonntag erinnerung erinnere erinnerungen "
           "wecker zeige losche abends morgens nachmittags fruh eine einen einem heisse",
        2: "sie wir der die das den dem ein mit auf zu von bei im haben bin wo viel ja alle stelle januar "
           "februar marz juni juli oktober dezember schlummer",
        1: "am um es des er was mein",
    },
    marks=((r"ß", 3), (r"[äöü]", 2)),
    greetings=("hallo", "hallo zusammen", "guten tag", "guten morgen", "guten abend", "moin", "moin moin",
               "servus", "gruss gott", "gruß gott", "gruezi", "wie geht's", "wie gehts",
               "wie geht es ihnen", "na"),
    thanks=("danke", "danke schon", "dankeschon", "danke sehr", "vielen dank", "vielen lieben dank", "besten dank",
            "herzlichen dank", "tausend dank", "danke vielmals", "danke dir", "danke euch", "danke ihnen",
            "sehr nett", "nein danke", "ich danke ihnen", "dank dir"),
    goodbyes=("tschuss", "tschau", "auf wiedersehen", "auf wiederhoren", "bis bald", "bis dann", "bis morgen",
              "bis spater", "schonen tag", "schonen tag noch", "schones wochenende", "gute nacht", "ciao",
              "das wars", "das war's", "das ist alles", "mehr nicht", "nein", "nein das wars"),
    acknowledgements=("ok", "okay", "alles klar", "klar", "super", "prima", "perfekt", "passt", "gut", "sehr gut",
                      "verstanden", "in ordnung", "geht klar", "top", "toll", "wunderbar", "ja", "jawohl",
                      "ach so", "aha", "gern", "gerne", "gut zu wissen", "genau", "stimmt", "passt schon", "basst", "jep", "jup",
                      "okidoki", "alles gut", "alles klaro", "klaro", "geht in ordnung", "sauber", "bestens", "cool"),
    small_talk_fillers=("dir", "euch", "ihnen", "sehr", "vielmals", "nochmal", "nochmals", "schon", "auch",
                        "fur die info", "fur die infos", "fur die information", "fur ihre hilfe", "fur deine hilfe",
                        "fur die hilfe", "fur alles", "und", "also", "dann", "zusammen", "ihr", "leute", "team",
                        "herr", "frau", "lieben", "liebe", "vielen", "noch", "gleichfalls", "ebenfalls", "es ist", "ist",
                        "hier", "ich bin", "meister", "chef", "chefin", "doktor", "doc", "dr", "herr doktor", "frau doktor",
                        "mann", "digga", "junge"),
    name_patterns=(
        r"\bich hei(?:ß|ss)e {name}", r"\bmein name ist {name}", r"\bauf den namen {name}",
        r"\bunter dem namen {name}", r"\bname\s*[:=]\s*{name}",
    ),
    weak_name_patterns=(
        r"\bich bin (?:der |die )?{name}", r"\bf(?:ü|ue)r (?:herrn? |frau )?{name}(?=\s*(?:bitte|danke)?\W*$)", r"\bhier ist (?:der |die )?{name}", r"\bda ist (?:der|die) {name}", r"\bich bin'?s,? (?:der |die )?{name}",
        # Only first or after a greeting: German capitalises nouns ("Die Rechnung hier." names nobody).
        r"(?:^\W*|\b(?:hallo|hi|hey|moin|servus|guten (?:morgen|tag|abend))\W+)(?:der |die )?{name} hier(?=\s*(?:[^\w\s?]|$))",
        r"\bhier spricht {name}",
        r"\b(?:termin|buchung|reservierung)(?:en)? (?:ist )?f(?:ü|ue|u)r (?:herrn? |frau )?{name}",
        r"\b(?:viele |liebe |beste |sch[öo]ne |herzliche |freundliche )?(?:gr[üu](?:ß|ss)e|gru(?:ß|ss)|lg|vg|mfg|"
        r"mit freundlichen gr[üu](?:ß|ss)en)\s*[,.\n-]*\s*{name}\W*$",
    ),
    function_words="fuer aber wann welche welcher welches wieviel viel viele dieser diese dieses haben habe habt "
                   "konnen kann konnte konnten mochte mochten brauche brauchen wissen bitte danke hallo auch uber "
                   "ueber seit zwischen warum weil hier jetzt heute morgen woche abend tage sehr etwas nichts alles "
                   "alle ding dinge andere anderen gleich gibt euch ihnen wird werden noch schon eine einen einem "
                   "einer person personen leute ware waere waren jede jeden nahe naher neben innen aussen",
    not_names="gruss grusse lg vg mfg neu neue neuer kunde kundin mitglied anfanger anfangerin student studentin interessiert hier "
              "mutter vater frau mann sohn tochter freund freundin schwester bruder trainer chef besitzer "
              "krank mude spat fertig froh leider sicher gerade noch schon jetzt bereit da dabei",
    topic_markers=(
        r"\b(?:wegen|bez[üu]glich|betreffend|betreffs|zum thema|in sachen|hinsichtlich)\s+(?P<topic>.+)",
        r"\b(?:[üu]ber|zu)\s+(?P<topic>(?:die|den|das|dem|der|einer|einem|einen|eine|meine[nmr]?|meine)\b.+)",
    ),
    requirement_fillers=(
        r"bitte", r"k[öo]nnen sie", r"k[öo]nnten sie", r"kann", r"k[öo]nnte", r"jemand", r"mich", r"uns",
        r"sie", r"mal", r"der", r"die", r"das", r"den", r"dem", r"des", r"ein", r"eine", r"einen", r"einem",
        r"einer", r"eines", r"anrufen", r"zur[üu]ckrufen", r"zur[üu]ck", r"an", r"ich", r"m[öo]chte(?: gerne?)?", r"w[üu]rde(?: gerne?)?",
        r"gerne?", r"mehr", r"infos?", r"informationen", r"danke", r"hallo", r"und", r"oder", r"wegen",
        r"hätte gern", r"h[aä]tte eine frage zu", r"eine frage zu", r"interessiere mich f[üu]r",
    ),
    intents={
        "human": (r"mensch", r"mitarbeiter", r"jemanden sprechen", r"beschwerde", r"beschwer\w*", r"r[uü]ckerstattung",
                  r"anwalt", r"unzufrieden", r"entt[aä]usch\w*", r"[aä]rgerlich", r"ver[aä]rgert", r"unversch[aä]mt\w*",
                  r"frechheit", r"geld zur[uü]ck", r"reklamation", r"reklamier\w*", r"(?:den|dem|die|der) chef(?:in)?",
                  r"inhaber(?:in)?", r"katastroph\w*", r"schlechte[rn]? (?:service|arbeit|erfahrung)", r"pfusch\w*",
                  r"(?:ihr habt|sie haben|er hat|sie hat) mich verletzt"),
        "sensitive": (r"schmerz\w*", r"verletz\w*", r"schwanger", r"blut\w*", r"(?:tut|tun|tat) (?:\w+ )?weh",
                      r"entz[uü]nd\w*", r"geschwollen", r"allergi\w*", r"medikament\w*", r"infektion", r"notfall",
                      r"fieber"),
        "cancel": (r"stornier\w*", r"absagen", r"sage\w* ab"),
        "move": (r"verschieben", r"verlegen", r"[aä]ndern"),
        "callback": (r"zur[uü]ckruf\w*", r"r[uü]ckruf", r"ruf\w* mich", r"rufen sie mich",
                     r"(?:mich|uns)(?: \S+){0,6} (?:anrufen|zur[uü]ckrufen)"),
        "book": (r"buchen", r"termin", r"reservieren", r"buchung"),
        "open_now": (r"(?:heute|jetzt|gerade|noch) (?:ge[oö]ffnet|offen)",
                     r"(?:habt ihr|haben sie|seid ihr|sind sie) (?:\w+ )?(?:offen|ge[oö]ffnet)"),
        "hours": (r"[oö]ffnungszeiten", r"ge[oö]ffnet", r"offen"),
        "address": (r"wo sind sie", r"wo finde ich"),
        "phone_question": (r"telefonnummer",),
        "language_question": (r"sprechen sie", r"sprichst"),
        "services": (r"leistungen", r"angebot"),
        "price": (r"kostenlos", r"wie viel", r"wieviel", r"preis\w*", r"kosten", r"kostet", r"was kostet",
                  r"wie teuer", r"geb[uü]hr\w*", r"gratis", r"umsonst"),
        "want": (r"ich m[oö]chte", r"ich will", r"h[aä]tte gern"),
        # Words a question opens with, beyond question_start: how the FAQ matcher tells a question.
        "question_words": (r"was", r"welche\w*", r"warum", r"gibt es", r"haben sie", r"habt ihr", r"kann ich", r"k[oö]nnen sie", r"kann man", r"nehmen sie", r"ist", r"sind"),
        "question_start": (r"wann", r"wo", r"wie"),
        "offer": (r"haben sie", r"habt ihr", r"gibt es", r"gibt's", r"bieten sie", r"bietet ihr", r"verkaufen sie",
                  r"verkauft ihr", r"macht ihr", r"machen sie", r"vermieten sie"),
        "you": (r"sie", r"ihr", r"ihre", r"euch"),
        "mine": (r"mein", r"meine", r"meinen"),
        "yours": (r"ihr", r"ihre"),
        "named_day": (r"(?:mon|diens|donners|frei|sams|sonn)tags?", r"mittwochs?", r"sonnabends?", r"wochenenden?",
                      r"feiertage?n?"),
    },
)
