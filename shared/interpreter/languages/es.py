"""Spanish."""

from ._base import Language

LANGUAGE = Language(
    code="es",
    order=1,
    words={
        3: "hola gracias usted ustedes manana quisiera necesito tambien donde cuando cuanto cuantos noches "
           "tardes lunes miercoles jueves viernes cita recordatorio despertador puedes podria buenos buenas "
           "quiero tengo estoy muy hoy ayer ahora hay llamo saludos tienen tienes",
        2: "nombre el los del con y una puedo puede pero que como dias semana martes reservar cancelar gustaria "
           "consulta favor hora horario mi mis tu su esta este esto estos hacer alarma manda por",
        1: "la las un de en se lo le al para es si no ya o sabado domingo",
    },
    marks=((r"ñ", 3), (r"[¿¡]", 3), (r"\b(?:mañana|qué|está|más)\b", 1)),
    greetings=("hola", "buenas", "buenos dias", "buen dia", "buenas tardes", "buenas noches", "que tal",
               "como estas", "como esta", "como estan", "que onda", "holi", "saludos", "hola que tal"),
    thanks=("gracias", "muchas gracias", "mil gracias", "muchisimas gracias", "gracias por todo", "te agradezco",
            "se agradece", "le agradezco", "muy amable", "que amable", "gracias igualmente", "no gracias"),
    goodbyes=("adios", "hasta luego", "hasta pronto", "hasta manana", "nos vemos", "chao", "chau",
              "que tengas buen dia", "que tenga buen dia", "buen fin de semana", "eso es todo", "nada mas", "no", "no nada mas"),
    acknowledgements=("vale", "perfecto", "genial", "de acuerdo", "entendido", "listo", "claro", "muy bien",
                      "bien", "excelente", "estupendo", "buenisimo", "dale", "okey", "ah vale", "ya", "sale",
                      "esta bien", "bueno", "super", "si", "si gracias", "okas", "okis", "okey dokey", "tranquilo",
                      "tranquila", "tranqui", "sale y vale", "va que va", "de una", "sip", "ya esta", "chido",
                      "muy padre", "quedo atento", "quedo atenta"),
    small_talk_fillers=("muchas", "mucho", "muy", "amigo", "amiga", "chicos", "chicas", "equipo", "senor", "senora",
                        "igualmente", "a ti", "a usted", "a ustedes", "por la info", "por la informacion",
                        "por tu ayuda", "por su ayuda", "por la ayuda", "de nuevo", "otra vez", "y", "pues",
                        "entonces", "todo", "tambien", "a todos", "por todo", "es", "esta", "soy", "doctora", "doctor", "doc",
                        "dra", "dr", "senorita", "joven", "jefe", "jefa", "licenciada", "licenciado", "lic",
                        "maestro", "maestra", "mija", "mijo", "oiga", "de verdad"),
    name_patterns=(
        r"\bme llamo {name}", r"\bmi nombre es {name}", r"\b(?:a|en) nombre de {name}", r"\bnombre\s*[:=]\s*{name}",
    ),
    weak_name_patterns=(
        r"\bsoy (?:el |la )?{name}", r"\bhabla {name}",
        r"(?:^\W*|[,.!;]\s*|\b(?:hola|buenas|buenos d[ií]as)\W+){name} (?:por )?(?:aqu[ií]|ac[aá])(?=\s*(?:[^\w\s?¿]|$))", r"\b(?:te|les|le) escribe {name}",
        r"\b(?:reserva|cita|turno|hora)s? (?:es )?para {name}", r"\bpara {name}(?=\s*(?:por favor|gracias)?\W*$)",
        r"\b(?:saludos|un saludo|saludos cordiales|atentamente|abrazos|un abrazo|cordialmente)\s*[,.\n-]*"
        r"\s*{name}\W*$",
    ),
    function_words="para pero como cuando donde cual cuales cuanto cuanta cuantos cuantas esta este esto estos estas "
                   "eso esos tienen tiene tienes tengo tenemos hacen hace hacer puedo puede pueden podria podrian "
                   "quiero quisiera necesito saber favor gracias hola buenas buenos tambien sobre desde hasta entre "
                   "porque aqui ahora manana semana tarde noche dias ustedes usted nosotros somos mucho muchos mucha "
                   "muchas algo alguna alguno algun nada todo toda todos todas cosa cosas otra otro otros mismo bien "
                   "solo persona personas gente ustedes seria sera estan estoy cada cerca cercano cercana dentro fuera",
    not_names="saludos abrazos besos nuevo nueva cliente socio socia alumno alumna principiante interesado interesada aqui yo de la el "
              "su madre padre esposa esposo hijo hija amigo amiga hermana hermano reserva cita favor",
    topic_markers=(
        r"\b(?:para (?:hablar|platicar|preguntar|consultar|informarme) (?:de|sobre|por|acerca de|lo de|lo del)|sobre|acerca de|"
        r"respecto (?:a|de)|por lo de|en relaci[oó]n (?:a|con)|por el tema de|informaci[oó]n (?:de|sobre))\s+"
        r"(?P<topic>.+)",
    ),
    requirement_fillers=(
        r"por favor", r"porfa", r"me", r"nos", r"pueden", r"puede", r"podr[ií]an", r"podr[ií]a", r"alguien",
        r"llamar(?:me)?", r"hablar", r"que", r"para", r"sobre", r"de", r"del", r"el", r"la", r"los", r"las",
        r"un", r"una", r"unos", r"unas", r"quisiera(?: saber)?", r"quiero(?: saber)?", r"me gustar[ií]a(?: saber)?",
        r"necesito(?: saber)?", r"informaci[oó]n", r"info", r"m[aá]s", r"gracias", r"hola", r"y", r"o",
        r"tengo una pregunta", r"una pregunta", r"estoy interesad[oa] en", r"interesad[oa] en", r"cuando puedan",
        r"lo antes posible", r"lo del?", r"ver", r"platicar",
    ),
    intents={
        "human": (r"persona real", r"humano", r"hablar con alguien", r"(?:hablar|platicar) con (?:una |alguna )?persona", r"queja", r"quej\w+", r"reclamaci[oó]n",
                  r"reclam(?:o|ar|e)", r"reembolso", r"abogado", r"mal servicio", r"p[eé]sim[oa]s?", r"mal[ií]sim[oa]s?",
                  r"insatisfech[oa]s?", r"inconforme", r"decepcionad[oa]s?", r"indignad[oa]s?",
                  r"(?:mi|el) dinero de vuelta", r"devu[eé]lv\w* (?:mi|el) dinero", r"nadie (?:me |nos )?(?:contesta|responde)",
                  r"(?:el|la) due[nñ][oa]", r"(?:el|la) encargad[oa]", r"(?:el|la) gerente",
                  r"me cobraron de m[aá]s", r"me (?:lastimaron|lastim[oó]|quemaron|quem[oó]|lesionaron)"),
        "sensitive": (r"dolor", r"lesi[oó]n", r"embarazada", r"embarazo", r"sangr(?:a|an|e|o|[oó]|ando|ado|ar|aba)",
                      r"lastim(?:aron|ado|ada|ados|adas|[oó]|e|aste|ando|ar)", r"herid[oa]s?", r"(?:me|le|te) duel\w*",
                      r"duele", r"hinchad[oa]s?", r"hinchaz[oó]n", r"infecci[oó]n", r"infectad[oa]", r"alergi\w*",
                      r"al[eé]rgic[oa]s?", r"medicamentos?", r"fiebre"),
        "cancel": (r"anular", r"(?:ya )?no (?:voy a poder|podr[eé]) (?:ir|asistir)"),
        "move": (r"cambiar", r"mover", r"reprogramar"),
        # "me llamo Ana" gives a name; it asks for no call.
        # "marcar" is Mexican for phoning ("me pueden marcar?"), not booking ("marcar una cita").
        "callback": (r"ll[aá]m\w*me", r"me llam(?!o\b)\w*", r"devolver la llamada",
                     r"(?:pueden|puede|puedes|podr[ií]an|podr[ií]as) llamar\w*", r"regres\w* la llamada",
                     r"devolver(?:me)? la llamada", r"me (?:pueden|puede|puedes|podr[ií]an) hablar por tel[eé]fono",
                     r"me (?:pueden|puede|puedes|podr[ií]an|podr[ií]as) marcar(?! (?:una?|la|el) (?:cita|hora|turno))",
                     r"m[aá]rqu(?:e|en)me", r"m[aá]rcame", r"marcarme"),
        "book": (r"reservar", r"reserva", r"cita", r"turno"),
        "open_now": (r"abiert[oa]s? (?:hoy|ahora)", r"abren hoy", r"(?:est[aá]n|siguen) abiert[oa]s"),
        "hours": (r"horarios?", r"abiert[oa]s?", r"abren"),
        "address": (r"d[oó]nde est[aá]n", r"direcci[oó]n"),
        "phone_question": (r"tel[eé]fono",),
        "language_question": (r"hablan?", r"hablas"),
        "services": (r"servicios",),
        "price": (r"gratis", r"cu[aá]nto", r"cu[aá]nto cuesta", r"cuesta", r"cuestan", r"precios?", r"tarifas?",
                  r"cuestan?", r"costaba", r"costo", r"cobran"),
        "want": (r"quiero", r"quisiera", r"me gustar[ií]a", r"puedo"),
        # Words a question opens with, beyond question_start: how the FAQ matcher tells a question.
        "question_words": (r"c[oó]mo", r"cu[aá]l\w*", r"cu[aá]nt\w*", r"hay", r"tienen", r"tienes", r"puedo", r"pueden", r"se puede", r"es", r"est[aá]n?", r"aceptan", r"hacen"),
        "question_start": (r"qu[eé]", r"cu[aá]ndo", r"d[oó]nde"),
        "offer": (r"tienen", r"tienes", r"tiene", r"hay", r"ofrecen", r"venden", r"hacen", r"manejan", r"cuentan con",
                  r"ten[eé]is", r"alquilan"),
        "you": (r"usted(?:es)?", r"vosotros", r"su", r"tu"),
        "mine": (r"mi", r"mis"),
        "yours": (r"su",),
        "named_day": (r"lunes", r"martes", r"mi[eé]rcoles", r"jueves", r"viernes", r"s[aá]bados?", r"domingos?",
                      r"fines? de semana", r"(?:d[ií]as )?festivos?", r"(?:d[ií]as )?feriados?"),
    },
)
