"""The checks a curated answer must pass before a clinic can sign it off.

Run by the test suite (tests/unit/test_answer_signoff.py) and by `python -m bot.cli
check-answers`. Every answer is checked as a patient would read it: rendered with the
clinic's settings, in every jurisdiction it serves.

- every topic of the reply contract has an answer, in every jurisdiction;
- every answer has sources (title and url), a reviewer, a version, and a review date
  that has not passed;
- it reads at US grade 8 or below (textstat's Flesch-Kincaid grade);
- it never promises safety ("no risk", "100% safe", ...);
- it uses its jurisdiction's words (no "paracetamol" or "In the UK" for a US clinic);
- miscarriage-risk figures agree: a figure stated about the procedure's miscarriage risk
  (for one baby, for twins, or before 15 weeks) must be one the topic's own answer states,
  in the same jurisdiction. Two answers giving different figures fail.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Set, Tuple

from bot.answers_yaml import AnswerSpec, jurisdictions
from bot.clinic import ClinicConfig
from bot.topics import TOPICS

MAX_GRADE = 8.0
FORBIDDEN = ("no risk", "100% safe", "completely safe", "totally safe", "perfectly safe",
             "risk-free", "risk free", "zero risk", "guaranteed safe", "nothing can go wrong")

# Words that belong to the other jurisdiction's wording (data/jurisdictions.yml has the
# right ones as placeholders): a US patient should not read "paracetamol" or "In the UK".
FOREIGN_TERMS = {
    "US": ("paracetamol", "anti-d injection", "in the uk", "nhs ", "a&e", "999"),
    "UK": ("acetaminophen", "tylenol", "rhogam", "°f", "in the us", "911", "counselor"),
}
# "0.5%", "0.1% to 0.3%" (both figures), "1 in 200", "1 in every 1,000", "1 to 3 in 1,000"
PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:%|per ?cent)", re.IGNORECASE)
ONE_IN = re.compile(r"\b(\d+(?:\s+to\s+\d+)?)\s+in\s+(?:every\s+)?(\d{1,3}(?:,\d{3})*|\d+)\b",
                    re.IGNORECASE)
MISCARRIAGE = re.compile(r"miscarr|pregnancy loss|\blosses\b|losing the (?:baby|pregnancy)|"
                         r"extra risk|risk caused by the test", re.IGNORECASE)
# A figure about another outcome ("fluid leaks after 1 to 2% of tests", "club foot in 1.1%").
OTHER_OUTCOME = re.compile(r"leak|infection|injur|club foot|foot problem|sensitis|repeat",
                           re.IGNORECASE)
TWINS = re.compile(r"\btwin", re.IGNORECASE)
EARLY = re.compile(r"before 15|(?:at|from) 1[1-4] (?:to|and) 1[1-4] weeks|\bearly\b", re.IGNORECASE)
# The answer whose figures are the reference for each context.
REFERENCE_TOPIC = {"procedure": "miscarriage_risk", "twins": "twins", "early": "early_amnio_risk"}


@dataclass(frozen=True)
class Problem:
    answer: str
    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.answer}: {self.check}: {self.detail}"


def render_for(spec: AnswerSpec, clinic: ClinicConfig, week: int = 14) -> str:
    values = clinic.placeholders()
    values["week"] = str(week)
    return spec.text.format(**values)


def serves(spec: AnswerSpec, jurisdiction: str) -> bool:
    return spec.jurisdiction in (None, jurisdiction)


def sentences(text: str) -> List[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def figures_in(sentence: str) -> Set[str]:
    found = {f"{float(n):g}%" for n in PERCENT.findall(sentence)}
    for count, of in ONE_IN.findall(sentence):
        found.add(f"{' '.join(count.split())} in {of.replace(',', '')}")
    return found


def miscarriage_figures(text: str) -> Dict[str, Set[str]]:
    """Figures stated about miscarriage risk, by context (procedure, twins, early).

    A sentence with a figure counts when it, or one of the two sentences before it
    ("... the extra risk is below 0.5%. That is about 1 in 200."), speaks of miscarriage,
    pregnancy loss or the test's extra risk, unless the sentence itself is about another
    outcome (leaking, infection, club foot)."""
    found: Dict[str, Set[str]] = {}
    parts = sentences(text)
    for index, sentence in enumerate(parts):
        figures = figures_in(sentence)
        if not figures:
            continue
        window = " ".join(parts[max(0, index - 2):index + 1])
        if not MISCARRIAGE.search(sentence) and (
                OTHER_OUTCOME.search(sentence) or not MISCARRIAGE.search(window)):
            continue
        context = ("twins" if TWINS.search(window) else
                   "early" if EARLY.search(window) else "procedure")
        found.setdefault(context, set()).update(figures)
    return found


def grade(text: str) -> float:
    import textstat

    return float(textstat.flesch_kincaid_grade(text))


def check_answers(specs: List[AnswerSpec], clinic: ClinicConfig,
                  today: Optional[dt.date] = None,
                  only_jurisdictions: Optional[Iterable[str]] = None) -> List[Problem]:
    today = today or dt.date.today()
    problems: List[Problem] = []
    for spec in specs:
        if not spec.sources or not all(s.get("title") and s.get("url") for s in spec.sources):
            problems.append(Problem(spec.key, "sources", "every answer needs sources with a title and a url"))
        if not spec.reviewed_by.strip():
            problems.append(Problem(spec.key, "reviewer", "no reviewer"))
        if spec.review_due < today:
            problems.append(Problem(spec.key, "review date",
                                    f"review was due on {spec.review_due}; review it and set new dates"))
        if spec.review_due <= spec.reviewed_on:
            problems.append(Problem(spec.key, "review date", "next review is not after the last"))
    for jurisdiction in only_jurisdictions or jurisdictions():
        local = clinic.for_jurisdiction(jurisdiction)
        serving = [s for s in specs if serves(s, jurisdiction)]
        missing = sorted(set(TOPICS) - {s.topic for s in serving})
        for topic in missing:
            problems.append(Problem(topic, "coverage", f"no answer for this topic in {jurisdiction}"))
        stated: Dict[Tuple[str, str], Set[str]] = {}
        per_answer: List[Tuple[AnswerSpec, str, Set[str]]] = []
        clinic_text = " ".join(local.placeholders()[k] for k in
                               ("emergency_phone", "daytime_phone", "crisis_line")).lower()
        for spec in serving:
            text = render_for(spec, local)
            label = f"{spec.key} [{jurisdiction}]"
            level = grade(text)
            if level > MAX_GRADE:
                problems.append(Problem(label, "reading grade",
                                        f"Flesch-Kincaid grade {level:.1f}, above {MAX_GRADE:g}"))
            lowered = text.lower()
            for phrase in FORBIDDEN:
                if phrase in lowered:
                    problems.append(Problem(label, "wording", f"says '{phrase}'"))
            for term in FOREIGN_TERMS.get(jurisdiction, ()):
                if term in lowered and term not in clinic_text:
                    problems.append(Problem(label, "jurisdiction wording",
                                            f"says '{term.strip()}' (use the {jurisdiction} wording)"))
            for context, figures in miscarriage_figures(text).items():
                per_answer.append((spec, context, figures))
                if spec.topic == REFERENCE_TOPIC[context]:
                    stated.setdefault((jurisdiction, context), set()).update(figures)
        for spec, context, figures in per_answer:
            reference = stated.get((jurisdiction, context))
            if reference is None:
                problems.append(Problem(
                    f"{spec.key} [{jurisdiction}]", "miscarriage figures",
                    f"states {sorted(figures)} ({context}) but the {REFERENCE_TOPIC[context]} "
                    f"answer states no figure to agree with"))
                continue
            differing = figures - reference
            if differing:
                problems.append(Problem(
                    f"{spec.key} [{jurisdiction}]", "miscarriage figures",
                    f"states {sorted(differing)} ({context}); the {REFERENCE_TOPIC[context]} "
                    f"answer states {sorted(reference)}"))
    return problems
