"""Text clean-up before matching: case, apostrophes, text-speak and misspelt symptom words."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Set

# Misspellings and chat forms that edit distance alone would not fix safely.
REWRITES = {
    "im": "i'm", "ive": "i've", "cant": "can't", "dont": "don't", "didnt": "didn't",
    "havent": "haven't", "hasnt": "hasn't", "isnt": "isn't", "wont": "won't",
    "doesnt": "doesn't", "arent": "aren't", "shes": "she's", "hes": "he's",
    "u": "you", "ur": "your", "cn": "can", "tlk": "talk", "sum1": "someone", "some1": "someone", "r": "are", "pls": "please", "plz": "please",
    "hrs": "hours", "hr": "hour", "mins": "minutes", "wks": "weeks", "wk": "week",
    "alot": "a lot", "abit": "a bit", "gf": "girlfriend", "bf": "boyfriend",
    "bleedin": "bleeding", "bledding": "bleeding", "bleding": "bleeding", "blled": "bled",
    "cramp'n": "cramping", "crampin": "cramping", "feaver": "fever", "fevar": "fever",
    "fevr": "fever", "temprature": "temperature", "tempreture": "temperature",
    "temperture": "temperature", "contractons": "contractions", "dizy": "dizzy",
    "feint": "faint", "feinted": "fainted", "waterss": "waters",
    "blood's": "blood is", "leakin": "leaking", "shiverin": "shivering",
    "tummy's": "tummy is", "belly's": "belly is", "suicidel": "suicidal",
    "brokeee": "broke", "brokee": "broke", "bby": "baby", "babys": "baby's", "movin": "moving",
    "kickin": "kicking", "needel": "needle", "neddle": "needle", "lite": "light", "n": "and",
    "swolen": "swollen", "wen": "when", "wat": "what", "bleedin'": "bleeding",
    "hav": "have", "fele": "feel", "feal": "feel", "hihg": "high", "hgih": "high", "sumthin": "something",
    "summat": "something", "stomache": "stomach ache", "stomachache": "stomach ache", "tummyache": "tummy ache",
    "bellyache": "belly ache",
    "backache": "back ache",
    # question words and pronouns typed without the apostrophe ("whats the difference", "theyre gone")
    "whats": "what's", "thats": "that's", "theres": "there's", "theyre": "they're", "theyve": "they've",
    "youre": "you're", "wasnt": "wasn't", "werent": "weren't", "couldnt": "couldn't", "wouldnt": "wouldn't",
    "shouldnt": "shouldn't", "hadnt": "hadn't", "aint": "ain't", "hows": "how's", "wheres": "where's",
    "whos": "who's", "everythings": "everything's", "nothings": "nothing's",
}

# Words a misspelling may be corrected to (by one edit), and only when the typed
# word is not itself an English word.
SYMPTOM_WORDS = (
    "bleeding bleed bleeds blood bloody spotting spotted cramps cramping crampy cramp "
    "fever feverish temperature chills shivering shaking leaking leak leaked gushing gush "
    "trickle fluid waters contractions contraction pain painful agony severe faint fainted "
    "fainting dizzy dizziness collapsed discharge swollen swelling redness oozing infected "
    "moving movements kicking kicks suicidal heavy clots period needle puncture chattering "
    "passed lightheaded vagina stomach wriggling stronger tablets little slight slightly"
).split()

# Log-probability above which a word of spaCy's table is an ordinary English word
# ("never" -7.1, "fewer" -11.1) rather than a misspelling ("bleading" -18.9).
COMMON_WORD_LOGPROB = -15.0

_TOKEN = re.compile(r"[a-z']+|[^a-z'\s]+|\s+")


@lru_cache(maxsize=1)
def english_words() -> Set[str]:
    """English words from spacy-lookups-data: the lemma table's forms and lemmas, and
    the words of the probability table common enough not to be misspellings."""
    from pathlib import Path

    import spacy_lookups_data
    import srsly

    folder = Path(spacy_lookups_data.__file__).parent / "data"
    lemmas = srsly.read_gzip_json(folder / "en_lemma_lookup.json.gz")
    words = {w.lower() for w in lemmas.keys()} | {w.lower() for w in lemmas.values()}
    probabilities = srsly.read_gzip_json(folder / "en_lexeme_prob.json.gz")
    words.update(w.lower() for w, logprob in probabilities.items() if logprob > COMMON_WORD_LOGPROB)
    return words


def _within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    if la > lb:
        a, b = b, a
    i = j = 0
    skipped = False
    while i < len(a) and j < len(b):
        if a[i] != b[j]:
            if skipped:
                return False
            skipped = True
            j += 1
        else:
            i += 1
            j += 1
    return True


def correct_word(word: str, vocabulary: Iterable[str] = SYMPTOM_WORDS) -> str:
    if word in REWRITES:
        return REWRITES[word]
    if len(word) < 5 or word in english_words():
        return word
    if word.endswith("in"):  # a dropped g: "leekin" -> "leeking" -> "leaking", "mornin" -> "morning"
        with_g = word + "g"
        if with_g in english_words():
            return with_g
        corrected = correct_word(with_g, vocabulary)
        if corrected != with_g:
            return corrected
    squeezed = re.sub(r"(.)\1{2,}", r"\1", word)  # "bleeeding" -> "bleding"
    for candidate in vocabulary:
        if _within_one_edit(word, candidate) or _within_one_edit(squeezed, candidate):
            return candidate
    return word


# Numbers written in words, as in a temperature read out: "thirty eight", "ninety nine point
# five", "a hundred and one", "37 point 8". Only tens (with or without a unit), hundreds and
# "point" are rewritten, so "one", "two" and "little one" stay words.
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_DIGITS = dict(_UNITS, zero=0, oh=0, nought=0)
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_TENS_RX = "|".join(_TENS)
_UNITS_RX = "|".join(_UNITS)
_DIGIT_RX = r"\d|" + "|".join(_DIGITS)
_NUMBER_WORDS = re.compile(
    rf"\b(?:(?P<hundred>(?:a |one )?hundred)(?:(?: and)? (?:(?P<h_tens>{_TENS_RX})(?:[- ](?P<h_units>{_UNITS_RX}))?"
    rf"|(?P<h_unit>{_UNITS_RX})))?|(?P<tens>{_TENS_RX})(?:[- ](?P<units>{_UNITS_RX}))?)\b"
)
_POINT = re.compile(rf"\b(?P<whole>\d{{1,3}}) point (?P<first>{_DIGIT_RX})(?: (?P<second>{_DIGIT_RX}))?\b")


def _number_value(match) -> str:
    group = match.groupdict()
    if group["hundred"]:
        value = 100 + _TENS.get(group["h_tens"] or "", 0) + _UNITS.get(group["h_units"] or "", 0) \
            + _UNITS.get(group["h_unit"] or "", 0)
    else:
        value = _TENS[group["tens"]] + _UNITS.get(group["units"] or "", 0)
    return str(value)


def _digit(word: str) -> str:
    return word if word.isdigit() else str(_DIGITS[word])


def _point_value(match) -> str:
    decimals = _digit(match.group("first")) + (_digit(match.group("second")) if match.group("second") else "")
    return f"{match.group('whole')}.{decimals}"


def numbers_in_words(text: str) -> str:
    """"thirty eight and a bit" -> "38 and a bit", "ninety nine point five f" -> "99.5 f"."""
    if "ty" in text or "hundred" in text:
        text = _NUMBER_WORDS.sub(_number_value, text)
    if " point " in text:
        text = _POINT.sub(_point_value, text)
    return text


def normalise(text: str) -> str:
    """Lower-case, straight apostrophes, collapsed spaces, corrected symptom words, numbers
    written in words as digits."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r" [-\u2013\u2014]+ ", ", ", text)  # "no pain - bleeding a lot": a clause break
    # text speak with digits: "sum1", "talk 2 a nurse" (only after a verb, so "2 days" stays)
    text = re.sub(r"\b(?:sum|some)1\b", "someone", text)
    text = re.sub(r"\b(talk|tlk|speak|chat|talking|speaking|chatting|listen|through) 2\b", r"\1 to", text)
    text = "".join(correct_word(piece) if piece[:1].isalpha() else piece
                   for piece in _TOKEN.findall(text))
    return numbers_in_words(text)
