"""Names people give ("my name is Sarah Jones", "I'm Sarah", "im sarah", "this is Priya",
"call me Jo", "Sarah here", "my partner Tom", "Dr Patel", "thanks, Emma x"), found without a
list of names and without touching ordinary words ("I'm scared", "I'm 14 weeks", "I'm Rh
negative", "this is my first pregnancy", "call me back").

A name is only looked for right after (or, for "Sarah here", before) a phrase that
introduces one. Whether the word there is a name is judged by how English text writes it:
spaCy's lookup tables (the spacy-lookups-data package, `en_lexeme_prob`, word frequencies
from a large web corpus) show "Sarah" about 19 times as often as "sarah", and "scared" about
33 times as often as "Scared". So a word whose capitalised form is the more common one is a
name, if the patient capitalised it; typed in lower case ("im sarah") it must be a clear
name (capitalised form at least e times as common). Words that are capitalised without
being names (nationalities, weekdays, medical eponyms such as Down or Edwards) are listed
below, and medical words are never taken for names. After "my name is" the first word is
taken whatever it is.

Misses, by design: names that are also common words ("I'm Grace", "I'm Hope", "im rose"),
and rare names typed in lower case, unless introduced by "my name is" or "I'm called".
"""
from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Dict, Iterator, Optional, Tuple

# log(frequency of "Sarah") - log(frequency of "sarah") needed for a lower-case word.
CLEAR_NAME = 1.0
MAX_NAME_WORDS = 3  # "Sarah Jane Smith"

_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"  # O'Neil, Mary-Jane, Sarah's
_AFTER_CUE = re.compile(rf"[ \t]*(?:[:,\-–][ \t]*|(?<=[ \t]))({_WORD})")
_NEXT_WORD = re.compile(rf"[ \t]+({_WORD})")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)

# After these the next word is the name, whatever it is ("my name is Grace").
GIVEN_CUES = re.compile(
    r"\b(?:(?:my|her|his|their|our|(?:the\s+)?baby'?s|partner'?s|husband'?s|wife'?s)\s+"
    r"name(?:\s+is|'s|’s|s|\s+will\s+be)\b|\bname(?=\s*:)"
    r"|\b(?:i'?m|i’m|im|i\s+am)\s+called\b)",
    re.IGNORECASE)
# After these the next word is a name only if it looks like one ("I'm Sarah", not "I'm scared").
MAYBE_CUES = re.compile(
    r"\b(?:i'?m|i’m|im|i\s+am|this\s+is|calls?\s+me"
    r"|(?:^|(?<=\bhi)|(?<=\bhello)|(?<=\bhey)|(?<=\bhiya))[\s,!.]*(?:it'?s|it’s|its)"
    r"|my\s+(?:partner|husband|hubby|wife|boyfriend|bf|girlfriend|fianc[eé]e?|son|daughter"
    r"|mum|mom|mother|dad|father|sister|brother|friend|midwife|doctor|consultant|gp|nurse"
    r"|sonographer|obstetrician|ob)"
    r"|dr|doctor|mr|mrs|ms|mx|miss|prof|professor|nurse|midwife|sister)\b\.?",
    re.IGNORECASE)
# "Sarah here, ..." at the start of a message (capitals tell nothing there).
NAME_HERE = re.compile(rf"^\W*(?:(?:hi|hello|hey|hiya)\b[\s,!.]*)?({_WORD})[ \t]+here\b",
                       re.IGNORECASE)
# "..., thanks Sarah x" at the end.
SIGN_OFF = re.compile(
    rf"\b(?:thanks|thank\s+you|thankyou|thx|cheers|regards|best\s+wishes|love)"
    rf"[ \t]*[,!.\-–]?[ \t]*({_WORD})(?:[ \t]+({_WORD}))?[ \t]*(?:x+)?[ \t]*[.!]*\s*$",
    re.IGNORECASE)

FUNCTION_WORDS = frozenset("""
a an the and but or so just not is was on in at of to for with also actually really very too
here there what whatever unknown private irrelevant unimportant please however thank oh ah
um uh wow yea agreed unfortunately edit holy
im ive id ill dont doesnt didnt cant couldnt wont wouldnt shouldnt isnt arent wasnt werent
hasnt havent hadnt aint thats whats theres heres hes shes youre theyre lets
""".split())
# Capitalised without being names.
NOT_NAMES = frozenset("""
hi hello hey hiya yes yeah yep nope no ok okay thanks dear
dr doctor mr mrs ms mx miss prof professor nurse midwife sister
monday tuesday wednesday thursday friday saturday sunday january february march july
september october november december christmas easter ramadan eid diwali
north south east west northern southern eastern western
english british scottish welsh irish american canadian australian indian pakistani
bangladeshi african nigerian ghanaian somali chinese japanese korean filipino thai
vietnamese french german spanish italian portuguese brazilian mexican polish romanian
lithuanian latvian bulgarian hungarian czech slovak russian ukrainian turkish kurdish greek
dutch arab arabic persian iranian iraqi afghan syrian jamaican caribbean european asian
latin latina latino hispanic black white
muslim christian catholic protestant jewish hindu sikh buddhist god lord jesus christ
rh rhesus kell anti down downs edwards patau turner turners klinefelter digeorge braxton
hicks apgar doppler caesarean cesarean trisomy harmony panorama nhs covid google
""".split())
# Medical words (and their misspellings' stems) are never names.
MEDICAL = re.compile(
    r"^(?:bleed|blood|clot|fluid|leak|water|fever|temp|pain|cramp|ache|hurt|spot|discharge"
    r"|contract|bab(?:y|ies)|move|kick|amni|needle|week|wk|preg|miscar|scan|test|result"
    r"|risk|infect|sick|vomit|faint|dizz|swell|shiver|numb|heart|labou?r|due)",
    re.IGNORECASE)


@lru_cache(maxsize=1)
def name_scores() -> Dict[str, float]:
    """Lower-case word -> how much more common its capitalised form is (natural log of the
    ratio), for the words whose capitalised form is the more common one. Built once from
    spacy-lookups-data (about a second)."""
    path = resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(str(path)) as handle:
        probabilities: Dict[str, float] = json.load(handle)
    rarest = min(probabilities.values())
    scores = {}
    for word, log_probability in probabilities.items():
        if word.isalpha() and word[0].isupper() and word[1:].islower():
            lower = word.lower()
            score = log_probability - probabilities.get(lower, rarest)
            if score > 0:
                scores[lower] = score
    return scores


def looks_like_name(word: str, capitals_count: bool = True) -> bool:
    """Is this word (after a phrase that introduces a name) a name? A capitalised word
    needs only its capitalised form to be the more common one, unless `capitals_count` is
    off (at the start of a message); otherwise it must be clearly a name."""
    lower = _POSSESSIVE.sub("", word).lower()
    if len(lower) < 2 or lower in NOT_NAMES or lower in FUNCTION_WORDS or MEDICAL.match(lower):
        return False
    score = name_scores().get(max(re.split(r"['’\-]", lower), key=len), 0.0)
    if capitals_count and word[0].isupper() and not word.isupper():
        return score > 0
    return score >= CLEAR_NAME


def _can_be_given_name(word: str) -> bool:
    lower = _POSSESSIVE.sub("", word).lower()
    return not (lower in FUNCTION_WORDS or lower in NOT_NAMES or MEDICAL.match(lower))


def _name_end(start: int, word: str) -> int:
    return start + len(_POSSESSIVE.sub("", word))


def _name_from(text: str, position: int, given: bool) -> Optional[Tuple[int, int]]:
    """The name (up to three words) right after a cue that ends at `position`; a
    possessive ends it ("Sarah's partner": Sarah)."""
    first = _AFTER_CUE.match(text, position)
    if first is None:
        return None
    word = first.group(1)
    if not (_can_be_given_name(word) if given else looks_like_name(word)):
        return None
    start = first.start(1)
    end = _name_end(start, word)
    for _ in range(MAX_NAME_WORDS - 1):
        if _POSSESSIVE.search(word):
            break
        following = _NEXT_WORD.match(text, end)
        if following is None or not looks_like_name(following.group(1)):
            break
        word = following.group(1)
        end = _name_end(following.start(1), word)
    return start, end


def find_names(text: str) -> Iterator[Tuple[int, int]]:
    """(start, end) of each name given in the text."""
    for cues, given in ((GIVEN_CUES, True), (MAYBE_CUES, False)):
        for cue in cues.finditer(text):
            span = _name_from(text, cue.end(), given)
            if span is not None:
                yield span
    here = NAME_HERE.match(text)
    if here and looks_like_name(here.group(1), capitals_count=False):
        yield here.start(1), _name_end(here.start(1), here.group(1))
    sign_off = SIGN_OFF.search(text)
    if sign_off and looks_like_name(sign_off.group(1)):
        end = sign_off.end(1)
        if sign_off.group(2) and looks_like_name(sign_off.group(2)):
            end = sign_off.end(2)
        yield sign_off.start(1), end
