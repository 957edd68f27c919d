"""A follow-up that carries a red flag on: "it's still happening", "yes and now it's worse".

Such a message names no symptom, so the text-only detector cannot see it. Right after a
red flag, though, it is about that red flag, and gets the same escalation again. Only
messages that say the symptom goes on, is back or is worse count; "ok thanks" does not.
"""
from __future__ import annotations

import re

CONTINUES = re.compile(
    r"\b(?:still|worse|worsening|heavier|stronger|more and more|again|"
    r"(?:hasn't|has not|haven't|have not|isn't|is not|won't|will not|doesn't|does not|didn't|did not)"
    r" (?:stopped|stop|stopping|eased|settled|gone|go away|gone away|slowed|better|improved)|"
    r"not (?:stopped|stopping|better|improving|easing|settling)|keeps? (?:going|coming|happening|on)|"
    r"getting (?:worse|heavier|stronger|more|bigger)|(?:it's|it is|they're|they are) back|came back|"
    r"come back|coming back|same as before|no change|happening)\b")

# messages that close the subject instead ("ok thanks", "it's stopped now")
SETTLED = re.compile(
    r"\b(?:stopped now|has stopped|have stopped|it's stopped|its stopped|gone now|all gone|"
    r"(?:feel|feeling|i'm|i am) (?:fine|better|ok|okay) now|no longer)\b")


def continues_red_flag(text: str) -> bool:
    """Does this follow-up say the previous red flag goes on (or is back, or worse)?"""
    lowered = (text or "").lower().replace("\u2019", "'")
    return bool(CONTINUES.search(lowered)) and not SETTLED.search(lowered)
