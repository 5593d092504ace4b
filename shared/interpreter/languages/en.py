"""English."""

from ._base import Language

LANGUAGE = Language(
    code="en",
    stemmer="english",
    order=0,
    words={
        3: "hello tomorrow tonight thanks thank please",
        2: "the and you your what when where how could would want need are this that with have has will "
           "today morning evening afternoon hey yes my there do does don which who from about get",
        1: "a an to of for in on at me i it be am pm can is hi",
        0.5: "set all up alarm alarms cancel delete time book booking appointment reminder reminders remind "
             "show week next weekend month change create",
    },
    greetings=("hi", "hello", "hey", "hiya", "heya", "yo", "howdy", "good morning", "good afternoon",
               "good evening", "morning", "evening", "greetings", "hi there", "hello there", "hey there",
               "how are you", "how r u", "how are u", "hows it going", "how is it going", "whats up", "sup"),
    thanks=("thanks", "thank you", "thank u", "thanku", "thankyou", "many thanks", "thanks a lot", "thanks a ton",
            "much appreciated", "appreciate it", "appreciated", "i appreciate it", "cheers", "thanks again",
            "no thanks", "no thank you", "that helps", "that helped", "very helpful", "helpful"),
    goodbyes=("bye", "goodbye", "good bye", "see you", "see ya", "see you soon", "see you later", "later",
              "take care", "have a nice day", "have a good day", "have a great day", "good night", "gn",
              "talk soon", "thats all", "that is all", "thats it", "nothing else", "no", "nope", "nah",
              "no thats all", "no thats it",
              # leaving it for later: nothing to do until the customer writes again
              "ill let you know", "i'll let you know", "will let you know", "let you know", "ill get back to you",
              "i'll get back to you", "will get back to you", "get back to you", "ill confirm later",
              "i'll confirm later", "ill think about it", "i'll think about it", "talk later", "ill text you later"),
    acknowledgements=("ok", "okay", "alright", "all right", "sure", "cool", "great", "perfect", "fine", "nice",
                      "awesome", "noted", "got it", "gotcha", "understood", "sounds good", "sounds great",
                      "no problem", "no worries", "np", "excellent", "wonderful", "lovely", "amazing",
                      "good", "very good", "brilliant", "fab", "fantastic", "yep", "yup", "ah ok", "oh ok",
                      "i see", "makes sense", "good to know", "done", "yes", "yeah", "yes please", "okie dokie",
                      "okidoki", "oki doki", "righto", "all good", "sweet", "ace"),
    small_talk_fillers=("so much", "very much", "a lot", "lots", "again", "guys", "team", "there", "all",
                        "everyone", "dear", "sir", "madam", "maam", "mam", "too", "you too", "you", "really",
                        "for the info", "for the information", "for your help", "for the help", "for helping",
                        "for that", "for everything", "oh", "ah", "and", "so", "well", "then", "just",
                        "bro", "mate", "buddy", "friend", "folks", "for your time", "the", "very", "indeed",
                        "ok then", "for now", "for letting me know", "it's", "it is", "its", "doc", "doctor", "dr", "chef",
                        "boss", "miss", "dude", "man", "pal", "coach", "ma'am"),
    affirmations=("yes", "yeah", "yep", "yup", "ya", "yes please", "exactly", "correct", "right", "that's it", "thats it",
                  "that's right", "thats right", "sure", "yes exactly", "indeed", "of course", "definitely", "absolutely"),
    negations=("no", "nope", "nah", "not really", "not that", "that's not it", "thats not it", "wrong"),
    chat_shorthand={"u": "you", "ur": "your", "r": "are", "pls": "please", "plz": "please", "thx": "thanks",
                    "tnx": "thanks", "smth": "something", "sth": "something", "bc": "because", "coz": "because",
                    "cuz": "because", "abt": "about", "wat": "what", "b4": "before", "ppl": "people",
                    "appt": "appointment", "avail": "available", "wanna": "want to", "gonna": "going to",
                    "lemme": "let me", "dunno": "don't know", "hrs": "hours", "mins": "minutes", "yr": "your",
                    "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow", "2day": "today", "2nite": "tonight",
                    "msg": "message", "wud": "would", "cud": "could", "shud": "should", "thru": "through"},
    name_patterns=(
        r"\bmy name(?:'s| is) {name}", r"\bmy names {name}", r"\bname\s*[:=-]\s*{name}",
        r"\b(?:under|in) the name (?:of )?{name}", r"\bunder the name {name}",
        r"\b(?:her|his) name(?:'s| is) {name}",  # booking for someone else: the name of whoever comes
    ),
    weak_name_patterns=(
        r"\bi am {name}", r"\bi'?m {name}", r"\b(?:she|he)(?:'s| is) called {name}", r"\bthis is {name}", r"\bname'?s {name}", r"\bit'?s {name} (?:here|from)\b",
        r"^\W*(?:(?:hi|hello|hey)\W+)?{name} here\b(?!\s*\?)",
        # "Hi sir, Arjun here, ...": after a greeting or a sentence, then a pause ("Parking here?" asks).
        r"(?:[,.!;]|\b(?:hi|hello|hey|morning|evening))\s*{name} here(?=\s*(?:[^\w\s?]|$))",
        r"\bunder {name}(?=\s*(?:[.,!;]|$))",
        r"\b(?:book(?:ing)?|appointment|reservation|slot|session|class|table)s? (?:is |are )?(?:for|under) "
        r"(?:(?:mr|mrs|ms|miss|dr)\.? )?{name}",
        r"\bput (?:it|me|that) (?:down )?under {name}", r"\bfor {name}(?=\s*(?:please|pls|thanks|thank you)?\W*$)", r"\bfor (?:mr|mrs|ms|miss|dr)\.? {name}",
        r"\b(?:regards|kind regards|best regards|warm regards|best wishes|best|cheers|sincerely|yours|x{1,3})\s*[,.\n-]*"
        r"\s*{name}\W*$",
    ),
    function_words="what when where which does have there with this that they them their your about could would "
                   "should will from into like just been were also much many some here then than very more most "
                   "only please thanks tell know need want looking whats thats theres hows wheres heres gonna "
                   "wanna okay hello thank today tomorrow tonight morning evening afternoon weekend week weeks "
                   "month months monthly year years yearly annual annually weekly daily hour hours hourly minute "
                   "minutes people person persons adult adults child children kids someone something anything "
                   "thing things stuff else average usually normally roughly approximately around exactly total "
                   "each every doing done getting good best better cheap cheaper cheapest expensive reasonable "
                   "affordable extra additional full whole real really normal regular standard basic current "
                   "near nearby nearest close closest next inside outside behind front",
    not_names="regards cheers xoxo interested looking wondering calling writing asking trying going coming here new back fine good "
              "great ok okay sure sorry glad happy available free busy late early ready done just also still "
              "not very really so a an the your member client customer beginner student trainer owner manager "
              "mom mum dad mother father wife husband son daughter friend sister brother booking session "
              "appointment asap please thanks thank hoping planning keen unable able afraid confused curious "
              "tired sick unwell pregnant",
    name_titles=(r"mr", r"mrs", r"ms", r"miss", r"dr", r"prof", r"sir", r"madam"),
    topic_markers=(
        r"\b(?:about|regarding|concerning|re:|with regard to|in regard to|as regards|with respect to|"
        r"to (?:discuss|talk about|ask about|chat about|know about|find out about|hear about)|"
        r"(?:info|information|details) (?:on|about))\s+(?P<topic>.+)",
    ),
    requirement_fillers=(
        r"please", r"pls", r"plz", r"kindly", r"can you", r"could you", r"would you", r"can someone",
        r"could someone", r"can anyone", r"could anyone", r"someone", r"anyone", r"somebody", r"me", r"us",
        r"back", r"a call", r"a callback", r"call", r"i'?d like to(?: know| ask| talk| discuss| hear)?",
        r"i would like to(?: know| ask| talk| discuss| hear)?", r"i want to(?: know| ask| talk| discuss)?",
        r"i'?d like", r"i would like", r"i want", r"i need", r"i'?m interested in", r"i am interested in",
        r"interested in", r"i have a question about", r"a question about", r"to talk about", r"to discuss",
        r"to know", r"more info(?:rmation)?(?: on| about)?", r"info(?:rmation)?(?: on| about)?",
        r"the", r"a", r"an", r"some", r"any", r"more", r"about", r"regarding", r"re", r"on", r"for", r"to",
        r"and", r"or", r"so", r"also", r"too", r"thanks", r"thank you", r"asap", r"when you can",
        r"when possible", r"if possible", r"if you can", r"when you get a chance", r"later", r"soon",
        r"today", r"at your earliest convenience", r"hi", r"hello", r"hey", r"is it possible", r"possible",
    ),
    intents={
        "human": (r"human", r"real person", r"(?:to|with) a person", r"someone real", r"an? agent", r"manager", r"the owner",
                  r"talk to (?:someone|somebody|a person|staff)",
                  r"speak (?:to|with) (?:someone|somebody|a person|staff)", r"complain\w*", r"complaint",
                  r"refund", r"lawyer", r"legal", r"sue", r"police", r"unhappy", r"not (?:happy|satisfied|ok(?:ay)?) with",
                  r"disappointed", r"dissatisfied", r"unacceptable", r"(?:bad|poor|awful|horrible|terrible) "
                  r"(?:service|experience|job)", r"(?:my )?money back", r"rude", r"ripped off", r"the boss",
                  r"(?:you|they|he|she|your \w+|the \w+) (?:hurt|injured|burn(?:ed|t)) (?:me|my)"),
        "sensitive": (r"pain", r"hurts?", r"injur\w*", r"prescri\w*", r"medicine", r"medication", r"pregnan\w*",
                      r"emergency", r"symptoms?", r"diagnos\w*", r"chest", r"bleed\w*", r"bled", r"blood", r"swollen",
                      r"swelling", r"infect\w*", r"allerg\w*", r"fever", r"dizzy", r"rash"),
        "cancel": (r"cancel\w*", r"call off", r"can'?t make it", r"cannot make it"),
        # What cancelling or moving costs or how it is done: a question about the terms, not the request itself.
        "terms": (r"if (?:i|we|you|my|our)", r"what if", r"fees?", r"charged?", r"charges", r"penalt\w*", r"policy",
                  r"(?:have|need) to pay", r"do i pay", r"how (?:do|can|would) (?:i|we)", r"how to", r"lose (?:my|the) deposit"),
        "move": (r"reschedul\w*", r"move (?:it|my|the)",
                 r"change (?:it|the |my )?(?:time|date|booking|appointment)?", r"make it", r"instead",
                 r"push (?:it|my)", r"postpone", r"another time"),
        "callback": (r"call me", r"call back", r"callback", r"ring me", r"phone me", r"give me a call",
                     r"contact me", r"get in touch", r"someone (?:to )?call", r"give me a (?:ring|buzz|shout)"),
        "book": (
            # "book" the verb, not the noun ("a book on negotiation", "blue book value").
            r"book(?=\s+(?:me|us|a|an|my|in|it|for|this|that|one|him|her|them|slot|session|appointment|tomorrow|"
            r"today|tonight|kar\w*|karna|karni)\b)", r"(?:to|can i|could i|can you|could you|please|pls|i'?d like to|"
            r"want to|wanna|i'?ll|let me|let's) book", r"booking", r"booked", r"appointment", r"reserve",
            r"reservation", r"schedule", r"slot", r"sign me up", r"come in", r"session", r"(?:can|could) i come",
            r"(?:can|could) (?:i|we) join"),
        "open_now": (r"open (?:now|right now|today|at the moment)", r"are you open", r"still open"),
        "hours": (r"hours", r"open (?:on|at|until|till)", r"timings?", r"when (?:do|are) you (?:open|close)", r"what time do you (?:open|close)",
                  r"opening", r"open on"),
        "address": (r"where are you", r"where (?:exactly )?(?:r|are) (?:u|you|ya)", r"address", r"location", r"located",
                    r"directions", r"which landmark",
                    r"where(?:'s| is) (?:exactly )?(?:the|your) (?:centre|center|shop|studio|office|clinic|salon|place|"
                    r"store|gym|school|workshop)"),
        "phone_question": (r"phone number", r"contact number", r"number to call", r"call you on",
                           r"whatsapp number", r"phone no"),
        "language_question": (r"do you speak", r"can you speak", r"speak \w+\?", r"what languages?",
                              r"which languages?", r"can i write in"),
        "services": (r"what services", r"which services", r"what do you offer", r"services"),
        "price": (r"how much", r"price", r"prices", r"cost", r"costs", r"fee", r"fees", r"charge", r"rate",
                  r"(?:really |is it |for )free",
                  # A figure put as a question ("isn't a cut 50?", "wasn't it $40"): a price question, not a time.
                  r"(?:isn'?t|is not|wasn'?t|was not) (?:it|that|this|a|an|the)\b[^?\d]{0,40}?(?<!\bat )(?<!\bby )"
                  r"(?<!\bon )(?<!\buntil )[$€£₹]?\d+(?:[.,]\d+)?(?: ?(?:[$€£₹]|dollars?|euros?|pounds?|bucks|"
                  r"rupees?|rs|inr|usd|eur))?(?=\s*(?:\?|$))"),
        "learn": (r"know", r"info\w*", r"details?", r"ask", r"find out", r"learn more"),
        "want": (r"can i (?:get|have|do|come in)", r"could i (?:get|have|come in)", r"(?:can|could) (?:i|we) bring (?:\w+ ){1,3}in for", r"i'?d like", r"i would like", r"i want",
                 r"i need", r"i wanna", r"i'?d love", r"(?:any|a) chance (?:i|we) (?:can|could) (?:get|have|do|come)",
                 r"is it possible to (?:get|have|do|come)",
                 # coming by asked: "can I drop by on monday at 10?", "could I pop in tomorrow?"
                 r"(?:can|could) (?:i|we) (?:drop|pop|swing|stop|come) (?:by|in|over|round)"),
        # Words a question opens with, beyond question_start: how the FAQ matcher tells a question.
        "reference": (r"it", r"its", r"them", r"they", r"this", r"that", r"these", r"those", r"one", r"ones"),
        "conjunction": (r"and",),
        "continuation": (r"and", r"also", r"plus", r"or", r"what about", r"how about"),
        "free_of_charge": (r"free", r"free of charge", r"no charge", r"complimentary", r"at no cost"),
        "measure": (r"min(?:ute)?s?", r"h(?:ou)?rs?", r"h", r"days?", r"weeks?", r"months?", r"y(?:ea)?rs?", r"people", r"persons?", r"players?", r"guests?", r"kids", r"children", r"km", r"miles?", r"kg", r"lbs?", r"cm", r"mm", r"times", r"a\.?m\.?", r"p\.?m\.?", r"o'clock"),
        "measure_question": (r"how much time", r"how much longer", r"how long", r"how old", r"how many (?:minutes|mins|hours|hrs|days|weeks|months|years|people|persons|players|guests|kids|children|sessions|times)"),
        "currency": (r"dollars?", r"bucks", r"pounds?", r"quid", r"euros?", r"rupees?", r"pesos?", r"reais"),
        "question_words": (r"which", r"who", r"why", r"could", r"would", r"will", r"have", r"has", r"did", r"was", r"were", r"any", r"should", r"may", r"might", r"shall"),
        "question_start": (r"what", r"when", r"where", r"how", r"do", r"does", r"are", r"is", r"can you", r"can i", r"can we"),
        "info_question_start": (r"how (?:many|much|old|long ago)", r"who", r"why", r"according"),
        # Asking whether the business has, offers or sells something: the thing asked about is the point of it.
        "offer": (r"do (?:you|u|ya|they) (?:guys )?(?:have|offer|sell|do|provide|stock|carry|run|rent|hire)",
                  r"does (?:it|the \w+) (?:have|offer)", r"have you got", r"you got", r"is there", r"are there",
                  r"any chance (?:of|you have)"),
        "you": (r"you", r"your", r"yours", r"u", r"ur", r"y'all"),
        "mine": (r"my", r"mine"),
        "yours": (r"your", r"ur"),
        # A holiday or festival: weekly hours do not say whether the business opens on it.
        "holiday": (r"christmas(?: day| eve)?", r"xmas", r"new year'?s?(?: day| eve)?", r"easter(?: sunday| monday)?",
                    r"good friday", r"boxing day", r"thanksgiving", r"halloween", r"(?:public|bank|national) holidays?",
                    r"the holidays", r"holiday (?:hours|season|period|opening)", r"diwali", r"holi", r"eid"),
        "named_day": (r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?", r"weekends?", r"(?:public |bank )?holidays?"),
    },
    # How good something is (QUALITIES): "is the wifi stable?" asks what "WiFi is free" does not say.
    qualities={
        "good": (r"good(?![,!.])(?! (?:morning|afternoon|evening|night|day|for|time|luck|bye))",
                 r"great(?![,!.])(?! (?:thanks?|thank you))", r"nice(?![,!.])", r"decent", r"excellent", r"quality",
                 r"top[- ]notch"),
        "fast": (r"fast(?:er)?(?! food)", r"quick(?:er)?", r"speedy", r"high[- ]speed", r"speeds?"),
        "reliable": (r"reliable", r"stable", r"consistent", r"dependable", r"stays? up", r"drops? out"),
        "clean": (r"cleanliness", r"hygien(?:e|ic)", r"sanitary", r"sanitized", r"spotless",
                  r"(?:is|are) (?:it|they|the \w+) clean"),
        "quiet": (r"quiet", r"noisy", r"calm", r"peaceful"),
        "crowded": (r"crowded", r"packed with people"),
        "variety": (r"variety", r"various", r"varied", r"selection", r"(?:wide|large|big|good) range"),
        "value": (r"value", r"worth (?:it|the)", r"bargain", r"reasonabl[ey](?: priced)?", r"affordable", r"overpriced"),
        "comfortable": (r"comfortable", r"comfy", r"cozy", r"cosy", r"spacious", r"roomy"),
        "friendly": (r"(?<!-)(?<!pet )(?<!dog )(?<!kid )(?<!family )friendly", r"welcoming", r"polite"),
        "tasty": (r"tasty", r"delicious", r"authentic", r"yummy"),
        "reviews": (r"reviews?", r"rated", r"ratings?", r"recommended", r"popular", r"famous", r"well known"),
        "safe": (r"safe", r"safety", r"secure"),
    },
    # The same 64 customer messages in every language, by position (a helper wrote them for this, from no
    # dataset): the encoder's pull towards the language is measured on them (interpreter/language_offsets.py).
    aligned_samples=(
        "hi, are you open on sundays? what time?",
        "how much is the monthly membership?",
        "I'd like to cancel my membership from next month",
        "good morning! is the gym busy right now?",
        "hello, I'd like to book a check-up for Monday at 9am",
        "do you accept dental insurance or do I pay upfront?",
        "I have terrible toothache, I need to be seen today 😣",
        "can I pay for the implant in monthly instalments?",
        "I'd like a session on Tuesday at 10am for my back",
        "do I need a doctor's referral or can I just come in?",
        "thank you, my knee feels so much better after two sessions",
        "how much for a women's cut and blow dry?",
        "I need to move my appointment from Friday to Saturday morning",
        "thanks so much, love the new colour! 😍",
        "do you do gel nails and how long do they last?",
        "I'd like to book a manicure this Saturday at 3pm",
        "running about 10 minutes late, sorry!",
        "how long does it take to fix a flat tyre?",
        "hi, just checking if my bike is ready to pick up",
        "what's your exact address? google maps shows two places",
        "what would an oil change cost for a 2015 Golf?",
        "please call me back when you get a chance, it's about my car",
        "if I drop the car off at 8, when will it be ready?",
        "the brakes are making a weird noise again since the repair 😕",
        "do you have anything gluten free? my daughter is celiac",
        "I'd like to order a chocolate cake for 12 people for Saturday",
        "can I bring my dog inside or only on the terrace?",
        "table for 4 tonight at 8pm please, name is Carlos",
        "is the restaurant wheelchair accessible? my father uses one",
        "our food arrived cold and an hour late, really disappointed",
        "do you do delivery or is it pickup only?",
        "how much is an hour of maths tutoring for a 14 year old?",
        "sorry, my son is sick, we need to cancel tomorrow's lesson",
        "which languages do you teach, and are there evening classes?",
        "I'm a total beginner, which yoga class would you recommend?",
        "do you sell gift vouchers? it's for my sister's birthday 🎁",
        "do I need to bring my own mat or do you have some?",
        "my cat hasn't eaten for two days, we'd like to come in this afternoon",
        "is there an emergency vet on Sunday nights?",
        "how much are the yearly vaccines for a puppy?",
        "water is leaking under the kitchen sink, we need someone today please",
        "please send me a quote for installing 6 new sockets",
        "all working perfectly now, thanks for coming so quickly 👍",
        "how much to replace the screen on an iPhone 12?",
        "if I bring it in now, can I have it back today?",
        "do you also sell cases and screen protectors?",
        "are you free on 14 June for a wedding? it's in the afternoon",
        "how much is the deposit to hold the date, and is it refundable?",
        "any idea when the photos from Saturday will be ready?",
        "what's the price for a package of 10 driving lessons?",
        "I need to move Thursday's lesson to 6pm instead of 4pm",
        "can I pay by card or is it cash only?",
        "do you pick up and deliver? I live near the station",
        "one of my white shirts is missing from the last order",
        "hi, do you have ibuprofen 400 in stock?",
        "until what time are you open tonight?",
        "can you deliver my prescription to my home? I can't walk well",
        "I'd like to book a double room from 12 to 14 May",
        "is breakfast included in the price?",
        "we're travelling with a small dog, is that ok?",
        "is there parking at the hotel, and is it free?",
        "how much deposit do you need to book a tattoo?",
        "I'd like to come in for a consultation next Wednesday around 5pm",
        "hey! saw your work on Instagram, it's amazing 🔥",
    ),
)
