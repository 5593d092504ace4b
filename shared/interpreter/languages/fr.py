"""French."""

from ._base import Language

LANGUAGE = Language(
    code="fr",
    order=3,
    words={
        3: "bonjour bonsoir salut merci oui vous votre vos demain aujourd rendez rdv lundi mardi mercredi jeudi "
           "vendredi samedi dimanche combien voudrais pouvez avez etes suis cette tres plait annuler "
           "rappel reveil semaine heure heures nous je appelle",
        2: "les des du une est pas pour avec dans sur mon mes soir matin quand comment veux peux ai sont "
           "aussi au aux ce qu il elle moi",
        1: "le la un de que ne ma non c j l d n s y et reserver",
    },
    marks=((r"[èùœûîëï]", 2), (r"\b[jlcdnsm]'|\bqu'", 2), (r"\b(?:où|ça|à)\b", 2), (r"ç", 1)),
    greetings=("bonjour", "bonsoir", "salut", "coucou", "allo", "bonjour a tous", "ca va", "comment ca va",
               "comment allez vous", "vous allez bien", "bjr", "slt", "re bonjour"),
    thanks=("merci", "merci beaucoup", "merci bien", "mille mercis", "merci mille fois", "grand merci",
            "je vous remercie", "je te remercie", "merci pour tout", "c'est gentil", "c est gentil", "trop gentil",
            "tres gentil", "non merci", "mci", "mrc"),
    goodbyes=("au revoir", "a bientot", "a plus", "a plus tard", "a demain", "bonne journee", "bonne soiree",
              "bonne nuit", "bon week end", "bonne fin de journee", "c'est tout", "c est tout", "ciao", "bye", "non", "non c'est tout"),
    acknowledgements=("d'accord", "d accord", "dac", "daccord", "ok d'accord", "parfait", "tres bien", "bien",
                      "super", "genial", "entendu", "ca marche", "ca roule", "nickel", "top", "impeccable",
                      "compris", "pas de souci", "pas de soucis", "pas de probleme", "cool", "ah d'accord",
                      "bien recu", "oui", "oui oui", "voila", "oui merci", "d'acc", "dacc", "ok dac", "ca me va", "ok ca marche", "ouaip", "ouais", "tranquille", "pas de soucis merci", "nickel chrome"),
    small_talk_fillers=("beaucoup", "bien", "encore", "a vous", "a toi", "vous aussi", "toi aussi", "madame",
                        "monsieur", "a tous", "l'equipe", "equipe", "pour l'info", "pour l'information",
                        "pour les infos", "pour votre aide", "pour ton aide", "pour tout", "et", "alors", "donc",
                        "infiniment", "vraiment", "de meme", "pareillement", "tres", "tout", "le", "la", "les",
                        "c'est", "c est", "moi", "ici", "je suis", "docteur", "doc", "dr", "chef", "patron", "mademoiselle",
                        "mesdames", "messieurs", "ma belle", "mon ami", "mon amie", "mme"),
    name_patterns=(
        r"\bje m['’]appelle {name}", r"\bmon nom (?:est|c'est) {name}", r"\bau nom de {name}",
        r"\bsous le nom de {name}", r"\bnom\s*[:=]\s*{name}",
    ),
    weak_name_patterns=(
        r"\bc['’]est {name}", r"\bpour {name}(?=\s*(?:s'il vous pla[iî]t|svp|merci)?\W*$)", r"\bici {name}", r"\bje suis {name}", r"\bmoi c['’]est {name}",
        r"\b(?:r[eé]servation|rendez-vous|rdv|cr[eé]neau)s? (?:est )?pour {name}",
        r"\b(?:cordialement|bien [àa] vous|bien cordialement|amiti[eé]s|bises|merci d'avance|bonne journ[eé]e)"
        r"\s*[,.\n-]*\s*{name}\W*$",
    ),
    function_words="pour mais comme quand quel quelle quels quelles combien cette ceci cela avez avoir vous nous suis "
                   "sont peux peut pouvez pourrais pourriez voudrais voulez veux besoin savoir merci bonjour bonsoir "
                   "aussi avec sans dans depuis jusqu entre parce pourquoi maintenant aujourd demain semaine soir "
                   "matin jours beaucoup quelque quelques rien tout toute tous toutes chose choses autre autres meme "
                   "bien seulement personne personnes faites faire serait sera chaque pres proche dedans dehors",
    not_names="bises bisous amities cordialement nouveau nouvelle client cliente membre debutant debutante interesse interessee ici moi la le "
              "sa mere pere femme mari fils fille ami amie soeur frere disponible desole desolee content "
              "contente",
    topic_markers=(
        r"(?:\bau sujet|\b[àa] propos|\bpour parler|\bpour discuter|\bpour des renseignements|\bpour des infos|"
        r"\bpour une question)\s+(?:de la |de l['’]|des |du |de |d['’])?(?P<topic>.+)",
        r"\b(?:concernant|sur|pour)\s+(?P<topic>(?:les|le|la|l['’]|mon|ma|mes|un|une|des|du|d['’])\b.+)",
    ),
    requirement_fillers=(
        r"s'il vous pla[iî]t", r"s'il te pla[iî]t", r"svp", r"stp", r"me", r"nous", r"pouvez-vous", r"pouvez vous",
        r"pourriez-vous", r"pourriez vous", r"quelqu'un", r"peut", r"pourrait", r"rappeler", r"appeler",
        r"que", r"pour", r"de", r"du", r"des", r"le", r"la", r"les", r"l'", r"un", r"une", r"d'",
        r"je voudrais(?: savoir)?", r"je veux(?: savoir)?", r"j'aimerais(?: savoir)?", r"merci", r"bonjour", r"et",
        r"ou", r"est-ce que", r"des infos", r"des informations", r"infos?", r"renseignements?", r"plus",
    ),
    intents={
        "human": (r"humain", r"quelqu'un", r"(?:[àa]|avec) une (?:vraie )?personne", r"une vraie personne", r"parler à quelqu'un", r"plainte", r"remboursement",
                  r"avocat", r"m[eé]content\w*", r"pas content\w*", r"pas satisfait\w*", r"insatisfait\w*",
                  r"d[eé][cç]u(?:e|s|es)?", r"inadmissible", r"inacceptable", r"scandal\w*", r"arnaque\w*",
                  r"(?:le|la) responsable", r"(?:le|la) patron(?:ne)?", r"(?:le|la) g[eé]rant(?:e)?",
                  r"me rembourser", r"remboursez", r"r[eé]clamation", r"me plaindre",
                  r"m'a(?:vez|s)? factur[eé]\w*", r"on m'a compt[eé]",
                  r"(?:vous m'avez|on m'a|il m'a|elle m'a) (?:fait mal|bless[eé]e?|br[uû]l[eé]e?)"),
        "sensitive": (r"douleur", r"bless\w*", r"enceinte", r"grossesse", r"saign\w*", r"j'ai mal", r"mal (?:au|aux|à la)",
                      r"enfl[eé]\w*", r"gonfl[eé]\w*", r"infect\w*", r"allergi\w*", r"allergique", r"m[eé]dicaments?",
                      r"fi[eè]vre", r"urgence"),
        "cancel": (r"annul\w*", r"je ne (?:pourrai|pourrais) pas venir"),
        "move": (r"d[eé]placer", r"reporter", r"changer"),
        "callback": (r"rappel\w*", r"appelez-moi", r"m'appeler"),
        "book": (r"r[eé]server", r"r[eé]servation", r"rendez-vous", r"rdv"),
        "open_now": (r"ouverts? (?:aujourd'hui|maintenant)", r"(?:vous )?[eê]tes(?:-vous| vous)? (?:encore )?ouverts?",
                     r"c'est (?:encore )?ouvert"),
        "hours": (r"horaires", r"ouverts?", r"ouvrez"),
        "address": (r"o[uù] [eê]tes", r"[eê]tes[- ]vous o[uù]", r"vous [eê]tes o[uù]", r"o[uù] se trouve",
                    r"adresse"),
        "phone_question": (r"t[eé]l[eé]phone",),
        "language_question": (r"parlez", r"parles"),
        "services": (r"prestations",),
        "price": (r"gratuit\w*", r"combien", r"prix", r"tarif\w*", r"co[uû]te", r"co[uû]tent", r"co[uû]te(?:nt)?"),
        "want": (r"je voudrais", r"je veux"),
        # Words a question opens with, beyond question_start: how the FAQ matcher tells a question.
        "question_words": (r"qu'?est[- ]ce", r"quel\w*", r"comment", r"combien", r"pourquoi", r"est-ce", r"avez-vous", r"y a-t-il", r"puis-je", r"peut-on", r"acceptez-vous", r"faites-vous", r"vous"),
        "question_start": (r"quand", r"o[uù]"),
        "offer": (r"avez-vous", r"vous avez", r"y a-t-il", r"il y a", r"proposez", r"vendez", r"faites-vous",
                  r"vous faites", r"louez"),
        "you": (r"tu", r"vous", r"votre", r"vos"),
        "mine": (r"mon", r"ma", r"mes"),
        "yours": (r"votre", r"vos"),
        "named_day": (r"lundis?", r"mardis?", r"mercredis?", r"jeudis?", r"vendredis?", r"samedis?", r"dimanches?",
                      r"week-?ends?", r"(?:jours? )?f[eé]ri[eé]s?"),
    },
)
