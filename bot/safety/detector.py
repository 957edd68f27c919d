"""The red-flag detector: decides from the text alone whether a message must escalate.

Steps: normalise the text (case, typos) -> spaCy (blank English, sentences, lookup
lemmas) -> symptom targets (regexes and lemma patterns) -> medspaCy ConText marks
negated, resolved, distant-past, other-person, general and hypothetical mentions ->
post-rules for what ConText cannot see (pronoun "they stopped", "is X common",
pain-class mentions that are questions, severity cues, temperatures).
Policy and examples: docs/triage-policy.md.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import threading
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

from bot.safety import patterns as P
from bot.safety.normalise import normalise

logger = logging.getLogger(__name__)

SEVERITY_RANK = {None: 0, "urgent": 1, "emergency": 2}
PAIN_CLASS = {"pain", "cramps"}
CONTEXT_ATTRIBUTES = {
    "NEGATED_EXISTENCE": "is_negated",
    "RESOLVED": "is_resolved",
    "DISTANT_PAST": "is_distant_past",
    "OTHER_PERSON": "is_other_person",
    "GENERAL": "is_general",
    "HYPOTHETICAL": "is_hypothetical",
    "PARTNER": "is_partner",
}
# Lemmas that name a symptom whatever their inflection (spaCy lookup lemmatizer).
LEMMA_TARGETS = {
    "bleed": "bleeding", "haemorrhage": "bleeding", "hemorrhage": "bleeding", "leak": "fluid_leak",
    "gush": "fluid_leak", "trickle": "fluid_leak", "faint": "fainting", "collapse": "fainting",
    "cramp": "cramps", "shiver": "chills", "contraction": "contractions",
}


def rules_version() -> str:
    """Changes whenever the detector's code or patterns change (for Rasa's cache)."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("detector.py", "patterns.py", "normalise.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Finding:
    code: str
    severity: str
    text: str
    status: str = "present"  # present | negated | resolved | distant_past | other_person | general | asked
    hypothetical: bool = False
    reported_by_partner: bool = False

    @property
    def counts(self) -> bool:
        return self.status == "present"


@dataclass
class Detection:
    findings: List[Finding] = field(default_factory=list)

    @property
    def present(self) -> List[Finding]:
        return [f for f in self.findings if f.counts]

    @property
    def escalate(self) -> bool:
        return bool(self.present)

    @property
    def severity(self) -> Optional[str]:
        best = None
        for finding in self.present:
            if SEVERITY_RANK[finding.severity] > SEVERITY_RANK[best]:
                best = finding.severity
        return best

    @property
    def is_crisis(self) -> bool:
        return any(f.code == "self_harm" for f in self.present)

    @property
    def symptoms(self) -> List[str]:
        return sorted({f.code for f in self.present})

    def as_dict(self) -> Dict:
        return {
            "escalate": self.escalate, "severity": self.severity, "crisis": self.is_crisis,
            "symptoms": self.symptoms, "findings": [asdict(f) for f in self.findings],
        }


@lru_cache(maxsize=64)
def _reported_after(later_text: str) -> bool:
    """Her own report in the sentences after a question: "how long does cramping normally last?
    it's been 6 hours" (searched once per sentence, not once per symptom)."""
    return bool(re.search(P.OWN_REPORT_AFTER, later_text))


def _phrase_rule(literal: str, category: str, direction: str, **kwargs):
    from medspacy.context import ConTextRule

    return ConTextRule(literal, category, direction=direction, **kwargs)


class RedFlagDetector:
    """Build once (about a second), then call `detect(text)` (a few ms)."""

    def __init__(self) -> None:
        logging.getLogger("medspacy").setLevel(logging.WARNING)
        logging.getLogger("PyRuSH").setLevel(logging.WARNING)
        import spacy
        from medspacy.context import ConText
        from spacy.matcher import Matcher
        from spacy.tokens import Span

        for attribute in CONTEXT_ATTRIBUTES.values():
            if not Span.has_extension(attribute):
                Span.set_extension(attribute, default=False)
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("sentencizer")
        self.nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        self.nlp.initialize()
        self.lemma_matcher = Matcher(self.nlp.vocab)
        self.lemma_matcher.add("SYMPTOM_LEMMA", [[{"LEMMA": {"IN": sorted(LEMMA_TARGETS)}}]])
        self.context = ConText(
            self.nlp, rules=None, input_span_type="group", span_group_name="red_flags",
            span_attrs={cat: {attr: True} for cat, attr in CONTEXT_ATTRIBUTES.items()},
            prune_on_modifier_overlap=True, prune_on_target_overlap=True,
            terminating_types={category: ["WEAK_CONJ"] for category in (
                "NEGATED_EXISTENCE", "RESOLVED", "HYPOTHETICAL", "GENERAL", "PARTNER")},
        )
        self.context.add(self._context_rules())
        self._targets = {
            code: (severity, [re.compile(rx) for rx in regexes])
            for code, (severity, regexes) in P.TARGET_REGEXES.items()
        }
        self._lock = threading.Lock()

    @staticmethod
    def _context_rules():
        rules = []
        rules += [_phrase_rule(w, "NEGATED_EXISTENCE", "FORWARD", max_scope=6) for w in P.NEGATIONS]
        rules += [_phrase_rule(w, "NEGATED_EXISTENCE", "FORWARD", max_scope=1) for w in P.NEGATIONS_ADJACENT]
        rules += [_phrase_rule(w, "NEGATION_PSEUDO", "PSEUDO") for w in P.NEGATION_PSEUDO]
        rules += [_phrase_rule(w, "RESOLVED", "BACKWARD", max_scope=10) for w in P.RESOLVED_BACKWARD]
        rules += [_phrase_rule(w, "RESOLVED", "BIDIRECTIONAL", max_scope=5)
                  for w in P.RESOLVED_BOTH_WAYS]
        rules += [_phrase_rule(w, "RESOLVED", "FORWARD", max_scope=6) for w in P.RESOLVED_FORWARD]
        rules += [_phrase_rule(w, "RESOLVED_PSEUDO", "PSEUDO") for w in P.RESOLVED_PSEUDO]
        rules += [_phrase_rule(w, "DISTANT_PAST", "BIDIRECTIONAL") for w in P.DISTANT_PAST]
        rules += [_phrase_rule(w, "DISTANT_PAST", "FORWARD", max_scope=10) for w in P.DISTANT_PAST_FORWARD]
        last_year = dt.date.today().year - 1
        past_years = [str(y) for y in range(1950, last_year + 1)]
        rules.append(_phrase_rule("<a past year>", "DISTANT_PAST", "BIDIRECTIONAL",
                                  pattern=[{"TEXT": {"IN": past_years}}]))
        rules += [_phrase_rule(w, "OTHER_PERSON", "BIDIRECTIONAL") for w in P.OTHER_PEOPLE]
        rules += [_phrase_rule(w, "GENERAL", "FORWARD") for w in P.GENERAL_FORWARD]
        rules += [_phrase_rule(w, "HYPOTHETICAL", "FORWARD") for w in P.HYPOTHETICAL]
        rules += [_phrase_rule(w, "PARTNER", "BIDIRECTIONAL") for w in P.PARTNER]
        # A terminator's scope must be small: medspaCy 1.3's tuple_overlaps() misses a
        # scope that contains another, so a sentence-wide terminator would cut nothing.
        rules += [_phrase_rule(w, "CONJ", "TERMINATE", max_scope=1) for w in P.STRONG_TERMINATORS]
        # Commas end a negation ("no pain, bleeding a lot") but not "years ago" or
        # "my sister": a category of its own that only some categories stop at.
        rules += [_phrase_rule(w, "WEAK_CONJ", "FORWARD", max_scope=1) for w in P.WEAK_TERMINATORS]
        return rules

    # -- targets --------------------------------------------------------------------
    @staticmethod
    def _add_target(doc, spans, severities, start: int, end: int, code: str, severity: str):
        span = doc.char_span(start, end, label=code, alignment_mode="expand")
        if span is None or (span.start, span.end, code) in severities:
            return
        spans.append(span)
        severities[(span.start, span.end, code)] = severity

    def _find_targets(self, doc):
        """Symptom spans, and the base severity of each (keyed by start, end, code)."""
        text = doc.text
        spans: list = []
        severities: Dict = {}
        for code, (severity, regexes) in self._targets.items():
            for regex in regexes:
                for match in regex.finditer(text):
                    self._add_target(doc, spans, severities, match.start(), match.end(), code, severity)
        for sentence in doc.sents:
            sent_text = sentence.text
            if re.search(P.NEEDLE_SITE, sent_text):
                for match in re.finditer(P.NEEDLE_SITE_SIGNS, sent_text):
                    start = sentence.start_char + match.start()
                    self._add_target(doc, spans, severities, start, start + len(match.group()),
                                     "needle_site", "urgent")
        for _, start, end in self.lemma_matcher(doc):
            token = doc[start]
            code = LEMMA_TARGETS[token.lemma_]
            self._add_target(doc, spans, severities, token.idx, token.idx + len(token), code,
                             P.TARGET_REGEXES[code][0])
        for match in re.finditer(P.TEMPERATURE, text):
            found = self._temperature(text, match)
            if found:
                self._add_target(doc, spans, severities, match.start(), match.end(), "fever", found)
        cache: Dict = {}
        spans = [s for s in spans if not self._not_a_symptom(s, cache)]
        # A needle-site sign explains "infected"/"sore" there: keep the urgent reading.
        site = [s for s in spans if s.label_ == "needle_site"]
        spans = [s for s in spans if not (
            s.label_ in {"infection", "pain", "discharge", "bleeding"}
            and any(t.start <= s.start < t.end or s.start <= t.start < s.end for t in site))]
        return spans, severities

    @staticmethod
    def _sentence_matches(sentence, key: str, regex: str, cache: Dict) -> list:
        """(start, end) character offsets in the document of a regex's matches in a sentence,
        found once per sentence."""
        if (sentence.start, key) not in cache:
            cache[(sentence.start, key)] = [
                (sentence.start_char + m.start(), sentence.start_char + m.end())
                for m in re.finditer(regex, sentence.text)]
        return cache[(sentence.start, key)]

    def _not_a_symptom(self, span, cache: Dict) -> bool:
        """"hay fever", "blood test", "pen leaked": judged on the words right around it;
        "my gums bleed when I brush": on a phrase of the sentence that holds it."""
        if re.search(P.ALWAYS_A_SYMPTOM, span.text):
            return False
        sentence = span.sent
        around = P.NOT_A_SYMPTOM_AROUND.get(span.label_)
        if around and not self._sentence_matches(sentence, "vaginal", P.VAGINAL_CONTEXT, cache):
            if any(start <= span.start_char and span.end_char <= end
                   for start, end in self._sentence_matches(sentence, span.label_, around, cache)):
                return True
        if (span.label_ == "pain" and not self._sentence_matches(sentence, "severe", P.SEVERE_PAIN, cache)
                and any(start <= span.start_char < end
                        for start, end in self._sentence_matches(sentence, "ache", P.EXPLAINED_ACHE, cache))):
            return True
        rule = P.NOT_A_SYMPTOM.get(span.label_)
        if rule is None:
            return False
        near = span.doc[max(sentence.start, span.start - 3):min(sentence.end, span.end + 3)].text
        return bool(re.search(rule, near))

    @staticmethod
    def _temperature(text: str, match) -> Optional[str]:
        """Severity of a temperature reading, or None when the number is not one."""
        value = float(match.group("value").replace(",", "."))
        # "37 and a bit" after a whole number of degrees: a reading with a decimal part
        plus_reading = bool(match.group("plus")) and value.is_integer() and 35 <= value <= 42
        if match.group("plus"):  # "thirty eight and a bit": above the number, read as half a degree more
            value += 0.5
        unit = (match.group("unit") or "").replace(" ", "").replace("°", "")
        after = text[match.end():match.end() + 12]
        if re.match(r"\s*(?:\+|weeks?|wks?|w\b|days?|months?|years?|yrs?|mins?|minutes|hours?|hrs?|%|kg|lbs?|ml|"
                    r"mm|cm|/|"
                    r"pounds?\b|quid\b|dollars?\b|euros?\b|bucks\b|grand\b|fm\b|am\b|pm\b|percent|per cent|"
                    r"times\b|x\b|people\b|calories\b|steps\b|met(?:re|er)s\b|miles\b|km\b)",
                    after):
            return None
        window = text[max(0, match.start() - 40):match.end() + 25]
        # an age, not a reading: "I'm 38 and a half, is amnio recommended?" (unless a
        # temperature is named: "I'm 38 and a half on the thermometer")
        if (plus_reading and re.search(P.AGE_BEFORE, text[max(0, match.start() - 12):match.start()])
                and not re.search(P.TEMPERATURE_WORDS, window)):
            return None
        # the weather or a room, not her: "it's 38 degrees outside today" (same clause only)
        clause_break = r"[.?!;,]| but | and "
        near = (re.split(clause_break, text[max(0, match.start() - 30):match.start()])[-1] + " "
                + re.split(clause_break, text[match.end():match.end() + 30])[0])
        if re.search(P.WEATHER, near) and not re.search(P.BODY_READING, near):
            return None
        # "it's 100 F in Phoenix today": the weather, unless the sentence speaks of a reading
        sentence = re.split(r"[.?!]", text[:match.start()])[-1] + re.split(r"[.?!]", text[match.end():])[0]
        if (match.group("unit") and re.search(P.WEATHER_BEFORE, text[max(0, match.start() - 20):match.start()])
                and re.match(P.WEATHER_AFTER, text[match.end():])
                and not re.search(P.BODY_READING + r"|" + P.MEASURED, sentence)):
            return None
        unit_letter = unit[-1] if unit and unit[-1] in "cf" else ""
        # a number she measured: "38 this morning, took it twice"
        measured = re.search(P.TEMPERATURE_WORDS, window) or re.search(P.MEASURING_CUE, sentence)
        if not unit_letter and not measured:
            decimal = re.search(r"[.,](\d+)$", match.group("value"))
            if not ((plus_reading or (decimal and (35 <= value <= 42.5
                                                   or (96 <= value <= 106 and len(decimal.group(1)) == 1))))
                    and not re.search(r"[£$€]\s*$", text[max(0, match.start() - 2):match.start()])):
                return None
        if unit_letter == "f" or (not unit_letter and 95 <= value <= 110):
            if value >= 100.4:
                return "emergency"
            if value >= 99.5:
                return "urgent"
            return None
        if 35 <= value <= 43:
            if value >= 38.0:
                return "emergency"
            if value >= 37.5:
                return "urgent"
        return None

    # -- severity and post-rules -------------------------------------------------------
    def _severity(self, span, code: str, base: str) -> str:
        sentence = span.sent
        left = sentence.doc[max(sentence.start, span.start - 5):span.start].text
        right = sentence.doc[span.end:min(sentence.end, span.end + 6)].text
        # Cues belong to their own symptom: "a little spotting and a fever" is not a little fever.
        left = re.split(r"\b(?:and|with|or|plus)\b|[,;]", left)[-1]
        right = re.split(r"\b(?:and|with|or|plus)\b|[,;]", right)[0]
        window = f"{left} {span.text} {right}"
        if code in {"bleeding", "spotting"}:
            if re.search(P.HEAVY_BLEEDING, window):
                return "emergency"
            if code == "spotting" or re.search(P.LIGHT_BLEEDING, window):
                return "urgent"
            return "emergency"
        if code == "fever" and span.text.strip()[:1].isalpha():  # a reading's severity is its value
            if re.search(r"\bhigh\b", window):
                return "emergency"
            return "urgent" if re.search(P.MILD_FEVER, window) else "emergency"
        if code in PAIN_CLASS:
            # worse or severe in its sentence, or later in the message ("how long do cramps
            # last? mine have been going since 6am and getting worse")
            later = span.doc.text[span.start_char:]
            return ("emergency" if re.search(P.SEVERE_PAIN, sentence.text) or re.search(P.SEVERE_PAIN, later)
                    else "urgent")
        return base

    @staticmethod
    def _is_question(sentence_text: str) -> bool:
        stripped = sentence_text.strip()
        return stripped.endswith("?") or bool(re.match(P.QUESTION_START, stripped))

    def _status(self, span, code: str, spans: list) -> str:
        sentence = span.sent
        sent_text = sentence.text.strip()
        if span._.is_negated and not (code == "reduced_movements" and not self._negated_nearby(span)):
            return "negated"
        revived = self._revived(span)
        if (span._.is_resolved or self._pronoun_resolved(span, spans) or self._directly_resolved(span)) \
                and not revived:
            return "resolved"
        if span._.is_distant_past and not revived:
            return "distant_past"
        if (span._.is_other_person and not re.search(P.PRESENT_CUES, sent_text)
                and re.search(P.PAST_TENSE_CUES + r"|\b(?:women|people|others)\b", sent_text)
                and not self._own_subject(span) and not self._others_after_are_bystanders(span)):
            return "other_person"
        if code == "reduced_movements" and self._movements_back(span):
            return "resolved"
        if re.search(P.READ_ABOUT_BEFORE, sentence.doc[sentence.start:span.start].text.lower() + " "):
            return "general"
        own_report = re.search(P.OWN_REPORT, sent_text) or _reported_after(span.doc.text[sentence.end_char:])
        if re.match(P.GENERIC_PERSON_QUESTION, sent_text) and not own_report:
            return "general"
        if span._.is_general and not span._.is_hypothetical and not own_report:
            return "general"
        after = sentence.doc[span.end:sentence.end].text
        if re.match(P.GENERAL_AFTER_TARGET, after):
            return "general"
        if (re.match(P.GENERAL_CLAUSE_START, sent_text) and not span._.is_hypothetical
                and re.search(P.GENERAL_CLAUSE_WORD, sent_text)
                and not own_report and not re.search(P.ABOUT_OWN_SYMPTOM, sent_text)):
            return "general"
        if code == "pain" and not self._pain_reported(span, sent_text):
            return "asked"
        return "present"

    @staticmethod
    def _directly_resolved(span) -> bool:
        """"Cramps gone, spotting gone, temp normal": the symptom, then at once that it is over."""
        after = span.doc.text[span.end_char:span.end_char + 40]
        return bool(re.match(P.DIRECTLY_RESOLVED, after))

    @staticmethod
    def _own_subject(span) -> bool:
        """The clause right before the symptom is the writer's own and names nobody else
        ("I'm leaking and my friend says ...", "my waters went and my friend is driving me")."""
        before = span.doc[max(span.sent.start, span.start - 4):span.start].text
        before = re.split(r"\b(?:and|but|so|because|or)\b|[,;]", before)[-1]
        words = before.split()
        if not words or not re.search(P.OWN_SUBJECT, before):
            return False
        if re.search(P.NOT_OWN_SUBJECT, before):
            return False
        return not any(re.search(r"\b" + re.escape(who) + r"\b", before) for who in P.OTHER_PEOPLE)

    @staticmethod
    def _others_after_are_bystanders(span) -> bool:
        """Everyone else named in the sentence comes after her symptom, as a bystander or with
        an opinion: "my undies were soaked ..., my sister says it's sweat", "came round on the
        floor with people staring at me"."""
        sentence = span.sent
        before = sentence.doc[sentence.start:span.start].text
        if any(re.search(r"\b" + re.escape(who) + r"\b", before) for who in P.OTHER_PEOPLE):
            return False
        after = sentence.doc[span.end:sentence.end].text
        found = False
        for who in P.OTHER_PEOPLE:
            for match in re.finditer(r"\b" + re.escape(who) + r"\b", after):
                found = True
                if not (re.match(P.BYSTANDER_AFTER, after[match.end():])
                        or re.search(P.BYSTANDER_BEFORE, after[:match.start()])):
                    return False
        return found

    @staticmethod
    def _movements_back(span) -> bool:
        """The baby moving normally again later in the sentence: "quiet for a bit this morning
        but she's been kicking like mad since lunch"."""
        after = span.doc[span.end:span.sent.end].text
        for match in re.finditer(P.MOVEMENTS_BACK, after):
            lead = after[max(0, match.start() - 12):match.end() + 12]
            if not re.search(P.MOVEMENTS_BACK_NOT, lead):
                return True
        return False

    @staticmethod
    def _revived(span) -> bool:
        """A past or resolved mention that is back now: "... and I've got one again right now"."""
        after = span.doc[span.end:span.sent.end].text
        match = re.search(P.REVIVED, after)
        if not match:
            return False
        lead = after[max(0, match.start() - 25):match.end() + 2]
        return not (re.search(P.REVIVED_NOT, lead) or re.search(P.REVIVED_PAST, after[match.end():]))

    @staticmethod
    def _negated_nearby(span) -> bool:
        before = span.doc[max(span.sent.start, span.start - 2):span.start].text
        return bool(re.search(r"\b(?:no|not|never|without)\b", before))

    @staticmethod
    def _pronoun_resolved(span, spans) -> bool:
        """"cramps last week but they stopped": ConText's scope stops at "but"."""
        sentence = span.sent
        after = span.doc[span.end:sentence.end].text
        match = re.search(
            r"\b(?:they|it|both|that|which|these|those|all)(?:'s|'re| have| has| had| are| is| was)?"
            r" (?:all |completely |totally |fully |now |since )?(?:stopped|gone(?! (?:yellow|green|brown|red|"
            r"dark\w*|heav\w*|worse|up|hard|bad|smelly))|went away|cleared up|settled|eased|passed|resolved|"
            r"disappeared|healed|fine|better|faded|long gone|subsided|died down|gone down)"
            r"|\b(?:it's|it has|it is|they've|they have) been (?:clear|fine|ok|okay|dry|normal|good)\b"
            r"|\b(?:all |been )?(?:fine|clear|dry) (?:ever |every day |each day )?since\b"
            r"|\b(?:nothing|none|no more) since\b"
            r"|(?<!n't )(?<!not )(?<!never )\b(?:been|now|is|are|all|totally|completely|fully|it's|they're|"
            r"everything's) back to normal\b(?! (?:soon|yet|by|when|if)\b)"
            r"|\b(?:that's|that is|it's|it is|they're|they are|all) (?:long |well |all |now )?behind me\b"
            r"|\b(?:i'm|i am|she's|she is|i feel|i've been|i have been) (?:fine|ok|okay|better|good|well)"
            r"(?: now| since| again)\b", after)
        if not match:
            return False
        # someone's opinion, not a change: "bleeding heavily and my mum reckons it's fine"
        if re.search(P.OPINION_BEFORE, after[max(0, match.start() - 25):match.start()]):
            return False
        # another symptom between the mention and "it stopped" takes the pronoun, unless it
        # is the same one ("had a temp of 37.8 but it's been normal")
        later = [s for s in spans if s.start >= span.end and s.end <= sentence.end
                 and s.start_char < span.end_char + 1 + match.start() and s.label_ != span.label_]
        return not later

    def _pain_reported(self, span, sent_text: str) -> bool:
        """Pain is a red flag when reported or imagined for herself, not when asked about
        ("does it hurt?")."""
        before = span.doc[span.sent.start:span.start].text
        severe = bool(re.search(P.SEVERE_PAIN, sent_text))
        return (span._.is_hypothetical
                or (severe and (bool(re.search(P.IF_BEFORE, before)) or not self._is_question(sent_text)))
                or bool(re.search(P.PAIN_REPORT, re.sub(P.NOT_A_SYMPTOM["pain"], " ", sent_text)))
                or _reported_after(span.doc.text[span.sent.end_char:]))

    def detect(self, text: str) -> Detection:
        if not text or not text.strip():
            return Detection()
        clean = normalise(text[:5000])
        with self._lock:  # spaCy docs and the ConText matcher are not shared across threads
            doc = self.nlp(clean)
            spans, severities = self._find_targets(doc)
            doc.spans["red_flags"] = spans
            self.context(doc)
            findings = []
            for span in doc.spans["red_flags"]:
                code = span.label_
                severity = self._severity(span, code, severities[(span.start, span.end, code)])
                findings.append(Finding(
                    code=code, severity=severity, text=span.text,
                    status=self._status(span, code, spans),
                    hypothetical=bool(span._.is_hypothetical),
                    reported_by_partner=bool(span._.is_partner),
                ))
        return Detection(findings)


_detector: Optional[RedFlagDetector] = None
_detector_lock = threading.Lock()


def get_detector() -> RedFlagDetector:
    """The process-wide detector, built on first use."""
    global _detector
    with _detector_lock:
        if _detector is None:
            _detector = RedFlagDetector()
        return _detector
