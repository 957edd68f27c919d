"""What the detector looks for: symptom targets, severity cues and context cues.

Kept apart from the matching code so a clinician can read the whole list in one place.
Targets are regular expressions over the normalised (lower-case, typo-corrected) text,
plus lemma patterns for spaCy's Matcher. Policy: docs/triage-policy.md.
"""
from __future__ import annotations

# --- Symptom targets --------------------------------------------------------------
# code -> (base severity, regexes). "pain" and "cramps" are "pain-class": they escalate
# only when reported (see detector), because "does it hurt?" is a question, not a symptom.
TARGET_REGEXES = {
    "bleeding": ("emergency", [
        r"\bbl(?:ee|e)d(?:s|ing|y)?\b", r"\bbled\b", r"\bblood(?:y)?\b(?! (?:test|tests|group|type|"
        r"sample|samples|work|pressure|result|results|count|sugar|cells?|vessels?|transfusion|"
        r"stream|bank|donor|donation|relative|screening|screen|draw|check|level|type)s?\b)",
        r"\bhaemorrhag\w*|\bhemorrhag\w*", r"\bclots?\b", r"\bpads? (?:an|in an|every|per) hour",
        r"\blike a (?:heavy )?period\b", r"\bheavy period\b", r"\bbright red\b", r"\U0001fa78",
        r"\bsoak(?:ing|ed|s)? (?:through )?(?:a |my |her |the )?(?:pads?|towels?|sheets?)\b",
    ]),
    "spotting": ("urgent", [r"\bspotting\b", r"\bspotted\b(?! (?:a|an|the|it|that|this|him|her))",
                            r"\bspots? of (?:blood|red|brown|pink)"]),
    "fluid_leak": ("emergency", [
        r"\bleak(?:s|ed|ing|y|age)?\b", r"\bgush(?:es|ed|ing)?\b", r"\btrickl(?:e|es|ed|ing)\b",
        r"\bwaters? (?:has |have |had |just )?(?:broke|broken|break|breaking|went|gone|going)\b",
        r"\b(?:clear|watery) (?:fluid|liquid|discharge)\b",
        r"\bfluid (?:is |keeps |kept )?(?:coming|running|dripping|pouring|seeping)\b",
        r"\bwet (?:myself|knickers|pants|underwear|panties|patch)\b", r"\bdripping\b",
        r"\bsoaked (?:my|her|through|with)\b", r"\bwatery\b", r"\bdamp\b", r"\bfelt a pop\b",
        r"\b(?:clear )?water (?:came|coming|comes|is coming|keeps coming|running|trickling|dripping|gushed)\b",
        r"\bthere(?:'s| is) (?:some |a lot of |lots of |more )?(?:fluid|water|liquid)\b",
    ]),
    "fever": ("emergency", [
        r"\bfevers?\b", r"\bfeverish\b", r"\bhigh temp(?:erature)?\b", r"\bpyrexi\w*",
        r"\b(?:have|has|got|running|with|had) (?:a |got a )?(?:slight |mild |low |bit of a |small )?temp(?:erature)?\b",
        r"\bburning up\b", r"\braised temp(?:erature)?\b",
        r"\btemp(?:erature)? (?:is |of |has gone |went )?(?:a little |a bit |slightly |quite )?(?:high|up|raised)\b",
    ]),
    "chills": ("emergency", [r"\bchills?\b", r"\bshiver(?:s|ing|y)?\b", r"\brigou?rs\b",
                             r"\bhot and cold\b", r"\bshaking\b", r"\bsweats\b", r"\bteeth (?:are )?chattering\b",
                             r"\bcold all over\b", r"\bfreezing\b"]),
    "feeling_hot": ("urgent", [r"\bfeel(?:s|ing)? (?:really |very |a bit |quite )?(?:hot|warm|flushed)\b"]),
    "pain": ("urgent", [
        r"\bpains?\b", r"\bpainful\b", r"\bach(?:e|es|ing|y)\b", r"\bhurt(?:s|ing)?\b", r"\bsore\b",
        r"\bagony\b", r"\btender\b", r"\bstabbing\b", r"\bdoubled over\b",
    ]),
    "cramps": ("urgent", [r"\bcramp(?:s|ing|y|ed)?\b", r"\bperiod[- ]like\b"]),
    "contractions": ("emergency", [
        r"\bcontraction\w*", r"\btightening\w*", r"\btight and hard\b", r"\bhard and tight\b",
        r"\b(?:belly|bump|tummy|stomach|uterus|womb)(?: is| keeps| has been)? (?:getting |going |goes |feels |"
        r"feeling |gone )?(?:really |very |so |all )?(?:tight|hard)\b",
    ]),
    "needle_site": ("urgent", []),  # found by NEEDLE_SITE + NEEDLE_SITE_SIGNS below
    "infection": ("emergency", [r"\binfect(?:ion|ed)\b", r"\bsepsis\b", r"\bseptic\b"]),
    "discharge": ("urgent", [r"\bdischarge\b(?! (?:letter|papers?|summary|form|note))",
                              r"\bsmell(?:y|s)? (?:down there|discharge)\b", r"\bfoul[- ]smelling\b"]),
    "fainting": ("emergency", [
        r"\bfaint(?:ed|ing|s)?\b", r"\bpass(?:ed|ing)? out\b", r"\bblack(?:ed|ing)? out\b",
        r"\bcollaps(?:e|ed|ing)\b", r"\blost consciousness\b", r"\bkeeled over\b",
    ]),
    "dizziness": ("urgent", [r"\bdizz(?:y|iness)\b", r"\blight[- ]?headed\w*\b", r"\bwoozy\b",
                              r"\broom (?:is )?spinning\b"]),
    "reduced_movements": ("emergency", [
        r"\b(?:baby|bub|babe|little one|he|she|it)(?:'s| is| has| hasn't| isn't| has not| is not)? ?"
        r"(?:not|stopped|hardly|barely|less|no longer|hasn't been|isn't|hasn't|not been)"
        r" ?(?:really |been |as much )?(?:moving|moved|kicking|kicked|wriggling|active)\b",
        r"\b(?:haven't|have not|hasn't|can't|cannot|can not|couldn't|didn't|did not|not|don't) "
        r"(?:felt|feel|feeling|noticed) (?:the |my |her |any |him |much |as much )?"
        r"(?:baby |bub |little one )?(?:move|moving|movements?|kicks?|kicking|anything)\b",
        r"\b(?:no|fewer|less|reduced|decreased|slower|not many|hardly any) (?:baby )?"
        r"(?:movements?|kicks?|kicking|moving)\b",
        r"\b(?:movements?|kicks?) (?:have |has )?(?:slowed|stopped|reduced|decreased|changed)\b",
        r"\bbaby (?:is |has been |went )?(?:very )?(?:quiet|still)\b",
        r"\b(?:moving|kicking|moves|kicks|movements?|wriggling) (?:a lot |much |a bit )?less\b",
        r"\bless (?:moving|movement|active|kicking)\b",
        r"\b(?:can't|cannot|can not|couldn't|don't|not) feel (?:the |my )?(?:baby|bub|little one)\b",
        r"\b(?:baby|bub|little one|he|she)(?:'s)? (?:stops|stop|stopped|stopping) (?:moving|kicking)\b",
    ]),
    "self_harm": ("emergency", [
        r"\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting) (?:myself|herself)\b",
        r"\bself[- ]?harm\w*", r"\bsuicid\w*", r"\bend (?:my|it) (?:life|all)\b", r"\bend it\b",
        r"\bending (?:it|my life|it all)\b", r"\btake my (?:own )?life\b",
        r"\b(?:want|wants|wanna|wanted|wish|wishes|going) (?:to )?die\b", r"\bwish i (?:was|were) dead\b",
        r"\b(?:don't|do not|dont) want to (?:be here|live|wake up|go on|exist)\b",
        r"\bno (?:point|reason) (?:in )?(?:living|to live|going on|carrying on)\b",
        r"\bbetter off (?:without me|dead)\b", r"\bcan't go on\b", r"\bnot worth living\b",
        r"\bjoin (?:my|our) baby\b", r"\bbe with (?:my|our) baby (?:again|in heaven|now|up there)\b",
        r"\b(?:no|don't see a|don't see any|can't see a|can't see any|see no) (?:reason|point) "
        r"(?:to |in )?(?:go on|going on|live|living|carry on|carrying on)\b",
        r"\bwish i (?:hadn't|had not|didn't|did not|wouldn't) (?:woken|wake|wake up|been born)\b",
        r"\b(?:life|living)(?: is|'s)? (?:not|isn't|is not|no longer) worth (?:living|it)\b",
        r"\bkms\b", r"\bunalive\b", r"\bdisappear forever\b",
    ]),
}

# A target next to one of these words is not about the body (checked in the same sentence).
NOT_A_SYMPTOM = {
    "fluid_leak": r"\b(?:ink|pen|tap|roof|pipe|bottle|car|oil|battery|boiler|ceiling|nappy|diaper|news|"
                  r"gas|info|information|story|photos?|milk)\b",
    "bleeding": r"\b(?:sight of|scared of|afraid of|fear of|phobia of|squeamish about|nose ?bleeds?|"
                r"nose (?:is )?bleeding|gums? (?:are |is )?bleeding|bleeding gums|blood (?:test|tests|group|type|"
                r"taken|drawn|samples?|work|pressure|screening|screen|checks?)|(?:mix|mixing|mixes) (?:my |the |our )?blood|baby's blood|"
                r"blood (?:with|and) the baby|giv(?:e|ing) blood|donat\w* blood|(?:made )?from (?:my |the )?blood|"
                r"blood products?|blood is (?:rh|a|b|o|ab)?[ -]?(?:neg\w*|pos\w*)|(?:into|in|with) (?:my|her|the mother's) blood)",
    "fever": r"\b(?:hay|glandular|scarlet|yellow|dengue|rheumatic|cabin) fever\b",
    "pain": r"\bpain (?:threshold|tolerance|relief|killers?|medication|meds)\b|\bpainkillers?\b",
    "infection": r"\b(?:for (?:an |any |the )?infection|infections? in the baby|check(?:ing)? for|"
                 r"test(?:s|ing|ed)? for|look(?:ing)? for|rule out)",
}

# Where the needle went in, and the signs that it is inflamed.
NEEDLE_SITE = (
    r"\b(?:needle|puncture|injection|insertion|prick|entry|amnio)[- ]?(?:site|spot|point|place|area|"
    r"mark|hole|wound)\b|\bwound\b|\bwhere (?:the |they put the |they stuck the |they inserted the )?"
    r"needle\b|\bneedle (?:went|goes|was)\b"
)
NEEDLE_SITE_SIGNS = (
    r"\b(?:red|redness|reddish|swollen|swelling|ooz\w*|discharge|pus|infected|infection|hot|warm|"
    r"weep\w*|inflamed|puffy|lump|bruised|sore|tender)\b"
)

# --- Severity cues near a target (same sentence, a few tokens either side) -----------
HEAVY_BLEEDING = (
    r"\b(?:heavy|heavily|heavier|lots?|loads?|soak\w*|pour\w*|gush\w*|clots?|clotty|"
    r"a lot|so much|too much|very much|tons?|buckets|non[- ]?stop|won't stop|not stopping|"
    r"keeps coming|running down|dripping|bright red|like a period|like my period|period[- ]like|"
    r"haemorrhag\w*|hemorrhag\w*|pads?)\b"
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
    r"(?:8|9|10) out of 10|sharp and constant)\b"
)

# --- Temperatures ---------------------------------------------------------------------
TEMPERATURE = (
    r"(?<![\d.])(?P<value>\d{2,3}(?:[.,]\d{1,2})?)\s*(?P<unit>°\s*[cf]|degrees?\s*[cf]?|deg\s*[cf]?|c\b|f\b)?"
)
TEMPERATURE_WORDS = r"\b(?:temp\w*|fever\w*|thermometer|degrees?|°|reading)\b"

# --- Context cues (medspaCy ConText rules) ------------------------------------------------
NEGATIONS = [
    "no", "not", "never", "without", "none", "nor", "neither", "haven't", "hasn't", "hadn't",
    "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "havent", "no sign of",
    "no signs of", "free of", "zero", "denies", "nothing like", "no more", "no longer",
]
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
    "nothing since", "none since", "been clear", "clear since",
]
RESOLVED_BOTH_WAYS = ["stopped", "stopping", "finished"]
DISTANT_PAST = [
    "years ago", "year ago", "last year", "previous pregnancy", "last pregnancy", "first pregnancy",
    "other pregnancy", "earlier pregnancy", "pregnancy before", "with my first", "with my son",
    "with my daughter", "with my older", "last time", "my last amnio", "my first amnio",
    "when i was pregnant with", "history of", "in the past", "months ago", "a while ago", "long ago",
    "my previous amnio", "previous amnio", "my other kids", "with my eldest", "years back",
    "year back", "as a teenager", "as a child", "as a kid", "when i was young", "when i was little",
    "when i was a teenager", "when i was a kid", "growing up", "decades ago", "decade ago",
    "last month", "a month ago",
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
    "how much",
]
GENERAL_AFTER_TARGET = r"^\W*(?:risks?|rate|chances?|odds|percentages?)\b"
# A question about symptoms in general: starts like one, uses one of these words, and
# reports nothing of the writer's own ("is fever a known complication of amnio?").
GENERAL_CLAUSE_START = r"^(?:is|are|does|do|how|what|can|could|will|would|why|which|should)\b"
GENERAL_CLAUSE_WORD = (r"\b(?:common|rare|usual|frequent|often|likely|complications?|side[- ]effects?|"
                       r"linked|associated|known|cause[sd]?|make (?:you|your)|lead to|count as|counts as|"
                       r"get infected|show|stop the|prevent|chance|risk|usually|sign|signs|symptoms?|"
                       r"mean|means|happen|happens|a lot|true|feel like|feels like|because of|give|gives|tell if|tell whether|"
                       r"detect|find out|reason|why)\b")
# "is it normal?" after a report asks about *her* symptom: not a general question.
ABOUT_OWN_SYMPTOM = (r"\b(?:is|are) (?:it|this|that|these) (?:normal|ok|okay|serious|bad|dangerous|common|"
                     r"worrying|a problem|something|usual|expected|fine)\b")
OWN_REPORT = r"\b(?:i'm|i am|i've|i have|i've got|i got|she's|she is|she has|my (?:wife|partner|girlfriend) (?:is|has))\b"
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
                      "and this time", "this time"]
WEAK_TERMINATORS = [",", ";", "..."]  # a spaced dash is made a comma by normalise()
# Present-time words: someone else's symptom *now* is reported for the patient.
PRESENT_CUES = r"\b(?:now|today|tonight|currently|right now|at the moment|this (?:morning|evening|afternoon))\b"
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
)
QUESTION_START = r"^(?:does|do|is|are|will|can|could|how|what|why|when|should|would|did|has|have)\b"
