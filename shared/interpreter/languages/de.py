"""German."""

from ._base import Language

LANGUAGE = Language(
    code="de",
    stemmer="german",
    order=4,
    words={
        3: "ich und ist nicht fur uhr morgen heute bitte danke hallo guten termin buchen stornieren absagen "
           "mochte kann konnen habe wann wie kostet mir mich meine meinen nein auch noch schon woche buche "
           "montag dienstag mittwoch donnerstag freitag samstag sonntag erinnerung erinnere erinnerungen "
           "wecker zeige losche abends morgens nachmittags fruh eine einen einem heisse hast habt seid euch offen "
           "geoffnet kannst sonntags samstags montags dienstags freitags wochenende gibt",
        2: "sie wir der die das den dem ein mit auf zu von bei im haben bin wo viel ja alle stelle januar ihr du "
           "februar marz juni juli oktober dezember schlummer",
        1: "am um es des er was mein",
        # Bavarian, Austrian and Swiss German as customers write it ("i hob koa zeit", "isch das möglich?",
        # "chönd sie mir"), words no other supported language or English writes: they tell German too.
        2.5: "olle ois oiso hob hod hom hobts ned nix wos wia heid heit heint moang morgn fria friah nammiddog "
             "nachmiddog middog obnd mechat mecht mog gell fei griass griasdi pfiat bittschon vergelts oane zwoa "
             "kimm kummt dahoam hoam glei bissl bissal scho nimma dro isch oppis chan chasch chond chonnt "
             "chunnt gruezi vilmal morn gsi gseh lueg luege weli wele hesch hend bim imene emene chli "
             "chlii zame mitenand opper wiederluege merssi koa koane brauch mach fia namidog vormidog foamidog "
             "montog dienstog mittwog donnerstog freidog samstog sunntog amoi oamoi sog guad leid woch wocha jez "
             "jetz neia oan gega bsuach gmacht treffn essn schau suach buach disch minutn fir leit tisch muntig "
             "nomittog kafn negschtn wochn guat tog gonzn bruche bruchen zeig reservier reserviern erinner erinnerig",
    },
    marks=((r"ß", 3), (r"[äöü]", 2)),
    greetings=("hallo", "hallo zusammen", "guten tag", "guten morgen", "guten abend", "moin", "moin moin",
               "servus", "gruss gott", "gruß gott", "gruezi", "wie geht's", "wie gehts",
               "wie geht es ihnen", "na", "alles gut bei euch", "alles klar bei euch", "alles gut bei dir",
               # Swiss and Austrian
               "hoi", "hoi zame", "hallo zame", "sali", "salu", "gruessech", "gruezi mitenand", "griass di", "griass eich",
               "griass gott", "griaß gott"),
    thanks=("danke", "danke schon", "dankeschon", "danke sehr", "vielen dank", "vielen lieben dank", "besten dank",
            "herzlichen dank", "tausend dank", "danke vielmals", "danke dir", "danke euch", "danke ihnen",
            "sehr nett", "nein danke", "ich danke ihnen", "dank dir",
            # Swiss: "merci" is German there too
            "merci vielmal", "merci viumau", "merci vilmal", "danke vielmal"),
    goodbyes=("tschuss", "tschau", "auf wiedersehen", "auf wiederhoren", "bis bald", "bis dann", "bis morgen",
              "bis spater", "schonen tag", "schonen tag noch", "schones wochenende", "gute nacht", "ciao",
              "das wars", "das war's", "das ist alles", "mehr nicht", "nein", "nein das wars",
              # Austrian and Bavarian, and leaving it for later
              "baba", "pfiat di", "pfiat eich", "servas", "ich melde mich", "ich meld mich", "meld mich", "i meld mi",
              "ich melde mich dann", "ich uberlege es mir", "i meld mi dann"),
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
    affirmations=("ja", "jep", "jo", "jap", "genau", "richtig", "stimmt", "ja genau", "korrekt", "exakt", "jawohl",
                  "sicher", "klar", "gern", "gerne", "ja klar"),
    negations=("nein", "nee", "ne", "no", "noe", "nicht wirklich", "nicht ganz", "das nicht"),
    chat_shorthand={"dnk": "danke", "hallochen": "hallo", "gibts": "gibt es", "gibt's": "gibt es", "hab": "habe",
                    "nen": "einen", "kannste": "kannst du", "haste": "hast du", "biste": "bist du", "gehts": "geht es",
                    "vllt": "vielleicht", "vlt": "vielleicht", "grad": "gerade", "ned": "nicht", "net": "nicht",
                    "nix": "nichts", "i": "ich", "eich": "euch", "ham": "haben", "hob": "habe", "wos": "was",
                    "ois": "alles", "is": "ist", "habts": "habt", "kost": "kostet", "mfg": "mit freundlichen Grüßen",
                    "lg": "liebe Grüße", "wg": "wegen", "bzgl": "bezüglich", "mgl": "möglich",
                    # Swiss German, as customers in Zürich or Bern write it
                    "isch": "ist", "hesch": "hast du", "hend": "habt", "händ": "habt", "hän": "haben",
                    "chan": "kann", "chasch": "kannst du", "chönd": "könnt", "chönnt": "könnte",
                    "chönntet": "könntet", "bi": "bei", "eu": "euch", "au": "auch", "offe": "offen", "wänn": "wann",
                    "git's": "gibt es", "gits": "gibt es", "mis": "mein", "mini": "meine", "morn": "morgen",
                    "hüt": "heute", "nüme": "nicht mehr", "nöd": "nicht", "nid": "nicht", "öppis": "etwas",
                    "gsi": "gewesen", "gaht": "geht", "cho": "kommen", "wuche": "Woche", "namittag": "Nachmittag",
                    "zäme": "zusammen", "samstig": "Samstag", "sunntig": "Sonntag", "flicke": "reparieren",
                    "wächsle": "wechseln", "zahle": "zahlen", "uf": "auf", "alüte": "anrufen", "aalüte": "anrufen",
                    # ("mi" for "mich" is left out: "Mi" is Mittwoch, "mi 17 uhr?")
                    # Austrian and Bavarian
                    "heit": "heute", "moagn": "morgen", "wia": "wie", "ana": "einer", "stund": "Stunde",
                    # Berlin
                    "ick": "ich", "icke": "ich", "det": "das", "dit": "das", "wat": "was", "jut": "gut",
                    "allet": "alles", "jeht": "geht", "nich": "nicht", "nem": "einem", "ner": "einer", "n": "ein",
                    "janz": "ganz", "jerne": "gerne", "jetz": "jetzt"},
    name_patterns=(
        r"\bich hei(?:ß|ss)e {name}", r"\bmein name ist {name}", r"\bauf den namen {name}",
        r"\bunter dem namen {name}", r"\bname\s*[:=]\s*{name}", r"\b(?:ihr|sein) name ist {name}",
    ),
    weak_name_patterns=(
        r"\b(?:ich|i) bin (?:der |die |da )?{name}", r"\b(?:sie|er) hei(?:ß|ss)t {name}",
        # "Griaß Gott! Bin der Lukas": without "ich", only first or after a greeting
        r"(?:^\W*|[,.!;]\s*|\b(?:hallo|hi|hey|moin|servus|griaß gott|grüß gott|gruss gott|griass di|guten (?:morgen|tag|abend))\W+)"
        r"bin (?:der |die )?{name}", r"\bf(?:ü|ue)r (?:herrn? |frau )?{name}(?=\s*(?:bitte|danke)?\W*$)", r"\bhier ist (?:der |die )?{name}", r"\bda ist (?:der|die) {name}", r"\bich bin'?s,? (?:der |die )?{name}",
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
    not_names="meinung ansicht auffassung uberzeugung ueberzeugung gruss grusse lg vg mfg neu neue neuer kunde kundin mitglied anfanger anfangerin student studentin interessiert hier "
              "mutter vater frau mann sohn tochter freund freundin schwester bruder trainer chef besitzer "
              "krank mude spat fertig froh leider sicher gerade noch schon jetzt bereit da dabei",
    name_titles=(r"herr", r"herrn", r"frau", r"dr", r"prof"),
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
        "human": (r"mensch(?:en)?", r"(?:mit )?(?:einer echten |einer )person (?:sprechen|reden)", r"mit jemandem (?:sprechen|reden)", r"mitarbeiter", r"jemanden sprechen", r"beschwerde", r"beschwer\w*", r"r[uü]ckerstattung",
                  r"anwalt", r"unzufrieden", r"entt[aä]usch\w*", r"[aä]rgerlich", r"ver[aä]rgert", r"unversch[aä]mt\w*",
                  r"frechheit", r"geld zur[uü]ck", r"reklamation", r"reklamier\w*", r"(?:den|dem|die|der) chef(?:in)?",
                  r"inhaber(?:in)?", r"katastroph\w*", r"schlechte[rn]? (?:service|arbeit|erfahrung)", r"pfusch\w*",
                  r"(?:ihr habt|sie haben|er hat|sie hat) mich verletzt"),
        "sensitive": (r"schmerz\w*", r"verletz\w*", r"schwanger", r"blut\w*", r"(?:tut|tun|tat) (?:\w+ )?weh",
                      r"entz[uü]nd\w*", r"geschwollen", r"allergi\w*", r"medikament\w*", r"infektion", r"notfall",
                      r"fieber"),
        "cancel": (r"stornier\w*", r"absagen", r"sage\w* ab"),
        "move": (r"verschieben", r"verlegen", r"[aä]ndern"),
        "terms": (r"wenn ich", r"falls ich", r"geb[uü]hr\w*", r"stornogeb[uü]hr\w*", r"kostet (?:das|es)", r"kosten",
                  r"muss ich (?:das |trotzdem )?(?:zahlen|bezahlen)", r"wie (?:kann ich|storniere ich|sage ich)",
                  r"bedingungen"),
        "callback": (r"zur[uü]ckruf\w*", r"r[uü]ckruf", r"ruf\w* mich", r"rufen sie mich",
                     r"(?:mich|uns|mi)(?: \S+){0,6} (?:anrufen|zur[uü]ckrufen)"),  # Swiss "mi" (mich)
        "book": (r"buchen", r"termin", r"reservieren", r"buchung",
                 # availability asked: "habt ihr Samstag noch was frei?", "gibt es freie Plätze?"
                 r"(?:noch )?(?:was|etwas|einen platz|platz) frei", r"freie? (?:termine?|pl[aä]tze?|platz)"),
        "open_now": (r"(?:heute|jetzt|gerade|noch) (?:ge[oö]ffnet|offen)",
                     r"(?:habt ihr|haben sie|seid ihr|sind sie) (?:\w+ )?(?:offen|ge[oö]ffnet)"),
        "hours": (r"[oö]ffnungszeiten", r"ge[oö]ffnet", r"offen"),
        "address": (r"wo sind sie", r"wo finde ich", r"wo seid ihr", r"wo (?:genau )?(?:ist|liegt|befindet sich) (?:der|die|das|euer|eure|ihr|ihre) (?:laden|studio|praxis|salon|werkstatt|geschäft|shop)",
                    r"adresse", r"anschrift", r"wie komme ich (?:zu euch|zu ihnen|hin)", r"standort"),
        "phone_question": (r"telefonnummer",),
        "language_question": (r"sprechen sie", r"sprichst"),
        "services": (r"leistungen", r"angebot"),
        "price": (r"kostenlos", r"wie viel", r"wieviel", r"preis\w*", r"kosten", r"kostet", r"was kostet",
                  r"wie teuer", r"geb[uü]hr\w*", r"gratis", r"umsonst",
                  # A figure put as a question ("waren das nicht 40 €?", "das sind 35, oder?"): a price question.
                  r"(?:sind|waren|ist|war) (?:das |es )?nicht (?:€ ?)?\d+(?:[.,]\d+)?(?: ?(?:€|euro))?(?=\s*\?)",
                  r"(?:sind|ist|kostet) (?:das |es )?(?:€ ?)?\d+(?:[.,]\d+)?(?: ?(?:€|euro))?[,]? (?:oder|gell|ne|nicht wahr)(?=\W*$)"),
        "learn": (r"wissen", r"info\w*", r"details?", r"fragen", r"erfahren"),
        "want": (r"ich m[oö]chte", r"ich will", r"h[aä]tte gern", r"ich br[aä]uchte", r"ich brauche",
                 r"(?:ich |i )?w[uü]rde? gerne?", r"(?:ich|i) m[oö]cht", r"(?:ich|i) h[aä]tt gern",
                 # coming by asked: "kann ich Samstag vorbeikommen?", "geht das am Sonntag um 14 Uhr?"
                 r"k(?:a|ö|o)nn(?:te)? (?:ich|i|man) (?:\S+ ){0,4}(?:vorbei)?(?:kommen|vorbeischauen)", r"geht (?:das|es)"),
        # Words a question opens with, beyond question_start: how the FAQ matcher tells a question.
        "reference": (r"es", r"ihn", r"das", r"dies", r"dafür", r"davon", r"damit", r"den", r"die"),
        "conjunction": (r"und",),
        "continuation": (r"und", r"oder", r"auch", r"au(?:ß|ss)erdem"),
        "free_of_charge": (r"kostenlos\w*", r"gratis", r"umsonst", r"kostenfrei\w*"),
        "measure": (r"min(?:uten)?", r"stunden?", r"std", r"h", r"tag(?:e|en)?", r"wochen?", r"monat(?:e|en)?", r"jahr(?:e|en)?", r"personen", r"spieler", r"kinder", r"km", r"kg", r"meter", r"mal", r"uhr"),
        "measure_question": (r"wie lange?", r"wie viele? (?:minuten|stunden|tagen?|wochen|monaten?|jahren?|personen|leute|spieler|kindern?|termine|mal)", r"wieviele? (?:minuten|stunden|tage|personen|leute)"),
        "currency": (r"euro", r"franken", r"rappen", r"cent"),
        "question_words": (r"was", r"welche\w*", r"warum", r"gibt es", r"haben sie", r"habt ihr", r"kann ich", r"k[oö]nnen sie", r"kann man", r"nehmen sie", r"ist", r"sind"),
        "question_start": (r"wann", r"wo", r"wie"),
        "offer": (r"haben sie", r"habt ihr", r"gibt es", r"gibt's", r"bieten sie", r"bietet ihr", r"verkaufen sie",
                  r"verkauft ihr", r"macht ihr", r"machen sie", r"vermieten sie"),
        "you": (r"sie", r"ihr", r"ihre", r"euch"),
        "mine": (r"mein", r"meine", r"meinen"),
        "yours": (r"ihr", r"ihre"),
        "holiday": (r"weihnachten", r"heiligabend", r"silvester", r"neujahr", r"ostern", r"karfreitag", r"pfingsten",
                    r"feiertage?n?", r"br[uü]ckentage?"),
        "named_day": (r"(?:mon|diens|donners|frei|sams|sonn)tags?", r"mittwochs?", r"sonnabends?", r"wochenenden?",
                      r"feiertage?n?"),
    },
    qualities={
        "good": (r"(?:ist|sind|wirklich|sehr|echt|richtig) gut(?:e[nrs]?)?", r"qualit(?:ä|ae)t", r"hochwertig(?:e[nrs]?)?"),
        "fast": (r"schnell(?:e[nrs]?)?", r"geschwindigkeit"),
        "reliable": (r"stabil(?:e[nrs]?)?", r"zuverl(?:ä|ae)ssig(?:e[nrs]?)?"),
        "clean": (r"(?:ist|sind) (?:es |das |die \w+ |der \w+ )?sauber", r"sauberkeit", r"hygien(?:e|isch)"),
        "quiet": (r"ruhig(?:e[nrs]?)?", r"leise"),
        "crowded": (r"(?:ü|ue)berf(?:ü|ue)llt", r"(?:ü|ue)berlaufen"),
        "variety": (r"auswahl", r"vielfalt"),
        "value": (r"preis[- ]leistung(?:s[- ]?verh(?:ä|ae)ltnis)?", r"lohnt (?:es|sich)"),
        "comfortable": (r"bequem(?:e[nrs]?)?", r"gem(?:ü|ue)tlich(?:e[nrs]?)?", r"ger(?:ä|ae)umig(?:e[nrs]?)?"),
        "friendly": (r"freundlich(?:e[nrs]?)?", r"nett(?:e[nrs]?)?"),
        "tasty": (r"lecker(?:e[nrs]?)?", r"schmackhaft(?:e[nrs]?)?", r"authentisch(?:e[nrs]?)?"),
        "reviews": (r"bewertung(?:en)?", r"empfohlen", r"beliebt(?:e[nrs]?)?"),
        "safe": (r"(?:ist|sind) (?:es |das )?sicher", r"sicherheit"),
    },
    # The same 64 customer messages in every language, by position (a helper wrote them for this, from no
    # dataset): the encoder's pull towards the language is measured on them (interpreter/language_offsets.py).
    aligned_samples=(
        "hi, habt ihr sonntags geöffnet? zu welchen Zeiten?",
        "was kostet die monatliche Mitgliedschaft?",
        "ich möchte meine Mitgliedschaft zum nächsten Monat kündigen",
        "guten Morgen! ist im Studio gerade viel los?",
        "Guten Tag, ich hätte gern einen Kontrolltermin am Montag um 9 Uhr",
        "rechnen Sie mit der Zahnversicherung ab oder muss ich vorab zahlen?",
        "ich hab furchtbare Zahnschmerzen und bräuchte heute noch einen Termin 😣",
        "kann ich das Implantat in monatlichen Raten bezahlen?",
        "ich hätte gern einen Termin am Dienstag um 10 Uhr wegen meinem Rücken",
        "brauche ich ein Rezept vom Arzt oder kann ich einfach so kommen?",
        "danke, meinem Knie geht's nach zwei Sitzungen schon viel besser",
        "was kostet ein Damenhaarschnitt mit Föhnen?",
        "ich muss meinen Termin von Freitag auf Samstagvormittag verschieben",
        "vielen Dank, ich liebe die neue Farbe! 😍",
        "macht ihr Gelnägel und wie lange halten die?",
        "ich würde gern eine Maniküre für diesen Samstag um 15 Uhr buchen",
        "bin ca. 10 Minuten später da, sorry!",
        "wie lange dauert es, einen platten Reifen zu flicken?",
        "hi, wollte nur fragen, ob mein Rad schon abholbereit ist",
        "wie ist eure genaue Adresse? Google Maps zeigt zwei Orte an",
        "was würde ein Ölwechsel bei einem Golf von 2015 kosten?",
        "rufen Sie mich bitte zurück, wenn Sie Zeit haben, es geht um mein Auto",
        "wenn ich das Auto um 8 Uhr vorbeibringe, wann ist es fertig?",
        "die Bremsen machen seit der Reparatur wieder so ein komisches Geräusch 😕",
        "habt ihr auch was Glutenfreies? meine Tochter hat Zöliakie",
        "ich würde gern eine Schokotorte für 12 Personen für Samstag bestellen",
        "darf ich meinen Hund mit reinnehmen oder nur auf die Terrasse?",
        "einen Tisch für 4 heute Abend um 20 Uhr bitte, auf den Namen Carlos",
        "ist das Restaurant rollstuhlgerecht? mein Vater sitzt im Rollstuhl",
        "unser Essen kam kalt und eine Stunde zu spät an, echt enttäuschend",
        "liefert ihr auch oder nur zum Abholen?",
        "was kostet eine Stunde Mathe-Nachhilfe für einen 14-Jährigen?",
        "sorry, mein Sohn ist krank, wir müssen die Stunde morgen absagen",
        "welche Sprachen unterrichtet ihr und gibt es Abendkurse?",
        "ich bin absolute Anfängerin, welchen Yogakurs würdet ihr empfehlen?",
        "habt ihr Gutscheine? ist für den Geburtstag meiner Schwester 🎁",
        "muss ich meine eigene Matte mitbringen oder habt ihr welche?",
        "meine Katze frisst seit zwei Tagen nicht, wir würden gern heute Nachmittag vorbeikommen",
        "gibt es sonntagabends einen tierärztlichen Notdienst?",
        "was kosten die jährlichen Impfungen für einen Welpen?",
        "unter der Küchenspüle tropft Wasser, wir bräuchten heute noch jemanden, bitte",
        "schicken Sie mir bitte ein Angebot für die Installation von 6 neuen Steckdosen",
        "jetzt funktioniert alles super, danke, dass Sie so schnell gekommen sind 👍",
        "was kostet ein neues Display für ein iPhone 12?",
        "wenn ich es jetzt vorbeibringe, bekomme ich es heute noch zurück?",
        "verkauft ihr auch Hüllen und Schutzfolien?",
        "haben Sie am 14. Juni Zeit für eine Hochzeit? wäre nachmittags",
        "wie hoch ist die Anzahlung, um das Datum zu sichern, und ist sie erstattbar?",
        "wissen Sie schon ungefähr, wann die Fotos von Samstag fertig sind?",
        "was kostet ein Paket mit 10 Fahrstunden?",
        "ich muss die Fahrstunde am Donnerstag von 16 auf 18 Uhr verschieben",
        "kann man mit Karte zahlen oder nur bar?",
        "holt ihr die Wäsche ab und bringt sie zurück? ich wohne in der Nähe vom Bahnhof",
        "bei der letzten Bestellung fehlt eins von meinen weißen Hemden",
        "hallo, haben Sie Ibuprofen 400 vorrätig?",
        "bis wann haben Sie heute Abend geöffnet?",
        "können Sie mir mein Rezept nach Hause liefern? ich kann gerade schlecht laufen",
        "ich möchte ein Doppelzimmer vom 12. bis 14. Mai buchen",
        "ist das Frühstück im Preis inbegriffen?",
        "wir reisen mit einem kleinen Hund, ist das in Ordnung?",
        "gibt es Parkplätze am Hotel und sind die kostenlos?",
        "wie viel Anzahlung braucht ihr, um einen Tattoo-Termin zu buchen?",
        "ich würde gern nächsten Mittwoch gegen 17 Uhr zu einem Beratungsgespräch vorbeikommen",
        "hey! hab eure Arbeiten auf Instagram gesehen, echt mega 🔥",
    ),
)
