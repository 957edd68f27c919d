"""What the detector looks for: symptom targets, severity cues and context cues.

Kept apart from the matching code so a clinician can read the whole list in one place.
Targets are regular expressions over the normalised (lower-case, typo-corrected) text,
plus lemma patterns for spaCy's Matcher. Policy: docs/triage-policy.md.
"""
from __future__ import annotations

# --- Families of wording used by several targets -------------------------------------
# Pads used up fast: "filled 3 pads in the last hour", "changing my pad every 30 minutes".
PADS_TOO_FAST = (
    r"\b(?:\d+|two|three|four|five|six|several|a few|a couple of|couple of|multiple|many) (?:\w+ )?"
    r"(?:pads?|towels?|tampons?|liners?) (?:in|within|over|during|inside) (?:the |an |one |half an |a |less than an? |"
    r"under an? )?(?:last |past |first )?(?:hour|hr|half hour|\d+ ?(?:minutes?|hours?)|(?:ten|fifteen|twenty|thirty|"
    r"forty) minutes|couple of hours|two hours)\b"
    r"|\b(?:pads?|towels?|tampons?)\b(?: \w+){0,3} (?:every|each|in|within) (?:\d+ ?minutes?|(?:ten|fifteen|twenty|"
    r"thirty|forty|few) minutes|(?:1|one|an?|half an?) ?(?:hours?|hr)|half hour)\b"
    # counted since a meal or a time of day: "3 pads since dinner", "4 pads already today"
    r"|\b(?:\d+|two|three|four|five|six|several|a few|a couple of|couple of|multiple|many) (?:\w+ )?"
    r"(?:pads?|towels?|tampons?) (?:already |now )?(?:since|so far)\b"
    r"|\b(?:used|changed|filled|soaked|through|needed|on) (?:\d+|two|three|four|five|six|several|a few|"
    r"a couple of|couple of) (?:\w+ )?(?:pads?|towels?|tampons?) (?:already )?(?:today|tonight|"
    r"this (?:morning|afternoon|evening))\b"
)
# Light bleeding in everyday words: "brown gunk", "a smidge of pink when I wiped", "pink on the tissue".
LIGHT_STAIN = (
    r"\b(?:brown|pink|red|bloody|blood-?stained|rusty|reddish|brownish|pinkish) (?:gunk|stuff|goo|gloop|"
    r"mucus|mucous|snot|jelly|streaks?|stains?|tinge|smudges?|smears?|specks?|show|blobs?)\b"
    r"|\b(?:bit|touch|smidge|hint|tinge|trace|little|speck|dot|drop|spot|smudge|smear|streak) of (?:pink|brown|"
    r"blood)\b(?! (?:\w+ )?(?:rice|bread|sugar|paint|wallpaper|colou?r|dye|wool|clothes|dress|top|shirt|hair|"
    r"lipstick|nail|sauce|toast|eyeshadow|blusher|ribbon)\b)"
    r"|\b(?:pink|brown|red|blood)\w*\b[^.?!,]{0,20}?\b(?:on|in) (?:the |my |her |a )?(?:loo roll|toilet (?:roll|paper|"
    r"tissue)|tissue|wipes?|pad|pants|knickers|underwear|panty|panties|liner|pantyliner)\b"
    r"|\b(?:pink|brown|red|blood)\w*\b[^.?!,]{0,20}?\bwhen (?:i|she) (?:wipe|wiped|wiping|went to the (?:loo|toilet))\b"
)
# Waters breaking: "waters have just popped", "my waters is broken", "if my waters go".
WATERS_WENT = (
    r"\b(?:waters|(?:my|her|your) water(?! (?:bottle|jug|glass|cup|flask|bill|pipe|tank|heater|supply|intake)))"
    r"(?:'ve|'s| have| has| had| is| are| was| were| just| might| may| could| will| would| did| do| does| must| "
    r"probably| already| definitely| all| completely){0,4}"
    r" (?:broke|broken|break|breaks|breaking|went|gone|go|goes|going|popped|pop|pops|popping|burst|bursting|"
    r"ruptured|rupture|released|leaking|leaked|leak|started)\b"
)
# She checks that the wetness is not urine: "it's not wee", "doesn't smell like pee".
NOT_URINE = (
    r"\b(?:it's|it is|its|it was|that's|definitely|def|defo|but|and|pretty sure it's|sure it's|know it's) "
    r"(?:not|isn't|wasn't) (?:wee|pee|urine)\b"
    r"|\b(?:doesn't|does not|didn't|did not|don't|do not) (?:smell|look) (?:like|of) (?:wee|pee|urine)\b"
    r"|\b(?:peed|wet|weed) (?:myself|herself) but (?:i|she) (?:\w+ )?(?:haven't|hasn't|didn't|have not|did not)\b"
)
# The vagina in everyday words, and what a smelly or coloured discharge is called.
GENITALS = (r"(?:vagina\w*|vag|fanny|minge|foof|flange|privates|private (?:parts|area|bits)|lady (?:bits|parts|garden)|"
            r"down there|down below|front bottom|nether regions|vulva|knickers|pants|undies|underwear|panty ?liner|"
            r"pantyliner|liner)")
DISCHARGE_SIGNS = (r"(?:(?<!no )(?<!not )(?<!without )smell\w*(?! (?:fine|ok|okay|normal|nice|fresh|clean|good|alright|lovely|(?:of|like) "
                   r"(?:fabric|softener|washing|detergent|soap|perfume|lavender|flowers|normal|usual))\b)|"
                   r"stink\w*|whiff\w*|reek\w*|pong\w*|niff\w*|fishy|rank|funky|"
                   r"(?:green|greenish|greeny|yellow|yellowish|yellowy|grey|gray|greyish|frothy|lumpy|smelly|"
                   r"cottage cheese|gross|weird) (?:stuff|gunk|goo|gloop|gunge|slime|mucus|muck|discharge|bits))")
MOVEMENT_NOUNS = (r"(?:movements?|kicks?|kicking|moving|wriggles?|wriggling|flutters?|somersaults?|jabs?|prods?|"
                  r"rolls?|flips?|dances?|wiggles?|hiccups)\b")

# --- Symptom targets --------------------------------------------------------------
# code -> (base severity, regexes). "pain" and "cramps" are "pain-class": they escalate
# only when reported (see detector), because "does it hurt?" is a question, not a symptom.
TARGET_REGEXES = {
    "bleeding": ("emergency", [
        r"\bbl(?:ee|e)d(?:s|ing|y)?\b", r"\bbled\b", r"\bblood(?:y)?\b(?! (?:test|tests|group|type|"
        r"sample|samples|work|pressure|result|results|count|sugar|cells?|vessels?|transfusion|"
        r"stream|bank|donor|donation|relative|screening|screen|draw|check|level|type)s?\b)",
        r"\bhaemorrhag\w*|\bhemorrhag\w*", r"\bclots?\b", r"\bpads? (?:an|in an|every|per) hour",
        r"\blike a (?:heavy )?period\b", r"\bheavy period\b",
        # "it's heavier than a period now", "worse than my period": heavy bleeding, blood word or not
        r"\b(?:heavier|worse|more|redder) than (?:a |my |her |your |any |an? )?(?:normal |usual |regular |heavy |"
        r"proper |bad )?periods?\b", r"\bbright red\b", r"\U0001fa78",
        r"\bsoak(?:ing|ed|s)? (?:through )?(?:a |my |her |the )?(?:pads?|towels?|sheets?)\b",
        r"\bblooding\b",
        # pads used up fast: "filled 3 pads in the last hour", "changing my pad every 30 minutes"
        PADS_TOO_FAST,
        # "I'm flooding (down there)", "flooded my pad": heavy bleeding in everyday words
        r"\b(?:i'm|i am|i was|i've been|she's|she is|she was|she's been|keep|keeps|kept|start|starts|started|"
        r"starting|i|she) flooding\b"
        r"|\bflooding (?:down there|through|everywhere|out|my|her|the (?:pad|bed|sheets|toilet|loo))\b"
        # "it's flooding again" (the bleeding, back): not the weather or a room
        r"|\bit(?:'s| is| was|'s been| has been| keeps| started| starts) flooding(?: again| now| today| tonight)?\b"
        r"(?! (?:outside|in (?:the|our|my)|on the|down the|here|at)\b)"
        r"|\bflooded (?:through|(?:my|her|the) (?:pads?|pants|knickers|bed|sheets|underwear|clothes))\b",
    ]),
    "spotting": ("urgent", [r"\blighter than (?:a |my |her |your |an? )?(?:normal |usual |regular )?periods?\b",
                            r"\bspotting\b", r"\bspotted\b(?! (?:a|an|the|it|that|this|him|her))",
                            r"\bspots? of (?:blood|red|brown|pink)", LIGHT_STAIN]),
    "fluid_leak": ("emergency", [
        r"\bleak(?:s|ed|ing|y|age)?\b", r"\bgush(?:es|ed|ing)?\b", r"\btrickl(?:e|es|ed|ing)\b",
        WATERS_WENT,
        r"\b(?:clear|watery) (?:fluid|liquid|discharge)\b",
        r"\bfluid (?:is |keeps |kept )?(?:coming|running|dripping|pouring|seeping)\b",
        r"\bwet (?:myself|herself|knickers|pants|undies|underwear|panties|patch(?:es)?|bits?|spots?)\b",
        r"\bdripping\b",
        # "feel like I've peed myself (but I haven't)", "weed my pants", "wet the bed"
        r"\b(?:peed|pee'd|weed|wee'd|wet) (?:myself|herself|my (?:pants|knickers|undies|underwear|panties|trousers|"
        r"leggings|jeans|shorts|tights|pyjamas|pjs))\b",
        # "the sheets were wet", "my pants are soaking", "knickers damp again"
        r"\b(?:sheets?|bed|pants|knickers|undies|underwear|panties|kecks|trousers|leggings|jeans|shorts|tights|"
        r"pyjamas|pjs|panty liner|liner)"
        r"(?: is| are| was| were| been| keep| keeps| get| got| getting| have been| all)?"
        r" (?:getting |soaking |completely |all |really |very |a bit |so |totally |sopping )?"
        r"(?:wet|soaked|soaking|sodden|drenched|sopping)\b",
        # she checks that it is not urine: "it's not wee", "doesn't smell like pee"
        NOT_URINE,
        r"\bsoaked (?:my|her|through|with)\b", r"\bwatery\b", r"\bdamp\b", r"\bfelt a pop\b",
        r"\b(?:clear )?water (?:is |keeps |kept |has |just )?(?:came|come|coming|comes|running|runs|trickling|"
        r"dripping|drips|gushed|pouring|seeping)\b",
        # "fluid/water/something clear (coming) from my vagina / down there / down my legs"
        r"\b(?:water|fluid|liquid|wetness|something (?:clear|wet|watery)|clear stuff|stuff)\b[^.?!]{0,25}?"
        r"\b(?:from|out of|out) (?:my |her |the )?(?:vagina|vag|fanny|privates|down there)\b",
        r"\b(?:water|fluid|liquid|wet|stuff|something|it)\b[^.?!]{0,25}?\b(?:running|dripping|trickling|going|"
        r"coming|ran|dripped|trickled|came|runs|drips) down (?:my|her) (?:legs?|thighs?)\b",
        r"\b(?:leaking|leaked|leak) (?:something|stuff|some(?:thing)? clear|clear)\b",
        r"\bthere(?:'s| is) (?:some |a lot of |lots of |more )?(?:fluid|water|liquid)\b",
    ]),
    "fever": ("emergency", [
        r"\bfevers?\b", r"\bfeverish\b", r"\bhigh temp(?:erature)?\b", r"\bpyrexi\w*",
        r"\b(?:have|has|got|running|with|had) (?:a |got a )?(?:slight |mild |low |bit of a |small )?temp(?:erature)?\b",
        r"\bburning up\b", r"\braised temp(?:erature)?\b",
        r"\btemp(?:erature)?(?:'s| is| of| has gone| has been| went| was| feels| keeps going| going)?"
        r" (?:a little |a bit |a tad |bit |slightly |quite |very |really |so |super |too |way |pretty |"
        r"rather |still |a little bit ){0,4}(?:high|hi|higher|up|raised|elevated|over 38|above 38)\b",
    ]),
    "chills": ("emergency", [r"\bchills?\b", r"\bshiver(?:s|ing|y)?\b", r"\brigou?rs\b",
                             r"\bhot and cold\b", r"\bshaking\b", r"\bsweats\b", r"\bteeth (?:are )?chattering\b",
                             r"\bcold all over\b", r"\bfreezing\b", r"\bthe shakes\b", r"\bshaky and (?:hot|cold)\b",
                             r"\bteeth (?:are |keep |keeps |won't stop |wont stop |keep on |can't stop )?"
                             r"(?:chatter\w*|rattl\w*|knocking|banging)\b",
                             r"\bteeth (?:won't|wont|can't|cannot|don't|will not) stop (?:going|moving)\b"
                             r"|\bteeth (?:keep|keeps) going\b",
                             r"\b(?:drenched|soaked|dripping|pouring|covered|wringing wet) (?:in|with) sweat\b",
                             r"\bsweating (?:buckets|loads|a lot|like mad|profusely)\b"]),
    "feeling_hot": ("urgent", [
        r"\b(?:feel(?:s|ing)?|felt|gone|going|went|go|goes|come over|came over|comes over) (?:really |very |a bit |"
        r"a little |quite |so |all |super |abit |kind of |kinda |sort of |bit |rather |pretty |too ){0,4}"
        r"(?:hot|warm|flushed|toasty|clammy|boiling|roasting|sweaty|feverish)\b(?! (?:water|bath|shower|drink|tea|"
        r"chocolate|meal|food|weather|day|room|and (?:fuzzy|cosy|cozy|happy|safe)|inside)\b)",
        r"\b(?:i'm|i am|she's|she is) (?:really |very |a bit |so |all |absolutely |quite ){0,4}"
        r"(?:boiling|roasting|flushed|clammy|feverish)\b",
        r"\b(?:hot|warm|burning) and (?:clammy|sweaty|flushed|shivery|shaky|feverish)\b",
    ]),
    "pain": ("urgent", [
        r"\bpains?\b", r"\bpainful\b", r"\bach(?:e|es|ing|y)\b", r"\bhurt(?:s|ing)?\b", r"\bsore\b",
        r"\bagony\b", r"\btender\b", r"\bstabbing\b", r"\bdoubled over\b",
        r"\b(?:belly|tummy|stomach|back|bump|side|womb|pelvis|cramps?|pains?)(?: is| are|'s| has been| have been)?"
        r" (?:absolutely |really |literally |just )?killing me\b",
        r"\b(?:tummy|stomach|belly|back|bump) (?:is |'s )?in bits\b",
    ]),
    "cramps": ("urgent", [r"\bcramp(?:s|ing|y|ed)?\b", r"\bperiod[- ]like\b"]),
    "contractions": ("emergency", [
        r"\bcontraction\w*", r"\btightening\w*", r"\btight and hard\b", r"\bhard and tight\b",
        # "belly is rock hard", "tummy hurt and go hard", "bump keeps going tight as a drum"
        r"\b(?:belly|bump|tummy|stomach|uterus|womb|abdomen)(?:'s| is| keeps| keep| has been| \w+ and)?"
        r" (?:getting |going |goes |go |gets |get |feels |feel |feeling |gone |went |turns |turning |becomes |"
        r"becoming )?(?:really |very |so |all |rock |rock-|super |dead |solid |like )?(?:tight|hard|solid|a rock)\b"
        r"(?! to\b)",
        r"\b(?:tighten(?:s|ing|ed)?|harden(?:s|ing|ed)?|(?:goes|go|going|gets|getting) (?:tight|hard)) "
        r"(?:and|then|and then) (?:relax\w*|soft\w*|eas\w*|loosen\w*|goes soft|go soft)\b",
        r"\b(?:tight|hard) (?:and|then|and then) (?:relaxes|relaxing|eases|easing|eases off|loosens|softens|"
        r"goes soft)\b",
        # "my belly tightens right up", "bump keeps hardening"
        r"\b(?:belly|bump|tummy|stomach|uterus|womb|abdomen)(?:'s| is| keeps| keep| has been| just)? "
        r"(?:\w+ )?(?:tighten(?:s|ing|ed)?|harden(?:s|ing|ed)?)\b",
        # tightening that comes at intervals: "tightens right up every 10 minutes", "goes hard every few minutes"
        r"\b(?:tighten\w*|harden\w*|(?:go|goes|going|gets|getting|went|gone|get|feels|feel) (?:\w+ )?(?:tight|hard))"
        r"\b[^.?!]{0,25}?\bevery (?:\d+|few|couple of|five|ten|fifteen|twenty|two|three|four|six|seven|eight|nine)"
        r"(?: or (?:so|\d+))? ?(?:minutes?|seconds?)\b",
    ]),
    "needle_site": ("urgent", []),  # found by NEEDLE_SITE + NEEDLE_SITE_SIGNS below
    "infection": ("emergency", [r"\binfect(?:ion|ed)\b", r"\bsepsis\b", r"\bseptic\b"]),
    "discharge": ("urgent", [r"\bdischarge\b(?! (?:letter|papers?|summary|form|note))",
                              r"\bsmell(?:y|s)? (?:down there|discharge)\b", r"\bfoul[- ]smelling\b",
                              # "my fanny smells rank", "green stuff in my knickers", "down there is whiffy"
                              r"\b" + GENITALS + r"\b[^.?!]{0,25}?\b" + DISCHARGE_SIGNS + r"\b",
                              r"\b" + DISCHARGE_SIGNS + r"\b[^.?!]{0,25}?\b(?:from|in|on|out of|coming out of|"
                              r"down) (?:my |her |the )?" + GENITALS + r"\b"]),
    "fainting": ("emergency", [
        r"\bfaint(?:ed|ing|s)?\b", r"\bpass(?:ed|ing)? out\b", r"\bblack(?:ed|ing)? out\b",
        r"\bcollaps(?:e|ed|ing)\b", r"\blost consciousness\b", r"\bkeel(?:ed|s|ing)? over\b",
        r"\b(?:hit|hitting|hits) the deck\b",
        # "everything went black", "when I came to I was on the floor"
        r"\b(?:everything|it all|my vision|the world) (?:went|goes|going|turned|turns) (?:black|dark)\b",
        r"\b(?:when|until|before|then|till) (?:i|she) came (?:to|round|around)(?= *(?:$|[,.!?;]|on |in (?:a|the) "
        r"(?:heap|pile)|and |i |she |my ))",
        r"\b(?:woke|came|come|wake|waking|coming) (?:up |to |round |around )?on the (?:\w+ )?(?:floor|ground)\b",
        r"\b(?:i|she) (?:just |nearly |almost |literally )?(?:hit|hitting) the (?:floor|ground)\b",
    ]),
    "dizziness": ("urgent", [r"\bdizz(?:y|iness)\b", r"\blight[- ]?headed\w*\b", r"\bwoozy\b",
                              r"\b(?:room|head|everything)(?:'s| is| was| keeps| goes| went)? (?:spinning|swimming)"
                              r"\b(?! with)",
                              r"\bswimmy\b", r"\bgiddy\b(?! with)", r"\bseeing (?:little )?stars\b",
                              r"\b(?:went|go|goes|going|gone) all (?:wobbly|unsteady|spinny)\b",
                              r"\blegs (?:went|go|goes|are|feel|keep going) (?:all |really |very )?(?:wobbly|jelly)\b",
                              r"\bfeel(?:s|ing)? (?:all |really |very |a bit )?(?:unsteady|spinny)\b"]),
    "reduced_movements": ("emergency", [
        # "baby hasn't really been moving much", "baby no move", "baby dont kick since 2 day"
        r"\b(?:baby|bub|babe|little one|he|she|it|mine)(?:'s| is| has| was| seems| seem)? "
        r"(?:not|no|never|stopped|hardly|barely|less|no longer|hasn't|isn't|wasn't|doesn't|don't|didn't|won't|"
        r"has not|is not|does not|did not)"
        r" (?:(?:really|properly|been|as|much|very|at all|that|so|moved|done|a lot|anything) ){0,4}"
        r"(?:moving|moved|move|moves|kicking|kicked|kick|kicks|wriggling|wriggled|wriggle|active|squirming|"
        r"rolling|turning|fluttering)\b(?! (?:up|off|out|a fuss|to|forward|back|house|home|jobs?|in with|over)\b"
        r"| (?:the|his|their|my|your|a|an|her|our) (?:car|house|flat|furniture|appointment|bed|sofa|table|chair|"
        r"stuff|things|boxes|bags?|ball|date|booking|job)\b)",
        # "not doing her usual somersaults", "none of his normal kicks"
        r"\b(?:not|isn't|hasn't|hasn't been|none of|no|without|missing) (?:doing |giving (?:me )?|done |"
        r"had |having |any of )?(?:her|his|its|the|their) (?:usual|normal|regular|typical|daily|nightly) "
        r"(?:\w+ )?" + MOVEMENT_NOUNS,
        # "feel the baby less", "feeling him much less"
        r"\bfeel(?:s|ing)? (?:the |my )?(?:baby|bub|little one|him|her|it) (?:move |moving |kick |kicking )?"
        r"(?:a lot |much |a bit |way )?(?:less|fewer|less and less)\b",
        r"\b(?:haven't|have not|hasn't|can't|cannot|can not|couldn't|didn't|did not|not|don't) "
        r"(?:felt|feel|feeling|noticed) (?:the |my |her |any |him |much |as much |a single |one )?"
        r"(?:baby |bub |little one )?(?:move|moving|movements?|kicks?|kicking|anything|wriggl\w*|wiggl\w*|squirm\w*|"
        r"flutter\w*|roll|rolling|rolls|turn|turning|jabs?|prods?|somersaults?|hiccups?|a thing|a kick|a movement|a "
        r"flutter|a wriggle)\b",
        # "can't remember the last time she kicked", "can't think when I last felt him move"
        r"\b(?:can't|cannot|can not|couldn't|don't|do not|not sure i can|struggling to) (?:even |really |actually )?"
        r"(?:remember|recall|think) (?:the last time|when)\b[^.?!,;]{0,30}?\b(?:kick\w*|mov\w*|wriggl\w*|"
        r"wiggl\w*|squirm\w*|flutter\w*)\b",
        r"\b(?:no|fewer|less|reduced|decreased|slower|not many|hardly any|barely any|not any|not a single|"
        r"(?:not|haven't|hasn't|have not|has not|didn't|did not) (?:had|felt|noticed|seen|got) "
        r"(?:any|many|much|a single)) "
        r"(?:baby |more |real |proper )?(?:movements?|kicks?|kicking|moving|wriggles?|wriggling|flutters?|"
        r"somersaults?|jabs?|prods?|rolls?)\b",
        r"\b(?:movements?|kicks?) (?:have |has )?(?:slowed|stopped|reduced|decreased|changed)\b",
        # "baby's gone dead quiet", "bump's been really still today", "she's really still" (with a baby word)
        # "mine's been really quiet" after a question about other women: her own baby
        r"\b(?:baby|bump|bub|little one|mine)(?:'s| is| has| was)? (?:gone |been |went |go |goes |going |getting |"
        r"very |really |dead |so |all |super |unusually |too |quite |completely |totally ){0,4}quiet\b",
        r"\b(?:baby|bump|bub|little one|mine)(?:'s| is| has| was)? (?:gone |been |went |go |goes |going |getting |"
        r"very |really |dead |so |all |super |unusually |too |quite |completely |totally ){0,4}still"
        r"(?= *(?:$|[,.!?;]| and| but| now| today| tonight| since| all| for| this| at the moment| in there))",
        r"\b(?:moving|kicking|moves|kicks|movements?|wriggling) (?:a lot |much |a bit )?less\b",
        r"\bless (?:moving|movement|active|kicking)\b",
        r"\b(?:can't|cannot|can not|couldn't|don't|not) feel (?:the |my )?(?:baby|bub|little one)\b",
        r"\b(?:baby|bub|little one|he|she|mine)(?:'s)? (?:stops|stop|stopped|stopping) (?:moving|kicking)\b",
        r"\b(?:he's|she's|he is|she is|baby's|baby is) (?:very |really |so |unusually |dead |too )+still\b"
        r"(?= *(?:$|[,.!?;]| and| but| now| today| tonight| since| all| for| this))",
    ]),
    "self_harm": ("emergency", [
        r"\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting) (?:myself|herself)\b",
        r"\bself[- ]?harm\w*", r"\bsuicid\w*", r"\bend (?:my|her|his|it) (?:own )?(?:life|all)\b", r"\bend it\b",
        r"\bending (?:it|my life|her life|it all)\b", r"\btake (?:my|her) (?:own )?life\b",
        r"\b(?:want|wants|wanna|wanted|wish|wishes|going) (?:to )?die\b", r"\bwish i (?:was|were) dead\b",
        r"\b(?:don't|do not|dont) want to (?:be here|live|wake up|go on|exist)\b",
        r"\bno (?:point|reason) (?:in )?(?:living|to live|going on|carrying on)\b",
        r"\bcan't go on\b", r"\bnot worth living\b",
        # "better off without me", "better off if I wasn't around / here", "better off dead"
        r"\bbetter off (?:without (?:me|her|him)|dead|with me gone|if (?:i|she|he)(?:'d| had| was| were| would)?"
        r"(?: just)? (?:gone|died|dead|disappeared|never been born|be gone)|if (?:i|she|he) (?:wasn't|weren't|"
        r"was not|were not|didn't|did not|never|no longer|'d never|had never) (?:\w+ )?(?:here|around|alive|born|"
        r"exist\w*|live\w*))\b",
        # "join my baby", "join her wherever she is", "be with him again"
        r"\bjoin (?:my|our) (?:baby|angel|son|daughter|little (?:one|girl|boy))\b",
        r"\b(?:want\w*|wanna|wish\w*|long\w*|need|going|ready|just want) (?:to )?(?:go and |go |just )?"
        r"join (?:her|him|them)(?= *(?:$|[,.!?;]| wherever| in heaven| up there| again| now| soon| and| but| so|"
        r" because| forever| one day| in death))",
        r"\bbe with (?:my|our) (?:baby|angel|son|daughter) (?:again|in heaven|now|up there|wherever)\b",
        r"\bbe with (?:her|him|them) (?:again|in heaven|up there|wherever (?:she|he|they) (?:is|are))\b",
        # "it should have been me" (after a loss): a wish to have died
        r"\bshould(?: have|'ve| of) been me\b(?= *(?:$|[,.!?;]| instead| not (?:her|him|them|my|our|the)|"
        r" (?:that|who) died| in (?:that|the|her|his) (?:grave|place)))",
        # "I just want it all to end", "I want everything to be over"
        r"\b(?:want|wanna|wish|need) (?:it all|everything|all of it|my life|this life|life) to "
        r"(?:end|be over|stop)\b",
        # "what's the point of carrying on", "whats the point living", "no point in anything anymore"
        r"\b(?:what's|what is|whats) the point (?:of |in )?(?:carrying on|going on|living|life|anything|it all|being "
        r"here|being alive|getting up|existing|me being here)\b(?! insurance)",
        r"\bno point (?:in |of )?(?:anything|life|living|it all|being here|being alive|existing|me being here)\b",
        # "I can't keep living like this", "don't think I can keep living"
        r"\b(?:can't|cannot|can not|couldn't|don't think i can|do not think i can|not sure i can|don't know if i can|"
        r"don't know how (?:much )?(?:longer )?i can) (?:keep (?:on )?|go on |carry on )(?:living|existing|"
        r"being alive|like this)\b",
        r"\b(?:can't|cannot|don't want to|do not want to) (?:keep )?(?:living|live) (?:like this|anymore|any more)\b",
        # method or plan: pills, trains, cars, bridges, goodbye letters
        r"\b(?:(?:saving|saved|save) up|(?:been|i'm|i am|i've|she's|she has) sav(?:ing|ed)|stockpil\w*|hoard\w*|"
        r"stash\w*|squirrel\w* away) (?:all )?"
        r"(?:of )?(?:my |her |the |some |enough |a lot of |lots of )?(?:tablets|pills|meds|medication|medicines|"
        r"painkillers|paracetamol|sleeping (?:pills|tablets))\b",
        r"\b(?:take|taking|took|swallow|swallowing|swallowed|down|downing) (?:all|every one|the whole|a whole|"
        r"a load|loads|a handful|handfuls) (?:of )?(?:my |her |the |these |those |them )?(?:(?:packet|bottle|box|"
        r"tub|strip)s? of )?(?:my |her |the )?(?:tablets|pills|meds|medication|medicines|painkillers|paracetamol|"
        r"sleeping (?:pills|tablets))\b"
        r"(?! (?:at once|together|at the same time|with (?:food|water|breakfast|dinner)|as (?:normal|usual|"
        r"prescribed)|in the morning|at night|before bed|tomorrow|on the day|every|each|daily|before|after|"
        r"on time|or|with (?:me|you|us|them)|to (?:the|my|clinic|hospital|appointment|show))\b)",
        r"\boverdos(?:e|ed|ing)\b",
        r"\b(?:step\w*|jump\w*|throw\w* (?:myself|herself)|walk\w*|run\w*|lie down|lying down|lay down) "
        r"(?:out )?in front of (?:a |the |an )?(?:train|bus|car|lorry|truck|traffic|tube|oncoming)\b(?! park)",
        r"\bjump\w* (?:off|from) (?:a |the )?(?:bridge|building|roof|cliff|balcony|car park|multi-storey)\b",
        r"\bdriv(?:e|es|ing|en)\b (?:my |the |our |her )?(?:car )?(?:into|off) (?:a |the )?(?:wall|tree|bridge|river|"
        r"lorry|truck|cliff|oncoming|traffic|lake|sea|canal)\b",
        # "I think about just going into the wall on the bypass" (while driving)
        r"\b(?:think\w*|thought|imagin\w*|pictur\w*|tempted|urge) (?:about |of |to )?(?:just )?(?:going|driving|"
        r"crashing|steering|swerving|veering|ploughing|plowing) (?:straight )?(?:into|off) (?:a |the )?(?:wall|tree|"
        r"bridge|river|lorry|truck|cliff|oncoming|traffic|barrier|central reservation|motorway|road)\b",
        r"\b(?:goodbye|farewell) (?:letters?|notes?)\b|\bsuicide (?:letters?|notes?|messages?|videos?)\b",
        # "sleep and never wake up", "nobody would miss me", "done with life", "rather be dead"
        r"\b(?:sleep|asleep|bed|hope i|wish i|want to|wanna) (?:and |& )?(?:just )?never (?:wake|waking)\b",
        r"\b(?:nobody|no one|no-one|noone) (?:would|will|'d|is going to|would even|will even)? ?(?:even |really |"
        r"actually )?(?:miss me|notice if i|care if i (?:die|died|was gone|wasn't here|disappeared))\b"
        r"(?! (?:at|in|while|during|for|when i'm (?:off|away|on))\b)",
        r"\b(?:done with|finished with|tired of|sick of) (?:life|living|being alive|existing|this life)\b"
        r"(?! (?:with|in|at|on|here|there|off|out|apart|together|arrangements?|rooms?|costs?|situation|"
        r"conditions?)\b)",
        r"\b(?:rather|sooner) (?:just )?(?:be dead|die|not be here|not exist|not be alive)\b",
        r"\b(?:wish|wishing) (?:i|it) (?:was|were|could be|had been|'d been) (?:dead|me instead)\b",
        r"\bshould(?:'ve| have) been me (?:that |who )?(?:died|instead|not (?:her|him|my baby|the baby))\b",
        r"\b(?:not|stop) being (?:here|around|alive) (?:anymore|any more|any longer)\b", r"\bnot being alive\b",
        r"\b(?:think\w*|thought|imagin\w*|wish\w*|want\w*|wanna|dream\w*) (?:about |of )?(?:just )?"
        r"(?:not (?:being|be|waking) (?:here|around|alive|up)|no longer (?:being )?(?:here|around|alive))\b"
        r"(?! (?:for|when|at|on|during|in time|tomorrow|next|this|that|to|until|by|with)\b)",
        r"\b(?:no|(?:don't|do not|can't|cannot|can not) see (?:a|any|the)|see no) (?:reason|point) "
        r"(?:to |in |of )?(?:go on|going on|live|living|carry on|carrying on|life|being here|being alive|"
        r"anything|it all|existing)\b",
        r"\bwish i (?:hadn't|had not|didn't|did not|wouldn't) (?:woken|wake|wake up|been born)\b",
        r"\b(?:life|living)(?: is|'s)? (?:not|isn't|is not|no longer) worth (?:living|it)\b",
        r"\bkms\b", r"\bunalive\b", r"\bdisappear (?:forever|for good|for ever|permanently)\b",
        # "I just want to go to sleep forever" (a wish, not "I could sleep forever, so tired")
        r"\b(?:want\w*|wanna|wish\w*|long\w*|ready|going|need|just want) (?:to )?(?:just )?(?:go to |fall )?"
        r"(?:sleep|asleep) (?:forever|for ever|for good|permanently|and not wake|and never wake)\b",
        r"\b(?:go|fall|drift) (?:to sleep|asleep) (?:forever|for ever|for good|permanently|and (?:not|never) wake)\b",
        # "I'm a burden to everyone", "just a burden on my family"
        # giving away treasured belongings: a warning sign ("gave her sister all her jewellery")
        r"\b(?:gave|giving|given|give) (?:away )?(?:\w+ ){0,3}(?:all )?(?:of )?(?:my|her) (?:jewel\w*|belongings|"
        r"possessions|things|stuff|savings|treasures)\b(?! (?:to (?:the )?(?:charity|tip|dump)|for (?:the )?(?:move|sale)))",
        r"\b(?:says?|said|saying|keeps saying|thinks?|feels?) (?:that )?(?:she's|she is|she's just|she is just|i'm|i am) "
        r"(?:just )?(?:a|such a) (?:\w+ )?burden\b",
        r"\b(?:i'm|i am|i feel|feel like|i've become|i have become|i'm just|she's|she is|nothing but|such|just) "
        r"(?:like )?(?:i'm |i am )?(?:just |such |nothing but |only )?(?:a|such a) (?:\w+ )?burden "
        r"(?:to|on|for) (?:everyone|everybody|all of (?:you|them|us)|every ?one|the world|(?:my|our|the) (?:whole )?"
        r"(?:family|families|loved ones|kids|children)|the people (?:i love|around me))\b",
        # "I've made my peace." (with nothing named), "made my peace with dying / with everyone"
        r"\bmade (?:my|her) peace"
        r"(?= *(?:$|[.!]| now| and (?:i'm|i am|i feel) ready| and (?:said|say|written|wrote|left|sorted|put)\b"
        r"| with (?:everything|everyone|everybody|the world|god|dying|death|it all|my life|life)\b))",
        # goodbye letters to the people she loves: "I've written letters for my husband and my mum"
        r"\b(?:written|wrote|writing|write|left|leaving) (?:\w+ )?(?:letters|notes|goodbyes) (?:for|to) (?:each of )?"
        r"(?:everyone|everybody|all of (?:them|you)|(?:my|the|our) (?:husband|partner|wife|kids|children|family|mum|"
        r"mom|dad|parents|son|daughter|boys|girls|sister|brother|loved ones|fiance|fiancé|boyfriend|girlfriend))\b"
        r"(?! (?:about|asking|to ask|to explain|to say thank|thanking|for (?:the|my|when|after))\b)",
    ]),
}

# Weather and rooms, not a body: "boiling in this heatwave", "it's 38 degrees outside".
WEATHER = (r"\b(?:heat ?wave|weather|forecast|outside|out there|outdoors|indoors|sunshine|sunny|the sun|in the sun|"
           r"humid\w*|air ?con\w*|the heat|this heat|summer|in here|the room|this room|waiting room|office|the car|"
           r"the bus|the train|the tube|the house|the flat|bath|shower|oven|fridge|degrees out)\b")
# ...unless the number is clearly her reading ("my temp is 38.5 and it's hot outside" is split anyway).
BODY_READING = r"\b(?:temp\w*|fever\w*|thermometer|reading|under (?:my|her) (?:arm|tongue))\b"
# These words make a target a symptom whatever is around it ("my waters broke in the car").
ALWAYS_A_SYMPTOM = r"\bwaters\b|\b(?:my|her) water\b|\bvagina\b|\bdown there\b|\bmyself\b|\bherself\b"

# A target next to one of these words is not about the body (checked in the same sentence).
NOT_A_SYMPTOM = {
    "fluid_leak": r"\b(?:ink|pen|tap|roof|pipe|bottle|car|oil|battery|boiler|ceiling|nappy|diaper|news|"
                  r"gas|info|information|story|photos?|milk|rain\w*|puddle|swim\w*|pool|shower|bath|"
                  r"spill\w*|spilt|drink|tea|coffee|washing|laundry)\b",
    "bleeding": r"\b(?:sight of|scared of|afraid of|fear of|phobia of|squeamish about|nose ?bleeds?|"
                r"nose (?:is )?bleeding|gums? (?:are |is )?bleeding|bleeding gums|blood (?:test|tests|group|type|"
                r"taken|drawn|samples?|work|pressure|screening|screen|checks?)|(?:mix|mixing|mixes) (?:my |the |our )?blood|baby's blood|"
                r"blood (?:with|and) the baby|giv(?:e|ing) blood|donat\w* blood|(?:made )?from (?:my |the )?blood|"
                r"blood products?|(?:took|take|takes|taking|taken) (?:\w+ ){0,3}?(?:of )?(?:my |her )?blood|blood is (?:rh|a|b|o|ab)?[ -]?(?:neg\w*|pos\w*)|(?:into|in|with) (?:my|her|the mother's) blood)",
    "fever": r"\b(?:hay|glandular|scarlet|yellow|dengue|rheumatic|cabin) fever\b|\b(?:outside|weather|forecast|"
             r"heat ?wave|in the (?:room|office|house|car|sun|shade)|oven|fridge|bath water)\b",
    "feeling_hot": WEATHER,
    "chills": r"\b(?:from|with|because of|due to|after) (?:\w+ )?(?:coffee|caffeine|nerves|adrenaline|excitement|"
              r"laughing|laughter|anxiety)\b",
    "pain": r"\bpain (?:threshold|tolerance|relief|killers?|medication|meds)\b|\bpainkillers?\b"
            # harm to the baby, not her pain: "what if the needle hurts my baby?"
            r"|\bhurts? (?:my|the|our|her|his) (?:baby|babies|little one|child|son|daughter)\b",
    "infection": r"\b(?:for (?:an |any |the )?infection|infections? in the baby|check(?:ing)? for|"
                 r"test(?:s|ing|ed)? for|look(?:ing)? for|rule out)",
}

# Like NOT_A_SYMPTOM, but matched over the sentence and only when the match contains the
# target: "my gums bleed when I brush", "passed out on the sofa and slept till 7".
NOT_A_SYMPTOM_AROUND = {
    "bleeding": r"\b(?:nose|gums?|lips?|mouth|finger|thumb|toe|knee|hand|cut|graze|scratch|pimple|mole|"
                r"ear|tongue)(?:'s| is| are| was| were| has| have| keeps?| kept| been| started| starts| always| often|"
                r"sometimes| just| a bit| a little| really| bleeds?| bled)* (?:bleed\w*|bled|bloody)\b"
                r"|\bbloody (?:nose|lip|lips|gums?|knee|finger|mouth|tissue after blowing)\b"
                r"|\b(?:bleed\w*|bled|blood) (?:from|out of|in) (?:my|her|the|his) (?:nose|gums?|mouth|lip|finger|"
                r"spit|toothbrush)\b"
                r"|\bnose ?bleed\w*|\bbleeding (?:gums|nose|lip)\b"
                r"|\b(?:bleed\w*|bled|blood)\b[^.?!]{0,20}?\bwhen (?:i|she) (?:brush|floss|blow)\w*"
                # pain compared with a period is pain, not bleeding: "cramps worse than a period"
                r"|\b(?:pain\w*|cramp\w*|ach\w*|hurt\w*|sore\w*|agony)\b[^.?!,]{0,25}?\b(?:worse|more) than "
                r"(?:a |my |her |your |any |an? )?(?:\w+ )?periods?\b",
    "fainting": r"\b(?:passed|passing|pass|crashed|conked|zonked|flaked) out\b[^.?!]{0,40}?\b(?:and |then )?"
                r"(?:slept|sleeping|asleep|napp?\w*|snor\w*|woke up (?:at|in the morning|refreshed)|"
                r"(?:till|until) (?:morning|the morning|\d{1,2}\b))",
    "fluid_leak": r"\b(?:boobs?|breasts?|nipples?|tits|colostrum|chest)\b[^.?!]{0,15}?\b(?:leak\w*|dripping)\b"
                  r"|\b(?:leak\w*|dripping)\b[^.?!]{0,20}?\b(?:from|out of) (?:my|her|the|both) (?:boobs?|breasts?|"
                  r"nipples?)\b|\bleak\w* (?:\w+ ){0,4}colostrum\b",
    "chills": r"\b(?:it's|it is|its|it was|house|home|room|flat|office|car|weather|outside|out|in here|bedroom|"
              r"kitchen|heating|radiators?|boiler)(?:'s| is| was| has been| feels)? (?:so |absolutely |bloody |really |"
              r"totally |properly |proper |literally )?freezing\b"
              r"|\bfreezing (?:outside|out|in here|weather|cold outside|day|morning|night|house|room|flat|today)\b",
}
# ...unless the sentence also names the vagina ("bleeding from my nose and from down below").
VAGINAL_CONTEXT = (r"\b(?:vagina\w*|vag|fanny|minge|privates|down there|down below|front bottom|pads?|knickers|"
                   r"undies|underwear|waters)\b")
# Activity that explains an ache away from the belly: "back ache from sitting at my desk all day".
EXPLAINED_ACHE = (
    r"\b(?:back|neck|shoulders?|hips?|legs?|feet|foot|knees?|wrists?|arms?|hands?|bum|coccyx|tailbone|head)"
    r" ?(?:ache\w*|pain|is (?:sore|aching|achy)|(?:is |are )?(?:killing me|sore))\b[^.?!]{0,20}?"
    r"\b(?:from|after|because of|due to|with all (?:the|that)) (?:all (?:the|that|this|day) |too much |so much |"
    r"a long |long )?(?:sitting|standing|walking|carrying|lifting|bending|typing|driving|hoovering|gardening|"
    r"shopping|exercise|the gym|yoga|pilates|walk|my desk|the desk|work|the chair|this chair|the sofa|"
    r"sleeping (?:funny|awkwardly|badly|wrong)|a bad night)"
)

# Where the needle went in, and the signs that it is inflamed.
NEEDLE_SITE = (
    r"\b(?:needle|puncture|injection|insertion|prick|entry|amnio|jab)[- ]?(?:site|spot|point|place|area|"
    r"mark|hole|wound|bit)\b|\bwound\b|\bwhere (?:the |they put the |they stuck the |they inserted the |they did the )?"
    r"(?:needle|jab)\b|\bneedle (?:went|goes|was)\b"
    # "place of needle is red", "the skin around the needle"
    # the plaster or dressing put over it: "the plaster spot is puffy"
    r"|\b(?:plaster|band[- ]?aid|dressing|bandage)(?:'s)?(?: (?:spot|site|area|bit|mark))?\b"
    r"|\b(?:place|site|spot|area|point|part|bit|skin) (?:of|for|from|where|around|near|round) "
    r"(?:the |my |her )?(?:needle|injection|puncture|amnio|jab)\b"
)
NEEDLE_SITE_SIGNS = (
    r"\b(?:red|redness|reddish|swollen|swelling|ooz\w*|discharge|pus|puss|pussy|pusy|pusey|pussing|pussed|infected|infection|hot|warm|"
    r"weep\w*|inflamed|puffy|lump|bruised|sore|tender|pink|angry|crusty|smell\w*|yellow\w*|green\w*|gunk\w*|"
    r"goo|gooey|(?:getting|got|gone|grown|growing|spreading) (?:bigger|wider|worse|redder|larger)|spread\w*)\b"
)

# --- Severity cues near a target (same sentence, a few tokens either side) -----------
HEAVY_BLEEDING = (
    r"\b(?:heavy|heavily|heavier|lots?|loads?|soak\w*|pour\w*|gush\w*|clots?|clotty|"
    r"a lot|so much|too much|very much|tons?|buckets|non[- ]?stop|won't stop|not stopping|"
    r"keeps coming|running down|dripping|bright red|like a period|like my period|period[- ]like|"
    r"haemorrhag\w*|hemorrhag\w*|pads?|heavier|more and more|increas\w*|"
    r"(?:getting|gets|got|gone) (?:worse|heavier|more)|"
    # "a bit more blood than I thought there'd be": more than she expected outranks "a bit"
    r"(?:more|heavier|redder)(?: \w+){0,2}? than (?:i |she |we |you |they )?(?:'d |had |would have |would've |"
    r"ever )?(?:thought|expected|expect|imagined|was told|were told|should|normal|usual|before|"
    r"yesterday|earlier|this morning|a period|my period))\b"
)
LIGHT_BLEEDING = (
    r"\b(?:spot\w*|little|bit|slight\w*|light\w*|tiny|brown\w*|pink\w*|few drops|drops?|streaks?|"
    r"tinge\w*|smear\w*|trace|not much|wipe|wiped|wiping|toilet paper|tissue)\b"
)
MILD_FEVER = r"\b(?:slight\w*|low|mild\w*|little|bit|small|low[- ]grade|not high)\b"
SEVERE_PAIN = (
    r"\b(?:severe\w*|unbearable|excruciating|agony|agonising|agonizing|intense|terrible|awful|"
    r"horrible|worst|worse|worsening|increasing|crippling|screaming|really bad|very bad|so bad|"
    r"really painful|very painful|(?:can't|cannot|can barely|barely) (?:stand|walk|move|breathe|sleep)|doubled over|(?:8|9|10) ?/ ?10|"
    r"(?:8|9|10) out of 10|sharp and constant|stronger|(?:very |really |so |too |extremely |super ){1,3}strong|"
    r"ramp\w* up|build\w* up|intensif\w*|escalat\w*|more and more|more worst|"
    r"(?:getting|gets|got|keeps getting|going) (?:worse|stronger|more intense|more painful|harder|bigger))\b"
)

# --- Temperatures ---------------------------------------------------------------------
TEMPERATURE = (
    r"(?<![\d.])(?P<value>\d{2,3}(?:[.,]\d{1,2})?)"
    # "38 and a bit (this morning)", "37 and a half, took it twice": a reading just above the number;
    # not "38 and a bit nervous", "37 and a bit of a worrier", "38 and a half weeks"
    r"(?P<plus> and a (?:bit|little bit|little|half)(?= *(?:$|[,.!?;:)/-]|°|(?:degrees?|deg|c|f|this|today|tonight|"
    r"now|earlier|last|on|when|and|but|so|after|again|at|in|yesterday|since|under|by|first|then|which|i|she|"
    r"too|still|though|or|was|is|according|lol|x+)\b)))?"
    r"\s*(?P<unit>°\s*[cf]|degrees?\s*[cf]?|deg\s*[cf]?|c\b|f\b)?"
)
TEMPERATURE_WORDS = r"\b(?:temp\w*|fever\w*|thermometer|degrees?|°|reading|running(?: a| at)?(?= \d))\b"
# She measured it, so a bare number in her sentence is a reading: "38 this morning, took it twice",
# "checked it again", "the reading", "on the thermometer" (not "took it easy", "checked it with my boss").
# right after a symptom, that it is over: "cramps gone, spotting gone", "bleeding stopped now"
DIRECTLY_RESOLVED = (r"^\s*(?:(?:is|are|has|have|had) )?(?:all |completely |totally |now |long |fully )?"
                     r"(?:gone|stopped|settled|cleared(?: up)?|finished|eased off)\b"
                     r"(?! (?:up|down|heavier|worse|red|yellow|green|brown|hard|tight|quiet|still|really|very|on|back|"
                     r"again|bad|through|out|into|right)\b)(?!\s*(?:but|and now|now it|then)\b)")
# right before a number, an age: "I'm 38 and a half", "she's 39 and a bit", "aged 40"
AGE_BEFORE = r"\b(?:i'm|i am|im|she's|she is|shes|aged?|turn(?:ing|ed|s)?)\s*$"
MEASURING_CUE = (r"\b(?:took|taken|take|taking|re-?took|re-?taken|checked|check|checking|re-?checked|measured|"
                 r"measuring|tested|testing)(?: it| mine| hers| her temp\w*| my temp\w*)\b(?! (?:easy|slow|slowly|off|"
                 r"out|in|up|back|away|personally|hard|well|badly|home|over|apart|down|as|to|for|with|on board|"
                 r"into|at face)\b)|\b(?:reading|thermometer|it (?:read|reads|showed|shows|was showing|"
                 r"is showing|came up|comes up))\b")
# The weather said the way a reading is: "it's 100 F in Phoenix today", "it's 30 degrees here today".
WEATHER_BEFORE = r"\b(?:it's|it is|its|it was|it'll be|it will be|gonna be|going to be|forecast says|forecast)\s*$"
MEASURED = (r"\b(?:i'm|i am|she's|she is|i feel|she feels|feel|felt|feeling|checked|took|measured|read|reads|"
            r"says|said)\b")
WEATHER_AFTER = (r"^\s*(?:in (?!(?:my|her|the|a|an|hospital|a&e|bed|labour|triage|clinic)\b)[a-z]+|today\b|"
                 r"here\b|out\b|tomorrow\b|this (?:week|weekend|afternoon|morning|summer)\b|at the moment\b)")

# --- Context cues (medspaCy ConText rules) ------------------------------------------------
NEGATIONS = [
    "no", "not", "never", "without", "none", "nor", "neither", "haven't", "hasn't", "hadn't",
    "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "havent", "no sign of",
    "no signs of", "free of", "zero", "denies", "nothing like", "no more", "no longer",
]
# "nothing leaking", "nothing's coming out": "nothing" negates only the word right after it
# ("nothing stops the bleeding" must still escalate).
NEGATIONS_ADJACENT = ["nothing", "nothing's", "nothing is", "nothing has", "nothing was"]
NEGATION_PSEUDO = [
    "not sure", "not certain", "not only", "not much", "not a lot", "not stopping", "not stopped",
    "not getting better", "not improving", "not going away", "no idea", "not normal", "no better",
    "not easing", "not settling", "no change", "not sure if", "don't know", "dont know",
    "doesn't stop", "don't stop", "won't stop", "can't stop", "not high", "not heavy",
    "hasn't gone away", "not gone away", "hasn't stopped", "haven't stopped", "hasn't settled",
    "won't go away", "hasn't eased", "not eased", "hasn't gone", "not gone", "not settled",
]
RESOLVED_BACKWARD = [
    "has stopped", "have stopped", "went away", "gone away", "is gone", "are gone",
    "'s gone", "cleared up", "settled", "settled down", "eased off",
    "has eased", "resolved", "passed", "is over", "disappeared", "gone now", "stopped now",
    "all gone", "went down", "came down", "back to normal", "healed", "fine since", "fine ever since",
    "all fine since", "been fine since", "no problems since", "fine now", "all good now",
    "nothing since", "none since", "been clear", "clear since", "clear ever since", "clear every day since",
    "faded", "has faded", "faded away", "long gone", "are long gone", "is long gone", "gone down", "has gone down",
    "died down", "subsided", "has subsided", "totally gone", "completely gone",
]
# A loss, not a symptom going away: "now my baby's gone" must not mark a symptom resolved.
RESOLVED_PSEUDO = [
    "baby's gone", "baby is gone", "baby has gone", "she's gone", "he's gone", "she is gone", "he is gone",
    "they're gone", "baby was gone", "since she's gone", "since he's gone", "angel's gone",
    # not better: "it hasn't been back to normal since"
    "not back to normal", "not been back to normal", "hasn't been back to normal", "haven't been back to normal",
    "isn't back to normal", "never got back to normal", "not gone back to normal", "hasn't gone back to normal",
]
RESOLVED_BOTH_WAYS = ["stopped", "stopping", "finished"]
# A past habit, read forward only ("I used to feel like nobody would miss me, but ..."), so that
# "bleeding heavily like I used to" is not made a past mention.
DISTANT_PAST_FORWARD = ["used to", "i used to"]
# "it's been clear ever since the spotting": the clearing comes first.
RESOLVED_FORWARD = ["clear ever since", "clear since", "fine ever since", "fine since", "dry ever since",
                    "dry since", "been clear since", "been fine since", "all clear since"]
DISTANT_PAST = [
    "years ago", "year ago", "last year", "previous pregnancy", "last pregnancy", "first pregnancy",
    "other pregnancy", "earlier pregnancy", "pregnancy before", "with my first", "with my son",
    "with my daughter", "with my older", "last time", "my last amnio", "my first amnio",
    "when i was pregnant with", "history of", "in the past", "months ago", "a while ago", "long ago",
    "my previous amnio", "previous amnio", "my other kids", "with my eldest", "years back",
    "year back", "as a teenager", "as a child", "as a kid", "when i was young", "when i was little",
    "when i was a teenager", "when i was a kid", "growing up", "decades ago", "decade ago",
    "last month", "a month ago",
    "back in uni", "at uni", "in uni", "when i was at uni", "back in school", "at school", "in college",
    "back in college", "as a student", "when i was a student", "back in the day", "when i was younger",
    "in my teens", "in my twenties", "long behind me", "behind me now", "all behind me",
]
OTHER_PEOPLE = [
    "my friend", "a friend", "my sister", "my mum", "my mom", "my mother", "my cousin", "my aunt",
    "my colleague", "my neighbour", "my neighbor", "people", "women",
    "other women", "most women", "some women", "others", "a lot of women",
    "her sister", "my sister-in-law", "my friend's", "a woman", "a lady", "my mother-in-law", "my mother in law", "my gran", "my nan",
    "my grandmother", "a story", "i read",
    "i heard", "read about", "heard about", "online", "on a forum", "my cousin's",
]
GENERAL_FORWARD = [
    "how common", "how often", "how likely", "how frequent", "how frequently", "how many women",
    "how many people", "what percent", "what percentage", "what %", "what proportion",
    "what are the chances", "what's the chance", "what is the chance", "chance of", "chances of",
    "risk of", "risks of", "rate of", "odds of", "likelihood of", "signs of", "sign of",
    "symptoms of", "warning signs", "can amnio cause", "can amniocentesis cause", "can the amnio cause",
    "can the test cause", "can the procedure cause", "can the needle cause", "does amnio cause",
    "does amniocentesis cause", "does it cause", "can it cause", "could it cause", "do you get",
    "do you bleed", "do you leak", "do women", "do most women", "do people", "does everyone",
    "will i", "will there be", "am i going to", "is it likely", "can i get", "could i get",
    "might i get", "can you get", "is there a risk", "any risk", "lead to", "cause",
    "might feel", "may feel", "will feel", "might get", "should expect", "to expect", "expect",
    "how much", "generally speaking", "in general",
    "reading forums", "forums about", "reading about", "reading up on", "stories about", "horror stories",
]
GENERAL_AFTER_TARGET = r"^\W*(?:risks?|rate|chances?|odds|percentages?)\b"
# What she read or heard about, not what she has: "reading forums about infections and
# leaking waters" (only a list of symptoms may stand between "about" and the symptom).
READ_ABOUT_BEFORE = (r"\b(?:forums?|stories|story|articles?|posts?|threads?|reading|read|heard|hearing|"
                     r"googl\w*|search\w*|videos?|leaflets?|websites?)\b(?: \w+){0,2}? about "
                     r"(?:(?:\w+(?:,| and| or)) ){0,3}$")
# A question about symptoms in general: starts like one, uses one of these words, and
# reports nothing of the writer's own ("is fever a known complication of amnio?").
GENERAL_CLAUSE_START = (r"^(?:(?:generally(?: speaking)?|in general|out of interest|just wondering|"
                        r"just curious|quick question|question|hypothetically)[,:]? )?"
                        r"(?:is|are|does|do|how|what|can|could|will|would|why|which|should)\b")
GENERAL_CLAUSE_WORD = (r"\b(?:common|rare|usual|frequent|often|likely|complications?|side[- ]effects?|"
                       r"linked|associated|known|cause[sd]?|make (?:you|your)|lead to|count as|counts as|"
                       r"get infected|show|stop the|prevent|chance|risk|usually|sign|signs|symptoms?|"
                       r"mean|means|happen|happens|a lot|true|feel like|feels like|because of|give|gives|tell if|tell whether|"
                       r"detect|find out|reason|why|difference|tell apart|distinguish|set off|bring on|"
                       r"trigger|generally|in general|make (?:my|her|the)|normally|typically|on average)\b"
                       r"|\btell [\w' ]{1,40}? from\b"
                       # "how long does cramping last after the procedure?" (not "how long will my cramping last?")
                       r"|\bhow long (?:does|do|should|can|might|would|is|are) (?!(?:my|her|mine|the|this|these|that|it)\b)")
# A question about what a woman in general should do: "what should a woman do if she bleeds?"
GENERIC_PERSON_QUESTION = (r"^(?:(?:just wondering|out of interest|general question|quick question)[,:]? )?"
                           r"(?:what|when|how|where|who|why|which) (?:\w+ )?(?:should|do|does|would|can|could|must|"
                           r"is|are) (?:a |an |the |any |most |other )?(?:pregnant )?(?:woman|women|mums?|mothers?|"
                           r"patients?|person|people|girls?|ladies|lady)\b")
# "I'm bleeding, my sister says it's normal", "came round with people staring at me": the
# other person comes after her symptom and is a bystander or gives an opinion.
BYSTANDER_AFTER = (r"^\W*(?:just |always |keeps |still |even )?(?:says?|said|thinks?|thought|reckons?|reckoned|told me|tells me|"
                   r"keeps saying|swears|insists|is sure|laughed|joked|asked|staring|stared|watching|watched|looking|"
                   r"looked|helped|helping|had to|called|rang|drove|carried|caught|found me|picked)\b"
                   r"|^\W*(?:\w+\W+){0,3}?me\b")
BYSTANDER_BEFORE = r"\b(?:with|in front of|next to|beside|around|surrounded by)\s+(?:all\s+)?(?:the\s+)?$"
# Someone's view, not the symptom going away: "my mum reckons it's fine", "she says they're fine".
OPINION_BEFORE = (r"\b(?:says?|said|saying|reckons?|reckoned|thinks?|thought|told me|tells me|hopes?|hoping|"
                  r"probably|sure|apparently|insists?|swears?|supposedly)\W+(?:that\W+)?$")
# The baby moving again later in the sentence: "quiet this morning but she's been kicking like mad since".
MOVEMENTS_BACK = (r"\b(?:(?:has|have|'s|is|are) been|is|are|'s|started|starting|now|back to|gone back to|been) "
                  r"(?:\w+ )?(?:kicking|moving|wriggling|squirming|wiggling|rolling|active|kicked|moved|"
                  r"going)\b(?: \w+){0,3}? (?:since|again|now|ever since|all (?:afternoon|evening|day|night)|"
                  r"like (?:mad|crazy|normal|a mad thing)|as (?:usual|normal)|loads|lots|plenty|normally|non-?stop)\b")
MOVEMENTS_BACK_NOT = (r"\b(?:not|no|never|less|hardly|barely|stopped|if|until|till|before|normally|usually|"
                      r"would|should|expect\w*|used to|by now|by this time|most days|other days)\b|n't\b")

# "is it normal?" after a report asks about *her* symptom: not a general question.
ABOUT_OWN_SYMPTOM = (r"\b(?:is|are) (?:it|this|that|these) (?:normal|ok|okay|serious|bad|dangerous|common|"
                     r"worrying|a problem|something|usual|expected|fine)\b")
# "do most women cramp after? mine's been going all day": "mine" with a symptom or a state is her own
# (not "mine's on tuesday", "mine's been fine").
MINE_REPORT = (r"\bmine(?:'s| is| has| have| are|'ve| was| were)? (?:been |really |still |just |now |all |so |very |"
               r"gone |getting |going |a bit |quite )*(?:start\w*|going|gone|keeps?|kept|won't|bleed\w*|bled|"
               r"cramp\w*|leak\w*|spott\w*|hurt\w*|ach\w*|sore|quiet|worse|heavier|heavy|painful|red|swollen|"
               r"on and off|back|stopped (?:moving|kicking)|moving less|kicking less|less)\b")
OWN_REPORT = (r"\b(?:i'm|i am|i've|i have|i've got|i got|she's|she is|she has|my (?:wife|partner|girlfriend) (?:is|has))\b"
              r"|" + MINE_REPORT)
# Her own report in a later sentence makes a general question about a symptom her own:
# "how long does cramping normally last? it's been 6 hours", "... I've had it since yesterday".
OWN_REPORT_AFTER = (
    MINE_REPORT
    # "I've had it since lunch", "I'm still getting them" (not "I've had it done before", "having it on tuesday")
    + r"|\b(?:i've|i have|i've been|i have been|she's|she has|i'm|i am|she is) (?:still )?(?:had|having|getting|got) "
    r"(?:it|them|this|these|that) (?:for|since|all|on and off|constantly|non-?stop|every|\d|a few|several|today|"
    r"tonight|this (?:morning|afternoon|evening)|last night|yesterday|still|now|right now|again)\b"
    r"|\b(?:it's|it has|they've|they have) been (?:going (?:on )?|happening )?(?:for )?(?:\d+|a few|several|two|three|"
    r"four|five|six|a couple of|an?|over an?|about|nearly|almost|more than an?)(?: \w+)? (?:hours?|days?|minutes?|"
    r"mins?)\b(?! (?:since|after|from|post)\b)"
    r"|\b(?:it|they|mine) (?:started|began|came on|kicked in)\b"
    r"|\b(?:it's|it is|they're|they are) (?:still )?(?:going on|happening|getting worse|getting heavier)\b"
)
HYPOTHETICAL = [
    "what if", "if i", "if i'm", "if she", "if she's", "if my", "if there's", "if there is", "in case",
    "should i worry if", "what do i do if", "what should i do if", "when should i call", "do i call",
    "should i call", "suppose", "supposing", "and if", "if things", "if it gets", "if it starts",
    "if it doesn't", "if it does not",
]
# "if the pain gets really bad": a hypothetical whose cue touches the symptom word itself.
IF_BEFORE = r"\bif (?:the|my|her|it|this|that)\b"
PARTNER = ["my wife", "my partner", "my girlfriend", "my fiancee", "my fiancée", "my missus",
           "she", "she's", "her", "my gf", "my other half"]
STRONG_TERMINATORS = ["but", "however", "though", "although", "except", "apart from", "yet",
                      "while", "and now", "now", "still", "then", "whereas", "and today",
                      "and this time", "this time", "also", "and also", "btw", "by the way", "ps", "p.s.",
                      "anyway", "oh and", "on another note", "separately", "meanwhile", "other than that"]
WEAK_TERMINATORS = [",", ";", "..."]  # a spaced dash is made a comma by normalise()
# Present-time words: someone else's symptom *now* is reported for the patient.
PRESENT_CUES = (r"\b(?:now|today|tonight|currently|right now|at the moment|this (?:morning|evening|afternoon)|"
                r"here with me|(?:is|are) with me|with me (?:right )?now|next to me|beside me|in front of me|"
                r"as we speak|as i type)\b"
                r"|\b(?:she|he|she's|he's|they've) just (?!(?:told|said|says|mentioned|asked|read|heard|texted|"
                r"messaged|called|rang|had|got|went|did|found|gave|came|been|finished|sent)\b)\w+")
# The writer is the subject of a symptom even when someone else is named in the sentence:
# "I'm leaking and my friend says it's normal". Checked on the clause just before the symptom.
OWN_SUBJECT = r"\b(?:i|i'm|i've|my|myself)\b"
# ...but not when that clause is about someone else or is a guess ("my sister told me I'll get cramps").
NOT_OWN_SUBJECT = r"\b(?:she|he|her|his|they|their|them|might|may|could|will|would|should|can|if)\b|'ll\b|'d\b"
# Someone else's past experience, or what someone else says ("my cousin says it is very painful").
PAST_TENSE_CUES = r"\b(?:had|bled|was|were|got|did|said|lost|happened|ago|went|\w+ed|say|says|told|tells)\b"

# Pain-class targets escalate when reported, not when asked about.
PAIN_REPORT = (
    r"\b(?:i|she|wife|partner|girlfriend)(?:'m|'ve| am| have| has| is|'s)? (?:got |been |having |"
    r"getting |in |really |so |quite |still |now |feeling |experiencing |a lot of |lots of |some |bad |"
    r"a bit of |a |had )*(?:\w+ )?(?:pain|pains|cramp\w*|ach\w*|hurt\w*|sore|tender|agony)\b"
    r"|\bmy (?:belly|tummy|stomach|abdomen|back|side|womb|uterus|bump|pelvis|lower belly|lower tummy)"
    r"(?: is| has been| really| still| keeps)? (?:hurt\w*|ach\w*|sore|painful|tender|killing me|cramp\w*)"
    r"|\b(?:pain|cramp\w*|ache\w*|hurting) (?:in|on|across|around) (?:my|her)\b"
    r"|\b(?:still|keep|keeps|kept|been|started|starting|now|constant\w*|lasting|all (?:day|night|"
    r"evening|morning|afternoon)|since|for (?:\d+|a few|several|two|three|four|five|hours)|hours|"
    r"today|tonight|this (?:morning|evening|afternoon)|last night|yesterday)\b"
    r"|\b(?:won't|wont|will not|doesn't|does not|isn't|not) (?:go(?:ing)? away|stop(?:ping)?|eas(?:e|ing)|shift|"
    r"settl(?:e|ing))\b"
)
# A past or resolved symptom that is back now: "I had a fever last pregnancy and I've got one again
# right now", "the spotting stopped but it's back this evening".
REVIVED = (
    r"\b(?:i've|i have|i'm|i am|she's|she has|she is)(?: got| getting| having)? (?:got |getting |having )?"
    r"(?:one|it|them|that|the same(?: thing)?|some) (?:again|back)\b"
    r"|\b(?:it's|it is|it has|they're|they are|they've|it's come|they've come|it came|they came|it has come) "
    r"(?:come )?back\b"
    r"|\b(?:started|starting|begun|began|come back|came back|coming back)(?: up)? again\b"
    # "... and I'm thinking about it again now", "the urges are back lately"
    r"|\bagain (?:now|right now|today|tonight|lately|recently|these days|this week)\b"
    r"|\b(?:thinking|thought|thinks) (?:about|of) (?:it|that|doing it|doing that|them) again\b"
)
REVIVED_PAST = r"^.{0,30}?\b(?:pregnancy|ago|last (?:year|time)|with my|in (?:19|20)\d\d)\b"
REVIVED_NOT = r"\b(?:if|will|would|could|might|may|what if|worried|afraid|scared|chance|risk|likely|again\?)\b"

QUESTION_START = r"^(?:does|do|is|are|will|can|could|how|what|why|when|should|would|did|has|have)\b"
