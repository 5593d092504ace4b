"""Hindi written in Latin letters (Hinglish), as most Indian customers type it on WhatsApp."""

from ._base import Language

LANGUAGE = Language(
    code="hi_Latn",
    order=6,
    words={
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
    },
    marks=((r"\b[a-z]+(?:aiye|iye|aen|ayein|ayen)\b", 2),),
    greetings=("namaste", "namaskar", "namaskaar", "namasté", "sat sri akal",
               "salaam", "assalam alaikum", "kaise ho", "kaise hain", "kya haal hai", "kya hal hai",
               "aur batao", "kaise hain aap", "aap kaise ho", "sab theek"),
    thanks=("dhanyavaad", "dhanyawad", "dhanyavad", "dhanywad", "shukriya", "bahut shukriya", "bahut dhanyavaad",
            "thank you ji", "thanks ji", "meherbani", "aapka dhanyavaad", "aapka shukriya", "nahi shukriya"),
    goodbyes=("alvida", "phir milenge", "phir milte hain", "milte hain", "chalo bye", "shubh ratri",
              "bas itna hi", "bas itna", "aur kuch nahi", "bas", "theek hai bye", "nahi", "nahi bas"),
    acknowledgements=("theek hai", "thik hai", "thik h", "theek h", "accha", "acha", "achha", "accha ji",
                      "haan", "haan ji", "ha ji", "ji", "ji haan", "ok ji", "thik", "theek", "sahi hai", "badhiya",
                      "bahut badhiya", "mast", "samajh gaya", "samajh gayi", "chalega", "ho gaya", "done hai",
                      "zaroor", "chalo", "chalo theek hai", "thik hai ji", "badiya", "sahi", "pakka", "done",
                      "koi baat nahi", "theek", "achha ji"),
    small_talk_fillers=("ji", "bhai", "bhaiya", "didi", "sir", "madam", "mam", "bahut", "bahut bahut", "aapka",
                        "aapko", "aap", "bhi", "sab", "sabko", "ka", "ko", "hai", "yaar", "dost", "aur", "to",
                        "toh", "jankari ke liye", "madad ke liye", "help ke liye", "ke liye", "sahab", "saab", "sahib", "doctor sahab",
                        "uncle", "aunty", "boss", "dada", "behen", "bhaisaab", "madam ji", "sir ji"),
    name_patterns=(
        r"\bmera (?:naam|name) {name}(?= (?:hai|he|h)\b)", r"\bmera (?:naam|name) {name}",
        r"\b(?:main|mai) {name} (?:hoon|hu|hun|hoo)\b",
        r"\b{name} (?:bol|baat kar) (?:raha|rahi) (?:hoon|hu|hun|hai|h)\b", r"\b{name} ke naam (?:se|par|pe)\b",
    ),
    weak_name_patterns=(),
    function_words="mujhe hamein humein aapka aapke aapki apka apke apki kaise kahan kahaan kyun yahan abhi hafta "
                   "bahut kuch sabhi wala wali wale milega milegi milta milti hota hoti chahiye chahta chahti batao "
                   "bataiye dijiye kijiye karna karte karo please thoda thodi liye lagega lagta lagti bhai bhaiya "
                   "didi kaun kitna kitne kitni paas nazdeek andar bahar",
    not_names="main mai mein bol baat kar raha rahi bhi theek thik accha acha yahan wahan abhi naya nayi purana member customer client bhaiya didi "
              "beta beti mummy papa patni pati bhai behen dost ready free busy khush pareshan bimaar",
    topic_markers=(
        r"(?P<topic>[^.!?]+?)\s+(?:ke|ki|ka) (?:baare|bare|baarey|barey|baray|bary|baré) (?:mein|me|mai|main|mei)\b",
        r"(?P<topic>[^.!?]+?)\s+(?:ke|ki) liye (?=(?:\w+\s+){0,3}(?:call|phone)\b)",
    ),
    requirement_fillers=(
        r"kya", r"koi", r"mujhe", r"muje", r"mujhko", r"hume", r"humein", r"aap", r"please", r"plz", r"pls",
        r"kripya", r"call", r"phone", r"kar", r"kardo", r"kar do", r"kar sakta hai", r"kar sakte hain",
        r"kar sakte ho", r"kar sakti hai", r"karo", r"karna", r"karein", r"kijiye", r"sakta", r"sakte", r"hai",
        r"hain", r"ho", r"ji", r"bhai", r"bhaiya", r"namaste", r"mera", r"meri", r"ko", r"se",
        r"baat", r"karni", r"jankari", r"chahiye", r"ke", r"ki", r"baare", r"bare", r"mein", r"me",
    ),
    intents={
        "human": (r"insaan", r"kisi se baat", r"shikayat", r"vakeel", r"naraz", r"naaraz", r"gussa", r"paise wapas",
                  r"paisa wapas", r"malik", r"bekar service", r"bakwas", r"kharab service"),
        "sensitive": (r"dard", r"chot", r"khoon", r"khun", r"dawai", r"dawa", r"bukhar", r"sujan", r"soojan"),
        "cancel": (r"radd", r"cancel kar\w*"),
        "move": (r"badal\w*",),
        "callback": (r"call kar\w*", r"mujhe call", r"phone kar\w*"),
        "book": (r"appointment chahiye",),
        "open_now": (r"aaj khul(?:a|e)", r"abhi khul(?:a|e)", r"khule ho"),
        "hours": (r"samay", r"kab khul\w*", r"khul(?:a|e|i|ta|te|ti)"),
        "address": (r"kahan hai", r"pata"),
        "phone_question": (r"number kya",),
        "language_question": (r"bol(?:te|ti) ho", r"bolte hain"),
        "price": (r"kitna", r"kitne", r"kitni", r"kitne ka", r"kitne ki", r"kya rate", r"rate kya", r"daam",
                  r"kitna lagega", r"kitne paise",
                  # A figure put as a question ("1000 ka hai na?", "₹500 hi hai na"): a price question, not a time.
                  r"(?:rs\.? ?|₹ ?)?\d+(?:[.,]\d+)?(?: ?(?:rs|rupees?|rupaye|₹))? (?:ka|ki|ke|hi|ka hi) (?:hai|h) (?:na|kya)"),
        "want": (r"chahiye", r"chahta", r"chahti"),
        # Words a question opens with, beyond question_start: how the FAQ matcher tells a question.
        "question_words": (r"kaise", r"kitna", r"kitne", r"kaun", r"kaunsa", r"kidhar", r"milega", r"milegi", r"hai kya"),
        "question_start": (r"kya", r"kab", r"kahan"),
        "offer": (r"hai kya", r"hain kya", r"milega", r"milegi", r"milta hai", r"milti hai", r"milenge", r"hota hai kya",
                  r"rakhte ho", r"rakhte hain"),
        "you": (r"aap", r"aapka", r"aapki", r"aapke", r"tum"),
        "mine": (r"mera", r"meri", r"mere"),
        "yours": (r"aapka", r"aapki"),
        "named_day": (r"(?:som|mangal|budh|guru|shukra|shani|ravi)[vw]aa?r(?: ko)?", r"it[vw]aa?r(?: ko)?",
                      r"(?:mon|tues|wednes|thurs|fri|satur|sun)days? ko", r"weekend (?:pe|par|ko)"),
    },
)
