"""Portuguese (Brazil and Portugal)."""

from ._base import Language

LANGUAGE = Language(
    code="pt",
    order=2,
    words={
        3: "voce voces nao obrigado obrigada ola oi amanha gostaria tambem entao lembrete agendar feira terca "
           "quarta quinta sexta isso esse essa quero tenho posso vc vcs chamo nome ligar ligue ligacao",
        2: "hoje as com em um uma ao aos na nas pra meu minha seu sua marcar horario consulta manha noite "
           "quanto custa onde muito bom boa sim agora ainda depois mais ele ela eu vai vou fazer pode tem "
           "dia dias semana",
        1: "o os a e de do da das no que para por como ta esta",
    },
    marks=((r"[ãõ]", 3), (r"ç[ãõ]", 2), (r"\b(?:às|você|é)\b", 2), (r"ê", 1)),
    greetings=("ola", "oi", "oie", "bom dia", "boa tarde", "boa noite", "tudo bem", "tudo bom", "como vai",
               "e ai", "oi tudo bem", "ola tudo bem", "tudo certo"),
    thanks=("obrigado", "obrigada", "muito obrigado", "muito obrigada", "obrigadao", "obg", "brigado", "brigada",
            "valeu", "agradeco", "muito grato", "muito grata", "obrigado pela ajuda", "obrigada pela ajuda",
            "nao obrigado", "nao obrigada"),
    goodbyes=("tchau", "ate logo", "ate mais", "ate breve", "ate amanha", "falou", "bom fim de semana",
              "tenha um bom dia", "e so isso", "so isso", "mais nada", "fui", "nao", "nao so isso"),
    acknowledgements=("ta", "ta bom", "ta bem", "tudo bem", "certo", "perfeito", "otimo", "combinado", "entendi",
                      "entendido", "beleza", "blz", "show", "legal", "massa", "fechado", "pode ser", "bacana",
                      "maravilha", "ok obrigado", "ah ta", "sim sim", "joia", "boa", "sim", "tranquilo", "tranquila",
                      "suave", "demorou", "ta otimo", "ta certo", "beleza pura"),
    small_talk_fillers=("muito", "muita", "mesmo", "de novo", "pela ajuda", "pela informacao", "pela info",
                        "pelas informacoes", "por tudo", "amigo", "amiga", "gente", "pessoal", "e", "entao",
                        "senhor", "senhora", "moco", "moca", "viu", "tambem", "igualmente", "pra voce",
                        "para voce", "a todos", "demais", "e", "esta", "sou", "aqui", "doutor", "doutora", "dr", "dra", "querida",
                        "querido", "flor", "linda", "lindo", "mana", "mano", "chefe", "tia", "tio", "mocinha",
                        "meu bem"),
    name_patterns=(
        r"\bmeu nome (?:é|e) {name}", r"\bme chamo {name}", r"\b(?:em|no) nome d[eoa] {name}", r"\bnome\s*[:=]\s*{name}",
    ),
    weak_name_patterns=(
        r"\bsou (?:o |a )?{name}", r"(?:^\W*|[,.!;]\s*|\b(?:oi|ol[aá]|bom dia|boa tarde|boa noite)\W+)(?:o |a )?{name} aqui(?=\s*(?:[^\w\s?]|$))",
        r"\baqui (?:é|e) (?:o |a )?{name}", r"\bquem fala (?:é|e) (?:o |a )?{name}",
        r"\bfala (?:o |a )?{name}", r"\bp(?:a)?ra (?:o |a )?{name}(?=\s*(?:por favor|obrigad[oa])?\W*$)",
        r"\b(?:reserva|hor[aá]rio|consulta|agendamento|marca[cç][aã]o)s? (?:é )?(?:para|pra) (?:o |a )?{name}",
        r"\b(?:abra[cç]os?|atenciosamente|att|beijos?|bjs|cumprimentos|saudações)\s*[,.\n-]*\s*{name}\W*$",
    ),
    function_words="para como quando onde qual quais quanto quanta quantos quantas esta este estes estas isso isto "
                   "esse essa voces voce tenho temos podem posso pode poderia queria quero gostaria preciso saber "
                   "favor obrigado obrigada tambem sobre desde entre porque aqui agora hoje amanha semana tarde noite "
                   "dias muito muitos muita muitas algum alguma nada tudo todo toda todos todas coisa coisas outra "
                   "outro outros mesmo pessoa pessoas gente fazem fazer seria sera estao estou cada perto proximo proxima "
                   "dentro fora",
    not_names="beijo beijos bjs abraco abracos novo nova cliente aluno aluna iniciante interessado interessada aqui eu mae pai esposa marido "
              "filho filha amigo amiga irma irmao",
    topic_markers=(
        r"\b(?:p(?:a)?ra (?:falar|conversar|perguntar|saber) (?:sobre (?:o |a |os |as )?|d[eoa]s?\b|a respeito d[eoa]s?)|"
        r"sobre|a respeito d[eoa]s?|referente a|em rela[cç][aã]o (?:a|ao|à)|quanto a)\s*(?P<topic>.+)",
    ),
    requirement_fillers=(
        r"por favor", r"pfv", r"pf", r"me", r"nos", r"podem", r"pode", r"poderiam", r"poderia", r"algu[eé]m",
        r"ligar", r"falar", r"que", r"para", r"pra", r"sobre", r"de", r"do", r"da", r"dos", r"das", r"o", r"a",
        r"os", r"as", r"um", r"uma", r"gostaria(?: de saber)?", r"quero(?: saber)?", r"queria(?: saber)?",
        r"preciso(?: saber)?", r"informa[cç](?:ão|ao|ões|oes)", r"info", r"mais", r"obrigad[oa]", r"ol[aá]",
        r"oi", r"e", r"ou", r"voc[eê]s?", r"vcs?", r"tenho uma d[uú]vida", r"uma d[uú]vida",
        r"estou interessad[oa] em", r"interessad[oa] em", r"quando puderem",
    ),
    intents={
        "human": (r"com (?:uma |alguma )?pessoa", r"pessoa (?:real|de verdade)", r"atendente", r"falar com algu[eé]m", r"reclama[cç][aã]o", r"reclamar", r"advogado",
                  r"(?:a|o) don[oa]", r"(?:a|o) gerente", r"(?:a|o) respons[aá]vel", r"insatisfeit[oa]s?",
                  r"p[eé]ssim[oa]s?", r"horr[ií]vel", r"decepcionad[oa]s?", r"reembolso", r"dinheiro de volta",
                  r"devolu[cç][aã]o do (?:meu )?dinheiro", r"estrag(?:ou|aram|ado|ada)", r"absurdo", r"descaso",
                  r"ningu[eé]m (?:me )?(?:responde|atende)", r"n[aã]o gostei", r"falta de respeito",
                  r"me (?:machucaram|machucou|queimaram|queimou)"),
        "sensitive": (r"dor", r"gr[aá]vida", r"gravidez", r"gestante", r"sangr(?:a|ou|ando|ado|ar|ava|amento)",
                      r"machuc\w*", r"ferid[oa]s?", r"d[oó]i", r"doendo", r"doeu", r"inflamad[oa]s?", r"inflama[cç][aã]o",
                      r"infec[cç][aã]o", r"infeccionad[oa]", r"alergi\w*", r"al[eé]rgic[oa]s?", r"rem[eé]dios?",
                      r"medicamentos?", r"queimou", r"queimad[oa]s?", r"queimadura", r"febre", r"coceira"),
        "cancel": (r"desmarc\w*", r"n[aã]o vou (?:mais )?poder (?:ir|comparecer)"),
        "move": (r"remarcar", r"mudar"),
        "callback": (r"(?:podem|pode|poderiam) me ligar", r"me lig\w*", r"ligar para mim", r"ligue para mim",
                     r"retorno", r"me retorn\w*", r"lig(?:a|ar|ue|uem) pra mim"),
        "book": (r"agendar", r"agendamento", r"marcar"),
        "open_now": (r"abert[oa]s? (?:hoje|agora)", r"(?:est[aã]o|t[aá]|estao) abert[oa]s"),
        "hours": (r"hor[aá]rios?", r"abert[oa]s?", r"abrem"),
        "address": (r"onde fica", r"endere[cç]o"),
        "phone_question": (r"telefone",),
        "language_question": (r"falam?",),
        "services": (r"servi[cç]os",),
        "price": (r"gr[aá]tis", r"quanto", r"quanto custa", r"custa", r"custam", r"pre[cç]os?", r"valor",
                  r"custa(?:m|va)?", r"cobram"),
        "want": (r"quero", r"gostaria"),
        # Words a question opens with, beyond question_start: how the FAQ matcher tells a question.
        "question_words": (r"qu[eê]", r"quando", r"onde", r"como", r"qual", r"quais", r"quant\w*", r"tem", r"t[eê]m", r"posso", r"podem", r"voc[eê]s", r"aceitam", r"fazem", r"[eé]"),
        "offer": (r"t[eê]m", r"tem", r"voc[eê]s t[eê]m", r"oferecem", r"vendem", r"fazem", r"h[aá]", r"alugam"),
        "you": (r"voc[eê]s?", r"vcs?", r"ces"),
        "mine": (r"meu", r"minha"),
        "yours": (r"seu", r"sua"),
        "named_day": (r"(?:segunda|ter[cç]a|quarta|quinta|sexta)s?(?:[- ]feiras?)?", r"s[aá]bados?", r"domingos?",
                      r"fi(?:m|ns) de semana", r"feriados?"),
    },
)
