"""Questions that mention a symptom without reporting one ("how common is leaking after
amnio?", "I had spotting in 2019, is that common?") are about the test's risks.

The safety detector marks such mentions general, past or someone else's. When the model
has no confident topic for such a question, it goes to `other_risks`."""
from __future__ import annotations

from typing import Optional

from bot.safety.detector import PAIN_CLASS

NOT_REPORTED = {"general", "distant_past", "other_person"}
# Topics where a symptom mentioned in general belongs already.
SYMPTOM_TOPICS = {"other_risks", "aftercare", "early_amnio_risk", "miscarriage_causes",
                  "after_miscarriage_care", "red_flag", "human_handoff"}


# Only when the model had no good answer of its own.
UNSURE = 0.5


def topic_for_symptom_question(topic: str, red_flag: Optional[dict], confidence: float = 0.0) -> str:
    if not red_flag or red_flag.get("escalate") or topic in SYMPTOM_TOPICS:
        return topic
    if topic not in ("fallback", "out_of_scope") and confidence >= UNSURE:
        return topic
    mentioned = {f.get("code") for f in red_flag.get("findings") or []
                 if f.get("status") in NOT_REPORTED}
    # "does it hurt?" is about the procedure, not its risks
    return "other_risks" if mentioned - PAIN_CLASS else topic
